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

/// Which entries to read: every part is optional and they combine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    pub account: Option<i64>,
    /// Part of a case reference, upper case.
    pub reference: Option<String>,
    /// An action's code.
    pub action: Option<&'static str>,
    /// From this moment (inclusive) …
    pub from: Option<DateTime<Utc>>,
    /// … to this one (exclusive).
    pub until: Option<DateTime<Utc>>,
}

/// The filter as SQL, its values bound from `$2` on (`$1` is the page's
/// position): `$n IS NULL` skips a part that is not set, so one statement
/// serves every combination on both databases.
const WHERE: &str = "($2 IS NULL OR l.account_id = $2) \
     AND ($3 IS NULL OR (l.object_type = 'ärende' AND l.object_id LIKE $3)) \
     AND ($4 IS NULL OR l.action = $4) \
     AND ($5 IS NULL OR l.at >= $5) \
     AND ($6 IS NULL OR l.at < $6)";

macro_rules! bind_filter {
    ($query:expr, $filter:expr) => {
        $query
            .bind($filter.account)
            .bind($filter.reference.as_ref().map(|r| format!("%{r}%")))
            .bind($filter.action)
            .bind($filter.from)
            .bind($filter.until)
    };
}

/// Up to `limit` entries matching `filter` older than entry `before` (all
/// if `None`), newest first, with the name of the account that acted.
pub async fn page(
    db: &Db,
    filter: &LogFilter,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<NamedRow>, sqlx::Error> {
    let sql = format!(
        "SELECT l.id, l.at, l.account_id, a.name AS account_name, l.action, l.object_type, \
         l.object_id, l.detail FROM audit_log l LEFT JOIN staff_accounts a ON a.id = l.account_id \
         WHERE l.id < $1 AND {WHERE} ORDER BY l.id DESC LIMIT {limit}"
    );
    on_pool!(db, |p| bind_filter!(
        sqlx::query_as::<_, NamedRow>(&sql).bind(before.unwrap_or(i64::MAX)),
        filter
    )
    .fetch_all(p)
    .await)
}

/// How many entries match `filter`.
pub async fn count(db: &Db, filter: &LogFilter) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) FROM audit_log l WHERE l.id < $1 AND {WHERE}");
    on_pool!(db, |p| bind_filter!(
        sqlx::query_scalar::<_, i64>(&sql).bind(i64::MAX),
        filter
    )
    .fetch_one(p)
    .await)
}

/// Every staff account that could appear in the log, by name.
pub async fn accounts(db: &Db) -> Result<Vec<(i64, String, String)>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_as(
        "SELECT id, name, email FROM staff_accounts ORDER BY name, id"
    )
    .fetch_all(p)
    .await)
}

/// Deletes up to `limit` entries from before `before`, the oldest first;
/// returns how many went. The only deletion of the log: entries whose
/// retention period has passed.
pub async fn delete_older_than(
    tx: &mut Tx<'_>,
    before: DateTime<Utc>,
    limit: i64,
) -> Result<u64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM audit_log WHERE id IN \
         (SELECT id FROM audit_log WHERE at < $1 ORDER BY id LIMIT $2)"
    )
    .bind(before)
    .bind(limit)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
}
