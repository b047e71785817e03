//! The public programme: `/en-manad-fri-fran-vald` (this year's campaign,
//! filtered with plain links), `/en-manad-fri-fran-vald/{år}` (earlier
//! years), `/evenemang/{id}-{slug}` (an event, its schema.org data and its
//! calendar file) and `/evenemang/kalender.ics` (the whole programme as a
//! feed). Every page is rendered once per filter and kept in the page
//! cache; a change in the back office bumps the content version.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{Datelike, NaiveDate};

use super::ics;
use super::model::{Audience, Campaign, Event};
use super::store;
use super::view::{self, Day, FilterGroup, Filters, UnknownFilter, PROGRAMME};
use crate::content::model::ShownPage;
use crate::web::cache::Freshness;
use crate::web::compress::Encoding;
use crate::web::error::AppError;
use crate::web::i18n::{Catalogue, Lang, Locale};
use crate::web::layout::{PageInfo, PublicLayout};
use crate::web::render::{moved_permanently, render};
use crate::web::{format, AppState};

pub fn router() -> Router<AppState> {
    let router = Lang::ALL.into_iter().fold(Router::new(), |r, lang| {
        r.route(&lang.url(PROGRAMME), get(programme))
    });
    router
        .route("/en-manad-fri-fran-vald/{year}", get(earlier_year))
        .route("/evenemang/kalender.ics", get(feed))
        .route("/evenemang/{key}", get(event_page))
}

/// The programme of one campaign, as the page shows it.
struct Programme {
    year: i64,
    theme: String,
    colour_class: String,
    period: String,
    intro: String,
    municipalities: String,
    groups: Vec<FilterGroup>,
    notice: Option<&'static str>,
    count: String,
    days: Vec<Day>,
    all_href: String,
    feed_href: String,
    /// An earlier year's campaign: every event in it has been.
    archived: bool,
    earlier: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "events/programme.html")]
