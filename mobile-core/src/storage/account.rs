//! What the phone keeps about its account besides the token (which lives in the
//! platform keystore, never here): the case's profile for offline warnings, this
//! installation's random id, and the outcome of the last sync.

use crate::error::Result;
use protocol::Kind;
use protocol::wire::{Observation, Profile};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// The last sync outcome.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct SyncMeta {
    pub last_success_at: Option<String>,
    pub last_error: Option<String>,
}

/// Replaces the stored profile.
pub(crate) fn set_profile(tx: &Transaction<'_>, p: &Profile, now: &str) -> Result<()> {
    let observation = match p.observation {
        Observation::App => "app",
        Observation::Phone => "phone",
    };
    tx.execute(
        "INSERT INTO profile (id, kind, observation, period_start, period_end, centre_name, emergency_number, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, observation = excluded.observation,
             period_start = excluded.period_start, period_end = excluded.period_end,
             centre_name = excluded.centre_name, emergency_number = excluded.emergency_number,
             updated_at = excluded.updated_at",
        params![p.kind.as_str(), observation, p.period_start, p.period_end, p.centre_name, p.emergency_number, now],
    )?;
    Ok(())
}

/// The stored profile, if the phone has logged in once.
pub(crate) fn profile(conn: &Connection) -> Result<Option<Profile>> {
    let row = conn
        .query_row(
            "SELECT kind, observation, period_start, period_end, centre_name, emergency_number FROM profile WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .optional()?;
    Ok(row.and_then(|(kind, observation, period_start, period_end, centre_name, emergency_number)| {
        let observation = match observation.as_str() {
            "phone" => Observation::Phone,
            _ => Observation::App,
        };
        Some(Profile { kind: Kind::parse(&kind)?, observation, period_start, period_end, centre_name, emergency_number })
    }))
}

/// This installation's random id; it names the keystore entry of the session token,
/// so a reinstalled app (a new database) never picks up an old token.
pub(crate) fn install_id(conn: &Connection) -> Result<String> {
    Ok(conn.query_row("SELECT install_id FROM sync_meta WHERE id = 1", [], |r| r.get(0))?)
}

/// Records a sync that reached the server and applied its answer.
pub(crate) fn record_success(tx: &Transaction<'_>, now: &str) -> Result<()> {
    tx.execute("UPDATE sync_meta SET last_success_at = ?1, last_error = NULL, last_error_at = NULL WHERE id = 1", params![now])?;
    Ok(())
}

/// Records the class of the last sync failure (`network`, `server`, …).
pub(crate) fn record_error(tx: &Transaction<'_>, class: &str, now: &str) -> Result<()> {
    tx.execute("UPDATE sync_meta SET last_error = ?1, last_error_at = ?2 WHERE id = 1", params![class, now])?;
    Ok(())
}

/// Forgets the last error (after a login, or a sync that found nothing to send).
pub(crate) fn clear_error(tx: &Transaction<'_>) -> Result<()> {
    tx.execute("UPDATE sync_meta SET last_error = NULL, last_error_at = NULL WHERE id = 1", [])?;
    Ok(())
}

/// The last sync outcome.
pub(crate) fn sync_meta(conn: &Connection) -> Result<SyncMeta> {
    Ok(conn
        .query_row("SELECT last_success_at, last_error FROM sync_meta WHERE id = 1", [], |r| {
            Ok(SyncMeta { last_success_at: r.get(0)?, last_error: r.get(1)? })
        })
        .optional()?
        .unwrap_or_default())
}
