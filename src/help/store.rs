//! All SQL of the help directory. The directory is small (tens of rows), so
//! it is read whole in five queries and assembled in memory. Writes take the
//! writer's transaction.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc, Weekday};

use super::edit::ServiceEdit;
use super::hours::{Interval, WeeklyHours};
use super::model::{
    Area, Audience, DirectoryTexts, Organization, OrganizationText, Phone, PhoneText, Service,
    ServiceText,
};
use crate::db::{Db, DbError, Tx};
use crate::{on_pool, on_tx};

#[derive(sqlx::FromRow)]
struct OrganizationRow {
    id: String,
    key: String,
    name: String,
    description: String,
    website: Option<String>,
    updated_on: NaiveDate,
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    id: String,
    key: String,
    organization_id: String,
    name: String,
    description: String,
    languages: String,
    interpretation: Option<String>,
    url: Option<String>,
    url_label: Option<String>,
    call_safety: Option<String>,
    confirmed: bool,
    verified_on: Option<NaiveDate>,
    featured: i64,
    emergency: bool,
    sort: i64,
    area: String,
    updated_on: NaiveDate,
}

#[derive(sqlx::FromRow)]
struct PhoneRow {
    id: String,
    service_id: String,
    label: String,
    number: String,
    languages: String,
    confirmed: bool,
    always_open: bool,
    hours_confirmed: bool,
    hours_text: Option<String>,
}

#[derive(sqlx::FromRow)]
struct HoursRow {
    phone_id: String,
    weekday: i64,
    opens: String,
    closes: String,
}

#[derive(sqlx::FromRow)]
struct AudienceRow {
    service_id: String,
    audience: String,
}

fn codes(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

pub async fn organizations(db: &Db) -> Result<Vec<Organization>, DbError> {
    let rows: Vec<OrganizationRow> = on_pool!(db, |p| {
        sqlx::query_as(
        "SELECT id, key, name, description, website, updated_on FROM organizations ORDER BY name"
    )
    .fetch_all(p)
    .await
    })?;
    Ok(rows
        .into_iter()
        .map(|r| Organization {
            id: r.id,
            key: r.key,
            name: r.name,
            description: r.description,
            website: r.website,
            updated_on: r.updated_on,
        })
        .collect())
}

/// The directory's words in `lang` (a translation language's code).
pub async fn texts(db: &Db, lang: &str) -> Result<DirectoryTexts, DbError> {
    type ServiceTextRow = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        NaiveDate,
        bool,
    );
    type PhoneTextRow = (String, String, Option<String>);
    type OrganizationTextRow = (String, String, NaiveDate, bool);
    type Rows = (
        Vec<ServiceTextRow>,
        Vec<PhoneTextRow>,
        Vec<OrganizationTextRow>,
    );
    let (services, phones, organizations): Rows = on_pool!(db, |p| {
        let services = sqlx::query_as(
            "SELECT service_id, name, description, interpretation, url_label, call_safety, \
             source_updated_on, reviewed FROM service_translations WHERE lang = $1",
        )
        .bind(lang)
        .fetch_all(p)
        .await?;
        let phones = sqlx::query_as(
            "SELECT phone_id, label, hours_text FROM phone_translations WHERE lang = $1",
        )
        .bind(lang)
        .fetch_all(p)
        .await?;
        let organizations = sqlx::query_as(
            "SELECT organization_id, description, source_updated_on, reviewed \
             FROM organization_translations WHERE lang = $1",
        )
        .bind(lang)
        .fetch_all(p)
        .await?;
        Ok::<_, sqlx::Error>((services, phones, organizations))
    })?;
    Ok(DirectoryTexts {
        services: services
            .into_iter()
            .map(
                |(
                    id,
                    name,
                    description,
                    interpretation,
                    url_label,
                    call_safety,
                    source,
                    reviewed,
                )| {
                    (
                        id,
                        ServiceText {
                            name,
                            description,
                            interpretation,
                            url_label,
                            call_safety,
                            source_updated_on: source,
                            reviewed,
                        },
                    )
                },
            )
            .collect(),
        phones: phones
            .into_iter()
            .map(|(id, label, hours_text)| (id, PhoneText { label, hours_text }))
            .collect(),
        organizations: organizations
            .into_iter()
            .map(|(id, description, source, reviewed)| {
                (
                    id,
                    OrganizationText {
                        description,
                        source_updated_on: source,
                        reviewed,
                    },
                )
            })
            .collect(),
    })
}

