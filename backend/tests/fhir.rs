//! FHIR R4 export and import from outside: a case as a Bundle and a centre's bulk NDJSON
//! validated by `fhir.resources` (R4B models, which read R4 JSON; `tests/fhir/validate.py`)
//! with our checks of codes and units; the published Questionnaires and CodeSystems;
//! the centre scope (another centre's case is 404), the staff page session and the
//! person page's link, the audit rows; a notification exported, imported by a clinic
//! and exported again with the same data; each import refusal a 422 naming the item.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use axum::body::Body;
use axum::http::{Method, Request, header};
use backend::clinic::admin::{InstitutionSetup, add_municipality, create_institution};
use backend::clinic::store;
use backend::fhir::definitions::{CODE_SYSTEMS, DAILY, NOTIFICATION};
use backend::password::HashCost;
use common::*;
use serde_json::{Value, json};
use std::process::Command;

/// The python of the test environment (installs fhir.resources on first use).
fn python() -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/setup/python.sh");
    let out = Command::new("bash").arg(script).output().expect("run tests/setup/python.sh");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// Every published definition, as the server serves it.
async fn definitions(t: &TestApp) -> Value {
    let mut all = Vec::new();
    for id in [DAILY, NOTIFICATION] {
        let r = t.get(&format!("/fhir/Questionnaire/{id}"), None).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/fhir+json");
        all.push(r.body);
    }
    for (id, _, _) in CODE_SYSTEMS {
        let r = t.get(&format!("/fhir/CodeSystem/{id}"), None).await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        all.push(r.body);
    }
    Value::Array(all)
}

/// Runs the validator over `files` (name, content); its summary lines.
async fn validate(t: &TestApp, files: &[(&str, String)]) -> String {
    let (ok, stdout) = run_validator(t, files).await;
    assert!(ok, "validation failed:\n{stdout}");
    stdout
}

/// Runs the validator; whether it passed, and what it printed.
async fn run_validator(t: &TestApp, files: &[(&str, String)]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let defs = dir.path().join("definitions.json");
    std::fs::write(&defs, serde_json::to_vec(&definitions(t).await).unwrap()).unwrap();
    let mut cmd = Command::new(python());
    cmd.arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fhir/validate.py")).arg(&defs);
    for (name, content) in files {
        let p = dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        cmd.arg(p);
    }
    let out = cmd.output().expect("run the validator");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.success(), stdout + &String::from_utf8_lossy(&out.stderr))
}

