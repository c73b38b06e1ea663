//! PostgreSQL side of the person's rights and retention (see [`crate::db::rights`]).

use super::super::rights::{DISCLOSURE_RECORD_SPAN, recent_disclosure,
    Answer, Answered, CentreRequest, Correction, Erased, Filed, HeldCase, NewRequest, REQUEST_COLUMNS, RetentionRun, RightsRequest, Via, case_column,
    erase_sql, fits, same_open,
};
use super::super::web::Dialect;
use super::super::{AuditAction, CentreScope};
use super::web::insert_audit;
use super::{CASE_COLUMNS, PgStore, bad, case_row};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use protocol::rights::{CorrectionItem, RequestKind, RequestStatus};
use tokio_postgres::Row;
use uuid::Uuid;

fn request_row(r: &Row) -> Result<RightsRequest> {
    Ok(RightsRequest {
        id: r.try_get(0)?,
        case_id: r.try_get(1)?,
        via: r.try_get(2)?,
        kind: RequestKind::parse(r.try_get(3)?).ok_or_else(|| bad("kind"))?,
        item: r.try_get::<_, Option<&str>>(4)?.map(|s| CorrectionItem::parse(s).ok_or_else(|| bad("item"))).transpose()?,
        report_id: r.try_get(5)?,
        value: r.try_get(6)?,
        note: r.try_get(7)?,
        status: RequestStatus::parse(r.try_get(8)?).ok_or_else(|| bad("status"))?,
        reason: r.try_get(9)?,
        answered_at: r.try_get(10)?,
        filed_at: r.try_get(11)?,
        corrected: r.try_get(12)?,
    })
}

