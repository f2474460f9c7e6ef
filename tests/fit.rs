//! Claim B4: maximum likelihood is minimum KL (the 45 balls of BrightLamp's note).

use gan_theory::divergence::{entropy, kl, total_variation};
mod common;

use gan_theory::train::fit::{
    ML_GRADIENT_TARGET, MOMENT_ROUNDING, NEWTON_STEP_TARGET, NORMAL_EQUATIONS_ROUNDING,
    NOTE_BALL_COUNTS, NOTE_THETA, NegativeLogLikelihood, QuadraticExponentialFamily,
    SEED_QUADRATIC_GRADIENT_TARGET, STRAIGHT_LINE_ULPS, SeedQuadraticSquaredError, SquaredError,
    fit_least_squares, fit_maximum_likelihood, fit_seed_quadratic, l2_gradient_target,
    ml_gradient_target, note_balls, seed_quadratic_normal_equations, seed_quadratic_values,
};
use gan_theory::{Discrete, Error, tol};
use nalgebra::{Matrix3, SVector, Vector2, Vector3};
use proptest::prelude::*;

/// Step of the central finite differences.
///
/// Reason: a central difference errs by about `h^2/6 |f'''|` (truncation)
/// plus `EPS |f| / h` (rounding); h = 1e-5 keeps both small for the sizes
/// met here.
const FD_STEP: f64 = 1e-5;

/// Truncation allowance of a central difference.
///
/// Reason: on the parameter ranges tested, the third derivatives of the
/// objectives (and the fourth, for Hessian columns) stay below about 6000:
/// for the exponential family a derivative of `p_x` of order k is at most
/// `k! 2^k p_x`, which bounds the L2 loss's fourth derivative by about 1600
/// and the NLL's (cumulants of a statistic in `[-1, 1]`) by 16; the seed
/// quadratic's loss is quadratic in `theta1` and `theta3` and has small
/// higher derivatives in `theta2`. So `h^2/6 * 6000 = 1e-7`. A formula error
/// (a lost factor 2, a dropped term) shows at 1e-4 or more.
const FD_TRUNCATION: f64 = 1e-7;

/// Relative rounding error of one objective value, in units of `EPS`.
///
/// Reason: each objective is a compensated sum of terms that carry two or
/// three roundings each (a logarithm or exponential, a product), so its
/// value errs by at most a few `EPS` relative to the size of its terms,
/// which for these objectives is the size of the value itself or below.
const VALUE_ROUNDING_ULPS: f64 = 4.0;

/// Central difference of `f` along coordinate `k`, with its rounding bound
/// `VALUE_ROUNDING_ULPS EPS (|f(theta + h)| + |f(theta - h)|) / (2h)`.
fn central_difference<const D: usize>(
    f: impl Fn(&SVector<f64, D>) -> f64,
    theta: &SVector<f64, D>,
    k: usize,
) -> (f64, f64) {
    let mut plus = *theta;
    let mut minus = *theta;
    plus[k] += FD_STEP;
    minus[k] -= FD_STEP;
    let (high, low) = (f(&plus), f(&minus));
    let rounding = VALUE_ROUNDING_ULPS * tol::EPS * (high.abs() + low.abs()) / (2.0 * FD_STEP);
    ((high - low) / (2.0 * FD_STEP), rounding)
}

fn assert_fd(analytic: f64, (numeric, rounding): (f64, f64), what: &str) {
    assert!(
        (analytic - numeric).abs() <= FD_TRUNCATION + rounding,
        "{what}: analytic {analytic:e}, finite difference {numeric:e}"
    );
}

/// Size of the parameter perturbations around a fit.
///
/// Reason: the objective then rises by about `lambda_min delta^2 / 2`, at
/// least 6e-9 for the smallest Hessian eigenvalue met here (0.012), while the
/// first-order term `|g| delta` stays below 1e-15 and rounding of the
/// objective below 1e-15: a rise is measurable, a fall would be a real defect.
const PERTURBATION: f64 = 1e-3;

/// The fits must differ by this many times the optimiser's uncertainty.
const FITS_DIFFER_FACTOR: f64 = 1e3;

/// Eight directions of length `PERTURBATION` in the plane.
fn perturbations() -> Vec<Vector2<f64>> {
    (0..8)
        .map(|k| {
            let angle = k as f64 * std::f64::consts::FRAC_PI_4;
            PERTURBATION * Vector2::new(angle.cos(), angle.sin())
        })
        .collect()
}

