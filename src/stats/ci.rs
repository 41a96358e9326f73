//! Estimates over replications: the mean with its Student-t 95% confidence interval, and
//! pooled ratios with a delta-method interval.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// A mean over replications with its 95% confidence interval (Student-t, n − 1 degrees of
/// freedom; `[mean, mean]` with one replication). Both are `null` when no replication defined
/// the metric (e.g. the ASA of a queue where nobody was answered).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Mean over replications.
    pub mean: Option<f64>,
    /// 95% confidence interval of the mean.
    pub ci95: Option<[f64; 2]>,
}

impl Estimate {
    /// The interval cut to the range `[lo, hi]` the metric can take (a waiting time is never
    /// negative, a share never above 1). Cutting loses no coverage: the true mean lies in the
    /// range, so whenever the t-interval holds it, the cut interval does too.
    pub fn within(self, lo: f64, hi: Option<f64>) -> Estimate {
        let cut = |x: f64| hi.map_or(x, |h| x.min(h)).max(lo);
        Estimate {
            mean: self.mean,
            ci95: self.ci95.map(|[a, b]| [cut(a), cut(b)]),
        }
    }

    /// Half-width of the interval (0 with one replication): the longer side from the mean,
    /// which is the t half-width also when [`Estimate::within`] cut the other side.
    pub fn half_width(&self) -> Option<f64> {
        let mean = self.mean?;
        self.ci95.map(|[lo, hi]| (hi - mean).max(mean - lo))
    }

    /// Whether the interval was cut at the metric's range, so that it is no longer
    /// `mean ± half-width`.
    pub fn is_cut(&self) -> bool {
        match (self.mean, self.ci95) {
            (Some(m), Some([lo, hi])) => {
                let (below, above) = (m - lo, hi - m);
                (below - above).abs() > 1e-9 * (below + above)
            }
            _ => false,
        }
    }
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom. Values for df < 512 are
/// computed once and kept: reports ask for the same few thousands of times.
pub fn t975(df: usize) -> f64 {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    let exact =
        |df: usize| StudentsT::new(0.0, 1.0, df as f64).map_or(f64::NAN, |t| t.inverse_cdf(0.975));
    match TABLE.get_or_init(|| (0..512).map(exact).collect()).get(df) {
        Some(t) => *t,
        None => exact(df),
    }
}

/// Mean and Student-t ci95 of the defined values among `xs` (undefined ones are skipped).
pub fn estimate(xs: &[Option<f64>]) -> Estimate {
    let v: Vec<f64> = xs.iter().flatten().copied().collect();
    let n = v.len();
    if n == 0 {
        return Estimate {
            mean: None,
            ci95: None,
        };
    }
    let mean = v.iter().sum::<f64>() / n as f64;
    if n == 1 {
        return Estimate {
            mean: Some(mean),
            ci95: Some([mean, mean]),
        };
    }
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let h = t975(n - 1) * (var / n as f64).sqrt();
    Estimate {
        mean: Some(mean),
        ci95: Some([mean - h, mean + h]),
    }
}

/// The pooled ratio Σy / Σx over replications, with a delta-method ci95:
/// Var(R̂) ≈ s²(y − R̂x) / (n x̄²), a Student-t quantile with n − 1 degrees of freedom.
/// (Cochran, *Sampling Techniques*, 3rd ed., §6.4, the ratio estimator.)
pub fn pooled_ratio(ys: &[f64], xs: &[f64]) -> Estimate {
    let n = ys.len();
    let (sy, sx) = (ys.iter().sum::<f64>(), xs.iter().sum::<f64>());
    if n == 0 || sx <= 0.0 {
        return Estimate {
            mean: None,
            ci95: None,
        };
    }
    let r = sy / sx;
    if n == 1 {
        return Estimate {
            mean: Some(r),
            ci95: Some([r, r]),
        };
    }
    let xbar = sx / n as f64;
    let s2 = ys
        .iter()
        .zip(xs)
        .map(|(y, x)| (y - r * x).powi(2))
        .sum::<f64>()
        / (n - 1) as f64;
    let h = t975(n - 1) * (s2 / n as f64).sqrt() / xbar;
    Estimate {
        mean: Some(r),
        ci95: Some([r - h, r + h]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn student_t_interval() {
        // Mean 3, sd sqrt(2.5), n = 5, t(4) = 2.776445: half-width 1.963243.
        let e = estimate(&[Some(1.0), Some(2.0), Some(3.0), Some(4.0), Some(5.0)]);
        assert_eq!(e.mean, Some(3.0));
        let [lo, hi] = e.ci95.unwrap();
        assert!((hi - 3.0 - 1.963243).abs() < 1e-5 && (3.0 - lo - 1.963243).abs() < 1e-5);
    }

    #[test]
    fn one_replication_and_none() {
        assert_eq!(estimate(&[Some(4.0)]).ci95, Some([4.0, 4.0]));
        assert_eq!(estimate(&[None, None]).mean, None);
        assert_eq!(estimate(&[None, Some(2.0)]).mean, Some(2.0));
    }

    #[test]
    fn pooled_ratio_is_total_over_total() {
        let e = pooled_ratio(&[10.0, 30.0], &[10.0, 10.0]);
        assert_eq!(e.mean, Some(2.0));
        // With every y = r x exactly, the interval collapses.
        let e = pooled_ratio(&[2.0, 4.0, 6.0], &[1.0, 2.0, 3.0]);
        assert_eq!(e.ci95, Some([2.0, 2.0]));
    }
}
