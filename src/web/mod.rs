//! The HTTP layer: shared state, the router, and the middleware every
//! response passes through.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;

pub mod assets;
pub mod cache;
pub mod client_ip;
pub mod compress;
pub mod error;
pub mod format;
pub mod headers;
pub mod i18n;
pub mod log;
pub mod pages;
pub mod server;

const X_FORWARDED_FOR: header::HeaderName = header::HeaderName::from_static("x-forwarded-for");

/// Largest request body accepted anywhere. Public forms are small; a bigger
/// body is refused with a Swedish 413 page before it is read.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Shared state. One `Arc` around everything: axum clones the state for
/// every request and every layer, so a clone must be one counter bump.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub config: Arc<Config>,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub i18n: Arc<i18n::I18n>,
    pub assets: Arc<assets::Assets>,
    pub pages: Arc<cache::PageCache>,
    pub request_log: log::RequestLog,
    pub writer: crate::db::writer::Writer,
    pub form_tokens: crate::cases::protection::FormTokens,
    pub rate_limiter: crate::cases::protection::RateLimiter,
    /// Acknowledgement e-mails per client and hour.
    pub ack_limiter: crate::cases::protection::RateLimiter,
    /// Set once a request arrived with X-Forwarded-For although no proxy
    /// is trusted, so the warning is logged only once.
    pub forwarded_warned: std::sync::atomic::AtomicBool,
    /// Wakes the mail worker when a case has been stored.
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// `FRIDHEM_BASE_URL` as an origin, for the forms' origin check.
    pub base_origin: String,
}

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub fn router(state: AppState) -> Router {
    let page = |path: &'static str| {
        get(
            move |State(state): State<AppState>, encoding: compress::Encoding| {
                crate::content::routes::page(state, encoding, path)
            },
        )
    };
    Router::new()
        .route("/", page("/"))
        .route("/hjalp", get(crate::help::routes::directory))
        .route("/orolig-for-nagon", page("/orolig-for-nagon"))
        .route("/inte-ensam", page("/inte-ensam"))
        .route(
            "/en-manad-fri-fran-vald",
            get(crate::content::routes::campaign),
        )
        .route("/dolj-ditt-besok", page("/dolj-ditt-besok"))
        .route("/tillganglighet", get(crate::content::routes::statement))
        .route("/personuppgifter", get(crate::content::routes::privacy))
        .route("/lamna", get(crate::exit::leave))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/assets/{file}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .merge(crate::help::openreferral::routes())
        .merge(crate::cases::routes::routes())
        .fallback(not_found)
        // Router::layer wraps each route, after routing, so the frame sees
        // the matched route pattern for the log.
        .layer(middleware::from_fn_with_state(state.clone(), frame))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

async fn not_found() -> error::AppError {
    error::AppError::NotFound
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => "ok".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// What every response passes through, in one middleware because each
/// layer costs an allocation and a clone per request: an oversized body is
/// refused before it is read, error statuses get their Swedish page,
/// uncompressed HTML is compressed, the security headers are set and one log
/// line is written.
async fn frame(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().cloned();
    let encoding = compress::negotiate(request.headers());
    // Open data clients expect JSON errors, not a web page.
    let is_api = request.uri().path().starts_with("/openreferral");
    if !state
        .forwarded_warned
        .load(std::sync::atomic::Ordering::Relaxed)
        && state.config.trusted_proxies.is_empty()
        && request.headers().contains_key(X_FORWARDED_FOR)
        && !state
            .forwarded_warned
            .swap(true, std::sync::atomic::Ordering::Relaxed)
    {
        tracing::warn!(
            "a request came with X-Forwarded-For but FRIDHEM_TRUSTED_PROXIES is not set: \
             if a reverse proxy is in front, every visitor shares its address (and its limits)"
        );
    }
    let declared_len = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());

    let mut response = if declared_len.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
        // The body is never read; close the connection rather than drain it.
        let mut r = StatusCode::PAYLOAD_TOO_LARGE.into_response();
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        r.extensions_mut().insert(error::ErrorPage);
        r
    } else {
        next.run(request).await
    };
    if !is_api && error::needs_page(&response) {
        response = error::render_page(&state, response, encoding).await;
    }
    let mut response = headers::compress_html(response, encoding).await;
    headers::apply(
        response.headers_mut(),
        state.config.is_https(),
        state.assets.csp(),
    );
    state
        .request_log
        .request(&method, route.as_ref(), response.status(), start);
    response
}
