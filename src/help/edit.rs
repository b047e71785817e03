//! A service as an editor changes it: the text of the edit form, kept as a
//! draft (JSON) until published, checked before it is kept, and turned into
//! the service's phone lines and weekly hours when it is published. Pure:
//! no database, no request.

use std::collections::HashMap;

use chrono::Weekday;
use serde::{Deserialize, Serialize};

use super::hours::{day_code, Interval, WeeklyHours};
use super::model::{Audience, Phone, PhoneNumber, Service};

pub const MAX_NAME: usize = 120;
pub const MAX_DESCRIPTION: usize = 600;
pub const MAX_NOTE: usize = 400;
pub const MAX_LABEL: usize = 60;
pub const MAX_URL: usize = 300;
/// More lines than any service has; a form cannot grow past it.
pub const MAX_PHONES: usize = 12;
/// Places in the help box.
pub const MAX_FEATURED: i64 = 20;

pub const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// One weekday of a line's schedule as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayEdit {
    /// "stangt", "oppet" or "dygnet-runt".
    pub state: String,
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneEdit {
    /// Empty for a line added in this edit.
    pub id: String,
    pub label: String,
    pub number: String,
    pub languages: String,
    pub confirmed: bool,
    pub always_open: bool,
    pub hours_confirmed: bool,
    pub hours_text: String,
    /// Monday first, seven days.
    pub days: Vec<DayEdit>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceEdit {
    pub name: String,
    pub description: String,
    /// Audience slugs ("utsatt", "granne", …).
    pub audiences: Vec<String>,
    pub languages: String,
    pub interpretation: String,
    pub url: String,
    pub url_label: String,
    pub call_safety: String,
    pub confirmed: bool,
    /// Place in the help box as typed; "0" or empty: not in the box.
    pub featured: String,
    pub phones: Vec<PhoneEdit>,
}

/// A field with something wrong: the id of its input and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub text: String,
}

fn closed_week() -> Vec<DayEdit> {
    vec![
        DayEdit {
            state: "stangt".to_owned(),
            ..DayEdit::default()
        };
        7
    ]
}

impl PhoneEdit {
    pub fn from_phone(p: &Phone) -> PhoneEdit {
        let mut days = closed_week();
        for i in p.hours.intervals() {
            let day = &mut days[i.weekday.num_days_from_monday() as usize];
            *day = if i.opens == 0 && i.closes == 24 * 60 {
                DayEdit {
                    state: "dygnet-runt".to_owned(),
                    ..DayEdit::default()
                }
            } else {
                DayEdit {
                    state: "oppet".to_owned(),
                    opens: i.opens_text(),
                    closes: i.closes_text(),
                }
            };
        }
        PhoneEdit {
            id: p.id.clone(),
            label: p.label.clone(),
            number: p.number.clone(),
            languages: p.languages.join(" "),
            confirmed: p.confirmed,
            always_open: p.always_open,
            hours_confirmed: p.hours_confirmed,
            hours_text: p.hours_text.clone().unwrap_or_default(),
            days,
        }
    }

    /// A new, empty line at the end of the form.
    pub fn blank() -> PhoneEdit {
        PhoneEdit {
            days: closed_week(),
            ..PhoneEdit::default()
        }
    }

    fn is_blank(&self) -> bool {
        self.id.is_empty() && self.label.trim().is_empty() && self.number.trim().is_empty()
    }

    /// The weekly hours (valid input assumed: see [`ServiceEdit::problems`]).
    pub fn hours(&self) -> WeeklyHours {
        WeeklyHours::new(
            self.days
                .iter()
                .zip(WEEK)
                .filter_map(|(d, day)| interval(day, d).ok().flatten())
                .collect(),
        )
    }

    /// The line as the public side reads it.
    pub fn to_phone(&self, id: String) -> Phone {
        Phone {
            id,
            label: self.label.trim().to_owned(),
            number: self.number.trim().to_owned(),
            languages: codes(&self.languages),
            confirmed: self.confirmed,
            always_open: self.always_open,
            hours_confirmed: self.hours_confirmed,
            hours_text: Some(self.hours_text.trim().to_owned()).filter(|t| !t.is_empty()),
            hours: if self.always_open {
                WeeklyHours::default()
            } else {
                self.hours()
            },
        }
    }
}

