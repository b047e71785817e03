//! The help directory in HSDS 3.0's shape: which records and fields are
//! published, their ids, and the response bodies (field names are HSDS's).
//!
//! HSDS wants a UUID on every nested record. Services, phones and
//! organisations have UUIDs of their own; schedules and languages are not
//! rows here, so theirs are derived from the owner's id (UUID v5) and stay
//! the same between requests and installs.

use std::fmt::Display;

use chrono::{DateTime, NaiveDate, NaiveTime, Offset, SecondsFormat, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Stockholm;
use serde::Serialize;
use uuid::Uuid;

use crate::help::hours::{day_code, format_minutes};
use crate::help::model::{Organization, Phone, PhoneNumber, PublicHours, Service};
use crate::web::i18n::Catalogue;

/// HSDS's `timezone` is a single UTC offset, which Swedish time does not
/// have, so the offset in force is given and this note says what it means.
const LOCAL_TIME_NOTE: &str = "Tiderna är svensk tid (Europe/Stockholm). \
Fältet timezone anger skillnaden mot UTC när uppgifterna hämtades; den \
ändras vid övergång till sommartid och vintertid.";

/// Fallback namespace for derived ids should an owner id not be a UUID.
const ID_NAMESPACE: Uuid = Uuid::from_u128(0x8c2a_51e4_0f7b_4d39_a6e1_5b93_d04c_27f8);

/// How much of a service one response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `/services`: one-to-one fields only (HSDS `service_list`).
    ListItem,
    /// `/services/{id}`: everything.
    Full,
    /// Inside its organisation, which need not be repeated.
    InOrganization,
}

/// One request's view of the directory; it is small enough to read whole.
pub struct Directory<'a> {
    pub organizations: &'a [Organization],
    pub services: &'a [Service],
    pub sv: &'a Catalogue,
    /// Stockholm's UTC offset in hours at the time of the request.
    pub utc_offset_hours: i32,
}

impl<'a> Directory<'a> {
    pub fn new(
        organizations: &'a [Organization],
        services: &'a [Service],
        sv: &'a Catalogue,
        now: DateTime<Utc>,
    ) -> Directory<'a> {
        Directory {
            organizations,
            services,
            sv,
            utc_offset_hours: stockholm_offset_hours(now),
        }
    }

    pub fn public_services(&self) -> impl Iterator<Item = &Service> {
        self.services.iter().filter(|s| s.is_public())
    }

    pub fn organization<'s>(
        &'s self,
        o: &'s Organization,
        with_services: bool,
    ) -> OrganizationOut<'s> {
        OrganizationOut {
            id: &o.id,
            name: &o.name,
            description: &o.description,
            website: o.website.as_deref().and_then(web_url),
            services: with_services.then(|| {
                self.public_services()
                    .filter(|s| s.organization_id == o.id)
                    .map(|s| self.service(s, Shape::InOrganization))
                    .collect()
            }),
        }
    }

    pub fn service<'s>(&'s self, s: &'s Service, shape: Shape) -> ServiceOut<'s> {
        let organization = self
            .organizations
            .iter()
            .find(|o| o.id == s.organization_id);
        // "Last modified" covers related records too; the organisation is
        // the only related record with a date of its own.
        let last_modified = organization.map_or(s.updated_on, |o| o.updated_on.max(s.updated_on));
        let nested = shape != Shape::ListItem;
        let phones: Vec<(&Phone, PhoneNumber)> = s.public_phones().collect();
        ServiceOut {
            id: &s.id,
            organization_id: &s.organization_id,
            name: &s.name,
            description: &s.description,
            url: s.url.as_deref().and_then(web_url),
            status: "active",
            interpretation_services: s.interpretation.as_deref(),
            assured_date: s.public_verified_on(),
            last_modified: start_of_day(last_modified),
            organization: organization
                .filter(|_| shape != Shape::InOrganization)
                .map(|o| self.organization(o, false)),
            phones: nested.then(|| {
                phones
                    .iter()
                    .map(|(phone, number)| PhoneOut {
                        id: &phone.id,
                        service_id: &s.id,
                        number: number.dial().to_owned(),
                        kind: "voice",
                        description: Some(phone.label.as_str()).filter(|l| !l.is_empty()),
                        languages: self.languages(&phone.id, Owner::Phone, &phone.languages),
                    })
                    .collect()
            }),
            schedules: nested.then(|| {
                phones
                    .iter()
                    .flat_map(|(phone, number)| self.schedules(s, phone, number))
                    .collect()
            }),
            languages: nested.then(|| self.languages(&s.id, Owner::Service, &s.languages)),
        }
    }

    fn languages<'s>(
        &'s self,
        owner_id: &'s str,
        owner: Owner,
        codes: &'s [String],
    ) -> Vec<LanguageOut<'s>> {
        codes
            .iter()
            .map(|code| LanguageOut {
                id: child_id(owner_id, "language", code),
                service_id: (owner == Owner::Service).then_some(owner_id),
                phone_id: (owner == Owner::Phone).then_some(owner_id),
                name: self.sv.get(&format!("lang-{code}")),
                code,
            })
            .collect()
    }

    /// HSDS hangs schedules on the service, not the phone, so each one
    /// names its line in `description`; a client matches it to `phones` by
    /// the number.
    pub(super) fn schedules<'s>(
        &'s self,
        s: &'s Service,
        phone: &'s Phone,
        number: &PhoneNumber,
    ) -> Vec<ScheduleOut<'s>> {
        let line = if phone.label.is_empty() {
            format!("Telefon {}", number.dial())
        } else {
            format!("Telefon {} ({})", number.dial(), phone.label)
        };
        let weekly = |index: usize, byday: String, opens: u32, closes: u32, description: String| {
            ScheduleOut {
                id: child_id(&phone.id, "schedule", index),
                service_id: &s.id,
                freq: Some("WEEKLY"),
                byday: Some(byday),
                opens_at: Some(format_minutes(opens)),
                closes_at: Some(format_minutes(closes)),
                timezone: Some(self.utc_offset_hours),
                description,
                notes: Some(LOCAL_TIME_NOTE),
            }
        };
        match phone.public_hours() {
            // Every day 00:00–24:00: a structured schedule clients can
            // evaluate, with the words for those that only display it.
            PublicHours::AlwaysOpen => vec![weekly(
                0,
                "MO,TU,WE,TH,FR,SA,SU".to_owned(),
                0,
                24 * 60,
                format!("{line}: {}", self.sv.t("hours-always")),
            )],
            PublicHours::Schedule(hours) => hours
                .grouped_by_times()
                .into_iter()
                .enumerate()
                .map(|(i, ((opens, closes), days))| {
                    let byday: Vec<String> = days.into_iter().map(byday_code).collect();
                    weekly(i, byday.join(","), opens, closes, line.clone())
                })
                .collect(),
            PublicHours::Text(text) => vec![ScheduleOut {
                id: child_id(&phone.id, "schedule", 0),
                service_id: &s.id,
                freq: None,
                byday: None,
                opens_at: None,
                closes_at: None,
                timezone: None,
                description: format!("{line}: {text}"),
                notes: None,
            }],
            PublicHours::Unknown => vec![],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Service,
    Phone,
}

