//! Turns a parsed [`Scenario`] into a [`ValidScenario`]: every rule is checked here, once, and
//! every problem is reported with its key path (`queues.phone.handle_time.cv: must be > 0,
//! got -1`). The simulator trusts a `ValidScenario` and checks nothing again.

use super::units::{DAY_S, Duration, WEEK_S, NumberOrText, parse_days, parse_duration, parse_time_range};
use super::week::WeekProfile;
use super::{
    Bound, CallbackSpec, CountSpec, GuardSpec, OpenSpec, Process, QueueSpec, RedialSpec, Scenario,
    SlotsSpec, StaffSpec, TargetSpec, UnreachedSpec, WhenClosed,
};
use crate::dist::Dist;
use crate::error::Issue;
use crate::metrics::{MetricPath, PathError, QueueMetric, STAFF_METRICS, StaffMetric, When};
use dists::dist;
use indexmap::IndexMap;

mod arrivals;
mod dists;

/// Most intervals a per-interval report may have (about 114 years of hours).
const MAX_INTERVALS: f64 = 1_000_000.0;

/// A scenario whose every value has been checked, in the simulator's units (seconds).
#[derive(Debug, Clone)]
pub struct ValidScenario {
    /// Scenario name.
    pub name: String,
    /// Free-text description.
    pub description: Option<String>,
    /// Arrivals stop here (seconds).
    pub horizon_s: f64,
    /// Statistics count contacts arriving at or after this time (seconds).
    pub warmup_s: f64,
    /// Step of the per-interval report (seconds).
    pub interval_s: f64,
    /// Number of replications.
    pub replications: u32,
    /// Seed of the random streams.
    pub seed: u64,
    /// Relative ci95 half-width to reach by adding replications, if any.
    pub precision: Option<f64>,
    /// Most replications precision control may use.
    pub max_replications: u32,
    /// Relative worsening that fails `check --baseline`, if set.
    pub regression_tolerance: Option<f64>,
    /// Queues in file order.
    pub queues: Vec<QueueModel>,
    /// Staff groups in file order.
    pub groups: Vec<GroupModel>,
    /// Targets in file order.
    pub targets: Vec<Target>,
}

/// One queue, compiled.
#[derive(Debug, Clone)]
pub struct QueueModel {
    /// Queue name.
    pub name: String,
    /// Arrival rate per second over the week, already zero while closed.
    pub rate: WeekProfile,
    /// Random level of each day's volume (mean 1), multiplying that day's rates; the rate
    /// profile then has a piece boundary at every midnight.
    pub daily_level: Option<Dist>,
    /// 1 while open, 0 while closed.
    pub open: WeekProfile,
    /// Handle time.
    pub handle: Dist,
    /// Patience; `None` means nobody abandons.
    pub patience: Option<Dist>,
    /// Service-level threshold in seconds.
    pub sl_within_s: f64,
    /// Redials after abandonment; `None` also when the probability is 0.
    pub redial: Option<Redial>,
    /// How arrivals are spaced.
    pub process: Process,
    /// Share of contacts not reaching the customer, and their handle time.
    pub unreached: Option<(f64, Dist)>,
    /// Agents take no work from this queue while queue `.0` has more than `.1` waiting.
    pub guard: Option<(usize, usize)>,
    /// Callers may book a callback instead of waiting.
    pub callback: Option<Callback>,
    /// Booking slots, for a queue of booked callbacks.
    pub slots: Option<Slots>,
    /// Classes with a head start in the line; a contact's class is its index here plus 1
    /// (0: the queue's regular callers).
    pub classes: Vec<Class>,
}

/// A class of callers who enter the line ahead of others.
#[derive(Debug, Clone)]
pub struct Class {
    /// Its name.
    pub name: String,
    /// Share of fresh callers.
    pub share: f64,
    /// Head start (seconds): placed in the line as if they had waited this long.
    pub head_start_s: f64,
}

