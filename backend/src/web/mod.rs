//! The health-centre pages: server-rendered HTML (askama templates under
//! `backend/templates`), Japanese by default with an English switch, behind the staff
//! session cookie. Security headers (CSP without inline script or style, no framing,
//! no referrer, no caching of personal data) are set on every page.
//!
//! Each page module has its handlers; this one assembles the routes, the error page,
//! the page frame ([`Chrome`]) and the time helpers (the board's "today" is the day in
//! Japan). The patient pages (`crate::patient_pages`) share the headers, the error
//! handling, the language switch and the time helpers.

pub mod app_links;
pub mod audit;
pub mod board;
pub mod cases;
pub mod chart;
pub mod export;
pub mod i18n;
pub mod person;
pub mod session;

use crate::state::AppState;
use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};
use i18n::{Texts, texts};
use protocol::Lang;
use session::WebStaff;

/// Routes of the pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(board::board))
        .route("/login", get(session::login_page).post(session::login))
        .route("/logout", post(session::logout))
        .route("/lang/{tag}", get(session::switch_lang))
        .route("/cases", get(cases::list).post(cases::create))
        .route("/cases/new", get(cases::new_form))
        .route("/cases/{id}", get(person::page))
        .route("/cases/{id}/leaflet", get(cases::leaflet))
        .route("/cases/{id}/contacts", post(person::add_contact))
        .route("/cases/{id}/handled", post(person::mark_handled))
        .route("/cases/{id}/transfer", post(person::transfer))
        .route("/cases/{id}/close", post(person::close))
        .route("/export/cases.csv", get(export::cases))
        .route("/export/reports.csv", get(export::reports))
        .route("/admin/audit", get(audit::page))
        .route("/.well-known/assetlinks.json", get(app_links::assetlinks))
        .route("/.well-known/apple-app-site-association", get(app_links::apple_site_association))
        .route("/static/app.css", get(|| async { asset("text/css; charset=utf-8", include_str!("../../static/app.css")) }))
        .route("/static/app.js", get(|| async { asset("text/javascript; charset=utf-8", include_str!("../../static/app.js")) }))
}

/// A static file of the pages.
pub fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

/// Headers every response carries: pages hold personal data, so nothing is cached
/// (static files set their own `Cache-Control`), nothing runs inline, nothing frames
/// the pages and no address leaks through `Referer` to another site.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: header::HeaderName, value: &'static str| {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    // `same-origin`, not `no-referrer`: with no referrer at all, browsers send
    // `Origin: null` on the pages' own form posts, and the origin check needs the real one.
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, header::CACHE_CONTROL, "no-store");
    set(h, header::HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()");
    set(h, header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    res
}

/// Why a page cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageError {
    /// Not signed in: go to the login page, then back to this path.
    Login(String),
    /// No such page or case (another centre's case is "not found").
    NotFound,
    /// The role does not allow it.
    Forbidden,
    /// A form without this session's CSRF token, or posted from another site.
    Csrf,
    /// Throttled.
    Throttled,
    /// A request the page cannot take (a malformed path or form, a wrong method); the
    /// status says which.
    BadRequest(StatusCode),
    /// The database cannot be reached or written: 503 with `Retry-After`.
    Unavailable,
    /// Anything else; details are in the log, never on the page.
    Internal,
}

impl From<crate::error::Error> for PageError {
    fn from(e: crate::error::Error) -> PageError {
        tracing::error!(error = %e, "page failed");
        match e {
            crate::error::Error::Db(_) => PageError::Unavailable,
            _ => PageError::Internal,
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ja: &'static str,
    en: &'static str,
}

impl PageError {
    /// The status and the error page's wording (both languages: the page is shown
    /// before the language is known).
    pub fn text(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            PageError::Login(_) => (StatusCode::UNAUTHORIZED, i18n::JA.error_forbidden, i18n::EN.error_forbidden),
            PageError::NotFound => (StatusCode::NOT_FOUND, i18n::JA.error_not_found, i18n::EN.error_not_found),
            PageError::Forbidden => (StatusCode::FORBIDDEN, i18n::JA.error_forbidden, i18n::EN.error_forbidden),
            PageError::Csrf => (StatusCode::FORBIDDEN, i18n::JA.error_csrf, i18n::EN.error_csrf),
            PageError::Throttled => (StatusCode::TOO_MANY_REQUESTS, i18n::JA.error_throttled, i18n::EN.error_throttled),
            PageError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, i18n::JA.error_unavailable, i18n::EN.error_unavailable),
            PageError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, i18n::JA.error_internal, i18n::EN.error_internal),
            PageError::BadRequest(status) => (*status, i18n::JA.error_bad_request, i18n::EN.error_bad_request),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let PageError::Login(next) = &self {
            let q: String = form_urlencoded::Serializer::new(String::new()).append_pair("next", next).finish();
            return Redirect::to(&format!("/login?{q}")).into_response();
        }
        let (status, ja, en) = self.text();
        let body = ErrorPage { ja, en }.render().unwrap_or_else(|_| format!("{ja} / {en}"));
        self.with_retry_after((status, Html(body)).into_response())
    }
}

