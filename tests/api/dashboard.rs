//! The dashboard `/admin/oversikt` (issue 12) against a fixture worked
//! out by hand: 20 cases over 14 months, some of them cleaned (gallrade),
//! on both databases. Working days are counted by hand with the Swedish
//! holidays (see case 3, over Christmas and Epiphany).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Stockholm;
use fridhem::auth::Role;
use fridhem::cases::dashboard::{self, Month, Row};
use fridhem::cases::model::CaseKind;
use fridhem::clock::{Clock, ManualClock};

use crate::helpers::cases::insert_case;
use crate::helpers::staff::{create_account, enrol, get};
use crate::helpers::TestApp;
use crate::staff::{clocked, clocked_tests};

/// 10:00 in Stockholm on `day` (`YYYY-MM-DD`).
fn at(day: &str) -> DateTime<Utc> {
    at_time(day, 10, 0)
}

fn at_time(day: &str, hour: u32, minute: u32) -> DateTime<Utc> {
    let d: NaiveDate = day.parse().unwrap();
    Stockholm
        .from_local_datetime(&d.and_hms_opt(hour, minute, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// One case of the fixture.
struct Case {
    kind: CaseKind,
    received: DateTime<Utc>,
    due: &'static str,
    answered: Option<&'static str>,
    closed: Option<&'static str>,
    status: &'static str,
    cleaned: bool,
}

fn case(
    kind: CaseKind,
    received: &str,
    due: &'static str,
    answered: Option<&'static str>,
    closed: Option<&'static str>,
    status: &'static str,
    cleaned: bool,
) -> Case {
    Case {
        kind,
        received: at(received),
        due,
        answered,
        closed,
        status,
        cleaned,
    }
}

/// The clock says 2026-12-01 09:00 in Stockholm: the period is January to
/// December 2026. Answer times in working days are in the comments.
fn fixture() -> Vec<Case> {
    use CaseKind::{Accessibility as Tg, AltFormat as Af, Contact as Ko};
    let mut cases = vec![
        // 1: all of it before the period.
        case(
            Ko,
            "2025-11-03",
            "2025-11-17",
            Some("2025-11-06"),
            Some("2025-11-10"),
            "closed",
            true,
        ),
        // 2: received and answered before, closed in January.
        case(
            Ko,
            "2025-12-01",
            "2025-12-15",
            Some("2025-12-04"),
            Some("2026-01-12"),
            "closed",
            true,
        ),
        // 3: answered in January, late: 16–19, 22–23, 29–30 Dec, 2, 5, 7
        // Jan (24–26 and 31 Dec, 1 and 6 Jan are not working days) = 11.
        case(
            Tg,
            "2025-12-15",
            "2025-12-29",
            Some("2026-01-07"),
            Some("2026-01-20"),
            "closed",
            true,
        ),
        // 4: 3, in time.
        case(
            Ko,
            "2026-02-02",
            "2026-02-16",
            Some("2026-02-05"),
            Some("2026-02-06"),
            "closed",
            true,
        ),
        // 5: 1, in time.
        case(
            Ko,
            "2026-02-09",
            "2026-02-23",
            Some("2026-02-10"),
            Some("2026-03-02"),
            "closed",
            false,
        ),
        // 6: 14, late.
        case(
            Tg,
            "2026-03-02",
            "2026-03-16",
            Some("2026-03-20"),
            Some("2026-03-20"),
            "closed",
            false,
        ),
        // 7: 3, in time, still open.
        case(
            Tg,
            "2026-04-13",
            "2026-04-27",
            Some("2026-04-16"),
            None,
            "in_progress",
            false,
        ),
        // 8: 4, in time.
        case(
            Af,
            "2026-05-04",
            "2026-05-18",
            Some("2026-05-08"),
            Some("2026-05-08"),
            "closed",
            false,
        ),
        // 9: 2, in time.
        case(
            Ko,
            "2026-06-01",
            "2026-06-15",
            Some("2026-06-03"),
            Some("2026-06-03"),
            "closed",
            true,
        ),
        // 10: 5, in time.
        case(
            Ko,
            "2026-07-06",
            "2026-07-20",
            Some("2026-07-13"),
            Some("2026-07-14"),
            "closed",
            false,
        ),
        // 11: 15, late.
        case(
            Tg,
            "2026-08-03",
            "2026-08-17",
            Some("2026-08-24"),
            Some("2026-08-31"),
            "closed",
            false,
        ),
        // 12: closed without an answer: not counted as answered or late.
        case(
            Ko,
            "2026-09-07",
            "2026-09-21",
            None,
            Some("2026-09-08"),
            "closed",
            false,
        ),
        // 13: 1, in time, waiting.
        case(
            Ko,
            "2026-09-14",
            "2026-09-28",
            Some("2026-09-15"),
            None,
            "waiting",
            false,
        ),
        // 14: not answered, its date passed: overdue and late.
        case(
            Af,
            "2026-10-05",
            "2026-10-19",
            None,
            None,
            "in_progress",
            false,
        ),
        // 15: 2, in time.
        case(
            Tg,
            "2026-10-12",
            "2026-10-26",
            Some("2026-10-14"),
            Some("2026-11-02"),
            "closed",
            false,
        ),
        // 16: 5, in time.
        case(
            Ko,
            "2026-11-02",
            "2026-11-16",
            Some("2026-11-09"),
            Some("2026-11-09"),
            "closed",
            false,
        ),
        // 17: not answered, due yesterday: overdue and late.
        case(Ko, "2026-11-16", "2026-11-30", None, None, "new", false),
        // 18: not answered, not due yet.
        case(Tg, "2026-11-23", "2026-12-07", None, None, "new", false),
        // 20: 2 (6 January is a holiday), in time.
        case(
            Af,
            "2026-01-05",
            "2026-01-20",
            Some("2026-01-08"),
            Some("2026-01-08"),
            "closed",
            true,
        ),
    ];
    // 19: this morning, before the clock.
    cases.push(Case {
        received: at_time("2026-12-01", 8, 30),
        ..case(Ko, "2026-12-01", "2026-12-15", None, None, "new", false)
    });
    cases
}

/// What the hand computation gives.
fn expected() -> dashboard::Figures {
    let month = |m: u32, received: u32, closed: u32| Month {
        first: NaiveDate::from_ymd_opt(2026, m, 1).unwrap(),
        received,
        closed,
    };
    let row = |kind, open, overdue, answered, median, p90, in_time, due| Row {
        kind,
        open,
        overdue,
        answered,
        median: Some(median),
        p90: Some(p90),
        in_time,
        due,
    };
    dashboard::Figures {
        today: day("2026-12-01"),
        from: day("2026-01-01"),
        months: vec![
            month(1, 1, 3),
            month(2, 2, 1),
            month(3, 1, 2),
            month(4, 1, 0),
            month(5, 1, 1),
            month(6, 1, 1),
            month(7, 1, 1),
            month(8, 1, 1),
            month(9, 2, 1),
            month(10, 2, 0),
            month(11, 3, 2),
            month(12, 1, 0),
        ],
        rows: vec![
            // TG: [2, 3, 11, 14, 15]; in time 7 and 15 of 5 due.
            row(Some(CaseKind::Accessibility), 2, 0, 5, 11, 15, 2, 5),
            // AF: [2, 4]; in time 8 and 20, late 14.
            row(Some(CaseKind::AltFormat), 1, 1, 2, 2, 4, 2, 3),
            // KO: [1, 1, 2, 3, 5, 5]; 6 in time, late 17.
            row(Some(CaseKind::Contact), 3, 1, 6, 2, 5, 6, 7),
            // All: [1,1,2,2,2,3,3,4,5,5,11,14,15]: rank 7 and rank 12.
            row(None, 6, 2, 13, 3, 14, 10, 15),
        ],
    }
}

async fn insert(app: &TestApp, cases: Vec<Case>) -> Vec<i64> {
    let keys = app.state.data_keys.clone();
    let cases = std::sync::Arc::new(cases);
    app.state
        .writer
        .write(move |tx| {
            let keys = keys.clone();
            let cases = cases.clone();
            Box::pin(async move {
                let mut ids = Vec::new();
                for (i, c) in cases.iter().enumerate() {
                    let (_, id) =
                        insert_case(tx, &keys, c.kind, i, c.received, day(c.due)).await?;
                    let answered = c.answered.map(|d| at_time(d, 14, 0));
                    let closed = c.closed.map(|d| at_time(d, 15, 0));
                    fridhem::on_tx!(tx, |x| sqlx::query(
                        "UPDATE cases SET status = $1, answered_at = $2, closed_at = $3 WHERE id = $4"
                    )
                    .bind(c.status)
                    .bind(answered)
                    .bind(closed)
                    .bind(id)
                    .execute(x)
                    .await
                    .map(|_| ()))?;
                    ids.push(id);
                }
                Ok(ids)
            })
        })
        .await
        .unwrap()
}

async fn figures_of(app: &TestApp, kinds: &[CaseKind], today: NaiveDate) -> dashboard::Figures {
    dashboard::figures_on(&app.db, kinds, today).await.unwrap()
}

async fn figures_match_the_hand_computed_fixture(app: &TestApp, clock: &ManualClock) {
    assert_eq!(
        clock.now(),
        at_time("2026-12-01", 9, 0) + chrono::Duration::seconds(5)
    );
    let cases = fixture();
    assert_eq!(cases.len(), 20);
    let cleaned: Vec<bool> = cases.iter().map(|c| c.cleaned).collect();
    let ids = insert(app, cases).await;
    let all = CaseKind::ALL.to_vec();
    let today = day("2026-12-01");
    assert_eq!(figures_of(app, &all, today).await, expected());

    // The page and the CSV, as an administrator sees them.
    create_account(app, "ada@example.se", &[Role::Administrator]).await;
    let ada = enrol(app, "ada@example.se").await;
    let r = get(app, "/admin/oversikt", Some(&ada.cookie)).await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    for text in [
        "86 % (6 av 7)",
        "40 % (2 av 5)",
        "67 % (2 av 3)",
        "67 % (10 av 15)",
        "11 arbetsdagar",
        "14 arbetsdagar",
        "<svg",
        "november 2026",
    ] {
        assert!(page.contains(text), "{text} missing from the dashboard");
    }
    let csv_before = get(app, "/admin/oversikt.csv", Some(&ada.cookie))
        .await
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv_before.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Ärendetyp;Mått;Period;Värde");
    for line in [
        "KO;Öppna ärenden;2026-12-01;3",
        "TG;Svarstid median (arbetsdagar);2026-01–2026-12-01;11",
        "Alla;Svarstid 90:e percentilen (arbetsdagar);2026-01–2026-12-01;14",
        "AF;Besvarade i tid;2026-01–2026-12-01;2",
        "Alla;Inkomna;2026-11;3",
        "Alla;Avslutade;2026-01;3",
    ] {
        assert!(lines.contains(&line), "{line} missing from {lines:#?}");
    }

    // Cleaning six of them changes no figure.
    let to_clean: Vec<i64> = ids
        .iter()
        .zip(&cleaned)
        .filter(|(_, c)| **c)
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(to_clean.len(), 6);
    let now = clock.now();
    app.state
        .writer
        .write(move |tx| {
            let ids = to_clean.clone();
            Box::pin(async move { fridhem::cases::store::purge(tx, &ids, now).await })
        })
        .await
        .unwrap();
    assert_eq!(figures_of(app, &all, today).await, expected());
    let csv_after = get(app, "/admin/oversikt.csv", Some(&ada.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv_before, csv_after);

    // A handläggare for contact messages sees that type only.
    create_account(app, "kim@example.se", &[Role::HandlaggareKo]).await;
    let kim = enrol(app, "kim@example.se").await;
    let page = get(app, "/admin/oversikt", Some(&kim.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("86 % (6 av 7)"));
    assert!(!page.contains("40 % (2 av 5)") && !page.contains("Alla typer"));
    let csv = get(app, "/admin/oversikt.csv", Some(&kim.cookie))
        .await
        .text()
        .await
        .unwrap();
    assert!(!csv.contains("\nTG;") && !csv.contains("\nAlla;"), "{csv}");
    assert!(csv.contains("KO;Inkomna;2026-11;2"), "{csv}");
    assert_eq!(
        get(app, "/admin/oversikt?typ=TG", Some(&kim.cookie))
            .await
            .status(),
        403
    );
    // Nobody signed out gets in.
    assert_ne!(get(app, "/admin/oversikt", None).await.status(), 200);
}

clocked_tests!(figures_match_the_hand_computed_fixture);
