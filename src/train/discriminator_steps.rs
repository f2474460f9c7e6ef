//! How far `k` exact gradient-ascent steps bring a tabular discriminator, and
//! what the generator's gradient is against it: the bounds of claim
//! [F3](crate::proofs::f3_discriminator_steps), each derived in its proof.
//!
//! The discriminator has one logit per point, `D(x_i) = sigma(l_i)`, and
//! ascends `V(D, G) = sum_i a_i ln sigma(l_i) + b_i ln sigma(-l_i)` with
//! `a = p_data`, `b = p_g` fixed, by steps
//! `l <- l + step (a sigma(-l) - b sigma(l))`
//! ([`TabularDiscriminator::value_gradient`](crate::tabular::TabularDiscriminator::value_gradient)).
//! `V` is a sum of one concave function per logit with curvature
//! `(a_i + b_i) sigma(l) sigma(-l)`, so each logit moves on its own:
//!
//! - where both masses are positive, the error `l - l*` (`l* = ln(a/b)`)
//!   shrinks at every step by a factor in the interval of
//!   [`ascent_factor_bounds`], and after `k` steps it is at most
//!   [`contraction_factor`]`^k` times its start: geometric in `k`. The
//!   saturating generator gradient against `D_k` is then within
//!   [`gradient_gap_bound`] of the gradient of `2 JSD` (claim A7);
//! - where only `p_g` has mass (disjoint supports, `D* = 0` there), `D`
//!   falls towards 0 like `1/(step b k)` ([`rejection_bound`]); the
//!   saturating gradient is at most [`saturating_gradient_bound`] (Arjovsky
//!   and Bottou 2017, Theorem 2.4, for a tabular generator), while the
//!   non-saturating one tends to [`non_saturating_limit`], the gradient of
//!   `-H(p_g)`, within [`non_saturating_limit_bound`].

use crate::error::{Error, Result};
use crate::measure::Discrete;
use crate::numeric::sigmoid;

/// `sigma(l) sigma(-l)`.
fn curvature(l: f64) -> f64 {
    sigmoid(l) * sigmoid(-l)
}

/// Checks a mass and a step: finite, mass in `(0, 2]`, step in
/// `(0, 4 / mass]` (no overshoot).
fn check_step(mass: f64, step: f64) -> Result<()> {
    if !(mass > 0.0 && mass <= 2.0) {
        return Err(Error::InvalidParameter {
            name: "a + b",
            value: mass,
            requirement: "must lie in (0, 2]",
        });
    }
    if !(step > 0.0 && step * mass <= 4.0) {
        return Err(Error::InvalidParameter {
            name: "step",
            value: step,
            requirement: "must lie in (0, 4 / (a + b)] (no overshoot)",
        });
    }
    Ok(())
}

/// The interval `[low, high]` that contains the factor `e_{t+1} / e_t` by
/// which one ascent step of size `step` multiplies the error `e_t = l_t - l*`
/// of a logit with masses `a, b > 0` (`l* = ln(a / b)`), from the logit
/// `from = l_t`:
/// `low = 1 - step (a + b) max s`, `high = 1 - step (a + b) min s`, with
/// `s(l) = sigma(l) sigma(-l)` over the segment between `l_t` and `l*`
/// (its maximum is 1/4 when the segment contains 0, else at the end nearer
/// 0; its minimum at the other end). By the mean value theorem (F3 proof,
/// step 1). With `step <= 4 / (a + b)` the factor is in `[0, 1)`: the logit
/// never overshoots `l*` and its error shrinks at every step.
///
/// Checked by claim [F3](crate::proofs::f3_discriminator_steps).
///
/// # Errors
/// [`Error::InvalidParameter`] when `a` or `b` is not positive, `a + b > 2`,
/// or the step is not in `(0, 4 / (a + b)]`.
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::tabular::TabularDiscriminator;
/// use gan_theory::train::discriminator_steps::ascent_factor_bounds;
/// let (p, q) = (Discrete::new(vec![0.7, 0.3])?, Discrete::new(vec![0.2, 0.8])?);
/// let d = TabularDiscriminator::new(vec![-2.0, 1.5])?;
/// let next = d.moved(&d.value_gradient(&p, &q)?, 2.0)?;
/// for i in 0..2 {
///     let target = (p[i] / q[i]).ln();
///     let factor = (next.logits()[i] - target) / (d.logits()[i] - target);
///     let (low, high) = ascent_factor_bounds(p[i], q[i], 2.0, d.logits()[i])?;
///     assert!(0.0 <= low && low <= factor && factor <= high && high < 1.0);
/// }
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn ascent_factor_bounds(a: f64, b: f64, step: f64, from: f64) -> Result<(f64, f64)> {
    if !(a > 0.0 && b > 0.0) {
        return Err(Error::InvalidParameter {
            name: "a, b",
            value: a.min(b),
            requirement: "both masses must be positive (l* is finite)",
        });
    }
    check_step(a + b, step)?;
    let target = a.ln() - b.ln();
    let (s_from, s_target) = (curvature(from), curvature(target));
    let largest = if (from <= 0.0) == (target <= 0.0) {
        s_from.max(s_target)
    } else {
        0.25
    };
    let smallest = s_from.min(s_target);
    let k = step * (a + b);
    Ok((1.0 - k * largest, 1.0 - k * smallest))
}

