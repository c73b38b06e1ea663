//! The account: first registration one screen at a time (code → verify → password →
//! attributes), login and logout. The registration request id and its short-lived
//! token stay in memory only; the session token goes to the keystore; the case's
//! profile goes to the database, its emergency number also as the emergency contact.

use super::client::Api;
use super::now_utc;
use crate::error::{Error, Result};
use crate::model;
use crate::secrets::{Secret, TokenStore};
use crate::storage::{Store, account as meta, contact};
use crate::types::EmergencyContact;
use protocol::wire::{AttributesRequest, Profile};
use protocol::{Lang, Text};
use std::sync::Mutex;

/// A registration in progress: the request id after step 2, the registration token
/// after step 4.
#[derive(Debug, Default)]
pub(crate) struct Registration {
    request_id: Option<String>,
    token: Option<Secret>,
}

/// The person's attributes as typed on the attributes screen.
pub(crate) struct Attributes {
    pub name: String,
    pub date_of_birth: String,
    pub phone: String,
    pub input_id: String,
}

const START_AGAIN: Text = Text {
    ja: "登録手続きが見つかりません。認証コードの送信からやり直してください。",
    en: "No registration is in progress. Please request a verification code first.",
};
const EMPTY: Text = Text { ja: "入力してください。", en: "Please fill this in." };

fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn required(field: &str, value: &str, lang: Lang) -> Result<String> {
    let v = value.trim();
    if v.is_empty() { Err(Error::invalid(field, EMPTY.get(lang))) } else { Ok(v.to_owned()) }
}

/// Step 2: mails a code to `email`; returns the seconds it stays valid.
pub(crate) fn request_code(api: &Api, reg: &Mutex<Registration>, email: &str, lang: Lang) -> Result<u64> {
    let email = required("email", email, lang)?;
    let answer = api.request_code(&email, lang)?;
    // The id goes into a path: accept a UUID's characters only.
    if answer.request_id.is_empty() || !answer.request_id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(super::client::bad_response(202, lang));
    }
    *locked(reg) = Registration { request_id: Some(answer.request_id), token: None };
    Ok(answer.expires_in)
}

/// Step 4: verifies the code from the mail.
pub(crate) fn verify_code(api: &Api, reg: &Mutex<Registration>, code: &str, lang: Lang) -> Result<()> {
    let code = required("code", code, lang)?;
    let id = locked(reg).request_id.clone().ok_or_else(|| Error::invalid("registration", START_AGAIN.get(lang)))?;
    let verified = api.verify(&id, &code, lang)?;
    let mut r = locked(reg);
    if r.request_id.as_deref() == Some(id.as_str()) {
        r.token = Some(Secret::new(verified.registration_token));
    }
    Ok(())
}

fn verified(reg: &Mutex<Registration>, lang: Lang) -> Result<(String, Secret)> {
    let r = locked(reg);
    match (&r.request_id, &r.token) {
        (Some(id), Some(t)) => Ok((id.clone(), t.clone())),
        _ => Err(Error::invalid("registration", START_AGAIN.get(lang))),
    }
}

/// Step 5: sets the password (the server checks its strength).
pub(crate) fn set_password(api: &Api, reg: &Mutex<Registration>, password: &str, lang: Lang) -> Result<()> {
    if password.is_empty() {
        return Err(Error::invalid("password", EMPTY.get(lang)));
    }
    let (id, token) = verified(reg, lang)?;
    api.set_password(&id, &token, password, lang)
}

/// Step 6: attributes and input ID. On success the session starts and the profile is
/// stored.
pub(crate) fn submit_attributes(
    api: &Api,
    reg: &Mutex<Registration>,
    store: &Store,
    tokens: &dyn TokenStore,
    a: &Attributes,
    lang: Lang,
) -> Result<Profile> {
    let body = AttributesRequest {
        name: required("name", &a.name, lang)?,
        date_of_birth: required("date_of_birth", &a.date_of_birth, lang)?,
        phone: required("phone", &a.phone, lang)?,
        input_id: required("input_id", &a.input_id, lang)?,
    };
    let (id, token) = verified(reg, lang)?;
    let registered = api.attributes(&id, &token, &body, lang)?;
    *locked(reg) = Registration::default();
    start_session(store, tokens, Secret::new(registered.token), &registered.profile, lang)?;
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
