//! The server's route table, read off the built router: every `(method, path)` that
//! [`crate::app`] serves, with its kind (API, page, webhook, probe, asset) and its path
//! parameters. The OpenAPI completeness test and the tenant matrix iterate this list,
//! so a route mounted anywhere (`.route`, `.merge`, `.nest`) is covered as soon as it is
//! part of the router, without a second list to keep.
//!
//! axum does not hand out its routes, but its `Debug` output names every path with the
//! methods it answers; [`list`] parses that and fails loudly (an empty list, or the
//! routes every build has missing) if a new axum changes the format.

use axum::http::Method;
use axum::Router;

/// What kind of route a path is, by its place in the URL space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `/api/…`: JSON, described by the OpenAPI document.
    Api,
    /// A server-rendered page or form post.
    Page,
    /// A telephony provider's webhook (`/call/twilio/…`, `/call/vonage/…`): signed by
    /// the provider, not by a session.
    Webhook,
    /// Liveness, readiness, metrics.
    Probe,
    /// Static files and the app-link documents: the same for everyone.
    Asset,
}

/// One method on one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    /// The method (`HEAD` is implied by `GET` and not listed).
    pub method: Method,
    /// The template as registered, e.g. `/api/v1/cases/{id}`.
    pub path: String,
}

impl RouteInfo {
    /// The route's kind.
    pub fn kind(&self) -> Kind {
        let p = self.path.as_str();
        if p.starts_with("/api/") {
            Kind::Api
        } else if p.starts_with("/call/twilio/") || p.starts_with("/call/vonage/") {
            Kind::Webhook
        } else if ["/healthz", "/readyz", "/metrics"].contains(&p) {
            Kind::Probe
        } else if p.starts_with("/static/") || p.starts_with("/.well-known/") {
            Kind::Asset
        } else {
            Kind::Page
        }
    }

    /// The names of the path's parameters (`{id}` → `id`, `{*rest}` → `rest`).
    pub fn params(&self) -> Vec<&str> {
        self.path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split_once('}').map(|(name, _)| name.trim_start_matches('*')))
            .collect()
    }
}

/// Every route of `router` (methods that answer, `HEAD` left out as it follows `GET`),
/// sorted by path then method.
pub fn list<S>(router: &Router<S>) -> Vec<RouteInfo> {
    let text = format!("{router:?}");
    // Only the main path router: the fallback router has its own (internal) paths.
    let main = text.split(", fallback_router:").next().unwrap_or("");
    let (routes, node) = main.split_once("node: Node").unwrap_or((main, ""));
    let mut methods_of = std::collections::HashMap::new();
    for chunk in routes.split("RouteId(").skip(1) {
        let Some((id, rest)) = chunk.split_once(')') else { continue };
        let fields = rest.split("fallback:").next().unwrap_or("");
        let methods: Vec<Method> = ["get", "delete", "options", "patch", "post", "put", "trace", "connect"]
            .into_iter()
            .filter(|m| fields.contains(&format!(" {m}: Route")) || fields.contains(&format!(" {m}: BoxedHandler")))
            .filter_map(|m| m.to_uppercase().parse().ok())
            .collect();
        methods_of.insert(id.to_owned(), methods);
    }
    let mut out = Vec::new();
    for chunk in node.split("RouteId(").skip(1) {
        let Some((id, rest)) = chunk.split_once(')') else { continue };
        let Some(path) = rest.split('"').nth(1) else { continue };
        for method in methods_of.get(id).into_iter().flatten() {
            out.push(RouteInfo { method: method.clone(), path: path.to_owned() });
        }
    }
    out.sort_by(|a, b| (&a.path, a.method.as_str()).cmp(&(&b.path, b.method.as_str())));
    out
}
