//! Static assets, compiled into the binary (no files to deploy, no third-party hosts): the
//! stylesheet and the print stylesheet. They are public and cacheable.

use axum::{
    Router,
    http::{HeaderValue, header},
    response::IntoResponse,
    routing::get,
};

use crate::state::AppState;

const APP_CSS: &str = include_str!("../../static/app.css");
const PRINT_CSS: &str = include_str!("../../static/print.css");

/// The asset routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(|| async { css(APP_CSS) }))
        .route("/static/print.css", get(|| async { css(PRINT_CSS) }))
}

fn css(body: &'static str) -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        body,
    )
}
