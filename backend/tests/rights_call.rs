//! A suspended case is not called: at 9:00 with a controlled clock, of two people
//! observed by phone, only the one whose data is in use is called; the suspended
//! person's case, enrolment and reports stay.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod call_support;
mod common;

use axum::http::StatusCode;
use backend::call::sim::Behaviour;
use call_support::*;
use common::TestApp;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn the_automated_call_leaves_a_suspended_case_out() {
    let app = TestApp::new().await;
    let mut staff = app.centre("callstop").await;
    let day = ahead();
    pace(&app, &staff, 50.0).await;
    let kept = phone_case(&app, &staff, "架電 続く", "09020000001", day).await;
    let stopped = phone_case(&app, &staff, "架電 停止", "09020000002", day).await;
    let patient = app.register(&stopped, "teishi@example.jp").await;
    let r = app.post("/api/v1/rights/requests", Some(&patient), json!({ "kind": "suspension" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let me = app.sign_in(&staff.email, common::PASSWORD).await;
    let r = app.submit(&me, &format!("/rights/{id}/answer"), &[("action", "suspended")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);

    let plan: Plan = Arc::new(Mutex::new(HashMap::from([((kept["id"].as_i64().unwrap(), 1), Behaviour::NoAnswer), ((kept["id"].as_i64().unwrap(), 2), Behaviour::NoAnswer)])));
    let sim = sim(plan);
    let sched = copy(&app.state, &sim);
    move_to(&app, &mut staff, jst(day, 9, 0)).await;
    let first = run_until_closed(&app, &staff, &sched, 30).await;
    assert_eq!(count(&first, "first", "no_answer"), 1, "{first}");
    assert_eq!(sim.placed().len(), 1, "only the case in use is called");
    let calls = app.get(&format!("/api/v1/cases/{}/calls", stopped["id"]), Some(&staff.token)).await;
    assert_eq!(calls.body.as_array().map(Vec::len), Some(0), "{:?}", calls.body);
    // The call-back list after the last round does not name the suspended person.
    move_to(&app, &mut staff, jst(day, 10, 0)).await;
    run_until_closed(&app, &staff, &sched, 30).await;
    let callbacks = app.get("/api/v1/call/callbacks", Some(&staff.token)).await.body.to_string();
    assert!(callbacks.contains("架電 続く") && !callbacks.contains("架電 停止"), "{callbacks}");
    // The case is kept and readable by its centre.
    assert_eq!(app.get(&format!("/api/v1/cases/{}", stopped["id"]), Some(&staff.token)).await.status, StatusCode::OK);
}
