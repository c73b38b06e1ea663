//! The automated morning call (自動架電) as a state machine over keypad answers, built
//! from the one question set: greeting (rotary-dial users press * first) → kind 1/2 →
//! temperature as three digits → the nine questions 1/2/9 → 「健康記録を登録しました。
//! ご協力ありがとうございました。」. A completed call gives a [`DailyReport`] of exactly
//! the shape an app report has, triaged the same way; when the advice is "call now" the
//! caller hears whom to call before the thanks.
//!
//! A wrong key, an out-of-range temperature or silence is asked again, at most
//! [`MAX_REASKS`] times per step; then the call ends as incomplete. Hanging up part-way
//! leaves no report. The state is plain data (serde), kept between a provider's
//! webhook requests; the provider formats (TwiML, NCCO) are the server's business.

use crate::call::whom_to_call;
use crate::{AdviceLevel, Answer, Answers, DailyReport, Kind, Lang, QUESTIONS, Temperature, Text, triage};
use serde::{Deserialize, Serialize};

/// How many times one step is asked again after a wrong key or silence.
pub const MAX_REASKS: u8 = 3;

/// Seconds a provider waits for the first key before it reports silence.
pub const KEY_TIMEOUT_SECS: u8 = 8;

/// The key that ends an entry early (digits are also taken when the count is reached).
pub const FINISH_KEY: char = '#';

/// The rotary-dial prefix: such a phone sends tones only after `*`.
pub const ROTARY_KEY: char = '*';

const GREETING: Text = Text {
    ja: "こちらは保健所の健康観察、みまもりです。健康記録を入力してください。ダイヤル回線の方は※を押してから番号を入力してください。",
    en: "This is Mimamori, your health centre's health check. Please record your health. If you use a rotary-dial phone, press star first, then the numbers.",
};
const ASK_KIND: Text = Text {
    ja: "新型コロナウイルス感染症の方は1を。濃厚接触者の方は2を入力してください。",
    en: "If you have the infection, press 1. If you are a close contact, press 2.",
};
const ASK_TEMPERATURE: Text = Text {
    ja: "体温を3桁の数字で入力してください。36.5度の場合には365と入力してください。",
    en: "Enter your temperature as three digits. For 36.5 degrees, enter 3 6 5.",
};
const WRONG_KEY: Text = Text { ja: "入力が正しくありません。", en: "That key is not one of the choices." };
const SILENCE: Text = Text { ja: "入力が確認できませんでした。", en: "No key was pressed." };
const OUT_OF_RANGE: Text =
    Text { ja: "体温は34.0度から42.0度の間で入力してください。", en: "The temperature must be between 34.0 and 42.0 degrees." };
const REGISTERED: Text = Text { ja: "健康記録を登録しました。", en: "Your health record has been registered." };
const THANKS: Text = Text { ja: "ご協力ありがとうございました。", en: "Thank you for your cooperation." };
const URGENT: Text = Text {
    ja: "緊急性の高い症状があります。",
    en: "You have answered with an urgent symptom.",
};
const GAVE_UP: Text = Text {
    ja: "入力が確認できなかったため、通話を終了します。保健所から改めてご連絡することがあります。",
    en: "We could not get your answers, so this call ends now. The health centre may contact you again.",
};

/// Where a call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "at", content = "n")]
pub enum Step {
    /// Kind 1/2 (after the greeting).
    Kind,
    /// Temperature, three digits.
    Temperature,
    /// Question `n` (0-based, call-script order), 1/2/9.
    Question(u8),
    /// All answered: the report is made.
    Done,
}

impl Step {
    /// A short stable label for the attempt table and logs (no answers in it).
    pub fn label(self) -> String {
        match self {
            Step::Kind => "kind".into(),
            Step::Temperature => "temperature".into(),
            Step::Question(n) => format!("q{}", n + 1),
            Step::Done => "done".into(),
        }
    }
}

/// What the caller did at a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keys<'a> {
    /// The keys pressed (a trailing `#` and a leading `*` are allowed).
    Pressed(&'a str),
    /// Nothing was pressed before the time ran out.
    Silence,
}

/// What the provider should say, and how many keys to collect after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// The words to speak.
    pub say: String,
    /// How many keys end the entry (also ended by `#`).
    pub digits: u8,
}

/// The next move of the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Turn {
    /// Say this and collect keys.
    Ask(Prompt),
    /// Every answer is in: store the report, say this, hang up.
    Completed {
        /// The report, exactly as an app report of the same answers.
        report: DailyReport,
        /// The closing words (with whom to call when the advice says so).
        say: String,
    },
    /// Too many wrong keys or silences: say this and hang up; the attempt is incomplete
    /// and no report is made.
    GaveUp {
        /// The closing words.
        say: String,
    },
}

/// One call's progress, kept between webhook requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallState {
    step: Step,
    kind: Option<Kind>,
    temperature_tenths: Option<u16>,
    answers: Vec<u8>,
    reasks: u8,
    rotary: bool,
}

