//! The outbox table: messages written in the transaction of whatever they
//! belong to, each with a Message-ID fixed at that moment, and claimed by
//! the delivery worker with leases so several instances share the work.

use chrono::{DateTime, Utc};

use crate::db::crypt::{DataKeys, Place, SealError, SealedTable};
use crate::db::{Db, Tx};
use crate::{on_pool, on_tx};

/// A message about to be written to the outbox.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutgoingMail {
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// For acknowledgements: a keyed fingerprint of the recipient, so they
    /// can be counted per address without searching for the address.
    pub recipient_key: Option<String>,
    /// Where answers to the message should go, when not to the sender.
    pub reply_to: Option<String>,
    /// An iCalendar file sent with the text (`METHOD:` inside says what
    /// it asks of the calendar).
    pub attachment: Option<String>,
}

/// A claimed outbox row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxMessage {
    pub id: i64,
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
    pub created_at: DateTime<Utc>,
    pub reply_to: Option<String>,
    pub attachment: Option<String>,
}

/// Who a message goes to and what it says, sealed at rest and bound to
/// its Message-ID.
pub const SEALED: SealedTable = SealedTable {
    table: "outbox",
    row: "message_id",
    columns: &["recipient", "subject", "body", "attachment"],
};

fn place<'a>(message_id: &'a str, column: &'static str) -> Place<'a> {
    Place {
        table: SEALED.table,
        column,
        row: message_id,
    }
}

const INSERT: &str =
    "INSERT INTO outbox (case_id, registration_id, message_id, recipient, subject, body, \
     attachment, created_at, next_attempt_at, recipient_key, reply_to) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10) RETURNING id";

/// What a message belongs to: its personal data goes with that.
#[derive(Debug, Clone, Copy, Default)]
pub enum Owner {
    #[default]
    None,
    Case(i64),
    Registration(i64),
}

/// Writes `mail` to the outbox inside the caller's transaction; it is sent
/// once that transaction has committed. `case_id` links it to a case.
/// Returns the message's row id.
pub async fn enqueue(
    tx: &mut Tx<'_>,
    keys: &DataKeys,
    case_id: Option<i64>,
    mail: &OutgoingMail,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let owner = case_id.map_or(Owner::None, Owner::Case);
    enqueue_for(tx, keys, owner, mail, now).await
}

/// [`enqueue`] for a message that belongs to `owner`.
pub async fn enqueue_for(
    tx: &mut Tx<'_>,
    keys: &DataKeys,
    owner: Owner,
    mail: &OutgoingMail,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let id = &mail.message_id;
    let recipient = keys.seal(place(id, "recipient"), &mail.recipient);
    let subject = keys.seal(place(id, "subject"), &mail.subject);
    let body = keys.seal(place(id, "body"), &mail.body);
    let attachment = mail
        .attachment
        .as_ref()
        .map(|a| keys.seal(place(id, "attachment"), a));
    let (case_id, registration_id) = match owner {
        Owner::None => (None, None),
        Owner::Case(id) => (Some(id), None),
        Owner::Registration(id) => (None, Some(id)),
    };
    on_tx!(tx, |c| sqlx::query_scalar(INSERT)
        .bind(case_id)
        .bind(registration_id)
        .bind(&mail.message_id)
        .bind(&recipient)
        .bind(&subject)
        .bind(&body)
        .bind(&attachment)
        .bind(now)
        .bind(&mail.recipient_key)
        .bind(&mail.reply_to)
        .fetch_one(c)
        .await)
}

/// Acknowledgements queued for one recipient fingerprint since `since`.
pub async fn count_for_recipient(
    tx: &mut Tx<'_>,
    recipient_key: &str,
    since: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE recipient_key = $1 AND created_at > $2"
    )
    .bind(recipient_key)
    .bind(since)
    .fetch_one(c)
    .await)
}

const CLAIM_SQLITE: &str =
    "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 WHERE id IN \
     (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $2 \
      AND (claimed_until IS NULL OR claimed_until <= $2) AND failed_at IS NULL \
      AND discarded_at IS NULL ORDER BY id LIMIT $3) \
     RETURNING id, message_id, recipient, subject, body, attempts, created_at, reply_to, attachment";
/// Several instances may claim at once: SKIP LOCKED gives each its own rows.
const CLAIM_POSTGRES: &str =
    "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 WHERE id IN \
     (SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $2 \
      AND (claimed_until IS NULL OR claimed_until <= $2) AND failed_at IS NULL \
      AND discarded_at IS NULL ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
     RETURNING id, message_id, recipient, subject, body, attempts, created_at, reply_to, attachment";

