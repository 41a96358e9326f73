//! Shards: a run or a sweep split into blocks of (point, replication) units (`--shard K/N
//! --out DIR` writes DIR/shard.json), merged by `callsim merge` into exactly what the whole
//! command gives. A run's shard holds each of its replications' tallies, everything the report
//! folds; a sweep's holds each unit's metric values, everything a point's summary folds. The
//! merge folds the same replications in the same order, so the result is byte-identical.

use crate::error::InputError;
use crate::model::Replication;
use crate::runner::MetricValues;
use crate::scenario::validate::ValidScenario;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The shard file's name in its directory.
pub const FILE: &str = "shard.json";
/// What a shard file says it is.
const FORMAT: &str = "callsim shard 1";

/// What a sweep shard needs to build the sweep's points again: its `--set`, `--zip` and
/// `--independent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPlan {
    pub sets: Vec<String>,
    pub zip: bool,
    pub independent: bool,
}

/// One shard: what it is a shard of, and its units (`D`; the merge's first pass reads the
/// head alone, with `D` = [`serde::de::IgnoredAny`]).
#[derive(Debug, Serialize, Deserialize)]
pub struct Shard<D = Units> {
    pub format: String,
    pub callsim_version: String,
    /// The command sharded: `run`, `check`, `check --strict` or `sweep`.
    pub command: String,
    /// The scenario file as given, its SHA-256 and its JSON (any `extends` merged).
    pub file: String,
    pub scenario_sha256: String,
    pub scenario: Value,
    /// The whole run's seed and replications (per point, for a sweep).
    pub seed: u64,
    pub replications: u32,
    /// A sweep's settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepPlan>,
    /// K of N.
    pub shard: u32,
    pub shards: u32,
    /// Its units, `first..first + units`: replications of a run; for a sweep, unit `u` is
    /// replication `u % replications` of point `u / replications`.
    pub first: u64,
    pub units: u64,
    #[serde(default)]
    pub data: D,
}

/// A shard's units: a run's tallies or a sweep's metric values.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Units {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tallies: Vec<Replication>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<MetricValues>,
}

impl Units {
    fn len(&self) -> usize {
        self.tallies.len() + self.values.len()
    }
}

type Head = Shard<serde::de::IgnoredAny>;

/// What a shard is of: the scenario file as given, its SHA-256 and merged JSON, the checked
/// scenario, and the command.
pub struct Source<'a> {
    pub command: &'a str,
    pub file: &'a str,
    pub sha: &'a str,
    pub json: &'a Value,
    pub sc: &'a ValidScenario,
}

impl Shard {
    /// Shard `k` of `n`: `units` from `first` on.
    pub fn new(source: &Source, sweep: Option<SweepPlan>, (k, n): (u32, u32), first: u64, data: Units) -> Self {
        Shard {
            format: FORMAT.into(),
            callsim_version: env!("CARGO_PKG_VERSION").into(),
            command: source.command.into(),
            file: source.file.into(),
            scenario_sha256: source.sha.into(),
            scenario: source.json.clone(),
            seed: source.sc.seed,
            replications: source.sc.replications,
            sweep,
            shard: k,
            shards: n,
            first,
            units: data.len() as u64,
            data,
        }
    }
}

/// The expected cost of one replication of `sc`, in contacts: its expected arrivals over the
/// horizon (events grow with contacts), at least 1. Sweep shards are balanced by it.
pub fn unit_cost(sc: &ValidScenario) -> u64 {
    let arrivals: f64 = sc.queues.iter().map(|q| q.rate.integral_to(sc.horizon_s)).sum();
    arrivals.round().max(0.0) as u64 + 1
}

/// The units shard `k` of `n` (from 1) of a sweep simulates, whose points cost `costs` each
/// per replication, `reps` replications each: a contiguous block of units in point order,
/// where the expected cost before the block's first unit is at least (k - 1)/n of the whole.
pub fn unit_range(costs: &[u64], reps: u32, k: u32, n: u32) -> Range<u64> {
    boundary(costs, reps, k - 1, n)..boundary(costs, reps, k, n)
}

/// The first unit whose cost before it is at least `i`/`n` of the whole (all units for `i`
/// = `n`).
fn boundary(costs: &[u64], reps: u32, i: u32, n: u32) -> u64 {
    let reps = u128::from(reps);
    let total: u128 = costs.iter().map(|&c| u128::from(c.max(1)) * reps).sum();
    let goal = total * u128::from(i);
    let n = u128::from(n.max(1));
    let mut before = 0u128;
    for (p, &c) in costs.iter().enumerate() {
        let c = u128::from(c.max(1));
        if (before + c * reps) * n >= goal {
            let into = (goal.saturating_sub(before * n)).div_ceil(c * n).min(reps);
            return (p as u128 * reps + into) as u64;
        }
        before += c * reps;
    }
    (costs.len() as u128 * reps) as u64
}

