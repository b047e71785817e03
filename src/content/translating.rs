//! `/admin/sidor/oversattning?sida=/path&sprak=fi`: a page's text in one
//! of the other languages. Swedish is the source: a translation records
//! the date of the Swedish text it follows, so a change to the Swedish
//! page shows the translation as behind until an editor marks it current;
//! it is also marked as not reviewed by a first-language speaker until an
//! editor says it is. Saving is audited and reaches every instance within
//! the poll interval.

use std::collections::HashMap;

use askama::Template;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;

use super::editing::{query_of, MAX_DESCRIPTION, MAX_TEXT, MAX_TITLE};
use super::model::{Page, PageTranslation, TranslationLang};
use super::store::{self, TranslationText};
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::types::text::editor_problem;
use crate::web::error::AppError;
use crate::web::field_errors::{message, FieldError};
use crate::web::layout::AdminLayout;
use crate::web::middleware::{field, read_form};
use crate::web::render::{html, see_other};
use crate::web::AppState;

/// A language's line in the page editor's list of translations.
pub struct Status {
    pub name: &'static str,
    pub href: String,
    /// "Saknas", "Följer den svenska texten från 2026-12-01", …
    pub state: String,
    pub behind: bool,
    pub reviewed: bool,
    pub exists: bool,
}

fn href(path: &str, lang: TranslationLang) -> String {
    format!(
        "/admin/sidor/oversattning?{}&sprak={}",
        query_of(path),
        lang.code()
    )
}

/// Every language with the state of the page's translation into it.
pub fn statuses(page: &Page, translations: &[PageTranslation]) -> Vec<Status> {
    TranslationLang::ALL
        .iter()
        .map(|lang| {
            let t = translations.iter().find(|t| t.lang == lang.code());
            Status {
                name: lang.swedish_name(),
                href: href(&page.path, *lang),
                state: match t {
                    None => "Saknas".to_owned(),
                    Some(t) if t.is_behind(page.updated_on) => format!(
                        "Följer den svenska texten från {}; den har ändrats sedan dess",
                        t.source_updated_on
                    ),
                    Some(t) => format!("Följer den svenska texten från {}", t.source_updated_on),
                },
                behind: t.is_some_and(|t| t.is_behind(page.updated_on)),
                reviewed: t.is_some_and(|t| t.reviewed),
                exists: t.is_some(),
            }
        })
        .collect()
}

#[derive(Default)]
struct Fields {
    title: String,
    description: String,
    body: String,
    current: bool,
    reviewed: bool,
}

#[derive(Template)]
#[template(path = "content/translation.html")]
struct TranslationPage {
    layout: AdminLayout,
    csrf: String,
    path: String,
    edit: String,
    lang: &'static str,
    html_lang: &'static str,
    dir: &'static str,
    swedish: Page,
    follows: Option<String>,
    behind: bool,
    fields: Fields,
    errors: Vec<FieldError>,
    done: bool,
}

impl TranslationPage {
    fn err(&self, field: &str) -> Option<&str> {
        message(&self.errors, field)
    }
}

#[derive(Deserialize, Default)]
pub struct TranslationQuery {
    sida: Option<String>,
    sprak: Option<String>,
    klart: Option<String>,
}

async fn load(
    state: &AppState,
    path: &str,
    lang: &str,
) -> Result<(Page, TranslationLang, Option<PageTranslation>), AppError> {
    let lang = TranslationLang::from_code(lang).ok_or(AppError::NotFound)?;
    let page = store::page(&state.db, path)
        .await?
        .ok_or(AppError::NotFound)?;
    let existing = store::translations(&state.db, path)
        .await?
        .into_iter()
        .find(|t| t.lang == lang.code());
    Ok((page, lang, existing))
}

