//! An in-memory model of the server behind the [`Transport`] trait, for the sync and
//! account tests: it speaks the real JSON bodies, applies each report id once (a replay
//! gets the same answer, the same id with another payload gets `conflict`), and can be
//! told what goes wrong with the next requests (no connection, a lost answer after the
//! commit, a 5xx, throttling, a rejected token, a whole-request refusal).

#![allow(clippy::expect_used)]

use super::http::{NetFailure, Request, Response, Transport};
use protocol::wire::{self, BatchRequest, BatchResponse, ReportStatus, WireReport, WireResult};
use protocol::{Answers, DailyReport, Kind, Temperature, triage};
use serde_json::json;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// What happens to one batch request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Nothing: applied and answered.
    None,
    /// The connection fails before the server sees anything.
    Down,
    /// The server commits, then the answer is lost.
    LostAnswer,
    /// The server answers 503 without applying anything.
    Unavailable,
    /// The server answers 429 with `Retry-After: 1`.
    Throttled,
    /// The server answers 401.
    Unauthorized,
    /// The server refuses the whole request with 422.
    Unprocessable,
    /// The server never answers: the request takes its whole time limit (at most 30 s)
    /// and ends in a timeout, nothing applied.
    Stall,
}

/// The server's state.
#[derive(Default)]
pub(crate) struct State {
    /// Committed reports by id.
    pub reports: HashMap<String, WireReport>,
    /// Ids in commit order (each once).
    pub order: Vec<String>,
    /// What the next batch requests meet; empty means [`Fault::None`].
    pub faults: VecDeque<Fault>,
    /// Dates refused as outside the observation period.
    pub closed_dates: HashSet<String>,
    /// Ids answered with an unknown status (kept pending by the phone).
    pub unknown_ids: HashSet<String>,
    /// The valid session token.
    pub token: String,
    /// Batch requests seen.
    pub batch_calls: usize,
    /// The time limit of each batch request, in order.
    pub batch_timeouts: Vec<Duration>,
    /// Verification code of the registration in progress.
    pub code: String,
    /// The registration's time ran out after its code was verified.
    pub registration_expired: bool,
}

/// The fake server.
pub(crate) struct FakeServer {
    pub state: Mutex<State>,
    /// Time each request takes.
    pub latency: Duration,
    in_flight: AtomicUsize,
    /// Most batch requests seen at the same time.
    pub max_in_flight: AtomicUsize,
}

impl FakeServer {
    pub(crate) fn new(token: &str) -> FakeServer {
        FakeServer {
            state: Mutex::new(State { token: token.into(), code: "123456".into(), ..State::default() }),
            latency: Duration::ZERO,
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        }
    }

    pub(crate) fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn push_faults(&self, faults: &[Fault]) {
        self.state().faults.extend(faults.iter().copied());
    }
}

fn answer(status: u16, body: serde_json::Value) -> Response {
    Response { status, retry_after: (status == 429).then_some(1), body: serde_json::to_vec(&body).expect("json") }
}

fn error(status: u16, code: &str) -> Response {
    answer(status, json!({ "error": code, "message": format!("text for {code}") }))
}

fn advice(r: &WireReport) -> Option<String> {
    let codes: Vec<u8> = r.answers.iter().map(|&c| u8::try_from(c).unwrap_or(0)).collect();
    let report = DailyReport {
        kind: Kind::parse(&r.kind)?,
        temperature: Temperature::from_tenths(r.temperature_tenths).ok()?,
        answers: Answers::from_codes(&codes).ok()?,
    };
    Some(triage(&report).level.as_str().to_owned())
}

impl State {
    fn apply(&mut self, batch: &BatchRequest) -> BatchResponse {
        let results = batch
            .reports
            .iter()
            .map(|r| {
                let mut out = WireResult { id: r.id.clone(), status: ReportStatus::Accepted, advice: None, reason: None, message: None };
                if self.unknown_ids.contains(&r.id) {
                    out.status = ReportStatus::Unknown;
                } else if self.closed_dates.contains(&r.local_date) {
                    out.status = ReportStatus::Refused;
                    out.reason = Some("outside_observation_period".into());
                    out.message = Some("outside".into());
                } else if let Some(existing) = self.reports.get(&r.id) {
                    if existing == r {
                        out.advice = advice(r);
                    } else {
                        out.status = ReportStatus::Conflict;
                        out.reason = Some("conflict".into());
                    }
                } else {
                    out.advice = advice(r);
                    self.reports.insert(r.id.clone(), r.clone());
                    self.order.push(r.id.clone());
                }
                out
            })
            .collect();
        BatchResponse { results }
    }

