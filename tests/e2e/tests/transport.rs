//! The transport contract, Rust side: `RustHttpTransport` (reqwest + rustls, the
//! `rust-http` feature) against the real server process, both called directly and as
//! the core's transport through `open_with_transport`. The same cases run for the
//! Kotlin `UrlConnectionTransport` and the Swift `URLSessionTransport` in tests/live:
//!
//! success with the core's own headers; a 4xx and a 5xx whose JSON error bodies become
//! the core's `Server` errors in the asked language; a closed port (connect); a server
//! that never answers (timeout, within the request's time limit); an answer lost after
//! the server committed (broken; the core sends the same batch again and the server
//! answers the replay the same way); a batch of 100 reports in one request; a redirect
//! returned, not followed.
//!
//! The 5xx comes from a second server whose mail folder is replaced by a file, so that
//! sending a code fails; the lost answer from the e2e proxy, switched on around the
//! first batch request only. One test runs every case on one server and prints
//! `rust-contract-tests: N passed, N failed`, then checks through the staff API that the
//! contract case holds exactly the 103 reports the cases synced (no duplicate).

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use e2e::backend::Backend;
use e2e::proxy::Proxy;
use e2e::staff::{Case, Staff};
use e2e::{days_ago, days_ahead};
use mobile_core::{
    AnswerChoice, CoreError, HttpHeader, HttpMethod, HttpRequest, HttpResponse, HttpTransport, Language, MimamoriCore,
    PersonKind, ReportInput, RustHttpTransport, SyncConfig, TransportError,
};
use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ADMIN: &str = "admin@transport.example.jp";
const CENTRE: &str = "契約保健所";
const EMAIL: &str = "rust-contract@transport.example.jp";
const PASSWORD: &str = "Umi-no-oto-58";
/// Nothing listens on port 1 of this machine: a connection there is refused at once.
const CLOSED: &str = "http://127.0.0.1:1";

/// One exchange seen by [`Recording`]: the request and its status, or the failure.
struct Exchange {
    request: HttpRequest,
    outcome: Result<u16, TransportError>,
}

/// Passes every request on to `inner` and keeps what went and what came back; can
/// wrap the first batch request in `around_first_batch(true)` … `(false)`.
struct Recording {
    inner: Arc<RustHttpTransport>,
    seen: Mutex<Vec<Exchange>>,
    around_first_batch: Option<Box<dyn Fn(bool) + Send + Sync>>,
}

impl Recording {
    fn new(inner: Arc<RustHttpTransport>) -> Arc<Recording> {
        Arc::new(Recording { inner, seen: Mutex::new(Vec::new()), around_first_batch: None })
    }

    /// The exchanges whose URL ends with `path`: (request, outcome) pairs.
    fn to(&self, path: &str) -> Vec<(HttpRequest, Result<u16, TransportError>)> {
        let seen = self.seen.lock().unwrap();
        seen.iter().filter(|e| e.request.url.ends_with(path)).map(|e| (e.request.clone(), e.outcome)).collect()
    }
}

impl HttpTransport for Recording {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let first_batch = request.url.ends_with("/api/v1/reports:batch") && self.to("/api/v1/reports:batch").is_empty();
        let hook = self.around_first_batch.as_ref().filter(|_| first_batch);
        if let Some(h) = hook {
            h(true);
        }
        let answer = self.inner.send(request.clone());
        if let Some(h) = hook {
            h(false);
        }
        self.seen.lock().unwrap().push(Exchange { request, outcome: answer.as_ref().map(|r| r.status).map_err(|e| *e) });
        answer
    }
}

fn header<'a>(headers: &'a [HttpHeader], name: &str) -> Option<&'a str> {
    headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| h.value.as_str())
}

/// A string field of a JSON object body.
fn field(body: &[u8], name: &str) -> Option<String> {
    serde_json::from_slice::<serde_json::Value>(body).ok()?.get(name)?.as_str().map(str::to_owned)
}

fn get(url: &str, timeout_ms: u64) -> HttpRequest {
    HttpRequest {
        method: HttpMethod::Get,
        url: url.to_owned(),
        headers: vec![HttpHeader { name: "Accept".into(), value: "application/json".into() }],
        body: Vec::new(),
        timeout_ms,
    }
}

fn post_json(url: &str, json: &serde_json::Value) -> HttpRequest {
    let h = |n: &str, v: &str| HttpHeader { name: n.into(), value: v.into() };
    HttpRequest {
        method: HttpMethod::Post,
        url: url.to_owned(),
        headers: vec![h("Accept", "application/json"), h("Accept-Language", "en"), h("Content-Type", "application/json")],
        body: serde_json::to_vec(json).unwrap(),
        timeout_ms: 10_000,
    }
}

