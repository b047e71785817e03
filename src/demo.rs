//! Demo content for a fresh database: Järfälla's pages, help directory,
//! accessibility statement and privacy notice, kept as text files in
//! `content/` and embedded in the binary. Parsed into the domains' models
//! and inserted once through their stores, in one writer job, marked in
//! `app_meta` so later starts (and concurrent instances) leave edited
//! content alone.

mod campaign;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;

use crate::content::model::{Page, PrivacyNotice, Statement, StatementItem, TranslationLang};
use crate::content::store::TranslationText;
use crate::db::writer::{WriteError, Writer};
use crate::help::hours::day_from_code;
use crate::help::{
    Area, Audience, DirectoryTexts, Interval, Organization, OrganizationText, Phone, PhoneText,
    Service, ServiceText, WeeklyHours,
};

/// Demo content that does not hold together; the message names the file.
#[derive(Debug, thiserror::Error)]
#[error("demo content: {0}")]
pub struct DemoError(String);

const PAGES: &[(&str, &str)] = &[
    ("start", include_str!("../content/pages/start.md")),
    ("hjalp", include_str!("../content/pages/hjalp.md")),
    (
        "orolig-for-nagon",
        include_str!("../content/pages/orolig-for-nagon.md"),
    ),
    ("inte-ensam", include_str!("../content/pages/inte-ensam.md")),
    (
        "en-manad-fri-fran-vald",
        include_str!("../content/pages/en-manad-fri-fran-vald.md"),
    ),
    (
        "dolj-ditt-besok",
        include_str!("../content/pages/dolj-ditt-besok.md"),
    ),
    (
        "tillganglighet",
        include_str!("../content/pages/tillganglighet.md"),
    ),
    (
        "personuppgifter",
        include_str!("../content/pages/personuppgifter.md"),
    ),
    ("404", include_str!("../content/pages/404.md")),
];
const HELP: &str = include_str!("../content/help.toml");

/// The pages published in every language, by file name.
const TRANSLATED_PAGES: [&str; 7] = [
    "start",
    "hjalp",
    "orolig-for-nagon",
    "inte-ensam",
    "en-manad-fri-fran-vald",
    "dolj-ditt-besok",
    "404",
];

/// Each language's page texts (in [`TRANSLATED_PAGES`] order) and help
/// directory texts, from `content/translations/{code}/`.
macro_rules! translations {
    ($($code:literal),*) => {
        &[$(
            (
                $code,
                [
                    include_str!(concat!("../content/translations/", $code, "/start.md")),
                    include_str!(concat!("../content/translations/", $code, "/hjalp.md")),
                    include_str!(concat!("../content/translations/", $code, "/orolig-for-nagon.md")),
                    include_str!(concat!("../content/translations/", $code, "/inte-ensam.md")),
                    include_str!(concat!("../content/translations/", $code, "/en-manad-fri-fran-vald.md")),
                    include_str!(concat!("../content/translations/", $code, "/dolj-ditt-besok.md")),
                    include_str!(concat!("../content/translations/", $code, "/404.md")),
                ],
                include_str!(concat!("../content/translations/", $code, "/help.toml")),
            )
        ),*]
    };
}

const TRANSLATIONS: &[(&str, [&str; 7], &str)] =
    translations!("fi", "en", "ar", "fa", "so", "lattlast");
const ACCESSIBILITY: &str = include_str!("../content/accessibility.toml");
const PRIVACY: &str = include_str!("../content/privacy.toml");

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

pub fn parse_page(name: &str, text: &str) -> Result<SeedPage, DemoError> {
    let bad = |why: String| DemoError(format!("content/pages/{name}.md: {why}"));
    let (front, body) = front_matter(text).map_err(bad)?;
    let front: PageFile = toml::from_str(front).map_err(|e| bad(e.to_string()))?;
    Ok(SeedPage {
        front,
        body_md: body.trim().to_owned(),
    })
}

/// A translated page's front matter: which Swedish page it translates and
/// the date of the Swedish text it follows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationFile {
    pub path: String,
    pub title: String,
    pub description: String,
    pub follows: NaiveDate,
}

