//! Mimamori server: health centres register cases and issue smartphone input IDs;
//! patients register (e-mail code, password, attributes), then sync daily reports that
//! the server triages with the shared `protocol` rules and applies exactly once.
//!
//! [`app`] builds the axum router on an [`AppState`]; `main.rs` only parses the command
//! line and serves it. Data lives in SQLite by default or PostgreSQL ([`db::Db`]).

pub mod auth;
pub mod backup;
pub mod call;
pub mod cli;
pub mod clinic;
pub mod config;
pub mod db;
pub mod error;
pub mod fhir;
pub mod http;
pub mod ingest;
pub mod logging;
pub mod mail;
pub mod metrics;
pub mod normalize;
pub mod password;
pub mod patient_pages;
pub mod rights;
pub mod secret;
pub mod settings;
pub mod sigbus;
pub mod startup;
pub mod state;
pub mod stats;
pub mod throttle;
pub mod tls;
pub mod upkeep;
pub mod web;

/// mimalloc for every program that links the server (the server itself, its tests and
/// benchmarks): glibc's allocator spent about an eighth of the ingest path's time on
/// buffers made on one thread and freed on another.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub use config::{Config, DatabaseUrl};
pub use state::{AppState, Clock};

/// The application: every route, with body limit, tracing and localised errors.
pub fn app(state: AppState) -> axum::Router {
    http::router(state)
}
