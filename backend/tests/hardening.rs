//! Hostile or clumsy input: malformed JSON, unknown fields, wrong types, oversize bodies,
//! wrong methods and paths all get a 4xx JSON error, never a 5xx; throttling answers
//! 429 with Retry-After; errors speak Japanese unless English is asked for; the
//! OpenAPI document and health routes answer.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use backend::config::Quota;
use common::*;
use serde_json::json;
use std::net::{IpAddr, Ipv4Addr};

fn raw(method: Method, path: &str, content_type: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(path);
    if let Some(ct) = content_type {
        b = b.header(header::CONTENT_TYPE, ct);
    }
    b.body(body.into()).unwrap()
}

#[tokio::test]
async fn malformed_requests_get_json_4xx_never_5xx() {
    let t = TestApp::new().await;
    let staff = t.centre("bad").await;
    let case = t.case(&staff, "山田 太郎", "09012345678").await;
    let token = t.register(&case, "bad@example.jp").await;
    let json_ct = Some("application/json");
    let big = format!("{{\"email\":\"{}@example.jp\"}}", "a".repeat(70 * 1024));
    let cases: Vec<(Request<Body>, StatusCode, &str)> = vec![
        (raw(Method::POST, "/api/v1/registrations", json_ct, "{not json"), StatusCode::BAD_REQUEST, "bad_json"),
        (raw(Method::POST, "/api/v1/registrations", json_ct, ""), StatusCode::BAD_REQUEST, "bad_json"),
        (raw(Method::POST, "/api/v1/registrations", json_ct, r#"{"email":"a@b.jp","admin":true}"#), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        (raw(Method::POST, "/api/v1/registrations", json_ct, r#"{"email":42}"#), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        (raw(Method::POST, "/api/v1/registrations", json_ct, r#"{}"#), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        (raw(Method::POST, "/api/v1/registrations", json_ct, r#"[]"#), StatusCode::UNPROCESSABLE_ENTITY, "invalid_body"),
        (raw(Method::POST, "/api/v1/registrations", Some("text/plain"), r#"{"email":"a@b.jp"}"#), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        (raw(Method::POST, "/api/v1/registrations", None, r#"{"email":"a@b.jp"}"#), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        (raw(Method::POST, "/api/v1/registrations", json_ct, big), StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        (raw(Method::GET, "/api/v1/registrations", None, ""), StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        (raw(Method::GET, "/api/v1/nothing-here", None, ""), StatusCode::NOT_FOUND, "not_found"),
        (raw(Method::POST, "/api/v1/registrations/not-a-uuid/verify", json_ct, r#"{"code":"123456"}"#), StatusCode::BAD_REQUEST, "bad_request"),
    ];
    for (req, status, code) in cases {
        let what = format!("{} {}", req.method(), req.uri());
        let r = t.send(req).await;
        assert_eq!(r.status, status, "{what}: {:?}", r.body);
        assert_eq!(r.body["error"], code, "{what}");
        assert!(r.body["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}");
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/json", "{what}");
    }
    // Report sync: shape errors refuse the request, never a 5xx.
    let auth = |mut req: Request<Body>| {
        req.headers_mut().insert(header::AUTHORIZATION, format!("Bearer {token}").parse().unwrap());
        req
    };
    for body in [
        r#"{"reports":[{"id":"x"}]}"#.to_owned(),
        r#"{"reports":"all"}"#.to_owned(),
        r#"{"reports":[],"extra":1}"#.to_owned(),
        json!({ "reports": [{ "id": new_id(), "local_date": "2026-01-02", "kind": "infected", "temperature_tenths": 36.5, "answers": WELL, "recorded_at": "2026-01-02T08:00:00Z" }] }).to_string(),
        json!({ "reports": [{ "id": new_id(), "local_date": "2026-01-02", "kind": "infected", "temperature_tenths": 365, "answers": WELL, "recorded_at": "2026-01-02T08:00:00Z", "note": "x" }] }).to_string(),
    ] {
        let r = t.send(auth(raw(Method::POST, "/api/v1/reports:batch", json_ct, body.clone()))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {:?}", r.body);
    }
    let r = t.send(auth(raw(Method::POST, "/api/v1/reports:batch", json_ct, "{\"reports\":["))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn errors_speak_japanese_unless_english_is_asked_for() {
    let t = TestApp::new().await;
    let r = t.get("/api/v1/cases", None).await;
    assert_eq!(r.body["message"], "ログインが必要です。もう一度ログインしてください。");
    assert_eq!(r.headers[header::CONTENT_LANGUAGE], "ja");
    let mut req = TestApp::request(Method::GET, "/api/v1/cases", None, None);
    req.headers_mut().insert(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9,ja;q=0.5".parse().unwrap());
    let r = t.send(req).await;
    assert_eq!(r.body, json!({ "error": "unauthorized", "message": "Please log in again." }));
    assert_eq!(r.headers[header::CONTENT_LANGUAGE], "en");
    let mut req = TestApp::request(Method::GET, "/api/v1/cases", None, None);
    req.headers_mut().insert(header::ACCEPT_LANGUAGE, "fr-FR".parse().unwrap());
    assert_eq!(t.send(req).await.headers[header::CONTENT_LANGUAGE], "ja");
}

#[tokio::test]
async fn code_requests_are_throttled_per_address_and_per_client() {
    let t = TestApp::with(|c| {
        c.limits.code_requests_per_email = Quota::new(2, 300);
        c.limits.code_requests_per_client = Quota::new(4, 600);
    })
    .await;
    let ip = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10));
    for _ in 0..2 {
        assert_eq!(t.post_from(ip, "/api/v1/registrations", None, json!({ "email": "same@example.jp" })).await.status, StatusCode::ACCEPTED);
    }
    let r = t.post_from(ip, "/api/v1/registrations", None, json!({ "email": "same@example.jp" })).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.body["error"], "too_many_requests");
    let wait: u64 = r.headers[header::RETRY_AFTER].to_str().unwrap().parse().unwrap();
    assert!((1..=300).contains(&wait), "{wait}");
    // Another address from the same client works until the client's quota is spent.
    assert_eq!(t.post_from(ip, "/api/v1/registrations", None, json!({ "email": "other@example.jp" })).await.status, StatusCode::ACCEPTED);
    let r = t.post_from(ip, "/api/v1/registrations", None, json!({ "email": "third@example.jp" })).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    // Another client is not affected.
    let other = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 11));
    assert_eq!(t.post_from(other, "/api/v1/registrations", None, json!({ "email": "fourth@example.jp" })).await.status, StatusCode::ACCEPTED);
}

/// A code request from `peer` with `X-Forwarded-For: forwarded`.
async fn code_request_via(t: &TestApp, peer: IpAddr, forwarded: &str, email: &str) -> StatusCode {
    let mut req = TestApp::request(Method::POST, "/api/v1/registrations", None, Some(&json!({ "email": email })));
    req.headers_mut().insert("x-forwarded-for", forwarded.parse().unwrap());
    req.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::new(peer, 40000)));
    t.send(req).await.status
}

#[tokio::test]
async fn behind_a_trusted_proxy_a_client_cannot_pick_its_own_address() {
    let proxy = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));
    let t = TestApp::with(|c| {
        c.limits.code_requests_per_client = Quota::new(2, 600);
        c.trusted_proxies = vec![proxy];
    })
    .await;
    // The client writes a new address into the header each time; the proxy appends
    // the one it really saw. The limit follows the real one.
    for n in 0..2 {
        assert_eq!(code_request_via(&t, proxy, &format!("198.51.100.{n}, 203.0.113.9"), &format!("x{n}@example.jp")).await, StatusCode::ACCEPTED);
    }
    assert_eq!(code_request_via(&t, proxy, "198.51.100.77, 203.0.113.9", "x9@example.jp").await, StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy is not affected.
    assert_eq!(code_request_via(&t, proxy, "203.0.113.10", "y@example.jp").await, StatusCode::ACCEPTED);
    // Straight to the server, the header is ignored: the peer is the client.
    let direct = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 50));
    for n in 0..2 {
        assert_eq!(code_request_via(&t, direct, &format!("198.51.100.{n}"), &format!("z{n}@example.jp")).await, StatusCode::ACCEPTED);
    }
    assert_eq!(code_request_via(&t, direct, "198.51.100.99", "z9@example.jp").await, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn wrong_logins_from_elsewhere_never_lock_the_staff_out_of_their_office() {
    let t = TestApp::with(|c| {
        c.limits.logins_per_account = Quota::new(5, 600);
        c.limits.logins_per_account_place = Quota::new(5, 600);
    })
    .await;
    let staff = t.centre("lock").await;
    let office = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 80));
    let right = json!({ "email": staff.email, "password": PASSWORD });
    assert_eq!(t.post_from(office, "/api/v1/staff/login", None, right.clone()).await.status, StatusCode::OK);
    // Someone tries wrong passwords from many places until new places are refused.
    let wrong = json!({ "email": staff.email, "password": "Wrong-pass-1" });
    let mut last = StatusCode::OK;
    for n in 1..=8 {
        last = t.post_from(IpAddr::V4(Ipv4Addr::new(203, 0, 113, n)), "/api/v1/staff/login", None, wrong.clone()).await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS, "guessing from new places is capped");
    // The right password from the office still signs in.
    assert_eq!(t.post_from(office, "/api/v1/staff/login", None, right).await.status, StatusCode::OK);
}

#[tokio::test]
async fn code_tries_and_logins_are_throttled() {
    let t = TestApp::with(|c| {
        c.limits.tries_per_client = Quota::new(3, 60);
        c.limits.logins_per_account = Quota::new(2, 60);
        c.limits.logins_per_client = Quota::new(5, 60);
    })
    .await;
    let ip = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7));
    let r = t.post("/api/v1/registrations", None, json!({ "email": "guess@example.jp" })).await;
    let id = r.body["request_id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/registrations/{id}/verify");
    for _ in 0..3 {
        assert_ne!(t.post_from(ip, &path, None, json!({ "code": "000000x" })).await.status, StatusCode::TOO_MANY_REQUESTS);
    }
    let r = t.post_from(ip, &path, None, json!({ "code": "000000" })).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers.contains_key(header::RETRY_AFTER));

    let login = json!({ "email": "someone@example.jp", "password": "Wrong-pass-1" });
    for _ in 0..2 {
        assert_eq!(t.post_from(ip, "/api/v1/login", None, login.clone()).await.status, StatusCode::UNAUTHORIZED);
    }
    let r = t.post_from(ip, "/api/v1/login", None, login).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "per account");
    // Per client: spread over accounts, the client's quota still runs out.
    let mut statuses = Vec::new();
    for i in 0..4 {
        statuses.push(t.post_from(ip, "/api/v1/staff/login", None, json!({ "email": format!("s{i}@example.jp"), "password": "x" })).await.status);
    }
    assert_eq!(statuses.last(), Some(&StatusCode::TOO_MANY_REQUESTS), "{statuses:?}");
}

