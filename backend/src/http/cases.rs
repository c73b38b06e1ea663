//! Cases of the staff member's own centre: register (issuing the smartphone input ID),
//! list, read, close, read a case's reports with how each urgent one was handled, and
//! mark its waiting urgent reports handled. Another centre's case is simply "not
//! found": the data layer never returns it.

use super::ApiJson;
use super::staff::{invalid_email, invalid_field};
use crate::auth::StaffAuth;
use crate::db::{AuditAction, CaseRecord, CentreScope, Db, HandleOutcome, Handled, NewCase, Observation, ReportEntry, StoredReport};
use crate::error::{ApiError, Error};
use crate::normalize;
use crate::secret::random_digits;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use protocol::Kind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Digits of a smartphone input ID issued by this server (the guide allows 6 or 7).
pub const INPUT_ID_DIGITS: usize = 7;

/// Longest observation period accepted, in days.
const MAX_PERIOD_DAYS: i64 = 60;

/// Routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cases", post(create).get(list))
        .route("/api/v1/cases/{id}", get(read))
        .route("/api/v1/cases/{id}/close", post(close))
        .route("/api/v1/cases/{id}/reports", get(reports))
        .route("/api/v1/cases/{id}/handled", post(handled))
}

/// A case as staff register it.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseRequest {
    /// Full name.
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: String,
    /// Reading of the name (furigana).
    #[schema(min_length = 1, pattern = r"\S")]
    pub name_reading: String,
    /// `YYYY-MM-DD`.
    #[schema(min_length = 8)]
    pub date_of_birth: String,
    /// Phone number; full-width digits, spaces and hyphens are accepted.
    #[schema(min_length = 10)]
    pub phone: String,
    /// E-mail, optional.
    #[serde(default)]
    pub email: Option<String>,
    /// `infected`, `close_contact` or `awaiting_result`.
    #[schema(pattern = "^(infected|close_contact|awaiting_result)$")]
    pub kind: String,
    /// `app` or `phone`.
    #[schema(pattern = "^(app|phone)$")]
    pub observation: String,
    /// First day of observation, `YYYY-MM-DD`.
    #[schema(min_length = 8)]
    pub period_start: String,
    /// Last day of observation, `YYYY-MM-DD`.
    #[schema(min_length = 8)]
    pub period_end: String,
}

/// The scope's cases.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CaseList {
    /// Newest first.
    pub cases: Vec<CaseRecord>,
}

/// One stored report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportView {
    /// Phone-made id.
    pub id: String,
    /// Day it is for.
    pub local_date: NaiveDate,
    /// Kind of person.
    pub kind: String,
    /// Tenths of a degree.
    pub temperature_tenths: u16,
    /// Nine answer codes.
    pub answers: Vec<u8>,
    /// Saved on the phone at.
    pub recorded_at: DateTime<Utc>,
    /// Triage level stored with it: `none`, `watch`, `call_now`.
    pub advice: String,
    /// Received at.
    pub received_at: DateTime<Utc>,
    /// The temperature as the phone sent it, present only when it was corrected at the
    /// person's request (`temperature_tenths` is then the corrected value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_temperature_tenths: Option<u16>,
}

impl ReportView {
    /// The view of `r` with its temperature as corrected at the person's request.
    pub fn corrected(mut r: StoredReport, corrected: &crate::rights::corrected::Corrected) -> ReportView {
        let sent = corrected.apply(&mut r);
        ReportView { sent_temperature_tenths: sent.map(protocol::Temperature::tenths), ..ReportView::from(r) }
    }
}

impl From<StoredReport> for ReportView {
    fn from(r: StoredReport) -> ReportView {
        ReportView {
            id: r.id.to_string(),
            local_date: r.local_date,
            kind: r.kind.as_str().to_owned(),
            temperature_tenths: r.temperature.tenths(),
            answers: r.answers.codes().to_vec(),
            recorded_at: r.recorded_at,
            advice: r.advice.as_str().to_owned(),
            received_at: r.received_at,
            sent_temperature_tenths: None,
        }
    }
}

/// How staff handled a "call now" report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HandledView {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (staff name).
    pub by: String,
    /// The note.
    pub note: String,
    /// `contact`: a phone contact that reached the person; `note`: marked handled.
    pub how: String,
}

/// One stored report as staff read it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StaffReportView {
    /// The report as stored.
    #[serde(flatten)]
    pub report: ReportView,
    /// The day in Japan the server received it: the day it counts for on the board.
    pub received_on: NaiveDate,
    /// The phone's clock was ahead (its date later than the day received, or its time
    /// more than a few minutes ahead of the server's).
    pub clock_ahead: bool,
    /// A "call now" report that nobody has handled yet.
    pub urgent_waiting: bool,
    /// How it was handled, for a handled "call now" report.
    pub handled: Option<HandledView>,
}

