//! CSV exports of the centre's cases and reports (UTF-8 with a byte-order mark so
//! spreadsheet programs read the Japanese correctly; cells that a spreadsheet would
//! run as a formula are quoted with a leading apostrophe). Each download is audited.

use super::session::WebStaff;
use super::{PageError, celsius};
use crate::db::AuditAction;
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use protocol::{Lang, QUESTIONS};

/// A text cell that cannot start a spreadsheet formula.
pub fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() }
}

fn csv_response(name: &str, rows: Vec<Vec<String>>) -> Result<Response, PageError> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        for row in rows {
            w.write_record(&row).map_err(|_| PageError::Internal)?;
        }
        w.flush().map_err(|_| PageError::Internal)?;
    }
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)], out).into_response())
}

/// `GET /export/cases.csv`.
pub async fn cases(State(state): State<AppState>, staff: WebStaff) -> Result<Response, PageError> {
    let cases = state.db.list_cases(staff.scope).await?;
    state.db.audit(staff.scope, staff.staff_id, AuditAction::ExportCases, None, state.clock.now()).await?;
    let head = match staff.lang {
        Lang::Ja => ["ID", "氏名", "ふりがな", "生年月日", "電話番号", "メールアドレス", "区分", "観察方法", "観察開始日", "観察終了日", "スマホ入力ID", "観察中", "アプリ登録", "未対応の緊急報告（最初の受信）"],
        Lang::En => ["id", "name", "reading", "date_of_birth", "phone", "email", "kind", "observation", "period_start", "period_end", "input_id", "active", "registered", "urgent_waiting_since"],
    };
    let mut rows = vec![head.iter().map(|s| (*s).to_owned()).collect()];
    for c in cases {
        rows.push(vec![
            c.id.to_string(),
            cell(&c.name),
            cell(&c.name_reading),
            c.date_of_birth.to_string(),
            c.phone,
            cell(c.email.as_deref().unwrap_or("")),
            c.kind.as_str().to_owned(),
            c.observation.as_str().to_owned(),
            c.period_start.to_string(),
            c.period_end.to_string(),
            c.input_id,
            u8::from(c.active).to_string(),
            u8::from(c.registered).to_string(),
            c.urgent_since.map_or_else(String::new, |t| t.to_rfc3339()),
        ]);
    }
    tracing::info!(by = staff.staff_id, rows = rows.len() - 1, "cases exported");
    csv_response("cases.csv", rows)
}

/// `GET /export/reports.csv`: every report of the centre's cases in the order received,
/// one column per question (answer codes 1 = yes, 2 = no, 9 = unknown), the day it
/// counts for (received, in Japan), whether the phone's clock was ahead, and for a
/// "call now" report whether it waits or how it was handled.
pub async fn reports(State(state): State<AppState>, staff: WebStaff) -> Result<Response, PageError> {
    let reports = state.db.export_reports(staff.scope).await?;
    let mut case_ids: Vec<i64> = reports.iter().map(|e| e.entry.report.case_id).collect();
    case_ids.dedup();
    let corrected = crate::rights::corrected::Corrected::of(&state.db, staff.scope, case_ids).await?;
    state.db.audit(staff.scope, staff.staff_id, AuditAction::ExportReports, None, state.clock.now()).await?;
    let mut head: Vec<String> = ["case_id", "input_id", "report_id", "local_date", "kind", "temperature"].iter().map(|s| (*s).to_owned()).collect();
    head.extend(QUESTIONS.iter().map(|q| q.key.to_owned()));
    head.extend(
        ["advice", "recorded_at", "received_at", "received_on", "clock_ahead", "urgent", "handled_at", "handled_by", "handled_how", "handling_note", "temperature_as_sent"]
            .iter()
            .map(|s| (*s).to_owned()),
    );
    let mut rows = vec![head];
    for e in reports {
        let urgent = match (&e.entry.handled, e.entry.waiting()) {
            (_, true) => "waiting",
            (Some(_), false) => "handled",
            (None, false) => "",
        };
        let handled = e.entry.handled;
        let mut r = e.entry.report;
        // The temperature as corrected at the person's request; as sent in the last column.
        let sent = corrected.apply(&mut r);
        let (clock_ahead, received_on) = (u8::from(r.clock_ahead()).to_string(), super::today(r.received_at).to_string());
        let mut row = vec![
            r.case_id.to_string(),
            e.input_id,
            r.id.to_string(),
            r.local_date.to_string(),
            r.kind.as_str().to_owned(),
            celsius(r.temperature.tenths()),
        ];
        row.extend(r.answers.codes().iter().map(u8::to_string));
        row.extend([r.advice.as_str().to_owned(), r.recorded_at.to_rfc3339(), r.received_at.to_rfc3339(), received_on, clock_ahead, urgent.to_owned()]);
        row.extend(match handled {
            Some(h) => [h.at.to_rfc3339(), cell(&h.staff_name), if h.by_contact { "contact" } else { "note" }.to_owned(), cell(&h.note)],
            None => Default::default(),
        });
        row.push(sent.map_or_else(String::new, |t| celsius(t.tenths())));
        rows.push(row);
    }
    tracing::info!(by = staff.staff_id, rows = rows.len() - 1, "reports exported");
    csv_response("reports.csv", rows)
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("+81"), "'+81");
        assert_eq!(cell("山田"), "山田");
    }
}
