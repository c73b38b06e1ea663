//! The figures of a range of days, for one centre or the whole server: new
//! notifications and the clinics' daily counts per day and age band, people under
//! observation, reported and urgent per day, kind and age band. Counts only, never a
//! person; published through [`super::suppress`].
//!
//! A day's observation figures are computed once the day has ended (and kept);
//! today's are computed again when older than the configured age.

use super::store;
use super::suppress::{Cell, Total, cells};
use crate::clinic::AgeBands;
use crate::error::Result;
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use protocol::Kind;
use serde::Serialize;

/// The kinds, in the order shown.
pub const KINDS: [Kind; 3] = [Kind::Infected, Kind::CloseContact, Kind::AwaitingResult];

/// Raw counts of a range (never published as they are).
#[derive(Debug, Clone, Default)]
pub struct Raw {
    /// The days, oldest first.
    pub days: Vec<NaiveDate>,
    /// New notifications `[day][band]`.
    pub notifications: Vec<Vec<i64>>,
    /// The clinics' counts `[day][band]`, `None` when no clinic entered the day.
    pub counts: Vec<Option<Vec<i64>>>,
    /// How many clinics entered each day.
    pub entered: Vec<i64>,
    /// Clinics in scope.
    pub clinics: i64,
    /// Under observation `[day][kind][band]`.
    pub observed: Vec<Vec<Vec<i64>>>,
    /// Reported that day.
    pub reported: Vec<Vec<Vec<i64>>>,
    /// With a "call now" report that day.
    pub urgent: Vec<Vec<Vec<i64>>>,
    /// When the figures of the last day were computed.
    pub as_of: Option<DateTime<Utc>>,
}

/// Brings the kept figures of `from..=to` up to date (days up to today).
pub async fn refresh(state: &AppState, from: NaiveDate, to: NaiveDate) -> Result<Option<DateTime<Utc>>> {
    let now = state.clock.now();
    let today = crate::web::today(now);
    let last = to.min(today);
    let done = store::computed(&state.db, from, last).await?;
    let max_age = chrono::Duration::from_std(state.config.clinic.stats_max_age).unwrap_or_default();
    let mut as_of = None;
    let mut d = from;
    while d <= last {
        let at = done.iter().find(|(day, _)| *day == d).map(|(_, t)| *t);
        let end = store::day_start(d + chrono::Duration::days(1));
        let stale = match at {
            None => true,
            Some(t) if d == today => now - t > max_age,
            Some(t) => t < end,
        };
        let at = if stale {
            let groups = store::compute_day(&state.db, d).await?;
            store::save_day(&state.db, d, groups, now).await?;
            now
        } else {
            at.unwrap_or(now)
        };
        if d == last {
            as_of = Some(at);
        }
        let Some(next) = d.succ_opt() else { break };
        d = next;
    }
    Ok(as_of)
}

/// The raw figures of `from..=to` for `centre` (all centres with `None`).
pub async fn raw(state: &AppState, from: NaiveDate, to: NaiveDate, centre: Option<i64>) -> Result<Raw> {
    let as_of = refresh(state, from, to).await?;
    let bands = &state.config.clinic.age_bands;
    let nb = bands.bands().len();
    let days: Vec<NaiveDate> = from.iter_days().take_while(|d| *d <= to).collect();
    let at = |d: NaiveDate| (d - from).num_days() as usize;
    let kind_at = |k: &str| KINDS.iter().position(|x| x.as_str() == k).unwrap_or(0);
    let grid = || vec![vec![vec![0i64; nb]; KINDS.len()]; days.len()];
    let mut r = Raw { observed: grid(), reported: grid(), urgent: grid(), notifications: vec![vec![0; nb]; days.len()], as_of, ..Raw::default() };
    for (day, kind, age, o, rep, u) in store::groups(&state.db, from, to, centre).await? {
        let (i, k, b) = (at(day), kind_at(&kind), bands.index(age));
        r.observed[i][k][b] += o;
        r.reported[i][k][b] += rep;
        r.urgent[i][k][b] += u;
    }
    for (day, age, n) in store::notifications(&state.db, from, to, centre).await? {
        r.notifications[at(day)][bands.index(age)] += n;
    }
    let (sums, entered) = store::clinic_counts(&state.db, from, to, centre).await?;
    r.counts = vec![None; days.len()];
    r.entered = vec![0; days.len()];
    for (day, n) in entered {
        r.entered[at(day)] = n;
        r.counts[at(day)] = Some(vec![0; nb]);
    }
    for (day, band_from, n) in sums {
        if let Some(v) = r.counts[at(day)].as_mut() {
            v[bands.index(band_from)] += n;
        }
    }
    r.clinics = store::clinics(&state.db, centre).await?;
    r.days = days;
    Ok(r)
}

