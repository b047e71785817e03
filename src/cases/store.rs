//! Reading cases. Writes go through the single writer (`db::writer`).

use crate::db::{Db, DbError};
use crate::on_pool;

/// Whether a case with this reference exists (for the receipt page).
pub async fn exists(db: &Db, reference: &str) -> Result<bool, DbError> {
    let found: Option<i64> = on_pool!(db, |p| sqlx::query_scalar(
        "SELECT id FROM cases WHERE reference = $1"
    )
    .bind(reference)
    .fetch_optional(p)
    .await)?;
    Ok(found.is_some())
}

pub async fn count(db: &Db) -> Result<i64, DbError> {
    Ok(on_pool!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM cases"
    )
    .fetch_one(p)
    .await)?)
}
