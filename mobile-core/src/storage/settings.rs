//! The phone's own settings, a small key → value table (the daily reminder's time).

use crate::error::Result;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// The daily reminder: `HH:MM` local time or `off`.
pub(crate) const REMINDER: &str = "reminder";

/// Sets `key` to `value`.
pub(crate) fn set(tx: &Transaction<'_>, key: &str, value: &str, now: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        params![key, value, now],
    )?;
    Ok(())
}

/// The value of `key`, if it was ever set.
pub(crate) fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}
