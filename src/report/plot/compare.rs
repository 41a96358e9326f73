//! Comparison plots for `callsim run a.json b.json --out DIR`: per queue the scenarios share,
//! its ASA, abandonment rate and service level, one dot per scenario with its 95% interval.

use super::{Band, Chart, Line, PlotFile, push_both, register_embedded_font};
use crate::report::Report;
use plotters::style::RGBColor;

use super::PALETTE;

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
        for (metric, factor, unit) in [
            ("asa_s", 1.0, "s"),
            ("abandon_rate", 100.0, "%"),
            ("service_level", 100.0, "%"),
        ] {
            push_both(
                &mut files,
                &format!("compare-{q}-{metric}"),
                &chart(reports, q, metric, factor, unit),
            )?;
        }
    }
    Ok(files)
}

/// Scenario i sits at x = i + 1 with a gap between scenarios, so each interval is drawn on its
/// own (a band run of one point is a narrow box) and each mean is a dot.
fn chart(reports: &[Report], q: &str, metric: &str, factor: f64, unit: &str) -> Chart {
    let n = reports.len();
    let xs: Vec<f64> = (0..2 * n - 1).map(|k| 1.0 + k as f64 / 2.0).collect();
    let path = format!("{q}.{metric}");
    let at = |i: usize| reports[i].metric(&path).copied();
    let lines = (0..n)
        .map(|i| {
            let values = (0..xs.len()).map(|k| {
                if k == 2 * i {
                    at(i).and_then(|e| e.mean).map(|m| m * factor)
                } else {
                    None
                }
            });
            let label = format!("{}: {}", i + 1, reports[i].scenario);
            Line::new(&label, PALETTE[i % PALETTE.len()], values.collect())
        })
        .collect();
    let bounds = (0..xs.len())
        .map(|k| {
            if k % 2 == 0 {
                at(k / 2)
                    .and_then(|e| e.ci95)
                    .map(|[a, b]| [a * factor, b * factor])
            } else {
                None
            }
        })
        .collect();
    Chart {
        title: format!("{path}: {} scenarios compared", n),
        subtitle: "mean over each scenario's replications · box: 95% CI".to_string(),
        x_label: "scenario (numbered as in the legend)".to_string(),
        y_label: format!("{path} ({unit})"),
        x_max: n as f64 + 0.5,
        xs,
        lines,
        bands: vec![Band {
            label: "95% CI".to_string(),
            color: RGBColor(120, 120, 120),
            bounds,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(name: &str, agents: u32) -> Report {
        let json = format!(
            r#"{{"name": "{name}", "horizon": "30h", "replications": 3,
                "queues": {{"phone": {{"arrivals": {{"per_hour": 100}}, "handle_time": {{"dist": "exponential", "mean": "3m"}},
                                     "patience": {{"dist": "exponential", "mean": "2m"}}}}}},
                "staff": {{"agents": {{"count": {agents}, "serves": ["phone"]}}}}}}"#
        );
        crate::runner::run(
            &crate::scenario::parse(json.as_bytes(), "x.json").unwrap(),
            "",
            &|| {},
        )
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
    }
}
