//! Clinics: the notification rule since 2022-09-26 (category checks), routing by the
//! patient's municipality (and the refusal when no centre covers it), the centre's
//! intake (duplicate candidates, accept with an input ID the patient registers with,
//! duplicate), daily counts editable on the same day only with missing days shown,
//! clinic isolation from centres and from each other, and the audit rows.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use backend::clinic::admin::{InstitutionSetup, add_municipality, create_institution};
use backend::clinic::store;
use backend::password::HashCost;
use common::*;
use serde_json::{Value, json};

/// A clinic in `municipality` with an admin logged in through the API; (token, id).
async fn clinic(t: &TestApp, tag: &str, code: &str, municipality: &str, centre: Option<i64>) -> (String, i64) {
    let email = format!("{tag}@clinic.example.jp");
    let setup = InstitutionSetup {
        name: format!("{tag}クリニック"),
        code: code.into(),
        municipality_code: municipality.into(),
        admin_email: email.clone(),
        admin_name: "院長".into(),
        admin_password: PASSWORD.into(),
    };
    let (id, _) = create_institution(&t.db, setup, centre, HashCost::TEST_ONLY).await.expect("institution");
    let r = t.post("/api/v1/clinic/login", None, json!({ "email": email, "password": PASSWORD })).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    (r.body["token"].as_str().unwrap().to_owned(), id)
}

fn notification(name: &str, reading: &str, born: &str, phone: &str, municipality: &str) -> Value {
    let today = today().to_string();
    json!({
        "doctor": "医師 一郎", "report_date": today, "name": name, "name_reading": reading, "sex": "female",
        "date_of_birth": born, "municipality_code": municipality, "address": "芝公園1-1", "phone": phone,
        "onset_date": "", "diagnosis_date": today, "specimen_date": today, "categories": ["age65"],
        "vaccination": "3", "severity": "mild",
    })
}

struct World {
    t: TestApp,
    a: Staff,
    b: Staff,
    clinic_a: (String, i64),
    clinic_b: (String, i64),
}

async fn world() -> World {
    let t = TestApp::new().await;
    let a = t.centre("minato").await;
    let b = t.centre("shinjuku").await;
    add_municipality(&t.db, a.centre_id, "13103", "港区").await.unwrap();
    add_municipality(&t.db, b.centre_id, "131041", "新宿区").await.unwrap();
    let clinic_a = clinic(&t, "a", "1311234567", "13103", Some(a.centre_id)).await;
    let clinic_b = clinic(&t, "b", "1311234568", "13104", Some(b.centre_id)).await;
    World { t, a, b, clinic_a, clinic_b }
}

