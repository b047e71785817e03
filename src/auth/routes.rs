//! Signing in (password, then a code from the app or a recovery code; at
//! the first sign-in, enrolling the app) and signing out. No cookie is set
//! before the second factor succeeds: between the steps the sign-in is
//! carried by a signed, short-lived token in the form.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::model::{Account, Staff, Status};
use super::service::{self, Attempt, NewSession, SecondFactor};
use super::session::{self, ABSOLUTE};
use super::{password, store, totp, view};
use crate::audit::Action;
use crate::db::DbError;
use crate::web::client_ip::{client_address, ClientIp};
use crate::web::csrf::same_origin;
use crate::web::error::AppError;
use crate::web::i18n::Locale;
use crate::web::layout::AdminLayout;
pub(super) use crate::web::middleware::{field, read_form, read_pairs};
use crate::web::middleware::{is_form_post, read_body};
use crate::web::render::html;
use crate::web::AppState;

const SIGN_IN_FORM: &str = "staff-signin";
const STAGE_CODE: &str = "kod";
const STAGE_ENROL: &str = "registrera";
pub(super) const WRONG_PASSWORD: &str = "E-postadressen eller lösenordet stämmer inte.";
pub(super) const WRONG_CODE: &str =
    "Koden stämmer inte. Vänta tills appen visar en ny kod och försök igen.";
const TOO_SLOW: &str = "Inloggningen tog för lång tid. Logga in igen.";
pub(super) const BUSY: &str = "Många loggar in just nu. Försök igen om en liten stund.";
pub(super) const CLIENT_LIMIT: &str =
    "För många inloggningsförsök från din uppkoppling. Försök igen om en stund.";

/// Where to go after signing in: a local `/admin` path only, so the link
/// to the sign-in page cannot send anyone elsewhere.
pub fn local_target(till: Option<&str>) -> String {
    match till {
        // What a person sent after their session ended, signed by us (see
        // [`resend_target`]); checked again where it is used.
        Some(t) if t.starts_with(RESEND) && t.len() <= 2 * crate::web::MAX_BODY_BYTES => {
            t.to_owned()
        }
        Some(t)
            if (t == "/admin" || t.starts_with("/admin/") || t.starts_with("/admin?"))
                && !t.contains(|c: char| c == '\\' || c <= ' ' || c == '\u{7f}')
                && !t.starts_with("/admin/logga-") =>
        {
            t.to_owned()
        }
        _ => "/admin".to_owned(),
    }
}

/// Fields never kept over a sign-in nor shown back: the old CSRF token,
/// and whatever a person typed as a secret (passwords, codes), which must
/// not travel in a form field or be printed in a page.
const NOT_KEPT: [&str; 5] = ["csrf", "current", "password", "password2", "code"];

fn kept_field(name: &str) -> bool {
    !NOT_KEPT.contains(&name)
}

/// The mark of a `till` that carries a form to send again.
const RESEND: &str = "resend:";
/// The largest form kept over a sign-in: carried base64 in the sign-in
/// forms, it must leave them under the body limit.
const KEEP_AT_MOST: usize = 40 * 1024;
/// How long a form kept over a sign-in stays sendable.
const RESEND_LIFETIME: chrono::Duration = chrono::Duration::hours(2);

/// The page to go to after signing in, when `till` is a plain path.
fn plain_target(till: &str) -> &str {
    if till.starts_with(RESEND) {
        "/admin"
    } else {
        till
    }
}

/// A `till` that carries a back-office form a person sent after their
/// session had ended: its address and fields, signed so that only what
/// the server itself kept can be offered back.
fn resend_target(
    state: &AppState,
    presented: &str,
    path: &str,
    form: &[u8],
    now: DateTime<Utc>,
) -> String {
    use base64::Engine;
    let mut plain = format!(
        "{}\n{}\n{path}\n",
        now.timestamp(),
        session::hash(presented)
    )
    .into_bytes();
    plain.extend_from_slice(form);
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(plain);
    let code = state.form_tokens.code("staff-resend", &payload);
    format!("{RESEND}{payload}.{code}")
}

/// A form to send again: where to, and its fields (without the old CSRF
/// token).
pub struct Resend {
    pub path: String,
    pub fields: Vec<(String, String)>,
}

