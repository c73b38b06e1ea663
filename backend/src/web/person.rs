//! A person's page: the case, the timeline of reports with every answer and the
//! advice, the temperature chart, the phone-contact log staff add to, and the transfer
//! of the case to another health centre.

use super::chart::{daily_points, temperature_svg};
use super::session::WebStaff;
use super::{Chrome, PageError, celsius, datetime, render, time_of_day};
use crate::db::{AuditAction, ContactOutcome, Observation, TransferOutcome};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use protocol::{Answer, DailyReport, Lang, QUESTIONS, Temperature, triage};
use serde::Deserialize;

/// Longest contact note, in characters.
const MAX_NOTE: usize = 1000;

/// One report line of the timeline.
#[derive(Debug, Clone)]
pub struct ReportLine {
    /// Report id.
    pub id: String,
    /// Day.
    pub date: String,
    /// Entered on the phone at (the time, with the date only when not the report's day).
    pub recorded: String,
    /// Received at (likewise).
    pub received: String,
    /// Kind, localised.
    pub kind: &'static str,
    /// `36.5`.
    pub temperature: String,
    /// Fever.
    pub fever: bool,
    /// Each answer, localised, with whether it is a finding (answered 1 or 9).
    pub answers: Vec<(&'static str, bool)>,
    /// Advice headline.
    pub advice: &'static str,
    /// "call now".
    pub urgent: bool,
    /// Why, from the shared triage rules.
    pub reasons: String,
}

/// One contact line.
#[derive(Debug, Clone)]
pub struct ContactLine {
    /// When.
    pub at: String,
    /// Staff.
    pub who: String,
    /// Outcome, localised.
    pub outcome: &'static str,
    /// Note.
    pub note: String,
}

/// Localised outcome.
pub fn outcome_label(o: ContactOutcome, lang: Lang) -> &'static str {
    let t = super::i18n::texts(lang);
    match o {
        ContactOutcome::Reached => t.outcome_reached,
        ContactOutcome::NoAnswer => t.outcome_no_answer,
        ContactOutcome::LeftMessage => t.outcome_left_message,
        ContactOutcome::Other => t.outcome_other,
    }
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    case: crate::db::CaseRecord,
    phone: String,
    kind: &'static str,
    observation: &'static str,
    topics: Vec<&'static str>,
    reports: Vec<ReportLine>,
    chart: Option<String>,
    contacts: Vec<ContactLine>,
    outcomes: Vec<(&'static str, &'static str)>,
    transfers: Vec<(String, String, String, String, String)>,
    centres: Vec<(i64, String)>,
    error: String,
}

/// `GET /cases/{id}`.
pub async fn page(State(state): State<AppState>, staff: WebStaff, Path(id): Path<i64>) -> Result<Html<String>, PageError> {
    person_page(&state, &staff, id, String::new()).await
}

