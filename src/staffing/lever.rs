//! The lever search of `callsim staff --lever PATH --min|--max`: the extreme whole value of
//! one scenario path at which every target is met.
//!
//! Every value runs on the same random streams (common random numbers), so neighbouring values
//! are compared on the same callers. The search assumes each target's bound moves one way with
//! the lever; it reads which way from the evaluations (a bound whose metric has not moved yet
//! is taken to want the values the search moves away from). On the axis `x` (the value for
//! `--min`, minus it for `--max`), the bounds that want a higher `x` hold from some point on:
//! the search finds the smallest such `x` by galloping from the scenario's own value, then
//! bisection, at the scenario's replications. At the boundary it then adds replications (as
//! `check --decide` does) at the answer and at its neighbour until their verdicts are clear of
//! noise, and moves on if one turns. The other bounds only get worse further on, so the answer
//! stands if they hold there; if not, no value meets every target.

use super::judge::{self, Bound, Criteria, Side};
use crate::error::InputError;
use crate::report::staff::{Cost, Direction, LeverEvaluation, LeverSearch};
use crate::report::{Report, TargetResult};
use crate::scenario::validate::ValidScenario;
use serde_json::Value;
use std::time::Instant;

/// What to search.
#[derive(Debug, Clone)]
pub struct Request {
    /// The dotted scenario path of the lever, e.g. `staff.agents.count`.
    pub lever: String,
    /// The smallest or the largest value.
    pub direction: Direction,
    /// The values allowed (inclusive); `None`: from 0 (or the scenario's value, when negative)
    /// to [`default_top`], as far as the scenario stays valid.
    pub range: Option<(i64, i64)>,
    /// How targets are judged.
    pub criteria: Criteria,
}

/// The top of the default range: ten times the scenario's value, at least 1000.
pub fn default_top(current: i64) -> i64 {
    current.saturating_mul(10).max(1000)
}

/// What the search tells whoever watches it.
pub struct Watch<'a> {
    /// An evaluation starts: the value and the most replications it may run.
    pub start: &'a (dyn Fn(i64, u32) + Sync),
    /// Called [`crate::model::TICKS`] times per replication, from any thread.
    pub tick: &'a dyn crate::model::Progress,
}

/// The scenario a search runs on: its merged JSON (what the lever changes), the checked base
/// (replications, seed and precision as the command line set them) and how messages name it.
pub struct Base<'a> {
    /// The merged JSON.
    pub raw: &'a Value,
    /// The file, for messages.
    pub file: &'a str,
    /// The checked scenario with the command line's overrides.
    pub sc: &'a ValidScenario,
    /// Provenance hash.
    pub sha: &'a str,
}

impl Base<'_> {
    /// `json`, a changed copy of the base, checked as a scenario (`label` names it in messages)
    /// and run as the base runs: its name, replications, seed and most replications, with no
    /// precision target (a search settles verdicts itself).
    pub fn variant(&self, json: Value, label: &str) -> Result<ValidScenario, InputError> {
        let mut v = crate::scenario::parse_value(json, label)?;
        v.name = self.sc.name.clone();
        v.replications = self.sc.replications;
        v.seed = self.sc.seed;
        v.max_replications = self.sc.max_replications;
        v.precision = None;
        Ok(v)
    }
}

/// Which way a gallop goes along the axis.
#[derive(Debug, Clone, Copy)]
enum Heading {
    Down,
    Up,
}

struct Eval {
    value: i64,
    report: Report,
    judged: Vec<TargetResult>,
    /// Whether replications were added until the verdict was clear of noise.
    settled: bool,
}

struct Search<'a> {
    base: &'a Base<'a>,
    request: &'a Request,
    watch: &'a Watch<'a>,
    bounds: Vec<Bound>,
    evals: Vec<Eval>,
    notes: Vec<String>,
}

/// Runs the search. Bad input (a lever that is not a whole number, a range without a valid
/// scenario, no targets) is an error; finding no value is not (`value` is `None`).
pub fn search(base: &Base, request: &Request, watch: &Watch) -> Result<LeverSearch, InputError> {
    let started = Instant::now();
    check_request(base, request)?;
    let current = current_value(base.raw, &request.lever)?;
    let mut s = Search {
        base,
        request,
        watch,
        bounds: judge::bounds(base.sc, &request.criteria),
        evals: vec![],
        notes: vec![],
    };
    let (lo, hi) = s.valid_range(current)?;
    let (lo_x, hi_x) = s.axis_range(lo, hi);
    let start = s.x(current.clamp(lo, hi));
    let step = (current.unsigned_abs() as f64 * 0.05).round().max(1.0) as i64;
    s.run(start, lo_x, hi_x, step);
    Ok(s.finish((lo, hi), started))
}

