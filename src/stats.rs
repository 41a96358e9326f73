//! Streaming statistics: accumulated while simulating, so memory does not grow with the number
//! of contacts. [`WaitHistogram`] gives quantiles with a bounded error, [`TimeAverage`]
//! integrates a piecewise-constant quantity (busy agents, queue length) over a window and over
//! report intervals.

pub mod ci;

/// Buckets per doubling of the wait: 2^6.
const HIST_SUB_BITS: u32 = 6;
/// Smallest wait with its own bucket: 2^-7 s, about 8 ms.
const HIST_MIN_EXP: i64 = -7;
/// Buckets from 2^-7 s to 2^28 s (about 8.5 years); longer waits share the last.
const HIST_BUCKETS: usize = ((28 - HIST_MIN_EXP) << HIST_SUB_BITS) as usize;
/// The bits of 2^HIST_MIN_EXP shifted like a bucket index: subtracted to make bucket 0.
const HIST_OFFSET: i64 = (1023 + HIST_MIN_EXP) << HIST_SUB_BITS;

/// A fixed-size histogram of waits with log-linear buckets (as in HdrHistogram): each doubling
/// of the wait is cut into 64 equal buckets, so a bucket's index is read straight off the
/// float's exponent and top 6 mantissa bits, with no logarithm.
///
/// Error bound: a quantile is reported as the geometric midpoint of its bucket, whose edges
/// differ by a factor of at most 1 + 1/64, so it is within √(1 + 1/64) − 1 < 0.8% of the exact
/// order statistic (relative) for waits of 2^-7 s (8 ms) or more, and within 4 ms (absolute)
/// below that. Exact zeros (contacts answered at once) are counted apart and reported exactly.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(into = "SparseHistogram", from = "SparseHistogram")]
pub struct WaitHistogram {
    zeros: u64,
    below_min: u64,
    buckets: Box<[u64; HIST_BUCKETS]>,
    count: u64,
    /// The smallest and largest wait recorded: a bucket's midpoint may lie beyond them, and
    /// a quantile must not (a p95 above the maximum wait).
    least: f64,
    most: f64,
}

/// A [`WaitHistogram`] as a shard file stores it: only its non-empty buckets, and its
/// extremes only when it holds a wait (an empty one's least is infinite, which JSON lacks).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct SparseHistogram {
    zeros: u64,
    below_min: u64,
    count: u64,
    extremes: Option<(f64, f64)>,
    /// (bucket, count) of the non-empty buckets.
    buckets: Vec<(u32, u64)>,
}

impl From<WaitHistogram> for SparseHistogram {
    fn from(h: WaitHistogram) -> Self {
        SparseHistogram {
            zeros: h.zeros,
            below_min: h.below_min,
            count: h.count,
            extremes: (h.count > 0).then_some((h.least, h.most)),
            buckets: h.buckets.iter().enumerate().filter(|(_, n)| **n > 0).map(|(i, n)| (i as u32, *n)).collect(),
        }
    }
}

impl From<SparseHistogram> for WaitHistogram {
    fn from(s: SparseHistogram) -> Self {
        let mut h = WaitHistogram::default();
        for (i, n) in s.buckets {
            if let Some(b) = h.buckets.get_mut(i as usize) {
                *b = n;
            }
        }
        (h.zeros, h.below_min, h.count) = (s.zeros, s.below_min, s.count);
        if let Some((least, most)) = s.extremes {
            (h.least, h.most) = (least, most);
        }
        h
    }
}

impl Default for WaitHistogram {
    fn default() -> Self {
        WaitHistogram {
            zeros: 0,
            below_min: 0,
            buckets: Box::new([0; HIST_BUCKETS]),
            count: 0,
            least: f64::INFINITY,
            most: 0.0,
        }
    }
}

