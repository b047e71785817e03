//! Editors keep the pages (issue 13): the list with review dates, the
//! edit page's preview (nothing stored), a draft (the public page
//! unchanged), a publish (the public page changes, dated today, kept as a
//! revision), errors in the GOV.UK pattern, and who may; on both
//! databases, with an injected clock.

use chrono::{Duration, Months};
use fridhem::auth::Role;
use fridhem::clock::{Clock, ManualClock};

use crate::helpers::staff::{act, code_now, create_account, enrol, get, sign_in_with};
use crate::helpers::TestApp;
use crate::staff::{clocked, clocked_tests};

const EDIT: &str = "/admin/sidor/redigera?sida=%2Finte-ensam";

async fn public_page_when(app: &TestApp, path: &str, has: &str) -> String {
    let started = std::time::Instant::now();
    loop {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 200);
        if html.contains(has) {
            return html;
        }
        assert!(
            started.elapsed().as_secs() < 5,
            "{path} does not show {has:?} after 5 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

async fn scalar(app: &TestApp, sql: &'static str) -> i64 {
    fridhem::on_pool!(&app.db, |p| sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(p)
        .await)
    .unwrap()
}

async fn an_editor_previews_saves_and_publishes(app: &TestApp, clock: &ManualClock) {
    // The demo pages are dated the day the instance started; the editor
    // works the day after.
    let seeded = clock.today();
    clock.advance(Duration::days(1));
    create_account(app, "red@example.se", &[Role::Redaktor]).await;
    let red = enrol(app, "red@example.se").await;

    // The list: every page, published, reviewed within the year.
    let list = get(app, "/admin/sidor", Some(&red.cookie)).await;
    assert_eq!(list.status(), 200);
    let list = list.text().await.unwrap();
    assert!(
        list.contains(&format!("href=\"{}\"", EDIT.replace('&', "&amp;"))),
        "{list}"
    );
    assert!(!list.contains("utkast finns") && !list.contains("Försenad"));

    let form = get(app, EDIT, Some(&red.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("name=\"titel\" value=\"Inte ensam\""),
        "{form}"
    );

    let text =
        "## Vi finns här\n\nRing [Kvinnofridslinjen](tel:020505050).\n\n<script>alert(1)</script>";
    let fields = |action: &'static str| {
        vec![
            ("sida", "/inte-ensam"),
            ("titel", "Inte ensam i Järfälla"),
            ("beskrivning", "Om samarbetet mot våld i nära relationer."),
            ("text", text),
            ("atgard", action),
        ]
    };

    // Preview: rendered safely, nothing stored.
    let r = act(
        app,
        &red,
        "/admin/sidor/redigera",
        &fields("forhandsgranska"),
    )
    .await;
    assert_eq!(r.status(), 200);
    let preview = r.text().await.unwrap();
    assert!(preview.contains("Förhandsgranskning"));
    assert!(preview.contains("<h2>Vi finns här</h2>"), "{preview}");
    assert!(preview.contains("<a href=\"tel:020505050\" rel=\"noreferrer\">Kvinnofridslinjen</a>"));
    assert!(!preview.contains("<script>alert"), "{preview}");
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM page_drafts").await, 0);

    // A draft: kept, listed, the public page unchanged.
    let r = act(app, &red, "/admin/sidor/redigera", &fields("spara")).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/admin/sidor/redigera?sida=%2Finte-ensam&klart=sparat"
    );
    let form = get(app, EDIT, Some(&red.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains("value=\"Inte ensam i Järfälla\""));
    assert!(form.contains("Det finns ett utkast"));
    let list = get(app, "/admin/sidor", Some(&red.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("utkast finns"));
    let (_, public) = app.get_text("/inte-ensam").await;
    assert!(!public.contains("Vi finns här"));

    // Publish: the public page changes and is dated today.
    let r = act(app, &red, "/admin/sidor/redigera", &fields("publicera")).await;
    assert_eq!(r.status(), 303);
    let public = public_page_when(app, "/inte-ensam", "Vi finns här").await;
    assert!(public.contains("Inte ensam i Järfälla"));
    assert!(
        public.contains(&clock.today().to_string()),
        "Senast uppdaterad"
    );
    assert!(!public.contains(&seeded.to_string()));
    assert!(!public.contains("<script>alert"));
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM page_drafts").await, 0);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM page_revisions").await, 1);
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('page-draft-saved', 'page-published') \
             AND object_id = '/inte-ensam'"
        )
        .await,
        2
    );
    let list = get(app, "/admin/sidor", Some(&red.cookie))
        .await
        .text()
        .await
        .unwrap();
    let review_by = (clock.today() + Months::new(12)).to_string();
    assert!(list.contains(&review_by), "{review_by} in {list}");

    // A year later (signed in again), the pages not published since the
    // day before are past their review date: marked, and listed before
    // the page published that day, which is not.
    clock.advance(Duration::days(365));
    let red = sign_in_with(app, &red, &code_now(app, &red.secret))
        .await
        .unwrap();
    let list = get(app, "/admin/sidor", Some(&red.cookie))
        .await
        .text()
        .await
        .unwrap();
    let first_overdue = list.find("Försenad").expect("overdue pages marked");
    let published = list.find("Inte ensam i Järfälla").unwrap();
    assert!(first_overdue < published, "overdue pages first");
    let row = &list[published..published + list[published..].find("</tr>").unwrap()];
    assert!(!row.contains("Försenad"), "{row}");
}

async fn mistakes_are_explained_and_nothing_is_kept(app: &TestApp, _clock: &ManualClock) {
    create_account(app, "red@example.se", &[Role::Redaktor]).await;
    let red = enrol(app, "red@example.se").await;
    let long = "x".repeat(fridhem::content::editing::MAX_TITLE + 1);
    let r = act(
        app,
        &red,
        "/admin/sidor/redigera",
        &[
            ("sida", "/inte-ensam"),
            ("titel", &long),
            ("beskrivning", "  "),
            ("text", "Text"),
            ("atgard", "publicera"),
        ],
    )
    .await;
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(page.contains("Det finns ett problem"));
    assert!(
        page.contains("href=\"#titel\">Rubriken får vara högst 120 tecken. Nu är den 121."),
        "{page}"
    );
    assert!(page.contains("href=\"#beskrivning\">Skriv en kort beskrivning av sidan."));
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM page_revisions").await, 0);

    // A page that does not exist.
    let r = act(
        app,
        &red,
        "/admin/sidor/redigera",
        &[
            ("sida", "/finns-inte"),
            ("titel", "T"),
            ("beskrivning", "B"),
            ("text", "Text"),
            ("atgard", "publicera"),
        ],
    )
    .await;
    assert_eq!(r.status(), 404);
    assert_eq!(
        get(app, "/admin/sidor/redigera?sida=%2Fnej", Some(&red.cookie))
            .await
            .status(),
        404
    );

    // A handläggare is not an editor.
    create_account(app, "kim@example.se", &[Role::HandlaggareKo]).await;
    let kim = enrol(app, "kim@example.se").await;
    assert_eq!(
        get(app, "/admin/sidor", Some(&kim.cookie)).await.status(),
        403
    );
    let r = act(
        app,
        &kim,
        "/admin/sidor/redigera",
        &[
            ("sida", "/inte-ensam"),
            ("titel", "T"),
            ("beskrivning", "B"),
            ("text", "Text"),
            ("atgard", "publicera"),
        ],
    )
    .await;
    assert_eq!(r.status(), 403);
}

clocked_tests!(
    an_editor_previews_saves_and_publishes,
    mistakes_are_explained_and_nothing_is_kept,
);
