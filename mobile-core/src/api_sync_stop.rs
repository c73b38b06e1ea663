//! The exported way to stop a sync: a [`SyncCancel`] handle the shell can fire from any
//! thread (a WorkManager worker's `onStopped`, a BGTask's expiration handler) and
//! `sync_now_with`, which takes the handle and an optional time limit. The work itself
//! is `sync::run` with a [`Stop`]; this file only converts and maps errors.

use crate::api::MimamoriCore;
use crate::error::CoreError;
use crate::sync::{self, stop::Flag, stop::Stop};
use crate::types::{Language, SyncStatus};
use protocol::Lang;
use std::sync::{Arc, PoisonError, TryLockError};
use std::time::{Duration, Instant};

/// How often a sync that can be stopped looks again whether another sync has finished.
const LOCK_POLL: Duration = Duration::from_millis(10);

/// A handle that stops a sync from another thread. Make one per background run, pass
/// it to `MimamoriCore.sync_now_with`, and call `cancel()` when the system takes the
/// time back (WorkManager's `onStopped`, a BGTask's `expirationHandler`). Cancelling
/// is immediate for waits (a backoff, another sync still running) and for requests
/// not yet started. A request already handed to the `HttpTransport` cannot be aborted
/// by the core: its answer is awaited (at most the request's `timeout_ms`), whatever
/// the server committed is recorded, and then the call returns `CoreError::Cancelled`.
/// Safe to share between threads; cancelling twice changes nothing.
#[derive(Debug, Default, uniffi::Object)]
pub struct SyncCancel {
    flag: Arc<Flag>,
}

#[uniffi::export]
impl SyncCancel {
    /// A handle that has not been cancelled.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(SyncCancel::default())
    }

    /// Stops every sync that uses this handle, now and later: no new request, no
    /// further wait. Returns at once.
    pub fn cancel(&self) {
        self.flag.raise();
    }

    /// Whether `cancel()` was called.
    pub fn is_cancelled(&self) -> bool {
        self.flag.is_raised()
    }
}

#[uniffi::export]
impl MimamoriCore {
    /// `sync_now` that the phone can stop: it ends when `cancel` is cancelled or
    /// `time_limit_ms` (from this call) has passed, whichever comes first; either may be
    /// absent. Each request's time limit is cut to the time left, so a server that
    /// stalls cannot hold the call much past the limit; a request is not started with
    /// less than 100 ms left. Stopped before the queue is empty, the call returns
    /// `CoreError::Cancelled`: what the server committed is recorded, everything else
    /// stays queued for the next sync (nothing is lost or sent twice), and the stop is
    /// not recorded as the last sync error. An empty queue returns the status as
    /// usual. Waiting for another running sync counts against the limit too.
    pub fn sync_now_with(
        &self,
        cancel: Option<Arc<SyncCancel>>,
        time_limit_ms: Option<u64>,
        lang: Language,
    ) -> Result<SyncStatus, CoreError> {
        let deadline = time_limit_ms.and_then(|ms| Instant::now().checked_add(Duration::from_millis(ms)));
        let stop = Stop::new(cancel.map(|c| c.flag.clone()), deadline);
        self.sync_until(&stop, lang.into())
    }
}

impl MimamoriCore {
    /// One sync pass that `stop` can end, holding the one-sync-at-a-time lock; then the
    /// queue's status. Used by `sync_now` (never stopped) and `sync_now_with`.
    pub(crate) fn sync_until(&self, stop: &Stop, lang: Lang) -> Result<SyncStatus, CoreError> {
        let api = self.server(lang)?;
        let config = *self.sync_config.lock().unwrap_or_else(PoisonError::into_inner);
        {
            let _one_at_a_time = loop {
                match self.sync_lock.try_lock() {
                    Ok(guard) => break guard,
                    Err(TryLockError::Poisoned(p)) => break p.into_inner(),
                    Err(TryLockError::WouldBlock) => {
                        if stop.wait(LOCK_POLL) {
                            return Err(sync::cancelled(lang).into());
                        }
                    }
                }
            };
            sync::run(&self.store, api, &*self.tokens, &config, stop, lang)?;
        }
        self.sync_status()
    }
}
