//! intervals.csv: one row per report interval, one column per queue or staff value.
//!
//! Each column is named and computed in one table entry, so a header cannot drift from its
//! cells.

use super::{IntervalQueue, IntervalStaff, Report};

/// A column: its name after the queue's or group's prefix, and its cell (`None` is empty).
type Column<T> = (&'static str, fn(&T) -> Option<f64>);

/// A queue's columns.
const QUEUE_COLUMNS: [Column<IntervalQueue>; 7] = [
    ("offered", |q| Some(q.offered)),
    ("answered", |q| Some(q.answered)),
    ("abandoned", |q| Some(q.abandoned)),
    ("asa_s", |q| q.asa_s),
    ("asa_s_lo", |q| q.asa_s_ci95.map(|c| c[0])),
    ("asa_s_hi", |q| q.asa_s_ci95.map(|c| c[1])),
    ("service_level", |q| q.service_level),
];

/// A staff group's columns.
const STAFF_COLUMNS: [Column<IntervalStaff>; 2] = [
    ("scheduled", |s| Some(s.scheduled)),
    ("busy", |s| Some(s.busy)),
];

/// Renders the per-interval table as CSV bytes. Empty cells mean "undefined" (e.g. no contact
/// answered in that interval).
pub fn intervals(r: &Report) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["start", "week", "start_s"].map(String::from).to_vec();
    for q in r.queues.keys() {
        header.extend(QUEUE_COLUMNS.iter().map(|(m, _)| format!("{q}.{m}")));
    }
    for g in r.staff.keys() {
        header.extend(STAFF_COLUMNS.iter().map(|(m, _)| format!("staff.{g}.{m}")));
    }
    w.write_record(&header)?;
    let cell = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
    for iv in &r.intervals {
        let mut row = vec![
            iv.start.clone(),
            iv.week.to_string(),
            iv.start_s.to_string(),
        ];
        for q in iv.queues.values() {
            row.extend(QUEUE_COLUMNS.iter().map(|(_, value)| cell(value(q))));
        }
        for s in iv.staff.values() {
            row.extend(STAFF_COLUMNS.iter().map(|(_, value)| cell(value(s))));
        }
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
