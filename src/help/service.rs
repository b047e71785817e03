//! Changes to the help directory, one writer job each, audited in the same
//! transaction. A publish or a verification bumps the content version, so
//! every instance shows it within `FRIDHEM_CONTENT_POLL_MS`.

use chrono::{DateTime, NaiveDate, Utc};

use super::edit::ServiceEdit;
use std::collections::HashSet;

use super::model::{Organization, OrganizationText, PhoneText, Service, ServiceText};
use super::store;
use crate::audit::{self, Action, Entry};
use crate::db::writer::{WriteError, Writer};
use crate::db::{Db, DbError};
use crate::web::i18n::Lang;

/// The directory as a reader of `lang` gets it: every service and
/// organisation with its words in that language where they are
/// translated, and the ids of services still in Swedish.
pub async fn directory_in(
    db: &Db,
    lang: Lang,
) -> Result<(Vec<Service>, Vec<Organization>, HashSet<String>), DbError> {
    let mut services = store::services(db).await?;
    let mut organizations = store::organizations(db).await?;
    let untranslated = match lang {
        Lang::Sv => HashSet::new(),
        other => store::texts(db, other.code())
            .await?
            .apply(&mut services, &mut organizations),
    };
    Ok((services, organizations, untranslated))
}

/// Keeps a service's words in another language; audited with the
/// language, the date of the Swedish text it follows and whether it is
/// reviewed. False when there is no such service.
#[allow(clippy::too_many_arguments)]
pub async fn save_translation(
    writer: &Writer,
    by: i64,
    service_id: String,
    lang: &'static str,
    text: ServiceText,
    lines: Vec<(String, PhoneText)>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            let (id, text, lines) = (service_id.clone(), text.clone(), lines.clone());
            Box::pin(async move {
                let saved = store::save_service_text(tx, &id, lang, &text, &lines, today).await?;
                if saved {
                    let entry = Entry::new(Some(by), Action::ServiceTranslationSaved)
                        .on("tjanst", &id)
                        .detail(audit::translation_note(
                            lang,
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

/// Keeps an organisation's description in another language; audited like
/// a service's words. False when there is no such organisation.
pub async fn save_organization_translation(
    writer: &Writer,
    by: i64,
    organization_id: String,
    lang: &'static str,
    text: OrganizationText,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<bool, WriteError> {
    writer
        .write(move |tx| {
            let (id, text) = (organization_id.clone(), text.clone());
            Box::pin(async move {
                let saved = store::save_organization_text(tx, &id, lang, &text, today).await?;
                if saved {
                    let entry = Entry::new(Some(by), Action::OrganizationTranslationSaved)
                        .on("organisation", &id)
                        .detail(audit::translation_note(
                            lang,
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
