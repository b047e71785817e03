//! What can be done with cases, one writer job per use case: everything a
//! use case writes (the case, its reference counter, its e-mail) commits in
//! one transaction or not at all, and the caller hears only after commit.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::model::{AckRule, CaseKind, CaseReference, Channel, NewCase, Status};
use super::notify::Notifier;
use super::store::{self, CaseRow, Event};
use crate::audit::{self, Action, Entry};
use crate::auth::Role;
use crate::calendar;
use crate::db::crypt::DataKeys;
use crate::db::writer::{WriteError, Writer};
use crate::db::Tx;
use crate::mail::{outbox, OutgoingMail};

/// The answer date of a case received at `at`: `days` working days on,
/// counting the day of receipt in Sweden as day 0.
pub fn due_date(at: DateTime<Utc>, days: i64) -> NaiveDate {
    let received = at.with_timezone(&chrono_tz::Europe::Stockholm).date_naive();
    calendar::add_working_days(received, u32::try_from(days).unwrap_or(0))
}

/// Gives cases stored before answer dates were kept theirs, with each
/// type's answer time as it is now. Run at start; harmless to repeat.
pub async fn fill_due_dates(writer: &Writer) -> Result<usize, WriteError> {
    let mut filled = 0;
    loop {
        let n = writer
            .write(|tx| {
                Box::pin(async move {
                    let rows = store::without_due_date(tx).await?;
                    for (id, kind, created_at) in &rows {
                        let Some(kind) = CaseKind::from_prefix(kind) else {
                            continue;
                        };
                        let days = store::type_rule(tx, kind).await?.answer_days;
                        store::set_due_date(tx, *id, due_date(*created_at, days)).await?;
                    }
                    Ok(rows.len())
                })
            })
            .await?;
        filled += n;
        if n == 0 {
            return Ok(filled);
        }
    }
}

/// Stores a case with its acknowledgement (unless a limit holds it back)
/// and the handler's notification; returns its reference once committed.
pub async fn submit_case(
    writer: &Writer,
    keys: &Arc<DataKeys>,
    notifier: &Arc<Notifier>,
    kind: CaseKind,
    case: NewCase,
    ack: AckRule,
    now: DateTime<Utc>,
) -> Result<CaseReference, WriteError> {
    let notifier = notifier.clone();
    let keys = keys.clone();
    writer
        .write(move |tx| {
            let keys = keys.clone();
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
                let rule = store::type_rule(tx, kind).await?;
                let due_on = due_date(now, rule.answer_days);
                let id =
                    store::insert_case(tx, &keys, &reference, &case, ack_mail, due_on, now).await?;
                let handler = rule.handler_address.as_deref();
                for mail in notifier.compose(kind, &reference, &case, ack_key, handler) {
                    outbox::enqueue(tx, &keys, Some(id), &mail, now).await?;
                }
                Ok(reference)
            })
        })
        .await
}

/// A change made on a case's page by `actor`.
#[derive(Debug, Clone)]
pub enum CaseChange {
    /// Assign to `to` (nobody when `None`) if it is still assigned to
    /// `expected`, as the page showed.
    Assign {
        expected: Option<i64>,
        to: Option<i64>,
    },
    /// Move from `from` (as the page showed) to `to`.
    Status {
        from: Status,
        to: Status,
    },
    Note(String),
    /// A reply by e-mail through the outbox: the text written and the
    /// message made from it.
    Reply {
        text: String,
        mail: OutgoingMail,
    },
    /// An answer given by phone or letter, with what was said.
    Answered {
        channel: Channel,
        text: String,
    },
}

/// How a change went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    NoSuchCase,
    /// Someone else assigned the case first; to whom (`None`: nobody).
    AlreadyAssigned(Option<String>),
    /// The chosen person does not handle cases of this type.
    NotAHandler,
    /// Someone else changed the status first; what it is now.
    StatusMoved(Status),
    /// Not a step the status allows.
    NotAllowed,
}

/// Makes one change to the case `reference` as one writer job: the
/// change, its line in the case's history and its audit entry commit
/// together, or nothing does.
pub async fn change(
    writer: &Writer,
    keys: &Arc<DataKeys>,
    actor: i64,
    reference: String,
    change: CaseChange,
    now: DateTime<Utc>,
) -> Result<Outcome, WriteError> {
    let keys = keys.clone();
    writer
        .write(move |tx| {
            let keys = keys.clone();
            let (reference, change) = (reference.clone(), change.clone());
            Box::pin(async move { apply(tx, &keys, actor, &reference, change, now).await })
        })
        .await
}

