//! Deletion on schedule (issue 12), with an injected clock on both
//! databases: a closed case past its type's retention loses its personal
//! data and its mail, and nothing else does; old audit entries go after
//! FRIDHEM_AUDIT_RETENTION_MONTHS; the run is hourly and each case is
//! cleaned once, even with two instances; a SIGKILL mid-run leaves every
//! case untouched or fully cleaned.

use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Months, Utc};
use fridhem::audit::{Action, Entry};
use fridhem::auth::Role;
use fridhem::cases::model::{CaseKind, Status};
use fridhem::cases::service::{self, CaseChange, Outcome};
use fridhem::clock::{Clock, ManualClock};
use fridhem::mail::OutgoingMail;

use crate::helpers::cases::{database_bytes, insert_case, send_contact};
use crate::helpers::staff::{create_account, enrol, get};
use crate::helpers::TestApp;
use crate::staff::{clocked, clocked_tests};

/// Sends the contact form from an association.
async fn contact(app: &TestApp, name: &str, email: &str, message: &str) -> String {
    send_contact(app, "Föreningen Grannstöd", name, email, message).await
}

async fn change(app: &TestApp, actor: i64, reference: &str, change: CaseChange, at: DateTime<Utc>) {
    let outcome = service::change(
        &app.state.writer,
        &app.state.data_keys,
        actor,
        reference.to_owned(),
        change,
        at,
    )
    .await
    .unwrap();
    assert_eq!(outcome, Outcome::Done, "{reference}");
}

/// A note, a reply by e-mail, then closed: all at `at`.
async fn work_and_close(app: &TestApp, actor: i64, reference: &str, who: &str, at: DateTime<Utc>) {
    change(
        app,
        actor,
        reference,
        CaseChange::Note(format!("Ringde {who} på tisdagen")),
        at,
    )
    .await;
    let text = format!("Hej {who}, tack för att du hörde av dig.");
    let mail = OutgoingMail {
        message_id: format!("<{reference}.svar.{}@test>", at.timestamp()),
        recipient: format!("{}@example.se", who.to_lowercase()),
        subject: format!("Svar på ditt ärende {reference}"),
        body: text.clone(),
        recipient_key: None,
        reply_to: None,
        attachment: None,
    };
    change(app, actor, reference, CaseChange::Reply { text, mail }, at).await;
    let status = |from, to| CaseChange::Status { from, to };
    change(
        app,
        actor,
        reference,
        status(Status::InProgress, Status::Closed),
        at,
    )
    .await;
}

async fn case(app: &TestApp, reference: &str) -> fridhem::cases::store::CaseRow {
    fridhem::cases::store::case(&app.db, &app.state.data_keys, reference)
        .await
        .unwrap()
        .unwrap()
}

async fn scalar(app: &TestApp, sql: &str, reference: &str) -> i64 {
    fridhem::on_pool!(&app.db, |p| sqlx::query_scalar::<_, i64>(sql)
        .bind(reference)
        .fetch_one(p)
        .await)
    .unwrap()
}

/// Files in the mail folder that hold `text`.
fn mail_files_with(app: &TestApp, text: &str) -> usize {
    std::fs::read_dir(app.mail_dir.path())
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| std::fs::read_to_string(e.path()).is_ok_and(|body| body.contains(text)))
                .count()
        })
        .unwrap_or(0)
}

