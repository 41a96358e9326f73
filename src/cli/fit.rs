//! `callsim fit LOG... --format seelab|csv --out DIR`.

use crate::calllog::{Dates, Format, time};
use crate::error::InputError;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(super) struct FitArgs {
    /// Call logs, read in order (e.g. one a month).
    #[arg(required = true, value_name = "LOG")]
    logs: Vec<PathBuf>,
    /// The logs' format: seelab (the SEE Lab format of the 1999 bank log) or csv (callsim's
    /// call-log CSV, docs/reference/call-log.md).
    #[arg(long, value_enum)]
    format: Format,
    /// Only contacts arriving on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    from: Option<chrono::NaiveDate>,
    /// Only contacts arriving on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    to: Option<chrono::NaiveDate>,
    /// The interval of the arrival and staffing profiles, e.g. 15m, 30m or 1h (default 30m).
    #[arg(long, value_name = "DURATION", value_parser = super::parse_interval)]
    interval: Option<f64>,
    /// An agent's gap without a service longer than this is off duty (a break, or the end of
    /// a shift); shorter gaps count as on duty (default 30m).
    #[arg(long, value_name = "DURATION", value_parser = super::parse_interval)]
    off_after: Option<f64>,
    /// A map file of what the log cannot show: call types that form one queue, agents that
    /// form a staff group (and what it serves), head starts per priority value
    /// (docs/reference/call-log.md).
    #[arg(long, value_name = "MAP.json")]
    map: Option<PathBuf>,
    /// The scenario's name (default: fitted).
    #[arg(long)]
    name: Option<String>,
    /// Write scenario.json, fit.json and the plots here.
    #[arg(long, value_name = "DIR", required = true)]
    out: PathBuf,
}

pub(super) fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    time::parse_date(text).ok_or_else(|| format!("expected a date YYYY-MM-DD, got {text:?}"))
}

pub(super) fn fit(args: FitArgs) -> Result<i32, InputError> {
    if let (Some(a), Some(b)) = (args.from, args.to)
        && a > b
    {
        return Err(InputError::Usage(format!("--from {a} is after --to {b}: give --from on or before --to")));
    }
    let mapping = args.map.as_deref().map(crate::calllog::mapping::Mapping::load).transpose()?.unwrap_or_default();
    crate::output::prepare_dir(&args.out)?;
    let paths: Vec<&std::path::Path> = args.logs.iter().map(PathBuf::as_path).collect();
    let request = crate::fit::Request {
        paths: &paths,
        format: args.format,
        dates: Dates {
            from: args.from,
            to: args.to,
        },
        interval_s: args.interval.unwrap_or(1800.0),
        name: args.name.clone().unwrap_or_else(|| "fitted".into()),
        off_after_min: super::backtest::off_after_minutes(args.off_after)?,
        mapping: &mapping,
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
