//! `/admin/sidor`: editors (and administrators) keep the public pages.
//! The list shows every page with its state and the date it is to be
//! reviewed by (a year after its last publish; overdue ones first). A
//! page is edited in Markdown with a preview rendered on the server (no
//! script needed), saved as a draft or published; publishing dates the
//! page today and keeps the text as a revision. Every draft and publish
//! is audited.

use std::collections::HashMap;

use askama::Template;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use chrono::{Months, NaiveDate};
use serde::Deserialize;

use super::store::{self, PageText};
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::web::error::AppError;
use crate::web::format;
use crate::web::layout::AdminLayout;
use crate::web::middleware::{field, read_form};
use crate::web::render::{html, see_other};
use crate::web::AppState;

/// How long a published page may go without review.
const REVIEW_AFTER: Months = Months::new(12);
pub const MAX_TITLE: usize = 120;
pub const MAX_DESCRIPTION: usize = 300;
pub const MAX_TEXT: usize = 20_000;

struct Line {
    path: String,
    edit: String,
    title: String,
    draft: bool,
    updated: String,
    review_by: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "content/pages.html")]
struct PagesPage {
    layout: AdminLayout,
    lines: Vec<Line>,
    overdue: usize,
}

/// `sida=/path`, encoded for a query string.
pub fn query_of(path: &str) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("sida", path);
    query.finish()
}

pub fn edit_href(path: &str) -> String {
    format!("/admin/sidor/redigera?{}", query_of(path))
}

