//! Suspension never hides urgency, on the database the suite runs on. The rule: a
//! suspension of use stops new reports at the door (the phone and the pages are told so,
//! with whom to call: the centre's number and 119; nothing is stored that no list would
//! show), while a "call now" report received before it stays on the urgent list,
//! counted in the header and marked 利用停止中, until staff handle it; then the case
//! leaves every list. The same holds for a household member's report and on the pages.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use chrono::Utc;
use common::*;
use serde_json::{Value, json};

const EVERYTHING: [i64; 9] = [1; 9];

async fn suspend(t: &TestApp, me: &Signed, patient: &str) {
    let r = t.post("/api/v1/rights/requests", Some(patient), json!({ "kind": "suspension" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let r = t.submit(me, &format!("/rights/{id}/answer"), &[("action", "suspended")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
}

async fn send(t: &TestApp, token: &str, reports: Vec<Value>) -> Vec<Value> {
    let r = t.post("/api/v1/reports:batch", Some(token), json!({ "reports": reports })).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body["results"].as_array().unwrap().clone()
}

async fn stored(t: &TestApp, staff: &Staff, case_id: i64) -> usize {
    let r = t.get(&format!("/api/v1/cases/{case_id}/reports"), Some(&staff.token)).await;
    r.body["reports"].as_array().unwrap().len()
}

#[tokio::test]
async fn an_urgent_report_from_before_the_suspension_stays_on_the_urgent_list_and_new_ones_are_refused_at_the_door() {
    let t = TestApp::new().await;
    let staff = t.centre("s").await;
    let me = t.sign_in(&staff.email, PASSWORD).await;
    let case = t.current_case(&staff, "停止 花子", "09071110021").await;
    let case_id = case["id"].as_i64().unwrap();
    let patient = t.register(&case, "teishi@example.jp").await;
    let r = send(&t, &patient, vec![wire_report(today(), 391, EVERYTHING, Utc::now())]).await;
    assert_eq!(r[0]["advice"], "call_now");
    suspend(&t, &me, &patient).await;

    // Still on the urgent list, counted and marked; the other lists leave it out.
    let board = t.view(&me, "/").await.text;
    let urgent = list(&board, "urgent");
    assert!(urgent.contains("停止 花子") && urgent.contains("利用停止中"), "{urgent}");
    assert_eq!(count(&board, "urgent"), 1, "the header counts it");
    assert_eq!((count(&board, "observed"), count(&board, "reported")), (0, 0));
    assert!(t.view(&me, "/cases?status=urgent").await.text.contains("停止 花子"));
    assert!(!t.view(&me, "/cases").await.text.contains("停止 花子"));

    // A new urgent report is refused at the door, in the person's words, with whom to call.
    let r = send(&t, &patient, vec![wire_report(today(), 393, EVERYTHING, Utc::now())]).await;
    assert_eq!((r[0]["status"].as_str(), r[0]["reason"].as_str()), (Some("refused"), Some("use_suspended")), "{r:?}");
    let message = r[0]["message"].as_str().unwrap();
    assert!(message.contains("利用停止中") && message.contains("緊急連絡先") && message.contains("119"), "{message}");
    assert_eq!(stored(&t, &staff, case_id).await, 1, "nothing stored that no list would show");

    // Handled: off the urgent list, and out of every list.
    let page = t.view(&me, &format!("/cases/{case_id}")).await.text;
    let seen = hidden(&page[page.find("id=\"contact-form\"").unwrap()..], "seen");
    let r = t.submit(&me, &format!("/cases/{case_id}/contacts"), &[("outcome", "reached"), ("note", "受診を勧めた"), ("seen", &seen)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let board = t.view(&me, "/").await.text;
    assert_eq!(count(&board, "urgent"), 0);
    assert!(!t.view(&me, "/cases?status=urgent").await.text.contains("停止 花子"));
}

#[tokio::test]
async fn a_suspended_household_member_and_the_pages_are_told_whom_to_call() {
    let t = TestApp::new().await;
    let staff = t.centre("h").await;
    let me = t.sign_in(&staff.email, PASSWORD).await;
    let owner_case = t.current_case(&staff, "世帯 太郎", "09071110031").await;
    let member_case = t.current_case(&staff, "世帯 花子", "09071110032").await;
    let owner = t.register(&owner_case, "setai@example.jp").await;
    let member_alone = t.register(&member_case, "setai.hanako@example.jp").await;
    let r = t.post("/api/v1/household", Some(&owner), attributes_of(&member_case)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let member_id = r.body["member_id"].as_str().unwrap().to_owned();
    suspend(&t, &me, &member_alone).await;

    // The owner's report goes; the suspended member's is refused, in English when asked.
    let mut for_member = wire_report(today(), 392, EVERYTHING, Utc::now());
    for_member["person"] = json!(member_id);
    let mut req = TestApp::request(
        axum::http::Method::POST,
        "/api/v1/reports:batch",
        Some(&owner),
        Some(&json!({ "reports": [wire_report(today(), 366, WELL, Utc::now()), for_member] })),
    );
    req.headers_mut().insert("accept-language", "en".parse().unwrap());
    let r = t.send(req).await;
    let results = r.body["results"].as_array().unwrap();
    assert_eq!(results[0]["status"], "accepted");
    assert_eq!((results[1]["status"].as_str(), results[1]["reason"].as_str()), (Some("refused"), Some("use_suspended")));
    assert!(results[1]["message"].as_str().unwrap().contains("call 119"), "{}", results[1]);
    assert_eq!(stored(&t, &staff, member_case["id"].as_i64().unwrap()).await, 0);

    // On the pages: the refusal, the centre's number to tap and 119, the form kept.
    let paged = t.current_case(&staff, "頁 花子", "09071110033").await;
    let token = t.register(&paged, "page.teishi@example.jp").await;
    suspend(&t, &me, &token).await;
    let mut phone = Phone::default();
    t.open(&mut phone, "/app/login").await;
    let r = t.fill(&mut phone, "/app/login", &[("email", "page.teishi@example.jp"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let (send, _) = t.report_on_pages(&mut phone, "infected", "39.2", [1, 1, 1, 1, 1, 1, 1, 1, 1]).await;
    assert_eq!(send.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", send.text);
    assert!(send.text.contains("利用停止中のため"), "{}", send.text);
    assert!(send.text.contains("id=\"call-number\"") && send.text.contains("tel:0"), "the centre's number to tap");
    assert!(send.text.contains("href=\"tel:119\""));
    assert_eq!(stored(&t, &staff, paged["id"].as_i64().unwrap()).await, 0);
}
