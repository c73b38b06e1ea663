//! The health-centre pages as staff use them: the today board's counts and lists from
//! reports synced through the API, registering a case from the form (a bad field
//! changes nothing) and its leaflet, the person page's timeline, chart and contact log,
//! transferring a case with its history, the CSV exports and the audit log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::Value;

const BREATHLESS: [i64; 9] = [2, 2, 1, 2, 2, 2, 2, 2, 2];

async fn patient(t: &TestApp, staff: &Staff, name: &str, phone: &str, email: &str) -> (Value, String) {
    let case = t.current_case(staff, name, phone).await;
    let token = t.register(&case, email).await;
    (case, token)
}

#[tokio::test]
async fn the_today_board_counts_and_lists_who_reported_who_did_not_and_who_is_urgent() {
    let t = TestApp::new().await;
    let a = t.centre("a").await;
    let (_, well) = patient(&t, &a, "元気 一郎", "09000000001", "p1@example.jp").await;
    let (_, feverish) = patient(&t, &a, "発熱 二郎", "09000000002", "p2@example.jp").await;
    let (_, urgent) = patient(&t, &a, "緊急 三郎", "09000000003", "p3@example.jp").await;
    let (_, yesterday_only) = patient(&t, &a, "昨日 四郎", "09000000004", "p4@example.jp").await;
    t.current_case(&a, "未登録 五郎", "09000000005").await;
    // A case whose observation is over is not on the board.
    t.case(&a, "終了 六郎", "09000000006").await;
    let me = t.sign_in(&a.email, PASSWORD).await;
    let before = t.view(&me, "/").await.text;
    assert_eq!((count(&before, "observed"), count(&before, "reported"), count(&before, "unreported")), (5, 0, 5));

    assert_eq!(t.sync_on(&well, today(), 365, WELL).await, "none");
    assert_eq!(t.sync_on(&feverish, today(), 381, WELL).await, "watch");
    assert_eq!(t.sync_on(&urgent, today(), 366, BREATHLESS).await, "call_now");
    // Received yesterday (a fever then): not today's report, nor today's fever.
    let yesterday = chrono::Utc::now() - chrono::Duration::days(1);
    let r = t.ingest_at(&yesterday_only, vec![wire_report(today() - chrono::Duration::days(1), 390, WELL, yesterday)], yesterday).await;
    assert_eq!(r[0]["advice"], "watch");
    let board = t.view(&me, "/").await.text;
    assert_eq!(count(&board, "observed"), 5);
    assert_eq!(count(&board, "reported"), 3);
    assert_eq!(count(&board, "unreported"), 2);
    assert_eq!(count(&board, "fever"), 1);
    assert_eq!(count(&board, "urgent"), 1);
    let urgent_list = list(&board, "urgent");
    assert!(urgent_list.contains("緊急 三郎") && urgent_list.contains("class=\"urgent\""), "{urgent_list}");
    assert!(!urgent_list.contains("元気"));
    let unreported = list(&board, "unreported");
    assert!(unreported.contains("昨日 四郎") && unreported.contains("未登録 五郎"));
    assert!(!unreported.contains("元気") && !unreported.contains("終了"));
    // Never reported comes before reported yesterday: who to phone first.
    assert!(unreported.find("未登録 五郎").unwrap() < unreported.find("昨日 四郎").unwrap());
    assert!(list(&board, "fever").contains("発熱 二郎"));
    assert!(!board.contains("id=\"latest-received\">まだありません"));
    assert!(!list(&board, "fever").contains("昨日"));
    // A later harmless report does not clear the urgent one: both are shown.
    t.sync_on(&urgent, today(), 364, WELL).await;
    let board = t.view(&me, "/").await.text;
    assert_eq!((count(&board, "urgent"), count(&board, "reported")), (1, 3));
    let urgent_list = list(&board, "urgent");
    assert!(urgent_list.contains("息苦しさ") && urgent_list.contains("最新: —"), "{urgent_list}");
    // The filtered case list agrees with the board.
    let r = t.view(&me, "/cases?status=unreported").await.text;
    assert!(r.contains("昨日 四郎") && r.contains("未登録 五郎") && !r.contains("元気 一郎"));
}

