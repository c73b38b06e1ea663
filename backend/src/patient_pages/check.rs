//! The family's urgent-symptom check, without login: the leaflet's thirteen signs in
//! their three groups (※ where a family member judges by looking), a cough and a fever
//! for close contacts, and the result of `protocol::evaluate_checklist`.
//!
//! Whom to call: the centre named by the id in the leaflet's link (kept in the pages'
//! links and a hidden field), looked up on the server, or the signed-in person's own
//! centre; otherwise where to find the number and that 119 is called in a
//! life-threatening emergency. Every page of the check says whom to call.

use super::session::{anonymous_frame, check_form, current};
use super::{AppError, CallBox, Frame, GroupView, groups, level_label, page};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use protocol::{Checklist, Kind, Lang, UrgentSymptom, evaluate_checklist};
use serde::Deserialize;

/// Whom the check tells to call: the centre's id (for links and the form), name and
/// number.
struct Whom {
    id: Option<i64>,
    centre: Option<(String, String)>,
}

async fn whom(state: &AppState, headers: &HeaderMap, id: Option<&str>) -> Result<Whom, AppError> {
    if let Some(c) = super::centre_of(state, id).await? {
        return Ok(Whom {
            id: Some(c.id),
            centre: Some((c.name, c.emergency_number)),
        });
    }
    if let Some(who) = current(state, headers).await?
        && let Some(p) = state.db.profile(who.case_id).await?
    {
        return Ok(Whom {
            id: None,
            centre: Some((p.centre_name, p.emergency_number)),
        });
    }
    Ok(Whom {
        id: None,
        centre: None,
    })
}

impl Whom {
    fn call(&self, lang: Lang) -> CallBox {
        CallBox::new(
            lang,
            self.centre.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
        )
    }

    fn back(&self) -> String {
        self.id.map_or_else(
            || "/app/check".to_owned(),
            |id| format!("/app/check?centre={id}"),
        )
    }

    fn start(&self) -> String {
        self.id
            .map_or_else(|| "/app".to_owned(), |id| format!("/app?centre={id}"))
    }
}

#[derive(Template)]
#[template(path = "patient/check.html")]
struct CheckPage {
    f: Frame,
    centre_id: String,
    call: CallBox,
    groups: Vec<GroupView>,
    kinds: Vec<(&'static str, &'static str)>,
    cough: &'static str,
    fever: &'static str,
    footnote: &'static str,
    start: String,
}

/// `?centre=` of the check.
#[derive(Debug, Default, Deserialize)]
pub struct CentreQuery {
    #[serde(default)]
    centre: Option<String>,
}

/// `GET /app/check`: the checklist.
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<CentreQuery>,
) -> Result<Response, AppError> {
    let w = whom(&state, &headers, q.centre.as_deref()).await?;
    let (f, cookies) = anonymous_frame(&state, &headers, &w.back());
    let lang = f.lang;
    let p = CheckPage {
        centre_id: w.id.map(|id| id.to_string()).unwrap_or_default(),
        call: w.call(lang),
        groups: groups(lang, None),
        kinds: Kind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label(lang)))
            .collect(),
        cough: protocol::CHECK_COUGH.get(lang),
        fever: protocol::CHECK_FEVER.get(lang),
        footnote: protocol::URGENT_FOOTNOTE.get(lang),
        start: w.start(),
        f,
    };
    page(&p, StatusCode::OK, cookies)
}

#[derive(Template)]
#[template(path = "patient/check_result.html")]
struct ResultPage {
    f: Frame,
    level: &'static str,
    level_label: &'static str,
    headline: &'static str,
    reasons: Vec<String>,
    call: CallBox,
    again: String,
    start: String,
}

/// `POST /app/check`: what the ticks mean and whom to call. The fields are the
/// symptoms' keys, `cough`, `fever`, `kind` and the centre's id.
pub async fn result(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    check_form(&headers, get("csrf").unwrap_or(""))?;
    let w = whom(&state, &headers, get("centre")).await?;
    let list = Checklist {
        kind: get("kind").and_then(Kind::parse),
        symptoms: fields
            .iter()
            .filter(|(n, _)| n == "symptom")
            .filter_map(|(_, v)| UrgentSymptom::parse(v))
            .collect(),
        cough: get("cough").is_some(),
        fever: get("fever").is_some(),
    };
    let advice = evaluate_checklist(&list);
    let (f, cookies) = anonymous_frame(&state, &headers, &w.back());
    let lang = f.lang;
    let t = super::i18n::texts(lang);
    let p = ResultPage {
        level: advice.level.as_str(),
        level_label: level_label(advice.level, t),
        headline: advice.level.headline(lang),
        reasons: advice.reasons.iter().map(|r| r.text(lang)).collect(),
        call: w.call(lang),
        again: w.back(),
        start: w.start(),
        f,
    };
    page(&p, StatusCode::OK, cookies)
}
