//! The exported account and sync API: registration one screen at a time, login and
//! logout, the stored profile, and uploading the outbox. Each method converts its
//! inputs, calls `sync`, and maps errors to [`CoreError`]. All of these block on the
//! network: shells call them off the main thread.

use crate::api::{MimamoriCore, stored};
use crate::error::{CoreError, Error, Result};
use crate::storage::registration::Step;
use crate::storage::{account, outbox, reports};
use crate::sync::account::Attributes;
use crate::sync::client::Api;
use crate::sync::http::Platform;
use crate::sync::{self, account as acct};
use crate::transport::HttpTransport;
use crate::types::{FailedReport, Language, ObservationMethod, ProfileView, RegistrationProgress, RegistrationStep, SyncConfig, SyncStatus};
use protocol::wire::{Observation, Profile};
use protocol::{Lang, Text};
use std::sync::Arc;
use std::time::Duration;

const NO_SERVER: Text = Text {
    ja: "サーバーが設定されていません。記録は端末に保存されています。",
    en: "No server is configured. Your reports are saved on this phone.",
};

/// The shortest and longest time limit `set_request_timeout_ms` accepts.
const TIMEOUT_RANGE_MS: (u64, u64) = (100, 300_000);

#[uniffi::export]
impl MimamoriCore {
    /// Opens (or creates) the local database at `path`, like `open`, and connects the
    /// core to the Mimamori server at `server_url` (`https://…`; plain `http://` only
    /// to this device) through `transport`, the phone's own HTTP stack (Kotlin
    /// `UrlConnectionTransport`, Swift `URLSessionTransport`). The core builds every
    /// request (URL, headers, time limit) and reads every answer; the transport only
    /// moves the bytes. A refused address gives `CoreError::Invalid` with field
    /// `server_url`. Nothing is sent until a method asks for it.
    #[uniffi::constructor]
    pub fn open_with_transport(path: String, server_url: String, transport: Arc<dyn HttpTransport>) -> Result<Arc<Self>, CoreError> {
        let platform = Platform::new(&server_url, transport)?;
        let mut core = MimamoriCore::assemble(&path, Some(platform), None)?;
        core.server_url = Some(crate::sync::http::check_url(&server_url)?);
        Ok(Arc::new(core))
    }

    /// Changes the time limit of each request to the server (default 30 000 ms),
    /// clamped to 100 ms … 300 000 ms; the transport receives it with every request. A
    /// sync may take several times this long, as it retries. No effect on a core opened
    /// without a server.
    pub fn set_request_timeout_ms(&self, timeout_ms: u64) {
        if let Some(api) = &self.api {
            api.set_timeout(Duration::from_millis(timeout_ms.clamp(TIMEOUT_RANGE_MS.0, TIMEOUT_RANGE_MS.1)));
        }
    }

    /// Registration step 2: mails a verification code to `email`. Returns the seconds
    /// the code stays valid. Starts a new registration, forgetting any earlier one.
    pub fn request_code(&self, email: String, lang: Language) -> Result<u64, CoreError> {
        Ok(acct::request_code(self.server(lang.into())?, &self.registration(), &email, lang.into())?)
    }

    /// Registration step 4: the code from the mail.
    pub fn verify_code(&self, code: String, lang: Language) -> Result<(), CoreError> {
        Ok(acct::verify_code(self.server(lang.into())?, &self.registration(), &code, lang.into())?)
    }

    /// Registration step 5: the password (at least 8 characters with at least 3 of
    /// lowercase, uppercase, digit, symbol; the server decides).
    pub fn set_password(&self, password: String, lang: Language) -> Result<(), CoreError> {
        Ok(acct::set_password(self.server(lang.into())?, &self.registration(), &password, lang.into())?)
    }

    /// Registration step 6: name, date of birth (`YYYY-MM-DD`), phone number and the
    /// smartphone input ID from the leaflet. On a match the session starts and the
    /// case's profile is stored (its emergency number becomes the emergency contact).
    /// A mismatch gives `CoreError::Server` with code `registration_mismatch`.
    pub fn submit_attributes(
        &self,
        name: String,
        date_of_birth: String,
        phone: String,
        input_id: String,
        lang: Language,
    ) -> Result<ProfileView, CoreError> {
        let lang: Lang = lang.into();
        let attributes = Attributes { name, date_of_birth, phone, input_id };
        let profile = acct::submit_attributes(self.server(lang)?, &self.registration(), &*self.tokens, &attributes, lang)?;
        Ok(profile_view(&profile))
    }

    /// Where a first registration stands, so that an app closed after the code mail
    /// resumes at the right screen: the step and until when it can be finished. `None`
    /// when none is in progress or it expired (then it is forgotten: request a new code).
    pub fn registration_progress(&self) -> Result<Option<RegistrationProgress>, CoreError> {
        Ok(self.registration().current()?.map(|p| {
            let (step, expires_at) = match p.step {
                Step::Code => (RegistrationStep::EnterCode, p.code_expires_at),
                Step::Password => (RegistrationStep::SetPassword, p.token_expires_at.unwrap_or_default()),
                Step::Attributes => (RegistrationStep::EnterAttributes, p.token_expires_at.unwrap_or_default()),
            };
            RegistrationProgress { step, expires_at, email: p.email }
        }))
    }

    /// Abandons a first registration in progress (its token is deleted); a new one
    /// starts with a new code.
    pub fn cancel_registration(&self) -> Result<(), CoreError> {
        Ok(self.registration().forget()?)
    }

