//! Shared server state: database, settings, mailer, throttles, the report writer and a
//! clock that tests can move forward.

use crate::config::Config;
use crate::db::Db;
use crate::error::Result;
use crate::ingest::Ingest;
use crate::mail::Mailer;
use crate::throttle::Throttle;
use chrono::{DateTime, Utc};
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Wall-clock time plus an offset that only tests change. A simulated clock
/// ([`Clock::simulated`], for benchmarks) also jumps forward instead of waiting when
/// the call scheduler sleeps until a call's slot, so hours of pacing take only the
/// time the work itself takes.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
    simulated: bool,
}

impl Clock {
    /// A clock whose [`Clock::sleep_until`] moves it forward instead of waiting.
    pub fn simulated() -> Clock {
        Clock { offset_ms: Arc::default(), simulated: true }
    }

    /// Now (UTC), plus the test offset.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + chrono::Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves this clock forward (tests: expire a code without waiting).
    pub fn advance(&self, by: std::time::Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }

    /// Waits until `at` on this clock; a simulated clock moves forward to `at` (never
    /// back) and only yields.
    pub async fn sleep_until(&self, at: DateTime<Utc>) {
        let wait = at - self.now();
        if self.simulated {
            let micros = wait.num_microseconds().unwrap_or(i64::MAX);
            if micros > 0 {
                let need = (at - Utc::now()).num_microseconds().unwrap_or(i64::MAX).saturating_add(999) / 1000;
                self.offset_ms.fetch_max(need, Ordering::Relaxed);
            }
            tokio::task::yield_now().await;
        } else if let Ok(d) = wait.to_std() {
            tokio::time::sleep(d).await;
        }
    }

    /// Waits `d` on this clock (see [`Clock::sleep_until`]).
    pub async fn sleep(&self, d: std::time::Duration) {
        let at = self.now() + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX);
        self.sleep_until(at).await;
    }
}

/// Everything a handler can reach.
#[derive(Debug)]
pub struct Shared {
    /// The database.
    pub db: Db,
    /// Settings.
    pub config: Config,
    /// Where verification codes go.
    pub mailer: Mailer,
    /// Throttles.
    pub throttle: Throttle,
    /// The group-commit report writer.
    pub ingest: Ingest,
    /// Time.
    pub clock: Clock,
    /// Prometheus metrics.
    pub metrics: crate::metrics::Metrics,
    /// The FHIR Bulk Data export jobs of this server copy.
    pub exports: Arc<crate::fhir::bulk::Jobs>,
}

/// Cheaply clonable handle to [`Shared`].
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    /// Builds the state and starts the report writer; call inside a tokio runtime.
    pub fn new(db: Db, config: Config, clock: Clock) -> Result<AppState> {
        let mailer = Mailer::from_config(&config)?;
        let throttle = Throttle::new(&config.limits, db.clone(), clock.clone());
        let ingest = Ingest::start(db.clone(), clock.clone())?;
        let (metrics, exports) = (crate::metrics::Metrics::default(), Arc::default());
        Ok(AppState(Arc::new(Shared { db, config, mailer, throttle, ingest, clock, metrics, exports })))
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}
