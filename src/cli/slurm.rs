//! `callsim slurm (run|check|sweep) ARGS... --shards N --out DIR`: prints the script that runs
//! the command's shards as a Slurm job array and merges them (see [`crate::slurm`]). The
//! command is checked as its shards will run it, and a pilot of one unit, here, estimates
//! each job's time and memory.

use super::{Command, Loaded, SweepPoints};
use crate::error::InputError;
use crate::slurm::{Plan, Resources, slurm_time};
use clap::{Args, Parser};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The options of `callsim slurm`, before or after the command's own.
#[derive(Debug, Args, Default)]
pub(super) struct SlurmOptions {
    /// Shards: tasks of the job array (required).
    #[arg(long, value_name = "N")]
    shards: Option<u32>,
    /// Where the shards (DIR/shard-K), the logs (DIR/logs) and the merged result
    /// (DIR/result) go (required).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Slurm partition of every job (default: the cluster's).
    #[arg(long, value_name = "NAME")]
    partition: Option<String>,
    /// Time limit of each shard, as Slurm writes it (`30`, `2:00:00`, `1-00:00:00`; default:
    /// the pilot's estimate times 3, at least 5 minutes).
    #[arg(long, value_name = "TIME")]
    time: Option<String>,
    /// Memory of each shard, as Slurm writes it (`512M`, `2G`; default: the pilot's estimate
    /// times 1.5, at least 256M).
    #[arg(long, value_name = "MEM")]
    mem: Option<String>,
    /// CPUs of each shard, its threads (default 1).
    #[arg(long, value_name = "N")]
    cpus: Option<u32>,
    /// The callsim binary the jobs run (default: this one).
    #[arg(long, value_name = "PATH")]
    callsim: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(super) struct SlurmArgs {
    #[command(flatten)]
    options: SlurmOptions,
    /// The command as you would run it whole: `run FILE ...`, `check FILE ...` or `sweep FILE
    /// ...`, then --shards N --out DIR and any of the options below.
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true, value_name = "COMMAND")]
    words: Vec<String>,
}

/// For re-parsing the options found among the command's words.
#[derive(Debug, Parser)]
#[command(name = "callsim slurm")]
struct AfterCommand {
    #[command(flatten)]
    options: SlurmOptions,
}

/// The names of [`SlurmOptions`], all taking a value.
const OPTIONS: [&str; 7] = ["--shards", "--out", "--partition", "--time", "--mem", "--cpus", "--callsim"];

/// Replications the pilot runs, one at a time.
const PILOT_RUNS: u32 = 3;

/// The options set by `callsim slurm` itself, which the command must leave out.
const SET_HERE: [(&str, &str); 3] = [
    ("--shard", "each task's shard"),
    ("--threads", "each shard's threads, from --cpus"),
    ("--json", "nothing: the merge job writes the files"),
];

pub(super) fn slurm(args: SlurmArgs) -> Result<i32, InputError> {
    let (options, words) = match split(args) {
        Ok(split) => split,
        Err(e) => {
            let _ = e.print();
            return Ok(2);
        }
    };
    let (Some(shards), Some(out)) = (options.shards, options.out.clone()) else {
        return Err(InputError::Usage("callsim slurm: give --shards N and --out DIR".into()));
    };
    if shards == 0 || options.cpus == Some(0) {
        return Err(InputError::Usage("--shards and --cpus: at least 1".into()));
    }
    check_words(&words)?;
    let slurm_value = |name: &str, v: &Option<String>, ok: fn(char) -> bool| match v {
        Some(v) if v.is_empty() || !v.chars().all(ok) => {
            Err(InputError::Usage(format!("--{name} {v:?}: not a Slurm {name}, e.g. {}", if name == "time" { "2:00:00" } else { "2G" })))
        }
        _ => Ok(()),
    };
    slurm_value("time", &options.time, |c| c.is_ascii_digit() || c == ':' || c == '-')?;
    slurm_value("mem", &options.mem, |c| c.is_ascii_alphanumeric())?;
    let here = std::env::current_dir().map_err(|e| InputError::Usage(format!("the current directory: {e}")))?;
    let out = here.join(&out);
    let Some(pilot) = pilot(&words, shards, &out)? else { return Ok(2) };
    let callsim = match &options.callsim {
        Some(p) => here.join(p),
        None => std::env::current_exe().map_err(|e| InputError::Usage(format!("--callsim: give the binary's path ({e})")))?,
    };
    let plan = plan(&options, (words, shards), (&callsim, &here, &out), &pilot);
    print!("{}", plan.script());
    Ok(0)
}

