//! Typed help-directory records. Confirmation flags travel with the data:
//! anything not confirmed is stored for editors but never published.

use chrono::NaiveDate;

use super::hours::WeeklyHours;

/// Who a service is for; the URL value doubles as the `?for=` filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    Subjected,
    Concerned,
    Young,
    Perpetrator,
    Professional,
}

impl Audience {
    pub const ALL: [Audience; 5] = [
        Audience::Subjected,
        Audience::Concerned,
        Audience::Young,
        Audience::Perpetrator,
        Audience::Professional,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Audience::Subjected => "utsatt",
            Audience::Concerned => "granne",
            Audience::Young => "barn",
            Audience::Perpetrator => "utovare",
            Audience::Professional => "yrkesverksam",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.slug() == slug)
    }

    /// Message-catalogue key of the audience as it ends "… ställen för":
    /// "dig som är utsatt".
    pub fn for_key(self) -> &'static str {
        match self {
            Audience::Subjected => "audience-for-utsatt",
            Audience::Concerned => "audience-for-granne",
            Audience::Young => "audience-for-barn",
            Audience::Perpetrator => "audience-for-utovare",
            Audience::Professional => "audience-for-yrkesverksam",
        }
    }

    /// Message-catalogue key of the audience's label.
    pub fn message_key(self) -> &'static str {
        match self {
            Audience::Subjected => "audience-utsatt",
            Audience::Concerned => "audience-granne",
            Audience::Young => "audience-barn",
            Audience::Perpetrator => "audience-utovare",
            Audience::Professional => "audience-yrkesverksam",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    National,
    Local,
}

#[derive(Debug, Clone)]
pub struct Organization {
    pub id: String,
    pub key: String,
    pub name: String,
    pub description: String,
    pub website: Option<String>,
    pub updated_on: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub id: String,
    pub key: String,
    pub organization_id: String,
    pub name: String,
    pub description: String,
    pub audiences: Vec<Audience>,
    /// ISO 639-1 codes.
    pub languages: Vec<String>,
    pub interpretation: Option<String>,
    pub url: Option<String>,
    /// What following `url` gives, when it is more than the website
    /// ("Chatta med BRIS", "Hitta en kvinnojour").
    pub url_label: Option<String>,
    pub call_safety: Option<String>,
    /// False while the service itself is unverified: stored, not shown.
    pub confirmed: bool,
    pub verified_on: Option<NaiveDate>,
    /// Position in the help box (1 = first); 0 = not in the box.
    pub featured: i64,
    pub emergency: bool,
    pub sort: i64,
    pub area: Area,
    pub updated_on: NaiveDate,
    pub phones: Vec<Phone>,
}

impl Service {
    pub fn is_public(&self) -> bool {
        self.confirmed
    }

    /// The date shown as "Kontrollerad", only for confirmed services.
    pub fn public_verified_on(&self) -> Option<NaiveDate> {
        self.verified_on.filter(|_| self.confirmed)
    }

    pub fn public_phones(&self) -> impl Iterator<Item = (&Phone, PhoneNumber)> {
        self.phones
            .iter()
            .filter_map(|p| Some((p, p.public_number()?)))
    }
}

#[derive(Debug, Clone)]
pub struct Phone {
    pub id: String,
    pub label: String,
    /// As written in Swedish practice, e.g. "020-50 50 50"; may be empty.
    pub number: String,
    pub languages: Vec<String>,
    pub confirmed: bool,
    pub always_open: bool,
    pub hours_confirmed: bool,
    /// Rough hours in words when the exact schedule is not known.
    pub hours_text: Option<String>,
    pub hours: WeeklyHours,
}

