//! The rough edges a new user hit (issue 11): one test per finding, each failing on the code
//! before its fix.

use crate::common::{callsim, write};

/// A small scenario: one queue, agents and a target on the ASA.
const SMALL: &str = r#"{"name": "small", "horizon": "20h", "replications": 3, "seed": 2,
  "queues": {"phone": {"arrivals": {"per_hour": 100},
                       "handle_time": {"dist": "exponential", "mean": "3m"},
                       "patience": {"dist": "exponential", "mean": "3m"}}},
  "staff": {"agents": {"count": 6, "serves": ["phone"]}},
  "targets": [{"metric": "phone.asa_s", "max": "2m"}]}"#;

fn stdout_of(args: &[&str], files: &[&std::path::Path]) -> (String, String, i32) {
    let out = callsim().args(args).args(files).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (
        text(out.stdout),
        text(out.stderr),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn check_json_has_one_met_key_per_target() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "small.json", SMALL);
    let (json, _, code) = stdout_of(&["check", "--json"], &[&f]);
    assert_eq!(code, 0, "{json}");
    // serde_json keeps the last of duplicate keys, so count them in the text.
    assert_eq!(json.matches("\"met\":").count(), 1, "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let t = &v[0]["targets"][0];
    assert_eq!(t["passed"], true);
    assert!(t["met"].is_boolean() && t["met_strict"].is_boolean());
}

#[test]
fn run_check_and_report_say_the_same_verdict_word() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "small.json", SMALL);
    let (run, _, _) = stdout_of(&["run", "--json"], &[&f]);
    let v: serde_json::Value = serde_json::from_str(&run).unwrap();
    let e = &v["queues"]["phone"]["asa_s"];
    let (mean, hi) = (e["mean"].as_f64().unwrap(), e["ci95"][1].as_f64().unwrap());
    // A bound between the mean and the interval's top: met by the mean, crossed by the ci95.
    let bound = (mean + hi) / 2.0;
    let text = SMALL.replace(r#""max": "2m""#, &format!(r#""max": {bound}"#));
    let f = write(&dir, "close.json", &text);
    let out = dir.path().join("out");
    let (table, _, _) = stdout_of(&["run", "--out", out.to_str().unwrap()], &[&f]);
    let line = table
        .lines()
        .find(|l| l.contains("phone.asa_s <="))
        .unwrap();
    assert!(line.ends_with(" met?"), "{line}");
    let (check, _, code) = stdout_of(&["check"], &[&f]);
    assert!(check.starts_with("met?") && code == 0, "{check}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains(">met?</td>"), "report.html says met?");
}

#[test]
fn a_multi_file_check_ends_with_a_summary_and_warns_of_no_targets() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(&dir, "a.json", SMALL);
    let untargeted = SMALL
        .replace(r#""max": "2m"}]"#, "")
        .replace(r#"[{"metric": "phone.asa_s", "#, "[]")
        .replace(r#""name": "small""#, r#""name": "b""#);
    let b = write(&dir, "b.json", &untargeted);
    let (out, err, code) = stdout_of(&["check"], &[&a, &b]);
    assert_eq!(code, 0);
    assert_eq!(
        out.lines().last(),
        Some("passed: 1 met, 0 missed in 2 scenarios, 1 without targets")
    );
    assert!(err.contains("warning: b: no targets to check"), "{err}");
    let (out, err, _) = stdout_of(&["check"], &[&a]);
    assert!(
        !out.contains("scenarios") && !err.contains("no targets"),
        "{out}"
    );
}

#[test]
fn check_labels_same_named_scenarios_apart_as_run_does() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(&dir, "a.json", SMALL);
    let more = SMALL.replace(r#""count": 6"#, r#""count": 5"#);
    let b = write(&dir, "b.json", &more);
    let multi = dir.path().join("multi");
    let (_, _, code) = stdout_of(&["run", "--out", multi.to_str().unwrap()], &[&a, &b]);
    assert_eq!(code, 0);
    let (out, err, code) = stdout_of(&["check", "--baseline", multi.to_str().unwrap()], &[&a, &b]);
    assert!(
        !out.contains("REGRESSED"),
        "each compared with its own result:\n{out}"
    );
    assert_eq!(code, 0, "{err}");
    let junit = dir.path().join("j.xml");
    stdout_of(&["check", "--junit", junit.to_str().unwrap()], &[&a, &b]);
    let xml = std::fs::read_to_string(junit).unwrap();
    assert!(xml.contains("testsuite name=\"a\"") && xml.contains("testsuite name=\"b\""));
}

#[test]
fn reps_above_the_limit_name_the_option_given() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "small.json", SMALL);
    let (_, err, code) = stdout_of(&["run", "--reps", "1001"], &[&f]);
    assert_eq!(code, 2);
    assert!(err.starts_with("error: --reps 1001:"), "{err}");
    assert!(err.contains("--max-reps 1001"), "says how: {err}");
}

#[test]
fn help_says_what_out_writes() {
    let (run, _, _) = stdout_of(&["run", "--help"], &[]);
    assert!(run.contains("report.html"), "{run}");
    let (sweep, _, _) = stdout_of(&["sweep", "--help"], &[]);
    assert!(sweep.contains("plots"), "{sweep}");
}

/// Runs callsim under a 2 GB address-space limit (a shell's `ulimit -v`), as a user's
/// container would, so that a structure growing with an input fails here instead of
/// exhausting the machine.
fn limited(args: &[&str]) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("callsim");
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let script = format!(
        "ulimit -v 2000000; exec '{}' {}",
        bin.display(),
        quoted.join(" ")
    );
    std::process::Command::new("sh")
        .args(["-c", &script])
        .output()
        .unwrap()
}

