//! Sweep plots: each headline metric (the targets' metrics, or each queue's ASA, abandonment
//! and service level) against a swept parameter, one line per value of the others, each with
//! its 95% band, and every target bound drawn as a red line.

use super::{Band, Chart, Line, PlotFile, push_both, register_embedded_font};
use crate::report::sweep::{PointSummary, Sweep};
use plotters::style::RGBColor;
use serde_json::Value;

/// Most lines a plot shows (values of the other parameters, evenly picked).
const MAX_LINES: usize = 8;
use super::PALETTE;
const TARGET: RGBColor = RGBColor(214, 39, 40);

/// Renders `sweep-<metric>.png/.svg` for every headline metric. Nothing when no swept
/// parameter has numeric values.
pub fn render(s: &Sweep) -> Result<Vec<PlotFile>, String> {
    register_embedded_font()?;
    let Some(x) = x_parameter(s) else {
        return Ok(vec![]);
    };
    let mut files = Vec::new();
    for metric in s.headline() {
        push_both(
            &mut files,
            &format!("sweep-{metric}"),
            &chart(s, x, &metric),
        )?;
        if s.parameters.len() == 2 {
            let heatmap = super::heatmap::Heatmap::new(s, &metric, unit(&metric));
            push_both(&mut files, &format!("sweep-{metric}-heatmap"), &heatmap)?;
        }
    }
    Ok(files)
}

/// The last swept parameter whose values are all numbers.
fn x_parameter(s: &Sweep) -> Option<usize> {
    (0..s.parameters.len()).rev().find(|&i| {
        s.points
            .iter()
            .all(|p| p.values.get_index(i).is_some_and(|(_, v)| v.is_number()))
    })
}

/// How a metric is shown: a factor and a unit.
pub(super) fn unit(metric: &str) -> (f64, &'static str) {
    let base = metric
        .rsplit('.')
        .next()
        .unwrap_or(metric)
        .trim_end_matches("_pooled");
    if base.starts_with("booking_lead") {
        (1.0 / 86_400.0, "days")
    } else if base.ends_with("_s") {
        (1.0, "s")
    } else if base.ends_with("_rate") || base.ends_with("level") || base.ends_with("utilization") {
        (100.0, "%")
    } else {
        (1.0, "")
    }
}