/// The options (given before or among the command's words) and the command's words.
fn split(args: SlurmArgs) -> Result<(SlurmOptions, Vec<String>), clap::Error> {
    let (mut ours, mut words) = (vec!["callsim slurm".to_string()], vec![]);
    let mut rest = args.words.into_iter();
    while let Some(w) = rest.next() {
        let name = w.split('=').next().unwrap_or_default();
        if OPTIONS.contains(&name) {
            let has_value = w.contains('=');
            ours.push(w);
            if !has_value {
                ours.extend(rest.next());
            }
        } else {
            words.push(w);
        }
    }
    let after = AfterCommand::try_parse_from(ours)?.options;
    let before = args.options;
    let twice = |a: bool, b: bool, name: &str| {
        if a && b {
            Err(clap::Error::raw(clap::error::ErrorKind::ArgumentConflict, format!("--{name} is given twice\n")))
        } else {
            Ok(())
        }
    };
    twice(before.shards.is_some(), after.shards.is_some(), "shards")?;
    twice(before.out.is_some(), after.out.is_some(), "out")?;
    twice(before.partition.is_some(), after.partition.is_some(), "partition")?;
    twice(before.time.is_some(), after.time.is_some(), "time")?;
    twice(before.mem.is_some(), after.mem.is_some(), "mem")?;
    twice(before.cpus.is_some(), after.cpus.is_some(), "cpus")?;
    twice(before.callsim.is_some(), after.callsim.is_some(), "callsim")?;
    let options = SlurmOptions {
        shards: before.shards.or(after.shards),
        out: before.out.or(after.out),
        partition: before.partition.or(after.partition),
        time: before.time.or(after.time),
        mem: before.mem.or(after.mem),
        cpus: before.cpus.or(after.cpus),
        callsim: before.callsim.or(after.callsim),
    };
    Ok((options, words))
}

fn check_words(words: &[String]) -> Result<(), InputError> {
    if !["run", "check", "sweep"].contains(&words[0].as_str()) {
        return Err(InputError::Usage(format!("callsim slurm: shards `run`, `check` or `sweep`, not {:?}", words[0])));
    }
    for (flag, what) in SET_HERE {
        if words.iter().any(|w| w == flag || w.starts_with(&format!("{flag}="))) {
            return Err(InputError::Usage(format!("{flag}: callsim slurm sets {what}; leave it out")));
        }
    }
    Ok(())
}

/// What one unit cost here, and how the shards share the units.
struct Pilot {
    /// Seconds of one unit of cost, on one thread.
    seconds_per_cost: f64,
    /// The most expected cost, and units, in a shard.
    shard_cost: u64,
    shard_units: u64,
    /// A unit's bytes in the shard file.
    unit_bytes: u64,
    /// Peak resident memory before the pilot, and what the pilot's unit added.
    base_bytes: u64,
    unit_peak_bytes: u64,
    points: u64,
    said: String,
}

