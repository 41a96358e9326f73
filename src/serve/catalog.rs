//! The scenario files the page serves: the `.json` files directly in one directory, and
//! nothing else. A requested name is checked before any file is opened, so no request reaches
//! a file outside the directory.

use super::error::ApiError;
use crate::api::Scenario;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The directory of scenarios.
#[derive(Debug, Clone)]
pub struct Catalog {
    dir: PathBuf,
}

/// One scenario of the list `GET /api/scenarios` returns.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The file's name in the directory.
    pub file: String,
    /// The scenario's name.
    pub name: String,
    /// Its description.
    pub description: String,
}

impl Catalog {
    /// The catalog of `dir`, which must be a readable directory.
    pub fn open(dir: &Path) -> Result<Catalog, String> {
        let canonical = dir
            .canonicalize()
            .map_err(|e| format!("{}: cannot open the directory: {e}", dir.display()))?;
        if !canonical.is_dir() {
            return Err(format!("{}: is not a directory", dir.display()));
        }
        Ok(Catalog { dir: canonical })
    }

    /// Every scenario file that loads, by file name; the files that do not load, with why.
    pub fn list(&self) -> (Vec<Entry>, Vec<String>) {
        let mut names: Vec<String> = std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| acceptable(name))
            .collect();
        names.sort();
        let (mut entries, mut broken) = (Vec::new(), Vec::new());
        for file in names {
            match self.load(&file) {
                Ok(sc) => entries.push(Entry {
                    name: sc.name().to_string(),
                    description: description(sc.json()),
                    file,
                }),
                Err(e) => broken.push(e.error),
            }
        }
        (entries, broken)
    }

    /// Loads the scenario `file` (a name the list gives), following its `extends` chain.
    pub fn load(&self, file: &str) -> Result<Scenario, ApiError> {
        let path = self.resolve(file)?;
        Scenario::from_path(&path).map_err(|e| {
            // Messages name the file as the page does, not by the server's absolute path.
            let message = e.to_string().replace(&path.display().to_string(), file);
            ApiError::bad(message, e.key_path().map(str::to_string))
        })
    }

    /// The path of `file` in the directory, refusing any name that is not a plain `.json`
    /// file name in it (separators, `..`, hidden files, links that lead out).
    pub fn resolve(&self, file: &str) -> Result<PathBuf, ApiError> {
        let unknown = || {
            ApiError::bad(
                format!(
                    "no scenario {file:?} here: give a file name that GET /api/scenarios lists"
                ),
                Some("file".to_string()),
            )
        };
        if !acceptable(file) {
            return Err(unknown());
        }
        let path = self.dir.join(file);
        let canonical = path.canonicalize().map_err(|_| unknown())?;
        if canonical.parent() != Some(self.dir.as_path()) || !canonical.is_file() {
            return Err(unknown());
        }
        Ok(canonical)
    }
}

/// A plain file name of a scenario: no path separators, not hidden, ending in `.json`.
fn acceptable(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.ends_with(".json")
        && !name.contains(['/', '\\', '\0', ':'])
        && name.len() <= 255
}

/// The scenario's `description`, or an empty string.
pub fn description(json: &serde_json::Value) -> String {
    json.get("description")
        .and_then(|d| d.as_str())
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_json_file_names_are_acceptable() {
        assert!(acceptable("fpa-2020-05.json"));
        for bad in [
            "../Cargo.toml",
            "../x.json",
            "a/b.json",
            "a\\b.json",
            ".hidden.json",
            "..json",
            "x.txt",
            "",
            "c:x.json",
        ] {
            assert!(!acceptable(bad), "{bad:?} must be refused");
        }
    }
}
