//! Statistics benchmark: fills a SQLite file with the today-board benchmark's data (the
//! same fill: cases of many centres, one big, and every daily report of a month), adds
//! clinics with outbreak notifications and daily counts, then times the statistics
//! (`stats::figures::raw` and `publish`, and `GET /api/v1/stats` through the router).
//! Prints figures; asserts no timing.
//!
//! ```sh
//! cargo bench -p backend --bench stats                        # small: 20,000 cases
//! MIMAMORI_BENCH_STATS_CASES=1500000 MIMAMORI_BENCH_STATS_BIG=200000 \
//!   MIMAMORI_BENCH_STATS_DB=/tmp/stats.db cargo bench -p backend --bench stats
//! ```
//!
//! Environment: `MIMAMORI_BENCH_STATS_CASES` (default 20,000), `…_BIG` (cases of the
//! big centre, default a tenth), `…_CENTRES` (100), `…_DAYS` (30), `…_RUNS` (timed
//! runs, 30), `…_DB` (file; reused when it holds a finished fill of the same sizes).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

// The board benchmark's fill; its check of the board columns is not used here.
#[allow(dead_code)]
#[path = "board/fill.rs"]
mod fill;

use axum::body::Body;
use axum::http::{Request, header};
use backend::config::{Config, DatabaseUrl};
use backend::db::{Db, SessionOwner};
use backend::{AppState, Clock};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use fill::Sizes;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;
use tower::ServiceExt;

/// The moment of the board benchmark's data: 2030-06-14 13:00 in Japan.
const NOW: &str = "2030-06-14T04:00:00Z";

fn env(name: &str, default: i64) -> i64 {
    std::env::var(format!("MIMAMORI_BENCH_STATS_{name}")).ok().and_then(|v| v.replace('_', "").parse().ok()).unwrap_or(default)
}

fn pct(ms: &[f64], p: f64) -> f64 {
    let mut l = ms.to_vec();
    l.sort_by(f64::total_cmp);
    l.get(((p * l.len() as f64).ceil() as usize).clamp(1, l.len().max(1)) - 1).copied().unwrap_or(0.0)
}

/// Clinics (one per 7,500 cases, at least 20) in the centres' municipalities, a
/// notification for one case in twenty (65 or older, filed on its first day), and daily
/// counts of every clinic for every day but one in ten. Straight into the file.
fn clinics(path: &std::path::Path, cases: i64, today: NaiveDate, days: i64) -> (i64, i64, i64) {
    let mut c = rusqlite::Connection::open(path).unwrap();
    let tx = c.transaction().unwrap();
    let centres: Vec<i64> = tx.prepare("SELECT id FROM centres ORDER BY id").unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    for (i, centre) in centres.iter().enumerate() {
        tx.execute("INSERT OR IGNORE INTO centre_municipalities (code, name, centre_id, added_at) VALUES (?1, ?2, ?3, 0)", rusqlite::params![format!("{:05}", 13000 + i), format!("市{i}"), centre]).unwrap();
    }
    let n_clinics = (cases / 7_500).max(20);
    let hash = backend::password::hash("Clinic-Pass-2026", backend::password::HashCost::TEST_ONLY).unwrap();
    let mut rng = SmallRng::seed_from_u64(7);
    let mut accounts = Vec::new();
    for k in 0..n_clinics {
        let m = format!("{:05}", 13000 + (k as usize % centres.len()));
        tx.execute("INSERT INTO institutions (name, code, municipality_code, issued_by, created_at) VALUES (?1, ?2, ?3, NULL, 0)", rusqlite::params![format!("クリニック{k}"), format!("{:010}", 1_300_000_000 + k), m]).unwrap();
        let inst = tx.last_insert_rowid();
        tx.execute("INSERT INTO org_accounts (institution_id, email, name, role, password_hash, created_at) VALUES (?1, ?2, '院長', 'clinic_admin', ?3, 0)", rusqlite::params![inst, format!("c{k}@clinic.example.jp"), hash]).unwrap();
        accounts.push((inst, tx.last_insert_rowid(), centres[k as usize % centres.len()]));
    }
    let bands = backend::clinic::AgeBands::default().bands();
    let mut counts = 0;
    for &(inst, acc, _) in &accounts {
        for back in 0..days {
            if rng.random_bool(0.1) {
                continue;
            }
            let day = (today - Duration::days(back)).to_string();
            for (from, to) in &bands {
                tx.execute("INSERT INTO daily_counts (institution_id, day, band_from, band_to, count, entered_by, entered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0)", rusqlite::params![inst, day, from, to, rng.random_range(0..12), acc]).unwrap();
                counts += 1;
            }
        }
    }
    let mut notifications = 0;
    {
        let mut cases_q = tx.prepare("SELECT id, centre_id, period_start, date_of_birth, created_at FROM cases WHERE id % 20 = 0").unwrap();
        let rows: Vec<(i64, i64, String, String, i64)> = cases_q.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))).unwrap().map(Result::unwrap).collect();
        let mut ins = tx
            .prepare(
                "INSERT INTO notifications (institution_id, filed_by, centre_id, status, case_id, filed_at, filed_on, doctor, report_date, name, name_reading, sex, \
                 date_of_birth, age, municipality_code, address, phone, onset_date, diagnosis_date, specimen_date, categories, hospitalisation, risk_factors, \
                 antivirals, oxygen, pregnant, vaccination, severity) VALUES (?1, ?2, ?3, 'accepted', ?4, ?5, ?6, '医師', ?6, '氏名', 'しめい', 'male', ?7, ?8, \
                 '13000', '住所', '09000000000', NULL, ?6, ?6, 'age65', 0, '', 0, 0, 0, 'unknown', 'mild')",
            )
            .unwrap();
        for (id, centre, start, dob, created) in rows {
            let (inst, acc, _) = accounts.iter().find(|a| a.2 == centre).copied().unwrap_or(accounts[0]);
            let age = rng.random_range(65..95);
            ins.execute(rusqlite::params![inst, acc, centre, id, created, start, dob, age]).unwrap();
            notifications += 1;
        }
    }
    tx.commit().unwrap();
    (n_clinics, notifications, counts)
}

