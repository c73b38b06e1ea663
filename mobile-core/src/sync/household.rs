//! Household members (代理入力): linking a member on the server by their attributes and
//! input ID (the same match as registration) and keeping them on the phone, and
//! unlinking. Reports saved for a linked member are uploaded naming the server's member
//! id and land on the member's own case; a member's old reports stay after unlinking.

use super::account::Attributes;
use super::client::{Api, LOGIN_AGAIN, bad_response};
use super::now_utc;
use crate::error::{Error, Result};
use crate::secrets::{Secret, TokenStore};
use crate::storage::household::{self, Member};
use crate::storage::{Store, outbox};
use protocol::{Lang, Text};

const NOT_A_MEMBER: Text = Text {
    ja: "この方は世帯員として登録されていません。",
    en: "This person is not a linked household member.",
};

/// The session token, or "log in again".
pub(super) fn session(tokens: &dyn TokenStore, lang: Lang) -> Result<Secret> {
    tokens.get()?.ok_or_else(|| Error::Unauthorized { message: LOGIN_AGAIN.get(lang).to_owned() })
}

/// A 401 on a session call ends the session here too; every report stays.
pub(super) fn forget_on_401<T>(tokens: &dyn TokenStore, r: Result<T>) -> Result<T> {
    if matches!(r, Err(Error::Unauthorized { .. })) {
        tokens.delete()?;
    }
    r
}

/// Links a member on the server and keeps it here; linking the same person again
/// refreshes what the phone keeps.
pub(crate) fn add(api: &Api, store: &Store, tokens: &dyn TokenStore, a: &Attributes, lang: Lang) -> Result<Member> {
    let body = a.to_request(lang)?;
    let token = session(tokens, lang)?;
    let linked = forget_on_401(tokens, api.link_household(&token, &body, lang))?;
    // The member id goes into paths: digits only.
    if linked.member_id.is_empty() || !linked.member_id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad_response(201, lang));
    }
    let p = linked.profile;
    let member = Member {
        person_id: household::person_id_of(&linked.member_id),
        member_id: linked.member_id,
        name: body.name,
        kind: p.kind,
        period_start: p.period_start,
        period_end: p.period_end,
        centre_name: p.centre_name,
        emergency_number: p.emergency_number,
        linked: true,
    };
    store.write(|tx| {
        household::link(tx, &member, &now_utc())?;
        outbox::requeue_person(tx, &member.person_id, super::HOUSEHOLD_CODE).map(|_| ())
    })?;
    Ok(member)
}

/// Unlinks member `person_id` on the server, then here. Its reports stay on the phone
/// and on the server; new reports for it are no longer sent.
pub(crate) fn remove(api: &Api, store: &Store, tokens: &dyn TokenStore, person_id: &str, lang: Lang) -> Result<()> {
    let member = store
        .read(|c| household::get(c, person_id))?
        .filter(|m| m.linked)
        .ok_or_else(|| Error::invalid("person_id", NOT_A_MEMBER.get(lang)))?;
    let token = session(tokens, lang)?;
    match forget_on_401(tokens, api.unlink_household(&token, &member.member_id, lang)) {
        // Already unlinked on the server (from another phone): unlink here too.
        Ok(()) | Err(Error::Server { status: 404, .. }) => {}
        Err(e) => return Err(e),
    }
    store.write(|tx| household::unlink(tx, person_id, &now_utc()))?;
    Ok(())
}
