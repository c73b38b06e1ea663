//! One attempt's call, between a provider's webhooks: the `protocol` call script
//! (kept as JSON in the attempt row), what to say and how many keys to collect next,
//! and the report a completed call makes — the same [`Candidate`] an app report
//! becomes, with an id fixed by the attempt so a repeated webhook stores it once.

use crate::ingest::Candidate;
use chrono::{DateTime, NaiveDate, Utc};
use protocol::call_script::{CallState, Keys, Turn};
use protocol::{DailyReport, Lang, triage};
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub use protocol::call_script::{FINISH_KEY, KEY_TIMEOUT_SECS, MAX_REASKS};

/// What the provider is told to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// Say this, then collect up to `digits` keys (ended early by `#`).
    Ask {
        /// Words.
        say: String,
        /// Keys to collect.
        digits: u8,
    },
    /// Say this and hang up.
    Hangup {
        /// Words (may be empty).
        say: String,
    },
}

/// The result of the caller's keys at a prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Ask the next (or the same) prompt; the new script state.
    Continue {
        /// Script state to keep.
        script: String,
        /// The step label (no answers in it).
        step: String,
        /// What to say.
        reply: Reply,
    },
    /// Every answer is in.
    Completed {
        /// The report, exactly as an app report of the same answers.
        report: DailyReport,
        /// The closing words to say before hanging up.
        reply: Reply,
    },
    /// Too many wrong keys or silences: the attempt ends incomplete, no report.
    GaveUp {
        /// The closing words.
        reply: Reply,
    },
}

/// Why a stored script could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadScript;

/// A new call: the script state to keep, its step label and the greeting with the
/// first question.
pub fn begin(lang: Lang) -> (String, String, Reply) {
    let (state, prompt) = CallState::start(lang);
    let script = serde_json::to_string(&state).unwrap_or_default();
    (script, state.step().label(), Reply::Ask { say: prompt.say, digits: prompt.digits })
}

/// The prompt of the current step again, for a repeated delivery (nothing changes).
pub fn current(script: &str, lang: Lang) -> Result<Reply, BadScript> {
    let state: CallState = serde_json::from_str(script).map_err(|_| BadScript)?;
    let p = state.prompt(lang);
    Ok(Reply::Ask { say: p.say, digits: p.digits })
}

/// Applies the caller's keys (`None`: nothing was pressed before the time ran out).
/// `centre` and `number` are said when a completed report's advice is "call now".
pub fn advance(script: &str, keys: Option<&str>, lang: Lang, centre: Option<&str>, number: Option<&str>) -> Result<Next, BadScript> {
    let mut state: CallState = serde_json::from_str(script).map_err(|_| BadScript)?;
    let keys = match keys {
        Some(k) if !k.trim().is_empty() => Keys::Pressed(k),
        _ => Keys::Silence,
    };
    Ok(match state.answer(keys, lang, centre, number) {
        Turn::Ask(p) => Next::Continue {
            script: serde_json::to_string(&state).map_err(|_| BadScript)?,
            step: state.step().label(),
            reply: Reply::Ask { say: p.say, digits: p.digits },
        },
        Turn::Completed { report, say } => Next::Completed { report, reply: Reply::Hangup { say } },
        Turn::GaveUp { say } => Next::GaveUp { reply: Reply::Hangup { say } },
    })
}

/// The id of the report an attempt makes: the same for every delivery of its last
/// answer, so the report is stored once.
pub fn report_id(attempt_id: &str) -> Uuid {
    let digest = Sha256::digest(format!("mimamori-call-report:{attempt_id}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// The report of a completed call as the report writer takes it: dated the call's day,
/// "recorded" when the call was answered (fixed per attempt, so a repeat is the same
/// report), triaged by the same rules as an app report.
pub fn candidate(attempt_id: &str, day: NaiveDate, answered_at: DateTime<Utc>, report: &DailyReport) -> Candidate {
    let recorded_at = DateTime::<Utc>::from_timestamp_millis(answered_at.timestamp_millis()).unwrap_or(answered_at);
    Candidate {
        id: report_id(attempt_id),
        local_date: day,
        kind: report.kind,
        temperature: report.temperature,
        answers: report.answers,
        recorded_at,
        advice: triage(report).level,
        person: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::AdviceLevel;

    fn run(keys: &[Option<&str>]) -> (Vec<Reply>, Option<Next>) {
        let (mut script, _, first) = begin(Lang::Ja);
        let mut replies = vec![first];
        for k in keys {
            match advance(&script, *k, Lang::Ja, Some("みなと保健所"), Some("03-1234-5678")).expect("script") {
                Next::Continue { script: s, reply, .. } => {
                    script = s;
                    replies.push(reply);
                }
                end => return (replies, Some(end)),
            }
        }
        (replies, None)
    }

    #[test]
    fn a_whole_call_makes_the_app_report() {
        let mut keys = vec![Some("1"), Some("365")];
        keys.extend([Some("2"); 9]);
        let (replies, end) = run(&keys);
        let Some(Reply::Ask { say, digits: 1 }) = replies.first() else { panic!("greeting") };
        assert!(say.contains("健康記録を入力してください") && say.contains("ダイヤル回線の方は※を押してから"), "{say}");
        assert!(matches!(&replies[2], Reply::Ask { digits: 1, .. }));
        let Some(Next::Completed { report, reply: Reply::Hangup { say } }) = end else { panic!("completed") };
        assert_eq!(say, "健康記録を登録しました。ご協力ありがとうございました。");
        assert_eq!(report.temperature.tenths(), 365);
        let day = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        let c = candidate("a1", day, Utc::now(), &report);
        assert_eq!(c.advice, AdviceLevel::NoAction);
        assert_eq!(c.id, report_id("a1"));
        assert_ne!(report_id("a1"), report_id("a2"));
    }

    #[test]
    fn an_urgent_answer_says_whom_to_call() {
        // Breathless (question 3): call now.
        let keys = [Some("1"), Some("372"), Some("2"), Some("2"), Some("1"), Some("2"), Some("2"), Some("2"), Some("2"), Some("2"), Some("2")];
        let (_, end) = run(&keys);
        let Some(Next::Completed { report, reply: Reply::Hangup { say } }) = end else { panic!("completed") };
        assert_eq!(triage(&report).level, AdviceLevel::CallNow);
        assert!(say.contains("03-1234-5678") && say.ends_with("ご協力ありがとうございました。"), "{say}");
    }

    #[test]
    fn silence_and_wrong_keys_are_asked_again_then_the_call_gives_up() {
        let (replies, end) = run(&[Some("7"), None, Some("x")]);
        assert_eq!(replies.len(), 4);
        assert!(end.is_none());
        let (_, end) = run(&[Some("7"), None, Some("x"), Some("5")]);
        assert!(matches!(end, Some(Next::GaveUp { .. })));
        let (replies, _) = run(&[Some("1"), Some("999")]);
        let Reply::Ask { say, digits: 3 } = &replies[2] else { panic!("temperature again") };
        assert!(say.contains("34.0度から42.0度"), "{say}");
    }

    #[test]
    fn a_replay_repeats_the_current_prompt_and_a_bad_script_is_refused() {
        let (script, step, _) = begin(Lang::En);
        assert_eq!(step, "kind");
        let Reply::Ask { say, digits } = current(&script, Lang::En).expect("script") else { panic!("ask") };
        assert_eq!(digits, 1);
        assert!(say.contains("press 1"), "{say}");
        assert_eq!(current("{", Lang::Ja), Err(BadScript));
        assert_eq!(advance("null", Some("1"), Lang::Ja, None, None), Err(BadScript));
    }
}