async fn wait_for_mail_files(app: &TestApp, text: &str, at_least: usize) {
    let deadline = Instant::now() + StdDuration::from_secs(10);
    while mail_files_with(app, text) < at_least {
        assert!(Instant::now() < deadline, "no mail files with {text}");
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
}

async fn closed_cases_past_retention_are_cleaned(app: &TestApp, clock: &ManualClock) {
    first_run_done(app).await;
    let now = clock.now();
    // Received two and a half years ago.
    clock.set(now - Months::new(30));
    let old = contact(
        app,
        "Astrid Lindqvist",
        "astrid@example.se",
        "Grannen gråter varje natt.",
    )
    .await;
    let young = contact(
        app,
        "Bertil Holm",
        "bertil@example.se",
        "Det smäller i väggarna.",
    )
    .await;
    let open = contact(
        app,
        "Cecilia Berg",
        "cecilia@example.se",
        "Jag är orolig för barnen.",
    )
    .await;
    clock.set(now);
    let kim = create_account(app, "kim@example.se", &[Role::HandlaggareKo]).await;
    let started = |r: &str| {
        let r = r.to_owned();
        async move {
            change(
                app,
                kim,
                &r,
                CaseChange::Status {
                    from: Status::New,
                    to: Status::InProgress,
                },
                now - Months::new(29),
            )
            .await
        }
    };
    started(&old).await;
    started(&young).await;
    started(&open).await;
    // Closed 24 months and a day ago, and 24 months less a day ago.
    work_and_close(
        app,
        kim,
        &old,
        "Astrid",
        now - Months::new(24) - Duration::days(1),
    )
    .await;
    work_and_close(
        app,
        kim,
        &young,
        "Bertil",
        now - Months::new(24) + Duration::days(1),
    )
    .await;
    // Every mail (receipt, notification, reply) is in the mail folder;
    // only the reply names the person.
    wait_for_mail_files(app, &old, 3).await;
    wait_for_mail_files(app, &young, 3).await;
    assert_eq!(mail_files_with(app, "Astrid"), 1);

    // The run at start-up took its hour; an hour on, the next is due on
    // whichever instance asks first.
    clock.advance(Duration::hours(1));
    let run = fridhem::jobs::run_retention(&app.state)
        .await
        .unwrap()
        .expect("the hourly run is due");
    assert_eq!(run.purged.cases, 1, "{run:?}");
    assert_eq!(
        run.purged.mails, 3,
        "receipt, notification and reply: {run:?}"
    );
    assert_eq!(run.purged.files, 3, "{run:?}");
    assert_eq!(
        fridhem::jobs::run_retention(&app.state).await.unwrap(),
        None,
        "hourly"
    );

    let cleaned = case(app, &old).await;
    assert!(cleaned.purged_at.is_some());
    assert_eq!(
        (
            cleaned.name,
            cleaned.email,
            cleaned.organisation,
            cleaned.message.as_str()
        ),
        (None, None, None, "")
    );
    assert_eq!(cleaned.status, "closed", "the anonymous record is kept");
    assert!(cleaned.answered_at.is_some() && cleaned.closed_at.is_some());
    let sql_bodies = "SELECT COUNT(*) FROM case_events e JOIN cases c ON c.id = e.case_id \
                      WHERE c.reference = $1 AND e.body IS NOT NULL";
    let sql_events = "SELECT COUNT(*) FROM case_events e JOIN cases c ON c.id = e.case_id \
                      WHERE c.reference = $1";
    let sql_mail = "SELECT COUNT(*) FROM outbox o JOIN cases c ON c.id = o.case_id \
                    WHERE c.reference = $1";
    assert_eq!(scalar(app, sql_bodies, &old).await, 0, "notes and replies");
    assert!(
        scalar(app, sql_events, &old).await >= 3,
        "the history's kinds and dates stay"
    );
    assert_eq!(scalar(app, sql_mail, &old).await, 0, "its mail");
    assert_eq!(mail_files_with(app, &old), 0, "its .eml files");
    assert_eq!(mail_files_with(app, "Astrid"), 0);
    let audit = "SELECT COUNT(*) FROM audit_log WHERE action = 'case-purged' AND object_id = $1 \
                 AND account_id IS NULL";
    assert_eq!(scalar(app, audit, &old).await, 1);

    // The others are as they were.
    let kept = case(app, &young).await;
    assert_eq!(kept.name.as_deref(), Some("Bertil Holm"));
    assert!(kept.purged_at.is_none());
    assert_eq!(scalar(app, sql_bodies, &young).await, 2);
    assert_eq!(scalar(app, sql_mail, &young).await, 3);
    assert_eq!(mail_files_with(app, &young), 3);
    assert_eq!(case(app, &open).await.message, "Jag är orolig för barnen.");

    // A year later only closed cases past their time have gone; the open
    // one never does.
    clock.advance(Duration::days(400));
    let run = fridhem::jobs::run_retention(&app.state)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run.purged.cases, 1);
    assert!(case(app, &young).await.purged_at.is_some());
    assert!(case(app, &open).await.purged_at.is_none());
    assert_eq!(case(app, &open).await.name.as_deref(), Some("Cecilia Berg"));

    // The case page says what went and when, and offers nothing to do.
    create_account(app, "ada@example.se", &[Role::Administrator]).await;
    let ada = enrol(app, "ada@example.se").await;
    let r = get(app, &format!("/admin/arenden/{old}"), Some(&ada.cookie)).await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("Personuppgifterna är borttagna"), "{page}");
    assert!(page.contains("(gallring)"), "{page}");
    for gone in ["Astrid", "Spara anteckning", "<h2>Svara</h2>", "Ta ärendet"] {
        assert!(!page.contains(gone), "{gone} on a cleaned case's page");
    }
    // Nothing can be added to it.
    let note = service::change(
        &app.state.writer,
        &app.state.data_keys,
        kim,
        old.clone(),
        CaseChange::Note("Ny anteckning".into()),
        clock.now(),
    )
    .await
    .unwrap();
    assert_eq!(note, Outcome::NotAllowed);

    // The database files and a dump hold none of it.
    let bytes = database_bytes(app);
    for text in [
        "Astrid Lindqvist",
        "astrid@example.se",
        "Grannen gråter",
        "Ringde Astrid",
    ] {
        assert!(
            !bytes.windows(text.len()).any(|w| w == text.as_bytes()),
            "{text}"
        );
    }
}

