//! Errors: an internal [`Error`] for the core's own code and the small public
//! [`CoreError`] that crosses the FFI. The one conversion point is `From<Error>`.
//!
//! No error carries personal data: validation errors name the field and a localised
//! message, never the value typed; storage errors carry SQLite's error class only;
//! server errors carry the server's stable code and its localised text; network errors
//! name the failure's class, never a URL, a header or a body.

/// Internal error of the core.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("invalid {field}")]
    Invalid { field: String, message: String },
    #[error("database is unreadable or corrupt")]
    Corrupt,
    #[error("database was written by a newer version of the app (schema {0})")]
    TooNew(i64),
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The server refused or failed with an HTTP status and its error body.
    #[error("server answered {status} ({code})")]
    Server { status: u16, code: String, message: String },
    /// Too many attempts: the server asked to wait.
    #[error("throttled for {retry_after}s")]
    Throttled { retry_after: u64, message: String },
    /// The session token is missing or the server rejected it (it has been cleared).
    #[error("not logged in")]
    Unauthorized { message: String },
    /// The server could not be reached or the connection broke; `class` is technical.
    #[error("network: {class}")]
    Network { class: &'static str, message: String },
    /// A platform service failed; the text names the class only.
    #[error("platform: {0}")]
    Platform(String),
    /// The platform keystore could not be used (not set up, or failed); class only.
    #[error("keystore: {0}")]
    Keystore(String),
    /// The sync was cancelled or reached its deadline; what is not sent stays queued.
    #[error("sync stopped")]
    Cancelled { message: String },
}

impl Error {
    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Invalid { field: field.into(), message: message.into() }
    }
}

/// An error the app's screens act on.
#[derive(Debug, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum CoreError {
    /// An input was refused; nothing was saved. `field` names the input
    /// (`temperature`, `answers.breathlessness`, `local_date`, …) and `reason` says
    /// what to do, in the language the call asked for.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// Which input was refused.
        field: String,
        /// What to tell the person.
        reason: String,
    },
    /// The database file cannot be read: it is damaged or is not a database. The file
    /// is left untouched so that it can be recovered; the app must not delete it.
    #[error("the local database is unreadable or corrupt")]
    Corrupt,
    /// Saving or reading failed (disk full, file locked, newer schema, keystore…);
    /// nothing was changed. `detail` is a technical description without personal data.
    #[error("storage error: {detail}")]
    Storage {
        /// Technical description, for logs and support.
        detail: String,
    },
    /// The server refused the request (a wrong code, a weak password, attributes that
    /// do not match, a failed login…) or failed. `code` is the server's stable code
    /// (`wrong_code`, `registration_mismatch`, `login_failed`, `unavailable`, …) and
    /// `reason` the text to show, in the language the call asked for.
    #[error("server refused: {code}")]
    Server {
        /// The server's stable error code.
        code: String,
        /// What to tell the person.
        reason: String,
    },
    /// Too many attempts: wait `retry_after_seconds` before trying again.
    #[error("too many attempts; retry after {retry_after_seconds}s")]
    Throttled {
        /// Seconds to wait.
        retry_after_seconds: u64,
        /// What to tell the person.
        reason: String,
    },
    /// There is no session, or the server no longer accepts it: show the login screen.
    /// Every report on the phone is kept and is sent after the next login.
    #[error("login required")]
    Unauthorized {
        /// What to tell the person.
        reason: String,
    },
    /// The server could not be reached (no network, timeout, connection lost). Reports
    /// stay queued; try again later.
    #[error("network unavailable")]
    Network {
        /// What to tell the person.
        reason: String,
    },
    /// The secure connection to the server could not be set up (its certificate is not
    /// trusted or not valid now — often the phone's date is wrong — or the network
    /// intercepts it). Reports stay queued; `reason` says what to check.
    #[error("secure connection failed")]
    SecureConnection {
        /// What to tell the person.
        reason: String,
    },
    /// The database file was written by a newer version of the app: ask the person to
    /// update the app. The file is left exactly as it is.
    #[error("the local database is from a newer version of the app")]
    NewerData,
    /// The server no longer accepts this version of the app (426 `update_required`):
    /// ask the person to update it. Every report stays on the phone.
    #[error("the server needs a newer app")]
    UpdateRequired {
        /// What to tell the person.
        reason: String,
    },
    /// The phone's secure storage (the Keychain, the Android Keystore) could not keep
    /// the session: on Android, the app did not call `Keyring.initializeNdkContext`
    /// at start-up, or the keystore failed. Reports are safe; signing in cannot be
    /// kept until it works. `detail` names the failure's class only.
    #[error("keystore unavailable: {detail}")]
    Keystore {
        /// Technical class, for logs and support.
        detail: String,
    },
    /// The sync stopped before the queue was empty because its `SyncCancel` was
    /// cancelled or its time limit passed (the phone stopped the background work).
    /// Nothing is lost: what the server committed is recorded, everything else stays
    /// queued for the next sync. Not an error to show as a failure; try again later.
    #[error("sync stopped before it finished")]
    Cancelled {
        /// What to tell the person, if anything is shown.
        reason: String,
    },
}

impl From<Error> for CoreError {
    fn from(e: Error) -> CoreError {
        match e {
            Error::Invalid { field, message } => CoreError::Invalid { field, reason: message },
            Error::Corrupt => CoreError::Corrupt,
            Error::Sqlite(ref s) if is_corruption(s) => CoreError::Corrupt,
            Error::Throttled { retry_after, message } => CoreError::Throttled { retry_after_seconds: retry_after, reason: message },
            Error::Unauthorized { message } => CoreError::Unauthorized { reason: message },
            Error::Network { class: crate::sync::http::TLS_CLASS, message } => CoreError::SecureConnection { reason: message },
            Error::Network { message, .. } => CoreError::Network { reason: message },
            Error::Server { status: 426, message, .. } => CoreError::UpdateRequired { reason: message },
            Error::Server { code, message, .. } => CoreError::Server { code, reason: message },
            Error::TooNew(_) => CoreError::NewerData,
            Error::Keystore(detail) => CoreError::Keystore { detail },
            Error::Cancelled { message } => CoreError::Cancelled { reason: message },
            other => CoreError::Storage { detail: storage_detail(&other) },
        }
    }
}

/// Whether SQLite says the file is damaged or not a database at all.
pub(crate) fn is_corruption(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
    matches!(e.sqlite_error_code(), Some(DatabaseCorrupt | NotADatabase))
}

/// A description of a storage failure that names the failure's class only: SQLite's
/// messages can quote values, so only the error code is kept.
fn storage_detail(e: &Error) -> String {
    match e {
        Error::Sqlite(s) => match s.sqlite_error_code() {
            Some(code) => format!("sqlite error: {code:?}"),
            None => "sqlite error".to_owned(),
        },
        other => other.to_string(),
    }
}

pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_errors_do_not_quote_sqlite_messages() {
        let e = Error::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT),
            Some("UNIQUE constraint failed: secret value 38.5".into()),
        ));
        let public = CoreError::from(e);
        assert!(matches!(&public, CoreError::Storage { detail } if !detail.contains("38.5")));
        let corrupt = Error::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
            None,
        ));
        assert_eq!(CoreError::from(corrupt), CoreError::Corrupt);
    }
}
