//! The password rule of the registration guide, one copy for the server (which
//! enforces it), the phone core and the patient pages (which show it as it is typed):
//! at least 8 characters (at most 128) with at least 3 of lowercase, uppercase, digit,
//! symbol, counted on visible characters (a space is no symbol), no control characters,
//! and not easy to guess. Guessability is zxcvbn's estimate (its lists of common
//! passwords, words, names and keyboard patterns, plus the e-mail address and the words
//! people here build passwords on), in the `strength` feature the server enables; the
//! phone needs only the rule's parts.

use crate::text::is_invisible;
use crate::{Lang, Text};

/// The rule as one sentence.
pub const PASSWORD_RULE: Text = Text {
    ja: "パスワードは8文字以上で、英小文字・英大文字・数字・記号のうち3種類以上を含めてください。",
    en: "Use at least 8 characters with at least 3 of: lowercase, uppercase, digit, symbol.",
};

/// The parts of the rule, as a list shown beside the field while it is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulePart {
    /// 8 to 128 characters, not counting invisible ones.
    Length,
    /// A lowercase letter (a–z).
    Lower,
    /// An uppercase letter (A–Z).
    Upper,
    /// A digit (0–9).
    Digit,
    /// Any other character.
    Symbol,
}

impl RulePart {
    /// Every part, in the order shown.
    pub const ALL: [RulePart; 5] = [RulePart::Length, RulePart::Lower, RulePart::Upper, RulePart::Digit, RulePart::Symbol];

    /// The part's label.
    pub fn text(self) -> Text {
        match self {
            RulePart::Length => Text { ja: "8文字以上", en: "At least 8 characters" },
            RulePart::Lower => Text { ja: "英小文字（a〜z）", en: "Lowercase letter (a–z)" },
            RulePart::Upper => Text { ja: "英大文字（A〜Z）", en: "Uppercase letter (A–Z)" },
            RulePart::Digit => Text { ja: "数字（0〜9）", en: "Digit (0–9)" },
            RulePart::Symbol => Text { ja: "記号", en: "Symbol" },
        }
    }

    /// Whether `password` meets this part.
    pub fn met_by(self, password: &str) -> bool {
        match self {
            RulePart::Length => (8..=128).contains(&password.chars().filter(|c| !c.is_control() && !is_invisible(*c)).count()),
            RulePart::Lower => password.chars().any(|c| c.is_ascii_lowercase()),
            RulePart::Upper => password.chars().any(|c| c.is_ascii_uppercase()),
            RulePart::Digit => password.chars().any(|c| c.is_ascii_digit()),
            RulePart::Symbol => password.chars().any(is_symbol),
        }
    }
}

/// How many of the four kinds of character `password` has (3 are needed).
pub fn password_classes(password: &str) -> usize {
    RulePart::ALL[1..].iter().filter(|p| p.met_by(password)).count()
}

/// The note under the list: how many kinds are needed and how many there are.
pub fn classes_note(password: &str, lang: Lang) -> String {
    let n = password_classes(password);
    match lang {
        Lang::Ja => format!("英小文字・英大文字・数字・記号のうち3種類以上（いま{n}種類）"),
        Lang::En => format!("At least 3 kinds of character (now {n})"),
    }
}

/// Words people here build passwords on that a general list may miss: places, names,
/// the service's own words. Given to zxcvbn as words it must treat as known.
#[cfg(feature = "strength")]
const LOCAL_WORDS: &[&str] = &[
    "password", "passw0rd", "p@ssw0rd", "password1", "password123", "qwerty", "qwertyuiop", "qwerty123", "asdfgh",
    "asdfghjkl", "zxcvbn", "zxcvbnm", "letmein", "welcome", "welcome1", "admin", "administrator", "login", "iloveyou",
    "monkey", "dragon", "master", "sunshine", "princess", "football", "baseball", "soccer", "superman", "batman",
    "trustno", "shadow", "michael", "jennifer", "abc", "abcd", "abcdef", "abcdefg", "abcdefgh", "abcabc", "changeme",
    "secret", "starwars", "whatever", "freedom", "hello", "helloworld", "charlie", "donald", "access", "flower",
    "loveme", "lovely", "mustang", "ninja", "pokemon", "naruto", "doraemon", "pikachu", "tokyo", "japan", "nippon",
    "sakura", "osaka", "kyoto", "yokohama", "hokkaido", "qazwsx", "qwer", "asdf", "zaq", "zaqxsw", "test", "testtest",
    "guest", "user", "root", "default", "corona", "covid", "mimamori", "hokenjo", "health", "summer", "winter",
    "spring", "autumn", "january", "february", "december", "monday", "friday", "computer", "internet", "google",
    "apple", "samsung", "iphone", "android", "samurai", "ninja", "ramen", "sushi", "hanako", "taro", "yamada",
];

/// Why a password was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weakness {
    /// Shorter than 8 characters (or absurdly long).
    Length,
    /// Fewer than 3 of lowercase, uppercase, digit, symbol.
    Classes,
    /// Easy to guess: a common password, a word with digits, a keyboard pattern, or
    /// built on the e-mail address.
    Common,
    /// Has a control character (NUL, ESC, a line break…).
    Characters,
}

