//! The vocabulary of results: every reported metric as a type, with its one definition (name,
//! meaning, when it applies, unit, better direction, pooled or not), and the one parser of
//! metric paths (`phone.asa_s`, `staff.agents.utilization`).
//!
//! A leaf module: it knows no scenario and no simulation. Adding a metric means adding a
//! variant, and the compiler then points at every `match` that must say what it means.

use std::fmt;

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

/// What a metric's number counts, which decides how it is printed and which bounds a target
/// may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A number of contacts, callers or bookings.
    Count,
    /// A number of agents.
    Agents,
    /// A duration in seconds (a target may give a duration such as `"2m"`).
    Seconds,
    /// A duration in seconds that runs to days (booking lead times), shown in days.
    LeadTime,
    /// A share in [0, 1], shown as a percentage.
    Share,
}

impl Unit {
    /// Whether the metric is a duration in seconds.
    pub fn is_duration(self) -> bool {
        matches!(self, Unit::Seconds | Unit::LeadTime)
    }

    /// The smallest value the metric can take: every metric is non-negative.
    pub fn lower_limit(self) -> f64 {
        0.0
    }

    /// The largest value the metric can take (1 for shares).
    pub fn upper_limit(self) -> Option<f64> {
        (self == Unit::Share).then_some(1.0)
    }
}

/// Which way a metric gets better, for baselines and regressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    /// Lower is better (waits, abandonment, backlogs, lead times).
    Lower,
    /// Higher is better (service level).
    Higher,
    /// Neither: volumes and utilization describe, they do not judge.
    Neither,
}

/// A metric's definition: everything the result, the table, the docs and validation need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricDef {
    /// Key in the result JSON, e.g. `asa_s`.
    pub name: &'static str,
    /// Exact definition, per replication (for pooled metrics, over replications).
    pub definition: &'static str,
    /// Which queues report it.
    pub when: When,
    /// What its number counts.
    pub unit: Unit,
    /// Which way it gets better.
    pub better: Better,
    /// A ratio of totals over all replications (delta-method ci95) rather than a mean of
    /// per-replication values.
    pub pooled: bool,
}

const fn def(
    name: &'static str,
    when: When,
    unit: Unit,
    better: Better,
    definition: &'static str,
) -> MetricDef {
    MetricDef {
        name,
        definition,
        when,
        unit,
        better,
        pooled: false,
    }
}

const fn pooled(
    name: &'static str,
    unit: Unit,
    better: Better,
    definition: &'static str,
) -> MetricDef {
    MetricDef {
        name,
        definition,
        when: When::Always,
        unit,
        better,
        pooled: true,
    }
}

/// Declares [`QueueMetric`] and its list [`QueueMetric::ALL`] from one list of variants, so
/// the two cannot drift apart.
macro_rules! queue_metrics {
    ($($variant:ident),* $(,)?) => {
        /// A per-queue metric. Each is computed per replication over contacts arriving at or
        /// after the warm-up, then averaged over replications (the pooled ones: totals over
        /// replications).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(missing_docs)] // Each variant's definition is its `def()`.
        pub enum QueueMetric {
            $($variant),*
        }

        impl QueueMetric {
            /// Every queue metric, in report order.
            pub const ALL: [QueueMetric; [$(stringify!($variant)),*].len()] =
                [$(QueueMetric::$variant),*];
        }
    };
}

queue_metrics![
    Offered,
    Callers,
    Redials,
    CallersLost,
    Answered,
    Unreached,
    Abandoned,
    AsaS,
    MeanWaitS,
    WaitP50S,
    WaitP90S,
    WaitP95S,
    MaxWaitS,
    AbandonRate,
    ServiceLevel,
    QueueLenMean,
    BacklogEndOfDayMean,
    BacklogEndOfDayMax,
    Booked,
    Bookings,
    BookingLeadS,
    BookingLeadP90S,
    BookingLeadMaxS,
    SlotUtilization,
    BookingsUnservedAtHorizon,
    AsaSPooled,
    MeanWaitSPooled,
    AbandonRatePooled,
    ServiceLevelPooled,
];

