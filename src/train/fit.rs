//! Claim B4: maximum likelihood is minimum KL, on the 45 balls of BrightLamp's note.
//!
//! Serves claim [B4](crate::proofs::b4_maximum_likelihood).
//!
//! BrightLamp's Chinese note *生成对抗网络 GAN 的数学原理* (2019; see
//! [`sources`](crate::sources)) puts 45 balls numbered 1..9 in a box, with counts
//! [`NOTE_BALL_COUNTS`] = (2, 4, 6, 8, 9, 7, 5, 3, 1); the data
//! distribution is `q = counts / 45`. Two models are fitted to it.
//!
//! 1. [`QuadraticExponentialFamily`], a discretised Gaussian on the labels
//!    `x = 1..n`:
//!
//!    ```text
//!    p_theta(x) = exp(theta1 u + theta2 u^2 - A(theta)),   u = (x - c) / s,
//!    c = (n + 1) / 2,  s = (n - 1) / 2,  A(theta) = ln sum_x exp(theta1 u + theta2 u^2)
//!    ```
//!
//!    It is a probability vector for every finite `theta`. Centring and
//!    scaling `x` to `u` in `[-1, 1]` keeps the two statistics `u`, `u^2` of
//!    order 1, so the Hessian of either objective is well conditioned; it does
//!    not change the family (`theta1 u + theta2 u^2` is any quadratic in `x`
//!    up to the constant that `A` absorbs).
//!    It is fitted two ways:
//!    - by maximum likelihood, [`fit_maximum_likelihood`]: minimise the
//!      [`NegativeLogLikelihood`] `-E_q ln p_theta = KL(q || p_theta) + H(q)`;
//!    - by the note's L2 loss, [`fit_least_squares`]: minimise the
//!      [`SquaredError`] `sum_x (p_theta(x) - q(x))^2`.
//! 2. The note's own model `theta1 (x + theta2)^2 + theta3` by L2,
//!    [`fit_seed_quadratic`]. It is **not** a probability family (it can be
//!    negative, and the seed's example sums to 1.2); its L2 fit is linear
//!    least squares in disguise, solved independently by
//!    [`seed_quadratic_normal_equations`].
//!
//! Every fit runs argmin's L-BFGS (More-Thuente line search) from a fixed
//! start until the gradient norm is below 1e-6, then a damped
//! Newton method with the analytic Hessian and a backtracking line search
//! (first on the objective, then, once the objective's decrease drowns in
//! its rounding error, on the gradient norm), until the gradient target and
//! a squared Newton decrement of 1e-30 are met or rounding stops progress. (The L2
//! fit of the family starts from the maximum-likelihood estimate and also
//! tries damped Newton alone, see [`fit_least_squares`].) The result is
//! deterministic, and a fit returns [`Error::NotConverged`] unless the
//! gradient norm at the returned point is below its target and, for the two
//! L2 fits, whose losses are not convex, the point is a strict local
//! minimum to working precision: positive definite Hessian, Newton step
//! below [`NEWTON_STEP_TARGET`].
//!
//! # Example
//! ```
//! use gan_theory::divergence::kl;
//! use gan_theory::train::fit::{fit_least_squares, fit_maximum_likelihood, note_balls};
//! let q = note_balls();
//! let ml = fit_maximum_likelihood(&q)?;
//! let l2 = fit_least_squares(&q)?;
//! // The maximum-likelihood fit is the one closer to q in KL(q || p):
//! assert!(kl(&q, &ml.distribution)? < kl(&q, &l2.distribution)?);
//! # Ok::<(), gan_theory::Error>(())
//! ```

pub use super::minimise::NEWTON_STEP_TARGET;
use super::minimise::{Certificate, Minimum, Phases, minimise};
use crate::error::{Error, Result};
use crate::measure::Discrete;
use crate::numeric::{self, CompensatedSum};
use argmin::core::{CostFunction, Gradient, Hessian};
use nalgebra::{Matrix2, Matrix3, Vector2, Vector3};

/// The note's box: how many of the 45 balls carry each label 1, 2, ..., 9.
pub const NOTE_BALL_COUNTS: [f64; 9] = [2.0, 4.0, 6.0, 8.0, 9.0, 7.0, 5.0, 3.0, 1.0];

/// The note's example parameters `(theta1, theta2, theta3) = (-0.01, -5.0, 0.2)`
/// of its quadratic `theta1 (x + theta2)^2 + theta3`, offered there as "one
/// possible" L2 fit; it is not the L2 optimum, and its values sum to 1.2.
pub const NOTE_THETA: [f64; 3] = [-0.01, -5.0, 0.2];

/// Gradient-norm target of the maximum-likelihood fit for moderate `theta`
/// (see [`ml_gradient_target`] for the rule in general).
///
/// The gradient is `E_p[T] - E_q[T]` for statistics `T = (u, u^2)` in
/// `[-1, 1]`, computed with an error of a few `EPS` when `|theta|` is of
/// order 10 (the Newton phase of the fit ends near 1e-16 on the balls);
/// 1e-12 leaves a factor of more than 1000 over that floor. It bounds the
/// fit's moment mismatch, see
/// [`QuadraticExponentialFamily::moment_mismatch_bounds`].
pub const ML_GRADIENT_TARGET: f64 = 1e-12;

/// Rounding error of the maximum-likelihood gradient per unit of
/// `|theta1| + |theta2| + ln n + 1`, as used by [`ml_gradient_target`].
///
/// Reason: the logits `theta . T(x)` err by about `5 EPS |theta|_1` (the
/// statistic `u` carries one rounding, `u^2` three), the log-normaliser `A`
/// by `EPS (|theta|_1 + ln n)` more, and `ln p = theta . T - A` once more;
/// so each `p_x` has a relative error of at most about
/// `EPS (12 |theta|_1 + ln n + 4)`, and `E_p[T]` (with `|T| <= sqrt 2`
/// componentwise norm) an absolute error of `sqrt 2` times that plus a few
/// `EPS` for the sums and for `E_q[T]`: about `17 EPS` per unit. 64 leaves a
/// factor of almost 4.
pub const ML_GRADIENT_ROUNDING: f64 = 64.0 * crate::tol::EPS;