/// "8", "8:00", "08.00" and "0800" all mean 08:00; None when it is not a
/// time of day. "24:00" is allowed (as a closing time).
pub fn normalise_time(text: &str) -> Option<String> {
    let t = text.trim().replace('.', ":");
    let (h, m) = match t.split_once(':') {
        Some((h, m)) => (h.to_owned(), m.to_owned()),
        None if t.len() <= 2 => (t.clone(), "00".to_owned()),
        None if t.len() == 4 => (t[..2].to_owned(), t[2..].to_owned()),
        None => return None,
    };
    if h.is_empty()
        || h.len() > 2
        || m.len() != 2
        || !(h.chars().chain(m.chars()).all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    if m >= 60 || h > 24 || (h == 24 && m > 0) {
        return None;
    }
    Some(format!("{h:02}:{m:02}"))
}

/// The opening of one day: None when closed, an error text when the times
/// cannot be a schedule.
fn interval(day: Weekday, d: &DayEdit) -> Result<Option<Interval>, &'static str> {
    match d.state.as_str() {
        "stangt" | "" => Ok(None),
        "dygnet-runt" => Ok(Interval::parse(day, "00:00", "24:00")),
        "oppet" => {
            let opens = normalise_time(&d.opens).ok_or("opens")?;
            let closes = normalise_time(&d.closes).ok_or("closes")?;
            if opens == "24:00" {
                return Err("opens");
            }
            if opens == closes || (opens == "00:00" && closes == "24:00") {
                return Err("same");
            }
            Interval::parse(day, &opens, &closes)
                .map(Some)
                .ok_or("closes")
        }
        _ => Err("state"),
    }
}

/// Language codes as typed, with spaces or commas between.
pub fn codes(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|c| !c.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "måndag",
        Weekday::Tue => "tisdag",
        Weekday::Wed => "onsdag",
        Weekday::Thu => "torsdag",
        Weekday::Fri => "fredag",
        Weekday::Sat => "lördag",
        Weekday::Sun => "söndag",
    }
}

fn overlaps(a: (u32, u32), b: (u32, u32)) -> bool {
    const WEEK: u32 = 7 * 1440;
    // Compare b as it is and shifted a week either way, for the wrap from
    // Sunday night into Monday.
    [0i64, WEEK as i64, -(WEEK as i64)].iter().any(|shift| {
        let (s, e) = (b.0 as i64 + shift, b.1 as i64 + shift);
        (a.0 as i64) < e && s < a.1 as i64
    })
}

fn check_text(
    problems: &mut Vec<Problem>,
    field: &str,
    value: &str,
    max: usize,
    what: &str,
    required: Option<&str>,
) {
    if let Some(text) = crate::types::text::editor_problem(value, max, required, what) {
        problems.push(Problem {
            field: field.to_owned(),
            text,
        });
    }
}

fn check_languages(problems: &mut Vec<Problem>, field: &str, value: &str, whose: &str) {
    let bad = codes(value)
        .iter()
        .any(|c| !(2..=3).contains(&c.len()) || !c.chars().all(|c| c.is_ascii_lowercase()));
    if bad {
        problems.push(Problem {
            field: field.to_owned(),
            text: format!(
                "Skriv {whose} språk som koder med två bokstäver och mellanslag emellan, till exempel sv en ar."
            ),
        });
    }
}

impl ServiceEdit {
    pub fn from_service(s: &Service) -> ServiceEdit {
        ServiceEdit {
            name: s.name.clone(),
            description: s.description.clone(),
            audiences: s.audiences.iter().map(|a| a.slug().to_owned()).collect(),
            languages: s.languages.join(" "),
            interpretation: s.interpretation.clone().unwrap_or_default(),
            url: s.url.clone().unwrap_or_default(),
            url_label: s.url_label.clone().unwrap_or_default(),
            call_safety: s.call_safety.clone().unwrap_or_default(),
            confirmed: s.confirmed,
            featured: s.featured.to_string(),
            phones: s.phones.iter().map(PhoneEdit::from_phone).collect(),
        }
    }

