//! Typed help-directory records. Confirmation flags travel with the data:
//! anything not confirmed is stored for editors but never published.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::hours::WeeklyHours;
pub use crate::types::PhoneNumber;

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

/// Where a service is listed on `/hjalp`: emergency first, then the
/// municipality's own help, then the national lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Emergency,
    Local,
    National,
}

impl Group {
    pub const ALL: [Group; 3] = [Group::Emergency, Group::Local, Group::National];

    /// The group's anchor on the page.
    pub fn id(self) -> &'static str {
        match self {
            Group::Emergency => "akut",
            Group::Local => "lokalt",
            Group::National => "nationellt",
        }
    }
}

impl Service {
    pub fn is_public(&self) -> bool {
        self.confirmed
    }

    /// In the help box on every page: published and featured; the emergency
    /// number has a line of its own there.
    pub fn in_help_box(&self) -> bool {
        self.is_public() && self.featured > 0 && !self.emergency
    }

    /// Listed for `audience` (everyone when `None`); the emergency number
    /// is for everyone.
    pub fn is_for(&self, audience: Option<Audience>) -> bool {
        audience.is_none_or(|a| self.emergency || self.audiences.contains(&a))
    }

    pub fn group(&self) -> Group {
        if self.emergency {
            Group::Emergency
        } else if self.area == Area::Local {
            Group::Local
        } else {
            Group::National
        }
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

/// The directory's words in one language besides Swedish (schema 0004):
/// names, descriptions and notes of services, labels and free-text hours
/// of lines, descriptions of organisations. Numbers, hours, audiences and
/// languages are the same in every language.
#[derive(Debug, Default, Clone)]
pub struct DirectoryTexts {
    pub services: HashMap<String, ServiceText>,
    pub phones: HashMap<String, PhoneText>,
    pub organizations: HashMap<String, OrganizationText>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceText {
    pub name: String,
    pub description: String,
    pub interpretation: Option<String>,
    pub url_label: Option<String>,
    pub call_safety: Option<String>,
    /// The service's date ("updated_on") when the text was translated.
    pub source_updated_on: NaiveDate,
    pub reviewed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneText {
    pub label: String,
    pub hours_text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationText {
    pub description: String,
    pub source_updated_on: NaiveDate,
    pub reviewed: bool,
}

impl DirectoryTexts {
    /// Puts the translated words in place of the Swedish ones. A service
    /// without a translation keeps its Swedish text; their ids are
    /// returned, so the page can mark that text as Swedish. A note the
    /// translation lacks keeps its Swedish wording too: a call-safety note
    /// in Swedish is better than none.
    pub fn apply(
        &self,
        services: &mut [Service],
        organizations: &mut [Organization],
    ) -> HashSet<String> {
        let mut untranslated = HashSet::new();
        for s in services.iter_mut() {
            match self.services.get(&s.id) {
                Some(t) => {
                    s.name.clone_from(&t.name);
                    s.description.clone_from(&t.description);
                    for (field, text) in [
                        (&mut s.interpretation, &t.interpretation),
                        (&mut s.url_label, &t.url_label),
                        (&mut s.call_safety, &t.call_safety),
                    ] {
                        if field.is_some() && text.is_some() {
                            field.clone_from(text);
                        }
                    }
                }
                None => {
                    untranslated.insert(s.id.clone());
                }
            }
            for p in s.phones.iter_mut() {
                if let Some(t) = self.phones.get(&p.id) {
                    p.label.clone_from(&t.label);
                    if p.hours_text.is_some() && t.hours_text.is_some() {
                        p.hours_text.clone_from(&t.hours_text);
                    }
                }
            }
        }
        for o in organizations.iter_mut() {
            if let Some(t) = self.organizations.get(&o.id) {
                o.description.clone_from(&t.description);
            }
        }
        untranslated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_round_trip_through_slugs() {
        for a in Audience::ALL {
            assert_eq!(Audience::from_slug(a.slug()), Some(a));
        }
        assert_eq!(Audience::from_slug("okand"), None);
    }
}