#[tokio::test]
async fn only_the_four_categories_are_notified_and_each_must_fit() {
    let w = world().await;
    let t = &w.t;
    let tok = &w.clinic_a.0;
    let young = json!({ "date_of_birth": "1990-01-01" });
    let with = |extra: &Value| {
        let mut n = notification("山田 花子", "やまだ はなこ", "1950-01-01", "09011112222", "13103");
        for (k, v) in extra.as_object().unwrap() {
            n[k] = v.clone();
        }
        n
    };
    let r = t.post("/api/v1/clinic/notifications", Some(tok), with(&young)).await;
    assert_eq!((r.status.as_u16(), r.body["error"].as_str()), (400, Some("not_notifiable")), "{:?}", r.body);
    let r = t.post("/api/v1/clinic/notifications", Some(tok), with(&json!({ "date_of_birth": "1990-01-01", "hospitalisation": true }))).await;
    assert_eq!(r.body["error"], "category_mismatch_age");
    let r = t.post("/api/v1/clinic/notifications", Some(tok), with(&json!({ "date_of_birth": "1990-01-01", "risk_factors": ["diabetes"], "categories": ["risk_treatment"] }))).await;
    assert_eq!(r.body["error"], "not_notifiable", "a risk factor alone is not enough");
    let r = t.post("/api/v1/clinic/notifications", Some(tok), with(&json!({ "categories": [] }))).await;
    assert_eq!(r.body["error"], "category_required");
    let r = t.post("/api/v1/clinic/notifications", Some(tok), with(&json!({ "phone": "12" }))).await;
    assert_eq!(r.body["error"], "invalid_phone");
    assert!(store::clinic_list(&t.db, w.clinic_a.1, 10).await.unwrap().is_empty(), "nothing stored");
    for (i, ok) in [
        json!({}),
        json!({ "date_of_birth": "1990-01-01", "hospitalisation": true, "categories": ["hospitalisation"] }),
        json!({ "date_of_birth": "1990-01-01", "risk_factors": ["obesity"], "oxygen": true, "categories": ["risk_treatment"] }),
        json!({ "date_of_birth": "1990-01-01", "pregnant": true, "categories": ["pregnant"], "phone": "０９０－１１１１－２２２２" }),
    ]
    .into_iter()
    .enumerate()
    {
        // Four people (a second filing for the same person while the first waits is refused).
        let mut n = with(&ok);
        n["name_reading"] = json!(format!("やまだ はなこ{}", ["", "いち", "に", "さん"][i]));
        let r = t.post("/api/v1/clinic/notifications", Some(tok), n).await;
        assert_eq!(r.status, 201, "{ok}: {:?}", r.body);
    }
    let r = t.get("/api/v1/clinic/notifications", Some(tok)).await;
    assert_eq!(r.body["notifications"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn notifications_land_at_the_centre_of_the_patients_municipality() {
    let w = world().await;
    let t = &w.t;
    let r = t.post("/api/v1/clinic/notifications", Some(&w.clinic_a.0), notification("佐藤 一郎", "さとう いちろう", "1940-03-03", "09000000001", "13104")).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["centre_id"], w.b.centre_id, "filed by a clinic of centre A, the patient lives in centre B's area");
    let queue_b = t.get("/api/v1/notifications", Some(&w.b.token)).await;
    assert_eq!(queue_b.body["notifications"].as_array().unwrap().len(), 1);
    let queue_a = t.get("/api/v1/notifications", Some(&w.a.token)).await;
    assert!(queue_a.body["notifications"].as_array().unwrap().is_empty());
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(t.get(&format!("/api/v1/notifications/{id}"), Some(&w.a.token)).await.status, 404, "another centre's notification");
    // A municipality no centre covers: refused with a clear message, nothing stored.
    let r = t.post("/api/v1/clinic/notifications", Some(&w.clinic_a.0), notification("佐藤 二郎", "さとう じろう", "1940-03-03", "09000000002", "01100")).await;
    assert_eq!((r.status.as_u16(), r.body["error"].as_str()), (422, Some("no_centre")));
    assert!(r.body["message"].as_str().unwrap().contains("管轄する保健所"));
    assert_eq!(t.get("/api/v1/clinic/notifications", Some(&w.clinic_a.0)).await.body["notifications"].as_array().unwrap().len(), 1);
    // A municipality belongs to one centre.
    assert!(add_municipality(&t.db, w.a.centre_id, "13104", "新宿区").await.is_err());
}

#[tokio::test]
async fn the_centre_accepts_a_notification_and_the_patient_registers_with_its_input_id() {
    let w = world().await;
    let t = &w.t;
    let r = t.post("/api/v1/clinic/notifications", Some(&w.clinic_a.0), notification("鈴木 花子", "すずき はなこ", "1950-05-05", "09022223333", "13103")).await;
    let id = r.body["id"].as_i64().unwrap();
    let start = today().to_string();
    let end = (today() + chrono::Duration::days(9)).to_string();
    let accept = json!({ "observation": "app", "period_start": start, "period_end": end });
    let r = t.post(&format!("/api/v1/notifications/{id}/accept"), Some(&w.b.token), accept.clone()).await;
    assert_eq!(r.status, 404, "another centre cannot accept it");
    let r = t.post(&format!("/api/v1/notifications/{id}/accept"), Some(&w.a.token), accept.clone()).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let case = r.body.clone();
    assert_eq!(case["name"], "鈴木 花子");
    assert_eq!(case["kind"], "infected");
    assert_eq!(case["input_id"].as_str().unwrap().len(), 7);
    let again = t.post(&format!("/api/v1/notifications/{id}/accept"), Some(&w.a.token), accept).await;
    assert_eq!((again.status.as_u16(), again.body["error"].as_str()), (409, Some("already_decided")));
    let own = t.get(&format!("/api/v1/clinic/notifications/{id}"), Some(&w.clinic_a.0)).await;
    assert_eq!(own.body["status"], "accepted");
    assert!(own.body["case_id"].is_null(), "the clinic does not learn the centre's case id");
    let patient = t.register(&case, "suzuki@example.jp").await;
    let r = t.get("/api/v1/profile", Some(&patient)).await;
    assert_eq!(r.status, 200);
    let leaflet = t.sign_in(&w.a.email, PASSWORD).await;
    let page = t.view(&leaflet, &format!("/cases/{}/leaflet", case["id"])).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains(case["input_id"].as_str().unwrap()));
    let audit = t.view(&leaflet, "/admin/audit").await.text;
    assert!(audit.contains("発生届を受理（療養者を登録）") && audit.contains("療養者を登録"), "{audit}");
}

#[tokio::test]
async fn duplicates_are_found_by_reading_birth_date_and_phone() {
    let w = world().await;
    let t = &w.t;
    let mut existing = case_body("鈴木 花子", "090-4444-5555");
    existing["name_reading"] = json!("すずき はなこ");
    existing["date_of_birth"] = json!("1950-05-05");
    let existing = t.post("/api/v1/cases", Some(&w.a.token), existing).await.body;
    // Same reading (written with full-width spaces) and birth date, another phone.
    let r = t.post("/api/v1/clinic/notifications", Some(&w.clinic_a.0), notification("鈴木 花子", "すずき　はなこ", "1950-05-05", "09099998888", "13103")).await;
    let id = r.body["id"].as_i64().unwrap();
    // Only the birth date in common: no candidate.
    let mut other = case_body("田中 一郎", "090-7777-6666");
    other["name_reading"] = json!("たなか いちろう");
    other["date_of_birth"] = json!("1950-05-05");
    t.post("/api/v1/cases", Some(&w.a.token), other).await;
    let r = t.get(&format!("/api/v1/notifications/{id}"), Some(&w.a.token)).await;
    let c = r.body["candidates"].as_array().unwrap();
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0]["case_id"], existing["id"]);
    assert_eq!(c[0]["matches"], json!([true, true, false]));
    let r = t.post(&format!("/api/v1/notifications/{id}/duplicate"), Some(&w.a.token), json!({ "case_id": 999_999 })).await;
    assert_eq!(r.body["error"], "invalid_case");
    let b_case = t.case(&w.b, "別 人", "09012340000").await;
    let r = t.post(&format!("/api/v1/notifications/{id}/duplicate"), Some(&w.a.token), json!({ "case_id": b_case["id"] })).await;
    assert_eq!(r.body["error"], "invalid_case", "another centre's case is no duplicate target");
    let r = t.post(&format!("/api/v1/notifications/{id}/duplicate"), Some(&w.a.token), json!({ "case_id": existing["id"] })).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(t.get(&format!("/api/v1/clinic/notifications/{id}"), Some(&w.clinic_a.0)).await.body["status"], "duplicate");
    assert!(t.get("/api/v1/notifications", Some(&w.a.token)).await.body["notifications"].as_array().unwrap().is_empty());
    let signed = t.sign_in(&w.a.email, PASSWORD).await;
    let audit = t.view(&signed, "/admin/audit").await.text;
    assert!(audit.contains("発生届を重複として処理") && audit.contains("発生届を表示"), "{audit}");
}

