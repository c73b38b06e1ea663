//! The files that let the phone apps open the leaflet's link themselves: Android's
//! Digital Asset Links (`/.well-known/assetlinks.json`) and Apple's
//! `apple-app-site-association`, both from configuration (the Android package with its
//! signing certificates' SHA-256 fingerprints, the iOS app id `TEAMID.bundle`). Only
//! the start page `/app` opens an app; every other patient page stays in the browser.
//! Unset, the file is 404 and the link simply opens the patient pages.

use crate::state::AppState;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Which apps may open the leaflet's link.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppLinks {
    /// The Android application id, e.g. `jp.mimamori.app`.
    pub android_package: String,
    /// SHA-256 fingerprints of the Android app's signing certificates (`AB:CD:…`).
    pub android_fingerprints: Vec<String>,
    /// The iOS app id, `TEAMID.jp.mimamori.app`.
    pub ios_app_id: Option<String>,
}

fn json_file(body: serde_json::Value) -> Response {
    ([(header::CONTENT_TYPE, "application/json"), (header::CACHE_CONTROL, "public, max-age=3600")], body.to_string()).into_response()
}

/// `GET /.well-known/assetlinks.json`.
pub async fn assetlinks(State(state): State<AppState>) -> Response {
    let links = &state.config.app_links;
    if links.android_fingerprints.is_empty() || links.android_package.is_empty() {
        return StatusCode::NOT_FOUND.into_response();
    }
    json_file(json!([{
        "relation": ["delegate_permission/common.handle_all_urls"],
        "target": {
            "namespace": "android_app",
            "package_name": links.android_package,
            "sha256_cert_fingerprints": links.android_fingerprints,
        }
    }]))
}

/// `GET /.well-known/apple-app-site-association`.
pub async fn apple_site_association(State(state): State<AppState>) -> Response {
    let Some(app_id) = &state.config.app_links.ios_app_id else {
        return StatusCode::NOT_FOUND.into_response();
    };
    json_file(json!({
        "applinks": {
            "details": [{
                "appIDs": [app_id],
                "components": [{ "/": protocol::APP_PATH, "comment": "the leaflet's link: the start page with its centre" }]
            }]
        }
    }))
}
