//! First registration, step by step, and every way it is refused: wrong, expired,
//! reused and exhausted codes, weak and common passwords, mismatching attributes (one
//! identical message whatever field failed), unknown input IDs; then login.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::json;
use std::time::Duration;

#[tokio::test]
async fn whole_flow_links_the_account_to_its_case() {
    let t = TestApp::new().await;
    let staff = t.centre("minato").await;
    let case = t.case(&staff, "山田 太郎", "090-1234-5678").await;
    assert_eq!(case["input_id"].as_str().unwrap().len(), 7);
    assert_eq!(case["registered"], false);

    let email = "taro@example.jp";
    let r = t.post("/api/v1/registrations", None, json!({ "email": email })).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    assert_eq!(r.body["expires_in"], 600);
    let id = r.body["request_id"].as_str().unwrap().to_owned();
    let code = t.code_for(email);
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));

    let r = t.post(&format!("/api/v1/registrations/{id}/verify"), None, json!({ "code": code })).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let reg = r.body["registration_token"].as_str().unwrap().to_owned();

    let r = t.post(&format!("/api/v1/registrations/{id}/password"), Some(&reg), json!({ "password": PASSWORD })).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{:?}", r.body);

    // Typed as people type: full-width digits and hyphens, a full-width space in the name.
    let attrs = json!({
        "name": "山田　太郎",
        "date_of_birth": "1980-04-01",
        "phone": "０９０－１２３４－５６７８",
        "input_id": case["input_id"],
    });
    let r = t.post(&format!("/api/v1/registrations/{id}/attributes"), Some(&reg), attrs).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let token = r.body["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 43);
    assert_eq!(r.body["profile"]["centre_name"], "minato保健所");
    assert_eq!(r.body["profile"]["emergency_number"], "03-1234-5678");
    assert_eq!(r.body["profile"]["kind"], "infected");
    assert_eq!(r.body["profile"]["period_start"], "2026-01-01");
    assert_eq!(r.body["profile"]["period_end"], "2026-01-14");

    let r = t.get("/api/v1/profile", Some(&token)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["emergency_number"], "03-1234-5678");

    let case_id = case["id"].as_i64().unwrap();
    let r = t.get(&format!("/api/v1/cases/{case_id}"), Some(&staff.token)).await;
    assert_eq!(r.body["registered"], true);

    // The registration token is spent; the steps cannot be replayed.
    let r = t.post(&format!("/api/v1/registrations/{id}/password"), Some(&reg), json!({ "password": PASSWORD })).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // Later: login by e-mail and password (the address is case-insensitive).
    let r = t.post("/api/v1/login", None, json!({ "email": "Taro@Example.JP", "password": PASSWORD })).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let again = r.body["token"].as_str().unwrap();
    assert_ne!(again, token);
    assert_eq!(t.get("/api/v1/profile", Some(again)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn wrong_codes_count_and_the_sixth_try_is_refused_even_with_the_right_code() {
    let t = TestApp::new().await;
    let email = "tries@example.jp";
    let r = t.post("/api/v1/registrations", None, json!({ "email": email })).await;
    let id = r.body["request_id"].as_str().unwrap().to_owned();
    let code = t.code_for(email);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        let r = t.post(&format!("/api/v1/registrations/{id}/verify"), None, json!({ "code": wrong })).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.body["error"], "wrong_code");
    }
    let r = t.post(&format!("/api/v1/registrations/{id}/verify"), None, json!({ "code": code })).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert_eq!(r.body["error"], "too_many_tries");

    // A new request works.
    let (id2, _) = t.verified(email).await;
    assert_ne!(id, id2);
}

#[tokio::test]
async fn a_burst_of_parallel_guesses_compares_no_more_than_five_codes() {
    let t = std::sync::Arc::new(TestApp::new().await);
    let email = "burst@example.jp";
    let r = t.post("/api/v1/registrations", None, json!({ "email": email })).await;
    let id = r.body["request_id"].as_str().unwrap().to_owned();
    let code = t.code_for(email);
    // 60 guesses at once, none of them right.
    let guesses: Vec<_> = (0..60)
        .map(|n| {
            let (t, id) = (t.clone(), id.clone());
            let guess = format!("{:06}", (code.parse::<u32>().unwrap() + 1 + n) % 1_000_000);
            tokio::spawn(async move { t.post(&format!("/api/v1/registrations/{id}/verify"), None, json!({ "code": guess })).await.body["error"].clone() })
        })
        .collect();
    let mut answers = Vec::new();
    for g in guesses {
        answers.push(g.await.unwrap());
    }
    let compared = answers.iter().filter(|a| *a == "wrong_code").count();
    assert_eq!(compared, 5, "only five codes are ever compared: {answers:?}");
    assert!(answers.iter().all(|a| a == "wrong_code" || a == "too_many_tries"), "{answers:?}");
    // And the right code afterwards no longer works.
    let r = t.post(&format!("/api/v1/registrations/{id}/verify"), None, json!({ "code": code })).await;
    assert_eq!(r.body["error"], "too_many_tries");
}

#[tokio::test]
async fn a_code_is_bound_to_its_request() {
    let t = TestApp::new().await;
    let a = t.post("/api/v1/registrations", None, json!({ "email": "a@example.jp" })).await;
    let code_a = t.code_for("a@example.jp");
    let b = t.post("/api/v1/registrations", None, json!({ "email": "b@example.jp" })).await;
    let id_b = b.body["request_id"].as_str().unwrap();
    let code_b = t.code_for("b@example.jp");
    if code_a != code_b {
        let r = t.post(&format!("/api/v1/registrations/{id_b}/verify"), None, json!({ "code": code_a })).await;
        assert_eq!(r.body["error"], "wrong_code");
    }
    let _ = a;
    let r = t.post("/api/v1/registrations/5f0e8f5e-0000-4000-8000-000000000000/verify", None, json!({ "code": code_b })).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body["error"], "registration_not_found");
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let t = TestApp::new().await;
    let r = t.post("/api/v1/registrations", None, json!({ "email": "late@example.jp" })).await;
    let id = r.body["request_id"].as_str().unwrap().to_owned();
    let code = t.code_for("late@example.jp");
    t.state.clock.advance(Duration::from_secs(10 * 60 + 1));
    let r = t.post(&format!("/api/v1/registrations/{id}/verify"), None, json!({ "code": code })).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert_eq!(r.body["error"], "code_expired");
}

