//! The today board: how many of the centre's cases under observation reported today,
//! who has not (未入力), who has a fever and who is urgent, with the time of each
//! latest report and how fresh the data is. The urgent and unreported lists come first:
//! they are whom staff phone.

use super::session::WebStaff;
use super::{Chrome, PageError, celsius, datetime, render, time_of_day, today};
use crate::db::{AuditAction, BoardCounts, CaseQuery, CaseSearch, CaseStatus, CaseSummary, Observation};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use chrono::NaiveDate;
use protocol::{AdviceLevel, Lang, Temperature};

/// Rows shown per board list; the full list is one click away.
pub const BOARD_ROWS: i64 = 50;

/// One case line as the lists show it.
#[derive(Debug, Clone)]
pub struct SummaryView {
    /// Case id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_reading: String,
    /// Phone, as people read it.
    pub phone: String,
    /// Kind, localised.
    pub kind: &'static str,
    /// Observation, localised.
    pub observation: &'static str,
    /// Smartphone input ID.
    pub input_id: String,
    /// `start – end`.
    pub period: String,
    /// Under observation.
    pub active: bool,
    /// When today's report came in (`09:05`), the day of an older latest report
    /// (`11-24`), or "never".
    pub last: String,
    /// Latest temperature, `36.5`, or empty.
    pub temperature: String,
    /// Latest temperature is a fever.
    pub fever: bool,
    /// Latest advice, localised, or empty.
    pub advice: &'static str,
    /// Latest advice is "call now".
    pub urgent: bool,
    /// The latest report is for today.
    pub reported_today: bool,
}

impl SummaryView {
    /// The view of `s` in `lang` on `today`.
    pub fn new(s: CaseSummary, lang: Lang, today: NaiveDate) -> SummaryView {
        let t = super::i18n::texts(lang);
        let last = s.last;
        SummaryView {
            id: s.id,
            name: s.name,
            name_reading: s.name_reading,
            phone: super::phone_display(&s.phone),
            kind: s.kind.label(lang),
            observation: match s.observation {
                Observation::App => t.obs_app,
                Observation::Phone => t.obs_phone,
            },
            input_id: s.input_id,
            period: format!("{} – {}", s.period_start, s.period_end),
            active: s.active,
            // Today's report: when it came in. An older one: the day it was for.
            last: last.map_or_else(
                || t.never.to_owned(),
                |l| if l.local_date == today { time_of_day(l.received_at, today) } else { l.local_date.format("%m-%d").to_string() },
            ),
            temperature: last.map_or_else(String::new, |l| celsius(l.temperature.tenths())),
            fever: last.is_some_and(|l| l.temperature.tenths() >= Temperature::FEVER_TENTHS),
            advice: last.map_or("", |l| l.advice.headline(lang)),
            urgent: last.is_some_and(|l| l.advice == AdviceLevel::CallNow),
            reported_today: last.is_some_and(|l| l.local_date == today),
        }
    }
}

/// One list of the board.
#[derive(Debug, Clone)]
pub struct BoardList {
    /// Element id suffix and status filter value.
    pub key: &'static str,
    /// The table's element id, `list-<key>`.
    pub table_id: String,
    /// Heading.
    pub title: &'static str,
    /// Hint under the heading.
    pub hint: &'static str,
    /// How many there are.
    pub count: i64,
    /// The first rows.
    pub rows: Vec<SummaryView>,
}

#[derive(Template)]
#[template(path = "board.html")]
struct BoardPage {
    c: Chrome,
    counts: BoardCounts,
    today: String,
    as_of: String,
    latest: String,
    lists: Vec<BoardList>,
}

/// `GET /`: the today board.
pub async fn board(State(state): State<AppState>, staff: WebStaff) -> Result<Html<String>, PageError> {
    let now = state.clock.now();
    let day = today(now);
    let counts = state.db.board_counts(staff.scope, day).await?;
    let t = staff.t();
    let mut lists = Vec::new();
    for (status, title, hint, count) in [
        (CaseStatus::Urgent, t.urgent, t.urgent_hint, counts.urgent),
        (CaseStatus::Unreported, t.unreported, t.unreported_hint, counts.unreported()),
        (CaseStatus::Fever, t.fever, "", counts.fever),
        (CaseStatus::Reported, t.reported, "", counts.reported),
    ] {
        let q = CaseQuery { search: CaseSearch::Any, status, today: day, limit: BOARD_ROWS, offset: 0 };
        let rows = state.db.case_summaries(staff.scope, q).await?.into_iter().map(|s| SummaryView::new(s, staff.lang, day)).collect();
        lists.push(BoardList { key: status.as_str(), table_id: format!("list-{}", status.as_str()), title, hint, count, rows });
    }
    state.db.audit(staff.scope, staff.staff_id, AuditAction::ViewBoard, None, now).await?;
    let page = BoardPage {
        c: Chrome::new(&staff, "/", "board"),
        counts,
        today: day.to_string(),
        as_of: datetime(now),
        latest: counts.latest_received_at.map_or_else(|| t.none_yet.to_owned(), datetime),
        lists,
    };
    render(&page)
}
