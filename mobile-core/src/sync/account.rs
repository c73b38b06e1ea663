//! The account: first registration one screen at a time (code → verify → password →
//! attributes), login and logout. A registration in progress survives an app restart:
//! its request id and step are in the database, its short-lived registration token in
//! the keystore. The session token goes to the keystore; the case's profile goes to
//! the database, its emergency number also as the emergency contact.

use super::client::Api;
use super::now_utc;
use crate::error::{Error, Result};
use crate::model;
use crate::secrets::{Secret, TokenStore};
use crate::storage::registration::{self, Progress, Step};
use crate::storage::{Store, account as meta, contact};
use crate::types::EmergencyContact;
use protocol::wire::{AttributesRequest, Profile};
use protocol::{Lang, Text};

/// Where a registration in progress is kept: its step in the database and its token
/// in the keystore (`token`, an entry of its own beside the session's).
pub(crate) struct Registration<'a> {
    pub store: &'a Store,
    pub token: &'a dyn TokenStore,
}

/// The person's attributes as typed on the attributes screen (or the household
/// member's).
pub(crate) struct Attributes {
    pub name: String,
    pub date_of_birth: String,
    pub phone: String,
    pub input_id: String,
}

impl Attributes {
    /// The request body, every field required (the server checks the rest).
    pub(crate) fn to_request(&self, lang: Lang) -> Result<AttributesRequest> {
        Ok(AttributesRequest {
            name: required("name", &self.name, lang)?,
            date_of_birth: required("date_of_birth", &self.date_of_birth, lang)?,
            phone: required("phone", &self.phone, lang)?,
            input_id: required("input_id", &self.input_id, lang)?,
        })
    }
}

const START_AGAIN: Text = Text {
    ja: "登録手続きが見つかりません。認証コードの送信からやり直してください。",
    en: "No registration is in progress. Please request a verification code first.",
};
const EMPTY: Text = Text { ja: "入力してください。", en: "Please fill this in." };

fn required(field: &str, value: &str, lang: Lang) -> Result<String> {
    let v = value.trim();
    if v.is_empty() { Err(Error::invalid(field, EMPTY.get(lang))) } else { Ok(v.to_owned()) }
}

/// The server's refusals `codes` belong to the input `field`: they come back as
/// `Invalid { field }`, shown under it like the core's own checks, with the server's text.
fn on_field<T>(answer: Result<T>, field: &str, codes: &[&str]) -> Result<T> {
    answer.map_err(|e| match e {
        Error::Server { code, message, .. } if codes.contains(&code.as_str()) => Error::invalid(field, message),
        other => other,
    })
}

fn start_again(lang: Lang) -> Error {
    Error::invalid("registration", START_AGAIN.get(lang))
}

/// The server's word that the registration's time ran out after the code was verified:
/// the registration is forgotten here, and the refusal names the whole registration
/// (not a field), in the server's words, so the person starts again from the e-mail.
fn expired<T>(reg: &Registration<'_>, answer: Result<T>) -> Result<T> {
    match answer {
        Err(Error::Server { code, message, .. }) if code == "registration_token_invalid" => {
            reg.forget()?;
            Err(Error::invalid("registration", message))
        }
        other => other,
    }
}

impl Registration<'_> {
    fn progress(&self) -> Result<Option<Progress>> {
        self.store.read(registration::get)
    }

    /// The request id and token of a registration whose code was verified.
    fn verified(&self, lang: Lang) -> Result<(Progress, Secret)> {
        let progress = self.progress()?.filter(|p| p.step != Step::Code).ok_or_else(|| start_again(lang))?;
        let token = self.token.get()?.ok_or_else(|| start_again(lang))?;
        Ok((progress, token))
    }

    /// Forgets the registration here (its token too).
    pub(crate) fn forget(&self) -> Result<()> {
        self.token.delete()?;
        self.store.write(registration::clear)
    }

    /// Where the registration stands, or `None` when there is none or its code (or,
    /// once verified, its token) has expired: then it is forgotten.
    pub(crate) fn current(&self) -> Result<Option<Progress>> {
        let Some(p) = self.progress()? else { return Ok(None) };
        let until = if p.step == Step::Code { Some(p.code_expires_at.as_str()) } else { p.token_expires_at.as_deref() };
        let alive = until.and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok()).is_some_and(|t| t > chrono::Utc::now());
        if alive {
            Ok(Some(p))
        } else {
            self.forget()?;
            Ok(None)
        }
    }
}

/// Step 2: mails a code to `email`; returns the seconds it stays valid.
pub(crate) fn request_code(api: &Api, reg: &Registration<'_>, email: &str, lang: Lang) -> Result<u64> {
    let email = required("email", email, lang)?;
    let answer = on_field(api.request_code(&email, lang), "email", &["invalid_email"])?;
    // The id goes into a path: accept a UUID's characters only.
    if answer.request_id.is_empty() || !answer.request_id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(super::client::bad_response(202, lang));
    }
    let seconds = i64::try_from(answer.expires_in).unwrap_or(i64::MAX).min(24 * 3600);
    let until = (chrono::Utc::now() + chrono::Duration::seconds(seconds)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    reg.token.delete()?;
    reg.store.write(|tx| registration::start(tx, &answer.request_id, &email, &until, &now_utc()))?;
    Ok(answer.expires_in)
}

