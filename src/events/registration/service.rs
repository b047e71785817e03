//! Registration's use cases, one writer job each: everything a use case
//! writes (the registration, the seats it frees or takes, the people moved
//! up, their e-mails, the audit entries) commits together or not at all,
//! and the caller hears only after the commit.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::mail::{About, Letter, Mailer};
use super::model::{window, NewRegistration, Registration, State, Window};
use super::store::{self, Identity};
use crate::audit::{self, Action, Entry};
use crate::db::crypt::DataKeys;
use crate::db::writer::{WriteError, Writer};
use crate::db::Tx;
use crate::events::model::Event;
use crate::events::store as events;
use crate::mail::outbox::{self, Owner};
use crate::mail::seal;

/// A personal link: the token in its address, the hash that finds the
/// registration, and the nonce the token is made from with the site's key.
#[derive(Debug, Clone)]
pub struct Link {
    pub token: String,
    pub hash: String,
    pub nonce: String,
}

impl Link {
    /// A new link; `make` turns a nonce into its token with the site's key
    /// (as the mail worker does for placeholders).
    pub fn new(make: &dyn Fn(&str) -> String) -> Link {
        let nonce = seal::new_nonce();
        let token = make(&nonce);
        Link {
            hash: token_hash(&token),
            token,
            nonce,
        }
    }
}

/// What is stored of a token: its SHA-256 in hex.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How a registration went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A seat.
    Registered,
    /// On the waiting list at this place.
    Waiting(i64),
    /// The address was registered already: the registration as it stands
    /// (its link is e-mailed again, never shown here).
    Again(State, Option<i64>),
    /// A class that does not fit and did not ask for the waiting list:
    /// this many seats are free.
    DoesNotFit(i64),
    /// Registration is not open (not yet, over, or the event is gone).
    Closed,
}

/// Shared by every job: the keys that seal personal data and the e-mail
/// writer.
#[derive(Clone)]
pub struct Context {
    pub writer: Writer,
    pub keys: Arc<DataKeys>,
    pub mailer: Arc<Mailer>,
}

/// Repeated registrations mail the link again at most this often a day.
const LINKS_PER_DAY: i64 = 3;

async fn organiser(tx: &mut Tx<'_>, event: &Event) -> Result<String, sqlx::Error> {
    Ok(
        store::municipality_name(tx, event.campaign_year, &event.municipality)
            .await?
            .unwrap_or_else(|| event.municipality.clone()),
    )
}

async fn send(
    tx: &mut Tx<'_>,
    ctx: &Context,
    letter: &Letter,
    event: &Event,
    r: &Registration,
    organiser: &str,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let about = About { event, organiser };
    let mut mail = ctx.mailer.compose(letter, &about, r, now);
    if *letter == Letter::LinkAgain {
        mail.recipient_key = Some(format!("anmalan-{}", r.id));
    }
    outbox::enqueue_for(tx, &ctx.keys, Owner::Registration(r.id), &mail, now).await?;
    Ok(())
}

