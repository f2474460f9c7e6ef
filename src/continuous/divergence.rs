//! Divergences between densities on the real line, by adaptive quadrature.
//!
//! Serves claim [B5](crate::proofs::b5_continuous_references).
//!
//! | function | integral | range |
//! |---|---|---|
//! | [`entropy`] | h(p) = -∫ p ln p | (-inf, +inf) |
//! | [`cross_entropy`] | h(p, q) = -∫ p ln q | [h(p), +inf] |
//! | [`kl`] | KL(p ‖ q) = ∫ p ln(p/q) | [0, +inf] |
//! | [`js`] | JSD = ½ ∫ p ln(2p/(p+q)) + ½ ∫ q ln(2q/(p+q)) | [0, ln 2] |
//! | [`total_variation`] | ½ ∫ abs(p - q) | [0, 1] |
//! | [`chi2`] | Pearson χ²(p ‖ q) = ∫ (p - q)²/q | [0, +inf] |
//! | [`hellinger2`] | squared Hellinger ½ ∫ (√p - √q)² | [0, 1] |
//!
//! Each returns an [`Estimate`]: the value with its error estimate (see
//! [`quadrature`](super::quadrature)). The integrands are functions of
//! `ln p(x)` and `ln q(x)` ([`kl_integrand`], ...), written so that they are
//! never NaN: where both densities underflow they are 0, and they are `+inf`
//! exactly where the divergence's integrand is infinite (p > 0 = q for KL,
//! cross-entropy and χ²). An infinite integrand at a node makes the
//! divergence `+inf`: because the integration range is split at every
//! breakpoint and extends to ±inf, a region of positive length where q = 0 < p
//! always contains nodes. χ² can also be infinite with q > 0 everywhere, when
//! `p^2/q` does not decay in a tail; that is decided from the tails'
//! descriptions before integrating (see [`chi2`]).
//!
//! Accuracy: the integrands are accurate functions of `ln p` and `ln q`, but
//! those logs carry a rounding of about `EPS |ln p|` each. Between nearly
//! equal densities this bounds the relative accuracy of KL, χ² and Hellinger
//! to about `EPS |ln p| / |ln p - ln q|` (1e-8 for two unit normals 1e-8
//! apart), an error the quadrature's estimate does not see; the default
//! absolute tolerance of 1e-14 lies far above it.

use super::closed_form::pearson_margin;
use super::density::{Density, Tail};
use super::quadrature::{Estimate, Piece, Quadrature};
use crate::error::Result;
use std::f64::consts::LN_2;

/// The pieces on which functionals of `p` and `q` are integrated.
///
/// The finite part runs over the hull of both effective supports, split at
/// every breakpoint and landmark of either density (so every piece is smooth
/// and none is wider than a few scales of a density with mass there). Beyond
/// it, on each side where either density has a Gaussian tail, a tail piece
/// reaches to infinity, with the larger Gaussian scale as its length scale:
/// nothing is truncated, so the integrals of functionals that decay more
/// slowly than the densities (χ²) are complete as well.
pub fn integration_pieces<P, Q>(p: &P, q: &Q) -> Vec<Piece>
where
    P: Density + ?Sized,
    Q: Density + ?Sized,
{
    let mut points = split_points(p);
    points.extend(split_points(q));
    points.retain(|x| x.is_finite());
    points.sort_by(f64::total_cmp);
    points.dedup();
    if points.is_empty() {
        points.push(0.0);
    }
    let mut pieces = Vec::with_capacity(points.len() + 1);
    let left_scale = gaussian_scale(p.left_tail()).max(gaussian_scale(q.left_tail()));
    if left_scale > 0.0 {
        pieces.push(Piece::LeftTail {
            end: points[0],
            scale: left_scale,
        });
    }
    pieces.extend(
        points
            .windows(2)
            .map(|w| Piece::Finite { a: w[0], b: w[1] }),
    );
    let right_scale = gaussian_scale(p.right_tail()).max(gaussian_scale(q.right_tail()));
    if right_scale > 0.0 {
        pieces.push(Piece::RightTail {
            start: points[points.len() - 1],
            scale: right_scale,
        });
    }
    pieces
}

