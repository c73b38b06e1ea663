//! The core's side of HTTP: a small [`Transport`] trait (one request in, status and body
//! out) so that tests can put an in-memory server behind the same client code, and
//! [`Platform`], which turns a request into a complete [`HttpRequest`] for the shell's
//! [`HttpTransport`] (the phone's own HTTP stack) and reads its answer.
//!
//! Every rule stays here, not in the shells: the server address is checked once
//! (`https://`, or `http://` to a loopback address only: tests and local demos; no user
//! name, query or fragment), and every request carries the same headers (`Accept`,
//! `Accept-Language`, `User-Agent`, the patient API's protocol version
//! (`x-mimamori-protocol`), `Authorization` when there is a token,
//! `Content-Type` with a body) and the same time limit. Retries, backoff and the
//! status → error mapping live in `retry` and `client`.

use crate::error::{Error, Result};
use crate::secrets::Secret;
use crate::transport::{HttpHeader, HttpMethod, HttpRequest, HttpTransport, TransportError};
use protocol::{Lang, Text};
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;

/// The longest a whole request may take, answer included, unless changed.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What the core calls itself.
const USER_AGENT: &str = concat!("mimamori-core/", env!("CARGO_PKG_VERSION"));

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
    /// The longest the whole exchange may take.
    pub timeout: Duration,
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
    /// The secure connection could not be set up (certificate, date, intercepting network).
    Tls,
}

impl NetFailure {
    fn class(self) -> &'static str {
        match self {
            NetFailure::Connect => "connect",
            NetFailure::Timeout => "timeout",
            NetFailure::Broken => "connection lost",
            NetFailure::Tls => TLS_CLASS,
        }
    }

    /// The internal error, worded for the person.
    pub(crate) fn into_error(self, lang: Lang) -> Error {
        if self == NetFailure::Tls {
            let text = Text {
                ja: "サーバーと安全に接続できませんでした。端末の日付と時刻が正しいか確認し、Wi-Fiでログインを求められている場合は済ませてから、もう一度お試しください。記録は端末に保存されています。",
                en: "A secure connection to the server could not be made. Check the phone's date and time, sign in to the Wi-Fi if it asks, and try again. Your reports are saved on this phone.",
            };
            return Error::Network { class: TLS_CLASS, message: text.get(lang).to_owned() };
        }
        let text = Text {
            ja: "サーバーに接続できません。通信環境の良い所で、しばらくしてからもう一度お試しください。記録は端末に保存されています。",
            en: "Cannot reach the server. Please try again later with a better connection. Your reports are saved on this phone.",
        };
        Error::Network { class: self.class(), message: text.get(lang).to_owned() }
    }
}

impl From<TransportError> for NetFailure {
    fn from(e: TransportError) -> NetFailure {
        match e {
            TransportError::Connect => NetFailure::Connect,
            TransportError::Timeout => NetFailure::Timeout,
            TransportError::Broken => NetFailure::Broken,
            TransportError::Tls => NetFailure::Tls,
        }
    }
}

/// The class of a network error whose secure connection failed.
pub(crate) const TLS_CLASS: &str = "tls";

/// Sends one request and returns the server's answer, whatever its status.
pub(crate) trait Transport: Send + Sync {
    fn send(&self, req: &Request) -> std::result::Result<Response, NetFailure>;
}

/// The shell's HTTP stack behind the core's rules.
pub(crate) struct Platform {
    http: Arc<dyn HttpTransport>,
    /// The checked server address, without a trailing slash.
    base: String,
}

impl Platform {
    /// The server at `server_url` (`https://host[:port][/prefix]`, or `http://` to a
    /// loopback address) reached through `http`.
    pub(crate) fn new(server_url: &str, http: Arc<dyn HttpTransport>) -> Result<Arc<Platform>> {
        Ok(Arc::new(Platform { http, base: check_url(server_url)? }))
    }

    /// The complete request the shell's transport sends.
    fn request(&self, req: &Request) -> HttpRequest {
        let header = |name: &str, value: &str| HttpHeader { name: name.to_owned(), value: value.to_owned() };
        let mut headers = vec![
            header("Accept", "application/json"),
            header("Accept-Language", req.lang.tag()),
            header("User-Agent", USER_AGENT),
            header(protocol::wire::HEADER_PROTOCOL, &protocol::wire::PROTOCOL_VERSION.to_string()),
        ];
        if let Some(token) = &req.bearer {
            headers.push(header("Authorization", &format!("Bearer {}", token.expose())));
        }
        if req.body.is_some() {
            headers.push(header("Content-Type", "application/json"));
        }
        HttpRequest {
            method: if req.post { HttpMethod::Post } else { HttpMethod::Get },
            url: format!("{}{}", self.base, req.path),
            headers,
            body: req.body.clone().unwrap_or_default(),
            timeout_ms: u64::try_from(req.timeout.as_millis()).unwrap_or(u64::MAX).max(1),
        }
    }
}

