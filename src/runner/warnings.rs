//! Advice about traps: overloaded queues nobody abandons, a single replication, capped runs.
//! Returned as text for the report; the CLI decides where to print it.

use crate::model::MAX_WAITING;
use crate::scenario::units::WEEK_S;
use crate::scenario::validate::ValidScenario;

/// Warnings that follow from the scenario alone.
pub fn for_scenario(sc: &ValidScenario) -> Vec<String> {
    let mut out = Vec::new();
    if sc.replications == 1 {
        out.push(
            "only 1 replication: the ci95 intervals are shown as [mean, mean] and say nothing about precision; run 5 or more".to_string(),
        );
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
            out.push(format!(
                "queue {}: offered load {load:.1} erlangs is at or above the {agents:.1} agents serving it (week average) and nobody abandons (no patience): the queue grows without bound. Runs stop when {MAX_WAITING} contacts wait. Add staff, or a patience distribution.",
                queue.name
            ));
        }
    }
    out
}

/// Warnings about replications that were stopped early.
pub fn for_capped(capped: &[(u32, f64)]) -> Vec<String> {
    match capped.first() {
        None => vec![],
        Some((r, t)) => vec![format!(
            "{} replication(s) were stopped early (the first, replication {r}, at {:.1} h): more than {MAX_WAITING} contacts waited, or the backlog did not clear; their results describe a truncated run",
            capped.len(),
            t / 3600.0
        )],
    }
}
