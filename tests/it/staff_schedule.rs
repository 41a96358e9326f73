//! `callsim staff --schedule`: the per-interval requirement against exact Erlang A answers on a
//! two-level stationary day, the files it writes, and bad input.

use super::common::{assert_check_passes, callsim, staff, write};
use callsim::theory;
use serde_json::Value;
use std::path::Path;

/// Runs `callsim staff FILE --schedule ARGS --json`: the parsed output and the exit code.
fn schedule(file: &Path, args: &[&str]) -> (Value, i32) {
    let args: Vec<&str> = std::iter::once("--schedule")
        .chain(args.iter().copied())
        .collect();
    staff(file, &args)
}

const MU: f64 = 1.0 / 300.0;
const THETA: f64 = 1.0 / 240.0;
/// Calls an hour from 00:00 and from 12:00, every day.
const LEVELS: [f64; 2] = [120.0, 240.0];

/// A day of two stationary levels (10 and 20 erlangs), Erlang A (exponential handle times
/// and patience), `agents` all week; eight weeks a replication.
pub(super) fn two_levels(target: &str) -> String {
    format!(
        r#"{{"name": "two-levels", "horizon": "8w", "warmup": "6h", "replications": 12, "seed": 11,
            "queues": {{"phone": {{"arrivals": {{"per_hour": [["00:00", {}], ["12:00", {}]]}},
                        "handle_time": {{"dist": "exponential", "mean": "5m"}},
                        "patience": {{"dist": "exponential", "mean": "4m"}},
                        "service_level_within": "20s"}}}},
            "staff": {{"agents": {{"count": 30, "serves": ["phone"]}}}},
            "targets": [{target}]}}"#,
        LEVELS[0], LEVELS[1]
    )
}

fn service_level(level: usize, n: u32) -> f64 {
    theory::erlang_a(LEVELS[level] / 3600.0, MU, THETA, n, 20.0).service_level
}

/// The service level halfway between the exact ones of 21 and 22 agents at 20 erlangs, as a
/// target: the two-level day's requirement is then the Erlang A count in each level.
pub(super) fn sl_target() -> f64 {
    (service_level(1, 21) + service_level(1, 22)) / 2.0
}

