//! Privacy and safety promises checked on the wire: headers, no cookies,
//! nothing from other hosts, the byte budget, body and header limits.

use std::io::Read;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{spawn_app_with, Backend, Options, TestApp};
use crate::pages::PUBLIC_PAGES;

fn all_pages() -> Vec<&'static str> {
    PUBLIC_PAGES
        .iter()
        .map(|(p, _)| *p)
        .chain([
            "/finns-inte",
            "/kontakt",
            "/tillganglighet/rapportera?sida=%2Fhjalp",
            "/tillganglighet/alternativt-format",
        ])
        .collect()
}

async fn every_page_sends_the_safety_headers(app: &TestApp) {
    for path in all_pages() {
        let r = app.get(path).await;
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        for part in [
            "default-src 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(part), "{path}: CSP lacks {part}");
        }
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{path}"
        );
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["cache-control"], "no-store", "{path}");
        assert_eq!(h["cross-origin-opener-policy"], "same-origin", "{path}");
        assert_eq!(h["cross-origin-resource-policy"], "same-origin", "{path}");
        let permissions = h["permissions-policy"].to_str().unwrap();
        for feature in ["camera=()", "microphone=()", "geolocation=()"] {
            assert!(permissions.contains(feature), "{path}: {feature}");
        }
        assert!(!h.contains_key("set-cookie"), "{path} sets a cookie");
        assert!(
            !h.contains_key("strict-transport-security"),
            "no HSTS over http"
        );
    }
}

/// The body of every `<tag>…</tag>` in a page.
fn inline_blocks<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    html.split(open.as_str())
        .skip(1)
        .map(|part| &part[..part.find(close.as_str()).unwrap()])
        .collect()
}

fn csp_hash(text: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes()))
    )
}

async fn nothing_is_loaded_from_another_host(app: &TestApp) {
    for path in all_pages() {
        let r = app.get(path).await;
        let csp = r.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let html = r.text().await.unwrap();
        // Every subresource reference: src=, srcset=, action=, and <link href>.
        let mut refs: Vec<String> = vec![];
        for attr in ["src=\"", "srcset=\"", "action=\"", "poster=\"", "data=\""] {
            for part in html.split(attr).skip(1) {
                refs.push(part[..part.find('"').unwrap()].to_owned());
            }
        }
        for part in html.split("<link ").skip(1) {
            let tag = &part[..part.find('>').unwrap()];
            let Some(h) = tag.split("href=\"").nth(1) else {
                continue;
            };
            let href = &h[..h.find('"').unwrap()];
            // hreflang alternates name the same page in other languages;
            // browsers load nothing from them, and search engines want
            // them absolute: they must be this site's own addresses.
            if tag.starts_with("rel=\"alternate\" hreflang=") {
                assert!(href.starts_with(&app.url("/")), "{path}: alternate {href}");
                continue;
            }
            refs.push(href.to_owned());
        }
        assert!(!refs.is_empty(), "{path}: found the icon");
        for r in &refs {
            assert!(
                r.starts_with('/') && !r.starts_with("//"),
                "{path}: external reference {r}"
            );
        }
        assert!(
            !html.contains("<iframe") && !html.contains("@import"),
            "{path}"
        );
        // The stylesheet and script are inline, so nothing of the site is
        // cached on the device; the policy allows exactly these blocks by
        // hash and nothing else inline.
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        let styles = inline_blocks(&html, "style");
        let scripts = inline_blocks(&html, "script");
        assert_eq!((styles.len(), scripts.len()), (1, 1), "{path}");
        assert!(csp.contains(&csp_hash(styles[0])), "{path}: style hash");
        assert!(csp.contains(&csp_hash(scripts[0])), "{path}: script hash");
        // Besides it only data blocks, which browsers never run: schema.org
        // JSON-LD, which must parse as JSON and hold no `<` (so no text in
        // it can close the element).
        let data: Vec<&str> = html
            .split("<script type=\"application/ld+json\">")
            .skip(1)
            .map(|part| &part[..part.find("</script>").unwrap()])
            .collect();
        assert_eq!(html.matches("<script").count(), 1 + data.len(), "{path}");
        for block in data {
            assert!(!block.contains('<'), "{path}: {block}");
            serde_json::from_str::<serde_json::Value>(block)
                .unwrap_or_else(|e| panic!("{path}: JSON-LD does not parse: {e}"));
        }
        assert!(
            !html.contains("<script src") && !html.contains("rel=\"stylesheet\""),
            "{path}"
        );
        assert!(!html.contains(" style=\""), "{path}");
        for handler in [" onclick=", " onload=", " onerror=", " onsubmit="] {
            assert!(!html.contains(handler), "{path}: inline handler {handler}");
        }
        // The stylesheet fetches nothing either.
        assert!(
            !styles[0].contains("url(")
                && !styles[0].contains("@import")
                && !styles[0].contains("@font-face")
        );
    }
}

