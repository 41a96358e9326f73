//! The estimators of `callsim fit`, each on the counts of [`super::observe`].

use super::observe::QueueSeen;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// A lognormal fitted by maximum likelihood to the positive handle times, with the
/// Kolmogorov-Smirnov distance between it and the sample.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Lognormal {
    /// Mean and standard deviation of ln h.
    pub mu: f64,
    pub sigma: f64,
    /// Its mean and coefficient of variation (s), as the scenario format takes them.
    pub mean_s: f64,
    pub cv: f64,
    /// sup |F_sample − F_lognormal| over the sample.
    pub ks: f64,
}

/// The lognormal of `q`'s handle times, if it has at least 2 positive ones.
pub fn lognormal(q: &QueueSeen) -> Option<Lognormal> {
    let n = q.handle_n as f64;
    if q.handle_n < 2 {
        return None;
    }
    let mu = q.handle_log_sum / n;
    let sigma = (q.handle_log_sq / n - mu * mu).max(1e-12).sqrt();
    let normal = Normal::new(mu, sigma).ok()?;
    let mut xs: Vec<f64> = q.handle_sample.iter().copied().filter(|h| *h > 0.0).collect();
    xs.sort_by(f64::total_cmp);
    let m = xs.len() as f64;
    let ks = xs
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let f = normal.cdf(x.ln());
            (f - i as f64 / m).abs().max((f - (i + 1) as f64 / m).abs())
        })
        .fold(0.0, f64::max);
    Some(Lognormal {
        mu,
        sigma,
        mean_s: (mu + sigma * sigma / 2.0).exp(),
        cv: ((sigma * sigma).exp() - 1.0).sqrt(),
        ks,
    })
}

/// The Kaplan-Meier estimate of the patience survival, at each whole second with an
/// abandonment: `(t, S(t))`. Abandoning is the event; being answered censors the wait.
pub fn kaplan_meier(q: &QueueSeen) -> Vec<(f64, f64)> {
    let mut at_risk: f64 = q.abandoned_at.iter().chain(&q.answered_at).sum::<u64>() as f64;
    let mut s = 1.0;
    let mut out = vec![(0.0, 1.0)];
    for (t, (&d, &c)) in q.abandoned_at.iter().zip(&q.answered_at).enumerate() {
        if d > 0 && at_risk > 0.0 {
            s *= 1.0 - d as f64 / at_risk;
            out.push((t as f64, s));
        }
        at_risk -= (d + c) as f64;
    }
    out
}

/// An exponential patience by maximum likelihood on censored waits: abandonments over the
/// total time callers waited. With the largest gap to the Kaplan-Meier curve where at least
/// 1% of callers are still waiting.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Exponential {
    pub mean_s: f64,
    /// sup |S_KM(t) − e^(−t/mean)| while at least 1% of those who waited still wait.
    pub max_gap_to_kaplan_meier: f64,
}

/// The exponential patience of `q`, if anyone abandoned.
pub fn exponential_patience(q: &QueueSeen, km: &[(f64, f64)]) -> Option<Exponential> {
    let events: u64 = q.abandoned_at.iter().sum();
    if events == 0 || q.wait_sum <= 0.0 {
        return None;
    }
    let mean_s = q.wait_sum / events as f64;
    let horizon = risk_horizon(q, 0.01);
    let gap = km
        .iter()
        .filter(|(t, _)| *t <= horizon)
        .map(|(t, s)| (s - (-t / mean_s).exp()).abs())
        .fold(0.0, f64::max);
    Some(Exponential {
        mean_s,
        max_gap_to_kaplan_meier: gap,
    })
}

/// A lognormal patience by maximum likelihood on the censored waits (abandonments are events,
/// answers censor), with its largest gap to the Kaplan-Meier curve, measured as the
/// exponential's is.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct LognormalPatience {
    /// Mean and standard deviation of ln patience.
    pub mu: f64,
    pub sigma: f64,
    /// Its mean and coefficient of variation (s), as the scenario format takes them.
    pub mean_s: f64,
    pub cv: f64,
    pub max_gap_to_kaplan_meier: f64,
}

