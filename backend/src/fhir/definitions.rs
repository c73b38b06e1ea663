//! The definitions this server publishes and its exports name by canonical URL: the
//! `Questionnaire` of the daily report (the nine questions of `protocol`, their 1/2/9
//! answers, the kind of person, the temperature), the `Questionnaire` of the outbreak
//! notification (発生届; its items named like the clinic form's fields), and the
//! `CodeSystem`s of our codes. Every wording and code comes from `protocol` and the
//! clinic rules; nothing is repeated here but the notification items' labels.

use crate::clinic::rules::{Category, RISK_FACTORS, SEVERITIES, VACCINATIONS};
use protocol::{Answer, Kind, Lang, QUESTIONS, QuestionId};
use serde_json::{Value, json};

/// Id of the daily report's `Questionnaire`.
pub const DAILY: &str = "mimamori-daily";
/// Id of the outbreak notification's `Questionnaire`.
pub const NOTIFICATION: &str = "mimamori-notification";
/// Version of both questionnaires.
pub const VERSION: &str = "1";

/// Our code systems: (id, Japanese title, English title).
pub const CODE_SYSTEMS: [(&str, &str, &str); 6] = [
    ("mimamori-answer", "健康記録の回答（1=はい・ある、2=いいえ・ない、9=不明）", "Daily report answers (1 = yes, 2 = no, 9 = unknown)"),
    ("mimamori-kind", "療養者の区分", "Kind of person"),
    ("mimamori-notification-category", "発生届の対象区分", "Outbreak notification category"),
    ("mimamori-risk-factor", "重症化リスク因子", "Risk factor of severe illness"),
    ("mimamori-vaccination", "ワクチン接種歴", "Vaccination history"),
    ("mimamori-severity", "重症度", "Severity"),
];
/// The answer codes' system.
pub const ANSWER_CS: &str = "mimamori-answer";
/// The kinds' system.
pub const KIND_CS: &str = "mimamori-kind";
/// The notification categories' system.
pub const CATEGORY_CS: &str = "mimamori-notification-category";
/// The risk factors' system.
pub const RISK_CS: &str = "mimamori-risk-factor";
/// The vaccination codes' system.
pub const VACCINATION_CS: &str = "mimamori-vaccination";
/// The severity codes' system.
pub const SEVERITY_CS: &str = "mimamori-severity";
/// FHIR's own sex codes (the clinic form's `male` / `female`).
pub const GENDER_SYSTEM: &str = "http://hl7.org/fhir/administrative-gender";
/// LOINC.
pub const LOINC: &str = "http://loinc.org";
/// LOINC body temperature.
pub const LOINC_BODY_TEMPERATURE: &str = "8310-5";
/// UCUM.
pub const UCUM: &str = "http://unitsofmeasure.org";

const TRANSLATION: &str = "http://hl7.org/fhir/StructureDefinition/translation";

/// `{base}/{kind}/{id}`: a canonical URL served by this server.
pub fn canonical(base: &str, kind: &str, id: &str) -> String {
    format!("{base}/{kind}/{id}")
}

/// The canonical URL of one of our code systems.
pub fn system(base: &str, id: &str) -> String {
    canonical(base, "CodeSystem", id)
}

/// The English translation extension of a Japanese string element.
pub fn english(en: &str) -> Value {
    json!({ "extension": [{ "url": TRANSLATION, "extension": [{ "url": "lang", "valueCode": "en" }, { "url": "content", "valueString": en }] }] })
}

