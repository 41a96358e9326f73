//! Runs replications in parallel and turns them into a [`Report`]. Prints nothing.
//!
//! Reproducibility: replication `r` draws queue `q`'s contacts from stream `q`,
//! `Xoshiro256PlusPlus::seed_from_u64(seed)` advanced by q·2^192 + r·2^128 steps, so streams
//! never overlap and depend on (seed, replication, queue) alone; a returning attempt draws
//! from its caller's own SplitMix64 stream, seeded from that stream.
//! Replications run on rayon in chunks and are folded in replication order, so the report is
//! byte-identical whatever the number of threads.

pub mod warnings;

use crate::metrics::{QUEUE_METRICS, STAFF_METRICS};
use crate::model::{DayTally, GroupTally, QueueTally, Replication, interval_grid, simulate};
use crate::report::{DailyReport, DailyShare};
use crate::report::{
    IntervalQueue, IntervalReport, IntervalStaff, Provenance, Report, judge, week_label,
};
use crate::scenario::units::DAY_S;
use crate::scenario::units::WEEK_S;
use crate::scenario::validate::{MetricRef, ValidScenario};
use crate::stats::WaitHistogram;
use crate::stats::Welford;
use crate::stats::ci::{Estimate, estimate, pooled_ratio};
use indexmap::IndexMap;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

/// Replications simulated per parallel chunk; bounds memory, does not affect results.
const CHUNK: u32 = 64;

/// The random streams replication `replication` of `sc` needs: one per queue (see
/// [`crate::model::simulate`]).
pub fn replication_streams(sc: &ValidScenario, replication: u32) -> Vec<Xoshiro256PlusPlus> {
    streams(sc.seed, replication, sc.queues.len())
}

/// `count` random streams of replication `replication`: stream i is the seed's stream long-
/// jumped i times, then jumped `replication` times.
pub fn streams(seed: u64, replication: u32, queues: usize) -> Vec<Xoshiro256PlusPlus> {
    (0..queues)
        .map(|q| {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
            rng.long_jump_times(q as u64);
            rng.jump_ce(u64::from(replication), 128);
            rng
        })
        .collect()
}

/// Long jumps (2^192 steps) `n` times: cheap for the few queues a scenario has.
trait LongJumps {
    fn long_jump_times(&mut self, n: u64);
}

impl LongJumps for Xoshiro256PlusPlus {
    fn long_jump_times(&mut self, n: u64) {
        (0..n).for_each(|_| self.long_jump());
    }
}

/// The streams of consecutive replications, the same as [`streams`] gives, but each one
/// jump (2^128 steps) after the previous instead of a jump computed from scratch, which
/// costs a 256-bit polynomial power per stream.
struct StreamCursor {
    next: Vec<Xoshiro256PlusPlus>,
}

impl StreamCursor {
    fn new(seed: u64, queues: usize) -> Self {
        StreamCursor {
            next: streams(seed, 0, queues),
        }
    }

    /// The streams of the next replication.
    fn advance(&mut self) -> Vec<Xoshiro256PlusPlus> {
        let current = self.next.clone();
        self.next.iter_mut().for_each(Xoshiro256PlusPlus::jump);
        current
    }
}

/// Simulates `sc.replications` replications on the current rayon pool and reports them.
/// `progress` is called once per finished replication (from any thread).
pub fn run(sc: &ValidScenario, scenario_sha256: &str, progress: &(dyn Fn() + Sync)) -> Report {
    run_with_samples(sc, scenario_sha256, progress).0
}

/// Per-replication values of every non-pooled metric: path (`phone.asa_s`,
/// `staff.agents.utilization`) → one value per replication (`None` where undefined).
pub type Samples = IndexMap<String, Vec<Option<f64>>>;

/// As [`run`], also returning every replication's metric values (for paired comparisons).
pub fn run_with_samples(
    sc: &ValidScenario,
    scenario_sha256: &str,
    progress: &(dyn Fn() + Sync),
) -> (Report, Samples) {
    let mut acc = Accumulator::new(sc);
    let mut cursor = StreamCursor::new(sc.seed, sc.queues.len());
    add_replications(sc, &mut acc, &mut cursor, sc.replications, progress);
    let samples = acc.samples(sc);
    (acc.report(sc, scenario_sha256), samples)
}