impl Transport for Platform {
    fn send(&self, req: &Request) -> std::result::Result<Response, NetFailure> {
        let res = self.http.send(self.request(req)).map_err(NetFailure::from)?;
        if !(100..=599).contains(&res.status) {
            // Not HTTP: whatever answered, it was not the server.
            return Err(NetFailure::Broken);
        }
        let retry_after = res
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("retry-after"))
            .and_then(|h| h.value.trim().parse().ok());
        Ok(Response { status: res.status, retry_after, body: res.body })
    }
}

/// Checks the server address and returns it without a trailing slash, scheme and host
/// in lower case: `https://host[:port][/path]`, or `http://` when the host is
/// `localhost`, a 127.x.x.x address or `[::1]`. Host names are ASCII (IDNA names in
/// their `xn--` form); no user name, password, query or fragment.
pub(crate) fn check_url(server_url: &str) -> Result<String> {
    let refuse = || {
        Error::invalid(
            "server_url",
            "The server address must be https://…, or http:// to this device (127.0.0.1, localhost, ::1).",
        )
    };
    let url = server_url.trim();
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '@' | '\\')) {
        return Err(refuse());
    }
    let (scheme, rest) = url.split_once("://").ok_or_else(refuse)?;
    let scheme = scheme.to_ascii_lowercase();
    let (authority, path) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    let (host, port) = split_host_port(authority).ok_or_else(refuse)?;
    let host = host.to_ascii_lowercase();
    let ok = match scheme.as_str() {
        "https" => true,
        "http" => is_loopback(&host),
        _ => false,
    };
    if !ok || !path.chars().all(|c| c.is_ascii_graphic()) {
        return Err(refuse());
    }
    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
    Ok(format!("{scheme}://{host}{port}{}", path.trim_end_matches('/')))
}

