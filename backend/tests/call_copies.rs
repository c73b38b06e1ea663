//! Two server copies on one database (PostgreSQL when `MIMAMORI_TEST_POSTGRES_URL` is
//! set; on SQLite the file's one writer serialises them) run the same round: everyone
//! enrolled is called exactly once; one copy killed mid-round leaves its unplaced
//! claims to the other, which finishes the round. Each copy has its own state, report
//! writer and scheduler name; they share the connection pool of one process, so each
//! claim is still its own transaction competing for the rows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod call_support;
mod common;

use backend::AppState;
use call_support::*;
use common::TestApp;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

fn second_copy(app: &TestApp) -> AppState {
    AppState::new(app.db.clone(), app.state.config.clone(), app.state.clock.clone()).expect("state")
}

async fn morning(n: usize, rate: f64) -> (TestApp, common::Staff, chrono::NaiveDate) {
    let app = TestApp::new().await;
    let mut staff = app.centre("copies").await;
    let day = ahead();
    pace(&app, &staff, rate).await;
    for i in 0..n {
        phone_case(&app, &staff, &format!("複製 {i}"), &format!("070{:08}", i), day).await;
    }
    move_to(&app, &mut staff, jst(day, 9, 0)).await;
    (app, staff, day)
}

#[tokio::test]
async fn two_copies_call_everyone_exactly_once() {
    let (app, staff, _) = morning(120, 200.0).await;
    let other = second_copy(&app);
    let sim = sim(Arc::new(Mutex::new(HashMap::new())));
    let (a, b) = (copy(&app.state, &sim), copy(&other, &sim));
    let run = |s: backend::call::scheduler::Scheduler| async move {
        for _ in 0..40 {
            s.tick().await.expect("tick");
        }
    };
    let (ra, rb) = tokio::join!(tokio::spawn(run(a)), tokio::spawn(run(b)));
    ra.unwrap();
    rb.unwrap();
    let r = run_until_closed(&app, &staff, &copy(&app.state, &sim), 30).await;
    let placed = sim.placed();
    assert_eq!(placed.len(), 120, "{r}");
    assert!(placed.values().all(|n| *n == 1), "{placed:?}");
    assert_eq!(count(&r, "first", "completed"), 120, "{r}");
}

#[tokio::test]
async fn a_killed_copy_leaves_its_round_to_the_other() {
    let (app, mut staff, day) = morning(60, 20.0).await;
    let other = second_copy(&app);
    let sim = sim(Arc::new(Mutex::new(HashMap::new())));
    let doomed = copy(&other, &sim);
    let task = tokio::spawn(async move {
        loop {
            doomed.tick().await.expect("tick");
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    task.abort();
    let _ = task.await;
    let before = sim.placed().len();
    assert!(before > 0 && before < 60, "{before}");
    // The survivor takes over once the dead copy's lease has run out.
    move_to(&app, &mut staff, jst(day, 9, 5)).await;
    let r = finish_after_a_kill(&app, &mut staff, &copy(&app.state, &sim)).await;
    let placed = sim.placed();
    assert!(placed.values().all(|n| *n == 1), "{placed:?}");
    let failed = count(&r, "first", "failed");
    assert!(failed <= 1, "at most the slice being placed at the kill is lost: {r}");
    assert_eq!(placed.len() as i64 + failed, 60, "{r}");
}
