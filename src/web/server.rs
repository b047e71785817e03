//! The accept loop. `axum::serve` has no header-read timeout, so connections
//! are driven by hyper directly, with the limits a public site needs against
//! a hostile client:
//!
//! - a client that trickles its headers (slowloris) is cut off;
//! - a response the client does not read is abandoned after the write
//!   timeout, so a connection cannot be held by not reading;
//! - request headers may take at most [`MAX_BUF`], so a thousand unfinished
//!   requests cost megabytes, not hundreds of them;
//! - connections are capped in total (below the open-file limit) and per
//!   client address, and the excess is answered at once with a short 503,
//!   so one client cannot take every file descriptor and everyone else keeps
//!   being served;
//! - the answers hyper writes on its own (400, 414, 431 for requests it
//!   cannot parse) get the same security headers as every other response;
//! - SIGTERM lets in-flight requests finish.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Sleep;
use tower::ServiceExt;

use super::client_ip::{bucket, ClientIp};
use super::front::{FrontDoor, FrontService};

/// Largest read buffer per connection, which bounds the request head.
/// Public pages and forms need a few hundred bytes of headers; hyper's
/// default (about 400 KiB) let each idle connection hold that much.
pub const MAX_BUF: usize = 32 * 1024;

/// File descriptors kept for the database, the mail directory and logs
/// when the connection cap is derived from the open-file limit.
const FD_RESERVE: u64 = 64;
/// The default total cap when the open-file limit allows more.
const DEFAULT_MAX_CONNECTIONS: usize = 8192;
/// The default share of the total cap one client address may hold; a
/// school or a mobile carrier puts many visitors behind one address.
const DEFAULT_MAX_PER_CLIENT: usize = 256;
/// Refused connections are answered and drained briefly in tasks of their
/// own; beyond this many at once they are simply closed.
const MAX_REFUSING: usize = 256;

pub struct ServerOptions {
    pub header_read_timeout: Duration,
    /// How long a response may wait for the client to take it.
    pub write_timeout: Duration,
    pub shutdown_grace: Duration,
    pub limits: ConnectionLimits,
    /// Peers that stand for many clients (reverse proxies); only the total
    /// cap applies to them.
    pub trusted_proxies: Vec<IpAddr>,
    /// Header lines ("name: value\r\n") every response carries; added to
    /// the error answers hyper writes by itself and to the 503 for refused
    /// connections.
    pub security_headers: Vec<u8>,
    /// Answers repeated GETs of cached pages before routing.
    pub front: Option<Arc<FrontDoor>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    pub total: usize,
    pub per_client: usize,
}

impl ConnectionLimits {
    /// The configured limits, or defaults that fit under the process's
    /// open-file limit: the total leaves room for the database and files,
    /// and one client may hold at most a quarter of it.
    pub fn resolve(total: Option<usize>, per_client: Option<usize>) -> ConnectionLimits {
        let by_files = open_file_limit()
            .saturating_sub(FD_RESERVE)
            .clamp(16, usize::MAX as u64) as usize;
        let total = total.unwrap_or(DEFAULT_MAX_CONNECTIONS).min(by_files);
        let per_client = per_client
            .unwrap_or(DEFAULT_MAX_PER_CLIENT.min(total / 4))
            .clamp(1, total);
        ConnectionLimits { total, per_client }
    }
}

/// The soft limit on open files now in force.
pub fn open_file_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct we pass.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0 {
        limit.rlim_cur
    } else {
        1024
    }
}

/// Raises the soft open-file limit to the hard one (systemd's default soft
/// limit of 1024 is far below what the hard limit allows) and returns the
/// limit now in force.
pub fn raise_open_file_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct we pass.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                return raised.rlim_cur;
            }
        }
    }
    limit.rlim_cur
}

