//! Every path of the call: each answer, each wrong key, silence, giving up at every
//! step, the rotary prefix, and an urgent answer ending with whom to call.

use super::*;
use crate::{QuestionId, Reason};

const CENTRE: Option<&str> = Some("みなと保健所");
const NUMBER: Option<&str> = Some("03-1234-5678");

/// Plays `keys` (None = silence) from the start and returns the last turn.
fn play(lang: Lang, keys: &[Option<&str>]) -> (CallState, Turn) {
    let (mut state, first) = CallState::start(lang);
    let mut last = Turn::Ask(first);
    for k in keys {
        let input = k.map_or(Keys::Silence, Keys::Pressed);
        last = state.answer(input, lang, CENTRE, NUMBER);
    }
    (state, last)
}

fn full(kind: &str, temp: &str, answers: &str) -> Vec<Option<&'static str>> {
    let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
    let mut keys = vec![Some(leak(kind)), Some(leak(temp))];
    keys.extend(answers.chars().map(|c| Some(leak(&c.to_string()))));
    keys
}

#[test]
fn the_greeting_and_each_prompt_follow_the_script() {
    let (mut state, first) = CallState::start(Lang::Ja);
    assert!(first.say.starts_with("こちらは") && first.say.contains("ダイヤル回線の方は※を押してから"), "{}", first.say);
    assert!(first.say.ends_with("濃厚接触者の方は2を入力してください。"));
    assert_eq!(first.digits, 1);
    let Turn::Ask(t) = state.answer(Keys::Pressed("1"), Lang::Ja, CENTRE, NUMBER) else { panic!("kind") };
    assert_eq!(t.say, "体温を3桁の数字で入力してください。36.5度の場合には365と入力してください。");
    assert_eq!(t.digits, 3);
    let Turn::Ask(q) = state.answer(Keys::Pressed("365"), Lang::Ja, CENTRE, NUMBER) else { panic!("temperature") };
    assert_eq!(q.say, QUESTIONS[0].phone_prompt.ja);
    for (n, question) in QUESTIONS.iter().enumerate().skip(1) {
        let Turn::Ask(q) = state.answer(Keys::Pressed("2"), Lang::Ja, CENTRE, NUMBER) else { panic!("q{n}") };
        assert_eq!(q.say, question.phone_prompt.ja, "question {n}");
        assert_eq!(state.step(), Step::Question(n as u8));
    }
}

#[test]
fn a_completed_call_is_the_same_report_as_the_app_would_make() {
    let (state, last) = play(Lang::Ja, &full("1", "365", "222222222"));
    assert_eq!(state.step(), Step::Done);
    let Turn::Completed { report, say } = last else { panic!("{last:?}") };
    assert_eq!(say, "健康記録を登録しました。ご協力ありがとうございました。");
    assert_eq!(report.kind, Kind::Infected);
    assert_eq!(report.temperature.tenths(), 365);
    assert_eq!(report.answers.to_digits(), "222222222");

    // Each answer code lands on its question; 9 is "unknown"; close contact is 2.
    let (_, last) = play(Lang::En, &full("2", "372", "129212229"));
    let Turn::Completed { report, say } = last else { panic!("{last:?}") };
    assert_eq!(report.kind, Kind::CloseContact);
    assert_eq!(report.answers.to_digits(), "129212229");
    assert_eq!(report.answers.get(QuestionId::Face), Answer::Yes);
    assert_eq!(report.answers.get(QuestionId::Urination), Answer::Unknown);
    // A close contact with a cough is told to call.
    assert!(say.contains("03-1234-5678") && say.ends_with("Thank you for your cooperation."), "{say}");
}

#[test]
fn an_urgent_answer_by_phone_ends_with_whom_to_call() {
    // Breathlessness (question 3) for an infected person: call now.
    let (_, last) = play(Lang::Ja, &full("1", "368", "221222222"));
    let Turn::Completed { report, say } = last else { panic!("{last:?}") };
    assert_eq!(triage(&report).level, AdviceLevel::CallNow);
    assert!(triage(&report).reasons.contains(&Reason::Symptom { question: QuestionId::Breathlessness }));
    assert_eq!(
        say,
        "健康記録を登録しました。緊急性の高い症状があります。みなと保健所の緊急連絡先（03-1234-5678）にお電話ください。ご協力ありがとうございました。"
    );
    // Without a known number the caller still hears where it is and 119.
    let (mut state, _) = CallState::start(Lang::Ja);
    let mut last = None;
    for k in full("1", "368", "221222222").into_iter().flatten() {
        last = Some(state.answer(Keys::Pressed(k), Lang::Ja, None, None));
    }
    let Some(Turn::Completed { say, .. }) = last else { panic!("{last:?}") };
    assert!(say.contains("119"), "{say}");
}

