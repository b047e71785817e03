//! All SQL of registrations. Personal fields are sealed at rest, bound to
//! the row's token hash; every write takes the writer's transaction, and
//! every write that moves seats first locks the event's row.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::model::{Kind, NewRegistration, Registration, Seats, State};
use crate::db::crypt::{DataKeys, Place, SealedTable};
use crate::db::{Db, DbError, Tx};
use crate::{on_pool, on_tx};

/// What a registration holds about a person, sealed at rest.
pub const SEALED: SealedTable = SealedTable {
    table: "registrations",
    row: "token_hash",
    columns: &[
        "name",
        "email",
        "organisation",
        "school",
        "class_name",
        "needs",
    ],
};

fn place<'a>(token_hash: &'a str, column: &'static str) -> Place<'a> {
    Place {
        table: SEALED.table,
        column,
        row: token_hash,
    }
}

/// Makes the caller the only writer of the event's seats until its
/// transaction ends. SQLite has one writer already (and the writer begins
/// IMMEDIATE); PostgreSQL instances queue on the event's row.
pub async fn lock_event(tx: &mut Tx<'_>, event_id: i64) -> Result<(), sqlx::Error> {
    if let Tx::Postgres(c) = tx {
        sqlx::query("SELECT id FROM events WHERE id = $1 FOR UPDATE")
            .bind(event_id)
            .fetch_optional(&mut **c)
            .await?;
    }
    Ok(())
}

const SEATS: &str = "SELECT \
     CAST(COALESCE(SUM(CASE WHEN status = 'anmald' THEN seats ELSE 0 END), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN status = 'vantelista' THEN 1 ELSE 0 END), 0) AS BIGINT) \
     FROM registrations WHERE event_id = $1";

/// Seats taken and people waiting, as the locked transaction sees them.
pub async fn seats_tx(tx: &mut Tx<'_>, event_id: i64) -> Result<Seats, sqlx::Error> {
    let (taken, waiting): (i64, i64) = on_tx!(tx, |c| sqlx::query_as(SEATS)
        .bind(event_id)
        .fetch_one(c)
        .await)?;
    Ok(Seats { taken, waiting })
}

/// Seats taken and people waiting for every event that has any.
pub async fn seats_all(db: &Db) -> Result<HashMap<i64, Seats>, DbError> {
    let rows: Vec<(i64, i64, i64)> = on_pool!(db, |p| sqlx::query_as(
        "SELECT event_id, \
         CAST(COALESCE(SUM(CASE WHEN status = 'anmald' THEN seats ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN status = 'vantelista' THEN 1 ELSE 0 END), 0) AS BIGINT) \
         FROM registrations WHERE status IN ('anmald', 'vantelista') GROUP BY event_id"
    )
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, taken, waiting)| (id, Seats { taken, waiting }))
        .collect())
}

/// The registration of an address (by its fingerprint) for an event.
pub async fn id_by_email(
    tx: &mut Tx<'_>,
    event_id: i64,
    email_key: &str,
) -> Result<Option<i64>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM registrations WHERE event_id = $1 AND email_key = $2"
    )
    .bind(event_id)
    .bind(email_key)
    .fetch_optional(c)
    .await)
}

/// The next place at the end of the event's list.
async fn next_queue(tx: &mut Tx<'_>, event_id: i64) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT CAST(COALESCE(MAX(queue), 0) + 1 AS BIGINT) FROM registrations WHERE event_id = $1"
    )
    .bind(event_id)
    .fetch_one(c)
    .await)
}

/// Who a new registration is, as stored: the event, the address's
/// fingerprint, and the personal link's token hash and nonce.
pub struct Identity<'a> {
    pub event_id: i64,
    pub email_key: &'a str,
    pub token_hash: &'a str,
    pub token_nonce: &'a str,
}

/// Stores a new registration in `state` at the end of the list.
pub async fn insert(
    tx: &mut Tx<'_>,
    keys: &DataKeys,
    who: &Identity<'_>,
    r: &NewRegistration,
    state: State,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let queue = next_queue(tx, who.event_id).await?;
    let seal = |column, value: &str| keys.seal(place(who.token_hash, column), value);
    let seal_opt = |column, value: &Option<String>| value.as_deref().map(|v| seal(column, v));
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO registrations (event_id, email_key, token_hash, token_nonce, kind, name, \
         email, organisation, school, class_name, needs, municipality, seats, status, queue, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
         RETURNING id"
    )
    .bind(who.event_id)
    .bind(who.email_key)
    .bind(who.token_hash)
    .bind(who.token_nonce)
    .bind(r.kind.code())
    .bind(seal("name", &r.name))
    .bind(seal("email", r.email.as_str()))
    .bind(seal_opt("organisation", &r.organisation))
    .bind(seal_opt("school", &r.school))
    .bind(seal_opt("class_name", &r.class_name))
    .bind(seal_opt("needs", &r.needs))
    .bind(&r.municipality)
    .bind(r.seats)
    .bind(state.code())
    .bind(queue)
    .bind(now)
    .fetch_one(c)
    .await
    })
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    event_id: i64,
    token_hash: String,
    token_nonce: String,
    kind: String,
    name: Option<String>,
    email: Option<String>,
    organisation: Option<String>,
    school: Option<String>,
    class_name: Option<String>,
    needs: Option<String>,
    municipality: Option<String>,
    seats: i64,
    status: String,
    queue: i64,
    created_at: DateTime<Utc>,
    promoted_at: Option<DateTime<Utc>>,
    cancelled_at: Option<DateTime<Utc>>,
    cleaned_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, event_id, token_hash, token_nonce, kind, name, email, organisation, \
     school, class_name, needs, municipality, seats, status, queue, created_at, promoted_at, \
     cancelled_at, cleaned_at";

