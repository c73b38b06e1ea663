//! The JSON API of clinics (login, filing a notification, their own notifications,
//! daily counts, logins of the clinic) and of the centres' intake (the queue, a
//! notification with its possible duplicates, accept, duplicate). The steps here are
//! also what the pages call, so pages and API share their rules and answers.

use super::auth::{OrgAuth, open_session, verify_login};
use super::rules::{self, NotificationRequest, Refusal};
use super::store::{self, BandCount, Decided, NewOrgAccount, OrgPrincipal, OrgRole, Status};
use crate::auth::{ClientAddr, StaffAuth};
use crate::db::{AuditAction, CaseRecord, CentreScope, NewCase, Observation};
use crate::error::{ApiError, Msg};
use std::borrow::Cow;
use crate::http::ApiJson;
use crate::http::staff::{SessionResponse, invalid_email, invalid_field};
use crate::secret::Secret;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use chrono::{NaiveDate, Utc};
use protocol::Kind;
use protocol::wire::LoginRequest;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/clinic/login", post(login))
        .route("/api/v1/clinic/accounts", post(add_account))
        .route("/api/v1/clinic/notifications", post(file).get(own_list))
        .route("/api/v1/clinic/notifications/{id}", get(own_one))
        .route("/api/v1/clinic/counts", get(own_counts))
        .route("/api/v1/clinic/counts/{day}", put(enter_counts))
        .route("/api/v1/notifications", get(queue))
        .route("/api/v1/notifications/{id}", get(one))
        .route("/api/v1/notifications/{id}/accept", post(accept))
        .route("/api/v1/notifications/{id}/duplicate", post(duplicate))
}

/// The OpenAPI operations of this module, merged into the server's document.
#[derive(OpenApi)]
#[openapi(
    paths(login, add_account, file, own_list, own_one, own_counts, enter_counts, queue, one, accept, duplicate),
    components(schemas(NotificationRequest, rules::Category)),
    tags((name = "clinic", description = "Medical institutions: outbreak notifications (発生届) and daily counts"),
        (name = "intake", description = "The centre's intake of outbreak notifications"))
)]
pub struct ClinicApi;

fn clinic_of(p: &OrgPrincipal) -> Result<&store::Institution, ApiError> {
    p.institution.as_ref().ok_or_else(ApiError::forbidden)
}

/// 422: no centre covers the patient's municipality.
pub fn no_centre() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "no_centre",
        "この市区町村を管轄する保健所が登録されていません。市区町村コードを確かめ、届かない場合は管轄の保健所に連絡してください。",
        "No health centre covers this municipality. Check the municipality code; if it is right, contact the responsible health centre.",
    )
}

/// Checks, routes and stores a notification of `p`'s clinic (audited); the refusal
/// names its field. Returns (id, centre id).
pub async fn file_notification(state: &AppState, p: &OrgPrincipal, req: &NotificationRequest) -> Result<(i64, i64), Refusal> {
    let forbidden = |e: ApiError| Refusal { field: "", error: e };
    let inst = clinic_of(p).map_err(forbidden)?;
    let now = state.clock.now();
    let n = rules::validate(req, crate::web::today(now))?;
    let centre = store::centre_for(&state.db, &n.municipality_code).await.map_err(|e| forbidden(e.into()))?;
    let Some(centre_id) = centre else { return Err(Refusal { field: "municipality_code", error: no_centre() }) };
    // The same person filed again while the first still waits at intake: refused. The
    // clinic's own earlier filing is named; another clinic's number is not told.
    let twins = store::waiting_twins(&state.db, CentreScope::new(centre_id), None, &n).await.map_err(|e| forbidden(e.into()))?;
    if let Some(twin) = twins.iter().find(|t| t.full()) {
        let (ja, en) = if twin.institution_id == inst.id {
            (
                format!("この方（ふりがな・生年月日・電話番号が一致）の届出（届出番号 {}）が保健所の受付を待っています。内容を直すときは保健所にご連絡ください。", twin.id),
                format!("Your notification for this person (reading, date of birth and phone match; no. {}) is waiting at the health centre. To change it, contact the health centre.", twin.id),
            )
        } else {
            (
                "この方（ふりがな・生年月日・電話番号が一致）の届出が既に保健所の受付を待っています。保健所にご連絡ください。".to_owned(),
                "A notification for this person (reading, date of birth and phone match) is already waiting at the health centre. Please contact the health centre.".to_owned(),
            )
        };
        let error = ApiError { status: StatusCode::CONFLICT, code: "already_filed", message: Msg { ja: Cow::Owned(ja), en: Cow::Owned(en) }, retry_after: None };
        return Err(Refusal { field: "name_reading", error });
    }
    let id = store::file(&state.db, p, inst.id, centre_id, &n, now).await.map_err(|e| forbidden(e.into()))?;
    tracing::info!(notification_id = id, centre_id, institution_id = inst.id, "outbreak notification filed");
    Ok((id, centre_id))
}

