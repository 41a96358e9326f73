//! Compiling `arrivals` into a weekly rate profile (calls per second, zero while closed) and an
//! optional random daily level.

use super::Issues;
use crate::dist::Dist;
use crate::scenario::units::{DAY_NAMES, DAY_S, WEEK_S, parse_clock, parse_days};
use crate::scenario::week::WeekProfile;
use crate::scenario::{ArrivalSpec, RateSpec};
use indexmap::IndexMap;

/// The rate per second (zero while `open` is 0) and the daily level, if any.
pub fn arrivals(
    issues: &mut Issues,
    path: &str,
    a: &ArrivalSpec,
    open: &WeekProfile,
) -> (WeekProfile, Option<Dist>) {
    let given = [
        a.per_hour.is_some(),
        a.per_week.is_some(),
        a.per_day.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        issues.add(path, "give exactly one of per_hour, per_week or per_day");
    }
    let rate = match (&a.per_hour, a.per_week, a.per_day) {
        (Some(spec), _, _) => {
            for (key, set) in [
                ("day_weights", a.day_weights.is_some()),
                ("profile", a.profile.is_some()),
            ] {
                if set {
                    issues.add(
                        &format!("{path}.{key}"),
                        "only used with per_week or per_day (per_hour gives the rates itself)",
                    );
                }
            }
            per_hour(issues, &format!("{path}.per_hour"), spec)
                .times(open)
                .times(&WeekProfile::constant(1.0 / 3600.0))
        }
        (None, Some(week), _) => {
            let week = non_negative(issues, &format!("{path}.per_week"), week);
            volumes(issues, path, a, open, Volume::Week(week))
        }
        (None, None, Some(day)) => {
            let day = non_negative(issues, &format!("{path}.per_day"), day);
            volumes(issues, path, a, open, Volume::Day(day))
        }
        _ => WeekProfile::constant(0.0),
    };
    match a.daily_cv {
        Some(cv) if cv > 0.0 && cv.is_finite() => (rate.with_day_cuts(), Dist::gamma(1.0, cv)),
        Some(cv) if cv != 0.0 => {
            issues.add(
                &format!("{path}.daily_cv"),
                format!("must be >= 0, got {cv}"),
            );
            (rate, None)
        }
        _ => (rate, None),
    }
}

fn non_negative(issues: &mut Issues, path: &str, v: f64) -> f64 {
    if !(v >= 0.0 && v.is_finite()) {
        issues.add(path, format!("must be >= 0, got {v}"));
        return 0.0;
    }
    v
}

/// `[["HH:MM", value], ...]` as `(seconds after midnight, value)`, times increasing.
fn day_pieces(
    issues: &mut Issues,
    path: &str,
    pieces: &[(String, f64)],
    what: &str,
) -> Vec<(f64, f64)> {
    let mut day: Vec<(f64, f64)> = Vec::new();
    for (i, (time, v)) in pieces.iter().enumerate() {
        let p = format!("{path}[{i}]");
        if !(*v >= 0.0 && v.is_finite()) {
            issues.add(&p, format!("{what} must be >= 0, got {v}"));
        }
        match parse_clock(time, false) {
            Ok(t) if day.last().is_some_and(|(prev, _)| *prev >= t) => {
                issues.add(
                    &p,
                    format!("times must increase, got {time:?} after an equal or later time"),
                );
            }
            Ok(t) => day.push((t, v.max(0.0))),
            Err(e) => issues.add(&p, e),
        }
    }
    day
}

fn per_hour(issues: &mut Issues, path: &str, spec: &RateSpec) -> WeekProfile {
    match spec {
        RateSpec::Constant(r) => WeekProfile::constant(non_negative(issues, path, *r)),
        RateSpec::Profile(pieces) if pieces.first().is_some_and(|p| p.0.trim().contains(' ')) => {
            week_steps(issues, path, pieces)
        }
        RateSpec::Profile(pieces) => daily(&day_pieces(issues, path, pieces, "a rate")),
    }
}

