//! The healing chart on the web (issue #10): a treatment's stored check-ins read into the
//! core's `HealingChart`, drawn on the server as an inline SVG with `plotters` (SVG backend
//! only, no fonts: the browser lays out the text), and the text alternative that goes with it
//! (a summary sentence and a table). The patient's Today page and the practitioner's treatment
//! page show it through `templates/chart.html`.
//!
//! The SVG is trusted markup in the templates (`|safe`), so every text in it is escaped: the
//! title and description here (`escape_xml`), the labels by plotters' SVG backend. The chart
//! has one panel per rated symptom: its ratings as a line with its own dash pattern and marker
//! (readable in black and white), the usual range from the protocol as a grey band with a
//! dashed edge, one legend for all panels, dark strokes for print.
//!
//! What does not belong here: the series and the usual range (`aftercare_core::healing`), the
//! page layout (templates), deciding whether a rating needs attention (triage).

use std::collections::BTreeMap;

use aftercare_core::{
    healing::{HealingChart, RatedCheckIn, SymptomSeries, day_position, healing_chart},
    protocol::Protocol,
    triage::{Rating, Symptom},
    words::join as join_list,
};
use aftercare_store::CheckInRow;
use jiff::Timestamp;
use plotters::{
    coord::{CoordTranslate, Shift},
    element::{Circle, DashedPathElement, EmptyElement, PathElement, Polygon, Rectangle, Text},
    prelude::{ChartBuilder, DrawingArea, IntoDrawingArea, IntoFont, SVGBackend},
    series::{DashedLineSeries, LineSeries},
    style::{Color, RGBColor, ShapeStyle, TextStyle},
};

use crate::{
    check_ins::{RATED, StoredCheckIn},
    routes::clinic::words,
    treatments::TreatmentView,
};

/// The drawing's width in SVG units; it scales to the page with `viewBox` and CSS (at most
/// 36rem wide). Narrow on purpose: on a 390-pixel phone the 16-unit labels still show at about
/// 12 CSS pixels.
const WIDTH: u32 = 480;
/// The height of one symptom's panel.
const PANEL_HEIGHT: u32 = 190;
/// The height of one legend row.
const LEGEND_ROW: u32 = 30;
/// Legend entries per row.
const LEGEND_COLUMNS: usize = 2;
/// The id prefix of the SVG's title and description (one chart per page).
const CHART_ID: &str = "healing-chart";

/// Near-black for lines, markers and text: readable on screen and in print.
const INK: RGBColor = RGBColor(17, 17, 17);
/// The usual range's fill: a light grey that prints.
const BAND_FILL: RGBColor = RGBColor(208, 208, 208);
/// Grid lines.
const GRID: RGBColor = RGBColor(190, 190, 190);

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// plotters refused to draw (the message says what).
    #[error("drawing the healing chart failed: {0}")]
    Draw(String),
}

fn draw_error(error: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(error.to_string())
}

/// Who reads the chart: the wording of the sentences follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The patient, through their link ("your ratings").
    Patient,
    /// The clinic's staff ("the patient's ratings").
    Practitioner,
}

/// What `templates/chart.html` shows.
#[derive(Debug, Clone)]
pub struct ChartView {
    /// The section heading.
    pub heading: &'static str,
    /// The one sentence shown instead of a chart when nothing is rated yet.
    pub empty: Option<String>,
    /// The SVG, built here with every text escaped (trusted markup); `None` if drawing failed
    /// (the table still shows everything).
    pub svg: Option<String>,
    /// The summary sentence, visible to everyone (also the SVG's description).
    pub summary: String,
    /// What the band is, or why there is none; and that the chart does not judge.
    pub notes: Vec<String>,
    /// The table's symptom columns.
    pub columns: Vec<String>,
    /// The table's rows, oldest first.
    pub rows: Vec<ChartRowView>,
    /// The usual course of each drawn symptom, with its sources.
    pub courses: Vec<CourseView>,
}

/// One check-in in the table.
#[derive(Debug, Clone)]
pub struct ChartRowView {
    /// "Day 3".
    pub day: String,
    /// "Sun 22 Nov, 09:00".
    pub when: String,
    /// One cell per column: "4 (usual 0-5)", "not rated".
    pub cells: Vec<String>,
}

