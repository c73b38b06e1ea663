//! Automated-call benchmark, two parts on SQLite files (WAL, `synchronous=FULL`: every
//! write is on disk before it is answered):
//!
//! 1. **Webhooks.** The real server on 127.0.0.1; a round is planned and every attempt
//!    marked as being placed, then each client plays whole calls as Twilio would:
//!    status `initiated`, `ringing`, `in-progress`, the voice webhook, the eleven
//!    `<Gather>` answers (kind, temperature, nine questions; one person in ten answers
//!    breathless, so the urgent path runs too) following each TwiML's action address,
//!    and status `completed` — every request signed (`X-Twilio-Signature`) and each
//!    step written through the state machine (the completed call's report through the
//!    report writer). Prints webhook requests/s and calls/s with p50/p99, and in the
//!    same run `/healthz` with the same number of clients; checks every call completed.
//! 2. **A paced round.** A centre of `people` observed by phone (filled straight into
//!    the file), its pace set to `rate` calls/s, and one scheduler copy with the
//!    simulated provider (calls are "placed" and nothing comes back: the webhooks are
//!    part 1) running the 9:00 round on a simulated clock: the scheduler's waits for
//!    its slots jump the clock forward instead of sleeping, so a 5-minute round takes
//!    only the time the work takes. Prints the planning time, the wall time, the
//!    simulated time against the paced time (people ÷ rate), the calls/s of each, and
//!    the process's peak memory (`VmHWM`); checks everyone was called exactly once.
//!
//! ```text
//! cargo bench -p backend --bench call                               # small: CI-sized
//! MIMAMORI_BENCH_CALLS=3000 MIMAMORI_BENCH_ROUND_PEOPLE=300000 cargo bench -p backend --bench call
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Bytes;
use backend::call::provider::Dialer;
use backend::call::scheduler::Scheduler;
use backend::call::sim::{Behaviour, SimProvider, gather_action, keys};
use backend::call::store::{self, DialTarget};
use backend::call::{CentreSettings, Round, Status};
use backend::config::{Config, DatabaseUrl};
use backend::db::{CentreScope, Db, Principal};
use backend::password::HashCost;
use backend::secret::Secret;
use backend::{AppState, Clock};
use chrono::{DateTime, Duration as Days, NaiveDate, Utc};
use clap::Parser;
use http_body_util::{BodyExt, Full};
use hyper::{Method, Request};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Whole calls played through the webhooks (part 1).
    #[arg(long, env = "MIMAMORI_BENCH_CALLS", default_value_t = 200)]
    calls: usize,
    /// Calls in progress at once: concurrent webhook clients (part 1).
    #[arg(long, env = "MIMAMORI_BENCH_CALL_CLIENTS", default_value_t = 32)]
    clients: usize,
    /// People observed by phone in the paced round (part 2).
    #[arg(long, env = "MIMAMORI_BENCH_ROUND_PEOPLE", default_value_t = 5000)]
    people: usize,
    /// The centre's pace in part 2, calls/s.
    #[arg(long, env = "MIMAMORI_BENCH_CALL_RATE", default_value_t = 1000.0)]
    rate: f64,
    /// Ignored (cargo bench passes it).
    #[arg(long, hide = true)]
    bench: bool,
}

type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// Peak and current resident memory of this process, in MB (`/proc/self/status`).
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |key: &str| status.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (kb("VmHWM:") / 1024.0, kb("VmRSS:") / 1024.0)
}

fn pct(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    f64::from(sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]) / 1000.0
}

/// `h:m` in Japan on `day`.
fn jst(day: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    day.and_hms_opt(h, m, 0).unwrap().and_local_timezone(backend::web::jst()).single().unwrap().to_utc()
}