/// A language's help-directory texts, keyed by the Swedish file's keys
/// (`{service}/{position}` for a line).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpTranslationFile {
    pub organizations: BTreeMap<String, OrganizationTextSeed>,
    pub services: BTreeMap<String, ServiceTextSeed>,
    pub phones: BTreeMap<String, PhoneTextSeed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationTextSeed {
    pub description: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceTextSeed {
    pub name: String,
    pub description: String,
    pub interpretation: Option<String>,
    pub url_label: Option<String>,
    pub call_safety: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneTextSeed {
    pub label: String,
    pub hours_text: Option<String>,
}

/// One language's demo texts, ready for the stores.
#[derive(Debug, Clone)]
pub struct LanguageSeed {
    pub lang: TranslationLang,
    pub pages: Vec<TranslationText>,
    pub texts: DirectoryTexts,
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

/// Everything the demo inserts, parsed and checked before any write.
pub struct DemoContent {
    pub pages: Vec<SeedPage>,
    pub help: HelpFile,
    pub accessibility: AccessibilityFile,
    pub privacy: PrivacyFile,
    pub languages: Vec<LanguageSeed>,
}

pub fn demo_content() -> Result<DemoContent, DemoError> {
    let pages = PAGES
        .iter()
        .map(|(name, text)| parse_page(name, text))
        .collect::<Result<Vec<_>, _>>()?;
    let help: HelpFile =
        toml::from_str(HELP).map_err(|e| DemoError(format!("content/help.toml: {e}")))?;
    for s in &help.services {
        let bad = |why: &str| DemoError(format!("content/help.toml: service {}: {why}", s.key));
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
                    let day = day_from_code(d).ok_or_else(|| bad("unknown weekday"))?;
                    Interval::parse(day, &h.opens, &h.closes).ok_or_else(|| bad("bad hours"))?;
                }
            }
        }
    }
    let accessibility: AccessibilityFile = toml::from_str(ACCESSIBILITY)
        .map_err(|e| DemoError(format!("content/accessibility.toml: {e}")))?;
    // The statement's status rests on criteria: every listed nonconformity
    // names the WCAG criterion it fails.
    if let Some(item) = accessibility
        .nonconformities
        .iter()
        .find(|i| i.criterion.trim().is_empty())
    {
        return Err(DemoError(format!(
            "content/accessibility.toml: nonconformity '{}' names no WCAG criterion",
            item.title
        )));
    }
    let privacy: PrivacyFile =
        toml::from_str(PRIVACY).map_err(|e| DemoError(format!("content/privacy.toml: {e}")))?;
    let languages = TRANSLATIONS
        .iter()
        .map(|(code, pages_text, help_text)| language(code, pages_text, help_text, &pages, &help))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DemoContent {
        pages,
        help,
        accessibility,
        privacy,
        languages,
    })
}

/// Reads one language's files and checks that each translates something
/// that exists and that nothing is missing: a text for every translated
/// page, service, line and organisation.
fn language(
    code: &str,
    pages_text: &[&str; 7],
    help_text: &str,
    swedish: &[SeedPage],
    help: &HelpFile,
) -> Result<LanguageSeed, DemoError> {
    let lang = TranslationLang::from_code(code)
        .ok_or_else(|| DemoError(format!("content/translations/{code}: unknown language")))?;
    let mut pages = vec![];
    for (name, text) in TRANSLATED_PAGES.iter().zip(pages_text) {
        let file = format!("content/translations/{code}/{name}.md");
        let bad = |why: String| DemoError(format!("{file}: {why}"));
        let (front, body) = front_matter(text).map_err(bad)?;
        let front: TranslationFile = toml::from_str(front).map_err(|e| bad(e.to_string()))?;
        let source = swedish
            .iter()
            .find(|p| p.front.path == front.path)
            .ok_or_else(|| bad(format!("no Swedish page at {}", front.path)))?;
        if front.follows > source.front.updated {
            return Err(bad("follows a date after the Swedish text's".into()));
        }
        pages.push(TranslationText {
            path: front.path,
            lang,
            title: front.title,
            description: front.description,
            body_md: body.trim().to_owned(),
            source_updated_on: front.follows,
            reviewed: false,
        });
    }
    let file = format!("content/translations/{code}/help.toml");
    let bad = |why: String| DemoError(format!("{file}: {why}"));
    let h: HelpTranslationFile = toml::from_str(help_text).map_err(|e| bad(e.to_string()))?;
    let mut texts = DirectoryTexts::default();
    for o in &help.organizations {
        let t = h
            .organizations
            .get(&o.key)
            .ok_or_else(|| bad(format!("no text for organization {}", o.key)))?;
        texts.organizations.insert(
            stable_id("organization", &o.key),
            OrganizationText {
                description: t.description.clone(),
                source_updated_on: o.updated.unwrap_or(help.updated),
                reviewed: false,
            },
        );
    }
    for s in &help.services {
        let t = h
            .services
            .get(&s.key)
            .ok_or_else(|| bad(format!("no text for service {}", s.key)))?;
        texts.services.insert(
            stable_id("service", &s.key),
            ServiceText {
                name: t.name.clone(),
                description: t.description.clone(),
                interpretation: t.interpretation.clone(),
                url_label: t.url_label.clone(),
                call_safety: t.call_safety.clone(),
                source_updated_on: s.updated.unwrap_or(help.updated),
                reviewed: false,
            },
        );
        for position in 0..s.phones.len() {
            let key = format!("{}/{position}", s.key);
            let t = h
                .phones
                .get(&key)
                .ok_or_else(|| bad(format!("no text for line {key}")))?;
            texts.phones.insert(
                stable_id("phone", &key),
                PhoneText {
                    label: t.label.clone(),
                    hours_text: t.hours_text.clone(),
                },
            );
        }
    }
    let known = h.services.len() + h.organizations.len() + h.phones.len();
    if known != texts.services.len() + texts.organizations.len() + texts.phones.len() {
        return Err(bad(
            "has texts for records the Swedish file does not have".into()
        ));
    }
    Ok(LanguageSeed { lang, pages, texts })
}

