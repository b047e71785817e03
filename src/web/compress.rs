//! Content negotiation and compression for HTML and assets.

use std::io::Write;

use axum::http::{header, HeaderMap, HeaderValue};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    pub fn header_value(self) -> Option<HeaderValue> {
        match self {
            Encoding::Brotli => Some(HeaderValue::from_static("br")),
            Encoding::Gzip => Some(HeaderValue::from_static("gzip")),
            Encoding::Identity => None,
        }
    }
}

/// The client's preferred encoding as an extractor, read straight from the
/// request without copying its headers.
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Encoding {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(negotiate(&parts.headers))
    }
}

/// Picks the best encoding the client accepts: brotli, then gzip. Honours
/// `q=0` as a refusal; other weights are not ranked because every browser
/// that offers brotli prefers it.
pub fn negotiate(headers: &HeaderMap) -> Encoding {
    let mut br = false;
    let mut gzip = false;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            match name.as_str() {
                "br" => br = true,
                "gzip" | "x-gzip" => gzip = true,
                _ => {}
            }
        }
    }
    if br {
        Encoding::Brotli
    } else if gzip {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// How hard to compress: `Max` for bytes compressed once and served for
/// hours, `Quick` for bytes served for a minute (a few percent larger, an
/// order of magnitude faster), `Fast` for bytes compressed per response.
#[derive(Debug, Clone, Copy)]
pub enum Effort {
    Max,
    Quick,
    Fast,
}

pub fn brotli(data: &[u8], effort: Effort) -> Vec<u8> {
    let quality = match effort {
        Effort::Max => 11,
        Effort::Quick => 9,
        Effort::Fast => 5,
    };
    let mut out = Vec::with_capacity(data.len() / 3);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, quality, 22);
        w.write_all(data).expect("writing to a Vec cannot fail");
    }
    out
}

pub fn gzip(data: &[u8], effort: Effort) -> Vec<u8> {
    let level = match effort {
        Effort::Max | Effort::Quick => flate2::Compression::best(),
        Effort::Fast => flate2::Compression::new(6),
    };
    let mut w = flate2::write::GzEncoder::new(Vec::with_capacity(data.len() / 3), level);
    w.write_all(data).expect("writing to a Vec cannot fail");
    w.finish().expect("writing to a Vec cannot fail")
}

pub fn encode(data: &[u8], encoding: Encoding, effort: Effort) -> Option<Vec<u8>> {
    match encoding {
        Encoding::Brotli => Some(brotli(data, effort)),
        Encoding::Gzip => Some(gzip(data, effort)),
        Encoding::Identity => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn negotiation() {
        assert_eq!(
            negotiate(&accept("gzip, deflate, br, zstd")),
            Encoding::Brotli
        );
        assert_eq!(negotiate(&accept("gzip")), Encoding::Gzip);
        assert_eq!(negotiate(&accept("br;q=0, gzip;q=0.5")), Encoding::Gzip);
        assert_eq!(negotiate(&accept("identity")), Encoding::Identity);
        assert_eq!(negotiate(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn round_trips() {
        use std::io::Read;
        let data = "Våld i nära relationer ".repeat(50);
        let mut out = String::new();
        flate2::read::GzDecoder::new(&gzip(data.as_bytes(), Effort::Fast)[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, data);
        let mut out = String::new();
        brotli::Decompressor::new(&brotli(data.as_bytes(), Effort::Max)[..], 4096)
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, data);
    }
}
