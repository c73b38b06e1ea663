//! Report sync: validation of each report with the `protocol` rules, exactly-once
//! application by the phone-made report id, and group commit.
//!
//! Group commit: a writer task takes every sync request waiting in its queue (up to
//! [`MAX_BATCH`] reports), applies them all in ONE database transaction, and answers
//! each request only after that transaction has committed. Many phones thus share one
//! fsync. The token of each request is resolved inside the same transaction.
//! SQLite has one writer (its writes are serial anyway); PostgreSQL has
//! [`PG_WRITERS`], so one batch fills while others commit. Batches racing on a report
//! id are safe (the insert skips ids already stored and reads the stored one back); a
//! batch that loses a deadlock to another is applied once more.
//!
//! The planning ([`Plan`]) is pure and shared by both databases; each store only reads
//! sessions and existing rows and inserts the new ones.

use crate::db::sqlite::SqliteStore;
use crate::db::{Db, PatientCtx, StoredReport};
use crate::error::{Error, Msg, Result};
use crate::state::Clock;
use chrono::{DateTime, NaiveDate, Utc};
use protocol::{AdviceLevel, Answers, DailyReport, Kind, Lang, Temperature, TemperatureError, triage};
use std::collections::{HashMap, HashSet};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

/// Most reports applied in one transaction.
pub const MAX_BATCH: usize = 1024;

/// Writer tasks on PostgreSQL (batches in flight at once).
pub const PG_WRITERS: usize = 4;

/// PostgreSQL's SQLSTATE for a transaction chosen as a deadlock's victim.
const DEADLOCK: &str = "40P01";

/// One report as the phone sends it (the shared wire type). Shape errors (missing
/// field, wrong JSON type, unknown field) refuse the whole request; value errors refuse
/// only this report.
pub use protocol::wire::{ReportStatus, WireReport, WireResult};

/// A report that passed validation, with its triage result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Report id.
    pub id: Uuid,
    /// Day it is for.
    pub local_date: NaiveDate,
    /// Kind of person.
    pub kind: Kind,
    /// Temperature.
    pub temperature: Temperature,
    /// Answers.
    pub answers: Answers,
    /// Saved on the phone at (millisecond precision).
    pub recorded_at: DateTime<Utc>,
    /// `protocol::triage` of the report.
    pub advice: AdviceLevel,
    /// The household member it is for (their link's id), or the account's own case.
    pub person: Option<i64>,
}

/// Why one report of a batch was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// `id` is not a UUID.
    BadId,
    /// `local_date` is not a date.
    BadDate,
    /// `kind` is not a known kind.
    BadKind,
    /// Temperature out of range.
    BadTemperature(TemperatureError),
    /// Not nine answers of 1, 2 or 9.
    BadAnswers,
    /// `recorded_at` is not an RFC 3339 time.
    BadRecordedAt,
    /// The date is outside the case's observation period.
    OutsidePeriod,
    /// The household member is not (or no longer) linked to the account.
    UnknownPerson,
    /// The case's use is suspended at the person's request.
    UseSuspended,
}

impl Refusal {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::BadId => "bad_id",
            Refusal::BadDate => "bad_date",
            Refusal::BadKind => "bad_kind",
            Refusal::BadTemperature(_) => "bad_temperature",
            Refusal::BadAnswers => "bad_answers",
            Refusal::BadRecordedAt => "bad_recorded_at",
            Refusal::OutsidePeriod => "outside_observation_period",
            Refusal::UnknownPerson => "unknown_person",
            Refusal::UseSuspended => "use_suspended",
        }
    }

    /// Text for the person.
    pub fn message(&self) -> Msg {
        match self {
            Refusal::BadId => Msg::fixed("報告のIDが正しくありません。", "The report id is not valid."),
            Refusal::BadDate => Msg::fixed("日付が正しくありません。", "The date is not valid."),
            Refusal::BadKind => Msg::fixed("区分が正しくありません。", "The kind of person is not valid."),
            Refusal::BadTemperature(e) => Msg::fixed(e.message(Lang::Ja), e.message(Lang::En)),
            Refusal::BadAnswers => Msg::fixed(
                "9つの質問すべてに 1・2・9 のいずれかで回答してください。",
                "Answer all nine questions with 1, 2 or 9.",
            ),
            Refusal::BadRecordedAt => Msg::fixed("記録日時が正しくありません。", "The time the report was saved is not valid."),
            Refusal::OutsidePeriod => Msg::fixed(
                "健康観察期間外の日付の報告は受け付けられません。",
                "The date is outside your observation period.",
            ),
            Refusal::UnknownPerson => Msg::fixed(
                "この方は世帯員として登録されていません。世帯員をもう一度追加してください。",
                "This person is not linked to your account as a household member. Please add them again.",
            ),
            Refusal::UseSuspended => Msg::fixed(
                "利用停止中のため、この記録は保健所に届いていません。具合が悪いときは保健所の緊急連絡先に、命に関わるときは119番に電話してください。利用を再開するときは保健所にご連絡ください。",
                "Your use is suspended, so this report has not reached the health centre. If you feel unwell, call the health centre's emergency number; in a life-threatening emergency, call 119. To start again, contact the health centre.",
            ),
        }
    }
}

