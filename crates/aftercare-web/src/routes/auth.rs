//! Signing in and out, changing a password, accepting an invitation, and the one-time
//! first-run setup page that creates the clinic and its first admin.
//!
//! Sign-in, invitation and setup posts are rate-limited (see `routes::router`). A failed
//! sign-in says only "e-mail or password is wrong" and takes as long for an unknown e-mail as
//! for a known one.

use aftercare_store::{AcceptInvitation, NewClinic, NewUser, Role, hash_token};
use axum::{
    Router,
    extract::{Path, Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use secrecy::SecretString;
use serde::Deserialize;

use crate::{
    auth::{
        CurrentUser,
        password::check_new_password,
        session::{clear_cookie, session_token, start_session},
        token::is_well_formed,
    },
    error::AppError,
    extract::FormData,
    input,
    routes::clinic::clinic_nav,
    state::AppState,
    views::{
        FieldErrors,
        auth::{HomePage, InvitationPage, PasswordPage, SetupPage, SetupValues, SignInPage},
        flash_message, render, render_status,
    },
};

/// A `?flash=key` confirmation after a redirect.
#[derive(Debug, Deserialize)]
pub struct FlashQuery {
    /// Which confirmation.
    pub flash: Option<String>,
}

/// Routes that are not rate-limited.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/sign-in", get(sign_in_page))
        .route("/sign-out", post(sign_out))
        .route(
            "/account/password",
            get(password_page).post(change_password),
        )
        .route("/invitations/{token}", get(invitation_page))
        .route("/setup/{token}", get(setup_page))
}

/// The posts that guess secrets (passwords, tokens): the caller puts a rate limit on them.
pub fn limited_router() -> Router<AppState> {
    Router::new()
        .route("/sign-in", post(sign_in))
        .route("/invitations/{token}", post(accept_invitation))
        .route("/setup/{token}", post(setup))
}

async fn home(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if session_token(&state, &headers).is_some() {
        return Redirect::to("/clinic").into_response();
    }
    render(&HomePage)
}

async fn sign_in_page(Query(query): Query<FlashQuery>) -> Response {
    render(&SignInPage {
        email: String::new(),
        message: None,
        flash: flash_message(query.flash.as_deref()),
    })
}

async fn sign_in(State(state): State<AppState>, form: FormData) -> Result<Response, AppError> {
    let email = form.text("email").unwrap_or("").to_owned();
    let password = form.raw("password").unwrap_or("");
    let failed = |email: String, message: &str| {
        render_status(
            StatusCode::UNAUTHORIZED,
            &SignInPage {
                email,
                message: Some(message.to_owned()),
                flash: None,
            },
        )
    };
    if email.is_empty() || password.is_empty() || password.chars().count() > 1024 {
        return Ok(failed(email, "Enter your e-mail and password."));
    }
    let user = state.store().find_user_by_email(&email).await?;
    let hash = user.as_ref().map(|user| user.password_hash.clone());
    let matches = state
        .passwords()
        .verify(SecretString::from(password), hash)
        .await?;
    let Some(user) = user.filter(|user| matches && user.disabled_at.is_none()) else {
        metrics::counter!("aftercare_sign_ins_total", "outcome" => "failed").increment(1);
        tracing::info!("sign-in failed");
        return Ok(failed(email, "The e-mail or the password is wrong."));
    };
    metrics::counter!("aftercare_sign_ins_total", "outcome" => "ok").increment(1);
    tracing::info!(user_id = %user.id, "signed in");
    let cookie = start_session(&state, &user).await?;
    Ok((
        [(header::SET_COOKIE, cookie.set_cookie)],
        Redirect::to("/clinic"),
    )
        .into_response())
}

async fn sign_out(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    if let Some(token) = session_token(&state, &headers) {
        state.store().delete_session(&hash_token(&token)).await?;
    }
    Ok((
        [(header::SET_COOKIE, clear_cookie(&state))],
        Redirect::to("/sign-in"),
    )
        .into_response())
}

async fn password_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<FlashQuery>,
) -> Result<Response, AppError> {
    let (_, nav) = clinic_nav(&state, &user, "account").await?;
    Ok(render(&PasswordPage {
        nav,
        errors: FieldErrors::default(),
        flash: flash_message(query.flash.as_deref()),
    }))
}

