//! The experiments of claim D1: its sample and discrete cases, its critics
//! and its WGAN run from a disjoint start, which the claim's check measures
//! and the report's WGAN-critic figure draws (for example a trained critic's
//! certified estimate per step against the exact W1).

use crate::critic::Critic;
use crate::error::Result;
use crate::measure::Discrete;
use crate::mlp::{Activation, Mlp};
use crate::optim::{Adam, AnyOptimizer};
use crate::train::algorithm1::{Normal1d, Sampler, TrainingRng};
use crate::train::wgan::{
    CriticEstimate, CriticRecord, CriticSettings, CriticTrainer, Empirical, GeneratorObjective,
    Lipschitz, Wgan, WganRecord, WganSettings, generator_gradient, pushforward,
    train_standard_discriminator,
};
use crate::transport::Points;
use nalgebra::{DMatrix, DVector};
use rand::{RngExt, SeedableRng};

/// Points per distribution in the 1-D sample case.
pub(crate) const LINE_POINTS: usize = 64;
/// Critic steps of every critic-only training here: enough for the ratio
/// certified / W1 to level off (measured: 1000 steps at a lower rate gain
/// nothing over 300).
pub(crate) const CRITIC_STEPS: usize = 300;
/// Minibatch size of every step.
pub(crate) const MINIBATCH: usize = 64;
/// The penalty weight of Gulrajani et al. (2017).
pub(crate) const LAMBDA: f64 = 10.0;
/// The clipping bound: small enough that the tanh units stay near their
/// linear range on these supports (Arjovsky et al. use 0.01 on images).
pub(crate) const CLIP: f64 = 0.05;

/// The critic of every D1 experiment: one hidden layer of 32 tanh units, its output
/// layer zeroed (see [`Critic::zero_output_layer`]).
pub(crate) fn fresh_critic(dim: usize, seed: u64) -> Result<Critic> {
    let mut critic = Critic::new(&[dim, 32, 1], Activation::Tanh, seed)?;
    critic.zero_output_layer();
    Ok(critic)
}

/// Adam for the penalty (beta1 = 0.5, beta2 = 0.9 as in Gulrajani et al.'s toy
/// code; their Algorithm 1 lists beta1 = 0) at a higher rate for these tiny
/// problems; Adam with beta1 = 0 (RMSProp with bias correction) for clipping.
pub(crate) fn critic_optimiser(lipschitz: Lipschitz, params: usize) -> Result<AnyOptimizer> {
    Ok(match lipschitz {
        Lipschitz::GradientPenalty { .. } => Adam::new(0.01, 0.5, 0.9, 1e-8, params)?.into(),
        Lipschitz::Clipping { .. } => Adam::new(0.01, 0.0, 0.9, 1e-8, params)?.into(),
    })
}

/// The 1-D sample case: 64 draws of N(0, 1) against 64 of N(1.5, 0.5^2),
/// drawn from `seed`.
///
/// # Errors
/// None in practice (the draws are finite).
pub(crate) fn line_case(seed: u64) -> Result<(Empirical, Empirical)> {
    let mut rng = TrainingRng::seed_from_u64(seed ^ 0xD1_11);
    let mut x = DMatrix::zeros(LINE_POINTS, 1);
    Normal1d::new(0.0, 1.0)?.sample_into(&mut rng, &mut x);
    let p = Empirical::on_line(x.as_slice())?;
    Normal1d::new(1.5, 0.5)?.sample_into(&mut rng, &mut x);
    Ok((p, Empirical::on_line(x.as_slice())?))
}

/// The discrete case: 6 points uniform in [0, 3]^2 against 5 in [1.5, 4.5]^2,
/// with masses from weights uniform in [0.1, 1.1], drawn from `seed`.
///
/// # Errors
/// None in practice.
pub(crate) fn discrete_case(seed: u64) -> Result<(Empirical, Empirical)> {
    let mut rng = TrainingRng::seed_from_u64(seed ^ 0xD1_22);
    let mut set = |n: usize, shift: f64| -> Result<Empirical> {
        let points: Vec<Vec<f64>> = (0..n)
            .map(|_| {
                let (a, b): (f64, f64) = (rng.random(), rng.random());
                vec![shift + 3.0 * a, shift + 3.0 * b]
            })
            .collect();
        let weights: Vec<f64> = (0..n).map(|_| 0.1 + rng.random::<f64>()).collect();
        Empirical::new(&Points::new(points)?, Discrete::from_weights(&weights)?)
    };
    let p = set(6, 0.0)?;
    let q = set(5, 1.5)?;
    Ok((p, q))
}

/// A critic trained by [`trained_critic`]: its history and final measurement.
#[derive(Debug, Clone)]
pub(crate) struct TrainedCritic {
    /// One record per step (the certified estimate against the exact W1).
    pub(crate) history: Vec<CriticRecord>,
    /// The final measurement.
    pub(crate) estimate: CriticEstimate,
    /// The largest `|f|` on the support points (the scale of the rounding).
    pub(crate) largest_value: f64,
}

