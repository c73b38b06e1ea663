//! The FHIR routes: the published definitions (`/fhir/Questionnaire/{id}`,
//! `/fhir/CodeSystem/{id}`, public), a case as a `Bundle`, a notification as a
//! `QuestionnaireResponse` and the centre's bulk NDJSON for staff (bearer token or the
//! staff page session; the centre scope as every case route has it, another centre's
//! case or notification is 404), and the import of a notification by a clinic.

use super::{FHIR_JSON, FHIR_NDJSON, base, export, may_export, notification, resources};
use crate::auth::StaffAuth;
use crate::clinic::api::{Filed, file_notification};
use crate::clinic::auth::OrgAuth;
use crate::clinic::store;
use crate::db::{AuditAction, CentreScope, Principal};
use crate::error::ApiError;
use crate::http::ApiJson;
use crate::secret::token_hash;
use crate::state::AppState;
use crate::web::session::{SESSION_COOKIE, cookie};
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::{StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;
use utoipa::OpenApi;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/fhir/Questionnaire/{id}", get(questionnaire))
        .route("/fhir/CodeSystem/{id}", get(code_system))
        .route("/api/fhir/cases/{id}", get(case_bundle))
        .route("/api/fhir/centre.ndjson", get(centre))
        .route("/api/fhir/notifications/{id}", get(notification_response))
        .route("/api/fhir/QuestionnaireResponse", post(import))
        .route("/api/fhir/$export", get(export_kickoff))
        .route("/api/fhir/export-jobs/{id}", get(export_status).delete(export_delete))
        .route("/api/fhir/export-jobs/{id}/files/{kind}", get(export_file))
}

/// The OpenAPI operations of this module.
#[derive(OpenApi)]
#[openapi(
    paths(questionnaire, code_system, case_bundle, centre, notification_response, import, export_kickoff, export_status, export_delete, export_file),
    tags((name = "fhir", description = "FHIR R4: published definitions, case and notification export, bulk NDJSON, notification import"))
)]
pub struct FhirApi;

/// A staff member by bearer token or by the staff page session (the person page's
/// download link); the centre scope comes from the session as for every case route.
#[derive(Debug, Clone, Copy)]
pub struct FhirStaff {
    /// Staff id.
    pub staff_id: i64,
    /// Their centre.
    pub scope: CentreScope,
}

impl FromRequestParts<AppState> for FhirStaff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<FhirStaff, ApiError> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            let a = StaffAuth::from_request_parts(parts, state).await?;
            return Ok(FhirStaff { staff_id: a.staff_id, scope: a.scope });
        }
        let token = cookie(&parts.headers, SESSION_COOKIE).filter(|t| !t.is_empty() && t.len() <= 256).ok_or_else(ApiError::unauthorized)?;
        match state.db.session(&token_hash(token), state.clock.now()).await? {
            Some(Principal::Staff { staff_id, scope, .. }) => Ok(FhirStaff { staff_id, scope }),
            Some(Principal::Patient { .. }) => Err(ApiError::forbidden()),
            None => Err(ApiError::unauthorized()),
        }
    }
}

/// A FHIR JSON answer, as a download named `file` when given.
fn fhir(value: &Value, file: Option<String>) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_default();
    let mut res = ([(header::CONTENT_TYPE, FHIR_JSON)], body).into_response();
    if let Some(name) = file
        && let Ok(v) = header::HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// 403: the person's data may not be exported.
pub fn export_refused() -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "export_refused", "この方のデータは現在出力できません（利用停止中）。", "This person's data cannot be exported now (its use is suspended).")
}

/// A published questionnaire (`mimamori-daily`, `mimamori-notification`).
#[utoipa::path(get, path = "/fhir/Questionnaire/{id}", tag = "fhir", params(("id" = String, Path, description = "mimamori-daily or mimamori-notification")),
    responses((status = 200, description = "Questionnaire (application/fhir+json)"), (status = 404, description = "No such questionnaire")))]
pub async fn questionnaire(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let q = super::definitions::questionnaire(&base(&state), &id).ok_or_else(ApiError::not_found)?;
    Ok(fhir(&q, None))
}