fn split_points<D: Density + ?Sized>(d: &D) -> Vec<f64> {
    let (low, high) = d.effective_support();
    let mut points = d.breakpoints();
    points.extend(d.landmarks());
    points.push(low);
    points.push(high);
    points
}

/// The scale of a Gaussian tail, 0 for a tail that ends.
fn gaussian_scale(tail: Tail) -> f64 {
    match tail {
        Tail::Gaussian { scale, .. } if scale.is_finite() && scale > 0.0 => scale,
        _ => 0.0,
    }
}

/// `∫ integrand(ln p(x), ln q(x)) dx` over the real line, on
/// [`integration_pieces`]`(p, q)`.
///
/// # Errors
/// As [`Quadrature::integrate_pieces`].
pub fn integrate_pair<P, Q, F>(
    p: &P,
    q: &Q,
    integrand: F,
    quadrature: &Quadrature,
) -> Result<Estimate>
where
    P: Density + ?Sized,
    Q: Density + ?Sized,
    F: Fn(f64, f64) -> f64,
{
    let pieces = integration_pieces(p, q);
    quadrature.integrate_pieces(|x| integrand(p.ln_pdf(x), q.ln_pdf(x)), &pieces)
}

/// `∫ p(x) dx`, which is 1 for a valid density.
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
///
/// # Errors
/// As [`Quadrature::integrate_pieces`].
///
/// # Example
/// ```
/// use gan_theory::continuous::{mass, Normal, NormalMixture, Quadrature};
/// let mix = NormalMixture::new(
///     vec![0.3, 0.7],
///     vec![Normal::new(-1.0, 0.1)?, Normal::new(4.0, 2.0)?],
/// )?;
/// let m = mass(&mix, &Quadrature::default())?;
/// assert!((m.value - 1.0).abs() <= m.error_estimate + 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn mass<P: Density + ?Sized>(p: &P, quadrature: &Quadrature) -> Result<Estimate> {
    integrate_pair(p, p, |ln_p, _| ln_p.exp(), quadrature)
}

/// Differential entropy `h(p) = -∫ p ln p` in nats.
///
/// # Errors
/// As [`Quadrature::integrate_pieces`].
pub fn entropy<P: Density + ?Sized>(p: &P, quadrature: &Quadrature) -> Result<Estimate> {
    integrate_pair(p, p, |ln_p, _| entropy_integrand(ln_p), quadrature)
}

/// Cross-entropy `h(p, q) = -∫ p ln q` in nats; `+inf` when p has mass where
/// q's density is 0.
///
/// # Errors
/// As [`Quadrature::integrate_pieces`].
pub fn cross_entropy<P, Q>(p: &P, q: &Q, quadrature: &Quadrature) -> Result<Estimate>
where
    P: Density + ?Sized,
    Q: Density + ?Sized,
{
    integrate_pair(p, q, cross_entropy_integrand, quadrature)
}

/// `KL(p || q) = ∫ p ln(p/q)` in nats, integrated in the non-negative form
/// `∫ (p ln(p/q) - p + q)` (the added `∫ (q - p)` is 0), so the estimate is
/// never negative. `+inf` when p has mass where q's density is 0.
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
///
/// # Errors
/// As [`Quadrature::integrate_pieces`].
///
/// # Example
/// ```
/// use gan_theory::continuous::{kl, kl_normals, Normal, Quadrature, Uniform};
/// let p = Normal::new(0.0, 1.0)?;
/// let q = Normal::new(1.0, 2.0)?;
/// let est = kl(&p, &q, &Quadrature::default())?;
/// assert!((est.value - kl_normals(&p, &q)).abs() <= est.error_estimate + 1e-15);
/// // A normal has mass everywhere, a uniform has none outside its interval:
/// let u = Uniform::new(-50.0, 50.0)?;
/// assert_eq!(kl(&p, &u, &Quadrature::default())?.value, f64::INFINITY);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn kl<P, Q>(p: &P, q: &Q, quadrature: &Quadrature) -> Result<Estimate>
where
    P: Density + ?Sized,
    Q: Density + ?Sized,
{
    integrate_pair(p, q, kl_integrand, quadrature)
}