impl QueueModel {
    /// The head start of class `class` (0: regular callers, none).
    #[inline]
    pub fn head_start(&self, class: u8) -> f64 {
        match class {
            0 => 0.0,
            c => self.classes[usize::from(c) - 1].head_start_s,
        }
    }
}

/// Callback offer of an inbound queue.
#[derive(Debug, Clone)]
pub struct Callback {
    /// Index of the queue with the slots.
    pub to: usize,
    /// Offer only when the estimated wait is at least this (seconds).
    pub offer_when_wait_over_s: f64,
    /// Probability of accepting the offer.
    pub accept: f64,
}

/// Booking slots of a callback queue.
#[derive(Debug, Clone)]
pub struct Slots {
    /// Slot length (seconds).
    pub length_s: f64,
    /// Bookings per slot, by the slot's start.
    pub capacity: WeekProfile,
    /// Earliest slot start after booking (seconds).
    pub min_lead_s: f64,
    /// Latest slot start after booking (seconds).
    pub max_lead_s: f64,
}

/// Redial behaviour of a queue's callers.
#[derive(Debug, Clone)]
pub struct Redial {
    /// Probability of calling again after abandoning (0 < p < 1).
    pub probability: f64,
    /// Delay before calling again.
    pub delay: Dist,
    /// What a redial landing while closed does.
    pub when_closed: WhenClosed,
}

/// One staff group, compiled.
#[derive(Debug, Clone)]
pub struct GroupModel {
    /// Group name.
    pub name: String,
    /// Agents on duty over the week (whole numbers).
    pub count: WeekProfile,
    /// Indices of the queues served, in priority order.
    pub serves: Vec<usize>,
}

/// A checked target.
#[derive(Debug, Clone)]
pub struct Target {
    /// The metric as written, e.g. `phone.asa_s`.
    pub label: String,
    /// The metric it refers to.
    pub metric: MetricPath,
    /// Upper bound, if any.
    pub max: Option<f64>,
    /// Lower bound, if any.
    pub min: Option<f64>,
}

/// Collects problems, each with its key path.
#[derive(Debug, Default)]
pub struct Issues(pub Vec<Issue>);

impl Issues {
    pub(crate) fn add(&mut self, path: &str, message: impl std::fmt::Display) {
        self.0.push(Issue::new(path, message));
    }
}

/// A number as a planner would write it: huge or tiny ones in exponent form.
fn shown(v: f64) -> String {
    if v != 0.0 && !(1e-6..1e12).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// The longest horizon: 100 years, far past any planning question, short of float trouble.
const MAX_HORIZON_S: f64 = 100.0 * 365.25 * 86_400.0;

/// Whether every queue that gets work must have a group with agents serving it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Staffing {
    /// Yes: a queue nobody can answer is a mistake in a scenario file.
    Required,
    /// No: a day of a real center's log may have nobody on duty for a queue (`backtest`).
    Optional,
}