/// The usual course of one symptom, in words.
#[derive(Debug, Clone)]
pub struct CourseView {
    /// "Redness".
    pub symptom: String,
    /// The protocol's sentence.
    pub text: String,
    /// "Reference: …; Guide: …".
    pub sources: String,
}

/// A symptom id as a short label: `pinpoint_bleeding` → "Pinpoint bleeding".
fn symptom_name(symptom: Symptom) -> String {
    words(symptom.id())
}

/// Reads a stored check-in's ratings; `None` when the stored JSON or a rating is not valid.
fn rated_check_in(row: &CheckInRow) -> Option<RatedCheckIn> {
    let stored: StoredCheckIn = serde_json::from_str(&row.input).ok()?;
    let at = Timestamp::from_second(row.at).ok()?;
    let mut ratings = BTreeMap::new();
    for (id, value) in &stored.ratings {
        let symptom: Symptom = id.parse().ok()?;
        ratings.insert(symptom, Rating::from_number(*value)?);
    }
    Some(RatedCheckIn { at, ratings })
}

/// The healing chart of a treatment from its stored check-ins, and how many of them could
/// not be read (they are left out and the page says so).
pub fn chart_of(
    rows: &[CheckInRow],
    treatment: &TreatmentView,
    protocol: &Protocol,
) -> (HealingChart, usize) {
    let rated: Vec<RatedCheckIn> = rows.iter().filter_map(rated_check_in).collect();
    let unreadable = rows.len() - rated.len();
    (
        healing_chart(&treatment.treated_at, &rated, protocol),
        unreadable,
    )
}

/// "2 (usual 0-5)", "6 (above the usual 0-5)", "3", "not rated".
fn cell_text(rating: Option<Rating>, usual_up_to: Option<u8>) -> String {
    match (rating, usual_up_to) {
        (None, _) => "not rated".to_owned(),
        (Some(r), Some(up_to)) if r.value() > up_to => {
            format!("{} (above the usual 0–{up_to})", r.value())
        }
        (Some(r), Some(up_to)) => format!("{} (usual 0–{up_to})", r.value()),
        (Some(r), None) => r.value().to_string(),
    }
}

/// The summary sentence: how many check-ins over which days, the latest ratings against the
/// usual range, and what lies above it.
fn summary(chart: &HealingChart, audience: Audience) -> String {
    let (whose, at_latest) = match audience {
        Audience::Patient => ("Your ratings", "At your latest check-in"),
        Audience::Practitioner => ("The patient's ratings", "At the latest check-in"),
    };
    let (Some(first), Some(latest)) = (chart.rows.first(), chart.latest()) else {
        return String::new();
    };
    let count = chart.rows.len();
    let span = if first.day == latest.day {
        format!("on day {}", latest.day)
    } else {
        format!("from day {} to day {}", first.day, latest.day)
    };
    let plural = if count == 1 { "" } else { "s" };
    let mut parts = Vec::new();
    let mut above = Vec::new();
    for cell in &latest.cells {
        let Some(rating) = cell.rating else { continue };
        let name = cell.symptom.name();
        match cell.usual_up_to {
            Some(up_to) => {
                parts.push(format!(
                    "{name} {} out of 10 (usual range 0 to {up_to})",
                    rating.value()
                ));
                if rating.value() > up_to {
                    above.push(name);
                }
            }
            None => parts.push(format!("{name} {} out of 10", rating.value())),
        }
    }
    let mut sentence = format!(
        "{whose} from {count} check-in{plural}, {span}. {at_latest} (day {}): {}.",
        latest.day,
        parts.join("; ")
    );
    if !above.is_empty() {
        sentence.push_str(&format!(
            " Above the usual range for that day: {}.",
            above.join(", ")
        ));
    }
    sentence
}