/// RFC 5545's two letters for a weekday ("MO").
fn byday_code(day: Weekday) -> String {
    day_code(day)[..2].to_uppercase()
}

fn child_id(owner: &str, kind: &str, part: impl Display) -> String {
    let namespace =
        Uuid::parse_str(owner).unwrap_or_else(|_| Uuid::new_v5(&ID_NAMESPACE, owner.as_bytes()));
    Uuid::new_v5(&namespace, format!("{kind}/{part}").as_bytes()).to_string()
}

fn stockholm_offset_hours(now: DateTime<Utc>) -> i32 {
    now.with_timezone(&Stockholm)
        .offset()
        .fix()
        .local_minus_utc()
        / 3600
}

/// Dates are kept per day; as a timestamp they mean the start of that day
/// in Sweden, written with its offset so the date still reads right.
fn start_of_day(date: NaiveDate) -> String {
    let midnight = date.and_time(NaiveTime::MIN);
    match Stockholm.from_local_datetime(&midnight).earliest() {
        Some(local) => local.to_rfc3339_opts(SecondsFormat::Millis, false),
        None => midnight
            .and_utc()
            .to_rfc3339_opts(SecondsFormat::Millis, true),
    }
}

/// Only absolute web addresses are passed on: HSDS declares these fields
/// as URIs and consumers will turn them into links.
fn web_url(text: &str) -> Option<&str> {
    let url = url::Url::parse(text).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(text)
}

// ---------------------------------------------------------------------------
// Response bodies (field names are HSDS's)
// ---------------------------------------------------------------------------

#[derive(Debug, Serialize)]
pub struct Meta {
    pub version: &'static str,
    pub profile: String,
    pub openapi_url: &'static str,
}

#[derive(Debug, Serialize)]
pub struct OrganizationOut<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    website: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    services: Option<Vec<ServiceOut<'a>>>,
}

#[derive(Debug, Serialize)]
pub struct ServiceOut<'a> {
    id: &'a str,
    organization_id: &'a str,
    name: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    interpretation_services: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assured_date: Option<NaiveDate>,
    last_modified: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    organization: Option<OrganizationOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phones: Option<Vec<PhoneOut<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schedules: Option<Vec<ScheduleOut<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    languages: Option<Vec<LanguageOut<'a>>>,
}

#[derive(Debug, Serialize)]
pub struct PhoneOut<'a> {
    id: &'a str,
    service_id: &'a str,
    /// E.164, or a short number (112, 11414) exactly as dialled.
    number: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    languages: Vec<LanguageOut<'a>>,
}

#[derive(Debug, Serialize)]
pub struct LanguageOut<'a> {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    service_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phone_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    /// ISO 639-1.
    code: &'a str,
}

