//! Registration for the campaign's events (issue 16): seats that are never
//! overbooked, a waiting list that moves by itself in order, class
//! bookings, lectures for the municipalities' employees, personal links
//! that only a POST can cancel with, and e-mails with calendar files. On
//! both databases, with a clock the tests move.

use chrono::Duration;
use fridhem::clock::{Clock, ManualClock};
use fridhem::events::model::{slug, Audience, Event, Format, MeetingLink, Status};

use crate::helpers::forms::{count, post_form, token_of};
use crate::helpers::{outbox_to, page_when, TestApp};
use crate::staff::{clocked, clocked_tests};

/// Adds a published event of this year's demo campaign, starting in ten
/// days with registration open since an hour, changed by `set`; returns
/// it once its page is served.
pub(crate) async fn event_with(app: &TestApp, title: &str, set: impl FnOnce(&mut Event)) -> Event {
    let now = app.state.clock.now();
    let mut e = fridhem::events::edit::new_event(2026, fridhem::events::service::new_uid(), now);
    e.title = title.to_owned();
    e.slug = slug(title);
    e.description_md = "Ett evenemang för att pröva anmälan.".into();
    e.audience = Audience::Public;
    e.format = Format::OnSite;
    e.place = Some("Aulan".into());
    e.address = Some("Exempelvägen 1, Järfälla".into());
    e.municipality = "jarfalla".into();
    e.language = "svenska".into();
    e.starts_at = now + Duration::days(10);
    e.ends_at = e.starts_at + Duration::hours(2);
    e.capacity = Some(2);
    e.registration_opens_at = Some(now - Duration::hours(1));
    e.status = Status::Published;
    set(&mut e);
    let stored = e.clone();
    let id = app
        .state
        .writer
        .write(move |tx| {
            let e = stored.clone();
            Box::pin(async move {
                let id = fridhem::events::store::insert_event(tx, &e, now).await?;
                fridhem::content::store::bump_content_version(tx).await?;
                Ok(id)
            })
        })
        .await
        .unwrap();
    e.id = id;
    page_when(app, &e.path(), &e.title).await;
    e
}

/// Fills in the event page's form as a browser would.
pub(crate) async fn register(
    app: &TestApp,
    event: &Event,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let (_, html) = app.get_text(&event.path()).await;
    let token = token_of(&html);
    let mut all = vec![("token", token.as_str())];
    all.extend_from_slice(fields);
    post_form(app, &event.path(), &all).await
}

/// The personal link's token a new registration was sent to.
pub(crate) fn token_from(response: &reqwest::Response) -> String {
    assert_eq!(
        response.status(),
        303,
        "a new registration moves to its page"
    );
    let location = response.headers()["location"].to_str().unwrap();
    location
        .strip_prefix("/anmalan/")
        .unwrap_or_else(|| panic!("{location}"))
        .to_owned()
}

/// The UID line's value of a calendar file.
fn uid_of(ics: &str) -> String {
    ics.lines()
        .find_map(|l| l.strip_prefix("UID:"))
        .expect("a UID")
        .to_owned()
}

async fn person(app: &TestApp, event: &Event, name: &str, email: &str) -> reqwest::Response {
    register(app, event, &[("namn", name), ("epost", email)]).await
}

/// POSTs one of the personal page's actions with the page's token.
async fn personal_action(app: &TestApp, token: &str, action: &str) -> (u16, String) {
    let (status, html) = app.get_text(&format!("/anmalan/{token}")).await;
    assert_eq!(status, 200);
    let form_token = token_of(&html);
    let r = post_form(
        app,
        &format!("/anmalan/{token}/{action}"),
        &[("token", &form_token)],
    )
    .await;
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn states(app: &TestApp, event: &Event) -> Vec<(String, i64)> {
    fridhem::on_pool!(&app.db, |p| sqlx::query_as::<_, (String, i64)>(
        "SELECT status, seats FROM registrations WHERE event_id = $1 ORDER BY queue"
    )
    .bind(event.id)
    .fetch_all(p)
    .await)
    .unwrap()
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    fridhem::on_pool!(&app.db, |p| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM audit_log WHERE action = $1"
    )
    .bind(action)
    .fetch_one(p)
    .await)
    .unwrap()
}

