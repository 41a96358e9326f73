//! Output files: a run's or a sweep's result files, all rendered first, then written as
//! temporary files, then renamed into place. A reader never sees a partial file, and a
//! failure (a full disk, Ctrl-C, SIGTERM) leaves the older set of files as it was and no
//! temporary file behind.

use crate::error::InputError;
use crate::report::Report;
use crate::report::sweep::Sweep;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary files written and not yet renamed: a signal removes them before exiting.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// On Ctrl-C, SIGTERM or SIGHUP: removes the temporary files being written, then exits with
/// 130 (the shell's code for an interrupted command). For the command line only: a library
/// user keeps its own signal handling.
pub fn clean_up_on_signal() {
    let _ = ctrlc::set_handler(|| {
        remove_pending();
        std::process::exit(130);
    });
}

fn remove_pending() {
    let pending = PENDING.lock().map(|p| p.clone()).unwrap_or_default();
    for tmp in pending {
        let _ = std::fs::remove_file(tmp);
    }
}

/// A set of files written together: each to its temporary file first; `commit` renames them
/// all. Dropped before `commit` (an error), it removes the temporary files.
#[derive(Default)]
struct Staged {
    tmps: Vec<(PathBuf, PathBuf)>,
}

impl Staged {
    fn write(&mut self, path: &Path, bytes: &[u8]) -> Result<(), InputError> {
        let fail = |e: std::io::Error| InputError::Output {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(fail)?;
        }
        let tmp = temporary(path);
        if let Ok(mut pending) = PENDING.lock() {
            pending.push(tmp.clone());
        }
        self.tmps.push((tmp.clone(), path.to_path_buf()));
        std::fs::write(&tmp, bytes).map_err(fail)
    }

