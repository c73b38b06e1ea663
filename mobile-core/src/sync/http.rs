//! The HTTP transport: a small [`Transport`] trait (one request in, status and body
//! out) so that tests can put an in-memory server behind the same client code, and its
//! real implementation on blocking reqwest.
//!
//! TLS: rustls on the `ring` provider with a fixed root store, Mozilla's roots from
//! `webpki-roots` compiled into the library, instead of the platform verifier. The
//! platform verifier would need a Kotlin component and an init call on Android that we
//! cannot ship; a fixed store behaves the same on iOS and Android and needs no init.
//! The cost: the health centre's server must use a certificate from a public CA (no
//! user-installed or enterprise roots), and root updates arrive with app updates.
//! Plain `http://` is allowed to loopback addresses only (tests and local demos).

use crate::error::{Error, Result};
use crate::secrets::Secret;
use protocol::{Lang, Text};
use std::sync::Arc;
use std::time::Duration;

/// Time to set up a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Time for a whole request, answer included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// One request to the server.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// `true` for POST, `false` for GET.
    pub post: bool,
    /// The path, such as `/api/v1/profile`.
    pub path: String,
    /// Bearer token.
    pub bearer: Option<Secret>,
    /// JSON body of a POST.
    pub body: Option<Vec<u8>>,
    /// Language of the answer's texts.
    pub lang: Lang,
}

/// The server's answer.
#[derive(Debug, Clone)]
pub(crate) struct Response {
    pub status: u16,
    /// `Retry-After` in seconds, when sent.
    pub retry_after: Option<u64>,
    pub body: Vec<u8>,
}

/// Why no answer arrived; technical classes only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NetFailure {
    /// Connecting failed (no network, server down, refused).
    Connect,
    /// The connection or the answer took too long.
    Timeout,
    /// The connection broke or the answer could not be read.
    Broken,
}

impl NetFailure {
    fn class(self) -> &'static str {
        match self {
            NetFailure::Connect => "connect",
            NetFailure::Timeout => "timeout",
            NetFailure::Broken => "connection lost",
        }
    }

    /// The internal error, worded for the person.
    pub(crate) fn into_error(self, lang: Lang) -> Error {
        let text = Text {
            ja: "サーバーに接続できません。通信環境の良い所で、しばらくしてからもう一度お試しください。記録は端末に保存されています。",
            en: "Cannot reach the server. Please try again later with a better connection. Your reports are saved on this phone.",
        };
        Error::Network { class: self.class(), message: text.get(lang).to_owned() }
    }
}

/// Sends one request and returns the server's answer, whatever its status.
pub(crate) trait Transport: Send + Sync {
    fn send(&self, req: &Request) -> std::result::Result<Response, NetFailure>;
}

/// The real transport: blocking reqwest over rustls.
pub(crate) struct HttpTransport {
    client: reqwest::blocking::Client,
    base: String,
}

impl HttpTransport {
    /// A transport to `server_url` (`https://host[:port][/prefix]`, or `http://` to a
    /// loopback address).
    pub(crate) fn new(server_url: &str) -> Result<Arc<HttpTransport>> {
        let base = check_url(server_url)?;
        let client = reqwest::blocking::Client::builder()
            .tls_backend_preconfigured(tls_config()?)
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("mimamori-core/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|_| Error::Platform("http client could not be built".into()))?;
        Ok(Arc::new(HttpTransport { client, base }))
    }
}

impl Transport for HttpTransport {
    fn send(&self, req: &Request) -> std::result::Result<Response, NetFailure> {
        let url = format!("{}{}", self.base, req.path);
        let mut b = if req.post { self.client.post(url) } else { self.client.get(url) };
        b = b.header(reqwest::header::ACCEPT_LANGUAGE, req.lang.tag()).header(reqwest::header::ACCEPT, "application/json");
        if let Some(token) = &req.bearer {
            b = b.bearer_auth(token.expose());
        }
        if let Some(body) = &req.body {
            b = b.header(reqwest::header::CONTENT_TYPE, "application/json").body(body.clone());
        }
        let res = b.send().map_err(|e| failure(&e))?;
        let status = res.status().as_u16();
        let retry_after = res
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse().ok());
        let body = res.bytes().map_err(|e| failure(&e))?.to_vec();
        Ok(Response { status, retry_after, body })
    }
}

fn failure(e: &reqwest::Error) -> NetFailure {
    if e.is_timeout() {
        NetFailure::Timeout
    } else if e.is_connect() {
        NetFailure::Connect
    } else {
        NetFailure::Broken
    }
}

/// Checks the server address and returns it without a trailing slash.
fn check_url(server_url: &str) -> Result<String> {
    let refuse = || {
        Error::invalid(
            "server_url",
            "The server address must be https://…, or http:// to this device (127.0.0.1, localhost, ::1).",
        )
    };
    let url = reqwest::Url::parse(server_url.trim()).map_err(|_| refuse())?;
    let host = url.host_str().unwrap_or("");
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host.trim_start_matches('[').trim_end_matches(']').parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    let ok = match url.scheme() {
        "https" => !host.is_empty(),
        "http" => loopback,
        _ => false,
    };
    if !ok || url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(refuse());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// rustls with the `ring` provider and Mozilla's root certificates.
fn tls_config() -> Result<rustls::ClientConfig> {
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|_| Error::Platform("tls configuration".into()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http_is_accepted() {
        for ok in ["https://mimamori.example.jp", "https://h.example.jp:8443/base/", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        assert_eq!(check_url("https://h.example.jp/base/").ok().as_deref(), Some("https://h.example.jp/base"));
        for bad in ["http://mimamori.example.jp", "ftp://127.0.0.1", "not a url", "https://u:p@h.example.jp", "https://h.example.jp/?q=1", "http://10.0.0.1"] {
            assert!(matches!(check_url(bad), Err(Error::Invalid { ref field, .. }) if field == "server_url"), "{bad}");
        }
    }

    #[test]
    fn the_client_builds_with_the_fixed_root_store() {
        assert!(HttpTransport::new("https://mimamori.example.jp").is_ok());
    }
}
