//! Table-driven tests of triage: every question, every urgent symptom, every kind,
//! and the fever boundary.

use super::*;
use crate::urgent::URGENT_SYMPTOMS;

fn report(kind: Kind, tenths: i64, digits: &str) -> DailyReport {
    DailyReport {
        kind,
        temperature: Temperature::from_tenths(tenths).expect("in range"),
        answers: Answers::parse(digits).expect("nine answers"),
    }
}

/// Nine answers, all "no" except `q`, which gets `code`.
fn only(q: QuestionId, code: char) -> String {
    (0..9).map(|i| if i == q.index() { code } else { '2' }).collect()
}

#[test]
fn a_well_person_needs_nothing_whatever_their_kind() {
    for kind in Kind::ALL {
        let a = triage(&report(kind, 365, "222222222"));
        assert_eq!(a, Advice { level: AdviceLevel::NoAction, reasons: vec![], groups: vec![] });
        assert!(!a.shows_emergency_number());
    }
}

#[test]
fn every_question_answered_yes_for_every_kind() {
    use AdviceLevel::*;
    use QuestionId::*;
    // (question, infected, close contact, awaiting result, group to check)
    let table = [
        (Face, CallNow, CallNow, CallNow, Some(UrgentGroup::Appearance)),
        (Cough, Watch, CallNow, Watch, None),
        (Breathlessness, CallNow, CallNow, CallNow, Some(UrgentGroup::Breathing)),
        (Fatigue, Watch, Watch, Watch, None),
        (Nausea, Watch, Watch, Watch, None),
        (Diarrhoea, Watch, Watch, Watch, None),
        (Consciousness, CallNow, CallNow, CallNow, Some(UrgentGroup::Consciousness)),
        (Eating, Watch, Watch, Watch, None),
        (Urination, Watch, Watch, Watch, None),
    ];
    assert_eq!(table.len(), QUESTIONS.len());
    for (q, infected, contact, awaiting, group) in table {
        for (kind, want) in [(Kind::Infected, infected), (Kind::CloseContact, contact), (Kind::AwaitingResult, awaiting)] {
            let a = triage(&report(kind, 365, &only(q, '1')));
            assert_eq!(a.level, want, "{q:?} for {kind:?}");
            assert_eq!(a.reasons, vec![Reason::Symptom { question: q }], "{q:?} for {kind:?}");
            assert_eq!(a.groups, group.into_iter().collect::<Vec<_>>(), "{q:?} for {kind:?}");
            assert!(a.shows_emergency_number());
        }
    }
}

#[test]
fn every_question_answered_unknown() {
    for q in &QUESTIONS {
        for kind in Kind::ALL {
            let a = triage(&report(kind, 365, &only(q.id, '9')));
            match q.urgent_group {
                Some(g) => {
                    assert_eq!(a.level, AdviceLevel::Watch, "{:?}", q.id);
                    assert_eq!(a.reasons, vec![Reason::Unknown { question: q.id }]);
                    assert_eq!(a.groups, vec![g]);
                    assert!(a.shows_emergency_number());
                }
                None => assert_eq!(a.level, AdviceLevel::NoAction, "{:?}", q.id),
            }
        }
    }
}

#[test]
fn fever_boundary_is_thirty_seven_five() {
    // (kind, tenths, level)
    let table = [
        (Kind::Infected, 374, AdviceLevel::NoAction),
        (Kind::Infected, 375, AdviceLevel::Watch),
        (Kind::AwaitingResult, 374, AdviceLevel::NoAction),
        (Kind::AwaitingResult, 375, AdviceLevel::Watch),
        (Kind::CloseContact, 374, AdviceLevel::NoAction),
        (Kind::CloseContact, 375, AdviceLevel::CallNow),
        (Kind::CloseContact, 420, AdviceLevel::CallNow),
        (Kind::Infected, 340, AdviceLevel::NoAction),
    ];
    for (kind, tenths, want) in table {
        let a = triage(&report(kind, tenths, "222222222"));
        assert_eq!(a.level, want, "{kind:?} at {tenths}");
        let has_fever = a.reasons.contains(&Reason::Fever { tenths: Some(tenths as u16) });
        assert_eq!(has_fever, tenths >= 375, "{kind:?} at {tenths}");
    }
}

#[test]
fn reasons_accumulate_and_the_highest_level_wins() {
    let a = triage(&report(Kind::Infected, 388, "129212121"));
    assert_eq!(a.level, AdviceLevel::CallNow);
    assert_eq!(
        a.reasons,
        vec![
            Reason::Fever { tenths: Some(388) },
            Reason::Symptom { question: QuestionId::Face },
            Reason::Unknown { question: QuestionId::Breathlessness },
            Reason::Symptom { question: QuestionId::Nausea },
            Reason::Symptom { question: QuestionId::Consciousness },
            Reason::Symptom { question: QuestionId::Urination },
        ]
    );
    assert_eq!(a.groups, UrgentGroup::ALL.to_vec());
    assert_eq!(a.reasons[0].text(Lang::Ja), "発熱 38.8℃（37.5℃以上）");
    assert_eq!(a.reasons[2].text(Lang::En), "Breathlessness: unknown");
    assert_eq!(a.reasons[1].text(Lang::Ja), "顔色・表情がいつもどおりでない");
}

