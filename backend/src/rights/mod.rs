//! The person's rights over their data (開示・訂正・利用停止) and retention.
//!
//! - [`api`]: the app's requests through the phone core (bearer patient session): file
//!   a request, list one's requests with their status, the disclosure as JSON;
//! - [`pages`]: `/app/rights` for a signed-in person and for people without the app
//!   (checked by the registration's attribute match and input ID, throttled like
//!   registration tries), and the readable disclosure;
//! - [`staff`]: the centre's requests with an answer form each (corrected, refused
//!   with a reason, suspended), every step audited;
//! - [`retention`]: the periodic removal of personal data long after observation ended.
//!
//! The rules of a request and of an answer are here, once, for all front ends.

pub mod api;
pub mod corrected;
pub mod held;
pub mod pages;
pub mod retention;
pub mod staff;

use crate::db::StoredReport;
use crate::db::rights::{Correction, NewRequest, RightsRequest};
use crate::error::ApiError;
use crate::normalize;
use crate::state::AppState;
use axum::Router;
use protocol::rights::{CorrectionItem, CorrectionView, DisclosedProfile, Disclosure, FileRequest, MAX_TEXT_CHARS, RequestKind, RequestView};
use protocol::wire::ReportView;
use protocol::Temperature;
use uuid::Uuid;

/// The API routes.
pub fn api_router() -> Router<AppState> {
    api::router()
}

/// The page routes (patient and staff).
pub fn pages_router() -> Router<AppState> {
    pages::router().merge(staff::router())
}

/// A `(Japanese, English)` pair in `lang`.
pub fn label_in(lang: protocol::Lang, (ja, en): (&'static str, &'static str)) -> &'static str {
    if lang == protocol::Lang::En { en } else { ja }
}

fn invalid_item() -> ApiError {
    ApiError::bad_request("invalid_item", "訂正する項目を選んでください。", "Choose the item to correct.")
}

fn invalid_value() -> ApiError {
    ApiError::bad_request("invalid_value", "訂正後の内容が正しくありません。入力内容を確認してください。", "The corrected value is not valid. Please check it.")
}

fn invalid_report() -> ApiError {
    ApiError::bad_request("invalid_report", "訂正する報告が見つかりません。", "The report to correct was not found.")
}

fn invalid_note() -> ApiError {
    ApiError::bad_request("invalid_note", "備考は500文字以内で入力してください。", "Keep the note to 500 characters.")
}

/// 409: the same request is already waiting for the health centre.
pub fn request_open() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::CONFLICT,
        "request_open",
        "同じ請求を保健所で確認中です。結果をお待ちください。",
        "The same request is already with your health centre. Please wait for its answer.",
    )
}

/// A value for `item` in its stored form, by the rule that item has everywhere (names
/// by the text rule, date, phone and e-mail normalised, a temperature in range).
pub fn check_value(item: CorrectionItem, raw: &str) -> Result<String, ApiError> {
    let v = match item {
        CorrectionItem::Name | CorrectionItem::NameReading => normalize::display_name(raw),
        CorrectionItem::DateOfBirth => normalize::date(raw).map(|d| d.to_string()),
        CorrectionItem::Phone => normalize::phone(raw),
        CorrectionItem::Email => normalize::email(raw),
        CorrectionItem::Temperature => Temperature::parse_decimal(raw.trim()).ok().map(|t| t.to_string()),
    };
    v.ok_or_else(invalid_value)
}

/// A free text of the person or of staff (a note, a refusal's reason).
pub fn check_text(raw: &str, required: bool) -> Result<Option<String>, ApiError> {
    let t = normalize::text(raw, MAX_TEXT_CHARS, true, required).ok_or_else(invalid_note)?;
    Ok((!t.is_empty()).then_some(t))
}

/// The checks of a request, whichever front end filed it.
pub fn check_request(req: &FileRequest) -> Result<NewRequest, ApiError> {
    let note = match &req.note {
        Some(n) => check_text(n, false)?,
        None => None,
    };
    if req.kind != RequestKind::Correction {
        if req.item.is_some() || req.report_id.is_some() || req.value.is_some() {
            return Err(invalid_item());
        }
        return Ok(NewRequest { kind: req.kind, item: None, report_id: None, value: None, note });
    }
    let item = req.item.ok_or_else(invalid_item)?;
    let report_id = match (&req.report_id, item.of_report()) {
        (Some(id), true) => Some(Uuid::parse_str(id.trim()).map_err(|_| invalid_report())?),
        (None, true) => return Err(invalid_report()),
        (Some(_), false) => return Err(invalid_item()),
        (None, false) => None,
    };
    let value = check_value(item, req.value.as_deref().unwrap_or(""))?;
    Ok(NewRequest { kind: req.kind, item: Some(item), report_id, value: Some(value), note })
}

/// A stored request on the wire.
pub fn request_view(r: &RightsRequest) -> RequestView {
    RequestView {
        id: r.id.to_string(),
        kind: r.kind,
        item: r.item,
        report_id: r.report_id.map(|u| u.to_string()),
        value: r.value.clone(),
        note: r.note.clone(),
        status: r.status,
        reason: r.reason.clone(),
        corrected_value: r.corrected.clone(),
        filed_at: r.filed_at.to_rfc3339(),
        answered_at: r.answered_at.map(|t| t.to_rfc3339()),
    }
}

/// A correction on the wire.
pub fn correction_view(c: &Correction) -> CorrectionView {
    CorrectionView { item: c.item, report_id: c.report_id.map(|u| u.to_string()), original: c.original.clone(), corrected: c.corrected.clone(), at: c.at.to_rfc3339() }
}

fn report_view(r: StoredReport) -> ReportView {
    let v = crate::http::cases::ReportView::from(r);
    ReportView {
        id: v.id,
        local_date: v.local_date.to_string(),
        kind: v.kind,
        temperature_tenths: v.temperature_tenths,
        answers: v.answers,
        recorded_at: v.recorded_at.to_rfc3339(),
        advice: v.advice,
        received_at: v.received_at.to_rfc3339(),
        // The disclosure shows each report as sent, its corrections beside it.
        sent_temperature_tenths: None,
    }
}

/// Everything held about case `case_id`: the person's own data.
pub async fn disclosure(state: &AppState, case_id: i64, lang: protocol::Lang) -> Result<Disclosure, ApiError> {
    let held = state.db.held_case(case_id).await?.ok_or_else(ApiError::not_found)?;
    let c = held.case;
    let profile = DisclosedProfile {
        name: c.name,
        name_reading: c.name_reading,
        date_of_birth: c.date_of_birth.to_string(),
        phone: c.phone,
        email: c.email,
        kind: c.kind.as_str().to_owned(),
        observation: c.observation.as_str().to_owned(),
        period_start: c.period_start.to_string(),
        period_end: c.period_end.to_string(),
        centre_name: held.centre_name,
        suspended: held.suspended_at.is_some(),
    };
    let reports = state.db.own_reports(case_id).await?.into_iter().map(report_view).collect();
    let corrections = state.db.corrections(case_id).await?.iter().map(correction_view).collect();
    let requests = state.db.rights_requests(case_id).await?.iter().map(request_view).collect();
    let held = held::sections(&state.db, case_id, lang).await?;
    Ok(Disclosure { profile, reports, corrections, requests, held })
}