/// Registers `new` for the event `event_id`, under the address's
/// fingerprint `email_key`, with the personal link `link`.
pub async fn register(
    ctx: &Context,
    event_id: i64,
    new: NewRegistration,
    email_key: String,
    link: Link,
    now: DateTime<Utc>,
) -> Result<Outcome, WriteError> {
    let ctx2 = ctx.clone();
    ctx.writer
        .write(move |tx| {
            let (ctx, new, email_key, link) =
                (ctx2.clone(), new.clone(), email_key.clone(), link.clone());
            Box::pin(async move {
                store::lock_event(tx, event_id).await?;
                let Some(event) = events::event_tx(tx, event_id).await? else {
                    return Ok(Outcome::Closed);
                };
                if window(&event, now) != Window::Open {
                    return Ok(Outcome::Closed);
                }
                if let Some(id) = store::id_by_email(tx, event_id, &email_key).await? {
                    return again(tx, &ctx, &event, id, now).await;
                }
                // Whoever fits in the free seats takes them. Nobody waiting
                // fits them any more (a freed seat goes down the list at
                // once, and below), so this passes no one who could have
                // had the seat.
                let mut seats = store::seats_tx(tx, event_id).await?;
                if seats.waiting > 0 && event.capacity.is_some_and(|c| seats.taken < c) {
                    // Seats freed while registration was closed (and then
                    // reopened) go down the list before anyone new.
                    if promote_waiting(tx, &ctx, &event, None, now).await? > 0 {
                        seats = store::seats_tx(tx, event_id).await?;
                    }
                }
                let free = event.capacity.map(|c| (c - seats.taken).max(0));
                let state = match free {
                    None => State::Registered,
                    Some(f) if new.seats <= f => State::Registered,
                    Some(_) if new.wait_if_full => State::Waiting,
                    Some(f) => return Ok(Outcome::DoesNotFit(f)),
                };
                let who = Identity {
                    event_id,
                    email_key: &email_key,
                    token_hash: &link.hash,
                    token_nonce: &link.nonce,
                };
                let id = store::insert(tx, &ctx.keys, &who, &new, state, now).await?;
                let r = store::by_id_tx(tx, &ctx.keys, id)
                    .await?
                    .ok_or(sqlx::Error::RowNotFound)?;
                let (letter, outcome) = match state {
                    State::Waiting => {
                        let place = store::place_in_line_tx(tx, event_id, r.queue).await?;
                        (Letter::Waiting(place), Outcome::Waiting(place))
                    }
                    _ => (Letter::Registered, Outcome::Registered),
                };
                if within_a_day(&event, now) {
                    store::mark_reminded(tx, id, now).await?;
                }
                let entry = Entry::new(None, Action::RegistrationCreated)
                    .on("anmalan", id)
                    .detail(format!(
                        "evenemang {event_id}; {}; {} platser",
                        state.code(),
                        new.seats
                    ));
                audit::store::record(tx, &entry, now).await?;
                let organiser = organiser(tx, &event).await?;
                send(tx, &ctx, &letter, &event, &r, &organiser, now).await?;
                Ok(outcome)
            })
        })
        .await
}

/// A repeated registration: the answer the first one would give now, and
/// the personal link to the address (a few times a day at most), never
/// to the page, so typing someone's address opens nothing of theirs.
async fn again(
    tx: &mut Tx<'_>,
    ctx: &Context,
    event: &Event,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Outcome, sqlx::Error> {
    let r = store::by_id_tx(tx, &ctx.keys, id)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let place = match r.state {
        State::Waiting => Some(store::place_in_line_tx(tx, event.id, r.queue).await?),
        _ => None,
    };
    let key = format!("anmalan-{id}");
    let since = now - chrono::Duration::days(1);
    if r.state.is_active() && outbox::count_for_recipient(tx, &key, since).await? < LINKS_PER_DAY {
        let organiser = organiser(tx, event).await?;
        send(tx, ctx, &Letter::LinkAgain, event, &r, &organiser, now).await?;
        let entry = Entry::new(None, Action::RegistrationLinkSent)
            .on("anmalan", id)
            .detail(format!("evenemang {}; anmälan igen", event.id));
        audit::store::record(tx, &entry, now).await?;
    }
    Ok(Outcome::Again(r.state, place))
}

/// Moves people up from the event's waiting list in order, everyone who
/// fits in the seats still free (a class too big for them keeps its place
/// and the smaller ones behind it move up); each gets the confirmation of
/// the seat.
/// Nobody is moved up once registration has closed unless `by` (staff)
/// asks for it. Returns how many were moved up.
pub async fn promote_waiting(
    tx: &mut Tx<'_>,
    ctx: &Context,
    event: &Event,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    if by.is_none() && window(event, now) != Window::Open {
        return Ok(0);
    }
    // No limit: everyone waiting fits.
    let capacity = event.capacity.unwrap_or(i64::MAX);
    let mut taken = store::seats_tx(tx, event.id).await?.taken;
    let mut moved = 0;
    let mut organiser_name = None;
    for r in store::waiting_tx(tx, &ctx.keys, event.id).await? {
        if taken >= capacity {
            break;
        }
        if taken.saturating_add(r.seats) > capacity {
            continue;
        }
        if organiser_name.is_none() {
            organiser_name = Some(organiser(tx, event).await?);
        }
        let name = organiser_name.as_deref().unwrap_or_default();
        let seats = r.seats;
        if move_up(tx, ctx, event, r, by, "", name, now).await? {
            taken = taken.saturating_add(seats);
            moved += 1;
        }
    }
    Ok(moved)
}

/// Gives waiting registration `r` its seats: the confirmation of the seat
/// (which is also its reminder within the last day) and the audit entry,
/// `how` saying by what. False when it was no longer waiting.
#[allow(clippy::too_many_arguments)]
async fn move_up(
    tx: &mut Tx<'_>,
    ctx: &Context,
    event: &Event,
    mut r: Registration,
    by: Option<i64>,
    how: &str,
    organiser: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    if !store::promote(tx, r.id, now).await? {
        return Ok(false);
    }
    r.state = State::Registered;
    if within_a_day(event, now) {
        store::mark_reminded(tx, r.id, now).await?;
    }
    let entry = Entry::new(by, Action::RegistrationPromoted)
        .on("anmalan", r.id)
        .detail(format!("evenemang {}; {how}{} platser", event.id, r.seats));
    audit::store::record(tx, &entry, now).await?;
    send(tx, ctx, &Letter::Promoted, event, &r, organiser, now).await?;
    Ok(true)
}

/// How a cancellation through the personal link went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cancelled {
    /// Cancelled now; this many people moved up into the freed seats.
    Now(usize),
    /// It was cancelled before (or the event was).
    Already,
    /// No registration has this link.
    Unknown,
}

