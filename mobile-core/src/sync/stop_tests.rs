//! Unit tests of stopping a sync against the in-memory server: a cancel from another
//! thread cuts a backoff wait short, a deadline bounds each request's time limit and
//! the whole call when the server stalls, answers already on their way are applied
//! before the call stops (nothing committed is forgotten), a stopped sync waiting for
//! another one gives up at once, and the next normal sync sends the rest exactly once.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use super::fake::{FakeServer, Fault};
use super::tests::{FAST, Phone};
use crate::api_sync_stop::SyncCancel;
use crate::error::CoreError;
use crate::types::{Language, SyncConfig};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Cancels `cancel` after `after`, from another thread.
fn cancel_later(cancel: &Arc<SyncCancel>, after: Duration) -> std::thread::JoinHandle<()> {
    let cancel = cancel.clone();
    std::thread::spawn(move || {
        std::thread::sleep(after);
        cancel.cancel();
    })
}

#[test]
fn a_cancel_cuts_a_backoff_wait_short_and_keeps_the_reports() {
    let p = Phone::new(FakeServer::new("t0"));
    p.core.set_sync_config(SyncConfig { max_attempts: 10, base_delay_ms: 20_000, max_delay_ms: 20_000, ..FAST });
    p.save("36.5", 0);
    p.save("37.0", 1);
    p.server.push_faults(&[Fault::Unavailable; 10]);
    let cancel = SyncCancel::new();
    let firing = cancel_later(&cancel, Duration::from_millis(150));
    let start = Instant::now();
    let result = p.core.sync_now_with(Some(cancel.clone()), None, Language::En);
    let took = start.elapsed();
    firing.join().unwrap();
    assert!(matches!(result, Err(CoreError::Cancelled { ref reason }) if reason.contains("next sync")), "{result:?}");
    assert!(took < Duration::from_secs(3), "returned after {took:?}");
    let status = p.core.sync_status().unwrap();
    assert_eq!((status.pending, status.last_error), (2, None), "a stop is not a sync error");
    assert!(cancel.is_cancelled());

    // The same handle stops any later sync before it sends anything.
    let calls = p.server.state().batch_calls;
    assert!(matches!(p.core.sync_now_with(Some(cancel), None, Language::Ja), Err(CoreError::Cancelled { .. })));
    assert_eq!(p.server.state().batch_calls, calls);

    p.server.state().faults.clear();
    assert_eq!(p.sync().unwrap().pending, 0);
    assert_eq!(p.server.state().order.len(), 2);
}

#[test]
fn a_deadline_bounds_each_request_when_the_server_stalls() {
    let p = Phone::new(FakeServer::new("t0"));
    p.core.set_sync_config(SyncConfig { max_attempts: 10, base_delay_ms: 0, ..FAST });
    p.save("36.5", 0);
    p.server.push_faults(&[Fault::Stall; 10]);
    let start = Instant::now();
    let result = p.core.sync_now_with(None, Some(700), Language::En);
    let took = start.elapsed();
    assert!(matches!(result, Err(CoreError::Cancelled { .. })), "{result:?}");
    assert!(took < Duration::from_millis(700) + Duration::from_secs(1), "returned after {took:?}");
    let timeouts = p.server.state().batch_timeouts.clone();
    assert!(!timeouts.is_empty());
    assert!(timeouts.iter().all(|t| *t <= Duration::from_millis(700)), "{timeouts:?}");
    assert_eq!(p.core.sync_status().unwrap().pending, 1);
    p.server.state().faults.clear();
    assert_eq!(p.sync().unwrap().pending, 0);
    assert_eq!(p.server.state().order.len(), 1);
}

#[test]
fn answers_in_flight_are_applied_before_the_sync_stops() {
    let mut server = FakeServer::new("t0");
    server.latency = Duration::from_millis(100);
    let p = Phone::new(server);
    p.core.set_sync_config(SyncConfig { batch_size: 1, ..FAST });
    let ids: Vec<String> = (0..10).map(|d| p.save("36.5", d)).collect();
    let cancel = SyncCancel::new();
    let firing = cancel_later(&cancel, Duration::from_millis(250));
    let result = p.core.sync_now_with(Some(cancel), None, Language::Ja);
    firing.join().unwrap();
    assert!(matches!(result, Err(CoreError::Cancelled { .. })), "{result:?}");
    let committed = p.server.state().order.len() as u64;
    assert!((1..10).contains(&committed), "{committed} of 10 sent before the cancel");
    assert_eq!(p.core.sync_status().unwrap().pending, 10 - committed, "every committed answer was applied");
    assert_eq!(p.sync().unwrap().pending, 0);
    let s = p.server.state();
    assert_eq!(s.order, ids, "each report once, in order");
    assert_eq!(s.batch_calls, 10, "nothing was sent twice");
}

#[test]
fn a_stopped_sync_does_not_wait_for_another_one() {
    let mut server = FakeServer::new("t0");
    server.latency = Duration::from_millis(400);
    let p = Phone::new(server);
    p.save("36.5", 0);
    let first = {
        let core = Arc::clone(&p.core);
        std::thread::spawn(move || core.sync_now(Language::Ja))
    };
    std::thread::sleep(Duration::from_millis(50));
    let start = Instant::now();
    let cancel = SyncCancel::new();
    let firing = cancel_later(&cancel, Duration::from_millis(50));
    let second = p.core.sync_now_with(Some(cancel), None, Language::Ja);
    assert!(matches!(second, Err(CoreError::Cancelled { .. })), "{second:?}");
    assert!(start.elapsed() < Duration::from_millis(300), "{:?}", start.elapsed());
    firing.join().unwrap();
    assert_eq!(first.join().unwrap().unwrap().pending, 0);
    assert!(matches!(p.core.sync_now_with(None, Some(0), Language::Ja), Ok(s) if s.pending == 0), "nothing left: a status");
}
