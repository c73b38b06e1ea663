//! `backup` and `restore`. SQLite: an online copy with SQLite's backup API, taken by a
//! separate process while the server keeps serving (one read snapshot, so the copy
//! holds exactly the transactions committed before it began), checked with
//! `PRAGMA integrity_check`; a restore writes only into a path where no database
//! exists, so it can never overwrite a file a running server uses. PostgreSQL: the
//! documented `pg_dump` / `pg_restore` path, run with the given URL (restore only into
//! an empty database).

use crate::config::DatabaseUrl;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a backup or restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// A file that must not be overwritten is there.
    #[error("{0} already exists; choose a new file (nothing was written)")]
    Exists(PathBuf),
    /// The source is missing.
    #[error("{0} does not exist")]
    Missing(PathBuf),
    /// The copy or the file to restore is damaged or not a Mimamori database.
    #[error("integrity check failed: {0}")]
    Damaged(String),
    /// The target PostgreSQL database already holds a schema.
    #[error("the target PostgreSQL database is not empty (it has schema_migrations); restore into a new database")]
    NotEmpty,
    /// SQLite refused.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// `pg_dump`/`pg_restore`/`psql` failed or is missing.
    #[error("{0}")]
    Tool(String),
}

/// Copies the database at `url` into the new file `to`; returns a line for the operator.
pub fn backup(url: &DatabaseUrl, to: &Path) -> Result<String, BackupError> {
    refuse_existing(to)?;
    match url {
        DatabaseUrl::Sqlite(path) => {
            if !path.exists() {
                return Err(BackupError::Missing(path.clone()));
            }
            let src = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
            src.busy_timeout(std::time::Duration::from_secs(10))?;
            let pages = copy(&src, to)?;
            Ok(format!("backed up {} ({pages} pages) to {}; integrity_check ok", path.display(), to.display()))
        }
        DatabaseUrl::Postgres(pg) => {
            let (mut cmd, pg) = pg_command("pg_dump", pg);
            run(cmd.args(["--format=custom", "--no-owner", "--file"]).arg(to).arg("--dbname").arg(pg))?;
            Ok(format!("pg_dump --format=custom wrote {}", to.display()))
        }
    }
}

/// Restores the backup `from` into the database at `url`, which must not hold one yet.
pub fn restore(url: &DatabaseUrl, from: &Path) -> Result<String, BackupError> {
    if !from.exists() {
        return Err(BackupError::Missing(from.to_owned()));
    }
    match url {
        DatabaseUrl::Sqlite(path) => {
            refuse_existing(path)?;
            for suffix in ["-wal", "-shm", "-journal"] {
                refuse_existing(&sidecar(path, suffix))?;
            }
            let src = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
            check(&src)?;
            let pages = copy(&src, path)?;
            Ok(format!("restored {} ({pages} pages) into {}; integrity_check ok", from.display(), path.display()))
        }
        DatabaseUrl::Postgres(pg) => {
            let (mut psql, url) = pg_command("psql", pg);
            let out = psql
                .args(["--no-psqlrc", "--tuples-only", "--no-align", "--command", "SELECT to_regclass('schema_migrations') IS NOT NULL"])
                .arg(&url)
                .output()
                .map_err(|e| BackupError::Tool(format!("psql could not run: {}", e.kind())))?;
            if !out.status.success() {
                return Err(BackupError::Tool(format!("psql failed: {}", first_error(&out.stderr))));
            }
            if String::from_utf8_lossy(&out.stdout).trim() == "t" {
                return Err(BackupError::NotEmpty);
            }
            let (mut cmd, url) = pg_command("pg_restore", pg);
            run(cmd.args(["--exit-on-error", "--no-owner", "--single-transaction", "--dbname"]).arg(url).arg(from))?;
            Ok(format!("pg_restore restored {}", from.display()))
        }
    }
}

/// Copies `src` into the new file `to` in one step (one read snapshot), then checks
/// the copy; a failed copy is removed.
fn copy(src: &Connection, to: &Path) -> Result<i32, BackupError> {
    if let Some(parent) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| BackupError::Tool(format!("cannot create {}: {}", parent.display(), e.kind())))?;
    }
    let result = (|| {
        let mut dst = Connection::open(to)?;
        let pages = {
            let b = rusqlite::backup::Backup::new(src, &mut dst)?;
            loop {
                match b.step(-1)? {
                    rusqlite::backup::StepResult::Done => break,
                    _ => std::thread::sleep(std::time::Duration::from_millis(50)),
                }
            }
            b.progress().pagecount
        };
        check(&dst)?;
        Ok(pages)
    })();
    if result.is_err() {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(sidecar(to, suffix));
        }
    }
    result
}

