//! First registration (初回登録), step by step as the guide describes it:
//! e-mail → verification code → password → attributes and smartphone input ID → the
//! account is linked to its case and gets a session.
//!
//! Refusals are deliberately uninformative where it matters: a code request always
//! answers the same way, and any attribute mismatch gets ONE message that never says
//! which field failed.

use protocol::wire::{AttributesRequest, CodeRequest, PasswordRequest, VerifyRequest};
use super::ApiJson;
use super::staff::invalid_email;
use crate::auth::{ClientAddr, ReqLang, bearer};
use crate::db::{CaseRecord, Completion, Profile, RegState, Registration};
use crate::error::ApiError;
use crate::normalize;
use crate::password;
use crate::secret::{code_hash, constant_time_eq, new_token, random_digits, token_hash};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use chrono::{DateTime, Utc};
use protocol::Lang;
use std::net::IpAddr;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Digits of a verification code.
pub const CODE_DIGITS: usize = 6;

/// Routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/registrations", post(request_code))
        .route("/api/v1/registrations/{id}/verify", post(verify))
        .route("/api/v1/registrations/{id}/password", post(set_password))
        .route("/api/v1/registrations/{id}/attributes", post(attributes))
}


/// A registration request was made and a code sent.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CodeRequested {
    /// Id of this registration request; the next steps use it.
    pub request_id: Uuid,
    /// Seconds the code stays valid.
    pub expires_in: u64,
}


/// The code was right.
// No Debug: it carries a bearer token.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Verified {
    /// Bearer token for the password and attribute steps of this request only.
    pub registration_token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}



/// Registration finished: the patient's session and profile.
// No Debug: it carries a bearer token.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct Registered {
    /// Patient bearer token.
    pub token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// Kind, observation period, health-centre name and emergency number.
    pub profile: Profile,
}

fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "registration_not_found",
        "登録手続きが見つかりません。最初からやり直してください。",
        "This registration was not found. Please start again.",
    )
}

fn too_many_tries() -> ApiError {
    ApiError::new(
        StatusCode::GONE,
        "too_many_tries",
        "試行回数の上限に達しました。認証コードの送信からやり直してください。",
        "Too many wrong attempts. Please request a new verification code.",
    )
}

fn token_invalid() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "registration_token_invalid",
        "手続きの有効期限が切れました。認証コードの送信からやり直してください。",
        "This registration step has expired. Please request a new verification code.",
    )
}

/// The one answer for any attribute mismatch.
pub fn mismatch() -> ApiError {
    ApiError::bad_request(
        "registration_mismatch",
        "入力された情報が保健所に登録された情報と一致しません。お手数ですが、保健所にお問い合わせください。",
        "The details you entered do not match what your health centre registered. Please contact your health centre.",
    )
}

/// Whether a person's attributes match a case: name (width, spaces), date of birth and
/// phone (width, hyphens). Registration and household linking use this one rule.
pub fn attributes_match(req: &AttributesRequest, c: &CaseRecord) -> bool {
    let name = normalize::name(&req.name) == normalize::name(&c.name);
    let dob = normalize::date(&req.date_of_birth) == Some(c.date_of_birth);
    let phone = normalize::phone(&req.phone).as_deref() == Some(c.phone.as_str());
    // Evaluate all three, so the time taken does not depend on which one failed.
    name & dob & phone
}

/// Step 2: sends a verification code. Answers the same whether or not the address is
/// known.
#[utoipa::path(post, path = "/api/v1/registrations", tag = "registration", request_body = CodeRequest,
    responses((status = 202, body = CodeRequested), (status = 400, description = "invalid_email"), (status = 429, description = "too_many_requests")))]
pub async fn request_code(State(state): State<AppState>, ClientAddr(ip): ClientAddr, ReqLang(lang): ReqLang, ApiJson(req): ApiJson<CodeRequest>) -> Result<(StatusCode, ApiJson<CodeRequested>), ApiError> {
    let requested = start(&state, ip, lang, &req.email).await?;
    Ok((StatusCode::ACCEPTED, ApiJson(requested)))
}

