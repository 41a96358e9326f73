//! Plots of `callsim fit`: fitted against observed, per queue the arrival profile of each
//! weekday, the handle-time histogram with the fitted density, the Kaplan-Meier curve of
//! patience with the fitted exponential and lognormal; and the agents on duty per interval of each group.

use super::{
    BLUE_, Chart, GREEN_, Line, ORANGE, PALETTE, PlotFile, push_both, register_embedded_font,
};
use crate::fit::Fitted;
use statrs::distribution::{Continuous, LogNormal};

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// `fit-arrivals-<q>`, `fit-handle-<q>`, `fit-patience-<q>` per queue and `fit-agents-<g>`
/// per group, each as `.png` and `.svg`.
pub(crate) fn render(f: &Fitted) -> Result<Vec<PlotFile>, String> {
    register_embedded_font()?;
    let mut files = Vec::new();
    let step_h = f.report.interval_s / 3600.0;
    for (q, c) in &f.curves {
        let fit = &f.report.queues[q];
        push_both(
            &mut files,
            &format!("fit-arrivals-{q}"),
            &format!(
                "Arrivals per hour at queue {q} over the time of day, one line per weekday: the mean over the call log's days of that weekday, which are the fitted arrival rates."
            ),
            &by_weekday(
                format!("queue {q}: arrivals per hour, mean over the log's days of each weekday"),
                format!(
                    "{} contacts over {} days; the fitted rates are these means, daily_cv {:.2}",
                    fit.contacts, f.report.days, fit.daily_cv
                ),
                "calls per hour",
                &c.rates,
                step_h,
            ),
        )?;
        if let Some(chart) = handle(q, c, fit) {
            let caption = format!(
                "Handle times of queue {q} in the call log as a histogram, with the density of the fitted distribution."
            );
            push_both(&mut files, &format!("fit-handle-{q}"), &caption, &chart)?;
        }
        if let Some(chart) = patience(q, c, fit) {
            let caption = format!(
                "Share of the callers of queue {q} still willing to wait after each wait (Kaplan-Meier estimate from the call log), with the fitted exponential and lognormal patience."
            );
            push_both(&mut files, &format!("fit-patience-{q}"), &caption, &chart)?;
        }
    }
    for (g, on_duty) in &f.on_duty {
        let caption = format!(
            "Agents of staff group {g} on duty over the time of day, one line per weekday, inferred from the services in the call log (low where agents waited without calls)."
        );
        push_both(&mut files, &format!("fit-agents-{g}"), &caption, &by_weekday(
            format!("staff {g}: agents on duty per interval, inferred from their services"),
            "mean over the log's days of each weekday; biased low where agents wait without calls".into(),
            "agents",
            on_duty,
            step_h,
        ))?;
    }
    Ok(files)
}

/// One line per weekday over the hours of the day.
fn by_weekday(title: String, subtitle: String, y: &str, values: &[[f64; 7]], step_h: f64) -> Chart {
    let xs: Vec<f64> = (0..values.len())
        .map(|i| (i as f64 + 0.5) * step_h)
        .collect();
    let lines = (0..7)
        .filter(|&w| values.iter().any(|v| v[w] > 0.0))
        .map(|w| {
            Line::new(
                WEEKDAYS[w],
                PALETTE[w],
                values.iter().map(|v| Some(v[w])).collect(),
            )
        })
        .collect();
    Chart {
        title,
        subtitle,
        x_label: "time of day (h)".into(),
        y_label: y.into(),
        xs,
        x_range: (0.0, 24.0),
        lines,
        bands: vec![],
        rules: vec![],
        categories: vec![],
        x_ticks: None,
        y_top: None,
    }
}

