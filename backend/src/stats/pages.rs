//! The statistics pages: `/stats` for a centre's staff (their centre), `/stats/all`
//! for the aggregate role (the whole server), each with a range form, an SVG chart of
//! the daily totals, the tables and a CSV download. Only published cells (`<5` for
//! 1–4, totals of what is shown) ever reach a page or a file.

use super::figures::{KINDS, Published, Row, publish, raw};
use super::suppress::Total;
use crate::clinic::auth::WebOrg;
use crate::clinic::pages::OrgChrome;
use crate::clinic::store::{self as org, OrgAction, OrgRole};
use crate::clinic::{AgeBands, tr};
use crate::db::AuditAction;
use crate::state::AppState;
use crate::web::session::WebStaff;
use crate::web::{Chrome, PageError, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use plotters::prelude::*;
use protocol::Lang;
use serde::Deserialize;

/// Routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stats", get(centre_page))
        .route("/stats.csv", get(centre_csv))
        .route("/stats/all", get(all_page))
        .route("/stats/all.csv", get(all_csv))
}

/// `?from=&to=`.
#[derive(Debug, Deserialize)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
}

/// A table as the page shows it.
#[derive(Debug, Clone)]
pub struct Table {
    /// Heading.
    pub title: String,
    /// Element id.
    pub id: String,
    /// Column headings.
    pub head: Vec<String>,
    /// Rows of text cells.
    pub rows: Vec<Vec<String>>,
}

/// What both pages show.
#[derive(Debug, Clone)]
pub struct View {
    /// Page language.
    pub lang: Lang,
    /// The range.
    pub from: String,
    /// The range.
    pub to: String,
    /// Where the CSV is.
    pub csv: String,
    /// When today's figures were computed.
    pub as_of: String,
    /// The range form's error.
    pub error: String,
    /// The chart.
    pub chart: String,
    /// The tables.
    pub tables: Vec<Table>,
    /// Clinics in scope.
    pub clinics: i64,
}

fn kind_label(k: &str, lang: Lang) -> &'static str {
    match k {
        "infected" => tr(lang, "感染者", "Infected"),
        "close_contact" => tr(lang, "濃厚接触者", "Close contact"),
        _ => tr(lang, "検査結果待ち", "Awaiting result"),
    }
}

fn band_heads(p: &Published, lang: Lang) -> Vec<String> {
    p.age_bands.iter().map(|(f, t)| AgeBands::label(*f, *t, lang)).collect()
}

fn row_cells(r: &Row) -> Vec<String> {
    let mut v: Vec<String> = r.bands.iter().map(|c| c.text()).collect();
    v.push(r.total.text());
    v
}

/// The page's tables.
pub fn tables(p: &Published, lang: Lang) -> Vec<Table> {
    let missing = tr(lang, "未入力", "missing");
    let counts_text = |d: &super::figures::Day| d.totals.counts.map_or(missing.to_owned(), |t| format!("{} ({}/{})", t.text(), d.clinics_entered, p.clinics));
    let summary = Table {
        title: tr(lang, "日ごとの合計", "Daily totals").into(),
        id: "stats-summary".into(),
        head: [
            tr(lang, "日付", "Day"),
            tr(lang, "新規発生届", "New notifications"),
            tr(lang, "医療機関の患者数（入力済み/医療機関数）", "Clinics' counts (entered/clinics)"),
            tr(lang, "健康観察中", "Under observation"),
            tr(lang, "報告あり", "Reported"),
            tr(lang, "緊急", "Urgent"),
        ]
        .map(String::from)
        .to_vec(),
        rows: p
            .days
            .iter()
            .map(|d| vec![d.day.to_string(), d.totals.notifications.text(), counts_text(d), d.totals.observed.text(), d.totals.reported.text(), d.totals.urgent.text()])
            .collect(),
    };
    let mut band_head = vec![tr(lang, "日付", "Day").to_owned()];
    band_head.extend(band_heads(p, lang));
    band_head.push(tr(lang, "合計", "Total").into());
    let by_band = |title: &str, id: &str, pick: &dyn Fn(&super::figures::Day) -> Option<Row>| Table {
        title: title.into(),
        id: id.into(),
        head: band_head.clone(),
        rows: p
            .days
            .iter()
            .map(|d| {
                let mut v = vec![d.day.to_string()];
                match pick(d) {
                    Some(r) => v.extend(row_cells(&r)),
                    None => v.extend(std::iter::repeat_n(missing.to_owned(), p.age_bands.len() + 1)),
                }
                v
            })
            .collect(),
    };
    let mut kind_head = vec![tr(lang, "日付", "Day").to_owned(), tr(lang, "区分", "Kind").to_owned()];
    kind_head.extend(band_heads(p, lang));
    kind_head.push(tr(lang, "合計", "Total").into());
    let by_kind = |title: &str, id: &str, pick: &dyn Fn(&super::figures::Day) -> &Vec<Row>| Table {
        title: title.into(),
        id: id.into(),
        head: kind_head.clone(),
        rows: p
            .days
            .iter()
            .flat_map(|d| {
                pick(d).iter().zip(KINDS).map(|(r, k)| {
                    let mut v = vec![d.day.to_string(), kind_label(k.as_str(), lang).to_owned()];
                    v.extend(row_cells(r));
                    v
                })
            })
            .collect(),
    };
    vec![
        summary,
        by_band(tr(lang, "新規発生届（年代別）", "New notifications by age band"), "stats-notifications", &|d| Some(d.notifications.clone())),
        by_band(tr(lang, "医療機関の患者数（年代別）", "Clinics' daily counts by age band"), "stats-counts", &|d| d.counts.clone()),
        by_kind(tr(lang, "健康観察中の人数（区分・年代別）", "People under observation by kind and age band"), "stats-observed", &|d| &d.observed),
        by_kind(tr(lang, "報告があった人数（区分・年代別）", "People who reported, by kind and age band"), "stats-reported", &|d| &d.reported),
        by_kind(tr(lang, "緊急の報告があった人数（区分・年代別）", "People with an urgent report, by kind and age band"), "stats-urgent", &|d| &d.urgent),
    ]
}

