//! The command line: clap types, dispatch and output. Parses arguments, loads every scenario
//! before running any, prints reports; `output` writes the files.

use crate::error::InputError;
use crate::output;
use crate::report::{self, Report};
use crate::runner;
use crate::scenario::{self, validate::ValidScenario};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

mod backtest;
mod fit;
mod log_options;
mod merge;
#[cfg(feature = "serve")]
mod serve;
mod shard;
mod slurm;

/// callsim: a fast, trustworthy call-queue simulator.
#[derive(Debug, Parser)]
#[command(name = "callsim", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Simulate each scenario and report every metric with its 95% confidence interval.
    Run(RunArgs),
    /// Parse and check scenario files without running them.
    Validate {
        /// Scenario files (JSON).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run each scenario and judge its targets: exit 0 when all are met, 1 when any is missed.
    Check(CheckArgs),
    /// Run the cartesian product of values set at paths of a scenario, with the same random
    /// streams at every point.
    Sweep(SweepArgs),
    /// Run a base and a variant on the same random streams and print each metric's paired
    /// difference with its 95% interval.
    Compare(CompareArgs),
    /// Find the staffing that meets every target, by simulation: the smallest or largest
    /// whole value of one scenario path (--lever), or a group's agents per interval of the
    /// week (--schedule).
    Staff(StaffArgs),
    /// Estimate a scenario from a center's call log: arrivals, handle times, patience,
    /// redials, priorities and staffing, with fit.json and plots of fitted against observed.
    Fit(fit::FitArgs),
    /// Test a scenario against a center's call log: simulate each day of the log with its own
    /// volume and staffing, and set the observed figures beside the predicted band.
    Backtest(backtest::BacktestArgs),
    /// Merge the shards of a run, check or sweep (`--shard K/N --out DIR`) into exactly what
    /// the whole command prints and writes.
    Merge(merge::MergeArgs),
    /// Print a script that runs a run, check or sweep as a Slurm job array of N shards
    /// (`--shards N --out DIR`) and merges them in a job that waits for the array.
    Slurm(slurm::SlurmArgs),
    /// Serve the planner's page on this machine: pick a scenario of DIR, change its staff,
    /// volumes and targets, run it and see its targets, figures and plots, and ask how many
    /// staff meet the targets.
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// Print the JSON Schema of the scenario format.
    Schema,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("mode").required(true).args(["lever", "schedule"]))]
