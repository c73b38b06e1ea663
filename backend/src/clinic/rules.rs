//! The rules of an outbreak notification (発生届) since 2022-09-26: who is notified
//! (65 or older, needs hospitalisation, a risk factor with antivirals or new oxygen,
//! pregnant), the form's fields and their checks, municipality and institution codes,
//! and the age bands of the daily counts (from configuration).

use crate::error::ApiError;
use crate::normalize;
use chrono::{Datelike, NaiveDate};
use protocol::Lang;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use utoipa::ToSchema;

/// The four groups a notification may be filed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// ① 65歳以上の者.
    Age65,
    /// ② 入院を要する者.
    Hospitalisation,
    /// ③ 重症化リスクがあり、新型コロナ治療薬の投与又は新たに酸素投与が必要な者.
    RiskTreatment,
    /// ④ 妊婦.
    Pregnant,
}

impl Category {
    /// Every category, in the order of the form.
    pub const ALL: [Category; 4] = [Category::Age65, Category::Hospitalisation, Category::RiskTreatment, Category::Pregnant];

    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Age65 => "age65",
            Category::Hospitalisation => "hospitalisation",
            Category::RiskTreatment => "risk_treatment",
            Category::Pregnant => "pregnant",
        }
    }

    /// From the stored form.
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The form's wording.
    pub fn label(self, lang: Lang) -> &'static str {
        let (ja, en) = match self {
            Category::Age65 => ("① 65歳以上の者", "① Aged 65 or older"),
            Category::Hospitalisation => ("② 入院を要する者", "② Needs hospitalisation"),
            Category::RiskTreatment => (
                "③ 重症化リスクがあり、かつ、新型コロナ治療薬の投与又は新たに酸素投与が必要な者",
                "③ Has a risk factor and needs antivirals or new oxygen",
            ),
            Category::Pregnant => ("④ 妊婦", "④ Pregnant"),
        };
        if lang == Lang::En { en } else { ja }
    }
}

/// Risk factors of severe illness (重症化リスク因子).
pub const RISK_FACTORS: [(&str, &str, &str); 11] = [
    ("malignancy", "悪性腫瘍", "Malignancy"),
    ("copd", "慢性呼吸器疾患（COPD等）", "Chronic respiratory disease (COPD etc.)"),
    ("ckd", "慢性腎臓病", "Chronic kidney disease"),
    ("cardiovascular", "心血管疾患", "Cardiovascular disease"),
    ("cerebrovascular", "脳血管疾患", "Cerebrovascular disease"),
    ("smoking", "喫煙歴", "Smoking history"),
    ("hypertension", "高血圧", "Hypertension"),
    ("diabetes", "糖尿病", "Diabetes"),
    ("dyslipidemia", "脂質異常症", "Dyslipidaemia"),
    ("obesity", "肥満（BMI30以上）", "Obesity (BMI 30 or more)"),
    ("immunosuppression", "臓器移植、免疫抑制剤、抗がん剤等の使用その他の事由による免疫機能の低下", "Weakened immunity (transplant, immunosuppressants, chemotherapy etc.)"),
];

/// Severity (重症度).
pub const SEVERITIES: [(&str, &str, &str); 4] =
    [("mild", "軽症", "Mild"), ("moderate1", "中等症Ⅰ", "Moderate I"), ("moderate2", "中等症Ⅱ", "Moderate II"), ("severe", "重症", "Severe")];

/// Vaccination (ワクチン接種歴).
pub const VACCINATIONS: [(&str, &str, &str); 6] = [
    ("none", "なし", "None"),
    ("1", "1回", "1 dose"),
    ("2", "2回", "2 doses"),
    ("3", "3回", "3 doses"),
    ("4plus", "4回以上", "4 or more doses"),
    ("unknown", "不明", "Unknown"),
];

/// Sex (性別).
pub const SEXES: [(&str, &str, &str); 2] = [("male", "男", "Male"), ("female", "女", "Female")];

