//! What people read: askama templates (`templates/`, HTML-escaped by default) and the `*Page`
//! structs that fill them, plus the helpers that turn a page into a response.
//!
//! Pages hold ready-to-show strings and small view structs; they do no I/O. What does not
//! belong here: deciding what to show (routes do that) and JSON (the API module).

pub mod auth;
pub mod calendar;
pub mod catalog;
pub mod clinic;
pub mod directory;
pub mod patient;
pub mod shelf;

use askama::Template;
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// The clinic navigation bar.
#[derive(Debug, Clone)]
pub struct ClinicNav {
    /// The clinic's name.
    pub clinic_name: String,
    /// The signed-in user's name.
    pub user_name: String,
    /// Whether to show the admin links.
    pub is_admin: bool,
    /// Which link is the current page.
    pub active: &'static str,
}

/// The patient navigation bar and footer.
#[derive(Debug, Clone)]
pub struct PatientNav {
    /// The link's token (already validated as 64 hex digits).
    pub token: String,
    /// The clinic's name.
    pub clinic_name: String,
    /// The clinic's phone.
    pub clinic_phone: String,
    /// The local emergency number.
    pub emergency_number: String,
    /// Which link is the current page.
    pub active: &'static str,
}

/// A page for an error.
#[derive(Debug, Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPage {
    /// The status code.
    pub status: u16,
    /// What to tell the person.
    pub message: String,
}

impl ErrorPage {
    fn title(&self) -> &'static str {
        match self.status {
            400 | 422 => "Please check your input",
            401 => "Please sign in",
            403 => "Not allowed",
            404 => "Not found",
            409 => "Already done",
            410 => "This link no longer works",
            413 => "Too large",
            415 => "Unsupported format",
            429 => "Too many attempts",
            503 => "Busy",
            _ => "Something went wrong",
        }
    }
}

/// Renders a page with status 200.
pub fn render<T: Template>(page: &T) -> Response {
    render_status(StatusCode::OK, page)
}

/// Renders a page with `status`; a template that fails to render is logged and answered 500.
pub fn render_status<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => {
            let mut response = (status, html).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            response
        }
        Err(error) => {
            tracing::error!(%error, "template failed to render");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side.",
            )
                .into_response()
        }
    }
}

/// A short confirmation shown after a redirect, chosen by a fixed key (never user text).
pub fn flash_message(key: Option<&str>) -> Option<&'static str> {
    match key? {
        "acknowledged" => Some("The alert was acknowledged."),
        "revoked" => Some("The link was revoked. It no longer opens the plan."),
        "password" => Some("Your password was changed. Your other sessions were signed out."),
        "invited" => Some("The invitation was created."),
        "uploaded" => Some("The protocol was uploaded and validated."),
        "default" => Some("The clinic's default protocol was changed."),
        "catalog" => Some("The product catalog was checked and saved."),
        "catalog_reset" => Some("The clinic now uses the built-in product catalog."),
        "welcome" => Some("Welcome! Your account is ready."),
        _ => None,
    }
}

/// Per-field messages of a form that was sent back, in form order.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors {
    list: Vec<(&'static str, String)>,
}

impl FieldErrors {
    /// Adds a message for `field` (the input's `id`).
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.list.push((field, message.into()));
    }

    /// The message for `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.list
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every (field, message), for the summary at the top of the form.
    pub fn all(&self) -> &[(&'static str, String)] {
        &self.list
    }

    /// The messages joined in one sentence, each after its field as the API names it
    /// (`renamed` maps form field names to API ones: `("treated_date", "treated_at")`).
    pub fn sentence(&self, renamed: &[(&str, &'static str)]) -> String {
        self.list
            .iter()
            .map(|(field, message)| {
                let field = renamed
                    .iter()
                    .find(|(form, _)| form == field)
                    .map_or(*field, |(_, api)| api);
                format!("`{field}`: {message}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}