/// Step 4: verifies the code from the mail.
pub(crate) fn verify_code(api: &Api, reg: &Registration<'_>, code: &str, lang: Lang) -> Result<()> {
    let code = required("code", code, lang)?;
    let progress = reg.progress()?.ok_or_else(|| start_again(lang))?;
    let verified = on_field(api.verify(&progress.request_id, &code, lang), "code", &["wrong_code", "code_expired", "code_used"])?;
    reg.token.set(&Secret::new(verified.registration_token))?;
    reg.store.write(|tx| registration::advance(tx, &progress.request_id, Step::Password, Some(&verified.expires_at), &now_utc()))
}

/// Step 5: sets the password (the server checks its strength).
pub(crate) fn set_password(api: &Api, reg: &Registration<'_>, password: &str, lang: Lang) -> Result<()> {
    if password.is_empty() {
        return Err(Error::invalid("password", EMPTY.get(lang)));
    }
    let (progress, token) = reg.verified(lang)?;
    let answer = expired(reg, api.set_password(&progress.request_id, &token, password, lang));
    on_field(answer, "password", &["weak_password", "common_password"])?;
    reg.store.write(|tx| registration::advance(tx, &progress.request_id, Step::Attributes, None, &now_utc()))
}

/// Step 6: attributes and input ID. On success the session starts, the profile is
/// stored and the registration is forgotten.
pub(crate) fn submit_attributes(api: &Api, reg: &Registration<'_>, tokens: &dyn TokenStore, a: &Attributes, lang: Lang) -> Result<Profile> {
    let body = a.to_request(lang)?;
    let (progress, token) = reg.verified(lang)?;
    let registered = expired(reg, api.attributes(&progress.request_id, &token, &body, lang))?;
    reg.forget()?;
    start_session(reg.store, tokens, Secret::new(registered.token), &registered.profile, lang)?;
    Ok(registered.profile)
}

/// Logs in, then fetches and stores the profile. Either both succeed or the phone
/// stays logged out.
pub(crate) fn login(api: &Api, store: &Store, tokens: &dyn TokenStore, email: &str, password: &str, lang: Lang) -> Result<Profile> {
    let email = required("email", email, lang)?;
    if password.is_empty() {
        return Err(Error::invalid("password", EMPTY.get(lang)));
    }
    let session = api.login(&email, password, lang)?;
    let token = Secret::new(session.token);
    let profile = api.profile(&token, lang)?;
    start_session(store, tokens, token, &profile, lang)?;
    Ok(profile)
}

/// Fetches the profile again with the stored session and stores it.
pub(crate) fn refresh_profile(api: &Api, store: &Store, tokens: &dyn TokenStore, lang: Lang) -> Result<Profile> {
    let token = tokens.get()?.ok_or_else(|| Error::Unauthorized { message: super::client::LOGIN_AGAIN.get(lang).to_owned() })?;
    match api.profile(&token, lang) {
        Ok(profile) => {
            store_profile(store, &profile, lang)?;
            Ok(profile)
        }
        Err(e @ Error::Unauthorized { .. }) => {
            tokens.delete()?;
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// Ends the session: tells the server when it can be reached, and always forgets the
/// token here. Reports, the profile and the emergency contact stay.
pub(crate) fn logout(api: Option<&Api>, tokens: &dyn TokenStore, lang: Lang) -> Result<()> {
    if let (Some(api), Some(token)) = (api, tokens.get()?) {
        // Best effort: a phone without network must still be able to log out.
        let _ = api.logout(&token, lang);
    }
    tokens.delete()
}

fn start_session(store: &Store, tokens: &dyn TokenStore, token: Secret, profile: &Profile, lang: Lang) -> Result<()> {
    tokens.set(&token)?;
    store_profile(store, profile, lang)
}

/// Stores the profile and its emergency number as the emergency contact, in one
/// transaction, and clears the last sync error.
fn store_profile(store: &Store, profile: &Profile, lang: Lang) -> Result<()> {
    let given = EmergencyContact { centre_name: profile.centre_name.clone(), phone_number: profile.emergency_number.clone() };
    // The server's number is authoritative: keep it as sent when it is not in the
    // form the phone would accept from a person.
    let contact = model::validate_contact(&given, lang).unwrap_or(given);
    let now = now_utc();
    store.write(|tx| {
        meta::set_profile(tx, profile, &now)?;
        contact::set(tx, &contact, &now)?;
        // The server accepted the session: an earlier "log in again" is over.
        meta::clear_error(tx)
    })
}
