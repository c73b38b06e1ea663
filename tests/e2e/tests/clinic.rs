//! A clinic's outbreak notification (発生届) to a report counted in the statistics,
//! with the real server process and the phone core: the clinic files five
//! notifications for patients of the centre's municipality, the centre accepts them as
//! cases, each patient registers through the phone core with the input ID the
//! acceptance issued and reports, and the centre's statistics count five
//! notifications, five people under observation and five who reported today — in one
//! age band, so the count is shown, not hidden as <5 — with no name in the figures.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use e2e::backend::{ADMIN_PASSWORD, Backend};
use e2e::phone::Phone;
use e2e::staff::{Case, http_client};
use mobile_core::{AnswerChoice, Language, PersonKind, ReportInput};
use serde_json::{Value, json};

const ADMIN: &str = "admin@clinic-flow.example.jp";
const CLINIC_ADMIN: &str = "doctor@clinic-flow.example.jp";
const PATIENTS: usize = 5;

/// Japan's day on the server.
fn server_today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(9)).date_naive().to_string()
}

fn login(base: &str, path: &str, email: &str) -> String {
    let res = http_client().post(format!("{base}{path}")).json(&json!({ "email": email, "password": ADMIN_PASSWORD })).send().expect("login");
    assert!(res.status().is_success(), "{path}: {}", res.status());
    res.json::<Value>().expect("body")["token"].as_str().expect("token").to_owned()
}

fn post(base: &str, path: &str, token: &str, body: Value) -> Value {
    let res = http_client().post(format!("{base}{path}")).bearer_auth(token).json(&body).send().expect("post");
    let status = res.status();
    let body: Value = res.json().unwrap_or(Value::Null);
    assert!(status.is_success(), "{path}: {status} {body}");
    body
}

#[test]
fn a_notification_becomes_a_case_a_registered_phone_and_a_counted_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = Backend::start_with(&dir.path().join("server"), &["--stats-max-age-seconds", "0"]);
    backend.create_centre("みなと保健所", "03-1234-5678", "J-CLINIC", ADMIN);
    backend.command(&["add-municipality", "--centre-id", "1", "--code", "13103", "--name", "港区"]);
    backend.command(&["create-institution", "--name", "みなとクリニック", "--code", "1311234567", "--municipality-code", "13103", "--admin-email", CLINIC_ADMIN]);
    let base = backend.url();
    let clinic = login(&base, "/api/v1/clinic/login", CLINIC_ADMIN);
    let staff = login(&base, "/api/v1/staff/login", ADMIN);
    let today = server_today();

    let mut cases = Vec::new();
    for n in 0..PATIENTS {
        // 65 or older: a notifiable patient, all in the 70–79 band.
        let (name, born, phone) = (format!("港 花子{n}"), format!("1950-0{}-1{n}", n + 1), format!("0902222{:04}", 1000 + n));
        let filed = post(&base, "/api/v1/clinic/notifications", &clinic, json!({
            "doctor": "医師 一郎", "report_date": today, "name": name, "name_reading": "みなと はなこ", "sex": "female",
            "date_of_birth": born, "municipality_code": "13103", "address": "芝公園1-1", "phone": phone,
            "onset_date": "", "diagnosis_date": today, "specimen_date": today, "categories": ["age65"],
            "vaccination": "3", "severity": "mild",
        }));
        let id = filed["id"].as_i64().expect("notification id");
        let accepted = post(&base, &format!("/api/v1/notifications/{id}/accept"), &staff, json!({
            // From the phone's yesterday: its own date may be a day behind Japan's.
            "observation": "app", "period_start": e2e::days_ago(1), "period_end": e2e::days_ahead(9),
        }));
        cases.push(Case {
            id: accepted["id"].as_i64().expect("case id"),
            name,
            date_of_birth: born,
            phone,
            input_id: accepted["input_id"].as_str().expect("input id").to_owned(),
        });
    }

    // Each patient registers on their own phone with the input ID and reports.
    for (n, case) in cases.iter().enumerate() {
        let mut phone = Phone::open(dir.path().join(format!("phone{n}.db")), &base, &format!("hanako{n}@example.jp"));
        phone.register(&backend, case);
        let report = ReportInput { person_id: "self".into(), local_date: None, kind: PersonKind::Infected, temperature: "36.9".into(), answers: vec![Some(AnswerChoice::No); 9] };
        phone.core.save_report(report, Language::Ja).expect("save");
        assert_eq!(phone.core.sync_now(Language::Ja).expect("sync").pending, 0);
    }

    let res = http_client().get(format!("{base}/api/v1/stats?from={today}&to={today}")).bearer_auth(&staff).send().expect("stats");
    assert!(res.status().is_success(), "stats: {}", res.status());
    let text = res.text().expect("stats body");
    for case in &cases {
        assert!(!text.contains(&case.name) && !text.contains(&case.phone), "no personal data in the figures");
    }
    let stats: Value = serde_json::from_str(&text).expect("json");
    let day = &stats["days"][0];
    assert_eq!(day["day"], today.as_str());
    for figure in ["notifications", "observed", "reported"] {
        assert_eq!(day["totals"][figure], json!({ "value": PATIENTS, "partial": false }), "{figure}: {day}");
    }
    assert_eq!(day["totals"]["urgent"]["value"], 0);
}