/// Serves until `shutdown` resolves, then stops accepting and waits up to
/// the grace period for open requests.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    options: ServerOptions,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(options.header_read_timeout)
        .max_buf_size(MAX_BUF)
        .keep_alive(true);
    let tracker = Arc::new(Tracker {
        limits: options.limits,
        trusted: options.trusted_proxies.clone(),
        total: AtomicUsize::new(0),
        per_client: Mutex::new(HashMap::new()),
        refusing: AtomicUsize::new(0),
        last_warning: Mutex::new(None),
    });
    let busy = Arc::new(busy_response(&options.security_headers));
    let security_headers: Arc<[u8]> = options.security_headers.into();
    tracing::info!(
        max_connections = options.limits.total,
        per_client = options.limits.per_client,
        "accepting connections"
    );
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Running out of file descriptors is transient; back off.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let slot = match tracker.admit(peer.ip()) {
            Ok(slot) => slot,
            Err(()) => {
                tracker.refuse(stream, busy.clone());
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let client = ClientIp(peer.ip());
        let service = FrontService {
            door: options.front.clone(),
            inner: TowerToHyperService::new(router.clone().map_request(
                move |request: Request<Incoming>| {
                    let mut request = request.map(Body::new);
                    request.extensions_mut().insert(client);
                    request
                },
            )),
        };
        let io = Guarded::new(stream, options.write_timeout, security_headers.clone());
        let connection = builder.serve_connection(TokioIo::new(io), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // Errors here are client-side (resets, timeouts) and expected.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all connections closed"),
        () = tokio::time::sleep(options.shutdown_grace) => {
            tracing::warn!("shutdown grace period over; closing remaining connections");
        }
    }
    Ok(())
}

/// Counts open connections in total and per client bucket.
struct Tracker {
    limits: ConnectionLimits,
    trusted: Vec<IpAddr>,
    total: AtomicUsize,
    per_client: Mutex<HashMap<IpAddr, usize>>,
    refusing: AtomicUsize,
    last_warning: Mutex<Option<std::time::Instant>>,
}

/// One admitted connection; gives its place back when dropped.
struct Slot {
    tracker: Arc<Tracker>,
    client: Option<IpAddr>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.tracker.total.fetch_sub(1, Ordering::AcqRel);
        if let Some(client) = self.client {
            let mut map = self
                .tracker
                .per_client
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if let Some(n) = map.get_mut(&client) {
                *n -= 1;
                if *n == 0 {
                    map.remove(&client);
                }
            }
        }
    }
}

impl Tracker {
    fn admit(self: &Arc<Self>, peer: IpAddr) -> Result<Slot, ()> {
        if self.total.fetch_add(1, Ordering::AcqRel) >= self.limits.total {
            self.total.fetch_sub(1, Ordering::AcqRel);
            self.warn("the connection limit is reached");
            return Err(());
        }
        let client = (!self.trusted.contains(&peer)).then(|| bucket(peer));
        if let Some(client) = client {
            let mut map = self.per_client.lock().unwrap_or_else(|e| e.into_inner());
            let open = map.entry(client).or_insert(0);
            if *open >= self.limits.per_client {
                drop(map);
                self.total.fetch_sub(1, Ordering::AcqRel);
                self.warn("a client reached its connection limit");
                return Err(());
            }
            *open += 1;
        }
        Ok(Slot {
            tracker: self.clone(),
            client,
        })
    }

    /// At most one warning a minute, and never the address.
    fn warn(&self, what: &'static str) {
        let mut last = self.last_warning.lock().unwrap_or_else(|e| e.into_inner());
        let now = std::time::Instant::now();
        if last.is_none_or(|t| now.duration_since(t) >= Duration::from_secs(60)) {
            *last = Some(now);
            tracing::warn!(
                max_connections = self.limits.total,
                per_client = self.limits.per_client,
                "{what}; refusing new connections with 503"
            );
        }
    }

    /// Answers a refused connection with a short 503 and closes it. The
    /// request is drained for a moment first: closing with unread bytes
    /// would reset the connection before the client reads the answer.
    fn refuse(self: &Arc<Self>, stream: TcpStream, busy: Arc<Vec<u8>>) {
        if self.refusing.fetch_add(1, Ordering::AcqRel) >= MAX_REFUSING {
            self.refusing.fetch_sub(1, Ordering::AcqRel);
            return;
        }
        let tracker = self.clone();
        tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let mut stream = stream;
            let _ = stream.try_write(&busy);
            let _ = stream.shutdown().await;
            let mut sink = [0u8; 4096];
            let _ = tokio::time::timeout(Duration::from_millis(500), async {
                let mut read = 0;
                while read < 64 * 1024 {
                    match stream.read(&mut sink).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => read += n,
                    }
                }
            })
            .await;
            tracker.refusing.fetch_sub(1, Ordering::AcqRel);
        });
    }
}

fn busy_response(security_headers: &[u8]) -> Vec<u8> {
    let body = "Webbplatsen har för många besökare just nu. Försök igen om en stund. \
Vid akut fara: ring 112. Kvinnofridslinjen: 020-50 50 50.\n";
    let mut out = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n\
content-length: {}\r\nretry-after: 5\r\nconnection: close\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(security_headers);
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body.as_bytes());
    out
}

/// The connection's socket with a write timeout, and the security headers
/// added to response heads that lack them (hyper's own error answers).
struct Guarded {
    inner: TcpStream,
    write_timeout: Duration,
    /// Armed while a write waits for the client to read.
    deadline: Option<Pin<Box<Sleep>>>,
    /// A rewritten head accepted from hyper but not yet on the socket.
    pending: Vec<u8>,
    pending_at: usize,
    security_headers: Arc<[u8]>,
}

