//! Case handling (issue 11): the inbox, the case page and its actions,
//! spoken to over HTTP on both databases with a clock the tests move.

use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, TimeZone, Utc};
use fridhem::auth::Role;
use fridhem::clock::ManualClock;

use crate::helpers::forms::submit_valid;
use crate::helpers::staff::{act, create_account, enrol, get, SignedIn};
use crate::helpers::{
    outbox_mails, outbox_to, reference_of, spawn_app_with, Backend, Options, TestApp,
};
use crate::staff::{audit_actions, clocked, clocked_tests};

// The clock jumps in these tests: people sign in after the last jump, as
// a session would otherwise have ended while idle.

const TG: &str = "/tillganglighet/rapportera";
const AF: &str = "/tillganglighet/alternativt-format";
const KO: &str = "/kontakt";

/// Sends the form at `path` with valid answers; returns the reference.
async fn submit(app: &TestApp, path: &str) -> String {
    let location = submit_valid(app, path).await;
    reference_of(&location, path).unwrap().to_owned()
}

async fn page(app: &TestApp, who: &SignedIn, path: &str) -> (u16, String) {
    let r = get(app, path, Some(&who.cookie)).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

/// A signed-in person holding `roles`.
async fn person(app: &TestApp, email: &str, roles: &[Role]) -> (i64, SignedIn) {
    let id = create_account(app, email, roles).await;
    (id, enrol(app, email).await)
}

async fn handlers_see_and_touch_only_their_types(app: &TestApp, _clock: &ManualClock) {
    let tg = submit(app, TG).await;
    let af = submit(app, AF).await;
    let ko = submit(app, KO).await;
    let (_, tina) = person(app, "tina@example.se", &[Role::HandlaggareTg]).await;
    let (_, kim) = person(app, "kim@example.se", &[Role::HandlaggareKo]).await;
    let (_, ada) = person(app, "ada@example.se", &[Role::Administrator]).await;
    let (_, red) = person(app, "red@example.se", &[Role::Redaktor]).await;

    let (status, inbox) = page(app, &tina, "/admin/arenden").await;
    assert_eq!(status, 200);
    assert!(
        inbox.contains(&format!("href=\"/admin/arenden/{tg}\"")),
        "{inbox}"
    );
    assert!(!inbox.contains(&af) && !inbox.contains(&ko), "{inbox}");
    assert!(inbox.contains("1 ärende."), "{inbox}");
    // One type: no type filter; the counts are hers only.
    assert!(!inbox.contains("Alla typer"), "{inbox}");
    assert!(inbox.contains("Öppna (1)"), "{inbox}");

    let (_, all) = page(app, &ada, "/admin/arenden").await;
    for r in [&tg, &af, &ko] {
        assert!(all.contains(&format!("href=\"/admin/arenden/{r}\"")), "{r}");
    }
    assert!(all.contains("Alla typer (3)"), "{all}");
    assert!(all.contains("Kontakt (KO) (1)"), "{all}");
    let (_, only_ko) = page(app, &ada, "/admin/arenden?typ=KO").await;
    assert!(only_ko.contains(&ko) && !only_ko.contains(&tg), "{only_ko}");

    // A type she does not handle: refused, the list and the page alike,
    // whether or not the case exists.
    assert_eq!(page(app, &tina, "/admin/arenden?typ=KO").await.0, 403);
    assert_eq!(
        page(app, &tina, &format!("/admin/arenden/{ko}")).await.0,
        403
    );
    assert_eq!(
        page(app, &tina, "/admin/arenden/KO-2026-99999").await.0,
        403
    );
    assert_eq!(
        page(app, &tina, "/admin/arenden/TG-2026-99999").await.0,
        404
    );
    assert_eq!(page(app, &tina, "/admin/arenden/nonsens").await.0, 404);
    assert_eq!(page(app, &red, "/admin/arenden").await.0, 403);
    for action in ["tilldela", "status", "anteckning", "svar"] {
        let r = act(app, &tina, &format!("/admin/arenden/{ko}/{action}"), &[]).await;
        assert_eq!(r.status(), 403, "{action}");
    }
    let r = act(
        app,
        &kim,
        &format!("/admin/arenden/{tg}/anteckning"),
        &[("anteckning", "Inte min")],
    )
    .await;
    assert_eq!(r.status(), 403);

    // Her own case opens, and opening it is in the audit log.
    let (status, case) = page(app, &tina, &format!("/admin/arenden/{tg}")).await;
    assert_eq!(status, 200, "{case}");
    assert!(
        case.contains("Fokus syns inte på filterlänkarna."),
        "{case}"
    );
    assert!(case.contains("Ärendet kom in"));
    assert!(audit_actions(app).await.contains(&"case-viewed".to_owned()));
    let (_, kim_inbox) = page(app, &kim, "/admin/arenden").await;
    assert!(kim_inbox.contains(&ko) && !kim_inbox.contains(&tg));

    // Search by reference, within what she may see.
    let number = &tg[tg.len() - 5..];
    let (_, found) = page(app, &tina, &format!("/admin/arenden?sok={number}")).await;
    assert!(found.contains(&tg), "{found}");
    let (_, none) = page(app, &tina, &format!("/admin/arenden?sok={}", &ko)).await;
    assert!(none.contains("0 ärenden."), "{none}");
    let (status, bad) = page(app, &tina, "/admin/arenden?sok=%3Cscript%3E").await;
    assert_eq!(status, 200);
    assert!(bad.contains("Det finns ett problem") && !bad.contains("<script>"));
}

async fn status_moves_on_and_a_closed_case_reopens(app: &TestApp, _clock: &ManualClock) {
    let tg = submit(app, TG).await;
    let (_, tina) = person(app, "tina@example.se", &[Role::HandlaggareTg]).await;
    let path = format!("/admin/arenden/{tg}/status");
    for (from, to) in [
        ("ny", "pagar"),
        ("pagar", "vantar"),
        ("vantar", "avslutad"),
        ("avslutad", "pagar"),
    ] {
        let r = act(app, &tina, &path, &[("fran", from), ("till", to)]).await;
        assert_eq!(r.status(), 303, "{from} → {to}");
        assert_eq!(location(&r), format!("/admin/arenden/{tg}?klart=status"));
    }
    let (_, case) = page(app, &tina, &format!("/admin/arenden/{tg}")).await;
    for line in [
        "Status ändrad till Pågår",
        "Status ändrad till Väntar på svar",
        "Status ändrad till Avslutad",
    ] {
        assert!(case.contains(line), "{line}: {case}");
    }
    assert_eq!(case.matches("Status ändrad till Pågår").count(), 2);
    // Reopened: no longer closed.
    assert!(!case.contains("<dt>Avslutat</dt>"), "{case}");

    // A page showing an old status: refused, told what it is now.
    let stale = act(app, &tina, &path, &[("fran", "ny"), ("till", "vantar")]).await;
    assert_eq!(stale.status(), 409);
    let text = stale.text().await.unwrap();
    assert!(text.contains("statusen är nu pågår"), "{text}");
    // Back to ny is no step at all; an unknown status is a bad form.
    let back = act(app, &tina, &path, &[("fran", "pagar"), ("till", "ny")]).await;
    assert_eq!(back.status(), 409);
    let junk = act(app, &tina, &path, &[("fran", "pagar"), ("till", "x")]).await;
    assert_eq!(junk.status(), 400);

    let actions = audit_actions(app).await;
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "case-status-changed")
            .count(),
        4
    );
    // Closed cases leave the default list and stay under "Avslutad".
    act(
        app,
        &tina,
        &path,
        &[("fran", "pagar"), ("till", "avslutad")],
    )
    .await;
    let (_, open) = page(app, &tina, "/admin/arenden").await;
    assert!(!open.contains(&format!("/admin/arenden/{tg}\"")), "{open}");
    let (_, closed) = page(app, &tina, "/admin/arenden?status=avslutad").await;
    assert!(
        closed.contains(&format!("/admin/arenden/{tg}\"")),
        "{closed}"
    );
    assert!(closed.contains("Avslutad (1)"), "{closed}");
}

