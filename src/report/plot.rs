//! Plots of a report, rendered to in-memory PNG and SVG bytes: per queue the volume
//! (offered and answered) and the ASA with its ci95 band, per staff group the scheduled and
//! busy agents, each over the report intervals.
//!
//! Every chart is one `Chart` drawn by one function generic over the plotters backend. Text
//! uses an embedded DejaVu Sans, registered once, so PNGs render with no system fonts.

use super::{IntervalReport, Report};
use crate::stats::ci::Estimate;
use indexmap::IndexMap;

pub(crate) mod backtest;
pub mod compare;
pub(crate) mod fit;
mod heatmap;
pub mod schedule;
pub mod sweep;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, RGBColor, register_font};
use std::sync::OnceLock;

/// One rendered plot file.
#[derive(Debug, Clone)]
pub struct PlotFile {
    /// File name, e.g. `phone-asa.png`.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

const SIZE: (u32, u32) = (1200, 600);
const FONT: &str = "sans-serif";
/// Most categories a categorical axis names one by one.
const MAX_NAMED: usize = 24;
/// Above this many intervals lines are drawn 1 px wide.
const DENSE: usize = 300;
const BLUE_: RGBColor = RGBColor(31, 119, 180);
const ORANGE: RGBColor = RGBColor(230, 120, 20);
const GREEN_: RGBColor = RGBColor(44, 160, 44);
const GREY: RGBColor = RGBColor(90, 90, 90);
/// Target bounds.
const TARGET: RGBColor = RGBColor(214, 39, 40);
/// The legend's inner margin, and the pixels kept free between it and the data.
const LEGEND_MARGIN: i32 = 12;
const LEGEND_CLEARANCE: f64 = 8.0;
/// Distinct line colours for plots with several series (sweeps, comparisons).
const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(23, 190, 207),
];

/// Renders every plot of `report`: `{q}-volume`, `{q}-asa` for each queue and `staff-{g}` for
/// each staff group, each as `.png` and `.svg`.
pub fn render(report: &Report) -> Result<Vec<PlotFile>, String> {
    register_embedded_font()?;
    let axis = TimeAxis::new(&report.intervals);
    let mut files = Vec::new();
    for q in report.queues.keys() {
        push_both(
            &mut files,
            &format!("{q}-volume"),
            &volume(report, &axis, q),
        )?;
        push_both(&mut files, &format!("{q}-asa"), &asa(report, &axis, q))?;
    }
    for g in report.staff.keys() {
        push_both(&mut files, &format!("staff-{g}"), &staff(report, &axis, g))?;
    }
    Ok(files)
}

fn register_embedded_font() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    static BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
    DONE.get_or_init(|| {
        register_font(FONT, FontStyle::Normal, BYTES)
            .map_err(|_| "the embedded font DejaVuSans.ttf is invalid".to_string())
    })
    .clone()
}

/// Something drawn the same way on every backend (PNG and SVG).
trait Figure {
    fn draw_on<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<(), String>;
}

impl Figure for Chart {
    fn draw_on<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<(), String> {
        draw(root, self)
    }
}

fn push_both<F: Figure>(files: &mut Vec<PlotFile>, stem: &str, chart: &F) -> Result<(), String> {
    let stem = safe_file_name(stem);
    files.push(PlotFile {
        name: format!("{stem}.png"),
        bytes: png(chart).map_err(|e| format!("{stem}.png: {e}"))?,
    });
    files.push(PlotFile {
        name: format!("{stem}.svg"),
        bytes: svg(chart).map_err(|e| format!("{stem}.svg: {e}"))?,
    });
    Ok(())
}