/// The histogram of the handle-time sample (as a density per second) and the fitted
/// lognormal's density, up to the sample's 99th percentile.
fn handle(q: &str, c: &crate::fit::Curves, fit: &crate::fit::QueueFit) -> Option<Chart> {
    let mut xs: Vec<f64> = c.handle_sample.clone();
    xs.sort_by(f64::total_cmp);
    let top = *xs.get((xs.len() as f64 * 0.99) as usize)?;
    let bins = 60;
    let width = (top / bins as f64).max(1e-9);
    let mut counts = vec![0.0; bins];
    for x in xs.iter().filter(|x| **x < top) {
        counts[((x / width) as usize).min(bins - 1)] += 1.0;
    }
    let n = xs.len() as f64;
    let mids: Vec<f64> = (0..bins).map(|i| (i as f64 + 0.5) * width).collect();
    let mut lines = vec![Line::new(
        "observed (histogram of the sample)",
        BLUE_,
        counts.iter().map(|k| Some(k / n / width)).collect(),
    )];
    if let Some(l) = &fit.handle.lognormal {
        let d = LogNormal::new(l.mu, l.sigma).ok()?;
        let label = format!(
            "lognormal fit: mean {:.0} s, cv {:.2}, KS {:.3}{}",
            l.mean_s,
            l.cv,
            l.ks,
            if fit.handle.chosen == "lognormal" {
                ""
            } else {
                " (empirical used)"
            }
        );
        lines.push(Line::new(
            &label,
            ORANGE,
            mids.iter().map(|x| Some(d.pdf(*x))).collect(),
        ));
    }
    Some(Chart {
        title: format!("queue {q}: handle time"),
        subtitle: format!(
            "{} services, {} in the sample drawn",
            fit.handle.n + fit.handle.zero,
            xs.len()
        ),
        x_label: "handle time (s)".into(),
        y_label: "density (per s)".into(),
        xs: mids,
        x_range: (0.0, top),
        lines,
        bands: vec![],
        rules: vec![],
        categories: vec![],
        x_ticks: None,
        y_top: None,
    })
}

/// The Kaplan-Meier survival of patience and the fitted exponential's and lognormal's, over
/// the waits while at least 1% of callers still wait.
fn patience(q: &str, c: &crate::fit::Curves, fit: &crate::fit::QueueFit) -> Option<Chart> {
    let p = fit.patience.as_ref()?;
    let top = c.kaplan_meier.last()?.0.clamp(60.0, 1800.0);
    let xs: Vec<f64> = (0..=(top as usize)).step_by(5).map(|t| t as f64).collect();
    let km_at = |t: f64| {
        c.kaplan_meier
            .iter()
            .take_while(|p| p.0 <= t)
            .last()
            .map_or(1.0, |p| p.1)
    };
    let mean = p.exponential.mean_s;
    let mut lines = vec![
        Line::new(
            "Kaplan-Meier (observed)",
            BLUE_,
            xs.iter().map(|t| Some(km_at(*t))).collect(),
        ),
        Line::new(
            &format!("exponential fit: mean {mean:.0} s"),
            ORANGE,
            xs.iter().map(|t| Some((-t / mean).exp())).collect(),
        ),
    ];
    if let Some(l) = p.lognormal {
        let normal = statrs::distribution::Normal::new(l.mu, l.sigma).ok()?;
        let sf = |t: f64| statrs::distribution::ContinuousCDF::sf(&normal, t.max(0.5).ln());
        lines.push(Line::new(
            &format!("lognormal fit: mean {:.0} s, cv {:.2}", l.mean_s, l.cv),
            GREEN_,
            xs.iter().map(|t| Some(sf(*t))).collect(),
        ));
    }
    Some(Chart {
        title: format!(
            "queue {q}: patience, Kaplan-Meier against the fitted exponential and lognormal"
        ),
        subtitle: format!(
            "{} abandonments, {} waits censored by an answer; the scenario takes the {}",
            p.abandoned, p.censored, p.chosen
        ),
        x_label: "wait (s)".into(),
        y_label: "share still willing to wait".into(),
        lines,
        x_range: (0.0, top),
        xs,
        bands: vec![],
        rules: vec![],
        categories: vec![],
        x_ticks: None,
        y_top: None,
    })
}
