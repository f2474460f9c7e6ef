//! The experiments of claim F1 (finite samples never overlap): the
//! empirical measures of two samples from the same continuous law, their
//! JSD, a discriminator trained to separate them with the minimax generator
//! gradient it leaves, and the convergence of W1 between samples of normals.
//! Claim F1's check measures them; the report's finite-samples figure draws
//! the same runs.

use crate::critic::Critic;
use crate::error::Result;
use crate::measure::Discrete;
use crate::mlp::{Activation, Mlp};
use crate::numeric::sigmoid;
use crate::optim::{Adam, AnyOptimizer};
use crate::train::algorithm1::{Normal1d, Sampler, TrainingRng};
use crate::train::wgan::{
    Empirical, GeneratorObjective, generator_gradient, pushforward, train_standard_discriminator,
};
use crate::transport::Points;
use crate::transport::line::{LineSample, w1};
use nalgebra::{DMatrix, DVector};
use rand::{Rng, RngExt, SeedableRng};

/// Salts of F1's three independent streams of draws (see
/// [`rng_for`](crate::experiments::rng_for)): the uniform samples, the
/// separation run, the normal samples.
pub(crate) const SALT_UNIFORM: u64 = 0xF1;
/// See [`SALT_UNIFORM`].
pub(crate) const SALT_SEPARATION: u64 = 0xF1_5E;
/// See [`SALT_UNIFORM`].
pub(crate) const SALT_NORMALS: u64 = 0xF1_4E;

// ---------------------------------------------------------------------------
// Disjoint supports: the empirical measures of two samples of U[0, 1).
// ---------------------------------------------------------------------------

/// Sample sizes at which the JSD of two samples of `U[0, 1)` is computed:
/// from a single point to ten thousand.
pub(crate) const JSD_SIZES: [usize; 5] = [1, 10, 100, 1_000, 10_000];

/// The probability that two independent draws of `rand`'s `f64` uniform
/// coincide: each is `k 2^-53` with `k` uniform on `0 .. 2^53`, so two draws
/// are equal with probability exactly `2^-53` (`rand` takes the top 53 bits
/// of a `u64`; the generator is treated as ideal).
pub(crate) const TIE_PROBABILITY: f64 = 1.0 / 9_007_199_254_740_992.0;

/// The probability that some draw of the first sample equals some draw of
/// the second, over every size of [`JSD_SIZES`] (`n` against `n`): at most
/// `sum n^2 2^-53` by the union bound over the `n^2` pairs. The false-alarm
/// probability of the checks that need the samples disjoint.
pub(crate) fn jsd_tie_probability() -> f64 {
    JSD_SIZES
        .iter()
        .map(|&n| (n * n) as f64 * TIE_PROBABILITY)
        .sum()
}

/// `n` draws of `U[0, 1)` (multiples of `2^-53`).
pub(crate) fn uniform_sample<R: Rng + ?Sized>(rng: &mut R, n: usize) -> Vec<f64> {
    (0..n).map(|_| rng.random::<f64>()).collect()
}

