//! Security and privacy headers for every response, and compression of
//! HTML that was not compressed in advance. Applied by `web::frame`, so no
//! route can forget them.

use axum::body::{to_bytes, Body};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::response::Response;

use super::compress::{self, Effort};

const PERMISSIONS: &str = "accelerometer=(), autoplay=(), camera=(), display-capture=(), \
encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), hid=(), magnetometer=(), \
microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), \
screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=(), interest-cohort=(), browsing-topics=()";

/// Largest HTML body the middleware will buffer for compression; pages are
/// a few kilobytes, so anything bigger is passed through untouched.
const MAX_COMPRESSIBLE: usize = 1 << 20;

/// Sets the security and privacy headers every response carries.
// Built at compile time: `from_static` checks every byte, which for the
// long policy strings was measurable per request.
const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");
const COOP: HeaderName = HeaderName::from_static("cross-origin-opener-policy");
const CORP: HeaderName = HeaderName::from_static("cross-origin-resource-policy");
const PERMISSIONS_VALUE: HeaderValue = HeaderValue::from_static(PERMISSIONS);
const NO_REFERRER: HeaderValue = HeaderValue::from_static("no-referrer");
const NOSNIFF: HeaderValue = HeaderValue::from_static("nosniff");
const SAME_ORIGIN: HeaderValue = HeaderValue::from_static("same-origin");
const DENY: HeaderValue = HeaderValue::from_static("DENY");
const HSTS: HeaderValue = HeaderValue::from_static("max-age=63072000; includeSubDomains");
const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

/// `csp` is the policy built with the inline blocks' hashes
/// ([`super::assets::Assets::csp`]).
pub fn apply(h: &mut HeaderMap, https: bool, csp: &HeaderValue) {
    h.reserve(12);
    h.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
    h.insert(header::REFERRER_POLICY, NO_REFERRER);
    h.insert(header::X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    h.insert(PERMISSIONS_POLICY, PERMISSIONS_VALUE);
    h.insert(COOP, SAME_ORIGIN);
    // Open data opts out of same-origin; everything else keeps it.
    if !h.contains_key(CORP) {
        h.insert(CORP, SAME_ORIGIN);
    }
    h.insert(header::X_FRAME_OPTIONS, DENY);
    if https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    // Pages about violence must not linger in caches of shared devices;
    // only fingerprinted assets opt in to caching.
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, NO_STORE);
    }
}

/// Marks a response of the staff surface, the only one allowed to set a
/// cookie (its session). Every other response loses any `Set-Cookie` in
/// [`strip_cookies`].
#[derive(Debug, Clone, Copy)]
pub struct MaySetCookie;

/// Public pages never set cookies: strip any a handler or layer added,
/// unless the staff surface marked the response.
pub fn strip_cookies(response: &mut Response) {
    if response.extensions().get::<MaySetCookie>().is_none() {
        response.headers_mut().remove(header::SET_COOKIE);
    }
}

/// The same headers as "name: value\r\n" lines, for the few answers the
/// connection layer writes itself (hyper's parse errors, the 503 for
/// refused connections).
pub fn header_lines(https: bool, csp: &HeaderValue) -> Vec<u8> {
    let mut h = HeaderMap::new();
    apply(&mut h, https, csp);
    let mut out = Vec::with_capacity(1024);
    for (name, value) in &h {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Compresses an HTML response that is not compressed yet (pages that are
/// not cached, such as the 405 page), for the encoding the client accepts.
pub async fn compress_html(mut response: Response, encoding: compress::Encoding) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
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
