//! Setting clinics up: the centre admin's page (`/admin/clinics`: the municipalities of
//! the centre's jurisdiction, the institutions it registered, forms to add either,
//! each audited), the commands (`create-institution`, `add-municipality`,
//! `create-aggregate-account`) and the demo data.

use super::rules::{institution_code, municipality_code};
use super::store::{self, Institution, NewOrgAccount, OrgRole};
use super::tr;
use crate::db::{AuditAction, Db};
use crate::error::{ApiError, Error, Result};
use crate::http::staff::{invalid_email, invalid_field};
use crate::password::{self, HashCost};
use crate::state::AppState;
use crate::web::session::WebStaff;
use crate::web::{Chrome, PageError, render};
use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde::Deserialize;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/clinics", get(page).post(add_institution)).route("/admin/municipalities", post(add_municipality_form))
}

/// What a new institution needs (no `Debug`: a password).
#[derive(Clone, Deserialize)]
pub struct InstitutionSetup {
    /// Name.
    pub name: String,
    /// 10-digit institution code.
    pub code: String,
    /// Its municipality.
    pub municipality_code: String,
    /// First admin's e-mail.
    pub admin_email: String,
    /// First admin's name.
    pub admin_name: String,
    /// First admin's password.
    pub admin_password: String,
}

/// Checks and creates an institution with its first admin login; (institution id,
/// account id).
pub async fn create_institution(db: &Db, s: InstitutionSetup, issued_by: Option<i64>, cost: HashCost) -> Result<(i64, i64), ApiError> {
    let name = crate::normalize::display_name(&s.name).ok_or_else(|| invalid_field("name"))?;
    let code = institution_code(&s.code)
        .ok_or_else(|| ApiError::bad_request("invalid_institution_code", "医療機関コードを10桁の数字で入力してください。", "Enter the institution code as 10 digits."))?;
    let municipality = municipality_code(&s.municipality_code)
        .ok_or_else(|| ApiError::bad_request("invalid_municipality", "市区町村コードを5桁（または検査数字付きの6桁）で入力してください。", "Enter the municipality code: 5 digits (or 6 with the check digit)."))?;
    let email = crate::normalize::email(&s.admin_email).ok_or_else(invalid_email)?;
    let admin_name = crate::normalize::display_name(&s.admin_name).ok_or_else(|| invalid_field("name"))?;
    password::check_strength(&s.admin_password, &email).map_err(password::weakness_error)?;
    let password_hash = password::hash_async(s.admin_password, cost).await?;
    let admin = NewOrgAccount { email, name: admin_name, role: OrgRole::ClinicAdmin, password_hash };
    Ok(store::create_institution(db, &name, &code, &municipality, issued_by, admin, Utc::now()).await?)
}

/// Checks and gives a municipality to a centre; refused when another centre holds it.
pub async fn add_municipality(db: &Db, centre_id: i64, code: &str, name: &str) -> Result<(), ApiError> {
    let code = municipality_code(code)
        .ok_or_else(|| ApiError::bad_request("invalid_municipality", "市区町村コードを5桁（または検査数字付きの6桁）で入力してください。", "Enter the municipality code: 5 digits (or 6 with the check digit)."))?;
    let name = crate::normalize::display_name(name).ok_or_else(|| invalid_field("name"))?;
    if store::add_municipality(db, centre_id, &code, &name, false, Utc::now()).await? {
        Ok(())
    } else {
        Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "municipality_taken",
            "この市区町村は他の保健所の管轄として登録されています。",
            "Another health centre already covers this municipality.",
        ))
    }
}

/// Creates an aggregate (prefecture, ministry) login; its id.
pub async fn create_aggregate(db: &Db, email: &str, name: &str, password: &str, cost: HashCost) -> Result<i64, ApiError> {
    let email = crate::normalize::email(email).ok_or_else(invalid_email)?;
    let name = crate::normalize::display_name(name).ok_or_else(|| invalid_field("name"))?;
    password::check_strength(password, &email).map_err(password::weakness_error)?;
    let password_hash = password::hash_async(password.to_owned(), cost).await?;
    Ok(store::create_account(db, None, NewOrgAccount { email, name, role: OrgRole::Aggregate, password_hash }, None, Utc::now()).await?)
}

