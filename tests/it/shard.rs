//! `run`, `check` and `sweep` with `--shard K/N`, and `callsim merge`: shards merged give byte
//! for byte what the whole command prints and writes, for any N (also more shards than units);
//! merges of the wrong shards are refused, naming the culprit.

use super::common::{callsim, write};
use std::path::{Path, PathBuf};

/// `run FILE --shard k/n --out DIR` for every k, into `dir`; the shard directories.
fn shards(file: &Path, n: u32, dir: &Path, extra: &[&str]) -> Vec<PathBuf> {
    shards_of("run", file, n, dir, extra)
}

/// `COMMAND FILE --shard k/n --out DIR` for every k, into `dir`; the shard directories.
fn shards_of(command: &str, file: &Path, n: u32, dir: &Path, extra: &[&str]) -> Vec<PathBuf> {
    (1..=n)
        .map(|k| {
            let out = dir.join(format!("shard-{k}-of-{n}"));
            let got = callsim()
                .arg(command)
                .arg(file)
                .args(["--shard", &format!("{k}/{n}"), "--out"])
                .arg(&out)
                .args(extra)
                .output()
                .unwrap();
            assert!(
                got.status.success(),
                "{}",
                String::from_utf8_lossy(&got.stderr)
            );
            out
        })
        .collect()
}

fn merge(dirs: &[PathBuf], extra: &[&str]) -> std::process::Output {
    callsim()
        .arg("merge")
        .args(dirs)
        .args(extra)
        .output()
        .unwrap()
}

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