/// The gradient-norm target of the maximum-likelihood fit at `theta` on `n`
/// labels: `max(ML_GRADIENT_TARGET, ML_GRADIENT_ROUNDING (|theta1| + |theta2| + ln n + 1))`.
///
/// The second term is the gradient's own rounding error, which grows with
/// `|theta|`; it takes over only when `|theta|_1 + ln n` exceeds about 70,
/// which happens when `q` has entries many orders of magnitude apart (for
/// example a near point mass with mass 1e-12 spread around it, where the
/// estimate is `|theta| ~ 1e5` and the target about 2e-9). There no point
/// can have a gradient known to be smaller.
///
/// # Example
/// ```
/// use gan_theory::train::fit::{ml_gradient_target, ML_GRADIENT_TARGET};
/// use gan_theory::nalgebra::Vector2;
/// assert_eq!(ml_gradient_target(&Vector2::new(-0.24, -1.73), 9), ML_GRADIENT_TARGET);
/// assert!(ml_gradient_target(&Vector2::new(8e4, -4e4), 101) > 1e-9);
/// ```
pub fn ml_gradient_target(theta: &Vector2<f64>, n: usize) -> f64 {
    ML_GRADIENT_TARGET.max(ML_GRADIENT_ROUNDING * gradient_scale(theta, n))
}

/// Rounding error of the L2 fit's gradient per unit of
/// `|theta1| + |theta2| + ln n + 1`; the fit's gradient-norm target is this
/// times that size ([`l2_gradient_target`]).
///
/// Reason: the gradient `2 sum_x r_x p_x (T_x - mu)`, `r = p - q`, inherits
/// the relative error `e_p <= 12 EPS (|theta|_1 + ln n + 1)` of each `p_x`
/// (see [`ML_GRADIENT_ROUNDING`]): `r_x p_x = p_x^2 - q_x p_x` errs by
/// `(2 p_x + q_x) e_p p_x`, which sums to at most `3 e_p`, times
/// `|T_x - mu| <= 2 sqrt 2`, times 2; the error of `mu` adds
/// `2 sqrt 2 e_p sum |r_x| p_x <= 4 sqrt 2 e_p`. In all about `23 e_p`, or
/// 276 `EPS` per unit; the largest measured (fits ending at `|theta|` in the
/// hundreds on near point masses) is about 150. 512 leaves a factor 1.85
/// over the bound. On the balls the target is about 6e-13, while the fit
/// ends near 1e-18 (the Newton phase polishes past the target).
pub const L2_GRADIENT_ROUNDING: f64 = 512.0 * crate::tol::EPS;

/// The gradient-norm target of the L2 fit at `theta` on `n` labels,
/// `L2_GRADIENT_ROUNDING (|theta1| + |theta2| + ln n + 1)`: the gradient's
/// own rounding error, which grows with `|theta|`.
///
/// # Example
/// ```
/// use gan_theory::train::fit::l2_gradient_target;
/// use gan_theory::nalgebra::Vector2;
/// let target = l2_gradient_target(&Vector2::new(-0.22, -1.72), 9);
/// assert!(target > 5e-13 && target < 6e-13);
/// ```
pub fn l2_gradient_target(theta: &Vector2<f64>, n: usize) -> f64 {
    L2_GRADIENT_ROUNDING * gradient_scale(theta, n)
}

/// `|theta1| + |theta2| + ln n + 1`, the size that the gradients' rounding errors scale with.
fn gradient_scale(theta: &Vector2<f64>, n: usize) -> f64 {
    theta[0].abs() + theta[1].abs() + (n.max(1) as f64).ln() + 1.0
}

/// Gradient-norm target of the L2 fit of the note's quadratic.
///
/// The gradient `2 sum r_x (dp_x / dtheta)` has terms up to `(x + theta2)^2 ~ 16`
/// times residuals of order 0.05, summed with an error of a few `EPS` times
/// that, about 1e-15 (the fit to the 45 balls ends near 2e-15); 1e-12 leaves a
/// factor 500 and lies far below the gradient's size away from the optimum.
pub const SEED_QUADRATIC_GRADIENT_TARGET: f64 = 1e-12;

/// Rounding allowance for a moment `E[x]` or `E[x^2]` of a fit, over and above
/// the optimiser's share.
///
/// Reason: each fitted `p_x = exp(theta . T(x) - A(theta))` carries a
/// relative error of about `EPS (|theta1| + |theta2| + |A| + 4)`, at most
/// `64 EPS` for `|theta| <= 30` (the fits met here have `|theta| < 10`); a
/// moment `sum p_x x^2` then errs by at most `64 EPS E[x^2] <= 64 EPS 121`
/// (n <= 11), about 1.7e-12, and the data's moment by a few `EPS` times
/// that size. 1e-11 leaves a factor 5.
pub const MOMENT_ROUNDING: f64 = 1e-11;

/// Rounding allowance for `theta` from [`seed_quadratic_normal_equations`].
///
/// Reason: `X^T X` (centred design, n = 9) has condition number about 183, so
/// the Cholesky solution `beta` is accurate to about `183 * 9 * EPS`, 4e-13
/// relative; `theta2 = b/(2g) - c` divides by `2g` (`|g| ~ 0.0094`), which
/// turns an error of 4e-13 times `|beta| ~ 0.17` into about 4e-12. 1e-11
/// covers it with a factor 2.5.
pub const NORMAL_EQUATIONS_ROUNDING: f64 = 1e-11;

