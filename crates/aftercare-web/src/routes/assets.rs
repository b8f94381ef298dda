//! Static assets, compiled into the binary (no files to deploy, no third-party hosts): the
//! stylesheet, the print stylesheet and the practitioner search's "Use my location" script
//! (the only script: the pages work without it). They are public and cacheable.

use axum::{
    Router,
    http::{HeaderValue, header},
    response::IntoResponse,
    routing::get,
};

use crate::state::AppState;

const APP_CSS: &str = include_str!("../../static/app.css");
const PRINT_CSS: &str = include_str!("../../static/print.css");
const NEAR_ME_JS: &str = include_str!("../../static/near-me.js");

const CSS: &str = "text/css; charset=utf-8";
const JAVASCRIPT: &str = "text/javascript; charset=utf-8";

/// The asset routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(|| async { asset(CSS, APP_CSS) }))
        .route("/static/print.css", get(|| async { asset(CSS, PRINT_CSS) }))
        .route(
            "/static/near-me.js",
            get(|| async { asset(JAVASCRIPT, NEAR_ME_JS) }),
        )
}

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        body,
    )
}
