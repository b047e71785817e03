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
    /// Shown only when a service has more than one number.
    pub label: Option<String>,
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
    pub organization: Option<String>,
    pub description: String,
    pub emergency: bool,
    pub audiences: String,
    pub languages: Option<String>,
    pub interpretation: Option<String>,
    pub call_safety: Option<String>,
    /// Link target and its text.
    pub url: Option<(String, String)>,
    pub phones: Vec<PhoneView>,
}

/// Services shown together under one heading: emergency first, then the
/// municipality's own, then the national lines.
pub struct GroupView {
    pub id: &'static str,
    pub heading: String,
    pub services: Vec<ServiceView>,
}

#[derive(Template)]
#[template(path = "help/directory.html")]
struct DirectoryTemplate {
    layout: Layout,
    intro: String,
    filters: Vec<FilterLink>,
    filter_notice: Option<String>,
    heading: String,
    groups: Vec<GroupView>,
    /// When the listed numbers and hours were checked, in small print.
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
    let view = |s: &Service| {
        let phones: Vec<_> = s.public_phones().collect();
        let several = phones.len() > 1;
        ServiceView {
            anchor: format!("tjanst-{}", s.key),
            name: s.name.clone(),
            organization: organizations
                .iter()
                .find(|o| o.id == s.organization_id)
                .map(|o| o.name.clone())
                .filter(|o| *o != s.name),
            description: s.description.clone(),
            emergency: s.emergency,
            audiences: s
                .audiences
                .iter()
                .map(|a| lowercase_first(t.t(a.message_key())))
                .collect::<Vec<_>>()
                .join(", "),
            languages: lang_names(&s.languages),
            interpretation: s.interpretation.clone(),
            call_safety: s.call_safety.clone(),
            url: s.url.as_ref().and_then(|u| {
                let parsed = url::Url::parse(u).ok()?;
                let host = parsed.host_str()?.trim_start_matches("www.").to_owned();
                let text = match &s.url_label {
                    Some(label) => format!("{label} ({host})"),
                    None => format!("{} ({host})", t.t("service-website")),
                };
                Some((u.clone(), text))
            }),
            phones: phones
                .into_iter()
                .map(|(phone, number)| {
                    let (status, hours) = match phone.public_hours() {
                        PublicHours::AlwaysOpen => {
                            (Some((t.t("hours-always").to_owned(), true)), vec![])
                        }
                        PublicHours::Schedule(h) => {
                            let status = h.status_on_calendar(now);
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
                        label: Some(phone.label.clone()).filter(|l| several && !l.is_empty()),
                        number: number.display().to_owned(),
                        href: number.tel_href(),
                        status,
                        hours,
                        languages: lang_names(&phone.languages)
                            .filter(|_| phone.languages != s.languages),
                    }
                })
                .collect(),
        }
    };
    let place = place_name(&state.config.municipality.name);
    let groups: Vec<GroupView> = [
        ("akut", t.t("help-group-emergency").to_owned()),
        (
            "lokalt",
            t.t_args("help-group-local", &[("place", place.into())]),
        ),
        ("nationellt", t.t("help-group-national").to_owned()),
    ]
    .into_iter()
    .map(|(id, heading)| GroupView {
        id,
        heading,
        services: shown
            .iter()
            .filter(|s| group_of(s) == id)
            .map(|s| view(s))
            .collect(),
    })
    .filter(|g| !g.services.is_empty())
    .collect();
    let dates: Vec<_> = shown
        .iter()
        .filter_map(|s| s.public_verified_on())
        .collect();
    let verified = match (dates.iter().min(), dates.iter().max()) {
        (Some(first), Some(last)) if first == last => Some(t.t_args(
            "help-verified-on",
            &[("date", format::date(t, *first).into())],
        )),
        (Some(first), Some(last)) => Some(t.t_args(
            "help-verified-between",
            &[
                ("first", format::date(t, *first).into()),
                ("last", format::date(t, *last).into()),
            ],
        )),
        _ => None,
    };

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
                ("audience", t.t(a.for_key()).into()),
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
        groups,
        verified,
        layout,
    })
}

/// The group a service is listed under.
fn group_of(s: &Service) -> &'static str {
    if s.emergency {
        "akut"
    } else if s.area == super::model::Area::Local {
        "lokalt"
    } else {
        "nationellt"
    }
}

/// "Järfälla" from "Järfälla kommun" (or "Solna" from "Solna stad"), for
/// the heading of the municipality's own services.
fn place_name(municipality: &str) -> &str {
    municipality
        .strip_suffix(" kommun")
        .or_else(|| municipality.strip_suffix(" stad"))
        .unwrap_or(municipality)
}

/// Audience labels start with a capital as filter links; inside a
/// sentence they do not.
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_and_case() {
        assert_eq!(place_name("Järfälla kommun"), "Järfälla");
        assert_eq!(place_name("Solna stad"), "Solna");
        assert_eq!(place_name("Region X"), "Region X");
        assert_eq!(lowercase_first("Dig som är utsatt"), "dig som är utsatt");
    }

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
