//! Training the WGAN critic and generator (claim D1), with histories of the
//! critic's estimate against the exact W1.
//!
//! Serves claim [D1](crate::proofs::d1_wgan).
//!
//! **The critic** ([`CriticTrainer`]) ascends `E_p f - E_q f` on minibatches
//! of `m` points of each distribution, under one of two Lipschitz devices
//! ([`Lipschitz`]):
//!
//! - **Clipping** (Arjovsky, Chintala and Bottou 2017, Algorithm 1, lines
//!   3-7): after each update every parameter is clamped to `[-c, c]`. The
//!   paper uses RMSProp; we use [`Adam`](crate::optim::Adam) with
//!   `beta1 = 0`, which is RMSProp (a running mean of squared gradients,
//!   the step divided by its root) plus Adam's bias correction of that mean
//!   in the first steps. The caller passes the optimiser.
//! - **Gradient penalty** (Gulrajani et al. 2017, Algorithm 1): the loss is
//!   `(1/m) sum_i [f(x~_i) - f(x_i) + lambda (||grad f(x_hat_i)|| - 1)^2]`
//!   with `x_hat_i = e_i x_i + (1 - e_i) x~_i`, `e_i ~ U[0, 1)`, descended
//!   with Adam (the paper's `alpha = 1e-4, beta1 = 0, beta2 = 0.9`, or what
//!   the caller chooses). The penalty's parameter gradient is exact
//!   ([`Critic::gradient_penalty`]).
//!
//! **The generator** ([`Wgan`]) takes `n_critic` critic steps, then one step
//! descending `-(1/m) sum_i f(G(z_i))` through the critic.
//!
//! **Finite distributions.** Data, noise and (for the critic alone) the
//! generated distribution are [`Empirical`] sets: finitely many points with
//! masses. Minibatches are drawn from them, and the exact quantities are
//! computed on the whole sets: the critic's objective `E_p f - E_q f`, its
//! Lipschitz constant over the support points, the certified lower bound
//! `(E_p f - E_q f) / K_support` (see [`crate::variants::wgan`]), and the
//! exact `W1` ([`w1_samples`] on the line, [`emd`] in `R^d`). The generator's
//! distribution is `G` pushed forward from the finite noise set, so `W1(p_data, p_g)`
//! is exact at every step.
//!
//! Every random draw comes from one xoshiro256++ stream ([`TrainingRng`])
//! seeded by the settings: runs are reproducible bit for bit.
//!
//! # Example
//! ```
//! use gan_theory::critic::Critic;
//! use gan_theory::mlp::Activation;
//! use gan_theory::optim::Adam;
//! use gan_theory::train::wgan::{CriticSettings, CriticTrainer, Empirical, Lipschitz};
//! let p = Empirical::on_line(&[-1.0, -0.5, 0.0, 0.5])?;
//! let q = Empirical::on_line(&[2.0, 2.5, 3.0, 3.5])?;
//! let critic = Critic::new(&[1, 16, 1], Activation::Tanh, 1)?;
//! let opt = Adam::new(0.01, 0.5, 0.9, 1e-8, critic.num_params())?;
//! let settings = CriticSettings { minibatch: 8, lipschitz: Lipschitz::GradientPenalty { lambda: 10.0 }, seed: 1 };
//! let mut trainer = CriticTrainer::new(critic, opt.into(), p, q, settings)?;
//! let history = trainer.run(200)?;
//! let last = history.last().unwrap();
//! assert_eq!(last.w1, 3.0);
//! assert!(last.certified <= last.w1 + 1e-12 && last.certified > 2.5);
//! # Ok::<(), gan_theory::Error>(())
//! ```

use crate::critic::{Critic, binary_exponent, times_power_of_two};
use crate::error::{Error, Result, check_same_length};
use crate::game::{
    non_saturating_loss, non_saturating_loss_grad, saturating_loss, saturating_loss_grad,
};
use crate::measure::{Discrete, Sampler as IndexSampler};
use crate::mlp::{Mlp, Tape};
use crate::optim::{AnyOptimizer, Optimizer};
use crate::train::algorithm1::{Sampler, TrainingRng};
use crate::transport::line::w1_samples;
use crate::transport::{CostMatrix, Metric, Points, emd};
use crate::variants::wgan::{
    certified_estimate, interpolate, lipschitz_on_line, lipschitz_on_points,
};
use nalgebra::DMatrix;
use rand::{RngExt, SeedableRng};

/// A finite distribution: points of `R^d` (one row each) with masses.
#[derive(Debug, Clone)]
pub struct Empirical {
    points: DMatrix<f64>,
    masses: Discrete,
    sampler: IndexSampler,
}