/// A published code system.
#[utoipa::path(get, path = "/fhir/CodeSystem/{id}", tag = "fhir", params(("id" = String, Path, description = "e.g. mimamori-answer")),
    responses((status = 200, description = "CodeSystem (application/fhir+json)"), (status = 404, description = "No such code system")))]
pub async fn code_system(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let cs = super::definitions::code_system(&base(&state), &id).ok_or_else(ApiError::not_found)?;
    Ok(fhir(&cs, None))
}

/// A case of the centre with its reports as a FHIR `Bundle` (collection): the patient,
/// and per report a body-temperature observation and the answers to the daily
/// questionnaire. Audited.
#[utoipa::path(get, path = "/api/fhir/cases/{id}", tag = "fhir", params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, description = "Bundle (application/fhir+json)"), (status = 403, description = "export_refused"),
        (status = 404, description = "No such case in this centre")), security(("bearer" = [])))]
pub async fn case_bundle(State(state): State<AppState>, auth: FhirStaff, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let case = state.db.case(auth.scope, id).await?.ok_or_else(ApiError::not_found)?;
    if !may_export(&state.db, &case).await? {
        return Err(export_refused());
    }
    let entries = state.db.case_reports(auth.scope, id).await?.ok_or_else(ApiError::not_found)?;
    let reports: Vec<_> = entries.into_iter().map(|e| e.report).collect();
    let now = state.clock.now();
    state.db.audit(auth.scope, auth.staff_id, AuditAction::ExportFhir, Some(id), now).await?;
    tracing::info!(case_id = id, by = auth.staff_id, reports = reports.len(), "case exported as FHIR");
    let b = base(&state);
    let corrected = crate::rights::corrected::Corrected::of(&state.db, auth.scope, vec![id]).await?;
    let bundle = resources::bundle(&b, &format!("case-{id}"), now, resources::case_resources(&b, &case, &reports, &corrected));
    Ok(fhir(&bundle, Some(format!("case-{id}.fhir.json"))))
}

/// Every case of the centre with its reports, one FHIR resource per line, streamed
/// page by page. Audited.
#[utoipa::path(get, path = "/api/fhir/centre.ndjson", tag = "fhir",
    responses((status = 200, description = "NDJSON (application/fhir+ndjson): Patient, then per report Observation and QuestionnaireResponse")),
    security(("bearer" = [])))]
pub async fn centre(State(state): State<AppState>, auth: FhirStaff) -> Result<Response, ApiError> {
    state.db.audit(auth.scope, auth.staff_id, AuditAction::ExportFhirCentre, None, state.clock.now()).await?;
    tracing::info!(by = auth.staff_id, "centre bulk FHIR export started");
    let body = Body::from_stream(export::stream(state.db.clone(), auth.scope, base(&state)));
    Ok(([(header::CONTENT_TYPE, FHIR_NDJSON), (header::CONTENT_DISPOSITION, "attachment; filename=\"centre.ndjson\"")], body).into_response())
}

/// An outbreak notification of the centre as a `QuestionnaireResponse` (another
/// centre's is 404). Audited.
#[utoipa::path(get, path = "/api/fhir/notifications/{id}", tag = "fhir", params(("id" = i64, Path, description = "Notification id")),
    responses((status = 200, description = "QuestionnaireResponse (application/fhir+json)"), (status = 404, description = "Not this centre's")),
    security(("bearer" = [])))]
pub async fn notification_response(State(state): State<AppState>, auth: FhirStaff, Path(id): Path<i64>) -> Result<Response, ApiError> {
    let n = store::centre_one(&state.db, auth.scope, id).await?.ok_or_else(ApiError::not_found)?;
    state.db.audit(auth.scope, auth.staff_id, AuditAction::ExportFhir, n.case_id, state.clock.now()).await?;
    tracing::info!(notification_id = id, by = auth.staff_id, "notification exported as FHIR");
    Ok(fhir(&notification::export(&base(&state), &n), Some(format!("notification-{id}.fhir.json"))))
}

