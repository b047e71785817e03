//! The public programme: `/en-manad-fri-fran-vald` (the campaign the
//! page shows, filtered with plain links), `/en-manad-fri-fran-vald/{år}`
//! (other years), `/evenemang/{id}-{slug}` (an event, its schema.org data
//! and its calendar file) and `/evenemang/kalender.ics` (the whole
//! programme as a feed). Routing and filtering read the in-memory
//! [`Published`] snapshot, never the database; pages and calendar files
//! are kept in the page cache until the content version moves.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, NaiveDate};

use super::ics;
use super::model::{stockholm_local, Audience, Campaign, Event};
use super::registration::routes::current_section;
use super::registration::view::Section;
use super::store;
use super::view::{self, Filters, ProgrammeView, Published, UnknownFilter, PROGRAMME};
use crate::web::cache::Freshness;
use crate::web::compress::Encoding;
use crate::web::error::AppError;
use crate::web::i18n::{Catalogue, Lang, Locale};
use crate::web::layout::{PageInfo, PublicLayout, TranslationState};
use crate::web::render::{html, moved_permanently, render};
use crate::web::{format, AppState};

pub fn router() -> Router<AppState> {
    let router = Lang::ALL.into_iter().fold(Router::new(), |r, lang| {
        r.route(&lang.url(PROGRAMME), get(programme))
    });
    router
        .route("/en-manad-fri-fran-vald/{year}", get(other_year))
        .route("/evenemang/kalender.ics", get(feed))
        .route(
            "/evenemang/{key}",
            get(event_page).post(super::registration::routes::register),
        )
        .merge(super::registration::routes::router())
}

/// The [`Published`] snapshot, loaded once per content version (or day).
pub(crate) async fn published(state: &AppState) -> Result<Arc<Published>, AppError> {
    state
        .pages
        .snapshot(&*state.clock, "events:published", Freshness::Day, async {
            let campaigns = store::campaigns(&state.db)
                .await?
                .into_iter()
                .filter(|c| c.published)
                .collect();
            let events = store::public_events(&state.db).await?;
            Ok::<_, AppError>(Published { campaigns, events })
        })
        .await
}

#[derive(Template)]
#[template(path = "events/programme.html")]
struct ProgrammeTemplate {
    layout: PublicLayout,
    /// The editorial page's text: what the month is about.
    body: String,
    programme: Option<ProgrammeView>,
    /// Where the year stands, when the page shows no programme of this
    /// year (and on the translated pages, whose events are in Swedish).
    note: Option<String>,
    /// The Swedish programme, linked from the other languages.
    swedish_programme: Option<&'static str>,
}

/// Where the year stands for the November campaign: before it, during it
/// or after it, so the page never speaks of a past month as coming.
fn campaign_note(t: &Catalogue, today: NaiveDate, published: Option<NaiveDate>) -> String {
    let year = i64::from(today.year());
    match today.month() {
        11 => t.t_args("campaign-during", &[("year", year.into())]),
        12 => t.t_args(
            "campaign-after",
            &[("year", year.into()), ("next", (year + 1).into())],
        ),
        _ => match published {
            Some(date) if date > today => t.t_args(
                "campaign-programme-on",
                &[
                    ("year", year.into()),
                    ("date", format::date(t, date).into()),
                ],
            ),
            _ => t.t_args("campaign-before", &[("year", year.into())]),
        },
    }
}

/// The cache key of a programme page: one per known combination of
/// filters, one shared by every unknown value (never echoed).
fn key(locale: Locale, path: &str, requested: &Result<Filters, UnknownFilter>) -> String {
    match requested {
        Ok(f) if f.is_empty() => format!("{}:{path}", locale.0.code()),
        Ok(f) => format!("{}:{path}?{}", locale.0.code(), f.query()),
        Err(UnknownFilter) => format!("{}:{path}?*", locale.0.code()),
    }
}

