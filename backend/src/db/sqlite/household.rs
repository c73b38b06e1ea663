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
            let existing = tx
                .query_row("SELECT id FROM household WHERE patient_id = ?1 AND case_id = ?2 AND unlinked_at IS NULL", params![patient_id, case_id], |r| r.get(0))
                .optional()?;
            if let Some(id) = existing {
                return Ok(LinkOutcome::AlreadyLinked(id));
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
