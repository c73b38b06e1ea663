//! Medical institutions (医療機関): their logins, the outbreak notification (発生届) they
//! file directly instead of by FAX under the rule in force since 2022-09-26, its
//! routing to the health centre whose jurisdiction covers the patient's municipality,
//! the centre's intake (accept as a case with its input ID and leaflet, or mark a
//! duplicate), and each clinic's daily count of patients by age band.
//!
//! | file | job |
//! |---|---|
//! | `rules.rs` | who is notified, the form's fields and checks, municipality and institution codes, age bands |
//! | `sql.rs` | one SQL text for both databases (parameters, rows, placeholders) |
//! | `store/` | jurisdictions, institutions, logins, sessions, notifications, daily counts, the clinics' audit log |
//! | `auth.rs` | clinic and aggregate sessions (own table and cookie), login, the page and API extractors |
//! | `api.rs` | the JSON API of clinics and of the centres' intake |
//! | `pages.rs` | the clinic's pages: home, notification form, its notifications, daily counts, logins |
//! | `intake.rs` | the centre's pages: the queue, a notification with its possible duplicates, accept or duplicate |
//! | `admin.rs` | the centre admin's page: institutions and the municipalities of the jurisdiction; the commands |

pub mod admin;
pub mod api;
pub mod auth;
pub mod intake;
pub mod pages;
pub mod rules;
pub mod sql;
pub mod store;

pub use rules::AgeBands;

use crate::state::AppState;
use crate::web::PageError;
use askama::Template;
use axum::Router;
use axum::response::Html;
use protocol::Lang;

/// Settings of clinics and statistics.
#[derive(Debug, Clone)]
pub struct ClinicConfig {
    /// Age bands of the daily counts and statistics.
    pub age_bands: AgeBands,
    /// How old today's statistics may be before they are computed again.
    pub stats_max_age: std::time::Duration,
}

impl Default for ClinicConfig {
    fn default() -> ClinicConfig {
        ClinicConfig { age_bands: AgeBands::default(), stats_max_age: std::time::Duration::from_secs(60) }
    }
}

/// `ja` or `en` by the page language.
pub fn tr(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::En { en } else { ja }
}

/// Renders a page.
pub fn page(t: &impl Template) -> Result<Html<String>, PageError> {
    crate::web::render(t)
}

/// The routes: the clinics' API and pages, the centres' intake and admin pages.
pub fn api_router() -> Router<AppState> {
    api::router()
}

/// The pages (with the pages' error page).
pub fn pages_router() -> Router<AppState> {
    pages::router().merge(intake::router()).merge(admin::router())
}

/// Demo data for the `demo` command: the municipalities of the two demo centres
/// (港区 and 千代田区 to the first, 新宿区 to the second, taken from earlier demo
/// runs), a clinic in 港区 with an admin login, another clinic, an aggregate login, two
/// notifications waiting at the first centre and a week of daily counts with one
/// missing day. Returns printable lines.
pub async fn demo(db: &crate::db::Db, cost: crate::password::HashCost) -> crate::error::Result<Vec<String>> {
    admin::demo(db, cost).await
}
