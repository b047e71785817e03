//! The help directory as Open Referral (HSDS 3.0) open data under
//! `/openreferral/`, so national portals and other municipalities can reuse
//! it without scraping `/hjalp`.
//!
//! Exactly what `/hjalp` shows is published, decided by the model's
//! `is_public`/`public_*` methods: an unconfirmed service, number or opening
//! hours never leaves through this door either, because a wrong number here
//! would be copied into other directories where we cannot correct it.
//!
//! HSDS wants a UUID on every nested record. Services, phones and
//! organisations have UUIDs of their own; schedules and languages are not
//! rows here, so theirs are derived from the owner's id (UUID v5) and stay
//! the same between requests and installs.

use std::fmt::Display;
use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{middleware, Json, Router};
use chrono::{DateTime, NaiveDate, NaiveTime, Offset, SecondsFormat, TimeZone, Utc, Weekday};
use chrono_tz::Europe::Stockholm;
use serde::Serialize;
use uuid::Uuid;

use super::hours::{format_minutes, WeeklyHours};
use super::model::{Organization, Phone, PhoneNumber, PublicHours, Service};
use super::store;
use crate::db::DbError;
use crate::web::cache::Freshness;
use crate::web::compress::Encoding;
use crate::web::error::AppError;
use crate::web::i18n::Catalogue;
use crate::web::AppState;

const HSDS_VERSION: &str = "3.0";
const OPENAPI_URL: &str =
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json";
const DEFAULT_PER_PAGE: u32 = 50;
/// The whole directory is a few dozen rows; the cap only stops a client
/// from asking the server to build absurd pages.
const MAX_PER_PAGE: u32 = 200;

/// HSDS's `timezone` is a single UTC offset, which Swedish time does not
/// have, so the offset in force is given and this note says what it means.
const LOCAL_TIME_NOTE: &str = "Tiderna är svensk tid (Europe/Stockholm). \
Fältet timezone anger skillnaden mot UTC när uppgifterna hämtades; den \
ändras vid övergång till sommartid och vintertid.";

/// Fallback namespace for derived ids should an owner id not be a UUID.
const ID_NAMESPACE: Uuid = Uuid::from_u128(0x8c2a_51e4_0f7b_4d39_a6e1_5b93_d04c_27f8);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openreferral", get(meta))
        .route("/openreferral/", get(meta))
        .route("/openreferral/services", get(list_services))
        .route("/openreferral/services/{id}", get(service))
        .route("/openreferral/organizations", get(list_organizations))
        .route("/openreferral/organizations/{id}", get(organization))
        // Without this the site's fallback would answer with an empty 404
        // instead of the JSON error clients of this API expect.
        .route("/openreferral/{*rest}", get(unknown_path))
        .layer(middleware::map_response(allow_any_origin))
}

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

async fn meta(State(state): State<AppState>) -> Json<Meta> {
    let base = state.config.base_url.as_str().trim_end_matches('/');
    Json(Meta {
        version: HSDS_VERSION,
        profile: format!("{base}/openreferral/"),
        openapi_url: OPENAPI_URL,
    })
}

/// The directory as the API publishes it, read once per content version
/// (and hour, for the UTC offset) and shared by every request, so a client
/// asking for made-up ids or pages costs no database round trip.
struct Records {
    organizations: Vec<Organization>,
    services: Vec<Service>,
}

async fn records(state: &AppState) -> Result<Arc<Records>, ApiError> {
    state
        .pages
        .snapshot(&*state.clock, "openreferral", Freshness::Hour, async {
            Ok::<_, ApiError>(Records {
                organizations: store::organizations(&state.db).await?,
                services: store::services(&state.db).await?,
            })
        })
        .await
}

const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// A response the same for every client (no query string, or a record's
/// own address): serialised once and served from memory with its
/// compressed variants, like the pages.
async fn cached<T: Serialize>(
    state: &AppState,
    encoding: Encoding,
    key: String,
    body: impl FnOnce() -> T,
) -> Result<Response, ApiError> {
    let render = async {
        let text = serde_json::to_string(&body()).map_err(|e| {
            tracing::error!(error = %e, "open referral response did not serialise");
            ApiError::Internal
        })?;
        Ok::<_, ApiError>((StatusCode::OK, text))
    };
    state
        .pages
        .serve_typed(&*state.clock, encoding, &key, Freshness::Hour, JSON, render)
        .await
}

async fn list_services(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    encoding: Encoding,
) -> Result<Response, ApiError> {
    let query = query.as_deref().filter(|q| !q.is_empty());
    let paging = Paging::from_query(query)?;
    let organization = match single_param(query, "organization_id")? {
        Some(text) => {
            Some(parse_id(&text).ok_or_else(|| ApiError::bad("organization_id must be a UUID"))?)
        }
        None => None,
    };
    let records = records(&state).await?;
    let directory = Directory::new(&state, &records);
    let page = || {
        let services: Vec<&Service> = directory
            .public_services()
            .filter(|s| organization.is_none_or(|o| same_id(&s.organization_id, o)))
            .collect();
        paging.page(services, |s| directory.service(s, Shape::ListItem))
    };
    match query {
        None => cached(&state, encoding, "api:/openreferral/services".into(), page).await,
        Some(_) => Ok(Json(page()).into_response()),
    }
}

