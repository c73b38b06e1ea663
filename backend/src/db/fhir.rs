//! Reads of the FHIR bulk export: a centre's cases page by page in id order, and the
//! reports of one page of cases, so an export of any size holds one page in memory.

use super::{CaseRecord, CentreScope, Db, StoredReport};
use crate::error::Result;

impl Db {
    /// Up to `limit` cases of the scope with an id above `after`, in id order.
    pub async fn fhir_cases_page(&self, scope: CentreScope, after: i64, limit: i64) -> Result<Vec<CaseRecord>> {
        dispatch!(self, s => s.fhir_cases_page(scope, after, limit).await)
    }

    /// The reports of the scope's cases with ids in `first..=last`, by case, then in the
    /// order received.
    pub async fn fhir_reports_of(&self, scope: CentreScope, first: i64, last: i64) -> Result<Vec<StoredReport>> {
        dispatch!(self, s => s.fhir_reports_of(scope, first, last).await)
    }
}

/// The cases of one page (`$1` centre, `$2` after, `$3` limit; `?n` on SQLite), with the
/// store's case columns.
pub(super) fn cases_page_sql(case_columns: &str, placeholders: [&str; 3]) -> String {
    let [centre, after, limit] = placeholders;
    format!("SELECT {case_columns} FROM cases c WHERE c.centre_id = {centre} AND c.id > {after} AND {} ORDER BY c.id LIMIT {limit}", super::rights::in_use!("c"))
}

/// The reports of a page of cases (`$1` centre, `$2` first id, `$3` last id).
pub(super) fn reports_of_sql(placeholders: [&str; 3]) -> String {
    let [centre, first, last] = placeholders;
    format!(
        "SELECT {} FROM reports r JOIN cases c ON c.id = r.case_id WHERE c.centre_id = {centre} AND r.case_id BETWEEN {first} AND {last} AND {} \
         ORDER BY r.case_id, r.received_at, r.local_date, r.recorded_at, r.id",
        super::report_columns_of("r"),
        super::rights::in_use!("c")
    )
}
