//! The front door: a GET of a page that was just served from the page
//! cache is answered again straight from the cache, before routing and the
//! middleware stack. Routing, two middleware layers and the handler's
//! extractors cost several microseconds per request, more than the rest of
//! serving a cached page; on the pages people at risk open most (the start
//! page, the help directory) the front door roughly doubles what one core
//! serves (scripts/bench-public.sh).
//!
//! The answer is the one the long way gave: the same cached bytes, the
//! headers the response had after every layer of its surface (only the
//! encoding's header follows the client), and the same log line. It is
//! given only when nothing else could change it:
//!
//! - GET with no query string, no request body and no X-Forwarded-For
//!   (which the long way may warn about);
//! - the same path was answered 200 from the page cache, and the
//!   remembered page is still what the route serves: rendered from the
//!   current content version and not expired (`PageCache::front_entry`).
//!   A page in the cache depends on nothing but its path, the encoding and
//!   the time, or it would not be cached.
//!
//! Requests with a query string go the long way: the table would otherwise
//! hold what visitors typed into addresses, and the page cache keys the
//! long way uses keep only the values the site knows. Everything else
//! (form posts, errors, the staff surface, an expired page) goes the long
//! way too, which also re-arms the front door.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::body::Body;
use axum::http::{header, HeaderName, Method, Request, Response};

use super::cache::PageCache;
use super::compress;
use super::log::RequestLog;
use crate::clock::Clock;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

pub struct FrontDoor {
    pub pages: Arc<PageCache>,
    pub clock: Arc<dyn Clock>,
    pub log: RequestLog,
}

impl FrontDoor {
    /// The response for `request` if the front door can give it.
    pub fn answer<B>(&self, request: &Request<B>) -> Option<Response<Body>> {
        if request.method() != Method::GET || request.uri().query().is_some() {
            return None;
        }
        let h = request.headers();
        if h.contains_key(header::CONTENT_LENGTH)
            || h.contains_key(header::TRANSFER_ENCODING)
            || h.contains_key(X_FORWARDED_FOR)
        {
            return None;
        }
        let start = Instant::now();
        let entry = self
            .pages
            .front_entry(request.uri().path(), self.clock.now())?;
        let response = entry.respond(compress::negotiate(h));
        self.log
            .request(&Method::GET, Some(&entry.route), response.status(), start);
        Some(response)
    }
}

/// A hyper service that asks the front door first and passes everything
/// else to `inner` (the application's router).
pub struct FrontService<S> {
    pub door: Option<Arc<FrontDoor>>,
    pub inner: S,
}

impl<S, B> hyper::service::Service<Request<B>> for FrontService<S>
where
    S: hyper::service::Service<Request<B>, Response = Response<Body>>,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = FrontFuture<S::Future>;

    fn call(&self, request: Request<B>) -> Self::Future {
        if let Some(response) = self.door.as_ref().and_then(|d| d.answer(&request)) {
            return FrontFuture::Ready {
                response: Some(response),
            };
        }
        FrontFuture::Inner {
            future: self.inner.call(request),
        }
    }
}

pin_project_lite::pin_project! {
    /// The front door's answer at once, or the router's future.
    #[project = FrontFutureProj]
    pub enum FrontFuture<F> {
        Ready { response: Option<Response<Body>> },
        Inner { #[pin] future: F },
    }
}

impl<F, E> Future for FrontFuture<F>
where
    F: Future<Output = Result<Response<Body>, E>>,
{
    type Output = Result<Response<Body>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project() {
            FrontFutureProj::Ready { response } => {
                Poll::Ready(Ok(response.take().expect("polled after completion")))
            }
            FrontFutureProj::Inner { future } => future.poll(cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderValue, StatusCode};
    use chrono::TimeZone;

    use super::*;
    use crate::clock::ManualClock;
    use crate::web::cache::{Freshness, Served};
    use crate::web::compress::Encoding;

    /// A front door over a cache that served `/` once (the long way) and
    /// remembered it with the headers the long way gave.
    async fn armed() -> (
        FrontDoor,
        Arc<ManualClock>,
        Arc<crate::web::cache::CachedPage>,
    ) {
        let pages = Arc::new(PageCache::default());
        pages.observe_version(1);
        let clock = Arc::new(ManualClock::new(
            chrono::Utc
                .with_ymd_and_hms(2026, 11, 27, 10, 0, 0)
                .unwrap(),
        ));
        let mut response = pages
            .serve(
                &*clock,
                Encoding::Identity,
                "sv:/",
                Freshness::Minute,
                async { Ok((StatusCode::OK, "<p>Kvinnofridslinjen</p>".to_owned())) },
            )
            .await
            .unwrap();
        response
            .headers_mut()
            .insert("x-frame-options", HeaderValue::from_static("DENY"));
        let Served(page) = response.extensions().get::<Served>().unwrap().clone();
        pages.remember("/", "/", &page, response.headers());
        let door = FrontDoor {
            pages,
            clock: clock.clone(),
            log: RequestLog::Tracing,
        };
        (door, clock, page)
    }

    fn get(uri: &str) -> axum::http::request::Builder {
        Request::get(uri).header("accept-encoding", "br")
    }

    #[tokio::test]
    async fn answers_a_get_as_the_long_way_did() {
        let (door, _, _) = armed().await;
        let response = door.answer(&get("/").body(()).unwrap()).unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["x-frame-options"], "DENY");
        assert_eq!(response.headers()["content-encoding"], "br");
        assert_eq!(response.headers()["vary"], "accept-encoding");
        let plain = door.answer(&Request::get("/").body(()).unwrap()).unwrap();
        assert!(!plain.headers().contains_key("content-encoding"));
        let body = axum::body::to_bytes(plain.into_body(), 1 << 16)
            .await
            .unwrap();
        assert_eq!(&body[..], b"<p>Kvinnofridslinjen</p>");
    }

    #[tokio::test]
    async fn leaves_everything_else_to_the_router() {
        let (door, _, _) = armed().await;
        for request in [
            get("/?utm=x").body(()).unwrap(),
            get("/hjalp").body(()).unwrap(),
            get("/index").body(()).unwrap(),
            Request::post("/").body(()).unwrap(),
            Request::head("/").body(()).unwrap(),
            get("/").header("content-length", "3").body(()).unwrap(),
            get("/")
                .header("transfer-encoding", "chunked")
                .body(())
                .unwrap(),
            get("/")
                .header("x-forwarded-for", "192.0.2.1")
                .body(())
                .unwrap(),
        ] {
            let what = format!("{} {:?}", request.method(), request.uri());
            assert!(door.answer(&request).is_none(), "{what}");
        }
    }

    #[tokio::test]
    async fn forgets_a_page_that_expired_or_whose_content_changed() {
        let (door, clock, _) = armed().await;
        clock.advance(chrono::Duration::seconds(61));
        assert!(
            door.answer(&get("/").body(()).unwrap()).is_none(),
            "expired"
        );

        let (door, _, page) = armed().await;
        door.pages.observe_version(2);
        assert!(
            door.answer(&get("/").body(()).unwrap()).is_none(),
            "new content"
        );
        // A request that was served the old page just before the change
        // and remembers it just after does not bring it back.
        door.pages
            .remember("/", "/", &page, &axum::http::HeaderMap::new());
        assert!(
            door.answer(&get("/").body(()).unwrap()).is_none(),
            "late remember"
        );
    }
}