/// The programme page in `locale`: the campaign `shown` (Swedish only),
/// the page's text, and the month note when the page has no programme of
/// this year.
async fn programme_page(
    state: &AppState,
    locale: Locale,
    published: &Published,
    shown: Option<&Campaign>,
    requested: &Result<Filters, UnknownFilter>,
) -> Result<ProgrammeTemplate, AppError> {
    let page = crate::content::store::page_in(&state.db, PROGRAMME, locale.0)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = state.clock.today();
    let this_year = i64::from(today.year());
    let mut updated = page.updated_on;
    let note = if shown.is_none_or(|c| c.year < this_year) {
        let month = crate::content::store::campaign_month(&state.db, this_year).await?;
        let on = month.as_ref().and_then(|m| m.programme_published_on);
        updated = month.map_or(updated, |m| m.updated_on.max(updated));
        Some(campaign_note(state.i18n.catalogue(locale.0), today, on))
    } else {
        None
    };
    let programme = shown.map(|c| {
        updated = updated.max(c.updated_on);
        view::programme(published, c, PROGRAMME, requested, state.clock.now())
    });
    let has_programme = view::current(&published.campaigns, today).is_some();
    Ok(ProgrammeTemplate {
        layout: PublicLayout::new(
            state,
            locale,
            PageInfo {
                path: &page.path,
                title: &page.title,
                description: &page.description,
                updated: Some(updated),
                translation: page.state,
            },
        ),
        body: page.body_html,
        programme,
        note,
        swedish_programme: (locale.0 != Lang::Sv && has_programme).then_some(PROGRAMME),
    })
}

async fn programme(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    locale: Locale,
    encoding: Encoding,
) -> Result<Response, AppError> {
    let published = published(&state).await?;
    let current = view::current(&published.campaigns, state.clock.today());
    let shown = current.filter(|_| locale.0 == Lang::Sv);
    let requested = shown.map_or(Ok(Filters::default()), |c| {
        Filters::parse(query.as_deref(), c)
    });
    let render_page =
        async { render(&programme_page(&state, locale, &published, shown, &requested).await?) };
    let key = key(locale, PROGRAMME, &requested);
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

/// `/en-manad-fri-fran-vald/{år}`: a published campaign of another year
/// (the one the main page shows moves there). Only the unfiltered page
/// is kept in the cache: a crawler following every combination of every
/// year must not push the pages people at risk open out of it.
async fn other_year(
    State(state): State<AppState>,
    Path(year): Path<String>,
    RawQuery(query): RawQuery,
    locale: Locale,
    encoding: Encoding,
) -> Result<Response, AppError> {
    let published = published(&state).await?;
    let Some(campaign) = year
        .parse::<i64>()
        .ok()
        .filter(|_| year.len() == 4)
        .and_then(|y| published.campaign(y))
    else {
        return Err(AppError::NotFound);
    };
    let current = view::current(&published.campaigns, state.clock.today());
    if current.is_some_and(|c| c.year == campaign.year) {
        return Ok(moved_permanently(PROGRAMME));
    }
    let requested = Filters::parse(query.as_deref(), campaign);
    let path = format!("{PROGRAMME}/{}", campaign.year);
    let page = async {
        let text = crate::content::store::page_in(&state.db, PROGRAMME, Lang::Sv)
            .await?
            .ok_or(AppError::NotFound)?;
        let title = format!("{} {}", text.title, campaign.year);
        Ok::<_, AppError>(ProgrammeTemplate {
            layout: PublicLayout::new(
                &state,
                locale,
                PageInfo {
                    path: &path,
                    title: &title,
                    description: &text.description,
                    updated: Some(campaign.updated_on),
                    translation: TranslationState::Source,
                },
            ),
            body: String::new(),
            programme: Some(view::programme(
                &published,
                campaign,
                &path,
                &requested,
                state.clock.now(),
            )),
            note: None,
            swedish_programme: None,
        })
    };
    if requested.as_ref().is_ok_and(Filters::is_empty) {
        let render_page = async { render(&page.await?) };
        let key = key(locale, &path, &requested);
        return state
            .pages
            .serve(
                &*state.clock,
                encoding,
                &key,
                Freshness::Minute,
                render_page,
            )
            .await;
    }
    html(&page.await?)
}

/// An event as its public page shows it: everything but the meeting link,
/// which never reaches a public template.
#[derive(Template)]
#[template(path = "events/event.html")]
struct EventTemplate {
    layout: PublicLayout,
    cancelled: bool,
    cancel_reason: Option<String>,
    address: Option<String>,
    audience: &'static str,
    language: String,
    description: String,
    when: String,
    date: String,
    datetime: String,
    where_: String,
    municipality: String,
    access: Vec<&'static str>,
    past: bool,
    capacity: Option<String>,
    ics_href: String,
    programme: (String, String),
    json_ld: String,
    registration: Section,
}

fn organiser<'a>(campaign: &'a Campaign, slug: &'a str) -> &'a str {
    campaign
        .municipality(slug)
        .map_or(slug, |m| m.name.as_str())
}

fn absolute(state: &AppState, path: &str) -> String {
    format!(
        "{}{path}",
        state.config.server.base_url.as_str().trim_end_matches('/')
    )
}

/// The event page with its registration section `registration` (as it
/// stands, or as a submitted form comes back).
pub(crate) fn event_html(
    state: &AppState,
    locale: Locale,
    published: &Published,
    event: &Event,
    campaign: &Campaign,
    registration: Section,
) -> Result<String, AppError> {
    let mut page = event_template(state, locale, published, event, campaign, registration);
    if !page.registration.errors.is_empty() || page.registration.notice.is_some() {
        // As GOV.UK does: the title says there is a problem, the heading
        // stays the event's.
        page.layout.heading = Some(page.layout.title.clone());
        page.layout.title = format!("Fel: {}", page.layout.title);
    }
    Ok(page.render()?)
}

/// The event (and its campaign) an address's `{id}-{slug}` names, by id.
pub(crate) fn find_event<'a>(
    published: &'a Published,
    key: &str,
) -> Option<(&'a Event, &'a Campaign)> {
    key.split('-')
        .next()
        .and_then(|id| id.parse::<i64>().ok())
        .and_then(|id| published.event(id))
}

