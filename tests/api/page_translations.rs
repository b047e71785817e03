//! A page's translations (issue 13, on the schema of the restructuring):
//! each records the date of the Swedish text it follows, shows as behind
//! when the Swedish page changes until an editor marks it current, and as
//! not reviewed until an editor says so; every save is audited. Both
//! databases, injected clock.

use chrono::{Duration, NaiveDate};
use fridhem::auth::Role;
use fridhem::clock::{Clock, ManualClock};

use fridhem::web::i18n::Lang;

use crate::helpers::staff::{act, create_account, enrol, get, SignedIn};
use crate::helpers::{page_when, page_without, TestApp};
use crate::staff::{clocked, clocked_tests};

const FI: &str = "/admin/sidor/oversattning?sida=%2Finte-ensam&sprak=fi";
/// The Finnish public page's notices (locales/fi/main.ftl).
const BEHIND: &str = "notice notice--language";
const NOT_REVIEWED: &str = "class=\"translation-note\"";

async fn follows(app: &TestApp) -> (NaiveDate, bool) {
    fridhem::on_pool!(&app.db, |p| sqlx::query_as::<_, (NaiveDate, bool)>(
        "SELECT source_updated_on, reviewed FROM page_translations WHERE path = '/inte-ensam' AND lang = 'fi'"
    )
    .fetch_one(p)
    .await)
    .unwrap()
}

async fn save_fi(
    app: &TestApp,
    red: &SignedIn,
    current: bool,
    reviewed: bool,
) -> reqwest::Response {
    let mut fields = vec![
        ("sida", "/inte-ensam"),
        ("sprak", "fi"),
        ("titel", "Et ole yksin"),
        (
            "beskrivning",
            "Yhteistyö turvallisten kotien puolesta Järfällassa.",
        ),
        ("text", "Voit soittaa Kvinnofridslinjeniin: 020-50 50 50."),
    ];
    if current {
        fields.push(("aktuell", "ja"));
    }
    if reviewed {
        fields.push(("granskad", "ja"));
    }
    act(app, red, "/admin/sidor/oversattning", &fields).await
}

async fn editor_page(app: &TestApp, red: &SignedIn) -> String {
    get(
        app,
        "/admin/sidor/redigera?sida=%2Finte-ensam",
        Some(&red.cookie),
    )
    .await
    .text()
    .await
    .unwrap()
}