async fn apply(
    tx: &mut Tx<'_>,
    keys: &DataKeys,
    actor: i64,
    reference: &str,
    change: CaseChange,
    now: DateTime<Utc>,
) -> Result<Outcome, sqlx::Error> {
    let Some(case) = store::case_tx(tx, keys, reference).await? else {
        return Ok(Outcome::NoSuchCase);
    };
    let Some(kind) = CaseKind::from_prefix(&case.kind) else {
        return Ok(Outcome::NoSuchCase);
    };
    if case.purged_at.is_some() {
        // Cleaned on schedule: nothing can be added to it or reopened.
        return Ok(Outcome::NotAllowed);
    }
    let id = case.id;
    let entry = |action| Entry::new(Some(actor), action).on("ärende", reference);
    match change {
        CaseChange::Assign { expected, to } => {
            let name = match to {
                Some(to) => {
                    let roles = [kind.role(), Role::Administrator];
                    match crate::auth::store::active_name_with_role_tx(tx, to, &roles).await? {
                        Some(name) => Some(name),
                        None => return Ok(Outcome::NotAHandler),
                    }
                }
                None => None,
            };
            if !store::assign(tx, id, expected, to).await? {
                let holder = match case.assigned_to {
                    Some(a) => crate::auth::store::name_tx(tx, a).await?,
                    None => None,
                };
                return Ok(Outcome::AlreadyAssigned(holder));
            }
            let detail = to.map(|t| t.to_string()).unwrap_or_default();
            store::add_event(
                tx,
                keys,
                Event::new(id, actor, "assigned").detail(&detail),
                now,
            )
            .await?;
            let said = name.map_or_else(|| "Ingen handläggare".to_owned(), |n| format!("Till {n}"));
            audit::store::record(tx, &entry(Action::CaseAssigned).detail(said), now).await?;
        }
        CaseChange::Status { from, to } => {
            if !from.next().contains(&to) {
                return Ok(Outcome::NotAllowed);
            }
            if !store::set_status(tx, id, from, to, now).await? {
                let current = Status::from_code(&case.status).unwrap_or(Status::New);
                return Ok(Outcome::StatusMoved(current));
            }
            store::add_event(
                tx,
                keys,
                Event::new(id, actor, "status").detail(to.code()),
                now,
            )
            .await?;
            let detail = format!("{} → {}", from.label(), to.label());
            audit::store::record(tx, &entry(Action::CaseStatusChanged).detail(detail), now).await?;
        }
        CaseChange::Note(text) => {
            store::add_event(tx, keys, Event::new(id, actor, "note").body(&text), now).await?;
            audit::store::record(tx, &entry(Action::CaseNoteAdded), now).await?;
        }
        CaseChange::Reply { text, mail } => {
            let outbox_id = outbox::enqueue(tx, keys, Some(id), &mail, now).await?;
            let event = Event::new(id, actor, "reply")
                .detail(Channel::Email.code())
                .body(&text)
                .mail(outbox_id);
            store::add_event(tx, keys, event, now).await?;
            answered(tx, keys, actor, &case, now).await?;
            audit::store::record(tx, &entry(Action::CaseReplied), now).await?;
        }
        CaseChange::Answered { channel, text } => {
            let event = Event::new(id, actor, "answered")
                .detail(channel.code())
                .body(&text);
            store::add_event(tx, keys, event, now).await?;
            answered(tx, keys, actor, &case, now).await?;
            let detail = match channel {
                Channel::Phone => "Per telefon",
                Channel::Letter => "Per brev",
                Channel::Email => "Per e-post",
            };
            audit::store::record(tx, &entry(Action::CaseAnswered).detail(detail), now).await?;
        }
    }
    Ok(Outcome::Done)
}

/// After an answer: the case counts as answered, and a new case is now
/// being worked on (recorded as a status change of its own).
async fn answered(
    tx: &mut Tx<'_>,
    keys: &DataKeys,
    actor: i64,
    case: &CaseRow,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    store::mark_answered(tx, case.id, now).await?;
    if case.status == Status::New.code()
        && store::set_status(tx, case.id, Status::New, Status::InProgress, now).await?
    {
        let event = Event::new(case.id, actor, "status").detail(Status::InProgress.code());
        store::add_event(tx, keys, event, now).await?;
    }
    Ok(())
}

/// Records that `actor` opened the page of case `reference`.
pub async fn record_view(
    writer: &Writer,
    actor: i64,
    reference: String,
    now: DateTime<Utc>,
) -> Result<(), WriteError> {
    writer
        .write(move |tx| {
            let entry = Entry::new(Some(actor), Action::CaseViewed).on("ärende", &reference);
            Box::pin(async move { audit::store::record(tx, &entry, now).await })
        })
        .await
}