/// `host[:port]` or `[v6][:port]`, with a valid host and port.
fn split_host_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (host, rest) = authority.split_at(end + 1);
        host[1..host.len() - 1].parse::<Ipv6Addr>().ok()?;
        (host, if rest.is_empty() { None } else { Some(rest.strip_prefix(':')?) })
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let name_ok = host.starts_with('[')
        || (!host.is_empty()
            && host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            }));
    if !name_ok {
        return None;
    }
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
    };
    Some((host, port))
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.trim_start_matches('[').trim_end_matches(']').parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn only_https_or_loopback_http_is_accepted() {
        for ok in [
            "https://mimamori.example.jp",
            "https://h.example.jp:8443/base/",
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9",
            " HTTPS://Mimamori.Example.JP/ ",
            "https://[2001:db8::1]/",
            "https://xn--eckwd4c7c.xn--zckzah",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        assert_eq!(check_url("https://h.example.jp/base/").ok().as_deref(), Some("https://h.example.jp/base"));
        assert_eq!(check_url("https://h.example.jp/").ok().as_deref(), Some("https://h.example.jp"));
        assert_eq!(check_url(" HTTP://LocalHost:8080 ").ok().as_deref(), Some("http://localhost:8080"));
        assert_eq!(check_url("http://[::1]:9/").ok().as_deref(), Some("http://[::1]:9"));
        for bad in [
            "http://mimamori.example.jp",
            "ftp://127.0.0.1",
            "not a url",
            "https://u:p@h.example.jp",
            "https://u@h.example.jp",
            "https://h.example.jp/?q=1",
            "https://h.example.jp/#top",
            "http://10.0.0.1",
            "http://127.0.0.1.example.jp",
            "http://localhost.example.jp",
            "https://",
            "https:///path",
            "https://h.example.jp:",
            "https://h.example.jp:99999",
            "https://h.example.jp:80a",
            "https://h_x.example.jp",
            "https://-h.example.jp",
            "https://h..example.jp",
            "https://見守り.jp",
            "https://h.example.jp/a b",
            "https://[::1",
            "https://[zz::1]",
            "https://[::1]x",
            "https:\\\\h.example.jp",
            "//h.example.jp",
        ] {
            assert!(matches!(check_url(bad), Err(Error::Invalid { ref field, .. }) if field == "server_url"), "{bad}");
        }
    }

    /// Records what the core asks the shell's transport to send and answers with `answer`.
    struct Recorder {
        seen: Mutex<Vec<HttpRequest>>,
        answer: std::result::Result<crate::transport::HttpResponse, TransportError>,
    }

    impl HttpTransport for Recorder {
        fn send(&self, request: HttpRequest) -> std::result::Result<crate::transport::HttpResponse, TransportError> {
            self.seen.lock().unwrap().push(request);
            self.answer.clone()
        }
    }

    fn recorder(answer: std::result::Result<crate::transport::HttpResponse, TransportError>) -> Arc<Recorder> {
        Arc::new(Recorder { seen: Mutex::new(Vec::new()), answer })
    }

    fn names(r: &HttpRequest) -> Vec<(&str, &str)> {
        r.headers.iter().map(|h| (h.name.as_str(), h.value.as_str())).collect()
    }

    #[test]
    fn the_core_builds_the_whole_request() {
        let answer = crate::transport::HttpResponse {
            status: 429,
            headers: vec![HttpHeader { name: "retry-AFTER".into(), value: " 7 ".into() }],
            body: b"{}".to_vec(),
        };
        let rec = recorder(Ok(answer));
        let platform = Platform::new("https://h.example.jp/base/", rec.clone()).unwrap();
        let post = Request {
            post: true,
            path: "/api/v1/reports:batch".into(),
            bearer: Some(Secret::new("tok".into())),
            body: Some(b"{\"reports\":[]}".to_vec()),
            lang: Lang::En,
            timeout: Duration::from_millis(1500),
        };
        let res = platform.send(&post).unwrap();
        assert_eq!((res.status, res.retry_after, res.body.as_slice()), (429, Some(7), b"{}".as_slice()));
        let get = Request { post: false, path: "/api/v1/profile".into(), bearer: None, body: None, lang: Lang::Ja, ..post };
        platform.send(&get).unwrap();

        let seen = rec.seen.lock().unwrap();
        assert_eq!(seen[0].method, HttpMethod::Post);
        assert_eq!(seen[0].url, "https://h.example.jp/base/api/v1/reports:batch");
        assert_eq!(seen[0].body, b"{\"reports\":[]}");
        assert_eq!(seen[0].timeout_ms, 1500);
        assert_eq!(
            names(&seen[0]),
            vec![
                ("Accept", "application/json"),
                ("Accept-Language", "en"),
                ("User-Agent", USER_AGENT),
                ("x-mimamori-protocol", "1"),
                ("Authorization", "Bearer tok"),
                ("Content-Type", "application/json"),
            ]
        );
        assert_eq!(seen[1].method, HttpMethod::Get);
        assert_eq!(seen[1].url, "https://h.example.jp/base/api/v1/profile");
        assert!(seen[1].body.is_empty());
        assert_eq!(
            names(&seen[1]),
            vec![("Accept", "application/json"), ("Accept-Language", "ja"), ("User-Agent", USER_AGENT), ("x-mimamori-protocol", "1")]
        );
    }

    #[test]
    fn transport_failures_and_non_http_statuses_are_network_failures() {
        let get = Request {
            post: false,
            path: "/x".into(),
            bearer: None,
            body: None,
            lang: Lang::Ja,
            timeout: REQUEST_TIMEOUT,
        };
        for (e, f) in [
            (TransportError::Connect, NetFailure::Connect),
            (TransportError::Timeout, NetFailure::Timeout),
            (TransportError::Broken, NetFailure::Broken),
            (TransportError::Tls, NetFailure::Tls),
        ] {
            let platform = Platform::new("http://127.0.0.1:9", recorder(Err(e))).unwrap();
            assert_eq!(platform.send(&get).err(), Some(f));
        }
        for status in [0, 99, 600, 1000] {
            let answer = crate::transport::HttpResponse { status, headers: vec![], body: vec![] };
            let platform = Platform::new("http://127.0.0.1:9", recorder(Ok(answer))).unwrap();
            assert_eq!(platform.send(&get).err(), Some(NetFailure::Broken), "{status}");
        }
        assert!(Platform::new("http://example.jp", recorder(Err(TransportError::Connect))).is_err());
    }

    #[test]
    fn a_failed_secure_connection_is_its_own_error_with_what_to_check_and_is_not_retried() {
        use crate::error::CoreError;
        let e = NetFailure::Tls.into_error(Lang::Ja);
        assert!(!crate::sync::retry::is_transient(&e), "a certificate does not mend itself in seconds");
        assert!(matches!(CoreError::from(e), CoreError::SecureConnection { ref reason } if reason.contains("日付と時刻")));
        let en = CoreError::from(NetFailure::Tls.into_error(Lang::En));
        assert!(matches!(en, CoreError::SecureConnection { ref reason } if reason.contains("date and time")));
        assert!(matches!(CoreError::from(NetFailure::Connect.into_error(Lang::En)), CoreError::Network { .. }));
    }
}
