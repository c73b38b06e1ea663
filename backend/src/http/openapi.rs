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
    components(schemas(crate::db::Observation, crate::db::Role, ErrorBody)),
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

/// Every error answer of the API: `{ "error": code, "message": text }`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct ErrorBody {
    /// A stable code, e.g. `not_found`, `invalid_body`.
    error: String,
    /// A sentence for people, in the request's language.
    message: String,
}

/// The document with the operations of the capabilities kept in their own modules,
/// and the answers every operation can give whatever its handler says (see
/// [`standard_errors`]).
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::clinic::api::ClinicApi::openapi());
    doc.merge(crate::stats::api::StatsApi::openapi());
    doc.merge(crate::call::api::CallApi::openapi());
    doc.merge(crate::fhir::api::FhirApi::openapi());
    doc.merge(crate::rights::api::RightsApi::openapi());
    standard_errors(&mut doc);
    doc
}

/// The answers the API's layers give before or beside a handler, added to each
/// operation that can get them (an operation's own wording is kept): 400 (a path or
/// query value of the wrong type, malformed JSON), 401 (an operation with a security
/// requirement, without a valid token), 404 (a path with parameters: nothing of that id
/// here), 413/415/422 (an operation with a body: too large, not JSON, wrong fields);
/// every error answer
/// carries the [`ErrorBody`].
pub fn standard_errors(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = || ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build();
    for (path, item) in doc.paths.paths.iter_mut() {
        let has_params = path.contains('{');
        for op in [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten() {
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let body = op.request_body.is_some();
            let mut add = vec![("400", "A path or query value, or the JSON, is malformed")];
            if secured {
                add.push(("401", "No valid token for this operation"));
            }
            if has_params {
                add.push(("404", "Nothing with this id for this caller"));
            }
            if body {
                add.extend([("413", "The body is too large"), ("415", "The body is not JSON"), ("422", "Missing, unknown or wrongly typed fields")]);
            }
            let responses = &mut op.responses.responses;
            for (status, description) in add {
                responses.entry(status.to_owned()).or_insert_with(|| RefOr::T(ResponseBuilder::new().description(description).build()));
            }
            for (status, response) in responses.iter_mut() {
                if let (true, RefOr::T(r)) = (status.starts_with('4') || status.starts_with('5'), response)
                    && r.content.is_empty()
                {
                    r.content.insert("application/json".to_owned(), error());
                }
            }
        }
    }
}

/// Routes of this resource.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/openapi.json", get(|| async { Json(document()) }))
}
