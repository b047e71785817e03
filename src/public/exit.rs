//! `/lamna`: the quick exit without JavaScript. Answers with Clear-Site-Data
//! and a redirect to the neutral exit page; the link that leads here carries
//! rel="noreferrer", and the redirect adds no-referrer on top.

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The answer to `/lamna`, with the exit page's address built once.
pub fn leave(location: HeaderValue) -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, location),
            (
                HeaderName::from_static("clear-site-data"),
                HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""),
            ),
        ],
    )
        .into_response()
}
