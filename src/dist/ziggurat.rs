//! Standard normal and standard exponential draws by the ziggurat method (Marsaglia and Tsang,
//! "The Ziggurat Method for Generating Random Variables", J. Stat. Software 5(8), 2000), with
//! the layer and the uniform taken from one 64-bit word as Doornik (2005) recommends.
//!
//! Why our own: a phone contact makes two normal and two exponential draws, and `rand_distr`'s,
//! behind a call that is not inlined, were a tenth of the FPA week's time. Here the common
//! case (over 98% of draws) is a table lookup, an integer compare and a multiply, inlined;
//! the rest is out of line.
//!
//! The density `f` (unnormalised: e^(−x²/2) or e^(−x)) is covered by 256 layers of equal area
//! `v`: a base strip (the rectangle [0, r] × [0, f(r)] plus the tail beyond `r`) and 255
//! rectangles stacked on it, the top one ending at x = 0. Layer `i` has right edge `x[i]`
//! (the base strip's is v / f(r), as if its tail were a rectangle) and the next layer up has
//! `x[i + 1]`; a point drawn uniformly in a layer left of `x[i + 1]` is under the curve for
//! sure, so only the sliver beyond it needs a test of `f`.

use super::tables;
use rand::Rng;

/// Layers.
pub(super) const N: usize = 256;
/// 2^-53: a 53-bit integer times it is uniform on [0, 1).
const UNIT: f64 = 1.0 / (1u64 << 53) as f64;

/// The tables of one density.
pub(super) struct Tables {
    /// Per layer, the right edge times 2^-53: a 53-bit integer times it is a uniform abscissa.
    pub(super) width: [f64; N],
    /// Per layer, the 53-bit integers below which the abscissa is left of the next layer's
    /// edge (accepted without evaluating `f`).
    pub(super) inside: [u64; N],
    /// `f` at each edge; `f[N]` is f(0) = 1.
    pub(super) f: [f64; N + 1],
}

impl Tables {
    /// The layers of density `f` with inverse `f_inv`, tail start `r` and layer area `v`:
    /// how [`tables`] was generated (the test `tables_are_what_their_formulas_give` in
    /// `dist.rs` regenerates it with this).
    #[cfg(test)]
    pub(super) fn new(f: impl Fn(f64) -> f64, f_inv: impl Fn(f64) -> f64, r: f64, v: f64) -> Self {
        let mut x = [0.0; N + 1];
        x[0] = v / f(r);
        x[1] = r;
        for i in 2..N {
            x[i] = f_inv(f(x[i - 1]) + v / x[i - 1]);
        }
        let width = std::array::from_fn(|i| x[i] * UNIT);
        let inside = std::array::from_fn(|i| ((x[i + 1] / x[i]) / UNIT) as u64);
        Tables {
            width,
            inside,
            f: std::array::from_fn(|i| if i == N { 1.0 } else { f(x[i]) }),
        }
    }

    /// The tables of the standard normal, from their formulas.
    #[cfg(test)]
    pub(super) fn normal() -> Self {
        let f_inv = |y: f64| (-2.0 * y.ln()).sqrt();
        Tables::new(normal_f, f_inv, NORMAL_R, NORMAL_V)
    }

    /// The tables of the standard exponential, from their formulas.
    #[cfg(test)]
    pub(super) fn exponential() -> Self {
        let f_inv = |y: f64| -y.ln();
        Tables::new(exp_f, f_inv, EXP_R, EXP_V)
    }
}

/// The normal's tail start and layer area for 256 layers (Marsaglia and Tsang's constants;
/// the test `layers_close_at_zero` checks that the recurrence ends at the mode with them).
const NORMAL_R: f64 = 3.654_152_885_361_009;
#[cfg(test)]
const NORMAL_V: f64 = 0.004_928_673_233_99;
/// The exponential's, likewise.
const EXP_R: f64 = 7.697_117_470_131_05;
#[cfg(test)]
const EXP_V: f64 = 0.003_949_659_822_581_557;

/// The unnormalised normal density, e^(−x²/2).
fn normal_f(x: f64) -> f64 {
    (-0.5 * x * x).exp()
}

