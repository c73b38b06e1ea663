//! Several server copies on one database behind HAProxy (round robin, health check on
//! `/readyz`, retries and redispatch). Phones save and sync through the balancer while
//! one copy after another is killed with SIGKILL and started again, and a staff member
//! keeps loading the today board through the balancer. Afterwards every report the
//! phones hold is on the server exactly once (counted through the API and as rows in
//! the database), and every page load was answered 200 (after the reloads a 503 with
//! `Retry-After` asks for: copies on one SQLite file may be busy on a loaded machine).
//!
//! The database is PostgreSQL when `MIMAMORI_TEST_POSTGRES_URL` is set (a fresh
//! database on that server), otherwise one SQLite file the copies share.
//! Knobs: `MIMAMORI_E2E_COPIES` (default 3), `MIMAMORI_E2E_COPY_KILLS` (default 6),
//! `MIMAMORI_E2E_COPY_PHONES` (default 6).

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use e2e::backend::{ADMIN_PASSWORD, Backend};
use e2e::balancer::Balancer;
use e2e::phone::{Load, Phone};
use e2e::staff::Staff;
use e2e::{Rng, Tally, days_ago, days_ahead, env_number, pg};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Rows in the `reports` table and distinct ids among them.
fn rows(url: &str) -> (usize, usize) {
    if url.starts_with("postgres") {
        let line = pg::psql(url, "SELECT count(*) || ' ' || count(DISTINCT id) FROM reports");
        let (a, b) = line.split_once(' ').expect("two numbers");
        (a.parse().unwrap(), b.parse().unwrap())
    } else {
        let c = rusqlite::Connection::open_with_flags(url, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
        c.query_row("SELECT count(*), count(DISTINCT id) FROM reports", [], |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize)))
            .expect("count")
    }
}

fn p95(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get((v.len() * 95 / 100).min(v.len().saturating_sub(1))).copied().unwrap_or_default()
}

#[test]
fn copies_behind_haproxy_lose_and_duplicate_nothing_while_killed() {
    let copies = env_number("MIMAMORI_E2E_COPIES", 3).max(2) as usize;
    let kills = env_number("MIMAMORI_E2E_COPY_KILLS", 6);
    let phones_n = env_number("MIMAMORI_E2E_COPY_PHONES", 6) as usize;
    let mut rng = Rng::from_env("copies");
    let dir = tempfile::tempdir().expect("tempdir");
    let (url, engine) = match pg::server_url() {
        Some(server) => (pg::fresh_database(&server, "e2e_copies"), "postgres"),
        None => (dir.path().join("shared.db").to_string_lossy().into_owned(), "sqlite"),
    };
    let mut servers: Vec<Backend> = Vec::new();
    for i in 0..copies {
        servers.push(Backend::start_on(&dir.path().join(format!("copy{i}")), &url, &[]));
    }
    servers[0].create_centre("かもめ保健所", "011-555-0000", "J-COPIES", "admin@copies.example.jp");
    let lb = Balancer::start(&dir.path().join("haproxy"), &servers.iter().map(Backend::port).collect::<Vec<_>>());
    let staff = Staff::login(&lb.url(), "admin@copies.example.jp", ADMIN_PASSWORD);

    // Register on the first copy (its mail folder holds the codes), then move to the
    // balancer.
    let mut phones = Vec::new();
    for i in 0..phones_n {
        let case = staff.create_case(60 + i, "infected", &days_ago(40), &days_ahead(5));
        let mut phone = Phone::open(dir.path().join(format!("phone-{i}.db")), &servers[0].url(), &format!("copy{i}@copies.example.jp"));
        phone.register(&servers[0], &case);
        phone.url = lb.url();
        phone.restart();
        phones.push(phone);
    }

    let stop = Arc::new(AtomicBool::new(false));
    let pages: Arc<Mutex<Vec<(u16, Duration)>>> = Arc::default();
    let board = {
        let (stop, pages, lb_url) = (stop.clone(), pages.clone(), lb.url());
        std::thread::spawn(move || {
            let staff = Staff::login(&lb_url, "admin@copies.example.jp", ADMIN_PASSWORD);
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                // A person at the board reloads when asked to wait (503 with Retry-After).
                let status = staff.page_retrying("/").map_or(0, |(s, _, _)| s);
                pages.lock().unwrap().push((status, t.elapsed()));
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    let load = Load::start(phones, 3, Duration::from_millis(30), false);

    for _ in 0..kills {
        std::thread::sleep(rng.millis(600, 1500));
        let k = rng.range(0, copies as u64) as usize;
        servers[k].kill9();
        std::thread::sleep(rng.millis(100, 800));
        servers[k].restart();
    }
    std::thread::sleep(Duration::from_millis(500));
    let phones = load.finish();
    stop.store(true, Ordering::Relaxed);
    board.join().expect("board thread");

    let mut tally = Tally::default();
    for phone in &phones {
        phone.sync_until_done();
        tally.add(phone.compare_with(&staff));
    }
    let (count, distinct) = rows(&url);
    let pages = pages.lock().unwrap().clone();
    let failed: Vec<u16> = pages.iter().map(|p| p.0).filter(|s| *s != 200).collect();
    println!(
        "copies ({engine}): {copies} copies, {kills} kills, reports synced = {count}, lost = {}, duplicated = {}, \
         staff page answers = {} ({} not 200), page p95 = {} ms",
        tally.lost,
        count - distinct,
        pages.len(),
        failed.len(),
        p95(pages.iter().map(|p| p.1).collect()).as_millis()
    );
    tally.print_and_check("copies");
    assert_eq!(count, distinct, "a report id is stored twice");
    assert_eq!(count, tally.saved_on_phones, "rows in the database differ from the reports the phones hold");
    assert!(count > 0 && kills == 0 || count > phones.len(), "the phones synced reports");
    assert!(!pages.is_empty());
    assert!(failed.is_empty(), "staff page answers that were not 200: {failed:?}");
}
