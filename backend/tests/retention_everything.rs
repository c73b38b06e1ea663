//! Retention erases everything personal, on the database the suite runs on: a case
//! with every kind of data the server keeps about a person (the account and its
//! sessions, reports, an urgent report's handling note, a contact note, a correction
//! request with its value and note, a household member linked, a notification accepted
//! into it) and a notification no centre ever accepted; the clock moves 400 days; one
//! run of retention; then every row of every table is searched for each seeded
//! personal value, and the exports (FHIR of the case, its bundle's resources, the
//! notifications' QuestionnaireResponses, both CSVs) carry none of them, no empty
//! string and no made-up day of birth.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use backend::clinic::admin::add_municipality;
use chrono::{Duration, Utc};
use common::*;
use serde_json::{Value, json};

const SEEDED: [&str; 18] = [
    "消去 一郎", "しょうきょ いちろう", "09044440001", "1961-07-23", "shokyo.ichiro@example.jp",
    "消去 花子", "09044440002", "1963-02-17",
    "未受理 三郎", "みじゅり さぶろう", "09044440003", "1947-11-29", "芝公園9-8-7", "医師 消去",
    "09044440009", "請求メモ消去", "連絡メモ消去", "対応メモ消去",
];

fn person(name: &str, reading: &str, born: &str, phone: &str, days: i64) -> Value {
    let mut b = case_body(name, phone);
    b["name_reading"] = json!(reading);
    b["date_of_birth"] = json!(born);
    b["period_start"] = json!((today() - Duration::days(1)).to_string());
    b["period_end"] = json!((today() + Duration::days(days)).to_string());
    b
}

fn notification(name: &str, reading: &str, born: &str, phone: &str) -> Value {
    let day = today().to_string();
    json!({
        "doctor": "医師 消去", "report_date": day, "name": name, "name_reading": reading, "sex": "male",
        "date_of_birth": born, "municipality_code": "13103", "address": "芝公園9-8-7", "phone": phone,
        "onset_date": day, "diagnosis_date": day, "specimen_date": day, "categories": ["age65"],
        "risk_factors": ["diabetes"], "vaccination": "3", "severity": "mild",
    })
}

/// Every string value of a JSON document, with where it is.
fn strings(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => out.push((at.to_owned(), s.clone())),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| strings(x, &format!("{at}[{i}]"), out)),
        Value::Object(o) => o.iter().for_each(|(k, x)| strings(x, &format!("{at}.{k}"), out)),
        _ => {}
    }
}

fn assert_clean(what: &str, text: &str) {
    for value in SEEDED {
        assert!(!text.contains(value), "{what} still holds a seeded personal value");
    }
}

