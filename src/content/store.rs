//! All SQL of the editorial content: pages, the accessibility statement,
//! the privacy notice, and the content version every instance polls.

use chrono::{DateTime, NaiveDate, Utc};

use super::model::{
    CampaignMonth, Page, PageTranslation, PrivacyNotice, ShownPage, Statement, StatementItem,
    TranslationLang,
};
use crate::db::{Db, DbError, Tx};
use crate::web::i18n::Lang;
use crate::{on_pool, on_tx};

pub async fn page(db: &Db, path: &str) -> Result<Option<Page>, DbError> {
    Ok(on_pool!(db, |p| sqlx::query_as(
        "SELECT path, title, description, body_md, updated_on FROM pages WHERE path = $1"
    )
    .bind(path)
    .fetch_optional(p)
    .await)?)
}

/// The page at `path` as a reader of `lang` gets it (see
/// [`Page::shown_in`]).
pub async fn page_in(db: &Db, path: &str, lang: Lang) -> Result<Option<ShownPage>, DbError> {
    let Some(page) = page(db, path).await? else {
        return Ok(None);
    };
    let translation = match TranslationLang::of(lang) {
        Some(lang) => translation(db, path, lang).await?,
        None => None,
    };
    Ok(Some(page.shown_in(lang, translation)))
}

/// A page's translation into `lang`, if it has one.
pub async fn translation(
    db: &Db,
    path: &str,
    lang: TranslationLang,
) -> Result<Option<PageTranslation>, DbError> {
    Ok(on_pool!(db, |p| sqlx::query_as(
        "SELECT lang, title, description, body_md, source_updated_on, reviewed, updated_on \
         FROM page_translations WHERE path = $1 AND lang = $2"
    )
    .bind(path)
    .bind(lang.code())
    .fetch_optional(p)
    .await)?)
}

pub async fn campaign_month(db: &Db, year: i64) -> Result<Option<CampaignMonth>, DbError> {
    Ok(on_pool!(db, |p| sqlx::query_as(
        "SELECT year, programme_published_on, updated_on FROM campaign_months WHERE year = $1"
    )
    .bind(year)
    .fetch_optional(p)
    .await)?)
}

pub async fn statement(db: &Db) -> Result<Option<(Statement, Vec<StatementItem>)>, DbError> {
    let found: Option<(Option<Statement>, Vec<StatementItem>)> = Some(on_pool!(db, |p| {
        let s = sqlx::query_as(
            "SELECT service_name, compliance, compliance_text, assessed_on, updated_on, method, \
             feedback_text, answer_time, enforcement_text, burden_none FROM accessibility_statement WHERE id = 1",
        )
        .fetch_optional(p)
        .await?;
        let items = sqlx::query_as(
            "SELECT kind, title, description, criterion, reason FROM accessibility_items ORDER BY kind, position",
        )
        .fetch_all(p)
        .await?;
        Ok::<_, sqlx::Error>((s, items))
    })?);
    Ok(found.and_then(|(s, items)| s.map(|s| (s, items))))
}

pub async fn privacy_notice(db: &Db) -> Result<Option<PrivacyNotice>, DbError> {
    Ok(on_pool!(db, |p| sqlx::query_as(
        "SELECT board, dpo_contact, is_example, updated_on FROM privacy_notice WHERE id = 1"
    )
    .fetch_optional(p)
    .await)?)
}

/// Months a closed case of each type is kept, in the order TG, AF, KO.
pub async fn retention_months(db: &Db) -> Result<Vec<(String, i64)>, DbError> {
    Ok(on_pool!(db, |p| {
        sqlx::query_as(
        "SELECT kind, retention_months FROM case_types ORDER BY CASE kind WHEN 'TG' THEN 1 WHEN 'AF' THEN 2 ELSE 3 END"
    )
    .fetch_all(p)
    .await
    })?)
}

/// The answer time of accessibility reports in working days, from the
/// case-type settings: the statement promises what the receipt says.
pub async fn accessibility_answer_days(db: &Db) -> Result<i64, DbError> {
    Ok(on_pool!(db, |p| sqlx::query_scalar(
        "SELECT answer_days FROM case_types WHERE kind = 'TG'"
    )
    .fetch_one(p)
    .await)?)
}

