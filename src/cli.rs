//! The command line: `run`, `validate`, `schema`. Parses arguments, loads every scenario before
//! running any, renders reports, and writes output files whole (temporary file, then rename).

use crate::error::InputError;
use crate::report::{self, Report};
use crate::runner;
use crate::scenario::{self, validate::ValidScenario};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

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
    /// Print the JSON Schema of the scenario format.
    Schema,
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
    /// Also write sweep.csv and sweep.json to this directory.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
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
}

#[derive(Debug, Args)]
struct RunArgs {
    #[command(flatten)]
    sim: SimArgs,
    /// Print the result JSON (an array for several files) instead of the table.
    #[arg(long)]
    json: bool,
    /// Also write result.json, intervals.csv and plots (PNG and SVG) to this directory.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Runs the command line and returns the process exit code.
pub fn main(args: impl IntoIterator<Item = OsString>) -> i32 {
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
    }
}

/// Checks every file, reporting each: exit 2 when any is bad.
fn validate(files: &[PathBuf]) -> i32 {
    let mut code = 0;
    for file in files {
        match load(file) {
            Ok((sc, _)) => println!(
                "{}: ok: {} ({}, {}, {})",
                file.display(),
                sc.name,
                report::table::plural(sc.queues.len(), "queue"),
                report::table::plural(sc.groups.len(), "staff group"),
                report::table::plural(sc.targets.len(), "target")
            ),
            Err(e) => {
                eprintln!("error: {e}");
                code = 2;
            }
        }
    }
    code
}

fn load_all(files: &[PathBuf]) -> Result<Vec<(ValidScenario, String)>, InputError> {
    files.iter().map(|f| load(f)).collect()
}

/// Loads a scenario file and checks its `sweep` block too: every command reports a bad block,
/// so that a file that runs also sweeps.
fn load(file: &Path) -> Result<(ValidScenario, String), InputError> {
    let (sc, sha, json) = scenario::load_with_json(file)?;
    crate::sweep::check_block(&json, &file.display().to_string())?;
    Ok((sc, sha))
}

/// Loads every file (so bad input stops everything before any run), applies the overrides,
/// and returns the scenarios with the pool to run them on.
fn prepare(
    args: &SimArgs,
) -> Result<(Vec<(ValidScenario, String)>, rayon::ThreadPool), InputError> {
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
    for (sc, _) in &mut scenarios {
        sc.replications = reps.unwrap_or(sc.replications);
        sc.seed = seed.unwrap_or(sc.seed);
        sc.precision = args.precision.or(sc.precision);
        sc.max_replications = args.max_reps.unwrap_or(sc.max_replications);
        if sc.max_replications < sc.replications {
            return Err(InputError::Usage(format!(
                "--max-reps: must be at least the {} replications asked for {}, got {}",
                sc.replications, sc.name, sc.max_replications
            )));
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| InputError::Usage(format!("--threads: {e}")))?;
    Ok((scenarios, pool))
}

/// Scenarios run together must have different names: each gets a column, an output
/// subdirectory and a plot label by name. A file that `extends` another keeps the base's name
/// unless it sets its own, so same-named scenarios are labelled by their file names instead.
fn distinct_names(
    scenarios: &mut [(ValidScenario, String)],
    files: &[PathBuf],
) -> Result<(), InputError> {
    let names: Vec<String> = scenarios.iter().map(|(sc, _)| sc.name.clone()).collect();
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
            scenarios[i].0.name = label.clone();
        }
    }
    Ok(())
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned())
}

