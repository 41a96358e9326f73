//! A sweep of two parameters as a grid: a cell per point, coloured by a metric's mean (light
//! for low, dark for high), the value printed in it when the grid is small enough, and a
//! cross on the points that miss a target on the metric.

use super::{Figure, draw_header, font, msg, tick};
use crate::report::sweep::{Sweep, metric as metric_of};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde_json::Value;

/// Most cells that get their value printed.
const PRINTED: usize = 200;

/// The grid of a two-parameter sweep for one metric.
pub struct Heatmap {
    title: String,
    subtitle: String,
    labels: [Vec<String>; 2],
    axes: [String; 2],
    /// Per point: x index, y index, the mean in the shown unit, whether a target is missed.
    cells: Vec<(usize, usize, Option<f64>, bool)>,
}

impl Heatmap {
    /// The grid of `metric` in `s`, shown as `(factor, unit)`.
    pub fn new(s: &Sweep, metric: &str, (factor, unit): (f64, &str)) -> Self {
        let (xv, yv) = (distinct(s, 0), distinct(s, 1));
        let label = |v: &Value| v.as_str().map_or(v.to_string(), str::to_string);
        let index = |values: &[Value], p: &crate::report::sweep::PointSummary, i: usize| {
            values
                .iter()
                .position(|v| Some(v) == p.values.get_index(i).map(|(_, v)| v))
        };
        let cells = s
            .points
            .iter()
            .filter_map(|p| {
                let mean = metric_of(p, metric)
                    .and_then(|e| e.mean)
                    .map(|m| m * factor);
                let missed = p.targets.iter().any(|t| t.metric == metric && !t.met);
                Some((index(&xv, p, 0)?, index(&yv, p, 1)?, mean, missed))
            })
            .collect();
        let unit = if unit.is_empty() {
            String::new()
        } else {
            format!(" ({unit})")
        };
        Heatmap {
            title: format!("{} · {metric}{unit}", s.scenario),
            subtitle: "the mean at each point: light low, dark high · × a missed target"
                .to_string(),
            labels: [
                xv.iter().map(label).collect(),
                yv.iter().map(label).collect(),
            ],
            axes: [s.parameters[0].clone(), s.parameters[1].clone()],
            cells,
        }
    }

    /// White to dark red as `t` goes from 0 to 1.
    fn colour(t: f64) -> RGBColor {
        let t = t.clamp(0.0, 1.0);
        let mix = |a: f64, b: f64| (a + (b - a) * t) as u8;
        RGBColor(mix(255.0, 150.0), mix(245.0, 20.0), mix(235.0, 20.0))
    }

    /// The lowest and highest finite mean, and their span (1 when they are equal).
    fn range(&self) -> (f64, f64) {
        let values = self
            .cells
            .iter()
            .filter_map(|c| c.2)
            .filter(|v| v.is_finite());
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        if hi > lo {
            (lo, hi - lo)
        } else {
            (lo.min(0.0), 1.0)
        }
    }
}

/// The values parameter `i` takes, in order of first appearance.
fn distinct(s: &Sweep, i: usize) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for p in &s.points {
        let v = p
            .values
            .get_index(i)
            .map_or(Value::Null, |(_, v)| v.clone());
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

impl Figure for Heatmap {
    fn draw_on<DB: DrawingBackend>(&self, root: DrawingArea<DB, Shift>) -> Result<(), String> {
        root.fill(&WHITE).map_err(msg)?;
        let (header, body) = root.split_vertically(72);
        draw_header(&header, &self.title, &self.subtitle)?;
        let (nx, ny) = (self.labels[0].len().max(1), self.labels[1].len().max(1));
        let mut chart = ChartBuilder::on(&body)
            .margin(20)
            .margin_top(4)
            .x_label_area_size(64)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..nx as f64, 0.0..ny as f64)
            .map_err(msg)?;
        // Tick labels at cell centres name the parameter values.
        let name = |labels: &[String], v: f64| {
            let i = (v - 0.5).round();
            if (v - 0.5 - i).abs() < 1e-6 && i >= 0.0 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        };
        let (xl, yl) = (&self.labels[0], &self.labels[1]);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(&self.axes[0])
            .y_desc(&self.axes[1])
            .label_style(font(14.0))
            .axis_desc_style(font(18.0))
            .x_labels(2 * nx + 1)
            .y_labels(2 * ny + 1)
            .x_label_formatter(&|v| name(xl, *v))
            .y_label_formatter(&|v| name(yl, *v))
            .draw()
            .map_err(msg)?;
        let (lo, span) = self.range();
        let rects = self.cells.iter().map(|&(x, y, v, _)| {
            let colour = v
                .filter(|v| v.is_finite())
                .map_or(RGBColor(230, 230, 230), |v| Self::colour((v - lo) / span));
            Rectangle::new(
                [(x as f64, y as f64), (x as f64 + 1.0, y as f64 + 1.0)],
                colour.filled(),
            )
        });
        chart.draw_series(rects).map_err(msg)?;
        let printed = self.cells.len() <= PRINTED;
        let centre = Pos::new(HPos::Center, VPos::Center);
        let marks = self.cells.iter().filter_map(|&(x, y, v, missed)| {
            let text = match (printed, v, missed) {
                (true, Some(v), true) => format!("×{}", tick(&v.round())),
                (true, Some(v), false) => tick(&v.round()),
                (_, _, true) => "×".to_string(),
                _ => return None,
            };
            let dark = v.is_some_and(|v| (v - lo) / span > 0.55);
            let style = font(12.0)
                .into_font()
                .color(if dark { &WHITE } else { &BLACK })
                .pos(centre);
            Some(Text::new(text, (x as f64 + 0.5, y as f64 + 0.5), style))
        });
        chart.draw_series(marks).map_err(msg)?;
        root.present().map_err(msg)
    }
}