impl Empirical {
    /// Points with the given masses.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when there is not one mass per point.
    pub fn new(points: &Points, masses: Discrete) -> Result<Self> {
        check_same_length(points.len(), masses.len())?;
        let points = DMatrix::from_fn(points.len(), points.dim(), |i, k| points.point(i)[k]);
        Ok(Self {
            sampler: masses.sampler(),
            points,
            masses,
        })
    }

    /// Points with equal masses `1/n`.
    ///
    /// # Errors
    /// As [`Discrete::uniform`].
    pub fn uniform(points: &Points) -> Result<Self> {
        Self::new(points, Discrete::uniform(points.len())?)
    }

    /// Values on the line with equal masses.
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::EntryNotANumber`], [`Error::EntryInfinite`].
    pub fn on_line(values: &[f64]) -> Result<Self> {
        Self::uniform(&Points::from_flat(values.len(), 1, values.to_vec())?)
    }

    /// Dimension of the points.
    pub fn dim(&self) -> usize {
        self.points.ncols()
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.points.nrows()
    }

    /// Always false: there is at least one point.
    pub fn is_empty(&self) -> bool {
        self.points.nrows() == 0
    }

    /// The points, one row each.
    pub fn points(&self) -> &DMatrix<f64> {
        &self.points
    }

    /// The masses.
    pub fn masses(&self) -> &Discrete {
        &self.masses
    }

    fn as_points(&self) -> Result<Points> {
        let (n, d) = self.points.shape();
        Points::from_flat(n, d, self.points.transpose().as_slice().to_vec())
    }
}

impl Sampler for Empirical {
    fn dim(&self) -> usize {
        self.points.ncols()
    }
    /// Each row of `out` a point drawn with probability its mass.
    fn sample_into(&mut self, rng: &mut TrainingRng, out: &mut DMatrix<f64>) {
        for r in 0..out.nrows() {
            let i = self.sampler.sample(rng);
            for k in 0..out.ncols() {
                out[(r, k)] = self.points[(i, k)];
            }
        }
    }
}

/// How the critic is kept Lipschitz.
///
/// Checked by claim [D1](crate::proofs::d1_wgan).
///
/// # Example
/// ```
/// use gan_theory::{critic::Critic, mlp::Activation, optim::Adam};
/// use gan_theory::train::wgan::{CriticSettings, CriticTrainer, Empirical, Lipschitz};
/// let make = |lipschitz| -> gan_theory::Result<CriticTrainer> {
///     let critic = Critic::new(&[1, 4, 1], Activation::Tanh, 1)?;
///     let opt = Adam::new(0.01, 0.0, 0.9, 1e-8, critic.num_params())?;
///     let (p, q) = (Empirical::on_line(&[0.0, 1.0])?, Empirical::on_line(&[3.0, 4.0])?);
///     CriticTrainer::new(critic, opt.into(), p, q, CriticSettings { minibatch: 4, lipschitz, seed: 1 })
/// };
/// // Clipping keeps every parameter in [-c, c] after each step.
/// let mut clipped = make(Lipschitz::Clipping { c: 0.1 })?;
/// clipped.step()?;
/// assert!(clipped.critic().params().iter().all(|w| w.abs() <= 0.1));
/// // A clipping bound must be positive, a penalty weight non-negative.
/// assert!(make(Lipschitz::Clipping { c: 0.0 }).is_err());
/// assert!(make(Lipschitz::GradientPenalty { lambda: -1.0 }).is_err());
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lipschitz {
    /// Clamp every parameter to `[-c, c]` after each update.
    Clipping {
        /// The bound `c > 0`.
        c: f64,
    },
    /// Add `lambda (||grad f(x_hat)|| - 1)^2` at random interpolates.
    GradientPenalty {
        /// The weight `lambda >= 0`.
        lambda: f64,
    },
}

impl Lipschitz {
    fn validate(self) -> Result<()> {
        let (name, value, ok) = match self {
            Lipschitz::Clipping { c } => ("c", c, c.is_finite() && c > 0.0),
            Lipschitz::GradientPenalty { lambda } => {
                ("lambda", lambda, lambda.is_finite() && lambda >= 0.0)
            }
        };
        if !ok {
            return Err(Error::InvalidParameter {
                name,
                value,
                requirement: "clipping needs finite c > 0, the penalty finite lambda >= 0",
            });
        }
        Ok(())
    }
}

/// Settings of a critic's training.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CriticSettings {
    /// `m`, points of each distribution per step (at least 1).
    pub minibatch: usize,
    /// Clipping or gradient penalty.
    pub lipschitz: Lipschitz,
    /// Seed of the training stream.
    pub seed: u64,
}