impl Guarded {
    fn new(inner: TcpStream, write_timeout: Duration, security_headers: Arc<[u8]>) -> Guarded {
        Guarded {
            inner,
            write_timeout,
            deadline: None,
            pending: Vec::new(),
            pending_at: 0,
            security_headers,
        }
    }

    /// Called when the socket cannot take more: fails the write once the
    /// client has not read anything for the whole write timeout.
    fn stalled<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let timeout = self.write_timeout;
        let deadline = self
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client did not read the response",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn progress<T>(
        &mut self,
        result: Poll<io::Result<T>>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<T>> {
        match result {
            Poll::Pending => self.stalled(cx),
            ready => {
                self.deadline = None;
                ready
            }
        }
    }

    /// Writes out a pending rewritten head before anything else.
    fn poll_drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.pending_at < self.pending.len() {
            let result = Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.pending_at..]);
            let n = ready!(self.progress(result, cx))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.pending_at += n;
        }
        self.pending.clear();
        self.pending_at = 0;
        Poll::Ready(Ok(()))
    }

    /// Takes `bufs` whole into `pending` with the security headers added,
    /// if they start with a response head that needs them.
    fn take_if_bare(&mut self, bufs: &[io::IoSlice<'_>]) -> Option<usize> {
        let first = bufs.iter().find(|b| !b.is_empty())?;
        let end = bare_error_head(first)?;
        let total: usize = bufs.iter().map(|b| b.len()).sum();
        let mut out = Vec::with_capacity(total + self.security_headers.len());
        let mut first_done = false;
        for b in bufs {
            if !first_done && !b.is_empty() {
                first_done = true;
                // Up to and including the last header line's CRLF, then ours,
                // then the blank line and whatever follows.
                out.extend_from_slice(&b[..end + 2]);
                out.extend_from_slice(&self.security_headers);
                out.extend_from_slice(&b[end + 2..]);
            } else {
                out.extend_from_slice(b);
            }
        }
        self.pending = out;
        self.pending_at = 0;
        Some(total)
    }
}

/// For a response head with an error status (4xx/5xx) that carries no
/// Content-Security-Policy, the index of its closing "\r\n\r\n". Every
/// response built by the application has the header, so only hyper's own
/// answers match.
fn bare_error_head(buf: &[u8]) -> Option<usize> {
    if buf.len() < 16 || !buf.starts_with(b"HTTP/1.") || !matches!(buf[9], b'4' | b'5') {
        return None;
    }
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = &buf[..end];
    const CSP_LINE: &[u8] = b"\ncontent-security-policy:";
    let has_csp = head
        .windows(CSP_LINE.len())
        .any(|w| w.eq_ignore_ascii_case(CSP_LINE));
    (!has_csp).then_some(end)
}

impl AsyncRead for Guarded {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        ready!(this.poll_drain(cx))?;
        if let Some(n) = this.take_if_bare(&[io::IoSlice::new(buf)]) {
            // Taken whole; it reaches the socket with the next write or flush.
            let _ = this.poll_drain(cx);
            return Poll::Ready(Ok(n));
        }
        let result = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.progress(result, cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        ready!(this.poll_drain(cx))?;
        if let Some(n) = this.take_if_bare(bufs) {
            let _ = this.poll_drain(cx);
            return Poll::Ready(Ok(n));
        }
        let result = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.progress(result, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        ready!(this.poll_drain(cx))?;
        let result = Pin::new(&mut this.inner).poll_flush(cx);
        this.progress(result, cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        ready!(this.poll_drain(cx))?;
        let result = Pin::new(&mut this.inner).poll_shutdown(cx);
        this.progress(result, cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bare_error_heads_are_rewritten() {
        let bare =
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let end = bare_error_head(bare).unwrap();
        assert_eq!(&bare[end..], b"\r\n\r\n");
        let ours = b"HTTP/1.1 404 Not Found\r\ncontent-security-policy: default-src 'self'\r\n\r\n";
        assert_eq!(bare_error_head(ours), None);
        let ok = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
        assert_eq!(bare_error_head(ok), None);
        assert_eq!(
            bare_error_head(b"HTTP/1.1 400 Bad"),
            None,
            "incomplete head"
        );
    }

    #[test]
    fn limits_fit_under_the_file_limit() {
        let files = open_file_limit();
        let l = ConnectionLimits::resolve(None, None);
        assert!(l.total as u64 <= files.saturating_sub(FD_RESERVE).max(16));
        assert!(l.per_client <= l.total / 4 || l.total < 4);
        let l = ConnectionLimits::resolve(Some(100), Some(1000));
        assert_eq!(l.per_client, l.total.min(100));
    }

    #[test]
    fn busy_answer_is_a_complete_response() {
        let r = busy_response(b"x-test: 1\r\n");
        let text = String::from_utf8(r).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 503"));
        assert!(head.contains("x-test: 1"));
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(len, body.len());
    }
}
