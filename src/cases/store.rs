//! All SQL of cases. Reads take the pool; writes take the writer's
//! transaction and are composed into jobs by [`super::service`].

use chrono::{DateTime, Datelike, Utc};

use super::model::{CaseKind, CaseReference, NewCase};
use crate::db::{Db, DbError, Tx};
use crate::{on_pool, on_tx};

/// The next reference of `kind` for the year a visitor in Sweden would
/// write on the case, from a counter row updated in the transaction, so
/// references are unique and increasing under any concurrency.
pub async fn next_reference(
    tx: &mut Tx<'_>,
    kind: CaseKind,
    now: DateTime<Utc>,
) -> Result<CaseReference, sqlx::Error> {
    let year = now.with_timezone(&chrono_tz::Europe::Stockholm).year();
    let number: i64 = on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO case_counters (prefix, year, last) VALUES ($1, $2, 1) \
         ON CONFLICT (prefix, year) DO UPDATE SET last = case_counters.last + 1 RETURNING last"
    )
    .bind(kind.prefix())
    .bind(i64::from(year))
    .fetch_one(c)
    .await)?;
    Ok(CaseReference { kind, year, number })
}

/// Stores a case; returns its row id.
pub async fn insert_case(
    tx: &mut Tx<'_>,
    reference: &CaseReference,
    case: &NewCase,
    ack_mail: &str,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO cases (reference, kind, created_at, page, topic, format, organisation, message, \
         name, email, phone, postal_address, preferred_contact, ack_mail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id"
    )
    .bind(reference.to_string())
    .bind(reference.kind.prefix())
    .bind(now)
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
    .fetch_one(c)
    .await
    })
}

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
