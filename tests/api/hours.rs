//! "Open now" on the directory page with the clock pinned, including both
//! DST changes. The rule itself is unit-tested in src/help/hours.rs; this
//! checks the server uses the injected clock and Swedish time end to end.

use chrono::{TimeZone, Utc};

use crate::helpers::{spawn_app_with, Backend, Options};

/// The status line shown under one service's first phone.
pub(crate) fn status_of(html: &str, service_name: &str) -> String {
    let at = html
        .find(&format!("<h3 class=\"service__name\">{service_name}</h3>"))
        .unwrap_or_else(|| panic!("{service_name} not listed"));
    let rest = &html[at..];
    let end = rest.find("</li>\n</ul>").unwrap();
    let block = &rest[..end];
    let s = block
        .find("class=\"phone__status")
        .expect("a status is shown");
    let s = &block[s..];
    let text = &s[s.find('>').unwrap() + 1..s.find("</span>").unwrap()];
    text.replace(['\u{2068}', '\u{2069}'], "")
}

async fn directory_at(backend: Backend, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> String {
    let app = spawn_app_with(
        backend,
        Options {
            now: Some(Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()),
            ..Options::default()
        },
    )
    .await;
    let (status, html) = app.get_text("/hjalp").await;
    assert_eq!(status, 200);
    app.stop().await;
    html
}

async fn open_now_follows_swedish_time(backend: Backend) {
    // Wednesday 25 Nov 2026, 13:00 CET.
    let html = directory_at(backend, 2026, 11, 25, 12, 0).await;
    assert_eq!(
        status_of(&html, "Stödlinjen för män"),
        "Öppet nu – stänger 21:00"
    );
    assert_eq!(
        status_of(&html, "Nationella stödtelefonen"),
        "Stängt – öppnar fre 09:00"
    );
    assert_eq!(status_of(&html, "Kvinnofridslinjen"), "Öppet dygnet runt");

    // Saturday 28 Nov 2026, 23:30 CET (night, weekend).
    let html = directory_at(backend, 2026, 11, 28, 22, 30).await;
    assert_eq!(
        status_of(&html, "Stödlinjen för män"),
        "Stängt – öppnar i morgon 07:00"
    );
    assert_eq!(
        status_of(&html, "Nationella stödtelefonen"),
        "Stängt – öppnar mån 09:00"
    );
    assert_eq!(status_of(&html, "Kvinnofridslinjen"), "Öppet dygnet runt");

    // Spring forward: Sunday 29 Mar 2026, 05:30 UTC = 07:30 CEST.
    let html = directory_at(backend, 2026, 3, 29, 5, 30).await;
    assert_eq!(
        status_of(&html, "Stödlinjen för män"),
        "Öppet nu – stänger 21:00"
    );

    // Fall back: Sunday 25 Oct 2026, 05:30 UTC = 06:30 CET (not 07:30).
    let html = directory_at(backend, 2026, 10, 25, 5, 30).await;
    assert_eq!(
        status_of(&html, "Stödlinjen för män"),
        "Stängt – öppnar i dag 07:00"
    );
}

#[tokio::test]
async fn open_now_sqlite() {
    open_now_follows_swedish_time(Backend::Sqlite).await;
}

#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn open_now_postgres() {
    open_now_follows_swedish_time(Backend::Postgres).await;
}

#[tokio::test]
async fn unknown_hours_show_no_status() {
    // Brottsofferjouren's hours are unconfirmed: the number shows, no status.
    let html = directory_at(Backend::Sqlite, 2026, 11, 25, 12, 0).await;
    let at = html
        .find("<h3 class=\"service__name\">Brottsofferjouren</h3>")
        .unwrap();
    let block = &html[at..at + html[at..].find("</li>").unwrap()];
    assert!(block.contains("href=\"tel:116006\""));
    assert!(!block.contains("phone__status"));
    assert!(!block.contains("09:00"));
}
