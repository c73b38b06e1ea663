//! Ingest benchmark: starts the real server on loopback, registers N simulated phones
//! (each with its own patient token) and has each post one report per request for a
//! fixed time, with durable commits (SQLite WAL + `synchronous=FULL`; PostgreSQL
//! defaults). Prints reports/s and p50/p99 latency, and in the same run the requests/s
//! of the trivial `/healthz` route and the ratio of the two; also the store's writer
//! alone (no HTTP), and checks that every acknowledged report is in the database.
//!
//! ```text
//! cargo bench -p backend --bench ingest -- [--phones 128] [--seconds 5] [--postgres URL]
//! ```
//! `--postgres` (or env `MIMAMORI_BENCH_POSTGRES_URL`) is an admin URL; the bench makes
//! a fresh database there. Every loop is bounded in time and talks to 127.0.0.1 only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use backend::config::{Config, DatabaseUrl, Limits, Quota};
use backend::db::{CentreScope, Db, Principal};
use backend::password::HashCost;
use backend::secret::Secret;
use backend::{AppState, Clock};
use axum::body::Bytes;
use http_body_util::Full;
use clap::Parser;
use http_body_util::BodyExt;
use hyper::{Method, Request};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Simulated phones (concurrent clients).
    #[arg(long, default_value_t = 128)]
    phones: usize,
    /// Seconds per measured phase.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// PostgreSQL admin URL; a fresh database is created there.
    #[arg(long, env = "MIMAMORI_BENCH_POSTGRES_URL")]
    postgres: Option<String>,
    /// Skip SQLite.
    #[arg(long)]
    no_sqlite: bool,
    /// Ignored (cargo bench passes it).
    #[arg(long, hide = true)]
    bench: bool,
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

struct Phase {
    requests: usize,
    elapsed: Duration,
    latencies_us: Vec<u32>,
}

impl Phase {
    fn rate(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
    fn pct(&self, p: f64) -> f64 {
        let mut l = self.latencies_us.clone();
        l.sort_unstable();
        if l.is_empty() {
            return 0.0;
        }
        let i = ((l.len() as f64 - 1.0) * p).round() as usize;
        f64::from(l[i]) / 1000.0
    }
}

async fn run_phase(client: &HttpClient, addr: SocketAddr, tokens: &[Option<String>], seconds: u64, ingest: bool) -> Phase {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for token in tokens {
        let token = token.clone();
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let today = chrono::Utc::now().date_naive().to_string();
            // Requests are built cheaply (the client shares the two cores with the server).
            let ingest_uri: hyper::Uri = format!("http://{addr}/api/v1/reports:batch").parse().unwrap();
            let health_uri: hyper::Uri = format!("http://{addr}/healthz").parse().unwrap();
            let auth = hyper::header::HeaderValue::from_str(&format!("Bearer {}", token.as_deref().unwrap_or(""))).unwrap();
            while Instant::now() < deadline {
                let req = if ingest {
                    let body = format!(
                        r#"{{"reports":[{{"id":"{}","local_date":"{today}","kind":"infected","temperature_tenths":366,"answers":[2,2,2,2,2,2,2,2,2],"recorded_at":"{}"}}]}}"#,
                        uuid::Uuid::new_v4(),
                        chrono::Utc::now().to_rfc3339()
                    );
                    Request::builder()
                        .method(Method::POST)
                        .uri(ingest_uri.clone())
                        .header("content-type", "application/json")
                        .header("authorization", auth.clone())
                        .body(Full::new(Bytes::from(body)))
                        .unwrap()
                } else {
                    Request::builder().uri(health_uri.clone()).body(Full::new(Bytes::new())).unwrap()
                };
                let t0 = Instant::now();
                let res = client.request(req).await.expect("request");
                let status = res.status();
                let body = res.into_body().collect().await.expect("body").to_bytes();
                lat.push(u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX));
                assert!(status.is_success(), "status {status}: {}", String::from_utf8_lossy(&body));
                if ingest {
                    assert!(body.windows(19).any(|w| w == b"\"status\":\"accepted\""), "{}", String::from_utf8_lossy(&body));
                }
            }
            lat
        }));
    }
    let mut latencies_us = Vec::new();
    for t in tasks {
        latencies_us.extend(t.await.unwrap());
    }
    Phase { requests: latencies_us.len(), elapsed: start.elapsed(), latencies_us }
}

