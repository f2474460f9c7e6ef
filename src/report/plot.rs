//! Slide-sized SVG charts: one or more panels of line and point series, with a
//! title, labelled axes, a legend and optional reference lines.
//!
//! A figure describes its data as [`Panel`]s; [`render`] lays them out on a
//! grid and draws them with plotters' SVG backend. Nothing here knows about
//! GANs: the figures in [`figures`](super::figures) compute the numbers.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::full_palette::{ORANGE_700, PURPLE_500};

/// Width and height of a figure in pixels: readable on a slide.
pub const FIGURE_SIZE: (u32, u32) = (1600, 1000);

const TITLE_FONT: u32 = 44;
const PANEL_TITLE_FONT: u32 = 34;
const AXIS_FONT: u32 = 30;
const TICK_FONT: u32 = 24;
const LEGEND_FONT: u32 = 26;
const LINE_WIDTH: u32 = 4;
/// Length in pixels of a series' sample line in the legend.
const LEGEND_SAMPLE: i32 = 40;
/// Dash and gap lengths in pixels of a dashed series.
const DASH: (u32, u32) = (16, 10);
/// Dash and gap lengths in pixels of a dotted series.
const DOT: (u32, u32) = (4, 8);
/// Dash and gap lengths in pixels of a reference line.
const REFERENCE_DASH: (u32, u32) = (6, 8);
/// Half-height of the axis around a constant series, relative to its value
/// (plus a unit): wide enough to survive rounding at any magnitude.
const FLAT_MARGIN: f64 = 1e-3;
/// Radius in pixels of a marker of a point series.
const MARKER_RADIUS: i32 = 6;

/// The colours of series 0, 1, 2, ...: distinguishable, also in greyscale print.
const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    ORANGE_700,
    PURPLE_500,
    RGBColor(90, 90, 90),
];

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A solid line through the points.
    Line,
    /// A dashed line through the points.
    Dashed,
    /// A dotted line through the points (short dashes, short gaps).
    Dotted,
    /// A marker at each point, no line.
    Points,
}

/// One named series of (x, y) points.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend entry.
    pub name: String,
    /// The points, in drawing order. Non-finite points are skipped.
    pub points: Vec<(f64, f64)>,
    /// Line, dashed line or markers.
    pub style: Style,
    /// Index into the palette (taken modulo its length).
    pub colour: usize,
}

impl Series {
    /// A series drawn as `style` in palette colour `colour`.
    pub fn new(
        name: impl Into<String>,
        points: Vec<(f64, f64)>,
        style: Style,
        colour: usize,
    ) -> Self {
        Self {
            name: name.into(),
            points,
            style,
            colour,
        }
    }
}

/// A horizontal or vertical reference line with a label in the legend.
#[derive(Debug, Clone)]
pub enum Reference {
    /// y = value across the panel.
    Horizontal {
        /// Legend entry.
        name: String,
        /// The height.
        value: f64,
    },
    /// x = value across the panel.
    Vertical {
        /// Legend entry.
        name: String,
        /// The position.
        value: f64,
    },
}

/// One chart: axes, series and reference lines.
#[derive(Debug, Clone)]
pub struct Panel {
    /// Title above the panel (may be empty when the figure has one panel).
    pub title: String,
    /// x-axis label, with its unit.
    pub x_label: String,
    /// y-axis label, with its unit.
    pub y_label: String,
    /// The series.
    pub series: Vec<Series>,
    /// Reference lines, drawn dotted in black.
    pub references: Vec<Reference>,
    /// Plot log10(y) and label the ticks as powers of ten (non-positive y are skipped).
    pub log_y: bool,
    /// Fixed x range; `None` fits the data.
    pub x_range: Option<(f64, f64)>,
    /// Fixed y range (in y, not log10 y); `None` fits the data.
    pub y_range: Option<(f64, f64)>,
    /// Where the legend sits.
    pub legend: Corner,
    /// Widen one axis's range so that a unit spans as many pixels on x as on
    /// y (circles look round); ignored on a log axis.
    pub equal_scales: bool,
}

/// A corner of a panel, for its legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corner {
    /// Top right (the default).
    UpperRight,
    /// Top left.
    UpperLeft,
    /// Bottom right.
    LowerRight,
    /// Bottom left.
    LowerLeft,
    /// Middle of the right edge.
    MiddleRight,
}

