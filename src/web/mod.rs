//! The HTTP layer: shared state, the router, and the middleware every
//! response passes through.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;

pub mod assets;
pub mod compress;
pub mod error;
pub mod format;
pub mod headers;
pub mod i18n;
pub mod log;
pub mod pages;
pub mod server;

/// Largest request body accepted anywhere. Public forms are small; a bigger
/// body is refused with a Swedish 413 page before it is read.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub i18n: Arc<i18n::I18n>,
    pub assets: Arc<assets::Assets>,
}

pub fn router(state: AppState) -> Router {
    let page = |path: &'static str| {
        get(move |State(state): State<AppState>| crate::content::routes::page(state, path))
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
        .route("/lamna", get(crate::exit::leave))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/assets/{file}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .merge(crate::help::openreferral::routes())
        .fallback(not_found)
        // Layers wrap outward: the body check sits innermost so its 413 still
        // gets a rendered page and the security headers; the log is outermost
        // so it sees the final status and the whole latency.
        .layer(middleware::from_fn(refuse_large_bodies))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            error::error_pages,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            headers::security_headers,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn(log::log_request))
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

/// Refuses a declared oversized body up front, so a client cannot make the
/// server read megabytes before the extractor limit would stop it.
async fn refuse_large_bodies(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
        let mut response = StatusCode::PAYLOAD_TOO_LARGE.into_response();
        response.extensions_mut().insert(error::ErrorPage);
        // The rest of the body is not read; close rather than drain it.
        response.headers_mut().insert(
            header::CONNECTION,
            header::HeaderValue::from_static("close"),
        );
        return response;
    }
    next.run(request).await
}