/// Writes `shard` to `dir`/shard.json, whole or not at all.
pub fn write(dir: &Path, shard: &Shard) -> Result<PathBuf, InputError> {
    let path = dir.join(FILE);
    let bytes = serde_json::to_vec(shard).map_err(|e| InputError::Output {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    crate::output::write_whole(&path, &bytes)?;
    Ok(path)
}

/// Reads `dir`/shard.json, with units (`D` = [`Units`]) or its head alone.
fn load<D: serde::de::DeserializeOwned + Default>(dir: &Path) -> Result<Shard<D>, InputError> {
    let path = dir.join(FILE);
    let bytes = crate::scenario::read(&path)?;
    let shard: Shard<D> = serde_json::from_slice(&bytes).map_err(|e| InputError::Usage(format!(
        "{}: not a whole shard file ({e}); was its run interrupted? Run that shard again",
        path.display()
    )))?;
    if shard.format != FORMAT {
        return Err(InputError::Usage(format!("{}: not a callsim shard file (format {:?})", path.display(), shard.format)));
    }
    if !(1..=shard.shards).contains(&shard.shard) {
        return Err(InputError::Usage(format!(
            "{}: shard {}/{} is not a shard of a run (K must be 1 to N); run that shard again",
            path.display(),
            shard.shard,
            shard.shards
        )));
    }
    Ok(shard)
}

/// What the merged shards give: a run's (or check's) replications folded into its report, or
/// a whole sweep.
pub enum Merged {
    Run { command: String, sc: Box<ValidScenario>, report: Box<crate::report::Report> },
    Sweep(Box<crate::report::sweep::Sweep>),
}

/// Merges the shards in `dirs` (any order), checked to be all of one run and nothing else.
/// Shards are read twice, their heads first, so that no more than one shard's units are in
/// memory at a time.
pub fn merge(dirs: &[PathBuf]) -> Result<Merged, InputError> {
    let heads: Vec<(PathBuf, Head)> = dirs.iter().map(|d| Ok((d.clone(), load(d)?))).collect::<Result<_, InputError>>()?;
    let order = check_heads(&heads)?;
    let first = &heads[0].1;
    let mut sc = crate::scenario::parse_value(first.scenario.clone(), &first.file)?;
    (sc.seed, sc.replications) = (first.seed, first.replications);
    let sha = first.scenario_sha256.clone();
    let shards = order.iter().map(|&i| heads[i].0.as_path());
    match &first.sweep {
        None => {
            let ranges = (1..=first.shards).map(|k| {
                let r = crate::runner::shard_range(sc.replications, k, first.shards);
                u64::from(r.start)..u64::from(r.end)
            });
            let mut fold = crate::runner::Fold::new(&sc);
            for (dir, range) in shards.zip(ranges) {
                let shard = load_units(dir, range)?;
                if !shard.data.tallies.iter().all(|t| fold.add(t)) || !shard.data.values.is_empty() {
                    return Err(not_of_its_scenario(dir));
                }
            }
            let report = Box::new(fold.report(&sha));
            Ok(Merged::Run { command: first.command.clone(), sc: Box::new(sc), report })
        }
        Some(plan) => merge_sweep(&sc, first, plan, shards.collect()).map(|s| Merged::Sweep(Box::new(s))),
    }
}

/// A sweep's shards, in order, folded point by point.
fn merge_sweep(base: &ValidScenario, head: &Head, plan: &SweepPlan, dirs: Vec<&Path>) -> Result<crate::report::sweep::Sweep, InputError> {
    let request = crate::sweep::Request { sets: plan.sets.clone(), zip: plan.zip, independent: plan.independent, ..Default::default() };
    let (settings, points) = crate::sweep::points_for(&head.scenario, &head.file, base, &request)?;
    let costs: Vec<u64> = points.iter().map(|(_, sc)| unit_cost(sc)).collect();
    let reps = u64::from(base.replications);
    let mut done: Vec<crate::report::sweep::Point> = Vec::with_capacity(points.len());
    let mut points = points.into_iter();
    let mut held: Vec<MetricValues> = Vec::new();
    for (k, dir) in (1..).zip(dirs) {
        let shard = load_units(dir, unit_range(&costs, base.replications, k, head.shards))?;
        if !shard.data.tallies.is_empty() {
            return Err(not_of_its_scenario(dir));
        }
        for values in shard.data.values {
            held.push(values);
            if held.len() as u64 == reps {
                let (values, sc) = points.next().ok_or_else(|| not_of_its_scenario(dir))?;
                let mut fold = crate::runner::Fold::new(&sc);
                if !held.drain(..).all(|v| fold.add_values(&v)) {
                    return Err(not_of_its_scenario(dir));
                }
                let report = fold.report(&head.scenario_sha256);
                done.push(crate::report::sweep::Point::new(values, report));
            }
        }
    }
    Ok(crate::runner::sweep_of(base, &settings, done, plan.independent))
}

/// Reads the shard in `dir` with its units, which must be `range`.
fn load_units(dir: &Path, range: Range<u64>) -> Result<Shard, InputError> {
    let shard: Shard = load(dir)?;
    let held = shard.data.len() as u64;
    if shard.first != range.start || shard.units != range.end - range.start || held != shard.units {
        return Err(InputError::Usage(format!(
            "{}: shard {}/{} should hold units {}..{} and holds {held} from {}; run that shard again",
            dir.join(FILE).display(), shard.shard, shard.shards, range.start, range.end, shard.first
        )));
    }
    Ok(shard)
}

fn not_of_its_scenario(dir: &Path) -> InputError {
    InputError::Usage(format!("{}: its units do not fit its scenario (was it edited?); run that shard again", dir.join(FILE).display()))
}

/// Checks that the shards are of one run, each once, none missing; returns their indices in
/// shard order.
fn check_heads(heads: &[(PathBuf, Head)]) -> Result<Vec<usize>, InputError> {
    let (first_dir, first) = &heads[0];
    let n = first.shards;
    for (dir, s) in &heads[1..] {
        let differs = [
            ("command", s.command != first.command),
            ("callsim version", s.callsim_version != first.callsim_version),
            ("scenario", s.scenario_sha256 != first.scenario_sha256 || s.file != first.file),
            ("seed", s.seed != first.seed),
            ("replications", s.replications != first.replications),
            ("sweep", s.sweep != first.sweep),
            ("number of shards", s.shards != n),
        ];
        if let Some((what, _)) = differs.iter().find(|d| d.1) {
            return Err(InputError::Usage(format!(
                "{} and {}: the shards are of different runs (their {what} differs); merge the shards of one run",
                first_dir.display(),
                dir.display()
            )));
        }
    }
    let mut by_k: Vec<Option<usize>> = vec![None; n as usize];
    for (i, (dir, s)) in heads.iter().enumerate() {
        let slot = &mut by_k[s.shard as usize - 1];
        if let Some(other) = slot {
            return Err(InputError::Usage(format!(
                "{} and {}: both hold shard {}/{n}; give each shard once",
                heads[*other].0.display(),
                dir.display(),
                s.shard
            )));
        }
        *slot = Some(i);
    }
    if let Some(k) = by_k.iter().position(Option::is_none) {
        return Err(InputError::Usage(format!(
            "shard {}/{n} is missing: run `{}` and give DIR too",
            k + 1,
            rerun(first, k as u32 + 1)
        )));
    }
    Ok(by_k.into_iter().flatten().collect())
}

/// The command line that makes shard `k` of the run `head` is a shard of.
fn rerun(head: &Head, k: u32) -> String {
    let mut words = vec!["callsim".to_string()];
    words.extend(head.command.split(' ').map(str::to_string));
    words.push(head.file.clone());
    if let Some(plan) = &head.sweep {
        plan.sets.iter().for_each(|s| words.extend(["--set".into(), s.clone()]));
        words.extend(plan.zip.then(|| "--zip".to_string()));
        words.extend(plan.independent.then(|| "--independent".to_string()));
    }
    words.extend([format!("--reps {}", head.replications), format!("--seed {}", head.seed)]);
    words.push(format!("--shard {k}/{} --out DIR", head.shards));
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_ranges_cover_every_unit_once_and_balance_cost() {
        let costs = [10, 30, 20, 40];
        for n in [1, 2, 3, 7, 50] {
            let ranges: Vec<_> = (1..=n).map(|k| unit_range(&costs, 5, k, n)).collect();
            assert_eq!(ranges[0].start, 0);
            assert_eq!(ranges.last().unwrap().end, 20);
            assert!(ranges.windows(2).all(|w| w[0].end == w[1].start), "{ranges:?}");
        }
        // Units cost 10 (0-4), 30 (5-9), 20 (10-14), 40 (15-19): 500 in all, 250 a half.
        // Before unit 9: 50 + 4 * 30 = 170; before 11: 200 + 20 = 220; before 12: 240;
        // before 13: 260 >= 250.
        assert_eq!(unit_range(&costs, 5, 1, 2), 0..13);
        assert_eq!(unit_range(&costs, 5, 2, 2), 13..20);
        // Equal costs: blocks of equal count.
        assert_eq!(unit_range(&[7, 7], 3, 2, 3), 2..4);
    }
}
