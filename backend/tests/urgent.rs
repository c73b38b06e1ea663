//! The urgent list is a promise: a "call now" report keeps its person on the board's
//! urgent list until staff record a contact that reached them after it, or mark it
//! handled with a note. Each ordering trap a phone's clock or the network can set is
//! tried here, on whichever database the run uses: a fast clock, a date in the future,
//! a late upload, a harmless report after the urgent one, two phones of one person, a
//! report received yesterday. Then the handling itself: what clears the list and what
//! does not, the note it needs, the reports it covers, and the same state on the board,
//! the person page, the API, the CSV export and the audit log; and the alert every
//! signed-in page shows when an urgent report waits too long.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::*;
use serde_json::{Value, json};

const BREATHLESS: [i64; 9] = [2, 2, 1, 2, 2, 2, 2, 2, 2];

struct Scene {
    t: TestApp,
    staff: Staff,
    me: Signed,
    case_id: i64,
    token: String,
}

async fn scene() -> Scene {
    let t = TestApp::new().await;
    let staff = t.centre("u").await;
    let case = t.current_case(&staff, "緊急 花子", "09011112222").await;
    let token = t.register(&case, "hanako@example.jp").await;
    let me = t.sign_in(&staff.email, PASSWORD).await;
    Scene { case_id: case["id"].as_i64().unwrap(), t, staff, me, token }
}

impl Scene {
    /// Sends reports from the phone through the API, now; their advice.
    async fn send(&self, token: &str, reports: Vec<Value>) -> Vec<String> {
        let r = self.t.post("/api/v1/reports:batch", Some(token), json!({ "reports": reports })).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        r.body["results"].as_array().unwrap().iter().map(|x| x["advice"].as_str().unwrap_or("refused").to_owned()).collect()
    }

    async fn board(&self) -> String {
        self.t.view(&self.me, "/").await.text
    }

    /// Whether the person is on the urgent list, checked on the board, the urgent
    /// filter of the case list and the API's case read, which must agree.
    async fn urgent(&self) -> bool {
        let board = self.board().await;
        let on_board = list(&board, "urgent").contains("緊急 花子");
        assert_eq!(count(&board, "urgent"), i64::from(on_board), "count and list agree");
        let filtered = self.t.view(&self.me, "/cases?status=urgent").await.text.contains("緊急 花子");
        let api = self.t.get(&format!("/api/v1/cases/{}", self.case_id), Some(&self.staff.token)).await.body;
        assert_eq!((filtered, !api["urgent_since"].is_null()), (on_board, on_board), "board, list and API agree");
        on_board
    }

    async fn reports(&self) -> Vec<Value> {
        let r = self.t.get(&format!("/api/v1/cases/{}/reports", self.case_id), Some(&self.staff.token)).await;
        r.body["reports"].as_array().unwrap().clone()
    }

    async fn person(&self) -> String {
        self.t.view(&self.me, &format!("/cases/{}", self.case_id)).await.text
    }
}

#[tokio::test]
async fn a_report_from_a_phone_whose_clock_is_fast_hides_nothing() {
    let s = scene().await;
    let now = Utc::now();
    // Normal report, clock ten minutes fast; then, clock corrected, sudden breathlessness.
    assert_eq!(s.send(&s.token, vec![wire_report(today(), 365, WELL, now + Duration::minutes(10))]).await, ["none"]);
    assert!(!s.urgent().await);
    assert_eq!(s.send(&s.token, vec![wire_report(today(), 366, BREATHLESS, Utc::now())]).await, ["call_now"]);
    assert!(s.urgent().await);
    let reports = s.reports().await;
    assert_eq!((reports[0]["clock_ahead"].as_bool(), reports[1]["clock_ahead"].as_bool()), (Some(true), Some(false)));
    assert_eq!(reports[1]["urgent_waiting"], true);
    // The board names the reason and the person page flags the clock.
    assert!(list(&s.board().await, "urgent").contains("息苦しさ"));
    assert!(s.person().await.contains("端末の時刻が進んでいます"));
}