/// Rounding allowance, in units of `n EPS max_x q(x)`, for the curvature
/// `|g| s^2` of the least-squares parabola over the labels
/// ([`seed_quadratic_normal_equations`]); below it the parabola is a
/// straight line to working precision.
///
/// Reason: Cholesky's error does not depend on the columns' scales, so in the
/// scaled coefficients `(a, b s, g s^2)` (columns `1, u, u^2` with
/// `u = (x - c)/s` in `[-1, 1]`, condition number about 20) the solution errs
/// by about 20 EPS times their size, at most a few times `max q`; the
/// moments `sum q(x) (x - c)^k` add up to `n EPS` relative. So `|g| s^2`
/// errs by at most about `60 n EPS max q`; measured on 200 positive
/// straight lines `q = a + b x` for each `n` from 3 to 10^4 it stays below
/// `1.5 n EPS max q`. 1000 leaves a factor above 15 over the bound, and
/// still treats any curvature above `2.2e-13 n max q` (for n = 9, 2e-12 of
/// the largest entry) as real.
pub const STRAIGHT_LINE_ULPS: f64 = 1000.0;

/// The note's 45 balls as a distribution, `q = NOTE_BALL_COUNTS / 45`.
///
/// Checked by claim [B4](crate::proofs::b4_maximum_likelihood).
pub fn note_balls() -> Discrete {
    Discrete::from_weights(&NOTE_BALL_COUNTS)
        .expect("the constant counts are finite, non-negative and not all zero")
}

/// `ln sum_i exp(l_i)`, shifted by the maximum so that no term overflows.
fn log_sum_exp(logits: &[f64]) -> f64 {
    let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    max + numeric::sum(logits.iter().map(|l| (l - max).exp())).ln()
}

/// The discretised Gaussian `p_theta(x) = exp(theta1 u + theta2 u^2 - A(theta))`
/// on the labels `x = 1..n`, with `u = (x - c)/s`, `c = (n + 1)/2`,
/// `s = (n - 1)/2` (so `u` runs over `[-1, 1]`).
///
/// An exponential family with sufficient statistic `T(x) = (u, u^2)` and
/// natural parameter `theta`: `A` is convex, `grad A = E_p[T]` and
/// `Hess A = Cov_p(T)`. Index `i` of a vector is label `x = i + 1`.
///
/// Checked by claim [B4](crate::proofs::b4_maximum_likelihood).
///
/// # Example
/// ```
/// use gan_theory::train::fit::QuadraticExponentialFamily;
/// use gan_theory::nalgebra::Vector2;
/// let family = QuadraticExponentialFamily::new(9)?;
/// let p = family.distribution(&Vector2::new(0.0, 0.0))?;
/// assert!((p[4] - 1.0 / 9.0).abs() < 1e-16); // theta = 0 is uniform
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuadraticExponentialFamily {
    n: usize,
    centre: f64,
    half_width: f64,
}

impl QuadraticExponentialFamily {
    /// The family on labels `1..n`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `n < 3`: with fewer labels `u` and
    /// `u^2` are affinely dependent and `theta` is not identifiable.
    pub fn new(n: usize) -> Result<Self> {
        if n < 3 {
            return Err(Error::InvalidParameter {
                name: "n",
                value: n as f64,
                requirement: "at least 3 labels, so that u and u^2 are affinely independent",
            });
        }
        Ok(Self {
            n,
            centre: (n as f64 + 1.0) / 2.0,
            half_width: (n as f64 - 1.0) / 2.0,
        })
    }

    /// Number of labels `n`.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false: the family has at least 3 labels.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The centre `c = (n + 1)/2` of the labels.
    pub fn centre(&self) -> f64 {
        self.centre
    }

    /// The half width `s = (n - 1)/2` of the labels.
    pub fn half_width(&self) -> f64 {
        self.half_width
    }

    /// The sufficient statistic `T = (u, u^2)` of index `i` (label `x = i + 1`).
    pub fn statistic(&self, i: usize) -> Vector2<f64> {
        let u = (i as f64 + 1.0 - self.centre) / self.half_width;
        Vector2::new(u, u * u)
    }

    /// `E_q[T]` for a distribution `q` on the same labels.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`].
    pub fn mean_statistic_of(&self, q: &Discrete) -> Result<Vector2<f64>> {
        self.check_len(q)?;
        Ok(Vector2::new(
            q.expect(|i| self.statistic(i)[0]),
            q.expect(|i| self.statistic(i)[1]),
        ))
    }

    /// `ln p_theta(x)` for every label, as `theta . T(x) - A(theta)`.
    ///
    /// # Errors
    /// [`Error::NotANumber`] or [`Error::Infinite`] for a non-finite `theta`.
    pub fn log_probabilities(&self, theta: &Vector2<f64>) -> Result<Vec<f64>> {
        crate::measure::check_finite(theta.as_slice())?;
        Ok(self.log_probabilities_unchecked(theta))
    }

    /// `p_theta` as a validated [`Discrete`].
    ///
    /// # Errors
    /// As [`log_probabilities`](Self::log_probabilities).
    pub fn distribution(&self, theta: &Vector2<f64>) -> Result<Discrete> {
        let logits = self.log_probabilities(theta)?;
        // exp(l - max l) lies in (0, 1] with one entry equal to 1, so the
        // weights cannot all vanish; from_weights normalises exactly.
        let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = logits.iter().map(|l| (l - max).exp()).collect();
        Discrete::from_weights(&weights)
    }

    /// The mean `E_{p_theta}[T] = grad A(theta)`.
    ///
    /// # Errors
    /// As [`log_probabilities`](Self::log_probabilities).
    pub fn mean_statistic(&self, theta: &Vector2<f64>) -> Result<Vector2<f64>> {
        crate::measure::check_finite(theta.as_slice())?;
        let p = self.probabilities_unchecked(theta);
        Ok(self.mean_of(&p))
    }

