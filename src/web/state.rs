//! The application state every handler gets: infrastructure handles only.
//! Domains keep no state of their own here; what they need (a writer, the
//! signing key, the caches) is shared infrastructure.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use super::assets::Assets;
use super::cache::PageCache;
use super::csrf::FormTokens;
use super::i18n::I18n;
use super::layout::HelpBox;
use super::log::RequestLog;
use super::rate_limit::RateLimiter;
use crate::clock::Clock;
use crate::config::Config;
use crate::db::crypt::DataKeys;
use crate::db::writer::Writer;
use crate::db::Db;

/// Shared state. One `Arc` around everything: axum clones the state for
/// every request and every layer, so a clone must be one counter bump.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub config: Arc<Config>,
    pub db: Db,
    pub writer: Writer,
    /// Seal and open personal data at rest.
    pub data_keys: Arc<DataKeys>,
    pub clock: Arc<dyn Clock>,
    pub i18n: Arc<I18n>,
    pub assets: Arc<Assets>,
    pub pages: Arc<PageCache>,
    /// The featured help lines, kept in memory so every page (error pages
    /// during a database outage included) can show them.
    pub help_box: HelpBox,
    pub request_log: RequestLog,
    /// Signs form tokens, codes and fingerprints.
    pub form_tokens: FormTokens,
    /// Form submissions per client and hour.
    pub rate_limiter: RateLimiter,
    /// Acknowledgement e-mails per client and hour.
    pub ack_limiter: RateLimiter,
    /// Staff sign-in attempts per client and hour, in memory only; the
    /// per-account throttle is in the database.
    pub signin_limiter: RateLimiter,
    /// Wakes the mail worker when a message has been queued.
    pub mail_wake: Arc<tokio::sync::Notify>,
    /// `FRIDHEM_BASE_URL` as an origin, for the forms' origin check.
    pub base_origin: String,
    /// Set once a request arrived with X-Forwarded-For although no proxy
    /// is trusted, so the warning is logged only once.
    pub forwarded_warned: AtomicBool,
}

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}