/// A clinic files an outbreak notification as a `QuestionnaireResponse` of the
/// notification questionnaire: the same checks and routing as the form; each refusal
/// is a 422 naming the item.
#[utoipa::path(post, path = "/api/fhir/QuestionnaireResponse", tag = "fhir", request_body(content = Object, content_type = "application/fhir+json"),
    responses((status = 201, body = Filed), (status = 403, description = "Not a clinic account"),
        (status = 422, description = "The resource, an item or the routing is refused (the message names the item)")), security(("bearer" = [])))]
pub async fn import(State(state): State<AppState>, OrgAuth(p): OrgAuth, ApiJson(qr): ApiJson<Value>) -> Result<(StatusCode, ApiJson<Filed>), ApiError> {
    let req = notification::import(&base(&state), &qr)?;
    let (id, centre_id) = file_notification(&state, &p, &req).await.map_err(notification::refusal_to_error)?;
    tracing::info!(notification_id = id, "notification imported from FHIR");
    Ok((StatusCode::CREATED, ApiJson(Filed { id, status: "new".into(), centre_id })))
}

/// The parameters of a Bulk Data kick-off.
#[derive(Debug, serde::Deserialize)]
pub struct ExportQuery {
    /// Resource types, comma-separated (`Patient`, `Observation`, `QuestionnaireResponse`).
    #[serde(rename = "_type")]
    types: Option<String>,
    /// Only NDJSON is made.
    #[serde(rename = "_outputFormat")]
    output_format: Option<String>,
}

fn bulk_refused(code: &'static str, ja: &'static str, en: &'static str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, ja, en)
}

/// The server's origin (its public address without `/app`).
fn origin(state: &AppState) -> String {
    state.config.app_url.strip_suffix(protocol::APP_PATH).unwrap_or(&state.config.app_url).trim_end_matches('/').to_owned()
}

fn job_id(id: &str) -> Result<uuid::Uuid, ApiError> {
    uuid::Uuid::parse_str(id).map_err(|_| ApiError::not_found())
}

/// FHIR Bulk Data kick-off (system level: the centre's cases the centre may export).
/// Needs `Prefer: respond-async`; answers 202 with the status URL in
/// `Content-Location`. Audited.
#[utoipa::path(get, path = "/api/fhir/$export", tag = "fhir",
    params(("_type" = Option<String>, Query, description = "Patient, Observation, QuestionnaireResponse (comma-separated)"),
        ("_outputFormat" = Option<String>, Query, description = "application/fhir+ndjson")),
    responses((status = 202, description = "Accepted; Content-Location is the status URL"), (status = 400, description = "respond_async_required, invalid_type, invalid_output_format")),
    security(("bearer" = [])))]
pub async fn export_kickoff(
    State(state): State<AppState>,
    auth: FhirStaff,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    axum::extract::Query(q): axum::extract::Query<ExportQuery>,
) -> Result<Response, ApiError> {
    let respond_async = headers.get_all("prefer").iter().filter_map(|v| v.to_str().ok()).any(|v| v.split(',').any(|p| p.trim() == "respond-async"));
    if !respond_async {
        return Err(bulk_refused("respond_async_required", "Prefer: respond-async を付けて要求してください。", "Send the kick-off with Prefer: respond-async."));
    }
    if q.output_format.as_deref().is_some_and(|f| !matches!(f, "application/fhir+ndjson" | "application/ndjson" | "ndjson")) {
        return Err(bulk_refused("invalid_output_format", "出力形式は NDJSON（application/fhir+ndjson）のみです。", "The only output format is NDJSON (application/fhir+ndjson)."));
    }
    let types = super::bulk::parse_types(q.types.as_deref())
        .map_err(|_| bulk_refused("invalid_type", "_type は Patient、Observation、QuestionnaireResponse から選んでください。", "_type takes Patient, Observation and QuestionnaireResponse."))?;
    let now = state.clock.now();
    state.db.audit(auth.scope, auth.staff_id, AuditAction::ExportFhirCentre, None, now).await?;
    let request = format!("{}{}", origin(&state), uri.path_and_query().map_or("/api/fhir/$export", |p| p.as_str()));
    let job = super::bulk::Job { scope: auth.scope, at: now, request, types, state: super::bulk::JobState::Running };
    let id = state.exports.start(job.clone(), now);
    super::bulk::run(state.exports.clone(), state.db.clone(), base(&state), id, job);
    tracing::info!(by = auth.staff_id, "bulk data export started");
    let status_url = format!("{}/api/fhir/export-jobs/{id}", origin(&state));
    Ok((StatusCode::ACCEPTED, [(header::CONTENT_LOCATION, status_url)]).into_response())
}