/// When adaptive runs stop adding replications.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StopRule {
    /// Every target's metric (every queue's ASA without targets) has a ci95 half-width within
    /// this share of its mean.
    Precision(f64),
    /// Every target's ci95 lies wholly inside or wholly outside each of its bounds, so the
    /// verdict no longer depends on noise.
    Decided,
}

/// Adaptive replication: runs `sc.replications`, then batches of as many again, until `rule`
/// holds or `max_reps` are done. Decisions fall only after whole batches, so the result does
/// not depend on the thread count. The report's `replications` says how many were used; the
/// flag says whether `rule` held at the end (false when `max_reps` stopped it).
pub fn run_until(
    sc: &ValidScenario,
    scenario_sha256: &str,
    rule: StopRule,
    max_reps: u32,
    progress: &(dyn Fn() + Sync),
) -> (Report, bool) {
    let mut acc = Accumulator::new(sc);
    let mut cursor = StreamCursor::new(sc.seed, sc.queues.len());
    let batch = sc.replications.max(2);
    let mut done = 0;
    let held = loop {
        let n = batch.min(max_reps.saturating_sub(done)).max(1);
        add_replications(sc, &mut acc, &mut cursor, n, progress);
        done += n;
        let held = acc.satisfies(sc, rule);
        if held || done >= max_reps {
            break held;
        }
    };
    let mut sc = sc.clone();
    sc.replications = done;
    (acc.report(&sc, scenario_sha256), held)
}

/// Simulates the next `count` replications (in parallel chunks) and folds them in order.
fn add_replications(
    sc: &ValidScenario,
    acc: &mut Accumulator,
    cursor: &mut StreamCursor,
    count: u32,
    progress: &(dyn Fn() + Sync),
) {
    let mut first = 0;
    while first < count {
        let last = (first + CHUNK).min(count);
        let jobs: Vec<_> = (first..last).map(|_| cursor.advance()).collect();
        let reps: Vec<Replication> = jobs
            .into_par_iter()
            .map(|rngs| {
                let rep = simulate(sc, rngs);
                progress();
                rep
            })
            .collect();
        reps.iter().for_each(|rep| acc.add(rep));
        first = last;
    }
}

/// One metric over replications: per-replication values, and numerator/denominator pairs for
/// pooled ratios.
#[derive(Debug, Default)]
struct Series {
    name: String,
    /// For `utilization_on_<queue>`: the queue's index.
    on_queue: Option<usize>,
    values: Vec<Option<f64>>,
    ys: Vec<f64>,
    xs: Vec<f64>,
}

impl Series {
    fn push(&mut self, value: Option<f64>, parts: Option<(f64, f64)>) {
        match parts {
            Some((y, x)) => {
                self.ys.push(y);
                self.xs.push(x);
            }
            None => self.values.push(value),
        }
    }

    fn named(name: &str, on_queue: Option<usize>) -> Self {
        Series {
            name: name.to_string(),
            on_queue,
            ..Default::default()
        }
    }

    fn estimate(&self) -> Estimate {
        if self.name.ends_with("_pooled") {
            pooled_ratio(&self.ys, &self.xs)
        } else {
            estimate(&self.values)
        }
    }
}

/// Folds replications, in order, into everything the report needs.
struct Accumulator {
    window_s: f64,
    horizon_s: f64,
    queue_series: Vec<Vec<Series>>,
    staff_series: Vec<Vec<Series>>,
    /// Per interval and queue: offered, answered, abandoned, asa_s, service_level.
    interval_queues: Vec<[Welford; 5]>,
    /// Per interval and group: scheduled, busy.
    interval_staff: Vec<[Welford; 2]>,
    daily: Vec<DailyAccumulator>,
    capped: Vec<(u32, f64)>,
    events: u64,
    seen: u32,
}

