//! The JSON API under `/api/v1`, and its OpenAPI 3 document at `/api/openapi.json`,
//! generated from the handlers' `#[utoipa::path]` annotations and the `*Request` /
//! `*Response` types.
//!
//! - `stateless.rs`: `POST /api/v1/plan`, `/check` and `/triage`, taking the CONTRACT inputs
//!   and answering the CONTRACT outputs, with the built-in protocol; no account needed;
//! - `clinic.rs`: sessions and the clinic's treatments, links and alerts, for a signed-in
//!   practitioner (session cookie or `Authorization: Bearer <token>`);
//! - `schema.rs`: the document's schemas of vocabulary ids and bounded numbers in requests.
//!
//! Errors are always `{"error": {"code", "message"}}` with the right status.

pub mod clinic;
pub mod directory;
pub mod schema;
pub mod stateless;

use axum::{
    Router,
    http::{HeaderValue, header},
    response::IntoResponse,
    routing::get,
};
use utoipa::{
    Modify, OpenApi,
    openapi::{
        Content, Object, Ref, RefOr, Response, ResponseBuilder, Type,
        header::HeaderBuilder,
        path::Operation,
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
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

/// The answers that come from the layers and extractors every operation shares rather than from
/// the handler itself, so the document lists every status a client can meet (schemathesis's
/// `status_code_conformance` in `tools/api-fuzz` checks it):
///
/// - an operation with a JSON body: 400 (not JSON), 413 (larger than `[limits] body_bytes`),
///   415 (not sent as `application/json`) and 422 (a missing field, a wrong type or a value the
///   schema cannot express, such as an unknown time zone) from [`crate::extract::ApiJson`];
/// - an operation that reads or writes the database (all but the `stateless` ones): 503 with
///   `Retry-After` when the database is busy or out of reach ([`crate::error::AppError`]).
///
/// A response an operation documents itself is kept as it is.
fn document_shared_answers(document: &mut utoipa::openapi::OpenApi) {
    for item in document.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            add_shared_answers(operation);
        }
    }
}

fn add_shared_answers(operation: &mut Operation) {
    let mut answers: Vec<(&str, Response)> = Vec::new();
    if operation.request_body.is_some() {
        answers.extend([
            (
                "400",
                error_answer("The body is not JSON (a syntax error) or could not be read"),
            ),
            (
                "413",
                error_answer("The body is larger than the server's limit ([limits] body_bytes)"),
            ),
            (
                "415",
                error_answer("The body is not sent with Content-Type: application/json"),
            ),
            (
                "422",
                error_answer(
                    "The JSON does not have the expected shape (a missing field, a wrong type) \
                     or a value is not acceptable; the message names it",
                ),
            ),
        ]);
    }
    let stateless = operation
        .tags
        .as_ref()
        .is_some_and(|tags| tags.iter().any(|tag| tag == "stateless"));
    if !stateless {
        let busy = ResponseBuilder::new()
            .description(
                "The database is busy or out of reach; nothing was written. Send the same \
                 request again after the seconds in Retry-After",
            )
            .content("application/json", error_content())
            .header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(Some(Object::with_type(Type::Integer)))
                    .description(Some("Seconds to wait before retrying"))
                    .build(),
            )
            .build();
        answers.push(("503", busy));
    }
    for (status, answer) in answers {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert(RefOr::T(answer));
    }
}

fn error_content() -> Content {
    Content::new(Some(Ref::from_schema_name("ErrorResponse")))
}

fn error_answer(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", error_content())
        .build()
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
    let mut document = openapi_router(sign_in).into_openapi();
    document_shared_answers(&mut document);
    Ok(document.to_pretty_json()?)
}

/// The API routes, with `GET /api/openapi.json`.
///
/// # Errors
/// When the OpenAPI document cannot be serialised.
pub fn router(sign_in: &RateLimitConfig) -> anyhow::Result<Router<AppState>> {
    let (router, mut document) = openapi_router(sign_in).split_for_parts();
    document_shared_answers(&mut document);
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
