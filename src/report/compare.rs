//! Paired comparisons: two scenarios run on the same random streams, replication by
//! replication, so each metric's difference gets a tight paired interval.

use super::Samples;
use super::table::number_to;
use crate::metrics::Unit;
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

/// A paired comparison: what `callsim compare --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The base scenario's name.
    pub base: String,
    /// The variant's name.
    pub variant: String,
    /// Replications, paired one to one.
    pub replications: u32,
    /// The seed both ran on.
    pub seed: u64,
    /// How to replay each run exactly.
    pub provenance: PairProvenance,
    /// Every metric both runs have, variant − base.
    pub differences: Vec<Difference>,
    /// Metrics only the base reports (queues or groups the variant lacks).
    pub only_in_base: Vec<String>,
    /// Metrics only the variant reports.
    pub only_in_variant: Vec<String>,
    /// Advice, also printed on stderr.
    pub warnings: Vec<super::Warning>,
}

/// The provenance of both runs of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct PairProvenance {
    /// The base's.
    pub base: super::Provenance,
    /// The variant's.
    pub variant: super::Provenance,
}

impl Comparison {
    /// Pairs two runs made on the same seed and replications.
    pub fn new(base: (&super::Report, &Samples), variant: (&super::Report, &Samples)) -> Self {
        let only = |a: &Samples, b: &Samples| -> Vec<String> {
            a.keys().filter(|k| !b.contains_key(*k)).cloned().collect()
        };
        let mut warnings = Vec::new();
        if base.0.replications < 2 {
            warnings.push(super::Warning::OneReplicationPaired);
        }
        Comparison {
            base: base.0.scenario.clone(),
            variant: variant.0.scenario.clone(),
            replications: base.0.replications,
            seed: base.0.seed,
            provenance: PairProvenance {
                base: base.0.provenance.clone(),
                variant: variant.0.provenance.clone(),
            },
            differences: paired(base.1, variant.1),
            only_in_base: only(base.1, variant.1),
            only_in_variant: only(variant.1, base.1),
            warnings,
        }
    }
}

/// The paired differences of every metric both runs have, over the replications where both
/// define it. A difference is significant when its ci95 excludes 0, which takes at least two
/// pairs (one pair has no interval).
pub fn paired(base: &Samples, variant: &Samples) -> Vec<Difference> {
    let mean = |xs: &[Option<f64>]| estimate(xs).mean;
    base.iter()
        .filter_map(|(metric, b)| {
            let v = variant.get(metric)?;
            let diffs: Vec<Option<f64>> =
                b.iter().zip(v).map(|(x, y)| Some((*y)? - (*x)?)).collect();
            let difference = estimate(&diffs);
            let pairs = diffs.iter().flatten().count();
            let significant =
                pairs >= 2 && difference.ci95.is_some_and(|[lo, hi]| lo > 0.0 || hi < 0.0);
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

/// The comparison as a table: base, variant, difference ± half-width (rates in percentage
/// points), and a mark for the significant ones.
pub fn table(c: &Comparison) -> String {
    let (base, variant, n, diffs) = (&c.base, &c.variant, c.replications, &c.differences);
    let mut out = format!(
        "{variant} vs {base}: paired differences over {n} replications on the same random streams\n(± is the paired 95% confidence half-width; * marks a difference whose interval excludes 0)\n\n"
    );
    let _ = writeln!(
        out,
        "{:<40} {:>16} {:>16} {:>26}",
        "metric", "base", "variant", "difference"
    );
    let num = |m: &str, v: Option<f64>| v.map_or("n/a".to_string(), |x| super::table::number(m, x));
    // A difference of two percentages is in percentage points.
    let points = |text: String| match text.strip_suffix(" %") {
        Some(t) => format!("{t} pp"),
        None => text,
    };
    for d in diffs {
        let unit = crate::metrics::def_of(&d.metric).map_or(Unit::Count, |d| d.unit);
        let diff = match (d.difference.mean, d.difference.half_width()) {
            (Some(m), Some(h)) => {
                // Digits enough for the half-width, or for the difference when it is exact.
                let scale = if h > 0.0 { h } else { m };
                format!(
                    "{}{} ± {}",
                    if m >= 0.0 { "+" } else { "" },
                    points(number_to(unit, m, scale)),
                    points(number_to(unit, h, scale))
                )
            }
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
    for (label, metrics) in [("base", &c.only_in_base), ("variant", &c.only_in_variant)] {
        if !metrics.is_empty() {
            let _ = writeln!(
                out,
                "\nonly in the {label}, not compared: {}",
                metrics.join(", ")
            );
        }
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

    #[test]
    fn one_pair_is_never_significant() {
        let base: Samples = IndexMap::from([("q.asa_s".to_string(), vec![Some(10.0)])]);
        let variant: Samples = IndexMap::from([("q.asa_s".to_string(), vec![Some(8.0)])]);
        let d = &paired(&base, &variant)[0];
        assert_eq!(d.difference.mean, Some(-2.0));
        assert!(!d.significant);
    }
}
