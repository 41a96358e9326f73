//! `callsim run --calls FILE`: the first replication's contacts as a call log, read back by
//! callsim's own reader, agree with what the run counted.

use super::common::{callsim, simulated_log, write};
use callsim::calllog::{self, Call};
use serde_json::Value;

/// One queue, 60 calls an hour around the clock, 5-minute handle times, 4-minute patience,
/// half of those who abandon calling again after about 10 minutes; a week, no warm-up.
const SCENARIO: &str = r#"{"name": "log", "horizon": "1w", "warmup": 0, "replications": 1, "seed": 5,
    "queues": {"phone": {"arrivals": {"per_hour": 60},
        "handle_time": {"dist": "exponential", "mean": "5m"},
        "patience": {"dist": "exponential", "mean": "4m"},
        "redial": {"probability": 0.5, "delay": {"dist": "exponential", "mean": "10m"}}}},
    "staff": {"agents": {"count": 5, "serves": ["phone"]}}}"#;

#[test]
fn the_call_log_of_a_run_reads_back_and_agrees_with_its_counts() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "log.json", SCENARIO);
    let path = dir.path().join("calls.csv");
    let (calls, quality, stdout) = simulated_log(&file, &path, &["--json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        quality.dropped.is_empty() && quality.repaired.is_empty(),
        "{quality:?}"
    );
    let metric = |m: &str| report["queues"]["phone"][m]["mean"].as_f64().unwrap();
    let count = |f: fn(&Call) -> bool| calls.iter().filter(|c| f(c)).count() as f64;
    // With no warm-up and one replication, every attempt in the log is one the run counted.
    assert_eq!(calls.len() as f64, metric("offered"));
    assert_eq!(count(|c| c.answered.is_some()), metric("answered"));
    assert_eq!(count(|c| c.abandoned.is_some()), metric("abandoned"));
    assert_eq!(
        count(|c| c.answered.is_none() && c.abandoned.is_none()),
        0.0,
        "no callbacks, and nobody left waiting"
    );
    for c in &calls {
        assert!(
            c.wait().unwrap() >= 0.0 && c.handle().unwrap_or(0.0) >= 0.0,
            "{c:?}"
        );
        assert_eq!(c.agent.is_some(), c.answered.is_some());
    }
    assert!(
        calls.windows(2).all(|w| w[0].arrival <= w[1].arrival),
        "in order of arrival"
    );
    // Time 0 is Monday 2024-01-01.
    let first = calllog::time::format_datetime(calls[0].arrival);
    assert!(first.starts_with("2024-01-01 00:0"), "{first}");
    // Redials: a caller seen again called after abandoning, and keeps its id.
    let mut last: std::collections::HashMap<&str, &Call> = Default::default();
    let mut redials = 0;
    for c in &calls {
        if let Some(before) = last.insert(c.caller.as_deref().unwrap(), c) {
            redials += 1;
            assert!(
                before.abandoned.is_some_and(|t| t <= c.arrival),
                "{before:?} then {c:?}"
            );
        }
    }
    let abandoned = count(|c| c.abandoned.is_some());
    // Half the abandoning callers call again: about a ninth of the 10,000 calls abandon at
    // this load, so hundreds of redials; between a third and two thirds of the abandonments
    // is a bound no seed misses (binomial sd about 2% of them).
    assert!(
        (redials as f64) > abandoned / 3.0 && (redials as f64) < abandoned * 2.0 / 3.0,
        "{redials} redials of {abandoned} abandonments"
    );
}

#[test]
fn calls_needs_one_scenario_and_a_writable_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "log.json", SCENARIO);
    let other = write(
        &dir,
        "other.json",
        &SCENARIO.replace("\"log\"", "\"other\""),
    );
    let two = callsim()
        .args(["run"])
        .arg(&file)
        .arg(&other)
        .arg("--calls")
        .arg(dir.path().join("c.csv"))
        .output()
        .unwrap();
    assert_eq!(two.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&two.stderr).contains("one file"));
    let nowhere = callsim()
        .arg("run")
        .arg(&file)
        .arg("--calls")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        nowhere.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&nowhere.stderr)
    );
}
