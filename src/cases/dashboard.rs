//! `/admin/oversikt`: how the work goes, for the types a person handles.
//! Open and overdue cases now; received and closed per month for the
//! current month and the eleven before it; answer times in working days
//! (median and 90th percentile) and the share answered by the answer
//! date over the same period. Counted from the columns a cleaned case
//! keeps (type, status, dates), so deletion on schedule changes no
//! figure. The chart is inline SVG beside a table of the same numbers;
//! `/admin/oversikt.csv` has them for a spreadsheet.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Extension;
use chrono::{DateTime, Datelike, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Stockholm;
use serde::Deserialize;

use super::model::{CaseKind, Status};
use super::store::{self, Record, Tally};
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::calendar::is_working_day;
use crate::db::DbError;
use crate::web::csv::Csv;
use crate::web::error::AppError;
use crate::web::layout::AdminLayout;
use crate::web::render::html;
use crate::web::AppState;

/// How many months the period covers, the current one included.
pub const MONTHS: u32 = 12;

/// One month of the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    /// The month's first day.
    pub first: NaiveDate,
    pub received: u32,
    pub closed: u32,
}

/// The figures of one type, or of all the types shown together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `None`: every type shown.
    pub kind: Option<CaseKind>,
    pub open: i64,
    pub overdue: i64,
    /// Cases first answered in the period.
    pub answered: usize,
    /// Answer time in working days that half of them kept within.
    pub median: Option<u32>,
    /// … and nine in ten.
    pub p90: Option<u32>,
    /// Of the cases whose answer was due in the period (answered in it, or
    /// still unanswered past their date), how many were answered in time.
    pub in_time: usize,
    pub due: usize,
}

/// Everything the page and the CSV show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub today: NaiveDate,
    /// The first day of the period.
    pub from: NaiveDate,
    pub months: Vec<Month>,
    /// One row per type, then (with more than one type) all of them.
    pub rows: Vec<Row>,
}

/// The first day of the period that ends with `today`'s month.
pub fn period_start(today: NaiveDate) -> NaiveDate {
    let first = today.with_day(1).expect("day 1 exists");
    first - Months::new(MONTHS - 1)
}

/// Midnight in Stockholm at the start of `day`, in UTC.
fn start_of(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    // Sweden changes its clocks at 02:00 or 03:00, never at midnight.
    Stockholm
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

fn local_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Stockholm).date_naive()
}

/// The value at `share` (0–1] of `sorted`, by nearest rank: the smallest
/// value that at least that share of the cases kept within.
fn nearest_rank(sorted: &[u32], share: f64) -> Option<u32> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (share * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank.min(sorted.len()) - 1).copied()
}

/// Working days between two dates, from a running count per day: the
/// dashboard asks for tens of thousands of pairs within a few years, and
/// deciding each day afresh (Easter and all) cost more than the query.
struct WorkingDays {
    /// The day `counts[0]` is.
    first: NaiveDate,
    /// Working days after `first` up to and including each day to the last.
    counts: Vec<u32>,
}

impl WorkingDays {
    /// For pairs of dates within `first..=last`.
    fn new(first: NaiveDate, last: NaiveDate) -> WorkingDays {
        let mut counts = vec![0];
        let mut n = 0;
        for day in first.iter_days().skip(1).take_while(|d| *d <= last) {
            n += u32::from(is_working_day(day));
            counts.push(n);
        }
        WorkingDays { first, counts }
    }

    /// As `calendar::working_days_between`, for dates within the range.
    fn between(&self, start: NaiveDate, end: NaiveDate) -> u32 {
        if end <= start {
            return 0;
        }
        let at = |d: NaiveDate| self.counts[(d - self.first).num_days() as usize];
        at(end) - at(start)
    }
}

