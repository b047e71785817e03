//! The public surface: the domains' public pages, the quick exit and the
//! assets, behind the public layer: no cookie is ever set, and every error
//! is a Swedish page that still has the help box and the quick exit.

mod errors;
pub mod exit;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use crate::web::compress;
use crate::web::error::{needs_page, AppError};
use crate::web::i18n::Locale;
use crate::web::middleware::refuse_oversized;
use crate::web::{assets, AppState};

/// Every public route.
pub fn router(state: &AppState) -> Router<AppState> {
    // Parsed and checked as an http(s) URL at start, so it is ASCII.
    let exit_location = HeaderValue::from_str(state.config.site.quick_exit_url.as_str())
        .expect("a validated URL is a header value");
    let routes = Router::new()
        .merge(crate::content::routes::router())
        .merge(crate::help::routes::router())
        .merge(crate::events::routes::router())
        .merge(crate::cases::routes::router())
        .route(
            "/lamna",
            get(move || async move { exit::leave(exit_location) }),
        )
        .route("/assets/{file}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .fallback(not_found);
    surface(routes, state)
}

/// Puts `routes` behind the public layer.
pub fn surface(routes: Router<AppState>, state: &AppState) -> Router<AppState> {
    routes.layer(middleware::from_fn_with_state(state.clone(), frame))
}

async fn not_found() -> AppError {
    AppError::NotFound
}

async fn frame(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let locale = Locale::of_uri(request.uri());
    let encoding = compress::negotiate(request.headers());
    let mut response = match refuse_oversized(&request) {
        Some(refused) => refused,
        None => next.run(request).await,
    };
    if needs_page(&response) {
        response = errors::render(&state, locale, response, encoding).await;
    }
    // Public pages never set cookies: a visit must leave nothing behind,
    // whatever a handler or a future layer does.
    response.headers_mut().remove(header::SET_COOKIE);
    response
}
