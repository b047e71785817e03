//! The Swedish calendar: public holidays (allmänna helgdagar, lag
//! 1989:253), the eves that are days off in practice, and working days.
//!
//! Everything is computed from the year, Easter included, so no list has to
//! be kept up to date: "open now" on the help directory uses it to say when
//! a weekday line may keep other hours, and answer dates for cases count
//! working days with it.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// A public holiday, a "röd dag".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holiday {
    NewYearsDay,
    Epiphany,
    GoodFriday,
    EasterSunday,
    EasterMonday,
    MayDay,
    AscensionDay,
    Whitsunday,
    NationalDay,
    MidsummerDay,
    AllSaintsDay,
    ChristmasDay,
    BoxingDay,
}

/// An eve that is not a public holiday by law but a day off for most
/// employers, municipalities included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Eve {
    MidsummerEve,
    ChristmasEve,
    NewYearsEve,
}

/// What kind of day a date is, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    Holiday(Holiday),
    Eve(Eve),
    Weekend,
    Workday,
}

/// Easter Sunday in the Gregorian calendar (the anonymous algorithm
/// published by Meeus), valid for any year the calendar covers.
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let b = year.div_euclid(100);
    let c = year.rem_euclid(100);
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a real date")
}

/// The public holiday on `date`, if any (also when it falls on a Sunday).
pub fn holiday(date: NaiveDate) -> Option<Holiday> {
    let (month, day) = (date.month(), date.day());
    let fixed = match (month, day) {
        (1, 1) => Some(Holiday::NewYearsDay),
        (1, 6) => Some(Holiday::Epiphany),
        (5, 1) => Some(Holiday::MayDay),
        (6, 6) => Some(Holiday::NationalDay),
        (12, 25) => Some(Holiday::ChristmasDay),
        (12, 26) => Some(Holiday::BoxingDay),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    let saturday = date.weekday() == Weekday::Sat;
    // Midsommardagen: the Saturday from 20 to 26 June.
    if saturday && month == 6 && (20..=26).contains(&day) {
        return Some(Holiday::MidsummerDay);
    }
    // Alla helgons dag: the Saturday from 31 October to 6 November.
    if saturday && ((month == 10 && day == 31) || (month == 11 && day <= 6)) {
        return Some(Holiday::AllSaintsDay);
    }
    let easter = easter_sunday(date.year());
    let offset = (date - easter).num_days();
    match offset {
        -2 => Some(Holiday::GoodFriday),
        0 => Some(Holiday::EasterSunday),
        1 => Some(Holiday::EasterMonday),
        39 => Some(Holiday::AscensionDay),
        49 => Some(Holiday::Whitsunday),
        _ => None,
    }
}

/// The eve on `date` that is a day off in practice, if any.
pub fn eve(date: NaiveDate) -> Option<Eve> {
    match (date.month(), date.day()) {
        (12, 24) => Some(Eve::ChristmasEve),
        (12, 31) => Some(Eve::NewYearsEve),
        // Midsommarafton: the Friday from 19 to 25 June.
        (6, 19..=25) if date.weekday() == Weekday::Fri => Some(Eve::MidsummerEve),
        _ => None,
    }
}

pub fn day_kind(date: NaiveDate) -> DayKind {
    if let Some(h) = holiday(date) {
        DayKind::Holiday(h)
    } else if let Some(e) = eve(date) {
        DayKind::Eve(e)
    } else if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        DayKind::Weekend
    } else {
        DayKind::Workday
    }
}

/// A holiday or one of the eves: a day when weekday opening hours may not
/// apply.
pub fn is_holiday_or_eve(date: NaiveDate) -> bool {
    holiday(date).is_some() || eve(date).is_some()
}

/// Monday to Friday, and neither a public holiday nor midsommarafton,
/// julafton or nyårsafton.
pub fn is_working_day(date: NaiveDate) -> bool {
    day_kind(date) == DayKind::Workday
}

