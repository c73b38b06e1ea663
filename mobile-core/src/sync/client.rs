//! Typed calls of the patient API over a [`Transport`], with the bodies of
//! `protocol::wire`, and the one place where an HTTP answer becomes an error: 401/403
//! on a session call is [`Error::Unauthorized`], 429 is [`Error::Throttled`], any other
//! refusal is [`Error::Server`] with the server's code and localised text.

use super::http::{REQUEST_TIMEOUT, Request, Transport};
use crate::error::{Error, Result};
use crate::secrets::Secret;
use protocol::wire::{
    self, AttributesRequest, BatchRequest, BatchResponse, CodeRequest, CodeRequested, ErrorBody, LoginRequest,
    HouseholdMember, PasswordRequest, Profile, Registered, SessionResponse, VerifyRequest, Verified,
};
use protocol::rights::{self, Disclosure, FileRequest, RequestList, RequestView};
use protocol::{Lang, Text};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The error code of a success answer whose body could not be read (a captive portal,
/// a proxy's page); treated like a network failure.
pub(crate) const BAD_RESPONSE: &str = "bad_response";

/// How a call authenticates.
enum Auth<'a> {
    None,
    /// The registration token of the password and attribute steps.
    Registration(&'a Secret),
    /// The patient's session token: a 401 or 403 means "log in again".
    Session(&'a Secret),
}

/// The patient API.
#[derive(Clone)]
pub(crate) struct Api {
    transport: Arc<dyn Transport>,
    /// The time limit of each request, in milliseconds.
    timeout_ms: Arc<AtomicU64>,
}

impl Api {
    pub(crate) fn new(transport: Arc<dyn Transport>) -> Api {
        let timeout_ms = u64::try_from(REQUEST_TIMEOUT.as_millis()).unwrap_or(u64::MAX);
        Api { transport, timeout_ms: Arc::new(AtomicU64::new(timeout_ms)) }
    }

    /// Changes the time limit of each request from now on.
    pub(crate) fn set_timeout(&self, timeout: Duration) {
        let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX).max(1);
        self.timeout_ms.store(ms, Ordering::Relaxed);
    }

    /// Step 2: mail a verification code to `email`.
    pub(crate) fn request_code(&self, email: &str, lang: Lang) -> Result<CodeRequested> {
        let body = CodeRequest { email: email.to_owned() };
        parse(self.post(wire::PATH_REGISTRATIONS.to_owned(), Auth::None, &body, lang)?, lang)
    }

    /// Step 4: verify the code.
    pub(crate) fn verify(&self, request_id: &str, code: &str, lang: Lang) -> Result<Verified> {
        let body = VerifyRequest { code: code.to_owned() };
        parse(self.post(wire::path_verify(request_id), Auth::None, &body, lang)?, lang)
    }

    /// Step 5: set the password.
    pub(crate) fn set_password(&self, request_id: &str, reg: &Secret, password: &str, lang: Lang) -> Result<()> {
        let body = PasswordRequest { password: password.to_owned() };
        self.post(wire::path_password(request_id), Auth::Registration(reg), &body, lang).map(|_| ())
    }

    /// Step 6: attributes and input ID; opens the patient's session.
    pub(crate) fn attributes(&self, request_id: &str, reg: &Secret, body: &AttributesRequest, lang: Lang) -> Result<Registered> {
        parse(self.post(wire::path_attributes(request_id), Auth::Registration(reg), body, lang)?, lang)
    }

    /// Patient login.
    pub(crate) fn login(&self, email: &str, password: &str, lang: Lang) -> Result<SessionResponse> {
        let body = LoginRequest { email: email.to_owned(), password: password.to_owned() };
        parse(self.post(wire::PATH_LOGIN.to_owned(), Auth::None, &body, lang)?, lang)
    }

    /// The case's profile.
    pub(crate) fn profile(&self, token: &Secret, lang: Lang) -> Result<Profile> {
        parse(self.call(false, wire::PATH_PROFILE.to_owned(), Auth::Session(token), None, lang)?, lang)
    }

    /// Ends the session on the server.
    pub(crate) fn logout(&self, token: &Secret, lang: Lang) -> Result<()> {
        self.call(true, wire::PATH_LOGOUT.to_owned(), Auth::Session(token), None, lang).map(|_| ())
    }

    /// Links a household member to the account by their attributes and input ID.
    pub(crate) fn link_household(&self, token: &Secret, body: &AttributesRequest, lang: Lang) -> Result<HouseholdMember> {
        parse(self.post(wire::PATH_HOUSEHOLD.to_owned(), Auth::Session(token), body, lang)?, lang)
    }

    /// Unlinks a household member on the server.
    pub(crate) fn unlink_household(&self, token: &Secret, member_id: &str, lang: Lang) -> Result<()> {
        self.call(true, wire::path_household_unlink(member_id), Auth::Session(token), None, lang).map(|_| ())
    }

    /// Files a request about the person's data (開示・訂正・利用停止).
    pub(crate) fn file_rights_request(&self, token: &Secret, body: &FileRequest, lang: Lang) -> Result<RequestView> {
        parse(self.post(rights::PATH_RIGHTS_REQUESTS.to_owned(), Auth::Session(token), body, lang)?, lang)
    }

    /// The person's requests with their status, newest first.
    pub(crate) fn rights_requests(&self, token: &Secret, lang: Lang) -> Result<RequestList> {
        parse(self.call(false, rights::PATH_RIGHTS_REQUESTS.to_owned(), Auth::Session(token), None, lang)?, lang)
    }

    /// Everything the server holds about the person.
    pub(crate) fn disclosure(&self, token: &Secret, lang: Lang) -> Result<Disclosure> {
        parse(self.call(false, rights::PATH_DISCLOSURE.to_owned(), Auth::Session(token), None, lang)?, lang)
    }

    /// Sends a batch of reports; one result per report. `limit` turns the configured
    /// time limit into this request's (a sync with a deadline shortens it).
    pub(crate) fn send_batch(
        &self,
        token: &Secret,
        batch: &BatchRequest,
        limit: impl Fn(Duration) -> Duration,
        lang: Lang,
    ) -> Result<BatchResponse> {
        let bytes = serde_json::to_vec(batch).map_err(|_| Error::Platform("request body".into()))?;
        let path = wire::PATH_REPORTS_BATCH.to_owned();
        parse(self.call_within(true, path, Auth::Session(token), Some(bytes), &limit, lang)?, lang)
    }

    fn post(&self, path: String, auth: Auth<'_>, body: &impl Serialize, lang: Lang) -> Result<(u16, Vec<u8>)> {
        let bytes = serde_json::to_vec(body).map_err(|_| Error::Platform("request body".into()))?;
        self.call(true, path, auth, Some(bytes), lang)
    }

    fn call(&self, post: bool, path: String, auth: Auth<'_>, body: Option<Vec<u8>>, lang: Lang) -> Result<(u16, Vec<u8>)> {
        self.call_within(post, path, auth, body, &|limit| limit, lang)
    }

    fn call_within(
        &self,
        post: bool,
        path: String,
        auth: Auth<'_>,
        body: Option<Vec<u8>>,
        limit: &dyn Fn(Duration) -> Duration,
        lang: Lang,
    ) -> Result<(u16, Vec<u8>)> {
        let (bearer, session) = match auth {
            Auth::None => (None, false),
            Auth::Registration(t) => (Some(t.clone()), false),
            Auth::Session(t) => (Some(t.clone()), true),
        };
        let timeout = limit(Duration::from_millis(self.timeout_ms.load(Ordering::Relaxed)));
        let req = Request { post, path, bearer, body, lang, timeout };
        let res = self.transport.send(&req).map_err(|f| f.into_error(lang))?;
        if (200..300).contains(&res.status) {
            return Ok((res.status, res.body));
        }
        let body: Option<ErrorBody> = serde_json::from_slice(&res.body).ok();
        Err(match res.status {
            401 | 403 if session => Error::Unauthorized {
                message: body.map_or_else(|| LOGIN_AGAIN.get(lang).to_owned(), |b| b.message),
            },
            429 => Error::Throttled {
                retry_after: res.retry_after.unwrap_or(1).max(1),
                message: body.map_or_else(|| TOO_MANY.get(lang).to_owned(), |b| b.message),
            },
            status => match body {
                Some(b) => Error::Server { status, code: b.error, message: b.message },
                None => Error::Server { status, code: format!("http_{status}"), message: SERVER_TROUBLE.get(lang).to_owned() },
            },
        })
    }
}

/// Reads a success answer's JSON body.
fn parse<T: DeserializeOwned>((status, body): (u16, Vec<u8>), lang: Lang) -> Result<T> {
    serde_json::from_slice(&body).map_err(|_| bad_response(status, lang))
}

/// The error for a success answer whose body is not what the API sends.
pub(crate) fn bad_response(status: u16, lang: Lang) -> Error {
    Error::Server { status, code: BAD_RESPONSE.to_owned(), message: SERVER_TROUBLE.get(lang).to_owned() }
}

/// "Please log in again."
pub(crate) const LOGIN_AGAIN: Text = Text {
    ja: "ログインが必要です。もう一度ログインしてください。記録は端末に保存されています。",
    en: "Please log in again. Your reports are saved on this phone.",
};

const TOO_MANY: Text = Text {
    ja: "操作が多すぎます。しばらくしてからもう一度お試しください。",
    en: "Too many attempts. Please wait and try again.",
};

const SERVER_TROUBLE: Text = Text {
    ja: "サーバーで問題が発生しました。しばらくしてからもう一度お試しください。記録は端末に保存されています。",
    en: "The server has a problem. Please try again later. Your reports are saved on this phone.",
};
