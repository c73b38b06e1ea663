//! Which certificate authorities the server trusts when it is the client: the SMTP relay
//! and PostgreSQL over TLS use the same list. The base is the public web roots
//! (webpki-roots, the default) or the system's store; a PEM file of extra authorities
//! (a deployment's private CA, as government and hospital networks use) is added to it.

use crate::error::{Error, Result};
use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::path::PathBuf;
use std::sync::Arc;

/// The base set of trusted authorities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RootSet {
    /// The public web roots compiled into the server (webpki-roots).
    #[default]
    Public,
    /// The operating system's store (`/etc/ssl/certs` and the like).
    System,
}

impl RootSet {
    /// `public` or `system`.
    pub fn parse(s: &str) -> Option<RootSet> {
        match s {
            "public" => Some(RootSet::Public),
            "system" => Some(RootSet::System),
            _ => None,
        }
    }

    /// The setting's value.
    pub fn name(self) -> &'static str {
        match self {
            RootSet::Public => "public",
            RootSet::System => "system",
        }
    }
}

/// The trust settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustConfig {
    /// The base set.
    pub roots: RootSet,
    /// A PEM file of extra authorities.
    pub extra_ca_file: Option<PathBuf>,
}

/// The loaded trust: the base set and the extra authorities, checked once at start-up.
#[derive(Clone)]
pub struct Trust {
    roots: RootSet,
    system: Arc<Vec<CertificateDer<'static>>>,
    extra: Arc<Vec<CertificateDer<'static>>>,
}

impl std::fmt::Debug for Trust {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Trust({}, {} extra)", self.roots.name(), self.extra.len())
    }
}

impl Default for Trust {
    fn default() -> Trust {
        Trust { roots: RootSet::Public, system: Arc::default(), extra: Arc::default() }
    }
}

impl Trust {
    /// Reads the extra authorities (every certificate of the PEM file must parse, and
    /// there must be at least one) and, when asked, the system's store.
    pub fn load(config: &TrustConfig) -> Result<Trust> {
        let extra = match &config.extra_ca_file {
            None => Vec::new(),
            Some(path) => {
                let shown = path.display();
                let bytes = std::fs::read(path).map_err(|e| Error::Internal(format!("extra-ca-file {shown}: cannot be read ({})", e.kind())))?;
                let certs = CertificateDer::pem_slice_iter(&bytes)
                    .collect::<std::result::Result<Vec<_>, _>>()
                    .map_err(|e| Error::Internal(format!("extra-ca-file {shown}: not PEM certificates ({e})")))?;
                if certs.is_empty() {
                    return Err(Error::Internal(format!("extra-ca-file {shown}: holds no certificate")));
                }
                let mut store = RootCertStore::empty();
                for (i, c) in certs.iter().enumerate() {
                    store.add(c.clone()).map_err(|e| Error::Internal(format!("extra-ca-file {shown}: certificate {} is not a usable authority ({e})", i + 1)))?;
                }
                certs
            }
        };
        let system = match config.roots {
            RootSet::Public => Vec::new(),
            RootSet::System => {
                let found = rustls_native_certs::load_native_certs();
                if found.certs.is_empty() {
                    return Err(Error::Internal("trusted-roots = system: the system's certificate store is empty or unreadable".into()));
                }
                found.certs
            }
        };
        Ok(Trust { roots: config.roots, system: Arc::new(system), extra: Arc::new(extra) })
    }

    /// How many extra authorities were loaded.
    pub fn extra_count(&self) -> usize {
        self.extra.len()
    }

    /// A one-line description for the start-up output.
    pub fn describe(&self) -> String {
        match self.roots {
            RootSet::Public => format!("public web roots + {} extra authorities", self.extra.len()),
            RootSet::System => format!("system store ({} certificates) + {} extra authorities", self.system.len(), self.extra.len()),
        }
    }

    /// The rustls root store.
    pub fn root_store(&self) -> RootCertStore {
        let mut store = match self.roots {
            RootSet::Public => RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() },
            RootSet::System => {
                let mut s = RootCertStore::empty();
                s.add_parsable_certificates(self.system.iter().cloned());
                s
            }
        };
        store.add_parsable_certificates(self.extra.iter().cloned());
        store
    }

    /// A rustls client configuration (ring, TLS 1.2 and 1.3) verifying against this trust.
    pub fn client_config(&self) -> Result<rustls::ClientConfig> {
        Ok(rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Internal(format!("tls: {e}")))?
            .with_root_certificates(self.root_store())
            .with_no_client_auth())
    }

    /// TLS parameters for the SMTP client, checking certificates for `domain`.
    pub fn smtp_parameters(&self, domain: &str) -> Result<lettre::transport::smtp::client::TlsParameters> {
        use lettre::transport::smtp::client::{Certificate, CertificateStore, TlsParameters};
        let mut b = TlsParameters::builder(domain.to_owned());
        b = match self.roots {
            RootSet::Public => b.certificate_store(CertificateStore::WebpkiRoots),
            RootSet::System => b.certificate_store(CertificateStore::None),
        };
        for der in self.system.iter().chain(self.extra.iter()) {
            if let Ok(c) = Certificate::from_der(der.to_vec()) {
                b = b.add_root_certificate(c);
            }
        }
        b.build_rustls().map_err(|e| Error::Mail(format!("smtp tls parameters: {e}")))
    }
}

/// Why a TLS handshake failed, in words for the log (never holding an address or a
/// code): found in an error's chain of sources.
pub fn handshake_failure(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cur = Some(e);
    while let Some(err) = cur {
        if let Some(r) = err.downcast_ref::<rustls::Error>() {
            return Some(describe_rustls(r));
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
            && let Some(r) = inner.downcast_ref::<rustls::Error>()
        {
            return Some(describe_rustls(r));
        }
        cur = err.source();
    }
    None
}

fn describe_rustls(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => {
            let check = match c {
                C::UnknownIssuer => "not issued by a trusted authority (unknown issuer; set extra-ca-file to the authority's PEM file)".to_owned(),
                C::NotValidForName | C::NotValidForNameContext { .. } => "not valid for the host name".to_owned(),
                C::Expired | C::ExpiredContext { .. } => "expired".to_owned(),
                C::NotValidYet | C::NotValidYetContext { .. } => "not valid yet".to_owned(),
                C::Revoked => "revoked".to_owned(),
                C::BadSignature => "bad signature".to_owned(),
                other => format!("{other:?}"),
            };
            format!("TLS handshake failed: server certificate {check}")
        }
        other => format!("TLS handshake failed: {other}"),
    }
}
