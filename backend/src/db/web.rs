//! Data-layer types and operations behind the health-centre pages: the today board,
//! case search, phone contacts, handling of urgent reports, transfers between centres,
//! the access audit and the CSV exports. Like every case query, each takes the
//! [`CentreScope`] of the staff member asking.
//!
//! The board's day is the day in Japan on which the server received a report, never
//! the phone's own date or clock. A "call now" report keeps its case on the urgent
//! list until staff handle it: a contact that reached the person, or a note. Each
//! handling covers exactly the reports that were stored and shown when staff acted.

use super::{Centre, CentreScope, Db, Observation, StoredReport};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use protocol::{AdviceLevel, Kind, Temperature};

/// How far ahead of the server's clock a phone's `recorded_at` may be before the report
/// is flagged: phones' clocks drift by seconds, rarely by minutes.
pub const CLOCK_AHEAD_TOLERANCE_MINUTES: i64 = 5;

impl StoredReport {
    /// The phone's clock was ahead when it saved this report: its date is later than
    /// the day in Japan when the server received it, or its time is more than
    /// [`CLOCK_AHEAD_TOLERANCE_MINUTES`] ahead of the receipt. Kept and shown; the server
    /// orders and dates reports by receipt, so such a report hides nothing.
    pub fn clock_ahead(&self) -> bool {
        self.local_date > crate::web::today(self.received_at)
            || self.recorded_at > self.received_at + chrono::Duration::minutes(CLOCK_AHEAD_TOLERANCE_MINUTES)
    }
}

/// Counts of the today board, over the centre's cases under observation today.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BoardCounts {
    /// Cases under observation today.
    pub observed: i64,
    /// With a report for today.
    pub reported: i64,
    /// A report received today has a fever (≥ 37.5 °C).
    pub fever: i64,
    /// Cases still under observation with a "call now" report not yet handled.
    pub urgent: i64,
    /// When the oldest of those reports was received.
    pub urgent_oldest: Option<DateTime<Utc>>,
    /// When the centre last received a report from anyone.
    pub latest_received_at: Option<DateTime<Utc>>,
}

impl BoardCounts {
    /// Under observation without a report for today (未入力).
    pub fn unreported(&self) -> i64 {
        self.observed - self.reported
    }
}

/// Which cases a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseStatus {
    /// Every case of the centre, closed ones too.
    All,
    /// Under observation today and reported today.
    Reported,
    /// Under observation today and not reported today.
    Unreported,
    /// A fever in a report received today.
    Fever,
    /// A "call now" report not yet handled (received today, or earlier and still
    /// waiting).
    Urgent,
    /// Observation ended.
    Closed,
}

impl CaseStatus {
    /// Every status, in the order of the filter menu.
    pub const ALL: [CaseStatus; 6] =
        [CaseStatus::All, CaseStatus::Urgent, CaseStatus::Unreported, CaseStatus::Fever, CaseStatus::Reported, CaseStatus::Closed];

    /// Form value.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::All => "all",
            CaseStatus::Reported => "reported",
            CaseStatus::Unreported => "unreported",
            CaseStatus::Fever => "fever",
            CaseStatus::Urgent => "urgent",
            CaseStatus::Closed => "closed",
        }
    }

    /// From the form value.
    pub fn parse(s: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What to search for.
#[derive(Debug, Clone)]
pub enum CaseSearch {
    /// Nothing: every case.
    Any,
    /// Part of the name or its reading (spaces removed).
    Name(String),
    /// Digits: part of the phone number, or the smartphone input ID.
    Digits(String),
}

/// A page of a case list.
#[derive(Debug, Clone)]
pub struct CaseQuery {
    /// Text search.
    pub search: CaseSearch,
    /// Status filter.
    pub status: CaseStatus,
    /// The day the status is about.
    pub today: NaiveDate,
    /// Rows wanted.
    pub limit: i64,
    /// Rows skipped.
    pub offset: i64,
}

/// One line of a case list, with the case's latest report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    /// Case id.
    pub id: i64,
    /// Full name.
    pub name: String,
    /// Reading.
    pub name_reading: String,
    /// Phone, digits only.
    pub phone: String,
    /// Kind of person.
    pub kind: Kind,
    /// App or phone call.
    pub observation: Observation,
    /// Smartphone input ID.
    pub input_id: String,
    /// First day of observation.
    pub period_start: NaiveDate,
    /// Last day of observation.
    pub period_end: NaiveDate,
    /// Still under observation.
    pub active: bool,
    /// The latest report received, if any.
    pub last: Option<LastReport>,
    /// The day in Japan of the latest fever report received, and the highest
    /// temperature received that day.
    pub fever: Option<(NaiveDate, Temperature)>,
    /// When the oldest "call now" report not yet handled was received.
    pub urgent_since: Option<DateTime<Utc>>,
    /// Its use is suspended at the person's request (only the urgent list shows it).
    pub suspended: bool,
}

