//! Builds what the screens render — the question set, the urgent checklist, advice —
//! from the `protocol` rules, worded in the requested language.

use crate::types::{
    AdviceView, EmergencyContact, KindView, OptionView, QuestionView, UrgentChecklistView, UrgentGroupView,
    UrgentSymptomView,
};
use protocol::{Advice, Answer, CHECK_COUGH, CHECK_FEVER, Kind, Lang, QUESTIONS, Text, URGENT_FOOTNOTE, UrgentGroup, whom_to_call};

/// The nine questions with their options.
pub(crate) fn questions(lang: Lang) -> Vec<QuestionView> {
    QUESTIONS
        .iter()
        .zip(1u8..)
        .map(|(q, number)| QuestionView {
            id: q.key.to_owned(),
            number,
            text: q.text.get(lang).to_owned(),
            options: Answer::ALL
                .iter()
                .map(|&a| OptionView { choice: a.into(), code: a.code(), label: q.option_label(a, lang).to_owned() })
                .collect(),
        })
        .collect()
}

/// The kinds a person can choose.
pub(crate) fn kinds(lang: Lang) -> Vec<KindView> {
    Kind::ALL.iter().map(|&k| KindView { kind: k.into(), label: k.label(lang).to_owned() }).collect()
}

/// One urgent group with its symptoms.
pub(crate) fn group(g: UrgentGroup, lang: Lang) -> UrgentGroupView {
    UrgentGroupView {
        id: g.as_str().to_owned(),
        title: g.title(lang).to_owned(),
        symptoms: g
            .symptoms()
            .map(|s| UrgentSymptomView {
                id: s.as_str().to_owned(),
                text: s.text(lang).to_owned(),
                judged_by_family: s.info().judged_by_family,
            })
            .collect(),
    }
}

const WHEN_TO_CALL: [Text; 2] = [
    Text { ja: "濃厚接触者の方：咳や発熱がある場合", en: "Close contacts: if there is a cough or fever" },
    Text {
        ja: "感染者・PCR検査等の結果待ちの方：以下の緊急性の高い症状がある場合",
        en: "Infected, or awaiting a PCR or other test result: if any of the urgent symptoms below appears",
    },
];

/// The leaflet's urgent-symptom checklist.
pub(crate) fn checklist(lang: Lang) -> UrgentChecklistView {
    UrgentChecklistView {
        groups: UrgentGroup::ALL.iter().map(|&g| group(g, lang)).collect(),
        footnote: URGENT_FOOTNOTE.get(lang).to_owned(),
        cough_label: CHECK_COUGH.get(lang).to_owned(),
        fever_label: CHECK_FEVER.get(lang).to_owned(),
        when_to_call: WHEN_TO_CALL.iter().map(|t| t.get(lang).to_owned()).collect(),
    }
}

/// Whom to call, from the stored emergency contact (the shared wording of `protocol`).
pub(crate) fn call_instruction(lang: Lang, emergency: Option<&EmergencyContact>) -> String {
    whom_to_call(lang, emergency.map(|e| e.centre_name.as_str()), emergency.map(|e| e.phone_number.as_str()))
}

/// Advice ready to show, with the stored emergency contact and whom to call.
pub(crate) fn advice(a: &Advice, lang: Lang, emergency: Option<EmergencyContact>) -> AdviceView {
    let show = a.shows_emergency_number();
    AdviceView {
        urgency: a.level.into(),
        headline: a.level.headline(lang).to_owned(),
        reasons: a.reasons.iter().map(|r| r.text(lang)).collect(),
        check_groups: a.groups.iter().map(|&g| group(g, lang)).collect(),
        show_emergency_number: show,
        call_instruction: if show { call_instruction(lang, emergency.as_ref()) } else { String::new() },
        emergency,
    }
}
