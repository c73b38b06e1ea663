//! FHIR R4 export and import, so other systems (prefectures' tools, hospitals) take the
//! data without retyping it.
//!
//! | file | job |
//! |---|---|
//! | `definitions.rs` | the published `Questionnaire`s (daily report, outbreak notification) and `CodeSystem`s (answer codes 1/2/9, kinds, notification codes), from `protocol` and the clinic rules |
//! | `resources.rs` | a case as `Patient`, each report as a body-temperature `Observation` and a `QuestionnaireResponse`, the case `Bundle` |
//! | `notification.rs` | an outbreak notification as a `QuestionnaireResponse` shaped after eInfectionReport, and its import with errors naming the item |
//! | `export.rs` | the centre's bulk export as streamed NDJSON, page by page |
//! | `api.rs` | the routes: published definitions, the staff downloads, the clinics' import |
//!
//! Canonical URLs live under this server's own address (`--app-url` without `/app`,
//! then `/fhir`), where the definitions are served.

pub mod api;
pub mod bulk;
pub mod definitions;
pub mod export;
pub mod notification;
pub mod resources;

use crate::db::CaseRecord;
use crate::state::AppState;
use axum::Router;

/// Media type of one FHIR JSON resource.
pub const FHIR_JSON: &str = "application/fhir+json";
/// Media type of the bulk export.
pub const FHIR_NDJSON: &str = "application/fhir+ndjson";

/// The canonical base every deployment shares unless configured otherwise
/// (`--fhir-canonical`): the definitions' URLs and code and identifier systems are the
/// same on every server, so two deployments' codes match.
pub const DEFAULT_CANONICAL: &str = "https://mimamori.jp/fhir";

/// The canonical base of the running server's definitions and systems.
pub fn base(state: &AppState) -> String {
    state.config.fhir_canonical.clone()
}

/// Whether a case may leave the server as FHIR: not while its use is suspended at the
/// person's request (the bulk export leaves such cases out by the same condition,
/// [`crate::db::rights::in_use!`], in its query).
pub async fn may_export(db: &crate::db::Db, case: &CaseRecord) -> crate::error::Result<bool> {
    Ok(db.held_case(case.id).await?.is_some_and(|h| h.suspended_at.is_none()))
}

/// The routes.
pub fn router() -> Router<AppState> {
    api::router()
}
