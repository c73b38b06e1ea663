//! Languages of the product and a bilingual text pair. Japanese is the default.

use serde::{Deserialize, Serialize};

/// A language every screen, page and phone prompt is available in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Japanese, the default.
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Parses a language tag such as `ja`, `en`, `en-GB`; anything else is Japanese.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        if primary == "en" { Lang::En } else { Lang::Ja }
    }

    /// The short tag (`ja` or `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

/// A fixed text in Japanese and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    /// Japanese wording.
    pub ja: &'static str,
    /// English wording.
    pub en: &'static str,
}

impl Text {
    /// The wording in `lang`.
    pub const fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.ja,
            Lang::En => self.en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_default_to_japanese() {
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("EN"), Lang::En);
        assert_eq!(Lang::from_tag("ja-JP"), Lang::Ja);
        assert_eq!(Lang::from_tag(""), Lang::Ja);
        assert_eq!(Lang::from_tag("fr"), Lang::Ja);
        assert_eq!(Lang::default(), Lang::Ja);
    }
}
