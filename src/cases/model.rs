//! Case types, references and the validated case ready to be stored.

use std::fmt;

use crate::auth::Role;
use crate::auth::Staff;
pub use crate::types::EmailAddress;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseKind {
    /// Tillgänglighet: an accessibility problem.
    Accessibility,
    /// Alternativt format: content in another format.
    AltFormat,
    /// Kontakt.
    Contact,
}

impl CaseKind {
    pub const ALL: [CaseKind; 3] = [
        CaseKind::Accessibility,
        CaseKind::AltFormat,
        CaseKind::Contact,
    ];

    /// The reference prefix, also the `kind` column.
    pub fn prefix(self) -> &'static str {
        match self {
            CaseKind::Accessibility => "TG",
            CaseKind::AltFormat => "AF",
            CaseKind::Contact => "KO",
        }
    }

    pub fn from_prefix(prefix: &str) -> Option<CaseKind> {
        CaseKind::ALL.into_iter().find(|k| k.prefix() == prefix)
    }

    /// The catalogue key of the type's name ("Brist i tillgängligheten").
    pub fn type_key(self) -> &'static str {
        match self {
            CaseKind::Accessibility => "case-type-tg",
            CaseKind::AltFormat => "case-type-af",
            CaseKind::Contact => "case-type-ko",
        }
    }

    /// The catalogue key of what happens next with such a case.
    pub fn next_key(self) -> &'static str {
        match self {
            CaseKind::Accessibility => "form-tg-next",
            CaseKind::AltFormat => "form-af-next",
            CaseKind::Contact => "form-ko-next",
        }
    }

    /// The catalogue key `form-{tg|af|ko}-{rest}` of a text of the form.
    pub fn form_key(self, rest: &str) -> String {
        format!("form-{}-{rest}", self.prefix().to_lowercase())
    }

    /// The role of the people who handle cases of this type (besides
    /// administrators).
    pub fn role(self) -> Role {
        match self {
            CaseKind::Accessibility => Role::HandlaggareTg,
            CaseKind::AltFormat => Role::HandlaggareAf,
            CaseKind::Contact => Role::HandlaggareKo,
        }
    }

    /// The types `staff` handles: those of their handläggare roles, all
    /// three for an administrator.
    pub fn handled_by(staff: &Staff) -> Vec<CaseKind> {
        CaseKind::ALL
            .into_iter()
            .filter(|k| staff.may(&[k.role()]))
            .collect()
    }

    /// The type's name on staff pages.
    pub fn label(self) -> &'static str {
        match self {
            CaseKind::Accessibility => "Brist i tillgängligheten",
            CaseKind::AltFormat => "Annat format",
            CaseKind::Contact => "Kontakt",
        }
    }

    /// Where the form lives; the confirmation page is below it.
    pub fn path(self) -> &'static str {
        match self {
            CaseKind::Accessibility => "/tillganglighet/rapportera",
            CaseKind::AltFormat => "/tillganglighet/alternativt-format",
            CaseKind::Contact => "/kontakt",
        }
    }
}

/// Where a case stands. A closed case may be reopened; every change is in
/// its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    New,
    InProgress,
    Waiting,
    Closed,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::New,
        Status::InProgress,
        Status::Waiting,
        Status::Closed,
    ];

    /// The value in the database.
    pub fn code(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in_progress",
            Status::Waiting => "waiting",
            Status::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The value in addresses and forms.
    pub fn slug(self) -> &'static str {
        match self {
            Status::New => "ny",
            Status::InProgress => "pagar",
            Status::Waiting => "vantar",
            Status::Closed => "avslutad",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::New => "Ny",
            Status::InProgress => "Pågår",
            Status::Waiting => "Väntar på svar",
            Status::Closed => "Avslutad",
        }
    }

    /// Where a case in this status may go next: forward along
    /// ny → pågår → väntar på svar → avslutad, back between pågår and
    /// väntar, and a closed case reopens as pågår. Nothing goes back to ny.
    pub fn next(self) -> &'static [Status] {
        match self {
            Status::New => &[Status::InProgress, Status::Waiting, Status::Closed],
            Status::InProgress => &[Status::Waiting, Status::Closed],
            Status::Waiting => &[Status::InProgress, Status::Closed],
            Status::Closed => &[Status::InProgress],
        }
    }
}

/// How an answer reached the requester.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Phone,
    Letter,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::Email => "epost",
            Channel::Phone => "telefon",
            Channel::Letter => "brev",
        }
    }

    pub fn parse(code: &str) -> Option<Channel> {
        [Channel::Email, Channel::Phone, Channel::Letter]
            .into_iter()
            .find(|c| c.code() == code)
    }
}

/// `PREFIX-YEAR-NNNNN`, e.g. `TG-2026-00042`: unique and increasing per
/// type and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseReference {
    pub kind: CaseKind,
    pub year: i32,
    pub number: i64,
}

impl fmt::Display for CaseReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:05}", self.kind.prefix(), self.year, self.number)
    }
}

impl CaseReference {
    pub fn parse(text: &str) -> Option<CaseReference> {
        let mut parts = text.split('-');
        let kind = CaseKind::from_prefix(parts.next()?)?;
        let year_text = parts.next()?;
        let number_text = parts.next()?;
        if parts.next().is_some()
            || year_text.len() != 4
            || number_text.len() < 5
            || !year_text.bytes().all(|b| b.is_ascii_digit())
            || !number_text.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let number: i64 = number_text.parse().ok()?;
        if number == 0 {
            return None;
        }
        Some(CaseReference {
            kind,
            year: year_text.parse().ok()?,
            number,
        })
    }
}

/// A validated case. Optional fields are `None` rather than empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCase {
    pub page: Option<String>,
    pub topic: Option<String>,
    pub format: Option<String>,
    pub organisation: Option<String>,
    pub message: String,
    pub name: Option<String>,
    pub email: Option<EmailAddress>,
    pub phone: Option<String>,
    pub postal_address: Option<String>,
    pub preferred_contact: Option<String>,
}

/// Whether a case's acknowledgement e-mail may go out, decided with the
/// limits that keep the forms from being used to mail-bomb an address.
#[derive(Debug, Clone, Default)]
pub struct AckRule {
    /// The client is within its hourly share of acknowledgements.
    pub client_allowed: bool,
    /// Keyed fingerprint of the address, counted across instances.
    pub recipient_key: Option<String>,
    /// At most this many acknowledgements a day to one address.
    pub per_recipient_per_day: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_never_go_back_to_new() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
            assert_eq!(Status::from_slug(s.slug()), Some(s));
            assert!(!s.next().contains(&Status::New));
            assert!(!s.next().contains(&s));
        }
        assert_eq!(Status::Closed.next(), &[Status::InProgress]);
    }

    #[test]
    fn references_format_and_parse() {
        let r = CaseReference {
            kind: CaseKind::Accessibility,
            year: 2026,
            number: 42,
        };
        assert_eq!(r.to_string(), "TG-2026-00042");
        assert_eq!(CaseReference::parse("TG-2026-00042"), Some(r));
        assert_eq!(
            CaseReference::parse("KO-2026-123456").map(|r| r.number),
            Some(123456)
        );
        for bad in [
            "",
            "XX-2026-00001",
            "TG-26-00001",
            "TG-2026-1",
            "TG-2026-00000",
            "TG-2026-0000a",
            "TG-2026-00001-1",
        ] {
            assert_eq!(CaseReference::parse(bad), None, "{bad}");
        }
    }
}