/// The factor `rho = 1 - step (a + b) min(s(l_0), s(l*))` that bounds the
/// error after `k` ascent steps from the logit `start = l_0`:
/// `|l_k - l*| <= rho^k |l_0 - l*|` (F3 proof, step 2: the iterates stay
/// between `l_0` and `l*`, where `s` is at least its smaller end value). Near
/// `l*` the factor per step tends to `1 - step a b / (a + b)`.
///
/// Checked by claim [F3](crate::proofs::f3_discriminator_steps).
///
/// # Errors
/// As [`ascent_factor_bounds`].
///
/// # Example
/// ```
/// use gan_theory::train::discriminator_steps::contraction_factor;
/// // a = b = 1/2 and a start at l* = 0: the factor is 1 - step / 4.
/// assert!((contraction_factor(0.5, 0.5, 2.0, 0.0)? - 0.5).abs() < 1e-15);
/// // A start far from 0 contracts slowly at first: s(8) is about 3e-4.
/// assert!(contraction_factor(0.5, 0.5, 2.0, 8.0)? > 0.999);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn contraction_factor(a: f64, b: f64, step: f64, start: f64) -> Result<f64> {
    ascent_factor_bounds(a, b, step, start)?;
    let target = a.ln() - b.ln();
    Ok(1.0 - step * (a + b) * curvature(start).min(curvature(target)))
}

/// A bound on `|grad_u E_{p_g}[ln(1 - D)] - grad_u 2 JSD(p_data || p_g)|_2`
/// for a softmax generator with logits `u` when every logit of `D` is within
/// `largest_logit_error` of `l* = ln(p_data / p_g)`:
/// `2 |p_g|_2 largest_logit_error` (F3 proof, step 3; the gradient at `D*`
/// is that of `2 JSD` by claim A7, and `ln(1 - sigma(l))` is 1-Lipschitz in `l`).
///
/// Checked by claim [F3](crate::proofs::f3_discriminator_steps).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, tabular::{TabularDiscriminator, TabularGenerator}};
/// use gan_theory::train::discriminator_steps::gradient_gap_bound;
/// let (p, q) = (Discrete::new(vec![0.7, 0.3])?, Discrete::new(vec![0.2, 0.8])?);
/// let g = TabularGenerator::from_distribution(&q)?;
/// let optimal = TabularDiscriminator::optimal(&p, &q)?;
/// let near = optimal.moved(&[0.01, -0.02], 1.0)?;
/// let gap: f64 = g.saturating_gradient(&near.discriminator())?.iter()
///     .zip(g.c_of_g_gradient(&p)?).map(|(x, y)| (x - y).powi(2)).sum::<f64>().sqrt();
/// assert!(gap <= gradient_gap_bound(&q, 0.02));
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn gradient_gap_bound(p_g: &Discrete, largest_logit_error: f64) -> f64 {
    2.0 * l2_norm(p_g) * largest_logit_error
}