impl PageError {
    /// Adds `Retry-After` to the error page of a page that may work again soon.
    pub fn with_retry_after(&self, mut res: Response) -> Response {
        if let PageError::Unavailable = self {
            res.headers_mut().insert(header::RETRY_AFTER, crate::error::DB_RETRY_AFTER_SECONDS.into());
        }
        res
    }
}

/// Turns what the pages' routes answer without a page (axum's plain-text refusals of a
/// malformed path or form, a wrong method, a body over the limit) into the error page.
pub async fn page_errors(req: Request, next: Next) -> Response {
    let patient = crate::patient_pages::is_patient_path(req.uri().path());
    let res = next.run(req).await;
    let status = res.status();
    let is_page = res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if is_page || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let e = match status {
        StatusCode::NOT_FOUND => PageError::NotFound,
        StatusCode::TOO_MANY_REQUESTS => PageError::Throttled,
        StatusCode::SERVICE_UNAVAILABLE => PageError::Unavailable,
        s if s.is_server_error() => PageError::Internal,
        s => PageError::BadRequest(s),
    };
    if patient { crate::patient_pages::AppError::Page(e).into_response() } else { e.into_response() }
}

/// Renders a template as an HTML response.
pub fn render(t: &impl Template) -> Result<Html<String>, PageError> {
    t.render().map(Html).map_err(|e| {
        tracing::error!(error = %e, "template failed");
        PageError::Internal
    })
}

/// What the frame around every signed-in page needs (no `Debug`: it carries the CSRF
/// token).
#[derive(Clone)]
pub struct Chrome {
    /// Wording.
    pub t: &'static Texts,
    /// Language.
    pub lang: Lang,
    /// Signed-in staff name.
    pub staff_name: String,
    /// Their centre's name.
    pub centre_name: String,
    /// Shows the admin links.
    pub is_admin: bool,
    /// CSRF token for the forms.
    pub csrf: String,
    /// The language switch links, back to this page.
    pub to_ja: String,
    /// Same, to English.
    pub to_en: String,
    /// Which menu entry is current.
    pub nav: &'static str,
    /// The alert of urgent reports waiting too long.
    pub alert: Option<String>,
}

impl Chrome {
    /// The frame for `staff` on the page at `path` (path and query).
    pub fn new(staff: &WebStaff, path: &str, nav: &'static str) -> Chrome {
        let next: String = form_urlencoded::Serializer::new(String::new()).append_pair("next", path).finish();
        Chrome {
            t: texts(staff.lang),
            lang: staff.lang,
            staff_name: staff.header.staff_name.clone(),
            centre_name: staff.header.centre.name.clone(),
            is_admin: staff.is_admin(),
            csrf: staff.csrf.clone(),
            to_ja: format!("/lang/ja?{next}"),
            to_en: format!("/lang/en?{next}"),
            nav,
            alert: staff.alert.clone(),
        }
    }
}

/// Japan's time zone (no daylight saving); the board's day and the times shown.
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).unwrap_or(Utc.fix())
}

/// Today in Japan.
pub fn today(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&jst()).date_naive()
}

/// `2026-11-25 09:05` in Japan time.
pub fn datetime(t: DateTime<Utc>) -> String {
    t.with_timezone(&jst()).format("%Y-%m-%d %H:%M").to_string()
}

/// `09:05` in Japan time, or the date and time when not `today`.
pub fn time_of_day(t: DateTime<Utc>, today: NaiveDate) -> String {
    let local = t.with_timezone(&jst());
    if local.date_naive() == today { local.format("%H:%M").to_string() } else { local.format("%m-%d %H:%M").to_string() }
}

/// A phone number as people read it: mobile and IP numbers `090-1234-5678`, Tokyo and
/// Osaka `03-1234-5678`, anything else as stored (digits only).
pub fn phone_display(digits: &str) -> String {
    let b = digits.as_bytes();
    let all_digits = b.iter().all(u8::is_ascii_digit);
    match b.len() {
        11 if all_digits && b[0] == b'0' && matches!(b[1], b'5' | b'7' | b'8' | b'9') && b[2] == b'0' => {
            format!("{}-{}-{}", &digits[..3], &digits[3..7], &digits[7..])
        }
        10 if all_digits && b[0] == b'0' && matches!(b[1], b'3' | b'6') => format!("{}-{}-{}", &digits[..2], &digits[2..6], &digits[6..]),
        _ => digits.to_owned(),
    }
}

/// `36.5` from tenths of a degree.
pub fn celsius(tenths: u16) -> String {
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_day_in_japan() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc)).unwrap_or_default();
        assert_eq!(today(t("2026-11-24T14:59:59Z")).to_string(), "2026-11-24");
        assert_eq!(today(t("2026-11-24T15:00:00Z")).to_string(), "2026-11-25");
        assert_eq!(datetime(t("2026-11-24T15:05:00Z")), "2026-11-25 00:05");
        assert_eq!(celsius(375), "37.5");
        assert_eq!(phone_display("09012345678"), "090-1234-5678");
        assert_eq!(phone_display("0312345678"), "03-1234-5678");
        assert_eq!(phone_display("0123456789"), "0123456789");
        assert_eq!(phone_display("0901234567"), "0901234567");
    }
}