impl QueueMetric {
    /// The metric's definition.
    pub const fn def(self) -> MetricDef {
        use Better::{Higher, Lower, Neither};
        use QueueMetric::*;
        use Unit::{Count, LeadTime, Seconds, Share};
        use When::{Always, Callback, Redial, Slots};
        match self {
            Offered => def(
                "offered",
                Always,
                Count,
                Neither,
                "contacts that arrived (attempts: first calls and redials; FPA's \"calls\" count attempts)",
            ),
            Callers => def(
                "callers",
                Redial,
                Count,
                Neither,
                "distinct callers: first attempts",
            ),
            Redials => def(
                "redials",
                Redial,
                Count,
                Neither,
                "attempts that were redials of callers who had abandoned",
            ),
            CallersLost => def(
                "callers_lost",
                Redial,
                Count,
                Lower,
                "callers who gave up for good: abandoned and did not redial, or redialled into a closed queue with `when_closed: \"lost\"` (counted by the first attempt's arrival)",
            ),
            Answered => def(
                "answered",
                Always,
                Count,
                Neither,
                "contacts that reached an agent (for outbound work: done)",
            ),
            Unreached => def(
                "unreached",
                When::Unreached,
                Count,
                Neither,
                "answered contacts that did not reach the customer (`unreached`)",
            ),
            Abandoned => def(
                "abandoned",
                Always,
                Count,
                Lower,
                "contacts that hung up before reaching an agent",
            ),
            AsaS => def(
                "asa_s",
                Always,
                Seconds,
                Lower,
                "mean wait of answered contacts (average speed of answer)",
            ),
            MeanWaitS => def(
                "mean_wait_s",
                Always,
                Seconds,
                Lower,
                "mean wait of contacts that left the queue, answered or abandoned",
            ),
            WaitP50S => def(
                "wait_p50_s",
                Always,
                Seconds,
                Lower,
                "median wait of answered contacts",
            ),
            WaitP90S => def(
                "wait_p90_s",
                Always,
                Seconds,
                Lower,
                "90th percentile of the wait of answered contacts",
            ),
            WaitP95S => def(
                "wait_p95_s",
                Always,
                Seconds,
                Lower,
                "95th percentile of the wait of answered contacts",
            ),
            MaxWaitS => def(
                "max_wait_s",
                Always,
                Seconds,
                Lower,
                "longest wait of an answered contact",
            ),
            AbandonRate => def(
                "abandon_rate",
                Always,
                Share,
                Lower,
                "abandoned / (answered + abandoned)",
            ),
            ServiceLevel => def(
                "service_level",
                Always,
                Share,
                Higher,
                "answered within `service_level_within` / offered",
            ),
            QueueLenMean => def(
                "queue_len_mean",
                Always,
                Count,
                Lower,
                "time-average number of contacts waiting over [warmup, horizon)",
            ),
            BacklogEndOfDayMean => def(
                "backlog_end_of_day_mean",
                Always,
                Count,
                Lower,
                "contacts waiting at 24:00, averaged over the whole days in [warmup, horizon) (outbound backlog)",
            ),
            BacklogEndOfDayMax => def(
                "backlog_end_of_day_max",
                Always,
                Count,
                Lower,
                "most contacts waiting at 24:00 on such a day",
            ),
            Booked => def(
                "booked",
                Callback,
                Count,
                Neither,
                "callers who booked a callback instead of waiting (queues with `callback`); then offered = answered + abandoned + booked",
            ),
            Bookings => def(
                "bookings",
                Slots,
                Count,
                Neither,
                "bookings made into this queue's slots (queues with `slots`, by booking time)",
            ),
            BookingLeadS => def(
                "booking_lead_s",
                Slots,
                LeadTime,
                Lower,
                "mean time from booking to the booked slot's start (FPA: within about 2 days)",
            ),
            BookingLeadP90S => def(
                "booking_lead_p90_s",
                Slots,
                LeadTime,
                Lower,
                "its 90th percentile (within 0.8%)",
            ),
            BookingLeadMaxS => def("booking_lead_max_s", Slots, LeadTime, Lower, "the longest"),
            SlotUtilization => def(
                "slot_utilization",
                Slots,
                Share,
                Neither,
                "bookings / capacity of the slots starting in [warmup, horizon)",
            ),
            BookingsUnservedAtHorizon => def(
                "bookings_unserved_at_horizon",
                Slots,
                Count,
                Lower,
                "booked calls not yet answered at the horizon (slot later, or waiting); they are still simulated to the end",
            ),
            AsaSPooled => pooled(
                "asa_s_pooled",
                Seconds,
                Lower,
                "total wait of the answered / total answered, pooled over replications",
            ),
            MeanWaitSPooled => pooled(
                "mean_wait_s_pooled",
                Seconds,
                Lower,
                "total wait of those who left / total who left, pooled",
            ),
            AbandonRatePooled => pooled(
                "abandon_rate_pooled",
                Share,
                Lower,
                "total abandoned / total (answered + abandoned), pooled",
            ),
            ServiceLevelPooled => pooled(
                "service_level_pooled",
                Share,
                Higher,
                "total answered within the threshold / total offered, pooled",
            ),
        }
    }

