//! Handlers for the editorial pages, the accessibility statement and the
//! privacy notice.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::NaiveDate;

use super::model::{Page, ShownPage, StatementItem, TranslationState};
use super::store;
use crate::web::cache::Freshness;
use crate::web::compress::Encoding;
use crate::web::error::AppError;
use crate::web::i18n::{Lang, Locale};
use crate::web::layout::{PageInfo, PublicLayout};
use crate::web::render::render;
use crate::web::{format, AppState};

/// The editorial pages that are plain Markdown.
const PAGES: &[&str] = &["/", "/orolig-for-nagon", "/inte-ensam", "/dolj-ditt-besok"];

pub fn router() -> Router<AppState> {
    let mut router = Router::new()
        .route("/tillganglighet", get(statement))
        .route("/personuppgifter", get(privacy));
    // The pages in every language; each handler reads its language from
    // the path (see `Locale`).
    for lang in Lang::ALL {
        for path in PAGES {
            router = router.route(
                &lang.url(path),
                get(
                    move |State(state): State<AppState>, locale: Locale, encoding: Encoding| {
                        page(state, locale, encoding, path)
                    },
                ),
            );
        }
        if lang != Lang::Sv {
            // `/fi` is the Finnish start page's address without its slash.
            let start = lang.url("/");
            router = router.route(
                lang.path_prefix(),
                get(move || async move { crate::web::render::moved_permanently(&start) }),
            );
        }
    }
    router
}

/// The frame for a Swedish-only page of this module, from its stored
/// title and a date.
fn frame(state: &AppState, locale: Locale, page: &Page, updated: NaiveDate) -> PublicLayout {
    PublicLayout::new(
        state,
        locale,
        PageInfo {
            path: &page.path,
            title: &page.title,
            description: &page.description,
            updated: Some(updated),
            translation: TranslationState::Source,
        },
    )
}

/// The frame for a page in the reader's language.
fn frame_shown(
    state: &AppState,
    locale: Locale,
    page: &ShownPage,
    updated: NaiveDate,
) -> PublicLayout {
    PublicLayout::new(
        state,
        locale,
        PageInfo {
            path: &page.path,
            title: &page.title,
            description: &page.description,
            updated: Some(updated),
            translation: page.state,
        },
    )
}

/// Serves `path` from the page cache, rendering it with `render_page`.
async fn serve(
    state: &AppState,
    locale: Locale,
    encoding: Encoding,
    path: &str,
    render_page: impl std::future::Future<Output = Result<(axum::http::StatusCode, String), AppError>>,
) -> Result<Response, AppError> {
    let key = format!("{}:{path}", locale.0.code());
    state
        .pages
        .serve(&*state.clock, encoding, &key, Freshness::Day, render_page)
        .await
}

#[derive(Template)]
#[template(path = "content/page.html")]
struct PageTemplate {
    layout: PublicLayout,
    body: String,
    /// The contact form's topic for the page's "write to us" link.
    contact_topic: Option<&'static str>,
}

async fn load(state: &AppState, path: &str) -> Result<Page, AppError> {
    store::page(&state.db, path)
        .await?
        .ok_or(AppError::NotFound)
}

async fn load_in(state: &AppState, path: &str, locale: Locale) -> Result<ShownPage, AppError> {
    store::page_in(&state.db, path, locale.0)
        .await?
        .ok_or(AppError::NotFound)
}

/// Pages about the municipality's own work end with how to contact it,
/// with the contact form's topic already chosen.
fn contact_topic(path: &str) -> Option<&'static str> {
    match path {
        "/inte-ensam" => Some("inte-ensam"),
        "/en-manad-fri-fran-vald" => Some("manad"),
        _ => None,
    }
}

/// A plain editorial page at `path`.
async fn page(
    state: AppState,
    locale: Locale,
    encoding: Encoding,
    path: &'static str,
) -> Result<Response, AppError> {
    let render_page = async {
        let page = load_in(&state, path, locale).await?;
        let layout = frame_shown(&state, locale, &page, page.updated_on);
        render(&PageTemplate {
            body: page.body_html,
            contact_topic: contact_topic(path),
            layout,
        })
    };
    serve(&state, locale, encoding, path, render_page).await
}

