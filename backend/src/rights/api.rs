//! The app's side of the person's rights (bearer patient session): file a request,
//! list one's requests with their status, and the disclosure of one's own data as
//! JSON (a disclosure given is recorded as an answered request, once a day however often
//! it is read).

use super::{check_request, disclosure, request_open, request_view};
use crate::auth::PatientAuth;
use crate::db::rights::{Filed, NewRequest, Via};
use crate::error::ApiError;
use crate::http::ApiJson;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use protocol::rights::{Disclosure, FileRequest, PATH_DISCLOSURE, PATH_RIGHTS_REQUESTS, RequestKind, RequestList, RequestView};
use utoipa::OpenApi;

/// Routes (under the phone's versioned API).
pub fn router() -> Router<AppState> {
    Router::new().route(PATH_RIGHTS_REQUESTS, get(list).post(file)).route(PATH_DISCLOSURE, get(disclose))
}

/// The operations of this module in the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(file, list, disclose), components(schemas(FileRequest, RequestView, RequestList, Disclosure)))]
pub struct RightsApi;

/// Files `req` for case `case_id`; the request as stored, or why not.
pub async fn file_for(state: &AppState, case_id: i64, via: Via, req: NewRequest) -> Result<RequestView, ApiError> {
    let id = match state.db.file_rights_request(case_id, via, req, state.clock.now()).await? {
        Filed::Filed(id) => id,
        Filed::AlreadyOpen(_) => return Err(request_open()),
        Filed::UnknownReport => return Err(super::invalid_report()),
    };
    tracing::info!(case_id, request_id = id, "data request filed");
    let all = state.db.rights_requests(case_id).await?;
    all.iter().find(|r| r.id == id).map(request_view).ok_or_else(ApiError::not_found)
}

/// Files a request about one's data: 201 with its status.
#[utoipa::path(post, path = "/api/v1/rights/requests", tag = "patient", request_body = FileRequest,
    responses((status = 201, body = RequestView), (status = 400, description = "invalid_item, invalid_value, invalid_report, invalid_note"),
        (status = 409, description = "request_open")),
    security(("bearer" = [])))]
pub async fn file(State(state): State<AppState>, auth: PatientAuth, ApiJson(req): ApiJson<FileRequest>) -> Result<(StatusCode, ApiJson<RequestView>), ApiError> {
    let new = check_request(&req)?;
    Ok((StatusCode::CREATED, ApiJson(file_for(&state, auth.case_id, Via::App, new).await?)))
}

/// One's requests, newest first, with their status.
#[utoipa::path(get, path = "/api/v1/rights/requests", tag = "patient", responses((status = 200, body = RequestList)), security(("bearer" = [])))]
pub async fn list(State(state): State<AppState>, auth: PatientAuth) -> Result<ApiJson<RequestList>, ApiError> {
    let requests = state.db.rights_requests(auth.case_id).await?.iter().map(request_view).collect();
    Ok(ApiJson(RequestList { requests }))
}

/// Everything held about the person (recorded as a disclosure given).
#[utoipa::path(get, path = "/api/v1/rights/disclosure", tag = "patient", responses((status = 200, body = Disclosure)), security(("bearer" = [])))]
pub async fn disclose(State(state): State<AppState>, auth: PatientAuth, lang: crate::auth::ReqLang) -> Result<ApiJson<Disclosure>, ApiError> {
    let req = NewRequest { kind: RequestKind::Disclosure, item: None, report_id: None, value: None, note: None };
    file_for(&state, auth.case_id, Via::App, req).await?;
    Ok(ApiJson(disclosure(&state, auth.case_id, lang.0).await?))
}
