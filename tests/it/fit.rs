//! `callsim fit`: on a call log simulated from a known scenario (`run --calls`), the fitted
//! estimates recover the true arrival rates, handle-time, patience, redial and daily
//! variation parameters; on the real bank slice, every output is written; bad input exits 2.

use super::common::{callsim, simulated_log, write};
use serde_json::Value;
use std::path::Path;

/// Weekdays 08:00-18:00 at 120 calls an hour with daily_cv 0.2, lognormal handle times (mean
/// 5 min, cv 0.8), exponential patience (mean 4 min), 30% of those who abandon calling again
/// after about 10 minutes; 11 agents for 10 erlangs, so a few percent abandon; 12 weeks.
const TRUTH: &str = r#"{"name": "truth", "horizon": "12w", "warmup": 0, "replications": 1, "seed": 13,
    "queues": {"phone": {"open": {"mon-fri": "08:00-18:00"},
        "arrivals": {"per_hour": 120, "daily_cv": 0.2},
        "handle_time": {"dist": "lognormal", "mean": "5m", "cv": 0.8},
        "patience": {"dist": "exponential", "mean": "4m"},
        "redial": {"probability": 0.3, "delay": {"dist": "exponential", "mean": "10m"}, "when_closed": "lost"}}},
    "staff": {"agents": {"count": {"mon-fri": {"08:00-18:00": 11}}, "serves": ["phone"]}}}"#;

fn fit(args: &[&std::ffi::OsStr]) -> std::process::Output {
    callsim().arg("fit").args(args).output().unwrap()
}

#[test]
fn fitting_a_simulated_log_recovers_the_true_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let truth = write(&dir, "truth.json", TRUTH);
    let log = dir.path().join("calls.csv");
    simulated_log(&truth, &log, &[]);
    let out = dir.path().join("fit");
    let got = fit(&[
        log.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    let stdout = String::from_utf8_lossy(&got.stdout);
    assert!(
        got.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&got.stderr)
    );
    let report: Value =
        serde_json::from_slice(&std::fs::read(out.join("fit.json")).unwrap()).unwrap();
    let q = &report["queues"]["phone"];
    let f = |v: &Value| v.as_f64().unwrap_or_else(|| panic!("{v} in {q}"));
    let near = |what: &str, got: f64, want: f64, tol: f64| {
        assert!(
            (got - want).abs() <= tol,
            "{what}: {got}, true {want} (±{tol})"
        );
    };
    // Tolerances: each about 4 standard errors of its estimate on this sample. A day's count
    // has sd about 243 (0.2 · 1,200 from the daily level, 35 from Poisson): the mean of one
    // weekday's 12 days has sd 70, the mean of all 60 weekdays 31.
    let weekdays: Vec<f64> = (0..5).map(|w| f(&q["per_weekday"][w])).collect();
    for (w, n) in weekdays.iter().enumerate() {
        near(&format!("calls on weekday {w}"), *n, 1200.0, 300.0);
    }
    near(
        "calls per weekday",
        weekdays.iter().sum::<f64>() / 5.0,
        1200.0,
        125.0,
    );
    assert_eq!(f(&q["per_weekday"][5]), 0.0);
    // daily_cv from 60 days: its sd is about 0.02 here.
    near("daily_cv", f(&q["daily_cv"]), 0.2, 0.08);
    // About 70,000 services: the lognormal's mean is within 1% (sd 0.3%), its cv within 0.03.
    let l = &q["handle"]["lognormal"];
    near("handle mean", f(&l["mean_s"]), 300.0, 3.0);
    near("handle cv", f(&l["cv"]), 0.8, 0.03);
    assert_eq!(
        q["handle"]["chosen"], "lognormal",
        "a true lognormal passes KS: {l}"
    );
    // Thousands of abandonments: the censored MLE of a 240 s mean within 10% (sd about 2%).
    near(
        "patience mean",
        f(&q["patience"]["exponential"]["mean_s"]),
        240.0,
        24.0,
    );
    // The true patience is exponential: it follows the Kaplan-Meier curve (gap 0.007 here),
    // the lognormal does not (0.07), and the exponential is chosen.
    let p = &q["patience"];
    assert_eq!(p["chosen"], "exponential", "{p}");
    assert!(
        f(&p["lognormal"]["max_gap_to_kaplan_meier"])
            > 2.0 * f(&p["exponential"]["max_gap_to_kaplan_meier"]),
        "{p}"
    );
    // Redials: 30% of abandonments (sd about 1 point), after 600 s (sd about 4%).
    let r = &q["redial"];
    near("redial probability", f(&r["probability"]), 0.3, 0.05);
    near("redial delay", f(&r["mean_delay_s"]), 600.0, 90.0);

    // The fitted scenario is valid and says where its numbers come from.
    let scenario: Value =
        serde_json::from_slice(&std::fs::read(out.join("scenario.json")).unwrap()).unwrap();
    assert!(
        scenario["description"]
            .as_str()
            .unwrap()
            .contains("patience exponential"),
        "{scenario}"
    );
    // Staffing, inferred from the services of the numbered agents of `run --calls`: 11 agents
    // all day (10 erlangs keep them busy, so none goes unseen); at 08:00-08:30 one or two are
    // not seen yet (on duty from their first call); after 18:00 those finishing a call.
    let count = scenario["staff"]["agents_phone"]["count"]
        .as_array()
        .unwrap();
    for day in ["mon", "tue", "wed", "thu", "fri"] {
        let at = |clock: &str| {
            count
                .iter()
                .find(|s| s[0] == format!("{day} {clock}"))
                .map(|s| f(&s[1]))
        };
        assert!(
            matches!(at("08:00"), Some(9.0..=11.0)),
            "{day} 08:00: {count:?}"
        );
        assert_eq!(at("08:30"), Some(11.0), "{day}: {count:?}");
        let from_0830 = count
            .iter()
            .position(|s| s[0] == format!("{day} 08:30"))
            .unwrap();
        assert!(
            f(&count[from_0830 + 1][1]) < 11.0
                && count[from_0830 + 1][0].as_str().unwrap() >= format!("{day} 18:00").as_str(),
            "{day}: 11 agents to 18:00: {count:?}"
        );
    }
    let check = callsim()
        .arg("validate")
        .arg(out.join("scenario.json"))
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    for plot in [
        "fit-arrivals-phone.png",
        "fit-handle-phone.svg",
        "fit-patience-phone.png",
        "fit-agents-agents_phone.png",
    ] {
        assert!(out.join(plot).metadata().unwrap().len() > 1000, "{plot}");
    }
    assert!(stdout.contains("phone:"), "{stdout}");
}

