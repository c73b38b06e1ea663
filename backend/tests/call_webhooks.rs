//! The providers' webhooks against signatures made by the providers' own helper
//! libraries (Twilio's `RequestValidator` from the `twilio` package, PyJWT for
//! Vonage's HS256 tokens, installed by `tests/setup/call-signers.sh`): a whole call
//! through TwiML and through NCCO, an urgent answer that says the emergency number,
//! repeated and out-of-order deliveries that change nothing, a hang-up that leaves no
//! report, and bad, missing or tampered signatures refused with nothing changed.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod call_support;
mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use backend::call::config::{TwilioConfig, VonageConfig};
use backend::call::provider::Dialer;
use backend::call::scheduler::Scheduler;
use backend::call::sim::{Behaviour, SimProvider};
use backend::call::ProviderConfig;
use backend::secret::Secret;
use common::{Staff, TestApp};
use serde_json::{Value, json};
use std::sync::Arc;

const PUBLIC: &str = "https://mimamori.example.jp";
const SIGNER: &str = r#"
import sys, json, hashlib, time
mode, secret, target, payload = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
if mode == "twilio":
    from twilio.request_validator import RequestValidator
    print(RequestValidator(secret).compute_signature(target, json.loads(payload)))
else:
    import jwt
    claims = {"iat": int(time.time()), "jti": "t", "iss": "Vonage", "payload_hash": hashlib.sha256(payload.encode()).hexdigest()}
    print(jwt.encode(claims, secret, algorithm="HS256"))
"#;

