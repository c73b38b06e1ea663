//! The morning rounds with a controlled clock: nothing before 9:00; at 9:00 everyone
//! observed by phone who has not reported is called once; keypad answers become
//! reports exactly like the app's (an urgent answer on the urgent list); at 10:00 the
//! unanswered, busy and part-way calls are called again, but not someone who reported
//! by app at 9:30; whoever is still without a report is on the call-back list. A
//! server restarted mid-round resumes it without calling anyone twice. Changing a
//! case's enrolment, the settings, and starting a round are in the access log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod call_support;
mod common;

use axum::http::StatusCode;
use backend::call::sim::{Behaviour, keys};
use call_support::*;
use common::TestApp;
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[tokio::test]
async fn nine_then_ten_then_the_call_back_list() {
    let app = TestApp::new().await;
    let mut staff = app.centre("morning").await;
    let day = ahead();
    pace(&app, &staff, 50.0).await;
    let mut ids = Vec::new();
    for (i, name) in ["答える 一郎", "出ない 二郎", "切る 三郎", "話し中 四郎", "アプリ 五郎", "緊急 六郎"].iter().enumerate() {
        let c = phone_case(&app, &staff, name, &format!("0901000000{i}"), day).await;
        ids.push(c);
    }
    let id = |i: usize| ids[i]["id"].as_i64().unwrap();
    // An app-observed case is never called.
    let mut app_case = common::case_body("アプリだけ 七郎", "09010000009");
    app_case["period_start"] = json!((day - chrono::Duration::days(1)).to_string());
    app_case["period_end"] = json!((day + chrono::Duration::days(3)).to_string());
    assert_eq!(app.post("/api/v1/cases", Some(&staff.token), app_case).await.status, StatusCode::CREATED);
    let patient = app.register(&ids[4], "goro@example.jp").await;

    let plan: Plan = Arc::new(Mutex::new(HashMap::from([
        ((id(1), 1), Behaviour::NoAnswer),
        ((id(1), 2), Behaviour::NoAnswer),
        ((id(2), 1), Behaviour::Answer(vec![Some("1".into()), Some("371".into()), Some("2".into())])),
        ((id(3), 1), Behaviour::Busy),
        ((id(3), 2), Behaviour::Busy),
        ((id(4), 1), Behaviour::NoAnswer),
        ((id(5), 1), Behaviour::Answer(keys("1", "376", [2, 2, 1, 2, 2, 2, 2, 2, 2]))),
    ])));
    let sim = sim(plan);
    let sched = copy(&app.state, &sim);

    move_to(&app, &mut staff, jst(day, 8, 59)).await;
    assert_eq!(sched.tick().await.unwrap().planned, 0);
    assert!(rounds(&app, &staff).await.as_array().unwrap().is_empty());

    move_to(&app, &mut staff, jst(day, 9, 0)).await;
    let first = run_until_closed(&app, &staff, &sched, 30).await;
    assert_eq!(count(&first, "first", "completed"), 2, "{first}");
    assert_eq!(count(&first, "first", "no_answer"), 2, "{first}");
    assert_eq!(count(&first, "first", "incomplete"), 1, "{first}");
    assert_eq!(count(&first, "first", "busy"), 1, "{first}");
    assert_eq!(sim.placed().len(), 6);
    assert!(sim.placed().values().all(|n| *n == 1));

    // The completed call is a report like an app report; the urgent one is on the
    // urgent list with its reasons.
    let r = app.get(&format!("/api/v1/cases/{}/reports", id(0)), Some(&staff.token)).await;
    let reports = r.body["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1, "{:?}", r.body);
    assert_eq!(reports[0]["temperature_tenths"], 365);
    assert_eq!(reports[0]["local_date"], day.to_string());
    let urgent = app.get(&format!("/api/v1/cases/{}", id(5)), Some(&staff.token)).await;
    assert!(urgent.body["urgent_since"].is_string(), "{:?}", urgent.body);
    let r = app.get(&format!("/api/v1/cases/{}/reports", id(5)), Some(&staff.token)).await;
    assert_eq!(r.body["reports"][0]["advice"], "call_now", "{:?}", r.body);
    // No half report of the call that ended part-way.
    let r = app.get(&format!("/api/v1/cases/{}/reports", id(2)), Some(&staff.token)).await;
    assert_eq!(r.body["reports"].as_array().unwrap().len(), 0);
    let calls = app.get(&format!("/api/v1/cases/{}/calls", id(2)), Some(&staff.token)).await;
    assert_eq!(calls.body[0]["status"], "incomplete");
    assert_eq!(calls.body[0]["step"], "q2");

    // 9:30: the fifth person reports by app.
    move_to(&app, &mut staff, jst(day, 9, 30)).await;
    let report = json!({ "id": common::new_id(), "local_date": day.to_string(), "kind": "infected", "temperature_tenths": 366,
        "answers": [2, 2, 2, 2, 2, 2, 2, 2, 2], "recorded_at": app.state.clock.now().to_rfc3339() });
    let r = app.post("/api/v1/reports:batch", Some(&patient), json!({ "reports": [report] })).await;
    assert_eq!(r.body["results"][0]["status"], "accepted", "{:?}", r.body);
    // Before 10:00 nobody is called again and nobody is on the list yet.
    sched.tick().await.unwrap();
    assert_eq!(count(&rounds(&app, &staff).await, "retry", "due"), 0);
    assert!(app.get("/api/v1/call/callbacks", Some(&staff.token)).await.body.as_array().unwrap().is_empty());

    // The cut-part-way person now answers everything at the retry.
    move_to(&app, &mut staff, jst(day, 10, 0)).await;
    let both = run_until_closed(&app, &staff, &sched, 30).await;
    let retried: i64 = both.as_array().unwrap().iter().filter(|r| r["round"] == "retry").flat_map(|r| r["statuses"].as_object().unwrap().values()).map(|v| v.as_i64().unwrap()).sum();
    assert_eq!(retried, 3, "{both}");
    assert_eq!(count(&both, "retry", "completed"), 1, "{both}");
    let placed = sim.placed();
    assert_eq!(placed.len(), 9);
    assert!(placed.values().all(|n| *n == 1), "{placed:?}");

    let list = app.get("/api/v1/call/callbacks", Some(&staff.token)).await;
    let on_list: Vec<i64> = list.body.as_array().unwrap().iter().map(|c| c["case_id"].as_i64().unwrap()).collect();
    assert_eq!(on_list, vec![id(1), id(3)], "{:?}", list.body);
    assert_eq!(list.body[1]["attempts"][0]["status"], "busy");
    assert_eq!(list.body[1]["attempts"][1]["round"], "retry");

    // The board's call-back section and the person page's call log.
    let signed = app.sign_in(&staff.email, common::PASSWORD).await;
    let board = app.view(&signed, "/").await;
    assert_eq!(board.status, StatusCode::OK);
    let section = &board.text[board.text.find("id=\"call-section\"").expect("call section")..];
    assert!(section.contains("id=\"count-callback\" class=\"n\">2<"), "{section}");
    assert!(section.contains("出ない 二郎") && section.contains("話し中 四郎") && !section.contains("アプリ 五郎"), "{section}");
    assert!(section.contains("応答なし") && section.contains("話し中"), "{section}");
    let person = app.view(&signed, &format!("/cases/{}", id(2))).await;
    assert!(person.text.contains("id=\"call-log\"") && person.text.contains("途中終了 (q2 で終了)") && person.text.contains("回答完了"), "{}", person.text);
    // Staff switch the person to the app on the page: not called any more.
    let r = app.submit(&signed, &format!("/cases/{}/call", id(2)), &[("observation", "app"), ("phone", ""), ("lang", "ja")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let e = app.get(&format!("/api/v1/cases/{}/call", id(2)), Some(&staff.token)).await;
    assert_eq!(e.body["observation"], "app", "{:?}", e.body);

    // A second tick the same day plans nothing again.
    assert_eq!(sched.tick().await.unwrap(), backend::call::scheduler::Tick::default());
}

#[tokio::test]
async fn a_restart_mid_round_calls_nobody_twice() {
    let app = TestApp::new().await;
    let mut staff = app.centre("restart").await;
    let day = ahead();
    pace(&app, &staff, 10.0).await;
    for i in 0..30 {
        phone_case(&app, &staff, &format!("再開 {i}"), &format!("080{:08}", i), day).await;
    }
    let plan: Plan = Arc::new(Mutex::new(HashMap::new()));
    let sim = sim(plan);
    move_to(&app, &mut staff, jst(day, 9, 0)).await;
    // The first server copy claims a batch and dies while placing it.
    let first = copy(&app.state, &sim);
    let task = tokio::spawn(async move { first.tick().await.expect("tick") });
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    task.abort();
    let _ = task.await;
    let before = sim.placed().len();
    assert!(before > 0 && before < 30, "{before} calls before the restart");
    // Restarted at 9:20 (past the dead copy's lease): the round goes on, once.
    move_to(&app, &mut staff, jst(day, 9, 20)).await;
    let restarted = copy(&app.state, &sim);
    let r = finish_after_a_kill(&app, &mut staff, &restarted).await;
    let placed = sim.placed();
    assert!(placed.values().all(|n| *n == 1), "{placed:?}");
    // A call marked as being placed when the copy died is not placed again: it ends as
    // failed (called again at 10:00); everyone else was called once.
    let failed = count(&r, "first", "failed");
    assert_eq!(placed.len() as i64 + failed, 30, "{r}");
    assert!(failed <= 1, "{r}");
}

/// The access log's rows, newest first, as (action, case id).
fn audit_rows(html: &str) -> Vec<(String, Option<i64>)> {
    let body = &html[html.find("<tbody>").expect("audit table")..];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let cells: Vec<&str> = row.split("<td").skip(1).map(|c| c.split_once('>').map_or("", |(_, v)| v).split("</td>").next().unwrap_or("")).collect();
            let case = cells[3].split('#').nth(1).and_then(|v| v.split('<').next()).and_then(|v| v.parse().ok());
            (cells[2].to_owned(), case)
        })
        .collect()
}

#[tokio::test]
async fn enrolment_changes_and_started_rounds_are_audited() {
    let app = TestApp::new().await;
    let staff = app.centre("audited").await;
    let other = app.centre("elsewhere").await;
    let day = backend::web::today(app.state.clock.now());
    let a = phone_case(&app, &staff, "監査 一郎", "09020000001", day).await["id"].as_i64().unwrap();
    let theirs = phone_case(&app, &other, "他所 二郎", "09020000002", day).await["id"].as_i64().unwrap();
    let signed = app.sign_in(&staff.email, common::PASSWORD).await;
    let before = audit_rows(&app.view(&signed, "/admin/audit").await.text).len();
    // The centre's own rounds off, so the scheduler below plans nothing by itself
    // whatever the time of day; rounds started by staff still run.
    let settings = json!({ "enabled": false, "first_at": "09:00", "retry_at": "10:00", "retry": true, "calls_per_sec": 20.0 });
    let r = app.send(TestApp::request(axum::http::Method::PUT, "/api/v1/call/settings", Some(&staff.token), Some(&settings))).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);

    // Through the API: to the app, then back to the phone at another number in English.
    let put = |body: serde_json::Value, id: i64, token: String| {
        let app = &app;
        async move { app.send(TestApp::request(axum::http::Method::PUT, &format!("/api/v1/cases/{id}/call"), Some(&token), Some(&body))).await }
    };
    assert_eq!(put(json!({ "observation": "app" }), a, staff.token.clone()).await.status, StatusCode::OK);
    let r = put(json!({ "observation": "phone", "phone": "03-5555-0001", "lang": "en" }), a, staff.token.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    // Refused changes write nothing: a bad number, another centre's case.
    assert_eq!(put(json!({ "observation": "phone", "phone": "12" }), a, staff.token.clone()).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(put(json!({ "observation": "app" }), theirs, staff.token.clone()).await.status, StatusCode::NOT_FOUND);
    // On the person page: back to the case's own number in Japanese.
    let r = app.submit(&signed, &format!("/cases/{a}/call"), &[("observation", "phone"), ("phone", ""), ("lang", "ja")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    // A round started with the board's button, then again (refused: no row); the retry
    // through the API once the first round's calls have ended.
    let r = app.submit(&signed, "/call/rounds", &[("round", "first")]).await;
    assert!(r.location().contains("started:1"), "{}", r.location());
    let r = app.submit(&signed, "/call/rounds", &[("round", "first")]).await;
    assert!(r.location().contains("not_started"), "{}", r.location());
    let sched = copy(&app.state, &sim(Arc::new(Mutex::new(HashMap::from([((a, 1), Behaviour::NoAnswer)])))));
    run_until_closed(&app, &staff, &sched, 30).await;
    let r = app.post("/api/v1/call/rounds", Some(&staff.token), json!({ "round": "retry" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);

    let page = app.view(&signed, "/admin/audit").await.text;
    let rows = audit_rows(&page);
    let ours: Vec<(String, Option<i64>)> = rows[..rows.len() - before]
        .iter()
        .filter(|(action, _)| action.contains("自動架電"))
        .cloned()
        .collect();
    let change = "自動架電の設定を変更（方法・架電先・言語）".to_owned();
    let start = "自動架電を開始".to_owned();
    assert_eq!(
        ours,
        vec![
            (start.clone(), None),
            (start, None),
            (change.clone(), Some(a)),
            (change.clone(), Some(a)),
            (change, Some(a)),
            ("自動架電の時刻・速度を変更".to_owned(), None),
        ],
        "{page}"
    );
    // The other centre's log has none of it.
    let theirs_signed = app.sign_in(&other.email, common::PASSWORD).await;
    assert!(!app.view(&theirs_signed, "/admin/audit").await.text.contains("自動架電"));
}