/// A centre with its admin; the admin's id and scope (a scope is handed out only for
/// a staff session: one is opened).
async fn centre(db: &Db, tag: &str) -> (CentreScope, i64) {
    let email = format!("bench-call-{tag}-{}@example.jp", uuid::Uuid::new_v4().simple());
    let setup = backend::cli::CentreSetup {
        name: format!("架電ベンチ{tag}保健所"),
        emergency_number: "03-0000-0009".into(),
        jurisdiction_code: format!("BENCH-CALL-{}", uuid::Uuid::new_v4().simple()),
        admin_email: email.clone(),
        admin_name: "bench".into(),
        admin_password: Secret::new("Bench-Admin-2026".into()),
    };
    let (_, admin) = backend::cli::create_centre(db, setup, HashCost::TEST_ONLY).await.unwrap();
    let token = backend::secret::new_token();
    let hash = backend::secret::token_hash(token.expose());
    let now = Utc::now();
    db.create_session(&hash, backend::db::SessionOwner::Staff(admin), now, now + Days::hours(1)).await.unwrap();
    match db.session(&hash, now).await.unwrap() {
        Some(Principal::Staff { scope, .. }) => (scope, admin),
        _ => panic!("staff session"),
    }
}

/// `people` cases observed by phone under observation on `day`, written straight into
/// the file in one transaction (through the API this would take hours of fsyncs).
fn fill(path: &Path, centre_id: i64, people: usize, day: NaiveDate) {
    let mut c = rusqlite::Connection::open(path).unwrap();
    c.busy_timeout(Duration::from_secs(60)).unwrap();
    let tx = c.transaction().unwrap();
    tx.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) \
         INSERT INTO cases (centre_id, name, name_reading, date_of_birth, phone, kind, observation, period_start, period_end, input_id, active, created_at) \
         SELECT ?2, '架電 ' || i, 'かでん', '1970-01-01', printf('090%08d', i), 'infected', 'phone', ?3, ?4, printf('%07d', i), 1, ?5 FROM n",
        rusqlite::params![people as i64, centre_id, (day - Days::days(2)).to_string(), (day + Days::days(5)).to_string(), Utc::now().timestamp_millis()],
    )
    .unwrap();
    tx.commit().unwrap();
}

async fn set_pace(db: &Db, scope: CentreScope, admin: i64, rate: f64, now: DateTime<Utc>) {
    let settings = CentreSettings { calls_per_sec: rate, ..CentreSettings::default() };
    store::put_settings(db, scope, Some(admin), settings, now).await.unwrap();
}

/// Part 1's client side: one signed webhook, its latency kept; the answer's body.
async fn post(client: &HttpClient, token: &str, url: &str, params: &[(String, String)], lat: &mut Vec<u32>) -> String {
    let signature = backend::call::twilio::signature(token, url, params);
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(params.iter().map(|(k, v)| (k.as_str(), v.as_str()))).finish();
    let req = Request::builder()
        .method(Method::POST)
        .uri(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .header(backend::call::twilio::SIGNATURE_HEADER, signature)
        .body(Full::new(Bytes::from(body)))
        .unwrap();
    let t0 = Instant::now();
    let res = client.request(req).await.expect("request");
    let status = res.status();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    lat.push(u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX));
    assert!(status.is_success(), "status {status}: {}", String::from_utf8_lossy(&bytes));
    String::from_utf8_lossy(&bytes).into_owned()
}

/// One whole call as Twilio sends it.
async fn play(client: &HttpClient, token: &str, public: &str, t: &DialTarget, lat: &mut Vec<u32>) {
    let sid = format!("CA{}", t.id);
    let status_url = format!("{public}/call/twilio/status?a={}", t.id);
    for (seq, s) in ["initiated", "ringing", "in-progress"].iter().enumerate() {
        let p = [("CallSid".to_owned(), sid.clone()), ("CallStatus".to_owned(), (*s).to_owned()), ("SequenceNumber".to_owned(), seq.to_string())];
        post(client, token, &status_url, &p, lat).await;
    }
    let base = vec![("CallSid".to_owned(), sid.clone()), ("CallStatus".to_owned(), "in-progress".to_owned())];
    let mut twiml = post(client, token, &format!("{public}/call/twilio/voice?a={}", t.id), &base, lat).await;
    let answers = if t.case_id % 10 == 0 { [2, 2, 1, 2, 2, 2, 2, 2, 2] } else { [2; 9] };
    for k in keys("1", "365", answers) {
        let action = gather_action(&twiml).expect("the call asks for keys until the last answer");
        let mut p = base.clone();
        p.push(("Digits".to_owned(), k.unwrap_or_default()));
        twiml = post(client, token, &action, &p, lat).await;
    }
    assert!(gather_action(&twiml).is_none() && twiml.contains("登録しました"), "the call ends with its thanks: {twiml}");
    let p = [("CallSid".to_owned(), sid), ("CallStatus".to_owned(), "completed".to_owned()), ("SequenceNumber".to_owned(), "3".to_owned())];
    post(client, token, &status_url, &p, lat).await;
}

