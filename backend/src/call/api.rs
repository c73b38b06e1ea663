//! The call's staff API: a case's enrolment (app or phone, the number to call, the
//! language), its calls, the centre's settings (admins change them), the day's rounds
//! and call-back list, and starting a round now (admins: the demo's simulated round,
//! or a round missed while every server copy was down).

use super::rules::{CentreSettings, Round, SettingsError, Status};
use super::store::{self, AttemptLine, By, CallBack, Enrolment};
use crate::auth::StaffAuth;
use crate::db::{AuditAction, Observation, Role};
use crate::error::ApiError;
use crate::http::ApiJson;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use protocol::Lang;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

/// The API routes (errors as localised JSON, like the rest of the API).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cases/{id}/call", get(get_enrolment).put(put_enrolment))
        .route("/api/v1/cases/{id}/calls", get(case_calls))
        .route("/api/v1/call/settings", get(get_settings).put(put_settings))
        .route("/api/v1/call/rounds", get(rounds).post(start_round))
        .route("/api/v1/call/callbacks", get(callbacks))
        .layer(middleware::from_fn(crate::http::localise))
}

/// The OpenAPI operations of the call's API, merged into the server's document.
#[derive(OpenApi)]
#[openapi(
    paths(get_enrolment, put_enrolment, case_calls, get_settings, put_settings, rounds, start_round, callbacks),
    tags((name = "call", description = "The automated morning call (自動架電): enrolment, settings, rounds, call-back list"))
)]
pub struct CallApi;

/// A case's enrolment as the API shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EnrolmentView {
    /// `app` or `phone`.
    pub observation: Observation,
    /// The number staff entered, or null for the case's phone.
    pub phone: Option<String>,
    /// The number the call goes to.
    pub number: String,
    /// `ja` or `en`.
    pub lang: String,
}

impl From<Enrolment> for EnrolmentView {
    fn from(e: Enrolment) -> EnrolmentView {
        EnrolmentView { observation: e.observation, number: e.number().to_owned(), phone: e.phone, lang: e.lang.tag().to_owned() }
    }
}

/// A change of enrolment.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentRequest {
    /// `app` or `phone`.
    pub observation: Observation,
    /// Another number to call; null or absent: the case's phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// `ja` (default) or `en`.
    #[serde(default)]
    pub lang: Option<String>,
}

fn invalid_phone() -> ApiError {
    ApiError::bad_request("invalid_phone", "電話番号を正しく入力してください。", "Enter a valid phone number.")
}

/// Checks and applies an enrolment change by `by` (audited with the change); false if
/// the case is not the scope's.
pub async fn enrol(state: &AppState, by: By, id: i64, req: EnrolmentRequest) -> Result<bool, ApiError> {
    let phone = match req.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => Some(crate::normalize::phone(p).ok_or_else(invalid_phone)?),
    };
    let lang = match req.lang.as_deref() {
        None | Some("ja") => Lang::Ja,
        Some("en") => Lang::En,
        Some(_) => return Err(ApiError::bad_request("invalid_lang", "言語は ja か en です。", "The language is ja or en.")),
    };
    Ok(store::set_enrolment(&state.db, by, id, req.observation, phone, lang, state.clock.now()).await?)
}

/// `GET /api/v1/cases/{id}/call`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/call", tag = "call", params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = EnrolmentView), (status = 401, description = "No valid staff token"), (status = 404, description = "No such case in this centre")), security(("bearer" = [])))]
async fn get_enrolment(State(state): State<AppState>, auth: StaffAuth, Path(id): Path<i64>) -> Result<ApiJson<EnrolmentView>, ApiError> {
    let e = store::enrolment(&state.db, auth.scope, id).await?.ok_or_else(ApiError::not_found)?;
    state.db.audit(auth.scope, auth.staff_id, AuditAction::ApiReadCase, Some(id), state.clock.now()).await?;
    Ok(ApiJson(e.into()))
}

/// `PUT /api/v1/cases/{id}/call`: switch between app and phone, set the number and
/// language.
#[utoipa::path(put, path = "/api/v1/cases/{id}/call", tag = "call", params(("id" = i64, Path, description = "Case id")), request_body = EnrolmentRequest,
    responses((status = 200, body = EnrolmentView), (status = 400, description = "A field is not valid"), (status = 401, description = "No valid staff token"), (status = 404, description = "No such case in this centre")), security(("bearer" = [])))]
async fn put_enrolment(State(state): State<AppState>, auth: StaffAuth, Path(id): Path<i64>, ApiJson(req): ApiJson<EnrolmentRequest>) -> Result<ApiJson<EnrolmentView>, ApiError> {
    if !enrol(&state, By { scope: auth.scope, staff_id: auth.staff_id }, id, req).await? {
        return Err(ApiError::not_found());
    }
    let e = store::enrolment(&state.db, auth.scope, id).await?.ok_or_else(ApiError::not_found)?;
    Ok(ApiJson(e.into()))
}

