//! What one replication records: per queue, day, staff group and report interval. The
//! runner turns these into metrics.

use super::callers::Contact;
use crate::scenario::validate::ValidScenario;
use crate::stats::{IntervalGrid, WaitHistogram};

/// What one queue saw in one replication (contacts arriving at or after the warm-up).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct QueueTally {
    /// Contacts that arrived (attempts: first calls and redials).
    pub offered: u64,
    /// Of them, first attempts (distinct callers).
    pub callers: u64,
    /// Of them, redials.
    pub redials: u64,
    /// Callers who gave up for good (abandoned without redialling, or redialled into a closed
    /// queue with `when_closed: lost`), counted by their first attempt.
    pub callers_lost: u64,
    /// Contacts answered.
    pub answered: u64,
    /// Contacts that abandoned.
    pub abandoned: u64,
    /// Answered contacts that did not reach the customer (`unreached`).
    pub unreached: u64,
    /// Contacts answered within the service-level threshold.
    pub within_sl: u64,
    /// Total wait of answered contacts.
    pub wait_answered_s: f64,
    /// Total wait of abandoned contacts.
    pub wait_abandoned_s: f64,
    /// Longest wait of an answered contact.
    pub max_wait_s: f64,
    /// Waits of answered contacts.
    pub waits: WaitHistogram,
    /// Integral of the number waiting over `[warmup, horizon)`.
    pub queue_len_area: f64,
    /// Answered contacts by the day of their arrival (day 0 starts at time 0).
    pub days: Vec<DayTally>,
    /// Callers who booked a callback instead of waiting.
    pub booked: u64,
    /// Bookings made into this queue's slots (by booking time).
    pub bookings: u64,
    /// Total time from booking to slot start.
    pub booking_lead_s: f64,
    /// Longest time from booking to slot start.
    pub booking_lead_max_s: f64,
    /// Times from booking to slot start.
    pub booking_leads: WaitHistogram,
    /// Bookings in slots starting in `[warmup, horizon)`.
    pub slots_booked: f64,
    /// Capacity of those slots.
    pub slots_capacity: f64,
    /// Booked calls not yet answered at the horizon (slot later, or waiting).
    pub bookings_unserved_at_horizon: u64,
}

/// Answered contacts that arrived on one day.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct DayTally {
    /// Contacts answered.
    pub answered: u32,
    /// Their total wait.
    pub wait_answered_s: f64,
    /// Contacts waiting at the end of the day (24:00).
    pub backlog_end: u32,
}

/// What one staff group did in one replication.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct GroupTally {
    /// Busy agent-seconds over `[warmup, horizon)`.
    pub busy_area: f64,
    /// On-duty agent-seconds over `[warmup, horizon)`.
    pub on_duty_area: f64,
    /// Busy agent-seconds per report interval.
    pub busy_by_interval: Vec<f64>,
    /// Scheduled agent-seconds per report interval.
    pub scheduled_by_interval: Vec<f64>,
    /// Busy agent-seconds over `[warmup, horizon)` serving each queue (by queue index).
    pub busy_by_queue: Vec<f64>,
}

/// Per-interval counts of one queue, by the interval of each contact's arrival.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct IntervalTally {
    /// Contacts that arrived.
    pub offered: u32,
    /// Of them, answered.
    pub answered: u32,
    /// Of them, abandoned.
    pub abandoned: u32,
    /// Of them, answered within the service-level threshold.
    pub within_sl: u32,
    /// Total wait of the answered.
    pub wait_answered_s: f64,
}

/// The outcome of one replication.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Replication {
    /// Per queue, in scenario order.
    pub queues: Vec<QueueTally>,
    /// Per staff group, in scenario order.
    pub groups: Vec<GroupTally>,
    /// The report intervals.
    pub grid: IntervalGrid,
    /// Per interval and queue: index `interval * queues + queue`.
    pub intervals: Vec<IntervalTally>,
    /// Set when the run was stopped early (too many waiting, or a drain that never ended),
    /// with the time it stopped.
    pub capped_at: Option<f64>,
    /// Events processed.
    pub events: u64,
    /// Time the last contact left (the tests' check that the model drains).
    #[cfg_attr(not(feature = "internals"), allow(dead_code))]
    pub end_s: f64,
}

