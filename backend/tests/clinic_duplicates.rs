//! Duplicates are found at filing and at intake, on the database the suite runs on: the
//! same person filed again while the first waits is refused (naming the first to the
//! clinic that filed it, not to another clinic of the centre); a near match (two of
//! reading, date of birth, phone) is filed and each shows the other at intake; accepting while a possible match exists is
//! refused until staff confirm it is another person, on the API and on the page.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use backend::clinic::admin::add_municipality;
use common::*;
use serde_json::{Value, json};

fn filing(reading: &str) -> Value {
    let day = today().to_string();
    json!({
        "doctor": "医師 重複", "report_date": day, "name": "重複 一郎", "name_reading": reading, "sex": "male",
        "date_of_birth": "1950-07-07", "municipality_code": "13103", "address": "芝公園1-1", "phone": "09077770001",
        "onset_date": "", "diagnosis_date": day, "specimen_date": day, "categories": ["age65"], "vaccination": "3", "severity": "mild",
    })
}

#[tokio::test]
async fn the_same_person_is_caught_at_filing_and_at_intake() {
    let t = TestApp::new().await;
    let a = t.centre("dup").await;
    add_municipality(&t.db, a.centre_id, "13103", "港区").await.unwrap();
    let first_clinic = t.clinic_token("one", "1316666661", a.centre_id).await;
    let other_clinic = t.clinic_token("two", "1316666662", a.centre_id).await;

    let r = t.post("/api/v1/clinic/notifications", Some(&first_clinic), filing("ちょうふく いちろう")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let first = r.body["id"].as_i64().unwrap();
    for (token, own) in [(&first_clinic, true), (&other_clinic, false)] {
        let r = t.post("/api/v1/clinic/notifications", Some(token), filing("ちょうふく　いちろう")).await;
        assert_eq!((r.status.as_u16(), r.body["error"].as_str()), (409, Some("already_filed")), "{:?}", r.body);
        let message = r.body["message"].as_str().unwrap();
        assert_eq!(message.contains(&format!("届出番号 {first}")), own, "the clinic's own filing is named, another clinic's is not: {message}");
    }
    // A near match (another reading) is filed; intake shows each beside the other.
    let r = t.post("/api/v1/clinic/notifications", Some(&other_clinic), filing("ちょうふく じろう")).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let second = r.body["id"].as_i64().unwrap();
    let queue = t.get("/api/v1/notifications", Some(&a.token)).await.body;
    assert_eq!(queue["notifications"].as_array().unwrap().len(), 2, "two waiting, not three");
    let me = t.sign_in(&a.email, PASSWORD).await;
    let page = t.view(&me, &format!("/notifications/{first}")).await.text;
    let twins = &page[page.find("id=\"twins\"").expect("the waiting near match is shown")..];
    assert!(twins.contains(&format!("/notifications/{second}")) && twins.contains("生年月日・電話番号"), "{twins}");
    assert!(page.contains("name=\"confirm_other_person\""), "the accept form asks to confirm");

    // Accepting while a possible match exists needs the confirmation.
    let period = json!({ "observation": "app", "period_start": today().to_string(), "period_end": (today() + chrono::Duration::days(7)).to_string() });
    let r = t.post(&format!("/api/v1/notifications/{first}/accept"), Some(&a.token), period.clone()).await;
    assert_eq!((r.status.as_u16(), r.body["error"].as_str()), (409, Some("possible_duplicate")), "{:?}", r.body);
    assert!(t.get("/api/v1/cases", Some(&a.token)).await.body["cases"].as_array().unwrap().is_empty(), "nothing made");
    let r = t.submit(&me, &format!("/notifications/{first}/accept"), &[("observation", "app"), ("period_start", period["period_start"].as_str().unwrap()), ("period_end", period["period_end"].as_str().unwrap())]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("別の方であることを確認"), "{}", r.text);
    let mut confirmed = period.clone();
    confirmed["confirm_other_person"] = json!(true);
    let r = t.post(&format!("/api/v1/notifications/{first}/accept"), Some(&a.token), confirmed).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let case_id = r.body["id"].as_i64().unwrap();

    // The second now meets the case: a duplicate of it, or refused without confirmation.
    let r = t.post(&format!("/api/v1/notifications/{second}/accept"), Some(&a.token), period).await;
    assert_eq!(r.body["error"], "possible_duplicate");
    let page = t.view(&me, &format!("/notifications/{second}")).await.text;
    assert!(page.contains(&format!("data-case=\"{case_id}\"")), "the case is a candidate");
    let r = t.post(&format!("/api/v1/notifications/{second}/duplicate"), Some(&a.token), json!({ "case_id": case_id })).await;
    assert_eq!(r.status.as_u16(), 200, "{:?}", r.body);
    assert_eq!(t.get("/api/v1/cases", Some(&a.token)).await.body["cases"].as_array().unwrap().len(), 1, "one case for one person");
}
