//! A person's page: the case, its waiting urgent reports with the form that marks them
//! handled, the timeline of reports (in the order received) with every answer, the
//! reasons and how each urgent one was handled, the temperature chart, the
//! phone-contact log staff add to, and the transfer of the case to another centre.
//!
//! The handling forms carry the receipt time of the newest report the page showed
//! (`seen`), so a report that arrives while staff are on the phone stays waiting.

use super::chart::{daily_points, temperature_svg};
use super::session::WebStaff;
use super::board::reasons_of;
use super::{Chrome, PageError, celsius, datetime, render, time_of_day};
use crate::db::{AuditAction, ContactOutcome, HandleOutcome, NewContact, Observation, TransferOutcome};
use crate::normalize;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use protocol::{Answer, Lang, QUESTIONS, Temperature};
use serde::Deserialize;

/// One report line of the timeline.
#[derive(Debug, Clone)]
pub struct ReportLine {
    /// Report id.
    pub id: String,
    /// Day it is for, by the phone.
    pub date: String,
    /// Received at, date and time in Japan: the report's place in the timeline.
    pub received_at: String,
    /// The phone's clock was ahead.
    pub clock_ahead: bool,
    /// A "call now" report nobody has handled yet.
    pub waiting: bool,
    /// How it was handled (`対応済み 10:05 山田 電話で対応：…`), or empty.
    pub handled: String,
    /// Entered on the phone at (the time, with the date only when not the report's day).
    pub recorded: String,
    /// Kind, localised.
    pub kind: &'static str,
    /// `36.5`.
    pub temperature: String,
    /// The temperature as corrected at the person's request (the report is unchanged).
    pub corrected: String,
    /// Fever.
    pub fever: bool,
    /// Each answer, localised, with whether it is a finding (answered 1 or 9).
    pub answers: Vec<(&'static str, bool)>,
    /// The advice level, as staff name it.
    pub advice: &'static str,
    /// "call now".
    pub urgent: bool,
    /// Why, from the shared triage rules, as staff read it.
    pub reasons: String,
}

/// The form that marks waiting urgent reports handled, with what the page showed.
#[derive(Debug, Clone)]
pub struct Waiting {
    /// Reasons of the waiting reports.
    pub reasons: String,
    /// When the oldest came in.
    pub since: String,
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
    waiting: Option<Waiting>,
    /// Receipt time of the newest report shown, microseconds (PostgreSQL keeps
    /// microseconds): the handling forms' `seen`.
    seen: i64,
    error: String,
    /// The automated call's part (enrolment, call log), rendered by `crate::call::pages`.
    calls: String,
    /// The person's requests about their data: suspension and corrections, rendered by
    /// `crate::rights::staff`.
    rights: String,
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
    let (rights, corrected) = crate::rights::staff::person_section(state, staff, id).await?;
    // The chart draws each temperature as corrected at the person's request.
    let charted: Vec<_> = stored
        .iter()
        .map(|e| {
            let mut r = e.report.clone();
            corrected.apply(&mut r);
            r
        })
        .collect();
    let chart = temperature_svg(&daily_points(charted.iter()), t.chart_fever_line);
    let waiting_reports: Vec<_> = stored.iter().filter(|e| e.waiting()).collect();
    let seen = stored.last().map_or(0, |e| e.report.received_at.timestamp_micros());
    let waiting = waiting_reports.first().map(|first| Waiting {
        reasons: reasons_of(waiting_reports.iter().map(|e| &e.report), lang),
        since: datetime(first.report.received_at),
    });
    let reports = stored
        .iter()
        .rev()
        .map(|e| {
            let r = &e.report;
            ReportLine {
                id: r.id.to_string(),
                date: r.local_date.to_string(),
                received_at: datetime(r.received_at),
                clock_ahead: r.clock_ahead(),
                waiting: e.waiting(),
                handled: e.handled.as_ref().map_or_else(String::new, |h| {
                    let how = if h.by_contact { t.handled_by_contact } else { t.handled_by_note };
                    format!("{} {} {} {}：{}", t.handled, datetime(h.at), h.staff_name, how, h.note)
                }),
                recorded: time_of_day(r.recorded_at, r.local_date),
                kind: r.kind.label(lang),
                temperature: celsius(r.temperature.tenths()),
                corrected: corrected.get(&r.id).map_or_else(String::new, |t| format!("{} ℃", celsius(t.tenths()))),
                fever: r.temperature.tenths() >= Temperature::FEVER_TENTHS,
                answers: QUESTIONS
                    .iter()
                    .map(|q| {
                        let a = r.answers.get(q.id);
                        (q.option_label(a, lang), a == Answer::Yes || a == Answer::Unknown)
                    })
                    .collect(),
                advice: match r.advice {
                    protocol::AdviceLevel::CallNow => t.level_call_now,
                    protocol::AdviceLevel::Watch => t.level_watch,
                    protocol::AdviceLevel::NoAction => t.level_none,
                },
                urgent: r.advice == protocol::AdviceLevel::CallNow,
                reasons: reasons_of([r], lang),
            }
        })
        .collect();
    let calls = crate::call::pages::person_section(state, staff, id).await?;
    let page = PersonPage {
        calls,
        rights,
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
        waiting,
        seen,
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
    #[serde(default)]
    seen: String,
}

/// The `seen` field of a handling form: the receipt time of the newest report the page
/// showed. Missing or malformed: nothing newer than the epoch, so nothing is handled.
fn seen_of(field: &str) -> DateTime<Utc> {
    field.trim().parse::<i64>().ok().and_then(DateTime::from_timestamp_micros).unwrap_or(DateTime::UNIX_EPOCH)
}

/// The person page again with an error, answering 422.
async fn refused(state: &AppState, staff: &WebStaff, id: i64, error: &str) -> Result<Response, PageError> {
    let html = person_page(state, staff, id, error.to_owned()).await?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

/// `POST /cases/{id}/contacts`: logs a phone contact; one that reached the person also
/// handles the urgent reports the page showed.
pub async fn add_contact(State(state): State<AppState>, staff: WebStaff, Path(id): Path<i64>, Form(f): Form<ContactForm>) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let (Some(outcome), Some(note)) = (ContactOutcome::parse(&f.outcome), normalize::note(&f.note, false)) else {
        return refused(&state, &staff, id, staff.t().note_required).await;
    };
    let Some(handled) = state.db.add_contact(staff.scope, id, staff.staff_id, NewContact { outcome, note, seen: Some(seen_of(&f.seen)) }, state.clock.now()).await? else {
        return Err(PageError::NotFound);
    };
    tracing::info!(case_id = id, by = staff.staff_id, handled, "phone contact logged");
    Ok(Redirect::to(&format!("/cases/{id}#contacts")).into_response())
}

/// The form that marks urgent reports handled (no `Debug`: it carries the CSRF token).
#[derive(Deserialize)]
pub struct HandleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    seen: String,
}

/// `POST /cases/{id}/handled`: marks the waiting urgent reports the page showed as
/// handled, with a note.
pub async fn mark_handled(State(state): State<AppState>, staff: WebStaff, Path(id): Path<i64>, Form(f): Form<HandleForm>) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let Some(note) = normalize::note(&f.note, true) else {
        return refused(&state, &staff, id, staff.t().handle_note_required).await;
    };
    match state.db.mark_handled(staff.scope, id, staff.staff_id, note, Some(seen_of(&f.seen)), state.clock.now()).await? {
        HandleOutcome::Handled(n) => {
            tracing::info!(case_id = id, by = staff.staff_id, reports = n, "urgent reports handled");
            Ok(Redirect::to(&format!("/cases/{id}")).into_response())
        }
        HandleOutcome::NothingWaiting => refused(&state, &staff, id, staff.t().nothing_waiting).await,
        HandleOutcome::NotFound => Err(PageError::NotFound),
    }
}

/// `POST /cases/{id}/close`: ends the case's observation.
pub async fn close(State(state): State<AppState>, staff: WebStaff, Path(id): Path<i64>, Form(f): Form<super::session::CsrfForm>) -> Result<Response, PageError> {
    staff.check_csrf(f.token())?;
    let case = state.db.case(staff.scope, id).await?.ok_or(PageError::NotFound)?;
    if case.urgent_since.is_some() {
        return refused(&state, &staff, id, crate::http::cases::urgent_waiting().message.get(staff.lang)).await;
    }
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
    let Some(reason) = normalize::note(&f.reason, false) else {
        return refused(&state, &staff, id, staff.t().transfer_bad_reason).await;
    };
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
