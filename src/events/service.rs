//! Changes to the programme, one writer job each, audited in the same
//! transaction. Each bumps the content version, so every instance shows
//! the change within `FRIDHEM_CONTENT_POLL_MS`.

use chrono::{DateTime, NaiveDate, Utc};

use super::model::{Campaign, Event, Status};
use super::registration::{self, service::Context};
use super::store;
use crate::audit::{self, Action, Entry};
use crate::db::writer::{WriteError, Writer};
use crate::db::Tx;

async fn changed(tx: &mut Tx<'_>, entry: Entry, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    audit::store::record(tx, &entry, now).await?;
    crate::content::store::bump_content_version(tx).await
}

/// A UID for a new event: random, so no two instances can draw the same,
/// and never derived from the title (which may change).
pub fn new_uid() -> String {
    format!("{}@fridhem", uuid::Uuid::new_v4())
}

/// Stores a campaign (new or changed).
pub async fn save_campaign(
    writer: &Writer,
    by: i64,
    campaign: Campaign,
    now: DateTime<Utc>,
) -> Result<(), WriteError> {
    writer
        .write(move |tx| {
            let campaign = campaign.clone();
            Box::pin(async move {
                store::save_campaign(tx, &campaign).await?;
                let state = if campaign.published {
                    "publicerad"
                } else {
                    "utkast"
                };
                let entry = Entry::new(Some(by), Action::CampaignSaved)
                    .on("kampanj", campaign.year)
                    .detail(format!("{}; {state}", campaign.theme));
                changed(tx, entry, now).await
            })
        })
        .await
}

/// Copies the campaign of `from` (its texts, period moved to `to`, colour,
/// municipalities; not its events) as an unpublished draft for `to`.
/// False when `to` already has a campaign or `from` has none.
pub async fn copy_campaign(
    writer: &Writer,
    by: i64,
    from: Campaign,
    to: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            let from = from.clone();
            Box::pin(async move {
                if store::campaign_exists(tx, to).await? {
                    return Ok(false);
                }
                let shift = |d: NaiveDate| {
                    d.with_year_of(to)
                        .unwrap_or_else(|| Campaign::november(to).0)
                };
                let copy = Campaign {
                    year: to,
                    starts_on: shift(from.starts_on),
                    ends_on: shift(from.ends_on),
                    published: false,
                    example: false,
                    updated_on: today,
                    ..from.clone()
                };
                store::save_campaign(tx, &copy).await?;
                let entry = Entry::new(Some(by), Action::CampaignCopied)
                    .on("kampanj", to)
                    .detail(format!("kopia av {}", from.year));
                changed(tx, entry, now).await?;
                Ok(true)
            })
        })
        .await
}

trait WithYear {
    fn with_year_of(self, year: i64) -> Option<NaiveDate>;
}

impl WithYear for NaiveDate {
    fn with_year_of(self, year: i64) -> Option<NaiveDate> {
        use chrono::Datelike;
        self.with_year(i32::try_from(year).ok()?)
    }
}

/// Adds an event as a draft; returns its id.
pub async fn create_event(
    writer: &Writer,
    by: i64,
    event: Event,
    now: DateTime<Utc>,
) -> Result<i64, WriteError> {
    writer
        .write(move |tx| {
            let event = event.clone();
            Box::pin(async move {
                let id = store::insert_event(tx, &event, now).await?;
                let entry = Entry::new(Some(by), Action::EventCreated)
                    .on("evenemang", id)
                    .detail(event.title.clone());
                changed(tx, entry, now).await?;
                Ok(id)
            })
        })
        .await
}

/// What a save does to the event's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Save {
    /// Keep the status it has.
    Keep,
    Publish,
}

/// What became of a save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Saved {
        published: bool,
    },
    Missing,
    /// A cancelled event is not edited back to life.
    Cancelled,
    /// Someone else saved it after this form was opened.
    Stale,
}

