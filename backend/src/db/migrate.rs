//! Numbered, append-only SQL migrations, embedded in the binary. Each database has its
//! own folder (`migrations/sqlite`, `migrations/postgres`) with the same numbers and
//! names; applied versions are recorded in `schema_migrations`.

/// One migration.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Version, from 1, without gaps.
    pub version: i64,
    /// Name (file name without number and extension).
    pub name: &'static str,
    /// The SQL.
    pub sql: &'static str,
}

/// SQLite migrations.
pub const SQLITE: &[Migration] = &[Migration {
    version: 1,
    name: "init",
    sql: include_str!("../../migrations/sqlite/0001_init.sql"),
}, Migration {
    version: 2,
    name: "web",
    sql: include_str!("../../migrations/sqlite/0002_web.sql"),
}, Migration {
    version: 3,
    name: "urgent",
    sql: include_str!("../../migrations/sqlite/0003_urgent.sql"),
}, Migration {
    version: 4,
    name: "household",
    sql: include_str!("../../migrations/sqlite/0004_household.sql"),
}, Migration {
    version: 5,
    name: "call",
    sql: include_str!("../../migrations/sqlite/0005_call.sql"),
}, Migration {
    version: 6,
    name: "clinic",
    sql: include_str!("../../migrations/sqlite/0006_clinic.sql"),
}, Migration {
    version: 7,
    name: "throttle",
    sql: include_str!("../../migrations/sqlite/0007_throttle.sql"),
}, Migration {
    version: 8,
    name: "rights",
    sql: include_str!("../../migrations/sqlite/0008_rights.sql"),
}, Migration {
    version: 9,
    name: "urgent_every_state",
    sql: include_str!("../../migrations/sqlite/0009_urgent_every_state.sql"),
}];

/// PostgreSQL migrations.
pub const POSTGRES: &[Migration] = &[Migration {
    version: 1,
    name: "init",
    sql: include_str!("../../migrations/postgres/0001_init.sql"),
}, Migration {
    version: 2,
    name: "web",
    sql: include_str!("../../migrations/postgres/0002_web.sql"),
}, Migration {
    version: 3,
    name: "urgent",
    sql: include_str!("../../migrations/postgres/0003_urgent.sql"),
}, Migration {
    version: 4,
    name: "household",
    sql: include_str!("../../migrations/postgres/0004_household.sql"),
}, Migration {
    version: 5,
    name: "call",
    sql: include_str!("../../migrations/postgres/0005_call.sql"),
}, Migration {
    version: 6,
    name: "clinic",
    sql: include_str!("../../migrations/postgres/0006_clinic.sql"),
}, Migration {
    version: 7,
    name: "throttle",
    sql: include_str!("../../migrations/postgres/0007_throttle.sql"),
}, Migration {
    version: 8,
    name: "rights",
    sql: include_str!("../../migrations/postgres/0008_rights.sql"),
}, Migration {
    version: 9,
    name: "urgent_every_state",
    sql: include_str!("../../migrations/postgres/0009_urgent_every_state.sql"),
}];

/// Creates the bookkeeping table (same SQL for both databases).
pub const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_databases_have_the_same_numbered_migrations() {
        assert_eq!(SQLITE.len(), POSTGRES.len());
        for (i, (s, p)) in SQLITE.iter().zip(POSTGRES).enumerate() {
            assert_eq!(s.version, i as i64 + 1);
            assert_eq!((s.version, s.name), (p.version, p.name));
        }
    }

    #[test]
    fn migration_files_match_the_lists() {
        for (dir, list) in [("sqlite", SQLITE), ("postgres", POSTGRES)] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dir);
            let mut files: Vec<String> = std::fs::read_dir(path)
                .expect("migration folder")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            let want: Vec<String> = list.iter().map(|m| format!("{:04}_{}.sql", m.version, m.name)).collect();
            assert_eq!(files, want, "{dir}");
        }
    }
}
