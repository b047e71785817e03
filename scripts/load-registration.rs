//! The registration load test (scripts/load-registration.sh): fires
//! LOAD_PEOPLE registrations at once (three in four single people, one in
//! four class bookings of 2–4 pupils that accept the waiting list) at an
//! event with LOAD_SEATS seats, spread over the instances in LOAD_BASES,
//! then checks in the database that exactly the seats were taken, that
//! everyone else waits in the order stored (first fit), that every
//! acknowledged registration is stored and that nothing answered 5xx;
//! then cancels LOAD_CANCELLATIONS random registrations through their
//! personal links and checks after each that exactly the right people
//! moved up. Prints registrations per second and latencies.

use std::sync::Arc;
use std::time::{Duration, Instant};

use fridhem::config::DatabaseUrl;
use fridhem::db::Db;
use fridhem::events::registration::service::token_hash;
use tokio::sync::Barrier;

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn token_of(html: &str) -> String {
    let at = html.find("name=\"token\" value=\"").expect("a form") + 20;
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

fn body(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

#[derive(Debug, Clone, PartialEq)]
struct Row {
    hash: String,
    status: String,
    seats: i64,
}

async fn rows(db: &Db, event: i64) -> Vec<Row> {
    let rows: Vec<(String, String, i64)> = fridhem::on_pool!(db, |p| {
        sqlx::query_as(
        "SELECT token_hash, status, seats FROM registrations WHERE event_id = $1 ORDER BY queue"
    )
    .bind(event)
    .fetch_all(p)
    .await
    })
    .expect("registrations read");
    rows.into_iter()
        .map(|(hash, status, seats)| Row {
            hash,
            status,
            seats,
        })
        .collect()
}

/// First fit in list order: what the waiting list's rule gives.
fn first_fit(model: &mut [Row], capacity: i64) {
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

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn create_event(db: &Db, seats: i64) -> i64 {
    let now = chrono::Utc::now();
    let starts = now + chrono::Duration::days(20);
    let year: i64 = fridhem::on_pool!(db, |p| sqlx::query_scalar(
        "SELECT MAX(year) FROM campaigns WHERE published"
    )
    .fetch_one(p)
    .await)
    .expect("a published campaign (the demo's)");
    let uid = format!("{}@fridhem-load", uuid::Uuid::new_v4());
    let id: i64 = fridhem::on_pool!(db, |p| {
        sqlx::query_scalar(
        "INSERT INTO events (campaign_year, uid, slug, title, description_md, audience, format, \
         place, address, municipality, language, accessibility, starts_at, ends_at, capacity, \
         registration_opens_at, registration_closes_at, status, sequence, example, created_at, \
         updated_at) VALUES ($1, $2, 'lasttest', 'Lasttest', 'Anmälan under last.', \
         'skolungdomar', 'pa-plats', 'Aulan', 'Exempelvägen 1', 'jarfalla', 'Svenska', '', \
         $3, $4, $5, $6, NULL, 'publicerad', 0, TRUE, $6, $6) RETURNING id"
    )
    .bind(year)
    .bind(&uid)
    .bind(starts)
    .bind(starts + chrono::Duration::hours(2))
    .bind(seats)
    .bind(now - chrono::Duration::hours(1))
    .fetch_one(p)
    .await
    })
    .expect("event stored");
    fridhem::on_pool!(db, |p| sqlx::query(
        "INSERT INTO app_meta (key, value) VALUES ('content_version', '1') \
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(app_meta.value AS BIGINT) + 1 AS TEXT)"
    )
    .execute(p)
    .await
    .map(|_| ()))
    .expect("content version moved");
    id
}

#[tokio::main]
async fn main() {
    let bases: Vec<String> = env("LOAD_BASES", "http://127.0.0.1:8080")
        .split(',')
        .map(str::to_owned)
        .collect();
    let url = env("LOAD_DATABASE_URL", "sqlite://fridhem.db");
    let people: usize = env("LOAD_PEOPLE", "500").parse().unwrap();
    let seats: i64 = env("LOAD_SEATS", "50").parse().unwrap();
    let cancellations: usize = env("LOAD_CANCELLATIONS", "30").parse().unwrap();
    let db_url = if url.starts_with("postgres") {
        DatabaseUrl::Postgres(url)
    } else {
        DatabaseUrl::Sqlite(url)
    };
    let db = Db::connect(&db_url).await.expect("database");
    let event = create_event(&db, seats).await;
    let path = format!("/evenemang/{event}-lasttest");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    // Every instance serves the event before the burst.
    let mut token = String::new();
    for base in &bases {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let r = client.get(format!("{base}{path}")).send().await.unwrap();
            if r.status() == 200 {
                let html = r.text().await.unwrap();
                if html.contains("name=\"epost\"") {
                    token = token_of(&html);
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "{base}{path} never showed the form"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    let barrier = Arc::new(Barrier::new(people));
    let start = Instant::now();
    let mut tasks = vec![];
    for i in 0..people {
        let (client, barrier, token) = (client.clone(), barrier.clone(), token.clone());
        let url = format!("{}{path}", bases[i % bases.len()]);
        tasks.push(tokio::spawn(async move {
            let email = format!("person{i}@example.org");
            let pupils = (2 + i % 3).to_string();
            let mut fields = vec![
                ("token", token.as_str()),
                ("namn", "Namn Efternamn"),
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
            let body = body(&fields);
            barrier.wait().await;
            let sent = Instant::now();
            let r = client
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("origin", "null")
                .body(body)
                .send()
                .await;
            let took = sent.elapsed().as_secs_f64() * 1000.0;
            match r {
                Ok(r) => {
                    let status = r.status().as_u16();
                    let location = r
                        .headers()
                        .get("location")
                        .map(|l| l.to_str().unwrap().to_owned());
                    (status, took, location)
                }
                Err(e) => {
                    eprintln!("request {i}: {e}");
                    (0, took, None)
                }
            }
        }));
    }
    let mut results = vec![];
    for t in tasks {
        results.push(t.await.unwrap());
    }
    let wall = start.elapsed().as_secs_f64();
    let mut latencies: Vec<f64> = results.iter().map(|r| r.1).collect();
    latencies.sort_by(f64::total_cmp);
    let acknowledged: Vec<String> = results
        .iter()
        .filter(|r| r.0 == 303)
        .filter_map(|r| r.2.as_deref())
        .map(|l| l.trim_start_matches("/anmalan/").to_owned())
        .collect();
    let server_errors = results.iter().filter(|r| r.0 >= 500 || r.0 == 0).count();
    let mut by_status = std::collections::BTreeMap::new();
    for r in &results {
        *by_status.entry(r.0).or_insert(0) += 1;
    }
    println!(
        "{people} registrations at once over {} instance(s): {:.0} registrations/s ({wall:.2} s), latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; statuses {by_status:?}",
        bases.len(),
        people as f64 / wall,
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        latencies.last().unwrap(),
    );

    let mut failures = vec![];
    if server_errors > 0 {
        failures.push(format!("{server_errors} answers were 5xx or no answer"));
    }
    let stored = rows(&db, event).await;
    let hashes: std::collections::HashSet<&str> = stored.iter().map(|r| r.hash.as_str()).collect();
    let lost = acknowledged
        .iter()
        .filter(|t| !hashes.contains(token_hash(t).as_str()))
        .count();
    if lost > 0 {
        failures.push(format!("{lost} acknowledged registrations are not stored"));
    }
    if stored.len() != acknowledged.len() {
        failures.push(format!(
            "{} stored, {} acknowledged",
            stored.len(),
            acknowledged.len()
        ));
    }
    let taken: i64 = stored
        .iter()
        .filter(|r| r.status == "anmald")
        .map(|r| r.seats)
        .sum();
    if taken != seats {
        failures.push(format!("{taken} seats taken of {seats}"));
    }
    let mut model: Vec<Row> = stored
        .iter()
        .map(|r| Row {
            status: "vantelista".into(),
            ..r.clone()
        })
        .collect();
    first_fit(&mut model, seats);
    if model != stored {
        failures.push("the seats are not first fit in the order stored".into());
    }
    let waiting = stored.iter().filter(|r| r.status == "vantelista").count();
    println!(
        "stored {}, seats taken {taken} of {seats}, waiting {waiting}",
        stored.len()
    );

    // Cancellations through the personal links, one after another.
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut model = stored.clone();
    let cancel_start = Instant::now();
    for n in 0..cancellations {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let active: Vec<usize> = (0..model.len())
            .filter(|i| matches!(model[*i].status.as_str(), "anmald" | "vantelista"))
            .collect();
        let pick = active[(seed >> 33) as usize % active.len()];
        let token = acknowledged
            .iter()
            .find(|t| token_hash(t) == model[pick].hash)
            .expect("the link of a stored registration")
            .clone();
        let base = &bases[n % bases.len()];
        let page = client
            .get(format!("{base}/anmalan/{token}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let r = client
            .post(format!("{base}/anmalan/{token}/avboka"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", "null")
            .body(body(&[("token", &token_of(&page))]))
            .send()
            .await
            .unwrap();
        if r.status() != 200 {
            failures.push(format!("cancellation {n} answered {}", r.status()));
        }
        let freed = model[pick].status == "anmald";
        model[pick].status = "avbokad".into();
        if freed {
            first_fit(&mut model, seats);
        }
        if rows(&db, event).await != model {
            failures.push(format!(
                "after cancellation {n} the list is not what first fit gives"
            ));
            break;
        }
    }
    println!(
        "{cancellations} cancellations in {:.2} s, each checked against first fit",
        cancel_start.elapsed().as_secs_f64()
    );
    db.close().await;
    if failures.is_empty() {
        println!("PASS");
    } else {
        for f in &failures {
            println!("FAIL: {f}");
        }
        std::process::exit(1);
    }
}
