//! The daily report on the pages: the form (kind, temperature, the nine questions of
//! `protocol` answered 1, 2 or 9), a confirm step, then the advice of the shared
//! triage with the centre's number as a `tel:` link when it says to call.
//!
//! The confirm page issues the report's id and the time it was made, and the send form
//! carries both: a confirm form sent twice is one report (the second is a replay of the
//! same id and answers, and gets the same advice). The report goes through the API's
//! report writer (`crate::http::reports::submit`) under the person's session, so it is
//! validated, triaged, stored and shown to staff exactly like one from the app.

use super::session::WebPatient;
use super::{AppError, CallBox, Frame, GroupView, groups, level_label, page, see_other};
use crate::ingest::{Refusal, ReportResult};
use crate::state::AppState;
use crate::web::{PageError, celsius, today};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use protocol::wire::WireReport;
use protocol::{Answer, Answers, DailyReport, Kind, QUESTIONS, Temperature, triage};
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

/// A form as posted: field name → value (no `Debug`: it carries health answers).
type Fields = HashMap<String, String>;

/// What the form holds, checked with the shared rules.
struct Draft {
    kind: Option<Kind>,
    temperature: String,
    parsed: Option<Temperature>,
    temperature_error: String,
    answers: [Option<Answer>; 9],
}

impl Draft {
    fn read(fields: &Fields, lang: protocol::Lang) -> Draft {
        let get = |k: &str| fields.get(k).map(String::as_str).unwrap_or("");
        let temperature = get("temperature").trim().to_owned();
        let (parsed, temperature_error) = match Temperature::parse_decimal(&temperature) {
            Ok(t) => (Some(t), String::new()),
            Err(e) => (None, e.message(lang).to_owned()),
        };
        let mut answers = [None; 9];
        for (slot, q) in answers.iter_mut().zip(QUESTIONS.iter()) {
            *slot = get(q.key)
                .trim()
                .parse::<u8>()
                .ok()
                .and_then(Answer::from_code);
        }
        Draft {
            kind: Kind::parse(get("kind")),
            temperature,
            parsed,
            temperature_error,
            answers,
        }
    }

    /// The report when every part is valid.
    fn complete(&self) -> Option<(Kind, Temperature, Answers)> {
        let mut all = [Answer::No; 9];
        for (slot, a) in all.iter_mut().zip(self.answers) {
            *slot = a?;
        }
        Some((self.kind?, self.parsed?, Answers::new(all)))
    }
}

/// One question as the form shows it.
#[derive(Debug, Clone)]
pub struct QuestionView {
    /// Field name (the question's key).
    pub key: &'static str,
    /// 1 to 9.
    pub number: usize,
    /// The question.
    pub text: &'static str,
    /// Answers: code, label, chosen.
    pub options: Vec<(u8, &'static str, bool)>,
    /// Not answered after a try.
    pub missing: bool,
}

#[derive(Template)]
#[template(path = "patient/report_form.html")]
struct FormPage {
    f: Frame,
    error: String,
    kinds: Vec<(&'static str, &'static str, bool)>,
    kind_missing: bool,
    temperature: String,
    temperature_error: String,
    questions: Vec<QuestionView>,
    /// Whom to call, shown with a refusal that means the report reached nobody.
    call: Option<CallBox>,
}

fn form_page(
    who: &WebPatient,
    d: &Draft,
    tried: bool,
    error: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    page(&form_parts(who, d, tried, error), status, Vec::new())
}

fn form_parts(who: &WebPatient, d: &Draft, tried: bool, error: String) -> FormPage {
    let lang = who.lang;
    let t = super::i18n::texts(lang);
    FormPage {
        f: who.frame("/app/report"),
        error: if error.is_empty() && tried {
            t.check_form.to_owned()
        } else {
            error
        },
        kinds: Kind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label(lang), d.kind == Some(*k)))
            .collect(),
        kind_missing: tried && d.kind.is_none(),
        temperature: d.temperature.clone(),
        temperature_error: if tried {
            d.temperature_error.clone()
        } else {
            String::new()
        },
        questions: QUESTIONS
            .iter()
            .zip(d.answers)
            .enumerate()
            .map(|(i, (q, a))| QuestionView {
                key: q.key,
                number: i + 1,
                text: q.text.get(lang),
                options: Answer::ALL
                    .iter()
                    .map(|o| (o.code(), q.option_label(*o, lang), a == Some(*o)))
                    .collect(),
                missing: tried && a.is_none(),
            })
            .collect(),
        call: None,
    }
}

/// `?kind=` of the form (from step 7).
#[derive(Debug, Deserialize)]
pub struct FormQuery {
    #[serde(default)]
    kind: Option<String>,
}

/// `GET /app/report`: the form, the kind chosen at step 7 or registered by the centre.
pub async fn form(
    State(state): State<AppState>,
    who: WebPatient,
    Query(q): Query<FormQuery>,
) -> Result<Response, AppError> {
    let profile = state
        .db
        .profile(who.case_id)
        .await?
        .ok_or(AppError::Login)?;
    let kind = q
        .kind
        .as_deref()
        .and_then(Kind::parse)
        .unwrap_or(profile.kind);
    let d = Draft {
        kind: Some(kind),
        temperature: String::new(),
        parsed: None,
        temperature_error: String::new(),
        answers: [None; 9],
    };
    form_page(&who, &d, false, String::new(), StatusCode::OK)
}