/// Computes the figures from `records` (see [`store::records_since`]) and
/// `tallies` (open and overdue now), for `kinds`, on `today`.
pub fn figures(
    kinds: &[CaseKind],
    records: &[Record],
    tallies: &[Tally],
    today: NaiveDate,
) -> Figures {
    let from = period_start(today);
    let mut months: Vec<Month> = (0..MONTHS)
        .map(|i| Month {
            first: from + Months::new(i),
            received: 0,
            closed: 0,
        })
        .collect();
    let month_index = |day: NaiveDate| -> Option<usize> {
        if day < from || day > today {
            return None;
        }
        let i = (day.year() - from.year()) * 12 + day.month() as i32 - from.month() as i32;
        usize::try_from(i).ok().filter(|&i| i < MONTHS as usize)
    };
    let closed = Status::Closed.code();
    // Answer times are counted from receipt up to an answer no later than
    // today; the earliest receipt among the records bounds them.
    let earliest = records
        .iter()
        .map(|r| local_day(r.created_at))
        .min()
        .unwrap_or(today)
        .min(today);
    let working = WorkingDays::new(earliest, today);
    let mut times: Vec<Vec<u32>> = vec![Vec::new(); kinds.len()];
    let mut due = vec![0usize; kinds.len()];
    let mut in_time = vec![0usize; kinds.len()];
    for r in records {
        let Some(k) = kinds.iter().position(|k| k.prefix() == r.kind) else {
            continue;
        };
        let received = local_day(r.created_at);
        if let Some(i) = month_index(received) {
            months[i].received += 1;
        }
        if r.status == closed {
            if let Some(i) = r.closed_at.map(local_day).and_then(month_index) {
                months[i].closed += 1;
            }
        }
        let answered = r.answered_at.map(local_day);
        match (answered, r.due_on) {
            (Some(day), due_on) if day >= from && day <= today => {
                times[k].push(working.between(received, day));
                if let Some(due_on) = due_on {
                    due[k] += 1;
                    if day <= due_on {
                        in_time[k] += 1;
                    }
                }
            }
            // Not answered and its date passed within the period: late
            // (a case closed without an answer is left out, as the inbox
            // stops calling it overdue).
            (None, Some(due_on)) if r.status != closed && due_on >= from && due_on < today => {
                due[k] += 1;
            }
            _ => {}
        }
    }
    let tally = |kind: CaseKind, f: fn(&Tally) -> i64, open_only: bool| -> i64 {
        tallies
            .iter()
            .filter(|t| t.kind == kind.prefix() && (!open_only || t.status != closed))
            .map(f)
            .sum()
    };
    let mut rows: Vec<Row> = kinds
        .iter()
        .enumerate()
        .map(|(i, &kind)| {
            times[i].sort_unstable();
            Row {
                kind: Some(kind),
                open: tally(kind, |t| t.n, true),
                overdue: tally(kind, |t| t.overdue, false),
                answered: times[i].len(),
                median: nearest_rank(&times[i], 0.5),
                p90: nearest_rank(&times[i], 0.9),
                in_time: in_time[i],
                due: due[i],
            }
        })
        .collect();
    if kinds.len() > 1 {
        let mut all: Vec<u32> = times.concat();
        all.sort_unstable();
        rows.push(Row {
            kind: None,
            open: rows.iter().map(|r| r.open).sum(),
            overdue: rows.iter().map(|r| r.overdue).sum(),
            answered: all.len(),
            median: nearest_rank(&all, 0.5),
            p90: nearest_rank(&all, 0.9),
            in_time: in_time.iter().sum(),
            due: due.iter().sum(),
        });
    }
    Figures {
        today,
        from,
        months,
        rows,
    }
}

/// Reads what the figures need and computes them.
pub async fn load(state: &AppState, kinds: &[CaseKind]) -> Result<Figures, AppError> {
    Ok(figures_on(&state.db, kinds, super::inbox::today(state)).await?)
}

/// The figures of `kinds` on `today`, from the database.
pub async fn figures_on(
    db: &crate::db::Db,
    kinds: &[CaseKind],
    today: NaiveDate,
) -> Result<Figures, DbError> {
    let from = period_start(today);
    let records = store::records_since(db, kinds, start_of(from), from).await?;
    let tallies = store::open_tallies(db, kinds, today).await?;
    Ok(figures(kinds, &records, &tallies, today))
}

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    typ: Option<String>,
}

/// The types in view: all the person handles, or the one `?typ=` names
/// (403 for one they do not handle).
fn kinds_in_view(staff: &Staff, query: &DashboardQuery) -> Result<Vec<CaseKind>, AppError> {
    let handled = CaseKind::handled_by(staff);
    match query.typ.as_deref() {
        None | Some("") => Ok(handled),
        Some(prefix) => {
            let kind = CaseKind::from_prefix(prefix).ok_or(AppError::NotFound)?;
            if handled.contains(&kind) {
                Ok(vec![kind])
            } else {
                Err(AppError::Forbidden)
            }
        }
    }
}

const MONTH_NAMES: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

