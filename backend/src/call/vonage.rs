//! Vonage's formats: the NCCO a webhook answers (`talk`, then `input` with dtmf
//! `maxDigits`, `submitOnHash`, `timeOut` and the `eventUrl` of the next prompt), the
//! input and event webhooks, and signed webhooks: an HS256 JWT in `Authorization`
//! signed with the account's signature secret, whose `payload_hash` is the SHA-256 of
//! the body. Vonage's events carry no sequence number: they are ordered by their
//! stage (started, ringing, answered, ended) and the first end wins.
//!
//! A request with a missing or wrong token, or a body that does not match its hash,
//! is refused (403) before anything is read or changed.

use super::flow::{self, Answer};
use super::machine::{KEY_TIMEOUT_SECS, Reply};
use super::rules::Status;
use super::store::Event;
use crate::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use protocol::Lang;
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The webhook routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/call/vonage/answer", get(answer).post(answer))
        .route("/call/vonage/input", post(input))
        .route("/call/vonage/event", post(event))
}

#[derive(Debug, Deserialize)]
struct Claims {
    #[serde(default)]
    payload_hash: Option<String>,
}

/// Whether `authorization` holds an HS256 token signed with `secret` whose
/// `payload_hash` is the SHA-256 of `body` (a request without a body may leave it out).
pub fn verify(secret: &str, authorization: Option<&str>, body: &[u8]) -> bool {
    let Some(token) = authorization.and_then(|a| a.strip_prefix("Bearer ").or_else(|| a.strip_prefix("bearer "))) else { return false };
    let mut v = Validation::new(Algorithm::HS256);
    v.validate_exp = false;
    v.required_spec_claims.clear();
    let Ok(data) = jsonwebtoken::decode::<Claims>(token.trim(), &DecodingKey::from_secret(secret.as_bytes()), &v) else { return false };
    let want = hex::encode(Sha256::digest(body));
    match data.claims.payload_hash {
        Some(h) => crate::secret::constant_time_eq(&h.to_ascii_lowercase(), &want),
        None => body.is_empty(),
    }
}

/// Vonage's name of a language.
pub fn language(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "ja-JP",
        Lang::En => "en-US",
    }
}

/// The NCCO of a reply; the keys go to `event_url`.
pub fn ncco(reply: &Reply, lang: Lang, event_url: &str) -> Value {
    match reply {
        Reply::Ask { say, digits } => json!([
            { "action": "talk", "text": say, "language": language(lang), "bargeIn": true },
            { "action": "input", "type": ["dtmf"],
              "dtmf": { "maxDigits": digits, "submitOnHash": true, "timeOut": KEY_TIMEOUT_SECS },
              "eventUrl": [event_url], "eventMethod": "POST" }
        ]),
        Reply::Hangup { say } if say.is_empty() => json!([]),
        Reply::Hangup { say } => json!([{ "action": "talk", "text": say, "language": language(lang) }]),
    }
}

/// How an event's `status` changes the attempt, and its stage (the order).
pub fn event_of(status: &str) -> Option<(Event, i64)> {
    Some(match status {
        "started" => (Event::Progress, 1),
        "ringing" => (Event::Ringing, 2),
        "answered" => (Event::Progress, 3),
        "completed" => (Event::HungUp, 4),
        "busy" | "rejected" => (Event::Ended(Status::Busy), 4),
        "timeout" | "unanswered" => (Event::Ended(Status::NoAnswer), 4),
        "failed" => (Event::Ended(Status::Failed), 4),
        "cancelled" => (Event::Ended(Status::Canceled), 4),
        _ => return None,
    })
}

fn check(state: &AppState, headers: &HeaderMap, body: &[u8]) -> Result<(), StatusCode> {
    let secret = state.config.call.vonage_secret();
    let auth = headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    if secret.is_some_and(|s| verify(s, auth, body)) {
        Ok(())
    } else {
        tracing::warn!("a call webhook with a wrong or missing signature was refused");
        Err(StatusCode::FORBIDDEN)
    }
}

fn query(uri: &axum::http::Uri, key: &str) -> Option<String> {
    form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()).find(|(k, _)| k == key).map(|(_, v)| v.into_owned())
}

/// The event address of prompt `turn` of attempt `id`.
pub fn input_url(public_url: &str, id: &str, turn: i64) -> String {
    format!("{public_url}/call/vonage/input?a={id}&t={turn}")
}

