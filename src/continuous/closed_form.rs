//! Closed forms of divergences between normals (and a uniform against a
//! normal), the references the quadrature is checked against.
//!
//! Serves claim [B5](crate::proofs::b5_continuous_references).
//!
//! Notation: `p = N(m1, s1^2)`, `q = N(m2, s2^2)`, `delta = m1 - m2`. The
//! derivations are in `proofs/B5-continuous-references.md`. Each formula is
//! evaluated to a relative accuracy of a few tens of `EPS` for every
//! accepted pair (see [`CLOSED_FORM_REL`]): without cancellation where the
//! result is small (nearly equal normals), through `ln_1p` and `exp_m1`;
//! without `ln 0` or over- and underflow where the scales are very unequal
//! or at the ends of their range; and χ² through double-word arithmetic,
//! since it exponentiates an argument that can be in the hundreds.

use super::density::{Normal, Uniform};
use super::twofold::TwoFold;
use crate::numeric::CompensatedSum;
use crate::tol::EPS;
use statrs::consts::{LN_SQRT_2PI, LN_SQRT_2PIE};
use std::f64::consts::{FRAC_1_SQRT_2, FRAC_2_SQRT_PI, LN_2, SQRT_2};

/// Relative rounding allowance of a closed-form value: 1e-13.
///
/// Reason: every closed form here is evaluated without cancellation beyond
/// a small fixed factor and without exponentiating a rounded argument, so
/// its relative error is a few tens of `EPS` at most, whatever the
/// parameters: KL and the uniform-normal KL are sums of terms that cancel by
/// at most a factor of about 5 and 15 (each term to a few ulps); H² is
/// `-expm1` of a logarithm formed to a few ulps; χ² is `expm1(L)` with
/// `L = ln(1 + χ²)` formed in double-word arithmetic, so that the rounding of
/// an `L` in the hundreds (which would cost `EPS |L|`, 1e-13 at `L = 450`) is
/// gone. Against 3000-bit mpmath on 9000 pairs spanning ratios of scales
/// from 1e-12 to 1e12, scales from 1e-100 to 1e100 and χ² near its boundary
/// `s1^2 = 2 s2^2`, the worst relative error was 2.3e-15 (10 `EPS`, KL at
/// `s1/s2 = 1.25`). 1e-13 keeps a factor of 40 above that for the
/// combinations not sampled.
pub const CLOSED_FORM_REL: f64 = 1e-13;

/// Absolute rounding allowance of a closed-form value: 1e-15.
///
/// Reason: the total variation formula subtracts probabilities of order 1,
/// each a difference of two error-function values accurate to a few ulps
/// (2.2e-16) absolute; results near 0 keep that absolute error (the worst
/// seen against mpmath was 3.8e-16). Entropies near 0 (`h(N(m, s^2))` for
/// `s` near 0.242) are differences of two terms near 1.4 and carry a few
/// ulps of those absolutely.
pub const CLOSED_FORM_ABS: f64 = 1e-15;

/// The rounding allowance for a closed-form `value`:
/// `CLOSED_FORM_ABS + CLOSED_FORM_REL |value|` (0 for an infinite value,
/// which must be matched exactly).
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
pub fn closed_form_rounding(value: f64) -> f64 {
    if value.is_finite() {
        CLOSED_FORM_ABS + CLOSED_FORM_REL * value.abs()
    } else {
        0.0
    }
}

/// Terms of the series of `t - ln(1 + t)` used for `|t| < 1/2`: 60.
///
/// Reason: the series `t^2 sum_(k >= 2) (-t)^(k-2) / k` has terms of at most
/// `|t|^(k-2) / k` against its first, `1/2`; at `|t| = 1/2` the terms left out
/// after the 60th add up to less than twice the first of them, `2^-60 / 62`,
/// which is below 1e-19 relative.
const SERIES_TERMS: i32 = 60;