#[test]
fn a_two_level_stationary_day_gets_the_erlang_requirement_in_each_level() {
    let target = sl_target();
    let need = |level| {
        (0..60)
            .find(|&n| service_level(level, n) >= target)
            .unwrap()
    };
    let want = [need(0), need(1)];
    // Each level's needed count and the one below it are at least 3.5 points of service level
    // from the target. A 6-hour interval pooled over 8 weeks holds 5,760 or 11,520 calls a
    // replication, so twelve replications pin its service level to about a point (the ci95
    // half-widths in requirement.csv are 0.8 to 1.3 points): the margins are about three
    // half-widths, every verdict is clear, and the search must land on the Erlang count.
    for (level, n) in want.iter().enumerate() {
        let margins = [
            service_level(level, *n) - target,
            target - service_level(level, n - 1),
        ];
        assert!(
            margins.iter().all(|m| *m > 0.035),
            "level {level}: {margins:?}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let text = two_levels(&format!(
        r#"{{"metric": "phone.service_level", "min": {target}}}"#
    ));
    let file = write(&dir, "two.json", &text);
    let out = dir.path().join("out");
    let (found, code) = schedule(
        &file,
        &["agents", "--interval", "6h", "--out", out.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{found}");
    assert_eq!(found["met"], true);
    let slots = found["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 28, "four 6-hour intervals a day");
    for s in slots {
        let hour: u32 = s["start"].as_str().unwrap()[4..6].parse().unwrap();
        let level = usize::from(hour >= 12);
        assert_eq!(s["requirement"], want[level], "{s}");
        assert_eq!(s["erlang"], want[level], "the Erlang start: {s}");
        assert_eq!(s["met"], true);
    }
    // 28 intervals of 6 hours at the two counts.
    let hours = 6.0 * 14.0 * f64::from(want[0] + want[1]);
    assert_eq!(found["agent_hours"]["requirement"], hours);

    // The files: the schedule as steps, a row per interval, plots; and `check` passes on
    // staffed.json with the evidence's replications.
    let staffed: Value =
        serde_json::from_slice(&std::fs::read(out.join("staffed.json")).unwrap()).unwrap();
    let steps = staffed["staff"]["agents"]["count"].as_array().unwrap();
    assert_eq!(steps[0], serde_json::json!(["mon 00:00", want[0]]));
    assert_eq!(steps[1], serde_json::json!(["mon 12:00", want[1]]));
    assert_eq!(steps.len(), 14, "one step where the count changes");
    assert_eq!(staffed["extends"], "../two.json");
    let csv = std::fs::read_to_string(out.join("requirement.csv")).unwrap();
    assert_eq!(csv.lines().count(), 29, "{csv}");
    assert!(csv.starts_with("interval,judged,offered_load_erlangs,original,erlang_start,requirement,met,phone.offered,phone.asa_s"));
    for plot in [
        "schedule-requirement.png",
        "schedule-phone-asa.svg",
        "schedule-phone-service-level.png",
    ] {
        assert!(out.join(plot).metadata().unwrap().len() > 1000, "{plot}");
    }
    assert_check_passes(&out.join("staffed.json"));
}

#[test]
fn the_search_corrects_a_start_that_misses_and_does_not_depend_on_threads() {
    // Handle times fixed at 5 minutes and no patience: Erlang C (exponential) overstates the
    // waits, so the simulation must move the start; the answer is the same on 1 and 2 threads.
    let text = r#"{"name": "md", "horizon": "4w", "warmup": "6h", "replications": 6, "seed": 3,
        "queues": {"phone": {"arrivals": {"per_hour": [["00:00", 120], ["12:00", 240]]},
                    "handle_time": {"dist": "fixed", "value": "5m"}}},
        "staff": {"agents": {"count": 30, "serves": ["phone"]}},
        "targets": [{"metric": "phone.asa_s", "max": "20s"}]}"#;
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "md.json", text);
    let run = |threads: &str| {
        let out = dir.path().join(format!("out{threads}"));
        let args = [
            "agents",
            "--interval",
            "12h",
            "--threads",
            threads,
            "--out",
            out.to_str().unwrap(),
        ];
        schedule(&file, &args)
    };
    let (one, code) = run("1");
    assert_eq!(code, 0, "{one}");
    let (two, _) = run("2");
    let requirement = |v: &Value| -> Vec<Value> {
        v["slots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["requirement"].clone())
            .collect()
    };
    assert_eq!(requirement(&one), requirement(&two));
    let slots = one["slots"].as_array().unwrap();
    assert!(
        slots
            .iter()
            .all(|s| s["requirement"].as_u64() <= s["erlang"].as_u64()),
        "deterministic service needs no more than Erlang C: {one}"
    );
    assert!(
        slots.iter().any(|s| s["requirement"] != s["erlang"]),
        "the simulation moved the start somewhere: {one}"
    );
    assert!(one["iterations"].as_array().unwrap().len() >= 2);
}

#[test]
fn bad_schedule_requests_exit_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        &dir,
        "two.json",
        &two_levels(r#"{"metric": "phone.asa_s", "max": "20s"}"#),
    );
    let no_interval_target = write(
        &dir,
        "util.json",
        &two_levels(r#"{"metric": "staff.agents.utilization", "max": 0.9}"#),
    );
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    let cases: [(&Path, Vec<&str>, &str); 6] = [
        (
            &good,
            vec!["nobody", "--out", out],
            "no staff group \"nobody\"; its groups are agents",
        ),
        (
            &no_interval_target,
            vec!["agents", "--out", out],
            "no target that can be judged per interval",
        ),
        (
            &good,
            vec!["agents", "--interval", "7m", "--out", out],
            "divides a day",
        ),
        (
            &good,
            vec!["agents", "--interval", "2d", "--out", out],
            "divides a day",
        ),
        (&good, vec!["agents"], "--out"),
        (&good, vec!["agents", "--min", "--out", out], "--min"),
    ];
    for (file, args, message) in cases {
        let got = callsim()
            .arg("staff")
            .arg(file)
            .arg("--schedule")
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&got.stderr);
        assert_eq!(got.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(got.stdout.is_empty(), "{args:?}");
    }
    assert!(
        !Path::new(out).join("staffed.json").exists(),
        "nothing written for bad input"
    );
}
