//! One structured log line per request: method, route pattern, status and
//! latency. Deliberately never the client address, the query string, the
//! concrete path or the user agent: a log must not reveal who looked for help.
//!
//! This line is written on every request, so when the binary's log buffer
//! is available it is formatted here directly, in the same JSON shape as
//! tracing's other lines, instead of through tracing's generic formatter
//! (measured: the generic path cost about 1.5 µs per request).

use std::cell::RefCell;
use std::fmt::Write as _;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::extract::MatchedPath;
use axum::http::{Method, StatusCode};

use crate::logging::LogBuffer;

/// Where request lines go: the process's log buffer, or tracing (tests and
/// embedders without the buffer).
#[derive(Clone, Default)]
pub enum RequestLog {
    Buffer(LogBuffer),
    #[default]
    Tracing,
}

const TARGET: &str = "fridhem::request";

impl RequestLog {
    pub fn request(
        &self,
        method: &Method,
        route: Option<&MatchedPath>,
        status: StatusCode,
        start: Instant,
    ) {
        let route = route.map_or("(unmatched)", MatchedPath::as_str);
        let latency_us = start.elapsed().as_micros() as u64;
        let status = status.as_u16();
        match self {
            RequestLog::Tracing => {
                tracing::info!(target: TARGET, %method, route, status, latency_us, "request");
            }
            RequestLog::Buffer(buffer) => {
                // Honour FRIDHEM_LOG as tracing would.
                if !tracing::enabled!(target: TARGET, tracing::Level::INFO) {
                    return;
                }
                LINE.with_borrow_mut(|line| {
                    line.clear();
                    line.push_str("{\"timestamp\":\"");
                    push_timestamp(line, SystemTime::now());
                    let _ = write!(
                        line,
                        "\",\"level\":\"INFO\",\"fields\":{{\"message\":\"request\",\"method\":\"{}\",\"route\":\"",
                        method.as_str()
                    );
                    push_json_escaped(line, route);
                    let _ = writeln!(
                        line,
                        "\",\"status\":{status},\"latency_us\":{latency_us}}},\"target\":\"{TARGET}\"}}"
                    );
                    buffer.append(line.as_bytes(), false);
                });
            }
        }
    }
}

thread_local! {
    static LINE: RefCell<String> = RefCell::new(String::with_capacity(256));
    /// The formatted date and time of the last whole second seen.
    static SECOND: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
}

/// RFC 3339 UTC with microseconds, like tracing's JSON timestamps; the
/// date part is formatted once per second.
fn push_timestamp(out: &mut String, now: SystemTime) {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    SECOND.with_borrow_mut(|(cached, text)| {
        if *cached != secs {
            *cached = secs;
            text.clear();
            let t = chrono::DateTime::<chrono::Utc>::from(now);
            let _ = write!(text, "{}", t.format("%Y-%m-%dT%H:%M:%S"));
        }
        out.push_str(text);
    });
    let _ = write!(out, ".{:06}Z", since.subsec_micros());
}

fn push_json_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_matches_rfc3339_micros() {
        let t = UNIX_EPOCH + std::time::Duration::from_micros(1_795_000_000_123_456);
        let mut s = String::new();
        push_timestamp(&mut s, t);
        assert_eq!(s, "2026-11-18T11:06:40.123456Z");
    }

    #[test]
    fn escaping() {
        let mut s = String::new();
        push_json_escaped(&mut s, "/a\"b\\c\n");
        assert_eq!(s, "/a\\\"b\\\\c\\u000a");
    }
}
