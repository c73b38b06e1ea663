//! Staff sessions of the pages: login and logout forms, the session cookie (HttpOnly,
//! SameSite=Strict, `Secure` when configured), CSRF tokens on every form, and the
//! [`WebStaff`] extractor that every page handler takes.
//!
//! The cookie holds the same kind of session token as the staff API (only its SHA-256
//! is stored). A form's CSRF token is derived from that token, so it needs no storage
//! and dies with the session; the login form, which has no session yet, uses a
//! separate short-lived cookie compared with its hidden field.

use super::i18n::{Texts, texts};
use super::{PageError, render};
use crate::auth::{ClientAddr, issue_session};
use crate::db::{CentreScope, Principal, Role, SessionOwner, StaffHeader};
use crate::error::ApiError;
use crate::http::staff::verify_staff_login;
use crate::secret::{Secret, constant_time_eq, new_token, token_hash};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, FromRequestParts, Query, State};
use axum::http::{HeaderMap, HeaderValue, header, request::Parts};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use cookie::{Cookie, SameSite};
use protocol::Lang;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Cookie holding the staff session token.
pub const SESSION_COOKIE: &str = "mimamori_staff";
/// Cookie holding the login form's CSRF token.
const LOGIN_COOKIE: &str = "mimamori_login";
/// Cookie holding the chosen language.
pub const LANG_COOKIE: &str = "mimamori_lang";

/// The value of cookie `name` in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim_matches('"'))
}

/// The page language: the language cookie, Japanese by default.
pub fn page_lang(headers: &HeaderMap) -> Lang {
    match cookie(headers, LANG_COOKIE) {
        Some("en") => Lang::En,
        _ => Lang::Ja,
    }
}

/// A `Set-Cookie` value with the house flags.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let c = Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build();
    HeaderValue::from_str(&c.to_string()).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The CSRF token of the forms of a session.
pub fn csrf_for(session_token: &str) -> String {
    let digest = Sha256::digest(format!("mimamori-csrf\0{session_token}").as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// A signed-in staff member on a page (no `Debug`: it carries the CSRF token).
#[derive(Clone)]
pub struct WebStaff {
    /// Staff id.
    pub staff_id: i64,
    /// Their centre: the scope of every query.
    pub scope: CentreScope,
    /// Role.
    pub role: Role,
    /// Name and centre for the header.
    pub header: StaffHeader,
    /// CSRF token for this session's forms.
    pub csrf: String,
    /// Page language.
    pub lang: Lang,
    /// Set while an urgent report of the centre has waited unhandled longer than the
    /// configured time: the alert every page shows.
    pub alert: Option<String>,
}

impl WebStaff {
    /// The wording of this member's language.
    pub fn t(&self) -> &'static Texts {
        texts(self.lang)
    }

    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), PageError> {
        if constant_time_eq(token, &self.csrf) { Ok(()) } else { Err(PageError::Csrf) }
    }

    /// Whether the member is an admin.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// Where to go back to after logging in or switching the language: a local path only.
/// Every character must be visible ASCII: browsers drop tabs and line breaks from an
/// address, so `/<TAB>/evil.example/` would become `//evil.example/`, and a control
/// character cannot be put in a `Location` header at all.
fn local_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_local_path(n) && !n.starts_with("/login") => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// A path on this site and nothing else: `/…`, not `//…`, visible ASCII only, no
/// backslash. Every "way back" after a login or a language switch must be one.
pub fn is_local_path(n: &str) -> bool {
    n.starts_with('/') && !n.starts_with("//") && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
}

impl FromRequestParts<AppState> for WebStaff {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<WebStaff, PageError> {
        let back = || PageError::Login(parts.uri.path_and_query().map_or("/".into(), |p| p.as_str().to_owned()));
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE).filter(|t| !t.is_empty() && t.len() <= 256) else {
            return Err(back());
        };
        let Some(Principal::Staff { staff_id, scope, role }) = state.db.session(&token_hash(token), state.clock.now()).await? else {
            return Err(back());
        };
        let header = state.db.staff_header(scope, staff_id).await?.ok_or_else(back)?;
        // A form posted from another site: refuse before any handler runs.
        if parts.method == axum::http::Method::POST && !same_origin(&parts.headers) {
            return Err(PageError::Csrf);
        }
        let lang = page_lang(&parts.headers);
        let now = state.clock.now();
        let alert = header.urgent_oldest.filter(|t| now - *t >= chrono::Duration::from_std(state.config.urgent_alert_after).unwrap_or_default()).map(|oldest| {
            super::i18n::urgent_alert(lang, header.urgent, &super::time_of_day(oldest, super::today(now)), (now - oldest).num_minutes())
        });
        Ok(WebStaff { staff_id, scope, role, header, csrf: csrf_for(token), lang, alert })
    }
}

/// False when the browser says the request comes from another site: an `Origin`
/// whose host is not the one addressed (`null` included), or `Sec-Fetch-Site:
/// cross-site`. Requests without either header (older clients, tests) rely on the
/// CSRF token alone.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()).unwrap_or("");
    if fetch_site == "cross-site" || fetch_site == "same-site" {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    origin.split_once("://").is_some_and(|(_, rest)| rest == host)
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: &'static Texts,
    lang: Lang,
    csrf: String,
    next: String,
    error: Option<&'static str>,
    email: String,
}

/// `?next=` of the login page.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// The login form.
pub async fn login_page(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<NextQuery>) -> Result<Response, PageError> {
    let lang = page_lang(&headers);
    login_form(&state, lang, local_next(q.next.as_deref()), None, String::new())
}