pub async fn pages(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let mut lines: Vec<(NaiveDate, Line)> = store::page_lines(&state.db)
        .await?
        .into_iter()
        .map(|p| {
            let last = p.published_at.map_or(p.updated_on, |at| {
                at.with_timezone(&chrono_tz::Europe::Stockholm).date_naive()
            });
            let review_by = last + REVIEW_AFTER;
            (
                review_by,
                Line {
                    edit: edit_href(&p.path),
                    title: p.title,
                    draft: p.has_draft,
                    updated: p.updated_on.to_string(),
                    review_by: review_by.to_string(),
                    overdue: review_by < today,
                    path: p.path,
                },
            )
        })
        .collect();
    // Overdue first, the longest overdue at the top; then by address.
    lines.sort_by(|(a, x), (b, y)| {
        y.overdue
            .cmp(&x.overdue)
            .then_with(|| {
                if x.overdue {
                    a.cmp(b)
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then_with(|| x.path.cmp(&y.path))
    });
    let overdue = lines.iter().filter(|(_, l)| l.overdue).count();
    html(&PagesPage {
        layout: staff_layout(&state, &staff, "Sidor"),
        lines: lines.into_iter().map(|(_, l)| l).collect(),
        overdue,
    })
}

struct Problem {
    href: String,
    text: String,
}

/// The text on the edit page and what is wrong with it.
#[derive(Default)]
struct Fields {
    title: String,
    description: String,
    body: String,
    title_error: Option<String>,
    description_error: Option<String>,
    body_error: Option<String>,
}

struct Preview {
    title: String,
    description: String,
    body: String,
}

#[derive(Template)]
#[template(path = "content/edit.html")]
struct EditPage {
    layout: AdminLayout,
    csrf: String,
    path: String,
    fields: Fields,
    errors: Vec<Problem>,
    preview: Option<Preview>,
    /// "Utkast sparat 2026-12-07 10:15 av Anna Berg".
    draft_note: Option<String>,
    updated: String,
    done: Option<&'static str>,
    versions: String,
    revisions: usize,
    translations: Vec<super::translating::Status>,
}

#[derive(Deserialize, Default)]
pub struct EditQuery {
    sida: Option<String>,
    klart: Option<String>,
}

/// No page named: back to the list to choose one.
fn to_list() -> Response {
    see_other("/admin/sidor")
}

pub async fn edit(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<EditQuery>,
) -> Result<Response, AppError> {
    // Without a page named, the list to choose from.
    let Some(path) = query.sida.filter(|p| !p.is_empty()) else {
        return Ok(to_list());
    };
    let page = store::page(&state.db, &path)
        .await?
        .ok_or(AppError::NotFound)?;
    let draft = store::draft(&state.db, &path).await?;
    let fields = match &draft {
        Some(d) => Fields {
            title: d.title.clone(),
            description: d.description.clone(),
            body: d.body_md.clone(),
            ..Fields::default()
        },
        None => Fields {
            title: page.title.clone(),
            description: page.description.clone(),
            body: page.body_md.clone(),
            ..Fields::default()
        },
    };
    let done = match query.klart.as_deref() {
        Some("sparat") => {
            Some("Utkastet är sparat. Sidan på webbplatsen är oförändrad tills du publicerar.")
        }
        Some("publicerad") => {
            Some("Sidan är publicerad. Den visas på webbplatsen inom några sekunder.")
        }
        Some("aterstallt") => Some(
            "Den äldre versionen är återställd som utkast. Förhandsgranska den och publicera när den stämmer.",
        ),
        _ => None,
    };
    render(
        &state,
        &staff,
        &page,
        draft.as_ref(),
        fields,
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
    page: &super::model::Page,
    draft: Option<&store::Draft>,
    fields: Fields,
    preview: Option<Preview>,
    done: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut errors = vec![];
    for (id, e) in [
        ("titel", &fields.title_error),
        ("beskrivning", &fields.description_error),
        ("text", &fields.body_error),
    ] {
        if let Some(text) = e {
            errors.push(Problem {
                href: format!("#{id}"),
                text: text.clone(),
            });
        }
    }
    let revisions = store::revisions(&state.db, &page.path).await?.len();
    let translations =
        super::translating::statuses(page, &store::translations(&state.db, &page.path).await?);
    let mut response = html(&EditPage {
        layout: staff_layout(state, staff, &format!("Redigera {}", page.title)),
        csrf: crate::auth::session::csrf_token(state, &staff.session),
        path: page.path.clone(),
        fields,
        errors,
        preview,
        draft_note: draft.map(|d| {
            format!(
                "Det finns ett utkast, sparat {} av {}. Det är inte publicerat.",
                format::stockholm(d.saved_at, format::MINUTE),
                d.saved_by.as_deref().unwrap_or("en borttagen användare")
            )
        }),
        updated: page.updated_on.to_string(),
        done,
        versions: format!("/admin/sidor/versioner?{}", query_of(&page.path)),
        revisions,
        translations,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// What is wrong with a text field, if anything.
fn check(value: &str, max: usize, required: &str, what: &str) -> Option<String> {
    crate::types::text::editor_problem(value, max, Some(required), what)
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form: HashMap<String, String> = read_form(&headers, body).await?;
    let path = field(&form, "sida").to_owned();
    if path.is_empty() {
        return Ok(to_list());
    }
    let page = store::page(&state.db, &path)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut fields = Fields {
        title: field(&form, "titel").trim().to_owned(),
        description: field(&form, "beskrivning").trim().to_owned(),
        body: field(&form, "text").replace("\r\n", "\n"),
        ..Fields::default()
    };
    fields.title_error = check(&fields.title, MAX_TITLE, "Skriv en rubrik.", "Rubriken");
    fields.description_error = check(
        &fields.description,
        MAX_DESCRIPTION,
        "Skriv en kort beskrivning av sidan.",
        "Beskrivningen",
    );
    fields.body_error = check(&fields.body, MAX_TEXT, "Skriv sidans text.", "Texten");
    let draft = store::draft(&state.db, &path).await?;
    let invalid = fields.title_error.is_some()
        || fields.description_error.is_some()
        || fields.body_error.is_some();
    let action = field(&form, "atgard");
    if invalid {
        return render(
            &state,
            &staff,
            &page,
            draft.as_ref(),
            fields,
            None,
            None,
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    if action != "spara" && action != "publicera" {
        // "Förhandsgranska": nothing is stored.
        let preview = Preview {
            title: fields.title.clone(),
            description: fields.description.clone(),
            body: super::markdown::render(&fields.body),
        };
        return render(
            &state,
            &staff,
            &page,
            draft.as_ref(),
            fields,
            Some(preview),
            None,
            StatusCode::OK,
        )
        .await;
    }
    let text = PageText {
        path: path.clone(),
        title: fields.title,
        description: fields.description,
        body_md: fields.body,
    };
    let now = state.clock.now();
    let done = if action == "publicera" {
        super::service::publish(
            &state.writer,
            staff.account_id,
            text,
            now,
            state.clock.today(),
        )
        .await?;
        "publicerad"
    } else {
        super::service::save_draft(&state.writer, staff.account_id, text, now).await?;
        "sparat"
    };
    Ok(see_other(&format!("{}&klart={done}", edit_href(&path))))
}