/// Keeps a queue or group name from turning a file name into a path.
fn safe_file_name(stem: &str) -> String {
    stem.chars()
        .map(|c| match c {
            '/' | '\\' | ':' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect()
}

// ---- what each chart shows ----

/// The x axis: interval midpoints in hours (or days, for spans over 3 days) since the first
/// interval's start.
struct TimeAxis {
    xs: Vec<f64>,
    x_max: f64,
    label: String,
}

impl TimeAxis {
    fn new(intervals: &[IntervalReport]) -> Self {
        let starts: Vec<f64> = intervals.iter().map(|iv| iv.start_s).collect();
        let first = intervals.first().map_or("start", |iv| iv.start.as_str());
        let week = intervals.first().map_or(1, |iv| iv.week);
        TimeAxis::over(&starts, &format!("{first}, week {week}"))
    }

    /// The axis over intervals starting at `starts` (seconds), the first named `first`.
    fn over(starts: &[f64], first: &str) -> Self {
        let t0 = starts.first().copied().unwrap_or(0.0);
        let step = match starts {
            [a, b, ..] if b > a => Some(b - a),
            _ => None,
        };
        let (every, step) = match step {
            Some(s) => (format!("; {} intervals", duration(s)), s),
            None => (String::new(), 3600.0),
        };
        let span = starts.last().map_or(0.0, |s| s - t0) + step;
        let (unit, name) = if span > 3.0 * 86_400.0 {
            (86_400.0, "days")
        } else {
            (3600.0, "h")
        };
        TimeAxis {
            xs: starts
                .iter()
                .map(|s| (s - t0 + step / 2.0) / unit)
                .collect(),
            x_max: finite_or(span / unit, 1.0).max(f64::EPSILON),
            label: format!("time ({name} since {first}{every})"),
        }
    }
}

fn duration(s: f64) -> String {
    if s >= 3600.0 && s % 3600.0 == 0.0 {
        format!("{} h", s / 3600.0)
    } else if s >= 60.0 && s % 60.0 == 0.0 {
        format!("{} min", s / 60.0)
    } else {
        format!("{s} s")
    }
}

fn reps(report: &Report) -> String {
    let n = report.replications;
    format!("{n} replication{}", if n == 1 { "" } else { "s" })
}

fn volume(report: &Report, axis: &TimeAxis, q: &str) -> Chart {
    let of = |f: fn(&super::IntervalQueue) -> f64| -> Vec<Option<f64>> {
        let iv = report.intervals.iter();
        iv.map(|iv| iv.queues.get(q).map(f)).collect()
    };
    Chart {
        title: format!("{} · queue {q}", report.scenario),
        subtitle: format!(
            "contacts offered and answered (means over {})",
            reps(report)
        ),
        y_label: "contacts per interval".to_string(),
        lines: vec![
            Line::new("offered", BLUE_, of(|v| v.offered)).wide(),
            Line::new("answered", GREEN_, of(|v| v.answered)),
        ],
        bands: vec![],
        ..Chart::on(axis)
    }
}

/// What a queue's waits measure. The report does not name a queue's kind, so it is told from
/// the metrics it has (README "Results"): the slot metrics mark a callback queue, `unreached`
/// (calls that did not reach the customer: an agent dialled out) outbound work.
#[derive(Debug, Clone, Copy, PartialEq)]
enum WaitKind {
    Answer,
    SlotLateness,
    ReleaseDelay,
}

impl WaitKind {
    fn of(metrics: Option<&IndexMap<String, Estimate>>) -> Self {
        use crate::metrics::QueueMetric::{Bookings, SlotUtilization, Unreached};
        let has = |m: crate::metrics::QueueMetric| {
            metrics.is_some_and(|ms| ms.contains_key(m.def().name))
        };
        if has(Bookings) || has(SlotUtilization) {
            WaitKind::SlotLateness
        } else if has(Unreached) {
            WaitKind::ReleaseDelay
        } else {
            WaitKind::Answer
        }
    }

    /// The title's note on the queue, the subtitle's description, the y label and the line's
    /// legend label.
    fn words(self) -> [&'static str; 4] {
        match self {
            WaitKind::Answer => [
                "",
                "average speed of answer (ASA) per interval",
                "ASA (s)",
                "ASA (mean)",
            ],
            WaitKind::SlotLateness => [
                " (calls booked into slots)",
                "how late booked calls start after their slot, mean per interval",
                "lateness after the slot (s)",
                "lateness (mean)",
            ],
            WaitKind::ReleaseDelay => [
                " (outbound work)",
                "delay from a call's release until an agent takes it, mean per interval",
                "delay from release (s)",
                "delay (mean)",
            ],
        }
    }
}

fn asa<'a>(report: &'a Report, axis: &TimeAxis, q: &str) -> Chart {
    let queue = |iv: &'a IntervalReport| iv.queues.get(q);
    let ivs = &report.intervals;
    let [note, what, y_label, mean] = WaitKind::of(report.queues.get(q)).words();
    Chart {
        title: format!("{} · queue {q}{note}", report.scenario),
        subtitle: format!("{what} · band: 95% CI over {}", reps(report)),
        y_label: y_label.to_string(),
        lines: vec![Line::new(
            mean,
            ORANGE,
            ivs.iter().map(|iv| queue(iv)?.asa_s).collect(),
        )],
        bands: vec![Band {
            label: "95% CI".to_string(),
            color: ORANGE,
            bounds: ivs.iter().map(|iv| queue(iv)?.asa_s_ci95).collect(),
        }],
        ..Chart::on(axis)
    }
}

fn staff(report: &Report, axis: &TimeAxis, g: &str) -> Chart {
    let of = |f: fn(&super::IntervalStaff) -> f64| -> Vec<Option<f64>> {
        let iv = report.intervals.iter();
        iv.map(|iv| iv.staff.get(g).map(f)).collect()
    };
    Chart {
        title: format!("{} · staff group {g}", report.scenario),
        subtitle: format!("agents scheduled and busy (means over {})", reps(report)),
        y_label: "agents (time-average per interval)".to_string(),
        lines: vec![
            Line::new("scheduled", GREY, of(|v| v.scheduled)).wide(),
            Line::new("busy", BLUE_, of(|v| v.busy)),
        ],
        bands: vec![],
        ..Chart::on(axis)
    }
}

// ---- the one chart: lines, bands and rules over a numeric (or categorical) x axis ----

struct Line {
    label: String,
    color: RGBColor,
    width: u32,
    values: Vec<Option<f64>>,
}

impl Line {
    fn new(label: &str, color: RGBColor, values: Vec<Option<f64>>) -> Self {
        Line {
            label: label.to_string(),
            color,
            width: 2,
            values,
        }
    }

    /// Wider, so that a line drawn later on top of it stays visible.
    fn wide(self) -> Self {
        Line { width: 5, ..self }
    }
}

struct Band {
    label: String,
    color: RGBColor,
    bounds: Vec<Option<[f64; 2]>>,
}

/// A horizontal red line at `y` over `x`, e.g. a target bound. Rules with the same label share
/// one legend entry.
struct Rule {
    label: String,
    y: f64,
    x: (f64, f64),
}

/// A piece of drawn data, from one point to another, that the legend must not cover.
type Segment = [(f64, f64); 2];

struct Chart {
    title: String,
    subtitle: String,
    x_label: String,
    y_label: String,
    xs: Vec<f64>,
    x_range: (f64, f64),
    lines: Vec<Line>,
    bands: Vec<Band>,
    rules: Vec<Rule>,
    /// When set, the x axis is categorical: whole position k is labelled `categories[k - 1]`.
    categories: Vec<String>,
}

impl Chart {
    fn on(axis: &TimeAxis) -> Self {
        Chart {
            title: String::new(),
            subtitle: String::new(),
            x_label: axis.label.clone(),
            y_label: String::new(),
            xs: axis.xs.clone(),
            x_range: (0.0, axis.x_max),
            lines: Vec::new(),
            bands: vec![],
            rules: vec![],
            categories: vec![],
        }
    }

    /// Runs of consecutive defined, plottable points of a line.
    fn line_runs(&self, line: &Line) -> Vec<Vec<(f64, f64)>> {
        let clean = line.values.iter().map(|v| v.filter(|y| plottable(*y)));
        runs(self.xs.iter().copied().zip(clean))
    }

    /// Runs of consecutive defined, plottable bounds of a band, as (x, lower, upper). Every
    /// quantity plotted is non-negative, so a bound below 0 (a Student-t artefact of few
    /// replications) is cut at 0.
    fn band_runs(&self, band: &Band) -> Vec<Vec<(f64, [f64; 2])>> {
        let clean = band.bounds.iter().map(|b| {
            b.filter(|[lo, hi]| plottable(*lo) && plottable(*hi))
                .map(|[lo, hi]| [lo.min(hi).max(0.0), lo.max(hi).max(0.0)])
        });
        runs(self.xs.iter().copied().zip(clean))
    }

    /// Half the width of the box drawn for a band run of one point.
    fn half_box(&self) -> f64 {
        (self.x_range.1 - self.x_range.0) / self.xs.len().max(1) as f64 / 4.0
    }

    fn plotted_rules(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(|r| plottable(r.y))
    }

    /// Everything drawn, as segments: each line, the upper bound of each band (the lower one
    /// lies below it) and each rule. A lone point is a segment of no length, a lone band box
    /// its top edge.
    fn segments(&self) -> Vec<Segment> {
        let mut out = Vec::new();
        let mut push_run = |run: Vec<(f64, f64)>, half: f64| match run.as_slice() {
            [(x, y)] => out.push([(x - half, *y), (x + half, *y)]),
            _ => out.extend(run.windows(2).map(|w| [w[0], w[1]])),
        };
        for line in &self.lines {
            self.line_runs(line)
                .into_iter()
                .for_each(|r| push_run(r, 0.0));
        }
        for band in &self.bands {
            for run in self.band_runs(band) {
                push_run(
                    run.iter().map(|(x, b)| (*x, b[1])).collect(),
                    self.half_box(),
                );
            }
        }
        out.extend(self.plotted_rules().map(|r| [(r.x.0, r.y), (r.x.1, r.y)]));
        out
    }

    /// The highest value drawn (0 without data; every quantity plotted is non-negative, so
    /// the y axis starts at 0), and whether anything is drawn.
    fn y_extent(&self) -> (f64, bool) {
        let segments = self.segments();
        let hi = segments.iter().flatten().map(|p| p.1).fold(0.0, f64::max);
        (hi, !segments.is_empty())
    }

    /// The legend's entries, in the order they are drawn: labelled bands, lines, and each
    /// distinct rule label.
    fn legend_labels(&self) -> Vec<&str> {
        let bands = self.bands.iter().map(|b| b.label.as_str());
        let lines = self.lines.iter().map(|l| l.label.as_str());
        let mut out: Vec<&str> = bands.chain(lines).filter(|l| !l.is_empty()).collect();
        out.extend(rule_labels(&self.rules));
        out
    }
}

fn rule_labels(rules: &[Rule]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for r in rules.iter().filter(|r| plottable(r.y)) {
        if !out.contains(&r.label.as_str()) {
            out.push(&r.label);
        }
    }
    out
}

fn runs<T: Copy>(points: impl Iterator<Item = (f64, Option<T>)>) -> Vec<Vec<(f64, T)>> {
    let mut out: Vec<Vec<(f64, T)>> = vec![Vec::new()];
    for (x, v) in points {
        match (v, out.last_mut()) {
            (Some(v), Some(run)) if x.is_finite() => run.push((x, v)),
            (_, Some(run)) if !run.is_empty() => out.push(Vec::new()),
            _ => {}
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

/// The x range of a plot over numeric parameter values: their span with a small margin each
/// side, from 0 when 0 is among them or near them (within a tenth of the span), so that the
/// data fill the width rather than sitting at the right of an axis from 0.
fn span_range(xs: &[f64]) -> (f64, f64) {
    let finite = || xs.iter().copied().filter(|x| plottable(*x));
    let lo = finite().fold(f64::INFINITY, f64::min);
    let hi = finite().fold(f64::NEG_INFINITY, f64::max);
    if lo > hi {
        return (0.0, 1.0);
    }
    // One value: a span of its size (or 1), so that it sits in the middle.
    let span = if hi > lo { hi - lo } else { hi.abs().max(1.0) };
    let margin = span * 0.04;
    let start = if lo >= 0.0 && lo <= span / 10.0 {
        0.0
    } else {
        lo - margin
    };
    (start, hi + margin)
}

/// Where the legend box sits: the upper left or the upper right corner.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Side {
    Left,
    Right,
}

/// The upper corner for a legend box `share` wide and high (as shares of the plot area, its
/// clearance included), and the top of a y axis from `y0` at which the box covers none of
/// `segments`: the corner whose data need the lower top, the right on a tie. The top is at
/// least `top`, and never more than needed, so the data keep as much height as they can.
fn place_legend(
    segments: &[Segment],
    x: (f64, f64),
    y0: f64,
    top: f64,
    share: (f64, f64),
) -> (Side, f64) {
    let width = share.0 * (x.1 - x.0);
    // A box nearly the plot's height cannot clear the data; its top is then bounded.
    let height = share.1.clamp(0.0, 0.8);
    let need = |window: (f64, f64)| match highest_in(segments, window) {
        Some(m) if m > y0 => top.max((m - height * y0) / (1.0 - height)),
        _ => top,
    };
    let left = need((x.0, x.0 + width));
    let right = need((x.1 - width, x.1));
    if left < right {
        (Side::Left, left)
    } else {
        (Side::Right, right)
    }
}

/// The highest y of the segments over the x window `[a, b]` (each cut to it: they are
/// straight, so the highest point is at an end).
fn highest_in(segments: &[Segment], (a, b): (f64, f64)) -> Option<f64> {
    let in_window = |&[(x0, y0), (x1, y1)]: &Segment| {
        let (lo, hi) = (x0.min(x1), x0.max(x1));
        if hi < a || lo > b {
            return None;
        }
        let at = |x: f64| {
            if x1 == x0 {
                y0.max(y1)
            } else {
                y0 + (y1 - y0) * (x - x0) / (x1 - x0)
            }
        };
        Some(at(lo.max(a)).max(at(hi.min(b))))
    };
    segments.iter().filter_map(in_window).reduce(f64::max)
}

/// The label of whole position `v` on a categorical axis; nothing between categories.
fn category(names: &[String], v: f64) -> String {
    let k = v.round();
    let whole = (v - k).abs() < 1e-6 && k >= 1.0;
    let name = whole.then(|| names.get(k as usize - 1)).flatten();
    name.cloned().unwrap_or_default()
}

fn png<F: Figure>(chart: &F) -> Result<Vec<u8>, String> {
    let mut rgb = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
    chart.draw_on(BitMapBackend::with_buffer(&mut rgb, SIZE).into_drawing_area())?;
    let image = image::RgbImage::from_raw(SIZE.0, SIZE.1, rgb)
        .ok_or("the image buffer has the wrong size")?;
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageOutputFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(bytes.into_inner())
}

fn svg<F: Figure>(chart: &F) -> Result<Vec<u8>, String> {
    let mut out = String::new();
    chart.draw_on(SVGBackend::with_string(&mut out, SIZE).into_drawing_area())?;
    Ok(out.into_bytes())
}

/// A font `px` pixels high (plotters sizes fonts at 1.24 times the em height).
fn font(px: f64) -> (&'static str, f64) {
    (FONT, px * 1.24)
}

/// The two title lines, centred, each scaled down to fit the width (to 16 and 13 px at least).
fn draw_header<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<(), String> {
    let (w, _) = area.dim_in_pixel();
    let fit = |text: &str, px: f64, least: f64| {
        let chars = text.chars().count().max(1) as f64;
        px.min((w as f64 - 40.0) / (0.62 * chars)).max(least)
    };
    let centre = Pos::new(HPos::Center, VPos::Top);
    let lines = [
        (title, fit(title, 24.0, 16.0), 10),
        (subtitle, fit(subtitle, 18.0, 13.0), 44),
    ];
    for (text, px, y) in lines {
        let style = TextStyle::from(font(px)).pos(centre);
        let text = Text::new(text, (w as i32 / 2, y), style);
        area.draw(&text).map_err(msg)?;
    }
    Ok(())
}

type Ctx<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

fn msg<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> String {
    e.to_string()
}

/// The axes and plot area over `x` and `y` in `body`.
fn frame<'a, DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    x: (f64, f64),
    y: (f64, f64),
) -> Result<Ctx<'a, DB>, String> {
    ChartBuilder::on(body)
        .margin(20)
        .margin_top(4)
        .x_label_area_size(64)
        .y_label_area_size(90)
        .build_cartesian_2d(x.0..x.1, y.0..y.1)
        .map_err(msg)
}

/// The legend box's size in pixels, as plotters lays it out (its text, the 30 px sample
/// column and the margins).
fn legend_size(labels: &[&str]) -> Result<(f64, f64), String> {
    let style = TextStyle::from(font(16.0));
    let mut text = plotters::element::MultiLineText::<(i32, i32), &str>::new((0, 0), &style);
    labels.iter().for_each(|l| text.push_line(*l));
    let (w, h) = text.estimate_dimension().map_err(|e| e.to_string())?;
    Ok((
        f64::from(w + 30 + 2 * LEGEND_MARGIN),
        f64::from(h + 2 * LEGEND_MARGIN),
    ))
}

/// The legend's corner and the y range: from 0 to a little above the data, raised where the
/// legend would otherwise cover them.
fn layout<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    c: &Chart,
) -> Result<(Side, (f64, f64)), String> {
    let (hi, _) = c.y_extent();
    let top = if hi > 0.0 { hi * 1.05 } else { 1.0 };
    let (w, h) = frame(body, (0.0, 1.0), (0.0, 1.0))?
        .plotting_area()
        .dim_in_pixel();
    // plotters puts the box 5 px from the plot area's edges.
    let (lw, lh) = legend_size(&c.legend_labels())?;
    let share = (
        (lw + 5.0 + LEGEND_CLEARANCE) / f64::from(w.max(1)),
        (lh + 5.0 + LEGEND_CLEARANCE) / f64::from(h.max(1)),
    );
    let (side, top) = place_legend(&c.segments(), c.x_range, 0.0, top, share);
    Ok((side, (0.0, top)))
}

