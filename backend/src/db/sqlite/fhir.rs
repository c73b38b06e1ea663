//! SQLite side of the FHIR bulk export's reads (see [`crate::db::fhir`]).

use super::super::fhir::{cases_page_sql, reports_of_sql};
use super::super::sqlite_rows::{CASE_COLUMNS, case_row, report_row};
use super::super::{CaseRecord, CentreScope, StoredReport};
use super::SqliteStore;
use crate::error::Result;
use rusqlite::params;

const PLACEHOLDERS: [&str; 3] = ["?1", "?2", "?3"];

impl SqliteStore {
    pub(in crate::db) async fn fhir_cases_page(&self, scope: CentreScope, after: i64, limit: i64) -> Result<Vec<CaseRecord>> {
        self.read(move |c| {
            Ok(c.prepare_cached(&cases_page_sql(CASE_COLUMNS, PLACEHOLDERS))?
                .query_map(params![scope.centre_id(), after, limit], case_row)?
                .collect::<rusqlite::Result<_>>()?)
        })
        .await
    }

    pub(in crate::db) async fn fhir_reports_of(&self, scope: CentreScope, first: i64, last: i64) -> Result<Vec<StoredReport>> {
        self.read(move |c| {
            Ok(c.prepare_cached(&reports_of_sql(PLACEHOLDERS))?
                .query_map(params![scope.centre_id(), first, last], report_row)?
                .collect::<rusqlite::Result<_>>()?)
        })
        .await
    }
}