async fn person_page(state: &AppState, staff: &WebStaff, id: i64, error: String) -> Result<Html<String>, PageError> {
    let lang = staff.lang;
    let case = state.db.case(staff.scope, id).await?.ok_or(PageError::NotFound)?;
    let stored = state.db.case_reports(staff.scope, id).await?.ok_or(PageError::NotFound)?;
    let contacts = state.db.contacts(staff.scope, id).await?;
    let transfers = state.db.transfers(staff.scope, id).await?;
    let centres = state.db.centres().await?;
    state.db.audit(staff.scope, staff.staff_id, AuditAction::ViewCase, Some(id), state.clock.now()).await?;
    let t = staff.t();
    let chart = temperature_svg(&daily_points(&stored), t.chart_fever_line);
    let reports = stored
        .iter()
        .rev()
        .map(|r| {
            let advice = triage(&DailyReport { kind: r.kind, temperature: r.temperature, answers: r.answers });
            ReportLine {
                id: r.id.to_string(),
                date: r.local_date.to_string(),
                recorded: time_of_day(r.recorded_at, r.local_date),
                received: time_of_day(r.received_at, r.local_date),
                kind: r.kind.label(lang),
                temperature: celsius(r.temperature.tenths()),
                fever: r.temperature.tenths() >= Temperature::FEVER_TENTHS,
                answers: QUESTIONS
                    .iter()
                    .map(|q| {
                        let a = r.answers.get(q.id);
                        (q.option_label(a, lang), a == Answer::Yes || a == Answer::Unknown)
                    })
                    .collect(),
                advice: r.advice.headline(lang),
                urgent: r.advice == protocol::AdviceLevel::CallNow,
                reasons: advice.reasons.iter().map(|x| x.text(lang)).collect::<Vec<_>>().join(if lang == Lang::En { ", " } else { "、" }),
            }
        })
        .collect();
    let page = PersonPage {
        c: Chrome::new(staff, &format!("/cases/{id}"), "cases"),
        kind: case.kind.label(lang),
        observation: match case.observation {
            Observation::App => t.obs_app,
            Observation::Phone => t.obs_phone,
        },
        phone: super::phone_display(&case.phone),
        case,
        topics: QUESTIONS.iter().map(|q| q.topic.get(lang)).collect(),
        reports,
        chart,
        contacts: contacts
            .into_iter()
            .map(|c| ContactLine { at: datetime(c.at), who: c.staff_name, outcome: outcome_label(c.outcome, lang), note: c.note })
            .collect(),
        outcomes: ContactOutcome::ALL.iter().map(|o| (o.as_str(), outcome_label(*o, lang))).collect(),
        transfers: transfers.into_iter().map(|x| (datetime(x.at), x.from_centre, x.to_centre, x.staff_name, x.reason)).collect(),
        centres: centres.into_iter().filter(|c| c.id != staff.scope.centre_id()).map(|c| (c.id, c.name)).collect(),
        error,
    };
    render(&page)
}

/// The contact form (no `Debug`: it carries the form's CSRF token).
#[derive(Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    note: String,
}

/// `POST /cases/{id}/contacts`: logs a phone contact.
pub async fn add_contact(State(state): State<AppState>, staff: WebStaff, Path(id): Path<i64>, Form(f): Form<ContactForm>) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let note = f.note.trim().to_owned();
    let (Some(outcome), true) = (ContactOutcome::parse(&f.outcome), note.chars().count() <= MAX_NOTE && !note.chars().any(|c| c.is_control() && c != '\n' && c != '\r')) else {
        let html = person_page(&state, &staff, id, staff.t().note_required.to_owned()).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    };
    if !state.db.add_contact(staff.scope, id, staff.staff_id, outcome, note, state.clock.now()).await? {
        return Err(PageError::NotFound);
    }
    tracing::info!(case_id = id, by = staff.staff_id, "phone contact logged");
    Ok(Redirect::to(&format!("/cases/{id}#contacts")).into_response())
}

/// `POST /cases/{id}/close`: ends the case's observation.
pub async fn close(State(state): State<AppState>, staff: WebStaff, Path(id): Path<i64>, Form(f): Form<super::session::CsrfForm>) -> Result<Response, PageError> {
    staff.check_csrf(f.token())?;
    if !state.db.close_case(staff.scope, id).await? {
        return Err(PageError::NotFound);
    }
    state.db.audit(staff.scope, staff.staff_id, AuditAction::CloseCase, Some(id), state.clock.now()).await?;
    tracing::info!(case_id = id, by = staff.staff_id, "case closed from the pages");
    Ok(Redirect::to(&format!("/cases/{id}")).into_response())
}

/// The transfer form (no `Debug`: it carries the form's CSRF token).
#[derive(Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    to_centre: String,
    #[serde(default)]
    reason: String,
}

/// `POST /cases/{id}/transfer`: moves the case and its history to another centre.
pub async fn transfer(State(state): State<AppState>, staff: WebStaff, Path(id): Path<i64>, Form(f): Form<TransferForm>) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let reason = f.reason.trim().chars().take(MAX_NOTE).collect::<String>();
    let to = f.to_centre.trim().parse::<i64>().unwrap_or(0);
    match state.db.transfer_case(staff.scope, id, to, staff.staff_id, reason, state.clock.now()).await? {
        TransferOutcome::Done => {
            tracing::info!(case_id = id, by = staff.staff_id, to, "case transferred");
            Ok(Redirect::to("/cases").into_response())
        }
        TransferOutcome::NotFound => Err(PageError::NotFound),
        TransferOutcome::BadTarget => {
            let html = person_page(&state, &staff, id, staff.t().transfer_bad_target.to_owned()).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}
