//! All SQL of the campaign programme. A campaign has tens of events, so a
//! year is read whole and filtered in memory. Writes take the writer's
//! transaction.

use chrono::{DateTime, NaiveDate, Utc};

use super::model::{
    Access, Audience, Campaign, Colour, Event, Format, MeetingLink, Municipality, Status,
};
use crate::db::{Db, DbError, Tx};
use crate::{on_pool, on_tx};

#[derive(sqlx::FromRow)]
struct CampaignRow {
    year: i64,
    theme: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    intro_md: String,
    colour: String,
    published: bool,
    example: bool,
    updated_on: NaiveDate,
}

#[derive(sqlx::FromRow)]
struct MunicipalityRow {
    year: i64,
    slug: String,
    name: String,
    domains: String,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    campaign_year: i64,
    uid: String,
    slug: String,
    title: String,
    description_md: String,
    audience: String,
    format: String,
    place: Option<String>,
    address: Option<String>,
    municipality: String,
    language: String,
    accessibility: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    capacity: Option<i64>,
    registration_opens_at: Option<DateTime<Utc>>,
    registration_closes_at: Option<DateTime<Utc>>,
    status: String,
    cancel_reason: Option<String>,
    meeting_link: Option<String>,
    sequence: i64,
    example: bool,
    updated_at: DateTime<Utc>,
}

impl EventRow {
    fn into_event(self) -> Event {
        Event {
            id: self.id,
            campaign_year: self.campaign_year,
            uid: self.uid,
            slug: self.slug,
            title: self.title,
            description_md: self.description_md,
            // Only this module writes these columns, from the same enums.
            audience: Audience::from_slug(&self.audience).unwrap_or(Audience::Public),
            format: Format::from_slug(&self.format).unwrap_or(Format::OnSite),
            place: self.place,
            address: self.address,
            municipality: self.municipality,
            language: self.language,
            accessibility: Access::parse_list(&self.accessibility),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            capacity: self.capacity,
            registration_opens_at: self.registration_opens_at,
            registration_closes_at: self.registration_closes_at,
            status: Status::parse(&self.status).unwrap_or(Status::Draft),
            cancel_reason: self.cancel_reason,
            meeting_link: self.meeting_link.map(MeetingLink::new),
            sequence: self.sequence,
            example: self.example,
            updated_at: self.updated_at,
        }
    }
}

const EVENT_COLUMNS: &str = "id, campaign_year, uid, slug, title, description_md, audience, \
     format, place, address, municipality, language, accessibility, starts_at, ends_at, \
     capacity, registration_opens_at, registration_closes_at, status, cancel_reason, \
     meeting_link, sequence, example, updated_at";

/// Every campaign, newest first, with its municipalities.
pub async fn campaigns(db: &Db) -> Result<Vec<Campaign>, DbError> {
    let rows: Vec<CampaignRow> = on_pool!(db, |p| {
        sqlx::query_as(
        "SELECT year, theme, starts_on, ends_on, intro_md, colour, published, example, updated_on \
         FROM campaigns ORDER BY year DESC"
    )
    .fetch_all(p)
    .await
    })?;
    let towns: Vec<MunicipalityRow> = on_pool!(db, |p| {
        sqlx::query_as(
        "SELECT year, slug, name, domains FROM campaign_municipalities ORDER BY year, sort, name"
    )
    .fetch_all(p)
    .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| Campaign {
            municipalities: towns
                .iter()
                .filter(|m| m.year == r.year)
                .map(|m| Municipality {
                    slug: m.slug.clone(),
                    name: m.name.clone(),
                    domains: m.domains.split_whitespace().map(str::to_owned).collect(),
                })
                .collect(),
            year: r.year,
            theme: r.theme,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            intro_md: r.intro_md,
            colour: Colour::parse(&r.colour).unwrap_or(Colour::Orange),
            published: r.published,
            example: r.example,
            updated_on: r.updated_on,
        })
        .collect())
}

pub async fn campaign(db: &Db, year: i64) -> Result<Option<Campaign>, DbError> {
    Ok(campaigns(db).await?.into_iter().find(|c| c.year == year))
}

/// A campaign's events in the order they happen, drafts included.
pub async fn events_of(db: &Db, year: i64) -> Result<Vec<Event>, DbError> {
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE campaign_year = $1 ORDER BY starts_at, id"
    );
    let rows: Vec<EventRow> = on_pool!(db, |p| sqlx::query_as(&sql).bind(year).fetch_all(p).await)?;
    Ok(rows.into_iter().map(EventRow::into_event).collect())
}

/// Every event the public may see (published or cancelled, in a published
/// campaign), in the order they happen: the calendar feed.
pub async fn public_events(db: &Db) -> Result<Vec<Event>, DbError> {
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE status <> 'utkast' AND campaign_year IN \
         (SELECT year FROM campaigns WHERE published = $1) ORDER BY starts_at, id"
    );
    let rows: Vec<EventRow> = on_pool!(db, |p| sqlx::query_as(&sql).bind(true).fetch_all(p).await)?;
    Ok(rows.into_iter().map(EventRow::into_event).collect())
}