/// Claims up to `limit` messages that are due, leasing them until
/// `lease_until` so no other worker takes them meanwhile.
/// The messages come back as stored, sealed: [`open`] each.
pub async fn claim(
    tx: &mut Tx<'_>,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<OutboxMessage>, sqlx::Error> {
    match tx {
        Tx::Sqlite(c) => {
            sqlx::query_as(CLAIM_SQLITE)
                .bind(lease_until)
                .bind(now)
                .bind(limit)
                .fetch_all(&mut **c)
                .await
        }
        Tx::Postgres(c) => {
            sqlx::query_as(CLAIM_POSTGRES)
                .bind(lease_until)
                .bind(now)
                .bind(limit)
                .fetch_all(&mut **c)
                .await
        }
    }
}

/// A claimed message with its recipient, subject and body opened.
pub fn open(keys: &DataKeys, mut m: OutboxMessage) -> Result<OutboxMessage, SealError> {
    let id = m.message_id.clone();
    m.recipient = keys.open(place(&id, "recipient"), &m.recipient)?;
    m.subject = keys.open(place(&id, "subject"), &m.subject)?;
    m.body = keys.open(place(&id, "body"), &m.body)?;
    m.attachment = match m.attachment.take() {
        Some(a) => Some(keys.open(place(&id, "attachment"), &a)?),
        None => None,
    };
    Ok(m)
}

pub async fn mark_sent(tx: &mut Tx<'_>, id: i64, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE outbox SET sent_at = $1, claimed_until = NULL, last_error = NULL WHERE id = $2"
    )
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))
}

/// Records a failed attempt. `error` is the kind of error and the SMTP
/// code only: a server's reply text usually quotes the recipient.
pub async fn mark_failed(
    tx: &mut Tx<'_>,
    id: i64,
    error: &str,
    retry_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE outbox SET next_attempt_at = $1, last_error = $2, claimed_until = NULL WHERE id = $3"
    )
    .bind(retry_at)
    .bind(error)
    .bind(id)
    .execute(c)
    .await
    .map(|_| ())
    })
}

/// Gives a message up: it is not tried again until someone sends it
/// again ([`resend`]) or discards it ([`discard`]).
pub async fn mark_given_up(
    tx: &mut Tx<'_>,
    id: i64,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE outbox SET failed_at = $1, last_error = $2, claimed_until = NULL WHERE id = $3"
    )
    .bind(now)
    .bind(error)
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))
}

/// Puts a given-up message back in the queue as if new; false when it is
/// not (or no longer) given up.
pub async fn resend(tx: &mut Tx<'_>, id: i64, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE outbox SET failed_at = NULL, attempts = 0, next_attempt_at = $1, \
         claimed_until = NULL, created_at = $1 \
         WHERE id = $2 AND failed_at IS NOT NULL AND discarded_at IS NULL AND sent_at IS NULL"
    )
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Discards a given-up message for good; false when it is not given up.
pub async fn discard(tx: &mut Tx<'_>, id: i64, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE outbox SET discarded_at = $1 \
         WHERE id = $2 AND failed_at IS NOT NULL AND discarded_at IS NULL AND sent_at IS NULL"
    )
    .bind(now)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Where a message stands, as staff pages show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Waiting for its (next) attempt.
    Queued,
    Sent,
    /// Given up: refused for good or failing for too long.
    Failed,
    Discarded,
}

impl Delivery {
    pub fn label(self) -> &'static str {
        match self {
            Delivery::Queued => "köad",
            Delivery::Sent => "skickad",
            Delivery::Failed => "misslyckad",
            Delivery::Discarded => "kasserad",
        }
    }
}

/// A message as staff see it: never its body.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Tracked {
    pub id: i64,
    pub case_id: Option<i64>,
    pub message_id: String,
    pub recipient: String,
    pub subject: String,
    pub created_at: DateTime<Utc>,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub discarded_at: Option<DateTime<Utc>>,
}

impl Tracked {
    pub fn delivery(&self) -> Delivery {
        if self.sent_at.is_some() {
            Delivery::Sent
        } else if self.discarded_at.is_some() {
            Delivery::Discarded
        } else if self.failed_at.is_some() {
            Delivery::Failed
        } else {
            Delivery::Queued
        }
    }
}

const TRACKED: &str = "SELECT id, case_id, message_id, recipient, subject, created_at, attempts, \
     last_error, sent_at, failed_at, discarded_at FROM outbox";

