//! Reading request bodies with clear errors: HTML forms (repeated fields kept, as checkbox
//! groups need) and JSON for the API. A body over the limit is 413, a wrong content type 415,
//! unreadable syntax 400 and a value of the wrong shape 422, each with one plain sentence.
//!
//! What does not belong here: what the fields mean (each route parses its own form).

use axum::{
    Json,
    body::Bytes,
    extract::{
        FromRequest, Request,
        rejection::{BytesRejection, JsonRejection},
    },
    http::{StatusCode, header},
};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, AppError};

/// An `application/x-www-form-urlencoded` body as ordered name/value pairs.
#[derive(Debug, Clone, Default)]
pub struct FormData {
    pairs: Vec<(String, String)>,
}

impl FormData {
    /// Parses an urlencoded body.
    pub fn parse(body: &[u8]) -> Self {
        FormData {
            pairs: form_urlencoded::parse(body).into_owned().collect(),
        }
    }

    /// The first value of `name`, trimmed; `None` when absent or blank.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// The first value of `name` exactly as sent (passwords are not trimmed).
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every non-blank value of `name`, in order (checkbox groups).
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
            .collect()
    }

    /// Whether a checkbox named `name` was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.pairs
            .iter()
            .any(|(key, value)| key == name && !value.is_empty())
    }
}

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        if !content_type.starts_with("application/x-www-form-urlencoded") {
            return Err(AppError::UnsupportedMediaType(
                "This form must be sent as application/x-www-form-urlencoded.".into(),
            ));
        }
        let body = Bytes::from_request(request, state)
            .await
            .map_err(body_error)?;
        Ok(FormData::parse(&body))
    }
}

/// Maps a failure to read the body: too large is 413, anything else 400.
pub fn body_error(rejection: BytesRejection) -> AppError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge(
            "The request is larger than the limit. Shorten the text and try again.".into(),
        )
    } else {
        AppError::BadRequest("The request body could not be read.".into())
    }
}

/// A JSON body for the API, with errors as the API answers them.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError(json_error(rejection))),
        }
    }
}

fn json_error(rejection: JsonRejection) -> AppError {
    match rejection {
        JsonRejection::JsonDataError(error) => {
            AppError::Invalid(clean_serde_message(&error.body_text()))
        }
        JsonRejection::JsonSyntaxError(error) => {
            AppError::BadRequest(clean_serde_message(&error.body_text()))
        }
        JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType(
            "Send the body as JSON with Content-Type: application/json.".into(),
        ),
        JsonRejection::BytesRejection(error) => body_error(error),
        other => AppError::BadRequest(other.body_text()),
    }
}

/// Drops axum's generic prefix so the message starts with what is wrong.
fn clean_serde_message(text: &str) -> String {
    let text = text
        .trim_start_matches("Failed to deserialize the JSON body into the target type: ")
        .trim_start_matches("Failed to parse the request body as JSON: ");
    format!("Invalid JSON body: {text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_fields_are_kept_in_order_and_blanks_dropped() {
        let form = FormData::parse(b"skin=dry&skin=sensitive&label=+A.+B.+&empty=&notes=%3Cb%3E");
        assert_eq!(form.all("skin"), ["dry", "sensitive"]);
        assert_eq!(form.text("label"), Some("A. B."));
        assert_eq!(form.text("empty"), None);
        assert_eq!(form.text("notes"), Some("<b>"));
        assert!(form.checked("skin"));
        assert!(!form.checked("missing"));
    }
}
