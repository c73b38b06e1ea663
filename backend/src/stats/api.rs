//! `GET /api/v1/stats?from=&to=`: the published figures as JSON, for other systems.
//! A centre's staff token reads its centre; an aggregate (prefecture, ministry) token
//! reads the whole server; a clinic's token is refused.

use super::figures::{Published, publish, raw};
use crate::clinic::store::{self as org, OrgAction, OrgRole};
use crate::db::{AuditAction, Principal};
use crate::error::ApiError;
use crate::http::ApiJson;
use crate::secret::token_hash;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use serde::Deserialize;
use utoipa::OpenApi;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/stats", get(stats))
}

/// The OpenAPI operations of this module.
#[derive(OpenApi)]
#[openapi(paths(stats), tags((name = "stats", description = "Statistics without personal identifiers")))]
pub struct StatsApi;

/// `?from=&to=`.
#[derive(Debug, Deserialize)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
}

/// The figures of a range (at most 92 days; the last 14 by default). Cells are numbers
/// or `"<5"`; each total is `{value, partial}` (partial: a hidden cell is left out).
#[utoipa::path(get, path = "/api/v1/stats", tag = "stats",
    params(("from" = Option<String>, Query, description = "First day, YYYY-MM-DD"), ("to" = Option<String>, Query, description = "Last day, YYYY-MM-DD")),
    responses((status = 200, description = "The published figures"), (status = 400, description = "invalid_range"), (status = 403, description = "A clinic's token")),
    security(("bearer" = [])))]
pub async fn stats(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<Range>) -> Result<ApiJson<Published>, ApiError> {
    let token = crate::auth::bearer(&headers).ok_or_else(ApiError::unauthorized)?;
    let hash = token_hash(token);
    let now = state.clock.now();
    let (from, to) = crate::clinic::api::range(q.from.as_deref(), q.to.as_deref(), crate::web::today(now), 14)?;
    let centre = match state.db.session(&hash, now).await? {
        Some(Principal::Staff { staff_id, scope, .. }) => {
            state.db.audit(scope, staff_id, AuditAction::ViewStats, None, now).await?;
            Some(scope.centre_id())
        }
        Some(Principal::Patient { .. }) => return Err(ApiError::forbidden()),
        None => match org::session(&state.db, &hash, now).await? {
            Some(p) if p.role == OrgRole::Aggregate => {
                org::audit(&state.db, &p, OrgAction::ViewStats, None, now).await?;
                None
            }
            Some(_) => return Err(ApiError::forbidden()),
            None => return Err(ApiError::unauthorized()),
        },
    };
    let r = raw(&state, from, to, centre).await?;
    Ok(ApiJson(publish(&r, &state.config.clinic.age_bands, from, to)))
}
