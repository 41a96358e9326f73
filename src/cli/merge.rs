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
    /// Print the JSON, byte for byte what the whole run prints (`run --json`, `check --json`).
    #[arg(long)]
    json: bool,
    /// Also write result.json, intervals.csv, plots and report.html, as the whole run's --out
    /// (shards of `run`).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub(super) fn merge(args: MergeArgs) -> Result<i32, InputError> {
    let (command, sc, sha, tallies) = crate::shard::merge(&args.dirs)?;
    let check = command.starts_with("check");
    if let Some(dir) = &args.out {
        if check {
            return Err(InputError::Usage(format!(
                "--out {}: check writes no files, so neither does the merge of its shards; leave --out out",
                dir.display()
            )));
        }
        crate::output::prepare_dir(dir)?;
    }
    let report = crate::runner::report_of(&sc, &sha, &tallies);
    crate::report::warning::print(Some(&report.scenario), &report.warnings);
    if check {
        let strict = command == "check --strict";
        return Ok(super::finish_check(&report, sc.replications, strict, args.json));
    }
    super::finish_run(std::slice::from_ref(&report), args.json, args.out.as_deref())
}
