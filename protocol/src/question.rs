//! The nine questions of the daily health report, with their wording for screens and
//! for the automated call, taken from the national call script.

use crate::answer::Answer;
use crate::lang::{Lang, Text};
use crate::urgent::UrgentGroup;
use serde::{Deserialize, Serialize};

/// A question's stable identifier. The order is the order of the call script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionId {
    /// 1. Face colour and expression as usual? (1 = NOT as usual)
    Face,
    /// 2. Cough or runny nose.
    Cough,
    /// 3. Breathlessness.
    Breathlessness,
    /// 4. Fatigue.
    Fatigue,
    /// 5. Vomiting or nausea.
    Nausea,
    /// 6. Diarrhoea.
    Diarrhoea,
    /// 7. Impaired consciousness.
    Consciousness,
    /// 8. Eating without problems? (1 = there IS a problem)
    Eating,
    /// 9. Urination problems.
    Urination,
}

impl QuestionId {
    /// Position in the question set, from 0.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The stable string id used in storage, on the wire and in bindings.
    pub fn as_str(self) -> &'static str {
        self.question().key
    }

    /// The full question.
    pub fn question(self) -> &'static Question {
        &QUESTIONS[self.index()]
    }

    /// The question with a stable string id.
    pub fn parse(key: &str) -> Option<QuestionId> {
        QUESTIONS.iter().find(|q| q.key == key).map(|q| q.id)
    }
}

/// One question of the daily report.
#[derive(Debug)]
pub struct Question {
    /// Identifier.
    pub id: QuestionId,
    /// Stable string id.
    pub key: &'static str,
    /// The question as shown on a screen.
    pub text: Text,
    /// What the question is about, for reasons and tables ("息苦しさ").
    pub topic: Text,
    /// The finding when answered 1 ("息苦しさがある").
    pub finding: Text,
    /// Labels of the three answers, in the order 1, 2, 9.
    pub options: [Text; 3],
    /// The complete prompt of the automated call.
    pub phone_prompt: Text,
    /// The urgent-symptom group a "1" (or unknown) answer points at, if any.
    pub urgent_group: Option<UrgentGroup>,
}

impl Question {
    /// The label of one answer in `lang`.
    pub fn option_label(&self, answer: Answer, lang: Lang) -> &'static str {
        let i = match answer {
            Answer::Yes => 0,
            Answer::No => 1,
            Answer::Unknown => 2,
        };
        self.options[i].get(lang)
    }
}

const YES: Text = Text { ja: "ある", en: "Yes" };
const NO: Text = Text { ja: "ない", en: "No" };
const UNKNOWN: Text = Text {
    ja: "不明・わからない",
    en: "Unknown / can't tell",
};

