//! `callsim slurm`: the script that runs a command's shards as a Slurm job array and merges
//! them in a job that waits for the whole array (`--dependency=afterok`).
//!
//! The script is its own array job: run with `bash`, it submits itself with `sbatch`
//! (`#SBATCH --array=1-N`), then the merge job; run by Slurm as array task K, it simulates
//! shard K. So `sbatch --array=K SCRIPT` runs shard K again, alone.

use std::fmt::Write;

/// What a sharded command's script needs.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The command as a user runs it whole, without `--shard`, `--out` or `--threads`:
    /// `["sweep", "scenarios/x.json", "--reps", "8"]`.
    pub words: Vec<String>,
    pub shards: u32,
    /// Absolute paths: the callsim binary, the directory the command runs in (relative paths
    /// in `words` are relative to it) and the output directory.
    pub callsim: String,
    pub workdir: String,
    pub out: String,
    pub job_name: String,
    pub per_shard: Resources,
    pub merge: Resources,
    pub partition: Option<String>,
    /// What the estimates rest on, said in the script's head.
    pub notes: Vec<String>,
}

/// One job's request.
#[derive(Debug, Clone, PartialEq)]
pub struct Resources {
    /// Slurm's `--time`, e.g. `0:10:00`.
    pub time: String,
    /// Slurm's `--mem`, e.g. `512M`.
    pub mem: String,
    pub cpus: u32,
}

