//! The campaign programme as the domain sees it: a campaign (one November,
//! shared by several municipalities) and its events, with the rules that
//! make a valid one. Swedish words are what people read and type (the
//! filter values in addresses too); the code's names are English.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Stockholm;

/// Who an event is for. One audience per event: part 2 asks each of them
/// for different things when they register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    SchoolYouth,
    CivilSociety,
    Employees,
    Public,
}

impl Audience {
    pub const ALL: [Audience; 4] = [
        Audience::SchoolYouth,
        Audience::CivilSociety,
        Audience::Employees,
        Audience::Public,
    ];

    /// The value in `?for=` and in the database.
    pub fn slug(self) -> &'static str {
        match self {
            Audience::SchoolYouth => "skolungdomar",
            Audience::CivilSociety => "civilsamhalle",
            Audience::Employees => "anstallda",
            Audience::Public => "allmanheten",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::SchoolYouth => "Skolungdomar",
            Audience::CivilSociety => "Civilsamhälle",
            Audience::Employees => "Anställda i kommunerna",
            Audience::Public => "Allmänheten",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.slug() == slug)
    }
}

/// Where an event happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Digital,
    OnSite,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::Digital, Format::OnSite];

    pub fn slug(self) -> &'static str {
        match self {
            Format::Digital => "digitalt",
            Format::OnSite => "pa-plats",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Digital => "Digitalt",
            Format::OnSite => "På plats",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.slug() == slug)
    }
}

/// An event's life: planned in private, published, or called off (and
/// then still shown, with the reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Published,
    Cancelled,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "utkast",
            Status::Published => "publicerad",
            Status::Cancelled => "installd",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Utkast",
            Status::Published => "Publicerad",
            Status::Cancelled => "Inställd",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        [Status::Draft, Status::Published, Status::Cancelled]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// Seen by the public: published or cancelled, never a draft.
    pub fn is_public(self) -> bool {
        self != Status::Draft
    }
}

/// What an event offers for access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Interpreter,
    HearingLoop,
    Captions,
    WheelchairSpaces,
}

impl Access {
    pub const ALL: [Access; 4] = [
        Access::Interpreter,
        Access::HearingLoop,
        Access::Captions,
        Access::WheelchairSpaces,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Access::Interpreter => "tolk",
            Access::HearingLoop => "horslinga",
            Access::Captions => "textning",
            Access::WheelchairSpaces => "rullstolsplatser",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Access::Interpreter => "Tolk",
            Access::HearingLoop => "Hörslinga",
            Access::Captions => "Textning",
            Access::WheelchairSpaces => "Rullstolsplatser",
        }
    }

    /// The stored list (`tolk,textning`), unknown words dropped.
    pub fn parse_list(list: &str) -> Vec<Access> {
        Access::ALL
            .into_iter()
            .filter(|a| list.split(',').any(|w| w.trim() == a.code()))
            .collect()
    }

    pub fn join(list: &[Access]) -> String {
        list.iter().map(|a| a.code()).collect::<Vec<_>>().join(",")
    }
}

/// A campaign's colour: a class from a fixed palette. The CSP forbids
/// inline style, and each pair of colours in `assets/site.css` is checked
/// at 4.5:1 by a test, so an editor cannot pick an unreadable one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    Orange,
    Purple,
    Green,
    Blue,
}

impl Colour {
    pub const ALL: [Colour; 4] = [Colour::Orange, Colour::Purple, Colour::Green, Colour::Blue];

    pub fn code(self) -> &'static str {
        match self {
            Colour::Orange => "orange",
            Colour::Purple => "lila",
            Colour::Green => "gron",
            Colour::Blue => "bla",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Colour::Orange => "Orange",
            Colour::Purple => "Lila",
            Colour::Green => "Grön",
            Colour::Blue => "Blå",
        }
    }

    /// The CSS class that carries the colour.
    pub fn class(self) -> String {
        format!("campaign--{}", self.code())
    }

    pub fn parse(code: &str) -> Option<Colour> {
        Colour::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// A municipality that arranges a campaign with the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    pub slug: String,
    pub name: String,
    /// The e-mail domains of its employees (`jarfalla.se`): a lecture for
    /// employees takes registrations from these addresses only.
    pub domains: Vec<String>,
}

impl Municipality {
    /// A municipality by name, with the e-mail domain Fridhem knows for
    /// the seven co-arrangers (staff can change them per campaign).
    pub fn named(name: &str) -> Municipality {
        let slug = slug(name);
        let domains = default_domain(&slug)
            .map(str::to_owned)
            .into_iter()
            .collect();
        Municipality {
            slug,
            name: name.trim().to_owned(),
            domains,
        }
    }

