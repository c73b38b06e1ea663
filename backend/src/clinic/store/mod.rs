//! The clinics' store operations on the tables of migration 0006: jurisdictions
//! (municipality codes per centre), institutions and their logins, sessions,
//! notifications, daily counts and the clinics' audit log. Single statements are
//! written once ([`super::sql`]); transactions of several statements once per database
//! (`sqlite.rs`, `postgres.rs`).
//!
//! Every clinic read takes the institution id of the signed-in account, every centre
//! read the centre's [`CentreScope`]: a clinic never reads another clinic's rows, nor
//! a centre's cases.

mod postgres;
mod sqlite;

use super::rules::{Category, NewNotification};
use super::sql::{P, Row, exec, ms, query};
use crate::db::{CentreScope, Db, NewCase};
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};

/// Role of a clinic or aggregate account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgRole {
    /// Manages the clinic's logins, and files like staff.
    ClinicAdmin,
    /// Files notifications and daily counts.
    ClinicStaff,
    /// Prefecture or ministry: the statistics of the whole server, nothing else.
    Aggregate,
}

impl OrgRole {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgRole::ClinicAdmin => "clinic_admin",
            OrgRole::ClinicStaff => "clinic_staff",
            OrgRole::Aggregate => "aggregate",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<OrgRole> {
        [OrgRole::ClinicAdmin, OrgRole::ClinicStaff, OrgRole::Aggregate].into_iter().find(|r| r.as_str() == s)
    }
}

/// A signed-in clinic or aggregate account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgPrincipal {
    /// Account id.
    pub account_id: i64,
    /// Role.
    pub role: OrgRole,
    /// Display name.
    pub name: String,
    /// The clinic (none for the aggregate role).
    pub institution: Option<Institution>,
}

/// A medical institution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Institution {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// 10-digit institution code.
    pub code: String,
    /// Its municipality.
    pub municipality_code: String,
}

/// A new login (no `Debug`: it holds a password hash).
#[derive(Clone)]
pub struct NewOrgAccount {
    /// E-mail (normalised).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: OrgRole,
    /// Argon2id PHC string.
    pub password_hash: String,
}

/// A login of a clinic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountLine {
    /// Id.
    pub id: i64,
    /// E-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: OrgRole,
}

/// Where a notification is in the centre's intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Waiting at the centre.
    New,
    /// Became a case.
    Accepted,
    /// Marked a duplicate of an existing case.
    Duplicate,
}

impl Status {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Accepted => "accepted",
            Status::Duplicate => "duplicate",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<Status> {
        [Status::New, Status::Accepted, Status::Duplicate].into_iter().find(|v| v.as_str() == s)
    }
}

/// A stored notification (no `Debug`: a person's data).
#[derive(Clone)]
pub struct Notification {
    /// Id.
    pub id: i64,
    /// Filing institution.
    pub institution_id: i64,
    /// Its name.
    pub institution_name: String,
    /// Receiving centre.
    pub centre_id: i64,
    /// Its name.
    pub centre_name: String,
    /// Status.
    pub status: Status,
    /// The case it became or duplicates.
    pub case_id: Option<i64>,
    /// Filed at.
    pub filed_at: DateTime<Utc>,
    /// Decided at.
    pub decided_at: Option<DateTime<Utc>>,
    /// The checked fields.
    pub n: NewNotification,
}

/// Column list read by [`notification_of`].
pub const NOTIFICATION_COLUMNS: &str = "n.id, n.institution_id, i.name, n.centre_id, ce.name, n.status, n.case_id, n.filed_at, n.decided_at, \
     n.doctor, n.report_date, n.name, n.name_reading, n.sex, n.date_of_birth, n.age, n.municipality_code, n.address, n.phone, \
     n.onset_date, n.diagnosis_date, n.specimen_date, n.categories, n.hospitalisation, n.risk_factors, n.antivirals, n.oxygen, \
     n.pregnant, n.vaccination, n.severity \
     FROM notifications n JOIN institutions i ON i.id = n.institution_id JOIN centres ce ON ce.id = n.centre_id";