async fn healthz(client: &HttpClient, addr: SocketAddr, clients: usize, for_: Duration) -> (usize, Duration, Vec<u32>) {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let uri: hyper::Uri = format!("http://{addr}/healthz").parse().unwrap();
            let mut lat = Vec::new();
            while start.elapsed() < for_ {
                let t0 = Instant::now();
                let res = client.request(Request::builder().uri(uri.clone()).body(Full::new(Bytes::new())).unwrap()).await.expect("request");
                assert!(res.status().is_success());
                res.into_body().collect().await.expect("body");
                lat.push(u32::try_from(t0.elapsed().as_micros()).unwrap_or(u32::MAX));
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    lat.sort_unstable();
    (lat.len(), start.elapsed(), lat)
}

async fn webhooks(args: &Args) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("call-webhooks.db");
    let db = Db::open(&DatabaseUrl::Sqlite(path.clone())).await.expect("open database");
    let (scope, _) = centre(&db, "webhooks").await;
    let now = Utc::now();
    let day = backend::web::today(now);
    fill(&path, scope.centre_id(), args.calls, day);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let public = format!("http://{addr}");
    let mut config = Config::new(dir.path().join("mail"));
    config.call.public_url = public.clone();
    config.call.scheduler = false;
    let token = config.call.sim_secret.expose().clone();
    let state = AppState::new(db.clone(), config, Clock::default()).unwrap();
    let app = backend::app(state).into_make_service_with_connect_info::<SocketAddr>();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(listener, app).with_graceful_shutdown(async { let _ = stopped.await; }).await.unwrap();
    });

    // Today's round, every attempt claimed and marked as being placed, as the
    // scheduler leaves them when it asks the provider.
    let planned = store::plan_round(&db, scope.centre_id(), day, Round::First, now, None).await.unwrap();
    assert_eq!(planned, Some(args.calls as i64));
    let (ids, _) = store::claim(&db, scope.centre_id(), day, "bench", args.calls as i64, 10_000.0, Days::minutes(30), now).await.unwrap();
    let targets = store::start_dialing(&db, ids, "bench", day, now).await.unwrap();
    assert_eq!(targets.len(), args.calls);

    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    let client: HttpClient = Client::builder(TokioExecutor::new()).pool_max_idle_per_host(args.clients * 2).build(connector);
    let queue = Arc::new(std::sync::Mutex::new(targets));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.clients {
        let (client, queue, token, public) = (client.clone(), queue.clone(), token.clone(), public.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            loop {
                let Some(t) = queue.lock().unwrap().pop() else { break };
                play(&client, &token, &public, &t, &mut lat).await;
            }
            lat
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await.unwrap());
    }
    let elapsed = start.elapsed();
    lat.sort_unstable();
    let counts = store::round_counts(&db, scope, day).await.unwrap();
    let completed = counts.iter().find(|(r, s, _)| *r == Round::First && *s == Status::Completed).map_or(0, |c| c.2);
    assert_eq!(completed, args.calls as i64, "every call completed with its report: {counts:?}");

    let (n, took, hl) = healthz(&client, addr, args.clients, elapsed.clamp(Duration::from_secs(1), Duration::from_secs(5))).await;
    let rate = lat.len() as f64 / elapsed.as_secs_f64();
    let health = n as f64 / took.as_secs_f64();
    println!(
        "webhooks: {rate:>7.0} requests/s  p50 {:>6.2} ms  p99 {:>6.2} ms  ({} requests: {} whole calls of {} webhooks, {:.0} calls/s, {} clients, {:.1} s)",
        pct(&lat, 0.50),
        pct(&lat, 0.99),
        lat.len(),
        args.calls,
        lat.len() / args.calls.max(1),
        args.calls as f64 / elapsed.as_secs_f64(),
        args.clients,
        elapsed.as_secs_f64()
    );
    println!(
        "/healthz: {health:>7.0} requests/s  p50 {:>6.2} ms  p99 {:>6.2} ms  -> webhooks run at {:.1}% of the trivial route",
        pct(&hl, 0.50),
        pct(&hl, 0.99),
        100.0 * rate / health
    );
    let _ = stop.send(());
    server.await.unwrap();
}

