//! `run`, `check` and `sweep` with `--shard K/N --out DIR`: one block of the work, to
//! DIR/shard.json for `callsim merge`.

use super::{Loaded, progress_bar};
use crate::error::InputError;
use crate::runner;
use crate::shard::{Shard, Source, SweepPlan, Units};
use std::path::{Path, PathBuf};

/// `run --shard K/N --out DIR` (or `check`'s, as `command` says): one scenario's block of
/// replications, to DIR/shard.json.
pub(super) fn run_shard(
    scenarios: &[Loaded],
    files: &[PathBuf],
    (command, (k, n)): (&str, (u32, u32)),
    (dir, pool): (&Path, &rayon::ThreadPool),
) -> Result<i32, InputError> {
    let [Loaded { sc, sha, json }] = scenarios else {
        return Err(InputError::Usage("--shard: shards one scenario at a time; give one file".into()));
    };
    refuse_precision(sc)?;
    let range = runner::shard_range(sc.replications, k, n);
    let bar = progress_bar(range.len() as u64, &format!("{}: shard {k}/{n}", sc.name));
    let tallies = pool.install(|| runner::simulate_range(sc, range.clone(), &|| bar.inc(1)));
    bar.finish_and_clear();
    let file = files[0].display().to_string();
    let source = Source { command, file: &file, sha, json, sc };
    let units = Units { tallies, values: vec![] };
    let path = crate::shard::write(dir, &Shard::new(&source, None, (k, n), u64::from(range.start), units))?;
    println!(
        "{}: shard {k}/{n}, replications {}..{} of {}, written to {}",
        sc.name,
        range.start,
        range.end,
        sc.replications,
        path.display()
    );
    Ok(0)
}

/// `sweep --shard K/N --out DIR`: a block of the sweep's (point, replication) units, of about
/// 1/N of its expected cost, to DIR/shard.json.
pub(super) fn sweep_shard(
    base: &Loaded,
    file: &str,
    (plan, points): (SweepPlan, Vec<crate::sweep::PointScenario>),
    (k, n): (u32, u32),
    (dir, pool): (&Path, &rayon::ThreadPool),
) -> Result<i32, InputError> {
    refuse_precision(&base.sc)?;
    let reps = base.sc.replications;
    let costs: Vec<u64> = points.iter().map(|(_, sc)| crate::shard::unit_cost(sc)).collect();
    let units = crate::shard::unit_range(&costs, reps, k, n);
    let bar = progress_bar(units.end - units.start, &format!("sweep of {}: shard {k}/{n}", base.sc.name));
    let mut values = Vec::with_capacity((units.end - units.start) as usize);
    let per_point = u64::from(reps);
    for (p, (_, sc)) in points.iter().enumerate() {
        let start = (p as u64 * per_point).max(units.start);
        let end = ((p as u64 + 1) * per_point).min(units.end);
        if start < end {
            let range = (start - p as u64 * per_point) as u32..(end - p as u64 * per_point) as u32;
            values.extend(pool.install(|| runner::metric_values_range(sc, range, &|| bar.inc(1))));
        }
    }
    bar.finish_and_clear();
    let source = Source { command: "sweep", file, sha: &base.sha, json: &base.json, sc: &base.sc };
    let shard = Shard::new(&source, Some(plan), (k, n), units.start, Units { tallies: vec![], values });
    let path = crate::shard::write(dir, &shard)?;
    let (first, last) = (units.start / per_point, units.end.div_ceil(per_point));
    println!(
        "sweep of {}: shard {k}/{n}, units {}..{} of {} (points {}..{}, {reps} replications each), written to {}",
        base.sc.name,
        units.start,
        units.end,
        points.len() as u64 * per_point,
        first + 1,
        last,
        path.display()
    );
    Ok(0)
}

/// Precision control decides how many replications to run from all of them: no shard can.
fn refuse_precision(sc: &crate::scenario::validate::ValidScenario) -> Result<(), InputError> {
    match sc.precision {
        Some(p) => Err(InputError::Usage(format!(
            "--shard: {} asks for precision {p}, whose replications depend on all the others; shard it without precision control (--reps N with no `precision`), or run it whole",
            sc.name
        ))),
        None => Ok(()),
    }
}