async fn two_people_assigning_at_once_one_wins(app: &TestApp, _clock: &ManualClock) {
    let tg = submit(app, TG).await;
    let (tina_id, tina) = person(app, "tina@example.se", &[Role::HandlaggareTg]).await;
    let (tove_id, tove) = person(app, "tove@example.se", &[Role::HandlaggareTg]).await;
    let (kim_id, _) = person(app, "kim@example.se", &[Role::HandlaggareKo]).await;
    let path = format!("/admin/arenden/{tg}/tilldela");
    let (tina_id_text, tove_id_text) = (tina_id.to_string(), tove_id.to_string());
    let tina_form = [("fran", ""), ("till", tina_id_text.as_str())];
    let tove_form = [("fran", ""), ("till", tove_id_text.as_str())];
    let (a, b) = tokio::join!(
        act(app, &tina, &path, &tina_form),
        act(app, &tove, &path, &tove_form),
    );
    let (sa, sb) = (a.status().as_u16(), b.status().as_u16());
    assert!(
        (sa, sb) == (303, 409) || (sa, sb) == (409, 303),
        "{sa} {sb}"
    );
    let (loser, winner_name) = if sa == 409 {
        (a, "Person tove@example.se")
    } else {
        (b, "Person tina@example.se")
    };
    let text = loser.text().await.unwrap();
    assert!(
        text.contains(&format!("ärendet är redan tilldelat {winner_name}")),
        "{text}"
    );
    assert_eq!(
        audit_actions(app)
            .await
            .iter()
            .filter(|a| *a == "case-assigned")
            .count(),
        1
    );
    // Someone who does not handle the type cannot be given the case.
    let holder = if sa == 303 { tina_id } else { tove_id };
    let r = act(
        app,
        &tina,
        &path,
        &[("fran", &holder.to_string()), ("till", &kim_id.to_string())],
    )
    .await;
    assert_eq!(r.status(), 409);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Välj en person som handlägger"));
    // Released, then it shows as unassigned.
    let r = act(
        app,
        &tina,
        &path,
        &[("fran", &holder.to_string()), ("till", "")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, list) = page(app, &tina, "/admin/arenden?visa=otilldelade").await;
    assert!(list.contains(&tg), "{list}");
    assert!(list.contains("Inte tilldelade (1)"), "{list}");
    // Taken by herself: in "Tilldelade mig".
    let r = act(app, &tina, &path, &[("fran", ""), ("till", &tina_id_text)]).await;
    assert_eq!(r.status(), 303);
    let (_, mine) = page(app, &tina, "/admin/arenden?visa=mina").await;
    assert!(
        mine.contains(&tg) && mine.contains("Tilldelade mig (1)"),
        "{mine}"
    );
    let (_, theirs) = page(app, &tove, "/admin/arenden?visa=mina").await;
    assert!(
        !theirs.contains(&format!("/admin/arenden/{tg}\"")),
        "{theirs}"
    );
}

/// The outbox row of the reply on case `reference`.
async fn reply_row(app: &TestApp, reference: &str) -> (String, String, String, Option<String>) {
    let prefix = format!("<{reference}.svar.");
    let mut replies: Vec<_> = outbox_mails(app)
        .await
        .into_iter()
        .filter(|m| m.message_id.starts_with(&prefix))
        .collect();
    assert_eq!(replies.len(), 1, "one reply on {reference}");
    let m = replies.remove(0);
    (m.recipient, m.subject, m.body, m.reply_to)
}

async fn a_reply_is_mail_history_and_audit_together(app: &TestApp, _clock: &ManualClock) {
    let tg = submit(app, TG).await;
    let (_, tina) = person(app, "tina@example.se", &[Role::HandlaggareTg]).await;
    let case_path = format!("/admin/arenden/{tg}");
    let (_, case) = page(app, &tina, &case_path).await;
    // The template is the starting point.
    assert!(
        case.contains("Tack för att du hörde av dig om bristen"),
        "{case}"
    );
    assert!(case.contains("Skicka med e-post till anna@example.se"));

    // Refused with reasons, the typed text kept.
    let r = act(
        app,
        &tina,
        &format!("{case_path}/svar"),
        &[("satt", "epost"), ("text", "  ")],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("Skriv svaret."));
    let long = "a".repeat(10_001);
    let r = act(
        app,
        &tina,
        &format!("{case_path}/svar"),
        &[("satt", "epost"), ("text", &long)],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("högst 10\u{a0}000 tecken"));
    let r = act(
        app,
        &tina,
        &format!("{case_path}/svar"),
        &[("satt", "duva"), ("text", "Hej")],
    )
    .await;
    assert_eq!(r.status(), 400);

    let text = "Hej!\nVi har rättat fokusmarkeringen.\nMed vänliga hälsningar";
    let r = act(
        app,
        &tina,
        &format!("{case_path}/svar"),
        &[("satt", "epost"), ("text", text)],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (recipient, subject, body, reply_to) = reply_row(app, &tg).await;
    assert_eq!(recipient, "anna@example.se");
    assert!(subject.contains(&tg), "{subject}");
    assert!(body.starts_with(text), "{body}");
    assert!(body.contains("https://www.digg.se/tdosanmalan"), "{body}");
    assert!(
        !body.contains("Fokus syns inte"),
        "the requester's words: {body}"
    );
    assert!(reply_to.is_some());

    // The history shows the reply with its delivery state; the case is
    // answered and now being worked on.
    let (_, case) = page(app, &tina, &case_path).await;
    assert!(case.contains("Svar med e-post</strong>: e-post"), "{case}");
    assert!(case.contains("Vi har rättat fokusmarkeringen."));
    assert!(case.contains("Status ändrad till Pågår"));
    assert!(case.contains("Först besvarat"));
    let actions = audit_actions(app).await;
    assert!(actions.contains(&"case-replied".to_owned()), "{actions:?}");

    // The reply, its history line and its audit entry are one
    // transaction: each reply row has its event and its audit entry.
    let (mails, events, audits): (i64, i64, i64) = fridhem::on_pool!(&app.db, |p| sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM outbox WHERE message_id LIKE '%.svar.%'), \
         (SELECT COUNT(*) FROM case_events WHERE kind = 'reply' AND outbox_id IS NOT NULL), \
         (SELECT COUNT(*) FROM audit_log WHERE action = 'case-replied')"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!((mails, events, audits), (1, 1, 1));
}

async fn notes_and_answers_by_phone_are_kept_as_written(app: &TestApp, _clock: &ManualClock) {
    let ko = submit(app, KO).await;
    let (_, kim) = person(app, "kim@example.se", &[Role::HandlaggareKo]).await;
    let case_path = format!("/admin/arenden/{ko}");
    let note = "Ringde <b>bolaget</b>.\nÅterkommer & följer upp.";
    let r = act(
        app,
        &kim,
        &format!("{case_path}/anteckning"),
        &[("anteckning", note)],
    )
    .await;
    assert_eq!(r.status(), 303);
    let r = act(
        app,
        &kim,
        &format!("{case_path}/anteckning"),
        &[("anteckning", "")],
    )
    .await;
    assert_eq!(r.status(), 400);
    let r = act(
        app,
        &kim,
        &format!("{case_path}/anteckning"),
        &[("anteckning", "a\u{0}b")],
    )
    .await;
    assert_eq!(r.status(), 400);
    let r = act(
        app,
        &kim,
        &format!("{case_path}/svar"),
        &[("satt", "telefon"), ("text", "Berättade om affischerna.")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, case) = page(app, &kim, &case_path).await;
    // Escaped, line breaks kept (the text keeps its newline; CSS shows it).
    assert!(
        case.contains("Ringde &#60;b&#62;bolaget&#60;/b&#62;.\nÅterkommer &#38; följer upp."),
        "{case}"
    );
    assert!(case.contains("Svar per telefon"));
    assert!(case.contains("Berättade om affischerna."));
    // No e-mail went out for it.
    let replies: i64 = fridhem::on_pool!(&app.db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE message_id LIKE '%.svar.%'"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(replies, 0);
    let actions = audit_actions(app).await;
    assert!(actions.contains(&"case-note-added".to_owned()));
    assert!(actions.contains(&"case-answered".to_owned()));
}

async fn answer_dates_count_working_days_and_overdue_shows(app: &TestApp, clock: &ManualClock) {
    // Friday 4 December 2026, 19:30 in Stockholm: day 0 is the Friday,
    // five working days on is Friday 11 December.
    clock.set(Utc.with_ymd_and_hms(2026, 12, 4, 18, 30, 0).unwrap());
    let friday = submit(app, KO).await;
    // Julafton: the holidays and eves push it into January.
    clock.set(Utc.with_ymd_and_hms(2026, 12, 24, 9, 0, 0).unwrap());
    let eve = submit(app, KO).await;
    // 28 December: the first is overdue (marked in words), the second not.
    clock.set(Utc.with_ymd_and_hms(2026, 12, 28, 9, 0, 0).unwrap());
    let (_, kim) = person(app, "kim@example.se", &[Role::HandlaggareKo]).await;
    let (_, a) = page(app, &kim, &format!("/admin/arenden/{friday}")).await;
    assert!(a.contains("<dt>Svara senast</dt><dd>2026-12-11"), "{a}");
    assert!(a.contains("Försenat"), "{a}");
    let (_, b) = page(app, &kim, &format!("/admin/arenden/{eve}")).await;
    assert!(b.contains("<dt>Svara senast</dt><dd>2027-01-05"), "{b}");
    assert!(!b.contains("Försenat"));
    let (_, list) = page(app, &kim, "/admin/arenden?visa=forsenade").await;
    assert!(list.contains(&friday) && !list.contains(&eve), "{list}");
    assert!(list.contains("Försenat"), "{list}");
    assert!(list.contains("Försenade (1)"), "{list}");
    // Answered: no longer overdue.
    let r = act(
        app,
        &kim,
        &format!("/admin/arenden/{friday}/svar"),
        &[("satt", "brev"), ("text", "Skickade ett brev.")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, list) = page(app, &kim, "/admin/arenden?visa=forsenade").await;
    assert!(list.contains("0 ärenden."), "{list}");
}

async fn the_inbox_pages_oldest_first(app: &TestApp, clock: &ManualClock) {
    let mut references = vec![];
    for _ in 0..55 {
        clock.advance(Duration::minutes(1));
        references.push(submit(app, KO).await);
    }
    let (_, kim) = person(app, "kim@example.se", &[Role::HandlaggareKo]).await;
    let (_, first) = page(app, &kim, "/admin/arenden").await;
    assert!(first.contains("55 ärenden, sida 1 av 2."), "{first}");
    let at = |page: &str, r: &str| page.find(&format!("/admin/arenden/{r}\"")).unwrap();
    assert!(at(&first, &references[0]) < at(&first, &references[49]));
    assert!(!first.contains(&references[50]));
    assert!(
        first.contains("href=\"/admin/arenden?sida=2\" rel=\"next\""),
        "{first}"
    );
    let (_, second) = page(app, &kim, "/admin/arenden?sida=2").await;
    assert!(second.contains(&references[54]) && !second.contains(&references[0]));
    assert!(second.contains("rel=\"prev\""));
}

async fn case_type_settings_reach_the_receipt_statement_and_mail(
    app: &TestApp,
    _clock: &ManualClock,
) {
    let (_, ada) = person(app, "ada@example.se", &[Role::Administrator]).await;
    let (_, tina) = person(app, "tina@example.se", &[Role::HandlaggareTg]).await;
    assert_eq!(
        page(app, &tina, "/admin/installningar/arendetyper").await.0,
        403
    );
    let (status, form) = page(app, &ada, "/admin/installningar/arendetyper").await;
    assert_eq!(status, 200);
    let mut fields: Vec<(String, String)> = vec![];
    for key in ["tg", "af", "ko"] {
        for (name, value) in [("svarstid", "5"), ("adress", ""), ("gallring", "24")] {
            fields.push((format!("{key}-{name}"), value.to_owned()));
        }
        let template = form
            .split(&format!("name=\"{key}-mall\""))
            .nth(1)
            .and_then(|rest| rest.split('>').nth(1))
            .and_then(|rest| rest.split("</textarea").next())
            .unwrap()
            .replace("&#60;", "<");
        fields.push((format!("{key}-mall"), template));
    }
    let set = |fields: &mut Vec<(String, String)>, name: &str, value: &str| {
        fields.iter_mut().find(|(k, _)| k == name).unwrap().1 = value.to_owned();
    };

    // Refused with a reason per field; nothing saved.
    let mut bad = fields.clone();
    set(&mut bad, "tg-svarstid", "0");
    set(&mut bad, "af-adress", "inte en adress");
    set(&mut bad, "ko-mall", " ");
    set(&mut bad, "ko-gallring", "tolv");
    let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = act(app, &ada, "/admin/installningar/arendetyper", &pairs).await;
    assert_eq!(r.status(), 400);
    let text = r.text().await.unwrap();
    for expected in [
        "href=\"#tg-svarstid\"",
        "href=\"#af-adress\"",
        "href=\"#ko-mall\"",
        "href=\"#ko-gallring\"",
        "från 1 till 60",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }
    assert!(!audit_actions(app)
        .await
        .contains(&"case-type-changed".to_owned()));

    // Three working days for accessibility reports, a mailbox of their own.
    set(&mut fields, "tg-svarstid", "3");
    set(&mut fields, "tg-adress", "tillganglighet@kommun.example.se");
    set(&mut fields, "tg-mall", "Hej! Det gäller {referens}.");
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = act(app, &ada, "/admin/installningar/arendetyper", &pairs).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        "/admin/installningar/arendetyper?klart=sparat"
    );
    let actions = audit_actions(app).await;
    assert_eq!(
        actions.iter().filter(|a| *a == "case-type-changed").count(),
        1
    );

    let receipt = submit_valid(app, TG).await;
    let text = app.get(&receipt).await.text().await.unwrap();
    assert!(text.contains("Vi svarar inom 3 arbetsdagar."), "{text}");
    let reference = reference_of(&receipt, TG).unwrap().to_owned();
    // The statement says the same once the content version is seen.
    let deadline = Instant::now() + StdDuration::from_secs(10);
    loop {
        let statement = app.get("/tillganglighet").await.text().await.unwrap();
        if statement.contains("Vi svarar inom 3 arbetsdagar.") {
            break;
        }
        assert!(Instant::now() < deadline, "{statement}");
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    // The notification went to the type's own mailbox; the reply starts
    // from the template and answers go there too.
    let prefix = format!("<{reference}.handlaggare.");
    let to = outbox_mails(app)
        .await
        .into_iter()
        .find(|m| m.message_id.starts_with(&prefix))
        .expect("the handler's notification")
        .recipient;
    assert_eq!(to, "tillganglighet@kommun.example.se");
    let (_, case) = page(app, &tina, &format!("/admin/arenden/{reference}")).await;
    assert!(
        case.contains(&format!("Hej! Det gäller {reference}.")),
        "{case}"
    );
    let r = act(
        app,
        &tina,
        &format!("/admin/arenden/{reference}/svar"),
        &[("satt", "epost"), ("text", "Hej! Klart.")],
    )
    .await;
    assert_eq!(r.status(), 303);
    let (_, _, _, reply_to) = reply_row(app, &reference).await;
    assert_eq!(
        reply_to.as_deref(),
        Some("tillganglighet@kommun.example.se")
    );
}

/// Waits until `path` of `app` contains (or, `present` false, lacks)
/// `text`, as the content version reaches the instance.
async fn eventually(app: &TestApp, path: &str, text: &str, present: bool) -> String {
    let deadline = Instant::now() + StdDuration::from_secs(15);
    loop {
        let page = app.get(path).await.text().await.unwrap();
        if page.contains(text) == present {
            return page;
        }
        assert!(Instant::now() < deadline, "{text} ({present}): {page}");
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
}

const PROBLEM: &str = "Knappen för att lämna sidan syns inte när man zoomar in.";

/// Publishes `PROBLEM` from case `reference` as `who`.
async fn publish(app: &TestApp, who: &SignedIn, reference: &str) -> reqwest::Response {
    act(
        app,
        who,
        &format!("/admin/arenden/{reference}/publicera"),
        &[
            ("beskrivning", PROBLEM),
            ("kriterium", "1.4.10"),
            ("skal", "Sidhuvudet byggs om under våren."),
            ("datum", "2027-03-31"),
        ],
    )
    .await
}

async fn a_confirmed_problem_reaches_the_statement_and_leaves_it_fixed(
    app: &TestApp,
    clock: &ManualClock,
) {
    clock.set(Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap());
    let tg = submit(app, TG).await;
    let ko = submit(app, KO).await;
    let (_, tina) = person(app, "tina@example.se", &[Role::HandlaggareTg]).await;
    let (_, kim) = person(app, "kim@example.se", &[Role::HandlaggareKo]).await;
    let before = app.get("/tillganglighet").await.text().await.unwrap();
    assert!(!before.contains(PROBLEM));

    // Refused with a reason per field, nothing published.
    let r = act(
        app,
        &tina,
        &format!("/admin/arenden/{tg}/publicera"),
        &[
            ("beskrivning", ""),
            ("kriterium", "4.1.1"),
            ("skal", ""),
            ("datum", "2026-12-02"),
        ],
    )
    .await;
    assert_eq!(r.status(), 400);
    let text = r.text().await.unwrap();
    for href in [
        "#brist-beskrivning",
        "#brist-kriterium",
        "#brist-skal",
        "#brist-datum",
    ] {
        assert!(text.contains(&format!("href=\"{href}\"")), "{href}: {text}");
    }
    assert!(text.contains("Datumet för åtgärden kan inte ha passerat."));
    // Only accessibility cases have a statement part.
    let r = act(app, &kim, &format!("/admin/arenden/{ko}/publicera"), &[]).await;
    assert_eq!(r.status(), 404);

    let r = publish(app, &tina, &tg).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        format!("/admin/arenden/{tg}?klart=publicerad")
    );
    let statement = eventually(app, "/tillganglighet", PROBLEM, true).await;
    assert!(
        statement.contains("1.4.10 Anpassning till skärmstorlek"),
        "{statement}"
    );
    assert!(statement.contains("Sidhuvudet byggs om under våren."));
    assert!(statement.contains("31 mars 2027"), "{statement}");
    // "Senast uppdaterad" follows: the day it was published.
    assert!(statement.contains("datetime=\"2026-12-03\""), "{statement}");
    // Nothing the requester wrote.
    assert!(!statement.contains("Fokus syns inte på filterlänkarna."));
    assert!(
        statement.contains("Delvis förenlig med lagen"),
        "a listed problem makes it partial: {statement}"
    );
    // The editorial text written for full compliance no longer shows.
    assert!(
        !statement.contains("vi känner inte till något kriterium"),
        "{statement}"
    );

    let (_, case) = page(app, &tina, &format!("/admin/arenden/{tg}")).await;
    assert!(case.contains("Bristen publicerad i tillgänglighetsredogörelsen"));
    let id = crate::helpers::staff::value_of(&case, "brist");
    clock.set(Utc.with_ymd_and_hms(2026, 12, 4, 9, 0, 0).unwrap());
    let (_, tina) = person(app, "tina2@example.se", &[Role::HandlaggareTg]).await;
    let r = act(
        app,
        &tina,
        &format!("/admin/arenden/{tg}/atgardad"),
        &[("brist", &id)],
    )
    .await;
    assert_eq!(r.status(), 303);
    let statement = eventually(app, "/tillganglighet", PROBLEM, false).await;
    assert!(statement.contains("datetime=\"2026-12-04\""), "{statement}");
    // Fixed twice: told it already is.
    let r = act(
        app,
        &tina,
        &format!("/admin/arenden/{tg}/atgardad"),
        &[("brist", &id)],
    )
    .await;
    assert_eq!(r.status(), 409);
    let (_, case) = page(app, &tina, &format!("/admin/arenden/{tg}")).await;
    assert!(case.contains("Bristen åtgärdad och borttagen ur redogörelsen"));
    assert!(case.contains(PROBLEM), "kept in the case's history");
    let actions = audit_actions(app).await;
    assert!(actions.contains(&"problem-published".to_owned()));
    assert!(actions.contains(&"problem-fixed".to_owned()));
}

clocked_tests!(
    a_confirmed_problem_reaches_the_statement_and_leaves_it_fixed,
    case_type_settings_reach_the_receipt_statement_and_mail,
    handlers_see_and_touch_only_their_types,
    status_moves_on_and_a_closed_case_reopens,
    two_people_assigning_at_once_one_wins,
    a_reply_is_mail_history_and_audit_together,
    notes_and_answers_by_phone_are_kept_as_written,
    answer_dates_count_working_days_and_overdue_shows,
    the_inbox_pages_oldest_first,
);

/// Mail that keeps failing is given up after seven days, and the case
/// shows it: in the inbox and in the history, with the kind of error.
async fn mail_failing_for_a_week_is_given_up(backend: Backend) {
    let clock = std::sync::Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
    ));
    // Nothing listens there: every attempt fails to connect.
    let closed = crate::helpers::free_port();
    let app = spawn_app_with(
        backend,
        Options {
            clock: Some(clock.clone()),
            env: vec![
                ("FRIDHEM_SMTP_URL", format!("smtp://127.0.0.1:{closed}")),
                ("FRIDHEM_MAIL_RETRY_BASE_MS", "100".into()),
            ],
            ..Options::default()
        },
    )
    .await;
    let ko = submit(&app, KO).await;
    let failed = || async {
        fridhem::on_pool!(&app.db, |p| sqlx::query_as::<_, (i64, i64)>(
            "SELECT COUNT(*), CAST(COALESCE(SUM(attempts), 0) AS BIGINT) FROM outbox WHERE failed_at IS NOT NULL"
        )
        .fetch_one(p)
        .await)
        .unwrap()
    };
    // Tried, not yet given up.
    let deadline = Instant::now() + StdDuration::from_secs(20);
    loop {
        let attempts: i64 = fridhem::on_pool!(&app.db, |p| sqlx::query_scalar(
            "SELECT MIN(attempts) FROM outbox"
        )
        .fetch_one(p)
        .await)
        .unwrap();
        if attempts >= 1 {
            break;
        }
        assert!(Instant::now() < deadline, "never tried");
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    assert_eq!(failed().await.0, 0);
    clock.advance(Duration::days(7) + Duration::minutes(1));
    let deadline = Instant::now() + StdDuration::from_secs(20);
    while failed().await.0 < 2 {
        assert!(Instant::now() < deadline, "not given up");
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    // Given up means no more attempts.
    let attempts = failed().await.1;
    clock.advance(Duration::days(1));
    tokio::time::sleep(StdDuration::from_millis(1500)).await;
    assert_eq!(failed().await.1, attempts);

    let (_, kim) = person(&app, "kim@example.se", &[Role::HandlaggareKo]).await;
    let (_, list) = page(&app, &kim, "/admin/arenden").await;
    assert!(list.contains("E-post kunde inte levereras"), "{list}");
    let (_, case) = page(&app, &kim, &format!("/admin/arenden/{ko}")).await;
    assert!(case.contains("e-post misslyckad"), "{case}");
    assert!(case.contains("smtp"), "{case}");
    app.stop().await;
}

#[tokio::test]
async fn mail_failing_for_a_week_is_given_up_sqlite() {
    mail_failing_for_a_week_is_given_up(Backend::Sqlite).await;
}

#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn mail_failing_for_a_week_is_given_up_postgres() {
    mail_failing_for_a_week_is_given_up(Backend::Postgres).await;
}

/// Two instances on one PostgreSQL: a problem published on one shows in
/// the statement of the other.
#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn a_problem_published_on_one_instance_shows_on_the_other() {
    let (a, _clock_a) = clocked(Backend::Postgres, None).await;
    let (b, _clock_b) = clocked(Backend::Postgres, Some(a.database_url.clone())).await;
    let tg = submit(&a, TG).await;
    let (_, tina) = person(&a, "tina@example.se", &[Role::HandlaggareTg]).await;
    let _ = b.get("/tillganglighet").await.text().await.unwrap();
    assert_eq!(publish(&a, &tina, &tg).await.status(), 303);
    eventually(&b, "/tillganglighet", PROBLEM, true).await;
    b.stop().await;
    a.stop().await;
}

/// A message the SMTP server refuses is given up at once and listed at
/// /admin/utkorg, where it is sent again or discarded, both audited.
async fn given_up_mail_is_sent_again_or_discarded(backend: Backend) {
    let port = crate::helpers::free_port();
    let inbox = crate::smtp::start(port);
    let app = crate::forms::spawn_with_smtp(backend, port).await;
    let token = crate::helpers::forms::form_token(&app, KO).await;
    let mut fields = crate::helpers::forms::valid_fields(KO);
    for f in fields.iter_mut() {
        if f.0 == "epost" {
            f.1 = crate::smtp::REFUSED_RECIPIENT;
        }
    }
    fields.push(("token", &token));
    let r = crate::helpers::forms::post_form(&app, KO, &fields).await;
    assert_eq!(r.status(), 303);
    let reference = reference_of(r.headers()["location"].to_str().unwrap(), KO)
        .unwrap()
        .to_owned();
    let (_, ada) = person(&app, "ada@example.se", &[Role::Administrator]).await;
    let (_, kim) = person(&app, "kim@example.se", &[Role::HandlaggareKo]).await;
    assert_eq!(page(&app, &kim, "/admin/utkorg").await.0, 403);
    let deadline = Instant::now() + StdDuration::from_secs(20);
    let listed = loop {
        let (_, list) = page(&app, &ada, "/admin/utkorg").await;
        if list.contains(crate::smtp::REFUSED_RECIPIENT) {
            break list;
        }
        assert!(Instant::now() < deadline, "{list}");
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    };
    assert!(
        listed.contains(&format!("href=\"/admin/arenden/{reference}\"")),
        "{listed}"
    );
    assert!(listed.contains("smtp permanent error 550"), "{listed}");
    let refused = outbox_to(&app, crate::smtp::REFUSED_RECIPIENT).await;
    assert_eq!(refused.len(), 1);
    let id = refused[0].id;
    // Sent again: tried once more (and refused again, so listed again).
    let r = act(&app, &ada, &format!("/admin/utkorg/{id}/skicka-igen"), &[]).await;
    assert_eq!(r.status(), 303);
    let deadline = Instant::now() + StdDuration::from_secs(20);
    loop {
        let (attempts, failed): (i64, Option<String>) =
            fridhem::on_pool!(&app.db, |p| sqlx::query_as(
                "SELECT attempts, CAST(failed_at AS TEXT) FROM outbox WHERE id = $1"
            )
            .bind(id)
            .fetch_one(p)
            .await)
            .unwrap();
        if attempts == 1 && failed.is_some() {
            break;
        }
        assert!(Instant::now() < deadline, "{attempts} {failed:?}");
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    // Discarded: off the list, never tried again; twice is a conflict.
    let r = act(&app, &ada, &format!("/admin/utkorg/{id}/kassera"), &[]).await;
    assert_eq!(r.status(), 303);
    let (_, list) = page(&app, &ada, "/admin/utkorg").await;
    assert!(!list.contains(crate::smtp::REFUSED_RECIPIENT), "{list}");
    assert_eq!(
        act(&app, &ada, &format!("/admin/utkorg/{id}/kassera"), &[])
            .await
            .status(),
        409
    );
    assert_eq!(
        act(&app, &ada, &format!("/admin/utkorg/{id}/skicka-igen"), &[])
            .await
            .status(),
        409
    );
    let actions = audit_actions(&app).await;
    assert!(actions.contains(&"mail-resent".to_owned()));
    assert!(actions.contains(&"mail-discarded".to_owned()));
    assert!(!inbox
        .messages()
        .iter()
        .any(|m| m.contains(crate::smtp::REFUSED_RECIPIENT)));
    app.stop().await;
}

#[tokio::test]
async fn given_up_mail_is_sent_again_or_discarded_sqlite() {
    given_up_mail_is_sent_again_or_discarded(Backend::Sqlite).await;
}

#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn given_up_mail_is_sent_again_or_discarded_postgres() {
    given_up_mail_is_sent_again_or_discarded(Backend::Postgres).await;
}

/// Real SMTP: a reply arrives with the reference in its subject, Reply-To
/// the type's handler mailbox and the DIGG paragraph, and without anything
/// the requester wrote.
async fn a_reply_arrives_by_smtp(backend: Backend) {
    let port = crate::helpers::free_port();
    let inbox = crate::smtp::start(port);
    let app = crate::forms::spawn_with_smtp(backend, port).await;
    let tg = submit(&app, TG).await;
    let (_, tina) = person(&app, "tina@example.se", &[Role::HandlaggareTg]).await;
    let text = "Hej!\nVi har rättat fokusmarkeringen på filterlänkarna.\nMed vänliga hälsningar";
    let r = act(
        &app,
        &tina,
        &format!("/admin/arenden/{tg}/svar"),
        &[("satt", "epost"), ("text", text)],
    )
    .await;
    assert_eq!(r.status(), 303);
    let subject = format!("Svar på ditt ärende {tg}");
    let body = crate::staff_accounts::arrives(&inbox, "anna@example.se", &subject).await;
    assert!(body.contains("Vi har rättat fokusmarkeringen"), "{body}");
    assert!(body.contains("https://www.digg.se/tdosanmalan"), "{body}");
    assert!(body.contains("0771-11 44 00"), "{body}");
    assert!(
        !body.contains("Fokus syns inte"),
        "the requester's words: {body}"
    );
    let raw = inbox
        .messages()
        .into_iter()
        .find(|m| crate::staff_accounts::decoded_subject(m).contains(&subject))
        .unwrap();
    let handler = app.state.config.mail.handlers[0].1.clone();
    assert!(raw.contains(&format!("Reply-To: {handler}")), "{raw}");
    assert!(
        raw.contains(&format!("From: {}", app.state.config.mail.from)),
        "{raw}"
    );
    // Delivered: the case's history says so.
    let deadline = Instant::now() + StdDuration::from_secs(10);
    loop {
        let (_, case) = page(&app, &tina, &format!("/admin/arenden/{tg}")).await;
        if case.contains("Svar med e-post</strong>: e-post skickad") {
            break;
        }
        assert!(Instant::now() < deadline, "{case}");
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    app.stop().await;
}

#[tokio::test]
async fn a_reply_arrives_by_smtp_sqlite() {
    a_reply_arrives_by_smtp(Backend::Sqlite).await;
}

#[tokio::test]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn a_reply_arrives_by_smtp_postgres() {
    a_reply_arrives_by_smtp(Backend::Postgres).await;
}