/// The exponential density, e^(−x).
fn exp_f(x: f64) -> f64 {
    (-x).exp()
}

/// The layers are constants rather than computed at start-up, so that draws are the same on
/// every platform whatever its libm's last bits.
static NORMAL: Tables = Tables {
    width: tables::NORMAL_WIDTH,
    inside: tables::NORMAL_INSIDE,
    f: tables::NORMAL_F,
};

static EXP: Tables = Tables {
    width: tables::EXP_WIDTH,
    inside: tables::EXP_INSIDE,
    f: tables::EXP_F,
};

/// A standard normal draw.
#[inline(always)]
pub fn normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    let t = &NORMAL;
    let bits = rng.next_u64();
    // Bits 0-7 pick the layer, bit 8 the sign, bits 11-63 the abscissa.
    let (x, bits) = match sure(t, bits) {
        Some(x) => (x, bits),
        None => slow(t, rng, bits, normal_f, normal_tail),
    };
    f64::from_bits(x.to_bits() | ((bits & 0x100) << 55))
}

/// A standard exponential draw (mean 1).
#[inline(always)]
pub fn exp1<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    let t = &EXP;
    let bits = rng.next_u64();
    match sure(t, bits) {
        Some(x) => x,
        None => slow(t, rng, bits, exp_f, exp_tail).0,
    }
}

/// The abscissa of word `bits` if it falls in its layer's sure part (left of the next
/// layer's edge).
#[inline(always)]
fn sure(t: &Tables, bits: u64) -> Option<f64> {
    let (i, u) = ((bits & 0xff) as usize, bits >> 11);
    (u < t.inside[i]).then(|| u as f64 * t.width[i])
}

/// A draw whose first word fell outside its layer's sure part: the tail, a sliver under the
/// density `f`, or a rejection (then the whole draw starts again with a new word). Returns
/// the magnitude and the word it came from (whose bit 8 is a normal draw's sign).
#[cold]
#[inline(never)]
fn slow<R: Rng + ?Sized>(
    t: &Tables,
    rng: &mut R,
    mut bits: u64,
    f: fn(f64) -> f64,
    tail: fn(&mut R) -> f64,
) -> (f64, u64) {
    loop {
        if let Some(x) = sure(t, bits) {
            return (x, bits);
        }
        let (i, u) = ((bits & 0xff) as usize, bits >> 11);
        if i == 0 {
            return (tail(rng), bits);
        }
        let x = u as f64 * t.width[i];
        let y = t.f[i] + (t.f[i + 1] - t.f[i]) * unit(rng);
        if y < f(x) {
            return (x, bits);
        }
        bits = rng.next_u64();
    }
}

/// The normal beyond r, by Marsaglia's tail method: r + a with a ~ Exp(r) accepted with
/// probability e^(−a²/2), which makes r + a normal conditioned on exceeding r.
fn normal_tail<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    loop {
        let a = -open_unit(rng).ln() / NORMAL_R;
        let b = -open_unit(rng).ln();
        if 2.0 * b > a * a {
            return NORMAL_R + a;
        }
    }
}

/// The exponential beyond r: r plus a fresh exponential (it is memoryless).
fn exp_tail<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    EXP_R - open_unit(rng).ln()
}

#[inline]
fn unit<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * UNIT
}