impl Panel {
    /// An empty panel with the given title and axis labels.
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Self {
        Self {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            series: Vec::new(),
            references: Vec::new(),
            log_y: false,
            x_range: None,
            y_range: None,
            legend: Corner::UpperRight,
            equal_scales: false,
        }
    }

    /// Equal scales on both axes: the range that would leave a unit shorter
    /// on screen is widened about its centre.
    pub fn equal_scales(mut self) -> Self {
        self.equal_scales = true;
        self
    }

    /// Moves the legend.
    pub fn legend_at(mut self, corner: Corner) -> Self {
        self.legend = corner;
        self
    }

    /// Adds a series.
    pub fn with(mut self, series: Series) -> Self {
        self.series.push(series);
        self
    }

    /// Adds a reference line.
    pub fn reference(mut self, reference: Reference) -> Self {
        self.references.push(reference);
        self
    }

    /// Puts the y axis on a log scale.
    pub fn log_y(mut self) -> Self {
        self.log_y = true;
        self
    }

    /// Fixes the x range.
    pub fn x_range(mut self, low: f64, high: f64) -> Self {
        self.x_range = Some((low, high));
        self
    }

    /// Fixes the y range.
    pub fn y_range(mut self, low: f64, high: f64) -> Self {
        self.y_range = Some((low, high));
        self
    }

    /// The y value as drawn: log10 y on a log axis (None when it cannot be drawn).
    fn drawn_y(&self, y: f64) -> Option<f64> {
        let y = if self.log_y {
            if y > 0.0 { y.log10() } else { return None }
        } else {
            y
        };
        y.is_finite().then_some(y)
    }

    fn drawn_points<'a>(&'a self, s: &'a Series) -> impl Iterator<Item = (f64, f64)> + Clone + 'a {
        s.points
            .iter()
            .filter(|(x, _)| x.is_finite())
            .filter_map(move |&(x, y)| self.drawn_y(y).map(|y| (x, y)))
    }

    /// The drawn ranges: fixed ones, else the data's with a 5% margin.
    fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        let mut xs = (f64::INFINITY, f64::NEG_INFINITY);
        let mut ys = (f64::INFINITY, f64::NEG_INFINITY);
        for s in &self.series {
            for (x, y) in self.drawn_points(s) {
                xs = (xs.0.min(x), xs.1.max(x));
                ys = (ys.0.min(y), ys.1.max(y));
            }
        }
        for r in &self.references {
            match r {
                Reference::Horizontal { value, .. } => {
                    if let Some(y) = self.drawn_y(*value) {
                        ys = (ys.0.min(y), ys.1.max(y));
                    }
                }
                Reference::Vertical { value, .. } if value.is_finite() => {
                    xs = (xs.0.min(*value), xs.1.max(*value));
                }
                Reference::Vertical { .. } => {}
            }
        }
        // Clamped to the finite range, so that data near f64::MAX keep a
        // drawable axis.
        let pad = |(lo, hi): (f64, f64)| {
            let (lo, hi) = if !lo.is_finite() || !hi.is_finite() {
                (0.0, 1.0)
            } else if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
                // One value: a unit around it, or a relative margin where a
                // unit would vanish in its rounding.
                let half = lo.abs().max(hi.abs()).mul_add(FLAT_MARGIN, 0.5);
                (lo - half, hi + half)
            } else {
                let m = 0.05 * (hi - lo);
                (lo - m, hi + m)
            };
            (lo.max(-f64::MAX), hi.min(f64::MAX))
        };
        let x = self.x_range.unwrap_or_else(|| pad(xs));
        let y = match self.y_range {
            Some((lo, hi)) if self.log_y => (lo.max(f64::MIN_POSITIVE).log10(), hi.log10()),
            Some(r) => r,
            None => pad(ys),
        };
        (x, y)
    }
}

