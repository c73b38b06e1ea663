//! Normalising what people type: full-width digits, spaces and hyphens in phone numbers,
//! spaces in names, e-mail addresses, dates of birth and smartphone input IDs; and the
//! one text rule every free-text field follows (names, notes, reasons): trimmed, within
//! its length (never cut silently), no control characters (line breaks only in notes),
//! nothing that reverses the text after it, and something visible.

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

/// The text rule: `input` trimmed (invisible characters count as space at the ends),
/// at most `max` characters, no control character (but line breaks when `lines`), no
/// character that reverses the text after it, and — unless it may be empty — at least
/// one visible character. `None` when it breaks the rule.
pub fn text(input: &str, max: usize, lines: bool, required: bool) -> Option<String> {
    let t = input.trim_matches(|c: char| c.is_whitespace() || (protocol::text::is_invisible(c) && !protocol::text::is_direction_control(c)));
    let allowed = |c: char| !(c.is_control() && !(lines && (c == '\n' || c == '\r'))) && !protocol::text::is_direction_control(c);
    let visible = t.chars().any(|c| !c.is_whitespace() && !c.is_control() && !protocol::text::is_invisible(c));
    let ok = t.chars().count() <= max && t.chars().all(allowed) && (visible || (!required && t.is_empty()));
    ok.then(|| t.to_owned())
}

/// Longest name, in characters.
pub const MAX_NAME: usize = 100;

/// A name for storage: the text rule on one line, required, inner runs of whitespace
/// kept as typed.
pub fn display_name(input: &str) -> Option<String> {
    text(input, MAX_NAME, false, true)
}

/// Longest staff note (contacts, handling, transfer reasons), in characters.
pub const MAX_NOTE: usize = 1000;

/// A staff note: the text rule with line breaks, at most [`MAX_NOTE`] characters;
/// `required` refuses an empty one.
pub fn note(input: &str, required: bool) -> Option<String> {
    text(input, MAX_NOTE, true, required)
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
    fn one_text_rule_for_names_and_notes() {
        assert_eq!(display_name("  山田　太郎 ").as_deref(), Some("山田　太郎"));
        assert_eq!(display_name("\u{200B}山田\u{FEFF}").as_deref(), Some("山田"));
        for bad in ["", "   ", "\u{200B}\u{200B}", "\u{202E}oroT", "山田\u{2067}", "山田\0", "山\u{1b}田", "山田\n太郎", &"あ".repeat(101)] {
            assert_eq!(display_name(bad), None, "{bad:?}");
        }
        assert_eq!(note("一行目\n二行目", true).as_deref(), Some("一行目\n二行目"));
        assert_eq!(note("", false).as_deref(), Some(""));
        assert_eq!(note("", true), None);
        assert_eq!(note("\u{200B}", true), None);
        for bad in ["留守\0", "留守\u{1b}[31m", "\u{202E}理由"] {
            assert_eq!(note(bad, false), None, "{bad:?}");
        }
        assert_eq!(note(&"字".repeat(1000), true).map(|n| n.chars().count()), Some(1000));
        assert_eq!(note(&"字".repeat(1001), true), None, "refused, never cut");
    }

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
