//! What `callsim backtest` counts of each day of a log, one contact at a time: per date and
//! scenario queue the observed figures and the arrivals per interval, and who served when.
//! Memory grows with the days, queues and agents, not with the rows (but for the identified
//! callers' attempts, as in `fit`).

use crate::calllog::{Call, time};
use crate::fit::observe::{Activity, Attempts};
use chrono::NaiveDate;
use indexmap::IndexMap;
use std::collections::{BTreeMap, HashMap};

/// One queue's day, as the log shows it.
#[derive(Debug, Clone, Default)]
pub struct QueueDay {
    /// Contacts that entered the queue (attempts: redials included).
    pub offered: u64,
    pub answered: u64,
    pub abandoned: u64,
    /// Answered within the scenario's `service_level_within`.
    pub within_sl: u64,
    /// Total wait of the answered.
    pub wait_answered_s: f64,
    /// Contacts per arrival interval of the day.
    pub per_slot: Vec<u64>,
    /// Of them, redials (the same caller again after abandoning: see [`Attempts`]).
    pub redials_per_slot: Vec<u64>,
}

impl QueueDay {
    /// The observed value of a back-tested metric (the contract's definitions); `None` when
    /// it has nothing to average over.
    pub fn value(&self, metric: super::Metric) -> Option<f64> {
        use super::Metric::*;
        let ratio = |a: f64, b: u64| (b > 0).then(|| a / b as f64);
        match metric {
            Offered => Some(self.offered as f64),
            Answered => Some(self.answered as f64),
            AsaS => ratio(self.wait_answered_s, self.answered),
            AbandonRate => ratio(self.abandoned as f64, self.answered + self.abandoned),
            ServiceLevel => ratio(self.within_sl as f64, self.offered),
        }
    }
}

/// Everything counted.
#[derive(Debug, Clone)]
pub struct Observed {
    /// The scenario's queues, in order, and their service-level thresholds (s).
    queues: IndexMap<String, f64>,
    /// Arrival interval (s).
    pub step_s: f64,
    /// Date → per scenario queue, its day.
    pub days: BTreeMap<NaiveDate, Vec<QueueDay>>,
    /// Contacts of call types the scenario has no queue for, by type.
    pub other_types: IndexMap<String, u64>,
    /// Who served what, when (every call type).
    pub activity: Activity,
    /// (date, queue) → the minutes of the day through which some caller of the queue waited
    /// (from its start to its end), a bit each.
    pub waiting: HashMap<(NaiveDate, usize), Vec<u64>>,
    attempts: Attempts,
}

impl Observed {
    /// `queues`: the scenario's queue names with their service-level thresholds.
    pub fn new(queues: IndexMap<String, f64>, step_s: f64) -> Self {
        Observed {
            queues,
            step_s,
            days: BTreeMap::new(),
            other_types: IndexMap::new(),
            activity: Activity::default(),
            waiting: HashMap::new(),
            attempts: Attempts::default(),
        }
    }

    /// Arrival intervals in a day (the last may be shorter).
    pub fn slots(&self) -> usize {
        (86_400.0 / self.step_s).ceil() as usize
    }

    /// The scenario's queue names.
    pub fn queue_names(&self) -> impl Iterator<Item = &String> {
        self.queues.keys()
    }

    /// Counts one contact.
    pub fn add(&mut self, c: &Call) {
        self.activity.add(c);
        let (slots, n) = (self.slots(), self.queues.len());
        let day = self.days.entry(time::date_of(c.arrival)).or_insert_with(|| {
            let empty = QueueDay {
                per_slot: vec![0; slots],
                redials_per_slot: vec![0; slots],
                ..QueueDay::default()
            };
            vec![empty; n]
        });
        let Some((q, _, &sl_s)) = self.queues.get_full(&c.kind) else {
            *self.other_types.entry(c.kind.clone()).or_default() += 1;
            return;
        };
        self.attempts.add(c, q as u32);
        let d = &mut day[q];
        d.offered += 1;
        d.per_slot[slot_of(c.arrival, self.step_s, slots)] += 1;
        match (c.answered, c.abandoned) {
            (Some(a), _) => {
                let wait = (a - c.arrival).max(0.0);
                d.answered += 1;
                d.wait_answered_s += wait;
                d.within_sl += u64::from(wait <= sl_s);
            }
            (None, Some(_)) => d.abandoned += 1,
            (None, None) => {}
        }
        if let Some(left) = c.answered.or(c.abandoned) {
            self.mark_waiting(q, c.arrival, left);
        }
    }

    /// Whether some caller of `queue` waited through `minute` of `date`.
    pub fn waited(&self, date: NaiveDate, queue: &str, minute: usize) -> bool {
        let Some(q) = self.queues.get_index_of(queue) else { return false };
        self.waiting.get(&(date, q)).is_some_and(|bits| bits[minute / 64] >> (minute % 64) & 1 == 1)
    }

    /// Marks the whole minutes of `[from, to)` (within `from`'s day) as minutes a caller of
    /// queue `q` waited through.
    fn mark_waiting(&mut self, q: usize, from: f64, to: f64) {
        let date = time::date_of(from);
        let day_start = time::start_of(date);
        let first = ((from - day_start) / 60.0).ceil() as usize;
        let end = (((to - day_start) / 60.0).floor() as usize).min(1440);
        if first >= end {
            return;
        }
        let bits = self.waiting.entry((date, q)).or_insert_with(|| vec![0; 1440usize.div_ceil(64)]);
        for m in first..end {
            bits[m / 64] |= 1 << (m % 64);
        }
    }

    /// Marks, once every contact is in, each redial in its day's interval.
    pub fn count_redials(&mut self) {
        let (days, step_s) = (&mut self.days, self.step_s);
        self.attempts.abandonments(&mut |q, redial| {
            let Some((next, _)) = redial else { return };
            if let Some(day) = days.get_mut(&time::date_of(next)) {
                let d = &mut day[q as usize];
                let slot = slot_of(next, step_s, d.per_slot.len());
                d.redials_per_slot[slot] += 1;
            }
        });
    }
}

/// The interval of the day that time `t` falls in.
fn slot_of(t: f64, step_s: f64, slots: usize) -> usize {
    ((time::clock_of(t) / step_s) as usize).min(slots - 1)
}
