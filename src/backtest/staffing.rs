//! The staffing of each day of a log, in the scenario's staff groups: each agent joins the
//! group that serves what they served, and is on duty as `callsim fit` infers it (from the
//! first minute they serve to the last, a gap of more than half an hour being off duty).

use crate::calllog::mapping::Mapping;
use crate::fit::observe::Activity;
use crate::fit::staffing::{on_duty_minutes, on_duty_shares, served_queues, serving_minutes};
use chrono::NaiveDate;
use indexmap::IndexMap;
use std::collections::BTreeMap;

/// Step of the day's staffing (s): five minutes, so that a day's inferred shifts keep their
/// shape (a whole agent per step, rounded).
pub const STEP_S: f64 = 300.0;

/// A scenario staff group: its name and the queues it serves.
pub struct Group {
    pub name: String,
    pub serves: Vec<String>,
}

/// Who worked in which group.
pub struct Staffing {
    /// Date → per group, agents on duty per [`STEP_S`] of the day (fractions: the share of
    /// the step each agent was on duty, summed).
    pub by_date: BTreeMap<NaiveDate, Vec<Vec<f64>>>,
    /// Date → per group, the minutes its agents were on duty and serving nobody while a
    /// caller of a queue the group serves waited through the whole minute.
    pub idle_while_waiting: BTreeMap<NaiveDate, Vec<u64>>,
    /// Per group, its agents.
    pub agents: Vec<Vec<String>>,
    /// Agents who served only call types the scenario has no queue for.
    pub unplaced: Vec<String>,
}

/// The group an agent belongs to, from `by_queue`, the contacts they served per queue (only
/// the scenario's queues count): the group serving exactly the queues the agent serves (as
/// `fit` groups agents), else the group serving most of the agent's contacts, then the one
/// with the fewest queues the agent does not serve, then the first.
pub fn group_of(by_queue: &IndexMap<String, u64>, groups: &[Group]) -> Option<usize> {
    let own: IndexMap<String, u64> = by_queue
        .iter()
        .filter(|(q, _)| groups.iter().any(|g| g.serves.contains(q)))
        .map(|(q, n)| (q.clone(), *n))
        .collect();
    let serves = served_queues(&own);
    if serves.is_empty() {
        return None;
    }
    let same = |g: &Group| g.serves.len() == serves.len() && serves.iter().all(|q| g.serves.contains(q));
    if let Some(i) = groups.iter().position(same) {
        return Some(i);
    }
    let covered = |g: &Group| -> u64 { own.iter().filter(|(q, _)| g.serves.contains(q)).map(|(_, n)| n).sum() };
    let extra = |g: &Group| g.serves.iter().filter(|q| !serves.contains(q)).count();
    groups
        .iter()
        .enumerate()
        .max_by_key(|(i, g)| (covered(g), std::cmp::Reverse(extra(g)), std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
}

/// Each date's staffing in `groups`: an agent the map places in a group of the scenario is in
/// it, any other in the group [`group_of`] finds. An agent is on duty from a service to the next unless
/// more than `break_min` minutes lie between. `waited(date, queue, minute)`: whether a caller
/// of the queue waited through that minute of the date.
pub fn infer(
    activity: &Activity,
    groups: &[Group],
    (break_min, mapping): (usize, &Mapping),
    waited: &dyn Fn(NaiveDate, &str, usize) -> bool,
) -> Staffing {
    let steps = (86_400.0 / STEP_S) as usize;
    let mut placed: IndexMap<&String, usize> = IndexMap::new();
    let mut s = Staffing {
        by_date: BTreeMap::new(),
        idle_while_waiting: BTreeMap::new(),
        agents: vec![vec![]; groups.len()],
        unplaced: vec![],
    };
    for (agent, by_queue) in &activity.served {
        let named = mapping.group_of(agent).and_then(|n| groups.iter().position(|g| g.name == n));
        match named.or_else(|| group_of(by_queue, groups)) {
            Some(g) => {
                placed.insert(agent, g);
                s.agents[g].push(agent.clone());
            }
            None => s.unplaced.push(agent.clone()),
        }
    }
    for ((agent, date), minutes) in &activity.busy {
        let Some(&g) = placed.get(agent) else { continue };
        let on = on_duty_minutes(minutes, break_min);
        let day = s.by_date.entry(*date).or_insert_with(|| vec![vec![0.0; steps]; groups.len()]);
        for (step, share) in on_duty_shares(&on, STEP_S).into_iter().enumerate() {
            day[g][step] += share;
        }
        let serving = serving_minutes(minutes);
        let idle = (0..on.len())
            .filter(|&m| on[m] && !serving[m] && groups[g].serves.iter().any(|q| waited(*date, q, m)))
            .count() as u64;
        s.idle_while_waiting.entry(*date).or_insert_with(|| vec![0; groups.len()])[g] += idle;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(name: &str, serves: &[&str]) -> Group {
        Group {
            name: name.into(),
            serves: serves.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn served(counts: &[(&str, u64)]) -> IndexMap<String, u64> {
        counts.iter().map(|(q, n)| (q.to_string(), *n)).collect()
    }

    #[test]
    fn an_agent_joins_the_group_that_serves_what_they_served() {
        let groups = [group("retail", &["PS", "NW"]), group("business", &["NE"]), group("all", &["PS", "NE", "NW"])];
        // Exactly the queues of a group (an occasional 2% of NE does not count).
        assert_eq!(group_of(&served(&[("NW", 30), ("PS", 68), ("NE", 2)]), &groups), Some(0));
        // Call types the scenario has no queue for do not count: NE alone is "business".
        assert_eq!(group_of(&served(&[("NE", 60), ("TT", 40)]), &groups), Some(1));
        // Only call types the scenario does not have.
        assert_eq!(group_of(&served(&[("TT", 9)]), &groups), None);
        // No exact match: the group covering most of their contacts...
        let two = &groups[..2];
        assert_eq!(group_of(&served(&[("PS", 30), ("NE", 70)]), two), Some(1));
        // ...and among those covering all, the one with fewest queues they did not serve.
        let wide = [group("all", &["PS", "NE", "NW", "TT"]), group("three", &["NE", "PS", "NW"])];
        assert_eq!(group_of(&served(&[("PS", 50), ("NE", 50)]), &wide), Some(1));
        assert_eq!(group_of(&served(&[("PS", 50), ("NE", 50)]), &wide[..1]), Some(0));
    }
}