/// Renders `panels` on a `rows` x `cols` grid under one `title`, as an SVG document.
///
/// # Errors
/// A message when plotters fails (it does not on an in-memory string in practice),
/// when the grid has fewer cells than panels, or when a panel's axis cannot be
/// drawn: a fixed range that is not finite and increasing (on a log axis, not
/// positive), or data spread wider than `f64::MAX`.
pub fn render(title: &str, panels: &[Panel], rows: usize, cols: usize) -> Result<String, String> {
    if rows * cols < panels.len() {
        return Err(format!(
            "{} panels do not fit a {rows} x {cols} grid",
            panels.len()
        ));
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, FIGURE_SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let root = root
            .titled(title, ("sans-serif", TITLE_FONT))
            .map_err(|e| e.to_string())?;
        let cells = root.split_evenly((rows, cols));
        for (panel, area) in panels.iter().zip(cells.iter()) {
            draw_panel(panel, area)?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

fn draw_panel(
    panel: &Panel,
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
) -> Result<(), String> {
    let ((x0, x1), (y0, y1)) = if panel.equal_scales && !panel.log_y {
        equalised(panel.ranges(), plotting_pixels(panel, area.dim_in_pixel())?)
    } else {
        panel.ranges()
    };
    // plotters loops forever or panics on an axis of infinite or zero width.
    let (x0, x1) = drawable(panel, "x", (x0, x1))?;
    let (y0, y1) = drawable(panel, "y", (y0, y1))?;
    let mut chart = chart_builder(panel, area)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(text)?;
    let log_y = panel.log_y;
    let y_ticks = |v: &f64| {
        if log_y {
            format!("1e{}", v.round() as i64)
        } else {
            tick(*v, y1 - y0)
        }
    };
    let x_ticks = |v: &f64| tick(*v, x1 - x0);
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(panel.x_label.as_str())
        .y_desc(panel.y_label.as_str())
        .axis_desc_style(("sans-serif", AXIS_FONT))
        .label_style(("sans-serif", TICK_FONT))
        .x_label_formatter(&x_ticks)
        .y_label_formatter(&y_ticks)
        .light_line_style(WHITE.mix(0.0));
    if log_y {
        mesh.y_labels(((y1 - y0).ceil() as usize + 1).clamp(2, 12));
    }
    mesh.draw().map_err(text)?;

    for s in &panel.series {
        let colour = PALETTE[s.colour % PALETTE.len()];
        let style = colour.stroke_width(LINE_WIDTH);
        let points: Vec<(f64, f64)> = panel.drawn_points(s).collect();
        let legend = match s.style {
            Style::Line => chart
                .draw_series(LineSeries::new(points, style))
                .map_err(text)?,
            Style::Dashed => chart
                .draw_series(DashedLineSeries::new(points, DASH.0, DASH.1, style))
                .map_err(text)?,
            Style::Dotted => chart
                .draw_series(DashedLineSeries::new(points, DOT.0, DOT.1, style))
                .map_err(text)?,
            Style::Points => chart
                .draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, MARKER_RADIUS, colour.filled())),
                )
                .map_err(text)?,
        };
        if !s.name.is_empty() {
            // The legend's sample is drawn as the series is: solid, dashed,
            // dotted, or one marker.
            let entry = legend.label(s.name.as_str());
            let sample = move |x: i32, y: i32| vec![(x, y), (x + LEGEND_SAMPLE, y)];
            match s.style {
                Style::Line => {
                    entry.legend(move |(x, y)| PathElement::new(sample(x, y), style));
                }
                Style::Dashed => {
                    entry.legend(move |(x, y)| {
                        DashedPathElement::new(sample(x, y), DASH.0, DASH.1, style)
                    });
                }
                Style::Dotted => {
                    entry.legend(move |(x, y)| {
                        DashedPathElement::new(sample(x, y), DOT.0, DOT.1, style)
                    });
                }
                Style::Points => {
                    entry.legend(move |(x, y)| {
                        Circle::new((x + LEGEND_SAMPLE / 2, y), MARKER_RADIUS, colour.filled())
                    });
                }
            }
        }
    }
    let reference_style = BLACK.stroke_width(3);
    for r in &panel.references {
        let (name, segment) = match r {
            Reference::Horizontal { name, value } => match panel.drawn_y(*value) {
                Some(y) => (name, vec![(x0, y), (x1, y)]),
                None => continue,
            },
            Reference::Vertical { name, value } => (name, vec![(*value, y0), (*value, y1)]),
        };
        chart
            .draw_series(DashedLineSeries::new(
                segment,
                REFERENCE_DASH.0,
                REFERENCE_DASH.1,
                reference_style,
            ))
            .map_err(text)?
            .label(name.as_str())
            .legend(move |(x, y)| {
                DashedPathElement::new(
                    vec![(x, y), (x + LEGEND_SAMPLE, y)],
                    REFERENCE_DASH.0,
                    REFERENCE_DASH.1,
                    reference_style,
                )
            });
    }
    // A panel whose series are all unnamed has no legend (not an empty box).
    if panel.references.is_empty() && panel.series.iter().all(|s| s.name.is_empty()) {
        return Ok(());
    }
    chart
        .configure_series_labels()
        .label_font(("sans-serif", LEGEND_FONT))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .legend_area_size(LEGEND_SAMPLE + 12)
        .position(match panel.legend {
            Corner::UpperRight => SeriesLabelPosition::UpperRight,
            Corner::UpperLeft => SeriesLabelPosition::UpperLeft,
            Corner::LowerRight => SeriesLabelPosition::LowerRight,
            Corner::LowerLeft => SeriesLabelPosition::LowerLeft,
            Corner::MiddleRight => SeriesLabelPosition::MiddleRight,
        })
        .draw()
        .map_err(text)?;
    Ok(())
}