/// Mean of the label `x = i + 1` and of its square under `p`, from the labels themselves.
fn label_moments(p: &Discrete) -> (f64, f64) {
    let x = |i: usize| i as f64 + 1.0;
    (p.expect(x), p.expect(|i| x(i) * x(i)))
}

/// Random weights on 3..12 labels, some of them exactly zero, not all zero.
fn weights_with_zeros() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(prop_oneof![Just(0.0), 0.0..1.0f64], 3..12)
        .prop_filter("not all zero", |w| w.iter().any(|&x| x > 0.0))
}

/// Random positive weights on 3..12 labels (the ML estimate then exists).
fn positive_weights() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0.01..1.0f64, 3..12)
}

/// Weights on 3..12 labels from the audit's sweep of hard cases: exact
/// zeros, tiny entries (1e-310 is subnormal, 1e-300 and 1e-10 fixed, and
/// `10^-e` for `e` in `[0, 300]`) and ordinary ones, not all zero.
fn adversarial_weights() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(
        prop_oneof![
            Just(0.0),
            Just(1e-310),
            Just(1e-300),
            Just(1e-10),
            (0.0..300.0f64).prop_map(|e| 10f64.powf(-e)),
            0.0..1.0f64,
        ],
        3..12,
    )
    .prop_filter("not all zero", |w| w.iter().any(|&x| x > 0.0))
}

/// Positive weights on 3..12 labels, log-uniform over six decades: every
/// entry at least 1e-6 of the largest.
fn log_uniform_weights() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec((0.0..6.0f64).prop_map(|e| 10f64.powf(-e)), 3..12)
}

/// When the ML estimate exists (proof, step 6), written out independently
/// of the crate: unless the support of `q` is one label, two neighbouring
/// labels, or the two end labels.
fn ml_estimate_exists(q: &Discrete) -> bool {
    let support: Vec<usize> = (0..q.len()).filter(|&i| q[i] > 0.0).collect();
    match support.as_slice() {
        [] | [_] => false,
        &[i, j] => j - i != 1 && !(i == 0 && j == q.len() - 1),
        _ => true,
    }
}

proptest! {
    #![proptest_config(common::config(64))]

    /// KL(q || p_theta) = -E_q ln p_theta - H(q), the step from argmax to argmin.
    #[test]
    fn b4_kl_equals_cross_entropy_minus_entropy(
        weights in weights_with_zeros(),
        t1 in -20.0..20.0f64,
        t2 in -20.0..20.0f64,
    ) {
        let q = Discrete::from_weights(&weights).unwrap();
        let family = QuadraticExponentialFamily::new(q.len()).unwrap();
        let theta = Vector2::new(t1, t2);
        let p = family.distribution(&theta).unwrap();
        let nll = NegativeLogLikelihood::new(family, &q).unwrap().value(&theta).unwrap();
        let divergence = kl(&q, &p).unwrap();
        prop_assert!(
            tol::close(divergence, nll - entropy(&q)),
            "KL {divergence:e} against NLL - H {:e}", nll - entropy(&q)
        );
    }

    /// The NLL's gradient E_p[T] - E_q[T] and Hessian Cov_p(T) against finite differences.
    #[test]
    fn b4_nll_gradient_and_hessian_match_finite_differences(
        weights in weights_with_zeros(),
        t1 in -3.0..3.0f64,
        t2 in -3.0..3.0f64,
    ) {
        let q = Discrete::from_weights(&weights).unwrap();
        let family = QuadraticExponentialFamily::new(q.len()).unwrap();
        let nll = NegativeLogLikelihood::new(family, &q).unwrap();
        let theta = Vector2::new(t1, t2);
        let gradient = nll.gradient_at(&theta).unwrap();
        let hessian = nll.hessian_at(&theta).unwrap();
        for k in 0..2 {
            assert_fd(gradient[k], central_difference(|t| nll.value(t).unwrap(), &theta, k), "NLL gradient");
            for j in 0..2 {
                let column = central_difference(|t| nll.gradient_at(t).unwrap()[j], &theta, k);
                assert_fd(hessian[(j, k)], column, "NLL Hessian");
            }
        }
    }

    /// The L2 loss's gradient (softmax Jacobian) and Hessian against finite differences.
    #[test]
    fn b4_l2_gradient_and_hessian_match_finite_differences(
        weights in weights_with_zeros(),
        t1 in -3.0..3.0f64,
        t2 in -3.0..3.0f64,
    ) {
        let q = Discrete::from_weights(&weights).unwrap();
        let family = QuadraticExponentialFamily::new(q.len()).unwrap();
        let loss = SquaredError::new(family, &q).unwrap();
        let theta = Vector2::new(t1, t2);
        let gradient = loss.gradient_at(&theta).unwrap();
        let hessian = loss.hessian_at(&theta).unwrap();
        for k in 0..2 {
            assert_fd(gradient[k], central_difference(|t| loss.value(t).unwrap(), &theta, k), "L2 gradient");
            for j in 0..2 {
                let column = central_difference(|t| loss.gradient_at(t).unwrap()[j], &theta, k);
                assert_fd(hessian[(j, k)], column, "L2 Hessian");
            }
        }
    }

    /// The seed quadratic's L2 gradient and Hessian against finite differences,
    /// around the seed's example theta.
    #[test]
    fn b4_seed_quadratic_gradient_and_hessian_match_finite_differences(
        d1 in -0.02..0.02f64,
        d2 in -2.0..2.0f64,
        d3 in -0.2..0.2f64,
    ) {
        let loss = SeedQuadraticSquaredError::new(&note_balls());
        let theta = Vector3::from(NOTE_THETA) + Vector3::new(d1, d2, d3);
        let gradient = loss.gradient_at(&theta).unwrap();
        let hessian = loss.hessian_at(&theta).unwrap();
        for k in 0..3 {
            assert_fd(gradient[k], central_difference(|t| loss.value(t).unwrap(), &theta, k), "gradient");
            for j in 0..3 {
                let column = central_difference(|t| loss.gradient_at(t).unwrap()[j], &theta, k);
                assert_fd(hessian[(j, k)], column, "Hessian");
            }
        }
    }
}

