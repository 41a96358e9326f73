//! `callsim check` for CI: verdicts, exit codes, `--decide`, JUnit XML, JSON and baselines.

use crate::common::{callsim, write};
use predicates::prelude::*;

const BASE: &str = r#"{
  "name": "ci", "horizon": "100h", "warmup": "5h", "replications": 4, "seed": 3,
  "queues": {"phone": {"arrivals": {"per_hour": 100},
                       "handle_time": {"dist": "exponential", "mean": "3m"},
                       "patience": {"dist": "exponential", "mean": "3m"}}},
  "staff": {"agents": {"count": 6, "serves": ["phone"]}},
  "targets": [{"metric": "phone.asa_s", "max": "2m"}, {"metric": "phone.abandon_rate", "max": 0.5}]
}"#;

/// The simulated ASA mean and ci95 half-width of `path`.
fn asa(path: &std::path::Path, reps: &str) -> (f64, f64) {
    let out = callsim()
        .args(["run", "--json", "--reps", reps])
        .arg(path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = &v["queues"]["phone"]["asa_s"];
    let mean = e["mean"].as_f64().unwrap();
    (mean, mean - e["ci95"][0].as_f64().unwrap())
}

#[test]
fn decide_adds_replications_until_an_inconclusive_target_is_decided() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(&dir, "base.json", BASE);
    let (mean, hw) = asa(&base, "4");
    // A bound inside the interval: inconclusive with 4 replications.
    let bound = mean + hw / 3.0;
    let tight = write(
        &dir,
        "tight.json",
        &BASE.replace(r#""max": "2m""#, &format!(r#""max": {bound}"#)),
    );
    callsim()
        .args(["check", "--strict"])
        .arg(&tight)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("inconclusive"));
    let out = callsim()
        .args([
            "check",
            "--strict",
            "--decide",
            "--max-reps",
            "400",
            "--json",
        ])
        .arg(&tight)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let c = &v[0];
    let n = c["replications"].as_u64().unwrap();
    assert!(n > 4 && n.is_multiple_of(4), "{n} replications");
    let t = &c["targets"][0];
    let [lo, hi] = [
        t["ci95"][0].as_f64().unwrap(),
        t["ci95"][1].as_f64().unwrap(),
    ];
    assert!(
        n == 400 || hi <= bound || lo > bound,
        "[{lo}, {hi}] still straddles {bound} after {n}"
    );
    assert_eq!(
        out.status.code(),
        Some(if c["passed"] == true { 0 } else { 1 })
    );
    assert_eq!(
        out.status.code(),
        Some(if t["met"] == true { 0 } else { 1 })
    );
}

#[test]
fn junit_has_a_case_per_target_with_the_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let missed = write(
        &dir,
        "missed.json",
        &BASE.replace(r#""max": 0.5"#, r#""max": 0.0001"#),
    );
    let xml_path = dir.path().join("report.xml");
    callsim()
        .arg("check")
        .arg("--junit")
        .arg(&xml_path)
        .arg(&missed)
        .assert()
        .code(1);
    let xml = std::fs::read_to_string(&xml_path).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(
        (root.attribute("tests"), root.attribute("failures")),
        (Some("2"), Some("1"))
    );
    let cases: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 2);
    assert!(cases.iter().all(|c| c.attribute("classname") == Some("ci")));
    let failed: Vec<_> = cases
        .iter()
        .filter(|c| c.children().any(|f| f.has_tag_name("failure")))
        .collect();
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0]
            .attribute("name")
            .unwrap()
            .starts_with("phone.abandon_rate")
    );
    let message = failed[0]
        .children()
        .find(|f| f.has_tag_name("failure"))
        .unwrap()
        .attribute("message")
        .unwrap();
    assert!(
        message.contains("MISSED") && message.contains("mean") && message.contains('%'),
        "{message}"
    );
}

