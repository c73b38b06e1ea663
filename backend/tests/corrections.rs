//! A temperature corrected at the person's request is the value everywhere, on the
//! database the suite runs on: the staff and the person's JSON, the FHIR bundle and the
//! centre's NDJSON (the observation `amended`, the value as sent in its note, no fever
//! flag left), and the reports CSV (the value as sent in its own column).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn a_corrected_temperature_is_the_value_in_every_api_and_export() {
    let t = TestApp::new().await;
    let a = t.centre("fix").await;
    let case = t.current_case(&a, "訂正 体温", "09071110041").await;
    let case_id = case["id"].as_i64().unwrap();
    let patient = t.register(&case, "taion@example.jp").await;
    assert_eq!(t.sync_on(&patient, today(), 377, WELL).await, "watch");
    let report_id = t.get("/api/v1/reports", Some(&patient)).await.body["reports"][0]["id"].as_str().unwrap().to_owned();
    let r = t.post("/api/v1/rights/requests", Some(&patient), json!({ "kind": "correction", "item": "temperature", "report_id": report_id, "value": "36.8" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let request = r.body["id"].as_str().unwrap().to_owned();
    let me = t.sign_in(&a.email, PASSWORD).await;

    // Before the answer: the value as sent everywhere.
    let staff = t.get(&format!("/api/v1/cases/{case_id}/reports"), Some(&a.token)).await.body;
    assert_eq!((staff["reports"][0]["temperature_tenths"].as_u64(), staff["reports"][0].get("sent_temperature_tenths")), (Some(377), None));

    let r = t.submit(&me, &format!("/rights/{request}/answer"), &[("action", "corrected"), ("value", "36.8")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);

    for (who, body) in [
        ("staff", t.get(&format!("/api/v1/cases/{case_id}/reports"), Some(&a.token)).await.body),
        ("the person", t.get("/api/v1/reports", Some(&patient)).await.body),
    ] {
        let r = &body["reports"][0];
        assert_eq!((r["temperature_tenths"].as_u64(), r["sent_temperature_tenths"].as_u64()), (Some(368), Some(377)), "{who}: {r}");
    }

    let bundle = t.get(&format!("/api/fhir/cases/{case_id}"), Some(&a.token)).await.body;
    let resources: Vec<&Value> = bundle["entry"].as_array().unwrap().iter().map(|e| &e["resource"]).collect();
    let obs = resources.iter().find(|r| r["resourceType"] == "Observation").unwrap();
    assert_eq!((obs["status"].as_str(), obs["valueQuantity"]["value"].as_f64()), (Some("amended"), Some(36.8)), "{obs}");
    assert!(obs["note"][0]["text"].as_str().unwrap().contains("37.7"), "the value as sent is kept: {obs}");
    assert!(obs.get("interpretation").is_none(), "no fever flag on a corrected 36.8");
    let qr = resources.iter().find(|r| r["resourceType"] == "QuestionnaireResponse").unwrap();
    assert!(qr.to_string().contains("\"value\":36.8") && !qr.to_string().contains("37.7"), "{qr}");
    let ndjson = t.get("/api/fhir/centre.ndjson", Some(&a.token)).await;
    let text = match &ndjson.body {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    assert!(text.contains("\"status\":\"amended\"") && text.contains("\"value\":36.8"), "{text}");

    let csv = t.view(&me, "/export/reports.csv").await.text;
    let head: Vec<&str> = csv.lines().next().unwrap().trim_start_matches('\u{feff}').split(',').collect();
    let row: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let col = |name: &str| row[head.iter().position(|h| *h == name).unwrap()];
    assert_eq!((col("temperature"), col("temperature_as_sent")), ("36.8", "37.7"), "{csv}");
}
