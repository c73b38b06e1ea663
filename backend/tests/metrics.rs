//! `/metrics` for the operators: absent unless a token is configured, refused without
//! it, and with it the requests by route template, throttled answers, the writer's
//! queue and each synced report's result — with no id, address or personal data in any
//! label.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use backend::config::Quota;
use backend::secret::Secret;
use common::*;
use serde_json::json;

const TOKEN: &str = "scrape-token-0123456789";

async fn scrape(t: &TestApp, token: Option<&str>) -> (StatusCode, String) {
    let mut b = Request::builder().method(Method::GET).uri("/metrics");
    if let Some(tok) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {tok}"));
    }
    let r = t.send(b.body(Body::empty()).unwrap()).await;
    (r.status, r.body.as_str().map(str::to_owned).unwrap_or_default())
}

#[tokio::test]
async fn without_a_token_configured_there_are_no_metrics() {
    let t = TestApp::new().await;
    assert_eq!(scrape(&t, Some(TOKEN)).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_scraper_sees_routes_results_and_throttling_but_nothing_personal() {
    let t = TestApp::with(|c| {
        c.metrics_token = Some(Secret::new(TOKEN.to_owned()));
        c.limits.code_requests_per_email = Quota::new(1, 600);
    })
    .await;
    assert_eq!(scrape(&t, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(scrape(&t, Some("wrong-token-0123456789")).await.0, StatusCode::UNAUTHORIZED);

    let staff = t.centre("metrics").await;
    let case = t.current_case(&staff, "計測 花子", "09077778888").await;
    let patient = t.register(&case, "hanako.metrics@example.jp").await;
    let id = case["id"].as_i64().unwrap();
    assert_eq!(t.get(&format!("/api/v1/cases/{id}"), Some(&staff.token)).await.status, StatusCode::OK);
    // One report accepted, one refused (a temperature out of range).
    let today = chrono::Utc::now().date_naive();
    let good = wire_report(today, 365, [2; 9], chrono::Utc::now());
    let bad = wire_report(today, 500, [2; 9], chrono::Utc::now());
    let r = t.post("/api/v1/reports:batch", Some(&patient), json!({ "reports": [good, bad] })).await;
    assert_eq!(r.status, StatusCode::OK);
    // A second code request for the same address is throttled.
    t.post("/api/v1/registrations", None, json!({ "email": "twice@example.jp" })).await;
    assert_eq!(t.post("/api/v1/registrations", None, json!({ "email": "twice@example.jp" })).await.status, StatusCode::TOO_MANY_REQUESTS);

    let (status, text) = scrape(&t, Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains(r#"mimamori_sync_reports_total{result="accepted"} 1"#), "{text}");
    assert!(text.contains(r#"mimamori_sync_reports_total{result="refused"} 1"#), "{text}");
    assert!(text.contains("mimamori_throttled_total 1"), "{text}");
    assert!(text.contains("mimamori_writer_queue_depth 0"), "{text}");
    assert!(text.contains(r#"route="/api/v1/cases/{id}",status="200""#), "the route's template: {text}");
    assert!(text.contains("mimamori_http_request_duration_seconds_bucket"), "{text}");
    for personal in [format!("/api/v1/cases/{id}\""), "計測".into(), "example.jp".into(), "09077778888".into(), case["input_id"].as_str().unwrap().to_owned()] {
        assert!(!text.contains(&personal), "{personal} in the metrics");
    }
}
