//! The outbox's upload states. A row is `pending` until the server has committed its
//! report — then it is removed and the report is recorded in `sent`, in one
//! transaction — or until the server refuses the report, when it stays as `failed`
//! with the server's reason. Reports themselves are never touched.

use super::reports::{COLUMNS, FROM, ReportRow, read_row};
use crate::error::Result;
use crate::model::OWNER;
use rusqlite::{Connection, Transaction, params};

/// A report the server refused, as kept on the phone.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FailedRow {
    pub report: ReportRow,
    pub reason_code: String,
    pub reason_text: String,
    pub failed_at: String,
}

/// Whose reports are uploaded: the phone's owner and the linked household members.
const SENT_FOR: &str = "(r.person_id = ?1 OR r.person_id IN (SELECT person_id FROM household WHERE unlinked_at IS NULL))";

/// The oldest `limit` reports of the phone's owner and its linked household members
/// that wait to be sent, in the order they were saved.
pub(crate) fn next_batch(conn: &Connection, limit: usize) -> Result<Vec<ReportRow>> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE o.state = 'pending' AND {SENT_FOR} ORDER BY r.seq LIMIT ?2");
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st.query_map(params![OWNER, limit as i64], read_row)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row??);
    }
    Ok(out)
}

/// Marks pending reports of people who are neither the owner nor a linked household
/// member as failed: the server has no case to put them on, so they stay on this phone
/// (linking the member queues them again). Returns how many.
pub(crate) fn keep_household_local(tx: &Transaction<'_>, code: &str, text: &str, now: &str) -> Result<usize> {
    Ok(tx.execute(
        &format!(
            "UPDATE outbox SET state = 'failed', reason_code = ?2, reason_text = ?3, last_attempt_at = ?4
             WHERE state = 'pending' AND report_id IN (SELECT r.id FROM reports r WHERE NOT {SENT_FOR})"
        ),
        params![OWNER, code, text, now],
    )?)
}

/// Queues again the reports of `person_id` kept because the member was not linked
/// (here, `code`, or on the server, `unknown_person`): the member is linked again.
/// Returns how many.
pub(crate) fn requeue_person(tx: &Transaction<'_>, person_id: &str, code: &str) -> Result<usize> {
    Ok(tx.execute(
        "UPDATE outbox SET state = 'pending', reason_code = NULL, reason_text = NULL
         WHERE state = 'failed' AND reason_code IN (?2, 'unknown_person') AND report_id IN (SELECT id FROM reports WHERE person_id = ?1)",
        params![person_id, code],
    )?)
}

/// Counts one more upload attempt of `id`.
pub(crate) fn note_attempt(tx: &Transaction<'_>, id: &str, now: &str) -> Result<()> {
    tx.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?2 WHERE report_id = ?1",
        params![id, now],
    )?;
    Ok(())
}

/// The server committed `id`: its outbox row goes and `sent` records the server's
/// advice. Returns whether an outbox row was there.
pub(crate) fn mark_accepted(tx: &Transaction<'_>, id: &str, advice: &str, now: &str) -> Result<bool> {
    tx.execute(
        "INSERT INTO sent (report_id, advice, accepted_at) VALUES (?1, ?2, ?3) ON CONFLICT (report_id) DO NOTHING",
        params![id, advice, now],
    )?;
    Ok(tx.execute("DELETE FROM outbox WHERE report_id = ?1", params![id])? == 1)
}

/// The server refused `id` (or holds another report under its id): it stays, failed.
pub(crate) fn mark_failed(tx: &Transaction<'_>, id: &str, code: &str, text: &str, now: &str) -> Result<()> {
    tx.execute(
        "UPDATE outbox SET state = 'failed', reason_code = ?2, reason_text = ?3, last_attempt_at = ?4
         WHERE report_id = ?1",
        params![id, code, text, now],
    )?;
    Ok(())
}

/// Puts every failed report back in the queue. Returns how many.
pub(crate) fn requeue_failed(tx: &Transaction<'_>) -> Result<usize> {
    Ok(tx.execute(
        "UPDATE outbox SET state = 'pending', reason_code = NULL, reason_text = NULL WHERE state = 'failed'",
        [],
    )?)
}

/// The number of failed reports.
pub(crate) fn failed_count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row("SELECT count(*) FROM outbox WHERE state = 'failed'", [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The failed reports, oldest first.
pub(crate) fn failed(conn: &Connection) -> Result<Vec<FailedRow>> {
    let sql = format!(
        "SELECT {COLUMNS}, coalesce(o.reason_code, ''), coalesce(o.reason_text, ''), coalesce(o.last_attempt_at, '')
         {FROM} WHERE o.state = 'failed' ORDER BY r.seq"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st.query_map([], |row| {
        let extra: (String, String, String) = (row.get(10)?, row.get(11)?, row.get(12)?);
        read_row(row).map(|r| (r, extra))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (report, (reason_code, reason_text, failed_at)) = row?;
        out.push(FailedRow { report: report?, reason_code, reason_text, failed_at });
    }
    Ok(out)
}

/// The advice the server stored for `id`, once it has committed the report.
#[cfg(test)]
pub(crate) fn sent_advice(conn: &Connection, id: &str) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    Ok(conn.query_row("SELECT advice FROM sent WHERE report_id = ?1", params![id], |r| r.get(0)).optional()?)
}
