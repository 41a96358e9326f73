//! The readable terminal report of `callsim run`.

use super::Report;
use crate::metrics::Unit;
use crate::stats::ci::Estimate;
use std::fmt::Write;

/// Renders the report as text: per queue and staff group, every metric as mean ± half-width.
pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "scenario {}: {}, seed {} (± is the 95% confidence half-width, Student-t, n={})",
        r.scenario,
        plural(r.replications as usize, "replication"),
        r.seed,
        r.replications
    );
    for (name, metrics) in &r.queues {
        let _ = writeln!(out, "\nqueue {name}");
        for (metric, e) in metrics {
            let _ = writeln!(out, "  {metric:<30} {}", value(metric, e));
        }
    }
    for (name, metrics) in &r.staff {
        let _ = writeln!(out, "\nstaff {name}");
        for (metric, e) in metrics {
            let _ = writeln!(out, "  {metric:<30} {}", value(metric, e));
        }
    }
    for (name, d) in r.days.iter().filter(|(_, d)| d.days > 0) {
        let s = |v: Option<f64>| v.map_or("n/a".to_string(), |x| format!("{x:.1} s"));
        let _ = writeln!(out, "\ndaily ASA of {name} over {} replicated days", d.days);
        let _ = writeln!(
            out,
            "  mean {}, p10 {}, median {}, p90 {}, worst {}",
            s(d.asa_s_mean),
            s(d.asa_s_p10),
            s(d.asa_s_p50),
            s(d.asa_s_p90),
            s(d.asa_s_max)
        );
        for w in &d.within {
            let _ = writeln!(
                out,
                "  days with ASA <= {} s: {}",
                // As many digits as the target has (to 0.1 s): 8.7 s is not 9 s.
                (w.max_s * 10.0).round() / 10.0,
                value_in(Unit::Share, &w.share)
            );
        }
    }
    if !r.targets.is_empty() {
        let _ = writeln!(out, "\ntargets");
        for t in &r.targets {
            let bounds = [
                t.min.map(|v| format!(">= {}", number(&t.metric, v))),
                t.max.map(|v| format!("<= {}", number(&t.metric, v))),
            ];
            let bounds: Vec<String> = bounds.into_iter().flatten().collect();
            let verdict = super::check::verdict(t, false).0;
            let e = Estimate {
                mean: t.value,
                ci95: t.ci95,
            };
            let _ = writeln!(
                out,
                "  {} {}: {} {verdict}",
                t.metric,
                bounds.join(" and "),
                value(&t.metric, &e)
            );
        }
    }
    out
}

/// `mean ± half-width` in the metric's unit.
pub(crate) fn value(metric: &str, e: &Estimate) -> String {
    value_in(unit_of(metric), e)
}

/// `mean ± half-width` in `unit`, or `mean [lo, hi]` where the interval was cut at the
/// metric's range (a backlog's interval stops at 0).
pub(crate) fn value_in(unit: Unit, e: &Estimate) -> String {
    match (e.mean, e.half_width(), e.ci95) {
        (Some(m), _, Some([lo, hi])) if e.is_cut() => format!(
            "{} [{}, {}]",
            number_in(unit, m),
            number_in(unit, lo),
            number_in(unit, hi)
        ),
        (Some(m), Some(h), _) => format!("{} ± {}", number_in(unit, m), number_in(unit, h)),
        _ => "n/a (no replication defined it)".to_string(),
    }
}

/// The unit of a metric path or name; a count for what is not a metric (a caller's slip
/// shows as an unformatted number, and the unit test below pins the metrics' units).
fn unit_of(metric: &str) -> Unit {
    if metric.starts_with(super::staff::DAYS_PREFIX) {
        return Unit::Share;
    }
    crate::metrics::def_of(metric).map_or(Unit::Count, |d| d.unit)
}

/// `n` and the noun, plural when it should be ("1 queue", "2 queues").
pub(crate) fn plural(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// A number in the metric's unit: seconds, a percentage, or a count.
pub(crate) fn number(metric: &str, v: f64) -> String {
    number_in(unit_of(metric), v)
}

/// A number in `unit`.
pub(crate) fn number_in(unit: Unit, v: f64) -> String {
    match unit {
        // Lead times run to days (FPA: about 2), which seconds would hide.
        Unit::LeadTime => format!("{:.2} d", v / 86_400.0),
        Unit::Seconds => format!("{v:.1} s"),
        Unit::Share => format!("{:.2} %", v * 100.0),
        Unit::Count | Unit::Agents => format!("{v:.1}"),
    }
}

/// `v` in `unit`, with decimals enough for a significant digit of `scale` (a half-width),
/// so that a small but real difference does not print as `0.0`.
pub(crate) fn number_to(unit: Unit, v: f64, scale: f64) -> String {
    let (factor, base, suffix) = match unit {
        Unit::LeadTime => (1.0 / 86_400.0, 2, " d"),
        Unit::Seconds => (1.0, 1, " s"),
        Unit::Share => (100.0, 2, " %"),
        Unit::Count | Unit::Agents => (1.0, 1, ""),
    };
    let shown = (scale * factor).abs();
    let needed = if shown > 0.0 && shown.is_finite() {
        -(shown.log10().floor() as i32)
    } else {
        0
    };
    let decimals = needed.clamp(base, 9) as usize;
    format!("{:.decimals$}{suffix}", v * factor)
}

/// Several scenarios side by side: a row per metric (every queue and staff metric any of them
/// reports), a column per scenario, each cell mean ± half-width.
pub fn side_by_side(reports: &[Report]) -> String {
    let mut rows: Vec<String> = Vec::new();
    for r in reports {
        let queue_rows = r
            .queues
            .iter()
            .flat_map(|(q, m)| m.keys().map(move |k| format!("{q}.{k}")));
        let staff_rows = r
            .staff
            .iter()
            .flat_map(|(g, m)| m.keys().map(move |k| format!("staff.{g}.{k}")));
        for row in queue_rows.chain(staff_rows) {
            if !rows.contains(&row) {
                rows.push(row);
            }
        }
    }
    let width = rows.iter().map(String::len).max().unwrap_or(6).max(6) + 2;
    let mut out = format!(
        "{} scenarios side by side (± is the 95% confidence half-width)\n\n",
        reports.len()
    );
    let _ = write!(out, "{:<width$}", "metric");
    for r in reports {
        let _ = write!(
            out,
            "{:>26}",
            format!("{} (n={})", r.scenario, r.replications)
        );
    }
    out.push('\n');
    for row in &rows {
        let _ = write!(out, "{row:<width$}");
        for r in reports {
            let cell = r.metric(row).map_or("—".to_string(), |e| value(row, e));
            let _ = write!(out, "{cell:>26}");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_the_metric_name() {
        assert_eq!(number("asa_s", 41.26), "41.3 s");
        assert_eq!(number("phone.abandon_rate_pooled", 0.0412), "4.12 %");
        assert_eq!(number("offered", 7.0), "7.0");
        assert_eq!(number("callbacks.booking_lead_s", 172_800.0), "2.00 d");
        assert_eq!(number("staff.a.utilization_on_phone", 0.5), "50.00 %");
        assert_eq!(number("callbacks.slot_utilization", 0.7315), "73.15 %");
        assert_eq!(plural(1, "queue"), "1 queue");
        assert_eq!(plural(2, "queue"), "2 queues");
    }
}
