//! `backup` and `restore` from outside. Phones save and sync under load while
//! `mimamori-backend backup` copies the running server's database (SQLite: the online
//! backup API from a separate process; PostgreSQL: pg_dump); the backup is restored
//! with `restore` into a fresh database, which holds every report the phones had seen
//! acknowledged before the backup started, and a server started on it serves them.
//! A restore over an existing database is refused and changes nothing.
//!
//! PostgreSQL when `MIMAMORI_TEST_POSTGRES_URL` is set, otherwise SQLite.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use e2e::backend::{ADMIN_PASSWORD, Backend, command_on};
use e2e::phone::{Load, Phone};
use e2e::staff::Staff;
use e2e::{days_ago, days_ahead, integrity_check, pg};
use std::collections::HashSet;
use std::time::Duration;

const PHONES: usize = 4;

/// Every report id in the database at `url`, as the phone writes it (UUID text).
fn stored_ids(url: &str) -> HashSet<String> {
    if url.starts_with("postgres") {
        pg::psql(url, "SELECT id::text FROM reports").lines().map(str::to_owned).collect()
    } else {
        let c = rusqlite::Connection::open_with_flags(url, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
        let mut st = c.prepare("SELECT lower(hex(id)) FROM reports").expect("prepare");
        st.query_map([], |r| r.get::<_, String>(0)).expect("query").map(|h| h.expect("id")).collect()
    }
}

fn plain(id: &str) -> String {
    id.replace('-', "").to_lowercase()
}

#[test]
fn a_backup_taken_under_load_restores_every_acknowledged_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (url, restored, file, engine) = match pg::server_url() {
        Some(server) => (
            pg::fresh_database(&server, "e2e_backup"),
            pg::fresh_database(&server, "e2e_restored"),
            dir.path().join("backup.dump"),
            "postgres",
        ),
        None => (
            dir.path().join("live.db").to_string_lossy().into_owned(),
            dir.path().join("restored/server.db").to_string_lossy().into_owned(),
            dir.path().join("backup.db"),
            "sqlite",
        ),
    };
    let backend = Backend::start_on(&dir.path().join("live"), &url, &[]);
    backend.create_centre("ひばり保健所", "011-777-0000", "J-BACKUP", "admin@backup.example.jp");
    let staff = Staff::login(&backend.url(), "admin@backup.example.jp", ADMIN_PASSWORD);
    let mut phones = Vec::new();
    for i in 0..PHONES {
        let case = staff.create_case(80 + i, "infected", &days_ago(40), &days_ahead(5));
        let mut phone = Phone::open(dir.path().join(format!("phone-{i}.db")), &backend.url(), &format!("bk{i}@backup.example.jp"));
        phone.register(&backend, &case);
        phones.push(phone);
    }

    // Load: each phone saves and syncs; after a sync that left nothing pending, every
    // report it holds is acknowledged.
    let load = Load::start(phones, 4, Duration::ZERO, true);
    std::thread::sleep(Duration::from_secs(2));
    let before: HashSet<String> = load.acknowledged();
    let out = backend.try_command(&["backup", "--to", file.to_str().unwrap()]);
    assert!(out.status.success(), "backup failed: {}", String::from_utf8_lossy(&out.stderr));
    std::thread::sleep(Duration::from_millis(500));
    let phones = load.finish();
    let live_total = stored_ids(&url).len();

    // A restore over a database in use is refused and changes nothing.
    let refused = command_on(&url, &["restore", "--from", file.to_str().unwrap()]);
    assert!(!refused.status.success(), "restore over the live database must be refused");
    assert_eq!(stored_ids(&url).len(), live_total, "a refused restore changed the live database");

    let out = command_on(&restored, &["restore", "--from", file.to_str().unwrap()]);
    assert!(out.status.success(), "restore failed: {}", String::from_utf8_lossy(&out.stderr));
    if engine == "sqlite" {
        assert_eq!(integrity_check(std::path::Path::new(&restored)), "ok");
    }
    let in_backup = stored_ids(&restored);
    let missing = before.iter().filter(|id| !in_backup.contains(&plain(id)) && !in_backup.contains(*id)).count();
    println!(
        "backup ({engine}): {} reports acknowledged before the backup, {} in the restored database, {} in the live one at the end, missing = {missing}",
        before.len(),
        in_backup.len(),
        live_total
    );
    assert!(!before.is_empty(), "phones had reports acknowledged before the backup");
    assert_eq!(missing, 0, "acknowledged reports are missing from the restored backup");
    assert!(in_backup.len() <= live_total);

    // A server on the restored database serves them.
    drop(backend);
    let second = Backend::start_on(&dir.path().join("restored-server"), &restored, &[]);
    let staff = Staff::login(&second.url(), "admin@backup.example.jp", ADMIN_PASSWORD);
    let mut served = 0;
    for phone in &phones {
        let ids: HashSet<String> = staff.reports(phone.case.as_ref().unwrap().id).into_iter().map(|r| r.id).collect();
        let local: HashSet<String> = phone.local_reports().into_keys().collect();
        for id in before.intersection(&local) {
            assert!(ids.contains(id), "the restored server does not serve report {id}");
            served += 1;
        }
    }
    assert_eq!(served, before.len());
}
