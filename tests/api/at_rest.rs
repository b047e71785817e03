//! Personal data at rest (issue 12): what people wrote is sealed in the
//! database, so neither the SQLite file and its WAL nor a `pg_dump` holds
//! it readable; a missing or wrong key stops the server; the key can be
//! rotated, and an interrupted rotation finished.

use std::path::Path;
use std::process::Command;

use chrono::Utc;
use fridhem::auth::Role;
use fridhem::clock::ManualClock;
use fridhem::db::crypt::{self, DataKeys};

use crate::helpers::binary::{Binary, Start, BIN};
use crate::helpers::cases::{database_bytes, holds, send_contact};
use crate::helpers::staff::{act, create_account, enrol, get};
use crate::helpers::{
    create_postgres_database, drop_postgres_database, spawn_app_with, Backend, Options, TestApp,
};
use crate::staff::{clocked, clocked_tests};

const NAME: &str = "Sigrid Ödmansson";
const EMAIL: &str = "sigrid.odmansson@example.se";
const ORGANISATION: &str = "Trygghetsnätet i Jakobsberg";
const SENTENCE: &str = "Grannen på tredje våningen skriker om nätterna";
const NOTE: &str = "Ringde Sigrid tisdag eftermiddag, hon vill bli uppringd igen";
const REPLY: &str = "Tack Sigrid för att du hörde av dig om grannen";

/// Sends the contact form from the test's organisation.
async fn contact(app: &TestApp, name: &str, email: &str, message: &str) -> String {
    send_contact(app, ORGANISATION, name, email, message).await
}

async fn nothing_personal_is_readable_in_the_database(app: &TestApp, _clock: &ManualClock) {
    let reference = contact(app, NAME, EMAIL, &format!("Hej. {SENTENCE}. Vad gör jag?")).await;
    contact(
        app,
        "Bo Berg",
        "bo.berg@example.se",
        "Vi vill ha affischer.",
    )
    .await;
    create_account(app, "kim@example.se", &[Role::HandlaggareKo]).await;
    let kim = enrol(app, "kim@example.se").await;
    let case_path = format!("/admin/arenden/{reference}");
    let r = act(
        app,
        &kim,
        &format!("{case_path}/anteckning"),
        &[("anteckning", NOTE)],
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = act(
        app,
        &kim,
        &format!("{case_path}/svar"),
        &[("satt", "epost"), ("text", REPLY)],
    )
    .await;
    assert_eq!(r.status(), 303);

    // Staff read all of it through Fridhem.
    let page = get(app, &case_path, Some(&kim.cookie))
        .await
        .text()
        .await
        .unwrap();
    for text in [NAME, EMAIL, ORGANISATION, SENTENCE, NOTE, REPLY] {
        assert!(page.contains(text), "{text} on the case page: {page}");
    }
    let reply = crate::helpers::outbox_to(app, EMAIL)
        .await
        .into_iter()
        .find(|m| m.body.contains(REPLY))
        .expect("the reply is in the outbox");
    assert!(reply.subject.contains(&reference));

    // On disk none of it is. The reference and the staff member's name,
    // which are not sealed, are found: the search itself works.
    if let Some(path) = app.database_url.strip_prefix("sqlite://") {
        let wal = std::fs::metadata(format!("{path}-wal")).expect("the WAL is there");
        assert!(wal.len() > 0, "the WAL holds the recent writes");
    }
    let bytes = database_bytes(app);
    assert!(holds(&bytes, &reference), "the search finds what is there");
    assert!(holds(&bytes, "Person kim@example.se"));
    for text in [
        NAME,
        EMAIL,
        ORGANISATION,
        SENTENCE,
        NOTE,
        REPLY,
        "bo.berg@example.se",
    ] {
        assert!(!holds(&bytes, text), "{text} is readable in the database");
    }
}

async fn a_value_moved_to_another_case_does_not_open(app: &TestApp, _clock: &ManualClock) {
    let first = contact(app, NAME, EMAIL, SENTENCE).await;
    let second = contact(app, "Bo Berg", "bo.berg@example.se", "Affischer, tack.").await;
    // Someone with write access to the database copies one case's sealed
    // message into the other.
    fridhem::on_pool!(&app.db, |p| sqlx::query(
        "UPDATE cases SET message = (SELECT message FROM cases WHERE reference = $1) \
         WHERE reference = $2"
    )
    .bind(&first)
    .bind(&second)
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    let keys = &app.state.data_keys;
    assert!(fridhem::cases::store::case(&app.db, keys, &first)
        .await
        .unwrap()
        .is_some_and(|c| c.message == SENTENCE));
    let moved = fridhem::cases::store::case(&app.db, keys, &second).await;
    assert!(moved.is_err(), "a moved value must not open");
    create_account(app, "kim@example.se", &[Role::HandlaggareKo]).await;
    let kim = enrol(app, "kim@example.se").await;
    let r = get(app, &format!("/admin/arenden/{second}"), Some(&kim.cookie)).await;
    assert_eq!(r.status(), 500);
    assert!(!r.text().await.unwrap().contains(SENTENCE));
}

clocked_tests!(
    nothing_personal_is_readable_in_the_database,
    a_value_moved_to_another_case_does_not_open,
);

/// A database of its own that outlives one instance: a SQLite file in a
/// folder the test keeps, or a fresh PostgreSQL database.
struct Database {
    url: String,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<String>,
}

impl Database {
    async fn new(backend: Backend) -> Database {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("fridhem.db").display());
                Database {
                    url,
                    _dir: Some(dir),
                    postgres: None,
                }
            }
            Backend::Postgres => {
                let (url, name) = create_postgres_database().await;
                Database {
                    url,
                    _dir: None,
                    postgres: Some(name),
                }
            }
        }
    }

    async fn drop(self) {
        if let Some(name) = &self.postgres {
            drop_postgres_database(name).await;
        }
    }

    async fn instance(&self, backend: Backend, key_file: &Path) -> TestApp {
        spawn_app_with(
            backend,
            Options {
                database_url: Some(self.url.clone()),
                env: vec![("FRIDHEM_DATA_KEY_FILE", key_file.display().to_string())],
                ..Options::default()
            },
        )
        .await
    }
}

