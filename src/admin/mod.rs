//! The back office's surface under `/admin`: its own frame (no quick exit,
//! no help box), never cached or indexed, and its own error pages. Unlike
//! the public surface it may set cookies, for staff sessions. The routes
//! come with staff sign-in; until then every address here is a 404 in the
//! staff frame.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::web::error::{needs_page, AppError, ErrorPage};
use crate::web::i18n::Locale;
use crate::web::layout::AdminLayout;
use crate::web::middleware::refuse_oversized;
use crate::web::render::html;
use crate::web::AppState;

/// The routes under `/admin` (to be nested there).
pub fn router(state: &AppState) -> Router<AppState> {
    surface(Router::new().fallback(not_found), state)
}

/// Puts `routes` behind the staff layer.
pub fn surface(routes: Router<AppState>, state: &AppState) -> Router<AppState> {
    routes.layer(middleware::from_fn_with_state(state.clone(), frame))
}

async fn not_found() -> AppError {
    AppError::NotFound
}

const X_ROBOTS_TAG: HeaderName = HeaderName::from_static("x-robots-tag");

async fn frame(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let locale = Locale::default();
    let mut response = match refuse_oversized(&request) {
        Some(refused) => refused,
        None => next.run(request).await,
    };
    if needs_page(&response) {
        response = error_page(&state, locale, response);
    }
    response
        .headers_mut()
        .insert(X_ROBOTS_TAG, HeaderValue::from_static("noindex, nofollow"));
    response
}

#[derive(Template)]
#[template(path = "admin/error.html")]
struct ErrorTemplate {
    layout: AdminLayout,
    body: String,
    messages: Vec<String>,
}

fn error_page(state: &AppState, locale: Locale, response: Response) -> Response {
    let status = response.status();
    let t = state.i18n.catalogue(locale.0);
    let (title_key, body_key) = match status.as_u16() {
        401 => ("admin-error-401-title", "admin-error-401-body"),
        403 => ("admin-error-403-title", "admin-error-403-body"),
        404 => ("admin-error-404-title", "admin-error-404-body"),
        409 => ("error-409-title", "error-409-body"),
        400..=499 => ("error-400-title", "error-400-body"),
        _ => ("error-500-title", "admin-error-500-body"),
    };
    let messages = response
        .extensions()
        .get::<ErrorPage>()
        .map(|e| e.messages.clone())
        .unwrap_or_default();
    let page = html(&ErrorTemplate {
        layout: AdminLayout::new(state, locale, t.t(title_key)),
        body: t.t(body_key).to_owned(),
        messages,
    });
    let mut page = page.unwrap_or_else(|e| {
        tracing::error!(error = %e, "could not render staff error page");
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    });
    *page.status_mut() = status;
    page
}