#[test]
fn a_huge_staff_count_costs_no_memory() {
    let dir = tempfile::tempdir().unwrap();
    let text = SMALL.replace(r#""count": 6"#, r#""count": 4294967295"#);
    let f = write(&dir, "huge.json", &text);
    let out = limited(&["run", "--json", f.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["queues"]["phone"]["asa_s"]["mean"], 0.0, "nobody waits");
    let agents = v["staff"]["agents"]["agents_mean"]["mean"]
        .as_f64()
        .unwrap();
    assert_eq!(agents, 4294967295.0);
}

#[test]
fn durations_beyond_100_years_are_refused_with_their_key_path() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            r#""handle_time": {"dist": "exponential", "mean": "3m"}"#,
            r#""handle_time": {"dist": "empirical", "values": [1e308, 0]}"#,
            "queues.phone.handle_time.values[0]: a duration must be at most 100 years",
        ),
        (
            r#""handle_time": {"dist": "exponential", "mean": "3m"}"#,
            r#""handle_time": {"dist": "fixed", "value": "1e14s"}"#,
            "queues.phone.handle_time.value: a duration must be at most 100 years",
        ),
        (
            r#""patience": {"dist": "exponential", "mean": "3m"}"#,
            r#""patience": {"dist": "exponential", "mean": "3m"},
               "redial": {"probability": 0.5, "delay": {"dist": "fixed", "value": 1e16}}"#,
            "queues.phone.redial.delay.value: a duration must be at most 100 years",
        ),
    ];
    for (from, to, message) in cases {
        let f = write(&dir, "far.json", &SMALL.replace(from, to));
        let (_, err, code) = stdout_of(&["run"], &[&f]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(message), "{err}");
    }
}

/// SMALL with a staff schedule of 1,440 one-minute entries, so that checking one point costs
/// what a big real schedule costs.
fn minute_schedule() -> String {
    let entries: Vec<String> = (0..1440)
        .map(|m| {
            let (a, b) = (m, m + 1);
            format!(
                "\"{:02}:{:02}-{:02}:{:02}\": 6",
                a / 60,
                a % 60,
                b / 60,
                b % 60
            )
        })
        .collect();
    let schedule = format!("{{\"mon-sun\": {{{}}}}}", entries.join(", "));
    SMALL.replace(r#""count": 6"#, &format!(r#""count": {schedule}"#))
}

#[test]
fn a_sweep_block_is_checked_by_its_values_not_its_points() {
    let dir = tempfile::tempdir().unwrap();
    let text = minute_schedule().replacen('{', r#"{"sweep": {"set": {"seed": "1..1000"}}, "#, 1);
    let f = write(&dir, "block.json", &text);
    // Every point was checked in full (over 60 s); now a setting's representative values
    // are (pinned by sweep::tests::representatives_*), and a bad one is still named.
    let (out, err, code) = stdout_of(&["validate"], &[&f]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ok"), "{out}");
    let bad = text.replace(
        r#""seed": "1..1000""#,
        r#""staff.agents.count": [7, -2, 9]"#,
    );
    let f = write(&dir, "bad.json", &bad);
    let (_, err, code) = stdout_of(&["validate"], &[&f]);
    assert_eq!(code, 2);
    assert!(
        err.contains("(staff.agents.count=-2)"),
        "the bad value named: {err}"
    );
}

#[test]
fn a_product_beyond_the_point_limit_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "small.json", SMALL);
    let args = [
        "sweep",
        "--set",
        "staff.agents.count=1..1000",
        "--set",
        "seed=1..1000",
    ];
    let out = limited(&[&args[..], &[f.to_str().unwrap()]].concat());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--set: 1000000 points (1000 x 1000) are more than 10000"),
        "{err}"
    );
}