/// Jensen-Shannon divergence in nats, in `[0, ln 2]`: symmetric, finite for
/// every pair, `ln 2` for disjoint supports.
///
/// The estimate is clamped to `[0, ln 2]` (which can only move it towards
/// the exact value).
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
///
/// # Errors
/// As [`Quadrature::integrate_pieces`].
pub fn js<P, Q>(p: &P, q: &Q, quadrature: &Quadrature) -> Result<Estimate>
where
    P: Density + ?Sized,
    Q: Density + ?Sized,
{
    integrate_pair(p, q, js_integrand, quadrature).map(|e| clamped(e, LN_2))
}

/// Total variation distance `½ ∫ |p - q|`, in `[0, 1]` (estimate clamped there).
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
///
/// # Errors
/// As [`Quadrature::integrate_pieces`].
///
/// `|p - q|` has a kink wherever the densities cross, where the rule's error
/// estimate would not be trustworthy; the range is therefore also split at
/// the crossings (see [`crossings`]).
pub fn total_variation<P, Q>(p: &P, q: &Q, quadrature: &Quadrature) -> Result<Estimate>
where
    P: Density + ?Sized,
    Q: Density + ?Sized,
{
    let pieces = integration_pieces(p, q);
    let pieces = split_at(&pieces, &crossings(p, q, &pieces));
    quadrature
        .integrate_pieces(|x| tv_integrand(p.ln_pdf(x), q.ln_pdf(x)), &pieces)
        .map(|e| clamped(e, 1.0))
}

/// Samples per finite piece when looking for crossings: 16.
///
/// Reason: the pieces are at most a few scales of the densities wide (their
/// landmarks), so 16 samples are a fraction of a scale apart; two crossings
/// closer than that would be missed as a pair, but between them `|p - q|` is
/// of second order in their distance and the kinks' effect on the rule with it.
const CROSSING_SAMPLES_PER_PIECE: usize = 16;

/// The points in the finite `pieces` where `ln p - ln q` changes sign (the
/// kinks of `|p - q|`), each located by bisection to adjacent floats.
///
/// Sign changes are looked for between 16 + 1
/// equally spaced samples of each finite piece; samples where one density is
/// 0 are skipped (the edges of a zero set are breakpoints already). Tail
/// pieces are not searched: crossings there lie where both densities are
/// below 1e-300.
pub fn crossings<P, Q>(p: &P, q: &Q, pieces: &[Piece]) -> Vec<f64>
where
    P: Density + ?Sized,
    Q: Density + ?Sized,
{
    let gap = |x: f64| p.ln_pdf(x) - q.ln_pdf(x);
    let mut found = Vec::new();
    for piece in pieces {
        let Piece::Finite { a, b } = *piece else {
            continue;
        };
        let step = (b - a) / CROSSING_SAMPLES_PER_PIECE as f64;
        let mut previous = (a, gap(a));
        for k in 1..=CROSSING_SAMPLES_PER_PIECE {
            let x = if k == CROSSING_SAMPLES_PER_PIECE {
                b
            } else {
                a + k as f64 * step
            };
            let current = (x, gap(x));
            if current.1 == 0.0 {
                found.push(x);
            } else if previous.1.is_finite()
                && current.1.is_finite()
                && (previous.1 < 0.0) != (current.1 < 0.0)
                && previous.1 != 0.0
            {
                found.push(bisect_sign_change(&gap, previous.0, x, previous.1 < 0.0));
            }
            previous = current;
        }
    }
    found
}

/// A point where `f` changes sign in `[low, high]`, `f(low)` having sign
/// `low_negative`, bisected until no float lies between the brackets.
fn bisect_sign_change<F: Fn(f64) -> f64>(
    f: &F,
    mut low: f64,
    mut high: f64,
    low_negative: bool,
) -> f64 {
    loop {
        let middle = 0.5 * (low + high);
        if middle <= low || middle >= high {
            return middle;
        }
        let value = f(middle);
        if value == 0.0 || value.is_nan() {
            return middle;
        }
        if (value < 0.0) == low_negative {
            low = middle;
        } else {
            high = middle;
        }
    }
}

