//! The back office's surface under `/admin`: its own frame (no quick exit,
//! no help box), never cached or indexed, and its own error pages. Unlike
//! the public surface it may set cookies, for staff sessions. Every route
//! comes from the policy table ([`policy::TABLE`]) and passes the guard:
//! who is signed in, whether the table lets them in, and for every
//! state-changing request the origin rule and the session's CSRF token.

pub mod home;
pub mod outbox;
pub mod policy;

use askama::Template;
use axum::body::Body;
use axum::extract::{OriginalUri, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::auth::session;
use crate::auth::Staff;
use crate::web::csrf::same_origin;
use crate::web::error::{needs_page, AppError, ErrorPage};
use crate::web::headers::MaySetCookie;
use crate::web::i18n::Locale;
use crate::web::layout::AdminLayout;
use crate::web::middleware::{read_body, refuse_oversized};
use crate::web::render::html;
use crate::web::AppState;

use policy::{Access, Rule, TABLE};

/// The routes under `/admin` (to be nested there), each from its row of
/// the policy table and behind the guard that enforces that row.
pub fn router(state: &AppState) -> Router<AppState> {
    let mut routes = Router::new();
    for rule in TABLE {
        let path = match &rule.path["/admin".len()..] {
            "" => "/",
            rest => rest,
        };
        routes = routes.route(
            path,
            (rule.handler)()
                .route_layer(middleware::from_fn_with_state((state.clone(), rule), guard)),
        );
    }
    surface(routes.fallback(unknown), state)
}

/// The path as the visitor asked for it (the router strips `/admin`).
fn full_path(request: &Request) -> String {
    let uri = request
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| request.uri().clone(), |o| o.0.clone());
    uri.path_and_query()
        .map_or_else(|| "/admin".to_owned(), |p| p.as_str().to_owned())
}

/// 303 to the sign-in page, coming back here afterwards.
fn to_sign_in(path: &str) -> Response {
    let till: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
    crate::web::render::see_other(&format!("/admin/logga-in?till={till}"))
}

/// Enforces one row of the policy table.
async fn guard(
    State((state, rule)): State<(AppState, &'static Rule)>,
    mut request: Request,
    next: Next,
) -> Response {
    let staff = match session::authenticate(&state, request.headers()).await {
        Ok(staff) => staff,
        Err(e) => return e.into_response(),
    };
    if rule.access != Access::Anyone {
        let Some(staff) = &staff else {
            let path = full_path(&request);
            if matches!(*request.method(), Method::GET | Method::HEAD) {
                return to_sign_in(&path);
            }
            // What was typed is kept over the sign-in, not dropped by a 303.
            return crate::auth::routes::signed_out_post(&state, &path, request).await;
        };
        if let Access::Roles(roles) = rule.access {
            if !staff.may(roles) {
                return AppError::Forbidden.into_response();
            }
        }
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            request = match checked(&state, staff, request).await {
                Ok(request) => request,
                Err(refused) => return refused,
            };
        }
    }
    if let Some(staff) = staff {
        request.extensions_mut().insert(staff);
    }
    next.run(request).await
}

/// A state-changing request passes the origin rule and carries the
/// session's CSRF token in its form; anything else is a 403 that changes
/// nothing. The body is read here and handed on unchanged.
async fn checked(state: &AppState, staff: &Staff, request: Request) -> Result<Request, Response> {
    if !same_origin(request.headers(), &state.base_origin) {
        return Err(AppError::Forbidden.into_response());
    }
    let (parts, body) = request.into_parts();
    let bytes = read_body(body).await.map_err(IntoResponse::into_response)?;
    let token = url::form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    if !session::csrf_valid(state, &staff.session, &token) {
        // Still a 403 that changes nothing; but a form from one of our own
        // pages (the SameSite=Strict cookie came with it) that was opened
        // under an earlier session is offered again rather than lost.
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.path().to_owned(), |o| o.0.path().to_owned());
        return Err(
            crate::auth::routes::offer_again(state, staff, &path, &bytes)
                .unwrap_or_else(|| AppError::Forbidden.into_response()),
        );
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// An address not in the table: sign in first, then it is a 404.
async fn unknown(State(state): State<AppState>, request: Request) -> Response {
    match session::authenticate(&state, request.headers()).await {
        Ok(Some(_)) => AppError::NotFound.into_response(),
        Ok(None) => to_sign_in(&full_path(&request)),
        Err(e) => e.into_response(),
    }
}

/// Puts `routes` behind the staff layer.
pub fn surface(routes: Router<AppState>, state: &AppState) -> Router<AppState> {
    routes.layer(middleware::from_fn_with_state(state.clone(), frame))
}

const X_ROBOTS_TAG: HeaderName = HeaderName::from_static("x-robots-tag");

async fn frame(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let locale = Locale::default();
    let mut response = match refuse_oversized(&request) {
        Some(refused) => refused,
        None => next.run(request).await,
    };
    if needs_page(&response) {
        response = error_page(&state, locale, response);
    }
    response
        .headers_mut()
        .insert(X_ROBOTS_TAG, HeaderValue::from_static("noindex, nofollow"));
    // The one surface whose session cookie survives the common layer.
    response.extensions_mut().insert(MaySetCookie);
    response
}

#[derive(Template)]
#[template(path = "admin/error.html")]
struct ErrorTemplate {
    layout: AdminLayout,
    body: String,
    messages: Vec<String>,
}

fn error_page(state: &AppState, locale: Locale, response: Response) -> Response {
    let status = response.status();
    let t = state.i18n.catalogue(locale.0);
    let (title_key, body_key) = match status.as_u16() {
        401 => ("admin-error-401-title", "admin-error-401-body"),
        403 => ("admin-error-403-title", "admin-error-403-body"),
        404 => ("admin-error-404-title", "admin-error-404-body"),
        409 => ("error-409-title", "error-409-body"),
        400..=499 => ("error-400-title", "error-400-body"),
        _ => ("error-500-title", "admin-error-500-body"),
    };
    let messages = response
        .extensions()
        .get::<ErrorPage>()
        .map(|e| e.messages.clone())
        .unwrap_or_default();
    let page = html(&ErrorTemplate {
        layout: AdminLayout::new(state, locale, t.t(title_key)),
        body: t.t(body_key).to_owned(),
        messages,
    });
    let mut page = page.unwrap_or_else(|e| {
        tracing::error!(error = %e, "could not render staff error page");
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    });
    *page.status_mut() = status;
    page
}
