//! Throttling of code requests, code tries and logins, per account and per client
//! address, with keyed GCRA limiters (governor). A refusal is a 429 with `Retry-After`.
//!
//! Logins are limited per client, per account and place (address) together, and per
//! account across all places; a place where the account signed in before skips the
//! last, so somebody guessing from elsewhere cannot keep the right password out.
//!
//! The limiters live in memory: with several server copies each copy throttles on its
//! own, so the effective quota is the configured one times the number of copies.

use crate::config::{Limits, Quota};
use crate::error::ApiError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;

type Keyed = DefaultKeyedRateLimiter<String>;

/// All limiters of one server.
#[derive(Debug)]
pub struct Throttle {
    code_requests_per_email: Keyed,
    code_requests_per_client: Keyed,
    tries_per_client: Keyed,
    logins_per_account: Keyed,
    logins_per_account_place: Keyed,
    logins_per_client: Keyed,
    /// Where each account signed in before (a few recent addresses per account).
    known_places: Mutex<HashMap<String, Vec<IpAddr>>>,
}

/// Addresses remembered per account, and accounts remembered in all.
const PLACES_PER_ACCOUNT: usize = 8;
const ACCOUNTS_REMEMBERED: usize = 200_000;

fn limiter(q: Quota) -> Keyed {
    let burst = NonZeroU32::new(q.burst).unwrap_or(NonZeroU32::MIN);
    let quota = governor::Quota::with_period(q.every)
        .unwrap_or_else(|| governor::Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst);
    RateLimiter::keyed(quota)
}

fn check(l: &Keyed, key: String) -> Result<(), ApiError> {
    l.check_key(&key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        ApiError::too_many_requests(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
    })
}

impl Throttle {
    /// Limiters with the given quotas.
    pub fn new(l: &Limits) -> Throttle {
        Throttle {
            code_requests_per_email: limiter(l.code_requests_per_email),
            code_requests_per_client: limiter(l.code_requests_per_client),
            tries_per_client: limiter(l.tries_per_client),
            logins_per_account: limiter(l.logins_per_account),
            logins_per_account_place: limiter(l.logins_per_account_place),
            logins_per_client: limiter(l.logins_per_client),
            known_places: Mutex::new(HashMap::new()),
        }
    }

    /// A verification-code request for `email` from `client`.
    pub fn code_request(&self, email: &str, client: IpAddr) -> Result<(), ApiError> {
        check(&self.code_requests_per_client, client.to_string())?;
        check(&self.code_requests_per_email, email.to_owned())
    }

    /// A code or attribute try from `client`.
    pub fn attempt(&self, client: IpAddr) -> Result<(), ApiError> {
        check(&self.tries_per_client, client.to_string())
    }

    /// A login of `account` (patient or staff e-mail, prefixed by kind) from `client`:
    /// per client, per account and place, and — unless the account signed in from
    /// this place before — per account.
    pub fn login(&self, account: &str, client: IpAddr) -> Result<(), ApiError> {
        check(&self.logins_per_client, client.to_string())?;
        check(&self.logins_per_account_place, format!("{account} {client}"))?;
        if self.is_known_place(account, client) {
            return Ok(());
        }
        check(&self.logins_per_account, account.to_owned())
    }

    /// Remembers that `account` signed in from `client`.
    pub fn remember_login(&self, account: &str, client: IpAddr) {
        let Ok(mut known) = self.known_places.lock() else { return };
        if known.len() >= ACCOUNTS_REMEMBERED && !known.contains_key(account) {
            known.clear();
        }
        let places = known.entry(account.to_owned()).or_default();
        places.retain(|p| *p != client);
        places.push(client);
        if places.len() > PLACES_PER_ACCOUNT {
            places.remove(0);
        }
    }

    fn is_known_place(&self, account: &str, client: IpAddr) -> bool {
        self.known_places.lock().is_ok_and(|k| k.get(account).is_some_and(|p| p.contains(&client)))
    }

    /// Forgets keys whose quota is full again, so memory stays bounded.
    pub fn shrink(&self) {
        for l in [
            &self.code_requests_per_email,
            &self.code_requests_per_client,
            &self.tries_per_client,
            &self.logins_per_account,
            &self.logins_per_account_place,
            &self.logins_per_client,
        ] {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn guesses_from_elsewhere_never_keep_the_right_password_out_of_a_known_place() {
        let limits = Limits { logins_per_account: Quota::new(3, 600), logins_per_account_place: Quota::new(2, 60), ..Limits::default() };
        let t = Throttle::new(&limits);
        let office = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
        assert!(t.login("staff:a@b.jp", office).is_ok());
        t.remember_login("staff:a@b.jp", office);
        // Somebody guesses from three other places until the account's cap is spent.
        for n in 2..5 {
            let _ = t.login("staff:a@b.jp", IpAddr::V4(Ipv4Addr::new(198, 51, 100, n)));
        }
        assert!(t.login("staff:a@b.jp", IpAddr::V4(Ipv4Addr::new(198, 51, 100, 9))).is_err(), "new places are capped");
        assert!(t.login("staff:a@b.jp", office).is_ok(), "the office still gets in");
        // One place's own tries stay limited, known or not.
        assert!(t.login("staff:a@b.jp", office).is_err());
    }

    #[test]
    fn quota_runs_out_per_key_with_a_retry_time() {
        let limits = Limits { logins_per_account: Quota::new(2, 60), ..Limits::default() };
        let t = Throttle::new(&limits);
        let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);
        assert!(t.login("p:a@b.jp", ip).is_ok());
        assert!(t.login("p:a@b.jp", ip).is_ok());
        let e = t.login("p:a@b.jp", ip).expect_err("third login throttled");
        assert_eq!(e.status, axum::http::StatusCode::TOO_MANY_REQUESTS);
        assert!((1..=60).contains(&e.retry_after.unwrap_or(0)));
        assert!(t.login("p:c@d.jp", ip).is_ok(), "other accounts are not affected");
        t.shrink();
    }
}
