//! The exported API driven as a phone shell drives it: save → status → history →
//! triage, the urgent checklist with the stored emergency number, and the failure
//! paths (bad input, a corrupt file, a failing write) that must change nothing.

#![allow(clippy::expect_used)] // a test's helpers panic on failure by design

use mobile_core::{
    AnswerChoice, ChecklistInput, CoreError, EmergencyContact, Language, MimamoriCore, PersonKind, ReportInput,
    Urgency,
};
use std::sync::Arc;

const ALL_NO: [&str; 9] = ["2"; 9];

fn answers(codes: &str) -> Vec<Option<AnswerChoice>> {
    codes
        .chars()
        .map(|c| match c {
            '1' => Some(AnswerChoice::Yes),
            '2' => Some(AnswerChoice::No),
            '9' => Some(AnswerChoice::Unknown),
            _ => None,
        })
        .collect()
}

fn report(kind: PersonKind, temp: &str, codes: &str, date: Option<String>) -> ReportInput {
    ReportInput { person_id: "self".into(), local_date: date, kind, temperature: temp.into(), answers: answers(codes) }
}

fn days_ago(n: u64) -> String {
    (chrono::Local::now().date_naive() - chrono::Days::new(n)).to_string()
}

fn open(dir: &tempfile::TempDir) -> Arc<MimamoriCore> {
    MimamoriCore::open(dir.path().join("core.db").to_string_lossy().into_owned()).expect("open")
}

fn contact() -> EmergencyContact {
    EmergencyContact { centre_name: "〇〇保健所".into(), phone_number: "03-1234-5678".into() }
}

#[test]
fn save_status_history_and_triage_as_a_shell_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = open(&dir);
    let status = core.today_status("self".into(), Language::Ja).expect("status");
    assert!(!status.reported_today && status.latest.is_none() && status.advice.is_none());

    core.set_emergency_contact(contact(), Language::Ja).expect("contact");
    for n in [3u64, 2, 1] {
        core.save_report(report(PersonKind::Infected, "36.6", &ALL_NO.concat(), Some(days_ago(n))), Language::Ja)
            .expect("earlier day");
    }
    let first = core.save_report(report(PersonKind::Infected, "36.5", &ALL_NO.concat(), None), Language::Ja).expect("save");
    assert_eq!(first.advice.urgency, Urgency::NoAction);
    assert!(!first.advice.show_emergency_number);

    // A second report the same day: breathless, feverish. Kept, and now the day's report.
    let second = core.save_report(report(PersonKind::Infected, "38.0", "221222222", None), Language::Ja).expect("save");
    assert_ne!(first.report_id, second.report_id);
    assert_eq!(second.advice.urgency, Urgency::CallNow);
    assert!(second.advice.show_emergency_number);
    assert_eq!(second.advice.emergency, Some(contact()));
    assert_eq!(second.advice.check_groups.len(), 1);
    assert_eq!(second.advice.check_groups[0].title, "息苦しさ等");
    assert_eq!(second.advice.check_groups[0].symptoms.len(), 7);
    assert!(second.advice.reasons.contains(&"息苦しさがある".to_owned()), "{:?}", second.advice.reasons);
    assert!(second.advice.reasons.iter().any(|r| r.contains("38.0")));

    let status = core.today_status("self".into(), Language::En).expect("status");
    assert!(status.reported_today);
    let latest = status.latest.expect("latest");
    assert_eq!(latest.report_id, second.report_id);
    assert_eq!(latest.temperature_tenths, 380);
    assert_eq!(latest.answers[2], AnswerChoice::Yes);
    assert!(latest.pending_sync);
    let advice = status.advice.expect("advice");
    assert_eq!(advice.urgency, Urgency::CallNow);
    assert_eq!(advice.headline, "Call your health centre's emergency number now.");
    assert_eq!(status.pending_sync, 5);

    let history = core.history("self".into(), 7, Language::Ja).expect("history");
    assert_eq!(history.len(), 7);
    assert_eq!(history.last().map(|d| d.local_date.clone()), Some(days_ago(0)));
    assert_eq!(history[0].local_date, days_ago(6));
    let counts: Vec<u32> = history.iter().map(|d| d.reports_that_day).collect();
    assert_eq!(counts, vec![0, 0, 0, 1, 1, 1, 2]);
    let temps: Vec<Option<u16>> = history.iter().map(|d| d.report.as_ref().map(|r| r.temperature_tenths)).collect();
    assert_eq!(temps, vec![None, None, None, Some(366), Some(366), Some(366), Some(380)]);
    assert_eq!(core.pending_sync_count().expect("pending"), 5);

    // Another person in the household has a history of their own.
    let other = core.history("grandmother".into(), 7, Language::Ja).expect("history");
    assert!(other.iter().all(|d| d.report.is_none()));
}

