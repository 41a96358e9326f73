//! Plots of `callsim backtest`: per queue and metric, the observed value of each day over the
//! band the model predicted for a single day, with the predicted mean.

use super::{BLUE_, Band, Chart, Line, ORANGE, PlotFile, push_both, register_embedded_font};
use crate::backtest::result::{Backtest, Compared, Day};

/// `backtest-<q>-<metric>` per queue and metric, each as `.png` and `.svg`.
pub(crate) fn render(bt: &Backtest) -> Result<Vec<PlotFile>, String> {
    register_embedded_font()?;
    let mut files = Vec::new();
    for (q, scores) in &bt.summary {
        for (metric, score) in scores {
            let caption = format!(
                "Observed {} of queue {q} on each day of the call log, against what the model predicts for a single day: its mean and 90% prediction interval over {} replications.",
                axis(metric).0,
                bt.replications
            );
            push_both(
                &mut files,
                &format!("backtest-{q}-{metric}"),
                &caption,
                &chart(bt, q, metric, score),
            )?;
        }
    }
    Ok(files)
}

/// What a metric's axis says, and the factor its values are shown with.
fn axis(metric: &str) -> (&'static str, &'static str, f64) {
    match metric {
        "offered" => ("contacts offered", "contacts per day", 1.0),
        "answered" => ("contacts answered", "contacts per day", 1.0),
        "asa_s" => ("average speed of answer", "ASA (s)", 1.0),
        "abandon_rate" => (
            "abandonment rate",
            "abandoned (% of answered + abandoned)",
            100.0,
        ),
        _ => (
            "service level",
            "answered within the threshold (% of offered)",
            100.0,
        ),
    }
}

fn chart(bt: &Backtest, q: &str, metric: &str, score: &crate::backtest::result::Score) -> Chart {
    let (what, y_label, factor) = axis(metric);
    fn of<'a>(d: &'a Day, q: &str, metric: &str) -> Option<&'a Compared> {
        d.queues.get(q)?.get(metric)
    }
    let scaled = |v: Option<f64>| v.map(|x| x * factor);
    let observed = bt
        .days
        .iter()
        .map(|d| scaled(of(d, q, metric)?.observed))
        .collect();
    let mean = bt
        .days
        .iter()
        .map(|d| scaled(of(d, q, metric)?.predicted.mean))
        .collect();
    let bounds = bt
        .days
        .iter()
        .map(|d| {
            let p = &of(d, q, metric)?.predicted;
            Some([p.p05? * factor, p.p95? * factor])
        })
        .collect();
    let coverage = score
        .coverage_90
        .map_or("no day to compare".to_string(), |c| {
            format!(
                "observed inside it on {:.0}% of {} days",
                100.0 * c,
                score.days
            )
        });
    Chart {
        title: format!(
            "{} · queue {q}: {what} per day, observed and predicted",
            bt.scenario
        ),
        subtitle: format!(
            "band: 90% prediction interval of a single day ({} replications) · {coverage}",
            bt.replications
        ),
        x_label: format!("day ({} to {})", bt.log.first_date, bt.log.last_date),
        y_label: y_label.to_string(),
        xs: (1..=bt.days.len()).map(|i| i as f64).collect(),
        x_range: (0.5, bt.days.len() as f64 + 0.5),
        lines: vec![
            Line::new("predicted mean", ORANGE, mean),
            Line::new("observed", BLUE_, observed),
        ],
        bands: vec![Band {
            label: "predicted 90% interval".to_string(),
            color: ORANGE,
            bounds,
        }],
        rules: vec![],
        categories: bt.days.iter().map(|d| short_date(&d.date)).collect(),
        x_ticks: None,
        y_top: None,
    }
}

/// `1999-04-01` → `Apr 1`.
fn short_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let mut parts = date.split('-').skip(1);
    let month: usize = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    let day: u32 = parts.next().and_then(|d| d.parse().ok()).unwrap_or(0);
    match MONTHS.get(month.wrapping_sub(1)) {
        Some(m) => format!("{m} {day}"),
        None => date.to_string(),
    }
}
