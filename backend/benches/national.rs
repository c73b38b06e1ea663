//! National morning-burst load test: two server copies on one PostgreSQL, on loopback,
//! with the whole country's people reporting in the shape of a real morning, most of
//! them between 8:00 and 10:00.
//!
//! - Fills a fresh database (by SQL, in seconds per million) with `--people` cases over
//!   `--centres` health centres — one big centre holds a tenth of them — each with a
//!   registered patient and a session.
//! - Starts two copies of the server (each its own pool and report writers) on two
//!   ports; the phones alternate between them, as behind a load balancer.
//! - Plays the morning 7:00–11:00 compressed into `--seconds`: 10 % of the people report
//!   in the first hour, 45 % in the second, 35 % in the third and 10 % in the last; each
//!   person once, one report per request, from `--phones` connections at a time. A
//!   phone waits for its person's moment; when the server falls behind, the lag shows.
//! - Meanwhile a staff member of the big centre reloads the today board (`GET /`) every
//!   quarter second.
//!
//! Prints reports/s per hour of the morning and overall, p50/p99 of the sync requests,
//! errors, the largest lag behind the schedule, the board's p50/p95 during the burst,
//! and checks that the database holds exactly one report per acknowledged one.
//!
//! ```text
//! cargo bench -p backend --bench national -- --postgres URL [--people 1500000]
//!     [--centres 100] [--seconds 300] [--phones 256]
//! ```
//! `--postgres` (or `MIMAMORI_BENCH_POSTGRES_URL`) is an admin URL; a fresh database is
//! made there and dropped at the end. Bounded in time and talks to 127.0.0.1 only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Bytes;
use backend::config::{Config, DatabaseUrl, Limits, Quota};
use backend::db::Db;
use backend::{AppState, Clock};
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// PostgreSQL admin URL; a fresh database is created there.
    #[arg(long, env = "MIMAMORI_BENCH_POSTGRES_URL")]
    postgres: String,
    /// People under observation, each reporting once this morning.
    #[arg(long, default_value_t = 1_500_000)]
    people: u64,
    /// Health centres (the first holds a tenth of the people).
    #[arg(long, default_value_t = 100)]
    centres: u64,
    /// Seconds the morning 7:00–11:00 is played in.
    #[arg(long, default_value_t = 300)]
    seconds: u64,
    /// Connections sending at once.
    #[arg(long, default_value_t = 256)]
    phones: usize,
    /// Ignored (cargo bench passes it).
    #[arg(long, hide = true)]
    bench: bool,
}

/// Share of the people reporting in each hour from 7:00.
const HOURS: [f64; 4] = [0.10, 0.45, 0.35, 0.10];

/// When person `k` of `n` reports, as a fraction of the morning (0..1): the inverse of
/// the piecewise-even distribution [`HOURS`].
fn moment(k: u64, n: u64) -> f64 {
    let u = (k as f64 + 0.5) / n as f64;
    let mut before = 0.0;
    for (h, share) in HOURS.iter().enumerate() {
        if u < before + share || h == HOURS.len() - 1 {
            return (h as f64 + ((u - before) / share).min(1.0)) / HOURS.len() as f64;
        }
        before += share;
    }
    1.0
}

const STAFF_TOKEN: &str = "national-bench-staff-token";

