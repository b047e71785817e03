//! Staff accounts in the browser (issue 10): invitations, forgotten
//! passwords and everyone's own account page, over HTTP on both databases
//! with a clock the tests move; the e-mails through the outbox and, in one
//! test per database, a real SMTP server.

use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use fridhem::auth::Role;
use fridhem::clock::ManualClock;

use crate::helpers::staff::{
    self, act, create_account, enrol, get, link_in_outbox, post, sign_in_with, token_after,
    value_of, SignedIn, PASSWORD,
};
use crate::helpers::{spawn_app_with, Backend, Options, TestApp};
use crate::staff::{audit_actions, clocked, clocked_tests};

const NEW_PASSWORD: &str = "korsord hamnkran vinbär fyrtorn";

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

async fn text(r: reqwest::Response) -> (u16, String) {
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Chooses `password` on a link's page; returns the answer to the POST.
async fn choose(app: &TestApp, path: &str, password: &str, again: &str) -> reqwest::Response {
    let (status, page) = text(get(app, path, None).await).await;
    assert_eq!(status, 200, "{page}");
    let token = value_of(&page, "token");
    post(
        app,
        path,
        None,
        &[
            ("token", &token),
            ("password", password),
            ("password2", again),
        ],
    )
    .await
}

async fn invitations_are_single_use_and_expire(app: &TestApp, clock: &ManualClock) {
    create_account(app, "anna@example.se", &[Role::Administrator]).await;
    let anna = enrol(app, "anna@example.se").await;

    // The form: every role as a checkbox with the role's name as value.
    let (status, form) = text(get(app, "/admin/personal/bjud-in", Some(&anna.cookie)).await).await;
    assert_eq!(status, 200);
    for role in Role::ALL {
        assert!(form.contains(&format!("name=\"roll\" value=\"{}\"", role.name())));
    }
    let list = get(app, "/admin/personal", Some(&anna.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("href=\"/admin/personal/bjud-in\">Bjud in<"));

    // Refused with reasons, nothing stored.
    let (status, page) = text(
        act(
            app,
            &anna,
            "/admin/personal/bjud-in",
            &[("email", "inte-en-adress")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    assert!(page.contains("Det finns ett problem"));
    assert!(
        page.contains("namn@kommun.se")
            && page.contains("Skriv personens namn")
            && page.contains("Välj minst en roll")
    );
    let (status, _) = text(
        act(
            app,
            &anna,
            "/admin/personal/bjud-in",
            &[("email", "a@b.se"), ("name", "A"), ("roll", "kung")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "a role that is no checkbox");
    let (status, page) = text(
        act(
            app,
            &anna,
            "/admin/personal/bjud-in",
            &[
                ("email", "ANNA@example.se"),
                ("name", "Anna"),
                ("roll", "redaktor"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    assert!(page.contains("Det finns redan ett konto"));

    // Invited: an account in state "inbjuden", a mail in the outbox with
    // only the link's token, and only the token's hash stored.
    let r = act(
        app,
        &anna,
        "/admin/personal/bjud-in",
        &[
            ("email", "Nora@Example.se"),
            ("name", "Nora Nilsson"),
            ("roll", "handlaggare-tg"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let person = location(&r);
    assert!(person.ends_with("?klart=inbjuden"), "{person}");
    let page = get(app, &person, Some(&anna.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Inbjudan är skickad")
            && page.contains("inbjuden")
            && page.contains("Skicka ny inbjudan")
    );
    let token = link_in_outbox(app, "nora@example.se", "/admin/inbjudan").await;
    let stored: Vec<String> = fridhem::on_pool!(&app.db, |p| sqlx::query_scalar(
        "SELECT token_hash FROM staff_links"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert_eq!(stored, vec![fridhem::auth::session::hash(&token)]);
    let mail = crate::helpers::outbox_to(app, "nora@example.se").await;
    assert_eq!(mail.len(), 1);
    let (subject, body) = (mail[0].subject.clone(), mail[0].body.clone());
    assert_eq!(subject, "Inbjudan till Fridhem");
    assert!(
        body.contains("Person anna@example.se") && body.contains("gäller till"),
        "{body}"
    );
    assert!(
        !body.to_lowercase().contains("lösenord:"),
        "no password in mail"
    );
    // Not an account one can sign in to yet.
    let (status, page) = staff::password_step(app, "nora@example.se", PASSWORD).await;
    assert_eq!(status, 400);
    assert!(page.contains("E-postadressen eller lösenordet stämmer inte"));

    // The link: a weak password and a mismatch are refused with reasons.
    let path = format!("/admin/inbjudan/{token}");
    let (status, page) = text(choose(app, &path, "nora1234", "nora1234").await).await;
    assert_eq!(status, 400);
    assert!(page.contains("minst 12 tecken"), "{page}");
    let (status, page) = text(choose(app, &path, NEW_PASSWORD, "något annat här").await).await;
    assert_eq!(status, 400);
    assert!(page.contains("Lösenorden är inte lika"));
    // A good one: straight on to enrolling the app, then signed in.
    let (status, page) = text(choose(app, &path, NEW_PASSWORD, NEW_PASSWORD).await).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Koppla din app"));
    let nora = staff::enrol_on_page(app, "nora@example.se", &page).await;
    // She sees what her role allows and nothing more.
    assert_eq!(
        get(app, "/admin/personal", Some(&nora.cookie))
            .await
            .status(),
        403
    );
    assert_eq!(
        get(app, "/admin/konto", Some(&nora.cookie)).await.status(),
        200
    );
    let list = get(app, "/admin/personal?status=active", Some(&anna.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("data-label=\"E-post\">nora@example.se<"));
    // The link worked once.
    let (status, page) = text(get(app, &path, None).await).await;
    assert_eq!(status, 410);
    assert!(page.contains("redan använd"));
    let (status, _) = text(choose_post_only(app, &path).await).await;
    assert_eq!(status, 410);

    // A new invitation voids the old link; the page names whom to ask.
    let r = act(
        app,
        &anna,
        "/admin/personal/bjud-in",
        &[
            ("email", "olle@example.se"),
            ("name", "Olle Ek"),
            ("roll", "redaktor"),
        ],
    )
    .await;
    let olle = location(&r);
    let first = link_in_outbox(app, "olle@example.se", "/admin/inbjudan").await;
    let id = olle
        .trim_start_matches("/admin/personal/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    clock.advance(Duration::minutes(20));
    let r = act(
        app,
        &anna,
        &format!("/admin/personal/{id}/ny-inbjudan"),
        &[],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).ends_with("?klart=ny-inbjudan"));
    let second = link_in_outbox(app, "olle@example.se", "/admin/inbjudan").await;
    assert_ne!(first, second);
    let (status, page) = text(get(app, &format!("/admin/inbjudan/{first}"), None).await).await;
    assert_eq!(status, 410);
    assert!(
        page.contains("gäller inte längre")
            && page.contains("Person anna@example.se (anna@example.se)"),
        "{page}"
    );
    assert_eq!(
        get(app, &format!("/admin/inbjudan/{second}"), None)
            .await
            .status(),
        200
    );
    // 72 hours later the newest one has expired too.
    clock.advance(Duration::hours(72));
    let (status, page) = text(get(app, &format!("/admin/inbjudan/{second}"), None).await).await;
    assert_eq!(status, 410);
    assert!(
        page.contains("har gått ut") && page.contains("anna@example.se"),
        "{page}"
    );
    let (status, _) = text(choose_post_only(app, &format!("/admin/inbjudan/{second}")).await).await;
    assert_eq!(status, 410, "an expired link sets no password");
    // Deactivated and reactivated before choosing a password: invited
    // again, and told so.
    let code = staff::code_now(app, &anna.secret);
    let anna = sign_in_with(app, &anna, &code).await.unwrap();
    assert_eq!(
        act(app, &anna, &format!("/admin/personal/{id}/stang-av"), &[])
            .await
            .status(),
        303
    );
    let r = act(
        app,
        &anna,
        &format!("/admin/personal/{id}/ateraktivera"),
        &[],
    )
    .await;
    let page = get(app, &location(&r), Some(&anna.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("återaktiverat som inbjudet") && page.contains("Skicka ny inbjudan"),
        "{page}"
    );
    // A link we never sent, and a malformed one.
    let (status, page) =
        text(get(app, &format!("/admin/inbjudan/{}", "A".repeat(43)), None).await).await;
    assert_eq!(status, 404);
    assert!(page.contains("Länken fungerar inte"));
    assert_eq!(
        get(app, "/admin/inbjudan/%3Cscript%3E", None)
            .await
            .status(),
        404
    );
    // An active account gets no invitation.
    let nora_id = nora.account_id(app).await;
    let r = act(
        app,
        &anna,
        &format!("/admin/personal/{nora_id}/ny-inbjudan"),
        &[],
    )
    .await;
    assert_eq!(r.status(), 409);

    let actions = audit_actions(app).await;
    assert_eq!(
        actions.iter().filter(|a| *a == "invitation-sent").count(),
        3
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "invitation-accepted")
            .count(),
        1
    );
    // The log never holds a link token.
    let details: Vec<String> = fridhem::on_pool!(&app.db, |p| sqlx::query_scalar(
        "SELECT detail FROM audit_log"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert!(details
        .iter()
        .all(|d| !d.contains(&token) && !d.contains(&first) && !d.contains(&second)));
}

/// A POST to a link's address with a fresh-looking but empty form.
async fn choose_post_only(app: &TestApp, path: &str) -> reqwest::Response {
    post(
        app,
        path,
        None,
        &[
            ("token", "x"),
            ("password", NEW_PASSWORD),
            ("password2", NEW_PASSWORD),
        ],
    )
    .await
}

async fn request_reset(app: &TestApp, email: &str) -> (u16, String) {
    let page = get(app, "/admin/glomt-losenord", None)
        .await
        .text()
        .await
        .unwrap();
    let token = value_of(&page, "token");
    text(
        post(
            app,
            "/admin/glomt-losenord",
            None,
            &[("token", &token), ("email", email)],
        )
        .await,
    )
    .await
}

async fn outbox_count(app: &TestApp, to: &str) -> i64 {
    crate::helpers::outbox_to(app, to).await.len() as i64
}

async fn forgotten_passwords_get_a_link_that_works_once_within_an_hour(
    app: &TestApp,
    clock: &ManualClock,
) {
    create_account(app, "hanna@example.se", &[Role::Redaktor]).await;
    let hanna = enrol(app, "hanna@example.se").await;
    let sign_in_page = get(app, "/admin/logga-in", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(sign_in_page.contains("href=\"/admin/glomt-losenord\""));

    // The same answer for a known and an unknown address.
    let known = request_reset(app, "Hanna@example.se").await;
    let unknown = request_reset(app, "ingen@example.se").await;
    assert_eq!(known.0, 200);
    assert_eq!(known, unknown);
    assert!(known.1.contains("Om adressen hör till ett aktivt konto"));
    assert_eq!(outbox_count(app, "ingen@example.se").await, 0);
    let token = link_in_outbox(app, "hanna@example.se", "/admin/nytt-losenord").await;
    let mail = crate::helpers::outbox_to(app, "hanna@example.se").await;
    assert_eq!(mail.len(), 1);
    let (subject, body) = (mail[0].subject.clone(), mail[0].body.clone());
    assert_eq!(subject, "Nytt lösenord till Fridhem");
    assert!(body.contains("en timme"));

    // Following it: a new password ends every session.
    let path = format!("/admin/nytt-losenord/{token}");
    let (status, page) = text(choose(app, &path, "hanna", "hanna").await).await;
    assert_eq!(status, 400, "{page}");
    let r = choose(app, &path, NEW_PASSWORD, NEW_PASSWORD).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/admin/logga-in?bytt=1");
    assert!(r.headers().get("set-cookie").is_none());
    let after = get(app, "/admin/logga-in?bytt=1", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(after.contains("Ditt lösenord är bytt"));
    let r = get(app, "/admin", Some(&hanna.cookie)).await;
    assert_eq!(r.status(), 303, "the old session has ended");
    // The old password no longer works; the new one still asks for a code.
    assert_eq!(
        staff::password_step(app, "hanna@example.se", PASSWORD)
            .await
            .0,
        400
    );
    let (status, page) = staff::password_step(app, "hanna@example.se", NEW_PASSWORD).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Skriv koden från din app"),
        "the second factor stays"
    );
    // Used once.
    let (status, page) = text(get(app, &path, None).await).await;
    assert_eq!(status, 410);
    assert!(page.contains("redan använd"));

    // A newer link voids the older one; an hour later it has expired.
    clock.advance(Duration::minutes(2));
    request_reset(app, "hanna@example.se").await;
    let older = link_in_outbox(app, "hanna@example.se", "/admin/nytt-losenord").await;
    request_reset(app, "hanna@example.se").await;
    let newer = link_in_outbox(app, "hanna@example.se", "/admin/nytt-losenord").await;
    assert_ne!(older, newer);
    let (status, page) = text(get(app, &format!("/admin/nytt-losenord/{older}"), None).await).await;
    assert_eq!(status, 410);
    assert!(page.contains("gäller inte längre"));
    assert_eq!(
        get(app, &format!("/admin/nytt-losenord/{newer}"), None)
            .await
            .status(),
        200
    );
    clock.advance(Duration::hours(1));
    let (status, page) = text(get(app, &format!("/admin/nytt-losenord/{newer}"), None).await).await;
    assert_eq!(status, 410);
    assert!(page.contains("har gått ut"));
    // An invitation token is no reset link, and the reverse.
    let (status, _) = text(get(app, &format!("/admin/inbjudan/{newer}"), None).await).await;
    assert_eq!(status, 404);

    // A deactivated account gets the same answer and no mail.
    let bo = create_account(app, "bo@example.se", &[Role::Redaktor]).await;
    create_account(app, "admin@example.se", &[Role::Administrator]).await;
    let admin = enrol(app, "admin@example.se").await;
    assert_eq!(
        act(app, &admin, &format!("/admin/personal/{bo}/stang-av"), &[])
            .await
            .status(),
        303
    );
    let (status, page) = request_reset(app, "bo@example.se").await;
    assert_eq!((status, page), unknown);
    assert_eq!(outbox_count(app, "bo@example.se").await, 0);

    // An account without its app (never signed in, or the second factor
    // reset) gets no link: the mailbox alone must not open it. A link sent
    // before the reset stops working.
    let cecilia = create_account(app, "cecilia@example.se", &[Role::Redaktor]).await;
    assert_eq!(request_reset(app, "cecilia@example.se").await, unknown);
    assert_eq!(outbox_count(app, "cecilia@example.se").await, 0);
    enrol(app, "cecilia@example.se").await;
    request_reset(app, "cecilia@example.se").await;
    let open = link_in_outbox(app, "cecilia@example.se", "/admin/nytt-losenord").await;
    assert_eq!(
        get(app, &format!("/admin/nytt-losenord/{open}"), None)
            .await
            .status(),
        200
    );
    assert_eq!(
        act(
            app,
            &admin,
            &format!("/admin/personal/{cecilia}/tvasteg"),
            &[]
        )
        .await
        .status(),
        303
    );
    let (status, page) = text(get(app, &format!("/admin/nytt-losenord/{open}"), None).await).await;
    assert_eq!(status, 410);
    assert!(page.contains("gäller inte längre"));
    let (status, _) =
        text(choose_post_only(app, &format!("/admin/nytt-losenord/{open}")).await).await;
    assert_eq!(status, 410);

    // Throttled per address, alike for known and unknown: five requests,
    // then a wait.
    for email in ["admin@example.se", "okand@example.se"] {
        for _ in 0..5 {
            assert_eq!(request_reset(app, email).await.0, 200);
        }
        let (status, page) = request_reset(app, email).await;
        assert_eq!(status, 429, "{email}");
        assert!(page.contains("Försök igen kl."));
    }
    assert_eq!(outbox_count(app, "admin@example.se").await, 5);

    let actions = audit_actions(app).await;
    assert!(actions.contains(&"password-reset-requested".to_owned()));
    assert_eq!(actions.iter().filter(|a| *a == "password-reset").count(), 1);
}

async fn everyone_manages_their_own_account(app: &TestApp, clock: &ManualClock) {
    create_account(app, "hanna@example.se", &[Role::Redaktor]).await;
    let first = enrol(app, "hanna@example.se").await;
    clock.advance(Duration::seconds(31));
    let code = staff::code_now(app, &first.secret);
    let second = sign_in_with(app, &first, &code).await.unwrap();

    // Her sessions, this one marked.
    let (status, page) = text(get(app, "/admin/konto", Some(&first.cookie)).await).await;
    assert_eq!(status, 200);
    assert!(page.contains("Den här"));
    assert_eq!(
        page.matches("name=\"session\"").count(),
        1,
        "one other session to end"
    );
    assert!(page.contains("Avsluta alla andra sessioner"));
    assert!(
        page.contains("href=\"/admin/konto\""),
        "the header links to the account page"
    );

    // Changing the password needs the current one, and ends the others.
    let change = |current: &'static str, new: &'static str| {
        let first = first.clone();
        async move {
            text(
                act(
                    app,
                    &first,
                    "/admin/konto/losenord",
                    &[("current", current), ("password", new), ("password2", new)],
                )
                .await,
            )
            .await
        }
    };
    let (status, page) = change("fel lösenord helt klart", NEW_PASSWORD).await;
    assert_eq!(status, 400);
    assert!(page.contains("Det nuvarande lösenordet stämmer inte"));
    let (status, page) = change(PASSWORD, "kort").await;
    assert_eq!(status, 400);
    assert!(page.contains("minst 12 tecken"));
    let (status, _) = change(PASSWORD, NEW_PASSWORD).await;
    assert_eq!(status, 303);
    assert_eq!(
        get(app, "/admin", Some(&second.cookie)).await.status(),
        303,
        "the other session ended"
    );
    let (status, page) =
        text(get(app, "/admin/konto?klart=losenord", Some(&first.cookie)).await).await;
    assert_eq!(status, 200, "this session goes on");
    assert!(page.contains("Ditt lösenord är bytt"));
    assert_eq!(
        staff::password_step(app, "hanna@example.se", PASSWORD)
            .await
            .0,
        400
    );
    assert_eq!(
        staff::password_step(app, "hanna@example.se", NEW_PASSWORD)
            .await
            .0,
        200
    );
    // Passwords are never kept over a sign-in nor shown back: not from an
    // ended session, not from a page of an earlier one.
    let secret_form = [
        ("current", "mitt hemliga lösenord"),
        ("password", "nytt hemligt lösenord 1"),
        ("password2", "nytt hemligt lösenord 1"),
    ];
    let r = act(app, &second, "/admin/konto/losenord", &secret_form).await;
    assert_eq!(
        r.status(),
        303,
        "nothing worth keeping: straight to sign-in"
    );
    assert!(location(&r).starts_with("/admin/logga-in?till="));
    let mut stale = vec![("csrf", second.csrf.as_str())];
    stale.extend_from_slice(&secret_form);
    let (status, page) =
        text(post(app, "/admin/konto/losenord", Some(&first.cookie), &stale).await).await;
    assert_eq!(status, 403);
    assert!(!page.contains("hemlig"), "{page}");
    let mut mixed = stale.clone();
    mixed.push(("namn", "Hanna"));
    let (status, page) =
        text(post(app, "/admin/konto/losenord", Some(&first.cookie), &mixed).await).await;
    assert_eq!(status, 403);
    assert!(page.contains("Hanna") && !page.contains("hemlig"), "{page}");

    // New recovery codes need a code from the app; the old ones stop.
    let (status, page) = text(
        act(
            app,
            &first,
            "/admin/konto/aterstallningskoder",
            &[("code", "000000")],
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    assert!(page.contains("Koden stämmer inte"));
    clock.advance(Duration::seconds(31));
    let code = staff::code_now(app, &first.secret);
    let (status, page) = text(
        act(
            app,
            &first,
            "/admin/konto/aterstallningskoder",
            &[("code", &code)],
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    let codes: Vec<String> = page
        .split("<li>")
        .skip(1)
        .filter_map(|s| s.split("</li>").next())
        .filter(|s| s.len() == 11 && s.as_bytes()[5] == b'-')
        .map(str::to_owned)
        .collect();
    assert_eq!(codes.len(), 10, "{page}");
    // The same code twice is refused (used up).
    let (status, _) = text(
        act(
            app,
            &first,
            "/admin/konto/aterstallningskoder",
            &[("code", &code)],
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    let with_new_password = SignedIn {
        email: first.email.clone(),
        ..first.clone()
    };
    let old = first.recovery[0].clone();
    let refused = sign_in_with_password(app, &with_new_password, &old).await;
    assert!(refused.is_err(), "an old recovery code no longer works");
    let third = sign_in_with_password(app, &with_new_password, &codes[0])
        .await
        .expect("a new code works");

    // Ending one session, then all others.
    let page = get(app, "/admin/konto", Some(&first.cookie))
        .await
        .text()
        .await
        .unwrap();
    let handle = value_of(&page, "session");
    assert_eq!(handle.len(), 16);
    let r = act(
        app,
        &first,
        "/admin/konto/sessioner/avsluta",
        &[("session", &handle)],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(get(app, "/admin", Some(&third.cookie)).await.status(), 303);
    assert_eq!(get(app, "/admin", Some(&first.cookie)).await.status(), 200);
    clock.advance(Duration::seconds(31));
    let code = staff::code_now(app, &first.secret);
    let fourth = sign_in_with_password(app, &with_new_password, &code)
        .await
        .unwrap();
    clock.advance(Duration::seconds(31));
    let code = staff::code_now(app, &first.secret);
    let fifth = sign_in_with_password(app, &with_new_password, &code)
        .await
        .unwrap();
    let r = act(app, &first, "/admin/konto/sessioner/avsluta-andra", &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(get(app, "/admin", Some(&fourth.cookie)).await.status(), 303);
    assert_eq!(get(app, "/admin", Some(&fifth.cookie)).await.status(), 303);
    assert_eq!(get(app, "/admin", Some(&first.cookie)).await.status(), 200);
    // One cannot end someone else's session by guessing a handle.
    create_account(app, "bo@example.se", &[Role::Redaktor]).await;
    let bo = enrol(app, "bo@example.se").await;
    let bo_page = get(app, "/admin/konto", Some(&bo.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(!bo_page.contains("name=\"session\""));
    let bo_handle =
        fridhem::auth::session::hash(bo.cookie.split('=').nth(1).unwrap())[..16].to_owned();
    act(
        app,
        &first,
        "/admin/konto/sessioner/avsluta",
        &[("session", &bo_handle)],
    )
    .await;
    assert_eq!(get(app, "/admin", Some(&bo.cookie)).await.status(), 200);

    let actions = audit_actions(app).await;
    for action in [
        "password-changed",
        "recovery-codes-renewed",
        "session-ended",
    ] {
        assert!(
            actions.contains(&action.to_owned()),
            "{action}: {actions:?}"
        );
    }
}

/// A sign-in with the new password and `code` (from the app or a recovery
/// code).
async fn sign_in_with_password(app: &TestApp, who: &SignedIn, code: &str) -> Result<SignedIn, u16> {
    let (status, page) = staff::password_step(app, &who.email, NEW_PASSWORD).await;
    assert_eq!(status, 200, "{page}");
    let pending = value_of(&page, "pending");
    let r = post(
        app,
        "/admin/logga-in/kod",
        None,
        &[("pending", &pending), ("till", "/admin"), ("code", code)],
    )
    .await;
    if r.status() != 303 {
        return Err(r.status().as_u16());
    }
    let set_cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let csrf = value_of(
        &get(app, "/admin", Some(&cookie))
            .await
            .text()
            .await
            .unwrap(),
        "csrf",
    );
    Ok(SignedIn {
        cookie,
        csrf,
        set_cookie,
        ..who.clone()
    })
}

clocked_tests!(
    invitations_are_single_use_and_expire,
    forgotten_passwords_get_a_link_that_works_once_within_an_hour,
    everyone_manages_their_own_account,
);

/// Forgotten password: a known and an unknown address take the same time,
/// within the noise of 20 tries each (interleaved, each address once, so
/// no throttle is involved).
async fn reset_requests_take_the_same_time(backend: Backend) {
    let (app, _clock) = clocked(backend, None).await;
    let mut known = vec![];
    for i in 0..20 {
        let email = format!("person{i}@example.se");
        create_account(&app, &email, &[Role::Redaktor]).await;
        // With the app enrolled: only such an account gets a link.
        enrol(&app, &email).await;
        known.push(email);
    }
    let mut timings = (vec![], vec![]);
    for (i, email) in known.iter().enumerate() {
        let unknown = format!("okand{i}@example.se");
        for (address, into) in [(email.as_str(), 0), (unknown.as_str(), 1)] {
            // Each request on its own: the mail worker's delivery after a
            // known address has finished before the next one is timed.
            tokio::time::sleep(StdDuration::from_millis(30)).await;
            let page = get(&app, "/admin/glomt-losenord", None)
                .await
                .text()
                .await
                .unwrap();
            let token = value_of(&page, "token");
            let start = Instant::now();
            let r = post(
                &app,
                "/admin/glomt-losenord",
                None,
                &[("token", &token), ("email", address)],
            )
            .await;
            let took = start.elapsed().as_secs_f64() * 1000.0;
            assert_eq!(r.status(), 200);
            if into == 0 {
                timings.0.push(took);
            } else {
                timings.1.push(took);
            }
        }
    }
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        let median = v[v.len() / 2];
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt();
        (median, sd)
    };
    let (known_median, known_sd) = stats(&mut timings.0);
    let (unknown_median, unknown_sd) = stats(&mut timings.1);
    let noise = known_sd.max(unknown_sd);
    eprintln!(
        "reset timing: known median {known_median:.3} ms (sd {known_sd:.3}), unknown median {unknown_median:.3} ms (sd {unknown_sd:.3})"
    );
    assert!(
        (known_median - unknown_median).abs() < noise,
        "known {known_median:.3} ms vs unknown {unknown_median:.3} ms differ by more than the noise ({noise:.3} ms)"
    );
    assert_eq!(outbox_count(&app, "person0@example.se").await, 1);
    app.stop().await;
}

#[tokio::test]
async fn reset_requests_take_the_same_time_sqlite() {
    reset_requests_take_the_same_time(Backend::Sqlite).await;
}

#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn reset_requests_take_the_same_time_postgres() {
    reset_requests_take_the_same_time(Backend::Postgres).await;
}

/// The text of a message as sent: headers, then the body decoded from
/// quoted-printable or base64.
pub(crate) fn decoded_body(message: &str) -> String {
    let (headers, body) = message.split_once("\r\n\r\n").unwrap_or((message, ""));
    let headers = headers.to_ascii_lowercase();
    if headers.contains("content-transfer-encoding: base64") {
        use base64::Engine;
        let joined: String = body.split_whitespace().collect();
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(joined)
                .unwrap(),
        )
        .unwrap()
    } else if headers.contains("content-transfer-encoding: quoted-printable") {
        let joined = body.replace("=\r\n", "");
        let bytes = joined.as_bytes();
        let mut out = vec![];
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 2 < bytes.len() {
                if let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16) {
                    out.push(b);
                    i += 3;
                    continue;
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8(out).unwrap()
    } else {
        body.to_owned()
    }
}

/// Waits for a message to `to` at the SMTP server; returns its body.
pub(crate) async fn arrives(inbox: &crate::smtp::Inbox, to: &str, subject: &str) -> String {
    let deadline = Instant::now() + StdDuration::from_secs(20);
    loop {
        if let Some(m) = inbox
            .messages()
            .into_iter()
            .find(|m| m.contains(&format!("To: {to}")) && decoded_subject(m).contains(subject))
        {
            return decoded_body(&m);
        }
        assert!(
            Instant::now() < deadline,
            "no mail to {to}: {:?}",
            inbox.messages()
        );
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
}

/// The Subject header, with its RFC 2047 encoded words decoded.
pub(crate) fn decoded_subject(message: &str) -> String {
    use base64::Engine;
    let line = message
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("subject:"))
        .unwrap_or_default();
    let mut rest = line[8..].trim();
    let mut out = String::new();
    while let Some(start) = rest.find("=?") {
        out.push_str(&rest[..start]);
        let word = &rest[start + 2..];
        let parts: Vec<&str> = word.splitn(3, '?').collect();
        let end = parts[2].find("?=").expect("an encoded word ends");
        assert!(
            parts[1].eq_ignore_ascii_case("b"),
            "only B encoding here: {line}"
        );
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&parts[2][..end])
            .unwrap();
        out.push_str(&String::from_utf8(bytes).unwrap());
        rest = &parts[2][end + 2..];
    }
    out.push_str(rest);
    out
}

/// Rows of the outbox, the links and the audit log that hold `text`.
async fn stored_copies(app: &TestApp, text: &str) -> i64 {
    let pattern = format!("%{text}%");
    // Outbox bodies are sealed at rest: searched as the worker opens them.
    let in_outbox = crate::helpers::outbox_mails(app)
        .await
        .iter()
        .filter(|m| m.body.contains(text))
        .count() as i64;
    let elsewhere: i64 = fridhem::on_pool!(&app.db, |p| sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM staff_links WHERE token_hash LIKE $1) \
         + (SELECT COUNT(*) FROM audit_log WHERE detail LIKE $1)"
    )
    .bind(&pattern)
    .fetch_one(p)
    .await)
    .unwrap();
    in_outbox + elsewhere
}

/// Real SMTP: the invitation and the reset link arrive, and following
/// them works.
async fn invitation_and_reset_arrive_by_smtp(backend: Backend) {
    let port = crate::helpers::free_port();
    let inbox = crate::smtp::start(port);
    let app = spawn_app_with(
        backend,
        Options {
            env: vec![
                ("FRIDHEM_SMTP_URL", format!("smtp://127.0.0.1:{port}")),
                ("FRIDHEM_MAIL_RETRY_BASE_MS", "100".into()),
            ],
            ..Options::default()
        },
    )
    .await;
    create_account(&app, "anna@example.se", &[Role::Administrator]).await;
    let anna = enrol(&app, "anna@example.se").await;
    let r = act(
        &app,
        &anna,
        "/admin/personal/bjud-in",
        &[
            ("email", "nora@example.se"),
            ("name", "Nora Nilsson"),
            ("roll", "handlaggare-tg"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let body = arrives(&inbox, "nora@example.se", "Inbjudan till Fridhem").await;
    assert!(body.contains("Hej Nora Nilsson!"), "{body}");
    let token = token_after(&body, "/admin/inbjudan").expect("the link in the mail");
    assert_eq!(
        stored_copies(&app, &token).await,
        0,
        "the database never holds the token"
    );
    assert!(body.contains(&format!(
        "{}/admin/inbjudan/{token}",
        app.state
            .config
            .server
            .base_url
            .as_str()
            .trim_end_matches('/')
    )));
    let (status, page) = text(
        choose(
            &app,
            &format!("/admin/inbjudan/{token}"),
            NEW_PASSWORD,
            NEW_PASSWORD,
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let nora = staff::enrol_on_page(&app, "nora@example.se", &page).await;
    assert_eq!(get(&app, "/admin", Some(&nora.cookie)).await.status(), 200);

    let (status, _) = request_reset(&app, "nora@example.se").await;
    assert_eq!(status, 200);
    let body = arrives(&inbox, "nora@example.se", "Nytt lösenord").await;
    let token = token_after(&body, "/admin/nytt-losenord").expect("the link in the mail");
    assert_eq!(
        stored_copies(&app, &token).await,
        0,
        "the database never holds the token"
    );
    let r = choose(
        &app,
        &format!("/admin/nytt-losenord/{token}"),
        PASSWORD,
        PASSWORD,
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(get(&app, "/admin", Some(&nora.cookie)).await.status(), 303);
    assert_eq!(
        staff::password_step(&app, "nora@example.se", PASSWORD)
            .await
            .0,
        200
    );
    // Neither message holds a password.
    for m in inbox.messages() {
        let body = decoded_body(&m);
        assert!(!body.contains(PASSWORD) && !body.contains(NEW_PASSWORD));
    }
    app.stop().await;
}

#[tokio::test]
async fn invitation_and_reset_arrive_by_smtp_sqlite() {
    invitation_and_reset_arrive_by_smtp(Backend::Sqlite).await;
}

#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn invitation_and_reset_arrive_by_smtp_postgres() {
    invitation_and_reset_arrive_by_smtp(Backend::Postgres).await;
}

/// `fridhem staff …` without standard input.
fn cli(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = crate::staff::staff_command(dir, args, None);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The last active administrator stays, on the command line as on the web.
#[tokio::test]
async fn the_last_administrator_stays_on_the_command_line() {
    use crate::helpers::binary::{Binary, Start};
    let server = Binary::start(Start::default());
    let dir = server.dir.path();
    let made = crate::staff::account_command(
        dir,
        &[
            "create-admin",
            "--email",
            "ida@example.se",
            "--name",
            "Ida Lind",
        ],
        PASSWORD,
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let last = "minst en aktiv administratör";
    let (code, _, err) = cli(dir, &["staff", "deactivate", "--email", "ida@example.se"]);
    assert_eq!(code, Some(1));
    assert!(err.contains(last), "{err}");
    let (code, _, err) = cli(
        dir,
        &[
            "staff",
            "roles",
            "--email",
            "IDA@example.se",
            "--role",
            "redaktor",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains(last), "{err}");
    let (code, _, err) = cli(dir, &["staff", "deactivate", "--email", "ingen@example.se"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("Det finns inget konto"), "{err}");
    let (code, _, err) = cli(
        dir,
        &[
            "staff",
            "roles",
            "--email",
            "ida@example.se",
            "--role",
            "kung",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("Okänd roll"), "{err}");

    // With a second administrator, the first may give up the role.
    let jon = crate::staff::account_command(
        dir,
        &[
            "staff",
            "add",
            "--email",
            "jon@example.se",
            "--name",
            "Jon",
            "--role",
            "administrator",
        ],
        PASSWORD,
    );
    assert!(jon.status.success());
    let (code, out, err) = cli(
        dir,
        &[
            "staff",
            "roles",
            "--email",
            "ida@example.se",
            "--role",
            "redaktor",
            "--role",
            "handlaggare-tg",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("redaktor, handlaggare-tg"), "{out}");
    let (code, _, err) = cli(dir, &["staff", "deactivate", "--email", "jon@example.se"]);
    assert_eq!(code, Some(1), "jon is now the last one");
    assert!(err.contains(last));
    let (code, _, _) = cli(dir, &["staff", "deactivate", "--email", "ida@example.se"]);
    assert_eq!(code, Some(0));
    let (code, out, _) = cli(dir, &["staff", "reactivate", "--email", "ida@example.se"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("återaktiverat"));
    // Each change is in the audit log, as made from the command line.
    let url = format!("sqlite://{}", server.path("fridhem.db").display());
    let db = fridhem::db::Db::connect(&fridhem::config::DatabaseUrl::Sqlite(url))
        .await
        .unwrap();
    let details: Vec<(String, String)> = fridhem::on_pool!(&db, |p| sqlx::query_as(
        "SELECT action, detail FROM audit_log WHERE action IN ('roles-changed', 'account-deactivated', 'account-reactivated') ORDER BY id"
    )
    .fetch_all(p)
    .await)
    .unwrap();
    assert_eq!(details.len(), 3, "{details:?}");
    assert!(
        details
            .iter()
            .all(|(_, d)| d.starts_with("Från kommandoraden")),
        "{details:?}"
    );
    db.close().await;
}
