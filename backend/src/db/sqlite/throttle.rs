//! SQLite side of the shared throttle state (see [`crate::db::throttle`]).

use super::super::throttle::Step;
use super::SqliteStore;
use crate::error::Result;
use rusqlite::{OptionalExtension, params};

impl SqliteStore {
    pub(in crate::db) async fn throttle_take(&self, key: String, s: Step) -> Result<Option<i64>> {
        self.write(move |tx| {
            let taken: Option<i64> = tx
                .query_row(
                    "INSERT INTO throttle (key, tat) VALUES (?1, ?2 + ?3) \
                     ON CONFLICT (key) DO UPDATE SET tat = max(throttle.tat, ?2) + ?3 \
                     WHERE max(throttle.tat, ?2) + ?3 - ?2 <= ?4 RETURNING tat",
                    params![key, s.now, s.every, s.burst * s.every],
                    |r| r.get(0),
                )
                .optional()?;
            if taken.is_some() {
                return Ok(None);
            }
            let tat: i64 = tx.query_row("SELECT tat FROM throttle WHERE key = ?1", [&key], |r| r.get(0))?;
            Ok(Some(s.wait_ms(tat)))
        })
        .await
    }

    pub(in crate::db) async fn is_known_place(&self, account: String, place: String) -> Result<bool> {
        self.read(move |c| {
            Ok(c.query_row("SELECT 1 FROM login_places WHERE account = ?1 AND place = ?2", params![account, place], |_| Ok(())).optional()?.is_some())
        })
        .await
    }

    pub(in crate::db) async fn remember_place(&self, account: String, place: String, now: i64, keep: i64) -> Result<()> {
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO login_places (account, place, seen_at) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (account, place) DO UPDATE SET seen_at = max(login_places.seen_at, ?3)",
                params![account, place, now],
            )?;
            tx.execute(
                "DELETE FROM login_places WHERE account = ?1 AND place NOT IN \
                 (SELECT place FROM login_places WHERE account = ?1 ORDER BY seen_at DESC LIMIT ?2)",
                params![account, keep],
            )?;
            Ok(())
        })
        .await
    }

    pub(in crate::db) async fn purge_throttle(&self, now: i64, places_before: i64) -> Result<u64> {
        self.write(move |tx| {
            let keys = tx.execute("DELETE FROM throttle WHERE tat <= ?1", [now])?;
            let places = tx.execute("DELETE FROM login_places WHERE seen_at < ?1", [places_before])?;
            Ok((keys + places) as u64)
        })
        .await
    }
}
