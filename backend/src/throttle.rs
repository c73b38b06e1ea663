//! Throttling of code requests, code tries and logins, per account and per client
//! address, with keyed GCRA limiters (governor). A refusal is a 429 with `Retry-After`.
//!
//! The limiters live in memory: with several server copies each copy throttles on its
//! own, so the effective quota is the configured one times the number of copies.

use crate::config::{Limits, Quota};
use crate::error::ApiError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

type Keyed = DefaultKeyedRateLimiter<String>;

/// All limiters of one server.
#[derive(Debug)]
pub struct Throttle {
    code_requests_per_email: Keyed,
    code_requests_per_client: Keyed,
    tries_per_client: Keyed,
    logins_per_account: Keyed,
    logins_per_client: Keyed,
}

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
            logins_per_client: limiter(l.logins_per_client),
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

    /// A login of `account` (patient or staff e-mail, prefixed by kind) from `client`.
    pub fn login(&self, account: &str, client: IpAddr) -> Result<(), ApiError> {
        check(&self.logins_per_client, client.to_string())?;
        check(&self.logins_per_account, account.to_owned())
    }

    /// Forgets keys whose quota is full again, so memory stays bounded.
    pub fn shrink(&self) {
        for l in [
            &self.code_requests_per_email,
            &self.code_requests_per_client,
            &self.tries_per_client,
            &self.logins_per_account,
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
