//! The patient pages end to end on either database: the leaflet's address with the
//! centre looked up by its id (a forged name or number is never shown), first
//! registration one step a page, a report with its confirm step landing exactly like
//! one from the app (one report for a confirm form sent twice, the same triage, the
//! same board row), the advice with the centre's number, the person's history and
//! chart, sign-out, and the family's urgent check with and without the leaflet's link.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;

/// A centre and a case under observation today with its registered case body.
async fn setup(t: &TestApp) -> (Staff, serde_json::Value) {
    let staff = t.centre("p").await;
    let case = t.current_case(&staff, "画面 花子", "09022223333").await;
    (staff, case)
}

#[tokio::test]
async fn the_start_page_names_the_centre_of_the_links_id_and_never_a_forged_number() {
    let t = TestApp::new().await;
    let (staff, _) = setup(&t).await;
    let mut phone = Phone::default();
    let forged = format!(
        "/app?centre={}&name=%E5%81%BD%E4%BF%9D%E5%81%A5%E6%89%80&tel=0120-999-999",
        staff.centre_id
    );
    let r = t.open(&mut phone, &forged).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text.contains("<html lang=\"ja\">")
            && r.text.contains("新規登録")
            && r.text.contains("ログイン")
    );
    assert!(
        r.text.contains("p保健所") && r.text.contains("href=\"tel:0312345678\""),
        "{}",
        r.text
    );
    assert!(
        !r.text.contains("偽保健所") && !r.text.contains("0120"),
        "a forged name or number is shown"
    );
    assert!(
        r.text
            .contains(&format!("href=\"/app/check?centre={}\"", staff.centre_id))
    );
    assert!(r.text.contains("href=\"/app/install\""));
    assert!(
        r.headers
            .get("content-security-policy")
            .is_some_and(|v| v.to_str().unwrap().contains("default-src 'none'"))
    );
    for bad in [
        "/app?centre=9999&name=x&tel=0120-999-999",
        "/app?centre=abc",
        "/app?centre=-1",
        "/app",
    ] {
        let r = t.open(&mut phone, bad).await;
        assert_eq!(r.status, StatusCode::OK, "{bad}");
        assert!(
            !r.text.contains("id=\"centre\"")
                && !r.text.contains("0120")
                && r.text.contains("href=\"/app/check\""),
            "{bad}"
        );
    }
    // English by the switch; the page says so in its language attribute.
    let r = t
        .page(Method::GET, "/app", Some("mimamori_lang=en"), None, &[])
        .await;
    assert!(r.text.contains("<html lang=\"en\">") && r.text.contains("New registration"));
    let r = t.open(&mut phone, "/app/install").await;
    assert!(r.status == StatusCode::OK && r.text.contains("アプリ"));
}

