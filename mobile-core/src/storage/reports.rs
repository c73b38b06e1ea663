//! Reports and their outbox rows. A report is inserted together with its outbox row in
//! the caller's transaction; reports are never updated or deleted (the schema's
//! triggers refuse it), and the latest report of a day is that day's report.

use crate::error::{Error, Result};
use crate::model::ValidReport;
use chrono::NaiveDate;
use protocol::{AdviceLevel, Answers, DailyReport, Kind, Temperature};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

/// A report as stored.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ReportRow {
    pub id: String,
    pub person_id: String,
    pub local_date: NaiveDate,
    pub recorded_at: String,
    pub report: DailyReport,
    pub level: AdviceLevel,
    /// Waiting in the outbox to be sent.
    pub pending: bool,
    /// Kept in the outbox after the server refused it.
    pub failed: bool,
}

/// A report's columns; the temperature as the health centre corrected it, if it did
/// (only a report the server holds can be corrected, so the outbox never sends one).
pub(crate) const COLUMNS: &str = "r.id, r.person_id, r.local_date, r.recorded_at, r.kind, coalesce(k.tenths, r.temperature_tenths),
     r.answers, r.advice_level, coalesce(o.state = 'pending', 0) AS pending, coalesce(o.state = 'failed', 0) AS failed";
pub(crate) const FROM: &str =
    "FROM reports r LEFT JOIN outbox o ON o.report_id = r.id LEFT JOIN corrected_temperatures k ON k.report_id = r.id";

/// Records temperatures the health centre corrected (`(report id, tenths)`), for the
/// reports this phone holds; a later answer replaces an earlier one.
pub(crate) fn record_corrections(tx: &Transaction<'_>, corrections: &[(String, i64)], at: &str) -> Result<()> {
    let mut st = tx.prepare_cached(
        "INSERT INTO corrected_temperatures (report_id, tenths, at) SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM reports WHERE id = ?1)
         ON CONFLICT (report_id) DO UPDATE SET tenths = excluded.tenths, at = excluded.at",
    )?;
    for (id, tenths) in corrections {
        st.execute(params![id, tenths, at])?;
    }
    Ok(())
}

/// Inserts a report and its outbox row. Must run inside the transaction that commits
/// both or neither.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    id: &str,
    report: &ValidReport,
    recorded_at: &str,
    level: AdviceLevel,
) -> Result<()> {
    let r = &report.report;
    tx.execute(
        "INSERT INTO reports (id, person_id, local_date, recorded_at, kind, temperature_tenths, answers, advice_level)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            report.person_id,
            report.local_date.to_string(),
            recorded_at,
            r.kind.as_str(),
            r.temperature.tenths(),
            r.answers.to_digits(),
            level.as_str(),
        ],
    )?;
    tx.execute("INSERT INTO outbox (report_id, enqueued_at) VALUES (?1, ?2)", params![id, recorded_at])?;
    Ok(())
}

/// The effective (latest) report of `person_id` on `date`.
pub(crate) fn latest_of_day(conn: &Connection, person_id: &str, date: NaiveDate) -> Result<Option<ReportRow>> {
    let sql = format!("SELECT {COLUMNS} {FROM} WHERE r.person_id = ?1 AND r.local_date = ?2 ORDER BY r.seq DESC LIMIT 1");
    conn.query_row(&sql, params![person_id, date.to_string()], read_row).optional()?.transpose()
}

/// For each day in `from..=to` that has reports: the latest report and the number of
/// reports that day, in date order.
pub(crate) fn latest_per_day(
    conn: &Connection,
    person_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(ReportRow, u32)>> {
    let sql = format!(
        "SELECT {COLUMNS}, d.n {FROM}
         JOIN (SELECT local_date, max(seq) AS last, count(*) AS n FROM reports
               WHERE person_id = ?1 AND local_date BETWEEN ?2 AND ?3 GROUP BY local_date) d
           ON r.seq = d.last
         ORDER BY r.local_date"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st.query_map(params![person_id, from.to_string(), to.to_string()], |row| {
        let n: u32 = row.get(10)?;
        read_row(row).map(|r| (r, n))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (r, n) = row?;
        out.push((r?, n));
    }
    Ok(out)
}

/// The number of reports waiting to be sent (not counting those the server refused).
pub(crate) fn pending_count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row("SELECT count(*) FROM outbox WHERE state = 'pending'", [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// How many of `person_id`'s reports wait to be sent, and how many are kept as failed.
pub(crate) fn person_queue(conn: &Connection, person_id: &str) -> Result<(u64, u64)> {
    let (pending, failed): (i64, i64) = conn.query_row(
        "SELECT coalesce(sum(o.state = 'pending'), 0), coalesce(sum(o.state = 'failed'), 0)
         FROM outbox o JOIN reports r ON r.id = o.report_id WHERE r.person_id = ?1",
        [person_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((u64::try_from(pending).unwrap_or(0), u64::try_from(failed).unwrap_or(0)))
}

/// Reads one row of [`COLUMNS`]; a value the rules refuse means the file was altered
/// outside the app.
pub(crate) fn read_row(row: &Row<'_>) -> rusqlite::Result<Result<ReportRow>> {
    let date: String = row.get(2)?;
    let kind: String = row.get(4)?;
    let tenths: i64 = row.get(5)?;
    let answers: String = row.get(6)?;
    let level: String = row.get(7)?;
    let parsed = (|| {
        let report = DailyReport {
            kind: Kind::parse(&kind)?,
            temperature: Temperature::from_tenths(tenths).ok()?,
            answers: Answers::parse(&answers).ok()?,
        };
        Some((NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok()?, report, AdviceLevel::parse(&level)?))
    })();
    let Some((local_date, report, level)) = parsed else {
        return Ok(Err(Error::Corrupt));
    };
    Ok(Ok(ReportRow {
        id: row.get(0)?,
        person_id: row.get(1)?,
        local_date,
        recorded_at: row.get(3)?,
        report,
        level,
        pending: row.get(8)?,
        failed: row.get(9)?,
    }))
}
