//! Staff sign-in, sessions, the policy table and the audit log, spoken to
//! over HTTP on both databases with a clock the tests move.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use fridhem::admin::policy::{Access, TABLE};
use fridhem::auth::{totp, Role};
use fridhem::clock::ManualClock;

use crate::helpers::staff::{self, create_account, enrol, get, post, sign_in_with, SignedIn};
use crate::helpers::{spawn_app_with, Backend, Options, TestApp};

/// Instances of one site share its secret key (forms, CSRF tokens).
pub(crate) const SHARED_KEY: &str =
    "4f1c2a9e7b3d5c8a0e6f1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60";

pub(crate) async fn clocked(
    backend: Backend,
    database_url: Option<String>,
) -> (TestApp, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 5).unwrap(),
    ));
    let app = spawn_app_with(
        backend,
        Options {
            clock: Some(clock.clone()),
            database_url,
            env: vec![("FRIDHEM_SECRET_KEY", SHARED_KEY.to_owned())],
            ..Options::default()
        },
    )
    .await;
    (app, clock)
}

macro_rules! clocked_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let (app, clock) = super::clocked(crate::helpers::Backend::Sqlite, None).await;
                    super::$name(&app, &clock).await;
                    app.stop().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                #[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
                async fn $name() {
                    let (app, clock) = super::clocked(crate::helpers::Backend::Postgres, None).await;
                    super::$name(&app, &clock).await;
                    app.stop().await;
                }
            )*
        }
    };
}
pub(crate) use clocked_tests;

pub(crate) async fn audit_actions(app: &TestApp) -> Vec<String> {
    let mut rows = fridhem::audit::store::recent(&app.db, 1000).await.unwrap();
    rows.reverse();
    rows.into_iter().map(|r| r.action).collect()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

async fn first_sign_in_enrols_and_sign_out_ends_the_session(app: &TestApp, _clock: &ManualClock) {
    create_account(app, "anna@example.se", &[Role::Administrator]).await;
    let anna = enrol(app, "Anna@Example.se").await;
    // The cookie as the issue names it: host-only, secure, not readable
    // by script, never sent cross-site, ending with the browser.
    let flags: Vec<&str> = anna.set_cookie.split(';').map(str::trim).collect();
    assert!(flags[0].starts_with("__Host-fridhem="), "{flags:?}");
    for flag in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(flags.contains(&flag), "{flag} missing: {flags:?}");
    }
    assert!(
        !anna.set_cookie.to_lowercase().contains("max-age"),
        "{}",
        anna.set_cookie
    );
    assert!(
        !anna.set_cookie.to_lowercase().contains("domain"),
        "{}",
        anna.set_cookie
    );

    let start = get(app, "/admin", Some(&anna.cookie)).await;
    assert_eq!(start.status(), 200);
    assert_eq!(start.headers()["cache-control"], "no-store");
    assert_eq!(start.headers()["x-robots-tag"], "noindex, nofollow");
    let csp = start.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let body = start.text().await.unwrap();
    assert!(body.contains("Person anna@example.se"), "{body}");
    assert!(body.contains("Administratör"));
    assert!(body.contains("action=\"/admin/logga-ut\""));

    // A signed-in person gets the public pages as everyone does.
    for path in ["/", "/hjalp", "/kontakt"] {
        let r = get(app, path, Some(&anna.cookie)).await;
        assert_eq!(r.status(), 200, "{path}");
        assert!(r.headers().get("set-cookie").is_none(), "{path}");
        assert!(!r.headers().get("vary").is_some_and(|v| v
            .to_str()
            .unwrap()
            .to_lowercase()
            .contains("cookie")));
    }

    let out = post(
        app,
        "/admin/logga-ut",
        Some(&anna.cookie),
        &[("csrf", &anna.csrf)],
    )
    .await;
    assert_eq!(out.status(), 303);
    assert_eq!(location(&out), "/admin/logga-in?utloggad=1");
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    // The old cookie replayed is anonymous.
    let replay = get(app, "/admin", Some(&anna.cookie)).await;
    assert_eq!(replay.status(), 303);
    assert_eq!(location(&replay), "/admin/logga-in?till=%2Fadmin");
    let page = get(app, "/admin/logga-in?utloggad=1", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Du är utloggad."));

    assert_eq!(
        audit_actions(app).await,
        ["account-created", "totp-enrolled", "sign-in", "sign-out"]
    );
    // Nothing secret in the log.
    let rows = fridhem::audit::store::recent(&app.db, 100).await.unwrap();
    for row in rows {
        let text = format!("{row:?}");
        assert!(
            !text.contains(staff::PASSWORD) && !text.contains(&anna.secret),
            "{text}"
        );
        assert!(
            !anna.recovery.iter().any(|c| text.contains(c.as_str())),
            "{text}"
        );
    }
}

async fn codes_are_used_once_within_one_step_of_drift(app: &TestApp, clock: &ManualClock) {
    create_account(app, "bo@example.se", &[Role::Redaktor]).await;
    let bo = enrol(app, "bo@example.se").await;
    // The enrolment's code cannot sign in again.
    let used = staff::code_now(app, &bo.secret);
    let refused = sign_in_with(app, &bo, &used).await.unwrap_err();
    assert_eq!(refused.0, 400);
    assert!(refused.1.contains("Koden stämmer inte"), "{}", refused.1);
    // The next step's code works now (drift), then not again.
    let step = totp::step(app.state.clock.now());
    let next = format!("{:06}", totp::code_at(&bo.secret, step + 1).unwrap());
    sign_in_with(app, &bo, &next)
        .await
        .expect("one step ahead is accepted");
    assert_eq!(sign_in_with(app, &bo, &next).await.unwrap_err().0, 400);
    // Two steps off is refused.
    clock.advance(Duration::seconds(60));
    let step = totp::step(app.state.clock.now());
    let far = format!("{:06}", totp::code_at(&bo.secret, step + 2).unwrap());
    assert_eq!(sign_in_with(app, &bo, &far).await.unwrap_err().0, 400);
    let old = format!("{:06}", totp::code_at(&bo.secret, step - 2).unwrap());
    assert_eq!(sign_in_with(app, &bo, &old).await.unwrap_err().0, 400);
    let now = staff::code_now(app, &bo.secret);
    sign_in_with(app, &bo, &now)
        .await
        .expect("the current code");
}

async fn recovery_codes_work_once(app: &TestApp, _clock: &ManualClock) {
    create_account(app, "cecilia@example.se", &[Role::HandlaggareTg]).await;
    let c = enrol(app, "cecilia@example.se").await;
    let code = c.recovery[3].to_uppercase().replace('-', " ");
    let again = sign_in_with(app, &c, &code)
        .await
        .expect("a recovery code signs in");
    assert_eq!(get(app, "/admin", Some(&again.cookie)).await.status(), 200);
    assert_eq!(
        sign_in_with(app, &c, &c.recovery[3]).await.unwrap_err().0,
        400
    );
    sign_in_with(app, &c, &c.recovery[4])
        .await
        .expect("another code still works");
    let actions = audit_actions(app).await;
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "recovery-code-used")
            .count(),
        2
    );
}