/// `rho^2 - 1 - 2 ln rho >= 0` for `rho = s1/s2`, to about 10 `EPS` relative.
///
/// With `t = rho^2 - 1 = (s1 - s2)(s1 + s2)/s2^2` (computed without
/// cancellation), it equals `t - ln(1 + t)`: by its series when `|t| < 1/2`
/// (where the difference would cancel), and as `t - 2 ln(s1/s2)` otherwise,
/// where the two terms cancel by at most a factor 5 and `ln(s1/s2)` is
/// never near `ln 0`, whatever the ratio (`ln_1p(t)` would be: `t` rounds to
/// `-1` for `s1/s2 < 1e-8`). `+inf` when `rho^2` overflows.
fn variance_term(s1: f64, s2: f64) -> f64 {
    let t = ((s1 - s2) / s2) * ((s1 + s2) / s2);
    if t.abs() < 0.5 {
        let mut sum = 0.0;
        for k in (2..=SERIES_TERMS + 1).rev() {
            sum = sum * (-t) + 1.0 / f64::from(k);
        }
        sum * t * t
    } else {
        t - 2.0 * (s1 / s2).ln()
    }
}

/// `KL(N(m1, s1^2) || N(m2, s2^2)) = ln(s2/s1) + (s1^2 + (m1 - m2)^2)/(2 s2^2) - 1/2`.
///
/// Evaluated as `½ [(rho^2 - 1 - 2 ln rho) + (delta/s2)^2]` with
/// `rho = s1/s2`: two non-negative terms, the first without cancellation
/// for nearly equal scales and without `ln 0` for very unequal ones, so the
/// result keeps a relative accuracy of about 10 `EPS` for every pair.
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
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
    let z = (p.mean() - q.mean()) / q.sd();
    0.5 * (variance_term(p.sd(), q.sd()) + z * z)
}

/// Squared Hellinger distance between normals:
/// `1 - sqrt(2 s1 s2 / (s1^2 + s2^2)) exp(-(m1 - m2)^2 / (4 (s1^2 + s2^2)))`.
///
/// Evaluated as `-expm1(ln BC)` with the Bhattacharyya coefficient's log
/// `ln BC = ½ ln(2 s1 s2 / (s1^2 + s2^2)) - delta^2 / (4 (s1^2 + s2^2))`.
/// The first logarithm is `ln_1p(-g)` with `g = (s1 - s2)^2/(s1^2 + s2^2)`
/// when `g < 1/2` (nearly equal scales, small results keep their relative
/// accuracy), and `ln 2 + ln r - ln_1p(r^2)` with `r = min/max` of the scales
/// otherwise (where `1 - g` would have lost its digits for very unequal scales).
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
pub fn hellinger2_normals(p: &Normal, q: &Normal) -> f64 {
    let (s1, s2) = (p.sd(), q.sd());
    let total = s1 * s1 + s2 * s2;
    let gap = (s1 - s2).powi(2) / total;
    let ln_scale_factor = if gap < 0.5 {
        (-gap).ln_1p()
    } else {
        let r = s1.min(s2) / s1.max(s2);
        LN_2 + r.ln() - (r * r).ln_1p()
    };
    let delta = p.mean() - q.mean();
    let ln_bc = 0.5 * ln_scale_factor - delta * delta / (4.0 * total);
    -ln_bc.exp_m1()
}

/// `2 s2^2 - s1^2` as a double-word (exact up to `EPS^2` relative): the
/// quantity whose sign decides whether `chi2(N(., s1^2) || N(., s2^2))` is
/// finite. Formed from the exact squares, so it is accurate however close
/// `s1^2` is to `2 s2^2` (where `2 - (s1/s2)^2` in plain doubles loses up to
/// all its digits). It is never exactly 0, since no ratio of doubles squares
/// to exactly 2.
pub(crate) fn pearson_margin(s1: f64, s2: f64) -> TwoFold {
    let twice_q = TwoFold::product(s2, s2).scale(2.0);
    twice_q.add(TwoFold::product(s1, s1).neg())
}

/// `ln(f64::MAX)` rounded up: an exponent at least this large overflows `exp`.
const LN_MAX: f64 = 709.79;