/// Checks `s` and compiles it. `default_name` names a scenario without `name`.
pub fn validate(s: &Scenario, default_name: &str, staffing: Staffing) -> Result<ValidScenario, Issues> {
    let mut issues = Issues::default();
    let mut horizon_s = positive(&mut issues, "horizon", s.horizon);
    if horizon_s > MAX_HORIZON_S {
        issues.add(
            "horizon",
            format!(
                "must be at most 100 years (3.16e9 s), got {} s",
                shown(horizon_s)
            ),
        );
        horizon_s = 0.0; // judged: keep it out of the checks that depend on it
    }
    let warmup_s = s.warmup.map_or(0.0, |w| w.secs());
    if warmup_s < 0.0 || (horizon_s > 0.0 && warmup_s >= horizon_s) {
        issues.add(
            "warmup",
            format!("must be >= 0 and shorter than the horizon ({horizon_s} s), got {warmup_s} s"),
        );
    }
    let interval_s = s
        .interval
        .map_or(3600.0, |d| positive(&mut issues, "interval", d));
    if interval_s > 0.0 && (horizon_s - warmup_s) / interval_s > MAX_INTERVALS {
        issues.add(
            "interval",
            format!("gives more than {MAX_INTERVALS} report intervals; use a longer interval"),
        );
    }
    let replications = s.replications.unwrap_or(10);
    if replications == 0 {
        issues.add("replications", "must be at least 1, got 0");
    }
    if let Some(t) = s.regression_tolerance
        && !(t >= 0.0 && t.is_finite())
    {
        issues.add(
            "regression_tolerance",
            format!("must be >= 0 (a share, e.g. 0.05), got {t}"),
        );
    }
    if let Some(p) = s.precision
        && !(p > 0.0 && p < 1.0)
    {
        issues.add(
            "precision",
            format!("must be between 0 and 1 (a share of the mean, e.g. 0.02), got {p}"),
        );
    }
    if let Some(m) = s.max_replications
        && m < replications
    {
        issues.add(
            "max_replications",
            format!("must be at least `replications` ({replications}), got {m}"),
        );
    }
    if s.queues.is_empty() {
        issues.add("queues", "at least one queue is needed");
    }
    let queues: Vec<QueueModel> = s
        .queues
        .iter()
        .map(|(name, q)| queue(&mut issues, name, q, &s.queues.keys().collect::<Vec<_>>()))
        .collect();
    let groups: Vec<GroupModel> = s
        .staff
        .iter()
        .flat_map(|(name, g)| group(&mut issues, name, g, &s.queues))
        .collect();
    check_unique_group_names(&mut issues, &groups);
    check_callback_targets(&mut issues, &queues, horizon_s);
    if staffing == Staffing::Required {
        check_every_queue_served(&mut issues, &queues, &groups);
    }
    check_volume(&mut issues, &queues, horizon_s);
    let targets = s
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| target(&mut issues, i, t, &queues, &groups))
        .collect();
    if !issues.0.is_empty() {
        return Err(issues);
    }
    Ok(ValidScenario {
        name: s.name.clone().unwrap_or_else(|| default_name.to_string()),
        description: s.description.clone(),
        horizon_s,
        warmup_s,
        interval_s,
        replications,
        seed: s.seed.unwrap_or(1),
        precision: s.precision,
        max_replications: s.max_replications.unwrap_or(1000).max(replications),
        regression_tolerance: s.regression_tolerance,
        queues,
        groups,
        targets,
    })
}

fn positive(issues: &mut Issues, path: &str, d: Duration) -> f64 {
    if d.secs() <= 0.0 {
        issues.add(path, format!("must be > 0, got {}", d.secs()));
    }
    d.secs()
}

fn name_ok(issues: &mut Issues, path: &str, name: &str) {
    if name.is_empty() || name.contains('.') || name == "staff" {
        issues.add(
            path,
            format!("a name must be non-empty, without '.', and not \"staff\", got {name:?}"),
        );
    }
}

fn queue(issues: &mut Issues, name: &str, q: &QueueSpec, names: &[&String]) -> QueueModel {
    let path = format!("queues.{name}");
    name_ok(issues, &path, name);
    let open = q.open.as_ref().map_or(WeekProfile::constant(1.0), |o| {
        open_profile(issues, &path, o)
    });
    let (rate, daily_level) = match &q.arrivals {
        Some(a) => arrivals::arrivals(issues, &format!("{path}.arrivals"), a, &open),
        None => (WeekProfile::constant(0.0), None),
    };
    let sl = q.service_level_within.map_or(20.0, |d| d.secs());
    if sl < 0.0 {
        issues.add(
            &format!("{path}.service_level_within"),
            format!("must be >= 0, got {sl}"),
        );
    }
    QueueModel {
        name: name.to_string(),
        rate,
        daily_level,
        open,
        handle: dist(issues, &format!("{path}.handle_time"), &q.handle_time),
        patience: q
            .patience
            .as_ref()
            .map(|p| dist(issues, &format!("{path}.patience"), p)),
        sl_within_s: sl,
        redial: q
            .redial
            .as_ref()
            .and_then(|r| redial(issues, &format!("{path}.redial"), r)),
        process: q
            .arrivals
            .as_ref()
            .and_then(|a| a.process)
            .unwrap_or_default(),
        unreached: q
            .unreached
            .as_ref()
            .map(|u| unreached(issues, &format!("{path}.unreached"), u)),
        guard: q
            .guard
            .as_ref()
            .and_then(|g| guard(issues, &format!("{path}.guard"), g, names)),
        callback: q
            .callback
            .as_ref()
            .and_then(|c| callback(issues, &format!("{path}.callback"), c, names)),
        slots: q
            .slots
            .as_ref()
            .map(|sl| slots(issues, &format!("{path}.slots"), sl)),
        classes: q
            .classes
            .as_ref()
            .map_or_else(Vec::new, |c| classes(issues, &format!("{path}.classes"), c)),
    }
}