async fn seats_and_waiting_list(app: &TestApp, _clock: &ManualClock) {
    let event = event_with(app, "Två platser", |_| {}).await;
    let page = app.get_text(&event.path()).await.1;
    assert!(page.contains("2 platser kvar"), "{page}");

    let first = person(app, &event, "Anna", "anna@example.org").await;
    // No cookie at any point: the answer, the personal page, its actions.
    assert!(first.headers().get("set-cookie").is_none());
    let anna = token_from(&first);
    let page = app.get(&format!("/anmalan/{anna}")).await;
    assert!(page.headers().get("set-cookie").is_none());
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    let (status, mine) = app.get_text(&format!("/anmalan/{anna}")).await;
    assert_eq!(status, 200);
    assert!(
        mine.contains("Du är anmäld") && mine.contains("Anna"),
        "{mine}"
    );
    assert!(
        mine.contains(&format!("/anmalan/{anna}")),
        "the page shows its own link to save"
    );
    let bo = token_from(&person(app, &event, "Bo", "bo@example.org").await);
    let page = app.get_text(&event.path()).await.1;
    assert!(
        page.contains("Fullbokat") && page.contains("Anmäl till väntelistan"),
        "{page}"
    );

    let cecilia = token_from(&person(app, &event, "Cecilia", "cecilia@example.org").await);
    let waiting = app.get_text(&format!("/anmalan/{cecilia}")).await.1;
    assert!(
        waiting.contains("Du står på väntelistan (plats 1)"),
        "{waiting}"
    );
    let david = token_from(&person(app, &event, "David", "david@example.org").await);
    assert!(app
        .get_text(&format!("/anmalan/{david}"))
        .await
        .1
        .contains("Du står på väntelistan (plats 2)"));

    // The same address again, in other letters: the first answer, no
    // second seat, and no link on the page (it goes to the address).
    let again = person(app, &event, "Någon annan", "ANNA@example.org").await;
    assert_eq!(again.status(), 200);
    let again = again.text().await.unwrap();
    assert!(again.contains("Du är anmäld"), "{again}");
    assert!(
        !again.contains("/anmalan/"),
        "no personal link on the answer"
    );
    let again_waiting = person(app, &event, "Cecilia", "cecilia@example.org").await;
    assert!(again_waiting
        .text()
        .await
        .unwrap()
        .contains("Du står på väntelistan (plats 1)"));
    assert_eq!(count(app, "registrations").await, 4);
    assert_eq!(
        outbox_to(app, "anna@example.org").await.len(),
        2,
        "confirmation and link"
    );

    // Opening the link changes nothing; a GET cannot cancel.
    let r = app.get(&format!("/anmalan/{anna}/avboka")).await;
    assert_eq!(r.status(), 405);
    assert_eq!(
        states(app, &event).await,
        [
            ("anmald".into(), 1),
            ("anmald".into(), 1),
            ("vantelista".into(), 1),
            ("vantelista".into(), 1)
        ]
    );

    // Anna cancels: Cecilia, first in line, gets the seat and an e-mail.
    let (status, html) = personal_action(app, &anna, "avboka").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Anmälan är avbokad") && html.contains("Din anmälan är avbokad."),
        "{html}"
    );
    assert!(app
        .get_text(&format!("/anmalan/{cecilia}"))
        .await
        .1
        .contains("Du är anmäld"));
    assert!(app
        .get_text(&format!("/anmalan/{david}"))
        .await
        .1
        .contains("Du står på väntelistan (plats 1)"));
    let to_cecilia = outbox_to(app, "cecilia@example.org").await;
    assert!(
        to_cecilia
            .iter()
            .any(|m| m.subject.starts_with("Du har fått en plats")),
        "{to_cecilia:?}"
    );
    let cancelled = outbox_to(app, "anna@example.org").await;
    let last = cancelled.last().unwrap();
    assert!(last.subject.starts_with("Din anmälan är avbokad"));
    assert!(last
        .attachment
        .as_deref()
        .unwrap()
        .contains("METHOD:CANCEL"));

    // The link used twice says so.
    let (status, html) = app.get_text(&format!("/anmalan/{anna}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Avboka anmälan"), "nothing left to cancel");
    let form_token = token_of(&app.get_text(&format!("/anmalan/{bo}")).await.1);
    let twice = post_form(
        app,
        &format!("/anmalan/{anna}/avboka"),
        &[("token", &form_token)],
    )
    .await;
    assert_eq!(twice.status(), 200);
    assert!(twice
        .text()
        .await
        .unwrap()
        .contains("Anmälan var redan avbokad."));

    // Anna may register again after cancelling: at the end of the line.
    let anna2 = token_from(&person(app, &event, "Anna", "anna@example.org").await);
    assert!(app
        .get_text(&format!("/anmalan/{anna2}"))
        .await
        .1
        .contains("Du står på väntelistan (plats 2)"));

    assert_eq!(audit_count(app, "registration-created").await, 5);
    assert_eq!(audit_count(app, "registration-cancelled").await, 1);
    assert_eq!(audit_count(app, "registration-promoted").await, 1);
    // Sending the link again goes to the registration's own address.
    let before = outbox_to(app, "bo@example.org").await.len();
    let (status, html) = personal_action(app, &bo, "skicka").await;
    assert_eq!(status, 200);
    assert!(html.contains("Vi har skickat länken"), "{html}");
    assert_eq!(outbox_to(app, "bo@example.org").await.len(), before + 1);
}

async fn class_bookings(app: &TestApp, _clock: &ManualClock) {
    let event = event_with(app, "Teater för årskurs 8", |e| {
        e.audience = Audience::SchoolYouth;
        e.capacity = Some(30);
    })
    .await;
    let class = |school: &'static str, pupils: &'static str, wait: bool| {
        let mut f = vec![
            ("namn", "Lärare"),
            ("epost", school),
            ("skola", "Skolan"),
            ("klass", "8B"),
            ("elever", pupils),
        ];
        if wait {
            f.push(("vantelista", "ja"));
        }
        f
    };
    let page = app.get_text(&event.path()).await.1;
    assert!(
        page.contains("Antal elever") && !page.contains("id=\"organisation\""),
        "{page}"
    );
    let first = token_from(&register(app, &event, &class("a@skola.se", "25", false)).await);
    // Ten pupils do not fit in five seats: asked first, nothing stored.
    let r = register(app, &event, &class("b@skola.se", "10", false)).await;
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(html.contains("Det finns bara 5 platser kvar"), "{html}");
    assert!(
        html.contains("error-summary") && html.contains("href=\"#elever\""),
        "{html}"
    );
    assert_eq!(count(app, "registrations").await, 1);
    let second = token_from(&register(app, &event, &class("b@skola.se", "10", true)).await);
    assert!(app
        .get_text(&format!("/anmalan/{second}"))
        .await
        .1
        .contains("plats 1"));
    // A smaller class that fits in the five seats left takes them; the
    // class of ten keeps its place first in line.
    let third = token_from(&register(app, &event, &class("c@skola.se", "5", false)).await);
    assert_eq!(
        states(app, &event).await,
        [
            ("anmald".into(), 25),
            ("vantelista".into(), 10),
            ("anmald".into(), 5)
        ]
    );
    let fourth = token_from(&register(app, &event, &class("d@skola.se", "20", true)).await);
    assert!(app
        .get_text(&format!("/anmalan/{fourth}"))
        .await
        .1
        .contains("plats 2"));
    // 25 seats freed: the ten move up, the twenty do not fit in fifteen.
    personal_action(app, &first, "avboka").await;
    assert_eq!(
        states(app, &event).await,
        [
            ("avbokad".into(), 25),
            ("anmald".into(), 10),
            ("anmald".into(), 5),
            ("vantelista".into(), 20)
        ]
    );
    let mine = app.get_text(&format!("/anmalan/{third}")).await.1;
    assert!(
        mine.contains("Du är anmäld") && mine.contains("Antal elever"),
        "{mine}"
    );
}

