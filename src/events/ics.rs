//! iCalendar (RFC 5545) for the programme: one event's "Lägg till i
//! kalender" file and the feed of the whole programme. Times are written
//! as Stockholm wall-clock times with `TZID=Europe/Stockholm` and the
//! matching VTIMEZONE, so a calendar shows 18:00 whether the event is
//! before or after a clock change; UIDs are kept for an event's life and
//! SEQUENCE rises with every change people should see. The meeting link
//! of a digital event is never written here.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::model::{stockholm_local, Event, Format};

/// Europe/Stockholm as Sweden has kept it since 1996 (EU summer time:
/// last Sunday of March 02:00 → 03:00, last Sunday of October 03:00 →
/// 02:00).
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Stockholm\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// Text as an iCalendar TEXT value: backslash, semicolon, comma and line
/// breaks escaped.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so no line is longer than 75 octets
/// (a fold never splits a UTF-8 character).
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

fn local(at: DateTime<Utc>) -> String {
    stockholm_local(at).format("%Y%m%dT%H%M%S").to_string()
}

/// One event as its calendar entry shows it.
pub struct Entry<'a> {
    pub event: &'a Event,
    /// The event page's absolute address.
    pub url: String,
    /// The organising municipality's name.
    pub organiser: &'a str,
}

/// A calendar with `entries`, made at `stamp` (each event's DTSTAMP, as
/// RFC 5545 asks of a file with a METHOD). A feed has a `name`; a single
/// event's file has none, so calendar apps add the event to a calendar
/// people already have instead of offering a new one.
pub fn calendar(name: Option<&str>, stamp: DateTime<Utc>, entries: &[Entry<'_>]) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Fridhem//En manad fri fran vald//SV");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    if let Some(name) = name {
        line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
        line(&mut out, "X-WR-TIMEZONE:Europe/Stockholm");
    }
    out.push_str(VTIMEZONE);
    for entry in entries {
        event(&mut out, entry, stamp);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn event(out: &mut String, entry: &Entry<'_>, stamp: DateTime<Utc>) {
    let e = entry.event;
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{}", text(&e.uid)));
    line(out, &format!("DTSTAMP:{}", utc(stamp)));
    line(out, &format!("LAST-MODIFIED:{}", utc(e.updated_at)));
    line(out, &format!("SEQUENCE:{}", e.sequence));
    line(
        out,
        &format!("DTSTART;TZID=Europe/Stockholm:{}", local(e.starts_at)),
    );
    line(
        out,
        &format!("DTEND;TZID=Europe/Stockholm:{}", local(e.ends_at)),
    );
    let cancelled = e.is_cancelled();
    let summary = if cancelled {
        format!("Inställt: {}", e.title)
    } else {
        e.title.clone()
    };
    line(out, &format!("SUMMARY:{}", text(&summary)));
    let mut description = String::new();
    if let (true, Some(reason)) = (cancelled, &e.cancel_reason) {
        let _ = write!(description, "Evenemanget är inställt: {reason}\n\n");
    }
    description.push_str(&e.description_md);
    let _ = write!(
        description,
        "\n\nArrangör: {}\n{}",
        entry.organiser, entry.url
    );
    line(out, &format!("DESCRIPTION:{}", text(&description)));
    let location = match e.format {
        Format::Digital => "Digitalt".to_owned(),
        Format::OnSite => [e.place.as_deref(), e.address.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
    };
    line(out, &format!("LOCATION:{}", text(&location)));
    line(out, &format!("URL:{}", entry.url));
    line(
        out,
        if cancelled {
            "STATUS:CANCELLED"
        } else {
            "STATUS:CONFIRMED"
        },
    );
    line(out, "END:VEVENT");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_lines_folded() {
        assert_eq!(text("a;b,c\\d\ne\r"), "a\\;b\\,c\\\\d\\ne");
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "å".repeat(100)));
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "å".repeat(100)));
    }
}