/// The critic measured exactly on two finite distributions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CriticEstimate {
    /// `E_p f - E_q f` over the whole sets.
    pub objective: f64,
    /// `K_support`: the largest `|f(a) - f(b)| / |a - b|` over the support
    /// points of both sets.
    pub lipschitz: f64,
    /// `objective / K_support`: a lower bound on W1 whatever the training did.
    pub certified: f64,
    /// [`Critic::lipschitz_bound`], valid on all of `R^d`.
    pub global_lipschitz_bound: f64,
    /// `objective / global_lipschitz_bound`: a weaker lower bound on W1.
    pub globally_certified: f64,
    /// The exact `W1(p, q)` (Euclidean cost).
    pub w1: f64,
}

/// The exact `W1(p, q)` with Euclidean cost: [`w1_samples`] on the line,
/// [`emd`] in higher dimension.
///
/// Checked by claim [D1](crate::proofs::d1_wgan).
///
/// # Errors
/// [`Error::DimensionMismatch`]; the solvers' errors.
pub fn exact_w1(p: &Empirical, q: &Empirical) -> Result<f64> {
    if p.dim() != q.dim() {
        return Err(Error::DimensionMismatch {
            left: p.dim(),
            right: q.dim(),
        });
    }
    if p.dim() == 1 {
        return w1_samples(
            p.points.as_slice(),
            Some(p.masses.as_slice()),
            q.points.as_slice(),
            Some(q.masses.as_slice()),
        );
    }
    let cost = CostMatrix::from_points(&p.as_points()?, &q.as_points()?, Metric::Euclidean)?;
    Ok(emd(p.masses.as_slice(), q.masses.as_slice(), &cost)?.cost)
}

/// The critic's objective, Lipschitz constants and certified lower bounds on
/// `p` against `q`, with `w1` the exact `W1(p, q)` (pass [`exact_w1`]).
///
/// # Errors
/// [`Error::DimensionMismatch`] / [`Error::LengthMismatch`] for shapes;
/// [`Error::NotANumber`] / [`Error::Infinite`] for a diverged critic.
pub fn evaluate_critic(
    critic: &Critic,
    p: &Empirical,
    q: &Empirical,
    w1: f64,
) -> Result<CriticEstimate> {
    if p.dim() != q.dim() {
        return Err(Error::DimensionMismatch {
            left: p.dim(),
            right: q.dim(),
        });
    }
    check_same_length(critic.input_dim(), p.dim())?;
    let (mut f_p, mut f_q) = (critic.values(&p.points)?, critic.values(&q.points)?);
    // Certify on the values times 2^s, s bringing the largest |f| below 1 up
    // to [1, 2) exactly: the ratio objective / K is the same, and values of
    // subnormal size (tiny weights) keep their relative precision in the
    // expectations' products (at 1e-320 they certified 0.7% above W1).
    let largest = f_p.iter().chain(&f_q).fold(0.0f64, |m, v| m.max(v.abs()));
    let s = if largest > 0.0 && largest < 1.0 {
        -binary_exponent(largest)
    } else {
        0
    };
    for v in f_p.iter_mut().chain(f_q.iter_mut()) {
        *v = times_power_of_two(*v, s);
    }
    let scaled_objective =
        crate::variants::wgan::critic_objective(&p.masses, &f_p, &q.masses, &f_q)?;
    let values: Vec<f64> = f_p.iter().chain(&f_q).copied().collect();
    let scaled_lipschitz = if p.dim() == 1 {
        let points: Vec<f64> = p.points.iter().chain(q.points.iter()).copied().collect();
        lipschitz_on_line(&points, &values)?
    } else {
        let both = DMatrix::from_fn(p.len() + q.len(), p.dim(), |i, k| {
            if i < p.len() {
                p.points[(i, k)]
            } else {
                q.points[(i - p.len(), k)]
            }
        });
        let (n, d) = both.shape();
        let points = Points::from_flat(n, d, both.transpose().as_slice().to_vec())?;
        lipschitz_on_points(&points, &values, Metric::Euclidean)?
    };
    let global = critic.lipschitz_bound();
    // The global bound, scaled alike (2^s times it, up to +inf).
    let scaled_global = times_power_of_two(global, s);
    Ok(CriticEstimate {
        objective: times_power_of_two(scaled_objective, -s),
        lipschitz: times_power_of_two(scaled_lipschitz, -s),
        certified: certified_estimate(scaled_objective, scaled_lipschitz)?,
        global_lipschitz_bound: global,
        globally_certified: certified_estimate(scaled_objective, scaled_global)?,
        w1,
    })
}

