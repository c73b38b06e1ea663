//! Mimamori's phone core, shared by the iOS and Android apps through UniFFI.
//!
//! It keeps daily reports in a local SQLite file (offline first: "saved" means on
//! disk, with the report queued for upload in the same transaction), words the
//! question set and the urgent-symptom checklist in Japanese or English, and turns a
//! report or a family's checklist into advice with the health centre's emergency
//! number. The rules come from the shared `protocol` crate.
//!
//! Opened with a server, it also drives first registration and login, keeps the
//! session token in the platform keystore, and uploads the outbox to the server,
//! which applies each report exactly once by its phone-made id. HTTP goes through the
//! phone's own stack, passed in as an [`HttpTransport`]; the `rust-http` feature adds
//! a reqwest transport for tests and desktop tools ([`RustHttpTransport`]).

mod api;
mod api_app;
mod api_household;
mod api_rights;
mod api_sync;
mod api_sync_stop;
mod error;
mod model;
mod reminder;
mod secrets;
mod storage;
mod sync;
mod transport;
mod types;
mod types_app;
mod types_rights;
mod views;

pub use api::MimamoriCore;
pub use api_sync_stop::SyncCancel;
pub use error::CoreError;
#[cfg(feature = "rust-http")]
pub use transport::RustHttpTransport;
pub use transport::{HttpHeader, HttpMethod, HttpRequest, HttpResponse, HttpTransport, TransportError};
pub use types::*;
pub use types_app::*;
pub use types_rights::*;

uniffi::setup_scaffolding!();
