//! Same scenario, seed and replications: byte-identical JSON whatever the thread count.

use assert_cmd::Command;
use std::path::Path;

fn json_with_threads(threads: &str) -> Vec<u8> {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/erlang-a-example.json");
    let out = Command::cargo_bin("callsim")
        .unwrap()
        .args(["run", "--json", "--reps", "6", "--threads", threads])
        .arg(scenario)
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout
}

#[test]
fn json_is_byte_identical_for_1_2_and_8_threads() {
    let one = json_with_threads("1");
    assert!(one.len() > 1000);
    assert!(one == json_with_threads("2"), "2 threads differ from 1");
    assert!(one == json_with_threads("8"), "8 threads differ from 1");
    assert!(one == json_with_threads("1"), "a second run differs");
}

#[test]
fn replications_draw_from_different_streams() {
    let sc = super::common::scenario(
        r#"{"horizon": "10h", "seed": 3,
            "queues": {"q": {"arrivals": {"per_hour": 50}, "handle_time": {"dist": "exponential", "mean": 60}}},
            "staff": {"a": {"count": 3, "serves": ["q"]}}}"#,
    );
    let a = super::common::replication(&sc, 0).queues[0].wait_answered_s;
    let b = super::common::replication(&sc, 1).queues[0].wait_answered_s;
    let a2 = super::common::replication(&sc, 0).queues[0].wait_answered_s;
    assert_eq!(a, a2, "a replication is a function of (seed, replication)");
    assert_ne!(a, b, "two replications produced the same arrivals");
}

#[test]
fn sweep_json_is_byte_identical_for_1_and_2_threads() {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/erlang-a-example.json");
    let sweep = |threads: &str| {
        let args = [
            "sweep",
            "--json",
            "--reps",
            "3",
            "--set",
            "staff.agents.count=32,34",
            "--threads",
            threads,
        ];
        let out = Command::cargo_bin("callsim")
            .unwrap()
            .args(args)
            .arg(&scenario)
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    assert!(
        sweep("1") == sweep("2"),
        "the sweep depends on the thread count"
    );
}
