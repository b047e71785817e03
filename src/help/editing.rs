//! `/admin/hjalp`: editors (and administrators) keep the help directory.
//! The list puts services not verified for six months first. A service is
//! edited whole (its text, audiences, help-box place and every phone line
//! with its weekly hours), previewed as the public page will show it,
//! saved as a draft or published; "Kontrollerad i dag" records that
//! someone called the number. Every draft, publish and verification is
//! audited.

use std::collections::HashMap;

use askama::Template;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use chrono::{Months, NaiveDate};
use serde::Deserialize;

use super::edit::{PhoneEdit, Problem, ServiceEdit, MAX_PHONES, WEEK};
use super::hours::day_code;
use super::model::{Audience, PublicHours, Service};
use super::{store, view};
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::web::error::AppError;
use crate::web::field_errors::{message, FieldError};
use crate::web::format;
use crate::web::i18n::Lang;
use crate::web::layout::AdminLayout;
use crate::web::middleware::{field, read_form};
use crate::web::render::{html, see_other};
use crate::web::AppState;

/// How long a service may go without someone calling to check it.
const VERIFY_AFTER: Months = Months::new(6);

pub(crate) fn edit_href(id: &str) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("id", id);
    format!("/admin/hjalp/tjanst?{}", query.finish())
}

/// Not verified within six months (or never).
fn overdue(verified_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    verified_on.is_none_or(|d| d + VERIFY_AFTER < today)
}

struct Line {
    id: String,
    edit: String,
    name: String,
    organization: String,
    verified: String,
    overdue: bool,
    public: bool,
    draft: bool,
    featured: i64,
}