async fn raw(t: &TestApp, path: &str, token: Option<&str>, cookie: Option<&str>) -> (u16, String, String) {
    let mut b = Request::builder().method(Method::GET).uri(path);
    if let Some(tok) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {tok}"));
    }
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    t.send_raw(b.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn bulk_data_export_kicks_off_reports_progress_and_serves_one_validated_file_per_type() {
    let t = TestApp::new().await;
    let a = t.centre("bulk").await;
    let b = t.centre("other").await;
    case_with_reports(&t, &a, "一括 太郎", "09012340001", "bulk.taro@example.jp").await;
    case_with_reports(&t, &a, "一括 花子", "09012340002", "bulk.hanako@example.jp").await;
    case_with_reports(&t, &b, "他所 三郎", "09012340003", "bulk.saburo@example.jp").await;
    let kickoff = |path: &str, prefer: bool| {
        let mut req = TestApp::request(Method::GET, path, Some(&a.token), None);
        if prefer {
            req.headers_mut().insert("prefer", "respond-async".parse().unwrap());
        }
        req
    };
    let r = t.send(kickoff("/api/fhir/$export", false)).await;
    assert_eq!((r.status.as_u16(), r.body["error"].as_str()), (400, Some("respond_async_required")));
    let r = t.send(kickoff("/api/fhir/$export?_type=Encounter", true)).await;
    assert_eq!((r.status.as_u16(), r.body["error"].as_str()), (400, Some("invalid_type")));
    let r = t.send(kickoff("/api/fhir/$export?_outputFormat=text/csv", true)).await;
    assert_eq!((r.status.as_u16(), r.body["error"].as_str()), (400, Some("invalid_output_format")));

    let r = t.send(kickoff("/api/fhir/$export", true)).await;
    assert_eq!(r.status.as_u16(), 202);
    let status_url = r.headers.get("content-location").unwrap().to_str().unwrap().to_owned();
    let status_path = status_url.strip_prefix("http://127.0.0.1:8080").expect("an absolute URL on this server").to_owned();
    // Poll as a client does: 202 with Retry-After until the manifest.
    let mut manifest = Value::Null;
    for _ in 0..500 {
        let r = t.get(&status_path, Some(&a.token)).await;
        if r.status.as_u16() == 202 {
            assert!(r.headers.contains_key("retry-after") && r.headers.contains_key("x-progress"));
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            continue;
        }
        assert_eq!(r.status.as_u16(), 200, "{:?}", r.body);
        manifest = r.body;
        break;
    }
    assert_eq!(manifest["requiresAccessToken"], true);
    assert!(manifest["request"].as_str().unwrap().ends_with("/api/fhir/$export") && manifest["transactionTime"].is_string());
    let outputs = manifest["output"].as_array().unwrap();
    let counts: Vec<(String, u64)> = outputs.iter().map(|o| (o["type"].as_str().unwrap().to_owned(), o["count"].as_u64().unwrap())).collect();
    assert_eq!(counts, [("Patient".to_owned(), 2), ("Observation".to_owned(), 6), ("QuestionnaireResponse".to_owned(), 6)]);
    assert_eq!(t.get(&status_path, Some(&b.token)).await.status.as_u16(), 404, "another centre's job");
    let mut files = Vec::new();
    for o in outputs {
        let path = o["url"].as_str().unwrap().strip_prefix("http://127.0.0.1:8080").unwrap().to_owned();
        let (status, kind, text) = raw(&t, &path, Some(&a.token), None).await;
        assert_eq!((status, kind.as_str()), (200, "application/fhir+ndjson"));
        assert!(text.lines().all(|l| serde_json::from_str::<Value>(l).unwrap()["resourceType"] == o["type"]), "one type per file");
        assert!(!text.contains("他所"), "only this centre's cases");
        assert_eq!(raw(&t, &path, Some(&b.token), None).await.0, 404);
        assert_eq!(raw(&t, &path, None, None).await.0, 401);
        files.push((format!("{}.ndjson", o["type"].as_str().unwrap()), text));
    }
    let named: Vec<(&str, String)> = files.iter().map(|(n, x)| (n.as_str(), x.clone())).collect();
    assert_eq!(validate(&t, &named).await, "Observation 6\nPatient 2\nQuestionnaireResponse 6\n");

    // Removed on request; a type filter exports that type only.
    assert_eq!(t.send(TestApp::request(Method::DELETE, &status_path, Some(&a.token), None)).await.status.as_u16(), 202);
    assert_eq!(t.get(&status_path, Some(&a.token)).await.status.as_u16(), 404);
    let r = t.send(kickoff("/api/fhir/$export?_type=Patient", true)).await;
    let status_path = r.headers.get("content-location").unwrap().to_str().unwrap().strip_prefix("http://127.0.0.1:8080").unwrap().to_owned();
    let mut types = Vec::new();
    for _ in 0..500 {
        let r = t.get(&status_path, Some(&a.token)).await;
        if r.status.as_u16() == 200 {
            types = r.body["output"].as_array().unwrap().iter().map(|o| o["type"].as_str().unwrap().to_owned()).collect();
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(types, ["Patient"]);
}

impl TestApp {
    async fn send_raw(&self, req: Request<Body>) -> (u16, String, String) {
        use http_body_util::BodyExt;
        use tower::ServiceExt;
        let res = self.app.clone().oneshot(req).await.unwrap();
        let status = res.status().as_u16();
        let kind = res.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (status, kind, String::from_utf8(bytes.to_vec()).unwrap())
    }
}

/// A case with a well day, a fever day and an urgent (breathless) report.
async fn case_with_reports(t: &TestApp, staff: &Staff, name: &str, phone: &str, email: &str) -> Value {
    let case = t.current_case(staff, name, phone).await;
    let patient = t.register(&case, email).await;
    let day = today();
    assert_eq!(t.sync_on(&patient, day - chrono::Duration::days(1), 365, WELL).await, "none");
    assert_eq!(t.sync_on(&patient, day, 384, [2, 1, 2, 1, 2, 2, 2, 2, 2]).await, "watch");
    assert_eq!(t.sync_on(&patient, day, 379, [2, 2, 1, 2, 2, 2, 9, 2, 2]).await, "call_now");
    case
}

fn of_type<'a>(resources: &'a [Value], kind: &str) -> Vec<&'a Value> {
    resources.iter().filter(|r| r["resourceType"] == kind).collect()
}

fn item<'a>(qr: &'a Value, link: &str) -> &'a Value {
    fn find<'a>(items: &'a [Value], link: &str) -> Option<&'a Value> {
        items.iter().find_map(|i| if i["linkId"] == link { Some(i) } else { i["item"].as_array().and_then(|c| find(c, link)) })
    }
    find(qr["item"].as_array().unwrap(), link).unwrap_or_else(|| panic!("item {link}"))
}

