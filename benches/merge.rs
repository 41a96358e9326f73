//! Speed of `callsim merge` (`cargo bench --bench merge`): the 100 shards of the reopening
//! study (`scenarios/fpa-reopening-sweep.json`, 192 points of 8 replications: 1,536 units),
//! made once, then merged into the whole sweep. The shards take about half a minute to make.

use divan::Bencher;
use std::path::{Path, PathBuf};

fn main() {
    divan::main();
}

const SHARDS: u32 = 100;

/// Runs `callsim ARGS` in this process; it must succeed.
fn callsim(args: &[&str]) {
    let argv = std::iter::once("callsim")
        .chain(args.iter().copied())
        .map(Into::into);
    assert_eq!(callsim::command_line(argv), 0, "callsim {args:?}");
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn merge_100_shards_of_the_reopening_sweep(bencher: Bencher) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/fpa-reopening-sweep.json");
    let dirs: Vec<PathBuf> = (1..=SHARDS)
        .map(|k| {
            let out = dir.path().join(format!("shard-{k}"));
            let shard = format!("{k}/{SHARDS}");
            callsim(&[
                "sweep",
                file.to_str().unwrap(),
                "--shard",
                &shard,
                "--out",
                out.to_str().unwrap(),
            ]);
            out
        })
        .collect();
    bencher.bench(|| {
        let merged = callsim::shard::merge(&dirs).expect("the shards merge");
        assert!(matches!(merged, callsim::shard::Merged::Sweep(s) if s.points.len() == 192));
    });
}