#[tokio::test]
async fn a_report_dated_tomorrow_and_a_late_upload_of_yesterday_hide_nothing() {
    let s = scene().await;
    let tomorrow = today() + Duration::days(1);
    assert_eq!(s.send(&s.token, vec![wire_report(tomorrow, 365, WELL, Utc::now())]).await, ["none"]);
    let reports = s.reports().await;
    assert_eq!((reports[0]["clock_ahead"].as_bool(), reports[0]["received_on"].as_str()), (Some(true), Some(today().to_string().as_str())));
    // Yesterday's urgent report, uploaded only now: received today, so urgent today.
    let late = wire_report(today() - Duration::days(1), 366, BREATHLESS, Utc::now() - Duration::days(1));
    assert_eq!(s.send(&s.token, vec![late]).await, ["call_now"]);
    assert!(s.urgent().await);
    let board = s.board().await;
    assert!(list(&board, "reported").contains("緊急 花子"), "reported today by receipt");
    assert_eq!(count(&board, "unreported"), 0);
}

#[tokio::test]
async fn a_harmless_report_after_the_urgent_one_does_not_clear_it_and_the_board_shows_both() {
    let s = scene().await;
    assert_eq!(s.send(&s.token, vec![wire_report(today(), 382, BREATHLESS, Utc::now())]).await, ["call_now"]);
    s.t.state.clock.advance(std::time::Duration::from_secs(600));
    assert_eq!(s.send(&s.token, vec![wire_report(today(), 365, WELL, Utc::now() + Duration::minutes(10))]).await, ["none"]);
    assert!(s.urgent().await);
    let board = s.board().await;
    let row = list(&board, "urgent");
    assert!(row.contains("発熱 38.2℃、息苦しさ") && row.contains("最新: —") && row.contains("36.5"), "{row}");
    assert!(row.contains("10分経過"), "{row}");
    // The fever stays on the fever list for the day, with the day's highest.
    let fever = list(&board, "fever");
    assert!(fever.contains("緊急 花子") && fever.contains("本日最高 38.2"), "{fever}");
    assert_eq!(count(&board, "fever"), 1);
}

#[tokio::test]
async fn two_phones_of_one_person_sending_for_the_same_day_hide_nothing() {
    let s = scene().await;
    let r = s.t.post("/api/v1/login", None, json!({ "email": "hanako@example.jp", "password": PASSWORD })).await;
    let second_phone = r.body["token"].as_str().unwrap().to_owned();
    // The first phone's clock is an hour fast and it sends the urgent report; the
    // second sends a harmless one for the same day afterwards, in one batch with a
    // report for tomorrow.
    assert_eq!(s.send(&s.token, vec![wire_report(today(), 366, BREATHLESS, Utc::now() + Duration::hours(1))]).await, ["call_now"]);
    let advice = s.send(&second_phone, vec![wire_report(today(), 365, WELL, Utc::now()), wire_report(today() + Duration::days(1), 365, WELL, Utc::now())]).await;
    assert_eq!(advice, ["none", "none"]);
    assert!(s.urgent().await);
    assert_eq!(s.reports().await.len(), 3);
}

#[tokio::test]
async fn an_urgent_report_received_yesterday_waits_until_handled() {
    let s = scene().await;
    let yesterday = Utc::now() - Duration::days(1);
    let r = s.t.ingest_at(&s.token, vec![wire_report(today() - Duration::days(1), 366, BREATHLESS, yesterday)], yesterday).await;
    assert_eq!(r[0]["advice"], "call_now");
    assert!(s.urgent().await, "a report nobody handled does not expire at midnight");
    let board = s.board().await;
    assert!(list(&board, "unreported").contains("緊急 花子"), "but it is not today's report");
    assert!(board.contains("id=\"urgent-oldest\""));
}

