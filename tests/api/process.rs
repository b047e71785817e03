//! The binary as an operator runs it: configuration errors, `migrate`,
//! `--help`, the request log, and draining on SIGTERM.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::helpers::binary::{files_in, http, http_get, Binary, Start, BIN};
use crate::helpers::forms::{form_body, token_of};

/// The binary as a new user first runs it: no settings but the port.
fn start_bare() -> Binary {
    Binary::start(Start {
        bare: true,
        ..Start::default()
    })
}

#[test]
fn bad_configuration_stops_with_one_line_naming_the_setting() {
    for (key, value) in [
        ("FRIDHEM_BIND", "not-an-address"),
        ("FRIDHEM_DATABASE_URL", "mysql://localhost/x"),
        ("FRIDHEM_QUICK_EXIT_URL", "ftp://x"),
    ] {
        let out = Command::new(BIN)
            .env_clear()
            .env(key, value)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{key}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(stderr.contains(key), "{stderr}");
    }
}

#[test]
fn help_and_migrate_subcommands() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success());
    assert!(text.contains("serve") && text.contains("migrate"));

    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .current_dir(dir.path())
        .env_clear()
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        dir.path().join("fridhem.db").exists(),
        "default database file created"
    );
}

#[test]
fn first_start_creates_and_seeds_the_default_database() {
    let mut server = start_bare();
    let body = http_get(server.port, "/hjalp", &[]);
    assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    assert!(body.contains("Kvinnofridslinjen"));
    assert!(server.path("fridhem.db").exists());
    assert!(server.stop().success());
}

#[test]
fn request_log_has_no_ip_query_or_user_agent() {
    let mut server = start_bare();
    http_get(
        server.port,
        "/hjalp?for=granne&sokord=hemlig-fraga",
        &[
            ("User-Agent", "UA-MARKER-123"),
            ("X-Forwarded-For", "203.0.113.77"),
        ],
    );
    http_get(server.port, "/en-hemlig-sida-som-inte-finns", &[]);
    // The second is answered by the front door, before routing: logged
    // the same way.
    for _ in 0..2 {
        http_get(
            server.port,
            "/dolj-ditt-besok",
            &[("User-Agent", "UA-MARKER-123")],
        );
    }
    server.stop();
    let stdout = server.stdout();
    let lines: Vec<&str> = stdout.lines().collect();
    let requests: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.contains("\"fridhem::request\"") && !l.contains("\"/readyz\""))
        .collect();
    assert_eq!(requests.len(), 4, "{lines:#?}");
    for line in &lines {
        for secret in ["hemlig", "UA-MARKER", "203.0.113", "sokord", "for=granne"] {
            assert!(!line.contains(secret), "log leaks {secret}: {line}");
        }
    }
    let first: serde_json::Value = serde_json::from_str(requests[0]).unwrap();
    let fields = first["fields"].as_object().unwrap();
    let mut keys: Vec<&str> = fields.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["latency_us", "message", "method", "route", "status"]);
    assert_eq!(fields["route"], "/hjalp");
    assert_eq!(fields["status"], 200);
    let second: serde_json::Value = serde_json::from_str(requests[1]).unwrap();
    assert_eq!(second["fields"]["route"], "(unmatched)");
    for line in &requests[2..] {
        let line: serde_json::Value = serde_json::from_str(line).unwrap();
        let fields = &line["fields"];
        assert_eq!(fields.as_object().unwrap().len(), 5, "{line}");
        assert_eq!(fields["route"], "/dolj-ditt-besok");
        assert_eq!(fields["status"], 200);
        assert_eq!(fields["method"], "GET");
        assert_eq!(fields["message"], "request");
        assert!(fields["latency_us"].is_u64());
        assert_eq!(line["target"], "fridhem::request");
        assert_eq!(line["level"], "INFO");
    }
}

