//! Algorithm 1 of Goodfellow et al. (2014): k discriminator steps on
//! minibatches, then one generator step, with a training history.
//!
//! Serves claim [A6](crate::proofs::a6_algorithm1).
//!
//! One iteration, as the paper gives it:
//!
//! ```text
//! for k steps:
//!     draw x_1..x_m ~ p_data and z_1..z_m ~ p_z;
//!     ascend  (1/m) sum_i [ln D(x_i) + ln(1 - D(G(z_i)))]      (D's parameters)
//! draw z_1..z_m ~ p_z;
//! descend (1/m) sum_i ln(1 - D(G(z_i)))                        (saturating), or
//! ascend  (1/m) sum_i ln D(G(z_i))                             (non-saturating; G's parameters)
//! ```
//!
//! Everything is computed from D's logit `l` through softplus
//! ([`crate::game`]): `ln D = -softplus(-l)`, `ln(1 - D) = -softplus(l)`, so
//! that a confident discriminator gives large finite losses, never `ln 0`.
//! The discriminator sees its `m` data and `m` generated samples as one batch
//! of `2m` rows; ascending V is done by descending `-V` with the optimiser.
//!
//! Models implement two small traits, [`DiscriminatorModel`] (a batch to its
//! logits, and back from `dL/d logit` to the parameters and to the inputs)
//! and [`GeneratorModel`] (a batch of noise to a batch of samples, and back
//! from `dL/dx` to the parameters); [`Mlp`] implements both. Data and noise
//! come from a [`Sampler`]; the random stream is xoshiro256++ seeded by
//! [`Settings::seed`], so the same seed gives the same numbers, bit for bit.
//! After construction a step allocates nothing (unless the W1 monitor is on).
//!
//! # Example
//! ```
//! use gan_theory::mlp::{Activation, Mlp};
//! use gan_theory::optim::Sgd;
//! use gan_theory::train::algorithm1::{Algorithm1, GeneratorLoss, Normal1d, Settings, Uniform1d};
//! let d = Mlp::new(&[1, 16, 1], Activation::Tanh, 1)?;
//! let g = Mlp::new(&[1, 16, 1], Activation::Tanh, 2)?;
//! let (d_opt, g_opt) = (Sgd::new(0.05, 0.9, d.num_params())?, Sgd::new(0.05, 0.9, g.num_params())?);
//! let settings = Settings { minibatch: 32, ..Settings::default() };
//! let mut run = Algorithm1::new(
//!     d, g, d_opt.into(), g_opt.into(),
//!     Normal1d::new(2.0, 0.5)?, Uniform1d::new(0.0, 1.0)?, settings,
//! )?;
//! let history = run.run(10)?;
//! assert_eq!(history.len(), 10);
//! assert!(history.iter().all(|r| r.value.is_finite() && r.value <= 0.0));
//! # Ok::<(), gan_theory::Error>(())
//! ```

use crate::error::{Error, Result, check_same_length};
use crate::game::{
    non_saturating_loss, non_saturating_loss_grad, saturating_loss, saturating_loss_grad,
};
use crate::mlp::{Mlp, Tape};
use crate::optim::{AnyOptimizer, Optimizer};
use crate::transport::line::w1_samples;
use nalgebra::DMatrix;
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};

/// The random number generator of a training run: xoshiro256++, fast and,
/// unlike `StdRng`, guaranteed to give the same stream for the same seed in
/// every version of `rand`.
pub type TrainingRng = Xoshiro256PlusPlus;

