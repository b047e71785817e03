//! The single writer. Every write of a public submission, and every outbox
//! change, goes through one task that commits whatever has queued up
//! together: one transaction and one fsync serve many submissions (group
//! commit), and SQLite never answers "database is locked" to a visitor.
//! A caller is answered only after its transaction is durably committed.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Datelike, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions, SqliteSynchronous};
use tokio::sync::{mpsc, oneshot};

use super::Db;
use crate::cases::model::{AckRule, CaseKind, CaseReference, NewCase};
use crate::config::{BenchSwitches, DatabaseUrl};
use crate::mail::{OutboxMessage, OutgoingMail};

/// Upper bound on jobs per transaction; a batch this big is already far
/// beyond what one fsync needs to pay for.
const MAX_BATCH: usize = 512;
/// How many times the writer lets other tasks run before committing.
const GATHER_YIELDS: usize = 4;

/// Composes the e-mail for a case once its reference is known.
/// The last argument is the acknowledgement's recipient fingerprint, or
/// `None` when no acknowledgement goes out.
pub type Composer = Arc<
    dyn Fn(CaseKind, &CaseReference, &NewCase, Option<&str>) -> Vec<OutgoingMail> + Send + Sync,
>;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("the writer has stopped")]
    Stopped,
}

enum Job {
    Submit {
        kind: CaseKind,
        case: Box<NewCase>,
        ack: AckRule,
        now: DateTime<Utc>,
        reply: oneshot::Sender<Result<CaseReference, WriteError>>,
    },
    Claim {
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
        reply: oneshot::Sender<Result<Vec<OutboxMessage>, WriteError>>,
    },
    Sent {
        id: i64,
        now: DateTime<Utc>,
        reply: oneshot::Sender<Result<(), WriteError>>,
    },
    Failed {
        id: i64,
        error: String,
        retry_at: DateTime<Utc>,
        reply: oneshot::Sender<Result<(), WriteError>>,
    },
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

enum Target {
    /// A pool of exactly one connection, used by the writer alone.
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

const NEXT_NUMBER: &str = "INSERT INTO case_counters (prefix, year, last) VALUES ($1, $2, 1) \
     ON CONFLICT (prefix, year) DO UPDATE SET last = case_counters.last + 1 RETURNING last";
const INSERT_CASE: &str =
    "INSERT INTO cases (reference, kind, created_at, page, topic, format, organisation, message, \
     name, email, phone, postal_address, preferred_contact, ack_mail) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";
const INSERT_MAIL: &str = "INSERT INTO outbox (case_id, message_id, recipient, subject, body, created_at, next_attempt_at, recipient_key) \
     VALUES ($1, $2, $3, $4, $5, $6, $6, $7)";
const ACKS_SINCE: &str = "SELECT COUNT(*) FROM outbox WHERE recipient_key = $1 AND created_at > $2";
const CLAIM_SQLITE: &str =
    "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 WHERE id IN \
     (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $2 \
      AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3) \
     RETURNING id, message_id, recipient, subject, body, attempts, created_at";
/// Several instances may claim at once: SKIP LOCKED gives each its own rows.
const CLAIM_POSTGRES: &str = "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 WHERE id IN \
     (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $2 \
      AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
     RETURNING id, message_id, recipient, subject, body, attempts, created_at";
/// The acknowledgement waits for the commit to reach disk even if the
/// server's default was relaxed.
const PG_DURABLE: &str = "SET LOCAL synchronous_commit TO on";
const MARK_SENT: &str =
    "UPDATE outbox SET sent_at = $1, claimed_until = NULL, last_error = NULL WHERE id = $2";
const MARK_FAILED: &str =
    "UPDATE outbox SET next_attempt_at = $1, last_error = $2, claimed_until = NULL WHERE id = $3";

impl Writer {
    /// Starts the writer task. For SQLite it opens its own connection with
    /// `synchronous=FULL`, so a commit is on disk before anyone is told.
    pub async fn start(
        url: &DatabaseUrl,
        db: &Db,
        composer: Composer,
        bench: BenchSwitches,
    ) -> Result<Writer, sqlx::Error> {
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
                    .synchronous(if bench.synchronous_off {
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
        let max_batch = if bench.no_group_commit { 1 } else { MAX_BATCH };
        let (jobs, rx) = mpsc::channel(4096);
        tokio::spawn(run(target, rx, composer, max_batch));
        Ok(Writer { jobs })
    }

    async fn ask<T>(
        &self,
        job: impl FnOnce(oneshot::Sender<Result<T, WriteError>>) -> Job,
    ) -> Result<T, WriteError> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(job(reply))
            .await
            .map_err(|_| WriteError::Stopped)?;
        answer.await.map_err(|_| WriteError::Stopped)?
    }

    /// Stores a case with its outgoing e-mail; returns its reference once
    /// the transaction is committed.
    pub async fn submit(
        &self,
        kind: CaseKind,
        case: NewCase,
        ack: AckRule,
        now: DateTime<Utc>,
    ) -> Result<CaseReference, WriteError> {
        self.ask(|reply| Job::Submit {
            kind,
            case: Box::new(case),
            ack,
            now,
            reply,
        })
        .await
    }

    /// Claims up to `limit` messages that are due, leasing them until
    /// `lease_until` so no other worker takes them meanwhile.
    pub async fn claim_mail(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>, WriteError> {
        self.ask(|reply| Job::Claim {
            now,
            lease_until,
            limit,
            reply,
        })
        .await
    }

    pub async fn mail_sent(&self, id: i64, now: DateTime<Utc>) -> Result<(), WriteError> {
        self.ask(|reply| Job::Sent { id, now, reply }).await
    }

    pub async fn mail_failed(
        &self,
        id: i64,
        error: String,
        retry_at: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        self.ask(|reply| Job::Failed {
            id,
            error,
            retry_at,
            reply,
        })
        .await
    }
}

/// What a job produced before commit; sent to its caller after commit.
enum Outcome {
    Reference(CaseReference),
    Claimed(Vec<OutboxMessage>),
    Done,
}

/// Runs one job inside the open transaction `$tx` (a savepoint), with the
/// same SQL on either database; `$claim` is the dialect's claim statement.
macro_rules! run_job {
    ($tx:expr, $job:expr, $composer:expr, $claim:expr) => {
        async {
            match $job {
                Job::Submit {
                    kind,
                    case,
                    ack,
                    now,
                    ..
                } => {
                    // An acknowledgement goes out unless the client or the
                    // address has had its share; the case is stored either way.
                    let mut ack_key = if case.email.is_some() && ack.client_allowed {
                        ack.recipient_key.as_deref()
                    } else {
                        None
                    };
                    if let (Some(key), Some(limit)) = (ack_key, ack.per_recipient_per_day) {
                        let sent: i64 = sqlx::query_scalar(ACKS_SINCE)
                            .bind(key)
                            .bind(*now - chrono::Duration::days(1))
                            .fetch_one(&mut **$tx)
                            .await?;
                        if sent >= i64::from(limit) {
                            ack_key = None;
                        }
                    }
                    let ack_mail = match (&case.email, ack_key) {
                        (None, _) => "none",
                        (Some(_), Some(_)) => "queued",
                        (Some(_), None) => "limited",
                    };
                    // The year a visitor in Sweden would write on the case.
                    let year = now.with_timezone(&chrono_tz::Europe::Stockholm).year();
                    let number: i64 = sqlx::query_scalar(NEXT_NUMBER)
                        .bind(kind.prefix())
                        .bind(i64::from(year))
                        .fetch_one(&mut **$tx)
                        .await?;
                    let reference = CaseReference {
                        kind: *kind,
                        year,
                        number,
                    };
                    let case_id: i64 = sqlx::query_scalar(INSERT_CASE)
                        .bind(reference.to_string())
                        .bind(kind.prefix())
                        .bind(*now)
                        .bind(&case.page)
                        .bind(&case.topic)
                        .bind(&case.format)
                        .bind(&case.organisation)
                        .bind(&case.message)
                        .bind(&case.name)
                        .bind(case.email.as_ref().map(|e| e.as_str()))
                        .bind(&case.phone)
                        .bind(&case.postal_address)
                        .bind(&case.preferred_contact)
                        .bind(ack_mail)
                        .fetch_one(&mut **$tx)
                        .await?;
                    for mail in ($composer)(*kind, &reference, case, ack_key) {
                        sqlx::query(INSERT_MAIL)
                            .bind(case_id)
                            .bind(&mail.message_id)
                            .bind(&mail.recipient)
                            .bind(&mail.subject)
                            .bind(&mail.body)
                            .bind(*now)
                            .bind(&mail.recipient_key)
                            .execute(&mut **$tx)
                            .await?;
                    }
                    Ok::<Outcome, sqlx::Error>(Outcome::Reference(reference))
                }
                Job::Claim {
                    now,
                    lease_until,
                    limit,
                    ..
                } => {
                    let rows: Vec<OutboxMessage> = sqlx::query_as($claim)
                        .bind(*lease_until)
                        .bind(*now)
                        .bind(*limit)
                        .fetch_all(&mut **$tx)
                        .await?;
                    Ok(Outcome::Claimed(rows))
                }
                Job::Sent { id, now, .. } => {
                    sqlx::query(MARK_SENT)
                        .bind(*now)
                        .bind(*id)
                        .execute(&mut **$tx)
                        .await?;
                    Ok(Outcome::Done)
                }
                Job::Failed {
                    id,
                    error,
                    retry_at,
                    ..
                } => {
                    sqlx::query(MARK_FAILED)
                        .bind(*retry_at)
                        .bind(error.as_str())
                        .bind(*id)
                        .execute(&mut **$tx)
                        .await?;
                    Ok(Outcome::Done)
                }
            }
        }
    };
}

/// Commits a batch in one transaction. Optimistically all jobs run
/// directly; if any fails, the transaction is rolled back and the batch
/// rerun with a savepoint per job, so one failing job (a constraint, a bad
/// row) does not take the others down with it.
macro_rules! run_batch {
    ($pool:expr, $batch:expr, $composer:expr, $claim:expr, $durable:expr) => {
        async {
            let mut tx = $pool.begin().await?;
            if !$durable.is_empty() {
                sqlx::query($durable).execute(&mut *tx).await?;
            }
            let mut outcomes: Vec<Result<Outcome, sqlx::Error>> = Vec::with_capacity($batch.len());
            let mut clean = true;
            for job in $batch.iter() {
                match run_job!(&mut tx, job, $composer, $claim).await {
                    Ok(outcome) => outcomes.push(Ok(outcome)),
                    Err(_) => {
                        clean = false;
                        break;
                    }
                }
            }
            if !clean {
                tx.rollback().await?;
                outcomes.clear();
                tx = $pool.begin().await?;
                if !$durable.is_empty() {
                    sqlx::query($durable).execute(&mut *tx).await?;
                }
                for job in $batch.iter() {
                    let mut savepoint = sqlx::Acquire::begin(&mut *tx).await?;
                    match run_job!(&mut savepoint, job, $composer, $claim).await {
                        Ok(outcome) => {
                            savepoint.commit().await?;
                            outcomes.push(Ok(outcome));
                        }
                        Err(e) => {
                            savepoint.rollback().await?;
                            outcomes.push(Err(e));
                        }
                    }
                }
            }
            tx.commit().await?;
            Ok::<_, sqlx::Error>(outcomes)
        }
    };
}

async fn run(target: Target, mut rx: mpsc::Receiver<Job>, composer: Composer, max_batch: usize) {
    let mut batch: Vec<Job> = Vec::with_capacity(max_batch.min(64));
    while rx.recv_many(&mut batch, max_batch).await > 0 {
        // Submissions finishing their HTTP work right now would otherwise
        // each start a tiny batch of their own; letting the other tasks run
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
        let result = match &target {
            Target::Sqlite(pool) => run_batch!(pool, batch, composer, CLAIM_SQLITE, "").await,
            Target::Postgres(pool) => {
                run_batch!(pool, batch, composer, CLAIM_POSTGRES, PG_DURABLE).await
            }
        };
        match result {
            Ok(outcomes) => {
                for (job, outcome) in batch.drain(..).zip(outcomes) {
                    reply(job, outcome.map_err(WriteError::from));
                }
            }
            Err(e) => {
                // Nothing of this batch is durable: everyone hears so.
                tracing::error!(error = %e, jobs = batch.len(), "write batch failed");
                let message = e.to_string();
                for job in batch.drain(..) {
                    reply(
                        job,
                        Err(WriteError::Db(sqlx::Error::Protocol(message.clone()))),
                    );
                }
            }
        }
    }
}

fn reply(job: Job, outcome: Result<Outcome, WriteError>) {
    // A caller that went away (client disconnected) is no error: its write
    // is durable all the same.
    match job {
        Job::Submit { reply, .. } => {
            let _ = reply.send(outcome.map(|o| match o {
                Outcome::Reference(r) => r,
                _ => unreachable_outcome(),
            }));
        }
        Job::Claim { reply, .. } => {
            let _ = reply.send(outcome.map(|o| match o {
                Outcome::Claimed(rows) => rows,
                _ => unreachable_outcome(),
            }));
        }
        Job::Sent { reply, .. } | Job::Failed { reply, .. } => {
            let _ = reply.send(outcome.map(|_| ()));
        }
    }
}

fn unreachable_outcome() -> ! {
    panic!("a job's outcome always matches its kind")
}