/// What may be said publicly about when a line is open.
#[derive(Debug, Clone, PartialEq)]
pub enum PublicHours<'a> {
    AlwaysOpen,
    Schedule(&'a WeeklyHours),
    /// Only a rough description is known: shown, but no "open now".
    Text(&'a str),
    Unknown,
}

impl Phone {
    pub fn public_number(&self) -> Option<PhoneNumber> {
        if self.confirmed {
            PhoneNumber::parse(&self.number)
        } else {
            None
        }
    }

    pub fn public_hours(&self) -> PublicHours<'_> {
        if !self.hours_confirmed {
            return PublicHours::Unknown;
        }
        if self.always_open {
            PublicHours::AlwaysOpen
        } else if !self.hours.is_empty() {
            PublicHours::Schedule(&self.hours)
        } else if let Some(text) = self.hours_text.as_deref() {
            PublicHours::Text(text)
        } else {
            PublicHours::Unknown
        }
    }
}

/// A dialable Swedish number. Keeps the text as people write it for display
/// and derives the `tel:` target: short numbers exactly as dialled, others in
/// E.164, always plain ASCII so no formatting character reaches an attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    display: String,
    dial: String,
}

impl PhoneNumber {
    pub fn parse(text: &str) -> Option<PhoneNumber> {
        let display = text.trim();
        let mut digits = String::new();
        for (i, c) in display.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => digits.push(c),
                ' ' | '-' | '\u{a0}' => {}
                _ => return None,
            }
        }
        let dial = if let Some(rest) = digits.strip_prefix("+") {
            if rest.len() < 7 || rest.contains('+') {
                return None;
            }
            digits.clone()
        } else if let Some(rest) = digits.strip_prefix('0') {
            // Swedish national format: trunk 0 + area code + subscriber.
            if rest.len() < 6 || rest.len() > 12 || rest.starts_with('0') {
                return None;
            }
            format!("+46{rest}")
        } else if (3..=6).contains(&digits.len()) {
            // Short numbers (112, 114 14, 116 006, 1177) are dialled as is.
            digits.clone()
        } else {
            return None;
        };
        Some(PhoneNumber {
            display: display.replace(' ', "\u{a0}"),
            dial,
        })
    }

    /// Display text with non-breaking spaces so a number never wraps.
    pub fn display(&self) -> &str {
        &self.display
    }

    pub fn tel_href(&self) -> String {
        format!("tel:{}", self.dial)
    }

    /// E.164 or short number, for open data.
    pub fn dial(&self) -> &str {
        &self.dial
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_stay_as_dialled() {
        for (text, href) in [
            ("112", "tel:112"),
            ("114 14", "tel:11414"),
            ("116 006", "tel:116006"),
            ("116 111", "tel:116111"),
            ("1177", "tel:1177"),
        ] {
            assert_eq!(PhoneNumber::parse(text).unwrap().tel_href(), href);
        }
    }

    #[test]
    fn national_numbers_become_e164() {
        for (text, href) in [
            ("020-50 50 50", "tel:+4620505050"),
            ("08-580 285 00", "tel:+46858028500"),
            ("010-223 57 60", "tel:+46102235760"),
            ("08-123 130 80", "tel:+46812313080"),
            ("+46 8 580 285 00", "tel:+46858028500"),
        ] {
            assert_eq!(PhoneNumber::parse(text).unwrap().tel_href(), href, "{text}");
        }
    }

    #[test]
    fn hrefs_are_plain_ascii() {
        let n = PhoneNumber::parse("020-50\u{a0}50 50").unwrap();
        assert!(n.tel_href().chars().all(|c| c.is_ascii_graphic()));
        assert_eq!(n.display(), "020-50\u{a0}50\u{a0}50");
    }

    #[test]
    fn garbage_is_rejected() {
        for text in [
            "",
            "ring oss",
            "12",
            "0",
            "00 46 8",
            "112\u{202e}",
            "+4",
            "1234567",
        ] {
            assert!(PhoneNumber::parse(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn audiences_round_trip_through_slugs() {
        for a in Audience::ALL {
            assert_eq!(Audience::from_slug(a.slug()), Some(a));
        }
        assert_eq!(Audience::from_slug("okand"), None);
    }
}