async fn paced_round(args: &Args) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("call-round.db");
    let db = Db::open(&DatabaseUrl::Sqlite(path.clone())).await.expect("open database");
    let (scope, admin) = centre(&db, "round").await;
    // Tomorrow in Japan, so the clock can be moved to its 9:00 whatever the hour now.
    let day = backend::web::today(Utc::now()) + Days::days(1);
    let t0 = Instant::now();
    fill(&path, scope.centre_id(), args.people, day);
    let filled = t0.elapsed();
    set_pace(&db, scope, admin, args.rate, Utc::now()).await;
    let (peak_fill, _) = memory();

    let clock = Clock::simulated();
    clock.advance((jst(day, 9, 0) - clock.now()).to_std().unwrap());
    let mut config = Config::new(dir.path().join("mail"));
    config.call.scheduler = false;
    let state = AppState::new(db.clone(), config, clock.clone()).unwrap();
    let sim = Arc::new(SimProvider::new(|_: &DialTarget| Behaviour::Silent, Duration::ZERO));
    let copy = Scheduler::new(state, Dialer::Sim(sim.clone()));

    let (wall, sim_start) = (Instant::now(), clock.now());
    assert_eq!(copy.plan().await.unwrap(), 1, "the 9:00 round is planned");
    let planning = wall.elapsed();
    let (mut ticks, mut placed, mut last) = (0, 0, (wall, sim_start));
    loop {
        let t = copy.step().await.unwrap();
        ticks += 1;
        placed += t.placed;
        if t.placed > 0 {
            // When the last call so far was placed (a tick that claimed nothing then
            // pauses a second, which is not the round's time).
            last = (Instant::now(), clock.now());
        }
        if t.claimed == 0 && store::centres_with_due(&db, day, clock.now()).await.unwrap().is_empty() {
            break;
        }
    }
    let (wall, simulated) = (last.0 - wall, (last.1 - sim_start).to_std().unwrap());
    let (peak, rss) = memory();

    let calls = sim.placed();
    assert_eq!(calls.len(), args.people, "everyone was called");
    assert!(calls.values().all(|n| *n == 1), "nobody was called twice");
    assert_eq!(placed, args.people);
    let paced = args.people as f64 / args.rate;
    println!(
        "round:    {} people at {} calls/s: filled in {:.1} s; planned in {:.2} s; all called once in {:.1} s wall time ({:.0} calls/s) over {:.1} s simulated time ({:.0} calls/s; the pace alone takes {:.1} s), {ticks} ticks",
        args.people,
        args.rate,
        filled.as_secs_f64(),
        planning.as_secs_f64(),
        wall.as_secs_f64(),
        args.people as f64 / wall.as_secs_f64(),
        simulated.as_secs_f64(),
        args.people as f64 / simulated.as_secs_f64(),
        paced
    );
    println!("memory:   peak RSS (VmHWM) {peak:.0} MB after the round, {peak_fill:.0} MB after the fill; {rss:.0} MB resident at the end");
}

fn main() {
    let args = Args::parse();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        println!(
            "call benchmark: {} calls by {} clients through the webhooks; a round of {} people at {} calls/s; {} cores; SQLite files, synchronous=FULL",
            args.calls,
            args.clients,
            args.people,
            args.rate,
            std::thread::available_parallelism().map_or(0, |n| n.get())
        );
        // The round first, so its peak memory is not the webhook run's.
        paced_round(&args).await;
        webhooks(&args).await;
    });
}
