//! Reading request bodies with clear errors: HTML forms (repeated fields kept, as checkbox
//! groups need) and JSON for the API. A body over the limit is 413, a wrong content type 415,
//! unreadable syntax 400 (a form that is not UTF-8 once decoded included: it is refused, never
//! stored with U+FFFD) and a value of the wrong shape 422 (a single-valued form field sent twice
//! included), each with one plain sentence.
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

/// The fields a form may send more than once: check-box groups, read with [`FormData::all`].
/// Every other field is single-valued, and a form that repeats one is refused (the first or
/// the last copy winning silently could turn a red flag into "expected").
pub const MULTI_VALUED: &[&str] = &["symptoms", "skin", "areas", "services"];

/// Why a form body was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// The raw body is not UTF-8 text (urlencoded bodies are ASCII): 400.
    #[error("The form could not be read: the request body is not valid UTF-8 text.")]
    BodyNotUtf8,
    /// A field name decodes (percent-escapes) to bytes that are not UTF-8: 400.
    #[error("The form could not be read: a field name is not valid UTF-8 text once decoded.")]
    NameNotUtf8,
    /// The value of `field` decodes to bytes that are not UTF-8: 400.
    #[error(
        "The form could not be read: the field `{field}` is not valid UTF-8 text once decoded."
    )]
    ValueNotUtf8 {
        /// The field's name.
        field: String,
    },
    /// A single-valued field was sent more than once: 422.
    #[error("The field `{field}` was sent more than once; send it once.")]
    Repeated {
        /// The field's name.
        field: String,
    },
}

impl From<FormError> for AppError {
    fn from(error: FormError) -> Self {
        match error {
            FormError::Repeated { .. } => AppError::Invalid(error.to_string()),
            other => AppError::BadRequest(other.to_string()),
        }
    }
}

/// An `application/x-www-form-urlencoded` body as ordered name/value pairs.
#[derive(Debug, Clone, Default)]
pub struct FormData {
    pairs: Vec<(String, String)>,
}

impl FormData {
    /// Parses an urlencoded body (or a query string) strictly: `+` is a space, `%XX` a byte,
    /// and the body and every decoded name and value must be UTF-8 (never replaced with
    /// U+FFFD). Repeated fields are kept; see [`FormData::single_valued`].
    ///
    /// # Errors
    /// [`FormError::BodyNotUtf8`], [`FormError::NameNotUtf8`] or [`FormError::ValueNotUtf8`].
    pub fn parse(body: &[u8]) -> Result<Self, FormError> {
        let text = std::str::from_utf8(body).map_err(|_| FormError::BodyNotUtf8)?;
        let mut pairs = Vec::new();
        for piece in text.split('&').filter(|piece| !piece.is_empty()) {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            let name = decode(name).ok_or(FormError::NameNotUtf8)?;
            let value = decode(value).ok_or_else(|| FormError::ValueNotUtf8 {
                field: name.clone(),
            })?;
            pairs.push((name, value));
        }
        Ok(FormData { pairs })
    }

    /// This form, if no field outside [`MULTI_VALUED`] was sent more than once.
    ///
    /// # Errors
    /// [`FormError::Repeated`] naming the first repeated field.
    pub fn single_valued(self) -> Result<Self, FormError> {
        let repeated = self.pairs.iter().enumerate().find(|(index, (name, _))| {
            !MULTI_VALUED.contains(&name.as_str())
                && self
                    .pairs
                    .iter()
                    .take(*index)
                    .any(|(earlier, _)| earlier == name)
        });
        match repeated {
            Some((_, (name, _))) => Err(FormError::Repeated {
                field: name.clone(),
            }),
            None => Ok(self),
        }
    }

    /// The value of `name`, trimmed; `None` when absent or blank. A form read by the extractor
    /// has at most one (outside [`MULTI_VALUED`]); a parsed query string gives the first.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// The value of `name` exactly as sent (passwords are not trimmed); the first, as
    /// [`FormData::text`].
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
        Ok(FormData::parse(&body)?.single_valued()?)
    }
}

/// One urlencoded name or value: `+` to a space, then percent-decoding, then UTF-8 checked.
fn decode(part: &str) -> Option<String> {
    let spaced = part.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
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
    format!(
        "Invalid JSON body: {}",
        aftercare_core::json_input::plain_json_error(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_fields_are_kept_in_order_and_blanks_dropped() {
        let form = FormData::parse(b"skin=dry&skin=sensitive&label=+A.+B.+&empty=&notes=%3Cb%3E")
            .expect("UTF-8");
        assert_eq!(form.all("skin"), ["dry", "sensitive"]);
        assert_eq!(form.text("label"), Some("A. B."));
        assert_eq!(form.text("empty"), None);
        assert_eq!(form.text("notes"), Some("<b>"));
        assert!(form.checked("skin"));
        assert!(!form.checked("missing"));
    }

    #[test]
    fn decoding_is_strict_utf8_and_keeps_escaped_plus_and_replacement_characters() {
        let form =
            FormData::parse("a=1%2B1+%C3%A9&b=%EF%BF%BD&c=caf\u{e9}".as_bytes()).expect("UTF-8");
        assert_eq!(form.raw("a"), Some("1+1 \u{e9}"));
        assert_eq!(
            form.raw("b"),
            Some("\u{fffd}"),
            "a real U+FFFD is text like any other"
        );
        assert_eq!(form.raw("c"), Some("caf\u{e9}"));
        assert_eq!(
            FormData::parse(b"patient_label=\xff\xfe").err(),
            Some(FormError::BodyNotUtf8)
        );
        assert_eq!(
            FormData::parse(b"patient_label=%FF%FE").err(),
            Some(FormError::ValueNotUtf8 {
                field: "patient_label".into()
            })
        );
        assert_eq!(
            FormData::parse(b"%C3=x").err(),
            Some(FormError::NameNotUtf8)
        );
    }

    #[test]
    fn a_repeated_single_valued_field_is_refused_and_check_box_groups_are_not() {
        let form =
            FormData::parse(b"discharge=none&symptoms=fever&discharge=yellow").expect("UTF-8");
        assert_eq!(
            form.single_valued().err(),
            Some(FormError::Repeated {
                field: "discharge".into()
            })
        );
        let form = FormData::parse(b"symptoms=fever&symptoms=hives&skin=dry&skin=oily&areas=face&areas=neck&services=a&services=b&discharge=none")
            .expect("UTF-8");
        let form = form.single_valued().expect("check-box groups repeat");
        assert_eq!(form.all("symptoms"), ["fever", "hives"]);
        // A blank copy counts too: `x=&x=38.6` must not read as "no temperature".
        let form = FormData::parse(b"temperature_c=&temperature_c=38.6").expect("UTF-8");
        assert!(form.single_valued().is_err());
    }
}
