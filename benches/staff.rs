//! Speed of `callsim staff` on the FPA reopening question (`cargo bench --bench staff`), on
//! the machine's threads: the lever search of `scenarios/fpa-reopened.json` (12,500 office
//! visits a week, 8 replications an evaluation, settled up to 1000), for the fewest office
//! staff on the phones (`--min`) and the most (`--max`). Three samples each: one search takes
//! seconds. The evaluations each search runs are printed once, as divan cannot count them.

use callsim::report::staff::Direction;
use callsim::staffing::judge::Criteria;
use callsim::staffing::lever::{Base, Request, Watch, search};
use divan::Bencher;
use std::path::Path;

fn main() {
    divan::main();
}

fn lever_search(bencher: Bencher, direction: Direction) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/fpa-reopened.json");
    let (sc, sha, raw) = callsim::scenario::load_with_json(&path).expect("the scenario loads");
    let base = Base {
        raw: &raw,
        file: "fpa-reopened.json",
        sc: &sc,
        sha: &sha,
    };
    let request = Request {
        lever: "staff.office_staff.reassign.count".to_string(),
        direction,
        range: None,
        criteria: Criteria::default(),
    };
    let watch = Watch {
        start: &|_, _| {},
        tick: &|| {},
    };
    let once = search(&base, &request, &watch).expect("the search runs");
    eprintln!(
        "{direction:?}: value {:?}, {} evaluations, {} replications",
        once.value, once.cost.evaluations, once.cost.replications
    );
    bencher.bench(|| search(&base, &request, &watch));
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn fpa_reopened_fewest_on_the_phones(bencher: Bencher) {
    lever_search(bencher, Direction::Min);
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn fpa_reopened_most_on_the_phones(bencher: Bencher) {
    lever_search(bencher, Direction::Max);
}