/// Cancels the registration of the link whose token hashes to `hash`,
/// frees its seats and moves people up, in one transaction.
pub async fn cancel(
    ctx: &Context,
    hash: String,
    now: DateTime<Utc>,
) -> Result<Cancelled, WriteError> {
    let ctx2 = ctx.clone();
    ctx.writer
        .write(move |tx| {
            let (ctx, hash) = (ctx2.clone(), hash.clone());
            Box::pin(async move {
                let Some(found) = store::by_token_tx(tx, &ctx.keys, &hash).await? else {
                    return Ok(Cancelled::Unknown);
                };
                store::lock_event(tx, found.event_id).await?;
                // Read again under the lock: another instance may have
                // cancelled it meanwhile.
                let Some(r) = store::by_id_tx(tx, &ctx.keys, found.id).await? else {
                    return Ok(Cancelled::Unknown);
                };
                if !r.state.is_active() {
                    return Ok(Cancelled::Already);
                }
                let Some(event) = events::event_tx(tx, r.event_id).await? else {
                    return Ok(Cancelled::Unknown);
                };
                if !store::cancel(tx, r.id, State::Cancelled, now).await? {
                    return Ok(Cancelled::Already);
                }
                let entry = Entry::new(None, Action::RegistrationCancelled)
                    .on("anmalan", r.id)
                    .detail(format!(
                        "evenemang {}; av personen; var {}",
                        event.id,
                        r.state.code()
                    ));
                audit::store::record(tx, &entry, now).await?;
                let organiser = organiser(tx, &event).await?;
                send(tx, &ctx, &Letter::Cancelled, &event, &r, &organiser, now).await?;
                let moved = if r.state == State::Registered {
                    promote_waiting(tx, &ctx, &event, None, now).await?
                } else {
                    0
                };
                Ok(Cancelled::Now(moved))
            })
        })
        .await
}

/// Sends the personal link again to the registration's own address (a
/// few times a day at most). False when none was sent.
pub async fn send_link(
    ctx: &Context,
    hash: String,
    now: DateTime<Utc>,
) -> Result<bool, WriteError> {
    let ctx2 = ctx.clone();
    ctx.writer
        .write(move |tx| {
            let (ctx, hash) = (ctx2.clone(), hash.clone());
            Box::pin(async move {
                let Some(r) = store::by_token_tx(tx, &ctx.keys, &hash).await? else {
                    return Ok(false);
                };
                // Counted under the event's lock, so two instances cannot
                // both pass the limit.
                store::lock_event(tx, r.event_id).await?;
                let key = format!("anmalan-{}", r.id);
                let since = now - chrono::Duration::days(1);
                if !r.state.is_active()
                    || outbox::count_for_recipient(tx, &key, since).await? >= LINKS_PER_DAY
                {
                    return Ok(false);
                }
                let Some(event) = events::event_tx(tx, r.event_id).await? else {
                    return Ok(false);
                };
                let organiser = organiser(tx, &event).await?;
                send(tx, &ctx, &Letter::LinkAgain, &event, &r, &organiser, now).await?;
                let entry = Entry::new(None, Action::RegistrationLinkSent)
                    .on("anmalan", r.id)
                    .detail(format!("evenemang {}; begärd på sidan", event.id));
                audit::store::record(tx, &entry, now).await?;
                Ok(true)
            })
        })
        .await
}

