//! A case and its reports as FHIR R4 resources: the `Patient`, one body-temperature
//! `Observation` per report (the base vital-signs profile and JP Core's
//! `JP_Observation_VitalSigns`: LOINC 8310-5, UCUM `Cel`), one `QuestionnaireResponse`
//! per report answering the published daily `Questionnaire`, and the `Bundle` of a case.

use super::definitions::{self as def, ANSWER_CS, KIND_CS, LOINC, LOINC_BODY_TEMPERATURE, UCUM, canonical, coding};
use crate::db::{CaseRecord, StoredReport};
use crate::rights::corrected::Corrected;
use chrono::{DateTime, SecondsFormat, Utc};
use protocol::{Lang, QUESTIONS};
use serde_json::{Value, json};

/// The base vital-signs profile of body temperature.
pub const BODYTEMP_PROFILE: &str = "http://hl7.org/fhir/StructureDefinition/bodytemp|4.0.1";
/// JP Core's vital-signs profile.
pub const JP_VITALSIGNS_PROFILE: &str = "http://jpfhir.jp/fhir/core/StructureDefinition/JP_Observation_VitalSigns|1.1.2";
/// JP Core's observation categories (its first category slice).
const JP_OBSERVATION_CATEGORY: &str = "http://jpfhir.jp/fhir/core/CodeSystem/JP_SimpleObservationCategory_CS";
const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
const INTERPRETATION: &str = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
const NAME_REPRESENTATION: &str = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

