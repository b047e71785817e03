//! Demo content for a fresh database: Järfälla's pages, help directory and
//! accessibility statement, kept as text files in `content/` and embedded in
//! the binary. Inserted once, in one transaction, marked in `app_meta` so
//! later starts (and concurrent instances) leave edited content alone.

use chrono::{NaiveDate, Weekday};
use serde::Deserialize;
use uuid::Uuid;

use super::{Db, DbError};
use crate::help::Interval;

const PAGES: &[(&str, &str)] = &[
    ("start", include_str!("../../content/pages/start.md")),
    ("hjalp", include_str!("../../content/pages/hjalp.md")),
    (
        "orolig-for-nagon",
        include_str!("../../content/pages/orolig-for-nagon.md"),
    ),
    (
        "inte-ensam",
        include_str!("../../content/pages/inte-ensam.md"),
    ),
    (
        "en-manad-fri-fran-vald",
        include_str!("../../content/pages/en-manad-fri-fran-vald.md"),
    ),
    (
        "dolj-ditt-besok",
        include_str!("../../content/pages/dolj-ditt-besok.md"),
    ),
    (
        "tillganglighet",
        include_str!("../../content/pages/tillganglighet.md"),
    ),
    (
        "personuppgifter",
        include_str!("../../content/pages/personuppgifter.md"),
    ),
    ("404", include_str!("../../content/pages/404.md")),
];
const HELP: &str = include_str!("../../content/help.toml");
const ACCESSIBILITY: &str = include_str!("../../content/accessibility.toml");
const PRIVACY: &str = include_str!("../../content/privacy.toml");

/// The privacy notice's facts that differ per municipality.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyFile {
    pub updated: NaiveDate,
    pub board: String,
    pub dpo_contact: String,
    /// Demo values that are not real facts are marked so on the page.
    pub is_example: bool,
}

/// Namespace for the stable UUIDs that Open Referral requires; derived from
/// each record's key so the same demo row gets the same id on every install.
const ID_NAMESPACE: Uuid = Uuid::from_u128(0x5f1d_7c3a_9b2e_4e61_8d0f_3a6b_c2e9_7d14);