/// What happened to one report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportResult {
    /// Stored (now or by an earlier identical request), with its advice level.
    Accepted {
        /// Report id.
        id: Uuid,
        /// Triage level stored with it.
        advice: AdviceLevel,
    },
    /// The id is already used by a different report.
    Conflict {
        /// Report id.
        id: Uuid,
    },
    /// The report is not valid; nothing was stored.
    Refused {
        /// The id as sent.
        id: String,
        /// Why.
        reason: Refusal,
    },
}

impl ReportResult {
    /// The wire form in `lang`.
    pub fn to_wire(&self, lang: Lang) -> WireResult {
        match self {
            ReportResult::Accepted { id, advice } => WireResult {
                id: id.to_string(),
                status: ReportStatus::Accepted,
                advice: Some(advice.as_str().into()),
                reason: None,
                message: None,
            },
            ReportResult::Conflict { id } => WireResult {
                id: id.to_string(),
                status: ReportStatus::Conflict,
                advice: None,
                reason: Some("conflict".into()),
                message: Some(
                    Msg::fixed("同じIDの別の報告が既にあります。", "A different report with this id already exists.").get(lang).to_owned(),
                ),
            },
            ReportResult::Refused { id, reason } => WireResult {
                id: id.clone(),
                status: ReportStatus::Refused,
                advice: None,
                reason: Some(reason.code().into()),
                message: Some(reason.message().get(lang).to_owned()),
            },
        }
    }
}

/// Validates one report with the shared rules and runs triage on it.
pub fn prepare(w: &WireReport) -> Result<Candidate, (String, Refusal)> {
    let refuse = |r| (w.id.clone(), r);
    let id = Uuid::parse_str(&w.id).map_err(|_| refuse(Refusal::BadId))?;
    let local_date = NaiveDate::parse_from_str(&w.local_date, "%Y-%m-%d").map_err(|_| refuse(Refusal::BadDate))?;
    let kind = Kind::parse(&w.kind).ok_or_else(|| refuse(Refusal::BadKind))?;
    let temperature = Temperature::from_tenths(w.temperature_tenths).map_err(|e| refuse(Refusal::BadTemperature(e)))?;
    let codes: Vec<u8> = w.answers.iter().map(|&c| u8::try_from(c).unwrap_or(u8::MAX)).collect();
    let answers = Answers::from_codes(&codes).map_err(|_| refuse(Refusal::BadAnswers))?;
    let recorded_at = DateTime::parse_from_rfc3339(&w.recorded_at).map_err(|_| refuse(Refusal::BadRecordedAt))?;
    let recorded_at = DateTime::<Utc>::from_timestamp_millis(recorded_at.timestamp_millis()).ok_or_else(|| refuse(Refusal::BadRecordedAt))?;
    let person = match w.person.as_deref() {
        None => None,
        Some(p) => Some(p.trim().parse::<i64>().map_err(|_| refuse(Refusal::UnknownPerson))?),
    };
    let advice = triage(&DailyReport { kind, temperature, answers }).level;
    Ok(Candidate { id, local_date, kind, temperature, answers, recorded_at, advice, person })
}

/// The key a report made by the automated call carries in place of a token hash: the
/// store resolves it to the case itself (it is never a hex SHA-256, so never a
/// session). Everything else — validation, triage, the exactly-once plan, the board
/// columns — is the same as for a report from the app.
pub fn call_key(case_id: i64) -> String {
    format!("call:{case_id}")
}

/// The case of a [`call_key`].
pub fn call_case(key: &str) -> Option<i64> {
    key.strip_prefix("call:")?.parse().ok()
}