    /// Logs in with e-mail and password, then fetches and stores the profile.
    pub fn login(&self, email: String, password: String, lang: Language) -> Result<ProfileView, CoreError> {
        let lang: Lang = lang.into();
        let profile = acct::login(self.server(lang)?, &self.store, &*self.tokens, &email, &password, lang)?;
        Ok(profile_view(&profile))
    }

    /// Fetches the profile again (kind, observation period, emergency number).
    pub fn refresh_profile(&self, lang: Language) -> Result<ProfileView, CoreError> {
        let lang: Lang = lang.into();
        let profile = acct::refresh_profile(self.server(lang)?, &self.store, &*self.tokens, lang)?;
        Ok(profile_view(&profile))
    }

    /// Logs out: ends the session on the server when it can be reached and always
    /// deletes the token from the keystore. Reports and the emergency contact stay;
    /// household members are unlinked on this phone (adding one again after the next
    /// login links them again).
    pub fn logout(&self, lang: Language) -> Result<(), CoreError> {
        acct::logout(self.api.as_ref(), &*self.tokens, lang.into())?;
        // Another account may sign in on this phone: no member of this one stays linked.
        self.store.write(|tx| crate::storage::household::unlink_all(tx, &sync::now_utc()).map(|_| ()))?;
        Ok(())
    }

    /// Whether a session token is stored (the server may still have ended it).
    pub fn is_logged_in(&self) -> Result<bool, CoreError> {
        Ok(self.tokens.get()?.is_some())
    }

    /// The stored profile, available offline; `None` before the first login.
    pub fn profile(&self) -> Result<Option<ProfileView>, CoreError> {
        Ok(self.store.read(account::profile)?.as_ref().map(profile_view))
    }

    /// Sends every waiting report of the phone's owner, in batches, and returns the
    /// queue's status. One sync runs at a time: a second caller waits for the first to
    /// finish, then runs its own pass. Network failures and server errors are retried
    /// with backoff a bounded number of times; then the error is returned and the
    /// reports stay queued. `Unauthorized` means log in again (the token is deleted,
    /// the reports stay). Reports the server refuses are kept and listed by
    /// `failed_reports`. Saving keeps working while this runs. It runs until it is
    /// done; background work that the phone may stop uses `sync_now_with`.
    pub fn sync_now(&self, lang: Language) -> Result<SyncStatus, CoreError> {
        self.sync_until(&sync::stop::Stop::never(), lang.into())
    }

    /// The upload queue: pending and failed counts, the last success, the last error.
    pub fn sync_status(&self) -> Result<SyncStatus, CoreError> {
        let (pending, failed, meta) = self.store.read(|c| {
            Ok((reports::pending_count(c)?, outbox::failed_count(c)?, account::sync_meta(c)?))
        })?;
        Ok(SyncStatus {
            pending,
            failed,
            last_success_at: meta.last_success_at,
            last_error: meta.last_error.as_deref().and_then(sync::error_kind),
        })
    }

    /// The reports the server refused, oldest first, with its reasons. They are kept.
    pub fn failed_reports(&self) -> Result<Vec<FailedReport>, CoreError> {
        let rows = self.store.read(outbox::failed)?;
        Ok(rows
            .into_iter()
            .map(|f| FailedReport { report: stored(f.report), reason_code: f.reason_code, reason: f.reason_text, failed_at: f.failed_at })
            .collect())
    }

    /// Puts every failed report back in the queue (after the health centre fixed the
    /// observation period, say). Returns how many.
    pub fn retry_failed(&self) -> Result<u64, CoreError> {
        Ok(self.store.write(outbox::requeue_failed)? as u64)
    }

    /// Changes batching and retries (tests use zero delays).
    pub fn set_sync_config(&self, config: SyncConfig) {
        *self.sync_config.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = config;
    }
}

/// The desktop and test constructor: HTTP through the library's own reqwest + rustls
/// stack. The phone apps are built without it (see `open_with_transport`).
#[cfg(feature = "rust-http")]
#[uniffi::export]
impl MimamoriCore {
    /// Opens (or creates) the local database at `path`, like `open`, and connects the
    /// core to the server at `server_url` (`https://…`; plain `http://` only to this
    /// device) through the library's own HTTP stack (reqwest, rustls, Mozilla's roots).
    /// Only in builds with the `rust-http` feature (tests, desktop tools); the apps use
    /// `open_with_transport`.
    #[uniffi::constructor]
    pub fn open_with_server(path: String, server_url: String) -> Result<Arc<Self>, CoreError> {
        let http = crate::transport::RustHttpTransport::new()
            .map_err(|_| Error::Platform("http client could not be built".into()))?;
        MimamoriCore::open_with_transport(path, server_url, http)
    }
}

impl MimamoriCore {
    /// Where a registration in progress is kept.
    fn registration(&self) -> acct::Registration<'_> {
        acct::Registration { store: &self.store, token: &*self.registration_token }
    }

    /// The patient API, or the error that says no server is configured.
    pub(crate) fn server(&self, lang: Lang) -> Result<&Api> {
        self.api.as_ref().ok_or_else(|| Error::Network { class: "no server", message: NO_SERVER.get(lang).to_owned() })
    }
}

fn profile_view(p: &Profile) -> ProfileView {
    ProfileView {
        kind: p.kind.into(),
        observation: match p.observation {
            Observation::App => ObservationMethod::App,
            Observation::Phone => ObservationMethod::Phone,
        },
        period_start: p.period_start.clone(),
        period_end: p.period_end.clone(),
        centre_name: p.centre_name.clone(),
        emergency_number: p.emergency_number.clone(),
    }
}
