//! PostgreSQL side of the FHIR bulk export's reads (see [`crate::db::fhir`]).

use super::super::fhir::{cases_page_sql, reports_of_sql};
use super::super::{CaseRecord, CentreScope, StoredReport};
use super::{CASE_COLUMNS, PgStore, case_row, report_row};
use crate::error::Result;

const PLACEHOLDERS: [&str; 3] = ["$1", "$2", "$3"];

impl PgStore {
    pub(in crate::db) async fn fhir_cases_page(&self, scope: CentreScope, after: i64, limit: i64) -> Result<Vec<CaseRecord>> {
        self.all(&cases_page_sql(CASE_COLUMNS, PLACEHOLDERS), &[&scope.centre_id(), &after, &limit], case_row).await
    }

    pub(in crate::db) async fn fhir_reports_of(&self, scope: CentreScope, first: i64, last: i64) -> Result<Vec<StoredReport>> {
        self.all(&reports_of_sql(PLACEHOLDERS), &[&scope.centre_id(), &first, &last], report_row).await
    }
}
