//! Public pages rendered once and served from memory, with their gzip and
//! brotli variants compressed once at the highest level.
//!
//! An entry lives until the content changes (the content version, which
//! the composition root polls and reports through
//! [`PageCache::observe_version`], so changes made through another instance
//! arrive within seconds) or until its freshness runs out: pages with
//! "öppet nu" at the next minute, the rest at the next Swedish midnight,
//! since dates on them (the campaign year) change then.
//!
//! When a page cannot be rendered (the database is away), the last version
//! of it is served, expired or not: a visitor looking for a number gets a
//! page that is a minute old rather than an error.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Days, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Stockholm;

use super::compress::{self, Effort, Encoding};
use super::error::AppError;
use crate::clock::Clock;

/// How long a rendered page may be reused.
#[derive(Debug, Clone, Copy)]
pub enum Freshness {
    /// Shows the time of day ("öppet nu"): re-render each minute.
    Minute,
    /// Carries the UTC offset of Swedish time (open data): the next hour.
    Hour,
    /// Shows only dates: re-render at midnight.
    Day,
    /// Counts that others change (seats left): a second.
    Moment,
}

impl Freshness {
    fn expires_after(self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            Freshness::Moment => now + chrono::Duration::seconds(1),
            Freshness::Minute => {
                let start = now
                    .with_second(0)
                    .and_then(|t| t.with_nanosecond(0))
                    .unwrap_or(now);
                start + chrono::Duration::minutes(1)
            }
            Freshness::Hour => {
                let start = now
                    .with_minute(0)
                    .and_then(|t| t.with_second(0))
                    .and_then(|t| t.with_nanosecond(0))
                    .unwrap_or(now);
                start + chrono::Duration::hours(1)
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
    /// The content version the page was rendered from.
    version: i64,
    status: StatusCode,
    content_type: HeaderValue,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
    expires: DateTime<Utc>,
    /// Which state of its page this is (see [`PageCache::serve_variant`]);
    /// 0 for a page that has one state.
    variant: u64,
}

impl CachedPage {
    fn new(
        version: i64,
        status: StatusCode,
        content_type: HeaderValue,
        body: String,
        expires: DateTime<Utc>,
        effort: Effort,
    ) -> CachedPage {
        let identity = Bytes::from(body);
        CachedPage {
            version,
            status,
            content_type,
            gzip: compress::gzip(&identity, effort).into(),
            brotli: compress::brotli(&identity, effort).into(),
            identity,
            expires,
            variant: 0,
        }
    }

    fn body(&self, encoding: Encoding) -> Bytes {
        match encoding {
            Encoding::Brotli => self.brotli.clone(),
            Encoding::Gzip => self.gzip.clone(),
            Encoding::Identity => self.identity.clone(),
        }
    }

    /// The response for a client with these request headers. Cloning
    /// `Bytes` only bumps a reference count.
    pub fn respond(&self, encoding: Encoding) -> Response {
        let mut response = Response::new(Body::from(self.body(encoding)));
        *response.status_mut() = self.status;
        let h = response.headers_mut();
        h.insert(header::CONTENT_TYPE, self.content_type.clone());
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(v) = encoding.header_value() {
            h.insert(header::CONTENT_ENCODING, v);
        }
        response
    }
}

/// Marks a response as a page served fresh from the cache, so the common
/// middleware can let the front door answer the next request for the same
/// path (see [`PageCache::remember`]).
#[derive(Clone)]
pub struct Served(pub Arc<CachedPage>);

/// A remembered answer to a GET (see [`PageCache::remember`]).
pub struct FrontEntry {
    pub page: Arc<CachedPage>,
    /// The route pattern that answered, for the log line.
    pub route: Arc<str>,
    /// The response's headers but the encoding's.
    pub headers: HeaderMap,
}

impl FrontEntry {
    /// The remembered answer in the client's encoding.
    pub fn respond(&self, encoding: Encoding) -> Response {
        let mut response = Response::new(Body::from(self.page.body(encoding)));
        *response.status_mut() = self.page.status;
        *response.headers_mut() = self.headers.clone();
        if let Some(v) = encoding.header_value() {
            response.headers_mut().insert(header::CONTENT_ENCODING, v);
        }
        response
    }
}

fn served(page: &Arc<CachedPage>, encoding: Encoding) -> Response {
    let mut response = page.respond(encoding);
    response.extensions_mut().insert(Served(page.clone()));
    response
}

/// At most this many entries; keys come from a fixed set of routes and
/// filters, so the cap only guards against a future mistake.
const MAX_ENTRIES: usize = 256;

/// A value loaded from the database and kept until the content changes or
/// it expires, shared by every request (e.g. the help directory behind the
/// open data API).
struct Snapshot {
    value: Arc<dyn Any + Send + Sync>,
    expires: DateTime<Utc>,
}

pub struct PageCache {
    entries: RwLock<HashMap<String, Arc<CachedPage>>>,
    /// Path of a plain GET → how it was answered, for the front door
    /// (`web::front`).
    front: RwLock<HashMap<Box<str>, Arc<FrontEntry>>>,
    snapshots: RwLock<HashMap<&'static str, Snapshot>>,
    /// The content version the entries were rendered from.
    version: AtomicI64,
    /// One render at a time per key: when a page expires under load, the
    /// first request renders it and the others wait for that result instead
    /// of all rendering (and compressing) the same page at once. Other pages
    /// are not held up meanwhile.
    rendering: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// The same for snapshots; a separate lock, since a page being rendered
    /// may itself need a snapshot.
    loading: tokio::sync::Mutex<()>,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache {
            entries: RwLock::new(HashMap::new()),
            front: RwLock::new(HashMap::new()),
            snapshots: RwLock::new(HashMap::new()),
            version: AtomicI64::new(i64::MIN),
            rendering: std::sync::Mutex::new(HashMap::new()),
            loading: tokio::sync::Mutex::new(()),
        }
    }
}

impl PageCache {
    pub fn get(&self, key: &str, now: DateTime<Utc>) -> Option<Arc<CachedPage>> {
        self.get_variant(key, 0, now)
    }