/// The empirical measures of the samples `xs` and `ys` (each point mass
/// `1/n`, repeated values adding up) on the distinct values of both
/// together, in ascending order, and how many distinct values carry mass of
/// both: the support of their mixture, where JSD, KL and TV are computed.
///
/// # Errors
/// [`crate::Error::Empty`] for an empty sample; the errors of
/// [`Discrete::from_weights`] for non-finite values' masses (none arise).
pub(crate) fn empirical_pair(xs: &[f64], ys: &[f64]) -> Result<(Discrete, Discrete, usize)> {
    let mut all: Vec<(f64, bool)> = xs
        .iter()
        .map(|&x| (x, true))
        .chain(ys.iter().map(|&y| (y, false)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut p, mut q) = (Vec::new(), Vec::new());
    let mut shared = 0usize;
    let mut k = 0;
    while k < all.len() {
        let value = all[k].0;
        let (mut from_x, mut from_y) = (0.0, 0.0);
        while k < all.len() && all[k].0 == value {
            if all[k].1 {
                from_x += 1.0;
            } else {
                from_y += 1.0;
            }
            k += 1;
        }
        shared += usize::from(from_x > 0.0 && from_y > 0.0);
        p.push(from_x);
        q.push(from_y);
    }
    Ok((
        Discrete::from_weights(&p)?,
        Discrete::from_weights(&q)?,
        shared,
    ))
}

// ---------------------------------------------------------------------------
// W1 between samples of normals.
// ---------------------------------------------------------------------------

/// The two laws of the convergence check: `N(0, 1)` and `N(1/2, 2^2)`,
/// whose quantile functions cross (so W1 is not `|m1 - m2|`).
pub(crate) const LAW_P: (f64, f64) = (0.0, 1.0);
/// The second law of [`LAW_P`]'s check.
pub(crate) const LAW_Q: (f64, f64) = (0.5, 2.0);
/// Sample sizes of the check against the closed form.
pub(crate) const APART_SIZES: [usize; 3] = [16, 256, 4096];
/// Independent replicates averaged at each of [`APART_SIZES`].
pub(crate) const APART_REPLICATES: usize = 16;
/// Sample sizes of the rate check with both samples from `N(0, 1)`.
pub(crate) const SAME_SIZES: [usize; 3] = [16, 128, 1024];
/// Independent replicates averaged at each of [`SAME_SIZES`]: enough for
/// the concentration allowance `sqrt(4 ln(2/delta)/R) = 0.95` to leave the
/// interval's lower end positive (proof F1, step 5).
pub(crate) const SAME_REPLICATES: usize = 64;

/// The mean over `replicates` independent pairs of samples (`n` draws of
/// `N(mean_p, sd_p^2)` against `n` of `N(mean_q, sd_q^2)`, Box-Muller) of
/// `W1` between their empirical measures.
///
/// # Errors
/// As [`Normal1d::new`] for a bad law.
pub(crate) fn mean_sample_w1(
    rng: &mut TrainingRng,
    law_p: (f64, f64),
    law_q: (f64, f64),
    n: usize,
    replicates: usize,
) -> Result<f64> {
    let (mut p, mut q) = (
        Normal1d::new(law_p.0, law_p.1)?,
        Normal1d::new(law_q.0, law_q.1)?,
    );
    let (mut x, mut y) = (DMatrix::zeros(n, 1), DMatrix::zeros(n, 1));
    let mut total = 0.0;
    for _ in 0..replicates {
        p.sample_into(rng, &mut x);
        q.sample_into(rng, &mut y);
        total += w1(
            &LineSample::new(x.as_slice())?,
            &LineSample::new(y.as_slice())?,
        );
    }
    Ok(total / replicates as f64)
}

/// Step of the Riemann sums over `z >= 0` below.
const RIEMANN_STEP: f64 = 1.0 / 128.0;
/// Where the Riemann sums stop; the tail beyond is bounded in closed form.
const RIEMANN_END: f64 = 8.0;
/// Allowance for the rounding of the Riemann sums' 1024 terms (each a few
/// ulps of at most 1/2) and of `erf` (a few ulps absolute): far above it.
const RIEMANN_ROUNDING: f64 = 1e-12;

/// `Phi(z) (1 - Phi(z)) = (1 - erf(z / sqrt 2)^2) / 4`, the variance of the
/// empirical CDF of one standard normal draw at `z`.
fn cdf_variance(z: f64) -> f64 {
    let e = crate::continuous::closed_form::erf(z * std::f64::consts::FRAC_1_SQRT_2);
    (0.25 * (1.0 - e) * (1.0 + e)).max(0.0)
}

/// An upper bound on `C = ∫ sqrt(Phi (1 - Phi)) dz ≈ 1.6147`, the constant of
/// `E W1(F_n, F) <= s C / sqrt n` for `N(m, s^2)` (proof F1, step 4).
///
/// `sqrt(Phi (1 - Phi))` is even and decreasing on `z >= 0`, so the
/// left-endpoint Riemann sum over `[0, 8]` bounds its integral there from
/// above; beyond 8 the integrand is below `e^(-z^2/4) / sqrt 2`, whose tail
/// integral is below `sqrt 2 e^(-16) / 8` (< 2e-8), added with the rounding
/// allowance.
pub(crate) fn normal_spread_upper() -> f64 {
    let steps = (RIEMANN_END / RIEMANN_STEP) as usize;
    let half: f64 = (0..steps)
        .map(|k| RIEMANN_STEP * cdf_variance(k as f64 * RIEMANN_STEP).sqrt())
        .sum();
    let tail = std::f64::consts::SQRT_2 * (-RIEMANN_END * RIEMANN_END / 4.0).exp() / RIEMANN_END;
    2.0 * (half + tail) + RIEMANN_ROUNDING
}

/// A lower bound on `sqrt n E W1(F_n, G_n)` for two independent samples of
/// size `n` from `N(0, 1)` (proof F1, step 5):
/// `∫ 2^(3/2) v / sqrt(2/n + 12 (1 - 1/n) v) dz` with `v = Phi (1 - Phi)`,
/// from Hölder's `E|S| >= (E S^2)^(3/2) / (E S^4)^(1/2)`.
///
/// The integrand increases with `v`, hence is even and decreasing on
/// `z >= 0`: the right-endpoint Riemann sum over `[0, 8]` bounds the integral
/// from below (the tail beyond 8, positive, is left out).
pub(crate) fn same_law_lower(n: usize) -> f64 {
    let n = n as f64;
    let steps = (RIEMANN_END / RIEMANN_STEP) as usize;
    let integrand = |z: f64| {
        let v = cdf_variance(z);
        2.0 * std::f64::consts::SQRT_2 * v / (2.0 / n + 12.0 * (1.0 - 1.0 / n) * v).sqrt()
    };
    let half: f64 = (1..=steps)
        .map(|k| RIEMANN_STEP * integrand(k as f64 * RIEMANN_STEP))
        .sum();
    2.0 * half - RIEMANN_ROUNDING
}

/// A generator for the normal draws of F1's W1 checks, from `seed`.
pub(crate) fn normal_rng(seed: u64) -> TrainingRng {
    TrainingRng::seed_from_u64(seed)
}

// ---------------------------------------------------------------------------
// A discriminator separating two samples of one law.
// ---------------------------------------------------------------------------

/// Dimension of the separation experiment: `2 POINTS <= DIM + 1`, so the
/// `2 POINTS` draws are affinely independent almost surely and an affine
/// function separates them, whatever their labels.
pub(crate) const DIM: usize = 15;
/// Points per sample in the separation experiment.
pub(crate) const POINTS: usize = 8;
/// Hidden tanh units of the discriminator.
pub(crate) const HIDDEN: usize = 16;
/// Training stops once the discriminator is within this of the perfect one
/// on every point (its value and, on the generated points, its input
/// gradient): the `eps` of Arjovsky and Bottou's Theorem 2.4.
pub(crate) const TARGET_EPSILON: f64 = 1e-2;
/// Discriminator steps between two measurements.
pub(crate) const CHUNK: usize = 25;
/// The most discriminator steps the run may take to reach [`TARGET_EPSILON`]
/// (its optimisation budget).
pub(crate) const MAX_STEPS: usize = 10_000;
/// Adam's rate for the discriminator.
const RATE: f64 = 0.05;

/// One measurement of the separation run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SeparationRecord {
    /// Discriminator steps so far.
    pub(crate) steps: usize,
    /// `max(max_generated max(D, ||grad_x D||), max_data (1 - D))`: the
    /// distance to the perfect discriminator on the 16 points.
    pub(crate) epsilon: f64,
    /// The smallest `D` on the data points.
    pub(crate) min_data: f64,
    /// The largest `D` on the generated points.
    pub(crate) max_generated: f64,
    /// The empirical game's value `mean ln D(x) + mean ln(1 - D(G(z)))`.
    pub(crate) value: f64,
    /// `||grad_theta mean ln(1 - D(G(z)))||`, the minimax generator gradient.
    pub(crate) minimax: f64,
    /// `||grad_theta mean -ln D(G(z))||`, the non-saturating one.
    pub(crate) non_saturating: f64,
    /// Theorem 2.4's bound `M eps / (1 - eps)` with this record's `eps`.
    pub(crate) bound: f64,
}