/// Waits for the run every instance makes when it starts, so that it
/// cannot clean what a test sets up after it.
async fn first_run_done(app: &TestApp) {
    let deadline = Instant::now() + StdDuration::from_secs(20);
    loop {
        let done: Option<Option<DateTime<Utc>>> =
            fridhem::on_pool!(&app.db, |p| sqlx::query_scalar(
                "SELECT finished_at FROM scheduled_runs WHERE name = 'gallring'"
            )
            .fetch_optional(p)
            .await)
            .unwrap();
        if matches!(done, Some(Some(_))) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the first clean-up run never finished"
        );
        tokio::time::sleep(StdDuration::from_millis(20)).await;
    }
}

async fn audit_entries_past_their_retention_go(app: &TestApp, clock: &ManualClock) {
    first_run_done(app).await;
    let now = clock.now();
    let record = |at: DateTime<Utc>, detail: &'static str| {
        app.state.writer.write(move |tx| {
            let entry = Entry::new(None, Action::CaseTypeChanged).detail(detail);
            Box::pin(async move { fridhem::audit::store::record(tx, &entry, at).await })
        })
    };
    record(now - Months::new(36) - Duration::days(1), "för gammal")
        .await
        .unwrap();
    record(now - Months::new(36) + Duration::days(1), "ännu kvar")
        .await
        .unwrap();
    clock.advance(Duration::hours(1));
    let run = fridhem::jobs::run_retention(&app.state)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run.audit_entries, 1);
    let details: Vec<String> = fridhem::audit::store::recent(&app.db, 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.detail)
        .collect();
    assert!(!details.iter().any(|d| d == "för gammal"));
    assert!(details.iter().any(|d| d == "ännu kvar"));
    assert!(
        details
            .iter()
            .any(|d| d.starts_with("1 händelser från före") && d.contains("36 månaders")),
        "{details:?}"
    );
}

/// A run that failed is given back: the next poll (any instance) takes
/// it instead of waiting out the hour.
async fn a_failed_run_is_given_back(app: &TestApp, clock: &ManualClock) {
    use fridhem::db::schedule;
    let now = clock.now();
    let hour = Duration::hours(1);
    let claim = |at: DateTime<Utc>| {
        app.state
            .writer
            .write(move |tx| Box::pin(schedule::claim(tx, "proov", at, hour)))
    };
    assert!(claim(now).await.unwrap());
    assert!(!claim(now + Duration::minutes(5)).await.unwrap());
    app.state
        .writer
        .write(move |tx| Box::pin(schedule::release(tx, "proov", now, hour)))
        .await
        .unwrap();
    assert!(claim(now + Duration::minutes(5)).await.unwrap());
    // Giving back a claim that is no longer this run's changes nothing.
    app.state
        .writer
        .write(move |tx| Box::pin(schedule::release(tx, "proov", now, hour)))
        .await
        .unwrap();
    assert!(!claim(now + Duration::minutes(10)).await.unwrap());
}

