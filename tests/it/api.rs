//! The public library surface gives what the command line gives.

use crate::common::callsim;
use callsim::{Error, Options, Scenario, simulate};
use std::path::Path;

fn shipped(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

#[test]
fn simulate_gives_the_result_json_that_run_prints() {
    let path = shipped("fpa-2020-05.json");
    let sc = Scenario::from_path(&path).unwrap();
    let options = |threads| Options {
        replications: Some(2),
        seed: Some(7),
        threads: Some(threads),
    };
    let one = serde_json::to_string_pretty(&simulate(&sc, &options(1)).unwrap()).unwrap();
    let two = serde_json::to_string_pretty(&simulate(&sc, &options(2)).unwrap()).unwrap();
    assert!(one == two, "the thread count changed the result");
    let out = callsim()
        .args(["run", "--reps", "2", "--seed", "7", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), one + "\n");
}

#[test]
fn a_scenario_given_as_json_runs_like_the_same_file() {
    let path = shipped("erlang-a-example.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let options = Options {
        replications: Some(1),
        ..Options::default()
    };
    let from_file = simulate(&Scenario::from_path(&path).unwrap(), &options).unwrap();
    let from_json = Scenario::from_json(value, "erlang-a-example.json").unwrap();
    let from_json = simulate(&from_json, &options).unwrap();
    assert_eq!(from_file.queues["phone"], from_json.queues["phone"]);
    assert_eq!(from_file.provenance.events, from_json.provenance.events);
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let extends = serde_json::json!({"extends": "base.json"});
    assert!(matches!(
        Scenario::from_json(extends, "x.json"),
        Err(Error::Invalid { .. })
    ));
    let sc = Scenario::from_path(shipped("erlang-a-example.json")).unwrap();
    let zero = Options {
        replications: Some(0),
        ..Options::default()
    };
    let message = simulate(&sc, &zero).unwrap_err().to_string();
    assert_eq!(message, "replications: must be at least 1, got 0");
    let bad_path = callsim::sweep(&sc, &["queues.nowhere.x=1,2"], &Options::default());
    assert!(bad_path.is_err());
}
