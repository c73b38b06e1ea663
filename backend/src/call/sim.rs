//! The simulated provider, the default on a fresh machine: it "places" a call by
//! driving this server's own Twilio-format webhooks (through the router, signed with
//! the server's simulation secret), answering each `<Gather>` with keys from a script
//! and sending the status callbacks a real call would. The whole flow — round, call,
//! report, board, call-back list — can be watched with no provider account.
//!
//! The demo script picks a behaviour from the case id and the round: most people
//! answer (some with a fever, one in ten with breathlessness), some do not answer, are
//! busy or hang up part-way, and answer at the 10:00 retry or not.

use super::rules::Round;
use super::store::DialTarget;
use crate::state::AppState;
use axum::body::Body;
use axum::http::{Request, header};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tower::ServiceExt;

/// What the simulated person does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Behaviour {
    /// Answers and presses these keys at the prompts in turn (`None`: silence); hangs
    /// up when they run out before the end.
    Answer(Vec<Option<String>>),
    /// Does not answer.
    NoAnswer,
    /// Busy.
    Busy,
    /// The call fails.
    Fail,
    /// Nothing comes back (the test drives the webhooks itself).
    Silent,
}

/// Keys of a whole call: kind, temperature, nine answers.
pub fn keys(kind: &str, temperature: &str, answers: [u8; 9]) -> Vec<Option<String>> {
    let mut k = vec![Some(kind.to_owned()), Some(temperature.to_owned())];
    k.extend(answers.iter().map(|a| Some(a.to_string())));
    k
}

/// The demo script.
pub fn demo_script(t: &DialTarget) -> Behaviour {
    let well = [2, 2, 2, 2, 2, 2, 2, 2, 2];
    match (t.case_id % 10, t.round) {
        (1, _) => {
            let mut k = keys("1", "364", well);
            k.insert(0, Some("*".into()));
            Behaviour::Answer(k)
        }
        (5, _) => Behaviour::Answer(keys("1", "382", [2, 1, 2, 1, 2, 2, 2, 2, 2])),
        (6, _) => Behaviour::Answer(keys("1", "375", [2, 2, 1, 2, 2, 2, 2, 2, 2])),
        (7, _) => Behaviour::NoAnswer,
        (8, Round::First) => Behaviour::Answer(vec![Some("1".into()), Some("9".into()), None]),
        (9, Round::First) => Behaviour::Busy,
        (9, Round::Retry) => Behaviour::NoAnswer,
        _ => Behaviour::Answer(keys("1", "365", well)),
    }
}

type Script = dyn Fn(&DialTarget) -> Behaviour + Send + Sync;

/// The simulated provider.
pub struct SimProvider {
    script: Box<Script>,
    pause: Duration,
    placed: Mutex<HashMap<String, u32>>,
    router: OnceLock<axum::Router>,
}

impl SimProvider {
    /// A provider following `script`, pausing `pause` between a person's keys.
    pub fn new(script: impl Fn(&DialTarget) -> Behaviour + Send + Sync + 'static, pause: Duration) -> SimProvider {
        SimProvider { script: Box::new(script), pause, placed: Mutex::new(HashMap::new()), router: OnceLock::new() }
    }

    /// The demo script, at a pace a person can watch.
    pub fn demo() -> SimProvider {
        SimProvider::new(demo_script, Duration::from_millis(400))
    }

    /// How many calls were placed for each attempt.
    pub fn placed(&self) -> HashMap<String, u32> {
        self.placed.lock().map(|m| m.clone()).unwrap_or_default()
    }

    /// Places the call of `t`: counts it and plays the script in the background.
    pub fn place(self: &Arc<Self>, state: &AppState, t: &DialTarget) -> String {
        if let Ok(mut m) = self.placed.lock() {
            *m.entry(t.id.clone()).or_default() += 1;
        }
        let behaviour = (self.script)(t);
        let call_id = format!("SIM{}", t.id);
        if behaviour != Behaviour::Silent {
            let me = Arc::clone(self);
            let state = state.clone();
            let id = t.id.clone();
            let call = call_id.clone();
            tokio::spawn(async move { me.play(&state, &id, &call, behaviour).await });
        }
        call_id
    }

    async fn post(&self, state: &AppState, url: &str, params: &[(String, String)]) -> Option<String> {
        let cfg = &state.config.call;
        let token = cfg.twilio_token()?;
        let path = url.strip_prefix(&cfg.public_url).unwrap_or(url).to_owned();
        let signature = super::twilio::signature(token, &format!("{}{path}", cfg.public_url), params);
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(params.iter().map(|(k, v)| (k.as_str(), v.as_str()))).finish();
        let req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(super::twilio::SIGNATURE_HEADER, signature)
            .body(Body::from(body))
            .ok()?;
        let router = self.router.get_or_init(|| crate::app(state.clone())).clone();
        let res = router.oneshot(req).await.ok()?;
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    async fn status(&self, state: &AppState, id: &str, call: &str, seq: &mut i64, status: &str) {
        let url = format!("{}/call/twilio/status?a={id}", state.config.call.public_url);
        let params = vec![("CallSid".to_owned(), call.to_owned()), ("CallStatus".to_owned(), status.to_owned()), ("SequenceNumber".to_owned(), seq.to_string())];
        *seq += 1;
        let _ = self.post(state, &url, &params).await;
    }

    async fn play(&self, state: &AppState, id: &str, call: &str, behaviour: Behaviour) {
        let mut seq = 0;
        self.status(state, id, call, &mut seq, "initiated").await;
        self.status(state, id, call, &mut seq, "ringing").await;
        tokio::time::sleep(self.pause).await;
        let keys = match behaviour {
            Behaviour::NoAnswer => return self.status(state, id, call, &mut seq, "no-answer").await,
            Behaviour::Busy => return self.status(state, id, call, &mut seq, "busy").await,
            Behaviour::Fail => return self.status(state, id, call, &mut seq, "failed").await,
            Behaviour::Silent => return,
            Behaviour::Answer(keys) => keys,
        };
        self.status(state, id, call, &mut seq, "in-progress").await;
        let base = vec![("CallSid".to_owned(), call.to_owned()), ("CallStatus".to_owned(), "in-progress".to_owned())];
        let mut twiml = self.post(state, &format!("{}/call/twilio/voice?a={id}", state.config.call.public_url), &base).await.unwrap_or_default();
        let mut keys = keys.into_iter();
        while let Some(action) = gather_action(&twiml) {
            let Some(next) = keys.next() else { break };
            tokio::time::sleep(self.pause).await;
            let mut params = base.clone();
            if let Some(k) = next {
                params.push(("Digits".to_owned(), k));
            }
            twiml = self.post(state, &action, &params).await.unwrap_or_default();
        }
        self.status(state, id, call, &mut seq, "completed").await;
    }
}

/// The action address of a TwiML `<Gather>`, if the answer asks for keys.
pub fn gather_action(twiml: &str) -> Option<String> {
    let gather = twiml.find("<Gather")?;
    let rest = &twiml[gather..];
    let start = rest.find("action=\"")? + "action=\"".len();
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].replace("&amp;", "&"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::machine::Reply;

    #[test]
    fn the_gather_action_is_read_back() {
        let t = super::super::twilio::twiml(&Reply::Ask { say: "x".into(), digits: 1 }, protocol::Lang::Ja, "http://h/call/twilio/gather?a=1&t=2");
        assert_eq!(gather_action(&t).as_deref(), Some("http://h/call/twilio/gather?a=1&t=2"));
        assert_eq!(gather_action("<Response><Hangup/></Response>"), None);
    }
}
