//! Server settings: where the database is, how mail leaves, throttling quotas, token
//! lifetimes, the password-hash cost and the trusted authorities. Built from flags,
//! environment and the settings file (`settings.rs`), and by tests with smaller quotas.

use crate::password::HashCost;
use std::path::PathBuf;
use std::time::Duration;

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// An embedded SQLite file, created with its schema on first start.
    Sqlite(PathBuf),
    /// A PostgreSQL server (`postgres://…`).
    Postgres(String),
}

impl DatabaseUrl {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; `sqlite://path`, `sqlite:path`
    /// or a bare path is a SQLite file.
    pub fn parse(url: &str) -> DatabaseUrl {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            DatabaseUrl::Postgres(url.to_owned())
        } else {
            let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
            DatabaseUrl::Sqlite(PathBuf::from(path))
        }
    }

    /// A description for the start-up line with any password left out.
    pub fn describe(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => format!("SQLite file {}", p.display()),
            DatabaseUrl::Postgres(url) => {
                let host = url.rsplit_once('@').map_or(url.as_str(), |(_, rest)| rest);
                format!("PostgreSQL at {}", host.split('?').next().unwrap_or(host))
            }
        }
    }
}

/// A throttle quota: `burst` attempts at once, then one more every `every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Attempts allowed at once.
    pub burst: u32,
    /// Time for one attempt to come back.
    pub every: Duration,
}

impl Quota {
    /// A quota of `burst` attempts, one more every `secs` seconds.
    pub const fn new(burst: u32, secs: u64) -> Quota {
        Quota { burst, every: Duration::from_secs(secs) }
    }
}

/// Throttling quotas, per account (e-mail or registration) and per client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Verification-code requests per e-mail address.
    pub code_requests_per_email: Quota,
    /// Verification-code requests per client address.
    pub code_requests_per_client: Quota,
    /// Code and attribute tries per client address (per registration there is a hard
    /// cap of [`Limits::max_tries`]).
    pub tries_per_client: Quota,
    /// Logins per account (e-mail) from places where it never signed in.
    pub logins_per_account: Quota,
    /// Logins per account from one address.
    pub logins_per_account_place: Quota,
    /// Logins per client address.
    pub logins_per_client: Quota,
    /// Wrong codes (and mismatching attribute sets) a registration survives.
    pub max_tries: i64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            code_requests_per_email: Quota::new(3, 300),
            code_requests_per_client: Quota::new(20, 60),
            tries_per_client: Quota::new(30, 10),
            logins_per_account: Quota::new(20, 60),
            logins_per_account_place: Quota::new(5, 60),
            logins_per_client: Quota::new(30, 5),
            max_tries: 5,
        }
    }
}

/// How the connection to the SMTP relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which must succeed (default; port 587).
    #[default]
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only to a relay on the loopback address (port 25), such as a
    /// development relay.
    None,
}

impl SmtpSecurity {
    /// `starttls`, `tls` or `none`.
    pub fn parse(s: &str) -> Option<SmtpSecurity> {
        match s {
            "starttls" => Some(SmtpSecurity::StartTls),
            "tls" => Some(SmtpSecurity::Tls),
            "none" => Some(SmtpSecurity::None),
            _ => None,
        }
    }

    /// The setting's value.
    pub fn name(self) -> &'static str {
        match self {
            SmtpSecurity::StartTls => "starttls",
            SmtpSecurity::Tls => "tls",
            SmtpSecurity::None => "none",
        }
    }
}

/// SMTP settings; without them mail is written to the mail folder.
#[derive(Debug, Clone)]
pub struct Smtp {
    /// Server host name; certificates are checked for it.
    pub host: String,
    /// Port (default 587 for STARTTLS, 465 for TLS, 25 for none).
    pub port: Option<u16>,
    /// How the connection is protected.
    pub security: SmtpSecurity,
    /// User name, if the server wants one.
    pub user: Option<String>,
    /// Password (from the environment or a file, never a flag).
    pub password: Option<crate::secret::Secret<String>>,
}

impl Smtp {
    /// Refuses settings that would send mail in the clear over a network, or a user
    /// without a password.
    pub fn check(&self) -> Result<(), String> {
        if self.security == SmtpSecurity::None && !is_loopback(&self.host) {
            return Err(format!(
                "smtp-security = none is allowed only for a relay on the loopback address (127.0.0.1, ::1, localhost), not {}; use starttls or tls",
                self.host
            ));
        }
        if self.user.is_some() && self.password.is_none() {
            return Err("smtp-user is set but no password: set MIMAMORI_SMTP_PASSWORD or smtp-password-file".to_owned());
        }
        Ok(())
    }

    /// The port used.
    pub fn effective_port(&self) -> u16 {
        self.port.unwrap_or(match self.security {
            SmtpSecurity::StartTls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        })
    }
}

