//! The person's requests about their data (開示・訂正・利用停止) on the server: filing
//! one, the list with statuses, the disclosure. Nothing is kept on the phone; a
//! server refusal of a field becomes [`Error::Invalid`] naming that field.

use super::client::Api;
use super::household::{forget_on_401, session};
use crate::error::{Error, Result};
use crate::secrets::TokenStore;
use protocol::Lang;
use protocol::rights::{Disclosure, FileRequest, RequestList, RequestView};

/// The field a server refusal code is about, if it is about one.
fn field_of(code: &str) -> Option<&'static str> {
    match code {
        "invalid_item" => Some("item"),
        "invalid_value" => Some("value"),
        "invalid_report" => Some("report_id"),
        "invalid_note" => Some("note"),
        _ => None,
    }
}

fn fields(e: Error) -> Error {
    match e {
        Error::Server { status: 400, code, message } => match field_of(&code) {
            Some(field) => Error::invalid(field, message),
            None => Error::Server { status: 400, code, message },
        },
        other => other,
    }
}

/// Files `req`.
pub(crate) fn file(api: &Api, tokens: &dyn TokenStore, req: &FileRequest, lang: Lang) -> Result<RequestView> {
    let token = session(tokens, lang)?;
    forget_on_401(tokens, api.file_rights_request(&token, req, lang)).map_err(fields)
}

/// The person's requests.
pub(crate) fn list(api: &Api, tokens: &dyn TokenStore, lang: Lang) -> Result<RequestList> {
    let token = session(tokens, lang)?;
    forget_on_401(tokens, api.rights_requests(&token, lang))
}

/// The disclosure.
pub(crate) fn disclose(api: &Api, tokens: &dyn TokenStore, lang: Lang) -> Result<Disclosure> {
    let token = session(tokens, lang)?;
    forget_on_401(tokens, api.disclosure(&token, lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_refusal_names_the_field_and_others_stay_server_errors() {
        let e = fields(Error::Server { status: 400, code: "invalid_value".into(), message: "m".into() });
        assert!(matches!(e, Error::Invalid { ref field, .. } if field == "value"), "{e:?}");
        let e = fields(Error::Server { status: 409, code: "request_open".into(), message: "m".into() });
        assert!(matches!(e, Error::Server { status: 409, ref code, .. } if code == "request_open"), "{e:?}");
    }
}
