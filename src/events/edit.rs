//! The staff forms for a campaign and an event: what was typed, kept as
//! typed so a refused form comes back as it was sent, and the rules that
//! turn it into a [`Campaign`] or an [`Event`] with Swedish messages per
//! field.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};

use super::model::{
    slug, stockholm_instant, stockholm_local, Access, Audience, Campaign, Colour, Event, Format,
    LocalTimeProblem, MeetingLink, Municipality, Status,
};
use crate::web::field_errors::FieldError;

/// Longest title, place or address.
const MAX_LINE: usize = 200;
/// Longest description or intro.
const MAX_TEXT: usize = 10_000;
/// More seats than any room or meeting in the seven municipalities holds.
const MAX_CAPACITY: i64 = 100_000;

fn get(form: &HashMap<String, String>, name: &str) -> String {
    form.get(name).map_or("", String::as_str).trim().to_owned()
}

fn too_long(value: &str, max: usize) -> bool {
    value.chars().count() > max
}

/// An event as typed in the form. Not `Debug`: it holds the meeting link.
#[derive(Clone, Default)]
pub struct EventEdit {
    pub title: String,
    pub description: String,
    pub audience: String,
    pub format: String,
    pub place: String,
    pub address: String,
    pub municipality: String,
    pub language: String,
    pub accessibility: Vec<Access>,
    pub start_date: String,
    pub start_time: String,
    pub end_date: String,
    pub end_time: String,
    pub capacity: String,
    pub opens_date: String,
    pub opens_time: String,
    pub closes_date: String,
    pub closes_time: String,
    pub meeting_link: String,
}

fn date_text(at: DateTime<Utc>) -> (String, String) {
    let local = stockholm_local(at);
    (
        local.date().format("%Y-%m-%d").to_string(),
        local.time().format("%H:%M").to_string(),
    )
}

impl EventEdit {
    /// A new event's form: Swedish, and the municipality that runs the site.
    pub fn blank(municipality: &str) -> EventEdit {
        EventEdit {
            language: "Svenska".to_owned(),
            municipality: municipality.to_owned(),
            ..EventEdit::default()
        }
    }

    pub fn from_event(e: &Event) -> EventEdit {
        let (start_date, start_time) = date_text(e.starts_at);
        let (end_date, end_time) = date_text(e.ends_at);
        let (opens_date, opens_time) = e.registration_opens_at.map(date_text).unwrap_or_default();
        let (closes_date, closes_time) =
            e.registration_closes_at.map(date_text).unwrap_or_default();
        EventEdit {
            title: e.title.clone(),
            description: e.description_md.clone(),
            audience: e.audience.slug().to_owned(),
            format: e.format.slug().to_owned(),
            place: e.place.clone().unwrap_or_default(),
            address: e.address.clone().unwrap_or_default(),
            municipality: e.municipality.clone(),
            language: e.language.clone(),
            accessibility: e.accessibility.clone(),
            start_date,
            start_time,
            end_date,
            end_time,
            capacity: e.capacity.map(|c| c.to_string()).unwrap_or_default(),
            opens_date,
            opens_time,
            closes_date,
            closes_time,
            meeting_link: e
                .meeting_link
                .as_ref()
                .map(|l| l.as_str().to_owned())
                .unwrap_or_default(),
        }
    }

    pub fn from_form(form: &HashMap<String, String>) -> EventEdit {
        EventEdit {
            title: get(form, "titel"),
            description: form
                .get("beskrivning")
                .map_or("", String::as_str)
                .trim()
                .replace("\r\n", "\n"),
            audience: get(form, "malgrupp"),
            format: get(form, "format"),
            place: get(form, "plats"),
            address: get(form, "adress"),
            municipality: get(form, "kommun"),
            language: get(form, "sprak"),
            accessibility: Access::ALL
                .into_iter()
                .filter(|a| get(form, &format!("tillganglighet-{}", a.code())) == "ja")
                .collect(),
            start_date: get(form, "startdatum"),
            start_time: get(form, "starttid"),
            end_date: get(form, "slutdatum"),
            end_time: get(form, "sluttid"),
            capacity: get(form, "platser"),
            opens_date: get(form, "oppnar-datum"),
            opens_time: get(form, "oppnar-tid"),
            closes_date: get(form, "stanger-datum"),
            closes_time: get(form, "stanger-tid"),
            meeting_link: get(form, "moteslank"),
        }
    }

    pub fn has(&self, access: &Access) -> bool {
        self.accessibility.contains(access)
    }

