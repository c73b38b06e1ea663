//! The real server process: `mimamori-backend serve` on a fresh SQLite file in a
//! temporary folder, listening on 127.0.0.1 (a free port chosen by the system at the
//! first start, the same port after each restart), verification mail written to a
//! folder that the tests read. `kill9` is SIGKILL: no graceful shutdown.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The admin password of every test centre.
pub const ADMIN_PASSWORD: &str = "Kumo-no-ue-9";

/// One server process and its files.
pub struct Backend {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    child: Option<Child>,
    starts: usize,
    /// More `serve` options.
    extra: Vec<String>,
    /// The database URL when it is not the folder's own SQLite file.
    database: Option<String>,
}

/// The server binary: `MIMAMORI_BACKEND_BIN`, or the workspace's debug build.
pub fn binary() -> PathBuf {
    if let Ok(p) = std::env::var("MIMAMORI_BACKEND_BIN") {
        return PathBuf::from(p);
    }
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/debug/mimamori-backend");
    assert!(bin.exists(), "{} is missing: run `cargo build -p backend` first (or set MIMAMORI_BACKEND_BIN)", bin.display());
    bin
}

impl Backend {
    /// Starts a server whose files live in `dir`.
    pub fn start(dir: &Path) -> Backend {
        Backend::start_with(dir, &[])
    }

    /// Starts a server whose files live in `dir`, with more `serve` options.
    pub fn start_with(dir: &Path, options: &[&str]) -> Backend {
        std::fs::create_dir_all(dir).expect("server folder");
        let extra = options.iter().map(|o| (*o).to_owned()).collect();
        let mut b = Backend { bin: binary(), dir: dir.to_owned(), port: 0, child: None, starts: 0, extra, database: None };
        b.spawn();
        b
    }

    /// Starts a server whose logs and mail live in `dir` on the database `url` (a
    /// PostgreSQL URL, or a SQLite file other copies use too).
    pub fn start_on(dir: &Path, url: &str, options: &[&str]) -> Backend {
        std::fs::create_dir_all(dir).expect("server folder");
        let extra = options.iter().map(|o| (*o).to_owned()).collect();
        let mut b = Backend { bin: binary(), dir: dir.to_owned(), port: 0, child: None, starts: 0, extra, database: Some(url.to_owned()) };
        b.spawn();
        b
    }

    /// The `--database-url` this server runs on.
    pub fn database_url(&self) -> String {
        self.database.clone().unwrap_or_else(|| self.db_path().to_string_lossy().into_owned())
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.join("server.db")
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.dir.join("mail")
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn is_running(&self) -> bool {
        self.child.is_some()
    }

    /// SIGKILL, then reap the process.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Waits up to `within` for the process to end by itself; its exit status, or `None`
    /// while it still runs.
    pub fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                self.child = None;
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// What the current (or last) process wrote to standard error.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join(format!("server-{}.log", self.starts))).unwrap_or_default()
    }

    /// Starts the server again on the same port and database.
    pub fn restart(&mut self) {
        self.kill9();
        self.spawn();
    }

    /// Restarts the server on the same port and files with other `serve` options.
    pub fn restart_with(&mut self, options: &[&str]) {
        self.extra = options.iter().map(|o| (*o).to_owned()).collect();
        self.restart();
    }

    fn spawn(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            self.starts += 1;
            let out = self.dir.join(format!("server-{}.out", self.starts));
            let err = std::fs::File::create(self.dir.join(format!("server-{}.log", self.starts))).expect("log file");
            let child = Command::new(&self.bin)
                .arg("--database-url")
                .arg(self.database_url())
                .arg("serve")
                .arg("--listen")
                .arg(format!("127.0.0.1:{}", self.port))
                .arg("--mail-dir")
                .arg(self.mail_dir())
                .args(&self.extra)
                .env("RUST_LOG", "warn")
                .stdin(Stdio::null())
                .stdout(std::fs::File::create(&out).expect("stdout file"))
                .stderr(err)
                .spawn()
                .expect("start mimamori-backend");
            self.child = Some(child);
            match self.wait_listening(&out) {
                Some(port) => {
                    self.port = port;
                    self.wait_ready();
                    return;
                }
                None => {
                    // The port was not free yet (or the start failed): try again.
                    self.kill9();
                    assert!(Instant::now() < deadline, "mimamori-backend did not start; see {}", self.dir.display());
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        }
    }

    /// The port from the start-up line `listening on http://127.0.0.1:PORT`, or `None`
    /// when the process exited first.
    fn wait_listening(&mut self, out: &Path) -> Option<u16> {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let text = std::fs::read_to_string(out).unwrap_or_default();
            if let Some(rest) = text.lines().find_map(|l| l.strip_prefix("listening on http://127.0.0.1:")) {
                return rest.trim().parse().ok();
            }
            if let Some(child) = self.child.as_mut()
                && child.try_wait().ok().flatten().is_some()
            {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    fn wait_ready(&self) {
        let client = crate::staff::http_client();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if client.get(format!("{}/healthz", self.url())).send().is_ok_and(|r| r.status().is_success()) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("mimamori-backend did not answer /healthz");
    }

    /// `mimamori-backend create-centre`: a centre and its admin, through the CLI.
    pub fn create_centre(&self, name: &str, emergency_number: &str, code: &str, admin_email: &str) {
        let out = Command::new(&self.bin)
            .arg("--database-url")
            .arg(self.database_url())
            .args(["create-centre", "--name", name, "--emergency-number", emergency_number])
            .args(["--jurisdiction-code", code, "--admin-email", admin_email])
            .env("MIMAMORI_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .output()
            .expect("run create-centre");
        assert!(out.status.success(), "create-centre failed: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// Runs another `mimamori-backend` command on this server's database (a password,
    /// where asked, is [`ADMIN_PASSWORD`]).
    pub fn command(&self, args: &[&str]) {
        let out = self.try_command(args);
        assert!(out.status.success(), "{} failed: {}", args.first().copied().unwrap_or(""), String::from_utf8_lossy(&out.stderr));
    }

    /// Runs another `mimamori-backend` command on this server's database and returns
    /// its output, whether it succeeded or not.
    pub fn try_command(&self, args: &[&str]) -> std::process::Output {
        command_on(&self.database_url(), args)
    }

    /// The newest verification code mailed to `email`.
    pub fn code_for(&self, email: &str) -> String {
        latest_code(&self.mail_dir(), email).expect("a verification code was mailed")
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// Runs a `mimamori-backend` command on the database `url` (no server needed) and
/// returns its output, whether it succeeded or not.
pub fn command_on(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(binary())
        .arg("--database-url")
        .arg(url)
        .args(args)
        .env("MIMAMORI_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .expect("run the command")
}

/// Reads the newest code sent to `to` from the mail folder (one `.eml` per message).
pub fn latest_code(dir: &Path, to: &str) -> Option<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).ok()?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    let needle = format!("To: {to}");
    files.iter().rev().find_map(|p| {
        let text = std::fs::read_to_string(p).ok()?;
        if !text.lines().any(|l| l.trim_end().eq_ignore_ascii_case(&needle)) {
            return None;
        }
        let line = text.lines().find(|l| l.starts_with("認証コード: ") || l.starts_with("Verification code: "))?;
        line.rsplit(' ').next().map(|c| c.trim().to_owned())
    })
}