/// Draws `c` on any backend: the one drawing code behind every PNG and SVG.
fn draw<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, c: &Chart) -> Result<(), String> {
    root.fill(&WHITE).map_err(msg)?;
    let (header, body) = root.split_vertically(72);
    draw_header(&header, &c.title, &c.subtitle)?;
    let (side, y) = layout(&body, c)?;
    let mut chart = frame(&body, c.x_range, y)?;
    draw_mesh(&mut chart, c)?;
    for band in &c.bands {
        draw_band(&mut chart, c, band)?;
    }
    // Rules go under the lines, so that a line along a target bound stays visible.
    draw_rules(&mut chart, c)?;
    for line in &c.lines {
        draw_line(&mut chart, c, line)?;
    }
    rule_legend(&mut chart, c)?;
    if !c.y_extent().1 {
        let centre = ((c.x_range.0 + c.x_range.1) / 2.0, (y.0 + y.1) / 2.0);
        let text = Text::new("no data", centre, font(24.0).into_font().color(&GREY));
        chart.draw_series(std::iter::once(text)).map_err(msg)?;
    }
    chart
        .configure_series_labels()
        .position(match side {
            Side::Left => SeriesLabelPosition::UpperLeft,
            Side::Right => SeriesLabelPosition::UpperRight,
        })
        .margin(LEGEND_MARGIN)
        .label_font(font(16.0))
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(180, 180, 180))
        .draw()
        .map_err(msg)?;
    root.present().map_err(msg)
}

