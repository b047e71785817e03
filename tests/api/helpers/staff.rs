//! Staff accounts and sign-in for tests: accounts made as the command
//! line makes them, and the whole sign-in spoken over HTTP, with codes
//! computed from the secret the enrolment page shows, as a person's app
//! would.

use fridhem::auth::{password, service, totp, Role};

use super::forms::token_of;
use super::TestApp;

pub const PASSWORD: &str = "blåbär cykel trappa moln";

/// A signed-in person: their cookie header, CSRF token and second factor.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub email: String,
    /// `__Host-fridhem=TOKEN`, to send as the `Cookie` header.
    pub cookie: String,
    pub csrf: String,
    pub secret: String,
    pub recovery: Vec<String>,
    /// The raw `Set-Cookie` of the sign-in.
    pub set_cookie: String,
}

/// Creates an active account with `roles` (and `PASSWORD`).
pub async fn create_account(app: &TestApp, email: &str, roles: &[Role]) -> i64 {
    let hash = password::hash(PASSWORD.to_owned()).await.unwrap();
    service::create_account(
        &app.state.writer,
        email.to_owned(),
        format!("Person {email}"),
        hash,
        roles.to_vec(),
        app.state.clock.now(),
    )
    .await
    .unwrap()
    .expect("a new address")
}

pub fn value_of(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// POSTs a form as a same-origin browser does (`Origin: null` under
/// no-referrer).
pub async fn post(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(path))
        .header("Origin", "null")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(super::forms::form_body(fields));
    if let Some(cookie) = cookie {
        request = request.header("Cookie", cookie);
    }
    request.send().await.unwrap()
}

pub async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("Cookie", cookie);
    }
    request.send().await.unwrap()
}

/// The password step; returns the next page (code or enrolment).
pub async fn password_step(app: &TestApp, email: &str, password: &str) -> (u16, String) {
    let page = get(app, "/admin/logga-in", None)
        .await
        .text()
        .await
        .unwrap();
    let token = token_of(&page);
    let r = post(
        app,
        "/admin/logga-in",
        None,
        &[
            ("token", &token),
            ("till", "/admin"),
            ("email", email),
            ("password", password),
        ],
    )
    .await;
    assert!(
        r.headers().get("set-cookie").is_none(),
        "no cookie before the second factor"
    );
    (r.status().as_u16(), r.text().await.unwrap())
}

pub fn code_now(app: &TestApp, secret: &str) -> String {
    format!(
        "{:06}",
        totp::code_at(secret, totp::step(app.state.clock.now())).unwrap()
    )
}

fn cookie_of(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
}

/// First sign-in of a new account: password, enrolment with a code from
/// the shown secret, recovery codes.
pub async fn enrol(app: &TestApp, email: &str) -> SignedIn {
    let (status, page) = password_step(app, email, PASSWORD).await;
    assert_eq!(status, 200, "{page}");
    enrol_on_page(app, email, &page).await
}

/// From an enrolment page (after the password step, or after choosing a
/// password from an invitation): confirms a code computed from the shown
/// secret, as the person's app would, and reads the recovery codes.
pub async fn enrol_on_page(app: &TestApp, email: &str, page: &str) -> SignedIn {
    let secret_start = page.find("id=\"secret\">").expect("the secret as text") + 12;
    let secret: String = page[secret_start..secret_start + page[secret_start..].find('<').unwrap()]
        .split_whitespace()
        .collect();
    let pending = value_of(page, "pending");
    let code = code_now(app, &secret);
    let r = post(
        app,
        "/admin/logga-in/registrera",
        None,
        &[("pending", &pending), ("till", "/admin"), ("code", &code)],
    )
    .await;
    assert_eq!(r.status(), 200);
    let set_cookie = cookie_of(&r).expect("the session cookie after the second factor");
    let page = r.text().await.unwrap();
    let recovery = page
        .split("<li>")
        .skip(1)
        .filter_map(|s| s.split("</li>").next())
        .filter(|s| s.len() == 11 && s.as_bytes()[5] == b'-')
        .map(str::to_owned)
        .collect::<Vec<_>>();
    assert_eq!(recovery.len(), 10, "{page}");
    finish(app, email, secret, recovery, set_cookie).await
}

async fn finish(
    app: &TestApp,
    email: &str,
    secret: String,
    recovery: Vec<String>,
    set_cookie: String,
) -> SignedIn {
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let start = get(app, "/admin", Some(&cookie)).await;
    assert_eq!(start.status(), 200);
    let csrf = value_of(&start.text().await.unwrap(), "csrf");
    SignedIn {
        email: email.to_owned(),
        cookie,
        csrf,
        secret,
        recovery,
        set_cookie,
    }
}

