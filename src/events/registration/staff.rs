//! The staff pages of registration, under `/admin/evenemang/anmalningar`:
//! who has a seat and who waits (with the seats taken and free), moving
//! the waiting list, giving a seat by hand, raising the seats, a message
//! to everyone registered, and a list for the door. Looking at the list
//! is audited as well as every change.

use std::collections::HashMap;

use askama::Template;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;

use super::model::{Kind, Registration, State as Standing};
use super::routes::context;
use super::service::{self, ByHand};
use super::store;
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::events::editing::find;
use crate::events::model::{stockholm_local, Campaign, Event};
use crate::events::view as event_view;
use crate::types::text::editor_problem;
use crate::web::error::AppError;
use crate::web::field_errors::{message as error_for, FieldError};
use crate::web::layout::AdminLayout;
use crate::web::middleware::{field, read_form};
use crate::web::render::{html, see_other};
use crate::web::AppState;

const LIST: &str = "/admin/evenemang";
const PAGE: &str = "/admin/evenemang/anmalningar";

fn page_href(id: i64) -> String {
    format!("{PAGE}?id={id}")
}

#[derive(Deserialize)]
pub struct EventQuery {
    id: Option<String>,
    klart: Option<String>,
}

/// One registration as the staff tables show it.
pub struct Line {
    pub id: i64,
    pub name: String,
    pub email: String,
    /// School, class, organisation or municipality.
    pub from: String,
    pub seats: i64,
    pub needs: String,
    pub when: String,
    pub place: usize,
}

fn line(r: &Registration, campaign: &Campaign, place: usize) -> Line {
    let from = match r.kind {
        Kind::Class => format!(
            "{}, klass {}",
            r.school.as_deref().unwrap_or(""),
            r.class_name.as_deref().unwrap_or("")
        ),
        Kind::Employee => r
            .municipality
            .as_deref()
            .and_then(|m| campaign.municipality(m))
            .map(|m| m.name.clone())
            .unwrap_or_default(),
        Kind::Person => r.organisation.clone().unwrap_or_default(),
    };
    let at = stockholm_local(r.created_at);
    let cleaned = r.cleaned_at.is_some();
    Line {
        id: r.id,
        name: if cleaned {
            "(raderat)".to_owned()
        } else {
            r.name.clone()
        },
        email: r.email.clone(),
        from,
        seats: r.seats,
        needs: r.needs.clone().unwrap_or_default(),
        when: format!("{} {}", at.date(), at.format("%H:%M")),
        place,
    }
}

#[derive(Template)]
#[template(path = "events/admin_registrations.html")]
struct RegistrationsPage {
    layout: AdminLayout,
    csrf: String,
    id: i64,
    when: String,
    edit_href: String,
    capacity: Option<i64>,
    taken: i64,
    free: Option<i64>,
    registered: Vec<Line>,
    waiting: Vec<Line>,
    cancelled: usize,
    done: Option<&'static str>,
    errors: Vec<FieldError>,
    new_capacity: String,
    /// When the personal data went, if it has.
    cleaned_on: Option<String>,
    /// Seats taken per municipality (employees' registrations).
    by_municipality: Vec<(String, usize, i64)>,
}

impl RegistrationsPage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

fn when(event: &Event) -> String {
    format!(
        "{}, {}",
        event_view::day_heading(stockholm_local(event.starts_at).date()),
        event_view::time_span(event.starts_at, event.ends_at)
    )
}