#[tokio::test]
async fn registering_a_case_from_the_form_prints_its_leaflet_and_bad_fields_change_nothing() {
    let t = TestApp::new().await;
    let a = t.centre("a").await;
    let me = t.sign_in(&a.email, PASSWORD).await;
    let form = t.view(&me, "/cases/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let start = hidden(&form.text, "period_start");
    let mut fields = vec![
        ("name", "登録 花子"),
        ("name_reading", "とうろく はなこ"),
        ("date_of_birth", "1990-02-03"),
        ("phone", "abc"),
        ("email", ""),
        ("kind", "infected"),
        ("observation", "app"),
        ("period_start", start.as_str()),
        ("period_end", start.as_str()),
    ];
    let r = t.submit(&me, "/cases", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text.contains("登録 花子"), "the form keeps what was typed");
    assert!(r.text.contains("class=\"error\""));
    assert_eq!(t.get("/api/v1/cases", Some(&a.token)).await.body["cases"].as_array().unwrap().len(), 0);
    fields[3] = ("phone", "０９０-１２３４-５６７８");
    let r = t.submit(&me, "/cases", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let cases = t.get("/api/v1/cases", Some(&a.token)).await.body["cases"].as_array().unwrap().clone();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0]["phone"], "09012345678");
    let id = cases[0]["id"].as_i64().unwrap();
    assert_eq!(r.location(), format!("/cases/{id}/leaflet"));
    let leaflet = t.view(&me, r.location()).await.text;
    let input_id = cases[0]["input_id"].as_str().unwrap();
    for needle in ["登録 花子 様", input_id, "a保健所", "03-1234-5678", "http://127.0.0.1:8080/app", "<svg", "1日1回", "唇が紫色になっている", "開示、訂正、利用停止"] {
        assert!(leaflet.contains(needle), "the leaflet lacks {needle}");
    }
    assert_eq!(leaflet.matches("※").count(), 5, "four family-judged symptoms and the legend");
}