/// The concepts of a code system: (code, Japanese, English).
pub fn concepts(id: &str) -> Option<Vec<(String, &'static str, &'static str)>> {
    let table = |t: &[(&'static str, &'static str, &'static str)]| t.iter().map(|(c, ja, en)| ((*c).to_owned(), *ja, *en)).collect();
    let generic = QuestionId::Cough.question();
    Some(match id {
        ANSWER_CS => Answer::ALL.iter().map(|a| (a.code().to_string(), generic.option_label(*a, Lang::Ja), generic.option_label(*a, Lang::En))).collect(),
        KIND_CS => Kind::ALL.iter().map(|k| (k.as_str().to_owned(), k.label(Lang::Ja), k.label(Lang::En))).collect(),
        CATEGORY_CS => Category::ALL.iter().map(|c| (c.as_str().to_owned(), c.label(Lang::Ja), c.label(Lang::En))).collect(),
        RISK_CS => table(&RISK_FACTORS),
        VACCINATION_CS => table(&VACCINATIONS),
        SEVERITY_CS => table(&SEVERITIES),
        _ => return None,
    })
}

/// The display of `code` in code system `id`, in Japanese.
pub fn display(id: &str, code: &str) -> Option<&'static str> {
    concepts(id)?.into_iter().find(|(c, _, _)| c == code).map(|(_, ja, _)| ja)
}

/// A published `CodeSystem`, or `None` for an unknown id.
pub fn code_system(base: &str, id: &str) -> Option<Value> {
    let (_, ja, en) = CODE_SYSTEMS.iter().find(|(i, _, _)| *i == id)?;
    let concept: Vec<Value> = concepts(id)?
        .into_iter()
        .map(|(code, cja, cen)| json!({ "code": code, "display": cja, "designation": [{ "language": "en", "value": cen }] }))
        .collect();
    let mut cs = json!({
        "resourceType": "CodeSystem",
        "id": id,
        "url": system(base, id),
        "version": VERSION,
        "name": id.replace('-', "_"),
        "title": ja,
        "_title": english(en),
        "status": "active",
        "experimental": false,
        "language": "ja",
        "caseSensitive": true,
        "content": "complete",
        "count": concept.len(),
        "concept": concept,
    });
    if id == ANSWER_CS {
        cs["description"] = json!("1 is always the answer that signals a concern: for the face it means NOT as usual, for eating that there IS a problem; 9 is unknown.");
    }
    Some(cs)
}

/// A coding of one of our code systems, its display in Japanese.
pub fn coding(base: &str, id: &str, code: &str) -> Value {
    json!({ "system": system(base, id), "code": code, "display": display(id, code).unwrap_or_default() })
}

fn options(base: &str, id: &str) -> Vec<Value> {
    concepts(id).unwrap_or_default().into_iter().map(|(code, ja, _)| json!({ "valueCoding": { "system": system(base, id), "code": code, "display": ja } })).collect()
}

/// A questionnaire item with Japanese text and its English translation.
pub fn item(link_id: &str, ja: &str, en: &str, kind: &str, required: bool) -> Value {
    json!({ "linkId": link_id, "text": ja, "_text": english(en), "type": kind, "required": required })
}

/// Link ids of the daily report's items besides the nine questions.
pub const LOCAL_DATE: &str = "local_date";
/// Kind of person.
pub const KIND: &str = "kind";
/// Body temperature.
pub const TEMPERATURE: &str = "temperature";

fn daily(base: &str) -> Value {
    let mut items = vec![item(LOCAL_DATE, "記録日", "Day of the report", "date", true), {
        let mut i = item(KIND, "区分", "Kind of person", "choice", true);
        i["answerOption"] = json!(options(base, KIND_CS));
        i
    }, {
        let mut i = item(TEMPERATURE, "体温", "Body temperature", "quantity", true);
        i["code"] = json!([{ "system": LOINC, "code": LOINC_BODY_TEMPERATURE, "display": "Body temperature" }]);
        i
    }];
    for (n, q) in QUESTIONS.iter().enumerate() {
        let mut i = item(q.key, q.text.ja, q.text.en, "choice", true);
        i["prefix"] = json!((n + 1).to_string());
        i["answerOption"] = json!(Answer::ALL
            .iter()
            .map(|a| json!({ "valueCoding": { "system": system(base, ANSWER_CS), "code": a.code().to_string(), "display": q.option_label(*a, Lang::Ja) } }))
            .collect::<Vec<_>>());
        items.push(i);
    }
    json!({
        "resourceType": "Questionnaire",
        "id": DAILY,
        "url": canonical(base, "Questionnaire", DAILY),
        "version": VERSION,
        "name": "MimamoriDailyReport",
        "title": "健康記録（状況報告）",
        "_title": english("Daily health report"),
        "status": "active",
        "language": "ja",
        "subjectType": ["Patient"],
        "item": items,
    })
}

/// The notification's items in groups, each `(group, [(linkId, type, required, ja, en, code system)])`.
pub type Group = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str, bool, &'static str, &'static str, &'static str)]);

/// The notification's items: grouped like the paper form (patient, diagnosis,
/// category), each link id the clinic form's field name.
pub const NOTIFICATION_GROUPS: [Group; 3] = [
    ("patient", "患者", "Patient", &[
        ("name", "string", true, "氏名", "Name", ""),
        ("name_reading", "string", true, "ふりがな", "Reading of the name", ""),
        ("sex", "choice", true, "性別", "Sex", GENDER_SYSTEM),
        ("date_of_birth", "date", true, "生年月日", "Date of birth", ""),
        ("municipality_code", "string", true, "市区町村コード", "Municipality code", ""),
        ("address", "string", true, "住所", "Address", ""),
        ("phone", "string", true, "電話番号", "Phone", ""),
    ]),
    ("diagnosis", "診断", "Diagnosis", &[
        ("doctor", "string", true, "診断した医師", "Diagnosing doctor", ""),
        ("report_date", "date", true, "報告年月日", "Report date", ""),
        ("onset_date", "date", false, "発症日（無症状なら回答なし）", "Onset date (no answer when without symptoms)", ""),
        ("diagnosis_date", "date", true, "診断日", "Diagnosis date", ""),
        ("specimen_date", "date", true, "検体採取日", "Specimen date", ""),
    ]),
    ("category", "発生届の対象", "Notification category", &[
        ("categories", "choice", true, "発生届の対象", "Category", CATEGORY_CS),
        ("hospitalisation", "boolean", true, "入院を要する", "Needs hospitalisation", ""),
        ("risk_factors", "choice", false, "重症化リスク因子", "Risk factors", RISK_CS),
        ("antivirals", "boolean", true, "新型コロナ治療薬の投与", "Antivirals", ""),
        ("oxygen", "boolean", true, "新たな酸素投与", "New oxygen", ""),
        ("pregnant", "boolean", true, "妊娠", "Pregnant", ""),
        ("vaccination", "choice", true, "ワクチン接種歴", "Vaccination", VACCINATION_CS),
        ("severity", "choice", true, "重症度", "Severity", SEVERITY_CS),
    ]),
];

/// The label of a notification item, for error messages: (Japanese, English).
pub fn notification_label(link_id: &str) -> Option<(&'static str, &'static str)> {
    NOTIFICATION_GROUPS.iter().flat_map(|g| g.3.iter()).find(|i| i.0 == link_id).map(|i| (i.3, i.4))
}

fn notification(base: &str) -> Value {
    let groups: Vec<Value> = NOTIFICATION_GROUPS
        .iter()
        .map(|(id, ja, en, items)| {
            let mut g = item(id, ja, en, "group", true);
            g["item"] = json!(items
                .iter()
                .map(|(link, kind, required, ja, en, cs)| {
                    let mut i = item(link, ja, en, kind, *required);
                    if matches!(*link, "categories" | "risk_factors") {
                        i["repeats"] = json!(true);
                    }
                    if *cs == GENDER_SYSTEM {
                        i["answerOption"] = json!(["male", "female"].map(|c| json!({ "valueCoding": { "system": GENDER_SYSTEM, "code": c } })));
                    } else if !cs.is_empty() {
                        i["answerOption"] = json!(options(base, cs));
                    }
                    i
                })
                .collect::<Vec<_>>());
            g
        })
        .collect();
    json!({
        "resourceType": "Questionnaire",
        "id": NOTIFICATION,
        "url": canonical(base, "Questionnaire", NOTIFICATION),
        "version": VERSION,
        "name": "MimamoriOutbreakNotification",
        "title": "発生届（新型コロナウイルス感染症、2022年9月26日以降の対象者）",
        "_title": english("Outbreak notification (COVID-19, patients notified since 2022-09-26)"),
        "status": "active",
        "language": "ja",
        "subjectType": ["Patient"],
        "item": groups,
    })
}

/// A published `Questionnaire`, or `None` for an unknown id.
pub fn questionnaire(base: &str, id: &str) -> Option<Value> {
    match id {
        DAILY => Some(daily(base)),
        NOTIFICATION => Some(notification(base)),
        _ => None,
    }
}
