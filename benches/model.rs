//! End-to-end speed of the simulator, measured with divan (`cargo bench --bench model`). The
//! hand-written kernels it relies on are measured against their alternatives in
//! `benches/kernels.rs`.
//!
//! - `erlang_a_one_replication`: the CONTRACT's Erlang A example (2,000 h, about 700,000
//!   calls), one replication on one thread; divan reports calls per second.
//! - `erlang_a_8_replications`: 8 replications on a rayon pool of 1 or 2 threads; the ratio of
//!   the two medians is the parallel speed-up.
//! - `fpa_2020_05_one_replication`: the FPA May 2020 week with every channel, one
//!   replication on one thread.
//! - `fpa_2020_05_20_replications`: its first 20 replications in turn on one thread, the
//!   average replication (volumes differ from one replication to the next).
//! - `fpa_sweep_4_points_8_replications`: a small FPA sweep on 1 or 2 threads (replications
//!   per second, and the speed-up).
//! - `fpa_sweep_50_points_100_replications`: the full-size sweep on 2 threads (one sample).

use callsim::model::simulate;
use callsim::runner::{self, replication_streams};
use callsim::scenario::validate::ValidScenario;
use divan::Bencher;
use divan::counter::ItemsCount;
use std::path::Path;

fn main() {
    divan::main();
}

fn erlang_a() -> ValidScenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/erlang-a-example.json");
    callsim::scenario::load(&path)
        .expect("the shipped scenario loads")
        .0
}

#[divan::bench(sample_count = 20)]
fn erlang_a_one_replication(bencher: Bencher) {
    let sc = erlang_a();
    let rngs = replication_streams(&sc, 0);
    let calls = simulate(&sc, rngs.clone()).queues[0].offered;
    bencher
        .counter(ItemsCount::new(calls as usize))
        .bench(|| simulate(&sc, rngs.clone()));
}

#[divan::bench(args = [1, 2], sample_count = 10)]
fn erlang_a_8_replications(bencher: Bencher, threads: usize) {
    let mut sc = erlang_a();
    sc.replications = 8;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    bencher
        .counter(ItemsCount::new(8usize))
        .bench(|| pool.install(|| runner::run(&sc, "", &|| {})));
}

fn fpa_2020_05() -> ValidScenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/fpa-2020-05.json");
    callsim::scenario::load(&path)
        .expect("the shipped scenario loads")
        .0
}

/// The shipped FPA May 2020 week (every channel), its first replication on one thread; divan
/// reports replications per second.
#[divan::bench(sample_count = 30)]
fn fpa_2020_05_one_replication(bencher: Bencher) {
    let sc = fpa_2020_05();
    let rngs = replication_streams(&sc, 0);
    bencher
        .counter(ItemsCount::new(1usize))
        .bench(|| simulate(&sc, rngs.clone()));
}

/// The same week's first 20 replications one after another on one thread. Replications
/// differ in volume (each day's level is random: the first replication's week can be 5% busier
/// or quieter than the average), so this is the rate to quote.
#[divan::bench(sample_count = 10)]
fn fpa_2020_05_20_replications(bencher: Bencher) {
    let sc = fpa_2020_05();
    let streams: Vec<_> = (0..20).map(|r| replication_streams(&sc, r)).collect();
    bencher.counter(ItemsCount::new(20usize)).bench(|| {
        for rngs in &streams {
            divan::black_box(simulate(&sc, rngs.clone()));
        }
    });
}

/// A sweep of 4 points x 8 replications of the FPA May 2020 week, all on one rayon pool of 1
/// or 2 threads; the ratio of the medians is the sweep's parallel speed-up.
#[divan::bench(args = [1, 2], sample_count = 5)]
fn fpa_sweep_4_points_8_replications(bencher: Bencher, threads: usize) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/fpa-2020-05.json");
    let base = callsim::scenario::merged_json(&path).expect("the shipped scenario loads");
    let points: Vec<ValidScenario> = [80, 90, 100, 110]
        .iter()
        .map(|n| {
            let v = callsim::sweep::apply(&base, "staff.office_staff.reassign.count", &(*n).into())
                .unwrap();
            let mut sc = callsim::scenario::parse_value(v, "sweep point").unwrap();
            sc.replications = 8;
            sc
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    bencher.counter(ItemsCount::new(32usize)).bench(|| {
        pool.install(|| {
            points
                .iter()
                .map(|sc| runner::run(sc, "", &|| {}))
                .collect::<Vec<_>>()
        })
    });
}

/// The sweep: 50 points × 100 replications of the FPA May 2020 week on a pool of 2
/// threads (one sample: it takes about a minute).
#[divan::bench(sample_count = 1)]
fn fpa_sweep_50_points_100_replications(bencher: Bencher) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/fpa-2020-05.json");
    let base = callsim::scenario::merged_json(&path).expect("the shipped scenario loads");
    let points: Vec<ValidScenario> = (51..=100)
        .map(|n: i64| {
            let v = callsim::sweep::apply(&base, "staff.office_staff.reassign.count", &n.into())
                .unwrap();
            let mut sc = callsim::scenario::parse_value(v, "sweep point").unwrap();
            sc.replications = 100;
            sc
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    bencher.counter(ItemsCount::new(5000usize)).bench(|| {
        pool.install(|| {
            points
                .iter()
                .map(|sc| runner::run(sc, "", &|| {}))
                .collect::<Vec<_>>()
        })
    });
}
