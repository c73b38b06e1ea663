//! SQLite side of the health-centre page operations (see [`crate::db::web`]).

use super::super::sqlite_rows::{bad, date, entry_row_from, kind, ms, observation, time};
use super::super::web::{Dialect, HANDLED_COLUMNS, HANDLED_JOIN, Param, SUMMARY_COLUMNS, case_list_clause, waiting_reports};
use super::super::*;
use super::SqliteStore;
use crate::error::Result;
use protocol::Temperature;
use rusqlite::types::ToSql;
use rusqlite::{OptionalExtension, Row, params};

/// The centre's cases with an urgent report waiting, and the oldest one's receipt
/// (`?1` is the centre), read from `cases_urgent` alone.
/// Every state counts: a suspended case's unhandled report too.
const URGENT_WAITING: &str = "SELECT count(*), min(urgent_since) FROM cases INDEXED BY cases_urgent \
     WHERE centre_id = ?1 AND active = 1 AND urgent_since IS NOT NULL";

fn summary_row(r: &Row<'_>) -> rusqlite::Result<CaseSummary> {
    let temperature = |i| -> rusqlite::Result<Temperature> { Temperature::from_tenths(r.get(i)?).map_err(|_| bad(i, "temperature")) };
    let last = match r.get::<_, Option<String>>(10)? {
        None => None,
        Some(_) => Some(LastReport {
            local_date: date(r, 10)?,
            recorded_at: time(r.get(11)?),
            received_at: time(r.get(12)?),
            temperature: temperature(13)?,
            advice: AdviceLevel::parse(&r.get::<_, String>(14)?).ok_or_else(|| bad(14, "advice"))?,
            received_on: date(r, 15)?,
        }),
    };
    let fever = match r.get::<_, Option<String>>(16)? {
        None => None,
        Some(_) => Some((date(r, 16)?, temperature(17)?)),
    };
    Ok(CaseSummary {
        id: r.get(0)?,
        name: r.get(1)?,
        name_reading: r.get(2)?,
        phone: r.get(3)?,
        kind: kind(r, 4)?,
        observation: observation(r, 5)?,
        input_id: r.get(6)?,
        period_start: date(r, 7)?,
        period_end: date(r, 8)?,
        active: r.get(9)?,
        last,
        fever,
        urgent_since: r.get::<_, Option<i64>>(18)?.map(time),
        suspended: r.get(19)?,
    })
}