#[tokio::test]
async fn daily_counts_are_edited_on_the_same_day_only_and_missing_days_are_not_zero() {
    let w = world().await;
    let t = &w.t;
    let tok = &w.clinic_a.0;
    let today = today();
    let counts = |n: i64| json!({ "counts": [n, 0, 1, 2, 0, 0, 3, 0, 4, 0, 0] });
    assert_eq!(t.send(TestApp::request(axum::http::Method::PUT, &format!("/api/v1/clinic/counts/{today}"), Some(tok), Some(&counts(5)))).await.status, 204);
    assert_eq!(t.send(TestApp::request(axum::http::Method::PUT, &format!("/api/v1/clinic/counts/{today}"), Some(tok), Some(&counts(7)))).await.status, 204);
    let yesterday = today - chrono::Duration::days(1);
    let r = t.send(TestApp::request(axum::http::Method::PUT, &format!("/api/v1/clinic/counts/{yesterday}"), Some(tok), Some(&counts(1)))).await;
    assert_eq!((r.status.as_u16(), r.body["error"].as_str()), (409, Some("not_today")));
    let r = t.send(TestApp::request(axum::http::Method::PUT, &format!("/api/v1/clinic/counts/{today}"), Some(tok), Some(&json!({ "counts": [1, 2] })))).await;
    assert_eq!(r.body["error"], "invalid_counts", "one count per configured band");
    let r = t.get(&format!("/api/v1/clinic/counts?from={yesterday}&to={today}"), Some(tok)).await;
    let days = r.body["days"].as_array().unwrap();
    assert_eq!(days[0]["entered"], false, "yesterday is missing, not zero");
    assert_eq!(days[1]["entered"], true);
    assert_eq!(days[1]["bands"][0], json!([0, 9, 7]), "the second entry replaced the first");
    let audit = store::audit_rows(&t.db, Some(w.clinic_a.1)).await.unwrap();
    assert_eq!(audit.iter().filter(|a| a.1 == "enter_counts").count(), 2);
}