    /// Whether `email`'s domain is one of this municipality's, or a
    /// subdomain of one (`namn@skola.jarfalla.se`).
    pub fn owns_address(&self, email: &str) -> bool {
        let Some((_, domain)) = email.rsplit_once('@') else {
            return false;
        };
        let domain = domain.to_lowercase();
        self.domains.iter().any(|d| {
            domain == *d
                || domain
                    .strip_suffix(d.as_str())
                    .is_some_and(|rest| rest.ends_with('.'))
        })
    }
}

/// The employees' e-mail domain of each co-arranging municipality.
fn default_domain(slug: &str) -> Option<&'static str> {
    Some(match slug {
        "jarfalla" => "jarfalla.se",
        "sundbyberg" => "sundbyberg.se",
        "sollentuna" => "sollentuna.se",
        "solna" => "solna.se",
        "sigtuna" => "sigtuna.se",
        "upplands-vasby" => "upplandsvasby.se",
        "upplands-bro" => "upplands-bro.se",
        _ => return None,
    })
}

/// The seven municipalities in north-west Stockholm that have run the
/// month together since 2020 (as Järfälla kommun describes the campaign),
/// Järfälla first.
pub const CO_ARRANGERS: [&str; 7] = [
    "Järfälla",
    "Sundbyberg",
    "Sollentuna",
    "Solna",
    "Sigtuna",
    "Upplands Väsby",
    "Upplands-Bro",
];

/// One November.
#[derive(Debug, Clone)]
pub struct Campaign {
    pub year: i64,
    pub theme: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub intro_md: String,
    pub colour: Colour,
    pub published: bool,
    pub example: bool,
    pub updated_on: NaiveDate,
    pub municipalities: Vec<Municipality>,
}

impl Campaign {
    /// The default period: 1–30 November.
    pub fn november(year: i64) -> (NaiveDate, NaiveDate) {
        let y = i32::try_from(year).unwrap_or(2026);
        (
            NaiveDate::from_ymd_opt(y, 11, 1).unwrap_or_default(),
            NaiveDate::from_ymd_opt(y, 11, 30).unwrap_or_default(),
        )
    }

    pub fn municipality(&self, slug: &str) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.slug == slug)
    }
}

/// One event of a campaign.
#[derive(Debug, Clone)]
pub struct Event {
    pub id: i64,
    pub campaign_year: i64,
    /// The iCalendar UID: drawn once, kept through every change.
    pub uid: String,
    pub slug: String,
    pub title: String,
    pub description_md: String,
    pub audience: Audience,
    pub format: Format,
    pub place: Option<String>,
    pub address: Option<String>,
    /// The organising municipality's slug.
    pub municipality: String,
    pub language: String,
    pub accessibility: Vec<Access>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: Option<i64>,
    pub registration_opens_at: Option<DateTime<Utc>>,
    pub registration_closes_at: Option<DateTime<Utc>>,
    pub status: Status,
    pub cancel_reason: Option<String>,
    /// Never on a public page, in a feed, in JSON-LD or in a log.
    pub meeting_link: Option<MeetingLink>,
    /// Raised by every change people with the event in their calendar
    /// should see (iCalendar SEQUENCE).
    pub sequence: i64,
    pub example: bool,
    pub updated_at: DateTime<Utc>,
}

impl Event {
    /// The event's public address.
    pub fn path(&self) -> String {
        format!("/evenemang/{}-{}", self.id, self.slug)
    }

    /// Over when it ends.
    pub fn is_past(&self, now: DateTime<Utc>) -> bool {
        self.ends_at <= now
    }

    pub fn is_cancelled(&self) -> bool {
        self.status == Status::Cancelled
    }

    pub fn is_draft(&self) -> bool {
        self.status == Status::Draft
    }

