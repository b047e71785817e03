//! `/admin/personal`: administrators see every account and change roles,
//! status and second factor. Each change is one writer job with its audit
//! entry; the guard has checked the role and the CSRF token.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::model::{Role, Staff, Status};
use super::routes::read_pairs;
use super::service::{self, Change, Managed};
use super::staff_layout;
use super::store::{self, Summary};
use crate::db::DbError;
use crate::web::error::AppError;
use crate::web::format;
use crate::web::layout::AdminLayout;
use crate::web::render::html;
use crate::web::AppState;

fn status_label(status: Status) -> &'static str {
    match status {
        Status::Invited => "inbjuden",
        Status::Active => "aktiv",
        Status::Deactivated => "avstängd",
    }
}

fn local(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(
        || "aldrig".to_owned(),
        |at| format::stockholm(at, format::MINUTE),
    )
}

struct Row {
    id: i64,
    name: String,
    email: String,
    roles: String,
    status: &'static str,
    enrolled: &'static str,
    last_sign_in: String,
}

/// A filter or sort link, and whether it is the one in use.
struct Choice {
    href: String,
    label: &'static str,
    current: bool,
}

#[derive(Template)]
#[template(path = "admin/personal.html")]
struct ListPage {
    layout: AdminLayout,
    rows: Vec<Row>,
    roles: Vec<Choice>,
    statuses: Vec<Choice>,
    sort: Choice,
    total: usize,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    roll: Option<String>,
    status: Option<String>,
    sortera: Option<String>,
}

fn list_href(role: Option<&str>, status: Option<&str>, descending: bool) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(r) = role {
        query.append_pair("roll", r);
    }
    if let Some(s) = status {
        query.append_pair("status", s);
    }
    if descending {
        query.append_pair("sortera", "namn-fallande");
    }
    let query = query.finish();
    if query.is_empty() {
        "/admin/personal".to_owned()
    } else {
        format!("/admin/personal?{query}")
    }
}

pub async fn list(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    // Unknown values are ignored rather than refused: a filter link is
    // only ever one we made.
    let role = query.roll.as_deref().and_then(Role::parse);
    let status = query.status.as_deref().and_then(Status::parse);
    let descending = query.sortera.as_deref() == Some("namn-fallande");
    let mut accounts: Vec<Summary> = store::accounts(&state.db).await.map_err(DbError::from)?;
    accounts.retain(|a| {
        role.is_none_or(|r| a.roles.contains(&r)) && status.is_none_or(|s| a.status == s)
    });
    accounts.sort_by_key(|a| a.name.to_lowercase());
    if descending {
        accounts.reverse();
    }
    let role_name = role.map(Role::name);
    let status_code = status.map(Status::code);
    let mut roles = vec![Choice {
        href: list_href(None, status_code, descending),
        label: "Alla roller",
        current: role.is_none(),
    }];
    roles.extend(Role::ALL.into_iter().map(|r| Choice {
        href: list_href(Some(r.name()), status_code, descending),
        label: r.label(),
        current: role == Some(r),
    }));
    let mut statuses = vec![Choice {
        href: list_href(role_name, None, descending),
        label: "Alla",
        current: status.is_none(),
    }];
    statuses.extend(
        [Status::Invited, Status::Active, Status::Deactivated]
            .into_iter()
            .map(|s| Choice {
                href: list_href(role_name, Some(s.code()), descending),
                label: status_label(s),
                current: status == Some(s),
            }),
    );
    let sort = Choice {
        href: list_href(role_name, status_code, !descending),
        label: if descending {
            "Namn (ö–a)"
        } else {
            "Namn (a–ö)"
        },
        current: descending,
    };
    let rows: Vec<Row> = accounts
        .into_iter()
        .map(|a| Row {
            id: a.id,
            roles: a
                .roles
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join(", "),
            status: status_label(a.status),
            enrolled: if a.enrolled { "ja" } else { "nej" },
            last_sign_in: local(a.last_sign_in_at),
            name: a.name,
            email: a.email,
        })
        .collect();
    html(&ListPage {
        layout: staff_layout(&state, &staff, "Personal"),
        total: rows.len(),
        rows,
        roles,
        statuses,
        sort,
    })
}

struct RoleBox {
    name: &'static str,
    label: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "admin/person.html")]
struct PersonPage {
    layout: AdminLayout,
    id: i64,
    email: String,
    status: &'static str,
    deactivated: bool,
    invited: bool,
    /// When the open invitation was sent and until when it works.
    invitation: Option<String>,
    enrolled: bool,
    last_sign_in: String,
    roles: Vec<RoleBox>,
    error: Option<String>,
    done: Option<&'static str>,
    csrf: String,
}

