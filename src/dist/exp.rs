//! e^x for lognormal draws: table-driven and inlined, within 3 ulp of `f64::exp`.
//!
//! Every lognormal draw is an `exp`, and the FPA week makes 150,000 of them a replication;
//! libm's `exp`, behind a call and an error-checking wrapper, was 7% of its time.
//!
//! The method is the usual one (Tang 1989; glibc's is the same with a larger table): write
//! x = (128 e + j) ln2/128 + r with |r| <= ln2/256, so that e^x = 2^e · 2^(j/128) · e^r, with
//! 2^(j/128) from a table and e^r from a degree-5 Taylor polynomial (its error, r^6/720 <
//! 6e-19, is far below an ulp).

use super::tables::EXP2_J_128 as TABLE;
use std::f64::consts::LN_2;

/// 2^(j/128) for j in 0..128, each within an ulp: how [`super::tables`] was generated (from
/// libm's `exp2`, once; a constant, so results do not depend on the platform's libm).
#[cfg(test)]
pub(super) fn table() -> [f64; 128] {
    std::array::from_fn(|j| (j as f64 / 128.0).exp2())
}

/// ln 2 / 128 in two parts (fdlibm's split of ln 2, divided by 128 exactly): the high part has
/// 32 significant bits, so k times it is exact for the |k| < 2^21 allowed here.
const LN2_128_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000) / 128.0;
const LN2_128_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76) / 128.0;
/// 1.5 · 2^52: adding it rounds a float of magnitude below 2^51 to an integer, held in the
/// low bits of the sum.
const SHIFT: f64 = 6_755_399_441_055_744.0;

/// e^x. Outside |x| < 700 (and for NaN) it defers to `f64::exp`, which handles overflow,
/// underflow and subnormal results.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= 700.0 {
        return x.exp();
    }
    let shifted = x * (128.0 / LN_2) + SHIFT;
    let k = shifted - SHIFT;
    // The sum's 52 mantissa bits are 2^51 + k: k = 128 e + j with j = k mod 128.
    let k_int = (shifted.to_bits() & ((1 << 52) - 1)) as i64 - (1 << 51);
    let (j, e) = ((k_int & 127) as usize, k_int >> 7);
    let r = (x - k * LN2_128_HI) - k * LN2_128_LO;
    // Estrin's form of the polynomial: about half the dependent steps of Horner's.
    let r2 = r * r;
    let p = (1.0 + r) + r2 * ((0.5 + r * (1.0 / 6.0)) + r2 * (1.0 / 24.0 + r * (1.0 / 120.0)));
    // 2^e by adding e to the table entry's exponent: |e| <= 1010 keeps it a normal number.
    let scaled = f64::from_bits(TABLE[j].to_bits().wrapping_add((e << 52) as u64));
    scaled * p
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// Distance in ulps between two positive finite floats.
    fn ulps(a: f64, b: f64) -> u64 {
        a.to_bits().abs_diff(b.to_bits())
    }

    #[test]
    fn within_three_ulps_of_libm() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(17);
        // Lognormal arguments (ln of seconds, -10..20) densely, and the whole range.
        let near: Vec<f64> = (0..200_000)
            .map(|_| rng.random_range(-10.0..20.0))
            .collect();
        let far: Vec<f64> = (0..200_000)
            .map(|_| rng.random_range(-699.9..699.9))
            .collect();
        let edges = [0.0, -0.0, 1e-300, -1e-300, LN_2, -LN_2, 1.0, 699.9, -699.9];
        for x in near.into_iter().chain(far).chain(edges) {
            let (got, want) = (exp(x), x.exp());
            assert!(ulps(got, want) <= 3, "exp({x}) = {got}, libm {want}");
        }
    }

    #[test]
    fn extremes_defer_to_libm() {
        for x in [
            700.0,
            709.7,
            710.0,
            -700.0,
            -745.0,
            -800.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(exp(x).to_bits(), x.exp().to_bits(), "exp({x})");
        }
        assert!(exp(f64::NAN).is_nan());
    }
}