impl WaitHistogram {
    /// Records one wait (seconds, >= 0).
    #[inline]
    pub fn record(&mut self, wait: f64) {
        self.count += 1;
        self.least = self.least.min(wait.max(0.0));
        self.most = self.most.max(wait);
        if wait <= 0.0 {
            self.zeros += 1;
            return;
        }
        // A positive float's bits, shifted, are its exponent then its top mantissa bits: they
        // grow with the wait, and one step is one bucket.
        let i = (wait.to_bits() >> (52 - HIST_SUB_BITS)) as i64 - HIST_OFFSET;
        if i < 0 {
            self.below_min += 1;
        } else {
            self.buckets[(i as usize).min(HIST_BUCKETS - 1)] += 1;
        }
    }

    /// Number of waits recorded.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The lower edge of bucket `i` (bucket `HIST_BUCKETS` gives the last one's upper edge).
    fn edge(i: usize) -> f64 {
        f64::from_bits(((i as i64 + HIST_OFFSET) as u64) << (52 - HIST_SUB_BITS))
    }

    /// The `p`-quantile (0 < p <= 1): the smallest recorded wait with at least a share `p` of
    /// waits at or below it, within the error bound above. `None` when empty.
    pub fn quantile(&self, p: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = ((p * self.count as f64).ceil() as u64).clamp(1, self.count);
        if rank <= self.zeros {
            return Some(0.0);
        }
        if rank <= self.zeros + self.below_min {
            return Some((Self::edge(0) / 2.0).clamp(self.least, self.most));
        }
        let mut seen = self.zeros + self.below_min;
        for (i, c) in self.buckets.iter().enumerate() {
            seen += c;
            if seen >= rank {
                let mid = (Self::edge(i) * Self::edge(i + 1)).sqrt();
                return Some(mid.clamp(self.least, self.most));
            }
        }
        unreachable!("rank is at most the count")
    }
}

/// The grid of report intervals: `count` intervals of `step` seconds from `start`.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IntervalGrid {
    /// Start of the first interval.
    pub start: f64,
    /// Length of every interval.
    pub step: f64,
    /// Number of intervals.
    pub count: usize,
}

impl IntervalGrid {
    /// Index of the interval holding `t`, if any.
    #[inline]
    pub fn index(&self, t: f64) -> Option<usize> {
        let x = (t - self.start) / self.step;
        // Truncation is floor for x >= 0; negative x is before the grid. Through i64: x86 has
        // no direct conversion to an unsigned integer, and this runs several times a contact.
        let i = x as i64;
        (x >= 0.0 && i < self.count as i64).then_some(i as usize)
    }

    /// End of interval `i`.
    fn end(&self, i: usize) -> f64 {
        self.start + self.step * (i + 1) as f64
    }

    /// Adds the length of `[a, b)` falling in each interval to `areas` (one per interval).
    /// O(1) plus one step per interval edge crossed.
    #[inline]
    pub fn spread(&self, areas: &mut [f64], a: f64, b: f64) {
        if let Some(i) = self.index(a.max(self.start)) {
            self.spread_from(areas, i, a.max(self.start), b);
        }
    }

    /// Like [`spread`](Self::spread), for `a` in interval `i` (known already).
    #[inline]
    pub fn spread_from(&self, areas: &mut [f64], mut i: usize, a: f64, b: f64) {
        let mut t = a;
        while t < b && i < self.count {
            let end = self.end(i).min(b);
            areas[i] += end - t;
            t = end;
            i += 1;
        }
    }
}

/// Finds the report interval of a time that never goes back, by stepping over interval ends
/// rather than dividing: O(1) amortised, and the event loop asks it at every contact.
#[derive(Debug, Clone, Copy)]
pub struct GridCursor {
    index: usize,
    end: f64,
}

impl GridCursor {
    /// A cursor at the grid's first interval.
    pub fn new(grid: &IntervalGrid) -> Self {
        GridCursor {
            index: 0,
            end: grid.end(0),
        }
    }

    /// Index of the interval of `grid` holding `t` (not before the previous call's `t`), if
    /// any.
    #[inline]
    pub fn index(&mut self, grid: &IntervalGrid, t: f64) -> Option<usize> {
        if t < grid.start {
            return None;
        }
        while t >= self.end {
            if self.index >= grid.count {
                return None;
            }
            self.index += 1;
            self.end = grid.end(self.index);
        }
        (self.index < grid.count).then_some(self.index)
    }
}

