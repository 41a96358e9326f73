//! Runs replications in parallel and turns them into a [`Report`]. Prints nothing.
//!
//! Reproducibility: replication `r` draws queue `q`'s contacts from stream `q`,
//! `Xoshiro256PlusPlus::seed_from_u64(seed)` advanced by q·2^192 + r·2^128 steps, so streams
//! never overlap and depend on (seed, replication, queue) alone; a returning attempt draws
//! from its caller's own SplitMix64 stream, seeded from that stream.
//! Replications run on rayon in chunks and are folded in replication order, so the report is
//! byte-identical whatever the number of threads.

pub mod warnings;

use crate::metrics::{MetricDef, MetricPath, QueueMetric, STAFF_METRICS, StaffMetric, Unit};
use crate::model::{DayTally, GroupTally, QueueTally, Replication, interval_grid};
use crate::report::{DailyReport, DailyShare};
use crate::report::{
    IntervalQueue, IntervalReport, IntervalStaff, Provenance, Report, judge, week_label,
};
use crate::scenario::units::DAY_S;
use crate::scenario::units::WEEK_S;
use crate::scenario::validate::ValidScenario;
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
#[cfg(any(test, feature = "internals"))]
pub fn replication_streams(sc: &ValidScenario, replication: u32) -> Vec<Xoshiro256PlusPlus> {
    streams(sc.seed, replication, sc.queues.len())
}

/// The first replication of `sc` with a record of every attempt (`run --calls`): the same
/// replication the run's first is.
pub fn first_traced(sc: &ValidScenario) -> Vec<crate::model::trace::Traced> {
    crate::model::simulate_traced(sc, streams(sc.seed, 0, sc.queues.len())).1
}

/// `count` random streams of replication `replication`: stream i is the seed's stream long-
/// jumped i times, then jumped `replication` times. Jumps commute (each multiplies the state
/// by a power of the same linear map), so the replication's jump is made once and the
/// streams follow one long jump apart: linear in the number of queues.
pub fn streams(seed: u64, replication: u32, queues: usize) -> Vec<Xoshiro256PlusPlus> {
    let mut next = Xoshiro256PlusPlus::seed_from_u64(seed);
    next.jump_ce(u64::from(replication), 128);
    (0..queues)
        .map(|_| {
            let stream = next.clone();
            next.long_jump();
            stream
        })
        .collect()
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
/// `progress` is called [`crate::model::TICKS`] times per replication (from any thread).
pub fn run(sc: &ValidScenario, scenario_sha256: &str, progress: &dyn crate::model::Progress) -> Report {
    run_with_samples(sc, scenario_sha256, progress).0
}

pub use crate::report::Samples;

/// As [`run`], also returning every replication's metric values (for paired comparisons).
pub fn run_with_samples(
    sc: &ValidScenario,
    scenario_sha256: &str,
    progress: &dyn crate::model::Progress,
) -> (Report, Samples) {
    let mut acc = Accumulator::new(sc);
    let mut cursor = StreamCursor::new(sc.seed, sc.queues.len());
    add_replications(sc, &mut acc, &mut cursor, sc.replications, progress, &mut |_| {});
    let samples = acc.samples(sc);
    (acc.report(sc, scenario_sha256), samples)
}

/// As [`run`], also showing `visit` every replication, in replication order (whatever the
/// thread count): for searches that judge what the report only averages, such as each
/// interval's values per replication.
pub fn run_visiting(
    sc: &ValidScenario,
    scenario_sha256: &str,
    progress: &dyn crate::model::Progress,
    visit: &mut dyn FnMut(&Replication),
) -> Report {
    let mut acc = Accumulator::new(sc);
    let mut cursor = StreamCursor::new(sc.seed, sc.queues.len());
    add_replications(sc, &mut acc, &mut cursor, sc.replications, progress, visit);
    acc.report(sc, scenario_sha256)
}

/// The replications shard `k` of `n` (from 1) simulates: a contiguous block, the blocks as
/// equal as whole replications allow (every replication of a run costs the same).
pub fn shard_range(replications: u32, k: u32, n: u32) -> std::ops::Range<u32> {
    let at = |i: u32| (u64::from(replications) * u64::from(i) / u64::from(n.max(1))) as u32;
    at(k - 1)..at(k)
}

/// Replications `range` of `sc`, each on its own streams (the same as a whole run gives it),
/// in parallel, in replication order.
pub fn simulate_range(
    sc: &ValidScenario,
    range: std::ops::Range<u32>,
    progress: &dyn crate::model::Progress,
) -> Vec<Replication> {
    range
        .into_par_iter()
        .map(|r| crate::model::simulate_with_progress(sc, streams(sc.seed, r, sc.queues.len()), progress))
        .collect()
}

/// Replications `range` of `sc` as their metric values (see [`MetricValues`]), simulated as
/// [`simulate_range`] does.
pub fn metric_values_range(
    sc: &ValidScenario,
    range: std::ops::Range<u32>,
    progress: &dyn crate::model::Progress,
) -> Vec<MetricValues> {
    let acc = Accumulator::new(sc);
    range
        .into_par_iter()
        .map(|r| {
            let rngs = streams(sc.seed, r, sc.queues.len());
            acc.values_of(&crate::model::simulate_with_progress(sc, rngs, progress))
        })
        .collect()
}

/// Folds replications simulated apart (a run's or a sweep point's shards), in replication
/// order, into the report a whole run gives.
pub struct Fold<'a> {
    sc: &'a ValidScenario,
    acc: Accumulator,
}