/// The daily ASAs of one queue over all replications.
#[derive(Debug, Default)]
struct DailyAccumulator {
    /// Whole days inside [warmup, horizon).
    first_day: usize,
    last_day: usize,
    histogram: WaitHistogram,
    mean: Welford,
    max: Option<f64>,
    /// ASA bounds from targets, and each replication's share of days within them.
    within: Vec<(f64, Vec<Option<f64>>)>,
}

impl DailyAccumulator {
    fn new(sc: &ValidScenario, q: usize) -> Self {
        let name = &sc.queues[q].name;
        let bounds = sc.targets.iter().filter_map(|t| match &t.metric {
            MetricRef::Queue { queue, metric } if queue == name && metric == "asa_s" => t.max,
            _ => None,
        });
        DailyAccumulator {
            first_day: (sc.warmup_s / DAY_S).ceil() as usize,
            last_day: (sc.horizon_s / DAY_S).floor() as usize,
            within: bounds.map(|b| (b, vec![])).collect(),
            ..Default::default()
        }
    }

    fn add(&mut self, t: &QueueTally) {
        let days = t.days.get(self.first_day..self.last_day).unwrap_or(&[]);
        let asas: Vec<f64> = days
            .iter()
            .filter_map(|d| ratio(d.wait_answered_s, f64::from(d.answered)))
            .collect();
        for &a in &asas {
            self.histogram.record(a);
            self.mean.push(a);
            self.max = Some(self.max.map_or(a, |m| m.max(a)));
        }
        for (bound, shares) in &mut self.within {
            let n = asas.iter().filter(|a| **a <= *bound).count();
            shares.push(ratio(n as f64, asas.len() as f64));
        }
    }