proptest! {
    #![proptest_config(common::config(32))]

    /// For any q with full support the ML fit matches the first two moments.
    #[test]
    fn b4_ml_fit_matches_moments_for_random_q(weights in positive_weights()) {
        let q = Discrete::from_weights(&weights).unwrap();
        let family = QuadraticExponentialFamily::new(q.len()).unwrap();
        let fit = fit_maximum_likelihood(&q).unwrap();
        // Weights in [0.01, 1] keep |theta| moderate: the fixed target applies,
        // and MOMENT_ROUNDING's assumption |theta| <= 30 holds.
        prop_assert_eq!(fit.gradient_target, ML_GRADIENT_TARGET);
        prop_assert!(fit.theta.abs().sum() <= 30.0);
        let (mean_bound, square_bound) = family.moment_mismatch_bounds(fit.gradient_target);
        let (fit_mean, fit_square) = label_moments(&fit.distribution);
        let (data_mean, data_square) = label_moments(&q);
        prop_assert!((fit_mean - data_mean).abs() <= mean_bound + MOMENT_ROUNDING);
        prop_assert!((fit_square - data_square).abs() <= square_bound + MOMENT_ROUNDING);
    }

    /// For any q with full support the ML fit beats the L2 fit in KL and loses in L2.
    #[test]
    fn b4_ml_and_l2_fits_rank_for_random_q(weights in positive_weights()) {
        let q = Discrete::from_weights(&weights).unwrap();
        let family = QuadraticExponentialFamily::new(q.len()).unwrap();
        let ml = fit_maximum_likelihood(&q).unwrap();
        let l2 = fit_least_squares(&q).unwrap();
        // KL and the L2 loss are sums of at most 11 terms below a few units,
        // each computed with a few EPS of error: 1e-14 covers the rounding
        // when the two fits nearly coincide (q almost in the family).
        const ROUNDING: f64 = 1e-14;
        prop_assert!(kl(&q, &ml.distribution).unwrap() <= kl(&q, &l2.distribution).unwrap() + ROUNDING);
        let loss = SquaredError::new(family, &q).unwrap();
        prop_assert!(l2.objective <= loss.value(&ml.theta).unwrap() + ROUNDING);
    }

    /// The ML fit succeeds wherever the estimate exists, also on data with
    /// zeros and entries down to 1e-310 (bug 13: it gave up on
    /// (1e-10, 1e-5, 1)/Z), and refuses exactly where it does not.
    #[test]
    fn b4_ml_fit_succeeds_wherever_the_estimate_exists(weights in adversarial_weights()) {
        let q = Discrete::from_weights(&weights).unwrap();
        match fit_maximum_likelihood(&q) {
            Ok(fit) => {
                prop_assert!(ml_estimate_exists(&q));
                prop_assert_eq!(fit.gradient_target, ml_gradient_target(&fit.theta, q.len()));
                prop_assert!(fit.gradient_norm <= fit.gradient_target);
            }
            Err(Error::InvalidParameter { .. }) => prop_assert!(!ml_estimate_exists(&q)),
            Err(other) => prop_assert!(false, "{other} on {:?}", q.as_slice()),
        }
    }

    /// On full-support data spanning up to six decades the L2 fit certifies
    /// a strict local minimum: gradient below its target, Newton step below
    /// NEWTON_STEP_TARGET (the sweep: 20000 such q, no refusal).
    #[test]
    fn b4_l2_fit_converges_on_full_support_q(weights in log_uniform_weights()) {
        let q = Discrete::from_weights(&weights).unwrap();
        let fit = fit_least_squares(&q).unwrap();
        prop_assert!(fit.gradient_norm <= fit.gradient_target);
        prop_assert!(fit.newton_step_norm <= NEWTON_STEP_TARGET);
        prop_assert_eq!(fit.gradient_target, l2_gradient_target(&fit.theta, q.len()));
    }
}

