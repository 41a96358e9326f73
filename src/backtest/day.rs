//! The scenario of one day of the log: the scenario's behaviour (handle times, patience,
//! redials, classes, routing) with the day's own arrivals per interval (exactly as many, at
//! random times within it: the `counted` process) and its inferred staffing, placed on the
//! day's weekday (the days before it are the warm-up, and empty).

use super::staffing::STEP_S;
use crate::calendar::week_label;
use crate::scenario::units::DAY_S;
use serde_json::{Value, json};

/// What the log says of one day.
pub struct DayInput {
    /// 0 for Monday.
    pub weekday: usize,
    /// Per scenario queue, fresh arrivals (redials taken out when the queue redials) per
    /// interval of `arrival_step_s`.
    pub arrivals: Vec<Vec<f64>>,
    pub arrival_step_s: f64,
    /// Per scenario group, whole agents on duty per [`STEP_S`].
    pub staff: Vec<Vec<u32>>,
}

/// `raw` (the scenario's merged JSON) for the day `input`: each queue with arrivals gets the
/// day's rates and no opening hours (the log says when calls came), each of `groups` the
/// day's agents (its `reassign` dropped: the log says who served what), and the run covers
/// that day alone. Targets, sweeps and precision control are dropped.
pub fn scenario(raw: &Value, queues: &[String], groups: &[String], input: &DayInput) -> Value {
    let mut out = raw.clone();
    let Some(top) = out.as_object_mut() else { return out };
    for key in ["targets", "sweep", "precision", "extends"] {
        top.remove(key);
    }
    let start = input.weekday as f64 * DAY_S;
    top.insert("warmup".into(), json!(start));
    top.insert("horizon".into(), json!(start + DAY_S));
    top.insert("interval".into(), json!(DAY_S));
    if let Some(Value::Object(qs)) = top.get_mut("queues") {
        for (name, counts) in queues.iter().zip(&input.arrivals) {
            let Some(Value::Object(q)) = qs.get_mut(name) else { continue };
            if q.contains_key("arrivals") {
                let per_hour = rates(start, counts, input.arrival_step_s);
                q.insert("arrivals".into(), json!({"per_hour": per_hour, "process": "counted"}));
                q.remove("open");
            }
        }
    }
    if let Some(Value::Object(gs)) = top.get_mut("staff") {
        for (name, counts) in groups.iter().zip(&input.staff) {
            let Some(Value::Object(g)) = gs.get_mut(name) else { continue };
            let values = counts.iter().map(|&n| json!(n));
            g.insert("count".into(), steps(start, STEP_S, values));
            g.remove("reassign");
        }
    }
    out
}

/// Calls per hour per interval as week steps ending at midnight (so that each step holds
/// exactly its count), or 0 for a day without calls.
fn rates(start: f64, counts: &[f64], step_s: f64) -> Value {
    if counts.iter().all(|&n| n == 0.0) {
        return json!(0);
    }
    let per_hour = counts.iter().enumerate().map(|(i, &n)| {
        let length = step_s.min(DAY_S - i as f64 * step_s);
        json!(n * 3600.0 / length)
    });
    let mut out = steps(start, step_s, per_hour);
    if let Value::Array(steps) = &mut out
        && start + DAY_S < crate::scenario::units::WEEK_S
    {
        steps.push(json!([week_label(start + DAY_S), 0.0]));
    }
    out
}

/// `[["thu 00:00", v0], ["thu 00:30", v1], ...]` from `start` on, a step where the value
/// changes.
fn steps(start: f64, step_s: f64, values: impl Iterator<Item = Value>) -> Value {
    let mut out = Vec::new();
    let mut previous: Option<Value> = None;
    for (i, v) in values.enumerate() {
        if previous.as_ref() != Some(&v) {
            out.push(json!([week_label(start + i as f64 * step_s), v.clone()]));
            previous = Some(v);
        }
    }
    Value::Array(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_its_arrivals_and_agents_on_its_weekday() {
        let raw = json!({
            "horizon": "4w", "warmup": "1d", "targets": [{"metric": "PS.asa_s", "max": 60}],
            "queues": {"PS": {"arrivals": {"per_hour": 30, "daily_cv": 0.2}, "open": {"mon-fri": "08:00-16:00"},
                              "handle_time": {"dist": "fixed", "value": 60}},
                       "NE": {"arrivals": {"per_hour": 5}, "handle_time": {"dist": "fixed", "value": 60}}},
            "staff": {"all": {"count": 3, "serves": ["PS", "NE"]}}
        });
        let mut staff = vec![0; 288];
        staff[96..108].iter_mut().for_each(|n| *n = 2); // 08:00-09:00
        let input = DayInput {
            weekday: 3,
            arrivals: vec![vec![0.0, 0.0, 3.0, 3.0], vec![0.0; 4]],
            arrival_step_s: 21_600.0,
            staff: vec![staff],
        };
        let day = scenario(&raw, &["PS".into(), "NE".into()], &["all".into()], &input);
        assert_eq!(day["warmup"], json!(3.0 * DAY_S));
        assert_eq!(day["horizon"], json!(4.0 * DAY_S));
        assert!(day.get("targets").is_none());
        // 3 calls in each 6-hour quarter from noon: half a call an hour.
        let arrivals = json!({"per_hour": [["thu 00:00", 0.0], ["thu 12:00", 0.5], ["fri 00:00", 0.0]], "process": "counted"});
        assert_eq!(day["queues"]["PS"]["arrivals"], arrivals);
        assert!(day["queues"]["PS"].get("open").is_none());
        assert_eq!(day["queues"]["NE"]["arrivals"], json!({"per_hour": 0, "process": "counted"}));
        assert_eq!(day["staff"]["all"]["count"], json!([["thu 00:00", 0], ["thu 08:00", 2], ["thu 09:00", 0]]));
        crate::scenario::parse_value(day, "day").expect("a valid scenario");
    }
}
