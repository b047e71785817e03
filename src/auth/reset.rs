//! A forgotten password: `/admin/glomt-losenord` sends a link to an active
//! account and gives the same answer, after the same work, for any
//! address; the link opens `/admin/nytt-losenord/{token}`, where the new
//! password is chosen. Every session then ends; the second factor stays.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;

use super::invite::{ended, new_link, open_link, submitted};
use super::model::{LinkPurpose, Status};
use super::routes::{
    client, db, field, layout, read_form, see_other, subject, try_again_at, with_status,
    CLIENT_LIMIT,
};
use super::service::{self, Attempt, ResetLink};
use super::view::{self, Problem};
use super::{mail, session, store};
use crate::web::client_ip::ClientIp;
use crate::web::csrf::same_origin;
use crate::web::error::AppError;
use crate::web::render::html;
use crate::web::AppState;

const FORGOT_FORM: &str = "staff-forgot";

/// How long after it arrived a reset request is answered, whatever the
/// address. The work differs a little between an address with an account
/// (a link and a mail are stored) and one without; a fixed moment far
/// beyond that work keeps the time of the answer from telling which. A
/// person waiting for an e-mail does not notice a fifth of a second.
const ANSWER_AFTER: std::time::Duration = std::time::Duration::from_millis(200);

fn forgot_page(
    state: &AppState,
    email: &str,
    email_error: Option<String>,
    sent: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let errors = email_error
        .iter()
        .map(|e| Problem {
            href: "#email",
            text: e.clone(),
        })
        .collect();
    Ok(with_status(
        html(&view::Forgot {
            layout: layout(
                state,
                if sent {
                    "Titta i din e-post"
                } else {
                    "Glömt lösenordet"
                },
            ),
            errors,
            sent,
            token: state.form_tokens.issue(FORGOT_FORM, state.clock.now()),
            email: email.to_owned(),
            email_error,
        })?,
        status,
    ))
}

pub async fn forgot_form(State(state): State<AppState>) -> Result<Response, AppError> {
    forgot_page(&state, "", None, false, StatusCode::OK)
}

/// The throttle key of reset requests for an address as typed.
fn reset_subject(state: &AppState, email: &str) -> String {
    state
        .form_tokens
        .fingerprint("staff-reset", &email.trim().to_lowercase())
}

pub async fn forgot(
    State(state): State<AppState>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let arrived = tokio::time::Instant::now();
    if !same_origin(&headers, &state.base_origin) {
        return Err(AppError::Forbidden);
    }
    let form = read_form(&headers, body).await?;
    let email = field(&form, "email").trim().to_owned();
    let now = state.clock.now();
    let problem = |text: String, status| forgot_page(&state, &email, Some(text), false, status);
    if state
        .form_tokens
        .verify(FORGOT_FORM, field(&form, "token"), now)
        .is_err()
    {
        return problem(
            "Sidan hade varit öppen för länge. Försök igen.".into(),
            StatusCode::BAD_REQUEST,
        );
    }
    if email.is_empty() {
        return problem(
            "Skriv e-postadressen du loggar in med.".into(),
            StatusCode::BAD_REQUEST,
        );
    }
    if !state
        .signin_limiter
        .allow(client(&state, ip, &headers), now)
    {
        return problem(CLIENT_LIMIT.into(), StatusCode::TOO_MANY_REQUESTS);
    }
    // The same steps for every address: one lookup, a token, one writer
    // job; only an active account's job also stores the link and its mail.
    let plausible = email.len() <= 254 && !email.chars().any(char::is_control);
    let account = if plausible {
        store::account_by_email(&state.db, &email)
            .await
            .map_err(db)?
    } else {
        None
    };
    // Only an account that has its app gets a link: for one without, the
    // mailbox alone would be enough to choose a password and enrol an app.
    let (token, token_hash) = new_link(&state);
    let link = account
        .filter(|a| a.status == Status::Active && a.totp_secret.is_some())
        .map(|a| ResetLink {
            account: a.id,
            mail: mail::reset(
                &state.config.server.base_url,
                &a.email,
                &token,
                now + LinkPurpose::Reset.lifetime(),
            ),
            token_hash,
        });
    let attempt = service::request_reset(
        &state.writer,
        &state.data_keys,
        reset_subject(&state, &email),
        link,
        now,
    )
    .await?;
    state.mail_wake.notify_one();
    tokio::time::sleep_until(arrived + ANSWER_AFTER).await;
    match attempt {
        Attempt::Wait(until) => problem(try_again_at(until), StatusCode::TOO_MANY_REQUESTS),
        Attempt::Go { .. } => forgot_page(&state, "", None, true, StatusCode::OK),
    }
}

pub async fn new_password_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    open_link(&state, &token, LinkPurpose::Reset).await
}

pub async fn new_password(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let (link, hash) = match submitted(&state, &token, LinkPurpose::Reset, &headers, body).await? {
        Ok(chosen) => chosen,
        Err(answer) => return Ok(answer),
    };
    // A new password lifts the wait on passwords for this address, not
    // the one on codes: the mailbox alone must not buy more code guesses.
    let email = link.account_email;
    let subjects = vec![subject(&state, &email), reset_subject(&state, &email)];
    let now = state.clock.now();
    let reset =
        service::reset_password(&state.writer, session::hash(&token), hash, subjects, now).await?;
    if reset.is_none() {
        return ended(&state, &token, LinkPurpose::Reset).await;
    }
    Ok(see_other("/admin/logga-in?bytt=1"))
}
