//! Changes to the editorial content, one writer job each. Every change
//! bumps the content version in the same transaction, so every instance
//! re-renders its pages within `FRIDHEM_CONTENT_POLL_MS`.

use chrono::{DateTime, NaiveDate, Utc};

use super::model::Page;
use super::store::{self, PageText};
use crate::audit::{self, Action, Entry};
use crate::db::writer::{WriteError, Writer};

/// Replaces a page's text; false when there is no page at its path.
pub async fn update_page(writer: &Writer, page: Page) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            let page = page.clone();
            Box::pin(async move {
                let changed = store::update_page(tx, &page).await?;
                if changed {
                    store::bump_content_version(tx).await?;
                }
                Ok(changed)
            })
        })
        .await
}

/// Keeps an editor's text as the page's draft; audited. False when there
/// is no such page.
pub async fn save_draft(
    writer: &Writer,
    by: i64,
    text: PageText,
    now: DateTime<Utc>,
) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            let text = text.clone();
            Box::pin(async move {
                let saved = store::save_draft(tx, &text, by, now).await?;
                if saved {
                    let entry = Entry::new(Some(by), Action::PageDraftSaved).on("sida", &text.path);
                    audit::store::record(tx, &entry, now).await?;
                }
                Ok(saved)
            })
        })
        .await
}

/// Publishes an editor's text: the page changes on every instance within
/// the poll interval, dated today, kept as a revision; audited. False
/// when there is no such page.
pub async fn publish(
    writer: &Writer,
    by: i64,
    text: PageText,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            let text = text.clone();
            Box::pin(async move {
                let published = store::publish(tx, &text, by, now, today).await?;
                if published {
                    let entry = Entry::new(Some(by), Action::PagePublished).on("sida", &text.path);
                    audit::store::record(tx, &entry, now).await?;
                }
                Ok(published)
            })
        })
        .await
}

/// Makes an earlier revision the page's draft, to be previewed and
/// published like any other; audited. The page's path, or None when there
/// is no such revision.
pub async fn restore(
    writer: &Writer,
    by: i64,
    revision: i64,
    now: DateTime<Utc>,
) -> Result<Option<String>, WriteError> {
    writer
        .write(move |tx| {
            Box::pin(async move {
                let path = store::restore(tx, revision, by, now).await?;
                if let Some(path) = &path {
                    let entry = Entry::new(Some(by), Action::PageRevisionRestored)
                        .on("sida", path)
                        .detail(format!("version {revision}"));
                    audit::store::record(tx, &entry, now).await?;
                }
                Ok(path)
            })
        })
        .await
}

/// Publishes the accessibility statement's fixed fields at once (there is
/// no draft: the statement is short and reviewed as a whole); audited.
pub async fn update_statement(
    writer: &Writer,
    by: i64,
    fields: store::StatementFields,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            let fields = fields.clone();
            Box::pin(async move {
                let changed = store::update_statement(tx, &fields, today).await?;
                if changed {
                    let entry = Entry::new(Some(by), Action::StatementChanged)
                        .on("sida", "/tillganglighet");
                    audit::store::record(tx, &entry, now).await?;
                }
                Ok(changed)
            })
        })
        .await
}

/// Keeps a page's translation; audited with the language, the Swedish
/// date it follows and whether it is reviewed. False when there is no
/// such page.
pub async fn save_translation(
    writer: &Writer,
    by: i64,
    text: store::TranslationText,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            let text = text.clone();
            Box::pin(async move {
                let saved = store::save_translation(tx, &text, today).await?;
                if saved {
                    let entry = Entry::new(Some(by), Action::TranslationSaved)
                        .on("sida", &text.path)
                        .detail(audit::translation_note(
                            text.lang.code(),
                            text.source_updated_on,
                            text.reviewed,
                        ));
                    audit::store::record(tx, &entry, now).await?;
                }
                Ok(saved)
            })
        })
        .await
}