/// What one critic step measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CriticRecord {
    /// `(1/m) sum f(x_i) - (1/m) sum f(x~_i)` on the step's minibatch, before the update.
    pub batch_objective: f64,
    /// The gradient penalty on the step's interpolates before the update (0 with clipping).
    pub penalty: f64,
    /// `E_p f - E_q f` on the whole sets, after the update.
    pub objective: f64,
    /// The critic's Lipschitz constant over the support points, after the update.
    pub lipschitz: f64,
    /// `objective / lipschitz`, the certified lower bound on W1.
    pub certified: f64,
    /// The exact W1 (fixed: p and q do not move).
    pub w1: f64,
}

/// Minibatch buffers and the step shared by [`CriticTrainer`] and [`Wgan`].
struct CriticStepper {
    real: DMatrix<f64>,
    fake: DMatrix<f64>,
    both: DMatrix<f64>,
    x_hat: DMatrix<f64>,
    value_grad: DMatrix<f64>,
    grad: Vec<f64>,
    penalty_grad: Vec<f64>,
    tape: Tape,
}

impl CriticStepper {
    fn new(m: usize, dim: usize, params: usize) -> Self {
        Self {
            real: DMatrix::zeros(m, dim),
            fake: DMatrix::zeros(m, dim),
            both: DMatrix::zeros(2 * m, dim),
            x_hat: DMatrix::zeros(m, dim),
            value_grad: DMatrix::zeros(2 * m, 1),
            grad: vec![0.0; params],
            penalty_grad: vec![0.0; params],
            tape: Tape::new(),
        }
    }

    /// One critic update on `self.real` / `self.fake` (already drawn);
    /// draws the interpolation weights from `rng`. Returns the minibatch
    /// objective and the penalty, both before the update.
    fn step(
        &mut self,
        critic: &mut Critic,
        opt: &mut AnyOptimizer,
        lipschitz: Lipschitz,
        rng: &mut TrainingRng,
    ) -> Result<(f64, f64)> {
        let m = self.real.nrows();
        for k in 0..self.real.ncols() {
            for i in 0..m {
                self.both[(i, k)] = self.real[(i, k)];
                self.both[(m + i, k)] = self.fake[(i, k)];
            }
        }
        let values = critic.mlp().forward(&self.both, &mut self.tape)?.as_slice();
        let scale = 1.0 / m as f64;
        let real_mean: f64 = values[..m].iter().sum::<f64>() * scale;
        let fake_mean: f64 = values[m..].iter().sum::<f64>() * scale;
        // Loss -(mean f(real) - mean f(fake)).
        for (i, g) in self.value_grad.as_mut_slice().iter_mut().enumerate() {
            *g = if i < m { -scale } else { scale };
        }
        critic
            .mlp()
            .backward(&mut self.tape, &self.value_grad, Some(&mut self.grad), None)?;
        let mut penalty = 0.0;
        if let Lipschitz::GradientPenalty { lambda } = lipschitz {
            for i in 0..m {
                let e: f64 = rng.random();
                for k in 0..self.real.ncols() {
                    self.x_hat[(i, k)] = interpolate(self.real[(i, k)], self.fake[(i, k)], e);
                }
            }
            penalty = critic.gradient_penalty(&self.x_hat, lambda, Some(&mut self.penalty_grad))?;
            for (g, p) in self.grad.iter_mut().zip(&self.penalty_grad) {
                *g += p;
            }
        }
        opt.step(critic.params_mut(), &self.grad)?;
        if let Lipschitz::Clipping { c } = lipschitz {
            critic.clip(c)?;
        }
        let objective = real_mean - fake_mean;
        if !(objective.is_finite() && penalty.is_finite())
            || critic.params().iter().any(|w| !w.is_finite())
        {
            return Err(Error::NotConverged {
                what: "WGAN critic",
                detail: "diverged: a non-finite objective, penalty or parameter (learning rate too large?)"
                    .to_string(),
            });
        }
        Ok((objective, penalty))
    }
}

/// Most `f64` entries one buffer may hold: a `Vec<f64>` holds at most
/// `isize::MAX` bytes.
const MAX_BUFFER_LEN: usize = isize::MAX as usize / std::mem::size_of::<f64>();

/// `m >= 1`, and `2 m` rows of `width` entries (the largest minibatch
/// buffer) fit in one `Vec`, so that allocating them cannot panic.
fn check_minibatch(m: usize, width: usize) -> Result<()> {
    if m == 0 {
        return Err(Error::InvalidParameter {
            name: "minibatch",
            value: 0.0,
            requirement: "must be at least 1",
        });
    }
    let fits = m
        .checked_mul(2)
        .and_then(|rows| rows.checked_mul(width.max(1)))
        .is_some_and(|len| len <= MAX_BUFFER_LEN);
    if !fits {
        return Err(Error::InvalidParameter {
            name: "minibatch",
            value: m as f64,
            requirement: "twice this many rows of samples must fit in one buffer",
        });
    }
    Ok(())
}

