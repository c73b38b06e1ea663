//! Placing a call: Twilio's REST request (`POST /2010-04-01/Accounts/{sid}/Calls.json`,
//! form `To`, `From`, `Url`, `StatusCallback` with its events, Basic auth), Vonage's
//! (`POST /v1/calls`, JSON `to`, `from`, `answer_url`, `event_url`, a Bearer RS256 JWT
//! of the application), or the simulated provider. The requests are built as data
//! (tested against the providers' documented shapes) and sent over HTTPS with rustls.

use super::config::{CallConfig, ProviderConfig, TwilioConfig, VonageConfig};
use super::sim::SimProvider;
use super::store::DialTarget;
use crate::state::AppState;
use base64::Engine;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// An HTTP request to a provider.
#[derive(Clone)]
pub struct Outbound {
    /// URL.
    pub url: String,
    /// `Authorization` header value.
    pub authorization: String,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// Body.
    pub body: String,
}

/// A Japanese number as E.164 digits without `+` (`09012345678` → `819012345678`).
pub fn e164_digits(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix('0') {
        Some(rest) if !number.trim_start().starts_with('+') => format!("81{rest}"),
        _ => digits,
    }
}

/// Twilio's request that starts the call of `t`.
pub fn twilio_request(cfg: &TwilioConfig, public_url: &str, t: &DialTarget) -> Outbound {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("To", &format!("+{}", e164_digits(&t.number)))
        .append_pair("From", &cfg.from)
        .append_pair("Url", &format!("{public_url}/call/twilio/voice?a={}", t.id))
        .append_pair("Method", "POST")
        .append_pair("StatusCallback", &format!("{public_url}/call/twilio/status?a={}", t.id))
        .append_pair("StatusCallbackMethod", "POST");
    for e in ["initiated", "ringing", "answered", "completed"] {
        form.append_pair("StatusCallbackEvent", e);
    }
    form.append_pair("Timeout", "30");
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", cfg.account_sid, cfg.auth_token.expose()));
    Outbound {
        url: format!("{}/2010-04-01/Accounts/{}/Calls.json", cfg.api_base, cfg.account_sid),
        authorization: format!("Basic {basic}"),
        content_type: "application/x-www-form-urlencoded",
        body: form.finish(),
    }
}

/// Vonage's request that starts the call of `t`, with the application's RS256 JWT.
pub fn vonage_request(cfg: &VonageConfig, public_url: &str, t: &DialTarget, now: DateTime<Utc>) -> Option<Outbound> {
    let claims = serde_json::json!({
        "application_id": cfg.application_id,
        "iat": now.timestamp(),
        "exp": now.timestamp() + 300,
        "jti": uuid::Uuid::new_v4().to_string(),
    });
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(cfg.private_key_pem.expose().as_bytes()).ok()?;
    let jwt = jsonwebtoken::encode(&jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256), &claims, &key).ok()?;
    let body = serde_json::json!({
        "to": [{ "type": "phone", "number": e164_digits(&t.number) }],
        "from": { "type": "phone", "number": cfg.from },
        "answer_url": [format!("{public_url}/call/vonage/answer?a={}", t.id)],
        "answer_method": "POST",
        "event_url": [format!("{public_url}/call/vonage/event?a={}", t.id)],
        "event_method": "POST",
        "ringing_timer": 30,
    });
    Some(Outbound { url: format!("{}/v1/calls", cfg.api_base), authorization: format!("Bearer {jwt}"), content_type: "application/json", body: body.to_string() })
}

/// A call that could not be placed (the reason is logged, without the number).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotPlaced;

/// Who places this server's calls.
#[derive(Clone)]
pub enum Dialer {
    /// The simulated provider.
    Sim(Arc<SimProvider>),
    /// A real provider over HTTPS.
    Http(reqwest::Client),
}

impl std::fmt::Debug for Dialer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Dialer::Sim(_) => "Dialer::Sim",
            Dialer::Http(_) => "Dialer::Http",
        })
    }
}