    /// The metric named `name` in the result JSON.
    pub fn from_name(name: &str) -> Option<QueueMetric> {
        Self::ALL.into_iter().find(|m| m.def().name == name)
    }
}

/// The queue metrics sweeps and comparisons show when no target names what matters.
pub const HEADLINE: [QueueMetric; 3] = [
    QueueMetric::AsaS,
    QueueMetric::AbandonRate,
    QueueMetric::ServiceLevel,
];

/// A per-staff-group metric.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StaffMetric {
    /// Busy agent-time / on-duty agent-time.
    Utilization,
    /// Total busy / total on-duty agent-time, pooled over replications.
    UtilizationPooled,
    /// Time-average agents on duty.
    AgentsMean,
    /// Busy agent-time on one queue's contacts / on-duty agent-time: `utilization_on_<queue>`.
    UtilizationOn(String),
}

/// The staff metrics every group reports, in report order; `utilization_on_<queue>` follows
/// for each queue the group serves.
pub const STAFF_METRICS: [StaffMetric; 3] = [
    StaffMetric::Utilization,
    StaffMetric::UtilizationPooled,
    StaffMetric::AgentsMean,
];

/// The prefix of the per-queue utilization metrics.
const UTILIZATION_ON: &str = "utilization_on_";

impl StaffMetric {
    /// The metric's definition (for `utilization_on_<queue>`, the family's, named with the
    /// placeholder `utilization_on_<queue>`).
    pub const fn def(&self) -> MetricDef {
        use Better::Neither;
        use Unit::{Agents, Share};
        match self {
            StaffMetric::Utilization => def(
                "utilization",
                When::Always,
                Share,
                Neither,
                "busy agent-time / on-duty agent-time over [warmup, horizon); an agent who stays past a schedule drop to finish a contact is on duty until it ends",
            ),
            StaffMetric::UtilizationPooled => pooled(
                "utilization_pooled",
                Share,
                Neither,
                "total busy agent-time / total on-duty agent-time, pooled",
            ),
            StaffMetric::AgentsMean => def(
                "agents_mean",
                When::Always,
                Agents,
                Neither,
                "time-average agents on duty over [warmup, horizon)",
            ),
            StaffMetric::UtilizationOn(_) => def(
                "utilization_on_<queue>",
                When::Always,
                Share,
                Neither,
                "for each queue the group serves: busy agent-time on that queue's contacts / on-duty agent-time; they add up to `utilization`",
            ),
        }
    }

    /// The key in the result JSON (`utilization_on_phone` for the phone queue).
    pub fn name(&self) -> String {
        match self {
            StaffMetric::UtilizationOn(queue) => format!("{UTILIZATION_ON}{queue}"),
            other => other.def().name.to_string(),
        }
    }

    /// The metric named `name` in the result JSON.
    pub fn from_name(name: &str) -> Option<StaffMetric> {
        if let Some(queue) = name.strip_prefix(UTILIZATION_ON) {
            return (!queue.is_empty()).then(|| StaffMetric::UtilizationOn(queue.to_string()));
        }
        STAFF_METRICS.into_iter().find(|m| m.def().name == name)
    }
}

/// Where a metric is found in a result: `<queue>.<metric>` or `staff.<group>.<metric>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MetricPath {
    /// `<queue>.<metric>`.
    Queue {
        /// Queue name.
        queue: String,
        /// The metric.
        metric: QueueMetric,
    },
    /// `staff.<group>.<metric>`.
    Staff {
        /// Group name.
        group: String,
        /// The metric.
        metric: StaffMetric,
    },
}

/// Why a text is not a metric path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// Neither `<queue>.<metric>` nor `staff.<group>.<metric>`.
    Shape,
    /// The shape of a queue metric, but no queue metric of that name.
    QueueMetric(String),
    /// The shape of a staff metric, but no staff metric of that name.
    StaffMetric(String),
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::Shape => {
                write!(f, "write <queue>.<metric> or staff.<group>.<metric>")
            }
            PathError::QueueMetric(m) => write!(f, "no queue metric {m:?}"),
            PathError::StaffMetric(m) => write!(f, "no staff metric {m:?}"),
        }
    }
}

impl MetricPath {
    /// Parses `phone.asa_s` or `staff.agents.utilization`. It checks the metric's name, not
    /// that the queue or group exists: that needs a scenario.
    pub fn parse(text: &str) -> Result<MetricPath, PathError> {
        let parts: Vec<&str> = text.split('.').collect();
        match parts.as_slice() {
            ["staff", group, m] if !group.is_empty() => Ok(MetricPath::Staff {
                group: group.to_string(),
                metric: StaffMetric::from_name(m)
                    .ok_or_else(|| PathError::StaffMetric(m.to_string()))?,
            }),
            [queue, m] if !queue.is_empty() && *queue != "staff" => Ok(MetricPath::Queue {
                queue: queue.to_string(),
                metric: QueueMetric::from_name(m)
                    .ok_or_else(|| PathError::QueueMetric(m.to_string()))?,
            }),
            _ => Err(PathError::Shape),
        }
    }

