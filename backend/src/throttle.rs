//! Throttling of code requests, code tries and logins, per account and per client
//! address. A refusal is a 429 with `Retry-After`.
//!
//! The limiters are GCRA ("generic cell rate") keys kept in the database, so every
//! server copy on one database draws on the same quota: two copies together allow no
//! more than one. Keys are stored as SHA-256 hashes of the limiter's name and the
//! account or address, never the address or e-mail itself.
//!
//! Logins are limited per client, per account and place (address) together, and per
//! account across all places; a place where the account signed in before skips the
//! last, so somebody guessing from elsewhere cannot keep the right password out.

use crate::config::{Limits, Quota};
use crate::db::Db;
use crate::db::throttle::Step;
use crate::error::ApiError;
use crate::state::Clock;
use sha2::{Digest, Sha256};
use std::net::IpAddr;

/// Addresses remembered per account.
const PLACES_PER_ACCOUNT: i64 = 8;

/// How long a place stays known without a sign-in from it.
const PLACES_KEPT: chrono::Duration = chrono::Duration::days(90);

/// All limiters of one server, over the shared database.
#[derive(Debug)]
pub struct Throttle {
    limits: Limits,
    db: Db,
    clock: Clock,
}

/// A key of limiter `name`, hashed.
fn key(name: &str, value: &str) -> String {
    hex::encode(Sha256::new().chain_update(name).chain_update([0]).chain_update(value).finalize())
}

impl Throttle {
    /// Limiters with the given quotas, kept in `db`, on `clock`'s time.
    pub fn new(limits: &Limits, db: Db, clock: Clock) -> Throttle {
        Throttle { limits: *limits, db, clock }
    }

    async fn check(&self, name: &str, q: Quota, value: &str) -> Result<(), ApiError> {
        let every = i64::try_from(q.every.as_millis()).unwrap_or(i64::MAX / 4).max(1);
        let step = Step { now: self.clock.now().timestamp_millis(), every, burst: i64::from(q.burst.max(1)) };
        match self.db.throttle_take(key(name, value), step).await? {
            None => Ok(()),
            Some(wait_ms) => {
                let secs = u64::try_from(wait_ms).unwrap_or(1).div_ceil(1000);
                Err(ApiError::too_many_requests(secs))
            }
        }
    }

    /// A verification-code request for `email` from `client`.
    pub async fn code_request(&self, email: &str, client: IpAddr) -> Result<(), ApiError> {
        self.check("code-client", self.limits.code_requests_per_client, &client.to_string()).await?;
        self.check("code-email", self.limits.code_requests_per_email, email).await
    }

    /// A code or attribute try from `client`.
    pub async fn attempt(&self, client: IpAddr) -> Result<(), ApiError> {
        self.check("try-client", self.limits.tries_per_client, &client.to_string()).await
    }

    /// A login of `account` (patient or staff e-mail, prefixed by kind) from `client`:
    /// per client, per account and place, and — unless the account signed in from
    /// this place before — per account.
    pub async fn login(&self, account: &str, client: IpAddr) -> Result<(), ApiError> {
        let place = client.to_string();
        self.check("login-client", self.limits.logins_per_client, &place).await?;
        self.check("login-account-place", self.limits.logins_per_account_place, &format!("{account} {place}")).await?;
        if self.db.is_known_place(key("account", account), key("place", &place)).await? {
            return Ok(());
        }
        self.check("login-account", self.limits.logins_per_account, account).await
    }

    /// Remembers that `account` signed in from `client`. A failure only costs the
    /// account its shortcut from this place, so it is logged, not returned.
    pub async fn remember_login(&self, account: &str, client: IpAddr) {
        let now = self.clock.now().timestamp_millis();
        let result = self.db.remember_place(key("account", account), key("place", &client.to_string()), now, PLACES_PER_ACCOUNT).await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "a sign-in place could not be remembered");
        }
    }

    /// Forgets keys whose quota is full again and places not used for long.
    pub async fn shrink(&self) -> crate::error::Result<u64> {
        let now = self.clock.now();
        self.db.purge_throttle(now.timestamp_millis(), (now - PLACES_KEPT).timestamp_millis()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_hashed_per_limiter() {
        let a = key("login-account", "staff:a@b.jp");
        assert_eq!(a.len(), 64);
        assert!(!a.contains("a@b"));
        assert_ne!(a, key("code-email", "staff:a@b.jp"), "each limiter has its own keys");
        assert_eq!(a, key("login-account", "staff:a@b.jp"));
    }
}
