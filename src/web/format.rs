//! Swedish formatting of dates, weekdays and opening hours for display.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};

use super::i18n::Catalogue;
use crate::help::hours::{format_minutes, NextDay, OpenStatus};
use crate::help::{Interval, WeeklyHours};

/// "27 november 2026".
pub fn date(t: &Catalogue, d: NaiveDate) -> String {
    let month = t.t(MONTHS[d.month0() as usize]);
    format!("{} {} {}", d.day(), month, d.year())
}

const MONTHS: [&str; 12] = [
    "month-1", "month-2", "month-3", "month-4", "month-5", "month-6", "month-7", "month-8",
    "month-9", "month-10", "month-11", "month-12",
];

fn day_key(d: Weekday, short: bool) -> &'static str {
    match (d, short) {
        (Weekday::Mon, true) => "day-short-mon",
        (Weekday::Tue, true) => "day-short-tue",
        (Weekday::Wed, true) => "day-short-wed",
        (Weekday::Thu, true) => "day-short-thu",
        (Weekday::Fri, true) => "day-short-fri",
        (Weekday::Sat, true) => "day-short-sat",
        (Weekday::Sun, true) => "day-short-sun",
        (Weekday::Mon, false) => "day-mon",
        (Weekday::Tue, false) => "day-tue",
        (Weekday::Wed, false) => "day-wed",
        (Weekday::Thu, false) => "day-thu",
        (Weekday::Fri, false) => "day-fri",
        (Weekday::Sat, false) => "day-sat",
        (Weekday::Sun, false) => "day-sun",
    }
}

/// A whole number the Swedish way, thousands grouped with a non-breaking
/// space: "2 000", "12 500".
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// "08:00".
pub fn time(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn minutes(m: u32) -> String {
    format_minutes(m)
}

/// The status line for a phone with a known schedule.
pub fn open_status(t: &Catalogue, status: &OpenStatus) -> String {
    match status {
        OpenStatus::Open { closes_at } => {
            t.t_args("status-open-until", &[("time", time(*closes_at).into())])
        }
        OpenStatus::Closed { opens, at, day } => {
            let when = match day {
                NextDay::Today => t.t("status-today").to_owned(),
                NextDay::Tomorrow => t.t("status-tomorrow").to_owned(),
                NextDay::Later => t.t(day_key(*opens, true)).to_owned(),
            };
            t.t_args(
                "status-closed-opens",
                &[("day", when.into()), ("time", time(*at).into())],
            )
        }
        OpenStatus::NeverOpen => t.t("status-closed").to_owned(),
        OpenStatus::Holiday => t.t("status-holiday").to_owned(),
        OpenStatus::ClosedUntilHoliday { day } => t.t_args(
            "status-closed-holiday-next",
            &[("day", t.t(day_key(*day, false)).into())],
        ),
    }
}

/// Readable weekly hours, grouping days with the same times:
/// "Vardagar 08:00–17:00", "Mån, ons, fre 09:00–12:00".
pub fn schedule(t: &Catalogue, hours: &WeeklyHours) -> Vec<String> {
    let mut groups: Vec<((u32, u32), Vec<Weekday>)> = vec![];
    for Interval {
        weekday,
        opens,
        closes,
    } in hours.intervals()
    {
        match groups
            .iter_mut()
            .find(|(times, _)| *times == (*opens, *closes))
        {
            Some((_, days)) => days.push(*weekday),
            None => groups.push(((*opens, *closes), vec![*weekday])),
        }
    }
    groups
        .into_iter()
        .map(|((opens, closes), mut days)| {
            days.sort_by_key(|d| d.num_days_from_monday());
            days.dedup();
            let all: Vec<u32> = days.iter().map(|d| d.num_days_from_monday()).collect();
            let days_text = if all == [0, 1, 2, 3, 4, 5, 6] {
                t.t("days-all").to_owned()
            } else if all == [0, 1, 2, 3, 4] {
                t.t("days-weekdays").to_owned()
            } else if all == [5, 6] {
                t.t("days-weekend").to_owned()
            } else {
                let names: Vec<&str> = days.iter().map(|d| t.t(day_key(*d, true))).collect();
                capitalise(&names.join(", "))
            };
            let range = if opens == 0 && closes == 24 * 60 {
                t.t("hours-all-day").to_owned()
            } else {
                format!("{}–{}", minutes(opens), minutes(closes))
            };
            format!("{days_text} {range}")
        })
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::i18n::I18n;

    #[test]
    fn swedish_dates_and_schedules() {
        let i18n = I18n::load();
        let t = &i18n.sv;
        assert_eq!(
            date(t, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()),
            "27 november 2026"
        );
        assert_eq!(count(200), "200");
        assert_eq!(count(2000), "2\u{a0}000");
        assert_eq!(count(1234567), "1\u{a0}234\u{a0}567");
        let hours = WeeklyHours::new(
            [Weekday::Mon, Weekday::Wed, Weekday::Fri]
                .into_iter()
                .map(|d| Interval::parse(d, "09:00", "12:00").unwrap())
                .collect(),
        );
        assert_eq!(schedule(t, &hours), vec!["Mån, ons, fre 09:00–12:00"]);
        let status = OpenStatus::Closed {
            opens: Weekday::Mon,
            at: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            day: NextDay::Later,
        };
        assert_eq!(
            open_status(t, &status).replace(['\u{2068}', '\u{2069}'], ""),
            "Stängt – öppnar mån 08:00"
        );
    }
}