/// Splits `+++`-fenced TOML front matter from the Markdown after it.
fn front_matter(text: &str) -> Result<(&str, &str), String> {
    let rest = text
        .strip_prefix("+++\n")
        .ok_or("must start with +++ front matter")?;
    rest.split_once("\n+++\n")
        .ok_or_else(|| "front matter is not closed with +++".to_owned())
}

impl DemoContent {
    fn pages(&self) -> Vec<Page> {
        self.pages
            .iter()
            .map(|p| Page {
                path: p.front.path.clone(),
                title: p.front.title.clone(),
                description: p.front.description.clone(),
                body_md: p.body_md.clone(),
                updated_on: p.front.updated,
            })
            .collect()
    }

    fn organizations(&self) -> Vec<Organization> {
        self.help
            .organizations
            .iter()
            .map(|o| Organization {
                id: stable_id("organization", &o.key),
                key: o.key.clone(),
                name: o.name.clone(),
                description: o.description.clone(),
                website: o.website.clone(),
                updated_on: o.updated.unwrap_or(self.help.updated),
            })
            .collect()
    }

    fn services(&self) -> Vec<Service> {
        self.help
            .services
            .iter()
            .map(|s| Service {
                id: stable_id("service", &s.key),
                key: s.key.clone(),
                organization_id: stable_id("organization", &s.organization),
                name: s.name.clone(),
                description: s.description.clone(),
                audiences: s
                    .audiences
                    .iter()
                    .filter_map(|a| Audience::from_slug(a))
                    .collect(),
                languages: s.languages.clone(),
                interpretation: s.interpretation.clone(),
                url: s.url.clone(),
                url_label: s.url_label.clone(),
                call_safety: s.call_safety.clone(),
                confirmed: s.confirmed,
                verified_on: s.verified_on.filter(|_| s.confirmed),
                featured: s.featured,
                emergency: s.emergency,
                sort: s.sort,
                area: if s.area == "local" {
                    Area::Local
                } else {
                    Area::National
                },
                updated_on: s.updated.unwrap_or(self.help.updated),
                phones: s
                    .phones
                    .iter()
                    .enumerate()
                    .map(|(position, p)| Phone {
                        id: stable_id("phone", &format!("{}/{position}", s.key)),
                        label: p.label.clone(),
                        number: p.number.clone(),
                        languages: p.languages.clone(),
                        confirmed: p.confirmed,
                        always_open: p.always_open,
                        hours_confirmed: p.hours_confirmed,
                        hours_text: p.hours_text.clone(),
                        hours: WeeklyHours::new(
                            p.hours
                                .iter()
                                .flat_map(|h| {
                                    h.days.iter().filter_map(|d| {
                                        Interval::parse(day_from_code(d)?, &h.opens, &h.closes)
                                    })
                                })
                                .collect(),
                        ),
                    })
                    .collect(),
            })
            .collect()
    }

    fn statement(&self) -> (Statement, Vec<StatementItem>) {
        let a = &self.accessibility;
        let statement = Statement {
            service_name: a.service_name.clone(),
            compliance: a.compliance.clone(),
            compliance_text: a.compliance_text.clone(),
            assessed_on: a.assessed_on,
            updated_on: a.updated,
            method: a.method.clone(),
            feedback_text: a.feedback_text.clone(),
            answer_time: a.answer_time.clone(),
            enforcement_text: a.enforcement_text.clone(),
            burden_none: a.burden_none.clone(),
        };
        let items = [
            ("nonconformity", &a.nonconformities),
            ("burden", &a.disproportionate_burden),
            ("outside_scope", &a.outside_scope),
            ("other", &a.other),
        ]
        .into_iter()
        .flat_map(|(kind, items)| {
            items.iter().map(move |i| StatementItem {
                kind: kind.to_owned(),
                title: i.title.clone(),
                description: i.description.clone(),
                criterion: i.criterion.clone(),
                reason: i.reason.clone(),
                planned_fix: None,
            })
        })
        .collect();
        (statement, items)
    }

