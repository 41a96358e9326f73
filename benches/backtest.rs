//! Speed of `callsim backtest` (`cargo bench --bench backtest`): a scenario fitted on January
//! to March of the "Anonymous Bank" 1999 log, back-tested on April to June (90 days) at 100
//! replications a day, when the data is beside the repository at
//! `../shared/data/anonymous-bank-1999/` (it is not shipped: see tests/fixtures/README.md).
//! The data was organised by Ilan Guedj and Avi Mandelbaum (Technion, SEE Lab).

use callsim::calllog::Format;
use divan::Bencher;
use std::path::{Path, PathBuf};

fn main() {
    divan::main();
}

/// The monthly files whose names start with one of `months`, if present.
fn files(months: &[&str]) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/anonymous-bank-1999");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    files.retain(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        months.iter().any(|m| name.starts_with(m))
    });
    files.sort();
    files
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn backtest_90_days_at_100_replications(bencher: Bencher) {
    let (fit_files, test_files) = (
        files(&["1999-01", "1999-02", "1999-03"]),
        files(&["1999-04", "1999-05", "1999-06"]),
    );
    if fit_files.len() < 3 || test_files.len() < 3 {
        eprintln!("../shared/data/anonymous-bank-1999 not found: nothing to time");
        return;
    }
    let paths: Vec<&Path> = fit_files.iter().map(PathBuf::as_path).collect();
    let fit = callsim::fit::Request {
        paths: &paths,
        format: Format::Seelab,
        dates: Default::default(),
        interval_s: 1800.0,
        name: "bank".into(),
        off_after_min: callsim::fit::staffing::BREAK_MIN,
        mapping: &Default::default(),
    };
    let raw = callsim::fit::fit(&fit).expect("the log fits").scenario;
    let sc = callsim::scenario::parse_value(raw.clone(), "fitted").expect("a valid scenario");
    let paths: Vec<&Path> = test_files.iter().map(PathBuf::as_path).collect();
    let request = callsim::backtest::Request {
        paths: &paths,
        format: Format::Seelab,
        dates: Default::default(),
        raw: &raw,
        sc: &sc,
        reps: 100,
        seed: 1,
        off_after_min: callsim::fit::staffing::BREAK_MIN,
        mapping: &Default::default(),
    };
    let watch = callsim::backtest::Watch {
        days: &|_| {},
        tick: &|| {},
    };
    bencher.bench(|| {
        let bt = callsim::backtest::backtest(&request, &watch).expect("the back-test runs");
        assert_eq!(bt.days.len(), 90);
    });
}