/// Keys as pressed, without the rotary prefix and the finishing key.
fn digits_of(keys: &str) -> &str {
    keys.trim().trim_start_matches(ROTARY_KEY).trim_end_matches(FINISH_KEY)
}

impl CallState {
    /// A new call: the greeting and the kind question.
    pub fn start(lang: Lang) -> (CallState, Prompt) {
        let state = CallState { step: Step::Kind, kind: None, temperature_tenths: None, answers: Vec::new(), reasks: 0, rotary: false };
        let prompt = Prompt { say: format!("{}{}", GREETING.get(lang), ASK_KIND.get(lang)), digits: 1 };
        (state, prompt)
    }

    /// Where the call is.
    pub fn step(&self) -> Step {
        self.step
    }

    /// The current step's question alone (to repeat it).
    pub fn prompt(&self, lang: Lang) -> Prompt {
        match self.step {
            Step::Kind => Prompt { say: ASK_KIND.get(lang).to_owned(), digits: 1 },
            Step::Temperature => Prompt { say: ASK_TEMPERATURE.get(lang).to_owned(), digits: 3 },
            Step::Question(n) => Prompt { say: QUESTIONS[usize::from(n)].phone_prompt.get(lang).to_owned(), digits: 1 },
            Step::Done => Prompt { say: String::new(), digits: 0 },
        }
    }

    /// Takes the caller's keys at the current prompt. `centre` and `number` are the
    /// person's health centre and its emergency number, said when the advice is "call
    /// now".
    pub fn answer(&mut self, keys: Keys<'_>, lang: Lang, centre: Option<&str>, number: Option<&str>) -> Turn {
        let pressed = match keys {
            Keys::Silence => return self.ask_again(SILENCE, lang),
            Keys::Pressed(k) => k,
        };
        let digits = digits_of(pressed);
        if digits.is_empty() && pressed.contains(ROTARY_KEY) && !self.rotary {
            // A rotary-dial phone switching to tones: ask the same again, no try lost.
            self.rotary = true;
            return Turn::Ask(self.prompt(lang));
        }
        let taken = match self.step {
            Step::Kind => match digits.as_bytes() {
                [d] => Kind::from_dtmf(d.wrapping_sub(b'0')).map(|k| self.kind = Some(k)).ok_or(WRONG_KEY),
                _ => Err(WRONG_KEY),
            },
            Step::Temperature => match Temperature::parse_phone(digits) {
                Ok(t) => {
                    self.temperature_tenths = Some(t.tenths());
                    Ok(())
                }
                Err(crate::TemperatureError::OutOfRange) => Err(OUT_OF_RANGE),
                Err(_) => Err(WRONG_KEY),
            },
            Step::Question(_) => match digits.as_bytes() {
                [d] if Answer::from_code(d.wrapping_sub(b'0')).is_some() => {
                    self.answers.push(d - b'0');
                    Ok(())
                }
                _ => Err(WRONG_KEY),
            },
            Step::Done => Err(WRONG_KEY),
        };
        if let Err(why) = taken {
            return self.ask_again(why, lang);
        }
        self.reasks = 0;
        self.step = match self.step {
            Step::Kind => Step::Temperature,
            Step::Temperature => Step::Question(0),
            Step::Question(n) if usize::from(n) + 1 < QUESTIONS.len() => Step::Question(n + 1),
            Step::Question(_) | Step::Done => Step::Done,
        };
        match self.step {
            Step::Done => self.finish(lang, centre, number),
            _ => Turn::Ask(self.prompt(lang)),
        }
    }

    fn ask_again(&mut self, why: Text, lang: Lang) -> Turn {
        if self.step == Step::Done || self.reasks >= MAX_REASKS {
            return Turn::GaveUp { say: GAVE_UP.get(lang).to_owned() };
        }
        self.reasks += 1;
        let again = self.prompt(lang);
        Turn::Ask(Prompt { say: format!("{}{}", why.get(lang), again.say), digits: again.digits })
    }

    fn finish(&self, lang: Lang, centre: Option<&str>, number: Option<&str>) -> Turn {
        let made = (|| {
            let kind = self.kind?;
            let temperature = Temperature::from_tenths(i64::from(self.temperature_tenths?)).ok()?;
            let answers = Answers::from_codes(&self.answers).ok()?;
            Some(DailyReport { kind, temperature, answers })
        })();
        let Some(report) = made else {
            return Turn::GaveUp { say: GAVE_UP.get(lang).to_owned() };
        };
        let mut say = REGISTERED.get(lang).to_owned();
        if triage(&report).level == AdviceLevel::CallNow {
            say.push_str(URGENT.get(lang));
            say.push_str(&whom_to_call(lang, centre, number));
        }
        say.push_str(THANKS.get(lang));
        Turn::Completed { report, say }
    }
}

#[cfg(test)]
#[path = "call_script_tests.rs"]
mod tests;
