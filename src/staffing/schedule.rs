//! The schedule search of `callsim staff --schedule GROUP`: the agents of one group needed
//! in each interval of the week so that the per-interval targets hold in every interval
//! (time-stable service).
//!
//! Simulation-based iterative staffing, after Feldman, Mandelbaum, Massey & Whitt, "Staffing
//! of time-varying queues to achieve time-stable performance", Management Science 54(2),
//! 2008: start from Erlang A per interval on its own, simulate the whole week with that
//! schedule, restaff every interval from what it achieved, and repeat until the schedule
//! stops changing. Each interval searches its own count (a gallop from the start, then
//! bisection between the largest count seen to miss and the smallest seen to meet), all
//! intervals at once, one simulation of the week per round, every round on the same random
//! streams (common random numbers). Intervals interact (a backlog left at 10:00 is served
//! at 10:30): a verdict that a later round contradicts is dropped while an interval still
//! searches, and once an interval has settled (it meets, one agent fewer missed) it is only
//! repaired, one agent more whenever it misses again, so counts then only rise and the rounds
//! end. It ends when, in the last simulation, every judged interval has settled and meets its
//! targets. Where intervals interact the result is the smallest such schedule the search
//! found, not one proven minimal interval by interval.

mod roster;
pub mod slots;
pub mod start;

use super::judge::{self, Criteria};
use super::lever::{Base, Watch, default_top};
use crate::error::InputError;
use crate::report::Report;
use crate::report::schedule::{AgentHours, Iteration, ScheduleSearch, Slot, SlotQueue};
use crate::report::staff::Cost;
use crate::scenario::validate::ValidScenario;
use serde_json::Value;
use slots::{Collected, SlotMetric, SlotTarget, Week};
use std::time::Instant;

/// Most rounds before the search gives up.
pub const MAX_ROUNDS: usize = 60;

/// What to schedule.
#[derive(Debug, Clone)]
pub struct Request {
    /// The staff group (a key of the scenario's `staff`).
    pub group: String,
    /// Interval length (s): divides a day.
    pub interval_s: f64,
    /// How targets are judged.
    pub criteria: Criteria,
    /// Whole shifts to cover the requirement with (`--shifts`).
    pub shifts: Option<crate::staffing::shifts::Shifts>,
}

/// The search's answer: the result, and the group's count as steps over the week
/// (`[["mon 00:00", n], ...]`), what staffed.json writes.
pub struct Found {
    pub search: ScheduleSearch,
    pub steps: Value,
}

fn usage(message: String) -> InputError {
    InputError::Usage(message)
}

/// One interval's search for its count: a gallop from the start, then bisection; once
/// settled (met, one below missed), only repair: one more agent whenever it misses again
/// because its neighbours changed. Counts then only rise, so the rounds end.
#[derive(Debug, Clone, Copy)]
struct Probe {
    count: u32,
    /// The smallest count seen to meet, the largest seen to miss.
    meet: Option<u32>,
    miss: Option<u32>,
    /// The next gallop step, and the largest it may grow to.
    step: u32,
    max_step: u32,
    /// Settled once: from then on only repaired.
    settled: bool,
}

impl Probe {
    fn new(count: u32) -> Self {
        let share = |p: f64| (f64::from(count) * p).round().max(1.0) as u32;
        Probe {
            count,
            meet: None,
            miss: None,
            step: share(0.05),
            max_step: share(0.2),
            settled: false,
        }
    }

    /// Takes the verdict at the current count and moves to the next count to try.
    fn next(&mut self, met: bool, top: u32) {
        let c = self.count;
        if self.settled {
            if !met {
                self.count = (c + 1).min(top);
            }
            return;
        }
        if met {
            self.meet = Some(c);
            self.miss = self.miss.filter(|&m| m < c);
            if c == 0 || self.miss == Some(c - 1) {
                self.settled = true;
                return;
            }
            self.count = match self.miss {
                Some(m) => m + (c - m).div_ceil(2),
                None => c.saturating_sub(self.gallop()),
            };
        } else {
            self.miss = Some(c);
            self.meet = self.meet.filter(|&m| m > c);
            self.count = match self.meet {
                Some(m) => c + (m - c) / 2,
                None => c.saturating_add(self.gallop()),
            };
            self.count = self.count.max(c + 1).min(top);
        }
    }

