//! A sync the phone stops, against the real server process behind a proxy that stalls.
//! With a time limit the call returns within the limit plus a small margin although the
//! server never answers (the proxy holds the requests, or forwards them and holds the
//! answers after the server committed); a cancel from another thread returns promptly;
//! and a later normal sync sends everything exactly once: the centre's API shows each
//! report once and the phone's queue is empty.
//!
//! Margins are generous (the limit + 2 s) so a busy 2-core machine cannot fail them;
//! each test prints what it measured.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use e2e::backend::Backend;
use e2e::phone::{Phone, QUICK};
use e2e::proxy::{Hold, Proxy};
use e2e::staff::{Case, Staff};
use e2e::{days_ago, days_ahead};
use mobile_core::{CoreError, Language, SyncCancel, SyncConfig};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

const MARGIN: Duration = Duration::from_secs(2);

/// A server, a proxy in front of it, and a registered phone that talks to the proxy.
struct World {
    _dir: tempfile::TempDir,
    _backend: Backend,
    staff: Staff,
    proxy: Proxy,
    phone: Phone,
    case: Case,
}

fn world(name: &str) -> World {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = Backend::start(&dir.path().join("server"));
    let admin = format!("admin@{name}.example.jp");
    backend.create_centre("つばめ保健所", "045-111-2222", &format!("J-{}", name.to_uppercase()), &admin);
    let staff = Staff::login(&backend.url(), &admin, e2e::backend::ADMIN_PASSWORD);
    let upstream: SocketAddr = format!("127.0.0.1:{}", backend.port()).parse().expect("addr");
    let proxy = Proxy::start(upstream);
    let case = staff.create_case(30, "infected", &days_ago(40), &days_ahead(5));
    let mut phone = Phone::open(dir.path().join("phone.db"), &proxy.url(), &format!("{name}@stop.example.jp"));
    phone.register(&backend, &case);
    World { _dir: dir, _backend: backend, staff, proxy, phone, case }
}

impl World {
    fn save(&self, n: u64) {
        for i in 0..n {
            self.phone.save(i % 30, i * 7 + 3).expect("save");
        }
    }

    /// A normal sync sends the rest; each report is on the server once.
    fn finish(&self, name: &str, saved: u64) {
        self.proxy.set_hold(Hold::Nothing);
        let status = self.phone.core.sync_now(Language::Ja).expect("a normal sync after the stops");
        assert_eq!((status.pending, status.failed), (0, 0), "the phone's queue is empty");
        assert_eq!(self.staff.reports(self.case.id).len() as u64, saved, "each report once on the server");
        let tally = self.phone.compare_with(&self.staff);
        tally.print_and_check(name);
    }
}

/// Runs `sync_now_with` and returns its result and how long it took.
fn timed(phone: &Phone, cancel: Option<std::sync::Arc<SyncCancel>>, limit_ms: Option<u64>) -> (Result<u64, CoreError>, Duration) {
    let start = Instant::now();
    let result = phone.core.sync_now_with(cancel, limit_ms, Language::En).map(|s| s.pending);
    (result, start.elapsed())
}

#[test]
fn a_time_limit_ends_a_sync_against_a_stalled_server_and_nothing_is_lost() {
    let w = world("deadline");
    w.phone.core.set_sync_config(SyncConfig { batch_size: 5, max_attempts: 5, ..QUICK });
    w.save(20);

    // The server commits the first batch; its answer never comes.
    w.proxy.set_hold(Hold::Answers);
    let limit = Duration::from_millis(1500);
    let (result, took) = timed(&w.phone, None, Some(1500));
    println!("deadline: answers held, limit {limit:?}, returned after {took:?}");
    assert!(matches!(result, Err(CoreError::Cancelled { .. })), "{result:?}");
    assert!(took < limit + MARGIN, "returned after {took:?}");
    assert_eq!(w.staff.reports(w.case.id).len(), 5, "the server committed the first batch");
    assert_eq!(w.phone.core.sync_status().unwrap().pending, 20, "the phone never heard: all stay queued");
    assert_eq!(w.phone.core.sync_status().unwrap().last_error, None, "a stop is not a sync error");

    // The server never sees the requests.
    w.proxy.set_hold(Hold::Requests);
    let limit = Duration::from_millis(1000);
    let (result, took) = timed(&w.phone, None, Some(1000));
    println!("deadline: requests held, limit {limit:?}, returned after {took:?}");
    assert!(matches!(result, Err(CoreError::Cancelled { .. })), "{result:?}");
    assert!(took < limit + MARGIN, "returned after {took:?}");
    assert!(w.proxy.held() >= 2);
    w.finish("deadline", 20);
}

#[test]
fn a_cancel_from_another_thread_returns_promptly_and_a_later_sync_sends_each_report_once() {
    let w = world("cancel");
    // A shell's background sync: short request time limits, long backoffs.
    w.phone.core.set_request_timeout_ms(1000);
    w.phone.core.set_sync_config(SyncConfig { batch_size: 4, max_attempts: 50, base_delay_ms: 2_000, max_delay_ms: 20_000 });
    w.save(12);
    w.phone.core.sync_now_with(None, Some(60_000), Language::Ja).expect("a first sync goes through");
    w.save(12);

    for (round, hold) in [Hold::Requests, Hold::Answers, Hold::Requests].into_iter().enumerate() {
        w.proxy.set_hold(hold);
        let cancel = SyncCancel::new();
        let firing = {
            let cancel = cancel.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(1500));
                cancel.cancel();
                Instant::now()
            })
        };
        let (result, took) = timed(&w.phone, Some(cancel), None);
        let cancelled_at = firing.join().unwrap();
        let after_cancel = cancelled_at.elapsed();
        println!("cancel {round} ({hold:?}): returned {after_cancel:?} after the cancel, {took:?} in all");
        assert!(matches!(result, Err(CoreError::Cancelled { .. })), "{result:?}");
        // At worst the cancel meets a request just handed to the transport: its time
        // limit (1 s), then the call returns.
        assert!(after_cancel < Duration::from_millis(1000) + MARGIN, "{after_cancel:?} after the cancel");
    }
    w.finish("cancel", 24);
}
