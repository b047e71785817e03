//! Weekly opening hours in Swedish local time and the "open now" rule.
//!
//! Schedules are wall-clock times in Europe/Stockholm. The current instant is
//! converted to local wall-clock time first and only then compared, so the
//! DST changes need no special case: a line open 07–21 opens at 07 local on
//! the day the clocks go forward as on any other day.

use chrono::{DateTime, Datelike, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Europe::Stockholm;

use crate::calendar;

const DAY: u32 = 24 * 60;
const WEEK: u32 = 7 * DAY;

/// One opening on one weekday. `closes` may be "24:00"; a closing time at or
/// before the opening time means the line stays open past midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub weekday: Weekday,
    /// Minutes after local midnight, 0..1440.
    pub opens: u32,
    /// Minutes after local midnight, 1..=1440.
    pub closes: u32,
}

impl Interval {
    /// Parses "HH:MM" times; `closes` accepts "24:00".
    pub fn parse(weekday: Weekday, opens: &str, closes: &str) -> Option<Interval> {
        let opens = parse_minutes(opens).filter(|m| *m < DAY)?;
        let closes = parse_minutes(closes).filter(|m| *m > 0)?;
        Some(Interval {
            weekday,
            opens,
            closes,
        })
    }

    /// The opening as a span of minutes from Monday 00:00; may run past the
    /// end of the week, which the caller wraps.
    pub fn span(&self) -> (u32, u32) {
        let start = self.weekday.num_days_from_monday() * DAY + self.opens;
        let length = if self.closes > self.opens {
            self.closes - self.opens
        } else {
            DAY - self.opens + self.closes
        };
        (start, start + length)
    }

    pub fn opens_text(&self) -> String {
        format_minutes(self.opens)
    }

    pub fn closes_text(&self) -> String {
        format_minutes(self.closes)
    }
}