/// A discriminator for Algorithm 1: one logit per sample.
pub trait DiscriminatorModel {
    /// What the forward pass records for the backward pass.
    type Tape;
    /// A fresh tape.
    fn new_tape(&self) -> Self::Tape;
    /// Dimension of a sample (columns of a batch).
    fn sample_dim(&self) -> usize;
    /// The parameters, flattened.
    fn params(&self) -> &[f64];
    /// The parameters, flattened, for an optimiser's step.
    fn params_mut(&mut self) -> &mut [f64];
    /// The logits `l(x)` of a batch (one row per sample), a `batch x 1` matrix.
    ///
    /// # Errors
    /// A shape mismatch.
    fn logits<'t>(&self, x: &DMatrix<f64>, tape: &'t mut Self::Tape) -> Result<&'t DMatrix<f64>>;
    /// From `dL/dl` (`batch x 1`), writes `dL/d params` and `dL/dx` where asked.
    ///
    /// # Errors
    /// A shape mismatch.
    fn backward(
        &self,
        tape: &mut Self::Tape,
        logit_grad: &DMatrix<f64>,
        param_grad: Option<&mut [f64]>,
        input_grad: Option<&mut DMatrix<f64>>,
    ) -> Result<()>;
}

/// A generator for Algorithm 1: noise to samples.
pub trait GeneratorModel {
    /// What the forward pass records for the backward pass.
    type Tape;
    /// A fresh tape.
    fn new_tape(&self) -> Self::Tape;
    /// Dimension of the noise `z`.
    fn noise_dim(&self) -> usize;
    /// Dimension of a sample `G(z)`.
    fn sample_dim(&self) -> usize;
    /// The parameters, flattened.
    fn params(&self) -> &[f64];
    /// The parameters, flattened, for an optimiser's step.
    fn params_mut(&mut self) -> &mut [f64];
    /// The samples `G(z)` of a batch of noise (one row per sample).
    ///
    /// # Errors
    /// A shape mismatch.
    fn generate<'t>(&self, z: &DMatrix<f64>, tape: &'t mut Self::Tape) -> Result<&'t DMatrix<f64>>;
    /// From `dL/dx` at the samples, writes `dL/d params`.
    ///
    /// # Errors
    /// A shape mismatch.
    fn backward(
        &self,
        tape: &mut Self::Tape,
        sample_grad: &DMatrix<f64>,
        param_grad: &mut [f64],
    ) -> Result<()>;
}

/// An MLP with one output is a discriminator (the output is the logit).
impl DiscriminatorModel for Mlp {
    type Tape = Tape;
    fn new_tape(&self) -> Tape {
        Tape::new()
    }
    fn sample_dim(&self) -> usize {
        self.input_dim()
    }
    fn params(&self) -> &[f64] {
        Mlp::params(self).as_slice()
    }
    fn params_mut(&mut self) -> &mut [f64] {
        Mlp::params_mut(self)
    }
    fn logits<'t>(&self, x: &DMatrix<f64>, tape: &'t mut Tape) -> Result<&'t DMatrix<f64>> {
        check_same_length(self.output_dim(), 1)?;
        self.forward(x, tape)
    }
    fn backward(
        &self,
        tape: &mut Tape,
        logit_grad: &DMatrix<f64>,
        param_grad: Option<&mut [f64]>,
        input_grad: Option<&mut DMatrix<f64>>,
    ) -> Result<()> {
        Mlp::backward(self, tape, logit_grad, param_grad, input_grad)
    }
}

/// An MLP maps noise (its input) to samples (its output).
impl GeneratorModel for Mlp {
    type Tape = Tape;
    fn new_tape(&self) -> Tape {
        Tape::new()
    }
    fn noise_dim(&self) -> usize {
        self.input_dim()
    }
    fn sample_dim(&self) -> usize {
        self.output_dim()
    }
    fn params(&self) -> &[f64] {
        Mlp::params(self).as_slice()
    }
    fn params_mut(&mut self) -> &mut [f64] {
        Mlp::params_mut(self)
    }
    fn generate<'t>(&self, z: &DMatrix<f64>, tape: &'t mut Tape) -> Result<&'t DMatrix<f64>> {
        self.forward(z, tape)
    }
    fn backward(
        &self,
        tape: &mut Tape,
        sample_grad: &DMatrix<f64>,
        param_grad: &mut [f64],
    ) -> Result<()> {
        Mlp::backward(self, tape, sample_grad, Some(param_grad), None)
    }
}

