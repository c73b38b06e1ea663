//! The access log page (admins only): who viewed or changed whose data, and when.

use super::session::WebStaff;
use super::{Chrome, PageError, datetime, render};
use crate::db::AuditAction;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use protocol::Lang;
use serde::Deserialize;

/// Rows per page.
const PAGE_ROWS: i64 = 100;

/// The action in words.
pub fn action_label(a: AuditAction, lang: Lang) -> &'static str {
    let (ja, en) = match a {
        AuditAction::ViewBoard => ("本日の状況を表示", "Viewed today's board"),
        AuditAction::ViewCases => ("療養者一覧を表示・検索", "Listed or searched cases"),
        AuditAction::ViewCase => ("療養者の画面を表示", "Opened a case"),
        AuditAction::ViewLeaflet => ("リーフレットを表示", "Opened a leaflet"),
        AuditAction::ApiReadCase => ("APIで療養者を参照", "Read a case through the API"),
        AuditAction::CreateCase => ("療養者を登録", "Registered a case"),
        AuditAction::AddContact => ("電話連絡を記録", "Logged a phone contact"),
        AuditAction::TransferCase => ("他の保健所へ移管", "Transferred a case"),
        AuditAction::ExportCases => ("療養者CSVを出力", "Downloaded the cases CSV"),
        AuditAction::ExportReports => ("健康状態CSVを出力", "Downloaded the reports CSV"),
        AuditAction::CloseCase => ("観察を終了", "Ended observation"),
        AuditAction::HandleUrgent => ("緊急報告を対応済みに", "Handled urgent reports"),
        AuditAction::ChangeCallEnrolment => ("自動架電の設定を変更（方法・架電先・言語）", "Changed a case's automated call (method, number, language)"),
        AuditAction::StartCallRound => ("自動架電を開始", "Started an automated-call round"),
        AuditAction::ChangeCallSettings => ("自動架電の時刻・速度を変更", "Changed the automated-call times or pace"),
        AuditAction::ViewNotifications => ("発生届の一覧を表示", "Listed outbreak notifications"),
        AuditAction::ViewNotification => ("発生届を表示", "Opened an outbreak notification"),
        AuditAction::AcceptNotification => ("発生届を受理（療養者を登録）", "Accepted an outbreak notification"),
        AuditAction::MarkDuplicate => ("発生届を重複として処理", "Marked an outbreak notification a duplicate"),
        AuditAction::ViewStats => ("統計を表示・出力", "Viewed or downloaded statistics"),
        AuditAction::RegisterInstitution => ("医療機関・管轄市区町村を登録", "Registered a medical institution or municipality"),
        AuditAction::ExportFhir => ("FHIRで出力（療養者・発生届）", "Downloaded a case or notification as FHIR"),
        AuditAction::ExportFhirCentre => ("保健所の全データをFHIR（NDJSON）で出力", "Downloaded the centre's data as FHIR (NDJSON)"),
        AuditAction::ViewRightsRequests => ("開示・訂正・利用停止の請求一覧を表示", "Listed requests about people's data"),
        AuditAction::CorrectData => ("本人の請求により訂正", "Corrected data at the person's request"),
        AuditAction::RefuseRightsRequest => ("本人の請求をお断り", "Refused a person's request"),
        AuditAction::SuspendUse => ("本人の請求により利用停止", "Suspended use at the person's request"),
    };
    if lang == Lang::En { en } else { ja }
}

/// One line of the log.
#[derive(Debug, Clone)]
pub struct AuditLine {
    /// When.
    pub at: String,
    /// Staff name and e-mail.
    pub who: String,
    /// What.
    pub action: &'static str,
    /// Case id, if any.
    pub case_id: Option<i64>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    lines: Vec<AuditLine>,
    page: i64,
    more: bool,
}

/// `?page=`.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

/// `GET /admin/audit`.
pub async fn page(State(state): State<AppState>, staff: WebStaff, Query(q): Query<PageQuery>) -> Result<Html<String>, PageError> {
    if !staff.is_admin() {
        return Err(PageError::Forbidden);
    }
    let page = q.page.unwrap_or(1).clamp(1, 1_000_000);
    let mut entries = state.db.audit_log(staff.scope, PAGE_ROWS + 1, (page - 1) * PAGE_ROWS).await?;
    let more = entries.len() as i64 > PAGE_ROWS;
    entries.truncate(PAGE_ROWS as usize);
    let lines = entries
        .into_iter()
        .map(|e| AuditLine { at: datetime(e.at), who: format!("{} <{}>", e.staff_name, e.staff_email), action: action_label(e.action, staff.lang), case_id: e.case_id })
        .collect();
    render(&AuditPage { c: Chrome::new(&staff, "/admin/audit", "audit"), lines, page, more })
}
