//! Staff sessions: a random token in the `__Host-fridhem` cookie, only its
//! SHA-256 in the database (shared by every instance), idle and absolute
//! expiry checked on the server, and the tokens forms carry (CSRF, and the
//! signed note that carries a sign-in from the password to the code
//! without a cookie).

use axum::http::{header, HeaderMap, HeaderValue};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use super::model::{Staff, Status};
use super::{service, store};
use crate::audit::Action;
use crate::web::error::AppError;
use crate::web::AppState;

pub const COOKIE: &str = "__Host-fridhem";
/// A session not used for this long has ended.
pub const IDLE: Duration = Duration::minutes(30);
/// No session lasts longer than a working day.
pub const ABSOLUTE: Duration = Duration::hours(10);
/// "Last seen" is written at most this often, so reading pages costs no
/// write.
pub const TOUCH_EVERY: Duration = Duration::minutes(1);
/// How long the step between password and code may take.
pub const PENDING_LIFETIME: Duration = Duration::minutes(10);

/// A new session's token (for the cookie) and its hash (for the database).
pub struct NewToken {
    pub token: String,
    pub id_hash: String,
}

pub fn new_token() -> NewToken {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the system has randomness");
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let id_hash = hash(&token);
    NewToken { token, id_hash }
}

pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The cookie for a new session: no Max-Age, so it ends with the browser;
/// the server's expiry is what counts.
pub fn set_cookie(token: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Secure; HttpOnly; SameSite=Strict; Path=/"
    ))
    .expect("base64url is a header value")
}

pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static(
        "__Host-fridhem=; Max-Age=0; Secure; HttpOnly; SameSite=Strict; Path=/",
    )
}

/// The session token the request carries, if any.
pub fn token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value)
        .filter(|v| !v.is_empty() && v.len() <= 64)
}

/// "Firefox på Windows": enough to recognise one's own sessions in a list,
/// without keeping the full User-Agent.
pub fn browser_family(user_agent: Option<&str>) -> String {
    let ua = user_agent.unwrap_or("");
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else {
        "Okänd webbläsare"
    };
    let system = if ua.contains("Android") {
        "Android"
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        "iOS"
    } else if ua.contains("Windows") {
        "Windows"
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        "macOS"
    } else if ua.contains("Linux") {
        "Linux"
    } else {
        return browser.to_owned();
    };
    format!("{browser} på {system}")
}

/// The signed-in person behind the request, or `None`. An expired session
/// is ended here (and logged); a live one is touched at most once a
/// minute.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Staff>, AppError> {
    let Some(token) = token(headers) else {
        return Ok(None);
    };
    let id_hash = hash(token);
    let Some(session) = store::session(&state.db, &id_hash)
        .await
        .map_err(crate::db::DbError::from)?
    else {
        return Ok(None);
    };
    let now = state.clock.now();
    let expired = if now >= session.expires_at {
        Some("Sessionen nådde sin längsta tid")
    } else if now - session.last_seen_at >= IDLE {
        Some("Sessionen var inaktiv för länge")
    } else {
        None
    };
    if let Some(detail) = expired {
        service::end_session(
            &state.writer,
            session.account_id,
            id_hash,
            Action::SessionExpired,
            detail,
            now,
        )
        .await?;
        return Ok(None);
    }
    let account = store::account(&state.db, session.account_id)
        .await
        .map_err(crate::db::DbError::from)?;
    let Some(account) = account.filter(|a| a.status == Status::Active) else {
        service::end_session(
            &state.writer,
            session.account_id,
            id_hash,
            Action::SessionExpired,
            "Kontot är inte aktivt",
            now,
        )
        .await?;
        return Ok(None);
    };
    if now - session.last_seen_at >= TOUCH_EVERY {
        service::touch_session(&state.writer, id_hash.clone(), now).await?;
    }
    Ok(Some(Staff {
        account_id: account.id,
        name: account.name,
        email: account.email,
        roles: account.roles,
        session: id_hash,
    }))
}

/// The CSRF token of a session: only the server can make it, and it is
/// worthless with any other session.
pub fn csrf_token(state: &AppState, session: &str) -> String {
    state.form_tokens.code("staff-csrf", session)
}

pub fn csrf_valid(state: &AppState, session: &str, given: &str) -> bool {
    state.form_tokens.code_matches("staff-csrf", session, given)
}

/// The sign-in's next step, carried in the form rather than a cookie:
/// `ACCOUNT.ISSUED.STAGE.SIGNATURE`.
pub fn pending_token(state: &AppState, account: i64, stage: &str, now: DateTime<Utc>) -> String {
    let value = format!("{account}.{}.{stage}", now.timestamp());
    let code = state.form_tokens.code("staff-pending", &value);
    format!("{value}.{code}")
}

/// The account a pending token was issued for, if it is genuine, for this
/// stage and recent.
pub fn pending_account(
    state: &AppState,
    token: &str,
    stage: &str,
    now: DateTime<Utc>,
) -> Option<i64> {
    let (value, code) = token.rsplit_once('.')?;
    if !state.form_tokens.code_matches("staff-pending", value, code) {
        return None;
    }
    let mut parts = value.splitn(3, '.');
    let account: i64 = parts.next()?.parse().ok()?;
    let issued: i64 = parts.next()?.parse().ok()?;
    if parts.next()? != stage {
        return None;
    }
    let age = now.timestamp() - issued;
    (-60..=PENDING_LIFETIME.num_seconds())
        .contains(&age)
        .then_some(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; __Host-fridhem=abc; b=2"),
        );
        assert_eq!(token(&h), Some("abc"));
        h.insert(header::COOKIE, HeaderValue::from_static("fridhem=abc"));
        assert_eq!(token(&h), None);
    }

    #[test]
    fn browser_families() {
        assert_eq!(
            browser_family(Some(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
            )),
            "Firefox på Windows"
        );
        assert_eq!(
            browser_family(Some("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Chrome/131.0 Safari/537.36")),
            "Chrome på Linux"
        );
        assert_eq!(browser_family(None), "Okänd webbläsare");
    }
}
