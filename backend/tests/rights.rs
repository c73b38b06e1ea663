//! The person's rights end to end, on the database the suite runs on: requests filed
//! in the app (refusals change nothing; the same request twice is refused), answered
//! by the centre on its page (corrected beside the original report, refused only with
//! a reason, suspended), the statuses and the disclosure the person sees, and a
//! suspended case gone from the board, the lists, the CSV, the statistics and the
//! automated call while its rows stay.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{Value, json};

async fn requests(t: &TestApp, patient: &str) -> Vec<Value> {
    let r = t.get("/api/v1/rights/requests", Some(patient)).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body["requests"].as_array().unwrap().clone()
}

/// The open request of `kind` (and `item`) on the centre's page.
fn request_id(list: &[Value], kind: &str, item: Option<&str>) -> String {
    list.iter().find(|r| r["kind"] == kind && r["item"].as_str() == item).unwrap()["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn requests_filed_in_the_app_are_answered_by_the_centre_and_the_person_sees_the_outcome() {
    let t = TestApp::new().await;
    let a = t.centre("a").await;
    let other = t.centre("z").await;
    let case = t.current_case(&a, "訂正 花子", "09071110001").await;
    let patient = t.register(&case, "teisei@example.jp").await;
    assert_eq!(t.sync_on(&patient, today(), 378, WELL).await, "watch");
    let report_id = t.get("/api/v1/reports", Some(&patient)).await.body["reports"][0]["id"].as_str().unwrap().to_owned();
    assert!(requests(&t, &patient).await.is_empty());
    assert_eq!(t.get("/api/v1/rights/requests", None).await.status, StatusCode::UNAUTHORIZED);

    // Refusals, each with its own code, and nothing stored.
    for (body, code) in [
        (json!({ "kind": "correction" }), "invalid_item"),
        (json!({ "kind": "suspension", "item": "phone" }), "invalid_item"),
        (json!({ "kind": "correction", "item": "phone", "value": "電話" }), "invalid_value"),
        (json!({ "kind": "correction", "item": "date_of_birth", "value": "1980-02-30" }), "invalid_value"),
        (json!({ "kind": "correction", "item": "temperature", "value": "36.8" }), "invalid_report"),
        (json!({ "kind": "correction", "item": "temperature", "report_id": new_id(), "value": "36.8" }), "invalid_report"),
        (json!({ "kind": "correction", "item": "temperature", "report_id": report_id, "value": "45.0" }), "invalid_value"),
        (json!({ "kind": "suspension", "note": "x".repeat(501) }), "invalid_note"),
    ] {
        let r = t.post("/api/v1/rights/requests", Some(&patient), body.clone()).await;
        assert_eq!((r.status, r.body["error"].as_str()), (StatusCode::BAD_REQUEST, Some(code)), "{body}");
    }
    let r = t.post("/api/v1/rights/requests", Some(&patient), json!({ "kind": "erase" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut req = TestApp::request(Method::POST, "/api/v1/rights/requests", Some(&patient), Some(&json!({ "kind": "correction" })));
    req.headers_mut().insert("accept-language", "en".parse().unwrap());
    assert_eq!(t.send(req).await.body["message"], "Choose the item to correct.");
    assert!(requests(&t, &patient).await.is_empty(), "a refused request leaves nothing");

    // Three requests; the same one again is refused while it waits.
    let reading = json!({ "kind": "correction", "item": "name_reading", "value": "ていせい はなこ", "note": "ふりがなが違います" });
    let r = t.post("/api/v1/rights/requests", Some(&patient), reading.clone()).await;
    assert_eq!((r.status, r.body["status"].as_str()), (StatusCode::CREATED, Some("open")), "{:?}", r.body);
    let r = t.post("/api/v1/rights/requests", Some(&patient), reading).await;
    assert_eq!((r.status, r.body["error"].as_str()), (StatusCode::CONFLICT, Some("request_open")));
    let temp = json!({ "kind": "correction", "item": "temperature", "report_id": report_id, "value": "３６．８" });
    assert_eq!(t.post("/api/v1/rights/requests", Some(&patient), temp).await.status, StatusCode::CREATED);
    assert_eq!(t.post("/api/v1/rights/requests", Some(&patient), json!({ "kind": "suspension" })).await.status, StatusCode::CREATED);
    let mine = requests(&t, &patient).await;
    assert_eq!(mine.len(), 3);
    assert_eq!(mine.iter().find(|r| r["item"] == "temperature").unwrap()["value"], "36.8", "the value in its stored form");

    // The centre's page lists them; another centre cannot answer them.
    let me = t.sign_in(&a.email, PASSWORD).await;
    let page = t.view(&me, "/rights").await;
    assert_eq!((page.status, count(&page.text, "open")), (StatusCode::OK, 3));
    assert!(page.text.contains("訂正 花子") && page.text.contains("ていせい はなこ"), "{}", page.text);
    let stranger = t.sign_in(&other.email, PASSWORD).await;
    assert_eq!(count(&t.view(&stranger, "/rights").await.text, "open"), 0);
    let reading_id = request_id(&mine, "correction", Some("name_reading"));
    let r = t.submit(&stranger, &format!("/rights/{reading_id}/answer"), &[("action", "refused"), ("reason", "理由")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let forged = t.page(Method::POST, &format!("/rights/{reading_id}/answer"), Some(&me.cookie), Some(form(&[("csrf", "x"), ("action", "suspended")])), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Answers: a wrong kind and a refusal without a reason change nothing.
    let suspension_id = request_id(&mine, "suspension", None);
    let temp_id = request_id(&mine, "correction", Some("temperature"));
    let r = t.submit(&me, &format!("/rights/{reading_id}/answer"), &[("action", "suspended")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = t.submit(&me, &format!("/rights/{suspension_id}/answer"), &[("action", "refused"), ("reason", "  ")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text.contains("お断りする理由を入力してください"), "{}", r.text);
    let r = t.submit(&me, &format!("/rights/{temp_id}/answer"), &[("action", "corrected"), ("value", "abc")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(requests(&t, &patient).await.iter().all(|r| r["status"] == "open"));

    // Corrected (the staff's value), corrected (the person's), suspended.
    let r = t.submit(&me, &format!("/rights/{reading_id}/answer"), &[("action", "corrected"), ("value", "ていせい　はなこ")]).await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/rights"), "{}", r.text);
    let r = t.submit(&me, &format!("/rights/{temp_id}/answer"), &[("action", "corrected"), ("value", "36.8")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The board shows today's report as sent with the corrected value beside it.
    let board = t.view(&me, "/").await.text;
    let row = list(&board, "reported");
    assert!(row.contains("37.8") && row.contains("→ 36.8 (本人の請求により訂正)"), "{row}");
    let r = t.submit(&me, &format!("/rights/{suspension_id}/answer"), &[("action", "suspended")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // Answered already: a second answer changes nothing.
    let r = t.submit(&me, &format!("/rights/{suspension_id}/answer"), &[("action", "refused"), ("reason", "後から")]).await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/rights"));
    let page = t.view(&me, "/rights").await;
    assert_eq!(count(&page.text, "open"), 0);

    // The person sees each outcome.
    let mine = requests(&t, &patient).await;
    let status = |id: &str| mine.iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!((status(&reading_id)["status"].as_str(), status(&reading_id)["corrected_value"].as_str()), (Some("corrected"), Some("ていせい　はなこ")));
    assert_eq!(status(&temp_id)["corrected_value"], "36.8");
    assert_eq!(status(&suspension_id)["status"], "suspended");

    // The disclosure: the report as sent, the correction beside it, the new reading.
    let d = t.get("/api/v1/rights/disclosure", Some(&patient)).await;
    assert_eq!(d.status, StatusCode::OK, "{:?}", d.body);
    assert_eq!(d.body["profile"]["name"], "訂正 花子");
    assert_eq!(d.body["profile"]["name_reading"], "ていせい　はなこ");
    assert_eq!(d.body["profile"]["suspended"], true);
    assert_eq!(d.body["reports"][0]["temperature_tenths"], 378, "reports stay as sent");
    let corrections = d.body["corrections"].as_array().unwrap();
    let t_fix = corrections.iter().find(|c| c["item"] == "temperature").unwrap();
    assert_eq!((t_fix["original"].as_str(), t_fix["corrected"].as_str(), t_fix["report_id"].as_str()), (Some("37.8"), Some("36.8"), Some(report_id.as_str())));
    let r_fix = corrections.iter().find(|c| c["item"] == "name_reading").unwrap();
    assert_eq!((r_fix["original"].as_str(), r_fix["corrected"].as_str()), (Some("やまだ たろう"), Some("ていせい　はなこ")));
    let disclosed = d.body["requests"].as_array().unwrap();
    assert_eq!((disclosed.len(), disclosed[0]["kind"].as_str(), disclosed[0]["status"].as_str()), (4, Some("disclosure"), Some("disclosed")), "the disclosure given is recorded");
    // Reading it again the same day adds no second record.
    assert_eq!(t.get("/api/v1/rights/disclosure", Some(&patient)).await.body["requests"].as_array().unwrap().len(), 4);

    // The person page shows the correction beside the original and the suspension.
    let person = t.view(&me, &format!("/cases/{}", case["id"])).await.text;
    assert!(person.contains("37.8") && person.contains("→ 36.8"), "{person}");
    assert!(person.contains("id=\"use-suspended\"") && person.contains("id=\"corrections\""), "{person}");

    // Suspended: gone from the board, the lists, the CSV and the API list; rows kept.
    let board = t.view(&me, "/").await.text;
    assert_eq!((count(&board, "observed"), count(&board, "reported")), (0, 0), "{board}");
    assert!(!t.view(&me, "/cases").await.text.contains("訂正 花子"));
    assert!(!t.view(&me, "/cases?status=reported").await.text.contains("訂正 花子"));
    let csv = t.view(&me, "/export/cases.csv").await.text;
    assert!(!csv.contains("訂正 花子"), "{csv}");
    assert!(!t.view(&me, "/export/reports.csv").await.text.contains(&case["input_id"].as_str().unwrap().to_owned()));
    let listed = t.get("/api/v1/cases", Some(&a.token)).await.body;
    assert!(!listed.to_string().contains("訂正 花子"));
    assert_eq!(t.get(&format!("/api/v1/cases/{}/reports", case["id"]), Some(&a.token)).await.body["reports"].as_array().unwrap().len(), 1);
    let groups = backend::stats::store::compute_day(&t.db, today()).await.unwrap();
    assert!(groups.iter().all(|g| g.0 != a.centre_id), "the statistics leave it out");
    // Nor does it leave the server as FHIR, alone or in the centre's bulk export.
    let fhir = t.get(&format!("/api/fhir/cases/{}", case["id"]), Some(&a.token)).await;
    assert_eq!((fhir.status, fhir.body["error"].as_str()), (StatusCode::FORBIDDEN, Some("export_refused")));
    let bulk = t.get("/api/fhir/centre.ndjson", Some(&a.token)).await;
    assert_eq!(bulk.status, StatusCode::OK);
    let bulk = bulk.body.to_string();
    assert!(!bulk.contains("訂正") && !bulk.contains(case["input_id"].as_str().unwrap()) && !bulk.contains(&report_id), "{bulk}");

    // Every answer and the list are in the access log.
    let audit = t.view(&me, "/admin/audit").await.text;
    for action in ["本人の請求により訂正", "本人の請求により利用停止", "開示・訂正・利用停止の請求一覧を表示"] {
        assert!(audit.contains(action), "{action}");
    }
}

#[tokio::test]
async fn a_refusal_carries_its_reason_to_the_person_and_the_case_stays_in_use() {
    let t = TestApp::new().await;
    let a = t.centre("r").await;
    let case = t.current_case(&a, "拒否 次郎", "09071110002").await;
    let patient = t.register(&case, "kyohi@example.jp").await;
    t.post("/api/v1/rights/requests", Some(&patient), json!({ "kind": "suspension" })).await;
    let id = requests(&t, &patient).await[0]["id"].as_str().unwrap().to_owned();
    let me = t.sign_in(&a.email, PASSWORD).await;
    let r = t.submit(&me, &format!("/rights/{id}/answer"), &[("action", "refused"), ("reason", "感染症法に基づき観察中のため")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mine = requests(&t, &patient).await;
    assert_eq!((mine[0]["status"].as_str(), mine[0]["reason"].as_str()), (Some("refused"), Some("感染症法に基づき観察中のため")));
    assert_eq!(count(&t.view(&me, "/").await.text, "observed"), 1);
    assert!(t.view(&me, "/admin/audit").await.text.contains("本人の請求をお断り"));
}

#[tokio::test]
async fn people_without_the_app_file_on_the_public_page_after_the_attribute_check() {
    let t = TestApp::new().await;
    let a = t.centre("p").await;
    let case = t.current_case(&a, "公開 三郎", "09071110003").await;
    let input_id = case["input_id"].as_str().unwrap().to_owned();
    let mut phone = Phone::default();
    let page = t.open(&mut phone, "/app/rights").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains("スマホ入力ID"), "{}", page.text);
    let fields = |name: &'static str, dob: &'static str, tel: &'static str, kind: &'static str| -> Vec<(&'static str, String)> {
        vec![("name", name.into()), ("date_of_birth", dob.into()), ("phone", tel.into()), ("input_id", input_id.clone()), ("kind", kind.into())]
    };
    // Each wrong attribute gets the one answer, which names none of them.
    let mut answers = Vec::new();
    for f in [fields("公開 四郎", "1980-04-01", "09071110003", "disclosure"), fields("公開 三郎", "1981-04-01", "09071110003", "disclosure"), fields("公開 三郎", "1980-04-01", "09071110009", "disclosure")] {
        let r = t.fill(&mut phone, "/app/rights", &refs(&f)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let at = r.text.find("id=\"error\"").unwrap();
        answers.push(r.text[at..at + r.text[at..].find("</p>").unwrap()].to_owned());
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]) && answers[0].contains("一致しません"), "{answers:?}");
    // Without the page's form token: refused.
    let f = fields("公開 三郎", "1980-04-01", "09071110003", "disclosure");
    let body = form(&refs(&f));
    assert_eq!(t.page(Method::POST, "/app/rights", None, Some(body), &[]).await.status, StatusCode::FORBIDDEN);

    // A correction is filed and listed with its status; a disclosure shows the data.
    let mut f = fields("公開　三郎", "1980-04-01", "０９０-７１１１-０００３", "correction");
    f.extend([("item", "phone".to_owned()), ("value", "090-7111-0004".to_owned())]);
    let r = t.fill(&mut phone, "/app/rights", &refs(&f)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.text.contains("id=\"filed\"") && r.text.contains("09071110004") && r.text.contains("status-open"), "{}", r.text);
    let f = fields("公開 三郎", "1980-04-01", "09071110003", "disclosure");
    let r = t.fill(&mut phone, "/app/rights", &refs(&f)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("公開 三郎") && r.text.contains("09071110003") && !r.text.contains("a保健所") && r.text.contains("p保健所"), "{}", r.text);
    let me = t.sign_in(&a.email, PASSWORD).await;
    let page = t.view(&me, "/rights").await.text;
    assert_eq!(count(&page, "open"), 1);
    assert!(page.contains("ウェブ"), "filed on the page");
}

#[tokio::test]
async fn a_signed_in_person_files_on_the_pages_and_reads_the_disclosure() {
    let t = TestApp::new().await;
    let a = t.centre("s").await;
    let case = t.current_case(&a, "画面 四郎", "09071110005").await;
    let mut phone = Phone::default();
    t.register_on_pages(&mut phone, &case, "gamen@example.jp").await;
    let r = t.open(&mut phone, "/app/rights").await;
    assert!(r.text.contains("id=\"to-disclosure\"") && !r.text.contains("name=\"input_id\""), "{}", r.text);
    let r = t.fill(&mut phone, "/app/rights", &[("kind", "correction"), ("item", "name"), ("value", "画面 史郎")]).await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/app/rights"), "{}", r.text);
    let r = t.open(&mut phone, "/app/rights").await;
    assert!(r.text.contains("画面 史郎") && r.text.contains("status-open"), "{}", r.text);
    let r = t.open(&mut phone, "/app/rights/disclosure").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text.contains("id=\"p-name\">画面 四郎") && r.text.contains("status-disclosed"), "{}", r.text);
    // Without a session the disclosure page asks to sign in.
    let r = t.page(Method::GET, "/app/rights/disclosure", None, None, &[]).await;
    assert_eq!(r.location(), "/app/login");
}

#[tokio::test]
async fn the_public_page_is_throttled_like_registration_tries() {
    let t = TestApp::with(|c| c.limits.tries_per_client = backend::config::Quota::new(2, 600)).await;
    let a = t.centre("t").await;
    let case = t.current_case(&a, "制限 五郎", "09071110006").await;
    let input_id = case["input_id"].as_str().unwrap();
    let mut phone = Phone::default();
    t.open(&mut phone, "/app/rights").await;
    let wrong = [("name", "制限 六郎"), ("date_of_birth", "1980-04-01"), ("phone", "09071110006"), ("input_id", input_id), ("kind", "suspension")];
    for _ in 0..2 {
        assert_eq!(t.fill(&mut phone, "/app/rights", &wrong).await.status, StatusCode::BAD_REQUEST);
    }
    let right = [("name", "制限 五郎"), ("date_of_birth", "1980-04-01"), ("phone", "09071110006"), ("input_id", input_id), ("kind", "suspension")];
    assert_eq!(t.fill(&mut phone, "/app/rights", &right).await.status, StatusCode::TOO_MANY_REQUESTS);
    let me = t.sign_in(&a.email, PASSWORD).await;
    assert_eq!(count(&t.view(&me, "/rights").await.text, "open"), 0, "nothing filed while throttled");
}

#[tokio::test]
async fn the_rights_operations_are_in_the_openapi_document() {
    let t = TestApp::new().await;
    let doc = t.get("/api/openapi.json", None).await.body;
    for (path, method) in [("/api/v1/rights/requests", "post"), ("/api/v1/rights/requests", "get"), ("/api/v1/rights/disclosure", "get")] {
        assert!(doc["paths"][path][method].is_object(), "{path} {method}");
    }
    assert!(doc["components"]["schemas"]["FileRequest"].is_object());
}
