//! intervals.csv: one row per report interval, one column per queue or staff value.

use super::Report;

/// Renders the per-interval table as CSV bytes. Empty cells mean "undefined" (e.g. no contact
/// answered in that interval).
pub fn intervals(r: &Report) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "start".to_string(),
        "week".to_string(),
        "start_s".to_string(),
    ];
    for q in r.queues.keys() {
        for m in [
            "offered",
            "answered",
            "abandoned",
            "asa_s",
            "asa_s_lo",
            "asa_s_hi",
            "service_level",
        ] {
            header.push(format!("{q}.{m}"));
        }
    }
    for g in r.staff.keys() {
        header.extend([format!("staff.{g}.scheduled"), format!("staff.{g}.busy")]);
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
            row.extend([
                q.offered.to_string(),
                q.answered.to_string(),
                q.abandoned.to_string(),
            ]);
            row.extend([
                cell(q.asa_s),
                cell(q.asa_s_ci95.map(|c| c[0])),
                cell(q.asa_s_ci95.map(|c| c[1])),
            ]);
            row.push(cell(q.service_level));
        }
        for s in iv.staff.values() {
            row.extend([s.scheduled.to_string(), s.busy.to_string()]);
        }
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