#[test]
fn a_log_too_sparse_for_staffing_and_bad_input_exit_2_writing_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let slice =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anonymous-bank-1999-slice.txt");
    let out = dir.path().join("fit");
    // Twelve rows over three months: no agent is on duty long enough to staff a scenario.
    let got = fit(&[
        slice.as_os_str(),
        "--format".as_ref(),
        "seelab".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&got.stderr);
    assert_eq!(got.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the log shows no agent on duty"),
        "{stderr}"
    );
    assert!(!out.join("scenario.json").exists());
    let bad: [(Vec<&std::ffi::OsStr>, &str); 4] = [
        (
            vec![
                "missing.txt".as_ref(),
                "--format".as_ref(),
                "seelab".as_ref(),
                "--out".as_ref(),
                out.as_os_str(),
            ],
            "cannot read the file",
        ),
        (
            vec![
                slice.as_os_str(),
                "--format".as_ref(),
                "csv".as_ref(),
                "--out".as_ref(),
                out.as_os_str(),
            ],
            "the header must name the columns",
        ),
        (
            vec![
                slice.as_os_str(),
                "--format".as_ref(),
                "seelab".as_ref(),
                "--from".as_ref(),
                "1999-02-01".as_ref(),
                "--to".as_ref(),
                "1999-01-01".as_ref(),
                "--out".as_ref(),
                out.as_os_str(),
            ],
            "is after --to",
        ),
        (
            vec![
                slice.as_os_str(),
                "--format".as_ref(),
                "seelab".as_ref(),
                "--from".as_ref(),
                "2001-01-01".as_ref(),
                "--out".as_ref(),
                out.as_os_str(),
            ],
            "no usable contact",
        ),
    ];
    for (args, message) in bad {
        let got = fit(&args);
        let stderr = String::from_utf8_lossy(&got.stderr);
        assert_eq!(got.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    assert!(
        !out.join("fit.json").exists(),
        "nothing written for bad input"
    );
}

#[test]
fn a_map_merges_call_types_names_groups_and_sets_head_starts() {
    let dir = tempfile::tempdir().unwrap();
    let truth = write(&dir, "truth.json", &TRUTH.replace("\"12w\"", "\"2w\""));
    let log = dir.path().join("calls.csv");
    simulated_log(&truth, &log, &[]);
    let map = write(
        &dir,
        "map.json",
        r#"{"queues": {"retail": ["phone"]},
            "groups": {"crew": {"agents": ["agents-1", "agents-2"]}},
            "head_start": {"0": "10s"}}"#,
    );
    let out = dir.path().join("fit");
    let got = fit(&[
        log.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
        "--map".as_ref(),
        map.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(
        got.status.success(),
        "{}",
        String::from_utf8_lossy(&got.stderr)
    );
    let scenario: Value =
        serde_json::from_slice(&std::fs::read(out.join("scenario.json")).unwrap()).unwrap();
    let queues: Vec<&String> = scenario["queues"].as_object().unwrap().keys().collect();
    assert_eq!(queues, ["retail"], "phone is merged into retail");
    // Every call is of priority 0 in callsim's own logs: all of them get the map's head start.
    assert_eq!(
        scenario["queues"]["retail"]["classes"],
        serde_json::json!({"priority": {"share": 1.0, "head_start": "10s"}})
    );
    let report: Value =
        serde_json::from_slice(&std::fs::read(out.join("fit.json")).unwrap()).unwrap();
    let staff = report["staff"].as_object().unwrap();
    assert_eq!(
        staff["crew"]["agents"],
        serde_json::json!(["agents-1", "agents-2"])
    );
    assert_eq!(staff["crew"]["serves"], serde_json::json!(["retail"]));
    let others = staff["agents_retail"]["agents"].as_array().unwrap().len();
    assert!(
        others >= 9,
        "the other agents are grouped as inferred: {others}"
    );
    // A bad map is bad input, named by its key.
    let bad = write(
        &dir,
        "bad.json",
        r#"{"queues": {"a": ["phone"], "b": ["phone"]}}"#,
    );
    let got = fit(&[
        log.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
        "--map".as_ref(),
        bad.as_os_str(),
        "--out".as_ref(),
        dir.path().join("bad").as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&got.stderr);
    assert_eq!(got.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("queues.b"), "{stderr}");
}