fn usage(message: String) -> InputError {
    InputError::Usage(message)
}

fn check_request(base: &Base, request: &Request) -> Result<(), InputError> {
    let sc = base.sc;
    if sc.targets.is_empty() {
        return Err(usage(format!(
            "{}: the scenario has no targets, so there is nothing to staff for; add \"targets\", e.g. [{{\"metric\": \"phone.asa_s\", \"max\": \"2m\"}}]",
            base.file
        )));
    }
    if let Some((a, b)) = request.range
        && a > b
    {
        return Err(usage(format!(
            "--range {a}..{b}: the range is empty; give the smaller value first"
        )));
    }
    if let Some(p) = request.criteria.days {
        if !(p > 0.0 && p <= 1.0) {
            return Err(usage(format!(
                "--days: must be a share of days above 0 and at most 1 (e.g. 0.9), got {p}"
            )));
        }
        if !sc.targets.iter().any(judge::is_daily) {
            return Err(usage(format!(
                "--days: judges queue ASA targets day by day, and {} has none; add e.g. {{\"metric\": \"phone.asa_s\", \"max\": \"2m\"}}",
                base.file
            )));
        }
        let first = (sc.warmup_s / crate::scenario::units::DAY_S).ceil();
        let last = (sc.horizon_s / crate::scenario::units::DAY_S).floor();
        if last <= first {
            return Err(usage(format!(
                "--days: {} simulates no whole day after its warm-up; lengthen the horizon",
                base.file
            )));
        }
    }
    Ok(())
}

/// The lever's value in the scenario: it must be there and be a whole number.
pub fn current_value(raw: &Value, lever: &str) -> Result<i64, InputError> {
    let mut node = raw;
    let keys: Vec<&str> = lever.split('.').collect();
    if keys.iter().any(|k| k.is_empty()) {
        return Err(usage(format!(
            "--lever {lever:?}: write a dotted path into the scenario, e.g. staff.agents.count"
        )));
    }
    for (i, key) in keys.iter().enumerate() {
        let next = match node {
            Value::Object(map) => map.get(*key),
            Value::Array(items) => key.parse::<usize>().ok().and_then(|k| items.get(k)),
            _ => None,
        };
        node = next.ok_or_else(|| {
            usage(format!(
                "--lever {lever}: the scenario has no {:?}",
                keys[..=i].join(".")
            ))
        })?;
    }
    match node {
        Value::Number(n) if n.as_i64().is_some() => Ok(n.as_i64().unwrap_or_default()),
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0 && f.abs() < 9e15) => {
            Ok(n.as_f64().unwrap_or_default() as i64)
        }
        Value::Object(_) => Err(usage(format!(
            "--lever {lever}: is a weekly schedule, not a whole number; a lever is one number (staff a schedule with --schedule GROUP)"
        ))),
        other => Err(usage(format!(
            "--lever {lever}: is {other}, not a whole number; a lever must be a whole number, such as a count of agents"
        ))),
    }
}

