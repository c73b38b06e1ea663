//! The command line: `create-centre` (password from standard input or the environment,
//! refused when weak), `demo`, and `serve` printing its address and mail folder and
//! stopping cleanly on SIGTERM — each run as the real binary on a fresh database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use backend::config::DatabaseUrl;
use backend::db::Db;
use backend::password::HashCost;
use backend::secret::Secret;
use common::*;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_mimamori-backend");

fn url_text(url: &DatabaseUrl) -> String {
    match url {
        DatabaseUrl::Sqlite(p) => p.display().to_string(),
        DatabaseUrl::Postgres(u) => u.clone(),
    }
}

fn create_centre(url: &str, jurisdiction: &str, password: &str, via_env: bool) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.args(["create-centre", "--name", "みなと保健所", "--emergency-number", "03-0000-0000"])
        .args(["--jurisdiction-code", jurisdiction, "--admin-email", &format!("admin-{jurisdiction}@example.jp")])
        .env("DATABASE_URL", url)
        .env_remove("MIMAMORI_ADMIN_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if via_env {
        cmd.env("MIMAMORI_ADMIN_PASSWORD", password);
    }
    let mut child = cmd.spawn().expect("run the binary");
    if !via_env {
        child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn create_centre_reads_the_password_from_stdin_or_the_environment() {
    let tmp = tempfile::tempdir().unwrap();
    let url = fresh_database(tmp.path()).await;
    let text = url_text(&url);
    let out = create_centre(&text, "J1", PASSWORD, false);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("created centre みなと保健所"));
    let out = create_centre(&text, "J2", PASSWORD, true);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Weak password, duplicate jurisdiction: refused, non-zero exit, password not echoed.
    let out = create_centre(&text, "J3", "password", false);
    assert!(!out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("password\n"));
    let out = create_centre(&text, "J1", PASSWORD, true);
    assert!(!out.status.success());

    let db = Db::open(&url).await.unwrap();
    assert!(db.staff_login("admin-j1@example.jp").await.unwrap().is_some());
    assert!(db.staff_login("admin-j3@example.jp").await.unwrap().is_none());
    let hash = db.staff_login("admin-j2@example.jp").await.unwrap().unwrap().password_hash;
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "the binary hashes at OWASP cost");
}

#[tokio::test]
async fn create_centre_in_the_library_checks_its_input() {
    let t = TestApp::new().await;
    let setup = |email: &str, pw: &str, code: &str| backend::cli::CentreSetup {
        name: "x保健所".into(),
        emergency_number: "000".into(),
        jurisdiction_code: code.into(),
        admin_email: email.into(),
        admin_name: "管理者".into(),
        admin_password: Secret::new(pw.into()),
    };
    assert!(backend::cli::create_centre(&t.db, setup("bad", PASSWORD, "A"), HashCost::TEST_ONLY).await.is_err());
    assert!(backend::cli::create_centre(&t.db, setup("a@example.jp", "Password1!", "A"), HashCost::TEST_ONLY).await.is_err());
    assert!(backend::cli::create_centre(&t.db, setup("a@example.jp", PASSWORD, "A"), HashCost::TEST_ONLY).await.is_ok());
    let again = backend::cli::create_centre(&t.db, setup("b@example.jp", PASSWORD, "A"), HashCost::TEST_ONLY).await;
    assert!(matches!(again, Err(backend::error::Error::Conflict("jurisdiction_code"))));
    let again = backend::cli::create_centre(&t.db, setup("a@example.jp", PASSWORD, "B"), HashCost::TEST_ONLY).await;
    assert!(matches!(again, Err(backend::error::Error::Conflict("staff_email"))));
}

