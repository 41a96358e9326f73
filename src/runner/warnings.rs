//! Finds the traps a report warns about: overloaded queues nobody abandons, a single
//! replication, capped runs. [`Warning`] words them; the CLI decides where to print them.

use crate::model::MAX_WAITING;
use crate::report::Warning;
use crate::scenario::units::WEEK_S;
use crate::scenario::validate::ValidScenario;

/// Warnings that follow from the scenario alone.
pub fn for_scenario(sc: &ValidScenario) -> Vec<Warning> {
    let mut out = Vec::new();
    if sc.replications == 1 {
        out.push(Warning::OneReplication);
    }
    for (q, queue) in sc.queues.iter().enumerate() {
        if queue.patience.is_some() {
            continue;
        }
        let load = queue.rate.week_integral() / WEEK_S * queue.handle.mean();
        let agents: f64 = sc
            .groups
            .iter()
            .filter(|g| g.serves.contains(&q))
            .map(|g| g.count.week_integral() / WEEK_S)
            .sum();
        if load > 0.0 && load >= agents {
            out.push(Warning::Overloaded {
                queue: queue.name.clone(),
                load,
                agents,
                max_waiting: MAX_WAITING,
            });
        }
    }
    out
}

/// Warnings about replications that were stopped early.
pub fn for_capped(capped: &[(u32, f64)]) -> Vec<Warning> {
    let first = capped.first();
    let stopped = first.map(|&(first, at_s)| Warning::StoppedEarly {
        count: capped.len(),
        first,
        at_s,
        max_waiting: MAX_WAITING,
    });
    stopped.into_iter().collect()
}
