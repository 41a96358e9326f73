//! What one replication records: per queue, day, staff group and report interval. The
//! runner turns these into metrics.

use crate::stats::{IntervalGrid, WaitHistogram};

/// What one queue saw in one replication (contacts arriving at or after the warm-up).
#[derive(Debug, Clone, Default)]
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
#[derive(Debug, Clone, Copy, Default)]
pub struct DayTally {
    /// Contacts answered.
    pub answered: u32,
    /// Their total wait.
    pub wait_answered_s: f64,
    /// Contacts waiting at the end of the day (24:00).
    pub backlog_end: u32,
}

/// What one staff group did in one replication.
#[derive(Debug, Clone, Default)]
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
#[derive(Debug, Clone, Copy, Default)]
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
#[derive(Debug, Clone)]
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
    /// Time the last contact left.
    pub end_s: f64,
}
