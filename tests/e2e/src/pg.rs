//! The PostgreSQL side of the tests that need it: a fresh database on the throwaway
//! server named by `MIMAMORI_TEST_POSTGRES_URL` (see `tests/setup/postgres.sh`), and
//! single values read with `psql`.

use std::process::Command;

/// The test server's URL, when one is given.
pub fn server_url() -> Option<String> {
    std::env::var("MIMAMORI_TEST_POSTGRES_URL").ok().filter(|u| !u.trim().is_empty())
}

/// Runs one statement with psql on `url` and returns its output, trimmed.
pub fn psql(url: &str, sql: &str) -> String {
    let out = Command::new("psql")
        .args(["--no-psqlrc", "--tuples-only", "--no-align", "--quiet", "-v", "ON_ERROR_STOP=1", "--command", sql, url])
        .output()
        .expect("run psql");
    assert!(out.status.success(), "psql failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Creates (again) the database `name` on the server at `server` and returns its URL.
pub fn fresh_database(server: &str, name: &str) -> String {
    psql(server, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    psql(server, &format!("CREATE DATABASE {name}"));
    let base = server.rsplit_once('/').map_or(server, |(b, _)| b);
    let query = server.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    format!("{base}/{name}{query}")
}
