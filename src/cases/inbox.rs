//! `/admin/arenden`: the inbox of the case types a person handles, oldest
//! first, with filters as plain links (each with its count), a search by
//! reference and pages. A case of a type the person does not handle is
//! never listed or counted.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Extension;
use chrono::NaiveDate;
use serde::Deserialize;

use super::model::{CaseKind, Status};
use super::store::{self, InboxFilter, Tally};
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::db::DbError;
use crate::web::error::AppError;
use crate::web::format;
use crate::web::layout::AdminLayout;
use crate::web::render::html;
use crate::web::AppState;

const PAGE_SIZE: i64 = 50;

/// Today in Sweden: the day answer dates are compared with.
pub fn today(state: &AppState) -> NaiveDate {
    state
        .clock
        .now()
        .with_timezone(&chrono_tz::Europe::Stockholm)
        .date_naive()
}

/// Which cases of the chosen status show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StatusChoice {
    /// Every case that is not closed (the default).
    Open,
    All,
    Is(Status),
}

impl StatusChoice {
    fn parse(value: Option<&str>) -> StatusChoice {
        match value {
            Some("alla") => StatusChoice::All,
            Some(slug) => Status::from_slug(slug).map_or(StatusChoice::Open, StatusChoice::Is),
            None => StatusChoice::Open,
        }
    }

    fn slug(self) -> Option<&'static str> {
        match self {
            StatusChoice::Open => None,
            StatusChoice::All => Some("alla"),
            StatusChoice::Is(s) => Some(s.slug()),
        }
    }

    fn admits(self, status: &str) -> bool {
        match self {
            StatusChoice::Open => status != Status::Closed.code(),
            StatusChoice::All => true,
            StatusChoice::Is(s) => status == s.code(),
        }
    }
}

/// Whose cases, or which: one choice at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    All,
    Mine,
    Unassigned,
    Overdue,
}

impl Show {
    const ALL: [Show; 4] = [Show::All, Show::Mine, Show::Unassigned, Show::Overdue];

    fn slug(self) -> Option<&'static str> {
        match self {
            Show::All => None,
            Show::Mine => Some("mina"),
            Show::Unassigned => Some("otilldelade"),
            Show::Overdue => Some("forsenade"),
        }
    }

    fn parse(value: Option<&str>) -> Show {
        Show::ALL
            .into_iter()
            .find(|s| s.slug() == value)
            .unwrap_or(Show::All)
    }

    fn label(self) -> &'static str {
        match self {
            Show::All => "Alla",
            Show::Mine => "Tilldelade mig",
            Show::Unassigned => "Inte tilldelade",
            Show::Overdue => "Försenade",
        }
    }

    /// How many of the cases counted in `t` this choice shows.
    fn count(self, t: &Tally) -> i64 {
        match self {
            Show::All => t.n,
            Show::Mine => t.mine,
            Show::Unassigned => t.unassigned,
            Show::Overdue => t.overdue,
        }
    }
}

/// The inbox's state, as its address carries it.
#[derive(Debug, Clone)]
struct View {
    kind: Option<CaseKind>,
    status: StatusChoice,
    show: Show,
    search: Option<String>,
    page: i64,
}