fn l2_norm(p: &Discrete) -> f64 {
    p.as_slice().iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// Arjovsky and Bottou's Theorem 2.4 for a softmax generator whose points
/// the data does not charge, where the perfect discriminator is `D* = 0`: if
/// `D <= epsilon < 1` on every point of `p_g`, then
/// `|grad_u E_{p_g}[ln(1 - D)]|_2 <= |p_g|_2 epsilon / (1 - epsilon)`. The
/// norm `|p_g|_2 <= 1` plays the role of the theorem's bound `M` on the
/// generator's Jacobian (F3 proof, step 4).
///
/// Checked by claim [F3](crate::proofs::f3_discriminator_steps).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, Discriminator, tabular::TabularGenerator};
/// use gan_theory::train::discriminator_steps::saturating_gradient_bound;
/// let q = Discrete::new(vec![0.6, 0.3, 0.1])?;
/// let g = TabularGenerator::from_distribution(&q)?;
/// let d = Discriminator::from_probabilities(vec![0.01, 0.002, 0.03])?;
/// let norm = g.saturating_gradient(&d)?.iter().map(|x| x * x).sum::<f64>().sqrt();
/// assert!(norm <= saturating_gradient_bound(&q, 0.03));
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn saturating_gradient_bound(p_g: &Discrete, epsilon: f64) -> f64 {
    l2_norm(p_g) * epsilon / (1.0 - epsilon)
}

/// After `k` ascent steps of any size `step > 0` from `D = 1/2` at a point
/// where `p_g` has mass `b` and `p_data` none: `D_k <= 2 / (4 + step b k)`
/// (F3 proof, step 5).
///
/// Checked by claim [F3](crate::proofs::f3_discriminator_steps).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, tabular::TabularDiscriminator};
/// use gan_theory::train::discriminator_steps::rejection_bound;
/// let (p, q) = (Discrete::new(vec![1.0, 0.0])?, Discrete::new(vec![0.0, 1.0])?);
/// let mut d = TabularDiscriminator::half(2)?;
/// for _ in 0..100 {
///     d = d.moved(&d.value_gradient(&p, &q)?, 1.0)?;
/// }
/// assert!(d.probability(1) <= rejection_bound(1.0, 1.0, 100));   // 2/104
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn rejection_bound(b: f64, step: f64, k: usize) -> f64 {
    2.0 / (4.0 + step * b * k as f64)
}

/// The interval that contains `y_k = 1 + e^{-l_k} = 1 / D_k` after `k` ascent
/// steps of size `step` from `D = 1/2` at a point where
/// `p_g` has mass `b` and `p_data` none (F3 proof, step 6):
///
/// ```text
/// 2 + step b k - step b S_k  <=  y_k  <=  2 + step b k + (step b)^2 e^{step b / 2} S_k / 2,
/// S_k = sum_{t < k} 2 / (4 + step b t).
/// ```
///
/// Both ends are `step b k (1 + O(ln k / k))`. Only the product `step b`
/// enters: the same recursion, `m <- m + step b sigma(-m)` for `m = -l`,
/// describes the margin of a logistic discriminator fitted to two point
/// masses (claim F7).
///
/// Checked by claim [F3](crate::proofs::f3_discriminator_steps).
///
/// # Errors
/// [`Error::InvalidParameter`] unless `step b` is finite and positive.
///
/// # Example
/// ```
/// use gan_theory::{Discrete, tabular::TabularDiscriminator};
/// use gan_theory::train::discriminator_steps::escape_interval;
/// let (p, q) = (Discrete::new(vec![1.0, 0.0])?, Discrete::new(vec![0.0, 1.0])?);
/// let mut d = TabularDiscriminator::half(2)?;
/// for _ in 0..1000 {
///     d = d.moved(&d.value_gradient(&p, &q)?, 0.5)?;
/// }
/// let y = 1.0 + (-d.logits()[1]).exp();
/// let (low, high) = escape_interval(1.0, 0.5, 1000)?;
/// // The interval is a few per cent of y wide, and narrows like ln k / k.
/// assert!(low <= y && y <= high && high - low < 0.05 * y);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn escape_interval(b: f64, step: f64, k: usize) -> Result<(f64, f64)> {
    let rate = step * b;
    if !(rate > 0.0 && rate.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "step b",
            value: rate,
            requirement: "must be finite and > 0",
        });
    }
    let sum = crate::numeric::sum((0..k).map(|t| 2.0 / (4.0 + rate * t as f64)));
    let linear = 2.0 + rate * k as f64;
    Ok((
        linear - rate * sum,
        linear + rate * rate * (rate / 2.0).exp() * sum / 2.0,
    ))
}

