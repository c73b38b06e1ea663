//! Passwords: the registration guide's strength rule (at least 8 characters with at
//! least 3 of lowercase, uppercase, digit, symbol), a refusal list of very common
//! passwords, and Argon2id hashing at or above OWASP's parameters.

use crate::error::{ApiError, Error, Result};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

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

/// Very common passwords and the words they are built on. A candidate is refused when
/// it equals one of them, or when its letters (after undoing common substitutions such
/// as `@`→`a`, `0`→`o`) with digits and symbols stripped from both ends are one of them.
const COMMON: &[&str] = &[
    "password", "passw0rd", "p@ssw0rd", "password1", "password123", "qwerty", "qwertyuiop", "qwerty123", "asdfgh",
    "asdfghjkl", "zxcvbn", "zxcvbnm", "letmein", "welcome", "welcome1", "admin", "administrator", "login", "iloveyou",
    "monkey", "dragon", "master", "sunshine", "princess", "football", "baseball", "soccer", "superman", "batman",
    "trustno", "shadow", "michael", "jennifer", "abc", "abcd", "abcdef", "abcdefg", "abcdefgh", "abcabc", "changeme",
    "secret", "starwars", "whatever", "freedom", "hello", "helloworld", "charlie", "donald", "access", "flower",
    "loveme", "lovely", "mustang", "ninja", "pokemon", "naruto", "doraemon", "pikachu", "tokyo", "japan", "nippon",
    "sakura", "osaka", "kyoto", "yokohama", "hokkaido", "qazwsx", "qwer", "asdf", "zaq", "zaqxsw", "test", "testtest",
    "guest", "user", "root", "default", "corona", "covid", "mimamori", "hokenjo", "health", "summer", "winter",
    "spring", "autumn", "january", "february", "december", "monday", "friday", "computer", "internet", "google",
    "apple", "samsung", "iphone", "android", "samurai", "ninja", "ramen", "sushi", "hanako", "taro", "yamada",
];

/// Why a password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    /// Shorter than 8 characters (or absurdly long).
    Length,
    /// Fewer than 3 of lowercase, uppercase, digit, symbol.
    Classes,
    /// On the list of very common passwords, or built on the e-mail address.
    Common,
}

impl Weakness {
    /// The public answer for this weakness.
    pub fn api_error(self) -> ApiError {
        match self {
            Weakness::Length | Weakness::Classes => ApiError::bad_request(
                "weak_password",
                "パスワードは8文字以上で、英小文字・英大文字・数字・記号のうち3種類以上を含めてください。",
                "Use at least 8 characters with at least 3 of: lowercase, uppercase, digit, symbol.",
            ),
            Weakness::Common => ApiError::bad_request(
                "common_password",
                "このパスワードはよく使われていて推測されやすいため使えません。別のパスワードを設定してください。",
                "This password is too common and easy to guess. Please choose another one.",
            ),
        }
    }
}

/// Checks the strength rule and the common-password list. `email` is the account's
/// address: a password built on its local part is refused too.
pub fn check_strength(password: &str, email: &str) -> Result<(), Weakness> {
    let len = password.chars().count();
    if !(8..=128).contains(&len) {
        return Err(Weakness::Length);
    }
    let lower = password.chars().any(|c| c.is_ascii_lowercase());
    let upper = password.chars().any(|c| c.is_ascii_uppercase());
    let digit = password.chars().any(|c| c.is_ascii_digit());
    let symbol = password.chars().any(|c| !c.is_ascii_alphanumeric());
    if [lower, upper, digit, symbol].into_iter().filter(|&b| b).count() < 3 {
        return Err(Weakness::Classes);
    }
    let lowered = password.to_lowercase();
    let cores = core_words(&lowered);
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    let built_on_email = local.len() >= 4 && (lowered.contains(&local) || cores.contains(&local));
    let weak_core = |c: &String| COMMON.contains(&c.as_str()) || repetitive(c);
    if COMMON.contains(&lowered.as_str()) || cores.iter().any(weak_core) || built_on_email {
        return Err(Weakness::Common);
    }
    Ok(())
}

/// The letters of a password with common substitutions undone and digits and symbols
/// stripped from both ends, in two orders: `P@ssw0rd123!` → `password`.
fn core_words(lowered: &str) -> [String; 2] {
    let undo = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '@' | '4' => 'a',
                '0' => 'o',
                '1' | '!' | '|' => 'i',
                '3' => 'e',
                '$' | '5' => 's',
                '7' => 't',
                other => other,
            })
            .collect()
    };
    let not_alpha = |c: char| !c.is_ascii_alphabetic();
    let undone_then_trimmed = undo(lowered).trim_matches(not_alpha).to_owned();
    let trimmed_then_undone = undo(lowered.trim_matches(not_alpha));
    [undone_then_trimmed, trimmed_then_undone]
}

/// One character or a short pattern repeated (`aaaaaaa`, `abababab`).
fn repetitive(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && (1..=2).any(|n| b.len() > n && b.iter().enumerate().all(|(i, c)| *c == b[i % n]))
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

    #[test]
    fn strength_rule_of_the_guide() {
        assert_eq!(check_strength("Ab1!", "a@b.jp"), Err(Weakness::Length));
        assert_eq!(check_strength("abcdefgh1", "a@b.jp"), Err(Weakness::Classes));
        assert_eq!(check_strength("ABCDEFGH", "a@b.jp"), Err(Weakness::Classes));
        assert_eq!(check_strength("Kumo-no-ue9", "a@b.jp"), Ok(()));
        assert_eq!(check_strength("kumonoue9!", "a@b.jp"), Ok(()));
        assert_eq!(check_strength("Tsuki9Hoshi", "a@b.jp"), Ok(()));
    }

    #[test]
    fn common_passwords_are_refused() {
        for p in ["Password1!", "P@ssw0rd", "P@ssw0rd123", "Qwerty123!", "Letmein99!", "Welcome1!", "Admin123!", "Aaaaaaaa1!"] {
            assert_eq!(check_strength(p, "a@b.jp"), Err(Weakness::Common), "{p}");
        }
        assert_eq!(check_strength("Hanako.Sato1", "hanako.sato@example.jp"), Err(Weakness::Common));
    }
}