/// The lognormal patience of `q`, if at least 2 abandoned. Waits are whole seconds (0 taken
/// as half a second); the longest bin holds every longer wait and counts as censored there.
pub fn lognormal_patience(q: &QueueSeen, km: &[(f64, f64)]) -> Option<LognormalPatience> {
    if q.abandoned_at.iter().sum::<u64>() < 2 {
        return None;
    }
    let last = q.abandoned_at.len() - 1;
    // (ln t, events, censored) of the seconds with any wait ending.
    let bins: Vec<(f64, f64, f64)> = (0..=last)
        .filter(|&t| q.abandoned_at[t] + q.answered_at[t] > 0)
        .map(|t| {
            let (d, c) = (q.abandoned_at[t] as f64, q.answered_at[t] as f64);
            let ln_t = (t as f64).max(0.5).ln();
            if t == last { (ln_t, 0.0, d + c) } else { (ln_t, d, c) }
        })
        .collect();
    let log_likelihood = |p: [f64; 2]| -> f64 {
        let (mu, sigma) = (p[0], p[1].exp());
        bins.iter()
            .map(|&(x, d, c)| {
                let z = (x - mu) / sigma;
                let event = if d > 0.0 { d * (-0.5 * z * z - sigma.ln() - x) } else { 0.0 };
                event + if c > 0.0 { c * ln_survival(z) } else { 0.0 }
            })
            .sum()
    };
    let events: Vec<f64> = bins.iter().filter(|b| b.1 > 0.0).map(|b| b.0).collect();
    let start_mu = events.iter().sum::<f64>() / events.len() as f64 + 1.0;
    let [mu, log_sigma] = nelder_mead(|p| -log_likelihood(p), [start_mu, 0.0], 1e-9, 500);
    let sigma = log_sigma.exp();
    let normal = Normal::new(mu, sigma).ok()?;
    let horizon = risk_horizon(q, 0.01);
    let gap = km
        .iter()
        .filter(|(t, _)| *t <= horizon)
        .map(|(t, s)| (s - normal.sf(t.max(0.5).ln())).abs())
        .fold(0.0, f64::max);
    Some(LognormalPatience {
        mu,
        sigma,
        mean_s: (mu + sigma * sigma / 2.0).exp(),
        cv: ((sigma * sigma).exp() - 1.0).sqrt(),
        max_gap_to_kaplan_meier: gap,
    })
}

/// ln(1 − Φ(z)), also far in the tail (where 1 − Φ underflows: ln φ(z) − ln z − 1/z²).
fn ln_survival(z: f64) -> f64 {
    if z < 30.0 {
        let sf = 0.5 * statrs::function::erf::erfc(z / std::f64::consts::SQRT_2);
        sf.ln()
    } else {
        -0.5 * z * z - 0.5 * (2.0 * std::f64::consts::PI).ln() - z.ln() - 1.0 / (z * z)
    }
}

/// The minimum of `f` over the plane by the Nelder-Mead simplex (reflection 1, expansion 2,
/// contraction and shrink 1/2), from `start` with steps of 1, until the simplex's values
/// differ by less than `tolerance` or `most` steps are taken.
fn nelder_mead(f: impl Fn([f64; 2]) -> f64, start: [f64; 2], tolerance: f64, most: usize) -> [f64; 2] {
    let mut s: Vec<([f64; 2], f64)> = [start, [start[0] + 1.0, start[1]], [start[0], start[1] + 1.0]]
        .into_iter()
        .map(|p| (p, f(p)))
        .collect();
    let at = |a: [f64; 2], b: [f64; 2], k: f64| [a[0] + k * (b[0] - a[0]), a[1] + k * (b[1] - a[1])];
    for _ in 0..most {
        s.sort_by(|a, b| a.1.total_cmp(&b.1));
        if (s[2].1 - s[0].1).abs() <= tolerance * (1.0 + s[0].1.abs()) {
            break;
        }
        let centre = [(s[0].0[0] + s[1].0[0]) / 2.0, (s[0].0[1] + s[1].0[1]) / 2.0];
        let worst = s[2].0;
        let reflected = at(centre, worst, -1.0);
        let fr = f(reflected);
        if fr < s[0].1 {
            let expanded = at(centre, worst, -2.0);
            let fe = f(expanded);
            s[2] = if fe < fr { (expanded, fe) } else { (reflected, fr) };
        } else if fr < s[1].1 {
            s[2] = (reflected, fr);
        } else {
            let contracted = at(centre, worst, 0.5);
            let fc = f(contracted);
            if fc < s[2].1 {
                s[2] = (contracted, fc);
            } else {
                let best = s[0].0;
                for v in s.iter_mut().skip(1) {
                    v.0 = at(best, v.0, 0.5);
                    v.1 = f(v.0);
                }
            }
        }
    }
    s.sort_by(|a, b| a.1.total_cmp(&b.1));
    s[0].0
}

/// The wait beyond which fewer than `share` of the contacts are still waiting.
pub fn risk_horizon(q: &QueueSeen, share: f64) -> f64 {
    let total: u64 = q.abandoned_at.iter().chain(&q.answered_at).sum();
    let mut left = total as f64;
    for (t, (&d, &c)) in q.abandoned_at.iter().zip(&q.answered_at).enumerate() {
        left -= (d + c) as f64;
        if left < share * total as f64 {
            return t as f64;
        }
    }
    q.abandoned_at.len() as f64
}

