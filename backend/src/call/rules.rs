//! The call's rules, with no I/O: the two rounds of a day, an attempt's statuses and
//! which of them the retry round calls again, a centre's settings and their checks,
//! and which rounds are due at a moment (Japan's day and time).

use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// The rounds of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Round {
    /// 9:00: everyone enrolled who has not reported today.
    First,
    /// 10:00: everyone whose first call was not answered, busy, failed or ended before
    /// the last answer, and who has still not reported.
    Retry,
}

impl Round {
    /// Stored number, 1 or 2.
    pub fn number(self) -> i64 {
        match self {
            Round::First => 1,
            Round::Retry => 2,
        }
    }

    /// From the stored number.
    pub fn from_number(n: i64) -> Option<Round> {
        match n {
            1 => Some(Round::First),
            2 => Some(Round::Retry),
            _ => None,
        }
    }
}

/// Where an attempt is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Planned, not taken by a server copy yet.
    Due,
    /// Taken by a copy, with a lease; another copy takes it over when the lease ends.
    Claimed,
    /// About to be placed; never placed again (at most one call per round).
    Dialing,
    /// Placed; the phone rings.
    Ringing,
    /// Answered; the script runs.
    InCall,
    /// Every answer is in and the report is stored.
    Completed,
    /// Answered, but ended before the last answer (hung up or too many wrong keys).
    Incomplete,
    /// Not answered.
    NoAnswer,
    /// Busy.
    Busy,
    /// The call could not be placed or never came back.
    Failed,
    /// Cancelled before it was answered.
    Canceled,
    /// Not called: the person reported before the call, or is no longer enrolled.
    Skipped,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 12] = [
        Status::Due,
        Status::Claimed,
        Status::Dialing,
        Status::Ringing,
        Status::InCall,
        Status::Completed,
        Status::Incomplete,
        Status::NoAnswer,
        Status::Busy,
        Status::Failed,
        Status::Canceled,
        Status::Skipped,
    ];

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Due => "due",
            Status::Claimed => "claimed",
            Status::Dialing => "dialing",
            Status::Ringing => "ringing",
            Status::InCall => "in_call",
            Status::Completed => "completed",
            Status::Incomplete => "incomplete",
            Status::NoAnswer => "no_answer",
            Status::Busy => "busy",
            Status::Failed => "failed",
            Status::Canceled => "canceled",
            Status::Skipped => "skipped",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Not ended yet.
    pub fn is_open(self) -> bool {
        matches!(self, Status::Due | Status::Claimed | Status::Dialing | Status::Ringing | Status::InCall)
    }

    /// The retry round calls this person again (if they have still not reported).
    pub fn needs_retry(self) -> bool {
        matches!(self, Status::Incomplete | Status::NoAnswer | Status::Busy | Status::Failed | Status::Canceled)
    }

    /// Staff-facing label.
    pub fn label(self, lang: protocol::Lang) -> &'static str {
        let (ja, en) = match self {
            Status::Due => ("発信待ち", "waiting"),
            Status::Claimed => ("発信準備中", "queued"),
            Status::Dialing => ("発信中", "dialling"),
            Status::Ringing => ("呼出中", "ringing"),
            Status::InCall => ("通話中", "in the call"),
            Status::Completed => ("回答完了", "answered"),
            Status::Incomplete => ("途中終了", "ended part-way"),
            Status::NoAnswer => ("応答なし", "no answer"),
            Status::Busy => ("話し中", "busy"),
            Status::Failed => ("発信失敗", "failed"),
            Status::Canceled => ("取消", "cancelled"),
            Status::Skipped => ("発信不要（報告済み）", "not called (reported)"),
        };
        protocol::Text { ja, en }.get(lang)
    }
}

/// The SQL list of the statuses the retry round calls again.
pub const RETRY_STATUSES_SQL: &str = "('incomplete', 'no_answer', 'busy', 'failed', 'canceled')";
/// The SQL list of the open statuses.
pub const OPEN_STATUSES_SQL: &str = "('due', 'claimed', 'dialing', 'ringing', 'in_call')";

/// A centre's call settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CentreSettings {
    /// The rounds run at all.
    pub enabled: bool,
    /// The first round, Japan time (`09:00`).
    #[schema(value_type = String, example = "09:00")]
    pub first_at: NaiveTime,
    /// The retry round, Japan time (`10:00`).
    #[schema(value_type = String, example = "10:00")]
    pub retry_at: NaiveTime,
    /// Whether the retry round runs.
    pub retry: bool,
    /// Calls started per second (the provider's limit; 1–3 by default).
    pub calls_per_sec: f64,
}

