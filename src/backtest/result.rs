//! What `callsim backtest` found (`--json`, backtest.json and backtest.csv): per day and queue the observed figures beside the predicted
//! band of a single day, and per queue and metric how well the bands cover the days.

use crate::calllog::Quality;
use indexmap::IndexMap;
use serde::Serialize;

/// The back-test (`backtest --json`, and backtest.json).
#[derive(Debug, Clone, Serialize)]
pub struct Backtest {
    /// The scenario's name.
    pub scenario: String,
    /// Replications per day.
    pub replications: u32,
    /// The seed each day's streams derive from (with the date).
    pub seed: u64,
    /// The log read.
    pub log: Log,
    /// Each date of the log, in order.
    pub days: Vec<Day>,
    /// Queue → metric → how well the predictions match the days.
    pub summary: IndexMap<String, IndexMap<String, Score>>,
    /// What the reader should know (e.g. simulated days stopped early).
    pub warnings: Vec<String>,
}

/// The log: files, dates and quality.
#[derive(Debug, Clone, Serialize)]
pub struct Log {
    /// The files, in order.
    pub files: Vec<String>,
    /// `seelab` or `csv`.
    pub format: String,
    /// First and last date back-tested.
    pub first_date: String,
    /// See `first_date`.
    pub last_date: String,
    /// Rows read, kept, dropped and repaired.
    pub quality: Quality,
    /// Contacts of call types the scenario has no queue for (not simulated), by type.
    pub other_types: IndexMap<String, u64>,
    /// Staff group → agents of the log placed in it (by what they served).
    pub agents: IndexMap<String, usize>,
    /// Agents who served only call types the scenario has no queue for.
    pub agents_unplaced: usize,
}

/// One date.
#[derive(Debug, Clone, Serialize)]
pub struct Day {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `mon` … `sun`.
    pub weekday: String,
    /// Queue → metric → observed beside predicted.
    pub queues: IndexMap<String, IndexMap<String, Compared>>,
    /// Staff group → the staffing inferred for the day and simulated.
    pub staff: IndexMap<String, DayStaff>,
}

/// A day's staffing of one group, as simulated.
#[derive(Debug, Clone, Serialize)]
pub struct DayStaff {
    /// Agent-hours on duty.
    pub agent_hours: f64,
    /// Most agents on duty at once.
    pub peak: u32,
    /// Agent-hours the log shows its agents on duty and serving nobody while a caller of a
    /// queue the group serves waited through the whole minute: time the simulated agents
    /// spend serving those callers.
    pub idle_while_waiting_hours: f64,
}

impl DayStaff {
    /// From whole agents per step of `step_s`, and the minutes idle while callers waited.
    pub fn of(counts: &[u32], step_s: f64, idle_minutes: u64) -> Self {
        DayStaff {
            agent_hours: counts.iter().map(|&n| f64::from(n)).sum::<f64>() * step_s / 3600.0,
            peak: counts.iter().copied().max().unwrap_or(0),
            idle_while_waiting_hours: idle_minutes as f64 / 60.0,
        }
    }
}

/// A metric of a day: the log's value, and the simulated day's.
#[derive(Debug, Clone, Serialize)]
pub struct Compared {
    /// `None` when undefined that day (e.g. ASA with no call answered).
    pub observed: Option<f64>,
    /// The prediction for a single day.
    pub predicted: Band,
}

impl Compared {
    /// Whether the observed value lies in the 90% prediction interval (`None`: either is
    /// undefined).
    pub fn covered(&self) -> Option<bool> {
        let (o, lo, hi) = (self.observed?, self.predicted.p05?, self.predicted.p95?);
        Some(lo <= o && o <= hi)
    }
}

/// The replications' values of a day's metric: their mean and the 90% prediction interval of
/// a single day (5th and 95th percentiles: linear between order statistics).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Band {
    /// Mean over the replications where the metric is defined.
    pub mean: Option<f64>,
    /// 5th percentile.
    pub p05: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
}

impl Band {
    /// The band of `values` (sorted in place).
    pub fn of(values: &mut [f64]) -> Band {
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let quantile = |p: f64| -> Option<f64> {
            let h = p * (n.checked_sub(1)? as f64);
            let (i, frac) = (h.floor() as usize, h.fract());
            let next = values.get(i + 1).copied().unwrap_or(values[i]);
            Some(values[i] + frac * (next - values[i]))
        };
        Band {
            mean: (n > 0).then(|| values.iter().sum::<f64>() / n as f64),
            p05: quantile(0.05),
            p95: quantile(0.95),
        }
    }
}