    fn report(&self) -> DailyReport {
        let h = &self.histogram;
        DailyReport {
            days: h.count(),
            asa_s_mean: self.mean.estimate().mean,
            asa_s_p10: h.quantile(0.10),
            asa_s_p50: h.quantile(0.50),
            asa_s_p90: h.quantile(0.90),
            asa_s_max: self.max,
            within: self
                .within
                .iter()
                .map(|(b, shares)| DailyShare {
                    max_s: *b,
                    share: estimate(shares),
                })
                .collect(),
        }
    }
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

/// A queue metric of one replication (`None` for the pooled ones, which use `queue_parts`).
/// `days` are the whole days in the window.
fn queue_value(name: &str, t: &QueueTally, window_s: f64, days: &[DayTally]) -> Option<f64> {
    let left = (t.answered + t.abandoned) as f64;
    let backlogs = days.iter().map(|d| f64::from(d.backlog_end));
    match name {
        "backlog_end_of_day_mean" => ratio(backlogs.sum(), days.len() as f64),
        "backlog_end_of_day_max" => backlogs.reduce(f64::max),
        "offered" => Some(t.offered as f64),
        "callers" => Some(t.callers as f64),
        "redials" => Some(t.redials as f64),
        "callers_lost" => Some(t.callers_lost as f64),
        "answered" => Some(t.answered as f64),
        "unreached" => Some(t.unreached as f64),
        "booked" => Some(t.booked as f64),
        "bookings" => Some(t.bookings as f64),
        "booking_lead_s" => ratio(t.booking_lead_s, t.bookings as f64),
        "booking_lead_p90_s" => t.booking_leads.quantile(0.9),
        "booking_lead_max_s" => (t.bookings > 0).then_some(t.booking_lead_max_s),
        "slot_utilization" => ratio(t.slots_booked, t.slots_capacity),
        "bookings_unserved_at_horizon" => Some(t.bookings_unserved_at_horizon as f64),
        "abandoned" => Some(t.abandoned as f64),
        "asa_s" => ratio(t.wait_answered_s, t.answered as f64),
        "mean_wait_s" => ratio(t.wait_answered_s + t.wait_abandoned_s, left),
        "wait_p50_s" => t.waits.quantile(0.50),
        "wait_p90_s" => t.waits.quantile(0.90),
        "wait_p95_s" => t.waits.quantile(0.95),
        "max_wait_s" => (t.answered > 0).then_some(t.max_wait_s),
        "abandon_rate" => ratio(t.abandoned as f64, left),
        "service_level" => ratio(t.within_sl as f64, t.offered as f64),
        "queue_len_mean" => Some(t.queue_len_area / window_s),
        _ => None,
    }
}

/// Numerator and denominator of a pooled queue metric.
fn queue_parts(name: &str, t: &QueueTally) -> Option<(f64, f64)> {
    let left = (t.answered + t.abandoned) as f64;
    match name {
        "asa_s_pooled" => Some((t.wait_answered_s, t.answered as f64)),
        "mean_wait_s_pooled" => Some((t.wait_answered_s + t.wait_abandoned_s, left)),
        "abandon_rate_pooled" => Some((t.abandoned as f64, left)),
        "service_level_pooled" => Some((t.within_sl as f64, t.offered as f64)),
        _ => None,
    }
}

fn staff_value(name: &str, on_queue: Option<usize>, g: &GroupTally, window_s: f64) -> Option<f64> {
    if let Some(q) = on_queue {
        return ratio(g.busy_by_queue[q], g.on_duty_area);
    }
    match name {
        "utilization" => ratio(g.busy_area, g.on_duty_area),
        "agents_mean" => Some(g.on_duty_area / window_s),
        _ => None,
    }
}

fn staff_parts(name: &str, g: &GroupTally) -> Option<(f64, f64)> {
    (name == "utilization_pooled").then_some((g.busy_area, g.on_duty_area))
}

impl Accumulator {
    fn new(sc: &ValidScenario) -> Self {
        let grid = interval_grid(sc);
        let queue_series = |q: &crate::scenario::validate::QueueModel| {
            let defs = QUEUE_METRICS.iter().filter(|d| d.when.applies(q));
            defs.map(|d| Series::named(d.name, None)).collect()
        };
        let staff_series = |g: &crate::scenario::validate::GroupModel| {
            let fixed = STAFF_METRICS.iter().map(|d| Series::named(d.name, None));
            let on_queue = g
                .serves
                .iter()
                .map(|&q| Series::named(&format!("utilization_on_{}", sc.queues[q].name), Some(q)));
            fixed.chain(on_queue).collect()
        };
        Accumulator {
            window_s: sc.horizon_s - sc.warmup_s,
            horizon_s: sc.horizon_s,
            queue_series: sc.queues.iter().map(queue_series).collect(),
            staff_series: sc.groups.iter().map(staff_series).collect(),
            interval_queues: vec![Default::default(); grid.count * sc.queues.len()],
            interval_staff: vec![Default::default(); grid.count * sc.groups.len()],
            daily: (0..sc.queues.len())
                .map(|q| DailyAccumulator::new(sc, q))
                .collect(),
            capped: vec![],
            events: 0,
            seen: 0,
        }
    }

    fn add(&mut self, rep: &Replication) {
        let (first, last) = (self.daily[0].first_day, self.daily[0].last_day);
        for (series, t) in self.queue_series.iter_mut().zip(&rep.queues) {
            let days = t.days.get(first..last).unwrap_or(&[]);
            for s in series {
                let value = queue_value(&s.name, t, self.window_s, days);
                s.push(value, queue_parts(&s.name, t));
            }
        }
        for (series, g) in self.staff_series.iter_mut().zip(&rep.groups) {
            for s in series {
                s.push(
                    staff_value(&s.name, s.on_queue, g, self.window_s),
                    staff_parts(&s.name, g),
                );
            }
        }
        self.add_intervals(rep);
        for (d, t) in self.daily.iter_mut().zip(&rep.queues) {
            d.add(t);
        }
        if let Some(t) = rep.capped_at {
            self.capped.push((self.seen, t));
        }
        self.events += rep.events;
        self.seen += 1;
    }