impl Default for CentreSettings {
    fn default() -> CentreSettings {
        CentreSettings {
            enabled: true,
            first_at: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
            retry_at: NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default(),
            retry: true,
            calls_per_sec: 2.0,
        }
    }
}

/// Why settings were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsError {
    /// The retry is not after the first round.
    RetryNotAfterFirst,
    /// The pace is not between 0.1 and 10,000 calls/s.
    Rate,
}

/// How long after its time a round may still be planned (a server started at 9:20
/// plans the 9:00 round; one started in the evening does not call people then).
pub const PLAN_WINDOW: chrono::Duration = chrono::Duration::hours(3);

/// The fastest pace accepted (calls/s).
pub const MAX_RATE: f64 = 10_000.0;

impl CentreSettings {
    /// Checks the settings.
    pub fn check(&self) -> Result<(), SettingsError> {
        if !(0.1..=MAX_RATE).contains(&self.calls_per_sec) {
            return Err(SettingsError::Rate);
        }
        if self.retry && self.retry_at <= self.first_at {
            return Err(SettingsError::RetryNotAfterFirst);
        }
        Ok(())
    }

    /// The rounds due at `now` on Japan's day: each from its time until
    /// [`PLAN_WINDOW`] later (the retry only when on).
    pub fn due(&self, now: DateTime<Utc>) -> (NaiveDate, Vec<Round>) {
        let local = now.with_timezone(&crate::web::jst());
        let day = local.date_naive();
        let time = local.time().with_nanosecond(0).unwrap_or_default();
        let within = |at: NaiveTime| time >= at && time - at < PLAN_WINDOW;
        let mut rounds = Vec::new();
        if self.enabled && within(self.first_at) {
            rounds.push(Round::First);
        }
        if self.enabled && self.retry && within(self.retry_at) {
            rounds.push(Round::Retry);
        }
        (day, rounds)
    }

    /// The last round of a day: a person still without a report after it is on the
    /// call-back list.
    pub fn last_round(&self) -> Round {
        if self.retry { Round::Retry } else { Round::First }
    }
}

/// `09:00` → a time; hours and minutes only.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|d| d.to_utc()).unwrap_or_default()
    }

    #[test]
    fn rounds_are_due_by_japan_time() {
        let s = CentreSettings::default();
        assert_eq!(s.due(at("2026-12-01T08:59:59+09:00")).1, vec![]);
        let (day, r) = s.due(at("2026-12-01T09:00:00+09:00"));
        assert_eq!((day.to_string(), r), ("2026-12-01".to_owned(), vec![Round::First]));
        assert_eq!(s.due(at("2026-12-01T10:00:00+09:00")).1, vec![Round::First, Round::Retry]);
        // 00:30 UTC is 09:30 in Japan.
        assert_eq!(s.due(at("2026-12-01T00:30:00Z")).1, vec![Round::First]);
        let off = CentreSettings { retry: false, ..s };
        assert_eq!(off.due(at("2026-12-01T11:00:00+09:00")).1, vec![Round::First]);
        assert_eq!(off.last_round(), Round::First);
        assert_eq!(s.due(at("2026-12-01T12:59:00+09:00")).1, vec![Round::Retry]);
        assert_eq!(s.due(at("2026-12-01T13:00:00+09:00")).1, vec![]);
        let disabled = CentreSettings { enabled: false, ..s };
        assert!(disabled.due(at("2026-12-01T11:00:00+09:00")).1.is_empty());
    }

    #[test]
    fn settings_are_checked() {
        let mut s = CentreSettings::default();
        assert_eq!(s.check(), Ok(()));
        s.retry_at = s.first_at;
        assert_eq!(s.check(), Err(SettingsError::RetryNotAfterFirst));
        s.retry = false;
        assert_eq!(s.check(), Ok(()));
        s.calls_per_sec = 0.0;
        assert_eq!(s.check(), Err(SettingsError::Rate));
        assert_eq!(parse_time("9:05"), NaiveTime::from_hms_opt(9, 5, 0));
        assert_eq!(parse_time("25:00"), None);
    }

    #[test]
    fn statuses_round_trip_and_retry() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert!(!(s.is_open() && s.needs_retry()));
            assert_eq!(RETRY_STATUSES_SQL.contains(&format!("'{}'", s.as_str())), s.needs_retry());
            assert_eq!(OPEN_STATUSES_SQL.contains(&format!("'{}'", s.as_str())), s.is_open());
        }
        assert!(!Status::Completed.needs_retry() && !Status::Skipped.needs_retry());
    }
}