async fn service(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    encoding: Encoding,
) -> Result<Response, ApiError> {
    let id = requested_id(id)?;
    let records = records(&state).await?;
    let directory = Directory::new(&state, &records);
    let service = directory
        .public_services()
        .find(|s| same_id(&s.id, id))
        .ok_or(ApiError::NotFound)?;
    let key = format!("api:/openreferral/services/{id}");
    cached(&state, encoding, key, || {
        directory.service(service, Shape::Full)
    })
    .await
}

async fn list_organizations(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    encoding: Encoding,
) -> Result<Response, ApiError> {
    let query = query.as_deref().filter(|q| !q.is_empty());
    let paging = Paging::from_query(query)?;
    let records = records(&state).await?;
    let directory = Directory::new(&state, &records);
    let page = || {
        let organizations: Vec<&Organization> = directory.organizations.iter().collect();
        paging.page(organizations, |o| directory.organization(o, false))
    };
    match query {
        None => {
            cached(
                &state,
                encoding,
                "api:/openreferral/organizations".into(),
                page,
            )
            .await
        }
        Some(_) => Ok(Json(page()).into_response()),
    }
}

async fn organization(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    encoding: Encoding,
) -> Result<Response, ApiError> {
    let id = requested_id(id)?;
    let records = records(&state).await?;
    let directory = Directory::new(&state, &records);
    let organization = directory
        .organizations
        .iter()
        .find(|o| same_id(&o.id, id))
        .ok_or(ApiError::NotFound)?;
    let key = format!("api:/openreferral/organizations/{id}");
    cached(&state, encoding, key, || {
        directory.organization(organization, true)
    })
    .await
}

async fn unknown_path() -> ApiError {
    ApiError::NotFound
}

/// Open data carries no credentials, so any site may read it from a browser.
async fn allow_any_origin(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    // Open data may be embedded by other sites; the site-wide same-origin
    // default would block no-cors use.
    h.insert(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    response
}

/// Ids are opaque to clients: whatever is not the id of something we
/// publish, well-formed or not, is simply not found.
fn requested_id(id: Result<Path<String>, PathRejection>) -> Result<Uuid, ApiError> {
    id.ok()
        .and_then(|Path(text)| parse_id(&text))
        .ok_or(ApiError::NotFound)
}

fn parse_id(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text).ok()
}

/// Compares as UUIDs so any spelling a client uses (upper case, no hyphens)
/// finds the record.
fn same_id(stored: &str, wanted: Uuid) -> bool {
    Uuid::parse_str(stored).is_ok_and(|u| u == wanted)
}

// ---------------------------------------------------------------------------
// Query parameters and paging
// ---------------------------------------------------------------------------

/// The value of a query parameter; given twice it is ambiguous, so refused.
fn single_param(query: Option<&str>, name: &str) -> Result<Option<String>, ApiError> {
    let mut values = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned());
    let first = values.next();
    if values.next().is_some() {
        return Err(ApiError::bad(format!("{name} may be given only once")));
    }
    Ok(first)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Paging {
    /// 1-based.
    page: u32,
    per_page: u32,
}

impl Paging {
    fn from_query(query: Option<&str>) -> Result<Paging, ApiError> {
        let number = |name: &str, max: u32, expected: &str| -> Result<Option<u32>, ApiError> {
            let Some(text) = single_param(query, name)? else {
                return Ok(None);
            };
            match text.parse::<u32>() {
                Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
                _ => Err(ApiError::bad(format!("{name} must be {expected}"))),
            }
        };
        Ok(Paging {
            page: number("page", u32::MAX, "a whole number of 1 or more")?.unwrap_or(1),
            per_page: number(
                "per_page",
                MAX_PER_PAGE,
                &format!("a whole number from 1 to {MAX_PER_PAGE}"),
            )?
            .unwrap_or(DEFAULT_PER_PAGE),
        })
    }

    /// A page past the end is an empty page, not an error, so a client
    /// walking pages while an editor deletes a record does not fail.
    fn page<T, U>(self, items: Vec<T>, to_json: impl Fn(T) -> U) -> ListPage<U> {
        let per_page = self.per_page as usize;
        let total_items = items.len();
        let total_pages = total_items.div_ceil(per_page);
        let skip = (self.page as usize - 1).saturating_mul(per_page);
        let contents: Vec<U> = items
            .into_iter()
            .skip(skip)
            .take(per_page)
            .map(to_json)
            .collect();
        ListPage {
            total_items,
            total_pages,
            page_number: self.page,
            size: contents.len(),
            first_page: self.page == 1,
            last_page: self.page as usize >= total_pages,
            empty: contents.is_empty(),
            contents,
        }
    }
}

// ---------------------------------------------------------------------------
// Mapping the model to HSDS
// ---------------------------------------------------------------------------