#[tokio::test]
async fn a_used_code_cannot_be_used_again() {
    let t = TestApp::new().await;
    let r = t.post("/api/v1/registrations", None, json!({ "email": "once@example.jp" })).await;
    let id = r.body["request_id"].as_str().unwrap().to_owned();
    let code = t.code_for("once@example.jp");
    let path = format!("/api/v1/registrations/{id}/verify");
    assert_eq!(t.post(&path, None, json!({ "code": code })).await.status, StatusCode::OK);
    let r = t.post(&path, None, json!({ "code": code })).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["error"], "code_used");
}

#[tokio::test]
async fn weak_and_common_passwords_are_refused() {
    let t = TestApp::new().await;
    let (id, reg) = t.verified("pw@example.jp").await;
    let path = format!("/api/v1/registrations/{id}/password");
    for (pw, code) in [
        ("Ab1!", "weak_password"),
        ("alllowercase", "weak_password"),
        ("lowercase123", "weak_password"),
        ("Password1!", "common_password"),
        ("P@ssw0rd", "common_password"),
        ("Qwerty123!", "common_password"),
        ("Pw-Example-2026", "weak_password_never"),
    ] {
        let r = t.post(&path, Some(&reg), json!({ "password": pw })).await;
        if code == "weak_password_never" {
            assert_eq!(r.status, StatusCode::NO_CONTENT, "{pw}: {:?}", r.body);
        } else {
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{pw}");
            assert_eq!(r.body["error"], code, "{pw}");
        }
    }
    // A password built on the e-mail address is refused too.
    let (id, reg) = t.verified("hanako.sato@example.jp").await;
    let r = t.post(&format!("/api/v1/registrations/{id}/password"), Some(&reg), json!({ "password": "Hanako.Sato99" })).await;
    assert_eq!(r.body["error"], "common_password");
}