/// The counter every content write bumps; instances poll it to know when
/// their rendered pages are stale.
pub async fn content_version(db: &Db) -> Result<i64, DbError> {
    let value: Option<String> = on_pool!(db, |p| sqlx::query_scalar(
        "SELECT value FROM app_meta WHERE key = 'content_version'"
    )
    .fetch_optional(p)
    .await)?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Marks the content as changed; every content write runs this in its
/// transaction.
pub async fn bump_content_version(tx: &mut Tx<'_>) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO app_meta (key, value) VALUES ('content_version', '1') \
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(app_meta.value AS BIGINT) + 1 AS TEXT)"
    )
    .execute(c)
    .await
    .map(|_| ()))
}

/// Claims the one-time demo seeding for this database; false when another
/// start (or another instance at the same moment) already did it.
pub async fn claim_demo_seed(
    tx: &mut Tx<'_>,
    marker: &str,
    today: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let claimed = on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO app_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(marker)
        .bind(today.to_string())
        .execute(c)
        .await
        .map(|r| r.rows_affected())
    })?;
    Ok(claimed == 1)
}

pub async fn insert_page(tx: &mut Tx<'_>, page: &Page) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO pages (path, title, description, body_md, updated_on) VALUES ($1, $2, $3, $4, $5)"
    )
    .bind(&page.path)
    .bind(&page.title)
    .bind(&page.description)
    .bind(&page.body_md)
    .bind(page.updated_on)
    .execute(c)
    .await
    .map(|_| ())
    })
}

/// Replaces a page's text; false when there is no page at `path`.
pub async fn update_page(tx: &mut Tx<'_>, page: &Page) -> Result<bool, sqlx::Error> {
    let changed = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE pages SET title = $1, description = $2, body_md = $3, updated_on = $4 WHERE path = $5"
    )
    .bind(&page.title)
    .bind(&page.description)
    .bind(&page.body_md)
    .bind(page.updated_on)
    .bind(&page.path)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(changed == 1)
}

/// Inserts the accessibility statement's fixed fields and its items.
pub async fn insert_statement(
    tx: &mut Tx<'_>,
    s: &Statement,
    items: &[StatementItem],
) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO accessibility_statement (id, service_name, compliance, compliance_text, assessed_on, updated_on, \
         method, feedback_text, answer_time, enforcement_text, burden_none) \
         VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )
    .bind(&s.service_name)
    .bind(&s.compliance)
    .bind(&s.compliance_text)
    .bind(s.assessed_on)
    .bind(s.updated_on)
    .bind(&s.method)
    .bind(&s.feedback_text)
    .bind(&s.answer_time)
    .bind(&s.enforcement_text)
    .bind(&s.burden_none)
    .execute(c)
    .await
    .map(|_| ())
    })?;
    let mut positions: Vec<(&str, i64)> = vec![];
    for item in items {
        let position = match positions.iter_mut().find(|(k, _)| *k == item.kind) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                positions.push((&item.kind, 0));
                0
            }
        };
        on_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO accessibility_items (kind, position, title, description, criterion, reason) \
             VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(&item.kind)
        .bind(position)
        .bind(&item.title)
        .bind(&item.description)
        .bind(&item.criterion)
        .bind(&item.reason)
        .execute(c)
        .await
        .map(|_| ())
        })?;
    }
    Ok(())
}

pub async fn insert_privacy_notice(tx: &mut Tx<'_>, p: &PrivacyNotice) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO privacy_notice (id, board, dpo_contact, is_example, updated_on) VALUES (1, $1, $2, $3, $4)"
    )
    .bind(&p.board)
    .bind(&p.dpo_contact)
    .bind(p.is_example)
    .bind(p.updated_on)
    .execute(c)
    .await
    .map(|_| ())
    })
}

/// A problem confirmed from an accessibility case, for the statement.
#[derive(Debug, Clone)]
pub struct NewProblem {
    pub case_id: i64,
    pub description: String,
    /// A WCAG 2.2 criterion number ("1.4.3").
    pub criterion: String,
    pub reason: String,
    pub planned_fix_on: NaiveDate,
    pub published_by: i64,
}

/// Lists `problem` in the accessibility statement; returns its id. The
/// caller also marks the statement updated ([`touch_statement`]) and
/// bumps the content version, in the same transaction.
pub async fn publish_problem(
    tx: &mut Tx<'_>,
    problem: &NewProblem,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO known_problems (case_id, description, criterion, reason, planned_fix_on, \
         published_at, published_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
    )
    .bind(problem.case_id)
    .bind(&problem.description)
    .bind(&problem.criterion)
    .bind(&problem.reason)
    .bind(problem.planned_fix_on)
    .bind(now)
    .bind(problem.published_by)
    .fetch_one(c)
    .await)
}

