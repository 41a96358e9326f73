//! What `callsim fit` counts while it reads a log, one contact at a time: sums, histograms and
//! small fixed samples, so memory grows with the queues, agents and days of the log, not with
//! its rows.

use crate::calllog::{Call, time};
use chrono::NaiveDate;
use indexmap::IndexMap;
use std::collections::{BTreeMap, HashMap};

/// Longest wait the patience histogram tells apart (s); longer waits share its last bin.
pub const MAX_WAIT_S: usize = 3600;
/// Handle times kept per queue for the empirical distribution and the goodness of fit.
pub const SAMPLE: usize = 4000;
/// A caller who calls again within this long after hanging up is redialling (s).
pub const REDIAL_WINDOW_S: f64 = 3600.0;
/// Minutes of a day.
const MINUTES: usize = 1440;

/// One queue's observations.
#[derive(Debug, Clone, Default)]
pub struct QueueSeen {
    /// Contacts per date.
    pub per_date: BTreeMap<NaiveDate, u64>,
    /// Contacts per (weekday, interval of the day), summed over the dates.
    pub per_slot: Vec<[u64; 7]>,
    /// Handle times: count, Σ ln h, Σ (ln h)² over positive ones, and a fixed sample.
    pub handle_n: u64,
    pub handle_log_sum: f64,
    pub handle_log_sq: f64,
    pub handle_sample: Vec<f64>,
    /// Handle times of 0 s (kept out of the lognormal fit).
    pub handle_zero: u64,
    /// Every `handle_stride`-th handle time is in the sample.
    pub handle_stride: u64,
    /// Waits by whole second: abandoned (events) and answered (censored).
    pub abandoned_at: Vec<u64>,
    pub answered_at: Vec<u64>,
    /// Σ waits of every contact that waited (exposure to abandoning).
    pub wait_sum: f64,
    /// Abandonments of identified callers, and those followed by a redial.
    pub abandons_identified: u64,
    pub redials: u64,
    pub redial_gap_sum: f64,
    /// Contacts by priority value.
    pub priorities: BTreeMap<u32, u64>,
    /// Contacts that left otherwise (neither answered nor abandoned).
    pub left_otherwise: u64,
}

/// Everything counted.
#[derive(Debug, Clone)]
pub struct Observed {
    /// Interval length (s) of the arrival and staffing profiles.
    pub step_s: f64,
    pub queues: IndexMap<String, QueueSeen>,
    /// The dates with any contact.
    pub dates: BTreeMap<NaiveDate, ()>,
    /// Who served what, when.
    pub activity: Activity,
    attempts: Attempts,
}

/// Who served what, and when.
#[derive(Debug, Clone, Default)]
pub struct Activity {
    /// Agent → queue → contacts served.
    pub served: IndexMap<String, IndexMap<String, u64>>,
    /// (agent, date) → the minutes of that day the agent was serving, a bit each.
    pub busy: HashMap<(String, NaiveDate), Vec<u64>>,
}

/// Identified callers' attempts: caller → (arrival, abandoned at, queue index). Logs need not
/// be in time order (the bank's are sorted by VRU line), so redials are found once all is
/// read: 24 bytes per identified caller's attempt, the one count that grows with rows.
#[derive(Debug, Clone, Default)]
pub struct Attempts(HashMap<String, Vec<(f64, Option<f64>, u32)>>);

impl Observed {
    pub fn new(step_s: f64) -> Self {
        Observed {
            step_s,
            queues: IndexMap::new(),
            dates: BTreeMap::new(),
            activity: Activity::default(),
            attempts: Attempts::default(),
        }
    }

    /// Intervals in a day.
    pub fn slots(&self) -> usize {
        (86_400.0 / self.step_s).round() as usize
    }

    /// Counts one contact.
    pub fn add(&mut self, c: &Call) {
        let slots = self.slots();
        let date = time::date_of(c.arrival);
        self.dates.insert(date, ());
        let slot = ((time::clock_of(c.arrival) / self.step_s) as usize).min(slots - 1);
        let weekday = time::weekday_of(c.arrival);
        let index = self.queues.get_index_of(&c.kind).unwrap_or(self.queues.len()) as u32;
        self.attempts.add(c, index);
        let q = self.queues.entry(c.kind.clone()).or_insert_with(|| QueueSeen {
            per_slot: vec![[0; 7]; slots],
            abandoned_at: vec![0; MAX_WAIT_S + 1],
            answered_at: vec![0; MAX_WAIT_S + 1],
            handle_stride: 1,
            ..QueueSeen::default()
        });
        *q.per_date.entry(date).or_default() += 1;
        q.per_slot[slot][weekday] += 1;
        *q.priorities.entry(c.priority).or_default() += 1;
        let wait_bin = |w: f64| (w.max(0.0).round() as usize).min(MAX_WAIT_S);
        match (c.answered, c.abandoned) {
            (Some(a), _) => {
                q.answered_at[wait_bin(a - c.arrival)] += 1;
                q.wait_sum += a - c.arrival;
            }
            (None, Some(b)) => {
                q.abandoned_at[wait_bin(b - c.arrival)] += 1;
                q.wait_sum += b - c.arrival;
            }
            (None, None) => q.left_otherwise += 1,
        }
        if let Some(h) = c.handle() {
            add_handle(q, h);
        }
        self.activity.add(c);
    }