impl ChartView {
    /// The view of `chart` for `audience`; `unreadable` stored check-ins were left out.
    pub fn of(chart: &HealingChart, unreadable: usize, audience: Audience) -> ChartView {
        let heading = match audience {
            Audience::Patient => "Your healing so far",
            Audience::Practitioner => "Healing chart",
        };
        let mut notes = Vec::new();
        if unreadable > 0 {
            notes.push(format!(
                "{unreadable} stored check-in{} could not be read and {} not shown.",
                if unreadable == 1 { "" } else { "s" },
                if unreadable == 1 { "is" } else { "are" }
            ));
        }
        if chart.is_empty() {
            let empty = match audience {
                Audience::Patient => {
                    let rated: Vec<String> = RATED.iter().map(|(id, _)| words(id)).collect();
                    format!(
                        "No ratings yet: once you rate your {} at a check-in, your healing chart appears here.",
                        join_list(&rated, "or").to_lowercase()
                    )
                }
                Audience::Practitioner => "No rated check-in yet: the healing chart appears after the patient's first check-in with a 0-10 rating.".to_owned(),
            };
            return ChartView {
                heading,
                empty: Some(empty),
                svg: None,
                summary: String::new(),
                notes,
                columns: Vec::new(),
                rows: Vec::new(),
                courses: Vec::new(),
            };
        }
        let summary = summary(chart, audience);
        if chart.protocol_has_course {
            notes.push(
                "The grey band with a dashed edge is the usual range from the protocol.".to_owned(),
            );
            let without: Vec<String> = chart
                .series
                .iter()
                .filter(|s| s.expected.is_none())
                .map(|s| s.symptom.name())
                .collect();
            if !without.is_empty() {
                notes.push(format!(
                    "The protocol gives no usual range for {}, so none is drawn.",
                    without.join(", ")
                ));
            }
        } else {
            notes.push(
                "This treatment's protocol has no expected course, so no usual range is drawn: only the ratings are shown."
                    .to_owned(),
            );
        }
        notes.push(
            match audience {
                Audience::Patient => {
                    "The chart shows how your ratings compare with the usual course; it does not judge them. Your check-in result says what to do."
                }
                Audience::Practitioner => {
                    "The chart compares the ratings with the protocol's usual course; triage, not the chart, decides each check-in's level."
                }
            }
            .to_owned(),
        );
        let svg = match render_svg(chart, &chart_title(chart), &summary) {
            Ok(svg) => Some(svg),
            Err(error) => {
                tracing::error!(%error, "healing chart not drawn; the table is shown alone");
                None
            }
        };
        ChartView {
            heading,
            empty: None,
            svg,
            summary,
            notes,
            columns: chart
                .series
                .iter()
                .map(|s| symptom_name(s.symptom))
                .collect(),
            rows: chart
                .rows
                .iter()
                .map(|row| ChartRowView {
                    day: format!("Day {}", row.day),
                    when: aftercare_core::instant::format_local(&row.at),
                    cells: row
                        .cells
                        .iter()
                        .map(|c| cell_text(c.rating, c.usual_up_to))
                        .collect(),
                })
                .collect(),
            courses: chart
                .series
                .iter()
                .filter_map(|s| {
                    let band = s.expected.as_ref()?;
                    Some(CourseView {
                        symptom: symptom_name(s.symptom),
                        text: band.text.clone(),
                        sources: band.citations.join("; "),
                    })
                })
                .collect(),
        }
    }
}

/// Whether any drawn symptom has a usual range (the band and its legend entry).
fn has_band(chart: &HealingChart) -> bool {
    chart.series.iter().any(|s| s.expected.is_some())
}

/// "Healing chart: redness and swelling ratings (0-10) by day after treatment, with the
/// usual range".
fn chart_title(chart: &HealingChart) -> String {
    let names: Vec<String> = chart.series.iter().map(|s| s.symptom.name()).collect();
    let names = join_list(&names, "and");
    let band = if has_band(chart) {
        ", with the usual range from the protocol"
    } else {
        ""
    };
    format!("Healing chart: {names} ratings (0-10) by day after treatment{band}")
}

/// Escapes text for XML content and attribute values.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// How one symptom's line looks, so that lines differ without colour.
#[derive(Debug, Clone, Copy)]
struct LineLook {
    /// `None`: solid; `Some((dash, gap))` in SVG units.
    dash: Option<(u32, u32)>,
    marker: Marker,
}

#[derive(Debug, Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    HollowCircle,
    HollowSquare,
}

const LOOKS: [LineLook; 6] = [
    LineLook {
        dash: None,
        marker: Marker::Circle,
    },
    LineLook {
        dash: Some((10, 5)),
        marker: Marker::Square,
    },
    LineLook {
        dash: Some((3, 4)),
        marker: Marker::Triangle,
    },
    LineLook {
        dash: Some((16, 5)),
        marker: Marker::Diamond,
    },
    LineLook {
        dash: None,
        marker: Marker::HollowCircle,
    },
    LineLook {
        dash: Some((6, 6)),
        marker: Marker::HollowSquare,
    },
];