async fn failures_are_throttled_alike_for_known_and_unknown_addresses(
    app: &TestApp,
    clock: &ManualClock,
) {
    create_account(app, "dan@example.se", &[Role::Redaktor]).await;
    for email in ["dan@example.se", "ingen@example.se"] {
        let mut answers = vec![];
        for _ in 0..5 {
            let (status, page) = staff::password_step(app, email, "fel lösenord igen").await;
            assert!(
                page.contains("E-postadressen eller lösenordet stämmer inte.")
                    || page.contains("Försök igen kl."),
                "{page}"
            );
            answers.push(status);
        }
        // The fifth failure starts the wait: 09:01 in Stockholm.
        assert_eq!(answers, [400, 400, 400, 400, 400], "{email}");
        let (status, page) = staff::password_step(app, email, staff::PASSWORD).await;
        assert_eq!(status, 429, "{email}: {page}");
        assert!(page.contains("Försök igen kl. 09:01."), "{page}");
    }
    // The wait is over after a minute; the right password then works.
    clock.advance(Duration::seconds(61));
    let (status, page) = staff::password_step(app, "dan@example.se", staff::PASSWORD).await;
    assert_eq!(status, 200, "{page}");
    // Failed attempts are logged; an unknown address as "okänt konto",
    // without what was typed.
    let rows = fridhem::audit::store::recent(&app.db, 100).await.unwrap();
    let unknown: Vec<_> = rows
        .iter()
        .filter(|r| r.action == "sign-in-failed" && r.account_id.is_none())
        .collect();
    assert_eq!(unknown.len(), 5);
    assert!(unknown
        .iter()
        .all(|r| r.detail == "okänt konto" && r.object_id.is_none()));
    assert!(!rows
        .iter()
        .any(|r| format!("{r:?}").contains("ingen@example.se")));
}

async fn sessions_end_after_idle_and_absolute_limits(app: &TestApp, clock: &ManualClock) {
    create_account(app, "eva@example.se", &[Role::Redaktor]).await;
    let eva = enrol(app, "eva@example.se").await;
    clock.advance(Duration::minutes(29));
    assert_eq!(get(app, "/admin", Some(&eva.cookie)).await.status(), 200);
    clock.advance(Duration::minutes(29));
    assert_eq!(
        get(app, "/admin", Some(&eva.cookie)).await.status(),
        200,
        "touched 29 minutes ago"
    );
    clock.advance(Duration::minutes(31));
    assert_eq!(
        get(app, "/admin", Some(&eva.cookie)).await.status(),
        303,
        "idle for 31 minutes"
    );

    clock.advance(Duration::minutes(1));
    let code = staff::code_now(app, &eva.secret);
    let eva = sign_in_with(app, &eva, &code).await.unwrap();
    for _ in 0..29 {
        clock.advance(Duration::minutes(20));
        assert_eq!(get(app, "/admin", Some(&eva.cookie)).await.status(), 200);
    }
    // 9 h 40 min so far; the tenth hour ends it however active.
    clock.advance(Duration::minutes(20));
    assert_eq!(get(app, "/admin", Some(&eva.cookie)).await.status(), 303);
    let actions = audit_actions(app).await;
    assert_eq!(
        actions.iter().filter(|a| *a == "session-expired").count(),
        2
    );
}

