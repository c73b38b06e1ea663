//! SIGKILL in the middle of saving. A child process (this test binary run again with
//! `MIMAMORI_E2E_CHILD_DB` set) saves reports as fast as it can and prints each id
//! after `save_report` returned; the parent kills it with SIGKILL at a random moment,
//! reopens the database and checks that it opens, passes `integrity_check`, holds
//! every acknowledged report and has each report's outbox row. Finally each database
//! is registered with the real server and synced: the server must hold exactly what
//! the phones hold.
//!
//! Kills: `MIMAMORI_E2E_CRASHES` (default 30; 200 or more for the long run).

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use e2e::backend::Backend;
use e2e::phone::Phone;
use e2e::staff::Staff;
use e2e::{Rng, Tally, days_ago, days_ahead, env_number, integrity_check};
use mobile_core::{AnswerChoice, Language, MimamoriCore, PersonKind, ReportInput};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const CHILD_ENV: &str = "MIMAMORI_E2E_CHILD_DB";
const DATABASES: usize = 4;

/// The child's work: save until killed. As a normal test (no variable set) it does
/// nothing.
#[test]
fn child_saves_until_killed() {
    let Ok(path) = std::env::var(CHILD_ENV) else { return };
    let core = MimamoriCore::open(path).expect("open");
    println!("READY");
    for i in 0..1_000_000u64 {
        let input = ReportInput {
            person_id: "self".into(),
            local_date: Some(days_ago(i % 30)),
            kind: PersonKind::Infected,
            temperature: format!("3{}.{}", 5 + i % 4, i % 10),
            answers: vec![Some(AnswerChoice::No); 9],
        };
        let saved = core.save_report(input, Language::Ja).expect("save");
        println!("SAVED {}", saved.report_id);
    }
}

/// Runs one child on `db` and kills it after `wait`; returns the ids it acknowledged.
fn run_child(db: &Path, wait: Option<Duration>) -> Vec<String> {
    let exe = std::env::current_exe().expect("test binary");
    let mut child = Command::new(exe)
        .args(["child_saves_until_killed", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, db)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the child");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    if let Some(wait) = wait {
        // Wait for the child to have opened its database (libtest may print the test's
        // name on the same line), then let it save a while.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while let Ok(line) = rx.recv_timeout(Duration::from_secs(20)) {
            let ready = line.ends_with("READY");
            lines.push(line);
            if ready || std::time::Instant::now() > deadline {
                break;
            }
        }
        std::thread::sleep(wait);
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("reap");
    reader.join().expect("reader");
    lines.extend(rx.try_iter());
    lines.iter().filter_map(|l| l.strip_prefix("SAVED ")).map(str::to_owned).collect()
}

fn ids_and_outbox(db: &Path) -> (HashSet<String>, i64) {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut st = conn.prepare("SELECT id FROM reports").expect("prepare");
    let ids = st.query_map([], |r| r.get(0)).expect("query").collect::<rusqlite::Result<_>>().expect("ids");
    let queued: i64 = conn.query_row("SELECT count(*) FROM outbox", [], |r| r.get(0)).expect("outbox");
    (ids, queued)
}

#[test]
fn sigkill_mid_save_keeps_every_acknowledged_report() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let crashes = env_number("MIMAMORI_E2E_CRASHES", 30);
    let mut rng = Rng::from_env("sigkill");
    let dir = tempfile::tempdir().expect("tempdir");
    let dbs: Vec<_> = (0..DATABASES).map(|i| dir.path().join(format!("phone-{i}.db"))).collect();
    let mut acknowledged: Vec<HashSet<String>> = vec![HashSet::new(); DATABASES];
    let mut checks = 0;
    for round in 0..crashes {
        let k = (round as usize) % DATABASES;
        // Now and then the kill comes before the database is even open.
        let wait = if rng.chance(10) { None } else { Some(rng.millis(0, 60)) };
        acknowledged[k].extend(run_child(&dbs[k], wait));
        if !dbs[k].exists() {
            continue;
        }
        drop(MimamoriCore::open(dbs[k].to_string_lossy().into_owned()).expect("reopens after SIGKILL"));
        assert_eq!(integrity_check(&dbs[k]), "ok", "round {round}");
        checks += 1;
        let (ids, queued) = ids_and_outbox(&dbs[k]);
        let missing = acknowledged[k].difference(&ids).count();
        assert_eq!(missing, 0, "round {round}: {missing} acknowledged reports are gone");
        assert_eq!(queued as usize, ids.len(), "round {round}: every report keeps its outbox row");
    }
    let total: usize = acknowledged.iter().map(HashSet::len).sum();
    println!("sigkill: {crashes} kills, {total} saves acknowledged before a kill, {checks} integrity checks after kills");
    assert!(total > 0, "the children saved something");

    // Each phone registers and sends what it kept.
    let backend = Backend::start(&dir.path().join("server"));
    backend.create_centre("つばめ保健所", "011-222-3333", "J-CRASH", "admin@crash.example.jp");
    let staff = Staff::login(&backend.url(), "admin@crash.example.jp", e2e::backend::ADMIN_PASSWORD);
    let mut tally = Tally::default();
    for (i, db) in dbs.iter().enumerate() {
        let case = staff.create_case(30 + i, "infected", &days_ago(40), &days_ahead(5));
        let mut phone = Phone::open(db.clone(), &backend.url(), &format!("crash{i}@crash.example.jp"));
        phone.register(&backend, &case);
        phone.sync_until_done();
        let t = phone.compare_with(&staff);
        assert!(t.saved_on_phones >= acknowledged[i].len());
        tally.add(t);
    }
    drop(backend);
    assert_eq!(integrity_check(&dir.path().join("server/server.db")), "ok");
    tally.databases_checked += 1;
    tally.print_and_check("sigkill");
}
