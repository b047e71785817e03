//! The public forms: show, check, store, acknowledge. A receipt (303 to
//! the receipt page) is sent only after the case is durably committed.

use std::net::{IpAddr, Ipv4Addr};

use askama::Template;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};

use super::forms::{self, FieldError, FieldKind, Problem, Submitted, HONEYPOT_FIELD, TOKEN_FIELD};
use super::model::{AckRule, CaseKind, CaseReference};
use super::protection::{same_origin, TokenError};
use super::store;
use crate::web::cache::Freshness;
use crate::web::client_ip::{client_address, ClientIp};
use crate::web::compress::Encoding;
use crate::web::error::AppError;
use crate::web::pages::{html, html_string, layout, layout_with_services, Layout};
use crate::web::{AppState, MAX_BODY_BYTES};

pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for kind in CaseKind::ALL {
        router = router
            .route(
                kind.path(),
                get(move |state, query, encoding| show(state, query, encoding, kind))
                    .post(move |state, ip, headers, body| submit(state, ip, headers, body, kind)),
            )
            .route(
                &format!("{}/kvitto/{{reference}}/{{code}}", kind.path()),
                get(move |state, reference| receipt(state, reference, kind)),
            );
    }
    router
}

pub struct OptionView {
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

pub struct FieldView {
    pub name: &'static str,
    pub kind: &'static str,
    pub label: String,
    pub hint: Option<String>,
    pub value: String,
    pub error: Option<String>,
    pub options: Vec<OptionView>,
    pub autocomplete: Option<&'static str>,
    pub optional: bool,
    pub rows: usize,
    pub max: usize,
    pub described_by: String,
}

pub struct ErrorLink {
    pub href: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "cases/form.html")]
struct FormTemplate {
    layout: Layout,
    intro: String,
    action: &'static str,
    token: String,
    fields: Vec<FieldView>,
    errors: Vec<ErrorLink>,
    /// The contact form points people who need support to the help page.
    help_link: bool,
}

#[derive(Template)]
#[template(path = "cases/receipt.html")]
struct ReceiptTemplate {
    layout: Layout,
    reference: String,
    next: String,
    answer_time: String,
    /// Said when the acknowledgement e-mail was held back by a limit.
    ack_limited: Option<String>,
    back_href: &'static str,
}

fn key(kind: CaseKind, rest: &str) -> String {
    format!("form-{}-{rest}", kind.prefix().to_lowercase())
}