#[test]
fn reports_survive_closing_and_reopening_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = {
        let core = open(&dir);
        core.save_report(report(PersonKind::CloseContact, "37.5", &ALL_NO.concat(), None), Language::Ja).expect("save")
    };
    assert_eq!(saved.advice.urgency, Urgency::CallNow, "a close contact's fever means call");
    let core = open(&dir);
    let status = core.today_status("self".into(), Language::Ja).expect("status");
    assert_eq!(status.latest.map(|r| r.report_id), Some(saved.report_id));
    assert_eq!(status.pending_sync, 1);
}

#[test]
fn bad_input_gets_a_named_field_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = open(&dir);
    core.save_report(report(PersonKind::Infected, "36.5", &ALL_NO.concat(), None), Language::Ja).expect("save");
    let field = |r: Result<_, CoreError>| match r {
        Err(CoreError::Invalid { field, reason }) => {
            assert!(!reason.is_empty());
            field
        }
        other => panic!("expected Invalid, got {:?}", other.map(|_: mobile_core::SavedReport| ())),
    };
    let cases: Vec<(ReportInput, &str)> = vec![
        (report(PersonKind::Infected, "43.5", &ALL_NO.concat(), None), "temperature"),
        (report(PersonKind::Infected, "33.9", &ALL_NO.concat(), None), "temperature"),
        (report(PersonKind::Infected, "", &ALL_NO.concat(), None), "temperature"),
        (report(PersonKind::Infected, "36.5", "22222222", None), "answers"),
        (report(PersonKind::Infected, "36.5", "2222x2222", None), "answers.nausea"),
        (report(PersonKind::Infected, "36.5", &ALL_NO.concat(), Some(days_ago(0) + "x")), "local_date"),
        (
            report(
                PersonKind::Infected,
                "36.5",
                &ALL_NO.concat(),
                Some((chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string()),
            ),
            "local_date",
        ),
        (ReportInput { person_id: "\u{7}".into(), ..report(PersonKind::Infected, "36.5", &ALL_NO.concat(), None) }, "person_id"),
    ];
    for (input, want) in cases {
        assert_eq!(field(core.save_report(input, Language::Ja)), want);
    }
    match core.save_report(report(PersonKind::Infected, "43.5", &ALL_NO.concat(), None), Language::Ja) {
        Err(CoreError::Invalid { reason, .. }) => assert!(reason.contains("34.0"), "{reason}"),
        _ => panic!("expected Invalid"),
    }
    assert_eq!(core.pending_sync_count().expect("pending"), 1);
    let today = core.history("self".into(), 1, Language::Ja).expect("history");
    assert_eq!(today[0].reports_that_day, 1);
    assert!(matches!(core.history("self".into(), 0, Language::Ja), Err(CoreError::Invalid { field, .. }) if field == "days"));
    assert!(matches!(core.history("self".into(), 367, Language::Ja), Err(CoreError::Invalid { .. })));
}

#[test]
fn a_failing_outbox_write_leaves_no_report_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = open(&dir);
    // Fault injection: the outbox refuses the next row, after the report row went in.
    let raw = rusqlite::Connection::open(dir.path().join("core.db")).expect("raw");
    raw.execute_batch("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'injected'); END;")
        .expect("trigger");
    let err = core.save_report(report(PersonKind::Infected, "36.5", &ALL_NO.concat(), None), Language::Ja);
    assert!(matches!(err, Err(CoreError::Storage { ref detail }) if !detail.contains("injected")), "{err:?}");
    let n: i64 = raw.query_row("SELECT count(*) FROM reports", [], |r| r.get(0)).expect("count");
    assert_eq!(n, 0, "the report must roll back with its outbox row");
    raw.execute_batch("DROP TRIGGER fail_outbox").expect("drop");
    core.save_report(report(PersonKind::Infected, "36.5", &ALL_NO.concat(), None), Language::Ja).expect("save after");
    assert_eq!(core.pending_sync_count().expect("pending"), 1);
}

