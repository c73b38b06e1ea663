//! Data-layer types and operations of the person's rights (開示・訂正・利用停止) and of
//! retention: requests and their answers, corrections recorded beside the original,
//! suspension of use, and the removal of personal data long after observation ended.
//! Each operation is one SQL per database (`sqlite/rights.rs`, `postgres/rights.rs`).

use super::{CaseRecord, CentreScope, Db};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use protocol::rights::{CorrectionItem, RequestKind, RequestStatus};
use uuid::Uuid;

/// The one condition of a case whose data is in use: not suspended at the person's
/// request. The board, every case list, the CSV exports, the statistics and the
/// automated call add it to their `WHERE`; the indexes they read are partial on it
/// (migration 0008), so a query that names one of them by `INDEXED BY` must say it.
/// `in_use!()` for an unqualified column, `in_use!("c")` for alias `c`; a literal, so
/// it fits in `concat!` and `const` SQL.
macro_rules! in_use {
    () => {
        "suspended_at IS NULL"
    };
    ($alias:literal) => {
        concat!($alias, ".suspended_at IS NULL")
    };
}
pub(crate) use in_use;

/// Where a request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The app, signed in.
    App,
    /// The public page, checked by attributes and input ID.
    Page,
}

impl Via {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Via::App => "app",
            Via::Page => "page",
        }
    }
}

/// A request to store, already checked (no `Debug`: it carries the person's values).
#[derive(Clone)]
pub struct NewRequest {
    /// Kind.
    pub kind: RequestKind,
    /// A correction's item.
    pub item: Option<CorrectionItem>,
    /// The report of a report item.
    pub report_id: Option<Uuid>,
    /// The value asked for.
    pub value: Option<String>,
    /// The person's note.
    pub note: Option<String>,
}

/// What filing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filed {
    /// Stored with this id.
    Filed(i64),
    /// The same kind (and item and report) is already waiting: nothing stored.
    AlreadyOpen(i64),
    /// The report named is not one of the case's.
    UnknownReport,
}

/// A stored request (no `Debug`: values and notes).
#[derive(Clone)]
pub struct RightsRequest {
    /// Id.
    pub id: i64,
    /// Case.
    pub case_id: i64,
    /// Where it came from (`app` or `page`).
    pub via: String,
    /// Kind.
    pub kind: RequestKind,
    /// Item.
    pub item: Option<CorrectionItem>,
    /// Report.
    pub report_id: Option<Uuid>,
    /// Value asked for.
    pub value: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Status.
    pub status: RequestStatus,
    /// Refusal reason.
    pub reason: Option<String>,
    /// Answered at.
    pub answered_at: Option<DateTime<Utc>>,
    /// Filed at.
    pub filed_at: DateTime<Utc>,
    /// The corrected value recorded for it.
    pub corrected: Option<String>,
}

/// A request on the centre's list, with whose it is.
#[derive(Clone)]
pub struct CentreRequest {
    /// The request.
    pub request: RightsRequest,
    /// The case's name.
    pub name: String,
    /// Its reading.
    pub name_reading: String,
}

/// A corrected value beside the original (no `Debug`: values).
#[derive(Clone)]
pub struct Correction {
    /// Item.
    pub item: CorrectionItem,
    /// Report of a report item.
    pub report_id: Option<Uuid>,
    /// As it was.
    pub original: String,
    /// As corrected.
    pub corrected: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// The health centre's answer, checked (no `Debug`: values).
#[derive(Clone)]
pub enum Answer {
    /// Corrected to this value (the stored form of the item).
    Corrected(String),
    /// Refused for this reason.
    Refused(String),
    /// Use suspended.
    Suspended,
}

impl Answer {
    /// The status it gives.
    pub fn status(&self) -> RequestStatus {
        match self {
            Answer::Corrected(_) => RequestStatus::Corrected,
            Answer::Refused(_) => RequestStatus::Refused,
            Answer::Suspended => RequestStatus::Suspended,
        }
    }
}

/// What answering did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answered {
    /// Answered, with the case's id.
    Done(i64),
    /// Not a request of the scope.
    NotFound,
    /// Answered already.
    NotOpen,
    /// The answer does not fit the request's kind.
    WrongKind,
}

/// The case as disclosed: its record, and when its use was suspended.
#[derive(Clone)]
pub struct HeldCase {
    /// The case.
    pub case: CaseRecord,
    /// Its centre's name.
    pub centre_name: String,
    /// Use suspended at.
    pub suspended_at: Option<DateTime<Utc>>,
}

