//! The phone's SQLite store: one connection behind a mutex (one writer), WAL with
//! `synchronous=FULL` so that "saved" means on disk, numbered migrations, and
//! `write(|tx| …)` that commits only when the closure returns `Ok`.

mod migrations;
pub(crate) mod account;
pub(crate) mod contact;
pub(crate) mod household;
pub(crate) mod outbox;
pub(crate) mod registration;
pub(crate) mod reports;
pub(crate) mod settings;

use crate::error::{Error, Result, is_corruption};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::sync::{Mutex, MutexGuard};

/// The open database.
pub(crate) struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens or creates the database at `path`, checks it is readable and intact, and
    /// brings its schema up to date. A damaged file is reported as [`Error::Corrupt`]
    /// and left exactly as it was.
    pub(crate) fn open(path: &str) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(corruption)?;
        check_intact(&conn)?;
        migrations::check_version(&conn)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(corruption)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::migrate(&mut conn)?;
        Ok(Store { conn: Mutex::new(conn) })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock rolled its transaction back on drop, so the
        // connection is still consistent.
        self.conn.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs `f` in one immediate transaction, committed only if `f` returns `Ok`.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `f` on the connection for reading.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&self.lock())
    }
}

fn corruption(e: rusqlite::Error) -> Error {
    if is_corruption(&e) { Error::Corrupt } else { Error::Sqlite(e) }
}

/// Refuses a file that is not a database or whose pages are damaged.
fn check_intact(conn: &Connection) -> Result<()> {
    let verdict: String = conn.query_row("PRAGMA quick_check(1)", [], |r| r.get(0)).map_err(corruption)?;
    if verdict == "ok" { Ok(()) } else { Err(Error::Corrupt) }
}