/// Checks and stores the day's counts of `p`'s clinic: only today (Japan's day), one
/// whole number per configured band.
pub async fn store_counts(state: &AppState, p: &OrgPrincipal, day: NaiveDate, counts: &[i64]) -> Result<(), ApiError> {
    let inst = clinic_of(p)?;
    let now = state.clock.now();
    if day != crate::web::today(now) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_today",
            "患者数は当日の分だけ入力・修正できます。",
            "Counts can be entered or changed on the same day only.",
        ));
    }
    let bands = state.config.clinic.age_bands.bands();
    if counts.len() != bands.len() || counts.iter().any(|c| !(0..=100_000).contains(c)) {
        return Err(ApiError::bad_request("invalid_counts", "年代ごとの患者数を0以上の整数で入力してください。", "Enter each age band's count as a whole number, 0 or more."));
    }
    let rows = bands.iter().zip(counts).map(|((from, to), count)| BandCount { from: *from, to: *to, count: *count }).collect();
    store::put_counts(&state.db, p, inst.id, day, rows, now).await?;
    tracing::info!(institution_id = inst.id, "daily counts entered");
    Ok(())
}

/// Clinic or aggregate login.
#[utoipa::path(post, path = "/api/v1/clinic/login", tag = "clinic", request_body = LoginRequest,
    responses((status = 200, body = SessionResponse), (status = 401, description = "login_failed"), (status = 429, description = "too_many_requests")))]
pub async fn login(State(state): State<AppState>, ClientAddr(ip): ClientAddr, ApiJson(req): ApiJson<LoginRequest>) -> Result<ApiJson<SessionResponse>, ApiError> {
    let id = verify_login(&state, ip, &req.email, Secret::new(req.password)).await?;
    let (token, expires_at) = open_session(&state, id).await?;
    Ok(ApiJson(SessionResponse { token: token.expose().clone(), expires_at }))
}

/// A new login of the clinic.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountRequest {
    /// Login e-mail.
    #[schema(min_length = 3, pattern = "@")]
    pub email: String,
    /// Display name.
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: String,
    /// Initial password (same strength rule as everyone's).
    #[schema(min_length = 8)]
    pub password: String,
    /// `clinic_admin` or `clinic_staff`.
    #[schema(pattern = "^(clinic_admin|clinic_staff)$")]
    pub role: String,
}

/// The id of what was made.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Made {
    /// Id.
    pub id: i64,
}

/// Checks and adds a login to `p`'s clinic (clinic admins only).
pub async fn create_login(state: &AppState, p: &OrgPrincipal, req: AccountRequest) -> Result<i64, ApiError> {
    let inst = clinic_of(p)?;
    if p.role != OrgRole::ClinicAdmin {
        return Err(ApiError::forbidden());
    }
    let email = crate::normalize::email(&req.email).ok_or_else(invalid_email)?;
    let name = crate::normalize::display_name(&req.name).ok_or_else(|| invalid_field("name"))?;
    let role = OrgRole::parse(&req.role).filter(|r| *r != OrgRole::Aggregate).ok_or_else(|| invalid_field("role"))?;
    crate::password::check_strength(&req.password, &email).map_err(crate::password::weakness_error)?;
    let password_hash = crate::password::hash_async(req.password, state.config.hash_cost).await?;
    let id = store::create_account(&state.db, Some(inst.id), NewOrgAccount { email, name, role, password_hash }, Some(p), state.clock.now()).await?;
    tracing::info!(account_id = id, by = p.account_id, "clinic login added");
    Ok(id)
}

/// Adds a login to the clinic (clinic admins).
#[utoipa::path(post, path = "/api/v1/clinic/accounts", tag = "clinic", request_body = AccountRequest,
    responses((status = 201, body = Made), (status = 403, description = "Not a clinic admin"), (status = 409, description = "E-mail taken")), security(("bearer" = [])))]
