//! The Wasserstein GAN's game in closed form (Arjovsky, Chintala and Bottou
//! 2017; Gulrajani et al. 2017): the critic's objective, the gradient
//! penalty's interpolates and its per-point term, the exact optimal critic on
//! the line, and the certificate that turns any critic into a lower bound on
//! W1 (claim D1).
//!
//! Serves claim [D1](crate::proofs::d1_wgan).
//!
//! A critic is a real function `f` (no sigmoid). For distributions `p`
//! (data) and `q` (generated),
//!
//! ```text
//! critic objective     E_p f - E_q f                 (the critic maximises it)
//! critic loss          -(E_p f - E_q f) [+ penalty]  (what an optimiser descends)
//! generator loss       -E_q f                        (G descends it)
//! W1(p, q)           = max over 1-Lipschitz f of E_p f - E_q f   (Kantorovich-Rubinstein, claim C3)
//! ```
//!
//! **Lower bounds.** If `f` is `K`-Lipschitz on the support points of `p`
//! and `q` (`|f(a) - f(b)| <= K d(a, b)` for those points only, `K > 0`),
//! then `f / K` is 1-Lipschitz there and `(E_p f - E_q f) / K <= W1(p, q)`:
//! on a finite support the dual only constrains the values at the support
//! points (proof D1). [`lipschitz_on_points`] and [`lipschitz_on_line`]
//! measure `K` from the values; [`certified_estimate`] divides.
//!
//! **Gradient penalty.** WGAN-GP replaces the constraint by
//! `lambda (||grad_x f(x_hat)|| - 1)^2` at `x_hat = e x + (1 - e) x~`,
//! `x ~ p`, `x~ ~ q`, `e ~ U(0, 1)` ([`interpolates`] takes the draws `e`, so
//! it is deterministic); [`gradient_penalty`] and [`gradient_penalty_grad`]
//! are the term and its derivative in the input gradient `g`.
//!
//! # Example
//! ```
//! use gan_theory::Discrete;
//! use gan_theory::variants::wgan::{critic_objective, optimal_critic_on_line};
//! use gan_theory::transport::line::w1_histograms;
//! // p = (1/2, 1/2, 0), q = (0, 1/2, 1/2) on the points 0, 1, 2: W1 = 1.
//! let points = [0.0, 1.0, 2.0];
//! let p = Discrete::new(vec![0.5, 0.5, 0.0])?;
//! let q = Discrete::new(vec![0.0, 0.5, 0.5])?;
//! let f = optimal_critic_on_line(&points, &p, &q)?;
//! assert_eq!(f, vec![0.0, -1.0, -2.0]); // slope -1: p lies to the left of q
//! let gap = critic_objective(&p, &f, &q, &f)?;
//! assert_eq!(gap, w1_histograms(&points, &p, &q)?);
//! # Ok::<(), gan_theory::Error>(())
//! ```

use crate::error::{Error, Result, check_same_length};
use crate::measure::{Discrete, check_finite};
use crate::numeric::CompensatedSum;
use crate::transport::cost::{Metric, Points};

