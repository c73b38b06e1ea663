//! The SQLite store (rusqlite, bundled SQLite — the same library the phone core uses).
//!
//! WAL journal, `synchronous=FULL` (a commit is on disk before it is acknowledged), one
//! writer connection (every write is an `IMMEDIATE` transaction through
//! [`SqliteStore::write`], committed only when its closure returns `Ok`) and a few
//! reader connections. All calls run on tokio's blocking threads.

use super::migrate::{CREATE_TABLE, SQLITE};
use super::sqlite_rows::*;
use super::*;
use crate::error::{Error, Result};
use crate::ingest::Plan;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

mod fhir;
mod household;
mod throttle;
mod rights;
mod web;

pub(crate) use web::insert_audit;

const READERS: usize = 4;

/// A SQLite database file.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SqliteStore({})", self.inner.path.display())
    }
}

fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let c = Connection::open(path)?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    // Small pages for a new file: report sync dirties one random index page per report,
    // and every dirty page is written to the WAL and again at checkpoint.
    c.pragma_update(None, "page_size", 1024)?;
    c.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))?;
    c.pragma_update(None, "synchronous", "FULL")?;
    c.pragma_update(None, "foreign_keys", "ON")?;
    c.set_prepared_statement_cache_capacity(64);
    Ok(c)
}

/// Refuses to start when the database file, its WAL or its `-shm` exists but cannot
/// be opened for writing (read-only file system, `chattr +i`, permissions). SQLite maps
/// the `-shm` file into memory; once mapped, a write the kernel refuses arrives as
/// SIGBUS and ends the process without a word, so the refusal must come first, here,
/// with a log line naming the file.
fn writable_files(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let file = Path::new(&name);
        if !file.exists() {
            continue;
        }
        if let Err(e) = std::fs::OpenOptions::new().read(true).write(true).open(file) {
            tracing::error!(file = %file.display(), error = %e, "a database file cannot be written; not starting");
            let which = if suffix.is_empty() { "the database file" } else { suffix };
            return Err(Error::Db(format!("{which} cannot be opened for writing ({})", e.kind())));
        }
    }
    Ok(())
}

fn migrate(c: &mut Connection) -> Result<()> {
    c.execute_batch(CREATE_TABLE)?;
    let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let done: i64 = tx.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))?;
    for m in SQLITE.iter().filter(|m| m.version > done) {
        tx.execute_batch(m.sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![m.version, m.name, Utc::now().to_rfc3339()],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Copies the WAL back into the database file in the background, beside the writer.
/// A checkpoint running while the writer keeps appending never catches up completely,
/// so when little is left it finishes under the writer's lock; the next commit then
/// starts the WAL from the beginning again. Ends when the store is dropped.
fn checkpointer(conn: &Connection, store: &std::sync::Weak<Inner>) {
    const LEFT_FOR_THE_LOCK: i64 = 2_000;
    loop {
        std::thread::sleep(std::time::Duration::from_millis(200));
        let Some(inner) = store.upgrade() else { return };
        let passive = |c: &Connection| c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)));
        match passive(conn) {
            Ok((log, done)) if log > 0 && log - done < LEFT_FOR_THE_LOCK => {
                let _writer = lock(&inner.writer);
                if let Err(e) = passive(conn) {
                    tracing::warn!(error = %Error::from(e), "WAL checkpoint failed");
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %Error::from(e), "WAL checkpoint failed"),
        }
    }
}

fn lock(m: &Mutex<Connection>) -> std::sync::MutexGuard<'_, Connection> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn is_unique(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