#[tokio::test]
async fn registration_on_the_pages_then_a_report_lands_like_one_from_the_app() {
    let t = TestApp::new().await;
    let (staff, case) = setup(&t).await;
    let mut phone = Phone::default();
    t.register_on_pages(&mut phone, &case, "hanako.web@example.jp")
        .await;
    // The session cookie: own name, HttpOnly, SameSite=Strict, only for the pages.
    let r = t.open(&mut phone, "/app/welcome").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text.contains("value=\"infected\" checked"),
        "the centre's kind is chosen"
    );
    // The report: confirm, then send.
    let (send, confirm) = t
        .report_on_pages(&mut phone, "infected", "37.8", [2, 2, 1, 2, 2, 2, 2, 2, 2])
        .await;
    assert!(confirm.text.contains("37.8") && confirm.text.contains("息苦しさはありますか"));
    assert_eq!(send.status, StatusCode::SEE_OTHER, "{}", send.text);
    let advice_path = send.location().to_owned();
    assert!(advice_path.starts_with("/app/reports/"));
    // The same confirm form sent again is the same report, with the same advice.
    let again = t
        .fill(
            &mut phone,
            "/app/report",
            &refs(&send_fields(&confirm.text)),
        )
        .await;
    assert_eq!(
        (again.status, again.location()),
        (StatusCode::SEE_OTHER, advice_path.as_str())
    );
    let advice = t.open(&mut phone, &advice_path).await;
    assert_eq!(advice.status, StatusCode::OK);
    assert!(
        advice.text.contains("level-call_now")
            && advice
                .text
                .contains("すぐに保健所の緊急連絡先にお電話ください。")
    );
    assert!(advice.text.contains("息苦しさがある") && advice.text.contains("発熱 37.8℃"));
    assert!(
        advice
            .text
            .contains("id=\"call-number\" class=\"button call-button\" href=\"tel:0312345678\""),
        "{}",
        advice.text
    );
    assert!(
        advice
            .text
            .contains("p保健所の緊急連絡先（03-1234-5678）にお電話ください。")
    );
    assert!(
        advice.text.contains("急に息苦しくなった") && !advice.text.contains("唇が紫色"),
        "only the breathing group is listed"
    );

    // Staff see one report, triaged as the app's would be, on the board's urgent list.
    let id = case["id"].as_i64().unwrap();
    let r = t
        .get(&format!("/api/v1/cases/{id}/reports"), Some(&staff.token))
        .await;
    let reports = r.body["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1, "{:?}", r.body);
    assert_eq!(reports[0]["advice"], "call_now");
    assert_eq!(
        reports[0]["id"].as_str().unwrap(),
        advice_path.trim_start_matches("/app/reports/")
    );
    assert_eq!(reports[0]["urgent_waiting"], true);
    let signed = t.sign_in(&staff.email, PASSWORD).await;
    let board = t.view(&signed, "/").await;
    assert_eq!(count(&board.text, "urgent"), 1);
    assert_eq!(count(&board.text, "reported"), 1);
    assert!(list(&board.text, "urgent").contains(&format!("data-case-id=\"{id}\"")));
    let audit = t.view(&signed, "/admin/audit").await;
    assert!(
        audit.text.contains("本日の状況を表示"),
        "staff views are audited as for any report"
    );

    // The person's page: today reported, the history, the chart.
    let home = t.open(&mut phone, "/app/home").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.text.contains("本日の入力は済んでいます。")
            && home.text.contains("37.8℃")
            && home.text.contains("id=\"chart\"")
    );
    assert_eq!(home.text.matches("<li data-report-id=").count(), 1);
    // A well report afterwards is a second report; its advice has no number to call.
    let (send, _) = t
        .report_on_pages(&mut phone, "infected", "３６．６", [2; 9])
        .await;
    let well = t.open(&mut phone, send.location()).await;
    assert!(
        well.text.contains("level-none") && !well.text.contains("id=\"call\""),
        "{}",
        well.text
    );
    assert_eq!(
        t.open(&mut phone, "/app/home")
            .await
            .text
            .matches("<li data-report-id=")
            .count(),
        2
    );

    // Sign-out ends the session on the server too.
    let old = phone.clone();
    let r = t.fill(&mut phone, "/app/logout", &[]).await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/app"));
    assert!(!phone.jar.contains_key("mimamori_patient"));
    let r = t
        .page(Method::GET, "/app/home", Some(&old.cookie()), None, &[])
        .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/app/login")
    );
}