#[test]
fn sigterm_drains_in_flight_requests_then_exits() {
    let mut server = start_bare();
    let port = server.port;
    // Many requests in flight while the signal arrives: each one either
    // completes in full or is never accepted; none is cut off half-way.
    let clients: Vec<_> = (0..40)
        .map(|_| {
            std::thread::spawn(move || {
                use std::io::{Read, Write};
                let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
                    return None;
                };
                let req = "GET /hjalp HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
                if s.write_all(req.as_bytes()).is_err() {
                    return None;
                }
                let mut out = Vec::new();
                s.read_to_end(&mut out).ok()?;
                Some(String::from_utf8_lossy(&out).into_owned())
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(5));
    server.sigterm();
    let mut completed = 0;
    for c in clients {
        if let Some(resp) = c.join().unwrap() {
            if resp.is_empty() {
                continue; // accepted by the kernel after the listener closed
            }
            assert!(
                resp.starts_with("HTTP/1.1 200"),
                "{}",
                &resp[..resp.len().min(200)]
            );
            assert!(resp.trim_end().ends_with("</html>"), "response cut off");
            completed += 1;
        }
    }
    let status = server.wait();
    assert!(status.success(), "exit status {status:?}");
    assert!(completed > 0, "no request completed");
}

/// A start that fails (the port is taken, a setting is bad) leaves the
/// working directory as it was: no key file, no database.
#[test]
fn a_failed_start_leaves_no_file_behind() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    for (key, value) in [
        ("FRIDHEM_BIND", format!("127.0.0.1:{port}")),
        ("FRIDHEM_CONTENT_POLL_MS", "1".to_owned()),
        (
            "FRIDHEM_DATABASE_URL",
            "sqlite:///nonexistent-dir/x/fridhem.db".to_owned(),
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(BIN)
            .current_dir(dir.path())
            .env_clear()
            .env("FRIDHEM_BIND", format!("127.0.0.1:{port}"))
            .env(key, &value)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{key}={value}");
        assert_eq!(
            files_in(dir.path()),
            Vec::<String>::new(),
            "{key}={value}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    drop(taken);
}

/// What the server writes holds what people at risk wrote: the database,
/// its WAL, the key and the mail files are for the owner only.
#[test]
fn files_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let server = Binary::start(Start::default());
    // A case with an e-mail address, so acknowledgement and notification
    // are written to the mail directory (no SMTP server is set).
    let page = http(
        server.port,
        "GET /kontakt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    let token = token_of(&page);
    let body = form_body(&[
        ("token", token.as_str()),
        ("amne", "ovrigt"),
        ("namn", "Anna"),
        ("epost", "anna@example.se"),
        ("meddelande", "Hej"),
    ]);
    let answer = http(
        server.port,
        &format!(
            "POST /kontakt HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_dir(server.path("mail")).map_or(0, |d| d.count()) < 2 {
        assert!(Instant::now() < deadline, "no mail files written");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for name in [
        "fridhem.db",
        "fridhem.db-wal",
        "fridhem.db-shm",
        ".fridhem-secret-key",
        ".fridhem-data-key",
    ] {
        assert_eq!(mode(&server.path(name)), 0o600, "{name}");
    }
    assert_eq!(mode(&server.path("mail")), 0o700, "mail directory");
    for entry in std::fs::read_dir(server.path("mail")).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
}

/// `DATABASE_URL`, which hosting platforms set, is used when
/// `FRIDHEM_DATABASE_URL` is not; the start-up log says which database is
/// in use (never a password) and, once, where e-mail goes without SMTP.
#[test]
fn start_up_says_which_database_and_where_mail_goes() {
    let server = Binary::start(Start {
        env: vec![("DATABASE_URL", "sqlite://platform.db".into())],
        ..Default::default()
    });
    assert!(server.path("platform.db").exists());
    assert!(!server.path("fridhem.db").exists());
    let log = server.stdout();
    assert!(
        log.contains("SQLite file") && log.contains("platform.db"),
        "{log}"
    );
    assert_eq!(
        log.matches("FRIDHEM_SMTP_URL is not set").count(),
        1,
        "{log}"
    );
    assert!(
        log.contains("notifications of new TG, AF, KO cases go to a @localhost address"),
        "{log}"
    );
}

/// A request with X-Forwarded-For while no proxy is trusted means a proxy
/// is probably in front and every visitor shares its limits: said once.
#[test]
fn forwarded_for_without_a_trusted_proxy_is_warned_about_once() {
    let mut server = Binary::start(Start::default());
    for _ in 0..3 {
        http(
            server.port,
            "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.9\r\nConnection: close\r\n\r\n",
        );
    }
    assert!(server.stop().success());
    let log = server.stdout();
    assert_eq!(
        log.matches("X-Forwarded-For but FRIDHEM_TRUSTED_PROXIES is not set")
            .count(),
        1,
        "{log}"
    );
    assert!(!log.contains("198.51.100.9"), "the address is never logged");
}