/// The kept form in `till`, if we signed it, it is recent, and the request
/// still carries the (ended) session cookie it was kept under: the form
/// opens only in the browser that sent it, and only once, since signing
/// in replaces that cookie.
fn open_resend(
    state: &AppState,
    headers: &HeaderMap,
    till: &str,
    now: DateTime<Utc>,
) -> Option<Resend> {
    use base64::Engine;
    let (payload, code) = till.strip_prefix(RESEND)?.rsplit_once('.')?;
    if !state
        .form_tokens
        .code_matches("staff-resend", payload, code)
    {
        return None;
    }
    let plain = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let text = String::from_utf8_lossy(&plain);
    let mut parts = text.splitn(4, '\n');
    let issued: i64 = parts.next()?.parse().ok()?;
    let kept_under = parts.next()?;
    let path = parts.next()?.to_owned();
    let form = parts.next()?;
    if now.timestamp() - issued > RESEND_LIFETIME.num_seconds() {
        return None;
    }
    if session::token(headers).map(session::hash).as_deref() != Some(kept_under) {
        return None;
    }
    if local_target(Some(&path)) != path {
        return None;
    }
    let fields = url::form_urlencoded::parse(form.as_bytes())
        .into_owned()
        .filter(|(k, _)| kept_field(k))
        .collect();
    Some(Resend { path, fields })
}

/// The answer to a back-office form sent without a live session: the
/// sign-in page, keeping what was sent so it can be sent again afterwards
/// (a 303 would lose it). Anything but a same-origin form goes to the
/// sign-in page empty-handed.
pub async fn signed_out_post(
    state: &AppState,
    path: &str,
    request: axum::extract::Request,
) -> Response {
    let (parts, body) = request.into_parts();
    if !same_origin(&parts.headers, &state.base_origin) {
        return AppError::Forbidden.into_response();
    }
    // Kept only for a browser's own form (it names its origin) sent under
    // a session that has ended (it still carries the cookie), and only if
    // it fits in the sign-in form's own size limit.
    let presented = session::token(&parts.headers).map(str::to_owned);
    let keep = presented.is_some()
        && parts.headers.contains_key(header::ORIGIN)
        && is_form_post(&parts.headers);
    let kept = if keep {
        match read_body(body).await {
            Ok(bytes) => Some(bytes),
            Err(e) => return e.into_response(),
        }
    } else {
        None
    };
    // Only the CSRF token (a "Logga ut" button, say) or secrets is nothing
    // to keep.
    let worth_keeping = |form: &axum::body::Bytes| {
        url::form_urlencoded::parse(form).any(|(k, v)| kept_field(&k) && !v.trim().is_empty())
    };
    let Some(form) = kept.filter(|f| f.len() <= KEEP_AT_MOST && worth_keeping(f)) else {
        // Nothing to keep: the sign-in page, coming back here afterwards.
        let till: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
        return see_other(&format!("/admin/logga-in?till={till}"));
    };
    let presented = presented.unwrap_or_default();
    // Secrets are dropped before the form travels in the sign-in page.
    let form: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(url::form_urlencoded::parse(&form).filter(|(k, _)| kept_field(k)))
        .finish();
    let till = resend_target(state, &presented, path, form.as_bytes(), state.clock.now());
    let notice = "Du har blivit utloggad. Det du skickade är sparat: logga in igen, så visas det och du kan skicka det på nytt.";
    sign_in_form(state, &till, "", vec![], None, None, Some(notice))
        .unwrap_or_else(IntoResponse::into_response)
}

/// A form sent from a page of an earlier session (its CSRF token no
/// longer matches): refused with 403, and shown back with the current
/// session's token to send again, if it holds anything worth keeping.
pub fn offer_again(state: &AppState, staff: &Staff, path: &str, form: &[u8]) -> Option<Response> {
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(form)
        .into_owned()
        .filter(|(k, _)| kept_field(k))
        .collect();
    if local_target(Some(path)) != path || !fields.iter().any(|(_, v)| !v.trim().is_empty()) {
        return None;
    }
    let page = html(&view::ResendPage {
        layout: crate::auth::staff_layout(state, staff, "Det du skrev är inte skickat än"),
        resend: Resend {
            path: path.to_owned(),
            fields,
        },
        csrf: session::csrf_token(state, &staff.session),
    })
    .ok()?;
    Some(with_status(page, StatusCode::FORBIDDEN))
}

