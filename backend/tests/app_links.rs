//! What a phone needs from the leaflet's address besides the pages: the App Links and
//! universal-link files only when an app is configured (and only for the start page),
//! the leaflet's QR code carrying the centre the link reader expects, and the
//! data-handling notice on the start page.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use backend::web::app_links::AppLinks;
use common::*;

#[tokio::test]
async fn without_a_configured_app_the_link_files_do_not_exist() {
    let t = TestApp::new().await;
    assert_eq!(t.get("/.well-known/assetlinks.json", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get("/.well-known/apple-app-site-association", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_configured_app_may_open_the_start_page_only() {
    let t = TestApp::with(|c| {
        c.app_links = AppLinks {
            android_package: "jp.mimamori.app".into(),
            android_fingerprints: vec!["AB:CD:EF".into()],
            ios_app_id: Some("TEAM123456.jp.mimamori.app".into()),
        };
    })
    .await;
    let android = t.get("/.well-known/assetlinks.json", None).await;
    assert_eq!(android.status, StatusCode::OK);
    assert_eq!(android.headers["content-type"], "application/json");
    assert_eq!(android.body[0]["target"]["package_name"], "jp.mimamori.app");
    assert_eq!(android.body[0]["target"]["sha256_cert_fingerprints"][0], "AB:CD:EF");
    assert_eq!(android.body[0]["relation"][0], "delegate_permission/common.handle_all_urls");
    let apple = t.get("/.well-known/apple-app-site-association", None).await;
    assert_eq!(apple.status, StatusCode::OK);
    let detail = &apple.body["applinks"]["details"][0];
    assert_eq!(detail["appIDs"][0], "TEAM123456.jp.mimamori.app");
    assert_eq!(detail["components"].as_array().map(Vec::len), Some(1));
    assert_eq!(detail["components"][0]["/"], "/app");
}

#[tokio::test]
async fn the_start_page_carries_the_data_handling_notice() {
    let t = TestApp::new().await;
    let page = t.get("/app", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body.as_str().unwrap_or_default();
    assert!(html.contains("入力いただいた情報の取扱いについて"), "the notice's heading");
    assert!(html.contains("開示、訂正、利用停止"), "the notice's last paragraph");
}
