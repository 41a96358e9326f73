//! The README documents every metric and every scenario key the code knows.

use callsim::metrics::{QueueMetric, STAFF_METRICS};
use std::path::Path;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

#[test]
fn readme_defines_every_metric() {
    let text = readme();
    let staff = STAFF_METRICS.iter().map(|m| m.def());
    for def in QueueMetric::ALL.iter().map(|m| m.def()).chain(staff) {
        assert!(
            text.contains(&format!("| `{}` |", def.name)),
            "README lacks a row for metric {}",
            def.name
        );
    }
}

#[test]
fn readme_documents_every_scenario_key() {
    let text = readme();
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
            "README does not document the key `{key}`"
        );
    }
}