impl SqliteStore {
    /// Opens (creating if needed) the file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<SqliteStore> {
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| Error::Db(format!("cannot create folder: {}", e.kind())))?;
            }
            writable_files(&path)?;
            let mut writer = connect(&path)?;
            // The writer keeps a larger page cache and does not checkpoint: a background
            // thread does (see `checkpointer`), so commits never wait for the WAL to be
            // copied back. The writer checkpoints itself only if the WAL passes 64 MB.
            writer.pragma_update(None, "cache_size", -32_768)?;
            writer.pragma_update(None, "wal_autocheckpoint", 65_536)?;
            writer.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
            migrate(&mut writer)?;
            let readers = (0..READERS).map(|_| connect(&path).map(Mutex::new)).collect::<rusqlite::Result<Vec<_>>>()?;
            let checkpoint_conn = connect(&path)?;
            let inner = Arc::new(Inner { path, writer: Mutex::new(writer), readers, next: AtomicUsize::new(0) });
            let weak = Arc::downgrade(&inner);
            std::thread::Builder::new()
                .name("sqlite-checkpoint".into())
                .spawn(move || checkpointer(&checkpoint_conn, &weak))
                .map_err(|e| Error::Internal(format!("checkpoint thread: {e}")))?;
            Ok(SqliteStore { inner })
        })
        .await
        .map_err(|e| Error::Internal(format!("open task: {e}")))?
    }

    /// Runs `f` on a reader connection.
    pub async fn read<T: Send + 'static>(&self, f: impl FnOnce(&Connection) -> Result<T> + Send + 'static) -> Result<T> {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let i = inner.next.fetch_add(1, Ordering::Relaxed) % inner.readers.len();
            f(&lock(&inner.readers[i]))
        })
        .await
        .map_err(|e| Error::Internal(format!("read task: {e}")))?
    }

    /// Runs `f` in an `IMMEDIATE` transaction on the writer connection; commits only
    /// when `f` returns `Ok`.
    pub async fn write<T: Send + 'static>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T> + Send + 'static) -> Result<T> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.write_here(f))
            .await
            .map_err(|e| Error::Internal(format!("write task: {e}")))?
    }

    /// [`Self::write`] on the calling thread (which may block).
    fn write_here<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = lock(&self.inner.writer);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    pub(super) async fn ping(&self) -> Result<()> {
        self.read(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?)).await
    }

    /// Commits a write that changes nothing (the header's `user_version`, unused by the
    /// schema, set to itself): fails when the file, its WAL or the disk refuse writes.
    pub(super) async fn writable(&self) -> Result<()> {
        self.write(|tx| {
            let v: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            tx.execute_batch(&format!("PRAGMA user_version = {v}"))?;
            Ok(())
        })
        .await
    }

    pub(super) async fn create_centre_with_admin(&self, c: NewCentre, a: NewStaff, now: DateTime<Utc>) -> Result<(Centre, i64)> {
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO centres (name, emergency_number, jurisdiction_code, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![c.name, c.emergency_number, c.jurisdiction_code, ms(now)],
            )
            .map_err(|e| if is_unique(&e) { Error::Conflict("jurisdiction_code") } else { e.into() })?;
            let centre = Centre { id: tx.last_insert_rowid(), name: c.name, emergency_number: c.emergency_number, jurisdiction_code: c.jurisdiction_code };
            let staff_id = insert_staff(tx, centre.id, &a, now)?;
            Ok((centre, staff_id))
        })
        .await
    }

    pub(super) async fn centre(&self, scope: CentreScope) -> Result<Option<Centre>> {
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT id, name, emergency_number, jurisdiction_code FROM centres WHERE id = ?1",
                [scope.centre_id()],
                |r| Ok(Centre { id: r.get(0)?, name: r.get(1)?, emergency_number: r.get(2)?, jurisdiction_code: r.get(3)? }),
            )
            .optional()?)
        })
        .await
    }

    pub(super) async fn create_staff(&self, scope: CentreScope, s: NewStaff, now: DateTime<Utc>) -> Result<i64> {
        self.write(move |tx| insert_staff(tx, scope.centre_id(), &s, now)).await
    }

    pub(super) async fn staff_login(&self, email: &str) -> Result<Option<LoginRow>> {
        let email = email.to_owned();
        self.read(move |c| {
            Ok(c.query_row("SELECT id, password_hash FROM staff WHERE email = ?1", [email], |r| {
                Ok(LoginRow { id: r.get(0)?, password_hash: r.get(1)? })
            })
            .optional()?)
        })
        .await
    }

    pub(super) async fn patient_login(&self, email: &str) -> Result<Option<LoginRow>> {
        let email = email.to_owned();
        self.read(move |c| {
            Ok(c.query_row("SELECT id, password_hash FROM patients WHERE email = ?1", [email], |r| {
                Ok(LoginRow { id: r.get(0)?, password_hash: r.get(1)? })
            })
            .optional()?)
        })
        .await
    }

    pub(super) async fn create_session(&self, hash: &str, owner: SessionOwner, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<()> {
        let hash = hash.to_owned();
        self.write(move |tx| insert_session(tx, &hash, owner, now, expires)).await
    }

    pub(super) async fn session(&self, hash: &str, now: DateTime<Utc>) -> Result<Option<Principal>> {
        let hash = hash.to_owned();
        self.read(move |c| {
            let row = c
                .prepare_cached(
                    "SELECT s.staff_id, st.centre_id, st.role, s.patient_id, p.case_id FROM sessions s \
                     LEFT JOIN staff st ON st.id = s.staff_id LEFT JOIN patients p ON p.id = s.patient_id \
                     WHERE s.token_hash = ?1 AND s.expires_at > ?2",
                )?
                .query_row(params![hash, ms(now)], |r| {
                    Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, Option<i64>>(1)?, r.get::<_, Option<String>>(2)?, r.get::<_, Option<i64>>(3)?, r.get::<_, Option<i64>>(4)?))
                })
                .optional()?;
            Ok(row.and_then(|(staff_id, centre_id, role, patient_id, case_id)| match (staff_id, centre_id, role, patient_id, case_id) {
                (Some(staff_id), Some(centre), Some(role), _, _) => {
                    Some(Principal::Staff { staff_id, scope: CentreScope::new(centre), role: Role::parse(&role)? })
                }
                (None, _, _, Some(patient_id), Some(case_id)) => Some(Principal::Patient { patient_id, case_id }),
                _ => None,
            }))
        })
        .await
    }

    pub(super) async fn delete_session(&self, hash: &str) -> Result<bool> {
        let hash = hash.to_owned();
        self.write(move |tx| Ok(tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [hash])? > 0)).await
    }

    pub(super) async fn insert_case(&self, scope: CentreScope, c: NewCase, input_id: &str, now: DateTime<Utc>) -> Result<Option<CaseRecord>> {
        let input_id = input_id.to_owned();
        self.write(move |tx| {
            let Some(id) = insert_case_row(tx, scope, &c, &input_id, now)? else { return Ok(None) };
            let sql = format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.id = ?1 AND c.centre_id = ?2");
            Ok(Some(tx.query_row(&sql, params![id, scope.centre_id()], case_row)?))
        })
        .await
    }

    pub(super) async fn list_cases(&self, scope: CentreScope) -> Result<Vec<CaseRecord>> {
        self.read(move |c| {
            let sql = format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.centre_id = ?1 AND {} ORDER BY c.id DESC", crate::db::rights::in_use!("c"));
            Ok(c.prepare_cached(&sql)?.query_map([scope.centre_id()], case_row)?.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub(super) async fn case(&self, scope: CentreScope, id: i64) -> Result<Option<CaseRecord>> {
        self.read(move |c| {
            let sql = format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.id = ?1 AND c.centre_id = ?2");
            Ok(c.prepare_cached(&sql)?.query_row(params![id, scope.centre_id()], case_row).optional()?)
        })
        .await
    }

    pub(super) async fn purge_expired(&self, now: DateTime<Utc>, registrations_before: DateTime<Utc>) -> Result<(u64, u64)> {
        self.write(move |tx| {
            let sessions = tx.execute("DELETE FROM sessions WHERE expires_at <= ?1", [ms(now)])?;
            let registrations = tx.execute("DELETE FROM registrations WHERE created_at < ?1", [ms(registrations_before)])?;
            Ok((sessions as u64, registrations as u64))
        })
        .await
    }

    pub(super) async fn close_case(&self, scope: CentreScope, id: i64) -> Result<bool> {
        self.write(move |tx| Ok(tx.execute("UPDATE cases SET active = 0 WHERE id = ?1 AND centre_id = ?2", params![id, scope.centre_id()])? == 1))
            .await
    }

    pub(super) async fn case_reports(&self, scope: CentreScope, case_id: i64) -> Result<Option<Vec<ReportEntry>>> {
        self.read(move |c| {
            let owned = c.query_row("SELECT 1 FROM cases WHERE id = ?1 AND centre_id = ?2", params![case_id, scope.centre_id()], |_| Ok(())).optional()?;
            if owned.is_none() {
                return Ok(None);
            }
            let sql = format!(
                "SELECT {}, {} FROM reports r {} WHERE r.case_id = ?1 \
                 AND r.case_id IN (SELECT id FROM cases WHERE centre_id = ?2) ORDER BY r.received_at, r.local_date, r.recorded_at, r.id",
                report_columns_of("r"),
                super::web::HANDLED_COLUMNS,
                super::web::HANDLED_JOIN
            );
            Ok(Some(c.prepare_cached(&sql)?.query_map(params![case_id, scope.centre_id()], |r| entry_row_from(r, 0))?.collect::<rusqlite::Result<_>>()?))
        })
        .await
    }

    pub(super) async fn own_reports(&self, case_id: i64) -> Result<Vec<StoredReport>> {
        self.read(move |c| {
            let sql = format!("SELECT {REPORT_COLUMNS} FROM reports WHERE case_id = ?1 ORDER BY local_date, recorded_at, id");
            Ok(c.prepare_cached(&sql)?.query_map([case_id], report_row)?.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub(super) async fn profile(&self, case_id: i64) -> Result<Option<Profile>> {
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT c.kind, c.observation, c.period_start, c.period_end, ce.name, ce.emergency_number \
                 FROM cases c JOIN centres ce ON ce.id = c.centre_id WHERE c.id = ?1",
                [case_id],
                |r| {
                    Ok(Profile {
                        kind: kind(r, 0)?,
                        observation: observation(r, 1)?,
                        period_start: date(r, 2)?,
                        period_end: date(r, 3)?,
                        centre_name: r.get(4)?,
                        emergency_number: r.get(5)?,
                    })
                },
            )
            .optional()?)
        })
        .await
    }

    pub(super) async fn create_registration(&self, r: Registration) -> Result<()> {
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO registrations (id, email, code_hash, code_expires_at, tries, state, created_at) \
                 VALUES (?1, ?2, ?3, ?4, 0, 'pending', ?5)",
                params![r.id.to_string(), r.email, r.code_hash, ms(r.code_expires_at), ms(r.created_at)],
            )?;
            Ok(())
        })
        .await
    }

    pub(super) async fn registration(&self, id: Uuid) -> Result<Option<Registration>> {
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT id, email, code_hash, code_expires_at, tries, state, token_hash, token_expires_at, password_hash, \
                 attribute_tries, created_at FROM registrations WHERE id = ?1",
                [id.to_string()],
                registration_row,
            )
            .optional()?)
        })
        .await
    }

    pub(super) async fn claim_code_try(&self, id: Uuid, max: i64) -> Result<Option<i64>> {
        self.write(move |tx| {
            Ok(tx
                .query_row(
                    "UPDATE registrations SET tries = tries + 1 WHERE id = ?1 AND state = 'pending' AND tries < ?2 RETURNING tries",
                    params![id.to_string(), max],
                    |r| r.get(0),
                )
                .optional()?)
        })
        .await
    }

    pub(super) async fn kill_registration(&self, id: Uuid) -> Result<()> {
        self.write(move |tx| {
            tx.execute("UPDATE registrations SET state = 'dead' WHERE id = ?1 AND state = 'pending'", params![id.to_string()])?;
            Ok(())
        })
        .await
    }

    pub(super) async fn mark_verified(&self, id: Uuid, token_hash: &str, expires: DateTime<Utc>) -> Result<bool> {
        let token_hash = token_hash.to_owned();
        self.write(move |tx| {
            Ok(tx.execute(
                "UPDATE registrations SET state = 'verified', token_hash = ?2, token_expires_at = ?3 WHERE id = ?1 AND state = 'pending'",
                params![id.to_string(), token_hash, ms(expires)],
            )? == 1)
        })
        .await
    }

    pub(super) async fn set_registration_password(&self, id: Uuid, hash: &str) -> Result<bool> {
        let hash = hash.to_owned();
        self.write(move |tx| {
            Ok(tx.execute("UPDATE registrations SET password_hash = ?2 WHERE id = ?1 AND state = 'verified'", params![id.to_string(), hash])? == 1)
        })
        .await
    }

    pub(super) async fn count_attribute_mismatch(&self, id: Uuid, max: i64) -> Result<i64> {
        self.write(move |tx| {
            Ok(tx
                .query_row(
                    "UPDATE registrations SET attribute_tries = attribute_tries + 1, \
                     state = CASE WHEN attribute_tries + 1 >= ?2 THEN 'dead' ELSE state END \
                     WHERE id = ?1 AND state = 'verified' RETURNING attribute_tries",
                    params![id.to_string(), max],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(max))
        })
        .await
    }

    pub(super) async fn case_by_input_id(&self, input_id: &str) -> Result<Option<CaseRecord>> {
        let input_id = input_id.to_owned();
        self.read(move |c| {
            let sql = format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.input_id = ?1 AND c.active = 1");
            Ok(c.query_row(&sql, [input_id], case_row).optional()?)
        })
        .await
    }

    pub(super) async fn complete_registration(&self, reg_id: Uuid, case_id: i64, token_hash: &str, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<Completion> {
        let token_hash = token_hash.to_owned();
        self.write(move |tx| {
            let reg = tx
                .query_row(
                    "SELECT email, password_hash FROM registrations WHERE id = ?1 AND state = 'verified' AND password_hash IS NOT NULL",
                    [reg_id.to_string()],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
                )
                .optional()?;
            let Some((email, password_hash)) = reg else { return Ok(Completion::NotVerified) };
            if tx.query_row("SELECT 1 FROM patients WHERE case_id = ?1", [case_id], |_| Ok(())).optional()?.is_some() {
                return Ok(Completion::CaseTaken);
            }
            if tx.query_row("SELECT 1 FROM patients WHERE email = ?1", [&email], |_| Ok(())).optional()?.is_some() {
                return Ok(Completion::EmailTaken);
            }
            tx.execute(
                "INSERT INTO patients (email, password_hash, case_id, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![email, password_hash, case_id, ms(now)],
            )?;
            let patient_id = tx.last_insert_rowid();
            insert_session(tx, &token_hash, SessionOwner::Patient(patient_id), now, expires)?;
            tx.execute("UPDATE registrations SET state = 'done', token_hash = NULL, password_hash = NULL WHERE id = ?1", [reg_id.to_string()])?;
            Ok(Completion::Linked(patient_id))
        })
        .await
    }

    pub(super) async fn ingest(&self, jobs: Vec<JobInput>, now: DateTime<Utc>) -> Result<Vec<JobOutcome>> {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.ingest_here(jobs, now))
            .await
            .map_err(|e| Error::Internal(format!("write task: {e}")))?
    }

    /// [`Self::ingest`] on the calling thread (which blocks until the commit): the
    /// report writer's own thread.
    pub fn ingest_here(&self, jobs: Vec<JobInput>, now: DateTime<Utc>) -> Result<Vec<JobOutcome>> {
        self.write_here(move |tx| {
            let mut ctxs = HashMap::new();
            let mut by_token = tx.prepare_cached(
                "SELECT p.id, c.id, c.period_start, c.period_end, c.suspended_at IS NOT NULL FROM sessions s \
                 JOIN patients p ON p.id = s.patient_id JOIN cases c ON c.id = p.case_id \
                 WHERE s.token_hash = ?1 AND s.expires_at > ?2",
            )?;
            for job in &jobs {
                if ctxs.contains_key(&job.token_hash) {
                    continue;
                }
                // A report made by the automated call names its case, not a session.
                if let Some(case_id) = crate::ingest::call_case(&job.token_hash) {
                    let ctx = tx
                        .query_row("SELECT period_start, period_end, suspended_at IS NOT NULL FROM cases WHERE id = ?1 AND active = 1", [case_id], |r| {
                            Ok(PatientCtx { patient_id: 0, case_id, period_start: date(r, 0)?, period_end: date(r, 1)?, members: Vec::new(), suspended: r.get(2)? })
                        })
                        .optional()?;
                    ctxs.extend(ctx.map(|c| (job.token_hash.clone(), c)));
                    continue;
                }
                let ctx = by_token
                    .query_row(params![job.token_hash, ms(now)], |r| {
                        Ok(PatientCtx { patient_id: r.get(0)?, case_id: r.get(1)?, period_start: date(r, 2)?, period_end: date(r, 3)?, members: Vec::new(), suspended: r.get(4)? })
                    })
                    .optional()?;
                if let Some(ctx) = ctx {
                    ctxs.insert(job.token_hash.clone(), ctx);
                }
            }
            // The household links, only for requests that name a member.
            let mut links = tx.prepare_cached(
                "SELECT h.id, c.id, c.period_start, c.period_end, c.suspended_at IS NOT NULL FROM household h JOIN cases c ON c.id = h.case_id \
                 WHERE h.patient_id = ?1 AND h.unlinked_at IS NULL AND c.active = 1",
            )?;
            for job in jobs.iter().filter(|j| j.names_members()) {
                if let Some(ctx) = ctxs.get_mut(&job.token_hash).filter(|c| c.members.is_empty()) {
                    ctx.members = links
                        .query_map([ctx.patient_id], |r| Ok(MemberCtx { id: r.get(0)?, case_id: r.get(1)?, period_start: date(r, 2)?, period_end: date(r, 3)?, suspended: r.get(4)? }))?
                        .collect::<rusqlite::Result<_>>()?;
                }
            }
            drop(links);
            let mut plan = Plan::new(jobs, &ctxs);
            // No look-up before inserting: a new id (the usual case) costs one insert; an
            // id already stored makes the insert a no-op, and only then is the stored row
            // read to tell a replay from a conflict.
            plan.set_existing(Vec::new());
            let mut by_id = tx.prepare_cached(&format!("SELECT {REPORT_COLUMNS} FROM reports WHERE id = ?1"))?;
            let mut insert = tx.prepare_cached(&format!(
                "INSERT INTO reports ({REPORT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO NOTHING"
            ))?;
            // What the today board reads off the case row, by receipt (never by the
            // phone's clock): the latest report received (within one batch, the one for
            // the latest day and time: rows go in that order), the day's highest fever,
            // and the oldest waiting "call now".
            let mut latest = tx.prepare_cached(&format!(
                "UPDATE cases SET last_local_date = ?2, last_recorded_at = ?3, last_received_at = ?4, \
                 last_temperature_tenths = ?5, last_advice = ?6, last_received_on = ?7, \
                 fever_tenths = CASE WHEN ?5 < {fever} THEN fever_tenths \
                   WHEN fever_on = ?7 AND fever_tenths >= ?5 THEN fever_tenths ELSE ?5 END, \
                 fever_on = CASE WHEN ?5 >= {fever} THEN ?7 ELSE fever_on END, \
                 urgent_since = CASE WHEN ?6 = 'call_now' THEN coalesce(urgent_since, ?4) ELSE urgent_since END \
                 WHERE id = ?1",
                fever = Temperature::FEVER_TENTHS
            ))?;
            let received_on = crate::web::today(now).to_string();
            let mut raced = Vec::new();
            let mut rows = plan.rows_to_insert(now);
            rows.sort_by_key(|r| (r.case_id, r.local_date, r.recorded_at));
            for r in rows {
                let n = insert.execute(params![
                    r.id.as_bytes(),
                    r.case_id,
                    r.local_date.to_string(),
                    r.kind.as_str(),
                    r.temperature.tenths(),
                    r.answers.to_digits(),
                    ms(r.recorded_at),
                    r.advice.as_str(),
                    ms(r.received_at)
                ])?;
                if n == 0 {
                    raced.extend(by_id.query_row([r.id.as_bytes()], report_row).optional()?);
                } else {
                    latest.execute(params![
                        r.case_id,
                        r.local_date.to_string(),
                        ms(r.recorded_at),
                        ms(r.received_at),
                        r.temperature.tenths(),
                        r.advice.as_str(),
                        received_on
                    ])?;
                }
            }
            plan.set_existing(raced);
            Ok(plan.finish())
        })
    }
}