/// Takes problem `id` of case `case_id` off the list as fixed; false when
/// it is not listed (already fixed, or another case's).
pub async fn fix_problem(
    tx: &mut Tx<'_>,
    id: i64,
    case_id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE known_problems SET fixed_at = $1, fixed_by = $2 \
         WHERE id = $3 AND case_id = $4 AND fixed_at IS NULL"
    )
    .bind(now)
    .bind(by)
    .bind(id)
    .bind(case_id)
    .execute(c)
    .await
    .map(|r| r.rows_affected() == 1))
}

/// The statement's fixed fields as administrators edit them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementFields {
    pub service_name: String,
    pub compliance: String,
    pub compliance_text: String,
    pub assessed_on: NaiveDate,
    pub method: String,
    pub feedback_text: String,
    pub enforcement_text: String,
    pub burden_none: Option<String>,
}

/// Replaces the statement's fixed fields, dated `today`; false when there
/// is no statement.
pub async fn update_statement(
    tx: &mut Tx<'_>,
    f: &StatementFields,
    today: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let changed = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE accessibility_statement SET service_name = $1, compliance = $2, compliance_text = $3, \
         assessed_on = $4, method = $5, feedback_text = $6, enforcement_text = $7, burden_none = $8, \
         updated_on = $9 WHERE id = 1"
    )
    .bind(&f.service_name)
    .bind(&f.compliance)
    .bind(&f.compliance_text)
    .bind(f.assessed_on)
    .bind(&f.method)
    .bind(&f.feedback_text)
    .bind(&f.enforcement_text)
    .bind(&f.burden_none)
    .bind(today)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    if changed == 1 {
        bump_content_version(tx).await?;
    }
    Ok(changed == 1)
}

/// The statement changed today ("Senast uppdaterad").
pub async fn touch_statement(tx: &mut Tx<'_>, today: NaiveDate) -> Result<(), sqlx::Error> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE accessibility_statement SET updated_on = $1 WHERE id = 1"
    )
    .bind(today)
    .execute(c)
    .await
    .map(|_| ()))
}

/// A published problem.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KnownProblem {
    pub id: i64,
    pub description: String,
    pub criterion: String,
    pub reason: String,
    pub planned_fix_on: NaiveDate,
    pub published_at: DateTime<Utc>,
    pub fixed_at: Option<DateTime<Utc>>,
}

const KNOWN: &str = "SELECT id, description, criterion, reason, planned_fix_on, published_at, \
     fixed_at FROM known_problems";

/// The problems still listed, oldest first.
pub async fn listed_problems(db: &Db) -> Result<Vec<KnownProblem>, DbError> {
    Ok(on_pool!(db, |p| sqlx::query_as(&format!(
        "{KNOWN} WHERE fixed_at IS NULL ORDER BY id"
    ))
    .fetch_all(p)
    .await)?)
}

/// Every problem published from case `case_id`, listed or fixed.
pub async fn problems_of_case(db: &Db, case_id: i64) -> Result<Vec<KnownProblem>, DbError> {
    Ok(on_pool!(db, |p| sqlx::query_as(&format!(
        "{KNOWN} WHERE case_id = $1 ORDER BY id"
    ))
    .bind(case_id)
    .fetch_all(p)
    .await)?)
}

/// A page as the editors' list shows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PageLine {
    pub path: String,
    pub title: String,
    pub updated_on: NaiveDate,
    /// When it was last published from the back office (none before).
    pub published_at: Option<DateTime<Utc>>,
    pub has_draft: bool,
}

/// Every page, for the editors' list.
pub async fn page_lines(db: &Db) -> Result<Vec<PageLine>, DbError> {
    Ok(on_pool!(db, |p| sqlx::query_as(
        "SELECT p.path, p.title, p.updated_on, \
         (SELECT MAX(r.published_at) FROM page_revisions r WHERE r.path = p.path) AS published_at, \
         EXISTS (SELECT 1 FROM page_drafts d WHERE d.path = p.path) AS has_draft \
         FROM pages p ORDER BY p.path"
    )
    .fetch_all(p)
    .await)?)
}