#[derive(Template)]
#[template(path = "help/admin_list.html")]
struct ListPage {
    layout: AdminLayout,
    csrf: String,
    lines: Vec<Line>,
    overdue: usize,
    done: Option<String>,
    /// Name, edit link and date of every organisation.
    organizations: Vec<(String, String, String)>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    kontrollerad: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let services = store::services(&state.db).await?;
    let all_organizations = store::organizations(&state.db).await?;
    let organizations: HashMap<String, String> = all_organizations
        .iter()
        .map(|o| (o.id.clone(), o.name.clone()))
        .collect();
    let drafted = store::drafted(&state.db).await?;
    let mut lines: Vec<(Option<NaiveDate>, i64, Line)> = services
        .iter()
        .map(|s| {
            (
                s.verified_on,
                s.sort,
                Line {
                    id: s.id.clone(),
                    edit: edit_href(&s.id),
                    name: s.name.clone(),
                    organization: organizations
                        .get(&s.organization_id)
                        .cloned()
                        .unwrap_or_default(),
                    verified: s
                        .verified_on
                        .map_or_else(|| "Aldrig".to_owned(), |d| d.to_string()),
                    overdue: overdue(s.verified_on, today),
                    public: s.is_public(),
                    draft: drafted.contains(&s.id),
                    featured: s.featured,
                },
            )
        })
        .collect();
    // Not verified for six months first, the longest unverified at the
    // top (never verified before all); then in the order of /hjalp.
    lines.sort_by(|(va, sa, a), (vb, sb, b)| {
        b.overdue
            .cmp(&a.overdue)
            .then_with(|| {
                if a.overdue {
                    va.cmp(vb)
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then_with(|| sa.cmp(sb))
            .then_with(|| a.name.cmp(&b.name))
    });
    let overdue = lines.iter().filter(|(_, _, l)| l.overdue).count();
    let done = match query.kontrollerad {
        Some(id) => services
            .iter()
            .find(|s| s.id == id)
            .map(|s| format!("{} är markerad som kontrollerad {today}.", s.name)),
        None => None,
    };
    html(&ListPage {
        layout: staff_layout(&state, &staff, "Hjälpkatalogen"),
        csrf: crate::auth::session::csrf_token(&state, &staff.session),
        lines: lines.into_iter().map(|(_, _, l)| l).collect(),
        overdue,
        done,
        organizations: all_organizations
            .into_iter()
            .map(|o| {
                (
                    o.name,
                    super::organizations::edit_href(&o.id),
                    o.updated_on.to_string(),
                )
            })
            .collect(),
    })
}

/// One weekday of a line in the form.
struct DayView {
    code: &'static str,
    name: &'static str,
    state: String,
    opens: String,
    closes: String,
}

struct PhoneView {
    index: usize,
    edit: PhoneEdit,
    days: Vec<DayView>,
    new: bool,
}

struct AudienceView {
    slug: &'static str,
    label: String,
    checked: bool,
}

/// A line as the public page will show it.
struct PreviewLine {
    label: String,
    /// None: the number is not confirmed and stays hidden.
    number: Option<String>,
    href: String,
    hours: Vec<String>,
    status: Option<String>,
}

struct Preview {
    public: bool,
    name: String,
    description: String,
    lines: Vec<PreviewLine>,
}

#[derive(Template)]
#[template(path = "help/admin_edit.html")]
struct EditPage {
    layout: AdminLayout,
    csrf: String,
    id: String,
    edit: ServiceEdit,
    audiences: Vec<AudienceView>,
    phones: Vec<PhoneView>,
    errors: Vec<FieldError>,
    preview: Option<Preview>,
    draft_note: Option<String>,
    verified: String,
    overdue: bool,
    updated: String,
    done: Option<&'static str>,
    translations: Vec<super::translating::Status>,
}

impl EditPage {
    /// For a field that cannot be wrong (a checkbox that may go either way).
    fn none(&self) -> Option<&str> {
        None
    }

    fn err(&self, field: &str) -> Option<&str> {
        message(&self.errors, field)
    }
}

fn day_label(code: &str) -> &'static str {
    match code {
        "mon" => "Måndag",
        "tue" => "Tisdag",
        "wed" => "Onsdag",
        "thu" => "Torsdag",
        "fri" => "Fredag",
        "sat" => "Lördag",
        _ => "Söndag",
    }
}

fn phone_views(edit: &ServiceEdit) -> Vec<PhoneView> {
    let mut phones: Vec<PhoneEdit> = edit.phones.clone();
    // Room for one more line, unless the form is full.
    let blank = phones.len() < MAX_PHONES;
    if blank {
        phones.push(PhoneEdit::blank());
    }
    let count = phones.len();
    phones
        .into_iter()
        .enumerate()
        .map(|(index, p)| PhoneView {
            index,
            days: WEEK
                .iter()
                .zip(&p.days)
                .map(|(d, day)| DayView {
                    code: day_code(*d),
                    name: day_label(day_code(*d)),
                    state: if day.state.is_empty() {
                        "stangt".to_owned()
                    } else {
                        day.state.clone()
                    },
                    opens: day.opens.clone(),
                    closes: day.closes.clone(),
                })
                .collect(),
            new: blank && index + 1 == count,
            edit: p,
        })
        .collect()
}

fn preview(state: &AppState, edit: &ServiceEdit) -> Preview {
    let t = state.i18n.catalogue(Lang::Sv);
    let now = state.clock.now();
    let lines = edit
        .phones
        .iter()
        .map(|p| {
            let phone = p.to_phone(String::new());
            let number = phone.public_number();
            let (hours, status) = match phone.public_hours() {
                PublicHours::AlwaysOpen => (vec![t.t("hours-all-day").to_owned()], None),
                PublicHours::Schedule(h) => (
                    view::schedule(t, h),
                    Some(view::open_status(t, &h.status_on_calendar(now))),
                ),
                PublicHours::Text(text) => (vec![text.to_owned()], None),
                PublicHours::Unknown => (vec![], None),
            };
            PreviewLine {
                label: phone.label.clone(),
                href: number.as_ref().map(|n| n.tel_href()).unwrap_or_default(),
                number: number.map(|n| n.display().to_owned()),
                hours,
                status,
            }
        })
        .collect();
    Preview {
        public: edit.confirmed,
        name: edit.name.clone(),
        description: edit.description.clone(),
        lines,
    }
}

#[derive(Deserialize, Default)]
pub struct EditQuery {
    id: Option<String>,
    klart: Option<String>,
}

async fn find(state: &AppState, id: &str) -> Result<Service, AppError> {
    store::services(&state.db)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)
}

pub async fn edit(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<EditQuery>,
) -> Result<Response, AppError> {
    let Some(id) = query.id.filter(|i| !i.is_empty()) else {
        return Ok(see_other("/admin/hjalp"));
    };
    let service = find(&state, &id).await?;
    let draft = store::draft(&state.db, &id).await?;
    let edit = draft
        .as_ref()
        .map_or_else(|| ServiceEdit::from_service(&service), |d| d.edit.clone());
    let done = match query.klart.as_deref() {
        Some("sparat") => Some("Utkastet är sparat. Hjälpsidan är oförändrad tills du publicerar."),
        Some("publicerad") => {
            Some("Ändringarna är publicerade. De visas på webbplatsen inom några sekunder.")
        }
        Some("kontrollerad") => Some("Tjänsten är markerad som kontrollerad i dag."),
        _ => None,
    };
    render(
        &state,
        &staff,
        &service,
        draft.as_ref(),
        edit,
        vec![],
        None,
        done,
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn render(
    state: &AppState,
    staff: &Staff,
    service: &Service,
    draft: Option<&store::Draft>,
    edit: ServiceEdit,
    errors: Vec<Problem>,
    preview: Option<Preview>,
    done: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let translations = super::translating::statuses(state, service).await?;
    let t = state.i18n.catalogue(Lang::Sv);
    let audiences = Audience::ALL
        .iter()
        .map(|a| AudienceView {
            slug: a.slug(),
            label: t.t(a.message_key()).to_owned(),
            checked: edit.audiences.iter().any(|s| s == a.slug()),
        })
        .collect();
    let mut response = html(&EditPage {
        layout: staff_layout(state, staff, &format!("Redigera {}", service.name)),
        csrf: crate::auth::session::csrf_token(state, &staff.session),
        id: service.id.clone(),
        phones: phone_views(&edit),
        edit,
        audiences,
        errors: errors
            .into_iter()
            .map(|p| FieldError::new(&p.field, p.text))
            .collect(),
        preview,
        draft_note: draft.map(|d| {
            format!(
                "Det finns ett utkast, sparat {} av {}. Det är inte publicerat.",
                format::stockholm(d.saved_at, format::MINUTE),
                d.saved_by.as_deref().unwrap_or("en borttagen användare")
            )
        }),
        verified: service
            .verified_on
            .map_or_else(|| "aldrig".to_owned(), |d| d.to_string()),
        overdue: overdue(service.verified_on, state.clock.today()),
        updated: service.updated_on.to_string(),
        done,
        translations,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form: HashMap<String, String> = read_form(&headers, body).await?;
    let id = field(&form, "id").to_owned();
    if id.is_empty() {
        return Ok(see_other("/admin/hjalp"));
    }
    let service = find(&state, &id).await?;
    let draft = store::draft(&state.db, &id).await?;
    let edit = ServiceEdit::from_form(&form);
    let errors = edit.problems();
    if !errors.is_empty() {
        return render(
            &state,
            &staff,
            &service,
            draft.as_ref(),
            edit,
            errors,
            None,
            None,
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    let action = field(&form, "atgard");
    if action != "spara" && action != "publicera" {
        // "Förhandsgranska": nothing is stored.
        let preview = preview(&state, &edit);
        return render(
            &state,
            &staff,
            &service,
            draft.as_ref(),
            edit,
            vec![],
            Some(preview),
            None,
            StatusCode::OK,
        )
        .await;
    }
    let now = state.clock.now();
    let done = if action == "publicera" {
        super::service::publish(
            &state.writer,
            staff.account_id,
            id.clone(),
            edit,
            now,
            state.clock.today(),
        )
        .await?;
        "publicerad"
    } else {
        super::service::save_draft(&state.writer, staff.account_id, id.clone(), edit, now).await?;
        "sparat"
    };
    Ok(see_other(&format!("{}&klart={done}", edit_href(&id))))
}

/// POST `/admin/hjalp/kontrollerad`: the service was called today and
/// answered as listed. Back to where the button was.
pub async fn verify(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form = read_form(&headers, body).await?;
    let id = field(&form, "id").to_owned();
    if id.is_empty() {
        return Ok(see_other("/admin/hjalp"));
    }
    let verified = super::service::verify(
        &state.writer,
        staff.account_id,
        id.clone(),
        state.clock.now(),
        state.clock.today(),
    )
    .await?;
    if !verified {
        return Err(AppError::NotFound);
    }
    let back = if field(&form, "fran") == "tjanst" {
        format!("{}&klart=kontrollerad", edit_href(&id))
    } else {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("kontrollerad", &id);
        format!("/admin/hjalp?{}", query.finish())
    };
    Ok(see_other(&back))
}