/// The time integral of a piecewise-constant quantity over a window `[from, to)`, and
/// optionally over each report interval (also cut at `to`).
#[derive(Debug, Clone)]
pub struct TimeAverage {
    from: f64,
    to: f64,
    last_t: f64,
    value: f64,
    area: f64,
    grid: Option<IntervalGrid>,
    interval_areas: Vec<f64>,
    /// The report interval holding `last_t` (or the first one, before the grid starts).
    interval: usize,
}

impl TimeAverage {
    /// Integrates over `[from, to)` only.
    pub fn new(from: f64, to: f64) -> Self {
        TimeAverage {
            from,
            to,
            last_t: 0.0,
            value: 0.0,
            area: 0.0,
            grid: None,
            interval_areas: vec![],
            interval: 0,
        }
    }

    /// Integrates over `[from, to)` and over every interval of `grid`.
    pub fn with_intervals(from: f64, to: f64, grid: IntervalGrid) -> Self {
        let mut t = Self::new(from, to);
        t.grid = Some(grid);
        t.interval_areas = vec![0.0; grid.count];
        t
    }

    /// The quantity changes to `value` at time `now` (non-decreasing times).
    #[inline]
    pub fn set(&mut self, now: f64, value: f64) {
        if value != self.value {
            self.advance(now);
            self.value = value;
        }
    }

    /// Current value.
    #[inline]
    #[cfg(any(test, feature = "internals"))]
    pub fn value(&self) -> f64 {
        self.value
    }

    #[inline]
    fn advance(&mut self, now: f64) {
        let (a, b) = (self.last_t.max(self.from), now.min(self.to));
        if b > a {
            self.area += self.value * (b - a);
        }
        if let Some(grid) = self.grid {
            self.spread(grid, now.min(self.to));
        }
        self.last_t = now;
    }

    /// Adds the value over `[last_t, until)` to the intervals it covers, moving the interval
    /// cursor forward: O(1) when no interval edge is crossed.
    #[inline]
    fn spread(&mut self, grid: IntervalGrid, until: f64) {
        let first_start = grid.start + grid.step * self.interval as f64;
        let mut t = self.last_t.max(first_start);
        while t < until && self.interval < grid.count {
            let edge = grid.end(self.interval);
            let end = edge.min(until);
            self.interval_areas[self.interval] += self.value * (end - t);
            if end < edge {
                break;
            }
            self.interval += 1;
            t = edge;
        }
    }

    /// Closes the integral at `now` (call once at the end of the run).
    pub fn finish(&mut self, now: f64) {
        self.advance(now.max(self.to));
    }

    /// Integral over the window.
    pub fn area(&self) -> f64 {
        self.area
    }

