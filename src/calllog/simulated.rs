//! A simulated replication's attempts as a call log (`callsim run --calls`): time 0 is
//! Monday 2024-01-01 00:00, and a caller's id is the same on each of its redials. callsim
//! does not tell one agent of a group from another, so the services are dealt to numbered
//! agents of the group (`agents-3`) as longest-idle routing deals them: each to the agent
//! free the longest, a new one only when every agent so far is busy.

use super::{Call, time};
use crate::model::trace::Traced;
use crate::scenario::validate::ValidScenario;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// The date simulated time 0 falls on: a Monday, as time 0 is.
pub fn start() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default()
}

/// `traced` as calls, in order of arrival.
pub fn calls(sc: &ValidScenario, mut traced: Vec<Traced>) -> Vec<Call> {
    traced.sort_by(|a, b| a.arrival.total_cmp(&b.arrival).then(a.queue.cmp(&b.queue)));
    let agents = agents(&traced);
    let zero = time::start_of(start());
    let mut callers: HashMap<(u32, u64), usize> = HashMap::new();
    traced
        .iter()
        .zip(agents)
        .map(|(t, agent)| {
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
                agent: t.group.zip(agent).map(|(g, n)| format!("{}-{n}", sc.groups[g as usize].name)),
                caller: Some(caller.to_string()),
                priority: u32::from(t.class),
            }
        })
        .collect()
}

/// A group's agents so far: the free ones by (free since, as bits; number), and how many.
type Agents = (BinaryHeap<Reverse<(u64, u32)>>, u32);

/// The number of the agent who served each answered attempt, within its group: services in
/// order of their start, each to the agent of the group free the longest (ties: the lowest
/// number), or to a new agent when all are busy.
fn agents(traced: &[Traced]) -> Vec<Option<u32>> {
    let mut order: Vec<usize> = (0..traced.len()).filter(|&i| traced[i].answered.is_some()).collect();
    order.sort_by(|&a, &b| traced[a].answered.unwrap_or(0.0).total_cmp(&traced[b].answered.unwrap_or(0.0)));
    let mut free: HashMap<u32, Agents> = HashMap::new();
    let mut out = vec![None; traced.len()];
    for i in order {
        let (Some(g), Some(start), Some(end)) = (traced[i].group, traced[i].answered, traced[i].end) else { continue };
        let (heap, count) = free.entry(g).or_default();
        // Times are non-negative, so their bits order as they do.
        let agent = match heap.peek() {
            Some(&Reverse((since, n))) if f64::from_bits(since) <= start => {
                heap.pop();
                n
            }
            _ => {
                *count += 1;
                *count
            }
        };
        heap.push(Reverse((end.max(0.0).to_bits(), agent)));
        out[i] = Some(agent);
    }
    out
}
