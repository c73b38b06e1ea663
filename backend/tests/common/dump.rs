//! Every row of every table of the test's database as text (SQLite: each column's value;
//! PostgreSQL: `row_to_json`), for tests that must find a value nowhere.

use backend::config::DatabaseUrl;

/// `(table, row as text)` for every row of every table.
pub async fn every_row(url: &DatabaseUrl) -> Vec<(String, String)> {
    match url {
        DatabaseUrl::Sqlite(path) => {
            let c = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open the test database");
            let tables: Vec<String> = c
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let mut rows = Vec::new();
            for table in tables {
                let mut stmt = c.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
                let n = stmt.column_count();
                let mut q = stmt.query([]).unwrap();
                while let Some(r) = q.next().unwrap() {
                    let cells: Vec<String> = (0..n)
                        .map(|i| match r.get_ref(i).unwrap() {
                            rusqlite::types::ValueRef::Null => String::new(),
                            rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                            rusqlite::types::ValueRef::Real(v) => v.to_string(),
                            rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
                        })
                        .collect();
                    rows.push((table.clone(), cells.join("|")));
                }
            }
            rows
        }
        DatabaseUrl::Postgres(url) => {
            let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.expect("connect");
            let task = tokio::spawn(conn);
            let tables: Vec<String> = client
                .query("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", &[])
                .await
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect();
            let mut rows = Vec::new();
            for table in tables {
                for r in client.query(&format!("SELECT row_to_json(x)::text FROM \"{table}\" x"), &[]).await.unwrap() {
                    rows.push((table.clone(), r.get::<_, String>(0)));
                }
            }
            drop(client);
            let _ = task.await;
            rows
        }
    }
}

/// Every table with its columns.
pub async fn tables(url: &DatabaseUrl) -> Vec<(String, Vec<String>)> {
    match url {
        DatabaseUrl::Sqlite(path) => {
            let c = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open the test database");
            let names: Vec<String> = c
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            names
                .into_iter()
                .map(|t| {
                    let cols = c.prepare(&format!("PRAGMA table_info(\"{t}\")")).unwrap().query_map([], |r| r.get::<_, String>(1)).unwrap().collect::<Result<_, _>>().unwrap();
                    (t, cols)
                })
                .collect()
        }
        DatabaseUrl::Postgres(url) => {
            let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.expect("connect");
            let task = tokio::spawn(conn);
            let rows = client
                .query(
                    "SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c JOIN information_schema.tables t \
                     ON t.table_name = c.table_name AND t.table_schema = c.table_schema \
                     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' ORDER BY 1, c.ordinal_position",
                    &[],
                )
                .await
                .unwrap();
            let mut out: Vec<(String, Vec<String>)> = Vec::new();
            for r in rows {
                let (t, col): (String, String) = (r.get(0), r.get(1));
                match out.last_mut() {
                    Some((last, cols)) if *last == t => cols.push(col),
                    _ => out.push((t, vec![col])),
                }
            }
            drop(client);
            let _ = task.await;
            out
        }
    }
}
