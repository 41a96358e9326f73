//! [`Report`]: the one serialisable result of a run. The table, the JSON, the CSV and the plots
//! are all rendered from it, as pure functions to bytes.

pub mod baseline;
pub mod check;
pub mod compare;
pub mod csv;
#[cfg(test)]
pub(crate) mod fixture;
pub mod html;
pub mod plot;
pub mod schedule;
pub mod staff;
pub mod sweep;
pub mod table;
pub mod warning;

pub use warning::Warning;

use crate::metrics::MetricPath;
use crate::stats::ci::Estimate;
use indexmap::IndexMap;
use serde::Serialize;

/// The result of running one scenario: what `callsim run --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Scenario name.
    pub scenario: String,
    /// Replications run.
    pub replications: u32,
    /// Seed used.
    pub seed: u64,
    /// How to replay this result exactly.
    pub provenance: Provenance,
    /// Queue → metric → estimate.
    pub queues: IndexMap<String, IndexMap<String, Estimate>>,
    /// Staff group → metric → estimate.
    pub staff: IndexMap<String, IndexMap<String, Estimate>>,
    /// Queue → the distribution of each replicated day's ASA.
    pub days: IndexMap<String, DailyReport>,
    /// Per report interval, means over replications.
    pub intervals: Vec<IntervalReport>,
    /// Every target with its verdict.
    pub targets: Vec<TargetResult>,
    /// Advice about traps in the scenario or the run.
    pub warnings: Vec<Warning>,
    /// Replications stopped early (too many waiting, or a backlog that never cleared): their
    /// numbers describe a truncated run, so `check` counts no target of it as met.
    pub replications_stopped_early: u32,
}

/// What identifies a run, so that a result can be reproduced byte for byte. Holds no clock
/// time and no thread count, which would break byte-identical output.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// Version of callsim that produced the result.
    pub callsim_version: String,
    /// SHA-256 of the scenario file's bytes.
    pub scenario_sha256: String,
    /// Seed.
    pub seed: u64,
    /// Replications.
    pub replications: u32,
    /// Random number generator.
    pub rng: String,
    /// How each replication's streams derive from the seed.
    pub streams: String,
    /// Events processed over all replications.
    pub events: u64,
}

/// Target-attainment risk: each whole day in [warmup, horizon) of each replication, with an
/// answered contact, is one replicated day; its ASA is the mean wait of the contacts that
/// arrived that day and were answered.
#[derive(Debug, Clone, Serialize)]
pub struct DailyReport {
    /// Replicated days counted.
    pub days: u64,
    /// Mean of the daily ASAs.
    pub asa_s_mean: Option<f64>,
    /// 10th percentile of the daily ASAs (within 0.8%, as the wait percentiles).
    pub asa_s_p10: Option<f64>,
    /// Median daily ASA.
    pub asa_s_p50: Option<f64>,
    /// 90th percentile of the daily ASAs.
    pub asa_s_p90: Option<f64>,
    /// Worst day.
    pub asa_s_max: Option<f64>,
    /// For each ASA target on the queue: the share of days whose ASA meets it.
    pub within: Vec<DailyShare>,
}

/// The share of days whose ASA is at most `max_s`.
#[derive(Debug, Clone, Serialize)]
pub struct DailyShare {
    /// The ASA bound (seconds), from a target.
    pub max_s: f64,
    /// Share of days within it: mean over replications of each one's share, with its ci95.
    pub share: Estimate,
}

/// One report interval: means over replications.
#[derive(Debug, Clone, Serialize)]
pub struct IntervalReport {
    /// Day and time of week of the interval start, e.g. `"mon 08:00"`.
    pub start: String,
    /// Week number, from 1.
    pub week: u32,
    /// Start in seconds since time 0.
    pub start_s: f64,
    /// Queue → values, by the interval of each contact's arrival.
    pub queues: IndexMap<String, IntervalQueue>,
    /// Staff group → values.
    pub staff: IndexMap<String, IntervalStaff>,
}

