//! What can be done with cases, one writer job per use case: everything a
//! use case writes (the case, its reference counter, its e-mail) commits in
//! one transaction or not at all, and the caller hears only after commit.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::model::{AckRule, CaseKind, CaseReference, NewCase};
use super::notify::Notifier;
use super::store;
use crate::db::writer::{WriteError, Writer};
use crate::mail::outbox;

/// Stores a case with its acknowledgement (unless a limit holds it back)
/// and the handler's notification; returns its reference once committed.
pub async fn submit_case(
    writer: &Writer,
    notifier: &Arc<Notifier>,
    kind: CaseKind,
    case: NewCase,
    ack: AckRule,
    now: DateTime<Utc>,
) -> Result<CaseReference, WriteError> {
    let notifier = notifier.clone();
    writer
        .write(move |tx| {
            let (notifier, case, ack) = (notifier.clone(), case.clone(), ack.clone());
            Box::pin(async move {
                let reference = store::next_reference(tx, kind, now).await?;
                // An acknowledgement goes out unless the client or the
                // address has had its share; the case is stored either way.
                let mut ack_key = match (&case.email, ack.client_allowed) {
                    (Some(_), true) => ack.recipient_key.as_deref(),
                    _ => None,
                };
                if let (Some(key), Some(limit)) = (ack_key, ack.per_recipient_per_day) {
                    let since = now - chrono::Duration::days(1);
                    if outbox::count_for_recipient(tx, key, since).await? >= i64::from(limit) {
                        ack_key = None;
                    }
                }
                let ack_mail = match (&case.email, ack_key) {
                    (None, _) => "none",
                    (Some(_), Some(_)) => "queued",
                    (Some(_), None) => "limited",
                };
                let id = store::insert_case(tx, &reference, &case, ack_mail, now).await?;
                for mail in notifier.compose(kind, &reference, &case, ack_key) {
                    outbox::enqueue(tx, Some(id), &mail, now).await?;
                }
                Ok(reference)
            })
        })
        .await
}
