//! The leaflet's link: the address a health centre prints, with its QR code, on the
//! leaflet it hands to a patient. One format, built by the server and read by the
//! phone core (the app opened from the code) and the patient pages (the browser
//! opened from it):
//!
//! `{server}/app?centre={id}&name={centre's name}&tel={emergency number}`
//!
//! `server` is the Mimamori server's address (`https://host[:port][/prefix]`). The
//! name and number let a phone without the app's account, or without network, show
//! the centre's emergency number; the pages look the centre up by its id instead.
//! Checking the address, name and number is left to the reader (the phone core's
//! server-address and emergency-contact rules).

use crate::{Lang, Text};

/// The path of the patient start page under the server's address.
pub const APP_PATH: &str = "/app";

/// What the leaflet's link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafletLink {
    /// The server's address, without a trailing slash.
    pub server: String,
    /// The health centre's id on that server.
    pub centre_id: i64,
    /// The health centre's name, as printed.
    pub centre_name: String,
    /// The health centre's emergency number, as printed.
    pub emergency_number: String,
}

/// Why a text is not a leaflet link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LeafletError {
    /// Not an `http(s)://…/app?…` address.
    #[error("not a leaflet link")]
    NotALink,
    /// The centre's id, name or number is missing or malformed.
    #[error("the leaflet link lacks the health centre")]
    NoCentre,
}

impl LeafletError {
    /// What to tell the person who scanned or typed it.
    pub fn text(self) -> Text {
        match self {
            LeafletError::NotALink => Text {
                ja: "みまもりのリーフレットのQRコードではありません。保健所から受け取ったリーフレットのQRコードを読み取ってください。",
                en: "This is not the QR code of a Mimamori leaflet. Scan the code on the leaflet from your health centre.",
            },
            LeafletError::NoCentre => Text {
                ja: "リーフレットのQRコードから保健所の連絡先を読み取れませんでした。電話番号を入力してください。",
                en: "The leaflet's QR code did not give the health centre's contact. Please type the number.",
            },
        }
    }

    /// [`Self::text`] in `lang`.
    pub fn message(self, lang: Lang) -> &'static str {
        self.text().get(lang)
    }
}

impl LeafletLink {
    /// The link as printed: `{server}/app?centre=…&name=…&tel=…`, the query encoded as
    /// a form (UTF-8, `+` for a space).
    pub fn url(&self) -> String {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("centre", &self.centre_id.to_string())
            .append_pair("name", &self.centre_name)
            .append_pair("tel", &self.emergency_number)
            .finish();
        format!("{}{APP_PATH}?{query}", self.server.trim_end_matches('/'))
    }

    /// Reads a scanned or typed link. Surrounding spaces are ignored; a fragment is
    /// dropped; the scheme must be `http` or `https` and the path end in `/app`.
    pub fn parse(link: &str) -> Result<LeafletLink, LeafletError> {
        let link = link.trim();
        let link = link.split_once('#').map_or(link, |(before, _)| before);
        let (address, query) = link.split_once('?').ok_or(LeafletError::NotALink)?;
        let (scheme, rest) = address.split_once("://").ok_or(LeafletError::NotALink)?;
        if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
            return Err(LeafletError::NotALink);
        }
        let server = address.strip_suffix(APP_PATH).ok_or(LeafletError::NotALink)?;
        if rest.len() <= APP_PATH.len() || server.ends_with('/') {
            return Err(LeafletError::NotALink);
        }
        let (mut centre, mut name, mut tel) = (None, None, None);
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let slot = match key.as_ref() {
                "centre" => &mut centre,
                "name" => &mut name,
                "tel" => &mut tel,
                _ => continue,
            };
            if slot.is_some() {
                // A key given twice is ambiguous: which one would the person see?
                return Err(LeafletError::NoCentre);
            }
            *slot = Some(value.into_owned());
        }
        let centre_id = centre.and_then(|c| c.parse::<i64>().ok()).filter(|id| *id > 0).ok_or(LeafletError::NoCentre)?;
        let centre_name = name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).ok_or(LeafletError::NoCentre)?;
        let emergency_number = tel.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).ok_or(LeafletError::NoCentre)?;
        Ok(LeafletLink { server: server.to_owned(), centre_id, centre_name, emergency_number })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link() -> LeafletLink {
        LeafletLink {
            server: "https://mimamori.example.jp".into(),
            centre_id: 12,
            centre_name: "みなと保健所 (本所) & 分室".into(),
            emergency_number: "03-1234-5678".into(),
        }
    }

    #[test]
    fn a_printed_link_reads_back_as_the_same_centre() {
        let url = link().url();
        assert!(url.starts_with("https://mimamori.example.jp/app?centre=12&name="), "{url}");
        assert!(!url.contains(' ') && !url.contains("& "), "{url}");
        assert_eq!(LeafletLink::parse(&url), Ok(link()));
        let prefixed = LeafletLink { server: "https://h.example.jp/mimamori/".into(), ..link() };
        let parsed = LeafletLink::parse(&format!("  {}#top ", prefixed.url()));
        assert_eq!(parsed.map(|l| l.server), Ok("https://h.example.jp/mimamori".to_owned()));
    }

    #[test]
    fn other_addresses_are_not_leaflet_links() {
        for bad in [
            "",
            "mimamori",
            "https://mimamori.example.jp/app",
            "https://mimamori.example.jp/login?centre=1&name=a&tel=1",
            "ftp://mimamori.example.jp/app?centre=1&name=a&tel=1",
            "javascript://x/app?centre=1&name=a&tel=1",
            "https:///app?centre=1&name=a&tel=1",
            "https://h.example.jp//app?centre=1&name=a&tel=1",
        ] {
            assert_eq!(LeafletLink::parse(bad), Err(LeafletError::NotALink), "{bad}");
        }
    }

    #[test]
    fn a_link_without_its_centre_says_so() {
        for bad in [
            "https://h.example.jp/app?name=a&tel=1",
            "https://h.example.jp/app?centre=x&name=a&tel=1",
            "https://h.example.jp/app?centre=0&name=a&tel=1",
            "https://h.example.jp/app?centre=1&name=+&tel=1",
            "https://h.example.jp/app?centre=1&name=a",
            "https://h.example.jp/app?centre=1&centre=2&name=a&tel=1",
        ] {
            assert_eq!(LeafletLink::parse(bad), Err(LeafletError::NoCentre), "{bad}");
        }
        assert!(LeafletError::NoCentre.message(Lang::Ja).contains("電話番号"));
        assert!(LeafletError::NotALink.message(Lang::En).contains("leaflet"));
    }
}