fn http_client() -> Result<reqwest::Client, String> {
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("tls: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .timeout(std::time::Duration::from_secs(15))
        .build()
        .map_err(|e| format!("http client: {e}"))
}

impl Dialer {
    /// The dialer the configuration asks for (the simulated one with its demo script).
    pub fn from_config(cfg: &CallConfig) -> Result<Dialer, String> {
        match cfg.provider {
            ProviderConfig::Simulated => Ok(Dialer::Sim(Arc::new(SimProvider::demo()))),
            _ => Ok(Dialer::Http(http_client()?)),
        }
    }

    /// The provider's name for the attempt rows.
    pub fn name(&self, cfg: &CallConfig) -> &'static str {
        cfg.provider.name()
    }

    /// Places one call; `Ok(provider call id)`. Failures are logged without the number.
    pub async fn place(&self, state: &AppState, t: &DialTarget) -> Result<String, NotPlaced> {
        let cfg = &state.config.call;
        let req = match (self, &cfg.provider) {
            (Dialer::Sim(sim), _) => return Ok(sim.place(state, t)),
            (Dialer::Http(_), ProviderConfig::Twilio(tw)) => twilio_request(tw, &cfg.public_url, t),
            (Dialer::Http(_), ProviderConfig::Vonage(v)) => vonage_request(v, &cfg.public_url, t, state.clock.now()).ok_or(NotPlaced)?,
            (Dialer::Http(_), ProviderConfig::Simulated) => return Err(NotPlaced),
        };
        let Dialer::Http(client) = self else { return Err(NotPlaced) };
        let res = client
            .post(&req.url)
            .header(reqwest::header::AUTHORIZATION, &req.authorization)
            .header(reqwest::header::CONTENT_TYPE, req.content_type)
            .body(req.body)
            .send()
            .await;
        let res = match res {
            Ok(r) if r.status().is_success() => r,
            Ok(r) => {
                tracing::warn!(attempt = %t.id, status = r.status().as_u16(), "the provider refused a call");
                return Err(NotPlaced);
            }
            Err(e) => {
                tracing::warn!(attempt = %t.id, timeout = e.is_timeout(), "the provider could not be reached");
                return Err(NotPlaced);
            }
        };
        let v: serde_json::Value = res.json().await.map_err(|_| NotPlaced)?;
        v.get("sid").or_else(|| v.get("uuid")).and_then(|s| s.as_str()).map(str::to_owned).ok_or(NotPlaced)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;
    use protocol::Lang;

    fn target() -> DialTarget {
        DialTarget { id: "abc".into(), case_id: 1, centre_id: 1, round: super::super::Round::First, number: "090-1234-5678".into(), lang: Lang::Ja }
    }

    #[test]
    fn twilio_call_request_has_the_documented_fields() {
        let cfg = TwilioConfig { account_sid: "AC123".into(), auth_token: Secret::new("tok".into()), from: "+815012345678".into(), api_base: "https://api.twilio.com".into() };
        let r = twilio_request(&cfg, "https://m.example.jp", &target());
        assert_eq!(r.url, "https://api.twilio.com/2010-04-01/Accounts/AC123/Calls.json");
        assert_eq!(r.authorization, format!("Basic {}", base64::engine::general_purpose::STANDARD.encode("AC123:tok")));
        let form: Vec<(String, String)> = form_urlencoded::parse(r.body.as_bytes()).into_owned().collect();
        let get = |k: &str| form.iter().find(|(x, _)| x == k).map(|(_, v)| v.as_str());
        assert_eq!(get("To"), Some("+819012345678"));
        assert_eq!(get("Url"), Some("https://m.example.jp/call/twilio/voice?a=abc"));
        assert_eq!(get("StatusCallback"), Some("https://m.example.jp/call/twilio/status?a=abc"));
        assert_eq!(form.iter().filter(|(k, _)| k == "StatusCallbackEvent").count(), 4);
    }

    #[test]
    fn numbers_become_e164() {
        assert_eq!(e164_digits("09012345678"), "819012345678");
        assert_eq!(e164_digits("+81 90 1234 5678"), "819012345678");
        assert_eq!(e164_digits("0312345678"), "81312345678");
    }

    #[test]
    fn vonage_without_a_valid_key_does_not_call() {
        let cfg = VonageConfig {
            application_id: "app".into(),
            private_key_pem: Secret::new("not a key".into()),
            signature_secret: Secret::new("s".into()),
            from: "815012345678".into(),
            api_base: "https://api.nexmo.com".into(),
        };
        assert!(vonage_request(&cfg, "https://m", &target(), Utc::now()).is_none());
    }
}