#[derive(Deserialize, Default)]
pub struct PersonQuery {
    klart: Option<String>,
}

async fn person_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    error: Option<String>,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let account = store::accounts(&state.db)
        .await
        .map_err(DbError::from)?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)?;
    let done = match done {
        Some("avstangd") => Some("Kontot är avstängt och alla dess sessioner är avslutade."),
        // Someone who never chose a password comes back as invited.
        Some("ateraktiverad") if account.status == Status::Invited => Some("Kontot är återaktiverat som inbjudet. Skicka en ny inbjudan, så kan personen välja lösenord."),
        Some("ateraktiverad") => Some("Kontot är aktivt igen."),
        Some("roller") => Some("Rollerna är ändrade. De gäller från personens nästa klick."),
        Some("tvasteg") => Some("Tvåstegsverifieringen är nollställd. Personen ställer in appen igen vid nästa inloggning."),
        Some("inbjuden") => Some("Inbjudan är skickad. Länken i e-postmeddelandet gäller i 72 timmar."),
        Some("ny-inbjudan") => Some("En ny inbjudan är skickad. Länken i den förra fungerar inte längre."),
        _ => None,
    };
    let invitation = if account.status == Status::Invited {
        store::open_invitation(&state.db, id)
            .await
            .map_err(DbError::from)?
            .filter(|i| i.expires_at > state.clock.now())
            .map(|i| {
                format!(
                    "Inbjudan skickades {} och gäller till {}.",
                    local(Some(i.created_at)),
                    local(Some(i.expires_at))
                )
            })
    } else {
        None
    };
    let layout = staff_layout(state, staff, &account.name);
    let csrf = super::session::csrf_token(state, &staff.session);
    let status = if error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let mut response = html(&PersonPage {
        layout,
        id,
        roles: Role::ALL
            .into_iter()
            .map(|r| RoleBox {
                name: r.name(),
                label: r.label(),
                checked: account.roles.contains(&r),
            })
            .collect(),
        status: status_label(account.status),
        deactivated: account.status == Status::Deactivated,
        invited: account.status == Status::Invited,
        invitation,
        enrolled: account.enrolled,
        last_sign_in: local(account.last_sign_in_at),
        email: account.email,
        error,
        done,
        csrf,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn person(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
    Query(query): Query<PersonQuery>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    person_page(&state, &staff, id, None, query.klart.as_deref()).await
}

const LAST_ADMIN: &str = "Det måste alltid finnas minst en aktiv administratör. Ge någon annan rollen administratör först.";

/// Makes one change to account `id` and answers: back to the person's
/// page with what was done, or the page again saying why not.
async fn apply(
    state: &AppState,
    staff: &Staff,
    id: &str,
    change: Change,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let done = match &change {
        Change::Deactivate => "avstangd",
        Change::Reactivate => "ateraktiverad",
        Change::Roles(_) => "roller",
        Change::ResetSecondFactor => "tvasteg",
    };
    match service::manage(
        &state.writer,
        Some(staff.account_id),
        id,
        change,
        state.clock.now(),
    )
    .await?
    {
        Managed::Done => Ok(crate::web::render::see_other(&format!(
            "/admin/personal/{id}?klart={done}"
        ))),
        Managed::LastAdmin => {
            person_page(state, staff, id, Some(LAST_ADMIN.to_owned()), None).await
        }
        Managed::NoSuchAccount => Err(AppError::NotFound),
    }
}

pub async fn deactivate(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    apply(&state, &staff, &id, Change::Deactivate).await
}

pub async fn reactivate(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    apply(&state, &staff, &id, Change::Reactivate).await
}

pub async fn reset_second_factor(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    apply(&state, &staff, &id, Change::ResetSecondFactor).await
}

pub async fn set_roles(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> Result<Response, AppError> {
    let roles = ticked_roles(&read_pairs(&headers, body).await?)?;
    apply(&state, &staff, &id, Change::Roles(roles)).await
}

/// The roles ticked in a form's `roll` checkboxes. Only the checkboxes'
/// own values are accepted: anything else is a forged form.
pub(super) fn ticked_roles(fields: &[(String, String)]) -> Result<Vec<Role>, AppError> {
    let mut roles = vec![];
    for (_, value) in fields.iter().filter(|(k, _)| k == "roll") {
        let role = Role::parse(value).ok_or(AppError::Invalid(vec![]))?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    Ok(roles)
}