fn report(temperature: &str, yes: &[usize]) -> ReportInput {
    ReportInput {
        person_id: "self".into(),
        local_date: None,
        kind: PersonKind::Infected,
        temperature: temperature.into(),
        answers: (0..9).map(|i| Some(if yes.contains(&i) { AnswerChoice::Yes } else { AnswerChoice::No })).collect(),
    }
}

/// A listener that accepts connections, reads what comes and never answers.
fn stalling_listener() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut buf = [0u8; 4096];
                while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
            });
        }
    });
    addr
}

/// One case of the contract: its name and what it runs.
type ContractCase = (&'static str, fn(&World));

/// Everything the cases share.
struct World {
    dir: tempfile::TempDir,
    url: String,
    broken_url: String,
    stall_url: String,
    drop_all: Proxy,
    drop_batch: Arc<Proxy>,
    transport: Arc<RustHttpTransport>,
}

impl World {
    fn open(&self, name: &str, url: &str, http: Arc<dyn HttpTransport>) -> Arc<MimamoriCore> {
        let path = self.dir.path().join(format!("{name}.db"));
        MimamoriCore::open_with_transport(path.to_string_lossy().into_owned(), url.to_owned(), http).expect("open")
    }

    /// A core logged in to the contract account, its HTTP recorded.
    fn logged_in(&self, name: &str, url: &str, recording: &Arc<Recording>) -> Arc<MimamoriCore> {
        let core = self.open(name, url, recording.clone());
        core.login(EMAIL.into(), PASSWORD.into(), Language::En).expect("login");
        core
    }
}

fn success_answers_reach_the_core_with_the_cores_headers(w: &World) {
    let direct = w.transport.send(get(&format!("{}/healthz", w.url), 10_000)).expect("healthz");
    assert_eq!(direct.status, 200);
    assert!(header(&direct.headers, "content-type").unwrap_or("").starts_with("application/json"));
    assert_eq!(field(&direct.body, "status").as_deref(), Some("ok"));

    let rec = Recording::new(w.transport.clone());
    let core = w.logged_in("success", &w.url, &rec);
    assert_eq!(core.refresh_profile(Language::En).expect("profile").centre_name, CENTRE);
    core.save_report(report("36.6", &[]), Language::En).expect("save");
    let status = core.sync_now(Language::En).expect("sync");
    assert_eq!((status.pending, status.failed, status.last_error), (0, 0, None));

    let login = rec.to("/api/v1/login");
    let profile = rec.to("/api/v1/profile");
    let batch = rec.to("/api/v1/reports:batch");
    assert_eq!((login.len(), batch.len()), (1, 1));
    let (login, profile, batch) = (&login[0], profile.last().expect("profile"), &batch[0]);
    assert_eq!([login.1, profile.1, batch.1], [Ok(200), Ok(200), Ok(200)]);
    for e in rec.seen.lock().unwrap().iter() {
        let r = &e.request;
        assert!(r.url.starts_with(&format!("{}/api/v1/", w.url)));
        assert_eq!(r.timeout_ms, 30_000);
        assert_eq!(header(&r.headers, "accept"), Some("application/json"));
        assert_eq!(header(&r.headers, "accept-language"), Some("en"));
        assert!(header(&r.headers, "user-agent").unwrap_or("").starts_with("mimamori-core/"));
    }
    assert_eq!(login.0.method, HttpMethod::Post);
    assert_eq!(header(&login.0.headers, "content-type"), Some("application/json"));
    assert_eq!(header(&login.0.headers, "authorization"), None, "no token before the login");
    assert_eq!(profile.0.method, HttpMethod::Get);
    assert!(profile.0.body.is_empty());
    assert_eq!(header(&profile.0.headers, "content-type"), None);
    for (r, _) in [profile, batch] {
        let auth = header(&r.headers, "authorization").unwrap_or("");
        assert!(auth.starts_with("Bearer ") && auth.len() > 20, "the session token is sent");
    }
}

fn a_refusal_reaches_the_core_as_the_servers_code_and_text(w: &World) {
    let email = format!("nobody-{EMAIL}");
    let body = serde_json::json!({ "email": email, "password": "Wrong-pass-1" });
    let raw = w.transport.send(post_json(&format!("{}/api/v1/login", w.url), &body)).expect("answer");
    assert_eq!(raw.status, 401);
    assert_eq!(field(&raw.body, "error").as_deref(), Some("login_failed"));
    assert_eq!(header(&raw.headers, "content-language"), Some("en"), "Accept-Language reached the server");
    let core = w.open("refusal", &w.url, w.transport.clone());
    let en = core.login(email.clone(), "Wrong-pass-1".into(), Language::En);
    let ja = core.login(email, "Wrong-pass-1".into(), Language::Ja);
    let (Err(CoreError::Server { code: en_code, reason: en }), Err(CoreError::Server { code: ja_code, reason: ja })) = (en, ja)
    else {
        panic!("expected two Server errors");
    };
    assert_eq!((en_code.as_str(), ja_code.as_str()), ("login_failed", "login_failed"));
    assert_eq!(Some(en.clone()), field(&raw.body, "message"));
    assert_ne!(en, ja, "the Japanese text");
}

fn a_server_failure_reaches_the_core_as_the_servers_code_and_text(w: &World) {
    let email = format!("five-{EMAIL}");
    let raw = w
        .transport
        .send(post_json(&format!("{}/api/v1/registrations", w.broken_url), &serde_json::json!({ "email": email })))
        .expect("answer");
    assert_eq!(raw.status, 503);
    assert_eq!(field(&raw.body, "error").as_deref(), Some("unavailable"));
    let core = w.open("failure", &w.broken_url, w.transport.clone());
    match core.request_code(email, Language::En) {
        Err(CoreError::Server { code, reason }) => {
            assert_eq!(code, "unavailable");
            assert_eq!(Some(reason), field(&raw.body, "message"));
        }
        other => panic!("expected a Server error, got {other:?}"),
    }
}

fn a_closed_port_is_a_connect_failure(w: &World) {
    let start = Instant::now();
    assert_eq!(w.transport.send(get(&format!("{CLOSED}/healthz"), 10_000)).err(), Some(TransportError::Connect));
    assert!(start.elapsed() < Duration::from_secs(5), "refused at once: {:?}", start.elapsed());
    let core = w.open("closed", CLOSED, w.transport.clone());
    assert!(matches!(core.request_code(format!("closed-{EMAIL}"), Language::En), Err(CoreError::Network { .. })));
    core.save_report(report("36.9", &[]), Language::En).expect("save");
    assert_eq!(core.sync_status().expect("status").pending, 1, "the report stays queued");
}

fn a_server_that_never_answers_is_a_timeout_within_the_limit(w: &World) {
    let start = Instant::now();
    assert_eq!(w.transport.send(get(&format!("{}/healthz", w.stall_url), 1_000)).err(), Some(TransportError::Timeout));
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(10), "ended by the 1 s limit: {took:?}");
    let core = w.open("stall", &w.stall_url, w.transport.clone());
    core.set_request_timeout_ms(1_000);
    let start = Instant::now();
    assert!(matches!(core.request_code(format!("stall-{EMAIL}"), Language::En), Err(CoreError::Network { .. })));
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(10), "the core's limit: {took:?}");
}