#[tokio::test]
async fn a_case_is_a_valid_bundle_of_patient_temperatures_and_answers() {
    let t = TestApp::new().await;
    let a = t.centre("minato").await;
    let case = case_with_reports(&t, &a, "山田 太郎", "09012345678", "taro@example.jp").await;
    let id = case["id"].as_i64().unwrap();
    let (status, kind, text) = raw(&t, &format!("/api/fhir/cases/{id}"), Some(&a.token), None).await;
    assert_eq!((status, kind.as_str()), (200, "application/fhir+json"), "{text}");
    let summary = validate(&t, &[("case.json", text.clone())]).await;
    assert_eq!(summary, "Observation 3\nPatient 1\nQuestionnaireResponse 3\n");

    let bundle: Value = serde_json::from_str(&text).unwrap();
    assert_eq!((bundle["resourceType"].as_str(), bundle["type"].as_str()), (Some("Bundle"), Some("collection")));
    let resources: Vec<Value> = bundle["entry"].as_array().unwrap().iter().map(|e| e["resource"].clone()).collect();
    let patient = of_type(&resources, "Patient")[0];
    assert_eq!(patient["name"][0]["text"], "山田 太郎");
    assert_eq!((patient["name"][0]["family"].as_str(), patient["name"][0]["given"][0].as_str()), (Some("山田"), Some("太郎")));
    assert_eq!(patient["name"][1]["text"], "やまだ たろう");
    assert_eq!(patient["birthDate"], "1980-04-01");
    assert_eq!(patient["telecom"][0]["value"], "09012345678");
    assert!(!text.contains(case["input_id"].as_str().unwrap()), "the input ID stays on the server");

    // The reports in the order received, as the staff API lists them.
    let listed = t.get(&format!("/api/v1/cases/{id}/reports"), Some(&a.token)).await.body["reports"].as_array().unwrap().clone();
    let temps: Vec<f64> = of_type(&resources, "Observation").iter().map(|o| o["valueQuantity"]["value"].as_f64().unwrap()).collect();
    assert_eq!(temps, [36.5, 38.4, 37.9]);
    let observations = of_type(&resources, "Observation");
    for (o, r) in observations.iter().zip(&listed) {
        assert_eq!(o["code"]["coding"][0]["code"], "8310-5");
        assert_eq!((o["valueQuantity"]["system"].as_str(), o["valueQuantity"]["code"].as_str()), (Some("http://unitsofmeasure.org"), Some("Cel")));
        assert_eq!(o["subject"]["reference"], format!("Patient/case-{id}"));
        assert_eq!(o["identifier"][0]["value"], format!("urn:uuid:{}", r["id"].as_str().unwrap()));
        assert!(o["meta"]["profile"].as_array().unwrap().iter().any(|p| p.as_str().unwrap().ends_with("JP_Observation_VitalSigns|1.1.2")));
    }
    assert!(observations[0].get("interpretation").is_none(), "36.5 is no fever");
    // The validator refuses what is wrong: a unit that is not UCUM Cel, an answer code
    // outside 1/2/9, an element FHIR does not define.
    for (from, to, reason) in [
        ("\"code\":\"Cel\"", "\"code\":\"C\"", "not UCUM Cel"),
        ("\"code\":\"9\"", "\"code\":\"7\"", "is not an option"),
        ("\"birthDate\"", "\"birthday\"", "birthday"),
    ] {
        let (ok, out) = run_validator(&t, &[("case.json", text.replacen(from, to, 1))]).await;
        assert!(!ok && out.contains(reason), "{reason}: {out}");
    }
    assert_eq!(observations[1]["interpretation"][0]["coding"][0]["code"], "H");
    // JP Core's category slice and FHIR's, and profiles named with their versions.
    let categories: Vec<&str> = observations[0]["category"].as_array().unwrap().iter().map(|c| c["coding"][0]["system"].as_str().unwrap()).collect();
    assert_eq!(categories, ["http://jpfhir.jp/fhir/core/CodeSystem/JP_SimpleObservationCategory_CS", "http://terminology.hl7.org/CodeSystem/observation-category"]);
    let profiles = observations[0]["meta"]["profile"].to_string();
    assert!(profiles.contains("JP_Observation_VitalSigns|1.1.2") && profiles.contains("bodytemp|4.0.1"), "{profiles}");
    assert!(patient["identifier"][0]["system"].as_str().unwrap().starts_with("https://mimamori.jp/fhir/"));
    let answers = of_type(&resources, "QuestionnaireResponse");
    for (qr, r) in answers.iter().zip(&listed) {
        // The canonical base is the deployment-independent one, not the server's address.
        assert!(qr["questionnaire"].as_str().unwrap().starts_with("https://mimamori.jp/fhir/Questionnaire/mimamori-daily|"));
        let codes: Vec<u64> = protocol::QUESTIONS.iter().map(|q| item(qr, q.key)["answer"][0]["valueCoding"]["code"].as_str().unwrap().parse().unwrap()).collect();
        let stored: Vec<u64> = r["answers"].as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).collect();
        assert_eq!(codes, stored);
        assert_eq!(item(qr, "kind")["answer"][0]["valueCoding"]["code"], "infected");
        assert_eq!(item(qr, "local_date")["answer"][0]["valueDate"], r["local_date"]);
    }
    assert_eq!(item(answers[2], "breathlessness")["answer"][0]["valueCoding"]["display"], "ある");
    assert_eq!(item(answers[0], "face")["answer"][0]["valueCoding"]["display"], "いつも通り");

    // Audited.
    let me = t.sign_in(&a.email, PASSWORD).await;
    let audit = t.view(&me, "/admin/audit").await.text;
    assert!(audit.contains("FHIRで出力（療養者・発生届）"), "{audit}");
}

