//! Test harness: a fresh database per test — a SQLite file in a temporary folder, or,
//! when `MIMAMORI_TEST_POSTGRES_URL` is set, a new PostgreSQL database created for the
//! test — and helpers that drive the router with `tower::ServiceExt::oneshot`.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use axum::Router;
use backend::config::{Config, DatabaseUrl, Limits, Quota};
use backend::db::Db;
use backend::password::HashCost;
use backend::secret::Secret;
use backend::{AppState, Clock};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use tower::ServiceExt;

pub const PASSWORD: &str = "Kumo-no-ue-9";

/// Generous quotas so only the throttling tests hit them.
pub fn open_limits() -> Limits {
    Limits {
        code_requests_per_email: Quota::new(1000, 1),
        code_requests_per_client: Quota::new(1000, 1),
        tries_per_client: Quota::new(1000, 1),
        logins_per_account: Quota::new(1000, 1),
        logins_per_account_place: Quota::new(1000, 1),
        logins_per_client: Quota::new(1000, 1),
        max_tries: 5,
    }
}

/// Which database this run uses.
pub fn database_kind() -> &'static str {
    if std::env::var("MIMAMORI_TEST_POSTGRES_URL").is_ok() { "postgres" } else { "sqlite" }
}

/// A fresh, empty database URL for one test.
pub async fn fresh_database(tmp: &std::path::Path) -> DatabaseUrl {
    match std::env::var("MIMAMORI_TEST_POSTGRES_URL") {
        Ok(admin_url) => {
            let name = format!("mimamori_t_{}", uuid::Uuid::new_v4().simple());
            let (client, conn) = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls).await.expect("connect to the test PostgreSQL");
            let task = tokio::spawn(conn);
            client.batch_execute(&format!("CREATE DATABASE {name}")).await.expect("create test database");
            drop(client);
            let _ = task.await;
            DatabaseUrl::Postgres(with_database(&admin_url, &name))
        }
        Err(_) => DatabaseUrl::Sqlite(tmp.join("test.db")),
    }
}

/// `admin_url` with its database name replaced.
fn with_database(admin_url: &str, name: &str) -> String {
    let (scheme, rest) = admin_url.split_once("://").expect("url has a scheme");
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, format!("?{q}")),
        None => (rest, String::new()),
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{authority}/{name}{query}")
}

pub struct TestApp {
    pub app: Router,
    pub state: AppState,
    pub mail_dir: PathBuf,
    pub db: Db,
    pub url: DatabaseUrl,
    pub config: Config,
    _tmp: tempfile::TempDir,
}

pub struct Staff {
    pub token: String,
    pub centre_id: i64,
    pub email: String,
}

pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl TestApp {
    pub async fn new() -> TestApp {
        TestApp::with(|_| {}).await
    }

    pub async fn with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut config = Config::new(tmp.path().join("mail"));
        config.hash_cost = HashCost::TEST_ONLY;
        config.limits = open_limits();
        adjust(&mut config);
        let url = fresh_database(tmp.path()).await;
        let db = Db::open(&url).await.expect("open database");
        let state = AppState::new(db.clone(), config.clone(), Clock::default()).expect("state");
        TestApp { app: backend::app(state.clone()), state, mail_dir: config.mail_dir.clone(), db, url, config, _tmp: tmp }
    }

    /// Another server copy on the same database, mail folder and clock (as copies behind
    /// a load balancer would be).
    pub async fn another_copy(&self) -> Router {
        let db = Db::open(&self.url).await.expect("open database again");
        let state = AppState::new(db, self.config.clone(), self.state.clock.clone()).expect("state");
        backend::app(state)
    }

    pub async fn send(&self, req: Request<Body>) -> Response {
        send_to(&self.app, req).await
    }

    pub fn request(method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Request<Body> {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        match body {
            Some(v) => b.header(header::CONTENT_TYPE, "application/json").body(Body::from(serde_json::to_vec(v).unwrap())).unwrap(),
            None => b.body(Body::empty()).unwrap(),
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.send(Self::request(Method::GET, path, token, None)).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Response {
        self.send(Self::request(Method::POST, path, token, Some(&body))).await
    }

    pub async fn post_from(&self, ip: IpAddr, path: &str, token: Option<&str>, body: Value) -> Response {
        let mut req = Self::request(Method::POST, path, token, Some(&body));
        req.extensions_mut().insert(ConnectInfo(SocketAddr::new(ip, 40000)));
        self.send(req).await
    }

    /// A centre with an admin, logged in.
    pub async fn centre(&self, tag: &str) -> Staff {
        let email = format!("admin-{tag}@centre.example.jp");
        let setup = backend::cli::CentreSetup {
            name: format!("{tag}保健所"),
            emergency_number: "03-1234-5678".into(),
            jurisdiction_code: format!("J-{tag}"),
            admin_email: email.clone(),
            admin_name: "管理者".into(),
            admin_password: Secret::new(PASSWORD.into()),
        };
        let (centre, _) = backend::cli::create_centre(&self.db, setup, HashCost::TEST_ONLY).await.expect("create centre");
        let token = self.login_staff(&email, PASSWORD).await;
        Staff { token, centre_id: centre.id, email }
    }

    pub async fn login_staff(&self, email: &str, password: &str) -> String {
        let r = self.post("/api/v1/staff/login", None, json!({ "email": email, "password": password })).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        r.body["token"].as_str().unwrap().to_owned()
    }

    /// Registers a case observed from 2026-01-01 to 2026-01-14.
    pub async fn case(&self, staff: &Staff, name: &str, phone: &str) -> Value {
        let r = self.post("/api/v1/cases", Some(&staff.token), case_body(name, phone)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        r.body
    }

    /// The newest code mailed to `email`.
    pub fn code_for(&self, email: &str) -> String {
        backend::mail::latest_code_in_folder(&self.mail_dir, email).expect("a code was mailed")
    }

    /// Steps 2–4: request and verify a code; returns (request id, registration token).
    pub async fn verified(&self, email: &str) -> (String, String) {
        let r = self.post("/api/v1/registrations", None, json!({ "email": email })).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{:?}", r.body);
        let id = r.body["request_id"].as_str().unwrap().to_owned();
        let code = self.code_for(email);
        let r = self.post(&format!("/api/v1/registrations/{id}/verify"), None, json!({ "code": code })).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        (id, r.body["registration_token"].as_str().unwrap().to_owned())
    }

    /// The whole registration for `case`; returns the patient token.
    pub async fn register(&self, case: &Value, email: &str) -> String {
        let (id, reg) = self.verified(email).await;
        let r = self.post(&format!("/api/v1/registrations/{id}/password"), Some(&reg), json!({ "password": PASSWORD })).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{:?}", r.body);
        let r = self.post(&format!("/api/v1/registrations/{id}/attributes"), Some(&reg), attributes_of(case)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        r.body["token"].as_str().unwrap().to_owned()
    }
}

pub fn case_body(name: &str, phone: &str) -> Value {
    json!({
        "name": name,
        "name_reading": "やまだ たろう",
        "date_of_birth": "1980-04-01",
        "phone": phone,
        "kind": "infected",
        "observation": "app",
        "period_start": "2026-01-01",
        "period_end": "2026-01-14",
    })
}

pub fn attributes_of(case: &Value) -> Value {
    json!({
        "name": case["name"],
        "date_of_birth": case["date_of_birth"],
        "phone": case["phone"],
        "input_id": case["input_id"],
    })
}

pub fn report(id: &str, date: &str, tenths: i64, answers: [i64; 9]) -> Value {
    json!({
        "id": id,
        "local_date": date,
        "kind": "infected",
        "temperature_tenths": tenths,
        "answers": answers,
        "recorded_at": "2026-01-03T08:15:00+09:00",
    })
}

/// A report for `date` saved on the phone at `recorded_at`.
pub fn wire_report(date: chrono::NaiveDate, tenths: i64, answers: [i64; 9], recorded_at: chrono::DateTime<chrono::Utc>) -> Value {
    json!({
        "id": new_id(),
        "local_date": date.to_string(),
        "kind": "infected",
        "temperature_tenths": tenths,
        "answers": answers,
        "recorded_at": recorded_at.to_rfc3339(),
    })
}

pub const WELL: [i64; 9] = [2; 9];

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub mod dump;
pub mod patient;
pub mod web;
#[allow(unused_imports)]
pub use patient::*;
#[allow(unused_imports)]
pub use web::*;

/// Sends `req` to a router (this test app's or another copy's).
pub async fn send_to(app: &Router, req: Request<Body>) -> Response {
    let res = app.clone().oneshot(req).await.expect("router never fails");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned())) };
    Response { status, headers, body }
}
