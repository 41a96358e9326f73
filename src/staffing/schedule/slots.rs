//! The week's slots of one interval length, what each replication's contacts did in them
//! (every week of the horizon folded onto the week), and the per-interval targets judged on
//! that: the schedule search's evidence.

use super::super::judge::Criteria;
use crate::calendar::week_label;
use crate::metrics::{MetricPath, QueueMetric};
use crate::model::Replication;
use crate::report::{TargetResult, judge};
use crate::scenario::units::WEEK_S;
use crate::scenario::validate::ValidScenario;
use crate::stats::ci::{Estimate, estimate, pooled_ratio};

/// The slots of the week: `count` intervals of `step_s` seconds from Monday 00:00.
#[derive(Debug, Clone, Copy)]
pub struct Week {
    pub step_s: f64,
    pub count: usize,
}

impl Week {
    pub fn new(step_s: f64) -> Self {
        Week {
            step_s,
            count: (WEEK_S / step_s).round() as usize,
        }
    }

    /// The slot of a report interval starting at `start_s` (seconds since time 0).
    pub fn slot_of(&self, start_s: f64) -> usize {
        ((start_s.rem_euclid(WEEK_S) / self.step_s).round() as usize) % self.count
    }

    /// `"mon 09:00"`.
    pub fn label(&self, slot: usize) -> String {
        week_label(self.start_s(slot))
    }

    /// Seconds since Monday 00:00.
    pub fn start_s(&self, slot: usize) -> f64 {
        slot as f64 * self.step_s
    }
}

/// What the contacts of one queue arriving in one slot did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub offered: f64,
    pub answered: f64,
    pub abandoned: f64,
    pub within_sl: f64,
    pub wait_answered_s: f64,
}

impl Counts {
    fn add(&mut self, t: &crate::model::IntervalTally) {
        self.offered += f64::from(t.offered);
        self.answered += f64::from(t.answered);
        self.abandoned += f64::from(t.abandoned);
        self.within_sl += f64::from(t.within_sl);
        self.wait_answered_s += t.wait_answered_s;
    }
}

/// A per-interval metric: what an interval's counts define.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SlotMetric {
    Asa,
    ServiceLevel,
    AbandonRate,
}

impl SlotMetric {
    /// The metric a target names, when an interval's counts give it (and whether pooled).
    fn of(m: QueueMetric) -> Option<(SlotMetric, bool)> {
        use QueueMetric::*;
        match m {
            AsaS => Some((SlotMetric::Asa, false)),
            AsaSPooled => Some((SlotMetric::Asa, true)),
            ServiceLevel => Some((SlotMetric::ServiceLevel, false)),
            ServiceLevelPooled => Some((SlotMetric::ServiceLevel, true)),
            AbandonRate => Some((SlotMetric::AbandonRate, false)),
            AbandonRatePooled => Some((SlotMetric::AbandonRate, true)),
            _ => None,
        }
    }

    /// Numerator and denominator in `c`.
    fn parts(self, c: &Counts) -> (f64, f64) {
        match self {
            SlotMetric::Asa => (c.wait_answered_s, c.answered),
            SlotMetric::ServiceLevel => (c.within_sl, c.offered),
            SlotMetric::AbandonRate => (c.abandoned, c.answered + c.abandoned),
        }
    }

    /// Its value in `c`; `None` where undefined.
    pub fn value(self, c: &Counts) -> Option<f64> {
        let (y, x) = self.parts(c);
        (x > 0.0).then(|| y / x)
    }
}

/// A target the schedule judges in every interval: on a queue the group serves, a metric an
/// interval's counts give.
#[derive(Debug, Clone)]
pub struct SlotTarget {
    pub label: String,
    pub queue: usize,
    pub metric: SlotMetric,
    pub pooled: bool,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// The per-interval targets of `sc` for the group serving `serves`.
pub fn slot_targets(sc: &ValidScenario, serves: &[usize]) -> Vec<SlotTarget> {
    let of = |t: &crate::scenario::validate::Target| {
        let MetricPath::Queue { queue, metric } = &t.metric else {
            return None;
        };
        let q = sc.queues.iter().position(|x| x.name == *queue)?;
        let (metric, pooled) = SlotMetric::of(*metric)?;
        serves.contains(&q).then(|| SlotTarget {
            label: t.label.clone(),
            queue: q,
            metric,
            pooled,
            min: t.min,
            max: t.max,
        })
    };
    sc.targets.iter().filter_map(of).collect()
}

/// Each replication's counts per slot and queue: summed over the weeks (`reps`) and week by
/// week (`days`, one entry per replication and week in which the slot lies in the grid).
#[derive(Debug, Clone)]
pub struct Collected {
    week: Week,
    queues: usize,
    /// `[slot * queues + queue]` → per replication.
    reps: Vec<Vec<Counts>>,
    /// `[slot * queues + queue]` → per replication and week.
    days: Vec<Vec<Counts>>,
}

impl Collected {
    pub fn new(week: Week, queues: usize) -> Self {
        let cells = week.count * queues;
        Collected {
            week,
            queues,
            reps: vec![vec![]; cells],
            days: vec![vec![]; cells],
        }
    }