/// A source of i.i.d. samples: data for `p_data`, noise for `p_z`.
pub trait Sampler {
    /// Dimension of one sample.
    fn dim(&self) -> usize;
    /// Fills every row of `out` (`n x dim()`) with an independent sample.
    fn sample_into(&mut self, rng: &mut TrainingRng, out: &mut DMatrix<f64>);
}

/// The normal law `N(mean, sd^2)` on the line, sampled by the Box-Muller
/// transform: with `u1` uniform on `(0, 1]` and `u2` on `[0, 1)`,
/// `sqrt(-2 ln u1) (cos 2 pi u2, sin 2 pi u2)` are two independent standard normals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Normal1d {
    mean: f64,
    sd: f64,
}

impl Normal1d {
    /// # Errors
    /// [`Error::InvalidParameter`] unless `mean` is finite and `sd > 0` is finite.
    pub fn new(mean: f64, sd: f64) -> Result<Self> {
        if !mean.is_finite() {
            return Err(Error::InvalidParameter {
                name: "mean",
                value: mean,
                requirement: "must be finite",
            });
        }
        if !(sd.is_finite() && sd > 0.0) {
            return Err(Error::InvalidParameter {
                name: "sd",
                value: sd,
                requirement: "must be finite and > 0",
            });
        }
        Ok(Self { mean, sd })
    }
}

impl Sampler for Normal1d {
    fn dim(&self) -> usize {
        1
    }
    fn sample_into(&mut self, rng: &mut TrainingRng, out: &mut DMatrix<f64>) {
        for pair in out.as_mut_slice().chunks_mut(2) {
            let u1 = 1.0 - rng.random::<f64>();
            let u2: f64 = rng.random();
            let radius = (-2.0 * u1.ln()).sqrt();
            let (sin, cos) = (std::f64::consts::TAU * u2).sin_cos();
            pair[0] = self.mean + self.sd * radius * cos;
            if let Some(second) = pair.get_mut(1) {
                *second = self.mean + self.sd * radius * sin;
            }
        }
    }
}

/// The uniform law on `[low, high)`: `low + (high - low) u`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Uniform1d {
    low: f64,
    high: f64,
}

impl Uniform1d {
    /// # Errors
    /// [`Error::InvalidParameter`] unless `low < high` are finite.
    pub fn new(low: f64, high: f64) -> Result<Self> {
        if !(low.is_finite() && high.is_finite() && low < high) {
            return Err(Error::InvalidParameter {
                name: "high",
                value: high,
                requirement: "low < high, both finite",
            });
        }
        Ok(Self { low, high })
    }
}

impl Sampler for Uniform1d {
    fn dim(&self) -> usize {
        1
    }
    fn sample_into(&mut self, rng: &mut TrainingRng, out: &mut DMatrix<f64>) {
        let width = self.high - self.low;
        for x in out.as_mut_slice() {
            *x = self.low + width * rng.random::<f64>();
        }
    }
}

/// A one-dimensional sampler from a closure drawing one value, for any other
/// law (a mixture, a transformed variable, ...).
pub struct FnSampler1d<F: FnMut(&mut TrainingRng) -> f64>(pub F);

impl<F: FnMut(&mut TrainingRng) -> f64> Sampler for FnSampler1d<F> {
    fn dim(&self) -> usize {
        1
    }
    fn sample_into(&mut self, rng: &mut TrainingRng, out: &mut DMatrix<f64>) {
        for x in out.as_mut_slice() {
            *x = (self.0)(rng);
        }
    }
}

pub use crate::game::GeneratorLoss;

