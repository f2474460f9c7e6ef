//! Closed forms of divergences between normals (and a uniform against a
//! normal), the references the quadrature is checked against.
//!
//! Notation: `p = N(m1, s1^2)`, `q = N(m2, s2^2)`, `delta = m1 - m2`. The
//! derivations are in `proofs/B5-continuous-references.md`. Each formula is
//! evaluated in a form without cancellation where the result is small
//! (nearly equal normals), through `ln_1p` and `exp_m1`.

use super::density::{Normal, Uniform};
use crate::numeric::CompensatedSum;
use statrs::consts::{LN_SQRT_2PI, LN_SQRT_2PIE};
use std::f64::consts::{FRAC_2_SQRT_PI, SQRT_2};

/// Relative rounding allowance of a closed-form value: 1e-13.
///
/// Reason: the formulas take `exp` of arguments up to a few hundred (for
/// example `delta^2 / (2 s2^2 - s1^2)` in χ²); an argument carrying a relative
/// rounding of a few `EPS` gives the result a relative error of the
/// argument's size times that, 100 · 2.2e-16 ≈ 2e-14 for arguments near 100;
/// 1e-13 covers arguments up to about 400 and the few ulps of the final sums.
pub const CLOSED_FORM_REL: f64 = 1e-13;

/// Absolute rounding allowance of a closed-form value: 1e-15.
///
/// Reason: the total variation formula subtracts two probabilities of order
/// 1, each carrying a few ulps (2.2e-16) from `erf`; results near 0
/// keep that absolute error.
pub const CLOSED_FORM_ABS: f64 = 1e-15;

/// The rounding allowance for a closed-form `value`:
/// `CLOSED_FORM_ABS + CLOSED_FORM_REL |value|` (0 for an infinite value,
/// which must be matched exactly).
pub fn closed_form_rounding(value: f64) -> f64 {
    if value.is_finite() {
        CLOSED_FORM_ABS + CLOSED_FORM_REL * value.abs()
    } else {
        0.0
    }
}

/// `t - ln(1 + t)` for `t > -1`, by its series `sum_(k >= 2) (-1)^k t^k / k`
/// when `|t| < 0.1` (where the difference would cancel; the terms left out
/// are below 1e-20 relative), directly otherwise.
fn t_minus_ln_1p(t: f64) -> f64 {
    if t.abs() < 0.1 {
        let mut s = 0.0;
        for k in (2..=24).rev() {
            s = s * (-t) + 1.0 / k as f64;
        }
        s * t * t
    } else {
        t - t.ln_1p()
    }
}

/// `KL(N(m1, s1^2) || N(m2, s2^2)) = ln(s2/s1) + (s1^2 + (m1 - m2)^2)/(2 s2^2) - 1/2`.
///
/// Evaluated as `½ [t - ln(1 + t) + (delta/s2)^2]` with `t = (s1/s2)^2 - 1`,
/// which keeps full relative accuracy for nearly equal normals.
///
/// # Example
/// ```
/// use gan_theory::continuous::{kl_normals, Normal};
/// let p = Normal::new(0.0, 1.0)?;
/// let q = Normal::new(1.0, 2.0)?;
/// // ln 2 + (1 + 1)/8 - 1/2
/// let expected = 2f64.ln() + 0.25 - 0.5;
/// assert!((kl_normals(&p, &q) - expected).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn kl_normals(p: &Normal, q: &Normal) -> f64 {
    let (s1, s2) = (p.sd(), q.sd());
    let t = (s1 - s2) * (s1 + s2) / (s2 * s2);
    let z = (p.mean() - q.mean()) / s2;
    0.5 * (t_minus_ln_1p(t) + z * z)
}

/// Squared Hellinger distance between normals:
/// `1 - sqrt(2 s1 s2 / (s1^2 + s2^2)) exp(-(m1 - m2)^2 / (4 (s1^2 + s2^2)))`.
///
/// Evaluated as `-expm1(ln BC)` with the Bhattacharyya coefficient's log
/// `ln BC = ½ ln(1 - (s1 - s2)^2/(s1^2 + s2^2)) - delta^2 / (4 (s1^2 + s2^2))`.
pub fn hellinger2_normals(p: &Normal, q: &Normal) -> f64 {
    let (s1, s2) = (p.sd(), q.sd());
    let total = s1 * s1 + s2 * s2;
    let delta = p.mean() - q.mean();
    let ln_bc = 0.5 * (-(s1 - s2).powi(2) / total).ln_1p() - delta * delta / (4.0 * total);
    -ln_bc.exp_m1()
}

/// Pearson `χ²(N(m1, s1^2) || N(m2, s2^2))`: for `2 s2^2 > s1^2`,
/// `s2^2 / (s1 sqrt(2 s2^2 - s1^2)) exp((m1 - m2)^2 / (2 s2^2 - s1^2)) - 1`;
/// `+inf` when `2 s2^2 <= s1^2` (then `p^2/q` does not decay).
///
/// Evaluated as `expm1(-½ ln(1 - u^2) + (delta/s2)^2 / (1 + u))` with
/// `u = 1 - (s1/s2)^2`, since `s2^2/(s1 sqrt(2 s2^2 - s1^2)) = (1 - u^2)^(-1/2)`
/// and `2 s2^2 - s1^2 = s2^2 (1 + u)`. The divergence test is
/// `2 - (s1/s2)^2 <= 0`, the same expression as in
/// [`chi2`](super::chi2).
pub fn chi2_normals(p: &Normal, q: &Normal) -> f64 {
    let (s1, s2) = (p.sd(), q.sd());
    let margin = 2.0 - (s1 / s2).powi(2);
    if margin <= 0.0 {
        return f64::INFINITY;
    }
    let u = (s2 - s1) * (s2 + s1) / (s2 * s2);
    let z = (p.mean() - q.mean()) / s2;
    (-0.5 * (-u * u).ln_1p() + z * z / margin).exp_m1()
}