#[test]
fn a_bad_base_is_named_after_the_file_given_and_its_chain() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir, "broken.json", "{\"horizon\": \"1d\",\n  oops }");
    let uses = write(&dir, "uses-broken.json", r#"{"extends": "broken.json"}"#);
    let deeper = write(&dir, "deeper.json", r#"{"extends": "uses-broken.json"}"#);
    let (_, err, code) = stdout_of(&["validate"], &[&uses]);
    assert_eq!(code, 2);
    let d = dir.path().display();
    let want = format!("uses-broken.json: extends: {d}/broken.json:2:3: JSON syntax error");
    assert!(err.starts_with("error: ") && err.contains(&want), "{err}");
    let (_, err, _) = stdout_of(&["validate"], &[&deeper]);
    let want = format!("deeper.json: extends: {d}/uses-broken.json → {d}/broken.json:2:3:");
    assert!(err.contains(&want), "{err}");
    for (text, kind) in [("[1, 2]", "an array"), ("3", "a number"), ("null", "null")] {
        write(&dir, "odd.json", text);
        let f = write(&dir, "uses-odd.json", r#"{"extends": "odd.json"}"#);
        let (_, err, code) = stdout_of(&["validate"], &[&f]);
        assert_eq!(code, 2, "a base that is {kind} is an error, not ignored");
        assert!(
            err.contains(&format!("odd.json is {kind}, not a scenario")),
            "{err}"
        );
    }
}

#[test]
fn a_chain_of_17_files_is_no_cycle() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir, "f17.json", SMALL);
    for i in 1..17 {
        write(
            &dir,
            &format!("f{i}.json"),
            &format!(r#"{{"extends": "f{}.json"}}"#, i + 1),
        );
    }
    let (out, err, code) = stdout_of(&["validate"], &[&dir.path().join("f1.json")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("ok"));
}

#[test]
fn a_raw_newline_in_a_key_stays_on_the_message_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = SMALL.replacen('{', r#"{"bad\nkey": 1, "#, 1);
    let f = write(&dir, "nl.json", &text);
    let (_, err, code) = stdout_of(&["validate"], &[&f]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("nl.json: bad\\nkey: unknown field"),
        "{err}"
    );
}

#[test]
fn the_daily_line_shows_the_threshold_with_its_digits() {
    let dir = tempfile::tempdir().unwrap();
    let text = SMALL
        .replace(r#""horizon": "20h""#, r#""horizon": "3d""#)
        .replace(r#""max": "2m""#, r#""max": 8.7"#);
    let f = write(&dir, "tight.json", &text);
    let (out, err, code) = stdout_of(&["run"], &[&f]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("days with ASA <= 8.7 s:"), "{out}");
}

/// One queue of `per_hour` calls over `horizon` to a single agent, callers leaving after a
/// minute: the overload that used to run for minutes without a word.
fn overloaded(per_hour: u32, horizon: &str) -> String {
    format!(
        r#"{{"horizon": "{horizon}", "replications": 1,
  "queues": {{"q": {{"arrivals": {{"per_hour": {per_hour}}},
                   "handle_time": {{"dist": "exponential", "mean": "3m"}},
                   "patience": {{"dist": "exponential", "mean": "1m"}}}}}},
  "staff": {{"a": {{"count": 1, "serves": ["q"]}}}}}}"#
    )
}

#[test]
fn a_runaway_volume_with_patience_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    // 1e6 calls an hour for a week: 1.68e8 calls, each simulated to its abandonment.
    let f = write(&dir, "runaway.json", &overloaded(1_000_000, "1w"));
    let (out, err, code) = stdout_of(&["run"], &[&f]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("queues.q.arrivals: the queues expect 168000000 calls over the horizon"),
        "{err}"
    );
}

#[test]
fn huge_loads_are_worded_in_exponent_form() {
    let dir = tempfile::tempdir().unwrap();
    let json = r#"{"horizon": "1h", "replications": 2,
      "queues": {"q": {"arrivals": {"per_hour": 1e7},
                       "handle_time": {"dist": "fixed", "value": "100d"}}},
      "staff": {"a": {"count": 1, "serves": ["q"]}}}"#;
    let f = write(&dir, "huge.json", json);
    let (_, err, _) = stdout_of(&["validate"], &[&f]);
    let warning = err.lines().find(|l| l.contains("offered load")).unwrap();
    // 1e7/h * 100 d = 2.4e10 erlangs: printed as such, not as 11 digits and a decimal.
    assert!(
        warning.contains("offered load 2.400e10 erlangs"),
        "{warning}"
    );
}

