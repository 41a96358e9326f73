//! Advice about traps in a scenario or a run, as data: the report holds them, `Display`
//! words them (the one place they are worded), and the JSON carries that text.

use serde::{Serialize, Serializer};
use std::fmt;

/// A trap found in a scenario or a run.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Warning {
    /// One replication: intervals are [mean, mean] and say nothing.
    OneReplication,
    /// A paired comparison of one replication: no difference can be called significant.
    OneReplicationPaired,
    /// A queue nobody leaves whose offered load reaches its agents: it grows without bound.
    Overloaded {
        /// The queue.
        queue: String,
        /// Offered load, erlangs (week average).
        load: f64,
        /// Agents serving it (week average).
        agents: f64,
        /// The most contacts a run lets wait before it stops.
        max_waiting: usize,
    },
    /// Replications stopped early (too many waiting, or a backlog that never cleared).
    StoppedEarly {
        /// How many.
        count: usize,
        /// The first of them.
        first: u32,
        /// When it was stopped (seconds).
        at_s: f64,
        /// The most contacts a run lets wait before it stops.
        max_waiting: usize,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::OneReplication => write!(
                f,
                "only 1 replication: the ci95 intervals are shown as [mean, mean] and say nothing about precision; run 5 or more"
            ),
            Warning::OneReplicationPaired => write!(
                f,
                "only 1 replication: a paired difference has no interval, so none is called significant; run 5 or more"
            ),
            Warning::Overloaded {
                queue,
                load,
                agents,
                max_waiting,
            } => write!(
                f,
                "queue {queue}: offered load {} erlangs is at or above the {} agents serving it (week average) and nobody abandons (no patience): the queue grows without bound. Runs stop when {max_waiting} contacts wait. Add staff, or a patience distribution.",
                figure(*load),
                figure(*agents)
            ),
            Warning::StoppedEarly {
                count,
                first,
                at_s,
                max_waiting,
            } => write!(
                f,
                "{count} replication(s) were stopped early (the first, replication {first}, at {} h): more than {max_waiting} contacts waited, or the backlog did not clear; their results describe a truncated run",
                figure(at_s / 3600.0)
            ),
        }
    }
}

/// `v` with one decimal, or in exponent form where that would print a wall of digits.
fn figure(v: f64) -> String {
    if v.abs() < 1e9 {
        format!("{v:.1}")
    } else {
        format!("{v:.3e}")
    }
}

/// The JSON carries each warning as its text (the result format's `warnings: [string]`).
impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Prints `warnings` on stderr, each as `warning: <scope>: <text>` (or `warning: <text>`
/// without a scope): the one way warnings reach a terminal.
pub fn print(scope: Option<&str>, warnings: &[Warning]) {
    for w in warnings {
        match scope {
            Some(s) => eprintln!("warning: {s}: {w}"),
            None => eprintln!("warning: {w}"),
        }
    }
}
