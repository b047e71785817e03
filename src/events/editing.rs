//! `/admin/evenemang`: evenemangsansvariga (and administrators) plan the
//! campaign. A campaign is edited whole (theme, period, intro, colour,
//! municipalities, published or not) and can be copied from last year as
//! a draft; an event is created as a draft, previewed as the public page
//! will show it, published, copied and cancelled with a reason shown
//! publicly. Every change is audited and bumps the content version.

use std::collections::HashMap;

use askama::Template;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use chrono::Datelike;
use serde::Deserialize;

use super::edit::{new_event, CampaignEdit, EventEdit};
use super::model::{
    Access, Audience, Campaign, Colour, Event, Format, Municipality, Status, CO_ARRANGERS,
};
use super::registration::routes::context as registration_context;
use super::service::{self, Save, Saved};
use super::{store, view};
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::web::error::AppError;
use crate::web::field_errors::{message, FieldError};
use crate::web::layout::AdminLayout;
use crate::web::middleware::{field, read_form};
use crate::web::render::{html, see_other};
use crate::web::AppState;

const LIST: &str = "/admin/evenemang";

fn year_href(year: i64) -> String {
    format!("{LIST}?ar={year}")
}

fn event_href(id: i64) -> String {
    format!("{LIST}/evenemang?id={id}")
}

fn campaign_href(year: i64) -> String {
    format!("{LIST}/kampanj?ar={year}")
}

/// A year as typed: four digits, within reason.
fn parse_year(text: &str) -> Option<i64> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
}

struct CampaignLine {
    year: i64,
    theme: String,
    published: bool,
    events: i64,
    href: String,
    edit: String,
    selected: bool,
}

struct EventLine {
    href: String,
    title: String,
    when: String,
    audience: &'static str,
    format: &'static str,
    municipality: String,
    status: &'static str,
    draft: bool,
    cancelled: bool,
    example: bool,
}

#[derive(Template)]
#[template(path = "events/admin_list.html")]
struct ListPage {
    layout: AdminLayout,
    csrf: String,
    campaigns: Vec<CampaignLine>,
    selected: Option<i64>,
    events: Vec<EventLine>,
    /// The year a copy of the newest campaign would be for.
    copy_to: Option<(i64, i64)>,
    new_year: i64,
    done: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    ar: Option<String>,
    klart: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let campaigns = store::campaigns(&state.db).await?;
    let today = state.clock.today();
    let this_year = i64::from(today.year());
    let selected = query
        .ar
        .as_deref()
        .and_then(parse_year)
        .filter(|y| campaigns.iter().any(|c| c.year == *y))
        .or_else(|| {
            campaigns
                .iter()
                .find(|c| c.year == this_year)
                .or(campaigns.first())
                .map(|c| c.year)
        });
    let counts = store::event_counts(&state.db).await?;
    let lines = campaigns
        .iter()
        .map(|c| CampaignLine {
            year: c.year,
            theme: c.theme.clone(),
            published: c.published,
            events: counts.get(&c.year).copied().unwrap_or(0),
            href: year_href(c.year),
            edit: campaign_href(c.year),
            selected: Some(c.year) == selected,
        })
        .collect();
    let events = match selected.and_then(|y| campaigns.iter().find(|c| c.year == y)) {
        Some(c) => store::events_of(&state.db, c.year)
            .await?
            .iter()
            .map(|e| EventLine {
                href: event_href(e.id),
                title: e.title.clone(),
                when: format!(
                    "{} {}",
                    super::model::stockholm_local(e.starts_at).date(),
                    view::time_span(e.starts_at, e.ends_at)
                ),
                audience: e.audience.label(),
                format: e.format.label(),
                municipality: c
                    .municipality(&e.municipality)
                    .map_or_else(|| e.municipality.clone(), |m| m.name.clone()),
                status: e.status.label(),
                draft: e.is_draft(),
                cancelled: e.is_cancelled(),
                example: e.example,
            })
            .collect(),
        None => vec![],
    };
    let newest = campaigns.first().map(|c| c.year);
    let copy_to = newest.map(|y| (y, (y + 1).max(this_year)));
    let copy_to = copy_to.filter(|(_, to)| !campaigns.iter().any(|c| c.year == *to));
    let done = match query.klart.as_deref() {
        Some("kopierad") => Some(
            "Kampanjen är kopierad som utkast. Den visas inte förrän du publicerar den.".to_owned(),
        ),
        Some("kampanj") => Some("Kampanjen är sparad.".to_owned()),
        _ => None,
    };
    html(&ListPage {
        layout: staff_layout(&state, &staff, "Evenemang"),
        csrf: crate::auth::session::csrf_token(&state, &staff.session),
        campaigns: lines,
        selected,
        events,
        copy_to,
        new_year: newest.map_or(this_year, |y| (y + 1).max(this_year)),
        done,
    })
}

