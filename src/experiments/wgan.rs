//! The experiments of claim D1: its sample and discrete cases, its critics
//! and its WGAN run from a disjoint start, which the claim's check measures
//! and the report's WGAN-critic figure draws (for example a trained critic's
//! certified estimate per step against the exact W1).

use super::{Context, replicate_seeds};
use crate::critic::Critic;
use crate::error::{Error, Result};
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
    /// The largest `|library - closed form|` over the two entries of the
    /// minimax gradient (see [`minimax_gradient_closed_form`]).
    pub(crate) closed_form_error: f64,
    /// The bound on that difference from rounding alone.
    pub(crate) closed_form_rounding: f64,
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
    let library = generator_gradient(&generator, &noise, GeneratorObjective::Minimax(&d))?;
    let minimax = norm(&library);
    let (closed_form, closed_form_rounding) = minimax_gradient_closed_form(&generator, &noise, &d)?;
    let closed_form_error = library
        .iter()
        .zip(&closed_form)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
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
        closed_form_error,
        closed_form_rounding,
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

/// The minimax generator's gradient in closed form, for an affine
/// generator `g(z) = w z + b` (an [`Mlp`] `[1, 1]`) and a discriminator
/// whose logit is a one-hidden-layer tanh network
/// `l(x) = sum_j a_j tanh(u_j x + c_j) + a_0` (an [`Mlp`] `[1, H, 1]`):
///
/// `d/d(w, b) E_z ln(1 - sigma(l(w z + b))) = -E_z sigma(l(x)) l'(x) (z, 1)`
/// at `x = w z + b`, with `l'(x) = sum_j a_j u_j (1 - tanh^2(u_j x + c_j))`
/// (proof D1, Step 7: `d ln(1 - sigma(l)) / dl = -sigma(l)`). Computed here
/// term by term from the parameters (their flat layout: the hidden weights
/// `u`, the hidden biases `c`, the output weights `a`, the output bias),
/// with `f64::tanh` and `exp`: none of the library's backward passes.
///
/// Returns the two entries `(d/dw, d/db)` and a bound on how far any
/// correct evaluation of them can differ from these by rounding:
/// `ROUNDING_UNITS EPS S`, with `S = E_z (|z| + 1) sigma(l) A` and
/// `A = sum_j |a_j u_j|` the scale of every product and sum involved.
///
/// # Errors
/// [`Error::InvalidParameter`] for a generator other than `[1, 1]` or a
/// discriminator other than `[1, H, 1]` with tanh; the networks' errors.
pub(crate) fn minimax_gradient_closed_form(
    generator: &Mlp,
    noise: &Empirical,
    d: &Mlp,
) -> Result<([f64; 2], f64)> {
    /// Rounding units: each entry is a sum over 64 noise points of
    /// products of `sigma(l)` (a few ulps), `l'` (a sum of `H = 32` terms,
    /// each with tanh and `1 - h^2` to a few ulps of `|a_j u_j|`) and `z`;
    /// its error is at most about `(64 + 32 + 16) EPS S`, and two correct
    /// evaluations differ by at most twice that.
    const ROUNDING_UNITS: f64 = 2.0 * (64.0 + 32.0 + 16.0);
    let hidden = d.widths().get(1).copied().unwrap_or(0);
    if generator.widths() != [1, 1]
        || d.widths() != [1, hidden, 1]
        || d.activation() != Activation::Tanh
    {
        return Err(Error::InvalidParameter {
            name: "networks",
            value: hidden as f64,
            requirement: "an affine generator [1, 1] and a [1, H, 1] tanh discriminator",
        });
    }
    let (w, b) = (generator.params()[0], generator.params()[1]);
    let p = d.params().as_slice();
    let (u, rest) = p.split_at(hidden);
    let (c, rest) = rest.split_at(hidden);
    let (a, a0) = (&rest[..hidden], rest[hidden]);
    let scale: f64 = a.iter().zip(u).map(|(a, u)| (a * u).abs()).sum();
    let (mut grad, mut magnitude) = ([0.0; 2], 0.0);
    for (i, &mass) in noise.masses().as_slice().iter().enumerate() {
        let z = noise.points()[(i, 0)];
        let x = w * z + b;
        let (mut logit, mut slope) = (a0, 0.0);
        for j in 0..hidden {
            let h = (u[j] * x + c[j]).tanh();
            logit += a[j] * h;
            slope += a[j] * u[j] * (1.0 - h * h);
        }
        let sigma = 1.0 / (1.0 + (-logit).exp());
        let dx = -sigma * slope;
        grad[0] += mass * dx * z;
        grad[1] += mass * dx;
        magnitude += mass * (z.abs() + 1.0) * sigma * scale;
    }
    Ok((grad, ROUNDING_UNITS * crate::tol::EPS * magnitude))
}