/// A later sign-in with a code (the caller moves the clock on between
/// sign-ins: each code is accepted once). Returns the response of the code
/// step when it is not a success.
pub async fn sign_in_with(
    app: &TestApp,
    who: &SignedIn,
    code: &str,
) -> Result<SignedIn, (u16, String)> {
    let (status, page) = password_step(app, &who.email, PASSWORD).await;
    if status != 200 {
        return Err((status, page));
    }
    let pending = value_of(&page, "pending");
    let r = post(
        app,
        "/admin/logga-in/kod",
        None,
        &[("pending", &pending), ("till", "/admin"), ("code", code)],
    )
    .await;
    if r.status() != 303 {
        return Err((r.status().as_u16(), r.text().await.unwrap()));
    }
    let set_cookie = cookie_of(&r).expect("a cookie with the 303");
    Ok(finish(
        app,
        &who.email,
        who.secret.clone(),
        who.recovery.clone(),
        set_cookie,
    )
    .await)
}

impl SignedIn {
    /// The account's id, as the database has it.
    pub async fn account_id(&self, app: &TestApp) -> i64 {
        fridhem::auth::store::account_by_email(&app.db, &self.email)
            .await
            .unwrap()
            .expect("the account exists")
            .id
    }
}

fn fake_mail(to: &str) -> fridhem::mail::OutgoingMail {
    fridhem::mail::OutgoingMail {
        reply_to: None,
        attachment: None,
        message_id: format!("<{}@test>", uuid::Uuid::new_v4().simple()),
        recipient: to.to_owned(),
        subject: "test".to_owned(),
        body: "test".to_owned(),
        recipient_key: None,
    }
}

/// Invites `email` (as `by`) without the web form; returns the link's
/// token.
pub async fn invite_directly(app: &TestApp, by: i64, email: &str) -> String {
    let token = fridhem::auth::session::new_token();
    let invited = service::invite(
        &app.state.writer,
        &app.state.data_keys,
        by,
        service::Invitation {
            email: email.to_owned(),
            name: format!("Person {email}"),
            roles: vec![Role::Redaktor],
            token_hash: token.id_hash,
            mail: fake_mail(email),
        },
        app.state.clock.now(),
    )
    .await
    .unwrap();
    assert!(matches!(invited, service::Invited::Sent(_)));
    token.token
}

/// A reset link for the active account `id` without the web form.
pub async fn reset_link_directly(app: &TestApp, id: i64, email: &str) -> String {
    let token = fridhem::auth::session::new_token();
    service::request_reset(
        &app.state.writer,
        &app.state.data_keys,
        format!("direct-{}", token.id_hash),
        Some(service::ResetLink {
            account: id,
            token_hash: token.id_hash,
            mail: fake_mail(email),
        }),
        app.state.clock.now(),
    )
    .await
    .unwrap();
    token.token
}

/// The token of the newest link in the outbox mail to `to` under `path`
/// (`/admin/inbjudan` or `/admin/nytt-losenord`).
pub async fn link_in_outbox(app: &TestApp, to: &str, path: &str) -> String {
    let bodies: Vec<String> = super::outbox_to(app, to)
        .await
        .into_iter()
        .rev()
        .map(|m| m.body)
        .collect();
    // The stored mail holds a sealed placeholder, never the token: open it
    // with the site's key, as the mail worker does.
    let token = bodies
        .iter()
        .map(|b| {
            fridhem::mail::seal::unseal(b, &|nonce| {
                app.state
                    .form_tokens
                    .fingerprint(fridhem::mail::seal::PURPOSE, nonce)
            })
        })
        .find_map(|b| token_after(&b, path))
        .unwrap_or_else(|| panic!("no {path} link to {to} in {bodies:?}"));
    assert!(
        bodies.iter().all(|b| !b.contains(&token)),
        "the outbox never holds a link's token"
    );
    token
}

/// The 43-character token after `path/` in a text.
pub fn token_after(text: &str, path: &str) -> Option<String> {
    let marker = format!("{path}/");
    let start = text.find(&marker)? + marker.len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (token.len() == 43).then_some(token)
}

/// POSTs `fields` with the person's CSRF token, as their browser would.
pub async fn act(
    app: &TestApp,
    who: &SignedIn,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut all = vec![("csrf", who.csrf.as_str())];
    all.extend_from_slice(fields);
    post(app, path, Some(&who.cookie), &all).await
}
