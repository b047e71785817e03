//! `/admin/utkorg`: mail the outbox has given up on (refused for good by
//! the SMTP server, or still failing after seven days). Administrators see
//! to whom, about what and why, and send each one again or discard it;
//! both are audited. Bodies are never shown: they may hold a link.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Extension;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::audit::{self, Action, Entry};
use crate::auth::{staff_layout, Staff};
use crate::db::writer::{WriteError, Writer};
use crate::db::DbError;
use crate::mail::outbox;
use crate::web::error::AppError;
use crate::web::format;
use crate::web::layout::AdminLayout;
use crate::web::render::html;
use crate::web::AppState;

struct Line {
    id: i64,
    recipient: String,
    subject: String,
    case: Option<String>,
    error: String,
    attempts: i64,
    queued: String,
    given_up: String,
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
struct OutboxPage {
    layout: AdminLayout,
    csrf: String,
    lines: Vec<Line>,
    done: Option<&'static str>,
}

#[derive(Deserialize, Default)]
pub struct OutboxQuery {
    klart: Option<String>,
}

fn when(at: Option<DateTime<Utc>>) -> String {
    at.map(|at| format::stockholm(at, format::MINUTE))
        .unwrap_or_default()
}

pub async fn list(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<OutboxQuery>,
) -> Result<Response, AppError> {
    let given_up = outbox::given_up(&state.db, &state.data_keys)
        .await
        .map_err(DbError::from)?;
    let case_ids: Vec<i64> = given_up.iter().filter_map(|m| m.case_id).collect();
    let references = crate::cases::store::references(&state.db, &case_ids)
        .await
        .map_err(DbError::from)?;
    let lines = given_up
        .into_iter()
        .map(|m| Line {
            id: m.id,
            case: m.case_id.and_then(|id| {
                references
                    .iter()
                    .find(|(i, _)| *i == id)
                    .map(|(_, r)| r.clone())
            }),
            error: m.last_error.clone().unwrap_or_default(),
            attempts: m.attempts,
            queued: when(Some(m.created_at)),
            given_up: when(m.failed_at),
            recipient: m.recipient,
            subject: m.subject,
        })
        .collect();
    html(&OutboxPage {
        layout: staff_layout(&state, &staff, "Utkorg: e-post som inte gick fram"),
        csrf: crate::auth::session::csrf_token(&state, &staff.session),
        lines,
        done: match query.klart.as_deref() {
            Some("skickas") => Some("Meddelandet ligger i kön igen och skickas nu."),
            Some("kasserat") => Some("Meddelandet är kasserat och skickas inte."),
            _ => None,
        },
    })
}

/// Sends a given-up message again, or discards it, with its audit entry
/// in the same transaction; false when it is no longer given up.
async fn decide(
    writer: &Writer,
    actor: i64,
    id: i64,
    again: bool,
    now: DateTime<Utc>,
) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            Box::pin(async move {
                let done = if again {
                    outbox::resend(tx, id, now).await?
                } else {
                    outbox::discard(tx, id, now).await?
                };
                if done {
                    let action = if again {
                        Action::MailResent
                    } else {
                        Action::MailDiscarded
                    };
                    let entry = Entry::new(Some(actor), action).on("e-post", id);
                    audit::store::record(tx, &entry, now).await?;
                }
                Ok(done)
            })
        })
        .await
}

async fn act(state: &AppState, staff: &Staff, id: &str, again: bool) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if !decide(
        &state.writer,
        staff.account_id,
        id,
        again,
        state.clock.now(),
    )
    .await?
    {
        return Err(AppError::Conflict(
            "Meddelandet är redan skickat igen eller kasserat. Sidan visar hur det ser ut nu."
                .to_owned(),
        ));
    }
    if again {
        state.mail_wake.notify_one();
    }
    Ok(crate::web::render::see_other(if again {
        "/admin/utkorg?klart=skickas"
    } else {
        "/admin/utkorg?klart=kasserat"
    }))
}

pub async fn resend(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    act(&state, &staff, &id, true).await
}

pub async fn discard(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    act(&state, &staff, &id, false).await
}
