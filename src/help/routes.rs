//! `/hjalp`: the help directory, filterable by audience with plain links.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;

use super::model::Audience;
use super::service;
use super::view::{self, FilterLink, GroupView};
use crate::web::cache::Freshness;
use crate::web::compress::Encoding;
use crate::web::error::AppError;
use crate::web::i18n::{Lang, Locale};
use crate::web::layout::{PageInfo, PublicLayout};
use crate::web::render::render;
use crate::web::AppState;

const PATH: &str = "/hjalp";

pub fn router() -> Router<AppState> {
    Lang::ALL.into_iter().fold(Router::new(), |r, lang| {
        r.route(&lang.url(PATH), get(directory))
    })
}

#[derive(Template)]
#[template(path = "help/directory.html")]
struct DirectoryTemplate {
    layout: PublicLayout,
    intro: String,
    filters: Vec<FilterLink>,
    filter_notice: Option<String>,
    heading: String,
    groups: Vec<GroupView>,
    verified: Option<String>,
}

/// The audience asked for in `?for=`; `Err` for a value we do not know.
fn requested_audience(query: Option<&str>) -> Result<Option<Audience>, String> {
    let Some(query) = query else { return Ok(None) };
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        if key == "for" {
            if value.is_empty() {
                return Ok(None);
            }
            return Audience::from_slug(&value)
                .map(Some)
                .ok_or_else(|| value.into_owned());
        }
    }
    Ok(None)
}

async fn directory(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    locale: Locale,
    encoding: Encoding,
) -> Result<Response, AppError> {
    let requested = requested_audience(query.as_deref());
    // One cache entry per known filter; every unknown value renders the same
    // page (the value is never echoed), so they share one entry too.
    let key = match requested {
        Ok(None) => format!("{}:{PATH}", locale.0.code()),
        Ok(Some(a)) => format!("{}:{PATH}?for={}", locale.0.code(), a.slug()),
        Err(_) => format!("{}:{PATH}?for=*", locale.0.code()),
    };
    let render_page = async {
        let t = state.i18n.catalogue(locale.0);
        let page = crate::content::store::page_in(&state.db, PATH, locale.0)
            .await?
            .ok_or(AppError::NotFound)?;
        let (services, organizations, untranslated) =
            service::directory_in(&state.db, locale.0).await?;
        let (audience, filter_notice) = match requested {
            Ok(a) => (a, None),
            Err(_) => (None, Some(t.t("help-filter-unknown").to_owned())),
        };
        let place = view::place_name(&state.config.municipality.name);
        let list = view::directory(
            t,
            &locale.0.url(PATH),
            &services,
            &organizations,
            &untranslated,
            audience,
            place,
            state.clock.now(),
        );
        // The page changes when the text or any listed service changes.
        let updated = list.updated.into_iter().chain([page.updated_on]).max();
        let intro = page.body_html;
        let layout = PublicLayout::new(
            &state,
            locale,
            PageInfo {
                path: PATH,
                title: &page.title,
                description: &page.description,
                updated,
                translation: page.state,
            },
        );
        render(&DirectoryTemplate {
            intro,
            filters: list.filters,
            filter_notice,
            heading: list.heading,
            groups: list.groups,
            verified: list.verified,
            layout,
        })
    };
    state
        .pages
        .serve(
            &*state.clock,
            encoding,
            &key,
            Freshness::Minute,
            render_page,
        )
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audience_filter_parsing() {
        assert_eq!(requested_audience(None), Ok(None));
        assert_eq!(
            requested_audience(Some("for=granne")),
            Ok(Some(Audience::Concerned))
        );
        assert_eq!(
            requested_audience(Some("x=1&for=barn")),
            Ok(Some(Audience::Young))
        );
        assert_eq!(requested_audience(Some("for=")), Ok(None));
        assert!(requested_audience(Some("for=%FF%FE")).is_err());
        assert!(requested_audience(Some("for=okand")).is_err());
    }
}
