//! Plots of a report, rendered to in-memory PNG and SVG bytes: per queue the volume
//! (offered, answered and abandoned), the ASA with its ci95 band and its target line, and the
//! service level with its target line; per staff group the scheduled and busy agents; each
//! over the report intervals, on an axis of weekday and clock time.
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
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, LightPoints, Ranged};
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
    /// What the figure shows, in one sentence a planner understands (report.html's and the
    /// web page's caption), e.g. "Average speed of answer of queue phone per 30-min interval,
    /// mean over 60 replications, with its 95% interval and the target of at most 2 min."
    pub caption: String,
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
const PURPLE: RGBColor = RGBColor(148, 103, 189);
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

/// Renders every plot of `report`: `{q}-volume`, `{q}-asa` and `{q}-service-level` for each
/// queue and `staff-{g}` for each staff group, each as `.png` and `.svg`.
pub fn render(report: &Report) -> Result<Vec<PlotFile>, String> {
    register_embedded_font()?;
    let axis = TimeAxis::new(&report.intervals);
    let mut files = Vec::new();
    for q in report.queues.keys() {
        let (chart, caption) = volume(report, &axis, q);
        push_both(&mut files, &format!("{q}-volume"), &caption, &chart)?;
        let (chart, caption) = asa(report, &axis, q);
        push_both(&mut files, &format!("{q}-asa"), &caption, &chart)?;
        let (chart, caption) = service_level(report, &axis, q);
        push_both(&mut files, &format!("{q}-service-level"), &caption, &chart)?;
    }
    for g in report.staff.keys() {
        let (chart, caption) = staff(report, &axis, g);
        push_both(&mut files, &format!("staff-{g}"), &caption, &chart)?;
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

/// Renders `chart` as `{stem}.png` and `{stem}.svg`, both captioned `caption`.
fn push_both<F: Figure>(
    files: &mut Vec<PlotFile>,
    stem: &str,
    caption: &str,
    chart: &F,
) -> Result<(), String> {
    let stem = safe_file_name(stem);
    files.push(PlotFile {
        name: format!("{stem}.png"),
        caption: caption.to_string(),
        bytes: png(chart).map_err(|e| format!("{stem}.png: {e}"))?,
    });
    files.push(PlotFile {
        name: format!("{stem}.svg"),
        caption: caption.to_string(),
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

const HOUR_S: f64 = 3600.0;
const DAY_S: f64 = 86_400.0;
const WEEK_S: f64 = 7.0 * DAY_S;

/// The x axis over the report intervals, named by weekday and clock time (`Mon 08:00`).
///
/// When the intervals in which anything happens (contacts arrive or agents are on duty) fill
/// less than 60% of the span, as a week of day shifts does, the axis shows only those: each
/// day's stretch after the other with a blank interval between, ticks at each stretch's
/// start (`Tue 08:00`) and at round hours within it (`12:00`). Otherwise it is the clock from
/// the first such interval to the last, x in hours, ticks every 1, 2, 4, 6 or 12 hours, or
/// every day or week, as the span asks.
struct TimeAxis {
    /// Each interval's midpoint on the axis; NaN for an interval left out (lines break there).
    xs: Vec<f64>,
    x_max: f64,
    label: String,
    /// The intervals' length in words, e.g. `30-min` (empty with fewer than two intervals).
    every: String,
    ticks: Ticks,
}

/// Tick positions on an x axis, and their names.
#[derive(Debug, Clone, Default)]
struct Ticks {
    bold: Vec<f64>,
    /// The name of each bold tick; empty: plain numbers (or the categories).
    names: Vec<String>,
    light: Vec<f64>,
}

impl Ticks {
    /// The name of the bold tick at `v`.
    fn name_at(&self, v: f64) -> Option<&str> {
        let i = self.bold.iter().position(|b| (b - v).abs() < 1e-9)?;
        self.names.get(i).map(String::as_str)
    }
}

/// Least share of the span the busy intervals must fill for the axis to show the whole clock.
const COMPRESS_BELOW: f64 = 0.6;

impl TimeAxis {
    fn new(intervals: &[IntervalReport]) -> Self {
        let starts: Vec<f64> = intervals.iter().map(|iv| iv.start_s).collect();
        let busy: Vec<bool> = intervals
            .iter()
            .map(|iv| {
                iv.queues
                    .values()
                    .any(|q| q.offered > 0.0 || q.answered > 0.0)
                    || iv.staff.values().any(|g| g.scheduled > 0.0 || g.busy > 0.0)
            })
            .collect();
        TimeAxis::over_busy(&starts, &busy)
    }

    /// The clock axis over all intervals starting at `starts` (seconds since time 0).
    fn over(starts: &[f64]) -> Self {
        TimeAxis::over_busy(starts, &vec![true; starts.len()])
    }

    /// The axis over intervals starting at `starts`, of which those with `busy` set matter.
    fn over_busy(starts: &[f64], busy: &[bool]) -> Self {
        let step = match starts {
            [a, b, ..] if b > a && (b - a).is_finite() => Some(b - a),
            _ => None,
        };
        let (every, step) = match step {
            Some(s) => (duration(s).replace(' ', "-"), s),
            None => (String::new(), HOUR_S),
        };
        let first = busy.iter().position(|b| *b);
        let last = busy.iter().rposition(|b| *b);
        let (first, last) = match (first, last) {
            (Some(f), Some(l)) => (f, l),
            _ => (0, starts.len().saturating_sub(1)),
        };
        let kept = (first..=last)
            .filter(|&i| busy.get(i) == Some(&true))
            .count();
        let stretches = stretches(busy, first, last);
        let intervals = format!("{every} intervals").trim_start().to_string();
        if stretches.len() > 1 && (kept as f64) < COMPRESS_BELOW * (last + 1 - first) as f64 {
            let (xs, x_max, ticks) = compressed(starts, &stretches, step);
            return TimeAxis {
                xs,
                x_max,
                label: format!(
                    "day and time of day ({intervals}; hours with no contacts and no agents left out)"
                ),
                every,
                ticks,
            };
        }
        let t0 = starts
            .get(first)
            .copied()
            .filter(|t| t.is_finite())
            .unwrap_or(0.0);
        let span = starts.get(last).map_or(0.0, |s| finite_or(s - t0, 0.0)) + step;
        let x_max = finite_or(span / HOUR_S, 1.0).max(f64::EPSILON);
        let ticks = clock_ticks(t0, span);
        TimeAxis {
            xs: starts
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    if (first..=last).contains(&i) {
                        (s - t0 + step / 2.0) / HOUR_S
                    } else {
                        f64::NAN
                    }
                })
                .collect(),
            x_max,
            label: if every.is_empty() {
                "day and time of day".to_string()
            } else {
                format!("day and time of day ({intervals})")
            },
            every,
            ticks,
        }
    }

    /// `per 30-min interval`, or `per interval` when the length is unknown.
    fn per(&self) -> String {
        if self.every.is_empty() {
            "per interval".to_string()
        } else {
            format!("per {} interval", self.every)
        }
    }
}

/// The runs of consecutive busy intervals in `first..=last`, as index ranges.
fn stretches(busy: &[bool], first: usize, last: usize) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for i in first..=last {
        if !busy.get(i).copied().unwrap_or(false) {
            continue;
        }
        match out.last_mut() {
            Some(r) if r.end == i => r.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// The compressed axis: x counts intervals, each stretch after the other with one blank
/// interval between. Ticks at each stretch's start, named with the weekday, and at whole
/// hours within it (every 2, 4 or 6 hours, as the stretches' number asks), named by the time.
fn compressed(
    starts: &[f64],
    stretches: &[std::ops::Range<usize>],
    step: f64,
) -> (Vec<f64>, f64, Ticks) {
    let mut xs = vec![f64::NAN; starts.len()];
    let mut ticks = Ticks::default();
    let mut x = 0.0;
    let longest = stretches.iter().map(|r| r.len()).max().unwrap_or(1) as f64 * step / HOUR_S;
    // About 12 names in all: each stretch's start plus some whole hours.
    let per_stretch = (12.0 / stretches.len() as f64 - 1.0).max(0.0);
    let every_h = [1.0, 2.0, 3.0, 4.0, 6.0, 12.0]
        .into_iter()
        .find(|h| longest / h <= per_stretch)
        .unwrap_or(f64::INFINITY);
    for (k, r) in stretches.iter().enumerate() {
        if k > 0 {
            x += 1.0;
        }
        let x_start = x;
        for i in r.clone() {
            xs[i] = x + 0.5;
            x += 1.0;
        }
        let t0 = starts[r.start];
        ticks.bold.push(x_start);
        ticks.names.push(clock_label(t0, 0.0, false));
        // Light lines at each whole hour, named ones at every `every_h` hours.
        let t1 = t0 + r.len() as f64 * step;
        let mut h = (t0 / HOUR_S).floor() + 1.0;
        while h * HOUR_S < t1 - 1e-6 {
            let at = x_start + (h * HOUR_S - t0) / step;
            let clock = (h.rem_euclid(24.0)) as u32;
            if every_h.is_finite() && (clock as f64 % every_h) == 0.0 && at - x_start >= 1.5 {
                ticks.bold.push(at);
                ticks.names.push(format!("{clock:02}:00"));
            } else {
                ticks.light.push(at);
            }
            h += 1.0;
        }
    }
    (xs, x.max(f64::EPSILON), ticks)
}

/// Ticks at round clock times over `[t0, t0 + span]` (seconds), as hours since `t0`: bold
/// ones (named) at most about 10, so that their names fit, and light ones between them.
fn clock_ticks(t0: f64, span: f64) -> Ticks {
    let hours = span / HOUR_S;
    // (bold step, light step) in hours: the first whose bold ticks number at most 10.
    let steps: [(f64, f64); 9] = [
        (1.0, 0.25),
        (2.0, 1.0),
        (4.0, 1.0),
        (6.0, 1.0),
        (12.0, 2.0),
        (24.0, 6.0),
        (48.0, 12.0),
        (168.0, 24.0),
        (336.0, 168.0),
    ];
    let (bold, light) = steps
        .into_iter()
        .find(|(b, _)| hours / b <= 10.0)
        .unwrap_or_else(|| {
            let weeks = (hours / 168.0 / 10.0).ceil().max(1.0);
            (168.0 * weeks, 168.0)
        });
    let at = |every_h: f64| -> Vec<f64> {
        let every = every_h * HOUR_S;
        if !(span.is_finite() && t0.is_finite()) || span <= 0.0 {
            return vec![];
        }
        let first = (t0 / every).ceil() as i64;
        let last = ((t0 + span) / every).floor() as i64;
        (first..=last)
            .take(10_000)
            .map(|k| (k as f64 * every - t0) / HOUR_S)
            .collect()
    };
    let weeks = (t0 / WEEK_S).floor() != ((t0 + span - 1.0) / WEEK_S).floor();
    let bold = at(bold);
    Ticks {
        names: bold.iter().map(|h| clock_label(t0, *h, weeks)).collect(),
        bold,
        light: at(light),
    }
}

/// `Mon 08:00` (and `, wk 2` on an axis spanning weeks) for `hours` after `origin_s`.
fn clock_label(origin_s: f64, hours: f64, weeks: bool) -> String {
    let t = origin_s + hours * HOUR_S;
    let label = crate::calendar::week_label(t);
    let mut chars = label.chars();
    let day: String = chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .collect();
    let named = day + chars.as_str();
    if weeks {
        format!("{named}, wk {}", (t / WEEK_S).floor() as i64 + 1)
    } else {
        named
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

/// A bound in words for a caption: `at most 2 min`, `at least 80 %`.
fn bound_words((word, bound): (&str, f64), factor: f64, unit: &str) -> String {
    let side = if word == "≤" { "at most" } else { "at least" };
    let v = bound * factor;
    let shown = if unit == "s" && v >= 60.0 && (v % 60.0).abs() < 1e-9 {
        format!("{} min", tick(&(v / 60.0)))
    } else if unit.is_empty() {
        tick(&v)
    } else {
        format!("{} {unit}", tick(&v))
    };
    format!("{side} {shown}")
}

/// `, with the target of at most 2 min` (or the targets), or nothing without a bound.
fn target_words(bounds: &[(&'static str, f64)], factor: f64, unit: &str) -> String {
    let words: Vec<String> = bounds
        .iter()
        .map(|b| bound_words(*b, factor, unit))
        .collect();
    match words.as_slice() {
        [] => String::new(),
        [one] => format!(" and the target of {one}"),
        _ => format!(" and the targets of {}", words.join(" and ")),
    }
}

/// A queue metric's target bounds, on the metric or its pooled form.
fn queue_bounds(report: &Report, q: &str, metric: &str) -> Vec<(&'static str, f64)> {
    let mut out = target_bounds(&report.targets, &format!("{q}.{metric}"));
    out.extend(target_bounds(
        &report.targets,
        &format!("{q}.{metric}_pooled"),
    ));
    out
}

/// Red rules at `bounds` across the axis, each labelled with its bound.
fn rules_at(bounds: &[(&'static str, f64)], factor: f64, unit: &str, axis: &TimeAxis) -> Vec<Rule> {
    bounds
        .iter()
        .map(|b| Rule {
            label: target_label(*b, factor, unit),
            y: b.1 * factor,
            x: (0.0, axis.x_max),
        })
        .collect()
}

fn volume(report: &Report, axis: &TimeAxis, q: &str) -> (Chart, String) {
    let of = |f: fn(&super::IntervalQueue) -> f64| -> Vec<Option<f64>> {
        let iv = report.intervals.iter();
        iv.map(|iv| iv.queues.get(q).map(f)).collect()
    };
    let chart = Chart {
        title: format!("{} · queue {q}", report.scenario),
        subtitle: format!(
            "contacts offered, answered and abandoned (means over {})",
            reps(report)
        ),
        y_label: "contacts per interval".to_string(),
        lines: vec![
            Line::new("offered", BLUE_, of(|v| v.offered)).wide(),
            Line::new("answered", GREEN_, of(|v| v.answered)),
            Line::new("abandoned", PURPLE, of(|v| v.abandoned)),
        ],
        bands: vec![],
        ..Chart::on(axis)
    };
    let caption = format!(
        "Contacts offered to queue {q}, answered and abandoned {}, by the interval of their arrival, mean over {}.",
        axis.per(),
        reps(report)
    );
    (chart, caption)
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

    /// What is plotted for queue `q`, as a caption's subject.
    fn noun(self, q: &str) -> String {
        match self {
            WaitKind::Answer => {
                format!("Average speed of answer (mean wait of the answered contacts) of queue {q}")
            }
            WaitKind::SlotLateness => {
                format!(
                    "Lateness of the calls booked into queue {q}'s slots after their slot's start"
                )
            }
            WaitKind::ReleaseDelay => format!(
                "Delay of queue {q}'s outbound calls from their release until an agent takes them"
            ),
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

fn asa<'a>(report: &'a Report, axis: &TimeAxis, q: &str) -> (Chart, String) {
    let queue = |iv: &'a IntervalReport| iv.queues.get(q);
    let ivs = &report.intervals;
    let kind = WaitKind::of(report.queues.get(q));
    let [note, what, y_label, mean] = kind.words();
    let bounds = queue_bounds(report, q, "asa_s");
    let chart = Chart {
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
        rules: rules_at(&bounds, 1.0, "s", axis),
        ..Chart::on(axis)
    };
    let caption = format!(
        "{} {}, mean over {}, with its 95% interval{}.",
        kind.noun(q),
        axis.per(),
        reps(report),
        target_words(&bounds, 1.0, "s")
    );
    (chart, caption)
}

fn service_level(report: &Report, axis: &TimeAxis, q: &str) -> (Chart, String) {
    let ivs = &report.intervals;
    let pct = |v: f64| v * 100.0;
    let bounds = queue_bounds(report, q, "service_level");
    let chart = Chart {
        title: format!("{} · queue {q}", report.scenario),
        subtitle: format!(
            "service level per interval: answered within the threshold / offered (mean over {})",
            reps(report)
        ),
        y_label: "service level (%)".to_string(),
        lines: vec![Line::new(
            "service level (mean)",
            GREEN_,
            ivs.iter()
                .map(|iv| iv.queues.get(q)?.service_level.map(pct))
                .collect(),
        )],
        rules: rules_at(&bounds, 100.0, "%", axis),
        y_top: Some(100.0),
        ..Chart::on(axis)
    };
    let caption = format!(
        "Service level of queue {q} {} (the share of the contacts arriving in it that were answered within the queue's service-level threshold), mean over {}{}.",
        axis.per(),
        reps(report),
        target_words(&bounds, 100.0, "%")
    );
    (chart, caption)
}

fn staff(report: &Report, axis: &TimeAxis, g: &str) -> (Chart, String) {
    let of = |f: fn(&super::IntervalStaff) -> f64| -> Vec<Option<f64>> {
        let iv = report.intervals.iter();
        iv.map(|iv| iv.staff.get(g).map(f)).collect()
    };
    let chart = Chart {
        title: format!("{} · staff group {g}", report.scenario),
        subtitle: format!("agents scheduled and busy (means over {})", reps(report)),
        y_label: "agents (time-average per interval)".to_string(),
        lines: vec![
            Line::new("scheduled", GREY, of(|v| v.scheduled)).wide(),
            Line::new("busy", BLUE_, of(|v| v.busy)),
        ],
        bands: vec![],
        ..Chart::on(axis)
    };
    let caption = format!(
        "Agents of staff group {g} scheduled and busy {} (time-averages), mean over {}; the gap between the lines is idle time.",
        axis.per(),
        reps(report)
    );
    (chart, caption)
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
    /// The x ticks when they are not plotters' round numbers (a clock axis).
    x_ticks: Option<Ticks>,
    /// The y axis reaches at least this high (100 for a percentage).
    y_top: Option<f64>,
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
            x_ticks: Some(axis.ticks.clone()),
            y_top: None,
        }
    }

    /// The x axis's ticks: the clock's, or plotters' round numbers (one per category on a
    /// categorical axis that names each) with its light lines between them.
    fn ticks(&self) -> Ticks {
        if let Some(t) = &self.x_ticks {
            return t.clone();
        }
        let named = &self.categories;
        let (bold, light_per) = if (1..=MAX_NAMED).contains(&named.len()) {
            // With one more point than categories plotters steps by 1, onto the categories.
            (named.len() + 1, 0)
        } else if !named.is_empty() {
            // Too many to name each: round ticks, named where they fall on one.
            (12, 0)
        } else {
            // plotters' defaults: 11 labels, 10 light lines per label.
            (11, 10)
        };
        let (lo, hi) = self.x_range;
        let range = RangedCoordf64::from(lo..hi);
        Ticks {
            bold: range.key_points(bold),
            light: range.key_points(LightPoints::new(bold, bold * light_per)),
            names: vec![],
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

type Ctx<'a, DB> = ChartContext<'a, DB, Cartesian2d<KeyedAxis, RangedCoordf64>>;

/// A numeric x axis whose ticks are given (plotters' `WithKeyPoints` over an `f64` range
/// cannot take a label formatter).
struct KeyedAxis {
    inner: RangedCoordf64,
    ticks: Ticks,
}

impl Ranged for KeyedAxis {
    type ValueType = f64;
    type FormatOption = DefaultFormatting;

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.ticks.light.clone()
        } else {
            self.ticks.bold.clone()
        }
    }

    fn axis_pixel_range(&self, limit: (i32, i32)) -> std::ops::Range<i32> {
        self.inner.axis_pixel_range(limit)
    }
}

fn msg<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> String {
    e.to_string()
}

/// The axes and plot area over `x` (with `ticks`) and `y` in `body`.
fn frame<'a, DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    x: (f64, f64),
    y: (f64, f64),
    ticks: &Ticks,
) -> Result<Ctx<'a, DB>, String> {
    let x_axis = KeyedAxis {
        inner: (x.0..x.1).into(),
        ticks: ticks.clone(),
    };
    ChartBuilder::on(body)
        .margin(20)
        .margin_top(4)
        .x_label_area_size(64)
        .y_label_area_size(90)
        .build_cartesian_2d(x_axis, y.0..y.1)
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
    let top = c.y_top.map_or(top, |t| top.max(t * 1.02));
    let (w, h) = frame(body, (0.0, 1.0), (0.0, 1.0), &Ticks::default())?
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
    let mut chart = frame(&body, c.x_range, y, &c.ticks())?;
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
    label_rules(&mut chart, c, side, y)?;
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
    let ticks = c.ticks();
    let x_tick = |v: &f64| match ticks.name_at(*v) {
        Some(name) => name.to_string(),
        None if names.is_empty() => tick(v),
        None => category(names, *v),
    };
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(&c.x_label)
        .y_desc(&c.y_label)
        .label_style(font(16.0))
        .axis_desc_style(font(18.0))
        .light_line_style(RGBColor(238, 238, 238))
        .x_label_formatter(&x_tick)
        .y_label_formatter(&tick);
    // The x ticks are the axis's own key points (`Chart::ticks`), whatever count is asked.
    mesh.x_labels(ticks.bold.len().max(1));
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

/// Each rule's label written on the chart, just above the rule at the end away from the
/// legend, so that a reader sees which line is the target without the legend.
fn label_rules<DB: DrawingBackend>(
    chart: &mut Ctx<'_, DB>,
    c: &Chart,
    legend: Side,
    y: (f64, f64),
) -> Result<(), String> {
    let (x0, x1) = c.x_range;
    let inset = (x1 - x0) * 0.01;
    let (x, h) = match legend {
        Side::Left => (x1 - inset, HPos::Right),
        Side::Right => (x0 + inset, HPos::Left),
    };
    let style = font(15.0)
        .into_font()
        .color(&TARGET)
        .pos(Pos::new(h, VPos::Bottom));
    let mut seen: Vec<(&str, f64)> = Vec::new();
    for r in c.plotted_rules().filter(|r| r.y >= y.0 && r.y <= y.1) {
        if seen.iter().any(|(l, v)| *l == r.label && *v == r.y) {
            continue;
        }
        seen.push((&r.label, r.y));
        // A few pixels above the line: 0.6% of the y range.
        let text = Text::new(
            r.label.clone(),
            (x, r.y + (y.1 - y.0) * 0.006),
            style.clone(),
        );
        chart.draw_series(std::iter::once(text)).map_err(msg)?;
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
            "phone-service-level.png",
            "phone-service-level.svg",
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
        assert!(asa.contains("ASA (s)") && asa.contains("Mon 08:00") && asa.contains("Mon 12:00"));
        assert!(asa.contains("day and time of day (30-min intervals)"));
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
            assert_eq!(files.len(), 8);
            assert_png(file(&files, "phone-asa.png"));
        }
    }

    #[test]
    fn long_spans_are_in_days_and_names_stay_file_names() {
        // 200 half-hours from Mon 08:00 to Fri 12:00: a tick every 12 h, at midnight and noon.
        let ivs: Vec<IntervalReport> = (0..200).map(|i| interval(i, None, 1.0)).collect();
        let axis = TimeAxis::new(&ivs);
        assert_eq!(
            axis.ticks.names[..3],
            ["Mon 12:00", "Tue 00:00", "Tue 12:00"]
        );
        assert_eq!(axis.ticks.bold[0], 4.0, "4 h after the first start");
        assert_eq!(safe_file_name("../a/b"), ".._a_b");
        // Spanning weeks, the names say which.
        let weeks = clock_ticks(0.0, 3.0 * WEEK_S);
        assert_eq!(weeks.names[..2], ["Mon 00:00, wk 1", "Mon 00:00, wk 2"]);
        assert_eq!(clock_label(8.0 * HOUR_S, 1.5, false), "Mon 09:30");
    }

    #[test]
    fn days_of_short_shifts_are_shown_without_the_nights() {
        // Five days with agents 08:00-16:00 (16 half-hours), nothing at night.
        let ivs: Vec<IntervalReport> = (0..5 * 48)
            .map(|i| {
                let mut iv = interval(0, Some(1.0), 0.0);
                iv.start_s = i as f64 * 1800.0;
                iv.start = crate::report::week_label(iv.start_s);
                let day = (16..32).contains(&(i % 48));
                iv.staff["agents"].scheduled = if day { 3.0 } else { 0.0 };
                iv
            })
            .collect();
        let axis = TimeAxis::new(&ivs);
        assert!(axis.label.contains("left out"), "{}", axis.label);
        assert_eq!(axis.xs.iter().filter(|x| x.is_finite()).count(), 5 * 16);
        assert_eq!(
            axis.x_max,
            (5 * 16 + 4) as f64,
            "a blank interval between days"
        );
        let names = &axis.ticks.names;
        assert!(
            names.contains(&"Mon 08:00".to_string()) && names.contains(&"Fri 08:00".to_string())
        );
        assert!(names.contains(&"12:00".to_string()), "{names:?}");
        // The line breaks at the nights: five runs.
        let chart = staff(&report(ivs.clone()), &axis, "agents").0;
        assert_eq!(chart.line_runs(&chart.lines[0]).len(), 5);
        // A clock over all of them when the busy intervals fill most of the span.
        let all = TimeAxis::over(&ivs.iter().map(|iv| iv.start_s).collect::<Vec<_>>());
        assert!(!all.label.contains("left out") && all.x_max == 120.0);
    }

    #[test]
    fn the_asa_and_service_level_plots_draw_their_targets() {
        let ivs: Vec<IntervalReport> = (0..16)
            .map(|i| {
                let mut iv = interval(i, Some(30.0 + i as f64), 10.0);
                iv.queues["phone"].service_level = Some(0.7);
                iv
            })
            .collect();
        let mut r = report(ivs);
        let t = |metric: &str, min: Option<f64>, max: Option<f64>| crate::report::TargetResult {
            metric: metric.to_string(),
            min,
            max,
            value: Some(1.0),
            ci95: None,
            met: true,
            met_strict: true,
        };
        r.targets = vec![
            t("phone.asa_s", None, Some(120.0)),
            t("phone.service_level", Some(0.8), None),
        ];
        let files = render(&r).unwrap();
        let svg = |n| String::from_utf8(file(&files, n).to_vec()).unwrap();
        // In the legend and on the line.
        assert_eq!(svg("phone-asa.svg").matches("target: ≤ 120 s").count(), 2);
        assert_eq!(
            svg("phone-service-level.svg")
                .matches("target: ≥ 80 %")
                .count(),
            2
        );
        let caption = |n| files.iter().find(|f| f.name == n).unwrap().caption.clone();
        assert_eq!(
            caption("phone-asa.png"),
            "Average speed of answer (mean wait of the answered contacts) of queue phone per 30-min interval, mean over 4 replications, with its 95% interval and the target of at most 2 min."
        );
        assert!(caption("phone-service-level.svg").ends_with("and the target of at least 80 %."));
        assert!(
            files
                .iter()
                .all(|f| f.caption.ends_with('.') && !f.caption.contains(".svg"))
        );
        // Without targets: no rule, and the caption says none.
        r.targets.clear();
        let files = render(&r).unwrap();
        assert!(!String::from_utf8_lossy(file(&files, "phone-asa.svg")).contains("target"));
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