fn classes(
    issues: &mut Issues,
    path: &str,
    specs: &IndexMap<String, crate::scenario::ClassSpec>,
) -> Vec<Class> {
    let mut total = 0.0;
    for (name, c) in specs {
        let at = format!("{path}.{name}");
        name_ok(issues, &at, name);
        if !(0.0..=1.0).contains(&c.share) {
            issues.add(&format!("{at}.share"), format!("must be between 0 and 1, got {}", c.share));
        }
        if c.head_start.secs() < 0.0 {
            issues.add(&format!("{at}.head_start"), format!("must be >= 0, got {} s", c.head_start.secs()));
        }
        total += c.share;
    }
    if total > 1.0 + 1e-9 {
        issues.add(path, format!("the classes' shares add up to {}, more than 1", (total * 1e6).round() / 1e6));
    }
    if specs.len() > 200 {
        issues.add(path, format!("at most 200 classes, got {}", specs.len()));
    }
    specs
        .iter()
        .map(|(name, c)| Class {
            name: name.clone(),
            share: c.share,
            head_start_s: c.head_start.secs(),
        })
        .collect()
}

fn callback(
    issues: &mut Issues,
    path: &str,
    c: &CallbackSpec,
    names: &[&String],
) -> Option<Callback> {
    if !(0.0..=1.0).contains(&c.accept) {
        issues.add(
            &format!("{path}.accept"),
            format!("must be between 0 and 1, got {}", c.accept),
        );
    }
    let threshold = c.offer_when_wait_over.map_or(0.0, |d| d.secs());
    if threshold < 0.0 {
        issues.add(
            &format!("{path}.offer_when_wait_over"),
            format!("must be >= 0, got {threshold}"),
        );
    }
    let Some(to) = names.iter().position(|n| **n == c.to) else {
        issues.add(
            &format!("{path}.to"),
            format!("no queue named {:?}; the queues are {names:?}", c.to),
        );
        return None;
    };
    Some(Callback {
        to,
        offer_when_wait_over_s: threshold,
        accept: c.accept,
    })
}

fn slots(issues: &mut Issues, path: &str, s: &SlotsSpec) -> Slots {
    let length_s = s.length.secs();
    if length_s.is_nan() || length_s < 60.0 {
        issues.add(
            &format!("{path}.length"),
            format!("must be at least 1 minute, got {length_s} s"),
        );
    }
    let mut lead = |d: Option<Duration>, default: f64, key: &str| {
        let v = d.map_or(default, |d| d.secs());
        if v < 0.0 {
            issues.add(&format!("{path}.{key}"), format!("must be >= 0, got {v}"));
        }
        v
    };
    let min_lead_s = lead(s.min_lead, 0.0, "min_lead");
    let max_lead_s = lead(s.max_lead, 14.0 * DAY_S, "max_lead");
    if max_lead_s < min_lead_s {
        issues.add(
            &format!("{path}.max_lead"),
            format!("must be >= min_lead ({min_lead_s} s), got {max_lead_s} s"),
        );
    }
    let capacity = count_profile(issues, &format!("{path}.capacity"), &s.capacity);
    Slots {
        length_s,
        capacity,
        min_lead_s,
        max_lead_s,
    }
}