/// Saves the case-type settings: each type that changed is updated with
/// an audit entry naming what changed (never the template's text), and
/// the public pages that state the answer time are rendered again on
/// every instance. Returns how many types changed.
pub async fn save_type_settings(
    writer: &Writer,
    actor: i64,
    settings: Vec<store::TypeSettings>,
    now: DateTime<Utc>,
) -> Result<usize, WriteError> {
    writer
        .write(move |tx| {
            let settings = settings.clone();
            Box::pin(async move {
                let before = store::type_settings_tx(tx).await?;
                let mut changed = 0;
                for new in &settings {
                    let Some(old) = before.iter().find(|o| o.kind == new.kind) else {
                        continue;
                    };
                    if old == new {
                        continue;
                    }
                    let mut what = vec![];
                    if old.answer_days != new.answer_days {
                        what.push(format!(
                            "svarstid {} → {} arbetsdagar",
                            old.answer_days, new.answer_days
                        ));
                    }
                    if old.handler_address != new.handler_address {
                        what.push("handläggaradress".to_owned());
                    }
                    if old.reply_template != new.reply_template {
                        what.push("svarsmall".to_owned());
                    }
                    if old.retention_months != new.retention_months {
                        what.push(format!(
                            "gallring {} → {} månader",
                            old.retention_months, new.retention_months
                        ));
                    }
                    store::update_type(tx, new).await?;
                    let entry = Entry::new(Some(actor), Action::CaseTypeChanged)
                        .on("ärendetyp", &new.kind)
                        .detail(what.join(", "));
                    audit::store::record(tx, &entry, now).await?;
                    changed += 1;
                }
                if changed > 0 {
                    crate::content::store::bump_content_version(tx).await?;
                }
                Ok(changed)
            })
        })
        .await
}

/// A problem a handläggare confirmed in an accessibility case, worded for
/// the public statement.
#[derive(Debug, Clone)]
pub struct Confirmed {
    pub description: String,
    pub criterion: String,
    pub reason: String,
    pub planned_fix_on: NaiveDate,
}

