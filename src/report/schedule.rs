//! What `callsim staff --schedule` found: the agents needed per interval of the week with the
//! evidence in each interval, as JSON, as the lines it prints and as requirement.csv.

use super::check::{Verdict, describe};
use super::staff::Cost;
use super::table::plural;
use crate::stats::ci::Estimate;
use indexmap::IndexMap;
use serde::Serialize;

/// A queue's achieved values in one interval, over the replications at the requirement.
#[derive(Debug, Clone, Serialize)]
pub struct SlotQueue {
    /// Mean contacts arriving in the interval, per week.
    pub offered: f64,
    /// ASA (s).
    pub asa_s: Estimate,
    /// Answered within the queue's threshold / offered.
    pub service_level: Estimate,
    /// Abandoned / (answered + abandoned).
    pub abandon_rate: Estimate,
}

/// One interval of the week.
#[derive(Debug, Clone, Serialize)]
pub struct Slot {
    /// Its start, e.g. `"mon 09:00"`.
    pub start: String,
    /// Seconds since Monday 00:00.
    pub start_s: f64,
    /// Whether targets were judged here (a targeted queue gets contacts); elsewhere the
    /// scenario's own count is kept.
    pub judged: bool,
    /// Offered load (Erlangs) of the queues the group serves up to its last targeted one.
    pub offered_load: f64,
    /// The group's agents in the scenario as given (time-average over the interval).
    pub original: f64,
    /// Erlang A's requirement for the interval on its own, the search's start.
    pub erlang: Option<u32>,
    /// The agents found.
    pub requirement: u32,
    /// Agents on duty in the roster of whole shifts (`--shifts`), which staffed.json holds.
    pub rostered: Option<u32>,
    /// Whether every per-interval target holds here at the requirement (at the roster under
    /// `--shifts`).
    pub met: Option<bool>,
    /// Targeted queue → achieved values.
    pub queues: IndexMap<String, SlotQueue>,
}

/// One round of the iteration: a simulation of the whole week at one schedule.
#[derive(Debug, Clone, Serialize)]
pub struct Iteration {
    /// Agent-hours a week of the schedule simulated.
    pub agent_hours: f64,
    /// Judged intervals that missed a target.
    pub missed: usize,
    /// Replications run.
    pub replications: u32,
}

/// The schedule search's result: what `callsim staff --schedule ... --json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleSearch {
    /// The scenario's name.
    pub scenario: String,
    /// The staff group scheduled.
    pub group: String,
    /// Interval length (s).
    pub interval_s: f64,
    /// Whether every per-interval target holds in every judged interval and every target
    /// of the scenario holds over the whole run.
    pub met: bool,
    /// The targets judged in every interval, e.g. `phone.asa_s <= 2m`.
    pub interval_targets: Vec<String>,
    /// Whether targets were judged by their whole ci95.
    pub strict: bool,
    /// The share of days each interval had to meet its targets on (`--days`).
    pub days: Option<f64>,
    /// Agent-hours a week: the requirement, the scenario's schedule, the Erlang start.
    pub agent_hours: AgentHours,
    /// Every interval of the week.
    pub slots: Vec<Slot>,
    /// The scenario's targets over the whole run at the requirement, as `check` judges them.
    pub whole_run: Vec<Verdict>,
    /// Replications behind `whole_run` and the per-interval values.
    pub replications: u32,
    /// Every round, in order.
    pub iterations: Vec<Iteration>,
    /// The requirement covered by whole shifts (`--shifts`).
    pub roster: Option<Roster>,
    /// What the reader should know.
    pub notes: Vec<String>,
    /// What the search cost.
    pub cost: Cost,
}