/// A queue's values in one interval (contacts arriving in it).
#[derive(Debug, Clone, Serialize)]
pub struct IntervalQueue {
    /// Mean contacts arriving.
    pub offered: f64,
    /// Mean of those answered.
    pub answered: f64,
    /// Mean of those abandoned.
    pub abandoned: f64,
    /// Mean over replications of the interval's ASA (replications with an answered contact).
    pub asa_s: Option<f64>,
    /// Its Student-t ci95.
    pub asa_s_ci95: Option<[f64; 2]>,
    /// Mean over replications of answered within the threshold / offered.
    pub service_level: Option<f64>,
}

/// A staff group's values in one interval.
#[derive(Debug, Clone, Serialize)]
pub struct IntervalStaff {
    /// Time-average agents scheduled.
    pub scheduled: f64,
    /// Time-average agents busy.
    pub busy: f64,
}

/// A target and its verdict.
#[derive(Debug, Clone, Serialize)]
pub struct TargetResult {
    /// The metric, as written in the scenario.
    pub metric: String,
    /// Upper bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Lower bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// The metric's mean.
    pub value: Option<f64>,
    /// The metric's ci95.
    pub ci95: Option<[f64; 2]>,
    /// Whether the mean is within the bounds.
    pub met: bool,
    /// Whether the whole ci95 is within the bounds (what `--strict` judges).
    pub met_strict: bool,
}

impl Report {
    /// The estimate of a metric path (`phone.asa_s` or `staff.agents.utilization`).
    pub fn metric(&self, path: &str) -> Option<&Estimate> {
        self.get(&MetricPath::parse(path).ok()?)
    }

    /// The estimate of a metric, when this result reports it.
    pub fn get(&self, path: &MetricPath) -> Option<&Estimate> {
        lookup(&self.queues, &self.staff, path)
    }
}

/// Per-replication values of every non-pooled metric: path (`phone.asa_s`,
/// `staff.agents.utilization`) → one value per replication (`None` where undefined). What
/// paired comparisons need.
pub type Samples = IndexMap<String, Vec<Option<f64>>>;

/// Queue → metric → estimate, as a result holds them.
pub type Estimates = IndexMap<String, IndexMap<String, Estimate>>;

/// The estimate at `path` among a result's queue and staff estimates.
pub fn lookup<'a>(
    queues: &'a Estimates,
    staff: &'a Estimates,
    path: &MetricPath,
) -> Option<&'a Estimate> {
    match path {
        MetricPath::Queue { queue, .. } => queues.get(queue)?.get(&path.name()),
        MetricPath::Staff { group, .. } => staff.get(group)?.get(&path.name()),
    }
}

/// Judges a target on an estimate.
pub fn judge(metric: &str, min: Option<f64>, max: Option<f64>, e: &Estimate) -> TargetResult {
    let within = |x: f64| min.is_none_or(|lo| x >= lo) && max.is_none_or(|hi| x <= hi);
    TargetResult {
        metric: metric.to_string(),
        max,
        min,
        value: e.mean,
        ci95: e.ci95,
        met: e.mean.is_some_and(within),
        met_strict: e.ci95.is_some_and(|[lo, hi]| within(lo) && within(hi)),
    }
}

pub use crate::calendar::week_label;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_needs_the_whole_interval() {
        let e = Estimate {
            mean: Some(100.0),
            ci95: Some([90.0, 130.0]),
        };
        let t = judge("phone.asa_s", None, Some(120.0), &e);
        assert!(t.met && !t.met_strict);
        let t = judge("phone.asa_s", Some(95.0), None, &e);
        assert!(t.met && !t.met_strict);
        assert!(
            !judge(
                "x",
                None,
                Some(1.0),
                &Estimate {
                    mean: None,
                    ci95: None
                }
            )
            .met
        );
    }
}