pub async fn add_account(State(state): State<AppState>, OrgAuth(p): OrgAuth, ApiJson(req): ApiJson<AccountRequest>) -> Result<(StatusCode, ApiJson<Made>), ApiError> {
    Ok((StatusCode::CREATED, ApiJson(Made { id: create_login(&state, &p, req).await? })))
}

/// A filed notification's answer.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Filed {
    /// Notification id.
    pub id: i64,
    /// `new`.
    pub status: String,
    /// The receiving centre's id.
    pub centre_id: i64,
}

/// Files an outbreak notification; it lands at the centre covering the patient's
/// municipality.
#[utoipa::path(post, path = "/api/v1/clinic/notifications", tag = "clinic", request_body = NotificationRequest,
    responses((status = 201, body = Filed), (status = 400, description = "A field is not valid, or no category fits (`not_notifiable`, `category_mismatch_…`)"),
        (status = 403, description = "Not a clinic account"), (status = 422, description = "no_centre")), security(("bearer" = [])))]
pub async fn file(State(state): State<AppState>, OrgAuth(p): OrgAuth, ApiJson(req): ApiJson<NotificationRequest>) -> Result<(StatusCode, ApiJson<Filed>), ApiError> {
    let (id, centre_id) = file_notification(&state, &p, &req).await.map_err(|r| r.error)?;
    Ok((StatusCode::CREATED, ApiJson(Filed { id, status: "new".into(), centre_id })))
}

/// A notification as a list shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LineView {
    /// Id.
    pub id: i64,
    /// Filed at.
    pub filed_at: chrono::DateTime<Utc>,
    /// Patient's name.
    pub name: String,
    /// Reading.
    pub name_reading: String,
    /// Age at diagnosis.
    pub age: i64,
    /// Diagnosis date.
    pub diagnosis_date: NaiveDate,
    /// `new`, `accepted`, `duplicate`.
    pub status: String,
    /// Filing clinic.
    pub institution: String,
    /// Receiving centre.
    pub centre: String,
}

impl From<store::Line> for LineView {
    fn from(l: store::Line) -> LineView {
        LineView {
            id: l.id,
            filed_at: l.filed_at,
            name: l.name,
            name_reading: l.name_reading,
            age: l.age,
            diagnosis_date: l.diagnosis_date,
            status: l.status.as_str().into(),
            institution: l.institution_name,
            centre: l.centre_name,
        }
    }
}

/// A list of notifications.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Lines {
    /// Notifications.
    pub notifications: Vec<LineView>,
}

/// The clinic's own notifications with their status at the centre.
#[utoipa::path(get, path = "/api/v1/clinic/notifications", tag = "clinic", responses((status = 200, body = Lines)), security(("bearer" = [])))]
pub async fn own_list(State(state): State<AppState>, OrgAuth(p): OrgAuth) -> Result<ApiJson<Lines>, ApiError> {
    let inst = clinic_of(&p)?;
    let lines = store::clinic_list(&state.db, inst.id, 500).await?;
    store::audit(&state.db, &p, store::OrgAction::ViewList, None, state.clock.now()).await?;
    Ok(ApiJson(Lines { notifications: lines.into_iter().map(LineView::from).collect() }))
}

/// A notification in full, with its status.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NotificationView {
    /// Id.
    pub id: i64,
    /// `new`, `accepted`, `duplicate`.
    pub status: String,
    /// Receiving centre.
    pub centre: String,
    /// Filing clinic.
    pub institution: String,
    /// The case it became or duplicates (centre staff only).
    pub case_id: Option<i64>,
    /// Age at diagnosis.
    pub age: i64,
    /// The fields as filed (normalised).
    pub fields: NotificationRequest,
}

