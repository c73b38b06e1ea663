//! Household members (代理入力) end to end: the real server process and the phone core.
//! A signed-in patient adds the grandmother by her attributes and input ID (a mismatch
//! is refused), reports for her land on her own case at the health centre, exactly
//! once, beside the patient's own; no report can be saved for someone never added or
//! unlinked; unlinking keeps her reports at the centre, and adding her again lets new
//! ones go out. Under SIGKILLs of the server mid-upload, a household's reports
//! for two people end up on their two cases with nothing lost or duplicated.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use e2e::backend::Backend;
use e2e::phone::Phone;
use e2e::staff::Staff;
use e2e::{Rng, Tally, days_ago, days_ahead, env_number};
use mobile_core::{AnswerChoice, CoreError, Language, PersonKind, ReportInput};
use std::collections::{HashMap, HashSet};

const ADMIN: &str = "admin@household.example.jp";

fn report_for(phone: &Phone, person_id: &str, breathless: bool) -> String {
    let mut answers = vec![Some(AnswerChoice::No); 9];
    if breathless {
        answers[2] = Some(AnswerChoice::Yes);
    }
    let input = ReportInput { person_id: person_id.into(), local_date: None, kind: PersonKind::Infected, temperature: "36.8".into(), answers };
    phone.core.save_report(input, Language::Ja).expect("save").report_id
}

#[test]
fn reports_for_a_linked_household_member_land_on_her_own_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = Backend::start(&dir.path().join("server"));
    backend.create_centre("みなと保健所", "03-1234-5678", "J-HOUSE", ADMIN);
    let staff = Staff::login(&backend.url(), ADMIN, e2e::backend::ADMIN_PASSWORD);
    let own = staff.create_case(1, "infected", &days_ago(2), &days_ahead(7));
    // The grandmother is observed by another centre, with its own emergency number.
    backend.create_centre("さくら保健所", "045-111-2222", "J-HOUSE-2", "admin2@household.example.jp");
    let other = Staff::login(&backend.url(), "admin2@household.example.jp", e2e::backend::ADMIN_PASSWORD);
    let grandma = other.create_case(2, "infected", &days_ago(1), &days_ahead(8));
    let mut phone = Phone::open(dir.path().join("phone.db"), &backend.url(), "house@example.jp");
    phone.register(&backend, &own);
    let lang = Language::Ja;
    assert_eq!(phone.core.people(lang).expect("people").iter().map(|p| p.person_id.as_str()).collect::<Vec<_>>(), ["self"]);

    // Someone never added: no report can be saved for them.
    let stranger = ReportInput { person_id: "neighbour".into(), local_date: None, kind: PersonKind::Infected, temperature: "36.8".into(), answers: vec![Some(AnswerChoice::No); 9] };
    assert!(matches!(phone.core.save_report(stranger, lang), Err(CoreError::Invalid { ref field, .. }) if field == "person_id"));
    assert_eq!(phone.core.pending_sync_count().expect("pending"), 0, "nothing was saved");
    let wrong = phone.core.add_household_member(grandma.name.clone(), "1900-01-01".into(), grandma.phone.clone(), grandma.input_id.clone(), lang);
    assert!(matches!(wrong, Err(CoreError::Server { ref code, .. }) if code == "registration_mismatch"), "{wrong:?}");
    let added = phone
        .core
        .add_household_member(grandma.name.clone(), grandma.date_of_birth.clone(), grandma.phone.clone(), grandma.input_id.clone(), lang)
        .expect("add the grandmother");
    assert!(added.linked && added.person_id != "self");
    assert_eq!((added.name.as_str(), added.centre_name.as_deref()), (grandma.name.as_str(), Some("さくら保健所")));
    let people = phone.core.people(lang).expect("people");
    assert_eq!(people.len(), 2);

    let hers = report_for(&phone, &added.person_id, true);
    let mine = report_for(&phone, "self", false);
    let queue = |person: &str| phone.core.person_sync_status(person.into(), lang).expect("queue");
    assert_eq!(queue(&added.person_id).pending, 1);
    let status = phone.core.sync_now(lang).expect("sync");
    assert_eq!((status.pending, status.failed), (0, 0));
    assert_eq!((queue(&added.person_id).pending, queue(&added.person_id).failed), (0, 0));
    // Each report on its own person's case; her today shows her urgent report.
    assert_eq!(other.reports(grandma.id).iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [hers.as_str()]);
    assert_eq!(staff.reports(own.id).iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [mine.as_str()]);
    // Her urgent advice names her own centre's number, not the owner's.
    let today = phone.core.today_status(added.person_id.clone(), lang).expect("today");
    let advice = today.advice.expect("advice");
    assert!(today.reported_today && advice.show_emergency_number);
    assert_eq!(advice.emergency.map(|e| e.phone_number), Some("045-111-2222".to_owned()));
    assert!(advice.call_instruction.contains("さくら保健所"), "{}", advice.call_instruction);
    // Sending again changes nothing: exactly once.
    assert_eq!(phone.core.sync_now(lang).expect("sync").pending, 0);
    assert_eq!(other.reports(grandma.id).len(), 1);

    // Unlinked: her old report stays at the centre; no new one can be saved for her.
    phone.core.remove_household_member(added.person_id.clone(), lang).expect("unlink");
    assert!(!phone.core.people(lang).expect("people")[1].linked);
    let unlinked = ReportInput { person_id: added.person_id.clone(), local_date: None, kind: PersonKind::Infected, temperature: "36.8".into(), answers: vec![Some(AnswerChoice::No); 9] };
    assert!(matches!(phone.core.save_report(unlinked, lang), Err(CoreError::Invalid { ref field, .. }) if field == "person_id"));
    assert_eq!(phone.core.sync_now(lang).expect("sync").failed, 0);
    assert_eq!(other.reports(grandma.id).len(), 1);
    assert!(matches!(phone.core.remove_household_member(added.person_id.clone(), lang), Err(CoreError::Invalid { .. })));

    // Added again: the same person, and the report kept for her goes out.
    let again = phone
        .core
        .add_household_member(grandma.name.clone(), grandma.date_of_birth.clone(), grandma.phone.clone(), grandma.input_id.clone(), lang)
        .expect("add again");
    assert_eq!(again.person_id, added.person_id);
    let later = report_for(&phone, &added.person_id, false);
    let status = phone.core.sync_now(lang).expect("sync");
    assert_eq!((status.pending, status.failed), (0, 0));
    let on_server: Vec<String> = other.reports(grandma.id).into_iter().map(|r| r.id).collect();
    assert_eq!(on_server.len(), 2);
    assert!(on_server.contains(&hers) && on_server.contains(&later));

    // Logging out unlinks the members on this phone: another account signing in here
    // never sends for them; adding her again after the next login links her again.
    phone.core.logout(lang).expect("logout");
    assert!(phone.core.people(lang).expect("people").iter().skip(1).all(|p| !p.linked));
    phone.core.login(phone.email.clone(), e2e::phone::PATIENT_PASSWORD.into(), lang).expect("login");
    let back = phone
        .core
        .add_household_member(grandma.name.clone(), grandma.date_of_birth.clone(), grandma.phone.clone(), grandma.input_id.clone(), lang)
        .expect("add after login");
    assert!(back.linked && back.person_id == added.person_id);
}

