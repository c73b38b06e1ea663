//! Support for the deployment tests: a test certificate authority and server
//! certificates made with rcgen, a real SMTP relay (aiosmtpd, `tests/smtp/relay.py`,
//! from the venv of `tests/setup/python.sh`) started on a free loopback port, the
//! messages it delivered (parsed by Python's `email` package), and a log capture.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned()
}

/// A certificate authority made for one test, and its PEM file.
pub struct TestCa {
    pub issuer: CertifiedIssuer<'static, KeyPair>,
    pub pem_file: PathBuf,
}

impl TestCa {
    /// A new authority written to `dir/NAME-ca.pem`.
    pub fn new(dir: &Path, name: &str) -> TestCa {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, format!("{name} test authority"));
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
        let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
        let pem_file = dir.join(format!("{name}-ca.pem"));
        std::fs::write(&pem_file, issuer.pem()).unwrap();
        TestCa { issuer, pem_file }
    }

    /// A server certificate for `localhost` and 127.0.0.1: (certificate PEM file, key
    /// PEM file) in `dir`.
    pub fn server_cert(&self, dir: &Path, name: &str) -> (PathBuf, PathBuf) {
        let mut params = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        params.distinguished_name.push(DnType::CommonName, "localhost");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &*self.issuer).unwrap();
        let (c, k) = (dir.join(format!("{name}.crt")), dir.join(format!("{name}.key")));
        std::fs::write(&c, cert.pem()).unwrap();
        std::fs::write(&k, key.serialize_pem()).unwrap();
        (c, k)
    }
}

/// A loopback port nothing listens on (right now).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The python of the test venv (installs aiosmtpd on first use).
pub fn python() -> PathBuf {
    static PY: OnceLock<PathBuf> = OnceLock::new();
    PY.get_or_init(|| {
        let out = Command::new("bash").arg(repo_root().join("tests/setup/python.sh")).stderr(Stdio::inherit()).output().expect("run tests/setup/python.sh");
        assert!(out.status.success(), "tests/setup/python.sh failed");
        PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
    })
    .clone()
}

/// How the relay runs.
#[derive(Default, Clone)]
pub struct RelaySpec {
    /// `starttls`, `tls` or `none`.
    pub security: &'static str,
    /// Server certificate and key.
    pub cert: Option<(PathBuf, PathBuf)>,
    /// AUTH user and password.
    pub auth: Option<(String, String)>,
    /// Recipients ending so are refused with 550.
    pub refuse_suffix: Option<String>,
}

/// A running relay; stops when dropped.
pub struct Relay {
    child: Child,
    pub port: u16,
    pub out: PathBuf,
}

impl Relay {
    /// Starts the relay on `port` and waits until it accepts connections.
    pub fn start(spec: &RelaySpec, port: u16, out: &Path) -> Relay {
        std::fs::create_dir_all(out).unwrap();
        let mut cmd = Command::new(python());
        cmd.arg(repo_root().join("tests/smtp/relay.py")).args(["--port", &port.to_string(), "--security", spec.security, "--out"]).arg(out);
        if let Some((c, k)) = &spec.cert {
            cmd.arg("--cert").arg(c).arg("--key").arg(k);
        }
        if let Some((user, password)) = &spec.auth {
            cmd.args(["--auth-user", user, "--auth-password-env", "RELAY_PASSWORD"]).env("RELAY_PASSWORD", password);
        }
        if let Some(s) = &spec.refuse_suffix {
            cmd.args(["--refuse-recipient-suffix", s]);
        }
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().expect("start the SMTP relay");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP relay did not start");
        Relay { child, port, out: out.to_owned() }
    }

    /// How many NOOP commands the relay has answered (the server's relay checks).
    pub fn noops(&self) -> u32 {
        std::fs::read_to_string(self.out.join("noops")).ok().and_then(|n| n.trim().parse().ok()).unwrap_or(0)
    }

    /// The messages delivered so far, parsed, oldest first.
    pub fn delivered(&self) -> Vec<Value> {
        let mut names: Vec<_> = std::fs::read_dir(&self.out).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
        names.sort();
        names.iter().map(|p| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()).collect()
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The log of this test binary, written at `trace` to a file of its own, once for all
/// its tests.
#[derive(Clone)]
pub struct Capture(PathBuf);

impl Capture {
    /// Installs the capture as the binary's subscriber (once).
    pub fn install() -> Capture {
        static CAPTURE: OnceLock<PathBuf> = OnceLock::new();
        let path = CAPTURE.get_or_init(|| {
            let path = std::env::temp_dir().join(format!("mimamori-test-log-{}.txt", std::process::id()));
            let file = std::fs::File::create(&path).unwrap();
            tracing_subscriber::fmt().with_env_filter(backend::logging::filter("trace")).with_writer(Mutex::new(file)).with_ansi(false).init();
            path
        });
        Capture(path.clone())
    }

    /// Everything logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&std::fs::read(&self.0).unwrap()).into_owned()
    }
}

/// One HTTP/1.1 request over TCP: (status, body).
pub fn http(addr: &str, method: &str, path: &str, json_body: Option<&Value>) -> (u16, String) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let body = json_body.map(|v| v.to_string()).unwrap_or_default();
    let head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len());
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    (status, body)
}

/// The server binary.
pub const BIN: &str = env!("CARGO_BIN_EXE_mimamori-backend");

/// A `serve` process; killed when dropped.
pub struct Served {
    pub child: Child,
    pub addr: String,
    pub printed: Vec<String>,
}

impl Served {
    /// Starts `cmd` (the binary with its arguments) and reads its output up to the
    /// `listening on` line.
    pub fn start(mut cmd: Command) -> Served {
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start the server");
        let mut stderr = child.stderr.take().unwrap();
        let log = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
            text
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut printed = Vec::new();
        let mut line = String::new();
        while stdout.read_line(&mut line).unwrap() > 0 {
            if let Some(a) = line.trim().strip_prefix("listening on http://") {
                let addr = a.to_owned();
                std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
                return Served { child, addr, printed };
            }
            printed.push(line.trim().to_owned());
            line.clear();
        }
        let _ = child.wait();
        panic!("the server stopped before listening: {printed:?} {}", log.join().unwrap_or_default());
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A database URL as `DATABASE_URL` takes it.
pub fn database_url_text(url: &backend::config::DatabaseUrl) -> String {
    match url {
        backend::config::DatabaseUrl::Sqlite(p) => p.display().to_string(),
        backend::config::DatabaseUrl::Postgres(u) => u.clone(),
    }
}
