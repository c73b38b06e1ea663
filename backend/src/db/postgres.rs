//! The PostgreSQL store (tokio-postgres with a deadpool connection pool).
//!
//! Same operations and same rules as the SQLite store; batches use arrays (`= ANY($1)`,
//! `UNNEST`) so one report batch is a handful of statements in one transaction.
//! Several server copies may share one database: report ids are applied with
//! `INSERT … ON CONFLICT DO NOTHING` and a lost race is resolved by reading the winner.
//! `sslmode=require`/`verify-full` in the URL connects over TLS (rustls), checking the
//! server's certificate against the server's trusted authorities (`tls.rs`).

use super::migrate::{CREATE_TABLE, POSTGRES};
use super::*;
use crate::error::{Error, Result};
use crate::ingest::Plan;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use std::collections::HashMap;
use tokio_postgres::error::SqlState;
use tokio_postgres::{NoTls, Row};

mod fhir;
mod household;
mod throttle;
mod rights;
mod web;

pub(crate) use web::insert_audit;

/// A PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
}

impl PgStore {
    /// The connection pool, for the operations of a capability's own module (the
    /// automated call keeps its store beside its rules).
    pub(crate) fn pool(&self) -> &Pool {
        &self.pool
    }
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgStore")
    }
}

/// The URL without its `sslmode` parameter, and whether TLS is demanded.
fn split_sslmode(url: &str) -> Result<(String, bool)> {
    let Some((base, query)) = url.split_once('?') else { return Ok((url.to_owned(), false)) };
    let mut tls = false;
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("sslmode", mode)) => {
                tls = match mode {
                    "require" | "verify-ca" | "verify-full" => true,
                    "disable" | "allow" | "prefer" => false,
                    _ => return Err(Error::Db("sslmode must be disable, prefer, require, verify-ca or verify-full".into())),
                }
            }
            _ => rest.push(pair),
        }
    }
    Ok(if rest.is_empty() { (base.to_owned(), tls) } else { (format!("{base}?{}", rest.join("&")), tls) })
}

/// Why the first connection failed, for the start-up error: the TLS check that failed,
/// a server without TLS, a refused connection (never the URL or its password).
fn connect_failure(e: deadpool_postgres::PoolError) -> Error {
    let deadpool_postgres::PoolError::Backend(pg) = &e else { return e.into() };
    if let Some(why) = crate::tls::handshake_failure(pg) {
        return Error::Db(format!("postgres: {why}"));
    }
    let mut text = pg.to_string();
    let mut src = std::error::Error::source(pg);
    while let Some(inner) = src {
        text = format!("{text}: {inner}");
        src = inner.source();
    }
    if text.contains("TLS") {
        // tokio-postgres's own sentences, e.g. "server does not support TLS".
        return Error::Db(format!("postgres: {text}"));
    }
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(pg);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Error::Db(format!("postgres: connection failed ({})", io.kind()));
        }
        cur = err.source();
    }
    e.into()
}

fn unique_violation(e: &tokio_postgres::Error) -> Option<String> {
    let db = e.as_db_error()?;
    (db.code() == &SqlState::UNIQUE_VIOLATION).then(|| db.constraint().unwrap_or("").to_owned())
}

fn bad(what: &str) -> Error {
    Error::Db(format!("bad {what} in a row"))
}

fn kind(s: &str) -> Result<Kind> {
    Kind::parse(s).ok_or_else(|| bad("kind"))
}

fn observation(s: &str) -> Result<Observation> {
    Observation::parse(s).ok_or_else(|| bad("observation"))
}

const CASE_COLUMNS: &str = "c.id, c.centre_id, c.name, c.name_reading, c.date_of_birth, c.phone, c.email, c.kind, \
     c.observation, c.period_start, c.period_end, c.input_id, c.active, c.created_at, \
     EXISTS (SELECT 1 FROM patients p WHERE p.case_id = c.id), c.urgent_since, c.erased_at IS NOT NULL";