impl<'a> Fold<'a> {
    pub fn new(sc: &'a ValidScenario) -> Self {
        Fold { sc, acc: Accumulator::new(sc) }
    }

    /// Folds the next replication's tallies; false (folding nothing) when they are not of
    /// `sc`'s shape.
    pub fn add(&mut self, rep: &Replication) -> bool {
        let (nq, ng) = (self.sc.queues.len(), self.sc.groups.len());
        let intervals = self.acc.interval_queues.len() / nq.max(1);
        let fits = rep.queues.len() == nq
            && rep.groups.len() == ng
            && rep.intervals.len() == intervals * nq
            && rep.groups.iter().all(|g| {
                g.scheduled_by_interval.len() >= intervals && g.busy_by_interval.len() >= intervals && g.busy_by_queue.len() == nq
            });
        if fits {
            self.acc.add(rep);
        }
        fits
    }

    /// Folds the next replication's metric values alone: the report's queue and staff
    /// metrics, targets, warnings and events are then the whole run's, its intervals and days
    /// empty. False (folding nothing) when they are not of `sc`'s shape.
    pub fn add_values(&mut self, values: &MetricValues) -> bool {
        let fits = |lens: Vec<usize>, vs: &[Vec<Value>]| {
            lens.len() == vs.len() && lens.iter().zip(vs).all(|(n, v)| *n == v.len())
        };
        let queues = self.acc.queue_series.iter().map(Vec::len).collect();
        let staff = self.acc.staff_series.iter().map(Vec::len).collect();
        let ok = fits(queues, &values.queues) && fits(staff, &values.staff);
        if ok {
            self.acc.add_values(values);
        }
        ok
    }

