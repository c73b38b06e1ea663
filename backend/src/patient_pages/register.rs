//! First registration as the guide describes it, one page per step: e-mail → code →
//! password → attributes and smartphone input ID, then the choice of kind that leads
//! to the first report. Each step calls the API's own step function
//! (`crate::http::registration`), so the rules, throttles and messages are the API's;
//! a refusal shows its message on the same page with the API's status.
//!
//! The registration in progress lives in its own cookie: the request id after step 2,
//! the request id and the registration token after step 4 (its lifetime is the
//! token's). Completing it replaces that cookie with the patient session cookie.

use super::session::{
    PATIENT_COOKIE, REG_COOKIE, WebPatient, anonymous_frame, check_form, read, set,
};
use super::{AppError, Frame, page, see_other};
use crate::auth::ClientAddr;
use crate::http::registration::{check_code, choose_password, complete, start};
use crate::state::AppState;
use crate::web::PageError;
use crate::web::session::page_lang;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use protocol::password::{PASSWORD_RULE, RulePart};
use protocol::wire::AttributesRequest;
use protocol::{Kind, Lang};
use serde::Deserialize;
use uuid::Uuid;

/// The registration in progress, from its cookie.
struct InProgress {
    id: Uuid,
    token: Option<String>,
}

fn in_progress(headers: &HeaderMap) -> Option<InProgress> {
    let value = read(headers, REG_COOKIE)?;
    let (id, token) = match value.split_once('.') {
        Some((id, token)) => (id, Some(token.to_owned())),
        None => (value, None),
    };
    Some(InProgress {
        id: Uuid::parse_str(id).ok()?,
        token,
    })
}

/// One step's page: which step of the guide, its form, the error of the last try.
#[derive(Template)]
#[template(path = "patient/register.html")]
struct StepPage {
    f: Frame,
    /// `email`, `code`, `password` or `attributes`.
    step: &'static str,
    /// The guide's step number.
    number: u8,
    error: String,
    /// Values typed before (never the code or the password).
    email: String,
    a: AttributesForm,
    /// The password rule: the sentence and its parts (key, label).
    rule: &'static str,
    parts: Vec<(&'static str, &'static str)>,
}

fn rule_key(p: RulePart) -> &'static str {
    match p {
        RulePart::Length => "length",
        RulePart::Lower => "lower",
        RulePart::Upper => "upper",
        RulePart::Digit => "digit",
        RulePart::Symbol => "symbol",
    }
}

fn step_page(lang: Lang, f: Frame, step: &'static str, error: String) -> StepPage {
    let number = match step {
        "email" => 2,
        "code" => 4,
        "password" => 5,
        _ => 6,
    };
    StepPage {
        f,
        step,
        number,
        error,
        email: String::new(),
        a: AttributesForm::default(),
        rule: PASSWORD_RULE.get(lang),
        parts: RulePart::ALL
            .iter()
            .map(|p| (rule_key(*p), p.text().get(lang)))
            .collect(),
    }
}

/// Shows step `step` (with `error`, answering `status`).
fn show(
    state: &AppState,
    headers: &HeaderMap,
    step: &'static str,
    error: String,
    status: StatusCode,
    fill: impl FnOnce(&mut StepPage),
) -> Result<Response, AppError> {
    let path = match step {
        "email" => "/app/register",
        "code" => "/app/register/code",
        "password" => "/app/register/password",
        _ => "/app/register/attributes",
    };
    let lang = page_lang(headers);
    let (f, cookies) = anonymous_frame(state, headers, path);
    let mut p = step_page(lang, f, step, error);
    fill(&mut p);
    page(&p, status, cookies)
}

/// A refusal of the API's step function as this page's answer: its message on the page
/// for a client error, the error page for the server's.
fn refused(
    state: &AppState,
    headers: &HeaderMap,
    step: &'static str,
    e: &crate::error::ApiError,
    fill: impl FnOnce(&mut StepPage),
) -> Result<Response, AppError> {
    if !e.status.is_client_error() {
        return Err(AppError::Page(PageError::from(e.clone())));
    }
    let lang = page_lang(headers);
    show(
        state,
        headers,
        step,
        e.message.get(lang).to_owned(),
        e.status,
        fill,
    )
}

/// The page for a step that needs a registration this browser does not hold.
fn expired(state: &AppState, headers: &HeaderMap) -> Result<Response, AppError> {
    let msg = super::i18n::texts(page_lang(headers))
        .registration_expired
        .to_owned();
    show(state, headers, "email", msg, StatusCode::OK, |_| {})
}

/// `GET /app/register`: step 2, the e-mail address.
pub async fn email_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    show(
        &state,
        &headers,
        "email",
        String::new(),
        StatusCode::OK,
        |_| {},
    )
}

/// Step 2's form.
#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
}

/// `POST /app/register`: requests the code (the API's step 2) and goes to step 4.
pub async fn email(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<EmailForm>,
) -> Result<Response, AppError> {
    check_form(&headers, &form.csrf)?;
    match start(&state, ip, page_lang(&headers), &form.email).await {
        Ok(r) => {
            let ttl = i64::try_from(state.config.registration_ttl.as_secs()).unwrap_or(1800);
            Ok(see_other(
                "/app/register/code",
                vec![set(&state, REG_COOKIE, &r.request_id.to_string(), ttl)],
            ))
        }
        Err(e) => refused(&state, &headers, "email", &e, |p| {
            p.email = form.email.clone()
        }),
    }
}

