//! What a staffing search judges at one value: the scenario's targets as `check` judges them,
//! split into their bounds (a target with a `min` and a `max` is two bounds, which move in
//! opposite directions with a lever), with queue ASA targets judged on days under `--days P`.

use crate::metrics::{MetricPath, QueueMetric};
use crate::report::check::{Verdict, verdict};
use crate::report::staff::DAYS_PREFIX;
use crate::report::{Report, TargetResult, judge, table};
use crate::scenario::validate::ValidScenario;
use crate::stats::ci::Estimate;

/// How the targets are judged.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Criteria {
    /// A bound holds only when the whole ci95 is within it (`--strict`).
    pub strict: bool,
    /// A queue ASA target must hold on at least this share of the simulated days (`--days P`).
    pub days: Option<f64>,
}


/// Which side of a target a bound is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `metric <= limit`.
    Max,
    /// `metric >= limit`.
    Min,
}

/// One bound of one target: index into the judged targets and its side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// The target's index in the scenario's `targets`.
    pub target: usize,
    /// Which side.
    pub side: Side,
}

/// Where one bound stands in one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// It holds (the mean within it; the whole ci95 under `--strict`).
    pub holds: bool,
    /// More replications would not change that: the ci95 lies wholly on one side of the
    /// limit, or the metric is undefined (no replication can define it by running longer).
    pub clear: bool,
}

/// Every bound of the scenario's targets, in target order.
pub fn bounds(sc: &ValidScenario, criteria: &Criteria) -> Vec<Bound> {
    let mut out = Vec::new();
    for (target, t) in sc.targets.iter().enumerate() {
        let on_days = criteria.days.is_some() && is_daily(t);
        if t.min.is_some() || on_days {
            out.push(Bound { target, side: Side::Min });
        }
        if t.max.is_some() && !on_days {
            out.push(Bound { target, side: Side::Max });
        }
    }
    out
}

/// Whether `--days` judges this target on days: a queue ASA target with a `max`.
pub fn is_daily(t: &crate::scenario::validate::Target) -> bool {
    matches!(
        t.metric,
        MetricPath::Queue {
            metric: QueueMetric::AsaS,
            ..
        }
    ) && t.max.is_some()
}

/// The scenario's targets judged on `r`: as the report judged them, except that under
/// `--days P` a queue ASA target becomes "the share of days within its max is at least P".
pub fn targets(sc: &ValidScenario, r: &Report, criteria: &Criteria) -> Vec<TargetResult> {
    sc.targets
        .iter()
        .zip(&r.targets)
        .map(|(t, result)| match (criteria.days, &t.metric, t.max) {
            (Some(p), MetricPath::Queue { queue, .. }, Some(max)) if is_daily(t) => {
                let share = r.days.get(queue).and_then(|d| {
                    let w = d.within.iter().find(|w| w.max_s == max);
                    w.map(|w| w.share)
                });
                let none = Estimate {
                    mean: None,
                    ci95: None,
                };
                let name = format!(
                    "{DAYS_PREFIX}{} <= {}",
                    t.label,
                    table::number(&t.label, max)
                );
                judge(&name, Some(p), None, &share.unwrap_or(none))
            }
            _ => result.clone(),
        })
        .collect()
}

/// The verdicts of the judged targets, as `check --json` lists them.
pub fn verdicts(judged: &[TargetResult], criteria: &Criteria) -> Vec<Verdict> {
    judged
        .iter()
        .map(|t| {
            let (word, passed) = verdict(t, criteria.strict);
            Verdict {
                verdict: word,
                passed,
                target: t.clone(),
            }
        })
        .collect()
}

/// Where bound `b` stands among the judged targets.
pub fn standing(judged: &[TargetResult], b: Bound, criteria: &Criteria) -> Standing {
    let t = &judged[b.target];
    let limit = match b.side {
        Side::Max => t.max,
        Side::Min => t.min,
    };
    let (Some(limit), Some(mean)) = (limit, t.value) else {
        return Standing {
            holds: false,
            clear: true,
        };
    };
    let inside = |x: f64| match b.side {
        Side::Max => x <= limit,
        Side::Min => x >= limit,
    };
    let Some([lo, hi]) = t.ci95 else {
        return Standing {
            holds: !criteria.strict && inside(mean),
            clear: false,
        };
    };
    let (near, far) = match b.side {
        Side::Max => (lo, hi),
        Side::Min => (hi, lo),
    };
    Standing {
        holds: if criteria.strict {
            inside(far)
        } else {
            inside(mean)
        },
        clear: inside(far) || !inside(near),
    }
}

/// Whether the verdict over `which` bounds is settled: one of them is clearly broken, or all
/// are clear.
pub fn settled(judged: &[TargetResult], which: &[Bound], criteria: &Criteria) -> bool {
    let states: Vec<Standing> = which
        .iter()
        .map(|b| standing(judged, *b, criteria))
        .collect();
    states.iter().any(|s| s.clear && !s.holds) || states.iter().all(|s| s.clear)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asa(mean: f64, ci: [f64; 2]) -> Vec<TargetResult> {
        let e = Estimate {
            mean: Some(mean),
            ci95: Some(ci),
        };
        vec![judge("phone.asa_s", None, Some(120.0), &e)]
    }

    const MAX: Bound = Bound {
        target: 0,
        side: Side::Max,
    };

    #[test]
    fn a_bound_is_clear_when_its_interval_is_on_one_side() {
        let lax = Criteria::default();
        let strict = Criteria {
            strict: true,
            ..lax
        };
        let inside = asa(100.0, [90.0, 110.0]);
        assert_eq!(standing(&inside, MAX, &lax), Standing { holds: true, clear: true });
        let straddles = asa(115.0, [105.0, 125.0]);
        assert_eq!(standing(&straddles, MAX, &lax), Standing { holds: true, clear: false });
        assert_eq!(standing(&straddles, MAX, &strict), Standing { holds: false, clear: false });
        let outside = asa(130.0, [121.0, 139.0]);
        assert_eq!(standing(&outside, MAX, &lax), Standing { holds: false, clear: true });
        assert!(settled(&outside, &[MAX], &lax) && !settled(&straddles, &[MAX], &lax));
    }
}