/// What one retention run removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Erased {
    /// Cases whose personal data went.
    pub cases: u64,
    /// Their reports removed.
    pub reports: u64,
}

/// One retention run as recorded (counts only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionRun {
    /// When it ran.
    pub at: DateTime<Utc>,
    /// Cases whose observation ended before this day were due.
    pub cutoff: NaiveDate,
    /// What it removed.
    pub erased: Erased,
}

impl Db {
    /// The latest retention runs, newest first.
    pub async fn retention_runs(&self, limit: i64) -> Result<Vec<RetentionRun>> {
        dispatch!(self, s => s.retention_runs(limit).await)
    }

    /// Stores a request of case `case_id`; a disclosure is stored answered.
    pub async fn file_rights_request(&self, case_id: i64, via: Via, req: NewRequest, now: DateTime<Utc>) -> Result<Filed> {
        dispatch!(self, s => s.file_rights_request(case_id, via, req, now).await)
    }

    /// The case's requests, newest first.
    pub async fn rights_requests(&self, case_id: i64) -> Result<Vec<RightsRequest>> {
        dispatch!(self, s => s.rights_requests(case_id).await)
    }

    /// The scope's requests: every open one (oldest first), then the `answered` latest
    /// answered.
    pub async fn centre_rights_requests(&self, scope: CentreScope, answered: i64) -> Result<Vec<CentreRequest>> {
        dispatch!(self, s => s.centre_rights_requests(scope, answered).await)
    }

    /// Answers request `id` of the scope: the status, the correction row (a profile
    /// field updated, its former value kept; a report never updated), the suspension,
    /// and the audit row, in one transaction.
    pub async fn answer_rights_request(&self, scope: CentreScope, id: i64, staff_id: i64, answer: Answer, now: DateTime<Utc>) -> Result<Answered> {
        dispatch!(self, s => s.answer_rights_request(scope, id, staff_id, answer, now).await)
    }

    /// The corrected temperatures of the reports of cases `case_ids` of the scope, by
    /// report id, oldest correction first (the board shows the latest beside the
    /// original).
    pub async fn report_corrections(&self, scope: CentreScope, case_ids: Vec<i64>) -> Result<Vec<(Uuid, String)>> {
        if case_ids.is_empty() {
            return Ok(Vec::new());
        }
        dispatch!(self, s => s.report_corrections(scope, case_ids).await)
    }

    /// The case's corrections, oldest first.
    pub async fn corrections(&self, case_id: i64) -> Result<Vec<Correction>> {
        dispatch!(self, s => s.corrections(case_id).await)
    }

    /// The case as held, whatever its centre (the person's own data).
    pub async fn held_case(&self, case_id: i64) -> Result<Option<HeldCase>> {
        dispatch!(self, s => s.held_case(case_id).await)
    }

    /// Removes the personal data of cases whose observation ended before `cutoff` (and
    /// that are not erased yet): names, phone, e-mail, the day of birth (the year is
    /// kept for the statistics' age bands), the patient account, its sessions and
    /// household links, reports, handlings, contacts' notes, call logs, corrections
    /// and request texts. The case row stays with its centre, kind and period. Writes
    /// the run's row (counts only) in the same transaction.
    pub async fn erase_ended(&self, cutoff: NaiveDate, now: DateTime<Utc>) -> Result<Erased> {
        dispatch!(self, s => s.erase_ended(cutoff, now).await)
    }
}