fn an_answer_lost_after_the_commit_is_sent_again_and_answered_the_same(w: &World) {
    w.drop_all.set_drop_answers(true);
    let lost = w.transport.send(get(&format!("{}/healthz", w.drop_all.url()), 10_000));
    assert_eq!(lost.err(), Some(TransportError::Broken));

    let proxy = w.drop_batch.clone();
    let rec = Arc::new(Recording {
        inner: w.transport.clone(),
        seen: Mutex::new(Vec::new()),
        around_first_batch: Some(Box::new(move |on| proxy.set_drop_answers(on))),
    });
    let core = w.logged_in("lost", &w.drop_batch.url(), &rec);
    core.save_report(report("37.8", &[1]), Language::En).expect("save");
    core.save_report(report("36.4", &[]), Language::En).expect("save");
    core.set_sync_config(SyncConfig { batch_size: 100, max_attempts: 3, base_delay_ms: 50, max_delay_ms: 200 });
    let status = core.sync_now(Language::En).expect("sync");
    assert_eq!((status.pending, status.failed, status.last_error), (0, 0, None), "the replay was accepted");
    assert_eq!(w.drop_batch.dropped(), 1, "the server's first batch answer was swallowed");
    let batches = rec.to("/api/v1/reports:batch");
    assert_eq!(batches.len(), 2, "one lost answer, one answered replay");
    assert_eq!(batches[0].1, Err(TransportError::Broken));
    assert_eq!(batches[1].1, Ok(200));
    assert_eq!(batches[0].0.body, batches[1].0.body, "the same batch, sent again");
}

