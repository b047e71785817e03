//! The audit log's SQL: append inside a writer job, read for the pages
//! and tests.

use chrono::{DateTime, Utc};

use super::Entry;
use crate::db::{Db, Tx};
use crate::{on_pool, on_tx};

/// Appends `entry` inside the transaction of the change it records.
pub async fn record(tx: &mut Tx<'_>, entry: &Entry, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO audit_log (at, account_id, action, object_type, object_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(now)
    .bind(entry.actor)
    .bind(entry.action.code())
    .bind(entry.object_type)
    .bind(entry.object_id.as_deref())
    .bind(&entry.detail)
    .execute(c)
    .await
    .map(|_| ()))
}

/// One stored entry.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub account_id: Option<i64>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub detail: String,
}

/// The newest `limit` entries, newest first.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<Row>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_as::<_, Row>(
        "SELECT id, at, account_id, action, object_type, object_id, detail \
         FROM audit_log ORDER BY id DESC LIMIT $1"
    )
    .bind(limit)
    .fetch_all(p)
    .await)
}

/// An entry with the name of the account that acted, for the log page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NamedRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub account_id: Option<i64>,
    pub account_name: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub detail: String,
}

/// Up to `limit` entries older than `before` (all if `None`), newest first.
pub async fn page(db: &Db, before: Option<i64>, limit: i64) -> Result<Vec<NamedRow>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_as::<_, NamedRow>(
        "SELECT l.id, l.at, l.account_id, a.name AS account_name, l.action, l.object_type, \
         l.object_id, l.detail FROM audit_log l LEFT JOIN staff_accounts a ON a.id = l.account_id \
         WHERE l.id < $1 ORDER BY l.id DESC LIMIT $2"
    )
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all(p)
    .await)
}
