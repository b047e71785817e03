//! The promise behind every receipt: a 303 to `<form>/kvitto/<REF>` is sent
//! only once the case is durably committed. The real binary is killed with
//! SIGKILL (no draining, no flushing) again and again while clients submit
//! forms; afterwards every reference any client was shown must be stored.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::forms::{token_of, valid_fields, FORMS};
use crate::helpers::{create_postgres_database, drop_postgres_database, free_port, Backend};

const BIN: &str = env!("CARGO_BIN_EXE_fridhem");
/// Fixed, so a token fetched before a crash is still valid after it.
const SECRET_KEY: &str = "6b1f0c7e2d9a4b3c8e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5";
const CLIENTS: usize = 16;
const KILLS: usize = 4;

/// The binary as an operator runs it, killed for real on drop so a failing
/// test leaves no process behind.
struct Server {
    child: Option<Child>,
    port: u16,
    database_url: String,
    dir: PathBuf,
    starts: usize,
}

impl Server {
    fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn spawn(&mut self) {
        assert!(self.child.is_none(), "already running");
        self.starts += 1;
        // Each life gets its own log, kept for a post-mortem on failure.
        let log = |name: &str| File::create(self.dir.join(format!("{name}-{}.log", self.starts)));
        let child = Command::new(BIN)
            .current_dir(&self.dir)
            .env_clear()
            .env("FRIDHEM_BIND", format!("127.0.0.1:{}", self.port))
            .env("FRIDHEM_DATABASE_URL", &self.database_url)
            .env("FRIDHEM_BASE_URL", self.address())
            .env("FRIDHEM_FORM_RATE_LIMIT", "0")
            .env("FRIDHEM_SECRET_KEY", SECRET_KEY)
            .env("FRIDHEM_QUICK_EXIT_URL", "http://127.0.0.1:9/vader")
            .stdin(Stdio::null())
            .stdout(log("stdout").unwrap())
            .stderr(log("stderr").unwrap())
            .spawn()
            .expect("the fridhem binary starts");
        self.child = Some(child);
    }

    /// Waits until `/readyz` answers 200: migrated, seeded, database reachable.
    async fn wait_ready(&mut self, client: &reqwest::Client) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!(
                    "server exited during start-up ({status}): {}",
                    self.stderr_tail()
                );
            }
            let ready = client
                .get(format!("{}/readyz", self.address()))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200);
            if ready {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "server not ready within 20 s: {}",
                self.stderr_tail()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// SIGKILL: no signal handler runs, nothing is drained or flushed.
    fn kill_hard(&mut self) {
        let mut child = self.child.take().expect("running");
        let status = Command::new("kill")
            .args(["-KILL", &child.id().to_string()])
            .status()
            .expect("kill(1) runs");
        assert!(status.success(), "kill -KILL failed");
        // Reaped, so the port and the database are free for the next life.
        let exit = child.wait().unwrap();
        assert!(!exit.success(), "killed, not exited: {exit:?}");
    }

    fn stderr_tail(&self) -> String {
        let text = std::fs::read_to_string(self.dir.join(format!("stderr-{}.log", self.starts)))
            .unwrap_or_default();
        let mut start = text.len().saturating_sub(2000);
        while !text.is_char_boundary(start) {
            start += 1;
        }
        text[start..].to_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

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
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&fields)
            .finish();
        let sent = client
            .post(format!("{address}{path}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", "null")
            .header("sec-fetch-site", "same-origin")
            .body(body)
            .send()
            .await;
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

async fn receipts_survive_sigkill(backend: Backend, dir: &Path, database_url: String) {
    let started = Instant::now();
    let mut server = Server {
        child: None,
        port: free_port(),
        database_url: database_url.clone(),
        dir: dir.to_owned(),
        starts: 0,
    };
    let probe = reqwest::Client::new();
    server.spawn();
    server.wait_ready(&probe).await;

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
        server.spawn();
        server.wait_ready(&probe).await;
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
        server.starts,
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
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("fridhem.db").display());
    receipts_survive_sigkill(Backend::Sqlite, dir.path(), url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn receipts_survive_sigkill_postgres() {
    let dir = tempfile::tempdir().unwrap();
    let (url, name) = create_postgres_database().await;
    // Run in its own task so a failed assertion still drops the database.
    let run = tokio::spawn({
        let dir = dir.path().to_owned();
        async move { receipts_survive_sigkill(Backend::Postgres, &dir, url).await }
    })
    .await;
    drop_postgres_database(&name).await;
    if let Err(e) = run {
        std::panic::resume_unwind(e.into_panic());
    }
}