/// The latest report a case's phone sent, by the time the server received it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastReport {
    /// Day it is for, by the phone.
    pub local_date: NaiveDate,
    /// Saved on the phone at.
    pub recorded_at: DateTime<Utc>,
    /// Received at.
    pub received_at: DateTime<Utc>,
    /// The day in Japan it was received: the board's day.
    pub received_on: NaiveDate,
    /// Temperature.
    pub temperature: Temperature,
    /// Triage.
    pub advice: AdviceLevel,
}

/// How staff handled a "call now" report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (staff name).
    pub staff_name: String,
    /// The note (of the contact, when a contact handled it).
    pub note: String,
    /// A contact that reached the person handled it (otherwise a note alone).
    pub by_contact: bool,
}

/// A stored report with how it was handled, for staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportEntry {
    /// The report.
    pub report: StoredReport,
    /// Set when it is a "call now" report that staff have handled.
    pub handled: Option<Handled>,
}

impl ReportEntry {
    /// A "call now" report nobody has handled yet.
    pub fn waiting(&self) -> bool {
        self.report.advice == AdviceLevel::CallNow && self.handled.is_none()
    }
}

/// What marking a case's urgent reports as handled did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandleOutcome {
    /// This many reports are now handled.
    Handled(usize),
    /// No urgent report of the case was waiting (up to what the staff member saw).
    NothingWaiting,
    /// The case is not the scope's.
    NotFound,
}

/// Outcome of a phone contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactOutcome {
    /// Talked with the person.
    Reached,
    /// Nobody answered.
    NoAnswer,
    /// Left a message.
    LeftMessage,
    /// Anything else (see the note).
    Other,
}

impl ContactOutcome {
    /// Every outcome, in menu order.
    pub const ALL: [ContactOutcome; 4] = [ContactOutcome::Reached, ContactOutcome::NoAnswer, ContactOutcome::LeftMessage, ContactOutcome::Other];

    /// Stored and form value.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactOutcome::Reached => "reached",
            ContactOutcome::NoAnswer => "no_answer",
            ContactOutcome::LeftMessage => "left_message",
            ContactOutcome::Other => "other",
        }
    }

    /// From the stored or form value.
    pub fn parse(s: &str) -> Option<ContactOutcome> {
        ContactOutcome::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A phone contact to log.
#[derive(Debug, Clone)]
pub struct NewContact {
    /// Outcome.
    pub outcome: ContactOutcome,
    /// Free note.
    pub note: String,
    /// Receipt time of the newest report the staff member was shown (all stored ones
    /// when `None`): a contact that reached the person handles the waiting urgent
    /// reports up to it.
    pub seen: Option<DateTime<Utc>>,
}

/// A logged phone contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// When.
    pub at: DateTime<Utc>,
    /// Who called (staff name).
    pub staff_name: String,
    /// Outcome.
    pub outcome: ContactOutcome,
    /// Free note.
    pub note: String,
}

/// A recorded transfer of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// When.
    pub at: DateTime<Utc>,
    /// From centre (name).
    pub from_centre: String,
    /// To centre (name).
    pub to_centre: String,
    /// Who (staff name).
    pub staff_name: String,
    /// Why.
    pub reason: String,
}

/// Result of a transfer request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferOutcome {
    /// Moved.
    Done,
    /// The case is not the scope's.
    NotFound,
    /// No such target centre, or it is the scope's own.
    BadTarget,
}

