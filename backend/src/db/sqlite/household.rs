//! SQLite side of the household links (see [`crate::db::household`]).

use super::super::household::{LinkOutcome, MemberLink};
use super::super::sqlite_rows::ms;
use super::SqliteStore;
use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

impl SqliteStore {
    pub(in crate::db) async fn link_household(&self, patient_id: i64, case_id: i64, now: DateTime<Utc>) -> Result<LinkOutcome> {
        self.write(move |tx| {
            if tx.query_row("SELECT 1 FROM patients WHERE id = ?1 AND case_id = ?2", params![patient_id, case_id], |_| Ok(())).optional()?.is_some() {
                return Ok(LinkOutcome::OwnCase);
            }
            let existing: Option<(i64, bool)> = tx
                .query_row(
                    "SELECT id, unlinked_at IS NULL FROM household WHERE patient_id = ?1 AND case_id = ?2 ORDER BY unlinked_at IS NULL DESC, id DESC LIMIT 1",
                    params![patient_id, case_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            match existing {
                Some((id, true)) => return Ok(LinkOutcome::AlreadyLinked(id)),
                // Linked again: the same member id, so the phone's kept reports go out.
                Some((id, false)) => {
                    tx.execute("UPDATE household SET unlinked_at = NULL, linked_at = ?2 WHERE id = ?1", params![id, ms(now)])?;
                    return Ok(LinkOutcome::Linked(id));
                }
                None => {}
            }
            tx.execute("INSERT INTO household (patient_id, case_id, linked_at) VALUES (?1, ?2, ?3)", params![patient_id, case_id, ms(now)])?;
            Ok(LinkOutcome::Linked(tx.last_insert_rowid()))
        })
        .await
    }

    pub(in crate::db) async fn household(&self, patient_id: i64) -> Result<Vec<MemberLink>> {
        self.read(move |c| {
            Ok(c.prepare_cached("SELECT id, case_id FROM household WHERE patient_id = ?1 AND unlinked_at IS NULL ORDER BY id")?
                .query_map([patient_id], |r| Ok(MemberLink { member_id: r.get(0)?, case_id: r.get(1)? }))?
                .collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub(in crate::db) async fn unlink_household(&self, patient_id: i64, member_id: i64, now: DateTime<Utc>) -> Result<bool> {
        self.write(move |tx| {
            let n = tx.execute(
                "UPDATE household SET unlinked_at = ?3 WHERE id = ?1 AND patient_id = ?2 AND unlinked_at IS NULL",
                params![member_id, patient_id, ms(now)],
            )?;
            Ok(n == 1)
        })
        .await
    }
}
