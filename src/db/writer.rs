//! The single writer. Every write of the application is a job run by one
//! task that commits whatever has queued up together: one transaction and
//! one fsync serve many jobs (group commit), and SQLite never answers
//! "database is locked" to a visitor. A caller is answered only after its
//! transaction is durably committed.
//!
//! A job is any closure over a [`Tx`]: a domain's service composes its own
//! store calls (a case, its audit row, its e-mail) into one job, so they
//! commit together or not at all. Jobs are `Fn`, not `FnOnce`: when one job
//! of a batch fails, the batch is rolled back and run again with a savepoint
//! per job, so the failing job fails alone and the others still commit.

use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions, SqliteSynchronous};
use sqlx::Acquire;
use tokio::sync::{mpsc, oneshot};

use super::{BoxFuture, Db, Tx};
use crate::config::DatabaseUrl;

/// Upper bound on jobs per transaction; a batch this big is already far
/// beyond what one fsync needs to pay for.
const MAX_BATCH: usize = 512;
/// How many times the writer lets other tasks run before committing.
const GATHER_YIELDS: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The job itself failed (a constraint, a bad row); nothing of it is
    /// stored.
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    /// The whole batch could not be committed; the cause is shared by every
    /// job of the batch.
    #[error("commit failed: {0}")]
    Commit(Arc<sqlx::Error>),
    #[error("the writer has stopped")]
    Stopped,
}

impl WriteError {
    /// The database error behind this failure, if there is one.
    pub fn sqlx(&self) -> Option<&sqlx::Error> {
        match self {
            WriteError::Db(e) => Some(e),
            WriteError::Commit(e) => Some(e),
            WriteError::Stopped => None,
        }
    }
}

/// How the writer commits. The defaults are the only settings production
/// uses; the others exist for `scripts/bench-forms.sh` (cargo feature
/// `bench`), to show what durability and group commit cost.
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    /// SQLite `synchronous=OFF` instead of `FULL`: not durable.
    pub synchronous_off: bool,
    /// At most this many jobs per transaction; 1 turns group commit off.
    pub max_batch: usize,
}

impl Default for Tuning {
    fn default() -> Tuning {
        Tuning {
            synchronous_off: false,
            max_batch: MAX_BATCH,
        }
    }
}

/// A job with its result type erased, so jobs of any domain share one
/// queue.
trait Job: Send {
    fn run<'t>(&'t mut self, tx: &'t mut Tx<'_>) -> BoxFuture<'t, Result<(), sqlx::Error>>;
    /// Answers the caller once the batch is committed (or has failed).
    fn finish(self: Box<Self>, result: Result<(), WriteError>);
}

struct Typed<T, F> {
    job: F,
    output: Option<T>,
    reply: oneshot::Sender<Result<T, WriteError>>,
}

impl<T, F> Job for Typed<T, F>
where
    T: Send + 'static,
    F: for<'t, 'c> Fn(&'t mut Tx<'c>) -> BoxFuture<'t, Result<T, sqlx::Error>> + Send + 'static,
{
    fn run<'t>(&'t mut self, tx: &'t mut Tx<'_>) -> BoxFuture<'t, Result<(), sqlx::Error>> {
        Box::pin(async move {
            let output = (self.job)(tx).await?;
            self.output = Some(output);
            Ok(())
        })
    }

    fn finish(self: Box<Self>, result: Result<(), WriteError>) {
        let Typed { output, reply, .. } = *self;
        let answer = result.and_then(|()| output.ok_or(WriteError::Stopped));
        // A caller that went away (client disconnected) is no error: its
        // write is durable all the same.
        let _ = reply.send(answer);
    }
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Box<dyn Job>>,
}

enum Target {
    /// A pool of exactly one connection, used by the writer alone.
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// The acknowledgement waits for the commit to reach disk even if the
/// server's default was relaxed.
const PG_DURABLE: &str = "SET LOCAL synchronous_commit TO on";

impl Writer {
    /// Starts the writer task. For SQLite it opens its own connection with
    /// `synchronous=FULL`, so a commit is on disk before anyone is told.
    pub async fn start(url: &DatabaseUrl, db: &Db, tuning: Tuning) -> Result<Writer, sqlx::Error> {
        let target = match db {
            Db::Sqlite(_) => {
                let DatabaseUrl::Sqlite(url) = url else {
                    return Err(sqlx::Error::Configuration(
                        "SQLite pool without a SQLite URL".into(),
                    ));
                };
                let options: SqliteConnectOptions = url.parse()?;
                let options = options
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    // What this connection deletes (cleaned cases, old
                    // audit rows) is overwritten, not left in free pages.
                    .pragma("secure_delete", "ON")
                    .synchronous(if tuning.synchronous_off {
                        SqliteSynchronous::Off
                    } else {
                        SqliteSynchronous::Full
                    });
                let pool = SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .connect_with(options)
                    .await?;
                Target::Sqlite(pool)
            }
            Db::Postgres(pool) => Target::Postgres(pool.clone()),
        };
        let (jobs, rx) = mpsc::channel(4096);
        tokio::spawn(run(target, rx, tuning.max_batch.clamp(1, MAX_BATCH)));
        Ok(Writer { jobs })
    }