/// How a run is set up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// `m`, the minibatch size of each step (at least 1).
    pub minibatch: usize,
    /// `k`, the discriminator steps per iteration (at least 1).
    pub discriminator_steps: usize,
    /// The generator's loss.
    pub loss: GeneratorLoss,
    /// Seed of the training stream.
    pub seed: u64,
    /// For 1-D samples: after every iteration, the W1 distance between this
    /// many fresh samples of `p_g` and of `p_data` (drawn from a separate
    /// stream, so that monitoring does not change the training numbers).
    pub w1_samples: Option<usize>,
}

impl Default for Settings {
    /// `m = 64`, `k = 1`, non-saturating loss, seed 0, no W1 monitor.
    fn default() -> Self {
        Self {
            minibatch: 64,
            discriminator_steps: 1,
            loss: GeneratorLoss::NonSaturating,
            seed: 0,
            w1_samples: None,
        }
    }
}

/// What one iteration measured (all before the parameter updates of the step
/// they belong to).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Record {
    /// The discriminator's loss `-V_hat`, averaged over its k steps.
    pub d_loss: f64,
    /// The generator's loss on its minibatch (as [`GeneratorLoss`] defines it).
    pub g_loss: f64,
    /// `V_hat = (1/m) sum ln D(x_i) + (1/m) sum ln(1 - D(G(z_i)))` on the last
    /// discriminator step's minibatch.
    pub value: f64,
    /// Euclidean norm of the last discriminator step's gradient.
    pub d_grad_norm: f64,
    /// Euclidean norm of the generator step's gradient.
    pub g_grad_norm: f64,
    /// W1 between samples of `p_g` and `p_data`, after this iteration's
    /// updates, when [`Settings::w1_samples`] asks for it.
    pub w1: Option<f64>,
}

/// A training run of Algorithm 1: the two models, their optimisers, the
/// samplers and every buffer a step needs.
///
/// Checked by claim [A6](crate::proofs::a6_algorithm1).
///
/// # Example
/// ```
/// use gan_theory::mlp::{Activation, Mlp};
/// use gan_theory::optim::Sgd;
/// use gan_theory::train::algorithm1::{Algorithm1, Normal1d, Settings, Uniform1d};
/// let new_run = || -> gan_theory::Result<_> {
///     let d = Mlp::new(&[1, 8, 1], Activation::Tanh, 1)?;
///     let g = Mlp::new(&[1, 8, 1], Activation::Tanh, 2)?;
///     let (d_opt, g_opt) = (Sgd::new(0.05, 0.0, d.num_params())?, Sgd::new(0.05, 0.0, g.num_params())?);
///     let settings = Settings { minibatch: 16, seed: 3, ..Settings::default() };
///     Algorithm1::new(d, g, d_opt.into(), g_opt.into(),
///                     Normal1d::new(2.0, 0.5)?, Uniform1d::new(0.0, 1.0)?, settings)
/// };
/// let mut run = new_run()?;
/// let record = run.step()?;   // one iteration: k = 1 discriminator step, one generator step
/// assert_eq!(run.iterations(), 1);
/// assert_eq!(record.d_loss, -record.value);   // with k = 1, D's loss is -V_hat
/// assert!(record.value < 0.0);                // V_hat = mean ln D + mean ln(1 - D) < 0
/// assert_eq!(new_run()?.step()?, record);     // the same seed gives the same numbers, bit for bit
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub struct Algorithm1<D: DiscriminatorModel, G: GeneratorModel, P: Sampler, Z: Sampler> {
    d: D,
    g: G,
    d_opt: AnyOptimizer,
    g_opt: AnyOptimizer,
    p_data: P,
    noise: Z,
    settings: Settings,
    rng: TrainingRng,
    monitor_rng: TrainingRng,
    iterations: usize,
    // Buffers, sized once.
    real: DMatrix<f64>,
    z: DMatrix<f64>,
    d_batch: DMatrix<f64>,
    d_logit_grad: DMatrix<f64>,
    g_logit_grad: DMatrix<f64>,
    sample_grad: DMatrix<f64>,
    d_grad: Vec<f64>,
    g_grad: Vec<f64>,
    d_tape_both: D::Tape,
    d_tape_fake: D::Tape,
    g_tape: G::Tape,
}

