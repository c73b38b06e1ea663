//! The centre's requests about people's data: every open request (oldest first) with
//! an answer form — corrected (with the value, the person's by default), refused (with
//! a reason) or suspended — and the recently answered. Listing and every answer are
//! audited; the answer's status, correction and suspension are one transaction with
//! their audit row (`crate::db::rights`). A corrected temperature shows beside the
//! original on the person page (here) and on the board (`crate::web::board`).

use super::corrected::Corrected;
use super::{check_text, check_value};
use crate::db::AuditAction;
use crate::db::rights::{Answer, Answered, CentreRequest};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::session::WebStaff;
use crate::web::{Chrome, PageError, datetime, render};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use protocol::Lang;
use protocol::rights::{RequestKind, RequestStatus};
use serde::Deserialize;

/// Answered requests shown under the open ones.
const ANSWERED_SHOWN: i64 = 50;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/rights", get(list)).route("/rights/{id}/answer", post(answer))
}

use super::label_in as tr;

/// One request as shown.
pub struct Line {
    /// Request id.
    pub id: i64,
    /// Case id.
    pub case_id: i64,
    /// Name and reading.
    pub name: String,
    /// Reading.
    pub reading: String,
    /// Kind in words.
    pub kind: &'static str,
    /// `correction` or `suspension` (which answers the form offers).
    pub kind_key: &'static str,
    /// Item in words.
    pub item: &'static str,
    /// The report's id, for a report item.
    pub report: String,
    /// The value asked for.
    pub value: String,
    /// The person's note.
    pub note: String,
    /// Filed at and how.
    pub filed: String,
    /// Status in words.
    pub status: &'static str,
    /// Status key.
    pub status_key: &'static str,
    /// Refusal reason or corrected value.
    pub outcome: String,
    /// Answered at.
    pub answered: String,
    /// The refusal of this request's last answer form.
    pub error: String,
}

fn line(r: CentreRequest, lang: Lang) -> Line {
    let q = r.request;
    Line {
        id: q.id,
        case_id: q.case_id,
        name: r.name,
        reading: r.name_reading,
        kind: tr(lang, q.kind.label()),
        kind_key: q.kind.as_str(),
        item: q.item.map_or("", |i| tr(lang, i.label())),
        report: q.report_id.map(|u| u.to_string()).unwrap_or_default(),
        value: q.value.unwrap_or_default(),
        note: q.note.unwrap_or_default(),
        filed: format!("{} ({})", datetime(q.filed_at), if q.via == "page" { tr(lang, ("ウェブ", "web page")) } else { tr(lang, ("アプリ", "app")) }),
        status: tr(lang, q.status.label()),
        status_key: q.status.as_str(),
        outcome: q.corrected.or(q.reason).unwrap_or_default(),
        answered: q.answered_at.map(datetime).unwrap_or_default(),
        error: String::new(),
    }
}

#[derive(Template)]
#[template(path = "rights/staff.html")]
struct ListPage {
    c: Chrome,
    open: Vec<Line>,
    answered: Vec<Line>,
}

async fn show(state: &AppState, staff: &WebStaff, error: Option<(i64, String)>) -> Result<Response, PageError> {
    let all = state.db.centre_rights_requests(staff.scope, ANSWERED_SHOWN).await?;
    state.db.audit(staff.scope, staff.staff_id, AuditAction::ViewRightsRequests, None, state.clock.now()).await?;
    let (mut open, mut answered) = (Vec::new(), Vec::new());
    for r in all {
        let target = if r.request.status == RequestStatus::Open { &mut open } else { &mut answered };
        target.push(line(r, staff.lang));
    }
    let status = match error {
        Some((id, message)) => {
            if let Some(l) = open.iter_mut().find(|l| l.id == id) {
                l.error = message;
            }
            StatusCode::BAD_REQUEST
        }
        None => StatusCode::OK,
    };
    Ok((status, render(&ListPage { c: Chrome::new(staff, "/rights", "rights"), open, answered })?).into_response())
}

/// `GET /rights`.
pub async fn list(State(state): State<AppState>, staff: WebStaff) -> Result<Response, PageError> {
    show(&state, &staff, None).await
}

