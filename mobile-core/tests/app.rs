//! The app's helpers as a shell uses them: the leaflet's link opened offline and
//! against this app's server, the password rule while typing, the daily reminder's
//! decisions with real saved reports, and the data-handling notice.

#![allow(clippy::expect_used)] // a test's helpers panic on failure by design

use chrono::{Local, NaiveTime, TimeZone};
use mobile_core::{
    AnswerChoice, CoreError, EmergencyContact, HttpRequest, HttpResponse, HttpTransport, Language, MimamoriCore,
    PersonKind, ReminderTime, ReportInput, TransportError,
};
use std::sync::Arc;

/// A phone without network: every request fails to connect.
struct NoNetwork;

impl HttpTransport for NoNetwork {
    fn send(&self, _request: HttpRequest) -> Result<HttpResponse, TransportError> {
        Err(TransportError::Connect)
    }
}

fn open(dir: &tempfile::TempDir, server: Option<&str>) -> Arc<MimamoriCore> {
    let path = dir.path().join("core.db").to_string_lossy().into_owned();
    match server {
        Some(url) => MimamoriCore::open_with_transport(path, url.into(), Arc::new(NoNetwork)).expect("open"),
        None => MimamoriCore::open(path).expect("open"),
    }
}

fn link(server: &str, tel: &str) -> String {
    protocol::LeafletLink { server: server.into(), centre_id: 3, centre_name: "みなと保健所".into(), emergency_number: tel.into() }.url()
}

fn field_of(e: CoreError) -> String {
    match e {
        CoreError::Invalid { field, .. } => field,
        other => format!("{other:?}"),
    }
}

#[test]
fn the_leaflet_link_sets_whom_to_call_without_account_or_network() {
    let dir = tempfile::tempdir().expect("dir");
    let core = open(&dir, Some("https://mimamori.example.jp"));
    let got = core.open_leaflet_link(link("https://MIMAMORI.example.jp/", "03-1234-5678"), Language::Ja).expect("link");
    let want = EmergencyContact { centre_name: "みなと保健所".into(), phone_number: "03-1234-5678".into() };
    assert_eq!(got, want);
    assert_eq!(core.emergency_contact().expect("read"), Some(want.clone()));

    // A QR code for another server, a page that is not a leaflet, a bad number: refused, nothing changes.
    for (bad, says) in [
        (link("https://evil.example.com", "0120-000-000"), "サーバー"),
        ("https://mimamori.example.jp/login".to_owned(), "リーフレット"),
        (link("https://mimamori.example.jp", "call-me"), "電話番号"),
    ] {
        match core.open_leaflet_link(bad.clone(), Language::Ja) {
            Err(CoreError::Invalid { field, reason: message }) => {
                assert_eq!(field, "link", "{bad}");
                assert!(message.contains(says), "{bad}: {message}");
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    assert_eq!(core.emergency_contact().expect("read"), Some(want));

    // Offline-only core (no server chosen): any leaflet's centre is taken.
    let dir2 = tempfile::tempdir().expect("dir");
    let offline = open(&dir2, None);
    offline.open_leaflet_link(link("https://other.example.jp", "0312345678"), Language::En).expect("link");
    assert_eq!(offline.emergency_contact().expect("read").map(|c| c.phone_number), Some("0312345678".into()));
}

#[test]
fn the_password_list_ticks_each_part_as_it_is_typed() {
    let dir = tempfile::tempdir().expect("dir");
    let core = open(&dir, None);
    let ticks = |p: &str| core.password_rule(p.into(), Language::Ja).parts.iter().map(|x| x.met).collect::<Vec<_>>();
    assert_eq!(ticks(""), [false; 5]);
    assert_eq!(ticks("kumo"), [false, true, false, false, false]);
    assert_eq!(ticks("kumo-no-ue9"), [true, true, false, true, true]);
    let view = core.password_rule("kumo9".into(), Language::Ja);
    assert!(!view.meets_rule && view.kinds_note.contains("いま2種類"), "{view:?}");
    assert!(core.password_rule("Kumo-no-ue9".into(), Language::En).meets_rule);
    assert_eq!(core.password_rule(String::new(), Language::En).parts[0].label, "At least 8 characters");
}

fn today_at(h: u32, m: u32) -> chrono::DateTime<Local> {
    let t = NaiveTime::from_hms_opt(h, m, 0).expect("time");
    Local.from_local_datetime(&Local::now().date_naive().and_time(t)).single().expect("local time")
}

fn offset_minutes(at: chrono::DateTime<Local>) -> i32 {
    at.offset().local_minus_utc() / 60
}

#[test]
fn the_reminder_rings_until_today_is_reported_then_waits_for_tomorrow() {
    let dir = tempfile::tempdir().expect("dir");
    let core = open(&dir, None);
    assert_eq!(core.reminder_time().expect("time"), Some(ReminderTime { hour: 9, minute: 0 }));
    let early = today_at(0, 5);
    let plan = core.next_reminder(early.timestamp_millis(), offset_minutes(early), Language::Ja).expect("plan").expect("on");
    assert_eq!(plan.at_epoch_ms, today_at(9, 0).timestamp_millis());
    assert!(plan.body.contains("体温"), "{}", plan.body);

    core.set_reminder_time(Some(ReminderTime { hour: 7, minute: 30 }), Language::Ja).expect("set");
    let plan = core.next_reminder(early.timestamp_millis(), offset_minutes(early), Language::En).expect("plan").expect("on");
    assert_eq!(plan.at_epoch_ms, today_at(7, 30).timestamp_millis());

    // Reported today: the next reminder is tomorrow's, 24 hours later here.
    let input = ReportInput {
        person_id: "self".into(),
        local_date: None,
        kind: PersonKind::Infected,
        temperature: "36.5".into(),
        answers: vec![Some(AnswerChoice::No); 9],
    };
    core.save_report(input, Language::Ja).expect("save");
    let plan = core.next_reminder(early.timestamp_millis(), offset_minutes(early), Language::Ja).expect("plan").expect("on");
    let tomorrow = plan.at_epoch_ms - today_at(7, 30).timestamp_millis();
    assert!((23 * 3_600_000..=25 * 3_600_000).contains(&tomorrow), "{tomorrow} ms");

    // Off, and a time that does not exist: refused without changing the choice.
    assert_eq!(field_of(core.set_reminder_time(Some(ReminderTime { hour: 24, minute: 0 }), Language::Ja).expect_err("bad")), "reminder_time");
    assert_eq!(core.reminder_time().expect("time"), Some(ReminderTime { hour: 7, minute: 30 }));
    core.set_reminder_time(None, Language::Ja).expect("off");
    assert_eq!(core.next_reminder(early.timestamp_millis(), offset_minutes(early), Language::Ja).expect("plan"), None);
    drop(core);
    assert_eq!(open(&dir, None).reminder_time().expect("time"), None, "the choice survives a restart");
}

#[test]
fn the_notice_is_the_leaflets() {
    let dir = tempfile::tempdir().expect("dir");
    let core = open(&dir, None);
    let ja = core.data_handling_notice(Language::Ja);
    assert_eq!(ja.title, "入力いただいた情報の取扱いについて");
    assert_eq!(ja.paragraphs.len(), 4);
    assert!(ja.paragraphs.iter().any(|p| p.contains("開示、訂正、利用停止")));
    assert!(core.data_handling_notice(Language::En).paragraphs[3].contains("disclosure"));
}