/// Step 2 for both front ends (the API and the patient pages): checks the address,
/// throttles, stores the request and mails the code.
pub async fn start(state: &AppState, ip: IpAddr, lang: Lang, email: &str) -> Result<CodeRequested, ApiError> {
    let email = normalize::email(email).ok_or_else(invalid_email)?;
    state.throttle.code_request(&email, ip).await?;
    let id = Uuid::new_v4();
    let code = random_digits(CODE_DIGITS);
    let now = state.clock.now();
    let ttl = state.config.code_ttl;
    let expires = now + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::minutes(10));
    state
        .db
        .create_registration(Registration::pending(id, email.clone(), code_hash(&id, code.expose()), now, expires))
        .await?;
    state.mailer.send_code(&email, code.expose(), lang, ttl.as_secs() / 60).await?;
    tracing::info!(registration = %id, "verification code sent");
    Ok(CodeRequested { request_id: id, expires_in: ttl.as_secs() })
}

/// Step 4: checks the code (single use, valid for 10 minutes, 5 tries).
#[utoipa::path(post, path = "/api/v1/registrations/{id}/verify", tag = "registration", request_body = VerifyRequest,
    params(("id" = Uuid, Path, description = "request_id")),
    responses((status = 200, body = Verified), (status = 400, description = "wrong_code"), (status = 409, description = "code_used"),
        (status = 410, description = "code_expired or too_many_tries"), (status = 429, description = "too_many_requests")))]
pub async fn verify(State(state): State<AppState>, ClientAddr(ip): ClientAddr, Path(id): Path<Uuid>, ApiJson(req): ApiJson<VerifyRequest>) -> Result<ApiJson<Verified>, ApiError> {
    check_code(&state, ip, id, &req.code).await.map(ApiJson)
}

/// Step 4 for both front ends: checks the code and issues the registration token.
pub async fn check_code(state: &AppState, ip: IpAddr, id: Uuid, code: &str) -> Result<Verified, ApiError> {
    state.throttle.attempt(ip).await?;
    let reg = state.db.registration(id).await?.ok_or_else(not_found)?;
    match reg.state {
        RegState::Dead => return Err(too_many_tries()),
        RegState::Verified | RegState::Done => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "code_used",
                "この認証コードは既に使用されています。",
                "This verification code has already been used.",
            ));
        }
        RegState::Pending => {}
    }
    let now = state.clock.now();
    if now > reg.code_expires_at {
        return Err(ApiError::new(
            StatusCode::GONE,
            "code_expired",
            "認証コードの有効期限が切れました。もう一度送信してください。",
            "The verification code has expired. Please request a new one.",
        ));
    }
    // The try is taken before the code is compared: however many guesses arrive at
    // once, no more than `max_tries` are ever compared.
    let max = state.config.limits.max_tries;
    let Some(tries) = state.db.claim_code_try(id, max).await? else {
        return Err(match state.db.registration(id).await?.map(|r| r.state) {
            Some(RegState::Verified | RegState::Done) => {
                ApiError::new(StatusCode::CONFLICT, "code_used", "この認証コードは既に使用されています。", "This verification code has already been used.")
            }
            _ => too_many_tries(),
        });
    };
    let typed = normalize::code(code);
    if !constant_time_eq(&code_hash(&id, &typed), &reg.code_hash) {
        if tries >= max {
            state.db.kill_registration(id).await?;
        }
        tracing::info!(registration = %id, tries, "wrong verification code");
        return Err(ApiError::bad_request(
            "wrong_code",
            "認証コードが正しくありません。",
            "The verification code is not correct.",
        ));
    }
    let token = new_token();
    let expires_at = now + chrono::Duration::from_std(state.config.registration_ttl).unwrap_or(chrono::Duration::minutes(30));
    if !state.db.mark_verified(id, &token_hash(token.expose()), expires_at).await? {
        // A concurrent request used the code first.
        return Err(ApiError::new(StatusCode::CONFLICT, "code_used", "この認証コードは既に使用されています。", "This verification code has already been used."));
    }
    tracing::info!(registration = %id, "verification code accepted");
    Ok(Verified { registration_token: token.expose().clone(), expires_at })
}

/// The verified registration the bearer registration token stands for.
async fn verified(state: &AppState, id: Uuid, token: Option<&str>) -> Result<Registration, ApiError> {
    let reg = state.db.registration(id).await?.ok_or_else(not_found)?;
    if reg.state == RegState::Dead {
        return Err(too_many_tries());
    }
    let presented = token.map(token_hash).unwrap_or_default();
    let valid = reg.state == RegState::Verified
        && reg.token_hash.as_deref().is_some_and(|h| constant_time_eq(h, &presented))
        && reg.token_expires_at.is_some_and(|t| state.clock.now() <= t);
    if valid { Ok(reg) } else { Err(token_invalid()) }
}

