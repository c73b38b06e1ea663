//! Passwords: Argon2id hashing at or above OWASP's parameters, and the registration
//! guide's strength rule (kept in `protocol::password`) as the API's refusal.

use crate::error::{ApiError, Error, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
pub use protocol::password::Weakness;

/// Argon2id cost. The default is OWASP's recommendation: 19 MiB, 2 passes, 1 lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashCost {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl HashCost {
    /// OWASP's minimum for Argon2id (m=19456 KiB, t=2, p=1), the production setting.
    pub const OWASP: HashCost = HashCost { m_kib: 19_456, t: 2, p: 1 };

    /// A cheap cost for test suites only, so hundreds of hashes stay fast in debug
    /// builds. Never used by the server binary.
    pub const TEST_ONLY: HashCost = HashCost { m_kib: 64, t: 1, p: 1 };

    fn argon2(self) -> Result<Argon2<'static>> {
        let params = Params::new(self.m_kib, self.t, self.p, None).map_err(|e| Error::Internal(format!("argon2 params: {e}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl Default for HashCost {
    fn default() -> HashCost {
        HashCost::OWASP
    }
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=…`). CPU-heavy: call from
/// a blocking thread (see [`hash_async`]).
pub fn hash(password: &str, cost: HashCost) -> Result<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    cost.argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("argon2 hash: {e}")))
}

/// Checks a password against a PHC string; the cost is read from the string.
pub fn verify(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// [`hash`] on a blocking thread.
pub async fn hash_async(password: String, cost: HashCost) -> Result<String> {
    tokio::task::spawn_blocking(move || hash(&password, cost))
        .await
        .map_err(|e| Error::Internal(format!("hash task: {e}")))?
}

/// [`verify`] on a blocking thread. With no stored hash it still spends the time of one
/// verification, so a missing account cannot be told apart by timing.
pub async fn verify_async(password: String, phc: Option<String>, cost: HashCost) -> Result<bool> {
    tokio::task::spawn_blocking(move || match phc {
        Some(phc) => Ok(verify(&password, &phc)),
        None => hash(&password, cost).map(|_| false),
    })
    .await
    .map_err(|e| Error::Internal(format!("verify task: {e}")))?
}

/// The public answer for a refused password: the rule's code and wording.
pub fn weakness_error(w: Weakness) -> ApiError {
    let t = w.text();
    ApiError::bad_request(w.code(), t.ja, t.en)
}

/// Checks the guide's rule (one copy, in `protocol`).
pub fn check_strength(password: &str, email: &str) -> Result<(), Weakness> {
    protocol::password::check_password(password, email)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_cost_is_at_least_owasp() {
        let c = HashCost::default();
        assert!(c.m_kib >= 19_456 && c.t >= 2 && c.p >= 1);
        let phc = hash("Correct-Horse-9", HashCost::OWASP).expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("Correct-Horse-9", &phc));
        assert!(!verify("Correct-Horse-8", &phc));
        assert!(!verify("x", "not a phc string"));
    }
}