    fn bearer_ok(&self, req: &Request) -> bool {
        req.bearer.as_ref().is_some_and(|t| t.expose() == self.token)
    }
}

impl Transport for FakeServer {
    fn send(&self, req: &Request) -> Result<Response, NetFailure> {
        let body: serde_json::Value = req.body.as_ref().map_or(serde_json::Value::Null, |b| serde_json::from_slice(b).expect("json body"));
        let path = req.path.as_str();
        if path == wire::PATH_REPORTS_BATCH {
            let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.max_in_flight.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(self.latency);
            let out = self.batch(req, body);
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            return out;
        }
        std::thread::sleep(self.latency);
        let mut s = self.state();
        Ok(match path {
            wire::PATH_REGISTRATIONS if body["email"] == "throttled@example.jp" => error(429, "too_many_requests"),
            wire::PATH_REGISTRATIONS => answer(202, json!({ "request_id": "0f0e-77", "expires_in": 600 })),
            p if p == wire::path_verify("0f0e-77") => {
                if body["code"] == s.code.as_str() {
                    let expires_at = (chrono::Utc::now() + chrono::Duration::minutes(30)).to_rfc3339();
                    answer(200, json!({ "registration_token": "reg-token", "expires_at": expires_at }))
                } else {
                    error(400, "wrong_code")
                }
            }
            p if p == wire::path_password("0f0e-77") => match req.bearer.as_ref().map(|t| t.expose()) {
                Some("reg-token") if !s.registration_expired => Response { status: 204, retry_after: None, body: Vec::new() },
                _ => error(401, "registration_token_invalid"),
            },
            p if p == wire::path_attributes("0f0e-77") => {
                if body["input_id"] != "1234567" {
                    error(400, "registration_mismatch")
                } else {
                    s.token = "session-token".into();
                    answer(201, json!({ "token": "session-token", "expires_at": "2026-07-01T00:00:00Z", "profile": profile() }))
                }
            }
            wire::PATH_LOGIN if body["password"] == "Right-Pass-1" => {
                s.token = "login-token".into();
                answer(200, json!({ "token": "login-token", "expires_at": "2026-07-01T00:00:00Z" }))
            }
            wire::PATH_LOGIN => error(401, "login_failed"),
            wire::PATH_PROFILE if s.bearer_ok(req) => answer(200, profile()),
            wire::PATH_LOGOUT if s.bearer_ok(req) => {
                s.token = String::new();
                Response { status: 204, retry_after: None, body: Vec::new() }
            }
            _ => error(401, "unauthorized"),
        })
    }
}

impl FakeServer {
    fn batch(&self, req: &Request, body: serde_json::Value) -> Result<Response, NetFailure> {
        let mut s = self.state();
        s.batch_calls += 1;
        s.batch_timeouts.push(req.timeout);
        let fault = s.faults.pop_front().unwrap_or(Fault::None);
        if fault == Fault::Stall {
            drop(s);
            std::thread::sleep(req.timeout.min(Duration::from_secs(30)));
            return Err(NetFailure::Timeout);
        }
        if fault == Fault::Down {
            return Err(NetFailure::Connect);
        }
        if fault == Fault::Unauthorized || !s.bearer_ok(req) {
            return Ok(error(401, "unauthorized"));
        }
        match fault {
            Fault::Unavailable => return Ok(error(503, "unavailable")),
            Fault::Throttled => return Ok(error(429, "too_many_requests")),
            Fault::Unprocessable => return Ok(error(422, "invalid_body")),
            _ => {}
        }
        let batch: BatchRequest = serde_json::from_value(body).expect("a batch body");
        assert!(batch.reports.len() <= wire::MAX_REPORTS_PER_BATCH);
        let response = s.apply(&batch);
        if fault == Fault::LostAnswer {
            return Err(NetFailure::Broken);
        }
        Ok(answer(200, serde_json::to_value(response).expect("json")))
    }
}

/// The profile the fake server hands out.
pub(crate) fn profile() -> serde_json::Value {
    json!({ "kind": "close_contact", "observation": "app", "period_start": "2026-01-01", "period_end": "2026-01-14",
            "centre_name": "みなと保健所", "emergency_number": "０３－１２３４－５６７８" })
}