async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    form: FormData,
) -> Result<Response, AppError> {
    let current = form.raw("current_password").unwrap_or("");
    let new = form.raw("new_password").unwrap_or("");
    let mut errors = FieldErrors::default();
    if current.chars().count() > 1024
        || !state
            .passwords()
            .verify(
                SecretString::from(current),
                Some(user.user.password_hash.clone()),
            )
            .await?
    {
        errors.add("current_password", "The current password is wrong.");
    }
    if let Err(message) = check_new_password(new) {
        errors.add("new_password", message);
    }
    if !errors.is_empty() {
        let (_, nav) = clinic_nav(&state, &user, "account").await?;
        return Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage {
                nav,
                errors,
                flash: None,
            },
        ));
    }
    let hash = state.passwords().hash(SecretString::from(new)).await?;
    state
        .store()
        .change_password(
            user.clinic_id(),
            &user.user.id,
            &hash,
            Some(&user.session_hash),
        )
        .await?;
    tracing::info!(user_id = %user.user.id, "password changed");
    Ok(Redirect::to("/account/password?flash=password").into_response())
}

/// The one answer for an invitation that cannot be accepted: used, expired, mistyped, or for an
/// address that has an account already. The same words and status for all of them, so that an
/// admin who opens their own invitation link learns nothing about another clinic's staff.
fn invitation_gone() -> AppError {
    AppError::Missing(
        "This invitation link does not work: it was used already, has expired, or was copied \
         incompletely, or this e-mail has an account already (then sign in). Ask your clinic's \
         admin for a new invitation if you need one."
            .into(),
    )
}

async fn invitation_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let page = invitation_view(&state, &token, String::new(), FieldErrors::default()).await?;
    Ok(render(&page))
}

async fn invitation_view(
    state: &AppState,
    token: &str,
    display_name: String,
    errors: FieldErrors,
) -> Result<InvitationPage, AppError> {
    if !is_well_formed(token) {
        return Err(invitation_gone());
    }
    let invitation = state
        .store()
        .find_invitation(&hash_token(token), state.now())
        .await?
        .ok_or_else(invitation_gone)?;
    let clinic = state
        .store()
        .find_clinic(&invitation.clinic_id)
        .await?
        .ok_or_else(invitation_gone)?;
    Ok(InvitationPage {
        token: token.to_owned(),
        clinic_name: clinic.name,
        email: invitation.email,
        role: if invitation.role == Role::Admin {
            "an admin"
        } else {
            "a practitioner"
        },
        display_name,
        errors,
    })
}

async fn accept_invitation(
    State(state): State<AppState>,
    Path(token): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::default();
    let display_name = input::required_line(form.text("display_name"), "name", 200)
        .map_err(|message| errors.add("display_name", message))
        .unwrap_or_default();
    let password = form.raw("password").unwrap_or("");
    if let Err(message) = check_new_password(password) {
        errors.add("password", message);
    }
    if !errors.is_empty() {
        let typed = form.text("display_name").unwrap_or("").to_owned();
        let page = invitation_view(&state, &token, typed, errors).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    if !is_well_formed(&token) {
        return Err(invitation_gone());
    }
    let password_hash = state.passwords().hash(SecretString::from(password)).await?;
    let user = match state
        .store()
        .accept_invitation(
            &hash_token(&token),
            &AcceptInvitation {
                display_name,
                password_hash,
            },
            state.now(),
        )
        .await
    {
        Ok(user) => user,
        Err(
            aftercare_store::StoreError::NotFound | aftercare_store::StoreError::Conflict { .. },
        ) => return Err(invitation_gone()),
        Err(other) => return Err(other.into()),
    };
    tracing::info!(user_id = %user.id, "invitation accepted");
    let cookie = start_session(&state, &user).await?;
    Ok((
        [(header::SET_COOKIE, cookie.set_cookie)],
        Redirect::to("/clinic?flash=welcome"),
    )
        .into_response())
}

/// Whether the setup page may be used with this token: armed, matching, and no clinic yet.
async fn setup_allowed(state: &AppState, token: &str) -> Result<bool, AppError> {
    if !is_well_formed(token) || !state.setup_token_matches(&hash_token(token)) {
        return Ok(false);
    }
    if !state.store().list_clinics().await?.is_empty() {
        state.disarm_setup();
        return Ok(false);
    }
    Ok(true)
}

async fn setup_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if !setup_allowed(&state, &token).await? {
        return Err(AppError::NotFound);
    }
    let values = SetupValues {
        emergency_number: "112".into(),
        ..SetupValues::default()
    };
    Ok(render(&SetupPage {
        token,
        values,
        errors: FieldErrors::default(),
    }))
}

