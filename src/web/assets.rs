//! Static assets embedded in the binary, fingerprinted by content hash so
//! they can be cached for a year, and compressed once at start-up.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::compress::{self, Effort, Encoding};
use super::error::AppError;
use super::AppState;

const SOURCES: &[(&str, &str, &[u8])] = &[
    ("site", "css", include_bytes!("../../assets/site.css")),
    ("exit", "js", include_bytes!("../../assets/exit.js")),
    ("icon", "svg", include_bytes!("../../assets/icon.svg")),
];

#[derive(Debug)]
pub struct Asset {
    content_type: &'static str,
    identity: &'static [u8],
    gzip: Vec<u8>,
    brotli: Vec<u8>,
}

#[derive(Debug)]
pub struct Assets {
    by_file: HashMap<String, Asset>,
    /// Logical name ("site") to public URL ("/assets/site.1a2b3c4d5e.css").
    urls: HashMap<&'static str, String>,
}

impl Assets {
    pub fn load() -> Assets {
        let mut by_file = HashMap::new();
        let mut urls = HashMap::new();
        for (name, ext, bytes) in SOURCES {
            let hash = Sha256::digest(bytes);
            let fingerprint: String = hash[..5].iter().map(|b| format!("{b:02x}")).collect();
            let file = format!("{name}.{fingerprint}.{ext}");
            urls.insert(*name, format!("/assets/{file}"));
            by_file.insert(
                file,
                Asset {
                    content_type: match *ext {
                        "css" => "text/css; charset=utf-8",
                        "js" => "text/javascript; charset=utf-8",
                        "svg" => "image/svg+xml",
                        _ => "application/octet-stream",
                    },
                    identity: bytes,
                    gzip: compress::gzip(bytes, Effort::Max),
                    brotli: compress::brotli(bytes, Effort::Max),
                },
            );
        }
        Assets { by_file, urls }
    }

    pub fn url(&self, name: &str) -> &str {
        self.urls
            .get(name)
            .map(String::as_str)
            .expect("asset name is one of SOURCES")
    }

    /// The bytes a client receives for an asset with the given encoding.
    pub fn transferred_len(&self, url: &str, encoding: Encoding) -> Option<usize> {
        let asset = self.by_file.get(url.strip_prefix("/assets/")?)?;
        Some(match encoding {
            Encoding::Brotli => asset.brotli.len(),
            Encoding::Gzip => asset.gzip.len(),
            Encoding::Identity => asset.identity.len(),
        })
    }
}

pub async fn serve(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let asset = state.assets.by_file.get(&file).ok_or(AppError::NotFound)?;
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
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(v) = encoding.header_value() {
        h.insert(header::CONTENT_ENCODING, v);
    }
    Ok(response)
}

/// Browsers ask for /favicon.ico on their own; answer with the icon rather
/// than rendering a 404 page for every visit.
pub async fn favicon(State(state): State<AppState>) -> Response {
    let url = state.assets.url("icon").to_owned();
    let file = url.trim_start_matches("/assets/").to_owned();
    let asset = &state.assets.by_file[&file];
    (
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        asset.identity,
    )
        .into_response()
}
