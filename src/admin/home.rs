//! `/admin`: what the signed-in person's roles let them do.

use askama::Template;
use axum::extract::State;
use axum::http::Method;
use axum::response::Response;
use axum::Extension;

use super::policy::{Access, TABLE};
use crate::auth::{staff_layout, Staff};
use crate::web::error::AppError;
use crate::web::layout::AdminLayout;
use crate::web::render::html;
use crate::web::AppState;

#[derive(Template)]
#[template(path = "admin/start.html")]
struct Start {
    layout: AdminLayout,
    name: String,
    roles: Vec<(&'static str, &'static str)>,
    links: Vec<(&'static str, &'static str)>,
}

pub async fn start(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
) -> Result<Response, AppError> {
    let links = TABLE
        .iter()
        .filter(|r| r.method == Method::GET)
        .filter_map(|r| {
            let allowed = match r.access {
                Access::Anyone | Access::SignedIn => true,
                Access::Roles(roles) => staff.may(roles),
            };
            r.menu.filter(|_| allowed).map(|title| (r.path, title))
        })
        .collect();
    html(&Start {
        layout: staff_layout(&state, &staff, "Fridhem för personal"),
        name: staff.name.clone(),
        roles: staff.roles.iter().map(|r| (r.label(), r.scope())).collect(),
        links,
    })
}
