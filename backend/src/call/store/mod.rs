//! The call's store operations, once per database (`sqlite.rs`, `postgres.rs`), on
//! the tables of migration 0005. Every operation staff reach takes a
//! [`CentreScope`]; the scheduler and the webhooks work on attempts by id.
//!
//! Exactly one call per person and round: an attempt's key is (case, day, round), so
//! a round planned twice adds nothing. Server copies claim due attempts (SQLite: its
//! one writer; PostgreSQL: `FOR UPDATE SKIP LOCKED`) with a lease, and mark them
//! `dialing` before the provider is asked: a claim whose lease ran out is taken over,
//! a call marked `dialing` is never placed again.

mod postgres;
mod sqlite;

use super::rules::{CentreSettings, Round, Status};
use crate::db::{CentreScope, Db, Observation};
use crate::error::Result;
use chrono::{DateTime, NaiveDate, Utc};
use protocol::Lang;
use uuid::Uuid;

/// A case's enrolment in the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// Case.
    pub case_id: i64,
    /// App or phone.
    pub observation: Observation,
    /// The number staff entered to call instead of the case's phone.
    pub phone: Option<String>,
    /// The case's own phone.
    pub case_phone: String,
    /// The call's language.
    pub lang: Lang,
}

impl Enrolment {
    /// The number the call goes to.
    pub fn number(&self) -> &str {
        self.phone.as_deref().unwrap_or(&self.case_phone)
    }
}

/// An attempt as a webhook needs it.
#[derive(Clone)]
pub struct Attempt {
    /// Id (also in the webhook addresses).
    pub id: String,
    /// Case.
    pub case_id: i64,
    /// Japan's day of the round.
    pub day: NaiveDate,
    /// Round.
    pub round: Round,
    /// Status.
    pub status: Status,
    /// The call's language.
    pub lang: Lang,
    /// The script's state (while the call runs).
    pub script: Option<String>,
    /// Prompt number.
    pub turn: i64,
    /// The provider's latest status event.
    pub last_seq: i64,
    /// Answered at.
    pub answered_at: Option<DateTime<Utc>>,
    /// The case's centre name (said on an urgent answer).
    pub centre_name: String,
    /// Its emergency number.
    pub emergency_number: String,
}

impl std::fmt::Debug for Attempt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The script holds answers: never printed.
        f.debug_struct("Attempt").field("id", &self.id).field("status", &self.status).field("turn", &self.turn).finish_non_exhaustive()
    }
}

/// A call about to be placed.
#[derive(Clone)]
pub struct DialTarget {
    /// Attempt id.
    pub id: String,
    /// Case.
    pub case_id: i64,
    /// Centre.
    pub centre_id: i64,
    /// Round.
    pub round: Round,
    /// The number to call (personal data: never logged).
    pub number: String,
    /// Language.
    pub lang: Lang,
}

impl std::fmt::Debug for DialTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DialTarget").field("id", &self.id).field("case_id", &self.case_id).finish_non_exhaustive()
    }
}

/// One attempt in a list (no answers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptLine {
    /// Id.
    pub id: String,
    /// Case.
    pub case_id: i64,
    /// Day.
    pub day: NaiveDate,
    /// Round.
    pub round: Round,
    /// Status.
    pub status: Status,
    /// The step it reached (`q3`) when it ended part-way.
    pub step: Option<String>,
    /// Placed at.
    pub dialed_at: Option<DateTime<Utc>>,
    /// Ended at.
    pub ended_at: Option<DateTime<Utc>>,
    /// The report it made.
    pub report_id: Option<Uuid>,
}

/// A person on the call-back list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallBack {
    /// Case.
    pub case_id: i64,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_reading: String,
    /// The number the calls went to.
    pub number: String,
    /// Today's attempts, first round first.
    pub attempts: Vec<AttemptLine>,
}

/// How a status event changes an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Queued, initiated, answered: only the order is kept.
    Progress,
    /// The phone rings.
    Ringing,
    /// The call ended without our last words: incomplete when it was answered,
    /// otherwise not answered.
    HungUp,
    /// Ended as this (busy, no answer, failed, cancelled).
    Ended(Status),
}

