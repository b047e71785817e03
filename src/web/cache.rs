//! Public pages rendered once and served from memory, with their gzip and
//! brotli variants compressed once at the highest level.
//!
//! An entry lives until the content changes (the `content_version` counter
//! in `app_meta`, bumped by every content write and polled so that changes
//! made through another instance arrive within seconds) or until its
//! freshness runs out: pages with "öppet nu" at the next minute, the rest at
//! the next Swedish midnight, since dates on them (the campaign year) change then.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Days, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Stockholm;

use super::compress::{self, Effort, Encoding};
use super::error::AppError;
use crate::clock::Clock;
use crate::db::{Db, DbError};
use crate::on_pool;

/// How long a rendered page may be reused.
#[derive(Debug, Clone, Copy)]
pub enum Freshness {
    /// Shows the time of day ("öppet nu"): re-render each minute.
    Minute,
    /// Shows only dates: re-render at midnight.
    Day,
}

impl Freshness {
    fn expires_after(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Freshness::Minute => {
                let start = now
                    .with_second(0)
                    .and_then(|t| t.with_nanosecond(0))
                    .unwrap_or(now);
                start + chrono::Duration::minutes(1)
            }
            Freshness::Day => {
                let tomorrow = now.with_timezone(&Stockholm).date_naive() + Days::new(1);
                Stockholm
                    .from_local_datetime(&tomorrow.and_hms_opt(0, 0, 0).expect("midnight exists"))
                    .earliest()
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or(now + chrono::Duration::hours(1))
            }
        }
    }
}

pub struct CachedPage {
    status: StatusCode,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
    expires: DateTime<Utc>,
}

impl CachedPage {
    fn new(status: StatusCode, html: String, expires: DateTime<Utc>) -> CachedPage {
        let identity = Bytes::from(html);
        CachedPage {
            status,
            gzip: compress::gzip(&identity, Effort::Max).into(),
            brotli: compress::brotli(&identity, Effort::Max).into(),
            identity,
            expires,
        }
    }

    /// The response for a client with these request headers. Cloning
    /// `Bytes` only bumps a reference count.
    pub fn respond(&self, encoding: Encoding) -> Response {
        let body = match encoding {
            Encoding::Brotli => self.brotli.clone(),
            Encoding::Gzip => self.gzip.clone(),
            Encoding::Identity => self.identity.clone(),
        };
        let mut response = Response::new(Body::from(body));
        *response.status_mut() = self.status;
        let h = response.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(v) = encoding.header_value() {
            h.insert(header::CONTENT_ENCODING, v);
        }
        response
    }

    pub fn len(&self, encoding: Encoding) -> usize {
        match encoding {
            Encoding::Brotli => self.brotli.len(),
            Encoding::Gzip => self.gzip.len(),
            Encoding::Identity => self.identity.len(),
        }
    }
}

/// At most this many entries; keys come from a fixed set of routes and
/// filters, so the cap only guards against a future mistake.
const MAX_ENTRIES: usize = 256;

pub struct PageCache {
    entries: RwLock<HashMap<String, Arc<CachedPage>>>,
    /// The content version the entries were rendered from.
    version: AtomicI64,
    /// One render at a time: when a page expires under load, the first
    /// request renders it and the others wait for that result instead of
    /// all rendering (and compressing) the same page at once.
    rendering: tokio::sync::Mutex<()>,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache {
            entries: RwLock::new(HashMap::new()),
            version: AtomicI64::new(i64::MIN),
            rendering: tokio::sync::Mutex::new(()),
        }
    }
}