#[test]
fn a_long_replication_moves_the_progress_bar_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    // About 2.4e6 calls: a second or so of one core, long enough for several frames of the
    // bar (indicatif draws at most 20 a second) even on a machine several times faster.
    let f = write(&dir, "long.json", &overloaded(100_000, "1d"));
    let bin = env!("CARGO_BIN_EXE_callsim");
    // `script` gives the child a pseudo-terminal, where the bar is drawn.
    let command = format!("{bin} run {}", f.display());
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let screen = String::from_utf8_lossy(&out.stdout).replace('\r', "\n");
    let percents: std::collections::BTreeSet<u32> = screen
        .lines()
        .filter(|l| l.contains("long, 1 replication ["))
        .filter_map(|l| l.split("] ").nth(1)?.split('%').next()?.trim().parse().ok())
        .collect();
    let between = percents.iter().filter(|&&p| p > 0 && p < 100).count();
    assert!(
        between >= 1,
        "no frame inside the replication: {percents:?}"
    );
}

#[test]
fn every_unknown_key_is_listed_at_once_then_the_next_error() {
    let dir = tempfile::tempdir().unwrap();
    let text = SMALL
        .replace(r#""seed": 2,"#, r#""seed": 2, "colour": "red","#)
        .replace(r#""patience""#, r#""patients""#)
        .replace(r#""count": 6"#, r#""count": -1"#);
    let f = write(&dir, "typos.json", &text);
    let (_, err, code) = stdout_of(&["validate"], &[&f]);
    assert_eq!(code, 2, "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0].contains(": colour: unknown field `colour`"),
        "{err}"
    );
    assert!(
        lines[0].ends_with("(line 1, column 74)"),
        "the first keeps its place: {err}"
    );
    assert!(
        lines[1].contains(": queues.phone.patients: unknown field"),
        "{err}"
    );
    assert!(
        lines[2].contains(": staff.agents.count"),
        "then the wrong type: {err}"
    );
    assert_eq!(lines.len(), 3, "{err}");
}

#[test]
fn an_unwritable_out_dir_is_refused_before_simulating() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "one.json",
        &SMALL.replace(r#""replications": 3"#, r#""replications": 1"#),
    );
    // /proc/self is a directory nobody, not even root, can create files in.
    let (out, err, code) = stdout_of(&["run", "--out", "/proc/self"], &[&f]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("/proc/self/result.json: cannot write"),
        "{err}"
    );
    // The one-replication warning comes from a finished run: there was none.
    assert!(!err.contains("warning:"), "it simulated first: {err}");
    let (out, err, code) = stdout_of(&["check", "--junit", "/proc/self/junit.xml"], &[&f]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty(), "no verdicts before the write error: {out}");
}

#[test]
fn a_failed_write_leaves_the_older_outputs_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "small.json", SMALL);
    let out = dir.path().join("out");
    let out_arg = out.to_str().unwrap();
    assert_eq!(stdout_of(&["run", "--out", out_arg], &[&f]).2, 0);
    let before = std::fs::read(out.join("result.json")).unwrap();
    // A directory in the way of report.html's temporary file: the last file fails.
    std::fs::create_dir(out.join("report.html.tmp")).unwrap();
    let (_, err, code) = stdout_of(&["run", "--out", out_arg, "--seed", "9"], &[&f]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read(out.join("result.json")).unwrap(), before);
    let tmps: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp") && n != "report.html.tmp")
        .collect();
    assert!(tmps.is_empty(), "{tmps:?}");
}

