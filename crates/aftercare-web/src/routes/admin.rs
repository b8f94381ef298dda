//! The clinic admin's pages: the team and invitations, and the clinic's own protocols
//! (upload, validated exactly as `aftercare plan --protocol` validates a file, and the choice
//! of the default).
//!
//! Every handler requires an admin of the clinic; practitioners get 403.

use aftercare_store::{NewInvitation, NewProtocol, Role, hash_token};
use axum::{
    Router,
    extract::{DefaultBodyLimit, Multipart, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};

use crate::{
    auth::{AdminUser, token::generate_token},
    error::AppError,
    extract::{FormData, FormError},
    input,
    protocols::{self, validate_upload},
    routes::{auth::FlashQuery, clinic::clinic_nav},
    state::AppState,
    views::{
        FieldErrors,
        clinic::{InvitationView, MemberView, ProtocolView, ProtocolsPage, TeamPage},
        flash_message, render, render_status,
    },
};

/// The admin routes; `upload_bytes` bounds a protocol upload.
pub fn router(upload_bytes: usize) -> Router<AppState> {
    Router::new()
        .route("/clinic/team", get(team_page))
        .route("/clinic/invitations", post(invite))
        .route(
            "/clinic/protocols",
            get(protocols_page)
                .post(upload_protocol)
                .layer(DefaultBodyLimit::max(upload_bytes)),
        )
        .route("/clinic/protocols/default", post(set_default))
}

fn role_words(role: Role) -> &'static str {
    match role {
        Role::Admin => "Admin",
        Role::Practitioner => "Practitioner",
    }
}

async fn team(
    state: &AppState,
    admin: &AdminUser,
    errors: FieldErrors,
    email: String,
    new_invitation: Option<String>,
    flash: Option<&'static str>,
) -> Result<TeamPage, AppError> {
    let user = &admin.0;
    let (clinic, nav) = clinic_nav(state, user, "team").await?;
    let store = state.store();
    let members = store
        .list_users(&clinic.id)
        .await?
        .into_iter()
        .map(|u| MemberView {
            name: u.display_name,
            email: u.email,
            role: role_words(u.role),
            disabled: u.disabled_at.is_some(),
        })
        .collect();
    let tz = aftercare_core::instant::parse_time_zone(&state.settings().clinic.default_time_zone)
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let now = state.now();
    let invitations = store
        .list_invitations(&clinic.id)
        .await?
        .into_iter()
        .map(|i| InvitationView {
            status: if i.used_at.is_some() {
                "accepted".into()
            } else if i.expires_at <= now {
                "expired".into()
            } else {
                format!("open until {}", local(i.expires_at, &tz))
            },
            email: i.email,
            role: role_words(i.role),
        })
        .collect();
    Ok(TeamPage {
        nav,
        flash,
        members,
        invitations,
        errors,
        email,
        new_invitation,
    })
}

fn local(epoch: i64, tz: &jiff::tz::TimeZone) -> String {
    jiff::Timestamp::from_second(epoch).map_or_else(
        |_| "—".into(),
        |ts| aftercare_core::instant::format_local(&ts.to_zoned_datetime(tz.clone())),
    )
}

async fn team_page(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(query): Query<FlashQuery>,
) -> Result<Response, AppError> {
    let page = team(
        &state,
        &admin,
        FieldErrors::default(),
        String::new(),
        None,
        flash_message(query.flash.as_deref()),
    )
    .await?;
    Ok(render(&page))
}