/// Every callback offer books into a queue that has slots, and slots stay countable.
fn check_callback_targets(issues: &mut Issues, queues: &[QueueModel], horizon_s: f64) {
    for (i, q) in queues.iter().enumerate() {
        if let Some(s) = &q.slots
            && (i >= 256 || (horizon_s + s.max_lead_s) / s.length_s >= 16_000_000.0)
        {
            issues.add(
                &format!("queues.{}.slots", q.name),
                "too many slots (over 16 million over the horizon and max_lead), or the queue is beyond the 256th: use longer slots or list it earlier",
            );
        }
        if let Some(c) = &q.callback
            && queues[c.to].slots.is_none()
        {
            issues.add(
                &format!("queues.{}.callback.to", q.name),
                format!(
                    "queue {:?} has no slots to book; give it \"slots\"",
                    queues[c.to].name
                ),
            );
        }
    }
}

fn unreached(issues: &mut Issues, path: &str, u: &UnreachedSpec) -> (f64, Dist) {
    if !(0.0..=1.0).contains(&u.share) {
        issues.add(
            &format!("{path}.share"),
            format!("must be between 0 and 1, got {}", u.share),
        );
    }
    (
        u.share,
        dist(issues, &format!("{path}.handle_time"), &u.handle_time),
    )
}

fn guard(
    issues: &mut Issues,
    path: &str,
    g: &GuardSpec,
    names: &[&String],
) -> Option<(usize, usize)> {
    let Some(q) = names.iter().position(|n| **n == g.queue) else {
        issues.add(
            &format!("{path}.queue"),
            format!("no queue named {:?}; the queues are {names:?}", g.queue),
        );
        return None;
    };
    Some((q, g.max_waiting as usize))
}

fn redial(issues: &mut Issues, path: &str, r: &RedialSpec) -> Option<Redial> {
    if !(0.0..1.0).contains(&r.probability) {
        let why = "must be >= 0 and < 1 (with 1 a caller nobody answers would redial forever)";
        issues.add(
            &format!("{path}.probability"),
            format!("{why}, got {}", r.probability),
        );
    }
    let delay = dist(issues, &format!("{path}.delay"), &r.delay);
    let when_closed = r.when_closed.unwrap_or(WhenClosed::NextOpen);
    // Probability 0 is no redial at all: no random draws, so the run equals one without it.
    (r.probability > 0.0).then_some(Redial {
        probability: r.probability,
        delay,
        when_closed,
    })
}

/// Whole-week `(start, end)` ranges for `day set → ranges`, with overlap checks.
struct WeekRanges<'a> {
    issues: &'a mut Issues,
    path: &'a str,
    taken: Vec<(f64, f64)>,
}

impl WeekRanges<'_> {
    /// Adds `range` on every day of `days`; returns the week-time ranges added.
    fn add(&mut self, key: &str, days: &[bool; 7], range: (f64, f64)) -> Vec<(f64, f64)> {
        let mut added = Vec::new();
        for d in (0..7).filter(|d| days[*d]) {
            let r = (d as f64 * DAY_S + range.0, d as f64 * DAY_S + range.1);
            if self.taken.iter().any(|t| t.0 < r.1 && r.0 < t.1) {
                self.issues.add(
                    &format!("{}.{key}", self.path),
                    "overlaps another entry for the same day and time",
                );
                return added;
            }
            self.taken.push(r);
            added.push(r);
        }
        added
    }
}

fn open_profile(issues: &mut Issues, path: &str, open: &IndexMap<String, OpenSpec>) -> WeekProfile {
    let path = format!("{path}.open");
    let mut ranges = WeekRanges {
        issues,
        path: &path,
        taken: vec![],
    };
    let mut assignments = Vec::new();
    for (days_text, spec) in open {
        let days = match parse_days(days_text) {
            Ok(d) => d,
            Err(e) => {
                ranges.issues.add(&format!("{path}.{days_text}"), e);
                continue;
            }
        };
        let texts: Vec<&String> = match spec {
            OpenSpec::One(t) if t.trim() == "closed" => vec![],
            OpenSpec::One(t) => vec![t],
            OpenSpec::Many(ts) => ts.iter().collect(),
        };
        for t in texts {
            match parse_time_range(t) {
                Ok(r) => ranges
                    .add(days_text, &days, r)
                    .into_iter()
                    .for_each(|(s, e)| assignments.push((s, e, 1.0))),
                Err(e) => ranges.issues.add(&format!("{path}.{days_text}"), e),
            }
        }
    }
    WeekProfile::from_assignments(0.0, &assignments)
}

