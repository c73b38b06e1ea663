//! Row mapping for the SQLite store: column lists, and conversions between SQLite's
//! values (millisecond timestamps, `YYYY-MM-DD` text, UUID text or 16-byte blobs) and
//! the data-layer types.

use super::*;
use rusqlite::Row;

pub(super) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(super) fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or(DateTime::UNIX_EPOCH)
}

pub(super) fn bad(i: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, format!("bad {what}").into())
}

pub(super) fn date(r: &Row<'_>, i: usize) -> rusqlite::Result<NaiveDate> {
    r.get::<_, String>(i)?.parse().map_err(|_| bad(i, "date"))
}

pub(super) fn kind(r: &Row<'_>, i: usize) -> rusqlite::Result<Kind> {
    Kind::parse(&r.get::<_, String>(i)?).ok_or_else(|| bad(i, "kind"))
}

pub(super) fn observation(r: &Row<'_>, i: usize) -> rusqlite::Result<Observation> {
    Observation::parse(&r.get::<_, String>(i)?).ok_or_else(|| bad(i, "observation"))
}

pub(super) fn uuid(r: &Row<'_>, i: usize) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(&r.get::<_, String>(i)?).map_err(|_| bad(i, "uuid"))
}

pub(super) fn uuid_blob(r: &Row<'_>, i: usize) -> rusqlite::Result<Uuid> {
    Uuid::from_slice(&r.get::<_, Vec<u8>>(i)?).map_err(|_| bad(i, "uuid"))
}

pub(super) const CASE_COLUMNS: &str = "c.id, c.centre_id, c.name, c.name_reading, c.date_of_birth, c.phone, c.email, c.kind, \
     c.observation, c.period_start, c.period_end, c.input_id, c.active, c.created_at, \
     EXISTS (SELECT 1 FROM patients p WHERE p.case_id = c.id), c.urgent_since, c.erased_at IS NOT NULL";

pub(super) fn case_row(r: &Row<'_>) -> rusqlite::Result<CaseRecord> {
    Ok(CaseRecord {
        id: r.get(0)?,
        centre_id: r.get(1)?,
        name: r.get(2)?,
        name_reading: r.get(3)?,
        date_of_birth: date(r, 4)?,
        phone: r.get(5)?,
        email: r.get(6)?,
        kind: kind(r, 7)?,
        observation: observation(r, 8)?,
        period_start: date(r, 9)?,
        period_end: date(r, 10)?,
        input_id: r.get(11)?,
        active: r.get(12)?,
        created_at: time(r.get(13)?),
        registered: r.get(14)?,
        urgent_since: r.get::<_, Option<i64>>(15)?.map(time),
        erased: r.get(16)?,
    })
}

/// A report whose [`REPORT_COLUMNS`] start at column `at`, followed by the
/// `HANDLED_COLUMNS` of the pages' data layer.
pub(super) fn entry_row_from(r: &Row<'_>, at: usize) -> rusqlite::Result<ReportEntry> {
    let h = at + 9;
    let handled = match r.get::<_, Option<i64>>(h)? {
        None => None,
        Some(when) => Some(Handled { at: time(when), staff_name: r.get(h + 1)?, note: r.get(h + 2)?, by_contact: r.get(h + 3)? }),
    };
    Ok(ReportEntry { report: report_row_from(r, at)?, handled })
}

pub(super) fn report_row(r: &Row<'_>) -> rusqlite::Result<StoredReport> {
    report_row_from(r, 0)
}

/// A report whose [`REPORT_COLUMNS`] start at column `at`.
pub(super) fn report_row_from(r: &Row<'_>, at: usize) -> rusqlite::Result<StoredReport> {
    Ok(StoredReport {
        id: uuid_blob(r, at)?,
        case_id: r.get(at + 1)?,
        local_date: date(r, at + 2)?,
        kind: kind(r, at + 3)?,
        temperature: Temperature::from_tenths(r.get(at + 4)?).map_err(|_| bad(at + 4, "temperature"))?,
        answers: Answers::parse(&r.get::<_, String>(at + 5)?).map_err(|_| bad(at + 5, "answers"))?,
        recorded_at: time(r.get(at + 6)?),
        advice: AdviceLevel::parse(&r.get::<_, String>(at + 7)?).ok_or_else(|| bad(at + 7, "advice"))?,
        received_at: time(r.get(at + 8)?),
    })
}

pub(super) fn registration_row(r: &Row<'_>) -> rusqlite::Result<Registration> {
    Ok(Registration {
        id: uuid(r, 0)?,
        email: r.get(1)?,
        code_hash: r.get(2)?,
        code_expires_at: time(r.get(3)?),
        tries: r.get(4)?,
        state: RegState::parse(&r.get::<_, String>(5)?),
        token_hash: r.get(6)?,
        token_expires_at: r.get::<_, Option<i64>>(7)?.map(time),
        password_hash: r.get(8)?,
        attribute_tries: r.get(9)?,
        created_at: time(r.get(10)?),
    })
}
