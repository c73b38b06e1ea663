//! Upgrading a SQLite database: a file at the first schema version, holding cases and
//! reports, is opened by the current server, which applies the later migrations. The
//! result has exactly the schema of a fresh database, and the board's view of every
//! case (its latest report, filled in by the migration) is what the current code would
//! have kept. Always on SQLite: the file is taken back to version 1 by hand.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use backend::config::DatabaseUrl;
use backend::db::Db;
use backend::password::HashCost;
use rusqlite::Connection;
use std::path::Path;

/// Every table and index with its SQL, sorted.
fn schema(path: &Path) -> Vec<(String, String, String)> {
    let c = Connection::open(path).unwrap();
    let mut s = c.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().collect::<Result<_, _>>().unwrap()
}

/// Takes a current database file back to schema version 1: drops what later
/// migrations added (tables, indexes, columns) and their bookkeeping rows.
fn back_to_version_1(path: &Path, v1: &Path) {
    let first = &backend::db::migrate::SQLITE[0];
    let old = Connection::open(v1).unwrap();
    old.execute_batch(first.sql).unwrap();
    let v1_names: Vec<String> = schema(v1).into_iter().map(|(_, n, _)| n).collect();
    let v1_tables: Vec<String> = schema(v1).into_iter().filter(|(k, _, _)| k == "table").map(|(_, n, _)| n).collect();
    let columns = |c: &Connection, table: &str| -> Vec<String> {
        let mut s = c.prepare(&format!("SELECT name FROM pragma_table_info('{table}')")).unwrap();
        s.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let c = Connection::open(path).unwrap();
    for (kind, name, _) in schema(path) {
        if !v1_names.contains(&name) && name != "schema_migrations" {
            c.execute_batch(&format!("DROP {} {name}", if kind == "index" { "INDEX" } else { "TABLE" })).unwrap();
        }
    }
    for table in &v1_tables {
        let keep = columns(&old, table);
        for col in columns(&c, table).into_iter().filter(|col| !keep.contains(col)) {
            c.execute_batch(&format!("ALTER TABLE {table} DROP COLUMN {col}")).unwrap();
        }
    }
    c.execute("DELETE FROM schema_migrations WHERE version > 1", []).unwrap();
}

/// Each case's latest report as the case row keeps it for the board.
type Latest = (i64, Option<String>, Option<i64>, Option<i64>, Option<i64>, Option<String>);

fn latest_of_every_case(path: &Path) -> Vec<Latest> {
    let c = Connection::open(path).unwrap();
    let mut s = c
        .prepare("SELECT id, last_local_date, last_recorded_at, last_received_at, last_temperature_tenths, last_advice FROM cases ORDER BY id")
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))).unwrap().collect::<Result<_, _>>().unwrap()
}

#[tokio::test]
async fn a_version_1_database_upgrades_to_the_fresh_schema_with_each_cases_latest_report() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("old.db");
    let db = Db::open(&DatabaseUrl::Sqlite(path.clone())).await.unwrap();
    backend::cli::demo(&db, HashCost::TEST_ONLY).await.unwrap();
    drop(db);
    let expected = latest_of_every_case(&path);
    assert_eq!(expected.len(), 16);
    assert_eq!(expected.iter().filter(|c| c.5.is_some()).count(), 10, "demo cases with reports");

    back_to_version_1(&path, &tmp.path().join("v1.db"));
    let old = Connection::open(&path).unwrap();
    let reports: i64 = old.query_row("SELECT count(*) FROM reports", [], |r| r.get(0)).unwrap();
    assert_eq!(reports, 2 * 17, "version 1 keeps every report");
    assert!(old.prepare("SELECT last_advice FROM cases").is_err(), "still at version 1");
    drop(old);

    drop(Db::open(&DatabaseUrl::Sqlite(path.clone())).await.unwrap());
    assert_eq!(latest_of_every_case(&path), expected);
    let fresh = tmp.path().join("fresh.db");
    drop(Db::open(&DatabaseUrl::Sqlite(fresh.clone())).await.unwrap());
    assert_eq!(schema(&path), schema(&fresh));
}