    /// The covariance `Cov_{p_theta}(T) = Hess A(theta)`, the Fisher information.
    ///
    /// # Errors
    /// As [`log_probabilities`](Self::log_probabilities).
    pub fn covariance(&self, theta: &Vector2<f64>) -> Result<Matrix2<f64>> {
        crate::measure::check_finite(theta.as_slice())?;
        let p = self.probabilities_unchecked(theta);
        Ok(self.covariance_of(&p, &self.mean_of(&p)))
    }

    /// Bounds on `(|E_p[x] - E_q[x]|, |E_p[x^2] - E_q[x^2]|)` when
    /// `|E_p[T] - E_q[T]| <= gradient_norm`, rounding not included.
    ///
    /// From `x = c + s u`: `E[x] = c + s E[u]` and
    /// `E[x^2] = c^2 + 2cs E[u] + s^2 E[u^2]`, so the first mismatch is `s`
    /// times the first component and the second is at most
    /// `sqrt((2cs)^2 + s^4)` times the norm (Cauchy-Schwarz).
    pub fn moment_mismatch_bounds(&self, gradient_norm: f64) -> (f64, f64) {
        let (c, s) = (self.centre, self.half_width);
        (
            s * gradient_norm,
            (2.0 * c * s).hypot(s * s) * gradient_norm,
        )
    }

    fn check_len(&self, q: &Discrete) -> Result<()> {
        crate::error::check_same_length(self.n, q.len())
    }

    fn log_probabilities_unchecked(&self, theta: &Vector2<f64>) -> Vec<f64> {
        let logits: Vec<f64> = (0..self.n).map(|i| theta.dot(&self.statistic(i))).collect();
        let log_normaliser = log_sum_exp(&logits);
        logits.iter().map(|l| l - log_normaliser).collect()
    }

    fn probabilities_unchecked(&self, theta: &Vector2<f64>) -> Vec<f64> {
        self.log_probabilities_unchecked(theta)
            .iter()
            .map(|l| l.exp())
            .collect()
    }

    fn mean_of(&self, p: &[f64]) -> Vector2<f64> {
        let (mut first, mut second) = (CompensatedSum::new(), CompensatedSum::new());
        for (i, &pi) in p.iter().enumerate() {
            let t = self.statistic(i);
            first.add(pi * t[0]);
            second.add(pi * t[1]);
        }
        Vector2::new(first.value(), second.value())
    }

    /// `sum_i w_i (T_i - mean)(T_i - mean)^T`, the centred form (no cancellation).
    fn covariance_of(&self, weights: &[f64], mean: &Vector2<f64>) -> Matrix2<f64> {
        let mut c = Matrix2::zeros();
        for (i, &w) in weights.iter().enumerate() {
            let d = self.statistic(i) - mean;
            c += w * d * d.transpose();
        }
        c
    }
}

/// Implements argmin's [`CostFunction`], [`Gradient`] and [`Hessian`] for an
/// objective through its own `value`, `gradient_at` and `hessian_at` (whose
/// errors argmin passes on).
macro_rules! impl_argmin_objective {
    ($objective:ty, $param:ty, $hessian:ty) => {
        impl CostFunction for $objective {
            type Param = $param;
            type Output = f64;
            fn cost(&self, theta: &$param) -> std::result::Result<f64, argmin::core::Error> {
                Ok(self.value(theta)?)
            }
        }

        impl Gradient for $objective {
            type Param = $param;
            type Gradient = $param;
            fn gradient(&self, theta: &$param) -> std::result::Result<$param, argmin::core::Error> {
                Ok(self.gradient_at(theta)?)
            }
        }

        impl Hessian for $objective {
            type Param = $param;
            type Hessian = $hessian;
            fn hessian(
                &self,
                theta: &$param,
            ) -> std::result::Result<$hessian, argmin::core::Error> {
                Ok(self.hessian_at(theta)?)
            }
        }
    };
}

/// The negative log-likelihood per ball, `L(theta) = -E_q ln p_theta(x)`,
/// the cross-entropy `H(q, p_theta) = KL(q || p_theta) + H(q)`.
///
/// Gradient `E_{p_theta}[T] - E_q[T]`, Hessian `Cov_{p_theta}(T)`, which is
/// positive definite: `L` is strictly convex in `theta`.
///
/// Checked by claim [B4](crate::proofs::b4_maximum_likelihood).
#[derive(Debug, Clone)]
pub struct NegativeLogLikelihood {
    family: QuadraticExponentialFamily,
    q: Discrete,
    data_mean: Vector2<f64>,
}

impl NegativeLogLikelihood {
    /// The objective for data distribution `q`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when `q` is not on the family's labels.
    pub fn new(family: QuadraticExponentialFamily, q: &Discrete) -> Result<Self> {
        let data_mean = family.mean_statistic_of(q)?;
        Ok(Self {
            family,
            q: q.clone(),
            data_mean,
        })
    }

    /// `-sum_x q(x) ln p_theta(x)`.
    ///
    /// # Errors
    /// For a non-finite `theta`, as [`QuadraticExponentialFamily::log_probabilities`].
    pub fn value(&self, theta: &Vector2<f64>) -> Result<f64> {
        let log_p = self.family.log_probabilities(theta)?;
        Ok(-self.q.expect(|i| log_p[i]))
    }

    /// `E_{p_theta}[T] - E_q[T]`.
    ///
    /// # Errors
    /// As [`value`](Self::value).
    pub fn gradient_at(&self, theta: &Vector2<f64>) -> Result<Vector2<f64>> {
        Ok(self.family.mean_statistic(theta)? - self.data_mean)
    }

