//! Staff accounts and sign-in: passwords (Argon2id), the mandatory second
//! factor (TOTP with recovery codes), server-side sessions shared by every
//! instance, the sign-in throttle, and the command-line account creation.
//! Which route needs which role is decided in the staff surface's policy
//! table (`admin::policy`); this domain says who is signed in.

pub mod account;
pub mod cli;
pub mod invite;
pub mod mail;
pub mod model;
pub mod password;
pub mod personal;
pub mod reset;
pub mod routes;
pub mod service;
pub mod session;
pub mod store;
pub mod totp;
pub mod view;

pub use model::{Role, Staff};

use crate::web::i18n::Locale;
use crate::web::layout::AdminLayout;
use crate::web::AppState;

/// The back-office frame for a page `staff` sees: their name and the
/// "Logga ut" button with their session's CSRF token. What other domains
/// call to render a staff page.
pub fn staff_layout(state: &AppState, staff: &Staff, title: &str) -> AdminLayout {
    AdminLayout::new(state, Locale::default(), title).signed_in(
        &staff.name,
        session::csrf_token(state, &staff.session),
        session::IDLE.num_seconds(),
    )
}