/// The separation run: records from the untrained discriminator (step 0)
/// until [`TARGET_EPSILON`] is reached or [`MAX_STEPS`] are spent.
#[derive(Debug, Clone)]
pub(crate) struct SeparationRun {
    /// One record every [`CHUNK`] steps, the first at step 0.
    pub(crate) history: Vec<SeparationRecord>,
}

/// The identity generator `G(z) = W z + b` with `W = I`, `b = 0`, on `R^DIM`:
/// `p_g` is exactly the data's law.
///
/// # Errors
/// None in practice.
pub(crate) fn identity_generator() -> Result<Mlp> {
    let mut params = vec![0.0; DIM * DIM + DIM];
    for k in 0..DIM {
        params[k * DIM + k] = 1.0;
    }
    Mlp::from_params(&[DIM, DIM], Activation::Tanh, DVector::from_vec(params))
}

/// `POINTS` draws of `U[0, 1)^DIM`.
fn cube_sample<R: Rng + ?Sized>(rng: &mut R) -> Result<Empirical> {
    let data = uniform_sample(rng, POINTS * DIM);
    Empirical::uniform(&Points::from_flat(POINTS, DIM, data)?)
}

/// Measures the discriminator `d` against the data and the identity
/// generator's samples.
fn measure(
    steps: usize,
    d: &Mlp,
    data: &Empirical,
    noise: &Empirical,
    generator: &Mlp,
    jacobian_rms: f64,
) -> Result<SeparationRecord> {
    let fake = pushforward(generator, noise)?;
    let (l_data, l_fake) = (d.predict(data.points())?, d.predict(fake.points())?);
    let grads = Critic::from_mlp(d.clone())?.input_gradients(fake.points())?;
    let mut epsilon = 0.0f64;
    let (mut min_data, mut max_generated) = (1.0f64, 0.0f64);
    let mut value = 0.0;
    for i in 0..data.len() {
        let prob = sigmoid(l_data[i]);
        min_data = min_data.min(prob);
        epsilon = epsilon.max(sigmoid(-l_data[i]));
        // ln D = -softplus(-l).
        value -= crate::game::non_saturating_loss(l_data[i]) / data.len() as f64;
    }
    for i in 0..fake.len() {
        let prob = sigmoid(l_fake[i]);
        let slope = grads.row(i).norm();
        max_generated = max_generated.max(prob);
        epsilon = epsilon.max(prob).max(prob * sigmoid(-l_fake[i]) * slope);
        value += crate::game::saturating_loss(l_fake[i]) / fake.len() as f64;
    }
    let norm = |g: Vec<f64>| g.iter().map(|x| x * x).sum::<f64>().sqrt();
    let minimax = norm(generator_gradient(
        generator,
        noise,
        GeneratorObjective::Minimax(d),
    )?);
    let non_saturating = norm(generator_gradient(
        generator,
        noise,
        GeneratorObjective::NonSaturating(d),
    )?);
    Ok(SeparationRecord {
        steps,
        epsilon,
        min_data,
        max_generated,
        value,
        minimax,
        non_saturating,
        bound: jacobian_rms * epsilon / (1.0 - epsilon),
    })
}