fn parse_minutes(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

/// The three-letter code of a weekday in content files and catalogue keys
/// ("mon"); open data uses its first two letters ("MO").
pub fn day_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

pub fn day_from_code(code: &str) -> Option<Weekday> {
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .into_iter()
    .find(|d| day_code(*d) == code)
}

/// "HH:MM", the form the schedule is stored in.
pub fn format_minutes(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WeeklyHours {
    intervals: Vec<Interval>,
}

/// The answer to "can I call now?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenStatus {
    Open {
        closes_at: NaiveTime,
    },
    Closed {
        opens: Weekday,
        at: NaiveTime,
        day: NextDay,
    },
    /// A schedule with no opening at all.
    NeverOpen,
    /// Today is a public holiday or an eve, and the line keeps weekday
    /// hours only: it may well be closed, or keep other hours.
    Holiday,
    /// Closed, and the next opening falls on a holiday or an eve.
    ClosedUntilHoliday {
        day: Weekday,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextDay {
    Today,
    Tomorrow,
    Later,
}

impl WeeklyHours {
    pub fn new(mut intervals: Vec<Interval>) -> WeeklyHours {
        intervals.sort_by_key(|i| i.span());
        WeeklyHours { intervals }
    }

    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    pub fn intervals(&self) -> &[Interval] {
        &self.intervals
    }

    /// Weekdays grouped by identical opening times, in the order the times
    /// first occur in the week, each group's days Monday first: "Mon–Fri
    /// 08–17" is one group, not five. The directory page and the open data
    /// both describe hours this way.
    pub fn grouped_by_times(&self) -> Vec<((u32, u32), Vec<Weekday>)> {
        let mut groups: Vec<((u32, u32), Vec<Weekday>)> = Vec::new();
        for interval in &self.intervals {
            let times = (interval.opens, interval.closes);
            match groups.iter_mut().find(|(t, _)| *t == times) {
                Some((_, days)) if !days.contains(&interval.weekday) => days.push(interval.weekday),
                Some(_) => {}
                None => groups.push((times, vec![interval.weekday])),
            }
        }
        for (_, days) in &mut groups {
            days.sort_by_key(|d| d.num_days_from_monday());
        }
        groups
    }

    /// Whether the line opens only Monday to Friday: such hours are office
    /// hours, which holidays and eves interrupt.
    pub fn weekdays_only(&self) -> bool {
        !self.intervals.is_empty()
            && self
                .intervals
                .iter()
                .all(|i| !matches!(i.weekday, Weekday::Sat | Weekday::Sun))
    }

    /// [`WeeklyHours::status_at`] with the Swedish calendar: on a holiday or
    /// an eve a weekday-only line does not claim to be open (or to open at
    /// its usual time), since its hours then are not known.
    pub fn status_on_calendar(&self, now: DateTime<Utc>) -> OpenStatus {
        let status = self.status_at(now);
        if !self.weekdays_only() {
            return status;
        }
        let today = now.with_timezone(&Stockholm).date_naive();
        if calendar::is_holiday_or_eve(today) {
            return OpenStatus::Holiday;
        }
        if let OpenStatus::Closed { opens, day, .. } = status {
            let ahead = match day {
                NextDay::Today => 0,
                NextDay::Tomorrow => 1,
                NextDay::Later => {
                    (opens.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7
                }
            };
            if calendar::is_holiday_or_eve(today + chrono::Days::new(u64::from(ahead))) {
                return OpenStatus::ClosedUntilHoliday { day: opens };
            }
        }
        status
    }

    pub fn status_at(&self, now: DateTime<Utc>) -> OpenStatus {
        let local = now.with_timezone(&Stockholm);
        let minute = i64::from(
            local.weekday().num_days_from_monday() * DAY + local.hour() * 60 + local.minute(),
        );
        let week = i64::from(WEEK);
        // Each opening also a week earlier and later, so spans that wrap past
        // Sunday midnight compare without modular arithmetic.
        let spans: Vec<(i64, i64)> = self
            .intervals
            .iter()
            .map(Interval::span)
            .flat_map(|(s, e)| {
                let (s, e) = (i64::from(s), i64::from(e));
                [(s - week, e - week), (s, e), (s + week, e + week)]
            })
            .collect();
        let reaching_past = |t: i64| {
            spans
                .iter()
                .filter(|(s, e)| *s <= t && *e > t)
                .map(|(_, e)| *e)
                .max()
        };

        if let Some(mut end) = reaching_past(minute) {
            // Back-to-back openings (e.g. 00:00–24:00 every day) read as one.
            while let Some(next) = reaching_past(end) {
                end = next;
                if end - minute >= week {
                    break;
                }
            }
            return OpenStatus::Open {
                closes_at: time_of(end.rem_euclid(week) as u32),
            };
        }

        let next = spans
            .iter()
            .filter(|(s, _)| *s > minute)
            .map(|(s, _)| *s)
            .min();
        match next {
            None => OpenStatus::NeverOpen,
            Some(start) => {
                let minute_of_day = i64::from(local.hour() * 60 + local.minute());
                let days_ahead = (minute_of_day + start - minute) / i64::from(DAY);
                let start = start.rem_euclid(week) as u32;
                OpenStatus::Closed {
                    opens: Weekday::try_from((start / DAY) as u8).expect("0..7 is a weekday"),
                    at: time_of(start),
                    day: match days_ahead {
                        0 => NextDay::Today,
                        1 => NextDay::Tomorrow,
                        _ => NextDay::Later,
                    },
                }
            }
        }
    }
}

fn time_of(week_minute: u32) -> NaiveTime {
    let m = week_minute % DAY;
    NaiveTime::from_hms_opt(m / 60, m % 60, 0).expect("minute of day is valid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use Weekday::*;

    fn every_day(opens: &str, closes: &str) -> WeeklyHours {
        WeeklyHours::new(
            [Mon, Tue, Wed, Thu, Fri, Sat, Sun]
                .into_iter()
                .map(|d| Interval::parse(d, opens, closes).unwrap())
                .collect(),
        )
    }

    fn weekdays(opens: &str, closes: &str) -> WeeklyHours {
        WeeklyHours::new(
            [Mon, Tue, Wed, Thu, Fri]
                .into_iter()
                .map(|d| Interval::parse(d, opens, closes).unwrap())
                .collect(),
        )
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn weekday_daytime_is_open() {
        // Wednesday 2026-11-25 10:00 UTC = 11:00 CET.
        assert_eq!(
            weekdays("08:00", "17:00").status_at(utc(2026, 11, 25, 10, 0)),
            OpenStatus::Open {
                closes_at: t(17, 0)
            }
        );
    }

    #[test]
    fn weekend_reopens_on_monday() {
        // Saturday 2026-11-28 12:00 CET.
        assert_eq!(
            weekdays("08:00", "17:00").status_at(utc(2026, 11, 28, 11, 0)),
            OpenStatus::Closed {
                opens: Mon,
                at: t(8, 0),
                day: NextDay::Later
            }
        );
        // Sunday evening: Monday is tomorrow.
        assert_eq!(
            weekdays("08:00", "17:00").status_at(utc(2026, 11, 29, 20, 0)),
            OpenStatus::Closed {
                opens: Mon,
                at: t(8, 0),
                day: NextDay::Tomorrow
            }
        );
    }

    #[test]
    fn night_is_closed_until_morning() {
        // Thursday 2026-11-26 02:30 CET = 01:30 UTC.
        assert_eq!(
            every_day("07:00", "21:00").status_at(utc(2026, 11, 26, 1, 30)),
            OpenStatus::Closed {
                opens: Thu,
                at: t(7, 0),
                day: NextDay::Today
            }
        );
        // 21:00 sharp is closed, 20:59 open.
        assert_eq!(
            every_day("07:00", "21:00").status_at(utc(2026, 11, 26, 20, 0)),
            OpenStatus::Closed {
                opens: Fri,
                at: t(7, 0),
                day: NextDay::Tomorrow
            }
        );
        assert_eq!(
            every_day("07:00", "21:00").status_at(utc(2026, 11, 26, 19, 59)),
            OpenStatus::Open {
                closes_at: t(21, 0)
            }
        );
    }

    #[test]
    fn round_the_clock_schedule_is_always_open() {
        let h = every_day("00:00", "24:00");
        for hour in [0, 6, 12, 23] {
            assert!(matches!(
                h.status_at(utc(2026, 11, 29, hour, 30)),
                OpenStatus::Open { .. }
            ));
        }
    }

    #[test]
    fn opening_past_midnight_covers_the_next_morning() {
        let h = WeeklyHours::new(vec![Interval::parse(Fri, "22:00", "02:00").unwrap()]);
        // Saturday 01:00 CET = Saturday 00:00 UTC.
        assert_eq!(
            h.status_at(utc(2026, 11, 28, 0, 0)),
            OpenStatus::Open { closes_at: t(2, 0) }
        );
        // Sunday-to-Monday wrap.
        let h = WeeklyHours::new(vec![Interval::parse(Sun, "22:00", "02:00").unwrap()]);
        assert_eq!(
            h.status_at(utc(2026, 11, 30, 0, 30)),
            OpenStatus::Open { closes_at: t(2, 0) }
        );
    }

    #[test]
    fn spring_forward_uses_summer_time() {
        // 2026-03-29: clocks go from 02:00 CET to 03:00 CEST at 01:00 UTC.
        // 05:30 UTC is 07:30 local (CEST); with winter offset it would be 06:30.
        assert_eq!(
            every_day("07:00", "21:00").status_at(utc(2026, 3, 29, 5, 30)),
            OpenStatus::Open {
                closes_at: t(21, 0)
            }
        );
        // 04:30 UTC is 06:30 CEST: still closed.
        assert_eq!(
            every_day("07:00", "21:00").status_at(utc(2026, 3, 29, 4, 30)),
            OpenStatus::Closed {
                opens: Sun,
                at: t(7, 0),
                day: NextDay::Today
            }
        );
        // Closing: 19:00 UTC is 21:00 CEST.
        assert!(matches!(
            every_day("07:00", "21:00").status_at(utc(2026, 3, 29, 19, 0)),
            OpenStatus::Closed { .. }
        ));
    }

    #[test]
    fn fall_back_uses_winter_time() {
        // 2026-10-25: clocks go from 03:00 CEST back to 02:00 CET at 01:00 UTC.
        // 06:30 UTC is 07:30 CET; with the summer offset it would be 08:30.
        assert_eq!(
            weekdays("08:00", "17:00").status_at(utc(2026, 10, 26, 6, 30)),
            OpenStatus::Closed {
                opens: Mon,
                at: t(8, 0),
                day: NextDay::Today
            }
        );
        assert_eq!(
            every_day("07:00", "21:00").status_at(utc(2026, 10, 25, 6, 30)),
            OpenStatus::Open {
                closes_at: t(21, 0)
            }
        );
        // During the repeated hour (02:xx twice) a night line is consistent.
        let night = every_day("22:00", "04:00");
        assert!(matches!(
            night.status_at(utc(2026, 10, 25, 0, 30)),
            OpenStatus::Open { .. }
        ));
        assert!(matches!(
            night.status_at(utc(2026, 10, 25, 1, 30)),
            OpenStatus::Open { .. }
        ));
    }

    #[test]
    fn holidays_interrupt_weekday_hours() {
        let office = weekdays("08:00", "17:00");
        // Trettondedag jul, Tuesday 2026-01-06, 10:00 CET.
        assert_eq!(
            office.status_on_calendar(utc(2026, 1, 6, 9, 0)),
            OpenStatus::Holiday
        );
        assert!(matches!(
            office.status_at(utc(2026, 1, 6, 9, 0)),
            OpenStatus::Open { .. }
        ));
        // Julafton, Thursday 2026-12-24, and midsommarafton 2026-06-19.
        assert_eq!(
            office.status_on_calendar(utc(2026, 12, 24, 9, 0)),
            OpenStatus::Holiday
        );
        assert_eq!(
            office.status_on_calendar(utc(2026, 6, 19, 8, 0)),
            OpenStatus::Holiday
        );
        // Easter Saturday 2026-04-04: the next weekday is Annandag påsk.
        assert_eq!(
            office.status_on_calendar(utc(2026, 4, 4, 10, 0)),
            OpenStatus::ClosedUntilHoliday { day: Mon }
        );
        // An ordinary Tuesday evening is an ordinary "opens tomorrow".
        assert_eq!(
            office.status_on_calendar(utc(2026, 12, 1, 18, 0)),
            OpenStatus::Closed {
                opens: Wed,
                at: t(8, 0),
                day: NextDay::Tomorrow
            }
        );
        // A line open every day keeps its hours on holidays too.
        assert!(matches!(
            every_day("07:00", "21:00").status_on_calendar(utc(2026, 12, 25, 10, 0)),
            OpenStatus::Open { .. }
        ));
    }

    #[test]
    fn empty_schedule_is_never_open() {
        assert_eq!(
            WeeklyHours::default().status_at(utc(2026, 1, 1, 0, 0)),
            OpenStatus::NeverOpen
        );
    }

    #[test]
    fn times_are_validated() {
        assert!(Interval::parse(Mon, "24:00", "10:00").is_none());
        assert!(Interval::parse(Mon, "7:00", "10:00").is_none());
        assert!(Interval::parse(Mon, "07:60", "10:00").is_none());
        assert!(Interval::parse(Mon, "07:00", "00:00").is_none());
        assert_eq!(Interval::parse(Mon, "00:00", "24:00").unwrap().closes, DAY);
    }
}
