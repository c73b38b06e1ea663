//! The verification mail itself: Japanese and English text (the reader's language
//! first), the code, how long it is valid and the centre's name when known, with
//! `Date`, `Message-ID` and UTF-8 headers encoded as RFC 2047 says (lettre), the body
//! in quoted-printable so it passes relays without 8BITMIME.

use crate::error::{Error, Result};
use lettre::Message;
use lettre::message::Mailbox;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Body, SinglePart};
use protocol::Lang;

/// What the mail says.
pub struct CodeMail<'a> {
    /// The code.
    pub code: &'a str,
    /// Minutes it is valid.
    pub valid_minutes: u64,
    /// The reader's language (its text comes first).
    pub lang: Lang,
    /// The centre's name, when this server serves one.
    pub centre: Option<&'a str>,
}

impl CodeMail<'_> {
    fn japanese(&self) -> String {
        let sign = self.centre.map(|c| format!("\n{c}\n")).unwrap_or_default();
        format!(
            "見守りの新規登録の認証コードです。\n\n認証コード: {code}\n\n\
             このコードの有効期限は{m}分です。\n\
             お心当たりのない場合は、このメールを破棄してください。\n{sign}",
            code = self.code,
            m = self.valid_minutes
        )
    }

    fn english(&self) -> String {
        let sign = self.centre.map(|c| format!("\n{c}\n")).unwrap_or_default();
        format!(
            "Your Mimamori registration verification code.\n\nVerification code: {code}\n\n\
             The code is valid for {m} minutes.\nIf you did not ask for it, ignore this mail.\n{sign}",
            code = self.code,
            m = self.valid_minutes
        )
    }

    /// The subject, the reader's language first.
    pub fn subject(&self) -> &'static str {
        match self.lang {
            Lang::Ja => "【見守り】認証コードのお知らせ / Your verification code",
            Lang::En => "[Mimamori] Your verification code / 認証コードのお知らせ",
        }
    }

    /// The text, both languages, the reader's first.
    pub fn text(&self) -> String {
        let rule = "\n----------------------------------------\n\n";
        match self.lang {
            Lang::Ja => format!("{}{rule}{}", self.japanese(), self.english()),
            Lang::En => format!("{}{rule}{}", self.english(), self.japanese()),
        }
    }

    /// The message from `from` to `to`.
    pub fn build(&self, from: Mailbox, to: Mailbox) -> Result<Message> {
        let domain = from.email.domain().to_owned();
        let body = Body::new_with_encoding(self.text(), ContentTransferEncoding::QuotedPrintable).map_err(|_| Error::Mail("body encoding".to_owned()))?;
        Message::builder()
            .from(from)
            .to(to)
            .subject(self.subject())
            .date_now()
            .message_id(Some(format!("<{}@{domain}>", uuid::Uuid::new_v4().simple())))
            .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(body))
            .map_err(|e| Error::Mail(format!("message: {e}")))
    }
}
