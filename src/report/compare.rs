//! Paired comparisons: two scenarios run on the same random streams, replication by
//! replication, so each metric's difference gets a tight paired interval.

use crate::runner::Samples;
use crate::stats::ci::{Estimate, estimate};
use serde::Serialize;
use std::fmt::Write;

/// One metric's difference, variant − base.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    /// Metric path.
    pub metric: String,
    /// Mean in the base.
    pub base: Option<f64>,
    /// Mean in the variant.
    pub variant: Option<f64>,
    /// Mean of the per-replication differences with its paired Student-t ci95.
    pub difference: Estimate,
    /// Whether the ci95 of the difference excludes 0.
    pub significant: bool,
}

/// The paired differences of every metric both runs have, over the replications where both
/// define it.
pub fn paired(base: &Samples, variant: &Samples) -> Vec<Difference> {
    let mean = |xs: &[Option<f64>]| estimate(xs).mean;
    base.iter()
        .filter_map(|(metric, b)| {
            let v = variant.get(metric)?;
            let diffs: Vec<Option<f64>> =
                b.iter().zip(v).map(|(x, y)| Some((*y)? - (*x)?)).collect();
            let difference = estimate(&diffs);
            let significant = difference.ci95.is_some_and(|[lo, hi]| lo > 0.0 || hi < 0.0);
            Some(Difference {
                metric: metric.clone(),
                base: mean(b),
                variant: mean(v),
                difference,
                significant,
            })
        })
        .collect()
}

/// The comparison as a table: base, variant, difference ± half-width, and a mark for the
/// significant ones.
pub fn table(base: &str, variant: &str, n: u32, diffs: &[Difference]) -> String {
    let mut out = format!(
        "{variant} vs {base}: paired differences over {n} replications on the same random streams\n(± is the paired 95% confidence half-width; * marks a difference whose interval excludes 0)\n\n"
    );
    let _ = writeln!(
        out,
        "{:<40} {:>16} {:>16} {:>26}",
        "metric", "base", "variant", "difference"
    );
    let num = |m: &str, v: Option<f64>| v.map_or("n/a".to_string(), |x| super::table::number(m, x));
    for d in diffs {
        let diff = match (d.difference.mean, d.difference.half_width()) {
            (Some(m), Some(h)) => format!(
                "{}{} ± {}",
                if m >= 0.0 { "+" } else { "" },
                num(&d.metric, Some(m)),
                num(&d.metric, Some(h))
            ),
            _ => "n/a".to_string(),
        };
        let mark = if d.significant { " *" } else { "" };
        let _ = writeln!(
            out,
            "{:<40} {:>16} {:>16} {:>26}{mark}",
            d.metric,
            num(&d.metric, d.base),
            num(&d.metric, d.variant),
            diff
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;

    #[test]
    fn paired_differences_cancel_common_noise() {
        // The replications vary a lot, the difference by exactly -2 each time.
        let base: Samples = IndexMap::from([(
            "q.asa_s".to_string(),
            vec![Some(10.0), Some(50.0), Some(30.0)],
        )]);
        let variant: Samples = IndexMap::from([(
            "q.asa_s".to_string(),
            vec![Some(8.0), Some(48.0), Some(28.0)],
        )]);
        let d = &paired(&base, &variant)[0];
        assert_eq!(d.difference.mean, Some(-2.0));
        assert_eq!(d.difference.ci95, Some([-2.0, -2.0]));
        assert!(d.significant);
        assert_eq!((d.base, d.variant), (Some(30.0), Some(28.0)));
    }
}