async fn bench(label: &str, url: DatabaseUrl, args: &Args) {
    let tmp = tempfile::tempdir().unwrap();
    let db = Db::open(&url).await.expect("open database");
    let mut config = Config::new(tmp.path().join("mail"));
    let open = Quota::new(1_000_000, 1);
    config.limits = Limits { code_requests_per_email: open, code_requests_per_client: open, tries_per_client: open, logins_per_account: open, logins_per_account_place: open, logins_per_client: open, max_tries: 5 };
    let state = AppState::new(db.clone(), config, Clock::default()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = backend::app(state).into_make_service_with_connect_info::<SocketAddr>();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app).with_graceful_shutdown(async { let _ = stopped.await; }).await.unwrap();
    });

    // One centre, one case and one registered patient per phone.
    let setup = backend::cli::CentreSetup {
        name: "ベンチ保健所".into(),
        emergency_number: "03-0000-0000".into(),
        jurisdiction_code: format!("BENCH-{}", uuid::Uuid::new_v4().simple()),
        admin_email: format!("bench-{}@example.jp", uuid::Uuid::new_v4().simple()),
        admin_name: "bench".into(),
        admin_password: Secret::new("Bench-Admin-2026".into()),
    };
    let admin_email = setup.admin_email.clone();
    backend::cli::create_centre(&db, setup, HashCost::TEST_ONLY).await.unwrap();
    let scope = scope_of(&db, &admin_email).await;
    let password_hash = backend::password::hash("Bench-Phone-2026", HashCost::TEST_ONLY).unwrap();
    let start = chrono::Utc::now().date_naive() - chrono::Duration::days(3);
    let mut tokens = Vec::new();
    for i in 0..args.phones {
        let case = backend::cli::insert_case(&db, scope, backend::cli::sample_case(i, start)).await.unwrap();
        let token = backend::cli::seed_patient(&db, &case, &format!("phone{i}-{}@example.jp", uuid::Uuid::new_v4().simple()), &password_hash).await.unwrap();
        tokens.push(Some(token.expose().clone()));
    }

    // The writer alone: batches of one report per phone straight into the store.
    let direct = {
        let t0 = Instant::now();
        let mut n = 0;
        let today = chrono::Utc::now().date_naive().to_string();
        while t0.elapsed() < Duration::from_secs(2) {
            let jobs = tokens
                .iter()
                .map(|t| backend::ingest::JobInput {
                    token_hash: backend::secret::token_hash(t.as_deref().unwrap_or("")),
                    items: vec![backend::ingest::prepare(&backend::ingest::WireReport {
                        id: uuid::Uuid::new_v4().to_string(),
                        local_date: today.clone(),
                        kind: "infected".into(),
                        temperature_tenths: 366,
                        answers: vec![2; 9],
                        recorded_at: chrono::Utc::now().to_rfc3339(),
                        person: None,
                    })],
                })
                .collect();
            db.ingest(jobs, chrono::Utc::now()).await.unwrap();
            n += tokens.len();
        }
        n as f64 / t0.elapsed().as_secs_f64()
    };
    println!("{label:>8}: writer alone (no HTTP) {direct:>8.0} reports/s in batches of {}", tokens.len());

    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    let client: HttpClient = Client::builder(TokioExecutor::new()).pool_max_idle_per_host(args.phones * 2).build(connector);
    let warm = run_phase(&client, addr, &tokens, 1, true).await;
    let health = run_phase(&client, addr, &vec![None; args.phones], args.seconds, false).await;
    let ingest = run_phase(&client, addr, &tokens, args.seconds, true).await;

    // Every acknowledged report is in the database.
    let mut stored = 0;
    for c in db.list_cases(scope).await.unwrap() {
        stored += db.own_reports(c.id).await.unwrap().len();
    }
    assert!(stored >= ingest.requests + warm.requests, "acknowledged reports are all stored");

    println!(
        "{label:>8}: ingest {:>8.0} reports/s  p50 {:>6.2} ms  p99 {:>6.2} ms  ({} reports, {} phones, one report per request)",
        ingest.rate(),
        ingest.pct(0.50),
        ingest.pct(0.99),
        ingest.requests,
        args.phones
    );
    println!(
        "{label:>8}: /healthz {:>7.0} requests/s p50 {:>6.2} ms  p99 {:>6.2} ms  -> ingest runs at {:.0}% of the trivial route",
        health.rate(),
        health.pct(0.50),
        health.pct(0.99),
        100.0 * ingest.rate() / health.rate()
    );
    let _ = stop.send(());
    server.await.unwrap();
}

async fn scope_of(db: &Db, admin_email: &str) -> CentreScope {
    // A scope is only handed out for a staff session: open one for the centre's admin.
    let token = backend::secret::new_token();
    let hash = backend::secret::token_hash(token.expose());
    let now = chrono::Utc::now();
    let admin = db.staff_login(admin_email).await.unwrap().unwrap().id;
    db.create_session(&hash, backend::db::SessionOwner::Staff(admin), now, now + chrono::Duration::hours(1)).await.unwrap();
    match db.session(&hash, now).await.unwrap() {
        Some(Principal::Staff { scope, .. }) => scope,
        _ => panic!("staff session"),
    }
}

fn main() {
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        println!("ingest benchmark: {} phones, {} s per phase, {} cores", args.phones, args.seconds, std::thread::available_parallelism().map_or(0, |n| n.get()));
        if !args.no_sqlite {
            let dir = tempfile::tempdir().unwrap();
            bench("sqlite", DatabaseUrl::Sqlite(dir.path().join("bench.db")), &args).await;
        }
        if let Some(admin) = &args.postgres {
            let name = format!("mimamori_bench_{}", uuid::Uuid::new_v4().simple());
            let (client, conn) = tokio_postgres::connect(admin, tokio_postgres::NoTls).await.expect("connect");
            let task = tokio::spawn(conn);
            client.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
            drop(client);
            let _ = task.await;
            let (scheme, rest) = admin.split_once("://").unwrap();
            let authority = rest.split('/').next().unwrap();
            bench("postgres", DatabaseUrl::Postgres(format!("{scheme}://{authority}/{name}")), &args).await;
        }
    });
}