fn month_name(first: NaiveDate) -> String {
    format!("{} {}", MONTH_NAMES[first.month0() as usize], first.year())
}

fn kind_label(kind: Option<CaseKind>) -> String {
    kind.map_or_else(
        || "Alla typer".to_owned(),
        |k| format!("{} ({})", k.label(), k.prefix()),
    )
}

fn days(value: Option<u32>) -> String {
    match value {
        None => "–".to_owned(),
        Some(1) => "1 arbetsdag".to_owned(),
        Some(n) => format!("{n} arbetsdagar"),
    }
}

fn share(in_time: usize, due: usize) -> String {
    if due == 0 {
        return "–".to_owned();
    }
    let percent = (in_time as f64 * 100.0 / due as f64).round() as u32;
    format!("{percent} % ({in_time} av {due})")
}

struct TypeLink {
    href: String,
    label: String,
    current: bool,
}

struct RowView {
    label: String,
    open: i64,
    overdue: i64,
    answered: usize,
    median: String,
    p90: String,
    in_time: String,
}

struct MonthView {
    name: String,
    received: u32,
    closed: u32,
}

/// A bar of the chart, in the SVG's coordinates.
struct Bar {
    x: u32,
    y: u32,
    height: u32,
    class: &'static str,
}

/// The chart: two bars a month, received and closed, on a scale to the
/// largest value.
struct Chart {
    width: u32,
    height: u32,
    top: u32,
    baseline: u32,
    max: u32,
    bars: Vec<Bar>,
    labels: Vec<(u32, String)>,
}

const BAR: u32 = 18;
const SLOT: u32 = 50;
const LEFT: u32 = 40;
const TOP: u32 = 20;
const PLOT: u32 = 160;

fn chart(months: &[Month]) -> Chart {
    let max = months
        .iter()
        .map(|m| m.received.max(m.closed))
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = |v: u32| (v * PLOT).div_ceil(max);
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    for (i, m) in months.iter().enumerate() {
        let x = LEFT + i as u32 * SLOT + 6;
        for (offset, value, class) in [
            (0, m.received, "chart__bar chart__bar--received"),
            (BAR, m.closed, "chart__bar chart__bar--closed"),
        ] {
            let height = scale(value);
            bars.push(Bar {
                x: x + offset,
                y: TOP + PLOT - height,
                height,
                class,
            });
        }
        labels.push((
            x + BAR,
            MONTH_NAMES[m.first.month0() as usize][..3].to_owned(),
        ));
    }
    Chart {
        width: LEFT + months.len() as u32 * SLOT + 10,
        height: TOP + PLOT + 30,
        top: TOP,
        baseline: TOP + PLOT,
        max,
        bars,
        labels,
    }
}

#[derive(Template)]
#[template(path = "cases/dashboard.html")]
struct DashboardPage {
    layout: AdminLayout,
    types: Vec<TypeLink>,
    rows: Vec<RowView>,
    months: Vec<MonthView>,
    chart: Chart,
    from: String,
    today: String,
    csv: String,
}

