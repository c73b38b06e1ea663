//! The temperature chart of a person page: an SVG line chart (plotters' SVG backend)
//! of each day's effective (latest) temperature, with the 37.5 °C fever line marked
//! `fever-line` so it can be found and styled.

use chrono::NaiveDate;
use plotters::prelude::*;
use protocol::Temperature;

/// One point: a day and its effective temperature in tenths.
pub type Point = (NaiveDate, u16);

/// Width and height of the chart in CSS pixels (it scales with the page).
const SIZE: (u32, u32) = (720, 260);

/// The chart as an SVG document, or `None` when there is nothing to draw.
pub fn temperature_svg(points: &[Point], fever_label: &str) -> Option<String> {
    let (first, last) = (points.first()?.0, points.last()?.0);
    let (lo, hi) = points.iter().fold((355u16, 385u16), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    let (y_lo, y_hi) = (f64::from(lo - 5) / 10.0, f64::from(hi + 5) / 10.0);
    // Half-day units, padded by half a day on each side, so one report sits mid-chart.
    let days = (last - first).num_days();
    let (x_lo, x_hi) = (-1i64, 2 * days + 1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(44)
            .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)
            .ok()?;
        chart
            .configure_mesh()
            .x_labels(2 * days.min(10) as usize + 3)
            .x_label_formatter(&|h| if h % 2 == 0 { (first + chrono::Duration::days(h / 2)).format("%m/%d").to_string() } else { String::new() })
            .y_label_formatter(&|t| format!("{t:.1}"))
            .light_line_style(RGBColor(238, 238, 238))
            .draw()
            .ok()?;
        let fever = f64::from(Temperature::FEVER_TENTHS) / 10.0;
        let red = RGBColor(200, 30, 30);
        chart.draw_series(LineSeries::new([(x_lo, fever), (x_hi, fever)], red.stroke_width(2))).ok()?;
        // The label at the right end, above the line, clear of the axis and the dots.
        let at = chart.backend_coord(&(x_hi, fever));
        let width = 8 * i32::try_from(fever_label.chars().count()).unwrap_or(6);
        root.draw(&Text::new(fever_label.to_owned(), (at.0 - width - 4, at.1 - 16), ("sans-serif", 13).into_font().color(&red))).ok()?;
        let xy: Vec<(i64, f64)> = points.iter().map(|(d, t)| (2 * (*d - first).num_days(), f64::from(*t) / 10.0)).collect();
        let blue = RGBColor(30, 90, 200);
        chart.draw_series(LineSeries::new(xy.iter().copied(), blue.stroke_width(2))).ok()?;
        chart.draw_series(xy.iter().map(|(x, y)| Circle::new((*x, *y), 4, if *y >= fever { red.filled() } else { blue.filled() }))).ok()?;
        root.present().ok()?;
    }
    Some(mark_fever_line(&svg))
}

/// Gives the fever line (the first red polyline plotters wrote) its class.
fn mark_fever_line(svg: &str) -> String {
    let marker = "<polyline fill=\"none\" opacity=\"1\" stroke=\"#C81E1E\"";
    match svg.find(marker) {
        Some(i) => format!("{}<polyline class=\"fever-line\"{}", &svg[..i], &svg[i + "<polyline".len()..]),
        None => svg.to_owned(),
    }
}

/// Each day's effective temperature: the last report received for the day (reports
/// come in the order the server received them). A report counts for the day it was made
/// for, or for the day it was received when the phone's date is later (a fast clock
/// never adds a day that has not come).
pub fn daily_points<'a>(reports: impl IntoIterator<Item = &'a crate::db::StoredReport>) -> Vec<Point> {
    let mut by_day = std::collections::BTreeMap::new();
    for r in reports {
        by_day.insert(r.local_date.min(super::today(r.received_at)), r.temperature.tenths());
    }
    by_day.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    #[test]
    fn the_chart_has_the_fever_line_and_one_dot_per_day() {
        let svg = temperature_svg(&[(day(1), 365), (day(2), 378), (day(3), 371)], "37.5℃").unwrap_or_default();
        assert!(svg.starts_with("<svg"), "{svg:.100}");
        assert_eq!(svg.matches("class=\"fever-line\"").count(), 1, "{svg}");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("37.5℃"));
        assert!(temperature_svg(&[], "x").is_none());
        let one = temperature_svg(&[(day(5), 366)], "37.5").unwrap_or_default();
        assert!(one.contains("fever-line"));
    }

    #[test]
    fn a_day_takes_its_last_received_report_and_a_fast_phone_date_counts_for_the_day_received() {
        use crate::db::StoredReport;
        use chrono::{DateTime, TimeZone, Utc};
        let at = |d: u32, h: u32| Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).single().unwrap_or_default();
        let report = |local: u32, received: DateTime<Utc>, tenths: i64| StoredReport {
            id: uuid::Uuid::new_v4(),
            case_id: 1,
            local_date: day(local),
            kind: protocol::Kind::Infected,
            temperature: protocol::Temperature::from_tenths(tenths).unwrap_or_else(|_| panic!("in range")),
            answers: protocol::Answers::parse("222222222").unwrap_or_else(|_| panic!("answers")),
            recorded_at: received,
            advice: protocol::AdviceLevel::NoAction,
            received_at: received,
        };
        // 1st and 2nd sent together on the 3rd (a backlog), then the 3rd twice, then one
        // dated the 9th by a fast phone on the 4th.
        let reports = [report(1, at(3, 0), 365), report(2, at(3, 0), 370), report(3, at(3, 1), 380), report(3, at(3, 2), 372), report(9, at(4, 0), 366)];
        assert_eq!(daily_points(&reports), vec![(day(1), 365), (day(2), 370), (day(3), 372), (day(4), 366)]);
    }
}