#[test]
fn every_urgent_symptom_calls_now_for_every_kind() {
    let kinds = [None, Some(Kind::Infected), Some(Kind::CloseContact), Some(Kind::AwaitingResult)];
    for s in &URGENT_SYMPTOMS {
        for kind in kinds {
            let a = evaluate_checklist(&Checklist { kind, symptoms: vec![s.id], ..Default::default() });
            assert_eq!(a.level, AdviceLevel::CallNow, "{:?} {kind:?}", s.id);
            assert_eq!(a.reasons, vec![Reason::Urgent { symptom: s.id }]);
            assert_eq!(a.groups, vec![s.group]);
            assert!(a.shows_emergency_number());
            assert_eq!(a.reasons[0].text(Lang::Ja), s.text.ja);
        }
    }
}

#[test]
fn cough_or_fever_on_the_checklist_follows_the_kind() {
    use AdviceLevel::*;
    // (kind, cough, fever, level)
    let table = [
        (Some(Kind::CloseContact), true, false, CallNow),
        (Some(Kind::CloseContact), false, true, CallNow),
        (Some(Kind::Infected), true, false, Watch),
        (Some(Kind::Infected), false, true, Watch),
        (Some(Kind::AwaitingResult), true, true, Watch),
        (None, true, false, CallNow),
        (None, false, false, NoAction),
        (Some(Kind::CloseContact), false, false, NoAction),
    ];
    for (kind, cough, fever, want) in table {
        let a = evaluate_checklist(&Checklist { kind, symptoms: vec![], cough, fever });
        assert_eq!(a.level, want, "{kind:?} cough={cough} fever={fever}");
        assert_eq!(a.reasons.len(), usize::from(cough) + usize::from(fever));
        assert!(a.groups.is_empty());
    }
}

#[test]
fn checklist_dedups_and_orders_groups() {
    let a = evaluate_checklist(&Checklist {
        kind: Some(Kind::Infected),
        symptoms: vec![UrgentSymptom::IrregularPulse, UrgentSymptom::PurpleLips, UrgentSymptom::IrregularPulse],
        cough: false,
        fever: false,
    });
    assert_eq!(a.groups, vec![UrgentGroup::Appearance, UrgentGroup::Consciousness]);
    assert_eq!(a.reasons.len(), 2);
}

#[test]
fn headlines_exist_in_both_languages_and_levels_round_trip() {
    for l in [AdviceLevel::NoAction, AdviceLevel::Watch, AdviceLevel::CallNow] {
        assert_eq!(AdviceLevel::parse(l.as_str()), Some(l));
        assert_ne!(l.headline(Lang::Ja), l.headline(Lang::En));
    }
    assert!(AdviceLevel::CallNow.headline(Lang::Ja).contains("緊急連絡先"));
    assert!(AdviceLevel::NoAction < AdviceLevel::Watch && AdviceLevel::Watch < AdviceLevel::CallNow);
}

#[test]
fn wire_names_equal_the_stable_ids() {
    for l in [AdviceLevel::NoAction, AdviceLevel::Watch, AdviceLevel::CallNow] {
        assert_eq!(serde_json::to_string(&l).expect("ser"), format!("\"{}\"", l.as_str()));
    }
}

#[test]
fn staff_labels_name_the_topic_and_the_kind_when_the_kind_made_it_urgent() {
    let labels = |kind, tenths, digits: &str, lang| -> Vec<String> {
        triage(&report(kind, tenths, digits)).reasons.iter().map(|r| r.staff_label(kind, lang)).collect()
    };
    assert_eq!(labels(Kind::Infected, 382, &only(QuestionId::Breathlessness, '1'), Lang::Ja), ["発熱 38.2℃", "息苦しさ"]);
    assert_eq!(labels(Kind::CloseContact, 366, &only(QuestionId::Cough, '1'), Lang::Ja), ["咳・鼻水（濃厚接触者）"]);
    assert_eq!(labels(Kind::CloseContact, 376, "222222222", Lang::En), ["Fever 37.6 °C (close contact)"]);
    assert_eq!(labels(Kind::Infected, 366, &only(QuestionId::Cough, '1'), Lang::Ja), ["咳・鼻水"]);
    assert_eq!(labels(Kind::Infected, 366, &only(QuestionId::Consciousness, '9'), Lang::Ja), ["意識障害：不明"]);
    assert_eq!(labels(Kind::AwaitingResult, 366, &only(QuestionId::Face, '1'), Lang::En), ["Face colour and expression"]);
}