pub async fn dashboard(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, AppError> {
    let kinds = kinds_in_view(&staff, &query)?;
    let figures = load(&state, &kinds).await?;
    let handled = CaseKind::handled_by(&staff);
    let types = if handled.len() > 1 {
        std::iter::once(None)
            .chain(handled.iter().copied().map(Some))
            .map(|k| TypeLink {
                href: k.map_or_else(
                    || "/admin/oversikt".to_owned(),
                    |k| format!("/admin/oversikt?typ={}", k.prefix()),
                ),
                label: kind_label(k),
                current: match k {
                    None => kinds.len() == handled.len(),
                    Some(k) => kinds == [k] && handled.len() > 1,
                },
            })
            .collect()
    } else {
        Vec::new()
    };
    let csv = match query.typ.as_deref() {
        Some(t) if !t.is_empty() => format!("/admin/oversikt.csv?typ={t}"),
        _ => "/admin/oversikt.csv".to_owned(),
    };
    html(&DashboardPage {
        layout: staff_layout(&state, &staff, "Översikt"),
        types,
        rows: figures
            .rows
            .iter()
            .map(|r| RowView {
                label: kind_label(r.kind),
                open: r.open,
                overdue: r.overdue,
                answered: r.answered,
                median: days(r.median),
                p90: days(r.p90),
                in_time: share(r.in_time, r.due),
            })
            .collect(),
        chart: chart(&figures.months),
        months: figures
            .months
            .iter()
            .map(|m| MonthView {
                name: month_name(m.first),
                received: m.received,
                closed: m.closed,
            })
            .collect(),
        from: month_name(figures.from),
        today: figures.today.to_string(),
        csv,
    })
}

pub async fn dashboard_csv(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, AppError> {
    let kinds = kinds_in_view(&staff, &query)?;
    let f = load(&state, &kinds).await?;
    let mut csv = Csv::new();
    csv.row(["Ärendetyp", "Mått", "Period", "Värde"]);
    let period = format!("{}–{}", f.from.format("%Y-%m"), f.today.format("%Y-%m-%d"));
    let opt = |v: Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
    for r in &f.rows {
        let kind = r.kind.map_or("Alla", CaseKind::prefix);
        let today = f.today.to_string();
        csv.row([kind, "Öppna ärenden", &today, &r.open.to_string()]);
        csv.row([kind, "Försenade ärenden", &today, &r.overdue.to_string()]);
        csv.row([kind, "Besvarade", &period, &r.answered.to_string()]);
        csv.row([
            kind,
            "Svarstid median (arbetsdagar)",
            &period,
            &opt(r.median),
        ]);
        csv.row([
            kind,
            "Svarstid 90:e percentilen (arbetsdagar)",
            &period,
            &opt(r.p90),
        ]);
        csv.row([
            kind,
            "Svar som skulle ha getts",
            &period,
            &r.due.to_string(),
        ]);
        csv.row([kind, "Besvarade i tid", &period, &r.in_time.to_string()]);
    }
    let kind = match kinds.as_slice() {
        [k] => k.prefix(),
        _ => "Alla",
    };
    for m in &f.months {
        let month = m.first.format("%Y-%m").to_string();
        csv.row([kind, "Inkomna", &month, &m.received.to_string()]);
        csv.row([kind, "Avslutade", &month, &m.closed.to_string()]);
    }
    Ok(csv.into_response(&format!("oversikt-{}.csv", f.today)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::working_days_between;

    #[test]
    fn nearest_rank_is_the_smallest_value_that_share_kept_within() {
        assert_eq!(nearest_rank(&[], 0.5), None);
        assert_eq!(nearest_rank(&[4], 0.9), Some(4));
        assert_eq!(nearest_rank(&[1, 2, 3, 4], 0.5), Some(2));
        assert_eq!(nearest_rank(&[1, 2, 3, 4, 5], 0.5), Some(3));
        let ten: Vec<u32> = (1..=10).collect();
        assert_eq!(nearest_rank(&ten, 0.9), Some(9));
        let eleven: Vec<u32> = (1..=11).collect();
        assert_eq!(nearest_rank(&eleven, 0.9), Some(10));
    }

    #[test]
    fn working_days_from_the_running_count_match_the_calendar() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let w = WorkingDays::new(d(2024, 12, 1), d(2026, 6, 30));
        let pairs = [
            (d(2025, 12, 15), d(2026, 1, 7)),
            (d(2026, 3, 30), d(2026, 4, 10)),
            (d(2026, 6, 15), d(2026, 6, 26)),
            (d(2024, 12, 20), d(2025, 1, 8)),
            (d(2026, 1, 7), d(2025, 12, 15)),
            (d(2026, 5, 29), d(2026, 6, 1)),
            (d(2024, 12, 1), d(2026, 6, 30)),
        ];
        for (start, end) in pairs {
            assert_eq!(
                w.between(start, end),
                working_days_between(start, end),
                "{start} – {end}"
            );
        }
    }

    #[test]
    fn the_period_is_this_month_and_the_eleven_before() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(period_start(d(2026, 12, 7)), d(2026, 1, 1));
        assert_eq!(period_start(d(2026, 3, 31)), d(2025, 4, 1));
    }

    #[test]
    fn the_chart_scales_to_the_largest_month() {
        let d = |m| NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
        let c = chart(&[
            Month {
                first: d(1),
                received: 4,
                closed: 0,
            },
            Month {
                first: d(2),
                received: 2,
                closed: 1,
            },
        ]);
        assert_eq!(c.max, 4);
        assert_eq!(c.bars[0].height, PLOT);
        assert_eq!(c.bars[0].y, TOP);
        assert_eq!(c.bars[1].height, 0);
        assert_eq!(c.bars[2].height, PLOT / 2);
        assert_eq!(c.labels[1].1, "feb");
    }
}