    /// Integral over each report interval.
    pub fn interval_areas(&self) -> &[f64] {
        &self.interval_areas
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_the_bound() {
        // Waits from 10 ms to about 3 years, on a geometric grid that lands on powers of two
        // (bucket edges) as well as between them.
        let waits: Vec<f64> = (0..4000).map(|i| 0.01 * 1.005f64.powi(i)).collect();
        let mut h = WaitHistogram::default();
        waits.iter().for_each(|w| h.record(*w));
        let bound = (1.0f64 + 1.0 / 64.0).sqrt() - 1.0;
        assert!(bound < 0.008);
        for k in 1..=100 {
            let p = k as f64 / 100.0;
            let exact = waits[(p * waits.len() as f64).ceil() as usize - 1];
            let got = h.quantile(p).unwrap();
            assert!((got / exact - 1.0).abs() <= bound, "p{p}: {got} vs {exact}");
        }
    }

    #[test]
    fn each_wait_falls_between_its_bucket_edges() {
        for w in [
            0.0078125f64,
            0.01,
            1.0,
            1.999,
            2.0,
            119.9,
            120.0,
            3600.0,
            2.6e8,
        ] {
            let i = (w.to_bits() >> (52 - HIST_SUB_BITS)) as i64 - HIST_OFFSET;
            let i = i as usize;
            let (lo, hi) = (WaitHistogram::edge(i), WaitHistogram::edge(i + 1));
            assert!(lo <= w && w < hi, "{w} in [{lo}, {hi})");
            assert!(
                hi / lo <= 1.0 + 1.0 / 64.0 + 1e-12,
                "bucket of {w} too wide"
            );
        }
        let mut h = WaitHistogram::default();
        h.record(0.001); // below the smallest bucket: reported within 4 ms
        assert!((h.quantile(1.0).unwrap() - 0.001).abs() < 0.004);
        h.record(1e12); // beyond the last bucket: shares it
        assert_eq!(h.count(), 2);
    }

    #[test]
    fn zeros_are_exact_and_empty_is_none() {
        let mut h = WaitHistogram::default();
        assert_eq!(h.quantile(0.5), None);
        (0..6).for_each(|_| h.record(0.0));
        (0..4).for_each(|_| h.record(100.0));
        assert_eq!(h.quantile(0.5), Some(0.0));
        assert_eq!(h.quantile(0.6), Some(0.0));
        assert!((h.quantile(0.7).unwrap() / 100.0 - 1.0).abs() < 0.01);
    }

    #[test]
    fn time_average_splits_over_window_and_intervals() {
        let grid = IntervalGrid {
            start: 0.0,
            step: 10.0,
            count: 3,
        };
        let mut t = TimeAverage::with_intervals(5.0, 25.0, grid);
        t.set(0.0, 2.0);
        t.set(15.0, 4.0);
        t.finish(40.0);
        // Window [5, 25): 2 * 10 + 4 * 10.
        assert_eq!(t.area(), 60.0);
        // [0, 10) at 2; [10, 15) at 2 and [15, 20) at 4; [20, 25) at 4, cut at the window's end.
        assert_eq!(t.interval_areas(), &[20.0, 10.0 + 20.0, 20.0]);
    }

    #[test]
    fn spread_cuts_a_span_at_interval_edges() {
        let grid = IntervalGrid {
            start: 10.0,
            step: 10.0,
            count: 3,
        };
        let mut areas = [0.0; 3];
        grid.spread(&mut areas, 5.0, 22.0);
        grid.spread(&mut areas, 25.0, 26.0);
        grid.spread(&mut areas, 38.0, 50.0);
        assert_eq!(areas, [10.0, 3.0, 2.0]);
    }

    #[test]
    fn cursor_agrees_with_index() {
        let grid = IntervalGrid {
            start: 100.0,
            step: 10.0,
            count: 5,
        };
        let mut cursor = GridCursor::new(&grid);
        // Increasing times, some on interval edges, some skipping intervals, some past the end.
        for t in [
            0.0, 99.9, 100.0, 100.0, 105.0, 110.0, 139.9, 140.0, 149.99, 150.0, 1e6,
        ] {
            assert_eq!(cursor.index(&grid, t), grid.index(t), "t = {t}");
        }
    }

    #[test]
    fn grid_index() {
        let grid = IntervalGrid {
            start: 100.0,
            step: 10.0,
            count: 2,
        };
        assert_eq!(grid.index(99.0), None);
        assert_eq!(grid.index(100.0), Some(0));
        assert_eq!(grid.index(119.9), Some(1));
        assert_eq!(grid.index(120.0), None);
    }
}

/// Running mean and variance (Welford's algorithm), for values folded in a fixed order.
#[derive(Debug, Clone, Copy, Default)]
pub struct Welford {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Welford {
    /// Adds one value.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Number of values.
    #[cfg(any(test, feature = "internals"))]
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Mean and Student-t ci95, as [`ci::estimate`] gives.
    pub fn estimate(&self) -> ci::Estimate {
        match self.n {
            0 => ci::Estimate {
                mean: None,
                ci95: None,
            },
            1 => ci::Estimate {
                mean: Some(self.mean),
                ci95: Some([self.mean, self.mean]),
            },
            n => {
                let h = ci::t975(n as usize - 1) * (self.m2 / (n - 1) as f64 / n as f64).sqrt();
                ci::Estimate {
                    mean: Some(self.mean),
                    ci95: Some([self.mean - h, self.mean + h]),
                }
            }
        }
    }
}