/// What a staff member did with personal data (audit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// Opened the today board (names of the centre's cases).
    ViewBoard,
    /// Listed or searched cases.
    ViewCases,
    /// Opened a person's page.
    ViewCase,
    /// Opened a leaflet.
    ViewLeaflet,
    /// Read a case or its reports through the API.
    ApiReadCase,
    /// Registered a case.
    CreateCase,
    /// Logged a phone contact.
    AddContact,
    /// Transferred a case.
    TransferCase,
    /// Downloaded the cases CSV.
    ExportCases,
    /// Downloaded the reports CSV.
    ExportReports,
    /// Ended a case's observation.
    CloseCase,
    /// Handled a case's urgent reports.
    HandleUrgent,
    /// Changed a case's automated-call enrolment (app or phone, number, language).
    ChangeCallEnrolment,
    /// Started an automated-call round now.
    StartCallRound,
    /// Changed the centre's automated-call settings.
    ChangeCallSettings,
    /// Listed the outbreak notifications clinics filed to the centre.
    ViewNotifications,
    /// Opened an outbreak notification (with its possible duplicates).
    ViewNotification,
    /// Accepted an outbreak notification as a case.
    AcceptNotification,
    /// Marked an outbreak notification a duplicate of a case.
    MarkDuplicate,
    /// Read the centre's statistics.
    ViewStats,
    /// Registered a medical institution or a municipality of the jurisdiction.
    RegisterInstitution,
    /// Downloaded a case or a notification as FHIR.
    ExportFhir,
    /// Downloaded the centre's bulk FHIR export.
    ExportFhirCentre,
    /// Listed the centre's requests about people's data (開示・訂正・利用停止).
    ViewRightsRequests,
    /// Corrected a person's data at their request (the original kept beside).
    CorrectData,
    /// Refused a person's request about their data.
    RefuseRightsRequest,
    /// Suspended the use of a person's data at their request.
    SuspendUse,
}

impl AuditAction {
    /// Every action.
    pub const ALL: [AuditAction; 27] = [
        AuditAction::ViewBoard,
        AuditAction::ViewCases,
        AuditAction::ViewCase,
        AuditAction::ViewLeaflet,
        AuditAction::ApiReadCase,
        AuditAction::CreateCase,
        AuditAction::AddContact,
        AuditAction::TransferCase,
        AuditAction::ExportCases,
        AuditAction::ExportReports,
        AuditAction::CloseCase,
        AuditAction::HandleUrgent,
        AuditAction::ChangeCallEnrolment,
        AuditAction::StartCallRound,
        AuditAction::ChangeCallSettings,
        AuditAction::ViewNotifications,
        AuditAction::ViewNotification,
        AuditAction::AcceptNotification,
        AuditAction::MarkDuplicate,
        AuditAction::ViewStats,
        AuditAction::RegisterInstitution,
        AuditAction::ExportFhir,
        AuditAction::ExportFhirCentre,
        AuditAction::ViewRightsRequests,
        AuditAction::CorrectData,
        AuditAction::RefuseRightsRequest,
        AuditAction::SuspendUse,
    ];

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::ViewBoard => "view_board",
            AuditAction::ViewCases => "view_cases",
            AuditAction::ViewCase => "view_case",
            AuditAction::ViewLeaflet => "view_leaflet",
            AuditAction::ApiReadCase => "api_read_case",
            AuditAction::CreateCase => "create_case",
            AuditAction::AddContact => "add_contact",
            AuditAction::TransferCase => "transfer_case",
            AuditAction::ExportCases => "export_cases",
            AuditAction::ExportReports => "export_reports",
            AuditAction::CloseCase => "close_case",
            AuditAction::HandleUrgent => "handle_urgent",
            AuditAction::ChangeCallEnrolment => "change_call_enrolment",
            AuditAction::StartCallRound => "start_call_round",
            AuditAction::ChangeCallSettings => "change_call_settings",
            AuditAction::ViewNotifications => "view_notifications",
            AuditAction::ViewNotification => "view_notification",
            AuditAction::AcceptNotification => "accept_notification",
            AuditAction::MarkDuplicate => "mark_duplicate",
            AuditAction::ViewStats => "view_stats",
            AuditAction::RegisterInstitution => "register_institution",
            AuditAction::ExportFhir => "export_fhir",
            AuditAction::ExportFhirCentre => "export_fhir_centre",
            AuditAction::ViewRightsRequests => "view_rights_requests",
            AuditAction::CorrectData => "correct_data",
            AuditAction::RefuseRightsRequest => "refuse_rights_request",
            AuditAction::SuspendUse => "suspend_use",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One audit record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Staff name.
    pub staff_name: String,
    /// Staff login e-mail.
    pub staff_email: String,
    /// What.
    pub action: AuditAction,
    /// Whose case, if one.
    pub case_id: Option<i64>,
}

/// The signed-in staff member and their centre, for page headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffHeader {
    /// Staff name.
    pub staff_name: String,
    /// Their centre.
    pub centre: Centre,
    /// The centre's cases with a "call now" report not yet handled.
    pub urgent: i64,
    /// When the oldest of those reports was received.
    pub urgent_oldest: Option<DateTime<Utc>>,
}

/// A report with the input ID of its case, for the reports CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    /// The case's smartphone input ID.
    pub input_id: String,
    /// The report, with how it was handled.
    pub entry: ReportEntry,
}

impl Db {
    /// Counts of the today board.
    pub async fn board_counts(&self, scope: CentreScope, today: NaiveDate) -> Result<BoardCounts> {
        dispatch!(self, s => s.board_counts(scope, today).await)
    }

