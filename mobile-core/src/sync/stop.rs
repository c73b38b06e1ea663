//! When a sync must give way: a cancel flag another thread can raise (the shell's
//! `SyncCancel`, fired from a WorkManager worker's `onStopped` or a BGTask's expiration
//! handler) and an optional deadline. The upload asks [`Stop`] before every request and
//! every backoff wait, waits on a condition variable instead of sleeping (so a cancel
//! cuts a wait short at once), and bounds each request's time limit by the time left.
//!
//! A request already handed to the shell's transport cannot be aborted from here: the
//! core waits for its answer (at most the request's time limit, which the deadline
//! bounds), applies whatever the server committed, and then stops.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A request is not started with less time than this before the deadline: it could
/// not finish, and the server might commit what the phone then never hears about.
pub(crate) const MIN_REQUEST_TIME: Duration = Duration::from_millis(100);

/// A cancel flag shared between the sync and whoever may stop it.
#[derive(Debug, Default)]
pub(crate) struct Flag {
    raised: Mutex<bool>,
    changed: Condvar,
}

impl Flag {
    /// Raises the flag and wakes every wait on it. Raising it again changes nothing.
    pub(crate) fn raise(&self) {
        *self.raised.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.changed.notify_all();
    }

    /// Whether the flag was raised.
    pub(crate) fn is_raised(&self) -> bool {
        *self.raised.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until `until` or until the flag is raised; `true` when it was raised.
    fn wait_until(&self, until: Instant) -> bool {
        let mut raised = self.raised.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if *raised {
                return true;
            }
            let now = Instant::now();
            if now >= until {
                return false;
            }
            raised = self.changed.wait_timeout(raised, until - now).unwrap_or_else(PoisonError::into_inner).0;
        }
    }
}

/// What may stop one sync: a cancel flag, a deadline, both or neither.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stop {
    flag: Option<Arc<Flag>>,
    deadline: Option<Instant>,
}

impl Stop {
    /// A sync that runs until it is done (`sync_now`).
    pub(crate) fn never() -> Stop {
        Stop::default()
    }

    /// Stops when `flag` is raised or at `deadline`.
    pub(crate) fn new(flag: Option<Arc<Flag>>, deadline: Option<Instant>) -> Stop {
        Stop { flag, deadline }
    }

    /// Whether the sync must stop now: cancelled, or too little time left to start a
    /// request.
    pub(crate) fn is_stopped(&self) -> bool {
        self.flag.as_ref().is_some_and(|f| f.is_raised())
            || self.deadline.is_some_and(|d| d.saturating_duration_since(Instant::now()) < MIN_REQUEST_TIME)
    }

    /// The time limit of the next request: `limit`, or the time left if shorter.
    pub(crate) fn request_limit(&self, limit: Duration) -> Duration {
        match self.deadline {
            Some(d) => limit.min(d.saturating_duration_since(Instant::now())).max(Duration::from_millis(1)),
            None => limit,
        }
    }

    /// Waits `wait` (a backoff) unless stopped first; `true` when the sync must stop.
    /// A wait that would end past the deadline stops the sync at the deadline.
    pub(crate) fn wait(&self, wait: Duration) -> bool {
        let mut until = Instant::now() + wait;
        let past_deadline = self.deadline.is_some_and(|d| until + MIN_REQUEST_TIME > d);
        if let Some(d) = self.deadline.filter(|_| past_deadline) {
            until = d;
        }
        let cancelled = match &self.flag {
            Some(f) => f.wait_until(until),
            None => {
                std::thread::sleep(until.saturating_duration_since(Instant::now()));
                false
            }
        };
        cancelled || past_deadline || self.is_stopped()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raised_flag_cuts_a_long_wait_short() {
        let flag = Arc::new(Flag::default());
        let stop = Stop::new(Some(flag.clone()), None);
        assert!(!stop.is_stopped());
        let raiser = {
            let flag = flag.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(50));
                flag.raise();
            })
        };
        let start = Instant::now();
        assert!(stop.wait(Duration::from_secs(30)));
        assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
        raiser.join().unwrap();
        assert!(stop.is_stopped());
        assert!(stop.wait(Duration::ZERO), "stays raised");
    }

    #[test]
    fn the_deadline_bounds_waits_and_requests() {
        let stop = Stop::new(None, Some(Instant::now() + Duration::from_millis(300)));
        assert!(!stop.is_stopped());
        assert!(stop.request_limit(Duration::from_secs(30)) <= Duration::from_millis(300));
        assert_eq!(stop.request_limit(Duration::from_millis(5)), Duration::from_millis(5));
        assert!(!stop.wait(Duration::from_millis(10)), "a short wait within the deadline");
        let start = Instant::now();
        assert!(stop.wait(Duration::from_secs(30)), "a wait past the deadline stops the sync");
        assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
        assert!(stop.is_stopped());
        assert_eq!(Stop::new(None, Some(Instant::now())).request_limit(Duration::from_secs(1)), Duration::from_millis(1));
    }

    #[test]
    fn never_stops_and_keeps_the_limit() {
        let stop = Stop::never();
        assert!(!stop.is_stopped());
        assert_eq!(stop.request_limit(Duration::from_secs(30)), Duration::from_secs(30));
        assert!(!stop.wait(Duration::from_millis(1)));
    }
}
