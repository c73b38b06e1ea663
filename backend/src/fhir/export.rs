//! The bulk export of a centre: every case the centre may export, with its reports, as
//! NDJSON (`application/fhir+ndjson`, one resource per line), read from the database
//! one page of cases at a time and streamed as it is read, so memory stays flat
//! whatever the centre's size. A database failure midway ends the stream with an error
//! (the client sees an incomplete transfer, never a short file that looks whole).

use super::resources::case_resources;
use crate::db::{CentreScope, Db, StoredReport};
use axum::body::Bytes;
use futures_util::Stream;
use serde_json::Value;

/// Cases read per page.
pub const PAGE: i64 = 200;

/// The resources of one page of cases the centre may export (cases in id order, each
/// with its reports, temperatures as corrected), and the last case id read; `None`
/// after the last page. The stream below and the Bulk Data files both read this way.
pub async fn page_resources(db: &Db, scope: CentreScope, base: &str, after: i64) -> crate::error::Result<Option<(Vec<Value>, i64)>> {
    let cases = db.fhir_cases_page(scope, after, PAGE).await?;
    let (Some(first), Some(last)) = (cases.first().map(|c| c.id), cases.last().map(|c| c.id)) else { return Ok(None) };
    let reports = db.fhir_reports_of(scope, first, last).await?;
    let corrected = crate::rights::corrected::Corrected::of(db, scope, cases.iter().map(|c| c.id).collect()).await?;
    let mut out = Vec::with_capacity(cases.len() + 2 * reports.len());
    let mut rest: &[StoredReport] = &reports;
    for c in &cases {
        let n = rest.iter().take_while(|r| r.case_id == c.id).count();
        let (own, later) = rest.split_at(n);
        rest = later;
        out.extend(case_resources(base, c, own, &corrected));
    }
    Ok(Some((out, last)))
}

/// The NDJSON lines of one page of cases, and the last case id read.
pub async fn page(db: &Db, scope: CentreScope, base: &str, after: i64) -> crate::error::Result<Option<(Bytes, i64)>> {
    let Some((resources, last)) = page_resources(db, scope, base, after).await? else { return Ok(None) };
    let mut out = Vec::with_capacity(resources.len() * 1200);
    for resource in &resources {
        serde_json::to_writer(&mut out, resource).map_err(|_| crate::error::Error::Internal("resource did not serialise".into()))?;
        out.push(b'\n');
    }
    Ok(Some((Bytes::from(out), last)))
}

/// The stream of a centre's export, page after page.
pub fn stream(db: Db, scope: CentreScope, base: String) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send {
    futures_util::stream::try_unfold(Some(0_i64), move |after| {
        let (db, base) = (db.clone(), base.clone());
        async move {
            let Some(after) = after else { return Ok(None) };
            match page(&db, scope, &base, after).await {
                Ok(Some((chunk, last))) => Ok(Some((chunk, Some(last)))),
                Ok(None) => Ok(None),
                Err(e) => {
                    tracing::error!(error = %e, "bulk FHIR export stopped");
                    Err(std::io::Error::other("bulk export stopped"))
                }
            }
        }
    })
}