/// A page's saved, unpublished text.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Draft {
    pub title: String,
    pub description: String,
    pub body_md: String,
    pub saved_at: DateTime<Utc>,
    pub saved_by: Option<String>,
}

pub async fn draft(db: &Db, path: &str) -> Result<Option<Draft>, DbError> {
    Ok(on_pool!(db, |p| sqlx::query_as(
        "SELECT d.title, d.description, d.body_md, d.saved_at, a.name AS saved_by \
         FROM page_drafts d LEFT JOIN staff_accounts a ON a.id = d.saved_by WHERE d.path = $1"
    )
    .bind(path)
    .fetch_optional(p)
    .await)?)
}

/// The text an editor sends: a draft to keep or a page to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageText {
    pub path: String,
    pub title: String,
    pub description: String,
    pub body_md: String,
}

/// Keeps `text` as the page's draft (replacing an earlier one); false when
/// there is no such page.
pub async fn save_draft(
    tx: &mut Tx<'_>,
    text: &PageText,
    by: i64,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let saved = on_tx!(tx, |c| sqlx::query(
        "INSERT INTO page_drafts (path, title, description, body_md, saved_at, saved_by) \
         SELECT path, $2, $3, $4, $5, $6 FROM pages WHERE path = $1 \
         ON CONFLICT (path) DO UPDATE SET title = excluded.title, \
         description = excluded.description, body_md = excluded.body_md, \
         saved_at = excluded.saved_at, saved_by = excluded.saved_by"
    )
    .bind(&text.path)
    .bind(&text.title)
    .bind(&text.description)
    .bind(&text.body_md)
    .bind(now)
    .bind(by)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(saved == 1)
}

/// Publishes `text`: the page takes it (dated `today`), it is kept as a
/// revision, and the draft goes. False when there is no such page.
pub async fn publish(
    tx: &mut Tx<'_>,
    text: &PageText,
    by: i64,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let page = Page {
        path: text.path.clone(),
        title: text.title.clone(),
        description: text.description.clone(),
        body_md: text.body_md.clone(),
        updated_on: today,
    };
    let before: Option<Page> = on_tx!(tx, |c| sqlx::query_as(
        "SELECT path, title, description, body_md, updated_on FROM pages WHERE path = $1"
    )
    .bind(&text.path)
    .fetch_optional(&mut *c)
    .await)?;
    let Some(before) = before else {
        return Ok(false);
    };
    // The text a page had before its first publish here (the seed or an
    // import) is kept as the first revision, so it can be restored too.
    // It is dated the day it was last updated, by nobody in particular.
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO page_revisions (path, title, description, body_md, published_at, published_by) \
         SELECT $1, $2, $3, $4, $5, NULL \
         WHERE NOT EXISTS (SELECT 1 FROM page_revisions WHERE path = $1)"
    )
    .bind(&before.path)
    .bind(&before.title)
    .bind(&before.description)
    .bind(&before.body_md)
    .bind(start_of_day(before.updated_on))
    .execute(&mut *c)
    .await
    .map(|_| ())
    })?;
    update_page(tx, &page).await?;
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO page_revisions (path, title, description, body_md, published_at, published_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&text.path)
        .bind(&text.title)
        .bind(&text.description)
        .bind(&text.body_md)
        .bind(now)
        .bind(by)
        .execute(&mut *c)
        .await?;
        sqlx::query("DELETE FROM page_drafts WHERE path = $1")
            .bind(&text.path)
            .execute(&mut *c)
            .await
            .map(|_| ())
    })?;
    bump_content_version(tx).await?;
    Ok(true)
}

/// Midnight at the start of `day` in Stockholm, as an instant.
fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    use chrono::TimeZone;
    chrono_tz::Europe::Stockholm
        .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map_or_else(
            || day.and_time(chrono::NaiveTime::MIN).and_utc(),
            |t| t.with_timezone(&Utc),
        )
}

/// One published text of a page, newest first in [`revisions`].
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Revision {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub description: String,
    pub body_md: String,
    pub published_at: DateTime<Utc>,
    /// None for the text the page had before it was first published
    /// here, and for an account since removed.
    pub published_by: Option<String>,
    pub by_someone: bool,
}

const REVISION_COLUMNS: &str = "r.id, r.path, r.title, r.description, r.body_md, r.published_at, \
     a.name AS published_by, r.published_by IS NOT NULL AS by_someone \
     FROM page_revisions r LEFT JOIN staff_accounts a ON a.id = r.published_by";

