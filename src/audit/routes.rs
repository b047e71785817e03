//! The audit log as administrators read it: the newest entries first.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Extension;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{store, Action};
use crate::auth::staff_layout;
use crate::auth::Staff;
use crate::web::error::AppError;
use crate::web::format;
use crate::web::layout::AdminLayout;
use crate::web::render::html;
use crate::web::AppState;

const PAGE_SIZE: i64 = 100;

struct Line {
    at: String,
    who: String,
    action: &'static str,
    object: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct LogPage {
    layout: AdminLayout,
    lines: Vec<Line>,
    older: Option<i64>,
}

#[derive(Deserialize)]
pub struct Before {
    fore: Option<i64>,
}

fn local(at: DateTime<Utc>) -> String {
    format::stockholm(at, "%Y-%m-%d %H:%M:%S")
}

pub async fn log_page(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(before): Query<Before>,
) -> Result<Response, AppError> {
    let rows = store::page(&state.db, before.fore, PAGE_SIZE + 1)
        .await
        .map_err(crate::db::DbError::from)?;
    let older = (rows.len() as i64 > PAGE_SIZE).then(|| rows[PAGE_SIZE as usize - 1].id);
    let lines = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|r| Line {
            at: local(r.at),
            who: match (r.account_id, r.account_name) {
                (Some(_), Some(name)) => name,
                (Some(id), None) => format!("konto {id}"),
                (None, _) => "–".to_owned(),
            },
            action: Action::ALL
                .into_iter()
                .find(|a| a.code() == r.action)
                .map_or("Okänd händelse", Action::label),
            object: match (r.object_type, r.object_id) {
                (Some(t), Some(id)) => format!("{t} {id}"),
                _ => String::new(),
            },
            detail: r.detail,
        })
        .collect();
    html(&LogPage {
        layout: staff_layout(&state, &staff, "Granskningslogg"),
        lines,
        older,
    })
}
