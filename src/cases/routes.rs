//! The public forms: show, check, store, acknowledge. A receipt (303 to
//! the receipt page) is sent only after the case is durably committed.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};

use super::forms::{self, Submitted, HONEYPOT_FIELD, TOKEN_FIELD};
use super::model::{AckRule, CaseKind, CaseReference};
use super::notify::Notifier;
use super::{service, store, view};
use crate::web::cache::Freshness;
use crate::web::client_ip::{client_address, ClientIp};
use crate::web::compress::Encoding;
use crate::web::csrf::{same_origin, TokenError};
use crate::web::error::AppError;
use crate::web::i18n::Locale;
use crate::web::middleware::{is_form_post, read_body};
use crate::web::render::html_string;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    let mut router = Router::new();
    for kind in CaseKind::ALL {
        router = router
            .route(
                kind.path(),
                get(move |state, query, locale, encoding| {
                    show(state, query, locale, encoding, kind)
                })
                .post(move |state, ip, locale, headers, body| {
                    submit(state, ip, locale, headers, body, kind)
                }),
            )
            .route(
                &format!("{}/kvitto/{{reference}}/{{code}}", kind.path()),
                get(move |state, locale, reference| receipt(state, locale, reference, kind)),
            );
    }
    router
}

/// What signs a receipt's address.
const RECEIPT: &str = "receipt";

/// Acknowledgement e-mails to one address per day; more would let the
/// forms be used to flood someone's mailbox.
const ACKS_PER_RECIPIENT_PER_DAY: u32 = 3;

/// Why a whole submission was refused (as opposed to a field).
#[derive(Debug, Clone, Copy)]
enum Refusal {
    CrossSite,
    ContentType,
    Unreadable,
    Honeypot,
    Token(TokenError),
    RateLimited,
    Unavailable,
}

impl Refusal {
    fn status(self) -> StatusCode {
        match self {
            Refusal::CrossSite => StatusCode::FORBIDDEN,
            Refusal::ContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Refusal::Unreadable | Refusal::Honeypot | Refusal::Token(_) => StatusCode::BAD_REQUEST,
            Refusal::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Refusal::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn message_key(self) -> &'static str {
        match self {
            Refusal::CrossSite => "form-refused-cross-site",
            Refusal::ContentType | Refusal::Unreadable | Refusal::Honeypot => {
                "form-refused-unreadable"
            }
            Refusal::Token(TokenError::Expired) => "form-refused-expired",
            Refusal::Token(TokenError::Invalid) => "form-refused-token",
            Refusal::RateLimited => "form-refused-rate-limited",
            Refusal::Unavailable => "form-refused-unavailable",
        }
    }
}

/// The public pages a report can be about: what the footer's report link
/// fills in. Any other `?sida=` value is ignored, so the form page is always
/// one of a few cached variants and a stream of made-up values cannot make
/// the server render a page per request.
const REPORTABLE_PAGES: &[&str] = &[
    "/",
    "/hjalp",
    "/orolig-for-nagon",
    "/inte-ensam",
    "/en-manad-fri-fran-vald",
    "/dolj-ditt-besok",
    "/tillganglighet",
    "/personuppgifter",
    "/kontakt",
    "/tillganglighet/alternativt-format",
    "/tillganglighet/rapportera",
];

/// The one prefilled value a form page link may carry, if it is one we know.
fn prefill(kind: CaseKind, query: Option<&str>) -> Option<(&'static str, &'static str)> {
    let (field, allowed): (&'static str, &[&'static str]) = match kind {
        // The page a visitor came from arrives in the link itself, never from
        // the Referer header (which this site turns off).
        CaseKind::Accessibility => ("sida", REPORTABLE_PAGES),
        CaseKind::Contact => ("amne", forms::TOPICS),
        CaseKind::AltFormat => return None,
    };
    let (_, value) = url::form_urlencoded::parse(query?.as_bytes()).find(|(k, _)| k == field)?;
    let known = allowed.iter().find(|a| **a == value)?;
    Some((field, known))
}

async fn show(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    locale: Locale,
    encoding: Encoding,
    kind: CaseKind,
) -> Result<Response, AppError> {
    let prefill = prefill(kind, query.as_deref());
    // The token changes each minute and is the same for everyone, so each
    // variant of the page is rendered once a minute and served from memory.
    let key = match prefill {
        Some((field, value)) => format!("{}:{}?{field}={value}", locale.0.code(), kind.path()),
        None => format!("{}:{}", locale.0.code(), kind.path()),
    };
    let render_page = async {
        let values = Submitted::from_pairs(prefill);
        let body = view::form_page(&state, locale, kind, &values, &[], None)?;
        Ok((StatusCode::OK, body))
    };
    state
        .pages
        .serve(
            &*state.clock,
            encoding,
            &key,
            Freshness::Minute,
            render_page,
        )
        .await
}