/// Axes, grid and tick labels; on a categorical axis a tick per category, named.
fn draw_mesh<DB: DrawingBackend>(chart: &mut Ctx<'_, DB>, c: &Chart) -> Result<(), String> {
    let names = &c.categories;
    let x_tick = |v: &f64| {
        if names.is_empty() {
            tick(v)
        } else {
            category(names, *v)
        }
    };
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(&c.x_label)
        .y_desc(&c.y_label)
        .label_style(font(16.0))
        .axis_desc_style(font(18.0))
        .light_line_style(RGBColor(238, 238, 238))
        .x_label_formatter(&x_tick)
        .y_label_formatter(&tick);
    if (1..=MAX_NAMED).contains(&names.len()) {
        // With one more label than categories plotters steps by 1, onto the categories.
        mesh.x_labels(names.len() + 1).x_max_light_lines(0);
    } else if !names.is_empty() {
        // Too many to name each: plotters' round ticks, named where they fall on one.
        mesh.x_labels(12).x_max_light_lines(0);
    }
    mesh.draw().map_err(msg)
}

/// The band, shaded, with its legend entry (also when it has no point; none when unlabelled).
fn draw_band<DB: DrawingBackend>(
    chart: &mut Ctx<'_, DB>,
    c: &Chart,
    band: &Band,
) -> Result<(), String> {
    let fill = band.color.mix(0.2).filled();
    if !band.label.is_empty() {
        let legend = move |(x, y): (i32, i32)| Rectangle::new([(x, y - 7), (x + 24, y + 7)], fill);
        chart
            .draw_series(std::iter::empty::<Polygon<(f64, f64)>>())
            .map_err(msg)?
            .label(&band.label)
            .legend(legend);
    }
    let shapes = c.band_runs(band).into_iter();
    let half = c.half_box();
    chart
        .draw_series(shapes.map(|run| band_shape(&run, half, fill)))
        .map_err(msg)?;
    Ok(())
}