#[command(group = clap::ArgGroup::new("direction").args(["min", "max"]))]
struct StaffArgs {
    /// The scenario file (JSON); its targets are what the staffing must meet.
    file: PathBuf,
    /// The scenario path to search, a whole number: e.g. staff.agents.count, or
    /// staff.office_staff.reassign.count. Needs --min or --max.
    #[arg(long, value_name = "PATH", requires = "direction")]
    lever: Option<String>,
    /// Find the agents of this staff group needed in each interval of the week so that the
    /// per-interval targets (ASA, service level, abandonment of the queues it serves) hold in
    /// every interval. Needs --out.
    #[arg(long, value_name = "GROUP", requires = "out", conflicts_with_all = ["direction", "range"])]
    schedule: Option<String>,
    /// The interval of --schedule, e.g. 15m, 30m or 1h (default 30m).
    #[arg(long, value_name = "DURATION", value_parser = parse_interval, requires = "schedule")]
    interval: Option<f64>,
    /// Cover the --schedule requirement with the whole shifts of this file at the fewest
    /// agent-hours (an integer program), then simulate the roster and cover again where it
    /// misses; staffed.json then holds the roster, and roster.csv lists its shifts.
    #[arg(long, value_name = "SHIFTS.json", requires = "schedule")]
    shifts: Option<PathBuf>,
    /// Find the smallest value at which every target is met.
    #[arg(long)]
    min: bool,
    /// Find the largest value at which every target is met.
    #[arg(long)]
    max: bool,
    /// Search only A..B (whole numbers, both included). Default: from 0 to ten times the
    /// scenario's value (at least 1000), as far as the scenario stays valid.
    #[arg(long, value_name = "A..B", value_parser = parse_range, allow_hyphen_values = true)]
    range: Option<(i64, i64)>,
    /// A target is met only when its whole 95% confidence interval is within its bounds.
    #[arg(long)]
    strict: bool,
    /// Queue ASA targets must hold on at least this share of the simulated days (e.g. 0.9),
    /// not just on average; the other targets are judged over the whole run. With
    /// --schedule: each interval's targets must hold on this share of days.
    #[arg(long, value_name = "P")]
    days: Option<f64>,
    /// PATH=VALUE: set before searching (e.g. queues.office.arrivals.per_week=20000); one
    /// value each.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    sets: Vec<String>,
    /// Replications per evaluation, seed and threads; every value runs on the same seed.
    #[command(flatten)]
    control: Control,
    /// Most replications settling a verdict at the answer may use (default: the
    /// scenario's max_replications, or 1000).
    #[arg(long, value_name = "N")]
    max_reps: Option<u32>,
    /// Print the search as JSON instead of lines.
    #[arg(long)]
    json: bool,
    /// Also write staff.json (the search) and staffed.json (a scenario extending FILE with
    /// the value found) to this directory. With --schedule: schedule.json, requirement.csv,
    /// staffed.json and plots.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// A duration such as `30m`, in seconds.
fn parse_interval(text: &str) -> Result<f64, String> {
    crate::scenario::units::parse_duration(text)
}

/// `A..B`, whole numbers, not empty.
fn parse_range(text: &str) -> Result<(i64, i64), String> {
    let parts = text.split_once("..").map(|(a, b)| (a.trim().parse(), b.trim().parse()));
    let Some((Ok(a), Ok(b))) = parts else {
        return Err("write A..B with whole numbers, e.g. 0..250".to_string());
    };
    if a > b {
        return Err(format!("{a}..{b} is empty; give the smaller value first"));
    }
    Ok((a, b))
}

#[derive(Debug, Args)]
struct CompareArgs {
    /// The base scenario.
    base: PathBuf,
    /// The variant scenario (or give --set changes to the base instead).
    variant: Option<PathBuf>,
    /// PATH=VALUE: the variant is the base with this value set (one value each).
    #[arg(long = "set", value_name = "PATH=VALUE", conflicts_with = "variant")]
    sets: Vec<String>,
    /// Replications, seed and threads (the variant runs on the base's seed and replications).
    #[command(flatten)]
    control: Control,
    /// Print the differences as JSON instead of the table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct SweepArgs {
    /// The scenario file (JSON).
    file: PathBuf,
    /// PATH=VALUES: a dotted path into the scenario and `a,b,c` or `from..to:step`; several
    /// give the cartesian product.
    /// (Without --set, the scenario's own `sweep` block is run.)
    #[arg(long = "set", value_name = "PATH=VALUES")]
    sets: Vec<String>,
    /// Pair the values of the settings instead of taking their cartesian product.
    #[arg(long)]
    zip: bool,
    /// Replications (per point), seed and threads.
    #[command(flatten)]
    control: Control,
    /// At each point, add replications until every target's ci95 half-width is within this
    /// share of its mean (e.g. 0.02); overrides the scenario's `precision`.
    #[arg(long, value_name = "SHARE")]
    precision: Option<f64>,
    /// Most replications `--precision` may use at a point (default: the scenario's, or 1000).
    #[arg(long, value_name = "N")]
    max_reps: Option<u32>,
    /// Print the sweep as JSON instead of the table.
    #[arg(long)]
    json: bool,
    /// Give every point its own random streams instead of common random numbers (only to
    /// measure what common random numbers save).
    #[arg(long)]
    independent: bool,
    /// Also write sweep.csv, sweep.json and plots (PNG and SVG: each headline metric or target
    /// against the last numeric parameter, and a heatmap when two are swept) to this directory
    /// (with --shard: shard.json).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Simulate only shard K of N (its block of the (point, replication) units, of about 1/N
    /// of the expected cost, on the whole sweep's random streams) and write DIR/shard.json for
    /// `callsim merge`. Needs --out.
    #[arg(long, value_name = "K/N", value_parser = parse_shard, requires = "out", conflicts_with_all = ["json", "precision"])]
    shard: Option<(u32, u32)>,
}

/// Replications, seed and threads: shared by every command that simulates.
#[derive(Debug, Clone, Copy, Args)]
struct Control {
    /// Replications (overrides the scenario's `replications`).
    #[arg(long, value_name = "N")]
    reps: Option<u32>,
    /// Seed (overrides the scenario's `seed`).
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

/// How to simulate: shared by `run` and `check`.
#[derive(Debug, Args)]
struct SimArgs {
    /// Scenario files (JSON).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[command(flatten)]
    control: Control,
    /// Add replications until every target's ci95 half-width is within this share of its
    /// mean (e.g. 0.02); overrides the scenario's `precision`.
    #[arg(long, value_name = "SHARE")]
    precision: Option<f64>,
    /// Most replications `--precision` may use (default: the scenario's, or 1000).
    #[arg(long, value_name = "N")]
    max_reps: Option<u32>,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    sim: SimArgs,
    /// A target is met only when its whole 95% confidence interval is within its bounds.
    #[arg(long)]
    strict: bool,
    /// When a target's interval straddles a bound, add replications (same seed, in batches)
    /// until it clears the bound or --max-reps is reached.
    #[arg(long)]
    decide: bool,
    /// Also write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Print the verdicts as JSON instead of lines.
    #[arg(long)]
    json: bool,
    /// Compare every metric with the result.json an earlier `callsim run --out DIR` stored
    /// there, and fail on significant regressions.
    #[arg(long, value_name = "DIR")]
    baseline: Option<PathBuf>,
    /// Relative worsening a regression must exceed (default: the scenario's
    /// `regression_tolerance`, or 0.05).
    #[arg(long, value_name = "SHARE")]
    tolerance: Option<f64>,
    /// Simulate only shard K of N (its block of replications, on the whole run's random
    /// streams) and write DIR/shard.json for `callsim merge`, which judges the targets. Needs
    /// --out.
    #[arg(long, value_name = "K/N", value_parser = parse_shard, requires = "out", conflicts_with_all = ["json", "decide", "junit", "baseline"])]
    shard: Option<(u32, u32)>,
    /// With --shard: the directory of shard.json.
    #[arg(long, value_name = "DIR", requires = "shard")]
    out: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct RunArgs {
    #[command(flatten)]
    sim: SimArgs,
    /// Print the result JSON (an array for several files) instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write result.json, intervals.csv, plots (PNG and SVG) and report.html (one page
    /// with every plot) to this directory; with several files, a subdirectory per scenario and
    /// comparison plots.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Also write every contact of the first replication to this file as a call log
    /// (callsim's call-log CSV: one row per attempt, time 0 on Monday 2024-01-01).
    #[arg(long, value_name = "FILE")]
    calls: Option<PathBuf>,
    /// Simulate only shard K of N (its block of replications, on the whole run's random
    /// streams) and write DIR/shard.json for `callsim merge`. Needs --out.
    #[arg(long, value_name = "K/N", value_parser = parse_shard, requires = "out", conflicts_with_all = ["json", "calls"])]
    shard: Option<(u32, u32)>,
}

/// `K/N` with 1 <= K <= N.
fn parse_shard(text: &str) -> Result<(u32, u32), String> {
    let parts = text.split_once('/').map(|(k, n)| (k.trim().parse::<u32>(), n.trim().parse::<u32>()));
    match parts {
        Some((Ok(k), Ok(n))) if (1..=n).contains(&k) => Ok((k, n)),
        _ => Err(format!("write K/N with 1 <= K <= N, e.g. 2/4, got {text:?}")),
    }
}

/// Runs the command line and returns the process exit code.
pub fn main(args: impl IntoIterator<Item = OsString>) -> i32 {
    output::clean_up_on_signal();
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}

fn dispatch(cli: Cli) -> Result<i32, InputError> {
    match cli.command {
        Command::Schema => {
            let schema = scenario::json_schema();
            println!(
                "{}",
                serde_json::to_string_pretty(&schema).unwrap_or_default()
            );
            Ok(0)
        }
        Command::Validate { files } => Ok(validate(&files)),
        Command::Run(args) => run(args),
        Command::Check(args) => check(args),
        Command::Sweep(args) => sweep(args),
        Command::Compare(args) => compare(args),
        Command::Staff(args) => staff(args),
        Command::Fit(args) => fit::fit(args),
        Command::Backtest(args) => backtest::backtest(args),
        Command::Merge(args) => merge::merge(args),
        Command::Slurm(args) => slurm::slurm(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::serve(args),
    }
}

/// Checks every file, reporting each: exit 2 when any is bad.
fn validate(files: &[PathBuf]) -> i32 {
    let mut code = 0;
    for file in files {
        match load(file) {
            Ok(Loaded { sc, .. }) => {
                println!(
                    "{}: ok: {} ({}, {}, {})",
                    file.display(),
                    sc.name,
                    report::table::plural(sc.queues.len(), "queue"),
                    report::table::plural(sc.groups.len(), "staff group"),
                    report::table::plural(sc.targets.len(), "target")
                );
                let traps = runner::warnings::for_scenario(&sc);
                report::warning::print(Some(&sc.name), &traps);
            }
            Err(e) => {
                eprintln!("error: {e}");
                code = 2;
            }
        }
    }
    code
}

/// A scenario file loaded: the checked scenario, the SHA-256 of its bytes (with its bases'),
/// and its JSON with any `extends` chain merged in (what sweeps and `--set` change).
struct Loaded {
    sc: ValidScenario,
    sha: String,
    json: serde_json::Value,
}

fn load_all(files: &[PathBuf]) -> Result<Vec<Loaded>, InputError> {
    files.iter().map(|f| load(f)).collect()
}

/// Loads a scenario file and checks its `sweep` block too: every command reports a bad block,
/// so that a file that runs also sweeps.
fn load(file: &Path) -> Result<Loaded, InputError> {
    let (sc, sha, json) = scenario::load_with_json(file)?;
    crate::sweep::check_block(&json, &file.display().to_string())?;
    Ok(Loaded { sc, sha, json })
}

/// Loads every file (so bad input stops everything before any run), applies the overrides,
/// and returns the scenarios with the pool to run them on.
fn prepare(
    args: &SimArgs,
) -> Result<(Vec<Loaded>, rayon::ThreadPool), InputError> {
    let Control {
        reps,
        seed,
        threads,
    } = args.control;
    if reps == Some(0) {
        return Err(InputError::Usage(
            "--reps: must be at least 1, got 0".into(),
        ));
    }
    if threads == Some(0) {
        return Err(InputError::Usage(
            "--threads: must be at least 1, got 0".into(),
        ));
    }
    if let Some(p) = args.precision
        && !(p > 0.0 && p < 1.0)
    {
        return Err(InputError::Usage(format!(
            "--precision: must be between 0 and 1 (e.g. 0.02), got {p}"
        )));
    }
    let mut scenarios = load_all(&args.files)?;
    for Loaded { sc, .. } in &mut scenarios {
        sc.replications = reps.unwrap_or(sc.replications);
        sc.seed = seed.unwrap_or(sc.seed);
        sc.precision = args.precision.or(sc.precision);
        sc.max_replications = args.max_reps.unwrap_or(sc.max_replications);
        if sc.max_replications < sc.replications {
            return Err(InputError::Usage(too_many_reps(sc, args)));
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| InputError::Usage(format!("--threads: {e}")))?;
    Ok((scenarios, pool))
}

/// Why the replications asked for exceed the most allowed, naming what the user gave.
fn too_many_reps(sc: &ValidScenario, args: &SimArgs) -> String {
    let (asked, most) = (sc.replications, sc.max_replications);
    match (args.control.reps, args.max_reps) {
        (_, Some(m)) => format!(
            "--max-reps: must be at least the {asked} replications asked for {}, got {m}",
            sc.name
        ),
        (Some(r), None) => format!(
            "--reps {r}: more than the {most} replications {} allows (its max_replications); raise that, or give --max-reps {r}",
            sc.name
        ),
        (None, None) => format!(
            "{}: replications {asked} is more than max_replications {most}; raise max_replications",
            sc.name
        ),
    }
}

/// Scenarios run together must have different names: each gets a column, an output
/// subdirectory and a plot label by name. A file that `extends` another keeps the base's name
/// unless it sets its own, so same-named scenarios are labelled by their file names instead.
fn distinct_names(
    scenarios: &mut [Loaded],
    files: &[PathBuf],
) -> Result<(), InputError> {
    let names: Vec<String> = scenarios.iter().map(|l| l.sc.name.clone()).collect();
    let shared = |i: usize| names.iter().filter(|n| **n == names[i]).count() > 1;
    let labels: Vec<String> = (0..names.len())
        .map(|i| {
            if shared(i) {
                file_stem(&files[i])
            } else {
                names[i].clone()
            }
        })
        .collect();
    for (i, label) in labels.iter().enumerate() {
        if labels.iter().filter(|l| *l == label).count() > 1 {
            return Err(InputError::Usage(format!(
                "{}: another scenario given is also named {:?} and has the same file name: give each its own \"name\"",
                files[i].display(),
                names[i]
            )));
        }
        if *label != names[i] {
            eprintln!(
                "note: {} is named {:?} like another scenario given; it is reported as {label:?}",
                files[i].display(),
                names[i]
            );
            scenarios[i].sc.name = label.clone();
        }
    }
    Ok(())
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned())
}

/// Runs every scenario and prints its warnings on stderr.
fn simulate_all(scenarios: &[Loaded], pool: &rayon::ThreadPool) -> Vec<Report> {
    let runs: Vec<(Report, Option<String>)> = scenarios
        .iter()
        .map(|l| pool.install(|| run_one(&l.sc, &l.sha)))
        .collect();
    for (r, note) in &runs {
        report::warning::print(Some(&r.scenario), &r.warnings);
        note.iter()
            .for_each(|n| eprintln!("note: {}: {n}", r.scenario));
    }
    runs.into_iter().map(|(r, _)| r).collect()
}

fn run(args: RunArgs) -> Result<i32, InputError> {
    let (mut scenarios, pool) = prepare(&args.sim)?;
    distinct_names(&mut scenarios, &args.sim.files)?;
    if let Some(dir) = &args.out {
        output::prepare_dir(dir)?;
    }
    if let (Some(shard), Some(dir)) = (args.shard, &args.out) {
        return shard::run_shard(&scenarios, &args.sim.files, ("run", shard), (dir, &pool));
    }
    if let Some(path) = &args.calls {
        if scenarios.len() > 1 {
            return Err(InputError::Usage(format!(
                "--calls {}: writes the calls of one scenario; give one file",
                path.display()
            )));
        }
        output::writable(path)?;
    }
    let reports = simulate_all(&scenarios, &pool);
    if let Some(path) = &args.calls {
        let sc = &scenarios[0].sc;
        let calls = crate::calllog::simulated::calls(sc, pool.install(|| runner::first_traced(sc)));
        output::write_calls(path, &calls)?;
    }
    let about: Vec<report::html::About> = scenarios
        .iter()
        .zip(&args.sim.files)
        .map(|(l, file)| report::html::About {
            description: l.sc.description.clone(),
            file: Some(file.display().to_string()),
        })
        .collect();
    finish_run(&reports, &about, args.json, args.out.as_deref())
}

/// What `run` prints and writes once its reports are made (also `merge`'s); `about` tells
/// report.html of each scenario file.
fn finish_run(
    reports: &[Report],
    about: &[report::html::About],
    json: bool,
    out: Option<&Path>,
) -> Result<i32, InputError> {
    if let Some(dir) = out {
        output::write_run(dir, reports, about)?;
    }
    let stdout = if json {
        let json = if reports.len() == 1 {
            serde_json::to_string_pretty(&reports[0])
        } else {
            serde_json::to_string_pretty(&reports)
        };
        json.unwrap_or_default() + "\n"
    } else if reports.len() > 1 {
        report::table::side_by_side(reports)
    } else {
        report::table::render(&reports[0])
    };
    let _ = std::io::stdout().write_all(stdout.as_bytes());
    Ok(0)
}

fn check(args: CheckArgs) -> Result<i32, InputError> {
    let (mut scenarios, pool) = prepare(&args.sim)?;
    distinct_names(&mut scenarios, &args.sim.files)?;
    if let (Some(shard), Some(dir)) = (args.shard, &args.out) {
        output::prepare_dir(dir)?;
        let command = if args.strict { "check --strict" } else { "check" };
        return shard::run_shard(&scenarios, &args.sim.files, (command, shard), (dir, &pool));
    }
    let baselines = scenarios
        .iter()
        .map(|l| baseline_for(args.baseline.as_deref(), &l.sc.name))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(path) = &args.junit {
        output::writable(path)?;
    }
    let mut checks = Vec::new();
    for (Loaded { sc, sha, .. }, baseline) in scenarios.iter().zip(baselines) {
        let (report, adaptive) = if args.decide {
            let bar = progress_bar(u64::from(sc.max_replications), &sc.name);
            let decided = pool.install(|| runner::decide(sc, sha, &|| bar.inc(1)));
            bar.finish_and_clear();
            decided
        } else {
            pool.install(|| run_one(sc, sha))
        };
        report::warning::print(Some(&report.scenario), &report.warnings);
        warn_without_targets(&report);
        let tolerance = args.tolerance.or(sc.regression_tolerance).unwrap_or(0.05);
        let regressions = baseline.map_or(vec![], |b| {
            report::baseline::regressions(&b, &report, tolerance)
        });
        let mut check =
            report::check::ScenarioCheck::new(&report, sc.replications, args.strict, regressions);
        check.adaptive = adaptive;
        checks.push(check);
    }
    if let Some(path) = &args.junit {
        output::write_whole(path, report::check::junit(&checks).as_bytes())?;
    }
    let stdout = if args.json {
        serde_json::to_string_pretty(&checks).unwrap_or_default() + "\n"
    } else {
        let lines: String = checks.iter().map(|c| c.lines()).collect();
        match checks.len() {
            1 => lines,
            _ => lines + &report::check::summary(&checks),
        }
    };
    let _ = std::io::stdout().write_all(stdout.as_bytes());
    Ok(if checks.iter().all(|c| c.passed) {
        0
    } else {
        1
    })
}

/// `check` of a scenario without targets passes whatever happens: says so on stderr.
fn warn_without_targets(report: &Report) {
    if report.targets.is_empty() {
        eprintln!(
            "warning: {}: no targets to check, so nothing can fail; add \"targets\", e.g. [{{\"metric\": \"phone.asa_s\", \"max\": \"2m\"}}]",
            report.scenario
        );
    }
}

/// What `check` prints of one scenario's report, and its exit code (`merge` of check shards).
fn finish_check(report: &Report, replications: u32, strict: bool, json: bool) -> i32 {
    warn_without_targets(report);
    let check = report::check::ScenarioCheck::new(report, replications, strict, vec![]);
    let stdout = if json {
        serde_json::to_string_pretty(&[&check]).unwrap_or_default() + "\n"
    } else {
        check.lines()
    };
    let _ = std::io::stdout().write_all(stdout.as_bytes());
    if check.passed { 0 } else { 1 }
}

/// The baseline result of scenario `name` in `dir`: `dir/<name>/result.json` (several
/// scenarios were run) or `dir/result.json` (one was).
fn baseline_for(dir: Option<&Path>, name: &str) -> Result<Option<serde_json::Value>, InputError> {
    let Some(dir) = dir else { return Ok(None) };
    for path in [dir.join(name).join("result.json"), dir.join("result.json")] {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| InputError::Syntax {
                file: path.display().to_string(),
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
        if value["scenario"] == name {
            return Ok(Some(value));
        }
    }
    Err(InputError::Usage(format!(
        "--baseline {}: no result.json of scenario {name:?} there (store one with `callsim run --out {}`)",
        dir.display(),
        dir.display()
    )))
}

/// A sweep's points, each checked, with its base and its settings.
struct SweepPoints {
    base: Loaded,
    settings: Vec<crate::sweep::Setting>,
    points: Vec<crate::sweep::PointScenario>,
}

/// Checks a sweep's scenario and builds every point, before anything runs.
fn sweep_points(args: &SweepArgs) -> Result<(SweepPoints, rayon::ThreadPool), InputError> {
    let sim = SimArgs {
        files: vec![args.file.clone()],
        control: args.control,
        precision: args.precision,
        max_reps: args.max_reps,
    };
    let (mut loaded, pool) = prepare(&sim)?;
    let base = loaded.remove(0);
    let request = crate::sweep::Request {
        sets: args.sets.clone(),
        zip: args.zip,
        independent: args.independent,
        ..Default::default()
    };
    let file = args.file.display().to_string();
    let (settings, points) = crate::sweep::points_for(&base.json, &file, &base.sc, &request)?;
    Ok((SweepPoints { base, settings, points }, pool))
}

fn sweep(args: SweepArgs) -> Result<i32, InputError> {
    let (SweepPoints { base, settings, points }, pool) = sweep_points(&args)?;
    let file = args.file.display().to_string();
    if let Some(dir) = &args.out {
        output::prepare_dir(dir)?;
    }
    if let (Some(k_of_n), Some(dir)) = (args.shard, &args.out) {
        let plan = crate::shard::SweepPlan { sets: args.sets, zip: args.zip, independent: args.independent };
        return shard::sweep_shard(&base, &file, (plan, points), k_of_n, (dir, &pool));
    }
    let total = points
        .iter()
        .map(|(_, sc)| u64::from(sc.replications))
        .sum();
    let bar = progress_bar(total, &format!("sweep of {}", base.sc.name));
    let sweep = pool.install(|| {
        runner::sweep(&base.sc, &settings, points, args.independent, &base.sha, &|| {
            bar.inc(1)
        })
    });
    bar.finish_and_clear();
    if let Some(dir) = &args.out {
        output::write_sweep(dir, &sweep)?;
    }
    finish_sweep(&sweep, args.json);
    Ok(0)
}

/// What `sweep` prints once its points are done (also `merge`'s).
fn finish_sweep(sweep: &report::sweep::Sweep, json: bool) {
    let stdout = if json {
        serde_json::to_string_pretty(sweep).unwrap_or_default() + "\n"
    } else {
        report::sweep::table(sweep)
    };
    let _ = std::io::stdout().write_all(stdout.as_bytes());
}

fn compare(args: CompareArgs) -> Result<i32, InputError> {
    let files = std::iter::once(args.base.clone())
        .chain(args.variant.clone())
        .collect();
    let sim = SimArgs {
        files,
        control: args.control,
        precision: None,
        max_reps: None,
    };
    let files = sim.files.clone();
    let (mut scenarios, pool) = prepare(&sim)?;
    if args.variant.is_none() {
        let file = args.base.display().to_string();
        let variant = crate::sweep::variant(scenarios[0].json.clone(), &file, &args.sets)?;
        scenarios.push(Loaded {
            sc: variant,
            sha: String::new(),
            json: serde_json::Value::Null,
        });
    } else {
        distinct_names(&mut scenarios, &files)?;
    }
    // The variant runs on the base's seed and replications: the same callers, paired.
    let (reps, seed) = (scenarios[0].sc.replications, scenarios[0].sc.seed);
    (scenarios[1].sc.replications, scenarios[1].sc.seed) = (reps, seed);
    let runs: Vec<_> = scenarios
        .iter()
        .map(|l| pool.install(|| runner::run_with_samples(&l.sc, &l.sha, &|| {})))
        .collect();
    let comparison =
        report::compare::Comparison::new((&runs[0].0, &runs[0].1), (&runs[1].0, &runs[1].1));
    report::warning::print(None, &comparison.warnings);
    let stdout = if args.json {
        serde_json::to_string_pretty(&comparison).unwrap_or_default() + "\n"
    } else {
        report::compare::table(&comparison)
    };
    let _ = std::io::stdout().write_all(stdout.as_bytes());
    Ok(0)
}

fn staff(args: StaffArgs) -> Result<i32, InputError> {
    let sim = SimArgs {
        files: vec![args.file.clone()],
        control: args.control,
        precision: None,
        max_reps: args.max_reps,
    };
    let (mut loaded, pool) = prepare(&sim)?;
    let Loaded { sc, sha, json } = loaded.remove(0);
    let file = args.file.display().to_string();
    let (sc, json) = with_sets(sc, json, &file, &args.sets)?;
    if let Some(dir) = &args.out {
        output::prepare_dir(dir)?;
    }
    let criteria = crate::staffing::judge::Criteria {
        strict: args.strict,
        days: args.days,
    };
    let base = crate::staffing::lever::Base {
        raw: &json,
        file: &file,
        sc: &sc,
        sha: &sha,
    };
    let bar = progress_bar(u64::from(sc.replications), &sc.name);
    let what = match (&args.lever, &args.schedule) {
        (Some(lever), _) => format!("{lever} at"),
        (None, group) => format!("schedule of {}, round", group.as_deref().unwrap_or("")),
    };
    let count = std::sync::atomic::AtomicUsize::new(0);
    let start = |value: i64, reps: u32| {
        let n = count.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        bar.set_length(u64::from(reps) * u64::from(crate::model::TICKS));
        bar.set_position(0);
        bar.set_message(format!("{}: {what} {value} (simulation {n})", sc.name));
    };
    let watch = crate::staffing::lever::Watch {
        start: &start,
        tick: &|| bar.inc(1),
    };
    let done = match (&args.lever, &args.schedule) {
        (Some(lever), _) => pool.install(|| staff_lever(&args, lever, &base, criteria, &watch)),
        (None, Some(group)) => {
            pool.install(|| staff_schedule(&args, group, &base, criteria, &watch))
        }
        (None, None) => Err(InputError::Usage(
            "give --lever PATH (with --min or --max) or --schedule GROUP".to_string(),
        )),
    };
    bar.finish_and_clear();
    let (stdout, found) = done?;
    let _ = std::io::stdout().write_all(stdout.as_bytes());
    Ok(if found { 0 } else { 1 })
}

/// `staff --lever`: the search, its files, and what it prints.
fn staff_lever(
    args: &StaffArgs,
    lever: &str,
    base: &crate::staffing::lever::Base,
    criteria: crate::staffing::judge::Criteria,
    watch: &crate::staffing::lever::Watch,
) -> Result<(String, bool), InputError> {
    let request = crate::staffing::lever::Request {
        lever: lever.to_string(),
        direction: if args.max {
            report::staff::Direction::Max
        } else {
            report::staff::Direction::Min
        },
        range: args.range,
        criteria,
    };
    let found = crate::staffing::lever::search(base, &request, watch)?;
    if let Some(dir) = &args.out {
        let staffed = found.value.map(|v| {
            let overlay = staffed_overlay(&args.file, dir, &args.sets, &[(lever, v.into())]);
            let reps = found.at(v).map_or(1, |e| e.replications);
            let what = format!(
                "{} with {lever} = {v}, the {} value at which every target is met, found by `callsim staff` ({reps} replications at that value).",
                found.scenario,
                found.direction.extreme()
            );
            describe_staffed(overlay, &found.scenario, what, reps, (args.control.seed, base.sc.max_replications))
        });
        output::write_staff(dir, &found, staffed.as_ref())?;
    }
    let stdout = if args.json {
        serde_json::to_string_pretty(&found).unwrap_or_default() + "\n"
    } else {
        found.lines()
    };
    Ok((stdout, found.value.is_some()))
}

/// `staff --schedule`: the search, its files, and what it prints.
fn staff_schedule(
    args: &StaffArgs,
    group: &str,
    base: &crate::staffing::lever::Base,
    criteria: crate::staffing::judge::Criteria,
    watch: &crate::staffing::lever::Watch,
) -> Result<(String, bool), InputError> {
    let request = crate::staffing::schedule::Request {
        group: group.to_string(),
        interval_s: args.interval.unwrap_or(1800.0),
        criteria,
        shifts: args
            .shifts
            .as_deref()
            .map(crate::staffing::shifts::Shifts::load)
            .transpose()?,
    };
    let found = crate::staffing::schedule::search(base, &request, watch)?;
    let s = &found.search;
    let mut stdout = if args.json {
        serde_json::to_string_pretty(s).unwrap_or_default() + "\n"
    } else {
        s.lines()
    };
    if let Some(dir) = &args.out {
        let path = format!("staff.{group}.count");
        let overlay = staffed_overlay(&args.file, dir, &args.sets, &[(&path, found.steps.clone())]);
        let what = match &s.roster {
            None => format!(
                "{} with the agents of {group} per {} min interval that `callsim staff --schedule` found so that {} in every interval ({} replications).",
                s.scenario,
                s.interval_s / 60.0,
                s.targets_hold(),
                s.replications
            ),
            Some(r) => format!(
                "{} with the agents of {group} on duty in the roster of whole shifts of {} that `callsim staff --schedule --shifts` found so that {} in every {} min interval ({:.1} agent-hours a week, {} replications).",
                s.scenario,
                r.file,
                s.targets_hold(),
                s.interval_s / 60.0,
                r.agent_hours,
                s.replications
            ),
        };
        let staffed = describe_staffed(overlay, &s.scenario, what, s.replications, (args.control.seed, base.sc.max_replications));
        output::write_schedule(dir, s, &staffed)?;
        if !args.json {
            stdout += &format!(
                "wrote {}: staffed.json, requirement.csv, {}schedule.json and plots\n",
                dir.display(),
                if s.roster.is_some() { "roster.csv, " } else { "" }
            );
        }
    }
    Ok((stdout, s.met))
}

/// The scenario and its JSON with each `PATH=VALUE` of `sets` applied (the command line's
/// replications, seed and most replications kept).
fn with_sets(
    sc: ValidScenario,
    json: serde_json::Value,
    file: &str,
    sets: &[String],
) -> Result<(ValidScenario, serde_json::Value), InputError> {
    if sets.is_empty() {
        return Ok((sc, json));
    }
    let (value, _) = crate::sweep::with_values(json, sets)?;
    let label = format!("{file} (with {})", sets.join(", "));
    let mut changed = crate::scenario::parse_value(value.clone(), &label)?;
    changed.name = sc.name.clone();
    changed.replications = sc.replications;
    changed.seed = sc.seed;
    changed.max_replications = sc.max_replications;
    Ok((changed, value))
}

/// A scenario that extends `file` (by its path from `dir`) with the `--set` values and the
/// values found (`found`: path and value): what `callsim check` can guard from then on.
fn staffed_overlay(
    file: &Path,
    dir: &Path,
    sets: &[String],
    found: &[(&str, serde_json::Value)],
) -> serde_json::Value {
    let absolute = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let (file_abs, dir_abs) = (absolute(file), absolute(dir));
    let extends = pathdiff::diff_paths(&file_abs, &dir_abs).unwrap_or(file_abs);
    let mut overlay = serde_json::json!({"extends": extends.display().to_string()});
    let settings = sets.iter().filter_map(|s| crate::sweep::parse_setting(s).ok());
    for s in settings {
        if let Some(v) = s.values.first() {
            overlay = nested(overlay, &s.path, v.clone());
        }
    }
    for (path, value) in found {
        overlay = nested(overlay, path, value.clone());
    }
    overlay
}

/// Names the staffed scenario, says what it is (`what`) and gives it the replications of the
/// evidence (and the seed asked for), so that `callsim check` on it reproduces the evidence
/// exactly.
fn describe_staffed(
    mut overlay: serde_json::Value,
    scenario: &str,
    what: String,
    reps: u32,
    (seed, max_reps): (Option<u64>, u32),
) -> serde_json::Value {
    if let Some(map) = overlay.as_object_mut() {
        map.insert("name".into(), format!("{scenario}-staffed").into());
        map.insert("description".into(), what.into());
        map.insert("replications".into(), reps.into());
        map.insert("max_replications".into(), max_reps.into());
        if let Some(seed) = seed {
            map.insert("seed".into(), seed.into());
        }
    }
    overlay
}

/// `base` with `value` at the dotted `path`, creating the objects on the way.
fn nested(mut base: serde_json::Value, path: &str, value: serde_json::Value) -> serde_json::Value {
    let mut node = &mut base;
    for key in path.split('.') {
        if !node.is_object() {
            *node = serde_json::json!({});
        }
        node = node
            .as_object_mut()
            .map(|m| m.entry(key).or_insert(serde_json::Value::Null))
            .expect("made an object above");
    }
    *node = value;
    base
}

/// Runs one scenario with a progress bar on stderr when it is a terminal. With precision
/// control, also says what it cost.
fn run_one(sc: &ValidScenario, sha: &str) -> (Report, Option<String>) {
    let bar = progress_bar(u64::from(sc.replications), &sc.name);
    let done = runner::simulate(sc, sha, &|| bar.inc(1));
    bar.finish_and_clear();
    done
}

/// A progress bar of `replications` on stderr, drawn only when stderr is a terminal. It
/// counts [`crate::model::TICKS`] steps per replication, so a long one moves it too.
fn progress_bar(replications: u64, message: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(replications * u64::from(crate::model::TICKS));
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {percent}% ({eta})");
    bar.set_style(style.unwrap_or_else(|_| ProgressStyle::default_bar()));
    let reps = report::table::plural(replications as usize, "replication");
    bar.set_message(format!("{message}, {reps}"));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
