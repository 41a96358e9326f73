//! Helpers shared by the integration tests.

use assert_cmd::Command;
use callsim::model::{Replication, simulate};
use callsim::runner::replication_streams;
use callsim::scenario::{parse, validate::ValidScenario};

/// Parses and validates scenario JSON, panicking with the message on bad input.
pub fn scenario(json: &str) -> ValidScenario {
    parse(json.as_bytes(), "test.json").unwrap_or_else(|e| panic!("{e}"))
}

/// Runs replication `r` of `sc` directly on the model.
pub fn replication(sc: &ValidScenario, r: u32) -> Replication {
    simulate(sc, replication_streams(sc, r))
}

/// The callsim binary, to run as a user would.
pub fn callsim() -> Command {
    Command::cargo_bin("callsim").expect("the callsim binary is built")
}

/// Writes `text` to the file `name` in `dir` and returns its path.
pub fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Runs `callsim run FILE --calls LOG ARGS` and reads the log back: its contacts, what the
/// reader dropped or mended, and the command's stdout.
pub fn simulated_log(
    file: &std::path::Path,
    log: &std::path::Path,
    args: &[&str],
) -> (
    Vec<callsim::calllog::Call>,
    callsim::calllog::Quality,
    String,
) {
    let out = callsim()
        .arg("run")
        .arg(file)
        .arg("--calls")
        .arg(log)
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let mut calls = vec![];
    let format = callsim::calllog::Format::Csv;
    let quality = callsim::calllog::read(&[log], format, Default::default(), &mut |c| {
        calls.push(c.clone())
    })
    .unwrap();
    (
        calls,
        quality,
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Asserts that `callsim check FILE` passes (exit 0), showing its verdicts if not.
pub fn assert_check_passes(file: &std::path::Path) {
    let check = callsim().arg("check").arg(file).output().unwrap();
    let said = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{said}");
}

/// Runs `callsim staff FILE ARGS --json`: the parsed output and the exit code.
pub fn staff(file: &std::path::Path, args: &[&str]) -> (serde_json::Value, i32) {
    let out = callsim()
        .arg("staff")
        .arg(file)
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (json, out.status.code().unwrap_or(-1))
}