fn statik(table: &[(&'static str, &'static str, &'static str)], s: &str) -> Result<&'static str> {
    table.iter().map(|(c, _, _)| *c).find(|c| *c == s).ok_or_else(|| Error::Db("bad code in a notification row".into()))
}

/// A notification from a row of [`NOTIFICATION_COLUMNS`].
pub fn notification_of(r: &Row) -> Result<Notification> {
    use super::rules::{RISK_FACTORS, SEVERITIES, SEXES, VACCINATIONS};
    let risk_factors = r.s(24)?.split(',').filter(|s| !s.is_empty()).map(|s| statik(&RISK_FACTORS, s)).collect::<Result<_>>()?;
    Ok(Notification {
        id: r.i(0)?,
        institution_id: r.i(1)?,
        institution_name: r.s(2)?,
        centre_id: r.i(3)?,
        centre_name: r.s(4)?,
        status: Status::parse(&r.s(5)?).ok_or_else(|| Error::Db("bad status".into()))?,
        case_id: r.oi(6)?,
        filed_at: r.t(7)?,
        decided_at: r.oi(8)?.map(super::sql::time),
        n: NewNotification {
            doctor: r.s(9)?,
            report_date: r.d(10)?,
            name: r.s(11)?,
            name_reading: r.s(12)?,
            sex: statik(&SEXES, &r.s(13)?)?,
            date_of_birth: r.d(14)?,
            age: r.i(15)?,
            municipality_code: r.s(16)?,
            address: r.s(17)?,
            phone: r.s(18)?,
            onset_date: r.od(19)?,
            diagnosis_date: r.d(20)?,
            specimen_date: r.d(21)?,
            categories: r.s(22)?.split(',').filter_map(Category::parse).collect(),
            hospitalisation: r.i(23)? != 0,
            risk_factors,
            antivirals: r.i(25)? != 0,
            oxygen: r.i(26)? != 0,
            pregnant: r.i(27)? != 0,
            vaccination: statik(&VACCINATIONS, &r.s(28)?)?,
            severity: statik(&SEVERITIES, &r.s(29)?)?,
        },
    })
}

/// The parameters of an insert into `notifications`, after `(institution_id, filed_by,
/// centre_id, filed_at, filed_on)`.
fn notification_params(n: &NewNotification) -> Vec<P> {
    vec![
        n.doctor.clone().into(),
        n.report_date.to_string().into(),
        n.name.clone().into(),
        n.name_reading.clone().into(),
        n.sex.into(),
        n.date_of_birth.to_string().into(),
        n.age.into(),
        n.municipality_code.clone().into(),
        n.address.clone().into(),
        n.phone.clone().into(),
        n.onset_date.map(|d| d.to_string()).into(),
        n.diagnosis_date.to_string().into(),
        n.specimen_date.to_string().into(),
        n.categories.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(",").into(),
        n.hospitalisation.into(),
        n.risk_factors.join(",").into(),
        n.antivirals.into(),
        n.oxygen.into(),
        n.pregnant.into(),
        n.vaccination.into(),
        n.severity.into(),
    ]
}

const INSERT_NOTIFICATION: &str = "INSERT INTO notifications (institution_id, filed_by, centre_id, filed_at, filed_on, doctor, report_date, name, \
     name_reading, sex, date_of_birth, age, municipality_code, address, phone, onset_date, diagnosis_date, specimen_date, categories, \
     hospitalisation, risk_factors, antivirals, oxygen, pregnant, vaccination, severity) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26) RETURNING id";

const INSERT_ORG_AUDIT: &str = "INSERT INTO org_audit_log (account_id, institution_id, at, action, notification_id) VALUES ($1, $2, $3, $4, $5)";

/// What clinic and aggregate accounts did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgAction {
    /// Filed a notification.
    File,
    /// Listed the clinic's notifications.
    ViewList,
    /// Opened one of them.
    ViewOne,
    /// Entered or changed the day's counts.
    EnterCounts,
    /// Added a login to the clinic.
    AddAccount,
    /// Read the statistics of the whole server.
    ViewStats,
}

impl OrgAction {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgAction::File => "file_notification",
            OrgAction::ViewList => "view_notifications",
            OrgAction::ViewOne => "view_notification",
            OrgAction::EnterCounts => "enter_counts",
            OrgAction::AddAccount => "add_account",
            OrgAction::ViewStats => "view_stats",
        }
    }
}

