//! Comparison plots for `callsim run a.json b.json --out DIR`: per queue the scenarios share,
//! its ASA, abandonment rate and service level, one dot per scenario with its 95% interval
//! and its target bounds.

use super::{
    Band, Chart, Line, PALETTE, PlotFile, Rule, push_both, register_embedded_font, target_bounds,
    target_label,
};
use crate::report::Report;
use plotters::style::RGBColor;

/// `compare-<queue>-<metric>.png/.svg` for every queue all `reports` have.
pub fn render(reports: &[Report]) -> Result<Vec<PlotFile>, String> {
    register_embedded_font()?;
    let mut files = Vec::new();
    let Some(first) = reports.first() else {
        return Ok(files);
    };
    for q in first
        .queues
        .keys()
        .filter(|q| reports.iter().all(|r| r.queues.contains_key(*q)))
    {
        for metric in crate::metrics::HEADLINE.map(|m| m.def().name) {
            let (factor, unit) = super::sweep::unit(metric);
            let what = crate::metrics::def_of(metric).map_or(metric, |d| d.definition);
            let caption = format!(
                "{} of queue {q} in each of the {} scenarios ({what}): each scenario's mean with its 95% interval, and the target bounds in red.",
                super::sweep::metric_words(metric),
                reports.len()
            );
            push_both(
                &mut files,
                &format!("compare-{q}-{metric}"),
                &caption,
                &chart(reports, q, metric, factor, unit),
            )?;
        }
    }
    Ok(files)
}

/// Scenario i is category i + 1: its mean a dot, its interval a box, its target bounds red.
fn chart(reports: &[Report], q: &str, metric: &str, factor: f64, unit: &str) -> Chart {
    let n = reports.len();
    let path = format!("{q}.{metric}");
    let at = |i: usize| reports[i].metric(&path).copied();
    let lines = (0..n)
        .map(|i| {
            let mean = at(i).and_then(|e| e.mean).map(|m| m * factor);
            let label = format!("{}: {}", i + 1, reports[i].scenario);
            Line::new(&label, PALETTE[i % PALETTE.len()], only(n, i, mean))
        })
        .collect();
    let bands = (0..n)
        .map(|i| Band {
            label: if i == 0 { "95% CI" } else { "" }.to_string(),
            color: RGBColor(120, 120, 120),
            bounds: only(
                n,
                i,
                at(i)
                    .and_then(|e| e.ci95)
                    .map(|[a, b]| [a * factor, b * factor]),
            ),
        })
        .collect();
    let x_range = (0.5, n as f64 + 0.5);
    let names: Vec<String> = reports.iter().map(|r| r.scenario.clone()).collect();
    let fit = names_fit(&names);
    Chart {
        title: format!("{path}: {n} scenarios compared"),
        subtitle: "mean over each scenario's replications · box: 95% CI".to_string(),
        x_label: if fit {
            "scenario"
        } else {
            "scenario (numbered as in the legend)"
        }
        .to_string(),
        y_label: format!("{path} ({unit})"),
        xs: (1..=n).map(|k| k as f64).collect(),
        x_range,
        lines,
        bands,
        rules: target_rules(reports, &path, (factor, unit)),
        categories: if fit {
            names
        } else {
            (1..=n).map(|k| k.to_string()).collect()
        },
        x_ticks: None,
        y_top: None,
    }
}

/// `v` at scenario `i` of `n` and nothing elsewhere, so that no line or band joins scenarios.
fn only<T: Copy>(n: usize, i: usize, v: Option<T>) -> Vec<Option<T>> {
    (0..n).map(|k| if k == i { v } else { None }).collect()
}

/// Whether every scenario name fits under its category (16 px tick labels, about 10 px a
/// character, on a plot area about 1,000 px wide); else the ticks are numbered.
fn names_fit(names: &[String]) -> bool {
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    names.len() * (longest * 10 + 20) <= 1000
}

/// Each scenario's target bounds on `path` as red rules: one across the plot when every
/// scenario has the bound, else one over each scenario that has it, its label naming them.
fn target_rules(reports: &[Report], path: &str, (factor, unit): (f64, &str)) -> Vec<Rule> {
    let per: Vec<Vec<(&str, f64)>> = reports
        .iter()
        .map(|r| target_bounds(&r.targets, path))
        .collect();
    let mut distinct: Vec<(&str, f64)> = Vec::new();
    for b in per.iter().flatten() {
        if !distinct.contains(b) {
            distinct.push(*b);
        }
    }
    let mut rules = Vec::new();
    for bound in distinct {
        let with: Vec<usize> = (0..per.len())
            .filter(|&i| per[i].contains(&bound))
            .collect();
        let mut label = target_label(bound, factor, unit);
        let y = bound.1 * factor;
        if with.len() == reports.len() {
            let x = (0.5, reports.len() as f64 + 0.5);
            rules.push(Rule { label, y, x });
            continue;
        }
        let numbers: Vec<String> = with.iter().map(|i| (i + 1).to_string()).collect();
        let word = if with.len() == 1 {
            "scenario"
        } else {
            "scenarios"
        };
        label = format!("{label} ({word} {})", numbers.join(", "));
        for i in with {
            let x = (i as f64 + 0.6, i as f64 + 1.4);
            rules.push(Rule {
                label: label.clone(),
                y,
                x,
            });
        }
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scenario with `agents` agents: fewer wait longer.
    fn report(name: &str, agents: u32) -> Report {
        let asa = 300.0 / f64::from(agents);
        let phone = [
            ("asa_s", asa, asa / 10.0),
            ("abandon_rate", asa / 1000.0, 0.01),
            ("service_level", 1.0 - asa / 100.0, 0.02),
        ];
        let utilization = [("utilization", 5.0 / f64::from(agents), 0.01)];
        crate::report::fixture::report(name, 3, &phone, &utilization)
    }

    #[test]
    fn three_plots_per_shared_queue() {
        let files = render(&[report("six", 6), report("eight", 8)]).unwrap();
        assert_eq!(files.len(), 6);
        assert_eq!(files[0].name, "compare-phone-asa_s.png");
        let svg = String::from_utf8(files[1].bytes.clone()).unwrap();
        for text in ["phone.asa_s (s)", "1: six", "2: eight", "95% CI"] {
            assert!(svg.contains(text), "the SVG lacks {text:?}");
        }
        let text = |t: &str| svg.lines().any(|l| l.trim() == t);
        assert!(text("six") && text("eight"), "names the ticks");
        assert!(
            !text("1.5") && !text("0.5") && !text("1"),
            "no numeric ticks"
        );
    }

    #[test]
    fn targets_are_red_rules_over_the_scenarios_that_have_them() {
        let mut a = report("a", 6);
        let b = report("b", 8);
        let e = *a.metric("phone.asa_s").unwrap();
        a.targets = vec![crate::report::judge("phone.asa_s", None, Some(30.0), &e)];
        let rules = target_rules(&[a.clone(), b], "phone.asa_s", (1.0, "s"));
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].label, "target: ≤ 30 s (scenario 1)");
        assert_eq!((rules[0].y, rules[0].x), (30.0, (0.6, 1.4)));
        let rules = target_rules(&[a.clone(), a], "phone.asa_s", (1.0, "s"));
        assert_eq!(rules[0].label, "target: ≤ 30 s");
        assert_eq!(rules[0].x, (0.5, 2.5), "shared: across the plot");
        let long = vec!["a-rather-long-scenario-name".to_string(); 6];
        assert!(names_fit(&["six".to_string(), "eight".to_string()]) && !names_fit(&long));
    }
}