/// Most `f64` entries one buffer may be asked for: a `Vec<f64>` holds at most
/// `isize::MAX` bytes.
const MAX_BUFFER_LEN: usize = isize::MAX as usize / std::mem::size_of::<f64>();

/// Seed offset of the W1 monitor's stream (any constant other than 0).
const MONITOR_STREAM: u64 = 0x9e37_79b9_7f4a_7c15;

impl<D: DiscriminatorModel, G: GeneratorModel, P: Sampler, Z: Sampler> Algorithm1<D, G, P, Z> {
    /// Sets up a run. The optimisers must be sized for the models' parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `m = 0`, `k = 0`, a W1 monitor with
    /// fewer than 1 sample or on samples that are not 1-D, an `m` (or a
    /// monitor size) so large that `2 m` rows of samples overflow a buffer;
    /// [`Error::LengthMismatch`] when dimensions disagree (data vs samples,
    /// noise vs generator input, a discriminator with more than one output,
    /// an optimiser sized for another model).
    pub fn new(
        d: D,
        g: G,
        d_opt: AnyOptimizer,
        g_opt: AnyOptimizer,
        p_data: P,
        noise: Z,
        settings: Settings,
    ) -> Result<Self> {
        let m = settings.minibatch;
        for (name, value) in [
            ("minibatch", m),
            ("discriminator_steps", settings.discriminator_steps),
        ] {
            if value == 0 {
                return Err(Error::InvalidParameter {
                    name,
                    value: 0.0,
                    requirement: "must be at least 1",
                });
            }
        }
        let dim = d.sample_dim();
        // The buffers hold up to 2m rows (and the W1 monitor n rows) of the
        // widest of sample and noise: refuse sizes whose element count
        // overflows what a Vec can hold, rather than panic allocating them.
        let widest = dim.max(g.noise_dim()).max(1);
        for (name, count) in [("minibatch", m)]
            .into_iter()
            .chain(settings.w1_samples.map(|n| ("w1_samples", n)))
        {
            let fits = count
                .checked_mul(2)
                .and_then(|c| c.checked_mul(widest))
                .is_some_and(|c| c <= MAX_BUFFER_LEN);
            if !fits {
                return Err(Error::InvalidParameter {
                    name,
                    value: count as f64,
                    requirement: "twice this many rows of samples must fit in one buffer",
                });
            }
        }
        check_same_length(g.sample_dim(), dim)?;
        check_same_length(p_data.dim(), dim)?;
        check_same_length(noise.dim(), g.noise_dim())?;
        check_same_length(d_opt.len(), d.params().len())?;
        check_same_length(g_opt.len(), g.params().len())?;
        if let Some(n) = settings.w1_samples {
            if n == 0 || dim != 1 {
                return Err(Error::InvalidParameter {
                    name: "w1_samples",
                    value: n as f64,
                    requirement: "W1 is monitored for 1-D samples, with at least 1 sample",
                });
            }
        }
        let mut run = Self {
            d_grad: vec![0.0; d.params().len()],
            g_grad: vec![0.0; g.params().len()],
            d_tape_both: d.new_tape(),
            d_tape_fake: d.new_tape(),
            g_tape: g.new_tape(),
            real: DMatrix::zeros(m, dim),
            z: DMatrix::zeros(m, g.noise_dim()),
            d_batch: DMatrix::zeros(2 * m, dim),
            d_logit_grad: DMatrix::zeros(2 * m, 1),
            g_logit_grad: DMatrix::zeros(m, 1),
            sample_grad: DMatrix::zeros(m, dim),
            rng: TrainingRng::seed_from_u64(settings.seed),
            monitor_rng: TrainingRng::seed_from_u64(settings.seed ^ MONITOR_STREAM),
            iterations: 0,
            d,
            g,
            d_opt,
            g_opt,
            p_data,
            noise,
            settings,
        };
        // Size the tapes now (so steps do not allocate) and check the shapes.
        check_same_length(run.d.logits(&run.d_batch, &mut run.d_tape_both)?.ncols(), 1)?;
        run.d.logits(&run.real, &mut run.d_tape_fake)?;
        run.g.generate(&run.z, &mut run.g_tape)?;
        Ok(run)
    }