#[test]
fn b4_seed_balls_are_counts_over_45() {
    let q = note_balls();
    assert_eq!(NOTE_BALL_COUNTS.iter().sum::<f64>(), 45.0);
    // from_weights computes (w / max) / total: three roundings of at most
    // EPS/2 relative each (the scaling, the compensated total, the
    // division), 1.5 EPS in all; 4 EPS leaves a factor 2.7.
    const FROM_WEIGHTS_ROUNDING: f64 = 4.0 * tol::EPS;
    for (i, &count) in NOTE_BALL_COUNTS.iter().enumerate() {
        assert!(tol::close_with(
            q[i],
            count / 45.0,
            FROM_WEIGHTS_ROUNDING,
            0.0
        ));
    }
}

/// The exponential family's ML fit is characterised by E_p[x] = E_q[x] and
/// E_p[x^2] = E_q[x^2]; on the 45 balls E_q[x] = 215/45 and E_q[x^2] = 1195/45.
#[test]
fn b4_ml_fit_matches_moments() {
    let q = note_balls();
    let family = QuadraticExponentialFamily::new(9).unwrap();
    let fit = fit_maximum_likelihood(&q).unwrap();
    assert_eq!(fit.gradient_target, ML_GRADIENT_TARGET);
    assert!(fit.gradient_norm <= fit.gradient_target);
    let (mean_bound, square_bound) = family.moment_mismatch_bounds(fit.gradient_target);
    let (fit_mean, fit_square) = label_moments(&fit.distribution);
    // sum x count_x = 215 and sum x^2 count_x = 1195, by hand from the counts.
    assert!((fit_mean - 215.0 / 45.0).abs() <= mean_bound + MOMENT_ROUNDING);
    assert!((fit_square - 1195.0 / 45.0).abs() <= square_bound + MOMENT_ROUNDING);
}

/// Root of an increasing function on `[low, high]` by bisection, to the last bit.
fn bisect(f: impl Fn(f64) -> f64, mut low: f64, mut high: f64) -> f64 {
    loop {
        let middle = 0.5 * (low + high);
        if middle <= low || middle >= high {
            return middle;
        }
        if f(middle) < 0.0 {
            low = middle;
        } else {
            high = middle;
        }
    }
}

/// Solves the moment equations `E_p[u] = m1`, `E_p[u^2] = m2` by nested
/// bisection, using no derivative and no optimiser. For fixed `theta2`,
/// `E_p[u]` increases in `theta1` (its derivative is `Var(u) > 0`); along the
/// resulting curve `E_p[u^2]` increases in `theta2` (its derivative is the
/// Schur complement `Var(u^2) - Cov(u, u^2)^2 / Var(u) > 0`).
fn moment_matching_by_bisection(
    family: &QuadraticExponentialFamily,
    m: Vector2<f64>,
) -> Vector2<f64> {
    const BRACKET: f64 = 100.0;
    let mean = |t1: f64, t2: f64| family.mean_statistic(&Vector2::new(t1, t2)).unwrap();
    let theta1_for = |t2: f64| bisect(|t1| mean(t1, t2)[0] - m[0], -BRACKET, BRACKET);
    let theta2 = bisect(|t2| mean(theta1_for(t2), t2)[1] - m[1], -BRACKET, BRACKET);
    Vector2::new(theta1_for(theta2), theta2)
}