/// Draws 8 data points and 8 noise points from `U[0, 1)^15` (one law), and
/// trains a standard discriminator (15-16-1 tanh MLP, logit output, Adam)
/// on minibatches of 8 between the data and the identity generator's
/// samples, measuring it every [`CHUNK`] steps until it is within `target`
/// of the perfect discriminator or `max_steps` are spent (the check:
/// [`TARGET_EPSILON`], [`MAX_STEPS`]).
///
/// # Errors
/// As [`train_standard_discriminator`] and [`generator_gradient`].
pub(crate) fn separation_run(seed: u64, target: f64, max_steps: usize) -> Result<SeparationRun> {
    let mut rng = TrainingRng::seed_from_u64(seed);
    let data = cube_sample(&mut rng)?;
    let noise = cube_sample(&mut rng)?;
    let generator = identity_generator()?;
    let fake = pushforward(&generator, &noise)?;
    // M = sqrt(mean (||z||^2 + 1)): the root mean square of the operator
    // norm of the generator's Jacobian in its parameters.
    let squares: f64 = (0..noise.len())
        .map(|i| noise.points().row(i).norm_squared() + 1.0)
        .sum();
    let jacobian_rms = (squares / noise.len() as f64).sqrt();
    let mut d = Mlp::new(&[DIM, HIDDEN, 1], Activation::Tanh, rng.random())?;
    let mut opt: AnyOptimizer = Adam::new(RATE, 0.9, 0.999, 1e-8, d.num_params())?.into();
    let mut history = vec![measure(0, &d, &data, &noise, &generator, jacobian_rms)?];
    let mut steps = 0;
    while steps < max_steps && history.last().is_some_and(|r| r.epsilon > target) {
        train_standard_discriminator(&mut d, &mut opt, &data, &fake, CHUNK, POINTS, rng.random())?;
        steps += CHUNK;
        history.push(measure(steps, &d, &data, &noise, &generator, jacobian_rms)?);
    }
    Ok(SeparationRun { history })
}