impl StaffReportView {
    /// The view of `e` with its temperature as corrected at the person's request.
    fn corrected(e: ReportEntry, corrected: &crate::rights::corrected::Corrected) -> StaffReportView {
        let mut report = e.report.clone();
        let sent = corrected.apply(&mut report);
        let mut view = StaffReportView::from(ReportEntry { report, ..e });
        view.report.sent_temperature_tenths = sent.map(protocol::Temperature::tenths);
        view
    }
}

impl From<ReportEntry> for StaffReportView {
    fn from(e: ReportEntry) -> StaffReportView {
        let urgent_waiting = e.waiting();
        StaffReportView {
            received_on: crate::web::today(e.report.received_at),
            clock_ahead: e.report.clock_ahead(),
            urgent_waiting,
            handled: e.handled.map(|h: Handled| HandledView {
                at: h.at,
                by: h.staff_name,
                note: h.note,
                how: if h.by_contact { "contact" } else { "note" }.to_owned(),
            }),
            report: ReportView::from(e.report),
        }
    }
}

/// A case's reports, in the order the server received them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReportList {
    /// Reports (append-only; ordered and dated by receipt).
    pub reports: Vec<StaffReportView>,
}

/// Marks a case's waiting urgent reports handled.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandleRequest {
    /// What was done (required, at most 1000 characters).
    #[schema(min_length = 1, max_length = 1000, pattern = r"\S")]
    pub note: String,
    /// Handle only reports received up to this time (what the caller has seen);
    /// every waiting report when absent.
    #[serde(default)]
    pub seen_until: Option<DateTime<Utc>>,
}

/// How many reports were marked handled.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HandleAnswer {
    /// Reports now handled.
    pub handled: usize,
}

/// Checks and normalises a case request.
pub fn validate(req: CaseRequest) -> Result<NewCase, ApiError> {
    let name = normalize::display_name(&req.name).ok_or_else(|| invalid_field("name"))?;
    let name_reading = normalize::display_name(&req.name_reading).ok_or_else(|| invalid_field("name_reading"))?;
    let date_of_birth = normalize::date(&req.date_of_birth)
        .filter(|d| *d <= Utc::now().date_naive() && d.year() >= 1890)
        .ok_or_else(|| invalid_field("date_of_birth"))?;
    let phone = normalize::phone(&req.phone).ok_or_else(|| invalid_field("phone"))?;
    let email = match req.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        Some(e) => Some(normalize::email(e).ok_or_else(invalid_email)?),
        None => None,
    };
    let kind = Kind::parse(&req.kind).ok_or_else(|| invalid_field("kind"))?;
    let observation = Observation::parse(&req.observation).ok_or_else(|| invalid_field("observation"))?;
    let period_start = normalize::date(&req.period_start).ok_or_else(|| invalid_field("period"))?;
    let period_end = normalize::date(&req.period_end).ok_or_else(|| invalid_field("period"))?;
    if period_end < period_start || (period_end - period_start).num_days() > MAX_PERIOD_DAYS {
        return Err(invalid_field("period"));
    }
    Ok(NewCase { name, name_reading, date_of_birth, phone, email, kind, observation, period_start, period_end })
}

/// Registers a case and issues its smartphone input ID (random, unique among active
/// cases).
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = CaseRequest,
    responses((status = 201, body = CaseRecord), (status = 400, description = "A field is not valid")), security(("bearer" = [])))]
pub async fn create(State(state): State<AppState>, auth: StaffAuth, ApiJson(req): ApiJson<CaseRequest>) -> Result<(StatusCode, ApiJson<CaseRecord>), ApiError> {
    let now = state.clock.now();
    let record = register(&state.db, auth.scope, validate(req)?, now).await?;
    state.db.audit(auth.scope, auth.staff_id, AuditAction::CreateCase, Some(record.id), now).await?;
    tracing::info!(case_id = record.id, by = auth.staff_id, "case registered");
    Ok((StatusCode::CREATED, ApiJson(record)))
}

/// Stores a validated case in `scope` and issues its smartphone input ID: random
/// digits, drawn again until they are unique among active cases. Used by the API and
/// the command line alike.
pub async fn register(db: &Db, scope: CentreScope, case: NewCase, now: DateTime<Utc>) -> Result<CaseRecord, Error> {
    for _ in 0..20 {
        let input_id = random_digits(INPUT_ID_DIGITS);
        if let Some(record) = db.insert_case(scope, case.clone(), input_id.expose(), now).await? {
            return Ok(record);
        }
    }
    Err(Error::Internal("no free smartphone input ID after 20 tries".into()))
}

