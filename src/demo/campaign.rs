//! The demo programme (`content/campaign.toml`): last year's and this
//! year's campaign of En månad fri från våld with their events, dated from
//! the year the site starts in and marked as examples.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::Deserialize;

use super::DemoError;
use crate::events::model::{
    slug, stockholm_instant, Access, Audience, Campaign, Colour, Event, Format, MeetingLink,
    Municipality, Status, CO_ARRANGERS,
};

const CAMPAIGN: &str = include_str!("../../content/campaign.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    campaign: Vec<CampaignEntry>,
    event: Vec<EventEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CampaignEntry {
    age: i64,
    theme: String,
    colour: String,
    intro: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventEntry {
    age: i64,
    title: String,
    description: String,
    audience: String,
    format: String,
    place: Option<String>,
    address: Option<String>,
    municipality: String,
    language: Option<String>,
    day: u32,
    start: String,
    end: String,
    #[serde(default)]
    accessibility: Vec<String>,
    capacity: Option<i64>,
    meeting_link: Option<String>,
}

/// The demo campaigns and their events for a site starting on `today`.
pub fn programme(
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(Vec<Campaign>, Vec<Event>), DemoError> {
    use chrono::Datelike;
    let bad = |why: String| DemoError(format!("content/campaign.toml: {why}"));
    let file: File = toml::from_str(CAMPAIGN).map_err(|e| bad(e.to_string()))?;
    let this_year = i64::from(today.year());
    let campaigns = file
        .campaign
        .iter()
        .map(|c| {
            let year = this_year - c.age;
            let (starts_on, ends_on) = Campaign::november(year);
            Ok(Campaign {
                year,
                theme: c.theme.clone(),
                starts_on,
                ends_on,
                intro_md: c.intro.clone(),
                colour: Colour::parse(&c.colour)
                    .ok_or_else(|| bad(format!("colour {}", c.colour)))?,
                published: true,
                example: true,
                updated_on: today,
                municipalities: CO_ARRANGERS
                    .iter()
                    .map(|n| Municipality::named(n))
                    .collect(),
            })
        })
        .collect::<Result<Vec<_>, DemoError>>()?;
    let mut events = vec![];
    for (n, e) in file.event.iter().enumerate() {
        let year = this_year - e.age;
        let why = |what: &str| bad(format!("event {}: {what}", e.title));
        let campaign = campaigns
            .iter()
            .find(|c| c.year == year)
            .ok_or_else(|| why("no campaign that year"))?;
        let town = slug(&e.municipality);
        if campaign.municipality(&town).is_none() {
            return Err(why("unknown municipality"));
        }
        let date = NaiveDate::from_ymd_opt(i32::try_from(year).unwrap_or(2026), 11, e.day)
            .ok_or_else(|| why("no such day in November"))?;
        let at = |t: &str| {
            let time = NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| why("bad time"))?;
            stockholm_instant(date, time).map_err(|_| why("not a Swedish time"))
        };
        let (starts_at, ends_at) = (at(&e.start)?, at(&e.end)?);
        let accessibility = Access::parse_list(&e.accessibility.join(","));
        if accessibility.len() != e.accessibility.len() {
            return Err(why("unknown accessibility"));
        }
        events.push(Event {
            id: 0,
            campaign_year: year,
            // Stable per demo row, like the help directory's ids.
            uid: format!(
                "{}@fridhem",
                super::stable_id("event", &format!("{year}-{n}"))
            ),
            slug: slug(&e.title),
            title: e.title.clone(),
            description_md: e.description.trim().to_owned(),
            audience: Audience::from_slug(&e.audience).ok_or_else(|| why("unknown audience"))?,
            format: Format::from_slug(&e.format).ok_or_else(|| why("unknown format"))?,
            place: e.place.clone(),
            address: e.address.clone(),
            municipality: town,
            language: e.language.clone().unwrap_or_else(|| "Svenska".to_owned()),
            accessibility,
            starts_at,
            ends_at,
            capacity: e.capacity,
            // Registration (part 2) opens a month ahead and closes the day
            // before.
            registration_opens_at: e.capacity.map(|_| starts_at - Duration::days(30)),
            registration_closes_at: e.capacity.map(|_| starts_at - Duration::days(1)),
            status: Status::Published,
            cancel_reason: None,
            meeting_link: e.meeting_link.clone().map(MeetingLink::new),
            sequence: 0,
            example: true,
            updated_at: now,
        });
    }
    Ok((campaigns, events))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_programme_holds_together() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let (campaigns, events) = programme(today, Utc::now()).unwrap();
        assert_eq!(
            campaigns.iter().map(|c| c.year).collect::<Vec<_>>(),
            [2025, 2026]
        );
        let this_year: Vec<_> = events.iter().filter(|e| e.campaign_year == 2026).collect();
        assert!(this_year.len() >= 12, "{}", this_year.len());
        for a in Audience::ALL {
            assert!(this_year.iter().any(|e| e.audience == a), "{a:?}");
        }
        for f in Format::ALL {
            assert!(this_year.iter().any(|e| e.format == f), "{f:?}");
        }
        let towns: std::collections::HashSet<_> =
            this_year.iter().map(|e| e.municipality.as_str()).collect();
        assert!(towns.len() >= 6, "{towns:?}");
        for e in &events {
            assert_eq!(
                e.meeting_link.is_some(),
                e.format == Format::Digital,
                "{}",
                e.title
            );
            assert!(e.ends_at > e.starts_at);
        }
    }
}