#[test]
fn merged_shards_are_the_whole_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    // erlang-a-example has 8 replications, fpa-2020-05 20 (every channel); 7 and 10 shards
    // leave some shards one replication or none.
    for (file, counts) in [
        ("erlang-a-example.json", &[1, 2, 3, 7, 10][..]),
        ("fpa-2020-05.json", &[2, 7][..]),
    ] {
        let whole = callsim()
            .arg("run")
            .arg(shipped(file))
            .arg("--json")
            .output()
            .unwrap();
        assert!(whole.status.success());
        for &n in counts {
            let mut dirs = shards(&shipped(file), n, &dir.path().join(file), &[]);
            dirs.reverse(); // the order given does not matter
            let merged = merge(&dirs, &["--json"]);
            assert!(
                merged.status.success(),
                "{}",
                String::from_utf8_lossy(&merged.stderr)
            );
            assert!(
                merged.stdout == whole.stdout,
                "{file}, {n} shards: the merge differs from the whole run"
            );
        }
    }
    // --out writes the same files as the whole run's --out.
    let dirs = shards(
        &shipped("erlang-a-example.json"),
        3,
        &dir.path().join("out"),
        &[],
    );
    let (a, b) = (dir.path().join("merged"), dir.path().join("whole"));
    assert!(
        merge(&dirs, &["--out", a.to_str().unwrap()])
            .status
            .success()
    );
    let whole = callsim()
        .arg("run")
        .arg(shipped("erlang-a-example.json"))
        .arg("--out")
        .arg(&b)
        .output()
        .unwrap();
    assert!(whole.status.success());
    for f in [
        "result.json",
        "intervals.csv",
        "report.html",
        "phone-asa.png",
    ] {
        assert!(
            std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn merges_of_the_wrong_shards_are_refused_naming_the_culprit() {
    let dir = tempfile::tempdir().unwrap();
    let file = shipped("erlang-a-example.json");
    let four = shards(&file, 4, &dir.path().join("a"), &[]);
    let other_seed = shards(&file, 4, &dir.path().join("b"), &["--seed", "5"]);
    let three = shards(&file, 3, &dir.path().join("c"), &[]);
    let truncated = dir.path().join("truncated");
    std::fs::create_dir(&truncated).unwrap();
    let bytes = std::fs::read(four[1].join("shard.json")).unwrap();
    std::fs::write(truncated.join("shard.json"), &bytes[..bytes.len() / 2]).unwrap();
    // A shard file edited by hand to K = 0 (no shard of any run).
    let edited = dir.path().join("edited");
    std::fs::create_dir(&edited).unwrap();
    let text =
        String::from_utf8(bytes.clone())
            .unwrap()
            .replacen("\"shard\":2,", "\"shard\":0,", 1);
    assert!(text.contains("\"shard\":0,"));
    std::fs::write(edited.join("shard.json"), text).unwrap();
    let interrupted = dir.path().join("interrupted");
    std::fs::create_dir(&interrupted).unwrap();
    let cases: [(Vec<PathBuf>, &str); 7] = [
        (four[..3].to_vec(), "shard 4/4 is missing"),
        (
            vec![
                four[0].clone(),
                four[0].clone(),
                four[1].clone(),
                four[2].clone(),
            ],
            "both hold shard 1/4",
        ),
        (
            vec![four[0].clone(), other_seed[1].clone()],
            "their seed differs",
        ),
        (
            vec![four[0].clone(), three[1].clone()],
            "their number of shards differs",
        ),
        (
            vec![four[0].clone(), truncated.clone()],
            "not a whole shard file",
        ),
        (vec![interrupted.clone()], "cannot read the file"),
        (vec![four[0].clone(), edited.clone()], "K must be 1 to N"),
    ];
    for (dirs, message) in cases {
        let got = merge(&dirs, &["--json"]);
        let stderr = String::from_utf8_lossy(&got.stderr);
        assert_eq!(got.status.code(), Some(2), "{message}: {stderr}");
        assert!(stderr.contains(message), "{message}: {stderr}");
        assert!(got.stdout.is_empty());
    }
    // Running a shard again and merging works.
    let again = shards(&file, 4, &dir.path().join("a"), &[]);
    assert!(merge(&again, &["--json"]).status.success());
    // Precision control needs every replication: refused, as are bad K/N.
    let precise = write(
        &dir,
        "precise.json",
        &std::fs::read_to_string(&file)
            .unwrap()
            .replacen('{', "{\"precision\": 0.05, ", 1),
    );
    for (args, message) in [
        (vec!["--shard", "1/2"], "asks for precision"),
        (vec!["--shard", "3/2"], "write K/N"),
    ] {
        let got = callsim()
            .arg("run")
            .arg(&precise)
            .args(&args)
            .args(["--out", dir.path().join("p").to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&got.stderr);
        assert_eq!(got.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
    }
}

#[test]
fn merged_check_shards_judge_as_the_whole_check() {
    let dir = tempfile::tempdir().unwrap();
    let file = shipped("fpa-2020-05.json");
    for strict in [false, true] {
        let flag: &[&str] = if strict { &["--strict"] } else { &[] };
        let whole = callsim()
            .arg("check")
            .arg(&file)
            .args(flag)
            .output()
            .unwrap();
        let whole_json = callsim()
            .arg("check")
            .arg(&file)
            .args(flag)
            .arg("--json")
            .output()
            .unwrap();
        // Strict, the phone ASA's interval crosses its 2 minutes: exit 1 for both.
        assert_eq!(whole.status.code(), Some(if strict { 1 } else { 0 }));
        for n in [1, 2, 3, 7] {
            let at = dir.path().join(format!("check-{strict}-{n}"));
            let dirs = shards_of("check", &file, n, &at, flag);
            let merged = merge(&dirs, &[]);
            let what = format!("strict {strict}, {n} shards");
            assert_eq!(
                merged.status.code(),
                whole.status.code(),
                "{what}: the exit code"
            );
            assert!(merged.stdout == whole.stdout, "{what}: the verdict lines");
            let merged_json = merge(&dirs, &["--json"]);
            assert!(
                merged_json.stdout == whole_json.stdout,
                "{what}: check --json"
            );
            let out = merge(&dirs, &["--out", dir.path().join("x").to_str().unwrap()]);
            assert_eq!(out.status.code(), Some(2), "check writes no files");
        }
    }
}

/// `sweep FILE ARGS`, its stdout; it must succeed.
fn sweep_whole(file: &Path, args: &[&str]) -> Vec<u8> {
    let got = callsim()
        .arg("sweep")
        .arg(file)
        .args(args)
        .output()
        .unwrap();
    assert!(
        got.status.success(),
        "{}",
        String::from_utf8_lossy(&got.stderr)
    );
    got.stdout
}

#[test]
fn merged_sweep_shards_are_the_whole_sweep_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let erlang = shipped("erlang-a-example.json");
    // Three points of 8 replications: 7 shards split points, 30 leave shards empty.
    let three = ["--set", "staff.agents.count=31,33,36", "--reps", "4"];
    // fpa-reopening-sweep's own block (192 points), at one replication, and two of its
    // settings zipped, each point on its own streams.
    let fpa = shipped("fpa-reopening-sweep.json");
    let zipped = [
        "--set",
        "queues.office.arrivals.per_week=7500,35000",
        "--set",
        "staff.office_staff.reassign.count=0,150",
        "--zip",
        "--independent",
        "--reps",
        "3",
    ];
    let cases: [(&Path, &[&str], &[u32]); 3] = [
        (&erlang, &three, &[1, 2, 3, 7, 30]),
        (&fpa, &["--reps", "1"], &[3]),
        (&fpa, &zipped, &[2, 7]),
    ];
    for (i, (file, args, counts)) in cases.into_iter().enumerate() {
        let whole = sweep_whole(file, &[args, &["--json"][..]].concat());
        // The table, for the small sweep (the whole FPA sweeps would run twice more).
        let table = (i == 0).then(|| sweep_whole(file, args));
        for &n in counts {
            let mut dirs = shards_of("sweep", file, n, &dir.path().join(format!("{i}")), args);
            dirs.rotate_left(1); // the order given does not matter
            let merged = merge(&dirs, &["--json"]);
            let stderr = String::from_utf8_lossy(&merged.stderr);
            assert!(merged.status.success(), "{stderr}");
            assert!(
                merged.stdout == whole,
                "case {i}, {n} shards: the merge differs from the whole sweep"
            );
            if let Some(table) = &table {
                let merged = merge(&dirs, &[]).stdout;
                assert!(merged == *table, "case {i}, {n} shards: the table differs");
            }
        }
    }
    // --out writes the same files as the whole sweep's --out.
    let dirs = shards_of("sweep", &erlang, 2, &dir.path().join("out"), &three);
    let (a, b) = (dir.path().join("merged"), dir.path().join("whole"));
    assert!(
        merge(&dirs, &["--out", a.to_str().unwrap()])
            .status
            .success()
    );
    sweep_whole(
        &erlang,
        &[&three[..], &["--out", b.to_str().unwrap()]].concat(),
    );
    let names = |d: &Path| {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&a), names(&b));
    assert!(
        names(&a).len() >= 4,
        "sweep.json, sweep.csv and plots: {:?}",
        names(&a)
    );
    for f in names(&b) {
        assert!(
            std::fs::read(a.join(&f)).unwrap() == std::fs::read(b.join(&f)).unwrap(),
            "{f:?} differs"
        );
    }
}

#[test]
fn merges_of_the_wrong_sweep_shards_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = shipped("erlang-a-example.json");
    let args = ["--set", "staff.agents.count=31,33", "--reps", "2"];
    let two = shards_of("sweep", &file, 2, &dir.path().join("a"), &args);
    let other = ["--set", "staff.agents.count=31,34", "--reps", "2"];
    let other = shards_of("sweep", &file, 2, &dir.path().join("b"), &other);
    let run = shards(&file, 2, &dir.path().join("c"), &["--reps", "2"]);
    // A shard file cut short, as by an interrupted write that was not atomic.
    let truncated = dir.path().join("truncated");
    std::fs::create_dir(&truncated).unwrap();
    let bytes = std::fs::read(two[1].join("shard.json")).unwrap();
    std::fs::write(truncated.join("shard.json"), &bytes[..bytes.len() - 10]).unwrap();
    let cases: [(Vec<PathBuf>, &str); 4] = [
        (
            vec![two[0].clone(), other[1].clone()],
            "their sweep differs",
        ),
        (
            vec![two[0].clone(), run[1].clone()],
            "their command differs",
        ),
        (vec![two[0].clone(), truncated], "not a whole shard file"),
        (
            vec![two[1].clone()],
            "shard 1/2 is missing: run `callsim sweep",
        ),
    ];
    for (dirs, message) in cases {
        let got = merge(&dirs, &["--json"]);
        let stderr = String::from_utf8_lossy(&got.stderr);
        assert_eq!(got.status.code(), Some(2), "{message}: {stderr}");
        assert!(stderr.contains(message), "{message}: {stderr}");
        assert!(got.stdout.is_empty());
    }
    // The missing shard's command, run as printed, makes the merge whole.
    let got = merge(&[two[1].clone()], &[]);
    let stderr = String::from_utf8_lossy(&got.stderr);
    let command = stderr.split('`').nth(1).unwrap();
    assert!(
        command.contains("--set staff.agents.count=31,33 --reps 2 --seed 11 --shard 1/2"),
        "{command}"
    );
    let made = dir.path().join("made");
    let words: Vec<&str> = command.split(' ').collect();
    let words: Vec<String> = words[1..]
        .iter()
        .map(|w| {
            if *w == "DIR" {
                made.display().to_string()
            } else {
                w.to_string()
            }
        })
        .collect();
    let rerun = callsim().args(&words).output().unwrap();
    assert!(
        rerun.status.success(),
        "{}",
        String::from_utf8_lossy(&rerun.stderr)
    );
    let merged = merge(&[two[1].clone(), made], &["--json"]);
    assert!(merged.stdout == sweep_whole(&file, &[&args[..], &["--json"][..]].concat()));
    // Precision control decides each point's replications from all of them: refused.
    let got = callsim()
        .args([
            "sweep",
            file.to_str().unwrap(),
            "--set",
            "staff.agents.count=31,33",
            "--precision",
            "0.1",
            "--shard",
            "1/2",
            "--out",
        ])
        .arg(dir.path().join("p"))
        .output()
        .unwrap();
    assert_eq!(got.status.code(), Some(2));
}