/// Solving the moment equations E_p[T] = E_q[T] by nested bisection, without
/// argmin, lands on the argmin ML fit.
#[test]
fn b4_ml_fit_equals_moment_matching_by_bisection() {
    let q = note_balls();
    let family = QuadraticExponentialFamily::new(9).unwrap();
    let target = family.mean_statistic_of(&q).unwrap();
    let theta = moment_matching_by_bisection(&family, target);
    // The bisection's own residual: rounding of the moments, a few EPS.
    const BISECTION_RESIDUAL: f64 = 1e-14;
    assert!((family.mean_statistic(&theta).unwrap() - target).norm() <= BISECTION_RESIDUAL);
    let fit = fit_maximum_likelihood(&q).unwrap();
    // Near the optimum |theta - theta*| <= |g| / lambda_min(Hessian) for each
    // of the two points; the factor 2 covers the Hessian's change over the
    // tiny segment between them.
    let lambda_min = family
        .covariance(&theta)
        .unwrap()
        .symmetric_eigenvalues()
        .min();
    let bound = 2.0 * (fit.gradient_target + BISECTION_RESIDUAL) / lambda_min;
    let distance = (fit.theta - theta).norm();
    assert!(distance <= bound, "distance {distance:e}, bound {bound:e}");
}

/// The ML fit has the smallest KL(q || p) among the L2 fit and nearby parameters.
#[test]
fn b4_ml_fit_minimises_kl() {
    let q = note_balls();
    let family = QuadraticExponentialFamily::new(9).unwrap();
    let ml = fit_maximum_likelihood(&q).unwrap();
    let l2 = fit_least_squares(&q).unwrap();
    let kl_ml = kl(&q, &ml.distribution).unwrap();
    assert!(kl_ml < kl(&q, &l2.distribution).unwrap());
    for delta in perturbations() {
        let nearby = family.distribution(&(ml.theta + delta)).unwrap();
        assert!(
            kl_ml < kl(&q, &nearby).unwrap(),
            "beaten at delta {delta:?}"
        );
    }
    // And it is the NLL minimiser: KL and NLL differ by the constant H(q).
    assert!(tol::close(kl_ml, ml.objective - entropy(&q)));
}

/// The L2 fit has the smallest L2 loss among the ML fit and nearby parameters.
#[test]
fn b4_l2_fit_minimises_l2_loss() {
    let q = note_balls();
    let family = QuadraticExponentialFamily::new(9).unwrap();
    let loss = SquaredError::new(family, &q).unwrap();
    let ml = fit_maximum_likelihood(&q).unwrap();
    let l2 = fit_least_squares(&q).unwrap();
    assert_eq!(l2.gradient_target, l2_gradient_target(&l2.theta, 9));
    assert!(l2.gradient_norm <= l2.gradient_target);
    assert_eq!(l2.objective, loss.value(&l2.theta).unwrap());
    assert!(l2.objective < loss.value(&ml.theta).unwrap());
    for delta in perturbations() {
        let nearby = loss.value(&(l2.theta + delta)).unwrap();
        assert!(l2.objective < nearby, "beaten at delta {delta:?}");
    }
}

/// The two estimators give different answers: their distance is far above
/// what the optimiser leaves uncertain.
#[test]
fn b4_fits_differ() {
    let q = note_balls();
    let family = QuadraticExponentialFamily::new(9).unwrap();
    let ml = fit_maximum_likelihood(&q).unwrap();
    let l2 = fit_least_squares(&q).unwrap();
    // Each fit is within target / lambda_min(Hessian) of its exact optimiser
    // (to first order; factor 2 for the rest).
    let ml_hessian = NegativeLogLikelihood::new(family, &q)
        .unwrap()
        .hessian_at(&ml.theta);
    let l2_hessian = SquaredError::new(family, &q).unwrap().hessian_at(&l2.theta);
    let uncertainty = 2.0
        * (ml.gradient_target / ml_hessian.unwrap().symmetric_eigenvalues().min()
            + l2.gradient_target / l2_hessian.unwrap().symmetric_eigenvalues().min());
    let distance = (ml.theta - l2.theta).norm();
    assert!(
        distance >= FITS_DIFFER_FACTOR * uncertainty,
        "{distance:e} vs {uncertainty:e}"
    );
    // |dp/dtheta|_1 <= max |T - E_p T| <= sqrt(2^2 + 1^2), so TV moves by at
    // most sqrt(5)/2 per unit of theta.
    let tv = total_variation(&ml.distribution, &l2.distribution).unwrap();
    assert!(tv >= FITS_DIFFER_FACTOR * 5f64.sqrt() / 2.0 * uncertainty);
}

