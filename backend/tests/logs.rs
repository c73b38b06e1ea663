//! Nothing personal reaches the log: the whole flow runs with every target at `trace`
//! (bar the documented caps), the output is captured, and no name, phone number,
//! e-mail address, code, input ID, password, token, answer set or contact note may
//! appear in it, through the API, the health-centre pages or the patient pages.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn log_has(capture: &Capture, what: &str) -> bool {
    String::from_utf8_lossy(&capture.0.lock().unwrap()).contains(what)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_carries_no_personal_data() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_env_filter(backend::logging::filter("trace"))
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .try_init()
        .expect("the only subscriber in this test binary");

    let t = TestApp::new().await;
    let staff = t.centre("logs").await;
    let name = "渡辺 絵里香";
    let phone = "09087654321";
    let email = "erika.watanabe@example.jp";
    let mut body = case_body(name, phone);
    body["email"] = json!(email);
    let case = t.post("/api/v1/cases", Some(&staff.token), body).await.body;
    let input_id = case["input_id"].as_str().unwrap().to_owned();

    let r = t.post("/api/v1/registrations", None, json!({ "email": email })).await;
    let id = r.body["request_id"].as_str().unwrap().to_owned();
    let code = t.code_for(email);
    // A wrong try and a mismatching attribute set are logged as events, without values.
    let wrong = if code == "999999" { "999998" } else { "999999" };
    t.post(&format!("/api/v1/registrations/{id}/verify"), None, json!({ "code": wrong })).await;
    let r = t.post(&format!("/api/v1/registrations/{id}/verify"), None, json!({ "code": code })).await;
    let reg = r.body["registration_token"].as_str().unwrap().to_owned();
    let password = "Erika-Secret-77";
    t.post(&format!("/api/v1/registrations/{id}/password"), Some(&reg), json!({ "password": password })).await;
    let mut wrong_attrs = attributes_of(&case);
    wrong_attrs["name"] = json!("渡辺 恵理子");
    t.post(&format!("/api/v1/registrations/{id}/attributes"), Some(&reg), wrong_attrs).await;
    let r = t.post(&format!("/api/v1/registrations/{id}/attributes"), Some(&reg), attributes_of(&case)).await;
    let token = r.body["token"].as_str().unwrap().to_owned();
    let answers = [1, 2, 1, 2, 9, 2, 2, 1, 2];
    let r = t.post("/api/v1/reports:batch", Some(&token), json!({ "reports": [report(&new_id(), "2026-01-03", 388, answers)] })).await;
    assert_eq!(r.body["results"][0]["status"], "accepted");
    // Bodies that fail to parse must not be echoed into the log either.
    let leak = json!({ "email": "erika.watanabe@example.jp", "extra": "渡辺 絵里香" });
    t.post("/api/v1/registrations", None, leak).await;
    let r = t.post("/api/v1/login", None, json!({ "email": email, "password": password })).await;
    let login_token = r.body["token"].as_str().unwrap().to_owned();
    t.post("/api/v1/login", None, json!({ "email": email, "password": "Wrong-Secret-1" })).await;
    t.get(&format!("/api/v1/cases/{}/reports", case["id"]), Some(&staff.token)).await;
    // The pages: signing in, the board, searches by name and phone, the person page, a
    // contact note, a refused case form and the exports.
    let me = t.sign_in(&staff.email, PASSWORD).await;
    let page_token = me.cookie.trim_start_matches("mimamori_staff=").to_owned();
    let note = "妹さんが看病中";
    for path in ["/".to_owned(), "/cases?q=%E6%B8%A1%E8%BE%BA".into(), format!("/cases?q={phone}"), format!("/cases/{}", case["id"])] {
        assert_eq!(t.view(&me, &path).await.status, axum::http::StatusCode::OK, "{path}");
    }
    t.submit(&me, &format!("/cases/{}/contacts", case["id"]), &[("outcome", "reached"), ("note", note)]).await;
    // The report above was urgent (face not as usual): marking it handled, with a note.
    let handling = "救急車で搬送された";
    let r = t.post(&format!("/api/v1/cases/{}/handled", case["id"]), Some(&staff.token), json!({ "note": handling })).await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{:?}", r.body);
    let refused = [("name", "渡辺 花梨"), ("name_reading", "わたなべ かりん"), ("date_of_birth", "1999-09-09"), ("phone", "0801111-bad")];
    assert_eq!(t.submit(&me, "/cases", &refused).await.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    t.view(&me, "/export/cases.csv").await;
    t.view(&me, "/export/reports.csv").await;

    // The patient pages: registration with a mismatch, a report, sign-in, the family check.
    let web_case = t.current_case(&staff, "小林 樹里", "08055556666").await;
    let web_email = "juri.kobayashi@example.jp";
    let mut browser = Phone::default();
    t.open(&mut browser, "/app/register").await;
    t.fill(&mut browser, "/app/register", &[("email", web_email)]).await;
    let web_code = t.code_for(web_email);
    t.open(&mut browser, "/app/register/code").await;
    t.fill(&mut browser, "/app/register/code", &[("code", &web_code)]).await;
    t.fill(&mut browser, "/app/register/password", &[("password", "Juri-Secret-55")]).await;
    let web_input_id = web_case["input_id"].as_str().unwrap().to_owned();
    t.fill(&mut browser, "/app/register/attributes", &[("name", "小林 朱里"), ("date_of_birth", "1980-04-01"), ("phone", "08055556666"), ("input_id", &web_input_id)]).await;
    let r = t.fill(&mut browser, "/app/register/attributes", &[("name", "小林 樹里"), ("date_of_birth", "1980-04-01"), ("phone", "08055556666"), ("input_id", &web_input_id)]).await;
    assert_eq!(r.location(), "/app/welcome");
    let web_token = browser.jar["mimamori_patient"].clone();
    let (sent, _) = t.report_on_pages(&mut browser, "infected", "38.4", [1, 2, 1, 2, 9, 2, 2, 1, 2]).await;
    t.open(&mut browser, sent.location()).await;
    t.open(&mut browser, "/app/home").await;
    t.fill(&mut browser, "/app/logout", &[]).await;
    t.open(&mut browser, "/app/login").await;
    t.fill(&mut browser, "/app/login", &[("email", web_email), ("password", "Juri-Secret-55")]).await;
    t.open(&mut browser, "/app/check").await;
    t.fill(&mut browser, "/app/check", &[("symptom", "purple_lips")]).await;
    assert!(log_has(&capture, "report sent from the pages"));
    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("registration completed"), "the flow was logged at all:\n{log}");
    assert!(log.contains("wrong verification code"));
    assert!(log.contains("urgent reports handled"));
    assert!(log.contains("registration attributes did not match"));
    let answer_digits: String = answers.iter().map(|a| a.to_string()).collect();
    for (what, secret) in [
        ("name", name),
        ("family name", "渡辺"),
        ("given name", "絵里香"),
        ("phone", phone),
        ("phone tail", "87654321"),
        ("email", email),
        ("email local part", "erika.watanabe"),
        ("input id", input_id.as_str()),
        ("code", code.as_str()),
        ("password", password),
        ("registration token", reg.as_str()),
        ("patient token", token.as_str()),
        ("login token", login_token.as_str()),
        ("staff token", staff.token.as_str()),
        ("answers", answer_digits.as_str()),
        ("date of birth", "1980-04-01"),
        ("page session token", page_token.as_str()),
        ("page CSRF token", me.csrf.as_str()),
        ("contact note", note),
        ("handling note", handling),
        ("refused form's name", "花梨"),
        ("refused form's phone", "0801111"),
        ("page patient's name", "樹里"),
        ("page mismatch name", "朱里"),
        ("page patient's phone", "55556666"),
        ("page patient's email", "juri.kobayashi"),
        ("page patient's code", web_code.as_str()),
        ("page patient's password", "Juri-Secret-55"),
        ("page patient's input id", web_input_id.as_str()),
        ("page patient's session", web_token.as_str()),
        ("page patient's form token", browser.csrf.as_str()),
        ("page patient's temperature", "38.4"),
    ] {
        assert!(!log.contains(secret), "the log carries the {what}");
    }
}
