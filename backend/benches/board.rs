//! Today-board benchmark on SQLite: fills a database with many cases across many health
//! centres, one of them big, a month of daily reports and the staff's handling of the
//! urgent ones (see `board/fill.rs` for what the rows are), then times for the big
//! centre's staff, through the real `Db` operations:
//!
//! - the today board as `web::board` reads it: `board_counts`, then the first
//!   `BOARD_ROWS` of the urgent, unreported, fever and reported lists, one after the other;
//! - the unreported list as the case list pages it (51 rows: a page and a look-ahead),
//!   first page and page 100;
//! - the whole `GET /` through the router (session cookie, staff header, the queries,
//!   the reports received today and the waiting urgent ones of the cases shown, with
//!   their handlings, rendering and the audit row, committed with `synchronous=FULL`).
//!
//! Prints p50/p95/p99/max of each, the database size and the fill time. Every list read
//! is checked against the counts, its status and its order, by the board's rules: the
//! day is the day in Japan a report was received; reported and unreported by the latest
//! receipt (latest first; never reported, then the longest silent, first); fever, a
//! fever received today; urgent, an active case with a "call now" report nobody has
//! handled, whatever its period (the longest waiting first). Before timing, a sample of
//! cases is recomputed from its reports and handlings (`fill::verify`).
//!
//! A case reports only on the days of its 10- or 14-day observation period (the server
//! refuses other days), so 30 days of registrations make about 8 reports per case, not 30.
//!
//! ```text
//! cargo bench -p backend --bench board -- [--cases 1500000] [--big 200000] [--centres 100]
//!     [--days 30] [--runs 100] [--db PATH] [--keep] [--no-http]
//! ```
//! Filling takes minutes at full size. `--db PATH` puts the file there and reuses it when
//! it already holds a finished fill of the same sizes; `--keep` keeps a file this run
//! filled there (otherwise it is deleted at the end; a reused file is always kept). The data
//! is made for a fixed day, [`NOW`] (13:00 in Japan), so that a kept file stays valid:
//! the server's clock is moved forward to it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "board/fill.rs"]
mod fill;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use backend::config::{Config, DatabaseUrl};
use backend::db::{CaseQuery, CaseSearch, CaseStatus, CaseSummary, CentreScope, Db, Principal, SessionOwner};
use backend::web::board::BOARD_ROWS;
use backend::{AppState, Clock};
use chrono::{DateTime, NaiveDate, Utc};
use clap::Parser;
use fill::{Fill, Sizes};
use http_body_util::BodyExt;
use protocol::Temperature;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// The moment the data is made for: 2030-06-14 13:00 in Japan.
const NOW: &str = "2030-06-14T04:00:00Z";

/// Rows of a case-list page (`web::cases`), which asks for one more to know if there is a next page.
const LIST_PAGE: i64 = 50;

/// The target for the today board, at p95.
const TARGET_MS: f64 = 100.0;

#[derive(Parser)]
struct Args {
    /// Cases in all centres.
    #[arg(long, default_value_t = 1_500_000)]
    cases: i64,
    /// Cases of the big centre (whose board is timed).
    #[arg(long, default_value_t = 200_000)]
    big: i64,
    /// Health centres, the big one included; the other cases are spread evenly.
    #[arg(long, default_value_t = 100)]
    centres: i64,
    /// Days over which cases were registered (and reported).
    #[arg(long, default_value_t = 30)]
    days: i64,
    /// Timed runs of each measurement (after a few untimed ones).
    #[arg(long, default_value_t = 100)]
    runs: usize,
    /// Database file; reused when it holds a finished fill of the same sizes.
    #[arg(long)]
    db: Option<PathBuf>,
    /// Keep the file this run filled.
    #[arg(long, requires = "db")]
    keep: bool,
    /// Skip `GET /` through the router.
    #[arg(long)]
    no_http: bool,
    /// Ignored (cargo bench passes it).
    #[arg(long, hide = true)]
    bench: bool,
}

/// Latencies of one measurement.
struct Timings {
    label: String,
    ms: Vec<f64>,
}

impl Timings {
    fn new(label: impl Into<String>) -> Timings {
        Timings { label: label.into(), ms: Vec::new() }
    }

    fn push(&mut self, d: Duration) {
        self.ms.push(d.as_secs_f64() * 1000.0);
    }

    fn pct(&self, p: f64) -> f64 {
        let mut l = self.ms.clone();
        l.sort_by(f64::total_cmp);
        if l.is_empty() {
            return 0.0;
        }
        // Nearest rank.
        let rank = ((p * l.len() as f64).ceil() as usize).clamp(1, l.len());
        l[rank - 1]
    }