/// Independently seeded runs of D1's experiments (critics, WGAN run,
/// gradients at the disjoint start) that one check makes (the claim's check
/// says how many may miss, and why).
pub(crate) const D1_RUNS: usize = 2;

/// Salt of the seeds of D1's runs.
const D1_RUN_SALT: u64 = 0xD1_5EED;

/// The seeds of D1's [`D1_RUNS`] runs for `context`; the first is the run
/// the report's WGAN-critic figure draws.
pub(crate) fn d1_run_seeds(context: &Context) -> Vec<u64> {
    replicate_seeds(context, D1_RUN_SALT, D1_RUNS)
}

/// One of D1's four critic cases: which pair, which Lipschitz method.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CriticCase {
    /// "1-D samples" or "discrete in the plane".
    pub(crate) name: &'static str,
    /// "gradient penalty" or "clipping".
    pub(crate) method: &'static str,
    /// The pair is [`discrete_case`] (else [`line_case`]).
    pub(crate) plane: bool,
    /// How the critic is kept Lipschitz.
    pub(crate) lipschitz: Lipschitz,
}

/// D1's critic cases, in the order of [`D1Run::critics`].
pub(crate) const CRITIC_CASES: [CriticCase; 4] = [
    CriticCase {
        name: "1-D samples",
        method: "gradient penalty",
        plane: false,
        lipschitz: Lipschitz::GradientPenalty { lambda: LAMBDA },
    },
    CriticCase {
        name: "1-D samples",
        method: "clipping",
        plane: false,
        lipschitz: Lipschitz::Clipping { c: CLIP },
    },
    CriticCase {
        name: "discrete in the plane",
        method: "gradient penalty",
        plane: true,
        lipschitz: Lipschitz::GradientPenalty { lambda: LAMBDA },
    },
    CriticCase {
        name: "discrete in the plane",
        method: "clipping",
        plane: true,
        lipschitz: Lipschitz::Clipping { c: CLIP },
    },
];

/// One run of D1's experiments with one run seed.
#[derive(Debug, Clone)]
pub(crate) struct D1Run {
    /// The trained critics, one per [`CRITIC_CASES`] entry.
    pub(crate) critics: Vec<TrainedCritic>,
    /// The WGAN run from the disjoint start.
    pub(crate) wgan: DisjointStartRun,
    /// The gradients at the disjoint start.
    pub(crate) gradients: DisjointStartGradients,
}