/// Publishes a confirmed problem from accessibility case `reference` into
/// the statement, or marks one fixed (`fixed`: its id), in one writer job
/// with the case's history line, the audit entry, the statement's
/// "Senast uppdaterad" and the content version every instance polls.
/// Only what the handläggare wrote is published.
pub async fn statement_problem(
    writer: &Writer,
    keys: &Arc<DataKeys>,
    actor: i64,
    reference: String,
    change: Result<Confirmed, i64>,
    now: DateTime<Utc>,
) -> Result<Outcome, WriteError> {
    use crate::content::store as statement;
    let today = now
        .with_timezone(&chrono_tz::Europe::Stockholm)
        .date_naive();
    let keys = keys.clone();
    writer
        .write(move |tx| {
            let keys = keys.clone();
            let (reference, change) = (reference.clone(), change.clone());
            Box::pin(async move {
                let Some(case) = store::case_tx(tx, &keys, &reference).await? else {
                    return Ok(Outcome::NoSuchCase);
                };
                if case.kind != CaseKind::Accessibility.prefix() {
                    return Ok(Outcome::NotAllowed);
                }
                let entry = |action| Entry::new(Some(actor), action).on("ärende", &reference);
                match change {
                    Ok(problem) => {
                        let id = statement::publish_problem(
                            tx,
                            &statement::NewProblem {
                                case_id: case.id,
                                description: problem.description.clone(),
                                criterion: problem.criterion.clone(),
                                reason: problem.reason,
                                planned_fix_on: problem.planned_fix_on,
                                published_by: actor,
                            },
                            now,
                        )
                        .await?;
                        let detail = id.to_string();
                        let event = Event::new(case.id, actor, "published")
                            .detail(&detail)
                            .body(&problem.description);
                        store::add_event(tx, &keys, event, now).await?;
                        let said = format!("Kriterium {}", problem.criterion);
                        audit::store::record(
                            tx,
                            &entry(Action::ProblemPublished).detail(said),
                            now,
                        )
                        .await?;
                    }
                    Err(id) => {
                        if !statement::fix_problem(tx, id, case.id, actor, now).await? {
                            return Ok(Outcome::NotAllowed);
                        }
                        let detail = id.to_string();
                        let event = Event::new(case.id, actor, "fixed").detail(&detail);
                        store::add_event(tx, &keys, event, now).await?;
                        audit::store::record(tx, &entry(Action::ProblemFixed), now).await?;
                    }
                }
                statement::touch_statement(tx, today).await?;
                statement::bump_content_version(tx).await?;
                Ok(Outcome::Done)
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn due(y: i32, m: u32, d: u32, h: u32, min: u32, days: i64) -> String {
        due_date(Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap(), days).to_string()
    }

    #[test]
    fn answer_dates_count_swedish_working_days_from_the_day_of_receipt() {
        // Friday evening in Stockholm: day 0 is the Friday.
        assert_eq!(due(2026, 12, 4, 18, 30, 5), "2026-12-11");
        // 23:30 UTC on that Friday is already Saturday in Stockholm: the
        // count starts on Monday, and ends on the same Friday.
        assert_eq!(due(2026, 12, 4, 23, 30, 5), "2026-12-11");
        // Julafton, juldagen, annandag jul, nyårsafton and nyårsdagen.
        assert_eq!(due(2026, 12, 24, 9, 0, 5), "2027-01-05");
        // Easter 2027: långfredagen 26 March and annandag påsk 29 March.
        assert_eq!(due(2027, 3, 25, 10, 0, 2), "2027-03-31");
        // Kristi himmelsfärds dag 2027 is Thursday 6 May (summer time).
        assert_eq!(due(2027, 5, 5, 8, 0, 1), "2027-05-07");
        // Nationaldagen on a weekday (2028: a Tuesday).
        assert_eq!(due(2028, 6, 5, 8, 0, 1), "2028-06-07");
        // Midsommarafton 2027 is Friday 25 June.
        assert_eq!(due(2027, 6, 24, 8, 0, 1), "2027-06-28");
        // Julafton 2027 is a Friday; nyårsafton too.
        assert_eq!(due(2027, 12, 23, 9, 0, 1), "2027-12-27");
        assert_eq!(due(2027, 12, 30, 9, 0, 1), "2028-01-03");
    }
}

/// What one clean-up of due cases did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub cases: u64,
    pub mails: u64,
    pub files: u64,
}

/// Cases cleaned per transaction.
const PURGE_BATCH: i64 = 200;

/// Deletes the personal data of every closed case whose type's retention
/// period (months after closing) has passed: a batch of cases per writer
/// job, with their mail and each case's audit entry, so a stop at any
/// point leaves each case untouched or fully cleaned. The `.eml` copies
/// in `mail_dir` go first, inside the job: a job that does not commit
/// leaves its cases to the next run, which finds the files already gone.
pub async fn purge_due(
    db: &crate::db::Db,
    writer: &Writer,
    mail_dir: Option<std::path::PathBuf>,
    now: DateTime<Utc>,
) -> Result<Purged, WriteError> {
    let mut total = Purged::default();
    let types = store::type_settings(db).await.map_err(WriteError::Db)?;
    for t in types {
        let Some(kind) = CaseKind::from_prefix(&t.kind) else {
            continue;
        };
        let months = u32::try_from(t.retention_months).unwrap_or(24);
        let Some(closed_by) = now.checked_sub_months(chrono::Months::new(months)) else {
            continue;
        };
        loop {
            let dir = mail_dir.clone();
            let (due, batch) = writer
                .write(move |tx| {
                    let dir = dir.clone();
                    Box::pin(async move {
                        let due = store::due_for_purge(tx, kind, closed_by, PURGE_BATCH).await?;
                        if due.is_empty() {
                            return Ok((0, Purged::default()));
                        }
                        let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
                        let mut files = 0;
                        if let Some(dir) = &dir {
                            let messages = outbox::message_ids_for_cases(tx, &ids).await?;
                            files = crate::mail::worker::remove_files(dir, &messages)
                                .await
                                .map_err(sqlx::Error::Io)?;
                        }
                        let mails = outbox::delete_for_cases(tx, &ids).await?;
                        let cases = store::purge(tx, &ids, now).await?;
                        let detail = format!("{months} månader efter att ärendet avslutades");
                        for d in &due {
                            let entry = Entry::new(None, Action::CasePurged)
                                .on("ärende", &d.reference)
                                .detail(detail.clone());
                            audit::store::record(tx, &entry, now).await?;
                        }
                        Ok((
                            due.len(),
                            Purged {
                                cases,
                                mails,
                                files,
                            },
                        ))
                    })
                })
                .await?;
            total.cases += batch.cases;
            total.mails += batch.mails;
            total.files += batch.files;
            if (due as i64) < PURGE_BATCH {
                break;
            }
        }
    }
    Ok(total)
}