/// `pieces` with every finite piece split at the `points` strictly inside it.
fn split_at(pieces: &[Piece], points: &[f64]) -> Vec<Piece> {
    let mut out = Vec::with_capacity(pieces.len() + points.len());
    for piece in pieces {
        let Piece::Finite { a, b } = *piece else {
            out.push(*piece);
            continue;
        };
        let mut inner: Vec<f64> = points.iter().copied().filter(|&x| a < x && x < b).collect();
        inner.sort_by(f64::total_cmp);
        inner.dedup();
        let mut start = a;
        for x in inner.into_iter().chain(std::iter::once(b)) {
            out.push(Piece::Finite { a: start, b: x });
            start = x;
        }
    }
    out
}

/// Squared Hellinger distance `½ ∫ (√p - √q)²`, in `[0, 1]` (estimate clamped there).
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
///
/// # Errors
/// As [`Quadrature::integrate_pieces`].
///
/// # Example
/// ```
/// use gan_theory::continuous::{Normal, Quadrature, hellinger2, hellinger2_normals};
/// let (p, q) = (Normal::new(0.0, 1.0)?, Normal::new(1.0, 2.0)?);
/// let est = hellinger2(&p, &q, &Quadrature::default())?;
/// // The closed form 1 - sqrt(2 s1 s2 / (s1² + s2²)) exp(-(m1 - m2)² / (4 (s1² + s2²))).
/// assert!((est.value - hellinger2_normals(&p, &q)).abs() <= est.error_estimate + 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn hellinger2<P, Q>(p: &P, q: &Q, quadrature: &Quadrature) -> Result<Estimate>
where
    P: Density + ?Sized,
    Q: Density + ?Sized,
{
    integrate_pair(p, q, hellinger2_integrand, quadrature).map(|e| clamped(e, 1.0))
}

/// Pearson `χ²(p || q) = ∫ (p - q)²/q = ∫ p²/q - 1`.
///
/// `+inf` when p has mass where q's density is 0, and when `p²/q` does not
/// decay in a tail where both are Gaussian: with tail scales `s_p`, `s_q`,
/// `ln(p²/q) = -x² (1/s_p² - 1/(2 s_q²)) + O(|x|)`, so the tail's integral is
/// infinite when `s_p² > 2 s_q²` and finite when `s_p² < 2 s_q²`. The test is
/// the sign of `2 s_q² - s_p²` formed from the exact squares (so it is right
/// however close the two are), the same margin as in
/// [`chi2_normals`](super::chi2_normals), where it reads `s_1² >= 2 s_2²`.
/// (At exact equality the `O(|x|)` term would decide, but no ratio of doubles
/// squares to exactly 2, so the margin is never 0.)
///
/// The integrand is integrated scaled by `e^-44` (`CHI2_LN_SCALE`; the
/// result, its error estimate and the absolute target are scaled back).
/// Near the boundary `s_p² = 2 s_q²` most of `∫ p²/q` can lie in a tail
/// piece, where the integrand (times the substitution's Jacobian) peaks at
/// about `(1 + τ)² / 2.5` times the integral, `τ` being how far into the
/// tail the peak of `p²/q` lies in units of its width: about 360 for
/// `N(0, 1.4²)` against `N(5.3, 1)`, whose χ² is 1.4e307. Unscaled, such
/// values overflow and a finite χ² came out `+inf`. A χ² beyond `f64::MAX`
/// comes out `+inf`.
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
///
/// # Errors
/// As [`Quadrature::integrate_pieces`].
///
/// # Example
/// ```
/// use gan_theory::continuous::{Normal, Quadrature, chi2, chi2_normals};
/// let (p, q) = (Normal::new(0.0, 1.0)?, Normal::new(1.0, 1.2)?);
/// let est = chi2(&p, &q, &Quadrature::default())?;
/// assert!((est.value - chi2_normals(&p, &q)).abs() <= est.error_estimate + 1e-14);
/// // s_p² = 4 > 2 s_q² = 2: p²/q does not decay in the tails, chi2 = +inf.
/// let wide = Normal::new(0.0, 2.0)?;
/// assert_eq!(chi2(&wide, &Normal::new(0.0, 1.0)?, &Quadrature::default())?.value, f64::INFINITY);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn chi2<P, Q>(p: &P, q: &Q, quadrature: &Quadrature) -> Result<Estimate>
where
    P: Density + ?Sized,
    Q: Density + ?Sized,
{
    if pearson_tail_diverges(p.left_tail(), q.left_tail())
        || pearson_tail_diverges(p.right_tail(), q.right_tail())
    {
        return Ok(Estimate {
            value: f64::INFINITY,
            error_estimate: 0.0,
            intervals: 0,
            evaluations: 0,
        });
    }
    let left_scale = pearson_tail_scale(p.left_tail(), q.left_tail());
    let right_scale = pearson_tail_scale(p.right_tail(), q.right_tail());
    let pieces: Vec<Piece> = integration_pieces(p, q)
        .into_iter()
        .map(|piece| match piece {
            Piece::LeftTail { end, scale } => Piece::LeftTail {
                end,
                scale: scale.max(left_scale),
            },
            Piece::RightTail { start, scale } => Piece::RightTail {
                start,
                scale: scale.max(right_scale),
            },
            finite => finite,
        })
        .collect();
    let back = (-CHI2_LN_SCALE).exp();
    let scaled = Quadrature::new(
        (quadrature.abs_tol() / back).max(f64::MIN_POSITIVE),
        quadrature.rel_tol(),
        quadrature.max_intervals(),
    )?;
    let estimate = scaled.integrate_pieces(
        |x| chi2_integrand_times(p.ln_pdf(x), q.ln_pdf(x), CHI2_LN_SCALE),
        &pieces,
    )?;
    Ok(Estimate {
        value: estimate.value * back,
        error_estimate: estimate.error_estimate * back,
        ..estimate
    })
}

