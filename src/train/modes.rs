//! Mode collapse with trained MLPs: Algorithm 1 (Goodfellow et al. 2014) with
//! Adam on the 2-D ring and grid ([`super::mixtures`]), for four methods.
//!
//! Serves claim [G1](crate::proofs::g1_mode_collapse).
//!
//! One iteration draws `m` data `x_i`, `m` noise `z_i ~ N(0, I_2)`, takes
//! `k` discriminator steps and one generator step, each with Adam, on the
//! minibatch losses (`l` is D's output, a logit or a critic value):
//!
//! ```text
//! method   D (or critic) loss, minimised                                  G loss, minimised
//! gan      mean softplus(-l(x)) + mean softplus(l(G(z)))                   mean ln(1 - sigma(l(G(z)))) = -mean softplus(l(G(z)))
//! ns-gan   as gan                                                          mean softplus(-l(G(z)))     = -mean ln sigma(l(G(z)))
//! r1       as gan + (gamma/2) mean ||grad_x l(x)||^2 (real samples)        as ns-gan
//! wgan-gp  mean l(G(z)) - mean l(x) + lambda mean (||grad_x l(x_hat)|| - 1)^2,   -mean l(G(z))
//!          x_hat = e x + (1 - e) G(z), e ~ U[0, 1] per pair
//! ```
//!
//! `gan` is the minimax (saturating) game of the paper, `ns-gan` its
//! non-saturating variant, `wgan-gp` Gulrajani et al. (2017), `r1` the
//! penalty of Mescheder, Geiger and Nowozin (2018). The penalties' parameter
//! gradients are exact (the second-order pass of [`crate::critic`]).
//!
//! Everything is seeded from one run seed (networks, training stream,
//! evaluation stream), so the same seed gives the same samples, bit for bit.
//!
//! # Example
//! ```
//! use gan_theory::train::mixtures::Mixture;
//! use gan_theory::train::modes::{Method, Protocol, run};
//! let protocol = Protocol { steps: 20, ..Protocol::default() };
//! let result = run(Mixture::Ring, Method::NsGan, &protocol, 7, |_| {})?;
//! assert_eq!(result.samples.len(), protocol.evaluation_samples);
//! assert!(result.metrics.modes <= 8);
//! assert_eq!(run(Mixture::Ring, Method::NsGan, &protocol, 7, |_| {})?.samples, result.samples);
//! # Ok::<(), gan_theory::Error>(())
//! ```

use crate::critic::penalty_pass;
use crate::error::{Error, Result};
use crate::game::{
    non_saturating_loss, non_saturating_loss_grad, saturating_loss, saturating_loss_grad,
};
use crate::mlp::{Activation, Mlp, Tape};
use crate::optim::{Adam, Optimizer};
use crate::train::algorithm1::{Sampler, TrainingRng, stack_rows};
use crate::train::mixtures::{EVALUATION_SAMPLES, Mixture, ModeMetrics, StandardNormal, evaluate};
use nalgebra::DMatrix;
use rand::{RngExt, SeedableRng};

/// The four training methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// The minimax game with the saturating generator loss.
    Gan,
    /// The non-saturating generator loss.
    NsGan,
    /// WGAN with the gradient penalty.
    WganGp,
    /// The non-saturating GAN with the R1 penalty on the real samples.
    R1,
}

impl Method {
    /// Every method, in the order of the tables.
    pub const ALL: [Method; 4] = [Method::Gan, Method::NsGan, Method::WganGp, Method::R1];

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Method::Gan => "gan",
            Method::NsGan => "ns-gan",
            Method::WganGp => "wgan-gp",
            Method::R1 => "r1",
        }
    }

    /// The method of a name (`gan`, `ns-gan`, `wgan-gp`, `r1`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for any other name.
    pub fn from_name(name: &str) -> Result<Self> {
        Method::ALL
            .into_iter()
            .find(|m| m.name() == name)
            .ok_or(Error::InvalidParameter {
                name: "method",
                value: f64::NAN,
                requirement: "the method must be gan, ns-gan, wgan-gp or r1",
            })
    }

    /// The penalty weight of the method in `protocol` (`lambda` for
    /// WGAN-GP, `gamma` for R1, 0 otherwise).
    pub fn penalty(self, protocol: &Protocol) -> f64 {
        match self {
            Method::WganGp => protocol.gp_lambda,
            Method::R1 => protocol.r1_gamma,
            Method::Gan | Method::NsGan => 0.0,
        }
    }
}

