//! Body temperature: the phone call's three digits (`365`), the app's decimal form
//! (`36.5`), the accepted range 34.0–42.0 °C and the fever line 37.5 °C.

use crate::lang::{Lang, Text};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A body temperature in tenths of a degree Celsius, always within 34.0–42.0 °C.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "u16")]
pub struct Temperature(u16);

/// Why a temperature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemperatureError {
    /// Nothing was entered.
    #[error("temperature is empty")]
    Empty,
    /// Not digits in the expected form.
    #[error("temperature is not a number in the expected form")]
    NotANumber,
    /// More than one digit after the decimal point.
    #[error("temperature has more than one decimal place")]
    TooPrecise,
    /// Outside 34.0–42.0 °C.
    #[error("temperature must be between 34.0 and 42.0 °C")]
    OutOfRange,
}

impl TemperatureError {
    /// A message for the person who typed it.
    pub fn message(&self, lang: Lang) -> &'static str {
        let text = match self {
            TemperatureError::Empty => Text {
                ja: "体温を入力してください。",
                en: "Please enter your temperature.",
            },
            TemperatureError::NotANumber | TemperatureError::TooPrecise => Text {
                ja: "体温は36.5のように小数点以下1桁までの数字で入力してください。",
                en: "Enter the temperature as a number with at most one decimal place, like 36.5.",
            },
            TemperatureError::OutOfRange => Text {
                ja: "体温は34.0℃から42.0℃の範囲で入力してください。",
                en: "The temperature must be between 34.0 °C and 42.0 °C.",
            },
        };
        text.get(lang)
    }
}

impl Temperature {
    /// Lowest accepted temperature, in tenths (34.0 °C).
    pub const MIN_TENTHS: u16 = 340;
    /// Highest accepted temperature, in tenths (42.0 °C).
    pub const MAX_TENTHS: u16 = 420;
    /// Fever starts here, in tenths (37.5 °C, the Japanese convention).
    pub const FEVER_TENTHS: u16 = 375;

    /// A temperature from tenths of a degree (`365` = 36.5 °C).
    pub fn from_tenths(tenths: i64) -> Result<Temperature, TemperatureError> {
        if (i64::from(Self::MIN_TENTHS)..=i64::from(Self::MAX_TENTHS)).contains(&tenths) {
            Ok(Temperature(tenths as u16))
        } else {
            Err(TemperatureError::OutOfRange)
        }
    }

    /// The automated call's form: exactly three keypad digits, `365` = 36.5 °C.
    pub fn parse_phone(digits: &str) -> Result<Temperature, TemperatureError> {
        if digits.is_empty() {
            return Err(TemperatureError::Empty);
        }
        if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TemperatureError::NotANumber);
        }
        let tenths: i64 = digits.parse().map_err(|_| TemperatureError::NotANumber)?;
        Temperature::from_tenths(tenths)
    }

    /// The app's form: a decimal such as `36.5` or `37`, also typed with full-width
    /// digits (`３６．５`) or a decimal comma; surrounding spaces are ignored.
    pub fn parse_decimal(input: &str) -> Result<Temperature, TemperatureError> {
        let text: String = input.trim().chars().map(to_ascii).collect();
        let text = text.trim();
        if text.is_empty() {
            return Err(TemperatureError::Empty);
        }
        let (whole, frac) = match text.split_once('.') {
            Some((w, f)) => (w, f),
            None => (text, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 3 || !all_digits(whole) || !all_digits(frac) {
            return Err(TemperatureError::NotANumber);
        }
        if text.contains('.') && frac.is_empty() {
            return Err(TemperatureError::NotANumber);
        }
        if frac.len() > 1 {
            return Err(TemperatureError::TooPrecise);
        }
        let whole: i64 = whole.parse().map_err(|_| TemperatureError::NotANumber)?;
        let tenth: i64 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| TemperatureError::NotANumber)? };
        Temperature::from_tenths(whole * 10 + tenth)
    }

    /// Tenths of a degree.
    pub fn tenths(self) -> u16 {
        self.0
    }

    /// Degrees Celsius.
    pub fn celsius(self) -> f64 {
        f64::from(self.0) / 10.0
    }

    /// Whether this is a fever (37.5 °C or more).
    pub fn is_fever(self) -> bool {
        self.0 >= Self::FEVER_TENTHS
    }
}

