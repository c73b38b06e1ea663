//! The OpenAPI 3.1 document of the JSON API, served at `/api/openapi.json`.

use super::{cases, health, household, patient, registration, reports, staff};
use crate::state::AppState;
use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(title = "Mimamori API", description = "Health centres register cases; patients register and sync daily health reports. \
        Errors are `{ \"error\": code, \"message\": text }`, the text in the Accept-Language (Japanese by default, English)."),
    paths(
        health::healthz, health::readyz,
        staff::login, staff::logout, staff::me, staff::create_account,
        cases::create, cases::list, cases::read, cases::close, cases::reports, cases::handled,
        registration::request_code, registration::verify, registration::set_password, registration::attributes,
        patient::login, patient::profile, patient::own_reports, household::link, household::list, household::unlink,
        reports::batch,
    ),
    components(schemas(crate::db::Observation, crate::db::Role)),
    modifiers(&Security),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "staff", description = "Health-centre staff sessions and accounts"),
        (name = "cases", description = "Cases of the staff member's own centre"),
        (name = "registration", description = "A patient's first registration"),
        (name = "patient", description = "A registered patient's profile and report sync"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        let bearer = || SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build());
        components.add_security_scheme("bearer", bearer());
        components.add_security_scheme("registration", bearer());
    }
}

/// The document with the operations of the capabilities kept in their own modules.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::clinic::api::ClinicApi::openapi());
    doc.merge(crate::stats::api::StatsApi::openapi());
    doc.merge(crate::rights::api::RightsApi::openapi());
    doc
}

/// Routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(|| async { Json(document()) }))
}