/// Uniform on (0, 1]: its logarithm is finite.
#[inline]
fn open_unit<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) + 1) as f64 * UNIT
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;
    use statrs::distribution::{ContinuousCDF, Exp, Normal};

    #[test]
    fn layers_close_at_zero() {
        // With the right (r, v) the top layer's edge, one step past the last, is the mode:
        // f(x[255]) + v / x[255] = f(0) = 1, to the constants' 12 or more digits.
        for (t, v) in [(&NORMAL, NORMAL_V), (&EXP, EXP_V)] {
            let top = t.f[N - 1] + v / (t.width[N - 1] / UNIT);
            assert!((top - 1.0).abs() < 1e-9, "top of the last layer {top}");
            assert!(t.width.windows(2).all(|w| w[0] > w[1]), "edges decrease");
        }
    }

    /// Kolmogorov–Smirnov distance of `n` draws from `cdf`.
    fn ks(draw: impl Fn(&mut Xoshiro256PlusPlus) -> f64, cdf: impl Fn(f64) -> f64) -> f64 {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2024);
        let mut xs: Vec<f64> = (0..1_000_000).map(|_| draw(&mut rng)).collect();
        xs.sort_by(f64::total_cmp);
        let n = xs.len() as f64;
        let dist = |(k, x): (usize, &f64)| {
            let c = cdf(*x);
            (c - k as f64 / n).abs().max(((k + 1) as f64 / n - c).abs())
        };
        xs.iter().enumerate().map(dist).fold(0.0, f64::max)
    }

    #[test]
    fn normal_and_exponential_follow_their_laws() {
        // For 10^6 draws the KS distance exceeds 2.0/sqrt(n) with probability 2e^(-8),
        // about 7 in 10,000; the fixed seed makes the outcome the same on every run.
        let bound = 2.0 / 1000.0;
        let std = Normal::new(0.0, 1.0).unwrap();
        let d = ks(normal, |x| std.cdf(x));
        assert!(d < bound, "normal: KS distance {d}");
        let e = Exp::new(1.0).unwrap();
        let d = ks(exp1, |x| e.cdf(x));
        assert!(d < bound, "exponential: KS distance {d}");
    }

    /// Bins of width 0.05 over [-4, 4), plus one for each side beyond.
    const BINS: usize = 160;

    fn bin(z: f64) -> usize {
        ((z + 4.0) / 0.05 + 1.0).clamp(0.0, (BINS + 1) as f64) as usize
    }

    #[test]
    fn tails_have_their_share() {
        // Draws beyond the base strip's edge go through the tail method: their count is
        // binomial. 4·10^6 draws; expected counts and 6 sd bounds in the messages.
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(99);
        let n = 4_000_000;
        let (mut normal_tail, mut exp_tail, mut sum, mut sum2) = (0u64, 0u64, 0.0, 0.0);
        let mut bins = [0u64; BINS + 2];
        for _ in 0..n {
            let z = normal(&mut rng);
            bins[bin(z)] += 1;
            normal_tail += u64::from(z.abs() > NORMAL_R);
            (sum, sum2) = (sum + z, sum2 + z * z);
            exp_tail += u64::from(exp1(&mut rng) > EXP_R);
        }
        let std = Normal::new(0.0, 1.0).unwrap();
        for (seen, p) in [
            (normal_tail, 2.0 * std.sf(NORMAL_R)),
            (exp_tail, (-EXP_R).exp()),
        ] {
            let (mean, sd) = (n as f64 * p, (n as f64 * p * (1.0 - p)).sqrt());
            assert!(
                (seen as f64 - mean).abs() < 6.0 * sd,
                "{seen} tail draws, expected {mean:.0} ± {:.0}",
                6.0 * sd
            );
        }
        // Fine bins catch a wrong sliver or tail that KS would average away. Pearson's
        // statistic has 161 degrees of freedom (mean 161, sd 18); 270 is exceeded with
        // probability about 2e-7.
        let cdf = |z: f64| std.cdf(z);
        let chi2: f64 = (0..BINS + 2)
            .map(|k| {
                let lo = if k == 0 {
                    f64::NEG_INFINITY
                } else {
                    -4.0 + (k - 1) as f64 * 0.05
                };
                let hi = if k == BINS + 1 {
                    f64::INFINITY
                } else {
                    -4.0 + k as f64 * 0.05
                };
                let want = n as f64 * (cdf(hi) - cdf(lo));
                (bins[k] as f64 - want).powi(2) / want
            })
            .sum();
        assert!(chi2 < 270.0, "chi-square {chi2} over {} bins", BINS + 2);
        // Mean 0 (sd 1/2000) and variance 1 (sd sqrt(2/n) = 7e-4), 6 sd each.
        let (m, var) = (sum / n as f64, sum2 / n as f64);
        assert!(
            m.abs() < 3e-3 && (var - 1.0).abs() < 4.3e-3,
            "mean {m}, var {var}"
        );
    }
}