/// Records contacts' outcomes into the tallies, counting only contacts that arrived at or
/// after the warm-up (a booking and a lost caller by their own times, as the metrics define
/// them): the one place that applies the warm-up to contacts.
#[derive(Debug)]
pub(super) struct Recorder {
    warmup_s: f64,
    /// Per queue: the service-level threshold (seconds).
    sl_within_s: Vec<f64>,
    /// Per queue.
    pub(super) queues: Vec<QueueTally>,
    /// Per interval and queue: index `interval * queues + queue`.
    pub(super) intervals: Vec<IntervalTally>,
}

impl Recorder {
    /// Empty tallies for `sc`, with `days` days and `intervals` report intervals.
    pub(super) fn new(sc: &ValidScenario, days: usize, intervals: usize) -> Self {
        let queue = QueueTally {
            days: vec![DayTally::default(); days],
            ..Default::default()
        };
        Recorder {
            warmup_s: sc.warmup_s,
            sl_within_s: sc.queues.iter().map(|q| q.sl_within_s).collect(),
            queues: vec![queue; sc.queues.len()],
            intervals: vec![IntervalTally::default(); intervals * sc.queues.len()],
        }
    }

    /// Whether what happens at or to a contact arriving at `t` counts.
    #[inline]
    fn counts(&self, t: f64) -> bool {
        t >= self.warmup_s
    }

    /// The per-interval record of contact `c`, if it falls in the grid.
    #[inline]
    fn interval_of(&mut self, c: &Contact) -> Option<&mut IntervalTally> {
        let i = c.interval as usize * self.queues.len() + c.queue as usize;
        self.intervals.get_mut(i)
    }

    /// An attempt arriving at queue `q` at `arrival` (a redial when its caller first arrived
    /// earlier), in report interval `interval` (`u32::MAX` outside the grid).
    #[inline]
    pub(super) fn offer(&mut self, q: usize, arrival: f64, first_arrival: f64, interval: u32) {
        if !self.counts(arrival) {
            return;
        }
        let t = &mut self.queues[q];
        t.offered += 1;
        if arrival == first_arrival {
            t.callers += 1;
        } else {
            t.redials += 1;
        }
        if interval != u32::MAX {
            self.intervals[interval as usize * self.queues.len() + q].offered += 1;
        }
    }

    /// `c` answered after waiting `wait`.
    #[inline]
    pub(super) fn answer(&mut self, c: &Contact, wait: f64) {
        if !self.counts(c.arrival) {
            return;
        }
        let q = c.queue as usize;
        let within = u32::from(wait <= self.sl_within_s[q]);
        let t = &mut self.queues[q];
        t.answered += 1;
        t.within_sl += u64::from(within);
        t.wait_answered_s += wait;
        t.max_wait_s = t.max_wait_s.max(wait);
        t.waits.record(wait);
        if let Some(day) = t.days.get_mut(c.day as usize) {
            day.answered += 1;
            day.wait_answered_s += wait;
        }
        if let Some(iv) = self.interval_of(c) {
            iv.answered += 1;
            iv.within_sl += within;
            iv.wait_answered_s += wait;
        }
    }

    /// `c`, answered, did not reach the customer (outbound work).
    pub(super) fn unreached(&mut self, c: &Contact) {
        if self.counts(c.arrival) {
            self.queues[c.queue as usize].unreached += 1;
        }
    }

    /// `c` hung up after waiting `wait`.
    pub(super) fn abandon(&mut self, c: &Contact, wait: f64) {
        if !self.counts(c.arrival) {
            return;
        }
        let t = &mut self.queues[c.queue as usize];
        t.abandoned += 1;
        t.wait_abandoned_s += wait;
        if let Some(iv) = self.interval_of(c) {
            iv.abandoned += 1;
        }
    }

    /// `c`'s caller gave up for good: counted by the caller's first arrival.
    pub(super) fn caller_lost(&mut self, c: &Contact) {
        if self.counts(c.first_arrival) {
            self.queues[c.queue as usize].callers_lost += 1;
        }
    }

    /// A caller of queue `q` booked, at `now`, a slot of queue `to` starting `lead` later:
    /// counted by booking time.
    pub(super) fn booking(&mut self, q: usize, to: usize, now: f64, lead: f64) {
        if !self.counts(now) {
            return;
        }
        self.queues[q].booked += 1;
        let t = &mut self.queues[to];
        t.bookings += 1;
        t.booking_lead_s += lead;
        t.booking_leads.record(lead);
        t.booking_lead_max_s = t.booking_lead_max_s.max(lead);
    }
}
