use chrono::NaiveDate;

use super::model::{CampaignMonth, Page, PrivacyNotice, Statement, StatementItem};
use crate::db::{Db, DbError};
use crate::on_pool;

pub async fn page(db: &Db, path: &str) -> Result<Option<Page>, DbError> {
    Ok(on_pool!(db, |p| sqlx::query_as(
        "SELECT path, title, description, body_md, updated_on FROM pages WHERE path = $1"
    )
    .bind(path)
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

/// Every content write runs this in its transaction; instances poll the
/// counter to know when their rendered pages are stale.
pub const BUMP_CONTENT_VERSION: &str =
    "INSERT INTO app_meta (key, value) VALUES ('content_version', '1') \
     ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(app_meta.value AS BIGINT) + 1 AS TEXT)";

/// Replaces a page's text and marks the content as changed.
pub async fn update_page(
    db: &Db,
    path: &str,
    title: &str,
    description: &str,
    body_md: &str,
    updated_on: NaiveDate,
) -> Result<bool, DbError> {
    Ok(on_pool!(db, |p| {
        let mut tx = p.begin().await?;
        let changed = sqlx::query(
            "UPDATE pages SET title = $1, description = $2, body_md = $3, updated_on = $4 WHERE path = $5",
        )
        .bind(title)
        .bind(description)
        .bind(body_md)
        .bind(updated_on)
        .bind(path)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(BUMP_CONTENT_VERSION).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(changed == 1)
    })?)
}
