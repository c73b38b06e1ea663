//! Property: for any sequence of reports from phones with any clocks (minutes to half a
//! day off, dated yesterday, today or tomorrow), hours passing, phone contacts of every
//! outcome and notes, the people on the urgent list are exactly those with a "call now"
//! report that no contact reaching them or note has handled; the fever list holds exactly
//! those with a fever in a report received today, and the reported list those with any
//! report received today. A person whose use is suspended (at their request, answered
//! by staff) stays on the urgent list while a report waits, leaves the other lists, and
//! their new reports are refused at the door. The advice of each report comes from `protocol::triage`, the
//! one copy of the rules; the model only keeps what was sent and handled.
//!
//! `PROPTEST_CASES` sets the number of sequences (default 24).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use chrono::{Duration, NaiveDate};
use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use protocol::{AdviceLevel, Answers, DailyReport, Kind, Temperature, triage};
use serde_json::json;
use std::collections::BTreeSet;

const PEOPLE: [(&str, &str, &str); 2] = [("甲 太郎", "infected", "09030000001"), ("乙 花子", "close_contact", "09030000002")];

#[derive(Debug, Clone)]
enum Op {
    /// A report from person `who`'s phone, its clock `skew` minutes off, dated `day`
    /// days from the server's today.
    Report { who: usize, skew: i64, day: i64, tenths: i64, answers: [u8; 9] },
    /// Time passes.
    Advance { minutes: u64 },
    /// Staff phone person `who` (outcome: reached, no answer, message, other).
    Contact { who: usize, outcome: usize },
    /// Staff mark person `who`'s urgent reports handled.
    Handle { who: usize },
    /// Person `who` asks for a suspension of use and staff grant it.
    Suspend { who: usize },
}

fn op() -> impl Strategy<Value = Op> {
    let answer = prop_oneof![6 => Just(2u8), 2 => Just(1u8), 1 => Just(9u8)];
    prop_oneof![
        5 => (0..2usize, -720..=720i64, -1..=1i64, 360..=392i64, proptest::array::uniform9(answer))
            .prop_map(|(who, skew, day, tenths, answers)| Op::Report { who, skew, day, tenths, answers }),
        2 => (1..=600u64).prop_map(|minutes| Op::Advance { minutes }),
        2 => (0..2usize, 0..4usize).prop_map(|(who, outcome)| Op::Contact { who, outcome }),
        1 => (0..2usize).prop_map(|who| Op::Handle { who }),
        1 => (0..2usize).prop_map(|who| Op::Suspend { who }),
    ]
}

/// What the lists must show, from what was sent and handled.
#[derive(Default)]
struct Model {
    waiting: [bool; 2],
    fever_on: [BTreeSet<NaiveDate>; 2],
    received_on: [BTreeSet<NaiveDate>; 2],
    suspended: [bool; 2],
}

struct People {
    staff: Staff,
    me: Signed,
    ids: [i64; 2],
    tokens: [String; 2],
    period: (NaiveDate, NaiveDate),
}