/// The chart of the daily totals (values shown; a total that left out a hidden cell
/// is drawn as shown).
pub fn chart(p: &Published, lang: Lang) -> String {
    let series: [(&str, RGBColor, Vec<Total>); 4] = [
        (tr(lang, "新規発生届", "New notifications"), RGBColor(200, 30, 30), p.days.iter().map(|d| d.totals.notifications).collect()),
        (tr(lang, "健康観察中", "Under observation"), RGBColor(30, 90, 200), p.days.iter().map(|d| d.totals.observed).collect()),
        (tr(lang, "報告あり", "Reported"), RGBColor(30, 150, 60), p.days.iter().map(|d| d.totals.reported).collect()),
        (tr(lang, "緊急", "Urgent"), RGBColor(230, 130, 0), p.days.iter().map(|d| d.totals.urgent).collect()),
    ];
    let n = p.days.len() as i64;
    let max = series.iter().flat_map(|s| s.2.iter().map(|t| t.value)).max().unwrap_or(0).max(5);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 280)).into_drawing_area();
        let draw = || -> Option<()> {
            root.fill(&WHITE).ok()?;
            let mut c = ChartBuilder::on(&root).margin(12).x_label_area_size(28).y_label_area_size(48).build_cartesian_2d(-1i64..n, 0i64..max + max / 10 + 1).ok()?;
            let first = p.from;
            c.configure_mesh()
                .x_labels(n.min(14) as usize + 2)
                .x_label_formatter(&|x| if *x >= 0 && *x < n { (first + chrono::Duration::days(*x)).format("%m/%d").to_string() } else { String::new() })
                .light_line_style(RGBColor(238, 238, 238))
                .draw()
                .ok()?;
            for (label, colour, values) in &series {
                let pts: Vec<(i64, i64)> = values.iter().enumerate().map(|(i, t)| (i as i64, t.value)).collect();
                c.draw_series(LineSeries::new(pts, colour.stroke_width(2))).ok()?.label(*label).legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2)));
            }
            c.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw().ok()?;
            root.present().ok()
        };
        if draw().is_none() {
            return String::new();
        }
    }
    svg
}

/// The CSV of the published figures (UTF-8 with a byte-order mark).
pub fn csv(p: &Published, lang: Lang) -> Result<Vec<u8>, PageError> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let head = if lang == Lang::En { ["day", "measure", "kind", "age_band", "value"] } else { ["日付", "項目", "区分", "年代", "値"] };
        w.write_record(head).map_err(|_| PageError::Internal)?;
        let bands = band_heads(p, lang);
        let total = tr(lang, "合計", "total");
        for d in &p.days {
            let day = d.day.to_string();
            let mut put = |measure: &str, kind: &str, row: &Row| -> Result<(), PageError> {
                for (b, c) in bands.iter().zip(&row.bands) {
                    w.write_record([day.as_str(), measure, kind, b, &c.text()]).map_err(|_| PageError::Internal)?;
                }
                w.write_record([day.as_str(), measure, kind, total, &row.total.text()]).map_err(|_| PageError::Internal)
            };
            put("notifications", "", &d.notifications)?;
            if let Some(c) = &d.counts {
                put("clinic_counts", "", c)?;
            }
            for (name, rows) in [("observed", &d.observed), ("reported", &d.reported), ("urgent", &d.urgent)] {
                for (r, k) in rows.iter().zip(KINDS) {
                    put(name, k.as_str(), r)?;
                }
            }
            if d.counts.is_none() {
                w.write_record([day.as_str(), "clinic_counts", "", total, tr(lang, "未入力", "missing")]).map_err(|_| PageError::Internal)?;
            }
        }
        w.flush().map_err(|_| PageError::Internal)?;
    }
    Ok(out)
}

