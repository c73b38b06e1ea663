//! Throttle state every server copy shares (see [`crate::throttle`]): one GCRA time per
//! limiter key, and the places each login account signed in from lately. Keys arrive
//! hashed; the rule (what is a key, what the quota is) lives in the throttle module.

use super::Db;
use crate::error::Result;

/// One GCRA step: `now`, the interval `every` and the `burst`, all in milliseconds and
/// counts. The same statement shape serves both stores: the key's time moves on by one
/// interval when that keeps it within `burst` intervals of now, else nothing changes.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    /// Now, in milliseconds since the epoch.
    pub now: i64,
    /// Milliseconds for one attempt to come back.
    pub every: i64,
    /// Attempts allowed at once.
    pub burst: i64,
}

impl Step {
    /// How long to wait, given the key's stored time after a refused step.
    pub fn wait_ms(&self, tat: i64) -> i64 {
        (tat + self.every - self.burst * self.every - self.now).max(1)
    }
}

impl Db {
    /// Takes one attempt of `key`; `None` when allowed, else the milliseconds to wait.
    pub async fn throttle_take(&self, key: String, step: Step) -> Result<Option<i64>> {
        dispatch!(self, s => s.throttle_take(key, step).await)
    }

    /// Whether `account` signed in from `place` lately.
    pub async fn is_known_place(&self, account: String, place: String) -> Result<bool> {
        dispatch!(self, s => s.is_known_place(account, place).await)
    }

    /// Remembers a sign-in of `account` from `place`, keeping its `keep` latest places.
    pub async fn remember_place(&self, account: String, place: String, now: i64, keep: i64) -> Result<()> {
        dispatch!(self, s => s.remember_place(account, place, now, keep).await)
    }

    /// Deletes throttle keys whose quota is full again (time at or before `now`) and
    /// places not seen since `places_before`; returns how many rows went.
    pub async fn purge_throttle(&self, now: i64, places_before: i64) -> Result<u64> {
        dispatch!(self, s => s.purge_throttle(now, places_before).await)
    }
}