/// The error function to a few ulps, absolute.
///
/// statrs 0.19's `erf` is accurate to only about 1e-10 relative (its
/// per-interval constants were transcribed with 10 digits), too coarse for a
/// reference, so the closed forms use this one: the series
/// `erf(x) = (2/sqrt(pi)) e^(-x^2) sum_(n >= 0) 2^n x^(2n+1) / (1 3 5 ... (2n+1))`,
/// whose terms are all positive (no cancellation), summed with compensation,
/// with `x^2` split exactly into `hi + lo` so that `e^(-x^2)` keeps its digits.
/// For `|x| >= 6`, `1 - |erf(x)| < 2.2e-17` and the result is `±1`.
fn erf(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x.abs() >= 6.0 {
        return x.signum();
    }
    let square_hi = x * x;
    let square_lo = x.mul_add(x, -square_hi);
    let mut sum = CompensatedSum::new();
    let mut term = x;
    let mut n = 0.0;
    while term.abs() > 1e-18 * sum.value().abs() || n < 1.0 {
        sum.add(term);
        n += 1.0;
        term *= 2.0 * square_hi / (2.0 * n + 1.0);
    }
    FRAC_2_SQRT_PI * (-square_hi).exp() * (1.0 - square_lo) * sum.value()
}

/// `P(low < X < high)` for `X ~ N(mean, sd^2)`, `low <= high` (either may be
/// infinite), to a few ulps absolute.
fn normal_mass_between(mean: f64, sd: f64, low: f64, high: f64) -> f64 {
    let a = (low - mean) / (sd * SQRT_2);
    let b = (high - mean) / (sd * SQRT_2);
    0.5 * (erf(b) - erf(a))
}

/// Total variation distance between normals, `½ ∫ |p - q|`.
///
/// Equal variances: `2 Phi(|m1 - m2| / (2 s)) - 1 = erf(|m1 - m2| / (2 sqrt(2) s))`.
/// Otherwise `p - q` changes sign exactly at the two roots `r1 < r2` of
/// `ln p = ln q`, a quadratic, and `TV = |P(r1, r2) - Q(r1, r2)|`. With
/// `x` measured from `m1` and `d2 = m2 - m1`, the quadratic is
/// `(s1^2 - s2^2) x^2 - 2 s1^2 d2 x + s1^2 d2^2 + 2 s1^2 s2^2 ln(s2/s1) = 0`,
/// whose discriminant over 4 is `s1^2 s2^2 (d2^2 + 2 (s2^2 - s1^2) ln(s2/s1)) > 0`;
/// the roots are taken in the cancellation-free form `c / q`, `q / a`.
pub fn tv_normals(p: &Normal, q: &Normal) -> f64 {
    let (m1, s1, m2, s2) = (p.mean(), p.sd(), q.mean(), q.sd());
    if s1 == s2 {
        return erf((m1 - m2).abs() / (2.0 * SQRT_2 * s1));
    }
    let d2 = m2 - m1;
    let ln_ratio = (s2 / s1).ln();
    let a = (s1 - s2) * (s1 + s2);
    let half_b = -s1 * s1 * d2;
    let c = s1 * s1 * (d2 * d2 + 2.0 * s2 * s2 * ln_ratio);
    let root_term = s1 * s2 * (d2 * d2 + 2.0 * (s2 - s1) * (s2 + s1) * ln_ratio).sqrt();
    let qq = -(half_b + half_b.signum() * root_term);
    let (x1, x2) = (qq / a, c / qq);
    let (r1, r2) = (m1 + x1.min(x2), m1 + x1.max(x2));
    let mass_p = normal_mass_between(m1, s1, r1, r2);
    let mass_q = normal_mass_between(m2, s2, r1, r2);
    (mass_p - mass_q).abs().min(1.0)
}

/// `KL(Uniform(a, b) || N(m, s^2)) = ln(s sqrt(2 pi) / (b - a)) + ((b - a)^2/12 + (c - m)^2) / (2 s^2)`,
/// `c = (a + b)/2`: the uniform's negative entropy `-ln(b - a)` plus its
/// cross-entropy against the normal, `E[(x - m)^2]/(2 s^2) + ln(s sqrt(2 pi))`.
pub fn kl_uniform_normal(p: &Uniform, q: &Normal) -> f64 {
    let width = (p.high() - p.low()) / q.sd();
    let offset = (0.5 * (p.low() + p.high()) - q.mean()) / q.sd();
    LN_SQRT_2PI - width.ln() + 0.5 * (width * width / 12.0 + offset * offset)
}

/// Differential entropy of a normal: `½ ln(2 pi e s^2) = ln s + ½ (1 + ln(2 pi))`.
pub fn entropy_normal(p: &Normal) -> f64 {
    p.sd().ln() + LN_SQRT_2PIE
}

/// Differential entropy of a uniform: `ln(b - a)`.
pub fn entropy_uniform(p: &Uniform) -> f64 {
    (p.high() - p.low()).ln()
}
