//! `callsim fit LOG... --format seelab|csv --out DIR`.

use crate::error::InputError;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(super) struct FitArgs {
    /// Call logs, read in order (e.g. one a month).
    #[arg(required = true, value_name = "LOG")]
    logs: Vec<PathBuf>,
    #[command(flatten)]
    log: super::log_options::LogOptions,
    /// The interval of the arrival and staffing profiles, e.g. 15m, 30m or 1h (default 30m).
    #[arg(long, value_name = "DURATION", value_parser = super::parse_interval)]
    interval: Option<f64>,
    /// The scenario's name (default: fitted).
    #[arg(long)]
    name: Option<String>,
    /// Write scenario.json, fit.json and the plots here.
    #[arg(long, value_name = "DIR", required = true)]
    out: PathBuf,
}

pub(super) fn fit(args: FitArgs) -> Result<i32, InputError> {
    let log = args.log.check()?;
    crate::output::prepare_dir(&args.out)?;
    let paths: Vec<&std::path::Path> = args.logs.iter().map(PathBuf::as_path).collect();
    let request = crate::fit::Request {
        paths: &paths,
        format: log.format,
        dates: log.dates,
        interval_s: args.interval.unwrap_or(1800.0),
        name: args.name.clone().unwrap_or_else(|| "fitted".into()),
        off_after_min: log.off_after_min,
        mapping: &log.mapping,
    };
    let fitted = crate::fit::fit(&request)?;
    // The scenario must load as callsim reads it: a fit that does not is a bug to report.
    crate::scenario::parse_value(fitted.scenario.clone(), "scenario.json (fitted)")?;
    crate::output::write_fit(&args.out, &fitted)?;
    let mut out = fitted.report.quality.lines();
    out += &fitted.report.lines();
    out += &format!("wrote {}: scenario.json, fit.json and plots\n", args.out.display());
    let _ = std::io::stdout().write_all(out.as_bytes());
    Ok(0)
}
