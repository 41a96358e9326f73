//! `callsim staff --lever`: the lever search against exact Erlang C and Erlang A answers, its
//! exit codes, bad input, and agreement with a sweep on the same streams.

use super::common::{assert_check_passes, callsim, staff, write};
use callsim::theory;
use serde_json::Value;
use std::path::Path;

/// The message and exit code of a refused `callsim staff`.
fn refused(args: &[&str]) -> (String, i32) {
    let out = callsim().arg("staff").args(args).output().unwrap();
    assert!(out.stdout.is_empty(), "printed a result for bad input");
    let code = out.status.code().unwrap_or(-1);
    (String::from_utf8_lossy(&out.stderr).into_owned(), code)
}

/// An M/M/n (+M with `patience`) queue: 240 calls an hour, 5-minute handle times (20
/// erlangs), `agents` agents, 300 simulated hours per replication.
fn queue(agents: u32, patience: &str, targets: &str) -> String {
    format!(
        r#"{{"name": "mmn", "horizon": "300h", "warmup": "5h", "replications": 8, "seed": 5,
            "queues": {{"phone": {{"arrivals": {{"per_hour": 240}}, {patience}
                        "handle_time": {{"dist": "exponential", "mean": "5m"}},
                        "service_level_within": "20s"}}}},
            "staff": {{"agents": {{"count": {agents}, "serves": ["phone"]}}}},
            "targets": [{targets}]}}"#
    )
}

const LAMBDA: f64 = 240.0 / 3600.0;
const MU: f64 = 1.0 / 300.0;