#[tokio::test]
async fn only_staff_of_the_centre_export_by_token_or_page_session() {
    let t = TestApp::new().await;
    let a = t.centre("minato").await;
    let b = t.centre("shinjuku").await;
    let case = t.current_case(&a, "佐藤 花子", "09011112222").await;
    let id = case["id"].as_i64().unwrap();
    let path = format!("/api/fhir/cases/{id}");
    let other = t.get(&path, Some(&b.token)).await;
    assert_eq!((other.status.as_u16(), other.body["error"].as_str()), (404, Some("not_found")));
    assert!(!other.body.to_string().contains("佐藤"), "nothing of it leaks");
    assert_eq!(t.get(&path, None).await.status, 401);
    assert_eq!(t.get(&format!("/api/fhir/cases/{}", id + 1000), Some(&a.token)).await.status, 404);
    let patient = t.register(&case, "hanako@example.jp").await;
    assert_eq!(t.get(&path, Some(&patient)).await.status, 403, "a patient's token");
    // The person page links the download, which its session cookie opens.
    let signed = t.sign_in(&a.email, PASSWORD).await;
    let page = t.view(&signed, &format!("/cases/{id}")).await;
    assert!(page.text.contains(&format!("href=\"/api/fhir/cases/{id}\"")), "{}", page.text);
    assert!(page.text.contains("FHIR形式でダウンロード"));
    let (status, _, text) = raw(&t, &path, None, Some(&signed.cookie)).await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("佐藤 花子"));
    let signed_b = t.sign_in("admin-shinjuku@centre.example.jp", PASSWORD).await;
    assert_eq!(raw(&t, &path, None, Some(&signed_b.cookie)).await.0, 404);
    // Unknown definitions are 404; the published ones need no login.
    assert_eq!(t.get("/fhir/Questionnaire/nothing", None).await.status, 404);
    assert_eq!(t.get("/fhir/CodeSystem/nothing", None).await.status, 404);
    let answers = t.get("/fhir/CodeSystem/mimamori-answer", None).await.body;
    let codes: Vec<&str> = answers["concept"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["1", "2", "9"]);
    let daily = t.get("/fhir/Questionnaire/mimamori-daily", None).await.body;
    let links: Vec<&str> = daily["item"].as_array().unwrap().iter().map(|i| i["linkId"].as_str().unwrap()).collect();
    let mut expected = vec!["local_date", "kind", "temperature"];
    expected.extend(protocol::QUESTIONS.iter().map(|q| q.key));
    assert_eq!(links, expected);
    assert_eq!(daily["item"][3]["text"], protocol::QUESTIONS[0].text.ja);
}