/// Every row of the policy table, for anonymous, each role alone and an
/// administrator: the answer the table implies.
async fn the_route_matrix_follows_the_policy_table(app: &TestApp, clock: &ManualClock) {
    // The account the /admin/personal/{id} rows act on: not one of the
    // people below, so their sessions survive the matrix.
    let target = create_account(app, "maltavla@example.se", &[Role::Redaktor]).await;
    // Enrolled, so that a reset link for it is open.
    enrol(app, "maltavla@example.se").await;
    let mut people: Vec<(Option<Role>, SignedIn)> = vec![];
    for role in Role::ALL {
        let email = format!("{}@example.se", role.name());
        create_account(app, &email, &[role]).await;
        people.push((Some(role), enrol(app, &email).await));
    }
    create_account(app, "utan-roll@example.se", &[]).await;
    people.push((None, enrol(app, "utan-roll@example.se").await));
    // Open links for the {kod} rows: an invitation and a reset link.
    let admin_id = people[0].1.account_id(app).await;
    let invitation = staff::invite_directly(app, admin_id, "inbjuden@example.se").await;
    let mut reset = staff::reset_link_directly(app, target, "maltavla@example.se").await;
    // The case the {referens} rows act on: an accessibility report, so only
    // its handläggare (and administrators) get past the page's type check.
    let receipt = crate::helpers::forms::submit_valid(app, "/tillganglighet/rapportera").await;
    let case = crate::helpers::reference_of(&receipt, "/tillganglighet/rapportera")
        .unwrap()
        .to_owned();

    for (n, rule) in TABLE.iter().enumerate() {
        // A reset link lasts an hour and each POST row moves the clock:
        // a fresh one for its rows.
        if rule.path.starts_with("/admin/nytt-losenord/") && rule.method == reqwest::Method::GET {
            reset = staff::reset_link_directly(app, target, "maltavla@example.se").await;
        }
        let kod = if rule.path.starts_with("/admin/inbjudan/") {
            &invitation
        } else {
            &reset
        };
        let path = rule
            .path
            .replace("{referens}", &case)
            .replace("{kod}", kod)
            .replace("{id}", &target.to_string());
        let is_get = rule.method == reqwest::Method::GET;
        // Anonymous.
        let r = if is_get {
            get(app, &path, None).await
        } else {
            post(app, &path, None, &[]).await
        };
        let status = r.status().as_u16();
        match rule.access {
            Access::Anyone => assert!(
                status < 500 && status != 403 && !location(&r).starts_with("/admin/logga-in?till"),
                "{} {path}: {status}",
                rule.method
            ),
            _ => {
                assert_eq!(status, 303, "{} {path}", rule.method);
                assert!(
                    location(&r).starts_with("/admin/logga-in?till="),
                    "{} {path}",
                    rule.method
                );
            }
        }
        for entry in people.iter_mut() {
            let (role, person) = (&entry.0, &entry.1);
            let allowed = match rule.access {
                Access::Anyone | Access::SignedIn => true,
                // A case's page and actions: its type's handläggare only.
                Access::Roles(_) if rule.path.contains("{referens}") => {
                    role.is_some_and(|r| matches!(r, Role::Administrator | Role::HandlaggareTg))
                }
                Access::Roles(roles) => {
                    role.is_some_and(|r| r == Role::Administrator || roles.contains(&r))
                }
            };
            // A state-changing request may end the session (signing out):
            // each gets a fresh one.
            let person = if is_get {
                person.clone()
            } else {
                clock.advance(Duration::seconds(31));
                let code = staff::code_now(app, &person.secret);
                sign_in_with(app, person, &code).await.unwrap()
            };
            let r = if is_get {
                get(app, &path, Some(&person.cookie)).await
            } else {
                // Without the CSRF token: refused whoever asks.
                let forged = post(app, &path, Some(&person.cookie), &[]).await;
                if rule.access != Access::Anyone {
                    assert_eq!(forged.status(), 403, "{} {path} without CSRF", rule.method);
                }
                post(app, &path, Some(&person.cookie), &[("csrf", &person.csrf)]).await
            };
            let status = r.status().as_u16();
            if allowed {
                assert!(
                    matches!(status, 200 | 204 | 303 | 400 | 409),
                    "{} {path} as {role:?}: {status}",
                    rule.method
                );
                if rule.access != Access::Anyone {
                    assert!(
                        !location(&r).starts_with("/admin/logga-in?till="),
                        "{} {path} as {role:?}",
                        rule.method
                    );
                }
            } else {
                assert_eq!(status, 403, "{} {path} as {role:?}", rule.method);
                let html = r.text().await.unwrap();
                assert!(html.contains("Du har inte behörighet"), "{html}");
            }
            // "Avsluta alla andra sessioner" ends the session the GET rows
            // use: the next GET row gets a live one.
            let next_is_get = TABLE
                .get(n + 1)
                .is_some_and(|r| r.method == reqwest::Method::GET);
            if !is_get && next_is_get {
                let kept = entry.1.clone();
                if get(app, "/admin", Some(&kept.cookie)).await.status() != 200 {
                    clock.advance(Duration::seconds(31));
                    let code = staff::code_now(app, &kept.secret);
                    entry.1 = sign_in_with(app, &kept, &code).await.unwrap();
                }
            }
        }
    }
    // An address outside the table: sign in first, then 404.
    let r = get(app, "/admin/finns-inte", None).await;
    assert_eq!(location(&r), "/admin/logga-in?till=%2Fadmin%2Ffinns-inte");
    let admin = &people[0].1;
    let missing = get(app, "/admin/finns-inte", Some(&admin.cookie)).await;
    assert_eq!(missing.status(), 404);
    let html = missing.text().await.unwrap();
    assert!(
        html.contains("Sidan finns inte") && html.contains("för personal"),
        "{html}"
    );
    assert!(!html.contains("class=\"quick-exit\""));
}