impl Search<'_> {
    /// The position on the search axis: larger is further from the sought extreme.
    fn x(&self, value: i64) -> i64 {
        match self.request.direction {
            Direction::Min => value,
            Direction::Max => -value,
        }
    }

    fn value_of(&self, x: i64) -> i64 {
        self.x(x)
    }

    fn axis_range(&self, lo: i64, hi: i64) -> (i64, i64) {
        let (a, b) = (self.x(lo), self.x(hi));
        (a.min(b), a.max(b))
    }

    /// The scenario with the lever at `value`, on the base's replications and seed.
    fn variant(&self, value: i64) -> Result<ValidScenario, InputError> {
        let Base { raw, file, .. } = self.base;
        let lever = &self.request.lever;
        let json = crate::sweep::apply(raw, lever, &Value::from(value))
            .map_err(|e| usage(format!("--lever {lever}: {e}")))?;
        self.base.variant(json, &format!("{file} ({lever}={value})"))
    }

    /// The range asked for (or the default), cut to where the scenario stays valid (found by
    /// bisection from the scenario's own value, as validity is cheap to test).
    fn valid_range(&mut self, current: i64) -> Result<(i64, i64), InputError> {
        let (lo, hi) = self
            .request
            .range
            .unwrap_or((current.min(0), default_top(current)));
        let inside = current.clamp(lo, hi);
        if let Err(e) = self.variant(inside) {
            return Err(usage(format!(
                "--lever {}: at {inside} the scenario is not valid: {e}",
                self.request.lever
            )));
        }
        let hi = self.last_valid(inside, hi);
        let lo = self.last_valid(inside, lo);
        Ok((lo, hi))
    }

    /// The valid value furthest from `from` (valid) towards `to`.
    fn last_valid(&mut self, from: i64, to: i64) -> i64 {
        let Err(first) = self.variant(to) else {
            return to;
        };
        let (mut good, mut bad, mut why) = (from, to, first);
        while (bad - good).abs() > 1 {
            let mid = good + (bad - good) / 2;
            match self.variant(mid) {
                Ok(_) => good = mid,
                Err(e) => (bad, why) = (mid, e),
            }
        }
        self.notes.push(format!(
            "the search stops at {good}: at {bad} the scenario is not valid ({})",
            first_line(&why.to_string())
        ));
        good
    }

    /// Simulates the lever at axis position `x`: the scenario's replications, or (`settle`)
    /// more until the verdict is clear of noise: the bounds wanting more clearly hold or one
    /// clearly breaks, and where they hold, the same for every bound.
    fn evaluate(&mut self, x: i64, settle: bool) {
        let value = self.value_of(x);
        let Ok(sc) = self.variant(value) else {
            // valid_range has seen every value in the range validate.
            return;
        };
        let sha = self.base.sha;
        let criteria = self.request.criteria;
        let report = if settle {
            (self.watch.start)(value, sc.max_replications);
            let (up, all) = (self.wanting_higher(), self.bounds.clone());
            let done = |r: &Report| {
                let judged = judge::targets(&sc, r, &criteria);
                let holds = up
                    .iter()
                    .all(|b| judge::standing(&judged, *b, &criteria).holds);
                r.replications_stopped_early > 0
                    || (judge::settled(&judged, &up, &criteria)
                        && (!holds || judge::settled(&judged, &all, &criteria)))
            };
            let (report, held) =
                crate::runner::run_while(&sc, sha, sc.max_replications, self.watch.tick, &done);
            if !held {
                self.notes.push(format!(
                    "at {value} a target is still undecided after {} replications, the most allowed (--max-reps): it is judged by {}",
                    report.replications,
                    if criteria.strict { "its whole ci95" } else { "its mean" }
                ));
            }
            report
        } else {
            (self.watch.start)(value, sc.replications);
            crate::runner::run(&sc, sha, self.watch.tick)
        };
        let judged = judge::targets(&sc, &report, &criteria);
        self.evals.push(Eval {
            value,
            report,
            judged,
            settled: settle,
        });
    }

    /// The evaluation of each value evaluated with the most replications, by axis position.
    fn best(&self) -> Vec<&Eval> {
        let mut best: Vec<&Eval> = Vec::new();
        for e in &self.evals {
            match best.iter_mut().find(|b| b.value == e.value) {
                Some(b) if e.report.replications >= b.report.replications => *b = e,
                Some(_) => {}
                None => best.push(e),
            }
        }
        best.sort_by_key(|e| self.x(e.value));
        best
    }

    /// The bounds that want a higher axis position: their metric moves towards them as `x`
    /// grows, judged between the furthest-apart evaluations where it is defined; a bound whose
    /// metric has not moved is taken to want a higher `x`.
    fn wanting_higher(&self) -> Vec<Bound> {
        let best = self.best();
        self.bounds
            .iter()
            .copied()
            .filter(|b| {
                let defined: Vec<f64> = best
                    .iter()
                    .filter_map(|e| e.judged[b.target].value)
                    .collect();
                let (Some(first), Some(last)) = (defined.first(), defined.last()) else {
                    return true;
                };
                if first == last {
                    return true;
                }
                let rising = last > first;
                match b.side {
                    Side::Max => !rising,
                    Side::Min => rising,
                }
            })
            .collect()
    }

    fn holds(&self, e: &Eval, which: &[Bound]) -> bool {
        let criteria = &self.request.criteria;
        e.report.replications_stopped_early == 0
            && which
                .iter()
                .all(|b| judge::standing(&e.judged, *b, criteria).holds)
    }

    fn is_settled(&self, x: i64) -> bool {
        let value = self.value_of(x);
        self.evals.iter().any(|e| e.value == value && e.settled)
    }

    /// The bracket: the furthest `x` where the bounds wanting more fail (`a`), and the nearest
    /// `x` beyond it where they hold (`b`).
    fn bracket(&self) -> (Option<i64>, Option<i64>) {
        let up = self.wanting_higher();
        let best = self.best();
        let a = best
            .iter()
            .filter(|e| !self.holds(e, &up))
            .map(|e| self.x(e.value))
            .max();
        let b = best
            .iter()
            .filter(|e| self.holds(e, &up))
            .map(|e| self.x(e.value))
            .filter(|x| a.is_none_or(|a| *x > a))
            .min();
        (a, b)
    }

    fn run(&mut self, start: i64, lo: i64, hi: i64, step: i64) {
        self.evaluate(start, false);
        let (mut down, mut up) = (0u32, 0u32);
        let mut width = i64::MAX;
        // Each pass evaluates a new value or settles one not yet settled: it ends.
        loop {
            let (a, b) = self.bracket();
            let next = match (a, b) {
                (Some(a), Some(b)) if b - a > 1 => {
                    let halved = 2 * (b - a) <= width;
                    width = b - a;
                    let middle = a + (b - a) / 2;
                    let guess = self.crossing_between(a, b).map(|x| x.ceil() as i64);
                    Some(guess.filter(|_| halved).unwrap_or(middle).clamp(a + 1, b - 1))
                }
                (None, Some(b)) if b > lo => {
                    down += 1;
                    let far = b.saturating_sub(gallop(step, down - 1)).max(lo);
                    let near = b.saturating_sub(least(step, down)).max(lo);
                    let guess = self.extrapolate(b, Heading::Down).map(|x| x.floor() as i64);
                    Some(guess.unwrap_or(far).clamp(far, near))
                }
                (Some(a), None) if a < hi => {
                    up += 1;
                    let far = a.saturating_add(gallop(step, up - 1)).min(hi);
                    let near = a.saturating_add(least(step, up)).min(hi);
                    let guess = self.extrapolate(a, Heading::Up).map(|x| x.ceil() as i64);
                    Some(guess.unwrap_or(far).clamp(near, far))
                }
                _ => None,
            };
            if let Some(x) = next {
                self.evaluate(x, false);
                continue;
            }
            match [b, a].into_iter().flatten().find(|x| !self.is_settled(*x)) {
                Some(x) => self.evaluate(x, true),
                None => break,
            }
        }
        self.note_contradictions();
    }

    /// Where the bounds wanting more, failing at `a` and holding at `b`, cross their limits
    /// by linear interpolation of their means: the furthest crossing, as all must hold.
    fn crossing_between(&self, a: i64, b: i64) -> Option<f64> {
        let (ea, eb) = (self.best_at(a)?, self.best_at(b)?);
        let crossings = self.wanting_higher().into_iter().filter_map(|bound| {
            let fails = !judge::standing(&ea.judged, bound, &self.request.criteria).holds;
            fails.then(|| self.crossing(ea, eb, bound)).flatten()
        });
        crossings.filter(|x| *x > a as f64 && *x < b as f64).reduce(f64::max)
    }

    /// From the evaluation at `x` and the one nearest it on the `beyond` side, where a bound
    /// wanting more would cross its limit, extrapolated linearly and overshot by a quarter so
    /// that the next evaluation brackets it. Going down, every bound holds at `x` and the search
    /// looks for the first to break; going up, some fail at `x` and it looks for the last to
    /// hold.
    fn extrapolate(&self, x: i64, heading: Heading) -> Option<f64> {
        let best = self.best();
        let here = best.iter().position(|e| self.x(e.value) == x)?;
        let other = match heading {
            Heading::Down => best.get(here + 1)?,
            Heading::Up => best.get(here.checked_sub(1)?)?,
        };
        let e = best[here];
        let criteria = &self.request.criteria;
        let up = self.wanting_higher();
        let relevant = up.into_iter().filter(|b| match heading {
            Heading::Down => true,
            Heading::Up => !judge::standing(&e.judged, *b, criteria).holds,
        });
        let xf = x as f64;
        let guesses = relevant.filter_map(|b| self.crossing(e, other, b)).filter_map(|c| {
            let overshoot = c + (c - xf) * 0.25;
            match heading {
                Heading::Down => (c < xf).then_some(overshoot),
                Heading::Up => (c > xf).then_some(overshoot),
            }
        });
        guesses.reduce(f64::max)
    }

    /// The axis position where `bound`'s mean reaches its limit on the line through two
    /// evaluations.
    fn crossing(&self, e1: &Eval, e2: &Eval, bound: Bound) -> Option<f64> {
        let t1 = &e1.judged[bound.target];
        let (m1, m2) = (t1.value?, e2.judged[bound.target].value?);
        let limit = match bound.side {
            Side::Max => t1.max?,
            Side::Min => t1.min?,
        };
        let (x1, x2) = (self.x(e1.value) as f64, self.x(e2.value) as f64);
        let x = x1 + (limit - m1) / (m2 - m1) * (x2 - x1);
        x.is_finite().then_some(x)
    }

    fn best_at(&self, x: i64) -> Option<&Eval> {
        let value = self.value_of(x);
        self.best().into_iter().find(|e| e.value == value)
    }

    /// Says where the evaluations contradict the assumption that the bounds wanting more hold
    /// from one point on.
    fn note_contradictions(&mut self) {
        let up = self.wanting_higher();
        let best = self.best();
        let mut found = None;
        for (i, e) in best.iter().enumerate() {
            if self.holds(e, &up)
                && let Some(f) = best[i + 1..].iter().find(|f| !self.holds(f, &up))
            {
                found = Some((e.value, f.value));
                break;
            }
        }
        if let Some((held, failed)) = found {
            self.notes.push(format!(
                "the evaluations are not monotone: the targets are met at {held} but not at {failed}, further along; the answer assumes each target moves one way with the lever (noise at few replications can break that: try more --reps)"
            ));
        }
    }

    fn finish(mut self, range: (i64, i64), started: Instant) -> LeverSearch {
        let (a, b) = self.bracket();
        let all = self.bounds.clone();
        let best = self.best();
        let at = |x: Option<i64>| {
            x.and_then(|x| best.iter().find(|e| self.x(e.value) == x).map(|e| e.value))
        };
        let (value, closest) = match at(b) {
            Some(v) if best.iter().any(|e| e.value == v && self.holds(e, &all)) => (Some(v), None),
            Some(v) => (None, Some(v)),
            None => (None, at(a)),
        };
        let neighbour = match (value.or(closest), a, b) {
            (Some(_), Some(a), Some(b)) if b - a == 1 => at(Some(a)),
            _ => None,
        };
        if let (None, Some(v)) = (value, closest) {
            self.notes.push(self.why_none(v));
        }
        let criteria = self.request.criteria;
        let evaluations: Vec<LeverEvaluation> = self
            .evals
            .iter()
            .map(|e| LeverEvaluation {
                value: e.value,
                replications: e.report.replications,
                met: self.holds(e, &all),
                settled: e.settled,
                targets: judge::verdicts(&e.judged, &criteria),
            })
            .collect();
        let replications = evaluations.iter().map(|e| u64::from(e.replications)).sum();
        LeverSearch {
            lever: self.request.lever.clone(),
            direction: self.request.direction,
            value,
            evaluations,
            scenario: self.base.sc.name.clone(),
            neighbour,
            closest,
            range: [range.0, range.1],
            strict: criteria.strict,
            days: criteria.days,
            notes: self.notes,
            cost: Cost {
                evaluations: self.evals.len(),
                replications,
                seconds: started.elapsed().as_secs_f64(),
            },
        }
    }

    /// Why no value meets every target, given the closest one.
    fn why_none(&self, closest: i64) -> String {
        let Some(e) = self.best().into_iter().find(|e| e.value == closest) else {
            return String::new();
        };
        let criteria = &self.request.criteria;
        let failing: Vec<&str> = self
            .bounds
            .iter()
            .filter(|b| !judge::standing(&e.judged, **b, criteria).holds)
            .map(|b| e.judged[b.target].metric.as_str())
            .collect();
        let mut failing = failing;
        failing.dedup();
        if e.report.replications_stopped_early > 0 {
            return format!(
                "no value in the range meets every target: at {closest}, the closest, replications were stopped early (overload)"
            );
        }
        format!(
            "no value in the range meets every target: at {closest}, the closest, {} missed",
            failing.join(", ")
        )
    }
}

/// The `k`-th galloping step: `step` doubled `k` times.
fn gallop(step: i64, k: u32) -> i64 {
    step.saturating_mul(1i64 << k.min(40))
}

/// The shortest `k`-th step (from 1) an extrapolated guess may take: a quarter of the
/// galloping step, so that guesses falling short still make geometric progress.
fn least(step: i64, k: u32) -> i64 {
    (gallop(step, k - 1) / 4).max(1)
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}