async fn setup(
    State(state): State<AppState>,
    Path(token): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    if !setup_allowed(&state, &token).await? {
        return Err(AppError::NotFound);
    }
    let values = SetupValues {
        clinic_name: form.text("clinic_name").unwrap_or("").to_owned(),
        clinic_phone: form.text("clinic_phone").unwrap_or("").to_owned(),
        clinic_email: form.text("clinic_email").unwrap_or("").to_owned(),
        clinic_address: form.text("clinic_address").unwrap_or("").to_owned(),
        emergency_number: form.text("emergency_number").unwrap_or("").to_owned(),
        display_name: form.text("display_name").unwrap_or("").to_owned(),
        email: form.text("email").unwrap_or("").to_owned(),
    };
    let password = form.raw("password").unwrap_or("");
    let mut errors = FieldErrors::default();
    let mut check = |field: &'static str, result: Result<String, String>| {
        result
            .map_err(|message| errors.add(field, message))
            .unwrap_or_default()
    };
    let clinic = NewClinic {
        name: check(
            "clinic_name",
            input::required_line(Some(&values.clinic_name), "clinic name", 200),
        ),
        phone: check(
            "clinic_phone",
            input::optional_line(Some(&values.clinic_phone), "phone", 50),
        ),
        email: check(
            "clinic_email",
            if values.clinic_email.is_empty() {
                Ok(String::new())
            } else {
                input::email(Some(&values.clinic_email), "clinic e-mail")
            },
        ),
        address: check(
            "clinic_address",
            input::optional_line(Some(&values.clinic_address), "address", 500),
        ),
        emergency_number: check(
            "emergency_number",
            input::required_line(Some(&values.emergency_number), "emergency number", 20),
        ),
    };
    let display_name = check(
        "display_name",
        input::required_line(Some(&values.display_name), "name", 200),
    );
    let email = check("email", input::email(Some(&values.email), "e-mail"));
    if let Err(message) = check_new_password(password) {
        errors.add("password", message);
    }
    if !errors.is_empty() {
        return Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SetupPage {
                token,
                values,
                errors,
            },
        ));
    }
    let password_hash = state.passwords().hash(SecretString::from(password)).await?;
    state.disarm_setup();
    let now = state.now();
    let created = async {
        let clinic = state.store().create_clinic(&clinic, now).await?;
        let user = NewUser {
            clinic_id: clinic.id.clone(),
            email,
            display_name,
            role: Role::Admin,
            password_hash,
        };
        state.store().create_user(&user, now).await
    }
    .await;
    let user = match created {
        Ok(user) => user,
        Err(error) => {
            state.arm_setup(hash_token(&token));
            return Err(error.into());
        }
    };
    tracing::info!(clinic_id = %user.clinic_id, "first-run setup created the clinic");
    let cookie = start_session(&state, &user).await?;
    Ok((
        [(header::SET_COOKIE, cookie.set_cookie)],
        Redirect::to("/clinic?flash=welcome"),
    )
        .into_response())
}