/// `PRAGMA integrity_check` is `ok` and the file has the server's schema.
fn check(c: &Connection) -> Result<(), BackupError> {
    let verdict: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if verdict != "ok" {
        return Err(BackupError::Damaged(verdict));
    }
    let migrated: i64 = c
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", [], |r| r.get(0))?;
    if migrated == 0 {
        return Err(BackupError::Damaged("not a Mimamori database (no schema_migrations)".into()));
    }
    Ok(())
}

fn refuse_existing(path: &Path) -> Result<(), BackupError> {
    if path.exists() { Err(BackupError::Exists(path.to_owned())) } else { Ok(()) }
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// A PostgreSQL client program: `MIMAMORI_PG_BIN/<name>` when set, else from `PATH`.
fn pg_tool(name: &str) -> PathBuf {
    std::env::var_os("MIMAMORI_PG_BIN").map_or_else(|| PathBuf::from(name), |dir| Path::new(&dir).join(name))
}

fn run(cmd: &mut Command) -> Result<(), BackupError> {
    let name = cmd.get_program().to_string_lossy().into_owned();
    let out = cmd.output().map_err(|e| BackupError::Tool(format!("{name} could not run ({}); install the PostgreSQL client programs or set MIMAMORI_PG_BIN", e.kind())))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(BackupError::Tool(format!("{name} failed: {}", first_error(&out.stderr))))
    }
}

/// A PostgreSQL client program for `url`, and the URL to give it: the password leaves
/// the URL for the program's environment (`PGPASSWORD`), so it never shows in the
/// process list.
fn pg_command(tool: &str, url: &str) -> (Command, String) {
    let mut cmd = Command::new(pg_tool(tool));
    if let Some(password) = url.parse::<tokio_postgres::Config>().ok().and_then(|c| c.get_password().map(<[u8]>::to_vec)) {
        cmd.env("PGPASSWORD", <std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(password));
    }
    (cmd, without_password(url))
}

/// `url` without the password of its user part.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((userinfo, host)) = rest.rsplit_once('@') else { return url.to_owned() };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}@{host}"),
        None => url.to_owned(),
    }
}

/// The first error line of a PostgreSQL program's output: never its `DETAIL`,
/// `CONTEXT`, `LINE` or `Command was` lines, which quote rows and values.
fn first_error(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let quoting = ["DETAIL", "CONTEXT", "LINE", "Command was"];
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty() && !quoting.iter().any(|q| l.starts_with(q))).collect();
    lines.iter().find(|l| l.contains("error:") || l.starts_with("ERROR:")).or(lines.first()).map_or_else(|| "no message".to_owned(), |l| (*l).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_for_the_environment() {
        let (cmd, url) = pg_command("pg_dump", "postgres://app:S%40cret-1@db.example:5432/m?sslmode=require");
        assert_eq!(url, "postgres://app@db.example:5432/m?sslmode=require");
        let password = cmd.get_envs().find(|(k, _)| *k == "PGPASSWORD").and_then(|(_, v)| v);
        assert_eq!(password, Some(std::ffi::OsStr::new("S@cret-1")));
        let (cmd, url) = pg_command("psql", "postgres://app@db/m");
        assert_eq!(url, "postgres://app@db/m");
        assert!(cmd.get_envs().all(|(k, _)| k != "PGPASSWORD"));
    }

    #[test]
    fn tool_errors_keep_no_row() {
        let stderr = b"pg_restore: error: COPY failed for table \"cases\": ERROR:  duplicate key value violates unique constraint \"cases_pkey\"\nDETAIL:  Key (id)=(7) already exists.\nCONTEXT:  COPY cases, line 1: \"7\t\xe8\xa6\x8b\xe5\xae\x88 \xe8\x8a\xb1\xe5\xad\x90\t090-1234-5678\"\n";
        let line = first_error(stderr);
        assert!(line.starts_with("pg_restore: error: COPY failed"), "{line}");
        assert!(!line.contains("090") && !line.contains("Key (id)") && !line.contains('\u{898b}'), "{line}");
        assert_eq!(first_error(b"\n"), "no message");
    }
}