/// The question set, in call-script order. The one copy every channel uses.
pub static QUESTIONS: [Question; 9] = [
    Question {
        id: QuestionId::Face,
        key: "face",
        text: Text {
            ja: "顔色、表情はいつもどおりですか",
            en: "Are face colour and expression as usual?",
        },
        topic: Text { ja: "顔色・表情", en: "Face colour and expression" },
        finding: Text {
            ja: "顔色・表情がいつもどおりでない",
            en: "Face colour or expression not as usual",
        },
        options: [
            Text { ja: "いつも通りでない", en: "Not as usual" },
            Text { ja: "いつも通り", en: "As usual" },
            UNKNOWN,
        ],
        phone_prompt: Text {
            ja: "顔色、表情はいつもどおりですか。いつも通りでない場合は1を。いつも通りの場合は2を。不明、わからない場合は9を入力してください。",
            en: "Are your face colour and expression as usual? If not as usual, press 1. If as usual, press 2. If unknown, press 9.",
        },
        urgent_group: Some(UrgentGroup::Appearance),
    },
    Question {
        id: QuestionId::Cough,
        key: "cough",
        text: Text { ja: "咳、鼻水の症状はありますか", en: "Do you have a cough or runny nose?" },
        topic: Text { ja: "咳・鼻水", en: "Cough or runny nose" },
        finding: Text { ja: "咳・鼻水がある", en: "Cough or runny nose" },
        options: [YES, NO, UNKNOWN],
        phone_prompt: Text {
            ja: "咳、鼻水の症状はありますか。ある場合は1を。ない場合は2を。不明、わからない場合は9を入力してください。",
            en: "Do you have a cough or runny nose? If yes, press 1. If no, press 2. If unknown, press 9.",
        },
        urgent_group: None,
    },
    Question {
        id: QuestionId::Breathlessness,
        key: "breathlessness",
        text: Text { ja: "息苦しさはありますか", en: "Are you short of breath?" },
        topic: Text { ja: "息苦しさ", en: "Breathlessness" },
        finding: Text { ja: "息苦しさがある", en: "Breathlessness" },
        options: [YES, NO, UNKNOWN],
        phone_prompt: Text {
            ja: "息苦しさはありますか。ある場合は1を。ない場合は2を。不明、わからない場合は9を入力してください。",
            en: "Are you short of breath? If yes, press 1. If no, press 2. If unknown, press 9.",
        },
        urgent_group: Some(UrgentGroup::Breathing),
    },
    Question {
        id: QuestionId::Fatigue,
        key: "fatigue",
        text: Text { ja: "倦怠感がありますか", en: "Do you feel fatigue?" },
        topic: Text { ja: "倦怠感", en: "Fatigue" },
        finding: Text { ja: "倦怠感がある", en: "Fatigue" },
        options: [YES, NO, UNKNOWN],
        phone_prompt: Text {
            ja: "倦怠感がありますか。ある場合は1を。ない場合は2を。不明、わからない場合は9を入力してください。",
            en: "Do you feel fatigue? If yes, press 1. If no, press 2. If unknown, press 9.",
        },
        urgent_group: None,
    },
    Question {
        id: QuestionId::Nausea,
        key: "nausea",
        text: Text { ja: "嘔吐、吐き気はありますか", en: "Do you have vomiting or nausea?" },
        topic: Text { ja: "嘔吐・吐き気", en: "Vomiting or nausea" },
        finding: Text { ja: "嘔吐・吐き気がある", en: "Vomiting or nausea" },
        options: [YES, NO, UNKNOWN],
        phone_prompt: Text {
            ja: "嘔吐、吐き気はありますか。ある場合は1を。ない場合は2を。不明、わからない場合は9を入力してください。",
            en: "Do you have vomiting or nausea? If yes, press 1. If no, press 2. If unknown, press 9.",
        },
        urgent_group: None,
    },
    Question {
        id: QuestionId::Diarrhoea,
        key: "diarrhoea",
        text: Text { ja: "下痢の症状はありますか", en: "Do you have diarrhoea?" },
        topic: Text { ja: "下痢", en: "Diarrhoea" },
        finding: Text { ja: "下痢がある", en: "Diarrhoea" },
        options: [YES, NO, UNKNOWN],
        phone_prompt: Text {
            ja: "下痢の症状はありますか。ある場合は1を。ない場合は2を。不明、わからない場合は9を入力してください。",
            en: "Do you have diarrhoea? If yes, press 1. If no, press 2. If unknown, press 9.",
        },
        urgent_group: None,
    },
    Question {
        id: QuestionId::Consciousness,
        key: "consciousness",
        text: Text { ja: "意識障害はありますか", en: "Is there impaired consciousness?" },
        topic: Text { ja: "意識障害", en: "Impaired consciousness" },
        finding: Text { ja: "意識障害がある", en: "Impaired consciousness" },
        options: [
            YES,
            NO,
            Text {
                ja: "不明・同居者がおらずわからない",
                en: "Unknown / living alone, nobody can tell",
            },
        ],
        phone_prompt: Text {
            ja: "意識障害はありますか。ある場合は1を。ない場合は2を。不明、同居者がおらずわからない場合は9を入力してください。",
            en: "Is there impaired consciousness? If yes, press 1. If no, press 2. If unknown, or you live alone and nobody can tell, press 9.",
        },
        urgent_group: Some(UrgentGroup::Consciousness),
    },
    Question {
        id: QuestionId::Eating,
        key: "eating",
        text: Text {
            ja: "食事は問題なく取れていますか",
            en: "Are you eating without problems?",
        },
        topic: Text { ja: "食事", en: "Eating" },
        finding: Text { ja: "食事に問題がある", en: "Problems eating" },
        options: [
            Text { ja: "問題がある", en: "There is a problem" },
            Text { ja: "問題ない", en: "No problem" },
            UNKNOWN,
        ],
        phone_prompt: Text {
            ja: "食事は問題なく取れていますか。問題がある場合は1を。ない場合は2を。不明、わからない場合は9を入力してください。",
            en: "Are you eating without problems? If there is a problem, press 1. If not, press 2. If unknown, press 9.",
        },
        urgent_group: None,
    },
    Question {
        id: QuestionId::Urination,
        key: "urination",
        text: Text { ja: "排尿障害はありますか", en: "Do you have problems urinating?" },
        topic: Text { ja: "排尿障害", en: "Urination problems" },
        finding: Text { ja: "排尿障害がある", en: "Urination problems" },
        options: [YES, NO, UNKNOWN],
        phone_prompt: Text {
            ja: "排尿障害はありますか。ある場合は1を。ない場合は2を。不明、わからない場合は9を入力してください。",
            en: "Do you have problems urinating? If yes, press 1. If no, press 2. If unknown, press 9.",
        },
        urgent_group: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_questions_in_script_order_with_unique_keys() {
        assert_eq!(QUESTIONS.len(), 9);
        for (i, q) in QUESTIONS.iter().enumerate() {
            assert_eq!(q.id.index(), i);
            assert_eq!(QuestionId::parse(q.key), Some(q.id));
            assert!(q.phone_prompt.ja.starts_with(q.text.ja), "{}", q.key);
            assert!(q.phone_prompt.ja.ends_with("9を入力してください。"), "{}", q.key);
            assert!(!q.text.en.is_empty() && !q.finding.en.is_empty());
        }
        let mut keys: Vec<_> = QUESTIONS.iter().map(|q| q.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 9);
        assert_eq!(QuestionId::parse("fever"), None);
    }

    #[test]
    fn face_and_eating_are_phrased_so_that_one_is_the_bad_answer() {
        let face = QuestionId::Face.question();
        assert_eq!(face.option_label(Answer::Yes, Lang::Ja), "いつも通りでない");
        assert_eq!(face.option_label(Answer::No, Lang::Ja), "いつも通り");
        let eating = QuestionId::Eating.question();
        assert_eq!(eating.option_label(Answer::Yes, Lang::Ja), "問題がある");
        assert_eq!(eating.option_label(Answer::No, Lang::En), "No problem");
        assert!(
            QuestionId::Consciousness
                .question()
                .option_label(Answer::Unknown, Lang::Ja)
                .contains("同居者がおらず")
        );
    }

    #[test]
    fn urgent_groups_hang_off_face_breathing_and_consciousness_only() {
        let pointing: Vec<_> = QUESTIONS
            .iter()
            .filter_map(|q| q.urgent_group.map(|g| (q.id, g)))
            .collect();
        assert_eq!(
            pointing,
            vec![
                (QuestionId::Face, UrgentGroup::Appearance),
                (QuestionId::Breathlessness, UrgentGroup::Breathing),
                (QuestionId::Consciousness, UrgentGroup::Consciousness),
            ]
        );
    }
}