fn login_form(state: &AppState, lang: Lang, next: String, error: Option<&'static str>, email: String) -> Result<Response, PageError> {
    let csrf = new_token();
    let page = LoginPage { t: texts(lang), lang, csrf: csrf.expose().clone(), next, error, email };
    let mut res = render(&page)?.into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(LOGIN_COOKIE, csrf.expose(), 3600, state.config.secure_cookies));
    if error.is_some() {
        *res.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
    }
    Ok(res)
}

/// The login form's fields.
// No Debug: it carries a password.
#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    csrf: String,
    #[serde(default)]
    next: Option<String>,
}

/// The check of a form posted before any session exists (a login, a patient page):
/// its token must equal the one the cookie `cookie_name` carries, and it must come from
/// this site.
pub fn check_cookie_form(headers: &HeaderMap, cookie_name: &str, posted: &str) -> Result<(), PageError> {
    let expected = cookie(headers, cookie_name).filter(|v| v.len() <= 300).unwrap_or("");
    if expected.is_empty() || !constant_time_eq(posted, expected) || !same_origin(headers) {
        return Err(PageError::Csrf);
    }
    Ok(())
}

/// Checks the login form; on success sets the session cookie and goes to `next`.
pub async fn login(State(state): State<AppState>, ClientAddr(ip): ClientAddr, headers: HeaderMap, Form(f): Form<LoginForm>) -> Result<Response, PageError> {
    let lang = page_lang(&headers);
    let next = local_next(f.next.as_deref());
    check_cookie_form(&headers, LOGIN_COOKIE, &f.csrf)?;
    let staff_id = match verify_staff_login(&state, ip, &f.email, Secret::new(f.password)).await {
        Ok(id) => id,
        Err(e) if e.status == axum::http::StatusCode::TOO_MANY_REQUESTS => {
            return login_form(&state, lang, next, Some(texts(lang).login_throttled), f.email);
        }
        Err(e) if e.status == axum::http::StatusCode::UNAUTHORIZED => {
            return login_form(&state, lang, next, Some(texts(lang).login_failed), f.email);
        }
        Err(e) => return Err(e.into()),
    };
    let ttl = state.config.staff_session_ttl;
    let (token, _) = issue_session(&state, SessionOwner::Staff(staff_id), ttl).await.map_err(PageError::from)?;
    tracing::info!(staff_id, "staff logged in to the pages");
    let mut res = Redirect::to(&next).into_response();
    let secure = state.config.secure_cookies;
    let h = res.headers_mut();
    h.append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, token.expose(), i64::try_from(ttl.as_secs()).unwrap_or(43_200), secure));
    h.append(header::SET_COOKIE, set_cookie(LOGIN_COOKIE, "", 0, secure));
    Ok(res)
}

/// A form with only the CSRF field (logout, ending observation); no `Debug`.
#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

impl CsrfForm {
    /// The posted token.
    pub fn token(&self) -> &str {
        &self.csrf
    }
}

/// Ends the session and clears the cookie.
pub async fn logout(State(state): State<AppState>, staff: WebStaff, headers: HeaderMap, Form(f): Form<CsrfForm>) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state.db.delete_session(&token_hash(token)).await?;
    }
    tracing::info!(staff_id = staff.staff_id, "staff logged out of the pages");
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0, state.config.secure_cookies));
    Ok(res)
}

/// `?next=` of the language switch.
#[derive(Debug, Deserialize)]
pub struct LangQuery {
    next: Option<String>,
}

/// Switches the page language (`/lang/ja`, `/lang/en`) and goes back.
pub async fn switch_lang(State(state): State<AppState>, axum::extract::Path(tag): axum::extract::Path<String>, Query(q): Query<LangQuery>) -> Response {
    let lang = if tag == "en" { "en" } else { "ja" };
    let mut res = Redirect::to(&local_next(q.next.as_deref())).into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(LANG_COOKIE, lang, 365 * 24 * 3600, state.config.secure_cookies));
    res
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        match e.status.as_u16() {
            401 => PageError::Login("/".into()),
            403 => PageError::Forbidden,
            404 => PageError::NotFound,
            429 => PageError::Throttled,
            503 => PageError::Unavailable,
            _ => PageError::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(local_next(Some("/cases?q=1")), "/cases?q=1");
        assert_eq!(local_next(Some("//evil.example/")), "/");
        assert_eq!(local_next(Some("https://evil.example/")), "/");
        assert_eq!(local_next(Some("/\\evil")), "/");
        for sneaky in ["/\t/evil.example/", "/\n/evil.example/", "/\r", "/\u{7f}", "/ /evil", "/\u{3000}/evil", "/a\\b"] {
            assert_eq!(local_next(Some(sneaky)), "/", "{sneaky:?}");
        }
        assert_eq!(local_next(Some("/app?centre=1")), "/app?centre=1");
        assert_eq!(local_next(Some("/login")), "/");
        assert_eq!(local_next(None), "/");
    }

    #[test]
    fn cookies_are_read_by_name() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; mimamori_staff=tok; mimamori_lang=en"));
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("tok"));
        assert_eq!(page_lang(&h), Lang::En);
        assert_eq!(cookie(&h, "missing"), None);
        assert_eq!(page_lang(&HeaderMap::new()), Lang::Ja);
    }

    #[test]
    fn csrf_tokens_differ_per_session_and_origin_is_checked() {
        assert_ne!(csrf_for("a"), csrf_for("b"));
        assert_eq!(csrf_for("a"), csrf_for("a"));
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h));
        h.remove(header::ORIGIN);
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_origin(&h));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(same_origin(&h));
    }
}