/// The requirement covered by whole shifts at the fewest agent-hours, then simulated and
/// re-covered while an interval missed.
#[derive(Debug, Clone, Serialize)]
pub struct Roster {
    /// The shifts file.
    pub file: String,
    /// On-duty agent-hours a week of the last roster (breaks excluded).
    pub agent_hours: f64,
    /// The LP relaxation's agent-hours for the last need covered: no roster has fewer.
    pub lower_bound: f64,
    /// Whether every judged interval met its targets at the last roster.
    pub met: bool,
    /// The shifts worked, in the file's order, by day and start.
    pub shifts: Vec<RosterShift>,
    /// Each roster simulated, in order.
    pub rounds: Vec<Iteration>,
    /// Time in the integer programs (s).
    pub solver_seconds: f64,
}

/// Agents on one shift at one start on one day.
#[derive(Debug, Clone, Serialize)]
pub struct RosterShift {
    /// The shift's name in the shifts file.
    pub shift: String,
    /// `"mon"`.
    pub day: String,
    /// `"08:00"`.
    pub start: String,
    /// `"16:30"` (past midnight on the next day).
    pub end: String,
    /// On-duty hours of one agent on it (breaks excluded).
    pub on_duty_hours: f64,
    /// Agents working it.
    pub agents: u32,
}

/// Agent-hours a week.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct AgentHours {
    /// Of the requirement found.
    pub requirement: f64,
    /// Of the scenario's own schedule.
    pub original: f64,
    /// Of the Erlang start (where judged; the scenario's count elsewhere).
    pub erlang: f64,
}

impl ScheduleSearch {
    /// "phone.asa_s <= 120.0 s holds", or "A and B hold": the per-interval targets as a clause.
    pub fn targets_hold(&self) -> String {
        let verb = if self.interval_targets.len() == 1 {
            "holds"
        } else {
            "hold"
        };
        format!("{} {verb}", self.interval_targets.join(" and "))
    }

    /// The lines `callsim staff --schedule` prints: the verdict, agent-hours, the requirement
    /// per day, the whole-run targets, the notes and the cost.
    pub fn lines(&self) -> String {
        let minutes = self.interval_s / 60.0;
        let verdict = if self.met {
            "every target met"
        } else {
            "targets MISSED"
        };
        let h = &self.agent_hours;
        let mut out = format!(
            "{}: agents of {} per {minutes} min interval so that {} in every interval: {verdict}\n",
            self.scenario,
            self.group,
            self.targets_hold()
        );
        out += &format!(
            "  {:.1} agent-hours a week (the scenario's schedule: {:.1}; Erlang per interval: {:.1})\n",
            h.requirement, h.original, h.erlang
        );
        out += &self.per_day();
        if let Some(r) = &self.roster {
            out += &r.lines();
        }
        let at = if self.roster.is_some() {
            "the roster"
        } else {
            "the requirement"
        };
        out += &format!(
            "  over the whole run at {at} ({}):\n",
            plural(self.replications as usize, "replication")
        );
        for v in &self.whole_run {
            out += &format!(
                "    {:<12} {}\n",
                v.verdict,
                describe(&v.target, self.replications)
            );
        }
        for note in &self.notes {
            out += &format!("note: {note}\n");
        }
        let c = &self.cost;
        out += &format!(
            "{}{}{}: {}, {} in {:.1} s\n",
            plural(self.iterations.len(), "iteration"),
            if self.strict { ", strict" } else { "" },
            self.days
                .map_or(String::new(), |p| format!(", on {:.0}% of days", p * 100.0)),
            plural(c.evaluations, "simulation"),
            plural(c.replications as usize, "replication"),
            c.seconds
        );
        out
    }

    /// Per day with judged intervals: the range of the requirement and when it peaks.
    fn per_day(&self) -> String {
        let mut out = String::new();
        let mut days: IndexMap<&str, Vec<&Slot>> = IndexMap::new();
        for s in self.slots.iter().filter(|s| s.judged) {
            let day = s.start.split(' ').next().unwrap_or("");
            days.entry(day).or_default().push(s);
        }
        for (day, slots) in days {
            let low = slots.iter().map(|s| s.requirement).min().unwrap_or(0);
            let peak = slots.iter().max_by_key(|s| s.requirement);
            let missed = slots.iter().filter(|s| s.met == Some(false)).count();
            out += &format!(
                "  {day}: {low} to {} agents, peak at {}{}\n",
                peak.map_or(0, |s| s.requirement),
                peak.map_or("", |s| &s.start[s.start.len().saturating_sub(5)..]),
                if missed > 0 {
                    format!(", {} MISSED", plural(missed, "interval"))
                } else {
                    String::new()
                }
            );
        }
        out
    }