fn event_template(
    state: &AppState,
    locale: Locale,
    published: &Published,
    event: &Event,
    campaign: &Campaign,
    registration: Section,
) -> EventTemplate {
    let path = event.path();
    let org = organiser(campaign, &event.municipality).to_owned();
    let description = format!(
        "{} i {org} – En månad fri från våld {}",
        event.audience.label(),
        campaign.year
    );
    let current = view::current(&published.campaigns, state.clock.today());
    EventTemplate {
        layout: PublicLayout::new(
            state,
            locale,
            PageInfo {
                path: &path,
                title: &event.title,
                description: &description,
                updated: Some(stockholm_local(event.updated_at).date()),
                translation: TranslationState::Source,
            },
        ),
        cancelled: event.is_cancelled(),
        cancel_reason: event.cancel_reason.clone(),
        address: event.address.clone(),
        audience: event.audience.label(),
        language: event.language.clone(),
        description: crate::content::markdown::render(&event.description_md),
        when: view::time_span(event.starts_at, event.ends_at),
        date: view::day_heading(stockholm_local(event.starts_at).date()),
        datetime: event.starts_at.to_rfc3339(),
        where_: view::where_(event),
        json_ld: view::json_ld(
            event,
            &absolute(state, &path),
            &org,
            &state.config.municipality.name,
        ),
        municipality: org,
        access: view::access_labels(&event.accessibility),
        past: event.is_past(state.clock.now()),
        capacity: event.capacity.map(|c| {
            if c == 1 {
                "1 plats".to_owned()
            } else {
                format!("{c} platser")
            }
        }),
        ics_href: format!("{path}.ics"),
        registration,
        programme: (
            view::programme_href(campaign, current),
            format!("En månad fri från våld {}", campaign.year),
        ),
    }
}

