//! Triage: what a daily report or a family's urgent-symptom checklist means for the
//! person — nothing to do, watch, or call the emergency number now — and why.
//!
//! Rules, from the leaflet and the report form:
//! - infected or awaiting a result: any urgent symptom → call now;
//! - close contact: cough or fever (37.5 °C or more) → call now;
//! - a report answer that points at an urgent group (face not as usual, breathlessness,
//!   impaired consciousness) → call now and check that group's list; "unknown" for one
//!   of those → watch and check that group's list;
//! - any other symptom, or a fever of an infected person → watch.

use crate::answer::{Answer, Answers};
use crate::kind::Kind;
use crate::lang::{Lang, Text};
use crate::question::{QUESTIONS, QuestionId};
use crate::temperature::Temperature;
use crate::urgent::{UrgentGroup, UrgentSymptom};
use serde::{Deserialize, Serialize};

/// How urgently the person should act. Ordered: `NoAction < Watch < CallNow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdviceLevel {
    /// Nothing needs action.
    #[serde(rename = "none")]
    NoAction,
    /// Watch for changes; call if an urgent symptom appears.
    Watch,
    /// Call the health centre's emergency number now.
    CallNow,
}

impl AdviceLevel {
    /// Stable string id.
    pub fn as_str(self) -> &'static str {
        match self {
            AdviceLevel::NoAction => "none",
            AdviceLevel::Watch => "watch",
            AdviceLevel::CallNow => "call_now",
        }
    }

    /// The level with a stable string id.
    pub fn parse(s: &str) -> Option<AdviceLevel> {
        [AdviceLevel::NoAction, AdviceLevel::Watch, AdviceLevel::CallNow]
            .into_iter()
            .find(|l| l.as_str() == s)
    }

    /// The headline a screen or page shows for this level.
    pub fn headline(self, lang: Lang) -> &'static str {
        let t = match self {
            AdviceLevel::NoAction => Text {
                ja: "緊急の対応が必要な回答はありません。",
                en: "Nothing in these answers needs urgent action.",
            },
            AdviceLevel::Watch => Text {
                ja: "体調の変化に注意してください。緊急性の高い症状があれば、緊急連絡先にお電話ください。",
                en: "Watch how you feel. If an urgent symptom appears, call the emergency number.",
            },
            AdviceLevel::CallNow => Text {
                ja: "すぐに保健所の緊急連絡先にお電話ください。",
                en: "Call your health centre's emergency number now.",
            },
        };
        t.get(lang)
    }
}

/// One reason behind an advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Reason {
    /// Fever (37.5 °C or more); the measured value when there is one.
    Fever {
        /// Tenths of a degree, when measured.
        tenths: Option<u16>,
    },
    /// A question answered 1 (symptom present, or face / eating not as usual).
    Symptom {
        /// The question.
        question: QuestionId,
    },
    /// "Unknown" for a question that points at an urgent group.
    Unknown {
        /// The question.
        question: QuestionId,
    },
    /// An urgent symptom ticked on the checklist.
    Urgent {
        /// The symptom.
        symptom: UrgentSymptom,
    },
}

impl Reason {
    /// The reason as a short line for screens and pages.
    pub fn text(&self, lang: Lang) -> String {
        match *self {
            Reason::Fever { tenths: Some(t) } => match lang {
                Lang::Ja => format!("発熱 {}.{}℃（37.5℃以上）", t / 10, t % 10),
                Lang::En => format!("Fever {}.{} °C (37.5 °C or more)", t / 10, t % 10),
            },
            Reason::Fever { tenths: None } => Text { ja: "発熱がある", en: "Fever" }.get(lang).to_owned(),
            Reason::Symptom { question } => question.question().finding.get(lang).to_owned(),
            Reason::Unknown { question } => match lang {
                Lang::Ja => format!("{}：不明", question.question().topic.ja),
                Lang::En => format!("{}: unknown", question.question().topic.en),
            },
            Reason::Urgent { symptom } => symptom.text(lang).to_owned(),
        }
    }

    /// The reason as health-centre staff read it in a list, short and by topic
    /// (`息苦しさ`, `発熱 38.2℃`), with the kind of person when the kind is what made
    /// it urgent (`咳・鼻水（濃厚接触者）`).
    pub fn staff_label(&self, kind: Kind, lang: Lang) -> String {
        let base = match *self {
            Reason::Fever { tenths: Some(t) } => match lang {
                Lang::Ja => format!("発熱 {}.{}℃", t / 10, t % 10),
                Lang::En => format!("Fever {}.{} °C", t / 10, t % 10),
            },
            Reason::Symptom { question } => question.question().topic.get(lang).to_owned(),
            _ => return self.text(lang),
        };
        let by_kind = kind.is_close_contact() && matches!(*self, Reason::Fever { .. } | Reason::Symptom { question: QuestionId::Cough });
        match (by_kind, lang) {
            (false, _) => base,
            (true, Lang::Ja) => format!("{base}（{}）", kind.label(lang)),
            (true, Lang::En) => format!("{base} ({})", kind.label(lang).to_lowercase()),
        }
    }
}

