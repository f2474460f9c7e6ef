//! Check for claim D1: a trained MLP critic (clipping; gradient penalty)
//! certifies a lower bound on W1 close to the exact value, on a 1-D sample
//! case and a discrete case in the plane; a WGAN generator moves from a
//! disjoint start, where the minimax GAN's generator gradient vanishes.

use super::{Claim, Context, Measurement};
use crate::critic::Critic;
use crate::error::Result;
use crate::measure::Discrete;
use crate::mlp::{Activation, Mlp};
use crate::optim::{Adam, AnyOptimizer};
use crate::tol::EPS;
use crate::train::algorithm1::{Normal1d, Sampler, TrainingRng};
use crate::train::wgan::{
    CriticEstimate, CriticSettings, CriticTrainer, Empirical, GeneratorObjective, Lipschitz, Wgan,
    WganRecord, WganSettings, generator_gradient, pushforward, train_standard_discriminator,
};
use crate::transport::Points;
use nalgebra::{DMatrix, DVector};
use rand::{RngExt, SeedableRng};

/// The WGAN claim D1.
pub(super) fn claims() -> Vec<Claim> {
    vec![Claim {
        id: "D1",
        statement: "A small MLP critic trained with weight clipping or with the gradient penalty gives a certified lower bound on W1 close to the exact value (1-D samples; discrete in the plane); a WGAN generator moves from a disjoint start, where the minimax GAN's generator gradient vanishes",
        proof: "proofs/D1-wgan.md",
        check: d1,
    }]
}

/// Points per distribution in the 1-D sample case.
pub const LINE_POINTS: usize = 64;
/// Critic steps of every critic-only training here: enough for the ratio
/// certified / W1 to level off (measured: 1000 steps at a lower rate gain
/// nothing over 300).
pub const CRITIC_STEPS: usize = 300;
/// Minibatch size of every step.
pub const MINIBATCH: usize = 64;
/// The penalty weight of Gulrajani et al. (2017).
pub const LAMBDA: f64 = 10.0;
/// The clipping bound: small enough that the tanh units stay near their
/// linear range on these supports (Arjovsky et al. use 0.01 on images).
pub const CLIP: f64 = 0.05;

/// Shortfall allowed below W1, as a fraction of W1, for each critic: the
/// optimisation budget (300 steps) and the certificate's division by the
/// steepest slope between support points (which exceeds the mean slope the
/// penalty controls) leave the certified bound below W1. Chosen from the
/// spread of certified / W1 over the seeds 1..40 of this check (worst,
/// median, best in brackets), with a margin for other seeds; never widened
/// to make a seed pass.
///
/// Gradient penalty, 1-D samples (0.835, 0.928, 0.973): 0.20.
pub const GP_LINE_SHORTFALL: f64 = 0.20;
/// Clipping, 1-D samples (0.979, 0.998, 0.999): 0.05. Clipping at 0.05
/// keeps the critic nearly linear, and the optimal critic between these two
/// normals is linear but for the far right tail.
pub const CLIP_LINE_SHORTFALL: f64 = 0.05;
/// Gradient penalty, discrete case in the plane (0.841, 0.950, 0.980): 0.20.
pub const GP_DISCRETE_SHORTFALL: f64 = 0.20;
/// Clipping, discrete case in the plane (0.617, 0.920, 0.964): 0.45. The
/// nearly linear clipped critic cannot bend to the piecewise-linear optimal
/// potential of scattered points: the capacity limit of clipping that
/// Gulrajani et al. (2017, Section 3) describe.
pub const CLIP_DISCRETE_SHORTFALL: f64 = 0.45;

/// Rounding allowed above W1 for a certified bound: the exact W1 and the two
/// compensated expectations each carry a few ulps of their largest term; 64
/// ulps of (W1 + the largest |f| on the support) covers them with room.
fn rounding_allowance(w1: f64, largest_value: f64) -> f64 {
    64.0 * EPS * (w1 + largest_value)
}

/// The critic of every check: one hidden layer of 32 tanh units, its output
/// layer zeroed (see [`Critic::zero_output_layer`]).
fn fresh_critic(dim: usize, seed: u64) -> Result<Critic> {
    let mut critic = Critic::new(&[dim, 32, 1], Activation::Tanh, seed)?;
    critic.zero_output_layer();
    Ok(critic)
}

/// Adam for the penalty (beta1 = 0.5, beta2 = 0.9 as in Gulrajani et al.'s toy
/// code; their Algorithm 1 lists beta1 = 0) at a higher rate for these tiny
/// problems; Adam with beta1 = 0 (RMSProp with bias correction) for clipping.
fn critic_optimiser(lipschitz: Lipschitz, params: usize) -> Result<AnyOptimizer> {
    Ok(match lipschitz {
        Lipschitz::GradientPenalty { .. } => Adam::new(0.01, 0.5, 0.9, 1e-8, params)?.into(),
        Lipschitz::Clipping { .. } => Adam::new(0.01, 0.0, 0.9, 1e-8, params)?.into(),
    })
}

