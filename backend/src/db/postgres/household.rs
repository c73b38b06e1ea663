//! PostgreSQL side of the household links (see [`crate::db::household`]).

use super::super::household::{LinkOutcome, MemberLink};
use super::PgStore;
use crate::error::Result;
use chrono::{DateTime, Utc};

impl PgStore {
    pub(in crate::db) async fn link_household(&self, patient_id: i64, case_id: i64, now: DateTime<Utc>) -> Result<LinkOutcome> {
        let mut client = self.pool.get().await?;
        let tx = client.transaction().await?;
        // One link operation per account at a time: the account row is the lock.
        tx.execute("SELECT 1 FROM patients WHERE id = $1 FOR UPDATE", &[&patient_id]).await?;
        if tx.query_opt("SELECT 1 FROM patients WHERE id = $1 AND case_id = $2", &[&patient_id, &case_id]).await?.is_some() {
            return Ok(LinkOutcome::OwnCase);
        }
        let existing = tx
            .query_opt(
                "SELECT id, unlinked_at IS NULL FROM household WHERE patient_id = $1 AND case_id = $2 ORDER BY unlinked_at IS NULL DESC, id DESC LIMIT 1",
                &[&patient_id, &case_id],
            )
            .await?;
        if let Some(row) = existing {
            let id: i64 = row.try_get(0)?;
            if row.try_get::<_, bool>(1)? {
                return Ok(LinkOutcome::AlreadyLinked(id));
            }
            // Linked again: the same member id, so the phone's kept reports go out.
            tx.execute("UPDATE household SET unlinked_at = NULL, linked_at = $2 WHERE id = $1", &[&id, &now]).await?;
            tx.commit().await?;
            return Ok(LinkOutcome::Linked(id));
        }
        let id: i64 = tx
            .query_one("INSERT INTO household (patient_id, case_id, linked_at) VALUES ($1, $2, $3) RETURNING id", &[&patient_id, &case_id, &now])
            .await?
            .try_get(0)?;
        tx.commit().await?;
        Ok(LinkOutcome::Linked(id))
    }

    pub(in crate::db) async fn household(&self, patient_id: i64) -> Result<Vec<MemberLink>> {
        self.all("SELECT id, case_id FROM household WHERE patient_id = $1 AND unlinked_at IS NULL ORDER BY id", &[&patient_id], |r| {
            Ok(MemberLink { member_id: r.try_get(0)?, case_id: r.try_get(1)? })
        })
        .await
    }

    pub(in crate::db) async fn unlink_household(&self, patient_id: i64, member_id: i64, now: DateTime<Utc>) -> Result<bool> {
        let n = self
            .exec("UPDATE household SET unlinked_at = $3 WHERE id = $1 AND patient_id = $2 AND unlinked_at IS NULL", &[&member_id, &patient_id, &now])
            .await?;
        Ok(n == 1)
    }
}
