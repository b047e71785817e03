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
use super::model::{CaseKind, CaseReference};
use super::protection::{same_origin, TokenError};
use super::store;
use crate::web::error::AppError;
use crate::web::pages::{html, layout, layout_with_services, Layout};
use crate::web::server::ClientIp;
use crate::web::{AppState, MAX_BODY_BYTES};

pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for kind in CaseKind::ALL {
        router = router
            .route(
                kind.path(),
                get(move |state, query| show(state, query, kind))
                    .post(move |state, ip, headers, body| submit(state, ip, headers, body, kind)),
            )
            .route(
                &format!("{}/kvitto/{{reference}}", kind.path()),
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
}

#[derive(Template)]
#[template(path = "cases/receipt.html")]
struct ReceiptTemplate {
    layout: Layout,
    reference: String,
    next: String,
    answer_time: String,
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

async fn show(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    kind: CaseKind,
) -> Result<Response, AppError> {
    let mut values = Submitted::default();
    if kind == CaseKind::Accessibility {
        // The page a visitor came from arrives in the link itself, never from
        // the Referer header (which this site turns off).
        if let Some(q) = query {
            if let Some((_, page)) =
                url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "sida")
            {
                let page: String = page.chars().filter(|c| !c.is_control()).take(500).collect();
                values = Submitted::from_pairs([("sida", page.as_str())]);
            }
        }
    }
    render_form(&state, kind, &values, &[], None, StatusCode::OK).await
}

async fn render_form(
    state: &AppState,
    kind: CaseKind,
    values: &Submitted,
    errors: &[FieldError],
    refusal: Option<Refusal>,
    status: StatusCode,
) -> Result<Response, AppError> {
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
                    let limit = t.t_args("form-max-chars", &[("max", spec.max.into())]);
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
            text: t.t(r.message_key()).to_owned(),
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
    let mut response = html(&FormTemplate {
        intro: t.t(&key(kind, "intro")).to_owned(),
        action: kind.path(),
        token: state.form_tokens.issue(kind, state.clock.now()),
        fields,
        errors: links,
        layout,
    })?;
    *response.status_mut() = status;
    Ok(response)
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
        None => t.t_args(general_key(e.problem), &[("max", max.into())]),
    }
}

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
        async move { render_form(&state, kind, &values, &[], Some(refusal), refusal.status()).await }
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
            return render_form(
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
    match state.writer.submit(kind, case, now).await {
        Ok(reference) => {
            state.mail_wake.notify_one();
            let location = format!("{}/kvitto/{reference}", kind.path());
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

async fn receipt(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    kind: CaseKind,
) -> Result<Response, AppError> {
    let parsed = CaseReference::parse(&reference)
        .filter(|r| r.kind == kind)
        .ok_or(AppError::NotFound)?;
    if !store::exists(&state.db, &parsed.to_string()).await? {
        return Err(AppError::NotFound);
    }
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
        back_href: "/",
        layout,
    })
}

/// The visitor's address for the rate limit. Behind a reverse proxy every
/// connection comes from the proxy, so when the peer is a trusted proxy the
/// right-most `X-Forwarded-For` entry that is not one is used instead.
fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|part| part.trim().parse::<IpAddr>().ok())
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_address_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "198.51.100.7, 203.0.113.9, 10.0.0.1".parse().unwrap(),
        );
        assert_eq!(
            client_address(proxy, &h, &[proxy]),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        // Anyone else's header is ignored.
        let other: IpAddr = "192.0.2.5".parse().unwrap();
        assert_eq!(client_address(other, &h, &[proxy]), other);
        assert_eq!(client_address(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }
}
