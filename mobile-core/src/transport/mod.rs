//! The HTTP transport as a foreign trait: the phone's own HTTP stack (Android's
//! `HttpURLConnection`, iOS's `URLSession`) moves the bytes, so the library carries no
//! HTTP or TLS code of its own. The shells pass their implementation to
//! `MimamoriCore::open_with_transport`.
//!
//! The core keeps every rule: it checks the server address (https only, http only to
//! this device), builds the whole URL and every header (`Accept`, `Accept-Language`,
//! `Authorization`, `Content-Type`, `User-Agent`), sets the time limit, retries with
//! backoff and maps HTTP statuses and error bodies to errors (`sync::http`,
//! `sync::client`). An implementation sends exactly one request, follows no redirect,
//! keeps no cookies or cache, retries nothing, and returns whatever status the server
//! answered; only when no answer arrives does it return a [`TransportError`].
//!
//! With the `rust-http` cargo feature, [`RustHttpTransport`] implements the same
//! trait on reqwest and rustls, for the Rust end-to-end tests and desktop tools.

#[cfg(feature = "rust-http")]
mod reqwest_http;

#[cfg(feature = "rust-http")]
pub use reqwest_http::RustHttpTransport;

/// The method of a request: the patient API uses these two only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HttpMethod {
    /// GET: no body.
    Get,
    /// POST: the body is JSON.
    Post,
}

/// One header line. A name can appear more than once.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpHeader {
    /// The header's name, as written (compare without regard to case).
    pub name: String,
    /// Its value.
    pub value: String,
}

/// One request, complete: the transport sends it as it is.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpRequest {
    /// GET or POST.
    pub method: HttpMethod,
    /// The absolute URL (`https://…`, or `http://` to this device), already checked.
    pub url: String,
    /// Every header to send, in order; the transport adds only what its protocol needs
    /// (`Host`, `Content-Length`, `Connection`).
    pub headers: Vec<HttpHeader>,
    /// The body of a POST (empty for GET).
    pub body: Vec<u8>,
    /// The longest the whole exchange may take, connecting included, in milliseconds.
    pub timeout_ms: u64,
}

/// The server's answer, whatever its status.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct HttpResponse {
    /// The HTTP status (a redirect is returned as it is, not followed).
    pub status: u16,
    /// The answer's headers (at least `Retry-After` when the server sent it).
    pub headers: Vec<HttpHeader>,
    /// The whole body, possibly empty.
    pub body: Vec<u8>,
}

/// Why no answer arrived. Only these three classes cross: never a URL, a header or a
/// body, which can carry personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum TransportError {
    /// No connection could be made: no network, the name does not resolve, the server
    /// refused, or the TLS handshake failed. Nothing reached the server.
    #[error("connect")]
    Connect,
    /// The time limit passed before the whole answer arrived.
    #[error("timeout")]
    Timeout,
    /// The connection broke after it was made, or the answer could not be read. The
    /// server may have acted on the request.
    #[error("connection lost")]
    Broken,
    /// The secure connection could not be set up: the server's certificate is not
    /// trusted, expired or not yet valid (often the phone's date is wrong), or the
    /// network intercepts the connection (a Wi-Fi that wants a sign-in). Nothing
    /// reached the server.
    #[error("tls")]
    Tls,
}

/// A foreign implementation that throws something else than a `TransportError` (a
/// bug on the shell's side) is a broken exchange, not a crash of the core. The
/// foreign message is dropped: it may quote a URL.
impl From<uniffi::UnexpectedUniFFICallbackError> for TransportError {
    fn from(_: uniffi::UnexpectedUniFFICallbackError) -> TransportError {
        TransportError::Broken
    }
}

/// Sends HTTP requests for the core. Implemented by the shells on the phone's own HTTP
/// stack (Kotlin `UrlConnectionTransport`, Swift `URLSessionTransport`).
///
/// `send` blocks until the whole answer is read or the request's `timeout_ms` has
/// passed; the core calls it off the main thread, possibly from several threads at
/// once. It sends the request once (no retries, no redirects followed, no cookies,
/// no cache) with exactly the given headers, and returns any HTTP status as an
/// `HttpResponse`: 4xx and 5xx answers are answers, with their bodies.
#[uniffi::export(with_foreign)]
pub trait HttpTransport: Send + Sync {
    /// Sends `request` and returns the server's answer, or why none arrived.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// Requests are logged by method, header names and body size only: the URL carries
/// ids, the `Authorization` value is a session token and the body personal data.
impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("headers", &self.headers.iter().map(|h| h.name.as_str()).collect::<Vec<_>>())
            .field("body_bytes", &self.body.len())
            .field("timeout_ms", &self.timeout_ms)
            .finish()
    }
}

/// Answers are logged by status, header names and body size only.
impl std::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers.iter().map(|h| h.name.as_str()).collect::<Vec<_>>())
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

/// A header's name only: its value may be a token.
impl std::fmt::Debug for HttpHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HttpHeader({}: …)", self.name)
    }
}

/// (tests) A transport that never connects: for cores that must not reach a server.
#[cfg(test)]
pub(crate) struct Unreachable;

#[cfg(test)]
impl HttpTransport for Unreachable {
    fn send(&self, _: HttpRequest) -> Result<HttpResponse, TransportError> {
        Err(TransportError::Connect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_shows_no_token_url_or_body() {
        let req = HttpRequest {
            method: HttpMethod::Post,
            url: "https://h.example.jp/api/v1/registrations/abc/verify".into(),
            headers: vec![HttpHeader { name: "Authorization".into(), value: "Bearer secret-token".into() }],
            body: br#"{"code":"123456"}"#.to_vec(),
            timeout_ms: 1000,
        };
        let text = format!("{req:?} {:?}", req.headers[0]);
        assert!(text.contains("Authorization") && text.contains("body_bytes: 17"), "{text}");
        for hidden in ["secret-token", "123456", "h.example.jp", "verify"] {
            assert!(!text.contains(hidden), "{hidden} in {text}");
        }
        let res = HttpResponse { status: 200, headers: vec![], body: b"{\"token\":\"t\"}".to_vec() };
        assert!(!format!("{res:?}").contains("token"));
    }

    #[test]
    fn an_unexpected_foreign_failure_is_a_broken_exchange() {
        let e = uniffi::UnexpectedUniFFICallbackError::new("java.lang.IllegalStateException: https://h.example.jp/x");
        assert_eq!(TransportError::from(e), TransportError::Broken);
    }
}
