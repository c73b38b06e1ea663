//! Throttles every server copy shares: two copies on one database (SQLite file or
//! PostgreSQL) together allow no more code requests, code tries or logins than one
//! copy would, also when a burst is spread over both at once; the keys kept for it
//! carry no address or e-mail, and upkeep deletes them once their quota is full again.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode};
use backend::config::Quota;
use common::*;
use serde_json::{Value, json};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

fn from(ip: IpAddr, path: &str, body: &Value) -> Request<Body> {
    let mut req = TestApp::request(Method::POST, path, None, Some(body));
    req.extensions_mut().insert(ConnectInfo(SocketAddr::new(ip, 40000)));
    req
}

#[tokio::test]
async fn two_copies_together_allow_no_more_code_requests_than_one() {
    let t = TestApp::with(|c| c.limits.code_requests_per_email = Quota::new(3, 300)).await;
    let other = t.another_copy().await;
    let body = json!({ "email": "shared@example.jp" });
    let ip = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 20));
    let mut statuses = Vec::new();
    for n in 0..6 {
        let req = from(ip, "/api/v1/registrations", &body);
        let r = if n % 2 == 0 { t.send(req).await } else { send_to(&other, req).await };
        statuses.push(r.status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::ACCEPTED).count(), 3, "{statuses:?}");
    assert_eq!(statuses[3..], [StatusCode::TOO_MANY_REQUESTS; 3]);
    // The quota comes back with time on either copy.
    t.state.clock.advance(std::time::Duration::from_secs(301));
    assert_eq!(send_to(&other, from(ip, "/api/v1/registrations", &body)).await.status, StatusCode::ACCEPTED);
}

#[tokio::test]
async fn a_burst_spread_over_two_copies_gets_one_quota() {
    let t = TestApp::with(|c| c.limits.logins_per_account_place = Quota::new(4, 600)).await;
    let other = t.another_copy().await;
    let ip = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 21));
    let login = json!({ "email": "nobody@example.jp", "password": "Wrong-pass-1" });
    let mut tasks = Vec::new();
    for n in 0..24 {
        let app = if n % 2 == 0 { t.app.clone() } else { other.clone() };
        let req = from(ip, "/api/v1/login", &login);
        tasks.push(tokio::spawn(async move { send_to(&app, req).await.status }));
    }
    let mut tried = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::UNAUTHORIZED => tried += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            s => panic!("unexpected answer {s}"),
        }
    }
    assert_eq!(tried, 4, "the password was checked only as often as one copy allows");
}

#[tokio::test]
async fn a_sign_in_place_known_to_one_copy_is_known_to_the_other() {
    let t = TestApp::with(|c| {
        c.limits.logins_per_account = Quota::new(3, 600);
        c.limits.logins_per_account_place = Quota::new(3, 600);
    })
    .await;
    let other = t.another_copy().await;
    let staff = t.centre("places").await;
    let office = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 81));
    let right = json!({ "email": staff.email, "password": PASSWORD });
    // The office signs in through the first copy.
    assert_eq!(t.send(from(office, "/api/v1/staff/login", &right)).await.status, StatusCode::OK);
    // Wrong passwords from new places, through the second copy, spend the account's cap.
    let wrong = json!({ "email": staff.email, "password": "Wrong-pass-1" });
    let mut last = StatusCode::OK;
    for n in 1..=5 {
        last = send_to(&other, from(IpAddr::V4(Ipv4Addr::new(203, 0, 113, n)), "/api/v1/staff/login", &wrong)).await.status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    // The second copy knows the office: the right password gets in there.
    assert_eq!(send_to(&other, from(office, "/api/v1/staff/login", &right)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn throttle_keys_hold_no_address_or_email_and_upkeep_clears_spent_ones() {
    let t = TestApp::with(|c| c.limits.tries_per_client = Quota::new(2, 60)).await;
    let ip = IpAddr::V4(Ipv4Addr::new(198, 51, 100, 22));
    t.send(from(ip, "/api/v1/registrations", &json!({ "email": "keys@example.jp" }))).await;
    t.send(from(ip, "/api/v1/login", &json!({ "email": "keys@example.jp", "password": "Wrong-pass-1" }))).await;
    let keys = throttle_keys(&t).await;
    assert!(keys.len() >= 4, "{keys:?}");
    for k in &keys {
        assert!(k.len() == 64 && k.bytes().all(|b| b.is_ascii_hexdigit()), "a hashed key: {k}");
    }
    t.state.clock.advance(std::time::Duration::from_secs(3600));
    backend::upkeep::run_once(&t.state).await.unwrap();
    assert_eq!(throttle_keys(&t).await, Vec::<String>::new(), "every quota is full again, so no key is kept");
}

async fn throttle_keys(t: &TestApp) -> Vec<String> {
    match &t.url {
        backend::config::DatabaseUrl::Sqlite(path) => {
            let c = rusqlite::Connection::open(path).unwrap();
            let mut s = c.prepare("SELECT key FROM throttle ORDER BY key").unwrap();
            s.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
        }
        backend::config::DatabaseUrl::Postgres(url) => {
            let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(conn);
            client.query("SELECT key FROM throttle ORDER BY key", &[]).await.unwrap().iter().map(|r| r.get(0)).collect()
        }
    }
}