/// Checks the command as its first shard will run it and runs one unit of it: the costliest
/// point's first replication. `None` when the command line is bad (clap has said why).
fn pilot(words: &[String], shards: u32, out: &Path) -> Result<Option<Pilot>, InputError> {
    let argv = std::iter::once("callsim".to_string())
        .chain(words.iter().cloned())
        .chain(["--shard".into(), format!("1/{shards}"), "--out".into(), out.join("shard-1").display().to_string()]);
    let cli = match super::Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return Ok(None);
        }
    };
    let (sc, costs, reps) = match &cli.command {
        Command::Run(a) => one_scenario(super::prepare(&a.sim)?.0)?,
        Command::Check(a) => one_scenario(super::prepare(&a.sim)?.0)?,
        Command::Sweep(a) => {
            let (SweepPoints { base, points, .. }, _) = super::sweep_points(a)?;
            let costs: Vec<u64> = points.iter().map(|(_, sc)| crate::shard::unit_cost(sc)).collect();
            let most = (0..points.len()).max_by_key(|&i| costs[i]).unwrap_or(0);
            let reps = base.sc.replications;
            (points.into_iter().nth(most).map(|p| p.1).unwrap_or(base.sc), costs, reps)
        }
        _ => return Err(InputError::Usage("callsim slurm: shards `run`, `check` or `sweep`".into())),
    };
    if let Some(p) = sc.precision {
        return Err(InputError::Usage(format!(
            "callsim slurm: {} asks for precision {p}, whose replications depend on all the others; shard it without precision control (--reps N with no `precision`)",
            sc.name
        )));
    }
    let sweep = matches!(cli.command, Command::Sweep(_));
    // The process with the scenario (every point of a sweep) loaded, as a shard has it.
    let base_bytes = peak_memory();
    // Three runs of one replication, the median time (the first also pays for warming up).
    let mut times = Vec::new();
    let mut unit_bytes = 0;
    for r in 0..PILOT_RUNS.min(reps) {
        let start = Instant::now();
        let bytes = if sweep {
            serde_json::to_vec(&crate::runner::metric_values_range(&sc, r..r + 1, &|| {})).map(|b| b.len())
        } else {
            serde_json::to_vec(&crate::runner::simulate_range(&sc, r..r + 1, &|| {})).map(|b| b.len())
        };
        times.push(start.elapsed().as_secs_f64());
        unit_bytes = unit_bytes.max(bytes.unwrap_or(0) as u64);
    }
    times.sort_by(f64::total_cmp);
    let seconds = times[times.len() / 2];
    let unit_cost = if sweep { crate::shard::unit_cost(&sc) } else { 1 };
    let (shard_cost, shard_units) = busiest_shard(&costs, reps, shards);
    let unit_peak_bytes = peak_memory().saturating_sub(base_bytes);
    let said = format!(
        "Pilot, here: a replication of {}{} took {seconds:.3} s on one thread (median of {}) and took {} MB of memory beyond the loaded scenario.",
        sc.name,
        if sweep { " (the costliest point)" } else { "" },
        times.len(),
        unit_peak_bytes >> 20
    );
    Ok(Some(Pilot {
        seconds_per_cost: seconds / unit_cost as f64,
        shard_cost,
        shard_units,
        unit_bytes,
        base_bytes,
        unit_peak_bytes,
        points: costs.len() as u64,
        said,
    }))
}

/// A run's or check's scenario, as a sweep of one point whose units all cost 1.
fn one_scenario(mut loaded: Vec<Loaded>) -> Result<(crate::scenario::validate::ValidScenario, Vec<u64>, u32), InputError> {
    if loaded.len() != 1 {
        return Err(InputError::Usage("--shard: shards one scenario at a time; give one file".into()));
    }
    let sc = loaded.remove(0).sc;
    let reps = sc.replications;
    Ok((sc, vec![1], reps))
}

/// The expected cost and the units of the costliest shard. A run's shards are the blocks of
/// `runner::shard_range`, of as many units as the sweep's plan would give them.
fn busiest_shard(costs: &[u64], reps: u32, shards: u32) -> (u64, u64) {
    (1..=shards)
        .map(|k| {
            let r = crate::shard::unit_range(costs, reps, k, shards);
            let cost: u64 = r.clone().map(|u| costs[(u / u64::from(reps.max(1))) as usize]).sum();
            let units = if costs.len() == 1 { crate::runner::shard_range(reps, k, shards).len() as u64 } else { r.end - r.start };
            (cost.max(units), units)
        })
        .max()
        .unwrap_or((0, 0))
}