fn audit_params(p: &OrgPrincipal, action: OrgAction, notification_id: Option<i64>, now: DateTime<Utc>) -> Vec<P> {
    vec![p.account_id.into(), p.institution.as_ref().map(|i| i.id).into(), ms(now).into(), action.as_str().into(), notification_id.into()]
}

macro_rules! on {
    ($db:expr, $s:ident => $sqlite:expr, $p:ident => $pg:expr) => {
        match $db {
            Db::Sqlite($s) => $sqlite,
            Db::Postgres($p) => $pg,
        }
    };
}

/// Writes an audit row of a clinic or aggregate account.
pub async fn audit(db: &Db, p: &OrgPrincipal, action: OrgAction, notification_id: Option<i64>, now: DateTime<Utc>) -> Result<()> {
    exec(db, INSERT_ORG_AUDIT, audit_params(p, action, notification_id, now)).await.map(|_| ())
}

/// The audit rows of an institution (or of the aggregate accounts with `None`), newest
/// first: (account id, action, notification id).
pub async fn audit_rows(db: &Db, institution_id: Option<i64>) -> Result<Vec<(i64, String, Option<i64>)>> {
    let rows = query(
        db,
        "SELECT account_id, action, notification_id FROM org_audit_log WHERE institution_id = $1 OR ($1 IS NULL AND institution_id IS NULL) ORDER BY id DESC",
        vec![institution_id.into()],
    )
    .await?;
    rows.iter().map(|r| Ok((r.i(0)?, r.s(1)?, r.oi(2)?))).collect()
}

/// Gives municipality `code` (named `name`) to centre `centre_id`. A code another centre
/// holds is refused (`false`) unless `take` (the demo moves it).
pub async fn add_municipality(db: &Db, centre_id: i64, code: &str, name: &str, take: bool, now: DateTime<Utc>) -> Result<bool> {
    let sql = if take {
        "INSERT INTO centre_municipalities (code, name, centre_id, added_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name, centre_id = excluded.centre_id, added_at = excluded.added_at"
    } else {
        "INSERT INTO centre_municipalities (code, name, centre_id, added_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (code) DO UPDATE SET name = excluded.name WHERE centre_municipalities.centre_id = excluded.centre_id"
    };
    Ok(exec(db, sql, vec![code.into(), name.into(), centre_id.into(), ms(now).into()]).await? == 1)
}

/// Every municipality with a centre: (code, name, centre id), by code.
pub async fn municipalities(db: &Db, centre_id: Option<i64>) -> Result<Vec<(String, String, i64)>> {
    let rows = query(db, "SELECT code, name, centre_id FROM centre_municipalities WHERE centre_id = $1 OR $1 IS NULL ORDER BY code", vec![centre_id.into()]).await?;
    rows.iter().map(|r| Ok((r.s(0)?, r.s(1)?, r.i(2)?))).collect()
}

/// The centre covering municipality `code`.
pub async fn centre_for(db: &Db, code: &str) -> Result<Option<i64>> {
    query(db, "SELECT centre_id FROM centre_municipalities WHERE code = $1", vec![code.into()]).await?.first().map(|r| r.i(0)).transpose()
}

/// Creates an institution and its first admin in one transaction; `Conflict` when the
/// institution code or the e-mail is taken.
pub async fn create_institution(db: &Db, name: &str, code: &str, municipality: &str, issued_by: Option<i64>, admin: NewOrgAccount, now: DateTime<Utc>) -> Result<(i64, i64)> {
    let inst = vec![name.into(), code.into(), municipality.into(), issued_by.into(), ms(now).into()];
    on!(db, s => sqlite::create_institution(s, inst, admin, now).await, p => postgres::create_institution(p, inst, admin, now).await)
}

