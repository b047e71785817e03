//! Reading cases. Writes go through the single writer (`db::writer`).

use crate::db::{Db, DbError};
use crate::on_pool;

/// Whether the case's acknowledgement went out (`none`, `queued` or
/// `limited`); `None` when there is no such case.
pub async fn ack_mail(db: &Db, reference: &str) -> Result<Option<String>, DbError> {
    Ok(on_pool!(db, |p| sqlx::query_scalar(
        "SELECT ack_mail FROM cases WHERE reference = $1"
    )
    .bind(reference)
    .fetch_optional(p)
    .await)?)
}
