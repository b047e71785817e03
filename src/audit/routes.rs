//! The audit log as administrators read it (`/admin/logg`): filtered by
//! account, case reference, kind of action and period, newest first, a
//! page at a time; and the same selection as CSV for Excel
//! (`/admin/logg.csv`), an export that is itself written to the log.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Stockholm;
use serde::Deserialize;

use super::store::{self, LogFilter, NamedRow};
use super::Action;
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::db::DbError;
use crate::web::csv::Csv;
use crate::web::error::AppError;
use crate::web::format;
use crate::web::layout::AdminLayout;
use crate::web::render::html_string;
use crate::web::AppState;

const PAGE_SIZE: i64 = 100;
/// Rows read per query while an export is written.
const EXPORT_BATCH: i64 = 5000;

/// The query as typed; every part optional.
#[derive(Debug, Deserialize, Default)]
pub struct LogQuery {
    konto: Option<String>,
    arende: Option<String>,
    handelse: Option<String>,
    fran: Option<String>,
    till: Option<String>,
    fore: Option<String>,
}

struct Problem {
    href: &'static str,
    text: String,
}

/// A query checked: the filter, the page's position, and what was wrong.
struct Checked {
    filter: LogFilter,
    before: Option<i64>,
    /// The filter's own parameters, normalised, for links.
    params: Vec<(&'static str, String)>,
    errors: Vec<Problem>,
    account_error: Option<String>,
    reference_error: Option<String>,
    action_error: Option<String>,
    from_error: Option<String>,
    until_error: Option<String>,
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The first moment of `day` in Swedish time.
fn start_of(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    // Midnight is never skipped in Sweden (clocks change at 02:00 and
    // 03:00), so the earliest reading is the only one.
    Stockholm
        .from_local_datetime(&midnight)
        .earliest()
        .expect("midnight exists in Stockholm")
        .with_timezone(&Utc)
}

fn check(query: &LogQuery, accounts: &[(i64, String, String)]) -> Checked {
    let mut c = Checked {
        filter: LogFilter::default(),
        before: None,
        params: Vec::new(),
        errors: Vec::new(),
        account_error: None,
        reference_error: None,
        action_error: None,
        from_error: None,
        until_error: None,
    };
    if let Some(text) = present(&query.konto) {
        match text.parse::<i64>() {
            Ok(id) if accounts.iter().any(|(a, _, _)| *a == id) => {
                c.filter.account = Some(id);
                c.params.push(("konto", id.to_string()));
            }
            _ => c.account_error = Some("Välj ett konto i listan.".to_owned()),
        }
    }
    if let Some(text) = present(&query.arende) {
        let upper = text.to_uppercase();
        if upper.len() <= 20
            && upper
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
        {
            c.params.push(("arende", upper.clone()));
            c.filter.reference = Some(upper);
        } else {
            c.reference_error = Some(
                "Skriv ärendenumret eller en del av det med bokstäver, siffror och bindestreck, till exempel TG-2026-00042."
                    .to_owned(),
            );
        }
    }
    if let Some(text) = present(&query.handelse) {
        match Action::ALL.into_iter().find(|a| a.code() == text) {
            Some(action) => {
                c.filter.action = Some(action.code());
                c.params.push(("handelse", action.code().to_owned()));
            }
            None => c.action_error = Some("Välj en händelse i listan.".to_owned()),
        }
    }
    // A day as typed (a date field sends år-månad-dag), or why not.
    let day = |value: &Option<String>, which: &str| -> (Option<NaiveDate>, Option<String>) {
        match present(value) {
            None => (None, None),
            Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(d) => (Some(d), None),
                Err(_) => (
                    None,
                    Some(format!(
                        "Skriv {which}-datumet som år-månad-dag, till exempel 2026-11-30."
                    )),
                ),
            },
        }
    };
    let (from, from_error) = day(&query.fran, "från");
    let (until, until_error) = day(&query.till, "till");
    c.from_error = from_error;
    c.until_error = until_error;
    if let (Some(f), Some(u)) = (from, until) {
        if u < f {
            c.until_error = Some("Till-datumet kan inte vara före från-datumet.".to_owned());
        }
    }
    if c.until_error.is_none() {
        if let Some(f) = from {
            c.filter.from = Some(start_of(f));
            c.params.push(("fran", f.to_string()));
        }
        if let Some(u) = until {
            // The whole of the last day counts.
            c.filter.until = u.succ_opt().map(start_of);
            c.params.push(("till", u.to_string()));
        }
    }
    if let Some(text) = present(&query.fore) {
        // Written by this page; a changed one starts from the newest.
        c.before = text.parse::<i64>().ok().filter(|id| *id > 0);
    }
    for (href, error) in [
        ("#konto", &c.account_error),
        ("#arende", &c.reference_error),
        ("#handelse", &c.action_error),
        ("#fran", &c.from_error),
        ("#till", &c.until_error),
    ] {
        if let Some(text) = error {
            c.errors.push(Problem {
                href,
                text: text.clone(),
            });
        }
    }
    c
}

fn query_string(params: &[(&'static str, String)], extra: Option<(&str, String)>) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        s.append_pair(k, v);
    }
    if let Some((k, v)) = extra {
        s.append_pair(k, &v);
    }
    let q = s.finish();
    if q.is_empty() {
        q
    } else {
        format!("?{q}")
    }
}

struct Line {
    at: String,
    who: String,
    action: &'static str,
    object: String,
    detail: String,
}

fn who(r: &NamedRow) -> String {
    match (r.account_id, &r.account_name) {
        (Some(_), Some(name)) => name.clone(),
        (Some(id), None) => format!("konto {id}"),
        (None, _) => "–".to_owned(),
    }
}

fn action_label(code: &str) -> &'static str {
    Action::ALL
        .into_iter()
        .find(|a| a.code() == code)
        .map_or("Okänd händelse", Action::label)
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct LogPage {
    layout: AdminLayout,
    errors: Vec<Problem>,
    accounts: Vec<Choice>,
    actions: Vec<Choice>,
    reference: String,
    from: String,
    until: String,
    account_error: Option<String>,
    reference_error: Option<String>,
    action_error: Option<String>,
    from_error: Option<String>,
    until_error: Option<String>,
    total: String,
    filtered: bool,
    lines: Vec<Line>,
    csv_href: String,
    newest_href: Option<String>,
    older_href: Option<String>,
}

pub async fn log_page(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<LogQuery>,
) -> Result<Response, AppError> {
    let accounts = store::accounts(&state.db).await.map_err(DbError::from)?;
    let checked = check(&query, &accounts);
    let invalid = !checked.errors.is_empty();
    let (rows, total) = if invalid {
        (Vec::new(), 0)
    } else {
        let rows = store::page(&state.db, &checked.filter, checked.before, PAGE_SIZE + 1)
            .await
            .map_err(DbError::from)?;
        let total = store::count(&state.db, &checked.filter)
            .await
            .map_err(DbError::from)?;
        (rows, total)
    };
    let older_href = (rows.len() as i64 > PAGE_SIZE).then(|| {
        let last = rows[PAGE_SIZE as usize - 1].id;
        format!(
            "/admin/logg{}",
            query_string(&checked.params, Some(("fore", last.to_string())))
        )
    });
    let lines = rows
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|r| Line {
            at: format::stockholm(r.at, "%Y-%m-%d %H:%M:%S"),
            who: who(r),
            action: action_label(&r.action),
            object: match (&r.object_type, &r.object_id) {
                (Some(t), Some(id)) => format!("{t} {id}"),
                _ => String::new(),
            },
            detail: r.detail.clone(),
        })
        .collect();
    let text = |v: &Option<String>| v.as_deref().unwrap_or("").trim().to_owned();
    let page = LogPage {
        layout: staff_layout(&state, &staff, "Granskningslogg"),
        accounts: accounts
            .iter()
            .map(|(id, name, email)| Choice {
                value: id.to_string(),
                label: format!("{name} ({email})"),
                selected: checked.filter.account == Some(*id),
            })
            .collect(),
        actions: Action::ALL
            .into_iter()
            .map(|a| Choice {
                value: a.code().to_owned(),
                label: a.label().to_owned(),
                selected: checked.filter.action == Some(a.code()),
            })
            .collect(),
        reference: checked
            .filter
            .reference
            .clone()
            .unwrap_or_else(|| text(&query.arende)),
        from: text(&query.fran),
        until: text(&query.till),
        total: format::count(total as usize),
        filtered: !checked.params.is_empty(),
        lines,
        csv_href: format!("/admin/logg.csv{}", query_string(&checked.params, None)),
        newest_href: checked
            .before
            .map(|_| format!("/admin/logg{}", query_string(&checked.params, None))),
        older_href,
        account_error: checked.account_error,
        reference_error: checked.reference_error,
        action_error: checked.action_error,
        from_error: checked.from_error,
        until_error: checked.until_error,
        errors: checked.errors,
    };
    let mut response = html_string(page.render()?);
    if invalid {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

/// The selection as CSV, written to the log before it is sent.
pub async fn log_csv(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<LogQuery>,
) -> Result<Response, AppError> {
    let accounts = store::accounts(&state.db).await.map_err(DbError::from)?;
    let checked = check(&query, &accounts);
    if !checked.errors.is_empty() {
        // The page says what is wrong, with the filter kept.
        return log_page(State(state), Extension(staff), Query(query)).await;
    }
    let mut csv = Csv::new();
    csv.row([
        "Tid",
        "Konto",
        "Konto-id",
        "Händelse",
        "Händelsekod",
        "Gäller",
        "Id",
        "Detalj",
    ]);
    let mut before = None;
    let mut rows = 0usize;
    loop {
        let batch = store::page(&state.db, &checked.filter, before, EXPORT_BATCH)
            .await
            .map_err(DbError::from)?;
        for r in &batch {
            csv.row([
                format::stockholm(r.at, "%Y-%m-%d %H:%M:%S"),
                who(r),
                r.account_id.map(|id| id.to_string()).unwrap_or_default(),
                action_label(&r.action).to_owned(),
                r.action.clone(),
                r.object_type.clone().unwrap_or_default(),
                r.object_id.clone().unwrap_or_default(),
                r.detail.clone(),
            ]);
        }
        rows += batch.len();
        match batch.last() {
            Some(last) if batch.len() as i64 == EXPORT_BATCH => before = Some(last.id),
            _ => break,
        }
    }
    let now = state.clock.now();
    let selection = if checked.params.is_empty() {
        "hela loggen".to_owned()
    } else {
        checked
            .params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    super::service::record_export(
        &state.writer,
        staff.account_id,
        format!("{rows} rader; {selection}"),
        now,
    )
    .await?;
    let filename = format!("granskningslogg-{}.csv", format::stockholm(now, "%Y-%m-%d"));
    Ok(csv.into_response(&filename).into_response())
}