    fn print(&self) {
        println!(
            "{:<44} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
            self.label,
            self.pct(0.50),
            self.pct(0.95),
            self.pct(0.99),
            self.pct(1.0)
        );
    }
}

fn query(status: CaseStatus, today: NaiveDate, limit: i64, offset: i64) -> CaseQuery {
    CaseQuery { search: CaseSearch::Any, status, today, limit, offset }
}

/// The board's reads, as `web::board::board` makes them; times each and the whole.
async fn board_once(db: &Db, scope: CentreScope, today: NaiveDate, t: &mut [Timings; 6]) {
    let start = Instant::now();
    let counts = db.board_counts(scope, today).await.unwrap();
    t[1].push(start.elapsed());
    let lists = [
        (CaseStatus::Urgent, counts.urgent),
        (CaseStatus::Unreported, counts.unreported()),
        (CaseStatus::Fever, counts.fever),
        (CaseStatus::Reported, counts.reported),
    ];
    for (i, (status, count)) in lists.into_iter().enumerate() {
        let t0 = Instant::now();
        let rows = db.case_summaries(scope, query(status, today, BOARD_ROWS, 0)).await.unwrap();
        t[2 + i].push(t0.elapsed());
        assert_eq!(rows.len() as i64, count.min(BOARD_ROWS), "{} list agrees with the counts", status.as_str());
        check(status, &rows, today);
    }
    t[0].push(start.elapsed());
}

/// Every row of a list has its status, in the list's order. The day is the day in Japan
/// a report was received.
fn check(status: CaseStatus, rows: &[CaseSummary], today: NaiveDate) {
    let reported_today = |s: &CaseSummary| s.last.is_some_and(|l| l.received_on == today);
    for s in rows {
        if status == CaseStatus::Urgent {
            // Carried over until handled, whatever the period.
            assert!(s.active, "case {} is active", s.id);
        } else {
            assert!(s.active && s.period_start <= today && today <= s.period_end, "case {} is under observation", s.id);
        }
        let ok = match status {
            CaseStatus::Unreported => !reported_today(s),
            CaseStatus::Reported => reported_today(s),
            CaseStatus::Fever => reported_today(s) && s.fever.is_some_and(|(on, t)| on == today && t.tenths() >= Temperature::FEVER_TENTHS),
            CaseStatus::Urgent => s.urgent_since.is_some(),
            CaseStatus::All | CaseStatus::Closed => true,
        };
        assert!(ok, "case {} belongs in the {} list", s.id, status.as_str());
    }
    let received = |s: &CaseSummary| s.last.map(|l| l.received_at);
    for w in rows.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let in_order = match status {
            // Never reported (None sorts first), then the longest silent.
            CaseStatus::Unreported => (received(a), a.id) < (received(b), b.id),
            // The longest waiting first.
            CaseStatus::Urgent => (a.urgent_since, a.id) < (b.urgent_since, b.id),
            // The latest received first.
            _ => received(a) > received(b) || (received(a) == received(b) && a.id < b.id),
        };
        assert!(in_order, "{} list in order at cases {}, {}", status.as_str(), a.id, b.id);
    }
}

async fn staff_session(db: &Db, email: &str, now: DateTime<Utc>) -> (CentreScope, String) {
    let token = backend::secret::new_token();
    let hash = backend::secret::token_hash(token.expose());
    let staff = db.staff_login(email).await.unwrap().expect("the big centre's admin").id;
    db.create_session(&hash, SessionOwner::Staff(staff), now, now + chrono::Duration::hours(12)).await.unwrap();
    match db.session(&hash, now).await.unwrap() {
        Some(Principal::Staff { scope, .. }) => (scope, token.expose().clone()),
        _ => panic!("staff session"),
    }
}

fn file_mb(path: &std::path::Path) -> f64 {
    let size = |p: PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    (size(path.to_owned()) + size(wal)) as f64 / 1e6
}