/// Same input, same output, bit for bit.
#[test]
fn b4_fits_are_reproducible() {
    let q = note_balls();
    for fit in [fit_maximum_likelihood, fit_least_squares] {
        let (a, b) = (fit(&q).unwrap(), fit(&q).unwrap());
        assert_eq!(a.theta[0].to_bits(), b.theta[0].to_bits());
        assert_eq!(a.theta[1].to_bits(), b.theta[1].to_bits());
        assert_eq!(a.objective.to_bits(), b.objective.to_bits());
        assert_eq!(a.iterations, b.iterations);
        assert_eq!(a, b);
    }
    let start = Vector3::from(NOTE_THETA);
    assert_eq!(
        fit_seed_quadratic(&q, &start).unwrap(),
        fit_seed_quadratic(&q, &start).unwrap()
    );
}

/// argmin's L2 fit of theta1 (x + theta2)^2 + theta3 agrees with the normal
/// equations of the equivalent linear least-squares problem.
#[test]
fn b4_seed_quadratic_fit_matches_normal_equations() {
    let q = note_balls();
    let fit = fit_seed_quadratic(&q, &Vector3::from(NOTE_THETA)).unwrap();
    let exact = seed_quadratic_normal_equations(&q).unwrap();
    // argmin's point is within target / lambda_min(Hessian) of the exact
    // minimiser to first order (factor 2 for the rest); the normal equations
    // carry their own rounding.
    let loss = SeedQuadraticSquaredError::new(&q);
    let hessian: Matrix3<f64> = loss.hessian_at(&exact).unwrap();
    let lambda_min = hessian.symmetric_eigenvalues().min();
    assert!(lambda_min > 0.0, "the exact optimum is a strict minimum");
    let bound = 2.0 * SEED_QUADRATIC_GRADIENT_TARGET / lambda_min + NORMAL_EQUATIONS_ROUNDING;
    let distance = (fit.theta - exact).norm();
    assert!(distance <= bound, "distance {distance:e}, bound {bound:e}");
    // No parameter beats the exact optimum: with the loss near 1.7e-3 and a
    // relative rounding error of a few EPS, 1e-17 absolute is ample.
    const LOSS_ROUNDING: f64 = 1e-17;
    let exact_loss = loss.value(&exact).unwrap();
    assert!(fit.loss >= exact_loss - LOSS_ROUNDING);
    // The seed's own example theta is not the optimum; its loss, checked
    // against the exact 479/67500 in b4_seed_quadratic_exact_optimum, lies
    // above the unique minimum by far more than rounding.
    assert!(loss.value(&Vector3::from(NOTE_THETA)).unwrap() > exact_loss + LOSS_ROUNDING);
}

/// The exact L2 optimum of the seed's quadratic, solved by hand in rationals:
/// `theta = (-13/1386, -1873/390, 2821729/16216200)`, loss `32/18711`; the
/// seed's example loses `479/67500`.
#[test]
fn b4_seed_quadratic_exact_optimum() {
    let q = note_balls();
    let exact = Vector3::new(-13.0 / 1386.0, -1873.0 / 390.0, 2_821_729.0 / 16_216_200.0);
    let solved = seed_quadratic_normal_equations(&q).unwrap();
    assert!((solved - exact).norm() <= NORMAL_EQUATIONS_ROUNDING);
    // A loss near 1.7e-3 summed from nine squares carries a few EPS of
    // relative error: 1e-17 absolute is ample.
    const LOSS_ROUNDING: f64 = 1e-17;
    let fit = fit_seed_quadratic(&q, &Vector3::from(NOTE_THETA)).unwrap();
    assert!((fit.loss - 32.0 / 18711.0).abs() <= LOSS_ROUNDING);
    let loss = SeedQuadraticSquaredError::new(&q);
    let seed_loss = loss.value(&Vector3::from(NOTE_THETA)).unwrap();
    assert!((seed_loss - 479.0 / 67500.0).abs() <= LOSS_ROUNDING);
}

