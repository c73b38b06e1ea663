//! The registration guide and daily reporting end to end, against the real server
//! process: a centre made with the CLI, a case made with the staff API, the whole
//! guide driven through the core (code read from the mail folder), reports on several
//! days — some saved while the server is stopped — then a sync, after which the
//! centre's API shows exactly the phone's reports with the same advice. Also: an ended
//! session (401) keeps every report until the next login, and the time a 30-day
//! backlog takes to sync.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use e2e::backend::Backend;
use e2e::phone::{PATIENT_PASSWORD, Phone, urgency_code};
use e2e::staff::Staff;
use e2e::{Tally, days_ago, days_ahead};
use mobile_core::{CoreError, Language, MimamoriCore, PersonKind, SyncErrorKind};
use std::time::Instant;

const ADMIN: &str = "admin@guide.example.jp";

/// The phone's session token, read from the keystore the way the core files it (the
/// test's keystore is keyring-core's in-memory mock, in this process).
fn token_of(phone: &Phone) -> String {
    let conn = rusqlite::Connection::open(&phone.path).expect("open");
    let install: String = conn.query_row("SELECT install_id FROM sync_meta", [], |r| r.get(0)).expect("install id");
    keyring_core::Entry::new("jp.mimamori.session", &install).expect("entry").get_password().expect("token")
}

#[test]
fn the_whole_guide_then_offline_days_then_one_sync() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut backend = Backend::start(&dir.path().join("server"));
    backend.create_centre("みなと保健所", "03-1234-5678", "J-GUIDE", ADMIN);
    let staff = Staff::login(&backend.url(), ADMIN, e2e::backend::ADMIN_PASSWORD);
    let case = staff.create_case(1, "infected", &days_ago(35), &days_ahead(5));

    // Steps 1–6 of the guide; a first attempt with a wrong input ID is refused with
    // the one message that tells the person to call the centre.
    let mut phone = Phone::open(dir.path().join("phone.db"), &backend.url(), "taro@example.jp");
    let lang = Language::Ja;
    phone.core.request_code(phone.email.clone(), lang).expect("code");
    assert!(matches!(phone.core.verify_code("000000".into(), lang), Err(CoreError::Invalid { ref field, .. }) if field == "code"));
    phone.core.verify_code(backend.code_for(&phone.email), lang).expect("verify");
    let weak = phone.core.set_password("password".into(), lang);
    assert!(matches!(weak, Err(CoreError::Invalid { ref field, .. }) if field == "password"), "{weak:?}");
    phone.core.set_password(PATIENT_PASSWORD.into(), lang).expect("password");
    let wrong_id = if case.input_id == "1111111" { "2222222" } else { "1111111" };
    let mismatch = phone.core.submit_attributes(case.name.clone(), case.date_of_birth.clone(), case.phone.clone(), wrong_id.into(), lang);
    assert!(matches!(mismatch, Err(CoreError::Server { ref code, ref reason }) if code == "registration_mismatch" && reason.contains("保健所")));
    let profile = phone
        .core
        .submit_attributes(case.name.clone(), case.date_of_birth.clone(), case.phone.clone(), case.input_id.clone(), lang)
        .expect("registered");
    phone.case = Some(case.clone());
    assert_eq!((profile.kind, profile.centre_name.as_str()), (PersonKind::Infected, "みなと保健所"));
    let contact = phone.core.emergency_contact().expect("contact").expect("set from the profile");
    assert_eq!(contact.phone_number, "03-1234-5678");

    // Step 7–8: today's report, online.
    let first = phone.save(0, 3).expect("save");
    assert_eq!(phone.core.sync_now(lang).expect("sync").pending, 0);

    // The server goes away; the person keeps reporting for the days it missed.
    backend.kill9();
    let mut offline = Vec::new();
    for d in [3u64, 2, 1, 0] {
        offline.push(phone.save(d, d * 7).expect("saving works with no server"));
    }
    assert!(matches!(phone.core.sync_now(lang), Err(CoreError::Network { .. })));
    let status = phone.core.sync_status().expect("status");
    assert_eq!((status.pending, status.last_error), (4, Some(SyncErrorKind::Network)));
    let today = phone.core.today_status("self".into(), lang).expect("today");
    assert_eq!(today.latest.as_ref().map(|r| r.report_id.as_str()), offline.last().map(String::as_str));
    assert!(today.advice.is_some(), "warnings work offline");

    backend.restart();
    let status = phone.core.sync_now(lang).expect("sync after the restart");
    assert_eq!((status.pending, status.failed, status.last_error), (0, 0, None));

    // The centre sees exactly the phone's reports, with the same advice.
    let tally = phone.compare_with(&staff);
    assert_eq!(tally.saved_on_phones, 5);
    let server = staff.reports(case.id);
    assert!(server.iter().any(|r| r.id == first));
    for day in phone.core.history("self".into(), 7, lang).expect("history") {
        if let Some(r) = day.report {
            let on_server = server.iter().find(|s| s.id == r.report_id).expect("on the server");
            assert_eq!(on_server.advice, urgency_code(r.urgency));
            assert!(!r.pending_sync);
        }
    }

    // The server ends the session: the next sync says "log in again" and keeps the
    // report; after the login it goes.
    staff.end_session(&token_of(&phone));
    let late = phone.save(0, 5).expect("save");
    assert!(matches!(phone.core.sync_now(lang), Err(CoreError::Unauthorized { .. })));
    assert!(!phone.core.is_logged_in().expect("logged in?"));
    assert_eq!(phone.core.sync_status().expect("status").pending, 1);
    phone.core.login(phone.email.clone(), PATIENT_PASSWORD.into(), lang).expect("login");
    assert_eq!(phone.core.sync_now(lang).expect("sync").pending, 0);
    assert!(staff.reports(case.id).iter().any(|r| r.id == late));

    // Logout forgets the token; the reports and the emergency contact stay.
    phone.core.logout(lang).expect("logout");
    assert!(!phone.core.is_logged_in().expect("logged in?"));
    assert!(phone.core.emergency_contact().expect("contact").is_some());

    // An app restart keeps everything.
    drop(phone.core);
    let reopened = MimamoriCore::open_with_server(phone.path.to_string_lossy().into_owned(), backend.url()).expect("reopen");
    assert_eq!(reopened.history("self".into(), 4, lang).expect("history").iter().filter(|d| d.report.is_some()).count(), 4);
    phone.core = reopened;
    let mut total = Tally::default();
    total.add(phone.compare_with(&staff));
    backend.kill9();
    assert_eq!(e2e::integrity_check(&backend.db_path()), "ok");
    total.databases_checked += 1;
    total.print_and_check("guide");
}