fn python() -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/setup/call-signers.sh");
    let out = std::process::Command::new("bash").arg(root).output().expect("run the signer setup");
    assert!(out.status.success(), "installing the providers' libraries failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn sign(py: &str, mode: &str, secret: &str, target: &str, payload: &str) -> String {
    let out = std::process::Command::new(py).args(["-c", SIGNER, mode, secret, target, payload]).output().expect("python");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

struct Call {
    app: TestApp,
    staff: Staff,
    case_id: i64,
    attempt: String,
    py: String,
}

/// A phone case whose first-round call has been placed (the provider stays silent:
/// the test delivers the webhooks).
async fn placed(provider: ProviderConfig) -> Call {
    let app = TestApp::with(|c| {
        c.call.provider = provider;
        c.call.public_url = PUBLIC.into();
    })
    .await;
    let staff = app.centre("hooks").await;
    let case = call_support::phone_case(&app, &staff, "電話 花子", "09012340000", backend::web::today(app.state.clock.now())).await;
    let r = app.post("/api/v1/call/rounds", Some(&staff.token), json!({ "round": "first" })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let sim = Arc::new(SimProvider::new(|_| Behaviour::Silent, std::time::Duration::ZERO));
    let sched = Scheduler::new(app.state.clone(), Dialer::Sim(sim.clone()));
    for _ in 0..20 {
        sched.tick().await.unwrap();
        if !sim.placed().is_empty() {
            break;
        }
    }
    let attempt = sim.placed().keys().next().expect("a call was placed").clone();
    Call { case_id: case["id"].as_i64().unwrap(), app, staff, attempt, py: python() }
}

impl Call {
    async fn twilio(&self, path: &str, params: &[(&str, &str)], signature: Option<String>) -> (StatusCode, String) {
        let map: serde_json::Map<String, Value> = params.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect();
        let sig = signature.unwrap_or_else(|| sign(&self.py, "twilio", "tw-token", &format!("{PUBLIC}{path}"), &Value::Object(map).to_string()));
        let body = common::web::form(params);
        let req = Request::post(path).header("content-type", "application/x-www-form-urlencoded").header("x-twilio-signature", sig).body(Body::from(body)).unwrap();
        let r = self.app.send(req).await;
        (r.status, r.body.as_str().map(str::to_owned).unwrap_or_else(|| r.body.to_string()))
    }

    async fn vonage(&self, path: &str, body: Value, secret: &str) -> (StatusCode, Value) {
        let text = body.to_string();
        let token = sign(&self.py, "vonage", secret, "", &text);
        let req = Request::post(path).header("content-type", "application/json").header("authorization", format!("Bearer {token}")).body(Body::from(text)).unwrap();
        let r = self.app.send(req).await;
        (r.status, r.body)
    }

    async fn calls(&self) -> Value {
        self.app.get(&format!("/api/v1/cases/{}/calls", self.case_id), Some(&self.staff.token)).await.body
    }

    async fn reports(&self) -> usize {
        let r = self.app.get(&format!("/api/v1/cases/{}/reports", self.case_id), Some(&self.staff.token)).await;
        r.body["reports"].as_array().unwrap().len()
    }
}

fn twilio() -> ProviderConfig {
    ProviderConfig::Twilio(TwilioConfig { account_sid: "AC0".into(), auth_token: Secret::new("tw-token".into()), from: "+815000000000".into(), api_base: "http://127.0.0.1:9".into() })
}

#[tokio::test]
async fn a_whole_twilio_call_with_an_urgent_answer() {
    let c = placed(twilio()).await;
    let a = c.attempt.clone();
    let voice = format!("/call/twilio/voice?a={a}");
    // Refused: missing, wrong and tampered signatures; nothing changes.
    assert_eq!(c.twilio(&voice, &[("CallSid", "CA1")], Some(String::new())).await.0, StatusCode::FORBIDDEN);
    assert_eq!(c.twilio(&voice, &[("CallSid", "CA1")], Some("0/KCTR6DLpKmkAf8muzZqo1nDgQ=".into())).await.0, StatusCode::FORBIDDEN);
    let good = sign(&c.py, "twilio", "tw-token", &format!("{PUBLIC}{voice}"), r#"{"CallSid":"CA1"}"#);
    assert_eq!(c.twilio(&voice, &[("CallSid", "CA2")], Some(good)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(c.calls().await[0]["status"], "ringing");

    let (status, twiml) = c.twilio(&voice, &[("CallSid", "CA1"), ("CallStatus", "in-progress")], None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(twiml.contains("<Say language=\"ja-JP\">") && twiml.contains("健康記録を入力してください"), "{twiml}");
    assert!(twiml.contains(&format!("action=\"{PUBLIC}/call/twilio/gather?a={a}&amp;t=1\"")), "{twiml}");
    let gather = |t: i64| format!("/call/twilio/gather?a={a}&t={t}");
    let (_, t) = c.twilio(&gather(1), &[("CallSid", "CA1"), ("Digits", "1")], None).await;
    assert!(t.contains("体温を3桁の数字で入力してください") && t.contains("numDigits=\"3\""), "{t}");
    // The same delivery again, and one for a later prompt: the current prompt, no change.
    let (_, again) = c.twilio(&gather(1), &[("CallSid", "CA1"), ("Digits", "2")], None).await;
    assert_eq!(again.replace("&amp;t=2", ""), t.replace("&amp;t=2", ""));
    assert!(again.contains("t=2"), "{again}");
    let (_, late) = c.twilio(&gather(7), &[("CallSid", "CA1"), ("Digits", "9")], None).await;
    assert!(late.contains("体温を3桁"), "{late}");
    // A temperature out of range is asked again; silence too.
    let (_, t) = c.twilio(&gather(2), &[("CallSid", "CA1"), ("Digits", "999")], None).await;
    assert!(t.contains("34.0度から42.0度"), "{t}");
    let (_, t) = c.twilio(&gather(3), &[("CallSid", "CA1")], None).await;
    assert!(t.contains("入力が確認できませんでした"), "{t}");
    let (_, t) = c.twilio(&gather(4), &[("CallSid", "CA1"), ("Digits", "377#")], None).await;
    assert!(t.contains("顔色、表情はいつもどおりですか"), "{t}");
    let answers = ["2", "2", "1", "2", "2", "2", "2", "2"];
    for (i, d) in answers.iter().enumerate() {
        c.twilio(&gather(5 + i as i64), &[("CallSid", "CA1"), ("Digits", d)], None).await;
    }
    let (_, end) = c.twilio(&gather(13), &[("CallSid", "CA1"), ("Digits", "2")], None).await;
    assert!(end.contains("健康記録を登録しました。") && end.contains("03-1234-5678") && end.contains("<Hangup/>"), "{end}");
    assert!(end.contains("ご協力ありがとうございました。"), "{end}");
    assert_eq!(c.reports().await, 1);
    // The last answer delivered again: no second report.
    c.twilio(&gather(13), &[("CallSid", "CA1"), ("Digits", "2")], None).await;
    assert_eq!(c.reports().await, 1);
    // Status callbacks after the end, in any order, change nothing.
    for (s, n) in [("completed", "4"), ("ringing", "1"), ("busy", "9")] {
        let (st, _) = c.twilio(&format!("/call/twilio/status?a={a}"), &[("CallSid", "CA1"), ("CallStatus", s), ("SequenceNumber", n)], None).await;
        assert_eq!(st, StatusCode::NO_CONTENT);
    }
    let calls = c.calls().await;
    assert_eq!(calls[0]["status"], "completed", "{calls}");
    let case = c.app.get(&format!("/api/v1/cases/{}", c.case_id), Some(&c.staff.token)).await;
    assert!(case.body["urgent_since"].is_string(), "an urgent answer by phone is on the urgent list");
}

#[tokio::test]
async fn hanging_up_part_way_leaves_no_report_and_late_events_are_ignored() {
    let c = placed(twilio()).await;
    let a = c.attempt.clone();
    let status = format!("/call/twilio/status?a={a}");
    c.twilio(&status, &[("CallSid", "CA1"), ("CallStatus", "ringing"), ("SequenceNumber", "1")], None).await;
    c.twilio(&format!("/call/twilio/voice?a={a}"), &[("CallSid", "CA1")], None).await;
    c.twilio(&format!("/call/twilio/gather?a={a}&t=1"), &[("CallSid", "CA1"), ("Digits", "1")], None).await;
    // A late "initiated" (sequence 0) changes nothing; the hang-up ends the call.
    c.twilio(&status, &[("CallSid", "CA1"), ("CallStatus", "initiated"), ("SequenceNumber", "0")], None).await;
    assert_eq!(c.calls().await[0]["status"], "in_call");
    c.twilio(&status, &[("CallSid", "CA1"), ("CallStatus", "completed"), ("SequenceNumber", "3")], None).await;
    let calls = c.calls().await;
    assert_eq!(calls[0]["status"], "incomplete", "{calls}");
    assert_eq!(calls[0]["step"], "temperature");
    assert_eq!(c.reports().await, 0);
    // Keys arriving after the hang-up do nothing.
    let (_, t) = c.twilio(&format!("/call/twilio/gather?a={a}&t=2"), &[("CallSid", "CA1"), ("Digits", "365")], None).await;
    assert!(t.contains("<Hangup/>"), "{t}");
    assert_eq!(c.reports().await, 0);
    // The retry round takes the call that ended part-way.
    assert_eq!(c.app.post("/api/v1/call/rounds", Some(&c.staff.token), json!({ "round": "retry" })).await.body["planned"], 1);
}

#[tokio::test]
async fn a_whole_vonage_call_and_refused_tokens() {
    let vonage = ProviderConfig::Vonage(VonageConfig {
        application_id: "app".into(),
        private_key_pem: Secret::new(String::new()),
        signature_secret: Secret::new("vo-secret".into()),
        from: "815000000000".into(),
        api_base: "http://127.0.0.1:9".into(),
    });
    let c = placed(vonage).await;
    let a = c.attempt.clone();
    let (st, _) = c.vonage(&format!("/call/vonage/answer?a={a}"), json!({}), "not-the-secret").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_eq!(c.calls().await[0]["status"], "ringing");
    let (st, ncco) = c.vonage(&format!("/call/vonage/answer?a={a}"), json!({ "uuid": "u1" }), "vo-secret").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(ncco[0]["action"], "talk");
    assert_eq!(ncco[1]["dtmf"]["maxDigits"], 1);
    assert_eq!(ncco[1]["eventUrl"][0], format!("{PUBLIC}/call/vonage/input?a={a}&t=1"));
    let mut keys = vec!["1", "365"];
    keys.extend(["2"; 9]);
    let mut last = Value::Null;
    for (i, k) in keys.iter().enumerate() {
        let (st, n) = c.vonage(&format!("/call/vonage/input?a={a}&t={}", i + 1), json!({ "dtmf": { "digits": k, "timed_out": false }, "uuid": "u1" }), "vo-secret").await;
        assert_eq!(st, StatusCode::OK);
        last = n;
    }
    assert_eq!(last, json!([{ "action": "talk", "text": "健康記録を登録しました。ご協力ありがとうございました。", "language": "ja-JP" }]));
    assert_eq!(c.reports().await, 1);
    let (st, _) = c.vonage(&format!("/call/vonage/event?a={a}"), json!({ "status": "busy", "uuid": "u1" }), "vo-secret").await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    assert_eq!(c.calls().await[0]["status"], "completed");
}