fn case_row(r: &Row) -> Result<CaseRecord> {
    Ok(CaseRecord {
        id: r.try_get(0)?,
        centre_id: r.try_get(1)?,
        name: r.try_get(2)?,
        name_reading: r.try_get(3)?,
        date_of_birth: r.try_get(4)?,
        phone: r.try_get(5)?,
        email: r.try_get(6)?,
        kind: kind(r.try_get(7)?)?,
        observation: observation(r.try_get(8)?)?,
        period_start: r.try_get(9)?,
        period_end: r.try_get(10)?,
        input_id: r.try_get(11)?,
        active: r.try_get(12)?,
        created_at: r.try_get(13)?,
        registered: r.try_get(14)?,
        urgent_since: r.try_get(15)?,
        erased: r.try_get(16)?,
    })
}

/// A report (columns 0–8) followed by the `HANDLED_COLUMNS` of the pages' data layer.
fn entry_row(r: &Row) -> Result<ReportEntry> {
    let handled = match r.try_get::<_, Option<DateTime<Utc>>>(9)? {
        None => None,
        Some(at) => Some(Handled { at, staff_name: r.try_get(10)?, note: r.try_get(11)?, by_contact: r.try_get(12)? }),
    };
    Ok(ReportEntry { report: report_row(r)?, handled })
}


fn report_row(r: &Row) -> Result<StoredReport> {
    let tenths: i16 = r.try_get(4)?;
    Ok(StoredReport {
        id: r.try_get(0)?,
        case_id: r.try_get(1)?,
        local_date: r.try_get(2)?,
        kind: kind(r.try_get(3)?)?,
        temperature: Temperature::from_tenths(i64::from(tenths)).map_err(|_| bad("temperature"))?,
        answers: Answers::parse(r.try_get(5)?).map_err(|_| bad("answers"))?,
        recorded_at: r.try_get(6)?,
        advice: AdviceLevel::parse(r.try_get(7)?).ok_or_else(|| bad("advice"))?,
        received_at: r.try_get(8)?,
    })
}

fn registration_row(r: &Row) -> Result<Registration> {
    Ok(Registration {
        id: r.try_get(0)?,
        email: r.try_get(1)?,
        code_hash: r.try_get(2)?,
        code_expires_at: r.try_get(3)?,
        tries: r.try_get(4)?,
        state: RegState::parse(r.try_get(5)?),
        token_hash: r.try_get(6)?,
        token_expires_at: r.try_get(7)?,
        password_hash: r.try_get(8)?,
        attribute_tries: r.try_get(9)?,
        created_at: r.try_get(10)?,
    })
}

