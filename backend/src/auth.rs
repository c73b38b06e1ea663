//! Request extractors: the bearer session of a staff member or a patient, the client
//! address used for throttling, and the request language.
//!
//! A [`StaffAuth`] carries the only [`CentreScope`] a handler can get, so every query
//! about cases runs for the staff member's own centre.

use crate::db::{CentreScope, Principal, Role};
use crate::error::ApiError;
use crate::secret::token_hash;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::{HeaderMap, header, request::Parts};
use protocol::Lang;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The bearer token of a request, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && token.len() <= 256).then_some(token)
}

/// An authenticated health-centre staff member.
#[derive(Debug, Clone, Copy)]
pub struct StaffAuth {
    /// Staff id.
    pub staff_id: i64,
    /// Their centre; the scope of every case query.
    pub scope: CentreScope,
    /// Their role.
    pub role: Role,
}

/// An authenticated patient.
#[derive(Debug, Clone, Copy)]
pub struct PatientAuth {
    /// Patient id.
    pub patient_id: i64,
    /// Their case.
    pub case_id: i64,
}

async fn principal(parts: &Parts, state: &AppState) -> Result<Principal, ApiError> {
    let token = bearer(&parts.headers).ok_or_else(ApiError::unauthorized)?;
    state.db.session(&token_hash(token), state.clock.now()).await?.ok_or_else(ApiError::unauthorized)
}

impl FromRequestParts<AppState> for StaffAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<StaffAuth, ApiError> {
        match principal(parts, state).await? {
            Principal::Staff { staff_id, scope, role } => Ok(StaffAuth { staff_id, scope, role }),
            Principal::Patient { .. } => Err(ApiError::forbidden()),
        }
    }
}

impl FromRequestParts<AppState> for PatientAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<PatientAuth, ApiError> {
        match principal(parts, state).await? {
            Principal::Patient { patient_id, case_id } => Ok(PatientAuth { patient_id, case_id }),
            Principal::Staff { .. } => Err(ApiError::forbidden()),
        }
    }
}

/// The client's address: the TCP peer, or — when the peer is one of the configured
/// trusted proxies — the address that proxy added to `X-Forwarded-For`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// The client behind `peer`. Proxies append the address they received from to
/// `X-Forwarded-For`, so the list is read from the right: past every trusted proxy,
/// the first other address is the one a trusted proxy vouched for. Whatever a client
/// wrote into the header itself stands further left and is never reached. A peer that
/// is not a trusted proxy is the client, whatever the header says; an unreadable entry
/// stops the walk at the last trusted hop.
pub fn client_of(peer: IpAddr, forwarded_for: Option<&str>, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut client = peer;
    for entry in forwarded_for.unwrap_or("").rsplit(',') {
        let Ok(hop) = entry.trim().parse::<IpAddr>() else { break };
        client = hop;
        if !trusted.contains(&hop) {
            break;
        }
    }
    client
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ClientAddr, ApiError> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        // Several headers are joined, in order, as one list.
        let joined: Vec<&str> = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
        let forwarded = (!joined.is_empty()).then(|| joined.join(","));
        Ok(ClientAddr(client_of(peer, forwarded.as_deref(), &state.config.trusted_proxies)))
    }
}

#[cfg(test)]
mod client_tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn only_what_a_trusted_proxy_added_counts() {
        let proxy = [ip("10.0.0.2")];
        // Straight from the client: the header is the client's own words.
        assert_eq!(client_of(ip("203.0.113.9"), Some("198.51.100.1"), &proxy), ip("203.0.113.9"));
        // Through the proxy, which appended the client's real address.
        assert_eq!(client_of(ip("10.0.0.2"), Some("198.51.100.1, 203.0.113.9"), &proxy), ip("203.0.113.9"));
        assert_eq!(client_of(ip("10.0.0.2"), Some("203.0.113.9"), &proxy), ip("203.0.113.9"));
        // Two trusted proxies in a row.
        let two = [ip("10.0.0.2"), ip("10.0.0.3")];
        assert_eq!(client_of(ip("10.0.0.2"), Some("1.1.1.1, 203.0.113.9, 10.0.0.3"), &two), ip("203.0.113.9"));
        // No header, or garbage where the proxy's entry should be: the proxy itself.
        assert_eq!(client_of(ip("10.0.0.2"), None, &proxy), ip("10.0.0.2"));
        assert_eq!(client_of(ip("10.0.0.2"), Some("1.1.1.1, not-an-ip"), &proxy), ip("10.0.0.2"));
        // Nothing trusted: the peer, always.
        assert_eq!(client_of(ip("10.0.0.2"), Some("203.0.113.9"), &[]), ip("10.0.0.2"));
    }
}

/// The language of the answer, from `Accept-Language` (Japanese unless English is
/// preferred).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReqLang(pub Lang);

/// Picks Japanese or English from an `Accept-Language` value by quality; Japanese when
/// neither is named.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    let Some(value) = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) else {
        return Lang::Ja;
    };
    let mut best: Option<(f32, Lang)> = None;
    for part in value.split(',') {
        let mut it = part.split(';');
        let tag = it.next().unwrap_or("").trim();
        let q = it
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        let lang = match primary.as_str() {
            "ja" => Lang::Ja,
            "en" => Lang::En,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::Ja, |(_, l)| l)
}

impl<S: Send + Sync> FromRequestParts<S> for ReqLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ReqLang, Self::Rejection> {
        Ok(ReqLang(lang_of(&parts.headers)))
    }
}

/// Opens a session for `owner`: a fresh random token for the client, its SHA-256 in
/// the database. Returns the token and its expiry.
pub async fn issue_session(
    state: &AppState,
    owner: crate::db::SessionOwner,
    ttl: std::time::Duration,
) -> Result<(crate::secret::Secret<String>, chrono::DateTime<chrono::Utc>), ApiError> {
    let token = crate::secret::new_token();
    let now = state.clock.now();
    let expires = now + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::hours(1));
    state.db.create_session(&token_hash(token.expose()), owner, now, expires).await?;
    Ok((token, expires))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn lang(v: &str) -> Lang {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_str(v).expect("header"));
        lang_of(&h)
    }

    #[test]
    fn accept_language_prefers_by_quality_and_defaults_to_japanese() {
        assert_eq!(lang_of(&HeaderMap::new()), Lang::Ja);
        assert_eq!(lang("en"), Lang::En);
        assert_eq!(lang("en-GB,en;q=0.9"), Lang::En);
        assert_eq!(lang("fr, en;q=0.5"), Lang::En);
        assert_eq!(lang("ja;q=0.4, en;q=0.8"), Lang::En);
        assert_eq!(lang("en;q=0.4, ja;q=0.8"), Lang::Ja);
        assert_eq!(lang("fr, de"), Lang::Ja);
        assert_eq!(lang("en;q=0"), Lang::Ja);
    }

    #[test]
    fn bearer_tokens() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer abc"));
        assert_eq!(bearer(&h), Some("abc"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
    }
}