/// `GET /app/register/code`: step 4, the mailed code.
pub async fn code_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if in_progress(&headers).is_none() {
        return Ok(Redirect::to("/app/register").into_response());
    }
    show(
        &state,
        &headers,
        "code",
        String::new(),
        StatusCode::OK,
        |_| {},
    )
}

/// Step 4's form (no `Debug`: it carries the code).
#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

/// `POST /app/register/code`: checks the code (the API's step 4) and goes to step 5.
pub async fn code(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    check_form(&headers, &form.csrf)?;
    let Some(reg) = in_progress(&headers) else {
        return expired(&state, &headers);
    };
    match check_code(&state, ip, reg.id, &form.code).await {
        Ok(v) => {
            let ttl = i64::try_from(state.config.registration_ttl.as_secs()).unwrap_or(1800);
            let value = format!("{}.{}", reg.id, v.registration_token);
            Ok(see_other(
                "/app/register/password",
                vec![set(&state, REG_COOKIE, &value, ttl)],
            ))
        }
        Err(e) => refused(&state, &headers, "code", &e, |_| {}),
    }
}

/// `GET /app/register/password`: step 5, with the rule's parts listed.
pub async fn password_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if in_progress(&headers).is_none_or(|r| r.token.is_none()) {
        return Ok(Redirect::to("/app/register").into_response());
    }
    show(
        &state,
        &headers,
        "password",
        String::new(),
        StatusCode::OK,
        |_| {},
    )
}

/// Step 5's form (no `Debug`: it carries the password).
#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
}

/// `POST /app/register/password`: the API's step 5 (the guide's rule, the same
/// server check) and on to step 6.
pub async fn password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    check_form(&headers, &form.csrf)?;
    let Some(reg) = in_progress(&headers) else {
        return expired(&state, &headers);
    };
    match choose_password(&state, reg.id, reg.token.as_deref(), form.password).await {
        Ok(()) => Ok(see_other("/app/register/attributes", Vec::new())),
        Err(e) => refused(&state, &headers, "password", &e, |_| {}),
    }
}

/// Step 6's form, kept to show it again (no `Debug`: it carries a person's details).
#[derive(Clone, Default, Deserialize)]
pub struct AttributesForm {
    #[serde(default)]
    pub(crate) csrf: String,
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) date_of_birth: String,
    #[serde(default)]
    pub(crate) phone: String,
    #[serde(default)]
    pub(crate) input_id: String,
}

impl AttributesForm {
    /// The attributes as the API's matching step takes them.
    pub(crate) fn request(&self) -> AttributesRequest {
        AttributesRequest { name: self.name.clone(), date_of_birth: self.date_of_birth.clone(), phone: self.phone.clone(), input_id: self.input_id.clone() }
    }
}

/// `GET /app/register/attributes`: step 6.
pub async fn attributes_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if in_progress(&headers).is_none_or(|r| r.token.is_none()) {
        return Ok(Redirect::to("/app/register").into_response());
    }
    show(
        &state,
        &headers,
        "attributes",
        String::new(),
        StatusCode::OK,
        |_| {},
    )
}

/// `POST /app/register/attributes`: the API's step 6 (the attribute match with its one
/// message for any mismatch); on success the session cookie and step 7.
pub async fn attributes(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<AttributesForm>,
) -> Result<Response, AppError> {
    check_form(&headers, &form.csrf)?;
    let Some(reg) = in_progress(&headers) else {
        return expired(&state, &headers);
    };
    let req = form.request();
    match complete(&state, ip, reg.id, reg.token.as_deref(), &req).await {
        Ok(done) => {
            let ttl = i64::try_from(state.config.patient_session_ttl.as_secs()).unwrap_or(86_400);
            let cookies = vec![
                set(&state, PATIENT_COOKIE, &done.token, ttl),
                set(&state, REG_COOKIE, "", 0),
            ];
            Ok(see_other("/app/welcome", cookies))
        }
        Err(e) => refused(&state, &headers, "attributes", &e, |p| {
            p.a = AttributesForm {
                csrf: String::new(),
                ..form.clone()
            }
        }),
    }
}

#[derive(Template)]
#[template(path = "patient/welcome.html")]
struct WelcomePage {
    f: Frame,
    /// Kinds: value, label, chosen.
    kinds: Vec<(&'static str, &'static str, bool)>,
}

/// `GET /app/welcome`: step 7, the choice of kind (the centre's registration chosen)
/// that opens the report form.
pub async fn welcome(State(state): State<AppState>, who: WebPatient) -> Result<Response, AppError> {
    let profile = state
        .db
        .profile(who.case_id)
        .await?
        .ok_or(AppError::Login)?;
    let kinds = Kind::ALL
        .iter()
        .map(|k| (k.as_str(), k.label(who.lang), *k == profile.kind))
        .collect();
    page(
        &WelcomePage {
            f: who.frame("/app/welcome"),
            kinds,
        },
        StatusCode::OK,
        Vec::new(),
    )
}