/// The statements of one retention run, in order (the last two are the reports'
/// delete and the cases' update, whose counts the run records). Written once for both
/// databases: `p1` is the cutoff's placeholder, `p2` the time's; `dob` keeps the year
/// of a case's date of birth (a date on PostgreSQL; a notification's is text on both).
pub(super) fn erase_sql(d: super::web::Dialect) -> Vec<String> {
    use super::web::Dialect;
    let (p1, p2, dob, day, no) = match d {
        Dialect::Sqlite => ("?1", "?2", "substr(date_of_birth, 1, 4) || '-01-01'", "?1", "0"),
        Dialect::Postgres => ("$1", "$2", "date_trunc('year', date_of_birth)::date", "$1::text", "FALSE"),
    };
    let ended = format!("SELECT id FROM cases WHERE erased_at IS NULL AND period_end < {p1}");
    vec![
        format!("DELETE FROM handled_reports WHERE report_id IN (SELECT id FROM reports WHERE case_id IN ({ended}))"),
        format!("DELETE FROM handlings WHERE case_id IN ({ended})"),
        format!("DELETE FROM contacts WHERE case_id IN ({ended})"),
        format!("DELETE FROM corrections WHERE case_id IN ({ended})"),
        format!("UPDATE rights_requests SET report_id = NULL, requested_value = NULL, note = NULL, reason = NULL WHERE case_id IN ({ended})"),
        format!("DELETE FROM call_attempts WHERE case_id IN ({ended})"),
        format!("DELETE FROM call_enrolments WHERE case_id IN ({ended})"),
        format!("UPDATE transfers SET reason = '' WHERE case_id IN ({ended})"),
        // A notification, accepted or never (filed before the cutoff), keeps what the
        // statistics count (day, centre, age, sex, municipality, the clinical dates and
        // categories) and loses who it was: names, phone, address, doctor, the day of
        // birth, onset, risk factors and pregnancy.
        format!(
            "UPDATE notifications SET name = '', name_reading = '', phone = '', address = '', doctor = '', \
             date_of_birth = substr(date_of_birth, 1, 4) || '-01-01', onset_date = NULL, risk_factors = '', pregnant = 0 \
             WHERE name <> '' AND (case_id IN ({ended}) OR (case_id IS NULL AND filed_on < {day}))"
        ),
        format!("DELETE FROM household WHERE case_id IN ({ended}) OR patient_id IN (SELECT id FROM patients WHERE case_id IN ({ended}))"),
        format!("DELETE FROM sessions WHERE patient_id IN (SELECT id FROM patients WHERE case_id IN ({ended}))"),
        format!("DELETE FROM patients WHERE case_id IN ({ended})"),
        format!("DELETE FROM reports WHERE case_id IN ({ended})"),
        format!(
            "UPDATE cases SET name = '', name_reading = '', phone = '', email = NULL, date_of_birth = {dob}, \
             last_temperature_tenths = NULL, fever_tenths = NULL, urgent_since = NULL, active = {no}, erased_at = {p2} \
             WHERE erased_at IS NULL AND period_end < {p1}"
        ),
    ]
}

/// Columns of a [`RightsRequest`] from `rights_requests r`, in the order the stores read
/// them.
pub(super) const REQUEST_COLUMNS: &str = "r.id, r.case_id, r.via, r.kind, r.item, r.report_id, r.requested_value, r.note, r.status, \
     r.reason, r.answered_at, r.filed_at, (SELECT k.corrected FROM corrections k WHERE k.request_id = r.id ORDER BY k.id DESC LIMIT 1)";

/// `WHERE` of an open request of the same kind, item and report as the one filed
/// (`p` the placeholders: case, kind, item, report).
pub(super) fn same_open(p: [&str; 4]) -> String {
    format!(
        "SELECT id FROM rights_requests WHERE case_id = {} AND status = 'open' AND kind = {} \
         AND item IS NOT DISTINCT FROM {} AND report_id IS NOT DISTINCT FROM {} LIMIT 1",
        p[0], p[1], p[2], p[3]
    )
}

/// How long one recorded disclosure stands for every view of it: a person reading
/// their data again within a day adds no second record.
pub const DISCLOSURE_RECORD_SPAN: chrono::Duration = chrono::Duration::days(1);

/// A disclosure recorded for the case since a time (`p` the placeholders: case, since).
pub(super) fn recent_disclosure(p: [&str; 2]) -> String {
    format!("SELECT id FROM rights_requests WHERE case_id = {} AND kind = 'disclosure' AND filed_at > {} ORDER BY id DESC LIMIT 1", p[0], p[1])
}

/// The column of `cases` a profile item is stored in.
pub(super) fn case_column(item: CorrectionItem) -> Option<&'static str> {
    match item {
        CorrectionItem::Name => Some("name"),
        CorrectionItem::NameReading => Some("name_reading"),
        CorrectionItem::DateOfBirth => Some("date_of_birth"),
        CorrectionItem::Phone => Some("phone"),
        CorrectionItem::Email => Some("email"),
        CorrectionItem::Temperature => None,
    }
}

/// Which answer fits which kind: a correction is corrected or refused, a suspension
/// suspended or refused; a disclosure is never waiting.
pub(super) fn fits(kind: RequestKind, answer: &Answer) -> bool {
    matches!(
        (kind, answer),
        (RequestKind::Correction, Answer::Corrected(_) | Answer::Refused(_)) | (RequestKind::Suspension, Answer::Suspended | Answer::Refused(_))
    )
}