#[tokio::test]
async fn the_bulk_export_streams_every_case_of_the_centre_and_nothing_else() {
    let t = TestApp::new().await;
    let a = t.centre("minato").await;
    let b = t.centre("shinjuku").await;
    case_with_reports(&t, &a, "山田 太郎", "09012345678", "taro@example.jp").await;
    case_with_reports(&t, &b, "他所 次郎", "09087654321", "jiro@example.jp").await;
    // More than a page of cases, without reports.
    let pages = usize::try_from(backend::fhir::export::PAGE).unwrap() + 5;
    for n in 0..pages {
        let mut body = case_body(&format!("一括 {n}号"), &format!("0805555{n:04}"));
        body["name_reading"] = json!("いっかつ");
        assert_eq!(t.post("/api/v1/cases", Some(&a.token), body).await.status, 201);
    }
    let (status, kind, text) = raw(&t, "/api/fhir/centre.ndjson", Some(&a.token), None).await;
    assert_eq!((status, kind.as_str()), (200, "application/fhir+ndjson"));
    let summary = validate(&t, &[("centre.ndjson", text.clone())]).await;
    assert_eq!(summary, format!("Observation 3\nPatient {}\nQuestionnaireResponse 3\n", pages + 1));
    assert!(!text.contains("他所"), "another centre's case is not exported");
    let ids: Vec<String> = text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()).filter(|r| r["resourceType"] == "Patient").map(|r| r["id"].as_str().unwrap().to_owned()).collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(unique.len(), pages + 1, "each case once");
    let me = t.sign_in(&a.email, PASSWORD).await;
    let audit = t.view(&me, "/admin/audit").await.text;
    assert!(audit.contains("保健所の全データをFHIR（NDJSON）で出力"), "{audit}");
    assert_eq!(t.get("/api/fhir/centre.ndjson", None).await.status, 401);
}

