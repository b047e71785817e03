//! Security and privacy headers for every response, and compression of
//! HTML that was not compressed in advance. Applied by `web::frame`, so no
//! route can forget them.

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::response::Response;

use super::compress::{self, Effort};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; \
font-src 'none'; connect-src 'self'; object-src 'none'; frame-src 'none'; \
frame-ancestors 'none'; form-action 'self'; base-uri 'none'; manifest-src 'self'";

const PERMISSIONS: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), \
encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), \
microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), \
screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=(), interest-cohort=(), browsing-topics=()";

/// Largest HTML body the middleware will buffer for compression; pages are
/// a few kilobytes, so anything bigger is passed through untouched.
const MAX_COMPRESSIBLE: usize = 1 << 20;

/// Sets the security and privacy headers every response carries.
pub fn apply(h: &mut HeaderMap, https: bool) {
    h.reserve(12);
    let set = |h: &mut HeaderMap, name: HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(h, header::CONTENT_SECURITY_POLICY, CSP);
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(
        h,
        HeaderName::from_static("permissions-policy"),
        PERMISSIONS,
    );
    set(
        h,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    // Open data opts out of same-origin; everything else keeps it.
    let corp = HeaderName::from_static("cross-origin-resource-policy");
    if !h.contains_key(&corp) {
        set(h, corp, "same-origin");
    }
    set(h, header::X_FRAME_OPTIONS, "DENY");
    if https {
        set(
            h,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        );
    }
    // Pages about violence must not linger in caches of shared devices;
    // only fingerprinted assets opt in to caching.
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    // Public pages never set cookies; strip any a layer might add.
    h.remove(header::SET_COOKIE);
}

/// Compresses an HTML response that is not compressed yet (pages that are
/// not cached, such as the 405 page), for the encoding the client accepts.
pub async fn compress_html(mut response: Response, encoding: compress::Encoding) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    // Cached pages arrive already encoded; nothing to do for them.
    if !is_html || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if encoding == compress::Encoding::Identity {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_COMPRESSIBLE).await else {
        tracing::error!("HTML body too large or failed while compressing");
        return Response::from_parts(parts, Body::empty());
    };
    match compress::encode(&bytes, encoding, Effort::Fast) {
        Some(encoded) => {
            if let Some(v) = encoding.header_value() {
                parts.headers.insert(header::CONTENT_ENCODING, v);
            }
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(encoded))
        }
        None => Response::from_parts(parts, Body::from(bytes)),
    }
}
