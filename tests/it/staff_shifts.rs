//! `callsim staff --schedule --shifts`: the requirement of a two-level stationary day covered
//! by whole shifts whose optimum is known by hand, the files it writes, and bad shift files.

use super::common::{assert_check_passes, callsim, write};
use serde_json::Value;
use std::path::Path;

/// The two-level day of the schedule tests, with its service-level target in every interval,
/// at which the requirement is the Erlang A count of each level (that test checks it).
fn two_levels() -> String {
    super::staff_schedule::two_levels(&format!(
        r#"{{"metric": "phone.service_level", "min": {}}}"#,
        super::staff_schedule::sl_target()
    ))
}

/// Twelve-hour shifts starting at 06:00 and 18:00 every day: each straddles both levels.
const STRADDLING: &str = r#"{"shifts": {
    "day": {"days": "daily", "start": "06:00", "length": "12h"},
    "night": {"days": "daily", "start": "18:00", "length": "12h"}}}"#;

/// Runs `callsim staff FILE --schedule agents --interval 6h ARGS`: stdout, stderr, exit code.
fn staff(file: &Path, args: &[&str]) -> (String, String, i32) {
    let out = callsim()
        .arg("staff")
        .arg(file)
        .args(["--schedule", "agents", "--interval", "6h"])
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn straddling_shifts_cover_the_busier_level_all_day() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "two.json", &two_levels());
    let shifts = write(&dir, "shifts.json", STRADDLING);
    let out = dir.path().join("out");
    let args = [
        "--shifts",
        shifts.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--json",
    ];
    let (stdout, stderr, code) = staff(&file, &args);
    assert_eq!(code, 0, "{stderr}{stdout}");
    let found: Value = serde_json::from_slice(stdout.as_bytes()).unwrap();
    let slots = found["slots"].as_array().unwrap();
    let need = |hour: &str| {
        let s = slots
            .iter()
            .find(|s| s["start"] == format!("mon {hour}"))
            .unwrap();
        s["requirement"].as_u64().unwrap()
    };
    let (quiet, busy) = (need("00:00"), need("12:00"));
    assert!(busy > quiet, "{found}");
    // By hand: 06:00-12:00 is the day shift's alone and 18:00-24:00 the night's, and each
    // shift also covers a busy interval, so each needs the busy level every day: `busy`
    // agents around the clock, 168 · busy agent-hours, which the LP bound confirms.
    let roster = &found["roster"];
    let hours = 168.0 * busy as f64;
    assert_eq!(roster["agent_hours"], hours, "{roster}");
    assert!(
        (roster["lower_bound"].as_f64().unwrap() - hours).abs() < 1e-6,
        "{roster}"
    );
    assert_eq!(roster["met"], true);
    let shifts = roster["shifts"].as_array().unwrap();
    assert_eq!(
        shifts.len(),
        14,
        "a day and a night shift each day: {roster}"
    );
    for s in shifts {
        assert_eq!(s["agents"], busy, "{s}");
        assert_eq!(s["on_duty_hours"], 12.0);
    }
    assert_eq!(shifts[0]["start"], "06:00");
    assert_eq!(
        shifts[1]["end"], "06:00",
        "the night shift ends the next morning"
    );
    for s in slots {
        assert_eq!(s["rostered"], busy, "{s}");
        assert_eq!(s["met"], true, "{s}");
    }
    assert_eq!(found["met"], true);

    // staffed.json holds the roster: the busy level all week, and `check` passes on it.
    let staffed: Value =
        serde_json::from_slice(&std::fs::read(out.join("staffed.json")).unwrap()).unwrap();
    assert_eq!(
        staffed["staff"]["agents"]["count"],
        serde_json::json!([["mon 00:00", busy]])
    );
    let roster_csv = std::fs::read_to_string(out.join("roster.csv")).unwrap();
    assert_eq!(roster_csv.lines().count(), 15, "{roster_csv}");
    assert!(
        roster_csv.starts_with("shift,day,start,end,on_duty_hours,agents\nday,mon,06:00,18:00,12,")
    );
    let csv = std::fs::read_to_string(out.join("requirement.csv")).unwrap();
    assert!(
        csv.starts_with(
            "interval,judged,offered_load_erlangs,original,erlang_start,requirement,rostered,met,"
        ),
        "{csv}"
    );
    assert_check_passes(&out.join("staffed.json"));
}

#[test]
fn bad_shift_files_exit_2_before_simulating_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "two.json", &two_levels());
    let days_only = write(
        &dir,
        "days.json",
        r#"{"shifts": {"day": {"days": "mon-fri", "start": "06:00", "length": "12h"}}}"#,
    );
    let misaligned = write(
        &dir,
        "odd.json",
        r#"{"shifts": {"day": {"days": "daily", "start": "07:00", "length": "12h"}}}"#,
    );
    let misspelt = write(
        &dir,
        "typo.json",
        r#"{"shifts": {"day": {"days": "daily", "starts": "06:00", "length": "12h"}}}"#,
    );
    let out = dir.path().join("out");
    let cases = [
        (days_only, "the shifts cannot cover the requirement in"),
        (
            misaligned,
            "shifts.day.start: 420 min is not on an interval boundary",
        ),
        (misspelt, "unknown field `starts`"),
        (dir.path().join("missing.json"), "cannot read the file"),
    ];
    for (shifts, message) in cases {
        let args = [
            "--shifts",
            shifts.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        let (stdout, stderr, code) = staff(&file, &args);
        assert_eq!(code, 2, "{shifts:?}: {stderr}");
        assert!(stderr.contains(message), "{shifts:?}: {stderr}");
        assert!(stdout.is_empty(), "{shifts:?}: {stdout}");
        assert!(
            !out.join("staffed.json").exists(),
            "{shifts:?}: nothing written"
        );
    }
    let (_, stderr, code) = staff(&file, &["--shifts", "x.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--out"), "{stderr}");
}