/// How well a metric's predictions match the days.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    /// Share of the days whose observed value lies in the 90% prediction interval (a good
    /// model: about 0.9).
    pub coverage_90: Option<f64>,
    /// Mean absolute percentage error of the predicted mean: mean of |predicted − observed| /
    /// observed, over the days with an observed value other than 0.
    pub mape: Option<f64>,
    /// Mean of (predicted − observed) / observed over the same days: above 0, the model
    /// predicts too high.
    pub bias: Option<f64>,
    /// Days with both an observed value and a prediction.
    pub days: usize,
    /// Mean over those days of the observed value.
    pub observed_mean: Option<f64>,
    /// Mean over those days of the predicted mean.
    pub predicted_mean: Option<f64>,
}

impl Score {
    /// The score of one queue's metric over `days`.
    pub fn of(days: &[Day], queue: &str, metric: &str) -> Score {
        let pairs: Vec<(&Compared, f64, f64)> = days
            .iter()
            .filter_map(|d| d.queues.get(queue)?.get(metric))
            .filter_map(|c| Some((c, c.observed?, c.predicted.mean?)))
            .collect();
        let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
        let covered: Vec<f64> = pairs
            .iter()
            .filter_map(|(c, _, _)| c.covered())
            .map(|b| f64::from(u8::from(b)))
            .collect();
        let relative: Vec<f64> = pairs
            .iter()
            .filter(|(_, o, _)| *o != 0.0)
            .map(|(_, o, p)| (p - o) / o)
            .collect();
        Score {
            coverage_90: mean(&covered),
            mape: mean(&relative.iter().map(|r| r.abs()).collect::<Vec<_>>()),
            bias: mean(&relative),
            days: pairs.len(),
            observed_mean: mean(&pairs.iter().map(|p| p.1).collect::<Vec<_>>()),
            predicted_mean: mean(&pairs.iter().map(|p| p.2).collect::<Vec<_>>()),
        }
    }
}

impl Backtest {
    /// The back-test of `days` (`run`: replications and seed), with its summary over
    /// `queues`.
    pub fn new(
        scenario: &str,
        (replications, seed): (u32, u64),
        log: Log,
        days: Vec<Day>,
        queues: Vec<String>,
        warnings: Vec<String>,
    ) -> Self {
        let metrics = super::Metric::ALL.map(|m| m.name());
        let summary = queues
            .iter()
            .map(|q| {
                let scores = metrics.iter().map(|m| (m.to_string(), Score::of(&days, q, m)));
                (q.clone(), scores.collect())
            })
            .collect();
        Backtest {
            scenario: scenario.to_string(),
            replications,
            seed,
            log,
            days,
            summary,
            warnings,
        }
    }

    /// The summary as a planner reads it: per queue, each metric's observed and predicted
    /// means over the days, coverage, MAPE and bias.
    pub fn lines(&self) -> String {
        let mut out = format!(
            "backtest of {} on {} days, {} to {}: {} replications a day\n",
            self.scenario,
            self.days.len(),
            self.log.first_date,
            self.log.last_date,
            self.replications
        );
        for (queue, scores) in &self.summary {
            let offered = self.days.iter().filter_map(|d| d.queues[queue]["offered"].observed).sum::<f64>();
            out += &format!("\n{queue} ({offered:.0} contacts)\n");
            out += &format!(
                "  {:<14} {:>10} {:>10} {:>12} {:>7} {:>8}\n",
                "metric", "observed", "predicted", "in 90% band", "MAPE", "bias"
            );
            for (metric, s) in scores {
                let value = |v: Option<f64>| v.map_or("-".to_string(), |x| shown(metric, x));
                let pct = |v: Option<f64>, signed: bool| {
                    v.map_or("-".to_string(), |x| if signed { format!("{:+.1}%", 100.0 * x) } else { format!("{:.1}%", 100.0 * x) })
                };
                out += &format!(
                    "  {:<14} {:>10} {:>10} {:>12} {:>7} {:>8}\n",
                    metric,
                    value(s.observed_mean),
                    value(s.predicted_mean),
                    s.coverage_90.map_or("-".to_string(), |c| format!("{:.0}% of {}", 100.0 * c, s.days)),
                    pct(s.mape, false),
                    pct(s.bias, true)
                );
            }
        }
        out += &self.staff_lines();
        for w in &self.warnings {
            out += &format!("warning: {w}\n");
        }
        out
    }

