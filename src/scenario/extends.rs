//! Scenario overlays: `"extends": "base.json"` merges this file's keys over the base's, so a
//! variant stays a few lines long.

use crate::error::InputError;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Most files in one chain of `extends` (a longer chain is surely a cycle).
const MAX_DEPTH: usize = 16;

/// The merged JSON of `raw` (read from `path`) over the chain of files it extends. The bytes of
/// every base file read are appended to `chain` (for the provenance hash).
pub fn resolve(path: &Path, raw: Value, chain: &mut Vec<Vec<u8>>) -> Result<Value, InputError> {
    let mut layers = vec![raw];
    let mut current = path.to_path_buf();
    let mut seen: Vec<PathBuf> = vec![canonical(path)];
    while let Some(base) = layers.last().and_then(|v| v.get("extends")).cloned() {
        let file = current.display().to_string();
        let Value::String(name) = base else {
            return Err(invalid(
                &file,
                "extends: must be a file name, e.g. \"fpa-2020-05.json\"",
            ));
        };
        let next = current.parent().unwrap_or(Path::new(".")).join(&name);
        if seen.contains(&canonical(&next)) || seen.len() >= MAX_DEPTH {
            return Err(invalid(
                &file,
                &format!("extends: {name:?} leads back to a file already extended (a cycle)"),
            ));
        }
        let bytes = std::fs::read(&next).map_err(|e| {
            invalid(
                &file,
                &format!("extends: cannot read {}: {e}", next.display()),
            )
        })?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| InputError::Syntax {
            file: next.display().to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        chain.push(bytes);
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

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

fn invalid(file: &str, issue: &str) -> InputError {
    InputError::Invalid {
        file: file.to_string(),
        issues: vec![issue.to_string()],
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
    fn objects_merge_and_other_values_replace() {
        let mut base = json!({"a": {"b": 1, "c": [1, 2]}, "d": 4});
        merge(&mut base, json!({"a": {"c": [3]}, "e": 5}));
        assert_eq!(base, json!({"a": {"b": 1, "c": [3]}, "d": 4, "e": 5}));
    }
}
