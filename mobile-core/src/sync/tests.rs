//! Unit tests of the outbox state machine and the account steps against the in-memory
//! server ([`super::fake`]): accepted rows leave the outbox, refused ones stay failed,
//! transient failures are retried, a 401 clears the token and keeps the reports, one
//! sync runs at a time, and saving never waits for the network.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use super::fake::{FakeServer, Fault};
use crate::api::MimamoriCore;
use crate::error::CoreError;
use crate::secrets::tests::MemoryToken;
use crate::secrets::{Secret, TokenStore};
use crate::storage::outbox;
use crate::types::{AnswerChoice, Language, PersonKind, RegistrationStep, ReportInput, SyncConfig, SyncErrorKind};
use std::sync::Arc;
use std::time::Duration;

pub(crate) const FAST: SyncConfig = SyncConfig { batch_size: 100, max_attempts: 3, base_delay_ms: 0, max_delay_ms: 10_000 };

pub(crate) struct Phone {
    pub core: Arc<MimamoriCore>,
    pub server: Arc<FakeServer>,
    pub tokens: Arc<MemoryToken>,
    _dir: tempfile::TempDir,
}

impl Phone {
    pub(crate) fn new(server: FakeServer) -> Phone {
        let dir = tempfile::tempdir().expect("tempdir");
        let server = Arc::new(server);
        let tokens = Arc::new(MemoryToken::default());
        tokens.set(&Secret::new("t0".into())).expect("token");
        let phone = Phone { core: Arc::new(open_core(&dir, &server, &tokens)), server, tokens, _dir: dir };
        phone.core.set_sync_config(FAST);
        phone
    }

    pub(crate) fn save(&self, temp: &str, days_ago: u64) -> String {
        self.save_for("self", temp, days_ago)
    }

    pub(crate) fn save_for(&self, person: &str, temp: &str, days_ago: u64) -> String {
        let date = chrono::Local::now().date_naive() - chrono::Days::new(days_ago);
        let input = ReportInput {
            person_id: person.into(),
            local_date: Some(date.to_string()),
            kind: PersonKind::Infected,
            temperature: temp.into(),
            answers: vec![Some(AnswerChoice::No); 9],
        };
        self.core.save_report(input, Language::En).expect("save").report_id
    }

    pub(crate) fn sync(&self) -> Result<crate::types::SyncStatus, CoreError> {
        self.core.sync_now(Language::En)
    }
}

pub(crate) fn open_core(dir: &tempfile::TempDir, server: &Arc<FakeServer>, tokens: &Arc<MemoryToken>) -> MimamoriCore {
    let path = dir.path().join("phone.db");
    let transport: Arc<dyn super::http::Transport> = server.clone();
    let tokens: Arc<dyn TokenStore> = tokens.clone();
    MimamoriCore::assemble(&path.to_string_lossy(), Some(transport), Some(tokens)).expect("open")
}

#[test]
fn accepted_reports_leave_the_outbox_and_the_advice_is_recorded() {
    let p = Phone::new(FakeServer::new("t0"));
    let well = p.save("36.5", 1);
    let fever = p.save("38.0", 0);
    assert_eq!(p.core.sync_status().unwrap().pending, 2);
    let status = p.sync().expect("sync");
    assert_eq!((status.pending, status.failed, status.last_error), (0, 0, None));
    assert!(status.last_success_at.is_some());
    assert_eq!(p.server.state().order, vec![well.clone(), fever.clone()]);
    let advice = |id: &str| p.core.store.read(|c| outbox::sent_advice(c, id)).unwrap();
    assert_eq!(advice(&well).as_deref(), Some("none"));
    assert_eq!(advice(&fever).as_deref(), Some("watch"));
    let today = p.core.today_status("self".into(), Language::En).unwrap().latest.unwrap();
    assert!(!today.pending_sync && !today.sync_failed);
    // Nothing left: a second sync sends nothing.
    p.sync().expect("sync");
    assert_eq!(p.server.state().batch_calls, 1);
}

