//! A temperature corrected at the person's request is the value wherever a report's
//! temperature is shown or sent: the JSON APIs (staff and the person's own), the FHIR
//! exports (the observation `amended`, the value as sent in its note), the reports CSV
//! (the value as sent in a column of its own), the person page's chart and timeline.
//! The report row keeps what the phone sent and the `corrections` table the original;
//! the latest correction of a report counts.

use crate::db::rights::Correction;
use crate::db::{CentreScope, Db, StoredReport};
use crate::error::Result;
use protocol::Temperature;
use protocol::rights::CorrectionItem;
use std::collections::HashMap;
use uuid::Uuid;

/// The corrected temperatures of some cases' reports, by report id.
#[derive(Debug, Default, Clone)]
pub struct Corrected(HashMap<Uuid, Temperature>);

impl Corrected {
    /// The corrections of `case_ids` (of the centre of `scope`).
    pub async fn of(db: &Db, scope: CentreScope, case_ids: Vec<i64>) -> Result<Corrected> {
        let rows = db.report_corrections(scope, case_ids).await?;
        Ok(Corrected(rows.into_iter().filter_map(|(id, value)| Temperature::parse_decimal(&value).ok().map(|t| (id, t))).collect()))
    }

    /// The corrections of the person's own case.
    pub async fn of_case(db: &Db, case_id: i64) -> Result<Corrected> {
        Ok(Corrected::from_rows(&db.corrections(case_id).await?))
    }

    /// The temperatures among a case's corrections (oldest first, so the latest counts).
    pub fn from_rows(rows: &[Correction]) -> Corrected {
        Corrected(
            rows.iter()
                .filter(|c| c.item == CorrectionItem::Temperature)
                .filter_map(|c| Some((c.report_id?, Temperature::parse_decimal(&c.corrected).ok()?)))
                .collect(),
        )
    }

    /// The corrected temperature of report `id`, if it was corrected.
    pub fn get(&self, id: &Uuid) -> Option<Temperature> {
        self.0.get(id).copied()
    }

    /// Gives `r` its corrected temperature; returns the temperature as sent when it was
    /// corrected.
    pub fn apply(&self, r: &mut StoredReport) -> Option<Temperature> {
        let corrected = self.get(&r.id)?;
        Some(std::mem::replace(&mut r.temperature, corrected))
    }
}
