//! `/admin/hjalp/oversattning?id=…&sprak=fi`: a service's words in one of
//! the other languages: its name, description, notes, link text and its
//! lines' labels and free-text hours. Numbers, hours and audiences are the
//! same in every language, so they are not here. Like a page's
//! translation, it records the date of the Swedish text it follows (the
//! service's date), shows as behind when the service changes until an
//! editor marks it current, and as not reviewed until an editor says so.
//! Saving is audited and reaches every instance within the poll interval.

use std::collections::HashMap;

use askama::Template;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;

use super::edit::{MAX_DESCRIPTION, MAX_LABEL, MAX_NAME, MAX_NOTE};
use super::model::{Organization, OrganizationText, PhoneText, Service, ServiceText};
use super::store;
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::types::text::editor_problem;
use crate::web::error::AppError;
use crate::web::field_errors::{message, FieldError};
use crate::web::i18n::TranslationLang;
use crate::web::layout::AdminLayout;
use crate::web::middleware::{field, read_form};
use crate::web::render::{html, see_other};
use crate::web::AppState;

/// A language's line in the service editor's list of translations.
pub struct Status {
    pub name: &'static str,
    pub href: String,
    /// "Saknas", "Följer tjänstens text från 2026-12-01", …
    pub state: String,
    pub behind: bool,
    pub reviewed: bool,
    pub exists: bool,
}

const SERVICE_FORM: &str = "/admin/hjalp/oversattning";
const ORGANIZATION_FORM: &str = "/admin/hjalp/organisation/oversattning";

/// A translation form (`SERVICE_FORM` or `ORGANIZATION_FORM`) for one
/// record and language.
fn href(form: &str, id: &str, lang: TranslationLang) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("id", id);
    query.append_pair("sprak", lang.code());
    format!("{form}?{}", query.finish())
}

fn is_behind(text: &ServiceText, service: &Service) -> bool {
    text.source_updated_on < service.updated_on
}

/// Every language with the state of the service's translation into it.
pub async fn statuses(state: &AppState, service: &Service) -> Result<Vec<Status>, AppError> {
    let texts = store::service_texts(&state.db, &service.id).await?;
    Ok(TranslationLang::ALL
        .iter()
        .map(|lang| {
            let t = texts
                .iter()
                .find(|(l, ..)| l == lang.code())
                .map(|(_, t, _)| t);
            Status {
                name: lang.swedish_name(),
                href: href(SERVICE_FORM, &service.id, *lang),
                state: match t {
                    None => "Saknas".to_owned(),
                    Some(t) if is_behind(t, service) => format!(
                        "Följer tjänstens text från {}; den har ändrats sedan dess",
                        t.source_updated_on
                    ),
                    Some(t) => format!("Följer tjänstens text från {}", t.source_updated_on),
                },
                behind: t.is_some_and(|t| is_behind(t, service)),
                reviewed: t.is_some_and(|t| t.reviewed),
                exists: t.is_some(),
            }
        })
        .collect())
}

/// One line of the service: its Swedish words and the translation's.
struct LineFields {
    id: String,
    /// The form fields' ids and hints.
    label_id: String,
    hours_id: String,
    label_hint: String,
    hours_hint: String,
    number: String,
    swedish_label: String,
    swedish_hours: Option<String>,
    label: String,
    hours: String,
}

#[derive(Default)]
struct Fields {
    name: String,
    description: String,
    interpretation: String,
    url_label: String,
    call_safety: String,
    lines: Vec<LineFields>,
    current: bool,
    reviewed: bool,
}

#[derive(Template)]
#[template(path = "help/admin_translation.html")]
struct TranslationPage {
    layout: AdminLayout,
    csrf: String,
    id: String,
    edit: String,
    lang: &'static str,
    html_lang: &'static str,
    dir: &'static str,
    swedish: Service,
    current_label: String,
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

    /// For a checkbox that cannot be wrong.
    fn none(&self) -> Option<&str> {
        None
    }
}

#[derive(Deserialize, Default)]
pub struct TranslationQuery {
    id: Option<String>,
    sprak: Option<String>,
    klart: Option<String>,
}

type Existing = Option<(ServiceText, HashMap<String, PhoneText>)>;

async fn load(
    state: &AppState,
    id: &str,
    lang: &str,
) -> Result<(Service, TranslationLang, Existing), AppError> {
    let lang = TranslationLang::from_code(lang).ok_or(AppError::NotFound)?;
    let service = store::services(&state.db)
        .await?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or(AppError::NotFound)?;
    let existing = store::service_texts(&state.db, id)
        .await?
        .into_iter()
        .find(|(l, ..)| l == lang.code())
        .map(|(_, t, lines)| (t, lines));
    Ok((service, lang, existing))
}