#[test]
fn refused_and_conflicting_reports_stay_failed_with_the_reason() {
    let p = Phone::new(FakeServer::new("t0"));
    let old = p.save("36.5", 3);
    let ok = p.save("36.6", 0);
    p.server.state().closed_dates.insert((chrono::Local::now().date_naive() - chrono::Days::new(3)).to_string());
    let status = p.sync().expect("a refusal is not an error of the sync");
    assert_eq!((status.pending, status.failed), (0, 1));
    let failed = p.core.failed_reports().unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].report.report_id, old);
    assert_eq!(failed[0].reason_code, "outside_observation_period");
    assert!(failed[0].report.sync_failed && !failed[0].report.pending_sync);
    assert_eq!(p.server.state().order, vec![ok]);

    // The centre fixes the period; the person sends it again.
    p.server.state().closed_dates.clear();
    assert_eq!(p.core.retry_failed().unwrap(), 1);
    assert_eq!(p.sync().unwrap().failed, 0);
    assert_eq!(p.server.state().reports.len(), 2);

    // Another report under a used id: conflict, kept.
    let other = p.save("37.0", 0);
    let mut clash = p.server.state().reports[&old].clone();
    clash.id = other.clone();
    clash.temperature_tenths = 400;
    p.server.state().reports.insert(other.clone(), clash);
    let status = p.sync().unwrap();
    assert_eq!(status.failed, 1);
    assert_eq!(p.core.failed_reports().unwrap()[0].reason_code, "conflict");
    assert_eq!(p.core.history("self".into(), 1, Language::En).unwrap()[0].reports_that_day, 2, "nothing dropped");
}

#[test]
fn transient_failures_are_retried_within_one_sync() {
    let p = Phone::new(FakeServer::new("t0"));
    p.save("36.5", 0);
    p.server.push_faults(&[Fault::Down, Fault::Unavailable]);
    assert_eq!(p.sync().expect("third attempt works").pending, 0);
    assert_eq!(p.server.state().batch_calls, 3);

    p.save("36.5", 0);
    p.server.push_faults(&[Fault::Down, Fault::Down, Fault::Down]);
    assert!(matches!(p.sync(), Err(CoreError::Network { .. })));
    let status = p.core.sync_status().unwrap();
    assert_eq!((status.pending, status.last_error), (1, Some(SyncErrorKind::Network)));
    p.sync().expect("back online");
    assert_eq!(p.core.sync_status().unwrap().last_error, None);
}

#[test]
fn a_lost_answer_is_resent_and_applied_once() {
    let p = Phone::new(FakeServer::new("t0"));
    let ids: Vec<String> = (0..5).map(|d| p.save("36.5", d)).collect();
    p.server.push_faults(&[Fault::LostAnswer, Fault::LostAnswer, Fault::LostAnswer]);
    assert!(matches!(p.sync(), Err(CoreError::Network { .. })));
    assert_eq!(p.core.sync_status().unwrap().pending, 5, "the phone never heard");
    assert_eq!(p.server.state().order.len(), 5, "but the server committed");
    p.sync().expect("resend");
    assert_eq!(p.server.state().order, ids);
    assert_eq!(p.core.sync_status().unwrap().pending, 0);
}

#[test]
fn throttling_waits_as_told_or_gives_up() {
    let p = Phone::new(FakeServer::new("t0"));
    p.save("36.5", 0);
    p.server.push_faults(&[Fault::Throttled]);
    let started = std::time::Instant::now();
    p.sync().expect("after the wait");
    assert!(started.elapsed() >= Duration::from_millis(900), "Retry-After: 1 was honoured");
    p.save("36.5", 0);
    p.core.set_sync_config(SyncConfig { max_delay_ms: 100, ..FAST });
    p.server.push_faults(&[Fault::Throttled]);
    assert!(matches!(p.sync(), Err(CoreError::Throttled { retry_after_seconds: 1, .. })));
    assert_eq!(p.core.sync_status().unwrap().last_error, Some(SyncErrorKind::Throttled));
}

