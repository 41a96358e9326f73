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
        cancel: None,
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

/// `callsim ARGS --json`'s stdout, pretty JSON as the commands print it.
fn cli_json(args: &[&str]) -> String {
    let out = callsim().args(args).arg("--json").output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn compare_check_and_sweep_values_give_what_their_commands_print() {
    let path = shipped("erlang-a-example.json");
    let file = path.to_str().unwrap();
    let sc = Scenario::from_path(&path).unwrap();
    let options = Options {
        replications: Some(2),
        ..Default::default()
    };
    let variant =
        callsim::api::variant(&sc, &[("staff.agents.count".into(), serde_json::json!(34))])
            .unwrap();
    let compared = callsim::api::compare(&sc, &variant, &options).unwrap();
    let cli = cli_json(&[
        "compare",
        file,
        "--set",
        "staff.agents.count=34",
        "--reps",
        "2",
    ]);
    assert_eq!(pretty(&compared), cli);
    let checked = callsim::api::check(&sc, true, &options).unwrap();
    let cli = cli_json(&["check", file, "--strict", "--reps", "2"]);
    assert_eq!(pretty(&[&checked]), cli);
    // Values given as JSON, zipped: the same sweep as --set ... --zip.
    let settings = [
        (
            "staff.agents.count".to_string(),
            vec![serde_json::json!(32), serde_json::json!(34)],
        ),
        (
            "queues.phone.patience.mean".to_string(),
            vec![serde_json::json!("3m"), serde_json::json!("5m")],
        ),
    ];
    let swept = callsim::api::sweep_values(&sc, &settings, (true, false), &options).unwrap();
    assert_eq!(swept.points.len(), 2);
    let cli = cli_json(&[
        "sweep",
        file,
        "--set",
        "staff.agents.count=32,34",
        "--set",
        "queues.phone.patience.mean=3m,5m",
        "--zip",
        "--reps",
        "2",
    ]);
    assert_eq!(pretty(&swept), cli);
    assert_eq!(
        callsim::api::schema(),
        serde_json::from_str::<serde_json::Value>(
            &String::from_utf8(callsim().arg("schema").output().unwrap().stdout).unwrap()
        )
        .unwrap()
    );
}

/// A result as the commands print it with `--json`.
fn pretty<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap() + "\n"
}

#[test]
fn bad_values_name_their_key_path() {
    let sc = Scenario::from_path(shipped("erlang-a-example.json")).unwrap();
    let err = callsim::api::variant(
        &sc,
        &[(
            "queues.phone.handle_time.mean".into(),
            serde_json::json!(-5),
        )],
    )
    .unwrap_err();
    assert_eq!(
        err.key_path(),
        Some("queues.phone.handle_time.mean"),
        "{err}"
    );
    let err = callsim::api::variant(&sc, &[("staff.nobody.count".into(), serde_json::json!(3))])
        .unwrap_err();
    assert_eq!(err.key_path(), None);
    assert!(err.to_string().contains("no \"staff.nobody\""), "{err}");
}

#[test]
fn a_cancelled_call_stops_its_replications_and_says_so() {
    use callsim::api::Cancel;
    let sc = Scenario::from_path("scenarios/fpa-2020-05.json").unwrap();
    let cancel = Cancel::new();
    let options = Options {
        // About 40 minutes of simulation on 2 cores: the test ends only if the cancel works.
        replications: Some(100_000),
        threads: Some(2),
        cancel: Some(cancel.clone()),
        ..Options::default()
    };
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(200));
        cancel.cancel();
    });
    let result = callsim::simulate(&sc, &options);
    canceller.join().unwrap();
    assert!(
        matches!(result, Err(callsim::Error::Cancelled)),
        "{result:?}"
    );
    let before = Options {
        cancel: Some(Cancel::new()),
        ..Options::default()
    };
    before.cancel.as_ref().unwrap().cancel();
    let sweep = callsim::api::sweep(
        &sc,
        &["staff.office_staff.reassign.count=0..100:10"],
        &before,
    );
    assert!(matches!(sweep, Err(callsim::Error::Cancelled)));
    let fresh = Options {
        replications: Some(2),
        cancel: Some(Cancel::new()),
        ..Options::default()
    };
    assert_eq!(
        serde_json::to_string(&callsim::simulate(&sc, &fresh).unwrap()).unwrap(),
        serde_json::to_string(
            &callsim::simulate(
                &sc,
                &Options {
                    replications: Some(2),
                    ..Options::default()
                }
            )
            .unwrap()
        )
        .unwrap(),
        "a handle never cancelled changes nothing"
    );
}