fn chart(s: &Sweep, x: usize, metric: &str) -> Chart {
    let (factor, unit) = unit(metric);
    let key = |p: &PointSummary| -> Vec<Value> {
        p.values
            .values()
            .enumerate()
            .filter(|(i, _)| *i != x)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let mut groups: Vec<Vec<Value>> = Vec::new();
    for p in &s.points {
        if !groups.contains(&key(p)) {
            groups.push(key(p));
        }
    }
    let step = groups.len().div_ceil(MAX_LINES).max(1);
    let shown: Vec<&Vec<Value>> = groups.iter().step_by(step).collect();
    let xs: Vec<f64> = {
        let mut v: Vec<f64> = s
            .points
            .iter()
            .filter_map(|p| p.values.get_index(x)?.1.as_f64())
            .collect();
        v.sort_by(f64::total_cmp);
        v.dedup();
        v
    };
    let at = |g: &Vec<Value>, xv: f64| {
        s.points.iter().find(|p| {
            key(p) == *g && p.values.get_index(x).and_then(|(_, v)| v.as_f64()) == Some(xv)
        })
    };
    let estimate = |p: &PointSummary| super::super::sweep::metric(p, metric).copied();
    let others: Vec<&String> = s
        .parameters
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != x)
        .map(|(_, p)| p)
        .collect();
    let mut lines: Vec<Line> = shown
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let label = if others.is_empty() {
                format!("{metric} (mean)")
            } else {
                others
                    .iter()
                    .zip(g.iter())
                    .map(|(p, v)| format!("{} = {v}", short(p)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let values = xs
                .iter()
                .map(|xv| {
                    at(g, *xv)
                        .and_then(estimate)
                        .and_then(|e| e.mean)
                        .map(|m| m * factor)
                })
                .collect();
            Line::new(&label, PALETTE[i % MAX_LINES], values)
        })
        .collect();
    // A band per line; only the first has a legend entry, which says it stands for all.
    let bands = shown
        .iter()
        .enumerate()
        .map(|(i, g)| Band {
            label: match (i, shown.len()) {
                (0, 1) => "95% CI".to_string(),
                (0, _) => "95% CI of each line".to_string(),
                _ => String::new(),
            },
            color: PALETTE[i % MAX_LINES],
            bounds: xs
                .iter()
                .map(|xv| {
                    at(g, *xv)
                        .and_then(estimate)
                        .and_then(|e| e.ci95)
                        .map(|[a, b]| [a * factor, b * factor])
                })
                .collect(),
        })
        .collect();
    for (word, bound) in target_bounds(s, metric) {
        let shown_bound = super::tick(&(bound * factor));
        let label = format!("target: {word} {shown_bound} {unit}");
        lines.push(
            Line::new(
                &label,
                TARGET,
                xs.iter().map(|_| Some(bound * factor)).collect(),
            )
            .wide(),
        );
    }
    let x_max = xs.last().copied().unwrap_or(1.0).max(f64::EPSILON) * 1.02;
    Chart {
        title: format!("{} · sweep of {metric}", s.scenario),
        subtitle: if shown.len() == 1 {
            "mean over the replications of each point · band: 95% CI".to_string()
        } else {
            format!(
                "mean over the replications of each point, with its 95% CI band · {} of {} lines shown",
                shown.len(),
                groups.len()
            )
        },
        x_label: s.parameters[x].clone(),
        y_label: if unit.is_empty() {
            metric.to_string()
        } else {
            format!("{metric} ({unit})")
        },
        xs,
        x_max,
        lines,
        bands,
    }
}

/// The last part of a dotted path, with its parent: `office.arrivals.per_week` → `arrivals.per_week`.
fn short(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    parts[parts.len().saturating_sub(2)..].join(".")
}

/// The targets' bounds on `metric`, as ("max", value) and ("min", value).
fn target_bounds(s: &Sweep, metric: &str) -> Vec<(&'static str, f64)> {
    let Some(first) = s.points.first() else {
        return vec![];
    };
    let on = first.targets.iter().filter(|t| t.metric == metric);
    on.flat_map(|t| [t.max.map(|m| ("≤", m)), t.min.map(|m| ("≥", m))])
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sweep::Point;

    fn sweep() -> Sweep {
        let json = r#"{"horizon": "20h", "replications": 3, "seed": 2,
            "queues": {"phone": {"arrivals": {"per_hour": 100}, "handle_time": {"dist": "exponential", "mean": "3m"},
                                 "patience": {"dist": "exponential", "mean": "2m"}}},
            "staff": {"agents": {"count": 6, "serves": ["phone"]}},
            "targets": [{"metric": "phone.asa_s", "max": "5s"}]}"#;
        let base: Value = serde_json::from_str(json).unwrap();
        let mut points = Vec::new();
        for agents in [5, 6, 7] {
            for patience in ["1m", "3m"] {
                let v = crate::sweep::apply(&base, "staff.agents.count", &agents.into()).unwrap();
                let v = crate::sweep::apply(&v, "queues.phone.patience.mean", &patience.into())
                    .unwrap();
                let sc = crate::scenario::parse_value(v, "x.json").unwrap();
                let report = crate::runner::run(&sc, "", &|| {});
                let values = [
                    ("staff.agents.count".to_string(), agents.into()),
                    ("queues.phone.patience.mean".to_string(), patience.into()),
                ];
                points.push(Point {
                    values: values.into_iter().collect(),
                    report,
                });
            }
        }
        Sweep::new(
            "demo",
            vec![
                "staff.agents.count".into(),
                "queues.phone.patience.mean".into(),
            ],
            points,
        )
    }

    #[test]
    fn a_plot_per_headline_metric_with_lines_and_the_target() {
        let files = render(&sweep()).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        let want = [
            "sweep-phone.asa_s.png",
            "sweep-phone.asa_s.svg",
            "sweep-phone.asa_s-heatmap.png",
            "sweep-phone.asa_s-heatmap.svg",
        ];
        assert_eq!(names, want);
        let heat = String::from_utf8(files[3].bytes.clone()).unwrap();
        assert!(
            heat.contains("phone.asa_s (s)") && heat.contains("×"),
            "the heatmap marks missed targets"
        );
        assert!(files[0].bytes.starts_with(b"\x89PNG"));
        let svg = String::from_utf8(files[1].bytes.clone()).unwrap();
        for text in [
            "demo",
            "staff.agents.count",
            "phone.asa_s (s)",
            "patience.mean = ",
            "target: ≤ 5 s",
        ] {
            assert!(svg.contains(text), "the SVG lacks {text:?}");
        }
    }

    #[test]
    fn no_numeric_parameter_gives_no_plot() {
        let mut s = sweep();
        s.parameters.truncate(0);
        for p in &mut s.points {
            p.values = [("x".to_string(), Value::from("a"))].into_iter().collect();
        }
        assert!(render(&s).unwrap().is_empty());
    }
}