    /// Counts, once every contact is in, each identified caller's abandonments and those
    /// followed by a redial ([`Attempts::abandonments`]).
    pub fn count_redials(&mut self) {
        let (queues, step_s) = (&mut self.queues, self.step_s);
        self.attempts.abandonments(&mut |q, redial| {
            let Some((_, seen)) = queues.get_index_mut(q as usize) else { return };
            seen.abandons_identified += 1;
            let Some((next, gap)) = redial else { return };
            seen.redials += 1;
            seen.redial_gap_sum += gap;
            // The scenario makes redials itself: arrivals are fresh calls.
            let slot = ((time::clock_of(next) / step_s) as usize).min(seen.per_slot.len() - 1);
            seen.per_slot[slot][time::weekday_of(next)] -= 1;
            if let Some(n) = seen.per_date.get_mut(&time::date_of(next)) {
                *n -= 1;
            }
        });
    }
}

impl Activity {
    /// Counts `c`'s service, if an agent is recorded.
    pub fn add(&mut self, c: &Call) {
        if let (Some(agent), Some(a), Some(e)) = (&c.agent, c.answered, c.end) {
            *self
                .served
                .entry(agent.clone())
                .or_default()
                .entry(c.kind.clone())
                .or_default() += 1;
            self.mark_busy(agent, a, e);
        }
    }

    /// Marks the minutes `[from, to)` busy for `agent`, day by day.
    fn mark_busy(&mut self, agent: &str, from: f64, to: f64) {
        let mut t = from;
        while t < to {
            let date = time::date_of(t);
            let day_end = time::start_of(date) + 86_400.0;
            let minutes = self
                .busy
                .entry((agent.to_string(), date))
                .or_insert_with(|| vec![0; MINUTES.div_ceil(64)]);
            let (a, b) = (time::clock_of(t) / 60.0, (to.min(day_end) - time::start_of(date)) / 60.0);
            for m in (a.floor() as usize)..(b.ceil() as usize).min(MINUTES) {
                minutes[m / 64] |= 1 << (m % 64);
            }
            t = day_end;
        }
    }
}

impl Attempts {
    /// Keeps `c`'s arrival and abandonment if its caller is identified; `queue` is its queue's
    /// index.
    pub fn add(&mut self, c: &Call, queue: u32) {
        if let Some(caller) = &c.caller {
            self.0.entry(caller.clone()).or_default().push((c.arrival, c.abandoned, queue));
        }
    }

    /// Shows `visit` each abandonment of an identified caller, by queue index, with the
    /// arrival and the delay of the redial that followed it: the same caller's next call, if
    /// it is to the same queue within [`REDIAL_WINDOW_S`] of hanging up.
    pub fn abandonments(&mut self, visit: &mut dyn FnMut(u32, Option<(f64, f64)>)) {
        for attempts in self.0.values_mut() {
            attempts.sort_by(|a, b| a.0.total_cmp(&b.0));
            for (i, &(_, abandoned, q)) in attempts.iter().enumerate() {
                let Some(t) = abandoned else { continue };
                let redial = attempts
                    .get(i + 1)
                    .map(|&(next, _, nq)| (next, next - t, nq))
                    .filter(|&(_, gap, nq)| nq == q && (0.0..=REDIAL_WINDOW_S).contains(&gap));
                visit(q, redial.map(|(next, gap, _)| (next, gap)));
            }
        }
    }
}

/// Adds a handle time to the queue's sums, and to its sample if it is the stride-th: when
/// the sample holds twice [`SAMPLE`], every other one is dropped and the stride doubles, so
/// the sample stays evenly spread over the log, and the same on every reading.
fn add_handle(q: &mut QueueSeen, h: f64) {
    let seen = q.handle_n + q.handle_zero;
    if h <= 0.0 {
        q.handle_zero += 1;
    } else {
        q.handle_n += 1;
        q.handle_log_sum += h.ln();
        q.handle_log_sq += h.ln().powi(2);
    }
    if seen.is_multiple_of(q.handle_stride) {
        q.handle_sample.push(h.max(0.0));
        if q.handle_sample.len() >= 2 * SAMPLE {
            q.handle_sample = q.handle_sample.iter().copied().step_by(2).collect();
            q.handle_stride *= 2;
        }
    }
}
