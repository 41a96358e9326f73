//! `callsim merge SHARD_DIR... [--json] [--out DIR]`.

use crate::error::InputError;
use crate::report::Report;
use crate::scenario::validate::ValidScenario;
use crate::shard::Merged;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(super) struct MergeArgs {
    /// The directories that `callsim run|check|sweep --shard K/N --out DIR` wrote, one per
    /// shard, in any order.
    #[arg(required = true, value_name = "SHARD_DIR")]
    dirs: Vec<PathBuf>,
    /// Print the JSON, byte for byte what the whole run prints (`run --json`, `check --json`,
    /// `sweep --json`).
    #[arg(long)]
    json: bool,
    /// Also write the files the whole run's --out writes (shards of `run`: result.json,
    /// intervals.csv, plots, report.html; of `sweep`: sweep.json, sweep.csv, plots).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub(super) fn merge(args: MergeArgs) -> Result<i32, InputError> {
    match crate::shard::merge(&args.dirs)? {
        Merged::Run { command, sc, report } => merge_run(&args, &command, &sc, &report),
        Merged::Sweep(sweep) => {
            if let Some(dir) = &args.out {
                crate::output::prepare_dir(dir)?;
                crate::output::write_sweep(dir, &sweep)?;
            }
            super::finish_sweep(&sweep, args.json);
            Ok(0)
        }
    }
}

/// The merge of a run's or a check's shards.
fn merge_run(args: &MergeArgs, command: &str, sc: &ValidScenario, report: &Report) -> Result<i32, InputError> {
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
    crate::report::warning::print(Some(&report.scenario), &report.warnings);
    if check {
        let strict = command == "check --strict";
        return Ok(super::finish_check(report, sc.replications, strict, args.json));
    }
    // report.html names the scenario file as the whole run's does: as the shards give it
    // (the merge checked that they all give the same).
    let about = crate::report::html::About {
        description: sc.description.clone(),
        file: args.out.as_ref().and_then(|_| scenario_file(&args.dirs)),
    };
    super::finish_run(std::slice::from_ref(report), &[about], args.json, args.out.as_deref())
}

/// The scenario file as the first shard gives it, read from its head alone.
fn scenario_file(dirs: &[PathBuf]) -> Option<String> {
    let path = dirs.first()?.join(crate::shard::FILE);
    let bytes = std::fs::read(path).ok()?;
    let head: crate::shard::Shard<serde::de::IgnoredAny> = serde_json::from_slice(&bytes).ok()?;
    Some(head.file)
}