async fn translations_follow_the_swedish_text(app: &TestApp, clock: &ManualClock) {
    // The Swedish page's date as seeded.
    let seeded = fridhem::content::store::page(&app.db, "/inte-ensam")
        .await
        .unwrap()
        .unwrap()
        .updated_on;
    create_account(app, "red@example.se", &[Role::Redaktor]).await;
    let red = enrol(app, "red@example.se").await;
    let page = editor_page(app, &red).await;
    assert!(
        page.contains(&format!(
            "<a href=\"{}\">Finska</a>",
            FI.replace('&', "&#38;")
        )),
        "{page}"
    );
    // The demo has the page in all six languages, following the seeded
    // Swedish text, none reviewed.
    assert_eq!(page.matches(">Saknas<").count(), 0);
    assert_eq!(
        page.matches(&format!("Följer den svenska texten från {seeded}</td>"))
            .count(),
        6,
        "{page}"
    );
    let public = app.get_text("/fi/inte-ensam").await.1;
    assert!(public.contains(NOT_REVIEWED));
    assert!(!public.contains(BEHIND));

    let form = get(app, FI, Some(&red.cookie)).await;
    assert_eq!(form.status(), 200);
    let form = form.text().await.unwrap();
    assert!(form.contains(&format!(
        "Översättningen följer den svenska texten från {seeded}."
    )));
    assert!(form.contains("lang=\"fi\" dir=\"ltr\""));
    let arabic = get(
        app,
        "/admin/sidor/oversattning?sida=%2Finte-ensam&sprak=ar",
        Some(&red.cookie),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(arabic.contains("lang=\"ar\" dir=\"rtl\""));

    // Saved: follows the Swedish text of today, not reviewed.
    let r = save_fi(app, &red, true, false).await;
    assert_eq!(r.status(), 303);
    assert_eq!(follows(app).await, (seeded, false));
    let page = editor_page(app, &red).await;
    assert!(
        page.contains(&format!("Följer den svenska texten från {seeded}</td>")),
        "{page}"
    );

    // The Swedish page changes a day later: the translation is behind.
    clock.advance(Duration::days(1));
    let red = crate::helpers::staff::sign_in_with(
        app,
        &red,
        &crate::helpers::staff::code_now(app, &red.secret),
    )
    .await
    .unwrap();
    let r = act(
        app,
        &red,
        "/admin/sidor/redigera",
        &[
            ("sida", "/inte-ensam"),
            ("titel", "Inte ensam"),
            ("beskrivning", "Om samarbetet."),
            ("text", "Ny svensk text."),
            ("atgard", "publicera"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let page = editor_page(app, &red).await;
    assert!(
        page.contains(
            "den har ändrats sedan dess <strong class=\"tag tag--warning\">Inaktuell</strong>"
        ),
        "{page}"
    );
    let form = get(app, FI, Some(&red.cookie)).await.text().await.unwrap();
    assert!(form.contains("Den svenska texten har ändrats"));
    // The public Finnish page says so in Finnish, with a link to the
    // Swedish text; so does every other language.
    page_when(app, "/fi/inte-ensam", BEHIND).await;
    let i18n = fridhem::web::i18n::I18n::load();
    for lang in [Lang::En, Lang::Ar, Lang::Fa, Lang::So, Lang::Lattlast] {
        let behind = i18n.catalogue(lang).t("translation-behind");
        let html = app.get_text(&lang.url("/inte-ensam")).await.1;
        assert!(html.contains(behind), "{lang:?}");
        assert!(
            html.contains("<a href=\"/inte-ensam\" hreflang=\"sv\">"),
            "{lang:?}"
        );
    }
    assert!(
        form.contains("id=\"aktuell\" name=\"aktuell\" value=\"ja\" aria-describedby"),
        "not ticked: {form}"
    );

    // Reviewed, but not brought up to date: still behind.
    assert_eq!(save_fi(app, &red, false, true).await.status(), 303);
    assert_eq!(follows(app).await, (seeded, true));
    // The text was already saved; only the small print goes.
    let public = page_without(app, "/fi/inte-ensam", NOT_REVIEWED).await;
    assert!(public.contains(BEHIND), "{public}");
    // Marked current: the notice goes; the other languages stay behind.
    assert_eq!(save_fi(app, &red, true, true).await.status(), 303);
    assert_eq!(follows(app).await, (clock.today(), true));
    assert!(editor_page(app, &red).await.matches("Inaktuell").count() == 5);
    let public = page_without(app, "/fi/inte-ensam", BEHIND).await;
    assert!(!public.contains(NOT_REVIEWED));

    let saved = crate::staff::audit_actions(app).await;
    assert_eq!(
        saved
            .iter()
            .filter(|a| *a == "page-translation-saved")
            .count(),
        3
    );

    // Mistakes and unknowns.
    let r = act(
        app,
        &red,
        "/admin/sidor/oversattning",
        &[
            ("sida", "/inte-ensam"),
            ("sprak", "fi"),
            ("titel", ""),
            ("beskrivning", "B"),
            ("text", "T"),
        ],
    )
    .await;
    assert_eq!(r.status(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("<a href=\"#titel\">Skriv sidans rubrik på språket.</a>"));
    for query in ["sida=%2Finte-ensam&sprak=de", "sida=%2Fnej&sprak=fi"] {
        let r = get(
            app,
            &format!("/admin/sidor/oversattning?{query}"),
            Some(&red.cookie),
        )
        .await;
        assert_eq!(r.status(), 404, "{query}");
    }
}

clocked_tests!(translations_follow_the_swedish_text);