    fn add_intervals(&mut self, rep: &Replication) {
        for (acc, iv) in self.interval_queues.iter_mut().zip(&rep.intervals) {
            let values = [
                Some(f64::from(iv.offered)),
                Some(f64::from(iv.answered)),
                Some(f64::from(iv.abandoned)),
                ratio(iv.wait_answered_s, f64::from(iv.answered)),
                ratio(f64::from(iv.within_sl), f64::from(iv.offered)),
            ];
            for (w, v) in acc.iter_mut().zip(values) {
                if let Some(v) = v {
                    w.push(v);
                }
            }
        }
        let ng = rep.groups.len();
        for (i, acc) in self.interval_staff.iter_mut().enumerate() {
            let (iv, g) = (i / ng, &rep.groups[i % ng]);
            let length = interval_length(rep, iv, self.horizon_s);
            acc[0].push(g.scheduled_by_interval[iv] / length);
            acc[1].push(g.busy_by_interval[iv] / length);
        }
    }

    /// The current estimate of a metric path.
    fn estimate_of(&self, sc: &ValidScenario, path: &str) -> Option<Estimate> {
        let parts: Vec<&str> = path.split('.').collect();
        let series = match parts.as_slice() {
            ["staff", g, m] => {
                let i = sc.groups.iter().position(|x| x.name == *g)?;
                self.staff_series[i].iter().find(|s| s.name == *m)
            }
            [q, m] => {
                let i = sc.queues.iter().position(|x| x.name == *q)?;
                self.queue_series[i].iter().find(|s| s.name == *m)
            }
            _ => None,
        };
        series.map(Series::estimate)
    }

    /// Whether the stop rule holds for the replications folded so far.
    fn satisfies(&self, sc: &ValidScenario, rule: StopRule) -> bool {
        match rule {
            StopRule::Precision(relative) => {
                let judged: Vec<String> = if sc.targets.is_empty() {
                    sc.queues
                        .iter()
                        .map(|q| format!("{}.asa_s", q.name))
                        .collect()
                } else {
                    sc.targets.iter().map(|t| target_path(&t.metric)).collect()
                };
                judged.iter().all(|path| {
                    let e = self.estimate_of(sc, path);
                    e.and_then(|e| e.mean.zip(e.half_width()))
                        .is_some_and(|(m, h)| h <= relative * m.abs())
                })
            }
            StopRule::Decided => sc.targets.iter().all(|t| {
                let Some([lo, hi]) = self
                    .estimate_of(sc, &target_path(&t.metric))
                    .and_then(|e| e.ci95)
                else {
                    return false;
                };
                let max_clear = t.max.is_none_or(|m| hi <= m || lo > m);
                let min_clear = t.min.is_none_or(|m| lo >= m || hi < m);
                max_clear && min_clear
            }),
        }
    }

    fn samples(&self, sc: &ValidScenario) -> Samples {
        let queues = sc
            .queues
            .iter()
            .zip(&self.queue_series)
            .flat_map(|(q, series)| {
                series
                    .iter()
                    .filter(|s| !s.name.ends_with("_pooled"))
                    .map(move |s| (format!("{}.{}", q.name, s.name), s.values.clone()))
            });
        let staff = sc
            .groups
            .iter()
            .zip(&self.staff_series)
            .flat_map(|(g, series)| {
                series
                    .iter()
                    .filter(|s| !s.name.ends_with("_pooled"))
                    .map(move |s| (format!("staff.{}.{}", g.name, s.name), s.values.clone()))
            });
        queues.chain(staff).collect()
    }

    fn report(self, sc: &ValidScenario, scenario_sha256: &str) -> Report {
        let metrics = |series: &[Series]| -> IndexMap<String, Estimate> {
            series
                .iter()
                .map(|s| (s.name.clone(), s.estimate()))
                .collect()
        };
        let queues: IndexMap<_, _> = sc
            .queues
            .iter()
            .zip(&self.queue_series)
            .map(|(q, s)| (q.name.clone(), metrics(s)))
            .collect();
        let staff: IndexMap<_, _> = sc
            .groups
            .iter()
            .zip(&self.staff_series)
            .map(|(g, s)| (g.name.clone(), metrics(s)))
            .collect();
        let mut report = Report {
            scenario: sc.name.clone(),
            replications: sc.replications,
            seed: sc.seed,
            provenance: provenance(sc, scenario_sha256, self.events),
            queues,
            staff,
            days: sc
                .queues
                .iter()
                .zip(&self.daily)
                .map(|(q, d)| (q.name.clone(), d.report()))
                .collect(),
            intervals: self.intervals(sc),
            targets: vec![],
            warnings: warnings::for_scenario(sc),
            replications_stopped_early: self.capped.len() as u32,
        };
        report.warnings.extend(warnings::for_capped(&self.capped));
        report.targets = sc
            .targets
            .iter()
            .map(|t| {
                let path = target_path(&t.metric);
                let e = report.metric(&path).copied().unwrap_or(Estimate {
                    mean: None,
                    ci95: None,
                });
                judge(&t.label, t.min, t.max, &e)
            })
            .collect();
        report
    }

