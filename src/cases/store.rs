//! All SQL of cases. Reads take the pool; writes take the writer's
//! transaction and are composed into jobs by [`super::service`].

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::model::{CaseKind, CaseReference, NewCase, Status};
use crate::db::crypt::{DataKeys, Place, SealedTable};
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

/// What a writer job needs to know about a case type.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TypeRule {
    pub answer_days: i64,
    /// `None`: the handler address from the configuration.
    pub handler_address: Option<String>,
}

pub async fn type_rule(tx: &mut Tx<'_>, kind: CaseKind) -> Result<TypeRule, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT answer_days, handler_address FROM case_types WHERE kind = $1"
    )
    .bind(kind.prefix())
    .fetch_one(c)
    .await)
}

/// What a case holds about the person who wrote it, sealed at rest and
/// bound to the case's reference.
pub const SEALED_CASES: SealedTable = SealedTable {
    table: "cases",
    row: "reference",
    columns: &[
        "organisation",
        "message",
        "name",
        "email",
        "phone",
        "postal_address",
    ],
};

/// Notes and replies staff wrote, sealed at rest and bound to their row.
pub const SEALED_EVENTS: SealedTable = SealedTable {
    table: "case_events",
    row: "id",
    columns: &["body"],
};

fn case_place<'a>(reference: &'a str, column: &'static str) -> Place<'a> {
    Place {
        table: SEALED_CASES.table,
        column,
        row: reference,
    }
}

/// Stores a case, its personal fields sealed; returns its row id.
pub async fn insert_case(
    tx: &mut Tx<'_>,
    keys: &DataKeys,
    reference: &CaseReference,
    case: &NewCase,
    ack_mail: &str,
    due_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    let reference_text = reference.to_string();
    let seal =
        |column, value: Option<&str>| keys.seal_opt(case_place(&reference_text, column), value);
    let organisation = seal("organisation", case.organisation.as_deref());
    let message = keys.seal(case_place(&reference_text, "message"), &case.message);
    let name = seal("name", case.name.as_deref());
    let email = seal("email", case.email.as_ref().map(|e| e.as_str()));
    let phone = seal("phone", case.phone.as_deref());
    let postal_address = seal("postal_address", case.postal_address.as_deref());
    on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO cases (reference, kind, created_at, page, topic, format, organisation, message, \
         name, email, phone, postal_address, preferred_contact, ack_mail, due_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id"
    )
    .bind(&reference_text)
    .bind(reference.kind.prefix())
    .bind(now)
    .bind(&case.page)
    .bind(&case.topic)
    .bind(&case.format)
    .bind(&organisation)
    .bind(&message)
    .bind(&name)
    .bind(&email)
    .bind(&phone)
    .bind(&postal_address)
    .bind(&case.preferred_contact)
    .bind(ack_mail)
    .bind(due_on)
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

/// Cases stored before answer dates were kept: `(id, kind, created_at)`.
pub async fn without_due_date(
    tx: &mut Tx<'_>,
) -> Result<Vec<(i64, String, DateTime<Utc>)>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, kind, created_at FROM cases WHERE due_on IS NULL ORDER BY id LIMIT 1000"
    )
    .fetch_all(c)
    .await)
}

pub async fn set_due_date(tx: &mut Tx<'_>, id: i64, due_on: NaiveDate) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE cases SET due_on = $1 WHERE id = $2"
    )
    .bind(due_on)
    .bind(id)
    .execute(c)
    .await
    .map(|_| ()))
}

/// What the inbox shows: the cases of `kinds`, narrowed by the rest.
#[derive(Debug, Clone, Default)]
pub struct InboxFilter {
    pub kinds: Vec<CaseKind>,
    /// `None`: every case that is not closed (or every case at all, with
    /// `include_closed`).
    pub status: Option<Status>,
    pub include_closed: bool,
    pub assigned_to: Option<i64>,
    pub unassigned: bool,
    /// Only cases not answered, not closed and due before this day.
    pub overdue_on: Option<NaiveDate>,
    /// Part of a reference, upper case.
    pub search: Option<String>,
}