fn look(index: usize) -> LineLook {
    LOOKS[index % LOOKS.len()]
}

/// Draws the marker's shape around `at`, in the area's own coordinates (backend pixels for
/// the legend, data for a panel); the shape's size is in SVG units either way.
fn draw_marker<CT: CoordTranslate>(
    area: &DrawingArea<SVGBackend<'_>, CT>,
    marker: Marker,
    at: CT::From,
) -> Result<(), ChartError> {
    let filled = ShapeStyle::from(&INK).filled();
    let hollow = ShapeStyle::from(&INK).stroke_width(2);
    let white = ShapeStyle::from(&plotters::style::WHITE).filled();
    let anchored = EmptyElement::at(at);
    match marker {
        Marker::Circle => area.draw(&(anchored + Circle::new((0, 0), 5, filled))),
        Marker::Square => area.draw(&(anchored + Rectangle::new([(-5, -5), (5, 5)], filled))),
        Marker::Triangle => {
            area.draw(&(anchored + Polygon::new(vec![(0, -6), (6, 5), (-6, 5)], filled)))
        }
        Marker::Diamond => {
            area.draw(&(anchored + Polygon::new(vec![(0, -7), (7, 0), (0, 7), (-7, 0)], filled)))
        }
        Marker::HollowCircle => {
            area.draw(&(anchored + Circle::new((0, 0), 5, white) + Circle::new((0, 0), 5, hollow)))
        }
        Marker::HollowSquare => area.draw(
            &(anchored
                + Rectangle::new([(-5, -5), (5, 5)], white)
                + Rectangle::new([(-5, -5), (5, 5)], hollow)),
        ),
    }
    .map_err(draw_error)
}

/// Draws a legend sample of a line from `from` to `to` (backend coordinates).
fn draw_line_sample(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    look: LineLook,
    from: (i32, i32),
    to: (i32, i32),
) -> Result<(), ChartError> {
    let style = ShapeStyle::from(&INK).stroke_width(2);
    match look.dash {
        None => area.draw(&PathElement::new(vec![from, to], style)),
        Some((dash, gap)) => area.draw(&DashedPathElement::new(
            vec![from, to],
            dash as i32,
            gap as i32,
            style,
        )),
    }
    .map_err(draw_error)?;
    draw_marker(area, look.marker, ((from.0 + to.0) / 2, from.1))
}

fn legend_rows(entries: usize) -> u32 {
    u32::try_from(entries.div_ceil(LEGEND_COLUMNS)).unwrap_or(1)
}

fn draw_legend(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    chart: &HealingChart,
) -> Result<(), ChartError> {
    let text = TextStyle::from(("sans-serif", 18).into_font()).color(&INK);
    let column_width = (WIDTH as i32 - 20) / LEGEND_COLUMNS as i32;
    let position = |index: usize| {
        let column = (index % LEGEND_COLUMNS) as i32;
        let row = (index / LEGEND_COLUMNS) as i32;
        (10 + column * column_width, 8 + row * LEGEND_ROW as i32 + 10)
    };
    for (index, series) in chart.series.iter().enumerate() {
        let (x, y) = position(index);
        draw_line_sample(area, look(index), (x, y), (x + 40, y))?;
        area.draw(&Text::new(
            symptom_name(series.symptom),
            (x + 48, y - 9),
            text.clone(),
        ))
        .map_err(draw_error)?;
    }
    if has_band(chart) {
        let (x, y) = position(chart.series.len());
        area.draw(&Rectangle::new(
            [(x, y - 8), (x + 40, y + 8)],
            ShapeStyle::from(&BAND_FILL).filled(),
        ))
        .map_err(draw_error)?;
        area.draw(&DashedPathElement::new(
            vec![
                (x, y - 8),
                (x + 40, y - 8),
                (x + 40, y + 8),
                (x, y + 8),
                (x, y - 8),
            ],
            5,
            3,
            ShapeStyle::from(&INK).stroke_width(1),
        ))
        .map_err(draw_error)?;
        area.draw(&Text::new("Usual range", (x + 48, y - 9), text))
            .map_err(draw_error)?;
    }
    Ok(())
}