/// How long before the start the reminder goes.
pub fn reminder_ahead() -> chrono::Duration {
    chrono::Duration::hours(24)
}

/// Whether the event starts within the reminder's day: a seat taken now
/// needs no reminder after its confirmation.
fn within_a_day(event: &Event, now: DateTime<Utc>) -> bool {
    event.starts_at - now <= reminder_ahead()
}

/// Sends the reminders that are due: everyone with a seat at an event
/// that starts within 24 hours and has had none. Each registration is
/// marked in the transaction that queues its e-mail, so with several
/// instances each reminder still goes once. Returns how many were queued.
pub async fn send_reminders(ctx: &Context, now: DateTime<Utc>) -> Result<usize, WriteError> {
    let ctx2 = ctx.clone();
    ctx.writer
        .write(move |tx| {
            let ctx = ctx2.clone();
            Box::pin(async move {
                let due = store::due_reminders(tx, now, now + reminder_ahead()).await?;
                let mut sent = 0;
                let mut events: Vec<(Event, String)> = vec![];
                for (id, event_id) in due {
                    if !store::mark_reminded(tx, id, now).await? {
                        continue;
                    }
                    let Some(r) = store::by_id_tx(tx, &ctx.keys, id).await? else {
                        continue;
                    };
                    if !events.iter().any(|(e, _)| e.id == event_id) {
                        let Some(event) = events::event_tx(tx, event_id).await? else {
                            continue;
                        };
                        let name = organiser(tx, &event).await?;
                        events.push((event, name));
                    }
                    let Some((event, name)) = events.iter().find(|(e, _)| e.id == event_id) else {
                        continue;
                    };
                    send(tx, &ctx, &Letter::Reminder, event, &r, name, now).await?;
                    sent += 1;
                }
                Ok(sent)
            })
        })
        .await
}

/// Staff cancelled `event`: everyone registered or waiting is told, with
/// a calendar file that takes it out of the calendars that have it.
pub async fn event_cancelled(
    tx: &mut Tx<'_>,
    ctx: &Context,
    event: &Event,
    by: i64,
    now: DateTime<Utc>,
) -> Result<usize, sqlx::Error> {
    let people = store::active_tx(tx, &ctx.keys, event.id).await?;
    let ids: Vec<i64> = people.iter().map(|r| r.id).collect();
    if !ids.is_empty() {
        // What is still queued (a confirmation, a reminder with the
        // meeting link) no longer holds: only the cancellation goes.
        outbox::discard_unsent_for_registrations(tx, &ids, now).await?;
    }
    let name = organiser(tx, event).await?;
    for r in &people {
        store::cancel(tx, r.id, State::EventCancelled, now).await?;
        send(tx, ctx, &Letter::EventCancelled, event, r, &name, now).await?;
    }
    if !people.is_empty() {
        let entry = Entry::new(Some(by), Action::RegistrationCancelled)
            .on("evenemang", event.id)
            .detail(format!(
                "evenemanget inställt; {} anmälningar",
                people.len()
            ));
        audit::store::record(tx, &entry, now).await?;
    }
    Ok(people.len())
}

/// Staff saved a published event: a new time or place is sent to
/// everyone registered or waiting (same UID, the new SEQUENCE), reminders
/// are due again; more seats (or no limit) move the waiting list.
pub async fn event_changed(
    tx: &mut Tx<'_>,
    ctx: &Context,
    before: &Event,
    after: &Event,
    by: i64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let moved = before.starts_at != after.starts_at
        || before.ends_at != after.ends_at
        || before.location() != after.location();
    if moved {
        // The update carries no meeting link (only confirmations and the
        // reminder do): the reminder, due again, brings it.
        store::reset_reminders(tx, after.id).await?;
        let people = store::active_tx(tx, &ctx.keys, after.id).await?;
        let name = organiser(tx, after).await?;
        for r in &people {
            send(tx, ctx, &Letter::Changed, after, r, &name, now).await?;
        }
    } else if before.meeting_link != after.meeting_link {
        // A new meeting link reaches those with a seat by the reminder.
        store::reset_reminders(tx, after.id).await?;
    }
    let more = match (before.capacity, after.capacity) {
        (Some(b), Some(a)) => a > b,
        (Some(_), None) => true,
        _ => false,
    };
    if more {
        promote_waiting(tx, ctx, after, Some(by), now).await?;
    }
    Ok(())
}

