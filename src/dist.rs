//! Scenario distributions of durations, parameterised by mean and cv, sampled with
//! `rand_distr`.
//!
//! Lognormal and gamma are given by mean `m` and coefficient of variation `c` (sd / mean):
//! lognormal has σ² = ln(1 + c²) and μ = ln m − σ²/2; gamma has shape k = 1/c² and scale
//! θ = m c². Both then have exactly mean `m` and variance (c m)².
//!
//! Normal (for the lognormal) and exponential draws come from our own inlined
//! [ziggurat]; gamma draws from `rand_distr`.

use rand::Rng;
use rand_distr::{Distribution, Gamma};

pub mod exp;
#[rustfmt::skip] // Generated: see the file.
mod tables;
pub mod ziggurat;

/// A distribution of non-negative durations in seconds.
#[derive(Debug, Clone)]
pub enum Dist {
    /// Exponential with this mean.
    Exponential {
        /// Mean in seconds.
        mean: f64,
    },
    /// Lognormal with the given mean and cv.
    LogNormal {
        /// The mean of the logarithm.
        mu: f64,
        /// The standard deviation of the logarithm.
        sigma: f64,
        /// Mean in seconds.
        mean: f64,
        /// Coefficient of variation.
        cv: f64,
    },
    /// Gamma with the given mean and cv.
    Gamma {
        /// The sampler.
        inner: Gamma<f64>,
        /// Mean in seconds.
        mean: f64,
        /// Coefficient of variation.
        cv: f64,
    },
    /// Always `value`.
    Fixed {
        /// The value in seconds.
        value: f64,
    },
    /// Uniform on `[min, max)`.
    Uniform {
        /// Lower end.
        min: f64,
        /// Upper end.
        max: f64,
    },
    /// Uniform among `values`.
    Empirical {
        /// The values in seconds (not empty).
        values: Vec<f64>,
    },
    /// Part `i` with probability `cumulative[i] - cumulative[i - 1]`.
    Mixture {
        /// Cumulative probabilities, the last exactly 1.
        cumulative: Vec<f64>,
        /// The components.
        parts: Vec<Dist>,
    },
}

impl Dist {
    /// Lognormal with mean `mean` > 0 and cv `cv` > 0.
    pub fn lognormal(mean: f64, cv: f64) -> Option<Dist> {
        let sigma2 = (1.0 + cv * cv).ln();
        let (mu, sigma) = (mean.ln() - sigma2 / 2.0, sigma2.sqrt());
        if !(mu.is_finite() && sigma.is_finite()) {
            return None;
        }
        Some(Dist::LogNormal {
            mu,
            sigma,
            mean,
            cv,
        })
    }

    /// Gamma with mean `mean` > 0 and cv `cv` > 0.
    pub fn gamma(mean: f64, cv: f64) -> Option<Dist> {
        let inner = Gamma::new(1.0 / (cv * cv), mean * cv * cv).ok()?;
        Some(Dist::Gamma { inner, mean, cv })
    }

    /// A mixture of `(weight, part)` with positive weights (normalised here).
    pub fn mixture(weighted: Vec<(f64, Dist)>) -> Option<Dist> {
        let total: f64 = weighted.iter().map(|w| w.0).sum();
        if !(total > 0.0 && total.is_finite()) || weighted.is_empty() {
            return None;
        }
        let mut acc = 0.0;
        let mut cumulative: Vec<f64> = weighted
            .iter()
            .map(|(w, _)| {
                acc += w;
                acc / total
            })
            .collect();
        *cumulative.last_mut()? = 1.0;
        Some(Dist::Mixture {
            cumulative,
            parts: weighted.into_iter().map(|w| w.1).collect(),
        })
    }

    /// Draws one duration. Inlined everywhere: a contact makes several draws, and the call
    /// overhead was a third of a draw's cost.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Mixture { cumulative, parts } => {
                // One uniform picks the part; the part then draws from the same stream.
                let u = unit(rng);
                let i = cumulative.partition_point(|c| *c <= u).min(parts.len() - 1);
                parts[i].sample_simple(rng)
            }
            _ => self.sample_simple(rng),
        }
    }

    /// A nested mixture's draw, kept out of line: it is the only recursion, and without it
    /// the common draws stay plain and inlined.
    #[inline(never)]
    fn sample_nested<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.sample(rng)
    }

    /// Draws from any distribution; a mixture only as a part of another.
    #[inline(always)]
    fn sample_simple<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Exponential { mean } => mean * ziggurat::exp1(rng),
            Dist::LogNormal { mu, sigma, .. } => exp::exp(mu + sigma * ziggurat::normal(rng)),
            Dist::Gamma { inner, .. } => inner.sample(rng),
            Dist::Fixed { value } => *value,
            Dist::Uniform { min, max } => min + (max - min) * unit(rng),
            Dist::Empirical { values } => {
                // Multiply-shift maps a u64 to an index without modulo bias worth mentioning
                // (< len / 2^64).
                let i = ((rng.next_u64() as u128 * values.len() as u128) >> 64) as usize;
                values[i]
            }
            Dist::Mixture { .. } => self.sample_nested(rng),
        }
    }

    /// The exact mean in seconds.
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Exponential { mean }
            | Dist::LogNormal { mean, .. }
            | Dist::Gamma { mean, .. } => *mean,
            Dist::Fixed { value } => *value,
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Empirical { values } => values.iter().sum::<f64>() / values.len() as f64,
            Dist::Mixture { cumulative, parts } => {
                let mut prev = 0.0;
                let mut mean = 0.0;
                for (c, p) in cumulative.iter().zip(parts) {
                    mean += (c - prev) * p.mean();
                    prev = *c;
                }
                mean
            }
        }
    }

    /// Whether every draw is exactly zero (such a patience abandons at once when nobody is free).
    pub fn is_always_zero(&self) -> bool {
        match self {
            Dist::Fixed { value } => *value == 0.0,
            Dist::Uniform { max, .. } => *max == 0.0,
            Dist::Empirical { values } => values.iter().all(|v| *v == 0.0),
            Dist::Mixture { parts, .. } => parts.iter().all(Dist::is_always_zero),
            _ => false,
        }
    }
}