/// One sync request as the store sees it.
#[derive(Debug, Clone)]
pub struct JobInput {
    /// SHA-256 of the bearer token.
    pub token_hash: String,
    /// The reports, valid or refused, in request order.
    pub items: Vec<Result<Candidate, (String, Refusal)>>,
}

/// The answer to one sync request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    /// The token is unknown or expired; nothing was applied.
    Unauthorized,
    /// One result per report, in request order.
    Results(Vec<ReportResult>),
}

enum Slot {
    Done(ReportResult),
    Pending { case_id: i64, cand: Candidate },
}

/// The plan for one batch: which reports are refused, which ids need a look at the
/// table, which rows to insert, and finally every request's results.
pub struct Plan {
    jobs: Vec<Option<Vec<Slot>>>,
    winners: HashMap<Uuid, StoredReport>,
}

impl JobInput {
    /// Whether any report of the request names a household member (the store then
    /// reads the account's links).
    pub fn names_members(&self) -> bool {
        self.items.iter().any(|i| matches!(i, Ok(c) if c.person.is_some()))
    }
}

impl Plan {
    /// Applies authentication, the household links and the observation period.
    pub fn new(inputs: Vec<JobInput>, ctxs: &HashMap<String, PatientCtx>) -> Plan {
        let jobs = inputs
            .into_iter()
            .map(|job| {
                let ctx = ctxs.get(&job.token_hash)?;
                Some(
                    job.items
                        .into_iter()
                        .map(|item| {
                            let cand = match item {
                                Err((id, reason)) => return Slot::Done(ReportResult::Refused { id, reason }),
                                Ok(c) => c,
                            };
                            // Whose case: the account's own, or a linked household member's.
                            let own = (ctx.case_id, ctx.period_start, ctx.period_end, ctx.suspended);
                            let target = match cand.person {
                                None => Some(own),
                                Some(p) => ctx.members.iter().find(|m| m.id == p).map(|m| (m.case_id, m.period_start, m.period_end, m.suspended)),
                            };
                            let refuse = |reason| Slot::Done(ReportResult::Refused { id: cand.id.to_string(), reason });
                            match target {
                                None => refuse(Refusal::UnknownPerson),
                                // Suspension stops reports at the door: nothing is stored
                                // that no list would show; the person is told whom to call.
                                Some((.., true)) => refuse(Refusal::UseSuspended),
                                Some((_, start, end, _)) if cand.local_date < start || cand.local_date > end => refuse(Refusal::OutsidePeriod),
                                Some((case_id, ..)) => Slot::Pending { case_id, cand },
                            }
                        })
                        .collect(),
                )
            })
            .collect();
        Plan { jobs, winners: HashMap::new() }
    }

    fn pending(&self) -> impl Iterator<Item = (i64, &Candidate)> {
        self.jobs.iter().flatten().flatten().filter_map(|s| match s {
            Slot::Pending { case_id, cand } => Some((*case_id, cand)),
            Slot::Done(_) => None,
        })
    }

    /// Distinct ids that need a look at the reports table.
    pub fn pending_ids(&self) -> Vec<Uuid> {
        let mut seen = HashSet::new();
        self.pending().map(|(_, c)| c.id).filter(|id| seen.insert(*id)).collect()
    }

    /// Rows already in the table (from an earlier batch, or another server). A row set
    /// here replaces one chosen by [`Plan::rows_to_insert`] whose insert was a no-op.
    pub fn set_existing(&mut self, rows: Vec<StoredReport>) {
        for row in rows {
            self.winners.insert(row.id, row);
        }
    }

    /// The first report of each id that is not in the table yet.
    pub fn rows_to_insert(&mut self, received_at: DateTime<Utc>) -> Vec<StoredReport> {
        let mut seen = HashSet::new();
        let new_rows: Vec<StoredReport> = self
            .pending()
            .filter(|(_, c)| !self.winners.contains_key(&c.id) && seen.insert(c.id))
            .map(|(case_id, c)| StoredReport::from_candidate(case_id, c, received_at))
            .collect();
        for row in &new_rows {
            self.winners.insert(row.id, row.clone());
        }
        new_rows
    }

