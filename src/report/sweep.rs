//! Sweep results: one row per point, as a table, CSV and JSON.

use super::Report;
use crate::stats::ci::Estimate;
use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;
use std::fmt::Write;

/// One sweep point and its result.
#[derive(Debug, Clone)]
pub struct Point {
    /// Path → value set at this point.
    pub values: IndexMap<String, Value>,
    /// The result at this point.
    pub report: Report,
}

/// A whole sweep, as `callsim sweep --json` prints it (per point: the values set and every
/// queue and staff metric; the per-interval data are left out).
#[derive(Debug, Clone, Serialize)]
pub struct Sweep {
    /// The base scenario's name.
    pub scenario: String,
    /// The swept paths.
    pub parameters: Vec<String>,
    /// The seed every point ran on (unless `independent`).
    pub seed: u64,
    /// Replications asked per point (precision control may have used more; see each point).
    pub replications_asked: u32,
    /// Whether each point had its own random streams instead of common random numbers.
    pub independent: bool,
    /// How to replay the sweep: the first point's provenance, with the events of all points.
    pub provenance: Option<super::Provenance>,
    /// The points in order (the last parameter varies fastest).
    pub points: Vec<PointSummary>,
}

/// A point's values and metrics.
#[derive(Debug, Clone, Serialize)]
pub struct PointSummary {
    /// Path → value.
    pub values: IndexMap<String, Value>,
    /// Replications run at this point.
    pub replications: u32,
    /// Queue → metric → estimate.
    pub queues: IndexMap<String, IndexMap<String, Estimate>>,
    /// Staff group → metric → estimate.
    pub staff: IndexMap<String, IndexMap<String, Estimate>>,
    /// Targets and verdicts.
    pub targets: Vec<super::TargetResult>,
    /// Warnings at this point.
    pub warnings: Vec<super::Warning>,
}

impl Point {
    /// The point at `values` whose run gave `report`, less its per-interval data, which a
    /// sweep leaves out (for a long horizon they are most of a report's memory).
    pub fn new(values: impl IntoIterator<Item = (String, Value)>, mut report: Report) -> Self {
        report.intervals = Vec::new();
        Point {
            values: values.into_iter().collect(),
            report,
        }
    }
}

impl Sweep {
    /// Collects the points.
    pub fn new(scenario: &str, parameters: Vec<String>, points: Vec<Point>) -> Self {
        let seed = points.first().map_or(0, |p| p.report.seed);
        let replications_asked = points.first().map_or(0, |p| p.report.replications);
        let provenance = points.first().map(|p| super::Provenance {
            events: points.iter().map(|p| p.report.provenance.events).sum(),
            ..p.report.provenance.clone()
        });
        let points = points
            .into_iter()
            .map(|p| PointSummary {
                values: p.values,
                replications: p.report.replications,
                queues: p.report.queues,
                staff: p.report.staff,
                targets: p.report.targets,
                warnings: p.report.warnings,
            })
            .collect();
        Sweep {
            scenario: scenario.to_string(),
            parameters,
            seed,
            replications_asked,
            independent: false,
            provenance,
            points,
        }
    }

    /// The metrics the table shows: every target's, or each queue's ASA, abandonment and
    /// service level and each group's utilization.
    pub fn headline(&self) -> Vec<String> {
        let Some(first) = self.points.first() else {
            return vec![];
        };
        if !first.targets.is_empty() {
            return first.targets.iter().map(|t| t.metric.clone()).collect();
        }
        let queues = first
            .queues
            .keys()
            .flat_map(|q| crate::metrics::HEADLINE.map(|m| format!("{q}.{}", m.def().name)));
        let utilization = crate::metrics::StaffMetric::Utilization.name();
        let staff = first
            .staff
            .keys()
            .map(|g| format!("staff.{g}.{utilization}"));
        queues.chain(staff).collect()
    }
}

/// The estimate of a metric path at a point.
pub fn metric<'a>(p: &'a PointSummary, path: &str) -> Option<&'a Estimate> {
    let path = crate::metrics::MetricPath::parse(path).ok()?;
    super::lookup(&p.queues, &p.staff, &path)
}

/// The sweep as a text table: the parameters, then each headline metric as mean ± ci95
/// half-width.
pub fn table(s: &Sweep) -> String {
    let heads = s.headline();
    // With precision control the points may differ in replications: show how many each used.
    let varied = s
        .points
        .iter()
        .any(|p| p.replications != s.replications_asked);
    let mut out = format!(
        "sweep of {} ({}, {} replications each{}; ± is the 95% confidence half-width)\n",
        s.scenario,
        super::table::plural(s.points.len(), "point"),
        s.replications_asked,
        if varied { " or more" } else { "" }
    );
    let reps = varied.then(|| "replications".to_string());
    let columns: Vec<String> = s
        .parameters
        .iter()
        .chain(&reps)
        .chain(&heads)
        .cloned()
        .collect();
    let widths: Vec<usize> = columns.iter().map(|c| c.len().max(16) + 2).collect();
    let header: String = columns
        .iter()
        .zip(&widths)
        .map(|(c, w)| format!("{c:>w$}"))
        .collect();
    let _ = writeln!(out, "{header}");
    for p in &s.points {
        let mut cells: Vec<String> = p.values.values().map(|v| v.to_string()).collect();
        if varied {
            cells.push(p.replications.to_string());
        }
        for h in &heads {
            cells.push(metric(p, h).map_or("n/a".to_string(), |e| super::table::value(h, e)));
        }
        let row: String = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:>w$}"))
            .collect();
        let _ = writeln!(out, "{row}");
    }
    out
}

/// sweep.csv: one row per point; a column per parameter, then for every queue and staff
/// metric its mean, lower and upper ci95 bound (`<metric>`, `<metric>_lo`, `<metric>_hi`).
pub fn csv(s: &Sweep) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let Some(first) = s.points.first() else {
        return w.into_inner().map_err(|e| e.into_error().into());
    };
    let mut metrics: Vec<String> = Vec::new();
    for (q, m) in &first.queues {
        metrics.extend(m.keys().map(|k| format!("{q}.{k}")));
    }
    for (g, m) in &first.staff {
        metrics.extend(m.keys().map(|k| format!("staff.{g}.{k}")));
    }
    let mut header = s.parameters.clone();
    for m in &metrics {
        header.extend([m.clone(), format!("{m}_lo"), format!("{m}_hi")]);
    }
    header.push("replications".to_string());
    w.write_record(&header)?;
    let cell = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
    for p in &s.points {
        let mut row: Vec<String> = p
            .values
            .values()
            .map(|v| v.as_str().map_or(v.to_string(), str::to_string))
            .collect();
        for m in &metrics {
            let e = metric(p, m);
            row.push(cell(e.and_then(|e| e.mean)));
            row.push(cell(e.and_then(|e| e.ci95).map(|c| c[0])));
            row.push(cell(e.and_then(|e| e.ci95).map(|c| c[1])));
        }
        row.push(p.replications.to_string());
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
