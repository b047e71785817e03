//! The public forms as a browser fills them in: the token from the page,
//! a valid set of fields per form, and a POST with the headers a browser
//! sends for a same-origin form.

use super::TestApp;

/// The signed token a form page carries in its hidden field.
pub fn token_of(html: &str) -> String {
    let at = html
        .find("name=\"token\" value=\"")
        .expect("form has a token")
        + 20;
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

pub async fn form_token(app: &TestApp, path: &str) -> String {
    let (status, html) = app.get_text(path).await;
    assert_eq!(status, 200, "{path}");
    token_of(&html)
}

/// The fields as a browser encodes a form.
pub fn form_body(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

pub async fn post_form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    send_form(&app.client, &app.url(path), fields).await
}

/// POSTs a form with the headers a browser sends for a same-origin form
/// (a privacy-minded one: `Origin: null`, as with `no-referrer`).
pub async fn send_form(
    client: &reqwest::Client,
    url: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    try_send_form(client, url, fields).await.unwrap()
}

pub async fn try_send_form(
    client: &reqwest::Client,
    url: &str,
    fields: &[(&str, &str)],
) -> reqwest::Result<reqwest::Response> {
    client
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "null")
        .header("sec-fetch-site", "same-origin")
        .body(form_body(fields))
        .send()
        .await
}

pub async fn count(app: &TestApp, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    fridhem::on_pool!(&app.db, |p| sqlx::query_scalar::<_, i64>(&sql)
        .fetch_one(p)
        .await)
    .unwrap()
}

pub fn valid_fields(path: &str) -> Vec<(&'static str, &'static str)> {
    match path {
        "/tillganglighet/rapportera" => vec![
            ("sida", "/hjalp"),
            ("problem", "Fokus syns inte på filterlänkarna."),
            ("epost", "anna@example.se"),
            ("svar", "epost"),
        ],
        "/tillganglighet/alternativt-format" => vec![
            ("innehall", "Sidan Orolig för någon"),
            ("format", "ljud"),
            ("namn", "Anna Andersson"),
            ("epost", "anna@example.se"),
        ],
        _ => vec![
            ("amne", "inte-ensam"),
            ("organisation", "Bostadsbolaget AB"),
            ("namn", "Bo Berg"),
            ("epost", "bo@example.se"),
            ("meddelande", "Vi vill beställa affischer."),
        ],
    }
}

pub const FORMS: [(&str, &str); 3] = [
    ("/tillganglighet/rapportera", "TG"),
    ("/tillganglighet/alternativt-format", "AF"),
    ("/kontakt", "KO"),
];

pub async fn submit_valid(app: &TestApp, path: &str) -> String {
    let token = form_token(app, path).await;
    let mut fields = valid_fields(path);
    fields.push(("token", &token));
    let r = post_form(app, path, &fields).await;
    assert_eq!(r.status(), 303, "{path}: {}", r.text().await.unwrap());
    r.headers()["location"].to_str().unwrap().to_owned()
}