/// The training protocol: networks, optimiser, minibatch, iterations.
#[derive(Debug, Clone, PartialEq)]
pub struct Protocol {
    /// Generator widths (noise dimension first, 2 last).
    pub generator_widths: Vec<usize>,
    /// Discriminator widths (2 first, 1 last).
    pub discriminator_widths: Vec<usize>,
    /// The hidden activation of both networks.
    pub activation: Activation,
    /// `m`, the minibatch.
    pub minibatch: usize,
    /// Iterations of Algorithm 1.
    pub steps: usize,
    /// `k`, discriminator steps per iteration.
    pub discriminator_steps: usize,
    /// Adam's learning rate (both networks).
    pub learning_rate: f64,
    /// Adam's `beta1`.
    pub beta1: f64,
    /// Adam's `beta2`.
    pub beta2: f64,
    /// WGAN-GP's `lambda`.
    pub gp_lambda: f64,
    /// R1's `gamma`.
    pub r1_gamma: f64,
    /// Generated samples scored at the end.
    pub evaluation_samples: usize,
}

impl Default for Protocol {
    /// The default protocol: G and D `[2, 64, 64, 64, 2]` / `[2, 64, 64, 64, 1]`
    /// with ReLU, `m = 128`, `k = 1`, Adam(`1e-3`, 0.5, 0.999), 3000
    /// iterations, WGAN-GP `lambda = 0.1`, R1 `gamma = 1`, 2500 samples scored.
    fn default() -> Self {
        Self {
            generator_widths: vec![2, 64, 64, 64, 2],
            discriminator_widths: vec![2, 64, 64, 64, 1],
            activation: Activation::Relu,
            minibatch: 128,
            steps: 3000,
            discriminator_steps: 1,
            learning_rate: 1e-3,
            beta1: 0.5,
            beta2: 0.999,
            gp_lambda: 0.1,
            r1_gamma: 1.0,
            evaluation_samples: EVALUATION_SAMPLES,
        }
    }
}

/// What one run returns.
#[derive(Debug, Clone, PartialEq)]
pub struct ModeRun {
    /// The metrics of [`ModeRun::samples`].
    pub metrics: ModeMetrics,
    /// The final generator's samples (from the evaluation stream).
    pub samples: Vec<[f64; 2]>,
}

