//! Cases of the centre: search and filter, register a case (the same checks and input
//! ID issue as the staff API), and the printable A4 leaflet with the smartphone input
//! ID, the app's URL and QR code, the urgent-symptom list and the data-handling notice.

use super::board::SummaryView;
use super::session::WebStaff;
use super::{Chrome, PageError, render, today};
use crate::db::{AuditAction, CaseQuery, CaseSearch, CaseStatus};
use crate::http::cases::{CaseRequest, register, validate};
use crate::normalize;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, OriginalUri, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use protocol::{Kind, Lang, UrgentGroup};
use serde::Deserialize;

/// Rows per page of the case list.
const PAGE_ROWS: i64 = 50;

/// Query of the case list.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: Option<i64>,
}

/// A search box value as a search: digits (phone, input ID) or part of a name.
pub fn search_of(q: &str) -> CaseSearch {
    let compact = normalize::name(q);
    if compact.is_empty() {
        return CaseSearch::Any;
    }
    let digits: String = compact.chars().filter(|c| !matches!(c, '-' | 'ー' | '−')).collect();
    if digits.chars().all(|c| c.is_ascii_digit()) { CaseSearch::Digits(digits) } else { CaseSearch::Name(compact) }
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    c: Chrome,
    q: String,
    status: &'static str,
    statuses: Vec<(&'static str, &'static str)>,
    rows: Vec<SummaryView>,
    table_id: String,
    page: i64,
    prev: Option<String>,
    next: Option<String>,
}

fn status_label(s: CaseStatus, lang: Lang) -> &'static str {
    let t = super::i18n::texts(lang);
    match s {
        CaseStatus::All => t.status_all,
        CaseStatus::Reported => t.reported,
        CaseStatus::Unreported => t.unreported,
        CaseStatus::Fever => t.fever,
        CaseStatus::Urgent => t.urgent,
        CaseStatus::Closed => t.status_closed,
    }
}

/// `GET /cases`: search and filter.
pub async fn list(State(state): State<AppState>, staff: WebStaff, OriginalUri(uri): OriginalUri, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    let now = state.clock.now();
    let day = today(now);
    let status = CaseStatus::parse(&q.status).unwrap_or(CaseStatus::All);
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let query = CaseQuery { search: search_of(&q.q), status, today: day, limit: PAGE_ROWS + 1, offset: (page - 1) * PAGE_ROWS };
    let mut cases = state.db.case_summaries(staff.scope, query).await?;
    let more = cases.len() as i64 > PAGE_ROWS;
    cases.truncate(PAGE_ROWS as usize);
    let rows: Vec<SummaryView> = super::board::views(&state, &staff, vec![cases], now).await?.into_iter().flatten().collect();
    state.db.audit(staff.scope, staff.staff_id, AuditAction::ViewCases, None, now).await?;
    let link = |p: i64| {
        form_urlencoded::Serializer::new(String::from("/cases?"))
            .append_pair("q", &q.q)
            .append_pair("status", status.as_str())
            .append_pair("page", &p.to_string())
            .finish()
    };
    let path = uri.path_and_query().map_or("/cases", |p| p.as_str()).to_owned();
    let page_view = CasesPage {
        c: Chrome::new(&staff, &path, "cases"),
        q: q.q.clone(),
        status: status.as_str(),
        statuses: CaseStatus::ALL.iter().map(|s| (s.as_str(), status_label(*s, staff.lang))).collect(),
        rows,
        table_id: "cases".into(),
        page,
        prev: (page > 1).then(|| link(page - 1)),
        next: more.then(|| link(page + 1)),
    };
    render(&page_view)
}

/// The fields of the new-case form, kept to show them again with an error (no `Debug`:
/// it carries the form's CSRF token).
#[derive(Clone, Default, Deserialize)]
pub struct CaseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_reading: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    observation: String,
    #[serde(default)]
    period_start: String,
    #[serde(default)]
    period_end: String,
}

#[derive(Template)]
#[template(path = "new_case.html")]
struct NewCasePage {
    c: Chrome,
    f: CaseForm,
    kinds: Vec<(&'static str, &'static str)>,
    error_field: &'static str,
    error: String,
}

fn new_case_page(staff: &WebStaff, f: CaseForm, error_field: &'static str, error: String) -> Result<Html<String>, PageError> {
    let kinds = Kind::ALL.iter().map(|k| (k.as_str(), k.label(staff.lang))).collect();
    render(&NewCasePage { c: Chrome::new(staff, "/cases/new", "new"), f, kinds, error_field, error })
}

/// `GET /cases/new`: the registration form, observation from today for ten days.
pub async fn new_form(State(state): State<AppState>, staff: WebStaff) -> Result<Html<String>, PageError> {
    let day = today(state.clock.now());
    let f = CaseForm {
        kind: "infected".into(),
        observation: "app".into(),
        period_start: day.to_string(),
        period_end: (day + chrono::Duration::days(9)).to_string(),
        ..CaseForm::default()
    };
    new_case_page(&staff, f, "", String::new())
}

