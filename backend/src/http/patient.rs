//! The patient's own API after registration: login by e-mail and password, the
//! profile the phone keeps for offline warnings, and the patient's own reports.

use super::ApiJson;
use super::cases::ReportView;
use super::staff::{SessionResponse, login_failed};
use protocol::wire::LoginRequest;
use crate::auth::{ClientAddr, PatientAuth, issue_session};
use crate::db::{Profile, SessionOwner};
use crate::error::ApiError;
use crate::normalize;
use crate::password;
use crate::secret::Secret;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use std::net::IpAddr;
use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/login", post(login))
        .route("/api/v1/profile", get(profile))
        .route("/api/v1/reports", get(own_reports))
}

/// Patient login.
#[utoipa::path(post, path = "/api/v1/login", tag = "patient", request_body = LoginRequest,
    responses((status = 200, body = SessionResponse), (status = 401, description = "login_failed"), (status = 429, description = "too_many_requests")))]
pub async fn login(State(state): State<AppState>, ClientAddr(ip): ClientAddr, ApiJson(req): ApiJson<LoginRequest>) -> Result<ApiJson<SessionResponse>, ApiError> {
    let (token, expires_at) = sign_in(&state, ip, &req.email, req.password).await?;
    Ok(ApiJson(SessionResponse { token: token.expose().clone(), expires_at }))
}

/// Patient login for both front ends (the API and the patient pages): throttled per
/// account and client, the same answer for any failure, a new session on success.
pub async fn sign_in(state: &AppState, ip: IpAddr, email: &str, password: String) -> Result<(Secret<String>, DateTime<Utc>), ApiError> {
    let email = normalize::email(email).unwrap_or_default();
    state.throttle.login(&format!("patient:{email}"), ip).await?;
    let row = state.db.patient_login(&email).await?;
    let ok = password::verify_async(password, row.as_ref().map(|r| r.password_hash.clone()), state.config.hash_cost).await?;
    let Some(row) = row.filter(|_| ok) else {
        tracing::info!("patient login refused");
        return Err(login_failed());
    };
    state.throttle.remember_login(&format!("patient:{email}"), ip).await;
    let (token, expires_at) = issue_session(state, SessionOwner::Patient(row.id), state.config.patient_session_ttl).await?;
    tracing::info!(patient_id = row.id, "patient logged in");
    Ok((token, expires_at))
}

/// Kind, observation period, health-centre name and emergency number.
#[utoipa::path(get, path = "/api/v1/profile", tag = "patient", responses((status = 200, body = Profile), (status = 401, description = "unauthorized")), security(("bearer" = [])))]
pub async fn profile(State(state): State<AppState>, auth: PatientAuth) -> Result<ApiJson<Profile>, ApiError> {
    state.db.profile(auth.case_id).await?.map(ApiJson).ok_or_else(ApiError::not_found)
}

/// The patient's own reports.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct OwnReports {
    /// Reports, by day and time on the phone.
    pub reports: Vec<ReportView>,
}

/// The patient's own reports.
#[utoipa::path(get, path = "/api/v1/reports", tag = "patient", responses((status = 200, body = OwnReports)), security(("bearer" = [])))]
pub async fn own_reports(State(state): State<AppState>, auth: PatientAuth) -> Result<ApiJson<OwnReports>, ApiError> {
    let reports = state.db.own_reports(auth.case_id).await?;
    let corrected = crate::rights::corrected::Corrected::of_case(&state.db, auth.case_id).await?;
    Ok(ApiJson(OwnReports { reports: reports.into_iter().map(|r| ReportView::corrected(r, &corrected)).collect() }))
}
