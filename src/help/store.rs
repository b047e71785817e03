//! All SQL of the help directory. The directory is small (tens of rows), so
//! it is read whole in five queries and assembled in memory. Writes take the
//! writer's transaction.

use std::collections::HashMap;

use chrono::{NaiveDate, Weekday};

use super::hours::{Interval, WeeklyHours};
use super::model::{Area, Audience, Organization, Phone, Service};
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
        for i in p.hours.intervals() {
            on_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO phone_hours (phone_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)"
            )
            .bind(&p.id)
            .bind(i64::from(i.weekday.number_from_monday()))
            .bind(i.opens_text())
            .bind(i.closes_text())
            .execute(c)
            .await
            .map(|_| ())
            })?;
        }
    }
    Ok(())
}