impl Row {
    /// Opened with `keys`. A value that does not open reads as empty
    /// rather than failing the page (the at-rest tests find such rows).
    fn open(self, keys: &DataKeys) -> Registration {
        let hash = self.token_hash.clone();
        let open = |column, value: Option<String>| {
            value.and_then(|v| keys.open(place(&hash, column), &v).ok())
        };
        Registration {
            id: self.id,
            event_id: self.event_id,
            kind: Kind::parse(&self.kind).unwrap_or(Kind::Person),
            name: open("name", self.name).unwrap_or_default(),
            email: open("email", self.email).unwrap_or_default(),
            organisation: open("organisation", self.organisation),
            school: open("school", self.school),
            class_name: open("class_name", self.class_name),
            needs: open("needs", self.needs),
            municipality: self.municipality,
            seats: self.seats,
            state: State::parse(&self.status).unwrap_or(State::Cancelled),
            queue: self.queue,
            token_nonce: self.token_nonce,
            created_at: self.created_at,
            promoted_at: self.promoted_at,
            cancelled_at: self.cancelled_at,
            cleaned_at: self.cleaned_at,
        }
    }
}

/// The registration a personal link's token hash finds.
pub async fn by_token(
    db: &Db,
    keys: &DataKeys,
    token_hash: &str,
) -> Result<Option<Registration>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM registrations WHERE token_hash = $1");
    let row: Option<Row> = on_pool!(db, |p| sqlx::query_as(&sql)
        .bind(token_hash)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(|r| r.open(keys)))
}

/// The same, inside a writer's transaction.
pub async fn by_token_tx(
    tx: &mut Tx<'_>,
    keys: &DataKeys,
    token_hash: &str,
) -> Result<Option<Registration>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM registrations WHERE token_hash = $1");
    let row: Option<Row> = on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(token_hash)
        .fetch_optional(c)
        .await)?;
    Ok(row.map(|r| r.open(keys)))
}

pub async fn by_id_tx(
    tx: &mut Tx<'_>,
    keys: &DataKeys,
    id: i64,
) -> Result<Option<Registration>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM registrations WHERE id = $1");
    let row: Option<Row> = on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(row.map(|r| r.open(keys)))
}

/// The event's waiting list, first in line first.
pub async fn waiting_tx(
    tx: &mut Tx<'_>,
    keys: &DataKeys,
    event_id: i64,
) -> Result<Vec<Registration>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM registrations WHERE event_id = $1 AND status = 'vantelista' \
         ORDER BY queue, id"
    );
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(event_id)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(|r| r.open(keys)).collect())
}

/// Every registration of an event, in list order (staff pages).
pub async fn of_event(
    db: &Db,
    keys: &DataKeys,
    event_id: i64,
) -> Result<Vec<Registration>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM registrations WHERE event_id = $1 ORDER BY queue, id");
    let rows: Vec<Row> = on_pool!(db, |p| sqlx::query_as(&sql)
        .bind(event_id)
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().map(|r| r.open(keys)).collect())
}

/// A waiting registration's place in line (1 = next).
pub async fn place_in_line_tx(
    tx: &mut Tx<'_>,
    event_id: i64,
    queue: i64,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'vantelista' \
         AND queue <= $2"
    )
    .bind(event_id)
    .bind(queue)
    .fetch_one(c)
    .await)
}

pub async fn place_in_line(db: &Db, event_id: i64, queue: i64) -> Result<i64, DbError> {
    Ok(on_pool!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = 'vantelista' \
         AND queue <= $2"
    )
    .bind(event_id)
    .bind(queue)
    .fetch_one(p)
    .await)?)
}

/// Gives a waiting registration its seats.
pub async fn promote(tx: &mut Tx<'_>, id: i64, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE registrations SET status = 'anmald', promoted_at = $1 \
         WHERE id = $2 AND status = 'vantelista'"
    )
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Cancels an active registration; false when it was not active. The
/// address's fingerprint is set aside, so the same address can register
/// again (at the end of the line).
pub async fn cancel(
    tx: &mut Tx<'_>,
    id: i64,
    state: State,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE registrations SET status = $1, cancelled_at = $2, \
         email_key = email_key || ':avbokad:' || CAST(id AS TEXT) \
         WHERE id = $3 AND status IN ('anmald', 'vantelista')"
    )
    .bind(state.code())
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// The organising municipality's name, for e-mails.
pub async fn municipality_name(
    tx: &mut Tx<'_>,
    year: i64,
    slug: &str,
) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT name FROM campaign_municipalities WHERE year = $1 AND slug = $2"
    )
    .bind(year)
    .bind(slug)
    .fetch_optional(c)
    .await)
}