/// A word for a shell: as it is when it is plain, else in single quotes.
pub fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./:=,+-%@".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Seconds as Slurm's `--time`: `H:MM:SS`, or `D-HH:MM:SS` from a day on.
pub fn slurm_time(seconds: u64) -> String {
    let (d, h, m, s) = (seconds / 86_400, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
    if d > 0 {
        format!("{d}-{h:02}:{m:02}:{s:02}")
    } else {
        format!("{h}:{m:02}:{s:02}")
    }
}

impl Plan {
    /// The whole script.
    pub fn script(&self) -> String {
        let mut s = String::from("#!/bin/bash\n");
        let command = self.words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" ");
        let _ = writeln!(s, "# callsim slurm: `callsim {command}` in {} shards, merged into {}/result.", self.shards, self.out);
        s.push_str("# Submit it with `bash THIS_FILE`: it submits itself as a job array of the shards, then a\n");
        s.push_str("# merge job that starts when every shard has succeeded. `sbatch --array=K THIS_FILE`\n");
        s.push_str("# runs shard K again alone; then merge by hand: `callsim merge OUT/shard-*`.\n");
        for note in &self.notes {
            let _ = writeln!(s, "# {note}");
        }
        self.directives(&mut s, &format!("{}-%a.out", self.log("shard")), &self.per_shard);
        let _ = writeln!(s, "#SBATCH --array=1-{}", self.shards);
        let (callsim, out) = (quote(&self.callsim), quote(&self.out));
        let _ = write!(
            s,
            "set -euo pipefail\ncallsim={callsim}\nout={out}\n\
             if [ -n \"${{SLURM_ARRAY_TASK_ID:-}}\" ]; then\n    \
             k=$SLURM_ARRAY_TASK_ID\n    \
             exec \"$callsim\" {command} --threads {} --shard \"$k/{}\" --out \"$out/shard-$k\"\nfi\n",
            self.per_shard.cpus, self.shards
        );
        self.submit(&mut s);
        s
    }

    /// The path of a job's log (`name`, then `-%a.out` for array tasks or `.out`).
    fn log(&self, name: &str) -> String {
        format!("{}/logs/{name}", self.out)
    }

    fn directives(&self, s: &mut String, log: &str, r: &Resources) {
        let _ = writeln!(s, "#SBATCH --job-name={}", quote(&self.job_name));
        let _ = writeln!(s, "#SBATCH --chdir={}", quote(&self.workdir));
        let _ = writeln!(s, "#SBATCH --output={}", quote(log));
        let _ = writeln!(s, "#SBATCH --time={}", r.time);
        let _ = writeln!(s, "#SBATCH --mem={}", r.mem);
        let _ = writeln!(s, "#SBATCH --cpus-per-task={}", r.cpus);
        if let Some(p) = &self.partition {
            let _ = writeln!(s, "#SBATCH --partition={}", quote(p));
        }
    }

    /// The part `bash` runs: submit the array, then the merge after it.
    fn submit(&self, s: &mut String) {
        s.push_str("# Not a Slurm task: submit the shards, then the merge.\n");
        s.push_str("script=$(readlink -f \"$0\")\n");
        s.push_str("if [ ! -f \"$script\" ]; then echo \"save this script to a file and run: bash FILE\" >&2; exit 2; fi\n");
        s.push_str("mkdir -p \"$out/logs\"\n");
        s.push_str("array=$(sbatch --parsable \"$script\")\narray=${array%%;*}\n");
        s.push_str("merge=$(sbatch --parsable --dependency=afterok:\"$array\" <<'MERGE'\n#!/bin/bash\n");
        let mut merge = String::new();
        self.directives(&mut merge, &format!("{}.out", self.log("merge")), &self.merge);
        s.push_str(&merge.replace("--job-name=", "--job-name=merge-"));
        let _ = write!(
            s,
            "set -euo pipefail\nshards=()\nfor k in $(seq 1 {}); do shards+=({}/shard-$k); done\n{}\nMERGE\n)\n",
            self.shards,
            quote(&self.out),
            self.merge_line()
        );
        s.push_str("merge=${merge%%;*}\n");
        let _ = writeln!(
            s,
            "echo \"submitted the {} shards as job $array and their merge as job $merge; results in $out/result, logs in $out/logs\"",
            self.shards
        );
    }

    /// The merge job's command: a run's and a sweep's files to OUT/result; a check's verdict
    /// lines to OUT/result/check.txt and its JSON to check.json, with its exit code.
    fn merge_line(&self) -> String {
        let (callsim, result) = (quote(&self.callsim), quote(&format!("{}/result", self.out)));
        if self.words[0] == "check" {
            format!(
                "mkdir -p {result}\n{callsim} merge \"${{shards[@]}}\" --json > {result}/check.json || true\n\
                 {callsim} merge \"${{shards[@]}}\" | tee {result}/check.txt"
            )
        } else {
            format!("exec {callsim} merge \"${{shards[@]}}\" --out {result}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_only_when_needed() {
        assert_eq!(quote("scenarios/fpa-2020-05.json"), "scenarios/fpa-2020-05.json");
        assert_eq!(quote("staff.a.count=0..150:10"), "staff.a.count=0..150:10");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$HOME"), "'$HOME'");
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn times_are_slurm_times() {
        assert_eq!(slurm_time(300), "0:05:00");
        assert_eq!(slurm_time(3 * 3600 + 61), "3:01:01");
        assert_eq!(slurm_time(86_400 + 7200), "1-02:00:00");
    }

    #[test]
    fn the_script_is_an_array_of_shards_and_a_merge_after_it() {
        let r = Resources { time: "0:05:00".into(), mem: "256M".into(), cpus: 2 };
        let plan = Plan {
            words: ["sweep", "s.json", "--set", "a.b=1,2"].map(String::from).to_vec(),
            shards: 4,
            callsim: "/bin/callsim".into(),
            workdir: "/w".into(),
            out: "/w/study".into(),
            job_name: "callsim-s".into(),
            per_shard: r.clone(),
            merge: Resources { mem: "512M".into(), ..r },
            partition: Some("short".into()),
            notes: vec![],
        };
        let s = plan.script();
        for line in [
            "#SBATCH --array=1-4\n",
            "#SBATCH --partition=short\n",
            "#SBATCH --mem=256M\n",
            "exec \"$callsim\" sweep s.json --set a.b=1,2 --threads 2 --shard \"$k/4\" --out \"$out/shard-$k\"\n",
            "--dependency=afterok:\"$array\"",
            "#SBATCH --job-name=merge-callsim-s\n",
            "#SBATCH --mem=512M\n",
            "for k in $(seq 1 4); do shards+=(/w/study/shard-$k); done\n",
            "exec /bin/callsim merge \"${shards[@]}\" --out /w/study/result\n",
        ] {
            assert!(s.contains(line), "{line:?} missing from\n{s}");
        }
    }
}
