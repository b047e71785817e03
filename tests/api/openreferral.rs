//! The Open Referral (HSDS 3.0) API at /openreferral/. Every response is
//! validated against the published HSDS schemas (a copy kept in
//! tests/fixtures/hsds, never fetched from the network), and the directory's publication
//! rules are checked to hold here as on /hjalp: nothing unconfirmed leaks.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::{Offset, Utc};
use chrono_tz::Europe::Stockholm;
use fridhem::demo::stable_id;
use jsonschema::{Draft, Validator};
use serde_json::{json, Value};

use crate::helpers::TestApp;

const HSDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hsds/");

fn load(name: &str) -> Value {
    let path = format!("{HSDS}{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The compiled HSDS schemas carry no `$schema`; OpenAPI 3.1 means JSON
/// Schema 2020-12. Formats (uuid, uri, date-time) are asserted, not just
/// annotated, so a non-UUID id or a relative URL fails.
fn compile(schema: &Value) -> Validator {
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
        .expect("HSDS schema compiles")
}

static OPENAPI: LazyLock<Value> = LazyLock::new(|| load("openapi.json"));
static SERVICE: LazyLock<Validator> =
    LazyLock::new(|| compile(&load("service_with_definitions.json")));
static SERVICE_ITEM: LazyLock<Validator> = LazyLock::new(|| compile(&load("service_list.json")));
static ORGANIZATION: LazyLock<Validator> = LazyLock::new(|| compile(&load("organization.json")));
static ORGANIZATION_ITEM: LazyLock<Validator> =
    LazyLock::new(|| compile(&load("organization_list.json")));

/// OpenAPI's `Page` envelope, with every field required (the spec lists
/// them without `required`, but a client needs all of them to page) and
/// `contents` an array; the items are validated on their own.
static PAGE: LazyLock<Validator> = LazyLock::new(|| {
    let mut page = OPENAPI["components"]["schemas"]["Page"].clone();
    let mut required: Vec<Value> = page["properties"]
        .as_object()
        .expect("Page has properties")
        .keys()
        .map(|k| json!(k))
        .collect();
    required.push(json!("contents"));
    page["required"] = Value::Array(required);
    page["properties"]["contents"] = json!({"type": "array"});
    compile(&page)
});

static META: LazyLock<Validator> = LazyLock::new(|| {
    let mut meta = OPENAPI["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]
        ["schema"]
        .clone();
    meta["required"] = json!(["version", "profile", "openapi_url"]);
    compile(&meta)
});

fn assert_valid(validator: &Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("  {} (at {})", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match the HSDS schema:\n{}\n{}",
        errors.join("\n"),
        serde_json::to_string_pretty(instance).unwrap()
    );
}

/// GET, check the headers every API response must have, parse the body.
async fn get_json(app: &TestApp, path: &str) -> (u16, Value) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(
        header("content-type").as_deref(),
        Some("application/json"),
        "{path}"
    );
    assert_eq!(
        header("access-control-allow-origin").as_deref(),
        Some("*"),
        "{path}"
    );
    assert_eq!(
        header("cross-origin-resource-policy").as_deref(),
        Some("cross-origin"),
        "{path}: open data may be used from other origins"
    );
    assert_eq!(
        header("cache-control").as_deref(),
        Some("no-store"),
        "{path}"
    );
    assert!(header("set-cookie").is_none(), "{path}");
    let body = response.text().await.unwrap();
    let json = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"));
    (status, json)
}

async fn get_ok(app: &TestApp, path: &str) -> Value {
    let (status, json) = get_json(app, path).await;
    assert_eq!(status, 200, "{path}: {json}");
    json
}

async fn assert_error(app: &TestApp, path: &str, expected: u16) {
    let (status, json) = get_json(app, path).await;
    assert_eq!(status, expected, "{path}: {json}");
    let message = json["error"]
        .as_str()
        .unwrap_or_else(|| panic!("{path}: {json}"));
    assert!(!message.is_empty(), "{path}");
}

fn contents(page: &Value) -> &Vec<Value> {
    page["contents"].as_array().expect("contents is an array")
}

fn ids(page: &Value) -> Vec<String> {
    contents(page)
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Every published service in one page (the directory is far below the cap).
async fn all_services(app: &TestApp) -> Value {
    let page = get_ok(app, "/openreferral/services?per_page=200").await;
    assert_eq!(page["total_pages"], 1, "all services fit in one page");
    page
}

async fn service_by_key(app: &TestApp, key: &str) -> Value {
    get_ok(
        app,
        &format!("/openreferral/services/{}", stable_id("service", key)),
    )
    .await
}

/// Every `id` anywhere in a document, with where it was found.
fn nested_ids(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "id" {
                    out.push((v.as_str().unwrap_or_default().to_owned(), at.to_owned()));
                } else {
                    nested_ids(v, &format!("{at}/{key}"), out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                nested_ids(v, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn is_dialable(number: &str) -> bool {
    let digits = number.strip_prefix('+').unwrap_or(number);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn is_hh_mm(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 5 && b[2] == b':' && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit())
}

fn stockholm_offset_hours() -> i64 {
    i64::from(
        Utc::now()
            .with_timezone(&Stockholm)
            .offset()
            .fix()
            .local_minus_utc()
            / 3600,
    )
}

// ---------------------------------------------------------------------------

async fn meta_describes_the_api(app: &TestApp) {
    for path in ["/openreferral/", "/openreferral"] {
        let meta = get_ok(app, path).await;
        assert_valid(&META, &meta, path);
        assert_eq!(meta["version"], "3.0");
        assert_eq!(meta["profile"], format!("{}/openreferral/", app.address));
        assert_eq!(
            meta["openapi_url"],
            "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
        );
    }
}

async fn service_list_matches_schema_and_pages(app: &TestApp) {
    let first = get_ok(app, "/openreferral/services").await;
    assert_valid(&PAGE, &first, "/services");
    for item in contents(&first) {
        assert_valid(&SERVICE_ITEM, item, "/services item");
        // One-to-one fields only: the lists of a service are for /services/{id}.
        for many in ["phones", "schedules", "languages"] {
            assert!(item.get(many).is_none(), "{many} in list item {item}");
        }
        assert_eq!(item["status"], "active");
    }
    let all = ids(&first);
    let total = all.len();
    assert!(
        total > 6,
        "the demo directory has more than two pages of three"
    );
    assert_eq!(first["total_items"], total);
    assert_eq!(first["total_pages"], 1);
    assert_eq!(first["page_number"], 1);
    assert_eq!(first["size"], total);
    assert_eq!(first["first_page"], true);
    assert_eq!(first["last_page"], true);
    assert_eq!(first["empty"], false);
    assert_eq!(
        all.iter().collect::<HashSet<_>>().len(),
        total,
        "no service twice"
    );

    let second = get_ok(app, "/openreferral/services?page=2&per_page=3").await;
    assert_valid(&PAGE, &second, "/services page 2");
    assert_eq!(second["total_items"], total);
    assert_eq!(second["total_pages"], total.div_ceil(3));
    assert_eq!(second["page_number"], 2);
    assert_eq!(second["size"], 3);
    assert_eq!(second["first_page"], false);
    assert_eq!(second["last_page"], false);
    assert_eq!(second["empty"], false);
    assert_eq!(
        ids(&second),
        all[3..6],
        "page 2 continues where page 1 ended"
    );

    let last_number = total.div_ceil(3);
    let last = get_ok(
        app,
        &format!("/openreferral/services?page={last_number}&per_page=3"),
    )
    .await;
    assert_valid(&PAGE, &last, "/services last page");
    assert_eq!(last["last_page"], true);
    assert_eq!(last["size"], total - 3 * (last_number - 1));
    assert_eq!(ids(&last), all[3 * (last_number - 1)..]);

    let beyond = get_ok(
        app,
        &format!("/openreferral/services?page={}&per_page=3", last_number + 1),
    )
    .await;
    assert_valid(&PAGE, &beyond, "/services beyond the end");
    assert_eq!(beyond["empty"], true);
    assert_eq!(beyond["size"], 0);
    assert_eq!(beyond["total_items"], total);
    assert!(contents(&beyond).is_empty());
}

async fn every_service_matches_schema(app: &TestApp) {
    let list = all_services(app).await;
    let offset = stockholm_offset_hours();
    for id in ids(&list) {
        let path = format!("/openreferral/services/{id}");
        let service = get_ok(app, &path).await;
        assert_valid(&SERVICE, &service, &path);
        assert_eq!(service["id"], id.as_str());
        assert_eq!(service["status"], "active");
        assert_eq!(service["organization"]["id"], service["organization_id"]);
        assert!(
            service["assured_date"].is_string(),
            "{path}: published services are verified"
        );

        let mut all_ids = Vec::new();
        nested_ids(&service, "", &mut all_ids);
        let unique: HashSet<&String> = all_ids.iter().map(|(id, _)| id).collect();
        // The organisation is the one record that may legitimately repeat
        // elsewhere; inside one service every id is distinct.
        assert_eq!(
            unique.len(),
            all_ids.len(),
            "{path}: duplicate ids {all_ids:?}"
        );

        let phones = service["phones"].as_array().expect("phones");
        for phone in phones {
            let number = phone["number"].as_str().unwrap();
            assert!(is_dialable(number), "{path}: number {number:?}");
            assert_eq!(phone["type"], "voice");
            assert!(phone.get("extension").is_none());
            assert_eq!(phone["service_id"], id.as_str());
            for language in phone["languages"].as_array().expect("phone languages") {
                assert_eq!(language["code"].as_str().unwrap().len(), 2, "ISO 639-1");
                assert!(language["name"].is_string());
            }
        }
        for language in service["languages"].as_array().expect("languages") {
            assert_eq!(language["code"].as_str().unwrap().len(), 2, "ISO 639-1");
            assert!(language["name"].is_string());
        }
        for schedule in service["schedules"].as_array().expect("schedules") {
            assert_eq!(schedule["service_id"], id.as_str());
            let description = schedule["description"].as_str().unwrap();
            assert!(
                phones
                    .iter()
                    .any(|p| description.contains(p["number"].as_str().unwrap())),
                "{path}: schedule {description:?} names one of the service's numbers"
            );
            if schedule.get("freq").is_some() {
                assert_eq!(schedule["freq"], "WEEKLY");
                for day in schedule["byday"].as_str().unwrap().split(',') {
                    assert!(
                        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].contains(&day),
                        "{path}: byday {day}"
                    );
                }
                assert!(is_hh_mm(schedule["opens_at"].as_str().unwrap()));
                assert!(is_hh_mm(schedule["closes_at"].as_str().unwrap()));
                assert_eq!(schedule["timezone"], offset, "{path}: offset in force now");
            }
        }

        // Derived ids do not change between requests.
        assert_eq!(get_ok(app, &path).await, service, "{path} is stable");
    }
}

async fn organizations_match_schema(app: &TestApp) {
    let page = get_ok(app, "/openreferral/organizations").await;
    assert_valid(&PAGE, &page, "/organizations");
    let total = contents(&page).len();
    assert!(total > 3);
    assert_eq!(page["total_items"], total);
    assert_eq!(page["last_page"], true);
    for item in contents(&page) {
        assert_valid(&ORGANIZATION_ITEM, item, "/organizations item");
        assert!(item.get("services").is_none());
    }

    let second = get_ok(app, "/openreferral/organizations?page=2&per_page=3").await;
    assert_valid(&PAGE, &second, "/organizations page 2");
    assert_eq!(second["total_pages"], total.div_ceil(3));
    assert_eq!(ids(&second), ids(&page)[3..6]);

    let published: HashSet<String> = ids(&all_services(app).await).into_iter().collect();
    let mut nested = HashSet::new();
    for id in ids(&page) {
        let path = format!("/openreferral/organizations/{id}");
        let organization = get_ok(app, &path).await;
        assert_valid(&ORGANIZATION, &organization, &path);
        assert_eq!(organization["id"], id.as_str());
        for service in organization["services"].as_array().expect("services") {
            assert_eq!(service["organization_id"], id.as_str());
            assert!(
                service.get("organization").is_none(),
                "not repeated inside itself"
            );
            assert!(service["phones"].is_array());
            nested.insert(service["id"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(
        nested, published,
        "each published service under its organisation"
    );
}

async fn unpublished_services_stay_hidden(app: &TestApp) {
    let list = all_services(app).await;
    let listed = ids(&list);
    for key in ["ratt-att-valja", "jarfalla-socialjour"] {
        let id = stable_id("service", key);
        assert!(!listed.contains(&id), "{key} is listed");
        assert_error(app, &format!("/openreferral/services/{id}"), 404).await;
        assert_error(
            app,
            &format!("/openreferral/services/{}", id.to_uppercase()),
            404,
        )
        .await;
    }
    let nck = get_ok(
        app,
        &format!(
            "/openreferral/organizations/{}",
            stable_id("organization", "nck")
        ),
    )
    .await;
    let text = nck.to_string();
    assert!(
        !text.contains("Rätt att välja"),
        "unconfirmed service nested: {text}"
    );
    assert!(!text.contains("+46205770"), "its number leaked: {text}");
    assert!(!list.to_string().contains("Rätt att välja"));
}

async fn unconfirmed_numbers_and_hours_stay_hidden(app: &TestApp) {
    // Terrafem's number is not confirmed: the service is shown without it.
    let terrafem = service_by_key(app, "terrafem-stod").await;
    assert_eq!(terrafem["phones"], json!([]));
    assert_eq!(terrafem["schedules"], json!([]));
    assert!(!terrafem.to_string().contains("205210"));

    // Only the confirmed one of the two numbers.
    let jarfalla = service_by_key(app, "jarfalla-relationsvaldsmottagning").await;
    let numbers: Vec<&str> = jarfalla["phones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["+46858028500"]);

    // Brottsofferjouren's hours are from 2020 and unconfirmed.
    let boj = service_by_key(app, "brottsofferjouren-116006").await;
    assert_eq!(boj["phones"][0]["number"], "116006");
    assert_eq!(boj["schedules"], json!([]));
    assert!(!boj.to_string().contains("09:00"));

    // Välj att sluta's rough hours ("vardagar, kontorstid") are not
    // confirmed either, so not even the words are published.
    let valj = service_by_key(app, "valj-att-sluta").await;
    assert_eq!(valj["phones"][0]["number"], "+4620555666");
    assert_eq!(valj["schedules"], json!([]));
    assert!(!valj.to_string().contains("kontorstid"));
}

async fn kvinnofridslinjen_is_open_round_the_clock(app: &TestApp) {
    let k = service_by_key(app, "kvinnofridslinjen").await;
    assert_eq!(k["name"], "Kvinnofridslinjen");
    let phones = k["phones"].as_array().unwrap();
    assert_eq!(phones.len(), 1);
    assert_eq!(phones[0]["number"], "+4620505050");
    assert_eq!(phones[0]["description"], "Dygnet runt");
    assert_eq!(phones[0]["languages"][0]["code"], "sv");
    assert_eq!(phones[0]["languages"][0]["name"], "svenska");
    assert_eq!(phones[0]["languages"][0]["phone_id"], phones[0]["id"]);
    assert_eq!(k["languages"][0]["code"], "sv");
    assert_eq!(k["languages"][0]["service_id"], k["id"]);
    let schedules = k["schedules"].as_array().unwrap();
    assert_eq!(schedules.len(), 1);
    assert_eq!(schedules[0]["freq"], "WEEKLY");
    assert_eq!(schedules[0]["byday"], "MO,TU,WE,TH,FR,SA,SU");
    assert_eq!(schedules[0]["opens_at"], "00:00");
    assert_eq!(schedules[0]["closes_at"], "24:00");
    assert_eq!(k["assured_date"], "2026-11-27");
    assert!(k["interpretation_services"]
        .as_str()
        .unwrap()
        .contains("tolk"));
    assert_eq!(k["url"], "https://www.nck.uu.se/");
    assert_eq!(
        k["organization"]["name"],
        "Nationellt centrum för kvinnofrid (NCK)"
    );

    let sos = service_by_key(app, "sos-112").await;
    assert_eq!(sos["phones"][0]["number"], "112");
}

async fn schedules_follow_opening_hours(app: &TestApp) {
    let man = service_by_key(app, "stodlinjen-for-man").await;
    let s = &man["schedules"];
    assert_eq!(
        s.as_array().unwrap().len(),
        1,
        "one schedule for seven equal days"
    );
    assert_eq!(s[0]["byday"], "MO,TU,WE,TH,FR,SA,SU");
    assert_eq!(s[0]["opens_at"], "07:00");
    assert_eq!(s[0]["closes_at"], "21:00");
    assert!(s[0]["notes"].as_str().unwrap().contains("Europe/Stockholm"));

    let nst = service_by_key(app, "nationella-stodtelefonen").await;
    let s = &nst["schedules"];
    assert_eq!(s.as_array().unwrap().len(), 1);
    assert_eq!(s[0]["byday"], "MO,WE,FR");
    assert_eq!(s[0]["opens_at"], "09:00");
    assert_eq!(s[0]["closes_at"], "12:00");

    // 1177: four lines, each with its own hours, told apart by number.
    let v = service_by_key(app, "telefon-1177").await;
    let codes: Vec<&str> = v["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["sv", "ar", "so", "fa"]);
    let schedules = v["schedules"].as_array().unwrap();
    let for_number = |n: &str| -> Vec<&Value> {
        schedules
            .iter()
            .filter(|s| s["description"].as_str().unwrap().contains(n))
            .collect()
    };
    assert_eq!(for_number("1177")[0]["closes_at"], "24:00");
    let arabic = for_number("+46812313080");
    assert_eq!(arabic.len(), 1);
    assert_eq!(arabic[0]["byday"], "MO,TU,WE,TH,FR,SA,SU");
    assert_eq!(arabic[0]["opens_at"], "08:00");
    assert_eq!(arabic[0]["closes_at"], "22:00");
    let somali = for_number("+46812313090");
    assert_eq!(somali[0]["byday"], "MO,TU,WE,TH,FR");
    assert_eq!(somali[0]["closes_at"], "17:00");
    assert_eq!(v["phones"][1]["languages"][0]["code"], "ar");
    assert_eq!(v["phones"][1]["languages"][0]["name"], "arabiska");
}

async fn services_filter_by_organization(app: &TestApp) {
    let nck = stable_id("organization", "nck");
    let page = get_ok(
        app,
        &format!("/openreferral/services?organization_id={nck}"),
    )
    .await;
    assert_valid(&PAGE, &page, "/services?organization_id");
    let expected: Vec<String> = [
        "kvinnofridslinjen",
        "stodlinjen-for-man",
        "stodlinjen-for-transpersoner",
    ]
    .iter()
    .map(|k| stable_id("service", k))
    .collect();
    assert_eq!(ids(&page), expected);
    assert_eq!(page["total_items"], 3);

    let unknown = get_ok(
        app,
        "/openreferral/services?organization_id=00000000-0000-4000-8000-000000000000",
    )
    .await;
    assert_eq!(unknown["total_items"], 0);
    assert_eq!(unknown["empty"], true);

    // An organisation without published services still exists, with none.
    // Like every content change, it goes through the writer and moves the
    // content version, which the instance polls before reading again.
    let lone = "0f4c2a9e-3b1d-4e5f-8a6b-7c8d9e0f1a2b";
    app.state
        .writer
        .write(move |tx| {
            Box::pin(async move {
                let org = fridhem::help::Organization {
                    id: lone.to_owned(),
                    key: "utan-tjanster".to_owned(),
                    name: "Utan tjänster".to_owned(),
                    description: "Test".to_owned(),
                    website: None,
                    updated_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
                };
                fridhem::help::store::insert_organization(tx, &org).await?;
                fridhem::content::store::bump_content_version(tx).await
            })
        })
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let without = loop {
        let (status, body) = get_json(app, &format!("/openreferral/organizations/{lone}")).await;
        if status == 200 {
            break body;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the new organisation never showed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(without["services"], json!([]));

    assert_error(app, "/openreferral/services?organization_id=nck", 400).await;
}

async fn bad_paging_is_a_json_400(app: &TestApp) {
    for list in ["services", "organizations"] {
        for query in [
            "page=0",
            "page=-1",
            "page=abc",
            "page=",
            "page=1.5",
            "page=99999999999999999999",
            "per_page=0",
            "per_page=-5",
            "per_page=201",
            "per_page=1e3",
            "per_page=%FF",
            "page=1&page=2",
        ] {
            assert_error(app, &format!("/openreferral/{list}?{query}"), 400).await;
        }
        // The largest allowed page size is fine.
        get_ok(app, &format!("/openreferral/{list}?per_page=200")).await;
    }
}

async fn unknown_and_malformed_ids_are_a_json_404(app: &TestApp) {
    for kind in ["services", "organizations"] {
        for id in [
            "00000000-0000-4000-8000-000000000000",
            "not-a-uuid",
            "%FF%FE",
            "1%20OR%201=1",
            "x.y",
        ] {
            assert_error(app, &format!("/openreferral/{kind}/{id}"), 404).await;
        }
    }
    assert_error(app, "/openreferral/taxonomies", 404).await;
    assert_error(app, "/openreferral/services/x/y", 404).await;

    // Any spelling of a UUID finds the record.
    let id = stable_id("service", "kvinnofridslinjen");
    let upper = get_ok(
        app,
        &format!("/openreferral/services/{}", id.to_uppercase()),
    )
    .await;
    assert_eq!(upper["id"], id.as_str());
}

/// Every language's texts through `?lang=` (issue 14): the same schema,
/// the translated words, `Content-Language` naming the language; Swedish
/// without it; an unknown language is a JSON 400.
async fn services_in_other_languages(app: &TestApp) {
    let id = stable_id("service", "kvinnofridslinjen");
    let swedish = get_ok(app, &format!("/openreferral/services/{id}")).await;
    for lang in ["fi", "en", "ar", "fa", "so", "lattlast"] {
        let path = format!("/openreferral/services/{id}?lang={lang}");
        let r = app.get(&path).await;
        assert_eq!(r.status(), 200, "{path}");
        let expected = if lang == "lattlast" { "sv" } else { lang };
        assert_eq!(r.headers()["content-language"], expected, "{path}");
        let service: Value = r.json().await.unwrap();
        assert_valid(&SERVICE, &service, &path);
        // Same record, numbers and hours; other words.
        assert_eq!(service["id"], swedish["id"]);
        assert_eq!(
            service["phones"][0]["number"],
            swedish["phones"][0]["number"]
        );
        assert_ne!(service["description"], swedish["description"], "{path}");
        let list = get_ok(app, &format!("/openreferral/services?lang={lang}")).await;
        assert_valid(&PAGE, &list, &format!("/services?lang={lang}"));
        let organizations = get_ok(app, &format!("/openreferral/organizations?lang={lang}")).await;
        assert_valid(
            &PAGE,
            &organizations,
            &format!("/organizations?lang={lang}"),
        );
    }
    let r = app.get(&format!("/openreferral/services/{id}")).await;
    assert_eq!(r.headers()["content-language"], "sv");
    let arabic = get_ok(app, &format!("/openreferral/services/{id}?lang=ar")).await;
    assert!(arabic["description"]
        .as_str()
        .unwrap()
        .chars()
        .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)));
    for query in ["lang=de", "lang=", "lang=fi&lang=en"] {
        assert_error(app, &format!("/openreferral/services?{query}"), 400).await;
        assert_error(app, &format!("/openreferral/services/{id}?{query}"), 400).await;
    }
}

crate::db_tests!(
    services_in_other_languages,
    meta_describes_the_api,
    service_list_matches_schema_and_pages,
    every_service_matches_schema,
    organizations_match_schema,
    unpublished_services_stay_hidden,
    unconfirmed_numbers_and_hours_stay_hidden,
    kvinnofridslinjen_is_open_round_the_clock,
    schedules_follow_opening_hours,
    services_filter_by_organization,
    bad_paging_is_a_json_400,
    unknown_and_malformed_ids_are_a_json_404,
);