/// A signed-in administrator follows every link and form on every
/// back-office page: each is in the policy table and none answers 5xx.
async fn a_signed_in_crawl_stays_inside_the_table(app: &TestApp, _clock: &ManualClock) {
    create_account(app, "admin@example.se", &[Role::Administrator]).await;
    let admin = enrol(app, "admin@example.se").await;
    crate::helpers::forms::submit_valid(app, "/kontakt").await;
    let mut queue = vec!["/admin".to_owned()];
    let mut seen = std::collections::HashSet::new();
    while let Some(path) = queue.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let bare = path.split('?').next().unwrap();
        assert!(
            fridhem::admin::policy::rule_for(&reqwest::Method::GET, bare).is_some(),
            "link to {path} is not in the policy table"
        );
        let r = get(app, &path, Some(&admin.cookie)).await;
        assert!(r.status().as_u16() < 500, "{path}: {}", r.status());
        let html = r.text().await.unwrap();
        for part in html.split("href=\"").skip(1) {
            let target = &part[..part.find('"').unwrap()];
            if target.starts_with("/admin") && target != "/admin/logga-ut" {
                queue.push(target.replace("&amp;", "&"));
            }
        }
        // Forms: a GET form (a search) is a page to visit; any other must
        // have its POST row.
        for tag in html.split("<form").skip(1) {
            let tag = &tag[..tag.find('>').unwrap()];
            let Some(start) = tag.find("action=\"") else {
                continue;
            };
            let rest = &tag[start + "action=\"".len()..];
            let target = &rest[..rest.find('"').unwrap()];
            if !target.starts_with("/admin") {
                continue;
            }
            if tag.contains("method=\"get\"") {
                queue.push(target.to_owned());
            } else {
                assert!(
                    fridhem::admin::policy::rule_for(&reqwest::Method::POST, target).is_some(),
                    "form to {target} is not in the policy table"
                );
            }
        }
    }
    assert!(
        seen.contains("/admin/logg"),
        "the crawl reached the audit log: {seen:?}"
    );
    assert!(
        seen.iter().any(|p| p.starts_with("/admin/arenden/KO-")),
        "the crawl reached a case: {seen:?}"
    );
}

async fn the_audit_log_refuses_changes(app: &TestApp, _clock: &ManualClock) {
    create_account(app, "frida@example.se", &[Role::Redaktor]).await;
    let update = fridhem::on_pool!(&app.db, |p| sqlx::query(
        "UPDATE audit_log SET detail = 'ändrad'"
    )
    .execute(p)
    .await
    .map(|_| ()));
    let error = update.expect_err("an UPDATE is refused").to_string();
    assert!(error.contains("append-only"), "{error}");
}

