//! Liveness and readiness: `/healthz` answers without touching anything (the trivial
//! route the ingest benchmark compares with); `/readyz` reports each dependency — the
//! database commits a write, the mail relay takes a connection (EHLO, STARTTLS, AUTH,
//! NOOP; no message; a relay that answered is not asked again for 10 s) or mail goes to
//! a folder, the trusted authorities loaded — and is
//! 503 while any of them is not ready. A failure's reason names the check, never data.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

/// Marks an answer whose JSON body is already the answer (the readiness report's 503
/// keeps its checks instead of becoming a generic error).
#[derive(Debug, Clone, Copy)]
pub struct OwnBody;

/// Routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "Up")))]
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The process is up and its dependencies answer.
#[utoipa::path(get, path = "/readyz", tag = "health", responses((status = 200, description = "Ready"), (status = 503, description = "A dependency is not ready; `checks` says which")))]
pub async fn readyz(State(state): State<AppState>) -> axum::response::Response {
    let database = match state.db.writable().await {
        Ok(()) => json!({ "ok": true, "kind": state.db.kind() }),
        Err(e) => {
            tracing::warn!(detail = %e, "readiness: database not ready");
            json!({ "ok": false, "kind": state.db.kind(), "reason": "the database does not answer or take writes" })
        }
    };
    let mail = match state.mailer.probe().await {
        None => json!({ "ok": true, "via": "folder" }),
        Some(Ok(())) => json!({ "ok": true, "via": "smtp" }),
        Some(Err(why)) => {
            tracing::warn!(reason = %why, "readiness: mail relay not ready");
            json!({ "ok": false, "via": "smtp", "reason": why })
        }
    };
    let trust = &state.config.trust;
    let authorities = json!({ "ok": true, "extra": trust.extra_count(), "described": trust.describe() });
    let ready = database["ok"] == true && mail["ok"] == true;
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = json!({
        "status": if ready { "ok" } else { "unavailable" },
        "database": state.db.kind(),
        "checks": { "database": database, "mail": mail, "authorities": authorities },
    });
    let mut res = axum::response::IntoResponse::into_response((status, axum::Extension(OwnBody), Json(body)));
    if !ready {
        // A balancer or client told to wait is told how long.
        res.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from_static("5"));
    }
    res
}
