//! The outbreak notification (発生届) as a `QuestionnaireResponse` shaped after the
//! Japanese infectious-disease notification guide (eInfectionReport): the notified
//! person, the diagnosing doctor and the filing clinic as contained `Patient`,
//! `Practitioner` and `Organization`, and the form's answers as items of the published
//! notification `Questionnaire` (link ids are the clinic form's field names).
//!
//! Import reads the same shape back into the clinic form's [`NotificationRequest`]; the
//! items are what counts (the contained resources are for readers). Every refusal names
//! the item.

use super::definitions::{self as def, GENDER_SYSTEM, NOTIFICATION_GROUPS, canonical, coding, system};
use super::resources::{birth_date, instant, names};
use crate::clinic::rules::{NotificationRequest, Refusal};
use crate::clinic::store::Notification;
use crate::error::{ApiError, Msg};
use axum::http::StatusCode;
use serde_json::{Map, Value, json};
use std::borrow::Cow;

/// The notification questionnaire's canonical URL with its version.
pub fn questionnaire_ref(base: &str) -> String {
    format!("{}|{}", canonical(base, "Questionnaire", def::NOTIFICATION), def::VERSION)
}

fn answers_of(base: &str, n: &Notification, link: &str) -> Vec<Value> {
    let f = &n.n;
    // A text retention emptied is left out (FHIR has no empty strings).
    let s = |v: &str| if v.is_empty() { Vec::new() } else { vec![json!({ "valueString": v })] };
    let d = |v: chrono::NaiveDate| vec![json!({ "valueDate": v.to_string() })];
    let b = |v: bool| vec![json!({ "valueBoolean": v })];
    let c = |cs: &str, code: &str| json!({ "valueCoding": coding(base, cs, code) });
    match link {
        "name" => s(&f.name),
        "name_reading" => s(&f.name_reading),
        "sex" => vec![json!({ "valueCoding": { "system": GENDER_SYSTEM, "code": f.sex } })],
        "date_of_birth" => vec![json!({ "valueDate": birth_date(f.date_of_birth, erased(n)) })],
        "municipality_code" => s(&f.municipality_code),
        "address" => s(&f.address),
        "phone" => s(&f.phone),
        "doctor" => s(&f.doctor),
        "report_date" => d(f.report_date),
        "onset_date" => f.onset_date.map(d).unwrap_or_default(),
        "diagnosis_date" => d(f.diagnosis_date),
        "specimen_date" => d(f.specimen_date),
        "categories" => f.categories.iter().map(|x| c(def::CATEGORY_CS, x.as_str())).collect(),
        "hospitalisation" => b(f.hospitalisation),
        "risk_factors" => f.risk_factors.iter().map(|x| c(def::RISK_CS, x)).collect(),
        "antivirals" => b(f.antivirals),
        "oxygen" => b(f.oxygen),
        "pregnant" => b(f.pregnant),
        "vaccination" => vec![c(def::VACCINATION_CS, f.vaccination)],
        "severity" => vec![c(def::SEVERITY_CS, f.severity)],
        _ => Vec::new(),
    }
}

/// Whether retention removed who the notification was about (its name is gone).
fn erased(n: &Notification) -> bool {
    n.n.name.is_empty()
}

