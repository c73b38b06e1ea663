//! Sending the verification code: over SMTP (lettre; `smtp.rs`) when a relay is
//! configured, otherwise as one `.eml` file per message in a local mail folder whose
//! path the server prints at start. The message is composed in `message.rs`. The code
//! and the address never reach the log.

mod message;
pub mod smtp;

pub use message::CodeMail;

use crate::config::Config;
use crate::error::{Error, Result};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use protocol::Lang;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// How long a relay that answered a check counts as ready without being asked again.
pub const PROBE_KEEP: std::time::Duration = std::time::Duration::from_secs(10);

/// Where mail goes.
pub enum Mailer {
    /// An SMTP relay.
    Smtp {
        /// The transport (pooled connections).
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// Sender.
        from: Mailbox,
        /// The centre's name signed under the mail.
        centre: Option<String>,
        /// When the relay last answered a check (see [`Mailer::probe`]).
        answered: tokio::sync::Mutex<Option<std::time::Instant>>,
    },
    /// A local folder, one file per message.
    Folder {
        /// The folder.
        dir: PathBuf,
        /// Sender.
        from: Mailbox,
        /// The centre's name signed under the mail.
        centre: Option<String>,
        /// Orders files written in the same millisecond.
        seq: AtomicU64,
    },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mailer::Smtp { .. } => f.write_str("Mailer::Smtp"),
            Mailer::Folder { dir, .. } => write!(f, "Mailer::Folder({})", dir.display()),
        }
    }
}

impl Mailer {
    /// The mailer the configuration asks for. Creates the mail folder if needed.
    pub fn from_config(config: &Config) -> Result<Mailer> {
        let from: Mailbox = config.mail_from.parse().map_err(|e| Error::Mail(format!("sender address: {e}")))?;
        match &config.smtp {
            Some(smtp) => Ok(Mailer::Smtp {
                transport: smtp::transport(smtp, &config.trust)?,
                from,
                centre: config.centre_name.clone(),
                answered: tokio::sync::Mutex::new(None),
            }),
            None => {
                std::fs::create_dir_all(&config.mail_dir)
                    .map_err(|e| Error::Mail(format!("mail folder cannot be created: {}", e.kind())))?;
                Ok(Mailer::Folder { dir: config.mail_dir.clone(), from, centre: config.centre_name.clone(), seq: AtomicU64::new(0) })
            }
        }
    }

    /// The mail folder, when mail is written to files.
    pub fn folder(&self) -> Option<&Path> {
        match self {
            Mailer::Folder { dir, .. } => Some(dir),
            Mailer::Smtp { .. } => None,
        }
    }

    /// Sends the verification code for a registration request.
    pub async fn send_code(&self, to: &str, code: &str, lang: Lang, valid_minutes: u64) -> Result<()> {
        let to: Mailbox = to.parse().map_err(|_| Error::Mail("recipient address does not parse".to_owned()))?;
        let (from, centre) = match self {
            Mailer::Smtp { from, centre, .. } | Mailer::Folder { from, centre, .. } => (from.clone(), centre.as_deref()),
        };
        let message = CodeMail { code, valid_minutes, lang, centre }.build(from, to)?;
        match self {
            Mailer::Smtp { transport, .. } => {
                transport.send(message).await.map_err(|e| Error::Mail(format!("smtp relay: {}", smtp::why(&e))))?;
            }
            Mailer::Folder { dir, seq, .. } => {
                let n = seq.fetch_add(1, Ordering::Relaxed);
                let name = format!("{:013}-{n:06}-{}.eml", chrono::Utc::now().timestamp_millis(), uuid::Uuid::new_v4().simple());
                write_private(&dir.join(name), &message.formatted()).await?;
            }
        }
        Ok(())
    }

    /// Checks the relay without sending anything (see [`smtp::probe`]); `None` when
    /// mail goes to a folder. A relay that answered is taken as ready for
    /// [`PROBE_KEEP`] without asking again (one check at a time); one that did not is
    /// asked again on the next call.
    pub async fn probe(&self) -> Option<std::result::Result<(), String>> {
        match self {
            Mailer::Smtp { transport, answered, .. } => {
                let mut last = answered.lock().await;
                if last.is_some_and(|t| t.elapsed() < PROBE_KEEP) {
                    return Some(Ok(()));
                }
                let result = smtp::probe(transport).await;
                *last = result.is_ok().then(std::time::Instant::now);
                Some(result)
            }
            Mailer::Folder { .. } => None,
        }
    }
}

/// Writes a file readable by its owner only.
async fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let path = path.to_owned();
    let bytes = bytes.to_vec();
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&path)?;
        f.write_all(&bytes)?;
        f.sync_all()
    })
    .await
    .map_err(|e| Error::Mail(format!("mail task: {e}")))?
    .map_err(|e| Error::Mail(format!("mail file: {}", e.kind())))
}

/// Reads the newest verification code sent to `to` from a mail folder. For tests, the
/// demo and the walkthrough; the server itself never reads mail back.
pub fn latest_code_in_folder(dir: &Path, to: &str) -> Option<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir).ok()?.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    names.sort();
    let needle = format!("To: {to}");
    names.iter().rev().find_map(|p| {
        let text = std::fs::read_to_string(p).ok()?;
        if !text.lines().any(|l| l.eq_ignore_ascii_case(&needle)) {
            return None;
        }
        let line = text.lines().find(|l| l.starts_with("認証コード: ") || l.starts_with("Verification code: "))?;
        line.rsplit(' ').next().map(str::to_owned)
    })
}