#[test]
fn a_thirty_day_backlog_syncs_in_one_call() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = Backend::start(&dir.path().join("server"));
    backend.create_centre("さくら保健所", "045-111-2222", "J-BACKLOG", "admin@backlog.example.jp");
    let staff = Staff::login(&backend.url(), "admin@backlog.example.jp", e2e::backend::ADMIN_PASSWORD);
    let case = staff.create_case(2, "close_contact", &days_ago(40), &days_ahead(5));
    let mut phone = Phone::open(dir.path().join("phone.db"), &backend.url(), "hanako@example.jp");
    phone.register(&backend, &case);
    for d in (0..30u64).rev() {
        phone.save(d, d).expect("save");
    }
    assert_eq!(phone.core.sync_status().expect("status").pending, 30);
    let started = Instant::now();
    let status = phone.core.sync_now(Language::Ja).expect("sync");
    let took = started.elapsed();
    assert_eq!(status.pending, 0);
    println!("backlog: 30 reports (one per day for 30 days) synced in {} ms", took.as_millis());
    let mut tally = phone.compare_with(&staff);
    assert_eq!(tally.on_server, 30);
    drop(backend);
    assert_eq!(e2e::integrity_check(&dir.path().join("server/server.db")), "ok");
    tally.databases_checked += 1;
    tally.print_and_check("backlog");
}
