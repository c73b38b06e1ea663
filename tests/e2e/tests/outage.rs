//! The database away and back while phones sync and staff pages load, the server
//! never restarted. PostgreSQL (when `MIMAMORI_TEST_POSTGRES_URL` is set): the server
//! is stopped with `pg_ctl stop -m fast` and started again. SQLite: the database file
//! and its WAL are made immutable (`chattr +i`, which refuses writes even to root and
//! to files already open), then writable again. Meanwhile `/readyz`, the API and the
//! pages answer 503 with `Retry-After` within a bounded time, never 500 and never a
//! hang; phones keep their reports; afterwards `/readyz` is ready again and every
//! report is on the server exactly once.
//!
//! Outage length: `MIMAMORI_E2E_OUTAGE_SECONDS` (default 4).

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use e2e::backend::{ADMIN_PASSWORD, Backend};
use e2e::phone::{Load, Phone};
use e2e::staff::{Staff, http_client};
use e2e::{Tally, days_ago, days_ahead, env_number, pg};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest any answer may take while the database is away.
const BOUND: Duration = Duration::from_secs(8);

struct Scene {
    _dir: tempfile::TempDir,
    backend: Backend,
    staff: Staff,
    phones: Vec<Phone>,
}

fn scene(url: Option<&str>, tag: &str) -> Scene {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = match url {
        Some(url) => Backend::start_on(&dir.path().join("server"), url, &[]),
        None => Backend::start(&dir.path().join("server")),
    };
    backend.create_centre("つぐみ保健所", "011-888-0000", &format!("J-OUT-{tag}"), "admin@outage.example.jp");
    let staff = Staff::login(&backend.url(), "admin@outage.example.jp", ADMIN_PASSWORD);
    let mut phones = Vec::new();
    for i in 0..2 {
        let case = staff.create_case(90 + i, "infected", &days_ago(40), &days_ahead(5));
        let mut phone = Phone::open(dir.path().join(format!("phone-{i}.db")), &backend.url(), &format!("out{i}@outage.example.jp"));
        phone.register(&backend, &case);
        phones.push(phone);
    }
    Scene { _dir: dir, backend, staff, phones }
}

