//! The one error type of the web app and how it becomes a response: a page for people, a JSON
//! object for API clients.
//!
//! Bad input is never a 500: it has its own variants with a plain message and the right status.
//! A real failure (the database is gone, a template cannot render) logs its whole cause chain
//! once, here, and shows the person a generic message without internals. What does not belong
//! here: form re-rendering with per-field messages, which handlers do themselves.

use axum::{
    Json,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use serde::Serialize;

use crate::views::{ErrorPage, render_status};

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The request is malformed (unreadable form, bad JSON syntax): 400.
    #[error("{0}")]
    BadRequest(String),
    /// The request is well-formed but a value is not acceptable: 422.
    #[error("{0}")]
    Invalid(String),
    /// Nobody is signed in: pages redirect to the sign-in page, the API answers 401.
    #[error("please sign in")]
    Unauthenticated,
    /// Signed in, but not allowed (a practitioner on an admin page): 403.
    #[error("{0}")]
    Forbidden(String),
    /// Nothing here, or nothing this person may see (other clinics' data looks absent): 404.
    #[error("not found")]
    NotFound,
    /// Nothing here, with a message that says what to do (an unknown invitation link): 404.
    #[error("{0}")]
    Missing(String),
    /// A link that worked once and no longer does (expired or revoked): 410.
    #[error("{0}")]
    Gone(String),
    /// The action conflicts with the current state (e-mail taken, invitation used): 409.
    #[error("{0}")]
    Conflict(String),
    /// The body is larger than the limit: 413.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The body is not in a format this route reads: 415.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Too many attempts from this address; the message says how long to wait: 429.
    #[error("{0}")]
    TooManyRequests(String),
    /// The database is busy or unreachable; the request can be retried: 503.
    #[error("service unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// Anything else: 500, logged with its cause chain, shown as a generic message.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    /// An internal error from any error value.
    pub fn internal(error: impl Into<anyhow::Error>) -> Self {
        AppError::Internal(error.into())
    }

    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound | AppError::Missing(_) => StatusCode::NOT_FOUND,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::Invalid(_) => "invalid_input",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound | AppError::Missing(_) => "not_found",
            AppError::Gone(_) => "gone",
            AppError::Conflict(_) => "conflict",
            AppError::PayloadTooLarge(_) => "payload_too_large",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    /// What the person reads: the message for their own mistakes, a generic line otherwise.
    pub fn public_message(&self) -> String {
        match self {
            AppError::NotFound => {
                "This page does not exist, or you do not have access to it.".into()
            }
            AppError::Unauthenticated => "Please sign in.".into(),
            AppError::Unavailable(_) => {
                "The service is busy right now. Nothing was lost: please try again in a moment."
                    .into()
            }
            AppError::Internal(_) => {
                "Something went wrong on our side. It has been logged; please try again.".into()
            }
            other => other.to_string(),
        }
    }

    /// Logs the cause of a server-side failure (once, where the response is made).
    fn log(&self) {
        match self {
            AppError::Internal(error) => {
                tracing::error!(error.cause_chain = ?error, "request failed");
            }
            AppError::Unavailable(error) => {
                tracing::warn!(error.cause_chain = ?error, "database unavailable");
            }
            _ => {}
        }
    }
}

impl From<aftercare_store::StoreError> for AppError {
    fn from(error: aftercare_store::StoreError) -> Self {
        use aftercare_store::StoreError;
        match error {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { what } => AppError::Conflict(format!(
                "This {what} already exists or was already changed."
            )),
            StoreError::Invalid { what } => AppError::Invalid(format!("The {what} is not valid.")),
            other if other.is_unavailable() => AppError::Unavailable(anyhow::Error::new(other)),
            other => AppError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        if matches!(self, AppError::Unauthenticated) {
            return Redirect::to("/sign-in").into_response();
        }
        let status = self.status();
        let page = ErrorPage {
            status: status.as_u16(),
            message: self.public_message(),
        };
        let mut response = render_status(status, &page);
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        }
        response
    }
}

/// An error for the JSON API: the same cases, answered as `{"error": {"code", "message"}}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

/// The body of every API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorResponse {
    /// What went wrong.
    pub error: ErrorBody,
}

/// The code and message of an API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable code: `bad_request`, `invalid_input`, `unauthenticated`, `forbidden`,
    /// `not_found`, `gone`, `conflict`, `payload_too_large`, `unsupported_media_type`,
    /// `too_many_requests`, `unavailable` or `internal`.
    pub code: String,
    /// One sentence for a person.
    pub message: String,
}

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(error: E) -> Self {
        ApiError(error.into())
    }
}

impl AppError {
    /// Logs the error and returns what an API answer is made of: the status, the headers it
    /// needs (`WWW-Authenticate`, `Retry-After`) and the `error` body. [`ApiError`] answers
    /// with them as they are; an endpoint may add to the body (the triage adds the emergency
    /// guidance).
    pub fn into_api_parts(self) -> (StatusCode, HeaderMap, ErrorBody) {
        self.log();
        let status = self.status();
        let mut headers = HeaderMap::new();
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        }
        let body = ErrorBody {
            code: self.code().into(),
            message: self.public_message(),
        };
        (status, headers, body)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let ApiError(error) = self;
        let (status, headers, error) = error.into_api_parts();
        (status, headers, Json(ErrorResponse { error })).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_do_not_show_their_cause() {
        let error = AppError::internal(anyhow::anyhow!("disk /dev/sda1 is full"));
        assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!error.public_message().contains("sda1"));
        let invalid = AppError::Invalid("the temperature must be between 30 and 45 °C".into());
        assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(invalid.public_message().contains("temperature"));
    }
}
