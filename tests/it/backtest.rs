//! `callsim backtest`: a scenario back-tested on a log simulated from itself covers its days
//! and recovers its staffing; a wrong scenario is caught; the observed figures follow the
//! contract's definitions on a hand-computed log; a day's prediction depends on the seed and
//! the date alone; bad input exits 2 and writes nothing.

use super::common::{callsim, simulated_log, write};
use serde_json::Value;

/// Weekdays 08:00-18:00, a busy midday (140 calls an hour against 11 agents for 11.7
/// erlangs), lognormal handle times, exponential patience, 30% redials: four weeks.
const TRUTH: &str = r#"{"name": "truth", "horizon": "4w", "warmup": 0, "replications": 1, "seed": 13,
    "queues": {"phone": {"open": {"mon-fri": "08:00-18:00"},
        "arrivals": {"per_hour": [["08:00", 80], ["10:00", 140], ["14:00", 100]], "daily_cv": 0.2},
        "handle_time": {"dist": "lognormal", "mean": "5m", "cv": 0.8},
        "patience": {"dist": "exponential", "mean": "4m"},
        "redial": {"probability": 0.3, "delay": {"dist": "exponential", "mean": "10m"}, "when_closed": "lost"}}},
    "staff": {"agents": {"count": {"mon-fri": {"08:00-18:00": 11}}, "serves": ["phone"]}}}"#;

fn backtest(args: &[&std::ffi::OsStr]) -> std::process::Output {
    callsim().arg("backtest").args(args).output().unwrap()
}