async fn employees_register_with_their_work_address(app: &TestApp, _clock: &ManualClock) {
    let event = event_with(app, "Föreläsning för anställda", |e| {
        e.audience = Audience::Employees;
        e.format = Format::Digital;
        e.place = None;
        e.address = None;
        e.capacity = Some(100);
        e.meeting_link = Some(MeetingLink::new(
            "https://example.org/mote/hemlig-123".into(),
        ));
    })
    .await;
    let r = register(
        app,
        &event,
        &[
            ("namn", "Eva"),
            ("epost", "eva@gmail.com"),
            ("kommun", "solna"),
        ],
    )
    .await;
    assert_eq!(r.status(), 400);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Skriv din e-postadress i Solna, till exempel namn@solna.se"),
        "{html}"
    );
    assert!(
        html.contains("<title>Fel: "),
        "the title says there is a problem"
    );
    let eva = token_from(
        &register(
            app,
            &event,
            &[
                ("namn", "Eva"),
                ("epost", "eva@solna.se"),
                ("kommun", "solna"),
                ("behov", "Textning {{seal:stulen}}"),
            ],
        )
        .await,
    );
    let mine = app.get_text(&format!("/anmalan/{eva}")).await.1;
    assert!(
        mine.contains("Solna") && mine.contains("Textning"),
        "{mine}"
    );
    // The meeting link is in the confirmation and its calendar file, and
    // on no page.
    let mail = outbox_to(app, "eva@solna.se").await;
    assert!(mail[0].body.contains("https://example.org/mote/hemlig-123"));
    // Typed text never becomes a placeholder the worker would fill in.
    assert!(
        mail[0].body.contains("Textning { {seal:stulen}}"),
        "{}",
        mail[0].body
    );
    assert!(mail[0]
        .attachment
        .as_deref()
        .unwrap()
        .contains("METHOD:REQUEST"));
    for path in [
        event.path(),
        format!("/anmalan/{eva}"),
        format!("{}.ics", event.path()),
    ] {
        assert!(
            !app.get_text(&path).await.1.contains("hemlig-123"),
            "{path}"
        );
    }
}

async fn registration_opens_and_closes(app: &TestApp, clock: &ManualClock) {
    let now = clock.now();
    let event = event_with(app, "Öppnar i morgon", |e| {
        e.capacity = Some(1);
        e.registration_opens_at = Some(now + Duration::days(1));
        e.registration_closes_at = Some(now + Duration::days(3));
    })
    .await;
    let page = app.get_text(&event.path()).await.1;
    assert!(page.contains("Anmälan öppnar"), "{page}");
    assert!(!page.contains("name=\"epost\""), "no form before opening");
    let token = crate::helpers::forms::token_of(&app.get_text("/kontakt").await.1);
    let early = post_form(
        app,
        &event.path(),
        &[("token", &token), ("namn", "A"), ("epost", "a@b.se")],
    )
    .await;
    assert!(
        matches!(early.status().as_u16(), 400 | 409),
        "{}",
        early.status()
    );
    assert_eq!(count(app, "registrations").await, 0);

    clock.advance(Duration::days(1) + Duration::minutes(1));
    let page = page_when(app, &event.path(), "name=\"epost\"").await;
    assert!(page.contains("1 plats kvar"), "{page}");
    let first = token_from(&person(app, &event, "A", "a@example.org").await);
    let second = token_from(&person(app, &event, "B", "b@example.org").await);
    assert!(app
        .get_text(&format!("/anmalan/{second}"))
        .await
        .1
        .contains("plats 1"));

    // After closing: no form, a late post is refused, and a cancellation
    // no longer moves anyone up.
    clock.advance(Duration::days(2));
    let page = page_when(app, &event.path(), "Anmälan är stängd").await;
    assert!(!page.contains("name=\"epost\""));
    personal_action(app, &first, "avboka").await;
    assert_eq!(
        states(app, &event).await,
        [("avbokad".into(), 1), ("vantelista".into(), 1)]
    );

    // Staff open registration again: the seat freed meanwhile goes to the
    // one waiting, not to the next newcomer.
    let by = crate::helpers::staff::create_account(
        app,
        "eva@kommun.se",
        &[fridhem::auth::Role::Evenemangsansvarig],
    )
    .await;
    let stored = fridhem::events::store::event(&app.db, event.id)
        .await
        .unwrap()
        .unwrap();
    let mut reopened = stored.clone();
    reopened.registration_closes_at = Some(clock.now() + Duration::days(2));
    clock.advance(Duration::seconds(1));
    fridhem::events::service::save_event(
        &context(app),
        by,
        reopened,
        fridhem::events::service::Save::Keep,
        stored.updated_at,
        clock.now(),
    )
    .await
    .unwrap();
    page_when(app, &event.path(), "name=\"epost\"").await;
    let late = token_from(&person(app, &event, "C", "c@example.org").await);
    assert_eq!(
        states(app, &event).await,
        [
            ("avbokad".into(), 1),
            ("anmald".into(), 1),
            ("vantelista".into(), 1)
        ]
    );
    assert!(app
        .get_text(&format!("/anmalan/{late}"))
        .await
        .1
        .contains("plats 1"));
}

async fn odd_links_and_posts_are_refused(app: &TestApp, _clock: &ManualClock) {
    let event = event_with(app, "Udda anrop", |_| {}).await;
    for path in [
        "/anmalan/x".to_owned(),
        format!("/anmalan/{}", "a".repeat(43)),
        format!("/anmalan/{}", "å".repeat(43)),
        format!("/anmalan/{}%00", "a".repeat(42)),
    ] {
        let (status, _) = app.get_text(&path).await;
        assert_eq!(status, 404, "{path}");
    }
    let (_, html) = app.get_text(&event.path()).await;
    let token = token_of(&html);
    // From another site.
    let r = app
        .client
        .post(app.url(&event.path()))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://elsewhere.example")
        .body(format!("token={token}&namn=A&epost=a%40b.se"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // Without a token, with the honeypot filled, not a form, not UTF-8.
    let cases: [(&str, &[u8], u16); 4] = [
        (
            "application/x-www-form-urlencoded",
            b"namn=A&epost=a%40b.se",
            400,
        ),
        (
            "application/x-www-form-urlencoded",
            b"webbplats=x&namn=A&epost=a%40b.se",
            400,
        ),
        ("application/json", b"{}", 415),
        ("application/x-www-form-urlencoded", b"namn=%FF", 400),
    ];
    for (kind, body, expected) in cases {
        let r = app
            .client
            .post(app.url(&event.path()))
            .header("content-type", kind)
            .header("origin", "null")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), expected, "{kind} {body:?}");
    }
    // An event that does not exist, or an old address.
    let r = post_form(app, "/evenemang/999999-nej", &[("token", &token)]).await;
    assert_eq!(r.status(), 404);
    assert_eq!(count(app, "registrations").await, 0);
}

clocked_tests!(
    seats_and_waiting_list,
    class_bookings,
    employees_register_with_their_work_address,
    registration_opens_and_closes,
    odd_links_and_posts_are_refused,
);

const SECRET_LINK: &str = "https://example.org/mote/hemlig-789";