/// Step 5: sets the password.
#[utoipa::path(post, path = "/api/v1/registrations/{id}/password", tag = "registration", request_body = PasswordRequest,
    params(("id" = Uuid, Path, description = "request_id")),
    responses((status = 204, description = "Password set"), (status = 400, description = "weak_password or common_password"),
        (status = 401, description = "registration_token_invalid")), security(("registration" = [])))]
pub async fn set_password(State(state): State<AppState>, Path(id): Path<Uuid>, headers: HeaderMap, ApiJson(req): ApiJson<PasswordRequest>) -> Result<StatusCode, ApiError> {
    choose_password(&state, id, bearer(&headers), req.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Step 5 for both front ends: the guide's rule, then the hash.
pub async fn choose_password(state: &AppState, id: Uuid, token: Option<&str>, password: String) -> Result<(), ApiError> {
    let reg = verified(state, id, token).await?;
    password::check_strength(&password, &reg.email).map_err(password::weakness_error)?;
    let hash = password::hash_async(password, state.config.hash_cost).await?;
    if !state.db.set_registration_password(id, &hash).await? {
        return Err(token_invalid());
    }
    Ok(())
}

/// Step 6: matches the attributes and input ID against the case and, when everything
/// matches, links the account and opens a session.
#[utoipa::path(post, path = "/api/v1/registrations/{id}/attributes", tag = "registration", request_body = AttributesRequest,
    params(("id" = Uuid, Path, description = "request_id")),
    responses((status = 201, body = Registered), (status = 400, description = "registration_mismatch"), (status = 409, description = "password_required or already_registered"),
        (status = 410, description = "too_many_tries")), security(("registration" = [])))]
pub async fn attributes(State(state): State<AppState>, ClientAddr(ip): ClientAddr, Path(id): Path<Uuid>, headers: HeaderMap, ApiJson(req): ApiJson<AttributesRequest>) -> Result<(StatusCode, ApiJson<Registered>), ApiError> {
    let done = complete(&state, ip, id, bearer(&headers), &req).await?;
    Ok((StatusCode::CREATED, ApiJson(done)))
}

/// Step 6 for both front ends: the attribute match, the account, its first session.
pub async fn complete(state: &AppState, ip: IpAddr, id: Uuid, token: Option<&str>, req: &AttributesRequest) -> Result<Registered, ApiError> {
    state.throttle.attempt(ip).await?;
    let reg = verified(state, id, token).await?;
    if reg.password_hash.is_none() {
        return Err(ApiError::new(StatusCode::CONFLICT, "password_required", "先にパスワードを設定してください。", "Please set a password first."));
    }
    let case = match normalize::input_id(&req.input_id) {
        Some(input_id) => state.db.case_by_input_id(&input_id).await?,
        None => None,
    };
    let matches = case.as_ref().is_some_and(|c| attributes_match(req, c) && !c.registered);
    let case = match case {
        Some(c) if matches => c,
        _ => {
            let tries = state.db.count_attribute_mismatch(id, state.config.limits.max_tries).await?;
            tracing::info!(registration = %id, tries, "registration attributes did not match");
            return Err(mismatch());
        }
    };
    let token = new_token();
    let now = state.clock.now();
    let expires_at = now + chrono::Duration::from_std(state.config.patient_session_ttl).unwrap_or(chrono::Duration::days(30));
    match state.db.complete_registration(id, case.id, &token_hash(token.expose()), now, expires_at).await? {
        Completion::Linked(patient_id) => {
            tracing::info!(registration = %id, patient_id, case_id = case.id, "registration completed");
        }
        Completion::CaseTaken => return Err(mismatch()),
        Completion::EmailTaken => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "already_registered",
                "このメールアドレスは既に登録されています。ログインしてください。",
                "This e-mail address is already registered. Please log in.",
            ));
        }
        Completion::NotVerified => return Err(token_invalid()),
    }
    let profile = state.db.profile(case.id).await?.ok_or_else(ApiError::not_found)?;
    Ok(Registered { token: token.expose().clone(), expires_at, profile })
}