/// `E_p f - E_q f`, the critic's objective, for a critic given by its values
/// `f_p` at the support points of `p` and `f_q` at those of `q` (the same
/// slice twice when `p` and `q` live on the same points). Compensated sums;
/// points of zero mass are skipped.
///
/// The values are first centred at the midpoint `c` of their range:
/// `E_p (f - c) - E_q (f - c)` equals `E_p f - E_q f` for masses summing to
/// 1, and the stored masses' totals, which differ from 1 by rounding, then
/// multiply only the spread of `f`, not its level. (At the level, a nearly
/// constant critic, divided by its tiny Lipschitz constant in
/// [`certified_estimate`], could certify far above W1.) A constant critic
/// gets exactly 0.
///
/// Checked by claim [D1](crate::proofs::d1_wgan).
///
/// # Errors
/// [`Error::LengthMismatch`] when a value slice does not match its
/// distribution; [`Error::NotANumber`] / [`Error::Infinite`] for a bad value
/// (index within its slice).
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::wgan::critic_objective;
/// // E_p f - E_q f = (0.25 * 0 + 0.75 * 4) - (0.5 * 0 + 0.5 * 4) = 3 - 2:
/// let p = Discrete::new(vec![0.25, 0.75])?;
/// let q = Discrete::uniform(2)?;
/// assert_eq!(critic_objective(&p, &[0.0, 4.0], &q, &[0.0, 4.0])?, 1.0);
/// // p and q on different points: f(x) = x at p's {1, 3} and q's {0, 2, 4}.
/// let q3 = Discrete::new(vec![0.25, 0.5, 0.25])?;
/// assert_eq!(critic_objective(&p, &[1.0, 3.0], &q3, &[0.0, 2.0, 4.0])?, 0.5);
/// // A constant critic gets exactly 0, however large the constant:
/// assert_eq!(critic_objective(&p, &[1e300; 2], &q3, &[1e300; 3])?, 0.0);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn critic_objective(p: &Discrete, f_p: &[f64], q: &Discrete, f_q: &[f64]) -> Result<f64> {
    for (f, dist) in [(f_p, p), (f_q, q)] {
        check_same_length(f.len(), dist.len())?;
        check_finite(f)?;
    }
    let (low, high) = f_p
        .iter()
        .chain(f_q)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    // Halves first: no overflow near f64::MAX; clamped: a subnormal's half rounds.
    let centre = (0.5 * low + 0.5 * high).clamp(low, high);
    Ok(expectation(p, f_p, centre)? - expectation(q, f_q, centre)?)
}

/// `-(E_p f - E_q f)`, the loss the critic descends (without a penalty).
///
/// # Errors
/// As [`critic_objective`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::wgan::{critic_loss, critic_objective};
/// let p = Discrete::new(vec![0.25, 0.75])?;
/// let q = Discrete::uniform(2)?;
/// let f = [0.0, 4.0];
/// // -(E_p f - E_q f) = -(3 - 2):
/// assert_eq!(critic_loss(&p, &f, &q, &f)?, -1.0);
/// assert_eq!(critic_loss(&p, &f, &q, &f)?, -critic_objective(&p, &f, &q, &f)?);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn critic_loss(p: &Discrete, f_p: &[f64], q: &Discrete, f_q: &[f64]) -> Result<f64> {
    Ok(-critic_objective(p, f_p, q, f_q)?)
}

/// `-E_q f`, the loss the generator descends against the critic `f`.
///
/// # Errors
/// As [`critic_objective`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::wgan::generator_loss;
/// // -E_q f = -(0.25 * 0 + 0.5 * 2 + 0.25 * 4):
/// let q = Discrete::new(vec![0.25, 0.5, 0.25])?;
/// assert_eq!(generator_loss(&q, &[0.0, 2.0, 4.0])?, -2.0);
/// // Not centred: shifting f by c shifts the loss by -c.
/// assert_eq!(generator_loss(&q, &[10.0, 12.0, 14.0])?, -12.0);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn generator_loss(q: &Discrete, f_q: &[f64]) -> Result<f64> {
    Ok(-expectation(q, f_q, 0.0)?)
}

/// `E_p (f - centre)`, compensated, zero masses skipped, after validating `f`.
fn expectation(p: &Discrete, f: &[f64], centre: f64) -> Result<f64> {
    check_same_length(f.len(), p.len())?;
    check_finite(f)?;
    let mut sum = CompensatedSum::new();
    for (&mass, &value) in p.as_slice().iter().zip(f) {
        if mass != 0.0 {
            sum.add(mass * (value - centre));
        }
    }
    Ok(sum.value())
}