/// An instant as FHIR writes it (UTC, seconds).
pub fn instant(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The resource id of a case's patient.
pub fn patient_id(case_id: i64) -> String {
    format!("case-{case_id}")
}

/// A reference to a case's patient.
pub fn patient_ref(case_id: i64) -> Value {
    json!({ "reference": format!("Patient/{}", patient_id(case_id)) })
}

/// A name as two `HumanName`s: the written form (漢字, `IDE`) and its reading (カナ,
/// `SYL`), split into family and given name at the first space when there is one.
pub fn names(name: &str, reading: &str) -> Value {
    let one = |text: &str, representation: &str| {
        let mut n = json!({ "extension": [{ "url": NAME_REPRESENTATION, "valueCode": representation }], "use": "official", "text": text });
        if let Some((family, given)) = text.split_once(' ') {
            n["family"] = json!(family);
            n["given"] = json!([given]);
        }
        n
    };
    json!([one(name, "IDE"), one(reading, "SYL")])
}

/// A date of birth as FHIR carries it: the whole date, or only its year once retention
/// removed the day (never a made-up 1 January).
pub fn birth_date(date: chrono::NaiveDate, year_only: bool) -> String {
    if year_only { date.format("%Y").to_string() } else { date.to_string() }
}

/// The case's person; after retention, no longer active, with no name or contact and
/// the year of birth only.
pub fn patient(base: &str, c: &CaseRecord) -> Value {
    let mut p = json!({
        "resourceType": "Patient",
        "id": patient_id(c.id),
        "identifier": [{ "system": format!("{base}/sid/case-id"), "value": c.id.to_string() }],
        "active": c.active && !c.erased,
        "birthDate": birth_date(c.date_of_birth, c.erased),
    });
    if !c.erased {
        let mut telecom = vec![json!({ "system": "phone", "value": c.phone, "use": "mobile" })];
        if let Some(email) = &c.email {
            telecom.push(json!({ "system": "email", "value": email }));
        }
        p["name"] = names(&c.name, &c.name_reading);
        p["telecom"] = json!(telecom);
    }
    p
}

/// A report's body temperature; `sent` is the value the phone sent when the person had
/// it corrected (the observation is then `amended`, the value as sent in its note).
pub fn observation(r: &StoredReport, sent: Option<protocol::Temperature>) -> Value {
    let mut o = json!({
        "resourceType": "Observation",
        "id": format!("bt-{}", r.id),
        "meta": { "profile": [BODYTEMP_PROFILE, JP_VITALSIGNS_PROFILE] },
        "identifier": [{ "system": "urn:ietf:rfc:3986", "value": format!("urn:uuid:{}", r.id) }],
        "status": if sent.is_some() { "amended" } else { "final" },
        // JP Core's category first, then FHIR's vital-signs category (each profile's slice).
        "category": [
            { "coding": [{ "system": JP_OBSERVATION_CATEGORY, "code": "vital-signs", "display": "Vital Signs" }], "text": "バイタルサイン" },
            { "coding": [{ "system": OBSERVATION_CATEGORY, "code": "vital-signs", "display": "Vital Signs" }], "text": "Vital Signs" },
        ],
        "code": { "coding": [{ "system": LOINC, "code": LOINC_BODY_TEMPERATURE, "display": "Body temperature" }], "text": "体温" },
        "subject": patient_ref(r.case_id),
        "effectiveDateTime": instant(r.recorded_at),
        "issued": instant(r.received_at),
        "valueQuantity": { "value": r.temperature.celsius(), "unit": "Cel", "system": UCUM, "code": "Cel" },
    });
    if r.temperature.is_fever() {
        o["interpretation"] = json!([{ "coding": [{ "system": INTERPRETATION, "code": "H", "display": "High" }], "text": "発熱（37.5℃以上）" }]);
    }
    if let Some(sent) = sent {
        let c = sent.celsius();
        o["note"] = json!([{ "text": format!("本人の請求により訂正。送信時の値 {c:.1} Cel / Corrected at the person's request; sent as {c:.1} Cel") }]);
    }
    o
}

/// A report's answers to the daily `Questionnaire`.
pub fn daily_response(base: &str, r: &StoredReport) -> Value {
    let answer = |v: Value| json!([v]);
    let mut items = vec![
        json!({ "linkId": def::LOCAL_DATE, "text": "記録日", "answer": answer(json!({ "valueDate": r.local_date.to_string() })) }),
        json!({ "linkId": def::KIND, "text": "区分", "answer": answer(json!({ "valueCoding": coding(base, KIND_CS, r.kind.as_str()) })) }),
        json!({ "linkId": def::TEMPERATURE, "text": "体温", "answer": answer(json!({ "valueQuantity": { "value": r.temperature.celsius(), "unit": "Cel", "system": UCUM, "code": "Cel" } })) }),
    ];
    for (q, a) in QUESTIONS.iter().zip(r.answers.as_array()) {
        let mut c = coding(base, ANSWER_CS, &a.code().to_string());
        c["display"] = json!(q.option_label(*a, Lang::Ja));
        items.push(json!({ "linkId": q.key, "text": q.text.ja, "answer": answer(json!({ "valueCoding": c })) }));
    }
    json!({
        "resourceType": "QuestionnaireResponse",
        "id": format!("qr-{}", r.id),
        "identifier": { "system": "urn:ietf:rfc:3986", "value": format!("urn:uuid:{}", r.id) },
        "questionnaire": format!("{}|{}", canonical(base, "Questionnaire", def::DAILY), def::VERSION),
        "status": "completed",
        "subject": patient_ref(r.case_id),
        "authored": instant(r.recorded_at),
        "source": patient_ref(r.case_id),
        "item": items,
    })
}

/// The resources of a case in export order: its patient, then for each report its
/// observation and its questionnaire response.
pub fn case_resources(base: &str, c: &CaseRecord, reports: &[StoredReport], corrected: &Corrected) -> Vec<Value> {
    let mut out = Vec::with_capacity(1 + 2 * reports.len());
    out.push(patient(base, c));
    for r in reports {
        let mut r = r.clone();
        let sent = corrected.apply(&mut r);
        out.push(observation(&r, sent));
        out.push(daily_response(base, &r));
    }
    out
}

/// A `collection` bundle of resources, each entry's full URL under `base`.
pub fn bundle(base: &str, id: &str, at: DateTime<Utc>, resources: Vec<Value>) -> Value {
    let entry: Vec<Value> = resources
        .into_iter()
        .map(|r| {
            let full = format!("{base}/{}/{}", r["resourceType"].as_str().unwrap_or_default(), r["id"].as_str().unwrap_or_default());
            json!({ "fullUrl": full, "resource": r })
        })
        .collect();
    json!({ "resourceType": "Bundle", "id": id, "type": "collection", "timestamp": instant(at), "entry": entry })
}
