//! The data layer: one set of operations, implemented once for SQLite (rusqlite, the
//! default) and once for PostgreSQL (tokio-postgres), behind the [`Db`] enum.
//!
//! Every operation on cases and reports of a health centre takes a [`CentreScope`] and
//! every such query filters by its centre id, so no handler can reach another centre's
//! rows by forgetting a check. A scope exists only for an authenticated staff member.

pub mod migrate;
pub mod postgres;
pub mod sqlite;
mod sqlite_rows;

use crate::config::DatabaseUrl;
use crate::error::Result;
use crate::ingest::{Candidate, JobInput, JobOutcome};
use chrono::{DateTime, NaiveDate, Utc};
use protocol::{AdviceLevel, Answers, Kind, Temperature};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The health centre a staff member acts for. Only [`crate::auth`] and the command line
/// make one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CentreScope {
    centre_id: i64,
}

impl CentreScope {
    pub(crate) fn new(centre_id: i64) -> CentreScope {
        CentreScope { centre_id }
    }

    /// The centre's id.
    pub fn centre_id(&self) -> i64 {
        self.centre_id
    }
}

/// Staff role within a centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages the centre's staff accounts, and does everything staff do.
    Admin,
    /// Registers and watches cases.
    Staff,
}

impl Role {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "staff" => Some(Role::Staff),
            _ => None,
        }
    }
}

/// How a case is observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Observation {
    /// Reports from the smartphone app.
    App,
    /// The automated morning phone call.
    Phone,
}

impl Observation {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Observation::App => "app",
            Observation::Phone => "phone",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<Observation> {
        match s {
            "app" => Some(Observation::App),
            "phone" => Some(Observation::Phone),
            _ => None,
        }
    }
}

/// Who a bearer token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    /// A health-centre staff member.
    Staff {
        /// Staff id.
        staff_id: i64,
        /// Their centre.
        scope: CentreScope,
        /// Their role.
        role: Role,
    },
    /// A registered patient.
    Patient {
        /// Patient account id.
        patient_id: i64,
        /// The case the account is linked to.
        case_id: i64,
    },
}

/// Whose session a new token opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionOwner {
    /// Staff id.
    Staff(i64),
    /// Patient id.
    Patient(i64),
}

/// A health centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Centre {
    /// Id.
    pub id: i64,
    /// Name (e.g. ○○保健所).
    pub name: String,
    /// Emergency number printed on the leaflet.
    pub emergency_number: String,
    /// Jurisdiction code (unique).
    pub jurisdiction_code: String,
}

/// A new health centre.
#[derive(Debug, Clone)]
pub struct NewCentre {
    /// Name.
    pub name: String,
    /// Emergency number.
    pub emergency_number: String,
    /// Jurisdiction code.
    pub jurisdiction_code: String,
}

/// A new staff account.
#[derive(Debug, Clone)]
pub struct NewStaff {
    /// Login e-mail (normalised).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Argon2id PHC string.
    pub password_hash: String,
}

/// What a login needs to check.
#[derive(Debug, Clone)]
pub struct LoginRow {
    /// Account id (staff or patient).
    pub id: i64,
    /// Argon2id PHC string.
    pub password_hash: String,
}

/// A new case.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// Full name.
    pub name: String,
    /// Reading of the name (furigana).
    pub name_reading: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Phone number, digits only.
    pub phone: String,
    /// E-mail, if given.
    pub email: Option<String>,
    /// Kind of person.
    pub kind: Kind,
    /// App or phone call.
    pub observation: Observation,
    /// First day of observation.
    pub period_start: NaiveDate,
    /// Last day of observation.
    pub period_end: NaiveDate,
}

/// A registered case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CaseRecord {
    /// Id.
    pub id: i64,
    /// Owning centre.
    pub centre_id: i64,
    /// Full name.
    pub name: String,
    /// Reading of the name.
    pub name_reading: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Phone number, digits only.
    pub phone: String,
    /// E-mail.
    pub email: Option<String>,
    /// Kind of person.
    #[schema(value_type = String, example = "infected")]
    pub kind: Kind,
    /// App or phone call.
    pub observation: Observation,
    /// First day of observation.
    pub period_start: NaiveDate,
    /// Last day of observation.
    pub period_end: NaiveDate,
    /// Smartphone input ID (スマホ入力ID) printed on the leaflet.
    pub input_id: String,
    /// Still under observation.
    pub active: bool,
    /// A patient account is linked to the case.
    pub registered: bool,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// When the oldest "call now" report that staff have not handled yet was received;
    /// absent when none waits.
    pub urgent_since: Option<DateTime<Utc>>,
    /// Its personal data was removed by retention (names and phone empty, the day of
    /// birth kept as its year only).
    #[serde(default)]
    pub erased: bool,
}