#[tokio::test]
async fn demo_fills_a_database_the_api_can_read() {
    let t = TestApp::new().await;
    // The board's day is Japan's: run at least two hours into it, so every one of
    // today's demo reports (up to 90 minutes old) and the half-hour alert fall today.
    let into_day = t.state.clock.now().with_timezone(&backend::web::jst()).time() - chrono::NaiveTime::MIN;
    if into_day < chrono::Duration::hours(2) {
        t.state.clock.advance((chrono::Duration::hours(2) - into_day).to_std().unwrap());
    }
    let lines = backend::cli::demo(&t.db, HashCost::TEST_ONLY, t.state.clock.now()).await.unwrap();
    let admin_line = lines.iter().find(|l| l.contains("admin login")).unwrap();
    let email = admin_line.split_whitespace().find(|w| w.contains('@')).unwrap();
    let token = t.login_staff(email, "Mimamori-Demo-2026").await;
    let cases = t.get("/api/v1/cases", Some(&token)).await.body["cases"].as_array().unwrap().clone();
    assert_eq!(cases.len(), 10);
    assert_eq!(cases.iter().filter(|c| c["registered"] == true).count(), 8);
    let first = cases.iter().min_by_key(|c| c["id"].as_i64()).unwrap();
    let reports = t.get(&format!("/api/v1/cases/{}/reports", first["id"]), Some(&token)).await;
    assert_eq!(reports.body["reports"].as_array().unwrap().len(), 5);
    // The board of the demo centre has someone in every list.
    let board = t.sign_in(email, "Mimamori-Demo-2026").await;
    let html = t.view(&board, "/").await.text;
    for (key, n) in [("observed", 10), ("reported", 6), ("unreported", 4), ("fever", 2), ("urgent", 3)] {
        assert!(html.contains(&format!("id=\"count-{key}\" class=\"n\">{n}<")), "{key} is not {n}");
    }
    // An urgent report has waited over half an hour (the alert is up), and one was
    // handled by a phone contact that reached the person.
    assert!(html.contains("id=\"urgent-alert\""));
    let mut handled = 0;
    for c in &cases {
        let r = t.get(&format!("/api/v1/cases/{}/reports", c["id"]), Some(&token)).await;
        handled += r.body["reports"].as_array().unwrap().iter().filter(|x| x["handled"]["how"] == "contact").count();
    }
    assert_eq!(handled, 1);
    // Running it twice adds another set instead of failing.
    assert!(backend::cli::demo(&t.db, HashCost::TEST_ONLY, t.state.clock.now()).await.is_ok());
}

/// Twenty minutes after midnight in Japan, today's demo reports are still received
/// today: the board counts them as reported, not as yesterday's.
#[tokio::test]
async fn demo_just_after_midnight_keeps_todays_reports_today() {
    let t = TestApp::new().await;
    let into_day = t.state.clock.now().with_timezone(&backend::web::jst()).time() - chrono::NaiveTime::MIN;
    t.state.clock.advance((chrono::Duration::hours(24) + chrono::Duration::minutes(20) - into_day).to_std().unwrap());
    let now = t.state.clock.now();
    assert!(["00:19", "00:20"].contains(&now.with_timezone(&backend::web::jst()).format("%H:%M").to_string().as_str()));
    let lines = backend::cli::demo(&t.db, HashCost::TEST_ONLY, now).await.unwrap();
    let admin_line = lines.iter().find(|l| l.contains("admin login")).unwrap();
    let email = admin_line.split_whitespace().find(|w| w.contains('@')).unwrap();
    let board = t.sign_in(email, "Mimamori-Demo-2026").await;
    let html = t.view(&board, "/").await.text;
    for (key, n) in [("observed", 10), ("reported", 6), ("unreported", 4), ("urgent", 3)] {
        assert!(html.contains(&format!("id=\"count-{key}\" class=\"n\">{n}<")), "{key} is not {n}");
    }
}