#[test]
fn sigterm_ends_a_run_with_130_and_no_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "long.json", &overloaded(100_000, "1w"));
    let out = dir.path().join("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_callsim"))
        .args(["run", "--out", out.to_str().unwrap()])
        .arg(&f)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the run has started (its out dir exists), then stop it as a scheduler would.
    while !out.exists() {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // The shell's built-in kill: no procps needed.
    let killed = std::process::Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", child.id())])
        .status();
    assert!(killed.unwrap().success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn intervals_stay_within_what_a_metric_can_be() {
    let dir = tempfile::tempdir().unwrap();
    // Two replications of a lightly loaded queue: wide intervals around small waits, which a
    // plain mean ± t half-width takes below zero.
    let text = SMALL
        .replace(r#""replications": 3"#, r#""replications": 2"#)
        .replace(r#""count": 6"#, r#""count": 9"#);
    let f = write(&dir, "light.json", &text);
    let out = dir.path().join("out");
    let (json, _, code) = stdout_of(&["run", "--json", "--out", out.to_str().unwrap()], &[&f]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut cut = 0;
    for (name, e) in v["queues"]["phone"].as_object().unwrap() {
        let (Some(m), Some(lo), Some(hi)) = (
            e["mean"].as_f64(),
            e["ci95"][0].as_f64(),
            e["ci95"][1].as_f64(),
        ) else {
            continue;
        };
        assert!(lo >= 0.0 && lo <= m && m <= hi, "{name}: {e}");
        if name.contains("rate") || name.contains("level") {
            assert!(hi <= 1.0, "{name}: {e}");
        }
        cut += usize::from(lo == 0.0 && m > 0.0);
    }
    assert!(
        cut > 0,
        "the case must reach a cut, or it tests nothing: {v}"
    );
    let csv = std::fs::read_to_string(out.join("intervals.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let headers = rows.headers().unwrap().clone();
    for row in rows.records() {
        let row = row.unwrap();
        for (h, cell) in headers.iter().zip(row.iter()) {
            if h.ends_with("_lo") && !cell.is_empty() {
                assert!(cell.parse::<f64>().unwrap() >= 0.0, "{h} = {cell}");
            }
        }
    }
    let (table, _, _) = stdout_of(&["run"], &[&f]);
    assert!(
        table.contains(" [0.0"),
        "a cut interval is shown as [lo, hi]: {table}"
    );
}

#[test]
fn a_small_significant_difference_is_printed_with_its_digits() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        &dir,
        "nine.json",
        &SMALL.replace(r#""count": 6"#, r#""count": 9"#),
    );
    // A tenth agent: queue_len_mean drops by a few hundredths, a real difference that one
    // decimal printed as `-0.0 ± 0.0 *`.
    let (out, _, code) = stdout_of(
        &["compare", "--set", "staff.agents.count=10", "--reps", "10"],
        &[&f],
    );
    assert_eq!(code, 0, "{out}");
    for line in out.lines().filter(|l| l.ends_with(" *")) {
        assert!(
            !line.contains(" 0.0 ± 0.0"),
            "significant, yet printed as zero: {line}"
        );
        // The difference is the number before "±", maybe followed by its unit.
        let before = line.split(" ±").next().unwrap().split_whitespace();
        let number = before
            .rev()
            .find_map(|w| w.trim_start_matches('+').parse::<f64>().ok());
        assert!(number.unwrap() != 0.0, "{line}");
    }
    let queue_len = out
        .lines()
        .find(|l| l.starts_with("phone.queue_len_mean"))
        .unwrap();
    assert!(
        queue_len.contains(" *"),
        "the case must be significant: {queue_len}"
    );
}

#[test]
fn agents_starting_while_a_guard_lifts_are_counted_once() {
    // Found by the property tests: at 06:00 three agents start; the first takes a call, the
    // queue drops to the guard's threshold, and the wake-up hands the outbound work to the
    // other two new agents. The start-up loop then took agents that were no longer idle, and
    // utilization came out at 131%.
    let dir = tempfile::tempdir().unwrap();
    let json = r#"{"horizon": "2d", "replications": 3, "seed": 14,
      "queues": {
        "q0": {"arrivals": {"per_hour": 57}, "handle_time": {"dist": "fixed", "value": "17m"},
               "patience": {"dist": "empirical", "values": ["10m", "3m", "10m"]}},
        "out": {"arrivals": {"per_day": 100, "process": "even"},
                "handle_time": {"dist": "exponential", "mean": "3m"},
                "guard": {"queue": "q0", "max_waiting": 5}}},
      "staff": {"g0": {"count": {"mon-sun": {"06:00-18:00": 3, "18:00-24:00": 1}},
                       "serves": ["q0", "out"]}}}"#;
    let f = write(&dir, "guard.json", json);
    let (out, err, code) = stdout_of(&["run", "--json"], &[&f]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let u = v["staff"]["g0"]["utilization"]["mean"].as_f64().unwrap();
    assert!(u <= 1.0, "utilization {u}");
}
