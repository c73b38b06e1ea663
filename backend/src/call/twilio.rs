//! Twilio's formats: the TwiML a webhook answers (`<Say language="ja-JP">`, `<Gather
//! input="dtmf" numDigits finishOnKey timeout action actionOnEmptyResult>`,
//! `<Hangup/>`), the status callbacks (`CallStatus`, ordered by `SequenceNumber`),
//! the `X-Twilio-Signature` check (HMAC-SHA1 over the full URL followed by each POST
//! parameter's name and value, sorted by name; base64) and the webhook routes. The
//! simulated provider speaks this format too, signed with this server's own secret.
//!
//! A request with a missing or wrong signature is refused (403) before anything is
//! read or changed.

use super::flow::{self, Answer};
use super::machine::{FINISH_KEY, KEY_TIMEOUT_SECS, Reply};
use super::rules::Status;
use super::store::Event;
use crate::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine;
use hmac::{Hmac, Mac};
use protocol::Lang;
use sha1::Sha1;

/// The signature header.
pub const SIGNATURE_HEADER: &str = "x-twilio-signature";

/// The webhook routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/call/twilio/voice", post(voice))
        .route("/call/twilio/gather", post(gather))
        .route("/call/twilio/status", post(status))
}

/// The MAC of a request to `url` with `params`: HMAC-SHA1 with the auth token of the URL
/// followed by every parameter's name and value, sorted by name (then value).
fn mac(token: &str, url: &str, params: &[(String, String)]) -> Option<Hmac<Sha1>> {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut data = url.to_owned();
    for (k, v) in sorted {
        data.push_str(k);
        data.push_str(v);
    }
    let mut mac = Hmac::<Sha1>::new_from_slice(token.as_bytes()).ok()?;
    mac.update(data.as_bytes());
    Some(mac)
}

/// The signature of a request to `url` with `params` (base64 of [`mac`]).
pub fn signature(token: &str, url: &str, params: &[(String, String)]) -> String {
    mac(token, url, params).map_or_else(String::new, |m| base64::engine::general_purpose::STANDARD.encode(m.finalize().into_bytes()))
}

/// Whether `given` is the signature of the request (compared in constant time).
pub fn verify(token: &str, url: &str, params: &[(String, String)], given: &str) -> bool {
    let Ok(given) = base64::engine::general_purpose::STANDARD.decode(given.trim()) else { return false };
    mac(token, url, params).is_some_and(|m| m.verify_slice(&given).is_ok())
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

/// Twilio's name of a language.
pub fn language(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "ja-JP",
        Lang::En => "en-US",
    }
}

/// The TwiML of a reply; the keys go to `action`.
pub fn twiml(reply: &Reply, lang: Lang, action: &str) -> String {
    let say = |text: &str| if text.is_empty() { String::new() } else { format!("<Say language=\"{}\">{}</Say>", language(lang), xml_escape(text)) };
    let body = match reply {
        Reply::Ask { say: text, digits } => format!(
            "<Gather input=\"dtmf\" numDigits=\"{digits}\" finishOnKey=\"{FINISH_KEY}\" timeout=\"{KEY_TIMEOUT_SECS}\" action=\"{}\" method=\"POST\" actionOnEmptyResult=\"true\">{}</Gather>",
            xml_escape(action),
            say(text)
        ),
        Reply::Hangup { say: text } => format!("{}<Hangup/>", say(text)),
    };
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>{body}</Response>")
}

/// How a `CallStatus` changes the attempt.
pub fn event_of(call_status: &str) -> Option<Event> {
    Some(match call_status {
        "queued" | "initiated" | "in-progress" => Event::Progress,
        "ringing" => Event::Ringing,
        "completed" => Event::HungUp,
        "busy" => Event::Ended(Status::Busy),
        "failed" => Event::Ended(Status::Failed),
        "no-answer" => Event::Ended(Status::NoAnswer),
        "canceled" => Event::Ended(Status::Canceled),
        _ => return None,
    })
}

/// The order of a status when a callback has no `SequenceNumber`.
fn rank(call_status: &str) -> i64 {
    match call_status {
        "queued" => 0,
        "initiated" => 1,
        "ringing" => 2,
        "in-progress" => 3,
        _ => 4,
    }
}

/// A checked webhook: its query and form parameters.
struct Signed {
    query: Vec<(String, String)>,
    form: Vec<(String, String)>,
}

impl Signed {
    fn get<'a>(list: &'a [(String, String)], key: &str) -> Option<&'a str> {
        list.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

