//! `callsim slurm`: the script's shards, run as Slurm runs array tasks (SLURM_ARRAY_TASK_ID
//! set), merge into the whole command's result; bad command lines are refused before any
//! script is printed. (tests/slurm/run.sh submits the script to a real Slurm.)

use super::common::{callsim, write};
use std::path::{Path, PathBuf};

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
}

/// `callsim slurm ARGS`, run in `dir`.
fn slurm(dir: &Path, args: &[&str]) -> std::process::Output {
    callsim()
        .current_dir(dir)
        .arg("slurm")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_scripts_tasks_are_the_shards_and_merge_into_the_whole_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let file = shipped("erlang-a-example.json");
    let file = file.to_str().unwrap();
    // The options may come before, among or after the command's own.
    let got = slurm(
        dir.path(),
        &[
            "--cpus",
            "2",
            "sweep",
            file,
            "--shards",
            "3",
            "--set",
            "staff.agents.count=31,33",
            "--reps",
            "3",
            "--out",
            "study",
            "--partition",
            "short",
        ],
    );
    assert!(
        got.status.success(),
        "{}",
        String::from_utf8_lossy(&got.stderr)
    );
    let script = String::from_utf8(got.stdout).unwrap();
    let study = dir.path().join("study");
    for line in [
        "#SBATCH --array=1-3\n".to_string(),
        "#SBATCH --partition=short\n".to_string(),
        "#SBATCH --cpus-per-task=2\n".to_string(),
        format!("#SBATCH --chdir={}\n", dir.path().display()),
        format!("#SBATCH --output={}/logs/shard-%a.out\n", study.display()),
        format!(
            "sweep {file} --set staff.agents.count=31,33 --reps 3 --threads 2 --shard \"$k/3\""
        ),
        "--dependency=afterok:".to_string(),
    ] {
        assert!(script.contains(&line), "{line:?} missing from\n{script}");
    }
    // The pilot's estimates are the defaults.
    assert!(script.contains("#SBATCH --time=0:05:00\n"), "{script}");
    assert!(
        script.contains("# Pilot, here: a replication of"),
        "{script}"
    );
    let path = write(&dir, "study.sh", &script);
    for k in 1..=3 {
        let task = std::process::Command::new("bash")
            .arg(&path)
            .current_dir("/")
            .env("SLURM_ARRAY_TASK_ID", k.to_string())
            .env("PATH", std::env::var("PATH").unwrap())
            .output()
            .unwrap();
        assert!(
            task.status.success(),
            "task {k}: {}",
            String::from_utf8_lossy(&task.stderr)
        );
    }
    let shards: Vec<PathBuf> = (1..=3).map(|k| study.join(format!("shard-{k}"))).collect();
    let merged = callsim()
        .arg("merge")
        .args(&shards)
        .arg("--json")
        .output()
        .unwrap();
    let whole = callsim()
        .args([
            "sweep",
            file,
            "--set",
            "staff.agents.count=31,33",
            "--reps",
            "3",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        merged.status.success(),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    assert!(
        merged.stdout == whole.stdout,
        "the script's shards merge to another sweep"
    );
    // Outside Slurm, without sbatch on the PATH, the script fails and says so.
    let submit = std::process::Command::new("bash")
        .arg(&path)
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    assert!(
        !submit.status.success() || which_sbatch(),
        "submitted without sbatch"
    );
}

fn which_sbatch() -> bool {
    std::process::Command::new("sh")
        .args(["-c", "command -v sbatch"])
        .env("PATH", "/usr/bin:/bin")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn bad_slurm_command_lines_are_refused_and_print_no_script() {
    let dir = tempfile::tempdir().unwrap();
    let file = shipped("erlang-a-example.json");
    let file = file.to_str().unwrap();
    let precise = write(
        &dir,
        "precise.json",
        &std::fs::read_to_string(file)
            .unwrap()
            .replacen('{', "{\"precision\": 0.05, ", 1),
    );
    let cases: [(Vec<&str>, &str); 9] = [
        (
            vec!["run", file, "--out", "x"],
            "give --shards N and --out DIR",
        ),
        (
            vec!["run", file, "--shards", "2"],
            "give --shards N and --out DIR",
        ),
        (
            vec!["merge", "a", "--shards", "2", "--out", "x"],
            "shards `run`, `check` or `sweep`",
        ),
        (
            vec!["run", file, "--shards", "2", "--out", "x", "--threads", "4"],
            "--threads: callsim slurm sets",
        ),
        (
            vec!["run", file, "--shards", "2", "--out", "x", "--shards", "3"],
            "cannot be used multiple times",
        ),
        (
            vec!["run", file, "--shards", "0", "--out", "x"],
            "at least 1",
        ),
        (
            vec![
                "run", file, "--shards", "2", "--out", "x", "--time", "2 hours",
            ],
            "not a Slurm time",
        ),
        (
            vec![
                "run",
                precise.to_str().unwrap(),
                "--shards",
                "2",
                "--out",
                "x",
            ],
            "asks for precision",
        ),
        (
            vec!["run", "nonexistent.json", "--shards", "2", "--out", "x"],
            "cannot read the file",
        ),
    ];
    for (args, message) in cases {
        let got = slurm(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&got.stderr);
        assert_eq!(got.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(got.stdout.is_empty(), "{args:?}: printed a script");
    }
    // A bad option of the command itself is clap's error, also exit 2.
    let got = slurm(
        dir.path(),
        &["run", file, "--shards", "2", "--out", "x", "--repz", "3"],
    );
    assert_eq!(got.status.code(), Some(2));
    assert!(got.stdout.is_empty());
    assert!(
        !dir.path().join("x").exists(),
        "nothing is written before the script is run"
    );
}
