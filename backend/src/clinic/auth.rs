//! Sessions of clinic and aggregate (prefecture, ministry) accounts: their own table,
//! their own cookie (`mimamori_org`) and bearer tokens, so a clinic's token is no
//! centre staff token: the centres' pages and API never accept it, and a centre's
//! token is never accepted here. Login (throttled like staff logins, one answer for
//! any failure), logout, the page extractor [`WebOrg`] (CSRF token derived from the
//! session, origin checked on posts) and the API extractor [`OrgAuth`].

use super::store::{self, OrgPrincipal, OrgRole};
use super::{page, tr};
use crate::auth::{ClientAddr, bearer};
use crate::error::ApiError;
use crate::normalize;
use crate::password;
use crate::secret::{Secret, constant_time_eq, new_token, token_hash};
use crate::state::AppState;
use crate::web::PageError;
use crate::web::session::{cookie, csrf_for, page_lang, same_origin, set_cookie};
use askama::Template;
use axum::extract::{Form, FromRequestParts, Query, State};
use axum::http::{HeaderMap, header, request::Parts};
use axum::response::{IntoResponse, Redirect, Response};
use protocol::Lang;
use serde::Deserialize;

/// Cookie holding a clinic or aggregate session token.
pub const ORG_COOKIE: &str = "mimamori_org";
/// Cookie holding the login form's CSRF token.
const ORG_LOGIN_COOKIE: &str = "mimamori_org_login";

/// A signed-in clinic or aggregate account on the API.
#[derive(Debug, Clone)]
pub struct OrgAuth(pub OrgPrincipal);

impl FromRequestParts<AppState> for OrgAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<OrgAuth, ApiError> {
        let token = bearer(&parts.headers).ok_or_else(ApiError::unauthorized)?;
        let p = store::session(&state.db, &token_hash(token), state.clock.now()).await?.ok_or_else(ApiError::unauthorized)?;
        Ok(OrgAuth(p))
    }
}

/// A signed-in clinic or aggregate account on a page (no `Debug`: the CSRF token).
#[derive(Clone)]
pub struct WebOrg {
    /// Who.
    pub p: OrgPrincipal,
    /// CSRF token of this session's forms.
    pub csrf: String,
    /// Page language.
    pub lang: Lang,
}

impl WebOrg {
    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), PageError> {
        if constant_time_eq(token, &self.csrf) { Ok(()) } else { Err(PageError::Csrf) }
    }

    /// The clinic of a clinic account; the aggregate role has none (403).
    pub fn institution(&self) -> Result<&store::Institution, PageError> {
        self.p.institution.as_ref().ok_or(PageError::Forbidden)
    }
}

/// The login page, then back to `path`.
fn to_login(path: &str) -> Response {
    let q: String = form_urlencoded::Serializer::new(String::new()).append_pair("next", path).finish();
    Redirect::to(&format!("/clinic/login?{q}")).into_response()
}

/// Why a clinic page cannot be shown.
pub enum OrgReject {
    /// Not signed in.
    Login(String),
    /// Any other page error.
    Page(PageError),
}

impl IntoResponse for OrgReject {
    fn into_response(self) -> Response {
        match self {
            OrgReject::Login(path) => to_login(&path),
            OrgReject::Page(e) => e.into_response(),
        }
    }
}

impl From<PageError> for OrgReject {
    fn from(e: PageError) -> OrgReject {
        OrgReject::Page(e)
    }
}

impl FromRequestParts<AppState> for WebOrg {
    type Rejection = OrgReject;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<WebOrg, OrgReject> {
        let back = || OrgReject::Login(parts.uri.path_and_query().map_or("/clinic".into(), |p| p.as_str().to_owned()));
        let Some(token) = cookie(&parts.headers, ORG_COOKIE).filter(|t| !t.is_empty() && t.len() <= 256) else { return Err(back()) };
        let Some(p) = store::session(&state.db, &token_hash(token), state.clock.now()).await.map_err(PageError::from)? else { return Err(back()) };
        if parts.method == axum::http::Method::POST && !same_origin(&parts.headers) {
            return Err(PageError::Csrf.into());
        }
        Ok(WebOrg { p, csrf: csrf_for(token), lang: page_lang(&parts.headers) })
    }
}

/// Checks an e-mail and password of a clinic or aggregate account (throttled per
/// account and client; one answer for any failure; Argon2id even for an unknown
/// address). The account id.
pub async fn verify_login(state: &AppState, ip: std::net::IpAddr, email: &str, pw: Secret<String>) -> Result<i64, ApiError> {
    let email = normalize::email(email).unwrap_or_default();
    state.throttle.login(&format!("org:{email}"), ip).await?;
    let row = store::login_row(&state.db, &email).await?;
    let ok = password::verify_async(pw.expose().clone(), row.as_ref().map(|r| r.1.clone()), state.config.hash_cost).await?;
    match row.filter(|_| ok) {
        Some((id, _)) => {
            state.throttle.remember_login(&format!("org:{email}"), ip).await;
            Ok(id)
        }
        None => {
            tracing::info!("clinic login refused");
            Err(crate::http::staff::login_failed())
        }
    }
}

