//! Claim B4: maximum likelihood is minimum KL, on the 45 balls of BrightLamp's note.
//!
//! The check fits the discretised Gaussian family to the balls by maximum
//! likelihood and by the seed's L2 loss (both with argmin), and the seed's own
//! quadratic by L2, then measures what the proof predicts: the ML fit matches
//! the first two moments, has the smaller KL(q || p), is a local minimiser of
//! KL; the L2 fit has the smaller L2 loss; the two fits are far apart compared
//! with the optimiser's accuracy; the seed's quadratic fit agrees with the
//! normal equations and beats the seed's example parameters. It also fits a
//! random full-support `q` drawn from the context's seed and measures its
//! moment matching, so that different seeds check different data.

use super::{Context, Measurement, rng_for};
use crate::divergence::{entropy, kl};
use crate::error::Result;
use crate::measure::Discrete;
use crate::tol;
use crate::train::fit::{
    MOMENT_ROUNDING, NORMAL_EQUATIONS_ROUNDING, NOTE_THETA, NegativeLogLikelihood,
    QuadraticExponentialFamily, SEED_QUADRATIC_GRADIENT_TARGET, SeedQuadraticSquaredError,
    SquaredError, fit_least_squares, fit_maximum_likelihood, fit_seed_quadratic, note_balls,
    seed_quadratic_normal_equations,
};
use nalgebra::{Vector2, Vector3};
use rand::RngExt;

/// Size of the parameter perturbations around the ML fit: KL rises by about
/// `lambda_min delta^2 / 2 >= 3e-8` (lambda_min of the Fisher information is
/// 0.075 here), far above rounding (1e-16) and the first-order term (1e-15).
const PERTURBATION: f64 = 1e-3;

/// The two fits must lie this many times the optimiser's uncertainty apart.
const FITS_DIFFER_FACTOR: f64 = 1e3;

/// Salt of this claim's random numbers (see [`rng_for`]; unused by the other claims).
const SALT: u64 = 24;

/// Number of labels of the random `q`, and the range of its weights: every
/// entry at least 1/100 of the largest keeps `|theta|` well below 30, where
/// [`MOMENT_ROUNDING`] applies.
const RANDOM_LABELS: usize = 11;
const RANDOM_WEIGHTS: std::ops::Range<f64> = 0.01..1.0;

/// `E_p[x]` and `E_p[x^2]` over the labels `x = i + 1`.
fn label_moments(p: &Discrete) -> (f64, f64) {
    let x = |i: usize| i as f64 + 1.0;
    (p.expect(x), p.expect(|i| x(i) * x(i)))
}