#[derive(Debug, Serialize)]
pub struct ScheduleOut<'a> {
    id: String,
    service_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    freq: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byday: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    opens_at: Option<String>,
    /// "24:00" for a day that ends at midnight.
    #[serde(skip_serializing_if = "Option::is_none")]
    closes_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timezone: Option<i32>,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<&'static str>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::help::hours::{Interval, WeeklyHours};
    use crate::help::model::Area;
    use crate::web::i18n::{I18n, Lang};
    use chrono::TimeZone;

    fn phone(hours_confirmed: bool, hours: WeeklyHours, text: Option<&str>) -> Phone {
        Phone {
            id: "6f1f3c1e-2b7a-5d7e-9c51-0d3b8f1e2a44".into(),
            label: "Jour".into(),
            number: "08-123 456 78".into(),
            languages: vec!["sv".into()],
            confirmed: true,
            always_open: false,
            hours_confirmed,
            hours_text: text.map(Into::into),
            hours,
        }
    }

    fn service(phone: Phone) -> Service {
        Service {
            id: "0b6d3f59-7a55-5c1e-8d44-2f7e9b1c3a10".into(),
            key: "test".into(),
            organization_id: "a3c9e0d2-4b61-5f7a-9e28-6d1b0c5f4e33".into(),
            name: "Test".into(),
            description: "Test".into(),
            audiences: vec![],
            languages: vec!["sv".into()],
            interpretation: None,
            url: None,
            url_label: None,
            call_safety: None,
            confirmed: true,
            verified_on: None,
            featured: 0,
            emergency: false,
            sort: 0,
            area: Area::Local,
            updated_on: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            phones: vec![phone],
        }
    }

    fn schedules_of(service: &Service) -> serde_json::Value {
        let i18n = I18n::load();
        let directory = Directory {
            organizations: &[],
            services: &[],
            sv: i18n.catalogue(Lang::Sv),
            utc_offset_hours: 1,
        };
        let (phone, number) = service.public_phones().next().unwrap();
        serde_json::to_value(directory.schedules(service, phone, &number)).unwrap()
    }

    #[test]
    fn days_with_equal_times_share_a_schedule() {
        use Weekday::*;
        let hours = WeeklyHours::new(vec![
            Interval::parse(Mon, "08:00", "17:00").unwrap(),
            Interval::parse(Tue, "08:00", "17:00").unwrap(),
            Interval::parse(Fri, "22:00", "02:00").unwrap(),
            Interval::parse(Wed, "08:00", "12:00").unwrap(),
        ]);
        let s = schedules_of(&service(phone(true, hours, None)));
        let rows: Vec<(&str, &str, &str)> = s
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["byday"].as_str().unwrap(),
                    s["opens_at"].as_str().unwrap(),
                    s["closes_at"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("MO,TU", "08:00", "17:00"),
                ("WE", "08:00", "12:00"),
                ("FR", "22:00", "02:00")
            ]
        );
        assert_eq!(s[0]["timezone"], 1);
        assert_eq!(s[0]["description"], "Telefon +46812345678 (Jour)");
        assert_ne!(s[0]["id"], s[1]["id"]);
    }

    #[test]
    fn hours_in_words_become_a_description_only_when_confirmed() {
        let confirmed = service(phone(
            true,
            WeeklyHours::default(),
            Some("Vardagar, kontorstid"),
        ));
        let s = schedules_of(&confirmed);
        assert_eq!(
            s,
            serde_json::json!([{
                "id": child_id(&confirmed.phones[0].id, "schedule", 0),
                "service_id": confirmed.id,
                "description": "Telefon +46812345678 (Jour): Vardagar, kontorstid",
            }])
        );
        let unconfirmed = service(phone(false, WeeklyHours::default(), Some("Vardagar")));
        assert_eq!(schedules_of(&unconfirmed), serde_json::json!([]));
    }

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        let owner = "3c0e5d0e-8f67-5b0e-9d8b-5d6c1f0f7a11";
        assert_eq!(
            child_id(owner, "schedule", 0),
            child_id(owner, "schedule", 0)
        );
        assert_ne!(
            child_id(owner, "schedule", 0),
            child_id(owner, "schedule", 1)
        );
        assert_ne!(
            child_id(owner, "language", "sv"),
            child_id("other", "language", "sv")
        );
    }

    #[test]
    fn offset_follows_swedish_summer_time() {
        assert_eq!(
            stockholm_offset_hours(Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap()),
            1
        );
        assert_eq!(
            stockholm_offset_hours(Utc.with_ymd_and_hms(2026, 7, 15, 12, 0, 0).unwrap()),
            2
        );
    }

    #[test]
    fn dates_become_swedish_midnight() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(start_of_day(d), "2026-11-27T00:00:00.000+01:00");
        let d = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        assert_eq!(start_of_day(d), "2026-06-01T00:00:00.000+02:00");
    }
}
