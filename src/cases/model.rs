//! Case types, references and the validated case ready to be stored.

use std::fmt;

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

    /// Where the form lives; the confirmation page is below it.
    pub fn path(self) -> &'static str {
        match self {
            CaseKind::Accessibility => "/tillganglighet/rapportera",
            CaseKind::AltFormat => "/tillganglighet/alternativt-format",
            CaseKind::Contact => "/kontakt",
        }
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