    /// Reads the edit form. Each audience is a checkbox of its own
    /// (`malgrupp-utsatt`). Lines are numbered from 0 (`t0-nummer`, …);
    /// `linjer` says how many there are; an untouched new line and a line
    /// ticked "Ta bort" are left out.
    pub fn from_form(form: &HashMap<String, String>) -> ServiceEdit {
        let get = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
        let ticked = |name: &str| !get(name).is_empty();
        let count: usize = get("linjer").parse().unwrap_or(0).min(MAX_PHONES);
        let phones = (0..count)
            .filter(|i| !ticked(&format!("t{i}-ta-bort")))
            .map(|i| {
                let f = |name: &str| get(&format!("t{i}-{name}")).to_owned();
                PhoneEdit {
                    id: f("id"),
                    label: f("etikett"),
                    number: f("nummer"),
                    languages: f("sprak"),
                    confirmed: ticked(&format!("t{i}-nummer-bekraftat")),
                    always_open: ticked(&format!("t{i}-dygnet-runt")),
                    hours_confirmed: ticked(&format!("t{i}-tider-bekraftade")),
                    hours_text: f("tider-text"),
                    days: WEEK
                        .iter()
                        .map(|d| {
                            let code = day_code(*d);
                            let state = f(&format!("{code}-lage"));
                            // Times of a day that is not "Öppet" mean
                            // nothing; times are kept as 08:00 when they
                            // can be read, as typed when not (to show the
                            // error against them).
                            let time = |name: &str| {
                                let typed = f(&format!("{code}-{name}")).trim().to_owned();
                                if state != "oppet" {
                                    String::new()
                                } else {
                                    normalise_time(&typed).unwrap_or(typed)
                                }
                            };
                            DayEdit {
                                opens: time("oppnar"),
                                closes: time("stanger"),
                                state,
                            }
                        })
                        .collect(),
                }
            })
            .filter(|p| !p.is_blank())
            .collect();
        ServiceEdit {
            name: get("namn").trim().to_owned(),
            description: get("beskrivning").trim().replace("\r\n", "\n"),
            audiences: Audience::ALL
                .iter()
                .filter(|a| ticked(&format!("malgrupp-{}", a.slug())))
                .map(|a| a.slug().to_owned())
                .collect(),
            languages: get("sprak").trim().to_owned(),
            interpretation: get("tolk").trim().to_owned(),
            url: get("webbadress").trim().to_owned(),
            url_label: get("lanktext").trim().to_owned(),
            call_safety: get("samtal").trim().replace("\r\n", "\n"),
            confirmed: ticked("bekraftad"),
            featured: get("hjalpruta").trim().to_owned(),
            phones,
        }
    }

    /// The help box position: 0 when not in the box.
    pub fn featured(&self) -> i64 {
        self.featured.parse().unwrap_or(0)
    }

    /// Everything that keeps the edit from being kept, in form order.
    pub fn problems(&self) -> Vec<Problem> {
        let mut p = vec![];
        check_text(
            &mut p,
            "namn",
            &self.name,
            MAX_NAME,
            "Namnet",
            Some("Skriv tjänstens namn."),
        );
        check_text(
            &mut p,
            "beskrivning",
            &self.description,
            MAX_DESCRIPTION,
            "Beskrivningen",
            Some("Skriv vad tjänsten gör och för vem."),
        );
        if self
            .audiences
            .iter()
            .any(|a| Audience::from_slug(a).is_none())
        {
            p.push(Problem {
                field: "malgrupp-utsatt".to_owned(),
                text: "Välj målgrupper i listan.".to_owned(),
            });
        }
        check_languages(&mut p, "sprak", &self.languages, "tjänstens");
        check_text(
            &mut p,
            "tolk",
            &self.interpretation,
            MAX_NOTE,
            "Texten om tolk",
            None,
        );
        if !self.url.is_empty() {
            let ok = url::Url::parse(&self.url)
                .ok()
                .filter(|u| matches!(u.scheme(), "https" | "http") && u.host_str().is_some());
            if self.url.chars().count() > MAX_URL || ok.is_none() {
                p.push(Problem {
                    field: "webbadress".to_owned(),
                    text: "Skriv en hel webbadress som börjar med https://, till exempel https://www.jarfalla.se/."
                        .to_owned(),
                });
            }
        }
        check_text(
            &mut p,
            "lanktext",
            &self.url_label,
            MAX_LABEL,
            "Länktexten",
            None,
        );
        check_text(
            &mut p,
            "samtal",
            &self.call_safety,
            MAX_NOTE,
            "Texten om att ringa tryggt",
            None,
        );
        match self.featured.parse::<i64>() {
            _ if self.featured.is_empty() => {}
            Ok(n) if (0..=MAX_FEATURED).contains(&n) => {}
            _ => p.push(Problem {
                field: "hjalpruta".to_owned(),
                text: format!(
                    "Skriv platsen i hjälprutan som ett tal från 1 till {MAX_FEATURED}, eller 0 om tjänsten inte ska vara med."
                ),
            }),
        }
        for (i, phone) in self.phones.iter().enumerate() {
            phone_problems(&mut p, i, phone);
        }
        p
    }
}