impl PgStore {
    pub(in crate::db) async fn file_rights_request(&self, case_id: i64, via: Via, req: NewRequest, now: DateTime<Utc>) -> Result<Filed> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        // One filing per case at a time: the case row is the lock.
        tx.execute("SELECT 1 FROM cases WHERE id = $1 FOR UPDATE", &[&case_id]).await?;
        if let Some(id) = req.report_id
            && tx.query_opt("SELECT 1 FROM reports WHERE id = $1 AND case_id = $2", &[&id, &case_id]).await?.is_none()
        {
            return Ok(Filed::UnknownReport);
        }
        let kind = req.kind.as_str();
        let item = req.item.map(|i| i.as_str());
        if req.kind != RequestKind::Disclosure
            && let Some(row) = tx.query_opt(&same_open(["$1", "$2", "$3::text", "$4::uuid"]), &[&case_id, &kind, &item, &req.report_id]).await?
        {
            return Ok(Filed::AlreadyOpen(row.try_get(0)?));
        }
        if req.kind == RequestKind::Disclosure
            && let Some(row) = tx.query_opt(&recent_disclosure(["$1", "$2"]), &[&case_id, &(now - DISCLOSURE_RECORD_SPAN)]).await?
        {
            tx.commit().await?;
            return Ok(Filed::Filed(row.try_get(0)?));
        }
        // Disclosure is given at once: stored answered.
        let (status, answered) = if req.kind == RequestKind::Disclosure { ("disclosed", Some(now)) } else { ("open", None) };
        let id: i64 = tx
            .query_one(
                "INSERT INTO rights_requests (case_id, via, kind, item, report_id, requested_value, note, status, answered_at, filed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                &[&case_id, &via.as_str(), &kind, &item, &req.report_id, &req.value, &req.note, &status, &answered, &now],
            )
            .await?
            .try_get(0)?;
        tx.commit().await?;
        Ok(Filed::Filed(id))
    }

    pub(in crate::db) async fn rights_requests(&self, case_id: i64) -> Result<Vec<RightsRequest>> {
        self.all(&format!("SELECT {REQUEST_COLUMNS} FROM rights_requests r WHERE r.case_id = $1 ORDER BY r.id DESC"), &[&case_id], request_row).await
    }

    pub(in crate::db) async fn centre_rights_requests(&self, scope: CentreScope, answered: i64) -> Result<Vec<CentreRequest>> {
        let mut out = Vec::new();
        for (cond, order, limit) in [("r.status = 'open'", "r.id", None), ("r.status <> 'open'", "r.answered_at DESC, r.id DESC", Some(answered))] {
            let sql = format!(
                "SELECT {REQUEST_COLUMNS}, c.name, c.name_reading FROM rights_requests r JOIN cases c ON c.id = r.case_id \
                 WHERE c.centre_id = $1 AND {cond} ORDER BY {order} LIMIT $2"
            );
            let rows = self
                .all(&sql, &[&scope.centre_id(), &limit], |r| Ok(CentreRequest { request: request_row(r)?, name: r.try_get(13)?, name_reading: r.try_get(14)? }))
                .await?;
            out.extend(rows);
        }
        Ok(out)
    }

    pub(in crate::db) async fn answer_rights_request(&self, scope: CentreScope, id: i64, staff_id: i64, answer: Answer, now: DateTime<Utc>) -> Result<Answered> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let Some(row) = tx
            .query_opt(
                "SELECT r.case_id, r.kind, r.item, r.report_id, r.status FROM rights_requests r JOIN cases c ON c.id = r.case_id \
                 WHERE r.id = $1 AND c.centre_id = $2 FOR UPDATE OF r",
                &[&id, &scope.centre_id()],
            )
            .await?
        else {
            return Ok(Answered::NotFound);
        };
        let case_id: i64 = row.try_get(0)?;
        let report: Option<Uuid> = row.try_get(3)?;
        if row.try_get::<_, &str>(4)? != "open" {
            return Ok(Answered::NotOpen);
        }
        let kind = RequestKind::parse(row.try_get(1)?).ok_or_else(|| bad("kind"))?;
        if !fits(kind, &answer) {
            return Ok(Answered::WrongKind);
        }
        let (reason, action) = match &answer {
            Answer::Corrected(value) => {
                let item = row.try_get::<_, Option<&str>>(2)?.and_then(CorrectionItem::parse).ok_or_else(|| bad("item"))?;
                let original: String = match case_column(item) {
                    Some(col) => {
                        let old: Option<String> = tx.query_one(&format!("SELECT {col}::text FROM cases WHERE id = $1 FOR UPDATE"), &[&case_id]).await?.try_get(0)?;
                        // The report rows are never changed; a profile field is, its former
                        // value kept beside it.
                        let ty = if item == CorrectionItem::DateOfBirth { "date" } else { "text" };
                        tx.execute(&format!("UPDATE cases SET {col} = $2::text::{ty} WHERE id = $1"), &[&case_id, value]).await?;
                        old.unwrap_or_default()
                    }
                    None => {
                        let t: i16 = tx.query_one("SELECT temperature_tenths FROM reports WHERE id = $1", &[&report]).await?.try_get(0)?;
                        crate::web::celsius(u16::try_from(t).unwrap_or_default())
                    }
                };
                tx.execute(
                    "INSERT INTO corrections (request_id, case_id, item, report_id, original, corrected, staff_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    &[&id, &case_id, &item.as_str(), &report, &original, value, &staff_id, &now],
                )
                .await?;
                (None, AuditAction::CorrectData)
            }
            Answer::Refused(reason) => (Some(reason.clone()), AuditAction::RefuseRightsRequest),
            Answer::Suspended => {
                tx.execute("UPDATE cases SET suspended_at = $2 WHERE id = $1 AND suspended_at IS NULL", &[&case_id, &now]).await?;
                (None, AuditAction::SuspendUse)
            }
        };
        tx.execute(
            "UPDATE rights_requests SET status = $2, reason = $3, answered_by = $4, answered_at = $5 WHERE id = $1",
            &[&id, &answer.status().as_str(), &reason, &staff_id, &now],
        )
        .await?;
        insert_audit(&*tx, scope, staff_id, action, Some(case_id), now).await?;
        tx.commit().await?;
        Ok(Answered::Done(case_id))
    }

    pub(in crate::db) async fn report_corrections(&self, scope: CentreScope, case_ids: Vec<i64>) -> Result<Vec<(Uuid, String)>> {
        self.all(
            "SELECT k.report_id, k.corrected FROM corrections k JOIN cases c ON c.id = k.case_id \
             WHERE c.centre_id = $1 AND k.case_id = ANY($2) AND k.report_id IS NOT NULL ORDER BY k.id",
            &[&scope.centre_id(), &case_ids],
            |r| Ok((r.try_get(0)?, r.try_get(1)?)),
        )
        .await
    }

    pub(in crate::db) async fn corrections(&self, case_id: i64) -> Result<Vec<Correction>> {
        self.all("SELECT item, report_id, original, corrected, at FROM corrections WHERE case_id = $1 ORDER BY at, id", &[&case_id], |r| {
            Ok(Correction {
                item: CorrectionItem::parse(r.try_get(0)?).ok_or_else(|| bad("item"))?,
                report_id: r.try_get(1)?,
                original: r.try_get(2)?,
                corrected: r.try_get(3)?,
                at: r.try_get(4)?,
            })
        })
        .await
    }

    pub(in crate::db) async fn held_case(&self, case_id: i64) -> Result<Option<HeldCase>> {
        let sql = format!("SELECT {CASE_COLUMNS}, ce.name, c.suspended_at FROM cases c JOIN centres ce ON ce.id = c.centre_id WHERE c.id = $1");
        self.one(&sql, &[&case_id], |r| Ok(HeldCase { case: case_row(r)?, centre_name: r.try_get(17)?, suspended_at: r.try_get(18)? })).await
    }

    pub(in crate::db) async fn retention_runs(&self, limit: i64) -> Result<Vec<RetentionRun>> {
        self.all("SELECT at, cutoff, cases, reports FROM retention_runs ORDER BY id DESC LIMIT $1", &[&limit], |r| {
            Ok(RetentionRun {
                at: r.try_get(0)?,
                cutoff: r.try_get(1)?,
                erased: Erased { cases: r.try_get::<_, i64>(2)?.try_into().unwrap_or(0), reports: r.try_get::<_, i64>(3)?.try_into().unwrap_or(0) },
            })
        })
        .await
    }

    pub(in crate::db) async fn erase_ended(&self, cutoff: NaiveDate, now: DateTime<Utc>) -> Result<Erased> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let statements = erase_sql(Dialect::Postgres);
        let last = statements.len() - 1;
        let mut erased = Erased::default();
        for (i, sql) in statements.iter().enumerate() {
            let n = if i == last { tx.execute(sql.as_str(), &[&cutoff, &now]).await? } else { tx.execute(sql.as_str(), &[&cutoff]).await? };
            if i == last - 1 {
                erased.reports = n;
            } else if i == last {
                erased.cases = n;
            }
        }
        tx.execute(
            "INSERT INTO retention_runs (at, cutoff, cases, reports) VALUES ($1, $2, $3, $4)",
            &[&now, &cutoff, &(erased.cases as i64), &(erased.reports as i64)],
        )
        .await?;
        tx.commit().await?;
        Ok(erased)
    }
}
