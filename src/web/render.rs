//! Templates to responses.

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::error::AppError;

/// Renders a page for the cache: status and HTML.
pub fn render(template: &impl Template) -> Result<(StatusCode, String), AppError> {
    Ok((StatusCode::OK, template.render()?))
}

pub fn html(template: &impl Template) -> Result<Response, AppError> {
    Ok(html_string(template.render()?))
}

/// "See other": where the browser goes after a form was handled (the
/// POST-redirect-GET pattern), so reloading never sends it again.
pub fn see_other(location: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// "Moved permanently", for an address that has a canonical form.
pub fn moved_permanently(location: &str) -> Response {
    let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// A rendered page as a response.
pub fn html_string(body: String) -> Response {
    let mut response = Html(body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}