impl View {
    fn href(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if let Some(k) = self.kind {
            query.append_pair("typ", k.prefix());
        }
        if let Some(s) = self.status.slug() {
            query.append_pair("status", s);
        }
        if let Some(s) = self.show.slug() {
            query.append_pair("visa", s);
        }
        if let Some(s) = &self.search {
            query.append_pair("sok", s);
        }
        if self.page > 1 {
            query.append_pair("sida", &self.page.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            "/admin/arenden".to_owned()
        } else {
            format!("/admin/arenden?{query}")
        }
    }

    /// The same view with one thing changed, from its first page.
    fn with(&self, change: impl FnOnce(&mut View)) -> String {
        let mut v = self.clone();
        v.page = 1;
        change(&mut v);
        v.href()
    }
}

#[derive(Deserialize, Default)]
pub struct InboxQuery {
    typ: Option<String>,
    status: Option<String>,
    visa: Option<String>,
    sok: Option<String>,
    sida: Option<String>,
}

/// A filter link with its count, and whether it is the one in use.
struct Choice {
    href: String,
    label: String,
    count: i64,
    current: bool,
}

struct Line {
    reference: String,
    kind: &'static str,
    received: String,
    due: String,
    overdue: bool,
    status: &'static str,
    assignee: String,
    undelivered: bool,
}

#[derive(Template)]
#[template(path = "cases/inbox.html")]
struct InboxPage {
    layout: AdminLayout,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    shows: Vec<Choice>,
    search: String,
    search_error: Option<&'static str>,
    hidden: Vec<(&'static str, String)>,
    lines: Vec<Line>,
    total: i64,
    page: i64,
    pages: i64,
    previous: Option<String>,
    next: Option<String>,
}

const SEARCH_ERROR: &str =
    "Ett ärendenummer består av bokstäver, siffror och bindestreck, till exempel TG-2026-00042.";

pub async fn inbox(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<InboxQuery>,
) -> Result<Response, AppError> {
    let handled = CaseKind::handled_by(&staff);
    // A type the person does not handle is refused outright, not shown
    // as an empty list.
    let kind = match query.typ.as_deref() {
        None | Some("") => None,
        Some(prefix) => {
            let kind = CaseKind::from_prefix(prefix).ok_or(AppError::NotFound)?;
            if !handled.contains(&kind) {
                return Err(AppError::Forbidden);
            }
            Some(kind)
        }
    };
    let raw_search = query.sok.as_deref().unwrap_or("").trim().to_uppercase();
    let search_ok = raw_search.len() <= 20
        && raw_search
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    let view = View {
        kind,
        status: StatusChoice::parse(query.status.as_deref()),
        show: Show::parse(query.visa.as_deref()),
        search: (search_ok && !raw_search.is_empty()).then(|| raw_search.clone()),
        page: query
            .sida
            .as_deref()
            .and_then(|p| p.parse().ok())
            .filter(|p: &i64| (1..=100_000).contains(p))
            .unwrap_or(1),
    };
    let today = today(&state);
    let me = staff.account_id;
    let kinds_in_view = view.kind.map_or_else(|| handled.clone(), |k| vec![k]);
    let filter = InboxFilter {
        kinds: kinds_in_view,
        status: match view.status {
            StatusChoice::Is(s) => Some(s),
            _ => None,
        },
        include_closed: view.status == StatusChoice::All,
        assigned_to: (view.show == Show::Mine).then_some(me),
        unassigned: view.show == Show::Unassigned,
        overdue_on: (view.show == Show::Overdue).then_some(today),
        search: view.search.clone(),
    };
    let offset = (view.page - 1) * PAGE_SIZE;
    let (rows, total) = store::inbox(&state.db, &filter, offset, PAGE_SIZE)
        .await
        .map_err(DbError::from)?;
    let tallies = store::tallies(&state.db, &handled, me, today)
        .await
        .map_err(DbError::from)?;

    // Each count applies the other filters in use, so it says how many
    // cases following that link shows (the search aside).
    let count = |kind: Option<CaseKind>, status: StatusChoice, show: Show| -> i64 {
        tallies
            .iter()
            .filter(|t| kind.is_none_or(|k| t.kind == k.prefix()))
            .filter(|t| status.admits(&t.status))
            .map(|t| show.count(t))
            .sum()
    };
    let mut kinds = vec![Choice {
        href: view.with(|v| v.kind = None),
        label: "Alla typer".to_owned(),
        count: count(None, view.status, view.show),
        current: view.kind.is_none(),
    }];
    if handled.len() > 1 {
        kinds.extend(handled.iter().map(|&k| Choice {
            href: view.with(|v| v.kind = Some(k)),
            label: format!("{} ({})", k.label(), k.prefix()),
            count: count(Some(k), view.status, view.show),
            current: view.kind == Some(k),
        }));
    } else {
        kinds.clear();
    }
    let mut status_choices = vec![StatusChoice::Open];
    status_choices.extend(Status::ALL.map(StatusChoice::Is));
    status_choices.push(StatusChoice::All);
    let statuses = status_choices
        .into_iter()
        .map(|s| Choice {
            href: view.with(|v| v.status = s),
            label: match s {
                StatusChoice::Open => "Öppna".to_owned(),
                StatusChoice::All => "Alla, även avslutade".to_owned(),
                StatusChoice::Is(s) => s.label().to_owned(),
            },
            count: count(view.kind, s, view.show),
            current: view.status == s,
        })
        .collect();
    let shows = Show::ALL
        .into_iter()
        .map(|s| Choice {
            href: view.with(|v| v.show = s),
            label: s.label().to_owned(),
            count: count(view.kind, view.status, s),
            current: view.show == s,
        })
        .collect();

    let lines = rows
        .into_iter()
        .map(|r| {
            let overdue = r.status != Status::Closed.code()
                && r.answered_at.is_none()
                && r.due_on.is_some_and(|d| d < today);
            Line {
                kind: CaseKind::from_prefix(&r.kind).map_or("", CaseKind::label),
                received: format::stockholm(r.created_at, format::MINUTE),
                due: r.due_on.map(|d| d.to_string()).unwrap_or_default(),
                overdue,
                status: Status::from_code(&r.status).map_or("", Status::label),
                assignee: r.assignee.unwrap_or_else(|| "Ingen".to_owned()),
                undelivered: r.undelivered,
                reference: r.reference,
            }
        })
        .collect();
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let at_page = |page: i64| {
        let mut v = view.clone();
        v.page = page;
        v.href()
    };
    let mut hidden = vec![];
    if let Some(k) = view.kind {
        hidden.push(("typ", k.prefix().to_owned()));
    }
    if let Some(s) = view.status.slug() {
        hidden.push(("status", s.to_owned()));
    }
    if let Some(s) = view.show.slug() {
        hidden.push(("visa", s.to_owned()));
    }
    html(&InboxPage {
        layout: staff_layout(&state, &staff, "Ärenden"),
        kinds,
        statuses,
        shows,
        search_error: (!search_ok).then_some(SEARCH_ERROR),
        search: query.sok.unwrap_or_default(),
        hidden,
        lines,
        total,
        page: view.page,
        pages,
        previous: (view.page > 1).then(|| at_page(view.page - 1)),
        next: (view.page < pages).then(|| at_page(view.page + 1)),
    })
}
