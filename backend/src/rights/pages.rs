//! The person's rights on the patient pages: `/app/rights` files a request — signed
//! in, for one's own case; without the app, checked by the registration's attribute
//! match and input ID (throttled like registration tries, and the same answer
//! whichever attribute was wrong) — and shows one's requests with their status;
//! `/app/rights/disclosure` is the readable disclosure of one's own data. A disclosure
//! asked for on the public page is shown at once, after the check.

use super::api::file_for;
use super::{check_request, disclosure, label_in};
use crate::auth::ClientAddr;
use crate::db::rights::{NewRequest, Via};
use crate::error::ApiError;
use crate::http::registration::{attributes_match, mismatch};
use crate::normalize;
use crate::patient_pages::session::{WebPatient, anonymous_frame, check_form, current};
use crate::patient_pages::{AppError, Frame, page, see_other};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use protocol::Lang;
use protocol::rights::{CorrectionItem, Disclosure, FileRequest, RequestKind, RequestView};
use crate::patient_pages::register::AttributesForm;
use serde::Deserialize;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/app/rights", get(form).post(send)).route("/app/rights/disclosure", get(disclosure_page))
}

/// A request as the page shows it.
pub struct RequestLine {
    /// Id.
    pub id: String,
    /// Kind in words.
    pub kind: &'static str,
    /// Item in words.
    pub item: &'static str,
    /// Value asked for.
    pub value: String,
    /// Status in words.
    pub status: &'static str,
    /// Status key.
    pub status_key: &'static str,
    /// The reason of a refusal, or the corrected value.
    pub outcome: String,
    /// Filed at.
    pub filed: String,
}

fn lines(requests: &[RequestView], lang: Lang) -> Vec<RequestLine> {
    requests
        .iter()
        .map(|r| RequestLine {
            id: r.id.clone(),
            kind: label_in(lang, r.kind.label()),
            item: r.item.map_or("", |i| label_in(lang, i.label())),
            value: r.value.clone().unwrap_or_default(),
            status: label_in(lang, r.status.label()),
            status_key: r.status.as_str(),
            outcome: r.corrected_value.clone().or_else(|| r.reason.clone()).unwrap_or_default(),
            filed: chrono::DateTime::parse_from_rfc3339(&r.filed_at).map(|t| crate::web::datetime(t.to_utc())).unwrap_or_default(),
        })
        .collect()
}

/// The form's fields (no `Debug`: attributes and values).
#[derive(Deserialize, Default, Clone)]
pub struct RightsForm {
    /// The form token and, without the app, the attributes checked as at registration.
    #[serde(flatten)]
    who: AttributesForm,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    item: String,
    #[serde(default)]
    report_id: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    note: String,
}

#[derive(Template)]
#[template(path = "rights/patient.html")]
struct FormPage {
    f: Frame,
    signed_in: bool,
    a: RightsForm,
    items: Vec<(&'static str, &'static str)>,
    error: String,
    requests: Vec<RequestLine>,
    filed: bool,
    /// The person's reports to pick the one to correct: (id, readable line, chosen).
    reports: Vec<(String, String, bool)>,
}

/// The person's reports as lines to pick from: the day, the temperature and the
/// answers in words (newest first).
async fn report_choices(state: &AppState, case_id: i64, lang: Lang, chosen: &str) -> Result<Vec<(String, String, bool)>, AppError> {
    let reports = state.db.own_reports(case_id).await?;
    Ok(reports
        .iter()
        .rev()
        .map(|r| {
            let reasons = crate::web::board::reasons_of([r], lang);
            let answers = if reasons.is_empty() { label_in(lang, ("症状なし", "no symptoms")).to_owned() } else { reasons };
            let id = r.id.to_string();
            let line = format!("{} {}℃ {}", r.local_date, crate::web::celsius(r.temperature.tenths()), answers);
            let chosen = id == chosen.trim();
            (id, line, chosen)
        })
        .collect())
}