#[test]
fn a_rejected_token_is_cleared_and_every_report_kept() {
    let p = Phone::new(FakeServer::new("t0"));
    p.save("36.5", 1);
    p.save("36.7", 0);
    p.server.push_faults(&[Fault::Unauthorized]);
    assert!(matches!(p.sync(), Err(CoreError::Unauthorized { .. })));
    assert!(!p.core.is_logged_in().unwrap());
    assert_eq!(p.core.sync_status().unwrap().pending, 2);
    assert_eq!(p.core.sync_status().unwrap().last_error, Some(SyncErrorKind::Unauthorized));
    assert!(matches!(p.sync(), Err(CoreError::Unauthorized { .. })), "no token, no request");
    assert_eq!(p.server.state().batch_calls, 1);
    p.tokens.set(&Secret::new("t0".into())).unwrap();
    assert_eq!(p.sync().unwrap().pending, 0);
}

#[test]
fn a_refused_request_marks_its_batch_failed_and_goes_on() {
    let p = Phone::new(FakeServer::new("t0"));
    p.core.set_sync_config(SyncConfig { batch_size: 2, ..FAST });
    for d in 0..3 {
        p.save("36.5", d);
    }
    p.server.push_faults(&[Fault::Unprocessable]);
    let status = p.sync().unwrap();
    assert_eq!((status.pending, status.failed), (0, 2));
    assert_eq!(p.core.failed_reports().unwrap()[0].reason_code, "invalid_body");
    assert_eq!(p.server.state().reports.len(), 1);
}

#[test]
fn unknown_answers_keep_the_report_pending() {
    let p = Phone::new(FakeServer::new("t0"));
    let id = p.save("36.5", 0);
    p.server.state().unknown_ids.insert(id);
    assert!(matches!(p.sync(), Err(CoreError::Server { ref code, .. }) if code == "bad_response"));
    assert_eq!(p.core.sync_status().unwrap().pending, 1);
}

#[test]
fn big_backlogs_go_in_batches_of_at_most_a_hundred() {
    let p = Phone::new(FakeServer::new("t0"));
    p.core.set_sync_config(SyncConfig { batch_size: 500, ..FAST });
    for i in 0..250 {
        p.save("36.5", i % 30);
    }
    assert_eq!(p.sync().unwrap().pending, 0);
    let s = p.server.state();
    assert_eq!((s.batch_calls, s.reports.len()), (3, 250));
}

#[test]
fn household_reports_stay_on_the_phone() {
    let p = Phone::new(FakeServer::new("t0"));
    let own = p.save("36.5", 0);
    // Nobody can report for a person who is not on this phone...
    let input = |person: &str| ReportInput {
        person_id: person.into(),
        local_date: None,
        kind: PersonKind::Infected,
        temperature: "36.9".into(),
        answers: vec![Some(AnswerChoice::No); 9],
    };
    let refused = p.core.save_report(input("grandmother"), Language::Ja);
    assert!(matches!(refused, Err(CoreError::Invalid { ref field, .. }) if field == "person_id"), "{refused:?}");
    assert_eq!(p.core.pending_sync_count().unwrap(), 1, "nothing saved");
    // ...but such a report from an older app (saved before members were linked) is
    // kept on the phone with its reason, never sent as the owner's.
    let valid = crate::model::validate_report(&input("grandmother"), chrono::Local::now().date_naive(), protocol::Lang::En).unwrap();
    p.core.store.write(|tx| crate::storage::reports::insert(tx, "older-app", &valid, &super::now_utc(), protocol::AdviceLevel::NoAction)).unwrap();
    let status = p.sync().unwrap();
    assert_eq!((status.pending, status.failed), (0, 1));
    assert_eq!(p.core.failed_reports().unwrap()[0].reason_code, super::HOUSEHOLD_CODE);
    assert_eq!(p.server.state().order, vec![own]);
}