/// How much of a service one response carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `/services`: one-to-one fields only (HSDS `service_list`).
    ListItem,
    /// `/services/{id}`: everything.
    Full,
    /// Inside its organisation, which need not be repeated.
    InOrganization,
}

/// One request's view of the directory; it is small enough to read whole.
struct Directory<'a> {
    organizations: &'a [Organization],
    services: &'a [Service],
    sv: &'a Catalogue,
    /// Stockholm's UTC offset in hours at the time of the request.
    utc_offset_hours: i32,
}

impl<'a> Directory<'a> {
    fn new(state: &'a AppState, records: &'a Records) -> Directory<'a> {
        Directory {
            organizations: &records.organizations,
            services: &records.services,
            sv: &state.i18n.sv,
            utc_offset_hours: stockholm_offset_hours(state.clock.now()),
        }
    }

    fn public_services(&self) -> impl Iterator<Item = &Service> {
        self.services.iter().filter(|s| s.is_public())
    }

    fn organization<'s>(&'s self, o: &'s Organization, with_services: bool) -> OrganizationOut<'s> {
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

    fn service<'s>(&'s self, s: &'s Service, shape: Shape) -> ServiceOut<'s> {
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
    fn schedules<'s>(
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
            PublicHours::Schedule(hours) => same_times(hours)
                .into_iter()
                .enumerate()
                .map(|(i, ((opens, closes), days))| {
                    let byday: Vec<&str> = days.into_iter().map(byday_code).collect();
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

/// Weekdays grouped by identical opening times, so "Mon–Fri 08–17" is one
/// schedule and not five; in the order the times first occur in the week.
fn same_times(hours: &WeeklyHours) -> Vec<((u32, u32), Vec<Weekday>)> {
    let mut groups: Vec<((u32, u32), Vec<Weekday>)> = Vec::new();
    for interval in hours.intervals() {
        let times = (interval.opens, interval.closes);
        match groups.iter_mut().find(|(t, _)| *t == times) {
            Some((_, days)) if !days.contains(&interval.weekday) => days.push(interval.weekday),
            Some(_) => {}
            None => groups.push((times, vec![interval.weekday])),
        }
    }
    groups
}

fn byday_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
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
struct Meta {
    version: &'static str,
    profile: String,
    openapi_url: &'static str,
}

/// The `Page` envelope of the HSDS OpenAPI description.
#[derive(Debug, Serialize)]
struct ListPage<T> {
    total_items: usize,
    total_pages: usize,
    page_number: u32,
    size: usize,
    first_page: bool,
    last_page: bool,
    empty: bool,
    contents: Vec<T>,
}

#[derive(Debug, Serialize)]
struct OrganizationOut<'a> {
    id: &'a str,
    name: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    website: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    services: Option<Vec<ServiceOut<'a>>>,
}

#[derive(Debug, Serialize)]
struct ServiceOut<'a> {
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
struct PhoneOut<'a> {
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
struct LanguageOut<'a> {
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
struct ScheduleOut<'a> {
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

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[derive(Debug)]
enum ApiError {
    BadRequest(String),
    NotFound,
    Internal,
}

impl ApiError {
    fn bad(message: impl Into<String>) -> ApiError {
        ApiError::BadRequest(message.into())
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        tracing::error!(error = %e, "open referral request failed");
        ApiError::Internal
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        // The cause goes to the log; clients only learn that it failed.
        tracing::error!(error = %e, "open referral request failed");
        ApiError::Internal
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m.as_str()),
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not found"),
            ApiError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
        };
        (status, Json(ErrorBody { error: message })).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::help::hours::Interval;
    use crate::help::model::Area;
    use crate::web::i18n::I18n;
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
            sv: &i18n.sv,
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
    fn paging_defaults_and_limits() {
        assert_eq!(
            Paging::from_query(None).unwrap(),
            Paging {
                page: 1,
                per_page: 50
            }
        );
        assert_eq!(
            Paging::from_query(Some("page=2&per_page=200")).unwrap(),
            Paging {
                page: 2,
                per_page: 200
            }
        );
        for bad in [
            "page=0",
            "page=-1",
            "page=x",
            "page=",
            "page=1.5",
            "per_page=0",
            "per_page=201",
            "per_page=99999999999",
            "page=1&page=2",
        ] {
            assert!(Paging::from_query(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn page_arithmetic() {
        let items: Vec<u32> = (1..=7).collect();
        let p = Paging {
            page: 3,
            per_page: 3,
        }
        .page(items.clone(), |i| i);
        assert_eq!((p.total_items, p.total_pages, p.size), (7, 3, 1));
        assert_eq!(p.contents, vec![7]);
        assert!(p.last_page && !p.first_page && !p.empty);
        let p = Paging {
            page: u32::MAX,
            per_page: 200,
        }
        .page(items, |i| i);
        assert!(p.empty && p.last_page);
        let p = Paging {
            page: 1,
            per_page: 50,
        }
        .page(Vec::<u32>::new(), |i| i);
        assert_eq!(
            (p.total_pages, p.first_page, p.last_page, p.empty),
            (0, true, true, true)
        );
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