/// The logarithm of the factor `e^-44` (7.8e-20) by which [`chi2`] scales
/// its integrand, an exact double.
///
/// Reason: it leaves room for integrand values 1.3e19 times the integral
/// before they overflow, and loses nothing at the small end: integrand
/// values below `e^44` times the smallest normal double (3e-289) contribute
/// nothing a χ² between distinct densities can notice (an absolute target
/// below that is raised to it). Its cost is the rounding of `ln q - 44`
/// inside the exponential, half an ulp of 44 (3.6e-15) relative per node,
/// below the quadrature's rounding term of 50 `EPS`; scaling back by `e^44`
/// rounds the result by an ulp or two.
const CHI2_LN_SCALE: f64 = -44.0;

/// The length scale on which `p²/q` decays in a tail where both densities
/// are Gaussian with scales `s_p`, `s_q` and `2 s_q² > s_p²`:
/// `ln(p²/q) = -x² (2/s_p² - 1/s_q²)/2 + O(|x|)`, a Gaussian of standard
/// deviation `s_p s_q / sqrt(2 s_q² - s_p²) >= s_p`; 0 for other tails.
///
/// χ²'s tail pieces use it as their length scale. With the densities' own
/// (smaller) scale, a tail holding a real share of `∫ p²/q` (near
/// `s_p² = 2 s_q²`, or far from the means) maps onto a bump squeezed
/// against `t = 1` that a single rule misjudges: for two normals of scales
/// 1.66 and 1.21, the first rule on the right tail was off by 3.7e-11 of χ²
/// while its `|K - G|` said 1.2e-11.
fn pearson_tail_scale(p: Tail, q: Tail) -> f64 {
    match (p, q) {
        (Tail::Gaussian { scale: scale_p }, Tail::Gaussian { scale: scale_q }) => {
            let margin = pearson_margin(scale_p, scale_q).value();
            if margin > 0.0 {
                scale_p * scale_q / margin.sqrt()
            } else {
                0.0
            }
        }
        _ => 0.0,
    }
}

/// Whether `∫ p²/q` diverges in one tail, from the two densities' tails there.
fn pearson_tail_diverges(p: Tail, q: Tail) -> bool {
    match (p, q) {
        (Tail::Ends(_), _) => false,
        // p decays like a Gaussian where q is 0: p > 0 = q there.
        (Tail::Gaussian { .. }, Tail::Ends(_)) => true,
        (Tail::Gaussian { scale: scale_p }, Tail::Gaussian { scale: scale_q }) => {
            pearson_margin(scale_p, scale_q).hi <= 0.0
        }
    }
}