async fn reply(state: &AppState, id: &str, a: crate::error::Result<Option<Answer>>) -> Response {
    match a {
        Ok(a) => {
            let a = a.unwrap_or(Answer { reply: Reply::Hangup { say: String::new() }, turn: 0 });
            let lang = super::store::attempt(&state.db, id).await.ok().flatten().map_or(Lang::Ja, |x| x.lang);
            axum::Json(ncco(&a.reply, lang, &input_url(&state.config.call.public_url, id, a.turn))).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "call webhook failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET|POST /call/vonage/answer?a=`: the call was answered.
async fn answer(State(state): State<AppState>, OriginalUri(uri): OriginalUri, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = check(&state, &headers, &body) {
        return r.into_response();
    }
    let id = query(&uri, "a").unwrap_or_default();
    let a = flow::answered(&state, &id).await;
    reply(&state, &id, a).await
}

#[derive(Debug, Deserialize)]
struct InputBody {
    #[serde(default)]
    dtmf: Option<Dtmf>,
}

#[derive(Debug, Deserialize)]
struct Dtmf {
    #[serde(default)]
    digits: Option<String>,
}

/// `POST /call/vonage/input?a=&t=`: the keys pressed at prompt `t`.
async fn input(State(state): State<AppState>, OriginalUri(uri): OriginalUri, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = check(&state, &headers, &body) {
        return r.into_response();
    }
    let id = query(&uri, "a").unwrap_or_default();
    let Some(turn) = query(&uri, "t").and_then(|t| t.parse::<i64>().ok()) else { return (StatusCode::BAD_REQUEST, "turn").into_response() };
    let Ok(b) = serde_json::from_slice::<InputBody>(&body) else { return (StatusCode::BAD_REQUEST, "body").into_response() };
    let digits = b.dtmf.and_then(|d| d.digits);
    let a = flow::keys(&state, &id, turn, digits.as_deref()).await;
    reply(&state, &id, a).await
}

#[derive(Debug, Deserialize)]
struct EventBody {
    #[serde(default)]
    status: Option<String>,
}

/// `POST /call/vonage/event?a=`: a call event.
async fn event(State(state): State<AppState>, OriginalUri(uri): OriginalUri, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(r) = check(&state, &headers, &body) {
        return r.into_response();
    }
    let id = query(&uri, "a").unwrap_or_default();
    let Ok(b) = serde_json::from_slice::<EventBody>(&body) else { return (StatusCode::BAD_REQUEST, "body").into_response() };
    let Some((ev, stage)) = b.status.as_deref().and_then(event_of) else { return StatusCode::NO_CONTENT.into_response() };
    match flow::status(&state, &id, stage, ev).await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "call event failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{EncodingKey, Header};

    fn token(secret: &str, claims: &Value) -> String {
        let t = jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret.as_bytes())).unwrap_or_default();
        format!("Bearer {t}")
    }

    #[test]
    fn signed_webhooks_carry_the_body_hash() {
        let body = br#"{"status":"ringing"}"#;
        let hash = hex::encode(Sha256::digest(body));
        let good = token("s3cret", &json!({ "iat": 1_700_000_000, "jti": "x", "iss": "Vonage", "payload_hash": hash }));
        assert!(verify("s3cret", Some(&good), body));
        assert!(!verify("other", Some(&good), body));
        assert!(!verify("s3cret", Some(&good), br#"{"status":"answered"}"#));
        assert!(!verify("s3cret", None, body));
        let no_hash = token("s3cret", &json!({ "iat": 1_700_000_000 }));
        assert!(verify("s3cret", Some(&no_hash), b""));
        assert!(!verify("s3cret", Some(&no_hash), body));
    }

    #[test]
    fn ncco_talks_then_collects_keys() {
        let n = ncco(&Reply::Ask { say: "体温".into(), digits: 3 }, Lang::Ja, "https://x/in");
        assert_eq!(n[0]["action"], "talk");
        assert_eq!(n[0]["language"], "ja-JP");
        assert_eq!(n[1]["dtmf"], json!({ "maxDigits": 3, "submitOnHash": true, "timeOut": 8 }));
        assert_eq!(n[1]["eventUrl"], json!(["https://x/in"]));
        assert_eq!(ncco(&Reply::Hangup { say: String::new() }, Lang::Ja, ""), json!([]));
        assert_eq!(event_of("unanswered"), Some((Event::Ended(Status::NoAnswer), 4)));
    }
}