/// Training a critic between two fixed finite distributions `p` (data) and
/// `q` (generated).
///
/// Checked by claim [D1](crate::proofs::d1_wgan).
///
/// # Example
/// ```
/// use gan_theory::{critic::Critic, mlp::Activation, optim::Adam};
/// use gan_theory::train::wgan::{CriticSettings, CriticTrainer, Empirical, Lipschitz};
/// let (p, q) = (Empirical::on_line(&[0.0, 1.0])?, Empirical::on_line(&[3.0, 4.0])?);
/// let critic = Critic::new(&[1, 8, 1], Activation::Tanh, 1)?;
/// let opt = Adam::new(1e-3, 0.0, 0.9, 1e-8, critic.num_params())?;
/// let settings = CriticSettings { minibatch: 4, lipschitz: Lipschitz::GradientPenalty { lambda: 10.0 }, seed: 1 };
/// let mut trainer = CriticTrainer::new(critic, opt.into(), p, q, settings)?;
/// assert_eq!(trainer.w1(), 3.0);   // every point moves by 3
/// let record = trainer.step()?;
/// // Whatever the critic, (E_p f - E_q f) / K_support is a lower bound on W1 (in absolute value).
/// assert!(record.certified.abs() <= record.w1 + 1e-12);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub struct CriticTrainer {
    critic: Critic,
    opt: AnyOptimizer,
    p: Empirical,
    q: Empirical,
    settings: CriticSettings,
    rng: TrainingRng,
    w1: f64,
    stepper: CriticStepper,
}

impl CriticTrainer {
    /// Sets up the training; computes the exact W1 once.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `m = 0` (or `2 m` rows too many for
    /// memory) or a bad [`Lipschitz`];
    /// [`Error::DimensionMismatch`] / [`Error::LengthMismatch`] when the
    /// critic, the sets or the optimiser disagree in size; [`exact_w1`]'s errors.
    pub fn new(
        critic: Critic,
        opt: AnyOptimizer,
        p: Empirical,
        q: Empirical,
        settings: CriticSettings,
    ) -> Result<Self> {
        check_minibatch(settings.minibatch, p.dim())?;
        settings.lipschitz.validate()?;
        check_same_length(critic.input_dim(), p.dim())?;
        check_same_length(opt.len(), critic.num_params())?;
        let w1 = exact_w1(&p, &q)?;
        Ok(Self {
            stepper: CriticStepper::new(settings.minibatch, p.dim(), critic.num_params()),
            rng: TrainingRng::seed_from_u64(settings.seed),
            critic,
            opt,
            p,
            q,
            settings,
            w1,
        })
    }

    /// One step: draw `m` points of `p` and of `q` (and the interpolation
    /// weights for the penalty), update, and measure the critic exactly.
    ///
    /// # Errors
    /// [`Error::NotConverged`] when the critic diverges.
    pub fn step(&mut self) -> Result<CriticRecord> {
        self.p.sample_into(&mut self.rng, &mut self.stepper.real);
        self.q.sample_into(&mut self.rng, &mut self.stepper.fake);
        let (batch_objective, penalty) = self.stepper.step(
            &mut self.critic,
            &mut self.opt,
            self.settings.lipschitz,
            &mut self.rng,
        )?;
        let estimate = self.estimate()?;
        Ok(CriticRecord {
            batch_objective,
            penalty,
            objective: estimate.objective,
            lipschitz: estimate.lipschitz,
            certified: estimate.certified,
            w1: self.w1,
        })
    }

    /// `steps` steps and their records.
    ///
    /// # Errors
    /// As [`CriticTrainer::step`].
    pub fn run(&mut self, steps: usize) -> Result<Vec<CriticRecord>> {
        (0..steps).map(|_| self.step()).collect()
    }

    /// The critic measured exactly now.
    ///
    /// # Errors
    /// As [`evaluate_critic`].
    pub fn estimate(&self) -> Result<CriticEstimate> {
        evaluate_critic(&self.critic, &self.p, &self.q, self.w1)
    }

    /// The exact W1 between the two sets.
    pub fn w1(&self) -> f64 {
        self.w1
    }

    /// The critic.
    pub fn critic(&self) -> &Critic {
        &self.critic
    }

    /// The critic, giving up the trainer.
    pub fn into_critic(self) -> Critic {
        self.critic
    }
}

/// Settings of a WGAN run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WganSettings {
    /// `m`, the minibatch size of every step (at least 1).
    pub minibatch: usize,
    /// `n_critic`, critic steps per generator step (at least 1).
    pub critic_steps: usize,
    /// Clipping or gradient penalty.
    pub lipschitz: Lipschitz,
    /// Seed of the training stream.
    pub seed: u64,
}

