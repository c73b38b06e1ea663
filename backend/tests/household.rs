//! Household members (代理入力) end to end on the server: a signed-in patient links a
//! member's case by that person's attributes and input ID (a mismatch, the patient's
//! own case and another account's member are refused), sends reports naming the member,
//! which land on the member's own case and board, exactly once; an unknown or unlinked
//! member is refused per report, and unlinking keeps the reports made before.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};

const BREATHLESS: [i64; 9] = [2, 2, 1, 2, 2, 2, 2, 2, 2];

fn for_person(mut report: Value, person: &str) -> Value {
    report["person"] = json!(person);
    report
}

async fn reports_of(t: &TestApp, staff: &Staff, case: &Value) -> Vec<Value> {
    let r = t.get(&format!("/api/v1/cases/{}/reports", case["id"]), Some(&staff.token)).await;
    r.body["reports"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_patient_reports_for_a_linked_household_member_whose_reports_land_on_their_own_case() {
    let t = TestApp::new().await;
    let a = t.centre("a").await;
    let b = t.centre("b").await;
    let own = t.current_case(&a, "世帯 主", "09050000001").await;
    let patient = t.register(&own, "nushi@example.jp").await;
    // The grandmother is registered at another centre, observed by the app.
    let grandma = t.current_case(&b, "世帯 祖母", "09050000002").await;

    // A mismatch gets registration's answer; the patient's own case is not a member.
    let mut wrong = attributes_of(&grandma);
    wrong["date_of_birth"] = json!("1931-01-01");
    let r = t.post("/api/v1/household", Some(&patient), wrong).await;
    assert_eq!((r.status, r.body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("registration_mismatch")));
    let r = t.post("/api/v1/household", Some(&patient), attributes_of(&own)).await;
    assert_eq!((r.status, r.body["error"].as_str()), (StatusCode::CONFLICT, Some("own_case")));
    assert_eq!(t.get("/api/v1/household", None).await.status, StatusCode::UNAUTHORIZED);

    // Linked, with width and hyphens normalised as in registration; again is the same link.
    let mut typed = attributes_of(&grandma);
    typed["phone"] = json!("０９０-５０００-０００２");
    let r = t.post("/api/v1/household", Some(&patient), typed.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let member = r.body["member_id"].as_str().unwrap().to_owned();
    assert_eq!(r.body["profile"]["centre_name"], "b保健所");
    let r = t.post("/api/v1/household", Some(&patient), typed).await;
    assert_eq!((r.status, r.body["member_id"].as_str()), (StatusCode::OK, Some(member.as_str())));
    let members = t.get("/api/v1/household", Some(&patient)).await.body;
    assert_eq!(members["members"].as_array().unwrap().len(), 1);

    // One batch: the patient's own report, the grandmother's urgent one, one for a
    // member who does not exist and one with a malformed member id.
    let mine = wire_report(today(), 365, WELL, chrono::Utc::now());
    let hers = for_person(wire_report(today(), 372, BREATHLESS, chrono::Utc::now()), &member);
    let nobody = for_person(wire_report(today(), 365, WELL, chrono::Utc::now()), "999999");
    let garbled = for_person(wire_report(today(), 365, WELL, chrono::Utc::now()), "祖母");
    let batch = json!({ "reports": [mine.clone(), hers.clone(), nobody, garbled] });
    let first = t.post("/api/v1/reports:batch", Some(&patient), batch.clone()).await;
    let results = first.body["results"].as_array().unwrap().clone();
    assert_eq!(results.iter().map(|r| r["status"].as_str().unwrap()).collect::<Vec<_>>(), ["accepted", "accepted", "refused", "refused"]);
    assert_eq!(results[1]["advice"], "call_now");
    assert_eq!((results[2]["reason"].as_str(), results[3]["reason"].as_str()), (Some("unknown_person"), Some("unknown_person")));
    // The replay answers the same; the same id for the other person is a conflict.
    assert_eq!(t.post("/api/v1/reports:batch", Some(&patient), batch).await.body, first.body);
    let stolen = for_person(mine.clone(), &member);
    let r = t.post("/api/v1/reports:batch", Some(&patient), json!({ "reports": [stolen] })).await;
    assert_eq!(r.body["results"][0]["status"], "conflict");

    // Each report is on its own person's case, and the grandmother is urgent at centre b.
    assert_eq!(reports_of(&t, &a, &own).await.len(), 1);
    let on_hers = reports_of(&t, &b, &grandma).await;
    assert_eq!((on_hers.len(), on_hers[0]["id"].as_str()), (1, hers["id"].as_str()));
    let at_b = t.sign_in(&b.email, PASSWORD).await;
    let board = t.view(&at_b, "/").await.text;
    assert!(list(&board, "urgent").contains("世帯 祖母"), "the member's own centre sees her report");
    assert!(!t.view(&t.sign_in(&a.email, PASSWORD).await, "/").await.text.contains("世帯 祖母"));

    // A report outside the member's period is refused for the member's period.
    let late = for_person(wire_report(today() + chrono::Duration::days(30), 365, WELL, chrono::Utc::now()), &member);
    let r = t.post("/api/v1/reports:batch", Some(&patient), json!({ "reports": [late] })).await;
    assert_eq!(r.body["results"][0]["reason"], "outside_observation_period");

    // Another account cannot unlink her; unlinking stops new reports and keeps the old.
    let other_case = t.current_case(&a, "他人 太郎", "09050000003").await;
    let stranger = t.register(&other_case, "tanin@example.jp").await;
    let path = protocol::wire::path_household_unlink(&member);
    assert_eq!(t.send(TestApp::request(Method::POST, &path, Some(&stranger), None)).await.status, StatusCode::NOT_FOUND);
    let again = for_person(wire_report(today(), 365, WELL, chrono::Utc::now()), &member);
    let r = t.post("/api/v1/reports:batch", Some(&stranger), json!({ "reports": [again.clone()] })).await;
    assert_eq!(r.body["results"][0]["reason"], "unknown_person", "a member id is the account's own");
    assert_eq!(t.send(TestApp::request(Method::POST, &path, Some(&patient), None)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(t.send(TestApp::request(Method::POST, &path, Some(&patient), None)).await.status, StatusCode::NOT_FOUND);
    let r = t.post("/api/v1/reports:batch", Some(&patient), json!({ "reports": [again] })).await;
    assert_eq!(r.body["results"][0]["reason"], "unknown_person");
    assert_eq!(reports_of(&t, &b, &grandma).await.len(), 1, "her report stays");
    assert!(t.get("/api/v1/household", Some(&patient)).await.body["members"].as_array().unwrap().is_empty());
    // Linked again: the same member id, and reports for her are taken again.
    let r = t.post("/api/v1/household", Some(&patient), attributes_of(&grandma)).await;
    assert_eq!((r.status, r.body["member_id"].as_str()), (StatusCode::CREATED, Some(member.as_str())));
    let once_more = for_person(wire_report(today(), 365, WELL, chrono::Utc::now()), &member);
    let r = t.post("/api/v1/reports:batch", Some(&patient), json!({ "reports": [once_more] })).await;
    assert_eq!(r.body["results"][0]["status"], "accepted");
    assert_eq!(reports_of(&t, &b, &grandma).await.len(), 2);
}
