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
