//! Sweep plots: each headline metric (the targets' metrics, or each queue's ASA, abandonment
//! and service level) against a swept parameter, one line per value of the others, each with
//! its 95% band, and every target bound drawn as a red line.

use super::{
    Band, Chart, Line, PALETTE, PlotFile, Rule, push_both, register_embedded_font, span_range,
    target_bounds, target_label,
};
use crate::report::sweep::{PointSummary, Sweep};
use serde_json::Value;

/// Most lines a plot shows (values of the other parameters, evenly picked).
const MAX_LINES: usize = 8;

/// Renders `sweep-<metric>.png/.svg` for every headline metric. Nothing when no swept
/// parameter has numeric values.
pub fn render(s: &Sweep) -> Result<Vec<PlotFile>, String> {
    register_embedded_font()?;
    let Some(x) = x_parameter(s) else {
        return Ok(vec![]);
    };
    let mut files = Vec::new();
    for metric in s.headline() {
        let caption = format!(
            "{} ({metric}) at each value of {} in the sweep of {}: the mean with its 95% interval, one line per value of the other parameters, target bounds in red.",
            metric_words(&metric),
            s.parameters[x],
            s.scenario
        );
        push_both(
            &mut files,
            &format!("sweep-{metric}"),
            &caption,
            &chart(s, x, &metric),
        )?;
        if s.parameters.len() == 2 {
            let heatmap = super::heatmap::Heatmap::new(s, &metric, unit(&metric));
            let caption = format!(
                "{} ({metric}) over every pair of values of {} and {}: one cell per sweep point, coloured by its mean.",
                metric_words(&metric),
                s.parameters[0],
                s.parameters[1]
            );
            push_both(
                &mut files,
                &format!("sweep-{metric}-heatmap"),
                &caption,
                &heatmap,
            )?;
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

/// A metric in words, as a caption's subject: `Average speed of answer of queue phone`
/// for `phone.asa_s`, `Average speed of answer` for `asa_s`; the name itself for what is not
/// a metric path.
pub(super) fn metric_words(metric: &str) -> String {
    let (owner, name) = match metric.rsplit_once('.') {
        Some((owner, name)) => (Some(owner), name),
        None => (None, metric),
    };
    let name = name.strip_suffix("_pooled").unwrap_or(name);
    let words = match name {
        "asa_s" => "Average speed of answer",
        "abandon_rate" => "Abandonment rate",
        "service_level" => "Service level",
        "offered" => "Contacts offered",
        "answered" => "Contacts answered",
        "abandoned" => "Contacts abandoned",
        "mean_wait_s" => "Mean wait",
        "utilization" => "Utilization",
        _ => return metric.to_string(),
    };
    match owner {
        Some(o) => match o.strip_prefix("staff.") {
            Some(g) => format!("{words} of staff group {g}"),
            None => format!("{words} of queue {o}"),
        },
        None => words.to_string(),
    }
}

/// How a metric is shown: a factor and a unit.
pub(super) fn unit(metric: &str) -> (f64, &'static str) {
    use crate::metrics::Unit;
    match crate::metrics::def_of(metric).map_or(Unit::Count, |d| d.unit) {
        Unit::LeadTime => (1.0 / 86_400.0, "days"),
        Unit::Seconds => (1.0, "s"),
        Unit::Share => (100.0, "%"),
        Unit::Count | Unit::Agents => (1.0, ""),
    }
}

/// A line's data at each swept x value: the mean and its 95% interval, in the shown unit.
#[derive(Debug, PartialEq)]
struct Series {
    means: Vec<Option<f64>>,
    ci95: Vec<Option<[f64; 2]>>,
}

/// The sweep seen along parameter `x`: the values it takes (sorted), and the groups of points
/// that share the other parameters' values, in order of first appearance (a line each).
struct Along<'a> {
    s: &'a Sweep,
    x: usize,
    xs: Vec<f64>,
    groups: Vec<Vec<Value>>,
}

impl<'a> Along<'a> {
    fn new(s: &'a Sweep, x: usize) -> Self {
        let mut xs: Vec<f64> = (s.points.iter())
            .filter_map(|p| p.values.get_index(x)?.1.as_f64())
            .collect();
        xs.sort_by(f64::total_cmp);
        xs.dedup();
        let mut along = Along {
            s,
            x,
            xs,
            groups: Vec::new(),
        };
        for p in &s.points {
            let key = along.key(p);
            if !along.groups.contains(&key) {
                along.groups.push(key);
            }
        }
        along
    }

    /// The values of the parameters other than x.
    fn key(&self, p: &PointSummary) -> Vec<Value> {
        let others = p.values.values().enumerate().filter(|(i, _)| *i != self.x);
        others.map(|(_, v)| v.clone()).collect()
    }

    fn series(&self, group: &[Value], metric: &str, factor: f64) -> Series {
        let at = |xv: f64| {
            let p = self.s.points.iter().find(|p| {
                let x = p.values.get_index(self.x).and_then(|(_, v)| v.as_f64());
                self.key(p) == group && x == Some(xv)
            })?;
            super::super::sweep::metric(p, metric).copied()
        };
        let estimates: Vec<_> = self.xs.iter().map(|xv| at(*xv)).collect();
        Series {
            means: (estimates.iter())
                .map(|e| Some(e.as_ref()?.mean? * factor))
                .collect(),
            ci95: (estimates.iter())
                .map(|e| e.as_ref()?.ci95.map(|[a, b]| [a * factor, b * factor]))
                .collect(),
        }
    }
}

fn chart(s: &Sweep, x: usize, metric: &str) -> Chart {
    let (factor, unit) = unit(metric);
    let along = Along::new(s, x);
    let series: Vec<Series> = (along.groups.iter())
        .map(|g| along.series(g, metric, factor))
        .collect();
    let shown = curves(&series, &pick(series.len(), MAX_LINES));
    let others: Vec<&str> = (s.parameters.iter().enumerate())
        .filter(|(i, _)| *i != x)
        .map(|(_, p)| p.as_str())
        .collect();
    let (lines, bands) = shown
        .iter()
        .enumerate()
        .map(|(i, members)| {
            let groups: Vec<&Vec<Value>> = members.iter().map(|&m| &along.groups[m]).collect();
            let line = &series[members[0]];
            let color = PALETTE[i % PALETTE.len()];
            let label = label(metric, &others, &groups);
            (
                Line::new(&label, color, line.means.clone()),
                band(line, color, i, shown.len()),
            )
        })
        .unzip();
    let x_range = span_range(&along.xs);
    let count = Count {
        shown: shown.iter().map(|m| m.len()).sum(),
        curves: shown.len(),
        all: along.groups.len(),
        one: series.iter().all(|l| *l == series[0]),
    };
    Chart {
        title: format!("{} · sweep of {metric}", s.scenario),
        subtitle: count.subtitle(),
        x_label: s.parameters[x].clone(),
        y_label: if unit.is_empty() {
            metric.to_string()
        } else {
            format!("{metric} ({unit})")
        },
        xs: along.xs,
        x_range,
        lines,
        bands,
        rules: target_rules(s, metric, (factor, unit), x_range),
        categories: vec![],
        x_ticks: None,
        y_top: None,
    }
}

/// The curves drawn for the `picked` lines: lines that coincide exactly (e.g. a metric the
/// other parameter does not change) are one curve, which stands for every line equal to it,
/// picked or not; drawn apart, only the last colour would show. Each curve is the indices of
/// its lines.
fn curves(series: &[Series], picked: &[usize]) -> Vec<Vec<usize>> {
    let lines: Vec<&Series> = picked.iter().map(|&i| &series[i]).collect();
    let equal_to = |l: &Series| (0..series.len()).filter(|&i| series[i] == *l).collect();
    (equal_groups(&lines).into_iter())
        .map(|c| equal_to(lines[c[0]]))
        .collect()
}

/// A line's 95% band. Only the first has a legend entry, which says it stands for all.
fn band(line: &Series, color: plotters::style::RGBColor, i: usize, lines: usize) -> Band {
    let label = match (i, lines) {
        (0, 1) => "95% CI",
        (0, _) => "95% CI of each line",
        _ => "",
    };
    Band {
        label: label.to_string(),
        color,
        bounds: line.ci95.clone(),
    }
}

/// The target bounds on `metric` as red rules across the plot. Every point has the same
/// targets: the base scenario's.
fn target_rules(s: &Sweep, metric: &str, (factor, unit): (f64, &str), x: (f64, f64)) -> Vec<Rule> {
    let targets = s.points.first().map_or(&[][..], |p| &p.targets);
    (target_bounds(targets, metric).into_iter())
        .map(|bound| Rule {
            label: target_label(bound, factor, unit),
            y: bound.1 * factor,
            x,
        })
        .collect()
}

/// How many lines a plot shows (of the groups of points, a line each), and as how many
/// curves: lines that coincide are drawn as one.
struct Count {
    shown: usize,
    curves: usize,
    all: usize,
    /// Whether every line coincides with every other.
    one: bool,
}

impl Count {
    /// What the lines are: how many are shown, and whether some coincide.
    fn subtitle(&self) -> String {
        let Count {
            shown,
            curves,
            all,
            one,
        } = *self;
        if all <= 1 {
            return "mean over the replications of each point · band: 95% CI".to_string();
        }
        let count = match (one, shown < all, curves < shown) {
            (true, _, _) => format!("{all} lines, all coincide exactly"),
            (_, true, false) => format!("{shown} of {all} lines shown"),
            (_, true, true) => {
                format!("{shown} of {all} lines shown, coinciding ones drawn as one")
            }
            (_, false, true) => format!("{all} lines, coinciding ones drawn as one"),
            _ => format!("{all} lines"),
        };
        format!("mean of each point's replications, with its 95% CI band · {count}")
    }
}

/// The indices of `max` of `n` lines (at least 2), evenly spread from the first to the last,
/// which a planner reads the sweep's extremes from: all when `n <= max`.
fn pick(n: usize, max: usize) -> Vec<usize> {
    if n <= max {
        return (0..n).collect();
    }
    let step = (n - 1).div_ceil(max - 1);
    let k = (n - 1).div_ceil(step) + 1;
    let at = |i: usize| (i as f64 * (n - 1) as f64 / (k - 1) as f64).round() as usize;
    (0..k).map(at).collect()
}

/// Equal items, grouped: each group the indices of its members, in order of first appearance.
fn equal_groups<T: PartialEq>(items: &[T]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match out.iter_mut().find(|g| items[g[0]] == *item) {
            Some(g) => g.push(i),
            None => out.push(vec![i]),
        }
    }
    out
}

/// A line's legend label: the other parameters' values of every group it stands for.
fn label(metric: &str, others: &[&str], groups: &[&Vec<Value>]) -> String {
    if let [one] = others {
        let values: Vec<String> = groups.iter().map(|g| g[0].to_string()).collect();
        return format!("{} = {}", short(one), listed(&values, ", "));
    }
    if others.is_empty() {
        return format!("{metric} (mean)");
    }
    let each: Vec<String> = (groups.iter())
        .map(|g| {
            let pairs = others.iter().zip(g.iter());
            let pairs = pairs.map(|(p, v)| format!("{} = {v}", short(p)));
            pairs.collect::<Vec<_>>().join(", ")
        })
        .collect();
    listed(&each, "; ")
}

/// Up to three items in full; more as the first, the last and how many, to keep the legend
/// narrow.
fn listed(items: &[String], sep: &str) -> String {
    match items {
        [first, _, _, .., last] => {
            format!("{first}{sep}…{sep}{last} ({} lines)", items.len())
        }
        _ => items.join(sep),
    }
}

/// A swept path without the section it is in, which every queue or group path starts with:
/// `queues.office.arrivals.per_week` → `office.arrivals.per_week`.
fn short(path: &str) -> &str {
    ["queues.", "staff."]
        .iter()
        .find_map(|p| path.strip_prefix(p))
        .unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sweep::Point;

    /// Agents 5 to 7 by patience 1 or 3 minutes; the target `phone.asa_s <= 5 s` is met
    /// from 6 agents on.
    fn sweep() -> Sweep {
        let mut points = Vec::new();
        for agents in [5, 6, 7] {
            for (patience, factor) in [("1m", 1.0), ("3m", 1.5)] {
                let asa = factor * 30.0 / f64::from(agents * agents - 20);
                let phone = [("asa_s", asa, asa / 5.0)];
                let mut report = crate::report::fixture::report("demo", 3, &phone, &[]);
                let e = crate::report::fixture::estimate(asa, asa / 5.0);
                report.targets = vec![crate::report::judge("phone.asa_s", None, Some(5.0), &e)];
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

    #[test]
    fn picked_lines_include_the_first_and_the_last_evenly() {
        assert_eq!(pick(5, 8), [0, 1, 2, 3, 4]);
        assert_eq!(pick(12, 8), [0, 2, 4, 6, 7, 9, 11]);
        assert_eq!(pick(9, 8), [0, 2, 4, 6, 8]);
        assert_eq!(pick(16, 8), [0, 3, 6, 9, 12, 15]);
        for n in 2..60 {
            let p = pick(n, MAX_LINES);
            assert!(p.len() <= MAX_LINES && p[0] == 0 && p[p.len() - 1] == n - 1);
            assert!(p.windows(2).all(|w| w[0] < w[1]), "{n}: {p:?}");
        }
    }

    #[test]
    fn labels_name_the_queue_or_group() {
        assert_eq!(
            short("queues.office.arrivals.per_week"),
            "office.arrivals.per_week"
        );
        assert_eq!(
            short("staff.office_staff.reassign.count"),
            "office_staff.reassign.count"
        );
        assert_eq!(short("horizon"), "horizon");
        let (a, b) = (vec![Value::from(7500)], vec![Value::from(10000)]);
        let p = ["queues.office.arrivals.per_week"];
        assert_eq!(
            label("m", &p, &[&a, &b]),
            "office.arrivals.per_week = 7500, 10000"
        );
        let many: Vec<Vec<Value>> = (1..=5).map(|v| vec![Value::from(v)]).collect();
        let many: Vec<&Vec<Value>> = many.iter().collect();
        assert_eq!(label("m", &["x"], &many), "x = 1, …, 5 (5 lines)");
        assert_eq!(label("m", &[], &[&vec![]]), "m (mean)");
        let two = vec![Value::from(5), Value::from("1m")];
        let p = ["staff.agents.count", "queues.phone.patience.mean"];
        assert_eq!(
            label("m", &p, &[&two]),
            "agents.count = 5, phone.patience.mean = \"1m\""
        );
    }

    #[test]
    fn coinciding_lines_are_grouped_and_said_to_be() {
        assert_eq!(
            equal_groups(&[1, 2, 1, 3, 2]),
            [vec![0, 2], vec![1, 4], vec![3]]
        );
        let count = |shown, curves, all, one| Count {
            shown,
            curves,
            all,
            one,
        };
        assert!(
            count(12, 1, 12, true)
                .subtitle()
                .ends_with("12 lines, all coincide exactly")
        );
        let some = count(7, 6, 12, false).subtitle();
        assert!(some.ends_with("7 of 12 lines shown, coinciding ones drawn as one"));
        assert!(
            count(6, 6, 12, false)
                .subtitle()
                .ends_with("6 of 12 lines shown")
        );
        assert!(count(1, 1, 1, true).subtitle().ends_with("band: 95% CI"));
    }
}