#[tokio::test]
async fn serve_prints_where_it_listens_and_stops_on_sigterm() {
    let tmp = tempfile::tempdir().unwrap();
    let url = fresh_database(tmp.path()).await;
    let mail = tmp.path().join("mailbox");
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--mail-dir"])
        .arg(&mail)
        .env("DATABASE_URL", url_text(&url))
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (addr, printed, _stdout) = listening_address(&mut child);
    assert!(printed.iter().any(|l| l.contains(&mail.display().to_string())), "mail folder printed: {printed:?}");

    // A real request over TCP.
    let answer = http_get(&addr, "/healthz");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit status {:?}", out.status);
    assert!(String::from_utf8_lossy(&out.stderr).contains("shutting down"));
}

fn create_case(url: &str, centre_id: &str, phone: &str) -> std::process::Output {
    Command::new(BIN)
        .args(["create-case", "--centre-id", centre_id, "--name", "山田 太郎", "--name-reading", "やまだ たろう"])
        .args(["--date-of-birth", "1980-04-01", "--phone", phone, "--period-start", "2026-11-20", "--period-end", "2026-11-30"])
        .env("DATABASE_URL", url)
        .output()
        .expect("run the binary")
}

#[tokio::test]
async fn create_case_issues_an_input_id_with_the_api_checks() {
    let tmp = tempfile::tempdir().unwrap();
    let url = fresh_database(tmp.path()).await;
    let text = url_text(&url);
    assert!(create_centre(&text, "J1", PASSWORD, true).status.success());

    let out = create_case(&text, "1", "０９０－１２３４－５６７８");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let input_id = stdout.rsplit(' ').next().unwrap().trim();
    assert!(input_id.len() == 7 && input_id.bytes().all(|b| b.is_ascii_digit()), "{stdout}");
    let db = Db::open(&url).await.unwrap();
    let case = db.case_by_input_id(input_id).await.unwrap().expect("the case is stored");
    assert_eq!(case.phone, "09012345678");

    // A bad phone number and an unknown centre are refused, without echoing what was typed.
    let out = create_case(&text, "1", "call me");
    assert!(!out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("call me"));
    let out = create_case(&text, "99", "09012345678");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no health centre"));
}

/// Reads the server's standard output up to its `listening on` line: the address, the
/// lines printed before it, and the pipe (kept open, so the server can go on printing).
fn listening_address(child: &mut std::process::Child) -> (String, Vec<String>, BufReader<std::process::ChildStdout>) {
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = Vec::new();
    for _ in 0..100 {
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        if let Some(a) = line.trim().strip_prefix("listening on http://") {
            return (a.to_owned(), printed, stdout);
        }
        printed.push(line);
    }
    panic!("the listening address is not printed: {printed:?}");
}

/// One HTTP/1.1 GET over TCP; the whole answer.
fn http_get(addr: &str, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes()).unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
    answer
}

#[tokio::test]
async fn demo_prints_the_logins_then_serves_the_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let url = fresh_database(tmp.path()).await;
    let mut child = Command::new(BIN)
        .args(["demo", "--listen", "127.0.0.1:0", "--mail-dir"])
        .arg(tmp.path().join("mailbox"))
        .env("DATABASE_URL", url_text(&url))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (addr, printed, _stdout) = listening_address(&mut child);
    assert_eq!(printed.iter().filter(|l| l.contains("admin login")).count(), 2, "{printed:?}");
    let board = http_get(&addr, "/");
    assert!(board.starts_with("HTTP/1.1 303") && board.contains("location: /login"), "{board}");
    let login = http_get(&addr, "/login");
    assert!(login.starts_with("HTTP/1.1 200") && login.contains("職員ログイン"), "{login:.300}");
    let leaflet_url = http_get(&addr, "/app");
    assert!(leaflet_url.starts_with("HTTP/1.1 200"));
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(child.wait().unwrap().success());

    // --fill-only adds another set and exits.
    let out = Command::new(BIN).args(["demo", "--fill-only"]).env("DATABASE_URL", url_text(&url)).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).matches("admin login").count(), 2);
}