/// `/evenemang/{id}-{slug}` and its calendar file `/evenemang/{id}-{slug}.ics`.
/// An old slug (the title changed) moves permanently to the new address.
async fn event_page(
    State(state): State<AppState>,
    Path(key): Path<String>,
    locale: Locale,
    encoding: Encoding,
) -> Result<Response, AppError> {
    let (name, calendar) = match key.strip_suffix(".ics") {
        Some(name) => (name, true),
        None => (key.as_str(), false),
    };
    let published = published(&state).await?;
    let (event, campaign) = find_event(&published, name).ok_or(AppError::NotFound)?;
    let path = event.path();
    if name != &path["/evenemang/".len()..] {
        let to = if calendar {
            format!("{path}.ics")
        } else {
            path
        };
        return Ok(moved_permanently(&to));
    }
    if calendar {
        let entries = [ics::Entry {
            url: absolute(&state, &path),
            organiser: organiser(campaign, &event.municipality),
            event,
        }];
        let now = state.clock.now();
        let body = || ics::calendar(None, now, &entries);
        let response = serve_calendar(&state, encoding, &format!("ics:{path}"), body).await?;
        return Ok(as_attachment(response, &format!("{}.ics", event.slug)));
    }
    // The registration section changes with the seats, which do not move
    // the content version: the page is cached per state of the section.
    let (section, variant) = current_section(&state, event, campaign).await?;
    let render_page = async {
        Ok((
            StatusCode::OK,
            event_html(&state, locale, &published, event, campaign, section)?,
        ))
    };
    let key = format!("{}:{path}", locale.0.code());
    state
        .pages
        .serve_variant(
            &*state.clock,
            encoding,
            &key,
            variant,
            Freshness::Minute,
            render_page,
        )
        .await
}

const CALENDAR: HeaderValue = HeaderValue::from_static("text/calendar; charset=utf-8");

/// A calendar file from the page cache: it changes only with the content
/// version, like the pages it mirrors. Its DTSTAMP is when it was made.
async fn serve_calendar(
    state: &AppState,
    encoding: Encoding,
    key: &str,
    body: impl FnOnce() -> String,
) -> Result<Response, AppError> {
    // Not called when the cache has the file.
    let render = async { Ok::<_, AppError>((StatusCode::OK, body())) };
    state
        .pages
        .serve_typed(
            &*state.clock,
            encoding,
            key,
            Freshness::Day,
            CALENDAR,
            render,
        )
        .await
}

/// One event's file is saved, not shown: "Lägg till i kalender" opens it
/// in the calendar app.
fn as_attachment(mut response: Response, filename: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// `/evenemang/kalender.ics` (`?for=` one audience): every public event of
/// every published campaign, cancelled ones as cancelled, so a subscribed
/// calendar takes each change.
async fn feed(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    encoding: Encoding,
) -> Result<Response, AppError> {
    // As on the page, a value we do not know gives the whole programme.
    let audience = url::form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "for")
        .and_then(|(_, v)| Audience::from_slug(&v));
    let published = published(&state).await?;
    let entries: Vec<ics::Entry<'_>> = published
        .events
        .iter()
        .filter(|e| audience.is_none_or(|a| a == e.audience))
        .filter_map(|e| {
            let campaign = published.campaign(e.campaign_year)?;
            Some(ics::Entry {
                url: absolute(&state, &e.path()),
                organiser: organiser(campaign, &e.municipality),
                event: e,
            })
        })
        .collect();
    let name = match audience {
        Some(a) => format!("En månad fri från våld – {}", a.label()),
        None => "En månad fri från våld".to_owned(),
    };
    let now = state.clock.now();
    let body = || ics::calendar(Some(&name), now, &entries);
    let key = format!(
        "ics:/evenemang/kalender.ics?for={}",
        audience.map_or("*", Audience::slug)
    );
    // A feed is subscribed to, not saved: no attachment header.
    serve_calendar(&state, encoding, &key, body).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::I18n;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn campaign_note_follows_the_year() {
        let i18n = I18n::load();
        let t = i18n.catalogue(Lang::Sv);
        let before = campaign_note(t, d(3, 1), None);
        assert!(
            before.contains("november") && before.contains("2026"),
            "{before}"
        );
        let during = campaign_note(t, d(11, 15), None);
        assert!(during.contains("pågår"), "{during}");
        let after = campaign_note(t, d(12, 1), None);
        assert!(after.contains("2026") && after.contains("2027"), "{after}");
        assert!(!after.contains("publiceras"), "{after}");
        // A publication date already passed is not announced as coming.
        let passed = campaign_note(t, d(10, 2), Some(d(10, 1)));
        assert!(!passed.contains("den 1 oktober"), "{passed}");
        let coming = campaign_note(t, d(9, 2), Some(d(10, 1)));
        assert!(coming.contains("1 oktober"), "{coming}");
    }
}