#[tokio::test]
async fn every_mismatch_gets_the_identical_message() {
    let t = TestApp::new().await;
    let staff = t.centre("sakura").await;
    let case = t.case(&staff, "佐藤 花子", "08011112222").await;
    let good = attributes_of(&case);
    let input_id = case["input_id"].as_str().unwrap();
    let other_id = if input_id == "1234567" { "7654321" } else { "1234567" };
    let variants = [
        ("name", json!("佐藤 花代")),
        ("date_of_birth", json!("1980-04-02")),
        ("phone", json!("080-1111-2223")),
        ("input_id", json!(other_id)),
        ("input_id", json!("12")),
    ];
    let mut bodies = Vec::new();
    for lang in ["ja", "en"] {
        let (id, reg) = t.verified(&format!("mismatch-{lang}@example.jp")).await;
        t.post(&format!("/api/v1/registrations/{id}/password"), Some(&reg), json!({ "password": PASSWORD })).await;
        for (field, value) in &variants[..4] {
            let mut attrs = good.clone();
            attrs[*field] = value.clone();
            let mut req = TestApp::request(axum::http::Method::POST, &format!("/api/v1/registrations/{id}/attributes"), Some(&reg), Some(&attrs));
            req.headers_mut().insert("accept-language", lang.parse().unwrap());
            let r = t.send(req).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{field}");
            assert_eq!(r.body["error"], "registration_mismatch", "{field}");
            bodies.push((lang, r.body.to_string()));
        }
    }
    let ja: Vec<_> = bodies.iter().filter(|(l, _)| *l == "ja").map(|(_, b)| b).collect();
    let en: Vec<_> = bodies.iter().filter(|(l, _)| *l == "en").map(|(_, b)| b).collect();
    assert!(ja.windows(2).all(|w| w[0] == w[1]), "{ja:?}");
    assert!(en.windows(2).all(|w| w[0] == w[1]), "{en:?}");
    assert!(ja[0].contains("保健所にお問い合わせください"));
    assert!(en[0].contains("contact your health centre"));
    assert_ne!(ja[0], en[0]);
    // A malformed input ID is also just "does not match".
    let (id, reg) = t.verified("short-id@example.jp").await;
    t.post(&format!("/api/v1/registrations/{id}/password"), Some(&reg), json!({ "password": PASSWORD })).await;
    let mut attrs = good.clone();
    attrs["input_id"] = variants[4].1.clone();
    let r = t.post(&format!("/api/v1/registrations/{id}/attributes"), Some(&reg), attrs).await;
    assert_eq!(r.body.to_string(), *ja[0]);
}

#[tokio::test]
async fn attribute_tries_are_capped() {
    let t = TestApp::new().await;
    let staff = t.centre("cap").await;
    let case = t.case(&staff, "鈴木 一郎", "07012345678").await;
    let (id, reg) = t.verified("cap@example.jp").await;
    t.post(&format!("/api/v1/registrations/{id}/password"), Some(&reg), json!({ "password": PASSWORD })).await;
    let mut wrong = attributes_of(&case);
    wrong["date_of_birth"] = json!("1999-09-09");
    for _ in 0..5 {
        let r = t.post(&format!("/api/v1/registrations/{id}/attributes"), Some(&reg), wrong.clone()).await;
        assert_eq!(r.body["error"], "registration_mismatch");
    }
    let r = t.post(&format!("/api/v1/registrations/{id}/attributes"), Some(&reg), attributes_of(&case)).await;
    assert_eq!(r.status, StatusCode::GONE);
    assert_eq!(r.body["error"], "too_many_tries");
}

