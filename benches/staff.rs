//! Speed of `callsim staff` on the FPA reopening question (`cargo bench --bench staff`), on
//! the machine's threads: the lever search of `scenarios/fpa-reopened.json` (12,500 office
//! visits a week, 8 replications an evaluation, settled up to 1000), for the fewest office
//! staff on the phones (`--min`) and the most (`--max`). Three samples each: one search takes
//! seconds. The evaluations each search runs are printed once, as divan cannot count them.
//! Also the schedule search of `scenarios/fpa-2020-05.json` (`--schedule contact_center`,
//! 30-minute intervals, 20 replications a round).

use callsim::report::staff::Direction;
use callsim::staffing::judge::Criteria;
use callsim::staffing::lever::{Base, Request, Watch, search};
use callsim::staffing::schedule;
use callsim::staffing::shifts::Shifts;
use divan::Bencher;
use std::path::Path;

fn main() {
    divan::main();
}

/// A watch that shows nothing.
const QUIET: Watch = Watch {
    start: &|_, _| {},
    tick: &|| {},
};

/// A shipped scenario, loaded: the scenario, its digest and its JSON.
fn shipped(
    file: &str,
) -> (
    callsim::scenario::validate::ValidScenario,
    String,
    serde_json::Value,
) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(file);
    callsim::scenario::load_with_json(&path).expect("the scenario loads")
}

fn lever_search(bencher: Bencher, direction: Direction) {
    let (sc, sha, raw) = shipped("fpa-reopened.json");
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
    let watch = QUIET;
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

/// The schedule search of the FPA week, covered by the shifts of `shifts` when given.
fn schedule_search(bencher: Bencher, shifts: Option<&str>) {
    let (sc, sha, raw) = shipped("fpa-2020-05.json");
    let base = Base {
        raw: &raw,
        file: "fpa-2020-05.json",
        sc: &sc,
        sha: &sha,
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let request = schedule::Request {
        group: "contact_center".to_string(),
        interval_s: 1800.0,
        criteria: Criteria::default(),
        shifts: shifts.map(|f| Shifts::load(&root.join(f)).expect("the shifts load")),
    };
    let once = schedule::search(&base, &request, &QUIET).expect("the search runs");
    let s = &once.search;
    eprintln!(
        "schedule: met {}, {:.1} agent-hours (roster {:?}), {} simulations, {} replications",
        s.met,
        s.agent_hours.requirement,
        s.roster.as_ref().map(|r| r.agent_hours),
        s.cost.evaluations,
        s.cost.replications
    );
    bencher.bench(|| schedule::search(&base, &request, &QUIET));
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn fpa_2020_05_schedule_of_the_week(bencher: Bencher) {
    schedule_search(bencher, None);
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn fpa_2020_05_schedule_on_shifts(bencher: Bencher) {
    schedule_search(bencher, Some("scenarios/shifts/fpa-contact-center.json"));
}