/// A page's revisions, oldest first.
pub async fn revisions(db: &Db, path: &str) -> Result<Vec<Revision>, DbError> {
    let sql = format!("SELECT {REVISION_COLUMNS} WHERE r.path = $1 ORDER BY r.id");
    Ok(on_pool!(db, |p| sqlx::query_as(&sql)
        .bind(path)
        .fetch_all(p)
        .await)?)
}

pub async fn revision(db: &Db, id: i64) -> Result<Option<Revision>, DbError> {
    let sql = format!("SELECT {REVISION_COLUMNS} WHERE r.id = $1");
    Ok(on_pool!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// Makes revision `id` the page's draft (replacing an earlier draft); the
/// page's path, or None when there is no such revision.
pub async fn restore(
    tx: &mut Tx<'_>,
    id: i64,
    by: i64,
    now: DateTime<Utc>,
) -> Result<Option<String>, sqlx::Error> {
    on_tx!(tx, |c| sqlx::query_scalar(
        "INSERT INTO page_drafts (path, title, description, body_md, saved_at, saved_by) \
         SELECT path, title, description, body_md, $2, $3 FROM page_revisions WHERE id = $1 \
         ON CONFLICT (path) DO UPDATE SET title = excluded.title, \
         description = excluded.description, body_md = excluded.body_md, \
         saved_at = excluded.saved_at, saved_by = excluded.saved_by \
         RETURNING path"
    )
    .bind(id)
    .bind(now)
    .bind(by)
    .fetch_optional(c)
    .await)
}

/// Every translation of a page.
pub async fn translations(db: &Db, path: &str) -> Result<Vec<PageTranslation>, DbError> {
    Ok(on_pool!(db, |p| sqlx::query_as(
        "SELECT lang, title, description, body_md, source_updated_on, reviewed, updated_on \
         FROM page_translations WHERE path = $1 ORDER BY lang"
    )
    .bind(path)
    .fetch_all(p)
    .await)?)
}

/// A page's text in `lang` (an editor's save).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslationText {
    pub path: String,
    pub lang: TranslationLang,
    pub title: String,
    pub description: String,
    pub body_md: String,
    pub source_updated_on: NaiveDate,
    pub reviewed: bool,
}

/// Writes a translation dated `updated_on`, replacing an existing one or
/// leaving it; the number of rows written (0 when there is no such page).
async fn write_translation(
    tx: &mut Tx<'_>,
    t: &TranslationText,
    updated_on: NaiveDate,
    replace: bool,
) -> Result<u64, sqlx::Error> {
    let on_conflict = if replace {
        "DO UPDATE SET title = excluded.title, description = excluded.description, \
         body_md = excluded.body_md, source_updated_on = excluded.source_updated_on, \
         reviewed = excluded.reviewed, updated_on = excluded.updated_on"
    } else {
        "DO NOTHING"
    };
    let sql = format!(
        "INSERT INTO page_translations (path, lang, title, description, body_md, \
         source_updated_on, reviewed, updated_on) SELECT path, $2, $3, $4, $5, $6, $7, $8 \
         FROM pages WHERE path = $1 ON CONFLICT (path, lang) {on_conflict}"
    );
    on_tx!(tx, |c| {
        sqlx::query(&sql)
            .bind(&t.path)
            .bind(t.lang.code())
            .bind(&t.title)
            .bind(&t.description)
            .bind(&t.body_md)
            .bind(t.source_updated_on)
            .bind(t.reviewed)
            .bind(updated_on)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    })
}

/// Adds a demo translation dated as the Swedish text it follows, unless
/// the page has one already or does not exist.
pub async fn insert_translation(tx: &mut Tx<'_>, t: &TranslationText) -> Result<(), sqlx::Error> {
    write_translation(tx, t, t.source_updated_on, false)
        .await
        .map(|_| ())
}

/// Keeps a page's translation (replacing the one there was), dated
/// `today`; false when there is no such page.
pub async fn save_translation(
    tx: &mut Tx<'_>,
    t: &TranslationText,
    today: NaiveDate,
) -> Result<bool, sqlx::Error> {
    let saved = write_translation(tx, t, today, true).await?;
    if saved == 1 {
        bump_content_version(tx).await?;
    }
    Ok(saved == 1)
}
