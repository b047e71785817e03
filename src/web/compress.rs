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

/// Brotli's encoder allocates by quality and window, and the cost is not
/// monotonic (measured on the 30 KB help page, examples/brotli-memory.rs):
/// quality 11 with a window that just holds the page needs about 3 MB
/// (a 4 MiB window: 35 MB); qualities 5 to 9 with a window of 64 KiB or
/// less switch to a hasher with 32 MB of tables, and quality 9 uses that
/// much at any window; qualities 5 and 6 at a 128 KiB window need 1.5 and
/// 2.5 MB and compress within 1 % of quality 9.
pub fn brotli(data: &[u8], effort: Effort) -> Vec<u8> {
    let fitting = window_bits(data.len());
    let (quality, window) = match effort {
        Effort::Max => (11, fitting),
        Effort::Quick => (6, fitting.max(17)),
        Effort::Fast => (5, fitting.max(17)),
    };
    let mut out = Vec::with_capacity(data.len() / 3);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, quality, window);
        w.write_all(data).expect("writing to a Vec cannot fail");
    }
    out
}

/// The smallest brotli window that holds the whole input (brotli's range is
/// 2^10 to 2^24 bytes, less 16). A larger window compresses no better.
fn window_bits(len: usize) -> u32 {
    let needed = len.saturating_add(16).max(1);
    let bits = usize::BITS - (needed - 1).leading_zeros();
    bits.clamp(10, 24)
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

    #[test]
    fn the_window_just_holds_the_input() {
        assert_eq!(window_bits(0), 10);
        assert_eq!(window_bits(1008), 10);
        assert_eq!(window_bits(1009), 11);
        assert_eq!(window_bits(30_000), 15);
        assert_eq!(window_bits(100_000_000), 24);
        for len in [0, 500, 1008, 1009, 5000, 30_000, 70_000] {
            let text: Vec<u8> = (0..len).map(|i| b"Kvinnofridslinjen "[i % 18]).collect();
            let packed = brotli(&text, Effort::Max);
            let mut unpacked = vec![];
            brotli::BrotliDecompress(&mut &packed[..], &mut unpacked).unwrap();
            assert_eq!(unpacked, text, "{len} bytes");
        }
    }

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
