//! Replays the fuzz target's inputs (tests/fuzz): the seed corpus and every input the fuzzer
//! kept, found crashing or not, through the parser, the validator and the sweep checker. A
//! panic fails the test; each must end in a scenario or an error of one line per issue.

use std::path::Path;

fn inputs() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut files = Vec::new();
    for dir in ["corpus", "found"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        files.extend(entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()));
    }
    files.sort();
    files
}

#[test]
fn every_kept_fuzz_input_ends_in_a_scenario_or_a_one_line_error() {
    let files = inputs();
    assert!(files.len() >= 10, "the corpus is missing: {}", files.len());
    for file in &files {
        let data = std::fs::read(file).unwrap();
        match callsim::scenario::parse(&data, "fuzz.json") {
            Ok(_) => {
                if let Ok(raw) = serde_json::from_slice::<serde_json::Value>(&data) {
                    let _ = callsim::sweep::check_block(&raw, "fuzz.json");
                }
            }
            Err(e) => {
                for line in e.to_string().lines() {
                    assert!(line.starts_with("fuzz.json"), "{}: {line}", file.display());
                }
            }
        }
    }
}