fn count_profile(issues: &mut Issues, path: &str, count: &CountSpec) -> WeekProfile {
    let schedule = match count {
        CountSpec::Constant(n) => return WeekProfile::constant(f64::from(*n)),
        CountSpec::Schedule(s) => s,
        CountSpec::Steps(steps) => return steps_profile(issues, path, steps),
    };
    let mut ranges = WeekRanges {
        issues,
        path,
        taken: vec![],
    };
    let mut assignments = Vec::new();
    for (days_text, day) in schedule {
        let days = match parse_days(days_text) {
            Ok(d) => d,
            Err(e) => {
                ranges.issues.add(&format!("{path}.{days_text}"), e);
                continue;
            }
        };
        for (range_text, n) in day {
            match parse_time_range(range_text) {
                Ok(r) => ranges
                    .add(&format!("{days_text}.{range_text}"), &days, r)
                    .into_iter()
                    .for_each(|(s, e)| assignments.push((s, e, f64::from(*n)))),
                Err(e) => ranges
                    .issues
                    .add(&format!("{path}.{days_text}.{range_text}"), e),
            }
        }
    }
    WeekProfile::from_assignments(0.0, &assignments)
}

/// A count given as steps: each from its time of week to the next one's, the last to the end
/// of the week, 0 before the first. Times must increase.
fn steps_profile(issues: &mut Issues, path: &str, steps: &[(String, u32)]) -> WeekProfile {
    let mut starts: Vec<(f64, f64)> = Vec::with_capacity(steps.len());
    for (i, (time, n)) in steps.iter().enumerate() {
        let at = format!("{path}.{i}");
        match crate::scenario::units::parse_week_time(time) {
            Ok(t) if starts.last().is_some_and(|(prev, _)| t <= *prev) => issues.add(
                &at,
                format!("{time:?} is not after the step before it; list the steps in the order of the week, Monday first"),
            ),
            Ok(t) => starts.push((t, f64::from(*n))),
            Err(e) => issues.add(&at, e),
        }
    }
    let ends = starts.iter().skip(1).map(|s| s.0).chain([WEEK_S]);
    let assignments: Vec<(f64, f64, f64)> =
        starts.iter().zip(ends).map(|(&(s, n), e)| (s, e, n)).collect();
    WeekProfile::from_assignments(0.0, &assignments)
}

/// Compiles a staff group: one group, or two when part of it is reassigned.
fn group(
    issues: &mut Issues,
    name: &str,
    g: &StaffSpec,
    queues: &IndexMap<String, QueueSpec>,
) -> Vec<GroupModel> {
    let path = format!("staff.{name}");
    name_ok(issues, &path, name);
    let count = count_profile(issues, &format!("{path}.count"), &g.count);
    let serves = serves_list(issues, &format!("{path}.serves"), &g.serves, queues);
    let Some(r) = &g.reassign else {
        return vec![GroupModel {
            name: name.to_string(),
            count,
            serves,
        }];
    };
    let mut moved = count_profile(issues, &format!("{path}.reassign.count"), &r.count);
    if matches!(r.count, CountSpec::Constant(_)) {
        // A plain number moves that many whenever the group has them on duty (all of them
        // when it has fewer), so `reassign.count` can be swept on a scheduled group.
        moved = count.zip_with(&moved, f64::min);
    } else if let Some(t) = count.first_where(&moved, |total, m| m > total) {
        issues.add(
            &format!("{path}.reassign.count"),
            format!(
                "moves more agents than the group has ({})",
                crate::calendar::week_label(t)
            ),
        );
    }
    let moved_serves = serves_list(
        issues,
        &format!("{path}.reassign.serves"),
        &r.serves,
        queues,
    );
    vec![
        GroupModel {
            name: name.to_string(),
            count: count.zip_with(&moved, |t, m| (t - m).max(0.0)),
            serves,
        },
        GroupModel {
            name: format!("{name}_reassigned"),
            count: moved,
            serves: moved_serves,
        },
    ]
}