#[tokio::main]
async fn main() {
    let sizes = Sizes { cases: env("CASES", 20_000), big: env("BIG", env("CASES", 20_000) / 10), centres: env("CENTRES", 100), days: env("DAYS", 30) };
    let runs = env("RUNS", 30) as usize;
    let now: DateTime<Utc> = NOW.parse().unwrap();
    let today = backend::web::today(now);
    let (path, _tmp) = match std::env::var("MIMAMORI_BENCH_STATS_DB") {
        Ok(p) => (std::path::PathBuf::from(p), None),
        Err(_) => {
            let t = tempfile::tempdir().unwrap();
            (t.path().join("stats.db"), Some(t))
        }
    };
    let reuse = fill::read(&path).filter(|f| f.sizes == sizes);
    let f = match reuse {
        Some(f) => {
            println!("reusing {} (filled in {:.0} s)", path.display(), f.fill_secs);
            f
        }
        None => {
            let _ = std::fs::remove_file(&path);
            let f = fill::fill(&path, sizes, today, now.timestamp_millis()).await;
            fill::record(&path, &f);
            let t = Instant::now();
            let (c, n, d) = clinics(&path, sizes.cases, today, sizes.days);
            println!("clinics: {c} with {n} notifications and {d} daily-count rows ({:.1} s)", t.elapsed().as_secs_f64());
            f
        }
    };
    println!("{} cases in {} centres ({} in the big one), {} reports over {} days; file {:.0} MB",
        sizes.cases, sizes.centres, sizes.big, f.reports, sizes.days, std::fs::metadata(&path).map(|m| m.len() as f64 / 1e6).unwrap_or(0.0));
    let db = Db::open(&DatabaseUrl::Sqlite(path.clone())).await.unwrap();
    let mut config = Config::new(std::env::temp_dir().join("mimamori-bench-mail"));
    config.hash_cost = backend::password::HashCost::TEST_ONLY;
    let clock = Clock::default();
    clock.advance((now - Utc::now()).to_std().unwrap_or_default());
    let state = AppState::new(db.clone(), config, clock).unwrap();
    let (from, to) = (today - Duration::days(sizes.days - 1), today);
    backend::stats::store::forget(&db).await.unwrap();
    let t = Instant::now();
    backend::stats::figures::refresh(&state, from, to).await.unwrap();
    println!("computing {} days of the whole server once (kept afterwards): {:.2} s", sizes.days, t.elapsed().as_secs_f64());
    let t = Instant::now();
    let groups = backend::stats::store::compute_day(&db, today).await.unwrap();
    println!("computing today again (every {} s at most): {:.0} ms, {} groups", state.config.clinic.stats_max_age.as_secs(), t.elapsed().as_secs_f64() * 1000.0, groups.len());
    let big = Some(f.big_centre_id);
    println!("{:<52} {:>8} {:>8} {:>8}", "measurement (ms)", "p50", "p95", "max");
    for (label, centre, days) in [
        ("big centre, 30 days (raw + publish)", big, sizes.days),
        ("big centre, 14 days", big, 14.min(sizes.days)),
        ("whole server, 30 days", None, sizes.days),
        ("whole server, 14 days", None, 14.min(sizes.days)),
    ] {
        let from = today - Duration::days(days - 1);
        let mut ms = Vec::new();
        for i in 0..runs + 3 {
            let t = Instant::now();
            let r = backend::stats::figures::raw(&state, from, to, centre).await.unwrap();
            let p = backend::stats::figures::publish(&r, &state.config.clinic.age_bands, from, to);
            assert_eq!(p.days.len() as i64, days);
            if i >= 3 {
                ms.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        println!("{label:<52} {:>8.1} {:>8.1} {:>8.1}", pct(&ms, 0.5), pct(&ms, 0.95), pct(&ms, 1.0));
    }
    // Through the router with the big centre admin's token: JSON of the last 14 days.
    let staff = db.staff_login(&f.admin_email).await.unwrap().unwrap();
    let token = backend::secret::new_token();
    db.create_session(&backend::secret::token_hash(token.expose()), SessionOwner::Staff(staff.id), now, now + Duration::hours(1)).await.unwrap();
    let app = backend::app(state.clone());
    let mut ms = Vec::new();
    for i in 0..runs + 3 {
        let req = Request::get("/api/v1/stats").header(header::AUTHORIZATION, format!("Bearer {}", token.expose())).body(Body::empty()).unwrap();
        let t = Instant::now();
        let res = app.clone().oneshot(req).await.unwrap();
        assert!(res.status().is_success());
        let _ = http_body_util::BodyExt::collect(res.into_body()).await.unwrap();
        if i >= 3 {
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    println!("{:<52} {:>8.1} {:>8.1} {:>8.1}", "GET /api/v1/stats (big centre, 14 days, JSON)", pct(&ms, 0.5), pct(&ms, 0.95), pct(&ms, 1.0));
}
