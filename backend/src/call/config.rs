//! The call's server settings: which provider places the calls and its credentials
//! (from flags and the environment; secrets never from a flag), the public address the
//! providers call back, and the scheduler's timing. A centre's call times, retry and
//! pace are in the database ([`super::rules::CentreSettings`]).

use crate::secret::Secret;
use std::time::Duration;

/// Twilio account settings.
#[derive(Debug, Clone)]
pub struct TwilioConfig {
    /// Account SID (`AC…`).
    pub account_sid: String,
    /// Auth token: signs the webhooks and authenticates the REST requests.
    pub auth_token: Secret<String>,
    /// The caller number (E.164).
    pub from: String,
    /// REST base, `https://api.twilio.com`.
    pub api_base: String,
}

/// Vonage application settings.
#[derive(Debug, Clone)]
pub struct VonageConfig {
    /// Application id: the `application_id` claim of the REST request's JWT.
    pub application_id: String,
    /// The application's private key (PEM): signs the REST request's RS256 JWT.
    pub private_key_pem: Secret<String>,
    /// The account's signature secret: signs the webhooks (HS256 JWT).
    pub signature_secret: Secret<String>,
    /// The caller number (E.164 without `+`).
    pub from: String,
    /// REST base, `https://api.nexmo.com`.
    pub api_base: String,
}

/// Who places the calls.
#[derive(Debug, Clone)]
pub enum ProviderConfig {
    /// Fake calls whose keys come from a script, through the Twilio-format webhooks
    /// signed with a secret of this server: the default, no account needed.
    Simulated,
    /// Twilio Programmable Voice.
    Twilio(TwilioConfig),
    /// Vonage Voice API.
    Vonage(VonageConfig),
}

impl ProviderConfig {
    /// `simulated`, `twilio` or `vonage`.
    pub fn name(&self) -> &'static str {
        match self {
            ProviderConfig::Simulated => "simulated",
            ProviderConfig::Twilio(_) => "twilio",
            ProviderConfig::Vonage(_) => "vonage",
        }
    }
}

/// The call channel's settings.
#[derive(Debug, Clone)]
pub struct CallConfig {
    /// Who places the calls.
    pub provider: ProviderConfig,
    /// This server's public address as the provider reaches it (no trailing `/`); the
    /// webhook addresses and the Twilio signature are built on it.
    pub public_url: String,
    /// Signs the simulated provider's webhooks (random per start unless given).
    pub sim_secret: Secret<String>,
    /// Run the round scheduler in this server copy.
    pub scheduler: bool,
    /// How often the scheduler looks for due rounds and attempts.
    pub tick: Duration,
    /// How long a claim lasts before another copy may take the attempt over.
    pub lease: Duration,
    /// A placed call that has not ended after this long is ended as failed.
    pub stale_after: Duration,
}

impl Default for CallConfig {
    fn default() -> CallConfig {
        CallConfig {
            provider: ProviderConfig::Simulated,
            public_url: "http://127.0.0.1:8080".to_owned(),
            sim_secret: crate::secret::new_token(),
            scheduler: true,
            tick: Duration::from_secs(1),
            lease: Duration::from_secs(30),
            stale_after: Duration::from_secs(30 * 60),
        }
    }
}

fn env(name: &str) -> Result<String, String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty()).ok_or_else(|| format!("{name} is not set"))
}

impl CallConfig {
    /// The settings for `provider` (`simulated`, `twilio` or `vonage`), credentials
    /// from the environment: `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN`, `TWILIO_FROM`;
    /// `VONAGE_APPLICATION_ID`, `VONAGE_PRIVATE_KEY_PATH`, `VONAGE_SIGNATURE_SECRET`,
    /// `VONAGE_FROM`; `MIMAMORI_CALL_SIM_SECRET` (optional: copies sharing a database
    /// share the simulation's secret).
    pub fn from_env(provider: &str, public_url: String, scheduler: bool) -> Result<CallConfig, String> {
        let provider = match provider {
            "simulated" | "sim" => ProviderConfig::Simulated,
            "twilio" => ProviderConfig::Twilio(TwilioConfig {
                account_sid: env("TWILIO_ACCOUNT_SID")?,
                auth_token: Secret::new(env("TWILIO_AUTH_TOKEN")?),
                from: env("TWILIO_FROM")?,
                api_base: std::env::var("TWILIO_API_BASE").unwrap_or_else(|_| "https://api.twilio.com".to_owned()),
            }),
            "vonage" => {
                let path = env("VONAGE_PRIVATE_KEY_PATH")?;
                let pem = std::fs::read_to_string(&path).map_err(|e| format!("reading VONAGE_PRIVATE_KEY_PATH: {}", e.kind()))?;
                ProviderConfig::Vonage(VonageConfig {
                    application_id: env("VONAGE_APPLICATION_ID")?,
                    private_key_pem: Secret::new(pem),
                    signature_secret: Secret::new(env("VONAGE_SIGNATURE_SECRET")?),
                    from: env("VONAGE_FROM")?,
                    api_base: std::env::var("VONAGE_API_BASE").unwrap_or_else(|_| "https://api.nexmo.com".to_owned()),
                })
            }
            other => return Err(format!("unknown call provider {other:?} (simulated, twilio or vonage)")),
        };
        let mut c = CallConfig { provider, public_url: public_url.trim_end_matches('/').to_owned(), scheduler, ..CallConfig::default() };
        if let Ok(s) = env("MIMAMORI_CALL_SIM_SECRET") {
            c.sim_secret = Secret::new(s);
        }
        Ok(c)
    }

    /// The secret the Twilio-format webhooks are signed with: the auth token, or the
    /// simulated provider's secret. `None` with Vonage (those routes then refuse all).
    pub fn twilio_token(&self) -> Option<&str> {
        match &self.provider {
            ProviderConfig::Twilio(t) => Some(t.auth_token.expose()),
            ProviderConfig::Simulated => Some(self.sim_secret.expose()),
            ProviderConfig::Vonage(_) => None,
        }
    }

    /// The Vonage signature secret, when Vonage places the calls.
    pub fn vonage_secret(&self) -> Option<&str> {
        match &self.provider {
            ProviderConfig::Vonage(v) => Some(v.signature_secret.expose()),
            _ => None,
        }
    }
}