#[tokio::test]
async fn openapi_document_and_health_routes() {
    let t = TestApp::new().await;
    let r = t.get("/healthz", None).await;
    assert_eq!(r.body, json!({ "status": "ok" }));
    let r = t.get("/readyz", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["database"], database_kind());
    let r = t.get("/api/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body["openapi"].as_str().unwrap().starts_with("3."));
    let paths = r.body["paths"].as_object().unwrap();
    for p in [
        "/api/v1/registrations",
        "/api/v1/registrations/{id}/verify",
        "/api/v1/registrations/{id}/password",
        "/api/v1/registrations/{id}/attributes",
        "/api/v1/login",
        "/api/v1/profile",
        "/api/v1/reports:batch",
        "/api/v1/staff/login",
        "/api/v1/cases",
        "/api/v1/cases/{id}/reports",
    ] {
        assert!(paths.contains_key(p), "{p} missing from the OpenAPI document");
    }
    assert!(r.body["components"]["schemas"]["WireReport"].is_object());
    assert!(r.body["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn an_app_older_than_the_server_accepts_is_told_to_update_and_changes_nothing() {
    use protocol::wire::{HEADER_MIN_PROTOCOL, HEADER_PROTOCOL};
    let with_version = |path: &str, token: Option<&str>, body: Option<&serde_json::Value>, v: Option<&str>| {
        let mut req = TestApp::request(if body.is_some() { axum::http::Method::POST } else { axum::http::Method::GET }, path, token, body);
        if let Some(v) = v {
            req.headers_mut().insert(HEADER_PROTOCOL, v.parse().unwrap());
        }
        req.headers_mut().insert(axum::http::header::ACCEPT_LANGUAGE, "en".parse().unwrap());
        req
    };
    // Today's server accepts version 1, with or without the header, and says so.
    let t = TestApp::new().await;
    for v in [None, Some("1"), Some("7")] {
        let r = t.send(with_version("/api/v1/profile", None, None, v)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{v:?}: past the version check");
        assert_eq!(r.headers.get(HEADER_MIN_PROTOCOL).unwrap(), "1");
    }
    for v in ["0", "one"] {
        let r = t.send(with_version("/api/v1/profile", None, None, Some(v))).await;
        assert_eq!((r.status, r.body["error"].as_str()), (StatusCode::UPGRADE_REQUIRED, Some("update_required")), "{v}");
    }

    // A server that needs version 2: a version-1 phone's sync is refused whole.
    let t = TestApp::with(|c| c.min_app_protocol = 2).await;
    let staff = t.centre("v").await;
    let case = t.case(&staff, "版 太郎", "09066667777").await;
    let r = t.post("/api/v1/registrations", None, json!({ "email": "v@example.jp" })).await;
    assert_eq!(r.status, StatusCode::UPGRADE_REQUIRED, "a request without the header is version 1");
    assert_eq!(r.headers.get(HEADER_MIN_PROTOCOL).unwrap(), "2");
    assert!(r.body["message"].as_str().unwrap().contains("アプリを最新版に更新してください"));
    let batch = json!({ "reports": [report(&new_id(), "2026-01-03", 366, WELL)] });
    let r = t.send(with_version("/api/v1/reports:batch", Some("any"), Some(&batch), Some("1"))).await;
    assert_eq!(r.status, StatusCode::UPGRADE_REQUIRED);
    assert_eq!(r.body["message"], "Please update the app. Until then, your reports are kept on this phone.");
    let r = t.send(with_version("/api/v1/reports:batch", Some("any"), Some(&batch), Some("2"))).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "version 2 gets past the check");
    // Staff tools do not speak the phone's protocol; nothing reached the case.
    let reports = t.get(&format!("/api/v1/cases/{}/reports", case["id"]), Some(&staff.token)).await;
    assert_eq!((reports.status, reports.body["reports"].as_array().map(Vec::len)), (StatusCode::OK, Some(0)));
    assert!(reports.headers.get(HEADER_MIN_PROTOCOL).is_none());
}