/// How many events each campaign has, drafts included.
pub async fn event_counts(db: &Db) -> Result<std::collections::HashMap<i64, i64>, DbError> {
    let rows: Vec<(i64, i64)> = on_pool!(db, |p| sqlx::query_as(
        "SELECT campaign_year, COUNT(*) FROM events GROUP BY campaign_year"
    )
    .fetch_all(p)
    .await)?;
    Ok(rows.into_iter().collect())
}

pub async fn event(db: &Db, id: i64) -> Result<Option<Event>, DbError> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1");
    let row: Option<EventRow> = on_pool!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(EventRow::into_event))
}

pub async fn event_tx(tx: &mut Tx<'_>, id: i64) -> Result<Option<Event>, sqlx::Error> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1");
    let row: Option<EventRow> = on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(row.map(EventRow::into_event))
}

pub async fn campaign_exists(tx: &mut Tx<'_>, year: i64) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT year FROM campaigns WHERE year = $1"
    )
    .bind(year)
    .fetch_optional(c)
    .await)?;
    Ok(found.is_some())
}

/// Stores a campaign whole (its municipalities replaced), new or not.
pub async fn save_campaign(tx: &mut Tx<'_>, c: &Campaign) -> Result<(), sqlx::Error> {
    on_tx!(tx, |conn| sqlx::query(
        "INSERT INTO campaigns (year, theme, starts_on, ends_on, intro_md, colour, published, \
         example, updated_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (year) DO UPDATE SET theme = excluded.theme, starts_on = excluded.starts_on, \
         ends_on = excluded.ends_on, intro_md = excluded.intro_md, colour = excluded.colour, \
         published = excluded.published, example = excluded.example, \
         updated_on = excluded.updated_on"
    )
    .bind(c.year)
    .bind(&c.theme)
    .bind(c.starts_on)
    .bind(c.ends_on)
    .bind(&c.intro_md)
    .bind(c.colour.code())
    .bind(c.published)
    .bind(c.example)
    .bind(c.updated_on)
    .execute(conn)
    .await
    .map(|_| ()))?;
    on_tx!(tx, |conn| sqlx::query(
        "DELETE FROM campaign_municipalities WHERE year = $1"
    )
    .bind(c.year)
    .execute(conn)
    .await
    .map(|_| ()))?;
    for (sort, m) in (0_i64..).zip(&c.municipalities) {
        on_tx!(tx, |conn| sqlx::query(
            "INSERT INTO campaign_municipalities (year, slug, name, sort, domains) \
             VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(c.year)
        .bind(&m.slug)
        .bind(&m.name)
        .bind(sort)
        .bind(m.domains.join(" "))
        .execute(conn)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Adds an event (its `id` is ignored) and returns the id it got.
pub async fn insert_event(
    tx: &mut Tx<'_>,
    e: &Event,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO events (campaign_year, uid, slug, title, description_md, audience, format, \
         place, address, municipality, language, accessibility, starts_at, ends_at, capacity, \
         registration_opens_at, registration_closes_at, status, cancel_reason, meeting_link, \
         sequence, example, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23) RETURNING id"
    )
    .bind(e.campaign_year)
    .bind(&e.uid)
    .bind(&e.slug)
    .bind(&e.title)
    .bind(&e.description_md)
    .bind(e.audience.slug())
    .bind(e.format.slug())
    .bind(&e.place)
    .bind(&e.address)
    .bind(&e.municipality)
    .bind(&e.language)
    .bind(Access::join(&e.accessibility))
    .bind(e.starts_at)
    .bind(e.ends_at)
    .bind(e.capacity)
    .bind(e.registration_opens_at)
    .bind(e.registration_closes_at)
    .bind(e.status.code())
    .bind(&e.cancel_reason)
    .bind(e.meeting_link.as_ref().map(MeetingLink::as_str))
    .bind(e.sequence)
    .bind(e.example)
    .bind(now)
    .fetch_one(c)
    .await)
}

/// Writes every field of `e` over the stored event `e.id`.
pub async fn update_event(
    tx: &mut Tx<'_>,
    e: &Event,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE events SET slug = $2, title = $3, description_md = $4, audience = $5, \
         format = $6, place = $7, address = $8, municipality = $9, language = $10, \
         accessibility = $11, starts_at = $12, ends_at = $13, capacity = $14, \
         registration_opens_at = $15, registration_closes_at = $16, status = $17, \
         cancel_reason = $18, meeting_link = $19, sequence = $20, updated_at = $21 \
         WHERE id = $1"
    )
    .bind(e.id)
    .bind(&e.slug)
    .bind(&e.title)
    .bind(&e.description_md)
    .bind(e.audience.slug())
    .bind(e.format.slug())
    .bind(&e.place)
    .bind(&e.address)
    .bind(&e.municipality)
    .bind(&e.language)
    .bind(Access::join(&e.accessibility))
    .bind(e.starts_at)
    .bind(e.ends_at)
    .bind(e.capacity)
    .bind(e.registration_opens_at)
    .bind(e.registration_closes_at)
    .bind(e.status.code())
    .bind(&e.cancel_reason)
    .bind(e.meeting_link.as_ref().map(MeetingLink::as_str))
    .bind(e.sequence)
    .bind(now)
    .execute(c)
    .await
    .map(|_| ()))
}