/// Runs every scenario and prints its warnings on stderr.
fn simulate_all(scenarios: &[(ValidScenario, String)], pool: &rayon::ThreadPool) -> Vec<Report> {
    let runs: Vec<(Report, Option<String>)> = scenarios
        .iter()
        .map(|(sc, sha)| pool.install(|| run_one(sc, sha)))
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
        prepare_dir(dir)?;
    }
    let reports = simulate_all(&scenarios, &pool);
    if let Some(dir) = &args.out {
        write_outputs(dir, &reports)?;
    }
    let stdout = if args.json {
        let json = if reports.len() == 1 {
            serde_json::to_string_pretty(&reports[0])
        } else {
            serde_json::to_string_pretty(&reports)
        };
        json.unwrap_or_default() + "\n"
    } else if reports.len() > 1 {
        report::table::side_by_side(&reports)
    } else {
        report::table::render(&reports[0])
    };
    let _ = std::io::stdout().write_all(stdout.as_bytes());
    Ok(0)
}

fn check(args: CheckArgs) -> Result<i32, InputError> {
    let (scenarios, pool) = prepare(&args.sim)?;
    let baselines = scenarios
        .iter()
        .map(|(sc, _)| baseline_for(args.baseline.as_deref(), &sc.name))
        .collect::<Result<Vec<_>, _>>()?;
    let mut checks = Vec::new();
    for ((sc, sha), baseline) in scenarios.iter().zip(baselines) {
        let (report, adaptive) = if args.decide {
            let bar = progress_bar(u64::from(sc.max_replications), &sc.name);
            let decided = pool.install(|| runner::decide(sc, sha, &|| bar.inc(1)));
            bar.finish_and_clear();
            decided
        } else {
            pool.install(|| run_one(sc, sha))
        };
        report::warning::print(Some(&report.scenario), &report.warnings);
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
        write_whole(path, report::check::junit(&checks).as_bytes())?;
    }
    let stdout = if args.json {
        serde_json::to_string_pretty(&checks).unwrap_or_default() + "\n"
    } else {
        checks.iter().map(|c| c.lines()).collect()
    };
    let _ = std::io::stdout().write_all(stdout.as_bytes());
    Ok(if checks.iter().all(|c| c.passed) {
        0
    } else {
        1
    })
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

fn sweep(args: SweepArgs) -> Result<i32, InputError> {
    let sim = SimArgs {
        files: vec![args.file.clone()],
        control: args.control,
        precision: args.precision,
        max_reps: args.max_reps,
    };
    let (mut base, pool) = prepare(&sim)?;
    let (base_sc, sha) = base.remove(0);
    let request = crate::sweep::Request {
        sets: args.sets.clone(),
        zip: args.zip,
        independent: args.independent,
    };
    let raw = scenario::merged_json(&args.file)?;
    let file = args.file.display().to_string();
    let (settings, points) = crate::sweep::points_for(&raw, &file, &base_sc, &request)?;
    if let Some(dir) = &args.out {
        prepare_dir(dir)?;
    }
    let total = points
        .iter()
        .map(|(_, sc)| u64::from(sc.replications))
        .sum();
    let bar = progress_bar(total, &format!("sweep of {}", base_sc.name));
    let sweep = pool.install(|| {
        runner::sweep(&base_sc, &settings, points, args.independent, &sha, &|| {
            bar.inc(1)
        })
    });
    bar.finish_and_clear();
    if let Some(dir) = &args.out {
        write_sweep(dir, &sweep)?;
    }
    let stdout = if args.json {
        serde_json::to_string_pretty(&sweep).unwrap_or_default() + "\n"
    } else {
        report::sweep::table(&sweep)
    };
    let _ = std::io::stdout().write_all(stdout.as_bytes());
    Ok(0)
}

fn write_sweep(dir: &Path, sweep: &report::sweep::Sweep) -> Result<(), InputError> {
    let fail = |what: &str, e: String| InputError::Output {
        path: dir.join(what).display().to_string(),
        reason: e,
    };
    let csv = report::sweep::csv(sweep).map_err(|e| fail("sweep.csv", e.to_string()))?;
    let json = serde_json::to_vec_pretty(sweep).map_err(|e| fail("sweep.json", e.to_string()))?;
    let plots = report::plot::sweep::render(sweep).map_err(|e| fail("plots", e))?;
    write_whole(&dir.join("sweep.csv"), &csv)?;
    write_whole(&dir.join("sweep.json"), &json)?;
    for plot in plots {
        write_whole(&dir.join(&plot.name), &plot.bytes)?;
    }
    Ok(())
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
        let raw = scenario::merged_json(&args.base)?;
        let file = args.base.display().to_string();
        let variant = crate::sweep::variant(raw, &file, &args.sets)?;
        scenarios.push((variant, String::new()));
    } else {
        distinct_names(&mut scenarios, &files)?;
    }
    // The variant runs on the base's seed and replications: the same callers, paired.
    let (reps, seed) = (scenarios[0].0.replications, scenarios[0].0.seed);
    (scenarios[1].0.replications, scenarios[1].0.seed) = (reps, seed);
    let runs: Vec<_> = scenarios
        .iter()
        .map(|(sc, sha)| pool.install(|| runner::run_with_samples(sc, sha, &|| {})))
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

/// Runs one scenario with a progress bar on stderr when it is a terminal. With precision
/// control, also says what it cost.
fn run_one(sc: &ValidScenario, sha: &str) -> (Report, Option<String>) {
    let bar = progress_bar(u64::from(sc.replications), &sc.name);
    let done = runner::simulate(sc, sha, &|| bar.inc(1));
    bar.finish_and_clear();
    done
}

/// A progress bar of `total` replications on stderr, drawn only when stderr is a terminal.
fn progress_bar(total: u64, message: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} replications ({eta})");
    bar.set_style(style.unwrap_or_else(|_| ProgressStyle::default_bar()));
    bar.set_message(message.to_string());
    bar
}

