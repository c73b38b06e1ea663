//! Prometheus metrics at `/metrics`, for the operators' monitoring: requests by method,
//! route template and status, their latency, throttled answers, the report writer's
//! queue and each synced report's result. Labels are route templates
//! (`/api/v1/cases/{id}`), methods, status codes and result names only: never a path
//! with an id in it, an address, a name or anything a person typed.
//!
//! The page is served only when `--metrics-token` is set, to a request that carries it
//! as a bearer token; otherwise `/metrics` does not exist (404).

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::time::Instant;

/// A request's labels.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

/// A latency's labels.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    method: String,
    route: String,
}

/// A synced report's result.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabels {
    result: &'static str,
}

/// The server's metrics.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    throttled: Counter,
    reports: Family<ResultLabels, Counter>,
    writer_queue: Gauge,
}

impl Default for Metrics {
    fn default() -> Metrics {
        let mut registry = Registry::with_prefix("mimamori");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| Histogram::new(exponential_buckets(0.0005, 2.0, 16)));
        let throttled = Counter::default();
        let reports = Family::<ResultLabels, Counter>::default();
        let writer_queue = Gauge::default();
        registry.register("http_requests", "Requests by method, route template and status", requests.clone());
        registry.register("http_request_duration_seconds", "Time to answer, by method and route template", latency.clone());
        registry.register("throttled", "Requests refused with 429 by a throttle", throttled.clone());
        registry.register("sync_reports", "Synced reports by result (accepted, conflict, refused)", reports.clone());
        registry.register("writer_queue_depth", "Sync requests waiting for the report writer", writer_queue.clone());
        Metrics { registry, requests, latency, throttled, reports, writer_queue }
    }
}

impl Metrics {
    /// Counts a synced report's result.
    pub fn report_result(&self, result: &'static str) {
        self.reports.get_or_create(&ResultLabels { result }).inc();
    }

    /// The text exposition, with the writer's queue as it is now.
    pub fn render(&self, writer_queue: usize) -> String {
        self.writer_queue.set(i64::try_from(writer_queue).unwrap_or(i64::MAX));
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// Middleware: counts and times every request by its route template.
pub async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_owned();
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let started = Instant::now();
    let res = next.run(req).await;
    let status = res.status();
    let m = &state.metrics;
    m.latency.get_or_create(&RouteLabels { method: method.clone(), route: route.clone() }).observe(started.elapsed().as_secs_f64());
    m.requests.get_or_create(&RequestLabels { method, route, status: status.as_u16() }).inc();
    if status == StatusCode::TOO_MANY_REQUESTS {
        m.throttled.inc();
    }
    res
}

/// `GET /metrics`: the text exposition for a scraper holding the configured token.
pub async fn page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = state.config.metrics_token.as_ref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = crate::auth::bearer(&headers).unwrap_or_default();
    if !crate::secret::constant_time_eq(given, expected.expose()) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let body = state.metrics.render(state.ingest.queue_depth());
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], body).into_response()
}