fn lines_of(service: &Service, existing: &Existing) -> Vec<LineFields> {
    service
        .phones
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let t = existing.as_ref().and_then(|(_, lines)| lines.get(&p.id));
            LineFields {
                id: p.id.clone(),
                label_id: format!("etikett-{n}"),
                hours_id: format!("tider-{n}"),
                label_hint: format!("På svenska: {}", p.label),
                hours_hint: format!("På svenska: {}", p.hours_text.as_deref().unwrap_or("")),
                number: p.number.clone(),
                swedish_label: p.label.clone(),
                swedish_hours: p.hours_text.clone(),
                label: t.map(|t| t.label.clone()).unwrap_or_default(),
                hours: t.and_then(|t| t.hours_text.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

pub async fn edit(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<TranslationQuery>,
) -> Result<Response, AppError> {
    let (Some(id), Some(lang)) = (
        query.id.filter(|p| !p.is_empty()),
        query.sprak.filter(|l| !l.is_empty()),
    ) else {
        return Ok(see_other("/admin/hjalp"));
    };
    let (service, lang, existing) = load(&state, &id, &lang).await?;
    let lines = lines_of(&service, &existing);
    let fields = match &existing {
        Some((t, _)) => Fields {
            name: t.name.clone(),
            description: t.description.clone(),
            interpretation: t.interpretation.clone().unwrap_or_default(),
            url_label: t.url_label.clone().unwrap_or_default(),
            call_safety: t.call_safety.clone().unwrap_or_default(),
            lines,
            current: !is_behind(t, &service),
            reviewed: t.reviewed,
        },
        None => Fields {
            lines,
            current: true,
            ..Fields::default()
        },
    };
    render(
        &state,
        &staff,
        service,
        lang,
        existing.as_ref().map(|(t, _)| t),
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
    service: Service,
    lang: TranslationLang,
    existing: Option<&ServiceText>,
    fields: Fields,
    errors: Vec<FieldError>,
    done: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut response = html(&TranslationPage {
        layout: staff_layout(
            state,
            staff,
            &format!("{} – {}", service.name, lang.swedish_name().to_lowercase()),
        ),
        csrf: crate::auth::session::csrf_token(state, &staff.session),
        id: service.id.clone(),
        edit: super::editing::edit_href(&service.id),
        lang: lang.code(),
        html_lang: lang.html_lang(),
        dir: lang.dir(),
        follows: existing.map(|t| t.source_updated_on.to_string()),
        behind: existing.is_some_and(|t| is_behind(t, &service)),
        current_label: format!(
            "Översättningen stämmer med tjänstens text från {}",
            service.updated_on
        ),
        swedish: service,
        fields,
        errors,
        done,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

/// An optional note: only where the Swedish service has one; empty keeps
/// the Swedish wording on the public page.
fn note(swedish: &Option<String>, text: &str) -> Option<String> {
    swedish
        .as_ref()
        .and_then(|_| Some(text.to_owned()).filter(|t| !t.is_empty()))
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form: HashMap<String, String> = read_form(&headers, body).await?;
    let id = field(&form, "id").to_owned();
    let lang = field(&form, "sprak").to_owned();
    if id.is_empty() || lang.is_empty() {
        return Ok(see_other("/admin/hjalp"));
    }
    let (service, lang, existing) = load(&state, &id, &lang).await?;
    let mut lines = lines_of(&service, &existing);
    for (n, line) in lines.iter_mut().enumerate() {
        line.label = field(&form, &format!("etikett-{n}")).trim().to_owned();
        line.hours = field(&form, &format!("tider-{n}")).trim().to_owned();
    }
    let fields = Fields {
        name: field(&form, "namn").trim().to_owned(),
        description: field(&form, "beskrivning").trim().to_owned(),
        interpretation: field(&form, "tolk").trim().to_owned(),
        url_label: field(&form, "lanktext").trim().to_owned(),
        call_safety: field(&form, "samtal").trim().to_owned(),
        lines,
        current: !field(&form, "aktuell").is_empty(),
        reviewed: !field(&form, "granskad").is_empty(),
    };
    let mut errors = vec![];
    let mut check = |id: String, value: &str, max: usize, required: Option<&str>, what: &str| {
        if let Some(text) = editor_problem(value, max, required, what) {
            errors.push(FieldError::new(&id, text));
        }
    };
    check(
        "namn".into(),
        &fields.name,
        MAX_NAME,
        Some("Skriv tjänstens namn på språket."),
        "Namnet",
    );
    check(
        "beskrivning".into(),
        &fields.description,
        MAX_DESCRIPTION,
        Some("Skriv vad tjänsten gör på språket."),
        "Beskrivningen",
    );
    check(
        "tolk".into(),
        &fields.interpretation,
        MAX_NOTE,
        None,
        "Texten om tolk",
    );
    check(
        "lanktext".into(),
        &fields.url_label,
        MAX_LABEL,
        None,
        "Länktexten",
    );
    check(
        "samtal".into(),
        &fields.call_safety,
        MAX_NOTE,
        None,
        "Texten om samtalet",
    );
    for (n, line) in fields.lines.iter().enumerate() {
        let required = (!line.swedish_label.is_empty()).then_some("Skriv linjens namn på språket.");
        check(
            format!("etikett-{n}"),
            &line.label,
            MAX_LABEL,
            required,
            "Linjens namn",
        );
        check(
            format!("tider-{n}"),
            &line.hours,
            MAX_NOTE,
            None,
            "Öppettiderna",
        );
    }
    // A new translation follows the service's text of today; an existing
    // one keeps the date it follows unless the editor marks it current.
    let source_updated_on = match (&existing, fields.current) {
        (Some((t, _)), false) => t.source_updated_on,
        _ => service.updated_on,
    };
    if !errors.is_empty() {
        let existing = existing.map(|(t, _)| t);
        return render(
            &state,
            &staff,
            service,
            lang,
            existing.as_ref(),
            fields,
            errors,
            false,
            StatusCode::BAD_REQUEST,
        );
    }
    let text = ServiceText {
        name: fields.name,
        description: fields.description,
        interpretation: note(&service.interpretation, &fields.interpretation),
        url_label: note(&service.url_label, &fields.url_label),
        call_safety: note(&service.call_safety, &fields.call_safety),
        source_updated_on,
        reviewed: fields.reviewed,
    };
    let lines = fields
        .lines
        .into_iter()
        .map(|l| {
            let hours_text = note(&l.swedish_hours, &l.hours);
            (
                l.id,
                PhoneText {
                    label: l.label,
                    hours_text,
                },
            )
        })
        .collect();
    super::service::save_translation(
        &state.writer,
        staff.account_id,
        id.clone(),
        lang.code(),
        text,
        lines,
        state.clock.now(),
        state.clock.today(),
    )
    .await?;
    Ok(see_other(&format!(
        "{}&klart=sparad",
        href(SERVICE_FORM, &id, lang)
    )))
}

// ---------------------------------------------------------------------------
// An organisation's description (shown in open data) in another language:
// `/admin/hjalp/organisation/oversattning?id=…&sprak=…`, the same rules.
// ---------------------------------------------------------------------------

/// Every language with the state of the organisation's description in it.
pub async fn organization_statuses(
    state: &AppState,
    organization: &Organization,
) -> Result<Vec<Status>, AppError> {
    let texts = store::organization_texts(&state.db, &organization.id).await?;
    Ok(TranslationLang::ALL
        .iter()
        .map(|lang| {
            let t = texts.iter().find(|(l, _)| l == lang.code()).map(|(_, t)| t);
            let behind = |t: &OrganizationText| t.source_updated_on < organization.updated_on;
            Status {
                name: lang.swedish_name(),
                href: href(ORGANIZATION_FORM, &organization.id, *lang),
                state: match t {
                    None => "Saknas".to_owned(),
                    Some(t) if behind(t) => format!(
                        "Följer organisationens text från {}; den har ändrats sedan dess",
                        t.source_updated_on
                    ),
                    Some(t) => format!("Följer organisationens text från {}", t.source_updated_on),
                },
                behind: t.is_some_and(behind),
                reviewed: t.is_some_and(|t| t.reviewed),
                exists: t.is_some(),
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "help/admin_organization_translation.html")]
struct OrganizationTranslationPage {
    layout: AdminLayout,
    csrf: String,
    id: String,
    edit: String,
    lang: &'static str,
    html_lang: &'static str,
    dir: &'static str,
    swedish: Organization,
    current_label: String,
    follows: Option<String>,
    behind: bool,
    description: String,
    current: bool,
    reviewed: bool,
    errors: Vec<FieldError>,
    done: bool,
}

impl OrganizationTranslationPage {
    fn err(&self, field: &str) -> Option<&str> {
        message(&self.errors, field)
    }

    fn none(&self) -> Option<&str> {
        None
    }
}

async fn load_organization(
    state: &AppState,
    id: &str,
    lang: &str,
) -> Result<(Organization, TranslationLang, Option<OrganizationText>), AppError> {
    let lang = TranslationLang::from_code(lang).ok_or(AppError::NotFound)?;
    let organization = store::organizations(&state.db)
        .await?
        .into_iter()
        .find(|o| o.id == id)
        .ok_or(AppError::NotFound)?;
    let existing = store::organization_texts(&state.db, id)
        .await?
        .into_iter()
        .find(|(l, _)| l == lang.code())
        .map(|(_, t)| t);
    Ok((organization, lang, existing))
}

struct OrganizationForm {
    description: String,
    current: bool,
    reviewed: bool,
}

#[allow(clippy::too_many_arguments)]
fn render_organization(
    state: &AppState,
    staff: &Staff,
    organization: Organization,
    lang: TranslationLang,
    existing: Option<&OrganizationText>,
    form: OrganizationForm,
    errors: Vec<FieldError>,
    done: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut response = html(&OrganizationTranslationPage {
        layout: staff_layout(
            state,
            staff,
            &format!(
                "{} – {}",
                organization.name,
                lang.swedish_name().to_lowercase()
            ),
        ),
        csrf: crate::auth::session::csrf_token(state, &staff.session),
        id: organization.id.clone(),
        edit: super::organizations::edit_href(&organization.id),
        lang: lang.code(),
        html_lang: lang.html_lang(),
        dir: lang.dir(),
        current_label: format!(
            "Översättningen stämmer med organisationens text från {}",
            organization.updated_on
        ),
        follows: existing.map(|t| t.source_updated_on.to_string()),
        behind: existing.is_some_and(|t| t.source_updated_on < organization.updated_on),
        swedish: organization,
        description: form.description,
        current: form.current,
        reviewed: form.reviewed,
        errors,
        done,
    })?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn edit_organization(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<TranslationQuery>,
) -> Result<Response, AppError> {
    let (Some(id), Some(lang)) = (
        query.id.filter(|p| !p.is_empty()),
        query.sprak.filter(|l| !l.is_empty()),
    ) else {
        return Ok(see_other("/admin/hjalp"));
    };
    let (organization, lang, existing) = load_organization(&state, &id, &lang).await?;
    let form = OrganizationForm {
        description: existing
            .as_ref()
            .map(|t| t.description.clone())
            .unwrap_or_default(),
        current: existing
            .as_ref()
            .is_none_or(|t| t.source_updated_on >= organization.updated_on),
        reviewed: existing.as_ref().is_some_and(|t| t.reviewed),
    };
    render_organization(
        &state,
        &staff,
        organization,
        lang,
        existing.as_ref(),
        form,
        vec![],
        query.klart.is_some(),
        StatusCode::OK,
    )
}

pub async fn submit_organization(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form: HashMap<String, String> = read_form(&headers, body).await?;
    let id = field(&form, "id").to_owned();
    let lang = field(&form, "sprak").to_owned();
    if id.is_empty() || lang.is_empty() {
        return Ok(see_other("/admin/hjalp"));
    }
    let (organization, lang, existing) = load_organization(&state, &id, &lang).await?;
    let input = OrganizationForm {
        description: field(&form, "beskrivning").trim().replace("\r\n", "\n"),
        current: !field(&form, "aktuell").is_empty(),
        reviewed: !field(&form, "granskad").is_empty(),
    };
    if let Some(text) = editor_problem(
        &input.description,
        MAX_DESCRIPTION,
        Some("Skriv vad organisationen är på språket."),
        "Beskrivningen",
    ) {
        return render_organization(
            &state,
            &staff,
            organization,
            lang,
            existing.as_ref(),
            input,
            vec![FieldError::new("beskrivning", text)],
            false,
            StatusCode::BAD_REQUEST,
        );
    }
    let source_updated_on = match (&existing, input.current) {
        (Some(t), false) => t.source_updated_on,
        _ => organization.updated_on,
    };
    let text = OrganizationText {
        description: input.description,
        source_updated_on,
        reviewed: input.reviewed,
    };
    super::service::save_organization_translation(
        &state.writer,
        staff.account_id,
        id.clone(),
        lang.code(),
        text,
        state.clock.now(),
        state.clock.today(),
    )
    .await?;
    Ok(see_other(&format!(
        "{}&klart=sparad",
        href(ORGANIZATION_FORM, &id, lang)
    )))
}