    /// `Cov_{p_theta}(T)`.
    ///
    /// # Errors
    /// As [`value`](Self::value).
    pub fn hessian_at(&self, theta: &Vector2<f64>) -> Result<Matrix2<f64>> {
        self.family.covariance(theta)
    }
}

impl_argmin_objective!(NegativeLogLikelihood, Vector2<f64>, Matrix2<f64>);

/// The note's L2 loss on the exponential family, `e(theta) = sum_x (p_theta(x) - q(x))^2`.
///
/// With `dp_x/dtheta = p_x (T_x - mu)`, `mu = E_{p_theta}[T]`, `Sigma = Cov_{p_theta}(T)`:
///
/// ```text
/// grad e = 2 sum_x r_x p_x (T_x - mu),                     r_x = p_x - q(x)
/// Hess e = 2 sum_x p_x^2 (T_x - mu)(T_x - mu)^T
///        + 2 sum_x r_x p_x [(T_x - mu)(T_x - mu)^T - Sigma]
/// ```
///
/// Not convex in general (the second Hessian term can be indefinite).
///
/// Checked by claim [B4](crate::proofs::b4_maximum_likelihood).
#[derive(Debug, Clone)]
pub struct SquaredError {
    family: QuadraticExponentialFamily,
    q: Discrete,
}

impl SquaredError {
    /// The objective for data distribution `q`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when `q` is not on the family's labels.
    pub fn new(family: QuadraticExponentialFamily, q: &Discrete) -> Result<Self> {
        family.check_len(q)?;
        Ok(Self {
            family,
            q: q.clone(),
        })
    }

    /// `p_theta` and the residuals `p_theta - q`.
    fn residuals(&self, theta: &Vector2<f64>) -> Result<(Vec<f64>, Vec<f64>)> {
        crate::measure::check_finite(theta.as_slice())?;
        let p = self.family.probabilities_unchecked(theta);
        let r = p
            .iter()
            .zip(self.q.as_slice())
            .map(|(a, b)| a - b)
            .collect();
        Ok((p, r))
    }

    /// `sum_x (p_theta(x) - q(x))^2`.
    ///
    /// # Errors
    /// For a non-finite `theta`, as [`QuadraticExponentialFamily::log_probabilities`].
    pub fn value(&self, theta: &Vector2<f64>) -> Result<f64> {
        let (_, r) = self.residuals(theta)?;
        Ok(numeric::sum(r.iter().map(|x| x * x)))
    }

    /// `2 sum_x r_x p_x (T_x - mu)`.
    ///
    /// # Errors
    /// As [`value`](Self::value).
    pub fn gradient_at(&self, theta: &Vector2<f64>) -> Result<Vector2<f64>> {
        let (p, r) = self.residuals(theta)?;
        let mu = self.family.mean_of(&p);
        let mut g = Vector2::zeros();
        for i in 0..p.len() {
            g += 2.0 * r[i] * p[i] * (self.family.statistic(i) - mu);
        }
        Ok(g)
    }

    /// The Hessian given in the type's documentation.
    ///
    /// # Errors
    /// As [`value`](Self::value).
    pub fn hessian_at(&self, theta: &Vector2<f64>) -> Result<Matrix2<f64>> {
        let (p, r) = self.residuals(theta)?;
        let mu = self.family.mean_of(&p);
        let sigma = self.family.covariance_of(&p, &mu);
        let mut h = Matrix2::zeros();
        for i in 0..p.len() {
            let d = self.family.statistic(i) - mu;
            let outer = d * d.transpose();
            h += 2.0 * p[i] * p[i] * outer + 2.0 * r[i] * p[i] * (outer - sigma);
        }
        Ok(h)
    }
}

impl_argmin_objective!(SquaredError, Vector2<f64>, Matrix2<f64>);

/// A fit of [`QuadraticExponentialFamily`] to a distribution `q`.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The fitted natural parameter `theta` (coefficients of `u` and `u^2`).
    pub theta: Vector2<f64>,
    /// `p_theta`, the fitted distribution.
    pub distribution: Discrete,
    /// The objective minimised, at `theta`.
    pub objective: f64,
    /// The Euclidean norm of the objective's gradient at `theta`, at most [`gradient_target`](Self::gradient_target).
    pub gradient_norm: f64,
    /// The gradient-norm target the fit met: [`ml_gradient_target`] at
    /// `theta` for the maximum-likelihood fit (which is
    /// [`ML_GRADIENT_TARGET`] unless `|theta1| + |theta2| + ln n` exceeds about 70), and
    /// [`l2_gradient_target`] at `theta` for the L2 fit.
    pub gradient_target: f64,
    /// `||H^{-1} g||` at `theta`: the Newton step, an estimate of the
    /// distance from `theta` to the exact minimiser (exact for a quadratic
    /// objective). Where the Hessian is singular to working precision (only
    /// possible for the maximum-likelihood fit) it is the step with `H`
    /// shifted by a multiple of the identity of the size of its rounding error.
    pub newton_step_norm: f64,
    /// Iterations used: L-BFGS iterations plus damped Newton steps.
    pub iterations: u64,
}

