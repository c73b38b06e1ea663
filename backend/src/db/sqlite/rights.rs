//! SQLite side of the person's rights and retention (see [`crate::db::rights`]).

use super::super::rights::{DISCLOSURE_RECORD_SPAN, recent_disclosure,
    Answer, Answered, CentreRequest, Correction, Erased, Filed, HeldCase, NewRequest, REQUEST_COLUMNS, RetentionRun, RightsRequest, Via, case_column,
    erase_sql, fits, same_open,
};
use super::super::sqlite_rows::{CASE_COLUMNS, bad, case_row, date, ms, time};
use super::super::web::Dialect;
use super::super::{AuditAction, CentreScope};
use super::SqliteStore;
use super::web::insert_audit;
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use protocol::rights::{CorrectionItem, RequestKind, RequestStatus};
use rusqlite::{OptionalExtension, Row, params};
use uuid::Uuid;

fn blob(id: Option<Uuid>) -> Option<Vec<u8>> {
    id.map(|u| u.as_bytes().to_vec())
}

fn request_row(r: &Row<'_>) -> rusqlite::Result<RightsRequest> {
    let report: Option<Vec<u8>> = r.get(5)?;
    Ok(RightsRequest {
        id: r.get(0)?,
        case_id: r.get(1)?,
        via: r.get(2)?,
        kind: RequestKind::parse(&r.get::<_, String>(3)?).ok_or_else(|| bad(3, "kind"))?,
        item: r.get::<_, Option<String>>(4)?.map(|s| CorrectionItem::parse(&s).ok_or_else(|| bad(4, "item"))).transpose()?,
        report_id: report.map(|b| Uuid::from_slice(&b).map_err(|_| bad(5, "report id"))).transpose()?,
        value: r.get(6)?,
        note: r.get(7)?,
        status: RequestStatus::parse(&r.get::<_, String>(8)?).ok_or_else(|| bad(8, "status"))?,
        reason: r.get(9)?,
        answered_at: r.get::<_, Option<i64>>(10)?.map(time),
        filed_at: time(r.get(11)?),
        corrected: r.get(12)?,
    })
}

impl SqliteStore {
    pub(in crate::db) async fn file_rights_request(&self, case_id: i64, via: Via, req: NewRequest, now: DateTime<Utc>) -> Result<Filed> {
        self.write(move |tx| {
            let report = blob(req.report_id);
            if let Some(b) = &report
                && tx.query_row("SELECT 1 FROM reports WHERE id = ?1 AND case_id = ?2", params![b, case_id], |_| Ok(())).optional()?.is_none()
            {
                return Ok(Filed::UnknownReport);
            }
            let kind = req.kind.as_str();
            let item = req.item.map(|i| i.as_str());
            if req.kind != RequestKind::Disclosure
                && let Some(id) = tx.query_row(&same_open(["?1", "?2", "?3", "?4"]), params![case_id, kind, item, report], |r| r.get(0)).optional()?
            {
                return Ok(Filed::AlreadyOpen(id));
            }
            if req.kind == RequestKind::Disclosure
                && let Some(id) = tx.query_row(&recent_disclosure(["?1", "?2"]), params![case_id, ms(now - DISCLOSURE_RECORD_SPAN)], |r| r.get(0)).optional()?
            {
                return Ok(Filed::Filed(id));
            }
            // Disclosure is given at once: stored answered.
            let (status, answered) = if req.kind == RequestKind::Disclosure { ("disclosed", Some(ms(now))) } else { ("open", None) };
            tx.execute(
                "INSERT INTO rights_requests (case_id, via, kind, item, report_id, requested_value, note, status, answered_at, filed_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![case_id, via.as_str(), kind, item, report, req.value, req.note, status, answered, ms(now)],
            )?;
            Ok(Filed::Filed(tx.last_insert_rowid()))
        })
        .await
    }

