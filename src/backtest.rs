//! `callsim backtest`: how well a scenario predicts a real center's days.
//!
//! For every date of the log, the scenario's behaviour (handle times, patience, redials,
//! priority classes, routing) is simulated with that day's own arrivals per interval (fresh
//! calls: the log's redials are left for the scenario's redial model to make) and the day's
//! staffing as inferred from who served when ([`staffing`]). Each simulated replication is one
//! possible day; their spread (5th to 95th percentile) is the 90% prediction interval of a
//! single day, which the observed day should fall in nine times in ten if the model is right.
//!
//! Each date runs on its own random streams, derived from the seed and the date alone, so a
//! day's prediction is the same whatever `--from`/`--to` and the thread count.

pub mod day;
pub mod observe;
pub mod result;
pub mod staffing;

use crate::calllog::{self, Format, time};
use crate::error::InputError;
use crate::metrics::QueueMetric;
use result::{Backtest, Band, Compared, Day, DayStaff, Log};
use crate::scenario::validate::ValidScenario;
use chrono::Datelike;
use indexmap::IndexMap;
use observe::Observed;
use rayon::prelude::*;
use serde_json::Value;
use std::path::Path;

/// The metrics set beside the log's, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Offered,
    Answered,
    AsaS,
    AbandonRate,
    ServiceLevel,
}

impl Metric {
    pub const ALL: [Metric; 5] = [
        Metric::Offered,
        Metric::Answered,
        Metric::AsaS,
        Metric::AbandonRate,
        Metric::ServiceLevel,
    ];

    /// The simulator's metric of the same name and definition.
    pub fn queue_metric(self) -> QueueMetric {
        match self {
            Metric::Offered => QueueMetric::Offered,
            Metric::Answered => QueueMetric::Answered,
            Metric::AsaS => QueueMetric::AsaS,
            Metric::AbandonRate => QueueMetric::AbandonRate,
            Metric::ServiceLevel => QueueMetric::ServiceLevel,
        }
    }

    pub fn name(self) -> &'static str {
        self.queue_metric().def().name
    }
}

/// What to back-test.
pub struct Request<'a> {
    pub paths: &'a [&'a Path],
    pub format: Format,
    pub dates: calllog::Dates,
    /// The scenario's merged JSON, and the scenario checked.
    pub raw: &'a Value,
    pub sc: &'a ValidScenario,
    /// Replications per day, and the seed the days' streams derive from.
    pub reps: u32,
    pub seed: u64,
    /// A gap of more than this many minutes between an agent's services is off duty.
    pub off_after_min: usize,
    /// What the planner says of queues and groups (`--map`).
    pub mapping: &'a calllog::mapping::Mapping,
}

/// What a back-test tells whoever watches it.
pub struct Watch<'a> {
    /// The log is read: this many days to simulate.
    pub days: &'a (dyn Fn(usize) + Sync),
    /// Called [`crate::model::TICKS`] times per replication, from any thread.
    pub tick: &'a dyn crate::model::Progress,
}

/// Reads the logs and predicts each of their days.
pub fn backtest(req: &Request, watch: &Watch) -> Result<Backtest, InputError> {
    let step_s = arrival_step(req.sc.interval_s);
    let thresholds = req.sc.queues.iter().map(|q| (q.name.clone(), q.sl_within_s)).collect();
    let mut seen = Observed::new(thresholds, step_s);
    let quality = calllog::read(req.paths, req.format, req.dates, &mut |c| seen.add(&req.mapping.apply(c)))?;
    seen.count_redials();
    let groups = scenario_groups(req.raw);
    let waited = |date, queue: &str, minute| seen.waited(date, queue, minute);
    let staff = staffing::infer(&seen.activity, &groups, (req.off_after_min, req.mapping), &waited);
    let files = req.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>();
    if staff.agents.iter().all(Vec::is_empty) {
        return Err(InputError::Usage(format!(
            "{}: no agent in the log served a queue of the scenario's staff groups ({}), so the days' staffing cannot be inferred: back-test a log that records who served each call, with call types named as the scenario's queues",
            files.join(", "),
            groups.iter().map(|g| format!("{}: {}", g.name, g.serves.join(", "))).collect::<Vec<_>>().join("; ")
        )));
    }
    (watch.days)(seen.days.len());
    let queues: Vec<String> = seen.queue_names().cloned().collect();
    let mut capped = 0;
    let mut days = Vec::new();
    for (date, observed) in &seen.days {
        let (day, n) = predict_day(req, &seen, &groups, &staff, (*date, observed), watch)?;
        capped += n;
        days.push(day);
    }
    let mut warnings = Vec::new();
    if capped > 0 {
        warnings.push(format!(
            "{capped} simulated days were stopped early (too many waiting, or a drain that never ended): their figures count only what happened before"
        ));
    }
    let log = Log {
        files,
        format: format!("{:?}", req.format).to_lowercase(),
        first_date: days.first().map(|d| d.date.clone()).unwrap_or_default(),
        last_date: days.last().map(|d| d.date.clone()).unwrap_or_default(),
        quality,
        other_types: seen.other_types.clone(),
        agents: groups.iter().zip(&staff.agents).map(|(g, a)| (g.name.clone(), a.len())).collect(),
        agents_unplaced: staff.unplaced.len(),
    };
    Ok(Backtest::new(&req.sc.name, (req.reps, req.seed), log, days, queues, warnings))
}