/// The jobs' requests: what the options say, else the pilot's estimates with room to spare
/// (a cluster's nodes may be slower than this machine).
fn plan(options: &SlurmOptions, (words, shards): (Vec<String>, u32), (callsim, here, out): (&Path, &Path, &Path), pilot: &Pilot) -> Plan {
    let cpus = options.cpus.unwrap_or(1);
    let seconds = pilot.seconds_per_cost * pilot.shard_cost as f64 / f64::from(cpus).min(pilot.shard_units.max(1) as f64);
    let time = options.time.clone().unwrap_or_else(|| slurm_time(minutes_up((3.0 * seconds).max(300.0))));
    let held = pilot.shard_units * pilot.unit_bytes * 3;
    let shard_bytes = pilot.base_bytes + u64::from(cpus) * pilot.unit_peak_bytes + held;
    let mem = options.mem.clone().unwrap_or_else(|| megabytes(shard_bytes));
    // The merge holds one shard's units and every point's summary (about 64 KB in memory).
    let merge_bytes = pilot.base_bytes + held + pilot.points * (64 << 10);
    let merge_seconds = (pilot.shard_units * pilot.unit_bytes * u64::from(shards)) as f64 / 20e6;
    let name = Path::new(&words[1]).file_stem().map_or("callsim".into(), |s| s.to_string_lossy().into_owned());
    let notes = vec![
        pilot.said.clone(),
        format!(
            "A shard holds at most {} units, about {:.1} s on {cpus} CPU(s) here: --time {time} (3 times that, at least 5 minutes, unless --time), --mem {mem} (1.5 times the estimate, at least 256M, unless --mem).",
            pilot.shard_units, seconds
        ),
    ];
    Plan {
        words,
        shards,
        callsim: callsim.display().to_string(),
        workdir: here.display().to_string(),
        out: out.display().to_string(),
        job_name: format!("callsim-{name}"),
        per_shard: Resources { time, mem, cpus },
        merge: Resources {
            time: slurm_time(minutes_up((3.0 * merge_seconds).max(300.0))),
            mem: megabytes(merge_bytes),
            cpus: 1,
        },
        partition: options.partition.clone(),
        notes,
    }
}

/// Seconds rounded up to whole minutes.
fn minutes_up(seconds: f64) -> u64 {
    (seconds / 60.0).ceil() as u64 * 60
}

/// Bytes times 1.5 as Slurm megabytes, rounded up to 64 and at least 256.
fn megabytes(bytes: u64) -> String {
    let mb = (bytes as f64 * 1.5 / f64::from(1 << 20)).ceil() as u64;
    format!("{}M", mb.div_ceil(64).max(4) * 64)
}

/// This process's peak resident memory (Linux's VmHWM), 0 where unknown.
fn peak_memory() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let line = status.lines().find(|l| l.starts_with("VmHWM:"));
    let kb = line.and_then(|l| l.split_whitespace().nth(1)).and_then(|v| v.parse::<u64>().ok());
    kb.unwrap_or(0) * 1024
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_rounded_up_with_room() {
        assert_eq!(megabytes(0), "256M");
        assert_eq!(megabytes(400 << 20), "640M"); // 600 MB, up to a multiple of 64
    }

    #[test]
    fn the_busiest_shard_of_a_run_and_of_a_sweep() {
        // A run of 10 replications in 3 shards: blocks of 3, 3 and 4.
        assert_eq!(busiest_shard(&[1], 10, 3), (4, 4));
        // A sweep of points costing 10 and 30, 2 replications each, in 2 shards: 80 in all;
        // shard 1 takes units 0-2 (cost 50), shard 2 unit 3 (30).
        assert_eq!(busiest_shard(&[10, 30], 2, 2), (50, 3));
    }
}