#[tokio::test]
async fn clinics_see_only_their_own_and_never_a_centre() {
    let w = world().await;
    let t = &w.t;
    let r = t.post("/api/v1/clinic/notifications", Some(&w.clinic_a.0), notification("伊藤 美咲", "いとう みさき", "1945-01-01", "09055556666", "13103")).await;
    let id = r.body["id"].as_i64().unwrap();
    // The other clinic: not in its list, 404 on its read.
    assert!(t.get("/api/v1/clinic/notifications", Some(&w.clinic_b.0)).await.body["notifications"].as_array().unwrap().is_empty());
    assert_eq!(t.get(&format!("/api/v1/clinic/notifications/{id}"), Some(&w.clinic_b.0)).await.status, 404);
    // A clinic token is no staff token, and the other way round.
    for path in ["/api/v1/cases", "/api/v1/notifications", "/api/v1/staff/me"] {
        assert_eq!(t.get(path, Some(&w.clinic_a.0)).await.status, 401, "{path}");
    }
    assert_eq!(t.get("/api/v1/clinic/notifications", Some(&w.a.token)).await.status, 401);
    assert_eq!(t.get("/api/v1/stats", Some(&w.clinic_a.0)).await.status, 403, "clinics read no statistics");
    // Pages: the centre's board with a clinic's cookie goes to the staff login; the
    // clinic's pages show only its own notification.
    let login = t.page(axum::http::Method::GET, "/clinic/login", None, None, &[]).await;
    let csrf = hidden(&login.text, "csrf");
    let (cookie, _) = login.set_cookie("mimamori_org_login").unwrap();
    let body = form(&[("email", "b@clinic.example.jp"), ("password", PASSWORD), ("csrf", &csrf), ("next", "/clinic")]);
    let r = t.page(axum::http::Method::POST, "/clinic/login", Some(&format!("mimamori_org_login={cookie}")), Some(body), &[]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let (session, _) = r.set_cookie("mimamori_org").unwrap();
    let org_cookie = format!("mimamori_org={session}");
    let board = t.page(axum::http::Method::GET, "/", Some(&org_cookie), None, &[]).await;
    assert!(board.location().starts_with("/login"), "{}", board.status);
    assert_eq!(t.page(axum::http::Method::GET, &format!("/clinic/notifications/{id}"), Some(&org_cookie), None, &[]).await.status, 404);
    let home = t.page(axum::http::Method::GET, "/clinic", Some(&org_cookie), None, &[]).await;
    assert!(!home.text.contains("伊藤"), "another clinic's patient");
    let staff = t.sign_in(&w.a.email, PASSWORD).await;
    assert!(t.view(&staff, "/clinic").await.location().starts_with("/clinic/login"), "a centre session is no clinic session");
    // Audit rows of the clinic: filing, and its reads.
    t.get(&format!("/api/v1/clinic/notifications/{id}"), Some(&w.clinic_a.0)).await;
    let audit = store::audit_rows(&t.db, Some(w.clinic_a.1)).await.unwrap();
    assert!(audit.iter().any(|a| a.1 == "file_notification" && a.2 == Some(id)), "{audit:?}");
    assert!(audit.iter().any(|a| a.1 == "view_notification" && a.2 == Some(id)));
    assert!(store::audit_rows(&t.db, Some(w.clinic_b.1)).await.unwrap().iter().all(|a| a.1 != "file_notification"));
}

#[tokio::test]
async fn the_form_shows_a_refusal_on_its_field_and_keeps_what_was_typed() {
    let w = world().await;
    let t = &w.t;
    let login = t.page(axum::http::Method::GET, "/clinic/login", None, None, &[]).await;
    let csrf = hidden(&login.text, "csrf");
    let (cookie, _) = login.set_cookie("mimamori_org_login").unwrap();
    let body = form(&[("email", "a@clinic.example.jp"), ("password", PASSWORD), ("csrf", &csrf)]);
    let r = t.page(axum::http::Method::POST, "/clinic/login", Some(&format!("mimamori_org_login={cookie}")), Some(body), &[]).await;
    let org_cookie = format!("mimamori_org={}", r.set_cookie("mimamori_org").unwrap().0);
    let page = t.page(axum::http::Method::GET, "/clinic/notifications/new", Some(&org_cookie), None, &[]).await;
    let csrf = hidden(&page.text, "csrf");
    let today = today().to_string();
    let fields = |born: &str| {
        form(&[
            ("csrf", &csrf), ("doctor", "医師"), ("report_date", &today), ("name", "高橋 健太"), ("name_reading", "たかはし けんた"),
            ("sex", "male"), ("date_of_birth", born), ("municipality_code", "13103"), ("address", "芝1-1"), ("phone", "090-1212-3434"),
            ("diagnosis_date", &today), ("specimen_date", &today), ("categories", "age65"), ("risk_factors", "diabetes"),
            ("risk_factors", "hypertension"), ("vaccination", "2"), ("severity", "mild"),
        ])
    };
    let r = t.page(axum::http::Method::POST, "/clinic/notifications", Some(&org_cookie), Some(fields("1980-01-01")), &[]).await;
    assert_eq!(r.status, 400);
    assert!(r.text.contains("id=\"error-categories\""), "{}", r.text);
    assert!(r.text.contains("value=\"高橋 健太\"") && r.text.contains("value=\"hypertension\" checked"));
    let r = t.page(axum::http::Method::POST, "/clinic/notifications", Some(&org_cookie), Some(fields("1950-01-01")), &[]).await;
    assert_eq!(r.status, 303, "{}", r.text);
    let n = store::clinic_list(&t.db, w.clinic_a.1, 10).await.unwrap();
    assert_eq!(n.len(), 1);
    let one = store::clinic_one(&t.db, w.clinic_a.1, n[0].id).await.unwrap().unwrap();
    assert_eq!(one.n.risk_factors, vec!["diabetes", "hypertension"]);
    assert_eq!(one.n.phone, "09012123434");
}
