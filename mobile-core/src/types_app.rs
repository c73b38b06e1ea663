//! Records for the app's own screens that cross the FFI: the password rule as it is
//! typed, the daily reminder, the data-handling notice.

/// One part of the password rule and whether the password typed so far meets it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PasswordRulePart {
    /// The part, e.g. `8文字以上` or `数字（0〜9）`.
    pub label: String,
    /// Met by what was typed.
    pub met: bool,
}

/// The password rule of the registration guide, checked against what was typed so
/// far (the server checks it again, with the list of common passwords).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PasswordRuleView {
    /// The rule as one sentence.
    pub rule: String,
    /// Its parts: the length, then the four kinds of character.
    pub parts: Vec<PasswordRulePart>,
    /// How many kinds are needed and how many there are, e.g. `…3種類以上（いま2種類）`.
    pub kinds_note: String,
    /// The length is right and at least 3 kinds are there.
    pub meets_rule: bool,
}

/// A local time of day for the daily reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ReminderTime {
    /// 0–23.
    pub hour: u8,
    /// 0–59.
    pub minute: u8,
}

/// The next daily reminder to schedule: when, and what it says.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ReminderPlan {
    /// When it should ring, milliseconds since 1970-01-01 UTC.
    pub at_epoch_ms: i64,
    /// The notification's title.
    pub title: String,
    /// The notification's text.
    pub body: String,
}

/// The data-handling notice, as printed on the leaflet.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NoticeView {
    /// The heading.
    pub title: String,
    /// The paragraphs.
    pub paragraphs: Vec<String>,
}
