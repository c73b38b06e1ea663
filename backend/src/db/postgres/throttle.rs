//! PostgreSQL side of the shared throttle state (see [`crate::db::throttle`]). Each
//! step is one statement, so copies racing on one key serialise on its row.

use super::super::throttle::Step;
use super::PgStore;
use crate::error::Result;

impl PgStore {
    pub(in crate::db) async fn throttle_take(&self, key: String, s: Step) -> Result<Option<i64>> {
        let client = self.pool.get().await?;
        let limit = s.burst * s.every;
        let taken = client
            .query_opt(
                "INSERT INTO throttle (key, tat) VALUES ($1, $2::bigint + $3::bigint) \
                 ON CONFLICT (key) DO UPDATE SET tat = GREATEST(throttle.tat, $2::bigint) + $3::bigint \
                 WHERE GREATEST(throttle.tat, $2::bigint) + $3::bigint - $2::bigint <= $4::bigint RETURNING tat",
                &[&key, &s.now, &s.every, &limit],
            )
            .await?;
        if taken.is_some() {
            return Ok(None);
        }
        let tat: i64 = client.query_one("SELECT tat FROM throttle WHERE key = $1", &[&key]).await?.try_get(0)?;
        Ok(Some(s.wait_ms(tat)))
    }

    pub(in crate::db) async fn is_known_place(&self, account: String, place: String) -> Result<bool> {
        let client = self.pool.get().await?;
        Ok(client.query_opt("SELECT 1 FROM login_places WHERE account = $1 AND place = $2", &[&account, &place]).await?.is_some())
    }

    pub(in crate::db) async fn remember_place(&self, account: String, place: String, now: i64, keep: i64) -> Result<()> {
        let client = self.pool.get().await?;
        client
            .execute(
                "INSERT INTO login_places (account, place, seen_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (account, place) DO UPDATE SET seen_at = GREATEST(login_places.seen_at, $3)",
                &[&account, &place, &now],
            )
            .await?;
        client
            .execute(
                "DELETE FROM login_places WHERE account = $1 AND place NOT IN \
                 (SELECT place FROM login_places WHERE account = $1 ORDER BY seen_at DESC LIMIT $2)",
                &[&account, &keep],
            )
            .await?;
        Ok(())
    }

    pub(in crate::db) async fn purge_throttle(&self, now: i64, places_before: i64) -> Result<u64> {
        let client = self.pool.get().await?;
        let keys = client.execute("DELETE FROM throttle WHERE tat <= $1", &[&now]).await?;
        let places = client.execute("DELETE FROM login_places WHERE seen_at < $1", &[&places_before]).await?;
        Ok(keys + places)
    }
}