struct ProgrammeTemplate {
    layout: PublicLayout,
    /// The editorial page's text: what the month is about.
    body: String,
    programme: Option<Programme>,
    /// Where the year stands, when no programme is published (and on the
    /// translated pages, whose events are in Swedish).
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

fn period(c: &Campaign) -> String {
    format!(
        "{} – {}",
        view::day_heading(c.starts_on).to_lowercase(),
        view::day_heading(c.ends_on).to_lowercase()
    )
}

/// The programme of `campaign` at `base` (its page's path) with `query`.
async fn programme_of(
    state: &AppState,
    campaign: &Campaign,
    campaigns: &[Campaign],
    base: &str,
    requested: &Result<Filters, UnknownFilter>,
) -> Result<Programme, AppError> {
    let now = state.clock.now();
    let events: Vec<Event> = store::events_of(&state.db, campaign.year)
        .await?
        .into_iter()
        .filter(|e| e.status.is_public())
        .collect();
    let filters = requested.clone().unwrap_or_default();
    let shown: Vec<Event> = events
        .iter()
        .filter(|e| filters.matches(e))
        .cloned()
        .collect();
    let query = filters.query();
    Ok(Programme {
        year: campaign.year,
        theme: campaign.theme.clone(),
        colour_class: campaign.colour.class(),
        period: period(campaign),
        intro: crate::content::markdown::render(&campaign.intro_md),
        municipalities: in_words(campaign.municipalities.iter().map(|m| m.name.as_str())),
        groups: view::filter_groups(base, campaign, &filters),
        notice: requested.is_err().then_some(
            "Ett av filtren känner vi inte igen, så hela programmet visas. Välj bland filtren ovan.",
        ),
        count: view::count(shown.len(), events.len(), !filters.is_empty()),
        days: view::days(campaign, &shown, now),
        all_href: base.to_owned(),
        feed_href: match filters.audience {
            Some(a) => format!("/evenemang/kalender.ics?for={}", a.slug()),
            None => "/evenemang/kalender.ics".to_owned(),
        },
        archived: campaign.ends_on < state.clock.today()
            && query.is_empty()
            && base != PROGRAMME,
        earlier: campaigns
            .iter()
            .filter(|c| c.published && c.year < campaign.year)
            .map(|c| (c.year.to_string(), format!("{PROGRAMME}/{}", c.year)))
            .collect(),
    })
}

/// "A, B och C".
fn in_words<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} och {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_owned(),
        None => String::new(),
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

async fn page_text(state: &AppState, locale: Locale) -> Result<ShownPage, AppError> {
    crate::content::store::page_in(&state.db, PROGRAMME, locale.0)
        .await?
        .ok_or(AppError::NotFound)
}

async fn programme(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    locale: Locale,
    encoding: Encoding,
) -> Result<Response, AppError> {
    let campaigns = store::campaigns(&state.db).await?;
    let today = state.clock.today();
    let current = view::current(&campaigns, today).filter(|_| locale.0 == Lang::Sv);
    let requested = match current {
        Some(c) => Filters::parse(query.as_deref(), c),
        None => Ok(Filters::default()),
    };
    let has_programme = view::current(&campaigns, today).is_some();
    let render_page = async {
        let page = page_text(&state, locale).await?;
        let t = state.i18n.catalogue(locale.0);
        let (programme, note, updated) = match current {
            Some(c) => {
                let p = programme_of(&state, c, &campaigns, PROGRAMME, &requested).await?;
                (Some(p), None, c.updated_on.max(page.updated_on))
            }
            // The other languages link to the Swedish programme.
            None if has_programme => (None, None, page.updated_on),
            None => {
                let month =
                    crate::content::store::campaign_month(&state.db, i64::from(today.year()))
                        .await?;
                let note = campaign_note(
                    t,
                    today,
                    month.as_ref().and_then(|m| m.programme_published_on),
                );
                let updated = month.map_or(page.updated_on, |m| m.updated_on.max(page.updated_on));
                (None, Some(note), updated)
            }
        };
        let layout = PublicLayout::new(
            &state,
            locale,
            PageInfo {
                path: &page.path,
                title: &page.title,
                description: &page.description,
                updated: Some(updated),
                translation: page.state,
            },
        );
        render(&ProgrammeTemplate {
            body: page.body_html,
            swedish_programme: (locale.0 != Lang::Sv && has_programme).then_some(PROGRAMME),
            programme,
            note,
            layout,
        })
    };
    state
        .pages
        .serve(
            &*state.clock,
            encoding,
            &key(locale, PROGRAMME, &requested),
            Freshness::Minute,
            render_page,
        )
        .await
}

/// `/en-manad-fri-fran-vald/{år}`: a published campaign of any year.
async fn earlier_year(
    State(state): State<AppState>,
    Path(year): Path<String>,
    RawQuery(query): RawQuery,
    locale: Locale,
    encoding: Encoding,
) -> Result<Response, AppError> {
    let year: i64 = match year.parse() {
        Ok(y) if year.len() == 4 => y,
        _ => return Err(AppError::NotFound),
    };
    let campaigns = store::campaigns(&state.db).await?;
    let Some(campaign) = campaigns.iter().find(|c| c.year == year && c.published) else {
        return Err(AppError::NotFound);
    };
    let path = format!("{PROGRAMME}/{year}");
    let requested = Filters::parse(query.as_deref(), campaign);
    let render_page = async {
        let page = page_text(&state, locale).await?;
        let p = programme_of(&state, campaign, &campaigns, &path, &requested).await?;
        let title = format!("{} {year}", page.title);
        let layout = PublicLayout::new(
            &state,
            locale,
            PageInfo {
                path: &path,
                title: &title,
                description: &page.description,
                updated: Some(campaign.updated_on),
                translation: page.state,
            },
        );
        render(&ProgrammeTemplate {
            body: String::new(),
            swedish_programme: None,
            programme: Some(p),
            note: None,
            layout,
        })
    };
    state
        .pages
        .serve(
            &*state.clock,
            encoding,
            &key(locale, &path, &requested),
            Freshness::Minute,
            render_page,
        )
        .await
}

#[derive(Template)]
#[template(path = "events/event.html")]
struct EventTemplate {
    layout: PublicLayout,
    e: Event,
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
    programme_href: String,
    json_ld: String,
}

fn organiser<'a>(campaign: Option<&'a Campaign>, slug: &'a str) -> &'a str {
    campaign
        .and_then(|c| c.municipality(slug))
        .map_or(slug, |m| m.name.as_str())
}

/// The event with `id` if the public may see it, with its campaign.
async fn public_event(state: &AppState, id: i64) -> Result<(Event, Campaign), AppError> {
    let event = store::event(&state.db, id)
        .await?
        .filter(|e| e.status.is_public())
        .ok_or(AppError::NotFound)?;
    let campaign = store::campaign(&state.db, event.campaign_year)
        .await?
        .filter(|c| c.published)
        .ok_or(AppError::NotFound)?;
    Ok((event, campaign))
}

fn absolute(state: &AppState, path: &str) -> String {
    format!(
        "{}{path}",
        state.config.server.base_url.as_str().trim_end_matches('/')
    )
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
    let id = name
        .split('-')
        .next()
        .and_then(|id| id.parse::<i64>().ok())
        .ok_or(AppError::NotFound)?;
    let (event, campaign) = public_event(&state, id).await?;
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
        let render = async {
            let entry = ics::Entry {
                url: absolute(&state, &path),
                organiser: organiser(Some(&campaign), &event.municipality),
                event: &event,
            };
            Ok::<_, AppError>((
                StatusCode::OK,
                ics::calendar(&event.title, ics::Method::Publish, &[entry]),
            ))
        };
        let key = format!("ics:{path}");
        let response = serve_calendar(&state, encoding, &key, render).await?;
        return Ok(as_attachment(response, &format!("{}.ics", event.slug)));
    }
    let render_page = async {
        let now = state.clock.now();
        let start = super::model::stockholm_local(event.starts_at).date();
        let org = organiser(Some(&campaign), &event.municipality).to_owned();
        let url = absolute(&state, &path);
        let site = state.config.municipality.name.clone();
        let layout = PublicLayout::new(
            &state,
            locale,
            PageInfo {
                path: &path,
                title: &event.title,
                description: &format!(
                    "{} i {} – En månad fri från våld {}",
                    event.audience.label(),
                    org,
                    campaign.year
                ),
                updated: Some(super::model::stockholm_local(event.updated_at).date()),
                translation: crate::web::layout::TranslationState::Source,
            },
        );
        render(&EventTemplate {
            description: crate::content::markdown::render(&event.description_md),
            when: view::time_span(event.starts_at, event.ends_at),
            date: view::day_heading(start),
            datetime: event.starts_at.to_rfc3339(),
            where_: view::where_(&event),
            json_ld: view::json_ld(&event, &url, &org, &site),
            municipality: org,
            access: view::access_labels(&event.accessibility),
            past: event.is_past(now),
            capacity: event.capacity.map(|c| format!("{c} platser")),
            ics_href: format!("{path}.ics"),
            programme_href: format!("{PROGRAMME}/{}", campaign.year),
            e: event.clone(),
            layout,
        })
    };
    state
        .pages
        .serve(
            &*state.clock,
            encoding,
            &format!("{}:{path}", locale.0.code()),
            Freshness::Minute,
            render_page,
        )
        .await
}

