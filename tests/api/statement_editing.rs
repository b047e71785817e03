//! Administrators keep the accessibility statement's fixed fields (issue
//! 13): a change is on /tillganglighet at once, dated today and audited;
//! wrong input is explained and keeps nothing; editors may not.

use chrono::Duration;
use fridhem::auth::Role;
use fridhem::clock::{Clock, ManualClock};

use crate::helpers::staff::{act, create_account, enrol, get};
use crate::helpers::{page_when, TestApp};
use crate::staff::{clocked, clocked_tests};

fn fields<'a>(method: &'a str, assessed: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("tjanst", "Fridhem, Järfälla kommun"),
        ("status", "delvis"),
        ("status-text", ""),
        ("bedomd", assessed),
        ("metod", method),
        ("synpunkter", "Skriv till oss."),
        ("tillsyn", "DIGG har tillsyn."),
        ("betungande", ""),
    ]
}

async fn an_administrator_changes_the_statement(app: &TestApp, clock: &ManualClock) {
    clock.advance(Duration::days(3));
    create_account(app, "admin@example.se", &[Role::Administrator]).await;
    let admin = enrol(app, "admin@example.se").await;
    let form = get(app, "/admin/tillganglighet", Some(&admin.cookie)).await;
    assert_eq!(form.status(), 200);
    let form = form.text().await.unwrap();
    assert!(
        form.contains("id=\"status-helt\" name=\"status\" value=\"helt\" checked"),
        "{form}"
    );

    // Mistakes: a date that is not one, a date to come, a missing method.
    let tomorrow = (clock.today() + Duration::days(1)).to_string();
    for (method, assessed, href, text) in [
        (
            "Granskad med axe.",
            "1 december",
            "#bedomd",
            "Skriv datumet för bedömningen",
        ),
        (
            "Granskad med axe.",
            tomorrow.as_str(),
            "#bedomd",
            "Bedömningen kan inte vara gjord i framtiden.",
        ),
        (
            "  ",
            "2026-12-02",
            "#metod",
            "Beskriv hur webbplatsen har granskats.",
        ),
    ] {
        let r = act(
            app,
            &admin,
            "/admin/tillganglighet",
            &fields(method, assessed),
        )
        .await;
        assert_eq!(r.status(), 400, "{href}");
        let page = r.text().await.unwrap();
        assert!(
            page.contains(&format!("<a href=\"{href}\">{text}")),
            "{text} in {page}"
        );
    }
    let (_, public) = app.get_text("/tillganglighet").await;
    assert!(!public.contains("Fridhem, Järfälla kommun"));

    let r = act(
        app,
        &admin,
        "/admin/tillganglighet",
        &fields("Granskad med axe och skärmläsaren NVDA.", "2026-12-02"),
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        "/admin/tillganglighet?klart=sparat"
    );
    let public = page_when(
        app,
        "/tillganglighet",
        "Granskad med axe och skärmläsaren NVDA.",
    )
    .await;
    assert!(public.contains("Fridhem, Järfälla kommun"));
    assert!(
        public.contains(&format!("<time datetime=\"{}\">", clock.today())),
        "dated today"
    );
    // No problem is listed, so the status stays "helt" whatever is chosen.
    let form = get(
        app,
        "/admin/tillganglighet?klart=sparat",
        Some(&admin.cookie),
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(form.contains("Redogörelsen är publicerad"));
    assert!(form.contains("value=\"delvis\" checked"));
    let entries = crate::staff::audit_actions(app).await;
    assert_eq!(
        entries.iter().filter(|a| *a == "statement-changed").count(),
        1
    );

    // An editor keeps pages, not the statement.
    create_account(app, "red@example.se", &[Role::Redaktor]).await;
    let red = enrol(app, "red@example.se").await;
    assert_eq!(
        get(app, "/admin/tillganglighet", Some(&red.cookie))
            .await
            .status(),
        403
    );
}

clocked_tests!(an_administrator_changes_the_statement);