/// Pearson `χ²(N(m1, s1^2) || N(m2, s2^2))`: for `M = 2 s2^2 - s1^2 > 0`,
/// `s2^2 / (s1 sqrt(M)) exp((m1 - m2)^2 / M) - 1`; `+inf` when `M <= 0`
/// (then `p^2/q` does not decay) or when the value exceeds `f64::MAX`.
///
/// Evaluated as `expm1(L)` with `L = ln(1 + χ²) = A + E`, where
/// `E = delta^2 / M` and `A = -½ ln(1 - u^2) >= 0`, `u = 1 - (s1/s2)^2`
/// (`s2^2 / (s1 sqrt(M)) = (1 - u^2)^(-1/2)`). Since `e^L` magnifies an
/// absolute error of `L` into a relative error of the result, `L` is formed
/// in double-word arithmetic: `M` from the exact squares (the sign test uses
/// it too, as does [`chi2`](super::chi2)), `delta` and `delta^2` exactly, `E`
/// to `EPS^2`, and `A` as `-½ ln_1p(-u^2)` when `|u| < 0.7` (nearly equal
/// scales, where `A` is small), else as `2 ln s2 - ln s1 - ½ ln M` from
/// double-word logarithms. The result keeps a relative accuracy of a few
/// `EPS` for every pair, even when `L` is in the hundreds.
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
pub fn chi2_normals(p: &Normal, q: &Normal) -> f64 {
    let (s1, s2) = (p.sd(), q.sd());
    let margin = pearson_margin(s1, s2);
    if margin.hi <= 0.0 {
        return f64::INFINITY;
    }
    let delta = TwoFold::sum(p.mean(), -q.mean());
    let delta2 = delta.mul(delta);
    // A >= 0, so L >= E: an exponent beyond ln(MAX) overflows whatever A is
    // (and the double-word quotient would meet inf - inf).
    if delta2.hi / margin.hi >= LN_MAX {
        return f64::INFINITY;
    }
    let exponent = delta2.div(margin);
    let u = ((s2 - s1) / s2) * ((s2 + s1) / s2);
    let log_prefactor = if u.abs() < 0.7 {
        TwoFold::from(-0.5 * (-u * u).ln_1p())
    } else {
        let ln_s1 = TwoFold::from(s1).ln();
        let ln_s2 = TwoFold::from(s2).ln();
        ln_s2
            .scale(2.0)
            .add(ln_s1.neg())
            .add(margin.ln().scale(0.5).neg())
    };
    let log_ratio = log_prefactor.add(exponent);
    if log_ratio.hi < 0.5 {
        // expm1 keeps the relative accuracy of a small L.
        log_ratio.value().exp_m1()
    } else {
        // e^(hi + lo) - 1 = e^hi (1 + lo) - 1, lo below an ulp of hi; e^hi - 1
        // loses nothing for e^hi >= e^0.5 > 1.6.
        let e = log_ratio.hi.exp();
        if e.is_infinite() {
            // Beyond f64::MAX (and inf * lo would be NaN for lo < 0).
            return f64::INFINITY;
        }
        e.mul_add(log_ratio.lo, e - 1.0)
    }
}

/// Units of `EPS` allowed, in [`chi2_quadrature_rounding`], for the relative
/// rounding of the scale that each evaluation of a normal's
/// `ln p(x) = -((x - m)/s)^2/2 - ln s - ln(2 pi)/2` amounts to: 4.
///
/// Reason: `x - m`, the division by `s` and the square each round by half an
/// ulp, so `((x - m)/s)^2` is off by at most `2 (1/2 + 1/2) + 1/2 = 2.5`
/// half-ulps relative, 1.25 `EPS`: the effect of scaling `s` by a factor
/// `1 ± 0.63 EPS`. The two subtractions that follow add half an ulp of
/// `|ln p|` each, which where the quadratic term dominates is another
/// fraction of it. 4 covers both, for each density, with room.
pub const LN_PDF_ROUNDING_ULPS: f64 = 4.0;