/// The outcome of triage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advice {
    /// What to do.
    pub level: AdviceLevel,
    /// Why, in question / leaflet order.
    pub reasons: Vec<Reason>,
    /// The urgent-symptom groups to check now, in leaflet order.
    pub groups: Vec<UrgentGroup>,
}

impl Advice {
    /// Whether the screen shows the emergency number with this advice: always when
    /// anything needs watching or calling, or a group should be checked.
    pub fn shows_emergency_number(&self) -> bool {
        self.level > AdviceLevel::NoAction || !self.groups.is_empty()
    }

    fn raise(&mut self, level: AdviceLevel, reason: Reason) {
        self.level = self.level.max(level);
        if !self.reasons.contains(&reason) {
            self.reasons.push(reason);
        }
    }

    fn check_group(&mut self, group: UrgentGroup) {
        if !self.groups.contains(&group) {
            self.groups.push(group);
            self.groups.sort_unstable();
        }
    }

    fn empty() -> Advice {
        Advice { level: AdviceLevel::NoAction, reasons: Vec::new(), groups: Vec::new() }
    }
}

/// A daily health report: kind, temperature and the nine answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DailyReport {
    /// Who the person is.
    pub kind: Kind,
    /// Body temperature.
    pub temperature: Temperature,
    /// The nine answers.
    pub answers: Answers,
}

/// Triage of a daily report.
pub fn triage(report: &DailyReport) -> Advice {
    let mut advice = Advice::empty();
    let fever = report.temperature.is_fever();
    let fever_reason = Reason::Fever { tenths: Some(report.temperature.tenths()) };
    if fever {
        let level = if report.kind.is_close_contact() { AdviceLevel::CallNow } else { AdviceLevel::Watch };
        advice.raise(level, fever_reason);
    }
    for q in &QUESTIONS {
        match (report.answers.get(q.id), q.urgent_group) {
            (Answer::Yes, Some(group)) => {
                advice.raise(AdviceLevel::CallNow, Reason::Symptom { question: q.id });
                advice.check_group(group);
            }
            (Answer::Unknown, Some(group)) => {
                advice.raise(AdviceLevel::Watch, Reason::Unknown { question: q.id });
                advice.check_group(group);
            }
            (Answer::Yes, None) => {
                let close_contact_cough = q.id == QuestionId::Cough && report.kind.is_close_contact();
                let level = if close_contact_cough { AdviceLevel::CallNow } else { AdviceLevel::Watch };
                advice.raise(level, Reason::Symptom { question: q.id });
            }
            (Answer::No | Answer::Unknown, _) => {}
        }
    }
    advice
}

/// What a family member ticked on the urgent-symptom check.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Checklist {
    /// The patient's kind, when known. When unknown, both leaflet rules apply.
    pub kind: Option<Kind>,
    /// Urgent symptoms seen.
    pub symptoms: Vec<UrgentSymptom>,
    /// The patient has a cough.
    pub cough: bool,
    /// The patient has a fever (37.5 °C or more).
    pub fever: bool,
}

/// Triage of a family's checklist: any urgent symptom → call now; cough or fever of a
/// close contact (or of someone whose kind is not known) → call now; cough or fever
/// otherwise → watch.
pub fn evaluate_checklist(list: &Checklist) -> Advice {
    let mut advice = Advice::empty();
    let mut symptoms = list.symptoms.clone();
    symptoms.sort_unstable();
    symptoms.dedup();
    let close_contact_rule = list.kind.is_none_or(Kind::is_close_contact);
    let level = if close_contact_rule { AdviceLevel::CallNow } else { AdviceLevel::Watch };
    if list.fever {
        advice.raise(level, Reason::Fever { tenths: None });
    }
    if list.cough {
        advice.raise(level, Reason::Symptom { question: QuestionId::Cough });
    }
    for s in symptoms {
        advice.raise(AdviceLevel::CallNow, Reason::Urgent { symptom: s });
        advice.check_group(s.group());
    }
    advice
}

#[cfg(test)]
#[path = "triage_tests.rs"]
mod tests;
