//! The programme as people read it: which campaign is "this year's", the
//! filters (plain links that keep each other), events grouped by day in
//! Stockholm time, and the event page's words and schema.org data.

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};

use super::model::{stockholm_local, Access, Audience, Campaign, Event, Format, Status};

/// Every published campaign and every public event (published or
/// cancelled, in a published campaign), read once per content version and
/// kept in memory: the public pages route, filter and render from it
/// without the database, and keep working from it while the database is
/// away.
pub struct Published {
    pub campaigns: Vec<Campaign>,
    pub events: Vec<Event>,
}

impl Published {
    pub fn campaign(&self, year: i64) -> Option<&Campaign> {
        self.campaigns.iter().find(|c| c.year == year)
    }

    pub fn event(&self, id: i64) -> Option<(&Event, &Campaign)> {
        let e = self.events.iter().find(|e| e.id == id)?;
        Some((e, self.campaign(e.campaign_year)?))
    }

    pub fn events_of(&self, year: i64) -> Vec<&Event> {
        self.events
            .iter()
            .filter(|e| e.campaign_year == year)
            .collect()
    }
}

/// The page the programme lives on.
pub const PROGRAMME: &str = "/en-manad-fri-fran-vald";

/// The campaign the programme page shows on `today`: this year's once it
/// is published, until it has ended; after that next year's if it is
/// already published; otherwise the newest published one before.
pub fn current(campaigns: &[Campaign], today: NaiveDate) -> Option<&Campaign> {
    let year = i64::from(today.year());
    let published = |y: i64| campaigns.iter().find(|c| c.year == y && c.published);
    match published(year) {
        Some(c) if today <= c.ends_on => Some(c),
        this => published(year + 1).or(this).or_else(|| {
            campaigns
                .iter()
                .filter(|c| c.published && c.year < year)
                .max_by_key(|c| c.year)
        }),
    }
}

/// A filter value the programme does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownFilter;

/// The filters asked for in the query string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub audience: Option<Audience>,
    pub format: Option<Format>,
    /// A municipality's slug, one of the campaign's.
    pub municipality: Option<String>,
}

impl Filters {
    /// The filters in `query`; `Err` when a value is not one we know (the
    /// page then shows everything and says so, never echoing the value).
    pub fn parse(query: Option<&str>, campaign: &Campaign) -> Result<Filters, UnknownFilter> {
        let mut filters = Filters::default();
        let Some(query) = query else {
            return Ok(filters);
        };
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            if value.is_empty() {
                continue;
            }
            match &*key {
                "for" => filters.audience = Some(Audience::from_slug(&value).ok_or(UnknownFilter)?),
                "format" => filters.format = Some(Format::from_slug(&value).ok_or(UnknownFilter)?),
                "kommun" => {
                    let m = campaign.municipality(&value).ok_or(UnknownFilter)?;
                    filters.municipality = Some(m.slug.clone());
                }
                _ => {}
            }
        }
        Ok(filters)
    }

    pub fn matches(&self, e: &Event) -> bool {
        self.audience.is_none_or(|a| a == e.audience)
            && self.format.is_none_or(|f| f == e.format)
            && self
                .municipality
                .as_deref()
                .is_none_or(|m| m == e.municipality)
    }

    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// The query string for these filters, in a fixed order (also the
    /// page cache's key).
    pub fn query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        if let Some(a) = self.audience {
            q.append_pair("for", a.slug());
        }
        if let Some(f) = self.format {
            q.append_pair("format", f.slug());
        }
        if let Some(m) = &self.municipality {
            q.append_pair("kommun", m);
        }
        q.finish()
    }

    fn href(&self, base: &str) -> String {
        let q = self.query();
        if q.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{q}")
        }
    }
}

pub struct FilterLink {
    pub label: String,
    /// Read by screen readers after the label ("Alla" of what).
    pub context: &'static str,
    pub href: String,
    pub current: bool,
}

pub struct FilterGroup {
    pub id: &'static str,
    pub title: &'static str,
    pub links: Vec<FilterLink>,
}

