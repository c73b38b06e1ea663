//! Fault rounds against the real server process. Several phones save reports and sync
//! at the same time while the server is killed with SIGKILL at a random moment and
//! started again; phones are restarted at random too, and some syncs are stopped by a
//! cancel from another thread or a short time limit. Then a proxy swallows the
//! server's answers after its commit (the phone never hears), and the phone sends
//! again. At the end each phone syncs once more and the centre's API must show
//! exactly the phones' reports, each once, with the same advice.
//!
//! Rounds: `MIMAMORI_E2E_ROUNDS` (default 10; 50 or more for the long run).

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use e2e::backend::Backend;
use e2e::phone::Phone;
use e2e::proxy::Proxy;
use e2e::staff::Staff;
use e2e::{Rng, Tally, days_ago, days_ahead, env_number};
use mobile_core::{CoreError, Language, SyncCancel, SyncConfig};
use std::net::SocketAddr;

const PHONES: usize = 3;

#[test]
fn kill_9_during_uploads_loses_and_duplicates_nothing() {
    let rounds = env_number("MIMAMORI_E2E_ROUNDS", 10);
    let mut rng = Rng::from_env("kill-9");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut backend = Backend::start(&dir.path().join("server"));
    backend.create_centre("かもめ保健所", "03-9999-0000", "J-KILL", "admin@kill.example.jp");
    let staff = Staff::login(&backend.url(), "admin@kill.example.jp", e2e::backend::ADMIN_PASSWORD);

    let mut phones: Vec<Phone> = (0..PHONES)
        .map(|i| {
            let case = staff.create_case(10 + i, "infected", &days_ago(40), &days_ahead(5));
            let mut p = Phone::open(dir.path().join(format!("phone-{i}.db")), &backend.url(), &format!("p{i}@kill.example.jp"));
            p.register(&backend, &case);
            p
        })
        .collect();

    let mut saves = 0u64;
    let mut interrupted = 0u64;
    let mut stopped = 0u64;
    for round in 0..rounds {
        for p in &mut phones {
            // Small batches: many requests, many moments to be killed in.
            p.set_config(SyncConfig { batch_size: rng.range(1, 10) as u32, ..e2e::phone::QUICK });
            for _ in 0..rng.range(5, 40) {
                p.save(rng.range(0, 30), rng.next_u64()).expect("save");
                saves += 1;
            }
        }
        // Each phone syncs as the app does (to the end), as a background job the phone
        // cancels at a random moment, or with a short time limit.
        let mut cancels = Vec::new();
        let uploads: Vec<_> = phones
            .iter()
            .map(|p| {
                let core = p.core.clone();
                match rng.range(0, 3) {
                    0 => std::thread::spawn(move || core.sync_now(Language::Ja)),
                    1 => {
                        let cancel = SyncCancel::new();
                        cancels.push((cancel.clone(), rng.millis(0, 40)));
                        std::thread::spawn(move || core.sync_now_with(Some(cancel), None, Language::Ja))
                    }
                    _ => {
                        let limit = rng.range(0, 150);
                        std::thread::spawn(move || core.sync_now_with(None, Some(limit), Language::Ja))
                    }
                }
            })
            .collect();
        let firing = std::thread::spawn(move || {
            for (cancel, after) in cancels {
                std::thread::sleep(after);
                cancel.cancel();
            }
        });
        std::thread::sleep(rng.millis(0, 30));
        backend.kill9();
        firing.join().expect("cancel thread");
        for u in uploads {
            match u.join().expect("upload thread") {
                Ok(_) => {}
                Err(CoreError::Network { .. } | CoreError::Server { .. }) => interrupted += 1,
                Err(CoreError::Cancelled { .. }) => stopped += 1,
                Err(e) => panic!("round {round}: unexpected {e:?}"),
            }
        }
        // While the server is down the phones keep saving, and some apps restart.
        for p in &mut phones {
            p.save(rng.range(0, 3), rng.next_u64()).expect("save offline");
            saves += 1;
            if rng.chance(30) {
                p.restart();
            }
        }
        backend.restart();
    }

    let mut tally = Tally::default();
    for p in &phones {
        p.sync_until_done();
    }
    for p in &phones {
        tally.add(p.compare_with(&staff));
    }
    assert_eq!(tally.saved_on_phones as u64, saves);
    backend.kill9();
    assert_eq!(e2e::integrity_check(&backend.db_path()), "ok");
    tally.databases_checked += 1;
    println!("kill-9: {rounds} rounds, {PHONES} phones, {interrupted} uploads cut off by the kill, {stopped} stopped by a cancel or a time limit");
    tally.print_and_check("kill-9");
}

#[test]
fn answers_lost_after_the_commit_are_resent_without_duplicates() {
    let mut rng = Rng::from_env("lost-answers");
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = Backend::start(&dir.path().join("server"));
    backend.create_centre("ひばり保健所", "06-1111-2222", "J-PROXY", "admin@proxy.example.jp");
    let staff = Staff::login(&backend.url(), "admin@proxy.example.jp", e2e::backend::ADMIN_PASSWORD);
    let upstream: SocketAddr = format!("127.0.0.1:{}", backend.port()).parse().expect("addr");
    let proxy = Proxy::start(upstream);
    let case = staff.create_case(20, "awaiting_result", &days_ago(40), &days_ahead(5));
    let mut phone = Phone::open(dir.path().join("phone.db"), &proxy.url(), "lost@proxy.example.jp");
    phone.register(&backend, &case);

    let rounds = env_number("MIMAMORI_E2E_ROUNDS", 10).min(20);
    for round in 0..rounds {
        phone.set_config(SyncConfig { batch_size: rng.range(1, 30) as u32, max_attempts: 2, base_delay_ms: 10, max_delay_ms: 50 });
        let n = rng.range(1, 25);
        for _ in 0..n {
            phone.save(rng.range(0, 30), rng.next_u64()).expect("save");
        }
        let before = staff.reports(case.id).len();
        proxy.set_drop_answers(true);
        let lost = phone.core.sync_now(Language::Ja);
        assert!(matches!(lost, Err(CoreError::Network { .. })), "round {round}: {lost:?}");
        proxy.set_drop_answers(false);
        // The server committed the first batch; the phone does not know.
        let pending = phone.core.sync_status().expect("status").pending;
        assert_eq!(pending, n, "round {round}: nothing was confirmed to the phone");
        assert!(staff.reports(case.id).len() > before, "round {round}: the server committed");
        if rng.chance(50) {
            phone.restart();
        }
        phone.sync_until_done();
        assert_eq!(staff.reports(case.id).len(), before + n as usize, "round {round}: each report once");
    }
    let swallowed = proxy.dropped();
    assert!(swallowed as u64 >= rounds);
    let mut tally = phone.compare_with(&staff);
    drop(proxy);
    drop(backend);
    assert_eq!(e2e::integrity_check(&dir.path().join("server/server.db")), "ok");
    tally.databases_checked += 1;
    println!("lost-answers: {rounds} rounds, {swallowed} answers swallowed after the server's commit");
    tally.print_and_check("lost-answers");
}