/// A Bulk Data job's status: 202 with `X-Progress` and `Retry-After` while it runs, 200
/// with the manifest when done (another centre's job is 404).
#[utoipa::path(get, path = "/api/fhir/export-jobs/{id}", tag = "fhir", params(("id" = String, Path, description = "Job id")),
    responses((status = 200, description = "The manifest (application/json)"), (status = 202, description = "In progress"), (status = 404, description = "No such job of this centre")),
    security(("bearer" = [])))]
pub async fn export_status(State(state): State<AppState>, auth: FhirStaff, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = job_id(&id)?;
    let job = state.exports.get(id, auth.scope).ok_or_else(ApiError::not_found)?;
    match &job.state {
        super::bulk::JobState::Running => Ok((StatusCode::ACCEPTED, [("x-progress", "writing"), ("retry-after", "1")]).into_response()),
        super::bulk::JobState::Failed => Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "export_failed", "出力に失敗しました。もう一度お試しください。", "The export failed. Please try again.")),
        super::bulk::JobState::Done(files) => {
            let at = origin(&state);
            let manifest = super::bulk::manifest(&job, files, |t| format!("{at}/api/fhir/export-jobs/{id}/files/{t}"));
            Ok(([(header::CONTENT_TYPE, "application/json")], manifest.to_string()).into_response())
        }
    }
}

/// Removes a Bulk Data job and its files.
#[utoipa::path(delete, path = "/api/fhir/export-jobs/{id}", tag = "fhir", params(("id" = String, Path, description = "Job id")),
    responses((status = 202, description = "Removed"), (status = 404, description = "No such job of this centre")), security(("bearer" = [])))]
pub async fn export_delete(State(state): State<AppState>, auth: FhirStaff, Path(id): Path<String>) -> Result<StatusCode, ApiError> {
    if state.exports.delete(job_id(&id)?, auth.scope) { Ok(StatusCode::ACCEPTED) } else { Err(ApiError::not_found()) }
}

/// One NDJSON file of a finished Bulk Data job, streamed from disk.
#[utoipa::path(get, path = "/api/fhir/export-jobs/{id}/files/{kind}", tag = "fhir",
    params(("id" = String, Path, description = "Job id"), ("kind" = String, Path, description = "Resource type")),
    responses((status = 200, description = "NDJSON (application/fhir+ndjson)"), (status = 404, description = "No such file of this centre")), security(("bearer" = [])))]
pub async fn export_file(State(state): State<AppState>, auth: FhirStaff, Path((id, kind)): Path<(String, String)>) -> Result<Response, ApiError> {
    let job = state.exports.get(job_id(&id)?, auth.scope).ok_or_else(ApiError::not_found)?;
    let super::bulk::JobState::Done(files) = &job.state else { return Err(ApiError::not_found()) };
    let (_, path, _) = files.iter().find(|(t, ..)| *t == kind).ok_or_else(ApiError::not_found)?;
    let file = tokio::fs::File::open(path).await.map_err(|_| ApiError::not_found())?;
    let stream = futures_util::stream::try_unfold(file, |mut f| async move {
        let mut buf = vec![0_u8; 64 * 1024];
        let n = tokio::io::AsyncReadExt::read(&mut f, &mut buf).await?;
        if n == 0 {
            return Ok::<_, std::io::Error>(None);
        }
        buf.truncate(n);
        Ok(Some((axum::body::Bytes::from(buf), f)))
    });
    Ok(([(header::CONTENT_TYPE, FHIR_NDJSON)], Body::from_stream(stream)).into_response())
}
