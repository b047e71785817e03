//! What `/hjalp` shows of the directory, and how opening hours read:
//! views for the template, built from the model, in the catalogue's words.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};

use super::hours::{day_code, format_minutes, NextDay, OpenStatus, WeeklyHours};
use super::model::{Audience, Group, Organization, PublicHours, Service};
use crate::web::format;
use crate::web::i18n::Catalogue;

pub struct FilterLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

pub struct PhoneView {
    /// Shown only when a service has more than one number.
    pub label: Option<String>,
    pub number: String,
    pub href: String,
    /// Status text and whether it says "open".
    pub status: Option<(String, bool)>,
    pub hours: Vec<String>,
    pub languages: Option<String>,
}

pub struct ServiceView {
    pub anchor: String,
    pub name: String,
    pub organization: Option<String>,
    pub description: String,
    pub emergency: bool,
    pub audiences: String,
    pub languages: Option<String>,
    pub interpretation: Option<String>,
    pub call_safety: Option<String>,
    /// Link target and its text.
    pub url: Option<(String, String)>,
    pub phones: Vec<PhoneView>,
    /// The service's words are Swedish on a page in another language
    /// (no translation yet), so they are marked `lang="sv"`.
    pub swedish: bool,
}

/// Services shown together under one heading.
pub struct GroupView {
    pub id: &'static str,
    pub heading: String,
    pub services: Vec<ServiceView>,
}

/// The list part of `/hjalp` for one audience filter.
pub struct DirectoryView {
    pub filters: Vec<FilterLink>,
    pub heading: String,
    pub groups: Vec<GroupView>,
    /// When the listed numbers and hours were checked, in small print.
    pub verified: Option<String>,
    /// The newest date among the listed services, for "Senast uppdaterad".
    pub updated: Option<NaiveDate>,
}

/// Builds the directory for `audience` (all when `None`) as it reads at
/// `now`; `place` names the municipality's own group ("Järfälla").
#[allow(clippy::too_many_arguments)]
pub fn directory(
    t: &Catalogue,
    path: &str,
    services: &[Service],
    organizations: &[Organization],
    untranslated: &HashSet<String>,
    audience: Option<Audience>,
    place: &str,
    now: DateTime<Utc>,
) -> DirectoryView {
    let shown: Vec<&Service> = services
        .iter()
        .filter(|s| s.is_public() && s.is_for(audience))
        .collect();
    let groups = Group::ALL
        .into_iter()
        .map(|group| GroupView {
            id: group.id(),
            heading: match group {
                Group::Emergency => t.t("help-group-emergency").to_owned(),
                Group::Local => t.t_args("help-group-local", &[("place", place.into())]),
                Group::National => t.t("help-group-national").to_owned(),
            },
            services: shown
                .iter()
                .filter(|s| s.group() == group)
                .map(|s| {
                    let mut view = service(t, s, organizations, now);
                    view.swedish = untranslated.contains(&s.id);
                    view
                })
                .collect(),
        })
        .filter(|g| !g.services.is_empty())
        .collect();
    let dates: Vec<NaiveDate> = shown
        .iter()
        .filter_map(|s| s.public_verified_on())
        .collect();
    let verified = match (dates.iter().min(), dates.iter().max()) {
        (Some(first), Some(last)) if first == last => Some(t.t_args(
            "help-verified-on",
            &[("date", format::date(t, *first).into())],
        )),
        (Some(first), Some(last)) => Some(t.t_args(
            "help-verified-between",
            &[
                ("first", format::date(t, *first).into()),
                ("last", format::date(t, *last).into()),
            ],
        )),
        _ => None,
    };
    let mut filters = vec![FilterLink {
        href: path.to_owned(),
        label: t.t("help-filter-all").to_owned(),
        current: audience.is_none(),
    }];
    filters.extend(Audience::ALL.iter().map(|a| FilterLink {
        href: format!("{path}?for={}", a.slug()),
        label: t.t(a.message_key()).to_owned(),
        current: audience == Some(*a),
    }));
    let heading = match audience {
        Some(a) => t.t_args(
            "help-count-for",
            &[
                ("count", shown.len().into()),
                ("audience", t.t(a.for_key()).into()),
            ],
        ),
        None => t.t_args("help-count", &[("count", shown.len().into())]),
    };
    DirectoryView {
        filters,
        heading,
        groups,
        verified,
        updated: services
            .iter()
            .filter(|s| s.is_public())
            .map(|s| s.updated_on)
            .max(),
    }
}