fn rule_style() -> ShapeStyle {
    TARGET.stroke_width(3)
}

/// The rules, without legend entries (`rule_legend` adds them after the lines').
fn draw_rules<DB: DrawingBackend>(chart: &mut Ctx<'_, DB>, c: &Chart) -> Result<(), String> {
    let segments = c.plotted_rules().map(|r| [(r.x.0, r.y), (r.x.1, r.y)]);
    let series = segments.map(|s| PathElement::new(s, rule_style()));
    chart.draw_series(series).map_err(msg)?;
    Ok(())
}

fn rule_legend<DB: DrawingBackend>(chart: &mut Ctx<'_, DB>, c: &Chart) -> Result<(), String> {
    for label in rule_labels(&c.rules) {
        let legend = |(x, y): (i32, i32)| PathElement::new([(x, y), (x + 24, y)], rule_style());
        chart
            .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
            .map_err(msg)?
            .label(label)
            .legend(legend);
    }
    Ok(())
}

/// A line, broken where undefined (a lone point as a dot), with its legend entry.
fn draw_line<DB: DrawingBackend>(
    chart: &mut Ctx<'_, DB>,
    c: &Chart,
    line: &Line,
) -> Result<(), String> {
    // Wide lines through dense zig-zags render with spikes in the bitmap backend.
    let width = if c.xs.len() > DENSE { 1 } else { line.width };
    let style = line.color.stroke_width(width);
    let sample = line.color.stroke_width(line.width.max(3));
    let legend = move |(x, y): (i32, i32)| PathElement::new([(x, y), (x + 24, y)], sample);
    chart
        .draw_series(LineSeries::new(Vec::new(), style))
        .map_err(msg)?
        .label(&line.label)
        .legend(legend);
    for run in c.line_runs(line) {
        if let [p] = run.as_slice() {
            let dot = Circle::new(*p, line.width + 2, line.color.filled());
            chart.draw_series(std::iter::once(dot)).map_err(msg)?;
        } else {
            chart
                .draw_series(LineSeries::new(run, style))
                .map_err(msg)?;
        }
    }
    Ok(())
}

