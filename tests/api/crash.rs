//! The promise behind every receipt: a 303 to `<form>/kvitto/<REF>` is sent
//! only once the case is durably committed. The real binary is killed with
//! SIGKILL (no draining, no flushing) again and again while clients submit
//! forms; afterwards every reference any client was shown must be stored.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::helpers::binary::{Binary, Start};
use crate::helpers::forms::{token_of, try_send_form, valid_fields, FORMS};
use crate::helpers::{create_postgres_database, drop_postgres_database, Backend};

/// Fixed, so a token fetched before a crash is still valid after it.
const SECRET_KEY: &str = "6b1f0c7e2d9a4b3c8e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5";
const CLIENTS: usize = 16;
const KILLS: usize = 4;

#[derive(Default)]
struct Tally {
    /// Every reference shown in a `Location` header, in the order seen.
    acknowledged: Vec<String>,
    /// Requests that failed on the wire (refused, reset, cut off).
    connection_errors: usize,
    /// Answers other than 303, by status.
    other: BTreeMap<u16, usize>,
}

/// One client: a token per form once, then valid submissions until told to
/// stop. A request that fails on the wire is simply not acknowledged.
async fn client_loop(
    id: usize,
    address: String,
    stop: Arc<AtomicBool>,
    deadline: Instant,
    tally: Arc<Mutex<Tally>>,
) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut tokens: [Option<String>; 3] = [None, None, None];
    let mut round = id;
    while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
        round += 1;
        let form = round % FORMS.len();
        let (path, prefix) = FORMS[form];
        let token = match &tokens[form] {
            Some(t) => t.clone(),
            None => {
                let page = client.get(format!("{address}{path}")).send().await;
                let html = match page {
                    Ok(r) if r.status() == 200 => r.text().await.ok(),
                    _ => None,
                };
                match html {
                    Some(html) => tokens[form].insert(token_of(&html)).clone(),
                    None => {
                        tally.lock().unwrap().connection_errors += 1;
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                }
            }
        };
        let mut fields = valid_fields(path);
        fields.push(("token", &token));
        let sent = try_send_form(&client, &format!("{address}{path}"), &fields).await;
        match sent {
            Ok(r) if r.status() == 303 => {
                let location = r.headers()["location"].to_str().unwrap().to_owned();
                let reference = crate::helpers::reference_of(&location, path)
                    .unwrap_or_else(|| panic!("receipt below the form: {location}"))
                    .to_owned();
                assert!(
                    reference.starts_with(&format!("{prefix}-")),
                    "{path} answered {reference}"
                );
                tally.lock().unwrap().acknowledged.push(reference);
            }
            Ok(r) => {
                *tally
                    .lock()
                    .unwrap()
                    .other
                    .entry(r.status().as_u16())
                    .or_default() += 1;
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Err(_) => {
                tally.lock().unwrap().connection_errors += 1;
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }
}

async fn stored_references(backend: Backend, database_url: &str) -> Vec<String> {
    let sql = "SELECT reference FROM cases";
    match backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(database_url).await.unwrap();
            let refs = sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap();
            pool.close().await;
            refs
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(database_url).await.unwrap();
            let refs = sqlx::query_scalar(sql).fetch_all(&pool).await.unwrap();
            pool.close().await;
            refs
        }
    }
}

/// References per prefix whose numbers do not run 1..=N (gaps or repeats);
/// reported for information, not part of the promise under test.
fn gaps(stored: &[String]) -> Vec<String> {
    let mut by_prefix: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for r in stored {
        let (prefix, number) = (&r[..2], r.rsplit('-').next().unwrap());
        by_prefix
            .entry(prefix)
            .or_default()
            .push(number.parse().unwrap());
    }
    let mut out = vec![];
    for (prefix, mut numbers) in by_prefix {
        numbers.sort_unstable();
        if numbers != (1..=numbers.len() as u32).collect::<Vec<_>>() {
            out.push(format!(
                "{prefix}: {} numbers, max {}",
                numbers.len(),
                numbers.last().unwrap()
            ));
        }
    }
    out
}