/// A digital event with one seat and a meeting link, starting in three
/// days; Anna has the seat and Bo waits.
async fn seat_and_waiting(app: &TestApp, title: &str) -> (Event, String, String) {
    let event = event_with(app, title, |e| {
        e.format = Format::Digital;
        e.place = None;
        e.address = None;
        e.capacity = Some(1);
        e.starts_at = app.state.clock.now() + Duration::days(3);
        e.ends_at = e.starts_at + Duration::hours(1);
        e.meeting_link = Some(MeetingLink::new(SECRET_LINK.into()));
    })
    .await;
    let anna = token_from(&person(app, &event, "Anna", "anna@example.org").await);
    let bo = token_from(&person(app, &event, "Bo", "bo@example.org").await);
    (event, anna, bo)
}

/// Only the e-mails that confirm a seat and the reminder carry the link.
async fn link_only_where_it_belongs(app: &TestApp) {
    for m in crate::helpers::outbox_mails(app).await {
        let allowed = ["Du är anmäld", "Du har fått en plats", "Påminnelse"]
            .iter()
            .any(|s| m.subject.starts_with(s));
        let has = m.body.contains(SECRET_LINK)
            || m.attachment
                .as_deref()
                .is_some_and(|a| a.contains(SECRET_LINK));
        assert!(allowed || !has, "{}: {}", m.subject, m.body);
    }
}

fn context(app: &TestApp) -> fridhem::events::registration::service::Context {
    fridhem::events::registration::routes::context(&app.state)
}

async fn reminders_go_once_a_day_ahead(app: &TestApp, clock: &ManualClock) {
    use fridhem::events::registration::service::send_reminders;
    let (event, _, _) = seat_and_waiting(app, "Påminnelse i tid").await;
    assert_eq!(
        send_reminders(&context(app), clock.now()).await.unwrap(),
        0,
        "not yet"
    );
    clock.set(event.starts_at - Duration::hours(23));
    assert_eq!(
        send_reminders(&context(app), clock.now()).await.unwrap(),
        1,
        "Anna only"
    );
    assert_eq!(
        send_reminders(&context(app), clock.now()).await.unwrap(),
        0,
        "once"
    );
    let to_anna = outbox_to(app, "anna@example.org").await;
    let reminder = to_anna
        .iter()
        .find(|m| m.subject.starts_with("Påminnelse"))
        .unwrap();
    assert!(reminder.body.contains(SECRET_LINK), "{}", reminder.body);
    assert!(outbox_to(app, "bo@example.org")
        .await
        .iter()
        .all(|m| !m.subject.starts_with("Påminnelse")));
    // Someone who registers within the day gets the confirmation only.
    let late = token_from(&person(app, &event, "Cilla", "cilla@example.org").await);
    assert!(!late.is_empty());
    clock.advance(Duration::hours(1));
    assert_eq!(send_reminders(&context(app), clock.now()).await.unwrap(), 0);
    link_only_where_it_belongs(app).await;
}

async fn staff_cancelling_tells_everyone(app: &TestApp, clock: &ManualClock) {
    let (event, anna, _) = seat_and_waiting(app, "Ställs in").await;
    let by = crate::helpers::staff::create_account(
        app,
        "eva@kommun.se",
        &[fridhem::auth::Role::Evenemangsansvarig],
    )
    .await;
    assert!(fridhem::events::service::cancel_event(
        &context(app),
        by,
        event.id,
        "Föreläsaren är sjuk.".into(),
        clock.now()
    )
    .await
    .unwrap());
    assert_eq!(
        states(app, &event).await,
        [("installd".into(), 1), ("installd".into(), 1)]
    );
    let to_anna = outbox_to(app, "anna@example.org").await;
    let cancelled = to_anna.last().unwrap();
    assert!(
        cancelled.subject.starts_with("Inställt"),
        "{}",
        cancelled.subject
    );
    assert!(cancelled.body.contains("Föreläsaren är sjuk."));
    let ics = cancelled.attachment.as_deref().unwrap();
    assert!(ics.contains("METHOD:CANCEL") && ics.contains("STATUS:CANCELLED"));
    // The registration's own UID, as in its confirmation.
    let confirmation = to_anna
        .iter()
        .find(|m| m.subject.starts_with("Du är anmäld"))
        .unwrap();
    assert_eq!(
        uid_of(ics),
        uid_of(confirmation.attachment.as_deref().unwrap())
    );
    assert!(uid_of(ics).ends_with(&event.uid), "{ics}");
    assert!(ics.contains("SEQUENCE:1"), "{ics}");
    let to_bo = outbox_to(app, "bo@example.org").await;
    assert!(to_bo.last().unwrap().subject.starts_with("Inställt"));
    assert!(
        to_bo.last().unwrap().attachment.is_none(),
        "Bo had no seat in his calendar"
    );
    let page = app.get_text(&format!("/anmalan/{anna}")).await.1;
    assert!(
        page.contains("Evenemanget är inställt") && !page.contains("Avboka anmälan"),
        "{page}"
    );
    link_only_where_it_belongs(app).await;
}

async fn a_new_time_and_more_seats_reach_people(app: &TestApp, clock: &ManualClock) {
    use fridhem::events::service::{save_event, Save, Saved};
    let (event, _, bo) = seat_and_waiting(app, "Flyttas och växer").await;
    let by = crate::helpers::staff::create_account(
        app,
        "eva@kommun.se",
        &[fridhem::auth::Role::Evenemangsansvarig],
    )
    .await;
    let stored = fridhem::events::store::event(&app.db, event.id)
        .await
        .unwrap()
        .unwrap();
    let mut changed = stored.clone();
    changed.starts_at = stored.starts_at + Duration::hours(2);
    changed.ends_at = stored.ends_at + Duration::hours(2);
    clock.advance(Duration::seconds(1));
    let saved = save_event(
        &context(app),
        by,
        changed,
        Save::Keep,
        stored.updated_at,
        clock.now(),
    )
    .await
    .unwrap();
    assert_eq!(saved, Saved::Saved { published: false });
    let update = outbox_to(app, "anna@example.org").await.pop().unwrap();
    assert!(
        update.subject.starts_with("Ändrad tid eller plats"),
        "{}",
        update.subject
    );
    let ics = update.attachment.as_deref().unwrap();
    assert!(ics.contains("METHOD:REQUEST"), "{ics}");
    let first = outbox_to(app, "anna@example.org").await;
    let confirmation = first
        .iter()
        .find(|m| m.subject.starts_with("Du är anmäld"))
        .unwrap();
    assert_eq!(
        uid_of(ics),
        uid_of(confirmation.attachment.as_deref().unwrap()),
        "the same UID"
    );
    assert!(
        ics.contains(&format!("SEQUENCE:{}", stored.sequence + 1)),
        "{ics}"
    );
    assert!(outbox_to(app, "bo@example.org")
        .await
        .pop()
        .unwrap()
        .subject
        .starts_with("Ändrad"));

    // Two seats: Bo moves up by himself.
    let stored = fridhem::events::store::event(&app.db, event.id)
        .await
        .unwrap()
        .unwrap();
    let mut bigger = stored.clone();
    bigger.capacity = Some(2);
    clock.advance(Duration::seconds(1));
    save_event(
        &context(app),
        by,
        bigger,
        Save::Keep,
        stored.updated_at,
        clock.now(),
    )
    .await
    .unwrap();
    assert_eq!(
        states(app, &event).await,
        [("anmald".into(), 1), ("anmald".into(), 1)]
    );
    assert!(app
        .get_text(&format!("/anmalan/{bo}"))
        .await
        .1
        .contains("Du är anmäld"));
    let promoted = outbox_to(app, "bo@example.org").await.pop().unwrap();
    assert!(promoted.subject.starts_with("Du har fått en plats"));
    assert!(promoted.body.contains(SECRET_LINK));
    link_only_where_it_belongs(app).await;
}