/// The seed's quadratic is not a probability family.
#[test]
fn b4_seed_quadratic_is_not_a_distribution() {
    // The seed's example sums to 9 * 0.2 - 0.01 * (16 + 9 + 4 + 1 + 0 + 1 + 4 + 9 + 16) = 1.2.
    // Each of the nine values (|v| <= 0.2) carries the representation errors
    // of -0.01 and 0.2 and two roundings, together at most 0.36 EPS; the
    // eight additions of partial sums up to 1.2 add at most 0.6 EPS each:
    // 8.1 EPS in all, so 9 EPS.
    const EXAMPLE_SUM_ROUNDING: f64 = 9.0 * tol::EPS;
    let values = seed_quadratic_values(&Vector3::from(NOTE_THETA), 9).unwrap();
    assert!((values.iter().sum::<f64>() - 1.2).abs() <= EXAMPLE_SUM_ROUNDING);
    // Its L2 fit to a point mass at label 5 goes negative at some labels.
    let spike = Discrete::point_mass(9, 4).unwrap();
    let fit = fit_seed_quadratic(&spike, &Vector3::from(NOTE_THETA)).unwrap();
    assert!(fit.values.iter().any(|&v| v < 0.0), "{:?}", fit.values);
    // The L2 fit does sum to 1: the constant theta3 makes the residuals sum to 0.
    let balls = fit_seed_quadratic(&note_balls(), &Vector3::from(NOTE_THETA)).unwrap();
    let sum: f64 = balls.values.iter().sum();
    // sum v - 1 = sum r + (sum q - 1). |sum r| = |de/dtheta3| / 2 is at most
    // the gradient norm / 2 plus the rounding of that component (nine terms
    // below 0.1: under 0.5 EPS); the stored q, each within 1.5 EPS relative
    // of count / 45, sum to 1 within 1.5 EPS; summing the nine values
    // (partial sums up to 1) adds at most 8 EPS / 2 = 4 EPS. About 6 EPS in
    // all; 16 EPS leaves a factor 2.7.
    const VALUES_SUM_ROUNDING: f64 = 16.0 * tol::EPS;
    assert!((sum - 1.0).abs() <= balls.gradient_norm / 2.0 + VALUES_SUM_ROUNDING);
}

/// Three labels: every `q` of full support lies in the family, at the
/// closed form `theta1 = (ln q3 - ln q1)/2`, `theta2 = (ln q1 + ln q3)/2 - ln q2`.
/// Entries like 1e-10 or 1e-300 make the Hessian nearly singular (bug 13:
/// the fit gave up on (1e-10, 1e-5, 1)/Z). As `p_theta* = q`,
/// `KL(q || p_theta) = L(theta) - L(theta*)`, and by convexity of the NLL
/// `L` that is at most `g . (theta - theta*) <= |g| |theta - theta*|`, with
/// `|g|` the computed gradient norm plus its rounding error.
#[test]
fn b4_ml_fit_on_three_labels_with_tiny_entries() {
    // KL sums three terms a ln(a/b) - a + b, each with the rounding of a/b
    // and of its logarithm (about EPS a), and subtracts the mass difference
    // (a few EPS): 8 EPS covers it.
    const KL_ROUNDING: f64 = 8.0 * tol::EPS;
    for weights in [
        [1e-10, 1e-5, 1.0],
        [1.0, 1e-300, 1.0],
        [1e-300, 1.0, 1.0],
        [1e-300, 1e-150, 1.0],
        [0.3, 0.2, 0.5],
    ] {
        let q = Discrete::from_weights(&weights).unwrap();
        let fit = fit_maximum_likelihood(&q).unwrap();
        assert!(fit.gradient_norm <= fit.gradient_target);
        let ln_q = |i: usize| q[i].ln();
        let exact = Vector2::new(
            (ln_q(2) - ln_q(0)) / 2.0,
            (ln_q(0) + ln_q(2)) / 2.0 - ln_q(1),
        );
        let gradient_rounding = ml_gradient_target(&fit.theta, 3);
        let bound =
            (fit.gradient_norm + gradient_rounding) * (fit.theta - exact).norm() + KL_ROUNDING;
        let divergence = kl(&q, &fit.distribution).unwrap();
        assert!(
            divergence <= bound,
            "{weights:?}: KL {divergence:e} above {bound:e} (theta {:?}, exact {:?})",
            fit.theta.as_slice(),
            exact.as_slice()
        );
    }
}