async fn fill(url: &str, people: u64, centres: u64) -> Duration {
    let t0 = Instant::now();
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.expect("connect");
    tokio::spawn(conn);
    let today = backend::web::today(chrono::Utc::now());
    let people = i64::try_from(people).unwrap();
    let centres = i64::try_from(centres).unwrap();
    client
        .execute(
            "INSERT INTO centres (name, emergency_number, jurisdiction_code, created_at) \
             SELECT '保健所' || g, '03-0000-0000', 'NAT' || g, now() FROM generate_series(1, $1::bigint) g",
            &[&centres],
        )
        .await
        .unwrap();
    // Case g belongs to the big centre 1 when g is a multiple of 10, else spread evenly.
    client
        .execute(
            "INSERT INTO cases (centre_id, name, name_reading, date_of_birth, phone, kind, observation, period_start, period_end, input_id, created_at) \
             SELECT CASE WHEN g % 10 = 0 THEN 1 ELSE 1 + g % $2::bigint END, '見守 ' || g, 'ミマモリ', DATE '1970-01-01' + (g % 20000)::int, \
             '090' || lpad(g::text, 8, '0'), 'infected', 'app', $3::date - 3, $3::date + 7, 'N' || g, now() \
             FROM generate_series(1, $1::bigint) g",
            &[&people, &centres, &today],
        )
        .await
        .unwrap();
    client
        .batch_execute(
            "INSERT INTO patients (email, password_hash, case_id, created_at) SELECT 'p' || id || '@bench.invalid', 'x', id, now() FROM cases; \
             INSERT INTO sessions (token_hash, patient_id, created_at, expires_at) \
             SELECT encode(sha256(('tok-' || id)::bytea), 'hex'), id, now(), now() + interval '1 day' FROM patients; \
             ANALYZE",
        )
        .await
        .unwrap();
    let staff: i64 = client
        .query_one(
            "INSERT INTO staff (centre_id, email, name, role, password_hash, created_at) VALUES (1, 'staff@bench.invalid', '職員', 'staff', 'x', now()) RETURNING id",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    client
        .execute(
            "INSERT INTO sessions (token_hash, staff_id, created_at, expires_at) VALUES ($1, $2, now(), now() + interval '1 day')",
            &[&backend::secret::token_hash(STAFF_TOKEN), &staff],
        )
        .await
        .unwrap();
    t0.elapsed()
}

async fn copy(url: &DatabaseUrl) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let db = Db::open(url).await.expect("open database");
    let mut config = Config::new(std::env::temp_dir().join("mimamori-national-mail"));
    let open = Quota::new(1_000_000, 1);
    config.limits = Limits { code_requests_per_email: open, code_requests_per_client: open, tries_per_client: open, logins_per_account: open, logins_per_account_place: open, logins_per_client: open, max_tries: 5 };
    let state = AppState::new(db, config, Clock::default()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = backend::app(state).into_make_service_with_connect_info::<SocketAddr>();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        axum::serve(listener, app).with_graceful_shutdown(async { let _ = stopped.await; }).await.unwrap();
    });
    (addr, stop)
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// What one phone connection saw.
#[derive(Default)]
struct Seen {
    latencies_us: Vec<u32>,
    /// Reports acknowledged, per hour of the morning.
    acknowledged: [u64; 4],
    errors: u64,
    max_lag: Duration,
}

async fn phone(client: HttpClient, addrs: [SocketAddr; 2], next: Arc<AtomicUsize>, people: u64, morning: Duration, start: Instant) -> Seen {
    let mut seen = Seen::default();
    let today = backend::web::today(chrono::Utc::now()).to_string();
    loop {
        let k = next.fetch_add(1, Ordering::Relaxed) as u64;
        if k >= people {
            return seen;
        }
        let at = moment(k, people);
        let due = start + morning.mul_f64(at);
        let now = Instant::now();
        if due > now {
            tokio::time::sleep(due - now).await;
        } else {
            seen.max_lag = seen.max_lag.max(now - due);
        }
        let body = format!(
            r#"{{"reports":[{{"id":"{}","local_date":"{today}","kind":"infected","temperature_tenths":366,"answers":[2,2,2,2,2,2,2,2,2],"recorded_at":"{}"}}]}}"#,
            uuid::Uuid::new_v4(),
            chrono::Utc::now().to_rfc3339()
        );
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!("http://{}/api/v1/reports:batch", addrs[(k % 2) as usize]))
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer tok-{}", k + 1))
            .body(Full::new(Bytes::from(body)))
            .unwrap();
        let t0 = Instant::now();
        let ok = match client.request(req).await {
            Ok(res) => {
                let status = res.status();
                let body = res.into_body().collect().await.map(|b| b.to_bytes()).unwrap_or_default();
                status.is_success() && body.windows(19).any(|w| w == b"\"status\":\"accepted\"")
            }
            Err(_) => false,
        };
        seen.latencies_us.push(u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX));
        if ok {
            seen.acknowledged[((at * 4.0) as usize).min(3)] += 1;
        } else {
            seen.errors += 1;
        }
    }
}