    /// Finishes the plan: every report compared with the row that holds its id.
    pub fn finish(self) -> Vec<JobOutcome> {
        let winners = self.winners;
        self.jobs
            .into_iter()
            .map(|job| match job {
                None => JobOutcome::Unauthorized,
                Some(slots) => JobOutcome::Results(
                    slots
                        .into_iter()
                        .map(|s| match s {
                            Slot::Done(r) => r,
                            Slot::Pending { case_id, cand } => match winners.get(&cand.id) {
                                Some(row) if row.matches(case_id, &cand) => ReportResult::Accepted { id: cand.id, advice: row.advice },
                                _ => ReportResult::Conflict { id: cand.id },
                            },
                        })
                        .collect(),
                ),
            })
            .collect()
    }
}

struct Job {
    input: JobInput,
    reply: oneshot::Sender<Result<JobOutcome>>,
}

/// Handle to the writer task; cheap to clone.
#[derive(Debug, Clone)]
pub struct Ingest {
    tx: mpsc::Sender<Job>,
}

impl Ingest {
    /// Starts the writers: PostgreSQL's as tasks on the current runtime; SQLite's one
    /// on a thread of its own, which blocks on the queue and on the database and
    /// answers straight from there, so a batch never waits for a runtime worker busy
    /// with HTTP before it is written or answered.
    pub fn start(db: Db, clock: Clock) -> Result<Ingest> {
        let (tx, rx) = mpsc::channel(8192);
        match &db {
            Db::Postgres(_) => {
                let rx = std::sync::Arc::new(tokio::sync::Mutex::new(rx));
                for _ in 0..PG_WRITERS {
                    tokio::spawn(run(db.clone(), clock.clone(), rx.clone()));
                }
            }
            Db::Sqlite(store) => {
                let store = store.clone();
                std::thread::Builder::new()
                    .name("report-writer".into())
                    .spawn(move || run_here(&store, &clock, rx))
                    .map_err(|e| Error::Internal(format!("report writer thread: {e}")))?;
            }
        }
        Ok(Ingest { tx })
    }

    /// Sync requests waiting for the writer.
    pub fn queue_depth(&self) -> usize {
        self.tx.max_capacity() - self.tx.capacity()
    }

    /// Applies one request's reports; returns after their transaction has committed.
    pub async fn submit(&self, input: JobInput) -> Result<JobOutcome> {
        let (reply, answer) = oneshot::channel();
        self.tx.send(Job { input, reply }).await.map_err(|_| Error::Internal("ingest writer stopped".into()))?;
        answer.await.map_err(|_| Error::Internal("ingest writer dropped a request".into()))?
    }
}

/// The batch that starts with `first`: whatever else is queued is added, up to
/// [`MAX_BATCH`] reports.
fn fill_batch(first: Job, rx: &mut mpsc::Receiver<Job>) -> Vec<Job> {
    let mut count = first.input.items.len();
    let mut jobs = vec![first];
    while count < MAX_BATCH {
        match rx.try_recv() {
            Ok(job) => {
                count += job.input.items.len();
                jobs.push(job);
            }
            Err(_) => break,
        }
    }
    jobs
}

/// Answers every request of a batch once its transaction has committed (or failed).
fn answer(replies: Vec<oneshot::Sender<Result<JobOutcome>>>, result: Result<Vec<JobOutcome>>) {
    match result {
        Ok(outcomes) => {
            for (reply, outcome) in replies.into_iter().zip(outcomes) {
                let _ = reply.send(Ok(outcome));
            }
        }
        Err(e) => {
            tracing::error!(error = %e, requests = replies.len(), "report batch failed; nothing of it was applied");
            for reply in replies {
                let _ = reply.send(Err(Error::Db("report batch failed".into())));
            }
        }
    }
}

/// A PostgreSQL writer task.
async fn run(db: Db, clock: Clock, rx: std::sync::Arc<tokio::sync::Mutex<mpsc::Receiver<Job>>>) {
    loop {
        let jobs = {
            let mut rx = rx.lock().await;
            let Some(first) = rx.recv().await else { return };
            fill_batch(first, &mut rx)
        };
        let (inputs, replies): (Vec<_>, Vec<_>) = jobs.into_iter().map(|j| (j.input, j.reply)).unzip();
        // PostgreSQL's writers can deadlock each other; keep a copy to apply again.
        let again = inputs.clone();
        let mut result = db.ingest(inputs, clock.now()).await;
        if let Err(Error::Db(detail)) = &result
            && detail.ends_with(DEADLOCK)
        {
            tracing::info!("report batch lost a deadlock; applying it once more");
            result = db.ingest(again, clock.now()).await;
        }
        answer(replies, result);
    }
}

