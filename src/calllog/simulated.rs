//! A simulated replication's attempts as a call log (`callsim run --calls`): time 0 is
//! Monday 2024-01-01 00:00, the agent is the staff group that served (callsim does not tell
//! one agent of a group from another), and a caller's id is the same on each of its redials.

use super::{Call, time};
use crate::model::trace::Traced;
use crate::scenario::validate::ValidScenario;
use std::collections::HashMap;

/// The date simulated time 0 falls on: a Monday, as time 0 is.
pub fn start() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default()
}

/// `traced` as calls, in order of arrival.
pub fn calls(sc: &ValidScenario, mut traced: Vec<Traced>) -> Vec<Call> {
    traced.sort_by(|a, b| a.arrival.total_cmp(&b.arrival).then(a.queue.cmp(&b.queue)));
    let zero = time::start_of(start());
    let mut callers: HashMap<(u32, u64), usize> = HashMap::new();
    traced
        .iter()
        .map(|t| {
            let next = callers.len() + 1;
            let caller = *callers
                .entry((t.queue, t.first_arrival.to_bits()))
                .or_insert(next);
            Call {
                kind: sc.queues[t.queue as usize].name.clone(),
                arrival: zero + t.arrival,
                answered: t.answered.map(|v| zero + v),
                abandoned: t.abandoned.map(|v| zero + v),
                end: t.end.map(|v| zero + v),
                agent: t.group.map(|g| sc.groups[g as usize].name.clone()),
                caller: Some(caller.to_string()),
                priority: u32::from(t.class),
            }
        })
        .collect()
}