impl Weakness {
    /// The error's code on the API.
    pub fn code(self) -> &'static str {
        match self {
            Weakness::Length | Weakness::Classes | Weakness::Characters => "weak_password",
            Weakness::Common => "common_password",
        }
    }

    /// What to tell the person.
    pub fn text(self) -> Text {
        match self {
            Weakness::Length | Weakness::Classes => PASSWORD_RULE,
            Weakness::Characters => Text {
                ja: "パスワードに使えない文字（制御文字）が含まれています。",
                en: "The password contains a character that cannot be used (a control character).",
            },
            Weakness::Common => Text {
                ja: "このパスワードはよく使われていて推測されやすいため使えません。別のパスワードを設定してください。",
                en: "This password is too common and easy to guess. Please choose another one.",
            },
        }
    }
}

/// A visible character other than a letter or digit of ASCII: punctuation, or a letter
/// of another script. A space, a control or an invisible formatting character is none.
fn is_symbol(c: char) -> bool {
    !c.is_ascii_alphanumeric() && !c.is_whitespace() && !c.is_control() && !is_invisible(c)
}


/// The lowest zxcvbn score accepted: at least 10^8 guesses ("safely unguessable" for
/// an online attack that the server throttles).
#[cfg(feature = "strength")]
const MIN_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

/// Checks the rule and how easy the password is to guess. `email` is the account's
/// address: a password built on it is refused too.
#[cfg(feature = "strength")]
pub fn check_password(password: &str, email: &str) -> Result<(), Weakness> {
    if password.chars().any(char::is_control) {
        return Err(Weakness::Characters);
    }
    if !RulePart::Length.met_by(password) {
        return Err(Weakness::Length);
    }
    if password_classes(password) < 3 {
        return Err(Weakness::Classes);
    }
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    let mut known: Vec<&str> = LOCAL_WORDS.to_vec();
    known.push(&local);
    known.extend(local.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 3));
    if zxcvbn::zxcvbn(password, &known).score() < MIN_SCORE {
        return Err(Weakness::Common);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "strength")]
    #[test]
    fn strength_rule_of_the_guide() {
        assert_eq!(check_password("Ab1!", "a@b.jp"), Err(Weakness::Length));
        assert_eq!(check_password("abcdefgh1", "a@b.jp"), Err(Weakness::Classes));
        assert_eq!(check_password("ABCDEFGH", "a@b.jp"), Err(Weakness::Classes));
        assert_eq!(check_password("Kumo-no-ue9", "a@b.jp"), Ok(()));
        assert_eq!(check_password("kumonoue9!", "a@b.jp"), Ok(()));
        assert_eq!(check_password("Tsuki9Hoshi", "a@b.jp"), Ok(()));
    }

    #[cfg(feature = "strength")]
    #[test]
    fn common_passwords_are_refused() {
        for p in ["Password1!", "P@ssw0rd", "P@ssw0rd123", "Qwerty123!", "Letmein99!", "Welcome1!", "Admin123!", "Aaaaaaaa1!"] {
            assert_eq!(check_password(p, "a@b.jp"), Err(Weakness::Common), "{p}");
        }
        assert_eq!(check_password("Hanako.Sato1", "hanako.sato@example.jp"), Err(Weakness::Common));
    }

    #[cfg(feature = "strength")]
    #[test]
    fn what_slipped_through_before_is_refused() {
        // Spaces are no symbol: upper case and a digit are two kinds only.
        assert_eq!(check_password("        A1", "a@b.jp"), Err(Weakness::Classes));
        // Characters that show as nothing do not make it longer.
        assert_eq!(check_password("\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}aA1", "a@b.jp"), Err(Weakness::Length));
        // A control character anywhere.
        assert_eq!(check_password("Kumo-no-ue9\0", "a@b.jp"), Err(Weakness::Characters));
        assert_eq!(check_password("Kumo\u{1b}no-ue9", "a@b.jp"), Err(Weakness::Characters));
        // Keyboard rows, repeated words, a word and a sequence.
        for p in ["Qwertyui1", "Passpass1", "Love1234!", "Sakura2026!", "Mimamori1!"] {
            assert_eq!(check_password(p, "a@b.jp"), Err(Weakness::Common), "{p}");
        }
        // A passphrase with spaces and Japanese characters is fine.
        assert_eq!(check_password("月が綺麗ですね Moon 9", "a@b.jp"), Ok(()));
    }

    #[test]
    fn the_list_shows_each_part_as_it_is_typed() {
        let met = |p: &str| RulePart::ALL.iter().filter(|r| r.met_by(p)).count();
        assert_eq!(met(""), 0);
        assert_eq!(met("a"), 1);
        assert_eq!(met("aB3"), 3);
        assert_eq!(met("aB3!efgh"), 5);
        assert_eq!(password_classes("aB3!"), 4);
        assert!(!RulePart::Symbol.met_by("a b\u{200B}\t"), "no visible symbol");
        assert!(RulePart::Symbol.met_by("月"));
        assert!(classes_note("ab", Lang::Ja).contains("いま1種類"));
        assert_eq!(Weakness::Classes.text(), PASSWORD_RULE);
        assert_eq!(Weakness::Common.code(), "common_password");
    }
}
