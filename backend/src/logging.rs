//! Log set-up. Logs say what happened to which row id, never whose data it was: no
//! names, phone numbers, e-mail addresses, codes, passwords, tokens or health answers
//! are ever passed to a tracing macro (a test captures the output at `trace` to check).
//!
//! Libraries that would print statement parameters or request bodies at their debug
//! levels are capped whatever `RUST_LOG` says.

use tracing_subscriber::EnvFilter;

/// Targets capped because their verbose levels can carry values: PostgreSQL statement
/// parameters, axum's rejection texts (serde messages quote the input), raw HTTP.
const CAPS: &[&str] = &[
    "tokio_postgres=warn",
    "postgres_protocol=warn",
    "deadpool_postgres=info",
    "axum::rejection=off",
    "hyper=info",
    "hyper_util=info",
    "h2=info",
    "rustls=info",
];

/// A filter from a `RUST_LOG`-style spec with the caps applied.
pub fn filter(spec: &str) -> EnvFilter {
    CAPS.iter().filter_map(|d| d.parse().ok()).fold(EnvFilter::new(spec), EnvFilter::add_directive)
}

/// Installs the global subscriber: `RUST_LOG` or `info`, compact lines on stderr.
pub fn init() {
    let spec = std::env::var("RUST_LOG").unwrap_or_else(|_| "info".to_owned());
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt().with_env_filter(filter(&spec)).with_writer(std::io::stderr).with_ansi(ansi).compact().try_init();
}