    /// Runs `job` in the shared transaction and returns what it produced
    /// once the transaction is durably committed. The job may run twice (see
    /// the module documentation), so it must not have effects outside the
    /// transaction.
    pub async fn write<T, F>(&self, job: F) -> Result<T, WriteError>
    where
        T: Send + 'static,
        F: for<'t, 'c> Fn(&'t mut Tx<'c>) -> BoxFuture<'t, Result<T, sqlx::Error>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Box::new(Typed {
                job,
                output: None,
                reply,
            }))
            .await
            .map_err(|_| WriteError::Stopped)?;
        answer.await.map_err(|_| WriteError::Stopped)?
    }
}

/// Commits a batch in one transaction. Optimistically all jobs run
/// directly; if any fails, the transaction is rolled back and the batch
/// rerun with a savepoint per job, so one failing job (a constraint, a bad
/// row) does not take the others down with it. Returns each job's own
/// result; `Err` means the batch as a whole could not be committed.
macro_rules! run_batch {
    ($pool:expr, $variant:ident, $batch:expr, $begin:expr, $durable:expr) => {
        async {
            let mut tx = $pool.begin_with($begin).await?;
            if let Some(sql) = $durable {
                sqlx::query(sql).execute(&mut *tx).await?;
            }
            let mut clean = true;
            for job in $batch.iter_mut() {
                let mut t = Tx::$variant(&mut *tx);
                if job.run(&mut t).await.is_err() {
                    clean = false;
                    break;
                }
            }
            let mut results: Vec<Result<(), sqlx::Error>> = Vec::with_capacity($batch.len());
            if clean {
                results.extend($batch.iter().map(|_| Ok(())));
            } else {
                tx.rollback().await?;
                tx = $pool.begin_with($begin).await?;
                if let Some(sql) = $durable {
                    sqlx::query(sql).execute(&mut *tx).await?;
                }
                for job in $batch.iter_mut() {
                    let mut savepoint = (&mut *tx).begin().await?;
                    let mut t = Tx::$variant(&mut *savepoint);
                    let result = job.run(&mut t).await;
                    if result.is_ok() {
                        savepoint.commit().await?;
                    } else {
                        savepoint.rollback().await?;
                    }
                    results.push(result);
                }
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(results)
        }
    };
}

async fn run(target: Target, mut rx: mpsc::Receiver<Box<dyn Job>>, max_batch: usize) {
    let mut batch: Vec<Box<dyn Job>> = Vec::with_capacity(max_batch.min(64));
    while rx.recv_many(&mut batch, max_batch).await > 0 {
        // Jobs finishing their HTTP work right now would otherwise each
        // start a tiny batch of their own; letting the other tasks run
        // briefly gathers them into this one (measured in bench-forms.sh).
        if max_batch > 1 {
            for _ in 0..GATHER_YIELDS {
                tokio::task::yield_now().await;
                if rx.is_empty() {
                    continue;
                }
                let room = max_batch - batch.len();
                rx.recv_many(&mut batch, room).await;
            }
        }
        let outcome = match &target {
            // IMMEDIATE: the write lock is taken at the start, waiting
            // (busy timeout) for another process that holds it (`fridhem
            // clean-up`, `staff add`). A deferred transaction that read
            // first could not upgrade once that process had written, and
            // would fail at once with SQLITE_BUSY_SNAPSHOT.
            Target::Sqlite(pool) => {
                run_batch!(pool, Sqlite, batch, "BEGIN IMMEDIATE", None::<&str>).await
            }
            Target::Postgres(pool) => {
                run_batch!(pool, Postgres, batch, "BEGIN", Some(PG_DURABLE)).await
            }
        };
        match outcome {
            Ok(results) => {
                for (job, result) in batch.drain(..).zip(results) {
                    job.finish(result.map_err(WriteError::Db));
                }
            }
            Err(e) => {
                // Nothing of this batch is durable: everyone hears so, with
                // the real cause.
                tracing::error!(error = %e, jobs = batch.len(), "write batch failed");
                let cause = Arc::new(e);
                for job in batch.drain(..) {
                    job.finish(Err(WriteError::Commit(cause.clone())));
                }
            }
        }
    }
}
