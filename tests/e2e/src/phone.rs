//! A simulated phone: a `MimamoriCore` on its own database file, driven exactly as a
//! shell drives it — the registration guide screen by screen, daily reports, sync —
//! and compared with what the server holds.

use crate::backend::Backend;
use crate::staff::{Case, Staff};
use crate::{Tally, integrity_check};
use mobile_core::{AnswerChoice, CoreError, Language, MimamoriCore, PersonKind, ReportInput, SyncConfig, Urgency};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The patient password of every test account.
pub const PATIENT_PASSWORD: &str = "Hoshi-zora-42";

/// Quick retries so a stopped server is noticed fast.
pub const QUICK: SyncConfig = SyncConfig { batch_size: 100, max_attempts: 3, base_delay_ms: 20, max_delay_ms: 200 };

/// One phone.
pub struct Phone {
    pub core: Arc<MimamoriCore>,
    pub path: PathBuf,
    pub url: String,
    pub email: String,
    pub case: Option<Case>,
    config: SyncConfig,
}

impl Phone {
    /// Opens (or creates) the phone's database, connected to `url`.
    pub fn open(path: PathBuf, url: &str, email: &str) -> Phone {
        let core = MimamoriCore::open_with_server(path.to_string_lossy().into_owned(), url.to_owned()).expect("open the phone");
        core.set_sync_config(QUICK);
        Phone { core, path, url: url.to_owned(), email: email.to_owned(), case: None, config: QUICK }
    }

    pub fn set_config(&mut self, config: SyncConfig) {
        self.config = config;
        self.core.set_sync_config(config);
    }

    /// The app is killed and started again: the core is dropped and reopened.
    pub fn restart(&mut self) {
        let path = self.path.to_string_lossy().into_owned();
        self.core = MimamoriCore::open_with_server(path, self.url.clone()).expect("reopen the phone");
        self.core.set_sync_config(self.config);
    }

    /// The first registration, as the guide describes it: e-mail → code from the mail →
    /// password → attributes and input ID.
    pub fn register(&mut self, backend: &Backend, case: &Case) {
        let lang = Language::Ja;
        let seconds = self.core.request_code(self.email.clone(), lang).expect("send verification code");
        assert!(seconds > 0 && seconds <= 600);
        let code = backend.code_for(&self.email);
        self.core.verify_code(code, lang).expect("verify");
        self.core.set_password(PATIENT_PASSWORD.into(), lang).expect("password");
        let profile = self
            .core
            .submit_attributes(case.name.clone(), case.date_of_birth.clone(), case.phone.clone(), case.input_id.clone(), lang)
            .expect("attributes");
        assert_eq!(self.core.profile().expect("profile"), Some(profile));
        self.case = Some(case.clone());
    }

    /// Saves a report for `days_ago` days back; temperature and answers vary with `seed`.
    pub fn save(&self, days_ago: u64, seed: u64) -> Result<String, CoreError> {
        let tenths = 355 + seed % 50;
        let mut answers = vec![Some(AnswerChoice::No); 9];
        if seed.is_multiple_of(7) {
            answers[2] = Some(AnswerChoice::Yes);
        }
        if seed.is_multiple_of(11) {
            answers[3] = Some(AnswerChoice::Unknown);
        }
        let input = ReportInput {
            person_id: "self".into(),
            local_date: Some(crate::days_ago(days_ago)),
            kind: PersonKind::Infected,
            temperature: format!("{}.{}", tenths / 10, tenths % 10),
            answers,
        };
        self.core.save_report(input, Language::Ja).map(|s| s.report_id)
    }