/// A report as the disclosure shows it, with its corrections beside.
pub struct ReportRow {
    /// Day it is for.
    pub date: String,
    /// Temperature as sent.
    pub temperature: String,
    /// Corrected temperature, if corrected.
    pub corrected: String,
    /// Answer codes.
    pub answers: String,
    /// Advice.
    pub advice: String,
    /// Received at.
    pub received: String,
}

#[derive(Template)]
#[template(path = "rights/disclosure.html")]
struct DisclosurePage {
    f: Frame,
    d: Disclosure,
    reports: Vec<ReportRow>,
    profile_corrections: Vec<(&'static str, String, String)>,
    requests: Vec<RequestLine>,
}

fn disclosure_view(f: Frame, d: Disclosure) -> DisclosurePage {
    let lang = f.lang;
    let reports = d
        .reports
        .iter()
        .map(|r| ReportRow {
            date: r.local_date.clone(),
            temperature: crate::web::celsius(r.temperature_tenths),
            corrected: d.corrections.iter().rev().find(|c| c.report_id.as_deref() == Some(r.id.as_str())).map(|c| c.corrected.clone()).unwrap_or_default(),
            answers: readable_answers(&r.answers, lang),
            advice: r.advice.clone(),
            received: chrono::DateTime::parse_from_rfc3339(&r.received_at).map(|t| crate::web::datetime(t.to_utc())).unwrap_or_default(),
        })
        .collect();
    let profile_corrections =
        d.corrections.iter().filter(|c| c.report_id.is_none()).map(|c| (label_in(lang, c.item.label()), c.original.clone(), c.corrected.clone())).collect();
    let requests = lines(&d.requests, lang);
    DisclosurePage { f, d, reports, profile_corrections, requests }
}

/// The nine answers in words: each question with its answer ("息苦しさ: あり").
fn readable_answers(codes: &[u8], lang: Lang) -> String {
    protocol::QUESTIONS
        .iter()
        .zip(codes)
        .map(|(q, code)| {
            let answer = protocol::Answer::ALL.iter().find(|a| a.code() == *code).map_or_else(|| code.to_string(), |a| q.option_label(*a, lang).to_owned());
            format!("{}: {answer}", q.topic.get(lang))
        })
        .collect::<Vec<_>>()
        .join(label_in(lang, ("、", ", ")))
}

fn items(lang: Lang) -> Vec<(&'static str, &'static str)> {
    CorrectionItem::ALL.iter().map(|i| (i.as_str(), label_in(lang, i.label()))).collect()
}

fn form_page(f: Frame, signed_in: bool, a: RightsForm, error: String, requests: Vec<RequestLine>, filed: bool) -> FormPage {
    let lang = f.lang;
    let mut a = a;
    a.who.csrf.clear();
    FormPage { f, signed_in, a, items: items(lang), error, requests, filed, reports: Vec::new() }
}

/// `GET /app/rights`.
pub async fn form(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    if let Some(p) = current(&state, &headers).await? {
        let requests = state.db.rights_requests(p.case_id).await?.iter().map(super::request_view).collect::<Vec<_>>();
        let f = p.frame("/app/rights");
        let lang = f.lang;
        let mut form = form_page(f, true, RightsForm::default(), String::new(), lines(&requests, lang), false);
        form.reports = report_choices(&state, p.case_id, lang, "").await?;
        return page(&form, StatusCode::OK, Vec::new());
    }
    let (f, cookies) = anonymous_frame(&state, &headers, "/app/rights");
    page(&form_page(f, false, RightsForm::default(), String::new(), Vec::new(), false), StatusCode::OK, cookies)
}

fn opt(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_owned())
}