async fn submit(
    State(state): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    locale: Locale,
    headers: HeaderMap,
    body: Body,
    kind: CaseKind,
) -> Result<Response, AppError> {
    let peer = ip.map_or(
        IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        |Extension(ClientIp(ip))| ip,
    );
    let client = client_address(peer, &headers, &state.config.server.trusted_proxies);
    let body: Bytes = read_body(body).await?;
    let now = state.clock.now();
    let answer = |values: &Submitted, errors: &[forms::FieldError], refusal: Option<Refusal>| {
        let t = state.i18n.catalogue(locale.0);
        let text = refusal.map(|r| {
            t.t_args(
                r.message_key(),
                &[("phone", state.config.municipality.phone.display().into())],
            )
        });
        let status = refusal.map_or(StatusCode::BAD_REQUEST, Refusal::status);
        let body = view::form_page(&state, locale, kind, values, errors, text)?;
        let mut response = html_string(body);
        *response.status_mut() = status;
        Ok::<_, AppError>(response)
    };
    let refuse = |values: &Submitted, refusal| answer(values, &[], Some(refusal));

    if !same_origin(&headers, &state.base_origin) {
        return refuse(&Submitted::default(), Refusal::CrossSite);
    }
    if !is_form_post(&headers) {
        return refuse(&Submitted::default(), Refusal::ContentType);
    }
    let Ok(values) = Submitted::parse(&body) else {
        return refuse(&Submitted::default(), Refusal::Unreadable);
    };
    if !values.get(HONEYPOT_FIELD).is_empty() {
        return refuse(&Submitted::default(), Refusal::Honeypot);
    }
    if let Err(e) = state
        .form_tokens
        .verify(kind.prefix(), values.get(TOKEN_FIELD), now)
    {
        // Keep what was written: the new page carries a fresh token.
        return refuse(&values, Refusal::Token(e));
    }
    let case = match forms::validate(kind, &values) {
        Ok(case) => case,
        Err(errors) => return answer(&values, &errors, None),
    };
    // Counted only once a submission would be stored, so a visitor
    // correcting mistakes does not use up the quota.
    if !state.rate_limiter.allow(client, now) {
        return refuse(&values, Refusal::RateLimited);
    }
    let limits_on = state.config.security.form_rate_limit > 0;
    let ack = match &case.email {
        Some(email) => AckRule {
            client_allowed: !limits_on || state.ack_limiter.allow(client, now),
            recipient_key: Some(
                state
                    .form_tokens
                    .fingerprint("ack-recipient", &email.as_str().to_lowercase()),
            ),
            per_recipient_per_day: limits_on.then_some(ACKS_PER_RECIPIENT_PER_DAY),
        },
        None => AckRule::default(),
    };
    let notifier = Arc::new(notifier(&state));
    match service::submit_case(
        &state.writer,
        &state.data_keys,
        &notifier,
        kind,
        case,
        ack,
        now,
    )
    .await
    {
        Ok(reference) => {
            state.mail_wake.notify_one();
            let reference = reference.to_string();
            let code = state.form_tokens.code(RECEIPT, &reference);
            let location = format!("{}/kvitto/{reference}/{code}", kind.path());
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(
                header::LOCATION,
                HeaderValue::from_str(&location).expect("ASCII path"),
            );
            Ok(response)
        }
        Err(e) => {
            tracing::error!(error = %e, "could not store a case");
            refuse(&values, Refusal::Unavailable)
        }
    }
}

/// The receipt, for the person who sent the case only: its address carries
/// a code signed with the site's key, and any other address (a guessed
/// reference, a wrong code, a missing case) gets the same 404.
async fn receipt(
    State(state): State<AppState>,
    locale: Locale,
    Path((reference, code)): Path<(String, String)>,
    kind: CaseKind,
) -> Result<Response, AppError> {
    let parsed = CaseReference::parse(&reference)
        .filter(|r| r.kind == kind && r.to_string() == reference)
        .filter(|_| state.form_tokens.code_matches(RECEIPT, &reference, &code))
        .ok_or(AppError::NotFound)?;
    let Some(ack_mail) = store::ack_mail(&state.db, &parsed.to_string()).await? else {
        return Err(AppError::NotFound);
    };
    // The answer time the case-type settings give, as the accessibility
    // statement states it too.
    let days = store::answer_days(&state.db, kind)
        .await
        .map_err(crate::db::DbError::from)?;
    let answer_time = state
        .i18n
        .catalogue(locale.0)
        .t_attr("answer-time", &[("days", days.into())]);
    let body = view::receipt_page(
        &state,
        locale,
        kind,
        &parsed.to_string(),
        answer_time,
        ack_mail == "limited",
    )?;
    Ok(html_string(body))
}

/// Who writes the e-mail of cases, with this site's settings.
pub(super) fn notifier(state: &AppState) -> Notifier {
    Notifier::new(
        state.i18n.clone(),
        &state.config.mail,
        state
            .config
            .server
            .base_url
            .host_str()
            .unwrap_or("localhost"),
    )
}
