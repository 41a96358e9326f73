//! Units of the scenario format: durations (`"90s"`, `"5m"`, `300`), clock times
//! (`"08:00"`, `"24:00"` as an end), day sets (`"mon-fri"`, `"sat,sun"`) and time ranges
//! (`"08:00-16:00"`).
//!
//! Parsing returns a plain message; the caller prefixes the key path.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;

pub use crate::calendar::{DAY_NAMES, DAY_S, WEEK_S};

/// A length of time in seconds, written as a number of seconds or a string with a unit
/// (`s`, `m`, `h`, `d`, `w`): `300`, `"90s"`, `"5m"`, `"1.5h"`, `"2d"`, `"4w"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Duration(pub f64);

impl Duration {
    /// The duration in seconds.
    pub fn secs(self) -> f64 {
        self.0
    }
}

/// The longest duration accepted anywhere, 100 years: beyond it no contact-center time makes
/// sense, and bounding every input keeps every sum, square and result finite.
pub const MAX_DURATION_S: f64 = 100.0 * 365.25 * DAY_S;

/// `v` seconds if within [`MAX_DURATION_S`] either way.
fn bounded(v: f64, text: &dyn std::fmt::Display) -> Result<f64, String> {
    if v.abs() <= MAX_DURATION_S {
        Ok(v)
    } else {
        Err(format!(
            "a duration must be at most 100 years (3.16e9 s), got {text}"
        ))
    }
}

/// Parses a duration string such as `"90s"`, `"1.5h"`, `"4w"` or `"300"` into seconds.
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let (number, scale) = match t.char_indices().last() {
        Some((i, 's')) => (&t[..i], 1.0),
        Some((i, 'm')) => (&t[..i], 60.0),
        Some((i, 'h')) => (&t[..i], 3600.0),
        Some((i, 'd')) => (&t[..i], DAY_S),
        Some((i, 'w')) => (&t[..i], WEEK_S),
        _ => (t, 1.0),
    };
    let value: f64 = number.trim().parse().map_err(|_| {
        format!(
            "expected a duration such as 300, \"90s\", \"5m\", \"1.5h\", \"2d\" or \"4w\", got {text:?}"
        )
    })?;
    if !value.is_finite() {
        return Err(format!("expected a finite duration, got {text:?}"));
    }
    bounded(value * scale, &format_args!("{text:?}"))
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match NumberOrText::deserialize(d)? {
            NumberOrText::Number(v) => bounded(v, &format_args!("{v:e} s"))
                .map(Duration)
                .map_err(serde::de::Error::custom),
            NumberOrText::Text(s) => parse_duration(&s)
                .map(Duration)
                .map_err(serde::de::Error::custom),
        }
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Seconds, or a string with a unit: \"90s\", \"5m\", \"1.5h\", \"2d\", \"4w\".",
            "oneOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": "^\\s*[0-9.][0-9.eE+-]*\\s*[smhdw]?\\s*$"}
            ]
        })
    }
}

/// A number, or a string to be read as one (durations, bounds).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged, expecting = "a number or a string such as \"90s\"")]
pub enum NumberOrText {
    /// A plain JSON number.
    Number(f64),
    /// A string such as `"5m"`.
    Text(String),
}

/// Parses `"HH:MM"` into seconds after midnight; `"24:00"` only when `allow_end`.
pub fn parse_clock(text: &str, allow_end: bool) -> Result<f64, String> {
    let bad = || format!("expected a clock time \"HH:MM\" such as \"08:30\", got {text:?}");
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    if h == 24 && !allow_end {
        return Err(format!(
            "\"24:00\" is allowed only as the end of a range, got {text:?}"
        ));
    }
    Ok(f64::from(h * 3600 + m * 60))
}

/// Parses `"HH:MM-HH:MM"` into `(start, end)` seconds after midnight, with start < end.
pub fn parse_time_range(text: &str) -> Result<(f64, f64), String> {
    let (a, b) = text.split_once('-').ok_or_else(|| {
        format!("expected a time range \"HH:MM-HH:MM\" such as \"08:00-16:00\", got {text:?}")
    })?;
    let (start, end) = (parse_clock(a, false)?, parse_clock(b, true)?);
    if start >= end {
        return Err(format!(
            "a time range must end after it starts (ranges do not cross midnight), got {text:?}"
        ));
    }
    Ok((start, end))
}

/// Parses a time of week `"mon 08:30"` into seconds after Monday 00:00.
pub fn parse_week_time(text: &str) -> Result<f64, String> {
    let bad = || format!("expected a day and a clock time such as \"mon 08:30\", got {text:?}");
    let (day, clock) = text.trim().split_once(' ').ok_or_else(bad)?;
    let day = parse_day(day).map_err(|_| bad())?;
    Ok(day as f64 * DAY_S + parse_clock(clock, false)?)
}

fn parse_day(text: &str) -> Result<usize, String> {
    let t = text.trim().to_ascii_lowercase();
    DAY_NAMES
        .iter()
        .position(|d| *d == t)
        .ok_or_else(|| format!("expected a day mon, tue, wed, thu, fri, sat or sun, got {text:?}"))
}

/// Parses a day set: `"mon"`, `"mon-fri"`, `"sat,sun"`, `"mon-wed,fri"`, or `"daily"`.
/// Returns a 7-element mask, Monday first.
pub fn parse_days(text: &str) -> Result<[bool; 7], String> {
    let mut mask = [false; 7];
    if text.trim().eq_ignore_ascii_case("daily") {
        return Ok([true; 7]);
    }
    for part in text.split(',') {
        let (first, last) = match part.split_once('-') {
            Some((a, b)) => (parse_day(a)?, parse_day(b)?),
            None => (parse_day(part)?, parse_day(part)?),
        };
        if first > last {
            return Err(format!(
                "a day range runs forward within the week (e.g. \"mon-fri\", or \"sat,sun,mon\"), got {text:?}"
            ));
        }
        mask[first..=last].iter_mut().for_each(|d| *d = true);
    }
    Ok(mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_unit() {
        assert_eq!(parse_duration("90s"), Ok(90.0));
        assert_eq!(parse_duration("5m"), Ok(300.0));
        assert_eq!(parse_duration("1.5h"), Ok(5400.0));
        assert_eq!(parse_duration("2d"), Ok(172_800.0));
        assert_eq!(parse_duration("1w"), Ok(WEEK_S));
        assert_eq!(parse_duration(" 42 "), Ok(42.0));
        assert!(parse_duration("5 minutes").is_err());
        assert!(parse_duration("").is_err());
        assert!(parse_duration("infh").is_err());
    }

    #[test]
    fn clock_times_and_ranges() {
        assert_eq!(parse_clock("08:30", false), Ok(30_600.0));
        assert_eq!(parse_time_range("08:00-24:00"), Ok((28_800.0, 86_400.0)));
        assert!(parse_clock("24:00", false).is_err());
        assert!(parse_clock("12:60", true).is_err());
        assert!(parse_time_range("16:00-08:00").is_err());
        assert!(parse_time_range("08:00").is_err());
    }

    #[test]
    fn day_sets() {
        let weekdays = parse_days("mon-fri").unwrap();
        assert_eq!(weekdays, [true, true, true, true, true, false, false]);
        assert_eq!(
            parse_days("sat,sun").unwrap(),
            [false, false, false, false, false, true, true]
        );
        assert_eq!(parse_days("Daily").unwrap(), [true; 7]);
        assert!(parse_days("fri-mon").is_err());
        assert!(parse_days("monday").is_err());
    }
}
