//! A patient's household members (代理入力): link a member's case by that person's
//! attributes and input ID (the same match as registration, the same mismatch answer
//! and throttle), list the members with their cases' profiles, and unlink one. Reports
//! for a member name its `member_id` and land on the member's own case.

use super::ApiJson;
use super::registration::{attributes_match, mismatch};
use crate::auth::{ClientAddr, PatientAuth};
use crate::db::Profile;
use crate::db::household::LinkOutcome;
use crate::error::ApiError;
use crate::normalize;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use protocol::wire::AttributesRequest;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(protocol::wire::PATH_HOUSEHOLD, get(list).post(link))
        .route("/api/v1/household/{member_id}/unlink", post(unlink))
}

/// A linked household member (`protocol::wire::HouseholdMember`).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Member {
    /// The member's id on this account; reports for the member carry it as `person`.
    pub member_id: String,
    /// The member's case.
    pub profile: Profile,
}

/// The account's household members (`protocol::wire::HouseholdList`).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Members {
    /// Members still linked, oldest link first.
    pub members: Vec<Member>,
}

async fn member(state: &AppState, member_id: i64, case_id: i64) -> Result<Member, ApiError> {
    let profile = state.db.profile(case_id).await?.ok_or_else(ApiError::not_found)?;
    Ok(Member { member_id: member_id.to_string(), profile })
}

/// Links a household member's case: 201 when linked now, 200 when it was already.
#[utoipa::path(post, path = "/api/v1/household", tag = "patient", request_body = AttributesRequest,
    responses((status = 201, body = Member), (status = 200, body = Member, description = "Already linked"),
        (status = 400, description = "registration_mismatch"), (status = 429, description = "too_many_requests")),
    security(("bearer" = [])))]
pub async fn link(State(state): State<AppState>, auth: PatientAuth, ClientAddr(ip): ClientAddr, ApiJson(req): ApiJson<AttributesRequest>) -> Result<(StatusCode, ApiJson<Member>), ApiError> {
    state.throttle.attempt(ip).await?;
    let case = match normalize::input_id(&req.input_id) {
        Some(input_id) => state.db.case_by_input_id(&input_id).await?,
        None => None,
    };
    let Some(case) = case.filter(|c| attributes_match(&req, c)) else {
        tracing::info!(patient_id = auth.patient_id, "household member attributes did not match");
        return Err(mismatch());
    };
    let (status, member_id) = match state.db.link_household(auth.patient_id, case.id, state.clock.now()).await? {
        LinkOutcome::Linked(id) => {
            tracing::info!(patient_id = auth.patient_id, member_id = id, case_id = case.id, "household member linked");
            (StatusCode::CREATED, id)
        }
        LinkOutcome::AlreadyLinked(id) => (StatusCode::OK, id),
        LinkOutcome::OwnCase => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "own_case",
                "ご本人の情報です。世帯員の方の情報を入力してください。",
                "These are your own details. Enter the household member's details.",
            ));
        }
    };
    Ok((status, ApiJson(member(&state, member_id, case.id).await?)))
}

/// The account's household members.
#[utoipa::path(get, path = "/api/v1/household", tag = "patient", responses((status = 200, body = Members)), security(("bearer" = [])))]
pub async fn list(State(state): State<AppState>, auth: PatientAuth) -> Result<ApiJson<Members>, ApiError> {
    let mut members = Vec::new();
    for link in state.db.household(auth.patient_id).await? {
        members.push(member(&state, link.member_id, link.case_id).await?);
    }
    Ok(ApiJson(Members { members }))
}

/// Unlinks a household member: new reports for them are refused, their reports stay.
#[utoipa::path(post, path = "/api/v1/household/{member_id}/unlink", tag = "patient", params(("member_id" = String, Path, description = "member_id")),
    responses((status = 204, description = "Unlinked"), (status = 404, description = "Not a linked member of this account")), security(("bearer" = [])))]
pub async fn unlink(State(state): State<AppState>, auth: PatientAuth, Path(member_id): Path<String>) -> Result<StatusCode, ApiError> {
    let id = member_id.trim().parse::<i64>().map_err(|_| ApiError::not_found())?;
    if !state.db.unlink_household(auth.patient_id, id, state.clock.now()).await? {
        return Err(ApiError::not_found());
    }
    tracing::info!(patient_id = auth.patient_id, member_id = id, "household member unlinked");
    Ok(StatusCode::NO_CONTENT)
}