/// The limit of the non-saturating generator gradient `grad_u E_{p_g}[-ln D_k]`
/// as `k -> infinity` on disjoint supports, `D_k` from `D = 1/2`:
/// `p_g (ln p_g - E_{p_g} ln p_g)`, the gradient of `-H(p_g)` in the softmax
/// logits (F3 proof, step 6). `p_g` is the generator's distribution on its
/// own points (every entry positive).
///
/// Checked by claim [F3](crate::proofs::f3_discriminator_steps).
///
/// # Errors
/// [`Error::InvalidParameter`] for a zero entry.
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::train::discriminator_steps::non_saturating_limit;
/// // Uniform p_g: -H is stationary, the limit is 0.
/// assert!(non_saturating_limit(&Discrete::uniform(3)?)?.iter().all(|x| x.abs() < 1e-16));
/// let limit = non_saturating_limit(&Discrete::new(vec![0.75, 0.25])?)?;
/// let ln3 = 3f64.ln();
/// assert!((limit[0] - 0.75 * 0.25 * ln3).abs() < 1e-15 && (limit[0] + limit[1]).abs() < 1e-16);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn non_saturating_limit(p_g: &Discrete) -> Result<Vec<f64>> {
    let p = p_g.as_slice();
    if let Some(i) = p.iter().position(|&x| x == 0.0) {
        return Err(Error::InvalidParameter {
            name: "zero-mass index of p_g",
            value: i as f64,
            requirement: "the generator's own points all have mass",
        });
    }
    let mean = crate::numeric::sum(p.iter().map(|x| x * x.ln()));
    Ok(p.iter().map(|x| x * (x.ln() - mean)).collect())
}

/// A bound on `|grad_u E_{p_g}[-ln D_k] - non_saturating_limit(p_g)|_2` after
/// `k >= 1` ascent steps of size `step` from `D = 1/2`, with `p_g` on points
/// the data does not charge:
/// `|p_g|_2 (max_j hi_j - min_j lo_j)`, where `[lo_j, hi_j]` is the interval
/// of `ln(y_j / (step b_j k))` from [`escape_interval`] (F3 proof, step 6).
/// It tends to 0 like `ln k / k`.
///
/// Checked by claim [F3](crate::proofs::f3_discriminator_steps).
///
/// # Errors
/// As [`escape_interval`] and [`non_saturating_limit`]; `k = 0` is refused.
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::train::discriminator_steps::non_saturating_limit_bound;
/// let q = Discrete::new(vec![0.6, 0.3, 0.1])?;
/// let (early, late) = (non_saturating_limit_bound(&q, 1.0, 100)?,
///                      non_saturating_limit_bound(&q, 1.0, 10_000)?);
/// assert!(late < early / 20.0 && late < 0.01);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn non_saturating_limit_bound(p_g: &Discrete, step: f64, k: usize) -> Result<f64> {
    non_saturating_limit(p_g)?;
    if k == 0 {
        return Err(Error::InvalidParameter {
            name: "k",
            value: 0.0,
            requirement: "at least one step",
        });
    }
    let (mut lowest, mut highest) = (f64::INFINITY, f64::NEG_INFINITY);
    for &b in p_g.as_slice() {
        let (low, high) = escape_interval(b, step, k)?;
        let scale = step * b * k as f64;
        lowest = lowest.min((low / scale).ln());
        highest = highest.max((high / scale).ln());
    }
    Ok(l2_norm(p_g) * (highest - lowest))
}
