//! Handlers for the editorial pages and the accessibility statement.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Datelike;

use super::model::{Page, StatementItem};
use super::store;
use crate::web::cache::Freshness;
use crate::web::compress::Encoding;
use crate::web::error::AppError;
use crate::web::pages::{layout, render, Layout};
use crate::web::{format, AppState};

#[derive(Template)]
#[template(path = "content/page.html")]
struct PageTemplate {
    layout: Layout,
    body: String,
    campaign_note: Option<String>,
    show_contact: bool,
}

async fn load(state: &AppState, path: &str) -> Result<Page, AppError> {
    store::page(&state.db, path)
        .await?
        .ok_or(AppError::NotFound)
}

/// A plain editorial page at `path`.
pub async fn page(
    state: AppState,
    encoding: Encoding,
    path: &'static str,
) -> Result<Response, AppError> {
    let render_page = async {
        let page = load(&state, path).await?;
        let updated = Some(page.updated_on);
        let layout = layout(&state, path, &page.title, &page.description, updated).await?;
        render(&PageTemplate {
            body: page.body_html(),
            campaign_note: None,
            show_contact: path == "/inte-ensam",
            layout,
        })
    };
    state
        .pages
        .serve(&*state.clock, encoding, path, Freshness::Day, render_page)
        .await
}

/// The campaign month: until events exist, say when the programme comes,
/// never a made-up list.
pub async fn campaign(
    State(state): State<AppState>,
    encoding: Encoding,
) -> Result<Response, AppError> {
    const PATH: &str = "/en-manad-fri-fran-vald";
    let render_page = async {
        let page = load(&state, PATH).await?;
        let year = i64::from(state.clock.today().year());
        let month = store::campaign_month(&state.db, year).await?;
        let t = &state.i18n.sv;
        let note = match month.as_ref().and_then(|m| m.programme_published_on) {
            Some(date) => t.t_args(
                "campaign-programme-on",
                &[
                    ("year", year.into()),
                    ("date", format::date(t, date).into()),
                ],
            ),
            None => t.t_args("campaign-programme-later", &[("year", year.into())]),
        };
        let updated = month
            .map(|m| m.updated_on.max(page.updated_on))
            .unwrap_or(page.updated_on);
        let layout = layout(&state, PATH, &page.title, &page.description, Some(updated)).await?;
        render(&PageTemplate {
            body: page.body_html(),
            campaign_note: Some(note),
            show_contact: true,
            layout,
        })
    };
    state
        .pages
        .serve(&*state.clock, encoding, PATH, Freshness::Day, render_page)
        .await
}

#[derive(Template)]
#[template(path = "content/statement.html")]
struct StatementTemplate {
    layout: Layout,
    intro: String,
    s: super::model::Statement,
    compliance: String,
    assessed: String,
    updated: String,
    nonconformities: Vec<StatementItem>,
    burden: Vec<StatementItem>,
    outside: Vec<StatementItem>,
}

pub async fn statement(
    State(state): State<AppState>,
    encoding: Encoding,
) -> Result<Response, AppError> {
    const PATH: &str = "/tillganglighet";
    let render_page = async {
        let page = load(&state, PATH).await?;
        let (s, items) = store::statement(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let t = &state.i18n.sv;
        let compliance = t
            .t(match s.compliance.as_str() {
                "helt" => "compliance-full",
                "inte" => "compliance-none",
                _ => "compliance-partial",
            })
            .to_owned();
        let pick = |kind: &str| {
            items
                .iter()
                .filter(|i| i.kind == kind)
                .cloned()
                .collect::<Vec<_>>()
        };
        let updated_on = s.updated_on.max(page.updated_on);
        let layout = layout(
            &state,
            PATH,
            &page.title,
            &page.description,
            Some(updated_on),
        )
        .await?;
        render(&StatementTemplate {
            intro: page.body_html(),
            compliance,
            assessed: format::date(t, s.assessed_on),
            updated: format::date(t, s.updated_on),
            nonconformities: pick("nonconformity"),
            burden: pick("burden"),
            outside: pick("outside_scope"),
            s,
            layout,
        })
    };
    state
        .pages
        .serve(&*state.clock, encoding, PATH, Freshness::Day, render_page)
        .await
}
