//! Validation of what the screens send (a report, an emergency contact, a checklist)
//! into the `protocol` rules' types, with errors that name the field and say in the
//! person's language what to do. Nothing here touches storage.

use crate::error::{Error, Result};
use crate::types::{ChecklistInput, EmergencyContact, ReportInput};
use chrono::NaiveDate;
use protocol::{Answer, Answers, Checklist, DailyReport, Lang, QUESTIONS, Temperature, Text, UrgentSymptom};

/// A report that passed validation.
#[derive(Debug, Clone)]
pub(crate) struct ValidReport {
    pub person_id: String,
    pub local_date: NaiveDate,
    pub report: DailyReport,
}

const PERSON_ID_MAX: usize = 64;

/// The person id of the phone's owner, the account holder whose reports are sent to
/// the health centre. Household members have local ids of their own.
pub(crate) const OWNER: &str = "self";

fn msg(text: Text, lang: Lang) -> String {
    text.get(lang).to_owned()
}

/// Checks a person id: 1–64 characters, no control characters.
pub(crate) fn validate_person_id(id: &str, lang: Lang) -> Result<String> {
    let id = id.trim();
    if id.is_empty() || id.chars().count() > PERSON_ID_MAX || id.chars().any(char::is_control) {
        return Err(Error::invalid(
            "person_id",
            msg(Text { ja: "記録する人が正しく選ばれていません。", en: "The person to record for is not valid." }, lang),
        ));
    }
    Ok(id.to_owned())
}

/// Parses a `YYYY-MM-DD` date.
pub(crate) fn parse_date(field: &str, s: &str, lang: Lang) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        Error::invalid(
            field,
            msg(Text { ja: "日付は2026-11-24のような形式で指定してください。", en: "Give the date as YYYY-MM-DD." }, lang),
        )
    })
}

/// Validates a report form against `today` (a report cannot be for a future day).
pub(crate) fn validate_report(input: &ReportInput, today: NaiveDate, lang: Lang) -> Result<ValidReport> {
    let person_id = validate_person_id(&input.person_id, lang)?;
    let local_date = match &input.local_date {
        Some(s) => parse_date("local_date", s, lang)?,
        None => today,
    };
    if local_date > today {
        return Err(Error::invalid(
            "local_date",
            msg(Text { ja: "未来の日付には記録できません。", en: "A report cannot be for a future date." }, lang),
        ));
    }
    let temperature = Temperature::parse_decimal(&input.temperature)
        .map_err(|e| Error::invalid("temperature", e.message(lang)))?;
    if input.answers.len() != QUESTIONS.len() {
        return Err(Error::invalid(
            "answers",
            msg(Text { ja: "9問すべてに回答してください。", en: "All nine questions need an answer." }, lang),
        ));
    }
    let mut answers = [Answer::No; 9];
    for ((slot, given), q) in answers.iter_mut().zip(&input.answers).zip(&QUESTIONS) {
        let Some(a) = given else {
            let message = match lang {
                Lang::Ja => format!("「{}」に回答してください。", q.text.ja),
                Lang::En => format!("Please answer: {}", q.text.en),
            };
            return Err(Error::invalid(format!("answers.{}", q.key), message));
        };
        *slot = Answer::from(*a);
    }
    let report = DailyReport { kind: input.kind.into(), temperature, answers: Answers::new(answers) };
    Ok(ValidReport { person_id, local_date, report })
}