async fn invite(
    State(state): State<AppState>,
    admin: AdminUser,
    form: FormData,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::default();
    let typed = form.text("email").unwrap_or("").to_owned();
    let email = input::email(Some(&typed), "colleague's e-mail")
        .map_err(|m| errors.add("email", m))
        .ok();
    let role = match form.text("role").unwrap_or("practitioner") {
        "admin" => Some(Role::Admin),
        "practitioner" => Some(Role::Practitioner),
        _ => {
            errors.add("role", "Choose practitioner or admin.");
            None
        }
    };
    let (Some(email), Some(role)) = (email, role) else {
        let page = team(&state, &admin, errors, typed, None, None).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    // Only a member of this clinic is refused here: saying that an e-mail has an account at
    // another clinic would tell one clinic about another's staff. An invitation to such an
    // address is made as any other; accepting it answers as a used link does (docs/web.md).
    if state
        .store()
        .find_user_by_email(&email)
        .await?
        .is_some_and(|user| user.clinic_id == admin.0.clinic_id())
    {
        errors.add("email", "This e-mail is already in your team.");
        let page = team(&state, &admin, errors, typed, None, None).await?;
        return Ok(render_status(StatusCode::CONFLICT, &page));
    }
    let token = generate_token().map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    let now = state.now();
    let invitation = NewInvitation {
        clinic_id: admin.0.clinic_id().to_owned(),
        email,
        role,
        token_hash: hash_token(&token),
        created_by: admin.0.user.id.clone(),
        expires_at: now + i64::from(state.settings().security.invitation_ttl_hours) * 3600,
    };
    let row = state
        .store()
        .create_invitation(&invitation, &[], now)
        .await?;
    tracing::info!(invitation_id = %row.id, "invitation created");
    let url = format!("{}/invitations/{token}", state.public_url());
    let page = team(
        &state,
        &admin,
        FieldErrors::default(),
        String::new(),
        Some(url),
        flash_message(Some("invited")),
    )
    .await?;
    Ok(render_status(StatusCode::CREATED, &page))
}

async fn protocols_view(
    state: &AppState,
    admin: &AdminUser,
    upload_error: Option<String>,
    flash: Option<&'static str>,
) -> Result<ProtocolsPage, AppError> {
    let (clinic, nav) = clinic_nav(state, &admin.0, "protocols").await?;
    let builtin = protocols::builtin();
    let tz = aftercare_core::instant::parse_time_zone(&state.settings().clinic.default_time_zone)
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let mut views = Vec::new();
    for row in state.store().list_protocols(&clinic.id).await? {
        let protocol = state
            .protocols()
            .resolve(state.store(), &clinic.id, Some(&row.id))
            .await?;
        views.push(ProtocolView {
            is_default: clinic.default_protocol_id.as_deref() == Some(row.id.as_str()),
            title: format!("{} (version {})", protocol.title, protocol.version),
            uploaded: local(row.created_at, &tz),
            id: row.id,
            name: row.name,
        });
    }
    Ok(ProtocolsPage {
        nav,
        flash,
        builtin: format!("{} (version {})", builtin.title, builtin.version),
        builtin_is_default: clinic.default_protocol_id.is_none(),
        protocols: views,
        upload_error,
    })
}

async fn protocols_page(
    State(state): State<AppState>,
    admin: AdminUser,
    Query(query): Query<FlashQuery>,
) -> Result<Response, AppError> {
    Ok(render(
        &protocols_view(&state, &admin, None, flash_message(query.flash.as_deref())).await?,
    ))
}

fn multipart_error(error: axum::extract::multipart::MultipartError) -> AppError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge("The protocol file is larger than the upload limit.".into())
    } else {
        AppError::BadRequest(format!(
            "The upload could not be read: {}",
            error.body_text()
        ))
    }
}

async fn upload_protocol(
    State(state): State<AppState>,
    admin: AdminUser,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let mut multipart = multipart.map_err(|_| {
        AppError::UnsupportedMediaType(
            "Upload the protocol as multipart/form-data (a file field).".into(),
        )
    })?;
    let mut upload = None;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() == Some("file") {
            if upload.is_some() {
                return Err(FormError::Repeated {
                    field: "file".into(),
                }
                .into());
            }
            let name = field.file_name().unwrap_or("protocol.toml").to_owned();
            let bytes = field.bytes().await.map_err(multipart_error)?;
            upload = Some((name, bytes));
        }
    }
    let refuse = |message: String| async {
        let page = protocols_view(&state, &admin, Some(message), None).await?;
        Ok::<_, AppError>(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
    };
    let Some((name, bytes)) = upload.filter(|(_, bytes)| !bytes.is_empty()) else {
        return refuse("Choose a protocol file to upload.".into()).await;
    };
    let name: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or("protocol.toml")
        .chars()
        .filter(|c| !c.is_control())
        .take(100)
        .collect();
    let Ok(text) = String::from_utf8(bytes.to_vec()) else {
        return refuse(format!("{name} is not UTF-8 text.")).await;
    };
    if let Err(message) = validate_upload(&name, &text) {
        return refuse(message).await;
    }
    let row = state
        .store()
        .upload_protocol(
            &NewProtocol {
                clinic_id: admin.0.clinic_id().to_owned(),
                name,
                toml: text,
                uploaded_by: admin.0.user.id.clone(),
            },
            state.now(),
        )
        .await?;
    tracing::info!(protocol_id = %row.id, "protocol uploaded");
    Ok(Redirect::to("/clinic/protocols?flash=uploaded").into_response())
}

async fn set_default(
    State(state): State<AppState>,
    admin: AdminUser,
    form: FormData,
) -> Result<Response, AppError> {
    let choice = form.text("protocol_id").unwrap_or("builtin");
    let id = (choice != "builtin").then_some(choice);
    if id.is_some_and(|id| id.len() > 64) {
        return Err(AppError::Invalid(
            "Choose one of the listed protocols.".into(),
        ));
    }
    match state
        .store()
        .set_clinic_default_protocol(admin.0.clinic_id(), id)
        .await
    {
        Ok(()) => {}
        Err(aftercare_store::StoreError::NotFound) => {
            return Err(AppError::Invalid(
                "Choose one of the listed protocols.".into(),
            ));
        }
        Err(other) => return Err(other.into()),
    }
    tracing::info!("default protocol changed");
    Ok(Redirect::to("/clinic/protocols?flash=default").into_response())
}