    /// The event this form describes, or what is wrong with it. `base`
    /// carries what the form does not (id, UID, status, sequence).
    pub fn to_event(&self, campaign: &Campaign, base: &Event) -> Result<Event, Vec<FieldError>> {
        let mut errors = vec![];
        let mut need = |ok: bool, field: &str, text: &str| {
            if !ok {
                errors.push(FieldError::new(field, text));
            }
        };
        need(!self.title.is_empty(), "titel", "Skriv evenemangets titel.");
        need(
            !too_long(&self.title, MAX_LINE),
            "titel",
            "Titeln får vara högst 200 tecken.",
        );
        need(
            !self.description.is_empty(),
            "beskrivning",
            "Beskriv evenemanget.",
        );
        need(
            !too_long(&self.description, MAX_TEXT),
            "beskrivning",
            "Beskrivningen får vara högst 10 000 tecken.",
        );
        let audience = Audience::from_slug(&self.audience);
        let format = Format::from_slug(&self.format);
        if audience.is_none() {
            errors.push(FieldError::at(
                "malgrupp",
                "malgrupp-skolungdomar",
                "Välj vilka evenemanget är för.",
            ));
        }
        if format.is_none() {
            errors.push(FieldError::at(
                "format",
                "format-digitalt",
                "Välj om evenemanget är digitalt eller på plats.",
            ));
        }
        if format == Some(Format::OnSite) {
            if self.place.is_empty() {
                errors.push(FieldError::new("plats", "Skriv var evenemanget är."));
            }
            if self.address.is_empty() {
                errors.push(FieldError::new(
                    "adress",
                    "Skriv adressen, så att deltagarna hittar dit.",
                ));
            }
        }
        for (field, value) in [("plats", &self.place), ("adress", &self.address)] {
            if too_long(value, MAX_LINE) {
                errors.push(FieldError::new(field, "Högst 200 tecken."));
            }
        }
        if campaign.municipality(&self.municipality).is_none() {
            errors.push(FieldError::new(
                "kommun",
                "Välj en av kampanjens kommuner som arrangör.",
            ));
        }
        if self.language.is_empty() || too_long(&self.language, 60) {
            errors.push(FieldError::new(
                "sprak",
                "Skriv vilket språk evenemanget hålls på, till exempel Svenska.",
            ));
        }
        let start = instant(
            &mut errors,
            ("startdatum", &self.start_date),
            ("starttid", &self.start_time),
            "start",
        );
        let end = instant(
            &mut errors,
            ("slutdatum", &self.end_date),
            ("sluttid", &self.end_time),
            "slut",
        );
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                errors.push(FieldError::new(
                    "sluttid",
                    "Evenemanget måste sluta efter att det har börjat.",
                ));
            }
        }
        let capacity = if self.capacity.is_empty() {
            None
        } else {
            match self.capacity.parse::<i64>() {
                Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new(
                        "platser",
                        "Skriv antalet platser som en siffra, till exempel 40, eller lämna fältet tomt om antalet inte är begränsat.",
                    ));
                    None
                }
            }
        };
        let opens = optional_instant(
            &mut errors,
            ("oppnar-datum", &self.opens_date),
            ("oppnar-tid", &self.opens_time),
            "när anmälan öppnar",
        );
        let closes = optional_instant(
            &mut errors,
            ("stanger-datum", &self.closes_date),
            ("stanger-tid", &self.closes_time),
            "när anmälan stänger",
        );
        if let (Some(o), Some(c)) = (opens, closes) {
            if c <= o {
                errors.push(FieldError::new(
                    "stanger-datum",
                    "Anmälan måste stänga efter att den har öppnat.",
                ));
            }
        }
        if let (Some(c), Some(e)) = (closes, end) {
            if c > e {
                errors.push(FieldError::new(
                    "stanger-datum",
                    "Anmälan kan inte stänga efter att evenemanget är slut.",
                ));
            }
        }
        // Near the campaign's own year: also keeps dates a database cannot
        // store (year 200000) from reaching one.
        let near = |at: DateTime<Utc>| {
            (campaign.year - 1..=campaign.year + 1).contains(&i64::from(at.year()))
        };
        for (at, field) in [
            (start, "startdatum"),
            (end, "slutdatum"),
            (opens, "oppnar-datum"),
            (closes, "stanger-datum"),
        ] {
            if at.is_some_and(|at| !near(at)) {
                errors.push(FieldError::new(
                    field,
                    format!("Välj ett datum nära kampanjåret {}.", campaign.year),
                ));
            }
        }
        let link_ok = self.meeting_link.is_empty()
            || (self.meeting_link.starts_with("https://")
                && url::Url::parse(&self.meeting_link).is_ok()
                && !too_long(&self.meeting_link, 500));
        if !link_ok {
            errors.push(FieldError::new(
                "moteslank",
                "Mötets adress ska börja med https://, till exempel https://teams.microsoft.com/…",
            ));
        }
        let (Some(audience), Some(format), Some(starts_at), Some(ends_at)) =
            (audience, format, start, end)
        else {
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let on_site = format == Format::OnSite;
        let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Ok(Event {
            slug: slug(&self.title),
            title: self.title.clone(),
            description_md: self.description.clone(),
            audience,
            format,
            place: if on_site { text(&self.place) } else { None },
            address: if on_site { text(&self.address) } else { None },
            municipality: self.municipality.clone(),
            language: self.language.clone(),
            accessibility: self.accessibility.clone(),
            starts_at,
            ends_at,
            capacity,
            registration_opens_at: opens,
            registration_closes_at: closes,
            meeting_link: if on_site {
                None
            } else {
                text(&self.meeting_link).map(MeetingLink::new)
            },
            ..base.clone()
        })
    }
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// `18:00`, `9:30` or `18.00`.
fn parse_time(text: &str) -> Option<NaiveTime> {
    let text = text.replace('.', ":");
    NaiveTime::parse_from_str(&text, "%H:%M").ok()
}

