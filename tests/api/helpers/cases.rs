//! Cases for tests: sent through the contact form as a visitor does, or
//! written straight into a writer job when a test needs hundreds, or
//! dates the forms cannot give; and what the database holds on disk.

use chrono::{DateTime, NaiveDate, Utc};
use fridhem::cases::model::{CaseKind, NewCase};
use fridhem::db::crypt::DataKeys;
use fridhem::db::Tx;

use super::forms::{form_token, post_form};
use super::{reference_of, TestApp};

/// Sends the contact form from `organisation`, as `name` <`email`>,
/// saying `message`; returns the case's reference.
pub async fn send_contact(
    app: &TestApp,
    organisation: &str,
    name: &str,
    email: &str,
    message: &str,
) -> String {
    let token = form_token(app, "/kontakt").await;
    let r = post_form(
        app,
        "/kontakt",
        &[
            ("token", &token),
            ("amne", "inte-ensam"),
            ("organisation", organisation),
            ("namn", name),
            ("epost", email),
            ("meddelande", message),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    reference_of(&location, "/kontakt").unwrap().to_owned()
}

/// Stores case number `i` of `kind`, received `at` and due `due_on`, with
/// a name and a message, inside the caller's job; returns its reference
/// and id.
pub async fn insert_case(
    tx: &mut Tx<'_>,
    keys: &DataKeys,
    kind: CaseKind,
    i: usize,
    at: DateTime<Utc>,
    due_on: NaiveDate,
) -> Result<(String, i64), sqlx::Error> {
    let reference = fridhem::cases::store::next_reference(tx, kind, at).await?;
    let case = NewCase {
        page: None,
        topic: Some("ovrigt".into()),
        format: None,
        organisation: None,
        message: format!("Meddelande nummer {i}"),
        name: Some(format!("Person {i}")),
        email: None,
        phone: None,
        postal_address: None,
        preferred_contact: None,
    };
    let id =
        fridhem::cases::store::insert_case(tx, keys, &reference, &case, "none", due_on, at).await?;
    Ok((reference.to_string(), id))
}

/// Everything the database keeps on disk: the SQLite file and its WAL,
/// or a `pg_dump` of the PostgreSQL database.
pub fn database_bytes(app: &TestApp) -> Vec<u8> {
    match app.database_url.strip_prefix("sqlite://") {
        Some(path) => {
            let mut bytes = std::fs::read(path).unwrap();
            bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
            bytes
        }
        None => {
            let out = std::process::Command::new("pg_dump")
                .arg(&app.database_url)
                .output()
                .expect("pg_dump runs");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        }
    }
}

/// Whether `needle` is anywhere in `haystack`, byte for byte.
pub fn holds(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}