fn draw_panel(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    series: &SymptomSeries,
    line: LineLook,
    x_end: f64,
) -> Result<(), ChartError> {
    let mut chart = ChartBuilder::on(area)
        .caption(
            symptom_name(series.symptom),
            ("sans-serif", 20).into_font().color(&INK),
        )
        .margin(8)
        .margin_right(20)
        .x_label_area_size(46)
        .y_label_area_size(56)
        .build_cartesian_2d(1.0..x_end, 0.0..10.0)
        .map_err(draw_error)?;
    let days = (x_end - 1.0).round().max(1.0) as usize;
    let whole = |value: &f64| format!("{value:.0}");
    chart
        .configure_mesh()
        .x_labels((days + 1).min(10))
        .y_labels(6)
        .x_label_formatter(&whole)
        .y_label_formatter(&whole)
        .x_desc("Day after treatment")
        .y_desc("Rating (0-10)")
        .axis_desc_style(("sans-serif", 17).into_font().color(&INK))
        .label_style(("sans-serif", 16).into_font().color(&INK))
        .axis_style(ShapeStyle::from(&INK).stroke_width(1))
        .bold_line_style(ShapeStyle::from(&GRID).stroke_width(1))
        .light_line_style(ShapeStyle::from(&plotters::style::WHITE.mix(0.0)))
        .draw()
        .map_err(draw_error)?;

    if let Some(band) = &series.expected {
        let edge: Vec<(f64, f64)> = band
            .corners
            .iter()
            .map(|(hours, at_most)| (day_position(*hours), *at_most))
            .collect();
        if let (Some(first), Some(last)) = (edge.first().copied(), edge.last().copied()) {
            let mut outline = edge.clone();
            outline.push((last.0, 0.0));
            outline.push((first.0, 0.0));
            chart
                .draw_series(std::iter::once(Polygon::new(
                    outline,
                    ShapeStyle::from(&BAND_FILL).filled(),
                )))
                .map_err(draw_error)?;
            chart
                .draw_series(DashedLineSeries::new(
                    edge,
                    6,
                    4,
                    ShapeStyle::from(&INK).stroke_width(1),
                ))
                .map_err(draw_error)?;
        }
    }

    let points: Vec<(f64, f64)> = series
        .points
        .iter()
        .map(|p| (p.position(), f64::from(p.rating.value())))
        .collect();
    let style = ShapeStyle::from(&INK).stroke_width(2);
    match line.dash {
        None => chart
            .draw_series(LineSeries::new(points.iter().copied(), style))
            .map(|_| ()),
        Some((dash, gap)) => chart
            .draw_series(DashedLineSeries::new(
                points.iter().copied(),
                dash,
                gap,
                style,
            ))
            .map(|_| ()),
    }
    .map_err(draw_error)?;
    for point in points {
        draw_marker(chart.plotting_area(), line.marker, point)?;
    }
    Ok(())
}

/// Draws `chart` as a standalone SVG: `role="img"`, labelled by its `<title>` (`title`) and
/// described by its `<desc>` (`description`), both escaped; `viewBox` and `width="100%"` so
/// that it scales with CSS. An empty chart draws only the legend.
///
/// # Errors
/// When plotters fails to draw (not expected with an in-memory target).
pub fn render_svg(
    chart: &HealingChart,
    title: &str,
    description: &str,
) -> Result<String, ChartError> {
    let entries = chart.series.len() + usize::from(has_band(chart));
    let legend_height = legend_rows(entries.max(1)) * LEGEND_ROW + 12;
    let panels = u32::try_from(chart.series.len()).unwrap_or(u32::MAX / PANEL_HEIGHT);
    let height = legend_height + panels.saturating_mul(PANEL_HEIGHT);
    let x_end = day_position(chart.horizon_hours);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&plotters::style::WHITE).map_err(draw_error)?;
        let (legend, body) = root.split_vertically(legend_height);
        draw_legend(&legend, chart)?;
        if !chart.series.is_empty() {
            let panels_areas = body.split_evenly((chart.series.len(), 1));
            for (index, (series, area)) in chart.series.iter().zip(&panels_areas).enumerate() {
                draw_panel(area, series, look(index), x_end)?;
            }
        }
        root.present().map_err(draw_error)?;
    }
    accessible_root(&svg, title, description)
}