/// SQLite's writer thread: ends when the server drops its queue. A batch that panics
/// is answered with an error (its transaction rolled back) and the thread goes on.
fn run_here(store: &SqliteStore, clock: &Clock, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.blocking_recv() {
        let jobs = fill_batch(first, &mut rx);
        let (inputs, replies): (Vec<_>, Vec<_>) = jobs.into_iter().map(|j| (j.input, j.reply)).unzip();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| store.ingest_here(inputs, clock.now())))
            .unwrap_or_else(|_| Err(Error::Internal("report batch panicked".into())));
        answer(replies, result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(id: &str, date: &str, t: i64) -> WireReport {
        WireReport {
            id: id.into(),
            local_date: date.into(),
            kind: "infected".into(),
            temperature_tenths: t,
            answers: vec![2; 9],
            recorded_at: "2026-01-05T08:00:00.123456+09:00".into(),
            person: None,
        }
    }

    #[test]
    fn validation_uses_the_protocol_rules() {
        let id = Uuid::new_v4().to_string();
        let c = prepare(&wire(&id, "2026-01-05", 365)).expect("valid");
        assert_eq!(c.advice, AdviceLevel::NoAction);
        assert_eq!(c.recorded_at.timestamp_subsec_millis(), 123);
        assert_eq!(prepare(&wire(&id, "2026-01-05", 380)).map(|c| c.advice), Ok(AdviceLevel::Watch));
        assert_eq!(prepare(&wire("x", "2026-01-05", 365)).map(|_| ()), Err(("x".into(), Refusal::BadId)));
        assert_eq!(prepare(&wire(&id, "2026-13-05", 365)).map(|_| ()), Err((id.clone(), Refusal::BadDate)));
        assert!(matches!(prepare(&wire(&id, "2026-01-05", 339)), Err((_, Refusal::BadTemperature(_)))));
        let mut w = wire(&id, "2026-01-05", 365);
        w.answers = vec![2, 2, 2, 2, 2, 2, 2, 2, 3];
        assert_eq!(prepare(&w).map(|_| ()), Err((id.clone(), Refusal::BadAnswers)));
        w.answers = vec![2; 8];
        assert_eq!(prepare(&w).map(|_| ()), Err((id.clone(), Refusal::BadAnswers)));
        w.answers = vec![2, 2, 2, 2, 2, 2, 2, 2, 258];
        assert_eq!(prepare(&w).map(|_| ()), Err((id.clone(), Refusal::BadAnswers)));
    }

    #[test]
    fn a_batch_applies_each_id_once() {
        let ctx = PatientCtx {
            patient_id: 1,
            case_id: 7,
            period_start: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
            period_end: NaiveDate::from_ymd_opt(2026, 1, 14).expect("date"),
            members: Vec::new(),
            suspended: false,
        };
        let id = Uuid::new_v4().to_string();
        let a = prepare(&wire(&id, "2026-01-05", 365)).map_err(|_| ()).expect("valid");
        let b = prepare(&wire(&id, "2026-01-05", 366)).map_err(|_| ()).expect("valid");
        let late = prepare(&wire(&Uuid::new_v4().to_string(), "2026-02-05", 365)).map_err(|_| ()).expect("valid");
        let inputs = vec![
            JobInput { token_hash: "t".into(), items: vec![Ok(a.clone()), Ok(a.clone()), Ok(b), Ok(late)] },
            JobInput { token_hash: "unknown".into(), items: vec![Ok(a.clone())] },
        ];
        let mut plan = Plan::new(inputs, &HashMap::from([("t".to_owned(), ctx)]));
        assert_eq!(plan.pending_ids(), vec![a.id]);
        plan.set_existing(vec![]);
        assert_eq!(plan.rows_to_insert(Utc::now()).len(), 1);
        let out = plan.finish();
        let JobOutcome::Results(r) = &out[0] else { panic!("authorised job") };
        assert_eq!(r[0], ReportResult::Accepted { id: a.id, advice: AdviceLevel::NoAction });
        assert_eq!(r[1], r[0]);
        assert_eq!(r[2], ReportResult::Conflict { id: a.id });
        assert!(matches!(r[3], ReportResult::Refused { reason: Refusal::OutsidePeriod, .. }));
        assert_eq!(out[1], JobOutcome::Unauthorized);
    }
}