/// State of a registration request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegState {
    /// Code sent, not verified yet.
    Pending,
    /// Code verified; password and attributes may follow.
    Verified,
    /// Account linked to its case.
    Done,
    /// Too many wrong tries; a new request is needed.
    Dead,
}

impl RegState {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            RegState::Pending => "pending",
            RegState::Verified => "verified",
            RegState::Done => "done",
            RegState::Dead => "dead",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> RegState {
        match s {
            "pending" => RegState::Pending,
            "verified" => RegState::Verified,
            "done" => RegState::Done,
            _ => RegState::Dead,
        }
    }
}

/// A registration request (new e-mail → code → password → attributes).
#[derive(Debug, Clone)]
pub struct Registration {
    /// Request id, returned to the app.
    pub id: Uuid,
    /// E-mail (normalised).
    pub email: String,
    /// SHA-256 of request id and code.
    pub code_hash: String,
    /// Code valid until.
    pub code_expires_at: DateTime<Utc>,
    /// Wrong codes so far.
    pub tries: i64,
    /// State.
    pub state: RegState,
    /// SHA-256 of the registration token issued after verification.
    pub token_hash: Option<String>,
    /// Registration token valid until.
    pub token_expires_at: Option<DateTime<Utc>>,
    /// Argon2id hash of the chosen password.
    pub password_hash: Option<String>,
    /// Mismatching attribute sets so far.
    pub attribute_tries: i64,
    /// Created at.
    pub created_at: DateTime<Utc>,
}

impl Registration {
    /// A new request for `email`, waiting for the code whose hash is `code_hash`.
    pub fn pending(id: Uuid, email: String, code_hash: String, now: DateTime<Utc>, code_expires_at: DateTime<Utc>) -> Registration {
        Registration {
            id,
            email,
            code_hash,
            code_expires_at,
            tries: 0,
            state: RegState::Pending,
            token_hash: None,
            token_expires_at: None,
            password_hash: None,
            attribute_tries: 0,
            created_at: now,
        }
    }
}

/// Result of linking an account to its case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// Linked; the patient id.
    Linked(i64),
    /// The case already has an account.
    CaseTaken,
    /// The e-mail already has an account.
    EmailTaken,
    /// The registration was not in the verified state any more.
    NotVerified,
}

/// What a patient's phone needs to know about its case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Profile {
    /// Kind registered by the health centre.
    #[schema(value_type = String, example = "infected")]
    pub kind: Kind,
    /// App or phone call.
    pub observation: Observation,
    /// First day of observation.
    pub period_start: NaiveDate,
    /// Last day of observation.
    pub period_end: NaiveDate,
    /// Health-centre name.
    pub centre_name: String,
    /// Health-centre emergency number.
    pub emergency_number: String,
}

/// The case a patient token stands for, as report sync needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientCtx {
    /// Patient id.
    pub patient_id: i64,
    /// Case id.
    pub case_id: i64,
    /// First day of observation.
    pub period_start: NaiveDate,
    /// Last day of observation.
    pub period_end: NaiveDate,
    /// Household members linked to the account (read only for requests that name one).
    pub members: Vec<MemberCtx>,
    /// The case's use is suspended at the person's request: its reports are refused.
    pub suspended: bool,
}

/// A household member's case, as report sync needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberCtx {
    /// The link's id (the member id the phone sends).
    pub id: i64,
    /// The member's case.
    pub case_id: i64,
    /// First day of its observation.
    pub period_start: NaiveDate,
    /// Last day of its observation.
    pub period_end: NaiveDate,
    /// Its use is suspended at the person's request.
    pub suspended: bool,
}

/// A stored daily report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    /// Phone-made id.
    pub id: Uuid,
    /// Case.
    pub case_id: i64,
    /// Day it is for.
    pub local_date: NaiveDate,
    /// Kind of person.
    pub kind: Kind,
    /// Temperature.
    pub temperature: Temperature,
    /// Answers.
    pub answers: Answers,
    /// Saved on the phone at.
    pub recorded_at: DateTime<Utc>,
    /// Triage level.
    pub advice: AdviceLevel,
    /// Received by the server at.
    pub received_at: DateTime<Utc>,
}

impl StoredReport {
    /// The row for a validated report.
    pub fn from_candidate(case_id: i64, c: &Candidate, received_at: DateTime<Utc>) -> StoredReport {
        StoredReport {
            id: c.id,
            case_id,
            local_date: c.local_date,
            kind: c.kind,
            temperature: c.temperature,
            answers: c.answers,
            recorded_at: c.recorded_at,
            advice: c.advice,
            received_at,
        }
    }