#[test]
fn a_corrupt_file_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("garbage.db");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&path, &garbage).expect("write");
    let err = MimamoriCore::open(path.to_string_lossy().into_owned()).map(|_| ());
    assert_eq!(err, Err(CoreError::Corrupt));
    assert!(std::fs::read(&path).expect("still there") == garbage, "file changed");

    // A real database whose pages were damaged after it was written.
    let path = dir.path().join("damaged.db");
    {
        let core = MimamoriCore::open(path.to_string_lossy().into_owned()).expect("open");
        for _ in 0..50 {
            core.save_report(report(PersonKind::Infected, "36.5", &ALL_NO.concat(), None), Language::Ja).expect("save");
        }
    }
    let wal = dir.path().join("damaged.db-wal");
    assert!(!wal.exists() || std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) == 0, "checkpointed on close");
    let mut bytes = std::fs::read(&path).expect("read");
    assert!(bytes.len() >= 8192, "several pages");
    for b in &mut bytes[4096 + 100..8192] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).expect("damage");
    let err = MimamoriCore::open(path.to_string_lossy().into_owned()).map(|_| ());
    assert_eq!(err, Err(CoreError::Corrupt));
    assert!(std::fs::read(&path).expect("still there") == bytes, "file changed");
}

#[test]
fn a_database_from_a_newer_app_is_refused_not_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("new.db");
    rusqlite::Connection::open(&path).expect("raw").pragma_update(None, "user_version", 42).expect("version");
    let before = std::fs::read(&path).expect("read");
    let err = MimamoriCore::open(path.to_string_lossy().into_owned()).map(|_| ());
    assert!(matches!(err, Err(CoreError::NewerData)), "its own kind, so the app asks for an update: {err:?}");
    assert!(std::fs::read(&path).expect("read") == before, "file changed");
}