#[tokio::test]
async fn a_registered_person_signs_in_on_the_pages_and_sees_only_their_own_reports() {
    let t = TestApp::new().await;
    let (_, case) = setup(&t).await;
    let token = t.register(&case, "app.user@example.jp").await;
    let advice = t.sync_on(&token, today(), 365, WELL).await;
    assert_eq!(advice, "none");
    let mut phone = Phone::default();
    let r = t.open(&mut phone, "/app/login").await;
    assert!(r.text.contains("autocomplete=\"current-password\""));
    let r = t
        .fill(
            &mut phone,
            "/app/login",
            &[
                ("email", "app.user@example.jp"),
                ("password", "wrong-Password-1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.text
            .contains("メールアドレスまたはパスワードが正しくありません。")
            && r.text.contains("value=\"app.user@example.jp\"")
    );
    let r = t
        .fill(
            &mut phone,
            "/app/login",
            &[("email", "APP.USER@example.jp"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(
        (r.status, r.location()),
        (StatusCode::SEE_OTHER, "/app/home")
    );
    let (_, cookie_line) = r.set_cookie("mimamori_patient").unwrap();
    assert!(
        cookie_line.contains("HttpOnly")
            && cookie_line.contains("SameSite=Strict")
            && cookie_line.contains("Path=/app"),
        "{cookie_line}"
    );
    let home = t.open(&mut phone, "/app/home").await;
    assert_eq!(
        home.text.matches("<li data-report-id=").count(),
        1,
        "the report synced from the app is in the history"
    );
    // Signed in, the start page and the sign-in page lead to the person's page.
    assert!(
        t.open(&mut phone, "/app")
            .await
            .text
            .contains("id=\"go-home\"")
    );
    assert_eq!(
        t.open(&mut phone, "/app/login").await.location(),
        "/app/home"
    );
}

#[tokio::test]
async fn the_family_check_shows_the_centres_number_only_from_the_leaflets_link() {
    let t = TestApp::new().await;
    let (staff, case) = setup(&t).await;
    let mut phone = Phone::default();
    let with = format!("/app/check?centre={}", staff.centre_id);
    let r = t.open(&mut phone, &with).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.text.matches("name=\"symptom\"").count(), 13);
    assert_eq!(r.text.matches("※</span>").count(), 4);
    assert_eq!(
        r.text.matches("<fieldset id=\"group-").count(),
        4,
        "three groups and cough/fever"
    );
    assert!(
        r.text.contains("href=\"tel:0312345678\"")
            && r.text
                .contains(&format!("name=\"centre\" value=\"{}\"", staff.centre_id))
    );
    let centre = staff.centre_id.to_string();
    let r = t
        .fill(
            &mut phone,
            "/app/check",
            &[
                ("centre", &centre),
                ("symptom", "purple_lips"),
                ("symptom", "dazed"),
                ("kind", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text.contains("level-call_now")
            && r.text.contains("唇が紫色になっている")
            && r.text.contains("ぼんやりしている")
    );
    assert!(
        r.text.contains("p保健所の緊急連絡先（03-1234-5678）")
            && r.text.contains("href=\"tel:0312345678\"")
            && r.text.contains("href=\"tel:119\"")
    );
    assert!(
        r.text.contains(&format!("href=\"{with}\"")),
        "the centre is kept for checking again"
    );
    // A close contact's cough calls; an infected person's cough is watched.
    let r = t
        .fill(
            &mut phone,
            "/app/check",
            &[
                ("centre", &centre),
                ("cough", "1"),
                ("kind", "close_contact"),
            ],
        )
        .await;
    assert!(r.text.contains("level-call_now"));
    let r = t
        .fill(
            &mut phone,
            "/app/check",
            &[("centre", &centre), ("cough", "1"), ("kind", "infected")],
        )
        .await;
    assert!(r.text.contains("level-watch"));
    // Without the link (or with an unknown centre): where the number is, and 119.
    for path in ["/app/check", "/app/check?centre=9999"] {
        let mut other = Phone::default();
        let r = t.open(&mut other, path).await;
        assert!(
            !r.text.contains("0312345678")
                && r.text.contains("リーフレット")
                && r.text.contains("119番"),
            "{path}"
        );
        let r = t
            .fill(
                &mut other,
                "/app/check",
                &[("centre", "9999"), ("symptom", "chest_pain")],
            )
            .await;
        assert!(
            r.text.contains("level-call_now")
                && !r.text.contains("0312345678")
                && r.text.contains("119番に電話してください"),
            "{}",
            r.text
        );
        assert!(!r.text.contains("id=\"call-number\""));
    }
    // Nothing ticked still says whom to call.
    let r = t.fill(&mut phone, "/app/check", &[("centre", "")]).await;
    assert!(r.text.contains("level-none") && r.text.contains("119"));
    // A signed-in person's phone knows its own centre without the link.
    let mut own = Phone::default();
    t.register_on_pages(&mut own, &case, "family@example.jp")
        .await;
    let r = t.open(&mut own, "/app/check").await;
    assert!(r.text.contains("href=\"tel:0312345678\""));
    // English.
    let r = t
        .page(Method::GET, &with, Some("mimamori_lang=en"), None, &[])
        .await;
    assert!(
        r.text.contains("Lips have turned purple")
            && r.text
                .contains("Call the emergency number of p保健所: 03-1234-5678.")
    );
}