pub fn stable_id(kind: &str, key: &str) -> String {
    Uuid::new_v5(&ID_NAMESPACE, format!("{kind}/{key}").as_bytes()).to_string()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFile {
    pub path: String,
    pub title: String,
    pub description: String,
    pub updated: NaiveDate,
}

#[derive(Debug)]
pub struct SeedPage {
    pub front: PageFile,
    pub body_md: String,
}

pub fn parse_page(name: &str, text: &str) -> Result<SeedPage, DbError> {
    let bad = |why: String| DbError::Seed(format!("content/pages/{name}.md: {why}"));
    let rest = text
        .strip_prefix("+++\n")
        .ok_or_else(|| bad("must start with +++ front matter".into()))?;
    let (front, body) = rest
        .split_once("\n+++\n")
        .ok_or_else(|| bad("front matter is not closed with +++".into()))?;
    let front: PageFile = toml::from_str(front).map_err(|e| bad(e.to_string()))?;
    Ok(SeedPage {
        front,
        body_md: body.trim().to_owned(),
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpFile {
    /// When the directory's facts were last changed; a record may say
    /// otherwise with its own `updated`.
    pub updated: NaiveDate,
    pub organizations: Vec<OrganizationSeed>,
    pub services: Vec<ServiceSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationSeed {
    pub key: String,
    pub name: String,
    pub description: String,
    pub website: Option<String>,
    pub updated: Option<NaiveDate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceSeed {
    pub key: String,
    pub organization: String,
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    pub interpretation: Option<String>,
    pub url: Option<String>,
    pub url_label: Option<String>,
    pub call_safety: Option<String>,
    pub confirmed: bool,
    pub verified_on: Option<NaiveDate>,
    #[serde(default)]
    pub featured: i64,
    #[serde(default)]
    pub emergency: bool,
    #[serde(default)]
    pub sort: i64,
    pub area: String,
    #[serde(default)]
    pub phones: Vec<PhoneSeed>,
    pub updated: Option<NaiveDate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneSeed {
    pub label: String,
    pub number: String,
    #[serde(default)]
    pub languages: Vec<String>,
    pub confirmed: bool,
    #[serde(default)]
    pub always_open: bool,
    #[serde(default)]
    pub hours_confirmed: bool,
    pub hours_text: Option<String>,
    #[serde(default)]
    pub hours: Vec<HoursSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoursSeed {
    pub days: Vec<String>,
    pub opens: String,
    pub closes: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessibilityFile {
    /// The statement's "Redogörelsen uppdaterades".
    pub updated: NaiveDate,
    pub service_name: String,
    pub compliance: String,
    pub compliance_text: String,
    pub assessed_on: NaiveDate,
    pub method: String,
    pub feedback_text: String,
    pub answer_time: String,
    pub enforcement_text: String,
    pub burden_none: Option<String>,
    #[serde(default)]
    pub nonconformities: Vec<StatementItemSeed>,
    #[serde(default)]
    pub disproportionate_burden: Vec<StatementItemSeed>,
    #[serde(default)]
    pub outside_scope: Vec<StatementItemSeed>,
    /// What is not a WCAG criterion but is still lacking (languages,
    /// easy-to-read), with the plan for it.
    #[serde(default)]
    pub other: Vec<StatementItemSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementItemSeed {
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub criterion: String,
    #[serde(default)]
    pub reason: String,
}

fn weekday(day: &str) -> Option<Weekday> {
    Some(match day {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// Everything the demo inserts, parsed and checked before any write.
pub struct DemoContent {
    pub pages: Vec<SeedPage>,
    pub help: HelpFile,
    pub accessibility: AccessibilityFile,
    pub privacy: PrivacyFile,
}

pub fn demo_content() -> Result<DemoContent, DbError> {
    let pages = PAGES
        .iter()
        .map(|(name, text)| parse_page(name, text))
        .collect::<Result<Vec<_>, _>>()?;
    let help: HelpFile =
        toml::from_str(HELP).map_err(|e| DbError::Seed(format!("content/help.toml: {e}")))?;
    for s in &help.services {
        let bad = |why: &str| DbError::Seed(format!("content/help.toml: service {}: {why}", s.key));
        if !help.organizations.iter().any(|o| o.key == s.organization) {
            return Err(bad("unknown organization"));
        }
        if s.audiences
            .iter()
            .any(|a| crate::help::Audience::from_slug(a).is_none())
        {
            return Err(bad("unknown audience"));
        }
        for p in &s.phones {
            if p.confirmed && crate::help::PhoneNumber::parse(&p.number).is_none() {
                return Err(bad("confirmed phone number does not parse"));
            }
            for h in &p.hours {
                for d in &h.days {
                    let day = weekday(d).ok_or_else(|| bad("unknown weekday"))?;
                    Interval::parse(day, &h.opens, &h.closes).ok_or_else(|| bad("bad hours"))?;
                }
            }
        }
    }
    let accessibility: AccessibilityFile = toml::from_str(ACCESSIBILITY)
        .map_err(|e| DbError::Seed(format!("content/accessibility.toml: {e}")))?;
    // The statement's status rests on criteria: every listed nonconformity
    // names the WCAG criterion it fails.
    if let Some(item) = accessibility
        .nonconformities
        .iter()
        .find(|i| i.criterion.trim().is_empty())
    {
        return Err(DbError::Seed(format!(
            "content/accessibility.toml: nonconformity '{}' names no WCAG criterion",
            item.title
        )));
    }
    let privacy: PrivacyFile =
        toml::from_str(PRIVACY).map_err(|e| DbError::Seed(format!("content/privacy.toml: {e}")))?;
    Ok(DemoContent {
        pages,
        help,
        accessibility,
        privacy,
    })
}

/// Inserts the demo content unless this database already has it.
/// Returns whether anything was inserted.
pub async fn seed_demo(db: &Db, today: NaiveDate) -> Result<bool, DbError> {
    let content = demo_content()?;
    crate::on_pool!(db, |pool| {
        let mut tx = pool.begin().await?;
        // Claiming the marker first makes a second instance starting at the
        // same moment wait here and then find the work done.
        let claimed = sqlx::query(
            "INSERT INTO app_meta (key, value) VALUES ('demo_content', $1) ON CONFLICT (key) DO NOTHING",
        )
        .bind(today.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        for page in &content.pages {
            sqlx::query(
                "INSERT INTO pages (path, title, description, body_md, updated_on) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&page.front.path)
            .bind(&page.front.title)
            .bind(&page.front.description)
            .bind(&page.body_md)
            .bind(page.front.updated)
            .execute(&mut *tx)
            .await?;
        }
        for o in &content.help.organizations {
            sqlx::query(
                "INSERT INTO organizations (id, key, name, description, website, updated_on) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(stable_id("organization", &o.key))
            .bind(&o.key)
            .bind(&o.name)
            .bind(&o.description)
            .bind(&o.website)
            .bind(o.updated.unwrap_or(content.help.updated))
            .execute(&mut *tx)
            .await?;
        }
        for s in &content.help.services {
            let service_id = stable_id("service", &s.key);
            sqlx::query(
                "INSERT INTO services (id, key, organization_id, name, description, languages, interpretation, url, url_label, call_safety, confirmed, verified_on, featured, emergency, sort, area, updated_on) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
            )
            .bind(&service_id)
            .bind(&s.key)
            .bind(stable_id("organization", &s.organization))
            .bind(&s.name)
            .bind(&s.description)
            .bind(s.languages.join(" "))
            .bind(&s.interpretation)
            .bind(&s.url)
            .bind(&s.url_label)
            .bind(&s.call_safety)
            .bind(s.confirmed)
            .bind(s.verified_on.filter(|_| s.confirmed))
            .bind(s.featured)
            .bind(s.emergency)
            .bind(s.sort)
            .bind(&s.area)
            .bind(s.updated.unwrap_or(content.help.updated))
            .execute(&mut *tx)
            .await?;
            for a in &s.audiences {
                sqlx::query("INSERT INTO service_audiences (service_id, audience) VALUES ($1, $2)")
                    .bind(&service_id)
                    .bind(a)
                    .execute(&mut *tx)
                    .await?;
            }
            for (position, p) in s.phones.iter().enumerate() {
                let phone_id = stable_id("phone", &format!("{}/{position}", s.key));
                sqlx::query(
                    "INSERT INTO phones (id, service_id, position, label, number, languages, confirmed, always_open, hours_confirmed, hours_text) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(&phone_id)
                .bind(&service_id)
                .bind(position as i64)
                .bind(&p.label)
                .bind(&p.number)
                .bind(p.languages.join(" "))
                .bind(p.confirmed)
                .bind(p.always_open)
                .bind(p.hours_confirmed)
                .bind(&p.hours_text)
                .execute(&mut *tx)
                .await?;
                for h in &p.hours {
                    for d in &h.days {
                        let day = weekday(d).expect("checked in demo_content");
                        sqlx::query(
                            "INSERT INTO phone_hours (phone_id, weekday, opens, closes) VALUES ($1, $2, $3, $4)",
                        )
                        .bind(&phone_id)
                        .bind(i64::from(day.number_from_monday()))
                        .bind(&h.opens)
                        .bind(&h.closes)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
        }
        let a = &content.accessibility;
        sqlx::query(
            "INSERT INTO accessibility_statement (id, service_name, compliance, compliance_text, assessed_on, updated_on, method, feedback_text, answer_time, enforcement_text, burden_none) \
             VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&a.service_name)
        .bind(&a.compliance)
        .bind(&a.compliance_text)
        .bind(a.assessed_on)
        .bind(a.updated)
        .bind(&a.method)
        .bind(&a.feedback_text)
        .bind(&a.answer_time)
        .bind(&a.enforcement_text)
        .bind(&a.burden_none)
        .execute(&mut *tx)
        .await?;
        for (kind, items) in [
            ("nonconformity", &a.nonconformities),
            ("burden", &a.disproportionate_burden),
            ("outside_scope", &a.outside_scope),
            ("other", &a.other),
        ] {
            for (position, item) in items.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO accessibility_items (kind, position, title, description, criterion, reason) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(kind)
                .bind(position as i64)
                .bind(&item.title)
                .bind(&item.description)
                .bind(&item.criterion)
                .bind(&item.reason)
                .execute(&mut *tx)
                .await?;
            }
        }
        let p = &content.privacy;
        sqlx::query(
            "INSERT INTO privacy_notice (id, board, dpo_contact, is_example, updated_on) VALUES (1, $1, $2, $3, $4)",
        )
        .bind(&p.board)
        .bind(&p.dpo_contact)
        .bind(p.is_example)
        .bind(p.updated)
        .execute(&mut *tx)
        .await?;
        sqlx::query(crate::content::store::BUMP_CONTENT_VERSION)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_content_parses_and_is_consistent() {
        let c = demo_content().unwrap();
        assert_eq!(c.pages.len(), PAGES.len());
        assert!(c.help.services.iter().any(|s| s.emergency));
        let mut keys: Vec<_> = c.help.services.iter().map(|s| &s.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), c.help.services.len(), "service keys are unique");
    }

    #[test]
    fn stable_ids_are_uuids_and_stable() {
        let a = stable_id("service", "kvinnofridslinjen");
        assert_eq!(a, stable_id("service", "kvinnofridslinjen"));
        assert_ne!(a, stable_id("organization", "kvinnofridslinjen"));
        assert!(Uuid::parse_str(&a).is_ok());
    }
}
