//! Normalising what people type: full-width digits, spaces and hyphens in phone numbers,
//! spaces in names, e-mail addresses, dates of birth and smartphone input IDs.

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

/// Dash-like characters people type inside phone numbers.
const DASHES: &[char] = &['-', '‐', '‑', '‒', '–', '—', '―', '−', 'ー', '－', 'ｰ'];

/// A phone number as digits only: NFKC (full-width → half-width), spaces, hyphens and
/// dash-like characters removed. `None` when anything else is left or the length is
/// not a plausible phone number (10–15 digits).
pub fn phone(input: &str) -> Option<String> {
    let mut out = String::new();
    for c in input.nfkc() {
        if c.is_ascii_digit() {
            out.push(c);
        } else if c.is_whitespace() || DASHES.contains(&c) {
            continue;
        } else {
            return None;
        }
    }
    (10..=15).contains(&out.len()).then_some(out)
}

/// A name for comparison: NFKC, all whitespace removed, ASCII letters lowercased.
pub fn name(input: &str) -> String {
    input.nfkc().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_lowercase()).collect()
}

/// A name for storage: trimmed, inner runs of whitespace kept as typed.
pub fn display_name(input: &str) -> Option<String> {
    let t = input.trim();
    (!t.is_empty() && t.chars().count() <= 100 && !t.chars().any(char::is_control)).then(|| t.to_owned())
}

/// Longest staff note (contacts, handling), in characters.
pub const MAX_NOTE: usize = 1000;

/// A staff note: trimmed, at most [`MAX_NOTE`] characters, no control characters but
/// line breaks; `required` refuses an empty one.
pub fn note(input: &str, required: bool) -> Option<String> {
    let t = input.trim();
    let ok = t.chars().count() <= MAX_NOTE && !t.chars().any(|c| c.is_control() && c != '\n' && c != '\r') && (!required || !t.is_empty());
    ok.then(|| t.to_owned())
}

/// A smartphone input ID: 6 or 7 digits after NFKC, spaces and hyphens dropped.
pub fn input_id(input: &str) -> Option<String> {
    let digits: String = input.nfkc().filter(|c| !c.is_whitespace() && !DASHES.contains(c)).collect();
    ((6..=7).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// A verification code as typed (full-width digits and spaces allowed).
pub fn code(input: &str) -> String {
    input.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// An e-mail address: trimmed, lowercased, and syntactically valid.
pub fn email(input: &str) -> Option<String> {
    let e = input.trim().to_lowercase();
    if e.len() > 254 || e.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    e.parse::<lettre::Address>().ok().map(|_| e)
}

/// A calendar date `YYYY-MM-DD` (full-width digits allowed).
pub fn date(input: &str) -> Option<NaiveDate> {
    let s: String = input.nfkc().collect();
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_lose_width_spaces_and_hyphens() {
        for typed in ["09012345678", "090-1234-5678", "０９０－１２３４－５６７８", " 090 1234 5678 ", "090ー1234ー5678"] {
            assert_eq!(phone(typed).as_deref(), Some("09012345678"), "{typed:?}");
        }
        assert_eq!(phone("090-1234-567x"), None);
        assert_eq!(phone("12345"), None);
        assert_eq!(phone("+81 90 1234 5678"), None);
    }

    #[test]
    fn names_compare_without_spaces_or_width() {
        assert_eq!(name("山田 太郎"), name("山田　太郎"));
        assert_eq!(name("山田太郎"), name(" 山田  太郎 "));
        assert_eq!(name("ﾔﾏﾀﾞ"), name("ヤマダ"));
        assert_eq!(name("Taro YAMADA"), name("taro yamada"));
        assert_ne!(name("山田太郎"), name("山田次郎"));
        assert_eq!(display_name("  山田 太郎 ").as_deref(), Some("山田 太郎"));
        assert_eq!(display_name("   "), None);
    }

    #[test]
    fn input_ids_are_six_or_seven_digits() {
        assert_eq!(input_id("１２３４５６７").as_deref(), Some("1234567"));
        assert_eq!(input_id("123-456").as_deref(), Some("123456"));
        assert_eq!(input_id("12345"), None);
        assert_eq!(input_id("12345678"), None);
        assert_eq!(input_id("12345a"), None);
    }

    #[test]
    fn emails_and_dates() {
        assert_eq!(email(" Hanako@Example.JP ").as_deref(), Some("hanako@example.jp"));
        assert_eq!(email("not an address"), None);
        assert_eq!(email("a@"), None);
        assert_eq!(date("１９８０-０１-０２"), NaiveDate::from_ymd_opt(1980, 1, 2));
        assert_eq!(date("1980/01/02"), None);
        assert_eq!(code(" １２３ ４５６ "), "123456");
    }
}