fn to_request(a: &RightsForm) -> Result<NewRequest, ApiError> {
    let kind = RequestKind::parse(a.kind.trim()).ok_or_else(|| {
        ApiError::bad_request("invalid_kind", "請求の種類を選んでください。", "Choose what you are asking for.")
    })?;
    let item = match opt(&a.item) {
        Some(i) => Some(CorrectionItem::parse(i.trim()).ok_or_else(super::invalid_item)?),
        None => None,
    };
    // Only a correction names an item; the form sends every field.
    let correction = kind == RequestKind::Correction;
    check_request(&FileRequest {
        kind,
        item: if correction { item } else { None },
        report_id: if correction { opt(&a.report_id) } else { None },
        value: if correction { opt(&a.value) } else { None },
        note: opt(&a.note),
    })
}

/// `POST /app/rights`.
pub async fn send(State(state): State<AppState>, ClientAddr(ip): ClientAddr, headers: HeaderMap, Form(a): Form<RightsForm>) -> Result<Response, AppError> {
    let signed_in = current(&state, &headers).await?;
    let (f, cookies, case_id, via) = match &signed_in {
        Some(p) => {
            p.check_csrf(&a.who.csrf)?;
            (p.frame("/app/rights"), Vec::new(), Some(p.case_id), Via::App)
        }
        None => {
            check_form(&headers, &a.who.csrf)?;
            let (f, cookies) = anonymous_frame(&state, &headers, "/app/rights");
            (f, cookies, None, Via::Page)
        }
    };
    let lang = f.lang;
    let refuse = |f: Frame, e: ApiError, cookies| {
        let msg = e.message.get(lang).to_owned();
        page(&form_page(f, signed_in.is_some(), a.clone(), msg, Vec::new(), false), e.status, cookies)
    };
    let case_id = match case_id {
        Some(id) => id,
        None => {
            state.throttle.attempt(ip).await?;
            let attrs = a.who.request();
            let case = match normalize::input_id(&a.who.input_id) {
                Some(input_id) => state.db.case_by_input_id(&input_id).await?,
                None => None,
            };
            match case.filter(|c| attributes_match(&attrs, c)) {
                Some(c) => c.id,
                None => {
                    tracing::info!("data request attributes did not match");
                    return refuse(f, mismatch(), cookies);
                }
            }
        }
    };
    // A temperature to correct without the report chosen: the person (now known) picks
    // it from their reports, in words; nothing is filed yet.
    let temperature = a.kind.trim() == "correction" && a.item.trim() == CorrectionItem::Temperature.as_str();
    if temperature && a.report_id.trim().is_empty() {
        let mut form = form_page(f, signed_in.is_some(), a.clone(), label_in(lang, ("訂正する報告を選んでください。", "Choose the report to correct.")).to_owned(), Vec::new(), false);
        form.reports = report_choices(&state, case_id, lang, "").await?;
        return page(&form, StatusCode::UNPROCESSABLE_ENTITY, cookies);
    }
    let req = match to_request(&a) {
        Ok(r) => r,
        Err(e) => return refuse(f, e, cookies),
    };
    let kind = req.kind;
    if let Err(e) = file_for(&state, case_id, via, req).await {
        return refuse(f, e, cookies);
    }
    if signed_in.is_some() {
        return Ok(see_other(if kind == RequestKind::Disclosure { "/app/rights/disclosure" } else { "/app/rights" }, Vec::new()));
    }
    let d = disclosure(&state, case_id, lang).await?;
    if kind == RequestKind::Disclosure {
        return page(&disclosure_view(f, d), StatusCode::OK, cookies);
    }
    let requests = lines(&d.requests, lang);
    page(&form_page(f, false, RightsForm::default(), String::new(), requests, true), StatusCode::OK, cookies)
}

/// `GET /app/rights/disclosure`: the signed-in person's own data (recorded as a
/// disclosure given).
pub async fn disclosure_page(State(state): State<AppState>, p: WebPatient) -> Result<Response, AppError> {
    let req = NewRequest { kind: RequestKind::Disclosure, item: None, report_id: None, value: None, note: None };
    file_for(&state, p.case_id, Via::App, req).await?;
    let d = disclosure(&state, p.case_id, p.lang).await?;
    page(&disclosure_view(p.frame("/app/rights/disclosure"), d), StatusCode::OK, Vec::new())
}
