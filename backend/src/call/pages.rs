//! The call's parts of the health-centre pages: the today board's call section (the
//! call-back list with each attempt's outcome, today's rounds, and for admins the
//! buttons that start a round now), the person page's enrolment form and call log,
//! and the forms they post. Wording in Japanese and English is here, beside them.

use super::api::{EnrolmentRequest, enrol, start_now};
use super::rules::{Round, Status};
use super::store::{self, AttemptLine, By};
use crate::db::Observation;
use crate::state::AppState;
use crate::web::session::WebStaff;
use crate::web::{PageError, datetime, phone_display, time_of_day, today};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use protocol::Lang;
use serde::Deserialize;

/// The forms' routes (with the pages' error page).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/call", post(enrol_form))
        .route("/call/rounds", post(start_form))
        .layer(axum::middleware::from_fn(crate::web::page_errors))
}

/// The wording of the call's page parts.
#[derive(Debug)]
pub struct Texts {
    title: &'static str,
    hint: &'static str,
    nobody: &'static str,
    no_round: &'static str,
    col_name: &'static str,
    col_number: &'static str,
    col_first: &'static str,
    col_retry: &'static str,
    start_first: &'static str,
    start_retry: &'static str,
    started: &'static str,
    not_started: &'static str,
    person_title: &'static str,
    observation: &'static str,
    by_app: &'static str,
    by_phone: &'static str,
    number_label: &'static str,
    number_hint: &'static str,
    lang_label: &'static str,
    save: &'static str,
    log_title: &'static str,
    no_calls: &'static str,
    col_day: &'static str,
    col_round: &'static str,
    col_outcome: &'static str,
    col_at: &'static str,
    first: &'static str,
    retry: &'static str,
    at_step: &'static str,
}

const JA: Texts = Texts {
    title: "自動架電：折り返し電話リスト",
    hint: "本日の自動架電（1回目・再架電）の後も健康記録がない方です。職員から電話してください。",
    nobody: "該当者はいません。",
    no_round: "本日の自動架電はまだ始まっていません。",
    col_name: "氏名",
    col_number: "架電先",
    col_first: "1回目",
    col_retry: "再架電",
    start_first: "自動架電を今すぐ開始（1回目）",
    start_retry: "再架電を今すぐ開始",
    started: "架電を開始しました。対象者",
    not_started: "この回は本日すでに開始済みか、1回目の架電がまだ終わっていません。",
    person_title: "自動架電",
    observation: "健康観察の方法",
    by_app: "スマホ入力",
    by_phone: "自動架電（毎朝の電話）",
    number_label: "架電先の電話番号（空欄なら登録の電話番号）",
    number_hint: "半角数字、ハイフンなしでも可。",
    lang_label: "音声ガイダンスの言語",
    save: "保存",
    log_title: "架電履歴",
    no_calls: "架電履歴はありません。",
    col_day: "日付",
    col_round: "回",
    col_outcome: "結果",
    col_at: "発信時刻",
    first: "1回目",
    retry: "再架電",
    at_step: "で終了",
};

const EN: Texts = Texts {
    title: "Automated calls: call-back list",
    hint: "People still without a health record after today's automated calls (first round and retry). Please phone them.",
    nobody: "Nobody.",
    no_round: "Today's automated calls have not started yet.",
    col_name: "Name",
    col_number: "Number called",
    col_first: "First call",
    col_retry: "Retry",
    start_first: "Start the automated calls now (first round)",
    start_retry: "Start the retry now",
    started: "The calls have started. People to call",
    not_started: "This round has already started today, or first-round calls are still open.",
    person_title: "Automated call",
    observation: "How this person is observed",
    by_app: "Smartphone",
    by_phone: "Automated call every morning",
    number_label: "Number to call (empty: the registered phone)",
    number_hint: "Digits; hyphens are fine.",
    lang_label: "Language of the call",
    save: "Save",
    log_title: "Calls",
    no_calls: "No calls yet.",
    col_day: "Day",
    col_round: "Round",
    col_outcome: "Outcome",
    col_at: "Placed at",
    first: "first",
    retry: "retry",
    at_step: "ended at",
};

/// The wording in `lang`.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}

fn round_label(r: Round, t: &Texts) -> &'static str {
    match r {
        Round::First => t.first,
        Round::Retry => t.retry,
    }
}

/// An attempt's outcome as staff read it (`途中終了（q3で終了）`).
pub fn outcome(l: &AttemptLine, lang: Lang) -> String {
    let label = l.status.label(lang);
    match (&l.step, l.status) {
        (Some(step), Status::Incomplete) => format!("{label} ({step} {})", texts(lang).at_step),
        _ => label.to_owned(),
    }
}

struct Row {
    case_id: i64,
    name: String,
    reading: String,
    number: String,
    first: String,
    retry: String,
}