/// One group of links per filter; each link changes its own filter and
/// keeps the others.
pub fn filter_groups(base: &str, campaign: &Campaign, f: &Filters) -> Vec<FilterGroup> {
    let link = |label: &str, changed: Filters, current: bool| FilterLink {
        label: label.to_owned(),
        context: "",
        href: changed.href(base),
        current,
    };
    let all = |context: &'static str, changed: Filters, current: bool| FilterLink {
        context,
        ..link("Alla", changed, current)
    };
    let mut audiences = vec![all(
        " målgrupper",
        Filters {
            audience: None,
            ..f.clone()
        },
        f.audience.is_none(),
    )];
    audiences.extend(Audience::ALL.into_iter().map(|a| {
        link(
            a.label(),
            Filters {
                audience: Some(a),
                ..f.clone()
            },
            f.audience == Some(a),
        )
    }));
    let mut formats = vec![all(
        " former",
        Filters {
            format: None,
            ..f.clone()
        },
        f.format.is_none(),
    )];
    formats.extend(Format::ALL.into_iter().map(|x| {
        link(
            x.label(),
            Filters {
                format: Some(x),
                ..f.clone()
            },
            f.format == Some(x),
        )
    }));
    let mut towns = vec![all(
        " kommuner",
        Filters {
            municipality: None,
            ..f.clone()
        },
        f.municipality.is_none(),
    )];
    towns.extend(campaign.municipalities.iter().map(|m| {
        link(
            &m.name,
            Filters {
                municipality: Some(m.slug.clone()),
                ..f.clone()
            },
            f.municipality.as_deref() == Some(&m.slug),
        )
    }));
    vec![
        FilterGroup {
            id: "for",
            title: "För vem",
            links: audiences,
        },
        FilterGroup {
            id: "format",
            title: "Digitalt eller på plats",
            links: formats,
        },
        FilterGroup {
            id: "kommun",
            title: "Kommun",
            links: towns,
        },
    ]
}

const WEEKDAYS: [&str; 7] = [
    "Måndag", "Tisdag", "Onsdag", "Torsdag", "Fredag", "Lördag", "Söndag",
];
const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

fn weekday_index(d: Weekday) -> usize {
    d.num_days_from_monday() as usize
}

/// "Torsdag 12 november 2026".
pub fn day_heading(d: NaiveDate) -> String {
    format!(
        "{} {} {} {}",
        WEEKDAYS[weekday_index(d.weekday())],
        d.day(),
        MONTHS[d.month0() as usize],
        d.year()
    )
}

/// "18:00–19:30", or with the end date when it ends another day.
pub fn time_span(start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    let (s, e) = (stockholm_local(start), stockholm_local(end));
    if s.date() == e.date() {
        format!("{}–{}", s.format("%H:%M"), e.format("%H:%M"))
    } else {
        format!(
            "{} – {} {}",
            s.format("%H:%M"),
            day_heading(e.date()).to_lowercase(),
            e.format("%H:%M")
        )
    }
}

/// One event in the list.
pub struct EventCard {
    pub href: String,
    pub title: String,
    pub time: String,
    pub datetime: String,
    pub audience: &'static str,
    pub format: &'static str,
    pub where_: String,
    pub municipality: String,
    pub past: bool,
    pub cancelled: bool,
}

pub struct Day {
    pub heading: String,
    pub date: String,
    pub events: Vec<EventCard>,
}

fn town_name(campaign: &Campaign, slug: &str) -> String {
    campaign
        .municipality(slug)
        .map_or_else(|| slug.to_owned(), |m| m.name.clone())
}

/// Where: the place for an event on site, "Digitalt" otherwise.
pub fn where_(e: &Event) -> String {
    match e.format {
        Format::Digital => "Digitalt".to_owned(),
        Format::OnSite => e.place.clone().unwrap_or_default(),
    }
}