/// What one WGAN iteration measured: the critic after its `n_critic` steps,
/// exactly on `p_data` against the current `p_g` (before the generator's
/// step), and the generator's step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WganRecord {
    /// The critic's objective `E_{p_data} f - E_{p_g} f` on the whole sets.
    pub objective: f64,
    /// Its Lipschitz constant over the support points.
    pub lipschitz: f64,
    /// `objective / lipschitz`, a certified lower bound on `W1(p_data, p_g)`.
    pub certified: f64,
    /// The exact `W1(p_data, p_g)` at this iteration, before the generator's step.
    pub w1: f64,
    /// The generator's loss `-(1/m) sum f(G(z_i))` on its minibatch, before its step.
    pub generator_loss: f64,
    /// Euclidean norm of the generator's gradient.
    pub generator_grad_norm: f64,
}

/// A WGAN run: critic, generator, their optimisers, the finite data and noise.
///
/// Checked by claim [D1](crate::proofs::d1_wgan).
///
/// # Example
/// ```
/// use gan_theory::{critic::Critic, mlp::{Activation, Mlp}, optim::Adam};
/// use gan_theory::train::wgan::{Empirical, Lipschitz, Wgan, WganSettings, exact_w1};
/// let data = Empirical::on_line(&[2.0, 2.5, 3.0])?;
/// let noise = Empirical::on_line(&[-1.0, 0.0, 1.0])?;
/// let critic = Critic::new(&[1, 8, 1], Activation::Tanh, 1)?;
/// let generator = Mlp::new(&[1, 8, 1], Activation::Tanh, 2)?;
/// let critic_opt = Adam::new(1e-3, 0.0, 0.9, 1e-8, critic.num_params())?;
/// let generator_opt = Adam::new(1e-3, 0.0, 0.9, 1e-8, generator.num_params())?;
/// let settings = WganSettings { minibatch: 4, critic_steps: 2,
///                               lipschitz: Lipschitz::GradientPenalty { lambda: 10.0 }, seed: 1 };
/// let mut wgan = Wgan::new(critic, generator, critic_opt.into(), generator_opt.into(),
///                          data.clone(), noise, settings)?;
/// let before = exact_w1(&data, &wgan.generated()?)?;
/// let record = wgan.step()?;   // n_critic = 2 critic steps, then one generator step
/// assert_eq!(record.w1, before);   // the record's W1 is measured before G moves
/// assert!(record.certified.abs() <= record.w1 + 1e-12);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub struct Wgan {
    critic: Critic,
    generator: Mlp,
    critic_opt: AnyOptimizer,
    generator_opt: AnyOptimizer,
    data: Empirical,
    noise: Empirical,
    settings: WganSettings,
    rng: TrainingRng,
    stepper: CriticStepper,
    z: DMatrix<f64>,
    g_tape: Tape,
    c_tape: Tape,
    value_grad: DMatrix<f64>,
    sample_grad: DMatrix<f64>,
    g_grad: Vec<f64>,
}

impl Wgan {
    /// Sets up a run. `p_g` is the generator pushed forward from `noise`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for `m = 0` (or `2 m` rows too many for
    /// memory), `n_critic = 0` or a bad [`Lipschitz`];
    /// [`Error::LengthMismatch`] when dimensions disagree
    /// (data vs critic vs generator output, noise vs generator input,
    /// optimisers vs parameters).
    pub fn new(
        critic: Critic,
        generator: Mlp,
        critic_opt: AnyOptimizer,
        generator_opt: AnyOptimizer,
        data: Empirical,
        noise: Empirical,
        settings: WganSettings,
    ) -> Result<Self> {
        check_minibatch(settings.minibatch, data.dim().max(noise.dim()))?;
        if settings.critic_steps == 0 {
            return Err(Error::InvalidParameter {
                name: "critic_steps",
                value: 0.0,
                requirement: "must be at least 1",
            });
        }
        settings.lipschitz.validate()?;
        let dim = data.dim();
        check_same_length(critic.input_dim(), dim)?;
        check_same_length(generator.output_dim(), dim)?;
        check_same_length(noise.dim(), generator.input_dim())?;
        check_same_length(critic_opt.len(), critic.num_params())?;
        check_same_length(generator_opt.len(), generator.num_params())?;
        let m = settings.minibatch;
        Ok(Self {
            stepper: CriticStepper::new(m, dim, critic.num_params()),
            z: DMatrix::zeros(m, noise.dim()),
            g_tape: Tape::new(),
            c_tape: Tape::new(),
            value_grad: DMatrix::from_element(m, 1, -1.0 / m as f64),
            sample_grad: DMatrix::zeros(m, dim),
            g_grad: vec![0.0; generator.num_params()],
            rng: TrainingRng::seed_from_u64(settings.seed),
            critic,
            generator,
            critic_opt,
            generator_opt,
            data,
            noise,
            settings,
        })
    }