async fn clinic(t: &TestApp, municipality: &str, centre: i64) -> String {
    let setup = InstitutionSetup {
        name: "みなとクリニック".into(),
        code: "1311234567".into(),
        municipality_code: municipality.into(),
        admin_email: "dr@clinic.example.jp".into(),
        admin_name: "院長".into(),
        admin_password: PASSWORD.into(),
    };
    create_institution(&t.db, setup, Some(centre), HashCost::TEST_ONLY).await.expect("institution");
    let r = t.post("/api/v1/clinic/login", None, json!({ "email": "dr@clinic.example.jp", "password": PASSWORD })).await;
    r.body["token"].as_str().unwrap().to_owned()
}

fn without_identity(mut qr: Value) -> Value {
    for k in ["id", "identifier", "authored"] {
        qr.as_object_mut().unwrap().remove(k);
    }
    qr
}

#[tokio::test]
async fn a_notification_round_trips_and_each_refusal_names_its_item() {
    let t = TestApp::new().await;
    let a = t.centre("minato").await;
    let b = t.centre("shinjuku").await;
    add_municipality(&t.db, a.centre_id, "13103", "港区").await.unwrap();
    let clinic = clinic(&t, "13103", a.centre_id).await;
    let day = today().to_string();
    let form = json!({
        "doctor": "医師 一郎", "report_date": day, "name": "鈴木 一子", "name_reading": "すずき いちこ", "sex": "female",
        "date_of_birth": "1950-02-03", "municipality_code": "13103", "address": "芝公園1-1", "phone": "09022223333",
        "onset_date": day, "diagnosis_date": day, "specimen_date": day, "categories": ["age65", "risk_treatment"],
        "risk_factors": ["diabetes", "ckd"], "antivirals": true, "vaccination": "3", "severity": "moderate1",
    });
    let filed = t.post("/api/v1/clinic/notifications", Some(&clinic), form).await;
    assert_eq!(filed.status, 201, "{:?}", filed.body);
    let first = filed.body["id"].as_i64().unwrap();
    let (status, kind, text) = raw(&t, &format!("/api/fhir/notifications/{first}"), Some(&a.token), None).await;
    assert_eq!((status, kind.as_str()), (200, "application/fhir+json"), "{text}");
    assert_eq!(validate(&t, &[("notification.json", text.clone())]).await, "QuestionnaireResponse 1\n");
    assert_eq!(t.get(&format!("/api/fhir/notifications/{first}"), Some(&b.token)).await.status, 404, "another centre's");
    let exported: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(item(&exported, "categories")["answer"].as_array().unwrap().len(), 2);
    assert_eq!(item(&exported, "sex")["answer"][0]["valueCoding"]["code"], "female");
    assert_eq!(exported["contained"][0]["birthDate"], "1950-02-03");
    // R4 allows no Organization as the source: the diagnosing doctor gave the answers.
    let source = exported["source"]["reference"].as_str().unwrap().trim_start_matches('#');
    let contained = exported["contained"].as_array().unwrap().iter().find(|r| r["id"] == source).unwrap();
    assert_eq!(contained["resourceType"], "Practitioner");

    // Import while the first still waits at intake: the same person, refused.
    let refused = t.post("/api/fhir/QuestionnaireResponse", Some(&clinic), exported.clone()).await;
    assert_eq!((refused.status.as_u16(), refused.body["error"].as_str()), (422, Some("already_filed")), "{:?}", refused.body);
    // Once the centre marked the first a duplicate of a case, the same resource comes
    // in as a new notification at the same centre.
    let case = t.current_case(&a, "既存 一郎", "09099990001").await;
    assert_eq!(t.post(&format!("/api/v1/notifications/{first}/duplicate"), Some(&a.token), json!({ "case_id": case["id"] })).await.status.as_u16(), 200);
    let imported = t.post("/api/fhir/QuestionnaireResponse", Some(&clinic), exported.clone()).await;
    assert_eq!(imported.status, 201, "{:?}", imported.body);
    assert_eq!(imported.body["centre_id"], a.centre_id);
    let second = imported.body["id"].as_i64().unwrap();
    assert_ne!(second, first);
    let again = t.get(&format!("/api/fhir/notifications/{second}"), Some(&a.token)).await.body;
    assert_eq!(without_identity(again), without_identity(exported.clone()), "export → import → the same data");
    let one = t.get(&format!("/api/v1/notifications/{second}"), Some(&a.token)).await.body;
    assert_eq!(one["notification"]["fields"]["risk_factors"], json!(["diabetes", "ckd"]));

    // Refusals: 422 naming the item, in Japanese or English, nothing stored.
    let bad = |edit: &dyn Fn(&mut Value)| {
        let mut v = exported.clone();
        edit(&mut v);
        v
    };
    let cases: Vec<(Value, &str, &str)> = vec![
        (bad(&|v| item_mut(v, "phone")["answer"] = json!([{ "valueString": "12" }])), "invalid_phone", "電話番号"),
        (bad(&|v| v["questionnaire"] = json!("http://example.org/Questionnaire/other")), "wrong_questionnaire", "questionnaire"),
        (bad(&|v| v["item"][0]["item"].as_array_mut().unwrap().push(json!({ "linkId": "blood_type", "answer": [{ "valueString": "A" }] }))), "unknown_item", "blood_type"),
        (bad(&|v| item_mut(v, "hospitalisation")["answer"] = json!([{ "valueString": "yes" }])), "invalid_answer", "入院を要する"),
        (bad(&|v| item_mut(v, "severity")["answer"][0]["valueCoding"]["code"] = json!("critical")), "invalid_severity", "重症度"),
        (bad(&|v| item_mut(v, "categories")["answer"] = json!([])), "category_required", "発生届の対象"),
        (bad(&|v| item_mut(v, "municipality_code")["answer"] = json!([{ "valueString": "01100" }])), "no_centre", "保健所"),
        (bad(&|v| v["status"] = json!("in-progress")), "not_completed", "status"),
        (json!({ "resourceType": "Patient" }), "invalid_fhir", "QuestionnaireResponse"),
    ];
    for (body, code, named) in cases {
        let r = t.post("/api/fhir/QuestionnaireResponse", Some(&clinic), body).await;
        assert_eq!((r.status.as_u16(), r.body["error"].as_str()), (422, Some(code)), "{:?}", r.body);
        assert!(r.body["message"].as_str().unwrap().contains(named), "{code}: {:?}", r.body);
        assert!(!r.body.to_string().contains("鈴木"), "no personal data in the error");
    }
    let mut english = TestApp::request(Method::POST, "/api/fhir/QuestionnaireResponse", Some(&clinic), Some(&bad(&|v| item_mut(v, "phone")["answer"] = json!([{ "valueString": "12" }]))));
    english.headers_mut().insert(header::ACCEPT_LANGUAGE, "en".parse().unwrap());
    let r = t.send(english).await;
    assert!(r.body["message"].as_str().unwrap().starts_with("Item \"Phone\" (phone)"), "{:?}", r.body);
    assert_eq!(store::clinic_list(&t.db, 1, 10).await.unwrap().len(), 2, "only the two accepted notifications");
    // Only a clinic imports.
    assert_eq!(t.post("/api/fhir/QuestionnaireResponse", Some(&a.token), exported).await.status, 401);
}

fn item_mut<'a>(qr: &'a mut Value, link: &str) -> &'a mut Value {
    for g in qr["item"].as_array_mut().unwrap() {
        for i in g["item"].as_array_mut().unwrap() {
            if i["linkId"] == link {
                return i;
            }
        }
    }
    panic!("item {link}")
}