    /// Whether `c` from `case_id` is the same report (a replay).
    pub fn matches(&self, case_id: i64, c: &Candidate) -> bool {
        self.case_id == case_id
            && self.local_date == c.local_date
            && self.kind == c.kind
            && self.temperature == c.temperature
            && self.answers == c.answers
            && self.recorded_at == c.recorded_at
    }
}

/// The database.
#[derive(Debug, Clone)]
pub enum Db {
    /// SQLite file.
    Sqlite(sqlite::SqliteStore),
    /// PostgreSQL server.
    Postgres(postgres::PgStore),
}

macro_rules! dispatch {
    ($self:ident, $s:ident => $e:expr) => {
        match $self {
            Db::Sqlite($s) => $e,
            Db::Postgres($s) => $e,
        }
    };
}

/// The reports table's columns, in the order both stores read a [`StoredReport`].
const REPORT_COLUMNS: &str = "id, case_id, local_date, kind, temperature_tenths, answers, recorded_at, advice, received_at";

/// [`REPORT_COLUMNS`], each behind the table alias `alias`.
fn report_columns_of(alias: &str) -> String {
    REPORT_COLUMNS.split(", ").map(|c| format!("{alias}.{c}")).collect::<Vec<_>>().join(", ")
}

pub mod fhir;
pub mod household;
pub mod throttle;
pub mod rights;
pub mod web;
pub use web::{
    AuditAction, AuditEntry, BoardCounts, CaseQuery, CaseSearch, CaseStatus, CaseSummary, Contact, ContactOutcome, ExportReport,
    HandleOutcome, Handled, LastReport, NewContact, ReportEntry, StaffHeader, Transfer, TransferOutcome,
};

impl Db {
    /// Opens (creating if needed) and migrates the database.
    pub async fn open(url: &DatabaseUrl) -> Result<Db> {
        Db::open_trusting(url, &crate::tls::Trust::default()).await
    }

    /// Opens the database; PostgreSQL over TLS checks the server against `trust`.
    pub async fn open_trusting(url: &DatabaseUrl, trust: &crate::tls::Trust) -> Result<Db> {
        match url {
            DatabaseUrl::Sqlite(path) => Ok(Db::Sqlite(sqlite::SqliteStore::open(path).await?)),
            DatabaseUrl::Postgres(url) => Ok(Db::Postgres(postgres::PgStore::open(url, trust).await?)),
        }
    }

