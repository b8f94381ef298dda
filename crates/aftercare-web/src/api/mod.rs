//! The JSON API under `/api/v1`, and its OpenAPI 3 document at `/api/openapi.json`,
//! generated from the handlers' `#[utoipa::path]` annotations and the `*Request` /
//! `*Response` types.
//!
//! - `stateless.rs`: `POST /api/v1/plan`, `/check` and `/triage`, taking the CONTRACT inputs
//!   and answering the CONTRACT outputs, with the built-in protocol; no account needed;
//! - `clinic.rs`: sessions and the clinic's treatments, links and alerts, for a signed-in
//!   practitioner (session cookie or `Authorization: Bearer <token>`).
//!
//! Errors are always `{"error": {"code", "message"}}` with the right status.

pub mod clinic;
pub mod directory;
pub mod stateless;

use axum::{
    Router,
    http::{HeaderValue, header},
    response::IntoResponse,
    routing::get,
};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    error::{ErrorBody, ErrorResponse},
    security::{self, RateLimitConfig},
    state::AppState,
};

/// The OpenAPI document's fixed part.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "aftercare",
        description = "Post-microneedling aftercare: a personalised plan, an ingredient checker and \
                       symptom triage, and the clinic's treatments, patient links and alerts. The \
                       advice supports the practitioner; it never replaces them.",
        license(name = "MIT OR Apache-2.0")
    ),
    tags(
        (name = "stateless", description = "Plan, ingredient check and triage from the CONTRACT inputs; no account needed."),
        (name = "clinic", description = "A clinic's treatments, links and alerts; needs a session."),
        (name = "directory", description = "Find a trained, licensed practitioner near a city or a point; no account needed. Only opted-in, clinic-approved profiles are listed.")
    ),
    components(schemas(ErrorResponse, ErrorBody)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// Adds the session token as a bearer security scheme.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token from POST /api/v1/sessions, or the browser's session cookie.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The API's OpenAPI router (routes and document together).
pub fn openapi_router(sign_in: &RateLimitConfig) -> OpenApiRouter<AppState> {
    let sessions = OpenApiRouter::new()
        .routes(routes!(clinic::create_session))
        .layer(security::api_rate_limit_layer(sign_in));
    OpenApiRouter::<AppState>::with_openapi(ApiDoc::openapi())
        .routes(routes!(stateless::plan))
        .routes(routes!(crate::products::check_api))
        .routes(routes!(stateless::triage))
        .merge(sessions)
        .routes(routes!(clinic::delete_session))
        .routes(routes!(clinic::list_treatments, clinic::create_treatment))
        .routes(routes!(clinic::get_treatment))
        .routes(routes!(clinic::create_link))
        .routes(routes!(clinic::revoke_link))
        .routes(routes!(clinic::list_alerts))
        .routes(routes!(clinic::acknowledge_alert))
        .routes(routes!(directory::search_practitioners))
}

/// The OpenAPI document as pretty JSON.
///
/// # Errors
/// When the document cannot be serialised (it always can).
pub fn openapi_json(sign_in: &RateLimitConfig) -> anyhow::Result<String> {
    Ok(openapi_router(sign_in).into_openapi().to_pretty_json()?)
}

/// The API routes, with `GET /api/openapi.json`.
///
/// # Errors
/// When the OpenAPI document cannot be serialised.
pub fn router(sign_in: &RateLimitConfig) -> anyhow::Result<Router<AppState>> {
    let (router, document) = openapi_router(sign_in).split_for_parts();
    let json = document.to_pretty_json()?;
    Ok(router.route(
        "/api/openapi.json",
        get(move || {
            let json = json.clone();
            async move {
                (
                    [
                        (
                            header::CONTENT_TYPE,
                            HeaderValue::from_static("application/json"),
                        ),
                        (
                            header::CACHE_CONTROL,
                            HeaderValue::from_static("public, max-age=300"),
                        ),
                    ],
                    json,
                )
                    .into_response()
            }
        }),
    ))
}
