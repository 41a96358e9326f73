//! Weekly calendars: piecewise-constant functions of the time of week, compiled from opening
//! hours, arrival profiles and staff schedules. The pattern repeats every week.

use super::units::{DAY_S, WEEK_S};

/// A piecewise-constant function over the week `[0, WEEK_S)`, repeated every week.
///
/// Piece `i` holds `values[i]` on `[starts[i], starts[i + 1])`; the last piece runs to the end
/// of the week. `starts[0]` is 0 and adjacent pieces differ.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekProfile {
    starts: Vec<f64>,
    values: Vec<f64>,
}

impl WeekProfile {
    /// The same value all week.
    pub fn constant(value: f64) -> Self {
        WeekProfile {
            starts: vec![0.0],
            values: vec![value],
        }
    }

    /// Builds a profile from `(start, end, value)` assignments on week time, `default` elsewhere.
    /// Later assignments win where they overlap (callers check overlaps themselves).
    pub fn from_assignments(default: f64, assignments: &[(f64, f64, f64)]) -> Self {
        let mut cuts: Vec<f64> = vec![0.0];
        for &(s, e, _) in assignments {
            cuts.extend([s, e]);
        }
        cuts.retain(|t| *t < WEEK_S);
        cuts.sort_by(f64::total_cmp);
        cuts.dedup();
        let value_at = |t: f64| {
            assignments
                .iter()
                .rev()
                .find(|(s, e, _)| *s <= t && t < *e)
                .map_or(default, |a| a.2)
        };
        let mut profile = WeekProfile {
            starts: vec![],
            values: vec![],
        };
        for t in cuts {
            profile.push(t, value_at(t));
        }
        profile
    }

    /// Pointwise product of two profiles (e.g. a rate times an open indicator).
    pub fn times(&self, other: &WeekProfile) -> WeekProfile {
        self.zip_with(other, |a, b| a * b)
    }

    /// Pointwise `f(self, other)`.
    pub fn zip_with(&self, other: &WeekProfile, f: impl Fn(f64, f64) -> f64) -> WeekProfile {
        let mut cuts: Vec<f64> = self.starts.iter().chain(&other.starts).copied().collect();
        cuts.sort_by(f64::total_cmp);
        cuts.dedup();
        let mut profile = WeekProfile {
            starts: vec![],
            values: vec![],
        };
        for t in cuts {
            profile.push(t, f(self.value_at(t), other.value_at(t)));
        }
        profile
    }

    /// The start of the first piece where `pred` holds for (self, other), if any.
    pub fn first_where(&self, other: &WeekProfile, pred: impl Fn(f64, f64) -> bool) -> Option<f64> {
        let both = self.zip_with(other, |a, b| if pred(a, b) { 1.0 } else { 0.0 });
        both.next_positive(0.0)
    }

    /// The same function with a piece boundary at every midnight (pieces never span two days),
    /// for quantities that change per day.
    pub fn with_day_cuts(&self) -> WeekProfile {
        let mut cuts: Vec<f64> = self.starts.clone();
        cuts.extend((1..7).map(|d| d as f64 * DAY_S));
        cuts.sort_by(f64::total_cmp);
        cuts.dedup();
        let values = cuts.iter().map(|t| self.value_at(*t)).collect();
        WeekProfile {
            starts: cuts,
            values,
        }
    }

    fn push(&mut self, start: f64, value: f64) {
        if self.values.last() != Some(&value) {
            self.starts.push(start);
            self.values.push(value);
        }
    }

    /// Number of pieces.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Always false: a profile has at least one piece.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The index of the piece holding time `t` (any time, not only within the first week).
    pub fn piece_at(&self, t: f64) -> usize {
        let w = t.rem_euclid(WEEK_S);
        self.starts.partition_point(|s| *s <= w) - 1
    }

    /// The value at time `t`.
    pub fn value_at(&self, t: f64) -> f64 {
        self.values[self.piece_at(t)]
    }

    /// The value of piece `i`.
    pub fn value(&self, i: usize) -> f64 {
        self.values[i]
    }

    /// Week time at which piece `i` ends.
    pub fn piece_end(&self, i: usize) -> f64 {
        self.starts.get(i + 1).copied().unwrap_or(WEEK_S)
    }

    /// Week time at which piece `i` starts.
    pub fn piece_start(&self, i: usize) -> f64 {
        self.starts[i]
    }

    /// The next piece after `i`, wrapping to the next week.
    pub fn next_piece(&self, i: usize) -> usize {
        if i + 1 == self.starts.len() { 0 } else { i + 1 }
    }

    /// The first time at or after `t` where the value is positive, if there is one.
    pub fn next_positive(&self, t: f64) -> Option<f64> {
        let mut piece = self.piece_at(t);
        let mut base = (t / WEEK_S).floor() * WEEK_S;
        for _ in 0..=self.len() {
            if self.values[piece] > 0.0 {
                return Some(t.max(base + self.starts[piece]));
            }
            piece = self.next_piece(piece);
            if piece == 0 {
                base += WEEK_S;
            }
        }
        None
    }

    /// Integral of the profile over `[0, t)`.
    pub fn integral_to(&self, t: f64) -> f64 {
        let weeks = (t / WEEK_S).floor();
        let rest = t - weeks * WEEK_S;
        let mut area = weeks * self.week_integral();
        for i in 0..self.len() {
            let (s, e) = (self.starts[i], self.piece_end(i).min(rest));
            if e > s {
                area += self.values[i] * (e - s);
            }
        }
        area
    }

    /// Integral over one week.
    pub fn week_integral(&self) -> f64 {
        (0..self.len())
            .map(|i| self.values[i] * (self.piece_end(i) - self.starts[i]))
            .sum()
    }

    /// Largest value.
    pub fn max(&self) -> f64 {
        self.values
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_make_merged_pieces() {
        let p = WeekProfile::from_assignments(0.0, &[(10.0, 20.0, 2.0), (20.0, 30.0, 2.0)]);
        assert_eq!(p.len(), 3);
        assert_eq!(p.value_at(15.0), 2.0);
        assert_eq!(p.value_at(25.0), 2.0);
        assert_eq!(p.value_at(30.0), 0.0);
        assert_eq!(p.value_at(WEEK_S + 15.0), 2.0);
        assert_eq!(p.piece_end(1), 30.0);
        // A whole week (2 · 20) plus [10, 25) of the second (2 · 15).
        assert_eq!(p.integral_to(WEEK_S + 25.0), 40.0 + 30.0);
    }

    #[test]
    fn next_positive_wraps_to_the_next_week() {
        let open = WeekProfile::from_assignments(0.0, &[(100.0, 200.0, 1.0)]);
        assert_eq!(open.next_positive(150.0), Some(150.0));
        assert_eq!(open.next_positive(50.0), Some(100.0));
        assert_eq!(open.next_positive(250.0), Some(WEEK_S + 100.0));
        assert_eq!(WeekProfile::constant(0.0).next_positive(5.0), None);
    }

    #[test]
    fn product_cuts_at_both_profiles() {
        let rate = WeekProfile::from_assignments(0.0, &[(0.0, 100.0, 3.0), (100.0, 200.0, 5.0)]);
        let open = WeekProfile::from_assignments(0.0, &[(50.0, 150.0, 1.0)]);
        let p = rate.times(&open);
        assert_eq!(p.week_integral(), 50.0 * 3.0 + 50.0 * 5.0);
        assert_eq!(p.value_at(60.0), 3.0);
        assert_eq!(p.value_at(160.0), 0.0);
    }
}
