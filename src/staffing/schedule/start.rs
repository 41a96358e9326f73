//! The schedule search's start: Erlang A per interval (Erlang C for a queue without
//! patience), as an Erlang calculator would staff each interval on its own, in steady state.

use super::slots::{Collected, SlotMetric, SlotTarget, Week};
use crate::scenario::validate::{QueueModel, ValidScenario};
use crate::theory::{Performance, erlang_a, erlang_c};

/// Per slot: the offered load in Erlangs of the queues the group serves up to its last
/// targeted one (arrival rate × mean handle time), and the Erlang start for the group.
pub struct Start {
    pub load: Vec<f64>,
    pub agents: Vec<u32>,
}

/// Mean handle time, counting contacts that do not reach the customer.
fn mean_handle_s(q: &QueueModel) -> f64 {
    let h = q.handle.mean();
    q.unreached
        .as_ref()
        .map_or(h, |(share, d)| (1.0 - share) * h + share * d.mean())
}

/// Steady-state performance of queue `q` with `agents` at arrival rate `lambda` (per second).
fn performance(q: &QueueModel, lambda: f64, agents: u32) -> Option<Performance> {
    let mu = 1.0 / mean_handle_s(q);
    match &q.patience {
        Some(p) => Some(erlang_a(lambda, mu, 1.0 / p.mean(), agents, q.sl_within_s)),
        None => erlang_c(lambda, mu, agents, q.sl_within_s),
    }
}

/// Whether Erlang meets every target of queue `q` at `agents`.
fn meets(q: &QueueModel, lambda: f64, agents: u32, targets: &[&SlotTarget]) -> bool {
    let Some(p) = performance(q, lambda, agents) else {
        return false;
    };
    targets.iter().all(|t| {
        let v = match t.metric {
            SlotMetric::Asa => p.asa_s,
            SlotMetric::ServiceLevel => p.service_level,
            SlotMetric::AbandonRate => p.abandon_rate,
        };
        t.min.is_none_or(|m| v >= m) && t.max.is_none_or(|m| v <= m)
    })
}

/// The fewest agents (up to `top`) at which Erlang meets `targets` of queue `q`, by
/// bisection: every Erlang measure improves with each agent added.
pub fn erlang_need(q: &QueueModel, lambda: f64, targets: &[&SlotTarget], top: u32) -> u32 {
    if lambda <= 0.0 {
        return 0;
    }
    let (mut lo, mut hi) = (0, top);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if meets(q, lambda, mid, targets) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    hi
}

/// The Erlang start in every slot for group `g`: per targeted queue the Erlang requirement at
/// the interval's simulated arrival rate (redials and booked calls included), plus the load of
/// the untargeted queues the group serves before them (its agents' time goes there first),
/// less the agents of other groups serving the targeted queues.
pub fn start(
    sc: &ValidScenario,
    g: usize,
    week: Week,
    base: &Collected,
    others: &[f64],
    targets: &[SlotTarget],
    top: u32,
) -> Start {
    let serves = &sc.groups[g].serves;
    let targeted = |q: usize| targets.iter().any(|t| t.queue == q);
    let last = serves.iter().rposition(|&q| targeted(q)).unwrap_or(0);
    let (mut load, mut agents) = (vec![0.0; week.count], vec![0; week.count]);
    for slot in 0..week.count {
        let mut need = 0.0;
        for &q in &serves[..=last] {
            let queue = &sc.queues[q];
            let lambda = base.offered(slot, q) / week.step_s;
            let a = lambda * mean_handle_s(queue);
            load[slot] += a;
            let mine: Vec<&SlotTarget> = targets.iter().filter(|t| t.queue == q).collect();
            need += if mine.is_empty() {
                a
            } else {
                f64::from(erlang_need(queue, lambda, &mine, top))
            };
        }
        agents[slot] = (need - others[slot]).ceil().clamp(0.0, f64::from(top)) as u32;
    }
    Start { load, agents }
}
