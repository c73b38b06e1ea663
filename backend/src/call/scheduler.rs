//! The rounds: every tick, each centre's due rounds are planned (once: the round's row
//! is the lock), placed calls that never came back are ended (once a minute), and due
//! attempts are claimed in batches and dialled at the centre's pace; a tick that
//! dialled a batch is followed at once by the next, so a round keeps its pace.
//!
//! The pace is a token bucket shared by every server copy: a claim reserves its
//! batch's slots in the centre's `call_pacing` row (next free slot + n ÷ rate), and the
//! copy places each call at its slot. A claim's lease covers its slots; a copy that
//! dies leaves its unplaced claims to the others when the lease ends. Each batch is
//! marked `dialing` slice by slice just before the provider is asked, so a call is
//! never placed twice; a copy that dies between the mark and the request loses at
//! most that slice, whose attempts end as failed and are called again at the retry.

use super::provider::Dialer;
use super::store;
use crate::error::Result;
use crate::state::AppState;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use tokio::task::JoinSet;

/// The time `n` calls take at `rate` calls/s.
pub fn slots(n: usize, rate: f64) -> chrono::Duration {
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    chrono::Duration::microseconds((f64::from(n) / rate.max(0.001) * 1e6) as i64)
}

/// Seconds of calls one claim takes.
pub const BATCH_SECS: f64 = 2.0;
/// Most attempts in one claim.
pub const MAX_BATCH: i64 = 5_000;
/// Calls are marked and placed together within this many seconds of slots.
pub const SLICE_SECS: f64 = 0.05;

/// How often (milliseconds, on the state's clock) a copy ends stale calls.
pub const EXPIRE_EVERY_MS: i64 = 60_000;

/// One server copy's scheduler.
#[derive(Debug, Clone)]
pub struct Scheduler {
    state: AppState,
    dialer: Dialer,
    copy: String,
    last_expire: Arc<AtomicI64>,
}

/// What one tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tick {
    /// Rounds planned.
    pub planned: u32,
    /// Attempts claimed (placed, skipped, or taken over by another copy meanwhile).
    pub claimed: usize,
    /// Calls placed.
    pub placed: usize,
}

impl Scheduler {
    /// A scheduler for this copy (its own random name in the claims).
    pub fn new(state: AppState, dialer: Dialer) -> Scheduler {
        let copy = format!("copy-{}", uuid::Uuid::new_v4().simple());
        Scheduler { state, dialer, copy, last_expire: Arc::new(AtomicI64::new(i64::MIN)) }
    }

    /// This copy's name in the claims.
    pub fn copy(&self) -> &str {
        &self.copy
    }

    /// Plans every centre's due rounds; returns how many were planned now.
    pub async fn plan(&self) -> Result<u32> {
        let now = self.state.clock.now();
        let mut planned = 0;
        for (centre_id, settings) in store::all_settings(&self.state.db).await? {
            let (day, rounds) = settings.due(now);
            for round in rounds {
                if let Some(n) = store::plan_round(&self.state.db, centre_id, day, round, now, None).await? {
                    tracing::info!(centre_id, round = round.number(), attempts = n, "call round planned");
                    planned += 1;
                }
            }
        }
        Ok(planned)
    }

    /// One tick: plan, end stale calls, claim and dial one batch per centre (centres in
    /// parallel, each at its own pace).
    pub async fn tick(&self) -> Result<Tick> {
        let planned = self.plan().await?;
        let now = self.state.clock.now();
        let day = crate::web::today(now);
        // Ending stale calls reads every open attempt: once a minute is enough (they
        // are stale after half an hour), and keeps a big round's ticks short.
        let last = self.last_expire.load(Ordering::Relaxed);
        if now.timestamp_millis().saturating_sub(last) >= EXPIRE_EVERY_MS {
            self.last_expire.store(now.timestamp_millis(), Ordering::Relaxed);
            let stale = chrono::Duration::from_std(self.state.config.call.stale_after).unwrap_or_default();
            let ended = store::expire(&self.state.db, now - stale, day, now).await?;
            if ended > 0 {
                tracing::info!(ended, "calls that never came back were ended");
            }
        }
        let mut set = JoinSet::new();
        for centre_id in store::centres_with_due(&self.state.db, day, now).await? {
            let me = self.clone();
            set.spawn(async move { me.dial_batch(centre_id).await });
        }
        let (mut claimed, mut placed) = (0, 0);
        while let Some(r) = set.join_next().await {
            match r {
                Ok(Ok((c, n))) => {
                    claimed += c;
                    placed += n;
                }
                Ok(Err(e)) => tracing::warn!(error = %e, "a call batch failed; its claims return when their lease ends"),
                Err(e) => tracing::warn!(error = %e, "a call batch stopped"),
            }
        }
        Ok(Tick { planned, claimed, placed })
    }