    fn get_variant(&self, key: &str, variant: u64, now: DateTime<Utc>) -> Option<Arc<CachedPage>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|p| p.expires > now && p.variant == variant)
            .cloned()
    }

    /// Serves the HTML page `key` in its state `variant` (a hash of what
    /// changes without the content version moving: seats left). One entry
    /// per key: a new state replaces the old one. Such a page is never
    /// handed to the front door, which could not see the state change;
    /// variant 0 is a page without such state, served as [`Self::serve`]
    /// serves it.
    pub async fn serve_variant(
        &self,
        clock: &dyn Clock,
        encoding: Encoding,
        key: &str,
        variant: u64,
        freshness: Freshness,
        render: impl Future<Output = Result<(StatusCode, String), AppError>>,
    ) -> Result<Response, AppError> {
        const HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");
        let mut response = self
            .serve_inner(clock, encoding, key, variant, freshness, HTML, render)
            .await?;
        if variant != 0 {
            response.extensions_mut().remove::<Served>();
        }
        Ok(response)
    }

    /// Forgets the snapshot `key`, so the next request loads it again
    /// (after a write this instance made).
    pub fn forget_snapshot(&self, key: &str) {
        self.snapshots
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }

    /// Serves the HTML page `key` from memory, or awaits `render` (which is
    /// not started on a hit), stores the result and serves it.
    pub async fn serve(
        &self,
        clock: &dyn Clock,
        encoding: Encoding,
        key: &str,
        freshness: Freshness,
        render: impl Future<Output = Result<(StatusCode, String), AppError>>,
    ) -> Result<Response, AppError> {
        const HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");
        self.serve_typed(clock, encoding, key, freshness, HTML, render)
            .await
    }

    /// Like [`PageCache::serve`] for a body of another type (JSON).
    pub async fn serve_typed<E: From<AppError>>(
        &self,
        clock: &dyn Clock,
        encoding: Encoding,
        key: &str,
        freshness: Freshness,
        content_type: HeaderValue,
        render: impl Future<Output = Result<(StatusCode, String), E>>,
    ) -> Result<Response, E> {
        self.serve_inner(clock, encoding, key, 0, freshness, content_type, render)
            .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn serve_inner<E: From<AppError>>(
        &self,
        clock: &dyn Clock,
        encoding: Encoding,
        key: &str,
        variant: u64,
        freshness: Freshness,
        content_type: HeaderValue,
        render: impl Future<Output = Result<(StatusCode, String), E>>,
    ) -> Result<Response, E> {
        let now = clock.now();
        if let Some(page) = self.get_variant(key, variant, now) {
            return Ok(served(&page, encoding));
        }
        let lock = self
            .rendering
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key.to_owned())
            .or_default()
            .clone();
        let _rendering = lock.lock().await;
        if let Some(page) = self.get_variant(key, variant, now) {
            return Ok(served(&page, encoding));
        }
        let version = self.version.load(Ordering::Acquire);
        let (status, html) = match render.await {
            Ok(rendered) => rendered,
            Err(e) => {
                let stale = self
                    .entries
                    .read()
                    .unwrap_or_else(|e| e.into_inner())
                    .get(key)
                    .cloned();
                return match stale {
                    Some(page) => {
                        tracing::warn!(page = key, "cannot render; serving the last version");
                        Ok(page.respond(encoding))
                    }
                    None => Err(e),
                };
            }
        };
        let expires = freshness.expires_after(now);
        // Compression at the highest level takes milliseconds: off the
        // threads that serve requests.
        // A page kept for a minute is compressed quickly; one kept until
        // the content changes or the day ends, as small as possible.
        let effort = match freshness {
            Freshness::Minute | Freshness::Moment => Effort::Quick,
            Freshness::Hour | Freshness::Day => Effort::Max,
        };
        let page = tokio::task::spawn_blocking(move || {
            let mut page = CachedPage::new(version, status, content_type, html, expires, effort);
            page.variant = variant;
            page
        })
        .await
        .map(Arc::new)
        .map_err(|e| AppError::Render(format!("compressing a page failed: {e}")))?;
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        // Content may have changed while this page rendered: then the page
        // is served once but not kept.
        if self.version.load(Ordering::Acquire) == version {
            if entries.len() >= MAX_ENTRIES && !entries.contains_key(key) {
                entries.clear();
            }
            entries.insert(key.to_owned(), page.clone());
        }
        Ok(served(&page, encoding))
    }

    /// The value `key` holds, or what `load` produces (loaded once however
    /// many requests ask at the same time), kept until the content version
    /// moves or `freshness` runs out.
    pub async fn snapshot<T, E>(
        &self,
        clock: &dyn Clock,
        key: &'static str,
        freshness: Freshness,
        load: impl Future<Output = Result<T, E>>,
    ) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
    {
        let now = clock.now();
        let cached = |now| {
            let snapshots = self.snapshots.read().unwrap_or_else(|e| e.into_inner());
            snapshots
                .get(key)
                .filter(|s| s.expires > now)
                .and_then(|s| s.value.clone().downcast::<T>().ok())
        };
        if let Some(value) = cached(now) {
            return Ok(value);
        }
        let _loading = self.loading.lock().await;
        if let Some(value) = cached(now) {
            return Ok(value);
        }
        let version = self.version.load(Ordering::Acquire);
        let value = match load.await {
            Ok(value) => Arc::new(value),
            Err(e) => {
                let snapshots = self.snapshots.read().unwrap_or_else(|e| e.into_inner());
                return match snapshots
                    .get(key)
                    .and_then(|s| s.value.clone().downcast::<T>().ok())
                {
                    Some(stale) => Ok(stale),
                    None => Err(e),
                };
            }
        };
        if self.version.load(Ordering::Acquire) == version {
            self.snapshots
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(
                    key,
                    Snapshot {
                        value: value.clone(),
                        expires: freshness.expires_after(now),
                    },
                );
        }
        Ok(value)
    }

    /// Remembers that a plain GET of `path` (no query string) was answered
    /// with `page` by `route`, with `headers` as the response finally had
    /// them (every layer of its surface applied), so the front door can
    /// answer the next one without routing. Only 200s are remembered.
    pub fn remember(&self, path: &str, route: &str, page: &Arc<CachedPage>, headers: &HeaderMap) {
        if page.status != StatusCode::OK {
            return;
        }
        let known = |front: &HashMap<Box<str>, Arc<FrontEntry>>| {
            front
                .get(path)
                .is_some_and(|known| Arc::ptr_eq(&known.page, page))
        };
        if known(&self.front.read().unwrap_or_else(|e| e.into_inner())) {
            return;
        }
        let mut headers = headers.clone();
        // The one header that follows the client's encoding; the rest is
        // the same for every client.
        headers.remove(header::CONTENT_ENCODING);
        headers.remove(header::CONTENT_LENGTH);
        let entry = Arc::new(FrontEntry {
            page: page.clone(),
            route: route.into(),
            headers,
        });
        let mut front = self.front.write().unwrap_or_else(|e| e.into_inner());
        if front.len() >= MAX_ENTRIES && !front.contains_key(path) {
            front.clear();
        }
        front.insert(path.into(), entry);
    }

    /// What a plain GET of `path` gets, if it was remembered and the page is
    /// still what the route would serve: rendered from the current content
    /// version and not expired. Anything else goes the long way.
    pub fn front_entry(&self, path: &str, now: DateTime<Utc>) -> Option<Arc<FrontEntry>> {
        let front = self.front.read().unwrap_or_else(|e| e.into_inner());
        let entry = front.get(path)?;
        (entry.page.expires > now && entry.page.version == self.version.load(Ordering::Acquire))
            .then(|| entry.clone())
    }

    /// The content version the entries were rendered from.
    pub fn version(&self) -> i64 {
        self.version.load(Ordering::Acquire)
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
        self.front
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.snapshots
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        true
    }

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.entries
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_empty()
    }
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
