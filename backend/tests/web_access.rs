//! Who may open the health-centre pages: anonymous users are sent to the login page
//! and change nothing; another centre's staff get "not found" for every page, form and
//! export that touches a case, and see none of it in lists or downloads; only admins
//! open the audit page; forms need the session's CSRF token and the same origin; the
//! session cookie's flags, the security headers, logout and a failed login.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

/// Two centres; centre A has a case with a registered patient who reported today.
async fn two_centres(t: &TestApp) -> (Staff, Staff, i64, String) {
    let a = t.centre("a").await;
    let b = t.centre("b").await;
    let case = t.current_case(&a, "秘密 花子", "09011112222").await;
    let patient = t.register(&case, "hanako@example.jp").await;
    // Feverish and breathless: on the fever and the urgent list.
    t.sync_on(&patient, today(), 386, [2, 2, 1, 2, 2, 2, 2, 2, 2]).await;
    (a, b, case["id"].as_i64().unwrap(), case["input_id"].as_str().unwrap().to_owned())
}

async fn case_count(t: &TestApp, staff: &Staff) -> usize {
    t.get("/api/v1/cases", Some(&staff.token)).await.body["cases"].as_array().unwrap().len()
}

#[tokio::test]
async fn anonymous_users_are_sent_to_login_and_change_nothing() {
    let t = TestApp::new().await;
    let (a, _, id, _) = two_centres(&t).await;
    for path in [
        "/".to_owned(),
        "/cases".into(),
        "/cases?q=%E7%A7%98%E5%AF%86".into(),
        "/cases/new".into(),
        format!("/cases/{id}"),
        format!("/cases/{id}/leaflet"),
        "/export/cases.csv".into(),
        "/export/reports.csv".into(),
        "/admin/audit".into(),
    ] {
        let r = t.page(Method::GET, &path, None, None, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert!(r.location().starts_with("/login?next=%2F"), "{path} → {}", r.location());
        assert!(!r.text.contains("秘密"), "{path} leaked a name");
        // A made-up cookie is no better than none.
        let r = t.page(Method::GET, &path, Some("mimamori_staff=forged-token"), None, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path} with a forged cookie");
    }
    let body = form(&[("csrf", "x"), ("name", "侵入 太郎"), ("outcome", "reached"), ("note", "n"), ("to_centre", "2")]);
    for path in ["/cases".to_owned(), format!("/cases/{id}/contacts"), format!("/cases/{id}/handled"), format!("/cases/{id}/transfer"), format!("/cases/{id}/close"), "/logout".into()] {
        let r = t.page(Method::POST, &path, None, Some(body.clone()), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
        assert!(r.location().starts_with("/login"), "{path}");
    }
    assert_eq!(case_count(&t, &a).await, 1);
    let signed = t.sign_in(&a.email, PASSWORD).await;
    let person = t.view(&signed, &format!("/cases/{id}")).await;
    assert!(person.text.contains("秘密 花子") && !person.text.contains("侵入"));
    assert_eq!(person.text.matches("<tr data-report-id").count(), 1);
}

#[tokio::test]
async fn another_centres_staff_get_not_found_and_see_nothing() {
    let t = TestApp::new().await;
    let (a, b, id, input_id) = two_centres(&t).await;
    let other = t.sign_in(&b.email, PASSWORD).await;
    for path in [format!("/cases/{id}"), format!("/cases/{id}/leaflet")] {
        let r = t.view(&other, &path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.text.contains("秘密") && !r.text.contains(&input_id), "{path} leaked");
    }
    let r = t.submit(&other, &format!("/cases/{id}/contacts"), &[("outcome", "reached"), ("note", "他所から")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t.submit(&other, &format!("/cases/{id}/transfer"), &[("to_centre", &b.centre_id.to_string()), ("reason", "奪取")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = t.submit(&other, &format!("/cases/{id}/handled"), &[("note", "他所から対応"), ("seen", "9999999999999999")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Lists, search and downloads of centre B hold nothing of centre A.
    for path in ["/".to_owned(), "/cases".into(), "/cases?q=秘密".replace("秘密", "%E7%A7%98%E5%AF%86"), format!("/cases?q={input_id}"), "/cases?status=fever".into(), "/export/cases.csv".into(), "/export/reports.csv".into()] {
        let r = t.view(&other, &path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        // The search box shows what was typed; the case itself is nowhere.
        assert!(!r.text.contains("花子") && !r.text.contains("09011112222") && !r.text.contains("090-1111-2222") && !r.text.contains(&format!("data-case-id=\"{id}\"")), "{path} leaked");
        assert!(path.contains("q=") || !r.text.contains(&input_id), "{path} leaked the input ID");
    }
    let board = t.view(&other, "/").await;
    assert!(board.text.contains("id=\"count-fever\" class=\"n\">0<"), "centre B counts centre A's fever");
    assert!(board.text.contains("id=\"count-urgent\" class=\"n\">0<") && !board.text.contains("id=\"urgent-alert\""));
    // Centre A's case is untouched: still A's, no contact logged, not transferred.
    let owner = t.sign_in(&a.email, PASSWORD).await;
    let person = t.view(&owner, &format!("/cases/{id}")).await;
    assert_eq!(person.status, StatusCode::OK);
    assert!(!person.text.contains("他所から") && !person.text.contains("奪取"));
    let board = t.view(&owner, "/").await;
    assert!(board.text.contains("id=\"count-fever\" class=\"n\">1<"), "{}", board.text);
    assert!(board.text.contains("id=\"count-urgent\" class=\"n\">1<"), "still urgent: B's handling was refused");
    // B's audit page shows none of A's views.
    let audit = t.view(&other, "/admin/audit").await;
    assert!(!audit.text.contains(&a.email));
}

#[tokio::test]
async fn only_admins_open_the_audit_page() {
    let t = TestApp::new().await;
    let a = t.centre("a").await;
    let r = t
        .post("/api/v1/staff/accounts", Some(&a.token), json!({ "email": "nurse@centre.example.jp", "name": "看護 師子", "password": PASSWORD, "role": "staff" }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let nurse = t.sign_in("nurse@centre.example.jp", PASSWORD).await;
    let r = t.view(&nurse, "/admin/audit").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.text.contains(&a.email));
    assert!(!t.view(&nurse, "/").await.text.contains("nav-audit"), "the menu offers staff the audit page");
    let admin = t.sign_in(&a.email, PASSWORD).await;
    let r = t.view(&admin, "/admin/audit").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("nurse@centre.example.jp"), "the nurse's board view is not listed");
}

#[tokio::test]
async fn forms_need_the_sessions_csrf_token_and_the_same_origin() {
    let t = TestApp::new().await;
    let (a, _, id, _) = two_centres(&t).await;
    let me = t.sign_in(&a.email, PASSWORD).await;
    let case = [
        ("name", "新規 一郎"),
        ("name_reading", "しんき いちろう"),
        ("date_of_birth", "1970-01-01"),
        ("phone", "09033334444"),
        ("kind", "infected"),
        ("observation", "app"),
        ("period_start", "2026-01-01"),
        ("period_end", "2026-01-10"),
    ];
    let mut no_token = case.to_vec();
    no_token.push(("csrf", ""));
    let r = t.page(Method::POST, "/cases", Some(&me.cookie), Some(form(&no_token)), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut other_token = case.to_vec();
    other_token.push(("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    let r = t.page(Method::POST, "/cases", Some(&me.cookie), Some(form(&other_token)), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut good = case.to_vec();
    good.push(("csrf", &me.csrf));
    for from_elsewhere in [[("origin", "https://evil.example")], [("origin", "null")], [("sec-fetch-site", "cross-site")]] {
        let r = t.page(Method::POST, "/cases", Some(&me.cookie), Some(form(&good)), &from_elsewhere).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{from_elsewhere:?}");
    }
    let r = t.page(Method::POST, &format!("/cases/{id}/contacts"), Some(&me.cookie), Some(form(&[("outcome", "reached"), ("note", "x")])), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = t.page(Method::POST, &format!("/cases/{id}/handled"), Some(&me.cookie), Some(form(&[("note", "x")])), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(case_count(&t, &a).await, 1, "a refused form created a case");
    // The same form from the page itself goes through.
    let r = t.page(Method::POST, "/cases", Some(&me.cookie), Some(form(&good)), &[("origin", "http://127.0.0.1:8080")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(case_count(&t, &a).await, 2);
    // The login form needs its own cookie.
    let body = form(&[("email", a.email.as_str()), ("password", PASSWORD), ("csrf", "guess")]);
    let r = t.page(Method::POST, "/login", Some("mimamori_login=other"), Some(body), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.set_cookie("mimamori_staff").is_none());
}

#[tokio::test]
async fn session_cookie_flags_security_headers_logout_and_failed_login() {
    let t = TestApp::new().await;
    let a = t.centre("a").await;
    let r = t.try_sign_in(&a.email, PASSWORD).await;
    let (_, line) = r.set_cookie("mimamori_staff").unwrap();
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(line.contains(flag), "{line} lacks {flag}");
    }
    assert!(!line.contains("Secure"), "Secure is off unless configured");
    let me = t.sign_in(&a.email, PASSWORD).await;
    let board = t.view(&me, "/").await;
    let h = |n: &str| board.headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(h("content-security-policy").contains("frame-ancestors 'none'") && !h("content-security-policy").contains("unsafe-inline"));
    assert_eq!(h("x-frame-options"), "DENY");
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("referrer-policy"), "same-origin");
    assert_eq!(h("cache-control"), "no-store");
    // Logout ends the session on the server, not only in the browser.
    let r = t.submit(&me, "/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.set_cookie("mimamori_staff").unwrap().0, "");
    let r = t.view(&me, "/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A wrong password shows the form again, in Japanese, with no session.
    let r = t.try_sign_in(&a.email, "Wrong-pass-123").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.set_cookie("mimamori_staff").is_none());
    assert!(r.text.contains("id=\"login-error\""));
    assert!(!r.text.contains("Wrong-pass-123"));
    // Secure cookies when configured.
    let secure = TestApp::with(|c| c.secure_cookies = true).await;
    let s = secure.centre("s").await;
    let r = secure.try_sign_in(&s.email, PASSWORD).await;
    assert!(r.set_cookie("mimamori_staff").unwrap().1.contains("Secure"));
}

#[tokio::test]
async fn pages_are_japanese_by_default_and_english_after_the_switch() {
    let t = TestApp::new().await;
    let a = t.centre("a").await;
    let me = t.sign_in(&a.email, PASSWORD).await;
    let ja = t.view(&me, "/").await;
    assert!(ja.text.contains("<html lang=\"ja\">") && ja.text.contains("本日の健康観察") && ja.text.contains("未入力"));
    let r = t.page(Method::GET, "/lang/en?next=%2Fcases", Some(&me.cookie), None, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/cases");
    let (lang, _) = r.set_cookie("mimamori_lang").unwrap();
    let cookie = format!("{}; mimamori_lang={lang}", me.cookie);
    let en = t.page(Method::GET, "/", Some(&cookie), None, &[]).await;
    assert!(en.text.contains("<html lang=\"en\">") && en.text.contains("Today&#39;s health reports"), "{}", en.text);
    assert!(!en.text.contains("未入力"));
    // The switch never sends anyone off the site.
    let r = t.page(Method::GET, "/lang/en?next=https%3A%2F%2Fevil.example%2F", None, None, &[]).await;
    assert_eq!(r.location(), "/");
}

#[tokio::test]
async fn no_way_back_leads_off_the_site_or_breaks_the_answer() {
    let t = TestApp::new().await;
    let a = t.centre("a").await;
    // A tab or line break that a browser would drop (`/<TAB>/evil.example/` reads as
    // `//evil.example/`), a control character that cannot go in a header, a backslash.
    for next in ["/%09/evil.example/", "/%0A/evil.example/", "/%0A", "/%0D", "/%7F", "/%5C/evil.example/", "/%E3%80%80/evil"] {
        let r = t.page(Method::GET, &format!("/lang/en?next={next}"), None, None, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(r.location(), "/", "{next}");
        // The same after signing in with it as the way back.
        let login = t.page(Method::GET, &format!("/login?next={next}"), None, None, &[]).await;
        assert_eq!(login.status, StatusCode::OK, "{next}");
        let (login_cookie, _) = login.set_cookie("mimamori_login").expect("login cookie");
        let csrf = hidden(&login.text, "csrf");
        let way_back = hidden(&login.text, "next");
        assert_eq!(way_back, "/", "{next}: the form carries only a local path");
        let decoded = form_urlencoded::parse(format!("n={next}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default();
        let body = form(&[("email", &a.email), ("password", PASSWORD), ("csrf", &csrf), ("next", &decoded)]);
        let r = t.page(Method::POST, "/login", Some(&format!("mimamori_login={login_cookie}")), Some(body), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(r.location(), "/", "{next}");
    }
}

#[tokio::test]
async fn malformed_page_requests_get_the_error_page_and_the_api_keeps_json() {
    let t = TestApp::new().await;
    let a = t.centre("a").await;
    let me = t.sign_in(&a.email, PASSWORD).await;
    let json_body = Some(r#"{"note":"x"}"#.to_owned());
    for (method, path, body, status) in [
        (Method::GET, "/cases/not-a-number", None, StatusCode::BAD_REQUEST),
        (Method::PUT, "/cases", None, StatusCode::METHOD_NOT_ALLOWED),
        (Method::POST, "/cases/1/contacts", json_body, StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ] {
        let mut b = axum::http::Request::builder().method(method.clone()).uri(path).header("cookie", &me.cookie);
        if body.is_some() {
            b = b.header("content-type", "application/json");
        }
        let res = t.app.clone().oneshot(b.body(axum::body::Body::from(body.unwrap_or_default())).unwrap()).await.unwrap();
        assert_eq!(res.status(), status, "{method} {path}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"), "{method} {path}");
        let text = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        assert!(text.contains("リクエストが正しくありません") && text.contains("<main id=\"error\">"), "{text}");
    }
    let r = t.page(Method::GET, "/api/v1/no-such-thing", None, None, &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.headers["content-type"].to_str().unwrap().starts_with("application/json"));
    assert!(r.text.contains("\"error\":\"not_found\""), "{}", r.text);
}