/// The event's registrations that still count (a seat or waiting), in
/// list order.
pub async fn active_tx(
    tx: &mut Tx<'_>,
    keys: &DataKeys,
    event_id: i64,
) -> Result<Vec<Registration>, sqlx::Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM registrations WHERE event_id = $1 \
         AND status IN ('anmald', 'vantelista') ORDER BY queue, id"
    );
    let rows: Vec<Row> = on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(event_id)
        .fetch_all(c)
        .await)?;
    Ok(rows.into_iter().map(|r| r.open(keys)).collect())
}

/// Marks a registration as reminded (or as needing no reminder); false
/// when it already was, so two instances never both send one.
pub async fn mark_reminded(
    tx: &mut Tx<'_>,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE registrations SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL"
    )
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// A new time: reminders are due again.
pub async fn reset_reminders(tx: &mut Tx<'_>, event_id: i64) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE registrations SET reminded_at = NULL WHERE event_id = $1 \
         AND status IN ('anmald', 'vantelista')"
    )
    .bind(event_id)
    .execute(c)
    .await
    .map(|_| ()))
}

const DUE: &str =
    "SELECT r.id, r.event_id FROM registrations r JOIN events e ON e.id = r.event_id \
     WHERE r.status = 'anmald' AND r.reminded_at IS NULL AND e.status = 'publicerad' \
     AND e.starts_at > $1 AND e.starts_at <= $2 ORDER BY r.id LIMIT 200";

/// Registrations with a seat whose event starts within (`now`, `until`]
/// and that have had no reminder, at most 200. On PostgreSQL rows another
/// instance is reminding are skipped.
pub async fn due_reminders(
    tx: &mut Tx<'_>,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_as(DUE)
                .bind(now)
                .bind(until)
                .fetch_all(&mut **c)
                .await
        }
        Tx::Postgres(c) => {
            sqlx::query_as(&format!("{DUE} FOR UPDATE OF r SKIP LOCKED"))
                .bind(now)
                .bind(until)
                .fetch_all(&mut **c)
                .await
        }
    }
}

/// Swaps the list places of two registrations of the same event.
pub async fn swap_queue(
    tx: &mut Tx<'_>,
    a: &Registration,
    b: &Registration,
) -> Result<(), sqlx::Error> {
    for (id, queue) in [(a.id, b.queue), (b.id, a.queue)] {
        on_tx!(tx, |c| sqlx::query(
            "UPDATE registrations SET queue = $1 WHERE id = $2"
        )
        .bind(queue)
        .bind(id)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Sets an event's seats (staff raising them).
pub async fn set_capacity(
    tx: &mut Tx<'_>,
    event_id: i64,
    capacity: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE events SET capacity = $1, updated_at = $2 WHERE id = $3"
    )
    .bind(capacity)
    .bind(now)
    .bind(event_id)
    .execute(c)
    .await
    .map(|_| ()))
}

const DUE_FOR_CLEANING: &str = "SELECT r.id, r.event_id FROM registrations r \
     JOIN events e ON e.id = r.event_id \
     WHERE r.cleaned_at IS NULL AND e.ends_at < $1 ORDER BY r.id LIMIT $2";

/// Registrations of events that ended before `before` and still hold
/// personal data, at most `limit`; on PostgreSQL rows another instance is
/// cleaning are skipped.
pub async fn due_for_cleaning(
    tx: &mut Tx<'_>,
    before: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_as(DUE_FOR_CLEANING)
                .bind(before)
                .bind(limit)
                .fetch_all(&mut **c)
                .await
        }
        Tx::Postgres(c) => {
            sqlx::query_as(&format!("{DUE_FOR_CLEANING} FOR UPDATE OF r SKIP LOCKED"))
                .bind(before)
                .bind(limit)
                .fetch_all(&mut **c)
                .await
        }
    }
}

/// Deletes the personal data of registrations `ids`: name, address,
/// organisation, school, class and needs go; the address's fingerprint
/// and the link's hash and nonce are replaced, so nothing finds the row
/// again. What is left (event, kind, seats, status, municipality) is the
/// anonymous count the campaign's follow-up reads.
pub async fn clean(tx: &mut Tx<'_>, ids: &[i64], now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let mut cleaned = 0;
    for id in ids {
        cleaned += on_tx!(tx, |c| sqlx::query(
            "UPDATE registrations SET name = NULL, email = NULL, organisation = NULL, \
             school = NULL, class_name = NULL, needs = NULL, token_nonce = '', \
             token_hash = 'gallrad:' || CAST(id AS TEXT), \
             email_key = 'gallrad:' || CAST(id AS TEXT), cleaned_at = $1 \
             WHERE id = $2 AND cleaned_at IS NULL"
        )
        .bind(now)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(cleaned)
}
