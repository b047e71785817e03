//! One structured log line per request: method, route pattern, status and
//! latency. Deliberately never the client address, the query string, the
//! concrete path or the user agent: a log must not reveal who looked for help.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

pub async fn log_request(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = request.method().clone();
    // Unmatched paths are logged as one bucket: the path itself could be
    // something a visitor typed.
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "(unmatched)".to_owned());
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let latency_us = start.elapsed().as_micros() as u64;
    tracing::info!(target: "fridhem::request", %method, route, status, latency_us, "request");
    response
}