/// Replaces plotters' `<svg …>` opening tag with one that scales (`viewBox`, `width="100%"`)
/// and is labelled (`role="img"`, `aria-labelledby` → `<title>`, `<desc>`).
fn accessible_root(svg: &str, title: &str, description: &str) -> Result<String, ChartError> {
    let start = svg
        .find("<svg")
        .ok_or_else(|| ChartError::Draw("no <svg> element".into()))?;
    let end = start
        + svg[start..]
            .find('>')
            .ok_or_else(|| ChartError::Draw("unterminated <svg> element".into()))?;
    let view_box = svg[start..end]
        .split("viewBox=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or_else(|| ChartError::Draw("no viewBox".into()))?;
    let mut out = String::with_capacity(svg.len() + title.len() + description.len() + 300);
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" viewBox=\"{}\" width=\"100%\" \
         preserveAspectRatio=\"xMidYMin meet\" role=\"img\" aria-labelledby=\"{CHART_ID}-title {CHART_ID}-desc\">\n\
         <title id=\"{CHART_ID}-title\">{}</title>\n<desc id=\"{CHART_ID}-desc\">{}</desc>",
        escape_xml(view_box),
        escape_xml(title),
        escape_xml(description)
    ));
    out.push_str(&svg[end + 1..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use aftercare_core::protocol::default_protocol;
    use jiff::ZonedDateTime;

    use super::*;

    fn treated() -> ZonedDateTime {
        "2026-11-20T15:00:00+01:00[Europe/Berlin]"
            .parse()
            .expect("zoned")
    }

    fn check_in(hours: i64, ratings: &[(Symptom, u8)]) -> RatedCheckIn {
        RatedCheckIn {
            at: treated()
                .timestamp()
                .checked_add(jiff::SignedDuration::from_hours(hours))
                .expect("instant"),
            ratings: ratings
                .iter()
                .map(|(s, r)| (*s, Rating::new(*r).expect("rating")))
                .collect(),
        }
    }

    fn sample() -> HealingChart {
        healing_chart(
            &treated(),
            &[
                check_in(6, &[(Symptom::Redness, 6), (Symptom::Swelling, 3)]),
                check_in(30, &[(Symptom::Redness, 5), (Symptom::Pain, 2)]),
                check_in(54, &[(Symptom::Redness, 4), (Symptom::Itching, 2)]),
                check_in(80, &[(Symptom::Redness, 5), (Symptom::Tenderness, 1)]),
            ],
            default_protocol(),
        )
    }

    /// A small well-formedness check: every tag opens and closes in order, attributes are
    /// quoted, and no raw `<` or `&` appears in text.
    fn assert_well_formed(xml: &str) {
        let mut stack: Vec<String> = Vec::new();
        let mut rest = xml;
        while let Some(open) = rest.find('<') {
            let text = &rest[..open];
            assert!(!text.contains('>'), "stray '>' in text: {text:?}");
            for (i, _) in text.match_indices('&') {
                let entity = &text[i..];
                assert!(
                    ["&lt;", "&gt;", "&amp;", "&quot;", "&#39;", "&apos;"]
                        .iter()
                        .any(|e| entity.starts_with(e)),
                    "unescaped '&' in {text:?}"
                );
            }
            let close = rest[open..].find('>').expect("unterminated tag") + open;
            let tag = &rest[open + 1..close];
            assert!(!tag.contains('<'), "'<' inside a tag: {tag:?}");
            assert_eq!(
                tag.matches('"').count() % 2,
                0,
                "unbalanced quotes: {tag:?}"
            );
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(
                    stack.pop().as_deref(),
                    Some(name.trim()),
                    "mismatched </{name}>"
                );
            } else if !tag.ends_with('/') && !tag.starts_with('?') && !tag.starts_with('!') {
                let name = tag.split_whitespace().next().expect("tag name");
                stack.push(name.to_owned());
            }
            rest = &rest[close + 1..];
        }
        assert!(rest.trim().is_empty(), "text after the root: {rest:?}");
        assert!(stack.is_empty(), "unclosed: {stack:?}");
    }

    #[test]
    fn the_svg_is_well_formed_labelled_and_scales() {
        let chart = sample();
        let svg = render_svg(&chart, "Healing chart", "Four check-ins.").expect("svg");
        assert_well_formed(&svg);
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{}",
            &svg[..80]
        );
        assert_eq!(svg.matches("<svg").count(), 1, "one root");
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"healing-chart-title healing-chart-desc\""));
        assert!(svg.contains("<title id=\"healing-chart-title\">Healing chart</title>"));
        assert!(svg.contains("<desc id=\"healing-chart-desc\">Four check-ins.</desc>"));
        assert!(svg.contains("viewBox=\"0 0 480 "));
        assert!(svg.contains("width=\"100%\""));
        let root = &svg[..svg.find('>').expect("root tag")];
        assert!(
            !root.contains(" height="),
            "the root has no fixed height: {root}"
        );
    }

    #[test]
    fn the_svg_has_axes_a_legend_a_band_and_one_panel_per_symptom() {
        let svg = render_svg(&sample(), "t", "d").expect("svg");
        assert!(svg.contains("Day after treatment"));
        assert!(svg.contains("Rating (0-10)"));
        for name in [
            "Redness",
            "Swelling",
            "Pain",
            "Itching",
            "Tenderness",
            "Usual range",
        ] {
            assert!(
                svg.contains(&format!(">\n{name}\n</text>")),
                "{name} is labelled"
            );
        }
        let band = format!(
            "fill=\"#{:02X}{:02X}{:02X}\"",
            BAND_FILL.0, BAND_FILL.1, BAND_FILL.2
        );
        assert!(
            svg.matches(&band).count() >= 5,
            "a band per symptom with a course (4) and in the legend: {}",
            svg.matches(&band).count()
        );
        assert!(svg.contains("<polygon"), "the band is a shaded area");
    }

    #[test]
    fn text_going_into_the_svg_is_escaped() {
        let svg = render_svg(
            &sample(),
            "Redness <script>alert(1)</script> & co",
            "a \"quoted\" <b>",
        )
        .expect("svg");
        assert_well_formed(&svg);
        assert!(!svg.contains("<script"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("Redness &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
        assert!(svg.contains("a &quot;quoted&quot; &lt;b&gt;"));
    }

    #[test]
    fn the_view_summarises_and_tabulates_the_ratings() {
        let view = ChartView::of(&sample(), 0, Audience::Patient);
        assert_eq!(view.heading, "Your healing so far");
        assert!(view.empty.is_none());
        assert!(view.svg.is_some());
        assert_eq!(
            view.columns,
            ["Redness", "Swelling", "Pain", "Itching", "Tenderness"]
        );
        assert_eq!(view.rows.len(), 4);
        assert_eq!(view.rows[0].day, "Day 1");
        assert_eq!(view.rows[0].cells[0], "6 (usual 0–6)");
        assert_eq!(view.rows[0].cells[2], "not rated");
        assert_eq!(view.rows[3].cells[4], "1", "no usual range for tenderness");
        assert!(
            view.summary
                .starts_with("Your ratings from 4 check-ins, from day 1 to day 4."),
            "{}",
            view.summary
        );
        assert!(
            view.summary
                .contains("Above the usual range for that day: redness."),
            "redness 5 at hour 80 is above 3: {}",
            view.summary
        );
        assert!(
            view.notes
                .iter()
                .any(|n| n.contains("no usual range for tenderness"))
        );
        assert_eq!(view.courses.len(), 4);
        assert!(
            view.courses[0]
                .sources
                .starts_with("Reference: care-pathways.md §3.2")
        );
    }

    #[test]
    fn no_rating_yet_gives_one_sentence_and_no_chart() {
        let chart = healing_chart(&treated(), &[check_in(5, &[])], default_protocol());
        let view = ChartView::of(&chart, 0, Audience::Practitioner);
        assert!(view.svg.is_none());
        assert!(view.rows.is_empty());
        assert!(
            view.empty
                .as_deref()
                .is_some_and(|e| e.starts_with("No rated check-in yet"))
        );
    }

    #[test]
    fn a_protocol_without_a_course_is_said_in_the_text() {
        let mut protocol = default_protocol().clone();
        protocol.expected_course.clear();
        let chart = healing_chart(
            &treated(),
            &[check_in(5, &[(Symptom::Redness, 4)])],
            &protocol,
        );
        let view = ChartView::of(&chart, 1, Audience::Practitioner);
        assert!(
            view.notes
                .iter()
                .any(|n| n.contains("has no expected course"))
        );
        assert!(
            view.notes
                .iter()
                .any(|n| n.contains("1 stored check-in could not be read"))
        );
        assert_eq!(view.rows[0].cells[0], "4");
        let svg = view.svg.expect("svg");
        assert!(!svg.contains("Usual range"));
        assert!(!svg.contains("<polygon"));
    }
}