    /// The report of everything folded.
    pub fn report(&self, scenario_sha256: &str) -> Report {
        self.acc.report(self.sc, scenario_sha256)
    }
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
    progress: &dyn crate::model::Progress,
) -> (Report, bool) {
    let mut acc = Accumulator::new(sc);
    let mut cursor = StreamCursor::new(sc.seed, sc.queues.len());
    let batch = sc.replications.max(2);
    let mut done = 0;
    let held = loop {
        let n = batch.min(max_reps.saturating_sub(done)).max(1);
        add_replications(sc, &mut acc, &mut cursor, n, progress, &mut |_| {});
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

/// Adaptive replication judged on the whole report: runs `sc.replications`, then batches of
/// as many again, until `done` says the report so far is enough or `max_reps` are done (the
/// staffing search's settling of a verdict). As [`run_until`], decisions fall only after whole
/// batches. Returns the report of every replication run and whether `done` held.
pub fn run_while(
    sc: &ValidScenario,
    scenario_sha256: &str,
    max_reps: u32,
    progress: &dyn crate::model::Progress,
    done: &dyn Fn(&Report) -> bool,
) -> (Report, bool) {
    let mut acc = Accumulator::new(sc);
    let mut cursor = StreamCursor::new(sc.seed, sc.queues.len());
    let batch = sc.replications.max(2);
    let mut sc = sc.clone();
    sc.replications = 0;
    loop {
        let n = batch.min(max_reps.saturating_sub(sc.replications)).max(1);
        add_replications(&sc, &mut acc, &mut cursor, n, progress, &mut |_| {});
        sc.replications += n;
        let report = acc.report(&sc, scenario_sha256);
        let held = done(&report);
        if held || sc.replications >= max_reps {
            return (report, held);
        }
    }
}

/// Runs one scenario, with precision control when it asks for it (`precision`), and says
/// what that cost when it added replications or could not reach the precision. `progress`
/// is called [`crate::model::TICKS`] times per replication.
pub fn simulate(
    sc: &ValidScenario,
    sha: &str,
    progress: &dyn crate::model::Progress,
) -> (Report, Option<String>) {
    match sc.precision {
        Some(p) => {
            let rule = StopRule::Precision(p);
            let (r, held) = run_until(sc, sha, rule, sc.max_replications, progress);
            let words = (
                &*format!("precision {p} reached"),
                &*format!("precision {p} not reached"),
            );
            let note = adaptive_note(held, r.replications, sc.replications, words);
            (r, note)
        }
        None => (run(sc, sha, progress), None),
    }
}

/// Runs one scenario until every target's verdict is clear of noise (`check --decide`), up
/// to `max_replications`, and says what that cost.
pub fn decide(
    sc: &ValidScenario,
    sha: &str,
    progress: &dyn crate::model::Progress,
) -> (Report, Option<String>) {
    let (r, held) = run_until(sc, sha, StopRule::Decided, sc.max_replications, progress);
    let note = adaptive_note(
        held,
        r.replications,
        sc.replications,
        ("decided", "still undecided"),
    );
    (r, note)
}

/// Runs every point of a sweep in turn (each point's replications in parallel) and collects
/// the sweep. `progress` is called [`crate::model::TICKS`] times per replication.
pub fn sweep(
    base: &ValidScenario,
    settings: &[crate::sweep::Setting],
    points: Vec<crate::sweep::PointScenario>,
    independent: bool,
    sha: &str,
    progress: &dyn crate::model::Progress,
) -> crate::report::sweep::Sweep {
    let results = points
        .into_iter()
        .map(|(values, sc)| crate::report::sweep::Point::new(values, simulate(&sc, sha, progress).0))
        .collect();
    sweep_of(base, settings, results, independent)
}

/// The sweep of `base` whose points gave `results` (also a merge of its shards').
pub fn sweep_of(
    base: &ValidScenario,
    settings: &[crate::sweep::Setting],
    results: Vec<crate::report::sweep::Point>,
    independent: bool,
) -> crate::report::sweep::Sweep {
    let paths = settings.iter().map(|s| s.path.clone()).collect();
    let mut sweep = crate::report::sweep::Sweep::new(&base.name, paths, results);
    sweep.independent = independent;
    sweep.replications_asked = base.replications;
    sweep
}

/// What adaptive replication did: nothing to say when the first batch settled it.
/// `words` say it held and it did not, e.g. ("decided", "still undecided").
fn adaptive_note(held: bool, used: u32, asked: u32, words: (&str, &str)) -> Option<String> {
    if !held {
        Some(format!(
            "{} after {used} replications ({asked} asked), the most allowed: raise --max-reps or max_replications",
            words.1
        ))
    } else {
        (used > asked).then(|| format!("{} after {used} replications ({asked} asked)", words.0))
    }
}

/// Simulates the next `count` replications (in parallel chunks) and folds them in order.
fn add_replications(
    sc: &ValidScenario,
    acc: &mut Accumulator,
    cursor: &mut StreamCursor,
    count: u32,
    progress: &dyn crate::model::Progress,
    visit: &mut dyn FnMut(&Replication),
) {
    let mut first = 0;
    while first < count {
        let last = (first + CHUNK).min(count);
        let jobs: Vec<_> = (first..last).map(|_| cursor.advance()).collect();
        let reps: Vec<Replication> = jobs
            .into_par_iter()
            .map(|rngs| {
                crate::model::simulate_with_progress(sc, rngs, progress)
            })
            .collect();
        for rep in &reps {
            acc.add(rep);
            visit(rep);
        }
        first = last;
    }
}

/// One metric of one queue or group over replications: per-replication values, or
/// numerator/denominator pairs for pooled ratios.
#[derive(Debug)]
struct Series<M> {
    metric: M,
    /// The metric's key in the result JSON.
    name: String,
    pooled: bool,
    /// Its unit, whose range cuts the interval.
    unit: Unit,
    values: Vec<Option<f64>>,
    ys: Vec<f64>,
    xs: Vec<f64>,
}

/// A staff metric, with the queue's index for `utilization_on_<queue>`.
type StaffSeries = (StaffMetric, Option<usize>);

/// A metric's value in one replication.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// A per-replication value (`None` where undefined), averaged over replications.
    Single(Option<f64>),
    /// The numerator and denominator of a ratio pooled over replications.
    Parts(f64, f64),
}

impl<M> Series<M> {
    fn new(metric: M, name: String, def: MetricDef) -> Self {
        Series {
            metric,
            name,
            pooled: def.pooled,
            unit: def.unit,
            values: vec![],
            ys: vec![],
            xs: vec![],
        }
    }

    fn push(&mut self, value: Value) {
        match value {
            Value::Parts(y, x) => {
                self.ys.push(y);
                self.xs.push(x);
            }
            Value::Single(v) => self.values.push(v),
        }
    }

    fn estimate(&self) -> Estimate {
        let e = if self.pooled {
            pooled_ratio(&self.ys, &self.xs)
        } else {
            estimate(&self.values)
        };
        e.within(self.unit.lower_limit(), self.unit.upper_limit())
    }
}

/// One replication's value of every queue and staff metric, in the report's order, with what
/// its warnings and provenance need: all a sweep point's summary folds (a sweep shard holds
/// these instead of the whole tallies, which are mostly per-interval data).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct MetricValues {
    queues: Vec<Vec<Value>>,
    staff: Vec<Vec<Value>>,
    capped_at: Option<f64>,
    events: u64,
}