    fn gallop(&mut self) -> u32 {
        let s = self.step;
        self.step = (self.step * 2).min(self.max_step);
        s
    }
}

/// The group's path in the scenario JSON, checked.
fn group_index(base: &Base, group: &str) -> Result<usize, InputError> {
    let in_json = base.raw.pointer(&format!("/staff/{}", group.replace('/', "~1")));
    let g = base.sc.groups.iter().position(|x| x.name == group);
    match (in_json, g) {
        (Some(_), Some(g)) => Ok(g),
        _ => {
            let names: Vec<&str> = base
                .raw
                .get("staff")
                .and_then(Value::as_object)
                .map(|m| m.keys().map(String::as_str).collect())
                .unwrap_or_default();
            Err(usage(format!(
                "--schedule {group}: {} has no staff group {group:?}; its groups are {}",
                base.file,
                names.join(", ")
            )))
        }
    }
}

fn check_interval(interval_s: f64) -> Result<(), InputError> {
    let day = crate::scenario::units::DAY_S;
    let whole = interval_s >= 60.0 && (day / interval_s).fract() == 0.0;
    if whole && interval_s <= day {
        Ok(())
    } else {
        Err(usage(format!(
            "--interval {interval_s} s: give an interval of at least 1 minute that divides a day into whole intervals, e.g. 15m, 30m or 1h"
        )))
    }
}

/// Searches the schedule.
pub fn search(base: &Base, request: &Request, watch: &Watch) -> Result<Found, InputError> {
    let began = Instant::now();
    check_interval(request.interval_s)?;
    let g = group_index(base, &request.group)?;
    let targets = slots::slot_targets(base.sc, &base.sc.groups[g].serves);
    if targets.is_empty() {
        return Err(usage(no_targets_message(base, g)));
    }
    let week = Week::new(request.interval_s);
    let columns = request.shifts.as_ref().map(|s| s.columns(week)).transpose()?;
    let mut run = Runner {
        base,
        request,
        week,
        watch,
        evaluations: 0,
        replications: 0,
    };
    let (first_report, first, _) = run.simulate(None)?;
    let original = run.original(&first_report, g);
    let judged: Vec<bool> = (0..week.count)
        .map(|s| targets.iter().any(|t| first.applies(s, t)))
        .collect();
    let top = default_top(original.iter().fold(0.0, |a: f64, b| a.max(*b)).ceil() as i64) as u32;
    let others = run.others(&first_report, g);
    let erlang = start::start(base.sc, g, week, &first, &others, &targets, top);
    let kept = |s: usize| original[s].round() as u32;
    let mut probes: Vec<Probe> = (0..week.count)
        .map(|s| Probe::new(if judged[s] { erlang.agents[s] } else { kept(s) }))
        .collect();
    let mut iterations = Vec::new();
    let mut notes = Vec::new();
    let last = loop {
        let counts: Vec<u32> = probes.iter().map(|p| p.count).collect();
        let (report, seen, sc) = run.simulate(Some(&counts))?;
        let met = verdicts(&seen, &judged, &targets, &request.criteria);
        iterations.push(Iteration {
            agent_hours: agent_hours(&counts, week),
            missed: met.iter().filter(|m| !**m).count(),
            replications: sc.replications,
        });
        for s in (0..week.count).filter(|&s| judged[s]) {
            probes[s].next(met[s], top);
        }
        let settled = (0..week.count).all(|s| met[s] && (!judged[s] || probes[s].settled));
        let stuck: Vec<usize> = (0..week.count)
            .filter(|&s| !met[s] && probes[s].count >= top)
            .collect();
        if settled || !stuck.is_empty() || iterations.len() >= MAX_ROUNDS {
            if !stuck.is_empty() {
                let at = stuck.iter().map(|&s| week.label(s)).collect::<Vec<_>>();
                notes.push(format!(
                    "{} miss their targets even with {top} agents, the most searched: {}",
                    crate::report::table::plural(at.len(), "interval"),
                    at.join(", ")
                ));
            } else if !settled {
                notes.push(format!(
                    "stopped after {MAX_ROUNDS} rounds without settling; the schedule is the last one simulated"
                ));
            }
            break (counts, report, seen, met, sc);
        }
    };
    let (counts, mut report, mut seen, mut met, mut sc) = last;
    let mut rostered = None;
    if let (Some(shifts), Some(columns)) = (&request.shifts, &columns) {
        let plan = roster::Plan {
            shifts,
            columns,
            judged: &judged,
            targets: &targets,
        };
        let done = plan.roster(&mut run, &counts, &mut notes)?;
        (report, seen, met, sc) = (done.report, done.seen, done.met, done.sc);
        rostered = Some((done.coverage, done.roster));
    }
    let whole = judge::verdicts(&judge::targets(&sc, &report, &request.criteria), &request.criteria);
    let slots_met = (0..week.count).all(|s| met[s]);
    let all_met = slots_met && whole.iter().all(|v| v.passed);
    if slots_met && !all_met {
        notes.push(
            "every interval meets its targets, but not every target of the scenario holds over the whole run; see above".to_string(),
        );
    }
    let slots = (0..week.count)
        .map(|s| Slot {
            start: week.label(s),
            start_s: week.start_s(s),
            judged: judged[s],
            offered_load: erlang.load[s],
            original: original[s],
            erlang: judged[s].then_some(erlang.agents[s]),
            requirement: counts[s],
            rostered: rostered.as_ref().map(|(c, _)| c[s]),
            met: judged[s].then_some(met[s]),
            queues: achieved(&sc, &seen, &targets, s),
        })
        .collect();
    let erlang_counts: Vec<u32> = (0..week.count)
        .map(|s| if judged[s] { erlang.agents[s] } else { kept(s) })
        .collect();
    let search = ScheduleSearch {
        scenario: base.sc.name.clone(),
        group: request.group.clone(),
        interval_s: request.interval_s,
        met: all_met,
        interval_targets: targets.iter().map(bounds_text).collect(),
        strict: request.criteria.strict,
        days: request.criteria.days,
        agent_hours: AgentHours {
            requirement: agent_hours(&counts, week),
            original: original.iter().sum::<f64>() * week.step_s / 3600.0,
            erlang: agent_hours(&erlang_counts, week),
        },
        slots,
        whole_run: whole,
        replications: sc.replications,
        iterations,
        roster: rostered.as_ref().map(|(_, r)| r.clone()),
        notes,
        cost: Cost {
            evaluations: run.evaluations,
            replications: run.replications,
            seconds: began.elapsed().as_secs_f64(),
        },
    };
    let staffed = rostered.as_ref().map_or(&counts, |(c, _)| c);
    Ok(Found {
        steps: steps(staffed, week),
        search,
    })
}