const CALENDAR: HeaderValue = HeaderValue::from_static("text/calendar; charset=utf-8");

/// A calendar file from the page cache: it changes only with the content
/// version, like the pages it mirrors.
async fn serve_calendar(
    state: &AppState,
    encoding: Encoding,
    key: &str,
    render: impl std::future::Future<Output = Result<(StatusCode, String), AppError>>,
) -> Result<Response, AppError> {
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
    let render = async {
        let events = store::public_events(&state.db).await?;
        let campaigns = store::campaigns(&state.db).await?;
        let events: Vec<&Event> = events
            .iter()
            .filter(|e| audience.is_none_or(|a| a == e.audience))
            .collect();
        let entries: Vec<ics::Entry<'_>> = events
            .iter()
            .map(|e| ics::Entry {
                url: absolute(&state, &e.path()),
                organiser: organiser(
                    campaigns.iter().find(|c| c.year == e.campaign_year),
                    &e.municipality,
                ),
                event: e,
            })
            .collect();
        let name = match audience {
            Some(a) => format!("En månad fri från våld – {}", a.label()),
            None => "En månad fri från våld".to_owned(),
        };
        Ok::<_, AppError>((
            StatusCode::OK,
            ics::calendar(&name, ics::Method::Publish, &entries),
        ))
    };
    let key = format!(
        "ics:/evenemang/kalender.ics?for={}",
        audience.map_or("*", Audience::slug)
    );
    // A feed is subscribed to, not saved: no attachment header.
    serve_calendar(&state, encoding, &key, render).await
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