/// D1's experiments with the run seed `seed` (one of [`d1_run_seeds`]).
/// `None` when a training diverged (`NotConverged`): the check counts the
/// run as missing every training outcome.
///
/// # Errors
/// Any other error of the trainings.
pub(crate) fn d1_run(seed: u64) -> Result<Option<D1Run>> {
    let run = || -> Result<D1Run> {
        let (line, plane) = (line_case(seed)?, discrete_case(seed)?);
        let critics = CRITIC_CASES
            .iter()
            .map(|case| {
                let (p, q) = if case.plane { &plane } else { &line };
                trained_critic(p, q, case.lipschitz, seed)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(D1Run {
            critics,
            wgan: wgan_from_disjoint_start(seed)?,
            gradients: gradients_at_disjoint_start(seed)?,
        })
    };
    match run() {
        Ok(run) => Ok(Some(run)),
        Err(Error::NotConverged { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::{
        grid, minimax_gradient_closed_form, shifted_generator, trained_standard_discriminator,
    };
    use crate::mlp::{Activation, Mlp};
    use crate::train::wgan::{GeneratorObjective, generator_gradient, pushforward};
    use nalgebra::{DMatrix, DVector};

    fn affine(w: f64, b: f64) -> Mlp {
        Mlp::from_params(&[1, 1], Activation::Tanh, DVector::from_vec(vec![w, b])).unwrap()
    }

    /// `E_z ln(1 - sigma(l(w z + b)))` from forward passes alone.
    fn minimax_loss(d: &Mlp, w: f64, b: f64, noise: &[f64]) -> f64 {
        let x = DMatrix::from_iterator(noise.len(), 1, noise.iter().map(|z| w * z + b));
        let logits = d.predict(&x).unwrap();
        // ln(1 - sigma(l)) = -softplus(l).
        let softplus = |l: f64| l.max(0.0) + (-l.abs()).exp().ln_1p();
        -logits.iter().map(|&l| softplus(l)).sum::<f64>() / noise.len() as f64
    }

    /// Step 7's identity three ways: the library's backward passes, the
    /// closed form from the parameters, and central differences of the
    /// loss. Library and closed form agree within the closed form's rounding
    /// bound, which is below 1e-9 of the gradient (a relative error of 1e-9
    /// in either would show); central differences agree within 1e-8.
    ///
    /// The central differences' tolerance: with step h = 1e-6, truncation
    /// is at most h^2 |f'''| / 6; for these untrained networks
    /// (|u_j| <= 1, |a_j| <= 1/sqrt 32, 32 units) every derivative of the
    /// logit is at most 2 sum |a_j| |u_j|^k <= 11.3, so |f'''| <= 6 * 11.3^3
    /// (|z| <= 1), and truncation <= 1.5e-9; rounding adds about
    /// EPS |f| / h <= 2.2e-16 * 8 / 1e-6 = 1.8e-9. 1e-8 leaves a factor 3.
    #[test]
    fn minimax_gradient_closed_form_matches_the_library_and_central_differences() {
        let noise = grid().unwrap();
        let z: Vec<f64> = noise.points().iter().copied().collect();
        let h = 1e-6;
        for seed in [1, 2, 3] {
            let d = Mlp::new(&[1, 32, 1], Activation::Tanh, seed).unwrap();
            for (w, b) in [(1.0, 10.0), (1.0, 0.0), (-0.5, 0.3), (2.0, -3.0)] {
                let g = affine(w, b);
                let library =
                    generator_gradient(&g, &noise, GeneratorObjective::Minimax(&d)).unwrap();
                let (closed, rounding) = minimax_gradient_closed_form(&g, &noise, &d).unwrap();
                let size = library.iter().map(|x| x * x).sum::<f64>().sqrt();
                assert!(
                    rounding < 1e-9 * size,
                    "{seed} ({w}, {b}): {rounding} vs {size}"
                );
                for k in 0..2 {
                    assert!(
                        (library[k] - closed[k]).abs() <= rounding,
                        "{seed} ({w}, {b}) entry {k}: {} vs {}",
                        library[k],
                        closed[k]
                    );
                }
                let by_w =
                    (minimax_loss(&d, w + h, b, &z) - minimax_loss(&d, w - h, b, &z)) / (2.0 * h);
                let by_b =
                    (minimax_loss(&d, w, b + h, &z) - minimax_loss(&d, w, b - h, &z)) / (2.0 * h);
                assert!((by_w - closed[0]).abs() < 1e-8, "{by_w} vs {}", closed[0]);
                assert!((by_b - closed[1]).abs() < 1e-8, "{by_b} vs {}", closed[1]);
            }
        }
        // D1's own case: a discriminator trained at the disjoint start,
        // where the gradient is about 1e-6 and the bound scales with it.
        let generator = shifted_generator().unwrap();
        let fake = pushforward(&generator, &noise).unwrap();
        let d = trained_standard_discriminator(&noise, &fake, 7).unwrap();
        let library =
            generator_gradient(&generator, &noise, GeneratorObjective::Minimax(&d)).unwrap();
        let (closed, rounding) = minimax_gradient_closed_form(&generator, &noise, &d).unwrap();
        let size = library.iter().map(|x| x * x).sum::<f64>().sqrt();
        assert!(size < 1e-4 && rounding < 1e-9 * size, "{size}, {rounding}");
        for k in 0..2 {
            assert!((library[k] - closed[k]).abs() <= rounding);
            // A 1e-6 relative error would show.
            assert!((library[k] * (1.0 + 1e-6) - closed[k]).abs() > rounding || library[k] == 0.0);
        }
    }

    #[test]
    fn minimax_gradient_closed_form_refuses_other_networks() {
        let noise = grid().unwrap();
        let d = Mlp::new(&[1, 8, 1], Activation::Tanh, 1).unwrap();
        let deep = Mlp::new(&[1, 4, 4, 1], Activation::Tanh, 1).unwrap();
        let relu = Mlp::new(&[1, 8, 1], Activation::Relu, 1).unwrap();
        let g = affine(1.0, 0.0);
        let wide_g = Mlp::new(&[1, 3, 1], Activation::Tanh, 1).unwrap();
        assert!(minimax_gradient_closed_form(&g, &noise, &d).is_ok());
        assert!(minimax_gradient_closed_form(&g, &noise, &deep).is_err());
        assert!(minimax_gradient_closed_form(&g, &noise, &relu).is_err());
        assert!(minimax_gradient_closed_form(&wide_g, &noise, &d).is_err());
    }
}