fn service(
    t: &Catalogue,
    s: &Service,
    organizations: &[Organization],
    now: DateTime<Utc>,
) -> ServiceView {
    let lang_names = |codes: &[String]| -> Option<String> {
        let names: Vec<&str> = codes
            .iter()
            // An unknown code shows as the code rather than a key name.
            .map(|c| t.get(&format!("lang-{c}")).unwrap_or(c))
            .collect();
        (!names.is_empty()).then(|| names.join(", "))
    };
    let phones: Vec<_> = s.public_phones().collect();
    let several = phones.len() > 1;
    ServiceView {
        anchor: format!("tjanst-{}", s.key),
        name: s.name.clone(),
        organization: organizations
            .iter()
            .find(|o| o.id == s.organization_id)
            .map(|o| o.name.clone())
            .filter(|o| *o != s.name),
        description: t.directional(&s.description),
        emergency: s.emergency,
        audiences: s
            .audiences
            .iter()
            .map(|a| lowercase_first(t.t(a.message_key())))
            .collect::<Vec<_>>()
            .join(", "),
        languages: lang_names(&s.languages),
        interpretation: s.interpretation.as_deref().map(|x| t.directional(x)),
        call_safety: s.call_safety.as_deref().map(|x| t.directional(x)),
        url: s.url.as_ref().and_then(|u| {
            let parsed = url::Url::parse(u).ok()?;
            let host = parsed.host_str()?.trim_start_matches("www.").to_owned();
            let label = s.url_label.as_deref().unwrap_or(t.t("service-website"));
            Some((u.clone(), format!("{label} ({host})")))
        }),
        phones: phones
            .into_iter()
            .map(|(phone, number)| {
                let (status, hours) = match phone.public_hours() {
                    PublicHours::AlwaysOpen => {
                        (Some((t.t("hours-always").to_owned(), true)), vec![])
                    }
                    PublicHours::Schedule(h) => {
                        let status = h.status_on_calendar(now);
                        let open = matches!(status, OpenStatus::Open { .. });
                        (Some((open_status(t, &status), open)), schedule(t, h))
                    }
                    PublicHours::Text(text) => (None, vec![t.directional(text)]),
                    PublicHours::Unknown => (None, vec![]),
                };
                PhoneView {
                    label: Some(phone.label.clone()).filter(|l| several && !l.is_empty()),
                    number: number.display().to_owned(),
                    href: number.tel_href(),
                    status,
                    hours,
                    languages: lang_names(&phone.languages)
                        .filter(|_| phone.languages != s.languages),
                }
            })
            .collect(),
        swedish: false,
    }
}

/// "Järfälla" from "Järfälla kommun" (or "Solna" from "Solna stad"), for
/// the heading of the municipality's own services.
pub fn place_name(municipality: &str) -> &str {
    municipality
        .strip_suffix(" kommun")
        .or_else(|| municipality.strip_suffix(" stad"))
        .unwrap_or(municipality)
}

/// Audience labels start with a capital as filter links; inside a
/// sentence they do not.
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A weekday's name, short ("mån") or long ("måndag").
fn day_name(t: &Catalogue, day: Weekday, short: bool) -> String {
    let key = if short {
        format!("day-short-{}", day_code(day))
    } else {
        format!("day-{}", day_code(day))
    };
    t.t(&key).to_owned()
}

/// "08:00".
pub fn time(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
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
                NextDay::Later => day_name(t, *opens, true),
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
            &[("day", day_name(t, *day, false).into())],
        ),
    }
}

/// Readable weekly hours, grouping days with the same times:
/// "Vardagar 08:00–17:00", "Mån, ons, fre 09:00–12:00".
pub fn schedule(t: &Catalogue, hours: &WeeklyHours) -> Vec<String> {
    hours
        .grouped_by_times()
        .into_iter()
        .map(|((opens, closes), days)| {
            let all: Vec<u32> = days.iter().map(|d| d.num_days_from_monday()).collect();
            let days_text = if all == [0, 1, 2, 3, 4, 5, 6] {
                t.t("days-all").to_owned()
            } else if all == [0, 1, 2, 3, 4] {
                t.t("days-weekdays").to_owned()
            } else if all == [5, 6] {
                t.t("days-weekend").to_owned()
            } else {
                let names: Vec<String> = days.iter().map(|d| day_name(t, *d, true)).collect();
                capitalise(&names.join(", "))
            };
            let range = if opens == 0 && closes == 24 * 60 {
                t.t("hours-all-day").to_owned()
            } else {
                format!("{}–{}", format_minutes(opens), format_minutes(closes))
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
    use crate::help::hours::Interval;
    use crate::web::i18n::{I18n, Lang};

    #[test]
    fn place_and_case() {
        assert_eq!(place_name("Järfälla kommun"), "Järfälla");
        assert_eq!(place_name("Solna stad"), "Solna");
        assert_eq!(place_name("Region X"), "Region X");
        assert_eq!(lowercase_first("Dig som är utsatt"), "dig som är utsatt");
    }

    #[test]
    fn swedish_schedules() {
        let i18n = I18n::load();
        let t = i18n.catalogue(Lang::Sv);
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