/// The gradient penalty's sample points `x_hat_i = e_i x_i + (1 - e_i) x~_i`
/// for paired rows of `real` (`x_i ~ p`) and `fake` (`x~_i ~ q`) and the
/// uniform draws `e_i` (Gulrajani et al. 2017, Algorithm 1, line 6). `e = 1`
/// gives `x_i` and `e = 0` gives `x~_i` exactly.
///
/// # Errors
/// [`Error::DimensionMismatch`] when the two sets differ in dimension;
/// [`Error::LengthMismatch`] when `real`, `fake` and `e` differ in length;
/// [`Error::NotANumber`] or [`Error::OutOfRange`] for a draw outside `[0, 1]`.
///
/// # Example
/// ```
/// use gan_theory::transport::Points;
/// use gan_theory::variants::wgan::interpolates;
/// let real = Points::new(vec![vec![0.0, 0.0], vec![1.0, 1.0]])?;
/// let fake = Points::new(vec![vec![4.0, 2.0], vec![3.0, 3.0]])?;
/// let x_hat = interpolates(&real, &fake, &[0.25, 1.0])?;
/// assert_eq!(x_hat.point(0), &[3.0, 1.5]);
/// assert_eq!(x_hat.point(1), &[1.0, 1.0]);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn interpolates(real: &Points, fake: &Points, e: &[f64]) -> Result<Points> {
    if real.dim() != fake.dim() {
        return Err(Error::DimensionMismatch {
            left: real.dim(),
            right: fake.dim(),
        });
    }
    check_same_length(real.len(), fake.len())?;
    check_same_length(real.len(), e.len())?;
    crate::measure::check_unit_interval(e)?;
    let dim = real.dim();
    let mut data = Vec::with_capacity(real.len() * dim);
    for (i, &t) in e.iter().enumerate() {
        for (&x, &y) in real.point(i).iter().zip(fake.point(i)) {
            data.push(interpolate(x, y, t));
        }
    }
    Points::from_flat(real.len(), dim, data)
}

/// `t x + (1 - t) y`, exact at both ends; stays between `x` and `y` (the
/// two rounded products can leave that interval by an ulp, for `x = y` in
/// about 1% of draws, so the result is brought back into it; comparisons
/// rather than `clamp`, which would panic on a NaN bound, and a NaN passes
/// through).
#[inline]
pub(crate) fn interpolate(x: f64, y: f64, t: f64) -> f64 {
    let (low, high) = (x.min(y), x.max(y));
    let value = t * x + (1.0 - t) * y;
    if value < low {
        low
    } else if value > high {
        high
    } else {
        value
    }
}

/// `lambda (||g|| - 1)^2` for an input gradient `g` (Euclidean norm, computed
/// without overflow or underflow of the squares).
///
/// Checked by claim [D1](crate::proofs::d1_wgan).
///
/// # Errors
/// [`Error::InvalidParameter`] unless `lambda >= 0` is finite;
/// [`Error::Empty`] for an empty `g`; [`Error::NotANumber`] /
/// [`Error::Infinite`] for a bad entry.
///
/// # Example
/// ```
/// use gan_theory::variants::wgan::gradient_penalty;
/// assert_eq!(gradient_penalty(&[3.0, 4.0], 10.0)?, 160.0); // 10 (5 - 1)^2
/// assert_eq!(gradient_penalty(&[0.6, 0.8], 10.0)?, 0.0);   // unit norm: no penalty
/// assert_eq!(gradient_penalty(&[0.0], 10.0)?, 10.0);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn gradient_penalty(g: &[f64], lambda: f64) -> Result<f64> {
    check_penalty_input(g, lambda)?;
    let norm = norm_and_direction(g, None);
    Ok(lambda * (norm - 1.0) * (norm - 1.0))
}

/// The derivative of [`gradient_penalty`] in `g`:
/// `2 lambda (||g|| - 1) g / ||g||` for `g != 0`.
///
/// At `g = 0` the penalty is not differentiable (`||g||` has a cone there,
/// and near 0 the penalty is `lambda (1 - 2 ||g||) + O(||g||^2)`). We return
/// **0** there, the element of smallest norm of its Clarke generalised
/// gradient (the ball of radius `2 lambda`), which is also what PyTorch's
/// `norm` backward gives at 0. Finite for every finite `g`, never NaN.
///
/// # Errors
/// As [`gradient_penalty`].
///
/// # Example
/// ```
/// use gan_theory::variants::wgan::gradient_penalty_grad;
/// assert_eq!(gradient_penalty_grad(&[3.0, 4.0], 10.0)?, vec![48.0, 64.0]);
/// assert_eq!(gradient_penalty_grad(&[0.0, 0.0], 10.0)?, vec![0.0, 0.0]);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn gradient_penalty_grad(g: &[f64], lambda: f64) -> Result<Vec<f64>> {
    check_penalty_input(g, lambda)?;
    let mut out = vec![0.0; g.len()];
    penalty_term(g, lambda, 1.0, 1.0, &mut out);
    Ok(out)
}

