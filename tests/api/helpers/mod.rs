//! Starts the real server on an ephemeral port against a fresh database,
//! SQLite in a temp dir or a new PostgreSQL database per test.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fridhem::clock::{Clock, FixedClock, SystemClock};
use fridhem::config::Config;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub database_url: String,
    pub client: reqwest::Client,
    pub db: fridhem::db::Db,
    /// The running instance's state: its writer, caches and settings.
    pub state: fridhem::web::AppState,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    cleanup: Cleanup,
    /// Where mail goes without SMTP: a folder of this instance's own
    /// (unless the test names one), never the working directory.
    pub mail_dir: tempfile::TempDir,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        name: String,
    },
    /// A second instance on another test's database: that test cleans up.
    Shared,
}

#[derive(Default)]
pub struct Options {
    pub now: Option<DateTime<Utc>>,
    /// A clock the test moves itself; wins over `now`.
    pub clock: Option<Arc<dyn Clock>>,
    /// Share another instance's database instead of creating one.
    pub database_url: Option<String>,
    pub env: Vec<(&'static str, String)>,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, Options::default()).await
}

pub fn postgres_admin_url() -> String {
    std::env::var("FRIDHEM_TEST_POSTGRES_URL")
        .expect("FRIDHEM_TEST_POSTGRES_URL must point at a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/test)")
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Creates a fresh, uniquely named database; returns its URL and name.
/// Names start with `fridhem_t_` so .ci/run can drop any a panic left.
pub async fn create_postgres_database() -> (String, String) {
    let admin_url = postgres_admin_url();
    let name = format!("fridhem_t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&admin_url)
        .await
        .expect("PostgreSQL is reachable");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let mut url = url::Url::parse(&admin_url).unwrap();
    url.set_path(&name);
    (url.to_string(), name)
}

pub async fn drop_postgres_database(name: &str) {
    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&postgres_admin_url())
        .await
        .unwrap();
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
}

pub async fn spawn_app_with(backend: Backend, options: Options) -> TestApp {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());

    let (database_url, cleanup) = match (backend, options.database_url) {
        (_, Some(url)) => (url, Cleanup::Shared),
        (Backend::Sqlite, None) => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}", dir.path().join("fridhem.db").display());
            (url, Cleanup::Sqlite(dir))
        }
        (Backend::Postgres, None) => {
            let (url, name) = create_postgres_database().await;
            (url, Cleanup::Postgres { name })
        }
    };

    // The test's own settings come first: the first match wins.
    let mut env: Vec<(String, String)> = options
        .env
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    let mail_dir = tempfile::tempdir().unwrap();
    env.extend([
        (
            "FRIDHEM_MAIL_DIR".into(),
            mail_dir.path().display().to_string(),
        ),
        (
            "FRIDHEM_BIND".into(),
            listener.local_addr().unwrap().to_string(),
        ),
        ("FRIDHEM_DATABASE_URL".into(), database_url.clone()),
        ("FRIDHEM_BASE_URL".into(), address.clone()),
        (
            "FRIDHEM_QUICK_EXIT_URL".into(),
            "http://127.0.0.1:9/vader".into(),
        ),
    ]);
    let config = Config::from_sources(None, &env).expect("test configuration is valid");
    let clock: Arc<dyn Clock> = match (options.clock, options.now) {
        (Some(clock), _) => clock,
        (None, Some(now)) => Arc::new(FixedClock(now)),
        (None, None) => Arc::new(SystemClock),
    };
    let state = fridhem::build_state(config, clock)
        .await
        .expect("app starts");
    let db = state.db.clone();
    let app_state = state.clone();
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        fridhem::serve(state, listener, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestApp {
        address,
        database_url,
        client,
        db,
        state: app_state,
        shutdown: Some(tx),
        server: Some(server),
        cleanup,
        mail_dir,
    }
}

