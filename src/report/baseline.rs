//! Regression checks against a baseline: a `result.json` stored by an earlier
//! `callsim run --out DIR`. A metric regresses when it got worse significantly (Welch's t-test
//! at 95%, from each run's mean, ci95 and replication count) and by more than a relative
//! tolerance.

use super::Report;
use crate::metrics::Better;
use crate::stats::ci::{Estimate, t975};
use serde::Serialize;
use serde_json::Value;

/// A metric that got significantly worse.
#[derive(Debug, Clone, Serialize)]
pub struct Regression {
    /// Metric path.
    pub metric: String,
    /// Baseline mean.
    pub old: f64,
    /// New mean.
    pub new: f64,
    /// (new − old) / |old|.
    pub relative_change: f64,
    /// Welch's t statistic.
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// The test used.
    pub test: &'static str,
}

/// +1 when a higher value is worse, −1 when a lower one is, `None` for metrics with no
/// better direction (volumes, utilization).
pub fn worse_direction(metric: &str) -> Option<f64> {
    match crate::metrics::def_of(metric)?.better {
        Better::Lower => Some(1.0),
        Better::Higher => Some(-1.0),
        Better::Neither => None,
    }
}

/// The metrics of `new` that regressed against `baseline` (a result.json as JSON).
pub fn regressions(baseline: &Value, new: &Report, tolerance: f64) -> Vec<Regression> {
    let old_n = baseline["replications"].as_u64().unwrap_or(0) as f64;
    let new_n = f64::from(new.replications);
    let mut out = Vec::new();
    let groups = new
        .queues
        .iter()
        .map(|(q, m)| (q.clone(), &baseline["queues"][q], m));
    let staff = new
        .staff
        .iter()
        .map(|(g, m)| (format!("staff.{g}"), &baseline["staff"][g], m));
    for (prefix, old_metrics, metrics) in groups.chain(staff) {
        for (name, e) in metrics {
            let path = format!("{prefix}.{name}");
            let Some(direction) = worse_direction(&path) else {
                continue;
            };
            let old = estimate(&old_metrics[name]);
            if let Some(r) = compare(&path, &old, old_n, e, new_n, direction, tolerance) {
                out.push(r);
            }
        }
    }
    out
}

fn estimate(v: &Value) -> Estimate {
    let ci = v["ci95"]
        .as_array()
        .and_then(|a| Some([a.first()?.as_f64()?, a.get(1)?.as_f64()?]));
    Estimate {
        mean: v["mean"].as_f64(),
        ci95: ci,
    }
}

/// Welch's test of new against old; a regression when significant, in the worse direction,
/// and beyond the tolerance.
fn compare(
    metric: &str,
    old: &Estimate,
    old_n: f64,
    new: &Estimate,
    new_n: f64,
    direction: f64,
    tolerance: f64,
) -> Option<Regression> {
    let (m1, h1, m2, h2) = (old.mean?, old.half_width()?, new.mean?, new.half_width()?);
    if old_n < 2.0 || new_n < 2.0 {
        return None;
    }
    let se1 = h1 / t975(old_n as usize - 1);
    let se2 = h2 / t975(new_n as usize - 1);
    let (v1, v2) = (se1 * se1, se2 * se2);
    let change = m2 - m1;
    let relative_change = change / m1.abs().max(1e-9);
    let worse = change * direction > 0.0 && relative_change.abs() > tolerance;
    if !worse {
        return None;
    }
    let (t, df) = if v1 + v2 > 0.0 {
        let df = (v1 + v2).powi(2)
            / (v1 * v1 / (old_n - 1.0) + v2 * v2 / (new_n - 1.0)).max(f64::MIN_POSITIVE);
        (change / (v1 + v2).sqrt(), df)
    } else {
        (f64::INFINITY, old_n + new_n - 2.0)
    };
    // The floor of the degrees of freedom gives a slightly larger critical value: conservative.
    let significant = t.abs() > t975((df.floor() as usize).max(1));
    significant.then(|| Regression {
        metric: metric.to_string(),
        old: m1,
        new: m2,
        relative_change,
        t,
        df,
        test: "Welch's t-test, 95%",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(mean: f64, hw: f64) -> Estimate {
        Estimate {
            mean: Some(mean),
            ci95: Some([mean - hw, mean + hw]),
        }
    }

    #[test]
    fn directions() {
        assert_eq!(worse_direction("phone.asa_s"), Some(1.0));
        assert_eq!(worse_direction("phone.service_level_pooled"), Some(-1.0));
        assert_eq!(worse_direction("staff.a.utilization"), None);
        assert_eq!(worse_direction("phone.offered"), None);
    }

    #[test]
    fn significant_and_large_worsening_only() {
        // 100 ± 2 → 120 ± 2 with 10 replications each: t ≈ 22, a 20% worsening.
        assert!(
            compare(
                "q.asa_s",
                &e(100.0, 2.0),
                10.0,
                &e(120.0, 2.0),
                10.0,
                1.0,
                0.05
            )
            .is_some()
        );
        // Better, not worse.
        assert!(
            compare(
                "q.asa_s",
                &e(120.0, 2.0),
                10.0,
                &e(100.0, 2.0),
                10.0,
                1.0,
                0.05
            )
            .is_none()
        );
        // Worse by 3%: under the 5% tolerance.
        assert!(
            compare(
                "q.asa_s",
                &e(100.0, 1.0),
                10.0,
                &e(103.0, 1.0),
                10.0,
                1.0,
                0.05
            )
            .is_none()
        );
        // Worse by 20% but within the noise.
        assert!(
            compare(
                "q.asa_s",
                &e(100.0, 40.0),
                10.0,
                &e(120.0, 40.0),
                10.0,
                1.0,
                0.05
            )
            .is_none()
        );
    }
}
