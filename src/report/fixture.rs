//! Hand-made reports for the renderers' unit tests, so that they test rendering alone and
//! need no simulation.

use super::{Provenance, Report};
use crate::stats::ci::Estimate;
use indexmap::IndexMap;

/// An estimate `mean ± half`.
pub fn estimate(mean: f64, half: f64) -> Estimate {
    Estimate {
        mean: Some(mean),
        ci95: Some([mean - half, mean + half]),
    }
}

/// A report of `replications` named `name` with one queue, `phone`, and one staff group,
/// `agents`, each with the given `(metric, mean, half-width)` values; no intervals, days or
/// targets.
pub fn report(
    name: &str,
    replications: u32,
    phone: &[(&str, f64, f64)],
    agents: &[(&str, f64, f64)],
) -> Report {
    let metrics = |values: &[(&str, f64, f64)]| -> IndexMap<String, Estimate> {
        let each = values
            .iter()
            .map(|(m, mean, half)| (m.to_string(), estimate(*mean, *half)));
        each.collect()
    };
    Report {
        scenario: name.to_string(),
        replications,
        seed: 1,
        provenance: Provenance {
            callsim_version: String::new(),
            scenario_sha256: String::new(),
            seed: 1,
            replications,
            rng: String::new(),
            streams: String::new(),
            events: 0,
        },
        queues: IndexMap::from([("phone".to_string(), metrics(phone))]),
        staff: IndexMap::from([("agents".to_string(), metrics(agents))]),
        days: IndexMap::new(),
        intervals: vec![],
        targets: vec![],
        warnings: vec![],
        replications_stopped_early: 0,
    }
}
