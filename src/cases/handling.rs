//! `/admin/arenden/{referens}`: a case as its handläggare works with it —
//! what was sent, its dates and status, who has it, its full history with
//! each e-mail's delivery state — and the four actions on it (assign,
//! status, note, reply), each a POST that becomes one writer job with its
//! audit entry. Only people who handle the case's type get this far; the
//! others get 403 whether or not the case exists.

use std::collections::HashMap;

use askama::Template;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;

use super::model::{CaseKind, CaseReference, Channel, Status};
use super::service::{self, CaseChange, Outcome};
use super::store::{self, CaseRow};
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::db::DbError;
use crate::mail::outbox::{self, Tracked};
use crate::web::error::AppError;
use crate::web::format;
use crate::web::i18n::Lang;
use crate::web::layout::AdminLayout;
use crate::web::middleware::{field, read_form};
use crate::web::render::html;
use crate::web::AppState;

/// The longest internal note and reply, in characters.
pub const MAX_NOTE: usize = 5_000;
pub const MAX_REPLY: usize = 10_000;

/// A problem shown in the error summary and at its field.
struct Problem {
    href: &'static str,
    text: String,
}

/// What the person typed, kept when the page comes back with a problem.
#[derive(Default)]
struct Typed {
    note: Option<String>,
    reply: Option<String>,
    channel: Option<Channel>,
    /// The publish form: description, criterion, reason, planned date.
    problem: [String; 4],
}

/// The longest description and reason of a published problem.
pub const MAX_PROBLEM_TEXT: usize = 1_000;

/// A problem published from this case, as the case page lists it.
struct ProblemLine {
    id: i64,
    criterion: String,
    description: String,
    planned: String,
    fixed: Option<String>,
}

struct CriterionOption {
    number: &'static str,
    label: String,
    selected: bool,
}

/// One line of what was sent.
struct Field {
    label: &'static str,
    value: String,
}

/// One entry of the history.
struct HistoryLine {
    at: String,
    who: String,
    what: String,
    /// Text staff wrote (a note, a reply), shown with its line breaks.
    text: Option<String>,
    /// The delivery state of an e-mail, with the kind of error.
    mail: Option<String>,
}

struct Person {
    id: i64,
    name: String,
    selected: bool,
}

struct StatusOption {
    slug: &'static str,
    label: &'static str,
}

struct ChannelOption {
    code: &'static str,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "cases/case.html")]
struct CasePage {
    layout: AdminLayout,
    reference: String,
    kind_label: &'static str,
    errors: Vec<Problem>,
    done: Option<&'static str>,
    csrf: String,
    status: &'static str,
    status_slug: &'static str,
    received: String,
    due: String,
    overdue: bool,
    answered: Option<String>,
    closed: Option<String>,
    assignee: Option<String>,
    assigned_id: String,
    assigned_to_me: bool,
    me: i64,
    fields: Vec<Field>,
    /// When and why its personal data was deleted; the page then shows
    /// no forms.
    purged: Option<String>,
    people: Vec<Person>,
    next_statuses: Vec<StatusOption>,
    channels: Vec<ChannelOption>,
    email: Option<String>,
    reply_text: String,
    note_text: String,
    digg: bool,
    history: Vec<HistoryLine>,
    note_error: Option<String>,
    reply_error: Option<String>,
    channel_error: Option<String>,
    status_error: Option<String>,
    assign_error: Option<String>,
    /// Accessibility cases: the statement's part of the page.
    accessibility: bool,
    problems: Vec<ProblemLine>,
    criteria: Vec<CriterionOption>,
    problem_typed: [String; 4],
    description_error: Option<String>,
    criterion_error: Option<String>,
    reason_error: Option<String>,
    date_error: Option<String>,
}

/// The case `reference` for `staff`: 404 for an address that is no
/// reference, 403 when they do not handle its type (before looking it
/// up, so the answer says nothing about whether it exists), 404 when
/// there is no such case.
async fn find(state: &AppState, staff: &Staff, reference: &str) -> Result<CaseRow, AppError> {
    let parsed = CaseReference::parse(reference)
        .filter(|r| r.to_string() == reference)
        .ok_or(AppError::NotFound)?;
    if !staff.may(&[parsed.kind.role()]) {
        return Err(AppError::Forbidden);
    }
    store::case(&state.db, &state.data_keys, reference)
        .await
        .map_err(DbError::from)?
        .ok_or(AppError::NotFound)
}

fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    format::stockholm(at, format::MINUTE)
}