    /// `sqlite` or `postgres`.
    pub fn kind(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// A trivial query, for `/healthz`.
    pub async fn ping(&self) -> Result<()> {
        dispatch!(self, s => s.ping().await)
    }

    /// Whether the database takes writes now (a committed write on SQLite, a
    /// read-write primary on PostgreSQL), for `/readyz`.
    pub async fn writable(&self) -> Result<()> {
        dispatch!(self, s => s.writable().await)
    }

    /// Creates a centre and its first admin in one transaction.
    pub async fn create_centre_with_admin(&self, c: NewCentre, admin: NewStaff, now: DateTime<Utc>) -> Result<(Centre, i64)> {
        dispatch!(self, s => s.create_centre_with_admin(c, admin, now).await)
    }

    /// A centre by id.
    pub async fn centre(&self, scope: CentreScope) -> Result<Option<Centre>> {
        dispatch!(self, s => s.centre(scope).await)
    }

    /// Adds a staff account to the scope's centre.
    pub async fn create_staff(&self, scope: CentreScope, staff: NewStaff, now: DateTime<Utc>) -> Result<i64> {
        dispatch!(self, s => s.create_staff(scope, staff, now).await)
    }

    /// The staff account with this e-mail.
    pub async fn staff_login(&self, email: &str) -> Result<Option<LoginRow>> {
        dispatch!(self, s => s.staff_login(email).await)
    }

    /// The patient account with this e-mail.
    pub async fn patient_login(&self, email: &str) -> Result<Option<LoginRow>> {
        dispatch!(self, s => s.patient_login(email).await)
    }

    /// Stores a session (token hash only).
    pub async fn create_session(&self, token_hash: &str, owner: SessionOwner, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<()> {
        dispatch!(self, s => s.create_session(token_hash, owner, now, expires).await)
    }

    /// Who an unexpired token belongs to.
    pub async fn session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<Principal>> {
        dispatch!(self, s => s.session(token_hash, now).await)
    }

    /// Ends a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<bool> {
        dispatch!(self, s => s.delete_session(token_hash).await)
    }

    /// Deletes sessions that expired by `now` and registration requests older than
    /// `registrations_before` (finished or abandoned: their code and token live minutes).
    /// Returns how many of each went.
    pub async fn purge_expired(&self, now: DateTime<Utc>, registrations_before: DateTime<Utc>) -> Result<(u64, u64)> {
        dispatch!(self, s => s.purge_expired(now, registrations_before).await)
    }

    /// Inserts a case with `input_id`; `None` if the id is taken by an active case.
    pub async fn insert_case(&self, scope: CentreScope, c: NewCase, input_id: &str, now: DateTime<Utc>) -> Result<Option<CaseRecord>> {
        dispatch!(self, s => s.insert_case(scope, c, input_id, now).await)
    }

    /// The scope's cases, newest first.
    pub async fn list_cases(&self, scope: CentreScope) -> Result<Vec<CaseRecord>> {
        dispatch!(self, s => s.list_cases(scope).await)
    }

    /// One case of the scope.
    pub async fn case(&self, scope: CentreScope, id: i64) -> Result<Option<CaseRecord>> {
        dispatch!(self, s => s.case(scope, id).await)
    }

    /// Ends observation of a case of the scope (frees its input ID).
    pub async fn close_case(&self, scope: CentreScope, id: i64) -> Result<bool> {
        dispatch!(self, s => s.close_case(scope, id).await)
    }

    /// Reports of a case of the scope in the order the server received them, each with
    /// how staff handled it; `None` if the case is not the scope's.
    pub async fn case_reports(&self, scope: CentreScope, case_id: i64) -> Result<Option<Vec<ReportEntry>>> {
        dispatch!(self, s => s.case_reports(scope, case_id).await)
    }

    /// Reports of the patient's own case.
    pub async fn own_reports(&self, case_id: i64) -> Result<Vec<StoredReport>> {
        dispatch!(self, s => s.own_reports(case_id).await)
    }

    /// What the patient's phone needs to know.
    pub async fn profile(&self, case_id: i64) -> Result<Option<Profile>> {
        dispatch!(self, s => s.profile(case_id).await)
    }

    /// Stores a new registration request.
    pub async fn create_registration(&self, r: Registration) -> Result<()> {
        dispatch!(self, s => s.create_registration(r).await)
    }

    /// A registration request.
    pub async fn registration(&self, id: Uuid) -> Result<Option<Registration>> {
        dispatch!(self, s => s.registration(id).await)
    }

    /// Takes one of a pending request's `max` code tries before the code is compared,
    /// so parallel guesses can never compare more than `max` codes. Returns the try's
    /// number, or `None` when none is left or the request is no longer pending.
    pub async fn claim_code_try(&self, id: Uuid, max: i64) -> Result<Option<i64>> {
        dispatch!(self, s => s.claim_code_try(id, max).await)
    }

    /// Ends a pending request whose last try was wrong.
    pub async fn kill_registration(&self, id: Uuid) -> Result<()> {
        dispatch!(self, s => s.kill_registration(id).await)
    }

    /// Marks a pending request verified with its registration token; false if it was
    /// not pending (the code was used already).
    pub async fn mark_verified(&self, id: Uuid, token_hash: &str, expires: DateTime<Utc>) -> Result<bool> {
        dispatch!(self, s => s.mark_verified(id, token_hash, expires).await)
    }

    /// Stores the chosen password of a verified request.
    pub async fn set_registration_password(&self, id: Uuid, password_hash: &str) -> Result<bool> {
        dispatch!(self, s => s.set_registration_password(id, password_hash).await)
    }

    /// Counts a mismatching attribute set; at `max` the request dies.
    pub async fn count_attribute_mismatch(&self, id: Uuid, max: i64) -> Result<i64> {
        dispatch!(self, s => s.count_attribute_mismatch(id, max).await)
    }

    /// The active case with this smartphone input ID.
    pub async fn case_by_input_id(&self, input_id: &str) -> Result<Option<CaseRecord>> {
        dispatch!(self, s => s.case_by_input_id(input_id).await)
    }

    /// Creates the patient account for a verified request, links it to the case and
    /// opens a session, all in one transaction.
    pub async fn complete_registration(&self, reg_id: Uuid, case_id: i64, token_hash: &str, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<Completion> {
        dispatch!(self, s => s.complete_registration(reg_id, case_id, token_hash, now, expires).await)
    }

    /// Applies a batch of sync requests in one transaction (see [`crate::ingest`]).
    pub async fn ingest(&self, jobs: Vec<JobInput>, now: DateTime<Utc>) -> Result<Vec<JobOutcome>> {
        dispatch!(self, s => s.ingest(jobs, now).await)
    }
}
