//! Registration on the public site: the form on the event page (`POST
//! /evenemang/{id}-{slug}`), and the personal page `/anmalan/{token}` with
//! its two actions, cancelling and sending the link again (both POSTs, so
//! a mail scanner that opens the link changes nothing). The public forms'
//! protections apply: origin rule, signed form token, honeypot, body
//! limit, rate limit; no cookie is ever set.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use askama::Template;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};

use super::form;
use super::mail::Mailer;
use super::model::{window, Registration, Seats, State as Standing, Window};
use super::service::{self, Cancelled, Context, Link, Outcome};
use super::store;
use super::view::{self, Section};
use crate::events::model::{Campaign, Event};
use crate::events::routes::{event_html, find_event, published};
use crate::events::view as event_view;
use crate::mail::seal;
use crate::web::cache::Freshness;
use crate::web::client_ip::{client_address, ClientIp};
use crate::web::csrf::{same_origin, TokenError};
use crate::web::error::AppError;
use crate::web::field_errors::FieldError;
use crate::web::form::Submitted;
use crate::web::i18n::Locale;
use crate::web::layout::{PageInfo, PublicLayout, TranslationState};
use crate::web::middleware::{is_form_post, read_body};
use crate::web::render::html_string;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/anmalan/{token}", get(personal))
        .route("/anmalan/{token}/avboka", post(cancel))
        .route("/anmalan/{token}/skicka", post(send_link))
}

/// What the event page's form token is issued for.
const FORM: &str = "anmalan";
/// What the personal page's form token is issued for.
const PERSONAL: &str = "anmalan-sida";
/// The seats snapshot's key.
const SEATS: &str = "events:seats";

/// Seats taken and waiting per event, read at most once a second per
/// instance (and again at once after this instance's own writes).
pub async fn seats(state: &AppState) -> Result<Arc<HashMap<i64, Seats>>, AppError> {
    state
        .pages
        .snapshot(&*state.clock, SEATS, Freshness::Moment, async {
            Ok::<_, AppError>(store::seats_all(&state.db).await?)
        })
        .await
}

/// The event page's registration section as it stands now (nothing typed),
/// and the variant of the page it makes.
pub async fn current_section(
    state: &AppState,
    event: &Event,
    campaign: &Campaign,
) -> Result<(Section, u64), AppError> {
    let now = state.clock.now();
    let stage = window(event, now);
    let counts = if stage == Window::Open {
        seats(state)
            .await?
            .get(&event.id)
            .copied()
            .unwrap_or_default()
    } else {
        Seats::default()
    };
    let mut section = view::section(
        event,
        campaign,
        counts,
        stage,
        state.form_tokens.issue(FORM, now),
        &Submitted::default(),
        vec![],
        None,
    );
    section.retention_days = state.config.security.event_retention_days;
    let variant = variant(&section);
    Ok((section, variant))
}