    /// The generator's distribution: `G(z)` at every noise point, with the
    /// noise's masses.
    ///
    /// # Errors
    /// [`Error::EntryNotANumber`] / [`Error::EntryInfinite`] for a diverged generator.
    pub fn generated(&self) -> Result<Empirical> {
        pushforward(&self.generator, &self.noise)
    }

    /// The exact `W1(p_data, p_g)` now.
    ///
    /// # Errors
    /// As [`Wgan::generated`] and [`exact_w1`].
    pub fn w1(&self) -> Result<f64> {
        exact_w1(&self.data, &self.generated()?)
    }

    /// One iteration: `n_critic` critic steps, the exact measurements, one
    /// generator step.
    ///
    /// # Errors
    /// [`Error::NotConverged`] when a model diverges.
    pub fn step(&mut self) -> Result<WganRecord> {
        for _ in 0..self.settings.critic_steps {
            self.data.sample_into(&mut self.rng, &mut self.stepper.real);
            self.noise.sample_into(&mut self.rng, &mut self.z);
            let fake = self.generator.forward(&self.z, &mut self.g_tape)?;
            self.stepper.fake.copy_from(fake);
            self.stepper.step(
                &mut self.critic,
                &mut self.critic_opt,
                self.settings.lipschitz,
                &mut self.rng,
            )?;
        }
        let generated = self.generated()?;
        let w1 = exact_w1(&self.data, &generated)?;
        let estimate = evaluate_critic(&self.critic, &self.data, &generated, w1)?;
        let (generator_loss, generator_grad_norm) = self.generator_step()?;
        Ok(WganRecord {
            objective: estimate.objective,
            lipschitz: estimate.lipschitz,
            certified: estimate.certified,
            w1,
            generator_loss,
            generator_grad_norm,
        })
    }

    fn generator_step(&mut self) -> Result<(f64, f64)> {
        self.noise.sample_into(&mut self.rng, &mut self.z);
        let fake = self.generator.forward(&self.z, &mut self.g_tape)?;
        let values = self.critic.mlp().forward(fake, &mut self.c_tape)?;
        let loss = -values.iter().sum::<f64>() / self.settings.minibatch as f64;
        self.critic.mlp().backward(
            &mut self.c_tape,
            &self.value_grad,
            None,
            Some(&mut self.sample_grad),
        )?;
        self.generator.backward(
            &mut self.g_tape,
            &self.sample_grad,
            Some(&mut self.g_grad),
            None,
        )?;
        self.generator_opt
            .step(self.generator.params_mut(), &self.g_grad)?;
        let norm = self.g_grad.iter().map(|g| g * g).sum::<f64>().sqrt();
        if !(loss.is_finite() && norm.is_finite()) {
            return Err(Error::NotConverged {
                what: "WGAN generator",
                detail: "diverged: a non-finite loss or gradient".to_string(),
            });
        }
        Ok((loss, norm))
    }

    /// `iterations` iterations and their records.
    ///
    /// # Errors
    /// As [`Wgan::step`].
    pub fn run(&mut self, iterations: usize) -> Result<Vec<WganRecord>> {
        (0..iterations).map(|_| self.step()).collect()
    }

    /// The critic.
    pub fn critic(&self) -> &Critic {
        &self.critic
    }

    /// The generator.
    pub fn generator(&self) -> &Mlp {
        &self.generator
    }

    /// The data distribution.
    pub fn data(&self) -> &Empirical {
        &self.data
    }
}

/// `G` pushed forward from a finite noise set: `G(z_i)` with mass of `z_i`.
///
/// # Errors
/// [`Error::LengthMismatch`] when the noise does not fit `G`'s input;
/// [`Error::EntryNotANumber`] / [`Error::EntryInfinite`] for a non-finite output.
pub fn pushforward(generator: &Mlp, noise: &Empirical) -> Result<Empirical> {
    let out = generator.predict(&noise.points)?;
    let (n, d) = out.shape();
    let points = Points::from_flat(n, d, out.transpose().as_slice().to_vec())?;
    Empirical::new(&points, noise.masses.clone())
}