/// A service's words in every language it is translated into, with its
/// lines' words: (language code, service text, phone id → phone text).
pub async fn service_texts(
    db: &Db,
    service_id: &str,
) -> Result<Vec<(String, ServiceText, HashMap<String, PhoneText>)>, DbError> {
    type Row = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        NaiveDate,
        bool,
    );
    type LineRow = (String, String, String, Option<String>);
    let (services, phones): (Vec<Row>, Vec<LineRow>) = on_pool!(db, |p| {
        let services = sqlx::query_as(
            "SELECT lang, name, description, interpretation, url_label, call_safety, \
                 source_updated_on, reviewed FROM service_translations WHERE service_id = $1",
        )
        .bind(service_id)
        .fetch_all(p)
        .await?;
        let phones = sqlx::query_as(
            "SELECT t.lang, t.phone_id, t.label, t.hours_text FROM phone_translations t \
                 JOIN phones p ON p.id = t.phone_id WHERE p.service_id = $1",
        )
        .bind(service_id)
        .fetch_all(p)
        .await?;
        Ok::<_, sqlx::Error>((services, phones))
    })?;
    Ok(services
        .into_iter()
        .map(
            |(
                lang,
                name,
                description,
                interpretation,
                url_label,
                call_safety,
                source,
                reviewed,
            )| {
                let lines = phones
                    .iter()
                    .filter(|(l, ..)| *l == lang)
                    .map(|(_, id, label, hours_text)| {
                        (
                            id.clone(),
                            PhoneText {
                                label: label.clone(),
                                hours_text: hours_text.clone(),
                            },
                        )
                    })
                    .collect();
                let text = ServiceText {
                    name,
                    description,
                    interpretation,
                    url_label,
                    call_safety,
                    source_updated_on: source,
                    reviewed,
                };
                (lang, text, lines)
            },
        )
        .collect())
}

/// How a text is written when the item already has one in the language.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OnConflict {
    /// An editor's save.
    Replace,
    /// The demo's texts: an editor's stay.
    Keep,
}

/// Writes a service's words in `lang`, dated `updated_on`; the number of
/// rows written (0 when there is no such service).
async fn write_service_text(
    tx: &mut Tx<'_>,
    service_id: &str,
    lang: &str,
    t: &ServiceText,
    updated_on: NaiveDate,
    on_conflict: OnConflict,
) -> Result<u64, sqlx::Error> {
    let conflict = match on_conflict {
        OnConflict::Replace => {
            "DO UPDATE SET name = excluded.name, description = excluded.description, \
             interpretation = excluded.interpretation, url_label = excluded.url_label, \
             call_safety = excluded.call_safety, source_updated_on = excluded.source_updated_on, \
             reviewed = excluded.reviewed, updated_on = excluded.updated_on"
        }
        OnConflict::Keep => "DO NOTHING",
    };
    let sql = format!(
        "INSERT INTO service_translations (service_id, lang, name, description, interpretation, \
         url_label, call_safety, source_updated_on, reviewed, updated_on) \
         SELECT id, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM services WHERE id = $1 \
         ON CONFLICT (service_id, lang) {conflict}"
    );
    on_tx!(tx, |c| sqlx::query(&sql)
        .bind(service_id)
        .bind(lang)
        .bind(&t.name)
        .bind(&t.description)
        .bind(&t.interpretation)
        .bind(&t.url_label)
        .bind(&t.call_safety)
        .bind(t.source_updated_on)
        .bind(t.reviewed)
        .bind(updated_on)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
}

/// Writes a line's words in `lang`, for a line that exists.
async fn write_phone_text(
    tx: &mut Tx<'_>,
    phone_id: &str,
    lang: &str,
    t: &PhoneText,
    on_conflict: OnConflict,
) -> Result<(), sqlx::Error> {
    let conflict = match on_conflict {
        OnConflict::Replace => {
            "DO UPDATE SET label = excluded.label, hours_text = excluded.hours_text"
        }
        OnConflict::Keep => "DO NOTHING",
    };
    let sql = format!(
        "INSERT INTO phone_translations (phone_id, lang, label, hours_text) \
         SELECT id, $2, $3, $4 FROM phones WHERE id = $1 ON CONFLICT (phone_id, lang) {conflict}"
    );
    on_tx!(tx, |c| sqlx::query(&sql)
        .bind(phone_id)
        .bind(lang)
        .bind(&t.label)
        .bind(&t.hours_text)
        .execute(c)
        .await
        .map(|_| ()))
}

/// Keeps a service's words in `lang` and its lines' (replacing what was
/// there), dated `today`; false when there is no such service. Only the
/// service's own lines are written.
pub async fn save_service_text(
    tx: &mut Tx<'_>,
    service_id: &str,
    lang: &str,
    text: &ServiceText,
    lines: &[(String, PhoneText)],
    today: NaiveDate,
) -> Result<bool, sqlx::Error> {
    if write_service_text(tx, service_id, lang, text, today, OnConflict::Replace).await? != 1 {
        return Ok(false);
    }
    let own: Vec<String> = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM phones WHERE service_id = $1"
    )
    .bind(service_id)
    .fetch_all(c)
    .await)?;
    for (phone_id, t) in lines.iter().filter(|(id, _)| own.contains(id)) {
        write_phone_text(tx, phone_id, lang, t, OnConflict::Replace).await?;
    }
    crate::content::store::bump_content_version(tx).await?;
    Ok(true)
}