/// The public events of a campaign that pass the filters, by day.
pub fn days(campaign: &Campaign, events: &[Event], now: DateTime<Utc>) -> Vec<Day> {
    let mut days: Vec<Day> = vec![];
    for e in events {
        let date = stockholm_local(e.starts_at).date();
        let card = EventCard {
            href: e.path(),
            title: e.title.clone(),
            time: time_span(e.starts_at, e.ends_at),
            datetime: e.starts_at.to_rfc3339(),
            audience: e.audience.label(),
            format: e.format.label(),
            where_: where_(e),
            municipality: town_name(campaign, &e.municipality),
            past: e.is_past(now),
            cancelled: e.status == Status::Cancelled,
        };
        let iso = date.to_string();
        match days.last_mut() {
            Some(day) if day.date == iso => day.events.push(card),
            _ => days.push(Day {
                heading: day_heading(date),
                date: iso,
                events: vec![card],
            }),
        }
    }
    days
}

/// "1 evenemang" / "12 evenemang", and of how many when filtered.
pub fn count(shown: usize, total: usize, filtered: bool) -> String {
    if filtered {
        format!("{shown} av {total} evenemang matchar filtren.")
    } else {
        format!("{total} evenemang.")
    }
}

/// The programme of one campaign, as its page shows it.
pub struct ProgrammeView {
    pub year: i64,
    pub theme: String,
    pub colour_class: String,
    pub period: String,
    pub intro: String,
    pub municipalities: String,
    pub groups: Vec<FilterGroup>,
    pub notice: Option<&'static str>,
    pub count: String,
    pub days: Vec<Day>,
    pub all_href: String,
    pub feed_href: String,
    /// Over: every event in it has been.
    pub archived: bool,
    pub earlier: Vec<(String, String)>,
}

fn period(c: &Campaign) -> String {
    format!(
        "{} – {}",
        day_heading(c.starts_on).to_lowercase(),
        day_heading(c.ends_on).to_lowercase()
    )
}

/// "A, B och C".
pub fn in_words<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} och {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_owned(),
        None => String::new(),
    }
}

/// Where a campaign's programme lives: the main page for the one it
/// shows, its year's page for the others.
pub fn programme_href(campaign: &Campaign, current: Option<&Campaign>) -> String {
    if current.is_some_and(|c| c.year == campaign.year) {
        PROGRAMME.to_owned()
    } else {
        format!("{PROGRAMME}/{}", campaign.year)
    }
}

/// The programme of `campaign` at `base` (its page's path) with the
/// filters asked for.
pub fn programme(
    published: &Published,
    campaign: &Campaign,
    base: &str,
    requested: &Result<Filters, UnknownFilter>,
    now: DateTime<Utc>,
) -> ProgrammeView {
    let events = published.events_of(campaign.year);
    let filters = requested.clone().unwrap_or_default();
    let shown: Vec<Event> = events
        .iter()
        .filter(|e| filters.matches(e))
        .map(|e| (*e).clone())
        .collect();
    ProgrammeView {
        year: campaign.year,
        theme: campaign.theme.clone(),
        colour_class: campaign.colour.class(),
        period: period(campaign),
        intro: crate::content::markdown::render(&campaign.intro_md),
        municipalities: in_words(campaign.municipalities.iter().map(|m| m.name.as_str())),
        groups: filter_groups(base, campaign, &filters),
        notice: requested.is_err().then_some(
            "Ett av filtren känner vi inte igen, så hela programmet visas. Välj bland filtren ovan.",
        ),
        count: count(shown.len(), events.len(), !filters.is_empty()),
        days: days(campaign, &shown, now),
        all_href: base.to_owned(),
        feed_href: match filters.audience {
            Some(a) => format!("/evenemang/kalender.ics?for={}", a.slug()),
            None => "/evenemang/kalender.ics".to_owned(),
        },
        archived: campaign.ends_on < stockholm_local(now).date(),
        earlier: published
            .campaigns
            .iter()
            .filter(|c| c.year < campaign.year)
            .map(|c| (c.year.to_string(), format!("{PROGRAMME}/{}", c.year)))
            .collect(),
    }
}

/// The accessibility an event offers, in words.
pub fn access_labels(list: &[Access]) -> Vec<&'static str> {
    list.iter().map(|a| a.label()).collect()
}