/// Trains a fresh critic (see [`fresh_critic`]) on `p` against `q` for
/// [`CRITIC_STEPS`] steps of [`MINIBATCH`] points and measures it exactly.
///
/// # Errors
/// As [`CriticTrainer::new`] and [`CriticTrainer::step`].
pub(crate) fn trained_critic(
    p: &Empirical,
    q: &Empirical,
    lipschitz: Lipschitz,
    seed: u64,
) -> Result<TrainedCritic> {
    let mut trainer = fresh_trainer(p, q, lipschitz, seed)?;
    let history = trainer.run(CRITIC_STEPS)?;
    let estimate = trainer.estimate()?;
    let c = trainer.critic();
    let largest = c
        .values(p.points())?
        .into_iter()
        .chain(c.values(q.points())?)
        .fold(0.0f64, |m, v| m.max(v.abs()));
    Ok(TrainedCritic {
        history,
        estimate,
        largest_value: largest,
    })
}

/// Noise and data of the generator check: 64 midpoints of a grid on [-1, 1].
///
/// # Errors
/// None in practice.
pub(crate) fn grid() -> Result<Empirical> {
    let n = LINE_POINTS;
    let values: Vec<f64> = (0..n)
        .map(|i| -1.0 + (2 * i + 1) as f64 / n as f64)
        .collect();
    Empirical::on_line(&values)
}

/// The generator's starting shift: p_g = p_data moved by 10, disjoint from it.
pub(crate) const START_SHIFT: f64 = 10.0;
/// WGAN iterations of the generator check (5 critic steps each).
pub(crate) const WGAN_ITERATIONS: usize = 250;
/// The generator's Adam rate: its steps are about this long whatever the
/// gradient's size, so 250 iterations can move the shift by about 12.5.
pub(crate) const GENERATOR_RATE: f64 = 0.05;
/// Steps of the standard discriminator at the disjoint start.
pub(crate) const STANDARD_D_STEPS: usize = 1000;

/// The generator of the check: the affine map z -> w z + b (an MLP without
/// hidden layer), starting at w = 1, b = 10.
///
/// # Errors
/// None in practice.
pub(crate) fn shifted_generator() -> Result<Mlp> {
    Mlp::from_params(
        &[1, 1],
        Activation::Tanh,
        DVector::from_vec(vec![1.0, START_SHIFT]),
    )
}

/// A WGAN run from the disjoint start, by [`wgan_from_disjoint_start`].
#[derive(Debug, Clone)]
pub(crate) struct DisjointStartRun {
    /// One record per iteration: the critic's certified estimate and the
    /// exact W1 at the current p_g.
    pub(crate) history: Vec<WganRecord>,
    /// The exact W1 at the start (10).
    pub(crate) start_w1: f64,
    /// The exact W1 after the run.
    pub(crate) end_w1: f64,
}

/// A WGAN run (clipping at [`CLIP`], 5 critic steps per generator step,
/// [`WGAN_ITERATIONS`] iterations) from `p_g` = the data grid moved by
/// [`START_SHIFT`].
///
/// # Errors
/// As [`Wgan::new`] and [`Wgan::step`].
pub(crate) fn wgan_from_disjoint_start(seed: u64) -> Result<DisjointStartRun> {
    observed_wgan_from_disjoint_start(seed, |_, _| Ok(()))
}

/// [`wgan_from_disjoint_start`], calling `before_iteration(k, &run)`
/// before iteration `k` (the report measures other things at the same
/// generators; the observer cannot change the run).
///
/// # Errors
/// As [`wgan_from_disjoint_start`], and the observer's.
pub(crate) fn observed_wgan_from_disjoint_start(
    seed: u64,
    mut before_iteration: impl FnMut(usize, &Wgan) -> Result<()>,
) -> Result<DisjointStartRun> {
    let data = grid()?;
    let noise = grid()?;
    let lipschitz = Lipschitz::Clipping { c: CLIP };
    let critic = fresh_critic(1, seed)?;
    let critic_opt = critic_optimiser(lipschitz, critic.num_params())?;
    let generator = shifted_generator()?;
    let generator_opt = Adam::new(GENERATOR_RATE, 0.5, 0.9, 1e-8, generator.num_params())?;
    let settings = WganSettings {
        minibatch: MINIBATCH,
        critic_steps: 5,
        lipschitz,
        seed,
    };
    let mut run = Wgan::new(
        critic,
        generator,
        critic_opt,
        generator_opt.into(),
        data,
        noise,
        settings,
    )?;
    let start = run.w1()?;
    let mut history = Vec::with_capacity(WGAN_ITERATIONS);
    for k in 0..WGAN_ITERATIONS {
        before_iteration(k, &run)?;
        history.push(run.step()?);
    }
    let end_w1 = run.w1()?;
    Ok(DisjointStartRun {
        history,
        start_w1: start,
        end_w1,
    })
}