/// Fits [`QuadraticExponentialFamily`] to `q` by maximum likelihood:
/// minimises `-E_q ln p_theta`, equivalently `KL(q || p_theta)`, from `theta = 0`.
///
/// At the returned `theta` the gradient `E_p[T] - E_q[T]` has norm at most
/// `fit.gradient_target` ([`ml_gradient_target`], which is
/// [`ML_GRADIENT_TARGET`] unless `|theta1| + |theta2| + ln n` exceeds about
/// 70); as `x = c + s u`, the fitted moments then satisfy
/// `|E_p[x] - E_q[x]| <= s gradient_target` and
/// `|E_p[x^2] - E_q[x^2]| <= sqrt((2cs)^2 + s^4) gradient_target`
/// ([`QuadraticExponentialFamily::moment_mismatch_bounds`]).
///
/// The fit succeeds whenever the estimate exists, also when `q` has entries
/// as small as 1e-300 or spans many orders of magnitude; `theta` itself is
/// then determined only loosely along directions where the Hessian is
/// nearly singular (by `|g| / lambda_min`), while the moments are matched
/// to the target and the excess `KL(q || p_theta) - min KL` is about half
/// the squared Newton decrement, driven below 1e-30
/// where rounding allows.
///
/// Checked by claim [B4](crate::proofs::b4_maximum_likelihood).
///
/// # Errors
/// [`Error::InvalidParameter`] when `q` has fewer than 3 labels, or when the
/// estimate does not exist: `q` is a point mass or puts all its mass on two
/// neighbouring labels or on the two end labels (then `E_q[T]` lies on the
/// boundary of the set of attainable means and the likelihood keeps growing
/// as `|theta| -> inf`). [`Error::NotConverged`] when the gradient target
/// is not reached (not seen on any `q` tried, zeros and entries down to
/// 1e-300 included).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence::kl, train::fit::{QuadraticExponentialFamily, fit_maximum_likelihood}};
/// let q = Discrete::from_weights(&[1.0, 0.0, 4.0, 2.0, 0.0, 1.0])?;
/// let fit = fit_maximum_likelihood(&q)?;
/// // At the maximum-likelihood fit the moments E[T] = E[(u, u^2)] match q's ...
/// let family = QuadraticExponentialFamily::new(6)?;
/// let gap = family.mean_statistic_of(&fit.distribution)? - family.mean_statistic_of(&q)?;
/// assert!(gap.norm() <= fit.gradient_target);
/// // ... and KL(q || p_theta) is minimal there: a nearby theta does worse.
/// let nearby = family.distribution(&(fit.theta + gan_theory::nalgebra::Vector2::new(0.01, 0.0)))?;
/// assert!(kl(&q, &fit.distribution)? < kl(&q, &nearby)?);
/// // A point mass has no estimate: the likelihood grows without bound.
/// assert!(fit_maximum_likelihood(&Discrete::point_mass(6, 2)?).is_err());
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn fit_maximum_likelihood(q: &Discrete) -> Result<Fit> {
    let family = QuadraticExponentialFamily::new(q.len())?;
    check_ml_estimate_exists(q)?;
    let objective = NegativeLogLikelihood::new(family, q)?;
    let n = q.len();
    let minimum = minimise(
        objective,
        Vector2::zeros(),
        Phases::LbfgsThenNewton,
        |theta| ml_gradient_target(theta, n),
        Certificate::Convex,
        "maximum-likelihood fit",
    )?;
    finish(family, minimum)
}

/// Fits [`QuadraticExponentialFamily`] to `q` by the note's L2 loss
/// `sum_x (p_theta(x) - q(x))^2`.
///
/// The loss is not convex in `theta`, so where the fit starts matters. It
/// starts from the maximum-likelihood estimate (a close, robustly found
/// point) when that exists, else from `theta = 0`, and runs two
/// minimisations from there: L-BFGS then damped Newton, and damped Newton
/// alone (L-BFGS's long line-search steps can carry it onto a plateau where
/// the fitted distribution is nearly a point mass and the loss is flat to
/// rounding, past a strict minimum that Newton's shorter steps reach). Of
/// the end points certified as strict local minima it returns the one with
/// the smaller loss (the first on a tie). Both runs are deterministic.
///
/// Checked by claim [B4](crate::proofs::b4_maximum_likelihood).
///
/// # Errors
/// [`Error::InvalidParameter`] when `q` has fewer than 3 labels;
/// [`Error::NotConverged`] when neither run certifies a strict local
/// minimum: [`l2_gradient_target`] not reached, or the Hessian not positive
/// definite to working precision, or the Newton step above
/// [`NEWTON_STEP_TARGET`]. That happens where the loss has no strict
/// minimiser (it keeps falling as `|theta| -> inf`, as for a point mass),
/// and where the loss is flat to working precision along some direction
/// (the Hessian's smallest eigenvalue near the rounding error of its
/// largest, so that the Newton step at the rounding floor stays above
/// [`NEWTON_STEP_TARGET`]), which needs `q` to have entries many orders of
/// magnitude below its largest; it has not been seen otherwise.
///
/// # Example
/// ```
/// use gan_theory::{Discrete, train::fit::{QuadraticExponentialFamily, fit_least_squares}};
/// use gan_theory::nalgebra::Vector2;
/// // q inside the family is recovered exactly: loss 0 at its own theta.
/// let family = QuadraticExponentialFamily::new(7)?;
/// let q = family.distribution(&Vector2::new(0.5, -1.0))?;
/// let fit = fit_least_squares(&q)?;
/// assert!(fit.objective < 1e-20);
/// assert!((fit.theta - Vector2::new(0.5, -1.0)).norm() < 1e-6);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn fit_least_squares(q: &Discrete) -> Result<Fit> {
    let family = QuadraticExponentialFamily::new(q.len())?;
    let objective = SquaredError::new(family, q)?;
    let n = q.len();
    let start = match fit_maximum_likelihood(q) {
        Ok(ml) => ml.theta,
        Err(Error::InvalidParameter { .. }) => Vector2::zeros(),
        Err(other) => return Err(other),
    };
    let run = |phases| {
        minimise(
            objective.clone(),
            start,
            phases,
            |theta| l2_gradient_target(theta, n),
            Certificate::StrictLocalMinimum,
            "least-squares fit",
        )
    };
    let minimum = match (run(Phases::LbfgsThenNewton), run(Phases::NewtonOnly)) {
        (Ok(first), Ok(second)) if second.objective < first.objective => second,
        (Ok(first), _) => first,
        (Err(_), Ok(second)) => second,
        (Err(error), Err(_)) => return Err(error),
    };
    finish(family, minimum)
}