/// SplitMix64's finaliser: decorrelated seeds from one run seed and a tag.
fn derive_seed(seed: u64, tag: u64) -> u64 {
    let mut z = seed
        .wrapping_add(tag.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A training run in progress: networks, optimisers, streams and buffers.
pub struct ModeTrainer {
    mixture: Mixture,
    method: Method,
    protocol: Protocol,
    d: Mlp,
    g: Mlp,
    d_opt: Adam,
    g_opt: Adam,
    rng: TrainingRng,
    noise: StandardNormal,
    real: DMatrix<f64>,
    z: DMatrix<f64>,
    d_batch: DMatrix<f64>,
    x_hat: DMatrix<f64>,
    d_logit_grad: DMatrix<f64>,
    g_logit_grad: DMatrix<f64>,
    sample_grad: DMatrix<f64>,
    d_grad: Vec<f64>,
    penalty_grad: Vec<f64>,
    g_grad: Vec<f64>,
    d_tape: Tape,
    d_tape_fake: Tape,
    g_tape: Tape,
    iterations: usize,
}

impl ModeTrainer {
    /// Sets up a run of `method` on `mixture` with the networks and streams
    /// seeded from `seed`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a protocol with `m = 0`, `k = 0`, no
    /// evaluation samples, widths not from 2 to 2 (G) or 2 to 1 (D), a bad
    /// Adam setting or a negative penalty weight.
    pub fn new(mixture: Mixture, method: Method, protocol: &Protocol, seed: u64) -> Result<Self> {
        let p = protocol;
        for (name, value) in [
            ("minibatch", p.minibatch),
            ("discriminator_steps", p.discriminator_steps),
            ("evaluation_samples", p.evaluation_samples),
        ] {
            if value == 0 {
                return Err(Error::InvalidParameter {
                    name,
                    value: 0.0,
                    requirement: "must be at least 1",
                });
            }
        }
        let gw = &p.generator_widths;
        let dw = &p.discriminator_widths;
        if gw.len() < 2
            || gw[gw.len() - 1] != 2
            || dw.len() < 2
            || dw[0] != 2
            || dw[dw.len() - 1] != 1
        {
            return Err(Error::InvalidParameter {
                name: "widths",
                value: f64::NAN,
                requirement: "G maps noise to R^2 and D maps R^2 to one logit",
            });
        }
        for (name, value) in [("gp_lambda", p.gp_lambda), ("r1_gamma", p.r1_gamma)] {
            if !(value.is_finite() && value >= 0.0) {
                return Err(Error::InvalidParameter {
                    name,
                    value,
                    requirement: "a penalty weight must be finite and >= 0",
                });
            }
        }
        let d = Mlp::new(dw, p.activation, derive_seed(seed, 1))?;
        let g = Mlp::new(gw, p.activation, derive_seed(seed, 2))?;
        let d_opt = Adam::new(p.learning_rate, p.beta1, p.beta2, 1e-8, d.num_params())?;
        let g_opt = Adam::new(p.learning_rate, p.beta1, p.beta2, 1e-8, g.num_params())?;
        let m = p.minibatch;
        let noise_dim = gw[0];
        Ok(Self {
            mixture,
            method,
            protocol: p.clone(),
            d_grad: vec![0.0; d.num_params()],
            penalty_grad: vec![0.0; d.num_params()],
            g_grad: vec![0.0; g.num_params()],
            d,
            g,
            d_opt,
            g_opt,
            rng: TrainingRng::seed_from_u64(derive_seed(seed, 3)),
            noise: StandardNormal { dim: noise_dim },
            real: DMatrix::zeros(m, 2),
            z: DMatrix::zeros(m, noise_dim),
            d_batch: DMatrix::zeros(2 * m, 2),
            x_hat: DMatrix::zeros(m, 2),
            d_logit_grad: DMatrix::zeros(2 * m, 1),
            g_logit_grad: DMatrix::zeros(m, 1),
            sample_grad: DMatrix::zeros(m, 2),
            d_tape: Tape::new(),
            d_tape_fake: Tape::new(),
            g_tape: Tape::new(),
            iterations: 0,
        })
    }

    /// One iteration of Algorithm 1: `k` discriminator steps, one generator step.
    ///
    /// # Errors
    /// [`Error::NotConverged`] when a loss turns NaN (the run diverged).
    pub fn step(&mut self) -> Result<()> {
        let mut losses = 0.0;
        for _ in 0..self.protocol.discriminator_steps {
            losses += self.discriminator_step()?;
        }
        losses += self.generator_step()?;
        self.iterations += 1;
        if losses.is_nan() {
            return Err(Error::NotConverged {
                what: "mode-collapse training",
                detail: format!("a NaN loss at iteration {}", self.iterations),
            });
        }
        Ok(())
    }

    /// One discriminator (critic) step; returns its loss before the step.
    fn discriminator_step(&mut self) -> Result<f64> {
        let m = self.protocol.minibatch;
        self.mixture.sample_into(&mut self.rng, &mut self.real);
        self.noise.sample_into(&mut self.rng, &mut self.z);
        let fake = self.g.forward(&self.z, &mut self.g_tape)?;
        stack_rows(&self.real, fake, &mut self.d_batch);
        let logits = self.d.forward(&self.d_batch, &mut self.d_tape)?.as_slice();
        let scale = 1.0 / m as f64;
        let wasserstein = self.method == Method::WganGp;
        let mut loss = 0.0;
        let grad = self.d_logit_grad.as_mut_slice();
        for (i, (&l, g)) in logits.iter().zip(grad.iter_mut()).enumerate() {
            let real_row = i < m;
            let (value, slope) = match (wasserstein, real_row) {
                (true, true) => (-l, -1.0),
                (true, false) => (l, 1.0),
                (false, true) => (non_saturating_loss(l), non_saturating_loss_grad(l)),
                (false, false) => (-saturating_loss(l), -saturating_loss_grad(l)),
            };
            loss += scale * value;
            *g = scale * slope;
        }
        self.d.backward(
            &mut self.d_tape,
            &self.d_logit_grad,
            Some(&mut self.d_grad[..]),
            None,
        )?;
        let penalty_at = match self.method {
            Method::WganGp => {
                // x_hat = e x + (1 - e) G(z), one e per pair.
                for i in 0..m {
                    let e: f64 = self.rng.random();
                    for j in 0..2 {
                        self.x_hat[(i, j)] =
                            e * self.d_batch[(i, j)] + (1.0 - e) * self.d_batch[(m + i, j)];
                    }
                }
                Some((self.protocol.gp_lambda, 1.0))
            }
            Method::R1 => {
                self.x_hat.copy_from(&self.real);
                Some((0.5 * self.protocol.r1_gamma, 0.0))
            }
            Method::Gan | Method::NsGan => None,
        };
        if let Some((lambda, target)) = penalty_at {
            loss += penalty_pass(
                &self.d,
                &self.x_hat,
                lambda,
                target,
                Some(&mut self.penalty_grad[..]),
            );
            for (g, p) in self.d_grad.iter_mut().zip(&self.penalty_grad) {
                *g += p;
            }
        }
        self.d_opt.step(self.d.params_mut(), &self.d_grad)?;
        Ok(loss)
    }

    /// One generator step; returns its loss before the step.
    fn generator_step(&mut self) -> Result<f64> {
        let m = self.protocol.minibatch;
        self.noise.sample_into(&mut self.rng, &mut self.z);
        let fake = self.g.forward(&self.z, &mut self.g_tape)?;
        let logits = self.d.forward(fake, &mut self.d_tape_fake)?.as_slice();
        let scale = 1.0 / m as f64;
        let mut loss = 0.0;
        let grad = self.g_logit_grad.as_mut_slice();
        for (&l, g) in logits.iter().zip(grad.iter_mut()) {
            let (value, slope) = match self.method {
                Method::Gan => (saturating_loss(l), saturating_loss_grad(l)),
                Method::NsGan | Method::R1 => (non_saturating_loss(l), non_saturating_loss_grad(l)),
                Method::WganGp => (-l, -1.0),
            };
            loss += scale * value;
            *g = scale * slope;
        }
        self.d.backward(
            &mut self.d_tape_fake,
            &self.g_logit_grad,
            None,
            Some(&mut self.sample_grad),
        )?;
        self.g.backward(
            &mut self.g_tape,
            &self.sample_grad,
            Some(&mut self.g_grad[..]),
            None,
        )?;
        self.g_opt.step(self.g.params_mut(), &self.g_grad)?;
        Ok(loss)
    }

    /// Iterations run so far.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// The generator.
    pub fn generator(&self) -> &Mlp {
        &self.g
    }

    /// The discriminator (critic).
    pub fn discriminator(&self) -> &Mlp {
        &self.d
    }

    /// `n` samples of the current generator, from the evaluation stream of
    /// `seed` (separate from training).
    ///
    /// # Errors
    /// [`Error::Empty`] for `n = 0`.
    pub fn samples(&self, n: usize, seed: u64) -> Result<Vec<[f64; 2]>> {
        let mut rng = TrainingRng::seed_from_u64(derive_seed(seed, 4));
        let mut z = DMatrix::zeros(n, self.noise.dim);
        let mut noise = self.noise;
        noise.sample_into(&mut rng, &mut z);
        let x = self.g.predict(&z)?;
        Ok((0..n).map(|i| [x[(i, 0)], x[(i, 1)]]).collect())
    }
}

/// Trains `method` on `mixture` for `protocol.steps` iterations from `seed`,
/// calling `progress(i)` after iteration `i` (from 1), and scores
/// `protocol.evaluation_samples` samples of the final generator.
///
/// # Errors
/// As [`ModeTrainer::new`] and [`ModeTrainer::step`]; [`Error::EntryNotANumber`]
/// / [`Error::EntryInfinite`] when the final generator's samples are not finite.
pub fn run(
    mixture: Mixture,
    method: Method,
    protocol: &Protocol,
    seed: u64,
    mut progress: impl FnMut(usize),
) -> Result<ModeRun> {
    let mut trainer = ModeTrainer::new(mixture, method, protocol, seed)?;
    for i in 1..=protocol.steps {
        trainer.step()?;
        progress(i);
    }
    let samples = trainer.samples(protocol.evaluation_samples, seed)?;
    let metrics = evaluate(mixture, &samples)?;
    Ok(ModeRun { metrics, samples })
}
