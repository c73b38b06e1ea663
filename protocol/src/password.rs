//! The password rule of the registration guide, one copy for the server (which
//! enforces it), the phone core and the patient pages (which show it as it is typed):
//! at least 8 characters (at most 128) with at least 3 of lowercase, uppercase, digit,
//! symbol, and not one of the very common passwords or built on the e-mail address.

use crate::{Lang, Text};

/// The rule as one sentence.
pub const PASSWORD_RULE: Text = Text {
    ja: "パスワードは8文字以上で、英小文字・英大文字・数字・記号のうち3種類以上を含めてください。",
    en: "Use at least 8 characters with at least 3 of: lowercase, uppercase, digit, symbol.",
};

/// The parts of the rule, as a list shown beside the field while it is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RulePart {
    /// 8 to 128 characters.
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
            RulePart::Length => (8..=128).contains(&password.chars().count()),
            RulePart::Lower => password.chars().any(|c| c.is_ascii_lowercase()),
            RulePart::Upper => password.chars().any(|c| c.is_ascii_uppercase()),
            RulePart::Digit => password.chars().any(|c| c.is_ascii_digit()),
            RulePart::Symbol => password.chars().any(|c| !c.is_ascii_alphanumeric()),
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

/// Very common passwords and the words they are built on. A candidate is refused when
/// it equals one of them, or when its letters (after undoing common substitutions such
/// as `@`→`a`, `0`→`o`) with digits and symbols stripped from both ends are one of them.
const COMMON: &[&str] = &[
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
    /// On the list of very common passwords, or built on the e-mail address.
    Common,
}

impl Weakness {
    /// The error's code on the API.
    pub fn code(self) -> &'static str {
        match self {
            Weakness::Length | Weakness::Classes => "weak_password",
            Weakness::Common => "common_password",
        }
    }

    /// What to tell the person.
    pub fn text(self) -> Text {
        match self {
            Weakness::Length | Weakness::Classes => PASSWORD_RULE,
            Weakness::Common => Text {
                ja: "このパスワードはよく使われていて推測されやすいため使えません。別のパスワードを設定してください。",
                en: "This password is too common and easy to guess. Please choose another one.",
            },
        }
    }
}

/// Checks the strength rule and the common-password list. `email` is the account's
/// address: a password built on its local part is refused too.
pub fn check_password(password: &str, email: &str) -> Result<(), Weakness> {
    if !RulePart::Length.met_by(password) {
        return Err(Weakness::Length);
    }
    if password_classes(password) < 3 {
        return Err(Weakness::Classes);
    }
    let lowered = password.to_lowercase();
    let cores = core_words(&lowered);
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    let built_on_email = local.len() >= 4 && (lowered.contains(&local) || cores.contains(&local));
    let weak_core = |c: &String| COMMON.contains(&c.as_str()) || repetitive(c);
    if COMMON.contains(&lowered.as_str()) || cores.iter().any(weak_core) || built_on_email {
        return Err(Weakness::Common);
    }
    Ok(())
}

/// The letters of a password with common substitutions undone and digits and symbols
/// stripped from both ends, in two orders: `P@ssw0rd123!` → `password`.
fn core_words(lowered: &str) -> [String; 2] {
    let undo = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '@' | '4' => 'a',
                '0' => 'o',
                '1' | '!' | '|' => 'i',
                '3' => 'e',
                '$' | '5' => 's',
                '7' => 't',
                other => other,
            })
            .collect()
    };
    let not_alpha = |c: char| !c.is_ascii_alphabetic();
    let undone_then_trimmed = undo(lowered).trim_matches(not_alpha).to_owned();
    let trimmed_then_undone = undo(lowered.trim_matches(not_alpha));
    [undone_then_trimmed, trimmed_then_undone]
}

/// One character or a short pattern repeated (`aaaaaaa`, `abababab`).
fn repetitive(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && (1..=2).any(|n| b.len() > n && b.iter().enumerate().all(|(i, c)| *c == b[i % n]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_rule_of_the_guide() {
        assert_eq!(check_password("Ab1!", "a@b.jp"), Err(Weakness::Length));
        assert_eq!(check_password("abcdefgh1", "a@b.jp"), Err(Weakness::Classes));
        assert_eq!(check_password("ABCDEFGH", "a@b.jp"), Err(Weakness::Classes));
        assert_eq!(check_password("Kumo-no-ue9", "a@b.jp"), Ok(()));
        assert_eq!(check_password("kumonoue9!", "a@b.jp"), Ok(()));
        assert_eq!(check_password("Tsuki9Hoshi", "a@b.jp"), Ok(()));
    }

    #[test]
    fn common_passwords_are_refused() {
        for p in ["Password1!", "P@ssw0rd", "P@ssw0rd123", "Qwerty123!", "Letmein99!", "Welcome1!", "Admin123!", "Aaaaaaaa1!"] {
            assert_eq!(check_password(p, "a@b.jp"), Err(Weakness::Common), "{p}");
        }
        assert_eq!(check_password("Hanako.Sato1", "hanako.sato@example.jp"), Err(Weakness::Common));
    }

    #[test]
    fn the_list_shows_each_part_as_it_is_typed() {
        let met = |p: &str| RulePart::ALL.iter().filter(|r| r.met_by(p)).count();
        assert_eq!(met(""), 0);
        assert_eq!(met("a"), 1);
        assert_eq!(met("aB3"), 3);
        assert_eq!(met("aB3!efgh"), 5);
        assert_eq!(password_classes("aB3!"), 4);
        assert!(classes_note("ab", Lang::Ja).contains("いま1種類"));
        assert_eq!(Weakness::Classes.text(), PASSWORD_RULE);
        assert_eq!(Weakness::Common.code(), "common_password");
    }
}
