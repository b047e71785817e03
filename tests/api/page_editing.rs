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
    let public = crate::helpers::page_when(app, "/inte-ensam", "Vi finns här").await;
    assert!(public.contains("Inte ensam i Järfälla"));
    assert!(
        public.contains(&clock.today().to_string()),
        "Senast uppdaterad"
    );
    assert!(!public.contains(&seeded.to_string()));
    assert!(!public.contains("<script>alert"));
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM page_drafts").await, 0);
    // The seeded text is kept as the first revision, then the publish.
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM page_revisions").await, 2);
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

async fn revision_ids(app: &TestApp) -> Vec<i64> {
    fridhem::on_pool!(&app.db, |p| sqlx::query_scalar::<_, i64>(
        "SELECT id FROM page_revisions WHERE path = '/inte-ensam' ORDER BY id"
    )
    .fetch_all(p)
    .await)
    .unwrap()
}

async fn restore(
    app: &TestApp,
    who: &crate::helpers::staff::SignedIn,
    csrf: &str,
    id: &str,
) -> reqwest::Response {
    act(
        app,
        who,
        "/admin/sidor/version",
        &[("csrf", csrf), ("id", id)],
    )
    .await
}

async fn revisions_are_compared_and_restored(app: &TestApp, clock: &ManualClock) {
    clock.advance(Duration::days(1));
    create_account(app, "red@example.se", &[Role::Redaktor]).await;
    let red = enrol(app, "red@example.se").await;
    let publish = |title: &'static str, text: &'static str| {
        let red = red.clone();
        async move {
            let r = act(
                app,
                &red,
                "/admin/sidor/redigera",
                &[
                    ("sida", "/inte-ensam"),
                    ("titel", title),
                    ("beskrivning", "Om samarbetet."),
                    ("text", text),
                    ("atgard", "publicera"),
                ],
            )
            .await;
            assert_eq!(r.status(), 303);
        }
    };
    publish("Inte ensam", "Första stycket.\n\nRing 112.\n").await;
    publish(
        "Du är inte ensam",
        "Första stycket.\n\nRing 112 om det är akut.\n",
    )
    .await;
    crate::helpers::page_when(app, "/inte-ensam", "Ring 112 om det är akut.").await;
    let ids = revision_ids(app).await;
    assert_eq!(ids.len(), 3, "the seeded text and two publishes");

    // The list, newest first, says who published each.
    let list = get(
        app,
        "/admin/sidor/versioner?sida=%2Finte-ensam",
        Some(&red.cookie),
    )
    .await;
    assert_eq!(list.status(), 200);
    let list = list.text().await.unwrap();
    let (v3, v2, v1) = (
        list.find("Version 3</a> (publicerad nu)")
            .expect("newest marked"),
        list.find("Version 2</a>").unwrap(),
        list.find("Version 1</a>").unwrap(),
    );
    assert!(v3 < v2 && v2 < v1, "newest first");
    assert!(list.contains("Person red@example.se"));
    assert!(list.contains("ingen (texten före den första publiceringen här)"));
    assert!(list.contains(&format!("href=\"/admin/sidor/version?id={}\"", ids[1])));

    // Version 2 against the published text: the changed line both ways,
    // the changed title, the description unchanged.
    let page = get(
        app,
        &format!("/admin/sidor/version?id={}", ids[1]),
        Some(&red.cookie),
    )
    .await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("Bara i den äldre versionen: </span><span aria-hidden=\"true\">− </span>Ring 112.</del>"),
        "{page}"
    );
    assert!(page.contains(
        "Bara i den publicerade texten: </span><span aria-hidden=\"true\">+ </span>Ring 112 om det är akut.</ins>"
    ));
    assert!(page.contains("<span aria-hidden=\"true\">  </span>Första stycket.</span>"));
    assert!(page
        .contains("Version 2: <del>Inte ensam</del><br>Publicerad: <ins>Du är inte ensam</ins>"));
    assert!(page.contains("<dt><strong>Beskrivning</strong></dt>\n<dd>Oförändrad.</dd>"));
    // The newest is the published text.
    let page = get(
        app,
        &format!("/admin/sidor/version?id={}", ids[2]),
        Some(&red.cookie),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(page.contains("likadan som den publicerade texten"));

    // Restore version 2: it becomes the draft; the public page keeps the
    // published text until the draft is published.
    let csrf = crate::helpers::staff::value_of(&page, "csrf");
    let id = ids[1].to_string();
    let r = restore(app, &red, &csrf, &id).await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/admin/sidor/redigera?sida=%2Finte-ensam&klart=aterstallt"
    );
    let form = get(app, &format!("{EDIT}&klart=aterstallt"), Some(&red.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains("återställd som utkast"));
    assert!(form.contains("Det finns ett utkast"));
    assert!(form.contains("name=\"titel\" value=\"Inte ensam\""));
    assert!(
        form.contains(">Första stycket.\n\nRing 112.\n</textarea>"),
        "{form}"
    );
    assert!(form.contains("Tidigare versioner (3)"));
    let (_, public) = app.get_text("/inte-ensam").await;
    assert!(public.contains("Ring 112 om det är akut."));
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'page-revision-restored' \
             AND object_id = '/inte-ensam'"
        )
        .await,
        1
    );

    // Published, the restored text is on the public page and is version 4.
    publish("Inte ensam", "Första stycket.\n\nRing 112.\n").await;
    let public = crate::helpers::page_when(app, "/inte-ensam", "<p>Ring 112.</p>").await;
    assert!(!public.contains("om det är akut"));
    assert_eq!(revision_ids(app).await.len(), 4);
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM page_drafts").await, 0);

    // The seeded text can be restored too.
    let id = ids[0].to_string();
    let r = restore(app, &red, &csrf, &id).await;
    assert_eq!(r.status(), 303);
    let seeded = fridhem::on_pool!(&app.db, |p| sqlx::query_scalar::<_, String>(
        "SELECT body_md FROM page_drafts WHERE path = '/inte-ensam'"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert!(seeded.contains("Järfälla"), "{seeded}");

    // Nonsense and missing revisions; a handläggare may not look.
    for id in ["abc", "99999", "-1"] {
        let r = get(
            app,
            &format!("/admin/sidor/version?id={id}"),
            Some(&red.cookie),
        )
        .await;
        assert_eq!(r.status(), 404, "{id}");
        assert_eq!(restore(app, &red, &csrf, id).await.status(), 404, "{id}");
    }
    // No version named: back to the pages.
    let r = restore(app, &red, &csrf, "").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/admin/sidor");
    assert_eq!(
        get(app, "/admin/sidor/versioner?sida=%2Fnej", Some(&red.cookie))
            .await
            .status(),
        404
    );
    create_account(app, "kim@example.se", &[Role::HandlaggareKo]).await;
    let kim = enrol(app, "kim@example.se").await;
    assert_eq!(
        get(
            app,
            "/admin/sidor/versioner?sida=%2Finte-ensam",
            Some(&kim.cookie)
        )
        .await
        .status(),
        403
    );
}

clocked_tests!(
    revisions_are_compared_and_restored,
    an_editor_previews_saves_and_publishes,
    mistakes_are_explained_and_nothing_is_kept,
);