#[test]
fn a_baseline_regression_is_caught_and_a_harmless_change_passes() {
    let dir = tempfile::tempdir().unwrap();
    let base = write(&dir, "base.json", BASE);
    let store = dir.path().join("baseline");
    callsim()
        .args(["run", "--reps", "6", "--out"])
        .arg(&store)
        .arg(&base)
        .assert()
        .success();
    // The same scenario again: nothing regresses.
    callsim()
        .args(["check", "--reps", "6", "--baseline"])
        .arg(&store)
        .arg(&base)
        .assert()
        .code(0);
    // A harmless change: a different description.
    let same = write(
        &dir,
        "same.json",
        r#"{"extends": "base.json", "description": "reworded"}"#,
    );
    callsim()
        .args(["check", "--reps", "6", "--baseline"])
        .arg(&store)
        .arg(&same)
        .assert()
        .code(0);
    // One agent fewer: waits grow well past the 5% tolerance while the targets are still met.
    let worse = write(
        &dir,
        "worse.json",
        r#"{"extends": "base.json", "staff": {"agents": {"count": 5}}}"#,
    );
    callsim()
        .args(["check", "--reps", "6"])
        .arg(&worse)
        .assert()
        .code(0);
    callsim()
        .args(["check", "--reps", "6", "--baseline"])
        .arg(&store)
        .arg(&worse)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("REGRESSED"))
        .stdout(predicate::str::contains("phone.asa_s got worse"))
        .stdout(predicate::str::contains("Welch"));
    // A tolerance above the change lets it pass.
    callsim()
        .args(["check", "--reps", "6", "--tolerance", "100", "--baseline"])
        .arg(&store)
        .arg(&worse)
        .assert()
        .code(0);
    callsim()
        .args(["check", "--baseline"])
        .arg(dir.path().join("nowhere"))
        .arg(&base)
        .assert()
        .code(2);
}

/// 2 agents for 30 erlangs and nobody abandons: every replication is stopped early.
const RUNAWAY: &str = r#"{
  "name": "runaway", "horizon": "300h", "replications": 2,
  "queues": {"phone": {"arrivals": {"per_hour": 900},
                       "handle_time": {"dist": "exponential", "mean": "2m"}}},
  "staff": {"agents": {"count": 2, "serves": ["phone"]}},
  "targets": [{"metric": "phone.abandon_rate", "max": 0.05}]
}"#;

#[test]
fn a_run_stopped_early_fails_the_check_whatever_its_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "runaway.json", RUNAWAY);
    let junit = dir.path().join("check.xml");
    // Its abandonment rate is 0 (nobody may abandon), which would "meet" the target.
    callsim()
        .args(["check", "--junit"])
        .arg(&junit)
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("TRUNCATED"))
        .stdout(predicate::str::contains(
            "2 of 2 replications were stopped early",
        ));
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let completed = doc
        .descendants()
        .find(|n| n.attribute("name") == Some("run completed"))
        .expect("a test case for the truncated run");
    assert!(completed.children().any(|c| c.has_tag_name("failure")));
    let out = callsim()
        .args(["check", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["replications_stopped_early"], 2);
    assert_eq!(json[0]["passed"], false);
    assert!(
        json[0]["warnings"][0]
            .as_str()
            .unwrap()
            .contains("grows without bound")
    );
}

#[test]
fn decide_says_when_the_limit_left_a_target_undecided() {
    let dir = tempfile::tempdir().unwrap();
    // A bound at the 8-replication mean itself: no number of replications up to 8 clears it.
    let (mean, _) = asa(&write(&dir, "ci.json", BASE), "8");
    let near = BASE.replace(r#""max": "2m""#, &format!(r#""max": {mean}"#));
    let path = write(&dir, "near.json", &near);
    callsim()
        .args([
            "check",
            "--strict",
            "--decide",
            "--reps",
            "4",
            "--max-reps",
            "8",
        ])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("inconclusive"))
        .stdout(predicate::str::contains(
            "still undecided after 8 replications (4 asked)",
        ));
}

#[test]
fn a_replication_limit_below_the_replications_asked_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "ci.json", BASE);
    callsim()
        .args(["check", "--decide", "--max-reps", "2"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--max-reps: must be at least the 4 replications",
        ));
    let capped = BASE.replace(r#""seed": 3,"#, r#""seed": 3, "max_replications": 2,"#);
    let path = write(&dir, "capped.json", &capped);
    callsim()
        .arg("validate")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "max_replications: must be at least",
        ));
}
