//! `callsim merge SHARD_DIR... [--json] [--out DIR]`.

use crate::error::InputError;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(super) struct MergeArgs {
    /// The directories that `callsim run --shard K/N --out DIR` wrote, one per shard, in any
    /// order.
    #[arg(required = true, value_name = "SHARD_DIR")]
    dirs: Vec<PathBuf>,
    /// Print the result JSON, byte for byte what the whole run prints.
    #[arg(long)]
    json: bool,
    /// Also write result.json, intervals.csv, plots and report.html, as the whole run's --out.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub(super) fn merge(args: MergeArgs) -> Result<i32, InputError> {
    let (sc, sha, tallies) = crate::shard::merge(&args.dirs)?;
    if let Some(dir) = &args.out {
        crate::output::prepare_dir(dir)?;
    }
    let report = crate::runner::report_of(&sc, &sha, &tallies);
    crate::report::warning::print(Some(&report.scenario), &report.warnings);
    super::finish_run(std::slice::from_ref(&report), args.json, args.out.as_deref())
}