mod clocked_changes {
    use super::{
        a_new_time_and_more_seats_reach_people, clocked, clocked_tests,
        reminders_go_once_a_day_ahead, staff_cancelling_tells_everyone,
    };
    clocked_tests!(
        reminders_go_once_a_day_ahead,
        staff_cancelling_tells_everyone,
        a_new_time_and_more_seats_reach_people,
    );
}

/// Two instances on one PostgreSQL database look for reminders at the
/// same moment: each reminder is sent once.
#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn reminders_go_once_with_two_instances() {
    use fridhem::events::registration::service::send_reminders;
    let (first, clock) = clocked(crate::helpers::Backend::Postgres, None).await;
    let (second, _) = clocked(
        crate::helpers::Backend::Postgres,
        Some(first.database_url.clone()),
    )
    .await;
    let mut events = vec![];
    for n in 0..3 {
        let event = event_with(&first, &format!("Påminnelse {n}"), |e| {
            e.capacity = Some(50);
            e.starts_at = clock.now() + Duration::days(2);
            e.ends_at = e.starts_at + Duration::hours(1);
        })
        .await;
        for p in 0..10 {
            token_from(&person(&first, &event, "P", &format!("p{n}-{p}@example.org")).await);
        }
        events.push(event);
    }
    let at = clock.now() + Duration::days(1) + Duration::minutes(5);
    let (one, two) = (context(&first), context(&second));
    let (a, b) = tokio::join!(send_reminders(&one, at), send_reminders(&two, at));
    assert_eq!(a.unwrap() + b.unwrap(), 30);
    let reminders = crate::helpers::outbox_mails(&first)
        .await
        .into_iter()
        .filter(|m| m.subject.starts_with("Påminnelse"))
        .count();
    assert_eq!(reminders, 30, "each reminder once");
    second.stop().await;
    first.stop().await;
}

