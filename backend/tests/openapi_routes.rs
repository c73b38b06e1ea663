//! The OpenAPI document describes exactly the JSON API the router serves: every
//! `/api/…` route (method and path, read off the built router) is an operation of the
//! document, and every operation of the document is a route. A route added without its
//! `#[utoipa::path]` fails here with its name. Every route answers with the security
//! headers, whatever its kind.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use backend::http::routes::{self, Kind, RouteInfo};
use common::TestApp;
use std::collections::BTreeSet;

/// Routes under `/api/` the document does not describe, each with its reason.
const NOT_DOCUMENTED: &[(&str, &str)] = &[("GET /api/openapi.json", "the document itself")];

fn operations() -> BTreeSet<String> {
    let doc = serde_json::to_value(backend::http::openapi::document()).unwrap();
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "patch", "options", "head", "trace"] {
            if item.get(method).is_some() {
                out.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    out
}

fn name(r: &RouteInfo) -> String {
    format!("{} {}", r.method, r.path)
}

#[tokio::test]
async fn the_route_list_is_read_off_the_router() {
    let t = TestApp::new().await;
    let list = routes::list(&t.app);
    let names: BTreeSet<String> = list.iter().map(name).collect();
    // Routes of every part of the server, with their methods (a GET+POST path twice).
    for known in ["GET /api/v1/cases", "POST /api/v1/cases", "GET /cases/{id}", "POST /cases/{id}/close", "PUT /api/v1/clinic/counts/{day}", "GET /app", "GET /healthz", "GET /metrics"] {
        assert!(names.contains(known), "{known} is missing from {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains("__private__") || n.starts_with("HEAD ")), "{names:?}");
    let case = list.iter().find(|r| r.path == "/api/v1/cases/{id}/close").unwrap();
    assert_eq!((case.kind(), case.params()), (Kind::Api, vec!["id"]));
    assert_eq!(list.iter().find(|r| r.path == "/cases/{id}").unwrap().kind(), Kind::Page);
    assert_eq!(list.iter().find(|r| r.path == "/call/twilio/voice").unwrap().kind(), Kind::Webhook);
    // Every listed route answers something other than "no such route" (404 JSON from
    // the API's fallback would carry `not_found` on a path without parameters).
    for r in list.iter().filter(|r| r.params().is_empty() && r.kind() == Kind::Api) {
        let req = axum::http::Request::builder().method(r.method.clone()).uri(&r.path).body(axum::body::Body::empty()).unwrap();
        let res = t.send(req).await;
        assert_ne!(res.status, 405, "{} is listed but refuses its method", name(r));
    }
}

#[tokio::test]
async fn every_api_route_is_in_the_openapi_document_and_back() {
    let t = TestApp::new().await;
    let exempt: BTreeSet<&str> = NOT_DOCUMENTED.iter().map(|(n, _)| *n).collect();
    let served: BTreeSet<String> = routes::list(&t.app).iter().filter(|r| r.kind() == Kind::Api).map(name).collect();
    let all: BTreeSet<String> = routes::list(&t.app).iter().map(name).collect();
    let documented = operations();
    let undocumented: Vec<&String> = served.iter().filter(|n| !documented.contains(*n) && !exempt.contains(n.as_str())).collect();
    assert!(undocumented.is_empty(), "routes missing from the OpenAPI document: {undocumented:#?}");
    let phantom: Vec<&String> = documented.iter().filter(|n| !all.contains(*n)).collect();
    assert!(phantom.is_empty(), "operations in the OpenAPI document the router does not serve: {phantom:#?}");
    // The exemptions are real routes (a stale one is removed, not kept).
    for n in &exempt {
        assert!(served.contains(*n), "{n} is exempt but not served");
    }
}

/// Required text fields of request bodies that may be empty, each with its reason.
const MAY_BE_EMPTY: &[(&str, &str)] = &[];

#[test]
fn no_request_body_documents_an_empty_required_text_the_server_refuses() {
    let doc = serde_json::to_value(backend::http::openapi::document()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let mut bodies = BTreeSet::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            if let Some(r) = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str() {
                bodies.insert(r.rsplit('/').next().unwrap().to_owned());
            }
        }
    }
    assert!(bodies.len() >= 10, "{bodies:?}");
    let mut loose = Vec::new();
    for name in &bodies {
        let schema = &schemas[name.as_str()];
        let required: Vec<&str> = schema["required"].as_array().map(|r| r.iter().filter_map(|v| v.as_str()).collect()).unwrap_or_default();
        for field in required {
            let p = &schema["properties"][field];
            let is_text = p["type"] == "string";
            let bounded = p.get("minLength").and_then(|v| v.as_u64()).is_some_and(|n| n >= 1) || p.get("pattern").is_some() || p.get("enum").is_some() || p.get("format").is_some();
            if is_text && !bounded && !MAY_BE_EMPTY.iter().any(|(n, _)| *n == format!("{name}.{field}")) {
                loose.push(format!("{name}.{field}"));
            }
        }
    }
    assert!(loose.is_empty(), "required text fields that the document lets be empty: {loose:#?}");
}

#[tokio::test]
async fn every_route_answers_with_the_security_headers() {
    let t = TestApp::new().await;
    let list = routes::list(&t.app);
    let mut missing = Vec::new();
    for r in &list {
        let mut path = r.path.clone();
        for p in r.params() {
            path = path.replace(&format!("{{{p}}}"), "1").replace(&format!("{{*{p}}}"), "1");
        }
        let req = axum::http::Request::builder().method(r.method.clone()).uri(&path).body(axum::body::Body::empty()).unwrap();
        let res = t.send(req).await;
        let h = |name: &str| res.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        let csp = h("content-security-policy");
        let script = csp.split(';').map(str::trim).find(|d| d.starts_with("script-src ")).unwrap_or("");
        let ok = csp.contains("default-src 'none'")
            && csp.contains("frame-ancestors 'none'")
            && !script.contains("unsafe-inline")
            && !script.contains("unsafe-eval")
            && h("x-frame-options") == "DENY"
            && h("x-content-type-options") == "nosniff";
        if !ok {
            missing.push(format!("{} {} ({})", r.method, r.path, res.status));
        }
    }
    assert!(list.len() >= 80, "{}", list.len());
    assert!(missing.is_empty(), "routes answering without the security headers: {missing:#?}");
}