impl PgStore {
    /// Connects and brings the schema up to date (under an advisory lock, so several
    /// copies starting together migrate once). `sslmode` in the URL chooses TLS:
    /// `require`, `verify-ca` and `verify-full` all demand TLS and check the server's
    /// certificate chain against `trust` and its host name (stricter than libpq's
    /// `require`); `disable`, `allow`, `prefer` or none connect without TLS.
    pub async fn open(url: &str, trust: &crate::tls::Trust) -> Result<PgStore> {
        let (url, tls) = split_sslmode(url)?;
        let mut config: tokio_postgres::Config = url.parse().map_err(|_| Error::Db("the PostgreSQL URL does not parse".into()))?;
        // A database that is away makes requests fail within seconds (503), never hang.
        let limit = Some(std::time::Duration::from_secs(5));
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(5));
        }
        let mcfg = ManagerConfig { recycling_method: RecyclingMethod::Fast };
        let manager = if tls {
            config.ssl_mode(tokio_postgres::config::SslMode::Require);
            Manager::from_config(config, tokio_postgres_rustls::MakeRustlsConnect::new(trust.client_config()?), mcfg)
        } else {
            config.ssl_mode(tokio_postgres::config::SslMode::Disable);
            Manager::from_config(config, NoTls, mcfg)
        };
        let pool = Pool::builder(manager)
            .max_size(16)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(limit)
            .create_timeout(limit)
            .recycle_timeout(limit)
            .build()
            .map_err(|e| Error::Db(format!("pool: {e}")))?;
        let store = PgStore { pool };
        let mut client = store.pool.get().await.map_err(connect_failure)?;
        let tx = client.transaction().await?;
        tx.execute("SELECT pg_advisory_xact_lock(7262707)", &[]).await?;
        tx.batch_execute(CREATE_TABLE).await?;
        let done: i64 = tx.query_one("SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations", &[]).await?.try_get(0)?;
        for m in POSTGRES.iter().filter(|m| m.version > done) {
            tx.batch_execute(m.sql).await?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                &[&m.version, &m.name, &Utc::now().to_rfc3339()],
            )
            .await?;
        }
        tx.commit().await?;
        drop(client);
        Ok(store)
    }

    async fn one<T>(&self, sql: &str, params: &[&(dyn tokio_postgres::types::ToSql + Sync)], map: impl Fn(&Row) -> Result<T>) -> Result<Option<T>> {
        let client = self.pool.get().await?;
        let stmt = client.prepare_cached(sql).await?;
        client.query_opt(&stmt, params).await?.as_ref().map(map).transpose()
    }

    async fn all<T>(&self, sql: &str, params: &[&(dyn tokio_postgres::types::ToSql + Sync)], map: impl Fn(&Row) -> Result<T>) -> Result<Vec<T>> {
        let client = self.pool.get().await?;
        let stmt = client.prepare_cached(sql).await?;
        client.query(&stmt, params).await?.iter().map(map).collect()
    }

    async fn exec(&self, sql: &str, params: &[&(dyn tokio_postgres::types::ToSql + Sync)]) -> Result<u64> {
        let client = self.pool.get().await?;
        let stmt = client.prepare_cached(sql).await?;
        Ok(client.execute(&stmt, params).await?)
    }

    pub(super) async fn ping(&self) -> Result<()> {
        self.one("SELECT 1", &[], |_| Ok(())).await.map(|_| ())
    }

    /// A primary that accepts writes (not a standby, not read-only by default).
    pub(super) async fn writable(&self) -> Result<()> {
        let sql = "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'";
        match self.one(sql, &[], |r| Ok(r.try_get::<_, bool>(0)?)).await? {
            Some(true) => Ok(()),
            _ => Err(Error::Db("the database is read-only".into())),
        }
    }

    pub(super) async fn create_centre_with_admin(&self, c: NewCentre, a: NewStaff, now: DateTime<Utc>) -> Result<(Centre, i64)> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO centres (name, emergency_number, jurisdiction_code, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                &[&c.name, &c.emergency_number, &c.jurisdiction_code, &now],
            )
            .await
            .map_err(|e| if unique_violation(&e).is_some() { Error::Conflict("jurisdiction_code") } else { e.into() })?
            .try_get(0)?;
        let staff_id = insert_staff(&*tx, id, &a, now).await?;
        tx.commit().await?;
        Ok((Centre { id, name: c.name, emergency_number: c.emergency_number, jurisdiction_code: c.jurisdiction_code }, staff_id))
    }

    pub(super) async fn centre(&self, scope: CentreScope) -> Result<Option<Centre>> {
        self.one(
            "SELECT id, name, emergency_number, jurisdiction_code FROM centres WHERE id = $1",
            &[&scope.centre_id()],
            |r| Ok(Centre { id: r.try_get(0)?, name: r.try_get(1)?, emergency_number: r.try_get(2)?, jurisdiction_code: r.try_get(3)? }),
        )
        .await
    }

    pub(super) async fn create_staff(&self, scope: CentreScope, s: NewStaff, now: DateTime<Utc>) -> Result<i64> {
        let client = self.pool.get().await?;
        insert_staff(&**client, scope.centre_id(), &s, now).await
    }

    pub(super) async fn staff_login(&self, email: &str) -> Result<Option<LoginRow>> {
        self.one("SELECT id, password_hash FROM staff WHERE email = $1", &[&email], |r| {
            Ok(LoginRow { id: r.try_get(0)?, password_hash: r.try_get(1)? })
        })
        .await
    }

    pub(super) async fn patient_login(&self, email: &str) -> Result<Option<LoginRow>> {
        self.one("SELECT id, password_hash FROM patients WHERE email = $1", &[&email], |r| {
            Ok(LoginRow { id: r.try_get(0)?, password_hash: r.try_get(1)? })
        })
        .await
    }

    pub(super) async fn create_session(&self, hash: &str, owner: SessionOwner, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<()> {
        let client = self.pool.get().await?;
        insert_session(&**client, hash, owner, now, expires).await
    }

    pub(super) async fn session(&self, hash: &str, now: DateTime<Utc>) -> Result<Option<Principal>> {
        let row = self
            .one(
                "SELECT s.staff_id, st.centre_id, st.role, s.patient_id, p.case_id FROM sessions s \
                 LEFT JOIN staff st ON st.id = s.staff_id LEFT JOIN patients p ON p.id = s.patient_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2",
                &[&hash, &now],
                |r| {
                    Ok((
                        r.try_get::<_, Option<i64>>(0)?,
                        r.try_get::<_, Option<i64>>(1)?,
                        r.try_get::<_, Option<String>>(2)?,
                        r.try_get::<_, Option<i64>>(3)?,
                        r.try_get::<_, Option<i64>>(4)?,
                    ))
                },
            )
            .await?;
        Ok(row.and_then(|row| match row {
            (Some(staff_id), Some(centre), Some(role), _, _) => {
                Some(Principal::Staff { staff_id, scope: CentreScope::new(centre), role: Role::parse(&role)? })
            }
            (None, _, _, Some(patient_id), Some(case_id)) => Some(Principal::Patient { patient_id, case_id }),
            _ => None,
        }))
    }

    pub(super) async fn delete_session(&self, hash: &str) -> Result<bool> {
        Ok(self.exec("DELETE FROM sessions WHERE token_hash = $1", &[&hash]).await? > 0)
    }

    pub(super) async fn purge_expired(&self, now: DateTime<Utc>, registrations_before: DateTime<Utc>) -> Result<(u64, u64)> {
        let sessions = self.exec("DELETE FROM sessions WHERE expires_at <= $1", &[&now]).await?;
        let registrations = self.exec("DELETE FROM registrations WHERE created_at < $1", &[&registrations_before]).await?;
        Ok((sessions, registrations))
    }

    pub(super) async fn insert_case(&self, scope: CentreScope, c: NewCase, input_id: &str, now: DateTime<Utc>) -> Result<Option<CaseRecord>> {
        let client = self.pool.get().await?;
        let Some(id) = insert_case_row(&**client, scope, &c, input_id, now).await? else { return Ok(None) };
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.id = $1 AND c.centre_id = $2");
        self.one(&sql, &[&id, &scope.centre_id()], case_row).await
    }

    pub(super) async fn list_cases(&self, scope: CentreScope) -> Result<Vec<CaseRecord>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.centre_id = $1 AND {} ORDER BY c.id DESC", crate::db::rights::in_use!("c"));
        self.all(&sql, &[&scope.centre_id()], case_row).await
    }

    pub(super) async fn case(&self, scope: CentreScope, id: i64) -> Result<Option<CaseRecord>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.id = $1 AND c.centre_id = $2");
        self.one(&sql, &[&id, &scope.centre_id()], case_row).await
    }

    pub(super) async fn close_case(&self, scope: CentreScope, id: i64) -> Result<bool> {
        Ok(self.exec("UPDATE cases SET active = FALSE WHERE id = $1 AND centre_id = $2", &[&id, &scope.centre_id()]).await? == 1)
    }

    pub(super) async fn case_reports(&self, scope: CentreScope, case_id: i64) -> Result<Option<Vec<ReportEntry>>> {
        let owned = self.one("SELECT 1 FROM cases WHERE id = $1 AND centre_id = $2", &[&case_id, &scope.centre_id()], |_| Ok(())).await?;
        if owned.is_none() {
            return Ok(None);
        }
        let sql = format!(
            "SELECT {}, {} FROM reports r {} WHERE r.case_id = $1 \
             AND r.case_id IN (SELECT id FROM cases WHERE centre_id = $2) ORDER BY r.received_at, r.local_date, r.recorded_at, r.id",
            report_columns_of("r"),
            super::web::HANDLED_COLUMNS,
            super::web::HANDLED_JOIN
        );
        self.all(&sql, &[&case_id, &scope.centre_id()], entry_row).await.map(Some)
    }

    pub(super) async fn own_reports(&self, case_id: i64) -> Result<Vec<StoredReport>> {
        let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE case_id = $1 ORDER BY local_date, recorded_at, id");
        self.all(&sql, &[&case_id], report_row).await
    }

    pub(super) async fn profile(&self, case_id: i64) -> Result<Option<Profile>> {
        self.one(
            "SELECT c.kind, c.observation, c.period_start, c.period_end, ce.name, ce.emergency_number \
             FROM cases c JOIN centres ce ON ce.id = c.centre_id WHERE c.id = $1",
            &[&case_id],
            |r| {
                Ok(Profile {
                    kind: kind(r.try_get(0)?)?,
                    observation: observation(r.try_get(1)?)?,
                    period_start: r.try_get(2)?,
                    period_end: r.try_get(3)?,
                    centre_name: r.try_get(4)?,
                    emergency_number: r.try_get(5)?,
                })
            },
        )
        .await
    }

    pub(super) async fn create_registration(&self, r: Registration) -> Result<()> {
        self.exec(
            "INSERT INTO registrations (id, email, code_hash, code_expires_at, tries, state, created_at) \
             VALUES ($1, $2, $3, $4, 0, 'pending', $5)",
            &[&r.id, &r.email, &r.code_hash, &r.code_expires_at, &r.created_at],
        )
        .await
        .map(|_| ())
    }

    pub(super) async fn registration(&self, id: Uuid) -> Result<Option<Registration>> {
        self.one(
            "SELECT id, email, code_hash, code_expires_at, tries, state, token_hash, token_expires_at, password_hash, \
             attribute_tries, created_at FROM registrations WHERE id = $1",
            &[&id],
            registration_row,
        )
        .await
    }

    pub(super) async fn claim_code_try(&self, id: Uuid, max: i64) -> Result<Option<i64>> {
        self.one(
            "UPDATE registrations SET tries = tries + 1 WHERE id = $1 AND state = 'pending' AND tries < $2 RETURNING tries",
            &[&id, &max],
            |r| Ok(r.try_get::<_, i64>(0)?),
        )
        .await
    }

    pub(super) async fn kill_registration(&self, id: Uuid) -> Result<()> {
        self.exec("UPDATE registrations SET state = 'dead' WHERE id = $1 AND state = 'pending'", &[&id]).await?;
        Ok(())
    }

    pub(super) async fn mark_verified(&self, id: Uuid, token_hash: &str, expires: DateTime<Utc>) -> Result<bool> {
        Ok(self
            .exec(
                "UPDATE registrations SET state = 'verified', token_hash = $2, token_expires_at = $3 WHERE id = $1 AND state = 'pending'",
                &[&id, &token_hash, &expires],
            )
            .await?
            == 1)
    }

    pub(super) async fn set_registration_password(&self, id: Uuid, hash: &str) -> Result<bool> {
        Ok(self.exec("UPDATE registrations SET password_hash = $2 WHERE id = $1 AND state = 'verified'", &[&id, &hash]).await? == 1)
    }

    pub(super) async fn count_attribute_mismatch(&self, id: Uuid, max: i64) -> Result<i64> {
        let n = self
            .one(
                "UPDATE registrations SET attribute_tries = attribute_tries + 1, \
                 state = CASE WHEN attribute_tries + 1 >= $2 THEN 'dead' ELSE state END \
                 WHERE id = $1 AND state = 'verified' RETURNING attribute_tries",
                &[&id, &max],
                |r| Ok(r.try_get::<_, i64>(0)?),
            )
            .await?;
        Ok(n.unwrap_or(max))
    }

    pub(super) async fn case_by_input_id(&self, input_id: &str) -> Result<Option<CaseRecord>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.input_id = $1 AND c.active");
        self.one(&sql, &[&input_id], case_row).await
    }

    pub(super) async fn complete_registration(&self, reg_id: Uuid, case_id: i64, token_hash: &str, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<Completion> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let reg = tx
            .query_opt(
                "SELECT email, password_hash FROM registrations WHERE id = $1 AND state = 'verified' AND password_hash IS NOT NULL FOR UPDATE",
                &[&reg_id],
            )
            .await?;
        let Some(reg) = reg else { return Ok(Completion::NotVerified) };
        let (email, password_hash): (String, String) = (reg.try_get(0)?, reg.try_get(1)?);
        let inserted = tx
            .query_one(
                "INSERT INTO patients (email, password_hash, case_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                &[&email, &password_hash, &case_id, &now],
            )
            .await;
        let patient_id: i64 = match inserted {
            Ok(row) => row.try_get(0)?,
            Err(e) => {
                return match unique_violation(&e) {
                    Some(c) if c.contains("case_id") => Ok(Completion::CaseTaken),
                    Some(_) => Ok(Completion::EmailTaken),
                    None => Err(e.into()),
                };
            }
        };
        insert_session(&*tx, token_hash, SessionOwner::Patient(patient_id), now, expires).await?;
        tx.execute("UPDATE registrations SET state = 'done', token_hash = NULL, password_hash = NULL WHERE id = $1", &[&reg_id])
            .await?;
        tx.commit().await?;
        Ok(Completion::Linked(patient_id))
    }

    pub(super) async fn ingest(&self, jobs: Vec<JobInput>, now: DateTime<Utc>) -> Result<Vec<JobOutcome>> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        let mut hashes: Vec<&str> = jobs.iter().map(|j| j.token_hash.as_str()).collect();
        hashes.sort_unstable();
        hashes.dedup();
        let stmt = tx
            .prepare_cached(
                "SELECT s.token_hash, p.id, c.id, c.period_start, c.period_end, c.suspended_at IS NOT NULL FROM sessions s \
                 JOIN patients p ON p.id = s.patient_id JOIN cases c ON c.id = p.case_id \
                 WHERE s.token_hash = ANY($1) AND s.expires_at > $2",
            )
            .await?;
        let mut ctxs = HashMap::new();
        for r in tx.query(&stmt, &[&hashes, &now]).await? {
            let ctx = PatientCtx {
                patient_id: r.try_get(1)?,
                case_id: r.try_get(2)?,
                period_start: r.try_get(3)?,
                period_end: r.try_get(4)?,
                members: Vec::new(),
                suspended: r.try_get(5)?,
            };
            ctxs.insert(r.try_get::<_, String>(0)?, ctx);
        }
        // Reports made by the automated call name their case, not a session.
        for job in &jobs {
            if let Some(case_id) = crate::ingest::call_case(&job.token_hash)
                && let Some(r) = tx.query_opt("SELECT period_start, period_end, suspended_at IS NOT NULL FROM cases WHERE id = $1 AND active", &[&case_id]).await?
            {
                let ctx = PatientCtx { patient_id: 0, case_id, period_start: r.try_get(0)?, period_end: r.try_get(1)?, members: Vec::new(), suspended: r.try_get(2)? };
                ctxs.insert(job.token_hash.clone(), ctx);
            }
        }
        // The household links, only for requests that name a member.
        let naming: Vec<i64> = jobs.iter().filter(|j| j.names_members()).filter_map(|j| ctxs.get(&j.token_hash)).map(|c| c.patient_id).collect();
        if !naming.is_empty() {
            let rows = tx
                .query(
                    "SELECT h.patient_id, h.id, c.id, c.period_start, c.period_end, c.suspended_at IS NOT NULL FROM household h JOIN cases c ON c.id = h.case_id \
                     WHERE h.patient_id = ANY($1) AND h.unlinked_at IS NULL AND c.active",
                    &[&naming],
                )
                .await?;
            for r in rows {
                let patient: i64 = r.try_get(0)?;
                let member = MemberCtx { id: r.try_get(1)?, case_id: r.try_get(2)?, period_start: r.try_get(3)?, period_end: r.try_get(4)?, suspended: r.try_get(5)? };
                for ctx in ctxs.values_mut().filter(|c| c.patient_id == patient) {
                    ctx.members.push(member);
                }
            }
        }
        let mut plan = Plan::new(jobs, &ctxs);
        // Insert first (one round trip for the usual, new ids); ids that were already
        // stored come back missing from RETURNING and only those are read.
        plan.set_existing(Vec::new());
        let by_ids = tx.prepare_cached(&format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = ANY($1)")).await?;
        let rows = plan.rows_to_insert(now);
        if !rows.is_empty() {
            let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
            let insert = tx
                .prepare_cached(&format!(
                    "WITH ins AS (INSERT INTO reports ({REPORT_COLUMNS}) SELECT * FROM UNNEST($1::uuid[], $2::int8[], $3::date[], \
                     $4::text[], $5::int2[], $6::text[], $7::timestamptz[], $8::text[], $9::timestamptz[]) ON CONFLICT (id) DO NOTHING \
                     RETURNING id, case_id, local_date, recorded_at, received_at, temperature_tenths, advice), \
                     latest AS (SELECT DISTINCT ON (case_id) * FROM ins ORDER BY case_id, local_date DESC, recorded_at DESC), \
                     agg AS (SELECT case_id, bool_or(advice = 'call_now') AS urgent, \
                     max(temperature_tenths) FILTER (WHERE temperature_tenths >= {fever}) AS fever FROM ins GROUP BY case_id), \
                     upd AS (UPDATE cases c SET last_local_date = n.local_date, last_recorded_at = n.recorded_at, \
                     last_received_at = n.received_at, last_temperature_tenths = n.temperature_tenths, last_advice = n.advice, \
                     last_received_on = $10, \
                     fever_tenths = CASE WHEN a.fever IS NULL THEN c.fever_tenths \
                       WHEN c.fever_on = $10 AND c.fever_tenths >= a.fever THEN c.fever_tenths ELSE a.fever END, \
                     fever_on = CASE WHEN a.fever IS NULL THEN c.fever_on ELSE $10 END, \
                     urgent_since = CASE WHEN a.urgent THEN coalesce(c.urgent_since, n.received_at) ELSE c.urgent_since END \
                     FROM latest n JOIN agg a ON a.case_id = n.case_id WHERE c.id = n.case_id) \
                     SELECT id FROM ins",
                    fever = protocol::Temperature::FEVER_TENTHS
                ))
                .await?;
            let inserted = tx
                .query(
                    &insert,
                    &[
                        &ids,
                        &rows.iter().map(|r| r.case_id).collect::<Vec<_>>(),
                        &rows.iter().map(|r| r.local_date).collect::<Vec<_>>(),
                        &rows.iter().map(|r| r.kind.as_str()).collect::<Vec<_>>(),
                        &rows.iter().map(|r| r.temperature.tenths() as i16).collect::<Vec<_>>(),
                        &rows.iter().map(|r| r.answers.to_digits()).collect::<Vec<_>>(),
                        &rows.iter().map(|r| r.recorded_at).collect::<Vec<_>>(),
                        &rows.iter().map(|r| r.advice.as_str()).collect::<Vec<_>>(),
                        &rows.iter().map(|r| r.received_at).collect::<Vec<_>>(),
                        &crate::web::today(now),
                    ],
                )
                .await?;
            if inserted.len() != rows.len() {
                let done: Vec<Uuid> = inserted.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?;
                let raced: Vec<Uuid> = ids.into_iter().filter(|id| !done.contains(id)).collect();
                let winners = tx.query(&by_ids, &[&raced]).await?.iter().map(report_row).collect::<Result<Vec<_>>>()?;
                plan.set_existing(winners);
            }
        }
        tx.commit().await?;
        Ok(plan.finish())
    }
}