/// A uniform draw in [0, 1) with 53 random bits.
#[inline]
pub fn unit<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    /// The source of `dist/tables.rs` from the tables' formulas.
    fn tables_source() -> String {
        use std::fmt::Write;
        let mut out = String::from(
            "//! Constant tables of the normal and exponential ziggurats and of `exp`, generated by\n\
             //! the test `tables_are_what_their_formulas_give` in `dist.rs` (run it with\n\
             //! CALLSIM_WRITE_TABLES=1 to rewrite this file). Do not edit by hand.\n\n\
             #![allow(clippy::unreadable_literal, clippy::excessive_precision, clippy::approx_constant)]\n",
        );
        let mut array = |name: &str, ty: &str, items: Vec<String>| {
            let _ = write!(
                out,
                "\npub(super) const {name}: [{ty}; {}] = [\n",
                items.len()
            );
            for item in items {
                let _ = writeln!(out, "    {item},");
            }
            out.push_str("];\n");
        };
        let floats = |xs: &[f64]| xs.iter().map(|x| format!("{x:?}")).collect();
        let ints = |xs: &[u64]| xs.iter().map(|x| format!("{x}")).collect();
        for (name, t) in [
            ("NORMAL", ziggurat::Tables::normal()),
            ("EXP", ziggurat::Tables::exponential()),
        ] {
            array(&format!("{name}_WIDTH"), "f64", floats(&t.width));
            array(&format!("{name}_INSIDE"), "u64", ints(&t.inside));
            array(&format!("{name}_F"), "f64", floats(&t.f));
        }
        array("EXP2_J_128", "f64", floats(&exp::table()));
        out
    }

    #[test]
    fn tables_are_what_their_formulas_give() {
        // The tables are constants so that results are identical on every platform; this
        // regenerates them from their formulas with this platform's libm. A platform whose
        // libm differs in a last bit fails here and still simulates exactly as this one.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/dist/tables.rs");
        let want = tables_source();
        if std::env::var_os("CALLSIM_WRITE_TABLES").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            have == want,
            "src/dist/tables.rs is not what its formulas give"
        );
    }

    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// Sample mean and cv of `n` draws.
    fn moments(d: &Dist, n: usize) -> (f64, f64) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        (m, v.sqrt() / m)
    }

    #[test]
    fn mean_and_cv_parameterisation_holds() {
        // 200k draws: the sample mean of a cv-0.5..1 distribution has relative sd
        // cv/sqrt(n) < 0.0023, so 1.5% is over 6 sd; the sample cv is looser (4th moments), 4%.
        for d in [
            Dist::Exponential { mean: 300.0 },
            Dist::lognormal(300.0, 0.8).unwrap(),
            Dist::gamma(300.0, 0.5).unwrap(),
        ] {
            let (m, cv) = moments(&d, 200_000);
            let want_cv = match d {
                Dist::LogNormal { cv, .. } | Dist::Gamma { cv, .. } => cv,
                _ => 1.0,
            };
            assert!((m / d.mean() - 1.0).abs() < 0.015, "{d:?}: mean {m}");
            assert!((cv / want_cv - 1.0).abs() < 0.04, "{d:?}: cv {cv}");
        }
    }

    #[test]
    fn mixture_mean_and_shares() {
        // 85% short (4 min) and 15% long (25 min): mean 0.85·240 + 0.15·1500 = 429 s.
        let d = Dist::mixture(vec![
            (0.85, Dist::Fixed { value: 240.0 }),
            (0.15, Dist::Fixed { value: 1500.0 }),
        ])
        .unwrap();
        assert!((d.mean() - 429.0).abs() < 1e-9);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        let long = (0..100_000).filter(|_| d.sample(&mut rng) > 1000.0).count();
        // Binomial(100000, 0.15): sd 113; 800 is 7 sd.
        assert!((long as i64 - 15_000).abs() < 800, "{long} long contacts");
        let (m, _) = moments(
            &Dist::mixture(vec![
                (1.0, Dist::Exponential { mean: 60.0 }),
                (3.0, Dist::gamma(600.0, 0.5).unwrap()),
            ])
            .unwrap(),
            200_000,
        );
        // Mean 0.25·60 + 0.75·600 = 465; the sample mean's sd is about 0.7 s, 1% is 6 sd.
        assert!((m / 465.0 - 1.0).abs() < 0.01, "mean {m}");
    }

    #[test]
    fn fixed_uniform_empirical() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        assert_eq!(Dist::Fixed { value: 5.0 }.sample(&mut rng), 5.0);
        let u = Dist::Uniform {
            min: 10.0,
            max: 20.0,
        };
        assert!(
            (0..1000)
                .map(|_| u.sample(&mut rng))
                .all(|x| (10.0..20.0).contains(&x))
        );
        let e = Dist::Empirical {
            values: vec![1.0, 2.0, 3.0],
        };
        let mut seen = [0; 3];
        (0..3000).for_each(|_| seen[e.sample(&mut rng) as usize - 1] += 1);
        // Each value expected 1000 times, sd about 26: 850 is over 5 sd away.
        assert!(seen.iter().all(|&c| c > 850), "{seen:?}");
        assert_eq!(e.mean(), 2.0);
    }
}