#[tokio::test]
async fn after_retention_no_table_and_no_export_holds_any_personal_value() {
    let t = TestApp::with(|c| c.retention_days = 30).await;
    let a = t.centre("erase").await;
    add_municipality(&t.db, a.centre_id, "13103", "港区").await.unwrap();
    let clinic = t.clinic_token("erase", "1319999999", a.centre_id).await;

    // The person: a case from an accepted notification, registered, reporting.
    let r = t.post("/api/v1/clinic/notifications", Some(&clinic), notification("消去 一郎", "しょうきょ いちろう", "1961-07-23", "09044440001")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let accepted_id = r.body["id"].as_i64().unwrap();
    let accept = json!({ "observation": "app", "period_start": (today() - Duration::days(1)).to_string(), "period_end": (today() + Duration::days(8)).to_string() });
    let r = t.post(&format!("/api/v1/notifications/{accepted_id}/accept"), Some(&a.token), accept).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let case = r.body.clone();
    let case_id = case["id"].as_i64().unwrap();
    let patient = t.register(&case, "shokyo.ichiro@example.jp").await;
    let r = t.post("/api/v1/reports:batch", Some(&patient), json!({ "reports": [wire_report(today(), 379, [2, 2, 1, 2, 2, 2, 2, 2, 2], Utc::now())] })).await;
    assert_eq!(r.body["results"][0]["advice"], "call_now", "{:?}", r.body);
    // Staff phone and note; the person files a correction with a note.
    let me = t.sign_in(&a.email, PASSWORD).await;
    let page = t.view(&me, &format!("/cases/{case_id}")).await.text;
    let seen = hidden(&page[page.find("id=\"contact-form\"").unwrap()..], "seen");
    let r = t.submit(&me, &format!("/cases/{case_id}/contacts"), &[("outcome", "no_answer"), ("note", "連絡メモ消去"), ("seen", &seen)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = t.post(&format!("/api/v1/cases/{case_id}/handled"), Some(&a.token), json!({ "note": "対応メモ消去" })).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = t.post("/api/v1/rights/requests", Some(&patient), json!({ "kind": "correction", "item": "phone", "value": "09044440009", "note": "請求メモ消去" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    // A household member whose observation ends as well.
    let member = t.post("/api/v1/cases", Some(&a.token), person("消去 花子", "しょうきょ はなこ", "1963-02-17", "09044440002", 8)).await;
    assert_eq!(member.status, StatusCode::CREATED, "{:?}", member.body);
    let r = t.post("/api/v1/household", Some(&patient), attributes_of(&member.body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    // A notification no centre ever accepted.
    let r = t.post("/api/v1/clinic/notifications", Some(&clinic), notification("未受理 三郎", "みじゅり さぶろう", "1947-11-29", "09044440003")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let unaccepted_id = r.body["id"].as_i64().unwrap();
    // Before: the values are there (the search can find them).
    let before: String = dump::every_row(&t.url).await.into_iter().map(|(_, r)| r).collect::<Vec<_>>().join("\n");
    for value in ["消去 一郎", "未受理 三郎", "芝公園9-8-7", "対応メモ消去", "09044440009", "1947-11-29"] {
        assert!(before.contains(value), "{value} is seeded");
    }

    // 400 days on, one run of upkeep (which runs retention).
    t.state.clock.advance(std::time::Duration::from_secs(400 * 86_400));
    backend::upkeep::run_once(&t.state).await.unwrap();
    let runs = t.db.retention_runs(1).await.unwrap();
    assert_eq!(runs[0].erased.cases, 2, "the person's case and the member's");

    for (table, row) in dump::every_row(&t.url).await {
        for value in SEEDED {
            assert!(!row.contains(value), "table {table} still holds a seeded personal value: {row}");
        }
    }

    // The exports: no seeded value, no empty string, no made-up day of birth.
    let staff = t.login_staff(&a.email, PASSWORD).await;
    let me = t.sign_in(&a.email, PASSWORD).await;
    let bundle = t.get(&format!("/api/fhir/cases/{case_id}"), Some(&staff)).await;
    assert_eq!(bundle.status, StatusCode::OK, "{:?}", bundle.body);
    let mut texts = Vec::new();
    strings(&bundle.body, "", &mut texts);
    for (at, s) in &texts {
        assert!(!s.is_empty(), "an empty string at {at}");
    }
    assert_clean("the FHIR bundle", &bundle.body.to_string());
    let patient_resource = bundle.body["entry"].as_array().unwrap().iter().map(|e| &e["resource"]).find(|r| r["resourceType"] == "Patient").unwrap();
    assert_eq!((patient_resource["active"].as_bool(), patient_resource["birthDate"].as_str()), (Some(false), Some("1961")), "{patient_resource}");
    assert!(patient_resource.get("name").is_none() && patient_resource.get("telecom").is_none());
    for id in [accepted_id, unaccepted_id] {
        let n = t.get(&format!("/api/fhir/notifications/{id}"), Some(&staff)).await;
        assert_eq!(n.status, StatusCode::OK, "{:?}", n.body);
        let mut texts = Vec::new();
        strings(&n.body, "", &mut texts);
        for (at, s) in &texts {
            assert!(!s.is_empty(), "an empty string at {at} of notification {id}");
        }
        assert_clean("a notification's FHIR", &n.body.to_string());
        assert!(n.body.to_string().contains("\"birthDate\":\"19"), "the year of birth stays");
    }
    for csv in ["/export/cases.csv", "/export/reports.csv"] {
        assert_clean(csv, &t.view(&me, csv).await.text);
    }
}
