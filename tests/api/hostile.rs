//! What a hostile client tries, against the real binary: holding every
//! connection, not reading responses, sending endless headers, requests the
//! parser rejects. The site must keep answering everyone else.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::helpers::binary::{http, Binary, Start};

/// A connection from a loopback address of our choosing (all of 127/8 is
/// local), so one test can be several clients.
async fn connect_from(from: &str, port: u16) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(from.parse::<IpAddr>().unwrap(), 0))?;
    socket
        .connect(SocketAddr::from(([127, 0, 0, 1], port)))
        .await
}

/// Many pipelined requests for a page, written at once and never read:
/// the server's writes to this connection soon block.
async fn stall(stream: &mut TcpStream) {
    let one = "GET /hjalp HTTP/1.1\r\nHost: x\r\n\r\n";
    let _ = stream.write_all(one.repeat(400).as_bytes()).await;
}

/// The status line of one request from `from`, or what went wrong; within
/// `limit`, or "timeout".
async fn status_from(from: &str, port: u16, path: &str, limit: Duration) -> String {
    let attempt = async {
        let mut s = connect_from(from, port).await.map_err(|e| e.to_string())?;
        s.write_all(
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out).await;
        let text = String::from_utf8_lossy(&out).into_owned();
        Ok::<_, String>(text.lines().next().unwrap_or("(empty)").to_owned())
    };
    match tokio::time::timeout(limit, attempt).await {
        Ok(Ok(line)) => line,
        Ok(Err(e)) => e,
        Err(_) => "timeout".to_owned(),
    }
}

/// With a low open-file limit (256, so at most 192 connections and 48 per
/// client) one client holding connections it does not read cannot take the
/// site down: its excess is refused at once with a 503, everyone else is
/// served. When many clients together reach the total, new connections get
/// a quick 503 instead of hanging, and the site recovers as they leave.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_caps_keep_the_site_answering() {
    let server = Binary::start(Start {
        open_files: Some(256),
        ..Start::default()
    });
    let port = server.port;
    // The log is flushed a moment after start.
    let deadline = Instant::now() + Duration::from_secs(3);
    let limits = loop {
        let found = server
            .stdout()
            .lines()
            .find(|l| l.contains("accepting connections"))
            .map(str::to_owned);
        match found {
            Some(line) => break line,
            None if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            None => panic!("no limits logged: {}", server.stdout()),
        }
    };
    assert!(
        limits.contains("\"max_connections\":192") && limits.contains("\"per_client\":48"),
        "{limits}"
    );

    let mut held = vec![];
    let mut refused = 0;
    for _ in 0..80 {
        let mut s = connect_from("127.0.0.2", port).await.unwrap();
        stall(&mut s).await;
        held.push(s);
    }
    // The excess was answered and closed straight away.
    for s in held.iter_mut().skip(48) {
        let mut head = [0u8; 12];
        let read = tokio::time::timeout(Duration::from_secs(3), s.read_exact(&mut head)).await;
        if matches!(read, Ok(Ok(_))) && head.starts_with(b"HTTP/1.1 503") {
            refused += 1;
        }
    }
    assert_eq!(
        refused,
        80 - 48,
        "the client's excess connections get a 503"
    );
    for path in ["/healthz", "/", "/hjalp"] {
        let status = status_from("127.0.0.1", port, path, Duration::from_secs(3)).await;
        assert_eq!(
            status, "HTTP/1.1 200 OK",
            "{path} while one client holds its share"
        );
    }

    // Many clients at once reach the total.
    for i in 3..=6 {
        for _ in 0..48 {
            if let Ok(mut s) = connect_from(&format!("127.0.0.{i}"), port).await {
                stall(&mut s).await;
                held.push(s);
            }
        }
    }
    let started = Instant::now();
    let status = status_from("127.0.0.1", port, "/healthz", Duration::from_secs(3)).await;
    assert!(
        status.starts_with("HTTP/1.1 503") || status.is_empty() || status.contains("reset"),
        "over the total cap the answer is a quick refusal, got {status}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "refused quickly"
    );
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = status_from("127.0.0.1", port, "/healthz", Duration::from_secs(2)).await;
        if status == "HTTP/1.1 200 OK" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the site did not recover: {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(server
        .stdout()
        .contains("refusing new connections with 503"));
}