/// Staff moved a waiting registration one place up or down the list.
/// False when there is no such registration waiting, or nowhere to move.
pub async fn move_waiting(
    ctx: &Context,
    by: i64,
    event_id: i64,
    id: i64,
    up: bool,
    now: DateTime<Utc>,
) -> Result<bool, WriteError> {
    let keys = ctx.keys.clone();
    ctx.writer
        .write(move |tx| {
            let keys = keys.clone();
            Box::pin(async move {
                store::lock_event(tx, event_id).await?;
                let list = store::waiting_tx(tx, &keys, event_id).await?;
                let Some(at) = list.iter().position(|r| r.id == id) else {
                    return Ok(false);
                };
                let other = if up { at.checked_sub(1) } else { Some(at + 1) };
                let Some(other) = other.filter(|o| *o < list.len()) else {
                    return Ok(false);
                };
                store::swap_queue(tx, &list[at], &list[other]).await?;
                let entry = Entry::new(Some(by), Action::WaitingListReordered)
                    .on("anmalan", id)
                    .detail(format!(
                        "evenemang {event_id}; plats {} till {}",
                        at + 1,
                        other + 1
                    ));
                audit::store::record(tx, &entry, now).await?;
                Ok(true)
            })
        })
        .await
}

/// How staff's giving someone a seat by hand went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByHand {
    Promoted,
    /// Not enough free seats: this many.
    DoesNotFit(i64),
    NotWaiting,
}

/// Staff gave a waiting registration a seat (also after registration
/// closed), if it fits: capacity is never exceeded, not even by hand.
pub async fn promote_by_hand(
    ctx: &Context,
    by: i64,
    event_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<ByHand, WriteError> {
    let ctx2 = ctx.clone();
    ctx.writer
        .write(move |tx| {
            let ctx = ctx2.clone();
            Box::pin(async move {
                store::lock_event(tx, event_id).await?;
                let Some(event) = events::event_tx(tx, event_id).await? else {
                    return Ok(ByHand::NotWaiting);
                };
                let Some(r) = store::by_id_tx(tx, &ctx.keys, id)
                    .await?
                    .filter(|r| r.event_id == event_id && r.state == State::Waiting)
                else {
                    return Ok(ByHand::NotWaiting);
                };
                if let Some(capacity) = event.capacity {
                    let free = capacity - store::seats_tx(tx, event_id).await?.taken;
                    if r.seats > free {
                        return Ok(ByHand::DoesNotFit(free.max(0)));
                    }
                }
                let name = organiser(tx, &event).await?;
                if !move_up(tx, &ctx, &event, r, Some(by), "för hand; ", &name, now).await? {
                    return Ok(ByHand::NotWaiting);
                }
                Ok(ByHand::Promoted)
            })
        })
        .await
}

/// Staff raised an event's seats to `capacity`; the waiting list moves at
/// once. False when that is not more than it has (seats are never taken
/// back from people who have them).
pub async fn raise_capacity(
    ctx: &Context,
    by: i64,
    event_id: i64,
    capacity: i64,
    now: DateTime<Utc>,
) -> Result<Option<usize>, WriteError> {
    let ctx2 = ctx.clone();
    ctx.writer
        .write(move |tx| {
            let ctx = ctx2.clone();
            Box::pin(async move {
                store::lock_event(tx, event_id).await?;
                let Some(mut event) = events::event_tx(tx, event_id).await? else {
                    return Ok(None);
                };
                let before = event.capacity;
                if before.is_none_or(|b| capacity <= b) {
                    return Ok(None);
                }
                store::set_capacity(tx, event_id, capacity, now).await?;
                event.capacity = Some(capacity);
                let entry = Entry::new(Some(by), Action::CapacityRaised)
                    .on("evenemang", event_id)
                    .detail(format!(
                        "{} till {capacity} platser",
                        before.unwrap_or_default()
                    ));
                audit::store::record(tx, &entry, now).await?;
                crate::content::store::bump_content_version(tx).await?;
                Ok(Some(
                    promote_waiting(tx, &ctx, &event, Some(by), now).await?,
                ))
            })
        })
        .await
}

/// Staff's message to the people registered (and, with `waiting`, those
/// on the waiting list), one e-mail each through the outbox. Returns how
/// many.
pub async fn message(
    ctx: &Context,
    by: i64,
    event_id: i64,
    subject: String,
    text: String,
    waiting: bool,
    now: DateTime<Utc>,
) -> Result<usize, WriteError> {
    let ctx2 = ctx.clone();
    ctx.writer
        .write(move |tx| {
            let (ctx, subject, text) = (ctx2.clone(), subject.clone(), text.clone());
            Box::pin(async move {
                let Some(event) = events::event_tx(tx, event_id).await? else {
                    return Ok(0);
                };
                let name = organiser(tx, &event).await?;
                let letter = Letter::Message(subject.clone(), text);
                let mut sent = 0;
                for r in store::active_tx(tx, &ctx.keys, event_id).await? {
                    if r.state == State::Waiting && !waiting {
                        continue;
                    }
                    send(tx, &ctx, &letter, &event, &r, &name, now).await?;
                    sent += 1;
                }
                let entry = Entry::new(Some(by), Action::ParticipantsMessaged)
                    .on("evenemang", event_id)
                    .detail(format!("{subject}; {sent} mottagare"));
                audit::store::record(tx, &entry, now).await?;
                Ok(sent)
            })
        })
        .await
}

/// Staff looked at (or printed) the people registered for an event.
pub async fn viewed(
    writer: &Writer,
    by: i64,
    event_id: i64,
    what: &'static str,
    now: DateTime<Utc>,
) -> Result<(), WriteError> {
    writer
        .write(move |tx| {
            Box::pin(async move {
                let entry = Entry::new(Some(by), Action::ParticipantsViewed)
                    .on("evenemang", event_id)
                    .detail(what);
                audit::store::record(tx, &entry, now).await
            })
        })
        .await
}

/// What one clean-up of registrations did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub registrations: u64,
    pub mails: u64,
    pub files: u64,
}