/// The generator's gradients at the disjoint start, by
/// [`gradients_at_disjoint_start`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DisjointStartGradients {
    /// `||grad_theta E ln(1 - D(G(z)))||` against the trained standard discriminator.
    pub(crate) minimax: f64,
    /// `eps`: the largest `D` and `||grad_x D||` over the generated points.
    pub(crate) epsilon: f64,
    /// Arjovsky and Bottou's bound `M eps / (1 - eps)` (Theorem 2.4).
    pub(crate) bound: f64,
    /// `||grad_theta E f(G(z))|| / K_support` against a trained clipped critic.
    pub(crate) wasserstein: f64,
}

/// Norms of the generator's gradient at the disjoint start: the minimax
/// GAN's against a standard discriminator trained [`STANDARD_D_STEPS`]
/// steps (Adam, rate 0.05), with the bound of Arjovsky and Bottou's
/// Theorem 2.4, and WGAN's against a clipped critic trained at the same
/// start, divided by its Lipschitz constant on the support.
///
/// # Errors
/// As the trainings.
pub(crate) fn gradients_at_disjoint_start(seed: u64) -> Result<DisjointStartGradients> {
    let (data, noise) = (grid()?, grid()?);
    let generator = shifted_generator()?;
    let fake = pushforward(&generator, &noise)?;
    let d = trained_standard_discriminator(&data, &fake, seed)?;
    let minimax = minimax_gradient_norm(&generator, &noise, &d)?;
    // Arjovsky and Bottou 2017, Theorem 2.4: ||grad|| <= M eps / (1 - eps)
    // with eps >= |D - D*| and ||grad_x D|| on the generated points (D* = 0
    // there and flat) and M^2 >= E ||J_theta G(z)||^2 = E (z^2 + 1).
    let logits = d.predict(fake.points())?;
    let critic = Critic::from_mlp(d.clone())?;
    let logit_grads = critic.input_gradients(fake.points())?;
    let mut eps = 0.0f64;
    for (i, &l) in logits.iter().enumerate() {
        let prob = crate::numeric::sigmoid(l);
        eps = eps
            .max(prob)
            .max(prob * (1.0 - prob) * logit_grads[(i, 0)].abs());
    }
    let m = noise
        .masses()
        .expect(|i| noise.points()[(i, 0)].powi(2) + 1.0)
        .sqrt();
    let bound = m * eps / (1.0 - eps);
    // WGAN against a clipped critic trained at the same start.
    let (trained, lipschitz) = trained_critic_at(&data, &fake, seed)?;
    let wasserstein = norm(&generator_gradient(
        &generator,
        &noise,
        GeneratorObjective::Wasserstein(&trained),
    )?) / lipschitz;
    Ok(DisjointStartGradients {
        minimax,
        epsilon: eps,
        bound,
        wasserstein,
    })
}

/// The standard GAN's discriminator of the vanishing-gradient check: 32
/// tanh units (logit output) trained [`STANDARD_D_STEPS`] steps of Adam
/// (rate 0.05) on minibatches of [`MINIBATCH`] between `data` and `fake`.
///
/// # Errors
/// As [`train_standard_discriminator`].
pub(crate) fn trained_standard_discriminator(
    data: &Empirical,
    fake: &Empirical,
    seed: u64,
) -> Result<Mlp> {
    let mut d = Mlp::new(&[1, 32, 1], Activation::Tanh, seed)?;
    let mut d_opt: AnyOptimizer = Adam::new(0.05, 0.9, 0.999, 1e-8, d.num_params())?.into();
    train_standard_discriminator(
        &mut d,
        &mut d_opt,
        data,
        fake,
        STANDARD_D_STEPS,
        MINIBATCH,
        seed,
    )?;
    Ok(d)
}

/// `||grad_theta E ln(1 - D(G(z)))||` over the whole noise set, for the
/// discriminator `d` (logit network).
///
/// # Errors
/// As [`generator_gradient`].
pub(crate) fn minimax_gradient_norm(generator: &Mlp, noise: &Empirical, d: &Mlp) -> Result<f64> {
    Ok(norm(&generator_gradient(
        generator,
        noise,
        GeneratorObjective::Minimax(d),
    )?))
}

/// A trainer for a fresh critic on `p` against `q` with D1's optimiser and minibatch.
fn fresh_trainer(
    p: &Empirical,
    q: &Empirical,
    lipschitz: Lipschitz,
    seed: u64,
) -> Result<CriticTrainer> {
    let critic = fresh_critic(p.dim(), seed)?;
    let opt = critic_optimiser(lipschitz, critic.num_params())?;
    let settings = CriticSettings {
        minibatch: MINIBATCH,
        lipschitz,
        seed,
    };
    CriticTrainer::new(critic, opt, p.clone(), q.clone(), settings)
}

fn trained_critic_at(p: &Empirical, q: &Empirical, seed: u64) -> Result<(Critic, f64)> {
    let mut trainer = fresh_trainer(p, q, Lipschitz::Clipping { c: CLIP }, seed)?;
    trainer.run(CRITIC_STEPS)?;
    let estimate = trainer.estimate()?;
    Ok((trainer.into_critic(), estimate.lipschitz))
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}