#[derive(Template)]
#[template(path = "clinic/admin.html")]
struct AdminPage {
    c: Chrome,
    municipalities: Vec<(String, String)>,
    institutions: Vec<Institution>,
    error: String,
}

async fn view(state: &AppState, staff: &WebStaff, error: String) -> Result<Response, PageError> {
    if !staff.is_admin() {
        return Err(PageError::Forbidden);
    }
    let municipalities = store::municipalities(&state.db, Some(staff.scope.centre_id())).await?.into_iter().map(|(c, n, _)| (c, n)).collect();
    let institutions = store::institutions_of(&state.db, staff.scope).await?;
    let status = if error.is_empty() { axum::http::StatusCode::OK } else { axum::http::StatusCode::BAD_REQUEST };
    Ok((status, render(&AdminPage { c: Chrome::new(staff, "/admin/clinics", "clinics"), municipalities, institutions, error })?).into_response())
}

/// `GET /admin/clinics` (centre admins).
pub async fn page(State(state): State<AppState>, staff: WebStaff) -> Result<Response, PageError> {
    view(&state, &staff, String::new()).await
}

/// The institution form (no `Debug`: a password).
#[derive(Deserialize)]
pub struct InstitutionForm {
    csrf: String,
    #[serde(flatten)]
    setup: InstitutionSetup,
}

/// `POST /admin/clinics`.
pub async fn add_institution(State(state): State<AppState>, staff: WebStaff, Form(f): Form<InstitutionForm>) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    if !staff.is_admin() {
        return Err(PageError::Forbidden);
    }
    match create_institution(&state.db, f.setup, Some(staff.scope.centre_id()), state.config.hash_cost).await {
        Ok((id, _)) => {
            state.db.audit(staff.scope, staff.staff_id, AuditAction::RegisterInstitution, None, state.clock.now()).await?;
            tracing::info!(institution_id = id, by = staff.staff_id, "institution registered");
            Ok(Redirect::to("/admin/clinics").into_response())
        }
        Err(e) if e.status.is_client_error() => view(&state, &staff, e.message.get(staff.lang).to_owned()).await,
        Err(e) => Err(e.into()),
    }
}

/// The municipality form (no `Debug`: the CSRF token).
#[derive(Deserialize)]
pub struct MunicipalityForm {
    csrf: String,
    code: String,
    name: String,
}

/// `POST /admin/municipalities`.
pub async fn add_municipality_form(State(state): State<AppState>, staff: WebStaff, Form(f): Form<MunicipalityForm>) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    if !staff.is_admin() {
        return Err(PageError::Forbidden);
    }
    match add_municipality(&state.db, staff.scope.centre_id(), &f.code, &f.name).await {
        Ok(()) => {
            state.db.audit(staff.scope, staff.staff_id, AuditAction::RegisterInstitution, None, state.clock.now()).await?;
            Ok(Redirect::to("/admin/clinics").into_response())
        }
        Err(e) if e.status.is_client_error() => view(&state, &staff, e.message.get(staff.lang).to_owned()).await,
        Err(e) => Err(e.into()),
    }
}

