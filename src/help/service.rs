//! Changes to the help directory, one writer job each, audited in the same
//! transaction. A publish or a verification bumps the content version, so
//! every instance shows it within `FRIDHEM_CONTENT_POLL_MS`.

use chrono::{DateTime, NaiveDate, Utc};

use super::edit::ServiceEdit;
use super::model::Organization;
use super::store;
use crate::audit::{self, Action, Entry};
use crate::db::writer::{WriteError, Writer};

/// Keeps an editor's edit of a service as its draft; false when there is
/// no such service.
pub async fn save_draft(
    writer: &Writer,
    by: i64,
    service_id: String,
    edit: ServiceEdit,
    now: DateTime<Utc>,
) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            let (id, edit) = (service_id.clone(), edit.clone());
            Box::pin(async move {
                let saved = store::save_draft(tx, &id, &edit, by, now).await?;
                if saved {
                    let entry = Entry::new(Some(by), Action::ServiceDraftSaved).on("tjanst", &id);
                    audit::store::record(tx, &entry, now).await?;
                }
                Ok(saved)
            })
        })
        .await
}

/// Publishes an edit of a service; false when there is no such service.
pub async fn publish(
    writer: &Writer,
    by: i64,
    service_id: String,
    edit: ServiceEdit,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            let (id, edit) = (service_id.clone(), edit.clone());
            Box::pin(async move {
                let published = store::publish(tx, &id, &edit, by, now, today).await?;
                if published {
                    let entry = Entry::new(Some(by), Action::ServicePublished).on("tjanst", &id);
                    audit::store::record(tx, &entry, now).await?;
                }
                Ok(published)
            })
        })
        .await
}

/// Marks a service as verified today (someone called and it answered as
/// listed); false when there is no such service.
pub async fn verify(
    writer: &Writer,
    by: i64,
    service_id: String,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            let id = service_id.clone();
            Box::pin(async move {
                let verified = store::verify(tx, &id, today).await?;
                if verified {
                    let entry = Entry::new(Some(by), Action::ServiceVerified)
                        .on("tjanst", &id)
                        .detail(today.to_string());
                    audit::store::record(tx, &entry, now).await?;
                }
                Ok(verified)
            })
        })
        .await
}

/// Publishes an organisation's name, description and website; audited.
/// False when there is no such organisation.
pub async fn publish_organization(
    writer: &Writer,
    by: i64,
    organization: Organization,
    now: DateTime<Utc>,
) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            let o = organization.clone();
            Box::pin(async move {
                let changed = store::update_organization(tx, &o).await?;
                if changed {
                    let entry = Entry::new(Some(by), Action::OrganizationPublished)
                        .on("organisation", &o.id);
                    audit::store::record(tx, &entry, now).await?;
                }
                Ok(changed)
            })
        })
        .await
}