    /// Syncs until everything is sent, riding out a server that is restarting.
    pub fn sync_until_done(&self) {
        for _ in 0..100 {
            match self.core.sync_now(Language::Ja) {
                Ok(s) if s.pending == 0 => return,
                Ok(_) | Err(CoreError::Network { .. } | CoreError::Server { .. }) => {}
                Err(e) => panic!("sync failed: {e:?}"),
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("sync did not finish");
    }

    /// Every report of the phone's owner on the phone: id → (date, tenths, answers, advice).
    pub fn local_reports(&self) -> HashMap<String, (String, u16, Vec<u8>, String)> {
        let conn = rusqlite::Connection::open(&self.path).expect("open phone database");
        let mut st = conn
            .prepare("SELECT id, local_date, temperature_tenths, answers, advice_level FROM reports WHERE person_id = 'self'")
            .expect("prepare");
        let rows = st
            .query_map([], |r| {
                let answers: String = r.get(3)?;
                let advice: String = r.get(4)?;
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, u16>(2)?, answers, advice))
            })
            .expect("query");
        rows.map(|row| {
            let (id, date, tenths, answers, advice) = row.expect("row");
            let codes = answers.bytes().map(|b| b - b'0').collect();
            (id, (date, tenths, codes, advice))
        })
        .collect()
    }

    /// Compares the phone with the server's reports of its case and checks the file.
    pub fn compare_with(&self, staff: &Staff) -> Tally {
        let case = self.case.as_ref().expect("registered");
        let local = self.local_reports();
        let server = staff.reports(case.id);
        let distinct: HashSet<&str> = server.iter().map(|r| r.id.as_str()).collect();
        let mut tally = Tally {
            saved_on_phones: local.len(),
            on_server: distinct.len(),
            duplicated: server.len() - distinct.len(),
            ..Tally::default()
        };
        for (id, (date, tenths, answers, advice)) in &local {
            match server.iter().find(|r| &r.id == id) {
                Some(r) => {
                    assert_eq!((&r.local_date, r.temperature_tenths, &r.answers), (date, *tenths, answers), "report {id} changed");
                    assert_eq!(r.advice, *advice, "the server's advice differs from the phone's for {id}");
                }
                None => tally.lost += 1,
            }
        }
        assert!(server.iter().all(|r| local.contains_key(&r.id)), "the server holds a report this phone never saved");
        assert_eq!(integrity_check(&self.path), "ok");
        tally.databases_checked = 1;
        tally
    }
}

/// The FFI urgency as the server names it.
pub fn urgency_code(u: Urgency) -> &'static str {
    match u {
        Urgency::NoAction => "none",
        Urgency::Watch => "watch",
        Urgency::CallNow => "call_now",
    }
}

/// Phones saving and syncing, each in its own thread, until [`Load::finish`]; errors
/// of a sync are ridden out (the reports stay queued).
pub struct Load {
    stop: Arc<AtomicBool>,
    workers: Vec<std::thread::JoinHandle<Phone>>,
    acknowledged: Arc<Mutex<HashSet<String>>>,
}

impl Load {
    /// Each round a phone saves `per_round` reports, syncs and pauses `pause`. With
    /// `track`, after a sync that left nothing pending every report the phone holds
    /// counts as acknowledged.
    pub fn start(phones: Vec<Phone>, per_round: u64, pause: Duration, track: bool) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let acknowledged: Arc<Mutex<HashSet<String>>> = Arc::default();
        let workers = phones
            .into_iter()
            .enumerate()
            .map(|(i, phone)| {
                let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
                std::thread::spawn(move || {
                    let mut n = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        for _ in 0..per_round {
                            phone.save(n % 30, n * 7 + i as u64).expect("save");
                            n += 1;
                        }
                        if let Ok(s) = phone.core.sync_now(Language::Ja)
                            && s.pending == 0
                            && track
                        {
                            acknowledged.lock().expect("lock").extend(phone.local_reports().into_keys());
                        }
                        std::thread::sleep(pause);
                    }
                    phone
                })
            })
            .collect();
        Load { stop, workers, acknowledged }
    }

    /// The reports acknowledged so far (with `track`).
    pub fn acknowledged(&self) -> HashSet<String> {
        self.acknowledged.lock().expect("lock").clone()
    }

    /// Stops the phones and hands them back.
    pub fn finish(self) -> Vec<Phone> {
        self.stop.store(true, Ordering::Relaxed);
        self.workers.into_iter().map(|w| w.join().expect("phone thread")).collect()
    }
}
