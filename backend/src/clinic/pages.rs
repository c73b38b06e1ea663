//! The clinic's pages: login (in `auth.rs`), home (its notifications with their status
//! at the centre, today's counts entered or missing), the notification form (a refused
//! field shows the form again with the message and the typed values, nothing stored),
//! one of its notifications, the daily counts (today editable, earlier days shown, a
//! day without an entry "missing"), and the clinic admin's logins page.

use super::api::{AccountRequest, count_days, create_login, file_notification, store_counts};
use super::auth::{WebOrg, login, login_page, logout};
use super::rules::{Category, NotificationRequest, RISK_FACTORS, SEVERITIES, SEXES, VACCINATIONS, label_of};
use super::store::{self, AccountLine, Line, Notification, OrgAction, OrgRole, Status};
use super::{AgeBands, page, tr};
use crate::state::AppState;
use crate::web::PageError;
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use protocol::Lang;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clinic/login", get(login_page).post(login))
        .route("/clinic/logout", post(logout))
        .route("/clinic", get(home))
        .route("/clinic/notifications", post(file))
        .route("/clinic/notifications/new", get(new_form))
        .route("/clinic/notifications/{id}", get(one))
        .route("/clinic/counts", get(counts_page).post(counts_post))
        .route("/clinic/staff", get(staff_page).post(staff_post))
}

/// The frame of the clinic and aggregate pages (no `Debug`: the CSRF token).
#[derive(Clone)]
pub struct OrgChrome {
    /// Language.
    pub lang: Lang,
    /// 見守り / Mimamori.
    pub app_name: &'static str,
    /// The clinic's name, or the aggregate role's title.
    pub place: String,
    /// Account name.
    pub name: String,
    /// A clinic account (else aggregate).
    pub is_clinic: bool,
    /// A clinic admin.
    pub is_admin: bool,
    /// CSRF token.
    pub csrf: String,
    /// Language switch links.
    pub to_ja: String,
    /// Same, to English.
    pub to_en: String,
    /// Current menu entry.
    pub nav: &'static str,
    /// Menu wording.
    pub nav_home: &'static str,
    /// Menu wording.
    pub nav_new: &'static str,
    /// Menu wording.
    pub nav_counts: &'static str,
    /// Menu wording.
    pub nav_staff: &'static str,
    /// Menu wording.
    pub nav_stats: &'static str,
    /// Logout.
    pub logout: &'static str,
}

impl OrgChrome {
    /// The frame for `o` on the page at `path`.
    pub fn new(o: &WebOrg, path: &str, nav: &'static str) -> OrgChrome {
        let l = o.lang;
        let next: String = form_urlencoded::Serializer::new(String::new()).append_pair("next", path).finish();
        OrgChrome {
            lang: l,
            app_name: tr(l, "見守り", "Mimamori"),
            place: o.p.institution.as_ref().map_or_else(|| tr(l, "都道府県・国（統計）", "Prefecture / ministry (statistics)").to_owned(), |i| i.name.clone()),
            name: o.p.name.clone(),
            is_clinic: o.p.institution.is_some(),
            is_admin: o.p.role == OrgRole::ClinicAdmin,
            csrf: o.csrf.clone(),
            to_ja: format!("/lang/ja?{next}"),
            to_en: format!("/lang/en?{next}"),
            nav,
            nav_home: tr(l, "届出一覧", "Notifications"),
            nav_new: tr(l, "発生届を入力", "File a notification"),
            nav_counts: tr(l, "日ごとの患者数", "Daily counts"),
            nav_staff: tr(l, "ログイン管理", "Logins"),
            nav_stats: tr(l, "統計", "Statistics"),
            logout: tr(l, "ログアウト", "Log out"),
        }
    }
}

/// A status in words.
pub fn status_label(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::New => tr(lang, "保健所の確認待ち", "Waiting at the centre"),
        Status::Accepted => tr(lang, "受理（療養者として登録）", "Accepted (registered as a case)"),
        Status::Duplicate => tr(lang, "重複として処理", "Handled as a duplicate"),
    }
}

/// One line of a list as shown.
#[derive(Clone)]
pub struct LineRow {
    /// Id.
    pub id: i64,
    /// Filed at (Japan).
    pub filed_at: String,
    /// Name.
    pub name: String,
    /// Reading.
    pub reading: String,
    /// Age.
    pub age: i64,
    /// Diagnosis date.
    pub diagnosed: String,
    /// Status key.
    pub status: &'static str,
    /// Status in words.
    pub status_label: &'static str,
    /// Clinic.
    pub institution: String,
    /// Centre.
    pub centre: String,
}