/// The centre's cases.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", responses((status = 200, body = CaseList)), security(("bearer" = [])))]
pub async fn list(State(state): State<AppState>, auth: StaffAuth) -> Result<ApiJson<CaseList>, ApiError> {
    let cases = state.db.list_cases(auth.scope).await?;
    state.db.audit(auth.scope, auth.staff_id, AuditAction::ViewCases, None, state.clock.now()).await?;
    Ok(ApiJson(CaseList { cases }))
}

/// One case of the centre.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = CaseRecord), (status = 404, description = "No such case in this centre")), security(("bearer" = [])))]
pub async fn read(State(state): State<AppState>, auth: StaffAuth, Path(id): Path<i64>) -> Result<ApiJson<CaseRecord>, ApiError> {
    let case = state.db.case(auth.scope, id).await?.ok_or_else(ApiError::not_found)?;
    state.db.audit(auth.scope, auth.staff_id, AuditAction::ApiReadCase, Some(id), state.clock.now()).await?;
    Ok(ApiJson(case))
}

/// Ends observation of a case; its input ID can be issued again. Refused while an
/// urgent report of the case waits to be handled: it would leave the urgent list
/// unhandled.
#[utoipa::path(post, path = "/api/v1/cases/{id}/close", tag = "cases", params(("id" = i64, Path, description = "Case id")),
    responses((status = 204, description = "Closed"), (status = 404, description = "No such case in this centre"),
        (status = 409, description = "urgent_waiting")), security(("bearer" = [])))]
pub async fn close(State(state): State<AppState>, auth: StaffAuth, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    let case = state.db.case(auth.scope, id).await?.ok_or_else(ApiError::not_found)?;
    if case.urgent_since.is_some() {
        return Err(urgent_waiting());
    }
    if state.db.close_case(auth.scope, id).await? {
        state.db.audit(auth.scope, auth.staff_id, AuditAction::CloseCase, Some(id), state.clock.now()).await?;
        tracing::info!(case_id = id, by = auth.staff_id, "case closed");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found())
    }
}

/// A case's reports.
#[utoipa::path(get, path = "/api/v1/cases/{id}/reports", tag = "cases", params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = ReportList), (status = 404, description = "No such case in this centre")), security(("bearer" = [])))]
pub async fn reports(State(state): State<AppState>, auth: StaffAuth, Path(id): Path<i64>) -> Result<ApiJson<ReportList>, ApiError> {
    let reports = state.db.case_reports(auth.scope, id).await?.ok_or_else(ApiError::not_found)?;
    state.db.audit(auth.scope, auth.staff_id, AuditAction::ApiReadCase, Some(id), state.clock.now()).await?;
    tracing::info!(case_id = id, by = auth.staff_id, "case reports read");
    let corrected = crate::rights::corrected::Corrected::of(&state.db, auth.scope, vec![id]).await?;
    Ok(ApiJson(ReportList { reports: reports.into_iter().map(|e| StaffReportView::corrected(e, &corrected)).collect() }))
}

/// Marks the case's waiting "call now" reports handled, with a note (audited). A report
/// received after `seen_until` stays waiting.
#[utoipa::path(post, path = "/api/v1/cases/{id}/handled", tag = "cases", params(("id" = i64, Path, description = "Case id")), request_body = HandleRequest,
    responses((status = 200, body = HandleAnswer), (status = 400, description = "The note is missing or too long"),
        (status = 404, description = "No such case in this centre"), (status = 409, description = "No urgent report is waiting")),
    security(("bearer" = [])))]
pub async fn handled(State(state): State<AppState>, auth: StaffAuth, Path(id): Path<i64>, ApiJson(req): ApiJson<HandleRequest>) -> Result<ApiJson<HandleAnswer>, ApiError> {
    let note = normalize::note(&req.note, true).ok_or_else(invalid_note)?;
    match state.db.mark_handled(auth.scope, id, auth.staff_id, note, req.seen_until, state.clock.now()).await? {
        HandleOutcome::Handled(n) => {
            tracing::info!(case_id = id, by = auth.staff_id, reports = n, "urgent reports handled");
            Ok(ApiJson(HandleAnswer { handled: n }))
        }
        HandleOutcome::NothingWaiting => Err(ApiError::new(
            StatusCode::CONFLICT,
            "nothing_waiting",
            "対応待ちの緊急報告はありません。",
            "No urgent report is waiting for this person.",
        )),
        HandleOutcome::NotFound => Err(ApiError::not_found()),
    }
}

/// 409: the case has an urgent report nobody has handled yet.
pub fn urgent_waiting() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "urgent_waiting",
        "未対応の緊急報告があります。対応してから観察を終了してください。",
        "An urgent report is waiting. Handle it before ending the observation.",
    )
}

/// 400 for a handling note that is empty, too long or has control characters.
pub fn invalid_note() -> ApiError {
    ApiError::bad_request("invalid_note", "対応内容のメモを入力してください（1000文字以内）。", "Enter a note of what was done (at most 1000 characters).")
}