/// One line of the inbox.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InboxRow {
    pub reference: String,
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub status: String,
    pub due_on: Option<NaiveDate>,
    pub answered_at: Option<DateTime<Utc>>,
    pub assignee: Option<String>,
    /// Some e-mail of the case was given up.
    pub undelivered: bool,
}

/// The WHERE clause of `filter`, with its values in order from `$first`.
fn inbox_where(filter: &InboxFilter, first: usize) -> (String, Vec<Bind>) {
    let mut clauses = vec![];
    let mut binds = vec![];
    let mut n = first;
    let mut next = |b: Bind, binds: &mut Vec<Bind>| {
        binds.push(b);
        let p = format!("${n}");
        n += 1;
        p
    };
    let kinds: Vec<String> = filter
        .kinds
        .iter()
        .map(|k| next(Bind::Text(k.prefix().to_owned()), &mut binds))
        .collect();
    if kinds.is_empty() {
        clauses.push("1 = 0".to_owned());
    } else {
        clauses.push(format!("c.kind IN ({})", kinds.join(", ")));
    }
    match filter.status {
        Some(s) => {
            let p = next(Bind::Text(s.code().to_owned()), &mut binds);
            clauses.push(format!("c.status = {p}"));
        }
        None if filter.include_closed => {}
        None => clauses.push("c.status <> 'closed'".to_owned()),
    }
    if let Some(id) = filter.assigned_to {
        let p = next(Bind::Int(id), &mut binds);
        clauses.push(format!("c.assigned_to = {p}"));
    }
    if filter.unassigned {
        clauses.push("c.assigned_to IS NULL".to_owned());
    }
    if let Some(day) = filter.overdue_on {
        let p = next(Bind::Date(day), &mut binds);
        clauses.push(format!(
            "c.status <> 'closed' AND c.answered_at IS NULL AND c.due_on < {p}"
        ));
    }
    if let Some(q) = &filter.search {
        let p = next(Bind::Text(format!("%{q}%")), &mut binds);
        clauses.push(format!("c.reference LIKE {p}"));
    }
    (clauses.join(" AND "), binds)
}

/// The WHERE clause of every case of `kinds`, whatever its status.
fn of_kinds(kinds: &[CaseKind], first: usize) -> (String, Vec<Bind>) {
    let filter = InboxFilter {
        kinds: kinds.to_vec(),
        include_closed: true,
        ..InboxFilter::default()
    };
    inbox_where(&filter, first)
}

/// A value bound into a query built from a filter.
#[derive(Debug, Clone)]
enum Bind {
    Text(String),
    Int(i64),
    Date(NaiveDate),
}

macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut q = $query;
        for b in $binds {
            q = match b {
                Bind::Text(t) => q.bind(t.clone()),
                Bind::Int(i) => q.bind(*i),
                Bind::Date(d) => q.bind(*d),
            };
        }
        q
    }};
}

/// One page of the inbox, oldest first, and how many match in all.
pub async fn inbox(
    db: &Db,
    filter: &InboxFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<InboxRow>, i64), sqlx::Error> {
    let (clause, binds) = inbox_where(filter, 1);
    let n = binds.len();
    // The page is chosen first; the assignee's name and the mail check
    // are looked up for its rows only, not for every matching case.
    let list = format!(
        "SELECT p.reference, p.kind, p.created_at, p.status, p.due_on, p.answered_at, \
         a.name AS assignee, EXISTS (SELECT 1 FROM outbox o WHERE o.case_id = p.id \
         AND o.failed_at IS NOT NULL AND o.discarded_at IS NULL AND o.sent_at IS NULL) AS undelivered \
         FROM (SELECT c.id, c.reference, c.kind, c.created_at, c.status, c.due_on, c.answered_at, \
         c.assigned_to FROM cases c WHERE {clause} ORDER BY c.created_at, c.id LIMIT ${} OFFSET ${}) p \
         LEFT JOIN staff_accounts a ON a.id = p.assigned_to ORDER BY p.created_at, p.id",
        n + 1,
        n + 2
    );
    let count = format!("SELECT COUNT(*) FROM cases c WHERE {clause}");
    on_pool!(db, |p| {
        let rows: Vec<InboxRow> = bind_all!(sqlx::query_as(&list), &binds)
            .bind(limit)
            .bind(offset)
            .fetch_all(p)
            .await?;
        let total: i64 = bind_all!(sqlx::query_scalar(&count), &binds)
            .fetch_one(p)
            .await?;
        Ok((rows, total))
    })
}

