//! The automated morning call (自動架電) for people observed by phone: enrolment (the
//! number to call, the language), the 9:00 round and the 10:00 retry of each centre,
//! the call itself as the `protocol` call script driven by a provider's webhooks
//! (Twilio, Vonage, or the simulated provider that is the default), the report a
//! completed call makes (through the same report writer as the app), and the
//! centre's call-back list.
//!
//! | file | job |
//! |---|---|
//! | `rules.rs` | rounds, attempt statuses, a centre's settings, which rounds are due |
//! | `machine.rs` | one attempt's call: the script's state between webhooks, the report it makes |
//! | `flow.rs` | the webhooks' common steps: answer, keys, status events, exactly once |
//! | `twilio.rs`, `vonage.rs` | the providers' formats: TwiML / NCCO, signatures, status names, the request that starts a call |
//! | `provider.rs` | placing a call: Twilio's and Vonage's REST requests, or the simulated provider |
//! | `sim.rs` | the simulated provider: fake calls whose keys come from a script, through the same webhooks |
//! | `scheduler.rs` | planning rounds, claiming attempts with a lease, the shared pace |
//! | `store/` | the call's tables on SQLite and PostgreSQL |
//! | `api.rs` | the staff API: enrolment, settings, the call-back list, a case's calls, starting a round |
//! | `pages.rs` | the board's call-back section, the person page's call log and enrolment form, the settings page |

pub mod api;
pub mod config;
pub mod flow;
pub mod machine;
pub mod pages;
pub mod provider;
pub mod rules;
pub mod scheduler;
pub mod sim;
pub mod store;
pub mod twilio;
pub mod vonage;

pub use config::{CallConfig, ProviderConfig};
pub use rules::{CentreSettings, Round, Status};

use crate::state::AppState;
use axum::Router;

/// Demo data for the `demo` command: a third demo centre whose ten people are observed
/// by phone (the simulated provider's demo script gives them every outcome), kept apart
/// so the other demo centres' boards stay as they are; its rounds are started by hand.
/// Returns printable lines.
pub async fn demo_centre(db: &crate::db::Db, cost: crate::password::HashCost) -> crate::error::Result<Vec<String>> {
    use crate::db::{NewCentre, NewStaff, Observation, Role};
    let password = "Mimamori-Demo-2026";
    let password_hash = crate::password::hash_async(password.to_owned(), cost).await?;
    let run = &uuid::Uuid::new_v4().simple().to_string()[..6];
    let start = crate::web::today(chrono::Utc::now()) - chrono::Duration::days(4);
    let email = format!("admin-call-{run}@demo.mimamori.invalid");
    let (centre, _) = db
        .create_centre_with_admin(
            NewCentre { name: "ひまわり保健所".into(), emergency_number: "03-0000-0003".into(), jurisdiction_code: format!("DEMO-{run}-call") },
            NewStaff { email: email.clone(), name: "管理者（自動架電）".into(), role: Role::Admin, password_hash },
            chrono::Utc::now(),
        )
        .await?;
    let mut out = vec![format!("automated-call demo centre {} (id {}): admin {email} / {password}", centre.name, centre.id)];
    let scope = crate::db::CentreScope::new(centre.id);
    // Its rounds start from the board's button or `call-round` only (no 9:00 and 10:00
    // rounds by the clock), so the demo goes the same way at any hour.
    let manual = CentreSettings { enabled: false, ..CentreSettings::default() };
    store::put_settings(db, scope, None, manual, chrono::Utc::now()).await?;
    for i in 0..10 {
        let case = crate::db::NewCase { observation: Observation::Phone, ..crate::cli::sample_case(200 + i, start) };
        let case = crate::cli::insert_case(db, scope, case).await?;
        out.push(format!("  person {} observed by automated call", case.id));
    }
    out.push("  sign in with this admin and press the start button under the board, or run `mimamori-backend call-round` (then `call-round --retry`)".into());
    Ok(out)
}

/// Plans `round` of today now at every centre (the `call-round` command: a running
/// server's scheduler then calls at each centre's pace). Returns each centre's number
/// of people to call, or `None` when that round had started already.
pub async fn plan_now(db: &crate::db::Db, round: Round, now: chrono::DateTime<chrono::Utc>) -> crate::error::Result<Vec<(i64, Option<i64>)>> {
    let day = crate::web::today(now);
    let mut out = Vec::new();
    for (centre_id, _) in store::all_settings(db).await? {
        out.push((centre_id, store::plan_round(db, centre_id, day, round, now, None).await?));
    }
    Ok(out)
}

/// The call's routes: provider webhooks, the staff API and the pages.
pub fn router() -> Router<AppState> {
    Router::new().merge(twilio::router()).merge(vonage::router()).merge(api::router()).merge(pages::router())
}