/// `[["mon 08:00", rate], ...]`: rates over the week, each from its time of week to the
/// next, the last to the end of the week; 0 before the first. Times must increase.
fn week_steps(issues: &mut Issues, path: &str, pieces: &[(String, f64)]) -> WeekProfile {
    let mut starts: Vec<(f64, f64)> = Vec::with_capacity(pieces.len());
    for (i, (time, v)) in pieces.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let v = non_negative(issues, &p, *v);
        match crate::scenario::units::parse_week_time(time) {
            Ok(t) if starts.last().is_some_and(|(prev, _)| t <= *prev) => issues.add(
                &p,
                format!("{time:?} is not after the time before it; list the rates in the order of the week, Monday first"),
            ),
            Ok(t) => starts.push((t, v)),
            Err(e) => issues.add(&p, e),
        }
    }
    let ends = starts.iter().skip(1).map(|s| s.0).chain([WEEK_S]);
    let assignments: Vec<(f64, f64, f64)> =
        starts.iter().zip(ends).map(|(&(s, v), e)| (s, e, v)).collect();
    WeekProfile::from_assignments(0.0, &assignments)
}

/// A profile repeating the same day: `(start, value)` pieces, each to the next, last to
/// midnight; 0 before the first.
fn daily(day: &[(f64, f64)]) -> WeekProfile {
    let mut assignments = Vec::new();
    for d in 0..7 {
        let base = d as f64 * DAY_S;
        for (i, (start, v)) in day.iter().enumerate() {
            let end = day.get(i + 1).map_or(DAY_S, |n| n.0);
            assignments.push((base + start, base + end, *v));
        }
    }
    WeekProfile::from_assignments(0.0, &assignments)
}

enum Volume {
    Week(f64),
    Day(f64),
}

/// Spreads a weekly or daily volume over the days by weight and over each day's open hours by
/// the intraday profile, so that each day's expected count is exactly its share.
fn volumes(
    issues: &mut Issues,
    path: &str,
    a: &ArrivalSpec,
    open: &WeekProfile,
    volume: Volume,
) -> WeekProfile {
    let shape = match &a.profile {
        Some(p) => daily(&day_pieces(
            issues,
            &format!("{path}.profile"),
            p,
            "a weight",
        )),
        None => WeekProfile::constant(1.0),
    }
    .times(open);
    let area =
        |d: usize| shape.integral_to((d + 1) as f64 * DAY_S) - shape.integral_to(d as f64 * DAY_S);
    let weights = day_weights(
        issues,
        &format!("{path}.day_weights"),
        a.day_weights.as_ref(),
        |d| area(d) > 0.0,
    );
    let total: f64 = weights.iter().sum();
    let mut scale = Vec::new();
    for (d, w) in weights.iter().enumerate() {
        let day_volume = match volume {
            Volume::Week(v) if total > 0.0 => v * w / total,
            Volume::Week(_) => 0.0,
            Volume::Day(v) => v * w,
        };
        if day_volume > 0.0 && area(d) <= 0.0 {
            issues.add(
                path,
                format!(
                    "{} has a volume but no open hours with a positive profile weight",
                    DAY_NAMES[d]
                ),
            );
        }
        let s = if area(d) > 0.0 {
            day_volume / area(d)
        } else {
            0.0
        };
        scale.push((d as f64 * DAY_S, (d + 1) as f64 * DAY_S, s));
    }
    if matches!(volume, Volume::Week(v) if v > 0.0) && total <= 0.0 {
        issues.add(
            path,
            "per_week needs at least one open day with a positive weight",
        );
    }
    shape.times(&WeekProfile::from_assignments(0.0, &scale))
}

/// Each day's weight: from `weights` (days not listed: 0), or 1 for every day `is_open`.
fn day_weights(
    issues: &mut Issues,
    path: &str,
    weights: Option<&IndexMap<String, f64>>,
    is_open: impl Fn(usize) -> bool,
) -> [f64; 7] {
    let Some(weights) = weights else {
        return std::array::from_fn(|d| if is_open(d) { 1.0 } else { 0.0 });
    };
    let mut out = [0.0; 7];
    let mut seen = [false; 7];
    for (days, w) in weights {
        let p = format!("{path}.{days}");
        let w = non_negative(issues, &p, *w);
        match parse_days(days) {
            Ok(mask) => {
                for d in (0..7).filter(|d| mask[*d]) {
                    if seen[d] {
                        issues.add(&p, format!("{} is given a weight twice", DAY_NAMES[d]));
                    }
                    seen[d] = true;
                    out[d] = w;
                }
            }
            Err(e) => issues.add(&p, e),
        }
    }
    out
}
