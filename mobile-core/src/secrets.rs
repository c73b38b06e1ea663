//! The session token, kept in the platform keystore through keyring-core and never in
//! SQLite or a log: the Keychain on iOS (`apple-native-keyring-store`, protected data
//! store, items readable after the first unlock so background sync works), the Android Keystore on Android (`android-native-keyring-store`, which needs
//! the ndk-context initialised by the app at start-up), and keyring-core's in-memory
//! mock store everywhere else (tests and desktop tools: the token lasts as long as the
//! process). The store is chosen once per process, on first use, so opening the
//! database and working offline never touch the keystore.

use crate::error::{Error, Result};
use keyring_core::{Entry, Error as KeyringError};
use std::sync::OnceLock;

/// The keystore service under which tokens are filed.
const SERVICE: &str = "jp.mimamori.session";

/// A secret string whose `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(s: String) -> Secret {
        Secret(s)
    }

    /// The secret itself, for the one place that sends it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Where the session token is kept.
pub(crate) trait TokenStore: Send + Sync {
    /// The stored token, if any.
    fn get(&self) -> Result<Option<Secret>>;
    /// Stores (or replaces) the token.
    fn set(&self, token: &Secret) -> Result<()>;
    /// Forgets the token; forgetting a missing token is fine.
    fn delete(&self) -> Result<()>;
}

/// The token of one installation in the platform keystore, filed under its install id.
pub(crate) struct KeystoreToken {
    account: String,
}

impl KeystoreToken {
    pub(crate) fn new(install_id: String) -> KeystoreToken {
        KeystoreToken { account: install_id }
    }

    fn entry(&self) -> Result<Entry> {
        init_store()?;
        entry(&self.account).map_err(keystore_error)
    }
}

impl TokenStore for KeystoreToken {
    fn get(&self) -> Result<Option<Secret>> {
        match self.entry()?.get_password() {
            Ok(t) => Ok(Some(Secret(t))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(e) => Err(keystore_error(e)),
        }
    }

    fn set(&self, token: &Secret) -> Result<()> {
        self.entry()?.set_password(&token.0).map_err(keystore_error)
    }

    fn delete(&self) -> Result<()> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(e) => Err(keystore_error(e)),
        }
    }
}

/// The keystore error's class only: keyring errors can quote attributes.
fn keystore_error(e: KeyringError) -> Error {
    let class = match e {
        KeyringError::PlatformFailure(_) => "platform failure",
        KeyringError::NoStorageAccess(_) => "no storage access",
        KeyringError::NoEntry => "no entry",
        KeyringError::BadEncoding(_) => "bad encoding",
        KeyringError::TooLong(..) => "too long",
        KeyringError::Invalid(..) => "invalid",
        KeyringError::Ambiguous(_) => "ambiguous",
        KeyringError::NoDefaultStore => "no default store",
        KeyringError::NotSupportedByStore(_) => "not supported",
        _ => "other",
    };
    Error::Keystore(class.to_owned())
}

/// Sets the process's default credential store once. A store already set by the host
/// (a test or a desktop tool) is kept.
fn init_store() -> Result<()> {
    static INIT: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    INIT.get_or_init(|| {
        if keyring_core::get_default_store().is_some() {
            return Ok(());
        }
        make_store(platform_store).map(keyring_core::set_default_store)
    })
    .clone()
    .map_err(Error::Keystore)
}

/// Builds the platform store, turning a failure into its class and a panic into an
/// error too: the Android store panics (in `ndk-context`) when the app did not call
/// `Keyring.initializeNdkContext` at start-up, and no panic may reach a shell.
fn make_store<S>(build: impl FnOnce() -> keyring_core::Result<S>) -> std::result::Result<S, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(build)) {
        Ok(Ok(store)) => Ok(store),
        Ok(Err(e)) => Err(match keystore_error(e) {
            Error::Keystore(class) => class,
            other => other.to_string(),
        }),
        Err(_) => Err("not initialised: call Keyring.initializeNdkContext(context) at start-up".to_owned()),
    }
}

/// The Keychain accessibility of the token on iOS: readable after the phone's first
/// unlock since start-up, so a background refresh syncs while the screen is locked, and
/// kept on this device, so the token never travels in a backup to another phone.
/// Elsewhere the store's default applies.
const ENTRY_ACCESS_POLICY: Option<&str> = if cfg!(target_os = "ios") { Some("AfterFirstUnlockThisDeviceOnly") } else { None };

/// The keystore entry of `account`.
fn entry(account: &str) -> keyring_core::Result<Entry> {
    match ENTRY_ACCESS_POLICY {
        Some(policy) => Entry::new_with_modifiers(SERVICE, account, &std::collections::HashMap::from([("access-policy", policy)])),
        None => Entry::new(SERVICE, account),
    }
}

#[cfg(target_os = "ios")]
fn platform_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    let store: std::sync::Arc<keyring_core::CredentialStore> = apple_native_keyring_store::protected::Store::new()?;
    Ok(store)
}

#[cfg(target_os = "android")]
fn platform_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    let store: std::sync::Arc<keyring_core::CredentialStore> = android_native_keyring_store::Store::new()?;
    Ok(store)
}

#[cfg(not(any(target_os = "ios", target_os = "android")))]
fn platform_store() -> keyring_core::Result<std::sync::Arc<keyring_core::CredentialStore>> {
    let store: std::sync::Arc<keyring_core::CredentialStore> = keyring_core::mock::Store::new()?;
    Ok(store)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::Mutex;

    /// An in-memory token store for unit tests.
    #[derive(Default)]
    pub(crate) struct MemoryToken(pub Mutex<Option<Secret>>);

    impl TokenStore for MemoryToken {
        fn get(&self) -> Result<Option<Secret>> {
            Ok(self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone())
        }
        fn set(&self, token: &Secret) -> Result<()> {
            *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(token.clone());
            Ok(())
        }
        fn delete(&self) -> Result<()> {
            *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
            Ok(())
        }
    }

    #[test]
    fn a_keystore_that_panics_or_fails_while_being_set_up_is_an_error_not_a_crash() {
        // As the Android store does when the app did not initialise the NDK context.
        let panicked = make_store(|| -> keyring_core::Result<()> { panic!("android context was not initialized") });
        assert_eq!(panicked, Err("not initialised: call Keyring.initializeNdkContext(context) at start-up".to_owned()));
        let failed = make_store(|| -> keyring_core::Result<()> { Err(KeyringError::NoStorageAccess(Box::new(std::io::Error::other("locked")))) });
        assert_eq!(failed, Err("no storage access".to_owned()));
        let public = crate::error::CoreError::from(Error::Keystore(panicked.unwrap_err()));
        assert!(matches!(public, crate::error::CoreError::Keystore { ref detail } if detail.contains("initializeNdkContext")));
        assert_eq!(make_store(|| Ok(7)), Ok(7));
    }

    #[test]
    fn tokens_are_kept_per_installation_and_never_printed() {
        let a = KeystoreToken::new("install-a".into());
        let b = KeystoreToken::new("install-b".into());
        a.delete().expect("delete missing is fine");
        assert_eq!(a.get().expect("get"), None);
        a.set(&Secret::new("tok-a".into())).expect("set");
        assert_eq!(a.get().expect("get").map(|s| s.expose().to_owned()), Some("tok-a".into()));
        assert_eq!(b.get().expect("get"), None, "another installation has its own entry");
        assert_eq!(format!("{:?}", a.get().expect("get")), "Some(Secret(…))");
        a.delete().expect("delete");
        assert_eq!(a.get().expect("get"), None);
    }
}