fn view(n: store::Notification, with_case: bool) -> NotificationView {
    let f = &n.n;
    NotificationView {
        id: n.id,
        status: n.status.as_str().into(),
        centre: n.centre_name,
        institution: n.institution_name,
        case_id: n.case_id.filter(|_| with_case),
        age: f.age,
        fields: NotificationRequest {
            doctor: f.doctor.clone(),
            report_date: f.report_date.to_string(),
            name: f.name.clone(),
            name_reading: f.name_reading.clone(),
            sex: f.sex.into(),
            date_of_birth: f.date_of_birth.to_string(),
            municipality_code: f.municipality_code.clone(),
            address: f.address.clone(),
            phone: f.phone.clone(),
            onset_date: f.onset_date.map(|d| d.to_string()).unwrap_or_default(),
            diagnosis_date: f.diagnosis_date.to_string(),
            specimen_date: f.specimen_date.to_string(),
            categories: f.categories.iter().map(|c| c.as_str().to_owned()).collect(),
            hospitalisation: f.hospitalisation,
            risk_factors: f.risk_factors.iter().map(|s| (*s).to_owned()).collect(),
            antivirals: f.antivirals,
            oxygen: f.oxygen,
            pregnant: f.pregnant,
            vaccination: f.vaccination.into(),
            severity: f.severity.into(),
        },
    }
}

/// One of the clinic's own notifications (another clinic's is 404).
#[utoipa::path(get, path = "/api/v1/clinic/notifications/{id}", tag = "clinic", params(("id" = i64, Path, description = "Notification id")),
    responses((status = 200, body = NotificationView), (status = 404, description = "Not this clinic's")), security(("bearer" = [])))]
pub async fn own_one(State(state): State<AppState>, OrgAuth(p): OrgAuth, Path(id): Path<i64>) -> Result<ApiJson<NotificationView>, ApiError> {
    let inst = clinic_of(&p)?;
    let n = store::clinic_one(&state.db, inst.id, id).await?.ok_or_else(ApiError::not_found)?;
    store::audit(&state.db, &p, store::OrgAction::ViewOne, Some(id), state.clock.now()).await?;
    Ok(ApiJson(view(n, false)))
}

/// `?from=&to=` (days, `YYYY-MM-DD`).
#[derive(Debug, Deserialize)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
}

/// One day of a clinic's counts: `entered` false means the day is missing (not zero).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CountDay {
    /// Day.
    pub day: NaiveDate,
    /// Whether the clinic entered the day.
    pub entered: bool,
    /// `[from, to|null, count]` per band when entered.
    pub bands: Vec<(i64, Option<i64>, i64)>,
}

/// The clinic's counts of a range.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CountDays {
    /// Every day of the range, oldest first.
    pub days: Vec<CountDay>,
}

/// The clinic's counts of `from..=to`, every day present, missing ones marked.
pub async fn count_days(state: &AppState, institution_id: i64, from: NaiveDate, to: NaiveDate) -> Result<Vec<CountDay>, ApiError> {
    let entered = store::counts(&state.db, institution_id, from, to).await?;
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        let bands = entered.iter().find(|(day, _)| *day == d).map(|(_, b)| b.iter().map(|c| (c.from, c.to, c.count)).collect::<Vec<_>>());
        out.push(CountDay { day: d, entered: bands.is_some(), bands: bands.unwrap_or_default() });
        let Some(next) = d.succ_opt() else { break };
        d = next;
    }
    Ok(out)
}

/// A range of at most 92 days ending today by default (the last 14 days).
pub fn range(from: Option<&str>, to: Option<&str>, today: NaiveDate, default_days: i64) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let bad = || ApiError::bad_request("invalid_range", "期間を YYYY-MM-DD で指定してください（92日以内）。", "Give the range as YYYY-MM-DD (at most 92 days).");
    let to = match to.filter(|s| !s.is_empty()) {
        Some(s) => crate::normalize::date(s).ok_or_else(bad)?,
        None => today,
    };
    let from = match from.filter(|s| !s.is_empty()) {
        Some(s) => crate::normalize::date(s).ok_or_else(bad)?,
        None => to - chrono::Duration::days(default_days - 1),
    };
    if from > to || (to - from).num_days() >= 92 {
        return Err(bad());
    }
    Ok((from, to))
}

/// The clinic's counts (missing days marked).
#[utoipa::path(get, path = "/api/v1/clinic/counts", tag = "clinic", params(("from" = Option<String>, Query, description = "First day"), ("to" = Option<String>, Query, description = "Last day")),
    responses((status = 200, body = CountDays)), security(("bearer" = [])))]
pub async fn own_counts(State(state): State<AppState>, OrgAuth(p): OrgAuth, Query(q): Query<Range>) -> Result<ApiJson<CountDays>, ApiError> {
    let inst = clinic_of(&p)?;
    let (from, to) = range(q.from.as_deref(), q.to.as_deref(), crate::web::today(state.clock.now()), 14)?;
    Ok(ApiJson(CountDays { days: count_days(&state, inst.id, from, to).await? }))
}