/// Which generator loss [`generator_gradient`] differentiates.
#[derive(Debug, Clone, Copy)]
pub enum GeneratorObjective<'a> {
    /// The minimax GAN's `E_z ln(1 - D(G(z)))` against a discriminator
    /// given by its logit network.
    Minimax(&'a Mlp),
    /// The non-saturating `-E_z ln D(G(z))`.
    NonSaturating(&'a Mlp),
    /// WGAN's `-E_z f(G(z))` against a critic.
    Wasserstein(&'a Critic),
}

/// The exact gradient, in the generator's parameters, of its loss over the
/// whole finite noise set (weighted by the noise's masses).
///
/// # Errors
/// [`Error::LengthMismatch`] when the shapes disagree.
pub fn generator_gradient(
    generator: &Mlp,
    noise: &Empirical,
    objective: GeneratorObjective<'_>,
) -> Result<Vec<f64>> {
    check_same_length(noise.dim(), generator.input_dim())?;
    let mut g_tape = Tape::new();
    let fake = generator.forward(&noise.points, &mut g_tape)?.clone();
    let net = match objective {
        GeneratorObjective::Minimax(d) | GeneratorObjective::NonSaturating(d) => d,
        GeneratorObjective::Wasserstein(c) => c.mlp(),
    };
    check_same_length(net.input_dim(), generator.output_dim())?;
    check_same_length(net.output_dim(), 1)?;
    let mut tape = Tape::new();
    let values = net.forward(&fake, &mut tape)?.clone();
    let masses = noise.masses.as_slice();
    let slope = DMatrix::from_fn(fake.nrows(), 1, |i, _| {
        let l = values[i];
        masses[i]
            * match objective {
                GeneratorObjective::Minimax(_) => saturating_loss_grad(l),
                GeneratorObjective::NonSaturating(_) => non_saturating_loss_grad(l),
                GeneratorObjective::Wasserstein(_) => -1.0,
            }
    });
    let mut sample_grad = DMatrix::zeros(fake.nrows(), fake.ncols());
    net.backward(&mut tape, &slope, None, Some(&mut sample_grad))?;
    let mut grad = vec![0.0; generator.num_params()];
    generator.backward(&mut g_tape, &sample_grad, Some(&mut grad), None)?;
    Ok(grad)
}

/// Trains a standard GAN discriminator (logit network `d`) between fixed
/// finite `data` and `generated` sets: `steps` minibatch steps descending
/// `-(1/m) sum [ln D(x_i) + ln(1 - D(x~_i))]` (through softplus, as
/// Algorithm 1 does). Returns the loss on the whole sets after training.
///
/// Checked by claim [D1](crate::proofs::d1_wgan).
///
/// # Errors
/// [`Error::InvalidParameter`] for `m = 0` (or `2 m` rows too many for
/// memory); [`Error::LengthMismatch`] for shapes; [`Error::NotConverged`]
/// when the loss becomes NaN.
pub fn train_standard_discriminator(
    d: &mut Mlp,
    opt: &mut AnyOptimizer,
    data: &Empirical,
    generated: &Empirical,
    steps: usize,
    minibatch: usize,
    seed: u64,
) -> Result<f64> {
    check_minibatch(minibatch, data.dim())?;
    check_same_length(d.input_dim(), data.dim())?;
    check_same_length(data.dim(), generated.dim())?;
    check_same_length(d.output_dim(), 1)?;
    check_same_length(opt.len(), d.num_params())?;
    let (mut data, mut generated) = (data.clone(), generated.clone());
    let mut rng = TrainingRng::seed_from_u64(seed);
    let m = minibatch;
    let (mut real, mut fake) = (DMatrix::zeros(m, data.dim()), DMatrix::zeros(m, data.dim()));
    let mut both = DMatrix::zeros(2 * m, data.dim());
    let mut logit_grad = DMatrix::zeros(2 * m, 1);
    let mut grad = vec![0.0; d.num_params()];
    let mut tape = Tape::new();
    let scale = 1.0 / m as f64;
    for _ in 0..steps {
        data.sample_into(&mut rng, &mut real);
        generated.sample_into(&mut rng, &mut fake);
        for k in 0..data.dim() {
            for i in 0..m {
                both[(i, k)] = real[(i, k)];
                both[(m + i, k)] = fake[(i, k)];
            }
        }
        let logits = d.forward(&both, &mut tape)?;
        for (i, g) in logit_grad.as_mut_slice().iter_mut().enumerate() {
            let l = logits[i];
            *g = if i < m {
                scale * non_saturating_loss_grad(l)
            } else {
                -scale * saturating_loss_grad(l)
            };
        }
        d.backward(&mut tape, &logit_grad, Some(&mut grad), None)?;
        opt.step(d.params_mut(), &grad)?;
    }
    let (l_real, l_fake) = (d.predict(&data.points)?, d.predict(&generated.points)?);
    let loss = data.masses.expect(|i| non_saturating_loss(l_real[i]))
        - generated.masses.expect(|i| saturating_loss(l_fake[i]));
    if loss.is_nan() {
        return Err(Error::NotConverged {
            what: "standard discriminator",
            detail: "diverged: NaN loss".to_string(),
        });
    }
    Ok(loss)
}