/// Opens a session for `account_id` (the staff session's lifetime); the token.
pub async fn open_session(state: &AppState, account_id: i64) -> Result<(Secret<String>, chrono::DateTime<chrono::Utc>), ApiError> {
    let token = new_token();
    let now = state.clock.now();
    let expires = now + chrono::Duration::from_std(state.config.staff_session_ttl).unwrap_or(chrono::Duration::hours(12));
    store::create_session(&state.db, &token_hash(token.expose()), account_id, now, expires).await?;
    Ok((token, expires))
}

#[derive(Template)]
#[template(path = "clinic/login.html")]
struct LoginPage {
    lang: Lang,
    csrf: String,
    next: String,
    error: String,
    email: String,
}

/// `?next=`.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn local(next: Option<&str>) -> String {
    match next {
        Some(n) if crate::web::session::is_local_path(n) && (n.starts_with("/clinic") || n.starts_with("/stats")) && !n.starts_with("/clinic/login") => n.to_owned(),
        _ => "/clinic".into(),
    }
}

fn login_form(state: &AppState, lang: Lang, next: String, error: String, email: String) -> Result<Response, PageError> {
    let csrf = new_token();
    let refused = !error.is_empty();
    let mut res = page(&LoginPage { lang, csrf: csrf.expose().clone(), next, error, email })?.into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(ORG_LOGIN_COOKIE, csrf.expose(), 3600, state.config.secure_cookies));
    if refused {
        *res.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
    }
    Ok(res)
}

/// `GET /clinic/login`.
pub async fn login_page(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<NextQuery>) -> Result<Response, PageError> {
    login_form(&state, page_lang(&headers), local(q.next.as_deref()), String::new(), String::new())
}

/// The login form (no `Debug`: a password).
#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    csrf: String,
    #[serde(default)]
    next: Option<String>,
}

/// `POST /clinic/login`: the session cookie, then the clinic's home (or the whole
/// server's statistics for the aggregate role).
pub async fn login(State(state): State<AppState>, ClientAddr(ip): ClientAddr, headers: HeaderMap, Form(f): Form<LoginForm>) -> Result<Response, PageError> {
    let lang = page_lang(&headers);
    crate::web::session::check_cookie_form(&headers, ORG_LOGIN_COOKIE, &f.csrf)?;
    let id = match verify_login(&state, ip, &f.email, Secret::new(f.password)).await {
        Ok(id) => id,
        Err(e) if e.status == axum::http::StatusCode::TOO_MANY_REQUESTS => {
            return login_form(&state, lang, local(f.next.as_deref()), tr(lang, "しばらく待ってからお試しください。", "Please wait a moment and try again.").to_owned(), f.email);
        }
        Err(e) if e.status == axum::http::StatusCode::UNAUTHORIZED => {
            return login_form(&state, lang, local(f.next.as_deref()), e.message.get(lang).to_owned(), f.email);
        }
        Err(e) => return Err(e.into()),
    };
    let (token, _) = open_session(&state, id).await?;
    let p = store::session(&state.db, &token_hash(token.expose()), state.clock.now()).await?.ok_or(PageError::Internal)?;
    tracing::info!(account_id = id, "clinic account logged in to the pages");
    let next = match (p.role, f.next.as_deref()) {
        (OrgRole::Aggregate, _) => "/stats/all".to_owned(),
        (_, n) => local(n),
    };
    let mut res = Redirect::to(&next).into_response();
    let secure = state.config.secure_cookies;
    let ttl = i64::try_from(state.config.staff_session_ttl.as_secs()).unwrap_or(43_200);
    res.headers_mut().append(header::SET_COOKIE, set_cookie(ORG_COOKIE, token.expose(), ttl, secure));
    res.headers_mut().append(header::SET_COOKIE, set_cookie(ORG_LOGIN_COOKIE, "", 0, secure));
    Ok(res)
}

/// A form with only its CSRF field (no `Debug`).
#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

/// `POST /clinic/logout`.
pub async fn logout(State(state): State<AppState>, org: WebOrg, headers: HeaderMap, Form(f): Form<CsrfOnly>) -> Result<Response, PageError> {
    org.check_csrf(&f.csrf)?;
    if let Some(token) = cookie(&headers, ORG_COOKIE) {
        store::delete_session(&state.db, &token_hash(token)).await?;
    }
    let mut res = Redirect::to("/clinic/login").into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(ORG_COOKIE, "", 0, state.config.secure_cookies));
    Ok(res)
}