/// The label of `code` in one of the tables above, in `lang`.
pub fn label_of(table: &[(&'static str, &'static str, &'static str)], code: &str, lang: Lang) -> &'static str {
    table.iter().find(|(c, _, _)| *c == code).map_or("", |(_, ja, en)| if lang == Lang::En { en } else { ja })
}

/// An outbreak notification as the clinic's form or API sends it. Dates are
/// `YYYY-MM-DD`; full-width digits, spaces and hyphens are accepted where the case
/// form accepts them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationRequest {
    /// Diagnosing doctor (診断した医師).
    #[schema(min_length = 1, pattern = r"\S")]
    pub doctor: String,
    /// Report date (報告年月日).
    #[schema(min_length = 8)]
    pub report_date: String,
    /// Patient's name.
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: String,
    /// Reading of the name (ふりがな).
    #[schema(min_length = 1, pattern = r"\S")]
    pub name_reading: String,
    /// `male` or `female`.
    #[schema(pattern = "^(male|female)$")]
    pub sex: String,
    /// Date of birth.
    #[schema(min_length = 8)]
    pub date_of_birth: String,
    /// The patient's municipality: 5-digit local government code (6 with its check digit).
    #[schema(min_length = 5)]
    pub municipality_code: String,
    /// Address within the municipality.
    #[schema(min_length = 1, pattern = r"\S")]
    pub address: String,
    /// Phone number.
    #[schema(min_length = 10)]
    pub phone: String,
    /// Onset date; empty when without symptoms.
    #[serde(default)]
    pub onset_date: String,
    /// Diagnosis date.
    #[schema(min_length = 8)]
    pub diagnosis_date: String,
    /// Specimen date (検体採取日).
    #[schema(min_length = 8)]
    pub specimen_date: String,
    /// Which categories apply (`age65`, `hospitalisation`, `risk_treatment`, `pregnant`).
    #[serde(default)]
    pub categories: Vec<String>,
    /// Needs hospitalisation.
    #[serde(default)]
    pub hospitalisation: bool,
    /// Risk factor codes.
    #[serde(default)]
    pub risk_factors: Vec<String>,
    /// Needs antivirals.
    #[serde(default)]
    pub antivirals: bool,
    /// Needs new oxygen.
    #[serde(default)]
    pub oxygen: bool,
    /// Pregnant.
    #[serde(default)]
    pub pregnant: bool,
    /// Vaccination: `none`, `1`, `2`, `3`, `4plus`, `unknown`.
    #[schema(pattern = "^(none|1|2|3|4plus|unknown)$")]
    pub vaccination: String,
    /// Severity: `mild`, `moderate1`, `moderate2`, `severe`.
    #[schema(pattern = "^(mild|moderate1|moderate2|severe)$")]
    pub severity: String,
}

/// A checked notification (no `Debug`: it holds a person's data).
#[derive(Clone)]
pub struct NewNotification {
    /// Doctor.
    pub doctor: String,
    /// Report date.
    pub report_date: NaiveDate,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_reading: String,
    /// `male` / `female`.
    pub sex: &'static str,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Age at diagnosis.
    pub age: i64,
    /// 5-digit municipality code.
    pub municipality_code: String,
    /// Address.
    pub address: String,
    /// Phone, digits only.
    pub phone: String,
    /// Onset date.
    pub onset_date: Option<NaiveDate>,
    /// Diagnosis date.
    pub diagnosis_date: NaiveDate,
    /// Specimen date.
    pub specimen_date: NaiveDate,
    /// Categories chosen (each fits).
    pub categories: Vec<Category>,
    /// Needs hospitalisation.
    pub hospitalisation: bool,
    /// Risk factor codes.
    pub risk_factors: Vec<&'static str>,
    /// Needs antivirals.
    pub antivirals: bool,
    /// Needs new oxygen.
    pub oxygen: bool,
    /// Pregnant.
    pub pregnant: bool,
    /// Vaccination code.
    pub vaccination: &'static str,
    /// Severity code.
    pub severity: &'static str,
}

/// Whole years from `born` to `on`.
pub fn age_on(born: NaiveDate, on: NaiveDate) -> i64 {
    let mut years = i64::from(on.year() - born.year());
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    years.max(0)
}

/// Whether `c` fits what the rest of the form says.
pub fn fits(c: Category, n: &NewNotification) -> bool {
    match c {
        Category::Age65 => n.age >= 65,
        Category::Hospitalisation => n.hospitalisation,
        Category::RiskTreatment => !n.risk_factors.is_empty() && (n.antivirals || n.oxygen),
        Category::Pregnant => n.pregnant,
    }
}

/// A refused field: its name (for the form) and the error.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// Form field.
    pub field: &'static str,
    /// The answer.
    pub error: ApiError,
}

fn refuse(field: &'static str, code: &'static str, ja: &'static str, en: &'static str) -> Refusal {
    Refusal { field, error: ApiError::bad_request(code, ja, en) }
}

fn text(input: &str, field: &'static str, max: usize, code: &'static str, ja: &'static str, en: &'static str) -> Result<String, Refusal> {
    let t = input.trim();
    if t.is_empty() || t.chars().count() > max || t.chars().any(char::is_control) {
        return Err(refuse(field, code, ja, en));
    }
    Ok(t.to_owned())
}

fn pick(table: &[(&'static str, &'static str, &'static str)], input: &str) -> Option<&'static str> {
    table.iter().map(|(c, _, _)| *c).find(|c| *c == input.trim())
}

/// A municipality (local government) code: 5 digits, or 6 whose last is the check digit
/// (full-width digits and spaces accepted); the 5-digit form.
pub fn municipality_code(input: &str) -> Option<String> {
    let d: String = input.nfkc().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match d.len() {
        5 => Some(d),
        6 => {
            let sum: u32 = d.bytes().take(5).zip([6u32, 5, 4, 3, 2]).map(|(b, w)| u32::from(b - b'0') * w).sum();
            let check = (11 - sum % 11) % 10;
            (u32::from(d.as_bytes()[5] - b'0') == check).then(|| d[..5].to_owned())
        }
        _ => None,
    }
}

/// A medical institution code (医療機関コード): 10 digits after width and hyphens.
pub fn institution_code(input: &str) -> Option<String> {
    let d: String = input.nfkc().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (d.len() == 10 && d.bytes().all(|b| b.is_ascii_digit())).then_some(d)
}

/// No one born before this year is notified (a typo such as 1890).
pub const EARLIEST_BIRTH_YEAR: i32 = 1900;

/// How many days back a notification's clinical dates may lie (diagnosed in 2019 is a
/// typo, not a case to observe now).
pub const PLAUSIBLE_DAYS: i64 = 90;

/// Checks and normalises a notification on `today` (Japan's day). The first refusal
/// names its field.
pub fn validate(r: &NotificationRequest, today: NaiveDate) -> Result<NewNotification, Refusal> {
    let date = |v: &str, field: &'static str, code: &'static str, ja: &'static str, en: &'static str| {
        normalize::date(v).filter(|d| *d <= today && d.year() >= 1890).ok_or_else(|| refuse(field, code, ja, en))
    };
    let doctor = text(&r.doctor, "doctor", 100, "invalid_doctor", "診断した医師の氏名を入力してください（100文字以内）。", "Enter the diagnosing doctor's name (at most 100 characters).")?;
    let report_date = date(&r.report_date, "report_date", "invalid_report_date", "報告年月日を YYYY-MM-DD で入力してください（今日以前）。", "Enter the report date as YYYY-MM-DD (today or earlier).")?;
    let name = normalize::display_name(&r.name).ok_or_else(|| refuse("name", "invalid_name", "氏名を入力してください（100文字以内）。", "Enter a name (at most 100 characters)."))?;
    let name_reading = normalize::display_name(&r.name_reading)
        .ok_or_else(|| refuse("name_reading", "invalid_name_reading", "ふりがなを入力してください（100文字以内）。", "Enter the reading of the name (at most 100 characters)."))?;
    let sex = pick(&SEXES, &r.sex).ok_or_else(|| refuse("sex", "invalid_sex", "性別を選んでください。", "Choose the sex."))?;
    let date_of_birth = date(&r.date_of_birth, "date_of_birth", "invalid_date_of_birth", "生年月日を YYYY-MM-DD で入力してください。", "Enter the date of birth as YYYY-MM-DD.")?;
    let municipality_code = municipality_code(&r.municipality_code).ok_or_else(|| {
        refuse("municipality_code", "invalid_municipality", "市区町村コードを5桁（または検査数字付きの6桁）で入力してください。", "Enter the municipality code: 5 digits (or 6 with the check digit).")
    })?;
    let address = text(&r.address, "address", 200, "invalid_address", "住所を入力してください（200文字以内）。", "Enter the address (at most 200 characters).")?;
    let phone = normalize::phone(&r.phone).ok_or_else(|| refuse("phone", "invalid_phone", "電話番号を数字で入力してください。", "Enter the phone number as digits."))?;
    let onset_date = match r.onset_date.trim() {
        "" => None,
        v => Some(date(v, "onset_date", "invalid_onset_date", "発症日を YYYY-MM-DD で入力してください（無症状なら空欄）。", "Enter the onset date as YYYY-MM-DD (empty when without symptoms).")?),
    };
    let diagnosis_date = date(&r.diagnosis_date, "diagnosis_date", "invalid_diagnosis_date", "診断日を YYYY-MM-DD で入力してください（今日以前）。", "Enter the diagnosis date as YYYY-MM-DD (today or earlier).")?;
    let specimen_date = date(&r.specimen_date, "specimen_date", "invalid_specimen_date", "検体採取日を YYYY-MM-DD で入力してください（今日以前）。", "Enter the specimen date as YYYY-MM-DD (today or earlier).")?;
    if date_of_birth.year() < EARLIEST_BIRTH_YEAR {
        return Err(refuse("date_of_birth", "invalid_date_of_birth", "生年月日は1900年1月1日以降の日付で入力してください。", "The date of birth must be 1 January 1900 or later."));
    }
    // A notification is filed within days of the diagnosis: a date long past is a typo.
    let earliest = today - chrono::Duration::days(PLAUSIBLE_DAYS);
    for (day, field, code, ja, en) in [
        (Some(report_date), "report_date", "invalid_report_date", "報告年月日は過去90日以内の日付にしてください。", "The report date must be within the last 90 days."),
        (Some(diagnosis_date), "diagnosis_date", "invalid_diagnosis_date", "診断日は過去90日以内の日付にしてください。", "The diagnosis date must be within the last 90 days."),
        (Some(specimen_date), "specimen_date", "invalid_specimen_date", "検体採取日は過去90日以内の日付にしてください。", "The specimen date must be within the last 90 days."),
        (onset_date, "onset_date", "invalid_onset_date", "発症日は過去90日以内の日付にしてください。", "The onset date must be within the last 90 days."),
    ] {
        if day.is_some_and(|d| d < earliest) {
            return Err(refuse(field, code, ja, en));
        }
    }
    if date_of_birth > diagnosis_date || onset_date.is_some_and(|d| d < date_of_birth) {
        return Err(refuse("date_of_birth", "invalid_date_of_birth", "生年月日が発症日・診断日より後になっています。", "The date of birth is after the onset or diagnosis date."));
    }
    if specimen_date > diagnosis_date {
        return Err(refuse("specimen_date", "invalid_specimen_date", "検体採取日は診断日以前の日付にしてください。", "The specimen date must be on or before the diagnosis date."));
    }
    if diagnosis_date > report_date {
        return Err(refuse("diagnosis_date", "invalid_diagnosis_date", "診断日は報告年月日以前の日付にしてください。", "The diagnosis date must be on or before the report date."));
    }
    if onset_date.is_some_and(|d| d > diagnosis_date) {
        return Err(refuse("onset_date", "invalid_onset_date", "発症日は診断日以前の日付にしてください。", "The onset date must be on or before the diagnosis date."));
    }
    let mut risk_factors = Vec::new();
    for f in &r.risk_factors {
        let code = pick(&RISK_FACTORS, f).ok_or_else(|| refuse("risk_factors", "invalid_risk_factor", "重症化リスク因子が正しくありません。", "A risk factor is not valid."))?;
        if !risk_factors.contains(&code) {
            risk_factors.push(code);
        }
    }
    let vaccination = pick(&VACCINATIONS, &r.vaccination).ok_or_else(|| refuse("vaccination", "invalid_vaccination", "ワクチン接種歴を選んでください。", "Choose the vaccination history."))?;
    let severity = pick(&SEVERITIES, &r.severity).ok_or_else(|| refuse("severity", "invalid_severity", "重症度を選んでください。", "Choose the severity."))?;
    if r.pregnant && sex != "female" {
        return Err(refuse("pregnant", "invalid_pregnant", "妊婦の欄は性別が女の方にだけ選べます。", "Pregnancy applies only when the sex is female."));
    }
    let mut categories = Vec::new();
    for c in &r.categories {
        let c = Category::parse(c.trim()).ok_or_else(|| refuse("categories", "invalid_category", "発生届の対象区分が正しくありません。", "The notification category is not valid."))?;
        if !categories.contains(&c) {
            categories.push(c);
        }
    }
    let n = NewNotification {
        doctor,
        report_date,
        name,
        name_reading,
        sex,
        age: age_on(date_of_birth, diagnosis_date),
        date_of_birth,
        municipality_code,
        address,
        phone,
        onset_date,
        diagnosis_date,
        specimen_date,
        categories: Vec::new(),
        hospitalisation: r.hospitalisation,
        risk_factors,
        antivirals: r.antivirals,
        oxygen: r.oxygen,
        pregnant: r.pregnant,
        vaccination,
        severity,
    };
    if !Category::ALL.iter().any(|c| fits(*c, &n)) {
        return Err(refuse(
            "categories",
            "not_notifiable",
            "この方は発生届の対象ではありません（65歳以上、入院を要する、重症化リスクがあり治療薬の投与または新たな酸素投与が必要、妊婦のいずれにも当たりません）。日ごとの患者数（年代別）に含めて報告してください。",
            "This patient is not notified (not 65 or older, not needing hospitalisation, no risk factor with antivirals or new oxygen, not pregnant). Include them in the daily count by age band.",
        ));
    }
    if categories.is_empty() {
        return Err(refuse("categories", "category_required", "発生届の対象（①〜④）のうち当てはまるものを選んでください。", "Choose which category (① to ④) applies."));
    }
    for c in &categories {
        if !fits(*c, &n) {
            let (code, ja, en) = match c {
                Category::Age65 => ("category_mismatch_age", "①を選ぶには、診断日に65歳以上である必要があります。", "① needs an age of 65 or older on the diagnosis date."),
                Category::Hospitalisation => ("category_mismatch_hospitalisation", "②を選ぶには「入院を要する」にチェックしてください。", "② needs \"needs hospitalisation\" ticked."),
                Category::RiskTreatment => (
                    "category_mismatch_risk",
                    "③を選ぶには、重症化リスク因子と、治療薬の投与または新たな酸素投与の必要が入力されている必要があります。",
                    "③ needs a risk factor and the need of antivirals or new oxygen.",
                ),
                Category::Pregnant => ("category_mismatch_pregnant", "④を選ぶには「妊娠している」にチェックしてください。", "④ needs \"pregnant\" ticked."),
            };
            return Err(refuse("categories", code, ja, en));
        }
    }
    Ok(NewNotification { categories, ..n })
}

/// The age bands of the daily counts and statistics: ascending lower bounds in years,
/// the first 0 (`--age-bands`, `MIMAMORI_AGE_BANDS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeBands(Vec<i64>);

impl Default for AgeBands {
    fn default() -> AgeBands {
        AgeBands(vec![0, 10, 20, 30, 40, 50, 60, 65, 70, 80, 90])
    }
}

impl AgeBands {
    /// From comma-separated lower bounds (`0,10,20,…`): ascending, starting at 0, at most 30.
    pub fn parse(s: &str) -> Result<AgeBands, String> {
        let v: Vec<i64> = s.split(',').map(|p| p.trim().parse::<i64>().map_err(|_| format!("not a whole number: {p:?}"))).collect::<Result<_, _>>()?;
        if v.first() != Some(&0) || v.windows(2).any(|w| w[0] >= w[1]) || v.len() > 30 || v.iter().any(|b| *b > 120) {
            return Err("age bands must be ascending lower bounds from 0 (at most 30, each at most 120)".into());
        }
        Ok(AgeBands(v))
    }

    /// The bands as (from, to inclusive; `None` for the last).
    pub fn bands(&self) -> Vec<(i64, Option<i64>)> {
        self.0.iter().enumerate().map(|(i, from)| (*from, self.0.get(i + 1).map(|n| n - 1))).collect()
    }

    /// The index of the band holding `age`.
    pub fn index(&self, age: i64) -> usize {
        self.0.iter().rposition(|from| *from <= age).unwrap_or(0)
    }

    /// A band's label: `60〜64歳`, `90歳以上` / `60–64`, `90+`.
    pub fn label(from: i64, to: Option<i64>, lang: Lang) -> String {
        match (to, lang) {
            (Some(to), Lang::Ja) => format!("{from}〜{to}歳"),
            (None, Lang::Ja) => format!("{from}歳以上"),
            (Some(to), Lang::En) => format!("{from}–{to}"),
            (None, Lang::En) => format!("{from}+"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_default()
    }

    fn base() -> NotificationRequest {
        NotificationRequest {
            doctor: "医師 一郎".into(),
            report_date: "2026-03-10".into(),
            name: "山田 花子".into(),
            name_reading: "やまだ はなこ".into(),
            sex: "female".into(),
            date_of_birth: "1950-05-01".into(),
            municipality_code: "13103".into(),
            address: "芝公園1-1".into(),
            phone: "090-1111-2222".into(),
            onset_date: "2026-03-08".into(),
            diagnosis_date: "2026-03-10".into(),
            specimen_date: "2026-03-09".into(),
            categories: vec!["age65".into()],
            vaccination: "3".into(),
            severity: "mild".into(),
            ..NotificationRequest::default()
        }
    }

    #[test]
    fn each_category_needs_its_facts() {
        let today = day("2026-03-10");
        assert!(validate(&base(), today).is_ok());
        let young = NotificationRequest { date_of_birth: "1990-01-01".into(), ..base() };
        assert_eq!(validate(&young, today).err().map(|r| r.error.code), Some("not_notifiable"));
        let young_in_hospital = NotificationRequest { hospitalisation: true, ..young.clone() };
        assert_eq!(validate(&young_in_hospital, today).err().map(|r| r.error.code), Some("category_mismatch_age"));
        let ok = NotificationRequest { categories: vec!["hospitalisation".into()], ..young_in_hospital };
        assert!(validate(&ok, today).is_ok());
        let risk_only = NotificationRequest { risk_factors: vec!["diabetes".into()], categories: vec!["risk_treatment".into()], ..young.clone() };
        assert_eq!(validate(&risk_only, today).err().map(|r| r.error.code), Some("not_notifiable"));
        let risk_oxygen = NotificationRequest { oxygen: true, ..risk_only };
        assert!(validate(&risk_oxygen, today).is_ok());
        let pregnant = NotificationRequest { pregnant: true, categories: vec!["pregnant".into()], ..young.clone() };
        assert!(validate(&pregnant, today).is_ok());
        let none_chosen = NotificationRequest { categories: vec![], ..base() };
        assert_eq!(validate(&none_chosen, today).err().map(|r| r.error.code), Some("category_required"));
        let male_pregnant = NotificationRequest { sex: "male".into(), pregnant: true, ..base() };
        assert_eq!(validate(&male_pregnant, today).err().map(|r| r.field), Some("pregnant"));
    }

    #[test]
    fn age_is_counted_on_the_diagnosis_date() {
        assert_eq!(age_on(day("1961-03-11"), day("2026-03-10")), 64);
        assert_eq!(age_on(day("1961-03-10"), day("2026-03-10")), 65);
        let turns_65_tomorrow = NotificationRequest { date_of_birth: "1961-03-11".into(), ..base() };
        assert_eq!(validate(&turns_65_tomorrow, day("2026-03-10")).err().map(|r| r.error.code), Some("not_notifiable"));
    }

    #[test]
    fn fields_are_normalised_and_dates_ordered() {
        let wide = NotificationRequest { phone: "０９０－１１１１－２２２２".into(), municipality_code: "１３１０３".into(), ..base() };
        let n = validate(&wide, day("2026-03-10")).ok().map(|n| (n.phone, n.municipality_code));
        assert_eq!(n, Some(("09011112222".into(), "13103".into())));
        let late_specimen = NotificationRequest { specimen_date: "2026-03-11".into(), ..base() };
        assert_eq!(validate(&late_specimen, day("2026-03-11")).err().map(|r| r.field), Some("specimen_date"));
        let future = NotificationRequest { report_date: "2026-03-11".into(), ..base() };
        assert_eq!(validate(&future, day("2026-03-10")).err().map(|r| r.field), Some("report_date"));
        let ancient = NotificationRequest { date_of_birth: "1890-05-01".into(), ..base() };
        let refused = validate(&ancient, day("2026-03-10")).err().map(|r| (r.field, r.error.message.get(protocol::Lang::Ja).to_owned()));
        assert_eq!(refused.as_ref().map(|r| r.0), Some("date_of_birth"));
        assert!(refused.is_some_and(|r| r.1.contains("1900")));
        for (field, old) in [("diagnosis_date", "2019-12-01"), ("specimen_date", "2025-11-01"), ("onset_date", "2025-12-01"), ("report_date", "2025-12-09")] {
            let mut n = base();
            match field {
                "diagnosis_date" => n.diagnosis_date = old.into(),
                "specimen_date" => n.specimen_date = old.into(),
                "onset_date" => n.onset_date = old.into(),
                _ => n.report_date = old.into(),
            }
            assert_eq!(validate(&n, day("2026-03-10")).err().map(|r| r.field), Some(field), "{field} {old}");
        }
        let bad_phone = NotificationRequest { phone: "12".into(), ..base() };
        assert_eq!(validate(&bad_phone, day("2026-03-10")).err().map(|r| r.error.code), Some("invalid_phone"));
    }

    #[test]
    fn municipality_codes_take_the_check_digit() {
        assert_eq!(municipality_code("131016").as_deref(), Some("13101"));
        assert_eq!(municipality_code("141003").as_deref(), Some("14100"));
        assert_eq!(municipality_code("271004").as_deref(), Some("27100"));
        assert_eq!(municipality_code("131017"), None);
        assert_eq!(municipality_code("1310"), None);
        assert_eq!(institution_code("13-1-2345678").as_deref(), Some("1312345678"));
        assert_eq!(institution_code("123"), None);
    }

    #[test]
    fn age_bands_come_from_configuration() {
        let b = AgeBands::default();
        assert_eq!(b.index(64), 6);
        assert_eq!(b.index(65), 7);
        assert_eq!(b.index(120), 10);
        assert_eq!(b.bands()[10], (90, None));
        let custom = AgeBands::parse("0, 20, 65").ok();
        assert_eq!(custom.as_ref().map(|b| b.bands()), Some(vec![(0, Some(19)), (20, Some(64)), (65, None)]));
        assert!(AgeBands::parse("10,20").is_err());
        assert!(AgeBands::parse("0,20,20").is_err());
        assert_eq!(AgeBands::label(90, None, Lang::Ja), "90歳以上");
    }
}
