//! Numbered, append-only schema migrations tracked with `PRAGMA user_version`.
//! Add a new file under `migrations/` and a line here; never edit an applied one.

use crate::error::{Error, Result};
use rusqlite::Connection;

/// The migrations in order; migration `i` brings the schema to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_reports.sql"),
    include_str!("../../migrations/0002_emergency_contact.sql"),
    include_str!("../../migrations/0003_sync.sql"),
    include_str!("../../migrations/0004_household.sql"),
    include_str!("../../migrations/0005_registration.sql"),
    include_str!("../../migrations/0006_settings.sql"),
    include_str!("../../migrations/0007_registration_email.sql"),
    include_str!("../../migrations/0008_corrected_temperatures.sql"),
];

/// Brings the schema up to the newest version, one transaction per migration.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, MIGRATIONS.len())
}

/// The file's schema version; a version newer than this app knows is refused before
/// anything is written to the file.
pub(crate) fn check_version(conn: &Connection) -> Result<usize> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    match usize::try_from(current) {
        Ok(v) if v <= MIGRATIONS.len() => Ok(v),
        _ => Err(Error::TooNew(current)),
    }
}

fn migrate_to(conn: &mut Connection, target: usize) -> Result<()> {
    let current = check_version(conn)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().take(target).skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(conn: &Connection) -> Vec<(String, String)> {
        let mut st = conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name")
            .expect("prepare");
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
    }

    #[test]
    fn upgrading_the_first_schema_equals_a_fresh_one_and_keeps_data() {
        let dir = tempfile::tempdir().expect("tempdir");
        let old_path = dir.path().join("old.db");
        let mut old = Connection::open(&old_path).expect("open");
        migrate_to(&mut old, 1).expect("first schema");
        old.execute(
            "INSERT INTO reports (id, person_id, local_date, recorded_at, kind, temperature_tenths, answers, advice_level)
             VALUES ('r1', 'self', '2026-11-01', '2026-11-01T09:00:00Z', 'infected', 365, '222222222', 'none')",
            [],
        )
        .expect("insert");
        migrate(&mut old).expect("upgrade");

        let mut fresh = Connection::open(dir.path().join("fresh.db")).expect("open");
        migrate(&mut fresh).expect("fresh");
        assert_eq!(schema(&old), schema(&fresh));
        let v: i64 = old.pragma_query_value(None, "user_version", |r| r.get(0)).expect("version");
        assert_eq!(v, MIGRATIONS.len() as i64);
        let n: i64 = old.query_row("SELECT count(*) FROM reports", [], |r| r.get(0)).expect("count");
        assert_eq!(n, 1);
        migrate(&mut old).expect("idempotent");
    }

    #[test]
    fn a_newer_schema_is_refused_not_touched() {
        let mut conn = Connection::open_in_memory().expect("open");
        conn.pragma_update(None, "user_version", 99).expect("set");
        assert!(matches!(migrate(&mut conn), Err(Error::TooNew(99))));
    }
}
