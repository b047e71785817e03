//! `/admin/tillganglighet`: administrators keep the accessibility
//! statement's fixed fields (DIGG's structure: the service, its compliance,
//! how and when it was assessed, the feedback route, enforcement). The
//! list of known problems is not edited here: it comes from reported
//! problems handled as cases. Saving publishes at once, dates the
//! statement today and is audited.

use std::collections::HashMap;

use askama::Template;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use chrono::NaiveDate;
use serde::Deserialize;

use super::store::{self, StatementFields};
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::web::error::AppError;
use crate::web::field_errors::{message, FieldError};
use crate::web::layout::AdminLayout;
use crate::web::middleware::{field, read_form};
use crate::web::render::{html, see_other};
use crate::web::AppState;

const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 3_000;

/// The compliance choices and what each means.
const COMPLIANCE: [(&str, &str); 3] = [
    ("helt", "Helt förenlig"),
    ("delvis", "Delvis förenlig"),
    ("inte", "Inte förenlig"),
];

/// The form as typed, and what is wrong with it.
#[derive(Default)]
struct Form {
    service_name: String,
    compliance: String,
    compliance_text: String,
    assessed_on: String,
    method: String,
    feedback_text: String,
    enforcement_text: String,
    burden_none: String,
}

struct Choice {
    value: &'static str,
    label: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "content/statement_edit.html")]
struct EditPage {
    layout: AdminLayout,
    csrf: String,
    form: Form,
    choices: Vec<Choice>,
    errors: Vec<FieldError>,
    updated: String,
    known_problems: usize,
    done: bool,
}

impl EditPage {
    fn err(&self, field: &str) -> Option<&str> {
        message(&self.errors, field)
    }
}

#[derive(Deserialize, Default)]
pub struct EditQuery {
    klart: Option<String>,
}

pub async fn edit(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<EditQuery>,
) -> Result<Response, AppError> {
    let (s, items) = store::statement(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let form = Form {
        service_name: s.service_name,
        compliance: s.compliance,
        compliance_text: s.compliance_text,
        assessed_on: s.assessed_on.to_string(),
        method: s.method,
        feedback_text: s.feedback_text,
        enforcement_text: s.enforcement_text,
        burden_none: s.burden_none.unwrap_or_default(),
    };
    let known = items.iter().filter(|i| i.kind == "nonconformity").count();
    render(
        &state,
        &staff,
        form,
        vec![],
        s.updated_on,
        known,
        query.klart.is_some(),
        StatusCode::OK,
    )
}

#[allow(clippy::too_many_arguments)]
fn render(
    state: &AppState,
    staff: &Staff,
    form: Form,
    errors: Vec<FieldError>,
    updated: NaiveDate,
    known_problems: usize,
    done: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let choices = COMPLIANCE
        .iter()
        .map(|(value, label)| Choice {
            value,
            label,
            checked: form.compliance == *value,
        })
        .collect();
    let mut response = html(&EditPage {
        layout: staff_layout(state, staff, "Tillgänglighetsredogörelsen"),
        csrf: crate::auth::session::csrf_token(state, &staff.session),
        form,
        choices,
        errors,
        updated: updated.to_string(),
        known_problems,
        done,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

fn check(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    max: usize,
    required: Option<&str>,
    what: &str,
) {
    if let Some(text) = crate::types::text::editor_problem(value, max, required, what) {
        errors.push(FieldError::new(field, text));
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let raw: HashMap<String, String> = read_form(&headers, body).await?;
    let text = |name: &str| field(&raw, name).trim().replace("\r\n", "\n");
    let form = Form {
        service_name: text("tjanst"),
        compliance: text("status"),
        compliance_text: text("status-text"),
        assessed_on: text("bedomd"),
        method: text("metod"),
        feedback_text: text("synpunkter"),
        enforcement_text: text("tillsyn"),
        burden_none: text("betungande"),
    };
    let today = state.clock.today();
    let mut errors = vec![];
    check(
        &mut errors,
        "tjanst",
        &form.service_name,
        MAX_NAME,
        Some("Skriv tjänstens namn."),
        "Namnet",
    );
    if !COMPLIANCE.iter().any(|(v, _)| *v == form.compliance) {
        errors.push(FieldError::at(
            "status",
            "status-helt",
            "Välj hur väl webbplatsen uppfyller kraven.",
        ));
    }
    check(
        &mut errors,
        "status-text",
        &form.compliance_text,
        MAX_TEXT,
        None,
        "Texten om statusen",
    );
    let assessed = NaiveDate::parse_from_str(&form.assessed_on, "%Y-%m-%d").ok();
    match assessed {
        None => errors.push(FieldError::new(
            "bedomd",
            "Skriv datumet för bedömningen som år-månad-dag, till exempel 2026-12-01.",
        )),
        Some(d) if d > today => errors.push(FieldError::new(
            "bedomd",
            "Bedömningen kan inte vara gjord i framtiden.",
        )),
        Some(_) => {}
    }
    check(
        &mut errors,
        "metod",
        &form.method,
        MAX_TEXT,
        Some("Beskriv hur webbplatsen har granskats."),
        "Metoden",
    );
    check(
        &mut errors,
        "synpunkter",
        &form.feedback_text,
        MAX_TEXT,
        Some("Skriv hur man kontaktar er om något inte fungerar."),
        "Texten om synpunkter",
    );
    check(
        &mut errors,
        "tillsyn",
        &form.enforcement_text,
        MAX_TEXT,
        Some("Skriv hur man anmäler till tillsynsmyndigheten."),
        "Texten om tillsyn",
    );
    check(
        &mut errors,
        "betungande",
        &form.burden_none,
        MAX_TEXT,
        None,
        "Texten om undantag",
    );
    let (current, items) = store::statement(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let known = items.iter().filter(|i| i.kind == "nonconformity").count();
    let Some(assessed_on) = assessed.filter(|_| errors.is_empty()) else {
        return render(
            &state,
            &staff,
            form,
            errors,
            current.updated_on,
            known,
            false,
            StatusCode::BAD_REQUEST,
        );
    };
    let fields = StatementFields {
        service_name: form.service_name,
        compliance: form.compliance,
        compliance_text: form.compliance_text,
        assessed_on,
        method: form.method,
        feedback_text: form.feedback_text,
        enforcement_text: form.enforcement_text,
        burden_none: Some(form.burden_none).filter(|b| !b.is_empty()),
    };
    super::service::update_statement(
        &state.writer,
        staff.account_id,
        fields,
        state.clock.now(),
        today,
    )
    .await?;
    Ok(see_other("/admin/tillganglighet?klart=sparat"))
}
