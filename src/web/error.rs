//! One error type for the HTTP layer and the one place where errors become
//! responses. Handlers return `AppError`; `web::frame` turns every error
//! status into a full Swedish page with the help box and the quick exit.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use super::compress::Encoding;
use super::AppState;
use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("request body not received in time")]
    BodyTimeout,
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    #[error("render: {0}")]
    Render(String),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Db(DbError::Sqlx(e))
    }
}

/// Marks a response whose page `render_page` must render.
#[derive(Debug, Clone, Copy)]
pub struct ErrorPage;

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            AppError::Db(_) | AppError::Template(_) | AppError::Render(_) => {
                // The cause goes to the log; the visitor gets a plain page.
                tracing::error!(error = %self, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage);
        if matches!(self, AppError::PayloadTooLarge | AppError::BodyTimeout) {
            // The rest of the body was not read: the connection cannot be reused.
            response.headers_mut().insert(
                header::CONNECTION,
                axum::http::HeaderValue::from_static("close"),
            );
        }
        response
    }
}

/// Whether a response is an error that still needs its page: our own
/// errors, and the router's or extractors' plain-text 404/405/413/415.
pub fn needs_page(response: &Response) -> bool {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return false;
    }
    if response.extensions().get::<ErrorPage>().is_some() {
        return true;
    }
    !response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
}

/// Replaces an error response with a full Swedish page that still has the
/// help box and the quick exit: a visitor in danger may land on any of them.
pub async fn render_page(state: &AppState, response: Response, encoding: Encoding) -> Response {
    let status = response.status();
    let mut page = match super::pages::error_page(state, status, encoding).await {
        Ok(page) => page,
        Err(e) => {
            tracing::error!(error = %e, "could not render error page");
            super::pages::fallback_error_page(state, status)
        }
    };
    *page.status_mut() = status;
    // Keep headers that mean something for the error (e.g. Allow on 405).
    for name in [header::ALLOW, header::CONNECTION] {
        if let Some(v) = response.headers().get(&name) {
            page.headers_mut().insert(name, v.clone());
        }
    }
    page
}
