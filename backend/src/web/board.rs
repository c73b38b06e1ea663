//! The today board: how many of the centre's cases under observation reported today,
//! who has not (未入力), who has a fever and who is urgent, with the reasons and the
//! time of receipt, and how fresh the data is. The urgent and unreported lists come
//! first: they are whom staff phone. The day is the day in Japan on which the server
//! received a report; an urgent report stays on the list until it is handled.

use super::session::WebStaff;
use super::{Chrome, PageError, celsius, datetime, i18n, render, time_of_day, today};
use crate::db::{AuditAction, BoardCounts, CaseQuery, CaseSearch, CaseStatus, CaseSummary, Observation, ReportEntry, StoredReport};
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use chrono::{DateTime, Utc};
use protocol::{DailyReport, Lang, triage};

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
    /// When today's latest report came in (`09:05`), the day an older one came in
    /// (`11-24`), or "never".
    pub last: String,
    /// Latest temperature, `36.5`, or empty.
    pub temperature: String,
    /// Today's latest report's temperature as corrected at the person's request, or
    /// empty (the report is unchanged).
    pub corrected: String,
    /// A report received today has a fever.
    pub fever: bool,
    /// Today's highest fever when the latest report is not it, `38.2`, or empty.
    pub fever_max: String,
    /// Why, for staff, from today's latest report (`発熱 38.2℃、咳・鼻水`), or empty.
    pub reasons: String,
    /// A "call now" report waits to be handled.
    pub urgent: bool,
    /// Why, from the waiting urgent reports (`息苦しさ`).
    pub urgent_reasons: String,
    /// When the oldest waiting urgent report came in (`09:05`, or `11-24 23:50`).
    pub urgent_since: String,
    /// How long it has waited (`32分経過`).
    pub urgent_waited: String,
    /// It has waited longer than the alert time.
    pub overdue: bool,
    /// Today's latest report is not one of the waiting urgent ones (the row shows it
    /// beside them).
    pub latest_apart: bool,
    /// Today's latest report came from a phone whose clock was ahead.
    pub clock_ahead: bool,
    /// Its use is suspended at the person's request: only its urgent report is shown.
    pub suspended: bool,
}

/// Staff-facing reasons of a report, joined for a cell.
pub fn reasons_of<'a>(reports: impl IntoIterator<Item = &'a StoredReport>, lang: Lang) -> String {
    let mut out: Vec<String> = Vec::new();
    for r in reports {
        for reason in triage(&DailyReport { kind: r.kind, temperature: r.temperature, answers: r.answers }).reasons {
            let label = reason.staff_label(r.kind, lang);
            if !out.contains(&label) {
                out.push(label);
            }
        }
    }
    out.join(if lang == Lang::En { ", " } else { "、" })
}

impl SummaryView {
    /// The view of `s` in `lang` at `now`, from the case's `entries` (its reports received
    /// today and its waiting urgent ones, oldest first).
    /// `corrected` holds the corrected temperatures by report id.
    pub fn new(
        s: CaseSummary,
        entries: &[&ReportEntry],
        corrected: &crate::rights::corrected::Corrected,
        lang: Lang,
        now: DateTime<Utc>,
        alert_after: chrono::Duration,
    ) -> SummaryView {
        let t = i18n::texts(lang);
        let day = today(now);
        let last = s.last;
        let reported_today = last.is_some_and(|l| l.received_on == day);
        let latest = entries.iter().rev().map(|e| &e.report).find(|r| reported_today && today(r.received_at) == day);
        let fever_today = s.fever.filter(|(d, _)| *d == day).map(|(_, t)| t);
        let urgent_since = s.urgent_since.filter(|_| s.active);
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
            last: last.map_or_else(
                || t.never.to_owned(),
                |l| if l.received_on == day { time_of_day(l.received_at, day) } else { l.received_on.format("%m-%d").to_string() },
            ),
            temperature: last.map_or_else(String::new, |l| celsius(l.temperature.tenths())),
            corrected: latest.and_then(|r| corrected.get(&r.id)).map_or_else(String::new, |t| celsius(t.tenths())),
            fever: fever_today.is_some(),
            fever_max: fever_today.filter(|f| last.is_none_or(|l| l.temperature != *f)).map_or_else(String::new, |f| celsius(f.tenths())),
            reasons: latest.map_or_else(String::new, |r| reasons_of([r], lang)),
            urgent: urgent_since.is_some(),
            urgent_reasons: reasons_of(entries.iter().filter(|e| e.waiting()).map(|e| &e.report), lang),
            urgent_since: urgent_since.map_or_else(String::new, |u| time_of_day(u, day)),
            urgent_waited: urgent_since.map_or_else(String::new, |u| i18n::waited(lang, (now - u).num_minutes())),
            overdue: urgent_since.is_some_and(|u| now - u >= alert_after),
            latest_apart: latest.is_some_and(|r| !entries.iter().any(|e| e.waiting() && e.report.id == r.id)),
            clock_ahead: latest.is_some_and(StoredReport::clock_ahead),
            suspended: s.suspended,
        }
    }
}