async fn run(args: Args) {
    let now: DateTime<Utc> = NOW.parse().unwrap();
    assert!(Utc::now() < now, "the benchmark's day {NOW} has passed: move NOW forward");
    let today = backend::web::today(now);
    let sizes = Sizes { cases: args.cases, big: args.big, centres: args.centres, days: args.days };
    assert!(sizes.centres >= 1 && sizes.big <= sizes.cases && sizes.days >= 1, "sizes make no sense");
    assert!(sizes.centres > 1 || sizes.big == sizes.cases, "with one centre every case is the big centre's");

    let tmp = tempfile::tempdir().unwrap();
    let path = args.db.clone().unwrap_or_else(|| tmp.path().join("board.db"));
    let reused = path.exists();
    let fill = if reused {
        let f = fill::read(&path).unwrap_or_else(|| {
            panic!("{} exists but holds no finished board fill of this version: remove it or pick another path", path.display())
        });
        assert_eq!(f.sizes, sizes, "{} was filled with other sizes: pass those, or another --db", path.display());
        f
    } else {
        eprintln!("filling {} …", path.display());
        let f: Fill = fill::fill(&path, sizes, today, now.timestamp_millis()).await;
        fill::record(&path, &f);
        f
    };

    let (checked, wrong) = fill::verify(&path, 97, now.timestamp_millis());
    assert!(wrong.is_empty(), "cases {wrong:?} differ from what their reports and handlings make");

    let db = Db::open(&DatabaseUrl::Sqlite(path.clone())).await.unwrap();
    let mb = file_mb(&path);
    let (scope, token) = staff_session(&db, &fill.admin_email, now).await;
    assert_eq!(scope.centre_id(), fill.big_centre_id);
    let counts = db.board_counts(scope, today).await.unwrap();

    println!(
        "today board benchmark, SQLite, {} cores: {} cases in {} centres ({} in the big one), {} days, {} reports, \
         {} handlings covering {} \"call now\" reports",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        sizes.cases,
        sizes.centres,
        sizes.big,
        sizes.days,
        fill.reports,
        fill.handlings,
        fill.handled
    );
    println!(
        "database {:.0} MB ({}), filled in {:.0} s{}",
        mb,
        path.display(),
        fill.fill_secs,
        if reused { " (an earlier run; reused)" } else { "" }
    );
    println!("{checked} cases (every 97th) checked against their reports and handlings");
    println!(
        "big centre on {today} 13:00: {} under observation, {} reported, {} unreported, {} fever, {} urgent",
        counts.observed, counts.reported, counts.unreported(), counts.fever, counts.urgent
    );

    let mut board = [
        Timings::new(format!("today board (counts + 4 lists of {BOARD_ROWS})")),
        Timings::new("  board_counts"),
        Timings::new("  urgent list"),
        Timings::new("  unreported list"),
        Timings::new("  fever list"),
        Timings::new("  reported list"),
    ];
    let mut warm = [(); 6].map(|_| Timings::new(""));
    for _ in 0..5 {
        board_once(&db, scope, today, &mut warm).await;
    }
    for _ in 0..args.runs {
        board_once(&db, scope, today, &mut board).await;
    }

    let mut pages = Vec::new();
    for page in [1, 100] {
        let mut t = Timings::new(format!("unreported list, page {page} ({} rows)", LIST_PAGE + 1));
        let q = query(CaseStatus::Unreported, today, LIST_PAGE + 1, (page - 1) * LIST_PAGE);
        for i in 0..args.runs + 5 {
            let t0 = Instant::now();
            let rows = db.case_summaries(scope, q.clone()).await.unwrap();
            if i >= 5 {
                t.push(t0.elapsed());
            }
            assert_eq!(rows.len() as i64, (counts.unreported() - (page - 1) * LIST_PAGE).clamp(0, LIST_PAGE + 1));
            check(CaseStatus::Unreported, &rows, today);
        }
        pages.push(t);
    }

    let mut http = Timings::new("GET / through the router (whole page)");
    if !args.no_http {
        let clock = Clock::default();
        clock.advance((now - Utc::now()).to_std().unwrap());
        let state = AppState::new(db.clone(), Config::new(tmp.path().join("mail")), clock).unwrap();
        let app = backend::app(state);
        for i in 0..args.runs + 5 {
            let req = Request::get("/").header(header::COOKIE, format!("{}={token}", backend::web::session::SESSION_COOKIE)).body(Body::empty()).unwrap();
            let t0 = Instant::now();
            let res = app.clone().oneshot(req).await.unwrap();
            let status = res.status();
            let body = res.into_body().collect().await.unwrap().to_bytes();
            if i >= 5 {
                http.push(t0.elapsed());
            }
            assert_eq!(status, StatusCode::OK);
            assert!(body.windows(15).any(|w| w == b"list-unreported"), "the board page");
        }
    }

    println!();
    println!("{:<44} {:>8} {:>8} {:>8} {:>8}", format!("ms over {} runs", args.runs), "p50", "p95", "p99", "max");
    for t in board.iter().chain(&pages) {
        t.print();
    }
    if !args.no_http {
        http.print();
    }
    let p95 = board[0].pct(0.95);
    println!();
    println!("target: today board p95 ≤ {TARGET_MS:.0} ms: {p95:.1} ms, {}", if p95 <= TARGET_MS { "met" } else { "MISSED" });

    drop(db);
    if !reused && !args.keep {
        // The store's background checkpoint holds a connection for up to 200 ms more.
        tokio::time::sleep(Duration::from_millis(300)).await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}

fn main() {
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(run(args));
}
