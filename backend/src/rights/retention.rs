//! Retention: the personal data of a case (names, phone, e-mail, the day and month of
//! birth, the patient account, reports and their answers, notes, call logs,
//! corrections and request texts) is removed `--retention-days` days after its
//! observation ended. Runs with upkeep (every 10 minutes, on the state's clock);
//! each run writes one `retention_runs` row with counts only. The statistics keep
//! their counts: past days are computed once and kept (`crate::stats::store`), and the
//! case row keeps its centre, kind, period and year of birth.

use crate::db::rights::Erased;
use crate::error::Result;
use crate::state::AppState;
use chrono::Duration;

/// The default number of days (one year; the seeds name no period).
pub const DEFAULT_DAYS: u32 = 365;

/// One run: removes what is due and records the run.
pub async fn run_once(state: &AppState) -> Result<Erased> {
    let today = crate::web::today(state.clock.now());
    let cutoff = today - Duration::days(i64::from(state.config.retention_days));
    let erased = state.db.erase_ended(cutoff, state.clock.now()).await?;
    if erased.cases > 0 {
        tracing::info!(cases = erased.cases, reports = erased.reports, "personal data past retention removed");
    }
    Ok(erased)
}
