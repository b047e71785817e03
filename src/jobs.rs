//! Background work on a schedule that spans domains: deletion on schedule
//! (gallring) and the events' reminders. Every instance runs the loops;
//! the database hands each hourly clean-up to one of them
//! ([`crate::db::schedule`]), each case is cleaned once, in a transaction
//! of its own batch, and each reminder is marked in the transaction that
//! queues it.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};

use crate::cases::service::Purged;
use crate::db::writer::Writer;
use crate::db::{schedule, Db};
use crate::web::AppState;

/// The name of the clean-up run in `scheduled_runs`.
pub const RETENTION_RUN: &str = "gallring";

/// How often the clean-up runs at most, across all instances.
pub fn retention_every() -> chrono::Duration {
    chrono::Duration::hours(1)
}

/// How often an instance asks whether a run is due.
const POLL: Duration = Duration::from_secs(5 * 60);

/// What one run did; `None` from [`run_retention`] when another instance
/// (or this one) ran less than an hour ago.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionRun {
    pub purged: Purged,
    /// Event registrations whose personal data went.
    pub registrations: crate::events::registration::service::Cleaned,
    pub audit_entries: u64,
}

/// Claims the hourly run and, if this instance got it, cleans the due
/// cases and the audit entries past their retention, then empties the
/// SQLite WAL so deleted values are in no file.
pub async fn run_retention(state: &AppState) -> anyhow::Result<Option<RetentionRun>> {
    let now = state.clock.now();
    let claimed = state
        .writer
        .write(move |tx| Box::pin(schedule::claim(tx, RETENTION_RUN, now, retention_every())))
        .await
        .context("claiming the run")?;
    if !claimed {
        return Ok(None);
    }
    let run = match clean_up(
        &state.db,
        &state.writer,
        &state.config.mail.dir,
        &state.config.security,
        now,
    )
    .await
    {
        Ok(run) => run,
        Err(e) => {
            // What was cleaned stays cleaned; the rest is tried at the
            // next poll, on whichever instance asks first.
            let _ = state
                .writer
                .write(move |tx| {
                    Box::pin(schedule::release(tx, RETENTION_RUN, now, retention_every()))
                })
                .await;
            return Err(e);
        }
    };
    let finished = state.clock.now();
    state
        .writer
        .write(move |tx| Box::pin(schedule::finish(tx, RETENTION_RUN, finished)))
        .await?;
    Ok(Some(run))
}

/// One clean-up, without the hourly claim: the due cases, the audit
/// entries past `audit_months`, and the SQLite WAL. Safe beside running
/// instances (each case is cleaned once whoever gets to it), so
/// `fridhem clean-up` calls it directly.
pub async fn clean_up(
    db: &Db,
    writer: &Writer,
    mail_dir: &Path,
    security: &crate::config::Security,
    now: DateTime<Utc>,
) -> anyhow::Result<RetentionRun> {
    let purged = crate::cases::service::purge_due(db, writer, Some(mail_dir.to_path_buf()), now)
        .await
        .context("cleaning closed cases")?;
    let registrations = crate::events::registration::service::purge_due(
        writer,
        Some(mail_dir.to_path_buf()),
        security.event_retention_days,
        now,
    )
    .await
    .context("cleaning event registrations")?;
    let audit_entries = crate::audit::service::prune(writer, security.audit_retention_months, now)
        .await
        .context("deleting old audit entries")?;
    if purged.cases > 0 || registrations.registrations > 0 || audit_entries > 0 {
        db.checkpoint().await.context("emptying the WAL")?;
    }
    Ok(RetentionRun {
        purged,
        registrations,
        audit_entries,
    })
}

/// Runs [`run_retention`] now and then every few minutes for as long as
/// the process lives.
pub fn spawn_retention(state: AppState) {
    tokio::spawn(async move {
        loop {
            match run_retention(&state).await {
                Ok(Some(run))
                    if run.purged.cases > 0
                        || run.registrations.registrations > 0
                        || run.audit_entries > 0 =>
                {
                    tracing::info!(
                        cases = run.purged.cases,
                        registrations = run.registrations.registrations,
                        mails = run.purged.mails,
                        mail_files = run.purged.files,
                        audit_entries = run.audit_entries,
                        "personal data past its retention deleted"
                    );
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(
                    error = format!("{e:#}"),
                    "clean-up run failed; tried again later"
                ),
            }
            tokio::time::sleep(POLL).await;
        }
    });
}

/// How often an instance looks for reminders that are due.
const REMINDER_POLL: Duration = Duration::from_secs(60);

/// Sends the events' reminders, 24 hours before each start, on every
/// instance (a reminder is claimed with its registration's row).
pub fn spawn_reminders(state: AppState) {
    tokio::spawn(async move {
        let ctx = crate::events::registration::routes::context(&state);
        loop {
            match crate::events::registration::service::send_reminders(&ctx, state.clock.now())
                .await
            {
                Ok(0) => {}
                Ok(n) => {
                    state.mail_wake.notify_one();
                    tracing::info!(reminders = n, "event reminders queued");
                }
                Err(e) => tracing::warn!(error = %e, "event reminders failed; tried again later"),
            }
            tokio::time::sleep(REMINDER_POLL).await;
        }
    });
}