/// Queue indices of a `serves` list.
fn serves_list(
    issues: &mut Issues,
    path: &str,
    names: &[String],
    queues: &IndexMap<String, QueueSpec>,
) -> Vec<usize> {
    let mut out = Vec::new();
    let mut listed = vec![false; queues.len()];
    for (i, q) in names.iter().enumerate() {
        match queues.get_index_of(q) {
            Some(idx) if std::mem::replace(&mut listed[idx], true) => issues.add(
                &format!("{path}[{i}]"),
                format!("queue {q:?} is listed twice"),
            ),
            Some(idx) => out.push(idx),
            None => issues.add(
                &format!("{path}[{i}]"),
                format!(
                    "no queue named {q:?}; the queues are {:?}",
                    queues.keys().collect::<Vec<_>>()
                ),
            ),
        }
    }
    if names.is_empty() {
        issues.add(path, "list at least one queue");
    }
    out
}

/// The most fresh arrivals a replication may expect: about a minute of one core per
/// replication, a hundred times the busiest real centers' month.
pub const MAX_ARRIVALS: f64 = 1e8;

/// Refuses volumes whose replication would run for many minutes with no useful precision
/// to gain (an overload with patience simulates every doomed caller).
fn check_volume(issues: &mut Issues, queues: &[QueueModel], horizon_s: f64) {
    let expected = |q: &QueueModel| q.rate.week_integral() / WEEK_S * horizon_s;
    let total: f64 = queues.iter().map(expected).sum();
    let biggest = queues.iter().max_by(|a, b| expected(a).total_cmp(&expected(b)));
    if let Some(q) = biggest
        && total > MAX_ARRIVALS
    {
        let here = if queues.len() > 1 {
            format!(" ({} of them here)", shown(expected(q).round()))
        } else {
            String::new()
        };
        issues.add(
            &format!("queues.{}.arrivals", q.name),
            format!(
                "the queues expect {} calls over the horizon{here}, more than the {} one replication may simulate; lower the volume or shorten the horizon",
                shown(total.round()),
                shown(MAX_ARRIVALS)
            ),
        );
    }
}

fn check_unique_group_names(issues: &mut Issues, groups: &[GroupModel]) {
    for (i, g) in groups.iter().enumerate() {
        if groups[..i].iter().any(|h| h.name == g.name) {
            issues.add(
                &format!("staff.{}", g.name),
                "this name is also the name of a reassigned part (<group>_reassigned); rename one",
            );
        }
    }
}

fn check_every_queue_served(issues: &mut Issues, queues: &[QueueModel], groups: &[GroupModel]) {
    for (qi, q) in queues.iter().enumerate() {
        let staffed = groups
            .iter()
            .any(|g| g.serves.contains(&qi) && g.count.max() > 0.0);
        let gets_work =
            q.rate.max() > 0.0 || q.slots.as_ref().is_some_and(|s| s.capacity.max() > 0.0);
        if !staffed && gets_work {
            issues.add(
                &format!("queues.{}", q.name),
                "no staff group with agents serves this queue; add it to a group's serves",
            );
        }
    }
}

fn bound(issues: &mut Issues, path: &str, b: &NumberOrText) -> Option<f64> {
    match b {
        NumberOrText::Number(v) => Some(*v),
        NumberOrText::Text(t) => parse_duration(t).map_err(|e| issues.add(path, e)).ok(),
    }
}