fn check_penalty_input(g: &[f64], lambda: f64) -> Result<()> {
    if !(lambda.is_finite() && lambda >= 0.0) {
        return Err(Error::InvalidParameter {
            name: "lambda",
            value: lambda,
            requirement: "the penalty weight must be finite and >= 0",
        });
    }
    if g.is_empty() {
        return Err(Error::Empty);
    }
    check_finite(g)
}

/// Unchecked core for the models layer: returns `lambda (||g|| - t)^2` and
/// writes `scale` times its derivative in `g` into `out` (0 at `g = 0`);
/// `t = 1` is the gradient penalty, `t = 0` the R1 penalty `lambda ||g||^2`.
pub(crate) fn penalty_term(
    g: &[f64],
    lambda: f64,
    target: f64,
    scale: f64,
    out: &mut [f64],
) -> f64 {
    let norm = norm_and_direction(g, Some(out));
    let factor = scale * 2.0 * lambda * (norm - target);
    for o in out.iter_mut() {
        *o *= factor;
    }
    lambda * (norm - target) * (norm - target)
}

/// `||g||`, and `g / ||g||` into `direction` when given (0 for `g = 0`).
/// Scaled by the largest `|g_k|`, so no square overflows or underflows.
fn norm_and_direction(g: &[f64], direction: Option<&mut [f64]>) -> f64 {
    let largest = g.iter().fold(0.0f64, |m, x| m.max(x.abs()));
    if largest == 0.0 || !largest.is_finite() {
        if let Some(d) = direction {
            d.iter_mut().for_each(|x| *x = 0.0);
        }
        return largest;
    }
    let scaled_norm = g
        .iter()
        .map(|x| (x / largest) * (x / largest))
        .sum::<f64>()
        .sqrt();
    if let Some(d) = direction {
        for (o, &x) in d.iter_mut().zip(g) {
            *o = (x / largest) / scaled_norm;
        }
    }
    largest * scaled_norm
}

/// The optimal 1-Lipschitz critic between `p` and `q` on points of the line,
/// at each point (in the given order):
///
/// $$f(x) = \int_{x_{\min}}^{x} \operatorname{sign}\bigl(F_q(t) - F_p(t)\bigr) \, dt .$$
///
/// Why: for `f` with `|f'| <= 1`, integrating by parts,
/// `E_p f - E_q f = \int f'(t) (F_q(t) - F_p(t)) dt <= \int |F_q - F_p| = W1`,
/// with equality for the slope `sign(F_q - F_p)` (proof D1). So
/// `E_p f - E_q f = W1(p, q)` (C2), `f` is 1-Lipschitz, and `f(x_min) = 0`
/// fixes the free constant. Between the points `f` is linear; where the
/// two CDFs agree it is flat. Repeated points get the same value.
///
/// # Errors
/// [`Error::LengthMismatch`] when the lengths differ; [`Error::NotANumber`]
/// / [`Error::Infinite`] for a bad point.
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::transport::line::w1_histograms;
/// use gan_theory::variants::wgan::{critic_objective, lipschitz_on_line, optimal_critic_on_line};
/// // Points in any order; p is the point mass at 0, q halves at 1 and 3.
/// let points = [3.0, 0.0, 1.0];
/// let p = Discrete::new(vec![0.0, 1.0, 0.0])?;
/// let q = Discrete::new(vec![0.5, 0.0, 0.5])?;
/// let f = optimal_critic_on_line(&points, &p, &q)?;
/// // F_p > F_q on [0, 3): slope -1 throughout, f(x_min) = f(0) = 0.
/// assert_eq!(f, vec![-3.0, 0.0, -1.0]);
/// assert_eq!(lipschitz_on_line(&points, &f)?, 1.0);
/// // It attains W1 = 0.5 * 3 + 0.5 * 1 = 2:
/// assert_eq!(critic_objective(&p, &f, &q, &f)?, 2.0);
/// assert_eq!(w1_histograms(&points, &p, &q)?, 2.0);
/// // Where the CDFs agree (on [0, 1) here) the critic is flat:
/// let p = Discrete::new(vec![0.5, 0.5, 0.0])?;
/// let q = Discrete::new(vec![0.5, 0.0, 0.5])?;
/// let f = optimal_critic_on_line(&[0.0, 1.0, 2.0], &p, &q)?;
/// assert_eq!(f, vec![0.0, 0.0, -1.0]);
/// assert_eq!(critic_objective(&p, &f, &q, &f)?, 0.5);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn optimal_critic_on_line(points: &[f64], p: &Discrete, q: &Discrete) -> Result<Vec<f64>> {
    check_same_length(points.len(), p.len())?;
    check_same_length(p.len(), q.len())?;
    check_finite(points)?;
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[a].total_cmp(&points[b]));
    let mut values = vec![0.0; points.len()];
    // Running F_p - F_q (compensated) just right of the current point.
    let mut excess = CompensatedSum::new();
    let mut value = 0.0;
    for (k, &i) in order.iter().enumerate() {
        if k > 0 {
            let gap = points[i] - points[order[k - 1]];
            let cdf_gap = excess.value();
            // slope = sign(F_q - F_p) = -sign(F_p - F_q)
            if cdf_gap > 0.0 {
                value -= gap;
            } else if cdf_gap < 0.0 {
                value += gap;
            }
        }
        values[i] = value;
        excess.add(p[i]);
        excess.add(-q[i]);
    }
    Ok(values)
}

