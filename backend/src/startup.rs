//! What `serve` checks before it says it is listening: the trusted authorities load
//! (a bad PEM file stops start-up), the SMTP settings are safe (plain SMTP only to a
//! loopback relay, a password with a user), the database answers (it is opened by then)
//! and the mail relay takes a connection, EHLO, STARTTLS and AUTH. A relay that is down
//! does not stop the server: it is printed, logged and reported by `/readyz` until it
//! is back, and code requests answer 503 meanwhile.

use crate::config::{Smtp, SmtpSecurity};
use crate::secret::Secret;
use crate::state::AppState;
use crate::tls::{RootSet, Trust, TrustConfig};
use std::path::{Path, PathBuf};

/// Loads the trusted authorities (`trusted-roots`, `extra-ca-file`).
pub fn trust(roots: &str, extra_ca_file: Option<PathBuf>) -> Result<Trust, String> {
    let roots = RootSet::parse(roots).ok_or_else(|| format!("trusted-roots must be public or system, not {roots}"))?;
    Trust::load(&TrustConfig { roots, extra_ca_file }).map_err(|e| e.to_string())
}

/// The SMTP settings, the password from `MIMAMORI_SMTP_PASSWORD` or the first line of
/// `password_file` (not both), checked.
pub fn smtp(host: String, port: Option<u16>, security: &str, user: Option<String>, password_file: Option<&Path>) -> Result<Smtp, String> {
    let security = SmtpSecurity::parse(security).ok_or_else(|| format!("smtp-security must be starttls, tls or none, not {security}"))?;
    let from_env = std::env::var("MIMAMORI_SMTP_PASSWORD").ok().filter(|p| !p.is_empty());
    let password = match (from_env, password_file) {
        (Some(_), Some(_)) => return Err("set either MIMAMORI_SMTP_PASSWORD or smtp-password-file, not both".to_owned()),
        (Some(p), None) => Some(p),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("smtp-password-file {}: cannot be read ({})", path.display(), e.kind()))?;
            let line = text.lines().next().unwrap_or_default().to_owned();
            if line.is_empty() {
                return Err(format!("smtp-password-file {}: is empty", path.display()));
            }
            Some(line)
        }
        (None, None) => None,
    };
    let smtp = Smtp { host, port, security, user, password: password.map(Secret::new) };
    smtp.check()?;
    Ok(smtp)
}

/// The start-up lines about the database, the authorities and mail, after checking
/// them; a relay that cannot be reached is said so (and logged), not hidden.
pub async fn check(state: &AppState, database: &str) -> Result<Vec<String>, String> {
    state.db.ping().await.map_err(|e| format!("database check failed: {e}"))?;
    let mut lines = vec![format!("database: {database} (answers)"), format!("trusted authorities: {}", state.config.trust.describe())];
    match (&state.config.smtp, state.mailer.probe().await) {
        (_, None) => lines.push(format!("verification mail is written to: {}", state.mailer.folder().map(|d| d.display().to_string()).unwrap_or_default())),
        (Some(s), Some(Ok(()))) => lines.push(format!("mail relay: {}:{} ({}) ready; verification mail is sent over SMTP", s.host, s.effective_port(), s.security.name())),
        (Some(s), Some(Err(why))) => {
            tracing::warn!(reason = %why, "mail relay not ready at start-up");
            lines.push(format!(
                "mail relay: {}:{} ({}) NOT ready: {why}; code requests answer 503 and /readyz reports it until it is",
                s.host,
                s.effective_port(),
                s.security.name()
            ));
        }
        (None, Some(_)) => {}
    }
    Ok(lines)
}