/// The messages of a case, oldest first.
pub async fn for_case(db: &Db, keys: &DataKeys, case_id: i64) -> Result<Vec<Tracked>, sqlx::Error> {
    let rows = on_pool!(db, |p| sqlx::query_as::<_, Tracked>(&format!(
        "{TRACKED} WHERE case_id = $1 ORDER BY id"
    ))
    .bind(case_id)
    .fetch_all(p)
    .await)?;
    Ok(open_tracked(keys, rows))
}

/// Opened for staff. A message that does not open (the worker gave it
/// up for that reason) is still listed, so it can be discarded.
fn open_tracked(keys: &DataKeys, rows: Vec<Tracked>) -> Vec<Tracked> {
    const UNREADABLE: &str = "(kan inte dekrypteras)";
    rows.into_iter()
        .map(|mut t| {
            let id = t.message_id.clone();
            t.recipient = keys
                .open(place(&id, "recipient"), &t.recipient)
                .unwrap_or_else(|_| UNREADABLE.to_owned());
            t.subject = keys
                .open(place(&id, "subject"), &t.subject)
                .unwrap_or_else(|_| UNREADABLE.to_owned());
            t
        })
        .collect()
}

/// Messages given up and not discarded, newest first.
pub async fn given_up(db: &Db, keys: &DataKeys) -> Result<Vec<Tracked>, sqlx::Error> {
    let rows = on_pool!(db, |p| sqlx::query_as::<_, Tracked>(&format!(
        "{TRACKED} WHERE failed_at IS NOT NULL AND discarded_at IS NULL AND sent_at IS NULL \
         ORDER BY failed_at DESC, id DESC LIMIT 500"
    ))
    .fetch_all(p)
    .await)?;
    Ok(open_tracked(keys, rows))
}

fn id_list(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The Message-IDs of the mail of cases `case_ids`.
pub async fn message_ids_for_cases(
    tx: &mut Tx<'_>,
    case_ids: &[i64],
) -> Result<Vec<String>, sqlx::Error> {
    message_ids_where(tx, "case_id", case_ids).await
}

/// The Message-IDs of the mail of registrations `ids`.
pub async fn message_ids_for_registrations(
    tx: &mut Tx<'_>,
    ids: &[i64],
) -> Result<Vec<String>, sqlx::Error> {
    message_ids_where(tx, "registration_id", ids).await
}

/// `owner` is one of the two owner columns, never user input.
async fn message_ids_where(
    tx: &mut Tx<'_>,
    owner: &'static str,
    ids: &[i64],
) -> Result<Vec<String>, sqlx::Error> {
    let sql = format!(
        "SELECT message_id FROM outbox WHERE {owner} IN ({})",
        id_list(ids.len())
    );
    on_tx!(tx, |c| {
        let mut q = sqlx::query_scalar(&sql);
        for id in ids {
            q = q.bind(id);
        }
        q.fetch_all(c).await
    })
}

/// Deletes the mail of cases `case_ids`, sent or not: the personal data
/// of a case being cleaned on schedule.
pub async fn delete_for_cases(tx: &mut Tx<'_>, case_ids: &[i64]) -> Result<u64, sqlx::Error> {
    delete_where(tx, "case_id", case_ids).await
}

/// Deletes the mail of registrations `ids`, sent or not.
pub async fn delete_for_registrations(tx: &mut Tx<'_>, ids: &[i64]) -> Result<u64, sqlx::Error> {
    delete_where(tx, "registration_id", ids).await
}

async fn delete_where(
    tx: &mut Tx<'_>,
    owner: &'static str,
    ids: &[i64],
) -> Result<u64, sqlx::Error> {
    let sql = format!(
        "DELETE FROM outbox WHERE {owner} IN ({})",
        id_list(ids.len())
    );
    on_tx!(tx, |c| {
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(id);
        }
        q.execute(c).await.map(|r| r.rows_affected())
    })
}

/// Discards the unsent mail of registrations `ids` (their event was
/// called off): nothing queued for them goes out any more. Returns how
/// many.
pub async fn discard_unsent_for_registrations(
    tx: &mut Tx<'_>,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let sql = format!(
        "UPDATE outbox SET discarded_at = ${} WHERE registration_id IN ({}) \
         AND sent_at IS NULL AND discarded_at IS NULL",
        ids.len() + 1,
        id_list(ids.len())
    );
    on_tx!(tx, |c| {
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(id);
        }
        q.bind(now).execute(c).await.map(|r| r.rows_affected())
    })
}
