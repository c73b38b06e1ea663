//! Upgrading a SQLite database: a demo file taken back to an earlier schema version
//! (1: cases and reports; 2: with the contact log) is opened by the current server,
//! which applies the later migrations. The result has exactly the schema of a fresh
//! database, and the board's view of every case (its latest report by receipt, today's
//! fever, its waiting urgent reports, filled in by the migrations) is what the current
//! code would have kept. Always on SQLite: the file is taken back by hand.

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

/// Takes a current database file back to schema version `version`: drops what later
/// migrations added (tables, indexes, columns) and their bookkeeping rows. An index
/// whose definition changed later is recreated as it was.
fn back_to_version(path: &Path, version: usize, scratch: &Path) {
    let old = Connection::open(scratch).unwrap();
    for m in &backend::db::migrate::SQLITE[..version] {
        old.execute_batch(m.sql).unwrap();
    }
    let old_schema = schema(scratch);
    let old_tables: Vec<String> = old_schema.iter().filter(|(k, _, _)| k == "table").map(|(_, n, _)| n.clone()).collect();
    let columns = |c: &Connection, table: &str| -> Vec<String> {
        let mut s = c.prepare(&format!("SELECT name FROM pragma_table_info('{table}')")).unwrap();
        s.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let c = Connection::open(path).unwrap();
    c.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    for (kind, name, sql) in schema(path) {
        // A table is kept (its new columns go below); an index only as it was.
        let kept = old_schema.iter().any(|(_, n, s)| *n == name && (kind == "table" || *s == sql));
        if name != "schema_migrations" && !kept {
            c.execute_batch(&format!("DROP {} {name}", if kind == "index" { "INDEX" } else { "TABLE" })).unwrap();
        }
    }
    for table in &old_tables {
        let keep = columns(&old, table);
        for col in columns(&c, table).into_iter().filter(|col| !keep.contains(col)) {
            c.execute_batch(&format!("ALTER TABLE {table} DROP COLUMN {col}")).unwrap();
        }
    }
    for (kind, name, sql) in &old_schema {
        if kind == "index" && !sql.is_empty() && !schema(path).iter().any(|(_, n, _)| n == name) {
            c.execute_batch(sql).unwrap();
        }
    }
    c.execute("DELETE FROM schema_migrations WHERE version > ?1", [version as i64]).unwrap();
}

/// Each case's board columns as the case row keeps them: its latest report by receipt
/// (and the day received), today's fever, and when its oldest waiting urgent report came.
type Board = (i64, Option<String>, Option<i64>, Option<i64>, Option<i64>, Option<String>, Option<String>, Option<String>, Option<i64>, Option<i64>);

fn board_of_every_case(path: &Path) -> Vec<Board> {
    let c = Connection::open(path).unwrap();
    let mut s = c
        .prepare(
            "SELECT id, last_local_date, last_recorded_at, last_received_at, last_temperature_tenths, last_advice, last_received_on, \
             fever_on, fever_tenths, urgent_since FROM cases ORDER BY id",
        )
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A demo database taken back to `version` and opened by the current server: returns
/// the board columns before and after, and whether the schema equals a fresh one.
async fn upgrade_from(version: usize) -> (Vec<Board>, Vec<Board>) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("old.db");
    let db = Db::open(&DatabaseUrl::Sqlite(path.clone())).await.unwrap();
    backend::cli::demo(&db, HashCost::TEST_ONLY, chrono::Utc::now()).await.unwrap();
    drop(db);
    let expected = board_of_every_case(&path);
    assert_eq!(expected.len(), 20);
    assert_eq!(expected.iter().filter(|c| c.5.is_some()).count(), 14, "demo cases with reports");

    back_to_version(&path, version, &tmp.path().join("old-schema.db"));
    let old = Connection::open(&path).unwrap();
    let reports: i64 = old.query_row("SELECT count(*) FROM reports", [], |r| r.get(0)).unwrap();
    assert_eq!(reports, 2 * 23, "the old version keeps every report");
    assert!(old.prepare("SELECT urgent_since FROM cases").is_err(), "at the old version");
    drop(old);

    drop(Db::open(&DatabaseUrl::Sqlite(path.clone())).await.unwrap());
    let fresh = tmp.path().join("fresh.db");
    drop(Db::open(&DatabaseUrl::Sqlite(fresh.clone())).await.unwrap());
    assert_eq!(schema(&path), schema(&fresh));
    (expected, board_of_every_case(&path))
}

#[tokio::test]
async fn a_version_1_database_upgrades_to_the_fresh_schema_with_each_cases_latest_report() {
    let (expected, upgraded) = upgrade_from(1).await;
    // Version 1 had no contact log: every urgent report of the old file waits.
    let without_urgent = |b: &[Board]| b.iter().map(|c| (c.0, c.1.clone(), c.2, c.3, c.4, c.5.clone(), c.6.clone(), c.7.clone(), c.8)).collect::<Vec<_>>();
    assert_eq!(without_urgent(&upgraded), without_urgent(&expected));
    let waiting = |b: &[Board]| b.iter().filter(|c| c.9.is_some()).count();
    assert_eq!((waiting(&expected), waiting(&upgraded)), (6, 8), "the two reports handled by a contact wait again");
}

#[tokio::test]
async fn a_version_2_database_upgrades_with_urgent_reports_handled_where_a_contact_reached_the_person() {
    let (expected, upgraded) = upgrade_from(2).await;
    assert_eq!(upgraded, expected);
}
