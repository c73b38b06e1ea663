//! Report sync: `POST /api/v1/reports:batch`. Each report is validated with the shared
//! rules here, then the whole request goes to the group-commit writer, which resolves
//! the patient token, applies each id exactly once and answers after its commit.

use super::ApiJson;
use crate::auth::{ReqLang, bearer};
use crate::error::ApiError;
use crate::ingest::{JobInput, JobOutcome, ReportResult, prepare};
use protocol::wire::{BatchRequest, BatchResponse, WireReport};
use crate::secret::token_hash;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;

/// Routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/reports:batch", post(batch))
}

/// Applies a batch of daily reports, each exactly once by its id. A replay gets the
/// same per-report result; the same id with another payload gets `conflict`; a
/// refused report does not stop the others.
#[utoipa::path(post, path = "/api/v1/reports:batch", tag = "patient", request_body = BatchRequest,
    responses((status = 200, body = BatchResponse), (status = 401, description = "unauthorized"),
        (status = 413, description = "too many reports or body too large"), (status = 422, description = "wrong shape or unknown field")),
    security(("bearer" = [])))]
pub async fn batch(State(state): State<AppState>, ReqLang(lang): ReqLang, headers: HeaderMap, ApiJson(req): ApiJson<BatchRequest>) -> Result<ApiJson<BatchResponse>, ApiError> {
    let token = bearer(&headers).ok_or_else(ApiError::unauthorized)?;
    if req.reports.len() > state.config.max_reports_per_request {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_reports",
            "一度に送信できる報告の数を超えています。",
            "Too many reports in one request.",
        ));
    }
    let results = submit(&state, token, &req.reports).await?;
    Ok(ApiJson(BatchResponse { results: results.iter().map(|r| r.to_wire(lang)).collect() }))
}

/// Applies reports for the patient whose session `token` is, for both front ends (the
/// phone's sync and the patient pages' report form): each validated with the shared
/// rules and triaged, then written by the group-commit writer exactly once by its id.
/// Returns one result per report after their transaction has committed.
pub async fn submit(state: &AppState, token: &str, reports: &[WireReport]) -> Result<Vec<ReportResult>, ApiError> {
    let items = reports.iter().map(prepare).collect();
    match state.ingest.submit(JobInput { token_hash: token_hash(token), items }).await? {
        JobOutcome::Unauthorized => Err(ApiError::unauthorized()),
        JobOutcome::Results(results) => {
            for r in &results {
                state.metrics.report_result(match r {
                    crate::ingest::ReportResult::Accepted { .. } => "accepted",
                    crate::ingest::ReportResult::Conflict { .. } => "conflict",
                    crate::ingest::ReportResult::Refused { .. } => "refused",
                });
            }
            Ok(results)
        }
    }
}
