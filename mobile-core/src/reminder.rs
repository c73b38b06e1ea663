//! When the daily reminder should next ring: at the chosen local time, today if that
//! time is still ahead and someone this phone reports for has not reported today,
//! otherwise tomorrow; never after the observation period ends. Pure: the clock and
//! the phone's offset from UTC come in as arguments.

use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveTime, TimeZone};

/// What the planner needs to know about the phone's people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Today {
    /// Every person this phone reports for has a report for today's local date.
    pub everyone_reported: bool,
    /// The last day of observation, when known (the latest of the household's).
    pub period_end: Option<NaiveDate>,
}

/// The next moment the reminder should ring after `now`, or `None` when the
/// observation period is over.
pub(crate) fn next(now: DateTime<FixedOffset>, at: NaiveTime, today: Today) -> Option<DateTime<FixedOffset>> {
    let zone = *now.offset();
    let date = now.date_naive();
    let ring_on = |d: NaiveDate| zone.from_local_datetime(&d.and_time(at)).single();
    let today_ring = ring_on(date)?;
    let day = if today_ring > now && !today.everyone_reported { date } else { date.checked_add_days(Days::new(1))? };
    if today.period_end.is_some_and(|end| day > end) {
        return None;
    }
    ring_on(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap_or_default()
    }

    fn nine() -> NaiveTime {
        NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default()
    }

    const NOBODY: Today = Today { everyone_reported: false, period_end: None };

    #[test]
    fn rings_today_while_the_time_is_ahead_and_a_report_is_missing() {
        assert_eq!(next(at("2026-12-02T08:59:59+09:00"), nine(), NOBODY), Some(at("2026-12-02T09:00:00+09:00")));
    }

    #[test]
    fn waits_for_tomorrow_once_the_time_passed_or_everyone_reported() {
        assert_eq!(next(at("2026-12-02T09:00:00+09:00"), nine(), NOBODY), Some(at("2026-12-03T09:00:00+09:00")));
        let done = Today { everyone_reported: true, period_end: None };
        assert_eq!(next(at("2026-12-02T07:00:00+09:00"), nine(), done), Some(at("2026-12-03T09:00:00+09:00")));
        // The phone's own day: 23:30 in Japan is already the next day in no zone but its own.
        assert_eq!(next(at("2026-12-31T23:30:00+09:00"), nine(), NOBODY), Some(at("2027-01-01T09:00:00+09:00")));
        assert_eq!(next(at("2026-12-02T08:00:00-05:00"), nine(), NOBODY), Some(at("2026-12-02T09:00:00-05:00")));
    }

    #[test]
    fn stops_after_the_last_day_of_observation() {
        let end = NaiveDate::from_ymd_opt(2026, 12, 2);
        let last_day = Today { everyone_reported: false, period_end: end };
        assert_eq!(next(at("2026-12-02T08:00:00+09:00"), nine(), last_day), Some(at("2026-12-02T09:00:00+09:00")));
        assert_eq!(next(at("2026-12-02T10:00:00+09:00"), nine(), last_day), None);
        assert_eq!(next(at("2026-12-02T08:00:00+09:00"), nine(), Today { everyone_reported: true, ..last_day }), None);
    }
}