async fn staff_run_the_list(app: &TestApp, _clock: &ManualClock) {
    use crate::helpers::staff::{act, create_account, enrol, get};
    use fridhem::auth::Role;
    let event = event_with(app, "Listan för personalen", |e| {
        e.capacity = Some(1);
    })
    .await;
    token_from(
        &register(
            app,
            &event,
            &[
                ("namn", "Anna"),
                ("epost", "anna@example.org"),
                ("behov", "Hörslinga"),
            ],
        )
        .await,
    );
    for (name, email) in [("Bo", "bo@example.org"), ("Cilla", "cilla@example.org")] {
        token_from(&person(app, &event, name, email).await);
    }
    create_account(app, "evenemang@example.se", &[Role::Evenemangsansvarig]).await;
    let staff = enrol(app, "evenemang@example.se").await;
    create_account(app, "redaktor@example.se", &[Role::Redaktor]).await;
    let editor = enrol(app, "redaktor@example.se").await;
    let page = format!("/admin/evenemang/anmalningar?id={}", event.id);
    assert_eq!(get(app, &page, Some(&editor.cookie)).await.status(), 403);
    let r = get(app, &page, Some(&staff.cookie)).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Anna") && html.contains("Bo") && html.contains("Cilla"),
        "{html}"
    );
    assert!(
        html.contains("Flytta upp<span class=\"visually-hidden\"> Cilla"),
        "{html}"
    );
    assert_eq!(audit_count(app, "participants-viewed").await, 1);

    let id = |name: &'static str| async move {
        fridhem::events::registration::store::of_event(&app.db, &app.state.data_keys, event.id)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.name == name)
            .unwrap()
            .id
            .to_string()
    };
    let event_id = event.id.to_string();
    let (bo, cilla) = (id("Bo").await, id("Cilla").await);
    // Cilla moves up past Bo.
    let r = act(
        app,
        &staff,
        "/admin/evenemang/anmalningar/flytta",
        &[("id", &event_id), ("anmalan", &cilla), ("riktning", "upp")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = act(
        app,
        &staff,
        "/admin/evenemang/anmalningar/flytta",
        &[("id", &event_id), ("anmalan", &cilla), ("riktning", "upp")],
    )
    .await;
    assert_eq!(r.status(), 409, "first already");
    // No seat free: giving one by hand is refused, never overbooked.
    let r = act(
        app,
        &staff,
        "/admin/evenemang/anmalningar/ge-plats",
        &[("id", &event_id), ("anmalan", &bo)],
    )
    .await;
    assert_eq!(r.status(), 409);
    // Fewer seats or words are refused with a reason.
    for typed in ["1", "0", "tre", ""] {
        let r = act(
            app,
            &staff,
            "/admin/evenemang/anmalningar/platser",
            &[("id", &event_id), ("platser", typed)],
        )
        .await;
        assert_eq!(r.status(), 400, "{typed}");
        assert!(r.text().await.unwrap().contains("error-summary"));
    }
    let r = act(
        app,
        &staff,
        "/admin/evenemang/anmalningar/platser",
        &[("id", &event_id), ("platser", "2")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        states(app, &event).await,
        [
            ("anmald".into(), 1),
            ("anmald".into(), 1),
            ("vantelista".into(), 1)
        ],
        "Cilla first"
    );
    assert!(outbox_to(app, "cilla@example.org")
        .await
        .iter()
        .any(|m| m.subject.starts_with("Du har fått en plats")));
    page_when(app, &event.path(), "2 platser").await;
    // A third seat, then Bo by hand.
    let r = act(
        app,
        &staff,
        "/admin/evenemang/anmalningar/platser",
        &[("id", &event_id), ("platser", "4")],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        states(app, &event)
            .await
            .iter()
            .filter(|s| s.0 == "anmald")
            .count(),
        3,
        "Bo moved up too"
    );

    // A message to everyone registered.
    assert_eq!(
        get(
            app,
            &format!("/admin/evenemang/anmalningar/meddelande?id={}", event.id),
            Some(&staff.cookie)
        )
        .await
        .status(),
        200
    );
    let r = act(
        app,
        &staff,
        "/admin/evenemang/anmalningar/meddelande",
        &[("id", &event_id), ("amne", ""), ("text", "")],
    )
    .await;
    assert_eq!(r.status(), 400);
    let r = act(
        app,
        &staff,
        "/admin/evenemang/anmalningar/meddelande",
        &[
            ("id", &event_id),
            ("amne", "Ny ingång"),
            ("text", "Använd ingången från parken."),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    for email in ["anna@example.org", "bo@example.org", "cilla@example.org"] {
        let last = outbox_to(app, email).await.pop().unwrap();
        assert!(last.subject.starts_with("Ny ingång"), "{}", last.subject);
        assert!(last.body.contains("Använd ingången från parken."));
    }
    assert_eq!(audit_count(app, "participants-messaged").await, 1);

    let door = get(
        app,
        &format!("/admin/evenemang/anmalningar/dorrlista?id={}", event.id),
        Some(&staff.cookie),
    )
    .await;
    assert_eq!(door.status(), 200);
    let door = door.text().await.unwrap();
    let (a, b, c) = (
        door.find("Anna").unwrap(),
        door.find("Bo").unwrap(),
        door.find("Cilla").unwrap(),
    );
    assert!(a < b && b < c, "in name order");
    assert!(door.contains("Hörslinga"), "needs on the door list");
    // The list once, again with each of the four refused seat numbers
    // (the page shows it), and the door list.
    assert_eq!(audit_count(app, "participants-viewed").await, 6);
    assert_eq!(audit_count(app, "waiting-list-reordered").await, 1);
    assert_eq!(audit_count(app, "event-capacity-raised").await, 2);
}

mod clocked_staff {
    use super::{clocked, clocked_tests, staff_run_the_list};
    clocked_tests!(staff_run_the_list);
}

/// Name, e-mail, needs and the link's nonce of a cleaned registration.
type Remains = (Option<String>, Option<String>, Option<String>, String);

async fn personal_data_goes_after_the_event(app: &TestApp, clock: &ManualClock) {
    use fridhem::events::registration::service::purge_due;
    let event = event_with(app, "Gallras efter 30 dagar", |e| {
        e.audience = Audience::Employees;
        e.capacity = Some(10);
    })
    .await;
    let anna = token_from(
        &register(
            app,
            &event,
            &[
                ("namn", "Anna Gallring"),
                ("epost", "anna.gallring@jarfalla.se"),
                ("kommun", "jarfalla"),
                ("behov", "Hörslinga XYZZY"),
            ],
        )
        .await,
    );
    token_from(
        &register(
            app,
            &event,
            &[
                ("namn", "Bo Gallring"),
                ("epost", "bo.gallring@solna.se"),
                ("kommun", "solna"),
            ],
        )
        .await,
    );
    // The sealed values as stored, to look for in the files afterwards.
    let sealed: Vec<String> = fridhem::on_pool!(&app.db, |p| sqlx::query_scalar(
        "SELECT name FROM registrations WHERE event_id = $1"
    )
    .bind(event.id)
    .fetch_all(p)
    .await)
    .unwrap();
    assert_eq!(sealed.len(), 2);
    // The e-mails reach the mail folder first.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while crate::helpers::binary::files_in(app.mail_dir.path()).len() < 2 {
        assert!(std::time::Instant::now() < deadline, "mail not written");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    let day_29 = event.ends_at + Duration::days(29);
    let none = purge_due(
        &app.state.writer,
        Some(app.mail_dir.path().to_owned()),
        30,
        day_29,
    )
    .await
    .unwrap();
    assert_eq!(none.registrations, 0, "not before 30 days");
    let day_31 = event.ends_at + Duration::days(31);
    clock.set(day_31);
    let done = purge_due(
        &app.state.writer,
        Some(app.mail_dir.path().to_owned()),
        30,
        day_31,
    )
    .await
    .unwrap();
    assert_eq!(done.registrations, 2);
    assert_eq!(done.mails, 2);
    assert_eq!(done.files, 2);
    assert!(crate::helpers::binary::files_in(app.mail_dir.path()).is_empty());
    let again = purge_due(&app.state.writer, None, 30, day_31)
        .await
        .unwrap();
    assert_eq!(again.registrations, 0, "once");

    // The counts stay; nothing finds the people.
    assert_eq!(
        states(app, &event).await,
        [("anmald".into(), 1), ("anmald".into(), 1)]
    );
    let (status, _) = app.get_text(&format!("/anmalan/{anna}")).await;
    assert_eq!(status, 404);
    assert_eq!(audit_count(app, "registrations-purged").await, 1);
    let left: Vec<Remains> = fridhem::on_pool!(&app.db, |p| sqlx::query_as(
        "SELECT name, email, needs, token_nonce FROM registrations WHERE event_id = $1"
    )
    .bind(event.id)
    .fetch_all(p)
    .await)
    .unwrap();
    assert!(left
        .iter()
        .all(|l| l.0.is_none() && l.1.is_none() && l.2.is_none() && l.3.is_empty()));

    use crate::helpers::staff::{create_account, enrol, get};
    create_account(
        app,
        "evenemang@example.se",
        &[fridhem::auth::Role::Evenemangsansvarig],
    )
    .await;
    let staff = enrol(app, "evenemang@example.se").await;
    let page = get(
        app,
        &format!("/admin/evenemang/anmalningar?id={}", event.id),
        Some(&staff.cookie),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(
        page.contains("raderades") && page.contains("Per kommun"),
        "{page}"
    );
    assert!(
        page.contains("<td>Järfälla</td><td>1</td>") && page.contains("<td>Solna</td><td>1</td>"),
        "{page}"
    );
    assert!(!page.contains("Gallring"), "{page}");

    app.db.checkpoint().await.unwrap();
    let bytes = crate::helpers::cases::database_bytes(app);
    for text in sealed.iter().map(String::as_str).chain([
        "Anna Gallring",
        "anna.gallring@jarfalla.se",
        "XYZZY",
    ]) {
        assert!(
            !crate::helpers::cases::holds(&bytes, text),
            "{text} is still in the database files"
        );
    }
}

mod clocked_retention {
    use super::{clocked, clocked_tests, personal_data_goes_after_the_event};
    clocked_tests!(personal_data_goes_after_the_event);
}

/// Many registrations at once, on one instance or on two sharing a
/// PostgreSQL database: never more seats than the event has, the waiting
/// list in the order the registrations were stored, every acknowledged
/// registration stored; then cancellations move up exactly the people a
/// first-fit walk down the list says.
mod at_once {
    use std::collections::HashMap;
    use std::sync::Arc;

    use chrono::{TimeZone, Utc};
    use fridhem::clock::ManualClock;
    use fridhem::events::model::{Audience, Event};
    use fridhem::events::registration::service::token_hash;

    use super::{event_with, personal_action};
    use crate::helpers::forms::{send_form, token_of};
    use crate::helpers::{spawn_app_with, Backend, Options, TestApp};
    use crate::staff::SHARED_KEY;

    async fn instance(
        backend: Backend,
        database_url: Option<String>,
        clock: Arc<ManualClock>,
    ) -> TestApp {
        spawn_app_with(
            backend,
            Options {
                clock: Some(clock),
                database_url,
                env: vec![
                    ("FRIDHEM_SECRET_KEY", SHARED_KEY.to_owned()),
                    // Everyone comes from 127.0.0.1 here.
                    ("FRIDHEM_FORM_RATE_LIMIT", "0".to_owned()),
                ],
                ..Options::default()
            },
        )
        .await
    }

    fn clock() -> Arc<ManualClock> {
        Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 5).unwrap(),
        ))
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Row {
        hash: String,
        status: String,
        seats: i64,
    }

    async fn rows(app: &TestApp, event: &Event) -> Vec<Row> {
        let rows: Vec<(String, String, i64)> = fridhem::on_pool!(&app.db, |p| {
            sqlx::query_as(
            "SELECT token_hash, status, seats FROM registrations WHERE event_id = $1 ORDER BY queue"
        )
        .bind(event.id)
        .fetch_all(p)
        .await
        })
        .unwrap();
        rows.into_iter()
            .map(|(hash, status, seats)| Row {
                hash,
                status,
                seats,
            })
            .collect()
    }

    /// What first-fit in list order gives for registrations arriving in
    /// `order` (seats each) with `capacity` seats.
    fn first_fit(order: &[i64], capacity: i64) -> Vec<&'static str> {
        let mut taken = 0;
        order
            .iter()
            .map(|s| {
                if taken + s <= capacity {
                    taken += s;
                    "anmald"
                } else {
                    "vantelista"
                }
            })
            .collect()
    }

    pub(crate) async fn run(apps: &[&TestApp], people: usize, capacity: i64, cancellations: usize) {
        let event = event_with(apps[0], "Många samtidigt", |e| {
            e.audience = Audience::SchoolYouth;
            e.capacity = Some(capacity);
        })
        .await;
        for app in apps {
            crate::helpers::page_when(app, &event.path(), &event.title).await;
        }
        let token = token_of(&apps[0].get_text(&event.path()).await.1);
        let mut tasks = vec![];
        for i in 0..people {
            let app = apps[i % apps.len()];
            let (client, url, token) = (app.client.clone(), app.url(&event.path()), token.clone());
            tasks.push(tokio::spawn(async move {
                let email = format!("person{i}@example.org");
                let pupils = (2 + i % 3).to_string();
                let mut fields = vec![
                    ("token", token.as_str()),
                    ("namn", "Namn"),
                    ("epost", email.as_str()),
                ];
                if i % 4 == 0 {
                    fields.extend([
                        ("anmaler", "klass"),
                        ("skola", "Skolan"),
                        ("klass", "9A"),
                        ("elever", pupils.as_str()),
                        ("vantelista", "ja"),
                    ]);
                } else {
                    fields.push(("anmaler", "person"));
                }
                let r = send_form(&client, &url, &fields).await;
                let status = r.status().as_u16();
                let location = r
                    .headers()
                    .get("location")
                    .map(|l| l.to_str().unwrap().to_owned());
                (status, location)
            }));
        }
        let mut tokens = vec![];
        for t in tasks {
            let (status, location) = t.await.unwrap();
            assert_eq!(status, 303, "every registration is answered with its page");
            tokens.push(location.unwrap().trim_start_matches("/anmalan/").to_owned());
        }
        let stored = rows(apps[0], &event).await;
        assert_eq!(
            stored.len(),
            people,
            "every acknowledged registration is stored"
        );
        let by_hash: HashMap<&str, &Row> = stored.iter().map(|r| (r.hash.as_str(), r)).collect();
        for t in &tokens {
            assert!(
                by_hash.contains_key(token_hash(t).as_str()),
                "a link without its registration"
            );
        }
        let seats: Vec<i64> = stored.iter().map(|r| r.seats).collect();
        let states: Vec<&str> = stored.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(
            states,
            first_fit(&seats, capacity),
            "first fit in the order stored"
        );
        let taken: i64 = stored
            .iter()
            .filter(|r| r.status == "anmald")
            .map(|r| r.seats)
            .sum();
        assert_eq!(taken, capacity, "exactly the seats, never more");

        // Cancellations, one at a time, each through its instance.
        let mut model: Vec<Row> = stored.clone();
        let mut seed = 7u64;
        for n in 0..cancellations {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let active: Vec<usize> = (0..model.len())
                .filter(|i| model[*i].status == "anmald" || model[*i].status == "vantelista")
                .collect();
            let pick = active[(seed >> 33) as usize % active.len()];
            let token = tokens
                .iter()
                .find(|t| token_hash(t) == model[pick].hash)
                .unwrap()
                .clone();
            let (status, _) = personal_action(apps[n % apps.len()], &token, "avboka").await;
            assert_eq!(status, 200);
            let freed = model[pick].status == "anmald";
            model[pick].status = "avbokad".into();
            if freed {
                let mut taken: i64 = model
                    .iter()
                    .filter(|r| r.status == "anmald")
                    .map(|r| r.seats)
                    .sum();
                for r in model.iter_mut().filter(|r| r.status == "vantelista") {
                    if taken + r.seats <= capacity {
                        r.status = "anmald".into();
                        taken += r.seats;
                    }
                }
            }
            assert_eq!(rows(apps[0], &event).await, model, "after cancellation {n}");
        }
    }

    #[tokio::test]
    async fn sqlite_never_overbooks() {
        let app = instance(Backend::Sqlite, None, clock()).await;
        run(&[&app], 120, 20, 15).await;
        app.stop().await;
    }

    #[tokio::test]
    #[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
    async fn postgres_two_instances_never_overbook() {
        let clock = clock();
        let first = instance(Backend::Postgres, None, clock.clone()).await;
        let second = instance(Backend::Postgres, Some(first.database_url.clone()), clock).await;
        run(&[&first, &second], 120, 20, 15).await;
        second.stop().await;
        first.stop().await;
    }
}

/// The e-mails at a real SMTP server, read by Python's mail parser and
/// `icalendar` as a mail program would: the confirmation carries a valid
/// calendar file (REQUEST) and the meeting link, the waiting-list e-mail
/// neither, the cancellation a CANCEL, the promotion and the reminder the
/// link again, and staff calling the event off a CANCEL without it.
mod mail_at_smtp {
    use std::time::{Duration as Wait, Instant};

    use fridhem::clock::Clock;
    use fridhem::events::model::{Format, MeetingLink};

    use super::{event_with, person, personal_action, token_from};
    use crate::helpers::{spawn_app_with, Backend, Options};

    const LINK: &str = "https://example.org/mote/hemlig-456";

    #[tokio::test]
    #[ignore = "needs FRIDHEM_TEST_PYTHON with icalendar (run by .ci/run)"]
    async fn calendar_files_reach_the_mailbox() {
        let port = crate::helpers::free_port();
        let inbox = crate::smtp::start(port);
        let clock = std::sync::Arc::new(fridhem::clock::ManualClock::new(chrono::Utc::now()));
        let app = spawn_app_with(
            Backend::Sqlite,
            Options {
                clock: Some(clock.clone()),
                env: vec![
                    ("FRIDHEM_SMTP_URL", format!("smtp://127.0.0.1:{port}")),
                    ("FRIDHEM_FORM_RATE_LIMIT", "0".into()),
                ],
                ..Options::default()
            },
        )
        .await;
        let event = event_with(&app, "Digital föreläsning med länk", |e| {
            e.format = Format::Digital;
            e.place = None;
            e.address = None;
            e.capacity = Some(1);
            e.meeting_link = Some(MeetingLink::new(LINK.into()));
        })
        .await;
        let anna = token_from(&person(&app, &event, "Anna Ås", "anna@example.org").await);
        token_from(&person(&app, &event, "Bo", "bo@example.org").await);
        personal_action(&app, &anna, "avboka").await;
        // A day before: Bo's reminder; then staff call the event off.
        let ctx = fridhem::events::registration::routes::context(&app.state);
        clock.set(event.starts_at - chrono::Duration::hours(23));
        let reminded =
            fridhem::events::registration::service::send_reminders(&ctx, clock.now()).await;
        assert_eq!(reminded.unwrap(), 1);
        let by = crate::helpers::staff::create_account(
            &app,
            "eva@kommun.se",
            &[fridhem::auth::Role::Evenemangsansvarig],
        )
        .await;
        let cancelled = fridhem::events::service::cancel_event(
            &ctx,
            by,
            event.id,
            "Föreläsaren är sjuk.".into(),
            clock.now(),
        )
        .await;
        assert!(cancelled.unwrap());
        app.state.mail_wake.notify_one();
        let deadline = Instant::now() + Wait::from_secs(30);
        while inbox.messages().len() < 6 {
            assert!(
                Instant::now() < deadline,
                "{} messages",
                inbox.messages().len()
            );
            tokio::time::sleep(Wait::from_millis(100)).await;
        }
        let dir = tempfile::tempdir().unwrap();
        let mut files = vec![];
        for (i, m) in inbox.messages().iter().enumerate() {
            let path = dir.path().join(format!("{i}.eml"));
            std::fs::write(&path, m).unwrap();
            files.push(path.display().to_string());
        }
        let python = std::env::var("FRIDHEM_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
        let output = std::process::Command::new(&python)
            .arg("tests/ical/mail_calendar.py")
            .args(&files)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let mails: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let by_subject = |start: &str| {
            mails
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["subject"].as_str().unwrap().starts_with(start))
                .unwrap_or_else(|| panic!("no {start:?} in {mails}"))
                .clone()
        };
        let confirmed = by_subject("Du är anmäld");
        let waiting = by_subject("Du står på väntelistan");
        let cancelled = by_subject("Din anmälan är avbokad");
        let promoted = by_subject("Du har fått en plats");
        let reminder = by_subject("Påminnelse");
        let called_off = by_subject("Inställt");
        for (mail, method, link) in [
            (&confirmed, Some("REQUEST"), true),
            (&waiting, None, false),
            (&cancelled, Some("CANCEL"), false),
            (&promoted, Some("REQUEST"), true),
            (&reminder, Some("REQUEST"), true),
            (&called_off, Some("CANCEL"), false),
        ] {
            let text = mail["text"].as_str().unwrap();
            let calendars = mail["calendars"].as_array().unwrap();
            assert_eq!(text.contains(LINK), link, "{text}");
            assert!(!text.contains("{{seal:"), "the token is put in at delivery");
            match method {
                None => assert!(calendars.is_empty()),
                Some(m) => {
                    assert_eq!(calendars.len(), 1);
                    let c = &calendars[0];
                    assert_eq!(c["method"], m);
                    assert_eq!(c["content_method"], m, "the content type names the method");
                    let uid = c["uid"].as_str().unwrap();
                    assert!(
                        uid.starts_with("anmalan-") && uid.ends_with(&event.uid),
                        "{uid}"
                    );
                    assert_eq!(c["description"].as_str().unwrap().contains(LINK), link);
                    assert!(c["organizer"].as_str().unwrap().starts_with("mailto:"));
                    let start =
                        chrono::DateTime::parse_from_rfc3339(c["start"].as_str().unwrap()).unwrap();
                    assert_eq!(start.timestamp(), event.starts_at.timestamp());
                    if m == "CANCEL" {
                        // The person's own cancellation is one more than
                        // the event's SEQUENCE; the event's cancellation
                        // raised the event's own by one.
                        assert_eq!(c["status"], "CANCELLED");
                        assert_eq!(c["sequence"], event.sequence + 1);
                    } else {
                        assert_eq!(c["status"], "CONFIRMED");
                    }
                }
            }
        }
        assert!(confirmed["text"].as_str().unwrap().contains("/anmalan/"));
        app.stop().await;
    }
}