/// Lines as shown.
pub fn rows(lines: Vec<Line>, lang: Lang) -> Vec<LineRow> {
    lines
        .into_iter()
        .map(|l| LineRow {
            id: l.id,
            filed_at: crate::web::datetime(l.filed_at),
            name: l.name,
            reading: l.name_reading,
            age: l.age,
            diagnosed: l.diagnosis_date.to_string(),
            status: l.status.as_str(),
            status_label: status_label(l.status, lang),
            institution: l.institution_name,
            centre: l.centre_name,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "clinic/home.html")]
struct HomePage {
    o: OrgChrome,
    rows: Vec<LineRow>,
    counts_today: bool,
    filed: Option<i64>,
}

/// `GET /clinic`.
pub async fn home(State(state): State<AppState>, o: WebOrg, q: axum::extract::Query<std::collections::HashMap<String, String>>) -> Result<Response, PageError> {
    let Some(inst) = o.p.institution.clone() else { return Ok(Redirect::to("/stats/all").into_response()) };
    let now = state.clock.now();
    let lines = store::clinic_list(&state.db, inst.id, 200).await?;
    store::audit(&state.db, &o.p, OrgAction::ViewList, None, now).await?;
    let today = crate::web::today(now);
    let counts_today = !store::counts(&state.db, inst.id, today, today).await?.is_empty();
    let filed = q.get("filed").and_then(|v| v.parse().ok());
    Ok(page(&HomePage { o: OrgChrome::new(&o, "/clinic", "home"), rows: rows(lines, o.lang), counts_today, filed })?.into_response())
}

/// A choice of the form: (value, label, chosen).
pub type Choice = (&'static str, &'static str, bool);

fn choices(table: &[(&'static str, &'static str, &'static str)], chosen: &[String], lang: Lang) -> Vec<Choice> {
    table.iter().map(|(c, _, _)| (*c, label_of(table, c, lang), chosen.iter().any(|x| x == c))).collect()
}

#[derive(Template)]
#[template(path = "clinic/form.html")]
struct FormPage {
    o: OrgChrome,
    f: NotificationRequest,
    error: String,
    error_field: &'static str,
    categories: Vec<Choice>,
    risks: Vec<Choice>,
    sexes: Vec<Choice>,
    vaccinations: Vec<Choice>,
    severities: Vec<Choice>,
    municipalities: Vec<(String, String)>,
}

async fn form(state: &AppState, o: &WebOrg, f: NotificationRequest, error: String, error_field: &'static str) -> Result<Response, PageError> {
    o.institution()?;
    let l = o.lang;
    let cats: Vec<Choice> = Category::ALL.iter().map(|c| (c.as_str(), c.label(l), f.categories.iter().any(|x| x == c.as_str()))).collect();
    let one = |v: &str| vec![v.to_owned()];
    let municipalities = store::municipalities(&state.db, None).await?.into_iter().map(|(c, n, _)| (c, n)).collect();
    let p = FormPage {
        o: OrgChrome::new(o, "/clinic/notifications/new", "new"),
        categories: cats,
        risks: choices(&RISK_FACTORS, &f.risk_factors, l),
        sexes: choices(&SEXES, &one(&f.sex), l),
        vaccinations: choices(&VACCINATIONS, &one(&f.vaccination), l),
        severities: choices(&SEVERITIES, &one(&f.severity), l),
        municipalities,
        f,
        error,
        error_field,
    };
    let status = if p.error.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::BAD_REQUEST };
    Ok((status, page(&p)?).into_response())
}

/// `GET /clinic/notifications/new`.
pub async fn new_form(State(state): State<AppState>, o: WebOrg) -> Result<Response, PageError> {
    let today = crate::web::today(state.clock.now()).to_string();
    let f = NotificationRequest { report_date: today.clone(), diagnosis_date: today, vaccination: "unknown".into(), severity: "mild".into(), ..NotificationRequest::default() };
    form(&state, &o, f, String::new(), "").await
}

/// The posted form's fields (repeated keys for the check boxes).
fn parse_form(body: &Bytes) -> (NotificationRequest, String) {
    let mut f = NotificationRequest::default();
    let mut csrf = String::new();
    for (k, v) in form_urlencoded::parse(body) {
        let v = v.into_owned();
        match k.as_ref() {
            "csrf" => csrf = v,
            "doctor" => f.doctor = v,
            "report_date" => f.report_date = v,
            "name" => f.name = v,
            "name_reading" => f.name_reading = v,
            "sex" => f.sex = v,
            "date_of_birth" => f.date_of_birth = v,
            "municipality_code" => f.municipality_code = v,
            "address" => f.address = v,
            "phone" => f.phone = v,
            "onset_date" => f.onset_date = v,
            "diagnosis_date" => f.diagnosis_date = v,
            "specimen_date" => f.specimen_date = v,
            "categories" => f.categories.push(v),
            "hospitalisation" => f.hospitalisation = true,
            "risk_factors" => f.risk_factors.push(v),
            "antivirals" => f.antivirals = true,
            "oxygen" => f.oxygen = true,
            "pregnant" => f.pregnant = true,
            "vaccination" => f.vaccination = v,
            "severity" => f.severity = v,
            _ => {}
        }
    }
    (f, csrf)
}

/// `POST /clinic/notifications`: files it, or shows the form again with the refusal.
pub async fn file(State(state): State<AppState>, o: WebOrg, body: Bytes) -> Result<Response, PageError> {
    let (f, csrf) = parse_form(&body);
    o.check_csrf(&csrf)?;
    match file_notification(&state, &o.p, &f).await {
        Ok((id, _)) => Ok(Redirect::to(&format!("/clinic?filed={id}")).into_response()),
        Err(r) if r.field.is_empty() => Err(r.error.into()),
        Err(r) => form(&state, &o, f, r.error.message.get(o.lang).to_owned(), r.field).await,
    }
}

/// A notification's fields as label / value pairs.
pub fn fields(n: &Notification, lang: Lang) -> Vec<(&'static str, String)> {
    let f = &n.n;
    let yes = |b: bool| if b { tr(lang, "あり", "yes") } else { tr(lang, "なし", "no") }.to_owned();
    vec![
        (tr(lang, "届出番号", "Notification no."), n.id.to_string()),
        (tr(lang, "医療機関", "Clinic"), n.institution_name.clone()),
        (tr(lang, "届出先の保健所", "Health centre"), n.centre_name.clone()),
        (tr(lang, "状態", "Status"), status_label(n.status, lang).to_owned()),
        (tr(lang, "診断した医師", "Diagnosing doctor"), f.doctor.clone()),
        (tr(lang, "報告年月日", "Report date"), f.report_date.to_string()),
        (tr(lang, "氏名", "Name"), f.name.clone()),
        (tr(lang, "ふりがな", "Reading"), f.name_reading.clone()),
        (tr(lang, "性別", "Sex"), label_of(&SEXES, f.sex, lang).to_owned()),
        (tr(lang, "生年月日", "Date of birth"), format!("{} ({}{})", f.date_of_birth, f.age, tr(lang, "歳", " years"))),
        (tr(lang, "市区町村コード", "Municipality code"), f.municipality_code.clone()),
        (tr(lang, "住所", "Address"), f.address.clone()),
        (tr(lang, "電話番号", "Phone"), crate::web::phone_display(&f.phone)),
        (tr(lang, "発症日", "Onset date"), f.onset_date.map_or_else(|| tr(lang, "無症状", "no symptoms").to_owned(), |d| d.to_string())),
        (tr(lang, "診断日", "Diagnosis date"), f.diagnosis_date.to_string()),
        (tr(lang, "検体採取日", "Specimen date"), f.specimen_date.to_string()),
        (tr(lang, "発生届の対象", "Category"), f.categories.iter().map(|c| c.label(lang)).collect::<Vec<_>>().join(" / ")),
        (tr(lang, "入院を要する", "Needs hospitalisation"), yes(f.hospitalisation)),
        (tr(lang, "重症化リスク因子", "Risk factors"), f.risk_factors.iter().map(|r| label_of(&RISK_FACTORS, r, lang)).collect::<Vec<_>>().join("、")),
        (tr(lang, "新型コロナ治療薬の投与", "Antivirals"), yes(f.antivirals)),
        (tr(lang, "新たな酸素投与", "New oxygen"), yes(f.oxygen)),
        (tr(lang, "妊娠", "Pregnant"), yes(f.pregnant)),
        (tr(lang, "ワクチン接種歴", "Vaccination"), label_of(&VACCINATIONS, f.vaccination, lang).to_owned()),
        (tr(lang, "重症度", "Severity"), label_of(&SEVERITIES, f.severity, lang).to_owned()),
    ]
}

#[derive(Template)]
#[template(path = "clinic/notification.html")]
struct OnePage {
    o: OrgChrome,
    fields: Vec<(&'static str, String)>,
}

/// `GET /clinic/notifications/{id}`: one of the clinic's own (another clinic's is 404).
pub async fn one(State(state): State<AppState>, o: WebOrg, Path(id): Path<i64>) -> Result<Response, PageError> {
    let inst = o.institution()?;
    let n = store::clinic_one(&state.db, inst.id, id).await?.ok_or(PageError::NotFound)?;
    store::audit(&state.db, &o.p, OrgAction::ViewOne, Some(id), state.clock.now()).await?;
    Ok(page(&OnePage { fields: fields(&n, o.lang), o: OrgChrome::new(&o, &format!("/clinic/notifications/{id}"), "home") })?.into_response())
}

#[derive(Template)]
#[template(path = "clinic/counts.html")]
struct CountsPage {
    o: OrgChrome,
    today: String,
    bands: Vec<(String, String, i64)>,
    days: Vec<(String, bool, Vec<i64>)>,
    heads: Vec<String>,
    error: String,
    saved: bool,
}

async fn counts_view(state: &AppState, o: &WebOrg, error: String, saved: bool) -> Result<Response, PageError> {
    let inst = o.institution()?;
    let today = crate::web::today(state.clock.now());
    let (from, to) = super::api::range(None, None, today, 14).map_err(PageError::from)?;
    let days = count_days(state, inst.id, from, to).await?;
    let bands = state.config.clinic.age_bands.bands();
    let heads: Vec<String> = bands.iter().map(|(f, t)| AgeBands::label(*f, *t, o.lang)).collect();
    let todays = days.iter().find(|d| d.day == today).filter(|d| d.entered);
    let value = |from: i64| todays.and_then(|d| d.bands.iter().find(|b| b.0 == from)).map_or(0, |b| b.2);
    let p = CountsPage {
        o: OrgChrome::new(o, "/clinic/counts", "counts"),
        today: today.to_string(),
        bands: bands.iter().enumerate().map(|(i, (f, t))| (format!("band{i}"), AgeBands::label(*f, *t, o.lang), value(*f))).collect(),
        days: days
            .iter()
            .rev()
            .map(|d| (d.day.to_string(), d.entered, bands.iter().map(|(f, _)| d.bands.iter().find(|b| b.0 == *f).map_or(0, |b| b.2)).collect()))
            .collect(),
        heads,
        error,
        saved,
    };
    let status = if p.error.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::BAD_REQUEST };
    Ok((status, page(&p)?).into_response())
}

/// `GET /clinic/counts`.
pub async fn counts_page(State(state): State<AppState>, o: WebOrg, q: axum::extract::Query<std::collections::HashMap<String, String>>) -> Result<Response, PageError> {
    counts_view(&state, &o, String::new(), q.contains_key("saved")).await
}

/// `POST /clinic/counts`: today's counts (`band0` … and `day`, which must be today).
pub async fn counts_post(State(state): State<AppState>, o: WebOrg, body: Bytes) -> Result<Response, PageError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    o.check_csrf(&get("csrf"))?;
    let n = state.config.clinic.age_bands.bands().len();
    let mut counts = Vec::with_capacity(n);
    for i in 0..n {
        let typed: String = unicode_normalization::UnicodeNormalization::nfkc(get(&format!("band{i}")).trim()).collect();
        counts.push(if typed.is_empty() { 0 } else { typed.parse::<i64>().unwrap_or(-1) });
    }
    let day = crate::normalize::date(&get("day")).unwrap_or_default();
    match store_counts(&state, &o.p, day, &counts).await {
        Ok(()) => Ok(Redirect::to("/clinic/counts?saved=1").into_response()),
        Err(e) if e.status.is_client_error() && e.status != axum::http::StatusCode::FORBIDDEN => counts_view(&state, &o, e.message.get(o.lang).to_owned(), false).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "clinic/staff.html")]
struct StaffPage {
    o: OrgChrome,
    accounts: Vec<AccountLine>,
    error: String,
}

async fn staff_view(state: &AppState, o: &WebOrg, error: String) -> Result<Response, PageError> {
    let inst = o.institution()?;
    if o.p.role != OrgRole::ClinicAdmin {
        return Err(PageError::Forbidden);
    }
    let accounts = store::accounts_of(&state.db, inst.id).await?;
    let status = if error.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::BAD_REQUEST };
    Ok((status, page(&StaffPage { o: OrgChrome::new(o, "/clinic/staff", "staff"), accounts, error })?).into_response())
}

/// `GET /clinic/staff` (clinic admins).
pub async fn staff_page(State(state): State<AppState>, o: WebOrg) -> Result<Response, PageError> {
    staff_view(&state, &o, String::new()).await
}

/// `POST /clinic/staff`: adds a login (clinic admins).
pub async fn staff_post(State(state): State<AppState>, o: WebOrg, body: Bytes) -> Result<Response, PageError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    o.check_csrf(&get("csrf"))?;
    let req = AccountRequest { email: get("email"), name: get("name"), password: get("password"), role: get("role") };
    match create_login(&state, &o.p, req).await {
        Ok(_) => Ok(Redirect::to("/clinic/staff").into_response()),
        Err(e) if e.status == axum::http::StatusCode::FORBIDDEN => Err(PageError::Forbidden),
        Err(e) if e.status.is_client_error() => staff_view(&state, &o, e.message.get(o.lang).to_owned()).await,
        Err(e) => Err(e.into()),
    }
}
