//! A sweep of two parameters as a grid: a cell per point, coloured by a metric's mean (light
//! for low, dark for high), the value printed in it when the grid is small enough, and a
//! cross on the points that miss a target on the metric; a colour scale beside the grid gives
//! the values the colours stand for.

use super::{Figure, draw_header, font, msg, tick};
use crate::report::sweep::{Sweep, metric as metric_of};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde_json::Value;

/// Most cells that get their value printed.
const PRINTED: usize = 200;
/// Width of the colour scale right of the grid.
const SCALE_W: u32 = 150;
/// Colour of a point without a value.
const NO_VALUE: RGBColor = RGBColor(230, 230, 230);

/// The grid of a two-parameter sweep for one metric.
pub struct Heatmap {
    title: String,
    subtitle: String,
    labels: [Vec<String>; 2],
    axes: [String; 2],
    /// The metric's unit, e.g. `s` (empty for a count).
    unit: String,
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
        let shown_unit = if unit.is_empty() {
            String::new()
        } else {
            format!(" ({unit})")
        };
        Heatmap {
            title: format!("{} · {metric}{shown_unit}", s.scenario),
            subtitle: "the mean at each point: light low, dark high · × a missed target"
                .to_string(),
            labels: [
                xv.iter().map(label).collect(),
                yv.iter().map(label).collect(),
            ],
            axes: [s.parameters[0].clone(), s.parameters[1].clone()],
            unit: unit.to_string(),
            cells,
        }
    }

    /// White to dark red as `t` goes from 0 to 1.
    fn colour(t: f64) -> RGBColor {
        let t = t.clamp(0.0, 1.0);
        let mix = |a: f64, b: f64| (a + (b - a) * t) as u8;
        RGBColor(mix(255.0, 150.0), mix(245.0, 20.0), mix(235.0, 20.0))
    }

    /// The lowest and highest finite mean (none without one).
    fn extent(&self) -> Option<(f64, f64)> {
        let values = self
            .cells
            .iter()
            .filter_map(|c| c.2)
            .filter(|v| v.is_finite());
        values.fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((f64::min(lo, v), f64::max(hi, v))),
        })
    }

    /// The mean at the lightest colour, and the span to the darkest (1 when all are equal).
    fn range(&self) -> (f64, f64) {
        match self.extent() {
            Some((lo, hi)) if hi > lo => (lo, hi - lo),
            Some((lo, _)) => (lo.min(0.0), 1.0),
            None => (0.0, 1.0),
        }
    }

    /// The colour of a cell's mean.
    fn fill(&self, v: Option<f64>) -> RGBColor {
        let (lo, span) = self.range();
        v.filter(|v| v.is_finite())
            .map_or(NO_VALUE, |v| Self::colour((v - lo) / span))
    }

    /// A value on the scale, with its unit: `402 s`, `12.5 %`.
    fn scale_label(&self, v: f64) -> String {
        // About three significant digits: enough to read a colour by.
        let digits = match v.abs() {
            a if a >= 100.0 => 0,
            a if a >= 10.0 => 1,
            _ => 2,
        };
        let scale = 10f64.powi(digits);
        let text = tick(&((v * scale).round() / scale));
        if self.unit.is_empty() {
            text
        } else {
            format!("{text} {}", self.unit)
        }
    }

    /// The colour scale in `area`, over the pixel rows `ys` (the grid's): the colours from the
    /// lowest mean (bottom) to the highest (top), the ends and the middle labelled; one swatch
    /// when every mean is the same; and a grey swatch when some point has no value.
    fn draw_scale<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        ys: std::ops::Range<i32>,
    ) -> Result<(), String> {
        let Some((lo, hi)) = self.extent() else {
            return Ok(());
        };
        let base = area.get_base_pixel().1;
        let (top, bottom) = (ys.start - base, ys.end - base);
        if hi > lo {
            draw_gradient(area, top, bottom)?;
            let mid = (top + bottom) / 2;
            scale_text(area, self.scale_label(hi), top, VPos::Top)?;
            scale_text(area, self.scale_label((lo + hi) / 2.0), mid, VPos::Center)?;
            scale_text(area, self.scale_label(lo), bottom, VPos::Bottom)?;
        } else {
            let mid = (top + bottom) / 2;
            swatch(area, self.fill(Some(lo)).filled(), mid - 20, mid + 20)?;
            scale_text(
                area,
                format!("all {}", self.scale_label(lo)),
                mid,
                VPos::Center,
            )?;
        }
        if self.cells.iter().any(|c| !c.2.is_some_and(f64::is_finite)) {
            swatch(area, NO_VALUE.filled(), bottom + 24, bottom + 40)?;
            scale_text(area, "no value".to_string(), bottom + 32, VPos::Center)?;
        }
        Ok(())
    }
}