fn a_hundred_reports_go_in_one_request(w: &World) {
    let rec = Recording::new(w.transport.clone());
    let core = w.logged_in("hundred", &w.url, &rec);
    for i in 0..100 {
        let t = if i % 10 == 0 { "37.5".to_owned() } else { format!("36.{}", i % 10) };
        core.save_report(report(&t, &[]), Language::En).expect("save");
    }
    assert_eq!(core.sync_status().expect("status").pending, 100);
    let status = core.sync_now(Language::En).expect("sync");
    assert_eq!((status.pending, status.failed), (0, 0));
    let batches = rec.to("/api/v1/reports:batch");
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].1, Ok(200));
    assert!(batches[0].0.body.len() > 10_000, "a 100-report body: {} bytes", batches[0].0.body.len());
}

fn a_redirect_is_returned_not_followed(w: &World) {
    let res = w.transport.send(get(&format!("{}/", w.url), 10_000)).expect("answer");
    assert_eq!(res.status, 303);
    assert!(header(&res.headers, "location").unwrap_or("").starts_with("/login"), "the server's redirect, as sent");
}

/// Registers the contract case once, through the core and this transport.
fn register(w: &World, backend: &Backend, case: &Case) {
    let core = w.open("register", &w.url, w.transport.clone());
    core.request_code(EMAIL.into(), Language::En).expect("code");
    core.verify_code(backend.code_for(EMAIL), Language::En).expect("verify");
    core.set_password(PASSWORD.into(), Language::En).expect("password");
    core.submit_attributes(case.name.clone(), case.date_of_birth.clone(), case.phone.clone(), case.input_id.clone(), Language::En)
        .expect("attributes");
}

/// A second server whose mail cannot be written: every code request is answered 503.
fn broken_mail_server(dir: &Path) -> Backend {
    let backend = Backend::start(dir);
    std::fs::remove_dir_all(backend.mail_dir()).expect("remove the mail folder");
    std::fs::write(backend.mail_dir(), b"").expect("a file where the mail folder was");
    backend
}

#[test]
fn the_rust_transport_keeps_the_contract() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = Backend::start(&dir.path().join("server"));
    backend.create_centre(CENTRE, "03-5555-0199", "J-TRANSPORT", ADMIN);
    let broken = broken_mail_server(&dir.path().join("broken"));
    let staff = Staff::login(&backend.url(), ADMIN, e2e::backend::ADMIN_PASSWORD);
    let case = staff.create_case(1, "infected", &days_ago(1), &days_ahead(9));
    let upstream: SocketAddr = format!("127.0.0.1:{}", backend.port()).parse().expect("addr");
    let world = World {
        url: backend.url(),
        broken_url: broken.url(),
        stall_url: format!("http://{}", stalling_listener()),
        drop_all: Proxy::start(upstream),
        drop_batch: Arc::new(Proxy::start(upstream)),
        transport: RustHttpTransport::new().expect("transport"),
        dir: tempfile::tempdir().expect("phones"),
    };
    register(&world, &backend, &case);

    let cases: [ContractCase; 8] = [
        ("success_answers_reach_the_core_with_the_cores_headers", success_answers_reach_the_core_with_the_cores_headers),
        ("a_refusal_reaches_the_core_as_the_servers_code_and_text", a_refusal_reaches_the_core_as_the_servers_code_and_text),
        ("a_server_failure_reaches_the_core_as_the_servers_code_and_text", a_server_failure_reaches_the_core_as_the_servers_code_and_text),
        ("a_closed_port_is_a_connect_failure", a_closed_port_is_a_connect_failure),
        ("a_server_that_never_answers_is_a_timeout_within_the_limit", a_server_that_never_answers_is_a_timeout_within_the_limit),
        ("an_answer_lost_after_the_commit_is_sent_again_and_answered_the_same", an_answer_lost_after_the_commit_is_sent_again_and_answered_the_same),
        ("a_hundred_reports_go_in_one_request", a_hundred_reports_go_in_one_request),
        ("a_redirect_is_returned_not_followed", a_redirect_is_returned_not_followed),
    ];
    let mut failed = Vec::new();
    for (name, run) in cases {
        match std::panic::catch_unwind(AssertUnwindSafe(|| run(&world))) {
            Ok(()) => println!("rust-contract: {name} ok"),
            Err(_) => {
                println!("rust-contract: {name} FAILED");
                failed.push(name);
            }
        }
    }
    // The staff API's view: exactly the 1 + 2 + 100 reports the cases synced.
    let on_server = staff.reports(case.id).len();
    let staff_ok = on_server == 103;
    println!("rust-contract: the staff API lists {on_server} reports for the case (expected 103)");
    let passed = cases.len() - failed.len() + usize::from(staff_ok);
    println!("rust-contract-tests: {passed} passed, {} failed", failed.len() + usize::from(!staff_ok));
    assert!(failed.is_empty() && staff_ok, "failed: {failed:?}, reports on the server: {on_server}");
}