/// Runs `away` (the database goes), probes for `seconds`, runs `back`, and checks.
fn outage(s: Scene, engine: &str, away: impl FnOnce(), back: impl FnOnce()) {
    let Scene { _dir, backend, staff, phones } = s;
    let seconds = env_number("MIMAMORI_E2E_OUTAGE_SECONDS", 4);
    let load = Load::start(phones, 1, Duration::from_millis(50), false);
    std::thread::sleep(Duration::from_millis(800));
    away();
    let client = http_client();
    let case_id = 1;
    let start = Instant::now();
    let mut answers = Vec::new();
    let mut slowest = Duration::ZERO;
    while start.elapsed() < Duration::from_secs(seconds) {
        let t = Instant::now();
        let ready = client.get(format!("{}/readyz", backend.url())).send().expect("readyz answers");
        let ready = (ready.status().as_u16(), ready.headers().get("retry-after").is_some());
        let api = staff.reports_status(case_id).expect("the API answers");
        let page = staff.post_page("/logout").expect("the page answers");
        slowest = slowest.max(t.elapsed());
        assert!(t.elapsed() < BOUND * 3, "answers took {:?}", t.elapsed());
        answers.push((ready, api, (page.0, page.1.clone())));
        if page.0 == 503 {
            assert!(page.2.contains("<html") && page.2.contains("データベース"), "the 503 page is the error page in Japanese first");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    // After the first moments every answer is a 503 with Retry-After.
    let settled = &answers[answers.len() / 2..];
    for (ready, api, page) in settled {
        assert_eq!(*ready, (503, true), "/readyz while the database is away");
        assert_ne!(page.0, 500, "a page answered 500");
        assert_eq!((page.0, page.1.is_some()), (503, true), "a page that writes while the database is away");
        if engine == "postgres" {
            assert_eq!((api.0, api.1.is_some()), (503, true), "the API while the database is away");
        } else {
            assert!(api.0 == 200 || (api.0 == 503 && api.1.is_some()), "API read on a read-only SQLite: {api:?}");
        }
    }
    back();
    let t = Instant::now();
    while !client.get(format!("{}/readyz", backend.url())).send().is_ok_and(|r| r.status().is_success()) {
        assert!(t.elapsed() < Duration::from_secs(30), "the server did not become ready again without a restart");
        std::thread::sleep(Duration::from_millis(100));
    }
    let recovery = t.elapsed();
    std::thread::sleep(Duration::from_millis(800));
    let phones = load.finish();
    assert!(backend.is_running());
    let mut tally = Tally::default();
    for phone in &phones {
        phone.sync_until_done();
        tally.add(phone.compare_with(&staff));
    }
    println!(
        "outage ({engine}): {} probe rounds while away, slowest round {} ms, ready again {} ms after the database came back",
        answers.len(),
        slowest.as_millis(),
        recovery.as_millis()
    );
    tally.print_and_check(&format!("outage-{engine}"));
}

#[test]
fn postgres_stopped_and_started_answers_503_and_recovers() {
    let Some(server) = pg::server_url() else {
        println!("outage-postgres: skipped (MIMAMORI_TEST_POSTGRES_URL is not set)");
        return;
    };
    let url = pg::fresh_database(&server, "e2e_outage");
    let data = pg::psql(&server, "SHOW data_directory");
    // The server's log after the restart stays with its data (removed with it).
    let log = format!("{data}/../outage-restart.log");
    let bin = pg::psql(&server, "SELECT setting FROM pg_config WHERE name = 'BINDIR'");
    let pg_ctl = move |args: &[&str]| {
        Command::new("runuser")
            .args(["-u", "postgres", "--", &format!("{bin}/pg_ctl"), "-D", &data])
            .args(args)
            .stdout(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let s = scene(Some(&url), "PG");
    let start_args = ["start", "-w", "-t", "300", "-l", log.as_str()].map(str::to_owned);
    // Whatever happens, the shared test server runs again afterwards.
    let guard = StartAgain(Box::new({
        let pg_ctl = pg_ctl.clone();
        let args = start_args.clone();
        move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let _ = pg_ctl(&args);
        }
    }));
    let stop = pg_ctl.clone();
    outage(
        s,
        "postgres",
        move || {
            // A short shutdown: the dirty pages are written beforehand.
            pg::psql(&server, "CHECKPOINT");
            assert!(stop(&["stop", "-m", "fast", "-w", "-t", "300"]), "pg_ctl stop");
        },
        move || assert!(pg_ctl(&start_args.each_ref().map(String::as_str)), "pg_ctl start"),
    );
    std::mem::forget(guard);
}

/// Starts PostgreSQL again when a test ends before it did.
struct StartAgain(Box<dyn Fn()>);

impl Drop for StartAgain {
    fn drop(&mut self) {
        if std::thread::panicking() {
            (self.0)();
        }
    }
}

fn immutable(paths: &[&Path], on: bool) {
    for p in paths.iter().filter(|p| p.exists()) {
        let status = Command::new("chattr").arg(if on { "+i" } else { "-i" }).arg(p).status().expect("run chattr");
        assert!(status.success(), "chattr on {}", p.display());
    }
}

#[test]
fn sqlite_made_read_only_answers_503_and_recovers() {
    let s = scene(None, "SQ");
    let db = s.backend.db_path();
    let wal = db.with_extension("db-wal");
    let folder = db.parent().unwrap().to_owned();
    let files = Arc::new(Mutex::new(vec![db, wal, folder]));
    // Writable again however the test ends (a panic before `back` included).
    let _guard = Unfreeze(files.lock().unwrap().clone());
    let (a, b) = (files.clone(), files);
    outage(
        s,
        "sqlite",
        move || immutable(&a.lock().unwrap().iter().map(|p| p.as_path()).collect::<Vec<_>>(), true),
        move || immutable(&b.lock().unwrap().iter().map(|p| p.as_path()).collect::<Vec<_>>(), false),
    );
}

/// Makes the files writable again however the test ends (an immutable file would also
/// outlive the temporary folder).
struct Unfreeze(Vec<std::path::PathBuf>);

impl Drop for Unfreeze {
    fn drop(&mut self) {
        immutable(&self.0.iter().map(|p| p.as_path()).collect::<Vec<_>>(), false);
    }
}

/// A server killed with SIGKILL leaves its `-shm`; when that file cannot be written, a
/// new start must refuse with a log line naming it (mapping it would end in SIGBUS),
/// and start normally once it is writable again.
#[test]
fn sqlite_unwritable_shm_is_refused_at_start_with_a_log_line() {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut backend = Backend::start(&dir.path().join("server"));
    backend.create_centre("ひたき保健所", "011-999-0000", "J-SHM", "admin@shm.example.jp");
    backend.kill9();
    let shm = backend.db_path().with_extension("db-shm");
    assert!(shm.exists(), "SIGKILL leaves the -shm file");
    immutable(&[&shm], true);
    let guard = Unfreeze(vec![shm.clone()]);
    let mut child = Command::new(e2e::backend::binary())
        .arg("--database-url")
        .arg(backend.db_path())
        .args(["serve", "--listen", "127.0.0.1:0", "--mail-dir"])
        .arg(backend.mail_dir())
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start");
    let t = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(t.elapsed() < Duration::from_secs(20), "the server started on an unwritable -shm");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut log = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut log).expect("stderr");
    println!("shm: exit {status:?}, {} ms", t.elapsed().as_millis());
    assert_eq!(status.signal(), None, "the server died by a signal: {log}");
    assert!(!status.success());
    assert!(log.contains("-shm") && log.contains("cannot be"), "the log names the -shm file: {log}");
    drop(guard);
    backend.restart();
    assert!(http_client().get(format!("{}/readyz", backend.url())).send().unwrap().status().is_success());
}

/// A `-shm` that fails while the server runs (made immutable and its pages written
/// back, so the next write to the mapping faults): SQLite's mapped write is a SIGBUS.
/// The server must leave one line saying so and exit with status 74 rather than vanish
/// without a word; the reports it acknowledged before stay, the phone keeps the one it
/// could not send, and after a restart every report is on the server exactly once.
#[test]
fn sqlite_shm_failing_while_serving_ends_with_a_log_line_and_loses_nothing() {
    use std::os::unix::process::ExitStatusExt;
    let s = scene(None, "BUS");
    let Scene { _dir, mut backend, staff, phones } = s;
    let phone = &phones[0];
    phone.save(2, 1).expect("save");
    phone.sync_until_done();
    let shm = backend.db_path().with_extension("db-shm");
    assert!(shm.exists(), "a serving SQLite database in WAL mode has its -shm");
    immutable(&[&shm], true);
    let guard = Unfreeze(vec![shm.clone()]);
    // Write the mapped pages back: the kernel protects them again, and the next write
    // to the mapping asks the file system, which refuses an immutable file.
    assert!(Command::new("sync").arg(&shm).status().expect("run sync").success(), "sync the -shm");
    phone.save(1, 2).expect("save");
    let sent = phone.core.sync_now(mobile_core::Language::Ja);
    let status = backend.wait_exit(Duration::from_secs(20));
    let log = backend.log();
    println!("shm while serving: sync {sent:?}, exit {status:?}");
    let status = status.unwrap_or_else(|| panic!("the server kept running on a failed -shm (sync: {sent:?}); log: {log}"));
    assert_eq!(status.signal(), None, "the server died by a signal without a word: {log}");
    assert_eq!(status.code(), Some(74), "the documented exit status (EX_IOERR): {log}");
    assert!(log.contains("SIGBUS") && log.contains("-shm"), "the log says what happened: {log}");
    assert!(sent.is_err() || sent.as_ref().is_ok_and(|s| s.pending > 0), "nothing is acknowledged by a server that failed: {sent:?}");
    drop(guard);
    backend.restart();
    for phone in &phones {
        phone.sync_until_done();
    }
    let mut tally = e2e::Tally::default();
    for phone in &phones {
        tally.add(phone.compare_with(&staff));
    }
    println!("shm while serving: {tally:?}");
    assert_eq!((tally.saved_on_phones, tally.on_server, tally.lost, tally.duplicated), (2, 2, 0, 0));
}
