//! (`rust-http` feature) [`HttpTransport`] on blocking reqwest, for the Rust
//! end-to-end tests, the Python bindings and desktop tools; the phone apps use their
//! platform's HTTP stack instead and ship without this code.
//!
//! TLS: rustls on the `ring` provider with a fixed root store, Mozilla's roots from
//! `webpki-roots` compiled in, instead of the platform verifier (which would need a
//! Kotlin component and an init call on Android). The cost: the server needs a
//! certificate from a public CA, and root updates arrive with new builds.
//!
//! Like every transport it only moves bytes: one attempt, no redirects, no cookies,
//! the core's headers as given, any status returned as an answer.

use super::{HttpHeader, HttpMethod, HttpRequest, HttpResponse, HttpTransport, TransportError};
use std::sync::Arc;
use std::time::Duration;

/// The longest time for setting up a connection, within the request's own limit.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The reqwest + rustls transport.
pub struct RustHttpTransport {
    client: reqwest::blocking::Client,
}

impl RustHttpTransport {
    /// A transport with its own connection pool. Fails only when the TLS set-up fails.
    pub fn new() -> Result<Arc<RustHttpTransport>, TransportError> {
        let client = reqwest::blocking::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .connect_timeout(CONNECT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|_| TransportError::Connect)?;
        Ok(Arc::new(RustHttpTransport { client }))
    }
}

impl HttpTransport for RustHttpTransport {
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut b = match request.method {
            HttpMethod::Get => self.client.get(&request.url),
            HttpMethod::Post => self.client.post(&request.url).body(request.body),
        };
        for h in &request.headers {
            b = b.header(h.name.as_str(), h.value.as_str());
        }
        let res = b.timeout(Duration::from_millis(request.timeout_ms.max(1))).send().map_err(|e| failure(&e))?;
        let status = res.status().as_u16();
        let headers = res
            .headers()
            .iter()
            .filter_map(|(name, value)| {
                Some(HttpHeader { name: name.as_str().to_owned(), value: value.to_str().ok()?.to_owned() })
            })
            .collect();
        let body = res.bytes().map_err(|e| failure(&e))?.to_vec();
        Ok(HttpResponse { status, headers, body })
    }
}

fn failure(e: &reqwest::Error) -> TransportError {
    if e.is_timeout() {
        TransportError::Timeout
    } else if e.is_connect() {
        TransportError::Connect
    } else {
        TransportError::Broken
    }
}

/// rustls with the `ring` provider and Mozilla's root certificates.
fn tls_config() -> Result<rustls::ClientConfig, TransportError> {
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|_| TransportError::Connect)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_builds_with_the_fixed_root_store() {
        assert!(RustHttpTransport::new().is_ok());
    }
}