/// A day's counts, one per configured age band, youngest first.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountsRequest {
    /// Patients diagnosed per band.
    pub counts: Vec<i64>,
}

/// Enters or changes today's counts (only today).
#[utoipa::path(put, path = "/api/v1/clinic/counts/{day}", tag = "clinic", params(("day" = String, Path, description = "Today, YYYY-MM-DD")), request_body = CountsRequest,
    responses((status = 204, description = "Stored"), (status = 400, description = "invalid_counts"), (status = 409, description = "not_today")), security(("bearer" = [])))]
pub async fn enter_counts(State(state): State<AppState>, OrgAuth(p): OrgAuth, Path(day): Path<String>, ApiJson(req): ApiJson<CountsRequest>) -> Result<StatusCode, ApiError> {
    let day = crate::normalize::date(&day).ok_or_else(|| ApiError::bad_request("invalid_day", "日付を YYYY-MM-DD で指定してください。", "Give the day as YYYY-MM-DD."))?;
    store_counts(&state, &p, day, &req.counts).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `?status=new|accepted|duplicate`.
#[derive(Debug, Deserialize)]
pub struct StatusQuery {
    status: Option<String>,
}

/// The centre's notifications (new ones by default, the oldest first).
#[utoipa::path(get, path = "/api/v1/notifications", tag = "intake", params(("status" = Option<String>, Query, description = "new (default), accepted, duplicate")),
    responses((status = 200, body = Lines)), security(("bearer" = [])))]
pub async fn queue(State(state): State<AppState>, auth: StaffAuth, Query(q): Query<StatusQuery>) -> Result<ApiJson<Lines>, ApiError> {
    let status = Status::parse(q.status.as_deref().unwrap_or("new")).ok_or_else(|| invalid_field("status"))?;
    let lines = store::centre_list(&state.db, auth.scope, status, 500).await?;
    state.db.audit(auth.scope, auth.staff_id, AuditAction::ViewNotifications, None, state.clock.now()).await?;
    Ok(ApiJson(Lines { notifications: lines.into_iter().map(LineView::from).collect() }))
}

/// A possible duplicate.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CandidateView {
    /// Case id.
    pub case_id: i64,
    /// Name.
    pub name: String,
    /// Input ID.
    pub input_id: String,
    /// Still observed.
    pub active: bool,
    /// Same reading, date of birth, phone.
    pub matches: [bool; 3],
}

/// A notification at the centre with its possible duplicates.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IntakeView {
    /// The notification.
    pub notification: NotificationView,
    /// Cases matching at least two of reading, date of birth and phone.
    pub candidates: Vec<CandidateView>,
}

/// One notification of the centre (another centre's is 404), with candidates.
#[utoipa::path(get, path = "/api/v1/notifications/{id}", tag = "intake", params(("id" = i64, Path, description = "Notification id")),
    responses((status = 200, body = IntakeView), (status = 404, description = "Not this centre's")), security(("bearer" = [])))]
pub async fn one(State(state): State<AppState>, auth: StaffAuth, Path(id): Path<i64>) -> Result<ApiJson<IntakeView>, ApiError> {
    let n = store::centre_one(&state.db, auth.scope, id).await?.ok_or_else(ApiError::not_found)?;
    let candidates = store::candidates(&state.db, auth.scope, &n.n).await?;
    state.db.audit(auth.scope, auth.staff_id, AuditAction::ViewNotification, n.case_id, state.clock.now()).await?;
    let candidates = candidates.into_iter().map(|c| CandidateView { case_id: c.id, name: c.name, input_id: c.input_id, active: c.active, matches: c.matches }).collect();
    Ok(ApiJson(IntakeView { notification: view(n, true), candidates }))
}

/// Accepting a notification: how the person is observed and for how long.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptRequest {
    /// `app` or `phone`.
    #[schema(pattern = "^(app|phone)$")]
    pub observation: String,
    /// First day of observation.
    #[schema(min_length = 8)]
    pub period_start: String,
    /// Last day of observation.
    #[schema(min_length = 8)]
    pub period_end: String,
    /// Staff checked that the person is not one of the possible matches (a case or a
    /// waiting notification): needed whenever there is one.
    #[serde(default)]
    pub confirm_other_person: bool,
}

