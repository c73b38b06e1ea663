//! Answer codes (1 = yes, 2 = no, 9 = unknown) and the nine answers of a report.

use crate::question::{QUESTIONS, QuestionId};
use serde::{Deserialize, Serialize};

/// One answer as keyed on the phone or tapped in the app.
///
/// Code 1 is always the answer that signals a concern: for "face as usual?" it means
/// NOT as usual, and for "eating without problems?" it means there IS a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    /// Code 1: the symptom is present (or, for face and eating, something is wrong).
    Yes,
    /// Code 2: the symptom is absent (or, for face and eating, all is as usual).
    No,
    /// Code 9: unknown, cannot tell.
    Unknown,
}

impl Answer {
    /// Every answer, in keypad order.
    pub const ALL: [Answer; 3] = [Answer::Yes, Answer::No, Answer::Unknown];

    /// The keypad code (1, 2 or 9).
    pub fn code(self) -> u8 {
        match self {
            Answer::Yes => 1,
            Answer::No => 2,
            Answer::Unknown => 9,
        }
    }

    /// The answer for a keypad code.
    pub fn from_code(code: u8) -> Option<Answer> {
        match code {
            1 => Some(Answer::Yes),
            2 => Some(Answer::No),
            9 => Some(Answer::Unknown),
            _ => None,
        }
    }
}

/// Why a set of answers was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// Not exactly nine answers.
    #[error("expected 9 answers, got {0}")]
    WrongCount(usize),
    /// An answer code other than 1, 2 or 9, at the 1-based question number.
    #[error("answer {question} must be 1, 2 or 9")]
    BadCode {
        /// 1-based question number.
        question: usize,
    },
}

/// The nine answers of a daily report, in question order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Answers([Answer; 9]);

impl Answers {
    /// Answers from nine values in question order.
    pub fn new(answers: [Answer; 9]) -> Answers {
        Answers(answers)
    }

    /// Answers from keypad codes in question order.
    pub fn from_codes(codes: &[u8]) -> Result<Answers, AnswerError> {
        if codes.len() != QUESTIONS.len() {
            return Err(AnswerError::WrongCount(codes.len()));
        }
        let mut out = [Answer::No; 9];
        for (i, (slot, &code)) in out.iter_mut().zip(codes).enumerate() {
            *slot = Answer::from_code(code).ok_or(AnswerError::BadCode { question: i + 1 })?;
        }
        Ok(Answers(out))
    }

    /// Answers from their compact form, nine digits such as `"222222222"`.
    pub fn parse(digits: &str) -> Result<Answers, AnswerError> {
        let codes: Vec<u8> = digits
            .chars()
            .map(|c| c.to_digit(10).map_or(u8::MAX, |d| d as u8))
            .collect();
        Answers::from_codes(&codes)
    }

    /// The compact form: nine keypad digits in question order.
    pub fn to_digits(&self) -> String {
        self.0.iter().map(|a| char::from(b'0' + a.code())).collect()
    }

    /// The answer to one question.
    pub fn get(&self, id: QuestionId) -> Answer {
        self.0[id.index()]
    }

    /// The keypad codes in question order.
    pub fn codes(&self) -> [u8; 9] {
        self.0.map(Answer::code)
    }

    /// The answers in question order.
    pub fn as_array(&self) -> &[Answer; 9] {
        &self.0
    }
}

impl Serialize for Answers {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.codes().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Answers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let codes = Vec::<u8>::deserialize(d)?;
        Answers::from_codes(&codes).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_one_two_nine() {
        for a in Answer::ALL {
            assert_eq!(Answer::from_code(a.code()), Some(a));
        }
        for bad in [0, 3, 4, 5, 6, 7, 8, 10] {
            assert_eq!(Answer::from_code(bad), None, "code {bad}");
        }
    }

    #[test]
    fn nine_answers_exactly() {
        assert_eq!(Answers::from_codes(&[2; 8]), Err(AnswerError::WrongCount(8)));
        assert_eq!(Answers::from_codes(&[2; 10]), Err(AnswerError::WrongCount(10)));
        assert_eq!(
            Answers::from_codes(&[2, 2, 2, 3, 2, 2, 2, 2, 2]),
            Err(AnswerError::BadCode { question: 4 })
        );
        let a = Answers::from_codes(&[1, 2, 9, 2, 2, 2, 2, 1, 2]).expect("valid");
        assert_eq!(a.get(QuestionId::Face), Answer::Yes);
        assert_eq!(a.get(QuestionId::Breathlessness), Answer::Unknown);
        assert_eq!(a.get(QuestionId::Eating), Answer::Yes);
        assert_eq!(a.to_digits(), "129222212");
        assert_eq!(Answers::parse("129222212"), Ok(a));
        assert_eq!(Answers::parse("12922221x"), Err(AnswerError::BadCode { question: 9 }));
    }

    #[test]
    fn serde_uses_the_keypad_codes() {
        let a = Answers::parse("122222229").expect("valid");
        let json = serde_json::to_string(&a).expect("serialises");
        assert_eq!(json, "[1,2,2,2,2,2,2,2,9]");
        assert_eq!(serde_json::from_str::<Answers>(&json).expect("parses"), a);
        assert!(serde_json::from_str::<Answers>("[1,2,3,2,2,2,2,2,2]").is_err());
    }
}