/// A band run as a polygon (upper bounds forward, lower back), or a box `half` either side of
/// its one point.
fn band_shape(run: &[(f64, [f64; 2])], half: f64, style: ShapeStyle) -> Polygon<(f64, f64)> {
    let points: Vec<(f64, f64)> = match run {
        [(x, [lo, hi])] => vec![
            (x - half, *lo),
            (x + half, *lo),
            (x + half, *hi),
            (x - half, *hi),
        ],
        _ => (run.iter().map(|(x, b)| (*x, b[1])))
            .chain(run.iter().rev().map(|(x, b)| (*x, b[0])))
            .collect(),
    };
    Polygon::new(points, style)
}

/// The bounds of `targets` on `metric`, as ("≤", max) and ("≥", min).
fn target_bounds(targets: &[super::TargetResult], metric: &str) -> Vec<(&'static str, f64)> {
    let on = targets.iter().filter(|t| t.metric == metric);
    on.flat_map(|t| [t.max.map(|m| ("≤", m)), t.min.map(|m| ("≥", m))])
        .flatten()
        .collect()
}

/// `target: ≤ 120 s`, the bound shown as `factor` and `unit` show the metric.
fn target_label((word, bound): (&str, f64), factor: f64, unit: &str) -> String {
    let unit = if unit.is_empty() {
        String::new()
    } else {
        format!(" {unit}")
    };
    format!("target: {word} {}{unit}", tick(&(bound * factor)))
}

