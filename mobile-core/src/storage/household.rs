//! Household members linked to the account: each has a local person id (what its
//! reports carry, `m<member id>`), the server's member id (what the upload names) and
//! its case's profile. Unlinking keeps the member and its reports.

use crate::error::Result;
use protocol::Kind;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// A linked (or formerly linked) household member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member {
    pub person_id: String,
    pub member_id: String,
    pub name: String,
    pub kind: Kind,
    pub period_start: String,
    pub period_end: String,
    pub centre_name: String,
    pub emergency_number: String,
    pub linked: bool,
}

/// The local person id of the server's member `member_id`.
pub(crate) fn person_id_of(member_id: &str) -> String {
    format!("m{member_id}")
}

/// Stores a member linked on the server (linking it again refreshes its profile).
pub(crate) fn link(tx: &Transaction<'_>, m: &Member, now: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO household (person_id, member_id, name, kind, period_start, period_end, centre_name, emergency_number, linked_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (person_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, period_start = excluded.period_start,
             period_end = excluded.period_end, centre_name = excluded.centre_name, emergency_number = excluded.emergency_number,
             linked_at = excluded.linked_at, unlinked_at = NULL",
        params![m.person_id, m.member_id, m.name, m.kind.as_str(), m.period_start, m.period_end, m.centre_name, m.emergency_number, now],
    )?;
    Ok(())
}

/// Marks every member unlinked here (the account logged out: another account may sign
/// in on this phone). Adding a member again links them again.
pub(crate) fn unlink_all(tx: &Transaction<'_>, now: &str) -> Result<usize> {
    Ok(tx.execute("UPDATE household SET unlinked_at = ?1 WHERE unlinked_at IS NULL", params![now])?)
}

/// Marks a member unlinked; false if there is no linked member `person_id`.
pub(crate) fn unlink(tx: &Transaction<'_>, person_id: &str, now: &str) -> Result<bool> {
    Ok(tx.execute("UPDATE household SET unlinked_at = ?2 WHERE person_id = ?1 AND unlinked_at IS NULL", params![person_id, now])? == 1)
}

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Member>> {
    let kind: String = r.get(3)?;
    let Some(kind) = Kind::parse(&kind) else { return Ok(None) };
    Ok(Some(Member {
        person_id: r.get(0)?,
        member_id: r.get(1)?,
        name: r.get(2)?,
        kind,
        period_start: r.get(4)?,
        period_end: r.get(5)?,
        centre_name: r.get(6)?,
        emergency_number: r.get(7)?,
        linked: r.get::<_, Option<String>>(8)?.is_none(),
    }))
}

const COLUMNS: &str = "person_id, member_id, name, kind, period_start, period_end, centre_name, emergency_number, unlinked_at";

/// Every member ever linked, linked ones first, each group in the order linked.
pub(crate) fn all(conn: &Connection) -> Result<Vec<Member>> {
    let mut st = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM household ORDER BY unlinked_at IS NOT NULL, linked_at, person_id"))?;
    let rows = st.query_map([], read)?;
    let mut out = Vec::new();
    for row in rows {
        out.extend(row?);
    }
    Ok(out)
}

/// Member `person_id`, linked or not.
pub(crate) fn get(conn: &Connection, person_id: &str) -> Result<Option<Member>> {
    let sql = format!("SELECT {COLUMNS} FROM household WHERE person_id = ?1");
    Ok(conn.query_row(&sql, [person_id], read).optional()?.flatten())
}