fn clamped(mut estimate: Estimate, high: f64) -> Estimate {
    estimate.value = estimate.value.clamp(0.0, high);
    estimate
}

/// `e^ln_scale * factor` for `factor >= 0`, without `0 * inf = NaN` and
/// through logarithms when `e^ln_scale` alone would underflow or overflow.
#[inline]
fn scaled(ln_scale: f64, factor: f64) -> f64 {
    if factor == 0.0 || ln_scale == f64::NEG_INFINITY {
        return 0.0;
    }
    let scale = ln_scale.exp();
    if scale > 0.0 && scale.is_finite() {
        scale * factor
    } else {
        (ln_scale + factor.ln()).exp()
    }
}

/// `1/k!` for `k = 0..18`.
const INVERSE_FACTORIALS: [f64; 18] = {
    let mut table = [1.0; 18];
    let mut k = 1;
    while k < 18 {
        table[k] = table[k - 1] / k as f64;
        k += 1;
    }
    table
};

/// `psi(d) = d - 1 + e^-d = sum_(k >= 2) (-d)^k / k!`, accurate for `|d| <= 1/2`
/// (the terms left out are below 1e-20 relative).
#[inline]
fn psi_series(d: f64) -> f64 {
    let x = -d;
    let mut s = 0.0;
    for &c in INVERSE_FACTORIALS[2..].iter().rev() {
        s = s * x + c;
    }
    s * x * x
}

/// Integrand of [`kl`]: `p ln(p/q) - p + q >= 0`, from `ln p` and `ln q`.
///
/// Equals `p psi(d)` with `d = ln p - ln q` and `psi(d) = d - 1 + e^-d`:
/// a series for `|d| <= 1/2` (no cancellation), `q (1 - e^d + d e^d)` for
/// `d < -1/2` (no overflow). `q` where `p = 0`; `+inf` where `q = 0 < p`.
/// Never NaN for non-NaN arguments.
pub fn kl_integrand(ln_p: f64, ln_q: f64) -> f64 {
    if ln_p.is_nan() || ln_q.is_nan() {
        return f64::NAN;
    }
    if ln_p == f64::NEG_INFINITY {
        return ln_q.exp();
    }
    if ln_q == f64::NEG_INFINITY || ln_p == f64::INFINITY || ln_q == f64::INFINITY {
        return f64::INFINITY;
    }
    let d = ln_p - ln_q;
    if d.abs() <= 0.5 {
        scaled(ln_p, psi_series(d))
    } else if d > 0.0 {
        scaled(ln_p, d + (-d).exp_m1())
    } else {
        scaled(ln_q, d * d.exp() - d.exp_m1())
    }
}

/// Integrand of [`cross_entropy`]: `-p ln q`; 0 where `p = 0`, `+inf` where
/// `q = 0 < p`. Never NaN for non-NaN arguments.
pub fn cross_entropy_integrand(ln_p: f64, ln_q: f64) -> f64 {
    if ln_p.is_nan() || ln_q.is_nan() {
        return f64::NAN;
    }
    if ln_p == f64::NEG_INFINITY {
        return 0.0;
    }
    if ln_q == f64::NEG_INFINITY {
        return f64::INFINITY;
    }
    if ln_q == f64::INFINITY {
        return f64::NEG_INFINITY;
    }
    -ln_q.signum() * scaled(ln_p, ln_q.abs())
}

/// Integrand of [`entropy`]: `-p ln p`, 0 where `p = 0`. Never NaN for a
/// non-NaN argument.
pub fn entropy_integrand(ln_p: f64) -> f64 {
    if ln_p == f64::INFINITY {
        return f64::NEG_INFINITY;
    }
    -ln_p.signum() * scaled(ln_p, ln_p.abs())
}