/// How many cases of `kinds` there are of each type and status, and of
/// those how many are assigned to `me`, unassigned, and overdue on
/// `today`: every count the inbox's filters show, from one query that a
/// covering index answers (`cases_tally`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Tally {
    pub kind: String,
    pub status: String,
    pub n: i64,
    pub mine: i64,
    pub unassigned: i64,
    pub overdue: i64,
}

pub async fn tallies(
    db: &Db,
    kinds: &[CaseKind],
    me: i64,
    today: NaiveDate,
) -> Result<Vec<Tally>, sqlx::Error> {
    tallies_where(db, kinds, me, today, "").await
}

/// [`tallies`] of the cases not closed only (the dashboard's "now"),
/// which the index reaches without passing the closed ones.
pub async fn open_tallies(
    db: &Db,
    kinds: &[CaseKind],
    today: NaiveDate,
) -> Result<Vec<Tally>, sqlx::Error> {
    let open: Vec<String> = Status::ALL
        .into_iter()
        .filter(|s| *s != Status::Closed)
        .map(|s| format!("'{}'", s.code()))
        .collect();
    let clause = format!(" AND c.status IN ({})", open.join(", "));
    tallies_where(db, kinds, 0, today, &clause).await
}

async fn tallies_where(
    db: &Db,
    kinds: &[CaseKind],
    me: i64,
    today: NaiveDate,
    and: &str,
) -> Result<Vec<Tally>, sqlx::Error> {
    let (clause, binds) = of_kinds(kinds, 3);
    let sql = format!(
        "SELECT c.kind, c.status, COUNT(*) AS n, \
         SUM(CASE WHEN c.assigned_to = $1 THEN 1 ELSE 0 END) AS mine, \
         SUM(CASE WHEN c.assigned_to IS NULL THEN 1 ELSE 0 END) AS unassigned, \
         SUM(CASE WHEN c.status <> 'closed' AND c.answered_at IS NULL AND c.due_on < $2 \
         THEN 1 ELSE 0 END) AS overdue \
         FROM cases c WHERE {clause}{and} GROUP BY c.kind, c.status"
    );
    on_pool!(db, |p| bind_all!(
        sqlx::query_as(&sql).bind(me).bind(today),
        &binds
    )
    .fetch_all(p)
    .await)
}

/// A case as the dashboard counts it: only what the anonymous record of
/// a cleaned case keeps, so cleaning changes no figure.
#[derive(Debug, Clone)]
pub struct Record {
    pub kind: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub due_on: Option<NaiveDate>,
    pub answered_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// The cases of `kinds` that arrived, were answered or closed at or after
/// `since`, or whose answer date is on or after `due_since`: everything
/// the dashboard's period can count.
pub async fn records_since(
    db: &Db,
    kinds: &[CaseKind],
    since: DateTime<Utc>,
    due_since: NaiveDate,
) -> Result<Vec<Record>, sqlx::Error> {
    // Two range scans of `cases_dashboard` rather than one OR over four
    // columns, which reads every case. Times come as whole seconds since
    // 1970: decoding 30,000 timestamps from SQLite's text took longer
    // than the query.
    let (clause, binds) = of_kinds(kinds, 3);
    let epoch = |column: &str| {
        if matches!(db, Db::Postgres(_)) {
            format!("CAST(date_part('epoch', c.{column}) AS BIGINT) AS {column}")
        } else {
            format!("unixepoch(c.{column}) AS {column}")
        }
    };
    let columns = format!(
        "c.kind, c.status, {}, c.due_on, {}, {}",
        epoch("created_at"),
        epoch("answered_at"),
        epoch("closed_at")
    );
    let sql = format!(
        "SELECT {columns} FROM cases c WHERE {clause} AND c.created_at >= $1 \
         UNION ALL SELECT {columns} FROM cases c WHERE {clause} AND c.created_at < $1 \
         AND (c.answered_at >= $1 OR c.closed_at >= $1 OR c.due_on >= $2)"
    );
    type Row = (
        String,
        String,
        i64,
        Option<NaiveDate>,
        Option<i64>,
        Option<i64>,
    );
    let rows: Vec<Row> = on_pool!(db, |p| bind_all!(
        sqlx::query_as(&sql).bind(since).bind(due_since),
        &binds
    )
    .fetch_all(p)
    .await)?;
    let at = |secs: i64| DateTime::from_timestamp(secs, 0).unwrap_or_default();
    Ok(rows
        .into_iter()
        .map(|(kind, status, created, due_on, answered, closed)| Record {
            kind,
            status,
            created_at: at(created),
            due_on,
            answered_at: answered.map(at),
            closed_at: closed.map(at),
        })
        .collect())
}

/// A case as its page shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CaseRow {
    pub id: i64,
    pub reference: String,
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub status: String,
    pub page: Option<String>,
    pub topic: Option<String>,
    pub format: Option<String>,
    pub organisation: Option<String>,
    pub message: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub postal_address: Option<String>,
    pub preferred_contact: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub answered_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub assigned_to: Option<i64>,
    pub assignee: Option<String>,
    /// When its personal data was deleted on schedule; the fields are
    /// then empty.
    pub purged_at: Option<DateTime<Utc>>,
}