/// The largest `|f(x_i) - f(x_j)| / d(x_i, x_j)` over pairs of `points` at
/// positive distance (0 for fewer than two distinct points): the Lipschitz
/// constant of the critic restricted to those points, from its `values`.
/// Two copies of a point (distance 0) with different values admit no finite
/// constant: the result is then `+inf`. O(n^2) pairs.
///
/// # Errors
/// [`Error::LengthMismatch`] when `values` does not have one entry per point;
/// [`Error::NotANumber`] / [`Error::Infinite`] for a bad value.
///
/// # Example
/// ```
/// use gan_theory::transport::{Metric, Points};
/// use gan_theory::variants::wgan::lipschitz_on_points;
/// // f(x, y) = 3x + 4y at (0, 0), (3, 4), (1, 0):
/// let points = Points::new(vec![vec![0.0, 0.0], vec![3.0, 4.0], vec![1.0, 0.0]])?;
/// let f = [0.0, 25.0, 3.0];
/// // Euclidean: at most |(3, 4)|_2 = 5, attained along (3, 4).
/// assert_eq!(lipschitz_on_points(&points, &f, Metric::Euclidean)?, 5.0);
/// // Cityblock: at most |(3, 4)|_inf = 4; the best pair gives 22 / 6.
/// let k1 = lipschitz_on_points(&points, &f, Metric::Cityblock)?;
/// assert!(k1 <= 4.0);
/// assert_eq!(k1, 22.0 / 6.0);
/// // Two values at one point admit no finite constant:
/// let twice = Points::new(vec![vec![1.0, 1.0], vec![1.0, 1.0]])?;
/// assert_eq!(lipschitz_on_points(&twice, &[0.0, 1.0], Metric::Euclidean)?, f64::INFINITY);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn lipschitz_on_points(points: &Points, values: &[f64], metric: Metric) -> Result<f64> {
    check_same_length(values.len(), points.len())?;
    check_finite(values)?;
    let mut worst = 0.0f64;
    for a in 0..points.len() {
        for b in a + 1..points.len() {
            let d = metric.distance(points.point(a), points.point(b));
            worst = worst.max(slope(values[a], values[b], d));
        }
    }
    Ok(worst)
}

/// `|f_a - f_b| / d`, with `0 / 0 = 0` and `+inf` for different values at `d = 0`.
fn slope(f_a: f64, f_b: f64, d: f64) -> f64 {
    let rise = (f_a - f_b).abs();
    if rise == 0.0 { 0.0 } else { rise / d }
}