#[test]
fn the_smallest_count_meeting_an_asa_target_is_erlang_cs() {
    let asa = |n: u32| theory::erlang_c(LAMBDA, MU, n, 20.0).unwrap().asa_s;
    // The target between the exact ASAs of 24 and 25 agents (22.4 s and 12.6 s): each side
    // misses or meets by a third, which eight replications of 300 hours resolve (their ci95
    // half-width is a few per cent of the ASA).
    let target = (asa(24) * asa(25)).sqrt();
    let want = (21..60).find(|&n| asa(n) <= target).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let text = queue(
        30,
        "",
        &format!(r#"{{"metric": "phone.asa_s", "max": {target}}}"#),
    );
    let file = write(&dir, "mmc.json", &text);
    let (found, code) = staff(&file, &["--lever", "staff.agents.count", "--min"]);
    assert_eq!(code, 0, "{found}");
    assert_eq!(found["value"], want, "{found}");
    assert_eq!(found["neighbour"], want - 1);
    assert_eq!(found["direction"], "min");
    let at = |v: u32| {
        let evals = found["evaluations"].as_array().unwrap();
        let at_v = evals.iter().filter(|e| e["value"] == v);
        at_v.max_by_key(|e| e["replications"].as_u64())
            .unwrap()
            .clone()
    };
    assert_eq!(at(want)["met"], true);
    assert_eq!(at(want - 1)["met"], false);
    assert_eq!(at(want)["targets"][0]["verdict"], "met");
    // Galloping from 30 and bisecting takes a handful of evaluations, not one per count.
    let evaluations = found["cost"]["evaluations"].as_u64().unwrap();
    assert!(evaluations <= 8, "{evaluations} evaluations");
}

#[test]
fn the_smallest_count_meeting_a_service_level_with_abandonment_is_erlang_as() {
    let theta = 1.0 / 240.0;
    let sl = |n: u32| theory::erlang_a(LAMBDA, MU, theta, n, 20.0).service_level;
    // Between the exact service levels of 21 and 22 agents, several points apart: replications
    // of 300 hours pin a service level to a fraction of a point.
    let target = (sl(21) + sl(22)) / 2.0;
    let want = (5..60).find(|&n| sl(n) >= target).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let patience = r#""patience": {"dist": "exponential", "mean": "4m"},"#;
    let text = queue(
        12,
        patience,
        &format!(r#"{{"metric": "phone.service_level", "min": {target}}}"#),
    );
    let file = write(&dir, "mma.json", &text);
    let (found, code) = staff(&file, &["--lever", "staff.agents.count", "--min"]);
    assert_eq!(code, 0, "{found}");
    assert_eq!(found["value"], want, "{found}");
}

#[test]
fn max_finds_the_largest_count_where_more_is_worse() {
    // Utilization at least 85%: 20 erlangs keep 23 agents 87.0% busy and 24 only 83.3%, a
    // margin far beyond the noise of a utilization over 300 hours.
    let want = (1..100u32)
        .rev()
        .find(|&n| 20.0 / f64::from(n) >= 0.85)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let text = queue(
        30,
        "",
        r#"{"metric": "staff.agents.utilization", "min": 0.85}"#,
    );
    let file = write(&dir, "util.json", &text);
    let (found, code) = staff(&file, &["--lever", "staff.agents.count", "--max"]);
    assert_eq!(code, 0, "{found}");
    assert_eq!(found["value"], want, "{found}");
    assert_eq!(found["neighbour"], want + 1);
}

#[test]
fn a_range_where_nothing_meets_the_targets_exits_1_with_the_closest_value() {
    let dir = tempfile::tempdir().unwrap();
    let text = queue(30, "", r#"{"metric": "phone.asa_s", "max": "15s"}"#);
    let file = write(&dir, "short.json", &text);
    let (found, code) = staff(
        &file,
        &[
            "--lever",
            "staff.agents.count",
            "--min",
            "--range",
            "21..23",
        ],
    );
    assert_eq!(code, 1, "{found}");
    assert_eq!(found["value"], Value::Null);
    assert_eq!(found["closest"], 23, "{found}");
    let notes = found["notes"].to_string();
    assert!(notes.contains("phone.asa_s missed"), "{notes}");
    // The plain text says so too.
    let out = callsim()
        .args([
            "staff",
            file.to_str().unwrap(),
            "--lever",
            "staff.agents.count",
        ])
        .args(["--min", "--range", "21..23"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("no staff.agents.count in 21..23 meets every target; the closest is 23"),
        "{text}"
    );
}

#[test]
fn conflicting_targets_find_no_value() {
    // ASA at most 15 s wants at least 26 agents; utilization at least 85% at most 23.
    let dir = tempfile::tempdir().unwrap();
    let targets = r#"{"metric": "phone.asa_s", "max": "15s"}, {"metric": "staff.agents.utilization", "min": 0.85}"#;
    let file = write(&dir, "both.json", &queue(30, "", targets));
    for direction in ["--min", "--max"] {
        let (found, code) = staff(&file, &["--lever", "staff.agents.count", direction]);
        assert_eq!(code, 1, "{direction}: {found}");
        assert_eq!(found["value"], Value::Null, "{direction}");
    }
}

#[test]
fn bad_input_is_refused_with_exit_2_and_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let good = queue(30, "", r#"{"metric": "phone.asa_s", "max": "20s"}"#);
    let file = write(&dir, "good.json", &good);
    let none = write(&dir, "untargeted.json", &queue(30, "", ""));
    let scheduled = good.replace(
        r#""count": 30"#,
        r#""count": {"mon-fri": {"08:00-16:00": 30}}"#,
    );
    let scheduled = write(&dir, "scheduled.json", &scheduled);
    let lever = "--lever staff.agents.count --min";
    let cases: Vec<(&Path, String, &str)> = vec![
        (
            &file,
            "--lever queues.phone.handle_time.dist --min".into(),
            "not a whole number",
        ),
        (&scheduled, lever.into(), "is a weekly schedule"),
        (
            &file,
            "--lever staff.nobody.count --min".into(),
            "the scenario has no \"staff.nobody\"",
        ),
        (&file, format!("{lever} --range 30..20"), "30..20 is empty"),
        (
            &file,
            format!("{lever} --range a..b"),
            "write A..B with whole numbers",
        ),
        (&none, lever.into(), "has no targets"),
        (&file, "--lever staff.agents.count".into(), "--min"),
        (
            &file,
            format!("{lever} --days 1.5"),
            "--days: must be a share of days",
        ),
        (
            &file,
            format!("{lever} --range=-5..-1"),
            "at -1 the scenario is not valid",
        ),
    ];
    for (file, args, says) in cases {
        let file = file.to_str().unwrap();
        let args: Vec<&str> = std::iter::once(file).chain(args.split(' ')).collect();
        let (message, code) = refused(&args);
        assert_eq!(code, 2, "{args:?}: {message}");
        assert!(message.contains(says), "{args:?}: {message}");
        assert!(!message.contains("panicked"), "{message}");
    }
}

#[test]
fn the_answer_does_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let text = queue(30, "", r#"{"metric": "phone.asa_s", "max": "16s"}"#);
    let file = write(&dir, "threads.json", &text);
    let run = |threads: &str| {
        let args = [
            "--lever",
            "staff.agents.count",
            "--min",
            "--threads",
            threads,
        ];
        let (mut found, _) = staff(&file, &args);
        found["cost"]["seconds"] = Value::Null;
        found
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn days_require_the_asa_on_a_share_of_days_and_cost_more_staff() {
    // A weekday-only queue over two weeks: ten days a replication.
    let dir = tempfile::tempdir().unwrap();
    let text = queue(30, "", r#"{"metric": "phone.asa_s", "max": "20s"}"#)
        .replace(r#""300h""#, r#""2w""#)
        .replace(r#""warmup": "5h""#, r#""warmup": "0s""#)
        .replace(
            r#""arrivals""#,
            r#""open": {"mon-fri": "08:00-16:00"}, "arrivals""#,
        );
    let file = write(&dir, "days.json", &text);
    let lever = ["--lever", "staff.agents.count", "--min"];
    let (mean, _) = staff(&file, &lever);
    let (days, code) = staff(&file, &[&lever[..], &["--days", "0.95"]].concat());
    assert_eq!(code, 0, "{days}");
    let (m, d) = (
        mean["value"].as_i64().unwrap(),
        days["value"].as_i64().unwrap(),
    );
    assert!(
        d > m,
        "95% of days within 20 s needs more than the mean does: {d} vs {m}"
    );
    let evals = days["evaluations"].as_array().unwrap();
    let judged = &evals.last().unwrap()["targets"][0];
    assert!(
        judged["metric"]
            .as_str()
            .unwrap()
            .starts_with("share of days with phone.asa_s"),
        "{judged}"
    );
    assert_eq!(judged["min"], 0.95);
}

#[test]
fn the_fpa_answer_agrees_with_a_sweep_on_the_same_streams() {
    let file = Path::new("scenarios/fpa-reopened.json");
    let lever = "staff.office_staff.reassign.count";
    let args = ["--lever", lever, "--min", "--reps", "4", "--max-reps", "16"];
    let (found, code) = staff(file, &args);
    assert_eq!(code, 0, "{found}");
    let v = found["value"].as_i64().unwrap();
    let evals = found["evaluations"].as_array().unwrap();
    for value in [v, v - 1] {
        let e = evals
            .iter()
            .filter(|e| e["value"] == value)
            .max_by_key(|e| e["replications"].as_u64())
            .unwrap();
        let reps = e["replications"].to_string();
        let out = callsim()
            .args(["sweep", file.to_str().unwrap(), "--json", "--reps", &reps])
            .arg("--set")
            .arg(format!("{lever}={value}"))
            .output()
            .unwrap();
        let sweep: Value = serde_json::from_slice(&out.stdout).unwrap();
        let point = &sweep["points"][0];
        let asa = &point["queues"]["phone"]["asa_s"]["mean"];
        assert_eq!(asa, &e["targets"][0]["value"], "phone ASA at {value}");
        let met = point["targets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["met"] == true);
        assert_eq!(Value::Bool(met), e["met"], "verdict at {value}");
    }
}

#[test]
fn out_writes_the_search_and_a_staffed_scenario_that_check_passes() {
    let dir = tempfile::tempdir().unwrap();
    let text = queue(30, "", r#"{"metric": "phone.asa_s", "max": "16s"}"#);
    let file = write(&dir, "mmc.json", &text);
    let out = dir.path().join("nested").join("out");
    let args = [
        "--lever",
        "staff.agents.count",
        "--min",
        "--out",
        out.to_str().unwrap(),
    ];
    let (found, code) = staff(&file, &args);
    assert_eq!(code, 0, "{found}");
    let written: Value =
        serde_json::from_slice(&std::fs::read(out.join("staff.json")).unwrap()).unwrap();
    assert_eq!(written["value"], found["value"]);
    let staffed: Value =
        serde_json::from_slice(&std::fs::read(out.join("staffed.json")).unwrap()).unwrap();
    assert_eq!(staffed["staff"]["agents"]["count"], found["value"]);
    assert_eq!(
        staffed["extends"], "../../mmc.json",
        "a path from the output directory"
    );
    assert_check_passes(&out.join("staffed.json"));
}