fn delivery(mail: &Tracked) -> String {
    let state = mail.delivery();
    let mut text = state.label().to_owned();
    match state {
        outbox::Delivery::Sent => {
            if let Some(at) = mail.sent_at {
                text.push_str(&format!(" {}", when(at)));
            }
        }
        outbox::Delivery::Queued if mail.attempts > 0 => {
            text.push_str(&format!(", {} försök", mail.attempts));
            if let Some(e) = &mail.last_error {
                text.push_str(&format!(", senaste fel: {e}"));
            }
        }
        outbox::Delivery::Failed | outbox::Delivery::Discarded => {
            text.push_str(&format!(", efter {} försök", mail.attempts));
            if let Some(e) = &mail.last_error {
                text.push_str(&format!(" ({e})"));
            }
        }
        outbox::Delivery::Queued => {}
    }
    text
}

/// What the message of the outbox row is, from the role its Message-ID
/// was given when it was written (`<REF.role.…@host>`).
fn mail_purpose(mail: &Tracked) -> &'static str {
    let role = mail.message_id.split('.').nth(1).unwrap_or_default();
    match role {
        "kvitto" => "Kvitto skickat till den som skrev",
        "handlaggare" => "Avisering till handläggarnas brevlåda",
        "svar" => "Svar med e-post",
        _ => "E-post",
    }
}

fn option_label(state: &AppState, key: &str, code: &str) -> String {
    if let Some(rest) = code.strip_prefix("annat: ") {
        return format!("Annat: {rest}");
    }
    let t = state.i18n.catalogue(Lang::Sv);
    let full_key = format!("{key}{code}");
    let found = t.t(&full_key);
    if found.is_empty() || found.starts_with(key) {
        code.to_owned()
    } else {
        found.to_owned()
    }
}

fn sent_fields(state: &AppState, kind: CaseKind, case: &CaseRow) -> Vec<Field> {
    let mut out = vec![];
    let mut push = |label: &'static str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            out.push(Field { label, value });
        }
    };
    match kind {
        CaseKind::Accessibility => {
            push("Sida", case.page.clone());
            push("Problem", Some(case.message.clone()));
        }
        CaseKind::AltFormat => {
            push("Innehåll", Some(case.message.clone()));
            push(
                "Format",
                case.format
                    .as_deref()
                    .map(|f| option_label(state, "form-af-format-option-", f)),
            );
        }
        CaseKind::Contact => {
            push(
                "Ämne",
                case.topic
                    .as_deref()
                    .map(|t| option_label(state, "form-ko-amne-option-", t)),
            );
            push("Organisation", case.organisation.clone());
            push("Meddelande", Some(case.message.clone()));
        }
    }
    push("Namn", case.name.clone());
    push("E-post", case.email.clone());
    push("Telefon", case.phone.clone());
    push("Postadress", case.postal_address.clone());
    push(
        "Vill ha svar",
        case.preferred_contact
            .as_deref()
            .map(|p| option_label(state, "form-tg-svar-option-", p)),
    );
    out
}

/// The ways an answer can reach the requester: e-mail only when they
/// left an address and did not ask for a call; a call or a letter can
/// always be recorded.
fn channels(case: &CaseRow) -> Vec<Channel> {
    let mut out = vec![];
    if case.email.is_some() && case.preferred_contact.as_deref() != Some("telefon") {
        out.push(Channel::Email);
    }
    out.push(Channel::Phone);
    out.push(Channel::Letter);
    out
}

