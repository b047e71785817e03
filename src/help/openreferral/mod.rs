//! The help directory as Open Referral (HSDS 3.0) open data under
//! `/openreferral/`, so national portals and other municipalities can reuse
//! it without scraping `/hjalp`.
//!
//! Exactly what `/hjalp` shows is published, decided by the model's
//! `is_public`/`public_*` methods: an unconfirmed service, number or opening
//! hours never leaves through this door either, because a wrong number here
//! would be copied into other directories where we cannot correct it.
//!
//! This is a surface of its own: its errors are JSON, chosen by this
//! router (unknown paths, wrong methods, oversized bodies), never a page.

mod hsds;

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use uuid::Uuid;

use super::model::{Organization, Service};
use crate::web::cache::Freshness;
use crate::web::compress::Encoding;
use crate::web::error::ApiError;
use crate::web::i18n::Lang;
use crate::web::middleware::refuse_oversized;
use crate::web::paging::{single_param, Paging};
use crate::web::AppState;
use hsds::{Directory, Meta, Shape};

const HSDS_VERSION: &str = "3.0";
const OPENAPI_URL: &str =
    "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json";
const DEFAULT_PER_PAGE: u32 = 50;
/// The whole directory is a few dozen rows; the cap only stops a client
/// from asking the server to build absurd pages.
const MAX_PER_PAGE: u32 = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openreferral", get(meta))
        .route("/openreferral/", get(meta))
        .route("/openreferral/services", get(list_services))
        .route("/openreferral/services/{id}", get(service))
        .route("/openreferral/organizations", get(list_organizations))
        .route("/openreferral/organizations/{id}", get(organization))
        // Without this the site's fallback would answer with a web page
        // instead of the JSON error clients of this API expect.
        .route("/openreferral/{*rest}", get(unknown_path))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(api_frame))
}

/// The API's own frame: JSON for a body over the limit, and open data may
/// be read from any site.
async fn api_frame(request: Request, next: Next) -> Response {
    if refuse_oversized(&request).is_some() {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            Json(serde_json::json!({ "error": "request body too large" })),
        )
            .into_response();
    }
    allow_any_origin(next.run(request).await)
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

// ---------------------------------------------------------------------------
// Handlers
// ---------------------------------------------------------------------------

async fn meta(State(state): State<AppState>) -> Json<Meta> {
    let base = state.config.server.base_url.as_str().trim_end_matches('/');
    Json(Meta {
        version: HSDS_VERSION,
        profile: format!("{base}/openreferral/"),
        openapi_url: OPENAPI_URL,
    })
}

/// The directory as the API publishes it, read once per content version
/// (and hour, for the UTC offset) and shared by every request, so a client
/// asking for made-up ids or pages costs no database round trip.
struct Records {
    organizations: Vec<Organization>,
    services: Vec<Service>,
}

async fn records(state: &AppState, lang: Lang) -> Result<Arc<Records>, ApiError> {
    let key = match lang {
        Lang::Sv => "openreferral",
        Lang::Fi => "openreferral:fi",
        Lang::En => "openreferral:en",
        Lang::Ar => "openreferral:ar",
        Lang::Fa => "openreferral:fa",
        Lang::So => "openreferral:so",
        Lang::Lattlast => "openreferral:lattlast",
    };
    state
        .pages
        .snapshot(&*state.clock, key, Freshness::Hour, async {
            let (services, organizations, _) =
                crate::help::service::directory_in(&state.db, lang).await?;
            Ok::<_, ApiError>(Records {
                organizations,
                services,
            })
        })
        .await
}

/// The language asked for with `?lang=`: HSDS 3.0 has no field for a text
/// in another language, so the same schema is published once per
/// language, with the service's and organisation's words translated where
/// they are (Swedish otherwise) and `Content-Language` saying which.
fn requested_lang(query: Option<&str>) -> Result<Lang, ApiError> {
    match single_param(query, "lang").map_err(ApiError::bad)? {
        None => Ok(Lang::Sv),
        Some(code) => Lang::from_code(&code).ok_or_else(|| {
            let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
            ApiError::bad(format!("lang must be one of {}", codes.join(", ")))
        }),
    }
}

fn with_language(mut response: Response, lang: Lang) -> Response {
    response.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.html_lang()),
    );
    response
}

const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// The directory as HSDS sees it, at this moment (the UTC offset).
fn directory<'a>(state: &'a AppState, records: &'a Records, lang: Lang) -> Directory<'a> {
    Directory::new(
        &records.organizations,
        &records.services,
        state.i18n.catalogue(lang),
        state.clock.now(),
    )
}

