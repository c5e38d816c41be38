//! What an operator watches, per instance, at `GET /metrics` in the Prometheus text
//! (OpenMetrics) format: sockets, deliveries and drops, the bus (messages, lag, catch-ups,
//! reconnects), send and history latency, the database pool, the writer's batches.
//!
//! The endpoint is off unless `metrics_token` is set, and then asks for it as a bearer
//! token: the figures say how busy the server is and are nobody else's business.

use crate::{config::Config, error::AppError, state::AppState};
use actix_web::{HttpRequest, HttpResponse, http::header, web};
use prometheus_client::{
    encoding::text::encode,
    metrics::{
        counter::Counter,
        gauge::Gauge,
        histogram::{Histogram, exponential_buckets},
    },
    registry::Registry,
};
use subtle::ConstantTimeEq as _;

pub struct Metrics {
    registry: Registry,
    pub sockets_open: Gauge,
    /// Frames handed to sockets' queues.
    pub deliveries: Counter,
    /// Sockets dropped because their queue was full (they resume).
    pub drops: Counter,
    pub bus_published: Counter,
    pub bus_publish_failures: Counter,
    pub bus_received: Counter,
    /// From publish on one instance to receipt on this one (clocks permitting).
    pub bus_lag: Histogram,
    /// Rooms whose sockets the periodic catch-up found behind the database.
    pub catch_ups: Counter,
    pub bus_reconnects: Counter,
    pub bus_connected: Gauge,
    pub send_seconds: Histogram,
    pub history_seconds: Histogram,
    pub writer_batch: Histogram,
    pub db_pool_size: Gauge,
    pub db_pool_idle: Gauge,
}

fn latency() -> Histogram {
    // 0.25 ms … about 8 s.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("teahouse");
        let m = Self {
            sockets_open: Gauge::default(),
            deliveries: Counter::default(),
            drops: Counter::default(),
            bus_published: Counter::default(),
            bus_publish_failures: Counter::default(),
            bus_received: Counter::default(),
            bus_lag: latency(),
            catch_ups: Counter::default(),
            bus_reconnects: Counter::default(),
            bus_connected: Gauge::default(),
            send_seconds: latency(),
            history_seconds: latency(),
            writer_batch: Histogram::new(exponential_buckets(1.0, 2.0, 10)),
            db_pool_size: Gauge::default(),
            db_pool_idle: Gauge::default(),
            registry: Registry::default(),
        };
        registry.register("sockets_open", "WebSockets open", m.sockets_open.clone());
        registry.register(
            "deliveries",
            "Frames handed to sockets",
            m.deliveries.clone(),
        );
        registry.register(
            "socket_drops",
            "Sockets dropped for falling behind (they resume)",
            m.drops.clone(),
        );
        registry.register(
            "bus_published",
            "Signals published to the other instances",
            m.bus_published.clone(),
        );
        registry.register(
            "bus_publish_failures",
            "Publishes that failed or timed out (the catch-up repairs events)",
            m.bus_publish_failures.clone(),
        );
        registry.register(
            "bus_received",
            "Signals received from the other instances",
            m.bus_received.clone(),
        );
        registry.register(
            "bus_lag_seconds",
            "From publish on another instance to receipt here",
            m.bus_lag.clone(),
        );
        registry.register(
            "catch_ups",
            "Rooms the periodic catch-up found behind the database",
            m.catch_ups.clone(),
        );
        registry.register(
            "bus_reconnects",
            "Times the bus subscription was made again",
            m.bus_reconnects.clone(),
        );
        registry.register(
            "bus_connected",
            "1 while subscribed to the bus (always 0 without Redis)",
            m.bus_connected.clone(),
        );
        registry.register(
            "send_seconds",
            "Time to answer a message send",
            m.send_seconds.clone(),
        );
        registry.register(
            "history_seconds",
            "Time to answer a history page",
            m.history_seconds.clone(),
        );
        registry.register(
            "writer_batch_size",
            "Messages written per transaction by the writer",
            m.writer_batch.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Database connections open",
            m.db_pool_size.clone(),
        );
        registry.register(
            "db_pool_idle",
            "Database connections idle",
            m.db_pool_idle.clone(),
        );
        Self { registry, ..m }
    }
}

impl Metrics {
    /// The text a scrape gets, with the gauges read now.
    pub fn render(&self, state: &AppState) -> String {
        self.sockets_open
            .set(i64::try_from(state.limits.sockets_open().0).unwrap_or(i64::MAX));
        let (size, idle) = pool_use(&state.db);
        self.db_pool_size.set(size);
        self.db_pool_idle.set(idle);
        let mut out = String::new();
        if encode(&mut out, &self.registry).is_err() {
            tracing::error!("could not encode the metrics");
        }
        out
    }
}

fn pool_use(db: &sea_orm::DatabaseConnection) -> (i64, i64) {
    match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (i64::from(pool.size()), pool.num_idle() as i64)
        }
        sea_orm::DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (i64::from(pool.size()), pool.num_idle() as i64)
        }
        _ => (0, 0),
    }
}

/// `GET /metrics`: 404 unless `metrics_token` is set; then the bearer token must match.
pub async fn scrape(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let Some(expected) = token(&state.config) else {
        return Err(AppError::NotFound);
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        return Err(AppError::Unauthenticated);
    }
    Ok(HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(state.metrics.render(&state)))
}

fn token(config: &Config) -> Option<&str> {
    config
        .metrics_token
        .as_ref()
        .map(|t| t.0.trim())
        .filter(|t| !t.is_empty())
}