fn owns(c: &rusqlite::Connection, scope: CentreScope, case_id: i64) -> rusqlite::Result<bool> {
    Ok(c.prepare_cached("SELECT 1 FROM cases WHERE id = ?1 AND centre_id = ?2")?
        .query_row(params![case_id, scope.centre_id()], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Writes one audit row in the caller's transaction.
pub(crate) fn insert_audit(c: &rusqlite::Connection, scope: CentreScope, staff_id: i64, action: AuditAction, case_id: Option<i64>, now: DateTime<Utc>) -> rusqlite::Result<()> {
    c.prepare_cached("INSERT INTO audit_log (centre_id, staff_id, at, action, case_id) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![scope.centre_id(), staff_id, ms(now), action.as_str(), case_id])?;
    Ok(())
}

/// Handles the case's waiting "call now" reports received up to `seen`: one handling
/// row, the reports it covers, the case's `urgent_since` recomputed and an audit row,
/// all in the caller's transaction. Returns how many reports it covered (0: nothing
/// written).
#[allow(clippy::too_many_arguments)]
fn handle_waiting(
    tx: &rusqlite::Connection,
    scope: CentreScope,
    case_id: i64,
    staff_id: i64,
    note: &str,
    contact_id: Option<i64>,
    seen: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> rusqlite::Result<usize> {
    let seen = seen.map_or(i64::MAX, ms);
    let waiting: i64 = tx.query_row(&format!("SELECT count(*) {}", waiting_reports("?1", "?2")), params![case_id, seen], |r| r.get(0))?;
    if waiting == 0 {
        return Ok(0);
    }
    tx.execute(
        "INSERT INTO handlings (case_id, staff_id, at, note, contact_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![case_id, staff_id, ms(now), note, contact_id],
    )?;
    let handling = tx.last_insert_rowid();
    let n = tx.execute(&format!("INSERT INTO handled_reports (report_id, handling_id) SELECT r.id, ?3 {}", waiting_reports("?1", "?2")), params![case_id, seen, handling])?;
    tx.execute(
        &format!("UPDATE cases SET urgent_since = (SELECT min(r.received_at) {}) WHERE id = ?1", waiting_reports("?1", "?2")),
        params![case_id, i64::MAX],
    )?;
    insert_audit(tx, scope, staff_id, AuditAction::HandleUrgent, Some(case_id), now)?;
    Ok(n)
}

impl SqliteStore {
    pub(in crate::db) async fn board_counts(&self, scope: CentreScope, today: NaiveDate) -> Result<BoardCounts> {
        self.read(move |c| {
            // Three index-only reads, each named: without statistics SQLite would take the
            // period range of `cases_board` for all of them and read every row it covers.
            let observed = concat!("centre_id = ?1 AND active = 1 AND period_end >= ?2 AND period_start <= ?2 AND ", crate::db::rights::in_use!());
            let sql = format!(
                "SELECT o.n, t.n, t.fever, \
                 (SELECT last_received_at FROM cases INDEXED BY cases_board_silent WHERE {observed} \
                  AND last_received_at IS NOT NULL ORDER BY last_received_at DESC LIMIT 1) \
                 FROM (SELECT count(*) AS n FROM cases INDEXED BY cases_board WHERE {observed}) o, \
                 (SELECT count(*) AS n, coalesce(sum(fever_on = ?2), 0) AS fever \
                  FROM cases INDEXED BY cases_board_reported WHERE {observed} AND last_received_on = ?2) t"
            );
            let (urgent, urgent_oldest) = c.prepare_cached(URGENT_WAITING)?.query_row([scope.centre_id()], |r| Ok((r.get(0)?, r.get::<_, Option<i64>>(1)?)))?;
            Ok(c.prepare_cached(&sql)?.query_row(params![scope.centre_id(), today.to_string()], |r| {
                Ok(BoardCounts {
                    observed: r.get(0)?,
                    reported: r.get(1)?,
                    fever: r.get(2)?,
                    urgent,
                    urgent_oldest: urgent_oldest.map(time),
                    latest_received_at: r.get::<_, Option<i64>>(3)?.map(time),
                })
            })?)
        })
        .await
    }

    pub(in crate::db) async fn case_summaries(&self, scope: CentreScope, q: CaseQuery) -> Result<Vec<CaseSummary>> {
        self.read(move |c| {
            let (clause, ps) = case_list_clause(&q, Dialect::Sqlite);
            // A status list of the board reads its first rows in the order of its index
            // and stops (see migration 0002); named, as SQLite without statistics would
            // rather sort every case under observation. A text search reads the rows
            // anyway and is left to the planner.
            let index = match (&q.search, q.status) {
                (CaseSearch::Any, CaseStatus::Unreported) => " INDEXED BY cases_board_silent",
                (CaseSearch::Any, CaseStatus::Reported | CaseStatus::Fever) => " INDEXED BY cases_board_reported",
                (CaseSearch::Any, CaseStatus::Urgent) => " INDEXED BY cases_urgent",
                _ => "",
            };
            let sql = format!("SELECT {SUMMARY_COLUMNS} FROM cases c{index} WHERE {clause}");
            let mut values: Vec<Box<dyn ToSql>> = vec![Box::new(scope.centre_id())];
            for p in ps {
                values.push(match p {
                    Param::Text(t) => Box::new(t),
                    Param::Date(d) => Box::new(d.to_string()),
                });
            }
            let refs: Vec<&dyn ToSql> = values.iter().map(|v| v.as_ref()).collect();
            Ok(c.prepare_cached(&sql)?.query_map(refs.as_slice(), summary_row)?.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub(in crate::db) async fn staff_header(&self, scope: CentreScope, staff_id: i64) -> Result<Option<StaffHeader>> {
        self.read(move |c| {
            Ok(c.prepare_cached(
                "SELECT s.name, ce.id, ce.name, ce.emergency_number, ce.jurisdiction_code FROM staff s \
                 JOIN centres ce ON ce.id = s.centre_id WHERE s.id = ?1 AND s.centre_id = ?2",
            )?
            .query_row(params![staff_id, scope.centre_id()], |r| {
                Ok(StaffHeader {
                    staff_name: r.get(0)?,
                    centre: Centre { id: r.get(1)?, name: r.get(2)?, emergency_number: r.get(3)?, jurisdiction_code: r.get(4)? },
                    urgent: 0,
                    urgent_oldest: None,
                })
            })
            .optional()?
            .map(|h| -> rusqlite::Result<StaffHeader> {
                let (urgent, oldest) = c.prepare_cached(URGENT_WAITING)?.query_row([scope.centre_id()], |r| Ok((r.get(0)?, r.get::<_, Option<i64>>(1)?)))?;
                Ok(StaffHeader { urgent, urgent_oldest: oldest.map(time), ..h })
            })
            .transpose()?)
        })
        .await
    }

    pub(in crate::db) async fn centres(&self) -> Result<Vec<Centre>> {
        self.read(|c| {
            Ok(c.prepare_cached("SELECT id, name, emergency_number, jurisdiction_code FROM centres ORDER BY jurisdiction_code")?
                .query_map([], |r| Ok(Centre { id: r.get(0)?, name: r.get(1)?, emergency_number: r.get(2)?, jurisdiction_code: r.get(3)? }))?
                .collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub(in crate::db) async fn contacts(&self, scope: CentreScope, case_id: i64) -> Result<Vec<Contact>> {
        self.read(move |c| {
            Ok(c.prepare_cached(
                "SELECT ct.at, s.name, ct.outcome, ct.note FROM contacts ct JOIN staff s ON s.id = ct.staff_id \
                 JOIN cases c ON c.id = ct.case_id WHERE ct.case_id = ?1 AND c.centre_id = ?2 ORDER BY ct.at, ct.id",
            )?
            .query_map(params![case_id, scope.centre_id()], |r| {
                Ok(Contact {
                    at: time(r.get(0)?),
                    staff_name: r.get(1)?,
                    outcome: ContactOutcome::parse(&r.get::<_, String>(2)?).ok_or_else(|| bad(2, "outcome"))?,
                    note: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub(in crate::db) async fn add_contact(&self, scope: CentreScope, case_id: i64, staff_id: i64, contact: NewContact, now: DateTime<Utc>) -> Result<Option<usize>> {
        let NewContact { outcome, note, seen } = contact;
        self.write(move |tx| {
            if !owns(tx, scope, case_id)? {
                return Ok(None);
            }
            tx.execute(
                "INSERT INTO contacts (case_id, staff_id, at, outcome, note) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![case_id, staff_id, ms(now), outcome.as_str(), note],
            )?;
            let contact_id = tx.last_insert_rowid();
            insert_audit(tx, scope, staff_id, AuditAction::AddContact, Some(case_id), now)?;
            if outcome != ContactOutcome::Reached {
                return Ok(Some(0));
            }
            Ok(Some(handle_waiting(tx, scope, case_id, staff_id, &note, Some(contact_id), seen, now)?))
        })
        .await
    }

    pub(in crate::db) async fn mark_handled(&self, scope: CentreScope, case_id: i64, staff_id: i64, note: String, seen: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<HandleOutcome> {
        self.write(move |tx| {
            if !owns(tx, scope, case_id)? {
                return Ok(HandleOutcome::NotFound);
            }
            Ok(match handle_waiting(tx, scope, case_id, staff_id, &note, None, seen, now)? {
                0 => HandleOutcome::NothingWaiting,
                n => HandleOutcome::Handled(n),
            })
        })
        .await
    }

    pub(in crate::db) async fn board_reports(&self, scope: CentreScope, case_ids: Vec<i64>, since: DateTime<Utc>) -> Result<Vec<ReportEntry>> {
        self.read(move |c| {
            let ids = case_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let sql = format!(
                "SELECT {}, {HANDLED_COLUMNS} FROM reports r JOIN cases c ON c.id = r.case_id {HANDLED_JOIN} \
                 WHERE c.centre_id = ?1 AND r.case_id IN ({ids}) AND (r.received_at >= ?2 OR (r.advice = 'call_now' AND hr.report_id IS NULL)) \
                 ORDER BY r.received_at, r.local_date, r.recorded_at, r.id",
                report_columns_of("r")
            );
            let mut stmt = c.prepare(&sql)?;
            let rows = stmt.query_map(params![scope.centre_id(), ms(since)], |r| entry_row_from(r, 0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub(in crate::db) async fn transfers(&self, scope: CentreScope, case_id: i64) -> Result<Vec<Transfer>> {
        self.read(move |c| {
            Ok(c.prepare_cached(
                "SELECT t.at, f.name, n.name, s.name, t.reason FROM transfers t JOIN centres f ON f.id = t.from_centre_id \
                 JOIN centres n ON n.id = t.to_centre_id JOIN staff s ON s.id = t.staff_id JOIN cases c ON c.id = t.case_id \
                 WHERE t.case_id = ?1 AND c.centre_id = ?2 ORDER BY t.at, t.id",
            )?
            .query_map(params![case_id, scope.centre_id()], |r| {
                Ok(Transfer { at: time(r.get(0)?), from_centre: r.get(1)?, to_centre: r.get(2)?, staff_name: r.get(3)?, reason: r.get(4)? })
            })?
            .collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub(in crate::db) async fn transfer_case(&self, scope: CentreScope, case_id: i64, to: i64, staff_id: i64, reason: String, now: DateTime<Utc>) -> Result<TransferOutcome> {
        self.write(move |tx| {
            if !owns(tx, scope, case_id)? {
                return Ok(TransferOutcome::NotFound);
            }
            let target = tx.query_row("SELECT 1 FROM centres WHERE id = ?1", [to], |_| Ok(())).optional()?;
            if target.is_none() || to == scope.centre_id() {
                return Ok(TransferOutcome::BadTarget);
            }
            tx.execute("UPDATE cases SET centre_id = ?1 WHERE id = ?2 AND centre_id = ?3", params![to, case_id, scope.centre_id()])?;
            tx.execute(
                "INSERT INTO transfers (case_id, from_centre_id, to_centre_id, staff_id, at, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![case_id, scope.centre_id(), to, staff_id, ms(now), reason],
            )?;
            insert_audit(tx, scope, staff_id, AuditAction::TransferCase, Some(case_id), now)?;
            Ok(TransferOutcome::Done)
        })
        .await
    }

    pub(in crate::db) async fn audit(&self, scope: CentreScope, staff_id: i64, action: AuditAction, case_id: Option<i64>, now: DateTime<Utc>) -> Result<()> {
        self.write(move |tx| Ok(insert_audit(tx, scope, staff_id, action, case_id, now)?)).await
    }

    pub(in crate::db) async fn audit_log(&self, scope: CentreScope, limit: i64, offset: i64) -> Result<Vec<AuditEntry>> {
        self.read(move |c| {
            Ok(c.prepare_cached(
                "SELECT a.at, s.name, s.email, a.action, a.case_id FROM audit_log a JOIN staff s ON s.id = a.staff_id \
                 WHERE a.centre_id = ?1 ORDER BY a.at DESC, a.id DESC LIMIT ?2 OFFSET ?3",
            )?
            .query_map(params![scope.centre_id(), limit, offset], |r| {
                Ok(AuditEntry {
                    at: time(r.get(0)?),
                    staff_name: r.get(1)?,
                    staff_email: r.get(2)?,
                    action: AuditAction::parse(&r.get::<_, String>(3)?).ok_or_else(|| bad(3, "action"))?,
                    case_id: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub(in crate::db) async fn export_reports(&self, scope: CentreScope) -> Result<Vec<ExportReport>> {
        self.read(move |c| {
            let sql = format!(
                "SELECT c.input_id, {}, {HANDLED_COLUMNS} FROM reports r JOIN cases c ON c.id = r.case_id {HANDLED_JOIN} \
                 WHERE c.centre_id = ?1 AND {} ORDER BY r.case_id, r.received_at, r.local_date, r.recorded_at, r.id",
                report_columns_of("r"),
                crate::db::rights::in_use!("c")
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map([scope.centre_id()], |r| {
                let input_id: String = r.get(0)?;
                let entry = entry_row_from(r, 1)?;
                Ok(ExportReport { input_id, entry })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }
}
