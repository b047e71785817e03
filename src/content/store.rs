use super::model::{CampaignMonth, Page, Statement, StatementItem};
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
