//! The health centre's side over its JSON API: staff login, registering a case (which
//! issues the smartphone input ID), and reading a case's reports — what the tests
//! compare the phones with. Like a browser or a phone, this client asks again when the
//! server answers 503 with `Retry-After` (server copies busy on one database, the
//! database away), within a bounded time; the tests that check the 503 itself read
//! single answers (`reports_status`, `page`, `post_page`).

use protocol::wire::{ReportList, ReportView};
use serde_json::{Value, json};
use std::time::Duration;

/// An HTTP client for plain loopback HTTP.
pub fn http_client() -> reqwest::blocking::Client {
    // reqwest is built without a default TLS provider; these tests speak plain HTTP to
    // 127.0.0.1 only, but the builder still wants one.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::builder().timeout(Duration::from_secs(30)).build().expect("http client")
}

/// How long a request is asked again while the server answers 503 with `Retry-After`.
const PATIENCE: Duration = Duration::from_secs(90);

/// Sends the request `send` makes, again after the wait a 503's `Retry-After` asks for
/// (at most 5 s a time: a person reloads sooner than a long wait) until another answer
/// comes or [`PATIENCE`] has passed; the last answer or transport error.
pub fn send_retrying(send: impl Fn() -> reqwest::Result<reqwest::blocking::Response>) -> reqwest::Result<reqwest::blocking::Response> {
    let start = std::time::Instant::now();
    loop {
        let res = send()?;
        let retry = res.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
        match retry {
            Some(seconds) if res.status().as_u16() == 503 && start.elapsed() < PATIENCE => {
                std::thread::sleep(Duration::from_secs(seconds.clamp(1, 5)));
            }
            _ => return Ok(res),
        }
    }
}

/// A case as registered, with what the patient types at registration.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: i64,
    pub name: String,
    pub date_of_birth: String,
    pub phone: String,
    pub input_id: String,
}

/// A logged-in staff member.
pub struct Staff {
    base: String,
    token: String,
    client: reqwest::blocking::Client,
}

impl Staff {
    pub fn login(base: &str, email: &str, password: &str) -> Staff {
        let client = http_client();
        let res = send_retrying(|| client.post(format!("{base}/api/v1/staff/login")).json(&json!({ "email": email, "password": password })).send())
            .expect("staff login");
        assert!(res.status().is_success(), "staff login: {}", res.status());
        let body: Value = res.json().expect("login body");
        Staff { base: base.to_owned(), token: body["token"].as_str().expect("token").to_owned(), client }
    }

    /// Registers a case observed by app from `period_start` to `period_end`.
    pub fn create_case(&self, n: usize, kind: &str, period_start: &str, period_end: &str) -> Case {
        let name = format!("見守 太郎{n}");
        let phone = format!("090{:08}", 10_000_000 + n);
        let date_of_birth = format!("19{}-04-0{}", 50 + n % 40, 1 + n % 9);
        let body = json!({
            "name": name, "name_reading": "みまもり たろう", "date_of_birth": date_of_birth, "phone": phone,
            "kind": kind, "observation": "app", "period_start": period_start, "period_end": period_end,
        });
        let res = send_retrying(|| self.client.post(format!("{}/api/v1/cases", self.base)).bearer_auth(&self.token).json(&body).send()).expect("create case");
        assert_eq!(res.status().as_u16(), 201, "create case");
        let case: Value = res.json().expect("case body");
        Case {
            id: case["id"].as_i64().expect("id"),
            name,
            date_of_birth,
            phone,
            input_id: case["input_id"].as_str().expect("input_id").to_owned(),
        }
    }

    /// The case's reports as the health centre sees them, asked again while the server
    /// restarts (up to 30 s) or asks to wait.
    pub fn reports(&self, case_id: i64) -> Vec<ReportView> {
        for _ in 0..300 {
            let res = send_retrying(|| self.client.get(format!("{}/api/v1/cases/{case_id}/reports", self.base)).bearer_auth(&self.token).send());
            if let Ok(res) = res
                && res.status().is_success()
            {
                return res.json::<ReportList>().expect("report list").reports;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the case's reports could not be read");
    }

    /// GETs a staff page (the session cookie carries this member's token) once; the
    /// status and the answer's `Retry-After`, or the transport error.
    pub fn page(&self, path: &str) -> reqwest::Result<(u16, Option<String>, String)> {
        self.read_page(path, false)
    }

    /// GETs a staff page as a person at a browser would: loaded again while the server
    /// answers 503 with `Retry-After`.
    pub fn page_retrying(&self, path: &str) -> reqwest::Result<(u16, Option<String>, String)> {
        self.read_page(path, true)
    }

    fn read_page(&self, path: &str, retrying: bool) -> reqwest::Result<(u16, Option<String>, String)> {
        let send = || self.client.get(format!("{}{path}", self.base)).header("Cookie", format!("mimamori_staff={}", self.token)).send();
        let res = if retrying { send_retrying(send)? } else { send()? };
        let status = res.status().as_u16();
        let retry = res.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
        Ok((status, retry, res.text()?))
    }

    /// POSTs a staff form carrying this session's CSRF token (as the page would) from
    /// the same origin; the status, `Retry-After` and body.
    pub fn post_page(&self, path: &str) -> reqwest::Result<(u16, Option<String>, String)> {
        use base64::Engine;
        use sha2::Digest;
        let csrf = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(format!("mimamori-csrf\0{}", self.token).as_bytes()));
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .header("Cookie", format!("mimamori_staff={}", self.token))
            .header("Origin", &self.base)
            .header("Content-Type", "application/x-www-form-urlencoded")
            // base64url needs no escaping in a form.
            .body(format!("csrf={csrf}"))
            .send()?;
        let status = res.status().as_u16();
        let retry = res.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
        Ok((status, retry, res.text()?))
    }

    /// The API's answer to reading a case's reports once: status and `Retry-After`.
    pub fn reports_status(&self, case_id: i64) -> reqwest::Result<(u16, Option<String>)> {
        let res = self.client.get(format!("{}/api/v1/cases/{case_id}/reports", self.base)).bearer_auth(&self.token).send()?;
        Ok((res.status().as_u16(), res.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned)))
    }

    /// Ends a patient session on the server, as if it expired.
    pub fn end_session(&self, patient_token: &str) {
        let res = self.client.post(format!("{}/api/v1/logout", self.base)).bearer_auth(patient_token).send().expect("logout");
        assert_eq!(res.status().as_u16(), 204);
    }
}
