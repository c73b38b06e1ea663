//! The patient pages: the leaflet's address (`/app`, with the centre's id from its QR
//! code) in any phone's browser. Server-rendered, phone-sized, Japanese by default with
//! the same English switch as the staff pages, working with scripts off.
//!
//! - `/app` start page: new registration, sign in, the family's urgent check, the app;
//! - `/app/register…` first registration, one page per step of the guide;
//! - `/app/report…` the daily report, its confirm step and the advice;
//! - `/app/home` the person's own history with the temperature chart, and sign-out;
//! - `/app/check` the family's urgent-symptom check, without login.
//!
//! Every rule is the API's: registration, login and report sync call the same
//! functions as the JSON handlers (`crate::http::{registration, patient, reports}`),
//! so throttles, refusals and their wording are one implementation with two front
//! ends. Patient sessions use their own cookie (see [`session`]); a patient never
//! reaches a staff page, and every query is for the signed-in person's own case.

pub mod check;
pub mod home;
pub mod i18n;
pub mod register;
pub mod report;
pub mod session;

use crate::db::Centre;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::PageError;
use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use i18n::{Texts, texts};
use protocol::Lang;

/// Routes of the patient pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/app", get(home::start))
        .route("/app/install", get(home::install))
        .route("/app/login", get(session::login_page).post(session::login))
        .route("/app/logout", post(session::logout))
        .route(
            "/app/register",
            get(register::email_page).post(register::email),
        )
        .route(
            "/app/register/code",
            get(register::code_page).post(register::code),
        )
        .route(
            "/app/register/password",
            get(register::password_page).post(register::password),
        )
        .route(
            "/app/register/attributes",
            get(register::attributes_page).post(register::attributes),
        )
        .route("/app/welcome", get(register::welcome))
        .route("/app/report", get(report::form).post(report::send))
        .route("/app/report/confirm", post(report::confirm))
        .route("/app/reports/{id}", get(report::advice))
        .route("/app/home", get(home::home))
        .route("/app/check", get(check::form).post(check::result))
        .route(
            "/static/patient.css",
            get(|| async {
                crate::web::asset(
                    "text/css; charset=utf-8",
                    include_str!("../../static/patient.css"),
                )
            }),
        )
        .route(
            "/static/patient.js",
            get(|| async {
                crate::web::asset(
                    "text/javascript; charset=utf-8",
                    include_str!("../../static/patient.js"),
                )
            }),
        )
}

/// Whether a request path belongs to the patient pages (their errors get the patient
/// error page, with the way back to the start page).
pub fn is_patient_path(path: &str) -> bool {
    path == "/app" || path.starts_with("/app/")
}

/// Why a patient page cannot be shown.
#[derive(Debug)]
pub enum AppError {
    /// Not signed in (or the session ended): the sign-in page.
    Login,
    /// Anything the staff pages also refuse, shown on the patient error page.
    Page(PageError),
}

impl From<PageError> for AppError {
    fn from(e: PageError) -> AppError {
        AppError::Page(e)
    }
}

impl From<crate::error::Error> for AppError {
    fn from(e: crate::error::Error) -> AppError {
        AppError::Page(PageError::from(e))
    }
}

impl From<ApiError> for AppError {
    fn from(e: ApiError) -> AppError {
        if e.status == StatusCode::UNAUTHORIZED {
            AppError::Login
        } else {
            AppError::Page(PageError::from(e))
        }
    }
}

#[derive(Template)]
#[template(path = "patient/error.html")]
struct ErrorPage {
    ja: &'static str,
    en: &'static str,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let e = match self {
            AppError::Login => return Redirect::to("/app/login").into_response(),
            AppError::Page(PageError::Login(_)) => {
                return Redirect::to("/app/login").into_response();
            }
            AppError::Page(e) => e,
        };
        let (status, ja, en) = e.text();
        let body = ErrorPage { ja, en }
            .render()
            .unwrap_or_else(|_| format!("{ja} / {en}"));
        e.with_retry_after((status, Html(body)).into_response())
    }
}

/// What the frame around every patient page needs (no `Debug`: it carries the form
/// token).
#[derive(Clone)]
pub struct Frame {
    /// Wording.
    pub t: &'static Texts,
    /// Language.
    pub lang: Lang,
    /// The language switch links, back to a page that can be opened again.
    pub to_ja: String,
    /// Same, to English.
    pub to_en: String,
    /// The token every form of the page carries.
    pub csrf: String,
    /// Signed in: the frame offers sign-out.
    pub signed_in: bool,
}

