//! Property test of the outbox against an in-memory server that applies each report id
//! once: random sequences of saves, syncs meeting random faults (no connection, a lost
//! answer after the server's commit, a 5xx, a rejected token), and crashes (the core is
//! dropped and the database reopened). After every step nothing is lost (each saved
//! report is queued or committed) and nothing is marked sent that the server does not
//! hold; after a final clean sync the server holds exactly the saved reports, each
//! once and unchanged, and the file passes `integrity_check`.
//!
//! 10,000 cases by default; `PROPTEST_CASES` changes that.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use super::fake::{FakeServer, Fault};
use super::tests::{FAST, open_core};
use crate::api::MimamoriCore;
use crate::error::CoreError;
use crate::secrets::tests::MemoryToken;
use crate::secrets::{Secret, TokenStore};
use crate::types::{AnswerChoice, Language, PersonKind, ReportInput, SyncConfig};
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

#[derive(Debug, Clone)]
enum Op {
    /// Save a report `days_ago` days back with this temperature and answers.
    Save { days_ago: u8, tenths: u16, answers: [u8; 9] },
    /// Start an upload whose requests meet these faults in turn.
    Sync { faults: Vec<Fault>, batch: u32, attempts: u32 },
    /// The app dies; the database is opened again.
    Crash,
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        4 => Just(Fault::None),
        2 => Just(Fault::Down),
        3 => Just(Fault::LostAnswer),
        1 => Just(Fault::Unavailable),
        1 => Just(Fault::Unauthorized),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0u8..20, 340u16..=420, prop::array::uniform9(prop::sample::select(vec![1u8, 2, 9])))
            .prop_map(|(days_ago, tenths, answers)| Op::Save { days_ago, tenths, answers }),
        4 => (prop::collection::vec(fault(), 0..5), 1u32..5, 1u32..4)
            .prop_map(|(faults, batch, attempts)| Op::Sync { faults, batch, attempts }),
        1 => Just(Op::Crash),
    ]
}

fn choice(code: u8) -> AnswerChoice {
    match code {
        1 => AnswerChoice::Yes,
        2 => AnswerChoice::No,
        _ => AnswerChoice::Unknown,
    }
}

/// A database folder on tmpfs when there is one: durable commits cost nothing there.
fn scratch() -> tempfile::TempDir {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir() { tempfile::tempdir_in(shm).expect("tempdir") } else { tempfile::tempdir().expect("tempdir") }
}

struct World {
    dir: tempfile::TempDir,
    server: Arc<FakeServer>,
    tokens: Arc<MemoryToken>,
    core: Option<MimamoriCore>,
    /// What each save that returned put on the phone: id → (date, tenths, answers).
    saved: HashMap<String, (String, i64, Vec<i64>)>,
}

impl World {
    fn new() -> World {
        let server = Arc::new(FakeServer::new("tok"));
        let tokens = Arc::new(MemoryToken::default());
        tokens.set(&Secret::new("tok".into())).expect("token");
        let dir = scratch();
        let core = Some(open_core(&dir, &server, &tokens));
        World { dir, server, tokens, core, saved: HashMap::new() }
    }

    fn core(&self) -> &MimamoriCore {
        self.core.as_ref().expect("open")
    }

    fn step(&mut self, op: &Op) {
        match op {
            Op::Save { days_ago, tenths, answers } => {
                let date = (chrono::Local::now().date_naive() - chrono::Days::new(u64::from(*days_ago))).to_string();
                let input = ReportInput {
                    person_id: "self".into(),
                    local_date: Some(date.clone()),
                    kind: PersonKind::Infected,
                    temperature: format!("{}.{}", tenths / 10, tenths % 10),
                    answers: answers.iter().map(|&c| Some(choice(c))).collect(),
                };
                let saved = self.core().save_report(input, Language::Ja).expect("save");
                let codes = answers.iter().map(|&c| i64::from(c)).collect();
                self.saved.insert(saved.report_id, (date, i64::from(*tenths), codes));
            }
            Op::Sync { faults, batch, attempts } => {
                self.server.push_faults(faults);
                self.core().set_sync_config(SyncConfig { batch_size: *batch, max_attempts: *attempts, ..FAST });
                match self.core().sync_now(Language::Ja) {
                    Ok(_) | Err(CoreError::Network { .. } | CoreError::Server { .. }) => {}
                    Err(CoreError::Unauthorized { .. }) => {
                        // The person logs in again.
                        assert!(self.tokens.get().expect("tokens").is_none(), "a 401 clears the token");
                        self.tokens.set(&Secret::new("tok".into())).expect("token");
                    }
                    Err(other) => panic!("unexpected sync error {other:?}"),
                }
                self.server.state().faults.clear();
            }
            Op::Crash => {
                self.core = None;
                self.core = Some(open_core(&self.dir, &self.server, &self.tokens));
            }
        }
    }

    /// After every step: each saved report is queued or committed, and whatever the
    /// phone counts as sent, the server holds.
    fn check_nothing_lost(&self) {
        let (queued, sent) = self
            .core()
            .store
            .read(|c| {
                let ids = |sql: &str| -> crate::error::Result<HashSet<String>> {
                    let mut st = c.prepare(sql)?;
                    let rows = st.query_map([], |r| r.get::<_, String>(0))?;
                    Ok(rows.collect::<rusqlite::Result<_>>()?)
                };
                Ok((ids("SELECT report_id FROM outbox WHERE state = 'pending'")?, ids("SELECT report_id FROM sent")?))
            })
            .expect("read");
        let server = self.server.state();
        for id in self.saved.keys() {
            assert!(queued.contains(id) ^ sent.contains(id), "report is either queued or sent, exactly one");
        }
        for id in &sent {
            assert!(server.reports.contains_key(id), "marked sent but not on the server");
        }
        for id in server.reports.keys() {
            assert!(self.saved.contains_key(id), "the server holds a report nobody saved");
        }
    }

    fn finish(mut self) {
        self.step(&Op::Crash);
        self.core().set_sync_config(FAST);
        let status = self.core().sync_now(Language::Ja).expect("a clean final sync");
        assert_eq!((status.pending, status.failed), (0, 0));
        let server = self.server.state();
        assert_eq!(server.order.len(), server.reports.len(), "no id applied twice");
        let on_server: HashSet<&String> = server.reports.keys().collect();
        let on_phone: HashSet<&String> = self.saved.keys().collect();
        assert_eq!(on_server, on_phone, "server set == saved set");
        for (id, (date, tenths, answers)) in &self.saved {
            let r = &server.reports[id];
            assert_eq!((&r.local_date, r.temperature_tenths, &r.answers), (date, *tenths, answers), "unchanged");
        }
        drop(server);
        let verdict: String = self
            .core()
            .store
            .read(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?))
            .expect("integrity_check");
        assert_eq!(verdict, "ok");
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_saved_report_reaches_the_server_exactly_once(ops in prop::collection::vec(op(), 1..14)) {
        let mut world = World::new();
        for op in &ops {
            world.step(op);
            world.check_nothing_lost();
        }
        world.finish();
    }
}

#[test]
fn a_model_server_sees_a_crash_after_its_commit_as_a_replay() {
    let mut world = World::new();
    world.step(&Op::Save { days_ago: 0, tenths: 365, answers: [2; 9] });
    world.step(&Op::Sync { faults: vec![Fault::LostAnswer], batch: 5, attempts: 1 });
    world.check_nothing_lost();
    world.step(&Op::Crash);
    assert_eq!(world.core().sync_status().expect("status").pending, 1, "the phone never heard");
    world.finish();
}