impl PageCache {
    pub fn get(&self, key: &str, now: DateTime<Utc>) -> Option<Arc<CachedPage>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries.get(key).filter(|p| p.expires > now).cloned()
    }

    /// Serves `key` from memory, or awaits `render` (which is not started on
    /// a hit), stores the result and serves it.
    pub async fn serve(
        &self,
        clock: &dyn Clock,
        encoding: Encoding,
        key: &str,
        freshness: Freshness,
        render: impl Future<Output = Result<(StatusCode, String), AppError>>,
    ) -> Result<Response, AppError> {
        let now = clock.now();
        if let Some(page) = self.get(key, now) {
            return Ok(page.respond(encoding));
        }
        let _rendering = self.rendering.lock().await;
        if let Some(page) = self.get(key, now) {
            return Ok(page.respond(encoding));
        }
        let version = self.version.load(Ordering::Acquire);
        let (status, html) = render.await?;
        let expires = freshness.expires_after(now);
        // Compression at the highest level takes milliseconds: off the
        // threads that serve requests.
        let page = tokio::task::spawn_blocking(move || CachedPage::new(status, html, expires))
            .await
            .map(Arc::new)
            .map_err(|e| AppError::Render(format!("compressing a page failed: {e}")))?;
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        // Content may have changed while this page rendered: then the page
        // is served once but not kept.
        if self.version.load(Ordering::Acquire) == version {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key.to_owned(), page.clone());
        }
        Ok(page.respond(encoding))
    }

    /// Drops every entry if `version` differs from the one they were
    /// rendered from. Returns whether anything was invalidated.
    pub fn observe_version(&self, version: i64) -> bool {
        if self.version.swap(version, Ordering::AcqRel) == version {
            return false;
        }
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        true
    }

    pub fn len(&self) -> usize {
        self.entries.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The counter every content write bumps.
pub async fn content_version(db: &Db) -> Result<i64, DbError> {
    let value: Option<String> = on_pool!(db, |p| sqlx::query_scalar(
        "SELECT value FROM app_meta WHERE key = 'content_version'"
    )
    .fetch_optional(p)
    .await)?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// Polls the content version and invalidates the cache when it moves, so a
/// change saved through any instance reaches this one within `interval`.
pub fn spawn_version_watch(db: Db, cache: Arc<PageCache>, interval: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match content_version(&db).await {
                Ok(v) => {
                    if cache.observe_version(v) {
                        tracing::debug!(version = v, "content changed; page cache cleared");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot read content version"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, h, m, s).unwrap()
    }

    #[test]
    fn freshness_boundaries() {
        assert_eq!(
            Freshness::Minute.expires_after(at(10, 15, 42)),
            at(10, 16, 0)
        );
        // 23:30 UTC is 00:30 in Stockholm on the 28th: next midnight is the 29th.
        assert_eq!(
            Freshness::Day.expires_after(at(23, 30, 0)),
            Utc.with_ymd_and_hms(2026, 11, 28, 23, 0, 0).unwrap()
        );
        assert_eq!(
            Freshness::Day.expires_after(at(10, 0, 0)),
            Utc.with_ymd_and_hms(2026, 11, 27, 23, 0, 0).unwrap()
        );
    }

    #[tokio::test]
    async fn renders_once_until_the_version_moves() {
        let cache = PageCache::default();
        cache.observe_version(1);
        let clock = FixedClock(at(10, 0, 0));
        let headers = Encoding::Identity;
        let renders = std::sync::atomic::AtomicUsize::new(0);
        let render = || async {
            renders.fetch_add(1, Ordering::SeqCst);
            Ok((StatusCode::OK, "<p>sida</p>".to_owned()))
        };
        for _ in 0..3 {
            let r = cache
                .serve(&clock, headers, "/", Freshness::Day, render())
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::OK);
        }
        assert_eq!(renders.load(Ordering::SeqCst), 1);
        assert!(!cache.observe_version(1));
        assert!(cache.observe_version(2));
        assert!(cache.is_empty());
        cache
            .serve(&clock, headers, "/", Freshness::Day, render())
            .await
            .unwrap();
        assert_eq!(renders.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn minute_pages_expire() {
        let cache = PageCache::default();
        let headers = Encoding::Brotli;
        let render = || async { Ok((StatusCode::OK, "x".to_owned())) };
        cache
            .serve(
                &FixedClock(at(10, 0, 30)),
                headers,
                "/hjalp",
                Freshness::Minute,
                render(),
            )
            .await
            .unwrap();
        assert!(cache.get("/hjalp", at(10, 0, 59)).is_some());
        assert!(cache.get("/hjalp", at(10, 1, 0)).is_none());
    }
}
