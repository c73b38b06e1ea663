//! Staff accounts: login (bearer session), logout, who am I, and admins adding staff
//! to their own centre.

use protocol::wire::LoginRequest;
use super::ApiJson;
use crate::auth::{ClientAddr, StaffAuth, bearer, issue_session};
use crate::db::{Centre, NewStaff, Role, SessionOwner};
use crate::error::ApiError;
use crate::normalize;
use crate::password;
use crate::secret::{Secret, token_hash};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/staff/login", post(login))
        .route("/api/v1/staff/me", get(me))
        .route("/api/v1/staff/accounts", post(create_account))
        .route("/api/v1/logout", post(logout))
}


/// A new session.
// No Debug: it carries a bearer token.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct SessionResponse {
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// The one answer for any failed login, so it tells nothing about which part was wrong.
pub fn login_failed() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "login_failed",
        "メールアドレスまたはパスワードが正しくありません。",
        "The e-mail address or password is not correct.",
    )
}

/// Staff login.
#[utoipa::path(post, path = "/api/v1/staff/login", tag = "staff", request_body = LoginRequest,
    responses((status = 200, body = SessionResponse), (status = 401, description = "login_failed"), (status = 429, description = "too_many_requests")))]
pub async fn login(State(state): State<AppState>, ClientAddr(ip): ClientAddr, ApiJson(req): ApiJson<LoginRequest>) -> Result<ApiJson<SessionResponse>, ApiError> {
    let staff_id = verify_staff_login(&state, ip, &req.email, Secret::new(req.password)).await?;
    let (token, expires_at) = issue_session(&state, SessionOwner::Staff(staff_id), state.config.staff_session_ttl).await?;
    tracing::info!(staff_id, "staff logged in");
    Ok(ApiJson(SessionResponse { token: token.expose().clone(), expires_at }))
}

/// Checks a staff e-mail and password (throttled per account and client, same answer
/// for any failure, Argon2id verification even for an unknown address); the staff id.
/// The API and the login page both use it.
pub async fn verify_staff_login(state: &AppState, ip: std::net::IpAddr, email: &str, password: Secret<String>) -> Result<i64, ApiError> {
    let email = normalize::email(email).unwrap_or_default();
    state.throttle.login(&format!("staff:{email}"), ip).await?;
    let row = state.db.staff_login(&email).await?;
    let ok = password::verify_async(password.expose().clone(), row.as_ref().map(|r| r.password_hash.clone()), state.config.hash_cost).await?;
    match row.filter(|_| ok) {
        Some(row) => {
            state.throttle.remember_login(&format!("staff:{email}"), ip).await;
            Ok(row.id)
        }
        None => {
            tracing::info!("staff login refused");
            Err(login_failed())
        }
    }
}

/// Ends the session of the bearer token (staff or patient).
#[utoipa::path(post, path = "/api/v1/logout", tag = "staff", responses((status = 204, description = "Logged out"), (status = 401, description = "unauthorized: not a session")), security(("bearer" = [])))]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<StatusCode, ApiError> {
    let token = bearer(&headers).ok_or_else(ApiError::unauthorized)?;
    // A token that is no session (never was, expired, or already logged out) is
    // told so, like every other route.
    if !state.db.delete_session(&token_hash(token)).await? {
        return Err(ApiError::unauthorized());
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The logged-in staff member and their centre.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Me {
    /// Staff id.
    pub staff_id: i64,
    /// `admin` or `staff`.
    pub role: String,
    /// Their centre.
    pub centre: CentreView,
}

/// A health centre.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CentreView {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Emergency number.
    pub emergency_number: String,
    /// Jurisdiction code.
    pub jurisdiction_code: String,
}

impl From<Centre> for CentreView {
    fn from(c: Centre) -> CentreView {
        CentreView { id: c.id, name: c.name, emergency_number: c.emergency_number, jurisdiction_code: c.jurisdiction_code }
    }
}

/// Who am I.
#[utoipa::path(get, path = "/api/v1/staff/me", tag = "staff", responses((status = 200, body = Me)), security(("bearer" = [])))]
pub async fn me(State(state): State<AppState>, auth: StaffAuth) -> Result<ApiJson<Me>, ApiError> {
    let centre = state.db.centre(auth.scope).await?.ok_or_else(ApiError::not_found)?;
    Ok(ApiJson(Me { staff_id: auth.staff_id, role: auth.role.as_str().to_owned(), centre: centre.into() }))
}

/// A new staff account in the admin's own centre.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaffRequest {
    /// Login e-mail.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Initial password (same strength rule as patients').
    pub password: String,
    /// `admin` or `staff`.
    pub role: String,
}

/// The new account's id.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Created {
    /// Id.
    pub id: i64,
}

/// Adds a staff account (admins only).
#[utoipa::path(post, path = "/api/v1/staff/accounts", tag = "staff", request_body = NewStaffRequest,
    responses((status = 201, body = Created), (status = 403, description = "Not an admin"), (status = 409, description = "E-mail taken")), security(("bearer" = [])))]
pub async fn create_account(State(state): State<AppState>, auth: StaffAuth, ApiJson(req): ApiJson<NewStaffRequest>) -> Result<(StatusCode, ApiJson<Created>), ApiError> {
    if auth.role != Role::Admin {
        return Err(ApiError::forbidden());
    }
    let email = normalize::email(&req.email).ok_or_else(invalid_email)?;
    let name = normalize::display_name(&req.name).ok_or_else(|| invalid_field("name"))?;
    let role = Role::parse(&req.role).ok_or_else(|| invalid_field("role"))?;
    password::check_strength(&req.password, &email).map_err(password::weakness_error)?;
    let password_hash = password::hash_async(req.password, state.config.hash_cost).await?;
    let id = state.db.create_staff(auth.scope, NewStaff { email, name, role, password_hash }, state.clock.now()).await?;
    tracing::info!(staff_id = id, by = auth.staff_id, "staff account created");
    Ok((StatusCode::CREATED, ApiJson(Created { id })))
}

/// 400 for an e-mail address that does not parse.
pub fn invalid_email() -> ApiError {
    ApiError::bad_request("invalid_email", "メールアドレスの形式が正しくありません。", "The e-mail address is not valid.")
}

/// 400 for a field that is empty or malformed; the code names the field.
pub fn invalid_field(field: &'static str) -> ApiError {
    let (code, ja, en) = match field {
        "name" => ("invalid_name", "氏名を入力してください（100文字以内）。", "Enter a name (at most 100 characters)."),
        "name_reading" => ("invalid_name_reading", "ふりがなを入力してください（100文字以内）。", "Enter the reading of the name (at most 100 characters)."),
        "role" => ("invalid_role", "権限は admin または staff です。", "The role must be admin or staff."),
        "date_of_birth" => ("invalid_date_of_birth", "生年月日を YYYY-MM-DD で入力してください。", "Enter the date of birth as YYYY-MM-DD."),
        "phone" => ("invalid_phone", "電話番号を数字で入力してください。", "Enter the phone number as digits."),
        "kind" => ("invalid_kind", "区分が正しくありません。", "The kind of person is not valid."),
        "observation" => ("invalid_observation", "観察方法は app または phone です。", "Observation must be app or phone."),
        "period" => ("invalid_period", "健康観察期間が正しくありません。", "The observation period is not valid."),
        _ => ("invalid_field", "入力内容が正しくありません。", "A field is not valid."),
    };
    ApiError::bad_request(code, ja, en)
}