    fn intervals(&self, sc: &ValidScenario) -> Vec<IntervalReport> {
        let grid = interval_grid(sc);
        let (nq, ng) = (sc.queues.len(), sc.groups.len());
        (0..grid.count)
            .map(|i| {
                let start = grid.start + grid.step * i as f64;
                let queues = sc.queues.iter().enumerate().map(|(q, queue)| {
                    let w = &self.interval_queues[i * nq + q];
                    let asa = w[3].estimate();
                    let iq = IntervalQueue {
                        offered: w[0].estimate().mean.unwrap_or(0.0),
                        answered: w[1].estimate().mean.unwrap_or(0.0),
                        abandoned: w[2].estimate().mean.unwrap_or(0.0),
                        asa_s: asa.mean,
                        asa_s_ci95: asa.ci95,
                        service_level: w[4].estimate().mean,
                    };
                    (queue.name.clone(), iq)
                });
                let staff = sc.groups.iter().enumerate().map(|(g, group)| {
                    let w = &self.interval_staff[i * ng + g];
                    let mean = |w: &Welford| w.estimate().mean.unwrap_or(0.0);
                    (
                        group.name.clone(),
                        IntervalStaff {
                            scheduled: mean(&w[0]),
                            busy: mean(&w[1]),
                        },
                    )
                });
                IntervalReport {
                    start: week_label(start),
                    week: (start / WEEK_S).floor() as u32 + 1,
                    start_s: start,
                    queues: queues.collect(),
                    staff: staff.collect(),
                }
            })
            .collect()
    }
}

/// Length of interval `i` within the horizon (the last one may be cut short).
fn interval_length(rep: &Replication, i: usize, horizon_s: f64) -> f64 {
    let start = rep.grid.start + rep.grid.step * i as f64;
    rep.grid.step.min(horizon_s - start)
}

/// The result path of a target's metric.
fn target_path(m: &MetricRef) -> String {
    match m {
        MetricRef::Queue { queue, metric } => format!("{queue}.{metric}"),
        MetricRef::Staff { group, metric } => format!("staff.{group}.{metric}"),
    }
}

fn provenance(sc: &ValidScenario, scenario_sha256: &str, events: u64) -> Provenance {
    Provenance {
        callsim_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_sha256: scenario_sha256.to_string(),
        seed: sc.seed,
        replications: sc.replications,
        rng: "Xoshiro256PlusPlus (rand_xoshiro 0.8)".to_string(),
        streams: "queue q of replication r: seed_from_u64(seed), then q long jumps (2^192) and r jumps (2^128); a redial or booked call draws from its caller's SplitMix64 stream, seeded by the caller's previous attempt"
            .to_string(),
        events,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn the_cursor_gives_the_same_streams_as_direct_jumps() {
        let mut cursor = StreamCursor::new(42, 3);
        for r in 0..5 {
            let mut a = cursor.advance();
            let mut b = streams(42, r, 3);
            for (x, y) in a.iter_mut().zip(&mut b) {
                assert_eq!(x.next_u64(), y.next_u64(), "replication {r}");
            }
        }
    }

    #[test]
    fn long_jumps_are_jumps_of_2_to_the_192() {
        let mut a = Xoshiro256PlusPlus::seed_from_u64(7);
        let mut b = a.clone();
        a.long_jump_times(2);
        b.jump_ce(2, 192);
        assert_eq!(a.next_u64(), b.next_u64());
    }
}
