//! Retention with a controlled clock: a case's personal data is removed once its
//! observation ended more than `--retention-days` ago — not a day earlier, and a case
//! still within the period is untouched; each run records one row with counts only;
//! the statistics' kept counts are the same after as before.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use backend::stats::store;
use common::*;
use serde_json::json;
use std::time::Duration;

const DAY: Duration = Duration::from_secs(86_400);

#[tokio::test]
async fn personal_data_goes_after_the_retention_days_and_the_statistics_keep_their_counts() {
    let t = TestApp::with(|c| c.retention_days = 30).await;
    let a = t.centre("ret").await;
    // Observed from yesterday until eight days on; a report today.
    let old = t.current_case(&a, "保存 一郎", "09033330001").await;
    let patient = t.register(&old, "hozon@example.jp").await;
    t.sync_on(&patient, today(), 379, WELL).await;
    let r = t.post("/api/v1/rights/requests", Some(&patient), json!({ "kind": "correction", "item": "phone", "value": "09033330009" })).await;
    assert_eq!(r.status, StatusCode::CREATED);
    // Another case observed much longer stays.
    let mut body = case_body("保存 二郎", "09033330002");
    body["period_start"] = json!((today() - chrono::Duration::days(1)).to_string());
    body["period_end"] = json!((today() + chrono::Duration::days(50)).to_string());
    let long = t.post("/api/v1/cases", Some(&a.token), body).await;
    assert_eq!(long.status, StatusCode::CREATED, "{:?}", long.body);
    let long = long.body;

    // The statistics of today, kept as the first request after the day would keep them.
    let day = today();
    store::save_day(&t.db, day, store::compute_day(&t.db, day).await.unwrap(), t.state.clock.now()).await.unwrap();
    let kept = store::groups(&t.db, day, day, Some(a.centre_id)).await.unwrap();
    assert_eq!(kept.iter().map(|g| (g.3, g.4)).fold((0, 0), |s, g| (s.0 + g.0, s.1 + g.1)), (2, 1), "two observed, one reported: {kept:?}");

    let erased = backend::rights::retention::run_once(&t.state).await.unwrap();
    assert_eq!((erased.cases, erased.reports), (0, 0));
    // Observation ends in 8 days; 30 days after that, on day 39, it is still kept.
    t.state.clock.advance(DAY * 38);
    assert_eq!(backend::rights::retention::run_once(&t.state).await.unwrap().cases, 0, "not a day early");
    t.state.clock.advance(DAY);
    // Upkeep runs it.
    backend::upkeep::run_once(&t.state).await.unwrap();
    let runs = t.db.retention_runs(10).await.unwrap();
    assert_eq!(runs.len(), 3, "one row per run");
    assert_eq!((runs[0].erased.cases, runs[0].erased.reports), (1, 1), "{runs:?}");
    assert_eq!(runs[0].cutoff, today() + chrono::Duration::days(39 - 30), "{runs:?}");

    // The person's data is gone: name, phone, reports, the account; the case row stays.
    let staff = t.login_staff(&a.email, PASSWORD).await;
    let c = t.get(&format!("/api/v1/cases/{}", old["id"]), Some(&staff)).await;
    assert_eq!(c.status, StatusCode::OK);
    assert_eq!((c.body["name"].as_str(), c.body["phone"].as_str(), c.body["date_of_birth"].as_str()), (Some(""), Some(""), Some("1980-01-01")), "{:?}", c.body);
    assert_eq!(t.get(&format!("/api/v1/cases/{}/reports", old["id"]), Some(&staff)).await.body["reports"].as_array().unwrap().len(), 0);
    assert_eq!(t.get("/api/v1/profile", Some(&patient)).await.status, StatusCode::UNAUTHORIZED, "the account and its sessions went");
    let r = t.post("/api/v1/login", None, json!({ "email": "hozon@example.jp", "password": PASSWORD })).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The request stays as a record, its values gone.
    let me = t.sign_in(&a.email, PASSWORD).await;
    let page = t.view(&me, "/rights").await.text;
    assert!(!page.contains("09033330009") && !page.contains("保存 一郎"), "{page}");
    // The other case is untouched.
    let c = t.get(&format!("/api/v1/cases/{}", long["id"]), Some(&staff)).await;
    assert_eq!(c.body["name"], "保存 二郎");

    // The kept statistics are unchanged; a second run removes nothing more.
    assert_eq!(store::groups(&t.db, day, day, Some(a.centre_id)).await.unwrap(), kept);
    assert_eq!(backend::rights::retention::run_once(&t.state).await.unwrap().cases, 0);
    assert_eq!(t.db.retention_runs(10).await.unwrap().len(), 4);
}
