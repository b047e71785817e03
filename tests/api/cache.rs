//! Pages are served from memory, and a content change saved through one
//! instance reaches another instance on the same database within seconds.

use std::time::{Duration, Instant};

use crate::helpers::{spawn_app_with, Backend, Options};
use crate::pages::h1s;

async fn change_reaches_every_instance(backend: Backend) {
    let a = spawn_app_with(backend, Options::default()).await;
    let b = spawn_app_with(
        backend,
        Options {
            database_url: Some(a.database_url.clone()),
            ..Options::default()
        },
    )
    .await;
    // Both instances have the page rendered and cached.
    for app in [&a, &b] {
        let (_, html) = app.get_text("/inte-ensam").await;
        assert_eq!(h1s(&html), vec!["Inte ensam".to_string()]);
    }

    let today = chrono::Utc::now().date_naive();
    let changed = fridhem::content::service::update_page(
        &a.state.writer,
        fridhem::content::model::Page {
            path: "/inte-ensam".into(),
            title: "Inte ensam i Järfälla".into(),
            description: "Ny beskrivning".into(),
            body_md: "Ny text om samarbetet.".into(),
            updated_on: today,
        },
    )
    .await
    .unwrap();
    assert!(changed);

    let started = Instant::now();
    for app in [&a, &b] {
        loop {
            let (_, html) = app.get_text("/inte-ensam").await;
            if h1s(&html) == vec!["Inte ensam i Järfälla".to_string()] {
                assert!(html.contains("Ny text om samarbetet."));
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "instance still serves the old page after 5 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    b.stop().await;
    a.stop().await;
}

#[tokio::test]
async fn change_reaches_every_instance_sqlite() {
    change_reaches_every_instance(Backend::Sqlite).await;
}

#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn change_reaches_every_instance_postgres() {
    change_reaches_every_instance(Backend::Postgres).await;
}

#[tokio::test]
async fn cached_and_fresh_renders_are_identical() {
    let app = spawn_app_with(Backend::Sqlite, Options::default()).await;
    let (_, first) = app.get_text("/hjalp?for=barn").await;
    let (_, second) = app.get_text("/hjalp?for=barn").await;
    assert_eq!(first, second);
    // Unknown filters share one entry and never echo the value.
    let (_, odd) = app.get_text("/hjalp?for=abc").await;
    let (_, other) = app.get_text("/hjalp?for=xyz").await;
    assert_eq!(odd, other);
    assert!(!odd.contains("abc"));
    app.stop().await;
}

/// A repeated GET of a cached page is answered before routing (the
/// front door); the answer must be the one the router gives, header for
/// header and byte for byte, in every encoding. X-Forwarded-For sends a
/// request the long way, so both can be compared. The clock stands still,
/// so minute-fresh pages (open now, form tokens) cannot change in between.
async fn the_front_door_answers_as_the_router_does(backend: Backend) {
    let now = chrono::Utc::now();
    let app = spawn_app_with(
        backend,
        Options {
            now: Some(now),
            ..Options::default()
        },
    )
    .await;
    let mut paths: Vec<&str> = crate::pages::PUBLIC_PAGES
        .iter()
        .map(|(path, _)| *path)
        .filter(|path| !path.contains('?'))
        .collect();
    paths.extend([
        "/openreferral/services",
        "/openreferral/organizations",
        "/evenemang/kalender.ics",
        "/evenemang/4-valdets-olika-former-digital-forelasning.ics",
    ]);
    for path in paths {
        for encoding in ["br", "gzip", "identity"] {
            let fetch = |long_way: bool| {
                let mut request = app
                    .client
                    .get(app.url(path))
                    .header("accept-encoding", encoding);
                if long_way {
                    request = request.header("x-forwarded-for", "192.0.2.7");
                }
                async move {
                    let r = request.send().await.unwrap();
                    let status = r.status();
                    let mut headers: Vec<(String, String)> = r
                        .headers()
                        .iter()
                        .filter(|(name, _)| *name != "date")
                        .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
                        .collect();
                    headers.sort();
                    (status, headers, r.bytes().await.unwrap())
                }
            };
            let long_way = fetch(true).await;
            // The first GET arms the door; the second is answered by it.
            fetch(false).await;
            let front = fetch(false).await;
            assert_eq!(long_way.0, 200, "{path} {encoding}");
            assert_eq!(long_way.0, front.0, "{path} {encoding}");
            assert_eq!(long_way.1, front.1, "{path} {encoding}");
            assert!(long_way.2 == front.2, "{path} {encoding}: bodies differ");
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn the_front_door_answers_as_the_router_does_sqlite() {
    the_front_door_answers_as_the_router_does(Backend::Sqlite).await;
}

#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn the_front_door_answers_as_the_router_does_postgres() {
    the_front_door_answers_as_the_router_does(Backend::Postgres).await;
}