impl TestApp {
    /// Makes the database unreachable for this instance, as an outage
    /// would: SQLite's read pool is closed, PostgreSQL refuses connections
    /// and drops the ones open.
    pub async fn take_database_away(&self) {
        match &self.cleanup {
            Cleanup::Postgres { name } => {
                let mut admin =
                    <sqlx::PgConnection as sqlx::Connection>::connect(&postgres_admin_url())
                        .await
                        .unwrap();
                sqlx::query(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
                    .execute(&mut admin)
                    .await
                    .unwrap();
                sqlx::query(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                     WHERE datname = $1 AND pid <> pg_backend_pid()",
                )
                .bind(name)
                .execute(&mut admin)
                .await
                .unwrap();
            }
            _ => self.db.close().await,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// A client that keeps cookies, as a browser (and a signed-in staff
    /// member) would.
    pub fn cookie_client(&self) -> cookies::CookieClient {
        cookies::CookieClient::new(&self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// GET and return status and body text.
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        self.db.close().await;
        if let Cleanup::Postgres { name } = &self.cleanup {
            drop_postgres_database(name).await;
        }
    }
}

/// Declares each listed `async fn name(app: &TestApp)` as two tests, one per
/// database; the PostgreSQL one is ignored unless asked for.
#[macro_export]
macro_rules! db_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let app = $crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await;
                    super::$name(&app).await;
                    app.stop().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                #[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
                async fn $name() {
                    let app = $crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await;
                    super::$name(&app).await;
                    app.stop().await;
                }
            )*
        }
    };
}

/// The case reference in a receipt's address, `{form}/kvitto/{REF}/{code}`;
/// `None` for anything else.
pub fn reference_of<'a>(location: &'a str, form_path: &str) -> Option<&'a str> {
    let rest = location.strip_prefix(form_path)?.strip_prefix("/kvitto/")?;
    let (reference, code) = rest.split_once('/')?;
    (!code.is_empty() && !code.contains('/')).then_some(reference)
}

pub mod binary;
pub mod cases;
pub mod cookies;
pub mod forms;
pub mod staff;

/// One outbox message with its recipient, subject and body opened.
#[derive(Debug, Clone)]
pub struct Mail {
    pub id: i64,
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub reply_to: Option<String>,
    /// A calendar file sent with the message, opened.
    pub attachment: Option<String>,
}

/// Every outbox message, oldest first, opened with the instance's data
/// key as the mail worker opens them (they are sealed at rest).
pub async fn outbox_mails(app: &TestApp) -> Vec<Mail> {
    let rows: Vec<fridhem::mail::outbox::OutboxMessage> = fridhem::on_pool!(&app.db, |p| {
        sqlx::query_as(
            "SELECT id, message_id, recipient, subject, body, attempts, created_at, reply_to, \
             attachment FROM outbox ORDER BY id",
        )
        .fetch_all(p)
        .await
    })
    .unwrap();
    rows.into_iter()
        .map(|m| {
            let m = fridhem::mail::outbox::open(&app.state.data_keys, m).expect("a message opens");
            Mail {
                id: m.id,
                message_id: m.message_id,
                recipient: m.recipient,
                subject: m.subject,
                body: m.body,
                reply_to: m.reply_to,
                attachment: m.attachment,
            }
        })
        .collect()
}

/// The outbox messages to `recipient`, oldest first.
pub async fn outbox_to(app: &TestApp, recipient: &str) -> Vec<Mail> {
    outbox_mails(app)
        .await
        .into_iter()
        .filter(|m| m.recipient == recipient)
        .collect()
}

/// The page at `path` once it shows `has`: a published change reaches the
/// page cache within the content poll. Fails after 5 s.
pub async fn page_when(app: &TestApp, path: &str, has: &str) -> String {
    page_once(app, path, has, |html| html.contains(has)).await
}

/// Like [`page_when`], for a change that only takes something away (a
/// notice going): waits until the page no longer shows `gone`.
pub async fn page_without(app: &TestApp, path: &str, gone: &str) -> String {
    page_once(app, path, &format!("no {gone:?}"), |html| {
        !html.contains(gone)
    })
    .await
}

async fn page_once(app: &TestApp, path: &str, what: &str, shows: impl Fn(&str) -> bool) -> String {
    let started = std::time::Instant::now();
    loop {
        // A page just published answers 404 until the change reaches
        // this instance's cache: that is waited out too.
        let (status, html) = app.get_text(path).await;
        if status == 200 && shows(&html) {
            return html;
        }
        assert!(
            started.elapsed().as_secs() < 5,
            "{path} does not show {what} after 5 s (status {status})"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}