/// `database_url` is None for a SQLite file in the server's directory.
async fn receipts_survive_sigkill(backend: Backend, database_url: Option<String>) {
    let started = Instant::now();
    let mut server = tokio::task::block_in_place(|| {
        Binary::start(Start {
            env: vec![
                ("FRIDHEM_FORM_RATE_LIMIT", "0".into()),
                ("FRIDHEM_SECRET_KEY", SECRET_KEY.into()),
                (
                    "FRIDHEM_DATABASE_URL",
                    database_url.clone().unwrap_or("sqlite://fridhem.db".into()),
                ),
            ],
            ..Start::default()
        })
    });
    let database_url =
        database_url.unwrap_or_else(|| format!("sqlite://{}", server.path("fridhem.db").display()));

    let stop = Arc::new(AtomicBool::new(false));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let client_deadline = Instant::now() + Duration::from_secs(22);
    let clients: Vec<_> = (0..CLIENTS)
        .map(|id| {
            tokio::spawn(client_loop(
                id,
                server.address(),
                stop.clone(),
                client_deadline,
                tally.clone(),
            ))
        })
        .collect();

    // Kill while submissions are in flight: 0.5–1 s of traffic each time.
    let mut acknowledged_before_kill = vec![];
    for kill in 0..KILLS {
        tokio::time::sleep(Duration::from_millis(500 + 150 * kill as u64)).await;
        acknowledged_before_kill.push(tally.lock().unwrap().acknowledged.len());
        server.kill_hard();
        // Let a few clients meet a closed port before the restart.
        tokio::time::sleep(Duration::from_millis(50)).await;
        tokio::task::block_in_place(|| server.restart());
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        tokio::time::timeout(Duration::from_secs(10), c)
            .await
            .expect("client stops within its request timeout")
            .expect("client task did not panic");
    }

    // The server is running again; read what is stored.
    let stored = stored_references(backend, &database_url).await;
    let stored_set: HashSet<&str> = stored.iter().map(String::as_str).collect();
    assert_eq!(
        stored_set.len(),
        stored.len(),
        "stored references are unique"
    );
    let tally = std::mem::take(&mut *tally.lock().unwrap());
    let mut unique = HashSet::new();
    let repeated: Vec<&String> = tally
        .acknowledged
        .iter()
        .filter(|r| !unique.insert(r.as_str()))
        .collect();
    let missing: Vec<&String> = tally
        .acknowledged
        .iter()
        .filter(|r| !stored_set.contains(r.as_str()))
        .collect();
    let found = tally.acknowledged.len() - missing.len();
    println!(
        "crash test ({backend:?}): {} acknowledged, {found} of them found; {} cases stored; \
         acknowledged before each kill {acknowledged_before_kill:?}; {} connection errors; \
         other answers {:?}; numbering gaps {:?}; {} starts in {:.1} s",
        tally.acknowledged.len(),
        stored.len(),
        tally.connection_errors,
        tally.other,
        gaps(&stored),
        server.lives,
        started.elapsed().as_secs_f64(),
    );
    assert!(
        missing.is_empty(),
        "{} acknowledged references are not stored: {missing:?}",
        missing.len()
    );
    assert!(
        repeated.is_empty(),
        "references acknowledged twice: {repeated:?}"
    );
    assert!(
        tally.acknowledged.len() > 50,
        "too few submissions acknowledged to mean anything: {}",
        tally.acknowledged.len()
    );
    assert!(
        stored.len() >= tally.acknowledged.len(),
        "more acknowledged than stored"
    );
    // Between kills the server kept acknowledging: each life did real work.
    assert!(
        acknowledged_before_kill.windows(2).all(|w| w[1] > w[0]),
        "no submissions between two kills: {acknowledged_before_kill:?}"
    );
    // Kill the last life too; the caller owns the database.
    server.kill_hard();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn receipts_survive_sigkill_sqlite() {
    receipts_survive_sigkill(Backend::Sqlite, None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn receipts_survive_sigkill_postgres() {
    let (url, name) = create_postgres_database().await;
    // Run in its own task so a failed assertion still drops the database.
    let run = tokio::spawn(receipts_survive_sigkill(Backend::Postgres, Some(url))).await;
    drop_postgres_database(&name).await;
    if let Err(e) = run {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// A reply, its line in the case's history and its audit entry are one
/// transaction: the real binary is killed with SIGKILL while handläggare
/// send replies, and afterwards every acknowledged reply is stored, and
/// each stored reply has its history line and its audit entry (both or
/// neither, never half).
async fn replies_survive_sigkill_whole(backend: Backend, database_url: String) {
    use crate::helpers::staff::{create_account, enrol};
    use fridhem::auth::Role;

    // Sign in through an in-process instance on the same database: the
    // session lives in the database, and the binary shares the key that
    // signs its CSRF token. The instance runs on a runtime of its own that
    // is dropped afterwards, so none of its background tasks (the mail
    // worker writes) is left writing beside the binary.
    // Both the in-process instance and the binary open the data with the
    // same key file.
    let key_dir = tempfile::tempdir().unwrap();
    let key_file = key_dir.path().join("data-key");
    let key_setting = key_file.display().to_string();
    let url = database_url.clone();
    let key_for_thread = key_setting.clone();
    let (reference, kim) = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let app = crate::helpers::spawn_app_with(
                backend,
                crate::helpers::Options {
                    database_url: Some(url),
                    env: vec![
                        ("FRIDHEM_SECRET_KEY", SECRET_KEY.to_owned()),
                        ("FRIDHEM_DATA_KEY_FILE", key_for_thread),
                    ],
                    ..crate::helpers::Options::default()
                },
            )
            .await;
            let location = crate::helpers::forms::submit_valid(&app, "/kontakt").await;
            let reference = crate::helpers::reference_of(&location, "/kontakt")
                .unwrap()
                .to_owned();
            create_account(&app, "kim@example.se", &[Role::HandlaggareKo]).await;
            let kim = enrol(&app, "kim@example.se").await;
            app.stop().await;
            (reference, kim)
        })
    })
    .join()
    .unwrap();

    let mut server = tokio::task::block_in_place(|| {
        Binary::start(Start {
            env: vec![
                ("FRIDHEM_DATABASE_URL", database_url.clone()),
                ("FRIDHEM_SECRET_KEY", SECRET_KEY.to_owned()),
                ("FRIDHEM_DATA_KEY_FILE", key_setting.clone()),
            ],
            ..Start::default()
        })
    });
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let failures = Arc::new(Mutex::new(Vec::<String>::new()));
    for life in 0..3 {
        let stop = Arc::new(AtomicBool::new(false));
        let mut clients = vec![];
        for client in 0..8 {
            let (stop, acknowledged, failures) =
                (stop.clone(), acknowledged.clone(), failures.clone());
            let (address, cookie, csrf) = (server.address(), kim.cookie.clone(), kim.csrf.clone());
            let path = format!("/admin/arenden/{reference}/svar");
            clients.push(tokio::spawn(async move {
                let http = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .timeout(Duration::from_secs(5))
                    .build()
                    .unwrap();
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let text = format!("Svar {life}-{client}-{n}");
                    let body = crate::helpers::forms::form_body(&[
                        ("csrf", &csrf),
                        ("satt", "epost"),
                        ("text", &text),
                    ]);
                    let sent = http
                        .post(format!("{address}{path}"))
                        .header("Origin", "null")
                        .header("Cookie", &cookie)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .body(body)
                        .send()
                        .await;
                    match sent {
                        Ok(r) if r.status() == 303 => acknowledged.lock().unwrap().push(text),
                        Ok(r) => {
                            let status = r.status();
                            stop.store(true, Ordering::Relaxed);
                            let text = r.text().await.unwrap_or_default();
                            failures.lock().unwrap().push(format!("{status}: {text}"));
                        }
                        Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(700)).await;
        tokio::task::block_in_place(|| server.kill_hard());
        let failed = failures.lock().unwrap().clone();
        assert!(
            failed.is_empty(),
            "{}\n{}",
            server.stdout(),
            server.stderr()
        );
        stop.store(true, Ordering::Relaxed);
        for c in clients {
            c.await.unwrap();
        }
        if life < 2 {
            tokio::task::block_in_place(|| server.restart());
        }
    }

    let url = match backend {
        Backend::Sqlite => fridhem::config::DatabaseUrl::Sqlite(database_url.clone()),
        Backend::Postgres => fridhem::config::DatabaseUrl::Postgres(database_url.clone()),
    };
    let db = fridhem::db::Db::connect(&url).await.unwrap();
    let (mails, events, audits, orphans): (i64, i64, i64, i64) =
        fridhem::on_pool!(&db, |p| sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM outbox WHERE message_id LIKE '%.svar.%'), \
             (SELECT COUNT(*) FROM case_events WHERE kind = 'reply'), \
             (SELECT COUNT(*) FROM audit_log WHERE action = 'case-replied'), \
             (SELECT COUNT(*) FROM case_events e WHERE e.kind = 'reply' AND NOT EXISTS \
               (SELECT 1 FROM outbox o WHERE o.id = e.outbox_id))"
        )
        .fetch_one(p)
        .await)
        .unwrap();
    // Reply texts are sealed at rest: opened with the binary's key file.
    let keys = fridhem::db::crypt::DataKeys::prepare(
        &db,
        Some(&key_file),
        &fridhem::app::SEALED_TABLES,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let sealed: Vec<(i64, String)> = fridhem::on_pool!(&db, |p| sqlx::query_as(
        "SELECT id, body FROM case_events WHERE kind = 'reply'"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    let stored: HashSet<String> = sealed
        .into_iter()
        .map(|(id, body)| {
            let row = id.to_string();
            let place = fridhem::db::crypt::Place {
                table: "case_events",
                column: "body",
                row: &row,
            };
            keys.open(place, &body).expect("a reply opens")
        })
        .collect();
    let acknowledged = acknowledged.lock().unwrap().clone();
    println!(
        "reply crash test ({backend:?}): {} acknowledged, {mails} stored",
        acknowledged.len()
    );
    assert!(
        acknowledged.len() > 20,
        "too few replies: {}",
        acknowledged.len()
    );
    assert_eq!(
        (mails, orphans),
        (events, 0),
        "each reply with its history line"
    );
    assert_eq!(audits, events, "each reply with its audit entry");
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|t| !stored.contains(*t))
        .collect();
    assert!(
        missing.is_empty(),
        "acknowledged but not stored: {missing:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replies_survive_sigkill_whole_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("fridhem.db").display());
    replies_survive_sigkill_whole(Backend::Sqlite, url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn replies_survive_sigkill_whole_postgres() {
    let (url, name) = create_postgres_database().await;
    let run = tokio::spawn(replies_survive_sigkill_whole(Backend::Postgres, url)).await;
    drop_postgres_database(&name).await;
    if let Err(e) = run {
        std::panic::resume_unwind(e.into_panic());
    }
}
