//! The health centre's emergency contact kept on the phone (one row).

use crate::error::Result;
use crate::types::EmergencyContact as Contact;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// Replaces the stored contact.
pub(crate) fn set(tx: &Transaction<'_>, c: &Contact, updated_at: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO emergency_contact (id, centre_name, phone_number, updated_at) VALUES (1, ?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET centre_name = excluded.centre_name,
             phone_number = excluded.phone_number, updated_at = excluded.updated_at",
        params![c.centre_name, c.phone_number, updated_at],
    )?;
    Ok(())
}

/// The stored contact, if one was set.
pub(crate) fn get(conn: &Connection) -> Result<Option<Contact>> {
    Ok(conn
        .query_row("SELECT centre_name, phone_number FROM emergency_contact WHERE id = 1", [], |r| {
            Ok(Contact { centre_name: r.get(0)?, phone_number: r.get(1)? })
        })
        .optional()?)
}