/// A date and time in Stockholm as an instant, or its problem recorded.
fn instant(
    errors: &mut Vec<FieldError>,
    (date_field, date): (&str, &str),
    (time_field, time): (&str, &str),
    what: &str,
) -> Option<DateTime<Utc>> {
    let Some(day) = parse_date(date) else {
        errors.push(FieldError::new(
            date_field,
            format!("Skriv datumet för {what} som år-månad-dag, till exempel 2026-11-12."),
        ));
        return None;
    };
    let Some(clock) = parse_time(time) else {
        errors.push(FieldError::new(
            time_field,
            format!("Skriv tiden för {what} som timmar och minuter, till exempel 18:00."),
        ));
        return None;
    };
    match stockholm_instant(day, clock) {
        Ok(at) => Some(at),
        Err(LocalTimeProblem::DoesNotExist) => {
            errors.push(FieldError::new(
                time_field,
                format!(
                    "{date} {time} finns inte i svensk tid: klockan ställs fram en timme den natten. Välj en annan tid."
                ),
            ));
            None
        }
        Err(LocalTimeProblem::Ambiguous) => {
            errors.push(FieldError::new(
                time_field,
                format!(
                    "{date} {time} inträffar två gånger i svensk tid: klockan ställs tillbaka en timme den natten. Välj en annan tid."
                ),
            ));
            None
        }
    }
}

/// Like [`instant`] for a pair of fields that may both be empty.
fn optional_instant(
    errors: &mut Vec<FieldError>,
    date: (&str, &str),
    time: (&str, &str),
    what: &str,
) -> Option<DateTime<Utc>> {
    if date.1.is_empty() && time.1.is_empty() {
        return None;
    }
    instant(errors, date, time, what)
}

/// A campaign as typed in the form.
#[derive(Debug, Clone, Default)]
pub struct CampaignEdit {
    pub theme: String,
    pub starts_on: String,
    pub ends_on: String,
    pub intro: String,
    pub colour: String,
    /// One municipality per line.
    pub municipalities: String,
    pub published: bool,
}