/// Data many orders of magnitude apart put the estimate at `|theta|` in the
/// tens of thousands, where the gradient cannot be computed to 1e-12: the
/// fit meets the target scaled to its rounding error instead of failing.
#[test]
fn b4_ml_fit_with_huge_theta_meets_its_scaled_target() {
    // A point mass at label 51 of 101 with 1e-12 on every other label.
    let weights: Vec<f64> = (0..101)
        .map(|i| if i == 50 { 1.0 } else { 1e-12 })
        .collect();
    let q = Discrete::from_weights(&weights).unwrap();
    let fit = fit_maximum_likelihood(&q).unwrap();
    assert!(fit.theta.abs().sum() > 1e3, "{:?}", fit.theta.as_slice());
    assert_eq!(fit.gradient_target, ml_gradient_target(&fit.theta, 101));
    assert!(fit.gradient_target > ML_GRADIENT_TARGET);
    assert!(fit.gradient_norm <= fit.gradient_target);
}

/// Where the L2 loss keeps falling as `|theta|` grows, the fit refuses: a
/// small gradient and a positive definite Hessian appear along the way, but
/// the Newton step stays of order 1.
#[test]
fn b4_l2_fit_refuses_where_the_loss_keeps_falling() {
    for weights in [
        &[0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0][..],
        &[0.0, 1.0, 1.0, 0.0, 0.0],
    ] {
        let q = Discrete::from_weights(weights).unwrap();
        assert!(
            matches!(fit_least_squares(&q), Err(Error::NotConverged { .. })),
            "{weights:?}"
        );
    }
}

/// A straight line is no parabola: the normal equations say so instead of
/// dividing by a curvature that is only rounding error (for a uniform q on
/// 101 labels g came out near -2e-20 and theta2 near -51). A small but real
/// curvature is kept, to within the rounding allowance.
#[test]
fn b4_normal_equations_refuse_a_straight_line() {
    for n in [3, 9, 101] {
        let uniform = Discrete::uniform(n).unwrap();
        let rising =
            Discrete::from_weights(&(1..=n).map(|x| x as f64).collect::<Vec<_>>()).unwrap();
        for q in [uniform, rising] {
            assert!(
                matches!(
                    seed_quadratic_normal_equations(&q),
                    Err(Error::InvalidParameter { .. })
                ),
                "n = {n}: {:?}",
                seed_quadratic_normal_equations(&q)
            );
        }
    }
    // q proportional to 1 + 1e-6 (x - 5)^2 on 9 labels: g = 1e-6 / total exactly.
    let weights: Vec<f64> = (1..=9)
        .map(|x| 1.0 + 1e-6 * (x as f64 - 5.0).powi(2))
        .collect();
    let total: f64 = weights.iter().sum();
    let q = Discrete::from_weights(&weights).unwrap();
    let theta = seed_quadratic_normal_equations(&q).unwrap();
    let largest = q.as_slice().iter().copied().fold(0.0, f64::max);
    let half_width: f64 = 4.0;
    let allowance = STRAIGHT_LINE_ULPS * 9.0 * tol::EPS * largest / (half_width * half_width);
    assert!((theta[0] - 1e-6 / total).abs() <= allowance, "{theta:?}");
}

/// Without an interior mean there is no ML estimate, and the fit says so.
#[test]
fn b4_ml_refuses_q_on_the_boundary() {
    for weights in [
        [0.0, 0.0, 1.0, 0.0, 0.0],
        [0.0, 1.0, 1.0, 0.0, 0.0],
        [1.0, 0.0, 0.0, 0.0, 3.0],
    ] {
        let q = Discrete::from_weights(&weights).unwrap();
        assert!(matches!(
            fit_maximum_likelihood(&q),
            Err(Error::InvalidParameter { .. })
        ));
    }
    // Two labels apart, not the two ends: interior, so the fit exists and matches moments.
    let q = Discrete::from_weights(&[1.0, 0.0, 1.0, 0.0, 0.0]).unwrap();
    let family = QuadraticExponentialFamily::new(5).unwrap();
    let fit = fit_maximum_likelihood(&q).unwrap();
    let (mean_bound, _) = family.moment_mismatch_bounds(ML_GRADIENT_TARGET);
    assert!((label_moments(&fit.distribution).0 - 2.0).abs() <= mean_bound + MOMENT_ROUNDING);
    // Too few labels for two parameters.
    assert!(fit_maximum_likelihood(&Discrete::uniform(2).unwrap()).is_err());
}
