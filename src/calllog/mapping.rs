//! `--map FILE`: what a planner knows of the center and the log cannot show, overriding what
//! `fit` and `backtest` infer: which call types form one queue, which agents form a staff
//! group (and what it serves), and the head start of each priority class.
//!
//! ```json
//! {"queues": {"retail": ["PS", "PE"]},
//!  "groups": {"internet": {"agents": ["IDO", "ANAT"], "serves": ["IN"]}},
//!  "head_start": {"2": "90s"}}
//! ```

use super::Call;
use crate::error::{InputError, Issue};
use crate::scenario::units::Duration;
use indexmap::IndexMap;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default, rename = "description")]
    _description: Option<String>,
    #[serde(default)]
    queues: IndexMap<String, Vec<String>>,
    #[serde(default)]
    groups: IndexMap<String, GroupSpec>,
    head_start: Option<IndexMap<String, Duration>>,
}

/// A staff group named in the map.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    /// Its agents, as the log names them.
    pub agents: Vec<String>,
    /// The queues it serves, in priority order; absent: those its agents served (at 5% of
    /// their calls), most served first.
    pub serves: Option<Vec<String>>,
}

/// The map: empty when no `--map` is given.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    /// Call type → the queue it belongs to (types not listed are their own queue).
    queue_of: HashMap<String, String>,
    /// The groups named, in order.
    pub groups: IndexMap<String, GroupSpec>,
    /// Agent → the group named for it.
    group_of: HashMap<String, String>,
    /// Priority value → head start (s); `None`: the format's default.
    pub head_starts: Option<Vec<(u32, f64)>>,
}

impl Mapping {
    /// Reads and checks a map file: bad keys and values are errors naming their key path.
    pub fn load(path: &Path) -> Result<Mapping, InputError> {
        let file = path.display().to_string();
        let parsed: File = crate::scenario::read_json(path)?;
        let mut issues = Vec::new();
        let mut m = Mapping::default();
        for (queue, types) in &parsed.queues {
            for t in types {
                if let Some(other) = m.queue_of.insert(t.trim().to_string(), queue.clone()) {
                    issues.push(Issue::new(format!("queues.{queue}"), format!("call type {t:?} is also in queue {other:?}; give each type one queue")));
                }
            }
        }
        for (group, spec) in &parsed.groups {
            if spec.agents.is_empty() {
                issues.push(Issue::new(format!("groups.{group}.agents"), "list at least one agent, as the log names them"));
            }
            if spec.serves.as_ref().is_some_and(Vec::is_empty) {
                issues.push(Issue::new(format!("groups.{group}.serves"), "list at least one queue, or leave serves out to infer it"));
            }
            for a in &spec.agents {
                if let Some(other) = m.group_of.insert(a.trim().to_string(), group.clone()) {
                    issues.push(Issue::new(format!("groups.{group}.agents"), format!("agent {a:?} is also in group {other:?}; give each agent one group")));
                }
            }
        }
        m.groups = parsed.groups;
        m.head_starts = parsed.head_start.map(|h| {
            h.iter()
                .filter_map(|(k, d)| match k.trim().parse::<u32>() {
                    Ok(p) if d.secs() >= 0.0 => Some((p, d.secs())),
                    Ok(_) => {
                        issues.push(Issue::new(format!("head_start.{k}"), "must be a duration of 0 or more, e.g. \"90s\""));
                        None
                    }
                    Err(_) => {
                        issues.push(Issue::new(format!("head_start.{k}"), "the key must be a priority value of the log, a whole number such as \"2\""));
                        None
                    }
                })
                .collect()
        });
        if issues.is_empty() { Ok(m) } else { Err(InputError::Invalid { file, issues }) }
    }

    /// The queue of call type `kind`.
    pub fn queue<'a>(&'a self, kind: &'a str) -> &'a str {
        self.queue_of.get(kind).map_or(kind, String::as_str)
    }

    /// `c` with its call type replaced by its queue.
    pub fn apply(&self, c: &Call) -> Call {
        Call {
            kind: self.queue(&c.kind).to_string(),
            ..c.clone()
        }
    }

    /// The group named for `agent`, if any.
    pub fn group_of(&self, agent: &str) -> Option<&str> {
        self.group_of.get(agent).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Mapping, InputError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("map.json");
        std::fs::write(&path, text).unwrap();
        Mapping::load(&path)
    }

    #[test]
    fn a_map_merges_types_names_groups_and_sets_head_starts() {
        let m = load(r#"{"queues": {"retail": ["PS", "PE"]}, "groups": {"internet": {"agents": ["IDO"], "serves": ["IN"]}}, "head_start": {"2": "90s", "1": 30}}"#).unwrap();
        assert_eq!((m.queue("PS"), m.queue("PE"), m.queue("NW")), ("retail", "retail", "NW"));
        assert_eq!(m.group_of("IDO"), Some("internet"));
        assert_eq!(m.group_of("DANA"), None);
        assert_eq!(m.head_starts, Some(vec![(2, 90.0), (1, 30.0)]));
        let empty = load("{}").unwrap();
        assert_eq!(empty.head_starts, None);
    }

    #[test]
    fn bad_maps_name_the_key() {
        for (text, path) in [
            (r#"{"queues": {"a": ["PS"], "b": ["PS"]}}"#, "queues.b"),
            (r#"{"groups": {"g": {"agents": []}}}"#, "groups.g.agents"),
            (r#"{"groups": {"g": {"agents": ["A"]}, "h": {"agents": ["A"]}}}"#, "groups.h.agents"),
            (r#"{"head_start": {"vip": "90s"}}"#, "head_start.vip"),
            (r#"{"head_start": {"2": "soon"}}"#, "head_start.2"),
            (r#"{"queue": {}}"#, "queue"),
        ] {
            let e = load(text).expect_err(text).to_string();
            assert!(e.contains(path), "{text}: {e}");
        }
    }
}