async fn view(state: &AppState, lang: Lang, q: &Range, centre: Option<i64>, csv_base: &str) -> Result<(View, Option<Published>), PageError> {
    let today = crate::web::today(state.clock.now());
    let (from, to, error) = match crate::clinic::api::range(q.from.as_deref(), q.to.as_deref(), today, 14) {
        Ok((f, t)) => (f, t, String::new()),
        Err(e) => {
            let (f, t) = crate::clinic::api::range(None, None, today, 14).map_err(PageError::from)?;
            (f, t, e.message.get(lang).to_owned())
        }
    };
    let r = raw(state, from, to, centre).await?;
    let p = publish(&r, &state.config.clinic.age_bands, from, to);
    let v = View {
        lang,
        from: from.to_string(),
        to: to.to_string(),
        csv: format!("{csv_base}?from={from}&to={to}"),
        as_of: p.as_of.map(crate::web::datetime).unwrap_or_default(),
        error,
        chart: chart(&p, lang),
        tables: tables(&p, lang),
        clinics: p.clinics,
    };
    Ok((v, Some(p)))
}

#[derive(Template)]
#[template(path = "stats/centre.html")]
struct CentrePage {
    c: Chrome,
    v: View,
}

#[derive(Template)]
#[template(path = "stats/all.html")]
struct AllPage {
    o: OrgChrome,
    v: View,
}

/// `GET /stats`: the centre's figures.
pub async fn centre_page(State(state): State<AppState>, staff: WebStaff, Query(q): Query<Range>) -> Result<Response, PageError> {
    let (v, _) = view(&state, staff.lang, &q, Some(staff.scope.centre_id()), "/stats.csv").await?;
    state.db.audit(staff.scope, staff.staff_id, AuditAction::ViewStats, None, state.clock.now()).await?;
    Ok(render(&CentrePage { c: Chrome::new(&staff, "/stats", "stats"), v })?.into_response())
}

fn csv_response(name: &str, body: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))], body).into_response()
}

/// `GET /stats.csv`.
pub async fn centre_csv(State(state): State<AppState>, staff: WebStaff, Query(q): Query<Range>) -> Result<Response, PageError> {
    let (_, p) = view(&state, staff.lang, &q, Some(staff.scope.centre_id()), "/stats.csv").await?;
    state.db.audit(staff.scope, staff.staff_id, AuditAction::ViewStats, None, state.clock.now()).await?;
    Ok(csv_response("stats.csv", csv(&p.ok_or(PageError::Internal)?, staff.lang)?))
}

fn aggregate(o: &WebOrg) -> Result<(), PageError> {
    if o.p.role == OrgRole::Aggregate { Ok(()) } else { Err(PageError::Forbidden) }
}

/// `GET /stats/all`: the whole server's figures (aggregate role).
pub async fn all_page(State(state): State<AppState>, o: WebOrg, Query(q): Query<Range>) -> Result<Response, PageError> {
    aggregate(&o)?;
    let (v, _) = view(&state, o.lang, &q, None, "/stats/all.csv").await?;
    org::audit(&state.db, &o.p, OrgAction::ViewStats, None, state.clock.now()).await?;
    Ok(render(&AllPage { o: OrgChrome::new(&o, "/stats/all", "stats"), v })?.into_response())
}

/// `GET /stats/all.csv`.
pub async fn all_csv(State(state): State<AppState>, o: WebOrg, Query(q): Query<Range>) -> Result<Response, PageError> {
    aggregate(&o)?;
    let (_, p) = view(&state, o.lang, &q, None, "/stats/all.csv").await?;
    org::audit(&state.db, &o.p, OrgAction::ViewStats, None, state.clock.now()).await?;
    Ok(csv_response("stats-all.csv", csv(&p.ok_or(PageError::Internal)?, o.lang)?))
}
