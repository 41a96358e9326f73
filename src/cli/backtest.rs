//! `callsim backtest SCENARIO --calls LOG... --format seelab|csv`.

use crate::error::InputError;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

/// Replications per day unless `--reps` says otherwise: enough for a 90% band.
const REPS: u32 = 100;

#[derive(Debug, Args)]
pub(super) struct BacktestArgs {
    /// The scenario (JSON) whose behaviour is tested: handle times, patience, redials,
    /// priority classes and routing. Its queues are the log's call types by name.
    file: PathBuf,
    /// Call logs, read in order (e.g. one a month).
    #[arg(long, required = true, num_args = 1.., value_name = "LOG")]
    calls: Vec<PathBuf>,
    #[command(flatten)]
    log: super::log_options::LogOptions,
    /// Replications per day: the spread of their values is the 90% prediction interval of a
    /// day (default 100).
    #[arg(long, value_name = "N")]
    reps: Option<u32>,
    /// Seed (overrides the scenario's `seed`); each day's streams derive from it and the date.
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Print the back-test as JSON instead of the summary.
    #[arg(long)]
    json: bool,
    /// Also write backtest.json, backtest.csv (a row per day, queue and metric) and plots
    /// (per queue and metric, the observed days over the predicted band) to this directory.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub(super) fn backtest(args: BacktestArgs) -> Result<i32, InputError> {
    if args.reps == Some(0) || args.threads == Some(0) {
        let what = if args.reps == Some(0) { "--reps" } else { "--threads" };
        return Err(InputError::Usage(format!("{what}: must be at least 1, got 0")));
    }
    let log = args.log.check()?;
    let super::Loaded { sc, json, .. } = super::load(&args.file)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .map_err(|e| InputError::Usage(format!("--threads: {e}")))?;
    if let Some(dir) = &args.out {
        crate::output::prepare_dir(dir)?;
    }
    let paths: Vec<&std::path::Path> = args.calls.iter().map(PathBuf::as_path).collect();
    let reps = args.reps.unwrap_or(REPS);
    let request = crate::backtest::Request {
        paths: &paths,
        format: log.format,
        dates: log.dates,
        raw: &json,
        sc: &sc,
        reps,
        seed: args.seed.unwrap_or(sc.seed),
        off_after_min: log.off_after_min,
        mapping: &log.mapping,
    };
    let bar = super::progress_bar(0, &format!("{}: back-test", sc.name));
    let days = |n: usize| bar.set_length(n as u64 * u64::from(reps) * u64::from(crate::model::TICKS));
    let watch = crate::backtest::Watch {
        days: &days,
        tick: &|| bar.inc(1),
    };
    let done = pool.install(|| crate::backtest::backtest(&request, &watch));
    bar.finish_and_clear();
    let found = done?;
    if let Some(dir) = &args.out {
        crate::output::write_backtest(dir, &found)?;
    }
    let mut out = if args.json {
        serde_json::to_string_pretty(&found).unwrap_or_default() + "\n"
    } else {
        found.log.quality.lines() + &found.lines()
    };
    if let (Some(dir), false) = (&args.out, args.json) {
        out += &format!("wrote {}: backtest.json, backtest.csv and plots\n", dir.display());
    }
    let _ = std::io::stdout().write_all(out.as_bytes());
    Ok(0)
}