#[tokio::test]
async fn steps_need_the_registration_token_and_their_order() {
    let t = TestApp::new().await;
    let staff = t.centre("order").await;
    let case = t.case(&staff, "高橋 美咲", "09099998888").await;
    let r = t.post("/api/v1/registrations", None, json!({ "email": "order@example.jp" })).await;
    let id = r.body["request_id"].as_str().unwrap().to_owned();
    // Before the code is verified there is no token to present.
    let r = t.post(&format!("/api/v1/registrations/{id}/password"), Some("made-up"), json!({ "password": PASSWORD })).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body["error"], "registration_token_invalid");
    let code = t.code_for("order@example.jp");
    let r = t.post(&format!("/api/v1/registrations/{id}/verify"), None, json!({ "code": code })).await;
    let reg = r.body["registration_token"].as_str().unwrap().to_owned();
    // Attributes before a password.
    let r = t.post(&format!("/api/v1/registrations/{id}/attributes"), Some(&reg), attributes_of(&case)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["error"], "password_required");
    // Without or with a wrong token.
    let r = t.post(&format!("/api/v1/registrations/{id}/password"), None, json!({ "password": PASSWORD })).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The registration token expires.
    t.state.clock.advance(Duration::from_secs(31 * 60));
    let r = t.post(&format!("/api/v1/registrations/{id}/password"), Some(&reg), json!({ "password": PASSWORD })).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_case_links_once_and_an_email_registers_once() {
    let t = TestApp::new().await;
    let staff = t.centre("once").await;
    let case = t.case(&staff, "田中 健太", "09011110000").await;
    let other = t.case(&staff, "伊藤 由美", "09022220000").await;
    t.register(&case, "first@example.jp").await;

    // Someone else with the same leaflet: the case already has its account.
    let (id, reg) = t.verified("second@example.jp").await;
    t.post(&format!("/api/v1/registrations/{id}/password"), Some(&reg), json!({ "password": PASSWORD })).await;
    let r = t.post(&format!("/api/v1/registrations/{id}/attributes"), Some(&reg), attributes_of(&case)).await;
    assert_eq!(r.body["error"], "registration_mismatch");

    // The first address again, for another case.
    let (id, reg) = t.verified("first@example.jp").await;
    t.post(&format!("/api/v1/registrations/{id}/password"), Some(&reg), json!({ "password": PASSWORD })).await;
    let r = t.post(&format!("/api/v1/registrations/{id}/attributes"), Some(&reg), attributes_of(&other)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.body["error"], "already_registered");
}

#[tokio::test]
async fn a_closed_case_cannot_be_registered() {
    let t = TestApp::new().await;
    let staff = t.centre("closed").await;
    let case = t.case(&staff, "山田 花子", "09033334444").await;
    let id = case["id"].as_i64().unwrap();
    assert_eq!(t.post(&format!("/api/v1/cases/{id}/close"), Some(&staff.token), json!({})).await.status, StatusCode::NO_CONTENT);
    let (rid, reg) = t.verified("closed@example.jp").await;
    t.post(&format!("/api/v1/registrations/{rid}/password"), Some(&reg), json!({ "password": PASSWORD })).await;
    let r = t.post(&format!("/api/v1/registrations/{rid}/attributes"), Some(&reg), attributes_of(&case)).await;
    assert_eq!(r.body["error"], "registration_mismatch");
}

#[tokio::test]
async fn login_failures_say_the_same_thing() {
    let t = TestApp::new().await;
    let staff = t.centre("login").await;
    let case = t.case(&staff, "山田 一郎", "09055556666").await;
    t.register(&case, "login@example.jp").await;
    let wrong_pw = t.post("/api/v1/login", None, json!({ "email": "login@example.jp", "password": "Wrong-pass-1" })).await;
    let unknown = t.post("/api/v1/login", None, json!({ "email": "nobody@example.jp", "password": PASSWORD })).await;
    let garbage = t.post("/api/v1/login", None, json!({ "email": "not an address", "password": PASSWORD })).await;
    for r in [&wrong_pw, &unknown, &garbage] {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(wrong_pw.body, unknown.body);
    assert_eq!(unknown.body, garbage.body);
    // A staff account cannot log in as a patient and the other way round.
    let r = t.post("/api/v1/login", None, json!({ "email": staff.email, "password": PASSWORD })).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = t.post("/api/v1/staff/login", None, json!({ "email": "login@example.jp", "password": PASSWORD })).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn code_requests_need_a_valid_address() {
    let t = TestApp::new().await;
    for bad in ["", "no-at-sign", "a@", "two words@example.jp"] {
        let r = t.post("/api/v1/registrations", None, json!({ "email": bad })).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert_eq!(r.body["error"], "invalid_email");
    }
    assert_eq!(std::fs::read_dir(&t.mail_dir).unwrap().count(), 0, "no mail for refused requests");
    // Mail files are readable by their owner only.
    t.post("/api/v1/registrations", None, json!({ "email": "perm@example.jp" })).await;
    let file = std::fs::read_dir(&t.mail_dir).unwrap().next().unwrap().unwrap();
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(file.metadata().unwrap().permissions().mode() & 0o777, 0o600);
}
