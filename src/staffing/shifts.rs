//! The shifts file of `callsim staff --schedule GROUP --shifts SHIFTS.json`: the whole shifts
//! a roster may use, each with its start times, length, breaks and the days it may be worked.
//!
//! ```json
//! {"shifts": {
//!    "full": {"days": "mon-fri", "start": ["08:00", "08:30"], "length": "8.5h",
//!             "breaks": [{"after": "4h", "length": "30m"}]},
//!    "half": {"days": "mon-fri", "start": "12:00", "length": "4h", "max": 20}}}
//! ```
//!
//! A shift starting at each of its start times on each of its days is one column of the
//! integer program in [`cover`]; it is on duty from its start for its length, except during its
//! breaks (`after` its start), and may run past midnight (Sunday's into Monday's).

pub mod cover;

use crate::error::{InputError, Issue};
use crate::scenario::units::{DAY_S, Duration, parse_clock, parse_days};
use crate::staffing::schedule::slots::Week;
use indexmap::IndexMap;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    /// What the shifts are, for the reader; not used.
    #[serde(default, rename = "description")]
    _description: Option<String>,
    shifts: IndexMap<String, Spec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    days: String,
    start: Starts,
    length: Duration,
    #[serde(default)]
    breaks: Vec<BreakSpec>,
    #[serde(default)]
    max: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged, expecting = "a clock time \"08:00\" or a list of them")]
enum Starts {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BreakSpec {
    after: Duration,
    length: Duration,
}

/// One shift of the file, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Shift {
    pub name: String,
    /// Monday first.
    pub days: [bool; 7],
    /// Seconds after midnight.
    pub starts: Vec<f64>,
    pub length_s: f64,
    /// `(after, length)` in seconds, within the shift.
    pub breaks: Vec<(f64, f64)>,
    /// Most agents on this shift a day, over its start times.
    pub max: Option<u32>,
}

/// The shifts of a file.
#[derive(Debug, Clone)]
pub struct Shifts {
    pub file: String,
    pub shifts: Vec<Shift>,
}

/// One shift at one start time on one day: a column of the integer program.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Index into [`Shifts::shifts`].
    pub shift: usize,
    /// 0 = Monday.
    pub day: usize,
    /// Seconds after midnight.
    pub start_s: f64,
    /// The week's intervals it is on duty in.
    pub slots: Vec<usize>,
}

impl Shifts {
    /// Reads and checks a shifts file.
    pub fn load(path: &std::path::Path) -> Result<Shifts, InputError> {
        let file = path.display().to_string();
        let parsed: File = crate::scenario::read_json(path)?;
        let mut issues = Vec::new();
        let shifts = parsed
            .shifts
            .into_iter()
            .filter_map(|(name, spec)| checked(&name, spec).map_err(|e| issues.extend(e)).ok())
            .collect::<Vec<_>>();
        if shifts.is_empty() && issues.is_empty() {
            issues.push(Issue::new(
                "shifts",
                "no shift given; add one such as {\"day\": {\"days\": \"mon-fri\", \"start\": \"08:00\", \"length\": \"8h\"}}",
            ));
        }
        if issues.is_empty() {
            Ok(Shifts { file, shifts })
        } else {
            Err(InputError::Invalid { file, issues })
        }
    }

    /// Every shift at every start on every day it may be worked, on `week`'s intervals; each
    /// start, length and break must fall on the intervals' boundaries.
    pub fn columns(&self, week: Week) -> Result<Vec<Column>, InputError> {
        let mut issues = Vec::new();
        let mut columns = Vec::new();
        for (i, s) in self.shifts.iter().enumerate() {
            let misaligned = aligned(s, week.step_s);
            if !misaligned.is_empty() {
                issues.extend(misaligned);
                continue;
            }
            for day in (0..7).filter(|&d| s.days[d]) {
                for &start in &s.starts {
                    columns.push(Column {
                        shift: i,
                        day,
                        start_s: start,
                        slots: on_duty(s, day as f64 * DAY_S + start, week),
                    });
                }
            }
        }
        if issues.is_empty() {
            Ok(columns)
        } else {
            Err(InputError::Invalid {
                file: self.file.clone(),
                issues,
            })
        }
    }
}

/// The intervals of `week` a shift starting at `at` (seconds since Monday 00:00) is on duty in.
fn on_duty(s: &Shift, at: f64, week: Week) -> Vec<usize> {
    let steps = (s.length_s / week.step_s).round() as usize;
    let first = (at / week.step_s).round() as usize;
    (0..steps)
        .filter(|&k| {
            let t = k as f64 * week.step_s;
            !s.breaks.iter().any(|&(after, len)| t >= after && t < after + len)
        })
        .map(|k| (first + k) % week.count)
        .collect()
}

