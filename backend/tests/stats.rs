//! Statistics: counts from 1 to 4 are published as "<5" and left out of totals, a day
//! no clinic entered is missing (not zero), a centre reads its own figures and the
//! aggregate role the whole server's, clinics read none, and no name reaches the page,
//! the CSV or the JSON.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use backend::clinic::admin::{InstitutionSetup, add_municipality, create_aggregate, create_institution};
use backend::password::HashCost;
use common::*;
use serde_json::{Value, json};

async fn login_org(t: &TestApp, email: &str) -> String {
    let r = t.post("/api/v1/clinic/login", None, json!({ "email": email, "password": PASSWORD })).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["token"].as_str().unwrap().to_owned()
}

fn notification(i: usize) -> Value {
    let today = today().to_string();
    json!({
        "doctor": "医師", "report_date": today, "name": format!("統計 太郎{i}"), "name_reading": "とうけい たろう", "sex": "male",
        "date_of_birth": "1950-01-01", "municipality_code": "13103", "address": "芝1-1", "phone": format!("090000000{i:02}"),
        "diagnosis_date": today, "specimen_date": today, "categories": ["age65"], "vaccination": "unknown", "severity": "mild",
    })
}

/// The band of 70–79 year olds in the default bands.
const BAND_70: usize = 8;
/// The band of 40–49 year olds.
const BAND_40: usize = 4;

#[tokio::test]
async fn small_counts_are_hidden_and_totals_leave_them_out() {
    let t = TestApp::with(|c| c.clinic.stats_max_age = std::time::Duration::ZERO).await;
    let a = t.centre("a").await;
    let b = t.centre("b").await;
    add_municipality(&t.db, a.centre_id, "13103", "港区").await.unwrap();
    let setup = InstitutionSetup {
        name: "統計クリニック".into(),
        code: "1311111111".into(),
        municipality_code: "13103".into(),
        admin_email: "stats@clinic.example.jp".into(),
        admin_name: "院長".into(),
        admin_password: PASSWORD.into(),
    };
    create_institution(&t.db, setup, Some(a.centre_id), HashCost::TEST_ONLY).await.unwrap();
    let clinic = login_org(&t, "stats@clinic.example.jp").await;
    create_aggregate(&t.db, "national@example.jp", "国", PASSWORD, HashCost::TEST_ONLY).await.unwrap();
    let national = login_org(&t, "national@example.jp").await;
    for i in 0..3 {
        assert_eq!(t.post("/api/v1/clinic/notifications", Some(&clinic), notification(i)).await.status, 201);
    }
    let today = today();
    let day = |r: &Value| r["days"].as_array().unwrap().last().unwrap().clone();
    let r = t.get("/api/v1/stats", Some(&a.token)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let d = day(&r.body);
    assert_eq!(d["day"], today.to_string());
    assert_eq!(d["notifications"]["bands"][BAND_70], "<5");
    assert_eq!(d["notifications"]["total"], json!({ "value": 0, "partial": true }), "the hidden 3 are not in the total");
    assert!(d["counts"].is_null(), "no clinic entered today: missing, not zero");
    for i in 3..5 {
        t.post("/api/v1/clinic/notifications", Some(&clinic), notification(i)).await;
    }
    let d = day(&t.get("/api/v1/stats", Some(&a.token)).await.body);
    assert_eq!(d["notifications"]["bands"][BAND_70], 5);
    assert_eq!(d["notifications"]["total"], json!({ "value": 5, "partial": false }));
    // Six people under observation today, one reports (urgent): 6 shown, 1 hidden.
    let mut patient = String::new();
    for i in 0..6 {
        let case = t.current_case(&a, &format!("観察 花子{i}"), &format!("0801111000{i}")).await;
        if i == 0 {
            patient = t.register(&case, "observed@example.jp").await;
        }
    }
    t.sync_on(&patient, today, 380, [2, 2, 1, 2, 2, 2, 2, 2, 2]).await;
    let d = day(&t.get("/api/v1/stats", Some(&a.token)).await.body);
    let infected = 0;
    assert_eq!(d["observed"][infected]["bands"][BAND_40], 6, "{d}");
    assert_eq!(d["reported"][infected]["bands"][BAND_40], "<5");
    assert_eq!(d["urgent"][infected]["bands"][BAND_40], "<5");
    assert_eq!(d["totals"]["reported"], json!({ "value": 0, "partial": true }));
    // Daily counts: entered today, summed; a clinic count of 3 is hidden too.
    let counts = json!({ "counts": [0, 0, 0, 0, 6, 0, 0, 0, 3, 0, 0] });
    let put = TestApp::request(axum::http::Method::PUT, &format!("/api/v1/clinic/counts/{today}"), Some(&clinic), Some(&counts));
    assert_eq!(t.send(put).await.status, 204);
    let d = day(&t.get("/api/v1/stats", Some(&a.token)).await.body);
    assert_eq!(d["counts"]["bands"][BAND_40], 6);
    assert_eq!(d["counts"]["bands"][BAND_70], "<5");
    assert_eq!(d["counts"]["total"], json!({ "value": 6, "partial": true }));
    assert_eq!(d["clinics_entered"], 1);
    // Another centre sees none of it; the aggregate role sees it all; clinics nothing.
    let d = day(&t.get("/api/v1/stats", Some(&b.token)).await.body);
    assert_eq!(d["notifications"]["total"]["value"], 0);
    assert_eq!(d["observed"][infected]["total"]["value"], 0);
    let d = day(&t.get("/api/v1/stats", Some(&national)).await.body);
    assert_eq!(d["notifications"]["bands"][BAND_70], 5);
    assert_eq!(d["observed"][infected]["bands"][BAND_40], 6);
    assert_eq!(t.get("/api/v1/stats", Some(&clinic)).await.status, 403);
    assert_eq!(t.get("/api/v1/stats?from=2026-01-01&to=2026-12-31", Some(&a.token)).await.body["error"], "invalid_range");
    // No name anywhere: page, CSV, JSON.
    let signed = t.sign_in(&a.email, PASSWORD).await;
    let page = t.view(&signed, "/stats").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("&lt;5") && page.text.contains("<svg"), "the page shows <5 and the chart");
    let csv = t.view(&signed, "/stats.csv").await;
    let json = t.get("/api/v1/stats", Some(&national)).await.body.to_string();
    for text in [&page.text, &csv.text, &json] {
        assert!(!text.contains("統計 太郎") && !text.contains("観察 花子") && !text.contains("09000000"), "a personal identifier leaked");
    }
    assert!(csv.text.contains("notifications") && csv.text.contains("<5"));
    let audit = t.view(&signed, "/admin/audit").await.text;
    assert!(audit.contains("統計を表示・出力"));
}

#[tokio::test]
async fn past_days_are_kept_and_the_range_is_checked() {
    let t = TestApp::new().await;
    let a = t.centre("a").await;
    let from = today() - chrono::Duration::days(30);
    let r = t.get(&format!("/api/v1/stats?from={from}&to={}", today()), Some(&a.token)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["days"].as_array().unwrap().len(), 31);
    assert_eq!(r.body["age_bands"].as_array().unwrap().len(), 11);
    let done = backend::stats::store::computed(&t.db, from, today()).await.unwrap();
    assert_eq!(done.len(), 31, "every day up to today is computed and kept");
    assert_eq!(t.get("/api/v1/stats", None).await.status, 401);
}