/// [`lipschitz_on_points`] for points of the line in O(n log n): the slope of
/// any chord is a weighted mean of the slopes between neighbours in sorted
/// order, so the largest is between neighbours (copies of a point are
/// neighbours, so different values at one point give `+inf` here too).
///
/// Checked by claim [D1](crate::proofs::d1_wgan).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::NotANumber`] / [`Error::Infinite`]
/// for a bad point, then for a bad value.
///
/// # Example
/// ```
/// use gan_theory::variants::wgan::lipschitz_on_line;
/// // f = |x| on -1, 0, 2: slopes 1 and 1; f = x^2 on the same: 1 and 2.
/// assert_eq!(lipschitz_on_line(&[2.0, -1.0, 0.0], &[2.0, 1.0, 0.0])?, 1.0);
/// assert_eq!(lipschitz_on_line(&[2.0, -1.0, 0.0], &[4.0, 1.0, 0.0])?, 2.0);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn lipschitz_on_line(points: &[f64], values: &[f64]) -> Result<f64> {
    check_same_length(values.len(), points.len())?;
    check_finite(points)?;
    check_finite(values)?;
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| points[a].total_cmp(&points[b]));
    Ok(sorted_line_lipschitz(points, values, &order))
}

/// The largest neighbour slope along `order` (indices sorted by point).
pub(crate) fn sorted_line_lipschitz(points: &[f64], values: &[f64], order: &[usize]) -> f64 {
    let mut worst = 0.0f64;
    for pair in order.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        worst = worst.max(slope(values[b], values[a], points[b] - points[a]));
    }
    worst
}

/// `objective / lipschitz`: a critic whose objective is `E_p f - E_q f` and
/// whose Lipschitz constant on the support points is `lipschitz` gives this
/// lower bound on `W1(p, q)`. A critic constant on the support
/// (`lipschitz = 0`) gives 0 (its objective is 0 up to the rounding of the
/// masses' totals), and so does `lipschitz = +inf` (no finite constant:
/// only the trivial bound `W1 >= 0` is certified).
///
/// Checked by claim [D1](crate::proofs::d1_wgan).
///
/// # Errors
/// [`Error::InvalidParameter`] for a negative or NaN `lipschitz` or a
/// non-finite objective.
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::transport::line::w1_histograms;
/// use gan_theory::variants::wgan::{certified_estimate, critic_objective, lipschitz_on_line};
/// // p = (1/2, 1/2, 0), q = (0, 1/2, 1/2) on 0, 1, 2: W1 = 1.
/// let points = [0.0, 1.0, 2.0];
/// let p = Discrete::new(vec![0.5, 0.5, 0.0])?;
/// let q = Discrete::new(vec![0.0, 0.5, 0.5])?;
/// // The critic f = -x^2 is 3-Lipschitz on these points, objective 2:
/// let f = [0.0, -1.0, -4.0];
/// let objective = critic_objective(&p, &f, &q, &f)?;
/// let k = lipschitz_on_line(&points, &f)?;
/// assert_eq!((objective, k), (2.0, 3.0));
/// let bound = certified_estimate(objective, k)?;
/// assert_eq!(bound, 2.0 / 3.0);
/// assert!(bound <= w1_histograms(&points, &p, &q)?);
/// // No finite or a zero constant certifies only W1 >= 0:
/// assert_eq!(certified_estimate(objective, f64::INFINITY)?, 0.0);
/// assert_eq!(certified_estimate(0.0, 0.0)?, 0.0);
/// assert!(certified_estimate(objective, -1.0).is_err());
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn certified_estimate(objective: f64, lipschitz: f64) -> Result<f64> {
    if lipschitz.is_nan() || lipschitz < 0.0 {
        return Err(Error::InvalidParameter {
            name: "lipschitz",
            value: lipschitz,
            requirement: "must be >= 0 (+inf allowed)",
        });
    }
    if !objective.is_finite() {
        return Err(Error::InvalidParameter {
            name: "objective",
            value: objective,
            requirement: "must be finite",
        });
    }
    Ok(if lipschitz == 0.0 || lipschitz == f64::INFINITY {
        0.0
    } else {
        objective / lipschitz
    })
}