    /// A page of the scope's cases.
    pub async fn case_summaries(&self, scope: CentreScope, q: CaseQuery) -> Result<Vec<CaseSummary>> {
        dispatch!(self, s => s.case_summaries(scope, q).await)
    }

    /// The signed-in staff member's name and centre.
    pub async fn staff_header(&self, scope: CentreScope, staff_id: i64) -> Result<Option<StaffHeader>> {
        dispatch!(self, s => s.staff_header(scope, staff_id).await)
    }

    /// Every centre (the transfer menu).
    pub async fn centres(&self) -> Result<Vec<Centre>> {
        dispatch!(self, s => s.centres().await)
    }

    /// Phone contacts of a case of the scope, oldest first.
    pub async fn contacts(&self, scope: CentreScope, case_id: i64) -> Result<Vec<Contact>> {
        dispatch!(self, s => s.contacts(scope, case_id).await)
    }

    /// Logs a phone contact; `None` if the case is not the scope's. A contact that
    /// reached the person also handles the case's waiting "call now" reports received
    /// up to what the staff member was shown, in the same transaction; the answer says
    /// how many.
    pub async fn add_contact(&self, scope: CentreScope, case_id: i64, staff_id: i64, contact: NewContact, now: DateTime<Utc>) -> Result<Option<usize>> {
        dispatch!(self, s => s.add_contact(scope, case_id, staff_id, contact, now).await)
    }

    /// Marks the case's waiting "call now" reports received up to `seen` (all stored
    /// ones when `None`) as handled, with a note, and audits it in the same transaction.
    pub async fn mark_handled(&self, scope: CentreScope, case_id: i64, staff_id: i64, note: String, seen: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Result<HandleOutcome> {
        dispatch!(self, s => s.mark_handled(scope, case_id, staff_id, note, seen, now).await)
    }

    /// What the board shows of some of the scope's cases: every report received since
    /// `since`, and every "call now" report still waiting, oldest first.
    pub async fn board_reports(&self, scope: CentreScope, case_ids: Vec<i64>, since: DateTime<Utc>) -> Result<Vec<ReportEntry>> {
        if case_ids.is_empty() {
            return Ok(Vec::new());
        }
        dispatch!(self, s => s.board_reports(scope, case_ids, since).await)
    }

    /// Transfers of a case of the scope, oldest first.
    pub async fn transfers(&self, scope: CentreScope, case_id: i64) -> Result<Vec<Transfer>> {
        dispatch!(self, s => s.transfers(scope, case_id).await)
    }

    /// Moves a case of the scope, with its history, to another centre, and records it
    /// (transfer row and audit row) in the same transaction.
    pub async fn transfer_case(&self, scope: CentreScope, case_id: i64, to_centre: i64, staff_id: i64, reason: String, now: DateTime<Utc>) -> Result<TransferOutcome> {
        dispatch!(self, s => s.transfer_case(scope, case_id, to_centre, staff_id, reason, now).await)
    }

    /// Records an access.
    pub async fn audit(&self, scope: CentreScope, staff_id: i64, action: AuditAction, case_id: Option<i64>, now: DateTime<Utc>) -> Result<()> {
        dispatch!(self, s => s.audit(scope, staff_id, action, case_id, now).await)
    }

    /// The scope's audit records, newest first.
    pub async fn audit_log(&self, scope: CentreScope, limit: i64, offset: i64) -> Result<Vec<AuditEntry>> {
        dispatch!(self, s => s.audit_log(scope, limit, offset).await)
    }

    /// Every report of the scope's cases, by case and day.
    pub async fn export_reports(&self, scope: CentreScope) -> Result<Vec<ExportReport>> {
        dispatch!(self, s => s.export_reports(scope).await)
    }
}

/// A query parameter of a case list, bound by each store in its own way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Param {
    /// Text.
    Text(String),
    /// A day.
    Date(NaiveDate),
}

/// How the two databases spell placeholders and booleans.
#[derive(Debug, Clone, Copy)]
pub(super) enum Dialect {
    /// `?N`, `1`.
    Sqlite,
    /// `$N`, `TRUE`.
    Postgres,
}