/// A response the client never reads is abandoned after the write timeout,
/// which gives the connection's place back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unread_responses_time_out() {
    let server = Binary::start(Start {
        env: vec![
            ("FRIDHEM_WRITE_TIMEOUT_SECS", "2".into()),
            ("FRIDHEM_MAX_CONNECTIONS_PER_CLIENT", "2".into()),
        ],
        ..Start::default()
    });
    let port = server.port;
    let mut held = vec![];
    for _ in 0..2 {
        let mut s = connect_from("127.0.0.3", port).await.unwrap();
        stall(&mut s).await;
        held.push(s);
    }
    let status = status_from("127.0.0.3", port, "/healthz", Duration::from_secs(3)).await;
    assert!(
        status.starts_with("HTTP/1.1 503"),
        "both places are taken: {status}"
    );
    // The places come back within the timeout and a margin, though the
    // connections are still open on our side and never read.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = status_from("127.0.0.3", port, "/healthz", Duration::from_secs(2)).await;
        if status == "HTTP/1.1 200 OK" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "stalled connections were never closed: {status}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    drop(held);
}

/// A thousand connections each holding 30 KiB of a request head that never
/// ends cost tens of megabytes, not hundreds, and the site keeps answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unfinished_heads_stay_cheap() {
    fridhem::web::server::raise_open_file_limit();
    let server = Binary::start(Start {
        env: vec![
            ("FRIDHEM_MAX_CONNECTIONS", "2000".into()),
            ("FRIDHEM_MAX_CONNECTIONS_PER_CLIENT", "2000".into()),
        ],
        ..Start::default()
    });
    let port = server.port;
    let before = server.rss_kb();
    let mut head = String::from("GET / HTTP/1.1\r\nHost: x\r\n");
    while head.len() < 30 * 1024 {
        head.push_str(
            "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n",
        );
    }
    let mut held = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        s.write_all(head.as_bytes()).await.unwrap();
        held.push(s);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let during = server.rss_kb();
    assert!(
        during < 150 * 1024,
        "RSS {} MB with 1000 unfinished heads (before: {} MB)",
        during / 1024,
        before / 1024
    );
    let status = status_from("127.0.0.1", port, "/healthz", Duration::from_secs(3)).await;
    assert_eq!(status, "HTTP/1.1 200 OK");
    drop(held);
}

/// Requests hyper rejects before any route sees them (a head too large, a
/// line that is not HTTP) are answered with the same security headers as
/// every page.
#[test]
fn parser_errors_carry_the_security_headers() {
    let server = Binary::start(Start::default());
    let huge = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200 * 1024)
    );
    for (what, request, status) in [
        ("too large", huge.as_str(), "431"),
        ("not HTTP", "HELLO THERE\r\n\r\n", "400"),
        ("bad header", "GET / HTTP/1.1\r\nHost x\r\n\r\n", "400"),
    ] {
        let answer = http(server.port, request).unwrap();
        let head = answer
            .split("\r\n\r\n")
            .next()
            .unwrap()
            .to_ascii_lowercase();
        assert!(
            head.starts_with(&format!("http/1.1 {status}")),
            "{what}: {head}"
        );
        for header in [
            "content-security-policy: default-src 'self'",
            "referrer-policy: no-referrer",
            "x-content-type-options: nosniff",
            "cache-control: no-store",
            "x-frame-options: deny",
        ] {
            assert!(head.contains(header), "{what}: lacks {header}\n{head}");
        }
        assert_eq!(head.matches("content-security-policy").count(), 1, "{what}");
    }
}