/// One attempt as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttemptView {
    /// Day (Japan).
    pub day: NaiveDate,
    /// `first` or `retry`.
    pub round: Round,
    /// Status.
    pub status: Status,
    /// Where an incomplete call ended (`q3`).
    pub step: Option<String>,
    /// Placed at.
    pub dialed_at: Option<DateTime<Utc>>,
    /// Ended at.
    pub ended_at: Option<DateTime<Utc>>,
    /// The report it made.
    pub report_id: Option<String>,
}

impl From<AttemptLine> for AttemptView {
    fn from(l: AttemptLine) -> AttemptView {
        AttemptView { day: l.day, round: l.round, status: l.status, step: l.step, dialed_at: l.dialed_at, ended_at: l.ended_at, report_id: l.report_id.map(|u| u.to_string()) }
    }
}

/// `GET /api/v1/cases/{id}/calls`: the case's calls, newest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/calls", tag = "call", params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = Vec<AttemptView>), (status = 401, description = "No valid staff token"), (status = 404, description = "No such case in this centre")), security(("bearer" = [])))]
async fn case_calls(State(state): State<AppState>, auth: StaffAuth, Path(id): Path<i64>) -> Result<ApiJson<Vec<AttemptView>>, ApiError> {
    let lines = store::case_calls(&state.db, auth.scope, id).await?.ok_or_else(ApiError::not_found)?;
    state.db.audit(auth.scope, auth.staff_id, AuditAction::ApiReadCase, Some(id), state.clock.now()).await?;
    Ok(ApiJson(lines.into_iter().map(AttemptView::from).collect()))
}

/// Settings as the API shows and takes them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    /// Rounds run.
    pub enabled: bool,
    /// `09:00`.
    #[schema(pattern = r"^\s*\d{1,2}:\d{2}\s*$")]
    pub first_at: String,
    /// `10:00`.
    #[schema(pattern = r"^\s*\d{1,2}:\d{2}\s*$")]
    pub retry_at: String,
    /// Retry round on.
    pub retry: bool,
    /// Calls per second.
    pub calls_per_sec: f64,
}

impl From<CentreSettings> for SettingsBody {
    fn from(s: CentreSettings) -> SettingsBody {
        SettingsBody {
            enabled: s.enabled,
            first_at: s.first_at.format("%H:%M").to_string(),
            retry_at: s.retry_at.format("%H:%M").to_string(),
            retry: s.retry,
            calls_per_sec: s.calls_per_sec,
        }
    }
}

/// The settings of a body, checked.
pub fn settings_of(b: &SettingsBody) -> Result<CentreSettings, ApiError> {
    let time = |s: &str| super::rules::parse_time(s).ok_or(ApiError::bad_request("invalid_time", "時刻は HH:MM で入力してください。", "Enter times as HH:MM."));
    let s = CentreSettings { enabled: b.enabled, first_at: time(&b.first_at)?, retry_at: time(&b.retry_at)?, retry: b.retry, calls_per_sec: b.calls_per_sec };
    match s.check() {
        Ok(()) => Ok(s),
        Err(SettingsError::RetryNotAfterFirst) => Err(ApiError::bad_request("retry_not_after_first", "再架電の時刻は1回目より後にしてください。", "The retry must be after the first round.")),
        Err(SettingsError::Rate) => Err(ApiError::bad_request("invalid_rate", "毎秒の発信数は0.1から10000の間です。", "Calls per second must be between 0.1 and 10000.")),
    }
}

/// `GET /api/v1/call/settings`.
#[utoipa::path(get, path = "/api/v1/call/settings", tag = "call",
    responses((status = 200, body = SettingsBody), (status = 401, description = "No valid staff token")), security(("bearer" = [])))]
async fn get_settings(State(state): State<AppState>, auth: StaffAuth) -> Result<ApiJson<SettingsBody>, ApiError> {
    Ok(ApiJson(store::settings(&state.db, auth.scope.centre_id()).await?.into()))
}

/// `PUT /api/v1/call/settings` (admins).
#[utoipa::path(put, path = "/api/v1/call/settings", tag = "call", request_body = SettingsBody,
    responses((status = 200, body = SettingsBody), (status = 400, description = "A setting is not valid"), (status = 401, description = "No valid staff token"),
        (status = 403, description = "Admins only")), security(("bearer" = [])))]
async fn put_settings(State(state): State<AppState>, auth: StaffAuth, ApiJson(b): ApiJson<SettingsBody>) -> Result<ApiJson<SettingsBody>, ApiError> {
    if auth.role != Role::Admin {
        return Err(ApiError::forbidden());
    }
    let s = settings_of(&b)?;
    store::put_settings(&state.db, auth.scope, Some(auth.staff_id), s, state.clock.now()).await?;
    Ok(ApiJson(s.into()))
}

