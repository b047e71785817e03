//! The real binary as an operator runs it: its own working directory, a
//! clean environment, its log kept in files (one pair per life, so a
//! restarted server's earlier logs stay readable), killed for good when
//! dropped so a failing test leaves no process behind. Every test that
//! starts the binary goes through here.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_fridhem");

pub struct Binary {
    child: Option<Child>,
    pub port: u16,
    pub dir: tempfile::TempDir,
    env: BTreeMap<String, String>,
    open_files: Option<u64>,
    /// How many times the binary was started in this directory.
    pub lives: usize,
}

#[derive(Default)]
pub struct Start {
    /// Settings besides the port, base URL and quick-exit target; a
    /// setting given here wins over those.
    pub env: Vec<(&'static str, String)>,
    /// Run under this open-file limit (soft and hard).
    pub open_files: Option<u64>,
    /// Only `FRIDHEM_BIND`: the binary as a new user first starts it.
    pub bare: bool,
}

impl Binary {
    /// Starts the binary on a free port and waits until `/readyz` is 200.
    pub fn start(options: Start) -> Binary {
        let mut binary = Binary::spawn(options);
        binary.wait_ready();
        binary
    }

    /// Starts the binary without waiting for it to be ready.
    pub fn spawn(options: Start) -> Binary {
        let port = super::free_port();
        let mut env = BTreeMap::from([("FRIDHEM_BIND".to_owned(), format!("127.0.0.1:{port}"))]);
        if !options.bare {
            env.insert(
                "FRIDHEM_BASE_URL".into(),
                format!("http://127.0.0.1:{port}"),
            );
            env.insert(
                "FRIDHEM_QUICK_EXIT_URL".into(),
                "http://127.0.0.1:9/vader".into(),
            );
        }
        env.extend(options.env.into_iter().map(|(k, v)| (k.to_owned(), v)));
        let mut binary = Binary {
            child: None,
            port,
            dir: tempfile::tempdir().unwrap(),
            env,
            open_files: options.open_files,
            lives: 0,
        };
        binary.spawn_life();
        binary
    }

    fn spawn_life(&mut self) {
        assert!(self.child.is_none(), "already running");
        self.lives += 1;
        let mut command = match self.open_files {
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
            .current_dir(self.dir.path())
            .env_clear()
            .envs(&self.env)
            .stdin(Stdio::null())
            .stdout(File::create(self.log_path("stdout")).unwrap())
            .stderr(File::create(self.log_path("stderr")).unwrap())
            .spawn()
            .expect("the fridhem binary starts");
        self.child = Some(child);
    }

    /// Starts the next life in the same directory, on the same port and
    /// database, and waits until it is ready.
    pub fn restart(&mut self) {
        self.spawn_life();
        self.wait_ready();
    }

    /// Waits until `/readyz` answers 200: migrated, seeded, database
    /// reachable. Blocks the thread; async tests call it through
    /// `tokio::task::block_in_place`.
    pub fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child_mut().try_wait().unwrap() {
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
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn child_mut(&mut self) -> &mut Child {
        self.child.as_mut().expect("the server is running")
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("the server is running").id()
    }

    pub fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn log_path(&self, stream: &str) -> PathBuf {
        match self.lives {
            1 => self.path(&format!("{stream}.log")),
            n => self.path(&format!("{stream}-{n}.log")),
        }
    }

    /// The current life's standard output (the JSON log).
    pub fn stdout(&self) -> String {
        std::fs::read_to_string(self.log_path("stdout")).unwrap_or_default()
    }

    /// The current life's standard error.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.log_path("stderr")).unwrap_or_default()
    }

    /// Resident memory of the server process in kB.
    pub fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc")
    }

    /// Sends SIGTERM and returns at once; `wait` collects the exit.
    pub fn sigterm(&self) {
        signal(self.pid(), "TERM");
    }

    /// Waits for the exit of a server that was told to stop.
    pub fn wait(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("the server is running");
        child.wait().unwrap()
    }

    /// SIGTERM, then waits for the exit; the logs stay readable.
    pub fn stop(&mut self) -> ExitStatus {
        self.sigterm();
        self.wait()
    }

    /// SIGKILL: no signal handler runs, nothing is drained or flushed. The
    /// process is reaped, so the port and the database are free again.
    pub fn kill_hard(&mut self) {
        signal(self.pid(), "KILL");
        let exit = self.wait();
        assert!(!exit.success(), "killed, not exited: {exit:?}");
    }
}

fn signal(pid: u32, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .expect("kill(1) runs");
    assert!(status.success(), "kill -{name} {pid} failed");
}

impl Drop for Binary {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
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

/// `GET path` with extra headers on a fresh connection; the whole answer.
pub fn http_get(port: u16, path: &str, headers: &[(&str, &str)]) -> String {
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    http(port, &request).expect("the server accepts the connection")
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
