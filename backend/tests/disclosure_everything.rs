//! Disclosure of everything held about the person, on the database the suite runs on:
//! every table of the database is either disclosed (and where) or named as holding
//! nothing about a person — a new table in neither fails here — and a table with a
//! case or patient column is always disclosed; then a person with a notification,
//! staff's contact and handling notes, a household link and staff reads and exports
//! sees each of them in the JSON (Japanese and English) and on the page, with who read
//! the data by role and centre, never by name.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use backend::clinic::admin::add_municipality;
use backend::rights::held::TABLES;
use chrono::{Duration, Utc};
use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn every_table_is_disclosed_or_named_as_holding_nothing_about_a_person() {
    let t = TestApp::new().await;
    let tables = dump::tables(&t.url).await;
    for (table, columns) in &tables {
        let listed = TABLES.iter().find(|(name, _)| name == table);
        assert!(listed.is_some(), "table {table} is new: disclose it (rights::held) or say why it holds nothing about a person");
        if columns.iter().any(|c| c == "case_id" || c == "patient_id") {
            assert!(listed.unwrap().1.is_ok(), "table {table} holds a person's data and must be disclosed");
        }
    }
    for (name, _) in TABLES {
        assert!(tables.iter().any(|(t, _)| t == name), "{name} is listed but no such table");
    }
}

fn section<'a>(d: &'a Value, id: &str) -> &'a Value {
    d["held"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("no section {id}"))
}

#[tokio::test]
async fn the_person_sees_everything_held_and_who_read_it() {
    let t = TestApp::new().await;
    let a = t.centre("open").await;
    add_municipality(&t.db, a.centre_id, "13103", "港区").await.unwrap();
    let clinic = t.clinic_token("open", "1318888888", a.centre_id).await;
    let day = today().to_string();
    let filed = json!({
        "doctor": "医師 開示", "report_date": day, "name": "開示 一郎", "name_reading": "かいじ いちろう", "sex": "male",
        "date_of_birth": "1950-03-04", "municipality_code": "13103", "address": "芝公園5-4-3", "phone": "09055550001",
        "onset_date": day, "diagnosis_date": day, "specimen_date": day, "categories": ["age65"],
        "risk_factors": ["diabetes"], "vaccination": "3", "severity": "mild",
    });
    let r = t.post("/api/v1/clinic/notifications", Some(&clinic), filed).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let accept = json!({ "observation": "app", "period_start": (today() - Duration::days(1)).to_string(), "period_end": (today() + Duration::days(8)).to_string() });
    let case = t.post(&format!("/api/v1/notifications/{}/accept", r.body["id"]), Some(&a.token), accept).await.body;
    let case_id = case["id"].as_i64().unwrap();
    let patient = t.register(&case, "kaiji@example.jp").await;
    let r = t.post("/api/v1/reports:batch", Some(&patient), json!({ "reports": [wire_report(today(), 366, [2, 2, 1, 2, 2, 2, 2, 2, 2], Utc::now())] })).await;
    assert_eq!(r.body["results"][0]["advice"], "call_now");
    let me = t.sign_in(&a.email, PASSWORD).await;
    let page = t.view(&me, &format!("/cases/{case_id}")).await.text;
    let seen = hidden(&page[page.find("id=\"contact-form\"").unwrap()..], "seen");
    t.submit(&me, &format!("/cases/{case_id}/contacts"), &[("outcome", "no_answer"), ("note", "開示される連絡メモ"), ("seen", &seen)]).await;
    assert_eq!(t.post(&format!("/api/v1/cases/{case_id}/handled"), Some(&a.token), json!({ "note": "開示される対応メモ" })).await.status, StatusCode::OK);
    // A nurse with a name of her own exports it: the person learns the role, not the name.
    let nurse = json!({ "email": "kango.shi@centre.example.jp", "name": "看護 三津子", "password": PASSWORD, "role": "staff" });
    assert_eq!(t.post("/api/v1/staff/accounts", Some(&a.token), nurse).await.status, StatusCode::CREATED);
    let nurse = t.login_staff("kango.shi@centre.example.jp", PASSWORD).await;
    assert_eq!(t.get(&format!("/api/fhir/cases/{case_id}"), Some(&nurse)).await.status, StatusCode::OK);
    let member = t.current_case(&a, "開示 花子", "09055550002").await;
    assert_eq!(t.post("/api/v1/household", Some(&patient), attributes_of(&member)).await.status, StatusCode::CREATED);

    let d = t.get("/api/v1/rights/disclosure", Some(&patient)).await;
    assert_eq!(d.status, StatusCode::OK, "{:?}", d.body);
    let d = d.body;
    let text = |id: &str| section(&d, id)["rows"].to_string();
    assert!(text("account").contains("kaiji@example.jp"));
    for value in ["芝公園5-4-3", "医師 開示", "openクリニック", "1950-03-04", "糖尿病"] {
        assert!(text("notification").contains(value), "the notification holds {value}: {}", text("notification"));
    }
    assert!(text("contacts").contains("開示される連絡メモ") && text("contacts").contains("応答なし"));
    assert!(text("handlings").contains("開示される対応メモ"));
    assert!(text("household").contains("開示 花子"));
    let access = text("access");
    let rows = section(&d, "access")["rows"].as_array().unwrap().clone();
    let export = rows.iter().find(|r| r[1].as_str().unwrap().contains("FHIRで出力")).expect("the export is listed").clone();
    assert_eq!((export[2].as_str(), export[3].as_str()), (Some("職員"), Some("open保健所")), "the role and the centre: {export}");
    assert!(!access.contains("看護 三津子") && !access.contains("kango.shi"), "never the staff member's name or e-mail: {access}");
    assert!(section(&d, "access")["rows"].as_array().unwrap().len() >= 2, "the case read and the export: {access}");

    // In English when asked.
    let mut req = TestApp::request(Method::GET, "/api/v1/rights/disclosure", Some(&patient), None);
    req.headers_mut().insert("accept-language", "en".parse().unwrap());
    let en = t.send(req).await.body;
    assert_eq!(section(&en, "contacts")["title"], "Contacts by the health centre");
    assert!(section(&en, "contacts")["rows"].to_string().contains("No answer"));

    // On the page, signed in.
    let mut phone = Phone::default();
    t.open(&mut phone, "/app/login").await;
    t.fill(&mut phone, "/app/login", &[("email", "kaiji@example.jp"), ("password", PASSWORD)]).await;
    let page = t.open(&mut phone, "/app/rights/disclosure").await;
    assert_eq!(page.status, StatusCode::OK);
    for value in ["id=\"held-notification\"", "芝公園5-4-3", "開示される連絡メモ", "開示される対応メモ", "id=\"held-access\""] {
        assert!(page.text.contains(value), "the page shows {value}");
    }
}