fn target(
    issues: &mut Issues,
    i: usize,
    t: &TargetSpec,
    queues: &[QueueModel],
    groups: &[GroupModel],
) -> Target {
    let path = format!("targets[{i}]");
    let max = t
        .max
        .as_ref()
        .and_then(|b| bound(issues, &format!("{path}.max"), &b.0));
    let min = t
        .min
        .as_ref()
        .and_then(|b| bound(issues, &format!("{path}.min"), &b.0));
    if max.is_none() && min.is_none() {
        issues.add(&path, "give a max, a min, or both");
    }
    if let (Some(lo), Some(hi)) = (min, max)
        && lo > hi
    {
        issues.add(&path, format!("min ({lo}) is above max ({hi})"));
    }
    let checked = metric_path(&t.metric, queues, groups);
    // A bound's unit is judged against a metric that exists; a bad metric has its own message.
    let in_seconds = checked
        .as_ref()
        .map_or(true, |p| p.def().unit.is_duration());
    for (key, b) in [("max", &t.max), ("min", &t.min)] {
        if let Some(Bound(NumberOrText::Text(text))) = b
            && !in_seconds
        {
            issues.add(
                &format!("{path}.{key}"),
                format!("{text:?} is a duration, but {} is not in seconds: give a number (a share such as 0.05, or a count)", t.metric),
            );
        }
    }
    let metric = checked.unwrap_or_else(|e| {
        issues.add(&format!("{path}.metric"), e);
        MetricPath::Queue {
            queue: String::new(),
            metric: QueueMetric::AsaS,
        }
    });
    Target {
        label: t.metric.clone(),
        metric,
        max,
        min,
    }
}

fn metric_path(
    text: &str,
    queues: &[QueueModel],
    groups: &[GroupModel],
) -> Result<MetricPath, String> {
    let names = |items: &mut dyn Iterator<Item = &str>| items.collect::<Vec<_>>().join(", ");
    let queue_metrics = || names(&mut QueueMetric::ALL.iter().map(|m| m.def().name));
    let shape_error = || {
        format!(
            "{text:?} names no metric; write <queue>.<metric> or staff.<group>.<metric> (queues: {}; queue metrics: {})",
            names(&mut queues.iter().map(|x| x.name.as_str())),
            queue_metrics()
        )
    };
    let staff_error = |group: &GroupModel, m: &str| {
        let known: Vec<String> = STAFF_METRICS
            .iter()
            .map(StaffMetric::name)
            .chain(
                group
                    .serves
                    .iter()
                    .map(|&q| StaffMetric::UtilizationOn(queues[q].name.clone()).name()),
            )
            .collect();
        format!(
            "{text:?}: no staff metric {m:?} (staff metrics: {})",
            known.join(", ")
        )
    };
    let group_named = |g: &str| {
        groups.iter().find(|x| x.name == g).ok_or_else(|| {
            format!(
                "{text:?}: no staff group {g:?} (groups: {})",
                names(&mut groups.iter().map(|x| x.name.as_str()))
            )
        })
    };
    match MetricPath::parse(text) {
        Ok(MetricPath::Staff { group, metric }) => {
            let g = group_named(&group)?;
            let serves = |q: &str| g.serves.iter().any(|&i| queues[i].name == q);
            match &metric {
                StaffMetric::UtilizationOn(q) if !serves(q) => Err(staff_error(g, &metric.name())),
                _ => Ok(MetricPath::Staff { group, metric }),
            }
        }
        Err(PathError::StaffMetric(m)) => {
            let group = text.split('.').nth(1).unwrap_or_default();
            Err(staff_error(group_named(group)?, &m))
        }
        Ok(MetricPath::Queue { queue, metric })
            if queues
                .iter()
                .any(|x| x.name == queue && x.reports(metric.def().when)) =>
        {
            Ok(MetricPath::Queue { queue, metric })
        }
        _ => Err(shape_error()),
    }
}

impl QueueModel {
    /// Whether this queue reports metrics of kind `when` (it uses the feature they measure).
    pub fn reports(&self, when: When) -> bool {
        match when {
            When::Always => true,
            When::Redial => self.redial.is_some(),
            When::Unreached => self.unreached.is_some(),
            When::Callback => self.callback.is_some(),
            When::Slots => self.slots.is_some(),
        }
    }
}