/// The date `n` working days after `start`; `start` itself is day 0 and
/// need not be a working day (a case received on a Saturday counts from
/// Monday as day 1).
pub fn add_working_days(start: NaiveDate, n: u32) -> NaiveDate {
    let mut date = start;
    let mut left = n;
    while left > 0 {
        date = date + Days::new(1);
        if is_working_day(date) {
            left -= 1;
        }
    }
    date
}

/// Working days from `start` (day 0) to `end`: how many working days lie
/// after `start` up to and including `end`. Zero when `end` is not later.
pub fn working_days_between(start: NaiveDate, end: NaiveDate) -> u32 {
    let mut count = 0;
    let mut date = start;
    while date < end {
        date = date + Days::new(1);
        if is_working_day(date) {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn easter_in_known_years() {
        // Dates from the Swedish almanac.
        for (year, month, day) in [
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2028, 4, 16),
            (2038, 4, 25),
            (2285, 3, 22),
            (1818, 3, 22),
        ] {
            assert_eq!(easter_sunday(year), d(year, month, day), "{year}");
        }
    }

    #[test]
    fn holidays_of_2026() {
        let expected = [
            (d(2026, 1, 1), Holiday::NewYearsDay),
            (d(2026, 1, 6), Holiday::Epiphany),
            (d(2026, 4, 3), Holiday::GoodFriday),
            (d(2026, 4, 5), Holiday::EasterSunday),
            (d(2026, 4, 6), Holiday::EasterMonday),
            (d(2026, 5, 1), Holiday::MayDay),
            (d(2026, 5, 14), Holiday::AscensionDay),
            (d(2026, 5, 24), Holiday::Whitsunday),
            (d(2026, 6, 6), Holiday::NationalDay),
            (d(2026, 6, 20), Holiday::MidsummerDay),
            (d(2026, 10, 31), Holiday::AllSaintsDay),
            (d(2026, 12, 25), Holiday::ChristmasDay),
            (d(2026, 12, 26), Holiday::BoxingDay),
        ];
        let mut found = vec![];
        let mut date = d(2026, 1, 1);
        while date.year() == 2026 {
            if let Some(h) = holiday(date) {
                found.push((date, h));
            }
            date = date + Days::new(1);
        }
        assert_eq!(found, expected);
        assert_eq!(eve(d(2026, 6, 19)), Some(Eve::MidsummerEve));
        assert_eq!(eve(d(2027, 6, 25)), Some(Eve::MidsummerEve));
        assert_eq!(holiday(d(2027, 6, 26)), Some(Holiday::MidsummerDay));
        assert_eq!(holiday(d(2027, 11, 6)), Some(Holiday::AllSaintsDay));
        assert_eq!(holiday(d(2027, 5, 6)), Some(Holiday::AscensionDay));
        assert_eq!(eve(d(2026, 6, 26)), None, "a Friday outside the window");
    }

    #[test]
    fn working_days_skip_weekends_holidays_and_eves() {
        assert!(is_working_day(d(2026, 12, 1)));
        assert!(!is_working_day(d(2026, 12, 24)), "julafton");
        assert!(!is_working_day(d(2026, 12, 31)), "nyårsafton");
        assert!(!is_working_day(d(2026, 6, 19)), "midsommarafton");
        assert!(
            !is_working_day(d(2026, 6, 6)),
            "nationaldagen on a Saturday"
        );
        // Received on julafton 2026 (a Thursday): 25, 26 holidays, 27 Sunday,
        // 28–30 working, 31 nyårsafton, 1 Jan holiday, 4 Jan working.
        assert_eq!(add_working_days(d(2026, 12, 24), 3), d(2026, 12, 30));
        assert_eq!(add_working_days(d(2026, 12, 24), 5), d(2027, 1, 5));
        // Friday evening before Easter 2027 (Good Friday is 26 March).
        assert_eq!(add_working_days(d(2027, 3, 26), 1), d(2027, 3, 30));
        assert_eq!(working_days_between(d(2026, 12, 24), d(2027, 1, 5)), 5);
        assert_eq!(working_days_between(d(2026, 12, 2), d(2026, 12, 1)), 0);
    }
}