/// `WHERE … ORDER BY … LIMIT … OFFSET …` of a case list, written once for both
/// databases. `$1`/`?1` is the centre id; the returned parameters follow it.
pub(super) fn case_list_clause(q: &CaseQuery, d: Dialect) -> (String, Vec<Param>) {
    let mut params = Vec::new();
    let mut ph = |p: Param| {
        params.push(p);
        match d {
            Dialect::Sqlite => format!("?{}", params.len() + 1),
            Dialect::Postgres => format!("${}", params.len() + 1),
        }
    };
    let (yes, no) = match d {
        Dialect::Sqlite => ("1", "0"),
        Dialect::Postgres => ("TRUE", "FALSE"),
    };
    let mut sql = String::from("c.centre_id = ") + if matches!(d, Dialect::Sqlite) { "?1" } else { "$1" };
    // A suspended case is out of every list but the urgent one: an unhandled "call
    // now" report is shown whatever the case's state (marked there).
    if q.status != CaseStatus::Urgent {
        sql += concat!(" AND ", crate::db::rights::in_use!("c"));
    }
    match q.status {
        CaseStatus::All => {}
        CaseStatus::Closed => sql += &format!(" AND c.active = {no}"),
        // Urgent until handled, whatever day it was received and whatever came after.
        CaseStatus::Urgent => sql += &format!(" AND c.active = {yes} AND c.urgent_since IS NOT NULL"),
        CaseStatus::Reported | CaseStatus::Unreported | CaseStatus::Fever => {
            let t = ph(Param::Date(q.today));
            sql += &format!(" AND c.active = {yes} AND c.period_end >= {t} AND c.period_start <= {t}");
            sql += &match q.status {
                CaseStatus::Reported => format!(" AND c.last_received_on = {t}"),
                CaseStatus::Unreported => format!(" AND (c.last_received_on IS NULL OR c.last_received_on <> {t})"),
                _ => format!(" AND c.last_received_on = {t} AND c.fever_on = {t}"),
            };
        }
    }
    match &q.search {
        CaseSearch::Any => {}
        CaseSearch::Name(name) => {
            let p = ph(Param::Text(format!("%{}%", like_escape(name))));
            sql += &format!(
                " AND (replace(replace(c.name, ' ', ''), '　', '') LIKE {p} ESCAPE '\\' \
                 OR replace(replace(c.name_reading, ' ', ''), '　', '') LIKE {p} ESCAPE '\\')"
            );
        }
        CaseSearch::Digits(digits) => {
            let p = ph(Param::Text(format!("%{}%", like_escape(digits))));
            let exact = ph(Param::Text(digits.clone()));
            sql += &format!(" AND (c.phone LIKE {p} ESCAPE '\\' OR c.input_id = {exact})");
        }
    }
    sql += match q.status {
        // Never reported first, then the longest silent: who to phone first. Spelt so
        // that both databases read it in the order of `cases_board_silent`.
        CaseStatus::Unreported => " ORDER BY c.last_received_at NULLS FIRST, c.id",
        CaseStatus::Reported | CaseStatus::Fever => " ORDER BY c.last_received_at DESC, c.id",
        // The longest waiting first, in the order of `cases_urgent`.
        CaseStatus::Urgent => " ORDER BY c.urgent_since, c.id",
        CaseStatus::All | CaseStatus::Closed => " ORDER BY c.id DESC",
    };
    sql += &format!(" LIMIT {} OFFSET {}", q.limit.clamp(0, 100_000), q.offset.max(0));
    (sql, params)
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// Joins a report `r` to the handling that covered it, if any (`hr`, `h`, `s`).
pub(super) const HANDLED_JOIN: &str = "LEFT JOIN handled_reports hr ON hr.report_id = r.id \
     LEFT JOIN handlings h ON h.id = hr.handling_id LEFT JOIN staff s ON s.id = h.staff_id";

/// Columns of a [`Handled`] after the report's, from [`HANDLED_JOIN`].
pub(super) const HANDLED_COLUMNS: &str = "h.at, s.name, h.note, h.contact_id IS NOT NULL";

/// The waiting "call now" reports of case `{case}` received up to `{seen}` (placeholders
/// filled in by each store).
pub(super) fn waiting_reports(case: &str, seen: &str) -> String {
    format!(
        "FROM reports r WHERE r.case_id = {case} AND r.advice = 'call_now' AND r.received_at <= {seen} \
         AND NOT EXISTS (SELECT 1 FROM handled_reports x WHERE x.report_id = r.id)"
    )
}

/// Columns of a [`CaseSummary`], in the order the stores read them.
pub(super) const SUMMARY_COLUMNS: &str = "c.id, c.name, c.name_reading, c.phone, c.kind, c.observation, c.input_id, \
     c.period_start, c.period_end, c.active, c.last_local_date, c.last_recorded_at, c.last_received_at, \
     c.last_temperature_tenths, c.last_advice, c.last_received_on, c.fever_on, c.fever_tenths, c.urgent_since, \
     c.suspended_at IS NOT NULL";