const INSERT_INSTITUTION: &str = "INSERT INTO institutions (name, code, municipality_code, issued_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id";
const INSERT_ACCOUNT: &str = "INSERT INTO org_accounts (institution_id, email, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";

fn account_params(institution_id: Option<i64>, a: &NewOrgAccount, now: DateTime<Utc>) -> Vec<P> {
    vec![institution_id.into(), a.email.clone().into(), a.name.clone().into(), a.role.as_str().into(), a.password_hash.clone().into(), ms(now).into()]
}

/// Adds a login (to a clinic, or an aggregate one without); `Conflict` when the e-mail is
/// taken. The audit row (when `by` is given) is in the same transaction.
pub async fn create_account(db: &Db, institution_id: Option<i64>, a: NewOrgAccount, by: Option<&OrgPrincipal>, now: DateTime<Utc>) -> Result<i64> {
    let audit = by.map(|p| audit_params(p, OrgAction::AddAccount, None, now));
    let params = account_params(institution_id, &a, now);
    on!(db, s => sqlite::create_account(s, params, audit).await, p => postgres::create_account(p, params, audit).await)
}

fn institution_of(r: &Row, at: usize) -> Result<Institution> {
    Ok(Institution { id: r.i(at)?, name: r.s(at + 1)?, code: r.s(at + 2)?, municipality_code: r.s(at + 3)? })
}

/// Institutions a centre registered, by name.
pub async fn institutions_of(db: &Db, scope: CentreScope) -> Result<Vec<Institution>> {
    let rows = query(db, "SELECT id, name, code, municipality_code FROM institutions WHERE issued_by = $1 ORDER BY name, id", vec![scope.centre_id().into()]).await?;
    rows.iter().map(|r| institution_of(r, 0)).collect()
}

/// A clinic's logins.
pub async fn accounts_of(db: &Db, institution_id: i64) -> Result<Vec<AccountLine>> {
    let rows = query(db, "SELECT id, email, name, role FROM org_accounts WHERE institution_id = $1 ORDER BY id", vec![institution_id.into()]).await?;
    rows.iter()
        .map(|r| Ok(AccountLine { id: r.i(0)?, email: r.s(1)?, name: r.s(2)?, role: OrgRole::parse(&r.s(3)?).ok_or_else(|| Error::Db("bad role".into()))? }))
        .collect()
}

/// The login with this e-mail: (id, password hash).
pub async fn login_row(db: &Db, email: &str) -> Result<Option<(i64, String)>> {
    query(db, "SELECT id, password_hash FROM org_accounts WHERE email = $1", vec![email.into()]).await?.first().map(|r| Ok((r.i(0)?, r.s(1)?))).transpose()
}

