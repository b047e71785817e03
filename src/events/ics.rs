//! iCalendar (RFC 5545) for the programme: one event's "Lägg till i
//! kalender" file and the feed of the whole programme. Times are written
//! as Stockholm wall-clock times with `TZID=Europe/Stockholm` and the
//! matching VTIMEZONE, so a calendar shows 18:00 whether the event is
//! before or after a clock change; UIDs are kept for an event's life and
//! SEQUENCE rises with every change people should see. The meeting link
//! of a digital event is never written here.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::model::{stockholm_local, Event};

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
    let mut out = head("PUBLISH");
    if let Some(name) = name {
        line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
        line(&mut out, "X-WR-TIMEZONE:Europe/Stockholm");
    }
    out.push_str(VTIMEZONE);
    for entry in entries {
        event(&mut out, entry, stamp, None);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn head(method: &str) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Fridhem//En manad fri fran vald//SV");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, &format!("METHOD:{method}"));
    out
}

/// What an e-mailed calendar file asks of the calendar (iTIP, RFC 5546).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Put the event in the calendar, or update it (same UID, higher
    /// SEQUENCE).
    Request,
    /// Take it out: the event is cancelled, or the person's seat is.
    Cancel,
}

impl Method {
    pub fn code(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// The calendar file of a registration e-mail: the event as sent to one
/// person, from the organiser's address. `meeting_link` is given only for
/// the e-mails that may carry it (confirmation and reminder).
pub struct Invitation<'a> {
    pub entry: Entry<'a>,
    /// The registration's own UID for the event: its invitations, updates
    /// and cancellation share it, and a new registration after cancelling
    /// gets another, so no SEQUENCE of the old one can hide it.
    pub uid: &'a str,
    pub method: Method,
    /// The sender's address: iTIP names an organiser.
    pub organiser_address: &'a str,
    pub attendee_name: &'a str,
    pub attendee_address: &'a str,
    /// The SEQUENCE to send: the event's, or one more when the person's
    /// own seat is cancelled (the event itself did not change).
    pub sequence: i64,
    pub meeting_link: Option<&'a str>,
}

/// A calendar file for one registration e-mail.
pub fn invitation(stamp: DateTime<Utc>, i: &Invitation<'_>) -> String {
    let mut out = head(i.method.code());
    out.push_str(VTIMEZONE);
    event(&mut out, &i.entry, stamp, Some(i));
    line(&mut out, "END:VCALENDAR");
    out
}

fn event(
    out: &mut String,
    entry: &Entry<'_>,
    stamp: DateTime<Utc>,
    mailed: Option<&Invitation<'_>>,
) {
    let e = entry.event;
    line(out, "BEGIN:VEVENT");
    let uid = mailed.map_or(e.uid.as_str(), |m| m.uid);
    line(out, &format!("UID:{}", text(uid)));
    line(out, &format!("DTSTAMP:{}", utc(stamp)));
    line(out, &format!("LAST-MODIFIED:{}", utc(e.updated_at)));
    line(
        out,
        &format!("SEQUENCE:{}", mailed.map_or(e.sequence, |m| m.sequence)),
    );
    line(
        out,
        &format!("DTSTART;TZID=Europe/Stockholm:{}", local(e.starts_at)),
    );
    line(
        out,
        &format!("DTEND;TZID=Europe/Stockholm:{}", local(e.ends_at)),
    );
    let cancelled = e.is_cancelled() || mailed.is_some_and(|m| m.method == Method::Cancel);
    let summary = if e.is_cancelled() {
        format!("Inställt: {}", e.title)
    } else if cancelled {
        format!("Avbokat: {}", e.title)
    } else {
        e.title.clone()
    };
    line(out, &format!("SUMMARY:{}", text(&summary)));
    let mut description = String::new();
    if let (true, Some(reason)) = (e.is_cancelled(), &e.cancel_reason) {
        let _ = write!(description, "Evenemanget är inställt: {reason}\n\n");
    }
    if let Some(link) = mailed.and_then(|m| m.meeting_link).filter(|_| !cancelled) {
        let _ = write!(description, "Länk till mötet: {link}\n\n");
    }
    description.push_str(&e.description_md);
    let _ = write!(
        description,
        "\n\nArrangör: {}\n{}",
        entry.organiser, entry.url
    );
    line(out, &format!("DESCRIPTION:{}", text(&description)));
    line(out, &format!("LOCATION:{}", text(&e.location())));
    line(out, &format!("URL:{}", entry.url));
    if let Some(m) = mailed {
        line(
            out,
            &format!(
                "ORGANIZER;CN={}:mailto:{}",
                param(entry.organiser),
                m.organiser_address
            ),
        );
        line(
            out,
            &format!(
                "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT={};RSVP=FALSE:mailto:{}",
                param(m.attendee_name),
                if cancelled { "DECLINED" } else { "ACCEPTED" },
                m.attendee_address
            ),
        );
    }
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

/// A parameter value (a CN): quoted, with the characters a quoted value
/// cannot hold (double quotes, controls) left out.
fn param(value: &str) -> String {
    let clean: String = value
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    format!("\"{clean}\"")
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