/// A small number standing for what the section shows that the content
/// version does not cover (the seats while registration is open), so a
/// page per state is cached; 0 when nothing changes without the content
/// version (or the minute) moving, so the page may go to the front door.
fn variant(s: &Section) -> u64 {
    use std::hash::{Hash, Hasher};
    if s.stage != "open" {
        return 0;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (s.stage, &s.seats, s.full).hash(&mut h);
    h.finish() | 1
}

fn refusal_text(state: &AppState, locale: Locale, key: &str) -> String {
    state.i18n.catalogue(locale.0).t_args(
        key,
        &[("phone", state.config.municipality.phone.display().into())],
    )
}

/// The registration use cases' shared parts, from the site's settings.
pub fn context(state: &AppState) -> Context {
    let from = &state.config.mail.from;
    let from_address = from
        .parse::<lettre::message::Mailbox>()
        .map(|m| m.email.to_string())
        .unwrap_or_else(|_| from.clone());
    Context {
        writer: state.writer.clone(),
        keys: state.data_keys.clone(),
        mailer: Arc::new(Mailer {
            base_url: state
                .config
                .server
                .base_url
                .as_str()
                .trim_end_matches('/')
                .to_owned(),
            from_address,
            host: state
                .config
                .server
                .base_url
                .host_str()
                .unwrap_or("localhost")
                .to_owned(),
            site_owner: state.config.municipality.name.clone(),
            retention_days: i64::from(state.config.security.event_retention_days),
        }),
    }
}

fn with_status(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

/// `POST /evenemang/{id}-{slug}`: a registration.
pub async fn register(
    State(state): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    locale: Locale,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let peer = ip.map_or(
        IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        |Extension(ClientIp(ip))| ip,
    );
    let client = client_address(peer, &headers, &state.config.server.trusted_proxies);
    let body: Bytes = read_body(body).await?;
    let now = state.clock.now();
    let published = published(&state).await?;
    let (event, campaign) = find_event(&published, &key).ok_or(AppError::NotFound)?;
    if key != event.path()["/evenemang/".len()..] {
        return Err(AppError::NotFound);
    }
    let stage = window(event, now);
    let counts = seats(&state)
        .await?
        .get(&event.id)
        .copied()
        .unwrap_or_default();
    let page = |input: &Submitted, errors: Vec<FieldError>, notice: Option<String>, status| {
        let mut section = view::section(
            event,
            campaign,
            counts,
            stage,
            state.form_tokens.issue(FORM, now),
            input,
            errors,
            notice,
        );
        section.retention_days = state.config.security.event_retention_days;
        let html = event_html(&state, locale, &published, event, campaign, section)?;
        Ok::<_, AppError>(with_status(html_string(html), status))
    };
    let refuse = |input: &Submitted, key: &str, status| {
        page(
            input,
            vec![],
            Some(refusal_text(&state, locale, key)),
            status,
        )
    };
    let none = Submitted::default();
    if !same_origin(&headers, &state.base_origin) {
        return refuse(&none, "form-refused-cross-site", StatusCode::FORBIDDEN);
    }
    if !is_form_post(&headers) {
        return refuse(
            &none,
            "form-refused-unreadable",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        );
    }
    let Ok(input) = Submitted::parse(&body) else {
        return refuse(&none, "form-refused-unreadable", StatusCode::BAD_REQUEST);
    };
    if !input.get(crate::web::form::HONEYPOT_FIELD).is_empty() {
        return refuse(&none, "form-refused-unreadable", StatusCode::BAD_REQUEST);
    }
    if let Err(e) = state.form_tokens.verify(FORM, input.get("token"), now) {
        let key = match e {
            TokenError::Expired => "form-refused-expired",
            TokenError::Invalid => "form-refused-token",
        };
        return refuse(&input, key, StatusCode::BAD_REQUEST);
    }
    if stage != Window::Open {
        return page(
            &input,
            vec![],
            Some(closed_text(stage)),
            StatusCode::CONFLICT,
        );
    }
    let kind = super::model::Kind::for_audience(event.audience);
    let new = match form::validate(kind, campaign, &input) {
        Ok(new) => new,
        Err(errors) => return page(&input, errors, None, StatusCode::BAD_REQUEST),
    };
    if !state.rate_limiter.allow(client, now) {
        return refuse(
            &input,
            "form-refused-rate-limited",
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    // Keyed per event: the database cannot tell that two events'
    // registrations are the same person's.
    let email_key = state.form_tokens.fingerprint(
        "anmalan-epost",
        &format!("{}|{}", event.id, new.email.as_str().to_lowercase()),
    );
    let tokens = state.form_tokens.clone();
    let link = Link::new(&move |nonce: &str| tokens.fingerprint(seal::PURPOSE, nonce));
    let outcome = service::register(
        &context(&state),
        event.id,
        new,
        email_key,
        link.clone(),
        now,
    )
    .await;
    state.pages.forget_snapshot(SEATS);
    match outcome {
        Ok(Outcome::Registered | Outcome::Waiting(_)) => {
            state.mail_wake.notify_one();
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(
                header::LOCATION,
                HeaderValue::from_str(&format!("/anmalan/{}", link.token)).expect("base64url"),
            );
            Ok(response)
        }
        Ok(Outcome::Again(standing, place)) => {
            state.mail_wake.notify_one();
            again_page(&state, locale, event, standing, place)
        }
        Ok(Outcome::DoesNotFit(free)) => {
            let text = match free {
                0 => "Det finns inga platser kvar. Kryssa i att klassen kan stå på väntelistan, så får ni platser i tur och ordning om någon avbokar.".to_owned(),
                1 => "Det finns bara 1 plats kvar. Minska antalet elever, eller kryssa i att klassen kan stå på väntelistan.".to_owned(),
                n => format!("Det finns bara {n} platser kvar. Minska antalet elever, eller kryssa i att klassen kan stå på väntelistan."),
            };
            page(
                &input,
                vec![FieldError::new(form::PUPILS, text)],
                None,
                StatusCode::CONFLICT,
            )
        }
        Ok(Outcome::Closed) => page(
            &input,
            vec![],
            Some(closed_text(Window::Closed)),
            StatusCode::CONFLICT,
        ),
        Err(e) => {
            tracing::error!(error = %e, "could not store a registration");
            refuse(
                &input,
                "form-refused-unavailable",
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
    }
}

fn closed_text(stage: Window) -> String {
    match stage {
        Window::NotYet(at) => format!(
            "Anmälan har inte öppnat än. Den öppnar {}.",
            view::moment(at)
        ),
        _ => "Anmälan är stängd, så det gick inte att anmäla sig.".to_owned(),
    }
}

/// The personal page, and the answer to a repeated registration.
#[derive(Template)]
#[template(path = "events/registration.html")]
struct PersonalTemplate {
    layout: PublicLayout,
    /// "Du är anmäld", "Du står på väntelistan (plats 3)", …
    standing: String,
    /// The panel's colour: a seat or waiting.
    confirmed: bool,
    event_title: String,
    event_href: String,
    when: String,
    where_: String,
    details: Vec<(&'static str, String)>,
    /// The page's own address to save, on the personal page only.
    link: Option<String>,
    /// The personal page's action addresses and token.
    actions: Option<(String, String)>,
    notice: Option<String>,
    /// On the answer to a repeated registration.
    again: bool,
}

fn event_facts(event: &Event) -> (String, String) {
    (
        format!(
            "{}, {}",
            event_view::day_heading(crate::events::model::stockholm_local(event.starts_at).date()),
            event_view::time_span(event.starts_at, event.ends_at)
        ),
        event.location(),
    )
}

fn again_page(
    state: &AppState,
    locale: Locale,
    event: &Event,
    standing: Standing,
    place: Option<i64>,
) -> Result<Response, AppError> {
    let heading = view::standing(standing, place);
    let (when, where_) = event_facts(event);
    let t = PersonalTemplate {
        layout: PublicLayout::new(
            state,
            locale,
            PageInfo {
                path: "",
                title: &heading,
                description: "",
                updated: None,
                translation: TranslationState::Source,
            },
        ),
        confirmed: standing.is_active(),
        standing: heading.clone(),
        event_title: event.title.clone(),
        event_href: event.path(),
        when,
        where_,
        details: vec![],
        link: None,
        actions: None,
        notice: None,
        again: true,
    };
    Ok(html_string(t.render()?))
}

/// The registration a token in an address finds, with its event.
async fn find(
    state: &AppState,
    token: &str,
) -> Result<(Registration, Arc<crate::events::view::Published>), AppError> {
    // A token is 43 base64url characters; anything else finds nothing
    // without a database query.
    if token.len() != 43
        || !token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(AppError::NotFound);
    }
    let hash = service::token_hash(token);
    let r = store::by_token(&state.db, &state.data_keys, &hash)
        .await?
        .ok_or(AppError::NotFound)?;
    let published = published(state).await?;
    Ok((r, published))
}

async fn personal_page(
    state: &AppState,
    locale: Locale,
    token: &str,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (r, published) = find(state, token).await?;
    let event = published
        .event(r.event_id)
        .map(|(e, c)| (e.clone(), Some(c.clone())));
    // An event taken off the site (a draft again) still has its
    // registrations: show them with what the database has.
    let (event, campaign) = match event {
        Some(found) => found,
        None => (
            crate::events::store::event(&state.db, r.event_id)
                .await?
                .ok_or(AppError::NotFound)?,
            None,
        ),
    };
    let place = match r.state {
        Standing::Waiting => Some(store::place_in_line(&state.db, r.event_id, r.queue).await?),
        _ => None,
    };
    let heading = view::standing(r.state, place);
    let (when, where_) = event_facts(&event);
    let now = state.clock.now();
    let active = r.state.is_active() && !event.is_past(now);
    let path = format!("/anmalan/{token}");
    let t = PersonalTemplate {
        layout: PublicLayout::new(
            state,
            locale,
            PageInfo {
                path: "",
                title: &format!("{heading}: {}", event.title),
                description: "",
                updated: None,
                translation: TranslationState::Source,
            },
        ),
        confirmed: r.state.is_active(),
        standing: heading.clone(),
        event_title: event.title.clone(),
        event_href: event.path(),
        when,
        where_,
        details: view::details(&r, campaign.as_ref()),
        link: Some(format!(
            "{}{path}",
            state.config.server.base_url.as_str().trim_end_matches('/')
        )),
        actions: active.then(|| (path.clone(), state.form_tokens.issue(PERSONAL, now))),
        notice,
        again: false,
    };
    Ok(with_status(html_string(t.render()?), status))
}

/// `GET /anmalan/{token}`: shows the registration; changes nothing.
async fn personal(
    State(state): State<AppState>,
    locale: Locale,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    personal_page(&state, locale, &token, None, StatusCode::OK).await
}

/// The checks every POST of the personal page passes first; the
/// refusal's message when one fails.
async fn checked(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    client: IpAddr,
) -> Result<Result<(), (&'static str, StatusCode)>, AppError> {
    let body = read_body(body).await?;
    let now = state.clock.now();
    if !same_origin(headers, &state.base_origin) {
        return Ok(Err(("form-refused-cross-site", StatusCode::FORBIDDEN)));
    }
    if !is_form_post(headers) {
        return Ok(Err((
            "form-refused-unreadable",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        )));
    }
    let Ok(input) = Submitted::parse(&body) else {
        return Ok(Err(("form-refused-unreadable", StatusCode::BAD_REQUEST)));
    };
    match state.form_tokens.verify(PERSONAL, input.get("token"), now) {
        Err(TokenError::Expired) => {
            return Ok(Err(("form-refused-expired", StatusCode::BAD_REQUEST)))
        }
        Err(TokenError::Invalid) => {
            return Ok(Err(("form-refused-token", StatusCode::BAD_REQUEST)))
        }
        Ok(()) => {}
    }
    if !state.rate_limiter.allow(client, now) {
        return Ok(Err((
            "form-refused-rate-limited",
            StatusCode::TOO_MANY_REQUESTS,
        )));
    }
    Ok(Ok(()))
}

fn client(state: &AppState, ip: Option<Extension<ClientIp>>, headers: &HeaderMap) -> IpAddr {
    let peer = ip.map_or(
        IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        |Extension(ClientIp(ip))| ip,
    );
    client_address(peer, headers, &state.config.server.trusted_proxies)
}

/// What a POST of the personal page did: the notice to show, or the
/// link finds nothing after all.
enum Done {
    Notice(&'static str),
    Unknown,
}

/// A POST of the personal page: the checks, then `act` (given the token's
/// hash), then the page with what happened. A failed write is a 503 with
/// the page, never a 500.
async fn personal_post<F, Fut>(
    state: AppState,
    ip: Option<Extension<ClientIp>>,
    locale: Locale,
    token: String,
    headers: HeaderMap,
    body: Body,
    act: F,
) -> Result<Response, AppError>
where
    F: FnOnce(Context, String) -> Fut,
    Fut: std::future::Future<Output = Result<Done, crate::db::writer::WriteError>>,
{
    find(&state, &token).await?;
    let client = client(&state, ip, &headers);
    if let Err((key, status)) = checked(&state, &headers, body, client).await? {
        let text = refusal_text(&state, locale, key);
        return personal_page(&state, locale, &token, Some(text), status).await;
    }
    let (notice, status) = match act(context(&state), service::token_hash(&token)).await {
        Ok(Done::Notice(text)) => (text.to_owned(), StatusCode::OK),
        Ok(Done::Unknown) => return Err(AppError::NotFound),
        Err(e) => {
            tracing::error!(error = %e, "could not change a registration");
            (
                refusal_text(&state, locale, "form-refused-unavailable"),
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
    };
    state.pages.forget_snapshot(SEATS);
    state.mail_wake.notify_one();
    personal_page(&state, locale, &token, Some(notice), status).await
}

/// `POST /anmalan/{token}/avboka`: cancels, frees the seats, moves people
/// up. A second time says it is cancelled already.
async fn cancel(
    State(state): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    locale: Locale,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    personal_post(
        state,
        ip,
        locale,
        token,
        headers,
        body,
        |ctx, hash| async move {
            Ok(match service::cancel(&ctx, hash, now).await? {
                Cancelled::Now(_) => Done::Notice(
                    "Din anmälan är avbokad. Vi har skickat en bekräftelse till din e-post.",
                ),
                Cancelled::Already => Done::Notice("Anmälan var redan avbokad."),
                Cancelled::Unknown => Done::Unknown,
            })
        },
    )
    .await
}

/// `POST /anmalan/{token}/skicka`: the link once more, to the address of
/// the registration (never to another), a few times a day at most.
async fn send_link(
    State(state): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    locale: Locale,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    personal_post(state, ip, locale, token, headers, body, |ctx, hash| async move {
        Ok(Done::Notice(if service::send_link(&ctx, hash, now).await? {
            "Vi har skickat länken till e-postadressen i anmälan."
        } else {
            "Länken har redan skickats flera gånger i dag. Försök igen i morgon, eller spara den här sidans adress."
        }))
    })
    .await
}