/// The arrival interval: the scenario's `interval` when it is a whole number of minutes that
/// divides a day, else 30 minutes.
fn arrival_step(interval_s: f64) -> f64 {
    let minutes = interval_s / 60.0;
    let whole = minutes.fract() == 0.0 && minutes >= 1.0 && (1440.0 % minutes) == 0.0;
    if whole { interval_s } else { 1800.0 }
}

/// The scenario's staff groups and what they serve, from its JSON.
fn scenario_groups(raw: &Value) -> Vec<staffing::Group> {
    let Some(Value::Object(staff)) = raw.get("staff") else { return vec![] };
    staff
        .iter()
        .map(|(name, g)| staffing::Group {
            name: name.clone(),
            serves: g["serves"]
                .as_array()
                .map(|a| a.iter().filter_map(|q| q.as_str().map(String::from)).collect())
                .unwrap_or_default(),
        })
        .collect()
}

/// One date: its scenario, its replications, and the observed beside the predicted. Also
/// returns how many replications were capped.
fn predict_day(
    req: &Request,
    seen: &Observed,
    groups: &[staffing::Group],
    staff: &staffing::Staffing,
    (date, observed): (chrono::NaiveDate, &Vec<observe::QueueDay>),
    watch: &Watch,
) -> Result<(Day, usize), InputError> {
    let queues: Vec<String> = seen.queue_names().cloned().collect();
    let redials: Vec<bool> = req.sc.queues.iter().map(|q| q.redial.is_some()).collect();
    let arrivals = observed
        .iter()
        .zip(&redials)
        .map(|(d, &r)| {
            let fresh = |(n, k): (&u64, &u64)| (if r { n - k.min(n) } else { *n }) as f64;
            d.per_slot.iter().zip(&d.redials_per_slot).map(fresh).collect()
        })
        .collect();
    let on_duty = staff.by_date.get(&date);
    let counts: Vec<Vec<u32>> = (0..groups.len())
        .map(|g| match on_duty {
            Some(day) => day[g].iter().map(|v| v.round() as u32).collect(),
            None => vec![0; (86_400.0 / staffing::STEP_S) as usize],
        })
        .collect();
    let input = day::DayInput {
        weekday: date.weekday().num_days_from_monday() as usize,
        arrivals,
        arrival_step_s: seen.step_s,
        staff: counts,
    };
    let names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
    let json = day::scenario(req.raw, &queues, &names, &input);
    let label = format!("{} on {date} (the day's scenario of the back-test)", req.sc.name);
    let mut sc = crate::scenario::parse_value_unstaffed(json, &label)?;
    sc.replications = req.reps;
    sc.seed = day_seed(req.seed, date);
    let (values, capped) = simulate(&sc, watch.tick);
    let mut day = Day {
        date: date.to_string(),
        weekday: time::weekday_name(date).to_string(),
        queues: IndexMap::new(),
        staff: names
            .iter()
            .zip(&input.staff)
            .enumerate()
            .map(|(g, (n, c))| {
                let idle = staff.idle_while_waiting.get(&date).map_or(0, |v| v[g]);
                (n.clone(), DayStaff::of(c, staffing::STEP_S, idle))
            })
            .collect(),
    };
    for (q, name) in queues.iter().enumerate() {
        let compared = Metric::ALL
            .iter()
            .map(|&m| {
                let mut sample: Vec<f64> = values.iter().filter_map(|rep| rep[q][m as usize]).collect();
                let predicted = Band::of(&mut sample);
                (m.name().to_string(), Compared { observed: observed[q].value(m), predicted })
            })
            .collect();
        day.queues.insert(name.clone(), compared);
    }
    Ok((day, capped))
}

/// Per replication, per queue, each [`Metric`]'s value; and how many were capped.
type Values = Vec<Vec<[Option<f64>; 5]>>;

/// The day's replications, in parallel, in replication order.
fn simulate(sc: &ValidScenario, tick: &dyn crate::model::Progress) -> (Values, usize) {
    let nq = sc.queues.len();
    let reps: Vec<(Vec<[Option<f64>; 5]>, bool)> = (0..sc.replications)
        .into_par_iter()
        .map(|r| {
            let rep = crate::model::simulate_with_progress(sc, crate::runner::streams(sc.seed, r, nq), tick);
            let values = rep
                .queues
                .iter()
                .map(|t| Metric::ALL.map(|m| crate::runner::tally_value(m.queue_metric(), t)))
                .collect();
            (values, rep.capped_at.is_some())
        })
        .collect();
    let capped = reps.iter().filter(|r| r.1).count();
    (reps.into_iter().map(|r| r.0).collect(), capped)
}

/// The seed of a date's streams: the run's seed and the date, mixed (SplitMix64's finalizer)
/// so that neighbouring dates get unrelated streams.
pub fn day_seed(seed: u64, date: chrono::NaiveDate) -> u64 {
    let mut z = seed ^ (date.num_days_from_ce() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