/// Inserts a case with `input_id` (in `c`'s transaction, when it is one); `None` when an
/// active case holds that input ID: nothing is added and a transaction goes on, so the
/// caller can draw another one. The one copy of a case's insert.
pub(crate) async fn insert_case_row(c: &impl tokio_postgres::GenericClient, scope: CentreScope, case: &NewCase, input_id: &str, now: DateTime<Utc>) -> Result<Option<i64>> {
    let row = c
        .query_opt(
            "INSERT INTO cases (centre_id, name, name_reading, date_of_birth, phone, email, kind, observation, \
             period_start, period_end, input_id, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, TRUE, $12) ON CONFLICT DO NOTHING RETURNING id",
            &[
                &scope.centre_id(),
                &case.name,
                &case.name_reading,
                &case.date_of_birth,
                &case.phone,
                &case.email,
                &case.kind.as_str(),
                &case.observation.as_str(),
                &case.period_start,
                &case.period_end,
                &input_id,
                &now,
            ],
        )
        .await?;
    Ok(row.map(|r| r.try_get::<_, i64>(0)).transpose()?)
}

async fn insert_staff(c: &impl tokio_postgres::GenericClient, centre_id: i64, s: &NewStaff, now: DateTime<Utc>) -> Result<i64> {
    let row = c
        .query_one(
            "INSERT INTO staff (centre_id, email, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[&centre_id, &s.email, &s.name, &s.role.as_str(), &s.password_hash, &now],
        )
        .await
        .map_err(|e| if unique_violation(&e).is_some() { Error::Conflict("staff_email") } else { e.into() })?;
    Ok(row.try_get(0)?)
}

async fn insert_session(c: &impl tokio_postgres::GenericClient, hash: &str, owner: SessionOwner, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<()> {
    let (staff, patient) = match owner {
        SessionOwner::Staff(id) => (Some(id), None::<i64>),
        SessionOwner::Patient(id) => (None, Some(id)),
    };
    c.execute(
        "INSERT INTO sessions (token_hash, staff_id, patient_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        &[&hash, &staff, &patient, &now, &expires],
    )
    .await?;
    Ok(())
}
