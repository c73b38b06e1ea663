//! Upkeep deletes what has expired and nothing else: staff sessions after their 12
//! hours, registration requests (each holding an e-mail address) after a day, while a
//! patient's 180-day session keeps working. The clock is moved, not waited for.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn upkeep_deletes_expired_sessions_and_old_registration_requests_only() {
    let t = TestApp::new().await;
    let staff = t.centre("k").await;
    let case = t.case(&staff, "期限 太郎", "09044445555").await;
    let patient = t.register(&case, "kigen@example.jp").await;
    let r = t.post("/api/v1/registrations", None, json!({ "email": "abandoned@example.jp" })).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);

    assert_eq!(backend::upkeep::run_once(&t.state).await.unwrap(), (0, 0), "nothing has expired yet");
    t.state.clock.advance(Duration::from_secs(13 * 3600));
    assert_eq!(backend::upkeep::run_once(&t.state).await.unwrap(), (1, 0), "the staff session is over, the requests are hours old");
    assert_eq!(t.get("/api/v1/staff/me", Some(&staff.token)).await.status, StatusCode::UNAUTHORIZED);
    t.state.clock.advance(Duration::from_secs(12 * 3600));
    assert_eq!(backend::upkeep::run_once(&t.state).await.unwrap(), (0, 2), "the finished and the abandoned request");
    assert_eq!(backend::upkeep::run_once(&t.state).await.unwrap(), (0, 0));
    assert_eq!(t.get("/api/v1/profile", Some(&patient)).await.status, StatusCode::OK, "the patient's session lives on");
}
