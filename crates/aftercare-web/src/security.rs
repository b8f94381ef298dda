//! Browser-facing protections: security headers with a strict Content-Security-Policy (no
//! scripts at all, styles and images only from this origin), cross-site request forgery
//! protection on every state-changing request, and rate limits on sign-in and patient links.
//!
//! CSRF follows the Fetch-metadata scheme (`Sec-Fetch-Site`, then `Origin` against `Host`) of
//! tower-http's `CsrfLayer`: it needs no token in forms, and together with `SameSite=Lax`
//! cookies it stops cross-site form posts. What does not belong here: authentication itself
//! (`auth`).

use std::{net::IpAddr, sync::Arc, time::Duration};

use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderName, HeaderValue, Method, Response, StatusCode, header},
    middleware::Next,
    response::IntoResponse,
};
use governor::middleware::NoOpMiddleware;
use tower_governor::{
    GovernorError, GovernorLayer,
    governor::{GovernorConfig, GovernorConfigBuilder},
    key_extractor::{KeyExtractor, PeerIpKeyExtractor, SmartIpKeyExtractor},
};
use tower_http::csrf::CsrfLayer;

use crate::{
    error::{ApiError, AppError},
    state::AppState,
};

/// The Content-Security-Policy of every response: nothing but this origin's styles and
/// images, no scripts, no framing, forms only to this origin.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of a page that marks itself [`ScriptedPage`] (the practitioner search, for
/// its "Use my location" button): the same, plus scripts from this origin (no inline
/// script, no other host).
pub const SCRIPTED_CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'";

/// A response extension: this page runs this origin's script and may ask for the browser's
/// position (after the person presses a button; the browser asks them too).
#[derive(Debug, Clone, Copy)]
pub struct ScriptedPage;

/// Adds the security headers to every response, and `Cache-Control: no-store` to every
/// response that does not set its own caching (pages hold health data).
pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> axum::response::Response {
    let mut response = next.run(request).await;
    let scripted = response.extensions().get::<ScriptedPage>().is_some();
    let headers = response.headers_mut();
    let fixed: [(HeaderName, &'static str); 7] = [
        (
            header::CONTENT_SECURITY_POLICY,
            if scripted {
                SCRIPTED_CONTENT_SECURITY_POLICY
            } else {
                CONTENT_SECURITY_POLICY
            },
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            if scripted {
                "camera=(), microphone=(), geolocation=(self), payment=(), usb=()"
            } else {
                "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
            },
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.secure_cookies() {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// The CSRF layer: the public URL's origin and the configured extra origins are trusted.
///
/// # Errors
/// When a configured origin is not of the form `https://host[:port]`.
pub fn csrf_layer(
    public_url: &str,
    extra: &[String],
) -> anyhow::Result<
    CsrfLayer<impl Fn(tower_http::csrf::ProtectionError) -> Response<Body> + Clone + use<>>,
> {
    let mut layer = CsrfLayer::new();
    for origin in std::iter::once(origin_of(public_url)).chain(extra.iter().cloned()) {
        layer = layer
            .add_trusted_origin(&origin)
            .map_err(|e| anyhow::anyhow!("trusted origin '{origin}': {e}"))?;
    }
    Ok(layer.with_rejection_response(|_error| {
        AppError::Forbidden(
            "This form was sent from another site, so it was refused to protect your account. \
             Open the page on this site and send it again."
                .into(),
        )
        .into_response()
    }))
}

/// `scheme://host[:port]` of a URL (what browsers send as `Origin`).
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let authority = rest.split('/').next().unwrap_or(rest).to_ascii_lowercase();
    let authority = match scheme {
        "https" => authority
            .strip_suffix(":443")
            .unwrap_or(&authority)
            .to_owned(),
        _ => authority
            .strip_suffix(":80")
            .unwrap_or(&authority)
            .to_owned(),
    };
    format!("{scheme}://{authority}")
}

/// The client address used as the rate-limit key: the peer, or the forwarded address when
/// the app is configured to trust its reverse proxy.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp {
    trust_proxy_headers: bool,
}

impl KeyExtractor for ClientIp {
    type Key = IpAddr;

    fn extract<T>(&self, request: &axum::http::Request<T>) -> Result<IpAddr, GovernorError> {
        if self.trust_proxy_headers {
            SmartIpKeyExtractor.extract(request)
        } else {
            PeerIpKeyExtractor.extract(request)
        }
    }
}

/// A rate limiter's shared configuration (also used to forget idle clients).
pub type RateLimitConfig = Arc<GovernorConfig<ClientIp, NoOpMiddleware>>;

/// A rate limiter: `burst` requests at once, then one per `period`, per client address,
/// for the given methods (all when empty).
///
/// # Errors
/// When the burst or the period is zero.
pub fn rate_limit_config(
    trust_proxy_headers: bool,
    burst: u32,
    period: Duration,
    methods: &[Method],
) -> anyhow::Result<RateLimitConfig> {
    let mut builder = GovernorConfigBuilder::default().key_extractor(ClientIp {
        trust_proxy_headers,
    });
    builder.period(period).burst_size(burst);
    if !methods.is_empty() {
        builder.methods(methods.to_vec());
    }
    let config = builder
        .finish()
        .ok_or_else(|| anyhow::anyhow!("a rate limit needs a burst and a period above zero"))?;
    Ok(Arc::new(config))
}

/// The layer for HTML routes: 429 with a page that says how long to wait.
pub fn rate_limit_layer(config: &RateLimitConfig) -> GovernorLayer<ClientIp, NoOpMiddleware, Body> {
    GovernorLayer::new(Arc::clone(config)).error_handler(|error| {
        too_many(error, |message| {
            AppError::TooManyRequests(message).into_response()
        })
    })
}

/// The layer for API routes: 429 with a JSON error.
pub fn api_rate_limit_layer(
    config: &RateLimitConfig,
) -> GovernorLayer<ClientIp, NoOpMiddleware, Body> {
    GovernorLayer::new(Arc::clone(config)).error_handler(|error| {
        too_many(error, |message| {
            ApiError(AppError::TooManyRequests(message)).into_response()
        })
    })
}

fn too_many(
    error: GovernorError,
    respond: impl Fn(String) -> axum::response::Response,
) -> Response<Body> {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => {
            let mut response = respond(format!(
                "Too many attempts. Please wait {wait_time} seconds and try again."
            ));
            if let Ok(value) = HeaderValue::from_str(&wait_time.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        GovernorError::UnableToExtractKey => {
            AppError::internal(anyhow::anyhow!("rate limiter: no client address")).into_response()
        }
        GovernorError::Other { code, msg, .. } => {
            let mut response =
                AppError::BadRequest(msg.unwrap_or_else(|| "Request refused.".into()))
                    .into_response();
            *response.status_mut() = if code.is_client_error() {
                code
            } else {
                StatusCode::BAD_REQUEST
            };
            response
        }
    }
}

/// Forgets clients that have been idle long enough to have a full burst again, once a
/// minute, so the limiter's memory stays bounded.
pub fn spawn_rate_limit_housekeeping(configs: Vec<RateLimitConfig>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(Duration::from_secs(60));
        loop {
            ticker.tick().await;
            for config in &configs {
                config.limiter().retain_recent();
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_drop_paths_and_default_ports() {
        assert_eq!(
            origin_of("https://Clinic.example:443/app/"),
            "https://clinic.example"
        );
        assert_eq!(origin_of("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
    }
}
