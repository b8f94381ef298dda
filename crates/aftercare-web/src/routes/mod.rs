//! The HTML routes and the one place they are put together with the JSON API and the
//! cross-cutting layers: security headers, request ids, tracing, metrics, timeouts, CSRF,
//! body limits and the rate limits on sign-in and patient links.
//!
//! Each module has `fn router()`; what belongs in a module is said at its top.

pub mod admin;
pub mod assets;
pub mod auth;
pub mod catalog;
pub mod clinic;
pub mod directory;
pub mod feeds;
pub mod health;
pub mod patient;
pub mod shelf;

use std::time::Duration;

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request},
    http::{Method, StatusCode},
    middleware,
    response::{IntoResponse, Response},
};
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{
    api,
    error::{ApiError, AppError},
    security::{self, RateLimitConfig},
    state::AppState,
    telemetry,
};

/// The whole app, and the rate limiters' configurations (for housekeeping).
///
/// # Errors
/// When a configured trusted origin or rate limit is invalid.
pub fn build_router(state: &AppState) -> anyhow::Result<(Router, Vec<RateLimitConfig>)> {
    let settings = state.settings();
    let trust = settings.security.trust_proxy_headers;
    let limits = &settings.rate_limit;
    let sign_in = security::rate_limit_config(
        trust,
        limits.sign_in_burst,
        Duration::from_secs(limits.sign_in_period_seconds.max(1)),
        &[Method::POST],
    )?;
    let patient = security::rate_limit_config(
        trust,
        limits.patient_burst,
        Duration::from_millis(limits.patient_period_millis.max(1)),
        &[],
    )?;

    let app = Router::new()
        .merge(health::router())
        .merge(assets::router())
        .merge(auth::router())
        .merge(auth::limited_router().layer(security::rate_limit_layer(&sign_in)))
        .merge(clinic::router())
        .merge(directory::router())
        .merge(admin::router(settings.limits.upload_bytes))
        .merge(catalog::router(settings.limits.upload_bytes))
        .merge(patient::router().layer(security::rate_limit_layer(&patient)))
        .merge(shelf::patient_router().layer(security::rate_limit_layer(&patient)))
        .merge(shelf::clinic_router())
        .merge(feeds::router().layer(security::rate_limit_layer(&patient)))
        .merge(api::router(&sign_in)?)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(settings.limits.body_bytes))
        .layer(security::csrf_layer(
            state.public_url(),
            &settings.security.trusted_origins,
        )?)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(settings.server.request_timeout_seconds.max(1)),
        ))
        .layer(middleware::from_fn(crate::metrics::track))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(telemetry::request_span)
                .on_request(())
                .on_response(telemetry::log_response),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::security_headers,
        ))
        .with_state(state.clone());
    Ok((app, vec![sign_in, patient]))
}

async fn not_found(request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        ApiError(AppError::NotFound).into_response()
    } else {
        AppError::NotFound.into_response()
    }
}
