//! Health-centre staff: login, cases and input IDs, roles, and — above all — that one
//! centre never sees or touches another centre's cases.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;
use std::collections::HashSet;

#[tokio::test]
async fn staff_register_and_read_their_cases() {
    let t = TestApp::new().await;
    let staff = t.centre("kita").await;
    let r = t.get("/api/v1/staff/me", Some(&staff.token)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["role"], "admin");
    assert_eq!(r.body["centre"]["id"], staff.centre_id);
    assert_eq!(r.body["centre"]["emergency_number"], "03-1234-5678");

    let mut body = case_body("山田 太郎", "０９０ １２３４ ５６７８");
    body["email"] = json!("Taro@Example.JP");
    body["kind"] = json!("close_contact");
    body["observation"] = json!("phone");
    let r = t.post("/api/v1/cases", Some(&staff.token), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let case = r.body;
    assert_eq!(case["phone"], "09012345678", "stored normalised");
    assert_eq!(case["email"], "taro@example.jp");
    assert_eq!(case["kind"], "close_contact");
    assert_eq!(case["observation"], "phone");
    assert_eq!(case["centre_id"], staff.centre_id);
    assert_eq!(case["active"], true);
    let input_id = case["input_id"].as_str().unwrap();
    assert!(input_id.len() == 7 && input_id.bytes().all(|b| b.is_ascii_digit()));

    let id = case["id"].as_i64().unwrap();
    let r = t.get(&format!("/api/v1/cases/{id}"), Some(&staff.token)).await;
    assert_eq!(r.body, case);
    let r = t.get("/api/v1/cases", Some(&staff.token)).await;
    assert_eq!(r.body["cases"].as_array().unwrap().len(), 1);
    let r = t.get(&format!("/api/v1/cases/{id}/reports"), Some(&staff.token)).await;
    assert_eq!(r.body["reports"], json!([]));
}

#[tokio::test]
async fn input_ids_are_unique_among_active_cases() {
    let t = TestApp::new().await;
    let staff = t.centre("ids").await;
    let mut seen = HashSet::new();
    for i in 0..30 {
        let case = t.case(&staff, &format!("患者 {i}"), &format!("090{i:08}")).await;
        assert!(seen.insert(case["input_id"].as_str().unwrap().to_owned()));
    }
}

#[tokio::test]
async fn a_centre_never_reaches_another_centres_cases() {
    let t = TestApp::new().await;
    let a = t.centre("east").await;
    let b = t.centre("west").await;
    let case_a = t.case(&a, "山田 太郎", "09012345678").await;
    let id = case_a["id"].as_i64().unwrap();
    let patient = t.register(&case_a, "east-patient@example.jp").await;
    let r = t.post("/api/v1/reports:batch", Some(&patient), json!({ "reports": [report(&new_id(), "2026-01-03", 365, WELL)] })).await;
    assert_eq!(r.body["results"][0]["status"], "accepted");

    for path in [format!("/api/v1/cases/{id}"), format!("/api/v1/cases/{id}/reports")] {
        let r = t.get(&path, Some(&b.token)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.body["error"], "not_found");
        assert_eq!(t.get(&path, Some(&a.token)).await.status, StatusCode::OK, "{path}");
    }
    let r = t.post(&format!("/api/v1/cases/{id}/close"), Some(&b.token), json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t.get(&format!("/api/v1/cases/{id}"), Some(&a.token)).await;
    assert_eq!(r.body["active"], true, "the other centre's close changed nothing");
    let r = t.get("/api/v1/cases", Some(&b.token)).await;
    assert_eq!(r.body["cases"], json!([]));

    // The data layer itself is scoped: a scope for centre B cannot read A's rows.
    let list = t.db.list_cases(backend_scope(&t, &b.token).await).await.unwrap();
    assert!(list.is_empty());
    assert!(t.db.case_reports(backend_scope(&t, &b.token).await, id).await.unwrap().is_none());
}

async fn backend_scope(t: &TestApp, token: &str) -> backend::db::CentreScope {
    let hash = backend::secret::token_hash(token);
    match t.db.session(&hash, chrono::Utc::now()).await.unwrap() {
        Some(backend::db::Principal::Staff { scope, .. }) => scope,
        other => panic!("not a staff session: {other:?}"),
    }
}

#[tokio::test]
async fn tokens_work_only_for_their_side() {
    let t = TestApp::new().await;
    let staff = t.centre("sides").await;
    let case = t.case(&staff, "佐藤 花子", "08011112222").await;
    let patient = t.register(&case, "sides@example.jp").await;
    let r = t.get("/api/v1/cases", Some(&patient)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.body["error"], "forbidden");
    let r = t.get("/api/v1/profile", Some(&staff.token)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for token in [None, Some("not-a-token")] {
        let r = t.get("/api/v1/cases", token).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.body["error"], "unauthorized");
        assert_eq!(t.get("/api/v1/profile", token).await.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn logout_ends_the_session_and_sessions_expire() {
    let t = TestApp::new().await;
    let staff = t.centre("bye").await;
    assert_eq!(t.post("/api/v1/logout", Some(&staff.token), json!({})).await.status, StatusCode::NO_CONTENT);
    assert_eq!(t.get("/api/v1/cases", Some(&staff.token)).await.status, StatusCode::UNAUTHORIZED);
    // Logging out again, or with a token that never was a session, says so.
    assert_eq!(t.post("/api/v1/logout", Some(&staff.token), json!({})).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(t.post("/api/v1/logout", Some("not-a-session"), json!({})).await.status, StatusCode::UNAUTHORIZED);
    let token = t.login_staff(&staff.email, PASSWORD).await;
    assert_eq!(t.get("/api/v1/cases", Some(&token)).await.status, StatusCode::OK);
    t.state.clock.advance(std::time::Duration::from_secs(13 * 3600));
    assert_eq!(t.get("/api/v1/cases", Some(&token)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn admins_add_staff_to_their_own_centre_only() {
    let t = TestApp::new().await;
    let admin = t.centre("roles").await;
    let body = json!({ "email": "nurse@centre.example.jp", "name": "看護師", "password": PASSWORD, "role": "staff" });
    let r = t.post("/api/v1/staff/accounts", Some(&admin.token), body.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let r = t.post("/api/v1/staff/accounts", Some(&admin.token), body).await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    let nurse = t.login_staff("nurse@centre.example.jp", PASSWORD).await;
    let me = t.get("/api/v1/staff/me", Some(&nurse)).await;
    assert_eq!(me.body["role"], "staff");
    assert_eq!(me.body["centre"]["id"], admin.centre_id);
    let case = t.case(&common::Staff { token: nurse.clone(), centre_id: admin.centre_id, email: String::new() }, "田中 健太", "09011110000").await;
    let id = case["id"].as_i64().unwrap();
    assert_eq!(t.get(&format!("/api/v1/cases/{id}"), Some(&admin.token)).await.status, StatusCode::OK);

    let r = t.post("/api/v1/staff/accounts", Some(&nurse), json!({ "email": "x@centre.example.jp", "name": "x", "password": PASSWORD, "role": "admin" })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.post("/api/v1/staff/accounts", Some(&admin.token), json!({ "email": "y@centre.example.jp", "name": "y", "password": "weakpass", "role": "staff" })).await;
    assert_eq!(r.body["error"], "weak_password");
    let r = t.post("/api/v1/staff/accounts", Some(&admin.token), json!({ "email": "z@centre.example.jp", "name": "z", "password": PASSWORD, "role": "owner" })).await;
    assert_eq!(r.body["error"], "invalid_role");
}

#[tokio::test]
async fn case_fields_are_checked() {
    let t = TestApp::new().await;
    let staff = t.centre("check").await;
    let cases = [
        ("name", json!("   "), "invalid_name"),
        ("name", json!("\u{200B}\u{200B}\u{200B}"), "invalid_name"),
        ("name", json!("\u{202E}郎太 田山"), "invalid_name"),
        ("name", json!("山田\u{0}太郎"), "invalid_name"),
        ("name_reading", json!("やまだ\u{1b}たろう"), "invalid_name_reading"),
        ("name_reading", json!(""), "invalid_name_reading"),
        ("date_of_birth", json!("1980/04/01"), "invalid_date_of_birth"),
        ("date_of_birth", json!("2999-01-01"), "invalid_date_of_birth"),
        ("phone", json!("090-12"), "invalid_phone"),
        ("phone", json!("tel 0901234567"), "invalid_phone"),
        ("email", json!("nope"), "invalid_email"),
        ("kind", json!("patient"), "invalid_kind"),
        ("observation", json!("fax"), "invalid_observation"),
        ("period_end", json!("2025-12-31"), "invalid_period"),
        ("period_end", json!("2026-06-01"), "invalid_period"),
    ];
    for (field, value, code) in cases {
        let mut body = case_body("山田 太郎", "09012345678");
        body[field] = value;
        let r = t.post("/api/v1/cases", Some(&staff.token), body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{field}");
        assert_eq!(r.body["error"], code, "{field}");
    }
    let r = t.get("/api/v1/cases", Some(&staff.token)).await;
    assert_eq!(r.body["cases"], json!([]), "nothing was stored");
}

#[tokio::test]
async fn closing_a_case_frees_its_input_id() {
    let t = TestApp::new().await;
    let staff = t.centre("free").await;
    let case = t.case(&staff, "伊藤 由美", "09022220000").await;
    let id = case["id"].as_i64().unwrap();
    let input_id = case["input_id"].as_str().unwrap().to_owned();
    assert_eq!(t.post(&format!("/api/v1/cases/{id}/close"), Some(&staff.token), json!({})).await.status, StatusCode::NO_CONTENT);
    let scope = backend_scope(&t, &staff.token).await;
    let new_case = backend::cli::sample_case(1, chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
    let reused = t.db.insert_case(scope, new_case.clone(), &input_id, chrono::Utc::now()).await.unwrap();
    assert!(reused.is_some(), "a closed case's input ID may be issued again");
    let again = t.db.insert_case(scope, new_case, &input_id, chrono::Utc::now()).await.unwrap();
    assert!(again.is_none(), "but never twice among active cases");
}