fn phone_problems(p: &mut Vec<Problem>, i: usize, phone: &PhoneEdit) {
    let n = i + 1;
    check_text(
        p,
        &format!("t{i}-etikett"),
        &phone.label,
        MAX_LABEL,
        &format!("Rubriken för linje {n}"),
        Some(&format!(
            "Skriv en rubrik för linje {n}, till exempel Jourtelefon."
        )),
    );
    if PhoneNumber::parse(&phone.number).is_none() {
        p.push(Problem {
            field: format!("t{i}-nummer"),
            text: format!(
                "Linje {n}: skriv numret som det slås, till exempel 020-50 50 50, 08-123 456 78, 112 eller +46 8 123 456 78."
            ),
        });
    }
    check_languages(
        p,
        &format!("t{i}-sprak"),
        &phone.languages,
        &format!("linje {n}s"),
    );
    check_text(
        p,
        &format!("t{i}-tider-text"),
        &phone.hours_text,
        MAX_LABEL,
        &format!("Tiderna i ord för linje {n}"),
        None,
    );
    let mut openings: Vec<(Weekday, Interval)> = vec![];
    let mut any_open = false;
    for (d, day) in phone.days.iter().zip(WEEK) {
        let code = day_code(day);
        let name = day_name(day);
        match interval(day, d) {
            Ok(Some(o)) => {
                any_open = true;
                openings.push((day, o));
            }
            Ok(None) => {}
            Err("opens") => p.push(Problem {
                field: format!("t{i}-{code}-oppnar"),
                text: format!("Linje {n}, {name}: skriv när linjen öppnar, till exempel 08:00."),
            }),
            Err("closes") => p.push(Problem {
                field: format!("t{i}-{code}-stanger"),
                text: format!("Linje {n}, {name}: skriv när linjen stänger, till exempel 17:00 eller 24:00."),
            }),
            Err("same") => p.push(Problem {
                field: format!("t{i}-{code}-stanger"),
                text: format!(
                    "Linje {n}, {name}: linjen kan inte öppna och stänga samma tid. Välj Dygnet runt om den är öppen hela dygnet."
                ),
            }),
            Err(_) => p.push(Problem {
                field: format!("t{i}-{code}-lage"),
                text: format!("Linje {n}, {name}: välj Stängt, Öppet eller Dygnet runt."),
            }),
        }
    }
    // An opening past midnight may not run into the next day's opening.
    for (k, (day, a)) in openings.iter().enumerate() {
        for (next_day, b) in openings.iter().skip(k + 1).chain(openings.iter().take(k)) {
            if overlaps(a.span(), b.span()) && a.closes <= a.opens {
                p.push(Problem {
                    field: format!("t{i}-{}-stanger", day_code(*day)),
                    text: format!(
                        "Linje {n}: öppettiden på {} går över midnatt och in i öppettiden på {}. Ändra tiderna så att de inte överlappar.",
                        day_name(*day),
                        day_name(*next_day)
                    ),
                });
                break;
            }
        }
    }
    if phone.always_open && any_open {
        p.push(Problem {
            field: format!("t{i}-dygnet-runt"),
            text: format!(
                "Linje {n} är markerad som öppen dygnet runt alla dagar och har också öppettider. Ta bort markeringen eller välj Stängt på dagarna."
            ),
        });
    }
    if phone.hours_confirmed
        && !phone.always_open
        && !any_open
        && phone.hours_text.trim().is_empty()
    {
        p.push(Problem {
            field: format!("t{i}-tider-bekraftade"),
            text: format!(
                "Linje {n} har bekräftade tider men inga tider. Fyll i öppettiderna eller ta bort markeringen."
            ),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(days: &[(&str, &str, &str)]) -> PhoneEdit {
        let mut p = PhoneEdit::blank();
        p.label = "Jour".into();
        p.number = "020-50 50 50".into();
        for (k, (state, opens, closes)) in days.iter().enumerate() {
            p.days[k] = DayEdit {
                state: (*state).into(),
                opens: (*opens).into(),
                closes: (*closes).into(),
            };
        }
        p
    }

    fn problems(p: PhoneEdit) -> Vec<String> {
        let mut out = vec![];
        phone_problems(&mut out, 0, &p);
        out.into_iter()
            .map(|p| format!("{}: {}", p.field, p.text))
            .collect()
    }

    #[test]
    fn times_are_read_the_ways_people_write_them() {
        assert_eq!(normalise_time("8").as_deref(), Some("08:00"));
        assert_eq!(normalise_time("8.30").as_deref(), Some("08:30"));
        assert_eq!(normalise_time("0830").as_deref(), Some("08:30"));
        assert_eq!(normalise_time("24:00").as_deref(), Some("24:00"));
        for bad in ["25:00", "12:60", "24:30", "kl 8", "", "8:5", "-1:00"] {
            assert_eq!(normalise_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_plain_week_is_fine() {
        let p = line(&[
            ("oppet", "08:00", "17:00"),
            ("oppet", "8", "17"),
            ("stangt", "", ""),
        ]);
        assert!(problems(p.clone()).is_empty());
        assert_eq!(p.hours().intervals().len(), 2);
    }

    #[test]
    fn impossible_schedules_are_explained() {
        let p = problems(line(&[("oppet", "", "17:00")]));
        assert_eq!(
            p,
            ["t0-mon-oppnar: Linje 1, måndag: skriv när linjen öppnar, till exempel 08:00."]
        );
        let p = problems(line(&[("oppet", "09:00", "25:00")]));
        assert!(p[0].starts_with("t0-mon-stanger"), "{p:?}");
        let p = problems(line(&[("oppet", "09:00", "09:00")]));
        assert!(p[0].contains("samma tid"), "{p:?}");
        // Monday 20–10 runs into Tuesday's 08:00.
        let p = problems(line(&[
            ("oppet", "20:00", "10:00"),
            ("oppet", "08:00", "17:00"),
        ]));
        assert!(
            p[0].contains("går över midnatt och in i öppettiden på tisdag"),
            "{p:?}"
        );
        // Sunday night into Monday morning wraps the week.
        let mut l = line(&[("oppet", "06:00", "12:00")]);
        l.days[6] = DayEdit {
            state: "oppet".into(),
            opens: "22:00".into(),
            closes: "07:00".into(),
        };
        let p = problems(l);
        assert!(
            p[0].contains("söndag går över midnatt och in i öppettiden på måndag"),
            "{p:?}"
        );
        // Past midnight without touching the next opening is fine.
        assert!(problems(line(&[
            ("oppet", "20:00", "02:00"),
            ("oppet", "08:00", "17:00")
        ]))
        .is_empty());
    }

    #[test]
    fn always_open_and_hours_do_not_mix() {
        let mut l = line(&[("oppet", "08:00", "17:00")]);
        l.always_open = true;
        assert!(problems(l)[0].starts_with("t0-dygnet-runt"));
        let mut l = line(&[]);
        l.hours_confirmed = true;
        assert!(problems(l)[0].starts_with("t0-tider-bekraftade"));
    }

    #[test]
    fn numbers_are_checked_as_on_the_public_side() {
        for good in ["112", "114 14", "020-50 50 50", "+46 8 123 456 78", "1177"] {
            let mut l = line(&[]);
            l.number = good.into();
            assert!(problems(l).is_empty(), "{good}");
        }
        for bad in ["12", "abc", "0046 8", "020-50 50 50 ring", "08-12"] {
            let mut l = line(&[]);
            l.number = bad.into();
            assert!(problems(l)[0].starts_with("t0-nummer"), "{bad}");
        }
    }
}