/// Counts of one day's attempts by round and status.
pub type RoundCounts = Vec<(Round, Status, i64)>;

macro_rules! on {
    ($db:expr, $s:ident => $sqlite:expr, $p:ident => $pg:expr) => {
        match $db {
            Db::Sqlite($s) => $sqlite,
            Db::Postgres($p) => $pg,
        }
    };
}

/// A centre's settings (the defaults when it has none).
pub async fn settings(db: &Db, centre_id: i64) -> Result<CentreSettings> {
    on!(db, s => sqlite::settings(s, centre_id).await, p => postgres::settings(p, centre_id).await)
}

/// Every centre with its settings.
pub async fn all_settings(db: &Db) -> Result<Vec<(i64, CentreSettings)>> {
    on!(db, s => sqlite::all_settings(s).await, p => postgres::all_settings(p).await)
}

/// Stores a centre's settings, audited as `staff_id`'s change in the same transaction
/// (`None`: the `demo` command's set-up, not a staff action).
pub async fn put_settings(db: &Db, scope: CentreScope, staff_id: Option<i64>, v: CentreSettings, now: DateTime<Utc>) -> Result<()> {
    on!(db, s => sqlite::put_settings(s, scope, staff_id, v, now).await, p => postgres::put_settings(p, scope, staff_id, v, now).await)
}

/// A case's enrolment; `None` if the case is not the scope's.
pub async fn enrolment(db: &Db, scope: CentreScope, case_id: i64) -> Result<Option<Enrolment>> {
    on!(db, s => sqlite::enrolment(s, scope, case_id).await, p => postgres::enrolment(p, scope, case_id).await)
}

/// Who changed or started something, for the audit row written with the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct By {
    /// The staff member's centre.
    pub scope: CentreScope,
    /// The staff member.
    pub staff_id: i64,
}

/// Switches a case between app and phone and sets the number (`None`: the case's
/// phone) and language, with `by`'s audit row in the same transaction; false if the
/// case is not the scope's (nothing written).
pub async fn set_enrolment(db: &Db, by: By, case_id: i64, observation: Observation, phone: Option<String>, lang: Lang, now: DateTime<Utc>) -> Result<bool> {
    on!(db, s => sqlite::set_enrolment(s, by, case_id, observation, phone, lang, now).await,
        p => postgres::set_enrolment(p, by, case_id, observation, phone, lang, now).await)
}

/// Plans a round once: the first round holds everyone enrolled and under observation
/// who has not reported on `day`; the retry holds those whose first call needs a retry
/// and who have still not reported, once no first-round call is open. `None` when it
/// was planned already (or the retry cannot be planned yet). `by`: a staff member
/// started it now (audited in the same transaction when it was planned); `None`: the
/// scheduler or the `call-round` command.
pub async fn plan_round(db: &Db, centre_id: i64, day: NaiveDate, round: Round, now: DateTime<Utc>, by: Option<By>) -> Result<Option<i64>> {
    on!(db, s => sqlite::plan_round(s, centre_id, day, round, now, by).await, p => postgres::plan_round(p, centre_id, day, round, now, by).await)
}

/// Centres with attempts to claim on `day`.
pub async fn centres_with_due(db: &Db, day: NaiveDate, now: DateTime<Utc>) -> Result<Vec<i64>> {
    on!(db, s => sqlite::centres_with_due(s, day, now).await, p => postgres::centres_with_due(p, day, now).await)
}

/// Claims up to `limit` due attempts of a centre for `copy` (due ones, and claims whose
/// lease ran out), and reserves their slots in the centre's shared pace: returns the
/// ids and the time the first may be placed. The lease covers the slots plus `lease`.
#[allow(clippy::too_many_arguments)]
pub async fn claim(db: &Db, centre_id: i64, day: NaiveDate, copy: &str, limit: i64, rate: f64, lease: chrono::Duration, now: DateTime<Utc>) -> Result<(Vec<String>, DateTime<Utc>)> {
    on!(db, s => sqlite::claim(s, centre_id, day, copy.to_owned(), limit, rate, lease, now).await,
        p => postgres::claim(p, centre_id, day, copy, limit, rate, lease, now).await)
}