    /// Runs `iterations` iterations and returns their records.
    ///
    /// # Errors
    /// As [`Algorithm1::step`].
    pub fn run(&mut self, iterations: usize) -> Result<Vec<Record>> {
        (0..iterations).map(|_| self.step()).collect()
    }

    /// One iteration of Algorithm 1: k discriminator steps, one generator step.
    ///
    /// # Errors
    /// [`Error::NotConverged`] when the run has diverged (a loss or gradient
    /// norm is NaN; the updates of this iteration are already applied);
    /// otherwise only if a model's own forward or backward pass refuses a
    /// shape that [`Algorithm1::new`] accepted (never for [`Mlp`]).
    pub fn step(&mut self) -> Result<Record> {
        let mut d_loss = 0.0;
        let (mut value, mut d_grad_norm) = (0.0, 0.0);
        for _ in 0..self.settings.discriminator_steps {
            (value, d_grad_norm) = self.discriminator_step()?;
            d_loss -= value;
        }
        d_loss /= self.settings.discriminator_steps as f64;
        let (g_loss, g_grad_norm) = self.generator_step()?;
        self.iterations += 1;
        // A diverged run (a learning rate too large for the models) turns
        // the parameters to inf and NaN; say so instead of returning NaN.
        // (An infinite loss alone is legitimate: a confident discriminator.)
        let measured = [d_loss, g_loss, value, d_grad_norm, g_grad_norm];
        if measured.iter().any(|x| x.is_nan()) {
            return Err(Error::NotConverged {
                what: "Algorithm 1",
                detail: format!(
                    "diverged: a NaN loss or gradient at iteration {} (learning rate too large?)",
                    self.iterations
                ),
            });
        }
        let w1 = match self.settings.w1_samples {
            Some(n) => Some(self.sample_w1(n)?),
            None => None,
        };
        Ok(Record {
            d_loss,
            g_loss,
            value,
            d_grad_norm,
            g_grad_norm,
            w1,
        })
    }

    /// Draws m data and m generated samples, ascends V̂ in D's parameters;
    /// returns V̂ (before the step) and the gradient's norm.
    fn discriminator_step(&mut self) -> Result<(f64, f64)> {
        let m = self.settings.minibatch;
        self.p_data.sample_into(&mut self.rng, &mut self.real);
        self.noise.sample_into(&mut self.rng, &mut self.z);
        let fake = self.g.generate(&self.z, &mut self.g_tape)?;
        stack_rows(&self.real, fake, &mut self.d_batch);
        let logits = self
            .d
            .logits(&self.d_batch, &mut self.d_tape_both)?
            .as_slice();
        // Loss -V: real rows -ln D = non_saturating_loss, generated rows
        // -ln(1 - D) = -saturating_loss; gradients in the logit likewise.
        let scale = 1.0 / m as f64;
        let (mut ln_d, mut ln_one_minus_d) = (0.0, 0.0);
        let grad = self.d_logit_grad.as_mut_slice();
        for (i, (&l, g)) in logits.iter().zip(grad.iter_mut()).enumerate() {
            if i < m {
                ln_d -= non_saturating_loss(l);
                *g = scale * non_saturating_loss_grad(l);
            } else {
                ln_one_minus_d += saturating_loss(l);
                *g = -scale * saturating_loss_grad(l);
            }
        }
        let value = scale * ln_d + scale * ln_one_minus_d;
        self.d.backward(
            &mut self.d_tape_both,
            &self.d_logit_grad,
            Some(&mut self.d_grad),
            None,
        )?;
        self.d_opt.step(self.d.params_mut(), &self.d_grad)?;
        Ok((value, norm(&self.d_grad)))
    }

