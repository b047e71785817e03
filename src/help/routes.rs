//! `/hjalp`: the help directory, filterable by audience with plain links.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;

use super::model::{Audience, PublicHours, Service};
use super::store;
use crate::web::cache::Freshness;
use crate::web::compress::Encoding;
use crate::web::error::AppError;
use crate::web::pages::{layout_with_services, render, Layout};
use crate::web::{format, AppState};

pub struct FilterLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

pub struct PhoneView {
    pub label: String,
    pub number: String,
    pub href: String,
    /// Status text and whether it says "open".
    pub status: Option<(String, bool)>,
    pub hours: Vec<String>,
    pub languages: Option<String>,
}

pub struct ServiceView {
    pub anchor: String,
    pub name: String,
    pub organization: String,
    pub description: String,
    pub emergency: bool,
    pub audiences: String,
    pub languages: Option<String>,
    pub interpretation: Option<String>,
    pub call_safety: Option<String>,
    /// Link target and the host shown beside it.
    pub url: Option<(String, String)>,
    pub verified: Option<(String, String)>,
    pub phones: Vec<PhoneView>,
}

#[derive(Template)]
#[template(path = "help/directory.html")]
struct DirectoryTemplate {
    layout: Layout,
    intro: String,
    filters: Vec<FilterLink>,
    filter_notice: Option<String>,
    heading: String,
    services: Vec<ServiceView>,
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

pub async fn directory(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    encoding: Encoding,
) -> Result<Response, AppError> {
    let requested = requested_audience(query.as_deref());
    // One cache entry per known filter; every unknown value renders the same
    // page (the value is never echoed), so they share one entry too.
    let key = match requested {
        Ok(None) => "/hjalp".to_owned(),
        Ok(Some(a)) => format!("/hjalp?for={}", a.slug()),
        Err(_) => "/hjalp?for=*".to_owned(),
    };
    let render_page = render_directory(&state, requested.map_err(|_| ()));
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

async fn render_directory(
    state: &AppState,
    requested: Result<Option<Audience>, ()>,
) -> Result<(axum::http::StatusCode, String), AppError> {
    const PATH: &str = "/hjalp";
    let t = &state.i18n.sv;
    let page = crate::content::store::page(&state.db, PATH)
        .await?
        .ok_or(AppError::NotFound)?;
    let services = store::services(&state.db).await?;
    let organizations = store::organizations(&state.db).await?;

    let (audience, filter_notice) = match requested {
        Ok(a) => (a, None),
        Err(_) => (None, Some(t.t("help-filter-unknown").to_owned())),
    };
    let now = state.clock.now();
    let shown: Vec<&Service> = services
        .iter()
        .filter(|s| s.is_public())
        .filter(|s| audience.is_none_or(|a| s.emergency || s.audiences.contains(&a)))
        .collect();

    let lang_names = |codes: &[String]| -> Option<String> {
        let names: Vec<&str> = codes
            .iter()
            // An unknown code shows as the code rather than a key name.
            .map(|c| t.get(&format!("lang-{c}")).unwrap_or(c))
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    };

    let views = shown
        .iter()
        .map(|s| ServiceView {
            anchor: format!("tjanst-{}", s.key),
            name: s.name.clone(),
            organization: organizations
                .iter()
                .find(|o| o.id == s.organization_id)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            description: s.description.clone(),
            emergency: s.emergency,
            audiences: s
                .audiences
                .iter()
                .map(|a| t.t(a.message_key()))
                .collect::<Vec<_>>()
                .join(", "),
            languages: lang_names(&s.languages),
            interpretation: s.interpretation.clone(),
            call_safety: s.call_safety.clone(),
            url: s.url.as_ref().and_then(|u| {
                let parsed = url::Url::parse(u).ok()?;
                let host = parsed.host_str()?.trim_start_matches("www.").to_owned();
                Some((u.clone(), host))
            }),
            verified: s
                .public_verified_on()
                .map(|d| (d.to_string(), format::date(t, d))),
            phones: s
                .public_phones()
                .map(|(phone, number)| {
                    let (status, hours) = match phone.public_hours() {
                        PublicHours::AlwaysOpen => {
                            (Some((t.t("hours-always").to_owned(), true)), vec![])
                        }
                        PublicHours::Schedule(h) => {
                            let status = h.status_at(now);
                            let open = matches!(status, super::OpenStatus::Open { .. });
                            (
                                Some((format::open_status(t, &status), open)),
                                format::schedule(t, h),
                            )
                        }
                        PublicHours::Text(text) => (None, vec![text.to_owned()]),
                        PublicHours::Unknown => (None, vec![]),
                    };
                    PhoneView {
                        label: phone.label.clone(),
                        number: number.display().to_owned(),
                        href: number.tel_href(),
                        status,
                        hours,
                        languages: lang_names(&phone.languages)
                            .filter(|_| phone.languages != s.languages),
                    }
                })
                .collect(),
        })
        .collect();

    let mut filters = vec![FilterLink {
        href: PATH.to_owned(),
        label: t.t("help-filter-all").to_owned(),
        current: audience.is_none(),
    }];
    filters.extend(Audience::ALL.iter().map(|a| FilterLink {
        href: format!("{PATH}?for={}", a.slug()),
        label: t.t(a.message_key()).to_owned(),
        current: audience == Some(*a),
    }));
    let heading = match audience {
        Some(a) => t.t_args(
            "help-count-for",
            &[
                ("count", shown.len().into()),
                ("audience", t.t(a.message_key()).into()),
            ],
        ),
        None => t.t_args("help-count", &[("count", shown.len().into())]),
    };

    // The page changes when the text or any listed service changes.
    let updated = services
        .iter()
        .filter(|s| s.is_public())
        .map(|s| s.updated_on)
        .chain(std::iter::once(page.updated_on))
        .max();
    let layout = layout_with_services(
        state,
        PATH,
        &page.title,
        &page.description,
        updated,
        &services,
    );
    render(&DirectoryTemplate {
        intro: page.body_html(),
        filters,
        filter_notice,
        heading,
        services: views,
        layout,
    })
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