#[tokio::test]
async fn only_a_contact_that_reached_the_person_or_a_note_handles_it() {
    let s = scene().await;
    s.send(&s.token, vec![wire_report(today(), 366, BREATHLESS, Utc::now())]).await;
    let page = s.person().await;
    let seen = hidden(&page[page.find("id=\"contact-form\"").unwrap()..], "seen");
    let contact = |outcome: &'static str, note: &'static str, seen: String| {
        let (t, me, id) = (&s.t, &s.me, s.case_id);
        async move { t.submit(me, &format!("/cases/{id}/contacts"), &[("outcome", outcome), ("note", note), ("seen", &seen)]).await }
    };
    for outcome in ["no_answer", "left_message", "other"] {
        assert_eq!(contact(outcome, "", seen.clone()).await.status, StatusCode::SEE_OTHER);
        assert!(s.urgent().await, "{outcome} does not handle it");
    }
    // A report that arrives while staff are on the phone is not covered by what they saw.
    s.t.state.clock.advance(std::time::Duration::from_secs(5));
    s.send(&s.token, vec![wire_report(today(), 390, BREATHLESS, Utc::now())]).await;
    assert_eq!(contact("reached", "受診を勧めた", seen.clone()).await.status, StatusCode::SEE_OTHER);
    assert!(s.urgent().await, "the report received after the page was shown still waits");
    let reports = s.reports().await;
    assert_eq!(reports[0]["handled"]["how"], "contact");
    assert_eq!(reports[0]["handled"]["note"], "受診を勧めた");
    assert_eq!((reports[0]["urgent_waiting"].as_bool(), reports[1]["urgent_waiting"].as_bool()), (Some(false), Some(true)));

    // Marking handled needs a note; a refused form changes nothing.
    let page = s.person().await;
    let seen = hidden(&page[page.find("id=\"handle-form\"").unwrap()..], "seen");
    let path = format!("/cases/{}/handled", s.case_id);
    for bad in ["", "   ", &"長".repeat(1001)] {
        let r = s.t.submit(&s.me, &path, &[("note", bad), ("seen", &seen)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.text.contains("行った対応を入力してください"));
    }
    assert!(s.urgent().await);
    let r = s.t.submit(&s.me, &path, &[("note", "救急搬送済み"), ("seen", &seen)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!s.urgent().await);
    let r = s.t.submit(&s.me, &path, &[("note", "二度目"), ("seen", &seen)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "nothing is waiting");
    assert!(r.text.contains("対応待ちの緊急報告はありません"));

    // The same state everywhere: API, person page, CSV, audit.
    let reports = s.reports().await;
    assert_eq!((reports[1]["handled"]["how"].as_str(), reports[1]["handled"]["by"].as_str()), (Some("note"), Some("管理者")));
    let page = s.person().await;
    assert!(page.contains("対応済み") && page.contains("救急搬送済み") && !page.contains("id=\"handle-form\""));
    let csv = s.t.view(&s.me, "/export/reports.csv").await.text;
    assert_eq!(csv.matches(",handled,").count(), 2, "{csv}");
    assert!(!csv.contains(",waiting,"));
    let audit = s.t.view(&s.me, "/admin/audit").await.text;
    assert_eq!(audit.matches("緊急報告を対応済みに").count(), 2, "a reaching contact and a note, each audited");
}

#[tokio::test]
async fn the_api_marks_handled_with_a_note_and_refuses_what_it_cannot_do() {
    let s = scene().await;
    let path = format!("/api/v1/cases/{}/handled", s.case_id);
    let r = s.t.post(&path, Some(&s.staff.token), json!({ "note": "確認済み" })).await;
    assert_eq!((r.status, r.body["error"].as_str()), (StatusCode::CONFLICT, Some("nothing_waiting")));
    s.send(&s.token, vec![wire_report(today(), 366, BREATHLESS, Utc::now())]).await;
    let r = s.t.post(&path, Some(&s.staff.token), json!({ "note": " " })).await;
    assert_eq!((r.status, r.body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_note")));
    let r = s.t.post(&path, Some(&s.staff.token), json!({ "note": "x", "extra": 1 })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Another centre cannot see it, nor handle it.
    let other = s.t.centre("other").await;
    let r = s.t.post(&path, Some(&other.token), json!({ "note": "確認済み" })).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(s.urgent().await);
    // Only what was seen: a time before the report covers nothing.
    let before = (Utc::now() - Duration::hours(1)).to_rfc3339();
    let r = s.t.post(&path, Some(&s.staff.token), json!({ "note": "確認済み", "seen_until": before })).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Ending the observation would drop it off the list unhandled: refused, on the API
    // and on the page.
    let close = format!("/api/v1/cases/{}/close", s.case_id);
    let r = s.t.post(&close, Some(&s.staff.token), json!({})).await;
    assert_eq!((r.status, r.body["error"].as_str()), (StatusCode::CONFLICT, Some("urgent_waiting")));
    let r = s.t.submit(&s.me, &format!("/cases/{}/close", s.case_id), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("未対応の緊急報告があります"));
    assert!(s.urgent().await);
    let r = s.t.post(&path, Some(&s.staff.token), json!({ "note": "電話で確認済み" })).await;
    assert_eq!((r.status, r.body["handled"].as_i64()), (StatusCode::OK, Some(1)));
    assert!(!s.urgent().await);
    assert_eq!(s.t.post(&close, Some(&s.staff.token), json!({})).await.status, StatusCode::NO_CONTENT, "handled: it may end");
}

#[tokio::test]
async fn an_urgent_report_waiting_too_long_alerts_every_signed_in_staff_member_of_the_centre() {
    let s = scene().await;
    let r = s.t.post("/api/v1/staff/accounts", Some(&s.staff.token), json!({ "email": "nurse@u.example.jp", "name": "看護師", "password": PASSWORD, "role": "staff" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let nurse = s.t.sign_in("nurse@u.example.jp", PASSWORD).await;
    let other = s.t.centre("other").await;
    let stranger = s.t.sign_in(&other.email, PASSWORD).await;
    s.send(&s.token, vec![wire_report(today(), 366, BREATHLESS, Utc::now())]).await;
    assert!(!s.t.view(&nurse, "/cases").await.text.contains("id=\"urgent-alert\""), "not yet");
    s.t.state.clock.advance(std::time::Duration::from_secs(31 * 60));
    for path in ["/", "/cases", "/cases/new"] {
        let page = s.t.view(&nurse, path).await.text;
        assert!(page.contains("id=\"urgent-alert\"") && page.contains("対応待ちの緊急報告があります：1人"), "{path}");
    }
    assert!(list(&s.t.view(&nurse, "/").await.text, "urgent").contains("class=\"urgent overdue"));
    assert!(!s.t.view(&stranger, "/").await.text.contains("id=\"urgent-alert\""), "another centre is not alerted");
    s.t.post(&format!("/api/v1/cases/{}/handled", s.case_id), Some(&s.staff.token), json!({ "note": "対応済み" })).await;
    assert!(!s.t.view(&nurse, "/").await.text.contains("id=\"urgent-alert\""));
}

#[tokio::test]
async fn the_alert_time_is_a_setting() {
    let t = TestApp::with(|c| c.urgent_alert_after = std::time::Duration::from_secs(5 * 60)).await;
    let staff = t.centre("s").await;
    let case = t.current_case(&staff, "設定 太郎", "09022223333").await;
    let token = t.register(&case, "setting@example.jp").await;
    let me = t.sign_in(&staff.email, PASSWORD).await;
    t.sync_on(&token, today(), 366, BREATHLESS).await;
    t.state.clock.advance(std::time::Duration::from_secs(6 * 60));
    assert!(t.view(&me, "/").await.text.contains("id=\"urgent-alert\""));
}
