//! The command line as users run it: exit codes, messages, output files.

use crate::common::{callsim, write};
use predicates::prelude::*;
use std::path::Path;

const GOOD: &str = r#"{
  "name": "small", "horizon": "20h", "replications": 3, "seed": 5,
  "queues": {"phone": {"arrivals": {"per_hour": 100},
                       "handle_time": {"dist": "exponential", "mean": "3m"},
                       "patience": {"dist": "exponential", "mean": "2m"}}},
  "staff": {"agents": {"count": 6, "serves": ["phone"]}},
  "targets": [{"metric": "phone.asa_s", "max": "2m"}]
}"#;

/// Writes `text` to `name` in a fresh temporary directory.
fn file_with(text: &str, name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, name, text);
    (dir, path)
}

/// GOOD as `base.json` and, beside it, a variant file `name` with `text` (which may extend it).
fn with_variant(
    name: &str,
    text: &str,
) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let (dir, base) = file_with(GOOD, "base.json");
    let variant = write(&dir, name, text);
    (dir, base, variant)
}

/// Runs `callsim run` on `text` and expects exit 2 with `expected` in stderr and no panic.
fn rejects(text: &str, expected: &str) {
    let (_dir, path) = file_with(text, "bad.json");
    callsim()
        .arg("run")
        .arg(&path)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(expected))
        .stderr(predicate::str::contains("panicked").not())
        .stderr(predicate::str::contains("bad.json"));
}

#[test]
fn a_good_scenario_runs_and_prints_a_table() {
    let (_dir, path) = file_with(GOOD, "good.json");
    callsim()
        .arg("run")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("queue phone"))
        .stdout(predicate::str::contains("asa_s"))
        .stdout(predicate::str::contains("utilization"))
        .stdout(predicate::str::contains("±"));
}