/// A general message for a problem, when the field has no message of its own.
pub fn general_key(problem: Problem) -> &'static str {
    match problem {
        Problem::Missing => "form-error-missing",
        Problem::TooLong => "form-error-too-long",
        Problem::InvalidEmail => "form-error-invalid-email",
        Problem::InvalidPhone => "form-error-invalid-phone",
        Problem::UnknownChoice => "form-error-unknown-choice",
        Problem::NeedContact => "form-error-need-contact",
        Problem::ControlCharacters => "form-error-control-characters",
        Problem::InvisibleCharacters => "form-error-invisible-characters",
    }
}

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
    encoding: Encoding,
    kind: CaseKind,
) -> Result<Response, AppError> {
    let prefill = prefill(kind, query.as_deref());
    // The token changes each minute and is the same for everyone, so each
    // variant of the page is rendered once a minute and served from memory.
    let key = match prefill {
        Some((field, value)) => format!("{}?{field}={value}", kind.path()),
        None => kind.path().to_owned(),
    };
    let render_page = async {
        let values = Submitted::from_pairs(prefill);
        render_form(&state, kind, &values, &[], None, StatusCode::OK).await
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

async fn respond_form(
    state: &AppState,
    kind: CaseKind,
    values: &Submitted,
    errors: &[FieldError],
    refusal: Option<Refusal>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (status, body) = render_form(state, kind, values, errors, refusal, status).await?;
    let mut response = html_string(body);
    *response.status_mut() = status;
    Ok(response)
}

async fn render_form(
    state: &AppState,
    kind: CaseKind,
    values: &Submitted,
    errors: &[FieldError],
    refusal: Option<Refusal>,
    status: StatusCode,
) -> Result<(StatusCode, String), AppError> {
    let t = &state.i18n.sv;
    let title = t.t(&key(kind, "title")).to_owned();
    let field_error = |name: &str| errors.iter().find(|e| e.field == name);
    let fields: Vec<FieldView> = forms::fields(kind)
        .iter()
        .map(|spec| {
            let label = t.t(&key(kind, &format!("{}-label", spec.name))).to_owned();
            let hint = t
                .get(&key(kind, &format!("{}-hint", spec.name)))
                .map(str::to_owned);
            let hint = match (spec.kind, hint) {
                (FieldKind::Text | FieldKind::TextArea, hint) if spec.max >= 200 => {
                    let limit = t.t_args(
                        "form-max-chars",
                        &[("max", crate::web::format::count(spec.max).into())],
                    );
                    Some(match hint {
                        Some(h) => format!("{h} {limit}"),
                        None => limit,
                    })
                }
                (_, hint) => hint,
            };
            let error = field_error(spec.name).map(|e| error_text(state, kind, e, spec.max));
            let mut described_by = vec![];
            if hint.is_some() {
                described_by.push(format!("{}-hint", spec.name));
            }
            if error.is_some() {
                described_by.push(format!("{}-error", spec.name));
            }
            let value = values.get(spec.name).to_owned();
            FieldView {
                name: spec.name,
                kind: match spec.kind {
                    FieldKind::Text => "text",
                    FieldKind::TextArea => "textarea",
                    FieldKind::Email => "email",
                    FieldKind::Tel => "tel",
                    FieldKind::Radio(_) => "radio",
                },
                options: match spec.kind {
                    FieldKind::Radio(options) => options
                        .iter()
                        .map(|o| OptionView {
                            value: o,
                            label: t
                                .t(&key(kind, &format!("{}-option-{o}", spec.name)))
                                .to_owned(),
                            checked: value == *o,
                        })
                        .collect(),
                    _ => vec![],
                },
                label,
                hint,
                error,
                value,
                autocomplete: spec.autocomplete,
                optional: spec.optional,
                rows: if spec.max > 1000 { 8 } else { 5 },
                max: spec.max,
                described_by: described_by.join(" "),
            }
        })
        .collect();
    let mut links: Vec<ErrorLink> = vec![];
    if let Some(r) = refusal {
        links.push(ErrorLink {
            href: format!("#{}", fields.first().map_or("main", |f| f.name)),
            text: t.t_args(
                r.message_key(),
                &[("phone", state.config.municipality.phone.clone().into())],
            ),
        });
    }
    for f in &fields {
        if let Some(text) = &f.error {
            // Radios: the link goes to the first option.
            let target = if f.kind == "radio" {
                format!("#{}-{}", f.name, f.options.first().map_or("", |o| o.value))
            } else {
                format!("#{}", f.name)
            };
            links.push(ErrorLink {
                href: target,
                text: text.clone(),
            });
        }
    }
    let page_title = if links.is_empty() {
        title.clone()
    } else {
        t.t_attr(
            "form-error-title-prefix",
            &[("title", title.clone().into())],
        )
    };
    // The form must come back with what was written even when the database
    // (which the help box reads) is what failed.
    let mut layout = match layout(state, kind.path(), &page_title, &title, None).await {
        Ok(layout) => layout,
        Err(e) => {
            tracing::warn!(error = %e, "help box unavailable; form shown without it");
            layout_with_services(state, kind.path(), &page_title, &title, None, &[])
        }
    };
    layout.heading = Some(title);
    let body = FormTemplate {
        intro: t.t(&key(kind, "intro")).to_owned(),
        action: kind.path(),
        token: state.form_tokens.issue(kind, state.clock.now()),
        fields,
        errors: links,
        help_link: kind == CaseKind::Contact,
        layout,
    }
    .render()?;
    Ok((status, body))
}

/// The field's own message for the problem, else (for a choice that is
/// not one of the options) its "missing" message, else a general one.
fn error_text(state: &AppState, kind: CaseKind, e: &FieldError, max: usize) -> String {
    let t = &state.i18n.sv;
    let own = t.get(&e.message_key(kind)).or_else(|| {
        (e.problem == Problem::UnknownChoice)
            .then(|| {
                FieldError {
                    field: e.field,
                    problem: Problem::Missing,
                }
                .message_key(kind)
            })
            .and_then(|k| t.get(&k))
    });
    match own {
        Some(text) => text.to_owned(),
        None => t.t_args(
            general_key(e.problem),
            &[("max", crate::web::format::count(max).into())],
        ),
    }
}

/// Acknowledgement e-mails to one address per day; more would let the
/// forms be used to flood someone's mailbox.
const ACKS_PER_RECIPIENT_PER_DAY: u32 = 3;

/// A body that has not arrived within this time is abandoned: the header
/// timeout alone would let a client hold a connection by trickling it.
const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

async fn submit(
    State(state): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    body: Body,
    kind: CaseKind,
) -> Result<Response, AppError> {
    let peer = ip.map_or(
        IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        |Extension(ClientIp(ip))| ip,
    );
    let client = client_address(peer, &headers, &state.config.trusted_proxies);
    let body: Bytes = match tokio::time::timeout(BODY_TIMEOUT, to_bytes(body, MAX_BODY_BYTES)).await
    {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => return Err(AppError::PayloadTooLarge),
        Err(_) => return Err(AppError::BodyTimeout),
    };
    let now = state.clock.now();
    let refuse = |values: Submitted, refusal: Refusal| {
        let state = state.clone();
        async move { respond_form(&state, kind, &values, &[], Some(refusal), refusal.status()).await }
    };

    if !same_origin(&headers, &state.base_origin) {
        return refuse(Submitted::default(), Refusal::CrossSite).await;
    }
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if form_type.as_deref() != Some("application/x-www-form-urlencoded") {
        return refuse(Submitted::default(), Refusal::ContentType).await;
    }
    let Ok(values) = Submitted::parse(&body) else {
        return refuse(Submitted::default(), Refusal::Unreadable).await;
    };
    if !values.get(HONEYPOT_FIELD).is_empty() {
        return refuse(Submitted::default(), Refusal::Honeypot).await;
    }
    if let Err(e) = state.form_tokens.verify(kind, values.get(TOKEN_FIELD), now) {
        // Keep what was written: the new page carries a fresh token.
        return refuse(values, Refusal::Token(e)).await;
    }
    let case = match forms::validate(kind, &values) {
        Ok(case) => case,
        Err(errors) => {
            return respond_form(
                &state,
                kind,
                &values,
                &errors,
                None,
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    // Counted only once a submission would be stored, so a visitor
    // correcting mistakes does not use up the quota.
    if !state.rate_limiter.allow(client, now) {
        return refuse(values, Refusal::RateLimited).await;
    }
    let ack = match &case.email {
        Some(email) if state.config.form_rate_limit > 0 => AckRule {
            client_allowed: state.ack_limiter.allow(client, now),
            recipient_key: Some(
                state
                    .form_tokens
                    .fingerprint("ack-recipient", &email.as_str().to_lowercase()),
            ),
            per_recipient_per_day: Some(ACKS_PER_RECIPIENT_PER_DAY),
        },
        Some(email) => AckRule {
            client_allowed: true,
            recipient_key: Some(
                state
                    .form_tokens
                    .fingerprint("ack-recipient", &email.as_str().to_lowercase()),
            ),
            per_recipient_per_day: None,
        },
        None => AckRule::default(),
    };
    match state.writer.submit(kind, case, ack, now).await {
        Ok(reference) => {
            state.mail_wake.notify_one();
            let code = state.form_tokens.receipt_code(&reference.to_string());
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
            refuse(values, Refusal::Unavailable).await
        }
    }
}

/// The receipt, for the person who sent the case only: its URL carries a
/// code signed with the site's key, and any other URL (a guessed reference,
/// a wrong code, a missing case) gets the same 404.
async fn receipt(
    State(state): State<AppState>,
    Path((reference, code)): Path<(String, String)>,
    kind: CaseKind,
) -> Result<Response, AppError> {
    let parsed = CaseReference::parse(&reference)
        .filter(|r| r.kind == kind && r.to_string() == reference)
        .filter(|_| state.form_tokens.receipt_code_matches(&reference, &code))
        .ok_or(AppError::NotFound)?;
    let Some(ack_mail) = store::ack_mail(&state.db, &parsed.to_string()).await? else {
        return Err(AppError::NotFound);
    };
    let t = &state.i18n.sv;
    let answer_time = match kind {
        CaseKind::Accessibility | CaseKind::AltFormat => {
            crate::content::store::statement(&state.db)
                .await?
                .map(|(s, _)| s.answer_time)
                .unwrap_or_default()
        }
        CaseKind::Contact => t.t("form-ko-answer-time").to_owned(),
    };
    let title = t.t("form-receipt-title").to_owned();
    let layout = layout(&state, "", &title, &title, None).await?;
    html(&ReceiptTemplate {
        reference: parsed.to_string(),
        next: t.t(&key(kind, "next")).to_owned(),
        answer_time,
        ack_limited: (ack_mail == "limited").then(|| {
            t.t_args(
                "form-receipt-ack-limited",
                &[("phone", state.config.municipality.phone.clone().into())],
            )
        }),
        back_href: "/",
        layout,
    })
}