/// `POST /cases`: registers the case and shows its leaflet; a bad field shows the form
/// again with the field marked and nothing stored.
pub async fn create(State(state): State<AppState>, staff: WebStaff, Form(f): Form<CaseForm>) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let req = CaseRequest {
        name: f.name.clone(),
        name_reading: f.name_reading.clone(),
        date_of_birth: f.date_of_birth.clone(),
        phone: f.phone.clone(),
        email: Some(f.email.clone()),
        kind: f.kind.clone(),
        observation: f.observation.clone(),
        period_start: f.period_start.clone(),
        period_end: f.period_end.clone(),
    };
    let case = match validate(req) {
        Ok(c) => c,
        Err(e) => {
            let field = match e.code {
                "invalid_name" => "name",
                "invalid_name_reading" => "name_reading",
                "invalid_date_of_birth" => "date_of_birth",
                "invalid_phone" => "phone",
                "invalid_email" => "email",
                "invalid_kind" => "kind",
                "invalid_observation" => "observation",
                _ => "period",
            };
            let mut res = new_case_page(&staff, f, field, e.message.get(staff.lang).to_owned())?.into_response();
            *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(res);
        }
    };
    let now = state.clock.now();
    let record = register(&state.db, staff.scope, case, now).await?;
    state.db.audit(staff.scope, staff.staff_id, AuditAction::CreateCase, Some(record.id), now).await?;
    tracing::info!(case_id = record.id, by = staff.staff_id, "case registered from the pages");
    Ok(Redirect::to(&format!("/cases/{}/leaflet", record.id)).into_response())
}

/// An urgent-symptom group as the leaflet prints it.
#[derive(Debug, Clone)]
pub struct UrgentView {
    /// Heading.
    pub title: &'static str,
    /// Symptoms, ※ appended where a family member judges.
    pub symptoms: Vec<String>,
}

/// The urgent-symptom list in `lang`, from the one copy in `protocol`.
pub fn urgent_list(lang: Lang) -> Vec<UrgentView> {
    UrgentGroup::ALL
        .iter()
        .map(|g| UrgentView {
            title: g.title(lang),
            symptoms: g.symptoms().map(|s| format!("{}{}", s.text(lang), if s.info().judged_by_family { "※" } else { "" })).collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "leaflet.html")]
struct LeafletPage {
    c: Chrome,
    case_id: i64,
    name: String,
    input_id: String,
    centre: String,
    emergency: String,
    app_url: String,
    qr_svg: String,
    urgent: Vec<UrgentView>,
    notice_title: &'static str,
    notice: Vec<&'static str>,
}

/// The QR code of `url` as inline SVG.
pub fn qr_svg(url: &str) -> Result<String, PageError> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M).map_err(|_| PageError::Internal)?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(160, 160).quiet_zone(true).build();
    // Inline in the page: drop the XML declaration.
    Ok(svg.find("<svg").map_or(svg.clone(), |i| svg[i..].to_owned()))
}

/// The address in the leaflet's QR code: the start page with the centre's id, name and
/// emergency number, so the app or the pages opened from it know whom to call.
pub fn leaflet_link(app_url: &str, centre: &crate::db::Centre) -> String {
    protocol::LeafletLink {
        server: app_url.strip_suffix(protocol::APP_PATH).unwrap_or(app_url).to_owned(),
        centre_id: centre.id,
        centre_name: centre.name.clone(),
        emergency_number: centre.emergency_number.clone(),
    }
    .url()
}

/// `GET /cases/{id}/leaflet`: the printable leaflet.
pub async fn leaflet(State(state): State<AppState>, staff: WebStaff, Path(id): Path<i64>) -> Result<Html<String>, PageError> {
    let case = state.db.case(staff.scope, id).await?.ok_or(PageError::NotFound)?;
    state.db.audit(staff.scope, staff.staff_id, AuditAction::ViewLeaflet, Some(id), state.clock.now()).await?;
    let centre = &staff.header.centre;
    let page = LeafletPage {
        c: Chrome::new(&staff, &format!("/cases/{id}/leaflet"), "cases"),
        case_id: id,
        name: case.name,
        input_id: case.input_id,
        centre: centre.name.clone(),
        emergency: centre.emergency_number.clone(),
        app_url: state.config.app_url.clone(),
        qr_svg: qr_svg(&leaflet_link(&state.config.app_url, centre))?,
        urgent: urgent_list(staff.lang),
        notice_title: protocol::NOTICE_TITLE.get(staff.lang),
        notice: protocol::NOTICE.iter().map(|n| n.get(staff.lang)).collect(),
    };
    render(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_box_tells_digits_from_names() {
        assert!(matches!(search_of("  "), CaseSearch::Any));
        assert!(matches!(search_of("090-1234"), CaseSearch::Digits(d) if d == "0901234"));
        assert!(matches!(search_of("１２３４５６７"), CaseSearch::Digits(d) if d == "1234567"));
        assert!(matches!(search_of("山田 太郎"), CaseSearch::Name(n) if n == "山田太郎"));
    }

    #[test]
    fn the_leaflet_lists_all_thirteen_urgent_symptoms_and_a_scannable_code() {
        let list = urgent_list(Lang::Ja);
        assert_eq!(list.iter().map(|g| g.symptoms.len()).sum::<usize>(), 13);
        assert_eq!(list.iter().flat_map(|g| &g.symptoms).filter(|s| s.ends_with('※')).count(), 4);
        let centre = crate::db::Centre { id: 7, name: "みなと保健所".into(), emergency_number: "03-1234-5678".into(), jurisdiction_code: "J".into() };
        let link = protocol::LeafletLink::parse(&leaflet_link("https://example.jp/app", &centre));
        assert_eq!(link.map(|l| (l.server, l.centre_id, l.centre_name, l.emergency_number)), Ok(("https://example.jp".into(), 7, centre.name, centre.emergency_number)));
        let svg = qr_svg("https://example.jp/app").unwrap_or_default();
        assert!(svg.starts_with("<svg") && (svg.contains("<path") || svg.contains("<rect")), "{svg:.80}");
    }
}
