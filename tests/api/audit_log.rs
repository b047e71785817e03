//! Reading the audit log (issue 12): `/admin/logg` filtered by account,
//! reference, kind of action and period, a page at a time, and
//! `/admin/logg.csv` read back by Python's `csv` module, on both
//! databases.

use chrono::{DateTime, Duration, TimeZone, Utc};
use fridhem::audit::{Action, Entry};
use fridhem::auth::Role;
use fridhem::clock::ManualClock;

use crate::helpers::staff::{create_account, enrol, get, SignedIn};
use crate::helpers::TestApp;
use crate::staff::{clocked, clocked_tests};

/// Writes `entry` at `at`, as the job that made the change would have.
async fn record(app: &TestApp, entry: Entry, at: DateTime<Utc>) {
    app.state
        .writer
        .write(move |tx| {
            let entry = entry.clone();
            Box::pin(async move { fridhem::audit::store::record(tx, &entry, at).await })
        })
        .await
        .unwrap();
}

async fn page(app: &TestApp, who: &SignedIn, path: &str) -> (u16, String) {
    let r = get(app, path, Some(&who.cookie)).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The rows of the log table: (time, who, action, object, detail).
fn rows(html: &str) -> Vec<Vec<String>> {
    let Some(start) = html.find("<tbody>") else {
        return vec![];
    };
    let body = &html[start..html[start..].find("</tbody>").unwrap() + start];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let text = &cell[cell.find('>').unwrap() + 1..];
                    text[..text.find("</td>").unwrap()].to_owned()
                })
                .collect()
        })
        .collect()
}

fn href_of(html: &str, text: &str) -> Option<String> {
    let end = html.find(&format!(">{text}</a>"))?;
    let start = html[..end].rfind("href=\"")? + 6;
    Some(
        html[start..end - 1]
            .replace("&#38;", "&")
            .replace("&amp;", "&"),
    )
}

