//! Case types, references and the validated case ready to be stored.

use std::fmt;

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

/// An e-mail address good enough to send to: one `@`, a dotted domain,
/// no spaces or control characters. Deliberately not RFC 5322 in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub const MAX_LEN: usize = 254;

    pub fn parse(text: &str) -> Option<EmailAddress> {
        let text = text.trim();
        if text.len() > Self::MAX_LEN
            || text
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || is_invisible_format(c))
        {
            return None;
        }
        let (local, domain) = text.rsplit_once('@')?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains('@')
            && !local.contains(['<', '>', '(', ')', ',', ';', ':', '\\', '"', '[', ']']);
        // Also what the mailer accepts (e.g. no "anna.@x.se"), so an address
        // that was acknowledged can be written to.
        let sendable = text.parse::<lettre::Address>().is_ok();
        (domain_ok && local_ok && sendable).then(|| EmailAddress(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Invisible characters that change how text is shown or compared: bidi
/// overrides, embeddings, isolates and marks, zero-width spaces and
/// joiners, word joiners, soft hyphens and byte-order marks (Unicode's
/// format category). A name written with U+202E can show as something else
/// in a handler's inbox; an address with U+200B is not the address it looks
/// like.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}

/// The joiners that Persian and Arabic names legitimately contain
/// (ZWNJ in "می‌خواهم", ZWJ in some scripts): allowed in names, refused in
/// addresses and numbers.
pub fn is_script_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
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

    #[test]
    fn email_addresses() {
        for ok in [
            "a@b.se",
            "förnamn.efternamn@kommun.se",
            " x+y@sub.example.org ",
        ] {
            assert!(EmailAddress::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "a@.se",
            "a@b..se",
            "a b@c.se",
            "a@b.se\nBcc: x@y.se",
            "<a@b.se>",
            "a@b.se,c@d.se",
            "a@b@c.se",
            "a\u{202E}b@c.se",
            "ab@c\u{200B}.se",
            "\u{FEFF}a@b.se",
        ] {
            assert!(EmailAddress::parse(bad).is_none(), "{bad:?}");
        }
    }
}