/// The ML estimate exists iff `E_q[T]` is interior to the convex hull of the
/// points `T(x) = (u, u^2)`. These lie on a parabola, so every one is a vertex
/// and the edges join neighbours plus the two ends: `E_q[T]` is on the
/// boundary exactly when the support of `q` fits inside one edge.
fn check_ml_estimate_exists(q: &Discrete) -> Result<()> {
    let support: Vec<usize> = q.support().collect();
    let on_an_edge = match support.as_slice() {
        [_] => true,
        [i, j] => j - i == 1 || (*i == 0 && *j == q.len() - 1),
        _ => false,
    };
    if on_an_edge {
        return Err(Error::InvalidParameter {
            name: "q (number of labels with mass)",
            value: support.len() as f64,
            requirement: "the ML estimate exists only when q's mass is not confined to \
                          one label, two neighbouring labels or the two end labels",
        });
    }
    Ok(())
}

/// Packs a minimum into a [`Fit`].
fn finish(family: QuadraticExponentialFamily, minimum: Minimum<2>) -> Result<Fit> {
    Ok(Fit {
        distribution: family.distribution(&minimum.theta)?,
        theta: minimum.theta,
        objective: minimum.objective,
        gradient_norm: minimum.gradient_norm,
        gradient_target: minimum.gradient_target,
        newton_step_norm: minimum.newton_step_norm,
        iterations: minimum.iterations,
    })
}

/// The note's model `p(x; theta) = theta1 (x + theta2)^2 + theta3` at the
/// labels `x = 1..n`. These are not probabilities: nothing keeps them
/// non-negative or summing to 1.
///
/// # Errors
/// [`Error::NotANumber`] or [`Error::Infinite`] for a non-finite `theta`.
///
/// # Example
/// ```
/// use gan_theory::train::fit::{seed_quadratic_values, NOTE_THETA};
/// use gan_theory::nalgebra::Vector3;
/// let p = seed_quadratic_values(&Vector3::from(NOTE_THETA), 9)?;
/// // The seed's example "distribution" sums to 1.2:
/// assert!((p.iter().sum::<f64>() - 1.2).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn seed_quadratic_values(theta: &Vector3<f64>, n: usize) -> Result<Vec<f64>> {
    crate::measure::check_finite(theta.as_slice())?;
    Ok(seed_quadratic_unchecked(theta, n))
}

fn seed_quadratic_unchecked(theta: &Vector3<f64>, n: usize) -> Vec<f64> {
    (1..=n)
        .map(|x| {
            let d = x as f64 + theta[1];
            theta[0] * d * d + theta[2]
        })
        .collect()
}

/// The note's L2 loss on its own quadratic,
/// `e(theta) = sum_x (theta1 (x + theta2)^2 + theta3 - q(x))^2`, with gradient
///
/// ```text
/// de/dtheta1 = 2 sum_x r_x (x + theta2)^2
/// de/dtheta2 = 2 sum_x r_x 2 theta1 (x + theta2)
/// de/dtheta3 = 2 sum_x r_x
/// ```
///
/// and Hessian `2 sum_x [J_x J_x^T + r_x Hess p_x]`, where
/// `J_x = ((x + theta2)^2, 2 theta1 (x + theta2), 1)` and `Hess p_x` has
/// entries `d2p/dtheta1 dtheta2 = 2 (x + theta2)`, `d2p/dtheta2^2 = 2 theta1`, zero elsewhere.
///
/// Checked by claim [B4](crate::proofs::b4_maximum_likelihood).
#[derive(Debug, Clone)]
pub struct SeedQuadraticSquaredError {
    q: Vec<f64>,
}

impl SeedQuadraticSquaredError {
    /// The objective for data distribution `q` on the labels `1..q.len()`.
    pub fn new(q: &Discrete) -> Self {
        Self {
            q: q.as_slice().to_vec(),
        }
    }

    fn residuals(&self, theta: &Vector3<f64>) -> Result<Vec<f64>> {
        Ok(seed_quadratic_values(theta, self.q.len())?
            .iter()
            .zip(&self.q)
            .map(|(p, q)| p - q)
            .collect())
    }

    /// `sum_x (p(x; theta) - q(x))^2`.
    ///
    /// # Errors
    /// [`Error::NotANumber`] or [`Error::Infinite`] for a non-finite `theta`.
    pub fn value(&self, theta: &Vector3<f64>) -> Result<f64> {
        Ok(numeric::sum(self.residuals(theta)?.iter().map(|r| r * r)))
    }

    /// The gradient given in the type's documentation.
    ///
    /// # Errors
    /// As [`value`](Self::value).
    pub fn gradient_at(&self, theta: &Vector3<f64>) -> Result<Vector3<f64>> {
        let r = self.residuals(theta)?;
        let mut g = Vector3::zeros();
        for (i, ri) in r.iter().enumerate() {
            let d = i as f64 + 1.0 + theta[1];
            g += 2.0 * ri * Vector3::new(d * d, 2.0 * theta[0] * d, 1.0);
        }
        Ok(g)
    }

    /// The Hessian given in the type's documentation.
    ///
    /// # Errors
    /// As [`value`](Self::value).
    pub fn hessian_at(&self, theta: &Vector3<f64>) -> Result<Matrix3<f64>> {
        let r = self.residuals(theta)?;
        let mut h = Matrix3::zeros();
        for (i, ri) in r.iter().enumerate() {
            let d = i as f64 + 1.0 + theta[1];
            let jacobian_row = Vector3::new(d * d, 2.0 * theta[0] * d, 1.0);
            let mut second = Matrix3::zeros();
            second[(0, 1)] = 2.0 * d;
            second[(1, 0)] = 2.0 * d;
            second[(1, 1)] = 2.0 * theta[0];
            h += 2.0 * (jacobian_row * jacobian_row.transpose() + *ri * second);
        }
        Ok(h)
    }
}