    /// Where it is, in one line: "Digitalt", or the place and address.
    pub fn location(&self) -> String {
        match self.format {
            Format::Digital => "Digitalt".to_owned(),
            Format::OnSite => [self.place.as_deref(), self.address.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// A digital event's meeting address: only registered people get it (part
/// 2's e-mails), so it prints as `MeetingLink(…)` in any debug output or
/// log, and a public template cannot reach it by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct MeetingLink(String);

impl MeetingLink {
    pub fn new(address: String) -> MeetingLink {
        MeetingLink(address)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for MeetingLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MeetingLink(…)")
    }
}

/// An address-friendly form of a title: lower case ASCII letters and
/// digits joined by single dashes (å, ä → a; ö → o; é → e).
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            'í' | 'ï' => 'i',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out.truncate(60);
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "evenemang".to_owned()
    } else {
        out
    }
}

/// Why a Stockholm wall-clock time cannot be an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTimeProblem {
    /// Skipped when the clocks go forward in March (02:00–02:59).
    DoesNotExist,
    /// Happens twice when the clocks go back in October (02:00–02:59).
    Ambiguous,
}

/// The instant of a date and time on the clocks in Stockholm. Times the
/// clocks skip or repeat are refused, never guessed: an event at "02:30"
/// on the last Sunday of October would otherwise start at either of two
/// moments an hour apart.
pub fn stockholm_instant(
    date: NaiveDate,
    time: NaiveTime,
) -> Result<DateTime<Utc>, LocalTimeProblem> {
    match Stockholm.from_local_datetime(&NaiveDateTime::new(date, time)) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::None => Err(LocalTimeProblem::DoesNotExist),
        LocalResult::Ambiguous(..) => Err(LocalTimeProblem::Ambiguous),
    }
}

/// An instant as a date and time on the clocks in Stockholm.
pub fn stockholm_local(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&Stockholm).naive_local()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn times_on_both_sides_of_the_clock_changes() {
        // 2026: forward on 29 March, back on 25 October.
        let at = |y, m, day, h| {
            stockholm_instant(d(y, m, day), t(h, 0))
                .unwrap()
                .to_rfc3339()
        };
        assert_eq!(at(2026, 3, 28, 18), "2026-03-28T17:00:00+00:00");
        assert_eq!(at(2026, 3, 30, 18), "2026-03-30T16:00:00+00:00");
        assert_eq!(at(2026, 10, 24, 18), "2026-10-24T16:00:00+00:00");
        assert_eq!(at(2026, 10, 26, 18), "2026-10-26T17:00:00+00:00");
        assert_eq!(at(2026, 11, 12, 9), "2026-11-12T08:00:00+00:00");
        assert_eq!(
            stockholm_instant(d(2026, 3, 29), t(2, 30)),
            Err(LocalTimeProblem::DoesNotExist)
        );
        assert_eq!(
            stockholm_instant(d(2026, 10, 25), t(2, 30)),
            Err(LocalTimeProblem::Ambiguous)
        );
        assert!(stockholm_instant(d(2026, 10, 25), t(3, 0)).is_ok());
        let back = stockholm_instant(d(2026, 10, 26), t(18, 0)).unwrap();
        assert_eq!(
            stockholm_local(back),
            NaiveDateTime::new(d(2026, 10, 26), t(18, 0))
        );
    }

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(slug("Upplands Väsby"), "upplands-vasby");
        assert_eq!(slug("Upplands-Bro"), "upplands-bro");
        assert_eq!(
            slug("  Föreläsning: Våld & makt!  "),
            "forelasning-vald-makt"
        );
        assert_eq!(slug("«»"), "evenemang");
        assert!(slug(&"å".repeat(200)).len() <= 60);
    }

    /// The relative luminance of `#rrggbb` (WCAG 2.2).
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    #[test]
    fn every_campaign_colour_reads_at_4_5_to_1() {
        let css = include_str!("../../assets/site.css");
        for c in Colour::ALL {
            let rule = format!(".{}{{", c.class());
            let at = css
                .find(&rule)
                .unwrap_or_else(|| panic!("no {rule} in site.css"));
            let body = &css[at + rule.len()..];
            let body = &body[..body.find('}').unwrap()];
            let value = |name: &str| {
                let start = body.find(&format!("{name}:#")).unwrap() + name.len() + 2;
                let hex: String = body[start..]
                    .chars()
                    .take_while(char::is_ascii_hexdigit)
                    .collect();
                match hex.len() {
                    3 => format!(
                        "#{}",
                        hex.chars().flat_map(|ch| [ch, ch]).collect::<String>()
                    ),
                    _ => format!("#{hex}"),
                }
            };
            let (fg, bg) = (luminance(&value("color")), luminance(&value("background")));
            let ratio = (fg.max(bg) + 0.05) / (fg.min(bg) + 0.05);
            assert!(ratio >= 4.5, "{}: {ratio:.2}", c.class());
        }
    }

    #[test]
    fn codes_round_trip() {
        for a in Audience::ALL {
            assert_eq!(Audience::from_slug(a.slug()), Some(a));
        }
        for f in Format::ALL {
            assert_eq!(Format::from_slug(f.slug()), Some(f));
        }
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.code()), Some(c));
        }
        assert_eq!(
            Access::parse_list(&Access::join(&[Access::Captions, Access::Interpreter])),
            vec![Access::Interpreter, Access::Captions]
        );
        assert_eq!(Status::parse("installd"), Some(Status::Cancelled));
    }
}