/// `backtest SCENARIO --calls LOG --format csv --json ARGS`, which must succeed.
fn backtest_json(scenario: &std::path::Path, log: &std::path::Path, args: &[&str]) -> Value {
    let mut all: Vec<&std::ffi::OsStr> =
        vec![scenario.as_os_str(), "--calls".as_ref(), log.as_os_str()];
    all.extend(["--format", "csv", "--json"].map(std::ffi::OsStr::new));
    all.extend(args.iter().map(std::ffi::OsStr::new));
    let got = backtest(&all);
    assert!(
        got.status.success(),
        "{}",
        String::from_utf8_lossy(&got.stderr)
    );
    serde_json::from_slice(&got.stdout).unwrap()
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn a_scenario_backtested_on_its_own_log_covers_its_days_and_a_wrong_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let truth = write(&dir, "truth.json", TRUTH);
    let log = dir.path().join("calls.csv");
    simulated_log(&truth, &log, &[]);
    let out = dir.path().join("bt");
    let bt = backtest_json(&truth, &log, &["--out", out.to_str().unwrap()]);
    let days = bt["days"].as_array().unwrap();
    assert_eq!(days.len(), 20, "the four weeks' weekdays");
    assert!(
        days.iter()
            .all(|d| !["sat", "sun"].contains(&d["weekday"].as_str().unwrap()))
    );
    // Staffing inferred from the services: 11 agents for 10 hours, 110 agent-hours. Busy
    // agents finish past 18:00 (more); each agent is seen from their first call, within
    // minutes of 08:00 at 80 calls an hour (less): a few agent-hours either way.
    for d in days {
        let hours = num(&d["staff"]["agents"]["agent_hours"]);
        assert!(
            (105.0..=114.0).contains(&hours),
            "{}: {hours} agent-hours",
            d["date"]
        );
        assert_eq!(d["staff"]["agents"]["peak"], 11, "{}", d["date"]);
    }
    // The true model's 90% bands hold each day's value with probability 0.9 or more (more:
    // the prediction also redraws the day's arrivals around their count). 13 or fewer days
    // of 20 has probability 0.24% at 0.9.
    let summary = &bt["summary"]["phone"];
    for metric in [
        "offered",
        "answered",
        "asa_s",
        "abandon_rate",
        "service_level",
    ] {
        let coverage = num(&summary[metric]["coverage_90"]);
        assert!(coverage >= 0.7, "{metric}: coverage {coverage}: {summary}");
    }
    // Means over the 20 days, predicted against observed, within 4 standard errors of their
    // paired difference (measured on this log: 2.4 calls offered, 2.7 answered, 0.82 s of
    // ASA, 0.0033 abandonment, 0.0073 service level).
    let gap = |m: &str| num(&summary[m]["predicted_mean"]) - num(&summary[m]["observed_mean"]);
    for (metric, tolerance) in [
        ("offered", 10.0),
        ("answered", 11.0),
        ("asa_s", 3.3),
        ("abandon_rate", 0.013),
        ("service_level", 0.03),
    ] {
        assert!(
            gap(metric).abs() <= tolerance,
            "{metric}: predicted - observed {}: {summary}",
            gap(metric)
        );
    }
    for file in [
        "backtest.json",
        "backtest.csv",
        "backtest-phone-asa_s.png",
        "backtest-phone-service_level.svg",
    ] {
        assert!(out.join(file).exists(), "{file}");
    }
    let csv = std::fs::read_to_string(out.join("backtest.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 20 * 5, "a row per day and metric");

    // A fifth more work per call (handle times of 6 minutes): the center would drown, and the
    // back-test says so.
    let wrong = write(
        &dir,
        "wrong.json",
        &TRUTH.replace(r#""mean": "5m""#, r#""mean": "6m""#),
    );
    let bt = backtest_json(&wrong, &log, &[]);
    let asa = &bt["summary"]["phone"]["asa_s"];
    assert!(num(&asa["coverage_90"]) <= 0.2, "{asa}");
    assert!(num(&asa["bias"]) > 1.0, "{asa}");
}

/// One Monday: five contacts of PS (waits 0, 10 and 150 s answered; two hung up, after 50
/// and 210 s), two of a type the scenario does not have, served by ANNA and BEN.
const LOG: &str = "queue,arrival,answered,abandoned,end,agent,caller,priority
PS,2024-01-01 09:00:00,2024-01-01 09:00:00,,2024-01-01 09:04:00,ANNA,1,0
PS,2024-01-01 09:01:00,2024-01-01 09:01:10,,2024-01-01 09:05:00,BEN,2,0
PS,2024-01-01 09:02:00,2024-01-01 09:04:30,,2024-01-01 09:09:00,ANNA,3,0
PS,2024-01-01 09:03:00,,2024-01-01 09:03:50,,,4,0
PS,2024-01-01 09:05:00,,2024-01-01 09:08:30,,,7,0
XX,2024-01-01 09:10:00,2024-01-01 09:10:00,,2024-01-01 09:20:00,BEN,5,0
XX,2024-01-01 09:20:00,2024-01-01 09:20:00,,2024-01-01 09:30:00,BEN,6,0
";

const ONE_QUEUE: &str = r#"{"name": "one", "horizon": "1w",
    "queues": {"PS": {"arrivals": {"per_hour": 10}, "handle_time": {"dist": "fixed", "value": 240},
                      "patience": {"dist": "exponential", "mean": "2m"}}},
    "staff": {"agents": {"count": 2, "serves": ["PS"]}}}"#;

#[test]
fn the_observed_figures_follow_the_contract_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(&dir, "log.csv", LOG);
    let scenario = write(&dir, "one.json", ONE_QUEUE);
    let bt = backtest_json(&scenario, &log, &["--reps", "20"]);
    let day = &bt["days"][0];
    assert_eq!(day["date"], "2024-01-01");
    let ps = &day["queues"]["PS"];
    let observed = |m: &str| num(&ps[m]["observed"]);
    assert_eq!(observed("offered"), 5.0);
    assert_eq!(observed("answered"), 3.0);
    // ASA: (0 + 10 + 150) / 3 answered; abandonment 2 / (3 + 2); within 20 s: 2 of 5 offered.
    assert!((observed("asa_s") - 160.0 / 3.0).abs() < 1e-9);
    assert_eq!(observed("abandon_rate"), 0.4);
    assert_eq!(observed("service_level"), 0.4);
    assert_eq!(bt["log"]["other_types"]["XX"], 2);
    assert_eq!(
        bt["log"]["agents"]["agents"], 2,
        "ANNA and BEN serve PS, the scenario's queue"
    );
    // ANNA serves 09:00-09:09 and BEN 09:01-09:05, then 09:10-09:30 (XX calls): a gap of 5
    // minutes, on duty. Whole agents per 5 minutes (ANNA + BEN): 09:00 1 + 0.8, 09:05 0.8 + 1,
    // then BEN alone to 09:30: 2, 2, 1, 1, 1, 1, 40 agent-minutes.
    let staff = &day["staff"]["agents"];
    assert_eq!(staff["peak"], 2);
    assert!(
        (num(&staff["agent_hours"]) - 40.0 / 60.0).abs() < 1e-9,
        "{staff}"
    );
    // BEN is idle 09:05-09:10 while caller 7 waits through 09:05, 09:06 and 09:07.
    assert!(
        (num(&staff["idle_while_waiting_hours"]) - 3.0 / 60.0).abs() < 1e-9,
        "{staff}"
    );
    // Gaps over 4 minutes off duty: BEN is off 09:05-09:10 (2, 1, 1, 1, 1, 1), and never idle
    // on duty while a caller waits.
    let tight = backtest_json(&scenario, &log, &["--reps", "20", "--off-after", "4m"]);
    let staff = &tight["days"][0]["staff"]["agents"];
    assert!(
        (num(&staff["agent_hours"]) - 35.0 / 60.0).abs() < 1e-9,
        "{staff}"
    );
    assert_eq!(num(&staff["idle_while_waiting_hours"]), 0.0, "{staff}");
}

#[test]
fn a_days_prediction_depends_on_the_seed_and_the_date_alone() {
    let dir = tempfile::tempdir().unwrap();
    let truth = write(&dir, "truth.json", &TRUTH.replace("\"4w\"", "\"1w\""));
    let log = dir.path().join("calls.csv");
    simulated_log(&truth, &log, &[]);
    let all = backtest_json(&truth, &log, &["--reps", "30", "--threads", "1"]);
    let again = backtest_json(&truth, &log, &["--reps", "30", "--threads", "2"]);
    assert_eq!(all, again, "the thread count changes nothing");
    let wednesday = backtest_json(
        &truth,
        &log,
        &["--reps", "30", "--from", "2024-01-03", "--to", "2024-01-03"],
    );
    assert_eq!(wednesday["days"].as_array().unwrap().len(), 1);
    assert_eq!(
        wednesday["days"][0], all["days"][2],
        "Wednesday alone is Wednesday in the week"
    );
    let other = backtest_json(&truth, &log, &["--reps", "30", "--seed", "2"]);
    assert_ne!(
        other["days"][2]["queues"], all["days"][2]["queues"],
        "another seed, other days"
    );
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(&dir, "log.csv", LOG);
    let scenario = write(&dir, "one.json", ONE_QUEUE);
    let elsewhere = write(&dir, "other.json", &ONE_QUEUE.replace("\"PS\"", "\"NE\""));
    let bad_scenario = write(&dir, "bad.json", &ONE_QUEUE.replace("240", "-240"));
    let out = dir.path().join("bt");
    let o = out.to_str().unwrap();
    let (s, l, e, b) = (
        scenario.to_str().unwrap(),
        log.to_str().unwrap(),
        elsewhere.to_str().unwrap(),
        bad_scenario.to_str().unwrap(),
    );
    let cases: [(Vec<&str>, &str); 8] = [
        (
            vec![s, "--calls", "missing.csv", "--format", "csv"],
            "cannot read the file",
        ),
        (
            vec![b, "--calls", l, "--format", "csv"],
            "queues.PS.handle_time.value",
        ),
        (
            vec![s, "--calls", l, "--format", "seelab"],
            "no usable contact",
        ),
        (
            vec![e, "--calls", l, "--format", "csv"],
            "no agent in the log served a queue of the scenario",
        ),
        (
            vec![
                s,
                "--calls",
                l,
                "--format",
                "csv",
                "--from",
                "2024-01-02",
                "--to",
                "2024-01-01",
            ],
            "is after --to",
        ),
        (
            vec![s, "--calls", l, "--format", "csv", "--reps", "0"],
            "--reps: must be at least 1",
        ),
        (
            vec![s, "--calls", l, "--format", "csv", "--from", "1 May"],
            "expected a date YYYY-MM-DD",
        ),
        (
            vec![s, "--calls", l, "--format", "csv", "--off-after", "90s"],
            "--off-after: give whole minutes",
        ),
    ];
    for (args, message) in cases {
        let mut all = args.clone();
        all.extend(["--out", o]);
        let got = backtest(&all.iter().map(std::ffi::OsStr::new).collect::<Vec<_>>());
        let stderr = String::from_utf8_lossy(&got.stderr);
        assert_eq!(got.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(
            !out.join("backtest.json").exists(),
            "{args:?}: nothing written"
        );
    }
}

#[test]
fn a_map_merges_call_types_and_places_named_agents() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(&dir, "log.csv", LOG);
    let two = ONE_QUEUE.replace(
        r#""staff": {"agents": {"count": 2, "serves": ["PS"]}}"#,
        r#""staff": {"agents": {"count": 2, "serves": ["PS"]}, "team": {"count": 1, "serves": ["PS"]}}"#,
    );
    let scenario = write(&dir, "two.json", &two);
    // Unmapped, ANNA and BEN both serve exactly PS: the first group that does.
    let bt = backtest_json(&scenario, &log, &["--reps", "5"]);
    assert_eq!(
        bt["log"]["agents"],
        serde_json::json!({"agents": 2, "team": 0})
    );
    let map = write(
        &dir,
        "map.json",
        r#"{"queues": {"PS": ["PS", "XX"]}, "groups": {"team": {"agents": ["BEN"]}}}"#,
    );
    let bt = backtest_json(
        &scenario,
        &log,
        &["--reps", "5", "--map", map.to_str().unwrap()],
    );
    assert_eq!(
        bt["log"]["agents"],
        serde_json::json!({"agents": 1, "team": 1})
    );
    assert_eq!(
        num(&bt["days"][0]["queues"]["PS"]["offered"]["observed"]),
        7.0,
        "XX joins PS"
    );
    assert!(bt["log"]["other_types"].as_object().unwrap().is_empty());
}