/// Saves an edited event (and publishes it if asked), unless it changed
/// since `seen` (its `updated_at` when the form was opened). An event
/// people may already have in their calendars gets a higher SEQUENCE, so
/// their calendar takes the change.
pub async fn save_event(
    reg: &Context,
    by: i64,
    event: Event,
    save: Save,
    seen: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Saved, WriteError> {
    let reg2 = reg.clone();
    reg.writer
        .write(move |tx| {
            let mut event = event.clone();
            let reg = reg2.clone();
            Box::pin(async move {
                let Some(stored) = store::event_tx(tx, event.id).await? else {
                    return Ok(Saved::Missing);
                };
                if stored.is_cancelled() {
                    return Ok(Saved::Cancelled);
                }
                if stored.updated_at != seen {
                    return Ok(Saved::Stale);
                }
                let publish = save == Save::Publish && stored.is_draft();
                event.status = if publish {
                    Status::Published
                } else {
                    stored.status
                };
                event.cancel_reason = None;
                event.sequence = if stored.status == Status::Published {
                    stored.sequence + 1
                } else {
                    stored.sequence
                };
                store::update_event(tx, &event, now).await?;
                let action = if publish {
                    Action::EventPublished
                } else {
                    Action::EventSaved
                };
                let entry = Entry::new(Some(by), action)
                    .on("evenemang", event.id)
                    .detail(event.title.clone());
                changed(tx, entry, now).await?;
                if stored.status == Status::Published {
                    // The people registered hear of a new time or place;
                    // more seats move the waiting list at once.
                    registration::service::event_changed(tx, &reg, &stored, &event, by, now)
                        .await?;
                }
                Ok(Saved::Saved { published: publish })
            })
        })
        .await
}

/// Copies event `id` as a new draft titled "Kopia av …", with a new UID
/// (it is another event in people's calendars); the new id, or None when
/// there is no such event.
pub async fn copy_event(
    writer: &Writer,
    by: i64,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Option<i64>, WriteError> {
    writer
        .write(move |tx| {
            Box::pin(async move {
                let Some(event) = store::event_tx(tx, id).await? else {
                    return Ok(None);
                };
                let title = format!("Kopia av {}", event.title);
                let copy = Event {
                    uid: new_uid(),
                    slug: super::model::slug(&title),
                    title,
                    status: Status::Draft,
                    cancel_reason: None,
                    sequence: 0,
                    example: false,
                    updated_at: now,
                    ..event
                };
                let new = store::insert_event(tx, &copy, now).await?;
                let entry = Entry::new(Some(by), Action::EventCopied)
                    .on("evenemang", new)
                    .detail(format!("kopia av {id}"));
                changed(tx, entry, now).await?;
                Ok(Some(new))
            })
        })
        .await
}

/// Calls a published event off, with the reason shown on its page. False
/// when there is no such event or it is not published.
pub async fn cancel_event(
    reg: &Context,
    by: i64,
    id: i64,
    reason: String,
    now: DateTime<Utc>,
) -> Result<bool, WriteError> {
    let reg2 = reg.clone();
    reg.writer
        .write(move |tx| {
            let reason = reason.clone();
            let reg = reg2.clone();
            Box::pin(async move {
                let Some(mut event) = store::event_tx(tx, id).await? else {
                    return Ok(false);
                };
                if event.status != Status::Published {
                    return Ok(false);
                }
                event.status = Status::Cancelled;
                event.cancel_reason = Some(reason.clone());
                event.sequence += 1;
                store::update_event(tx, &event, now).await?;
                let entry = Entry::new(Some(by), Action::EventCancelled)
                    .on("evenemang", id)
                    .detail(format!("{}; {reason}", event.title));
                changed(tx, entry, now).await?;
                registration::service::event_cancelled(tx, &reg, &event, by, now).await?;
                Ok(true)
            })
        })
        .await
}