#[derive(Template)]
#[template(path = "call/board_section.html")]
struct BoardSection {
    t: &'static Texts,
    rows: Vec<Row>,
    rounds: Vec<(&'static str, String)>,
    admin: bool,
    csrf: String,
    notice: String,
}

/// The board's call section, as HTML to put in the board page; `query` is the board's
/// query string (`call=` says what a start button did).
pub async fn board_section(state: &AppState, staff: &WebStaff, query: Option<&str>) -> Result<String, PageError> {
    let now = state.clock.now();
    let day = today(now);
    let t = texts(staff.lang);
    let said = form_urlencoded::parse(query.unwrap_or("").as_bytes()).find(|(k, _)| k == "call").map(|(_, v)| v.into_owned());
    let notice = match said.as_deref() {
        Some("not_started") => t.not_started.to_owned(),
        Some(v) => v.strip_prefix("started:").and_then(|n| n.parse::<i64>().ok()).map_or_else(String::new, |n| format!("{} {n}", t.started)),
        None => String::new(),
    };
    let settings = store::settings(&state.db, staff.scope.centre_id()).await?;
    let list = store::callbacks(&state.db, staff.scope, day, settings.last_round()).await?;
    let rows = list
        .into_iter()
        .map(|c| {
            let of = |r: Round| c.attempts.iter().find(|a| a.round == r).map_or_else(|| "—".to_owned(), |a| outcome(a, staff.lang));
            Row { case_id: c.case_id, reading: c.name_reading.clone(), number: phone_display(&c.number), first: of(Round::First), retry: of(Round::Retry), name: c.name }
        })
        .collect();
    let mut rounds: Vec<(&'static str, String)> = Vec::new();
    for (round, status, n) in store::round_counts(&state.db, staff.scope, day).await? {
        let part = format!("{} {n}", status.label(staff.lang));
        match rounds.last_mut() {
            Some((label, s)) if *label == round_label(round, t) => {
                s.push_str(", ");
                s.push_str(&part);
            }
            _ => rounds.push((round_label(round, t), part)),
        }
    }
    let page = BoardSection { t, rows, rounds, admin: staff.is_admin(), csrf: staff.csrf.clone(), notice };
    page.render().map_err(|e| {
        tracing::error!(error = %e, "call section failed");
        PageError::Internal
    })
}

struct LogLine {
    day: String,
    round: &'static str,
    outcome: String,
    status_key: &'static str,
    at: String,
}

#[derive(Template)]
#[template(path = "call/person_section.html")]
struct PersonSection {
    t: &'static Texts,
    case_id: i64,
    csrf: String,
    phone_on: bool,
    phone: String,
    case_phone: String,
    lang: &'static str,
    lines: Vec<LogLine>,
}

/// The person page's call part, as HTML to put in the page.
pub async fn person_section(state: &AppState, staff: &WebStaff, case_id: i64) -> Result<String, PageError> {
    let e = store::enrolment(&state.db, staff.scope, case_id).await?.ok_or(PageError::NotFound)?;
    let lines = store::case_calls(&state.db, staff.scope, case_id).await?.unwrap_or_default();
    let t = texts(staff.lang);
    let now_day = today(state.clock.now());
    let page = PersonSection {
        t,
        case_id,
        csrf: staff.csrf.clone(),
        phone_on: e.observation == Observation::Phone,
        phone: e.phone.clone().unwrap_or_default(),
        case_phone: phone_display(&e.case_phone),
        lang: e.lang.tag(),
        lines: lines
            .iter()
            .map(|l| LogLine {
                day: l.day.to_string(),
                round: round_label(l.round, t),
                outcome: outcome(l, staff.lang),
                status_key: l.status.as_str(),
                at: l.dialed_at.map_or_else(String::new, |d| if l.day == now_day { time_of_day(d, now_day) } else { datetime(d) }),
            })
            .collect(),
    };
    page.render().map_err(|e| {
        tracing::error!(error = %e, "call log failed");
        PageError::Internal
    })
}

/// The enrolment form.
#[derive(Debug, Deserialize)]
pub struct EnrolForm {
    csrf: String,
    observation: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    lang: String,
}

/// `POST /cases/{id}/call`: switch between app and phone, the number, the language.
async fn enrol_form(State(state): State<AppState>, staff: WebStaff, Path(id): Path<i64>, Form(f): Form<EnrolForm>) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let observation = Observation::parse(&f.observation).ok_or(PageError::BadRequest(axum::http::StatusCode::BAD_REQUEST))?;
    let req = EnrolmentRequest { observation, phone: Some(f.phone), lang: Some(if f.lang == "en" { "en".into() } else { "ja".into() }) };
    match enrol(&state, By { scope: staff.scope, staff_id: staff.staff_id }, id, req).await {
        Ok(true) => Ok(Redirect::to(&format!("/cases/{id}#call-person")).into_response()),
        Ok(false) => Err(PageError::NotFound),
        Err(_) => Err(PageError::BadRequest(axum::http::StatusCode::BAD_REQUEST)),
    }
}

/// The start form.
#[derive(Debug, Deserialize)]
pub struct StartForm {
    csrf: String,
    round: String,
}

/// `POST /call/rounds` (admins): start a round now, then back to the board with what
/// happened.
async fn start_form(State(state): State<AppState>, staff: WebStaff, Form(f): Form<StartForm>) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    if !staff.is_admin() {
        return Err(PageError::Forbidden);
    }
    let round = if f.round == "retry" { Round::Retry } else { Round::First };
    let said = match start_now(&state, By { scope: staff.scope, staff_id: staff.staff_id }, round).await? {
        Some(n) => format!("started:{n}"),
        None => "not_started".to_owned(),
    };
    Ok(Redirect::to(&format!("/?call={said}#call-section")).into_response())
}
