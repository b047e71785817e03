//! One error type for handlers, and the JSON error of the open data API.
//!
//! Handlers return [`AppError`]; it becomes a bare status marked as an
//! error page, and the surface the request came through decides how that
//! looks: the public site renders a Swedish page with the help box, the
//! back office its own page (or the sign-in for a 401), the API JSON.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::db::writer::WriteError;
use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("request body not received in time")]
    BodyTimeout,
    /// Not signed in (the back office sends such a visitor to sign in).
    #[error("not signed in")]
    Unauthorized,
    /// Signed in, but without the right.
    #[error("forbidden")]
    Forbidden,
    /// The change collides with another one (shown to the person).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Input that breaks a rule, field by field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    #[error("render: {0}")]
    Render(String),
}

/// One field's problem, already in words for the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Db(DbError::Sqlx(e))
    }
}

/// Marks a response whose page the surface must render, with what the
/// error said for the person, if anything.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub messages: Vec<String>,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Db(_) | AppError::Write(_) | AppError::Template(_) | AppError::Render(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            // The cause goes to the log; the person gets a plain page.
            tracing::error!(error = %self, "request failed");
        }
        let messages = match &self {
            AppError::Conflict(message) => vec![message.clone()],
            AppError::Invalid(errors) => errors.iter().map(|e| e.message.clone()).collect(),
            _ => vec![],
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage { messages });
        if matches!(self, AppError::PayloadTooLarge | AppError::BodyTimeout) {
            // The rest of the body was not read: the connection cannot be reused.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
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

/// Turns a unique-constraint violation into a form error, so "this e-mail
/// address is already taken" is said in words instead of as a 500.
pub trait OnConstraint<T> {
    /// `names` are the constraint (PostgreSQL) or `table.column` (SQLite)
    /// that the violation must concern.
    fn on_unique(self, names: &[&str], field: &str, message: &str) -> Result<T, AppError>;
}

impl<T, E: Into<AppError>> OnConstraint<T> for Result<T, E> {
    fn on_unique(self, names: &[&str], field: &str, message: &str) -> Result<T, AppError> {
        self.map_err(|e| {
            let e: AppError = e.into();
            let sqlx = match &e {
                AppError::Db(DbError::Sqlx(s)) => Some(s),
                AppError::Write(w) => w.sqlx(),
                _ => None,
            };
            let concerns = sqlx
                .and_then(|s| s.as_database_error())
                .filter(|d| d.is_unique_violation())
                .is_some_and(|d| {
                    names
                        .iter()
                        .any(|n| d.constraint() == Some(*n) || d.message().contains(*n))
                });
            if concerns {
                AppError::Invalid(vec![FieldError {
                    field: field.to_owned(),
                    message: message.to_owned(),
                }])
            } else {
                e
            }
        })
    }
}

/// The open data API's errors: JSON, never a web page.
#[derive(Debug)]
pub enum ApiError {
    BadRequest(String),
    NotFound,
    MethodNotAllowed,
    Internal,
}

impl ApiError {
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError::BadRequest(message.into())
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => ApiError::NotFound,
            other => {
                // The cause goes to the log; clients only learn that it failed.
                tracing::error!(error = %other, "API request failed");
                ApiError::Internal
            }
        }
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        AppError::from(e).into()
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m.as_str()),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not found"),
            ApiError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method not allowed"),
            ApiError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
        };
        (status, Json(ErrorBody { error: message })).into_response()
    }
}
