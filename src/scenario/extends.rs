//! Scenario overlays: `"extends": "base.json"` merges this file's keys over the base's, so a
//! variant stays a few lines long.

use crate::error::{InputError, Issue};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Most files in one chain of `extends`: a real chain is a few files long, and a bound
/// keeps a generated one from exhausting file handles or the stack of messages.
const MAX_DEPTH: usize = 64;

/// The merged JSON of `raw` (read from `path`) over the chain of files it extends. Every base
/// file read is appended to `chain` with its bytes (for the provenance hash and for saying
/// which file a bad value came from).
pub fn resolve(
    path: &Path,
    raw: Value,
    chain: &mut Vec<(PathBuf, Vec<u8>)>,
) -> Result<Value, InputError> {
    let mut layers = vec![raw];
    let mut current = path.to_path_buf();
    let mut seen: Vec<PathBuf> = vec![canonical(path)];
    // Every message names the file given first; a base's problem is an issue of it at
    // `extends`, naming the chain down to the base.
    let top = path.display().to_string();
    let mut via: Vec<String> = Vec::new();
    while let Some(base) = layers.last().and_then(|v| v.get("extends")).cloned() {
        let file = top.clone();
        let at = |what: String| match via.is_empty() {
            true => what,
            false => format!("{} → {what}", via.join(" → ")),
        };
        let Value::String(name) = base else {
            return Err(invalid(
                &file,
                Issue::new("extends", "must be a file name, e.g. \"fpa-2020-05.json\""),
            ));
        };
        let next = current.parent().unwrap_or(Path::new(".")).join(&name);
        if seen.contains(&canonical(&next)) {
            return Err(invalid(
                &file,
                Issue::new(
                    "extends",
                    at(format!("{name:?} leads back to a file already extended (a cycle)")),
                ),
            ));
        }
        if seen.len() >= MAX_DEPTH {
            return Err(invalid(
                &file,
                Issue::new(
                    "extends",
                    at(format!("{name:?}: more than {MAX_DEPTH} files in one chain")),
                ),
            ));
        }
        let bytes = super::read(&next).map_err(|e| {
            let reason = match e {
                InputError::Unreadable { reason, .. } => reason,
                other => other.to_string(),
            };
            invalid(
                &file,
                Issue::new(
                    "extends",
                    at(format!("cannot read {}: {reason}", next.display())),
                ),
            )
        })?;
        let shown = next.display().to_string();
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
            let message = super::strip_position(&e.to_string());
            let syntax = format!("{shown}:{}:{}: JSON syntax error: {message}", e.line(), e.column());
            invalid(&file, Issue::new("extends", at(syntax)))
        })?;
        if !value.is_object() {
            let kind = match value {
                Value::Array(_) => "an array",
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::String(_) => "a string",
                Value::Object(_) => "an object",
            };
            let message = format!("{shown} is {kind}, not a scenario object {{...}}");
            return Err(invalid(&file, Issue::new("extends", at(message))));
        }
        via.push(shown);
        chain.push((next.clone(), bytes));
        seen.push(canonical(&next));
        layers.push(value);
        current = next;
    }
    let mut merged = layers.pop().unwrap_or(Value::Null);
    while let Some(layer) = layers.pop() {
        merge(&mut merged, layer);
    }
    if let Value::Object(map) = &mut merged {
        map.remove("extends");
    }
    Ok(merged)
}

/// Notes on each issue (`key.path: what`) whose key the file itself does not set but one of
/// its bases (`chain`, nearest first) does: "(set in base.json)".
pub fn attribute(issues: Vec<Issue>, own: &Value, chain: &[(PathBuf, Vec<u8>)]) -> Vec<Issue> {
    let bases: Vec<(&PathBuf, Value)> = chain
        .iter()
        .filter_map(|(p, b)| Some((p, serde_json::from_slice(b).ok()?)))
        .collect();
    issues
        .into_iter()
        .map(|mut issue| {
            if !defines(own, &issue.path)
                && let Some((p, _)) = bases.iter().find(|(_, v)| defines(v, &issue.path))
            {
                issue.message = format!("{} (set in {})", issue.message, p.display());
            }
            issue
        })
        .collect()
}

/// Whether `v` has a value at the key path `queues.phone.handle_time.cv` (or `targets[0].max`).
fn defines(v: &Value, key: &str) -> bool {
    let mut node = v;
    for part in key.split(['.', '[']).filter(|p| !p.is_empty()) {
        let next = match part.strip_suffix(']') {
            Some(i) => i.parse::<usize>().ok().and_then(|i| node.get(i)),
            None => node.get(part),
        };
        match next {
            Some(n) => node = n,
            None => return false,
        }
    }
    !key.is_empty()
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

fn invalid(file: &str, issue: Issue) -> InputError {
    InputError::Invalid {
        file: file.to_string(),
        issues: vec![issue],
    }
}

/// Merges `over` into `base`: objects key by key (recursively), anything else replaced.
pub fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn issues_name_the_base_that_set_the_bad_value() {
        let own = json!({"staff": {"a": {"count": 5}}});
        let base = br#"{"queues": {"q": {"handle_time": {"cv": -1}}}}"#.to_vec();
        let chain = [(PathBuf::from("base.json"), base)];
        let issues = vec![
            Issue::new("queues.q.handle_time.cv", "must be > 0, got -1"),
            Issue::new("staff.a.count", "too many"),
        ];
        let out = attribute(issues, &own, &chain);
        assert_eq!(
            out[0].to_string(),
            "queues.q.handle_time.cv: must be > 0, got -1 (set in base.json)"
        );
        assert_eq!(out[1].to_string(), "staff.a.count: too many");
    }

    #[test]
    fn objects_merge_and_other_values_replace() {
        let mut base = json!({"a": {"b": 1, "c": [1, 2]}, "d": 4});
        merge(&mut base, json!({"a": {"c": [3]}, "e": 5}));
        assert_eq!(base, json!({"a": {"b": 1, "c": [3]}, "d": 4, "e": 5}));
    }
}
