//! `/admin/konto`: every signed-in person changes their own password,
//! makes new recovery codes, and sees and ends their own sessions. The
//! guard has checked the session and the CSRF token of every POST.

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;

use super::model::Staff;
use super::routes::{
    client, db, field, read_form, reserve_code, see_other, subject, try_again_at, with_status,
    BUSY, WRONG_CODE,
};
use super::service::{self, Attempt, Sessions};
use super::view::{self, Problem, SessionLine};
use super::{password, session, staff_layout, store, totp};
use crate::web::client_ip::ClientIp;
use crate::web::error::AppError;
use crate::web::format;
use crate::web::render::html;
use crate::web::AppState;

/// The problems of one of the page's forms, by field.
#[derive(Default)]
struct Problems {
    current: Option<String>,
    password: Option<String>,
    repeat: Option<String>,
    code: Option<String>,
}

async fn page(
    state: &AppState,
    staff: &Staff,
    problems: Problems,
    done: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let sessions = store::sessions_of(&state.db, staff.account_id)
        .await
        .map_err(db)?;
    let mut errors = vec![];
    for (href, text) in [
        ("#current", &problems.current),
        ("#password", &problems.password),
        ("#password2", &problems.repeat),
        ("#code", &problems.code),
    ] {
        if let Some(text) = text {
            errors.push(Problem {
                href,
                text: text.clone(),
            });
        }
    }
    let lines: Vec<SessionLine> = sessions
        .iter()
        .map(|s| SessionLine {
            handle: s.handle().to_owned(),
            browser: s.browser.clone(),
            started: format::stockholm(s.created_at, format::MINUTE),
            last_active: format::stockholm(s.last_seen_at, format::MINUTE),
            this: s.id_hash == staff.session,
        })
        .collect();
    let response = html(&view::AccountPage {
        layout: staff_layout(state, staff, "Mitt konto"),
        errors,
        done,
        csrf: session::csrf_token(state, &staff.session),
        email: staff.email.clone(),
        current_error: problems.current,
        password_error: problems.password,
        repeat_error: problems.repeat,
        code_error: problems.code,
        others: lines.iter().filter(|l| !l.this).count(),
        sessions: lines,
    })?;
    Ok(with_status(response, status))
}

#[derive(Deserialize, Default)]
pub struct AccountQuery {
    klart: Option<String>,
}

pub async fn account(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    Query(query): Query<AccountQuery>,
) -> Result<Response, AppError> {
    let done = match query.klart.as_deref() {
        Some("losenord") => Some("Ditt lösenord är bytt. Du är utloggad på alla andra enheter."),
        Some("session") => Some("Sessionen är avslutad."),
        Some("sessioner") => Some("Alla dina andra sessioner är avslutade."),
        _ => None,
    };
    page(&state, &staff, Problems::default(), done, StatusCode::OK).await
}

pub async fn change_password(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form = read_form(&headers, body).await?;
    let (current, first, second) = (
        field(&form, "current"),
        field(&form, "password"),
        field(&form, "password2"),
    );
    let refuse = |problems: Problems, status| page(&state, &staff, problems, None, status);
    let mut problems = Problems::default();
    if current.is_empty() {
        problems.current = Some("Skriv ditt nuvarande lösenord.".into());
    }
    if first.is_empty() {
        problems.password = Some("Välj ett nytt lösenord.".into());
    } else if let Err(p) = password::check(first, &[&staff.email, &staff.name]) {
        problems.password = Some(p.message());
    } else if first != second {
        problems.repeat =
            Some("Lösenorden är inte lika. Skriv samma nya lösenord två gånger.".into());
    }
    if problems.current.is_some() || problems.password.is_some() || problems.repeat.is_some() {
        return refuse(problems, StatusCode::BAD_REQUEST).await;
    }
    // The current password is guessed no faster here than at sign-in: the
    // same per-client limit and the same count for the address.
    let now = state.clock.now();
    if !state
        .signin_limiter
        .allow(client(&state, ip, &headers), now)
    {
        problems.current = Some(super::routes::CLIENT_LIMIT.into());
        return refuse(problems, StatusCode::TOO_MANY_REQUESTS).await;
    }
    let throttle = subject(&state, &staff.email);
    let next_waits_until =
        match service::reserve_attempt(&state.writer, throttle.clone(), now).await? {
            Attempt::Wait(until) => {
                problems.current = Some(try_again_at(until));
                return refuse(problems, StatusCode::TOO_MANY_REQUESTS).await;
            }
            Attempt::Go { next_waits_until } => next_waits_until,
        };
    let stored = store::account(&state.db, staff.account_id)
        .await
        .map_err(db)?
        .map(|a| a.password_hash);
    let Ok(verified) = password::verify(current.to_owned(), stored).await else {
        service::undo_attempt(&state.writer, throttle).await?;
        problems.current = Some(BUSY.into());
        return refuse(problems, StatusCode::SERVICE_UNAVAILABLE).await;
    };
    if !verified {
        service::record_failure(
            &state.writer,
            Some(staff.account_id),
            "fel nuvarande lösenord vid byte",
            now,
        )
        .await?;
        problems.current = Some(next_waits_until.map_or_else(
            || "Det nuvarande lösenordet stämmer inte.".to_owned(),
            try_again_at,
        ));
        return refuse(problems, StatusCode::BAD_REQUEST).await;
    }
    service::undo_attempt(&state.writer, throttle).await?;
    let hash = match password::hash_in_turn(first.to_owned()).await {
        Ok(hash) => hash,
        Err(password::NotHashed::Busy) => {
            problems.password = Some(BUSY.into());
            return refuse(problems, StatusCode::SERVICE_UNAVAILABLE).await;
        }
        Err(password::NotHashed::Failed(e)) => return Err(AppError::Render(e.to_string())),
    };
    service::change_password(
        &state.writer,
        staff.account_id,
        hash,
        staff.session.clone(),
        state.clock.now(),
    )
    .await?;
    Ok(see_other("/admin/konto?klart=losenord"))
}