fn no_targets_message(base: &Base, g: usize) -> String {
    let group = &base.sc.groups[g];
    let served: Vec<&str> = group
        .serves
        .iter()
        .map(|&q| base.sc.queues[q].name.as_str())
        .collect();
    format!(
        "--schedule {}: {} has no target that can be judged per interval on a queue {} serves ({}); add one such as {{\"metric\": \"{}.asa_s\", \"max\": \"2m\"}} (per-interval metrics: asa_s, service_level, abandon_rate and their _pooled forms)",
        group.name,
        base.file,
        group.name,
        served.join(", "),
        served.first().copied().unwrap_or("phone")
    )
}

/// `phone.asa_s <= 2m`.
fn bounds_text(t: &SlotTarget) -> String {
    let n = |v| crate::report::table::number(&t.label, v);
    match (t.min, t.max) {
        (Some(lo), Some(hi)) => format!("{} in [{}, {}]", t.label, n(lo), n(hi)),
        (Some(lo), None) => format!("{} >= {}", t.label, n(lo)),
        (None, Some(hi)) => format!("{} <= {}", t.label, n(hi)),
        (None, None) => t.label.clone(),
    }
}

/// Whether each slot meets its targets (slots not judged do).
fn verdicts(seen: &Collected, judged: &[bool], targets: &[SlotTarget], criteria: &Criteria) -> Vec<bool> {
    (0..judged.len())
        .map(|s| !judged[s] || seen.holds(s, targets, criteria))
        .collect()
}

fn agent_hours(counts: &[u32], week: Week) -> f64 {
    counts.iter().map(|&c| f64::from(c)).sum::<f64>() * week.step_s / 3600.0
}