async fn cross_site_and_stale_sign_in_forms_are_refused(app: &TestApp, clock: &ManualClock) {
    create_account(app, "gun@example.se", &[Role::Redaktor]).await;
    let page = get(app, "/admin/logga-in", None)
        .await
        .text()
        .await
        .unwrap();
    let token = crate::helpers::forms::token_of(&page);
    let r = app
        .client
        .post(app.url("/admin/logga-in"))
        .header("Origin", "https://annan.example")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("token={token}&email=gun%40example.se&password=x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // A code form left open too long starts over.
    let (_, page) = staff::password_step(app, "gun@example.se", staff::PASSWORD).await;
    let pending = staff::value_of(&page, "pending");
    clock.advance(Duration::minutes(11));
    let r = post(
        app,
        "/admin/logga-in/registrera",
        None,
        &[("pending", &pending), ("code", "123456")],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Inloggningen tog för lång tid"));
    // A forged pending token is refused the same way.
    let r = post(
        app,
        "/admin/logga-in/kod",
        None,
        &[("pending", "1.1.kod.AAAA"), ("code", "123456")],
    )
    .await;
    assert_eq!(r.status(), 400);
}

clocked_tests!(
    first_sign_in_enrols_and_sign_out_ends_the_session,
    codes_are_used_once_within_one_step_of_drift,
    recovery_codes_work_once,
    failures_are_throttled_alike_for_known_and_unknown_addresses,
    sessions_end_after_idle_and_absolute_limits,
    the_route_matrix_follows_the_policy_table,
    a_signed_in_crawl_stays_inside_the_table,
    the_audit_log_refuses_changes,
    cross_site_and_stale_sign_in_forms_are_refused,
    keeping_the_session_alive_resets_the_idle_time,
    sign_in_never_adopts_an_earlier_cookie,
    a_form_sent_after_the_session_ended_is_offered_again,
    administrators_manage_accounts,
    parallel_attempts_are_throttled_too,
    a_form_from_an_earlier_session_is_offered_again,
);

/// Two instances on one PostgreSQL: a session started on one works on the
/// other, and signing out on one ends it on both.
#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn sessions_are_shared_by_instances() {
    let (a, _clock_a) = clocked(Backend::Postgres, None).await;
    let (b, _clock_b) = clocked(Backend::Postgres, Some(a.database_url.clone())).await;
    create_account(&a, "hanna@example.se", &[Role::Redaktor]).await;
    let hanna = enrol(&a, "hanna@example.se").await;
    assert_eq!(get(&b, "/admin", Some(&hanna.cookie)).await.status(), 200);
    let out = post(
        &b,
        "/admin/logga-ut",
        Some(&hanna.cookie),
        &[("csrf", &hanna.csrf)],
    )
    .await;
    assert_eq!(out.status(), 303);
    assert_eq!(get(&a, "/admin", Some(&hanna.cookie)).await.status(), 303);
    b.stop().await;
    a.stop().await;
}

/// `fridhem create-admin` / `fridhem staff add` as an operator runs them,
/// the password on standard input (no terminal).
pub(crate) fn account_command(
    dir: &std::path::Path,
    args: &[&str],
    password: &str,
) -> std::process::Output {
    staff_command(dir, args, Some(password))
}

/// The binary's command `args` in `dir`, with `input` as one line of
/// standard input, or with none.
pub(crate) fn staff_command(
    dir: &std::path::Path,
    args: &[&str],
    input: Option<&str>,
) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(crate::helpers::binary::BIN)
        .current_dir(dir)
        .env_clear()
        .args(args)
        .stdin(if input.is_some() {
            std::process::Stdio::piped()
        } else {
            std::process::Stdio::null()
        })
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(line) = input {
        writeln!(child.stdin.take().unwrap(), "{line}").unwrap();
    }
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn accounts_made_on_the_command_line_can_sign_in() {
    use crate::helpers::binary::{Binary, Start};
    let server = Binary::start(Start::default());
    let dir = server.dir.path();
    let admin = [
        "create-admin",
        "--email",
        "Ida@Example.se",
        "--name",
        "Ida Lind",
    ];
    let out = account_command(dir, &admin, staff::PASSWORD);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The same address again, however spelled: refused, exit code 1.
    let again = [
        "create-admin",
        "--email",
        "ida@example.se",
        "--name",
        "Ida Lind",
    ];
    let out = account_command(dir, &again, staff::PASSWORD);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("Det finns redan ett konto med e-postadressen ida@example.se"));
    // Each password rule says which one failed.
    let other = [
        "staff",
        "add",
        "--email",
        "jon@example.se",
        "--name",
        "Jon",
        "--role",
        "redaktor",
    ];
    for (password, says) in [
        ("kort", "minst 12 tecken"),
        ("password1234", "vanliga lösenord"),
        ("jon@example.se jon", "för lätt att gissa"),
    ] {
        let out = account_command(dir, &other, password);
        assert_eq!(out.status.code(), Some(1), "{password}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{password}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let unknown_role = [
        "staff",
        "add",
        "--email",
        "jon@example.se",
        "--name",
        "Jon",
        "--role",
        "chef",
    ];
    let out = account_command(dir, &unknown_role, staff::PASSWORD);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("handlaggare-tg"));
    let two_roles = [
        "staff",
        "add",
        "--email",
        "jon@example.se",
        "--name",
        "Jon",
        "--role",
        "redaktor",
        "--role",
        "handlaggare-ko",
    ];
    let out = account_command(dir, &two_roles, staff::PASSWORD);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The running server lets both start their first sign-in.
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{}", server.port);
    for email in ["ida@example.se", "jon@example.se"] {
        let page = client
            .get(format!("{base}/admin/logga-in"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = crate::helpers::forms::token_of(&page);
        let r = client
            .post(format!("{base}/admin/logga-in"))
            .header("Origin", "null")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(crate::helpers::forms::form_body(&[
                ("token", &token),
                ("email", email),
                ("password", staff::PASSWORD),
            ]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{email}");
        assert!(r.headers().get("set-cookie").is_none());
        assert!(
            r.text().await.unwrap().contains("id=\"secret\""),
            "{email} is asked to enrol"
        );
    }
}

/// "Fortsätt vara inloggad" keeps a session that would otherwise end.
async fn keeping_the_session_alive_resets_the_idle_time(app: &TestApp, clock: &ManualClock) {
    create_account(app, "kim@example.se", &[Role::Redaktor]).await;
    let kim = enrol(app, "kim@example.se").await;
    let page = get(app, "/admin", Some(&kim.cookie))
        .await
        .text()
        .await
        .unwrap();
    // The page says when to warn: two minutes before the end, with a
    // minute in hand.
    assert!(page.contains("data-warn-after=\"1620\""), "{page}");
    assert!(page.contains("data-ends-after=\"1740\""));
    assert!(page.contains("Fortsätt vara inloggad"));
    clock.advance(Duration::minutes(28));
    let kept = post(
        app,
        "/admin/sessionen",
        Some(&kim.cookie),
        &[("csrf", &kim.csrf)],
    )
    .await;
    assert_eq!(kept.status(), 204);
    clock.advance(Duration::minutes(28));
    assert_eq!(
        get(app, "/admin", Some(&kim.cookie)).await.status(),
        200,
        "56 minutes after sign-in, 28 after the keep-alive"
    );
    // Without the token nothing is kept.
    assert_eq!(
        post(app, "/admin/sessionen", Some(&kim.cookie), &[])
            .await
            .status(),
        403
    );
}

/// A cookie the browser had before signing in (planted, or from an ended
/// session) is never adopted: sign-in always makes a new session id.
async fn sign_in_never_adopts_an_earlier_cookie(app: &TestApp, clock: &ManualClock) {
    create_account(app, "lo@example.se", &[Role::Redaktor]).await;
    let first = enrol(app, "lo@example.se").await;
    let out = post(
        app,
        "/admin/logga-ut",
        Some(&first.cookie),
        &[("csrf", &first.csrf)],
    )
    .await;
    assert_eq!(out.status(), 303);
    for planted in [
        first.cookie.clone(),
        "__Host-fridhem=planted-by-someone-else".to_owned(),
    ] {
        clock.advance(Duration::seconds(31));
        let page = get(app, "/admin/logga-in", Some(&planted))
            .await
            .text()
            .await
            .unwrap();
        let token = crate::helpers::forms::token_of(&page);
        let r = post(
            app,
            "/admin/logga-in",
            Some(&planted),
            &[
                ("token", &token),
                ("email", "lo@example.se"),
                ("password", staff::PASSWORD),
            ],
        )
        .await;
        assert!(r.headers().get("set-cookie").is_none());
        let pending = staff::value_of(&r.text().await.unwrap(), "pending");
        let code = staff::code_now(app, &first.secret);
        let r = post(
            app,
            "/admin/logga-in/kod",
            Some(&planted),
            &[("pending", &pending), ("code", &code)],
        )
        .await;
        assert_eq!(r.status(), 303);
        let new_cookie = r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        assert_ne!(new_cookie, planted);
        assert_eq!(
            get(app, "/admin", Some(&planted)).await.status(),
            303,
            "{planted} stays anonymous"
        );
        assert_eq!(get(app, "/admin", Some(&new_cookie)).await.status(), 200);
    }
}

/// What a person sends after their session has ended is not lost: the
/// sign-in page keeps it, and after signing in it is shown back with a
/// button that sends it again under the new session.
async fn a_form_sent_after_the_session_ended_is_offered_again(app: &TestApp, clock: &ManualClock) {
    create_account(app, "maj@example.se", &[Role::Redaktor]).await;
    let maj = enrol(app, "maj@example.se").await;
    clock.advance(Duration::minutes(31));
    let note = "Ringde tillbaka.\nSvar kommer på måndag & <b>inte</b> förr.";
    let r = post(
        app,
        "/admin/sessionen",
        Some(&maj.cookie),
        &[("csrf", &maj.csrf), ("anteckning", note)],
    )
    .await;
    assert_eq!(
        r.status(),
        200,
        "the sign-in page, not a 303 that drops the form"
    );
    let page = r.text().await.unwrap();
    assert!(page.contains("Det du skickade är sparat"), "{page}");
    assert!(
        !page.contains("Ringde tillbaka"),
        "not shown before signing in"
    );
    let till = staff::value_of(&page, "till");
    assert!(till.starts_with("resend:"), "{till}");

    // Password and code, carrying the kept form along.
    let token = crate::helpers::forms::token_of(&page);
    // The browser still carries its ended session's cookie.
    let r = post(
        app,
        "/admin/logga-in",
        Some(&maj.cookie),
        &[
            ("token", &token),
            ("till", &till),
            ("email", "maj@example.se"),
            ("password", staff::PASSWORD),
        ],
    )
    .await;
    let page = r.text().await.unwrap();
    let pending = staff::value_of(&page, "pending");
    let code = staff::code_now(app, &maj.secret);
    // Another browser (without that cookie) is not shown the form.
    let elsewhere = post(
        app,
        "/admin/logga-in/kod",
        None,
        &[("pending", &pending), ("till", &till), ("code", "000000")],
    )
    .await;
    assert_eq!(elsewhere.status(), 400, "a wrong code, and no form");
    assert!(!elsewhere.text().await.unwrap().contains("Ringde tillbaka"));
    let r = post(
        app,
        "/admin/logga-in/kod",
        Some(&maj.cookie),
        &[("pending", &pending), ("till", &till), ("code", &code)],
    )
    .await;
    assert_eq!(r.status(), 200);
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let page = r.text().await.unwrap();
    assert!(page.contains("Det du skrev är inte skickat än"), "{page}");
    assert!(page.contains("action=\"/admin/sessionen\""));
    assert!(
        page.contains("&#60;b&#62;inte&#60;/b&#62;") && !page.contains("<b>inte"),
        "escaped: {page}"
    );
    let csrf = staff::value_of(&page, "csrf");
    let again = post(
        app,
        "/admin/sessionen",
        Some(&cookie),
        &[("csrf", &csrf), ("anteckning", note)],
    )
    .await;
    assert_eq!(again.status(), 204);

    // A kept form that was tampered with is not offered, even with the
    // cookie it was kept under.
    let forged = format!("{}x", &till[..till.len() - 1]);
    clock.advance(Duration::seconds(31));
    let (_, page) = staff::password_step(app, "maj@example.se", staff::PASSWORD).await;
    let pending = staff::value_of(&page, "pending");
    let code = staff::code_now(app, &maj.secret);
    let r = post(
        app,
        "/admin/logga-in/kod",
        Some(&maj.cookie),
        &[("pending", &pending), ("till", &forged), ("code", &code)],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/admin");

    // A link never carries a kept form into the sign-in page.
    let link = format!(
        "/admin/logga-in?till={}",
        url::form_urlencoded::byte_serialize(till.as_bytes()).collect::<String>()
    );
    let page = get(app, &link, None).await.text().await.unwrap();
    assert_eq!(staff::value_of(&page, "till"), "/admin");
    // Nor is a form kept for a browser that had no session at all.
    let r = post(app, "/admin/sessionen", None, &[("anteckning", "hej")]).await;
    assert_eq!(r.status(), 303);
}

async fn account_id_of(app: &TestApp, email: &str) -> i64 {
    fridhem::auth::store::account_by_email(&app.db, email)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Roles, status and second factor changed by an administrator take
/// effect at the person's next request; the last administrator stays.
async fn administrators_manage_accounts(app: &TestApp, clock: &ManualClock) {
    create_account(app, "anna@example.se", &[Role::Administrator]).await;
    let bo_id = create_account(app, "bo@example.se", &[Role::HandlaggareTg]).await;
    let anna = enrol(app, "anna@example.se").await;
    let bo = enrol(app, "bo@example.se").await;
    let act = |path: String, fields: Vec<(&'static str, String)>| {
        let anna = anna.clone();
        async move {
            let mut all: Vec<(&str, &str)> = vec![("csrf", anna.csrf.as_str())];
            all.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
            post(app, &path, Some(&anna.cookie), &all).await
        }
    };

    // A row of the list, by its e-mail cell (the header names the
    // signed-in person too).
    let row = |email: &str| format!("data-label=\"E-post\">{email}<");
    let list = get(app, "/admin/personal", Some(&anna.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains(&row("anna@example.se")) && list.contains(&row("bo@example.se")));
    let only_tg = get(
        app,
        "/admin/personal?roll=handlaggare-tg",
        Some(&anna.cookie),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(only_tg.contains(&row("bo@example.se")) && !only_tg.contains(&row("anna@example.se")));
    let none = get(
        app,
        "/admin/personal?status=deactivated",
        Some(&anna.cookie),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(none.contains("0 konton"), "{none}");
    let down = get(
        app,
        "/admin/personal?sortera=namn-fallande",
        Some(&anna.cookie),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        down.find(&row("bo@example.se")).unwrap() < down.find(&row("anna@example.se")).unwrap()
    );
    assert_eq!(
        get(app, "/admin/personal", Some(&bo.cookie)).await.status(),
        403
    );

    // Roles: at Bo's next request.
    let r = act(
        format!("/admin/personal/{bo_id}/roller"),
        vec![("roll", "redaktor".into())],
    )
    .await;
    assert_eq!(r.status(), 303);
    let start = get(app, "/admin", Some(&bo.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        start.contains("Redaktör") && !start.contains("tillgänglighetsärenden"),
        "{start}"
    );
    // A role that does not exist is a forged form.
    let r = act(
        format!("/admin/personal/{bo_id}/roller"),
        vec![("roll", "chef".into())],
    )
    .await;
    assert_eq!(r.status(), 422);

    // Deactivation ends Bo's session and refuses him like a wrong password.
    let r = act(format!("/admin/personal/{bo_id}/stang-av"), vec![]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(get(app, "/admin", Some(&bo.cookie)).await.status(), 303);
    let (status, page) = staff::password_step(app, "bo@example.se", staff::PASSWORD).await;
    assert_eq!(status, 400);
    assert!(page.contains("E-postadressen eller lösenordet stämmer inte."));
    let r = act(format!("/admin/personal/{bo_id}/ateraktivera"), vec![]).await;
    assert_eq!(r.status(), 303);
    clock.advance(Duration::seconds(31));
    let code = staff::code_now(app, &bo.secret);
    let bo = sign_in_with(app, &bo, &code).await.expect("reactivated");

    // A reset second factor ends the session; the next sign-in enrols.
    let r = act(format!("/admin/personal/{bo_id}/tvasteg"), vec![]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(get(app, "/admin", Some(&bo.cookie)).await.status(), 303);
    let (status, page) = staff::password_step(app, "bo@example.se", staff::PASSWORD).await;
    assert_eq!(status, 200);
    assert!(page.contains("id=\"secret\""), "enrols again");

    // The last administrator can neither leave nor lose the role.
    let anna_id = account_id_of(app, "anna@example.se").await;
    let r = act(format!("/admin/personal/{anna_id}/stang-av"), vec![]).await;
    assert_eq!(r.status(), 409);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("minst en aktiv administratör"));
    let r = act(
        format!("/admin/personal/{anna_id}/roller"),
        vec![("roll", "redaktor".into())],
    )
    .await;
    assert_eq!(r.status(), 409);
    // With a second administrator she can.
    let r = act(
        format!("/admin/personal/{bo_id}/roller"),
        vec![("roll", "administrator".into())],
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = act(
        format!("/admin/personal/{anna_id}/roller"),
        vec![("roll", "redaktor".into())],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        get(app, "/admin/personal", Some(&anna.cookie))
            .await
            .status(),
        403,
        "no longer an administrator"
    );

    let actions = audit_actions(app).await;
    for action in [
        "roles-changed",
        "account-deactivated",
        "account-reactivated",
        "second-factor-reset",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
}

/// Deactivation and a removed role on one instance hold on the other at
/// the next request (PostgreSQL).
#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn account_changes_reach_every_instance() {
    let (a, _clock_a) = clocked(Backend::Postgres, None).await;
    let (b, _clock_b) = clocked(Backend::Postgres, Some(a.database_url.clone())).await;
    create_account(&a, "admin@example.se", &[Role::Administrator]).await;
    let ida = create_account(&a, "ida@example.se", &[Role::Administrator, Role::Redaktor]).await;
    let admin = enrol(&a, "admin@example.se").await;
    let ida_session = enrol(&b, "ida@example.se").await;
    assert_eq!(
        get(&b, "/admin/personal", Some(&ida_session.cookie))
            .await
            .status(),
        200
    );
    let r = post(
        &a,
        &format!("/admin/personal/{ida}/roller"),
        Some(&admin.cookie),
        &[("csrf", &admin.csrf), ("roll", "redaktor")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        get(&b, "/admin/personal", Some(&ida_session.cookie))
            .await
            .status(),
        403
    );
    let r = post(
        &a,
        &format!("/admin/personal/{ida}/stang-av"),
        Some(&admin.cookie),
        &[("csrf", &admin.csrf)],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        get(&b, "/admin", Some(&ida_session.cookie)).await.status(),
        303
    );
    b.stop().await;
    a.stop().await;
}

/// Attempts sent all at once cannot slip past the throttle while the
/// first ones are being checked: each is counted before it is verified.
async fn parallel_attempts_are_throttled_too(app: &TestApp, _clock: &ManualClock) {
    create_account(app, "nils@example.se", &[Role::Redaktor]).await;
    let page = get(app, "/admin/logga-in", None)
        .await
        .text()
        .await
        .unwrap();
    let token = crate::helpers::forms::token_of(&page);
    let attempts: Vec<_> = (0..20)
        .map(|i| {
            let token = token.clone();
            let url = app.url("/admin/logga-in");
            let client = app.client.clone();
            tokio::spawn(async move {
                client
                    .post(url)
                    .header("Origin", "null")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(crate::helpers::forms::form_body(&[
                        ("token", &token),
                        ("email", "nils@example.se"),
                        ("password", &format!("fel gissning nummer {i}")),
                    ]))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = vec![];
    for a in attempts {
        statuses.push(a.await.unwrap());
    }
    statuses.sort_unstable();
    let checked = statuses.iter().filter(|s| **s == 400).count();
    let waited = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, waited), (5, 15), "{statuses:?}");
}

/// A form from a page of an earlier session (signed in again meanwhile,
/// in another tab) is refused with 403 and offered again, not lost.
async fn a_form_from_an_earlier_session_is_offered_again(app: &TestApp, clock: &ManualClock) {
    create_account(app, "olle@example.se", &[Role::Redaktor]).await;
    let first = enrol(app, "olle@example.se").await;
    clock.advance(Duration::seconds(31));
    let code = staff::code_now(app, &first.secret);
    let second = sign_in_with(app, &first, &code).await.unwrap();
    let r = post(
        app,
        "/admin/sessionen",
        Some(&second.cookie),
        &[
            ("csrf", &first.csrf),
            ("anteckning", "Skrivet i den gamla fliken"),
        ],
    )
    .await;
    assert_eq!(r.status(), 403, "refused, changing nothing");
    let page = r.text().await.unwrap();
    assert!(page.contains("Skrivet i den gamla fliken"), "{page}");
    assert!(page.contains("action=\"/admin/sessionen\""));
    let csrf = staff::value_of(&page, "csrf");
    assert_eq!(csrf, second.csrf);
    let again = post(
        app,
        "/admin/sessionen",
        Some(&second.cookie),
        &[
            ("csrf", &csrf),
            ("anteckning", "Skrivet i den gamla fliken"),
        ],
    )
    .await;
    assert_eq!(again.status(), 204);
    // Nothing but a stale token: a plain 403.
    let bare = post(
        app,
        "/admin/sessionen",
        Some(&second.cookie),
        &[("csrf", &first.csrf)],
    )
    .await;
    assert_eq!(bare.status(), 403);
    assert!(!bare.text().await.unwrap().contains("Skicka igen"));
}