/// Stores a session (token hash only).
pub async fn create_session(db: &Db, token_hash: &str, account_id: i64, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<()> {
    exec(db, "INSERT INTO org_sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)", vec![
        token_hash.into(),
        account_id.into(),
        ms(now).into(),
        ms(expires).into(),
    ])
    .await
    .map(|_| ())
}

/// Who an unexpired token belongs to.
pub async fn session(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<Option<OrgPrincipal>> {
    let rows = query(
        db,
        "SELECT a.id, a.role, a.name, i.id, i.name, i.code, i.municipality_code FROM org_sessions s JOIN org_accounts a ON a.id = s.account_id \
         LEFT JOIN institutions i ON i.id = a.institution_id WHERE s.token_hash = $1 AND s.expires_at > $2",
        vec![token_hash.into(), ms(now).into()],
    )
    .await?;
    let Some(r) = rows.first() else { return Ok(None) };
    let role = OrgRole::parse(&r.s(1)?).ok_or_else(|| Error::Db("bad role".into()))?;
    let institution = if r.oi(3)?.is_some() { Some(institution_of(r, 3)?) } else { None };
    Ok(Some(OrgPrincipal { account_id: r.i(0)?, role, name: r.s(2)?, institution }))
}

/// Ends a session; expired ones go with `purge`.
pub async fn delete_session(db: &Db, token_hash: &str) -> Result<()> {
    exec(db, "DELETE FROM org_sessions WHERE token_hash = $1", vec![token_hash.into()]).await.map(|_| ())
}

/// Stores a notification routed to `centre_id`, with the filing account's audit row in
/// the same transaction; its id.
pub async fn file(db: &Db, by: &OrgPrincipal, institution_id: i64, centre_id: i64, n: &NewNotification, now: DateTime<Utc>) -> Result<i64> {
    let mut params: Vec<P> = vec![institution_id.into(), by.account_id.into(), centre_id.into(), ms(now).into(), crate::web::today(now).to_string().into()];
    params.extend(notification_params(n));
    let audit = audit_params(by, OrgAction::File, None, now);
    on!(db, s => sqlite::file(s, params, audit).await, p => postgres::file(p, params, audit).await)
}

/// One line of a list of notifications (no `Debug`: a person's name).
#[derive(Clone)]
pub struct Line {
    /// Id.
    pub id: i64,
    /// Filed at.
    pub filed_at: DateTime<Utc>,
    /// Patient name.
    pub name: String,
    /// Reading.
    pub name_reading: String,
    /// Age at diagnosis.
    pub age: i64,
    /// Diagnosis date.
    pub diagnosis_date: NaiveDate,
    /// Status.
    pub status: Status,
    /// The filing institution's name.
    pub institution_name: String,
    /// The centre's name.
    pub centre_name: String,
    /// The case it became or duplicates.
    pub case_id: Option<i64>,
}

const LINE: &str = "SELECT n.id, n.filed_at, n.name, n.name_reading, n.age, n.diagnosis_date, n.status, i.name, ce.name, n.case_id \
     FROM notifications n JOIN institutions i ON i.id = n.institution_id JOIN centres ce ON ce.id = n.centre_id";

fn line_of(r: &Row) -> Result<Line> {
    Ok(Line {
        id: r.i(0)?,
        filed_at: r.t(1)?,
        name: r.s(2)?,
        name_reading: r.s(3)?,
        age: r.i(4)?,
        diagnosis_date: r.d(5)?,
        status: Status::parse(&r.s(6)?).ok_or_else(|| Error::Db("bad status".into()))?,
        institution_name: r.s(7)?,
        centre_name: r.s(8)?,
        case_id: r.oi(9)?,
    })
}

/// A clinic's own notifications, newest first.
pub async fn clinic_list(db: &Db, institution_id: i64, limit: i64) -> Result<Vec<Line>> {
    let sql = format!("{LINE} WHERE n.institution_id = $1 ORDER BY n.filed_at DESC, n.id DESC LIMIT $2");
    query(db, &sql, vec![institution_id.into(), limit.into()]).await?.iter().map(line_of).collect()
}

/// A centre's notifications with `status` (the oldest first for new ones, else newest
/// first).
pub async fn centre_list(db: &Db, scope: CentreScope, status: Status, limit: i64) -> Result<Vec<Line>> {
    let order = if status == Status::New { "ASC" } else { "DESC" };
    let sql = format!("{LINE} WHERE n.centre_id = $1 AND n.status = $2 ORDER BY n.filed_at {order}, n.id {order} LIMIT $3");
    query(db, &sql, vec![scope.centre_id().into(), status.as_str().into(), limit.into()]).await?.iter().map(line_of).collect()
}

/// How many new notifications wait at the centre.
pub async fn waiting(db: &Db, scope: CentreScope) -> Result<i64> {
    query(db, "SELECT COUNT(*) FROM notifications WHERE centre_id = $1 AND status = 'new'", vec![scope.centre_id().into()]).await?.first().map_or(Ok(0), |r| r.i(0))
}

/// One of the clinic's own notifications.
pub async fn clinic_one(db: &Db, institution_id: i64, id: i64) -> Result<Option<Notification>> {
    let sql = format!("SELECT {NOTIFICATION_COLUMNS} WHERE n.id = $1 AND n.institution_id = $2");
    query(db, &sql, vec![id.into(), institution_id.into()]).await?.first().map(notification_of).transpose()
}

/// One of the centre's notifications.
pub async fn centre_one(db: &Db, scope: CentreScope, id: i64) -> Result<Option<Notification>> {
    let sql = format!("SELECT {NOTIFICATION_COLUMNS} WHERE n.id = $1 AND n.centre_id = $2");
    query(db, &sql, vec![id.into(), scope.centre_id().into()]).await?.first().map(notification_of).transpose()
}

/// A case of the centre that may be the same person (no `Debug`: personal data).
#[derive(Clone)]
pub struct Candidate {
    /// Case id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_reading: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Phone digits.
    pub phone: String,
    /// Input ID.
    pub input_id: String,
    /// Still observed.
    pub active: bool,
    /// Which of reading, date of birth and phone match.
    pub matches: [bool; 3],
}

/// The centre's cases with the same date of birth or phone as `n`, keeping those that
/// match at least two of name reading, date of birth and phone (the most matches first).
pub async fn candidates(db: &Db, scope: CentreScope, n: &NewNotification) -> Result<Vec<Candidate>> {
    let rows = on!(db, s => sqlite::candidate_rows(s, scope, n.date_of_birth, n.phone.clone()).await, p => postgres::candidate_rows(p, scope, n.date_of_birth, &n.phone).await)?;
    let reading = crate::normalize::name(&n.name_reading);
    let mut out: Vec<Candidate> = rows
        .into_iter()
        .map(|mut c| {
            c.matches = [crate::normalize::name(&c.name_reading) == reading, c.date_of_birth == n.date_of_birth, c.phone == n.phone];
            c
        })
        .filter(|c| c.matches.iter().filter(|m| **m).count() >= 2)
        .collect();
    out.sort_by_key(|c| (std::cmp::Reverse(c.matches.iter().filter(|m| **m).count()), std::cmp::Reverse(c.id)));
    Ok(out)
}

/// Another notification waiting at intake that may be the same person.
#[derive(Clone)]
pub struct Twin {
    /// Its id.
    pub id: i64,
    /// The clinic that filed it.
    pub institution_id: i64,
    /// That clinic's name.
    pub institution: String,
    /// Filed at.
    pub filed_at: DateTime<Utc>,
    /// Which of reading, date of birth and phone match.
    pub matches: [bool; 3],
}

impl Twin {
    /// All three match.
    pub fn full(&self) -> bool {
        self.matches.iter().all(|m| *m)
    }
}

/// The centre's other notifications still waiting at intake that may be the same person
/// as `n` (at least two of reading, date of birth and phone match), the most matches
/// first.
pub async fn waiting_twins(db: &Db, scope: CentreScope, id: Option<i64>, n: &NewNotification) -> Result<Vec<Twin>> {
    let rows = query(
        db,
        "SELECT n.id, n.institution_id, i.name, n.filed_at, n.name_reading, n.date_of_birth, n.phone FROM notifications n \
         JOIN institutions i ON i.id = n.institution_id \
         WHERE n.centre_id = $1 AND n.status = 'new' AND n.id <> $2 AND (n.date_of_birth = $3 OR n.phone = $4) ORDER BY n.id",
        vec![scope.centre_id().into(), id.unwrap_or(0).into(), n.date_of_birth.to_string().into(), n.phone.clone().into()],
    )
    .await?;
    let reading = crate::normalize::name(&n.name_reading);
    let mut out = Vec::new();
    for r in &rows {
        let matches = [crate::normalize::name(&r.s(4)?) == reading, r.s(5)? == n.date_of_birth.to_string(), r.s(6)? == n.phone];
        if matches.iter().filter(|m| **m).count() >= 2 {
            out.push(Twin { id: r.i(0)?, institution_id: r.i(1)?, institution: r.s(2)?, filed_at: r.t(3)?, matches });
        }
    }
    out.sort_by_key(|t| std::cmp::Reverse(t.matches.iter().filter(|m| **m).count()));
    Ok(out)
}

/// What became of an intake decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    /// Done; the case (new or the existing one).
    Done(i64),
    /// No such notification at this centre.
    NotFound,
    /// Already accepted or marked a duplicate.
    NotNew,
    /// The duplicate's case is not the centre's.
    NoSuchCase,
}

/// Accepts a new notification: the case (with a fresh input ID), the notification's
/// status and the audit rows (case registered, notification accepted) in one
/// transaction.
pub async fn accept(db: &Db, scope: CentreScope, staff_id: i64, id: i64, case: NewCase, now: DateTime<Utc>) -> Result<Decided> {
    on!(db, s => sqlite::accept(s, scope, staff_id, id, case, now).await, p => postgres::accept(p, scope, staff_id, id, case, now).await)
}

/// Marks a new notification a duplicate of the centre's case `case_id`, audited in the
/// same transaction.
pub async fn mark_duplicate(db: &Db, scope: CentreScope, staff_id: i64, id: i64, case_id: i64, now: DateTime<Utc>) -> Result<Decided> {
    on!(db, s => sqlite::mark_duplicate(s, scope, staff_id, id, case_id, now).await, p => postgres::mark_duplicate(p, scope, staff_id, id, case_id, now).await)
}

const DECIDE: &str = "UPDATE notifications SET status = $1, case_id = $2, decided_by = $3, decided_at = $4 WHERE id = $5 AND centre_id = $6 AND status = 'new'";
const FIND: &str = "SELECT status FROM notifications WHERE id = $1 AND centre_id = $2";

/// One age band's count of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BandCount {
    /// Lower bound.
    pub from: i64,
    /// Upper bound (inclusive), none for the last band.
    pub to: Option<i64>,
    /// Patients diagnosed.
    pub count: i64,
}

