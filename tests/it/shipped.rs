//! The shipped scenarios: each runs (with few replications, to keep CI short) and reproduces
//! the figures it is calibrated to, within 10% of FPA's published facts.

use callsim::report::Report;
use callsim::runner;
use std::path::Path;

/// Runs a shipped scenario with `reps` replications.
fn run(file: &str, reps: u32) -> Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(file);
    let (mut sc, sha) = callsim::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    sc.replications = reps;
    runner::run(&sc, &sha, &|| {})
}

fn mean(r: &Report, metric: &str) -> f64 {
    r.metric(metric)
        .and_then(|e| e.mean)
        .unwrap_or_else(|| panic!("{}: no {metric}", r.scenario))
}

/// Outbound calls made per weekday: outbound work done plus booked callbacks made, over the
/// week's five weekdays (FPA counts both as calls to customers).
fn outbound_per_weekday(r: &Report) -> f64 {
    (mean(r, "outbound.answered") + mean(r, "callbacks.answered")) / 5.0
}

/// Asserts `value` is within `tolerance` (relative) of `fact`.
fn near(r: &Report, what: &str, value: f64, fact: f64, tolerance: f64) {
    assert!(
        (value / fact - 1.0).abs() <= tolerance,
        "{}: {what} is {value:.1}, the fact is {fact} (tolerance {:.0}%)",
        r.scenario,
        tolerance * 100.0
    );
}

/// The calibration tolerance of the scenarios (the issue asks for 10%). With 6 replications
/// the weekly figures have a standard error of 1–2%, well inside it.
const TOL: f64 = 0.10;
const REPS: u32 = 6;

#[test]
fn fpa_2020_05_reproduces_may_2020() {
    let r = run("fpa-2020-05.json", REPS);
    near(
        &r,
        "answered calls a week",
        mean(&r, "phone.answered"),
        40_000.0,
        TOL,
    );
    near(&r, "phone ASA", mean(&r, "phone.asa_s"), 120.0, TOL);
    assert!(
        mean(&r, "phone.asa_s") <= 120.0,
        "the 2-minute target is met"
    );
    near(
        &r,
        "outbound calls a weekday",
        outbound_per_weekday(&r),
        8_400.0,
        TOL,
    );
    near(
        &r,
        "office visits a week",
        mean(&r, "office.answered"),
        7_500.0,
        TOL,
    );
    near(
        &r,
        "booking lead time (days)",
        mean(&r, "callbacks.booking_lead_s") / 86_400.0,
        2.0,
        0.25,
    );
    assert!(r.targets.iter().all(|t| t.met), "{:?}", r.targets);
}

#[test]
fn fpa_2020_02_reproduces_february_2020() {
    let r = run("fpa-2020-02.json", REPS);
    near(
        &r,
        "answered calls a week",
        mean(&r, "phone.answered"),
        30_000.0,
        TOL,
    );
    near(
        &r,
        "office visits a week",
        mean(&r, "office.answered"),
        35_000.0,
        TOL,
    );
}

#[test]
fn fpa_2019_05_reproduces_a_6_minute_wait() {
    let r = run("fpa-2019-05.json", REPS);
    near(&r, "phone ASA", mean(&r, "phone.asa_s"), 360.0, TOL);
    near(
        &r,
        "office visits a week",
        mean(&r, "office.answered"),
        35_000.0,
        TOL,
    );
}

#[test]
fn fpa_2018_reproduces_an_8_minute_wait() {
    let r = run("fpa-2018.json", REPS);
    near(&r, "phone ASA", mean(&r, "phone.asa_s"), 480.0, TOL);
}

#[test]
fn fpa_2020_06_has_the_june_office_visits() {
    let r = run("fpa-2020-06.json", REPS);
    near(
        &r,
        "office visits a week",
        mean(&r, "office.answered"),
        12_500.0,
        TOL,
    );
    let may = run("fpa-2020-05.json", REPS);
    assert!(
        mean(&r, "phone.asa_s") > mean(&may, "phone.asa_s"),
        "fewer staff on the phones, longer waits"
    );
}

#[test]
fn every_contact_of_every_kind_is_accounted_for() {
    // offered = answered + abandoned + booked, per queue and replication: the run follows
    // every contact until it leaves, so none is still waiting at the end.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/fpa-2020-05.json");
    let sc = callsim::scenario::load(&path).unwrap().0;
    for r in 0..3 {
        let rep = super::common::replication(&sc, r);
        assert!(rep.capped_at.is_none());
        for (q, t) in sc.queues.iter().zip(&rep.queues) {
            assert!(t.offered > 0, "{} saw no contacts", q.name);
            assert_eq!(
                t.offered,
                t.answered + t.abandoned + t.booked,
                "{}, replication {r}",
                q.name
            );
        }
    }
}

#[test]
fn the_erlang_a_example_meets_its_theory_targets() {
    let r = run("erlang-a-example.json", 8);
    assert!(r.targets.iter().all(|t| t.met_strict), "{:?}", r.targets);
}