/// Folds replications, in order, into everything the report needs.
struct Accumulator {
    window_s: f64,
    horizon_s: f64,
    queue_series: Vec<Vec<Series<QueueMetric>>>,
    staff_series: Vec<Vec<Series<StaffSeries>>>,
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
            MetricPath::Queue {
                queue,
                metric: QueueMetric::AsaS,
            } if queue == name => t.max,
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
                    share: estimate(shares).within(0.0, Some(1.0)),
                })
                .collect(),
        }
    }
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

/// A queue metric of one replication that its tally alone gives (not `queue_len_mean` or the
/// end-of-day backlogs, which need the run's window: `None`); a pooled one as its ratio.
pub fn tally_value(m: QueueMetric, t: &QueueTally) -> Option<f64> {
    use QueueMetric::{BacklogEndOfDayMax, BacklogEndOfDayMean, QueueLenMean};
    match (m, queue_value(m, t, f64::NAN, &[])) {
        (QueueLenMean | BacklogEndOfDayMean | BacklogEndOfDayMax, _) => None,
        (_, Value::Single(v)) => v,
        (_, Value::Parts(a, b)) => ratio(a, b),
    }
}

/// A queue metric of one replication. `days` are the whole days in the window.
fn queue_value(m: QueueMetric, t: &QueueTally, window_s: f64, days: &[DayTally]) -> Value {
    use QueueMetric::*;
    use Value::{Parts, Single};
    let left = (t.answered + t.abandoned) as f64;
    let backlogs = days.iter().map(|d| f64::from(d.backlog_end));
    let count = |n: u64| Single(Some(n as f64));
    match m {
        BacklogEndOfDayMean => Single(ratio(backlogs.sum(), days.len() as f64)),
        BacklogEndOfDayMax => Single(backlogs.reduce(f64::max)),
        Offered => count(t.offered),
        Callers => count(t.callers),
        Redials => count(t.redials),
        CallersLost => count(t.callers_lost),
        Answered => count(t.answered),
        Unreached => count(t.unreached),
        Booked => count(t.booked),
        Bookings => count(t.bookings),
        BookingLeadS => Single(ratio(t.booking_lead_s, t.bookings as f64)),
        BookingLeadP90S => Single(t.booking_leads.quantile(0.9)),
        BookingLeadMaxS => Single((t.bookings > 0).then_some(t.booking_lead_max_s)),
        SlotUtilization => Single(ratio(t.slots_booked, t.slots_capacity)),
        BookingsUnservedAtHorizon => count(t.bookings_unserved_at_horizon),
        Abandoned => count(t.abandoned),
        AsaS => Single(ratio(t.wait_answered_s, t.answered as f64)),
        MeanWaitS => Single(ratio(t.wait_answered_s + t.wait_abandoned_s, left)),
        WaitP50S => Single(t.waits.quantile(0.50)),
        WaitP90S => Single(t.waits.quantile(0.90)),
        WaitP95S => Single(t.waits.quantile(0.95)),
        MaxWaitS => Single((t.answered > 0).then_some(t.max_wait_s)),
        AbandonRate => Single(ratio(t.abandoned as f64, left)),
        ServiceLevel => Single(ratio(t.within_sl as f64, t.offered as f64)),
        QueueLenMean => Single(Some(t.queue_len_area / window_s)),
        AsaSPooled => Parts(t.wait_answered_s, t.answered as f64),
        MeanWaitSPooled => Parts(t.wait_answered_s + t.wait_abandoned_s, left),
        AbandonRatePooled => Parts(t.abandoned as f64, left),
        ServiceLevelPooled => Parts(t.within_sl as f64, t.offered as f64),
    }
}