/// The shift's times that are not whole multiples of the interval `step_s`.
fn aligned(s: &Shift, step_s: f64) -> Vec<Issue> {
    let off = |v: f64| (v / step_s).fract().abs() > 1e-9;
    let minutes = step_s / 60.0;
    let hint = format!("times must fall on the {minutes}-minute intervals of --interval; give a shorter --interval or move them");
    let mut times: Vec<(String, f64)> = s
        .starts
        .iter()
        .map(|&t| ("start".to_string(), t))
        .collect();
    times.push(("length".into(), s.length_s));
    for (i, &(after, len)) in s.breaks.iter().enumerate() {
        times.push((format!("breaks[{i}].after"), after));
        times.push((format!("breaks[{i}].length"), len));
    }
    times
        .into_iter()
        .filter(|(_, v)| off(*v))
        .map(|(key, v)| {
            Issue::new(
                format!("shifts.{}.{key}", s.name),
                format!("{} min is not on an interval boundary: {hint}", v / 60.0),
            )
        })
        .collect()
}

/// A shift's spec, checked: each problem with its key path.
fn checked(name: &str, spec: Spec) -> Result<Shift, Vec<Issue>> {
    let at = |key: &str| format!("shifts.{name}.{key}");
    let mut issues = Vec::new();
    let days = parse_days(&spec.days).unwrap_or_else(|e| {
        issues.push(Issue::new(at("days"), e));
        [false; 7]
    });
    let texts = match spec.start {
        Starts::One(t) => vec![t],
        Starts::Many(ts) => ts,
    };
    if texts.is_empty() {
        issues.push(Issue::new(at("start"), "give at least one start time, e.g. \"08:00\""));
    }
    let starts: Vec<f64> = texts
        .iter()
        .filter_map(|t| parse_clock(t, false).map_err(|e| issues.push(Issue::new(at("start"), e))).ok())
        .collect();
    let length_s = spec.length.0;
    if !(length_s > 0.0 && length_s <= DAY_S) {
        issues.push(Issue::new(at("length"), format!("a shift lasts more than 0 and at most 24 hours, got {} h", length_s / 3600.0)));
    }
    let mut breaks: Vec<(f64, f64)> = spec.breaks.iter().map(|b| (b.after.0, b.length.0)).collect();
    breaks.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut end = 0.0;
    for (i, &(after, len)) in breaks.iter().enumerate() {
        if len <= 0.0 || after <= 0.0 || after + len >= length_s || after < end {
            issues.push(Issue::new(
                at(&format!("breaks[{i}]")),
                format!("a break of {} min after {} min must lie inside the {} h shift, after its start and before its end, and not overlap another", len / 60.0, after / 60.0, length_s / 3600.0),
            ));
        }
        end = after + len;
    }
    if issues.is_empty() {
        Ok(Shift {
            name: name.to_string(),
            days,
            starts,
            length_s,
            breaks,
            max: spec.max,
        })
    } else {
        Err(issues)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Shifts, InputError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shifts.json");
        std::fs::write(&path, text).unwrap();
        Shifts::load(&path)
    }

    #[test]
    fn a_shift_is_on_duty_from_its_start_except_in_its_breaks_and_wraps_the_week() {
        let s = load(
            r#"{"shifts": {"late": {"days": "sun", "start": ["20:00"], "length": "6h",
                "breaks": [{"after": "2h", "length": "1h"}]}}}"#,
        )
        .unwrap();
        let week = Week::new(3600.0);
        let columns = s.columns(week).unwrap();
        assert_eq!(columns.len(), 1);
        // Sunday 20:00 is hour 164 of the week; 22:00 is the break; 00:00 and 01:00 are Monday's.
        assert_eq!(columns[0].slots, vec![164, 165, 167, 0, 1]);
    }

    #[test]
    fn every_start_on_every_day_is_a_column() {
        let s = load(r#"{"shifts": {"a": {"days": "mon-wed", "start": ["08:00", "09:00"], "length": "2h", "max": 3}}}"#).unwrap();
        let columns = s.columns(Week::new(1800.0)).unwrap();
        assert_eq!(columns.len(), 6);
        assert_eq!(columns[5].day, 2);
        assert_eq!(columns[5].slots, vec![48 * 2 + 18, 48 * 2 + 19, 48 * 2 + 20, 48 * 2 + 21]);
        assert_eq!(s.shifts[0].max, Some(3));
    }

    #[test]
    fn bad_shifts_are_named_with_their_key_paths() {
        let e = load(r#"{"shifts": {"a": {"days": "mon-fri", "start": "08:00", "lenght": "8h"}}}"#).unwrap_err().to_string();
        assert!(e.contains("unknown field `lenght`"), "{e}");
        let e = load(r#"{"shifts": {"a": {"days": "someday", "start": "25:00", "length": "30h",
            "breaks": [{"after": "29h", "length": "2h"}]}}}"#)
        .unwrap_err()
        .to_string();
        for key in ["shifts.a.days", "shifts.a.start", "shifts.a.length", "shifts.a.breaks[0]"] {
            assert!(e.contains(key), "{key}: {e}");
        }
        let e = load(r#"{"shifts": {}}"#).unwrap_err().to_string();
        assert!(e.contains("no shift given"), "{e}");
        let s = load(r#"{"shifts": {"a": {"days": "mon", "start": "08:15", "length": "8h"}}}"#).unwrap();
        let e = s.columns(Week::new(1800.0)).unwrap_err().to_string();
        assert!(e.contains("shifts.a.start: 495 min is not on an interval boundary"), "{e}");
    }
}