/// Reloads the big centre's today board until `done`; the latencies in microseconds.
async fn staff(client: HttpClient, addr: SocketAddr, done: Arc<AtomicBool>) -> (Vec<u32>, u64) {
    let mut lat = Vec::new();
    let mut errors = 0;
    while !done.load(Ordering::Relaxed) {
        let req = Request::builder()
            .uri(format!("http://{addr}/"))
            .header("cookie", format!("{}={STAFF_TOKEN}", backend::web::session::SESSION_COOKIE))
            .body(Full::new(Bytes::new()))
            .unwrap();
        let t0 = Instant::now();
        match client.request(req).await {
            Ok(res) if res.status().is_success() => {
                let _ = res.into_body().collect().await;
                lat.push(u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX));
            }
            _ => errors += 1,
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    (lat, errors)
}

fn pct(l: &mut [u32], p: f64) -> f64 {
    if l.is_empty() {
        return 0.0;
    }
    l.sort_unstable();
    f64::from(l[((l.len() as f64 - 1.0) * p).round() as usize]) / 1000.0
}

async fn run(args: &Args, url: &str) {
    let filled = fill(url, args.people, args.centres).await;
    println!("filled {} people over {} centres in {:.1} s", args.people, args.centres, filled.as_secs_f64());
    let db_url = DatabaseUrl::Postgres(url.to_owned());
    let (a, stop_a) = copy(&db_url).await;
    let (b, stop_b) = copy(&db_url).await;

    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    let client: HttpClient = Client::builder(TokioExecutor::new()).pool_max_idle_per_host(args.phones).build(connector);
    let morning = Duration::from_secs(args.seconds);
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let board = tokio::spawn(staff(client.clone(), a, done.clone()));
    let start = Instant::now();
    let phones: Vec<_> = (0..args.phones).map(|_| tokio::spawn(phone(client.clone(), [a, b], next.clone(), args.people, morning, start))).collect();
    let mut all = Seen::default();
    for p in phones {
        let s = p.await.unwrap();
        all.latencies_us.extend(s.latencies_us);
        for h in 0..4 {
            all.acknowledged[h] += s.acknowledged[h];
        }
        all.errors += s.errors;
        all.max_lag = all.max_lag.max(s.max_lag);
    }
    let elapsed = start.elapsed();
    done.store(true, Ordering::Relaxed);
    let (mut board_lat, board_errors) = board.await.unwrap();

    let acknowledged: u64 = all.acknowledged.iter().sum();
    let hour = morning.as_secs_f64() / 4.0;
    for (h, n) in all.acknowledged.iter().enumerate() {
        println!("  {:>2}:00–{:>2}:00  {:>9} reports due, {:>8.0} reports/s asked (the lag below says how far the server fell behind)", 7 + h, 8 + h, n, *n as f64 / hour);
    }
    println!(
        "two copies on PostgreSQL: {acknowledged} reports acknowledged in {:.1} s = {:.0} reports/s; sync p50 {:.1} ms p99 {:.1} ms; errors {}; largest lag behind the morning {:.2} s",
        elapsed.as_secs_f64(),
        acknowledged as f64 / elapsed.as_secs_f64(),
        pct(&mut all.latencies_us, 0.50),
        pct(&mut all.latencies_us, 0.99),
        all.errors,
        all.max_lag.as_secs_f64(),
    );
    println!(
        "staff board of the big centre ({} cases) during the burst: {} loads, p50 {:.1} ms p95 {:.1} ms, errors {board_errors}",
        args.people / 10 + args.people * 9 / 10 / args.centres,
        board_lat.len(),
        pct(&mut board_lat, 0.50),
        pct(&mut board_lat, 0.95),
    );
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let stored: i64 = client.query_one("SELECT count(*) FROM reports", &[]).await.unwrap().get(0);
    let people_with: i64 = client.query_one("SELECT count(DISTINCT case_id) FROM reports", &[]).await.unwrap().get(0);
    println!("stored {stored} reports of {people_with} people: lost {}, duplicated {}", acknowledged as i64 - people_with.min(stored), stored - people_with);
    assert_eq!(stored, i64::try_from(acknowledged).unwrap(), "exactly the acknowledged reports are stored");
    assert_eq!(stored, people_with, "one report per person");
    let _ = stop_a.send(());
    let _ = stop_b.send(());
}

fn main() {
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        println!(
            "national morning burst: {} people, {} centres, 7:00–11:00 played in {} s, {} connections, {} cores",
            args.people,
            args.centres,
            args.seconds,
            args.phones,
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        let name = format!("mimamori_national_{}", uuid::Uuid::new_v4().simple());
        let (admin, conn) = tokio_postgres::connect(&args.postgres, tokio_postgres::NoTls).await.expect("connect");
        tokio::spawn(conn);
        admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
        let (scheme, rest) = args.postgres.split_once("://").unwrap();
        let authority = rest.split('/').next().unwrap();
        let url = format!("{scheme}://{authority}/{name}");
        // Migrations first (the copies would race to apply them otherwise).
        drop(Db::open(&DatabaseUrl::Postgres(url.clone())).await.expect("migrate"));
        run(&args, &url).await;
        let _ = admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).await;
    });
}