    /// Per group: its agents, the agent-hours inferred and simulated, and those the log shows
    /// idle while callers waited.
    fn staff_lines(&self) -> String {
        let mut out = String::from("\nstaffing inferred from the log (the days' totals)\n");
        for (g, agents) in &self.log.agents {
            let of = |f: fn(&DayStaff) -> f64| self.days.iter().filter_map(|d| d.staff.get(g)).map(f).sum::<f64>();
            let (hours, idle) = (of(|s| s.agent_hours), of(|s| s.idle_while_waiting_hours));
            out += &format!(
                "  {g}: {agents} agents, {hours:.1} agent-hours on duty, {idle:.1} of them ({:.1}%) idle while a caller they serve waited\n",
                if hours > 0.0 { 100.0 * idle / hours } else { 0.0 }
            );
        }
        out
    }

    /// backtest.csv: one row per date, queue and metric.
    pub fn csv(&self) -> Result<Vec<u8>, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["date", "weekday", "queue", "metric", "observed", "mean", "p05", "p95", "covered"])?;
        let cell = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
        for d in &self.days {
            for (queue, metrics) in &d.queues {
                for (metric, c) in metrics {
                    let p = &c.predicted;
                    let covered = c.covered().map_or(String::new(), |b| b.to_string());
                    let row = [cell(c.observed), cell(p.mean), cell(p.p05), cell(p.p95), covered];
                    let head = [d.date.clone(), d.weekday.clone(), queue.clone(), metric.clone()];
                    w.write_record(head.iter().chain(&row))?;
                }
            }
        }
        w.into_inner().map_err(|e| e.into_error().into())
    }
}

/// A metric's value as the table shows it: counts whole, seconds to a tenth, shares in %.
fn shown(metric: &str, x: f64) -> String {
    match metric {
        "offered" | "answered" => format!("{x:.1}"),
        "asa_s" => format!("{x:.1} s"),
        _ => format!("{:.1}%", 100.0 * x),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_band_is_the_5th_to_95th_percentile_of_the_replications() {
        // 0, 1, ..., 20: the 5th percentile is at rank 0.05 · 20 = 1, the 95th at 19.
        let mut v: Vec<f64> = (0..=20).rev().map(f64::from).collect();
        let b = Band::of(&mut v);
        assert_eq!((b.mean, b.p05, b.p95), (Some(10.0), Some(1.0), Some(19.0)));
        // 0, 10 (two values): rank 0.05 and 0.95, linear between them.
        let b = Band::of(&mut [10.0, 0.0]);
        assert_eq!((b.p05, b.p95), (Some(0.5), Some(9.5)));
        let b = Band::of(&mut []);
        assert_eq!((b.mean, b.p05, b.p95), (None, None, None));
    }

    fn day(observed: Option<f64>, band: (f64, f64, f64)) -> Day {
        let c = Compared {
            observed,
            predicted: Band { mean: Some(band.0), p05: Some(band.1), p95: Some(band.2) },
        };
        let metrics = [("asa_s".to_string(), c)].into_iter().collect();
        Day {
            date: "1999-04-01".into(),
            weekday: "thu".into(),
            queues: [("PS".to_string(), metrics)].into_iter().collect(),
            staff: IndexMap::new(),
        }
    }

    #[test]
    fn the_score_counts_covered_days_and_relative_errors() {
        // Observed 100 (predicted 110 in 90..130: covered, +10%), 200 (predicted 150 in
        // 120..180: missed, -25%), 0 (covered, but no relative error), and a day without an
        // observed value (not counted).
        let days = [
            day(Some(100.0), (110.0, 90.0, 130.0)),
            day(Some(200.0), (150.0, 120.0, 180.0)),
            day(Some(0.0), (5.0, 0.0, 10.0)),
            day(None, (5.0, 0.0, 10.0)),
        ];
        let s = Score::of(&days, "PS", "asa_s");
        assert_eq!(s.days, 3);
        assert_eq!(s.coverage_90, Some(2.0 / 3.0));
        assert!((s.mape.unwrap() - 0.175).abs() < 1e-12);
        assert!((s.bias.unwrap() + 0.075).abs() < 1e-12);
        assert_eq!(s.observed_mean, Some(100.0));
        assert_eq!(s.predicted_mean, Some(265.0 / 3.0));
        assert_eq!(Score::of(&days, "NE", "asa_s").coverage_90, None);
    }
}