/// Registrations cleaned per transaction.
const CLEAN_BATCH: i64 = 200;

/// Deletes the personal data of the registrations of every event that
/// ended more than `days` days ago, with their e-mails (and the `.eml`
/// copies in `mail_dir`), a batch per transaction with an audit entry per
/// event; the anonymous counts stay.
pub async fn purge_due(
    writer: &Writer,
    mail_dir: Option<std::path::PathBuf>,
    days: u32,
    now: DateTime<Utc>,
) -> Result<Cleaned, WriteError> {
    let before = now - chrono::Duration::days(i64::from(days));
    let mut total = Cleaned::default();
    loop {
        let dir = mail_dir.clone();
        let (due, batch) = writer
            .write(move |tx| {
                let dir = dir.clone();
                Box::pin(async move {
                    let due = store::due_for_cleaning(tx, before, CLEAN_BATCH).await?;
                    if due.is_empty() {
                        return Ok((0, Cleaned::default()));
                    }
                    let ids: Vec<i64> = due.iter().map(|d| d.0).collect();
                    let mut files = 0;
                    if let Some(dir) = &dir {
                        let messages = outbox::message_ids_for_registrations(tx, &ids).await?;
                        files = crate::mail::worker::remove_files(dir, &messages)
                            .await
                            .map_err(sqlx::Error::Io)?;
                    }
                    let mails = outbox::delete_for_registrations(tx, &ids).await?;
                    let registrations = store::clean(tx, &ids, now).await?;
                    let mut per_event: Vec<(i64, usize)> = vec![];
                    for (_, event) in &due {
                        match per_event.iter_mut().find(|(e, _)| e == event) {
                            Some((_, n)) => *n += 1,
                            None => per_event.push((*event, 1)),
                        }
                    }
                    for (event, n) in per_event {
                        let entry = Entry::new(None, Action::RegistrationsCleaned)
                            .on("evenemang", event)
                            .detail(format!("{n} anmälningar, {days} dagar efter evenemanget"));
                        audit::store::record(tx, &entry, now).await?;
                    }
                    Ok((
                        due.len(),
                        Cleaned {
                            registrations,
                            mails,
                            files,
                        },
                    ))
                })
            })
            .await?;
        total.registrations += batch.registrations;
        total.mails += batch.mails;
        total.files += batch.files;
        if (due as i64) < CLEAN_BATCH {
            return Ok(total);
        }
    }
}