    fn privacy(&self) -> PrivacyNotice {
        let p = &self.privacy;
        PrivacyNotice {
            board: p.board.clone(),
            dpo_contact: p.dpo_contact.clone(),
            is_example: p.is_example,
            updated_on: p.updated,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Content(#[from] DemoError),
    #[error("demo content could not be stored: {0}")]
    Write(#[from] WriteError),
}

/// Inserts the demo content unless this database already has it, in one
/// writer job. Returns whether anything was inserted.
pub async fn seed(writer: &Writer, today: NaiveDate) -> Result<bool, SeedError> {
    let now = today
        .and_hms_opt(0, 0, 0)
        .map_or_else(chrono::Utc::now, |t| t.and_utc());
    let content = demo_content()?;
    let pages = content.pages();
    let organizations = content.organizations();
    let services = content.services();
    let (statement, items) = content.statement();
    let privacy = content.privacy();
    let inserted = writer
        .write(move |tx| {
            let (pages, organizations, services) =
                (pages.clone(), organizations.clone(), services.clone());
            let (statement, items, privacy) = (statement.clone(), items.clone(), privacy.clone());
            Box::pin(async move {
                // Claiming the marker first makes a second instance starting
                // at the same moment wait here and then find the work done.
                if !crate::content::store::claim_demo_seed(tx, "demo_content", today).await? {
                    return Ok(false);
                }
                for page in &pages {
                    crate::content::store::insert_page(tx, page).await?;
                }
                for o in &organizations {
                    crate::help::store::insert_organization(tx, o).await?;
                }
                for s in &services {
                    crate::help::store::insert_service(tx, s).await?;
                }
                crate::content::store::insert_statement(tx, &statement, &items).await?;
                crate::content::store::insert_privacy_notice(tx, &privacy).await?;
                crate::content::store::bump_content_version(tx).await?;
                Ok(true)
            })
        })
        .await?;
    // The translations have a marker of their own, so a site seeded before
    // they existed gets them once too. They never replace an editor's
    // text, and a Swedish page edited since shows them as behind.
    let languages = content.languages;
    let translated = writer
        .write(move |tx| {
            let languages = languages.clone();
            Box::pin(async move {
                if !crate::content::store::claim_demo_seed(tx, "demo_translations", today).await? {
                    return Ok(false);
                }
                for l in &languages {
                    for page in &l.pages {
                        crate::content::store::insert_translation(tx, page).await?;
                    }
                    crate::help::store::insert_texts(tx, l.lang.code(), &l.texts).await?;
                }
                crate::content::store::bump_content_version(tx).await?;
                Ok(true)
            })
        })
        .await?;
    // The campaign programme too has a marker of its own.
    let (campaigns, events) = campaign::programme(today, now)?;
    let programmed = writer
        .write(move |tx| {
            let (campaigns, events) = (campaigns.clone(), events.clone());
            Box::pin(async move {
                if !crate::content::store::claim_demo_seed(tx, "demo_campaign", today).await? {
                    return Ok(false);
                }
                for c in &campaigns {
                    crate::events::store::save_campaign(tx, c).await?;
                }
                for e in &events {
                    crate::events::store::insert_event(tx, e, now).await?;
                }
                crate::content::store::bump_content_version(tx).await?;
                Ok(true)
            })
        })
        .await?;
    Ok(inserted || translated || programmed)
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
        // Every language has every translated page and every directory text.
        assert_eq!(c.languages.len(), TranslationLang::ALL.len());
        for l in &c.languages {
            assert_eq!(l.pages.len(), TRANSLATED_PAGES.len(), "{:?}", l.lang);
            assert_eq!(
                l.texts.services.len(),
                c.help.services.len(),
                "{:?}",
                l.lang
            );
            assert!(
                l.pages.iter().all(|p| !p.reviewed),
                "demo texts are not reviewed"
            );
        }
    }

    #[test]
    fn stable_ids_are_uuids_and_stable() {
        let a = stable_id("service", "kvinnofridslinjen");
        assert_eq!(a, stable_id("service", "kvinnofridslinjen"));
        assert_ne!(a, stable_id("organization", "kvinnofridslinjen"));
        assert!(Uuid::parse_str(&a).is_ok());
    }
}