clocked_tests!(
    closed_cases_past_retention_are_cleaned,
    audit_entries_past_their_retention_go,
    a_failed_run_is_given_back,
);

/// Cases inserted directly, closed long ago, each with one e-mail.
async fn due_cases(app: &TestApp, n: usize, closed_at: DateTime<Utc>) -> Vec<String> {
    let keys = app.state.data_keys.clone();
    let refs = app
        .state
        .writer
        .write(move |tx| {
            let keys = keys.clone();
            Box::pin(async move {
                let mut refs = Vec::new();
                for i in 0..n {
                    let (reference, id) = insert_case(
                        tx,
                        &keys,
                        CaseKind::Contact,
                        i,
                        closed_at,
                        closed_at.date_naive(),
                    )
                    .await?;
                    let mail = OutgoingMail {
                        message_id: format!("<{reference}.kvitto@test>"),
                        recipient: format!("person{i}@example.se"),
                        subject: "Kvitto".into(),
                        body: "Tack".into(),
                        recipient_key: None,
                        reply_to: None,
                        attachment: None,
                    };
                    fridhem::mail::outbox::enqueue(tx, &keys, Some(id), &mail, closed_at).await?;
                    refs.push(reference);
                }
                fridhem::on_tx!(tx, |c| sqlx::query(
                    "UPDATE cases SET status = 'closed', closed_at = $1 WHERE closed_at IS NULL"
                )
                .bind(closed_at)
                .execute(c)
                .await
                .map(|_| ()))?;
                Ok(refs)
            })
        })
        .await
        .unwrap();
    refs
}

/// Two instances clean at the same moment: each case once, one audit
/// entry each.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs FRIDHEM_TEST_POSTGRES_URL (run by .ci/run)"]
async fn two_instances_clean_each_case_once_postgres() {
    let (first, clock) = clocked(crate::helpers::Backend::Postgres, None).await;
    let (second, _) = clocked(
        crate::helpers::Backend::Postgres,
        Some(first.database_url.clone()),
    )
    .await;
    first_run_done(&first).await;
    let now = clock.now();
    // The hourly claim: asked by both at once, one gets it; within the
    // hour neither does again. (Its own name, so the runs each instance
    // makes at start cannot take it first.)
    async fn claim(app: &TestApp, at: DateTime<Utc>) -> bool {
        app.state
            .writer
            .write(move |tx| {
                Box::pin(fridhem::db::schedule::claim(
                    tx,
                    "proov",
                    at,
                    Duration::hours(1),
                ))
            })
            .await
            .unwrap()
    }
    let (a, b) = tokio::join!(claim(&first, now), claim(&second, now));
    assert_eq!([a, b].iter().filter(|c| **c).count(), 1);
    let (a, b) = tokio::join!(
        claim(&first, now + Duration::minutes(59)),
        claim(&second, now + Duration::minutes(59))
    );
    assert_eq!([a, b], [false, false]);
    let (a, b) = tokio::join!(
        claim(&first, now + Duration::hours(1)),
        claim(&second, now + Duration::hours(1))
    );
    assert_eq!([a, b].iter().filter(|c| **c).count(), 1);

    // Cleaning side by side, without the claim, still touches each case
    // once.
    due_cases(&first, 450, now - Months::new(30)).await;
    let later = clock.now();
    let (a, b) = tokio::join!(
        service::purge_due(&first.db, &first.state.writer, None, later),
        service::purge_due(&second.db, &second.state.writer, None, later)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.cases + b.cases, 450, "{a:?} {b:?}");
    assert_eq!(a.mails + b.mails, 450);
    let entries: i64 = fridhem::on_pool!(&first.db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'case-purged'"
    )
    .fetch_one(p)
    .await)
    .unwrap();
    assert_eq!(entries, 450, "one entry per case");
    second.stop().await;
    first.stop().await;
}

