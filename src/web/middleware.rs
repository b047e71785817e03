//! What every response passes through, whatever its surface: compression
//! of HTML that is not compressed yet, the security headers, and one log
//! line. In one middleware because each layer costs an allocation and a
//! clone per request. What differs per surface (error pages, cookies, the
//! body limit's answer) is in the surface's own layer.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::cache::Served;
use super::compress;
use super::error::{AppError, ErrorPage};
use super::headers;
use super::state::AppState;

/// Largest request body accepted anywhere. Public forms are small; a bigger
/// body is refused with a 413 before it is read.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

pub async fn common(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().cloned();
    let encoding = compress::negotiate(request.headers());
    if !state.forwarded_warned.load(Ordering::Relaxed)
        && state.config.server.trusted_proxies.is_empty()
        && request.headers().contains_key(X_FORWARDED_FOR)
        && !state.forwarded_warned.swap(true, Ordering::Relaxed)
    {
        tracing::warn!(
            "a request came with X-Forwarded-For but FRIDHEM_TRUSTED_PROXIES is not set: \
             if a reverse proxy is in front, every visitor shares its address (and its limits)"
        );
    }
    // A plain GET's path (never a query string: see web::front), so a page
    // served from the cache can arm the front door for the next request
    // (cloning a parsed URI bumps counters).
    let plain_get =
        (method == Method::GET && request.uri().query().is_none()).then(|| request.uri().clone());
    let response = next.run(request).await;
    let mut response = headers::compress_html(response, encoding).await;
    headers::apply(
        response.headers_mut(),
        state.config.is_https(),
        state.assets.csp(),
    );
    headers::strip_cookies(&mut response);
    if let (Some(uri), Some(route), Some(Served(page))) = (
        plain_get,
        route.as_ref(),
        response.extensions().get::<Served>(),
    ) {
        state
            .pages
            .remember(uri.path(), route.as_str(), page, response.headers());
    }
    state.request_log.request(
        &method,
        route.as_ref().map(MatchedPath::as_str),
        response.status(),
        start,
    );
    response
}

/// A body that has not arrived within this time is abandoned: the header
/// timeout alone would let a client hold a connection by trickling it.
pub const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Reads a request body within the size limit and [`BODY_TIMEOUT`].
pub async fn read_body(
    body: axum::body::Body,
) -> Result<axum::body::Bytes, super::error::AppError> {
    use super::error::AppError;
    match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, MAX_BODY_BYTES)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(AppError::PayloadTooLarge),
        Err(_) => Err(AppError::BodyTimeout),
    }
}

/// Whether a request says it carries an HTML form
/// (`application/x-www-form-urlencoded`), the only body our forms send.
pub fn is_form_post(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// A 413 for a request whose declared body is over the limit, answered
/// before the body is read; `None` for any other request. The connection
/// is closed rather than drained.
pub fn refuse_oversized(request: &Request) -> Option<Response> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())?;
    if declared <= MAX_BODY_BYTES as u64 {
        return None;
    }
    let mut r = StatusCode::PAYLOAD_TOO_LARGE.into_response();
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r.extensions_mut().insert(ErrorPage { messages: vec![] });
    Some(r)
}

/// A urlencoded form body, read within the size and time limits.
pub async fn read_form(
    headers: &HeaderMap,
    body: Body,
) -> Result<HashMap<String, String>, AppError> {
    Ok(read_pairs(headers, body).await?.into_iter().collect())
}

/// The same, in order with repeated names kept (checkboxes).
pub async fn read_pairs(
    headers: &HeaderMap,
    body: Body,
) -> Result<Vec<(String, String)>, AppError> {
    if !is_form_post(headers) {
        return Err(AppError::Invalid(vec![]));
    }
    let bytes = read_body(body).await?;
    Ok(url::form_urlencoded::parse(&bytes).into_owned().collect())
}

/// A form field's value, or "" when it was not sent.
pub fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map_or("", String::as_str)
}
