//! The real binary as an operator runs it: its own working directory, a
//! clean environment, its log kept in files, killed for good when dropped.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_fridhem");

pub struct Binary {
    pub child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

#[derive(Default)]
pub struct Start {
    /// Settings besides the port and base URL, which are always set.
    pub env: Vec<(&'static str, String)>,
    /// Run under this open-file limit (soft and hard).
    pub open_files: Option<u64>,
}

impl Binary {
    /// Starts the binary on a free port and waits until `/readyz` is 200.
    pub fn start(options: Start) -> Binary {
        let dir = tempfile::tempdir().unwrap();
        let port = super::free_port();
        let mut env: HashMap<&str, String> = HashMap::from([
            ("FRIDHEM_BIND", format!("127.0.0.1:{port}")),
            ("FRIDHEM_BASE_URL", format!("http://127.0.0.1:{port}")),
            (
                "FRIDHEM_QUICK_EXIT_URL",
                "http://127.0.0.1:9/vader".to_owned(),
            ),
        ]);
        env.extend(options.env);
        let mut command = match options.open_files {
            // The shell lowers both limits, so the server cannot raise its
            // soft limit past them, then becomes the server.
            Some(n) => {
                let mut c = Command::new("sh");
                c.arg("-c")
                    .arg(format!("ulimit -n {n} && exec \"$0\""))
                    .arg(BIN);
                c
            }
            None => Command::new(BIN),
        };
        let child = command
            .current_dir(dir.path())
            .env_clear()
            .envs(env)
            .stdin(Stdio::null())
            .stdout(File::create(dir.path().join("stdout.log")).unwrap())
            .stderr(File::create(dir.path().join("stderr.log")).unwrap())
            .spawn()
            .expect("the fridhem binary starts");
        let mut binary = Binary { child, port, dir };
        binary.wait_ready();
        binary
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "server exited during start-up ({status}): {}",
                    self.stderr()
                );
            }
            if http(
                self.port,
                "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            )
            .is_some_and(|r| r.starts_with("HTTP/1.1 200"))
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "server not ready: {}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn stdout(&self) -> String {
        std::fs::read_to_string(self.path("stdout.log")).unwrap_or_default()
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.path("stderr.log")).unwrap_or_default()
    }

    /// Resident memory of the server process in kB.
    pub fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc")
    }

    /// SIGTERM, then waits for the exit; the logs stay readable.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        self.child.wait().unwrap()
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request on a fresh connection with every byte as given; the whole
/// answer, or `None` if the connection failed.
pub fn http(port: u16, request: &str) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    s.write_all(request.as_bytes()).ok()?;
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// The files a directory holds, by name, for before/after comparisons.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