    /// requirement.csv: one row per interval of the week.
    pub fn csv(&self) -> Result<Vec<u8>, csv::Error> {
        let queues: Vec<String> = self
            .slots
            .first()
            .map(|s| s.queues.keys().cloned().collect())
            .unwrap_or_default();
        let mut w = csv::Writer::from_writer(vec![]);
        let mut header: Vec<String> = [
            "interval",
            "judged",
            "offered_load_erlangs",
            "original",
            "erlang_start",
            "requirement",
            "met",
        ]
        .map(String::from)
        .to_vec();
        let rostered = self.roster.is_some();
        if rostered {
            header.insert(6, "rostered".into());
        }
        for q in &queues {
            for m in ["offered", "asa_s", "service_level"] {
                header.push(format!("{q}.{m}"));
                if m != "offered" {
                    header.push(format!("{q}.{m}_lo"));
                    header.push(format!("{q}.{m}_hi"));
                }
            }
        }
        w.write_record(&header)?;
        let opt = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.6}"));
        for s in &self.slots {
            let mut row = vec![
                s.start.clone(),
                s.judged.to_string(),
                format!("{:.6}", s.offered_load),
                format!("{:.3}", s.original),
                s.erlang.map_or(String::new(), |e| e.to_string()),
                s.requirement.to_string(),
                s.met.map_or(String::new(), |m| m.to_string()),
            ];
            if rostered {
                row.insert(6, s.rostered.map_or(String::new(), |r| r.to_string()));
            }
            for q in &queues {
                let Some(v) = s.queues.get(q) else {
                    row.extend(std::iter::repeat_n(String::new(), 7));
                    continue;
                };
                row.push(format!("{:.3}", v.offered));
                for e in [v.asa_s, v.service_level] {
                    row.push(opt(e.mean));
                    row.push(opt(e.ci95.map(|c| c[0])));
                    row.push(opt(e.ci95.map(|c| c[1])));
                }
            }
            w.write_record(&row)?;
        }
        w.into_inner().map_err(|e| e.into_error().into())
    }
}

impl Roster {
    /// The roster's lines: its agent-hours and bound, then per day the shifts worked.
    fn lines(&self) -> String {
        let worked: u32 = self.shifts.iter().map(|s| s.agents).sum();
        let mut out = format!(
            "  rostered on whole shifts of {}: {:.1} agent-hours a week (no roster of these shifts covering the same need has fewer than {:.1}), {} a week, {}{}\n",
            self.file,
            self.agent_hours,
            self.lower_bound,
            plural(worked as usize, "shift"),
            plural(self.rounds.len(), "roster"),
            if self.met {
                ""
            } else {
                " (intervals still MISSED)"
            }
        );
        let mut days: IndexMap<&str, Vec<String>> = IndexMap::new();
        for s in &self.shifts {
            let text = format!("{} {}-{} x{}", s.shift, s.start, s.end, s.agents);
            days.entry(&s.day).or_default().push(text);
        }
        for (day, shifts) in days {
            out += &format!("    {day}: {}\n", shifts.join(", "));
        }
        out
    }

    /// roster.csv: one row per shift worked.
    pub fn csv(&self) -> Result<Vec<u8>, csv::Error> {
        let mut w = csv::Writer::from_writer(vec![]);
        w.write_record(["shift", "day", "start", "end", "on_duty_hours", "agents"])?;
        for s in &self.shifts {
            w.write_record([
                s.shift.clone(),
                s.day.clone(),
                s.start.clone(),
                s.end.clone(),
                format!("{}", s.on_duty_hours),
                s.agents.to_string(),
            ])?;
        }
        w.into_inner().map_err(|e| e.into_error().into())
    }
}