/// Stockholm is an hour ahead of UTC in winter.
fn winter(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

/// 240 entries over ten days in November 2026, two accounts, three
/// references, two kinds of action.
async fn history(app: &TestApp, tina: i64, kim: i64) {
    for i in 0..240i64 {
        let actor = if i % 2 == 0 { tina } else { kim };
        let action = if i % 3 == 0 {
            Action::CaseNoteAdded
        } else {
            Action::CaseViewed
        };
        let reference = format!("TG-2026-0000{}", i % 3 + 1);
        let at = winter(2026, 11, 1, 0, 0) + Duration::hours(i);
        record(
            app,
            Entry::new(Some(actor), action).on("ärende", &reference),
            at,
        )
        .await;
    }
}

async fn the_log_filters_and_pages(app: &TestApp, _clock: &ManualClock) {
    let tina = create_account(app, "tina@example.se", &[Role::HandlaggareTg]).await;
    let kim = create_account(app, "kim@example.se", &[Role::HandlaggareTg]).await;
    history(app, tina, kim).await;
    create_account(app, "ada@example.se", &[Role::Administrator]).await;
    let ada = enrol(app, "ada@example.se").await;
    let tina_in = enrol(app, "tina@example.se").await;

    // Handläggare do not read the log.
    assert_eq!(page(app, &tina_in, "/admin/logg").await.0, 403);
    assert_eq!(page(app, &tina_in, "/admin/logg.csv").await.0, 403);

    // November only: the 240 entries, newest first, 100 a page.
    let (status, html) = page(app, &ada, "/admin/logg?fran=2026-11-01&till=2026-11-30").await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("240 händelser som stämmer med valen"),
        "{html}"
    );
    let first = rows(&html);
    assert_eq!(first.len(), 100);
    assert_eq!(
        first[0][0], "2026-11-11 00:00:00",
        "newest first, Swedish time"
    );
    let older = href_of(&html, "Äldre händelser").expect("a link to older entries");
    assert!(older.contains("fran=2026-11-01") && older.contains("till=2026-11-30"));
    let (_, second_html) = page(app, &ada, &older).await;
    let second = rows(&second_html);
    assert_eq!(second.len(), 100);
    assert!(second[0][0] < first[99][0], "the next page continues");
    let (_, third_html) = page(
        app,
        &ada,
        &href_of(&second_html, "Äldre händelser").unwrap(),
    )
    .await;
    let third = rows(&third_html);
    assert_eq!(third.len(), 40);
    assert_eq!(third[39][0], "2026-11-01 01:00:00");
    assert!(href_of(&third_html, "Äldre händelser").is_none());
    assert!(href_of(&third_html, "Till de nyaste händelserna").is_some());

    // By account, reference and kind, combined.
    let (_, html) = page(
        app,
        &ada,
        &format!("/admin/logg?konto={tina}&arende=tg-2026-00001&handelse=case-note-added"),
    )
    .await;
    let found = rows(&html);
    // i even, i % 3 == 0, i % 3 + 1 == 1: i a multiple of 6.
    assert_eq!(found.len(), 40, "{html}");
    assert!(found.iter().all(|r| r[1] == "Person tina@example.se"
        && r[2] == "Anteckning i ärende"
        && r[3] == "ärende TG-2026-00001"));
    assert!(
        html.contains("value=\"TG-2026-00001\""),
        "the filter is kept"
    );

    // Periods are whole Swedish days: 2026-11-30 23:30 UTC is 1 December.
    record(
        app,
        Entry::new(Some(kim), Action::CaseViewed).on("ärende", "AF-2026-00009"),
        winter(2026, 11, 30, 23, 30),
    )
    .await;
    let (_, html) = page(
        app,
        &ada,
        "/admin/logg?arende=AF-2026-00009&till=2026-11-30",
    )
    .await;
    assert!(rows(&html).is_empty(), "{html}");
    let (_, html) = page(
        app,
        &ada,
        "/admin/logg?arende=AF-2026-00009&fran=2026-12-01",
    )
    .await;
    assert_eq!(rows(&html).len(), 1);

    // Wrong input is explained at the field, nothing is listed.
    for (query, message, field) in [
        (
            "fran=2026-13-01",
            "Skriv från-datumet som år-månad-dag",
            "#fran",
        ),
        ("till=igår", "Skriv till-datumet som år-månad-dag", "#till"),
        (
            "fran=2026-11-10&till=2026-11-01",
            "Till-datumet kan inte vara före från-datumet.",
            "#till",
        ),
        ("handelse=allt", "Välj en händelse i listan.", "#handelse"),
        ("konto=999999", "Välj ett konto i listan.", "#konto"),
        ("arende=TG%25", "Skriv ärendenumret", "#arende"),
    ] {
        let (status, html) = page(app, &ada, &format!("/admin/logg?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert!(html.contains("Det finns ett problem"), "{query}");
        assert!(html.contains(&format!("href=\"{field}\"")), "{query}");
        assert!(html.contains(message), "{query}: {html}");
        assert!(rows(&html).is_empty(), "{query}");
    }
}

/// The export, read back by Python's `csv` module as Excel users' tools
/// would: `;`, a byte-order mark, å ä ö intact, formulas neutralised; and
/// the export itself is in the log.
async fn the_export_reads_back_and_is_logged(app: &TestApp, _clock: &ManualClock) {
    let tina = create_account(app, "tina@example.se", &[Role::HandlaggareTg]).await;
    let at = winter(2026, 11, 20, 9, 15);
    record(
        app,
        Entry::new(Some(tina), Action::CaseTypeChanged)
            .on("ärendetyp", "TG")
            .detail("Svarstid ändrad för åtgärder på öppettider"),
        at,
    )
    .await;
    record(
        app,
        Entry::new(Some(tina), Action::CaseTypeChanged)
            .on("ärendetyp", "KO")
            .detail("=HYPERLINK(\"http://example.com\";\"klicka\")"),
        at + Duration::minutes(1),
    )
    .await;
    create_account(app, "ada@example.se", &[Role::Administrator]).await;
    let ada = enrol(app, "ada@example.se").await;

    let r = get(
        app,
        "/admin/logg.csv?handelse=case-type-changed",
        Some(&ada.cookie),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"granskningslogg-"),
        "{disposition}"
    );
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "UTF-8 with BOM");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("logg.csv");
    std::fs::write(&file, &bytes).unwrap();
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(
            "import csv, json, sys\n\
             with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n\
             \x20   print(json.dumps(list(csv.reader(f, delimiter=';'))))",
        )
        .arg(&file)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        table[0],
        [
            "Tid",
            "Konto",
            "Konto-id",
            "Händelse",
            "Händelsekod",
            "Gäller",
            "Id",
            "Detalj"
        ]
    );
    assert_eq!(table.len(), 3, "{table:?}");
    let formula = &table[1];
    assert_eq!(formula[0], "2026-11-20 10:16:00");
    assert_eq!(formula[1], "Person tina@example.se");
    assert_eq!(formula[2], tina.to_string());
    assert_eq!(formula[3], "Inställningar för ärendetyp ändrade");
    assert_eq!(formula[4], "case-type-changed");
    assert_eq!(
        (formula[5].as_str(), formula[6].as_str()),
        ("ärendetyp", "KO")
    );
    assert_eq!(
        formula[7], "'=HYPERLINK(\"http://example.com\";\"klicka\")",
        "a formula is shown as text"
    );
    assert_eq!(table[2][7], "Svarstid ändrad för åtgärder på öppettider");

    // The export is the newest entry, naming the selection.
    let newest = fridhem::audit::store::recent(&app.db, 1).await.unwrap();
    assert_eq!(newest[0].action, "audit-exported");
    assert_eq!(newest[0].account_id, Some(ada.account_id(app).await));
    assert_eq!(newest[0].detail, "2 rader; handelse=case-type-changed");
    let (_, html) = page(app, &ada, "/admin/logg?handelse=audit-exported").await;
    assert_eq!(rows(&html)[0][2], "Granskningsloggen exporterad");

    // A bad filter gets the page with the reason, not a file.
    let r = get(app, "/admin/logg.csv?fran=31/12", Some(&ada.cookie)).await;
    assert_eq!(r.status(), 400);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
}

clocked_tests!(
    the_log_filters_and_pages,
    the_export_reads_back_and_is_logged
);
