//! Agents on duty, inferred from agent activity (there is no roster in a call log).
//!
//! The estimator: an agent is on duty on a date from the first minute they serve to the last,
//! except across a gap of more than [`BREAK_MIN`] minutes (`--off-after`) without a service, which ends one
//! stint and starts another. Its bias: an agent is seen only while serving, so a stint's idle
//! start and end (signing in before the first call, waiting after the last) are missed, and an
//! agent on duty with no call at all is missed entirely; at quiet hours the estimate is low. A
//! long break is counted as off duty, a short one as on duty.
//!
//! Groups: each agent serves the queues that make at least [`MIN_SHARE`] of their calls;
//! agents serving the same queues form a group.

use super::observe::Observed;
use crate::calllog::mapping::Mapping;
use chrono::Datelike;
use indexmap::IndexMap;

/// A gap without a service longer than this (minutes) is off duty, unless `--off-after` says
/// otherwise.
pub const BREAK_MIN: usize = 30;
/// A queue an agent serves: at least this share of the agent's calls.
pub const MIN_SHARE: f64 = 0.05;

/// A staff group as inferred.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Group {
    /// The queues its agents serve, most served first.
    pub serves: Vec<String>,
    /// Its agents.
    pub agents: Vec<String>,
    /// Mean agents on duty per (weekday, interval), Monday first: `[slot][weekday]`.
    #[serde(skip)]
    pub on_duty: Vec<[f64; 7]>,
}

/// The queues an agent serves: those that make at least [`MIN_SHARE`] of `by_queue`, the
/// agent's contacts per queue; most served first.
pub fn served_queues(by_queue: &IndexMap<String, u64>) -> Vec<&String> {
    let total: u64 = by_queue.values().sum();
    let mut serves: Vec<(&String, u64)> = by_queue
        .iter()
        .filter(|(_, n)| **n as f64 >= MIN_SHARE * total as f64)
        .map(|(q, n)| (q, *n))
        .collect();
    serves.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    serves.into_iter().map(|s| s.0).collect()
}

/// The share of each interval of `step_s` of a day that an agent was on duty, from the
/// minutes `on` duty ([`on_duty_minutes`]).
pub fn on_duty_shares(on: &[bool], step_s: f64) -> Vec<f64> {
    let per_slot = (step_s / 60.0).round() as usize;
    on.chunks(per_slot)
        .map(|mins| mins.iter().filter(|m| **m).count() as f64 / per_slot as f64)
        .collect()
}

/// The groups: those `mapping` names, with their agents, then the others keyed by a name made
/// of the queues they serve; a gap of more than `break_min` minutes between an agent's
/// services is off duty.
pub fn groups(seen: &Observed, break_min: usize, mapping: &Mapping) -> IndexMap<String, Group> {
    let mut out = named_groups(seen, mapping);
    for (agent, by_queue) in &seen.activity.served {
        if mapping.group_of(agent).is_some() {
            continue;
        }
        let mut names = served_queues(by_queue);
        let key = {
            let mut sorted = names.clone();
            sorted.sort();
            format!("agents_{}", sorted.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("_"))
        };
        let g = out.entry(key).or_insert_with(|| Group {
            serves: names.drain(..).cloned().collect(),
            agents: vec![],
            on_duty: vec![[0.0; 7]; seen.slots()],
        });
        g.agents.push(agent.clone());
    }
    serve_every_queue(seen, &mut out);
    let days_of = weekday_counts(seen);
    for g in out.values_mut() {
        for ((agent, date), minutes) in &seen.activity.busy {
            if !g.agents.contains(agent) {
                continue;
            }
            let w = date.weekday().num_days_from_monday() as usize;
            for (slot, share) in on_duty_shares(&on_duty_minutes(minutes, break_min), seen.step_s).into_iter().enumerate() {
                g.on_duty[slot][w] += share / days_of[w].max(1) as f64;
            }
        }
    }
    out
}

/// The groups the map names whose agents served in the log: serving the queues the map gives
/// (those the log has), or else those their agents served together.
fn named_groups(seen: &Observed, mapping: &Mapping) -> IndexMap<String, Group> {
    let mut out = IndexMap::new();
    for (name, spec) in &mapping.groups {
        let agents: Vec<String> = spec.agents.iter().filter(|a| seen.activity.served.contains_key(*a)).cloned().collect();
        if agents.is_empty() {
            continue;
        }
        let mut together: IndexMap<String, u64> = IndexMap::new();
        for a in &agents {
            for (q, n) in &seen.activity.served[a] {
                *together.entry(q.clone()).or_default() += n;
            }
        }
        let given: Vec<String> = spec.serves.iter().flatten().filter(|q| seen.queues.contains_key(*q)).cloned().collect();
        let serves = if given.is_empty() { served_queues(&together).into_iter().cloned().collect() } else { given };
        out.insert(name.clone(), Group { serves, agents, on_duty: vec![[0.0; 7]; seen.slots()] });
    }
    out
}