    fn commit(mut self) -> Result<(), InputError> {
        for (tmp, path) in std::mem::take(&mut self.tmps) {
            let renamed = std::fs::rename(&tmp, &path);
            forget(&tmp);
            renamed.map_err(|e| InputError::Output {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?;
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        for (tmp, _) in &self.tmps {
            let _ = std::fs::remove_file(tmp);
            forget(tmp);
        }
    }
}

/// Takes `tmp` off the list a signal cleans up.
fn forget(tmp: &Path) {
    if let Ok(mut pending) = PENDING.lock() {
        pending.retain(|p| p != tmp);
    }
}

/// The temporary file beside `path`: `result.json` → `result.json.tmp`.
fn temporary(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Writes the files together (see [`Staged`]).
fn write_all(files: &[(PathBuf, Vec<u8>)]) -> Result<(), InputError> {
    let mut staged = Staged::default();
    for (path, bytes) in files {
        staged.write(path, bytes)?;
    }
    staged.commit()
}

/// A sweep's files: sweep.csv, sweep.json and its plots.
pub fn write_sweep(dir: &Path, sweep: &Sweep) -> Result<(), InputError> {
    let fail = |what: &str, e: String| InputError::Output {
        path: dir.join(what).display().to_string(),
        reason: e,
    };
    let csv = crate::report::sweep::csv(sweep).map_err(|e| fail("sweep.csv", e.to_string()))?;
    let json = serde_json::to_vec_pretty(sweep).map_err(|e| fail("sweep.json", e.to_string()))?;
    let plots = crate::report::plot::sweep::render(sweep).map_err(|e| fail("plots", e))?;
    let mut files = vec![(dir.join("sweep.csv"), csv), (dir.join("sweep.json"), json)];
    files.extend(plots.into_iter().map(|p| (dir.join(&p.name), p.bytes)));
    write_all(&files)
}

/// A lever search's files: staff.json, and staffed.json (the scenario at the value found)
/// when one was found.
pub fn write_staff(
    dir: &Path,
    search: &crate::report::staff::LeverSearch,
    staffed: Option<&serde_json::Value>,
) -> Result<(), InputError> {
    let fail = |what: &str, e: serde_json::Error| InputError::Output {
        path: dir.join(what).display().to_string(),
        reason: e.to_string(),
    };
    let json = serde_json::to_vec_pretty(search).map_err(|e| fail("staff.json", e))?;
    let mut files = vec![(dir.join("staff.json"), json)];
    if let Some(s) = staffed {
        let mut bytes = serde_json::to_vec_pretty(s).map_err(|e| fail("staffed.json", e))?;
        bytes.push(b'\n');
        files.push((dir.join("staffed.json"), bytes));
    }
    write_all(&files)
}

/// A schedule search's files: schedule.json (the search), requirement.csv, staffed.json (the
/// scenario with the schedule found) and the plots.
pub fn write_schedule(
    dir: &Path,
    search: &crate::report::schedule::ScheduleSearch,
    staffed: &serde_json::Value,
) -> Result<(), InputError> {
    let fail = |what: &str, e: String| InputError::Output {
        path: dir.join(what).display().to_string(),
        reason: e,
    };
    let json = serde_json::to_vec_pretty(search).map_err(|e| fail("schedule.json", e.to_string()))?;
    let csv = search.csv().map_err(|e| fail("requirement.csv", e.to_string()))?;
    let mut scenario =
        serde_json::to_vec_pretty(staffed).map_err(|e| fail("staffed.json", e.to_string()))?;
    scenario.push(b'\n');
    let plots = crate::report::plot::schedule::render(search).map_err(|e| fail("plots", e))?;
    let mut files = vec![
        (dir.join("schedule.json"), json),
        (dir.join("requirement.csv"), csv),
        (dir.join("staffed.json"), scenario),
    ];
    if let Some(roster) = &search.roster {
        let csv = roster.csv().map_err(|e| fail("roster.csv", e.to_string()))?;
        files.push((dir.join("roster.csv"), csv));
    }
    files.extend(plots.into_iter().map(|p| (dir.join(&p.name), p.bytes)));
    write_all(&files)
}

/// A fit's files: scenario.json, fit.json and its plots.
pub fn write_fit(dir: &Path, fitted: &crate::fit::Fitted) -> Result<(), InputError> {
    let fail = |what: &str, e: String| InputError::Output {
        path: dir.join(what).display().to_string(),
        reason: e,
    };
    let mut scenario = serde_json::to_vec_pretty(&fitted.scenario)
        .map_err(|e| fail("scenario.json", e.to_string()))?;
    scenario.push(b'\n');
    let report =
        serde_json::to_vec_pretty(&fitted.report).map_err(|e| fail("fit.json", e.to_string()))?;
    let plots = crate::report::plot::fit::render(fitted).map_err(|e| fail("plots", e))?;
    let mut files = vec![
        (dir.join("scenario.json"), scenario),
        (dir.join("fit.json"), report),
    ];
    files.extend(plots.into_iter().map(|p| (dir.join(&p.name), p.bytes)));
    write_all(&files)
}

/// A back-test's files: backtest.json, backtest.csv and its plots.
pub fn write_backtest(dir: &Path, bt: &crate::backtest::result::Backtest) -> Result<(), InputError> {
    let fail = |what: &str, e: String| InputError::Output {
        path: dir.join(what).display().to_string(),
        reason: e,
    };
    let mut json = serde_json::to_vec_pretty(bt).map_err(|e| fail("backtest.json", e.to_string()))?;
    json.push(b'\n');
    let csv = bt.csv().map_err(|e| fail("backtest.csv", e.to_string()))?;
    let plots = crate::report::plot::backtest::render(bt).map_err(|e| fail("plots", e))?;
    let mut files = vec![(dir.join("backtest.json"), json), (dir.join("backtest.csv"), csv)];
    files.extend(plots.into_iter().map(|p| (dir.join(&p.name), p.bytes)));
    write_all(&files)
}

/// A call log (`run --calls`), in callsim's CSV.
pub fn write_calls(path: &Path, calls: &[crate::calllog::Call]) -> Result<(), InputError> {
    let csv = crate::calllog::csv::write(calls).map_err(|e| InputError::Output {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    write_all(&[(path.to_path_buf(), csv)])
}

/// Checks that `--out` can be a directory, creates it and checks that files can be written
/// in it: before simulating, so a long run does not end in a write error.
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
    })?;
    writable(&dir.join("result.json"))
}

/// Checks that `path` can be written, by writing and removing its (empty) temporary file.
pub fn writable(path: &Path) -> Result<(), InputError> {
    Staged::default().write(path, b"")
}

/// A run's files: result.json, intervals.csv and plots per scenario, comparison plots when
/// there are several, and report.html (`about[i]` tells it of `reports[i]`'s scenario file).
/// Renders every file first, then writes each whole. With several scenarios each gets a
/// subdirectory named after it.
pub fn write_run(
    dir: &Path,
    reports: &[Report],
    about: &[crate::report::html::About],
) -> Result<(), InputError> {
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
    let html = crate::report::html::page(reports, about, &all_plots);
    files.push((dir.join("report.html"), html.into_bytes()));
    write_all(&files)
}

/// Writes `bytes` to a temporary file beside `path`, then renames it into place, so a reader
/// never sees a partial file.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), InputError> {
    write_all(&[(path.to_path_buf(), bytes.to_vec())])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_removes_the_temporary_files_being_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("result.json");
        let mut staged = Staged::default();
        staged.write(&path, b"{}").unwrap();
        assert!(temporary(&path).exists());
        remove_pending(); // what the signal handler does before exiting
        assert!(!temporary(&path).exists());
        std::mem::forget(staged); // the process would be gone: no drop
    }

    #[test]
    fn a_failed_write_keeps_the_older_files_and_no_temporary_one() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        write_all(&[(a.clone(), b"old".to_vec())]).unwrap();
        // A directory where b's temporary file goes makes the second write fail.
        std::fs::create_dir(temporary(&b)).unwrap();
        let files = [(a.clone(), b"new".to_vec()), (b.clone(), b"new".to_vec())];
        assert!(write_all(&files).is_err());
        assert_eq!(std::fs::read(&a).unwrap(), b"old");
        assert!(!temporary(&a).exists() && !b.exists());
    }
}