/// A staff metric of one replication; `on_queue` is the index of `utilization_on_`'s queue.
fn staff_value(m: &StaffMetric, on_queue: Option<usize>, g: &GroupTally, window_s: f64) -> Value {
    match (m, on_queue) {
        (StaffMetric::UtilizationOn(_), q) => {
            Value::Single(q.and_then(|q| ratio(g.busy_by_queue[q], g.on_duty_area)))
        }
        (StaffMetric::Utilization, _) => Value::Single(ratio(g.busy_area, g.on_duty_area)),
        (StaffMetric::AgentsMean, _) => Value::Single(Some(g.on_duty_area / window_s)),
        (StaffMetric::UtilizationPooled, _) => Value::Parts(g.busy_area, g.on_duty_area),
    }
}

impl Accumulator {
    fn new(sc: &ValidScenario) -> Self {
        let grid = interval_grid(sc);
        let queue_series = |q: &crate::scenario::validate::QueueModel| {
            let applying = QueueMetric::ALL
                .into_iter()
                .filter(|m| q.reports(m.def().when));
            applying
                .map(|m| Series::new(m, m.def().name.to_string(), m.def()))
                .collect()
        };
        let staff_series = |g: &crate::scenario::validate::GroupModel| {
            let fixed = STAFF_METRICS.into_iter().map(|m| (m, None));
            let on_queue = g.serves.iter().map(|&q| {
                let m = StaffMetric::UtilizationOn(sc.queues[q].name.clone());
                (m, Some(q))
            });
            let series = |(m, q): (StaffMetric, Option<usize>)| {
                let (name, def) = (m.name(), m.def());
                Series::new((m, q), name, def)
            };
            fixed.chain(on_queue).map(series).collect()
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
        let values = self.values_of(rep);
        self.add_values(&values);
        self.add_intervals(rep);
        for (d, t) in self.daily.iter_mut().zip(&rep.queues) {
            d.add(t);
        }
    }

    /// What `rep` gives each queue and staff series, in order.
    fn values_of(&self, rep: &Replication) -> MetricValues {
        let (first, last) = (self.daily[0].first_day, self.daily[0].last_day);
        let queues = self.queue_series.iter().zip(&rep.queues).map(|(series, t)| {
            let days = t.days.get(first..last).unwrap_or(&[]);
            series.iter().map(|s| queue_value(s.metric, t, self.window_s, days)).collect()
        });
        let staff = self.staff_series.iter().zip(&rep.groups).map(|(series, g)| {
            let value = |s: &Series<StaffSeries>| staff_value(&s.metric.0, s.metric.1, g, self.window_s);
            series.iter().map(value).collect()
        });
        MetricValues {
            queues: queues.collect(),
            staff: staff.collect(),
            capped_at: rep.capped_at,
            events: rep.events,
        }
    }

    /// Folds one replication's metric values (not its intervals or days).
    fn add_values(&mut self, values: &MetricValues) {
        for (series, vs) in self.queue_series.iter_mut().zip(&values.queues) {
            series.iter_mut().zip(vs).for_each(|(s, v)| s.push(*v));
        }
        for (series, vs) in self.staff_series.iter_mut().zip(&values.staff) {
            series.iter_mut().zip(vs).for_each(|(s, v)| s.push(*v));
        }
        if let Some(t) = values.capped_at {
            self.capped.push((self.seen, t));
        }
        self.events += values.events;
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
    fn estimate_of(&self, sc: &ValidScenario, path: &MetricPath) -> Option<Estimate> {
        match path {
            MetricPath::Staff { group, metric } => {
                let i = sc.groups.iter().position(|x| x.name == *group)?;
                let found = self.staff_series[i].iter().find(|s| s.metric.0 == *metric);
                found.map(Series::estimate)
            }
            MetricPath::Queue { queue, metric } => {
                let i = sc.queues.iter().position(|x| x.name == *queue)?;
                let found = self.queue_series[i].iter().find(|s| s.metric == *metric);
                found.map(Series::estimate)
            }
        }
    }

    /// Whether the stop rule holds for the replications folded so far.
    fn satisfies(&self, sc: &ValidScenario, rule: StopRule) -> bool {
        match rule {
            StopRule::Precision(relative) => {
                let judged: Vec<MetricPath> = if sc.targets.is_empty() {
                    let asa = |q: &crate::scenario::validate::QueueModel| MetricPath::Queue {
                        queue: q.name.clone(),
                        metric: QueueMetric::AsaS,
                    };
                    sc.queues.iter().map(asa).collect()
                } else {
                    sc.targets.iter().map(|t| t.metric.clone()).collect()
                };
                judged.iter().all(|path| {
                    let e = self.estimate_of(sc, path);
                    e.and_then(|e| e.mean.zip(e.half_width()))
                        .is_some_and(|(m, h)| h <= relative * m.abs())
                })
            }
            StopRule::Decided => sc.targets.iter().all(|t| {
                let Some([lo, hi]) = self.estimate_of(sc, &t.metric).and_then(|e| e.ci95) else {
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
                    .filter(|s| !s.pooled)
                    .map(move |s| (format!("{}.{}", q.name, s.name), s.values.clone()))
            });
        let staff = sc
            .groups
            .iter()
            .zip(&self.staff_series)
            .flat_map(|(g, series)| {
                series
                    .iter()
                    .filter(|s| !s.pooled)
                    .map(move |s| (format!("staff.{}.{}", g.name, s.name), s.values.clone()))
            });
        queues.chain(staff).collect()
    }

    fn report(&self, sc: &ValidScenario, scenario_sha256: &str) -> Report {
        fn metrics<M>(series: &[Series<M>]) -> IndexMap<String, Estimate> {
            series
                .iter()
                .map(|s| (s.name.clone(), s.estimate()))
                .collect()
        }
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
                let e = report.get(&t.metric).copied().unwrap_or(Estimate {
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
                    let asa = w[3].estimate().within(0.0, None);
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
    fn stream_q_of_replication_r_is_the_seed_jumped_q_2_192_plus_r_2_128_steps() {
        let got = streams(7, 3, 4);
        for (q, stream) in got.into_iter().enumerate() {
            let mut want = Xoshiro256PlusPlus::seed_from_u64(7);
            (0..q).for_each(|_| want.long_jump());
            want.jump_ce(3, 128);
            assert_eq!(stream, want, "stream {q}");
        }
        let mut a = Xoshiro256PlusPlus::seed_from_u64(7);
        let mut b = a.clone();
        (0..2).for_each(|_| a.long_jump());
        b.jump_ce(2, 192);
        assert_eq!(a, b, "a long jump is 2^192 steps");
    }
}
