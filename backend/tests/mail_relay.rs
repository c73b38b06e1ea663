//! The verification mail through a real SMTP relay (aiosmtpd, started by the test):
//! STARTTLS with a certificate from an authority the test made — refused without the
//! extra-authority setting, delivered with it — implicit TLS with AUTH (wrong password
//! refused, right one delivered), a relay that refuses the recipient, and the delivered
//! message parsed (by Python's `email` package) and checked. The person's answer is the
//! same 503 whatever went wrong; the log says why without the address or the code.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod ops_support;

use axum::http::StatusCode;
use backend::config::{Smtp, SmtpSecurity};
use backend::secret::Secret;
use backend::tls::{RootSet, Trust, TrustConfig};
use common::*;
use ops_support::*;
use serde_json::json;

fn smtp(port: u16, security: SmtpSecurity, auth: Option<(&str, &str)>) -> Smtp {
    Smtp {
        host: "localhost".into(),
        port: Some(port),
        security,
        user: auth.map(|(u, _)| u.to_owned()),
        password: auth.map(|(_, p)| Secret::new(p.to_owned())),
    }
}

fn trusting(ca: &TestCa) -> Trust {
    Trust::load(&TrustConfig { roots: RootSet::Public, extra_ca_file: Some(ca.pem_file.clone()) }).unwrap()
}

/// Asks for a code; returns the answer.
async fn ask(t: &TestApp, email: &str, lang: &str) -> Response {
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/api/v1/registrations")
        .header("content-type", "application/json")
        .header("accept-language", lang)
        .body(axum::body::Body::from(json!({ "email": email }).to_string()))
        .unwrap();
    t.send(req).await
}

