//! Server-side sessions: the browser holds a random token in an HttpOnly, SameSite=Lax cookie
//! (`Secure`, with the `__Host-` prefix, behind TLS); the store holds its SHA-256 hash, the
//! user and the expiry. API clients send the same token as `Authorization: Bearer …`.
//!
//! The extractors [`CurrentUser`] (pages: redirect to sign-in), [`ApiUser`] (API: 401) and
//! [`AdminUser`] (403 for practitioners) load the user on every request, so a disabled
//! account or a changed password takes effect at once.

use aftercare_store::{NewSession, Role, UserRow, hash_token};
use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, HeaderValue, header, request::Parts},
};

use crate::{
    auth::token::{generate_token, is_well_formed},
    error::{ApiError, AppError},
    state::AppState,
};

/// Cookie name over plain HTTP (development, tests).
const PLAIN_COOKIE: &str = "aftercare_session";
/// Cookie name behind TLS: the `__Host-` prefix pins it to this host, path `/`, `Secure`.
const SECURE_COOKIE: &str = "__Host-aftercare_session";
/// A session's expiry slides forward at most this often (one write per five minutes).
const TOUCH_EVERY_SECONDS: i64 = 300;

/// A new session's token and the `Set-Cookie` header that hands it to the browser.
#[derive(Debug)]
pub struct SessionCookie {
    /// The token (also returned to API clients as their bearer token).
    pub token: String,
    /// When it expires, epoch seconds.
    pub expires_at: i64,
    /// The header value.
    pub set_cookie: HeaderValue,
}

/// Starts a session for `user` and returns its cookie.
///
/// # Errors
/// Internal when no random token can be made or the store fails.
pub async fn start_session(state: &AppState, user: &UserRow) -> Result<SessionCookie, AppError> {
    let token = generate_token().map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))?;
    let now = state.now();
    let ttl = i64::from(state.settings().security.session_ttl_hours) * 3600;
    let session = NewSession {
        token_hash: hash_token(&token),
        user_id: user.id.clone(),
        clinic_id: user.clinic_id.clone(),
        expires_at: now + ttl,
    };
    state.store().create_session(&session, now).await?;
    let set_cookie = cookie_header(state, &token, ttl)?;
    Ok(SessionCookie {
        token,
        expires_at: now + ttl,
        set_cookie,
    })
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(state: &AppState) -> HeaderValue {
    cookie_header(state, "", 0).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn cookie_header(state: &AppState, token: &str, max_age: i64) -> Result<HeaderValue, AppError> {
    let (name, secure) = if state.secure_cookies() {
        (SECURE_COOKIE, "; Secure")
    } else {
        (PLAIN_COOKIE, "")
    };
    HeaderValue::from_str(&format!(
        "{name}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .map_err(AppError::internal)
}

/// The session token a request carries: the cookie, or a bearer token.
pub fn session_token(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let name = if state.secure_cookies() {
        SECURE_COOKIE
    } else {
        PLAIN_COOKIE
    };
    let from_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned());
    let from_bearer = || {
        headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(|token| token.trim().to_owned())
    };
    from_cookie
        .or_else(from_bearer)
        .filter(|token| is_well_formed(token))
}

/// The signed-in user of a page request; without a session the page redirects to sign-in.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The user.
    pub user: UserRow,
    /// The hash of the session's token (to keep this session on a password change).
    pub session_hash: String,
}

impl CurrentUser {
    /// The user's clinic id.
    pub fn clinic_id(&self) -> &str {
        &self.user.clinic_id
    }

    /// Whether the user is the clinic's admin.
    pub fn is_admin(&self) -> bool {
        self.user.role == Role::Admin
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let token = session_token(state, &parts.headers).ok_or(AppError::Unauthenticated)?;
        let hash = hash_token(&token);
        let now = state.now();
        let store = state.store();
        let session = store
            .find_session(&hash, now)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let user = store
            .find_user(&session.clinic_id, &session.user_id)
            .await?
            .filter(|user| user.disabled_at.is_none())
            .ok_or(AppError::Unauthenticated)?;
        if now - session.last_seen_at >= TOUCH_EVERY_SECONDS {
            let ttl = i64::from(state.settings().security.session_ttl_hours) * 3600;
            match store.touch_session(&hash, now, now + ttl).await {
                Ok(()) | Err(aftercare_store::StoreError::NotFound) => {}
                Err(other) => return Err(other.into()),
            }
        }
        let current = CurrentUser {
            user,
            session_hash: hash,
        };
        parts.extensions.insert(current.clone());
        Ok(current)
    }
}

/// The signed-in user of an API request; without a session the answer is 401 JSON.
#[derive(Debug, Clone)]
pub struct ApiUser(pub CurrentUser);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        Ok(ApiUser(
            CurrentUser::from_request_parts(parts, state).await?,
        ))
    }
}

/// A signed-in clinic admin; a practitioner gets 403.
#[derive(Debug, Clone)]
pub struct AdminUser(pub CurrentUser);

impl FromRequestParts<AppState> for AdminUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if !user.is_admin() {
            return Err(AppError::Forbidden(
                "Only the clinic's admin can do this.".into(),
            ));
        }
        Ok(AdminUser(user))
    }
}