/// An organisation's description in every language it is translated into.
pub async fn organization_texts(
    db: &Db,
    organization_id: &str,
) -> Result<Vec<(String, OrganizationText)>, DbError> {
    let rows: Vec<(String, String, NaiveDate, bool)> = on_pool!(db, |p| sqlx::query_as(
        "SELECT lang, description, source_updated_on, reviewed FROM organization_translations \
         WHERE organization_id = $1"
    )
    .bind(organization_id)
    .fetch_all(p)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(lang, description, source, reviewed)| {
            (
                lang,
                OrganizationText {
                    description,
                    source_updated_on: source,
                    reviewed,
                },
            )
        })
        .collect())
}

/// Writes an organisation's description in `lang`, dated `updated_on`;
/// the number of rows written (0 when there is no such organisation).
async fn write_organization_text(
    tx: &mut Tx<'_>,
    organization_id: &str,
    lang: &str,
    t: &OrganizationText,
    updated_on: NaiveDate,
    on_conflict: OnConflict,
) -> Result<u64, sqlx::Error> {
    let conflict = match on_conflict {
        OnConflict::Replace => {
            "DO UPDATE SET description = excluded.description, \
             source_updated_on = excluded.source_updated_on, reviewed = excluded.reviewed, \
             updated_on = excluded.updated_on"
        }
        OnConflict::Keep => "DO NOTHING",
    };
    let sql = format!(
        "INSERT INTO organization_translations (organization_id, lang, description, \
         source_updated_on, reviewed, updated_on) SELECT id, $2, $3, $4, $5, $6 \
         FROM organizations WHERE id = $1 ON CONFLICT (organization_id, lang) {conflict}"
    );
    on_tx!(tx, |c| sqlx::query(&sql)
        .bind(organization_id)
        .bind(lang)
        .bind(&t.description)
        .bind(t.source_updated_on)
        .bind(t.reviewed)
        .bind(updated_on)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
}

/// Keeps an organisation's description in `lang`, dated `today`; false
/// when there is no such organisation.
pub async fn save_organization_text(
    tx: &mut Tx<'_>,
    organization_id: &str,
    lang: &str,
    text: &OrganizationText,
    today: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let saved =
        write_organization_text(tx, organization_id, lang, text, today, OnConflict::Replace)
            .await?;
    if saved == 1 {
        crate::content::store::bump_content_version(tx).await?;
    }
    Ok(saved == 1)
}

/// Adds a language's directory texts (the demo's), leaving alone any text
/// an editor has written and any record that no longer exists.
pub async fn insert_texts(
    tx: &mut Tx<'_>,
    lang: &str,
    texts: &DirectoryTexts,
) -> Result<(), sqlx::Error> {
    for (id, t) in &texts.organizations {
        write_organization_text(tx, id, lang, t, t.source_updated_on, OnConflict::Keep).await?;
    }
    for (id, t) in &texts.services {
        write_service_text(tx, id, lang, t, t.source_updated_on, OnConflict::Keep).await?;
    }
    for (id, t) in &texts.phones {
        write_phone_text(tx, id, lang, t, OnConflict::Keep).await?;
    }
    Ok(())
}

/// Every service with phones and hours, in directory order, published or not;
/// callers decide what is public through the model's methods.
pub async fn services(db: &Db) -> Result<Vec<Service>, DbError> {
    let (services, phones, hours, audiences): (
        Vec<ServiceRow>,
        Vec<PhoneRow>,
        Vec<HoursRow>,
        Vec<AudienceRow>,
    ) = on_pool!(db, |p| {
        let services = sqlx::query_as(
            "SELECT id, key, organization_id, name, description, languages, interpretation, url, url_label, call_safety, \
             confirmed, verified_on, featured, emergency, sort, area, updated_on \
             FROM services ORDER BY sort, name",
        )
        .fetch_all(p)
        .await?;
        let phones = sqlx::query_as(
            "SELECT id, service_id, label, number, languages, confirmed, always_open, hours_confirmed, hours_text \
             FROM phones ORDER BY service_id, position",
        )
        .fetch_all(p)
        .await?;
        let hours = sqlx::query_as(
            "SELECT phone_id, weekday, opens, closes FROM phone_hours ORDER BY phone_id, weekday, opens",
        )
        .fetch_all(p)
        .await?;
        let audiences = sqlx::query_as("SELECT service_id, audience FROM service_audiences")
            .fetch_all(p)
            .await?;
        Ok::<_, sqlx::Error>((services, phones, hours, audiences))
    })?;

    let mut hours_by_phone: HashMap<String, Vec<Interval>> = HashMap::new();
    for h in hours {
        let day = u8::try_from(h.weekday - 1)
            .ok()
            .and_then(|d| Weekday::try_from(d).ok());
        // The schema's CHECK keeps weekdays in range and editors' input is
        // validated; a row that still fails to parse is left out rather than
        // shown as a wrong time.
        if let Some(interval) = day.and_then(|d| Interval::parse(d, &h.opens, &h.closes)) {
            hours_by_phone.entry(h.phone_id).or_default().push(interval);
        } else {
            tracing::warn!(phone = %h.phone_id, "skipping unreadable opening hours");
        }
    }
    let mut phones_by_service: HashMap<String, Vec<Phone>> = HashMap::new();
    for p in phones {
        let hours = WeeklyHours::new(hours_by_phone.remove(&p.id).unwrap_or_default());
        phones_by_service
            .entry(p.service_id)
            .or_default()
            .push(Phone {
                id: p.id,
                label: p.label,
                number: p.number,
                languages: codes(&p.languages),
                confirmed: p.confirmed,
                always_open: p.always_open,
                hours_confirmed: p.hours_confirmed,
                hours_text: p.hours_text,
                hours,
            });
    }
    let mut audiences_by_service: HashMap<String, Vec<Audience>> = HashMap::new();
    for a in audiences {
        if let Some(audience) = Audience::from_slug(&a.audience) {
            audiences_by_service
                .entry(a.service_id)
                .or_default()
                .push(audience);
        }
    }

    Ok(services
        .into_iter()
        .map(|s| {
            let mut audiences = audiences_by_service.remove(&s.id).unwrap_or_default();
            audiences.sort_by_key(|a| Audience::ALL.iter().position(|x| x == a));
            Service {
                phones: phones_by_service.remove(&s.id).unwrap_or_default(),
                audiences,
                languages: codes(&s.languages),
                area: if s.area == "local" {
                    Area::Local
                } else {
                    Area::National
                },
                id: s.id,
                key: s.key,
                organization_id: s.organization_id,
                name: s.name,
                description: s.description,
                interpretation: s.interpretation,
                url: s.url,
                url_label: s.url_label,
                call_safety: s.call_safety,
                confirmed: s.confirmed,
                verified_on: s.verified_on,
                featured: s.featured,
                emergency: s.emergency,
                sort: s.sort,
                updated_on: s.updated_on,
            }
        })
        .collect())
}

pub async fn insert_organization(tx: &mut Tx<'_>, o: &Organization) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO organizations (id, key, name, description, website, updated_on) VALUES ($1, $2, $3, $4, $5, $6)"
    )
    .bind(&o.id)
    .bind(&o.key)
    .bind(&o.name)
    .bind(&o.description)
    .bind(&o.website)
    .bind(o.updated_on)
    .execute(c)
    .await
    .map(|_| ())
    })
}