/// A notification as a `QuestionnaireResponse`; after retention its person carries the
/// year of birth, sex and municipality only.
pub fn export(base: &str, n: &Notification) -> Value {
    let f = &n.n;
    let mut person = json!({ "resourceType": "Patient", "id": "patient", "gender": f.sex, "birthDate": birth_date(f.date_of_birth, erased(n)) });
    if erased(n) {
        person["address"] = json!([{ "district": f.municipality_code }]);
    } else {
        person["name"] = names(&f.name, &f.name_reading);
        person["telecom"] = json!([{ "system": "phone", "value": f.phone }]);
        person["address"] = json!([{ "text": f.address, "district": f.municipality_code }]);
    }
    let mut doctor = json!({ "resourceType": "Practitioner", "id": "doctor" });
    if !f.doctor.is_empty() {
        doctor["name"] = json!([{ "text": f.doctor }]);
    }
    let groups: Vec<Value> = NOTIFICATION_GROUPS
        .iter()
        .map(|(id, ja, _, items)| {
            let item: Vec<Value> = items
                .iter()
                .map(|(link, _, _, label, _, _)| {
                    let mut i = json!({ "linkId": link, "text": label });
                    let answers = answers_of(base, n, link);
                    if !answers.is_empty() {
                        i["answer"] = json!(answers);
                    }
                    i
                })
                .collect();
            json!({ "linkId": id, "text": ja, "item": item })
        })
        .collect();
    json!({
        "resourceType": "QuestionnaireResponse",
        "id": format!("notification-{}", n.id),
        "contained": [person, doctor, { "resourceType": "Organization", "id": "clinic", "name": n.institution_name }],
        "identifier": { "system": format!("{base}/sid/notification-id"), "value": n.id.to_string() },
        "questionnaire": questionnaire_ref(base),
        "status": "completed",
        "subject": { "reference": "#patient" },
        "authored": instant(n.filed_at),
        "author": { "reference": "#doctor" },
        // The diagnosing doctor gave the answers (R4 allows no Organization here).
        "source": { "reference": "#doctor" },
        "item": groups,
    })
}

/// 422 naming the item (or the element) that is wrong.
pub fn refuse_item(code: &'static str, item: &str, ja: &str, en: &str) -> ApiError {
    let (lja, len) = def::notification_label(item).map_or_else(|| (item.to_owned(), item.to_owned()), |(j, e)| (j.to_owned(), e.to_owned()));
    ApiError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code,
        message: Msg { ja: Cow::Owned(format!("項目「{lja}」（{item}）: {ja}")), en: Cow::Owned(format!("Item \"{len}\" ({item}): {en}")) },
        retry_after: None,
    }
}

/// A refusal of the clinic rules as a 422 naming the item.
pub fn refusal_to_error(r: Refusal) -> ApiError {
    if r.field.is_empty() {
        return r.error;
    }
    refuse_item(r.error.code, r.field, &r.error.message.ja, &r.error.message.en)
}

fn shape(element: &str, ja: &str, en: &str) -> ApiError {
    refuse_item("invalid_fhir", element, ja, en)
}

/// Collects the answers of every question item (groups walked) by link id.
fn collect(items: &[Value], out: &mut Map<String, Value>) -> Result<(), ApiError> {
    for i in items {
        let link = i["linkId"].as_str().ok_or_else(|| shape("item.linkId", "linkId がありません。", "An item has no linkId."))?;
        if let Some(children) = i.get("item") {
            let children = children.as_array().ok_or_else(|| shape(link, "item は配列にしてください。", "item must be an array."))?;
            collect(children, out)?;
            continue;
        }
        if def::notification_label(link).is_none() {
            return Err(refuse_item("unknown_item", link, "この様式にない項目です。", "This item is not in the questionnaire."));
        }
        if out.contains_key(link) {
            return Err(refuse_item("duplicate_item", link, "同じ項目が2回あります。", "This item appears twice."));
        }
        out.insert(link.to_owned(), i.get("answer").cloned().unwrap_or(Value::Array(Vec::new())));
    }
    Ok(())
}

fn answers<'a>(all: &'a Map<String, Value>, link: &str) -> Result<&'a [Value], ApiError> {
    match all.get(link) {
        None => Ok(&[]),
        Some(a) => a.as_array().map(Vec::as_slice).ok_or_else(|| refuse_item("invalid_answer", link, "answer は配列にしてください。", "answer must be an array.")),
    }
}

fn single<'a>(all: &'a Map<String, Value>, link: &str) -> Result<Option<&'a Value>, ApiError> {
    let a = answers(all, link)?;
    if a.len() > 1 {
        return Err(refuse_item("invalid_answer", link, "回答は1つにしてください。", "Give one answer only."));
    }
    Ok(a.first())
}

fn typed(all: &Map<String, Value>, link: &str, key: &str) -> Result<Option<Value>, ApiError> {
    match single(all, link)? {
        None => Ok(None),
        Some(v) => v.get(key).cloned().map(Some).ok_or_else(|| {
            refuse_item("invalid_answer", link, &format!("回答は {key} で入力してください。"), &format!("The answer must be a {key}."))
        }),
    }
}

