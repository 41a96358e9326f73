//! Helpers shared by the integration tests.

use callsim::model::{Replication, simulate};
use callsim::runner::replication_streams;
use callsim::scenario::{parse, validate::ValidScenario};

/// Parses and validates scenario JSON, panicking with the message on bad input.
pub fn scenario(json: &str) -> ValidScenario {
    parse(json.as_bytes(), "test.json").unwrap_or_else(|e| panic!("{e}"))
}

/// Runs replication `r` of `sc` directly on the model.
pub fn replication(sc: &ValidScenario, r: u32) -> Replication {
    simulate(sc, replication_streams(sc, r))
}