#[test]
fn the_family_check_works_without_any_account() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = open(&dir);
    let list = core.urgent_checklist(Language::Ja);
    assert_eq!(list.groups.iter().map(|g| g.symptoms.len()).collect::<Vec<_>>(), vec![3, 7, 3]);
    assert_eq!(list.groups[0].title, "表情・外見");
    assert!(list.footnote.starts_with('※'));
    assert_eq!(list.when_to_call.len(), 2);
    assert_eq!((list.cough_label.as_str(), list.fever_label.as_str()), ("咳がある", "37.5℃以上の発熱がある"));
    let family: usize = list.groups.iter().flat_map(|g| &g.symptoms).filter(|s| s.judged_by_family).count();
    assert_eq!(family, 4);

    let check_en = |kind, ids: &[&str]| {
        core.check_urgent_symptoms(ChecklistInput { kind, symptom_ids: ids.iter().map(|s| (*s).to_owned()).collect(), cough: false, fever: false }, Language::En)
            .expect("check")
    };
    let check = |kind, ids: &[&str], cough, fever| {
        core.check_urgent_symptoms(
            ChecklistInput { kind, symptom_ids: ids.iter().map(|s| (*s).to_owned()).collect(), cough, fever },
            Language::Ja,
        )
    };
    // No contact stored yet: the advice still says whom to call — where the number is,
    // and 119 in a life-threatening emergency — in either language.
    let a = check(Some(PersonKind::Infected), &["purple_lips"], false, false).expect("check");
    assert_eq!(a.urgency, Urgency::CallNow);
    assert!(a.show_emergency_number && a.emergency.is_none());
    assert!(a.call_instruction.contains("リーフレット") && a.call_instruction.contains("119"), "{}", a.call_instruction);
    let en = check_en(Some(PersonKind::Infected), &["purple_lips"]);
    assert!(en.call_instruction.contains("call 119"), "{}", en.call_instruction);
    // A report whose answers point at an urgent group says the same.
    let saved = core.save_report(report(PersonKind::Infected, "36.6", "221222222", None), Language::En).expect("save");
    assert!(saved.advice.call_instruction.contains("leaflet") && saved.advice.call_instruction.contains("119"));

    core.set_emergency_contact(
        EmergencyContact { centre_name: "△△保健所".into(), phone_number: "０４５－１１１－２２２２".into() },
        Language::Ja,
    )
    .expect("contact");
    let a = check(Some(PersonKind::Infected), &["dazed"], false, false).expect("check");
    assert_eq!(a.call_instruction, "△△保健所の緊急連絡先（045-111-2222）にお電話ください。");
    assert_eq!(a.emergency.map(|c| c.phone_number), Some("045-111-2222".into()));
    // Nothing to call about: no instruction.
    assert!(check(None, &[], false, false).expect("check").call_instruction.is_empty());
    assert_eq!(a.check_groups[0].id, "consciousness");
    assert_eq!(check(None, &[], false, false).expect("check").urgency, Urgency::NoAction);
    assert_eq!(check(Some(PersonKind::CloseContact), &[], true, false).expect("check").urgency, Urgency::CallNow);
    assert_eq!(check(Some(PersonKind::Infected), &[], true, false).expect("check").urgency, Urgency::Watch);
    assert!(matches!(check(None, &["sneezing"], false, false), Err(CoreError::Invalid { field, .. }) if field == "symptom_ids"));

    let bad = EmergencyContact { centre_name: "△△保健所".into(), phone_number: "call me".into() };
    assert!(matches!(core.set_emergency_contact(bad, Language::En), Err(CoreError::Invalid { field, .. }) if field == "phone_number"));
    assert_eq!(core.emergency_contact().expect("read").map(|c| c.centre_name), Some("△△保健所".into()));
}

#[test]
fn the_form_is_served_by_the_core_in_both_languages() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = open(&dir);
    let ja = core.questions(Language::Ja);
    let en = core.questions(Language::En);
    assert_eq!(ja.len(), 9);
    assert_eq!(ja[0].text, "顔色、表情はいつもどおりですか");
    assert_eq!(ja[0].options[0].label, "いつも通りでない");
    assert_eq!(ja[0].options.iter().map(|o| o.code).collect::<Vec<_>>(), vec![1, 2, 9]);
    assert_eq!(ja[7].options[0].label, "問題がある");
    assert_eq!(en[2].text, "Are you short of breath?");
    assert_eq!(ja.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(), en.iter().map(|q| q.id.as_str()).collect::<Vec<_>>());
    let kinds = core.kinds(Language::Ja);
    assert_eq!(kinds.iter().map(|k| k.label.as_str()).collect::<Vec<_>>(), vec!["感染者", "濃厚接触者", "検査結果待ち"]);
}

#[test]
fn saves_from_many_threads_are_all_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = open(&dir);
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let core = Arc::clone(&core);
            std::thread::spawn(move || {
                for n in 0..25 {
                    let temperature = format!("36.{}", (t + n) % 10);
                    core.save_report(report(PersonKind::Infected, &temperature, &ALL_NO.concat(), None), Language::Ja).expect("save");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread");
    }
    assert_eq!(core.pending_sync_count().expect("pending"), 200);
    let day = core.history("self".into(), 1, Language::Ja).expect("history");
    assert_eq!(day[0].reports_that_day, 200);
}

#[test]
fn stored_reports_cannot_be_changed_or_deleted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = open(&dir);
    let saved = core.save_report(report(PersonKind::Infected, "36.5", &ALL_NO.concat(), None), Language::Ja).expect("save");
    let raw = rusqlite::Connection::open(dir.path().join("core.db")).expect("raw");
    for sql in ["UPDATE reports SET temperature_tenths = 400", "DELETE FROM reports"] {
        let err = raw.execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    let latest = core.today_status("self".into(), Language::Ja).expect("status").latest.expect("kept");
    assert_eq!((latest.report_id, latest.temperature_tenths), (saved.report_id, 365));
}
