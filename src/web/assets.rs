//! Static assets embedded in the binary and compressed once at start-up.
//!
//! Public pages inline the stylesheet and the quick-exit script instead of
//! linking them: a file the browser caches would stay on the device as a
//! trace of the visit, and inlining saves a round trip on first load. The
//! Content-Security-Policy allows exactly these two blocks by their SHA-256
//! hashes, so no other inline code can run. The files are still served
//! (never cached) for the icon and for pages that link them.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::compress::{self, Effort, Encoding};
use super::error::AppError;
use super::AppState;

/// The files there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    Site,
    Exit,
    Icon,
    /// The back office's script (loaded as a file, staff pages only).
    Admin,
    /// What only staff pages need on top of the site's stylesheet (a file,
    /// so public pages stay as light as they are).
    AdminCss,
}

const SOURCES: [(Name, &str, &str, &[u8]); 5] = [
    (
        Name::Site,
        "site",
        "css",
        include_bytes!("../../assets/site.css"),
    ),
    (
        Name::Exit,
        "exit",
        "js",
        include_bytes!("../../assets/exit.js"),
    ),
    (
        Name::Admin,
        "admin",
        "js",
        include_bytes!("../../assets/admin.js"),
    ),
    (
        Name::AdminCss,
        "admin",
        "css",
        include_bytes!("../../assets/admin.css"),
    ),
    (
        Name::Icon,
        "icon",
        "svg",
        include_bytes!("../../assets/icon.svg"),
    ),
];

#[derive(Debug)]
pub struct Asset {
    name: Name,
    /// Public file name with a content fingerprint ("site.1a2b3c4d5e.css").
    file: String,
    url: String,
    content_type: &'static str,
    identity: &'static [u8],
    gzip: Vec<u8>,
    brotli: Vec<u8>,
}

#[derive(Debug)]
pub struct Assets {
    files: Vec<Asset>,
    /// The Content-Security-Policy, with the inline blocks' hashes.
    csp: HeaderValue,
}

const CSS: &str = include_str!("../../assets/site.css");
const JS: &str = include_str!("../../assets/exit.js");

/// `'sha256-…'` of a block as the browser hashes it.
fn csp_hash(text: &str) -> String {
    use base64::Engine;
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

impl Assets {
    pub fn load() -> Assets {
        let files = SOURCES
            .iter()
            .map(|(name, stem, ext, bytes)| {
                let hash = Sha256::digest(bytes);
                let fingerprint: String = hash[..5].iter().map(|b| format!("{b:02x}")).collect();
                let file = format!("{stem}.{fingerprint}.{ext}");
                Asset {
                    name: *name,
                    url: format!("/assets/{file}"),
                    file,
                    content_type: match *ext {
                        "css" => "text/css; charset=utf-8",
                        "js" => "text/javascript; charset=utf-8",
                        _ => "image/svg+xml",
                    },
                    identity: bytes,
                    gzip: compress::gzip(bytes, Effort::Max),
                    brotli: compress::brotli(bytes, Effort::Max),
                }
            })
            .collect();
        let csp = format!(
            "default-src 'self'; script-src 'self' {}; style-src 'self' {}; img-src 'self'; \
font-src 'none'; connect-src 'self'; object-src 'none'; frame-src 'none'; \
frame-ancestors 'none'; form-action 'self'; base-uri 'none'; manifest-src 'self'",
            csp_hash(JS),
            csp_hash(CSS)
        );
        Assets {
            files,
            csp: HeaderValue::from_str(&csp).expect("the policy is ASCII"),
        }
    }

    fn get(&self, name: Name) -> &Asset {
        self.files
            .iter()
            .find(|a| a.name == name)
            .expect("every name has a source")
    }

    /// The public URL of an asset ("/assets/icon.1a2b3c4d5e.svg").
    pub fn url(&self, name: Name) -> &str {
        &self.get(name).url
    }

    pub fn inline_css(&self) -> &'static str {
        CSS
    }

    pub fn inline_js(&self) -> &'static str {
        JS
    }

    /// The Content-Security-Policy header value every response carries.
    pub fn csp(&self) -> &HeaderValue {
        &self.csp
    }
}

pub async fn serve(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let asset = state
        .assets
        .files
        .iter()
        .find(|a| a.file == file)
        .ok_or(AppError::NotFound)?;
    let encoding = compress::negotiate(&headers);
    let body: Body = match encoding {
        Encoding::Brotli => asset.brotli.clone().into(),
        Encoding::Gzip => asset.gzip.clone().into(),
        Encoding::Identity => asset.identity.into(),
    };
    let mut response = (StatusCode::OK, body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    // Like the pages: nothing of the site is kept on the device.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(v) = encoding.header_value() {
        h.insert(header::CONTENT_ENCODING, v);
    }
    Ok(response)
}

/// Browsers ask for /favicon.ico on their own; answer with the icon rather
/// than rendering a 404 page for every visit.
pub async fn favicon(State(state): State<AppState>) -> Response {
    let asset = state.assets.get(Name::Icon);
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "no-store"),
        ],
        asset.identity,
    )
        .into_response()
}