impl Frame {
    /// The frame in `lang` whose language links lead back to `back` (path and query).
    pub fn new(lang: Lang, back: &str, csrf: String, signed_in: bool) -> Frame {
        let next: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("next", back)
            .finish();
        Frame {
            t: texts(lang),
            lang,
            to_ja: format!("/lang/ja?{next}"),
            to_en: format!("/lang/en?{next}"),
            csrf,
            signed_in,
        }
    }
}

/// Renders a template with `status` and any cookies to set.
pub fn page(
    t: &impl Template,
    status: StatusCode,
    cookies: Vec<HeaderValue>,
) -> Result<Response, AppError> {
    let html = crate::web::render(t)?;
    let mut res = (status, html).into_response();
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(res)
}

/// A redirect after a form (303), with cookies to set.
pub fn see_other(to: &str, cookies: Vec<HeaderValue>) -> Response {
    let mut res = Redirect::to(to).into_response();
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

/// The health centre a leaflet's link names by its id, looked up on this server. The
/// name and number in the link are never used: a forged QR code must not show a wrong
/// number. A missing, malformed or unknown id is no centre.
pub async fn centre_of(state: &AppState, id: Option<&str>) -> Result<Option<Centre>, AppError> {
    let Some(id) = id
        .and_then(|s| s.trim().parse::<i64>().ok())
        .filter(|id| *id > 0)
    else {
        return Ok(None);
    };
    Ok(state.db.centres().await?.into_iter().find(|c| c.id == id))
}

/// The `tel:` address of a phone number as printed (digits, and `+` first).
pub fn tel_href(number: &str) -> String {
    let digits: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

/// Whom to call, as the pages show it: the sentence from `protocol`, and the number to
/// tap when one is known.
#[derive(Debug, Clone)]
pub struct CallBox {
    /// The sentence (`○○保健所の緊急連絡先（…）にお電話ください。` or where to find
    /// the number and 119).
    pub sentence: String,
    /// The centre's number as printed, and its `tel:` address.
    pub number: Option<(String, String)>,
}

impl CallBox {
    /// For `centre` (or none known) in `lang`.
    pub fn new(lang: Lang, centre: Option<(&str, &str)>) -> CallBox {
        CallBox {
            sentence: protocol::whom_to_call(lang, centre.map(|c| c.0), centre.map(|c| c.1)),
            number: centre.map(|(_, n)| (n.to_owned(), tel_href(n))),
        }
    }
}

/// An urgent-symptom group with its symptoms, ※ where a family member judges.
#[derive(Debug, Clone)]
pub struct GroupView {
    /// Group key (`appearance` …).
    pub key: &'static str,
    /// Heading.
    pub title: &'static str,
    /// Symptoms: key, wording, ※.
    pub symptoms: Vec<(&'static str, &'static str, bool)>,
}

/// The leaflet's groups in `lang` (only `only`, when given), from `protocol`.
pub fn groups(lang: Lang, only: Option<&[protocol::UrgentGroup]>) -> Vec<GroupView> {
    protocol::UrgentGroup::ALL
        .iter()
        .filter(|g| only.is_none_or(|o| o.contains(g)))
        .map(|g| GroupView {
            key: g.as_str(),
            title: g.title(lang),
            symptoms: g
                .symptoms()
                .map(|s| (s.as_str(), s.text(lang), s.info().judged_by_family))
                .collect(),
        })
        .collect()
}

/// The advice level as the pages name it.
pub fn level_label(level: protocol::AdviceLevel, t: &Texts) -> &'static str {
    match level {
        protocol::AdviceLevel::CallNow => t.level_call_now,
        protocol::AdviceLevel::Watch => t.level_watch,
        protocol::AdviceLevel::NoAction => t.level_none,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_tel_links_and_groups_come_from_protocol() {
        assert_eq!(tel_href("03-1234-5678"), "tel:0312345678");
        assert_eq!(tel_href("+81 3 1234 5678"), "tel:+81312345678");
        let all = groups(Lang::Ja, None);
        assert_eq!(all.len(), 3);
        assert_eq!(all.iter().map(|g| g.symptoms.len()).sum::<usize>(), 13);
        assert_eq!(
            all.iter().flat_map(|g| &g.symptoms).filter(|s| s.2).count(),
            4
        );
        assert_eq!(
            groups(Lang::En, Some(&[protocol::UrgentGroup::Breathing])).len(),
            1
        );
        let none = CallBox::new(Lang::Ja, None);
        assert!(none.sentence.contains("119") && none.number.is_none());
        let with = CallBox::new(Lang::Ja, Some(("みなと保健所", "03-1234-5678")));
        assert!(with.sentence.contains("03-1234-5678"));
        assert!(
            is_patient_path("/app") && is_patient_path("/app/check") && !is_patient_path("/apple")
        );
    }
}