/// Every report on the phone for `person_id`.
fn reports_on_phone(phone: &Phone, person_id: &str) -> HashSet<String> {
    let conn = rusqlite::Connection::open(&phone.path).expect("open phone database");
    let mut st = conn.prepare("SELECT id FROM reports WHERE person_id = ?1").expect("prepare");
    st.query_map([person_id], |r| r.get(0)).expect("query").collect::<Result<_, _>>().expect("rows")
}

#[test]
fn kill_9_during_a_households_uploads_loses_and_duplicates_nothing() {
    let rounds = env_number("MIMAMORI_E2E_ROUNDS", 10) / 2 + 1;
    let mut rng = Rng::from_env("household-kill-9");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut backend = Backend::start(&dir.path().join("server"));
    backend.create_centre("かもめ保健所", "03-9999-0000", "J-HKILL", ADMIN);
    let staff = Staff::login(&backend.url(), ADMIN, e2e::backend::ADMIN_PASSWORD);
    let own = staff.create_case(1, "infected", &days_ago(1), &days_ahead(8));
    let member = staff.create_case(2, "infected", &days_ago(1), &days_ahead(8));
    let mut phone = Phone::open(dir.path().join("phone.db"), &backend.url(), "hk@example.jp");
    phone.register(&backend, &own);
    let grandma = phone
        .core
        .add_household_member(member.name.clone(), member.date_of_birth.clone(), member.phone.clone(), member.input_id.clone(), Language::Ja)
        .expect("add")
        .person_id;
    let mut interrupted = 0;
    for _ in 0..rounds {
        for _ in 0..rng.range(5, 30) {
            let person = if rng.chance(50) { "self" } else { grandma.as_str() };
            report_for(&phone, person, rng.chance(10));
        }
        let core = phone.core.clone();
        let upload = std::thread::spawn(move || core.sync_now(Language::Ja));
        std::thread::sleep(rng.millis(0, 30));
        backend.kill9();
        match upload.join().expect("upload thread") {
            Ok(_) => {}
            Err(CoreError::Network { .. } | CoreError::Server { .. }) => interrupted += 1,
            Err(e) => panic!("unexpected {e:?}"),
        }
        report_for(&phone, &grandma, false);
        if rng.chance(30) {
            phone.restart();
        }
        backend.restart();
    }
    phone.sync_until_done();
    let mut tally = Tally::default();
    for (person, case) in [("self", &own), (grandma.as_str(), &member)] {
        let on_phone = reports_on_phone(&phone, person);
        let mut seen: HashMap<String, usize> = HashMap::new();
        for r in staff.reports(case.id) {
            *seen.entry(r.id).or_default() += 1;
        }
        tally.saved_on_phones += on_phone.len();
        tally.on_server += seen.len();
        tally.lost += on_phone.iter().filter(|id| !seen.contains_key(*id)).count();
        tally.duplicated += seen.values().map(|n| n - 1).sum::<usize>() + seen.keys().filter(|id| !on_phone.contains(*id)).count();
    }
    backend.kill9();
    assert_eq!(e2e::integrity_check(&backend.db_path()), "ok");
    tally.databases_checked += 1;
    println!("household kill-9: {rounds} rounds, {interrupted} uploads cut off by the kill");
    tally.print_and_check("household kill-9");
}