pub(crate) fn check_b4(context: &Context) -> Result<Vec<Measurement>> {
    let q = note_balls();
    let family = QuadraticExponentialFamily::new(q.len())?;
    let ml = fit_maximum_likelihood(&q)?;
    let l2 = fit_least_squares(&q)?;
    let nll = NegativeLogLikelihood::new(family, &q)?;
    let squared_error = SquaredError::new(family, &q)?;

    // Moment matching, within what the gradient target leaves open.
    let (mean_bound, square_bound) = family.moment_mismatch_bounds(ml.gradient_target);
    let (fit_mean, fit_square) = label_moments(&ml.distribution);
    let (data_mean, data_square) = label_moments(&q);

    // KL = cross-entropy - entropy at the ML fit.
    let kl_ml = kl(&q, &ml.distribution)?;
    let cross_entropy_minus_entropy = nll.value(&ml.theta)? - entropy(&q);
    let identity_tolerance =
        tol::IDENTITY_ABS + tol::IDENTITY_REL * kl_ml.abs().max(cross_entropy_minus_entropy.abs());

    // KL rises in every one of eight directions around the ML fit.
    let mut smallest_rise = f64::INFINITY;
    for k in 0..8 {
        let angle = k as f64 * std::f64::consts::FRAC_PI_4;
        let delta = PERTURBATION * Vector2::new(angle.cos(), angle.sin());
        let nearby = family.distribution(&(ml.theta + delta))?;
        smallest_rise = smallest_rise.min(kl(&q, &nearby)? - kl_ml);
    }

    // How far apart the fits are, against target / lambda_min for each.
    let ml_lambda = nll.hessian_at(&ml.theta)?.symmetric_eigenvalues().min();
    let l2_lambda = squared_error
        .hessian_at(&l2.theta)?
        .symmetric_eigenvalues()
        .min();
    let uncertainty = 2.0 * (ml.gradient_target / ml_lambda + l2.gradient_target / l2_lambda);

    // The seed's own quadratic: argmin against the normal equations.
    let seed_theta = Vector3::from(NOTE_THETA);
    let quadratic = fit_seed_quadratic(&q, &seed_theta)?;
    let exact = seed_quadratic_normal_equations(&q)?;
    let quadratic_loss = SeedQuadraticSquaredError::new(&q);
    let quadratic_lambda = quadratic_loss
        .hessian_at(&exact)?
        .symmetric_eigenvalues()
        .min();
    let quadratic_bound =
        2.0 * SEED_QUADRATIC_GRADIENT_TARGET / quadratic_lambda + NORMAL_EQUATIONS_ROUNDING;

    // A random full-support q from the seed: the ML fit matches its moments too.
    let mut rng = rng_for(context, SALT);
    let weights: Vec<f64> = (0..RANDOM_LABELS)
        .map(|_| rng.random_range(RANDOM_WEIGHTS))
        .collect();
    let random_q = Discrete::from_weights(&weights)?;
    let random_family = QuadraticExponentialFamily::new(RANDOM_LABELS)?;
    let random_fit = fit_maximum_likelihood(&random_q)?;
    let (random_mean_bound, random_square_bound) =
        random_family.moment_mismatch_bounds(random_fit.gradient_target);
    let (random_fit_mean, random_fit_square) = label_moments(&random_fit.distribution);
    let (random_mean, random_square) = label_moments(&random_q);

    Ok(vec![
        Measurement::within(
            "|E_p_ML[x] - E_q[x]| (ML fit matches the mean)",
            (fit_mean - data_mean).abs(),
            0.0,
            mean_bound + MOMENT_ROUNDING,
        ),
        Measurement::within(
            "|E_p_ML[x^2] - E_q[x^2]| (ML fit matches the second moment)",
            (fit_square - data_square).abs(),
            0.0,
            square_bound + MOMENT_ROUNDING,
        ),
        Measurement::within(
            "KL(q || p_ML) against -E_q ln p_ML - H(q)",
            kl_ml,
            cross_entropy_minus_entropy,
            identity_tolerance,
        ),
        Measurement::at_most(
            "KL(q || p_ML), bounded by KL(q || p_L2)",
            kl_ml,
            kl(&q, &l2.distribution)?,
            0.0,
        ),
        Measurement::at_least(
            "smallest rise of KL(q || p) over 8 steps of 1e-3 from theta_ML",
            smallest_rise,
            0.0,
            0.0,
        ),
        Measurement::at_most(
            "L2 loss of the L2 fit, bounded by that of the ML fit",
            l2.objective,
            squared_error.value(&ml.theta)?,
            0.0,
        ),
        Measurement::at_least(
            "|theta_ML - theta_L2|, at least 1000 x the optimiser's uncertainty",
            (ml.theta - l2.theta).norm(),
            FITS_DIFFER_FACTOR * uncertainty,
            0.0,
        ),
        Measurement::within(
            "|theta_argmin - theta_normal_equations| for the seed's quadratic",
            (quadratic.theta - exact).norm(),
            0.0,
            quadratic_bound,
        ),
        Measurement::at_least(
            "L2 loss of the seed's theta* = (-0.01, -5, 0.2), at least the optimum's",
            quadratic_loss.value(&seed_theta)?,
            quadratic.loss,
            0.0,
        ),
        Measurement::within(
            "|E_p_ML[x] - E_q[x]| for a random q on 11 labels (from the seed)",
            (random_fit_mean - random_mean).abs(),
            0.0,
            random_mean_bound + MOMENT_ROUNDING,
        ),
        Measurement::within(
            "|E_p_ML[x^2] - E_q[x^2]| for the same random q",
            (random_fit_square - random_square).abs(),
            0.0,
            random_square_bound + MOMENT_ROUNDING,
        ),
    ])
}
