//! Formatting of dates and numbers for display, in the catalogue's words.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::i18n::Catalogue;

/// A whole number the Swedish way, thousands grouped with a non-breaking
/// space: "2 000", "12 500".
pub fn count(n: usize) -> String {
    crate::types::text::thousands(n)
}

/// A moment in Swedish time, as staff pages and e-mails show it:
/// `pattern` is a chrono format such as [`MINUTE`].
pub fn stockholm(at: DateTime<Utc>, pattern: &str) -> String {
    at.with_timezone(&chrono_tz::Europe::Stockholm)
        .format(pattern)
        .to_string()
}

/// "2026-12-04 18:00".
pub const MINUTE: &str = "%Y-%m-%d %H:%M";
/// "2026-12-04 kl. 18:00", in running text.
pub const MINUTE_IN_TEXT: &str = "%Y-%m-%d kl. %H:%M";

/// Text made safe to put into HTML, between tags or in a quoted attribute.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// "27 november 2026".
pub fn date(t: &Catalogue, d: NaiveDate) -> String {
    let month = t.t(MONTHS[d.month0() as usize]);
    // As strings: numbers would be formatted by the language's rules
    // (a year grouped as "2 026").
    t.t_args(
        "date",
        &[
            ("day", d.day().to_string().into()),
            ("month", month.into()),
            ("year", d.year().to_string().into()),
        ],
    )
}

const MONTHS: [&str; 12] = [
    "month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8",
    "month-9", "month-10", "month-11", "month-12",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::{I18n, Lang};

    #[test]
    fn swedish_dates_and_counts() {
        let i18n = I18n::load();
        let t = i18n.catalogue(Lang::Sv);
        assert_eq!(
            date(t, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()),
            "27 november 2026"
        );
        let fi = i18n.catalogue(Lang::Fi);
        assert_eq!(
            date(fi, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()),
            "27. marraskuuta 2026"
        );
        assert_eq!(count(200), "200");
        assert_eq!(count(2000), "2\u{a0}000");
        assert_eq!(count(1234567), "1\u{a0}234\u{a0}567");
    }
}