#[test]
fn wrong_keys_and_silence_are_asked_again_then_the_call_gives_up() {
    // Kind: 3 is not a choice; 12 is two keys; silence.
    let (state, last) = play(Lang::Ja, &[Some("3")]);
    assert_eq!(last, Turn::Ask(Prompt { say: format!("入力が正しくありません。{}", ASK_KIND.ja), digits: 1 }));
    assert_eq!(state.step(), Step::Kind);
    let (_, last) = play(Lang::Ja, &[None]);
    assert_eq!(last, Turn::Ask(Prompt { say: format!("入力が確認できませんでした。{}", ASK_KIND.ja), digits: 1 }));
    let (_, last) = play(Lang::Ja, &[Some("12"), Some("3"), None]);
    assert!(matches!(last, Turn::Ask(_)), "three re-asks are allowed: {last:?}");
    let (_, last) = play(Lang::Ja, &[Some("12"), Some("3"), None, Some("0")]);
    assert!(matches!(last, Turn::GaveUp { ref say } if say.starts_with("入力が確認できなかったため")), "{last:?}");

    // A good answer resets the count for the next step.
    let (state, last) = play(Lang::Ja, &[Some("3"), Some("3"), Some("3"), Some("1"), Some("3"), Some("3"), Some("3")]);
    assert!(matches!(last, Turn::Ask(_)), "{last:?}");
    assert_eq!(state.step(), Step::Temperature);

    // Temperature: out of range, too few digits, letters.
    let (_, last) = play(Lang::Ja, &[Some("1"), Some("430")]);
    let Turn::Ask(p) = last else { panic!("{last:?}") };
    assert!(p.say.starts_with("体温は34.0度から42.0度の間で") && p.digits == 3, "{}", p.say);
    let (_, last) = play(Lang::Ja, &[Some("1"), Some("36")]);
    assert!(matches!(last, Turn::Ask(ref p) if p.say.starts_with("入力が正しくありません。体温を")), "{last:?}");
    let (_, last) = play(Lang::Ja, &[Some("1"), Some("339"), Some("421"), Some("3650"), Some("abc")]);
    assert!(matches!(last, Turn::GaveUp { .. }), "{last:?}");

    // A question: 3, 0 and 12 are not choices; giving up there leaves no report.
    let mut keys = vec![Some("1"), Some("365"), Some("2"), Some("2")];
    keys.extend([Some("3"), Some("0"), Some("12"), None]);
    let (state, last) = play(Lang::Ja, &keys);
    assert!(matches!(last, Turn::GaveUp { .. }), "{last:?}");
    assert_eq!(state.step(), Step::Question(2));
}

#[test]
fn giving_up_is_possible_at_every_step_and_never_makes_a_report() {
    let answers = full("1", "365", "222222222");
    for stop in 0..answers.len() {
        let mut keys: Vec<Option<&str>> = answers[..stop].to_vec();
        keys.extend([None; 4]);
        let (state, last) = play(Lang::En, &keys);
        assert!(matches!(last, Turn::GaveUp { ref say } if say.contains("could not get your answers")), "step {stop}: {last:?}");
        assert_ne!(state.step(), Step::Done, "step {stop}");
    }
}

#[test]
fn hanging_up_part_way_keeps_the_step_for_the_attempt_and_no_report() {
    // A hang-up is simply no further answer: the state says where it stopped.
    let (state, last) = play(Lang::Ja, &full("1", "365", "2222")[..6]);
    assert!(matches!(last, Turn::Ask(_)));
    assert_eq!(state.step(), Step::Question(4));
    assert_eq!(state.step().label(), "q5");
    let json = serde_json::to_string(&state).unwrap_or_default();
    assert!(json.contains("\"question\""), "{json}");
    let back: CallState = serde_json::from_str(&json).unwrap_or_else(|_| CallState::start(Lang::Ja).0);
    assert_eq!(back, state, "the state survives between webhook requests");
}

#[test]
fn the_rotary_prefix_is_taken_once_without_losing_a_try() {
    // * alone: the same prompt again, no error words, no try used.
    let (state, last) = play(Lang::Ja, &[Some("*")]);
    assert_eq!(last, Turn::Ask(Prompt { say: ASK_KIND.ja.to_owned(), digits: 1 }));
    assert_eq!(state.step(), Step::Kind);
    let (_, last) = play(Lang::Ja, &[Some("*"), Some("3"), Some("3"), Some("3")]);
    assert!(matches!(last, Turn::Ask(_)), "the star used no try: {last:?}");
    // *1 and 365# are read as 1 and 365.
    let (state, _) = play(Lang::Ja, &[Some("*1"), Some("365#")]);
    assert_eq!(state.step(), Step::Question(0));
    // A second lone star is a wrong key.
    let (_, last) = play(Lang::Ja, &[Some("*"), Some("*")]);
    assert!(matches!(last, Turn::Ask(ref p) if p.say.starts_with("入力が正しくありません。")), "{last:?}");
}
