//! The manual documents every metric and every scenario key the code knows, the README keeps
//! its commands, and no relative link in the manual is broken.

use callsim::metrics::reference_tables;
use std::path::{Path, PathBuf};

/// The repository's root.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The text of `path`, relative to the repository's root.
fn read(path: &str) -> String {
    let file = root().join(path);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// The text between `<!-- {name}:begin -->` and `<!-- {name}:end -->`.
fn between_markers<'a>(text: &'a str, name: &str) -> &'a str {
    let begin = format!("<!-- {name}:begin -->\n");
    let start = text.find(&begin).unwrap_or_else(|| panic!("no {begin}")) + begin.len();
    let end = text[start..].find(&format!("<!-- {name}:end -->")).unwrap() + start;
    &text[start..end]
}

#[test]
fn the_metrics_reference_is_the_code_s_definitions_word_for_word() {
    // The code's definitions are the source; to change a definition, change it in
    // src/metrics.rs and paste `reference_tables()` into the page.
    let text = read("docs/reference/metrics.md");
    let (queue, staff) = reference_tables();
    assert_eq!(between_markers(&text, "queue-metrics"), queue);
    assert_eq!(between_markers(&text, "staff-metrics"), staff);
}

#[test]
fn scenario_reference_documents_every_scenario_key() {
    let text = read("docs/reference/scenario.md");
    let schema = serde_json::to_value(schemars::schema_for!(callsim::scenario::Scenario)).unwrap();
    let mut keys: Vec<String> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    for def in schema["$defs"].as_object().unwrap().values() {
        if let Some(props) = def["properties"].as_object() {
            keys.extend(props.keys().cloned());
        }
    }
    for key in keys {
        assert!(
            text.contains(&format!("`{key}`")),
            "docs/reference/scenario.md does not document the key `{key}`"
        );
    }
}

#[test]
fn readme_gives_the_test_command_and_the_main_job() {
    let text = read("README.md");
    for command in [
        "cargo test --profile ci",
        "callsim run scenarios/fpa-2020-05.json",
    ] {
        assert!(
            text.contains(command),
            "README.md does not give the command `{command}`"
        );
    }
}

/// README.md and every Markdown file under docs/.
fn markdown_files() -> Vec<PathBuf> {
    let mut files = vec![root().join("README.md")];
    let mut dirs = vec![root().join("docs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The targets of the inline links and images (`[text](target)`, `![alt](target)`) in a
/// Markdown text, outside fenced code blocks.
fn link_targets(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            let Some(end) = after.find(')') else {
                break;
            };
            targets.push(after[..end].to_string());
            rest = &after[end + 1..];
        }
    }
    targets
}

#[test]
fn relative_links_point_to_files_that_exist() {
    let mut broken = Vec::new();
    for file in markdown_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let dir = file.parent().unwrap();
        for target in link_targets(&text) {
            // `path "title"` links to `path`; `<path>` to `path`.
            let target = target.split_whitespace().next().unwrap_or("");
            let target = target.trim_start_matches('<').trim_end_matches('>');
            let external = ["http://", "https://", "mailto:"]
                .into_iter()
                .any(|scheme| target.starts_with(scheme));
            if target.is_empty() || target.starts_with('#') || external {
                continue;
            }
            // A link to `page.md#section` needs `page.md`.
            let path = target.split('#').next().unwrap_or(target);
            if !dir.join(path).exists() {
                broken.push(format!("{}: ({target})", file.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links to files that do not exist:\n{}",
        broken.join("\n")
    );
}