/// The relative condition number of `1 + χ²(p || q)` between normals with
/// respect to the two standard deviations, `|s1 ∂L/∂s1| + |s2 ∂L/∂s2|` for
/// `L = ln(1 + χ²)`: with `M = 2 s2^2 - s1^2` and `E = (m1 - m2)^2 / M`,
/// `s1 ∂L/∂s1 = (s1^2/M)(1 + 2E) - 1` and `s2 ∂L/∂s2 = 2 - (2 s2^2/M)(1 + 2E)`.
/// `+inf` when χ² is infinite.
///
/// It grows like `1/M^2` as `s1^2` approaches `2 s2^2`: there `p^2/q` is a
/// wide Gaussian centred `delta s1^2/M` away from `m1`, where `ln p` and
/// `ln q` are large terms that nearly cancel in `2 ln p - ln q`.
pub fn chi2_normals_condition(p: &Normal, q: &Normal) -> f64 {
    let (s1, s2) = (p.sd(), q.sd());
    let margin = pearson_margin(s1, s2).value();
    if margin <= 0.0 {
        return f64::INFINITY;
    }
    let delta = p.mean() - q.mean();
    let growth = 1.0 + 2.0 * (delta * delta / margin);
    let along_s1 = (s1 * s1 / margin) * growth - 1.0;
    let along_s2 = 2.0 - (2.0 * s2 * s2 / margin) * growth;
    along_s1.abs() + along_s2.abs()
}