    /// The metric's definition.
    pub fn def(&self) -> MetricDef {
        match self {
            MetricPath::Queue { metric, .. } => metric.def(),
            MetricPath::Staff { metric, .. } => metric.def(),
        }
    }

    /// The metric's key within its queue or group (`asa_s`, `utilization_on_phone`).
    pub fn name(&self) -> String {
        match self {
            MetricPath::Queue { metric, .. } => metric.def().name.to_string(),
            MetricPath::Staff { metric, .. } => metric.name(),
        }
    }
}

impl fmt::Display for MetricPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MetricPath::Queue { queue, metric } => write!(f, "{queue}.{}", metric.def().name),
            MetricPath::Staff { group, metric } => write!(f, "staff.{group}.{}", metric.name()),
        }
    }
}

/// The definition of the metric at `path` (`phone.asa_s`), or of a bare metric name
/// (`asa_s`, `utilization`), when it names one.
pub fn def_of(path: &str) -> Option<MetricDef> {
    match MetricPath::parse(path) {
        Ok(p) => Some(p.def()),
        Err(PathError::Shape) if !path.contains('.') => QueueMetric::from_name(path)
            .map(QueueMetric::def)
            .or_else(|| StaffMetric::from_name(path).map(|m| m.def())),
        Err(_) => None,
    }
}

/// The metric reference as Markdown tables (queue metrics, then staff metrics), exactly as
/// docs/reference/metrics.md shows them; a test keeps the two equal.
pub fn reference_tables() -> (String, String) {
    let table = |defs: &mut dyn Iterator<Item = MetricDef>| {
        let mut s = String::from("| metric | definition |\n| --- | --- |\n");
        for d in defs {
            s.push_str(&format!("| `{}` | {} |\n", d.name, d.definition));
        }
        s
    };
    let queue = table(&mut QueueMetric::ALL.into_iter().map(QueueMetric::def));
    let staff_metrics = STAFF_METRICS
        .into_iter()
        .chain([StaffMetric::UtilizationOn(String::new())]);
    let staff = table(&mut staff_metrics.map(|m| m.def()));
    (queue, staff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_metric() {
        for m in QueueMetric::ALL {
            assert_eq!(QueueMetric::from_name(m.def().name), Some(m));
            let path = MetricPath::parse(&format!("q.{}", m.def().name)).unwrap();
            assert_eq!(path.to_string(), format!("q.{}", m.def().name));
        }
        for m in STAFF_METRICS {
            assert_eq!(StaffMetric::from_name(m.def().name), Some(m));
        }
        let on = MetricPath::parse("staff.a.utilization_on_phone").unwrap();
        assert_eq!(
            on,
            MetricPath::Staff {
                group: "a".into(),
                metric: StaffMetric::UtilizationOn("phone".into())
            }
        );
        assert_eq!(on.to_string(), "staff.a.utilization_on_phone");
    }

    #[test]
    fn names_are_unique_and_pooled_ones_say_so() {
        let names: Vec<&str> = QueueMetric::ALL.iter().map(|m| m.def().name).collect();
        for (i, n) in names.iter().enumerate() {
            assert!(!names[..i].contains(n), "{n} twice");
            assert_eq!(
                QueueMetric::ALL[i].def().pooled,
                n.ends_with("_pooled"),
                "{n}"
            );
        }
    }

    #[test]
    fn units_follow_the_naming_convention() {
        // Durations end in `_s` (STYLE: units live in result keys).
        for m in QueueMetric::ALL {
            let d = m.def();
            let base = d.name.trim_end_matches("_pooled");
            assert_eq!(d.unit.is_duration(), base.ends_with("_s"), "{}", d.name);
        }
    }

    #[test]
    fn bad_paths_say_what_is_wrong() {
        assert_eq!(MetricPath::parse("phone"), Err(PathError::Shape));
        assert_eq!(MetricPath::parse("a.b.c"), Err(PathError::Shape));
        assert_eq!(MetricPath::parse("staff.asa_s"), Err(PathError::Shape));
        assert_eq!(
            MetricPath::parse("phone.asa"),
            Err(PathError::QueueMetric("asa".into()))
        );
        assert_eq!(
            MetricPath::parse("staff.a.utilization_on_"),
            Err(PathError::StaffMetric("utilization_on_".into()))
        );
    }
}
