//! The help lines every public page shows: the featured services' first
//! public numbers, in their order. Kept in memory ([`crate::web::layout::HelpBox`])
//! and refreshed when the content changes, so the numbers are on every page
//! even while the database is away.

use std::collections::{HashMap, HashSet};

use super::model::{PublicHours, Service};
use crate::db::{Db, DbError};
use crate::web::i18n::Lang;
use crate::web::layout::HelpLine;
use crate::web::AppState;

/// The current help lines from the directory, in every language.
pub async fn load(db: &Db) -> Result<HashMap<Lang, Vec<HelpLine>>, DbError> {
    let mut lines = HashMap::new();
    for lang in Lang::ALL {
        let (services, _, _) = super::service::directory_in(db, lang).await?;
        lines.insert(lang, lines_of(&services));
    }
    Ok(lines)
}

fn lines_of(services: &[Service]) -> Vec<HelpLine> {
    let mut featured: Vec<_> = services.iter().filter(|s| s.in_help_box()).collect();
    featured.sort_by_key(|s| s.featured);
    // Two services reached through the same number (the municipality's
    // switchboard) show it once.
    let mut numbers_shown = HashSet::new();
    featured
        .into_iter()
        .filter_map(|s| {
            let (phone, number) = s.public_phones().next()?;
            numbers_shown
                .insert(number.dial().to_owned())
                .then(|| HelpLine {
                    name: s.name.clone(),
                    number: number.display().to_owned(),
                    href: number.tel_href(),
                    always_open: phone.public_hours() == PublicHours::AlwaysOpen,
                })
        })
        .collect()
}

/// Reloads the help lines into the state; on failure the last ones stay.
pub async fn refresh(state: &AppState) {
    match load(&state.db).await {
        Ok(lines) => state.help_box.replace(lines),
        Err(e) => tracing::warn!(error = %e, "help box not refreshed; keeping the last lines"),
    }
}
