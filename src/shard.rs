//! Shards: a run split into blocks of replications (`run --shard K/N --out DIR` writes
//! DIR/shard.json), merged by `callsim merge` into exactly what the whole run gives. A shard
//! holds each of its replications' tallies, everything the report folds, so that the merge
//! folds the same replications in the same order.

use crate::error::InputError;
use crate::model::Replication;
use crate::scenario::validate::ValidScenario;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The shard file's name in its directory.
pub const FILE: &str = "shard.json";
/// What a shard file says it is.
const FORMAT: &str = "callsim shard 1";

/// One shard.
#[derive(Debug, Serialize, Deserialize)]
pub struct Shard {
    pub format: String,
    pub callsim_version: String,
    /// The command sharded: `run`, `check` or `check --strict`.
    pub command: String,
    /// The scenario file as given, its SHA-256 and its JSON (any `extends` merged).
    pub file: String,
    pub scenario_sha256: String,
    pub scenario: Value,
    /// The whole run's seed and replications.
    pub seed: u64,
    pub replications: u32,
    /// K of N.
    pub shard: u32,
    pub shards: u32,
    /// Its replications, from `first` on.
    pub first: u32,
    pub tallies: Vec<Replication>,
}

impl Shard {
    /// Shard `k` of `n` of the run of `sc`: its replications simulated.
    pub fn new(command: &str, (file, sha, json): (&str, &str, &Value), sc: &ValidScenario, (k, n): (u32, u32), tallies: Vec<Replication>) -> Self {
        Shard {
            format: FORMAT.into(),
            callsim_version: env!("CARGO_PKG_VERSION").into(),
            command: command.into(),
            file: file.into(),
            scenario_sha256: sha.into(),
            scenario: json.clone(),
            seed: sc.seed,
            replications: sc.replications,
            shard: k,
            shards: n,
            first: crate::runner::shard_range(sc.replications, k, n).start,
            tallies,
        }
    }

    /// Reads `dir`/shard.json.
    pub fn load(dir: &Path) -> Result<Shard, InputError> {
        let path = dir.join(FILE);
        let bytes = crate::scenario::read(&path)?;
        let shard: Shard = serde_json::from_slice(&bytes).map_err(|e| InputError::Usage(format!(
            "{}: not a whole shard file ({e}); was its run interrupted? Run that shard again",
            path.display()
        )))?;
        if shard.format != FORMAT {
            return Err(InputError::Usage(format!("{}: not a callsim shard file (format {:?})", path.display(), shard.format)));
        }
        if !(1..=shard.shards).contains(&shard.shard) {
            return Err(InputError::Usage(format!(
                "{}: shard {}/{} is not a shard of a run (K must be 1 to N); run that shard again",
                path.display(),
                shard.shard,
                shard.shards
            )));
        }
        let want = crate::runner::shard_range(shard.replications, shard.shard, shard.shards);
        if shard.first != want.start || shard.tallies.len() != want.len() {
            return Err(InputError::Usage(format!(
                "{}: shard {}/{} should hold replications {}..{} and holds {} from {}; run that shard again",
                path.display(), shard.shard, shard.shards, want.start, want.end, shard.tallies.len(), shard.first
            )));
        }
        Ok(shard)
    }
}

/// The shards of one run, checked to be all of it and nothing else: the scenario (checked
/// again), its SHA-256, the file as given and every replication in order.
pub fn merge(dirs: &[PathBuf]) -> Result<(String, ValidScenario, String, Vec<Replication>), InputError> {
    let mut shards: Vec<(PathBuf, Shard)> = Vec::new();
    for d in dirs {
        shards.push((d.clone(), Shard::load(d)?));
    }
    let (first_dir, first) = &shards[0];
    let n = first.shards;
    for (dir, s) in &shards[1..] {
        let differs = [
            ("command", s.command != first.command),
            ("callsim version", s.callsim_version != first.callsim_version),
            ("scenario", s.scenario_sha256 != first.scenario_sha256 || s.file != first.file),
            ("seed", s.seed != first.seed),
            ("replications", s.replications != first.replications),
            ("number of shards", s.shards != n),
        ];
        if let Some((what, _)) = differs.iter().find(|d| d.1) {
            return Err(InputError::Usage(format!(
                "{} and {}: the shards are of different runs (their {what} differs); merge the shards of one run",
                first_dir.display(),
                dir.display()
            )));
        }
    }
    let mut by_k: Vec<Option<&PathBuf>> = vec![None; n as usize];
    for (dir, s) in &shards {
        match by_k.get_mut(s.shard as usize - 1) {
            Some(Some(other)) => {
                return Err(InputError::Usage(format!("{} and {}: both hold shard {}/{n}; give each shard once", other.display(), dir.display(), s.shard)));
            }
            Some(slot) => *slot = Some(dir),
            None => return Err(InputError::Usage(format!("{}: shard {}/{n} is out of range", dir.display(), s.shard))),
        }
    }
    if let Some(k) = by_k.iter().position(Option::is_none) {
        return Err(InputError::Usage(format!(
            "shard {}/{n} is missing: run `callsim {} {} --shard {}/{n} --out DIR` (with the same options) and give DIR too",
            k + 1, first.command, first.file, k + 1
        )));
    }
    let mut sc = crate::scenario::parse_value(first.scenario.clone(), &first.file)?;
    (sc.seed, sc.replications) = (first.seed, first.replications);
    let (sha, command) = (first.scenario_sha256.clone(), first.command.clone());
    shards.sort_by_key(|(_, s)| s.shard);
    let tallies = shards.into_iter().flat_map(|(_, s)| s.tallies).collect();
    Ok((command, sc, sha, tallies))
}