/// Every sealed value in the database, as stored.
async fn stored_values(db: &fridhem::db::Db) -> Vec<String> {
    let mut all = Vec::new();
    for table in fridhem::app::SEALED_TABLES {
        for column in table.columns {
            let sql = format!(
                "SELECT {column} FROM {} WHERE {column} IS NOT NULL",
                table.table
            );
            let values: Vec<String> =
                fridhem::on_pool!(db, |p| sqlx::query_scalar(&sql).fetch_all(p).await).unwrap();
            all.extend(values);
        }
    }
    all
}

fn key_lines(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

fn rotate_with_binary(url: &str, key_file: &Path) -> String {
    let out = Command::new(BIN)
        .env_clear()
        .env("FRIDHEM_DATABASE_URL", url)
        .env("FRIDHEM_DATA_KEY_FILE", key_file)
        .arg("rotate-data-key")
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

async fn keys_of(db: &fridhem::db::Db, key_file: &Path) -> DataKeys {
    DataKeys::prepare(db, Some(key_file), &fridhem::app::SEALED_TABLES, Utc::now())
        .await
        .unwrap()
}

/// `rotate-data-key` seals everything under a new key on both databases,
/// and a rotation interrupted half-way is finished by running it again.
async fn rotation(backend: Backend) {
    let database = Database::new(backend).await;
    let key_dir = tempfile::tempdir().unwrap();
    let key_file = key_dir.path().join("data-key");

    let app = database.instance(backend, &key_file).await;
    let mut references = Vec::new();
    for i in 0..3 {
        references.push(contact(&app, NAME, EMAIL, &format!("{SENTENCE} ({i})")).await);
    }
    let first_key = app.state.data_keys.current_id().to_owned();
    let before = stored_values(&app.db).await;
    assert!(before.len() >= 3 * 6, "cases and their mail are sealed");
    assert!(before
        .iter()
        .all(|v| v.starts_with(&format!("v1:{first_key}:"))));
    app.stop().await;

    let said = rotate_with_binary(&database.url, &key_file);
    assert!(said.contains("The data key is rotated."), "{said}");
    assert_eq!(key_lines(&key_file).len(), 1, "only the new key is left");
    let db = fridhem::db::Db::connect(&fridhem_url(backend, &database.url))
        .await
        .unwrap();
    let second = keys_of(&db, &key_file).await;
    let second_key = second.current_id().to_owned();
    assert_ne!(second_key, first_key);
    assert!(
        said.contains(&second_key) && said.contains(&first_key),
        "{said}"
    );
    let after = stored_values(&db).await;
    assert_eq!(after.len(), before.len());
    assert!(after
        .iter()
        .all(|v| v.starts_with(&format!("v1:{second_key}:"))));
    let retired: Vec<String> = fridhem::on_pool!(&db, |p| sqlx::query_scalar(
        "SELECT id FROM data_keys WHERE retired_at IS NOT NULL"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert_eq!(retired, vec![first_key.clone()]);

    // A second rotation stops half-way: the new key is in the file and
    // current, the cases are sealed again but the outbox is not.
    let (third, resumed) =
        crypt::begin_rotation(&db, &key_file, &fridhem::app::SEALED_TABLES, Utc::now())
            .await
            .unwrap();
    assert!(!resumed);
    let third_key = third.current_id().to_owned();
    crypt::reencrypt(&db, &third, &[fridhem::cases::store::SEALED_CASES], false)
        .await
        .unwrap();
    assert_eq!(
        key_lines(&key_file).len(),
        2,
        "new and old key while rotating"
    );
    let mixed = stored_values(&db).await;
    assert!(mixed
        .iter()
        .any(|v| v.starts_with(&format!("v1:{third_key}:"))));
    assert!(mixed
        .iter()
        .any(|v| v.starts_with(&format!("v1:{second_key}:"))));
    // An instance started now opens both.
    let app = database.instance(backend, &key_file).await;
    for reference in &references {
        let case = fridhem::cases::store::case(&app.db, &app.state.data_keys, reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(case.name.as_deref(), Some(NAME));
    }
    assert_eq!(crate::helpers::outbox_to(&app, EMAIL).await.len(), 3);
    app.stop().await;

    let said = rotate_with_binary(&database.url, &key_file);
    assert!(
        said.contains("The interrupted rotation is finished."),
        "{said}"
    );
    assert_eq!(key_lines(&key_file).len(), 1);
    let done = stored_values(&db).await;
    assert!(done
        .iter()
        .all(|v| v.starts_with(&format!("v1:{third_key}:"))));

    // Everything reads as it was written.
    let app = database.instance(backend, &key_file).await;
    assert_eq!(app.state.data_keys.current_id(), third_key);
    for (i, reference) in references.iter().enumerate() {
        let case = fridhem::cases::store::case(&app.db, &app.state.data_keys, reference)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(case.message, format!("{SENTENCE} ({i})"));
        assert_eq!(case.email.as_deref(), Some(EMAIL));
        assert_eq!(case.organisation.as_deref(), Some(ORGANISATION));
    }
    app.stop().await;
    db.close().await;
    database.drop().await;
}

fn fridhem_url(backend: Backend, url: &str) -> fridhem::config::DatabaseUrl {
    match backend {
        Backend::Sqlite => fridhem::config::DatabaseUrl::Sqlite(url.to_owned()),
        Backend::Postgres => fridhem::config::DatabaseUrl::Postgres(url.to_owned()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_sqlite() {
    rotation(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn rotation_postgres() {
    rotation(Backend::Postgres).await;
}

/// A database from before encryption (plain values, no key named) is
/// sealed at the first start with a key.
async fn plain_values_are_sealed_at_the_first_start(backend: Backend) {
    let database = Database::new(backend).await;
    let key_dir = tempfile::tempdir().unwrap();
    let key_file = key_dir.path().join("data-key");
    let app = database.instance(backend, &key_file).await;
    let reference = contact(&app, NAME, EMAIL, SENTENCE).await;
    // As the release before this one stored it.
    fridhem::on_pool!(&app.db, |p| sqlx::query(
        "UPDATE cases SET message = 'Klartext från förr', name = 'Gammal Namnsson', \
         email = NULL, organisation = NULL"
    )
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    fridhem::on_pool!(&app.db, |p| sqlx::query("DELETE FROM data_keys")
        .execute(p)
        .await
        .map(|_| ()))
    .unwrap();
    app.stop().await;

    let app = database.instance(backend, &key_file).await;
    let stored: String = fridhem::on_pool!(&app.db, |p| sqlx::query_scalar(
        "SELECT message FROM cases WHERE reference = $1"
    )
    .bind(&reference)
    .fetch_one(p)
    .await)
    .unwrap();
    assert!(stored.starts_with("v1:"), "{stored}");
    let case = fridhem::cases::store::case(&app.db, &app.state.data_keys, &reference)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(case.message, "Klartext från förr");
    assert_eq!(case.name.as_deref(), Some("Gammal Namnsson"));
    assert_eq!(case.email, None);
    app.stop().await;
    database.drop().await;
}

#[tokio::test]
async fn plain_values_are_sealed_at_the_first_start_sqlite() {
    plain_values_are_sealed_at_the_first_start(Backend::Sqlite).await;
}

#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn plain_values_are_sealed_at_the_first_start_postgres() {
    plain_values_are_sealed_at_the_first_start(Backend::Postgres).await;
}

/// Two instances on one database share one key file; an instance that
/// brings another key is refused, and the first keeps working.
#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn an_instance_with_another_key_is_refused_postgres() {
    let database = Database::new(Backend::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let (ours, theirs) = (dir.path().join("ours"), dir.path().join("theirs"));
    let first = database.instance(Backend::Postgres, &ours).await;
    let reference = contact(&first, NAME, EMAIL, SENTENCE).await;
    let second = database.instance(Backend::Postgres, &ours).await;
    let case = fridhem::cases::store::case(&second.db, &second.state.data_keys, &reference)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(case.name.as_deref(), Some(NAME));
    second.stop().await;
    let db = fridhem::db::Db::connect(&fridhem_url(Backend::Postgres, &database.url))
        .await
        .unwrap();
    std::fs::write(&theirs, format!("{}\n", "ab".repeat(32))).unwrap();
    let refused = DataKeys::prepare(&db, Some(&theirs), &fridhem::app::SEALED_TABLES, Utc::now())
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("wrong key file"), "{refused}");
    db.close().await;
    first.stop().await;
    database.drop().await;
}

/// The binary as an operator meets it: the key file is made at the first
/// start, owner-only; without it, or with another key, the server stops
/// with one line and serves nothing; with it back, it starts.
#[test]
fn a_missing_or_wrong_key_file_stops_the_server() {
    use std::os::unix::fs::PermissionsExt;
    let mut server = Binary::start(Start::default());
    let key_file = server.path(".fridhem-data-key");
    let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(key_lines(&key_file).len(), 1);
    server.stop();
    let saved = std::fs::read(&key_file).unwrap();

    let start = |dir: &Path| {
        let out = Command::new(BIN)
            .current_dir(dir)
            .env_clear()
            .env(
                "FRIDHEM_BIND",
                format!("127.0.0.1:{}", crate::helpers::free_port()),
            )
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8(out.stderr).unwrap())
    };
    std::fs::remove_file(&key_file).unwrap();
    let (ok, stderr) = start(server.dir.path());
    assert!(!ok);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("FRIDHEM_DATA_KEY_FILE") && stderr.contains("does not exist"),
        "{stderr}"
    );
    assert!(!key_file.exists(), "no new key replaces the lost one");

    std::fs::write(&key_file, format!("{}\n", "0f".repeat(32))).unwrap();
    let (ok, stderr) = start(server.dir.path());
    assert!(!ok);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("wrong key file"), "{stderr}");

    std::fs::write(&key_file, saved).unwrap();
    server.restart();
    let page = crate::helpers::binary::http_get(server.port, "/kontakt", &[]);
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
}