    pub(in crate::db) async fn rights_requests(&self, case_id: i64) -> Result<Vec<RightsRequest>> {
        self.read(move |c| {
            let sql = format!("SELECT {REQUEST_COLUMNS} FROM rights_requests r WHERE r.case_id = ?1 ORDER BY r.id DESC");
            Ok(c.prepare_cached(&sql)?.query_map([case_id], request_row)?.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub(in crate::db) async fn centre_rights_requests(&self, scope: CentreScope, answered: i64) -> Result<Vec<CentreRequest>> {
        self.read(move |c| {
            let row = |r: &Row<'_>| Ok(CentreRequest { request: request_row(r)?, name: r.get(13)?, name_reading: r.get(14)? });
            let mut out: Vec<CentreRequest> = Vec::new();
            for (cond, order, limit) in [("r.status = 'open'", "r.id", -1), ("r.status <> 'open'", "r.answered_at DESC, r.id DESC", answered)] {
                let sql = format!(
                    "SELECT {REQUEST_COLUMNS}, c.name, c.name_reading FROM rights_requests r JOIN cases c ON c.id = r.case_id \
                     WHERE c.centre_id = ?1 AND {cond} ORDER BY {order} LIMIT ?2"
                );
                let rows = c.prepare_cached(&sql)?.query_map(params![scope.centre_id(), limit], row)?.collect::<rusqlite::Result<Vec<_>>>()?;
                out.extend(rows);
            }
            Ok(out)
        })
        .await
    }

    pub(in crate::db) async fn answer_rights_request(&self, scope: CentreScope, id: i64, staff_id: i64, answer: Answer, now: DateTime<Utc>) -> Result<Answered> {
        self.write(move |tx| {
            let found = tx
                .query_row(
                    "SELECT r.case_id, r.kind, r.item, r.report_id, r.status FROM rights_requests r JOIN cases c ON c.id = r.case_id \
                     WHERE r.id = ?1 AND c.centre_id = ?2",
                    params![id, scope.centre_id()],
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, Option<Vec<u8>>>(3)?, r.get::<_, String>(4)?)),
                )
                .optional()?;
            let Some((case_id, kind, item, report, status)) = found else { return Ok(Answered::NotFound) };
            if status != "open" {
                return Ok(Answered::NotOpen);
            }
            let kind = RequestKind::parse(&kind).ok_or_else(|| crate::error::Error::Db("bad request kind".into()))?;
            if !fits(kind, &answer) {
                return Ok(Answered::WrongKind);
            }
            let (reason, action) = match &answer {
                Answer::Corrected(value) => {
                    let item = item.as_deref().and_then(CorrectionItem::parse).ok_or_else(|| crate::error::Error::Db("bad request item".into()))?;
                    let original: String = match case_column(item) {
                        Some(col) => {
                            let old: Option<String> = tx.query_row(&format!("SELECT {col} FROM cases WHERE id = ?1"), [case_id], |r| r.get(0))?;
                            // The report rows are never changed; a profile field is, its
                            // former value kept beside it.
                            tx.execute(&format!("UPDATE cases SET {col} = ?2 WHERE id = ?1"), params![case_id, value])?;
                            old.unwrap_or_default()
                        }
                        None => crate::web::celsius(tx.query_row("SELECT temperature_tenths FROM reports WHERE id = ?1", [&report], |r| r.get(0))?),
                    };
                    tx.execute(
                        "INSERT INTO corrections (request_id, case_id, item, report_id, original, corrected, staff_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                        params![id, case_id, item.as_str(), report, original, value, staff_id, ms(now)],
                    )?;
                    (None, AuditAction::CorrectData)
                }
                Answer::Refused(reason) => (Some(reason.clone()), AuditAction::RefuseRightsRequest),
                Answer::Suspended => {
                    tx.execute("UPDATE cases SET suspended_at = ?2 WHERE id = ?1 AND suspended_at IS NULL", params![case_id, ms(now)])?;
                    (None, AuditAction::SuspendUse)
                }
            };
            tx.execute(
                "UPDATE rights_requests SET status = ?2, reason = ?3, answered_by = ?4, answered_at = ?5 WHERE id = ?1",
                params![id, answer.status().as_str(), reason, staff_id, ms(now)],
            )?;
            insert_audit(tx, scope, staff_id, action, Some(case_id), now)?;
            Ok(Answered::Done(case_id))
        })
        .await
    }

    pub(in crate::db) async fn report_corrections(&self, scope: CentreScope, case_ids: Vec<i64>) -> Result<Vec<(Uuid, String)>> {
        self.read(move |c| {
            let ids = case_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let sql = format!(
                "SELECT k.report_id, k.corrected FROM corrections k JOIN cases c ON c.id = k.case_id \
                 WHERE c.centre_id = ?1 AND k.case_id IN ({ids}) AND k.report_id IS NOT NULL ORDER BY k.id"
            );
            let mut stmt = c.prepare(&sql)?;
            let rows = stmt.query_map([scope.centre_id()], |r| {
                let b: Vec<u8> = r.get(0)?;
                Ok((Uuid::from_slice(&b).map_err(|_| bad(0, "report id"))?, r.get(1)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub(in crate::db) async fn corrections(&self, case_id: i64) -> Result<Vec<Correction>> {
        self.read(move |c| {
            Ok(c.prepare_cached("SELECT item, report_id, original, corrected, at FROM corrections WHERE case_id = ?1 ORDER BY at, id")?
                .query_map([case_id], |r| {
                    let report: Option<Vec<u8>> = r.get(1)?;
                    Ok(Correction {
                        item: CorrectionItem::parse(&r.get::<_, String>(0)?).ok_or_else(|| bad(0, "item"))?,
                        report_id: report.map(|b| Uuid::from_slice(&b).map_err(|_| bad(1, "report id"))).transpose()?,
                        original: r.get(2)?,
                        corrected: r.get(3)?,
                        at: time(r.get(4)?),
                    })
                })?
                .collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub(in crate::db) async fn held_case(&self, case_id: i64) -> Result<Option<HeldCase>> {
        self.read(move |c| {
            let sql = format!("SELECT {CASE_COLUMNS}, ce.name, c.suspended_at FROM cases c JOIN centres ce ON ce.id = c.centre_id WHERE c.id = ?1");
            Ok(c.query_row(&sql, [case_id], |r| {
                Ok(HeldCase { case: case_row(r)?, centre_name: r.get(17)?, suspended_at: r.get::<_, Option<i64>>(18)?.map(time) })
            })
            .optional()?)
        })
        .await
    }

    pub(in crate::db) async fn retention_runs(&self, limit: i64) -> Result<Vec<RetentionRun>> {
        self.read(move |c| {
            Ok(c.prepare_cached("SELECT at, cutoff, cases, reports FROM retention_runs ORDER BY id DESC LIMIT ?1")?
                .query_map([limit], |r| {
                    Ok(RetentionRun {
                        at: time(r.get(0)?),
                        cutoff: date(r, 1)?,
                        erased: Erased { cases: r.get::<_, i64>(2)?.try_into().unwrap_or(0), reports: r.get::<_, i64>(3)?.try_into().unwrap_or(0) },
                    })
                })?
                .collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub(in crate::db) async fn erase_ended(&self, cutoff: NaiveDate, now: DateTime<Utc>) -> Result<Erased> {
        self.write(move |tx| {
            let cut = cutoff.to_string();
            let statements = erase_sql(Dialect::Sqlite);
            let last = statements.len() - 1;
            let mut erased = Erased::default();
            for (i, sql) in statements.iter().enumerate() {
                let n = if i == last { tx.execute(sql, params![cut, ms(now)])? } else { tx.execute(sql, [&cut])? } as u64;
                if i == last - 1 {
                    erased.reports = n;
                } else if i == last {
                    erased.cases = n;
                }
            }
            tx.execute(
                "INSERT INTO retention_runs (at, cutoff, cases, reports) VALUES (?1, ?2, ?3, ?4)",
                params![ms(now), cut, erased.cases as i64, erased.reports as i64],
            )?;
            Ok(erased)
        })
        .await
    }
}