fn decided(d: Decided) -> Result<i64, ApiError> {
    match d {
        Decided::Done(case_id) => Ok(case_id),
        Decided::NotFound => Err(ApiError::not_found()),
        Decided::NotNew => Err(ApiError::new(StatusCode::CONFLICT, "already_decided", "この発生届は既に処理されています。", "This notification has already been handled.")),
        Decided::NoSuchCase => Err(ApiError::bad_request("invalid_case", "重複先の療養者が見つかりません。", "The case it duplicates was not found.")),
    }
}

/// Accepts notification `id` of `scope` as a case with its fields (infected).
pub async fn accept_notification(state: &AppState, scope: CentreScope, staff_id: i64, id: i64, req: AcceptRequest) -> Result<CaseRecord, ApiError> {
    let n = store::centre_one(&state.db, scope, id).await?.ok_or_else(ApiError::not_found)?;
    if n.status == store::Status::New && !req.confirm_other_person {
        let cases = store::candidates(&state.db, scope, &n.n).await?.len();
        let waiting = store::waiting_twins(&state.db, scope, Some(id), &n.n).await?.len();
        if cases + waiting > 0 {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "possible_duplicate",
                "同じ方かもしれない療養者または届出があります。重複として処理するか、別の方であることを確認してから受け付けてください。",
                "There is a case or notification that may be the same person. Mark this one a duplicate, or confirm it is another person before accepting.",
            ));
        }
    }
    let case = crate::http::cases::validate(crate::http::cases::CaseRequest {
        name: n.n.name.clone(),
        name_reading: n.n.name_reading.clone(),
        date_of_birth: n.n.date_of_birth.to_string(),
        phone: n.n.phone.clone(),
        email: None,
        kind: Kind::Infected.as_str().into(),
        observation: req.observation,
        period_start: req.period_start,
        period_end: req.period_end,
    })?;
    let case = NewCase { observation: if case.observation == Observation::Phone { Observation::Phone } else { Observation::App }, ..case };
    let case_id = decided(store::accept(&state.db, scope, staff_id, id, case, state.clock.now()).await?)?;
    tracing::info!(notification_id = id, case_id, by = staff_id, "notification accepted");
    state.db.case(scope, case_id).await?.ok_or_else(ApiError::internal)
}

/// Accepts a notification: it becomes a case with a smartphone input ID.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/accept", tag = "intake", params(("id" = i64, Path, description = "Notification id")), request_body = AcceptRequest,
    responses((status = 201, body = CaseRecord), (status = 400, description = "A field is not valid"), (status = 404, description = "Not this centre's"),
        (status = 409, description = "already_decided")), security(("bearer" = [])))]
pub async fn accept(State(state): State<AppState>, auth: StaffAuth, Path(id): Path<i64>, ApiJson(req): ApiJson<AcceptRequest>) -> Result<(StatusCode, ApiJson<CaseRecord>), ApiError> {
    Ok((StatusCode::CREATED, ApiJson(accept_notification(&state, auth.scope, auth.staff_id, id, req).await?)))
}

/// Marking a duplicate.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DuplicateRequest {
    /// The centre's existing case.
    pub case_id: i64,
}

/// Marks notification `id` of `scope` a duplicate of case `case_id`.
pub async fn duplicate_of(state: &AppState, scope: CentreScope, staff_id: i64, id: i64, case_id: i64) -> Result<i64, ApiError> {
    let r = decided(store::mark_duplicate(&state.db, scope, staff_id, id, case_id, state.clock.now()).await?)?;
    tracing::info!(notification_id = id, case_id, by = staff_id, "notification marked a duplicate");
    Ok(r)
}

/// Marks a notification a duplicate of an existing case of the centre.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/duplicate", tag = "intake", params(("id" = i64, Path, description = "Notification id")), request_body = DuplicateRequest,
    responses((status = 200, body = Made), (status = 400, description = "invalid_case"), (status = 404, description = "Not this centre's"),
        (status = 409, description = "already_decided")), security(("bearer" = [])))]
pub async fn duplicate(State(state): State<AppState>, auth: StaffAuth, Path(id): Path<i64>, ApiJson(req): ApiJson<DuplicateRequest>) -> Result<ApiJson<Made>, ApiError> {
    Ok(ApiJson(Made { id: duplicate_of(&state, auth.scope, auth.staff_id, id, req.case_id).await? }))
}
