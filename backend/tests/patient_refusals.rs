//! What the patient pages refuse, each with the API's rule and message and nothing
//! changed: forms without their token or from another site, throttled code requests,
//! code tries and sign-ins, a wrong code, a weak password, details that do not match
//! the centre's, a bad temperature or a missing answer, a step opened out of order,
//! another person's report, and a patient's session on the staff pages (or a staff
//! session on the patient pages).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use backend::config::Quota;
use common::*;

/// A form post to try: its cookie, its token, extra headers.
type Attempt<'a> = (Option<&'a str>, &'a str, &'a [(&'a str, &'a str)]);

async fn report_count(t: &TestApp, staff: &Staff, case: &serde_json::Value) -> usize {
    let id = case["id"].as_i64().unwrap();
    t.get(&format!("/api/v1/cases/{id}/reports"), Some(&staff.token))
        .await
        .body["reports"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn forms_need_their_token_and_this_site() {
    let t = TestApp::new().await;
    let staff = t.centre("c").await;
    let case = t.current_case(&staff, "防御 太郎", "09044445555").await;
    let mut phone = Phone::default();
    t.open(&mut phone, "/app/register").await;
    let cookie = phone.cookie();
    let email = [("email", "csrf@example.jp")];
    // No form cookie, a wrong token, another site's origin, a cross-site fetch.
    let cases: [Attempt<'_>; 4] = [
        (None, phone.csrf.as_str(), &[]),
        (Some(&cookie), "wrong", &[]),
        (
            Some(&cookie),
            phone.csrf.as_str(),
            &[("origin", "https://evil.example")],
        ),
        (
            Some(&cookie),
            phone.csrf.as_str(),
            &[("sec-fetch-site", "cross-site")],
        ),
    ];
    for (i, (c, token, extra)) in cases.iter().enumerate() {
        let body = form(&[("csrf", token), email[0]]);
        let r = t
            .page(Method::POST, "/app/register", *c, Some(body), extra)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "case {i}");
        assert!(
            r.text.contains("最初の画面へ戻る"),
            "the patient error page"
        );
    }
    assert!(
        backend::mail::latest_code_in_folder(&t.mail_dir, "csrf@example.jp").is_none(),
        "no code was mailed"
    );
    // Signed in: the session's token, not the anonymous one, and nothing is stored.
    t.register_on_pages(&mut phone, &case, "csrf@example.jp")
        .await;
    t.open(&mut phone, "/app/report").await;
    let mut fields = report_fields("infected", "36.5", [2; 9]);
    fields.push(("csrf", "forged".into()));
    let cookie = phone.cookie();
    let r = t
        .page(
            Method::POST,
            "/app/report/confirm",
            Some(&cookie),
            Some(form(&refs(&fields))),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (_, confirm) = t
        .report_on_pages(&mut phone, "infected", "36.5", [2; 9])
        .await;
    let mut send = send_fields(&confirm.text);
    send.push(("csrf", phone.csrf.clone()));
    let r = t
        .page(
            Method::POST,
            "/app/report",
            Some(&cookie),
            Some(form(&refs(&send))),
            &[("origin", "https://evil.example")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        report_count(&t, &staff, &case).await,
        1,
        "only the report sent properly is stored"
    );
    let r = t
        .page(
            Method::POST,
            "/app/logout",
            Some(&cookie),
            Some(form(&[("csrf", "x")])),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        t.open(&mut phone, "/app/home").await.status,
        StatusCode::OK,
        "still signed in"
    );
    // A malformed form is the patient error page, not the staff one.
    let r = t
        .page(
            Method::POST,
            "/app/login",
            None,
            Some("%%%".into()),
            &[("content-type", "text/plain")],
        )
        .await;
    assert!(
        r.status.is_client_error() && r.text.contains("最初の画面へ戻る"),
        "{} {}",
        r.status,
        r.text
    );
}

#[tokio::test]
async fn code_requests_code_tries_and_sign_ins_are_throttled_like_the_api() {
    let t = TestApp::with(|c| {
        c.limits.code_requests_per_email = Quota::new(1, 300);
        c.limits.logins_per_account = Quota::new(1, 300);
        c.limits.tries_per_client = Quota::new(2, 300);
    })
    .await;
    let mut phone = Phone::default();
    t.open(&mut phone, "/app/register").await;
    let r = t
        .fill(&mut phone, "/app/register", &[("email", "slow@example.jp")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = t
        .fill(&mut phone, "/app/register", &[("email", "slow@example.jp")])
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text.contains("操作が多すぎます") && r.text.contains("value=\"slow@example.jp\""));
    // Code tries per client: two wrong codes, then refused even with the right one.
    t.open(&mut phone, "/app/register/code").await;
    let code = t.code_for("slow@example.jp");
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let r = t
        .fill(&mut phone, "/app/register/code", &[("code", wrong)])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("認証コードが正しくありません。"));
    t.fill(&mut phone, "/app/register/code", &[("code", wrong)])
        .await;
    let r = t
        .fill(&mut phone, "/app/register/code", &[("code", &code)])
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // Sign-ins per account.
    let mut other = Phone::default();
    t.open(&mut other, "/app/login").await;
    let r = t
        .fill(
            &mut other,
            "/app/login",
            &[("email", "nobody@example.jp"), ("password", "Whatever-12")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = t
        .fill(
            &mut other,
            "/app/login",
            &[("email", "nobody@example.jp"), ("password", "Whatever-12")],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.text.contains("操作が多すぎます"));
}

#[tokio::test]
async fn each_step_refuses_with_the_apis_message_and_keeps_nothing_wrong() {
    let t = TestApp::new().await;
    let staff = t.centre("s").await;
    let case = t.current_case(&staff, "段階 次郎", "09066667777").await;
    let mut phone = Phone::default();
    // Steps out of order go back to the start of registration.
    for path in [
        "/app/register/code",
        "/app/register/password",
        "/app/register/attributes",
    ] {
        assert_eq!(
            t.open(&mut phone, path).await.location(),
            "/app/register",
            "{path}"
        );
    }
    for path in [
        "/app/welcome",
        "/app/report",
        "/app/home",
        "/app/reports/00000000-0000-0000-0000-000000000000",
    ] {
        assert_eq!(
            t.open(&mut phone, path).await.location(),
            "/app/login",
            "{path}"
        );
    }
    t.open(&mut phone, "/app/register").await;
    let r = t
        .fill(&mut phone, "/app/register", &[("email", "not-an-address")])
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("メールアドレスの形式が正しくありません。"));
    t.fill(&mut phone, "/app/register", &[("email", "jiro@example.jp")])
        .await;
    t.open(&mut phone, "/app/register/code").await;
    // The password step needs the verified code first.
    assert_eq!(
        t.open(&mut phone, "/app/register/password")
            .await
            .location(),
        "/app/register"
    );
    let code = t.code_for("jiro@example.jp");
    t.fill(
        &mut phone,
        "/app/register/code",
        &[("code", &format!(" {code} "))],
    )
    .await;
    let r = t.open(&mut phone, "/app/register/password").await;
    assert!(
        r.text
            .contains("英小文字・英大文字・数字・記号のうち3種類以上")
            && r.text.contains("data-part=\"symbol\"")
    );
    for (weak, why) in [
        ("short1A", "8文字以上"),
        ("alllowercase", "3種類以上"),
        ("Password1!", "よく使われて"),
    ] {
        let r = t
            .fill(&mut phone, "/app/register/password", &[("password", weak)])
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{weak}");
        assert!(r.text.contains(why) && !r.text.contains(weak), "{weak}");
    }
    t.fill(
        &mut phone,
        "/app/register/password",
        &[("password", PASSWORD)],
    )
    .await;
    // Details that do not match: one message, the typed values kept, no account.
    let a = attributes_of(&case);
    let input_id = a["input_id"].as_str().unwrap();
    let r = t
        .fill(
            &mut phone,
            "/app/register/attributes",
            &[
                ("name", "段階 三郎"),
                ("date_of_birth", "1980-04-01"),
                ("phone", "09066667777"),
                ("input_id", input_id),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.text.contains("保健所にお問い合わせください") && r.text.contains("value=\"段階 三郎\"")
    );
    assert!(!phone.jar.contains_key("mimamori_patient"));
    // Five mismatches end the request; the page says to start again.
    for _ in 0..4 {
        t.fill(
            &mut phone,
            "/app/register/attributes",
            &[
                ("name", "x"),
                ("date_of_birth", "1980-04-01"),
                ("phone", "0"),
                ("input_id", input_id),
            ],
        )
        .await;
    }
    let r = t
        .fill(
            &mut phone,
            "/app/register/attributes",
            &[
                ("name", "段階 次郎"),
                ("date_of_birth", "1980-04-01"),
                ("phone", "09066667777"),
                ("input_id", input_id),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::GONE);
    assert!(r.text.contains("やり直してください") && r.text.contains("id=\"start-again\""));
    // Registered properly from a fresh start, the form refuses bad answers.
    let mut phone = Phone::default();
    t.register_on_pages(&mut phone, &case, "jiro2@example.jp")
        .await;
    t.open(&mut phone, "/app/report").await;
    for (temp, msg) in [
        ("45", "34.0℃から42.0℃"),
        ("36.55", "小数点以下1桁"),
        ("", "体温を入力してください"),
    ] {
        let r = t
            .fill(
                &mut phone,
                "/app/report/confirm",
                &refs(&report_fields("infected", temp, [2; 9])),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{temp}");
        assert!(
            r.text.contains(msg) && r.text.contains("aria-invalid=\"true\""),
            "{temp}"
        );
    }
    let mut fields = report_fields("infected", "36.5", [2; 9]);
    fields.retain(|(k, _)| *k != "cough" && *k != "kind");
    fields.push(("urination", "3".into()));
    let r = t
        .fill(&mut phone, "/app/report/confirm", &refs(&fields))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text.contains("id=\"error-cough\"")
            && r.text.contains("id=\"error-urination\"")
            && r.text.contains("id=\"kind-error\"")
            && !r.text.contains("id=\"error-face\"")
    );
    assert!(r.text.contains("value=\"36.5\""), "typed values are kept");
    // A send form whose answers were changed after the confirm page is a conflict.
    let (_, confirm) = t
        .report_on_pages(&mut phone, "infected", "36.5", [2; 9])
        .await;
    let mut send = send_fields(&confirm.text);
    for f in send.iter_mut().filter(|(k, _)| *k == "temperature") {
        f.1 = "38.5".into();
    }
    let r = t.fill(&mut phone, "/app/report", &refs(&send)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // "Change" shows the form again with the answers.
    let mut edit = send_fields(&confirm.text);
    edit.retain(|(k, _)| *k != "action");
    edit.push(("action", "edit".into()));
    let r = t.fill(&mut phone, "/app/report", &refs(&edit)).await;
    assert!(
        r.status == StatusCode::OK
            && r.text.contains("value=\"36.5\"")
            && r.text.contains("value=\"2\" checked")
    );
    assert_eq!(report_count(&t, &staff, &case).await, 1);
}

#[tokio::test]
async fn a_patient_sees_only_their_own_reports_and_never_a_staff_page() {
    let t = TestApp::new().await;
    let staff = t.centre("o").await;
    let mine = t.current_case(&staff, "自分 一子", "09011110000").await;
    let theirs = t.current_case(&staff, "他人 二子", "09022220000").await;
    let other_token = t.register(&theirs, "other@example.jp").await;
    let id = new_id();
    let mut report = wire_report(
        today(),
        380,
        [2, 2, 1, 2, 2, 2, 2, 2, 2],
        chrono::Utc::now(),
    );
    report["id"] = serde_json::json!(id);
    let r = t
        .post(
            "/api/v1/reports:batch",
            Some(&other_token),
            serde_json::json!({ "reports": [report] }),
        )
        .await;
    assert_eq!(r.body["results"][0]["status"], "accepted");
    let mut phone = Phone::default();
    t.register_on_pages(&mut phone, &mine, "mine@example.jp")
        .await;
    let r = t.open(&mut phone, &format!("/app/reports/{id}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.text.contains("38.0") && !r.text.contains("他人"));
    assert_eq!(
        t.open(&mut phone, "/app/reports/not-a-uuid").await.status,
        StatusCode::NOT_FOUND
    );
    let home = t.open(&mut phone, "/app/home").await;
    assert!(!home.text.contains(&id) && home.text.contains("まだ入力がありません"));
    // The patient's session opens no staff page, under either cookie name.
    let token = phone.jar["mimamori_patient"].clone();
    for cookie in [phone.cookie(), format!("mimamori_staff={token}")] {
        for path in [
            "/",
            "/cases",
            &format!("/cases/{}", theirs["id"]),
            "/admin/audit",
            "/export/cases.csv",
        ] {
            let r = t.page(Method::GET, path, Some(&cookie), None, &[]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
            assert!(r.location().starts_with("/login"), "{path}");
        }
    }
    // A staff session is no patient session.
    let signed = t.sign_in(&staff.email, PASSWORD).await;
    let staff_token = signed.cookie.trim_start_matches("mimamori_staff=");
    let r = t
        .page(
            Method::GET,
            "/app/home",
            Some(&format!("mimamori_patient={staff_token}")),
            None,
            &[],
        )
        .await;
    assert_eq!(r.location(), "/app/login");
    let r = t
        .page(Method::GET, "/app/home", Some(&signed.cookie), None, &[])
        .await;
    assert_eq!(r.location(), "/app/login");
    // The page's session is also refused on the staff API.
    let r = t.get("/api/v1/cases", Some(&token)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