    /// Draws m noise samples, descends the generator loss in G's parameters
    /// through D; returns the loss (before the step) and the gradient's norm.
    fn generator_step(&mut self) -> Result<(f64, f64)> {
        let m = self.settings.minibatch;
        self.noise.sample_into(&mut self.rng, &mut self.z);
        let fake = self.g.generate(&self.z, &mut self.g_tape)?;
        let logits = self.d.logits(fake, &mut self.d_tape_fake)?.as_slice();
        let scale = 1.0 / m as f64;
        let mut loss = 0.0;
        let grad = self.g_logit_grad.as_mut_slice();
        for (&l, g) in logits.iter().zip(grad.iter_mut()) {
            let (value, slope) = match self.settings.loss {
                GeneratorLoss::Saturating => (saturating_loss(l), saturating_loss_grad(l)),
                GeneratorLoss::NonSaturating => {
                    (non_saturating_loss(l), non_saturating_loss_grad(l))
                }
            };
            loss += value;
            *g = scale * slope;
        }
        self.d.backward(
            &mut self.d_tape_fake,
            &self.g_logit_grad,
            None,
            Some(&mut self.sample_grad),
        )?;
        self.g
            .backward(&mut self.g_tape, &self.sample_grad, &mut self.g_grad)?;
        self.g_opt.step(self.g.params_mut(), &self.g_grad)?;
        Ok((scale * loss, norm(&self.g_grad)))
    }

    /// W1 between `n` fresh samples of `p_g` and of `p_data` (monitor stream);
    /// an error if the generator's samples are not finite.
    fn sample_w1(&mut self, n: usize) -> Result<f64> {
        let mut data = DMatrix::zeros(n, 1);
        self.p_data.sample_into(&mut self.monitor_rng, &mut data);
        let mut z = DMatrix::zeros(n, self.g.noise_dim());
        self.noise.sample_into(&mut self.monitor_rng, &mut z);
        let mut tape = self.g.new_tape();
        let generated = self.g.generate(&z, &mut tape)?;
        w1_samples(generated.as_slice(), None, data.as_slice(), None)
    }

    /// The iterations run so far.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// The discriminator.
    pub fn discriminator(&self) -> &D {
        &self.d
    }

    /// The generator.
    pub fn generator(&self) -> &G {
        &self.g
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The models, giving up the run.
    pub fn into_models(self) -> (D, G) {
        (self.d, self.g)
    }
}

/// Stacks two `m x d` batches into the `2m x d` batch `out`: rows `0..m`
/// from `top`, `m..2m` from `bottom`, column by column (D sees its data and
/// generated samples as one batch).
pub(crate) fn stack_rows(top: &DMatrix<f64>, bottom: &DMatrix<f64>, out: &mut DMatrix<f64>) {
    let m = top.nrows();
    let (top, bottom) = (top.as_slice(), bottom.as_slice());
    for (j, column) in out.as_mut_slice().chunks_exact_mut(2 * m).enumerate() {
        column[..m].copy_from_slice(&top[j * m..(j + 1) * m]);
        column[m..].copy_from_slice(&bottom[j * m..(j + 1) * m]);
    }
}

/// Euclidean norm, summed in 8 interleaved partial sums (which vectorise).
fn norm(v: &[f64]) -> f64 {
    let mut acc = [0.0; 8];
    let chunks = v.chunks_exact(8);
    let tail: f64 = chunks.remainder().iter().map(|x| x * x).sum();
    for c in chunks {
        for k in 0..8 {
            acc[k] += c[k] * c[k];
        }
    }
    (acc.iter().sum::<f64>() + tail).sqrt()
}