/// A queue no agent serves for [`MIN_SHARE`] of their calls is served, last, by the group
/// whose agents served most of it (the largest group when nobody did).
fn serve_every_queue(seen: &Observed, groups: &mut IndexMap<String, Group>) {
    for queue in seen.queues.keys() {
        if groups.is_empty() || groups.values().any(|g| g.serves.contains(queue)) {
            continue;
        }
        let served_by = |g: &Group| -> u64 {
            g.agents
                .iter()
                .filter_map(|a| seen.activity.served.get(a)?.get(queue))
                .sum()
        };
        let best = groups
            .values_mut()
            .max_by_key(|g| (served_by(g), g.agents.len()))
            .expect("a group");
        best.serves.push(queue.clone());
    }
}

/// The log's dates per weekday.
pub fn weekday_counts(seen: &Observed) -> [u64; 7] {
    let mut n = [0; 7];
    for d in seen.dates.keys() {
        n[d.weekday().num_days_from_monday() as usize] += 1;
    }
    n
}

/// The minutes of a day on duty, from a bitmap of the minutes serving: from each service to
/// the next unless more than `break_min` minutes lie between.
pub fn on_duty_minutes(busy: &[u64], break_min: usize) -> Vec<bool> {
    let serving = serving_minutes(busy);
    let mut on = serving.clone();
    let mut last: Option<usize> = None;
    for (m, &s) in serving.iter().enumerate() {
        if s {
            if let Some(l) = last.filter(|l| m - l - 1 <= break_min) {
                on[l + 1..m].iter_mut().for_each(|x| *x = true);
            }
            last = Some(m);
        }
    }
    on
}

/// The minutes of a day marked in a bitmap of 1440 bits.
pub fn serving_minutes(busy: &[u64]) -> Vec<bool> {
    (0..1440).map(|m| busy[m / 64] >> (m % 64) & 1 == 1).collect()
}

/// Seconds of day `date` as a time of the log (for tests).
#[cfg(test)]
fn at(date: &str, clock: &str) -> f64 {
    crate::calllog::time::parse_datetime(&format!("{date} {clock}")).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calllog::Call;

    fn served(agent: &str, queue: &str, from: f64, to: f64) -> Call {
        Call {
            kind: queue.into(),
            arrival: from,
            answered: Some(from),
            abandoned: None,
            end: Some(to),
            agent: Some(agent.into()),
            caller: None,
            priority: 0,
        }
    }

    #[test]
    fn an_agent_is_on_duty_between_calls_unless_the_gap_is_a_break() {
        // 4 January 1999 was a Monday. DANA serves 09:00-09:10 and 09:30-09:40 (a
        // 20-minute gap: on duty), then 11:00-11:10 (a 80-minute gap: off duty). With 1-hour
        // intervals: 09:00-10:00 has 40 of 60 minutes on duty, 10:00-11:00 none, 11:00-12:00 10.
        let mut seen = Observed::new(3600.0);
        let d = "1999-01-04";
        for (a, b) in [("09:00:00", "09:10:00"), ("09:30:00", "09:40:00"), ("11:00:00", "11:10:00")] {
            seen.add(&served("DANA", "PS", at(d, a), at(d, b)));
        }
        seen.add(&served("IDO", "IN", at(d, "09:00:00"), at(d, "09:05:00")));
        let g = groups(&seen, BREAK_MIN, &Mapping::default());
        assert_eq!(g.keys().collect::<Vec<_>>(), ["agents_PS", "agents_IN"]);
        let ps = &g["agents_PS"];
        assert!((ps.on_duty[9][0] - 40.0 / 60.0).abs() < 1e-12, "{:?}", &ps.on_duty[9]);
        assert_eq!(ps.on_duty[10][0], 0.0);
        assert!((ps.on_duty[11][0] - 10.0 / 60.0).abs() < 1e-12);
        assert_eq!(g["agents_IN"].serves, ["IN"]);
    }
}