/// Replaces the clinic's counts of `day` (one row per band), audited in the same
/// transaction.
pub async fn put_counts(db: &Db, by: &OrgPrincipal, institution_id: i64, day: NaiveDate, counts: Vec<BandCount>, now: DateTime<Utc>) -> Result<()> {
    let audit = audit_params(by, OrgAction::EnterCounts, None, now);
    let day = day.to_string();
    let account = by.account_id;
    on!(db, s => sqlite::put_counts(s, account, institution_id, day, counts, audit, now).await,
        p => postgres::put_counts(p, account, institution_id, day, counts, audit, now).await)
}

/// The clinic's counts of `from..=to`: (day, band counts), by day; days without an
/// entry are absent.
pub async fn counts(db: &Db, institution_id: i64, from: NaiveDate, to: NaiveDate) -> Result<Vec<(NaiveDate, Vec<BandCount>)>> {
    let rows = query(
        db,
        "SELECT day, band_from, band_to, count FROM daily_counts WHERE institution_id = $1 AND day >= $2 AND day <= $3 ORDER BY day, band_from",
        vec![institution_id.into(), from.to_string().into(), to.to_string().into()],
    )
    .await?;
    let mut out: Vec<(NaiveDate, Vec<BandCount>)> = Vec::new();
    for r in &rows {
        let day = r.d(0)?;
        let c = BandCount { from: r.i(1)?, to: r.oi(2)?, count: r.i(3)? };
        match out.last_mut() {
            Some((d, v)) if *d == day => v.push(c),
            _ => out.push((day, vec![c])),
        }
    }
    Ok(out)
}

const INSERT_COUNT: &str =
    "INSERT INTO daily_counts (institution_id, day, band_from, band_to, count, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// An account as a principal, by id (the demo and commands act as a login).
pub async fn session_of(db: &Db, account_id: i64) -> Result<OrgPrincipal> {
    let rows = query(
        db,
        "SELECT a.id, a.role, a.name, i.id, i.name, i.code, i.municipality_code FROM org_accounts a \
         LEFT JOIN institutions i ON i.id = a.institution_id WHERE a.id = $1",
        vec![account_id.into()],
    )
    .await?;
    let r = rows.first().ok_or_else(|| Error::Internal("no such account".into()))?;
    let role = OrgRole::parse(&r.s(1)?).ok_or_else(|| Error::Db("bad role".into()))?;
    let institution = if r.oi(3)?.is_some() { Some(institution_of(r, 3)?) } else { None };
    Ok(OrgPrincipal { account_id: r.i(0)?, role, name: r.s(2)?, institution })
}
