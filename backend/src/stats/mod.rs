//! Statistics without personal identifiers: per day, new outbreak notifications and
//! the clinics' daily counts by age band, and people under observation, reported and
//! urgent by kind and age band, for a centre (its staff) or for the whole server (the
//! aggregate role of a prefecture or the ministry). Counts from 1 to 4 are shown as
//! "<5" and left out of every total. Pages with an SVG chart, CSV, and a JSON endpoint.
//!
//! | file | job |
//! |---|---|
//! | `suppress.rs` | the small-cell rule: `<5`, totals of what is shown |
//! | `store.rs` | computing and keeping each day's groups; reading notifications and daily counts |
//! | `figures.rs` | a range's raw figures and their published form |
//! | `api.rs` | `GET /api/v1/stats` for other systems |
//! | `pages.rs` | `/stats` (a centre), `/stats/all` (the whole server), CSV, the chart |

pub mod api;
pub mod figures;
pub mod pages;
pub mod store;
pub mod suppress;

use crate::state::AppState;
use axum::Router;

/// The JSON endpoint.
pub fn api_router() -> Router<AppState> {
    api::router()
}

/// The pages.
pub fn pages_router() -> Router<AppState> {
    pages::router()
}