const CASE: &str = "SELECT c.id, c.reference, c.kind, c.created_at, c.status, c.page, c.topic, \
     c.format, c.organisation, c.message, c.name, c.email, c.phone, c.postal_address, \
     c.preferred_contact, c.due_on, c.answered_at, c.closed_at, c.assigned_to, a.name AS assignee, \
     c.purged_at \
     FROM cases c LEFT JOIN staff_accounts a ON a.id = c.assigned_to WHERE c.reference = $1";

pub async fn case(
    db: &Db,
    keys: &DataKeys,
    reference: &str,
) -> Result<Option<CaseRow>, sqlx::Error> {
    let row: Option<CaseRow> = on_pool!(db, |p| sqlx::query_as(CASE)
        .bind(reference)
        .fetch_optional(p)
        .await)?;
    row.map(|r| open_case(keys, r)).transpose()
}

/// The case inside a writer job, as the job's changes will see it.
pub async fn case_tx(
    tx: &mut Tx<'_>,
    keys: &DataKeys,
    reference: &str,
) -> Result<Option<CaseRow>, sqlx::Error> {
    let row: Option<CaseRow> = on_tx!(tx, |c| sqlx::query_as(CASE)
        .bind(reference)
        .fetch_optional(c)
        .await)?;
    row.map(|r| open_case(keys, r)).transpose()
}

/// The row with its sealed fields opened; any that does not open fails
/// the whole read.
fn open_case(keys: &DataKeys, mut row: CaseRow) -> Result<CaseRow, sqlx::Error> {
    if row.purged_at.is_some() {
        // Nothing personal is left to open.
        return Ok(row);
    }
    let reference = row.reference.clone();
    let at = |column| case_place(&reference, column);
    row.organisation = keys.open_opt(at("organisation"), row.organisation.as_deref())?;
    row.message = keys.open(at("message"), &row.message)?;
    row.name = keys.open_opt(at("name"), row.name.as_deref())?;
    row.email = keys.open_opt(at("email"), row.email.as_deref())?;
    row.phone = keys.open_opt(at("phone"), row.phone.as_deref())?;
    row.postal_address = keys.open_opt(at("postal_address"), row.postal_address.as_deref())?;
    Ok(row)
}

/// One entry of a case's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub who: Option<String>,
    pub kind: String,
    pub detail: String,
    pub body: Option<String>,
    pub outbox_id: Option<i64>,
}

pub async fn events(db: &Db, keys: &DataKeys, case_id: i64) -> Result<Vec<EventRow>, sqlx::Error> {
    let rows: Vec<EventRow> = on_pool!(db, |p| sqlx::query_as(
        "SELECT e.id, e.at, a.name AS who, e.kind, e.detail, e.body, e.outbox_id \
         FROM case_events e LEFT JOIN staff_accounts a ON a.id = e.account_id \
         WHERE e.case_id = $1 ORDER BY e.at, e.id"
    )
    .bind(case_id)
    .fetch_all(p)
    .await)?;
    rows.into_iter()
        .map(|mut row| {
            let id = row.id.to_string();
            row.body = keys.open_opt(event_place(&id), row.body.as_deref())?;
            Ok(row)
        })
        .collect()
}