/// Nothing the site sends may stay in the browser's cache: the icon (the
/// one file a page refers to) is `no-store` like the pages.
async fn nothing_is_cached_on_the_device(app: &TestApp) {
    let (_, html) = app.get_text("/").await;
    let icon = html.split("rel=\"icon\" href=\"").nth(1).unwrap();
    let icon = &icon[..icon.find('"').unwrap()];
    for path in [icon, "/favicon.ico", "/", "/hjalp", "/kontakt"] {
        let r = app.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["cache-control"], "no-store", "{path}");
    }
}

async fn first_load_fits_in_one_round_trip(app: &TestApp) {
    const BUDGET: usize = 14_600;
    for encoding in ["br", "gzip"] {
        for path in all_pages() {
            let r = app
                .client
                .get(app.url(path))
                .header("accept-encoding", encoding)
                .send()
                .await
                .unwrap();
            assert_eq!(r.headers()["content-encoding"], encoding, "{path}");
            assert_eq!(r.headers()["vary"], "accept-encoding");
            // The page carries its stylesheet and script: it is the whole
            // first load.
            let total = r.bytes().await.unwrap().len();
            assert!(
                total <= BUDGET,
                "{path} ({encoding}): {total} bytes > {BUDGET}"
            );
        }
    }
}

async fn compressed_html_decodes_to_the_same_page(app: &TestApp) {
    let (_, plain) = app.get_text("/inte-ensam").await;
    let gz = app
        .client
        .get(app.url("/inte-ensam"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    let mut out = String::new();
    flate2::read::GzDecoder::new(&gz.bytes().await.unwrap()[..])
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, plain);
    let br = app
        .client
        .get(app.url("/inte-ensam"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    let mut out = String::new();
    brotli::Decompressor::new(&br.bytes().await.unwrap()[..], 4096)
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(out, plain);
}

async fn oversized_body_gets_a_swedish_413(app: &TestApp) {
    let r = app
        .client
        .post(app.url("/"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; 65 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(r.headers()["referrer-policy"], "no-referrer");
    let html = r.text().await.unwrap();
    assert!(html.contains("<h1>Det du skickade är för stort</h1>"));
}

async fn slow_headers_are_cut_off_within_ten_seconds(app: &TestApp) {
    let addr = app.address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let start = Instant::now();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    // Trickle one header line every second, never finishing the request.
    let mut closed_after = None;
    for i in 0..15 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        if stream
            .write_all(format!("X-Slow-{i}: y\r\n").as_bytes())
            .await
            .is_err()
        {
            closed_after = Some(start.elapsed());
            break;
        }
        // Any answer (a 408, an EOF or a reset) means the server gave up on us.
        let mut buf = [0u8; 512];
        if tokio::time::timeout(Duration::from_millis(10), stream.read(&mut buf))
            .await
            .is_ok()
        {
            closed_after = Some(start.elapsed());
            break;
        }
    }
    let closed_after = closed_after.expect("server kept a slowloris connection open for 15 s");
    assert!(
        closed_after <= Duration::from_secs(11),
        "closed after {closed_after:?}"
    );
}

/// A body announced but never sent does not hold the connection: the
/// server gives up within the body timeout (10 s).
#[tokio::test]
async fn slow_bodies_are_cut_off() {
    let app = spawn_app_with(Backend::Sqlite, Options::default()).await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    let start = Instant::now();
    stream
        .write_all(
            b"POST /kontakt HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nab",
        )
        .await
        .unwrap();
    let mut response = Vec::new();
    let read =
        tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut response)).await;
    assert!(read.is_ok(), "connection still open after 20 s");
    assert!(
        start.elapsed() <= Duration::from_secs(12),
        "closed after {:?}",
        start.elapsed()
    );
    let text = String::from_utf8_lossy(&response);
    assert!(
        text.starts_with("HTTP/1.1 408"),
        "{}",
        &text[..text.len().min(80)]
    );
    app.stop().await;
}

async fn https_base_url_adds_hsts() {
    let app = spawn_app_with(
        Backend::Sqlite,
        Options {
            env: vec![("FRIDHEM_BASE_URL", "https://fridhem.example.se".into())],
            ..Options::default()
        },
    )
    .await;
    let r = app.get("/").await;
    assert!(r.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
    app.stop().await;
}

#[tokio::test]
async fn hsts_only_over_https() {
    https_base_url_adds_hsts().await;
}

crate::db_tests!(
    every_page_sends_the_safety_headers,
    nothing_is_loaded_from_another_host,
    nothing_is_cached_on_the_device,
    first_load_fits_in_one_round_trip,
    compressed_html_decodes_to_the_same_page,
    oversized_body_gets_a_swedish_413,
    slow_headers_are_cut_off_within_ten_seconds,
);
