//! The SMTP relay: the transport as the settings ask (STARTTLS, implicit TLS, or plain
//! to a loopback relay only; AUTH when a user is set; certificates checked against the
//! server's trusted authorities), the start-up and readiness probe (connect, EHLO,
//! STARTTLS, AUTH, NOOP: no message), and why a send failed in words for the log —
//! never the address, the code or the relay's own reply text, which may quote them.

use crate::config::{Smtp, SmtpSecurity};
use crate::error::{Error, Result};
use crate::tls::Trust;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::Tls;
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use std::time::Duration;

/// How long one SMTP command may take.
const TIMEOUT: Duration = Duration::from_secs(15);

/// The transport for `smtp`, trusting `trust`.
pub fn transport(smtp: &Smtp, trust: &Trust) -> Result<AsyncSmtpTransport<Tokio1Executor>> {
    smtp.check().map_err(Error::Mail)?;
    let tls = match smtp.security {
        SmtpSecurity::StartTls => Tls::Required(trust.smtp_parameters(&smtp.host)?),
        SmtpSecurity::Tls => Tls::Wrapper(trust.smtp_parameters(&smtp.host)?),
        SmtpSecurity::None => Tls::None,
    };
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp.host.clone()).port(smtp.effective_port()).tls(tls).timeout(Some(TIMEOUT));
    if let (Some(user), Some(pw)) = (&smtp.user, &smtp.password) {
        b = b.credentials(Credentials::new(user.clone(), pw.expose().clone()));
    }
    Ok(b.build())
}

/// Connects, greets, upgrades and authenticates as a send would, and checks the
/// connection with NOOP. Sends no message.
pub async fn probe(transport: &AsyncSmtpTransport<Tokio1Executor>) -> std::result::Result<(), String> {
    match transport.test_connection().await {
        Ok(true) => Ok(()),
        Ok(false) => Err("the relay did not answer NOOP".to_owned()),
        Err(e) => Err(why(&e)),
    }
}

/// Why an SMTP exchange failed: connection refused, the TLS handshake and which
/// certificate check, authentication refused, recipient refused, …
pub fn why(e: &lettre::transport::smtp::Error) -> String {
    if let Some(tls) = crate::tls::handshake_failure(e) {
        return tls;
    }
    if let Some(code) = e.status() {
        let n = u16::from(code.severity as u8) * 100 + u16::from(code.category as u8) * 10 + u16::from(code.detail as u8);
        let what = match n {
            530 | 534 | 535 | 538 | 454 => "authentication refused",
            550 | 551 | 553 => "recipient refused",
            552 => "message refused as too large",
            421 => "relay closing the connection",
            450..=452 => "temporarily refused, try later",
            _ if e.is_permanent() => "refused by the relay",
            _ => "temporarily refused by the relay",
        };
        return format!("{what} (SMTP {n})");
    }
    if e.is_timeout() {
        return "timed out".to_owned();
    }
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return match io.kind() {
                std::io::ErrorKind::ConnectionRefused => "connection refused (is the relay running on that host and port?)".to_owned(),
                std::io::ErrorKind::TimedOut => "connection timed out".to_owned(),
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::BrokenPipe => {
                    "the relay closed the connection".to_owned()
                }
                kind => format!("network error ({kind})"),
            };
        }
        cur = err.source();
    }
    if e.is_client() {
        // lettre's own client errors are fixed sentences (no address, no reply text).
        return format!("{e}");
    }
    if e.is_tls() {
        return "TLS error".to_owned();
    }
    if e.is_response() {
        return "the relay's reply could not be read".to_owned();
    }
    "connection error (host name not resolved or unreachable)".to_owned()
}
