//! Speed of `callsim fit` on the "Anonymous Bank" 1999 log, January to June (213,268 rows;
//! `cargo bench --bench fit`), when the data is beside the repository at
//! `../shared/data/anonymous-bank-1999/` (it is not shipped: see tests/fixtures/README.md).
//! The data was organised by Ilan Guedj and Avi Mandelbaum (Technion, SEE Lab).

use callsim::calllog::Format;
use divan::Bencher;
use std::path::{Path, PathBuf};

fn main() {
    divan::main();
}

/// The six monthly files, if present.
fn months() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/anonymous-bank-1999");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    files.retain(|p| {
        p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("1999-0"))
    });
    files.sort();
    files
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn fit_six_months_of_the_bank(bencher: Bencher) {
    let files = months();
    if files.is_empty() {
        eprintln!("../shared/data/anonymous-bank-1999 not found: nothing to time");
        return;
    }
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let request = callsim::fit::Request {
        paths: &paths,
        format: Format::Seelab,
        dates: Default::default(),
        interval_s: 1800.0,
        name: "bank".into(),
        off_after_min: callsim::fit::staffing::BREAK_MIN,
        mapping: &Default::default(),
    };
    bencher.bench(|| callsim::fit::fit(&request).expect("the log fits"));
}