    /// Folds one replication in.
    pub fn add(&mut self, rep: &Replication) {
        let mut sums = vec![Counts::default(); self.reps.len()];
        let mut seen = vec![false; self.reps.len()];
        for (i, chunk) in rep.intervals.chunks(self.queues).enumerate() {
            let start = rep.grid.start + rep.grid.step * i as f64;
            let slot = self.week.slot_of(start);
            for (q, t) in chunk.iter().enumerate() {
                let cell = slot * self.queues + q;
                let mut day = Counts::default();
                day.add(t);
                self.days[cell].push(day);
                sums[cell].add(t);
                seen[cell] = true;
            }
        }
        for ((cell, sum), seen) in self.reps.iter_mut().zip(sums).zip(seen) {
            if seen {
                cell.push(sum);
            }
        }
    }

    /// The replications' counts of queue `q` in `slot`.
    pub fn at(&self, slot: usize, q: usize) -> &[Counts] {
        &self.reps[slot * self.queues + q]
    }

    /// Mean contacts of queue `q` arriving in `slot`, per week.
    pub fn offered(&self, slot: usize, q: usize) -> f64 {
        let days = &self.days[slot * self.queues + q];
        let total: f64 = days.iter().map(|c| c.offered).sum();
        if days.is_empty() {
            0.0
        } else {
            total / days.len() as f64
        }
    }

    /// The estimate of `metric` for queue `q` in `slot` over the replications.
    pub fn estimate(&self, slot: usize, q: usize, metric: SlotMetric, pooled: bool) -> Estimate {
        let reps = self.at(slot, q);
        let e = if pooled {
            let (ys, xs): (Vec<f64>, Vec<f64>) = reps.iter().map(|c| metric.parts(c)).unzip();
            pooled_ratio(&ys, &xs)
        } else {
            estimate(&reps.iter().map(|c| metric.value(c)).collect::<Vec<_>>())
        };
        let top = (metric != SlotMetric::Asa).then_some(1.0);
        e.within(0.0, top)
    }

    /// Whether target `t` applies in `slot`: its queue got contacts there.
    pub fn applies(&self, slot: usize, t: &SlotTarget) -> bool {
        self.at(slot, t.queue).iter().any(|c| c.offered > 0.0)
    }

    /// Target `t` judged in `slot`, named `phone.asa_s in mon 09:00`. Under `--days P` the
    /// value judged is the share of days (a replication's week) whose interval is within the
    /// bounds, which must be at least P; a day whose contacts all abandoned has no ASA and
    /// counts as outside.
    pub fn judge(&self, slot: usize, t: &SlotTarget, criteria: &Criteria) -> TargetResult {
        let name = format!("{} in {}", t.label, self.week.label(slot));
        let Some(p) = criteria.days else {
            let e = self.estimate(slot, t.queue, t.metric, t.pooled);
            return judge(&name, t.min, t.max, &e);
        };
        let within = |v: f64| t.min.is_none_or(|m| v >= m) && t.max.is_none_or(|m| v <= m);
        let days = &self.days[slot * self.queues + t.queue];
        let shares: Vec<Option<f64>> = days
            .iter()
            .filter(|c| c.offered > 0.0)
            .map(|c| Some(if t.metric.value(c).is_some_and(within) { 1.0 } else { 0.0 }))
            .collect();
        let e = estimate(&shares).within(0.0, Some(1.0));
        judge(&format!("share of days with {name} within its bounds"), Some(p), None, &e)
    }

    /// Whether every target that applies in `slot` holds there.
    pub fn holds(&self, slot: usize, targets: &[SlotTarget], criteria: &Criteria) -> bool {
        targets.iter().filter(|t| self.applies(slot, t)).all(|t| {
            let r = self.judge(slot, t, criteria);
            if criteria.strict { r.met_strict } else { r.met }
        })
    }
}
