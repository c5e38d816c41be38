//! Structured logs through `tracing`; every request gets a span with its request id
//! (tracing-actix-web), so a 500's log line can be found from the id in its response header.

use tracing_subscriber::{EnvFilter, fmt};

/// Installs the global subscriber. `filter` is a tracing directive (`TEAHOUSE_LOG`).
pub fn init(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    // A second init (tests start many apps in one process) is harmless: keep the first.
    let _ = fmt()
        .with_env_filter(filter)
        .with_target(true)
        .with_writer(std::io::stderr)
        .try_init();
}
