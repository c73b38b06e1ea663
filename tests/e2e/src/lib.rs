//! Harness of the end-to-end tests: the real `mimamori-backend` process on a fresh
//! SQLite file and a free loopback port ([`backend`]), the health centre's staff API
//! ([`staff`]), phones driven through `mobile-core` exactly as a shell drives them
//! ([`phone`]), a TCP proxy that can swallow answers ([`proxy`]), HAProxy in front of
//! several server copies ([`balancer`]), a fresh PostgreSQL database ([`pg`]), and the
//! counting behind the invariant line every test prints at its end ([`Tally`]).
//!
//! Everything binds and connects to 127.0.0.1 only. Knobs (environment):
//! `MIMAMORI_E2E_ROUNDS` (kill -9 rounds, default 10), `MIMAMORI_E2E_CRASHES`
//! (SIGKILLs of a saving child process, default 30), `MIMAMORI_E2E_COPIES`,
//! `MIMAMORI_E2E_COPY_KILLS`, `MIMAMORI_E2E_COPY_PHONES`, `MIMAMORI_E2E_OUTAGE_SECONDS`
//! (see the README), `MIMAMORI_E2E_SEED` (random seed,
//! printed by every test), `MIMAMORI_BACKEND_BIN` (server binary, default
//! `target/debug/mimamori-backend`).

// Test support: a failed step ends the test with its message.
#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

pub mod backend;
pub mod balancer;
pub mod pg;
pub mod phone;
pub mod proxy;
pub mod staff;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A number from the environment, or `default`.
pub fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

/// A small deterministic random generator (xorshift64*), seeded from
/// `MIMAMORI_E2E_SEED` or the clock; the seed is printed so a run can be repeated.
pub struct Rng(u64);

impl Rng {
    pub fn from_env(test: &str) -> Rng {
        let clock = SystemTime::now().duration_since(UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64);
        let seed = env_number("MIMAMORI_E2E_SEED", clock).max(1);
        println!("{test}: seed {seed} (MIMAMORI_E2E_SEED={seed} repeats this run)");
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `lo..hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo).max(1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.range(0, 100) < percent
    }

    pub fn millis(&mut self, lo: u64, hi: u64) -> Duration {
        Duration::from_millis(self.range(lo, hi))
    }
}

/// The counts behind the invariant line.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub saved_on_phones: usize,
    pub on_server: usize,
    pub lost: usize,
    pub duplicated: usize,
    pub databases_checked: usize,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.saved_on_phones += other.saved_on_phones;
        self.on_server += other.on_server;
        self.lost += other.lost;
        self.duplicated += other.duplicated;
        self.databases_checked += other.databases_checked;
    }

    /// The invariant line.
    pub fn line(&self) -> String {
        format!(
            "saved on phones = {}, on server = {}, lost = {}, duplicated = {}, integrity_check ok on {} databases",
            self.saved_on_phones, self.on_server, self.lost, self.duplicated, self.databases_checked
        )
    }

    /// Prints the line and fails unless nothing was lost or duplicated.
    pub fn print_and_check(&self, test: &str) {
        println!("{test}: {}", self.line());
        assert_eq!(self.lost, 0, "{}", self.line());
        assert_eq!(self.duplicated, 0, "{}", self.line());
        assert_eq!(self.saved_on_phones, self.on_server, "{}", self.line());
    }
}

/// `PRAGMA integrity_check` of a SQLite file, opened read-only.
pub fn integrity_check(path: &std::path::Path) -> String {
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the database for integrity_check");
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check")
}

/// Today on this machine, and `n` days ago, `YYYY-MM-DD`.
pub fn days_ago(n: u64) -> String {
    (chrono::Local::now().date_naive() - chrono::Days::new(n)).to_string()
}

/// `n` days from today.
pub fn days_ahead(n: u64) -> String {
    (chrono::Local::now().date_naive() + chrono::Days::new(n)).to_string()
}
