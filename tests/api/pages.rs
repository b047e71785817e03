//! Every public page renders with its h1, last-updated date and the frame.

use crate::helpers::TestApp;

pub const PUBLIC_PAGES: &[(&str, &str)] = &[
    ("/", "Våld i nära relationer"),
    ("/hjalp", "Hit kan du vända dig"),
    ("/hjalp?for=granne", "Hit kan du vända dig"),
    ("/orolig-for-nagon", "Orolig för någon"),
    ("/inte-ensam", "Inte ensam"),
    ("/en-manad-fri-fran-vald", "En månad fri från våld"),
    ("/tillganglighet", "Tillgänglighetsredogörelse"),
    ("/dolj-ditt-besok", "Dölj ditt besök"),
];

pub fn h1s(html: &str) -> Vec<String> {
    html.match_indices("<h1")
        .map(|(i, _)| {
            let rest = &html[i..];
            let start = rest.find('>').unwrap() + 1;
            let end = rest.find("</h1>").unwrap();
            rest[start..end].to_owned()
        })
        .collect()
}

fn assert_frame(path: &str, html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"), "{path}");
    assert!(html.contains("<html lang=\"sv\""), "{path}");
    assert!(
        html.contains(r#"<a class="skip-link skip-link--exit" href="/lamna" rel="noreferrer" data-quick-exit>Lämna sidan snabbt</a>"#),
        "{path}: exit skip link"
    );
    assert!(
        html.contains(r#"<a class="quick-exit" href="/lamna" rel="noreferrer""#),
        "{path}"
    );
    assert!(
        html.contains(r##"href="#main""##) && html.contains(r#"<main id="main""#),
        "{path}"
    );
    assert!(
        html.contains("aria-labelledby=\"help-box-title\""),
        "{path}: help box"
    );
    assert!(html.contains("href=\"tel:112\""), "{path}: 112");
    assert!(
        html.contains("href=\"tel:+4620505050\""),
        "{path}: Kvinnofridslinjen"
    );
    for link in [
        "href=\"/tillganglighet\"",
        "href=\"/dolj-ditt-besok\"",
        "href=\"https://www.jarfalla.se/\"",
    ] {
        assert!(html.contains(link), "{path}: footer {link}");
    }
}

async fn every_page_has_h1_and_last_updated(app: &TestApp) {
    for (path, h1) in PUBLIC_PAGES {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(h1s(&html), vec![h1.to_string()], "{path}");
        assert!(html.contains("Senast uppdaterad:"), "{path}");
        let updated = html.split("Senast uppdaterad:").nth(1).unwrap();
        assert!(
            updated.trim_start().starts_with("<time datetime=\"20"),
            "{path}: date follows the label"
        );
        assert_frame(path, &html);
    }
}

async fn unknown_path_is_a_swedish_404_with_help(app: &TestApp) {
    for path in ["/finns-inte", "/hjalp/x/y", "/%FF%FE", "/assets/nope.css"] {
        let r = app.get(path).await;
        assert_eq!(r.status(), 404, "{path}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let html = r.text().await.unwrap();
        assert_eq!(h1s(&html), vec!["Sidan finns inte".to_string()], "{path}");
        assert_frame(path, &html);
    }
}

async fn wrong_method_gets_a_swedish_page(app: &TestApp) {
    let r = app
        .client
        .post(app.url("/hjalp"))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert!(r.headers().contains_key("allow"));
    let html = r.text().await.unwrap();
    assert!(html.contains("<h1>Det går inte att göra så här</h1>"));
    assert_frame("/hjalp (POST)", &html);
}

async fn help_directory_lists_confirmed_services_only(app: &TestApp) {
    let (_, html) = app.get_text("/hjalp").await;
    for name in [
        "Kvinnofridslinjen",
        "BRIS",
        "Stödlinjen för män",
        "1177 Vårdguiden",
        "Välj att sluta",
    ] {
        assert!(html.contains(name), "{name} listed");
    }
    // Short numbers as dialled, others E.164, never a formatting character.
    for href in [
        "tel:112",
        "tel:11414",
        "tel:116006",
        "tel:116111",
        "tel:+4620505050",
        "tel:+46858028500",
    ] {
        assert!(html.contains(&format!("href=\"{href}\"")), "{href}");
    }
    for attr in html.split("href=\"").skip(1) {
        let value = &attr[..attr.find('"').unwrap()];
        assert!(
            !value.chars().any(|c| matches!(c, '\u{200e}' | '\u{200f}' | '\u{2066}'..='\u{2069}' | '\u{202a}'..='\u{202e}' | '\u{a0}')),
            "formatting character in {value:?}"
        );
    }
    // Unconfirmed: Rätt att välja (status), Terrafem's number.
    assert!(!html.contains("Rätt att välja"));
    assert!(!html.contains("020-57"));
    assert!(!html.contains("020-52"));
    // "Kontrollerad" dates only on confirmed rows, and present on them.
    assert!(html.contains("Kontrollerad:"));
}

async fn audience_filter_uses_plain_links(app: &TestApp) {
    let (_, all) = app.get_text("/hjalp").await;
    assert!(all.contains("href=\"/hjalp?for=granne\""));
    let (status, html) = app.get_text("/hjalp?for=utovare").await;
    assert_eq!(status, 200);
    assert!(html.contains("Välj att sluta"));
    assert!(
        !html.contains("<h3 class=\"service__name\">BRIS</h3>"),
        "BRIS is for children, not for perpetrators"
    );
    assert!(html.contains("href=\"/hjalp?for=utovare\" aria-current=\"page\""));
    // 112 is shown for everyone.
    assert!(html.contains("href=\"tel:112\""));
    let (status, html) = app.get_text("/hjalp?for=%3Cscript%3E").await;
    assert_eq!(status, 200);
    assert!(html.contains("Vi känner inte igen det valet"));
    assert!(!html.contains("<script>"));
}

async fn campaign_month_promises_no_fake_programme(app: &TestApp) {
    let (_, html) = app.get_text("/en-manad-fri-fran-vald").await;
    assert!(html.contains("publiceras här senare"));
}

async fn accessibility_statement_has_every_required_field(app: &TestApp) {
    let (_, html) = app.get_text("/tillganglighet").await;
    for needle in [
        "Järfälla kommun",
        "Delvis förenlig med lagen",
        "Innehåll som inte är tillgängligt",
        "Oskäligt betungande anpassning",
        "Innehåll som inte omfattas av lagen",
        "Bedömningen gjordes",
        "Redogörelsen uppdaterades",
        "Så har vi testat webbplatsen",
        "Rapportera brister eller begär ett annat format",
        "href=\"https://www.digg.se/tdosanmalan\"",
        "axe-core",
    ] {
        assert!(html.contains(needle), "statement lacks {needle}");
    }
}

async fn quick_exit_route_clears_and_redirects(app: &TestApp) {
    let r = app.get("/lamna").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "http://127.0.0.1:9/vader");
    assert_eq!(
        r.headers()["clear-site-data"],
        "\"cache\", \"cookies\", \"storage\""
    );
    assert_eq!(r.headers()["referrer-policy"], "no-referrer");
}

async fn health_endpoints(app: &TestApp) {
    assert_eq!(app.get_text("/healthz").await, (200, "ok".into()));
    assert_eq!(app.get_text("/readyz").await, (200, "ok".into()));
}

async fn content_survives_a_restart_unchanged(app: &TestApp) {
    // Seeding is idempotent: running it again inserts nothing.
    let today = chrono::Utc::now().date_naive();
    assert!(!fridhem::db::seed::seed_demo(&app.db, today).await.unwrap());
    let (status, _) = app.get_text("/").await;
    assert_eq!(status, 200);
}

crate::db_tests!(
    every_page_has_h1_and_last_updated,
    unknown_path_is_a_swedish_404_with_help,
    wrong_method_gets_a_swedish_page,
    help_directory_lists_confirmed_services_only,
    audience_filter_uses_plain_links,
    campaign_month_promises_no_fake_programme,
    accessibility_statement_has_every_required_field,
    quick_exit_route_clears_and_redirects,
    health_endpoints,
    content_survives_a_restart_unchanged,
);