pub async fn renew_codes(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    ip: Option<Extension<ClientIp>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form = read_form(&headers, body).await?;
    let typed = field(&form, "code");
    let refuse = |text: String, status| {
        let problems = Problems {
            code: Some(text),
            ..Problems::default()
        };
        page(&state, &staff, problems, None, status)
    };
    let account = store::account(&state.db, staff.account_id)
        .await
        .map_err(db)?
        .ok_or(AppError::NotFound)?;
    let Some(secret) = account.totp_secret.clone() else {
        return Err(AppError::Conflict(
            "Kontot har ingen app kopplad. Logga ut och in igen för att koppla den.".into(),
        ));
    };
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
        Err((text, status)) => return refuse(text, status).await,
    };
    let now = state.clock.now();
    let codes = totp::new_recovery_codes();
    let renewed = match totp::accept(&secret, typed, now, account.totp_last_step) {
        Some(step) => {
            service::renew_recovery_codes(
                &state.writer,
                account.id,
                step,
                codes.iter().map(|(_, hash)| hash.clone()).collect(),
                now,
            )
            .await?
        }
        None => false,
    };
    if !renewed {
        service::record_failure(
            &state.writer,
            Some(account.id),
            "fel kod vid nya koder",
            now,
        )
        .await?;
        let text = next_waits_until.map_or_else(|| WRONG_CODE.to_owned(), try_again_at);
        return refuse(text, StatusCode::BAD_REQUEST).await;
    }
    service::undo_attempt(
        &state.writer,
        super::routes::code_subject(&state, &account.email),
    )
    .await?;
    html(&view::Recovery {
        layout: staff_layout(&state, &staff, "Spara dina nya koder"),
        intro: "Dina nya återställningskoder är klara. De gamla fungerar inte längre.",
        codes: codes.into_iter().map(|(shown, _)| shown).collect(),
        till: "/admin/konto".to_owned(),
        resend: None,
        csrf: session::csrf_token(&state, &staff.session),
    })
}

/// Ends some of the person's other sessions and goes back to the list.
/// A session already ended (another tab, expiry) is the same outcome.
async fn end(
    state: &AppState,
    staff: &Staff,
    which: Sessions,
    done: &str,
) -> Result<Response, AppError> {
    service::end_own_sessions(
        &state.writer,
        staff.account_id,
        which,
        staff.session.clone(),
        state.clock.now(),
    )
    .await?;
    Ok(see_other(&format!("/admin/konto?klart={done}#sessioner")))
}

pub async fn end_session(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let form = read_form(&headers, body).await?;
    let handle = field(&form, "session").to_owned();
    end(&state, &staff, Sessions::One(handle), "session").await
}

pub async fn end_other_sessions(
    State(state): State<AppState>,
    Extension(staff): Extension<Staff>,
) -> Result<Response, AppError> {
    end(&state, &staff, Sessions::AllOthers, "sessioner").await
}