#[derive(Template)]
#[template(path = "content/statement.html")]
struct StatementTemplate {
    layout: PublicLayout,
    intro: String,
    s: super::model::Statement,
    compliance: String,
    compliance_sentence: String,
    assessed: String,
    updated: String,
    nonconformities: Vec<StatementItem>,
    burden: Vec<StatementItem>,
    outside: Vec<StatementItem>,
    other: Vec<StatementItem>,
    answer_time: String,
    /// The editorial text on compliance, unless it was written for
    /// another status than the list now gives (a problem published from a
    /// case makes a "helt" statement "delvis").
    compliance_text: String,
}

async fn statement(
    State(state): State<AppState>,
    locale: Locale,
    encoding: Encoding,
) -> Result<Response, AppError> {
    const PATH: &str = "/tillganglighet";
    let render_page = async {
        let page = load(&state, PATH).await?;
        let (s, items) = store::statement(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let t = state.i18n.catalogue(locale.0);
        let days = store::accessibility_answer_days(&state.db).await?;
        // Problems confirmed from accessibility reports join the list of
        // nonconformities until they are fixed.
        let mut items = items;
        items.extend(
            store::listed_problems(&state.db)
                .await?
                .into_iter()
                .map(|p| StatementItem {
                    kind: "nonconformity".to_owned(),
                    title: super::wcag::label(&p.criterion),
                    description: p.description,
                    criterion: String::new(),
                    reason: p.reason,
                    planned_fix: Some(format::date(t, p.planned_fix_on)),
                }),
        );
        let status = s.status(&items);
        let pick = |kind: &str| {
            items
                .iter()
                .filter(|i| i.kind == kind)
                .cloned()
                .collect::<Vec<_>>()
        };
        let updated_on = s.updated_on.max(page.updated_on);
        let layout = frame(&state, locale, &page, updated_on);
        render(&StatementTemplate {
            intro: page.body_html(),
            compliance: t.t(status.message_key()).to_owned(),
            compliance_sentence: t.t(status.sentence_key()).to_owned(),
            assessed: format::date(t, s.assessed_on),
            updated: format::date(t, s.updated_on),
            nonconformities: pick("nonconformity"),
            burden: pick("burden"),
            outside: pick("outside_scope"),
            other: pick("other"),
            answer_time: t.t_attr("answer-time", &[("days", days.into())]),
            compliance_text: if status.code() == s.compliance {
                s.compliance_text.clone()
            } else {
                String::new()
            },
            s,
            layout,
        })
    };
    serve(&state, locale, encoding, PATH, render_page).await
}

pub struct RetentionView {
    pub case_type: String,
    pub months: i64,
}

#[derive(Template)]
#[template(path = "content/privacy.html")]
struct PrivacyTemplate {
    layout: PublicLayout,
    body: String,
    notice: Option<super::model::PrivacyNotice>,
    retention: Vec<RetentionView>,
}

/// `/personuppgifter`: the privacy notice every form links to. The text is
/// editorial; who is responsible, the data protection officer and how long
/// each kind of case is kept come from data.
async fn privacy(
    State(state): State<AppState>,
    locale: Locale,
    encoding: Encoding,
) -> Result<Response, AppError> {
    const PATH: &str = "/personuppgifter";
    let render_page = async {
        let page = load(&state, PATH).await?;
        let notice = store::privacy_notice(&state.db).await?;
        let t = state.i18n.catalogue(locale.0);
        let retention = store::retention_months(&state.db)
            .await?
            .into_iter()
            .map(|(kind, months)| RetentionView {
                case_type: t
                    .t(&format!("case-type-{}", kind.to_lowercase()))
                    .to_owned(),
                months,
            })
            .collect();
        let updated = notice
            .as_ref()
            .map_or(page.updated_on, |n| n.updated_on.max(page.updated_on));
        let layout = frame(&state, locale, &page, updated);
        render(&PrivacyTemplate {
            body: page.body_html(),
            notice,
            retention,
            layout,
        })
    };
    serve(&state, locale, encoding, PATH, render_page).await
}