fn text(all: &Map<String, Value>, link: &str, key: &str) -> Result<String, ApiError> {
    Ok(match typed(all, link, key)? {
        None => String::new(),
        Some(Value::String(s)) => s,
        Some(_) => return Err(refuse_item("invalid_answer", link, &format!("{key} は文字列にしてください。"), &format!("{key} must be a string."))),
    })
}

fn boolean(all: &Map<String, Value>, link: &str) -> Result<bool, ApiError> {
    match typed(all, link, "valueBoolean")? {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(b),
        Some(_) => Err(refuse_item("invalid_answer", link, "valueBoolean は true か false にしてください。", "valueBoolean must be true or false.")),
    }
}

fn codes(base: &str, all: &Map<String, Value>, link: &str, system_id: Option<&str>) -> Result<Vec<String>, ApiError> {
    let expected = system_id.map_or_else(|| GENDER_SYSTEM.to_owned(), |id| system(base, id));
    answers(all, link)?
        .iter()
        .map(|a| {
            let c = &a["valueCoding"];
            match (c["system"].as_str(), c["code"].as_str()) {
                (Some(s), Some(code)) if s == expected => Ok(code.to_owned()),
                _ => Err(refuse_item(
                    "invalid_answer",
                    link,
                    &format!("回答は valueCoding（system {expected}）で入力してください。"),
                    &format!("The answer must be a valueCoding of system {expected}."),
                )),
            }
        })
        .collect()
}

/// Reads an imported `QuestionnaireResponse` into the clinic form's fields; refuses a
/// wrong resource, questionnaire, status or item shape with a 422 naming it.
pub fn import(base: &str, qr: &Value) -> Result<NotificationRequest, ApiError> {
    if qr["resourceType"] != "QuestionnaireResponse" {
        return Err(shape("resourceType", "QuestionnaireResponse を送ってください。", "Send a QuestionnaireResponse."));
    }
    let q = qr["questionnaire"].as_str().unwrap_or_default();
    let url = canonical(base, "Questionnaire", def::NOTIFICATION);
    if q != url && q != questionnaire_ref(base) {
        return Err(refuse_item("wrong_questionnaire", "questionnaire", &format!("発生届の様式 {url} への回答を送ってください。"), &format!("Send answers to the notification questionnaire {url}.")));
    }
    if qr["status"] != "completed" {
        return Err(refuse_item("not_completed", "status", "status は completed にしてください。", "status must be completed."));
    }
    let items = qr["item"].as_array().ok_or_else(|| shape("item", "回答の項目（item）がありません。", "The response has no items."))?;
    let mut all = Map::new();
    collect(items, &mut all)?;
    let one = |link: &str, system_id: Option<&str>| -> Result<String, ApiError> {
        let mut v = codes(base, &all, link, system_id)?;
        if v.len() > 1 {
            return Err(refuse_item("invalid_answer", link, "回答は1つにしてください。", "Give one answer only."));
        }
        Ok(v.pop().unwrap_or_default())
    };
    Ok(NotificationRequest {
        doctor: text(&all, "doctor", "valueString")?,
        report_date: text(&all, "report_date", "valueDate")?,
        name: text(&all, "name", "valueString")?,
        name_reading: text(&all, "name_reading", "valueString")?,
        sex: one("sex", None)?,
        date_of_birth: text(&all, "date_of_birth", "valueDate")?,
        municipality_code: text(&all, "municipality_code", "valueString")?,
        address: text(&all, "address", "valueString")?,
        phone: text(&all, "phone", "valueString")?,
        onset_date: text(&all, "onset_date", "valueDate")?,
        diagnosis_date: text(&all, "diagnosis_date", "valueDate")?,
        specimen_date: text(&all, "specimen_date", "valueDate")?,
        categories: codes(base, &all, "categories", Some(def::CATEGORY_CS))?,
        hospitalisation: boolean(&all, "hospitalisation")?,
        risk_factors: codes(base, &all, "risk_factors", Some(def::RISK_CS))?,
        antivirals: boolean(&all, "antivirals")?,
        oxygen: boolean(&all, "oxygen")?,
        pregnant: boolean(&all, "pregnant")?,
        vaccination: one("vaccination", Some(def::VACCINATION_CS))?,
        severity: one("severity", Some(def::SEVERITY_CS))?,
    })
}