/// A response the same for every client (no query string, or a record's
/// own address): serialised once and served from memory with its
/// compressed variants, like the pages.
async fn cached<T: Serialize>(
    state: &AppState,
    encoding: Encoding,
    key: String,
    body: impl FnOnce() -> T,
) -> Result<Response, ApiError> {
    let render = async {
        let text = serde_json::to_string(&body()).map_err(|e| {
            tracing::error!(error = %e, "open referral response did not serialise");
            ApiError::Internal
        })?;
        Ok::<_, ApiError>((StatusCode::OK, text))
    };
    state
        .pages
        .serve_typed(&*state.clock, encoding, &key, Freshness::Hour, JSON, render)
        .await
}

async fn list_services(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    encoding: Encoding,
) -> Result<Response, ApiError> {
    let query = query.as_deref().filter(|q| !q.is_empty());
    let paging =
        Paging::from_query(query, DEFAULT_PER_PAGE, MAX_PER_PAGE).map_err(ApiError::bad)?;
    let organization = match single_param(query, "organization_id").map_err(ApiError::bad)? {
        Some(text) => {
            Some(parse_id(&text).ok_or_else(|| ApiError::bad("organization_id must be a UUID"))?)
        }
        None => None,
    };
    let lang = requested_lang(query)?;
    let records = records(&state, lang).await?;
    let directory = directory(&state, &records, lang);
    let page = || {
        let services: Vec<&Service> = directory
            .public_services()
            .filter(|s| organization.is_none_or(|o| same_id(&s.organization_id, o)))
            .collect();
        paging.page(services, |s| directory.service(s, Shape::ListItem))
    };
    let response = match query {
        None => cached(&state, encoding, "api:/openreferral/services".into(), page).await?,
        Some(_) => Json(page()).into_response(),
    };
    Ok(with_language(response, lang))
}

async fn service(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    encoding: Encoding,
) -> Result<Response, ApiError> {
    let id = requested_id(id)?;
    let lang = requested_lang(query.as_deref())?;
    let records = records(&state, lang).await?;
    let directory = directory(&state, &records, lang);
    let service = directory
        .public_services()
        .find(|s| same_id(&s.id, id))
        .ok_or(ApiError::NotFound)?;
    let key = format!("api:{}:/openreferral/services/{id}", lang.code());
    let response = cached(&state, encoding, key, || {
        directory.service(service, Shape::Full)
    })
    .await?;
    Ok(with_language(response, lang))
}

async fn list_organizations(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    encoding: Encoding,
) -> Result<Response, ApiError> {
    let query = query.as_deref().filter(|q| !q.is_empty());
    let paging =
        Paging::from_query(query, DEFAULT_PER_PAGE, MAX_PER_PAGE).map_err(ApiError::bad)?;
    let lang = requested_lang(query)?;
    let records = records(&state, lang).await?;
    let directory = directory(&state, &records, lang);
    let page = || {
        let organizations: Vec<&Organization> = directory.organizations.iter().collect();
        paging.page(organizations, |o| directory.organization(o, false))
    };
    let response = match query {
        None => {
            cached(
                &state,
                encoding,
                "api:/openreferral/organizations".into(),
                page,
            )
            .await?
        }
        Some(_) => Json(page()).into_response(),
    };
    Ok(with_language(response, lang))
}

async fn organization(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(query): RawQuery,
    encoding: Encoding,
) -> Result<Response, ApiError> {
    let id = requested_id(id)?;
    let lang = requested_lang(query.as_deref())?;
    let records = records(&state, lang).await?;
    let directory = directory(&state, &records, lang);
    let organization = directory
        .organizations
        .iter()
        .find(|o| same_id(&o.id, id))
        .ok_or(ApiError::NotFound)?;
    let key = format!("api:{}:/openreferral/organizations/{id}", lang.code());
    let response = cached(&state, encoding, key, || {
        directory.organization(organization, true)
    })
    .await?;
    Ok(with_language(response, lang))
}

async fn unknown_path() -> ApiError {
    ApiError::NotFound
}

/// Open data carries no credentials, so any site may read it from a browser.
fn allow_any_origin(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    // Open data may be embedded by other sites; the site-wide same-origin
    // default would block no-cors use.
    h.insert(
        header::HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
    response
}

/// Ids are opaque to clients: whatever is not the id of something we
/// publish, well-formed or not, is simply not found.
fn requested_id(id: Result<Path<String>, PathRejection>) -> Result<Uuid, ApiError> {
    id.ok()
        .and_then(|Path(text)| parse_id(&text))
        .ok_or(ApiError::NotFound)
}

fn parse_id(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text).ok()
}

/// Compares as UUIDs so any spelling a client uses (upper case, no hyphens)
/// finds the record.
fn same_id(stored: &str, wanted: Uuid) -> bool {
    Uuid::parse_str(stored).is_ok_and(|u| u == wanted)
}
