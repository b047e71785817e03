//! When the database is away, the help lines do not disappear: error pages
//! still show them (they are kept in memory), and pages rendered before are
//! served as they were rather than as errors.

use std::sync::Arc;

use chrono::TimeZone;
use fridhem::clock::ManualClock;

use crate::helpers::{spawn_app_with, Backend, Options};

const KVINNOFRIDSLINJEN: &str = "href=\"tel:+4620505050\"";

async fn help_lines_survive_an_outage(backend: Backend) {
    let clock = Arc::new(ManualClock::new(
        chrono::Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap(),
    ));
    let app = spawn_app_with(
        backend,
        Options {
            clock: Some(clock.clone()),
            ..Options::default()
        },
    )
    .await;
    // Rendered once while all is well.
    let (status, before) = app.get_text("/hjalp").await;
    assert_eq!(status, 200);
    assert!(before.contains("Kvinnofridslinjen"));

    app.take_database_away().await;
    assert_eq!(app.get("/readyz").await.status(), 503);
    // "Öppet nu" pages expire each minute; two minutes on, /hjalp can no
    // longer be rendered, and the last version is served.
    clock.advance(chrono::Duration::minutes(2));
    let (status, stale) = app.get_text("/hjalp").await;
    assert_eq!(status, 200, "the directory during an outage");
    assert!(stale.contains(KVINNOFRIDSLINJEN));
    // A page never rendered before becomes an error page, which still has
    // the help box; so do the other error pages.
    for (path, expected) in [("/", 500), ("/finns-inte", 404)] {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, expected, "{path}");
        let help_box = &html[html.find("class=\"help-box\"").expect(path)..];
        assert!(help_box.contains(KVINNOFRIDSLINJEN), "{path}: {help_box}");
        assert!(help_box.contains("href=\"tel:112\""), "{path}");
        assert!(help_box.contains("href=\"tel:116111\""), "{path}");
    }
    let r = app.client.post(app.url("/hjalp")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert!(r.text().await.unwrap().contains(KVINNOFRIDSLINJEN));
    app.stop().await;
}

#[tokio::test]
async fn help_lines_survive_an_outage_sqlite() {
    help_lines_survive_an_outage(Backend::Sqlite).await;
}

#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn help_lines_survive_an_outage_postgres() {
    help_lines_survive_an_outage(Backend::Postgres).await;
}
