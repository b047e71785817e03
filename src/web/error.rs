//! One error type for the HTTP layer and the one place where errors become
//! responses. Handlers return `AppError`; the `error_pages` middleware turns
//! every error status into a full Swedish page with the help box and the
//! quick exit, because a visitor in danger may land on any of them.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Db(DbError::Sqlx(e))
    }
}

/// Marks a response whose body the `error_pages` middleware must render.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Db(_) | AppError::Template(_) => {
                // The cause goes to the log; the visitor gets a plain page.
                tracing::error!(error = %self, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage);
        response
    }
}

/// Replaces error responses that carry no page of their own (our own
/// errors, the router's 404/405, the body limit's 413) with a rendered page.
pub async fn error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let marked = response.extensions().get::<ErrorPage>().is_some();
    if !(marked || (status.is_client_error() || status.is_server_error()) && !is_html) {
        return response;
    }
    // Open data clients expect JSON errors, not a Swedish web page.
    if path.starts_with("/openreferral") {
        return response;
    }
    let mut page = match super::pages::error_page(&state, status, &path).await {
        Ok(page) => page,
        Err(e) => {
            tracing::error!(error = %e, "could not render error page");
            super::pages::fallback_error_page(&state, status)
        }
    };
    *page.status_mut() = status;
    // Keep headers that mean something for the error (e.g. Allow on 405).
    if let Some(allow) = response.headers().get(header::ALLOW) {
        page.headers_mut().insert(header::ALLOW, allow.clone());
    }
    page
}