/// Where a successful sign-in leads: the page asked for, or the page that
/// offers a kept form again (with the new session's CSRF token).
fn after_sign_in(
    state: &AppState,
    headers: &HeaderMap,
    till: &str,
    session: &str,
    cookie: HeaderValue,
) -> Result<Response, AppError> {
    let mut response = match open_resend(state, headers, till, state.clock.now()) {
        Some(resend) => html(&view::ResendPage {
            layout: layout(state, "Det du skrev är inte skickat än"),
            resend,
            csrf: session::csrf_token(state, session),
        })?,
        None => see_other(plain_target(till)),
    };
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

#[derive(Deserialize)]
pub struct SignInQuery {
    till: Option<String>,
    utloggad: Option<String>,
    bytt: Option<String>,
}

pub(super) fn layout(state: &AppState, title: &str) -> AdminLayout {
    AdminLayout::new(state, Locale::default(), title)
}

pub(super) fn with_status(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

pub(super) use crate::web::render::see_other;

/// "Försök igen kl. 14:05" in Swedish time.
pub(super) fn try_again_at(until: DateTime<Utc>) -> String {
    format!(
        "För många misslyckade försök. Försök igen kl. {}.",
        crate::web::format::stockholm(until, "%H:%M")
    )
}

/// The throttle key of an address as typed: a keyed fingerprint, the same
/// for an address with or without an account.
pub(super) fn code_subject(state: &AppState, email: &str) -> String {
    state
        .form_tokens
        .fingerprint("staff-signin-code", &email.trim().to_lowercase())
}

/// The throttle key of the password step (codes have their own, so that
/// knowing the password cannot lift the wait on guessing codes).
pub(super) fn subject(state: &AppState, email: &str) -> String {
    state
        .form_tokens
        .fingerprint("staff-signin", &email.trim().to_lowercase())
}

fn sign_in_form(
    state: &AppState,
    till: &str,
    email: &str,
    errors: Vec<view::Problem>,
    email_error: Option<String>,
    password_error: Option<String>,
    notice: Option<&str>,
) -> Result<Response, AppError> {
    html(&view::SignIn {
        layout: layout(state, "Logga in"),
        errors,
        token: state.form_tokens.issue(SIGN_IN_FORM, state.clock.now()),
        till: till.to_owned(),
        email: email.to_owned(),
        email_error,
        password_error,
        notice: notice.map(str::to_owned),
    })
}

/// One problem for the whole sign-in, shown at the password field.
fn sign_in_problem(
    state: &AppState,
    till: &str,
    email: &str,
    text: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let problem = view::Problem {
        href: "#password",
        text: text.clone(),
    };
    Ok(with_status(
        sign_in_form(state, till, email, vec![problem], None, Some(text), None)?,
        status,
    ))
}

pub async fn sign_in_page(
    State(state): State<AppState>,
    Query(query): Query<SignInQuery>,
    staff: Option<Extension<Staff>>,
) -> Result<Response, AppError> {
    // A kept form only ever arrives in a form we rendered, never in a link.
    let till = plain_target(&local_target(query.till.as_deref())).to_owned();
    if staff.is_some() {
        return Ok(see_other(&till));
    }
    sign_in_form(
        &state,
        &till,
        "",
        vec![],
        None,
        None,
        if query.bytt.is_some() {
            Some("Ditt lösenord är bytt och du är utloggad överallt. Logga in med det nya lösenordet och koden från appen.")
        } else {
            query.utloggad.is_some().then_some("Du är utloggad.")
        },
    )
}

pub(super) fn client(
    state: &AppState,
    ip: Option<Extension<ClientIp>>,
    headers: &HeaderMap,
) -> IpAddr {
    let peer = ip.map_or(
        IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        |Extension(ClientIp(ip))| ip,
    );
    client_address(peer, headers, &state.config.server.trusted_proxies)
}

pub(super) fn db(e: sqlx::Error) -> AppError {
    AppError::Db(DbError::from(e))
}

pub async fn sign_in(
    State(state): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    if !same_origin(&headers, &state.base_origin) {
        return Err(AppError::Forbidden);
    }
    let form = read_form(&headers, body).await?;
    let till = local_target(Some(field(&form, "till")));
    let email = field(&form, "email").trim().to_owned();
    let password = field(&form, "password").to_owned();
    let now = state.clock.now();
    if state
        .form_tokens
        .verify(SIGN_IN_FORM, field(&form, "token"), now)
        .is_err()
    {
        return sign_in_problem(
            &state,
            &till,
            &email,
            "Sidan hade varit öppen för länge. Försök igen.".into(),
            StatusCode::BAD_REQUEST,
        );
    }
    if email.is_empty() || password.is_empty() {
        let mut errors = vec![];
        let email_error = email
            .is_empty()
            .then(|| "Skriv din e-postadress.".to_owned());
        let password_error = password
            .is_empty()
            .then(|| "Skriv ditt lösenord.".to_owned());
        if let Some(e) = &email_error {
            errors.push(view::Problem {
                href: "#email",
                text: e.clone(),
            });
        }
        if let Some(e) = &password_error {
            errors.push(view::Problem {
                href: "#password",
                text: e.clone(),
            });
        }
        return Ok(with_status(
            sign_in_form(
                &state,
                &till,
                &email,
                errors,
                email_error,
                password_error,
                None,
            )?,
            StatusCode::BAD_REQUEST,
        ));
    }
    if !state
        .signin_limiter
        .allow(client(&state, ip, &headers), now)
    {
        return sign_in_problem(
            &state,
            &till,
            &email,
            CLIENT_LIMIT.into(),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let subject = subject(&state, &email);
    // Counted before the password is checked; a throttled attempt is
    // answered at once.
    let next_waits_until =
        match service::reserve_attempt(&state.writer, subject.clone(), now).await? {
            Attempt::Wait(until) => {
                return sign_in_problem(
                    &state,
                    &till,
                    &email,
                    try_again_at(until),
                    StatusCode::TOO_MANY_REQUESTS,
                );
            }
            Attempt::Go { next_waits_until } => next_waits_until,
        };
    // An address that cannot be one (a control character, too long) is
    // treated as unknown without asking the database.
    let plausible = email.len() <= 254 && !email.chars().any(char::is_control);
    let account = if plausible {
        store::account_by_email(&state.db, &email)
            .await
            .map_err(db)?
    } else {
        None
    };
    let usable = account.as_ref().filter(|a| a.status == Status::Active);
    let stored = usable.map(|a| a.password_hash.clone());
    let verified = match password::verify(password, stored).await {
        Ok(verified) => verified,
        Err(password::Busy) => {
            service::undo_attempt(&state.writer, subject).await?;
            return sign_in_problem(
                &state,
                &till,
                &email,
                BUSY.into(),
                StatusCode::SERVICE_UNAVAILABLE,
            );
        }
    };
    if !verified {
        // A deactivated account is refused like a wrong password.
        let known = account.as_ref().map(|a| a.id);
        service::record_failure(&state.writer, known, "fel lösenord", now).await?;
        let text = next_waits_until.map_or_else(|| WRONG_PASSWORD.to_owned(), try_again_at);
        return sign_in_problem(&state, &till, &email, text, StatusCode::BAD_REQUEST);
    }
    service::undo_attempt(&state.writer, subject).await?;
    let account = account.expect("a verified password has an account");
    if account.totp_secret.is_some() {
        code_form(&state, &account, &till, None)
    } else {
        let secret = totp::new_secret();
        service::offer_totp(&state.writer, account.id, secret.clone()).await?;
        enrol_form(&state, &account, &secret, &till, None)
    }
}

/// The error summary of a code form: one problem, at the code field.
fn code_problem(error: &Option<String>) -> Vec<view::Problem> {
    error
        .iter()
        .map(|e| view::Problem {
            href: "#code",
            text: e.clone(),
        })
        .collect()
}

fn code_form(
    state: &AppState,
    account: &Account,
    till: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    let errors = code_problem(&error);
    html(&view::Code {
        layout: layout(state, "Skriv koden från din app"),
        errors,
        pending: session::pending_token(state, account.id, STAGE_CODE, state.clock.now()),
        till: till.to_owned(),
        code_error: error,
    })
}

pub(super) fn enrol_form(
    state: &AppState,
    account: &Account,
    secret: &str,
    till: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    let errors = code_problem(&error);
    html(&view::Enrol {
        layout: layout(state, "Koppla din app för koder"),
        errors,
        pending: session::pending_token(state, account.id, STAGE_ENROL, state.clock.now()),
        till: till.to_owned(),
        qr: totp::qr_svg(&totp::otpauth_uri(secret, &account.email)),
        secret_grouped: totp::grouped(secret),
        code_error: error,
    })
}

/// What every second-step form (the code, the enrolment) starts with: the
/// origin rule, the form, where to go afterwards, and the account its
/// pending token names (or the answer to give).
struct SecondStep {
    form: HashMap<String, String>,
    till: String,
    account: Account,
}

async fn second_step(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    stage: &str,
) -> Result<Result<SecondStep, Response>, AppError> {
    if !same_origin(headers, &state.base_origin) {
        return Err(AppError::Forbidden);
    }
    let form = read_form(headers, body).await?;
    let till = local_target(Some(field(&form, "till")));
    let now = state.clock.now();
    let account = match session::pending_account(state, field(&form, "pending"), stage, now) {
        Some(id) => store::account(&state.db, id).await.map_err(db)?,
        None => None,
    };
    let Some(account) = account.filter(|a| a.status == Status::Active) else {
        return Ok(Err(sign_in_problem(
            state,
            &till,
            "",
            TOO_SLOW.into(),
            StatusCode::BAD_REQUEST,
        )?));
    };
    Ok(Ok(SecondStep {
        form,
        till,
        account,
    }))
}

/// Starts the session after the second step: the cookie is set here and
/// nowhere before.
async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    account: &Account,
    factor: SecondFactor,
) -> Result<Option<(HeaderValue, String)>, AppError> {
    let now = state.clock.now();
    let token = session::new_token();
    let browser = session::browser_family(
        headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok()),
    );
    let new = NewSession {
        id_hash: token.id_hash.clone(),
        expires_at: now + ABSOLUTE,
        browser,
        replaces: session::token(headers).map(session::hash),
    };
    let accepted = service::complete_sign_in(
        &state.writer,
        account.id,
        factor,
        vec![
            subject(state, &account.email),
            code_subject(state, &account.email),
        ],
        new,
        now,
    )
    .await?;
    Ok(accepted.then(|| (session::set_cookie(&token.token), token.id_hash)))
}

/// Records a wrong code and says what to do next.
async fn wrong_code(
    state: &AppState,
    account: &Account,
    next_waits_until: Option<DateTime<Utc>>,
) -> Result<String, AppError> {
    service::record_failure(
        &state.writer,
        Some(account.id),
        "fel kod",
        state.clock.now(),
    )
    .await?;
    Ok(next_waits_until.map_or_else(|| WRONG_CODE.to_owned(), try_again_at))
}

/// Counts a code attempt before it is checked (see
/// [`service::reserve_attempt`]); `Err` is what to say, and with which
/// status, when nothing was typed or the attempt must wait.
pub(super) async fn reserve_code(
    state: &AppState,
    ip: Option<Extension<ClientIp>>,
    headers: &HeaderMap,
    account: &Account,
    typed: &str,
    empty: &str,
) -> Result<Result<Option<DateTime<Utc>>, (String, StatusCode)>, AppError> {
    if typed.trim().is_empty() {
        return Ok(Err((empty.to_owned(), StatusCode::BAD_REQUEST)));
    }
    let now = state.clock.now();
    if !state.signin_limiter.allow(client(state, ip, headers), now) {
        return Ok(Err((
            CLIENT_LIMIT.to_owned(),
            StatusCode::TOO_MANY_REQUESTS,
        )));
    }
    Ok(
        match service::reserve_attempt(&state.writer, code_subject(state, &account.email), now)
            .await?
        {
            Attempt::Wait(until) => Err((try_again_at(until), StatusCode::TOO_MANY_REQUESTS)),
            Attempt::Go { next_waits_until } => Ok(next_waits_until),
        },
    )
}

pub async fn code(
    State(state): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let SecondStep {
        form,
        till,
        account,
    } = match second_step(&state, &headers, body, STAGE_CODE).await? {
        Ok(step) => step,
        Err(answer) => return Ok(answer),
    };
    let Some(secret) = account.totp_secret.clone() else {
        return sign_in_problem(&state, &till, "", TOO_SLOW.into(), StatusCode::BAD_REQUEST);
    };
    let again = |text: String, status| -> Result<Response, AppError> {
        Ok(with_status(
            code_form(&state, &account, &till, Some(text))?,
            status,
        ))
    };
    let typed = field(&form, "code");
    let next_waits_until = match reserve_code(
        &state,
        ip,
        &headers,
        &account,
        typed,
        "Skriv koden från appen.",
    )
    .await?
    {
        Ok(next) => next,
        Err((text, status)) => return again(text, status),
    };
    let now = state.clock.now();
    let factor = if typed.chars().any(|c| c.is_ascii_alphabetic()) {
        totp::recovery_hash(typed).map(|hash| SecondFactor::Recovery { hash })
    } else {
        totp::accept(&secret, typed, now, account.totp_last_step)
            .map(|step| SecondFactor::Totp { step })
    };
    let cookie = match factor {
        Some(factor) => start_session(&state, &headers, &account, factor).await?,
        None => None,
    };
    match cookie {
        Some((cookie, session)) => after_sign_in(&state, &headers, &till, &session, cookie),
        None => again(
            wrong_code(&state, &account, next_waits_until).await?,
            StatusCode::BAD_REQUEST,
        ),
    }
}

pub async fn enrol(
    State(state): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let SecondStep {
        form,
        till,
        account,
    } = match second_step(&state, &headers, body, STAGE_ENROL).await? {
        Ok(step) => step,
        Err(answer) => return Ok(answer),
    };
    let (None, Some(secret)) = (&account.totp_secret, account.totp_pending.clone()) else {
        return sign_in_problem(&state, &till, "", TOO_SLOW.into(), StatusCode::BAD_REQUEST);
    };
    let again = |text: String, status| -> Result<Response, AppError> {
        Ok(with_status(
            enrol_form(&state, &account, &secret, &till, Some(text))?,
            status,
        ))
    };
    let typed = field(&form, "code");
    let next_waits_until = match reserve_code(
        &state,
        ip,
        &headers,
        &account,
        typed,
        "Skriv koden som appen visar.",
    )
    .await?
    {
        Ok(next) => next,
        Err((text, status)) => return again(text, status),
    };
    let now = state.clock.now();
    let codes = totp::new_recovery_codes();
    let cookie = match totp::accept(&secret, typed, now, None) {
        Some(step) => {
            let factor = SecondFactor::Enrol {
                secret: secret.clone(),
                step,
                recovery: codes.iter().map(|(_, hash)| hash.clone()).collect(),
            };
            start_session(&state, &headers, &account, factor).await?
        }
        None => None,
    };
    let Some((cookie, session)) = cookie else {
        return again(
            wrong_code(&state, &account, next_waits_until).await?,
            StatusCode::BAD_REQUEST,
        );
    };
    let mut page = html(&view::Recovery {
        layout: layout(&state, "Spara dina koder"),
        intro: "Tvåstegsverifieringen är klar och du är inloggad.",
        codes: codes.into_iter().map(|(shown, _)| shown).collect(),
        till: plain_target(&till).to_owned(),
        resend: open_resend(&state, &headers, &till, state.clock.now()),
        csrf: session::csrf_token(&state, &session),
    })?;
    page.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(page)
}

/// `GET` of a second-step address (a reload, a bookmark): start over.
pub async fn start_over() -> Response {
    see_other("/admin/logga-in")
}

pub async fn sign_out(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    service::end_session(
        &state.writer,
        staff.account_id,
        staff.session,
        Action::SignOut,
        "",
        now,
    )
    .await?;
    let mut r = see_other("/admin/logga-in?utloggad=1");
    r.headers_mut()
        .insert(header::SET_COOKIE, session::clear_cookie());
    Ok(r)
}

/// "Fortsätt vara inloggad": notes the session as used now (the guard has
/// checked it and the CSRF token).
pub async fn keep_alive(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
) -> Result<Response, AppError> {
    service::touch_session(&state.writer, staff.session, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::local_target;

    #[test]
    fn only_local_admin_paths_are_followed() {
        assert_eq!(
            local_target(Some("/admin/arenden?typ=TG")),
            "/admin/arenden?typ=TG"
        );
        assert_eq!(local_target(Some("https://evil.example/admin")), "/admin");
        assert_eq!(local_target(Some("//evil.example/admin")), "/admin");
        assert_eq!(local_target(Some("/adminx")), "/admin");
        assert_eq!(local_target(Some("/admin/logga-ut")), "/admin");
        assert_eq!(local_target(Some("/admin\\..\\x")), "/admin");
        assert_eq!(local_target(None), "/admin");
    }
}