/// How far the rounding of `ln p(x)` and `ln q(x)` at the nodes can move a
/// quadrature of `χ²(p || q)` between normals, an error its error estimate
/// does not see: `LN_PDF_ROUNDING_ULPS · EPS · κ · (1 + χ²)` with `κ` from
/// [`chi2_normals_condition`] (0 when χ² is infinite).
///
/// Reason: each evaluation of `ln p` is, up to the rounding of its constant
/// terms, the exact log-density of a normal whose scale is off by a
/// relative `0.63 EPS` at most (see [`LN_PDF_ROUNDING_ULPS`]), and likewise
/// for `q`; so the integrand, and with it `∫ p^2/q = 1 + χ²`, moves by at most
/// that times `κ`, relatively. This part grows like `1/M^2` as `s1^2` nears
/// `2 s2^2`, where it dominates every other error; far from there it is a few
/// hundred `EPS`. What it leaves out, half ulps of the `O(1)` constant terms
/// (a few `EPS` of the integrand), is within the quadrature's own rounding
/// term of 50 `EPS`.
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
pub fn chi2_quadrature_rounding(p: &Normal, q: &Normal) -> f64 {
    let value = chi2_normals(p, q);
    if !value.is_finite() {
        return 0.0;
    }
    LN_PDF_ROUNDING_ULPS * EPS * chi2_normals_condition(p, q) * (1.0 + value)
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
pub(crate) fn erf(x: f64) -> f64 {
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

/// `P(low < Z < high)` for a standard normal `Z`, `low <= high` (either may
/// be infinite), to a few ulps absolute.
fn standard_mass_between(low: f64, high: f64) -> f64 {
    0.5 * (erf(high * FRAC_1_SQRT_2) - erf(low * FRAC_1_SQRT_2))
}

/// Total variation distance between normals, `½ ∫ |p - q|`.
///
/// Equal variances: `2 Phi(|m1 - m2| / (2 s)) - 1 = erf(|m1 - m2| / (2 sqrt(2) s))`.
/// Otherwise `p - q` changes sign exactly at the two roots of `ln p = ln q`,
/// a quadratic, and `TV = |P(r1, r2) - Q(r1, r2)|`.
///
/// TV is unchanged by an affine change of variable, so everything is
/// computed in scale-free terms (no product of two scales, which would
/// under- or overflow at the ends of the accepted range): call `a` the
/// density with the smaller scale, `b` the other, `rho = s_a/s_b < 1`,
/// `d = (m_b - m_a)/s_b` and `l = ln(s_b/s_a) > 0`. In `y = (x - m_a)/s_a`,
/// `a` is `N(0, 1)`, `b` is `N(d, 1)` in `rho y`, and `ln a = ln b` reads
/// `(1 - rho^2) y^2 + 2 rho d y - (d^2 + 2 l) = 0`, whose discriminant over 4,
/// `d^2 + 2 (1 - rho^2) l`, is positive. The roots are taken in the
/// cancellation-free form `q/(1 - rho^2)`, `-(d^2 + 2 l)/q`; `1 - rho^2` and
/// `l` are formed from `s_b - s_a` (exact for nearly equal scales).
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
pub fn tv_normals(p: &Normal, q: &Normal) -> f64 {
    let (narrow, wide) = if p.sd() <= q.sd() { (p, q) } else { (q, p) };
    let (s_a, s_b) = (narrow.sd(), wide.sd());
    if s_a == s_b {
        return erf((p.mean() - q.mean()).abs() / (2.0 * SQRT_2 * s_a));
    }
    let rho = s_a / s_b;
    let d = (wide.mean() - narrow.mean()) / s_b;
    let gap = s_b - s_a;
    let a = (gap / s_b) * ((s_b + s_a) / s_b);
    let l = (gap / s_a).ln_1p();
    let half_b = rho * d;
    let constant = d * d + 2.0 * l;
    let root_term = (d * d + 2.0 * a * l).sqrt();
    let qq = -(half_b + half_b.signum() * root_term);
    let (y1, y2) = (qq / a, -constant / qq);
    let (low, high) = (y1.min(y2), y1.max(y2));
    let mass_narrow = standard_mass_between(low, high);
    let mass_wide = standard_mass_between(rho * low - d, rho * high - d);
    (mass_narrow - mass_wide).abs().min(1.0)
}

/// `KL(Uniform(a, b) || N(m, s^2)) = ln(s sqrt(2 pi) / (b - a)) + ((b - a)^2/12 + (c - m)^2) / (2 s^2)`,
/// `c = (a + b)/2`: the uniform's negative entropy `-ln(b - a)` plus its
/// cross-entropy against the normal, `E[(x - m)^2]/(2 s^2) + ln(s sqrt(2 pi))`.
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
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

/// `W1(N(m1, s1^2), N(m2, s2^2))`, the Earth Mover distance between two
/// normals on the line.
///
/// On the line `W1 = ∫_0^1 |F_1^-1(u) - F_2^-1(u)| du` (claim C2), and the
/// quantile functions of normals are `m + s Phi^-1(u)`, so with
/// `Z = Phi^-1(U)` standard normal
///
/// ```text
/// W1 = E |mu + sigma Z|,   mu = m1 - m2,   sigma = |s1 - s2|
///    = sigma sqrt(2/pi) exp(-mu^2 / (2 sigma^2)) + |mu| erf(|mu| / (sigma sqrt 2))
/// ```
///
/// (the mean of a folded normal; `|mu|` when `s1 = s2`, `sigma sqrt(2/pi)`
/// when `m1 = m2`). Both terms are non-negative, so the sum does not cancel
/// and keeps a relative accuracy of a few ulps ([`closed_form_rounding`]).
///
/// Checked by claim [F1](crate::proofs::f1_finite_samples).
///
/// # Example
/// ```
/// use gan_theory::continuous::{w1_normals, Normal};
/// let p = Normal::new(0.0, 1.0)?;
/// // Equal scales: a translation, W1 = |m1 - m2|.
/// assert_eq!(w1_normals(&p, &Normal::new(-3.0, 1.0)?), 3.0);
/// // Equal means: E |s1 - s2| |Z| = |s1 - s2| sqrt(2/pi).
/// let w = w1_normals(&p, &Normal::new(0.0, 3.0)?);
/// assert!((w - 2.0 * (2.0 / std::f64::consts::PI).sqrt()).abs() < 1e-15);
/// // Never below |m1 - m2| (the 1-Lipschitz critic f(x) = x), never above |m1 - m2| + |s1 - s2| sqrt(2/pi).
/// let (m, s) = (0.5, 2.0);
/// let w = w1_normals(&p, &Normal::new(m, s)?);
/// assert!(m < w && w < m + (s - 1.0) * (2.0 / std::f64::consts::PI).sqrt());
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn w1_normals(p: &Normal, q: &Normal) -> f64 {
    let mu = (p.mean() - q.mean()).abs();
    let sigma = (p.sd() - q.sd()).abs();
    if sigma == 0.0 {
        return mu;
    }
    let z = mu / sigma;
    // sqrt(2/pi) = FRAC_2_SQRT_PI / SQRT_2.
    sigma * (FRAC_2_SQRT_PI / SQRT_2) * (-0.5 * z * z).exp() + mu * erf(z * FRAC_1_SQRT_2)
}