/// `range` if an axis can be drawn over it: finite ends, `low < high`, and
/// a finite width (data spread over more than `f64::MAX`, a fixed range
/// given backwards or empty, or a log axis whose fixed range is not
/// positive cannot).
fn drawable(panel: &Panel, axis: &str, (low, high): (f64, f64)) -> Result<(f64, f64), String> {
    if low.is_finite() && high.is_finite() && low < high && (high - low).is_finite() {
        Ok((low, high))
    } else {
        Err(format!(
            "panel \"{}\": the {axis} axis cannot span [{low:e}, {high:e}]{}",
            panel.title,
            if panel.log_y && axis == "y" {
                " (log10 of y)"
            } else {
                ""
            }
        ))
    }
}

/// The layout every panel shares: caption, margins, label areas.
fn chart_builder<'a, 'b, DB: DrawingBackend>(
    panel: &'b Panel,
    area: &'a DrawingArea<DB, plotters::coord::Shift>,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(&panel.title, ("sans-serif", PANEL_TITLE_FONT))
        .margin(20)
        .x_label_area_size(80)
        .y_label_area_size(110);
    builder
}

/// Width and height in pixels of the plotting area a panel of `size` pixels
/// gets, measured by laying it out on a scratch canvas of the same size.
fn plotting_pixels(panel: &Panel, size: (u32, u32)) -> Result<(u32, u32), String> {
    let mut scratch = String::new();
    let root = SVGBackend::with_string(&mut scratch, size).into_drawing_area();
    let chart = chart_builder(panel, &root)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .map_err(text)?;
    Ok(chart.plotting_area().dim_in_pixel())
}

/// `ranges` with the axis whose unit would be shorter on screen widened about
/// its centre, so that a unit spans the same pixels on both axes.
fn equalised(
    ((x0, x1), (y0, y1)): ((f64, f64), (f64, f64)),
    (width, height): (u32, u32),
) -> ((f64, f64), (f64, f64)) {
    let (width, height) = (f64::from(width.max(1)), f64::from(height.max(1)));
    let per_pixel = ((x1 - x0) / width).max((y1 - y0) / height);
    let widen = |(lo, hi): (f64, f64), pixels: f64| {
        let (centre, half) = (0.5 * (lo + hi), 0.5 * per_pixel * pixels);
        (centre - half, centre + half)
    };
    (widen((x0, x1), width), widen((y0, y1), height))
}

/// A tick label: few digits, scientific only when needed; a value that is 0
/// up to rounding on an axis of length `span` reads 0.
fn tick(v: f64, span: f64) -> String {
    let a = v.abs();
    if a <= 1e-9 * span.abs() {
        "0".into()
    } else if !(1e-3..1e5).contains(&a) {
        format!("{v:.1e}")
    } else {
        let s = format!("{v:.3}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" { "0".into() } else { s.into() }
    }
}

fn text(e: impl std::fmt::Display) -> String {
    e.to_string()
}