/// `?day=`.
#[derive(Debug, Deserialize)]
pub struct DayQuery {
    /// `YYYY-MM-DD`; today in Japan by default.
    pub day: Option<NaiveDate>,
}

/// Counts of one round.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoundView {
    /// Round.
    pub round: Round,
    /// Status → count.
    pub statuses: std::collections::BTreeMap<String, i64>,
}

/// `GET /api/v1/call/rounds?day=`: the day's attempts by round and status.
#[utoipa::path(get, path = "/api/v1/call/rounds", tag = "call", params(("day" = Option<String>, Query, description = "YYYY-MM-DD; today in Japan by default")),
    responses((status = 200, body = Vec<RoundView>), (status = 400, description = "The day is not a date"), (status = 401, description = "No valid staff token")), security(("bearer" = [])))]
async fn rounds(State(state): State<AppState>, auth: StaffAuth, Query(q): Query<DayQuery>) -> Result<ApiJson<Vec<RoundView>>, ApiError> {
    let day = q.day.unwrap_or_else(|| crate::web::today(state.clock.now()));
    let mut out: Vec<RoundView> = Vec::new();
    for (round, status, n) in store::round_counts(&state.db, auth.scope, day).await? {
        if out.last().is_none_or(|r| r.round != round) {
            out.push(RoundView { round, statuses: Default::default() });
        }
        if let Some(r) = out.last_mut() {
            r.statuses.insert(status.as_str().to_owned(), n);
        }
    }
    Ok(ApiJson(out))
}

/// `{round}` of a start.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRound {
    /// `first` or `retry`.
    pub round: Round,
}

/// Plans a round of the centre for today now, whatever the time; the scheduler calls
/// it at the centre's pace. `Ok(None)`: planned already (or, for the retry, a
/// first-round call is still open). A round planned is audited as `by`'s start.
pub async fn start_now(state: &AppState, by: By, round: Round) -> crate::error::Result<Option<i64>> {
    let now = state.clock.now();
    store::plan_round(&state.db, by.scope.centre_id(), crate::web::today(now), round, now, Some(by)).await
}

/// `POST /api/v1/call/rounds {round}` (admins): start a round now.
#[utoipa::path(post, path = "/api/v1/call/rounds", tag = "call", request_body = StartRound,
    responses((status = 201, description = "Planned: `{planned}` calls"), (status = 401, description = "No valid staff token"), (status = 403, description = "Admins only"),
        (status = 409, description = "Started already today, or first-round calls are still open")), security(("bearer" = [])))]
async fn start_round(State(state): State<AppState>, auth: StaffAuth, ApiJson(b): ApiJson<StartRound>) -> Result<(StatusCode, ApiJson<serde_json::Value>), ApiError> {
    if auth.role != Role::Admin {
        return Err(ApiError::forbidden());
    }
    match start_now(&state, By { scope: auth.scope, staff_id: auth.staff_id }, b.round).await? {
        Some(n) => Ok((StatusCode::CREATED, ApiJson(serde_json::json!({ "planned": n })))),
        None => Err(ApiError::new(
            StatusCode::CONFLICT,
            "round_not_started",
            "この回の架電は本日すでに開始済みか、1回目の架電がまだ終わっていません。",
            "This round has already started today, or first-round calls are still open.",
        )),
    }
}

/// One person of the call-back list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CallBackView {
    /// Case.
    pub case_id: i64,
    /// Name.
    pub name: String,
    /// The number the calls went to.
    pub number: String,
    /// Today's attempts.
    pub attempts: Vec<AttemptView>,
}

impl From<CallBack> for CallBackView {
    fn from(c: CallBack) -> CallBackView {
        CallBackView { case_id: c.case_id, name: c.name, number: c.number, attempts: c.attempts.into_iter().map(AttemptView::from).collect() }
    }
}

/// `GET /api/v1/call/callbacks?day=`: who is still without a report after the last
/// round, with the outcome of each attempt.
#[utoipa::path(get, path = "/api/v1/call/callbacks", tag = "call", params(("day" = Option<String>, Query, description = "YYYY-MM-DD; today in Japan by default")),
    responses((status = 200, body = Vec<CallBackView>), (status = 400, description = "The day is not a date"), (status = 401, description = "No valid staff token")), security(("bearer" = [])))]
async fn callbacks(State(state): State<AppState>, auth: StaffAuth, Query(q): Query<DayQuery>) -> Result<ApiJson<Vec<CallBackView>>, ApiError> {
    let now = state.clock.now();
    let day = q.day.unwrap_or_else(|| crate::web::today(now));
    let last = store::settings(&state.db, auth.scope.centre_id()).await?.last_round();
    let list = store::callbacks(&state.db, auth.scope, day, last).await?;
    state.db.audit(auth.scope, auth.staff_id, AuditAction::ViewBoard, None, now).await?;
    Ok(ApiJson(list.into_iter().map(CallBackView::from).collect()))
}
