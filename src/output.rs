//! Output files: a run's or a sweep's result files, each rendered first and written whole
//! (a temporary file, then a rename), so a reader never sees a partial file.

use crate::error::InputError;
use crate::report::Report;
use crate::report::sweep::Sweep;
use std::path::{Path, PathBuf};

/// A sweep's files: sweep.csv, sweep.json and its plots.
pub fn write_sweep(dir: &Path, sweep: &Sweep) -> Result<(), InputError> {
    let fail = |what: &str, e: String| InputError::Output {
        path: dir.join(what).display().to_string(),
        reason: e,
    };
    let csv = crate::report::sweep::csv(sweep).map_err(|e| fail("sweep.csv", e.to_string()))?;
    let json = serde_json::to_vec_pretty(sweep).map_err(|e| fail("sweep.json", e.to_string()))?;
    let plots = crate::report::plot::sweep::render(sweep).map_err(|e| fail("plots", e))?;
    write_whole(&dir.join("sweep.csv"), &csv)?;
    write_whole(&dir.join("sweep.json"), &json)?;
    for plot in plots {
        write_whole(&dir.join(&plot.name), &plot.bytes)?;
    }
    Ok(())
}

/// Checks that `--out` can be a directory and creates it.
pub fn prepare_dir(dir: &Path) -> Result<(), InputError> {
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

/// A run's files: result.json, intervals.csv and plots per scenario, comparison plots when
/// there are several, and report.html. Renders every file first, then writes each whole. With several scenarios each gets a
/// subdirectory named after it.
pub fn write_run(dir: &Path, reports: &[Report]) -> Result<(), InputError> {
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
        let csv = crate::report::csv::intervals(r).map_err(|e| fail("intervals.csv", e.to_string()))?;
        files.push((sub.join("intervals.csv"), csv));
        let plots = crate::report::plot::render(r).map_err(|e| fail("plots", e.to_string()))?;
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
        let comparison = crate::report::plot::compare::render(reports).map_err(fail)?;
        for plot in &comparison {
            files.push((dir.join(&plot.name), plot.bytes.clone()));
        }
        all_plots.insert(0, ("comparison".to_string(), comparison));
    }
    let html = crate::report::html::page(reports, &all_plots);
    files.push((dir.join("report.html"), html.into_bytes()));
    for (path, bytes) in &files {
        write_whole(path, bytes)?;
    }
    Ok(())
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place, so a reader
/// never sees a partial file.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), InputError> {
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