async fn people(t: &TestApp, run: usize) -> People {
    let staff = t.centre(&format!("p{run}")).await;
    let mut ids = [0; 2];
    let mut tokens = [String::new(), String::new()];
    for (i, (name, kind, phone)) in PEOPLE.iter().enumerate() {
        let mut body = case_body(name, phone);
        let day = backend::web::today(t.state.clock.now());
        body["kind"] = json!(kind);
        body["period_start"] = json!((day - Duration::days(1)).to_string());
        body["period_end"] = json!((day + Duration::days(13)).to_string());
        let r = t.post("/api/v1/cases", Some(&staff.token), body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        ids[i] = r.body["id"].as_i64().unwrap();
        tokens[i] = t.register(&r.body, &format!("p{run}-{i}@example.jp")).await;
    }
    let me = t.sign_in(&staff.email, PASSWORD).await;
    let day = backend::web::today(t.state.clock.now());
    People { staff, me, ids, tokens, period: (day - Duration::days(1), day + Duration::days(13)) }
}

async fn check(t: &TestApp, p: &People, m: &Model) -> Result<(), TestCaseError> {
    let today = backend::web::today(t.state.clock.now());
    let board = t.view(&p.me, "/").await.text;
    let on = |key: &str| -> [bool; 2] { [0, 1].map(|i| list(&board, key).contains(PEOPLE[i].0)) };
    let mut api_urgent = [false; 2];
    for (i, urgent) in api_urgent.iter_mut().enumerate() {
        let case = t.get(&format!("/api/v1/cases/{}", p.ids[i]), Some(&p.staff.token)).await.body;
        *urgent = !case["urgent_since"].is_null();
    }
    prop_assert_eq!(on("urgent"), m.waiting, "urgent list");
    prop_assert_eq!(api_urgent, m.waiting, "API urgent state");
    prop_assert_eq!(count(&board, "urgent"), m.waiting.iter().filter(|w| **w).count() as i64);
    let fever = [0, 1].map(|i| !m.suspended[i] && m.fever_on[i].contains(&today));
    prop_assert_eq!(on("fever"), fever, "fever list");
    prop_assert_eq!(count(&board, "fever"), fever.iter().filter(|f| **f).count() as i64);
    let reported = [0, 1].map(|i| !m.suspended[i] && m.received_on[i].contains(&today));
    prop_assert_eq!(on("reported"), reported, "reported list");
    Ok(())
}

async fn run(t: &TestApp, n: usize, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut p = people(t, n).await;
    let mut m = Model::default();
    for op in ops {
        match op {
            Op::Report { who, skew, day, tenths, answers } => {
                let now = t.state.clock.now();
                let date = backend::web::today(now) + Duration::days(day);
                let kind = Kind::parse(PEOPLE[who].1).unwrap();
                let mut report = wire_report(date, tenths, answers.map(i64::from), now + Duration::minutes(skew));
                report["kind"] = json!(PEOPLE[who].1);
                let r = t.post("/api/v1/reports:batch", Some(&p.tokens[who]), json!({ "reports": [report] })).await;
                prop_assert_eq!(r.status, StatusCode::OK);
                let result = &r.body["results"][0];
                if m.suspended[who] {
                    prop_assert_eq!(result["reason"].as_str(), Some("use_suspended"));
                    continue;
                }
                if date < p.period.0 || date > p.period.1 {
                    prop_assert_eq!(result["reason"].as_str(), Some("outside_observation_period"));
                    continue;
                }
                let advice = triage(&DailyReport { kind, temperature: Temperature::from_tenths(tenths).unwrap(), answers: Answers::from_codes(&answers).unwrap() }).level;
                prop_assert_eq!(result["advice"].as_str(), Some(advice.as_str()));
                let received = backend::web::today(now);
                m.received_on[who].insert(received);
                if tenths >= i64::from(Temperature::FEVER_TENTHS) {
                    m.fever_on[who].insert(received);
                }
                m.waiting[who] |= advice == AdviceLevel::CallNow;
            }
            Op::Advance { minutes } => {
                t.state.clock.advance(std::time::Duration::from_secs(minutes * 60));
                // Staff sessions last 12 hours: sign in again as a returning member would.
                p.staff.token = t.login_staff(&p.staff.email, PASSWORD).await;
                p.me = t.sign_in(&p.staff.email, PASSWORD).await;
            }
            Op::Contact { who, outcome } => {
                let outcome = ["reached", "no_answer", "left_message", "other"][outcome];
                let page = t.view(&p.me, &format!("/cases/{}", p.ids[who])).await.text;
                let seen = hidden(&page[page.find("id=\"contact-form\"").unwrap()..], "seen");
                let r = t.submit(&p.me, &format!("/cases/{}/contacts", p.ids[who]), &[("outcome", outcome), ("note", "確認"), ("seen", &seen)]).await;
                prop_assert_eq!(r.status, StatusCode::SEE_OTHER);
                if outcome == "reached" {
                    m.waiting[who] = false;
                }
            }
            Op::Handle { who } => {
                let r = t.post(&format!("/api/v1/cases/{}/handled", p.ids[who]), Some(&p.staff.token), json!({ "note": "対応済み" })).await;
                let expected = if m.waiting[who] { StatusCode::OK } else { StatusCode::CONFLICT };
                prop_assert_eq!(r.status, expected);
                m.waiting[who] = false;
            }
            Op::Suspend { who } => {
                if !m.suspended[who] {
                    let r = t.post("/api/v1/rights/requests", Some(&p.tokens[who]), json!({ "kind": "suspension" })).await;
                    prop_assert_eq!(r.status, StatusCode::CREATED);
                    let id = r.body["id"].as_str().unwrap().to_owned();
                    let r = t.submit(&p.me, &format!("/rights/{id}/answer"), &[("action", "suspended")]).await;
                    prop_assert_eq!(r.status, StatusCode::SEE_OTHER);
                    m.suspended[who] = true;
                }
            }
        }
        check(t, &p, &m).await?;
    }
    Ok(())
}

#[test]
fn the_urgent_list_is_exactly_the_people_with_an_unhandled_call_now_report() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let t = rt.block_on(TestApp::new());
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(24);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let runs = std::sync::atomic::AtomicUsize::new(0);
    let result = runner.run(&proptest::collection::vec(op(), 1..14), |ops| {
        let n = runs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        rt.block_on(run(&t, n, ops))
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
