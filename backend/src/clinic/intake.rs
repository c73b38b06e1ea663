//! The centre's intake of outbreak notifications: the queue of new ones (the oldest
//! first) and the recently decided, one notification with the centre's cases that
//! may be the same person (name reading, date of birth, phone), and the two decisions:
//! accept (it becomes a case, prefilled, observed by app or phone; the leaflet opens)
//! or mark a duplicate of a listed case. Every step is audited.

use super::api::{AcceptRequest, accept_notification, duplicate_of};
use super::pages::{LineRow, fields, rows};
use super::store::{self, Candidate, Status};
use super::tr;
use crate::db::AuditAction;
use crate::state::AppState;
use crate::web::session::WebStaff;
use crate::web::{Chrome, PageError, render};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Duration;
use serde::Deserialize;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(queue))
        .route("/notifications/{id}", get(one))
        .route("/notifications/{id}/accept", post(accept))
        .route("/notifications/{id}/duplicate", post(duplicate))
}

#[derive(Template)]
#[template(path = "clinic/queue.html")]
struct QueuePage {
    c: Chrome,
    new: Vec<LineRow>,
    decided: Vec<LineRow>,
}

/// `GET /notifications`.
pub async fn queue(State(state): State<AppState>, staff: WebStaff) -> Result<Response, PageError> {
    let new = store::centre_list(&state.db, staff.scope, Status::New, 500).await?;
    let mut decided = store::centre_list(&state.db, staff.scope, Status::Accepted, 20).await?;
    decided.extend(store::centre_list(&state.db, staff.scope, Status::Duplicate, 20).await?);
    decided.sort_by_key(|l| std::cmp::Reverse(l.filed_at));
    state.db.audit(staff.scope, staff.staff_id, AuditAction::ViewNotifications, None, state.clock.now()).await?;
    Ok(render(&QueuePage { c: Chrome::new(&staff, "/notifications", "notifications"), new: rows(new, staff.lang), decided: rows(decided, staff.lang) })?.into_response())
}

/// A candidate as shown.
#[derive(Clone)]
pub struct CandidateRow {
    /// Case id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Reading.
    pub reading: String,
    /// Date of birth.
    pub dob: String,
    /// Phone.
    pub phone: String,
    /// Input ID.
    pub input_id: String,
    /// Which fields match, in words.
    pub matches: String,
    /// Observed now.
    pub active: bool,
}

#[derive(Template)]
#[template(path = "clinic/intake.html")]
struct OnePage {
    c: Chrome,
    id: i64,
    is_new: bool,
    case_id: Option<i64>,
    fields: Vec<(&'static str, String)>,
    candidates: Vec<CandidateRow>,
    /// Other notifications waiting here that may be the same person: (id, clinic,
    /// filed, matches in words).
    twins: Vec<(i64, String, String, String)>,
    period_start: String,
    period_end: String,
    error: String,
}

fn candidate_rows(c: Vec<Candidate>, lang: protocol::Lang) -> Vec<CandidateRow> {
    let names = [tr(lang, "ふりがな", "reading"), tr(lang, "生年月日", "date of birth"), tr(lang, "電話番号", "phone")];
    c.into_iter()
        .map(|c| CandidateRow {
            matches: c.matches.iter().zip(names).filter(|(m, _)| **m).map(|(_, n)| n).collect::<Vec<_>>().join("・"),
            id: c.id,
            name: c.name,
            reading: c.name_reading,
            dob: c.date_of_birth.to_string(),
            phone: crate::web::phone_display(&c.phone),
            input_id: c.input_id,
            active: c.active,
        })
        .collect()
}

async fn one_view(state: &AppState, staff: &WebStaff, id: i64, error: String) -> Result<Response, PageError> {
    let n = store::centre_one(&state.db, staff.scope, id).await?.ok_or(PageError::NotFound)?;
    let candidates = if n.status == Status::New { store::candidates(&state.db, staff.scope, &n.n).await? } else { Vec::new() };
    let twins = if n.status == Status::New { store::waiting_twins(&state.db, staff.scope, Some(id), &n.n).await? } else { Vec::new() };
    let names = [tr(staff.lang, "ふりがな", "reading"), tr(staff.lang, "生年月日", "date of birth"), tr(staff.lang, "電話番号", "phone")];
    let twins = twins
        .into_iter()
        .map(|t| (t.id, t.institution, crate::web::datetime(t.filed_at), t.matches.iter().zip(names).filter(|(m, _)| **m).map(|(_, n)| n).collect::<Vec<_>>().join("・")))
        .collect();
    state.db.audit(staff.scope, staff.staff_id, AuditAction::ViewNotification, n.case_id, state.clock.now()).await?;
    // Observation from today until seven days after onset (or the specimen date
    // without symptoms), at least until today.
    let today = crate::web::today(state.clock.now());
    let end = (n.n.onset_date.unwrap_or(n.n.specimen_date) + Duration::days(7)).max(today);
    let p = OnePage {
        c: Chrome::new(staff, &format!("/notifications/{id}"), "notifications"),
        id,
        is_new: n.status == Status::New,
        case_id: n.case_id,
        fields: fields(&n, staff.lang),
        candidates: candidate_rows(candidates, staff.lang),
        twins,
        period_start: today.to_string(),
        period_end: end.to_string(),
        error,
    };
    let status = if p.error.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::BAD_REQUEST };
    Ok((status, render(&p)?).into_response())
}

/// `GET /notifications/{id}` (another centre's is 404).
pub async fn one(State(state): State<AppState>, staff: WebStaff, Path(id): Path<i64>) -> Result<Response, PageError> {
    one_view(&state, &staff, id, String::new()).await
}

/// The accept form (no `Debug`: the CSRF token).
#[derive(Deserialize)]
pub struct AcceptForm {
    csrf: String,
    observation: String,
    period_start: String,
    period_end: String,
    /// `yes` when staff checked that the person is none of the possible matches.
    #[serde(default)]
    confirm_other_person: Option<String>,
}

/// `POST /notifications/{id}/accept`: the case is made and its leaflet opens.
pub async fn accept(State(state): State<AppState>, staff: WebStaff, Path(id): Path<i64>, Form(f): Form<AcceptForm>) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let req = AcceptRequest {
        observation: f.observation,
        period_start: f.period_start,
        period_end: f.period_end,
        confirm_other_person: f.confirm_other_person.as_deref() == Some("yes"),
    };
    match accept_notification(&state, staff.scope, staff.staff_id, id, req).await {
        Ok(case) => Ok(Redirect::to(&format!("/cases/{}/leaflet", case.id)).into_response()),
        Err(e) if e.status == axum::http::StatusCode::BAD_REQUEST || e.status == axum::http::StatusCode::CONFLICT => {
            one_view(&state, &staff, id, e.message.get(staff.lang).to_owned()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The duplicate form (no `Debug`: the CSRF token).
#[derive(Deserialize)]
pub struct DuplicateForm {
    csrf: String,
    case_id: i64,
}

/// `POST /notifications/{id}/duplicate`: back to the queue.
pub async fn duplicate(State(state): State<AppState>, staff: WebStaff, Path(id): Path<i64>, Form(f): Form<DuplicateForm>) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    match duplicate_of(&state, staff.scope, staff.staff_id, id, f.case_id).await {
        Ok(_) => Ok(Redirect::to("/notifications").into_response()),
        Err(e) if e.status == axum::http::StatusCode::BAD_REQUEST || e.status == axum::http::StatusCode::CONFLICT => {
            one_view(&state, &staff, id, e.message.get(staff.lang).to_owned()).await
        }
        Err(e) => Err(e.into()),
    }
}