/// Validates and normalises an emergency contact: full-width digits become half-width,
/// the number keeps its hyphens for display.
pub(crate) fn validate_contact(c: &EmergencyContact, lang: Lang) -> Result<EmergencyContact> {
    let centre_name = c.centre_name.trim().to_owned();
    if centre_name.is_empty() || centre_name.chars().count() > 100 || centre_name.chars().any(char::is_control) {
        return Err(Error::invalid(
            "centre_name",
            msg(Text { ja: "保健所名を入力してください。", en: "Enter the health centre's name." }, lang),
        ));
    }
    let phone: String = c
        .phone_number
        .trim()
        .chars()
        .map(|ch| match ch {
            '０'..='９' => char::from_u32(ch as u32 - '０' as u32 + '0' as u32).unwrap_or(ch),
            'ー' | '－' | '‐' | '−' => '-',
            _ => ch,
        })
        .collect();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone.chars().all(|ch| ch.is_ascii_digit() || ch == '-');
    if !allowed || !(3..=15).contains(&digits) || phone.starts_with('-') || phone.ends_with('-') {
        return Err(Error::invalid(
            "phone_number",
            msg(
                Text {
                    ja: "緊急連絡先の電話番号は数字（ハイフン可）で入力してください。",
                    en: "Enter the emergency number as digits (hyphens allowed).",
                },
                lang,
            ),
        ));
    }
    Ok(EmergencyContact { centre_name, phone_number: phone })
}

/// Converts a family's checklist, refusing symptom ids the leaflet does not have.
pub(crate) fn validate_checklist(input: &ChecklistInput, lang: Lang) -> Result<Checklist> {
    let symptoms = input
        .symptom_ids
        .iter()
        .map(|id| {
            UrgentSymptom::parse(id).ok_or_else(|| {
                Error::invalid("symptom_ids", msg(Text { ja: "不明な症状が選ばれています。", en: "An unknown symptom was selected." }, lang))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Checklist { kind: input.kind.map(Into::into), symptoms, cough: input.cough, fever: input.fever })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{AnswerChoice, PersonKind};

    fn input(temp: &str, answers: Vec<Option<AnswerChoice>>) -> ReportInput {
        ReportInput {
            person_id: "self".into(),
            local_date: Some("2026-11-20".into()),
            kind: PersonKind::Infected,
            temperature: temp.into(),
            answers,
        }
    }

    fn field(r: Result<impl std::fmt::Debug>) -> String {
        match r {
            Err(Error::Invalid { field, .. }) => field,
            other => panic!("expected invalid, got {other:?}"),
        }
    }

    #[test]
    fn each_bad_field_is_named() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
        let all_no = vec![Some(AnswerChoice::No); 9];
        assert!(validate_report(&input("36.5", all_no.clone()), today, Lang::Ja).is_ok());
        assert_eq!(field(validate_report(&input("43.0", all_no.clone()), today, Lang::Ja)), "temperature");
        assert_eq!(field(validate_report(&input("36.5", vec![Some(AnswerChoice::No); 8]), today, Lang::Ja)), "answers");
        let mut missing = all_no.clone();
        missing[2] = None;
        assert_eq!(field(validate_report(&input("36.5", missing), today, Lang::Ja)), "answers.breathlessness");
        let mut future = input("36.5", all_no.clone());
        future.local_date = Some("2026-11-25".into());
        assert_eq!(field(validate_report(&future, today, Lang::Ja)), "local_date");
        future.local_date = Some("2026-02-30".into());
        assert_eq!(field(validate_report(&future, today, Lang::Ja)), "local_date");
        let mut nobody = input("36.5", all_no);
        nobody.person_id = "  ".into();
        assert_eq!(field(validate_report(&nobody, today, Lang::Ja)), "person_id");
    }

    #[test]
    fn contact_numbers_are_normalised_or_refused() {
        let c = |n: &str| EmergencyContact { centre_name: " 〇〇保健所 ".into(), phone_number: n.into() };
        let ok = validate_contact(&c("０３－１２３４－５６７８"), Lang::Ja).expect("valid");
        assert_eq!(ok, EmergencyContact { centre_name: "〇〇保健所".into(), phone_number: "03-1234-5678".into() });
        for bad in ["", "03-1234-567a", "-0312345678", "12", "0312345678901234567", "03 1234 5678"] {
            assert_eq!(field(validate_contact(&c(bad), Lang::En)), "phone_number", "{bad:?}");
        }
        let nameless = EmergencyContact { centre_name: "".into(), phone_number: "0312345678".into() };
        assert_eq!(field(validate_contact(&nameless, Lang::Ja)), "centre_name");
    }
}