    /// Claims and dials one batch of a centre's due attempts; returns the attempts
    /// claimed and the calls placed.
    pub async fn dial_batch(&self, centre_id: i64) -> Result<(usize, usize)> {
        let state = &self.state;
        let settings = store::settings(&state.db, centre_id).await?;
        let rate = settings.calls_per_sec;
        let limit = ((rate * BATCH_SECS).ceil() as i64).clamp(1, MAX_BATCH);
        let lease = chrono::Duration::from_std(state.config.call.lease).unwrap_or_default();
        let now = state.clock.now();
        let day = crate::web::today(now);
        let (ids, start) = store::claim(&state.db, centre_id, day, &self.copy, limit, rate, lease, now).await?;
        let per_slice = ((rate * SLICE_SECS).round() as usize).max(1);
        let provider = self.dialer.name(&state.config.call);
        let mut placed = 0;
        for (n, chunk) in ids.chunks(per_slice).enumerate() {
            state.clock.sleep_until(start + slots(n * per_slice, rate)).await;
            let now = state.clock.now();
            let targets = store::start_dialing(&state.db, chunk.to_vec(), &self.copy, day, now).await?;
            if targets.is_empty() {
                continue;
            }
            let mut calls = JoinSet::new();
            for t in targets {
                let (dialer, st) = (self.dialer.clone(), state.clone());
                calls.spawn(async move {
                    let r = dialer.place(&st, &t).await.map_err(|_| ());
                    (t.id, r)
                });
            }
            let mut results = Vec::new();
            while let Some(r) = calls.join_next().await {
                if let Ok(r) = r {
                    results.push(r);
                }
            }
            placed += results.iter().filter(|(_, r)| r.is_ok()).count();
            store::placed(&state.db, results, provider, state.clock.now()).await?;
        }
        Ok((ids.len(), placed))
    }

    /// One step of [`Scheduler::run`]: a tick, then a pause of `tick` only when it
    /// claimed nothing (a tick that dialled a batch goes straight on to the next, whose
    /// slots follow on in the pace row, so a round runs at the centre's full pace).
    pub async fn step(&self) -> Result<Tick> {
        let r = self.tick().await;
        if !matches!(r, Ok(Tick { claimed: 1.., .. })) {
            self.state.clock.sleep(self.state.config.call.tick).await;
        }
        r
    }

    /// Runs ticks until the task is dropped; a failed tick is logged and the next one
    /// tries again.
    pub async fn run(self) {
        loop {
            if let Err(e) = self.step().await {
                tracing::warn!(error = %e, "call scheduler tick failed; trying again");
            }
        }
    }
}

/// Starts this copy's scheduler when the configuration asks for it.
pub fn start(state: &AppState) -> std::result::Result<Option<tokio::task::JoinHandle<()>>, String> {
    if !state.config.call.scheduler {
        return Ok(None);
    }
    let dialer = Dialer::from_config(&state.config.call)?;
    Ok(Some(tokio::spawn(Scheduler::new(state.clone(), dialer).run())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_spread_calls_at_the_rate() {
        assert_eq!(slots(3, 3.0), chrono::Duration::seconds(1));
        assert_eq!(slots(1000, 1000.0), chrono::Duration::seconds(1));
        assert_eq!(slots(1, 2.0), chrono::Duration::milliseconds(500));
    }
}