/// Inserts a service with its audiences, phones and opening hours.
pub async fn insert_service(tx: &mut Tx<'_>, s: &Service) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO services (id, key, organization_id, name, description, languages, interpretation, url, url_label, \
         call_safety, confirmed, verified_on, featured, emergency, sort, area, updated_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
    )
    .bind(&s.id)
    .bind(&s.key)
    .bind(&s.organization_id)
    .bind(&s.name)
    .bind(&s.description)
    .bind(s.languages.join(" "))
    .bind(&s.interpretation)
    .bind(&s.url)
    .bind(&s.url_label)
    .bind(&s.call_safety)
    .bind(s.confirmed)
    .bind(s.verified_on)
    .bind(s.featured)
    .bind(s.emergency)
    .bind(s.sort)
    .bind(match s.area {
        Area::Local => "local",
        Area::National => "national",
    })
    .bind(s.updated_on)
    .execute(c)
    .await
    .map(|_| ())
    })?;
    for a in &s.audiences {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO service_audiences (service_id, audience) VALUES ($1, $2)"
        )
        .bind(&s.id)
        .bind(a.slug())
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    for (position, p) in s.phones.iter().enumerate() {
        on_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO phones (id, service_id, position, label, number, languages, confirmed, always_open, hours_confirmed, hours_text) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        )
        .bind(&p.id)
        .bind(&s.id)
        .bind(position as i64)
        .bind(&p.label)
        .bind(&p.number)
        .bind(p.languages.join(" "))
        .bind(p.confirmed)
        .bind(p.always_open)
        .bind(p.hours_confirmed)
        .bind(&p.hours_text)
        .execute(c)
        .await
        .map(|_| ())
        })?;
        insert_hours(tx, p).await?;
    }
    Ok(())
}

