//! The person's rights through the phone core against the real server process: a
//! request filed from the app (refused fields named as `Invalid`, nothing stored), the
//! same request again refused while it waits, the health centre answering on its page,
//! and the status and the disclosure as the app shows them.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use e2e::backend::{ADMIN_PASSWORD, Backend};
use e2e::phone::Phone;
use e2e::staff::{Staff, http_client};
use e2e::{days_ago, days_ahead};
use mobile_core::{AnswerChoice, CoreError, CorrectionField, DataRequestInput, DataRequestKind, DataRequestStatus, Language, PersonKind, ReportInput};

const ADMIN: &str = "admin@rights.example.jp";

/// The value of the first `name="{name}" value="…"` field of a page.
fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html.find(&marker).expect("field") + marker.len();
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

/// A cookie's value from a response.
fn cookie(res: &reqwest::blocking::Response, name: &str) -> String {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|l| l.strip_prefix(&format!("{name}=")).map(|r| r.split(';').next().unwrap().to_owned()))
        .expect("cookie")
}

/// Signs in on the staff pages and answers request `id` with `fields`.
fn answer_on_page(base: &str, id: &str, fields: &str) -> u16 {
    let client = reqwest::blocking::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let _ = http_client();
    let login = client.get(format!("{base}/login")).send().unwrap();
    let login_cookie = cookie(&login, "mimamori_login");
    let csrf = field(&login.text().unwrap(), "csrf");
    let body = format!("email={}&password={ADMIN_PASSWORD}&csrf={csrf}&next=%2F", ADMIN.replace('@', "%40"));
    let res = client
        .post(format!("{base}/login"))
        .header("cookie", format!("mimamori_login={login_cookie}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .unwrap();
    let session = format!("mimamori_staff={}", cookie(&res, "mimamori_staff"));
    let page = client.get(format!("{base}/rights")).header("cookie", &session).send().unwrap().text().unwrap();
    assert!(page.contains(&format!("id=\"request-{id}\"")), "{page}");
    let csrf = field(&page, "csrf");
    client
        .post(format!("{base}/rights/{id}/answer"))
        .header("cookie", &session)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}&{fields}"))
        .send()
        .unwrap()
        .status()
        .as_u16()
}

#[test]
fn a_correction_filed_from_the_app_is_answered_and_the_app_shows_it_beside_the_original() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = Backend::start(&dir.path().join("server"));
    backend.create_centre("みなと保健所", "03-1234-5678", "J-RIGHTS", ADMIN);
    let staff = Staff::login(&backend.url(), ADMIN, ADMIN_PASSWORD);
    let case = staff.create_case(1, "infected", &days_ago(1), &days_ahead(8));
    let mut phone = Phone::open(dir.path().join("phone.db"), &backend.url(), "rights@example.jp");
    phone.register(&backend, &case);
    let lang = Language::Ja;
    let input = ReportInput { person_id: "self".into(), local_date: None, kind: PersonKind::Infected, temperature: "37.9".into(), answers: vec![Some(AnswerChoice::No); 9] };
    let report_id = phone.core.save_report(input, lang).expect("save").report_id;
    assert_eq!(phone.core.sync_now(lang).expect("sync").pending, 0);

    // Refusals name their field; nothing is filed.
    let ask = |field: Option<CorrectionField>, report: Option<&str>, value: Option<&str>| DataRequestInput {
        kind: DataRequestKind::Correction,
        field,
        report_id: report.map(str::to_owned),
        value: value.map(str::to_owned),
        note: None,
    };
    for (bad, want) in [
        (ask(None, None, Some("x")), "item"),
        (ask(Some(CorrectionField::Phone), None, Some("電話")), "value"),
        (ask(Some(CorrectionField::Temperature), None, Some("36.9")), "report_id"),
        (ask(Some(CorrectionField::Temperature), Some(&report_id), Some("50")), "value"),
    ] {
        match phone.core.file_data_request(bad, lang) {
            Err(CoreError::Invalid { field, .. }) => assert_eq!(field, want),
            other => panic!("{want}: {other:?}"),
        }
    }
    assert!(phone.core.data_requests(lang).expect("list").is_empty());

    // Filed; again while it waits is the server's `request_open`.
    let filed = phone.core.file_data_request(ask(Some(CorrectionField::Temperature), Some(&report_id), Some("36.9")), lang).expect("file");
    assert_eq!((filed.status, filed.status_label.as_str(), filed.value.as_deref()), (DataRequestStatus::Open, "受付済み（保健所で確認中）", Some("36.9")));
    let again = phone.core.file_data_request(ask(Some(CorrectionField::Temperature), Some(&report_id), Some("36.9")), lang);
    assert!(matches!(again, Err(CoreError::Server { ref code, .. }) if code == "request_open"), "{again:?}");

    // The centre corrects it on its page; the app sees the status and both values.
    assert_eq!(answer_on_page(&backend.url(), &filed.id, "action=corrected&value=36.9"), 303);
    let mine = phone.core.data_requests(lang).expect("list");
    assert_eq!((mine[0].status, mine[0].corrected_value.as_deref()), (DataRequestStatus::Corrected, Some("36.9")));
    let d = phone.core.data_disclosure(Language::En).expect("disclosure");
    assert_eq!((d.name.as_str(), d.suspended), (case.name.as_str(), false));
    assert_eq!(d.reports.len(), 1);
    assert_eq!((d.reports[0].temperature.as_str(), d.reports[0].corrected_temperature.as_deref()), ("37.9", Some("36.9")));
    assert_eq!(d.requests[0].kind, DataRequestKind::Disclosure, "the disclosure given is recorded");
    assert_eq!(d.requests[1].status_label, "Corrected");
    // The centre's API gives the corrected value, with the value as sent beside it.
    let at_centre = &staff.reports(case.id)[0];
    assert_eq!((at_centre.temperature_tenths, at_centre.sent_temperature_tenths), (369, Some(379)));
}
