//! When to try a failed upload again, and how long to wait: exponential backoff with
//! full jitter (a random wait between zero and `base · 2^attempt`, capped), a bounded
//! number of attempts within one `sync_now`, and the server's `Retry-After` honoured.
//! The numbers come from [`SyncConfig`], so tests run with zero delays.

use super::client::BAD_RESPONSE;
use crate::error::Error;
use crate::types::SyncConfig;
use std::time::Duration;

impl Default for SyncConfig {
    fn default() -> SyncConfig {
        SyncConfig { batch_size: 100, max_attempts: 5, base_delay_ms: 500, max_delay_ms: 30_000 }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Wait, then send the same batch again.
    RetryAfter(Duration),
    /// Stop this sync; the reports stay queued.
    GiveUp,
}

/// Whether a failure may go away by itself: the network, a server error (5xx, 408),
/// an unreadable answer, or throttling.
pub(crate) fn is_transient(e: &Error) -> bool {
    match e {
        // A certificate or an intercepting network does not mend itself in seconds.
        Error::Network { class, .. } => *class != super::http::TLS_CLASS,
        Error::Throttled { .. } => true,
        Error::Server { status, code, .. } => *status >= 500 || *status == 408 || code == BAD_RESPONSE,
        _ => false,
    }
}

/// The decision after failed attempt number `attempt` (0-based). `random` is any
/// random number; it spreads the waits of many phones.
pub(crate) fn next(config: &SyncConfig, attempt: u32, e: &Error, random: u64) -> Next {
    if !is_transient(e) || attempt.saturating_add(1) >= config.max_attempts.max(1) {
        return Next::GiveUp;
    }
    let cap = config.max_delay_ms;
    let ceiling = config.base_delay_ms.saturating_mul(1u64 << attempt.min(32)).min(cap);
    let jittered = if ceiling == 0 { 0 } else { random % (ceiling + 1) };
    match e {
        Error::Throttled { retry_after, .. } => {
            let wait = retry_after.saturating_mul(1000);
            if wait > cap { Next::GiveUp } else { Next::RetryAfter(Duration::from_millis(wait.max(jittered))) }
        }
        _ => Next::RetryAfter(Duration::from_millis(jittered)),
    }
}

/// A random number for the jitter, from the operating system's generator.
pub(crate) fn random() -> u64 {
    (uuid::Uuid::new_v4().as_u128() >> 64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net() -> Error {
        Error::Network { class: "connect", message: String::new() }
    }

    fn server(status: u16, code: &str) -> Error {
        Error::Server { status, code: code.into(), message: String::new() }
    }

    #[test]
    fn waits_grow_exponentially_with_jitter_and_stop_after_the_last_attempt() {
        let c = SyncConfig { batch_size: 100, max_attempts: 4, base_delay_ms: 100, max_delay_ms: 250 };
        assert_eq!(next(&c, 0, &net(), u64::MAX), Next::RetryAfter(Duration::from_millis(u64::MAX % 101)));
        assert_eq!(next(&c, 1, &net(), 200), Next::RetryAfter(Duration::from_millis(200)));
        assert_eq!(next(&c, 2, &net(), 1_000_000), Next::RetryAfter(Duration::from_millis(1_000_000 % 251)), "capped");
        assert_eq!(next(&c, 3, &net(), 0), Next::GiveUp, "four attempts in all");
        for r in [0, 7, 99, 12345] {
            match next(&c, 1, &net(), r) {
                Next::RetryAfter(d) => assert!(d <= Duration::from_millis(200)),
                Next::GiveUp => panic!("should retry"),
            }
        }
    }

    #[test]
    fn only_transient_failures_are_retried() {
        let c = SyncConfig::default();
        assert!(matches!(next(&c, 0, &server(503, "unavailable"), 1), Next::RetryAfter(_)));
        assert!(matches!(next(&c, 0, &server(200, BAD_RESPONSE), 1), Next::RetryAfter(_)));
        assert_eq!(next(&c, 0, &server(422, "invalid_body"), 1), Next::GiveUp);
        assert_eq!(next(&c, 0, &Error::Unauthorized { message: String::new() }, 1), Next::GiveUp);
    }

    #[test]
    fn retry_after_is_honoured_or_ends_the_sync() {
        let c = SyncConfig { max_delay_ms: 5_000, ..SyncConfig::default() };
        let throttled = |s| Error::Throttled { retry_after: s, message: String::new() };
        assert_eq!(next(&c, 0, &throttled(2), 0), Next::RetryAfter(Duration::from_secs(2)));
        assert_eq!(next(&c, 0, &throttled(60), 0), Next::GiveUp);
    }
}