impl_argmin_objective!(SeedQuadraticSquaredError, Vector3<f64>, Matrix3<f64>);

/// An L2 fit of the note's quadratic.
#[derive(Debug, Clone, PartialEq)]
pub struct QuadraticFit {
    /// The fitted `(theta1, theta2, theta3)`.
    pub theta: Vector3<f64>,
    /// `theta1 (x + theta2)^2 + theta3` at `x = 1..n` (not a probability vector).
    pub values: Vec<f64>,
    /// The L2 loss at `theta`.
    pub loss: f64,
    /// The gradient norm at `theta` (below [`SEED_QUADRATIC_GRADIENT_TARGET`]).
    pub gradient_norm: f64,
    /// `||H^{-1} g||` at `theta`, the estimated distance to the exact minimiser.
    pub newton_step_norm: f64,
    /// Iterations used: L-BFGS iterations plus damped Newton steps.
    pub iterations: u64,
}

/// Fits the note's quadratic to `q` by its L2 loss with L-BFGS and then
/// damped Newton (as every fit here), from `start` (for example [`NOTE_THETA`]).
///
/// Checked by claim [B4](crate::proofs::b4_maximum_likelihood).
///
/// # Errors
/// [`Error::InvalidParameter`] when `q` has fewer than 3 labels (the three
/// parameters are then not determined); a non-finite `start` as in
/// [`seed_quadratic_values`]; [`Error::NotConverged`] when
/// [`SEED_QUADRATIC_GRADIENT_TARGET`] is not reached, or the Hessian there is
/// not positive definite, or the Newton step is above [`NEWTON_STEP_TARGET`].
pub fn fit_seed_quadratic(q: &Discrete, start: &Vector3<f64>) -> Result<QuadraticFit> {
    check_at_least_three(q)?;
    crate::measure::check_finite(start.as_slice())?;
    let minimum = minimise(
        SeedQuadraticSquaredError::new(q),
        *start,
        Phases::LbfgsThenNewton,
        |_| SEED_QUADRATIC_GRADIENT_TARGET,
        Certificate::StrictLocalMinimum,
        "least-squares fit of the seed's quadratic",
    )?;
    Ok(QuadraticFit {
        values: seed_quadratic_unchecked(&minimum.theta, q.len()),
        theta: minimum.theta,
        loss: minimum.objective,
        gradient_norm: minimum.gradient_norm,
        newton_step_norm: minimum.newton_step_norm,
        iterations: minimum.iterations,
    })
}

/// The exact L2 optimum of the note's quadratic, without an optimiser.
///
/// In the coefficients `(a, b, g)` of `a + b (x - c) + g (x - c)^2`,
/// `c = (n + 1)/2`, the loss is linear least squares; the normal equations
/// `X^T X beta = X^T q` are solved by Cholesky (centring at `c` keeps
/// `X^T X` well conditioned). Then
/// `theta1 = g`, `theta2 = b/(2g) - c`, `theta3 = a - b^2/(4g)`.
///
/// Checked by claim [B4](crate::proofs::b4_maximum_likelihood).
///
/// # Errors
/// [`Error::InvalidParameter`] when `q` has fewer than 3 labels, or when the
/// best parabola is a straight line, which the seed's parametrisation cannot
/// represent: when its curvature over the labels, `|g| s^2` with
/// `s = (n - 1)/2`, is within [`STRAIGHT_LINE_ULPS`]` n EPS max_x q(x)` of
/// 0, the rounding error of `g` (for a uniform `q`, say, `g` comes out near
/// `1e-20`, not exactly 0).
pub fn seed_quadratic_normal_equations(q: &Discrete) -> Result<Vector3<f64>> {
    check_at_least_three(q)?;
    let c = (q.len() as f64 + 1.0) / 2.0;
    let mut gram = Matrix3::zeros();
    let mut moment = Vector3::zeros();
    for (i, &qi) in q.as_slice().iter().enumerate() {
        let d = i as f64 + 1.0 - c;
        let row = Vector3::new(1.0, d, d * d);
        gram += row * row.transpose();
        moment += qi * row;
    }
    // Three or more distinct labels make X^T X positive definite; the check
    // stays for an input the argument above does not foresee.
    let beta = gram
        .cholesky()
        .ok_or(Error::NotConverged {
            what: "Cholesky factorisation of the normal equations",
            detail: "X^T X is not numerically positive definite".to_string(),
        })?
        .solve(&moment);
    let (a, b, g) = (beta[0], beta[1], beta[2]);
    let half_width = (q.len() as f64 - 1.0) / 2.0;
    let largest = q.as_slice().iter().copied().fold(0.0, f64::max);
    let rounding = STRAIGHT_LINE_ULPS * q.len() as f64 * crate::tol::EPS * largest;
    if g.abs() * half_width * half_width <= rounding {
        return Err(Error::InvalidParameter {
            name: "theta1",
            value: g,
            requirement: "the least-squares parabola is a straight line, which \
                          theta1 (x + theta2)^2 + theta3 cannot represent",
        });
    }
    Ok(Vector3::new(g, b / (2.0 * g) - c, a - b * b / (4.0 * g)))
}

fn check_at_least_three(q: &Discrete) -> Result<()> {
    if q.len() < 3 {
        return Err(Error::InvalidParameter {
            name: "n",
            value: q.len() as f64,
            requirement: "at least 3 labels to determine 3 parameters",
        });
    }
    Ok(())
}
