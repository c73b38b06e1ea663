//! Kinds of person under observation and their keypad codes.

use crate::lang::{Lang, Text};
use serde::{Deserialize, Serialize};

/// Who is being observed. Decides which leaflet rule applies to their symptoms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Infected (感染者); keypad 1.
    Infected,
    /// Close contact (濃厚接触者); keypad 2.
    CloseContact,
    /// Awaiting a test result (検査結果待ち); chosen in the app only.
    AwaitingResult,
}

impl Kind {
    /// Every kind, in the order screens list them.
    pub const ALL: [Kind; 3] = [Kind::Infected, Kind::CloseContact, Kind::AwaitingResult];

    /// The keypad digit of the automated call (`1` infected, `2` close contact);
    /// awaiting a result has none.
    pub fn dtmf(self) -> Option<u8> {
        match self {
            Kind::Infected => Some(1),
            Kind::CloseContact => Some(2),
            Kind::AwaitingResult => None,
        }
    }

    /// The kind for a keypad digit, if it names one.
    pub fn from_dtmf(digit: u8) -> Option<Kind> {
        match digit {
            1 => Some(Kind::Infected),
            2 => Some(Kind::CloseContact),
            _ => None,
        }
    }

    /// A stable code for storage and the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Infected => "infected",
            Kind::CloseContact => "close_contact",
            Kind::AwaitingResult => "awaiting_result",
        }
    }

    /// The kind for a stable code.
    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// The label shown on screens.
    pub fn label(self, lang: Lang) -> &'static str {
        let text = match self {
            Kind::Infected => Text { ja: "感染者", en: "Infected" },
            Kind::CloseContact => Text { ja: "濃厚接触者", en: "Close contact" },
            Kind::AwaitingResult => Text {
                ja: "検査結果待ち",
                en: "Awaiting a test result",
            },
        };
        text.get(lang)
    }

    /// Whether the close-contact rule (cough or fever → call) applies rather than
    /// the urgent-symptom rule.
    pub fn is_close_contact(self) -> bool {
        self == Kind::CloseContact
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keypad_codes_follow_the_call_script() {
        assert_eq!(Kind::Infected.dtmf(), Some(1));
        assert_eq!(Kind::CloseContact.dtmf(), Some(2));
        assert_eq!(Kind::AwaitingResult.dtmf(), None);
        assert_eq!(Kind::from_dtmf(1), Some(Kind::Infected));
        assert_eq!(Kind::from_dtmf(2), Some(Kind::CloseContact));
        for bad in [0, 3, 9] {
            assert_eq!(Kind::from_dtmf(bad), None);
        }
    }

    #[test]
    fn codes_round_trip_and_labels_are_japanese_first() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("patient"), None);
        assert_eq!(Kind::Infected.label(Lang::Ja), "感染者");
        assert_eq!(Kind::CloseContact.label(Lang::Ja), "濃厚接触者");
        assert_eq!(Kind::CloseContact.label(Lang::En), "Close contact");
    }
}