/// See [`super::demo`].
pub async fn demo(db: &Db, cost: HashCost) -> Result<Vec<String>> {
    let password = "Mimamori-Demo-2026";
    let centre_of = |suffix: &'static str| async move {
        let rows = super::sql::query(db, "SELECT id FROM centres WHERE jurisdiction_code LIKE 'DEMO-%' || $1 ORDER BY id DESC LIMIT 1", vec![suffix.into()]).await?;
        rows.first().map(|r| r.i(0)).transpose()?.ok_or_else(|| Error::Internal("the demo centres are missing".into()))
    };
    let (first, second) = (centre_of("-0").await?, centre_of("-1").await?);
    let now = Utc::now();
    for (centre, code, name) in [(first, "13103", "港区"), (first, "13101", "千代田区"), (second, "13104", "新宿区")] {
        store::add_municipality(db, centre, code, name, true, now).await?;
    }
    let run = &uuid::Uuid::new_v4().simple().to_string()[..6];
    let digits: String = run.bytes().map(|b| char::from(b'0' + b % 10)).collect();
    let mut out = Vec::new();
    let mut clinics = Vec::new();
    for (n, (name, municipality)) in [("みなとクリニック", "13103"), ("しんじゅく内科", "13104")].into_iter().enumerate() {
        let email = format!("clinic{n}-{run}@demo.mimamori.invalid");
        let setup = InstitutionSetup {
            name: name.into(),
            code: format!("13{n}1{digits}"),
            municipality_code: municipality.into(),
            admin_email: email.clone(),
            admin_name: format!("医療機関管理者{n}"),
            admin_password: password.into(),
        };
        let (id, account) = create_institution(db, setup, Some(if n == 0 { first } else { second }), cost).await.map_err(Error::Api)?;
        out.push(format!("clinic {name} (id {id}): login {email} / {password}"));
        clinics.push((id, account));
    }
    let agg = format!("aggregate-{run}@demo.mimamori.invalid");
    create_aggregate(db, &agg, "県・国（統計）", password, cost).await.map_err(Error::Api)?;
    out.push(format!("aggregate statistics login {agg} / {password}"));
    // Two notifications waiting at the first centre, and a week of counts with the day
    // before yesterday missing.
    let Some((clinic, account)) = clinics.first().copied() else { return Ok(out) };
    let sessions = store::session_of(db, account).await?;
    let today = crate::web::today(now);
    for (i, (name, reading, born)) in [("青木 正", "あおき ただし", "1948-02-11"), ("木村 由紀", "きむら ゆき", "1993-07-30")].into_iter().enumerate() {
        let req = super::rules::NotificationRequest {
            doctor: "港 一郎".into(),
            report_date: today.to_string(),
            name: name.into(),
            name_reading: reading.into(),
            sex: if i == 0 { "male" } else { "female" }.into(),
            date_of_birth: born.into(),
            municipality_code: "13103".into(),
            address: "芝公園1-1".into(),
            phone: format!("0801234{:04}", 5000 + i),
            onset_date: (today - chrono::Duration::days(1)).to_string(),
            diagnosis_date: today.to_string(),
            specimen_date: today.to_string(),
            categories: vec![if i == 0 { "age65" } else { "pregnant" }.into()],
            pregnant: i == 1,
            vaccination: "3".into(),
            severity: "mild".into(),
            ..Default::default()
        };
        let n = super::rules::validate(&req, today).map_err(|r| Error::Api(r.error))?;
        store::file(db, &sessions, clinic, first, &n, now).await?;
    }
    for back in [1i64, 3, 4, 5, 6] {
        let day = today - chrono::Duration::days(back);
        let bands = super::AgeBands::default().bands();
        let counts = bands.iter().enumerate().map(|(i, (from, to))| store::BandCount { from: *from, to: *to, count: ((i as i64 * 7 + back * 3) % 9) }).collect();
        store::put_counts(db, &sessions, clinic, day, counts, now).await?;
    }
    out.push(format!("  clinic {clinic}: two notifications waiting at centre {first}, daily counts of the last week but today and 2 days ago"));
    Ok(out)
}

/// What the page says about a role.
pub fn role_label(r: OrgRole, lang: protocol::Lang) -> &'static str {
    match r {
        OrgRole::ClinicAdmin => tr(lang, "管理者", "Admin"),
        OrgRole::ClinicStaff => tr(lang, "職員", "Staff"),
        OrgRole::Aggregate => tr(lang, "統計閲覧", "Statistics"),
    }
}