/// A tick label without trailing zeros: `10`, `2.5`.
fn tick(v: &f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Finite and small enough that the y range stays finite (no NaN or infinity reaches plotters).
fn plottable(y: f64) -> bool {
    y.is_finite() && y.abs() <= 1e300
}

fn finite_or(x: f64, fallback: f64) -> f64 {
    if x.is_finite() { x } else { fallback }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{IntervalQueue, IntervalStaff};
    use crate::stats::ci::Estimate;
    use indexmap::IndexMap;

    fn interval(i: usize, asa: Option<f64>, value: f64) -> IntervalReport {
        let queue = IntervalQueue {
            offered: value,
            answered: value * 0.9,
            abandoned: value * 0.1,
            asa_s: asa,
            asa_s_ci95: asa.map(|a| [a - 3.0, a + 3.0]),
            service_level: None,
        };
        let staff = IntervalStaff {
            scheduled: value / 2.0,
            busy: value / 3.0,
        };
        let start_s = 8.0 * 3600.0 + i as f64 * 1800.0;
        IntervalReport {
            start: crate::report::week_label(start_s),
            week: 1,
            start_s,
            queues: IndexMap::from([("phone".to_string(), queue)]),
            staff: IndexMap::from([("agents".to_string(), staff)]),
        }
    }

    fn report(intervals: Vec<IntervalReport>) -> Report {
        let asa = [("asa_s", 1.0, 0.5)];
        Report {
            intervals,
            ..crate::report::fixture::report("demo", 4, &asa, &asa)
        }
    }

    fn file<'a>(files: &'a [PlotFile], name: &str) -> &'a [u8] {
        let f = files.iter().find(|f| f.name == name);
        &f.unwrap_or_else(|| panic!("no {name}")).bytes
    }

    /// Checks the PNG signature and the IHDR size.
    fn assert_png(bytes: &[u8]) {
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(&bytes[12..16], b"IHDR");
        let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
        assert_eq!((be(16), be(20)), SIZE);
    }

    #[test]
    fn renders_every_plot_as_png_and_svg() {
        let ivs = (0..16)
            .map(|i| interval(i, (i % 5 != 2).then_some(20.0 + i as f64), 10.0 + i as f64))
            .collect();
        let files = render(&report(ivs)).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        let expected = [
            "phone-volume.png",
            "phone-volume.svg",
            "phone-asa.png",
            "phone-asa.svg",
            "staff-agents.png",
            "staff-agents.svg",
        ];
        assert_eq!(names, expected);
        for f in files.iter().filter(|f| f.name.ends_with(".png")) {
            assert_png(&f.bytes);
        }
        let svg = |n| String::from_utf8(file(&files, n).to_vec()).unwrap();
        let asa = svg("phone-asa.svg");
        assert!(asa.contains("demo · queue phone") && asa.contains("ASA) per interval"));
        assert!(asa.contains("band: 95% CI over 4 replications"));
        assert!(asa.contains("ASA (s)") && asa.contains("h since mon 08:00"));
        assert!(asa.contains("95% CI") && asa.contains("<polygon"));
        let volume = svg("phone-volume.svg");
        assert!(volume.contains("contacts per interval") && volume.contains("answered"));
        let staff = svg("staff-agents.svg");
        assert!(staff.contains("staff group agents") && staff.contains("scheduled"));
    }

    #[test]
    fn degenerate_reports_render() {
        let cases: Vec<Vec<IntervalReport>> = vec![
            vec![],
            vec![interval(0, Some(5.0), 3.0)],
            vec![interval(0, None, 0.0), interval(1, None, 0.0)],
            (0..3)
                .map(|i| interval(i, Some(f64::NAN), f64::NAN))
                .collect(),
            (0..3)
                .map(|i| interval(i, Some(f64::INFINITY), 1e300))
                .collect(),
        ];
        for ivs in cases {
            let files = render(&report(ivs)).unwrap();
            assert_eq!(files.len(), 6);
            assert_png(file(&files, "phone-asa.png"));
        }
    }

    #[test]
    fn long_spans_are_in_days_and_names_stay_file_names() {
        let ivs: Vec<IntervalReport> = (0..200).map(|i| interval(i, None, 1.0)).collect();
        assert!(TimeAxis::new(&ivs).label.starts_with("time (days since"));
        assert_eq!(safe_file_name("../a/b"), ".._a_b");
    }

    #[test]
    fn runs_split_at_gaps() {
        let pts = [(0.0, Some(1)), (1.0, None), (2.0, Some(2)), (3.0, Some(3))];
        let r = runs(pts.into_iter());
        assert_eq!(r, vec![vec![(0.0, 1)], vec![(2.0, 2), (3.0, 3)]]);
        assert_eq!([tick(&10.0), tick(&2.5), tick(&-0.0)], ["10", "2.5", "0"]);
    }

    #[test]
    fn the_x_range_spans_the_values_and_keeps_0_only_near_them() {
        let (lo, hi) = span_range(&[30.0, 31.0, 36.0]);
        assert!(
            (29.7..30.0).contains(&lo) && (36.0..36.3).contains(&hi),
            "{lo} {hi}"
        );
        assert_eq!(span_range(&[0.0, 150.0]).0, 0.0, "0 among the values");
        assert_eq!(span_range(&[5.0, 100.0]).0, 0.0, "0 near the values");
        let (lo, hi) = span_range(&[7.0]);
        assert!(lo < 7.0 && hi > 7.0, "one value sits inside");
        assert_eq!(span_range(&[]), (0.0, 1.0));
        assert_eq!(span_range(&[f64::NAN]), (0.0, 1.0));
        let (lo, _) = span_range(&[-5.0, 5.0]);
        assert!(lo < -5.0);
    }

    #[test]
    fn the_legend_goes_where_the_data_are_lower_and_clears_them() {
        // A line rising to the right: the left corner is free.
        let rising = [[(0.0, 0.0), (10.0, 100.0)]];
        let (side, top) = place_legend(&rising, (0.0, 10.0), 0.0, 105.0, (0.3, 0.4));
        assert_eq!((side, top), (Side::Left, 105.0));
        // Falling: the right one.
        let falling = [[(0.0, 100.0), (10.0, 0.0)]];
        let (side, _) = place_legend(&falling, (0.0, 10.0), 0.0, 105.0, (0.3, 0.4));
        assert_eq!(side, Side::Right);
        // High at both sides: the axis is raised until the box clears the lower side.
        let valley = [[(0.0, 100.0), (5.0, 0.0)], [(5.0, 0.0), (10.0, 80.0)]];
        let (side, top) = place_legend(&valley, (0.0, 10.0), 0.0, 105.0, (0.2, 0.5));
        assert_eq!(side, Side::Right);
        assert!((top - 160.0).abs() < 1e-9, "{top}");
        // The box's bottom, half-way down, then sits at 80, the data's top there.
        assert_eq!(highest_in(&valley, (8.0, 10.0)), Some(80.0));
        assert_eq!(highest_in(&valley, (4.0, 6.0)), Some(20.0));
        assert_eq!(highest_in(&valley, (11.0, 12.0)), None);
        assert_eq!(
            highest_in(&[[(3.0, 7.0), (3.0, 7.0)]], (0.0, 4.0)),
            Some(7.0)
        );
    }

    #[test]
    fn categories_label_whole_positions_only() {
        let names = ["a".to_string(), "b".to_string()];
        let labels: Vec<String> = [0.5, 1.0, 1.5, 2.0, 3.0]
            .iter()
            .map(|v| category(&names, *v))
            .collect();
        assert_eq!(labels, ["", "a", "", "b", ""]);
    }

    #[test]
    fn the_wait_plot_says_what_the_wait_is() {
        let est = Estimate {
            mean: Some(1.0),
            ci95: None,
        };
        let with = |m: &str| IndexMap::from([("asa_s".to_string(), est), (m.to_string(), est)]);
        assert_eq!(
            WaitKind::of(Some(&with("bookings"))),
            WaitKind::SlotLateness
        );
        assert_eq!(
            WaitKind::of(Some(&with("slot_utilization"))),
            WaitKind::SlotLateness
        );
        assert_eq!(
            WaitKind::of(Some(&with("unreached"))),
            WaitKind::ReleaseDelay
        );
        assert_eq!(WaitKind::of(Some(&with("offered"))), WaitKind::Answer);
        assert_eq!(WaitKind::of(None), WaitKind::Answer);
        let mut r = report(vec![
            interval(0, Some(5.0), 3.0),
            interval(1, Some(6.0), 3.0),
        ]);
        r.queues["phone"].insert("bookings".to_string(), est);
        let files = render(&r).unwrap();
        let svg = String::from_utf8(file(&files, "phone-asa.svg").to_vec()).unwrap();
        assert!(svg.contains("after their slot") && !svg.contains("speed of answer"));
    }

    #[test]
    fn target_labels_show_the_bound_in_the_metric_unit() {
        assert_eq!(target_label(("≤", 120.0), 1.0, "s"), "target: ≤ 120 s");
        assert_eq!(target_label(("≥", 0.8), 100.0, "%"), "target: ≥ 80 %");
        assert_eq!(target_label(("≥", 5.0), 1.0, ""), "target: ≥ 5");
    }
}