#[test]
fn one_sync_at_a_time_and_saving_never_waits_for_it() {
    let mut server = FakeServer::new("t0");
    server.latency = Duration::from_millis(150);
    let p = Phone::new(server);
    p.core.set_sync_config(SyncConfig { batch_size: 1, ..FAST });
    for d in 0..3 {
        p.save("36.5", d);
    }
    let syncs: Vec<_> = (0..3)
        .map(|_| {
            let core = Arc::clone(&p.core);
            std::thread::spawn(move || core.sync_now(Language::Ja))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(50));
    let started = std::time::Instant::now();
    p.save("36.5", 0);
    assert!(started.elapsed() < Duration::from_millis(150), "saving did not wait for the upload");
    for s in syncs {
        s.join().unwrap().expect("every caller gets its answer");
    }
    p.sync().unwrap();
    assert_eq!(p.server.max_in_flight.load(std::sync::atomic::Ordering::SeqCst), 1);
    let s = p.server.state();
    assert_eq!(s.order.len(), 4);
    assert_eq!(s.batch_calls, 4, "each report sent once: waiting callers found nothing left");
}

#[test]
fn registration_runs_screen_by_screen_and_stores_the_profile() {
    let p = Phone::new(FakeServer::new("nobody"));
    p.tokens.delete().unwrap();
    let lang = Language::Ja;
    let step = |r: Result<(), CoreError>| r.expect("step");
    assert!(matches!(p.core.verify_code("123456".into(), lang), Err(CoreError::Invalid { ref field, .. }) if field == "registration"));
    assert_eq!(p.core.request_code("a@example.jp".into(), lang).unwrap(), 600);
    assert!(matches!(p.core.set_password("Kumo-no-ue-9".into(), lang), Err(CoreError::Invalid { .. })), "not verified yet");
    assert!(matches!(p.core.verify_code("000000".into(), lang), Err(CoreError::Invalid { ref field, .. }) if field == "code"));
    step(p.core.verify_code("123456".into(), lang));
    step(p.core.set_password("Kumo-no-ue-9".into(), lang));
    let attrs = |input: &str| p.core.submit_attributes("山田 太郎".into(), "1980-04-01".into(), "09012345678".into(), input.into(), lang);
    assert!(matches!(attrs("7654321"), Err(CoreError::Server { ref code, .. }) if code == "registration_mismatch"));
    assert!(!p.core.is_logged_in().unwrap());
    let profile = attrs("1234567").expect("registered");
    assert_eq!((profile.kind, profile.centre_name.as_str()), (PersonKind::CloseContact, "みなと保健所"));
    assert!(p.core.is_logged_in().unwrap());
    assert_eq!(p.core.profile().unwrap(), Some(profile));
    let contact = p.core.emergency_contact().unwrap().expect("contact from the profile");
    assert_eq!(contact.phone_number, "03-1234-5678");
    // The registration is over: its steps cannot be replayed.
    assert!(matches!(p.core.set_password("Kumo-no-ue-9".into(), lang), Err(CoreError::Invalid { .. })));
    p.save("36.5", 0);
    assert_eq!(p.sync().unwrap().pending, 0);
}

#[test]
fn a_registration_resumes_after_the_app_is_closed_at_any_step() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Arc::new(FakeServer::new("nobody"));
    let tokens = Arc::new(MemoryToken::default());
    let lang = Language::Ja;
    let step = |core: &MimamoriCore| core.registration_progress().expect("progress").map(|p| p.step);
    let core = open_core(&dir, &server, &tokens);
    assert_eq!(step(&core), None);
    core.request_code("a@example.jp".into(), lang).expect("code");
    assert_eq!(step(&core), Some(RegistrationStep::EnterCode));
    // Closed after the code mail: the code is entered in the reopened app.
    drop(core);
    let core = open_core(&dir, &server, &tokens);
    assert_eq!(step(&core), Some(RegistrationStep::EnterCode));
    let again = core.registration_progress().expect("progress").map(|p| p.email);
    assert_eq!(again.as_deref(), Some("a@example.jp"), "the address for sending the code again survives the restart");
    core.verify_code("123456".into(), lang).expect("verify");
    drop(core);
    let core = open_core(&dir, &server, &tokens);
    let progress = core.registration_progress().expect("progress").expect("in progress");
    assert_eq!(progress.step, RegistrationStep::SetPassword);
    assert!(progress.expires_at > chrono::Utc::now().to_rfc3339(), "{}", progress.expires_at);
    core.set_password("Kumo-no-ue-9".into(), lang).expect("password");
    drop(core);
    let core = open_core(&dir, &server, &tokens);
    assert_eq!(step(&core), Some(RegistrationStep::EnterAttributes));
    core.submit_attributes("山田 太郎".into(), "1980-04-01".into(), "09012345678".into(), "1234567".into(), lang).expect("registered");
    assert_eq!(step(&core), None, "finished: forgotten");
    assert!(core.is_logged_in().expect("logged in"));
    // The registration token never lands in the database file.
    let bytes = std::fs::read(dir.path().join("phone.db")).expect("read");
    assert!(!bytes.windows(9).any(|w| w == b"reg-token"));

    // Abandoned: the steps after the code need a new code.
    core.request_code("b@example.jp".into(), lang).expect("code");
    core.verify_code("123456".into(), lang).expect("verify");
    core.cancel_registration().expect("cancel");
    assert_eq!(step(&core), None);
    assert!(matches!(core.set_password("Kumo-no-ue-9".into(), lang), Err(CoreError::Invalid { ref field, .. }) if field == "registration"));
}