/// schema.org Event data for the event page, as JSON that is safe inside
/// a `<script>` element: `<`, `>` and `&` are written as `\u003c`… so no
/// text can close the element or open a comment. The meeting link is
/// never part of it.
pub fn json_ld(e: &Event, url: &str, organiser: &str, site: &str) -> String {
    let status = match e.status {
        Status::Cancelled => "https://schema.org/EventCancelled",
        _ => "https://schema.org/EventScheduled",
    };
    let offset = |at: DateTime<Utc>| {
        at.with_timezone(&chrono_tz::Europe::Stockholm)
            .format("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    };
    let location = match e.format {
        Format::Digital => serde_json::json!({
            "@type": "VirtualLocation",
            "url": url,
        }),
        Format::OnSite => serde_json::json!({
            "@type": "Place",
            "name": e.place.clone().unwrap_or_default(),
            "address": e.address.clone().unwrap_or_default(),
        }),
    };
    let mode = match e.format {
        Format::Digital => "https://schema.org/OnlineEventAttendanceMode",
        Format::OnSite => "https://schema.org/OfflineEventAttendanceMode",
    };
    let data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": e.title,
        "description": e.description_md,
        "startDate": offset(e.starts_at),
        "endDate": offset(e.ends_at),
        "eventStatus": status,
        "eventAttendanceMode": mode,
        "location": location,
        "inLanguage": e.language,
        "audience": {"@type": "Audience", "audienceType": e.audience.label()},
        "organizer": {"@type": "GovernmentOrganization", "name": organiser},
        "url": url,
        "isAccessibleForFree": true,
        "publisher": {"@type": "GovernmentOrganization", "name": site},
    });
    data.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::model::{Colour, Municipality};

    fn campaign(year: i64, published: bool) -> Campaign {
        let (starts_on, ends_on) = Campaign::november(year);
        Campaign {
            year,
            theme: String::new(),
            starts_on,
            ends_on,
            intro_md: String::new(),
            colour: Colour::Orange,
            published,
            example: false,
            updated_on: starts_on,
            municipalities: vec![
                Municipality::named("Järfälla"),
                Municipality::named("Solna"),
            ],
        }
    }

    #[test]
    fn the_current_campaign_follows_the_year() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let all = vec![
            campaign(2027, false),
            campaign(2026, true),
            campaign(2025, true),
        ];
        assert_eq!(current(&all, d(2026, 3, 1)).unwrap().year, 2026);
        assert_eq!(current(&all, d(2026, 12, 5)).unwrap().year, 2026);
        let next = vec![campaign(2027, true), campaign(2026, true)];
        assert_eq!(current(&next, d(2026, 11, 30)).unwrap().year, 2026);
        assert_eq!(current(&next, d(2026, 12, 1)).unwrap().year, 2027);
        let old = vec![campaign(2026, false), campaign(2025, true)];
        assert_eq!(current(&old, d(2026, 6, 1)).unwrap().year, 2025);
        assert!(current(&[campaign(2026, false)], d(2026, 6, 1)).is_none());
    }

    #[test]
    fn filters_parse_and_keep_each_other() {
        let c = campaign(2026, true);
        let f = Filters::parse(Some("for=anstallda&format=digitalt&kommun=solna"), &c).unwrap();
        assert_eq!(f.query(), "for=anstallda&format=digitalt&kommun=solna");
        assert!(Filters::parse(Some("for=okand"), &c).is_err());
        assert!(Filters::parse(Some("kommun=stockholm"), &c).is_err());
        assert!(Filters::parse(Some("for=&x=1"), &c).unwrap().is_empty());
        let groups = filter_groups(PROGRAMME, &c, &f);
        let solna_off = &groups[2].links[0];
        assert_eq!(
            solna_off.href,
            "/en-manad-fri-fran-vald?for=anstallda&format=digitalt"
        );
        assert!(groups[2].links[2].current);
    }

    #[test]
    fn json_ld_cannot_close_its_element() {
        let mut e = crate::events::edit::new_event(2026, "u".into(), Utc::now());
        e.title = "</script><script>alert(1)</script> & <!--".into();
        let json = json_ld(&e, "https://x/evenemang/1-a", "Järfälla", "Järfälla kommun");
        assert!(!json.contains('<') && !json.contains('>'));
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["name"], e.title.as_str());
    }
}
