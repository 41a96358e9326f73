//! What `callsim staff` found: the lever search's answer with its evidence, as JSON (the
//! contract's shape, with a few more keys) and as the lines it prints.

use super::check::{Verdict, describe};
use super::table::plural;
use serde::Serialize;

/// How a target judged on days (`--days`) is named: `share of days with phone.asa_s <= 120.0 s`.
pub const DAYS_PREFIX: &str = "share of days with ";

/// The smallest or the largest value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// `--min`.
    Min,
    /// `--max`.
    Max,
}

impl Direction {
    /// "smallest" or "largest".
    pub fn extreme(self) -> &'static str {
        match self {
            Direction::Min => "smallest",
            Direction::Max => "largest",
        }
    }
}

/// One simulation of the lever at one value.
#[derive(Debug, Clone, Serialize)]
pub struct LeverEvaluation {
    /// The lever's value.
    pub value: i64,
    /// Replications run.
    pub replications: u32,
    /// Whether every target was met.
    pub met: bool,
    /// Whether replications were added until the verdict was clear of noise.
    pub settled: bool,
    /// Each target with its verdict, as `check --json` lists them.
    pub targets: Vec<Verdict>,
}

/// What the search cost.
#[derive(Debug, Clone, Serialize)]
pub struct Cost {
    /// Simulations run (a value settled with more replications counts again).
    pub evaluations: usize,
    /// Replications over all evaluations.
    pub replications: u64,
    /// Wall-clock time of the search.
    pub seconds: f64,
}

/// The lever search's result: what `callsim staff --lever ... --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct LeverSearch {
    /// The lever's scenario path.
    pub lever: String,
    /// `min` or `max`.
    pub direction: Direction,
    /// The value found, or `None` when no value in the range meets every target.
    pub value: Option<i64>,
    /// Every evaluation, in the order run.
    pub evaluations: Vec<LeverEvaluation>,
    /// The scenario's name.
    pub scenario: String,
    /// The value next to the answer, on the side that misses (when it is in the range).
    pub neighbour: Option<i64>,
    /// When nothing meets every target: the value that came closest.
    pub closest: Option<i64>,
    /// The values searched: the range asked for (or the default), cut to valid scenarios.
    pub range: [i64; 2],
    /// Whether targets were judged by their whole ci95.
    pub strict: bool,
    /// The share of days queue ASA targets had to hold on (`--days`).
    pub days: Option<f64>,
    /// What the reader should know: where the range was cut, undecided verdicts, evaluations
    /// that contradict monotonicity, why nothing was found.
    pub notes: Vec<String>,
    /// What the search cost.
    pub cost: Cost,
}

impl LeverSearch {
    /// The evaluation at `value` with the most replications.
    pub fn at(&self, value: i64) -> Option<&LeverEvaluation> {
        let at = self.evaluations.iter().filter(|e| e.value == value);
        at.max_by_key(|e| e.replications)
    }

    /// The lines `callsim staff` prints: the answer, the evidence at it and at its neighbour,
    /// the notes and the cost.
    pub fn lines(&self) -> String {
        let extreme = self.direction.extreme();
        let [lo, hi] = self.range;
        let mut out = match self.value {
            Some(v) => format!(
                "{}: the {extreme} {} at which every target is met: {v}\n",
                self.scenario, self.lever
            ),
            None => format!(
                "{}: no {} in {lo}..{hi} meets every target{}\n",
                self.scenario,
                self.lever,
                self.closest
                    .map_or(String::new(), |c| format!("; the closest is {c}"))
            ),
        };
        for v in [self.value.or(self.closest), self.neighbour]
            .into_iter()
            .flatten()
        {
            if let Some(e) = self.at(v) {
                out += &evidence(e);
            }
        }
        for note in &self.notes {
            out += &format!("note: {note}\n");
        }
        let c = &self.cost;
        out += &format!(
            "searched {lo}..{hi}{}{}: {}, {} in {:.1} s\n",
            if self.strict { ", strict" } else { "" },
            self.days
                .map_or(String::new(), |p| format!(", on {:.0}% of days", p * 100.0)),
            plural(c.evaluations, "evaluation"),
            plural(c.replications as usize, "replication"),
            c.seconds
        );
        out
    }
}

/// The verdict lines at one evaluated value.
fn evidence(e: &LeverEvaluation) -> String {
    let word = if e.met { "met" } else { "missed" };
    let mut out = format!(
        "  at {} ({word}, {}):\n",
        e.value,
        plural(e.replications as usize, "replication")
    );
    for v in &e.targets {
        out += &format!(
            "    {:<12} {}\n",
            v.verdict,
            describe(&v.target, e.replications)
        );
    }
    out
}