struct Choice {
    value: String,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "events/admin_campaign.html")]
struct CampaignPage {
    layout: AdminLayout,
    csrf: String,
    year: i64,
    exists: bool,
    edit: CampaignEdit,
    colours: Vec<Choice>,
    errors: Vec<FieldError>,
}

impl CampaignPage {
    fn err(&self, field: &str) -> Option<&str> {
        message(&self.errors, field)
    }

    fn none(&self) -> Option<&str> {
        None
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    ar: Option<String>,
}

fn blank_campaign(year: i64) -> CampaignEdit {
    let (starts, ends) = Campaign::november(year);
    CampaignEdit {
        theme: String::new(),
        starts_on: starts.to_string(),
        ends_on: ends.to_string(),
        intro: String::new(),
        colour: Colour::Orange.code().to_owned(),
        municipalities: CO_ARRANGERS.join("\n"),
        published: false,
    }
}

fn render_campaign(
    state: &AppState,
    staff: &Staff,
    year: i64,
    exists: bool,
    edit: CampaignEdit,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut response = html(&CampaignPage {
        layout: staff_layout(state, staff, &format!("Kampanjen {year}")),
        csrf: crate::auth::session::csrf_token(state, &staff.session),
        year,
        exists,
        colours: Colour::ALL
            .iter()
            .map(|c| Choice {
                value: c.code().to_owned(),
                label: c.label().to_owned(),
                checked: edit.colour == c.code(),
            })
            .collect(),
        edit,
        errors,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn campaign_form(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    let Some(year) = query.ar.as_deref().and_then(parse_year) else {
        return Ok(see_other(LIST));
    };
    let (exists, edit) = match store::campaign(&state.db, year).await? {
        Some(c) => (true, CampaignEdit::from_campaign(&c)),
        None => (false, blank_campaign(year)),
    };
    render_campaign(&state, &staff, year, exists, edit, vec![])
}

pub async fn save_campaign(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form = read_form(&headers, body).await?;
    let Some(year) = parse_year(field(&form, "ar")) else {
        return Ok(see_other(LIST));
    };
    let existing = store::campaign(&state.db, year).await?;
    let edit = CampaignEdit::from_form(&form);
    let mut campaign = match edit.to_campaign(year, state.clock.today()) {
        Ok(c) => c,
        Err(errors) => {
            return render_campaign(&state, &staff, year, existing.is_some(), edit, errors)
        }
    };
    campaign.example = existing.is_some_and(|c| c.example);
    service::save_campaign(&state.writer, staff.account_id, campaign, state.clock.now()).await?;
    Ok(see_other(&format!("{}&klart=kampanj", year_href(year))))
}

/// POST: the newest campaign before `ar` copied as `ar`'s draft.
pub async fn copy_campaign(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form = read_form(&headers, body).await?;
    let Some(to) = parse_year(field(&form, "ar")) else {
        return Ok(see_other(LIST));
    };
    let campaigns = store::campaigns(&state.db).await?;
    let Some(from) = campaigns.into_iter().find(|c| c.year < to) else {
        return Ok(see_other(&campaign_href(to)));
    };
    let copied = service::copy_campaign(
        &state.writer,
        staff.account_id,
        from,
        to,
        state.clock.today(),
        state.clock.now(),
    )
    .await?;
    if !copied {
        return Err(AppError::Conflict(format!(
            "Det finns redan en kampanj för {to}."
        )));
    }
    Ok(see_other(&format!("{}&klart=kopierad", year_href(to))))
}

/// The event as the public page will show it.
struct Preview {
    title: String,
    when: String,
    where_: String,
    municipality: String,
    audience: &'static str,
    language: String,
    access: Vec<&'static str>,
    description: String,
}

#[derive(Template)]
#[template(path = "events/admin_event.html")]
struct EventPage {
    layout: AdminLayout,
    csrf: String,
    /// None for a new event.
    id: Option<i64>,
    year: i64,
    status: Status,
    draft: bool,
    published: bool,
    cancel_reason: Option<String>,
    /// The cancel form's reason as typed, kept over a refusal.
    reason: String,
    /// When the stored event last changed: sent back with the form, so a
    /// save over someone else's newer one is refused, not silent.
    seen: String,
    public_href: Option<String>,
    edit: EventEdit,
    audiences: Vec<Choice>,
    formats: Vec<Choice>,
    municipalities: Vec<Choice>,
    access: Vec<Choice>,
    errors: Vec<FieldError>,
    preview: Option<Preview>,
    done: Option<&'static str>,
    example: bool,
    sequence: i64,
}

impl EventPage {
    fn err(&self, field: &str) -> Option<&str> {
        message(&self.errors, field)
    }
}

fn preview(campaign: &Campaign, e: &Event) -> Preview {
    Preview {
        title: e.title.clone(),
        when: format!(
            "{}, {}",
            view::day_heading(super::model::stockholm_local(e.starts_at).date()),
            view::time_span(e.starts_at, e.ends_at)
        ),
        where_: [Some(view::where_(e)), e.address.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        municipality: campaign
            .municipality(&e.municipality)
            .map_or_else(String::new, |m| m.name.clone()),
        audience: e.audience.label(),
        language: e.language.clone(),
        access: view::access_labels(&e.accessibility),
        description: crate::content::markdown::render(&e.description_md),
    }
}

struct EventForm<'a> {
    campaign: &'a Campaign,
    stored: Option<&'a Event>,
    edit: EventEdit,
    errors: Vec<FieldError>,
    preview: Option<Preview>,
    done: Option<&'static str>,
    reason: String,
}

impl<'a> EventForm<'a> {
    fn new(campaign: &'a Campaign, stored: Option<&'a Event>, edit: EventEdit) -> EventForm<'a> {
        EventForm {
            campaign,
            stored,
            edit,
            errors: vec![],
            preview: None,
            done: None,
            reason: String::new(),
        }
    }

    fn errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    fn preview(mut self, preview: Preview) -> Self {
        self.preview = Some(preview);
        self
    }
}

fn render_event(
    state: &AppState,
    staff: &Staff,
    form: EventForm<'_>,
) -> Result<Response, AppError> {
    let status = if form.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let edit = form.edit;
    let choices = |pairs: Vec<(&str, &str)>, current: &str| {
        pairs
            .into_iter()
            .map(|(value, label)| Choice {
                value: value.to_owned(),
                label: label.to_owned(),
                checked: value == current,
            })
            .collect::<Vec<_>>()
    };
    let title = match form.stored {
        Some(e) => format!("Redigera {}", e.title),
        None => format!("Nytt evenemang {}", form.campaign.year),
    };
    let mut response = html(&EventPage {
        layout: staff_layout(state, staff, &title),
        csrf: crate::auth::session::csrf_token(state, &staff.session),
        id: form.stored.map(|e| e.id),
        year: form.campaign.year,
        status: form.stored.map_or(Status::Draft, |e| e.status),
        draft: form.stored.is_none_or(Event::is_draft),
        published: form.stored.is_some_and(|e| e.status == Status::Published),
        cancel_reason: form.stored.and_then(|e| e.cancel_reason.clone()),
        reason: form.reason,
        seen: form
            .stored
            .map(|e| {
                e.updated_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
            })
            .unwrap_or_default(),
        public_href: form
            .stored
            .filter(|e| e.status.is_public())
            .map(Event::path),
        audiences: choices(
            Audience::ALL
                .iter()
                .map(|a| (a.slug(), a.label()))
                .collect(),
            &edit.audience,
        ),
        formats: choices(
            Format::ALL.iter().map(|f| (f.slug(), f.label())).collect(),
            &edit.format,
        ),
        municipalities: choices(
            form.campaign
                .municipalities
                .iter()
                .map(|m| (m.slug.as_str(), m.name.as_str()))
                .collect(),
            &edit.municipality,
        ),
        access: Access::ALL
            .iter()
            .map(|a| Choice {
                value: a.code().to_owned(),
                label: a.label().to_owned(),
                checked: edit.has(a),
            })
            .collect(),
        edit,
        errors: form.errors,
        preview: form.preview,
        done: form.done,
        example: form.stored.is_some_and(|e| e.example),
        sequence: form.stored.map_or(0, |e| e.sequence),
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// The municipality running this site, if it arranges the campaign.
fn home_town(state: &AppState, campaign: &Campaign) -> String {
    let own = Municipality::named(
        state
            .config
            .municipality
            .name
            .trim_end_matches(" kommun")
            .trim_end_matches(" stad"),
    );
    campaign
        .municipality(&own.slug)
        .or(campaign.municipalities.first())
        .map(|m| m.slug.clone())
        .unwrap_or_default()
}

pub async fn new_form(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    let year = query.ar.as_deref().and_then(parse_year);
    let Some(campaign) = (match year {
        Some(y) => store::campaign(&state.db, y).await?,
        None => None,
    }) else {
        return Ok(see_other(LIST));
    };
    let edit = EventEdit::blank(&home_town(&state, &campaign));
    render_event(&state, &staff, EventForm::new(&campaign, None, edit))
}

/// POST `/admin/evenemang/nytt`: previewed, or stored as a draft.
pub async fn create(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form = read_form(&headers, body).await?;
    let Some(campaign) = (match parse_year(field(&form, "ar")) {
        Some(y) => store::campaign(&state.db, y).await?,
        None => None,
    }) else {
        return Ok(see_other(LIST));
    };
    let now = state.clock.now();
    let edit = EventEdit::from_form(&form);
    let base = new_event(campaign.year, service::new_uid(), now);
    let event = match edit.to_event(&campaign, &base) {
        Ok(e) => e,
        Err(errors) => {
            return render_event(
                &state,
                &staff,
                EventForm::new(&campaign, None, edit).errors(errors),
            )
        }
    };
    if field(&form, "atgard") == "forhandsgranska" {
        return render_event(
            &state,
            &staff,
            EventForm::new(&campaign, None, edit).preview(preview(&campaign, &event)),
        );
    }
    let id = service::create_event(&state.writer, staff.account_id, event, now).await?;
    Ok(see_other(&format!("{}&klart=skapat", event_href(id))))
}

#[derive(Deserialize, Default)]
pub struct EventQuery {
    id: Option<String>,
    klart: Option<String>,
}

/// The stored event `id` and its campaign.
/// The event an `id` field names, with its campaign (the staff pages of
/// registration use it too).
pub(crate) async fn find(
    state: &AppState,
    id: &str,
) -> Result<Option<(Event, Campaign)>, AppError> {
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    let Some(event) = store::event(&state.db, id).await? else {
        return Ok(None);
    };
    let campaign = store::campaign(&state.db, event.campaign_year)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Some((event, campaign)))
}

pub async fn edit_form(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<EventQuery>,
) -> Result<Response, AppError> {
    let Some(id) = query.id.filter(|i| !i.is_empty()) else {
        return Ok(see_other(LIST));
    };
    let (event, campaign) = find(&state, &id).await?.ok_or(AppError::NotFound)?;
    let done = match query.klart.as_deref() {
        Some("skapat") => {
            Some("Evenemanget är sparat som utkast. Det visas inte förrän du publicerar det.")
        }
        Some("kopierat") => {
            Some("Det här är en kopia, sparad som utkast. Ändra det som ska ändras och publicera.")
        }
        Some("sparat") => Some("Ändringarna är sparade."),
        Some("publicerat") => {
            Some("Evenemanget är publicerat. Det visas på webbplatsen inom några sekunder.")
        }
        Some("installt") => {
            Some("Evenemanget är inställt. Sidan finns kvar och säger att det är inställt.")
        }
        _ => None,
    };
    render_event(
        &state,
        &staff,
        EventForm {
            done,
            ..EventForm::new(&campaign, Some(&event), EventEdit::from_event(&event))
        },
    )
}

const CANCELLED: &str =
    "Evenemanget är inställt och kan inte ändras. Kopiera det om det ska hållas ett annat datum.";

/// POST `/admin/evenemang/evenemang`: previewed, saved or published.
pub async fn save(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form = read_form(&headers, body).await?;
    let id = field(&form, "id").to_owned();
    if id.is_empty() {
        return Ok(see_other(LIST));
    }
    let (stored, campaign) = find(&state, &id).await?.ok_or(AppError::NotFound)?;
    if stored.is_cancelled() {
        return Err(AppError::Conflict(CANCELLED.to_owned()));
    }
    let edit = EventEdit::from_form(&form);
    let event = match edit.to_event(&campaign, &stored) {
        Ok(e) => e,
        Err(errors) => {
            let form = EventForm::new(&campaign, Some(&stored), edit).errors(errors);
            return render_event(&state, &staff, form);
        }
    };
    let action = field(&form, "atgard");
    if action != "spara" && action != "publicera" {
        let preview = preview(&campaign, &event);
        let form = EventForm::new(&campaign, Some(&stored), edit).preview(preview);
        return render_event(&state, &staff, form);
    }
    let save = if action == "publicera" {
        Save::Publish
    } else {
        Save::Keep
    };
    // A form without the time it was opened counts as opened long ago.
    let seen = chrono::DateTime::parse_from_rfc3339(field(&form, "andrad"))
        .map_or(chrono::DateTime::UNIX_EPOCH, |t| t.to_utc());
    let now = state.clock.now();
    let saved = service::save_event(
        &registration_context(&state),
        staff.account_id,
        event,
        save,
        seen,
        now,
    )
    .await?;
    let done = match saved {
        Saved::Saved { published: true } => "publicerat",
        Saved::Saved { published: false } => "sparat",
        Saved::Missing => return Err(AppError::NotFound),
        Saved::Cancelled => return Err(AppError::Conflict(CANCELLED.to_owned())),
        Saved::Stale => {
            return Err(AppError::Conflict(
                "Någon annan har sparat evenemanget efter att du öppnade det. Öppna det igen och gör om dina ändringar."
                    .to_owned(),
            ))
        }
    };
    Ok(see_other(&format!(
        "{}&klart={done}",
        event_href(stored.id)
    )))
}

/// POST: a copy of the event as a new draft.
pub async fn copy(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form = read_form(&headers, body).await?;
    let Ok(id) = field(&form, "id").parse::<i64>() else {
        return Ok(see_other(LIST));
    };
    let copied =
        service::copy_event(&state.writer, staff.account_id, id, state.clock.now()).await?;
    let copy = copied.ok_or(AppError::NotFound)?;
    Ok(see_other(&format!("{}&klart=kopierat", event_href(copy))))
}

/// POST: a published event called off, with the reason people will read.
pub async fn cancel(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form: HashMap<String, String> = read_form(&headers, body).await?;
    let Some((event, campaign)) = find(&state, field(&form, "id")).await? else {
        return Ok(see_other(LIST));
    };
    let not_published =
        || AppError::Conflict("Bara ett publicerat evenemang kan ställas in.".to_owned());
    if event.status != Status::Published {
        return Err(not_published());
    }
    let typed = field(&form, "anledning");
    let reason = match super::edit::cancel_reason(typed) {
        Ok(reason) => reason,
        Err(error) => {
            let mut page = EventForm::new(&campaign, Some(&event), EventEdit::from_event(&event))
                .errors(vec![error]);
            page.reason = typed.to_owned();
            return render_event(&state, &staff, page);
        }
    };
    let now = state.clock.now();
    if !service::cancel_event(
        &registration_context(&state),
        staff.account_id,
        event.id,
        reason,
        now,
    )
    .await?
    {
        return Err(not_published());
    }
    Ok(see_other(&format!(
        "{}&klart=installt",
        event_href(event.id)
    )))
}