/// One published row: cells by band and their total.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// By age band.
    pub bands: Vec<Cell>,
    /// Sum of the cells shown.
    pub total: Total,
}

impl Row {
    fn of(raw: &[i64]) -> Row {
        let bands = cells(raw);
        Row { total: Total::of(&bands), bands }
    }
}

/// One published day.
#[derive(Debug, Clone, Serialize)]
pub struct Day {
    /// The day.
    pub day: NaiveDate,
    /// New notifications.
    pub notifications: Row,
    /// The clinics' counts; `None`: no clinic entered the day (missing, not zero).
    pub counts: Option<Row>,
    /// How many clinics entered the day.
    pub clinics_entered: i64,
    /// Under observation, one row per kind (`KINDS` order).
    pub observed: Vec<Row>,
    /// Reported, per kind.
    pub reported: Vec<Row>,
    /// Urgent, per kind.
    pub urgent: Vec<Row>,
    /// Totals of the day (sums of the totals above).
    pub totals: DayTotals,
}

/// A day's totals.
#[derive(Debug, Clone, Serialize)]
pub struct DayTotals {
    /// New notifications.
    pub notifications: Total,
    /// The clinics' counts (`None`: missing).
    pub counts: Option<Total>,
    /// Under observation.
    pub observed: Total,
    /// Reported.
    pub reported: Total,
    /// Urgent.
    pub urgent: Total,
}

/// The published figures.
#[derive(Debug, Clone, Serialize)]
pub struct Published {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Age bands `[from, to|null]`.
    pub age_bands: Vec<(i64, Option<i64>)>,
    /// Kinds, in the rows' order.
    pub kinds: Vec<&'static str>,
    /// Clinics in scope.
    pub clinics: i64,
    /// When today's (or the last day's) observation figures were computed.
    pub as_of: Option<DateTime<Utc>>,
    /// Each day.
    pub days: Vec<Day>,
}

/// Publishes raw figures (small cells hidden, totals of what is shown).
pub fn publish(r: &Raw, bands: &AgeBands, from: NaiveDate, to: NaiveDate) -> Published {
    let rows = |grid: &Vec<Vec<i64>>| grid.iter().map(|v| Row::of(v)).collect::<Vec<_>>();
    let days = r
        .days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let observed = rows(&r.observed[i]);
            let reported = rows(&r.reported[i]);
            let urgent = rows(&r.urgent[i]);
            let notifications = Row::of(&r.notifications[i]);
            let counts = r.counts[i].as_deref().map(Row::of);
            let totals = DayTotals {
                notifications: notifications.total,
                counts: counts.as_ref().map(|c| c.total),
                observed: Total::sum(observed.iter().map(|x| &x.total)),
                reported: Total::sum(reported.iter().map(|x| &x.total)),
                urgent: Total::sum(urgent.iter().map(|x| &x.total)),
            };
            Day { day: *d, notifications, counts, clinics_entered: r.entered[i], observed, reported, urgent, totals }
        })
        .collect();
    Published { from, to, age_bands: bands.bands(), kinds: KINDS.iter().map(|k| k.as_str()).collect(), clinics: r.clinics, as_of: r.as_of, days }
}
