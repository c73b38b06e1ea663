//! People without the app correct a temperature on the public page: the form, once it
//! knows who they are, lists their reports in words (day, temperature, symptoms) to
//! pick from, and the disclosure shows the answers in words, not codes; a notification
//! of someone born before 1900 or diagnosed long ago is refused naming the field.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;

#[tokio::test]
async fn a_temperature_is_corrected_on_the_public_page_by_picking_the_report_in_words() {
    let t = TestApp::new().await;
    let a = t.centre("pick").await;
    let case = t.current_case(&a, "選択 四郎", "09071110051").await;
    let patient = t.register(&case, "sentaku@example.jp").await;
    assert_eq!(t.sync_on(&patient, today(), 378, [2, 2, 1, 2, 2, 2, 2, 2, 2]).await, "call_now");
    let report_id = t.get("/api/v1/reports", Some(&patient)).await.body["reports"][0]["id"].as_str().unwrap().to_owned();
    let who = attributes_of(&case);
    let mut phone = Phone::default();
    let page = t.open(&mut phone, "/app/rights").await;
    assert!(!page.text.contains("報告のID") && !page.text.contains("name=\"report_id\""), "no id to type: {}", page.text);
    let mut fields: Vec<(&str, String)> = ["name", "date_of_birth", "phone", "input_id"].iter().map(|k| (*k, who[*k].as_str().unwrap().to_owned())).collect();
    fields.extend([("kind", "correction".to_owned()), ("item", "temperature".to_owned()), ("value", "36.8".to_owned())]);
    let r = t.fill(&mut phone, "/app/rights", &refs(&fields)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.text.contains("訂正する報告を選んでください"), "{}", r.text);
    let list = &r.text[r.text.find("id=\"rights-report\"").expect("the list of reports")..];
    assert!(list.contains(&format!("value=\"{report_id}\"")) && list.contains("37.8℃") && list.contains("息苦しさ"), "{list}");
    assert!(r.text.contains(&format!("value=\"{}\"", who["input_id"].as_str().unwrap())), "what was typed stays");
    let me = t.sign_in(&a.email, PASSWORD).await;
    assert_eq!(count(&t.view(&me, "/rights").await.text, "open"), 0, "nothing filed before the report is chosen");

    fields.push(("report_id", report_id.clone()));
    let r = t.fill(&mut phone, "/app/rights", &refs(&fields)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("id=\"filed\""), "{}", r.text);
    let staff_page = t.view(&me, "/rights").await.text;
    assert_eq!(count(&staff_page, "open"), 1);
    assert!(staff_page.contains("36.8"), "{staff_page}");

    // The disclosure reads the answers in words.
    let mut fields: Vec<(&str, String)> = ["name", "date_of_birth", "phone", "input_id"].iter().map(|k| (*k, who[*k].as_str().unwrap().to_owned())).collect();
    fields.push(("kind", "disclosure".to_owned()));
    let r = t.fill(&mut phone, "/app/rights", &refs(&fields)).await;
    assert_eq!(r.status, StatusCode::OK);
    let reports = &r.text[r.text.find("id=\"reports\"").unwrap()..];
    let reports = &reports[..reports.find("</table>").unwrap()];
    assert!(reports.contains("息苦しさ: ") && !reports.contains("2 2 1 2"), "{reports}");
}

#[tokio::test]
async fn implausible_notifications_are_refused_naming_the_field() {
    let t = TestApp::new().await;
    let a = t.centre("plaus").await;
    backend::clinic::admin::add_municipality(&t.db, a.centre_id, "13103", "港区").await.unwrap();
    let clinic = t.clinic_token("plaus", "1317777777", a.centre_id).await;
    let day = today().to_string();
    let base = json!({
        "doctor": "医師 確認", "report_date": day, "name": "確認 五郎", "name_reading": "かくにん ごろう", "sex": "male",
        "date_of_birth": "1950-01-01", "municipality_code": "13103", "address": "芝公園1-1", "phone": "09071110061",
        "onset_date": "", "diagnosis_date": day, "specimen_date": day, "categories": ["age65"], "vaccination": "3", "severity": "mild",
    });
    for (field, value, code, label) in [("date_of_birth", "1890-06-01", "invalid_date_of_birth", "生年月日"), ("diagnosis_date", "2019-12-01", "invalid_diagnosis_date", "診断日")] {
        let mut n = base.clone();
        n[field] = json!(value);
        if field == "diagnosis_date" {
            n["specimen_date"] = json!(value);
        }
        let r = t.post("/api/v1/clinic/notifications", Some(&clinic), n).await;
        assert_eq!((r.status.as_u16(), r.body["error"].as_str()), (400, Some(code)), "{field}: {:?}", r.body);
        assert!(r.body["message"].as_str().unwrap().starts_with(label), "the message names the field: {:?}", r.body);
    }
    assert_eq!(t.post("/api/v1/clinic/notifications", Some(&clinic), base).await.status, StatusCode::CREATED);
}