/// The day-to-day variation beyond Poisson: each date's count x_d against the mean μ of its
/// weekday, cv² = (Σ (x_d − μ)² − Σ μ) / Σ μ², the moment estimator of a gamma level's cv
/// (`daily_cv`), 0 when the days vary no more than Poisson.
pub fn daily_cv(days: &[(usize, f64)]) -> f64 {
    let mut by_weekday = [(0.0f64, 0.0f64); 7];
    for &(w, x) in days {
        by_weekday[w].0 += x;
        by_weekday[w].1 += 1.0;
    }
    let mean = |w: usize| by_weekday[w].0 / by_weekday[w].1.max(1.0);
    let (mut excess, mut scale) = (0.0, 0.0);
    for &(w, x) in days {
        let mu = mean(w);
        excess += (x - mu).powi(2) - mu;
        scale += mu * mu;
    }
    if scale > 0.0 {
        (excess / scale).max(0.0).sqrt()
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::observe::MAX_WAIT_S;

    fn waits(abandoned: &[usize], answered: &[usize]) -> QueueSeen {
        let mut q = QueueSeen {
            abandoned_at: vec![0; MAX_WAIT_S + 1],
            answered_at: vec![0; MAX_WAIT_S + 1],
            ..QueueSeen::default()
        };
        abandoned.iter().for_each(|&t| q.abandoned_at[t] += 1);
        answered.iter().for_each(|&t| q.answered_at[t] += 1);
        q.wait_sum = abandoned.iter().chain(answered).sum::<usize>() as f64;
        q
    }

    #[test]
    fn kaplan_meier_on_a_hand_computed_censored_sample() {
        // Waits 2, 3+, 4, 4, 5+, 7 (+: answered, censored). At 2: 6 at risk, 1 event:
        // S = 5/6. At 3 one is censored. At 4: 4 at risk, 2 events: S = 5/6 · 2/4 = 5/12.
        // At 5 one censored; at 7: 1 at risk, 1 event: S = 0.
        let q = waits(&[2, 4, 4, 7], &[3, 5]);
        let km = kaplan_meier(&q);
        let want = [(0.0, 1.0), (2.0, 5.0 / 6.0), (4.0, 5.0 / 12.0), (7.0, 0.0)];
        assert_eq!(km.len(), want.len(), "{km:?}");
        for ((t, s), (wt, ws)) in km.iter().zip(want) {
            assert_eq!(*t, wt);
            assert!((s - ws).abs() < 1e-12, "{km:?}");
        }
        // Exponential MLE: 4 abandonments over 25 s of waiting: mean 6.25 s.
        let e = exponential_patience(&q, &km).unwrap();
        assert!((e.mean_s - 6.25).abs() < 1e-12);
    }

    #[test]
    fn lognormal_patience_recovers_its_parameters_from_censored_waits() {
        // 20,000 callers with lognormal patience (μ = ln 200, σ = 0.9: mean 300 s) answered
        // after an exponential time of mean 120 s unless they hang up first: about 30%
        // abandon. The MLE's standard errors here are about 0.01 for μ and σ: within 0.05.
        use rand::SeedableRng;
        use rand_distr::Distribution;
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(7);
        let patience = rand_distr::LogNormal::new(200f64.ln(), 0.9).unwrap();
        let answer = rand_distr::Exp::new(1.0 / 120.0).unwrap();
        let (mut abandoned, mut answered) = (vec![], vec![]);
        for _ in 0..20_000 {
            let (p, a): (f64, f64) = (patience.sample(&mut rng), answer.sample(&mut rng));
            let t = (p.min(a).round() as usize).min(MAX_WAIT_S);
            if p < a { abandoned.push(t) } else { answered.push(t) }
        }
        let q = waits(&abandoned, &answered);
        let km = kaplan_meier(&q);
        let l = lognormal_patience(&q, &km).unwrap();
        assert!((l.mu - 200f64.ln()).abs() < 0.05, "{l:?}");
        assert!((l.sigma - 0.9).abs() < 0.05, "{l:?}");
        // The exponential, of the wrong shape, misses the Kaplan-Meier curve by more.
        let e = exponential_patience(&q, &km).unwrap();
        assert!(l.max_gap_to_kaplan_meier < 0.02 && e.max_gap_to_kaplan_meier > 0.05, "{l:?} {e:?}");
    }

    #[test]
    fn nelder_mead_finds_the_minimum_of_a_valley() {
        let [x, y] = nelder_mead(|[x, y]| (x - 3.0).powi(2) + 10.0 * (y + 1.0).powi(2), [0.0, 0.0], 1e-14, 1000);
        assert!((x - 3.0).abs() < 1e-4 && (y + 1.0).abs() < 1e-4, "{x} {y}");
    }

    #[test]
    fn daily_cv_is_zero_for_poisson_like_days_and_recovers_a_spread() {
        // Days of one weekday: 90, 110 around 100 vary by 10² = the Poisson variance: cv 0.
        assert_eq!(daily_cv(&[(0, 90.0), (0, 110.0)]), 0.0);
        // 50 and 150 around 100: (2·2500 − 200) / (2·10⁴) = 0.24, cv 0.49.
        assert!((daily_cv(&[(0, 50.0), (0, 150.0)]) - 0.24f64.sqrt()).abs() < 1e-12);
    }
}