async fn render_page(
    state: &AppState,
    staff: &Staff,
    event: &Event,
    campaign: &Campaign,
    done: Option<&'static str>,
    errors: Vec<FieldError>,
    new_capacity: String,
) -> Result<Response, AppError> {
    let all = store::of_event(&state.db, &state.data_keys, event.id).await?;
    service::viewed(
        &state.writer,
        staff.account_id,
        event.id,
        "deltagarlistan",
        state.clock.now(),
    )
    .await?;
    let registered: Vec<Line> = all
        .iter()
        .filter(|r| r.state == Standing::Registered)
        .enumerate()
        .map(|(i, r)| line(r, campaign, i + 1))
        .collect();
    let waiting: Vec<Line> = all
        .iter()
        .filter(|r| r.state == Standing::Waiting)
        .enumerate()
        .map(|(i, r)| line(r, campaign, i + 1))
        .collect();
    let taken = registered.iter().map(|l| l.seats).sum();
    let mut by_municipality: Vec<(String, usize, i64)> = vec![];
    for r in all.iter().filter(|r| r.state == Standing::Registered) {
        let Some(m) = r.municipality.as_deref() else {
            continue;
        };
        let name = campaign
            .municipality(m)
            .map_or_else(|| m.to_owned(), |m| m.name.clone());
        match by_municipality.iter_mut().find(|(n, _, _)| *n == name) {
            Some(row) => {
                row.1 += 1;
                row.2 += r.seats;
            }
            None => by_municipality.push((name, 1, r.seats)),
        }
    }
    let cleaned_on = all
        .iter()
        .filter_map(|r| r.cleaned_at)
        .max()
        .map(|at| stockholm_local(at).date().to_string());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut response = html(&RegistrationsPage {
        layout: staff_layout(state, staff, &format!("Anmälningar: {}", event.title)),
        csrf: crate::auth::session::csrf_token(state, &staff.session),
        id: event.id,
        when: when(event),
        edit_href: format!("{LIST}/evenemang?id={}", event.id),
        capacity: event.capacity,
        taken,
        free: event.capacity.map(|c| (c - taken).max(0)),
        cancelled: all.iter().filter(|r| !r.state.is_active()).count(),
        registered,
        waiting,
        done,
        errors,
        new_capacity,
        cleaned_on,
        by_municipality,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// GET: the people registered and waiting, with the seats.
pub async fn registrations(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<EventQuery>,
) -> Result<Response, AppError> {
    let Some((event, campaign)) = find(&state, query.id.as_deref().unwrap_or("")).await? else {
        return Ok(see_other(LIST));
    };
    let done = match query.klart.as_deref() {
        Some("flyttad") => Some("Väntelistan är ändrad."),
        Some("plats") => Some("Personen har fått en plats och ett e-postmeddelande."),
        Some("platser") => {
            Some("Antalet platser är ändrat. De som fick plats från väntelistan har fått e-post.")
        }
        Some("meddelande") => Some("Meddelandet är skickat."),
        _ => None,
    };
    render_page(
        &state,
        &staff,
        &event,
        &campaign,
        done,
        vec![],
        String::new(),
    )
    .await
}

/// The event and the registration a staff form names.
async fn target(
    state: &AppState,
    form: &HashMap<String, String>,
) -> Result<Option<(Event, Campaign, i64)>, AppError> {
    let Some((event, campaign)) = find(state, field(form, "id")).await? else {
        return Ok(None);
    };
    let registration = field(form, "anmalan").parse::<i64>().unwrap_or(0);
    Ok(Some((event, campaign, registration)))
}

/// POST: one place up or down the waiting list.
pub async fn reorder(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form = read_form(&headers, body).await?;
    let Some((event, _, id)) = target(&state, &form).await? else {
        return Ok(see_other(LIST));
    };
    let up = field(&form, "riktning") == "upp";
    let now = state.clock.now();
    if !service::move_waiting(&context(&state), staff.account_id, event.id, id, up, now).await? {
        return Err(AppError::Conflict(
            "Anmälan står inte på väntelistan, eller kan inte flyttas dit. Ladda om sidan."
                .to_owned(),
        ));
    }
    Ok(see_other(&format!("{}&klart=flyttad", page_href(event.id))))
}

/// POST: a seat for someone waiting, by hand.
pub async fn promote(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form = read_form(&headers, body).await?;
    let Some((event, _, id)) = target(&state, &form).await? else {
        return Ok(see_other(LIST));
    };
    let now = state.clock.now();
    match service::promote_by_hand(&context(&state), staff.account_id, event.id, id, now).await? {
        ByHand::Promoted => {
            state.mail_wake.notify_one();
            Ok(see_other(&format!("{}&klart=plats", page_href(event.id))))
        }
        ByHand::DoesNotFit(free) => Err(AppError::Conflict(format!(
            "Det finns {free} lediga platser, och anmälan behöver fler. Höj antalet platser först."
        ))),
        ByHand::NotWaiting => Err(AppError::Conflict(
            "Anmälan står inte längre på väntelistan. Ladda om sidan.".to_owned(),
        )),
    }
}

/// POST: more seats; the waiting list moves at once.
pub async fn capacity(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form = read_form(&headers, body).await?;
    let Some((event, campaign, _)) = target(&state, &form).await? else {
        return Ok(see_other(LIST));
    };
    let typed = field(&form, "platser").trim().to_owned();
    let current = event.capacity.unwrap_or(0);
    let refuse = |text: String| {
        let errors = vec![FieldError::new("platser", text)];
        render_page(
            &state,
            &staff,
            &event,
            &campaign,
            None,
            errors,
            typed.clone(),
        )
    };
    let Some(current_limit) = event.capacity else {
        return refuse("Evenemanget har inget tak för antalet platser.".to_owned()).await;
    };
    let wanted = match typed.parse::<i64>() {
        Ok(n) if n > current && n <= 100_000 => n,
        Ok(n) if n <= current => {
            return refuse(format!(
                "Skriv ett större antal än {current_limit}. Platser som folk redan har tas inte tillbaka."
            ))
            .await
        }
        _ => return refuse("Skriv antalet platser som en siffra, till exempel 60.".to_owned()).await,
    };
    let now = state.clock.now();
    service::raise_capacity(&context(&state), staff.account_id, event.id, wanted, now).await?;
    state.mail_wake.notify_one();
    Ok(see_other(&format!("{}&klart=platser", page_href(event.id))))
}

#[derive(Template)]
#[template(path = "events/admin_message.html")]
struct MessagePage {
    layout: AdminLayout,
    csrf: String,
    id: i64,
    back: String,
    subject: String,
    text: String,
    waiting: bool,
    registered: usize,
    waiting_count: usize,
    errors: Vec<FieldError>,
}

impl MessagePage {
    fn err(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

async fn message_page(
    state: &AppState,
    staff: &Staff,
    event: &Event,
    form: (String, String, bool),
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let all = store::of_event(&state.db, &state.data_keys, event.id).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut response = html(&MessagePage {
        layout: staff_layout(state, staff, &format!("Meddelande: {}", event.title)),
        csrf: crate::auth::session::csrf_token(state, &staff.session),
        id: event.id,
        back: page_href(event.id),
        subject: form.0,
        text: form.1,
        waiting: form.2,
        registered: all
            .iter()
            .filter(|r| r.state == Standing::Registered)
            .count(),
        waiting_count: all.iter().filter(|r| r.state == Standing::Waiting).count(),
        errors,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// GET: the message form.
pub async fn message_form(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<EventQuery>,
) -> Result<Response, AppError> {
    let Some((event, _)) = find(&state, query.id.as_deref().unwrap_or("")).await? else {
        return Ok(see_other(LIST));
    };
    message_page(
        &state,
        &staff,
        &event,
        (String::new(), String::new(), false),
        vec![],
    )
    .await
}

/// POST: the message, one e-mail per person through the outbox.
pub async fn send_message(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form = read_form(&headers, body).await?;
    let Some((event, _)) = find(&state, field(&form, "id")).await? else {
        return Ok(see_other(LIST));
    };
    let subject = field(&form, "amne").trim().to_owned();
    let text = field(&form, "text").replace("\r\n", "\n").trim().to_owned();
    let waiting = field(&form, "vantande") == "ja";
    let mut errors = vec![];
    if let Some(p) = editor_problem(&subject, 120, Some("Skriv en ämnesrad."), "Ämnesraden") {
        errors.push(FieldError::new("amne", p));
    } else if subject.contains('\n') {
        errors.push(FieldError::new("amne", "Ämnesraden ska vara en rad."));
    }
    if let Some(p) = editor_problem(&text, 5000, Some("Skriv meddelandet."), "Meddelandet") {
        errors.push(FieldError::new("text", p));
    }
    if !errors.is_empty() {
        return message_page(&state, &staff, &event, (subject, text, waiting), errors).await;
    }
    let now = state.clock.now();
    service::message(
        &context(&state),
        staff.account_id,
        event.id,
        subject,
        text,
        waiting,
        now,
    )
    .await?;
    state.mail_wake.notify_one();
    Ok(see_other(&format!(
        "{}&klart=meddelande",
        page_href(event.id)
    )))
}

#[derive(Template)]
#[template(path = "events/admin_door_list.html")]
struct DoorList {
    layout: AdminLayout,
    when: String,
    place: String,
    back: String,
    people: Vec<Line>,
    seats: i64,
}

/// GET: the list for the door, to print: who has a seat, in name order.
pub async fn door_list(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<EventQuery>,
) -> Result<Response, AppError> {
    let Some((event, campaign)) = find(&state, query.id.as_deref().unwrap_or("")).await? else {
        return Ok(see_other(LIST));
    };
    let all = store::of_event(&state.db, &state.data_keys, event.id).await?;
    service::viewed(
        &state.writer,
        staff.account_id,
        event.id,
        "dörrlistan",
        state.clock.now(),
    )
    .await?;
    let mut people: Vec<Line> = all
        .iter()
        .filter(|r| r.state == Standing::Registered)
        .map(|r| line(r, &campaign, 0))
        .collect();
    people.sort_by_key(|l| l.name.to_lowercase());
    html(&DoorList {
        layout: staff_layout(&state, &staff, &format!("Dörrlista: {}", event.title)),
        when: when(&event),
        place: event.location(),
        back: page_href(event.id),
        seats: people.iter().map(|l| l.seats).sum(),
        people,
    })
}