#[test]
fn a_registration_the_server_let_expire_starts_again_from_the_email_in_its_words() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Arc::new(FakeServer::new("nobody"));
    let tokens = Arc::new(MemoryToken::default());
    let core = open_core(&dir, &server, &tokens);
    core.request_code("a@example.jp".into(), Language::En).expect("code");
    core.verify_code("123456".into(), Language::En).expect("verify");
    server.state().registration_expired = true;
    let refused = core.set_password("Kumo-no-ue-9".into(), Language::En);
    // The whole registration is named (not the password), so the screen goes back to
    // the e-mail with the message; nothing of it is kept.
    assert!(matches!(refused, Err(CoreError::Invalid { ref field, .. }) if field == "registration"), "{refused:?}");
    assert_eq!(core.registration_progress().expect("progress"), None);
    // A new code and it goes through.
    server.state().registration_expired = false;
    core.request_code("a@example.jp".into(), Language::En).expect("code");
    core.verify_code("123456".into(), Language::En).expect("verify");
    core.set_password("Kumo-no-ue-9".into(), Language::En).expect("password");
}

#[test]
fn login_refusals_are_not_session_errors_and_logout_keeps_reports() {
    let p = Phone::new(FakeServer::new("nobody"));
    p.tokens.delete().unwrap();
    let lang = Language::En;
    assert!(matches!(p.core.request_code("throttled@example.jp".into(), lang), Err(CoreError::Throttled { .. })));
    let wrong = p.core.login("a@example.jp".into(), "Wrong-Pass-1".into(), lang);
    assert!(matches!(wrong, Err(CoreError::Server { ref code, ref reason }) if code == "login_failed" && !reason.contains("Wrong")));
    let profile = p.core.login("a@example.jp".into(), "Right-Pass-1".into(), lang).expect("login");
    assert_eq!(profile.period_end, "2026-01-14");
    p.save("36.5", 0);
    p.core.logout(lang).unwrap();
    assert!(!p.core.is_logged_in().unwrap());
    assert!(p.server.state().token.is_empty(), "the server ended the session");
    assert_eq!(p.core.sync_status().unwrap().pending, 1);
    assert!(p.core.profile().unwrap().is_some(), "the profile stays for offline warnings");
    assert!(matches!(p.sync(), Err(CoreError::Unauthorized { .. })));
    assert_eq!(p.core.sync_status().unwrap().last_error, Some(SyncErrorKind::Unauthorized));
    p.core.login("a@example.jp".into(), "Right-Pass-1".into(), lang).expect("login again");
    assert_eq!(p.core.sync_status().unwrap().last_error, None, "logging in again ends the error");
    assert_eq!(p.sync().unwrap().pending, 0);
}

#[test]
fn an_offline_core_refuses_network_calls_but_saves() {
    let dir = tempfile::tempdir().unwrap();
    let core = MimamoriCore::open(dir.path().join("p.db").to_string_lossy().into_owned()).unwrap();
    assert!(matches!(core.sync_now(Language::En), Err(CoreError::Network { .. })));
    assert!(matches!(core.login("a@b.jp".into(), "x".into(), Language::En), Err(CoreError::Network { .. })));
    assert!(matches!(
        MimamoriCore::open_with_transport(
            dir.path().join("q.db").to_string_lossy().into_owned(),
            "http://example.jp".into(),
            Arc::new(crate::transport::Unreachable)
        ),
        Err(CoreError::Invalid { ref field, .. }) if field == "server_url"
    ));
}