fn check(state: &AppState, uri: &axum::http::Uri, headers: &HeaderMap, body: &[u8]) -> Result<Signed, StatusCode> {
    let refuse = || StatusCode::FORBIDDEN;
    let token = state.config.call.twilio_token().ok_or_else(refuse)?;
    let given = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok()).ok_or_else(refuse)?;
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let url = format!("{}{path}", state.config.call.public_url);
    let form: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    if !verify(token, &url, &form, given) {
        tracing::warn!("a call webhook with a wrong or missing signature was refused");
        return Err(refuse());
    }
    let query = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()).into_owned().collect();
    Ok(Signed { query, form })
}

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], body).into_response()
}

/// The action address of prompt `turn` of attempt `id`.
pub fn gather_url(public_url: &str, id: &str, turn: i64) -> String {
    format!("{public_url}/call/twilio/gather?a={id}&t={turn}")
}

fn answer_twiml(state: &AppState, id: &str, lang: Lang, a: Option<Answer>) -> Response {
    let a = a.unwrap_or(Answer { reply: Reply::Hangup { say: String::new() }, turn: 0 });
    xml(twiml(&a.reply, lang, &gather_url(&state.config.call.public_url, id, a.turn)))
}

async fn lang_of(state: &AppState, id: &str) -> Lang {
    super::store::attempt(&state.db, id).await.ok().flatten().map_or(Lang::Ja, |a| a.lang)
}

/// `POST /call/twilio/voice?a=`: the call was answered.
async fn voice(State(state): State<AppState>, OriginalUri(uri): OriginalUri, headers: HeaderMap, body: Bytes) -> Response {
    let s = match check(&state, &uri, &headers, &body) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let id = Signed::get(&s.query, "a").unwrap_or("").to_owned();
    match flow::answered(&state, &id).await {
        Ok(a) => answer_twiml(&state, &id, lang_of(&state, &id).await, a),
        Err(e) => {
            tracing::error!(error = %e, "call answer failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `POST /call/twilio/gather?a=&t=`: the keys pressed at prompt `t` (`Digits`; absent
/// or empty after the timeout).
async fn gather(State(state): State<AppState>, OriginalUri(uri): OriginalUri, headers: HeaderMap, body: Bytes) -> Response {
    let s = match check(&state, &uri, &headers, &body) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let id = Signed::get(&s.query, "a").unwrap_or("").to_owned();
    let Some(turn) = Signed::get(&s.query, "t").and_then(|t| t.parse::<i64>().ok()) else {
        return (StatusCode::BAD_REQUEST, "turn").into_response();
    };
    let digits = Signed::get(&s.form, "Digits");
    match flow::keys(&state, &id, turn, digits).await {
        Ok(a) => answer_twiml(&state, &id, lang_of(&state, &id).await, a),
        Err(e) => {
            tracing::error!(error = %e, "call keys failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `POST /call/twilio/status?a=`: a status callback.
async fn status(State(state): State<AppState>, OriginalUri(uri): OriginalUri, headers: HeaderMap, body: Bytes) -> Response {
    let s = match check(&state, &uri, &headers, &body) {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let id = Signed::get(&s.query, "a").unwrap_or("");
    let call_status = Signed::get(&s.form, "CallStatus").unwrap_or("");
    let Some(event) = event_of(call_status) else { return StatusCode::NO_CONTENT.into_response() };
    let seq = Signed::get(&s.form, "SequenceNumber").and_then(|n| n.parse::<i64>().ok()).unwrap_or_else(|| rank(call_status));
    match flow::status(&state, id, seq, event).await {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "call status failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twilio_published_example_signs_and_verifies() {
        let params: Vec<(String, String)> = [
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assert_eq!(signature("12345", url, &params), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
        assert!(verify("12345", url, &params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
        assert!(!verify("12346", url, &params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
        assert!(!verify("12345", url, &params[1..], "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
        assert!(!verify("12345", url, &params, "not base64!"));
    }

    #[test]
    fn twiml_gathers_keys_and_hangs_up() {
        let t = twiml(&Reply::Ask { say: "体温を<3桁>で".into(), digits: 3 }, Lang::Ja, "https://x/call/twilio/gather?a=1&t=2");
        assert!(t.contains("<Gather input=\"dtmf\" numDigits=\"3\" finishOnKey=\"#\" timeout=\"8\" action=\"https://x/call/twilio/gather?a=1&amp;t=2\""), "{t}");
        assert!(t.contains("actionOnEmptyResult=\"true\"><Say language=\"ja-JP\">体温を&lt;3桁&gt;で</Say></Gather>"), "{t}");
        let h = twiml(&Reply::Hangup { say: "Thanks".into() }, Lang::En, "");
        assert!(h.ends_with("<Say language=\"en-US\">Thanks</Say><Hangup/></Response>"), "{h}");
        assert_eq!(event_of("no-answer"), Some(Event::Ended(Status::NoAnswer)));
        assert_eq!(event_of("completed"), Some(Event::HungUp));
        assert_eq!(event_of("whatever"), None);
    }
}