#[test]
fn json_output_follows_the_contract() {
    let (_dir, path) = file_with(GOOD, "good.json");
    let out = callsim()
        .args(["run", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["scenario"], "small");
    assert_eq!(v["replications"], 3);
    assert_eq!(v["seed"], 5);
    for m in [
        "offered",
        "answered",
        "abandoned",
        "asa_s",
        "mean_wait_s",
        "wait_p50_s",
        "wait_p90_s",
    ] {
        assert!(v["queues"]["phone"][m]["mean"].is_number(), "{m}");
        assert_eq!(
            v["queues"]["phone"][m]["ci95"].as_array().unwrap().len(),
            2,
            "{m}"
        );
    }
    for m in [
        "wait_p95_s",
        "max_wait_s",
        "abandon_rate",
        "service_level",
        "asa_s_pooled",
    ] {
        assert!(v["queues"]["phone"][m]["mean"].is_number(), "{m}");
    }
    assert!(v["staff"]["agents"]["utilization"]["mean"].is_number());
    assert_eq!(v["intervals"].as_array().unwrap().len(), 20);
    assert_eq!(v["intervals"][0]["start"], "mon 00:00");
    assert!(v["intervals"][0]["queues"]["phone"]["offered"].is_number());
    assert!(v["intervals"][0]["staff"]["agents"]["scheduled"].is_number());
    let t = &v["targets"][0];
    assert_eq!(
        (t["metric"].as_str(), t["max"].as_f64()),
        (Some("phone.asa_s"), Some(120.0))
    );
    assert!(t["met"].is_boolean() && t["value"].is_number());
    assert!(v["provenance"]["scenario_sha256"].as_str().unwrap().len() == 64);
}

#[test]
fn several_files_give_a_json_array() {
    let (dir, path) = file_with(GOOD, "good.json");
    let other = GOOD.replace(r#""name": "small""#, r#""name": "other""#);
    let other = write(&dir, "other.json", &other);
    let out = callsim()
        .args(["run", "--json", "--reps", "2"])
        .arg(&path)
        .arg(&other)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(2));
    assert_eq!(v[1]["replications"], 2);
}

#[test]
fn out_dir_gets_result_csv_and_plots() {
    let (dir, path) = file_with(GOOD, "good.json");
    let out = dir.path().join("out");
    callsim()
        .args(["run", "--reps", "2", "--out"])
        .arg(&out)
        .arg(&path)
        .assert()
        .success();
    let result: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("result.json")).unwrap()).unwrap();
    assert_eq!(result["scenario"], "small");
    let csv = std::fs::read_to_string(out.join("intervals.csv")).unwrap();
    assert!(csv.starts_with("start,week,start_s,phone.offered"));
    assert_eq!(csv.lines().count(), 21, "a header and 20 hourly rows");
    for plot in [
        "phone-volume",
        "phone-asa",
        "phone-service-level",
        "staff-agents",
    ] {
        for ext in ["png", "svg"] {
            assert!(out.join(format!("{plot}.{ext}")).exists(), "{plot}.{ext}");
        }
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    assert_eq!(html.matches("<svg").count(), 4, "the four plots inline");
    assert!(html.contains("phone.asa_s"));
    // Works offline: nothing is loaded from elsewhere (the SVG namespace is only a name).
    assert!(
        !html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http")
    );
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn validate_accepts_the_shipped_scenarios() {
    let shipped: Vec<_> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
    assert!(!shipped.is_empty());
    callsim().arg("validate").args(&shipped).assert().success();
}

#[test]
fn schema_is_json_and_names_the_core_keys() {
    let out = callsim().arg("schema").output().unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // A whole scenario, or an overlay that needs only its `extends` (its base gives the rest).
    let [full, overlay] = v["anyOf"].as_array().unwrap().as_slice() else {
        panic!("two branches: {v}");
    };
    assert_eq!(overlay["required"], serde_json::json!(["extends"]));
    assert!(
        full["required"]
            .as_array()
            .unwrap()
            .contains(&"horizon".into())
    );
    assert_eq!(full["properties"]["replications"]["minimum"], 1);
    let dist = &v["$defs"]["DistSpec"]["properties"];
    assert_eq!(dist["cv"]["exclusiveMinimum"], 0);
    let props = &full["properties"];
    for key in [
        "horizon",
        "warmup",
        "replications",
        "seed",
        "interval",
        "queues",
        "staff",
        "targets",
    ] {
        assert!(props.get(key).is_some(), "schema lacks {key}");
    }
}

#[test]
fn unreadable_file_is_bad_input() {
    callsim()
        .args(["run", "/nonexistent/missing.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "missing.json: cannot read the file",
        ));
}

#[test]
fn json_syntax_error_names_line_and_column() {
    rejects(
        "{\n  \"horizon\": \"1h\",\n  \"queues\": {,\n}",
        "bad.json:3:",
    );
    rejects(
        "{\n  \"horizon\": \"1h\",\n  \"queues\": {,\n}",
        "JSON syntax error",
    );
}

#[test]
fn unknown_key_is_named_with_its_path() {
    rejects(
        &GOOD
            .replace("\"service_level", "\"x")
            .replace("\"patience\"", "\"patients\""),
        "queues.phone",
    );
    rejects(
        &GOOD.replace("\"patience\"", "\"patients\""),
        "unknown field `patients`",
    );
}

#[test]
fn wrong_type_is_named_with_its_path() {
    rejects(
        &GOOD.replace("\"count\": 6", "\"count\": \"six\""),
        "staff.agents.count",
    );
    rejects(
        &GOOD.replace("\"replications\": 3", "\"replications\": \"3\""),
        "replications",
    );
}

#[test]
fn impossible_value_names_the_key_path_and_value() {
    let bad = GOOD.replace(
        r#"{"dist": "exponential", "mean": "3m"}"#,
        r#"{"dist": "gamma", "mean": "3m", "cv": -1}"#,
    );
    rejects(&bad, "queues.phone.handle_time.cv: must be > 0, got -1");
    rejects(
        &GOOD.replace("\"horizon\": \"20h\"", "\"horizon\": \"-2h\""),
        "horizon: must be > 0",
    );
    rejects(
        &GOOD.replace("\"warmup\"", "\"x\"").replace(
            "\"horizon\": \"20h\"",
            "\"horizon\": \"20h\", \"warmup\": \"30h\"",
        ),
        "warmup: must be",
    );
}

#[test]
fn mixture_parts_are_checked() {
    let one_part = r#"{"dist": "mixture", "parts": [{"weight": 1, "dist": "fixed", "value": 5}]}"#;
    let exp = r#"{"dist": "exponential", "mean": "3m"}"#;
    rejects(
        &GOOD.replace(exp, one_part),
        "queues.phone.handle_time.parts: a mixture needs at least two parts",
    );
    let no_weight = r#"{"dist": "mixture", "parts": [{"dist": "fixed", "value": 5}, {"weight": 1, "dist": "fixed", "value": 9}]}"#;
    rejects(
        &GOOD.replace(exp, no_weight),
        "queues.phone.handle_time.parts[0].weight: required for a mixture part",
    );
    rejects(
        &GOOD.replace(exp, r#"{"dist": "exponential", "mean": "3m", "weight": 2}"#),
        "handle_time.weight: only a mixture part",
    );
    let good = r#"{"dist": "mixture", "parts": [{"weight": 3, "dist": "exponential", "mean": "3m"}, {"weight": 1, "dist": "gamma", "mean": "20m", "cv": 0.5}]}"#;
    let (_dir, path) = file_with(&GOOD.replace(exp, good), "mix.json");
    callsim().arg("validate").arg(&path).assert().success();
}

#[test]
fn bad_duration_day_and_time_are_explained() {
    rejects(
        &GOOD.replace("\"20h\"", "\"20 hours\""),
        "expected a duration",
    );
    let open = r#""arrivals": {"per_hour": 100}, "open": {"mon-fry": "08:00-16:00"},"#;
    rejects(
        &GOOD.replace(r#""arrivals": {"per_hour": 100},"#, open),
        "queues.phone.open.mon-fry",
    );
    let open = r#""arrivals": {"per_hour": 100}, "open": {"mon-fri": "16:00-08:00"},"#;
    rejects(
        &GOOD.replace(r#""arrivals": {"per_hour": 100},"#, open),
        "must end after it starts",
    );
}

#[test]
fn unknown_queue_in_serves_or_target_is_named() {
    rejects(
        &GOOD.replace("\"serves\": [\"phone\"]", "\"serves\": [\"fone\"]"),
        "staff.agents.serves[0]: no queue named \"fone\"",
    );
    rejects(
        &GOOD.replace("phone.asa_s", "phone.speed"),
        "targets[0].metric",
    );
}

#[test]
fn overlapping_schedule_is_rejected() {
    let count = r#""count": {"mon-fri": {"08:00-12:00": 5, "11:00-16:00": 3}}"#;
    rejects(&GOOD.replace("\"count\": 6", count), "overlaps");
}

#[test]
fn every_problem_is_listed_at_once() {
    let bad = GOOD
        .replace("\"count\": 6", "\"count\": 0")
        .replace("\"horizon\": \"20h\"", "\"horizon\": 0");
    rejects(&bad, "horizon: must be > 0");
    rejects(
        &bad,
        "queues.phone: no staff group with agents serves this queue",
    );
}

#[test]
fn bad_command_line_values_exit_2() {
    let (_dir, path) = file_with(GOOD, "good.json");
    callsim()
        .args(["run", "--reps", "0"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--reps"));
    callsim()
        .args(["run", "--reps", "many"])
        .arg(&path)
        .assert()
        .code(2);
    callsim()
        .args(["run", "--threads", "0"])
        .arg(&path)
        .assert()
        .code(2);
    callsim().args(["frobnicate"]).assert().code(2);
}

#[test]
fn bad_input_writes_no_output_files() {
    let (dir, good) = file_with(GOOD, "good.json");
    let bad = write(&dir, "bad.json", "{");
    let out = dir.path().join("out");
    callsim()
        .arg("run")
        .arg("--out")
        .arg(&out)
        .arg(&good)
        .arg(&bad)
        .assert()
        .code(2);
    assert!(
        !out.exists(),
        "an output directory was created for a failed run"
    );
}

#[test]
fn overload_without_patience_warns_and_is_capped() {
    let overload = r#"{
      "horizon": "2000h", "replications": 1,
      "queues": {"phone": {"arrivals": {"per_hour": 1000},
                           "handle_time": {"dist": "exponential", "mean": "1m"}}},
      "staff": {"agents": {"count": 5, "serves": ["phone"]}}
    }"#;
    let (_dir, path) = file_with(overload, "over.json");
    callsim()
        .arg("run")
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains("grows without bound"))
        .stderr(predicate::str::contains("stopped early"))
        .stderr(predicate::str::contains("only 1 replication"));
}

#[test]
fn check_exits_0_when_every_target_is_met() {
    let (_dir, path) = file_with(GOOD, "good.json");
    callsim()
        .arg("check")
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("met"));
}

#[test]
fn check_exits_1_when_a_target_is_missed() {
    let (_dir, path) = file_with(
        &GOOD.replace(r#""max": "2m""#, r#""max": 0.001"#),
        "strict.json",
    );
    callsim()
        .arg("check")
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("MISSED"))
        .stdout(predicate::str::contains("phone.asa_s <= 0.0 s"));
}

#[test]
fn strict_check_fails_a_target_whose_interval_crosses_the_bound() {
    // Find the simulated mean, then put the bound just above it: the mean meets it, the ci95
    // crosses it.
    let (_dir, path) = file_with(GOOD, "good.json");
    let out = callsim()
        .args(["run", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let asa = v["queues"]["phone"]["asa_s"]["mean"].as_f64().unwrap();
    let hw = asa - v["queues"]["phone"]["asa_s"]["ci95"][0].as_f64().unwrap();
    let tight = GOOD.replace(r#""max": "2m""#, &format!(r#""max": {}"#, asa + hw / 2.0));
    let (_dir2, path) = file_with(&tight, "tight.json");
    callsim()
        .arg("check")
        .arg(&path)
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("met?"));
    callsim()
        .args(["check", "--strict"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("inconclusive"));
}

#[test]
fn check_exits_2_on_bad_input() {
    let (_dir, path) = file_with("{", "bad.json");
    callsim().arg("check").arg(&path).assert().code(2);
}

#[test]
fn sweep_runs_every_point_with_the_same_callers() {
    let (dir, path) = file_with(GOOD, "good.json");
    let out_dir = dir.path().join("sweep");
    let out = callsim()
        .args([
            "sweep",
            "--reps",
            "2",
            "--json",
            "--set",
            "staff.agents.count=5..7:1",
            "--set",
            "queues.phone.patience.mean=1m,3m",
            "--out",
        ])
        .arg(&out_dir)
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 6);
    assert_eq!(points[1]["values"]["staff.agents.count"], 5);
    assert_eq!(points[1]["values"]["queues.phone.patience.mean"], "3m");
    // Common random numbers: every point sees the same arrivals.
    let offered: Vec<_> = points
        .iter()
        .map(|p| p["queues"]["phone"]["offered"]["mean"].clone())
        .collect();
    assert!(offered.iter().all(|o| *o == offered[0]), "{offered:?}");
    // More agents, shorter waits.
    let asa = |i: usize| {
        points[i]["queues"]["phone"]["asa_s"]["mean"]
            .as_f64()
            .unwrap()
    };
    assert!(asa(0) > asa(2) && asa(2) > asa(4));
    let csv = std::fs::read_to_string(out_dir.join("sweep.csv")).unwrap();
    assert_eq!(csv.lines().count(), 7);
    assert!(csv.starts_with("staff.agents.count,queues.phone.patience.mean,phone.offered,phone.offered_lo,phone.offered_hi"));
    assert!(out_dir.join("sweep.json").exists());
    for ext in ["png", "svg"] {
        assert!(
            out_dir.join(format!("sweep-phone.asa_s.{ext}")).exists(),
            "the target's plot"
        );
    }
}

#[test]
fn sweep_names_a_bad_path_or_value() {
    let (_dir, path) = file_with(GOOD, "good.json");
    callsim()
        .args(["sweep", "--set", "staff.agent.count=4"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no \"staff.agent\""));
    callsim()
        .args(["sweep", "--set", "staff.agents.count=-1"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("staff.agents.count=-1"));
    callsim()
        .args(["sweep", "--set", "staff.agents.count=5..1"])
        .arg(&path)
        .assert()
        .code(2);
}

#[test]
fn a_scenario_extends_a_base_and_overrides_keys() {
    let (dir, base) = file_with(GOOD, "base.json");
    let variant =
        r#"{"extends": "base.json", "name": "more-agents", "staff": {"agents": {"count": 9}}}"#;
    let path = write(&dir, "variant.json", variant);
    let run = |p: &std::path::Path| {
        let out = callsim()
            .args(["run", "--json", "--reps", "2"])
            .arg(p)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let (b, v) = (run(&base), run(&path));
    assert_eq!(v["scenario"], "more-agents");
    // The same callers (the base's queues and seed), more agents: shorter waits.
    assert_eq!(
        b["queues"]["phone"]["offered"],
        v["queues"]["phone"]["offered"]
    );
    let asa = |x: &serde_json::Value| x["queues"]["phone"]["asa_s"]["mean"].as_f64().unwrap();
    assert!(asa(&v) < asa(&b));
    // A sweep over the variant sees the merged scenario.
    callsim()
        .args(["sweep", "--reps", "1", "--set", "staff.agents.count=8,10"])
        .arg(&path)
        .assert()
        .success();
}

#[test]
fn bad_extends_are_explained() {
    let (dir, _) = file_with(GOOD, "base.json");
    let missing = write(&dir, "missing.json", r#"{"extends": "nowhere.json"}"#);
    callsim()
        .arg("validate")
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("extends: cannot read"));
    let a = write(&dir, "a.json", r#"{"extends": "b.json"}"#);
    write(&dir, "b.json", r#"{"extends": "a.json"}"#);
    callsim()
        .arg("validate")
        .arg(&a)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cycle"));
    let wrong = r#"{"extends": "base.json", "staff": {"agents": {"count": -2}}}"#;
    let wrong = write(&dir, "wrong.json", wrong);
    callsim()
        .arg("validate")
        .arg(&wrong)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("staff.agents.count"));
}

#[test]
fn compare_gives_paired_differences_and_says_which_are_significant() {
    let (_dir, base, variant) = with_variant(
        "variant.json",
        r#"{"extends": "base.json", "staff": {"agents": {"count": 8}}}"#,
    );
    let out = callsim()
        .args(["compare", "--json", "--reps", "5"])
        .arg(&base)
        .arg(&variant)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["replications"], 5);
    assert!(json["provenance"]["variant"]["scenario_sha256"].is_string());
    let diffs = json["differences"].as_array().unwrap();
    let find = |m: &str| diffs.iter().find(|d| d["metric"] == m).unwrap().clone();
    let asa = find("phone.asa_s");
    assert!(
        asa["difference"]["mean"].as_f64().unwrap() < 0.0 && asa["significant"] == true,
        "{asa}"
    );
    // Same seed and replications: the same callers, so the offered counts do not differ at all.
    let offered = find("phone.offered");
    assert_eq!(offered["difference"]["mean"], 0.0);
    assert_eq!(offered["significant"], false);
    callsim()
        .arg("compare")
        .arg(&base)
        .arg(&variant)
        .assert()
        .success()
        .stdout(predicate::str::contains("phone.asa_s"));
    // One replication has no interval: nothing is significant, and the user is told why.
    let one = callsim()
        .args(["compare", "--json", "--reps", "1"])
        .arg(&base)
        .arg(&variant)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    let diffs = json["differences"].as_array().unwrap();
    assert!(diffs.iter().all(|d| d["significant"] == false), "{json}");
    assert!(String::from_utf8_lossy(&one.stderr).contains("only 1 replication"));
}

#[test]
fn precision_control_adds_replications_until_the_interval_is_narrow() {
    let (_dir, path) = file_with(GOOD, "good.json");
    let run = |threads: &str| {
        let args = [
            "run",
            "--json",
            "--reps",
            "3",
            "--precision",
            "0.03",
            "--max-reps",
            "60",
            "--threads",
            threads,
        ];
        let out = callsim().args(args).arg(&path).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let one = run("1");
    assert_eq!(
        one,
        run("2"),
        "the stopping point does not depend on the thread count"
    );
    let v: serde_json::Value = serde_json::from_slice(&one).unwrap();
    let n = v["replications"].as_u64().unwrap();
    assert!(
        n > 3 && n.is_multiple_of(3) && n <= 60,
        "{n} replications, in batches of 3"
    );
    let asa = &v["queues"]["phone"]["asa_s"];
    let (mean, lo) = (
        asa["mean"].as_f64().unwrap(),
        asa["ci95"][0].as_f64().unwrap(),
    );
    assert!(
        n == 60 || mean - lo <= 0.03 * mean,
        "half-width {} of mean {mean}",
        mean - lo
    );
    callsim()
        .args(["run", "--precision", "2"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--precision"));
}

#[test]
fn sweep_zips_values_or_runs_the_scenarios_own_block() {
    let (_dir, path) = file_with(GOOD, "good.json");
    let zipped = callsim()
        .args([
            "sweep",
            "--json",
            "--reps",
            "1",
            "--zip",
            "--set",
            "staff.agents.count=5,6,7",
            "--set",
            "seed=1,2,3",
        ])
        .arg(&path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&zipped.stdout).unwrap();
    assert_eq!(
        v["points"].as_array().unwrap().len(),
        3,
        "zip pairs, no product"
    );
    assert_eq!(v["points"][2]["values"]["seed"], 3);
    callsim()
        .args([
            "sweep",
            "--zip",
            "--set",
            "staff.agents.count=5,6",
            "--set",
            "seed=1",
        ])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--zip"));
    let study = GOOD.replace(
        r#""targets":"#,
        r#""sweep": {"set": {"staff.agents.count": "5..8:1", "queues.phone.patience.mean": ["1m", "3m"]}}, "targets":"#,
    );
    let (_dir2, study_path) = file_with(&study, "study.json");
    let out = callsim()
        .args(["sweep", "--json", "--reps", "1"])
        .arg(&study_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["points"].as_array().unwrap().len(), 8);
    assert_eq!(v["parameters"][1], "queues.phone.patience.mean");
    callsim()
        .args(["sweep"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sweep"));
}

#[test]
fn several_scenarios_are_shown_side_by_side() {
    let (_dir, base, variant) = with_variant(
        "variant.json",
        r#"{"extends": "base.json", "name": "eight", "staff": {"agents": {"count": 8}}}"#,
    );
    let out = callsim()
        .args(["run", "--reps", "2"])
        .arg(&base)
        .arg(&variant)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("2 scenarios side by side"));
    let header = text.lines().find(|l| l.starts_with("metric")).unwrap();
    assert!(
        header.contains("small (n=2)") && header.contains("eight (n=2)"),
        "{header}"
    );
    let asa = text
        .lines()
        .find(|l| l.starts_with("phone.asa_s "))
        .unwrap();
    // Each cell is `mean ± half` or, cut at 0, `mean [lo, hi]`.
    let cells = asa.matches(" s ± ").count() + asa.matches(" s [").count();
    assert_eq!(cells, 2, "{asa}");
}

#[test]
fn compare_accepts_set_changes_to_the_base_instead_of_a_file() {
    let (_dir, base) = file_with(GOOD, "base.json");
    let out = callsim()
        .args([
            "compare",
            "--json",
            "--reps",
            "4",
            "--set",
            "staff.agents.count=8",
        ])
        .arg(&base)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diffs = json["differences"].as_array().unwrap();
    let asa = diffs.iter().find(|d| d["metric"] == "phone.asa_s").unwrap();
    assert!(asa["difference"]["mean"].as_f64().unwrap() < 0.0);
    callsim()
        .args(["compare", "--set", "staff.agents.count=7,8"])
        .arg(&base)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("one value"));
    callsim().args(["compare"]).arg(&base).assert().code(2);
}

#[test]
fn several_scenarios_with_out_get_comparison_plots_and_one_report() {
    let (dir, base, variant) = with_variant(
        "variant.json",
        r#"{"extends": "base.json", "name": "eight", "staff": {"agents": {"count": 8}}}"#,
    );
    let out = dir.path().join("out");
    callsim()
        .args(["run", "--reps", "2", "--out"])
        .arg(&out)
        .arg(&base)
        .arg(&variant)
        .assert()
        .success();
    for name in [
        "compare-phone-asa_s.png",
        "compare-phone-asa_s.svg",
        "small/result.json",
        "eight/result.json",
    ] {
        assert!(out.join(name).exists(), "{name}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("compare-phone-asa_s.png/.svg") && html.contains("Scenarios compared"));
}

#[test]
fn same_named_scenarios_run_together_are_told_apart_by_file_name() {
    // A variant keeps its base's name unless it sets one.
    let (dir, base, variant) = with_variant(
        "more.json",
        r#"{"extends": "base.json", "staff": {"agents": {"count": 8}}}"#,
    );
    let out = dir.path().join("out");
    callsim()
        .args(["run", "--out"])
        .arg(&out)
        .arg(&base)
        .arg(&variant)
        .assert()
        .success()
        .stderr(predicate::str::contains("reported as \"more\""))
        .stdout(predicate::str::contains("base (n=3)"))
        .stdout(predicate::str::contains("more (n=3)"));
    for sub in ["base", "more"] {
        let text = std::fs::read_to_string(out.join(sub).join("result.json")).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["scenario"], sub);
    }
    // The same file twice cannot be told apart.
    callsim()
        .arg("run")
        .arg(&base)
        .arg(&base)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give each its own \"name\""));
}

#[test]
fn validate_reports_every_file_and_checks_the_sweep_block() {
    let (dir, good) = file_with(GOOD, "good.json");
    let bad_path = GOOD.replace(
        r#""targets""#,
        r#""sweep": {"set": {"staff.agentz.count": "1..3:1"}}, "targets""#,
    );
    let bad_value = GOOD.replace(
        r#""targets""#,
        r#""sweep": {"set": {"staff.agents.count": [4, -1]}}, "targets""#,
    );
    let a = write(&dir, "a.json", &bad_path);
    let b = write(&dir, "b.json", &bad_value);
    callsim()
        .arg("validate")
        .arg(&good)
        .arg(&a)
        .arg(&b)
        .assert()
        .code(2)
        .stdout(predicate::str::contains("good.json: ok"))
        .stderr(predicate::str::contains(
            "a.json: sweep.set.staff.agentz.count: the scenario has no \"staff.agentz\"",
        ))
        .stderr(predicate::str::contains("b.json (staff.agents.count=-1)"))
        .stderr(predicate::str::contains("panicked").not());
    // Every command loads through the same check.
    callsim().arg("run").arg(&a).assert().code(2);
}

#[test]
fn a_path_set_twice_is_bad_input() {
    let (_dir, path) = file_with(GOOD, "good.json");
    callsim()
        .arg("sweep")
        .arg(&path)
        .args([
            "--set",
            "staff.agents.count=6",
            "--set",
            "staff.agents.count=7",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--set staff.agents.count: set twice",
        ));
}

#[test]
fn sweeps_control_precision_per_point_and_carry_provenance() {
    let (_dir, path) = file_with(GOOD, "good.json");
    let out = callsim()
        .arg("sweep")
        .arg(&path)
        .args(["--set", "staff.agents.count=6,8", "--reps", "2"])
        .args(["--precision", "0.05", "--max-reps", "40", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["seed"], 5);
    assert_eq!(json["replications_asked"], 2);
    assert!(json["provenance"]["scenario_sha256"].is_string());
    for p in json["points"].as_array().unwrap() {
        let n = p["replications"].as_u64().unwrap();
        let asa = &p["queues"]["phone"]["asa_s"];
        let (mean, lo) = (
            asa["mean"].as_f64().unwrap(),
            asa["ci95"][0].as_f64().unwrap(),
        );
        // Either the interval is within 5% of the mean, or the limit stopped it.
        assert!(n > 2 && (mean - lo <= 0.05 * mean || n == 40), "{p}");
    }
}

#[test]
fn impossible_values_are_named_with_their_key_path() {
    rejects("[1, 2]", "(top level): a scenario is one JSON object");
    rejects(
        &GOOD.replace(r#""horizon": "20h""#, r#""horizon": 1e300"#),
        "horizon: a duration must be at most 100 years (3.16e9 s), got 1e300 s",
    );
    rejects(
        &GOOD.replace(
            r#"{"dist": "exponential", "mean": "3m"}"#,
            r#"{"dist": "lognormal", "mean": "3m", "cv": 1e200}"#,
        ),
        "queues.phone.handle_time.cv: must be at most 10, got 1e200",
    );
    rejects(
        &GOOD.replace(
            r#"{"metric": "phone.asa_s", "max": "2m"}"#,
            r#"{"metric": "phone.abandon_rate", "max": "2m"}"#,
        ),
        "targets[0].max: \"2m\" is a duration, but phone.abandon_rate is not in seconds",
    );
}

#[test]
fn a_misspelt_target_metric_gets_one_message_not_a_second_about_its_bound() {
    // "phone.answerd" is no metric: its bound's unit cannot be judged, so the metric's own
    // message is the only one.
    let bad = GOOD.replace(
        r#"{"metric": "phone.asa_s", "max": "2m"}"#,
        r#"{"metric": "phone.answerd", "max": "2m"}"#,
    );
    let (_dir, path) = file_with(&bad, "bad.json");
    callsim()
        .arg("validate")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "targets[0].metric: \"phone.answerd\" names no metric",
        ))
        .stderr(predicate::str::contains("is a duration").not());
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let (_dir, path) = file_with(&format!("\u{feff}{GOOD}"), "bom.json");
    callsim().arg("validate").arg(&path).assert().success();
}

#[test]
fn a_bad_value_in_a_base_names_the_base() {
    let (dir, _) = file_with(
        &GOOD.replace(r#""count": 6"#, r#""count": -6"#),
        "base.json",
    );
    let variant = write(
        &dir,
        "variant.json",
        r#"{"extends": "base.json", "seed": 9}"#,
    );
    callsim()
        .arg("validate")
        .arg(&variant)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("variant.json: staff.agents.count"))
        .stderr(predicate::str::contains("(set in"))
        .stderr(predicate::str::contains("base.json)"));
}

#[test]
fn an_out_path_that_is_a_file_is_bad_input() {
    let (dir, path) = file_with(GOOD, "good.json");
    let file = write(&dir, "taken", "keep me");
    callsim()
        .args(["run", "--out"])
        .arg(&file)
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists and is not a directory"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}
