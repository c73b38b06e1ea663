//! Helpers of the automated-call tests: a controlled morning in Japan (the clock moved
//! to a given time of a day ahead), people observed by phone, the simulated provider
//! with a per-person script, and waiting until a round's calls have ended (after a
//! killed copy, past the stale-call time).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use super::common::{Staff, TestApp, case_body};
use axum::http::StatusCode;
use backend::call::provider::Dialer;
use backend::call::scheduler::Scheduler;
use backend::call::sim::{Behaviour, SimProvider};
use backend::call::store::DialTarget;
use backend::{AppState, Clock};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// `h:m` in Japan on `day`.
pub fn jst(day: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    day.and_hms_opt(h, m, 0).unwrap().and_local_timezone(backend::web::jst()).single().unwrap().to_utc()
}

/// A day in Japan that is still ahead (tomorrow), so the clock can be moved to any of
/// its hours.
pub fn ahead() -> NaiveDate {
    backend::web::today(Utc::now()) + Duration::days(1)
}

/// Moves the clock forward to `at` (never back).
pub fn set_clock(clock: &Clock, at: DateTime<Utc>) {
    let by = at - clock.now();
    assert!(by >= Duration::zero(), "the test clock only moves forward");
    clock.advance(by.to_std().unwrap());
}

/// Moves the clock forward to `at` and signs the staff member in again (a staff
/// session lasts 12 hours).
pub async fn move_to(app: &TestApp, staff: &mut Staff, at: DateTime<Utc>) {
    set_clock(&app.state.clock, at);
    staff.token = app.login_staff(&staff.email, super::common::PASSWORD).await;
}

/// A case under observation on `day`, observed by phone.
pub async fn phone_case(app: &TestApp, staff: &Staff, name: &str, phone: &str, day: NaiveDate) -> Value {
    let mut body = case_body(name, phone);
    body["period_start"] = json!((day - Duration::days(2)).to_string());
    body["period_end"] = json!((day + Duration::days(5)).to_string());
    body["observation"] = json!("phone");
    let r = app.post("/api/v1/cases", Some(&staff.token), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    r.body
}

/// Sets a centre's pace.
pub async fn pace(app: &TestApp, staff: &Staff, calls_per_sec: f64) {
    let r = app
        .send(TestApp::request(
            axum::http::Method::PUT,
            "/api/v1/call/settings",
            Some(&staff.token),
            Some(&json!({ "enabled": true, "first_at": "09:00", "retry_at": "10:00", "retry": true, "calls_per_sec": calls_per_sec })),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
}

/// A script by case id and round (1 or 2); anyone not in it answers as well.
pub type Plan = Arc<Mutex<HashMap<(i64, i64), Behaviour>>>;

/// The simulated provider following `plan`, quick.
pub fn sim(plan: Plan) -> Arc<SimProvider> {
    Arc::new(SimProvider::new(
        move |t: &DialTarget| {
            plan.lock().unwrap().get(&(t.case_id, t.round.number())).cloned().unwrap_or_else(|| Behaviour::Answer(backend::call::sim::keys("1", "365", [2; 9])))
        },
        std::time::Duration::from_millis(1),
    ))
}

/// A scheduler copy on `state` with the simulated provider.
pub fn copy(state: &AppState, sim: &Arc<SimProvider>) -> Scheduler {
    Scheduler::new(state.clone(), Dialer::Sim(sim.clone()))
}

/// The day's rounds as `{round: {status: n}}`.
pub async fn rounds(app: &TestApp, staff: &Staff) -> Value {
    let r = app.get("/api/v1/call/rounds", Some(&staff.token)).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body
}

/// Whether any attempt of the day is still open.
pub fn open(rounds: &Value) -> bool {
    rounds.as_array().unwrap().iter().any(|r| ["due", "claimed", "dialing", "ringing", "in_call"].iter().any(|s| r["statuses"].get(s).is_some()))
}

/// Ticks `copy` until every attempt of the day has ended (at most `secs` seconds).
pub async fn run_until_closed(app: &TestApp, staff: &Staff, copy: &Scheduler, secs: u64) -> Value {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        copy.tick().await.expect("tick");
        let r = rounds(app, staff).await;
        if !open(&r) {
            return r;
        }
        assert!(std::time::Instant::now() < until, "calls still open: {r}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Ticks `copy` until nothing is left to place and every placed call has ended; a call
/// left `dialing` by a killed copy may remain (it was never placed, or its request was
/// sent and its webhooks are late: nobody can tell). Returns the rounds.
pub async fn run_until_placed(app: &TestApp, staff: &Staff, copy: &Scheduler, secs: u64) -> Value {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    loop {
        copy.tick().await.expect("tick");
        let r = rounds(app, staff).await;
        let busy = r.as_array().unwrap().iter().any(|x| ["due", "claimed", "ringing", "in_call"].iter().any(|s| x["statuses"].get(s).is_some()));
        if !busy {
            return r;
        }
        assert!(std::time::Instant::now() < until, "calls still to place: {r}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// After a copy was killed: everyone else is called by `copy`, then the clock moves
/// past the stale-call time so a call the dead copy marked `dialing` and never placed
/// ends as failed (the retry calls that person). Returns the closed rounds.
pub async fn finish_after_a_kill(app: &TestApp, staff: &mut Staff, copy: &Scheduler) -> Value {
    run_until_placed(app, staff, copy, 60).await;
    let stale = Duration::from_std(app.state.config.call.stale_after).unwrap() + Duration::minutes(1);
    move_to(app, staff, app.state.clock.now() + stale).await;
    run_until_closed(app, staff, copy, 30).await
}

/// A round's count of `status`.
pub fn count(rounds: &Value, round: &str, status: &str) -> i64 {
    rounds.as_array().unwrap().iter().find(|r| r["round"] == round).and_then(|r| r["statuses"][status].as_i64()).unwrap_or(0)
}
