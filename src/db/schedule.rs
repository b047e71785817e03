//! Work that every instance runs on a schedule but only one should do at
//! a time: a run is claimed by moving its start forward in the database,
//! which succeeds for one instance only, and only once `every` has passed
//! since the last claimed run.

use chrono::{DateTime, Utc};

use super::Tx;

/// Claims the run `name` at `now` unless one started less than `every`
/// ago; true for the instance that got it.
pub async fn claim(
    tx: &mut Tx<'_>,
    name: &str,
    now: DateTime<Utc>,
    every: chrono::Duration,
) -> Result<bool, sqlx::Error> {
    let claimed: Option<String> = crate::on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO scheduled_runs (name, started_at) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET started_at = $2, finished_at = NULL \
         WHERE scheduled_runs.started_at <= $3 RETURNING name"
    )
    .bind(name)
    .bind(now)
    .bind(now - every)
    .fetch_optional(c)
    .await)?;
    Ok(claimed.is_some())
}

/// Records that the run `name` finished.
pub async fn finish(tx: &mut Tx<'_>, name: &str, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |c| sqlx::query(
        "UPDATE scheduled_runs SET finished_at = $2 WHERE name = $1"
    )
    .bind(name)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ()))
}

/// Gives back the run `name` claimed at `started_at` (it failed), so that
/// the next instance to ask gets it rather than waiting out the interval.
pub async fn release(
    tx: &mut Tx<'_>,
    name: &str,
    started_at: DateTime<Utc>,
    every: chrono::Duration,
) -> Result<(), sqlx::Error> {
    crate::on_tx!(tx, |c| sqlx::query(
        "UPDATE scheduled_runs SET started_at = $3 WHERE name = $1 AND started_at = $2"
    )
    .bind(name)
    .bind(started_at)
    .bind(started_at - every)
    .execute(c)
    .await
    .map(|_| ()))
}