fn to_ascii(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '．' | '。' | ',' | '，' => '.',
        '　' => ' ',
        _ => c,
    }
}

impl From<Temperature> for u16 {
    fn from(t: Temperature) -> u16 {
        t.0
    }
}

impl<'de> Deserialize<'de> for Temperature {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let tenths = i64::deserialize(d)?;
        Temperature::from_tenths(tenths).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Temperature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_form_is_three_digits_in_tenths() {
        let cases: &[(&str, Result<u16, TemperatureError>)] = &[
            ("365", Ok(365)),
            ("340", Ok(340)),
            ("420", Ok(420)),
            ("339", Err(TemperatureError::OutOfRange)),
            ("421", Err(TemperatureError::OutOfRange)),
            ("000", Err(TemperatureError::OutOfRange)),
            ("999", Err(TemperatureError::OutOfRange)),
            ("36", Err(TemperatureError::NotANumber)),
            ("3650", Err(TemperatureError::NotANumber)),
            ("36*", Err(TemperatureError::NotANumber)),
            ("36.5", Err(TemperatureError::NotANumber)),
            ("", Err(TemperatureError::Empty)),
        ];
        for (input, want) in cases {
            assert_eq!(Temperature::parse_phone(input).map(Temperature::tenths), *want, "{input:?}");
        }
    }

    #[test]
    fn decimal_form_accepts_what_phones_type() {
        let cases: &[(&str, Result<u16, TemperatureError>)] = &[
            ("36.5", Ok(365)),
            (" 37.5 ", Ok(375)),
            ("37", Ok(370)),
            ("３６．８", Ok(368)),
            ("38,2", Ok(382)),
            ("34.0", Ok(340)),
            ("42.0", Ok(420)),
            ("42", Ok(420)),
            ("33.9", Err(TemperatureError::OutOfRange)),
            ("42.1", Err(TemperatureError::OutOfRange)),
            ("365", Err(TemperatureError::OutOfRange)),
            ("36.55", Err(TemperatureError::TooPrecise)),
            ("36.", Err(TemperatureError::NotANumber)),
            (".5", Err(TemperatureError::NotANumber)),
            ("-36.5", Err(TemperatureError::NotANumber)),
            ("36.5℃", Err(TemperatureError::NotANumber)),
            ("abc", Err(TemperatureError::NotANumber)),
            ("1e2", Err(TemperatureError::NotANumber)),
            ("", Err(TemperatureError::Empty)),
            ("   ", Err(TemperatureError::Empty)),
        ];
        for (input, want) in cases {
            assert_eq!(Temperature::parse_decimal(input).map(Temperature::tenths), *want, "{input:?}");
        }
    }

    #[test]
    fn fever_starts_at_thirty_seven_five() {
        let t = |x| Temperature::from_tenths(x).expect("in range");
        assert!(!t(374).is_fever());
        assert!(t(375).is_fever());
        assert!(t(420).is_fever());
        assert!(!t(340).is_fever());
        assert_eq!(t(375).to_string(), "37.5");
        assert_eq!(t(340).to_string(), "34.0");
        assert!((t(368).celsius() - 36.8).abs() < 1e-9);
    }

    #[test]
    fn serde_refuses_out_of_range() {
        assert_eq!(serde_json::to_string(&Temperature(365)).expect("ser"), "365");
        assert!(serde_json::from_str::<Temperature>("339").is_err());
        assert!(serde_json::from_str::<Temperature>("-1").is_err());
        assert_eq!(serde_json::from_str::<Temperature>("420").expect("de").tenths(), 420);
    }

    #[test]
    fn every_error_has_a_message_in_both_languages() {
        for e in [
            TemperatureError::Empty,
            TemperatureError::NotANumber,
            TemperatureError::TooPrecise,
            TemperatureError::OutOfRange,
        ] {
            assert!(!e.message(Lang::Ja).is_empty() && e.message(Lang::Ja) != e.message(Lang::En));
        }
        assert!(TemperatureError::OutOfRange.message(Lang::Ja).contains("34.0"));
    }
}
