//! Changes to the editorial content, one writer job each. Every change
//! bumps the content version in the same transaction, so every instance
//! re-renders its pages within `FRIDHEM_CONTENT_POLL_MS`.

use super::model::Page;
use super::store;
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
