//! E-mail addresses, parsed once and accepted only when the mailer can
//! send to them.

use super::text::is_invisible_format;

/// An e-mail address good enough to send to: one `@`, a dotted domain,
/// no spaces or control characters. Deliberately not RFC 5322 in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub const MAX_LEN: usize = 254;

    /// An address a visitor may give: the domain must have a dot.
    pub fn parse(text: &str) -> Option<EmailAddress> {
        Self::parse_with(text, true)
    }

    /// An address in the configuration, where a single-label domain such as
    /// `localhost` is allowed for development.
    pub fn parse_configured(text: &str) -> Option<EmailAddress> {
        Self::parse_with(text, false)
    }

    fn parse_with(text: &str, dotted_domain: bool) -> Option<EmailAddress> {
        let text = text.trim();
        if text.len() > Self::MAX_LEN
            || text
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || is_invisible_format(c))
        {
            return None;
        }
        let (local, domain) = text.rsplit_once('@')?;
        let domain_ok = !domain.is_empty()
            && (domain.contains('.') || !dotted_domain)
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(EmailAddress::parse_configured("fridhem@localhost").is_some());
        assert!(EmailAddress::parse("fridhem@localhost").is_none());
        assert!(EmailAddress::parse_configured("a b@localhost").is_none());
        assert!(EmailAddress::parse_configured("x@").is_none());
    }
}