fn assert_unavailable(r: &Response) {
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{:?}", r.body);
    assert_eq!(r.body["error"], "unavailable", "{:?}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starttls_with_a_private_authority_needs_the_setting() {
    let log = Capture::install();
    let tmp = tempfile::tempdir().unwrap();
    let ca = TestCa::new(tmp.path(), "private");
    let relay = Relay::start(&RelaySpec { security: "starttls", cert: Some(ca.server_cert(tmp.path(), "relay")), ..Default::default() }, free_port(), &tmp.path().join("out"));

    // The public web roots only: the handshake fails, the person gets the usual 503.
    let t = TestApp::with(|c| c.smtp = Some(smtp(relay.port, SmtpSecurity::StartTls, None))).await;
    assert_eq!(t.state.mailer.probe().await.unwrap().unwrap_err(), "TLS handshake failed: server certificate not issued by a trusted authority (unknown issuer; set extra-ca-file to the authority's PEM file)");
    let r = ask(&t, "untrusted.relay@example.jp", "ja").await;
    assert_unavailable(&r);
    assert!(relay.delivered().is_empty());
    let text = log.text();
    assert!(text.contains("smtp relay: TLS handshake failed: server certificate not issued by a trusted authority"), "{text}");
    assert!(!text.contains("untrusted.relay"), "the address reached the log");

    // With the authority's PEM file: delivered over TLS, and the mailed code works.
    let t = TestApp::with(|c| {
        c.smtp = Some(smtp(relay.port, SmtpSecurity::StartTls, None));
        c.trust = trusting(&ca);
        c.centre_name = Some("みなと保健所".into());
        c.mail_from = "見守り <no-reply@mimamori.example.jp>".into();
    })
    .await;
    assert_eq!(t.state.mailer.probe().await, Some(Ok(())));
    let r = ask(&t, "trusted.relay@example.jp", "ja").await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{:?}", r.body);
    let mail = relay.delivered();
    assert_eq!(mail.len(), 1);
    let m = &mail[0];
    assert_eq!(m["tls"], true);
    assert_eq!(m["rcpt_tos"], json!(["trusted.relay@example.jp"]));
    assert_eq!(m["mail_from"], "no-reply@mimamori.example.jp");
    assert_eq!(m["to"], "trusted.relay@example.jp");
    assert_eq!(m["from"], "見守り <no-reply@mimamori.example.jp>");
    // UTF-8 headers are encoded words on the wire and decode to the Japanese subject.
    assert_eq!(m["headers_ascii"], true);
    assert_eq!(m["header_defects"], json!([]));
    assert_eq!(m["subject"], "【見守り】認証コードのお知らせ / Your verification code");
    assert!(m["date_parsed"].as_str().is_some_and(|d| d.starts_with(&chrono::Utc::now().format("%Y-").to_string())), "{m}");
    let id = m["message_id"].as_str().unwrap();
    assert!(id.starts_with('<') && id.ends_with("@mimamori.example.jp>"), "{id}");
    assert_eq!(m["mime_version"], "1.0");
    assert_eq!(m["content_type"], "text/plain");
    assert_eq!(m["charset"], "utf-8");
    assert_eq!(m["transfer_encoding"], "quoted-printable");
    let body = m["text"].as_str().unwrap();
    // Japanese first (the request's language), then English, both with the code,
    // its lifetime and the centre's name.
    let ja = body.find("認証コード: ").expect("Japanese text");
    let en = body.find("Verification code: ").expect("English text");
    assert!(ja < en, "{body}");
    assert!(body.contains("有効期限は10分") && body.contains("valid for 10 minutes"), "{body}");
    assert_eq!(body.matches("みなと保健所").count(), 2, "{body}");
    let code = body[ja..].lines().next().unwrap().trim_start_matches("認証コード: ").trim().to_owned();
    assert_eq!(code.len(), 6);
    assert_eq!(body[en..].lines().next().unwrap(), format!("Verification code: {code}"));
    let request_id = r.body["request_id"].as_str().unwrap();
    let v = t.post(&format!("/api/v1/registrations/{request_id}/verify"), None, json!({ "code": code })).await;
    assert_eq!(v.status, StatusCode::OK, "the mailed code is the one the server checks: {:?}", v.body);
    assert!(!log.text().contains(&code), "the code reached the log");

    // English readers get English first.
    assert_eq!(ask(&t, "english.reader@example.jp", "en").await.status, StatusCode::ACCEPTED);
    let m = &relay.delivered()[1];
    assert_eq!(m["subject"], "[Mimamori] Your verification code / 認証コードのお知らせ");
    let body = m["text"].as_str().unwrap();
    assert!(body.find("Verification code: ").unwrap() < body.find("認証コード: ").unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn implicit_tls_with_auth() {
    let log = Capture::install();
    let tmp = tempfile::tempdir().unwrap();
    let ca = TestCa::new(tmp.path(), "auth");
    let spec = RelaySpec { security: "tls", cert: Some(ca.server_cert(tmp.path(), "relay")), auth: Some(("mimamori".into(), "relay-Pass-7".into())), ..Default::default() };
    let relay = Relay::start(&spec, free_port(), &tmp.path().join("out"));

    let t = TestApp::with(|c| {
        c.smtp = Some(smtp(relay.port, SmtpSecurity::Tls, Some(("mimamori", "wrong-pass"))));
        c.trust = trusting(&ca);
    })
    .await;
    assert_eq!(t.state.mailer.probe().await.unwrap().unwrap_err(), "authentication refused (SMTP 535)");
    assert_unavailable(&ask(&t, "auth.refused@example.jp", "ja").await);
    assert!(relay.delivered().is_empty());
    let text = log.text();
    assert!(text.contains("smtp relay: authentication refused (SMTP 535)"), "{text}");
    assert!(!text.contains("wrong-pass") && !text.contains("auth.refused"));

    let t = TestApp::with(|c| {
        c.smtp = Some(smtp(relay.port, SmtpSecurity::Tls, Some(("mimamori", "relay-Pass-7"))));
        c.trust = trusting(&ca);
    })
    .await;
    assert_eq!(ask(&t, "auth.accepted@example.jp", "ja").await.status, StatusCode::ACCEPTED);
    let mail = relay.delivered();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0]["login"], "mimamori");
    assert_eq!(mail[0]["tls"], true);
    assert_eq!(mail[0]["rcpt_tos"], json!(["auth.accepted@example.jp"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_recipient_is_logged_without_the_address() {
    let log = Capture::install();
    let tmp = tempfile::tempdir().unwrap();
    let ca = TestCa::new(tmp.path(), "refusing");
    let spec = RelaySpec { security: "starttls", cert: Some(ca.server_cert(tmp.path(), "relay")), refuse_suffix: Some("@nowhere.example.jp".into()), ..Default::default() };
    let relay = Relay::start(&spec, free_port(), &tmp.path().join("out"));
    let t = TestApp::with(|c| {
        c.smtp = Some(smtp(relay.port, SmtpSecurity::StartTls, None));
        c.trust = trusting(&ca);
    })
    .await;
    let r = ask(&t, "no.such.person@nowhere.example.jp", "en").await;
    assert_unavailable(&r);
    assert!(r.body["message"].as_str().unwrap().is_ascii(), "English message for an English reader");
    let text = log.text();
    assert!(text.contains("smtp relay: recipient refused (SMTP 550)"), "{text}");
    assert!(!text.contains("no.such.person"), "the relay's reply quoting the address reached the log");
    // The next person is served by the same relay.
    assert_eq!(ask(&t, "someone@example.jp", "ja").await.status, StatusCode::ACCEPTED);
    assert_eq!(relay.delivered().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_that_is_down_says_connection_refused() {
    let log = Capture::install();
    let port = free_port();
    let t = TestApp::with(|c| c.smtp = Some(smtp(port, SmtpSecurity::StartTls, None))).await;
    assert!(t.state.mailer.probe().await.unwrap().unwrap_err().starts_with("connection refused"));
    assert_unavailable(&ask(&t, "relay.down@example.jp", "ja").await);
    assert!(log.text().contains("smtp relay: connection refused"));
}

/// The binary starts while the relay is down: it says so before listening, `/readyz`
/// reports it (503, the reason), and once the relay is up the same server is ready and
/// delivers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_down_at_start_up_is_reported_until_it_comes_back() {
    let tmp = tempfile::tempdir().unwrap();
    let ca = TestCa::new(tmp.path(), "late");
    let cert = ca.server_cert(tmp.path(), "relay");
    let port = free_port();
    let url = fresh_database(tmp.path()).await;
    let mut cmd = std::process::Command::new(BIN);
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--smtp-host", "localhost", "--smtp-port", &port.to_string(), "--extra-ca-file"])
        .arg(&ca.pem_file)
        .env("DATABASE_URL", database_url_text(&url))
        .env("MIMAMORI_NO_CALL_SCHEDULER", "true")
        .env_remove("MIMAMORI_SMTP_PASSWORD");
    let served = Served::start(cmd);
    let said = served.printed.join("\n");
    assert!(said.contains(&format!("mail relay: localhost:{port} (starttls) NOT ready: connection refused")), "{said}");
    assert!(said.contains("trusted authorities: public web roots + 1 extra authorities"), "{said}");
    assert!(said.contains("database: ") && said.contains("(answers)"), "{said}");

    let (status, body) = http(&served.addr, "GET", "/readyz", None);
    assert_eq!(status, 503, "{body}");
    let ready: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(ready["checks"]["database"]["ok"], true, "{ready}");
    assert_eq!(ready["checks"]["mail"]["ok"], false);
    assert!(ready["checks"]["mail"]["reason"].as_str().unwrap().starts_with("connection refused"), "{ready}");
    assert_eq!(ready["checks"]["authorities"]["extra"], 1);
    let (status, _) = http(&served.addr, "POST", "/api/v1/registrations", Some(&json!({ "email": "early.bird@example.jp" })));
    assert_eq!(status, 503);

    let relay = Relay::start(&RelaySpec { security: "starttls", cert: Some(cert), ..Default::default() }, port, &tmp.path().join("out"));
    let mut status = 0;
    for _ in 0..100 {
        status = http(&served.addr, "GET", "/readyz", None).0;
        if status == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, 200, "ready once the relay is back");
    let (status, body) = http(&served.addr, "POST", "/api/v1/registrations", Some(&json!({ "email": "second.try@example.jp" })));
    assert_eq!(status, 202, "{body}");
    let mail = relay.delivered();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0]["rcpt_tos"], json!(["second.try@example.jp"]));
}

/// A development relay on the loopback address without TLS (as Mailpit runs) is allowed
/// and delivers; the same setting towards any other host is refused (see
/// `config_file.rs`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_smtp_to_a_loopback_relay() {
    let tmp = tempfile::tempdir().unwrap();
    let relay = Relay::start(&RelaySpec { security: "none", ..Default::default() }, free_port(), &tmp.path().join("out"));
    let t = TestApp::with(|c| {
        let mut s = smtp(relay.port, SmtpSecurity::None, None);
        s.host = "127.0.0.1".into();
        c.smtp = Some(s);
    })
    .await;
    // A relay that answered is not asked again at once: a balancer polling `/readyz`
    // does not open a relay connection each time.
    for _ in 0..5 {
        assert_eq!(t.get("/readyz", None).await.body["checks"]["mail"], json!({ "ok": true, "via": "smtp" }));
    }
    assert_eq!(relay.noops(), 1, "five readiness checks within seconds ask the relay once");
    assert_eq!(ask(&t, "local.dev@example.jp", "ja").await.status, StatusCode::ACCEPTED);
    let mail = relay.delivered();
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0]["tls"], false);
    assert_eq!(mail[0]["rcpt_tos"], json!(["local.dev@example.jp"]));
}