/// A service's saved, unpublished edit.
#[derive(Debug, Clone)]
pub struct Draft {
    pub edit: ServiceEdit,
    pub saved_at: DateTime<Utc>,
    pub saved_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct DraftRow {
    body: String,
    saved_at: DateTime<Utc>,
    saved_by: Option<String>,
}

pub async fn draft(db: &Db, service_id: &str) -> Result<Option<Draft>, DbError> {
    let row: Option<DraftRow> = on_pool!(db, |p| sqlx::query_as(
        "SELECT d.body, d.saved_at, a.name AS saved_by FROM service_drafts d \
         LEFT JOIN staff_accounts a ON a.id = d.saved_by WHERE d.service_id = $1"
    )
    .bind(service_id)
    .fetch_optional(p)
    .await)?;
    // A draft this version cannot read (written by a later one) is treated
    // as none rather than failing the page; publishing replaces it.
    Ok(row.and_then(|r| {
        Some(Draft {
            edit: serde_json::from_str(&r.body).ok()?,
            saved_at: r.saved_at,
            saved_by: r.saved_by,
        })
    }))
}

/// The services that have a draft.
pub async fn drafted(db: &Db) -> Result<HashSet<String>, DbError> {
    let ids: Vec<String> = on_pool!(db, |p| sqlx::query_scalar(
        "SELECT service_id FROM service_drafts"
    )
    .fetch_all(p)
    .await)?;
    Ok(ids.into_iter().collect())
}

fn to_json(edit: &ServiceEdit) -> String {
    serde_json::to_string(edit).expect("an edit is plain strings and flags")
}

/// Keeps `edit` as the service's draft (replacing an earlier one); false
/// when there is no such service.
pub async fn save_draft(
    tx: &mut Tx<'_>,
    service_id: &str,
    edit: &ServiceEdit,
    by: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let saved = on_tx!(tx, |c| sqlx::query(
        "INSERT INTO service_drafts (service_id, body, saved_at, saved_by) \
         SELECT id, $2, $3, $4 FROM services WHERE id = $1 \
         ON CONFLICT (service_id) DO UPDATE SET body = excluded.body, \
         saved_at = excluded.saved_at, saved_by = excluded.saved_by"
    )
    .bind(service_id)
    .bind(to_json(edit))
    .bind(now)
    .bind(by)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(saved == 1)
}

/// Publishes `edit`: the service's public rows take it (dated `today`),
/// lines removed in the edit go, new lines get an id, it is kept as a
/// revision and the draft goes. False when there is no such service.
pub async fn publish(
    tx: &mut Tx<'_>,
    service_id: &str,
    edit: &ServiceEdit,
    by: i64,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let languages = super::edit::codes(&edit.languages);
    let none_if_empty = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
    let updated = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE services SET name = $2, description = $3, languages = $4, interpretation = $5, \
         url = $6, url_label = $7, call_safety = $8, confirmed = $9, featured = $10, updated_on = $11 \
         WHERE id = $1"
    )
    .bind(service_id)
    .bind(&edit.name)
    .bind(&edit.description)
    .bind(languages.join(" "))
    .bind(none_if_empty(&edit.interpretation))
    .bind(none_if_empty(&edit.url))
    .bind(none_if_empty(&edit.url_label))
    .bind(none_if_empty(&edit.call_safety))
    .bind(edit.confirmed)
    .bind(edit.featured())
    .bind(today)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    if updated != 1 {
        return Ok(false);
    }
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM service_audiences WHERE service_id = $1"
    )
    .bind(service_id)
    .execute(c)
    .await
    .map(|_| ()))?;
    for a in edit.audiences.iter().filter_map(|a| Audience::from_slug(a)) {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO service_audiences (service_id, audience) VALUES ($1, $2)"
        )
        .bind(service_id)
        .bind(a.slug())
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    let existing: Vec<String> = on_tx!(tx, |c| sqlx::query_scalar(
        "SELECT id FROM phones WHERE service_id = $1"
    )
    .bind(service_id)
    .fetch_all(c)
    .await)?;
    // An id from the form counts only if the line belongs to this service.
    let phones: Vec<Phone> = edit
        .phones
        .iter()
        .map(|p| {
            let id = if existing.contains(&p.id) {
                p.id.clone()
            } else {
                uuid::Uuid::new_v4().to_string()
            };
            p.to_phone(id)
        })
        .collect();
    for gone in existing
        .iter()
        .filter(|id| !phones.iter().any(|p| &p.id == *id))
    {
        on_tx!(tx, |c| sqlx::query("DELETE FROM phones WHERE id = $1")
            .bind(gone)
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    for (position, p) in phones.iter().enumerate() {
        on_tx!(tx, |c| {
            sqlx::query(
                "INSERT INTO phones (id, service_id, position, label, number, languages, confirmed, \
                 always_open, hours_confirmed, hours_text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (id) DO UPDATE SET position = excluded.position, label = excluded.label, \
                 number = excluded.number, languages = excluded.languages, confirmed = excluded.confirmed, \
                 always_open = excluded.always_open, hours_confirmed = excluded.hours_confirmed, \
                 hours_text = excluded.hours_text",
            )
            .bind(&p.id)
            .bind(service_id)
            .bind(position as i64)
            .bind(&p.label)
            .bind(&p.number)
            .bind(p.languages.join(" "))
            .bind(p.confirmed)
            .bind(p.always_open)
            .bind(p.hours_confirmed)
            .bind(&p.hours_text)
            .execute(&mut *c)
            .await?;
            sqlx::query("DELETE FROM phone_hours WHERE phone_id = $1")
                .bind(&p.id)
                .execute(&mut *c)
                .await
                .map(|_| ())
        })?;
        insert_hours(tx, p).await?;
    }
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO service_revisions (service_id, body, published_at, published_by) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(service_id)
        .bind(to_json(edit))
        .bind(now)
        .bind(by)
        .execute(&mut *c)
        .await?;
        sqlx::query("DELETE FROM service_drafts WHERE service_id = $1")
            .bind(service_id)
            .execute(&mut *c)
            .await
            .map(|_| ())
    })?;
    crate::content::store::bump_content_version(tx).await?;
    Ok(true)
}

