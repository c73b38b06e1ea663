//! The leaflet's address and the person's own page: the start page (`/app`, with the
//! centre looked up by the id in the leaflet's link), the page about the app, and the
//! signed-in person's history — today's state, the last reports with their advice and
//! the temperature chart — with sign-out in the frame.

use super::session::{WebPatient, anonymous_frame, current};
use super::{AppError, Frame, level_label, page, tel_href};
use crate::db::Centre;
use crate::state::AppState;
use crate::web::chart::{daily_points, temperature_svg};
use crate::web::{celsius, datetime, today};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;

/// Reports listed on the person's page.
const HISTORY_ROWS: usize = 14;

/// The leaflet's link: `?centre=…&name=…&tel=…`. Only the id is read; the name and
/// number are looked up on the server.
#[derive(Debug, Default, Deserialize)]
pub struct LeafletQuery {
    #[serde(default)]
    centre: Option<String>,
}

#[derive(Template)]
#[template(path = "patient/start.html")]
struct StartPage {
    f: Frame,
    centre: Option<Centre>,
    tel: String,
    check_link: String,
    signed_in: bool,
    notice_title: &'static str,
    notice: Vec<&'static str>,
}

/// `GET /app`: the start page the leaflet's URL and QR code open.
pub async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<LeafletQuery>,
) -> Result<Response, AppError> {
    let centre = super::centre_of(&state, q.centre.as_deref()).await?;
    let back = centre
        .as_ref()
        .map_or_else(|| "/app".to_owned(), |c| format!("/app?centre={}", c.id));
    let (f, cookies) = anonymous_frame(&state, &headers, &back);
    let signed_in = current(&state, &headers).await?.is_some();
    let f_lang = f.lang;
    let p = StartPage {
        f,
        tel: centre
            .as_ref()
            .map_or_else(String::new, |c| tel_href(&c.emergency_number)),
        check_link: centre.as_ref().map_or_else(
            || "/app/check".to_owned(),
            |c| format!("/app/check?centre={}", c.id),
        ),
        centre,
        signed_in,
        notice_title: protocol::NOTICE_TITLE.get(f_lang),
        notice: protocol::NOTICE.iter().map(|n| n.get(f_lang)).collect(),
    };
    page(&p, StatusCode::OK, cookies)
}

#[derive(Template)]
#[template(path = "patient/install.html")]
struct InstallPage {
    f: Frame,
}

/// `GET /app/install`: the app, for those who want it.
pub async fn install(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (f, cookies) = anonymous_frame(&state, &headers, "/app/install");
    page(&InstallPage { f }, StatusCode::OK, cookies)
}

/// One report of the history.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    /// Report id (its advice page).
    pub id: String,
    /// Day it is for.
    pub date: String,
    /// Sent at (received by the server), in Japan.
    pub received: String,
    /// `36.5`.
    pub temperature: String,
    /// 37.5 °C or more.
    pub fever: bool,
    /// `call_now`, `watch` or `none`.
    pub level: &'static str,
    /// The level in words.
    pub level_label: &'static str,
}

#[derive(Template)]
#[template(path = "patient/home.html")]
struct HomePage {
    f: Frame,
    centre_name: String,
    emergency: String,
    tel: String,
    period: String,
    reported_today: bool,
    history: Vec<HistoryLine>,
    chart: Option<String>,
}

/// `GET /app/home`: the person's own page.
pub async fn home(State(state): State<AppState>, who: WebPatient) -> Result<Response, AppError> {
    let profile = state
        .db
        .profile(who.case_id)
        .await?
        .ok_or(AppError::Login)?;
    let mut reports = state.db.own_reports(who.case_id).await?;
    reports.sort_by_key(|r| (r.received_at, r.id));
    let t = super::i18n::texts(who.lang);
    let day = today(state.clock.now());
    let p = HomePage {
        f: who.frame("/app/home"),
        tel: tel_href(&profile.emergency_number),
        emergency: profile.emergency_number.clone(),
        centre_name: profile.centre_name.clone(),
        period: format!("{} – {}", profile.period_start, profile.period_end),
        reported_today: reports.iter().any(|r| today(r.received_at) == day),
        history: reports
            .iter()
            .rev()
            .take(HISTORY_ROWS)
            .map(|r| HistoryLine {
                id: r.id.to_string(),
                date: r.local_date.to_string(),
                received: datetime(r.received_at),
                temperature: celsius(r.temperature.tenths()),
                fever: r.temperature.is_fever(),
                level: r.advice.as_str(),
                level_label: level_label(r.advice, t),
            })
            .collect(),
        chart: temperature_svg(&daily_points(reports.iter()), t.chart_fever_line),
    };
    page(&p, StatusCode::OK, Vec::new())
}
