//! Periodic upkeep of a running server: expired sessions and finished or abandoned
//! registration requests (each holds an e-mail address) are deleted, and the throttles
//! forget keys whose quota is full again; the retention job removes the personal data
//! of cases whose observation ended long ago ([`crate::rights::retention`]). Time comes from the state's clock, so tests
//! move the clock and call [`run_once`] instead of waiting.

use crate::error::Result;
use crate::state::AppState;
use chrono::Duration;

/// How often upkeep runs.
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// How long a registration request is kept: its code lives 10 minutes and its token 30,
/// so after a day it is finished or abandoned either way.
pub const KEEP_REGISTRATIONS: Duration = Duration::hours(24);

/// One round of upkeep; returns how many sessions and registration requests went.
pub async fn run_once(state: &AppState) -> Result<(u64, u64)> {
    let now = state.clock.now();
    let throttle_rows = state.throttle.shrink().await?;
    let (sessions, registrations) = state.db.purge_expired(now, now - KEEP_REGISTRATIONS).await?;
    if throttle_rows > 0 {
        tracing::debug!(rows = throttle_rows, "spent throttle keys and old sign-in places deleted");
    }
    if sessions + registrations > 0 {
        tracing::info!(sessions, registrations, "expired sessions and registration requests deleted");
    }
    crate::rights::retention::run_once(state).await?;
    Ok((sessions, registrations))
}

/// Runs upkeep every [`EVERY`] until the task is dropped; a failed round is logged and
/// tried again at the next tick.
pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(EVERY);
    loop {
        tick.tick().await;
        if let Err(e) = run_once(&state).await {
            tracing::warn!(error = %e, "upkeep failed; trying again later");
        }
    }
}