/// `localhost` or a loopback IP address.
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Everything the server needs besides its database connection.
#[derive(Debug, Clone)]
pub struct Config {
    /// Sender address of the verification mail.
    pub mail_from: String,
    /// SMTP relay; `None` writes mail into `mail_dir`.
    pub smtp: Option<Smtp>,
    /// Folder for mail files when no SMTP relay is configured.
    pub mail_dir: PathBuf,
    /// Throttling quotas.
    pub limits: Limits,
    /// Argon2id cost for new password hashes.
    pub hash_cost: HashCost,
    /// How long a verification code is valid.
    pub code_ttl: Duration,
    /// How long the registration token (after the code is verified) is valid.
    pub registration_ttl: Duration,
    /// Lifetime of a patient session.
    pub patient_session_ttl: Duration,
    /// Lifetime of a staff session.
    pub staff_session_ttl: Duration,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Most reports in one sync request.
    pub max_reports_per_request: usize,
    /// The reverse proxies whose `X-Forwarded-For` entry names the client (empty: the
    /// TCP peer is the client).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Where patients open the app; printed, with its QR code, on the leaflet.
    pub app_url: String,
    /// The canonical base of the FHIR definitions, code systems and identifier systems:
    /// the same for every deployment, so that two servers' codes match (not the
    /// listening address).
    pub fhir_canonical: String,
    /// Mark the staff session cookie `Secure` (serve over HTTPS, directly or behind a
    /// proxy).
    pub secure_cookies: bool,
    /// How long an urgent report may wait unhandled before it is highlighted for every
    /// signed-in staff member of the centre.
    pub urgent_alert_after: Duration,
    /// Days after a case's observation ended before the retention job removes its
    /// personal data.
    pub retention_days: u32,
    /// The oldest patient-API protocol version a phone may speak
    /// (`protocol::wire::PROTOCOL_VERSION` of its core); older ones are told to update.
    pub min_app_protocol: u32,
    /// The automated morning call: provider, public address, scheduler.
    pub call: crate::call::CallConfig,
    /// Which phone apps may open the leaflet's link (App Links, universal links).
    pub app_links: crate::web::app_links::AppLinks,
    /// The bearer token a metrics scraper presents at `/metrics`; `None`: no metrics page.
    pub metrics_token: Option<crate::secret::Secret<String>>,
    /// Clinics and statistics: age bands, how old today's statistics may be.
    pub clinic: crate::clinic::ClinicConfig,
    /// The certificate authorities trusted for the SMTP relay and PostgreSQL over TLS.
    pub trust: crate::tls::Trust,
    /// The health centre's name, signed under the verification mail when this server
    /// serves one centre.
    pub centre_name: Option<String>,
}

impl Config {
    /// Production defaults with mail written into `mail_dir`.
    pub fn new(mail_dir: PathBuf) -> Config {
        Config {
            mail_from: "Mimamori <no-reply@mimamori.invalid>".to_owned(),
            smtp: None,
            mail_dir,
            limits: Limits::default(),
            hash_cost: HashCost::OWASP,
            code_ttl: Duration::from_secs(10 * 60),
            registration_ttl: Duration::from_secs(30 * 60),
            patient_session_ttl: Duration::from_secs(180 * 24 * 3600),
            staff_session_ttl: Duration::from_secs(12 * 3600),
            body_limit: 64 * 1024,
            max_reports_per_request: 100,
            trusted_proxies: Vec::new(),
            app_url: "http://127.0.0.1:8080/app".to_owned(),
            fhir_canonical: crate::fhir::DEFAULT_CANONICAL.to_owned(),
            secure_cookies: false,
            urgent_alert_after: Duration::from_secs(30 * 60),
            retention_days: crate::rights::retention::DEFAULT_DAYS,
            min_app_protocol: 1,
            call: crate::call::CallConfig::default(),
            app_links: crate::web::app_links::AppLinks::default(),
            metrics_token: None,
            clinic: crate::clinic::ClinicConfig::default(),
            trust: crate::tls::Trust::default(),
            centre_name: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_database() {
        assert_eq!(DatabaseUrl::parse("./mimamori.db"), DatabaseUrl::Sqlite("./mimamori.db".into()));
        assert_eq!(DatabaseUrl::parse("sqlite:///tmp/x.db"), DatabaseUrl::Sqlite("/tmp/x.db".into()));
        assert!(matches!(DatabaseUrl::parse("postgres://u@h/db"), DatabaseUrl::Postgres(_)));
        let d = DatabaseUrl::parse("postgres://u:secret@h:5432/db?sslmode=disable").describe();
        assert!(!d.contains("secret") && d.contains("h:5432/db"), "{d}");
    }

    #[test]
    fn plain_smtp_only_on_loopback() {
        let smtp = |host: &str| Smtp { host: host.into(), port: None, security: SmtpSecurity::None, user: None, password: None };
        assert!(smtp("127.0.0.1").check().is_ok());
        assert!(smtp("localhost").check().is_ok());
        assert!(smtp("[::1]").check().is_ok());
        let e = smtp("relay.example.jp").check().unwrap_err();
        assert!(e.contains("loopback"), "{e}");
        assert_eq!(smtp("::1").effective_port(), 25);
    }

    #[test]
    fn code_lifetime_is_at_most_ten_minutes() {
        let c = Config::new("/tmp".into());
        assert!(c.code_ttl <= Duration::from_secs(600));
        assert_eq!(c.hash_cost, HashCost::OWASP);
        assert_eq!(c.limits.max_tries, 5);
    }
}