/// The achieved values in slot `s` of each targeted queue.
fn achieved(
    sc: &ValidScenario,
    seen: &Collected,
    targets: &[SlotTarget],
    s: usize,
) -> indexmap::IndexMap<String, SlotQueue> {
    let mut queues: Vec<usize> = targets.iter().map(|t| t.queue).collect();
    queues.dedup();
    queues
        .into_iter()
        .map(|q| {
            let e = |m| seen.estimate(s, q, m, false);
            let v = SlotQueue {
                offered: seen.offered(s, q),
                asa_s: e(SlotMetric::Asa),
                service_level: e(SlotMetric::ServiceLevel),
                abandon_rate: e(SlotMetric::AbandonRate),
            };
            (sc.queues[q].name.clone(), v)
        })
        .collect()
}

/// The counts as steps over the week, one step where the count changes.
fn steps(counts: &[u32], week: Week) -> Value {
    let mut out: Vec<Value> = Vec::new();
    let mut previous = None;
    for (s, &c) in counts.iter().enumerate() {
        if previous != Some(c) {
            out.push(serde_json::json!([week.label(s), c]));
            previous = Some(c);
        }
    }
    Value::Array(out)
}

/// Runs the week at a schedule and keeps the count of what it cost.
struct Runner<'a> {
    base: &'a Base<'a>,
    request: &'a Request,
    week: Week,
    watch: &'a Watch<'a>,
    evaluations: usize,
    replications: u64,
}

impl Runner<'_> {
    /// The scenario with the group at `counts` (the scenario's own count when `None`),
    /// reporting on the search's intervals.
    fn scenario(&self, counts: Option<&[u32]>) -> Result<ValidScenario, InputError> {
        let file = self.base.file;
        let mut json = self.base.raw.clone();
        let interval = Value::from(format!("{}s", self.request.interval_s));
        json = crate::sweep::apply(&json, "interval", &interval).map_err(usage)?;
        if let Some(c) = counts {
            let path = format!("staff.{}.count", self.request.group);
            json = crate::sweep::apply(&json, &path, &steps(c, self.week)).map_err(usage)?;
        }
        self.base.variant(json, &format!("{file} (schedule)"))
    }

    /// Simulates the week at `counts`.
    fn simulate(
        &mut self,
        counts: Option<&[u32]>,
    ) -> Result<(Report, Collected, ValidScenario), InputError> {
        let sc = self.scenario(counts)?;
        self.evaluations += 1;
        self.replications += u64::from(sc.replications);
        (self.watch.start)(self.evaluations as i64, sc.replications);
        let mut seen = Collected::new(self.week, sc.queues.len());
        let report = crate::runner::run_visiting(&sc, self.base.sha, self.watch.tick, &mut |r| {
            seen.add(r)
        });
        Ok((report, seen, sc))
    }

    /// The group's agents per slot in `report` (time-averages, over the weeks).
    fn original(&self, report: &Report, g: usize) -> Vec<f64> {
        let name = &self.base.sc.groups[g].name;
        self.per_slot(report, |iv| iv.staff.get(name).map_or(0.0, |s| s.scheduled))
    }

    /// Agents of the other groups that serve a queue the group serves, per slot.
    fn others(&self, report: &Report, g: usize) -> Vec<f64> {
        let sc = self.base.sc;
        let serves = &sc.groups[g].serves;
        let names: Vec<&str> = sc
            .groups
            .iter()
            .enumerate()
            .filter(|(i, o)| *i != g && o.serves.iter().any(|q| serves.contains(q)))
            .map(|(_, o)| o.name.as_str())
            .collect();
        self.per_slot(report, |iv| {
            names
                .iter()
                .map(|n| iv.staff.get(*n).map_or(0.0, |s| s.scheduled))
                .sum()
        })
    }

    /// Mean over the weeks of `f` of each report interval, per slot.
    fn per_slot(
        &self,
        report: &Report,
        f: impl Fn(&crate::report::IntervalReport) -> f64,
    ) -> Vec<f64> {
        let (mut sum, mut n) = (vec![0.0; self.week.count], vec![0u32; self.week.count]);
        for iv in &report.intervals {
            let s = self.week.slot_of(iv.start_s);
            sum[s] += f(iv);
            n[s] += 1;
        }
        sum.iter()
            .zip(n)
            .map(|(s, n)| if n == 0 { 0.0 } else { s / f64::from(n) })
            .collect()
    }
}