fn event_place(id: &str) -> Place<'_> {
    Place {
        table: SEALED_EVENTS.table,
        column: "body",
        row: id,
    }
}

/// A line to append to a case's history.
#[derive(Debug, Clone, Copy)]
pub struct Event<'a> {
    pub case_id: i64,
    pub actor: i64,
    pub kind: &'a str,
    pub detail: &'a str,
    pub body: Option<&'a str>,
    pub outbox_id: Option<i64>,
}

impl<'a> Event<'a> {
    pub fn new(case_id: i64, actor: i64, kind: &'a str) -> Event<'a> {
        Event {
            case_id,
            actor,
            kind,
            detail: "",
            body: None,
            outbox_id: None,
        }
    }

    pub fn detail(self, detail: &'a str) -> Event<'a> {
        Event { detail, ..self }
    }

    pub fn body(self, body: &'a str) -> Event<'a> {
        Event {
            body: Some(body),
            ..self
        }
    }

    pub fn mail(self, outbox_id: i64) -> Event<'a> {
        Event {
            outbox_id: Some(outbox_id),
            ..self
        }
    }
}

/// Appends to a case's history. A body is sealed to the new row's id,
/// which exists only once the row does: written in a second statement of
/// the same transaction.
pub async fn add_event(
    tx: &mut Tx<'_>,
    keys: &DataKeys,
    event: Event<'_>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let id: i64 = on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO case_events (case_id, at, account_id, kind, detail, outbox_id) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"
    )
    .bind(event.case_id)
    .bind(now)
    .bind(event.actor)
    .bind(event.kind)
    .bind(event.detail)
    .bind(event.outbox_id)
    .fetch_one(c)
    .await)?;
    if let Some(body) = event.body {
        let row = id.to_string();
        let sealed = keys.seal(event_place(&row), body);
        on_tx!(tx, |c| sqlx::query(
            "UPDATE case_events SET body = $1 WHERE id = $2"
        )
        .bind(&sealed)
        .bind(id)
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Assigns the case to `to` if it is still assigned to `expected`; false
/// when someone else changed it first.
pub async fn assign(
    tx: &mut Tx<'_>,
    case_id: i64,
    expected: Option<i64>,
    to: Option<i64>,
) -> Result<bool, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE cases SET assigned_to = $1 WHERE id = $2 AND assigned_to IS NOT DISTINCT FROM $3"
    )
    .bind(to)
    .bind(case_id)
    .bind(expected)
    .execute(c)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Moves the case from `from` to `to` (closing or reopening it); false
/// when its status is no longer `from`.
pub async fn set_status(
    tx: &mut Tx<'_>,
    case_id: i64,
    from: Status,
    to: Status,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let closed_at = (to == Status::Closed).then_some(now);
    on_tx!(tx, |c| sqlx::query(
        "UPDATE cases SET status = $1, closed_at = $2 WHERE id = $3 AND status = $4"
    )
    .bind(to.code())
    .bind(closed_at)
    .bind(case_id)
    .bind(from.code())
    .execute(c)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// Records the first answer given to the requester.
pub async fn mark_answered(
    tx: &mut Tx<'_>,
    case_id: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE cases SET answered_at = $1 WHERE id = $2 AND answered_at IS NULL"
    )
    .bind(now)
    .bind(case_id)
    .execute(c)
    .await
    .map(|_| ()))
}

/// The reply template of a type.
pub async fn reply_template(db: &Db, kind: CaseKind) -> Result<String, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_scalar(
        "SELECT reply_template FROM case_types WHERE kind = $1"
    )
    .bind(kind.prefix())
    .fetch_one(p)
    .await)
}

/// The handler address a type's settings name, if they name one.
pub async fn handler_address(db: &Db, kind: CaseKind) -> Result<Option<String>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_scalar(
        "SELECT handler_address FROM case_types WHERE kind = $1"
    )
    .bind(kind.prefix())
    .fetch_one(p)
    .await)
}

