//! `/lamna`: the quick exit without JavaScript. Answers with Clear-Site-Data
//! and a redirect to the neutral exit page; the link that leads here carries
//! rel="noreferrer", and the redirect adds no-referrer on top.

use axum::extract::State;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::web::AppState;

pub async fn leave(State(state): State<AppState>) -> Response {
    let location = HeaderValue::from_str(state.config.quick_exit_url.as_str())
        .expect("a parsed URL is a valid header value");
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
