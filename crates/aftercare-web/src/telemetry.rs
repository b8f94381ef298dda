//! Structured logs with `tracing`: one subscriber for the process (pretty or JSON), and the
//! request span, which records the method, the route *pattern* and a request id, never the
//! raw path or query (patient links carry their token in the path), headers or bodies.

use axum::{
    extract::MatchedPath,
    http::{Request, Response},
};
use tracing::Span;
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::settings::{LogFormat, LogSettings};

/// Targets whose detailed (trace) events carry the request path, and so a patient link's
/// token: they are held at `info`, whatever filter the operator sets.
const CAPPED: &[&str] = &["tower_http::csrf=info"];

/// The log filter: the operator's directives (or `info` if they do not parse), with the
/// targets that would log a token capped below the level where they do.
pub fn log_filter(directives: &str) -> EnvFilter {
    let base = if EnvFilter::try_new(directives).is_ok() {
        directives
    } else {
        "info"
    };
    EnvFilter::new(
        std::iter::once(base)
            .chain(CAPPED.iter().copied())
            .collect::<Vec<_>>()
            .join(","),
    )
}

/// Installs the global subscriber once (logs go to standard error; standard output is for
/// the URL to open); later calls (tests, a second app) do nothing.
pub fn init(settings: &LogSettings) {
    let registry = tracing_subscriber::registry().with(log_filter(&settings.filter));
    let _ = match settings.format {
        LogFormat::Json => registry
            .with(
                fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_writer(std::io::stderr),
            )
            .try_init(),
        LogFormat::Pretty => registry
            .with(fmt::layer().with_target(false).with_writer(std::io::stderr))
            .try_init(),
    };
}

/// The span of one request.
pub fn request_span<B>(request: &Request<B>) -> Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |path| path.as_str());
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", method = %request.method(), route, request_id)
}

/// Logs the outcome of a request (status and latency; nothing from the body).
pub fn log_response<B>(response: &Response<B>, latency: std::time::Duration, _span: &Span) {
    let status = response.status().as_u16();
    let millis = latency.as_millis();
    if status >= 500 {
        tracing::error!(status, millis, "response");
    } else {
        tracing::info!(status, millis, "response");
    }
}