/// A case type's settings, as the settings page edits them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TypeSettings {
    pub kind: String,
    pub answer_days: i64,
    pub handler_address: Option<String>,
    pub reply_template: String,
    pub retention_months: i64,
}

const TYPE_SETTINGS: &str = "SELECT kind, answer_days, handler_address, reply_template, \
     retention_months FROM case_types ORDER BY CASE kind WHEN 'TG' THEN 1 WHEN 'AF' THEN 2 ELSE 3 END";

pub async fn type_settings(db: &Db) -> Result<Vec<TypeSettings>, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_as(TYPE_SETTINGS).fetch_all(p).await)
}

pub async fn type_settings_tx(tx: &mut Tx<'_>) -> Result<Vec<TypeSettings>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_as(TYPE_SETTINGS).fetch_all(c).await)
}

pub async fn update_type(tx: &mut Tx<'_>, settings: &TypeSettings) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE case_types SET answer_days = $1, handler_address = $2, reply_template = $3, \
         retention_months = $4 WHERE kind = $5"
    )
    .bind(settings.answer_days)
    .bind(&settings.handler_address)
    .bind(&settings.reply_template)
    .bind(settings.retention_months)
    .bind(&settings.kind)
    .execute(c)
    .await
    .map(|_| ()))
}

/// The answer time of a type in working days, as the receipt states it.
pub async fn answer_days(db: &Db, kind: CaseKind) -> Result<i64, sqlx::Error> {
    on_pool!(db, |p| sqlx::query_scalar(
        "SELECT answer_days FROM case_types WHERE kind = $1"
    )
    .bind(kind.prefix())
    .fetch_one(p)
    .await)
}

/// The references of cases by row id, for pages that list mail.
pub async fn references(db: &Db, ids: &[i64]) -> Result<Vec<(i64, String)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT id, reference FROM cases WHERE id IN ({})",
        list.join(", ")
    );
    on_pool!(db, |p| {
        let mut q = sqlx::query_as(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(p).await
    })
}

/// A case whose retention period has passed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueCase {
    pub id: i64,
    pub reference: String,
}

/// Up to `limit` closed cases of `kind`, closed at or before `closed_by`
/// and not yet cleaned, oldest first. On PostgreSQL rows another
/// instance is cleaning are skipped.
pub async fn due_for_purge(
    tx: &mut Tx<'_>,
    kind: CaseKind,
    closed_by: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DueCase>, sqlx::Error> {
    let lock = if tx.is_postgres() {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "SELECT id, reference FROM cases WHERE kind = $1 AND status = 'closed' \
         AND purged_at IS NULL AND closed_at <= $2 ORDER BY closed_at, id LIMIT $3{lock}"
    );
    on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(kind.prefix())
        .bind(closed_by)
        .bind(limit)
        .fetch_all(c)
        .await)
}

/// Deletes the personal data of cases `ids`: the sealed fields of the
/// case and the texts of its history (its e-mail goes with
/// `mail::outbox::delete_for_cases`). What is left is the anonymous
/// record. Guarded by `purged_at IS NULL`, so a case is cleaned once;
/// returns how many were.
pub async fn purge(tx: &mut Tx<'_>, ids: &[i64], now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let list = placeholders_from(ids.len(), 2);
    let cases = format!(
        "UPDATE cases SET name = NULL, email = NULL, phone = NULL, postal_address = NULL, \
         organisation = NULL, message = '', preferred_contact = NULL, purged_at = $1 \
         WHERE purged_at IS NULL AND id IN ({list})"
    );
    let events = format!(
        "UPDATE case_events SET body = NULL WHERE body IS NOT NULL AND case_id IN ({})",
        placeholders(ids.len())
    );
    on_tx!(tx, |c| {
        let mut q = sqlx::query(&cases).bind(now);
        for id in ids {
            q = q.bind(id);
        }
        let cleaned = q.execute(&mut *c).await?.rows_affected();
        let mut q = sqlx::query(&events);
        for id in ids {
            q = q.bind(id);
        }
        q.execute(&mut *c).await?;
        Ok(cleaned)
    })
}

/// `$1, $2, …, $n`.
fn placeholders(n: usize) -> String {
    placeholders_from(n, 1)
}

/// `$first, …` for `n` values.
fn placeholders_from(n: usize, first: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
