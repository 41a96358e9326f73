//! The names and definitions of every reported metric: one list that the result JSON, the
//! table, the CSV, target validation and the README share.

/// A metric's name and exact definition.
#[derive(Debug, Clone, Copy)]
pub struct MetricDef {
    /// Key in the result JSON, e.g. `asa_s`.
    pub name: &'static str,
    /// Exact definition, per replication.
    pub definition: &'static str,
    /// Which queues report it.
    pub when: When,
}

/// Which queues report a metric: every queue, or those using a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Every queue.
    Always,
    /// Queues with `redial`.
    Redial,
    /// Queues with `unreached`.
    Unreached,
    /// Queues with a `callback` offer.
    Callback,
    /// Callback queues (with `slots`).
    Slots,
}

impl When {
    /// Whether queue `q` reports metrics of this kind.
    pub fn applies(self, q: &crate::scenario::validate::QueueModel) -> bool {
        match self {
            When::Always => true,
            When::Redial => q.redial.is_some(),
            When::Unreached => q.unreached.is_some(),
            When::Callback => q.callback.is_some(),
            When::Slots => q.slots.is_some(),
        }
    }
}

const fn m(name: &'static str, definition: &'static str) -> MetricDef {
    MetricDef {
        name,
        definition,
        when: When::Always,
    }
}

const fn only(when: When, name: &'static str, definition: &'static str) -> MetricDef {
    MetricDef {
        name,
        definition,
        when,
    }
}

/// Per-queue metrics, in report order. Each is computed per replication over contacts arriving
/// at or after the warm-up, then averaged over replications.
pub const QUEUE_METRICS: &[MetricDef] = &[
    m(
        "offered",
        "contacts that arrived (attempts: first calls and redials)",
    ),
    only(When::Redial, "callers", "distinct callers: first attempts"),
    only(
        When::Redial,
        "redials",
        "attempts that were redials of callers who had abandoned",
    ),
    only(
        When::Redial,
        "callers_lost",
        "callers who gave up for good (abandoned and did not redial, or redialled into a closed queue with when_closed lost), by their first attempt",
    ),
    m("answered", "contacts that reached an agent"),
    only(
        When::Unreached,
        "unreached",
        "answered contacts that did not reach the customer (outbound work with `unreached`)",
    ),
    m(
        "abandoned",
        "contacts that hung up before reaching an agent",
    ),
    m(
        "asa_s",
        "mean wait of answered contacts (average speed of answer)",
    ),
    m(
        "mean_wait_s",
        "mean wait of contacts that left the queue, answered or abandoned",
    ),
    m("wait_p50_s", "median wait of answered contacts"),
    m(
        "wait_p90_s",
        "90th percentile of the wait of answered contacts",
    ),
    m(
        "wait_p95_s",
        "95th percentile of the wait of answered contacts",
    ),
    m("max_wait_s", "longest wait of an answered contact"),
    m("abandon_rate", "abandoned / (answered + abandoned)"),
    m(
        "service_level",
        "answered within service_level_within / offered",
    ),
    m(
        "queue_len_mean",
        "time-average number of contacts waiting, over [warmup, horizon)",
    ),
    m(
        "backlog_end_of_day_mean",
        "contacts waiting at 24:00, averaged over the whole days in [warmup, horizon)",
    ),
    m(
        "backlog_end_of_day_max",
        "most contacts waiting at 24:00 on a whole day in [warmup, horizon)",
    ),
    only(
        When::Callback,
        "booked",
        "callers who booked a callback instead of waiting",
    ),
    only(
        When::Slots,
        "bookings",
        "bookings made into this queue's slots (by booking time)",
    ),
    only(
        When::Slots,
        "booking_lead_s",
        "mean time from booking to the booked slot's start",
    ),
    only(
        When::Slots,
        "booking_lead_p90_s",
        "90th percentile of the time from booking to slot start",
    ),
    only(
        When::Slots,
        "booking_lead_max_s",
        "longest time from booking to slot start",
    ),
    only(
        When::Slots,
        "slot_utilization",
        "bookings / capacity of the slots starting in [warmup, horizon)",
    ),
    only(
        When::Slots,
        "bookings_unserved_at_horizon",
        "booked calls not yet answered at the horizon (slot later, or waiting)",
    ),
    m(
        "asa_s_pooled",
        "total wait of answered / total answered, pooled over replications",
    ),
    m(
        "mean_wait_s_pooled",
        "total wait of those who left / total who left, pooled",
    ),
    m(
        "abandon_rate_pooled",
        "total abandoned / total (answered + abandoned), pooled",
    ),
    m(
        "service_level_pooled",
        "total answered within the threshold / total offered, pooled",
    ),
];

/// Per-staff-group metrics, in report order.
pub const STAFF_METRICS: &[MetricDef] = &[
    m(
        "utilization",
        "busy agent-time / on-duty agent-time over [warmup, horizon)",
    ),
    m(
        "utilization_pooled",
        "total busy agent-time / total on-duty agent-time, pooled",
    ),
    m(
        "agents_mean",
        "time-average agents on duty over [warmup, horizon)",
    ),
];

/// Whether `name` is a queue metric.
pub fn is_queue_metric(name: &str) -> bool {
    QUEUE_METRICS.iter().any(|d| d.name == name)
}

/// Whether `name` is a staff metric.
pub fn is_staff_metric(name: &str) -> bool {
    STAFF_METRICS.iter().any(|d| d.name == name)
}
