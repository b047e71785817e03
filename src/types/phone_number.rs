//! Phone numbers as people in Sweden write them, parsed once.

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
}