/// Inserts a case with `input_id` in `tx`; `None` when an active case holds that input
/// ID (nothing is added, the transaction goes on, the caller can draw another one). The
/// one copy of a case's insert.
pub(crate) fn insert_case_row(tx: &Transaction<'_>, scope: CentreScope, c: &NewCase, input_id: &str, now: DateTime<Utc>) -> Result<Option<i64>> {
    let inserted = tx.execute(
        "INSERT INTO cases (centre_id, name, name_reading, date_of_birth, phone, email, kind, observation, \
         period_start, period_end, input_id, active, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12) ON CONFLICT DO NOTHING",
        params![
            scope.centre_id(),
            c.name,
            c.name_reading,
            c.date_of_birth.to_string(),
            c.phone,
            c.email,
            c.kind.as_str(),
            c.observation.as_str(),
            c.period_start.to_string(),
            c.period_end.to_string(),
            input_id,
            ms(now)
        ],
    )?;
    Ok((inserted == 1).then(|| tx.last_insert_rowid()))
}

fn insert_staff(tx: &Transaction<'_>, centre_id: i64, s: &NewStaff, now: DateTime<Utc>) -> Result<i64> {
    tx.execute(
        "INSERT INTO staff (centre_id, email, name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![centre_id, s.email, s.name, s.role.as_str(), s.password_hash, ms(now)],
    )
    .map_err(|e| if is_unique(&e) { Error::Conflict("staff_email") } else { e.into() })?;
    Ok(tx.last_insert_rowid())
}

