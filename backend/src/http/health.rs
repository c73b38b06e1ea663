//! Liveness and readiness: `/healthz` answers without touching anything (the trivial
//! route the ingest benchmark compares with), `/readyz` also asks the database to commit a write.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

/// Routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "Up")))]
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// The process is up and its database answers and takes writes.
#[utoipa::path(get, path = "/readyz", tag = "health", responses((status = 200, description = "Ready"), (status = 503, description = "Database unavailable")))]
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    state.db.writable().await?;
    Ok(Json(json!({ "status": "ok", "database": state.db.kind() })))
}
