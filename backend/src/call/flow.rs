//! The webhooks' common steps, whatever the provider's format: the call is answered
//! (the script starts), the caller pressed keys at prompt `turn` (the script moves on,
//! or the call completes and its report goes through the report writer), a status
//! event arrived (the call rings, or ends: busy, no answer, hung up part-way).
//!
//! Exactly once: each prompt carries its number (`turn`) in the action address; keys
//! for a prompt that is not the current one (a repeated or late delivery) change
//! nothing and get the current prompt again; every write is conditional on the turn,
//! so two deliveries at once apply once. Status events apply only when newer than the
//! last one and while the call is open; an ended call never changes again.

use super::machine::{self, Next, Reply};
use super::rules::Status;
use super::store::{self, Attempt, Event};
use crate::error::Result;
use crate::ingest::{JobInput, JobOutcome, ReportResult, call_key};
use crate::state::AppState;

/// What to answer a webhook: what to say or ask, and the prompt number the next keys
/// belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Say and collect, or say and hang up.
    pub reply: Reply,
    /// The prompt number for the action address.
    pub turn: i64,
}

fn hang_up(turn: i64) -> Answer {
    Answer { reply: Reply::Hangup { say: String::new() }, turn }
}

/// The current prompt of an attempt, changing nothing.
fn current(a: &Attempt) -> Answer {
    match (&a.script, a.status) {
        (Some(script), Status::InCall) => match machine::current(script, a.lang) {
            Ok(reply) => Answer { reply, turn: a.turn },
            Err(_) => hang_up(a.turn),
        },
        _ => hang_up(a.turn),
    }
}

async fn reread(state: &AppState, id: &str) -> Result<Answer> {
    Ok(store::attempt(&state.db, id).await?.map_or_else(|| hang_up(0), |a| current(&a)))
}

/// The call was answered: the greeting and the first question. `None` for an unknown
/// attempt.
pub async fn answered(state: &AppState, id: &str) -> Result<Option<Answer>> {
    let Some(a) = store::attempt(&state.db, id).await? else { return Ok(None) };
    if !(matches!(a.status, Status::Dialing | Status::Ringing) && a.turn == 0) {
        return Ok(Some(current(&a)));
    }
    let (script, step, reply) = machine::begin(a.lang);
    if store::save_turn(&state.db, id, 0, script, step, state.clock.now()).await? {
        Ok(Some(Answer { reply, turn: 1 }))
    } else {
        reread(state, id).await.map(Some)
    }
}

/// The caller's keys at prompt `turn` (`None`: silence). `None` for an unknown attempt.
pub async fn keys(state: &AppState, id: &str, turn: i64, pressed: Option<&str>) -> Result<Option<Answer>> {
    let Some(a) = store::attempt(&state.db, id).await? else { return Ok(None) };
    let Some(script) = a.script.as_deref().filter(|_| a.status == Status::InCall && a.turn == turn) else {
        return Ok(Some(current(&a)));
    };
    let next = match machine::advance(script, pressed, a.lang, Some(&a.centre_name), Some(&a.emergency_number)) {
        Ok(n) => n,
        Err(_) => {
            store::finish(&state.db, id, turn, Status::Incomplete, None, state.clock.now()).await?;
            return Ok(Some(hang_up(turn + 1)));
        }
    };
    let now = state.clock.now();
    match next {
        Next::Continue { script, step, reply } => {
            if store::save_turn(&state.db, id, turn, script, step, now).await? {
                Ok(Some(Answer { reply, turn: turn + 1 }))
            } else {
                reread(state, id).await.map(Some)
            }
        }
        Next::GaveUp { reply } => {
            store::finish(&state.db, id, turn, Status::Incomplete, None, now).await?;
            Ok(Some(Answer { reply, turn: turn + 1 }))
        }
        Next::Completed { report, reply } => {
            let cand = machine::candidate(&a.id, a.day, a.answered_at.unwrap_or(now), &report);
            let report_id = cand.id;
            let outcome = state.ingest.submit(JobInput { token_hash: call_key(a.case_id), items: vec![Ok(cand)] }).await?;
            let stored = matches!(&outcome, JobOutcome::Results(r) if matches!(r.as_slice(), [ReportResult::Accepted { .. } | ReportResult::Conflict { .. }]));
            if stored {
                store::finish(&state.db, id, turn, Status::Completed, Some(report_id), now).await?;
                Ok(Some(Answer { reply, turn: turn + 1 }))
            } else {
                // The case was closed or the day left its period during the call.
                tracing::warn!(attempt = %a.id, "a completed call's report was refused; the attempt ends incomplete");
                store::finish(&state.db, id, turn, Status::Incomplete, None, now).await?;
                Ok(Some(hang_up(turn + 1)))
            }
        }
    }
}

/// A provider's status event numbered `seq`; true when it changed the attempt.
pub async fn status(state: &AppState, id: &str, seq: i64, event: Event) -> Result<bool> {
    store::status_event(&state.db, id, seq, event, state.clock.now()).await
}