/// The scale's column of colour, in pixels from `SCALE_X.0` to `SCALE_X.1`.
const SCALE_X: (i32, i32) = (16, 40);

/// The colours from light (at `bottom`) to dark (at `top`), framed.
fn draw_gradient<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    top: i32,
    bottom: i32,
) -> Result<(), String> {
    let steps = 64;
    let row = |k: i32| bottom - (bottom - top) * k / steps;
    for k in 0..steps {
        let t = (f64::from(k) + 0.5) / f64::from(steps);
        swatch(area, Heatmap::colour(t).filled(), row(k + 1), row(k))?;
    }
    swatch(area, RGBColor(120, 120, 120).into(), top, bottom)
}

/// A rectangle in the scale's column from row `top` to row `bottom`: filled, or a frame.
fn swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    style: ShapeStyle,
    top: i32,
    bottom: i32,
) -> Result<(), String> {
    let rect = [(SCALE_X.0, top), (SCALE_X.1, bottom)];
    area.draw(&Rectangle::new(rect, style)).map_err(msg)
}

/// A label right of the scale's column, at row `y`.
fn scale_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: String,
    y: i32,
    v: VPos,
) -> Result<(), String> {
    let style = font(14.0).into_font().color(&BLACK);
    let style = style.pos(Pos::new(HPos::Left, v));
    area.draw(&Text::new(text, (SCALE_X.1 + 8, y), style))
        .map_err(msg)
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
        let (w, _) = body.dim_in_pixel();
        let (grid, scale) = body.split_horizontally(w.saturating_sub(SCALE_W));
        let (nx, ny) = (self.labels[0].len().max(1), self.labels[1].len().max(1));
        let mut chart = ChartBuilder::on(&grid)
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
            Rectangle::new(
                [(x as f64, y as f64), (x as f64 + 1.0, y as f64 + 1.0)],
                self.fill(v).filled(),
            )
        });
        chart.draw_series(rects).map_err(msg)?;
        let printed = self.cells.len() <= PRINTED;
        let centre = Pos::new(HPos::Center, VPos::Center);
        let marks = self.cells.iter().filter_map(|&(x, y, v, missed)| {
            let text = match (printed, v, missed) {
                (true, Some(v), true) => format!("×{}", tick(&four_digits(v))),
                (true, Some(v), false) => tick(&four_digits(v)),
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
        self.draw_scale(&scale, chart.plotting_area().get_pixel_range().1)?;
        root.present().map_err(msg)
    }
}

/// `v` rounded to four significant digits (113.8, 7.6, 0.4567): enough to tell a missed 120.3
/// from a met 119.7 or a missed 7.6 from a met 7.9, short enough for a cell.
fn four_digits(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let decimals = (3 - v.abs().log10().floor() as i32).max(0);
    let scale = 10f64.powi(decimals);
    (v * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heatmap(values: &[Option<f64>], unit: &str) -> Heatmap {
        Heatmap {
            title: String::new(),
            subtitle: String::new(),
            labels: [vec!["a".to_string()], vec!["b".to_string()]],
            axes: [String::new(), String::new()],
            unit: unit.to_string(),
            cells: values.iter().map(|v| (0, 0, *v, false)).collect(),
        }
    }

    #[test]
    fn cells_keep_four_significant_digits() {
        assert_eq!(tick(&four_digits(7.6123)), "7.612");
        assert_eq!(tick(&four_digits(120.34)), "120.3");
        assert_eq!(tick(&four_digits(0.45678)), "0.4568");
        assert_eq!(tick(&four_digits(12_345.0)), "12345");
    }

    #[test]
    fn the_scale_gives_the_ends_in_the_unit() {
        let h = heatmap(&[Some(32.94), Some(402.3), None, Some(f64::NAN)], "s");
        assert_eq!(h.extent(), Some((32.94, 402.3)));
        assert_eq!(
            [h.scale_label(402.3), h.scale_label(32.94)],
            ["402 s", "32.9 s"]
        );
        assert_eq!(heatmap(&[], "").scale_label(0.1234), "0.12");
        assert_eq!(heatmap(&[None], "").extent(), None);
        let mut svg = String::new();
        h.draw_on(SVGBackend::with_string(&mut svg, (600, 400)).into_drawing_area())
            .unwrap();
        for text in ["402 s", "32.9 s", "no value"] {
            assert!(svg.contains(text), "the scale lacks {text:?}");
        }
        let mut svg = String::new();
        let same = heatmap(&[Some(5.0), Some(5.0)], "%");
        same.draw_on(SVGBackend::with_string(&mut svg, (600, 400)).into_drawing_area())
            .unwrap();
        assert!(svg.contains("all 5 %") && !svg.contains("no value"));
    }
}
