//! The first registration in progress, kept across app restarts: the server's request
//! id, the address the code went to, the step the person is at, and until when the code and the registration token
//! are valid (the token itself is in the keystore).

use crate::error::Result;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// The screen a registration in progress continues on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    /// The code was mailed: enter it.
    Code,
    /// The code was verified: set the password.
    Password,
    /// The password was set: enter the attributes and input ID.
    Attributes,
}

impl Step {
    fn as_str(self) -> &'static str {
        match self {
            Step::Code => "code",
            Step::Password => "password",
            Step::Attributes => "attributes",
        }
    }

    fn parse(s: &str) -> Option<Step> {
        [Step::Code, Step::Password, Step::Attributes].into_iter().find(|x| x.as_str() == s)
    }
}

/// Where a registration stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Progress {
    pub request_id: String,
    pub step: Step,
    /// RFC 3339.
    pub code_expires_at: String,
    /// RFC 3339, once the code was verified.
    pub token_expires_at: Option<String>,
    /// Where the code was mailed.
    pub email: String,
}

/// Starts a registration (step 2 done), replacing any earlier one.
pub(crate) fn start(tx: &Transaction<'_>, request_id: &str, email: &str, code_expires_at: &str, now: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO registration (id, request_id, step, code_expires_at, token_expires_at, updated_at, email) VALUES (1, ?1, 'code', ?2, NULL, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET request_id = excluded.request_id, step = 'code', code_expires_at = excluded.code_expires_at,
             token_expires_at = NULL, updated_at = excluded.updated_at, email = excluded.email",
        params![request_id, code_expires_at, now, email],
    )?;
    Ok(())
}

/// Moves registration `request_id` on to `step` (with the token's expiry once known).
pub(crate) fn advance(tx: &Transaction<'_>, request_id: &str, step: Step, token_expires_at: Option<&str>, now: &str) -> Result<()> {
    tx.execute(
        "UPDATE registration SET step = ?2, token_expires_at = coalesce(?3, token_expires_at), updated_at = ?4 WHERE id = 1 AND request_id = ?1",
        params![request_id, step.as_str(), token_expires_at, now],
    )?;
    Ok(())
}

/// Forgets the registration (finished or abandoned).
pub(crate) fn clear(tx: &Transaction<'_>) -> Result<()> {
    tx.execute("DELETE FROM registration", [])?;
    Ok(())
}

/// The registration in progress, if any.
pub(crate) fn get(conn: &Connection) -> Result<Option<Progress>> {
    let row = conn
        .query_row("SELECT request_id, step, code_expires_at, token_expires_at, email FROM registration WHERE id = 1", [], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?, r.get::<_, String>(4)?))
        })
        .optional()?;
    Ok(row.and_then(|(request_id, step, code_expires_at, token_expires_at, email)| {
        Some(Progress { request_id, step: Step::parse(&step)?, code_expires_at, token_expires_at, email })
    }))
}