impl CampaignEdit {
    pub fn from_campaign(c: &Campaign) -> CampaignEdit {
        CampaignEdit {
            theme: c.theme.clone(),
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.to_string(),
            intro: c.intro_md.clone(),
            colour: c.colour.code().to_owned(),
            municipalities: c
                .municipalities
                .iter()
                .map(|m| {
                    if m.domains.is_empty() {
                        m.name.clone()
                    } else {
                        format!("{}: {}", m.name, m.domains.join(", "))
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            published: c.published,
        }
    }

    pub fn from_form(form: &HashMap<String, String>) -> CampaignEdit {
        CampaignEdit {
            theme: get(form, "tema"),
            starts_on: get(form, "borjar"),
            ends_on: get(form, "slutar"),
            intro: get(form, "inledning").replace("\r\n", "\n"),
            colour: get(form, "farg"),
            municipalities: get(form, "kommuner").replace("\r\n", "\n"),
            published: get(form, "publicerad") == "ja",
        }
    }

    pub fn to_campaign(&self, year: i64, today: NaiveDate) -> Result<Campaign, Vec<FieldError>> {
        let mut errors = vec![];
        if self.theme.is_empty() || too_long(&self.theme, MAX_LINE) {
            errors.push(FieldError::new(
                "tema",
                "Skriv årets tema, högst 200 tecken.",
            ));
        }
        let starts = parse_date(&self.starts_on);
        let ends = parse_date(&self.ends_on);
        if starts.is_none() {
            errors.push(FieldError::new(
                "borjar",
                "Skriv när kampanjen börjar som år-månad-dag, till exempel 2026-11-01.",
            ));
        }
        if ends.is_none() {
            errors.push(FieldError::new(
                "slutar",
                "Skriv när kampanjen slutar som år-månad-dag, till exempel 2026-11-30.",
            ));
        }
        let own_year = |d: NaiveDate| i64::from(d.year()) == year;
        if starts.is_some_and(|d| !own_year(d)) {
            errors.push(FieldError::new(
                "borjar",
                format!("Kampanjen {year} ska börja under {year}."),
            ));
        }
        if ends.is_some_and(|d| !own_year(d)) {
            errors.push(FieldError::new(
                "slutar",
                format!("Kampanjen {year} ska sluta under {year}."),
            ));
        }
        if let (Some(s), Some(e)) = (starts, ends) {
            if e < s {
                errors.push(FieldError::new(
                    "slutar",
                    "Kampanjen kan inte sluta innan den börjar.",
                ));
            }
        }
        if too_long(&self.intro, MAX_TEXT) {
            errors.push(FieldError::new(
                "inledning",
                "Inledningen får vara högst 10 000 tecken.",
            ));
        }
        let colour = Colour::parse(&self.colour);
        if colour.is_none() {
            errors.push(FieldError::at(
                "farg",
                "farg-orange",
                "Välj kampanjens färg.",
            ));
        }
        let mut municipalities: Vec<Municipality> = vec![];
        let mut bad_domain = None;
        for line in self.municipalities.lines().map(str::trim) {
            if line.is_empty() {
                continue;
            }
            // "Järfälla: jarfalla.se, skola.jarfalla.se": the name, then
            // the e-mail domains of its employees, if any.
            let (name, domains) = line.split_once(':').unwrap_or((line, ""));
            let mut m = Municipality::named(name);
            if line.contains(':') {
                m.domains = vec![];
                for d in domains
                    .split([',', ' '])
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                {
                    let d = d.trim_start_matches('@').to_lowercase();
                    if !is_domain(&d) {
                        bad_domain.get_or_insert(d.clone());
                    } else if !m.domains.contains(&d) {
                        m.domains.push(d);
                    }
                }
            }
            if !municipalities.iter().any(|o| o.slug == m.slug) {
                municipalities.push(m);
            }
        }
        if municipalities.is_empty()
            || municipalities.len() > 50
            || municipalities
                .iter()
                .any(|m| m.name.is_empty() || too_long(&m.name, 80) || m.domains.len() > 10)
        {
            errors.push(FieldError::new(
                "kommuner",
                "Skriv minst en kommun, en per rad.",
            ));
        } else if let Some(d) = bad_domain {
            errors.push(FieldError::new(
                "kommuner",
                format!(
                    "”{}” är ingen e-postdomän. Skriv domänerna efter ett kolon, till exempel Järfälla: jarfalla.se",
                    d.chars().take(60).collect::<String>()
                ),
            ));
        }
        match (starts, ends, colour) {
            (Some(starts_on), Some(ends_on), Some(colour)) if errors.is_empty() => Ok(Campaign {
                year,
                theme: self.theme.clone(),
                starts_on,
                ends_on,
                intro_md: self.intro.clone(),
                colour,
                published: self.published,
                example: false,
                updated_on: today,
                municipalities,
            }),
            _ => Err(errors),
        }
    }
}

/// An e-mail domain as people write it after the `@`: labels of letters,
/// digits and hyphens, at least two, the last not all digits.
fn is_domain(d: &str) -> bool {
    let labels: Vec<&str> = d.split('.').collect();
    d.len() <= 100
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|l| !l.chars().all(|c| c.is_ascii_digit()))
}

/// The reason for cancelling, as people will read it on the event page.
pub fn cancel_reason(typed: &str) -> Result<String, FieldError> {
    let reason = typed.trim();
    if reason.is_empty() || too_long(reason, 500) {
        return Err(FieldError::new(
            "anledning",
            "Skriv varför evenemanget är inställt (högst 500 tecken). Det visas på evenemangets sida.",
        ));
    }
    Ok(reason.to_owned())
}

/// A fresh draft event in `year` (the base for [`EventEdit::to_event`]).
pub fn new_event(year: i64, uid: String, now: DateTime<Utc>) -> Event {
    Event {
        id: 0,
        campaign_year: year,
        uid,
        slug: String::new(),
        title: String::new(),
        description_md: String::new(),
        audience: Audience::Public,
        format: Format::OnSite,
        place: None,
        address: None,
        municipality: String::new(),
        language: String::new(),
        accessibility: vec![],
        starts_at: now,
        ends_at: now,
        capacity: None,
        registration_opens_at: None,
        registration_closes_at: None,
        status: Status::Draft,
        cancel_reason: None,
        meeting_link: None,
        sequence: 0,
        example: false,
        updated_at: now,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign() -> Campaign {
        let (starts_on, ends_on) = Campaign::november(2026);
        Campaign {
            year: 2026,
            theme: "Tema".into(),
            starts_on,
            ends_on,
            intro_md: String::new(),
            colour: Colour::Orange,
            published: true,
            example: false,
            updated_on: starts_on,
            municipalities: vec![Municipality::named("Järfälla")],
        }
    }

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn good() -> Vec<(&'static str, &'static str)> {
        vec![
            ("titel", "Föreläsning om våld"),
            ("beskrivning", "Om våld i nära relationer."),
            ("malgrupp", "anstallda"),
            ("format", "digitalt"),
            ("kommun", "jarfalla"),
            ("sprak", "Svenska"),
            ("startdatum", "2026-11-12"),
            ("starttid", "9.00"),
            ("slutdatum", "2026-11-12"),
            ("sluttid", "11:00"),
            ("moteslank", "https://meet.example/abc"),
            ("tillganglighet-textning", "ja"),
        ]
    }

    #[test]
    fn a_good_form_becomes_an_event() {
        let base = new_event(2026, "u".into(), Utc::now());
        let e = EventEdit::from_form(&form(&good()))
            .to_event(&campaign(), &base)
            .unwrap();
        assert_eq!(e.slug, "forelasning-om-vald");
        assert_eq!(e.starts_at.to_rfc3339(), "2026-11-12T08:00:00+00:00");
        assert_eq!(e.accessibility, vec![Access::Captions]);
        assert_eq!(
            e.meeting_link.as_ref().map(MeetingLink::as_str),
            Some("https://meet.example/abc")
        );
        assert_eq!(e.place, None);
        // Round trip through the form.
        let again = EventEdit::from_event(&e);
        assert_eq!(again.start_time, "09:00");
        assert_eq!(
            again.to_event(&campaign(), &base).unwrap().starts_at,
            e.starts_at
        );
    }

    #[test]
    fn clock_changes_and_mistakes_are_refused_by_field() {
        let base = new_event(2026, "u".into(), Utc::now());
        let refused = |changes: &[(&'static str, &'static str)]| {
            let mut pairs = good();
            pairs.retain(|(k, _)| !changes.iter().any(|(c, _)| c == k));
            pairs.extend_from_slice(changes);
            EventEdit::from_form(&form(&pairs))
                .to_event(&campaign(), &base)
                .unwrap_err()
        };
        let e = refused(&[("startdatum", "2026-10-25"), ("starttid", "02:30")]);
        assert_eq!(e[0].field, "starttid");
        assert!(e[0].text.contains("två gånger"), "{e:?}");
        let e = refused(&[("startdatum", "2026-03-29"), ("starttid", "02:15")]);
        assert!(e[0].text.contains("finns inte"), "{e:?}");
        let e = refused(&[("sluttid", "08:00")]);
        assert_eq!(e[0].field, "sluttid");
        let e = refused(&[("format", "pa-plats")]);
        let fields: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["plats", "adress"]);
        let e = refused(&[
            ("kommun", "stockholm"),
            ("platser", "-3"),
            ("moteslank", "javascript:x"),
        ]);
        let fields: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kommun", "platser", "moteslank"]);
    }

    #[test]
    fn campaign_forms() {
        let today = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        let edit = CampaignEdit::from_form(&form(&[
            ("tema", "Våld är aldrig okej"),
            ("borjar", "2026-11-01"),
            ("slutar", "2026-11-30"),
            ("farg", "lila"),
            ("kommuner", "Järfälla\r\nSolna\n\nSolna\nUpplands Väsby"),
        ]));
        let c = edit.to_campaign(2026, today).unwrap();
        let slugs: Vec<_> = c.municipalities.iter().map(|m| m.slug.as_str()).collect();
        assert_eq!(slugs, ["jarfalla", "solna", "upplands-vasby"]);
        let bad =
            CampaignEdit::from_form(&form(&[("borjar", "2026-11-30"), ("slutar", "2026-11-01")]))
                .to_campaign(2026, today)
                .unwrap_err();
        let fields: Vec<_> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["tema", "slutar", "farg", "kommuner"]);
    }
}