/// The real binary is killed with SIGKILL while it cleans: every case is
/// then either untouched (its data, mail and no entry) or fully cleaned
/// (none of its data, no mail, one entry), never half; the next start
/// finishes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kill_mid_run_leaves_no_case_half_cleaned_sqlite() {
    use crate::helpers::binary::{Binary, Start};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("fridhem.db").display());
    let key_file = dir.path().join("data-key");
    let app = crate::helpers::spawn_app_with(
        crate::helpers::Backend::Sqlite,
        crate::helpers::Options {
            database_url: Some(url.clone()),
            env: vec![("FRIDHEM_DATA_KEY_FILE", key_file.display().to_string())],
            ..Default::default()
        },
    )
    .await;
    // The in-process instance's own run at start must not be the one
    // that cleans: it is done before the cases exist, and its claim is
    // moved an hour back so the binary's first run is due at its start.
    first_run_done(&app).await;
    let closed = Utc::now() - Months::new(30);
    for _ in 0..6 {
        due_cases(&app, 500, closed).await;
    }
    fridhem::on_pool!(&app.db, |p| sqlx::query(
        "UPDATE scheduled_runs SET started_at = $1"
    )
    .bind(Utc::now() - Duration::hours(2))
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    app.stop().await;

    let mut server = tokio::task::block_in_place(|| {
        Binary::spawn(Start {
            env: vec![
                ("FRIDHEM_DATABASE_URL", url.clone()),
                ("FRIDHEM_DATA_KEY_FILE", key_file.display().to_string()),
            ],
            ..Start::default()
        })
    });
    let db = fridhem::db::Db::connect(&fridhem::config::DatabaseUrl::Sqlite(url.clone()))
        .await
        .unwrap();
    let cleaned = || async {
        fridhem::on_pool!(&db, |p| sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM cases WHERE purged_at IS NOT NULL"
        )
        .fetch_one(p)
        .await)
        .unwrap()
    };
    // Killed as soon as the first batches are in.
    let deadline = Instant::now() + StdDuration::from_secs(60);
    while cleaned().await == 0 {
        assert!(
            Instant::now() < deadline,
            "the clean-up never started: {}{}",
            server.stdout(),
            server.stderr()
        );
        tokio::time::sleep(StdDuration::from_millis(5)).await;
    }
    tokio::task::block_in_place(|| server.kill_hard());
    let at_kill = cleaned().await;

    /// Reference, when cleaned, message, name, mails, purge entries.
    type CaseState = (String, Option<String>, String, Option<String>, i64, i64);
    let check = || async {
        let rows: Vec<CaseState> = fridhem::on_pool!(&db, |p| sqlx::query_as(
            "SELECT c.reference, CAST(c.purged_at AS TEXT), c.message, c.name, \
                 (SELECT COUNT(*) FROM outbox o WHERE o.case_id = c.id), \
                 (SELECT COUNT(*) FROM audit_log l WHERE l.action = 'case-purged' \
                   AND l.object_id = c.reference) \
                 FROM cases c"
        )
        .fetch_all(p)
        .await)
        .unwrap();
        let mut done = 0;
        for (reference, purged, message, name, mails, entries) in &rows {
            match purged {
                Some(_) => {
                    assert!(
                        message.is_empty() && name.is_none() && *mails == 0 && *entries == 1,
                        "{reference} half cleaned"
                    );
                    done += 1;
                }
                None => assert!(
                    message.starts_with("v1:") && name.is_some() && *mails == 1 && *entries == 0,
                    "{reference} touched but not cleaned"
                ),
            }
        }
        (rows.len(), done)
    };
    let (total, done) = check().await;
    assert_eq!(total, 3000);
    assert_eq!(done as i64, at_kill);
    println!("clean-up killed after {done} of {total} cases");
    assert!(
        done < total,
        "killed before the end (took too long to start?)"
    );

    // An hour later (the run is hourly) the next start finishes.
    fridhem::on_pool!(&db, |p| sqlx::query(
        "UPDATE scheduled_runs SET started_at = $1"
    )
    .bind(Utc::now() - Duration::hours(2))
    .execute(p)
    .await
    .map(|_| ()))
    .unwrap();
    tokio::task::block_in_place(|| server.restart());
    let deadline = Instant::now() + StdDuration::from_secs(60);
    while cleaned().await < 3000 {
        assert!(
            Instant::now() < deadline,
            "the next start did not finish: {}",
            server.stdout()
        );
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    tokio::task::block_in_place(|| server.kill_hard());
    assert_eq!(check().await, (3000, 3000));
    db.close().await;
}
