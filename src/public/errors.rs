//! The public error pages: in the language of the address asked for, with
//! the help box and the quick exit,
//! since a visitor in danger may land on any of them. They need no
//! database: the help lines are in memory, and the 404 text (editable
//! content) is served stale from the page cache when the database is away.

use askama::Template;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::web::cache::Freshness;
use crate::web::compress::Encoding;
use crate::web::error::{AppError, ErrorPage};
use crate::web::i18n::Locale;
use crate::web::layout::{PageInfo, PublicLayout, TranslationState};
use crate::web::render::html;
use crate::web::AppState;

#[derive(Template)]
#[template(path = "public/error.html")]
struct ErrorTemplate {
    layout: PublicLayout,
    body: String,
    messages: Vec<String>,
}

fn layout(
    state: &AppState,
    locale: Locale,
    title: &str,
    translation: TranslationState,
) -> PublicLayout {
    PublicLayout::new(
        state,
        locale,
        PageInfo {
            path: "",
            title,
            description: title,
            updated: None,
            translation,
        },
    )
}

/// Replaces an error response with its page, keeping the headers that mean
/// something for the error (Allow on 405, Connection: close).
pub async fn render(
    state: &AppState,
    locale: Locale,
    response: Response,
    encoding: Encoding,
) -> Response {
    let status = response.status();
    let messages = response
        .extensions()
        .get::<ErrorPage>()
        .map(|e| e.messages.clone())
        .unwrap_or_default();
    let mut page = match page(state, locale, status, messages, encoding).await {
        Ok(page) => page,
        Err(e) => {
            tracing::error!(error = %e, "could not render error page");
            fallback(state, locale, status)
        }
    };
    *page.status_mut() = status;
    for name in [header::ALLOW, header::CONNECTION] {
        if let Some(v) = response.headers().get(&name) {
            page.headers_mut().insert(name, v.clone());
        }
    }
    page
}

/// The page for an error status. The 404 text is editable content and, like
/// the content pages, rendered once and kept in memory: unknown paths are
/// the cheapest requests to send in bulk.
async fn page(
    state: &AppState,
    locale: Locale,
    status: StatusCode,
    messages: Vec<String>,
    encoding: Encoding,
) -> Result<Response, AppError> {
    let t = state.i18n.catalogue(locale.0);
    if status == StatusCode::NOT_FOUND {
        let render = async {
            let (title, body, translation) =
                match crate::content::store::page_in(&state.db, "/404", locale.0).await? {
                    Some(page) => (page.title, page.body_html, page.state),
                    None => (
                        t.t("error-404-title").to_owned(),
                        String::new(),
                        TranslationState::Source,
                    ),
                };
            let layout = layout(state, locale, &title, translation);
            Ok((
                StatusCode::NOT_FOUND,
                ErrorTemplate {
                    layout,
                    body,
                    messages: vec![],
                }
                .render()?,
            ))
        };
        let key = format!("{}:!404", locale.0.code());
        return state
            .pages
            .serve(&*state.clock, encoding, &key, Freshness::Day, render)
            .await;
    }
    let (title_key, body_key) = keys(status);
    let title = t.t(title_key).to_owned();
    let body = format!("<p>{}</p>", crate::web::format::escape_html(t.t(body_key)));
    html(&ErrorTemplate {
        layout: layout(state, locale, &title, TranslationState::Source),
        body,
        messages,
    })
}

fn keys(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        403 => ("error-403-title", "error-403-body"),
        405 => ("error-405-title", "error-405-body"),
        409 => ("error-409-title", "error-409-body"),
        413 => ("error-413-title", "error-413-body"),
        400..=499 => ("error-400-title", "error-400-body"),
        _ => ("error-500-title", "error-500-body"),
    }
}

/// Used when even the error page cannot be built: still Swedish, still
/// with the help lines and the way out.
fn fallback(state: &AppState, locale: Locale, status: StatusCode) -> Response {
    let t = state.i18n.catalogue(locale.0);
    let title = t.t("error-500-title");
    let body = format!(
        "<p>{}</p>",
        crate::web::format::escape_html(t.t("error-500-body"))
    );
    html(&ErrorTemplate {
        layout: layout(state, locale, title, TranslationState::Source),
        body,
        messages: vec![],
    })
    .unwrap_or_else(|_| status.into_response())
}