/// The views of some lists of case lines: the reports received today and the waiting
/// urgent ones of every case shown are read in one query.
pub async fn views(state: &AppState, staff: &WebStaff, lists: Vec<Vec<CaseSummary>>, now: DateTime<Utc>) -> Result<Vec<Vec<SummaryView>>, PageError> {
    let start_of_day = today(now).and_hms_opt(0, 0, 0).unwrap_or_default().and_local_timezone(super::jst()).single().map(|t| t.to_utc()).unwrap_or(now);
    let mut ids: Vec<i64> = lists.iter().flatten().map(|c| c.id).collect();
    ids.sort_unstable();
    ids.dedup();
    let entries = state.db.board_reports(staff.scope, ids.clone(), start_of_day).await?;
    let corrected = crate::rights::corrected::Corrected::of(&state.db, staff.scope, ids).await?;
    let alert_after = chrono::Duration::from_std(state.config.urgent_alert_after).unwrap_or_default();
    let view = |c: CaseSummary| {
        let own: Vec<&ReportEntry> = entries.iter().filter(|e| e.report.case_id == c.id).collect();
        SummaryView::new(c, &own, &corrected, staff.lang, now, alert_after)
    };
    Ok(lists.into_iter().map(|cases| cases.into_iter().map(view).collect()).collect())
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
    urgent_oldest: String,
    lists: Vec<BoardList>,
    /// The automated call's section (call-back list), rendered by `crate::call::pages`.
    calls: String,
}

/// `GET /`: the today board.
pub async fn board(State(state): State<AppState>, staff: WebStaff, uri: axum::http::Uri) -> Result<Html<String>, PageError> {
    let now = state.clock.now();
    let day = today(now);
    let counts = state.db.board_counts(staff.scope, day).await?;
    let t = staff.t();
    let heads = [
        (CaseStatus::Urgent, t.urgent, t.urgent_hint, counts.urgent),
        (CaseStatus::Unreported, t.unreported, t.unreported_hint, counts.unreported()),
        (CaseStatus::Fever, t.fever, "", counts.fever),
        (CaseStatus::Reported, t.reported, "", counts.reported),
    ];
    let mut cases = Vec::new();
    for (status, ..) in heads {
        let q = CaseQuery { search: CaseSearch::Any, status, today: day, limit: BOARD_ROWS, offset: 0 };
        cases.push(state.db.case_summaries(staff.scope, q).await?);
    }
    let lists: Vec<BoardList> = heads
        .into_iter()
        .zip(views(&state, &staff, cases, now).await?)
        .map(|((status, title, hint, count), rows)| BoardList { key: status.as_str(), table_id: format!("list-{}", status.as_str()), title, hint, count, rows })
        .collect();
    state.db.audit(staff.scope, staff.staff_id, AuditAction::ViewBoard, None, now).await?;
    let calls = crate::call::pages::board_section(&state, &staff, uri.query()).await?;
    let page = BoardPage {
        c: Chrome::new(&staff, "/", "board"),
        calls,
        counts,
        today: day.to_string(),
        as_of: datetime(now),
        latest: counts.latest_received_at.map_or_else(|| t.none_yet.to_owned(), datetime),
        urgent_oldest: counts.urgent_oldest.map_or_else(String::new, |u| format!("{} ({})", datetime(u), i18n::waited(staff.lang, (now - u).num_minutes()))),
        lists,
    };
    render(&page)
}
