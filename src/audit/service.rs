//! Writes the audit log makes about itself.

use chrono::{DateTime, Utc};

use super::{store, Action, Entry};
use crate::db::writer::{WriteError, Writer};

/// Records that `actor` exported the log; `detail` names the selection
/// and its size. Committed before the file is sent.
pub async fn record_export(
    writer: &Writer,
    actor: i64,
    detail: String,
    now: DateTime<Utc>,
) -> Result<(), WriteError> {
    writer
        .write(move |tx| {
            let entry = Entry::new(Some(actor), Action::AuditExported).detail(detail.clone());
            Box::pin(async move { store::record(tx, &entry, now).await })
        })
        .await
}

/// Entries deleted per transaction.
const PRUNE_BATCH: i64 = 5000;

/// Deletes the entries older than `months` months, a batch per writer
/// job, each batch with an entry saying what went. Returns how many.
pub async fn prune(writer: &Writer, months: u32, now: DateTime<Utc>) -> Result<u64, WriteError> {
    let Some(before) = now.checked_sub_months(chrono::Months::new(months)) else {
        return Ok(0);
    };
    let mut total = 0;
    loop {
        let deleted = writer
            .write(move |tx| {
                Box::pin(async move {
                    let deleted = store::delete_older_than(tx, before, PRUNE_BATCH).await?;
                    if deleted > 0 {
                        let entry = Entry::new(None, Action::AuditPruned).detail(format!(
                            "{deleted} händelser från före {} borttagna ({months} månaders lagringstid)",
                            crate::web::format::stockholm(before, "%Y-%m-%d")
                        ));
                        store::record(tx, &entry, now).await?;
                    }
                    Ok(deleted)
                })
            })
            .await?;
        total += deleted;
        if (deleted as i64) < PRUNE_BATCH {
            return Ok(total);
        }
    }
}
