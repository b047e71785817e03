//! The shared page frame: what every public page shows around its content
//! (quick exit, header, navigation, help box, footer, last-updated line).

use std::sync::Arc;

use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;

use super::cache::Freshness;
use super::compress::Encoding;
use super::error::AppError;
use super::format;
use super::i18n::{Catalogue, I18n};
use super::AppState;
use crate::config::Municipality;
use crate::help::{self, PublicHours};

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// One line in the help box: a featured service's first public number.
pub struct HelpLine {
    pub name: String,
    pub number: String,
    pub href: String,
    pub note: Option<String>,
}

pub struct Layout {
    i18n: Arc<I18n>,
    pub lang: &'static str,
    pub dir: &'static str,
    pub title: String,
    /// The page's h1 when it differs from the title (e.g. "Fel: " prefix).
    pub heading: Option<String>,
    pub description: String,
    /// The stylesheet and the quick-exit script, inlined: nothing of the
    /// site stays in the browser's cache, and the first load is one request.
    /// Allowed by their hashes in the CSP.
    pub css: &'static str,
    pub js: &'static str,
    pub icon_url: String,
    pub nav: Vec<NavItem>,
    pub municipality: Municipality,
    pub municipality_phone: String,
    pub municipality_phone_href: String,
    pub help_lines: Vec<HelpLine>,
    pub help_box_first: bool,
    /// ISO date and its Swedish text.
    pub updated: Option<(String, String)>,
    pub exit_progress_2: String,
    pub exit_progress_1: String,
    /// The accessibility report form, with this page filled in.
    pub report_href: String,
}

impl Layout {
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.catalogue().t(key)
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.i18n.sv
    }
}

const NAV: &[(&str, &str)] = &[
    ("/", "nav-start"),
    ("/hjalp", "nav-help"),
    ("/orolig-for-nagon", "nav-worried"),
    ("/inte-ensam", "nav-not-alone"),
    ("/en-manad-fri-fran-vald", "nav-month"),
];

/// Builds the frame for a page at `path`; loads the help box from the
/// directory so it always shows the current featured numbers.
pub async fn layout(
    state: &AppState,
    path: &str,
    title: &str,
    description: &str,
    updated_on: Option<NaiveDate>,
) -> Result<Layout, AppError> {
    let services = help::store::services(&state.db).await?;
    Ok(layout_with_services(
        state,
        path,
        title,
        description,
        updated_on,
        &services,
    ))
}

pub fn layout_with_services(
    state: &AppState,
    path: &str,
    title: &str,
    description: &str,
    updated_on: Option<NaiveDate>,
    services: &[help::Service],
) -> Layout {
    let t = &state.i18n.sv;
    let mut featured: Vec<&help::Service> = services
        .iter()
        .filter(|s| s.is_public() && s.featured > 0 && !s.emergency)
        .collect();
    featured.sort_by_key(|s| s.featured);
    // Two services reached through the same number (the municipality's
    // switchboard) show it once.
    let mut numbers_shown = std::collections::HashSet::new();
    let help_lines = featured
        .into_iter()
        .filter_map(|s| {
            let (phone, number) = s.public_phones().next()?;
            if !numbers_shown.insert(number.dial().to_owned()) {
                return None;
            }
            let note = match phone.public_hours() {
                PublicHours::AlwaysOpen => Some(t.t("hours-always").to_owned()),
                _ => None,
            };
            Some(HelpLine {
                name: s.name.clone(),
                number: number.display().to_owned(),
                href: number.tel_href(),
                note,
            })
        })
        .collect();
    let phone =
        help::PhoneNumber::parse(&state.config.municipality.phone).expect("validated at start-up");
    Layout {
        i18n: state.i18n.clone(),
        lang: "sv",
        dir: "ltr",
        title: title.to_owned(),
        heading: None,
        description: description.to_owned(),
        css: state.assets.inline_css(),
        js: state.assets.inline_js(),
        icon_url: state.assets.url("icon").to_owned(),
        nav: NAV
            .iter()
            .map(|(href, key)| NavItem {
                href,
                label: t.t(key).to_owned(),
                current: *href == path,
            })
            .collect(),
        municipality: state.config.municipality.clone(),
        municipality_phone: phone.display().to_owned(),
        municipality_phone_href: phone.tel_href(),
        help_lines,
        // Where people look for help first, the numbers come before the text.
        help_box_first: path == "/" || path == "/hjalp",
        updated: updated_on.map(|d| (d.to_string(), format::date(t, d))),
        exit_progress_2: t.t_attr("exit-progress", &[("remaining", 2.into())]),
        exit_progress_1: t.t_attr("exit-progress", &[("remaining", 1.into())]),
        report_href: if path.is_empty() {
            "/tillganglighet/rapportera".to_owned()
        } else {
            format!(
                "/tillganglighet/rapportera?sida={}",
                url::form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>()
            )
        },
    }
}

/// Renders a page for the cache: status and HTML.
pub fn render(template: &impl Template) -> Result<(StatusCode, String), AppError> {
    Ok((StatusCode::OK, template.render()?))
}

pub fn html(template: &impl Template) -> Result<Response, AppError> {
    Ok(html_string(template.render()?))
}

/// A rendered page as a response.
pub fn html_string(body: String) -> Response {
    let mut response = Html(body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    layout: Layout,
    body: String,
}

/// The page for an error status. The 404 text is editable content and, like
/// the content pages, rendered once and kept in memory: unknown paths are
/// the cheapest requests to send in bulk.
pub async fn error_page(
    state: &AppState,
    status: StatusCode,
    encoding: Encoding,
) -> Result<Response, AppError> {
    let t = &state.i18n.sv;
    if status == StatusCode::NOT_FOUND {
        let render = async {
            let (title, body) = match crate::content::store::page(&state.db, "/404").await? {
                Some(page) => (page.title.clone(), page.body_html()),
                None => (t.t("error-404-title").to_owned(), String::new()),
            };
            let layout = layout(state, "", &title, &title, None).await?;
            Ok((
                StatusCode::NOT_FOUND,
                ErrorTemplate { layout, body }.render()?,
            ))
        };
        return state
            .pages
            .serve(&*state.clock, encoding, "!404", Freshness::Day, render)
            .await;
    }
    let (title_key, body_key) = match status.as_u16() {
        405 => ("error-405-title", "error-405-body"),
        413 => ("error-413-title", "error-413-body"),
        400..=499 => ("error-400-title", "error-400-body"),
        _ => ("error-500-title", "error-500-body"),
    };
    let title = t.t(title_key).to_owned();
    let body = format!("<p>{}</p>", askama_escape(t.t(body_key)));
    let layout = layout(state, "", &title, &title, None).await?;
    html(&ErrorTemplate { layout, body })
}

/// Used when even the error page cannot be built (e.g. the database is
/// down): still Swedish, still with 112 and the way out.
pub fn fallback_error_page(state: &AppState, status: StatusCode) -> Response {
    let t = &state.i18n.sv;
    let layout = layout_with_services(state, "", t.t("error-500-title"), "", None, &[]);
    let body = format!("<p>{}</p>", askama_escape(t.t("error-500-body")));
    html(&ErrorTemplate { layout, body }).unwrap_or_else(|_| status.into_response())
}

fn askama_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
