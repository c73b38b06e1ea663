//! Patient sessions of the pages, separate from the staff pages': their own cookie
//! (`mimamori_patient`: HttpOnly, SameSite=Strict, `Secure` when configured, path
//! `/app`), holding the same kind of patient session token the app gets from the API.
//! A staff cookie is never read here and a patient token is never accepted as staff.
//!
//! Every POST is checked twice: the browser's origin headers, and a token in the form.
//! Signed in, the token is derived from the session token; before that (registration,
//! sign-in, the family check) it is a random value in a short-lived cookie compared
//! with the form's hidden field.

use super::{AppError, Frame, page, see_other};
use crate::auth::ClientAddr;
use crate::db::Principal;
use crate::http::patient::sign_in;
use crate::secret::{constant_time_eq, new_token, token_hash};
use crate::state::AppState;
use crate::web::PageError;
use crate::web::session::{cookie, page_lang, same_origin};
use askama::Template;
use axum::extract::{Form, FromRequestParts, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, request::Parts};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use cookie::{Cookie, SameSite};
use protocol::Lang;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Cookie holding the patient session token.
pub const PATIENT_COOKIE: &str = "mimamori_patient";
/// Cookie holding the form token of pages without a session.
pub const FORM_COOKIE: &str = "mimamori_form";
/// Cookie holding a registration in progress: its request id, then also its
/// registration token.
pub const REG_COOKIE: &str = "mimamori_reg";
/// How long the form token of pages without a session lives.
const FORM_TTL_SECS: i64 = 12 * 3600;

/// A `Set-Cookie` value for the patient pages (HttpOnly, SameSite=Strict, path `/app`,
/// `Secure` when configured); `max_age_secs` 0 deletes it.
pub fn set(state: &AppState, name: &str, value: &str, max_age_secs: i64) -> HeaderValue {
    let c = Cookie::build((name, value))
        .path("/app")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.config.secure_cookies)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build();
    HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// A cookie value of sane length, or `None`.
pub fn read<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    cookie(headers, name).filter(|v| !v.is_empty() && v.len() <= 300)
}

/// The form token of a signed-in session.
fn csrf_of_session(token: &str) -> String {
    let digest = Sha256::digest(format!("mimamori-patient-csrf\0{token}").as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// The form token of a page without a session: the cookie's, or a new one with the
/// `Set-Cookie` that stores it.
pub fn form_token(state: &AppState, headers: &HeaderMap) -> (String, Vec<HeaderValue>) {
    match read(headers, FORM_COOKIE) {
        Some(t) => (t.to_owned(), Vec::new()),
        None => {
            let t = new_token();
            let c = set(state, FORM_COOKIE, t.expose(), FORM_TTL_SECS);
            (t.expose().clone(), vec![c])
        }
    }
}

/// Refuses a form posted without a session unless it comes from this site and carries
/// the token of its cookie.
pub fn check_form(headers: &HeaderMap, posted: &str) -> Result<(), AppError> {
    crate::web::session::check_cookie_form(headers, FORM_COOKIE, posted).map_err(AppError::Page)
}

/// The frame of a page without a session, and the cookie of its form token if new.
pub fn anonymous_frame(
    state: &AppState,
    headers: &HeaderMap,
    back: &str,
) -> (Frame, Vec<HeaderValue>) {
    let (csrf, cookies) = form_token(state, headers);
    (Frame::new(page_lang(headers), back, csrf, false), cookies)
}

/// A signed-in patient on a page (no `Debug`: it carries the session token).
#[derive(Clone)]
pub struct WebPatient {
    /// Patient account id.
    pub patient_id: i64,
    /// The account's own case: the scope of every query.
    pub case_id: i64,
    /// The session token, for the report writer (which resolves it like the app's).
    pub token: String,
    /// The form token of this session.
    pub csrf: String,
    /// Page language.
    pub lang: Lang,
}

impl WebPatient {
    /// Refuses a form whose token is not this session's.
    pub fn check_csrf(&self, posted: &str) -> Result<(), AppError> {
        if constant_time_eq(posted, &self.csrf) {
            Ok(())
        } else {
            Err(AppError::Page(PageError::Csrf))
        }
    }

    /// The page frame, whose language links lead back to `back`.
    pub fn frame(&self, back: &str) -> Frame {
        Frame::new(self.lang, back, self.csrf.clone(), true)
    }
}

/// The patient session of a request, if its cookie names a live patient session.
pub async fn current(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<WebPatient>, AppError> {
    let Some(token) = read(headers, PATIENT_COOKIE) else {
        return Ok(None);
    };
    match state
        .db
        .session(&token_hash(token), state.clock.now())
        .await?
    {
        Some(Principal::Patient {
            patient_id,
            case_id,
        }) => Ok(Some(WebPatient {
            patient_id,
            case_id,
            token: token.to_owned(),
            csrf: csrf_of_session(token),
            lang: page_lang(headers),
        })),
        // A staff token in the patient cookie is no patient.
        _ => Ok(None),
    }
}

impl FromRequestParts<AppState> for WebPatient {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<WebPatient, AppError> {
        let who = current(state, &parts.headers)
            .await?
            .ok_or(AppError::Login)?;
        // A form posted from another site: refuse before any handler runs.
        if parts.method == Method::POST && !same_origin(&parts.headers) {
            return Err(AppError::Page(PageError::Csrf));
        }
        Ok(who)
    }
}

#[derive(Template)]
#[template(path = "patient/login.html")]
struct LoginPage {
    f: Frame,
    error: String,
    email: String,
}

/// `GET /app/login`: the sign-in form; a signed-in person goes to their page.
pub async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if current(&state, &headers).await?.is_some() {
        return Ok(Redirect::to("/app/home").into_response());
    }
    let (f, cookies) = anonymous_frame(&state, &headers, "/app/login");
    page(
        &LoginPage {
            f,
            error: String::new(),
            email: String::new(),
        },
        StatusCode::OK,
        cookies,
    )
}

/// The sign-in form's fields (no `Debug`: it carries a password).
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `POST /app/login`: the API's patient login (same throttles and answer); on success
/// the session cookie and the person's page.
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(ip): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    check_form(&headers, &form.csrf)?;
    let lang = page_lang(&headers);
    match sign_in(&state, ip, &form.email, form.password).await {
        Ok((token, _)) => {
            let ttl = i64::try_from(state.config.patient_session_ttl.as_secs()).unwrap_or(86_400);
            let cookies = vec![
                set(&state, PATIENT_COOKIE, token.expose(), ttl),
                set(&state, REG_COOKIE, "", 0),
            ];
            Ok(see_other("/app/home", cookies))
        }
        Err(e) if e.status.is_client_error() => {
            let (f, cookies) = anonymous_frame(&state, &headers, "/app/login");
            page(
                &LoginPage {
                    f,
                    error: e.message.get(lang).to_owned(),
                    email: form.email,
                },
                e.status,
                cookies,
            )
        }
        Err(e) => Err(AppError::Page(PageError::from(e))),
    }
}

/// A form with only its token.
#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /app/logout`: ends the session (also on the server) and clears the cookie.
pub async fn logout(
    State(state): State<AppState>,
    who: WebPatient,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    who.check_csrf(&form.csrf)?;
    state.db.delete_session(&token_hash(&who.token)).await?;
    tracing::info!(
        patient_id = who.patient_id,
        "patient signed out of the pages"
    );
    Ok(see_other("/app", vec![set(&state, PATIENT_COOKIE, "", 0)]))
}
