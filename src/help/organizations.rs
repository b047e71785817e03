//! `/admin/hjalp/organisation?id=…`: an organisation's name, description
//! and website, as /hjalp and Open Referral show them. An organisation is
//! three facts that are checked together, so saving publishes at once
//! (dated today, audited); the services under it have drafts.

use std::collections::HashMap;

use askama::Template;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;

use super::model::Organization;
use super::store;
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::types::text::editor_problem;
use crate::web::error::AppError;
use crate::web::field_errors::{message, FieldError};
use crate::web::layout::AdminLayout;
use crate::web::middleware::{field, read_form};
use crate::web::render::{html, see_other};
use crate::web::AppState;

const MAX_NAME: usize = 120;
const MAX_DESCRIPTION: usize = 600;

pub fn edit_href(id: &str) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("id", id);
    format!("/admin/hjalp/organisation?{}", query.finish())
}

#[derive(Template)]
#[template(path = "help/admin_organization.html")]
struct EditPage {
    layout: AdminLayout,
    csrf: String,
    id: String,
    org_name: String,
    description: String,
    website: String,
    updated: String,
    errors: Vec<FieldError>,
    done: bool,
    /// The description's state in each other language.
    translations: Vec<super::translating::Status>,
}

impl EditPage {
    fn err(&self, field: &str) -> Option<&str> {
        message(&self.errors, field)
    }
}

#[derive(Deserialize, Default)]
pub struct EditQuery {
    id: Option<String>,
    klart: Option<String>,
}

async fn find(state: &AppState, id: &str) -> Result<Organization, AppError> {
    store::organizations(&state.db)
        .await?
        .into_iter()
        .find(|o| o.id == id)
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
    let o = find(&state, &id).await?;
    let translations = super::translating::organization_statuses(&state, &o).await?;
    html(&EditPage {
        translations,
        layout: staff_layout(&state, &staff, &format!("Redigera {}", o.name)),
        csrf: crate::auth::session::csrf_token(&state, &staff.session),
        id: o.id,
        org_name: o.name,
        description: o.description,
        website: o.website.unwrap_or_default(),
        updated: o.updated_on.to_string(),
        errors: vec![],
        done: query.klart.is_some(),
    })
}

/// A whole http(s) address, as a service's web address is checked.
fn is_web_address(text: &str) -> bool {
    url::Url::parse(text)
        .is_ok_and(|u| matches!(u.scheme(), "https" | "http") && u.host_str().is_some())
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
    let current = find(&state, &id).await?;
    let name = field(&form, "namn").trim().to_owned();
    let description = field(&form, "beskrivning").trim().replace("\r\n", "\n");
    let website = field(&form, "webbadress").trim().to_owned();
    let mut errors = vec![];
    if let Some(text) = editor_problem(
        &name,
        MAX_NAME,
        Some("Skriv organisationens namn."),
        "Namnet",
    ) {
        errors.push(FieldError::new("namn", text));
    }
    if let Some(text) = editor_problem(
        &description,
        MAX_DESCRIPTION,
        Some("Skriv vad organisationen är, i en eller två meningar."),
        "Beskrivningen",
    ) {
        errors.push(FieldError::new("beskrivning", text));
    }
    if !website.is_empty() && (website.chars().count() > 300 || !is_web_address(&website)) {
        errors.push(FieldError::new(
            "webbadress",
            "Skriv en hel webbadress som börjar med https://, till exempel https://www.jarfalla.se/.",
        ));
    }
    if !errors.is_empty() {
        let translations = super::translating::organization_statuses(&state, &current).await?;
        let mut response = html(&EditPage {
            translations,
            layout: staff_layout(&state, &staff, &format!("Redigera {}", current.name)),
            csrf: crate::auth::session::csrf_token(&state, &staff.session),
            id,
            org_name: name,
            description,
            website,
            updated: current.updated_on.to_string(),
            errors,
            done: false,
        })?;
        *response.status_mut() = StatusCode::BAD_REQUEST;
        return Ok(response);
    }
    let changed = Organization {
        name,
        description,
        website: Some(website).filter(|w| !w.is_empty()),
        updated_on: state.clock.today(),
        ..current
    };
    super::service::publish_organization(
        &state.writer,
        staff.account_id,
        changed,
        state.clock.now(),
    )
    .await?;
    Ok(see_other(&format!("{}&klart=publicerad", edit_href(&id))))
}