/// Marks claimed attempts `dialing` (only those `copy` still holds) and returns what
/// to call; someone who reported meanwhile or is no longer enrolled is `skipped`.
pub async fn start_dialing(db: &Db, ids: Vec<String>, copy: &str, day: NaiveDate, now: DateTime<Utc>) -> Result<Vec<DialTarget>> {
    on!(db, s => sqlite::start_dialing(s, ids, copy.to_owned(), day, now).await, p => postgres::start_dialing(p, ids, copy, day, now).await)
}

/// Records placed calls (`Ok(provider call id)`) as ringing and failed ones as failed.
pub async fn placed(db: &Db, results: Vec<(String, std::result::Result<String, ()>)>, provider: &str, now: DateTime<Utc>) -> Result<()> {
    on!(db, s => sqlite::placed(s, results, provider.to_owned(), now).await, p => postgres::placed(p, results, provider, now).await)
}

/// Ends placed calls that never came back (since `before`) as failed (incomplete when
/// answered), and due or claimed attempts of an earlier day as failed. Returns how
/// many.
pub async fn expire(db: &Db, before: DateTime<Utc>, today: NaiveDate, now: DateTime<Utc>) -> Result<u64> {
    on!(db, s => sqlite::expire(s, before, today, now).await, p => postgres::expire(p, before, today, now).await)
}

/// An attempt by id.
pub async fn attempt(db: &Db, id: &str) -> Result<Option<Attempt>> {
    on!(db, s => sqlite::attempt(s, id.to_owned()).await, p => postgres::attempt(p, id).await)
}

/// Keeps the script after prompt `turn` (only if the attempt is still at that turn and
/// open); the call is then in progress. False: another delivery was first.
pub async fn save_turn(db: &Db, id: &str, turn: i64, script: String, step: String, now: DateTime<Utc>) -> Result<bool> {
    on!(db, s => sqlite::save_turn(s, id.to_owned(), turn, script, step, now).await, p => postgres::save_turn(p, id, turn, script, step, now).await)
}

/// Ends an open attempt at prompt `turn` as `status` (completed with its report, or
/// incomplete); the script is cleared. False: another delivery was first.
pub async fn finish(db: &Db, id: &str, turn: i64, status: Status, report_id: Option<Uuid>, now: DateTime<Utc>) -> Result<bool> {
    on!(db, s => sqlite::finish(s, id.to_owned(), turn, status, report_id, now).await, p => postgres::finish(p, id, turn, status, report_id, now).await)
}

/// Applies a provider's status event numbered `seq` if it is newer than the last one
/// and the attempt is still open; false when it changed nothing.
pub async fn status_event(db: &Db, id: &str, seq: i64, event: Event, now: DateTime<Utc>) -> Result<bool> {
    on!(db, s => sqlite::status_event(s, id.to_owned(), seq, event, now).await, p => postgres::status_event(p, id, seq, event, now).await)
}

/// The centre's call-back list of `day`: whoever had a call today, has no open call,
/// whose last round has been planned, and has still not reported.
pub async fn callbacks(db: &Db, scope: CentreScope, day: NaiveDate, last: Round) -> Result<Vec<CallBack>> {
    on!(db, s => sqlite::callbacks(s, scope, day, last).await, p => postgres::callbacks(p, scope, day, last).await)
}

/// A case's attempts, newest first; `None` if the case is not the scope's.
pub async fn case_calls(db: &Db, scope: CentreScope, case_id: i64) -> Result<Option<Vec<AttemptLine>>> {
    on!(db, s => sqlite::case_calls(s, scope, case_id).await, p => postgres::case_calls(p, scope, case_id).await)
}

/// The day's attempts of the scope's centre by round and status.
pub async fn round_counts(db: &Db, scope: CentreScope, day: NaiveDate) -> Result<RoundCounts> {
    on!(db, s => sqlite::round_counts(s, scope, day).await, p => postgres::round_counts(p, scope, day).await)
}