/// The answer form (no `Debug`: the CSRF token and values).
#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    csrf: String,
    /// `corrected`, `refused` or `suspended` (missing: whose request it is is checked
    /// first, so another centre learns nothing from the answer).
    #[serde(default)]
    action: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    reason: String,
}

fn missing_reason() -> ApiError {
    ApiError::bad_request("invalid_reason", "お断りする理由を入力してください（500文字以内）。", "Enter the reason for refusing (up to 500 characters).")
}

/// `POST /rights/{id}/answer`: back to the list, or the list with the refusal beside
/// the request (400) and nothing changed.
pub async fn answer(State(state): State<AppState>, staff: WebStaff, Path(id): Path<i64>, Form(f): Form<AnswerForm>) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let requests = state.db.centre_rights_requests(staff.scope, ANSWERED_SHOWN).await?;
    let Some(req) = requests.into_iter().find(|r| r.request.id == id) else {
        return Err(PageError::NotFound);
    };
    // Answered already (a form sent twice): nothing changes.
    if req.request.status != RequestStatus::Open {
        return Ok(Redirect::to("/rights").into_response());
    }
    let checked: Result<Answer, ApiError> = match f.action.as_str() {
        "corrected" => match req.request.item {
            Some(item) => check_value(item, &f.value).map(Answer::Corrected),
            None => Err(super::invalid_item()),
        },
        "refused" => check_text(&f.reason, true).map_err(|_| missing_reason()).and_then(|r| r.map(Answer::Refused).ok_or_else(missing_reason)),
        "suspended" => Ok(Answer::Suspended),
        _ => return Err(PageError::BadRequest(StatusCode::BAD_REQUEST)),
    };
    let answer = match checked {
        Ok(a) => a,
        Err(e) => return show(&state, &staff, Some((id, e.message.get(staff.lang).to_owned()))).await,
    };
    match state.db.answer_rights_request(staff.scope, id, staff.staff_id, answer, state.clock.now()).await? {
        Answered::Done(case_id) => {
            tracing::info!(by = staff.staff_id, request_id = id, case_id, "data request answered");
            Ok(Redirect::to("/rights").into_response())
        }
        Answered::NotFound => Err(PageError::NotFound),
        Answered::NotOpen => Ok(Redirect::to("/rights").into_response()),
        Answered::WrongKind => {
            let msg = if req.request.kind == RequestKind::Suspension {
                tr(staff.lang, ("利用停止の請求には「利用停止」か「お断り」で回答してください。", "Answer a suspension request with suspended or refused."))
            } else {
                tr(staff.lang, ("訂正の請求には「訂正」か「お断り」で回答してください。", "Answer a correction request with corrected or refused."))
            };
            show(&state, &staff, Some((id, msg.to_owned()))).await
        }
    }
}

#[derive(Template)]
#[template(path = "rights/person.html")]
struct PersonSection {
    c: Chrome,
    suspended: String,
    profile: Vec<(&'static str, String, String, String)>,
    open: usize,
}

/// The person page's part: whether use is suspended, the profile corrections (before
/// and after), how many requests wait; and each corrected report's temperature by
/// report id, for the timeline to show beside the original.
pub async fn person_section(state: &AppState, staff: &WebStaff, case_id: i64) -> Result<(String, Corrected), PageError> {
    let held = state.db.held_case(case_id).await?.ok_or(PageError::NotFound)?;
    let corrections = state.db.corrections(case_id).await?;
    let open = state.db.rights_requests(case_id).await?.iter().filter(|r| r.status == RequestStatus::Open).count();
    let by_report = Corrected::from_rows(&corrections);
    let profile = corrections
        .into_iter()
        .filter(|k| k.report_id.is_none())
        .map(|k| (tr(staff.lang, k.item.label()), k.original, k.corrected, datetime(k.at)))
        .collect();
    let section = PersonSection {
        c: Chrome::new(staff, &format!("/cases/{case_id}"), "cases"),
        suspended: held.suspended_at.map(datetime).unwrap_or_default(),
        profile,
        open,
    };
    Ok((render(&section)?.0, by_report))
}