fn insert_session(tx: &Transaction<'_>, hash: &str, owner: SessionOwner, now: DateTime<Utc>, expires: DateTime<Utc>) -> Result<()> {
    let (staff, patient) = match owner {
        SessionOwner::Staff(id) => (Some(id), None),
        SessionOwner::Patient(id) => (None, Some(id)),
    };
    tx.execute(
        "INSERT INTO sessions (token_hash, staff_id, patient_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![hash, staff, patient, ms(now), ms(expires)],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_background_checkpoint_copies_the_wal_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.db");
        let store = SqliteStore::open(&path).await.expect("open");
        let before = std::fs::metadata(&path).expect("db file").len();
        store
            .write(|tx| {
                tx.execute_batch("CREATE TABLE filler (x BLOB)")?;
                for _ in 0..2_000 {
                    tx.execute("INSERT INTO filler VALUES (randomblob(500))", [])?;
                }
                Ok(())
            })
            .await
            .expect("write");
        // Nobody else checkpoints (the writer only past 64 MB): the file grows only
        // when the background thread copies the WAL back.
        let mut grew = false;
        for _ in 0..50 {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            if std::fs::metadata(&path).expect("db file").len() > before + 900_000 {
                grew = true;
                break;
            }
        }
        assert!(grew, "the WAL was copied back into the database file");
    }
}