fn channel_label(channel: Channel, case: &CaseRow) -> String {
    match channel {
        Channel::Email => format!(
            "Skicka med e-post till {}",
            case.email.as_deref().unwrap_or_default()
        ),
        Channel::Phone => match &case.phone {
            Some(phone) => format!("Jag har svarat per telefon ({phone})"),
            None => "Jag har svarat per telefon".to_owned(),
        },
        Channel::Letter => "Jag har svarat med brev".to_owned(),
    }
}

#[derive(Deserialize, Default)]
pub struct CaseQuery {
    klart: Option<String>,
}

/// Renders the page of `case`, with `errors` when an action was refused.
async fn page(
    state: &AppState,
    staff: &Staff,
    case: CaseRow,
    errors: Vec<Problem>,
    typed: Typed,
    done: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let kind = CaseKind::from_prefix(&case.kind).ok_or(AppError::NotFound)?;
    let case_status = Status::from_code(&case.status).unwrap_or(Status::New);
    let today = super::inbox::today(state);
    let events = store::events(&state.db, &state.data_keys, case.id)
        .await
        .map_err(DbError::from)?;
    let mails = outbox::for_case(&state.db, &state.data_keys, case.id)
        .await
        .map_err(DbError::from)?;
    let mut people: Vec<Person> = crate::auth::store::active_with_role(&state.db, kind.role())
        .await
        .map_err(DbError::from)?
        .into_iter()
        .map(|(id, name)| Person {
            selected: case.assigned_to == Some(id),
            id,
            name,
        })
        .collect();
    // An administrator without the type's role may still take the case.
    if !people.iter().any(|p| p.id == staff.account_id) {
        people.insert(
            0,
            Person {
                id: staff.account_id,
                name: staff.name.clone(),
                selected: case.assigned_to == Some(staff.account_id),
            },
        );
    }
    // Whoever has the case stays choosable even after losing the role.
    if let (Some(id), Some(name)) = (case.assigned_to, &case.assignee) {
        if !people.iter().any(|p| p.id == id) {
            people.push(Person {
                id,
                name: name.clone(),
                selected: true,
            });
        }
    }

    // The history: what staff did, and every e-mail of the case (the
    // receipt and notification from arrival, and each reply) with where
    // it stands now, in time order.
    // Sorted by time; at the same moment the arrival first, then staff's
    // actions, then mail, each in the order it was written.
    let mut history: Vec<(chrono::DateTime<chrono::Utc>, (u8, i64), HistoryLine)> = vec![];
    history.push((
        case.created_at,
        (0, 0),
        HistoryLine {
            at: when(case.created_at),
            who: "Webbformuläret".to_owned(),
            what: "Ärendet kom in".to_owned(),
            text: None,
            mail: None,
        },
    ));
    let mut shown_mail = std::collections::HashSet::new();
    for e in &events {
        let who = e.who.clone().unwrap_or_else(|| "Okänd".to_owned());
        let what = match e.kind.as_str() {
            "status" => format!(
                "Status ändrad till {}",
                Status::from_code(&e.detail).map_or("okänd", Status::label)
            ),
            "assigned" => match e.detail.parse::<i64>() {
                Ok(id) => {
                    let name = people
                        .iter()
                        .find(|p| p.id == id)
                        .map_or_else(|| format!("konto {id}"), |p| p.name.clone());
                    format!("Tilldelat {name}")
                }
                Err(_) => "Ingen handläggare längre".to_owned(),
            },
            "note" => "Intern anteckning".to_owned(),
            "reply" => "Svar med e-post".to_owned(),
            "answered" => match Channel::parse(&e.detail) {
                Some(Channel::Phone) => "Svar per telefon".to_owned(),
                Some(Channel::Letter) => "Svar med brev".to_owned(),
                _ => "Svar".to_owned(),
            },
            "published" => "Bristen publicerad i tillgänglighetsredogörelsen".to_owned(),
            "fixed" => "Bristen åtgärdad och borttagen ur redogörelsen".to_owned(),
            other => other.to_owned(),
        };
        let mail = e.outbox_id.and_then(|id| {
            shown_mail.insert(id);
            mails.iter().find(|m| m.id == id).map(delivery)
        });
        history.push((
            e.at,
            (1, e.id),
            HistoryLine {
                at: when(e.at),
                who,
                what,
                text: e.body.clone(),
                mail,
            },
        ));
    }
    for m in mails.iter().filter(|m| !shown_mail.contains(&m.id)) {
        history.push((
            m.created_at,
            (2, m.id),
            HistoryLine {
                at: when(m.created_at),
                who: "Fridhem".to_owned(),
                what: mail_purpose(m).to_owned(),
                text: None,
                mail: Some(delivery(m)),
            },
        ));
    }
    history.sort_by_key(|(at, id, _)| (*at, *id));

    let available = channels(&case);
    let chosen = typed
        .channel
        .filter(|c| available.contains(c))
        .unwrap_or(available[0]);
    let template = store::reply_template(&state.db, kind)
        .await
        .map_err(DbError::from)?;
    let overdue = case_status != Status::Closed
        && case.answered_at.is_none()
        && case.due_on.is_some_and(|d| d < today);
    let accessibility = kind == CaseKind::Accessibility;
    let problems = if accessibility {
        crate::content::store::problems_of_case(&state.db, case.id)
            .await?
            .into_iter()
            .map(|p| ProblemLine {
                id: p.id,
                criterion: crate::content::wcag::label(&p.criterion),
                description: p.description,
                planned: p.planned_fix_on.to_string(),
                fixed: p.fixed_at.map(when),
            })
            .collect()
    } else {
        vec![]
    };
    let criteria = if accessibility {
        crate::content::wcag::CRITERIA
            .iter()
            .map(|(number, name, level)| CriterionOption {
                number,
                label: format!("{number} {name} (nivå {level})"),
                selected: typed.problem[1] == *number,
            })
            .collect()
    } else {
        vec![]
    };
    let field_error = |href: &str| {
        errors
            .iter()
            .find(|p| p.href == href)
            .map(|p| p.text.clone())
    };
    let mut response = html(&CasePage {
        layout: staff_layout(state, staff, &case.reference),
        kind_label: kind.label(),
        done: done_text(done),
        csrf: crate::auth::session::csrf_token(state, &staff.session),
        status: case_status.label(),
        status_slug: case_status.slug(),
        received: when(case.created_at),
        due: case.due_on.map(|d| d.to_string()).unwrap_or_default(),
        overdue,
        answered: case.answered_at.map(when),
        closed: case.closed_at.map(when),
        assignee: case.assignee.clone(),
        assigned_id: case.assigned_to.map(|i| i.to_string()).unwrap_or_default(),
        assigned_to_me: case.assigned_to == Some(staff.account_id),
        me: staff.account_id,
        fields: sent_fields(state, kind, &case),
        purged: case.purged_at.map(|at| {
            format!(
                "De togs bort {} (gallring), när lagringstiden för ärendetypen hade gått ut efter att ärendet avslutades.",
                when(at)
            )
        }),
        people,
        next_statuses: case_status
            .next()
            .iter()
            .map(|s| StatusOption {
                slug: s.slug(),
                label: if case_status == Status::Closed {
                    "Öppna igen (pågår)"
                } else {
                    s.label()
                },
            })
            .collect(),
        channels: available
            .iter()
            .map(|&c| ChannelOption {
                code: c.code(),
                label: channel_label(c, &case),
                checked: c == chosen,
            })
            .collect(),
        email: case.email.clone(),
        reply_text: typed
            .reply
            .unwrap_or_else(|| template.replace("{referens}", &case.reference)),
        note_text: typed.note.unwrap_or_default(),
        digg: matches!(kind, CaseKind::Accessibility | CaseKind::AltFormat),
        history: history.into_iter().map(|(_, _, line)| line).collect(),
        note_error: field_error("#anteckning"),
        reply_error: field_error("#svar-text"),
        channel_error: field_error("#svar-satt"),
        status_error: field_error("#status"),
        assign_error: field_error("#tilldela"),
        description_error: field_error("#brist-beskrivning"),
        criterion_error: field_error("#brist-kriterium"),
        reason_error: field_error("#brist-skal"),
        date_error: field_error("#brist-datum"),
        accessibility,
        problems,
        criteria,
        problem_typed: typed.problem,
        reference: case.reference,
        errors,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

fn done_text(done: Option<&str>) -> Option<&'static str> {
    Some(match done? {
        "tilldelat" => "Ärendet är tilldelat.",
        "status" => "Statusen är ändrad.",
        "anteckning" => "Anteckningen är sparad.",
        "svar" => {
            "Svaret ligger i utkorgen och skickas nu. Du ser i historiken när det har gått iväg."
        }
        "besvarat" => "Svaret är antecknat i historiken.",
        "publicerad" => "Bristen är publicerad i tillgänglighetsredogörelsen. Den syns på /tillganglighet inom några sekunder.",
        "atgardad" => "Bristen är markerad som åtgärdad och tas bort ur tillgänglighetsredogörelsen.",
        _ => return None,
    })
}

pub async fn case_page(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(reference): Path<String>,
    Query(query): Query<CaseQuery>,
) -> Result<Response, AppError> {
    let case = find(&state, &staff, &reference).await?;
    // Who looked at which case is recorded before they see it.
    service::record_view(
        &state.writer,
        staff.account_id,
        case.reference.clone(),
        state.clock.now(),
    )
    .await?;
    page(
        &state,
        &staff,
        case,
        vec![],
        Typed::default(),
        query.klart.as_deref(),
        StatusCode::OK,
    )
    .await
}

fn see_case(reference: &str, done: &str) -> Response {
    crate::web::render::see_other(&format!("/admin/arenden/{reference}?klart={done}"))
}

/// Runs `change` and answers: back to the case with what was done, or the
/// page again saying why not.
async fn run(
    state: &AppState,
    staff: &Staff,
    case: CaseRow,
    change: CaseChange,
    typed: Typed,
    done: &str,
) -> Result<Response, AppError> {
    let reference = case.reference.clone();
    let outcome = service::change(
        &state.writer,
        &state.data_keys,
        staff.account_id,
        reference.clone(),
        change,
        state.clock.now(),
    )
    .await?;
    let problem = |href, text: String| vec![Problem { href, text }];
    let errors = match outcome {
        Outcome::Done => return Ok(see_case(&reference, done)),
        Outcome::NoSuchCase => return Err(AppError::NotFound),
        Outcome::AlreadyAssigned(who) => problem(
            "#tilldela",
            match who {
                Some(name) => format!(
                    "Någon hann före dig: ärendet är redan tilldelat {name}. Sidan visar nu hur det ser ut."
                ),
                None => "Någon hann före dig: ärendet har inte längre någon handläggare. Sidan visar nu hur det ser ut.".to_owned(),
            },
        ),
        Outcome::NotAHandler => problem(
            "#tilldela",
            "Välj en person som handlägger den här typen av ärenden.".to_owned(),
        ),
        Outcome::StatusMoved(now) => problem(
            "#status",
            format!(
                "Någon hann före dig: statusen är nu {}. Välj igen om du vill ändra den.",
                now.label().to_lowercase()
            ),
        ),
        Outcome::NotAllowed => problem("#status", "Välj en av statusarna i listan.".to_owned()),
    };
    // Read again: the page shows what the other person did.
    let fresh = store::case(&state.db, &state.data_keys, &reference)
        .await
        .map_err(DbError::from)?
        .ok_or(AppError::NotFound)?;
    page(
        state,
        staff,
        fresh,
        errors,
        typed,
        None,
        StatusCode::CONFLICT,
    )
    .await
}

async fn refuse(
    state: &AppState,
    staff: &Staff,
    case: CaseRow,
    href: &'static str,
    text: String,
    typed: Typed,
) -> Result<Response, AppError> {
    let errors = vec![Problem { href, text }];
    page(
        state,
        staff,
        case,
        errors,
        typed,
        None,
        StatusCode::BAD_REQUEST,
    )
    .await
}

pub async fn assign(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let case = find(&state, &staff, &reference).await?;
    let form = read_form(&headers, body).await?;
    let parse = |name: &str| -> Result<Option<i64>, ()> {
        match field(&form, name) {
            "" => Ok(None),
            v => v.parse().map(Some).map_err(|_| ()),
        }
    };
    // No `till` at all is a form sent without a choice; "" is "Ingen".
    let chosen = form
        .contains_key("till")
        .then(|| (parse("fran"), parse("till")));
    let Some((Ok(expected), Ok(to))) = chosen else {
        let text = "Välj vem ärendet ska tilldelas.".to_owned();
        return refuse(&state, &staff, case, "#tilldela", text, Typed::default()).await;
    };
    run(
        &state,
        &staff,
        case,
        CaseChange::Assign { expected, to },
        Typed::default(),
        "tilldelat",
    )
    .await
}

pub async fn change_status(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let case = find(&state, &staff, &reference).await?;
    let form = read_form(&headers, body).await?;
    let from = Status::from_slug(field(&form, "fran"));
    let to = Status::from_slug(field(&form, "till"));
    let (Some(from), Some(to)) = (from, to) else {
        let text = "Välj vilken status ärendet ska få.".to_owned();
        return refuse(&state, &staff, case, "#status", text, Typed::default()).await;
    };
    run(
        &state,
        &staff,
        case,
        CaseChange::Status { from, to },
        Typed::default(),
        "status",
    )
    .await
}

/// A text typed in a textarea, checked: not empty, not too long, no
/// control characters but line breaks and tabs.
fn text_field(
    form: &HashMap<String, String>,
    name: &str,
    max: usize,
    empty: &str,
) -> Result<String, String> {
    let text = field(form, name).replace("\r\n", "\n");
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(empty.to_owned());
    }
    let length = trimmed.chars().count();
    if length > max {
        return Err(format!(
            "Texten får vara högst {} tecken. Nu är den {}.",
            format::count(max),
            format::count(length)
        ));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(
            "Texten innehåller tecken som inte kan sparas. Skriv den igen utan dem.".to_owned(),
        );
    }
    Ok(trimmed.to_owned())
}

pub async fn add_note(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let case = find(&state, &staff, &reference).await?;
    let form = read_form(&headers, body).await?;
    match text_field(&form, "anteckning", MAX_NOTE, "Skriv en anteckning.") {
        Ok(text) => {
            run(
                &state,
                &staff,
                case,
                CaseChange::Note(text),
                Typed::default(),
                "anteckning",
            )
            .await
        }
        Err(problem) => {
            let typed = Typed {
                note: Some(field(&form, "anteckning").to_owned()),
                ..Typed::default()
            };
            refuse(&state, &staff, case, "#anteckning", problem, typed).await
        }
    }
}

pub async fn reply(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let case = find(&state, &staff, &reference).await?;
    let kind = CaseKind::from_prefix(&case.kind).ok_or(AppError::NotFound)?;
    let form = read_form(&headers, body).await?;
    let channel = Channel::parse(field(&form, "satt")).filter(|c| channels(&case).contains(c));
    let typed = Typed {
        reply: Some(field(&form, "text").to_owned()),
        channel,
        ..Typed::default()
    };
    let Some(channel) = channel else {
        let text = "Välj hur svaret når personen.".to_owned();
        return refuse(&state, &staff, case, "#svar-satt", text, typed).await;
    };
    let text = match text_field(&form, "text", MAX_REPLY, "Skriv svaret.") {
        Ok(text) => text,
        Err(problem) => return refuse(&state, &staff, case, "#svar-text", problem, typed).await,
    };
    match (channel, case.email.clone()) {
        (Channel::Email, Some(to)) => {
            let reply_to = store::handler_address(&state.db, kind)
                .await
                .map_err(DbError::from)?;
            let mail = super::routes::notifier(&state).reply(
                kind,
                &case.reference,
                &to,
                &text,
                reply_to.as_deref(),
            );
            run(
                &state,
                &staff,
                case,
                CaseChange::Reply { text, mail },
                typed,
                "svar",
            )
            .await
        }
        (Channel::Email, None) => Err(AppError::Invalid(vec![])),
        (channel, _) => {
            run(
                &state,
                &staff,
                case,
                CaseChange::Answered { channel, text },
                typed,
                "besvarat",
            )
            .await
        }
    }
}

/// `…/publicera`: a confirmed problem of an accessibility case goes into
/// the statement, worded by the handläggare; nothing the requester wrote
/// is published unless they copy it in.
pub async fn publish(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let case = find(&state, &staff, &reference).await?;
    if case.kind != CaseKind::Accessibility.prefix() {
        return Err(AppError::NotFound);
    }
    let form = read_form(&headers, body).await?;
    let typed = Typed {
        problem: ["beskrivning", "kriterium", "skal", "datum"].map(|n| field(&form, n).to_owned()),
        ..Typed::default()
    };
    let mut errors = vec![];
    let description = text_field(
        &form,
        "beskrivning",
        MAX_PROBLEM_TEXT,
        "Beskriv bristen så att alla förstår den.",
    )
    .map_err(|e| {
        errors.push(Problem {
            href: "#brist-beskrivning",
            text: e,
        })
    })
    .ok();
    let criterion = field(&form, "kriterium");
    if !crate::content::wcag::is_known(criterion) {
        errors.push(Problem {
            href: "#brist-kriterium",
            text: "Välj vilket kriterium i WCAG 2.2 som inte uppfylls.".to_owned(),
        });
    }
    let reason = text_field(
        &form,
        "skal",
        MAX_PROBLEM_TEXT,
        "Skriv varför bristen inte är åtgärdad än.",
    )
    .map_err(|e| {
        errors.push(Problem {
            href: "#brist-skal",
            text: e,
        })
    })
    .ok();
    let today = super::inbox::today(&state);
    let date = chrono::NaiveDate::parse_from_str(field(&form, "datum").trim(), "%Y-%m-%d").ok();
    match date {
        None => errors.push(Problem {
            href: "#brist-datum",
            text: "Skriv när bristen ska vara åtgärdad, som 2027-03-31.".to_owned(),
        }),
        Some(d) if d < today => errors.push(Problem {
            href: "#brist-datum",
            text: "Datumet för åtgärden kan inte ha passerat.".to_owned(),
        }),
        Some(_) => {}
    }
    let (Some(description), Some(reason), Some(planned_fix_on), true) =
        (description, reason, date, errors.is_empty())
    else {
        return page(
            &state,
            &staff,
            case,
            errors,
            typed,
            None,
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    let confirmed = service::Confirmed {
        description,
        criterion: criterion.to_owned(),
        reason,
        planned_fix_on,
    };
    statement_change(&state, &staff, case, Ok(confirmed), typed, "publicerad").await
}

/// `…/atgardad`: a published problem is fixed and leaves the statement
/// (it stays in the case's history).
pub async fn mark_fixed(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(reference): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let case = find(&state, &staff, &reference).await?;
    let form = read_form(&headers, body).await?;
    let Ok(id) = field(&form, "brist").parse::<i64>() else {
        let text = "Välj vilken brist som är åtgärdad.".to_owned();
        return refuse(&state, &staff, case, "#redogorelse", text, Typed::default()).await;
    };
    statement_change(&state, &staff, case, Err(id), Typed::default(), "atgardad").await
}

async fn statement_change(
    state: &AppState,
    staff: &Staff,
    case: CaseRow,
    change: Result<service::Confirmed, i64>,
    typed: Typed,
    done: &str,
) -> Result<Response, AppError> {
    let reference = case.reference.clone();
    match service::statement_problem(
        &state.writer,
        &state.data_keys,
        staff.account_id,
        reference.clone(),
        change,
        state.clock.now(),
    )
    .await?
    {
        Outcome::Done => Ok(see_case(&reference, done)),
        Outcome::NoSuchCase => Err(AppError::NotFound),
        _ => {
            let errors = vec![Problem {
                href: "#redogorelse",
                text: "Bristen är redan markerad som åtgärdad.".to_owned(),
            }];
            page(
                state,
                staff,
                case,
                errors,
                typed,
                None,
                StatusCode::CONFLICT,
            )
            .await
        }
    }
}