#[derive(Template)]
#[template(path = "patient/report_confirm.html")]
struct ConfirmPage {
    f: Frame,
    kind: &'static str,
    kind_label: &'static str,
    temperature: String,
    /// Question number, text, field name, code, answer label.
    answers: Vec<(usize, &'static str, &'static str, u8, &'static str)>,
    id: String,
    recorded_at: String,
}

/// `POST /app/report/confirm`: the answers checked with the shared rules; the confirm
/// page with the report's id, or the form again with what to fix.
pub async fn confirm(
    State(state): State<AppState>,
    who: WebPatient,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    who.check_csrf(fields.get("csrf").map_or("", String::as_str))?;
    let d = Draft::read(&fields, who.lang);
    let Some((kind, temperature, answers)) = d.complete() else {
        return form_page(
            &who,
            &d,
            true,
            String::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let lang = who.lang;
    let p = ConfirmPage {
        f: who.frame("/app/report"),
        kind: kind.as_str(),
        kind_label: kind.label(lang),
        temperature: celsius(temperature.tenths()),
        answers: QUESTIONS
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let a = answers.get(q.id);
                (
                    i + 1,
                    q.text.get(lang),
                    q.key,
                    a.code(),
                    q.option_label(a, lang),
                )
            })
            .collect(),
        id: Uuid::new_v4().to_string(),
        recorded_at: state
            .clock
            .now()
            .to_rfc3339_opts(SecondsFormat::Millis, true),
    };
    page(&p, StatusCode::OK, Vec::new())
}

/// `POST /app/report`: sends the confirmed report (or, with `action=edit`, shows the
/// form again with its answers) and goes to its advice.
pub async fn send(
    State(state): State<AppState>,
    who: WebPatient,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    who.check_csrf(fields.get("csrf").map_or("", String::as_str))?;
    let d = Draft::read(&fields, who.lang);
    if fields.get("action").is_some_and(|a| a == "edit") {
        return form_page(&who, &d, false, String::new(), StatusCode::OK);
    }
    let id = fields
        .get("id")
        .and_then(|v| Uuid::parse_str(v.trim()).ok());
    let made = fields
        .get("recorded_at")
        .and_then(|v| DateTime::parse_from_rfc3339(v.trim()).ok())
        .map(|t| t.with_timezone(&Utc));
    let (Some((kind, temperature, answers)), Some(id), Some(made)) = (d.complete(), id, made)
    else {
        return form_page(
            &who,
            &d,
            true,
            String::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let wire = WireReport {
        id: id.to_string(),
        // The day in Japan when the confirm page made the report.
        local_date: today(made).to_string(),
        kind: kind.as_str().to_owned(),
        temperature_tenths: i64::from(temperature.tenths()),
        answers: answers.codes().iter().map(|c| i64::from(*c)).collect(),
        recorded_at: made.to_rfc3339_opts(SecondsFormat::Millis, true),
        person: None,
    };
    let results =
        crate::http::reports::submit(&state, &who.token, std::slice::from_ref(&wire)).await?;
    match results.into_iter().next() {
        Some(ReportResult::Accepted { id, .. }) => {
            tracing::info!(patient_id = who.patient_id, "report sent from the pages");
            Ok(see_other(&format!("/app/reports/{id}"), Vec::new()))
        }
        Some(ReportResult::Conflict { .. }) => {
            let t = super::i18n::texts(who.lang);
            form_page(
                &who,
                &d,
                false,
                t.already_sent.to_owned(),
                StatusCode::CONFLICT,
            )
        }
        // Use suspended: the report reached nobody, so the page says whom to call.
        Some(ReportResult::Refused { reason: reason @ Refusal::UseSuspended, .. }) => {
            let profile = state.db.profile(who.case_id).await?.ok_or(AppError::Login)?;
            let centre = (profile.centre_name.as_str(), profile.emergency_number.as_str());
            let mut p = form_parts(&who, &d, false, reason.message().get(who.lang).to_owned());
            p.call = Some(CallBox::new(who.lang, Some(centre)));
            page(&p, StatusCode::UNPROCESSABLE_ENTITY, Vec::new())
        }
        Some(ReportResult::Refused { reason, .. }) => form_page(
            &who,
            &d,
            false,
            reason.message().get(who.lang).to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        None => Err(AppError::Page(PageError::Internal)),
    }
}

#[derive(Template)]
#[template(path = "patient/advice.html")]
struct AdvicePage {
    f: Frame,
    level: &'static str,
    level_label: &'static str,
    headline: &'static str,
    reasons: Vec<String>,
    groups: Vec<GroupView>,
    call: Option<CallBox>,
    date: String,
    temperature: String,
}

/// `GET /app/reports/{id}`: the advice for one of the person's own reports; any other
/// id, another person's included, is "not found".
pub async fn advice(
    State(state): State<AppState>,
    who: WebPatient,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = Uuid::parse_str(&id).map_err(|_| AppError::Page(PageError::NotFound))?;
    let report = state
        .db
        .own_reports(who.case_id)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::Page(PageError::NotFound))?;
    let profile = state
        .db
        .profile(who.case_id)
        .await?
        .ok_or(AppError::Login)?;
    let advice = triage(&DailyReport {
        kind: report.kind,
        temperature: report.temperature,
        answers: report.answers,
    });
    let lang = who.lang;
    let t = super::i18n::texts(lang);
    let p = AdvicePage {
        f: who.frame(&format!("/app/reports/{id}")),
        level: advice.level.as_str(),
        level_label: level_label(advice.level, t),
        headline: advice.level.headline(lang),
        reasons: advice.reasons.iter().map(|r| r.text(lang)).collect(),
        groups: if advice.groups.is_empty() {
            Vec::new()
        } else {
            groups(lang, Some(&advice.groups))
        },
        call: advice.shows_emergency_number().then(|| {
            CallBox::new(
                lang,
                Some((&profile.centre_name, &profile.emergency_number)),
            )
        }),
        date: report.local_date.to_string(),
        temperature: celsius(report.temperature.tenths()),
    };
    page(&p, StatusCode::OK, Vec::new())
}