/// The 1-D sample case: 64 draws of N(0, 1) against 64 of N(1.5, 0.5^2).
pub fn line_case(seed: u64) -> Result<(Empirical, Empirical)> {
    let mut rng = TrainingRng::seed_from_u64(seed ^ 0xD1_11);
    let mut x = DMatrix::zeros(LINE_POINTS, 1);
    Normal1d::new(0.0, 1.0)?.sample_into(&mut rng, &mut x);
    let p = Empirical::on_line(x.as_slice())?;
    Normal1d::new(1.5, 0.5)?.sample_into(&mut rng, &mut x);
    Ok((p, Empirical::on_line(x.as_slice())?))
}

/// The discrete case: 6 points uniform in [0, 3]^2 against 5 in [1.5, 4.5]^2,
/// with masses from weights uniform in [0.1, 1.1].
pub fn discrete_case(seed: u64) -> Result<(Empirical, Empirical)> {
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

/// Trains a fresh critic on `p` against `q` and measures it exactly.
pub fn trained_estimate(
    p: &Empirical,
    q: &Empirical,
    lipschitz: Lipschitz,
    seed: u64,
) -> Result<(CriticEstimate, f64)> {
    let critic = fresh_critic(p.dim(), seed)?;
    let opt = critic_optimiser(lipschitz, critic.num_params())?;
    let settings = CriticSettings {
        minibatch: MINIBATCH,
        lipschitz,
        seed,
    };
    let mut trainer = CriticTrainer::new(critic, opt, p.clone(), q.clone(), settings)?;
    trainer.run(CRITIC_STEPS)?;
    let estimate = trainer.estimate()?;
    let c = trainer.critic();
    let largest = c
        .values(p.points())?
        .into_iter()
        .chain(c.values(q.points())?)
        .fold(0.0f64, |m, v| m.max(v.abs()));
    Ok((estimate, largest))
}

/// Noise and data of the generator check: 64 midpoints of a grid on [-1, 1].
fn grid() -> Result<Empirical> {
    let n = LINE_POINTS;
    let values: Vec<f64> = (0..n)
        .map(|i| -1.0 + (2 * i + 1) as f64 / n as f64)
        .collect();
    Empirical::on_line(&values)
}

/// The generator's starting shift: p_g = p_data moved by 10, disjoint from it.
pub const START_SHIFT: f64 = 10.0;
/// WGAN iterations of the generator check (5 critic steps each).
pub const WGAN_ITERATIONS: usize = 250;
/// The generator's Adam rate: its steps are about this long whatever the
/// gradient's size, so 250 iterations can move the shift by about 12.5.
pub const GENERATOR_RATE: f64 = 0.05;
/// Exact W1 at the end must be at most this fraction of W1 at the start (10):
/// "substantially". Over seeds 1..40 the end value was 0.001 to 0.19 of the
/// start (median 0.06): the generator oscillates around the data with steps
/// of about its rate.
pub const W1_END_FRACTION: f64 = 0.25;
/// Steps of the standard discriminator at the disjoint start.
pub const STANDARD_D_STEPS: usize = 1000;
/// The minimax generator gradient's norm against that discriminator must be
/// below this: over seeds 1..40 it was 4.2e-7 to 2.2e-6 after 1000 Adam
/// steps (the logits on the generated points reach about -11, and
/// sigma(-11) = 1.7e-5 multiplies a saturated tanh layer's small slope),
/// against a normalised WGAN gradient of about 0.8.
pub const VANISHED_GRADIENT: f64 = 1e-5;

/// Accepted distance of the normalised WGAN generator gradient from 1: the
/// clipped critic is close to linear on [-1, 11] but its tanh units bend a
/// little, so its slope on p_g's support differs from its steepest slope
/// K_support between support points.
pub const WGAN_GRADIENT_TOLERANCE: f64 = 0.25;

/// The generator of the check: the affine map z -> w z + b (an MLP without
/// hidden layer), starting at w = 1, b = 10.
fn shifted_generator() -> Result<Mlp> {
    Mlp::from_params(
        &[1, 1],
        Activation::Tanh,
        DVector::from_vec(vec![1.0, START_SHIFT]),
    )
}

/// A WGAN run (clipping) from the disjoint start; its history.
pub fn wgan_from_disjoint_start(seed: u64) -> Result<(Vec<WganRecord>, f64, f64)> {
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
    let history = run.run(WGAN_ITERATIONS)?;
    let end = run.w1()?;
    Ok((history, start, end))
}

/// Norms of the generator's gradient at the disjoint start: the minimax
/// GAN's against a trained standard discriminator, and WGAN's against a
/// trained clipped critic, with A&B's bound `M eps / (1 - eps)`.
pub fn gradients_at_disjoint_start(seed: u64) -> Result<(f64, f64, f64)> {
    let (data, noise) = (grid()?, grid()?);
    let generator = shifted_generator()?;
    let fake = pushforward(&generator, &noise)?;
    let mut d = Mlp::new(&[1, 32, 1], Activation::Tanh, seed)?;
    let mut d_opt: AnyOptimizer = Adam::new(0.05, 0.9, 0.999, 1e-8, d.num_params())?.into();
    train_standard_discriminator(
        &mut d,
        &mut d_opt,
        &data,
        &fake,
        STANDARD_D_STEPS,
        MINIBATCH,
        seed,
    )?;
    let minimax = norm(&generator_gradient(
        &generator,
        &noise,
        GeneratorObjective::Minimax(&d),
    )?);
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
    Ok((minimax, bound, wasserstein))
}

fn trained_critic_at(p: &Empirical, q: &Empirical, seed: u64) -> Result<(Critic, f64)> {
    let lipschitz = Lipschitz::Clipping { c: CLIP };
    let critic = fresh_critic(p.dim(), seed)?;
    let opt = critic_optimiser(lipschitz, critic.num_params())?;
    let settings = CriticSettings {
        minibatch: MINIBATCH,
        lipschitz,
        seed,
    };
    let mut trainer = CriticTrainer::new(critic, opt, p.clone(), q.clone(), settings)?;
    trainer.run(CRITIC_STEPS)?;
    let estimate = trainer.estimate()?;
    Ok((trainer.into_critic(), estimate.lipschitz))
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

fn d1(context: &Context) -> Result<Vec<Measurement>> {
    let seed = context.seed;
    let mut out = Vec::new();
    let cases = [
        ("1-D samples", line_case(seed)?),
        ("discrete in the plane", discrete_case(seed)?),
    ];
    for (name, (p, q)) in &cases {
        for (method, lipschitz, shortfall) in [
            (
                "gradient penalty",
                Lipschitz::GradientPenalty { lambda: LAMBDA },
                if p.dim() == 1 {
                    GP_LINE_SHORTFALL
                } else {
                    GP_DISCRETE_SHORTFALL
                },
            ),
            (
                "clipping",
                Lipschitz::Clipping { c: CLIP },
                if p.dim() == 1 {
                    CLIP_LINE_SHORTFALL
                } else {
                    CLIP_DISCRETE_SHORTFALL
                },
            ),
        ] {
            let (e, largest) = trained_estimate(p, q, lipschitz, seed)?;
            out.push(Measurement::at_most(
                format!(
                    "{name}, {method}: certified (E_p f - E_q f) / K_support, at most the exact W1 = {:.6} (rounding allowance)",
                    e.w1
                ),
                e.certified,
                e.w1,
                rounding_allowance(e.w1, largest),
            ));
            out.push(Measurement::at_least(
                format!(
                    "{name}, {method}: certified / W1 after {CRITIC_STEPS} steps (optimisation budget)"
                ),
                e.certified / e.w1,
                1.0,
                shortfall,
            ));
            out.push(Measurement::at_most(
                format!("{name}, {method}: (E_p f - E_q f) / global Lipschitz bound, at most W1"),
                e.globally_certified,
                e.w1,
                rounding_allowance(e.w1, largest),
            ));
        }
    }

    let (history, start, end) = wgan_from_disjoint_start(seed)?;
    let worst_excess = history
        .iter()
        .map(|r| r.certified - r.w1)
        .fold(f64::NEG_INFINITY, f64::max);
    out.push(Measurement::at_most(
        format!(
            "WGAN (clipping) from p_g = p_data + {START_SHIFT}: exact W1 after {WGAN_ITERATIONS} iterations / W1 at the start"
        ),
        end / start,
        W1_END_FRACTION,
        0.0,
    ));
    out.push(Measurement::at_most(
        "WGAN run: max over iterations of certified critic estimate - exact W1 (rounding allowance)",
        worst_excess,
        0.0,
        rounding_allowance(start, start),
    ));
    let (minimax, bound, wasserstein) = gradients_at_disjoint_start(seed)?;
    out.push(Measurement::at_most(
        format!(
            "||grad_theta E ln(1 - D(G(z)))|| at the disjoint start, D trained {STANDARD_D_STEPS} steps (vanishes)"
        ),
        minimax,
        VANISHED_GRADIENT,
        0.0,
    ));
    out.push(Measurement::at_most(
        "the same gradient against Arjovsky-Bottou Thm 2.4's bound M eps / (1 - eps)",
        minimax,
        bound,
        0.0,
    ));
    out.push(Measurement::within(
        "||grad_theta E f(G(z))|| / K_support against a clipped critic at the same start; |dW1/db| = 1 (the W1 gradient does not vanish)",
        wasserstein,
        1.0,
        WGAN_GRADIENT_TOLERANCE,
    ));
    Ok(out)
}