pub async fn edit(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<TranslationQuery>,
) -> Result<Response, AppError> {
    let (Some(path), Some(lang)) = (
        query.sida.filter(|p| !p.is_empty()),
        query.sprak.filter(|l| !l.is_empty()),
    ) else {
        return Ok(see_other("/admin/sidor"));
    };
    let (page, lang, existing) = load(&state, &path, &lang).await?;
    let fields = match &existing {
        Some(t) => Fields {
            title: t.title.clone(),
            description: t.description.clone(),
            body: t.body_md.clone(),
            current: !t.is_behind(page.updated_on),
            reviewed: t.reviewed,
        },
        None => Fields {
            current: true,
            ..Fields::default()
        },
    };
    render(
        &state,
        &staff,
        page,
        lang,
        existing.as_ref(),
        fields,
        vec![],
        query.klart.is_some(),
        StatusCode::OK,
    )
}

#[allow(clippy::too_many_arguments)]
fn render(
    state: &AppState,
    staff: &Staff,
    page: Page,
    lang: TranslationLang,
    existing: Option<&PageTranslation>,
    fields: Fields,
    errors: Vec<FieldError>,
    done: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut response = html(&TranslationPage {
        layout: staff_layout(
            state,
            staff,
            &format!("{} – {}", page.title, lang.swedish_name().to_lowercase()),
        ),
        csrf: crate::auth::session::csrf_token(state, &staff.session),
        path: page.path.clone(),
        edit: super::editing::edit_href(&page.path),
        lang: lang.code(),
        html_lang: lang.html_lang(),
        dir: lang.dir(),
        follows: existing.map(|t| t.source_updated_on.to_string()),
        behind: existing.is_some_and(|t| t.is_behind(page.updated_on)),
        swedish: page,
        fields,
        errors,
        done,
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
    let path = field(&form, "sida").to_owned();
    let lang = field(&form, "sprak").to_owned();
    if path.is_empty() || lang.is_empty() {
        return Ok(see_other("/admin/sidor"));
    }
    let (page, lang, existing) = load(&state, &path, &lang).await?;
    let fields = Fields {
        title: field(&form, "titel").trim().to_owned(),
        description: field(&form, "beskrivning").trim().to_owned(),
        body: field(&form, "text").replace("\r\n", "\n"),
        current: !field(&form, "aktuell").is_empty(),
        reviewed: !field(&form, "granskad").is_empty(),
    };
    let mut errors = vec![];
    for (id, value, max, required, what) in [
        (
            "titel",
            &fields.title,
            MAX_TITLE,
            "Skriv sidans rubrik på språket.",
            "Rubriken",
        ),
        (
            "beskrivning",
            &fields.description,
            MAX_DESCRIPTION,
            "Skriv en kort beskrivning på språket.",
            "Beskrivningen",
        ),
        (
            "text",
            &fields.body,
            MAX_TEXT,
            "Skriv sidans text på språket.",
            "Texten",
        ),
    ] {
        if let Some(text) = editor_problem(value, max, Some(required), what) {
            errors.push(FieldError::new(id, text));
        }
    }
    // A new translation follows today's Swedish text; an existing one
    // keeps the date it follows unless the editor marks it current.
    let source_updated_on = match (&existing, fields.current) {
        (Some(t), false) => t.source_updated_on,
        _ => page.updated_on,
    };
    if !errors.is_empty() {
        return render(
            &state,
            &staff,
            page,
            lang,
            existing.as_ref(),
            fields,
            errors,
            false,
            StatusCode::BAD_REQUEST,
        );
    }
    let text = TranslationText {
        path: path.clone(),
        lang,
        title: fields.title,
        description: fields.description,
        body_md: fields.body,
        source_updated_on,
        reviewed: fields.reviewed,
    };
    super::service::save_translation(
        &state.writer,
        staff.account_id,
        text,
        state.clock.now(),
        state.clock.today(),
    )
    .await?;
    Ok(see_other(&format!("{}&klart=sparad", href(&path, lang))))
}
