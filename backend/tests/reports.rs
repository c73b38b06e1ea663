//! Report sync: triage stored with each report, exactly-once application by id (replay,
//! conflict, concurrent duplicates), per-report refusals that leave the rest applied,
//! and reading reports back.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

async fn patient(t: &TestApp, tag: &str) -> (Staff, Value, String) {
    let staff = t.centre(tag).await;
    let case = t.case(&staff, "山田 太郎", "09012345678").await;
    let token = t.register(&case, &format!("{tag}@example.jp")).await;
    (staff, case, token)
}

async fn sync(t: &TestApp, token: &str, reports: Vec<Value>) -> Vec<Value> {
    let r = t.post("/api/v1/reports:batch", Some(token), json!({ "reports": reports })).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body["results"].as_array().unwrap().clone()
}

#[tokio::test]
async fn reports_are_triaged_stored_and_read_back() {
    let t = TestApp::new().await;
    let (staff, case, token) = patient(&t, "triage").await;
    let (well, fever, breathless) = (new_id(), new_id(), new_id());
    let results = sync(
        &t,
        &token,
        vec![
            report(&well, "2026-01-02", 365, WELL),
            report(&fever, "2026-01-03", 381, WELL),
            report(&breathless, "2026-01-03", 366, [2, 2, 1, 2, 2, 2, 2, 2, 2]),
        ],
    )
    .await;
    assert_eq!(results[0], json!({ "id": well, "status": "accepted", "advice": "none" }));
    assert_eq!(results[1], json!({ "id": fever, "status": "accepted", "advice": "watch" }));
    assert_eq!(results[2], json!({ "id": breathless, "status": "accepted", "advice": "call_now" }));

    let id = case["id"].as_i64().unwrap();
    let r = t.get(&format!("/api/v1/cases/{id}/reports"), Some(&staff.token)).await;
    let reports = r.body["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 3);
    assert_eq!(reports[0]["id"], well.as_str());
    assert_eq!(reports[0]["temperature_tenths"], 365);
    assert_eq!(reports[0]["answers"], json!(WELL));
    assert_eq!(reports[0]["recorded_at"], "2026-01-02T23:15:00Z");
    let by_id = |id: &str| reports.iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!(by_id(&fever)["advice"], "watch");
    assert_eq!(by_id(&breathless)["advice"], "call_now");
    // Two reports on one day are both kept (append-only).
    assert_eq!(reports.iter().filter(|r| r["local_date"] == "2026-01-03").count(), 2);
    let own = t.get("/api/v1/reports", Some(&token)).await;
    assert_eq!(own.body["reports"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_replay_gets_the_same_results_and_stores_nothing_twice() {
    let t = TestApp::new().await;
    let (staff, case, token) = patient(&t, "replay").await;
    let batch = vec![report(&new_id(), "2026-01-02", 372, WELL), report(&new_id(), "2026-01-20", 365, WELL), report("x", "2026-01-02", 365, WELL)];
    let first = sync(&t, &token, batch.clone()).await;
    let second = sync(&t, &token, batch.clone()).await;
    assert_eq!(first, second);
    // Mixed into another batch it still answers the same.
    let mut mixed = vec![report(&new_id(), "2026-01-04", 365, WELL)];
    mixed.extend(batch);
    let third = sync(&t, &token, mixed).await;
    assert_eq!(&third[1..], &first[..]);
    let id = case["id"].as_i64().unwrap();
    let r = t.get(&format!("/api/v1/cases/{id}/reports"), Some(&staff.token)).await;
    assert_eq!(r.body["reports"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_same_id_with_another_payload_is_a_conflict() {
    let t = TestApp::new().await;
    let (staff, case, token) = patient(&t, "conflict").await;
    let id = new_id();
    sync(&t, &token, vec![report(&id, "2026-01-02", 365, WELL)]).await;
    let changed = [
        report(&id, "2026-01-02", 366, WELL),
        report(&id, "2026-01-03", 365, WELL),
        report(&id, "2026-01-02", 365, [1, 2, 2, 2, 2, 2, 2, 2, 2]),
        {
            let mut r = report(&id, "2026-01-02", 365, WELL);
            r["recorded_at"] = json!("2026-01-03T08:15:01+09:00");
            r
        },
        {
            let mut r = report(&id, "2026-01-02", 365, WELL);
            r["kind"] = json!("close_contact");
            r
        },
    ];
    for r in changed {
        let res = sync(&t, &token, vec![r]).await;
        assert_eq!(res[0]["status"], "conflict");
        assert_eq!(res[0]["reason"], "conflict");
    }
    // Within one batch too: the first one wins.
    let fresh = new_id();
    let res = sync(&t, &token, vec![report(&fresh, "2026-01-05", 365, WELL), report(&fresh, "2026-01-05", 399, WELL)]).await;
    assert_eq!(res[0]["status"], "accepted");
    assert_eq!(res[1]["status"], "conflict");
    // Another patient reusing an id is a conflict, never a write into the first case.
    let other_case = t.case(&staff, "佐藤 花子", "08011112222").await;
    let other = t.register(&other_case, "conflict-other@example.jp").await;
    let res = sync(&t, &other, vec![report(&id, "2026-01-02", 365, WELL)]).await;
    assert_eq!(res[0]["status"], "conflict");
    let cid = case["id"].as_i64().unwrap();
    let r = t.get(&format!("/api/v1/cases/{cid}/reports"), Some(&staff.token)).await;
    assert_eq!(r.body["reports"][0]["temperature_tenths"], 365);
    assert_eq!(r.body["reports"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bad_reports_are_refused_one_by_one() {
    let t = TestApp::new().await;
    let (staff, case, token) = patient(&t, "refuse").await;
    let good = new_id();
    let mut bad_kind = report(&new_id(), "2026-01-02", 365, WELL);
    bad_kind["kind"] = json!("patient");
    let mut bad_time = report(&new_id(), "2026-01-02", 365, WELL);
    bad_time["recorded_at"] = json!("yesterday");
    let mut short = report(&new_id(), "2026-01-02", 365, WELL);
    short["answers"] = json!([2, 2, 2]);
    let batch = vec![
        report("not-a-uuid", "2026-01-02", 365, WELL),
        report(&new_id(), "2026-02-30", 365, WELL),
        report(&new_id(), "2025-12-31", 365, WELL),
        report(&new_id(), "2026-01-15", 365, WELL),
        report(&new_id(), "2026-01-02", 339, WELL),
        report(&new_id(), "2026-01-02", 421, WELL),
        report(&new_id(), "2026-01-02", 365, [2, 2, 2, 2, 3, 2, 2, 2, 2]),
        short,
        bad_kind,
        bad_time,
        report(&good, "2026-01-14", 365, WELL),
    ];
    let res = sync(&t, &token, batch).await;
    let reasons: Vec<_> = res.iter().map(|r| r["reason"].as_str().unwrap_or("-")).collect();
    assert_eq!(
        reasons,
        [
            "bad_id",
            "bad_date",
            "outside_observation_period",
            "outside_observation_period",
            "bad_temperature",
            "bad_temperature",
            "bad_answers",
            "bad_answers",
            "bad_kind",
            "bad_recorded_at",
            "-"
        ]
    );
    assert_eq!(res[0]["id"], "not-a-uuid");
    assert!(res[4]["message"].as_str().unwrap().contains("34.0"), "Japanese message from the protocol crate");
    assert_eq!(res[10]["status"], "accepted");
    let id = case["id"].as_i64().unwrap();
    let r = t.get(&format!("/api/v1/cases/{id}/reports"), Some(&staff.token)).await;
    assert_eq!(r.body["reports"].as_array().unwrap().len(), 1);

    // English when asked.
    let mut req = TestApp::request(axum::http::Method::POST, "/api/v1/reports:batch", Some(&token), Some(&json!({ "reports": [report(&new_id(), "2026-03-01", 365, WELL)] })));
    req.headers_mut().insert("accept-language", "en-US,en;q=0.9".parse().unwrap());
    let r = t.send(req).await;
    assert_eq!(r.body["results"][0]["message"], "The date is outside your observation period.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicates_make_exactly_one_row() {
    let t = TestApp::new().await;
    let (staff, case, token) = patient(&t, "race").await;
    let id = new_id();
    let body = json!({ "reports": [report(&id, "2026-01-02", 380, WELL)] });
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let app = t.app.clone();
        let req = TestApp::request(axum::http::Method::POST, "/api/v1/reports:batch", Some(&token), Some(&body));
        tasks.push(tokio::spawn(async move {
            use http_body_util::BodyExt;
            use tower::ServiceExt;
            let res = app.oneshot(req).await.unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            let bytes = res.into_body().collect().await.unwrap().to_bytes();
            serde_json::from_slice::<Value>(&bytes).unwrap()
        }));
    }
    for task in tasks {
        let v = task.await.unwrap();
        assert_eq!(v["results"][0], json!({ "id": id, "status": "accepted", "advice": "watch" }));
    }
    let cid = case["id"].as_i64().unwrap();
    let r = t.get(&format!("/api/v1/cases/{cid}/reports"), Some(&staff.token)).await;
    assert_eq!(r.body["reports"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_phones_at_once_each_get_their_own_results() {
    let t = TestApp::new().await;
    let staff = t.centre("crowd").await;
    let mut phones = Vec::new();
    for i in 0..6 {
        let case = t.case(&staff, &format!("患者 {i}"), &format!("0901111000{i}")).await;
        phones.push(t.register(&case, &format!("crowd{i}@example.jp")).await);
    }
    let mut tasks = Vec::new();
    for (i, token) in phones.iter().enumerate() {
        for n in 0..10 {
            let app = t.app.clone();
            let tenths = 360 + n;
            let req = TestApp::request(axum::http::Method::POST, "/api/v1/reports:batch", Some(token), Some(&json!({ "reports": [report(&new_id(), "2026-01-02", tenths, WELL)] })));
            tasks.push(tokio::spawn(async move {
                use http_body_util::BodyExt;
                use tower::ServiceExt;
                let res = app.oneshot(req).await.unwrap();
                let v: Value = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
                (i, v)
            }));
        }
    }
    for task in tasks {
        let (_, v) = task.await.unwrap();
        assert_eq!(v["results"][0]["status"], "accepted");
    }
    let r = t.get("/api/v1/cases", Some(&staff.token)).await;
    let mut total = 0;
    for c in r.body["cases"].as_array().unwrap() {
        let id = c["id"].as_i64().unwrap();
        let n = t.get(&format!("/api/v1/cases/{id}/reports"), Some(&staff.token)).await.body["reports"].as_array().unwrap().len();
        assert_eq!(n, 10);
        total += n;
    }
    assert_eq!(total, 60);
}

#[tokio::test]
async fn sync_needs_a_patient_token_and_a_sane_size() {
    let t = TestApp::new().await;
    let (staff, _, token) = patient(&t, "auth").await;
    let body = json!({ "reports": [report(&new_id(), "2026-01-02", 365, WELL)] });
    for bad in [None, Some("nope"), Some(staff.token.as_str())] {
        let r = t.post("/api/v1/reports:batch", bad, body.clone()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{bad:?}");
    }
    let many: Vec<Value> = (0..101).map(|_| report(&new_id(), "2026-01-02", 365, WELL)).collect();
    let r = t.post("/api/v1/reports:batch", Some(&token), json!({ "reports": many })).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.body["error"], "too_many_reports");
    let r = t.post("/api/v1/reports:batch", Some(&token), json!({ "reports": [] })).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["results"], json!([]));
}