/// Someone called the service's number today and it answered as listed.
/// False when there is no such service.
pub async fn verify(
    tx: &mut Tx<'_>,
    service_id: &str,
    today: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let updated = on_tx!(tx, |c| sqlx::query(
        "UPDATE services SET verified_on = $2 WHERE id = $1"
    )
    .bind(service_id)
    .bind(today)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    if updated == 1 {
        crate::content::store::bump_content_version(tx).await?;
    }
    Ok(updated == 1)
}

/// A line's weekly hours, one row per opening.
async fn insert_hours(tx: &mut Tx<'_>, p: &Phone) -> Result<(), sqlx::Error> {
    for i in p.hours.intervals() {
        on_tx!(tx, |c| sqlx::query(
            "INSERT INTO phone_hours (phone_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)"
        )
        .bind(&p.id)
        .bind(i64::from(i.weekday.number_from_monday()))
        .bind(i.opens_text())
        .bind(i.closes_text())
        .execute(c)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// Replaces an organisation's name, description, website and date; false
/// when there is no such organisation.
pub async fn update_organization(tx: &mut Tx<'_>, o: &Organization) -> Result<bool, sqlx::Error> {
    let changed = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE organizations SET name = $2, description = $3, website = $4, updated_on = $5 WHERE id = $1"
    )
    .bind(&o.id)
    .bind(&o.name)
    .bind(&o.description)
    .bind(&o.website)
    .bind(o.updated_on)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    if changed == 1 {
        crate::content::store::bump_content_version(tx).await?;
    }
    Ok(changed == 1)
}
