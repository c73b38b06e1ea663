//! Secrets: bearer tokens (32 random bytes, kept server-side only as a SHA-256 hash),
//! random digit strings for verification codes and smartphone input IDs, and a wrapper
//! whose `Debug` never shows the value.
//!
//! Randomness comes from `rand::rng()`, a ChaCha12 CSPRNG seeded from the operating
//! system.

use base64::Engine;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};
use std::fmt;

/// A value that must never reach a log. `Debug` prints `[redacted]`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a value.
    pub fn new(value: T) -> Secret<T> {
        Secret(value)
    }

    /// The value, for the one place that needs it.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A fresh bearer token: 32 random bytes, base64url without padding (43 characters).
pub fn new_token() -> Secret<String> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    Secret(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// The server-side form of a token: lowercase hex SHA-256 of its text.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The stored form of a verification code, bound to its request id so a code hash
/// from one request says nothing about another.
pub fn code_hash(request_id: &uuid::Uuid, code: &str) -> String {
    let mut h = Sha256::new();
    h.update(request_id.as_bytes());
    h.update(b":");
    h.update(code.as_bytes());
    hex::encode(h.finalize())
}

/// `len` uniformly random decimal digits (leading zeros allowed).
pub fn random_digits(len: usize) -> Secret<String> {
    let mut rng = rand::rng();
    Secret((0..len).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect())
}

/// Compares two strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.expose().len(), 43);
        assert_ne!(a, b);
        assert_eq!(token_hash(a.expose()).len(), 64);
        assert_ne!(token_hash(a.expose()), *a.expose());
        assert_eq!(format!("{a:?}"), "[redacted]");
    }

    #[test]
    fn digits_are_digits() {
        for _ in 0..100 {
            let d = random_digits(7);
            assert_eq!(d.expose().len(), 7);
            assert!(d.expose().bytes().all(|b| b.is_ascii_digit()));
        }
        assert!(constant_time_eq("123456", "123456"));
        assert!(!constant_time_eq("123456", "123457"));
        assert!(!constant_time_eq("12345", "123456"));
    }
}
