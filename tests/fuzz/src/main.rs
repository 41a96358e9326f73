//! Feeds arbitrary bytes to the scenario parser and validator, and a valid scenario's sweep
//! block to the sweep checker: any input must give a result or an error, never a panic, an
//! abort or a hang. `tests/it/fuzz_corpus.rs` runs the same body over the kept inputs.

fn main() {
    afl::fuzz!(|data: &[u8]| {
        one(data);
    });
}

fn one(data: &[u8]) {
    match callsim::scenario::parse(data, "fuzz.json") {
        Ok(_) => {
            if let Ok(raw) = serde_json::from_slice::<serde_json::Value>(data) {
                let _ = callsim::sweep::check_block(&raw, "fuzz.json");
            }
        }
        Err(e) => {
            // Every message is printable, one line per issue.
            let _ = e.to_string();
        }
    }
}
