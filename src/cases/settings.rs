//! `/admin/installningar/arendetyper`: administrators set, per case type,
//! the answer time in working days (the receipt and the accessibility
//! statement say the same), the handler mailbox, the reply template and
//! how long a closed case is kept. Stored in the database, so every
//! instance uses the same; each change is audited.

use std::collections::HashMap;

use askama::Template;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;

use super::model::CaseKind;
use super::store::{self, TypeSettings};
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::db::DbError;
use crate::types::EmailAddress;
use crate::web::error::AppError;
use crate::web::layout::AdminLayout;
use crate::web::middleware::read_form;
use crate::web::render::html;
use crate::web::AppState;

pub const MAX_TEMPLATE: usize = 5_000;

/// One type's fields on the page, with what was typed and its problems.
struct TypeForm {
    /// `tg`, `af`, `ko`: the prefix of the fields' names and ids.
    key: String,
    label: &'static str,
    answer_days: String,
    handler_address: String,
    configured_address: String,
    reply_template: String,
    retention_months: String,
    days_error: Option<String>,
    address_error: Option<String>,
    template_error: Option<String>,
    retention_error: Option<String>,
}

struct Problem {
    href: String,
    text: String,
}

#[derive(Template)]
#[template(path = "cases/settings.html")]
struct SettingsPage {
    layout: AdminLayout,
    csrf: String,
    types: Vec<TypeForm>,
    errors: Vec<Problem>,
    saved: bool,
}

#[derive(Deserialize, Default)]
pub struct SettingsQuery {
    klart: Option<String>,
}

fn form_of(state: &AppState, s: &TypeSettings) -> Option<TypeForm> {
    let kind = CaseKind::from_prefix(&s.kind)?;
    Some(TypeForm {
        key: s.kind.to_lowercase(),
        label: kind.label(),
        answer_days: s.answer_days.to_string(),
        handler_address: s.handler_address.clone().unwrap_or_default(),
        configured_address: super::routes::notifier(state).handler(kind).to_owned(),
        reply_template: s.reply_template.clone(),
        retention_months: s.retention_months.to_string(),
        days_error: None,
        address_error: None,
        template_error: None,
        retention_error: None,
    })
}

fn render(
    state: &AppState,
    staff: &Staff,
    types: Vec<TypeForm>,
    saved: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut errors = vec![];
    for t in &types {
        for (field, error) in [
            ("svarstid", &t.days_error),
            ("adress", &t.address_error),
            ("mall", &t.template_error),
            ("gallring", &t.retention_error),
        ] {
            if let Some(text) = error {
                errors.push(Problem {
                    href: format!("#{}-{field}", t.key),
                    text: format!("{}: {text}", t.label),
                });
            }
        }
    }
    let mut response = html(&SettingsPage {
        layout: staff_layout(state, staff, "Inställningar för ärendetyper"),
        csrf: crate::auth::session::csrf_token(state, &staff.session),
        types,
        errors,
        saved,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn settings_page(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<SettingsQuery>,
) -> Result<Response, AppError> {
    let types = store::type_settings(&state.db)
        .await
        .map_err(DbError::from)?
        .iter()
        .filter_map(|s| form_of(&state, s))
        .collect();
    render(
        &state,
        &staff,
        types,
        query.klart.as_deref() == Some("sparat"),
        StatusCode::OK,
    )
}

/// A whole number within `range`, or the reason it is not.
fn whole(value: &str, range: std::ops::RangeInclusive<i64>, unit: &str) -> Result<i64, String> {
    let problem = || {
        format!(
            "Ange ett helt antal {unit} från {} till {}.",
            range.start(),
            range.end()
        )
    };
    let n: i64 = value.trim().parse().map_err(|_| problem())?;
    if range.contains(&n) {
        Ok(n)
    } else {
        Err(problem())
    }
}

pub async fn save_settings(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form: HashMap<String, String> = read_form(&headers, body).await?;
    let current = store::type_settings(&state.db)
        .await
        .map_err(DbError::from)?;
    let mut forms = vec![];
    let mut settings = vec![];
    for s in &current {
        let Some(mut f) = form_of(&state, s) else {
            continue;
        };
        let get = |field: &str| {
            form.get(&format!("{}-{field}", f.key))
                .cloned()
                .unwrap_or_default()
        };
        f.answer_days = get("svarstid");
        f.handler_address = get("adress").trim().to_owned();
        f.reply_template = get("mall").replace("\r\n", "\n");
        f.retention_months = get("gallring");
        let days = whole(&f.answer_days, 1..=60, "arbetsdagar")
            .map_err(|e| f.days_error = Some(e))
            .ok();
        let months = whole(&f.retention_months, 1..=240, "månader")
            .map_err(|e| f.retention_error = Some(e))
            .ok();
        let address = if f.handler_address.is_empty() {
            Some(None)
        } else if let Some(a) = EmailAddress::parse(&f.handler_address) {
            Some(Some(a.as_str().to_owned()))
        } else {
            f.address_error = Some(
                "Ange en e-postadress som namn@kommun.se, eller lämna fältet tomt.".to_owned(),
            );
            None
        };
        let template = f.reply_template.trim().to_owned();
        let length = template.chars().count();
        if template.is_empty() {
            f.template_error = Some("Skriv en svarsmall.".to_owned());
        } else if length > MAX_TEMPLATE {
            f.template_error = Some(format!(
                "Svarsmallen får vara högst {} tecken. Nu är den {}.",
                crate::web::format::count(MAX_TEMPLATE),
                crate::web::format::count(length)
            ));
        } else if template
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            f.template_error =
                Some("Svarsmallen innehåller tecken som inte kan sparas.".to_owned());
        }
        if let (Some(answer_days), Some(retention_months), Some(handler_address), None) =
            (days, months, address, &f.template_error)
        {
            settings.push(TypeSettings {
                kind: s.kind.clone(),
                answer_days,
                handler_address,
                reply_template: template,
                retention_months,
            });
        }
        forms.push(f);
    }
    if settings.len() != forms.len() {
        return render(&state, &staff, forms, false, StatusCode::BAD_REQUEST);
    }
    super::service::save_type_settings(
        &state.writer,
        staff.account_id,
        settings,
        state.clock.now(),
    )
    .await?;
    Ok(crate::web::render::see_other(
        "/admin/installningar/arendetyper?klart=sparat",
    ))
}