fn prepare_dir(dir: &Path) -> Result<(), InputError> {
    if dir.exists() && !dir.is_dir() {
        return Err(InputError::Usage(format!(
            "--out {}: exists and is not a directory; give a directory for the output files",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| InputError::Output {
        path: dir.display().to_string(),
        reason: e.to_string(),
    })
}

/// Renders every file first, then writes each whole. With several scenarios each gets a
/// subdirectory named after it.
fn write_outputs(dir: &Path, reports: &[Report]) -> Result<(), InputError> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut all_plots = Vec::new();
    for r in reports {
        let sub = if reports.len() == 1 {
            dir.to_path_buf()
        } else {
            dir.join(&r.scenario)
        };
        let fail = |what: &str, e: String| InputError::Output {
            path: sub.join(what).display().to_string(),
            reason: e,
        };
        let json = serde_json::to_vec_pretty(r).map_err(|e| fail("result.json", e.to_string()))?;
        files.push((sub.join("result.json"), json));
        let csv = report::csv::intervals(r).map_err(|e| fail("intervals.csv", e.to_string()))?;
        files.push((sub.join("intervals.csv"), csv));
        let plots = report::plot::render(r).map_err(|e| fail("plots", e.to_string()))?;
        for plot in &plots {
            files.push((sub.join(&plot.name), plot.bytes.clone()));
        }
        all_plots.push((r.scenario.clone(), plots));
    }
    if reports.len() > 1 {
        let fail = |e: String| InputError::Output {
            path: dir.display().to_string(),
            reason: e,
        };
        let comparison = report::plot::compare::render(reports).map_err(fail)?;
        for plot in &comparison {
            files.push((dir.join(&plot.name), plot.bytes.clone()));
        }
        all_plots.insert(0, ("comparison".to_string(), comparison));
    }
    let html = report::html::page(reports, &all_plots);
    files.push((dir.join("report.html"), html.into_bytes()));
    for (path, bytes) in &files {
        write_whole(path, bytes)?;
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place, so a reader
/// never sees a partial file.
fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), InputError> {
    let fail = |e: std::io::Error| InputError::Output {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let tmp = path.with_extension(format!(
        "{}.tmp",
        path.extension().and_then(|e| e.to_str()).unwrap_or("")
    ));
    std::fs::write(&tmp, bytes).map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)
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