/// A symmetric integrand `max(p, q) factor(delta)`, `delta = |ln p - ln q|`
/// (in `[0, +inf]`), for a `factor >= 0` that depends on the ratio
/// `min/max = e^-delta` alone: 0 where both densities are 0, `+inf` where one
/// is infinite, NaN only for a NaN argument.
fn by_larger<F: FnOnce(f64) -> f64>(ln_p: f64, ln_q: f64, factor: F) -> f64 {
    if ln_p.is_nan() || ln_q.is_nan() {
        return f64::NAN;
    }
    let (high, low) = if ln_p >= ln_q {
        (ln_p, ln_q)
    } else {
        (ln_q, ln_p)
    };
    if high == f64::NEG_INFINITY {
        return 0.0;
    }
    if high == f64::INFINITY {
        return f64::INFINITY;
    }
    scaled(high, factor(high - low))
}

/// Integrand of [`js`]: `½ p ln(2p/(p+q)) + ½ q ln(2q/(p+q)) >= 0`.
///
/// With `x = max(p, q)` and `r = min/max = e^-delta`, it is
/// `½ x [ln(2/(1+r)) + r ln(2r/(1+r))]`, each logarithm in the form that keeps
/// its accuracy; 0 where both densities are 0 (or underflow together), never NaN
/// for non-NaN arguments, at most `½ (p + q) ln 2`.
pub fn js_integrand(ln_p: f64, ln_q: f64) -> f64 {
    by_larger(ln_p, ln_q, |delta| {
        let r = (-delta).exp();
        let r_minus_1 = (-delta).exp_m1();
        let ln_large = -(0.5 * r_minus_1).ln_1p();
        let small_term = if r == 0.0 {
            0.0
        } else if r >= 0.5 {
            r * (r_minus_1 / (1.0 + r)).ln_1p()
        } else {
            r * (LN_2 - delta - r.ln_1p())
        };
        0.5 * (ln_large + small_term).max(0.0)
    })
}

/// Integrand of [`total_variation`]: `½ |p - q| = ½ max(p, q) (1 - e^-delta)`.
/// Never NaN for non-NaN arguments.
pub fn tv_integrand(ln_p: f64, ln_q: f64) -> f64 {
    by_larger(ln_p, ln_q, |delta| -0.5 * (-delta).exp_m1())
}

/// Integrand of [`hellinger2`]: `½ (√p - √q)² = ½ max(p, q) (1 - e^(-delta/2))²`.
/// Never NaN for non-NaN arguments.
pub fn hellinger2_integrand(ln_p: f64, ln_q: f64) -> f64 {
    by_larger(ln_p, ln_q, |delta| 0.5 * (-0.5 * delta).exp_m1().powi(2))
}

/// Integrand of [`chi2`]: `(p - q)²/q`; 0 where both are 0, `+inf` where
/// `q = 0 < p`. Computed as `q (e^d - 1)²` with `d = ln p - ln q` for
/// `d <= 1`, and as `(p²/q) (1 - e^-d)²` through logarithms beyond.
/// Never NaN for non-NaN arguments.
pub fn chi2_integrand(ln_p: f64, ln_q: f64) -> f64 {
    chi2_integrand_times(ln_p, ln_q, 0.0)
}

/// [`chi2_integrand`] times `e^ln_factor`, the factor applied inside the
/// final exponential (so that a value beyond `f64::MAX` before scaling is
/// not lost), while `ln p - ln q` is formed from the unscaled logarithms.
fn chi2_integrand_times(ln_p: f64, ln_q: f64, ln_factor: f64) -> f64 {
    if ln_p.is_nan() || ln_q.is_nan() {
        return f64::NAN;
    }
    if ln_q == f64::NEG_INFINITY {
        return if ln_p == f64::NEG_INFINITY {
            0.0
        } else {
            f64::INFINITY
        };
    }
    if ln_p == f64::NEG_INFINITY {
        return (ln_q + ln_factor).exp();
    }
    if ln_p == f64::INFINITY || ln_q == f64::INFINITY {
        return f64::INFINITY;
    }
    let d = ln_p - ln_q;
    if d <= 1.0 {
        scaled(ln_q + ln_factor, d.exp_m1().powi(2))
    } else {
        scaled(2.0 * ln_p - ln_q + ln_factor, (-d).exp_m1().powi(2))
    }
}