#[tokio::test]
async fn the_person_page_shows_the_timeline_chart_and_the_contact_log_staff_add_to() {
    let t = TestApp::new().await;
    let a = t.centre("a").await;
    let (case, token) = patient(&t, &a, "経過 太郎", "09000000011", "k@example.jp").await;
    let id = case["id"].as_i64().unwrap();
    t.sync_on(&token, today() - chrono::Duration::days(1), 372, WELL).await;
    t.sync_on(&token, today(), 384, BREATHLESS).await;
    let me = t.sign_in(&a.email, PASSWORD).await;
    let page = t.view(&me, &format!("/cases/{id}")).await.text;
    assert_eq!(page.matches("<tr data-report-id").count(), 2);
    assert!(page.find("38.4").unwrap() < page.find("37.2").unwrap(), "newest report first");
    assert!(page.contains("class=\"urgent waiting\"") && page.contains("息苦しさ"));
    assert!(page.contains("class=\"fever-line\"") && page.contains("37.5"));
    assert!(page.contains("id=\"chart\""));

    let r = t.submit(&me, &format!("/cases/{id}/contacts"), &[("outcome", "reached"), ("note", "受診を勧めた")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    for (outcome, note) in [("teleported", "x"), ("reached", &"長".repeat(1001))] {
        let r = t.submit(&me, &format!("/cases/{id}/contacts"), &[("outcome", outcome), ("note", note)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{outcome}");
    }
    let page = t.view(&me, &format!("/cases/{id}")).await.text;
    let contacts = &page[page.find("id=\"contacts\"").unwrap()..page.find("id=\"contact-form\"").unwrap()];
    assert!(contacts.contains("受診を勧めた") && contacts.contains("管理者") && contacts.contains("本人・家族と話せた"), "{contacts}");
    assert_eq!(contacts.matches("<tr><td").count(), 1, "refused notes were stored");
    // Markup in a note is shown as text.
    t.submit(&me, &format!("/cases/{id}/contacts"), &[("outcome", "other"), ("note", "<script>alert(1)</script>")]).await;
    let page = t.view(&me, &format!("/cases/{id}")).await.text;
    let note = &page[page.find("class=\"note\"").unwrap()..];
    assert!(!page.contains("<script>alert") && note.contains("script&#62;alert(1)"), "{}", &note[..200]);
}

#[tokio::test]
async fn a_transferred_case_moves_with_its_history_and_leaves_the_first_centre() {
    let t = TestApp::new().await;
    let a = t.centre("a").await;
    let b = t.centre("b").await;
    let (case, token) = patient(&t, &a, "転居 太郎", "09000000021", "move@example.jp").await;
    let id = case["id"].as_i64().unwrap();
    t.sync_on(&token, today(), 366, WELL).await;
    let from_a = t.sign_in(&a.email, PASSWORD).await;
    t.submit(&from_a, &format!("/cases/{id}/contacts"), &[("outcome", "reached"), ("note", "転居先を確認")]).await;
    for bad in [a.centre_id.to_string(), "999999".into(), "".into()] {
        let r = t.submit(&from_a, &format!("/cases/{id}/transfer"), &[("to_centre", &bad), ("reason", "x")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "to {bad:?}");
    }
    // The reason follows the notes' rule: no control characters, never cut silently.
    for bad in ["転居\u{0}", "\u{1b}[2J転居", "\u{202E}転居", &"字".repeat(1001)] {
        let r = t.submit(&from_a, &format!("/cases/{id}/transfer"), &[("to_centre", &b.centre_id.to_string()), ("reason", bad)]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert!(r.text.contains("移管の理由は1000文字以内"), "the person page says why");
    }
    let r = t.submit(&from_a, &format!("/cases/{id}/transfer"), &[("to_centre", &b.centre_id.to_string()), ("reason", "転居のため")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(t.view(&from_a, &format!("/cases/{id}")).await.status, StatusCode::NOT_FOUND);
    assert!(!t.view(&from_a, "/cases").await.text.contains("転居 太郎"));
    assert!(!t.view(&from_a, "/").await.text.contains("転居 太郎"));
    let from_b = t.sign_in(&b.email, PASSWORD).await;
    let page = t.view(&from_b, &format!("/cases/{id}")).await.text;
    assert_eq!(page.matches("<tr data-report-id").count(), 1, "the reports moved");
    assert!(page.contains("転居先を確認"), "the contact log moved");
    assert!(page.contains("a保健所 → b保健所") && page.contains("転居のため"), "the transfer is recorded");
    assert_eq!(count(&t.view(&from_b, "/").await.text, "reported"), 1);
    // The patient's phone now gets the new centre's emergency number, and keeps syncing.
    let profile = t.get("/api/v1/profile", Some(&token)).await;
    assert_eq!(profile.status, StatusCode::OK);
    assert!(profile.body.to_string().contains("b保健所"), "{:?}", profile.body);
    t.sync_on(&token, today(), 367, WELL).await;
    assert_eq!(t.view(&from_b, &format!("/cases/{id}")).await.text.matches("<tr data-report-id").count(), 2);
    let audit = t.view(&from_a, "/admin/audit").await.text;
    assert!(audit.contains("他の保健所へ移管"), "{audit}");
}

#[tokio::test]
async fn the_exports_hold_the_centres_cases_and_reports_and_every_view_is_audited() {
    let t = TestApp::new().await;
    let a = t.centre("a").await;
    let (case, token) = patient(&t, &a, "出力 太郎", "09000000031", "csv@example.jp").await;
    let id = case["id"].as_i64().unwrap();
    t.sync_on(&token, today(), 381, BREATHLESS).await;
    let me = t.sign_in(&a.email, PASSWORD).await;
    let cases = t.view(&me, "/export/cases.csv").await;
    assert_eq!(cases.status, StatusCode::OK);
    assert!(cases.headers[axum::http::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    assert!(cases.text.starts_with('\u{feff}'), "a BOM for spreadsheet programs");
    let lines: Vec<&str> = cases.text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].contains("氏名") && lines[1].contains("出力 太郎") && lines[1].contains(case["input_id"].as_str().unwrap()));
    let reports = t.view(&me, "/export/reports.csv").await.text;
    let lines: Vec<&str> = reports.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1].contains("38.1,2,2,1,2,2,2,2,2,2,call_now"), "{}", lines[1]);

    t.view(&me, &format!("/cases/{id}")).await;
    t.get(&format!("/api/v1/cases/{id}/reports"), Some(&a.token)).await;
    let audit = t.view(&me, "/admin/audit").await.text;
    for needle in [a.email.as_str(), &format!("/cases/{id}\""), "療養者の画面を表示", "CSV"] {
        assert!(audit.contains(needle), "the audit page lacks {needle}");
    }
    let rows = audit.matches("<tr><td").count();
    assert!(rows >= 6, "board, two exports, case page, API read, leaflet-less create: {rows}");
}

#[tokio::test]
async fn ending_observation_takes_the_case_off_the_board_and_is_audited() {
    let t = TestApp::new().await;
    let a = t.centre("a").await;
    let b = t.centre("b").await;
    let case = t.current_case(&a, "終了 予定", "09000000041").await;
    let id = case["id"].as_i64().unwrap();
    let me = t.sign_in(&a.email, PASSWORD).await;
    assert_eq!(count(&t.view(&me, "/").await.text, "unreported"), 1);
    assert!(t.view(&me, &format!("/cases/{id}")).await.text.contains("id=\"close-form\""));
    // Without the form's token, or from another centre, nothing ends.
    let r = t.page(axum::http::Method::POST, &format!("/cases/{id}/close"), Some(&me.cookie), Some(form(&[("csrf", "x")])), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let other = t.sign_in(&b.email, PASSWORD).await;
    assert_eq!(t.submit(&other, &format!("/cases/{id}/close"), &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(count(&t.view(&me, "/").await.text, "observed"), 1);

    let r = t.submit(&me, &format!("/cases/{id}/close"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let board = t.view(&me, "/").await.text;
    assert_eq!((count(&board, "observed"), count(&board, "unreported")), (0, 0));
    let page = t.view(&me, &format!("/cases/{id}")).await.text;
    assert!(page.contains("観察終了") && !page.contains("id=\"close-form\""));
    assert!(t.view(&me, "/cases?status=closed").await.text.contains("終了 予定"));
    assert!(t.view(&me, "/admin/audit").await.text.contains("観察を終了"));
    // Closing twice is harmless.
    assert_eq!(t.submit(&me, &format!("/cases/{id}/close"), &[]).await.status, StatusCode::SEE_OTHER);
}
