//! Training tabular models on a finite support, where every expectation is
//! computed exactly (no sampling), except the minibatch SGD of the
//! discriminator, which samples as Algorithm 1 does.
//!
//! Serves claims [A5](crate::proofs::a5_convergence), [A6](crate::proofs::a6_algorithm1),
//! [A8](crate::proofs::a8_helvetica), [A9](crate::proofs::a9_step_size).
//!
//! - [`descend_c_of_g`]: gradient descent on the generator's softmax logits
//!   with the discriminator optimal at every step (claim A5). With
//!   `D = D*_G` the generator's gradient of `V` is the gradient of `C(G)`
//!   (envelope theorem, see [`crate::tabular`]), so this is gradient descent
//!   on `C`.
//! - [`train_generator`]: the generator trained with either loss against a
//!   discriminator that is optimal, fixed, or updated by `k` exact gradient
//!   ascent steps per generator step (claim A8: against a fixed D the
//!   generator collapses onto `argmax D`).
//! - [`probe_generator_steps`]: one generator step of several sizes against
//!   the old `D*_{G0}` (claim A9).
//! - [`train_discriminator_sgd`]: the tabular discriminator trained by SGD on
//!   minibatches sampled from `p_data` and `p_g` (claim A6), and
//!   [`sgd_stationary_gap`], the mean and variance of its remaining gap
//!   `V(D*) - V(D)` predicted by the linearised recursion.
//!
//! The bounds these runs are judged by live here too, each derived in the
//! claim's proof: [`C_OF_G_LOGIT_SMOOTHNESS`] and [`descent_bound`] (A5's
//! O(1/T) rate), [`local_log_contraction`] and [`measured_log_rate`] (A5's
//! linear rate near the optimum), [`linear_loss_smoothness`],
//! [`collapse_bound`] and [`collapse_bounds`] (A8), [`fannes_bound`] and
//! [`entropy_with_leftover`] (entropy from total variation or from the mass
//! off one point).
//!
//! Every run records a [`History`] (`C(G)`, JSD, entropy, ... per step),
//! for the report's figures. Runs are deterministic; the SGD run is
//! bit-for-bit reproducible for a seeded generator.

use crate::divergence;
use crate::error::{Error, Result, check_same_length};
use crate::game::{self, Discriminator};
use crate::measure::{Discrete, same_len};
use crate::numeric::sigmoid;
use crate::tabular::{TabularDiscriminator, TabularGenerator};
use rand::Rng;

/// A smoothness constant of `C(G)` as a function of the generator's softmax
/// logits: the spectral norm of its Hessian is at most `15/2` everywhere.
///
/// Reason (derived in `proofs/A5-convergence.md`): with
/// `g_i = ln(1 - D*_i)`, `v = p (g - E_p g)`, `w = p D*`, the Hessian is
/// `diag(v) - p v^T - v p^T + diag(w) - p w^T - w p^T + (E_p D*) p p^T`;
/// `|v_i| <= max(p_data_i, p_i ln 2)` gives `|v|_2 <= sqrt(1 + ln^2 2)`,
/// and `0 <= w_i <= p_i`, so the norm is at most
/// `1 + 2 sqrt(1 + ln^2 2) + 1 + 2 + 1 < 7.44`.
pub const C_OF_G_LOGIT_SMOOTHNESS: f64 = 7.5;

/// A smoothness constant of `E_{p_g}[c]` for a fixed cost vector `c` as a
/// function of the softmax logits: `3 (max c - min c)`.
///
/// Reason: the Hessian is `diag(v) - p v^T - v p^T` with
/// `v = p (c - E_p c)`, `|v_i| <= p_i (max c - min c)`, `|p|_2 <= 1`.
///
/// Checked by claim [A8](crate::proofs::a8_helvetica).
pub fn linear_loss_smoothness(costs: &[f64]) -> f64 {
    let max = costs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = costs.iter().copied().fold(f64::INFINITY, f64::min);
    3.0 * (max - min)
}

/// The rate bound of the D-optimal descent ([`descend_c_of_g`], A5 proof):
/// after `steps` steps of size `step <= 1/C_OF_G_LOGIT_SMOOTHNESS`,
/// `C(G_T) + ln 4 <= 1 / (1/(C(G_0) + ln 4) + step T / (2 R^2))`, with `R`
/// the run's [`DescentRun::ratio_radius`]. Returns that bound (0 when the
/// start is already optimal).
///
/// Checked by claims [A5](crate::proofs::a5_convergence), [A8](crate::proofs::a8_helvetica).
pub fn descent_bound(excess_at_start: f64, step: f64, steps: usize, radius: f64) -> f64 {
    if excess_at_start <= 0.0 {
        return 0.0;
    }
    1.0 / (1.0 / excess_at_start + step * steps as f64 / (2.0 * radius * radius))
}

/// The predicted asymptotic log-contraction per step of `C(G) + ln 4` (and of
/// the JSD) under [`descend_c_of_g`] with step `step`:
/// `2 ln(1 - step lambda)`, with `lambda` the smallest non-zero eigenvalue of
/// the Hessian of `C` in the logits at `p_g = p_data`,
/// `(diag(p_data) - p_data p_data^T) / 2` (A5 proof). Near the optimum the
/// error in the logits contracts by `1 - step lambda` per step along the
/// slowest direction, and the excess, quadratic in that error, by its square.
///
/// Checked by claim [A5](crate::proofs::a5_convergence).
///
/// # Errors
/// [`Error::InvalidParameter`] for a step that is not finite and positive,
/// or when `p_data` has a zero entry (no interior optimum).
pub fn local_log_contraction(p_data: &Discrete, step: f64) -> Result<f64> {
    check_step("step", step)?;
    let a = p_data.as_slice();
    if let Some(i) = a.iter().position(|&x| x == 0.0) {
        return Err(Error::InvalidParameter {
            name: "zero-mass index of p_data",
            value: i as f64,
            requirement: "p_data must be positive everywhere",
        });
    }
    let n = a.len();
    let hessian = nalgebra::DMatrix::from_fn(n, n, |r, c| {
        (if r == c { a[r] } else { 0.0 } - a[r] * a[c]) / 2.0
    });
    let mut eigenvalues: Vec<f64> = nalgebra::SymmetricEigen::new(hessian)
        .eigenvalues
        .iter()
        .copied()
        .collect();
    eigenvalues.sort_by(f64::total_cmp);
    // The smallest eigenvalue is 0 (a common shift of the logits); the next
    // is at least min p_data / 2 (the eigenvalues interlace with p_data's entries).
    let lambda = eigenvalues.get(1).copied().unwrap_or(0.0);
    Ok(2.0 * (-step * lambda).ln_1p())
}

/// The log-contraction per step measured on a run's JSD history over the
/// window where it falls from `from` to `to` (first steps below each):
/// `ln(JSD_t2 / JSD_t1) / (t2 - t1)`; `None` when the run does not get that far.
///
/// In the linear regime near the optimum the excess is
/// `sum_k c_k (1 - step lambda_k)^{2t}` with `c_k >= 0`, so this is never
/// slower than [`local_log_contraction`] (the ratio of the two is at least 1)
/// and approaches it from above as later windows are taken, once the faster
/// directions have died out (A5 proof).
///
/// Checked by claim [A5](crate::proofs::a5_convergence).
pub fn measured_log_rate(jsd: &[f64], from: f64, to: f64) -> Option<f64> {
    let t1 = jsd.iter().position(|&x| x < from)?;
    let t2 = jsd.iter().position(|&x| x < to)?;
    (t2 > t1).then(|| (jsd[t2] / jsd[t1]).ln() / (t2 - t1) as f64)
}

/// Relative allowance below 1 for the ratio of [`measured_log_rate`] to
/// [`local_log_contraction`] (and for the monotone approach to 1).
///
/// Reason: in the linear regime the ratio is at least 1 exactly; what can
/// pull it below is the nonlinear part of the excess, of relative order
/// `|delta| <= sqrt(2 JSD / lambda)` (about 1e-3 at JSD = 1e-8 for
/// `lambda >= 0.01`), which moves the log over a window of `ln(1e6)` by
/// about `2e-3 / 13.8`, 1.5e-4. 1e-2 leaves a factor of about 50.
pub const LINEAR_RATE_REL: f64 = 1e-2;

/// The collapse bound against a fixed D (A8 proof): descending
/// `E_{p_g}[c]` with step `1/L` ([`linear_loss_smoothness`]), the excess
/// loss `E_{p_g}[c] - min c` after `steps` steps is at most
/// `1 / (1/e_0 + (step/2) p_min^2 T)`, with `p_min` the smallest mass on the
/// cheapest point along the run.
pub fn collapse_bound(excess_at_start: f64, step: f64, steps: usize, p_min: f64) -> f64 {
    if excess_at_start <= 0.0 {
        return 0.0;
    }
    1.0 / (1.0 / excess_at_start + 0.5 * step * p_min * p_min * steps as f64)
}

/// Binary entropy `h(q) = -q ln q - (1 - q) ln(1 - q)` in nats.
pub fn binary_entropy(q: f64) -> f64 {
    -crate::numeric::x_ln_x(q) - crate::numeric::x_ln_x(1.0 - q)
}

/// The largest entropy of a distribution on `n` points that puts at least
/// `1 - q` on one point, for `q <= 1/2`: `h(q) + q ln(n - 1)` (grouping:
/// `H = h(q) + q H(rest)`, `H(rest) <= ln(n - 1)`).
pub fn entropy_with_leftover(q: f64, n: usize) -> f64 {
    binary_entropy(q) + q * ((n.max(2) - 1) as f64).ln()
}

/// Fannes' (Audenaert's) continuity bound for the entropy on `n` points:
/// `|H(p) - H(q)| <= T ln(n - 1) + h(T)` for total variation `T <= 1 - 1/n`;
/// `T` is capped at 1/2 inside `h`, where `h` is largest.
///
/// Checked by claim [A8](crate::proofs::a8_helvetica).
pub fn fannes_bound(tv: f64, n: usize) -> f64 {
    tv * ((n.max(2) - 1) as f64).ln() + binary_entropy(tv.min(0.5))
}

/// The bounds of a run against a fixed D with per-point costs `c`, step
/// `1/L`, `steps` steps, smallest mass `p_min` on the cheapest point along the
/// run and starting excess loss `excess0`: returns
/// `(bound on 1 - p_g(argmin c), bound on H(p_g))` (the second is `ln n`
/// when the first exceeds 1/2). The first is
/// [`collapse_bound`] divided by the gap between the two smallest costs
/// (`E[c] - min c >= gap (1 - p_g(argmin c))`).
///
/// Checked by claim [A8](crate::proofs::a8_helvetica).
pub fn collapse_bounds(
    costs: &[f64],
    step: f64,
    steps: usize,
    p_min: f64,
    excess0: f64,
) -> (f64, f64) {
    let best = costs.iter().copied().fold(f64::INFINITY, f64::min);
    let gap = costs
        .iter()
        .copied()
        .filter(|&c| c > best)
        .fold(f64::INFINITY, f64::min)
        - best;
    let leftover = collapse_bound(excess0, step, steps, p_min) / gap;
    let entropy = if leftover <= 0.5 {
        entropy_with_leftover(leftover, costs.len())
    } else {
        // Nothing better than the entropy of the uniform distribution.
        (costs.len() as f64).ln()
    };
    (leftover, entropy)
}

/// What a run records at every step (index 0 is the start); serialisable,
/// for the report's figures.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct History {
    /// `C(G) = -ln 4 + 2 JSD(p_data || p_g)`.
    pub c_of_g: Vec<f64>,
    /// `JSD(p_data || p_g)` in nats.
    pub jsd: Vec<f64>,
    /// Entropy of `p_g` in nats.
    pub entropy: Vec<f64>,
    /// The generator's loss against the discriminator it was trained on
    /// (before the step).
    pub generator_loss: Vec<f64>,
    /// `p_g` at the point where the discriminator in use is largest (its
    /// first such point): the mass on D's favourite point.
    pub mass_on_argmax_d: Vec<f64>,
}

impl History {
    fn record(
        &mut self,
        p_data: &Discrete,
        g: &TabularGenerator,
        d: &Discriminator,
        loss: f64,
    ) -> Result<()> {
        let p_g = g.distribution();
        self.c_of_g.push(game::c_of_g(p_data, &p_g)?);
        self.jsd.push(divergence::js(p_data, &p_g)?);
        self.entropy.push(g.entropy());
        self.generator_loss.push(loss);
        self.mass_on_argmax_d.push(p_g[argmax_d(d)]);
        Ok(())
    }
}

/// The first index where `D` is largest (compared by logit, so that values
/// indistinguishable after the sigmoid are still ordered).
pub fn argmax_d(d: &Discriminator) -> usize {
    let mut best = 0;
    for i in 1..d.len() {
        if d.logit(i) > d.logit(best) {
            best = i;
        }
    }
    best
}

fn check_step(name: &'static str, step: f64) -> Result<()> {
    if step.is_finite() && step > 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name,
            value: step,
            requirement: "must be finite and > 0",
        })
    }
}

/// The result of [`descend_c_of_g`].
#[derive(Debug, Clone, PartialEq)]
pub struct DescentRun {
    /// The generator after the last step.
    pub generator: TabularGenerator,
    /// Per-step record; `generator_loss` is `C(G)` itself.
    pub history: History,
    /// `max_t |1 - p_data / p_g,t|_2` over the steps taken (before each step):
    /// the radius in the rate bound `C_T + ln 4 <= 1 / (1/(C_0 + ln 4) + eta T / (2 R^2))`.
    pub ratio_radius: f64,
    /// `min_t (C(G_t) - C(G_{t+1}))`: the smallest decrease of one step
    /// (`+inf` for a run of no steps).
    pub smallest_decrease: f64,
}

/// Gradient descent on the generator's softmax logits with the
/// discriminator optimal at every step: `u <- u - step grad_u C(G)`.
///
/// For `step <= 1 / C_OF_G_LOGIT_SMOOTHNESS` every step lowers `C`, and after
/// `T` steps `C(G_T) + ln 4 <= 1 / (1/(C(G_0) + ln 4) + step T / (2 R^2))`
/// with `R` the run's [`DescentRun::ratio_radius`] (see the A5 proof).
///
/// Checked by claims [A5](crate::proofs::a5_convergence), [A8](crate::proofs::a8_helvetica).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] for a step that is
/// not finite and positive; [`Error::InvalidParameter`] when `p_data` has a
/// zero entry (then `C` has no minimiser among softmax generators).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, tabular::TabularGenerator};
/// use gan_theory::train::tabular_game::{C_OF_G_LOGIT_SMOOTHNESS, descend_c_of_g};
/// let p_data = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let step = 1.0 / C_OF_G_LOGIT_SMOOTHNESS;
/// let run = descend_c_of_g(&p_data, &TabularGenerator::uniform(3)?, step, 200)?;
/// let (c, ln4) = (&run.history.c_of_g, 4f64.ln());
/// assert!(run.smallest_decrease > 0.0);   // every step lowered C(G)
/// // The rate bound of the A5 proof, C_T + ln 4 <= 1 / (1/(C_0 + ln 4) + step T / (2 R^2)):
/// let bound = 1.0 / (1.0 / (c[0] + ln4) + step * 200.0 / (2.0 * run.ratio_radius.powi(2)));
/// assert!(c[200] + ln4 <= bound);
/// assert!(c[200] + ln4 < 1e-4);           // C(G) -> -ln 4, p_g -> p_data
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn descend_c_of_g(
    p_data: &Discrete,
    start: &TabularGenerator,
    step: f64,
    steps: usize,
) -> Result<DescentRun> {
    check_same_length(p_data.len(), start.len())?;
    check_step("step", step)?;
    if let Some(i) = p_data.as_slice().iter().position(|&a| a == 0.0) {
        return Err(Error::InvalidParameter {
            name: "zero-mass index of p_data",
            value: i as f64,
            requirement: "p_data must be positive everywhere for a softmax generator to reach it",
        });
    }
    let mut g = start.clone();
    let mut history = History::default();
    let mut ratio_radius = 0.0f64;
    let mut smallest_decrease = f64::INFINITY;
    for t in 0..=steps {
        let p_g = g.distribution();
        let d_star = game::optimal_discriminator(p_data, &p_g)?;
        let c = game::c_of_g(p_data, &p_g)?;
        history.record(p_data, &g, &d_star, c)?;
        if t > 0 {
            smallest_decrease = smallest_decrease.min(history.c_of_g[t - 1] - c);
        }
        if t == steps {
            break;
        }
        let radius = p_data
            .as_slice()
            .iter()
            .zip(p_g.as_slice())
            .map(|(a, p)| (1.0 - a / p).powi(2))
            .sum::<f64>()
            .sqrt();
        ratio_radius = ratio_radius.max(radius);
        g = g.moved(&g.c_of_g_gradient(p_data)?, -step)?;
    }
    Ok(DescentRun {
        generator: g,
        history,
        ratio_radius,
        smallest_decrease,
    })
}

pub use crate::game::GeneratorLoss;

/// How the discriminator is kept during [`train_generator`].
///
/// Checked by claim [A8](crate::proofs::a8_helvetica).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence::entropy, game::GeneratorLoss, tabular::TabularGenerator};
/// use gan_theory::train::tabular_game::{DiscriminatorPolicy, train_generator};
/// let p_data = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let start = TabularGenerator::uniform(3)?;
/// // With D kept optimal, G does not collapse: it reaches p_data, entropy and all.
/// let run = train_generator(&p_data, &start, &DiscriminatorPolicy::Optimal,
///                           GeneratorLoss::NonSaturating, 1.0, 100)?;
/// assert!(run.history.jsd[100] < 1e-12);
/// assert!((run.history.entropy[100] - entropy(&p_data)).abs() < 1e-6);
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum DiscriminatorPolicy {
    /// `D = D*_G` in closed form before every generator step.
    Optimal,
    /// The same discriminator for the whole run.
    Fixed(Discriminator),
    /// A tabular discriminator moved by `steps` exact gradient-ascent steps
    /// of size `step` on V before every generator step (k of Algorithm 1,
    /// with exact expectations).
    Ascent {
        /// The discriminator at the start.
        start: TabularDiscriminator,
        /// Ascent steps per generator step (k).
        steps: usize,
        /// Step size of each ascent step.
        step: f64,
    },
}

/// The result of [`train_generator`].
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratorRun {
    /// The generator after the last step.
    pub generator: TabularGenerator,
    /// The discriminator in use at the end.
    pub discriminator: Discriminator,
    /// Per-step record.
    pub history: History,
}

/// Trains the generator by `steps` gradient steps of size `step` on its
/// softmax logits, descending `loss` against the discriminator that `policy`
/// provides at each step.
///
/// Checked by claim [A8](crate::proofs::a8_helvetica).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] for a step size
/// that is not finite and positive; [`Error::Infinite`] when the loss is
/// infinite at a point of mass (D = 0 there for the non-saturating loss, 1
/// for the saturating one).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, Discriminator, game::GeneratorLoss, tabular::TabularGenerator};
/// use gan_theory::train::tabular_game::{DiscriminatorPolicy, train_generator};
/// let p_data = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// // The Helvetica scenario: against a fixed D, G piles its mass on argmax D (point 1).
/// let fixed = DiscriminatorPolicy::Fixed(Discriminator::from_probabilities(vec![0.2, 0.9, 0.4])?);
/// let run = train_generator(&p_data, &TabularGenerator::uniform(3)?, &fixed,
///                           GeneratorLoss::NonSaturating, 1.0, 100)?;
/// assert!(run.history.mass_on_argmax_d[100] > 0.99);
/// assert!(run.history.entropy[100] < 0.05);   // from ln 3 ≈ 1.1 nats towards 0
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn train_generator(
    p_data: &Discrete,
    start: &TabularGenerator,
    policy: &DiscriminatorPolicy,
    loss: GeneratorLoss,
    step: f64,
    steps: usize,
) -> Result<GeneratorRun> {
    check_same_length(p_data.len(), start.len())?;
    check_step("step", step)?;
    let mut tabular_d = match policy {
        DiscriminatorPolicy::Fixed(d) => {
            check_same_length(p_data.len(), d.len())?;
            None
        }
        DiscriminatorPolicy::Optimal => None,
        DiscriminatorPolicy::Ascent {
            start: d,
            step: ascent,
            ..
        } => {
            check_same_length(p_data.len(), d.len())?;
            check_step("discriminator step", *ascent)?;
            Some(d.clone())
        }
    };
    let mut g = start.clone();
    let mut history = History::default();
    let mut d = Discriminator::from_logits(vec![0.0; p_data.len()])?;
    for t in 0..=steps {
        let p_g = g.distribution();
        d = match policy {
            DiscriminatorPolicy::Optimal => game::optimal_discriminator(p_data, &p_g)?,
            DiscriminatorPolicy::Fixed(fixed) => fixed.clone(),
            DiscriminatorPolicy::Ascent {
                steps: k,
                step: ascent,
                ..
            } => {
                let mut current = tabular_d.take().expect("set for the ascent policy");
                for _ in 0..*k {
                    current = current.moved(&current.value_gradient(p_data, &p_g)?, *ascent)?;
                }
                let as_game = current.discriminator();
                tabular_d = Some(current);
                as_game
            }
        };
        let (value, gradient) = match loss {
            GeneratorLoss::Saturating => (g.saturating_loss(&d)?, g.saturating_gradient(&d)?),
            GeneratorLoss::NonSaturating => {
                (g.non_saturating_loss(&d)?, g.non_saturating_gradient(&d)?)
            }
        };
        history.record(p_data, &g, &d, value)?;
        if t == steps {
            break;
        }
        g = g.moved(&gradient, -step)?;
    }
    Ok(GeneratorRun {
        generator: g,
        discriminator: d,
        history,
    })
}

/// One generator step of size `step_size` against the old optimal discriminator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepProbe {
    /// The step size `eta` of `u1 = u0 - eta grad_u V(D*_{G0}, G)|_{G0}`.
    pub step_size: f64,
    /// `V(D*_{G0}, G1)`: the value against the old optimal discriminator.
    pub value_against_old_d_star: f64,
    /// `C(G1) = max_D V(D, G1)`: the value against the new optimal one.
    pub c_of_g: f64,
}

/// The result of [`probe_generator_steps`].
#[derive(Debug, Clone, PartialEq)]
pub struct StepSizeStudy {
    /// `C(G0) = V(D*_{G0}, G0)`.
    pub c_of_g0: f64,
    /// `grad_u V(D*_{G0}, G)` at `G0`, the step direction's negative.
    pub gradient: Vec<f64>,
    /// `grad_u C(G)` at `G0`, equal to `gradient` by the envelope theorem.
    pub c_gradient: Vec<f64>,
    /// One probe per step size, in the order given.
    pub probes: Vec<StepProbe>,
}

/// Takes one generator step of each size in `step_sizes` from `g0`, along
/// the gradient of `V(D*_{G0}, G)` (the old optimal discriminator held
/// fixed), and evaluates `V` against the old `D*` and `C` after it.
///
/// Checked by claim [A9](crate::proofs::a9_step_size).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] for a step size
/// that is not finite and positive.
///
/// # Example
/// ```
/// use gan_theory::{Discrete, tabular::TabularGenerator, train::tabular_game::probe_generator_steps};
/// let p_data = Discrete::new(vec![0.7, 0.2, 0.1])?;
/// let study = probe_generator_steps(&p_data, &TabularGenerator::uniform(3)?, &[0.01, 50.0])?;
/// // Envelope theorem: grad V(D*_{G0}, .) at G0 = grad C at G0.
/// for (v, c) in study.gradient.iter().zip(&study.c_gradient) {
///     assert!((v - c).abs() < 1e-15);
/// }
/// let (small, large) = (study.probes[0], study.probes[1]);
/// assert!(small.c_of_g < study.c_of_g0);   // a small step lowers C(G)
/// // A large step lowers V against the old D* and still raises C(G).
/// assert!(large.value_against_old_d_star < study.c_of_g0 && large.c_of_g > study.c_of_g0);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn probe_generator_steps(
    p_data: &Discrete,
    g0: &TabularGenerator,
    step_sizes: &[f64],
) -> Result<StepSizeStudy> {
    check_same_length(p_data.len(), g0.len())?;
    let p0 = g0.distribution();
    let old_d_star = game::optimal_discriminator(p_data, &p0)?;
    let gradient = g0.saturating_gradient(&old_d_star)?;
    let mut probes = Vec::with_capacity(step_sizes.len());
    for &eta in step_sizes {
        check_step("step size", eta)?;
        let g1 = g0.moved(&gradient, -eta)?;
        probes.push(StepProbe {
            step_size: eta,
            value_against_old_d_star: g1.value(p_data, &old_d_star)?,
            c_of_g: g1.c_of_g(p_data)?,
        });
    }
    Ok(StepSizeStudy {
        c_of_g0: game::c_of_g(p_data, &p0)?,
        c_gradient: g0.c_of_g_gradient(p_data)?,
        gradient,
        probes,
    })
}

/// The result of [`train_discriminator_sgd`].
#[derive(Debug, Clone, PartialEq)]
pub struct SgdRun {
    /// The discriminator after the last step.
    pub discriminator: TabularDiscriminator,
    /// `V(D*, G) - V(D_t, G) = C(G) - V(D_t, G)` per step (index 0 is the
    /// start): the exact gap to the optimal discriminator.
    pub gap: Vec<f64>,
}

/// Trains a tabular discriminator by plain SGD, Algorithm 1's inner loop
/// with G fixed: at each step `batch` indices are drawn from `p_data` and
/// `batch` from `p_g`, and the logits ascend the minibatch gradient,
/// `l <- l + step g_hat`.
///
/// Checked by claim [A6](crate::proofs::a6_algorithm1).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] for a step that is
/// not finite and positive or a batch of 0.
///
/// # Example
/// ```
/// use gan_theory::{Discrete, tabular::TabularDiscriminator};
/// use gan_theory::train::tabular_game::{sgd_stationary_gap, train_discriminator_sgd};
/// use gan_theory::rand::{SeedableRng, rngs::StdRng};
/// let p_data = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let p_g = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// let start = TabularDiscriminator::half(3)?;
/// let run = train_discriminator_sgd(&p_data, &p_g, &start, 0.5, 64, 500, &mut StdRng::seed_from_u64(1))?;
/// // From D = 1/2 the gap C(G) - V(D) is 2 JSD; SGD brings it down to its noise floor.
/// assert!((run.gap[0] - 2.0 * gan_theory::divergence::js(&p_data, &p_g)?).abs() < 1e-15);
/// let floor = sgd_stationary_gap(&p_data, &p_g, 0.5, 64)?;
/// assert!(run.gap[500] < run.gap[0] / 10.0);
/// assert!(run.gap[500] < floor.mean + 10.0 * floor.variance.sqrt());
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn train_discriminator_sgd<R: Rng + ?Sized>(
    p_data: &Discrete,
    p_g: &Discrete,
    start: &TabularDiscriminator,
    step: f64,
    batch: usize,
    steps: usize,
    rng: &mut R,
) -> Result<SgdRun> {
    same_len(p_data, p_g)?;
    check_same_length(p_data.len(), start.len())?;
    check_step("step", step)?;
    if batch == 0 {
        return Err(Error::InvalidParameter {
            name: "batch",
            value: 0.0,
            requirement: "must be at least 1",
        });
    }
    let c = game::c_of_g(p_data, p_g)?;
    let (data, generated) = (p_data.sampler(), p_g.sampler());
    let mut d = start.clone();
    let mut gap = Vec::with_capacity(steps + 1);
    gap.push(c - d.value(p_data, p_g)?);
    let (mut real, mut fake) = (vec![0usize; batch], vec![0usize; batch]);
    for _ in 0..steps {
        real.iter_mut().for_each(|x| *x = data.sample(rng));
        fake.iter_mut().for_each(|y| *y = generated.sample(rng));
        d = d.moved(&d.minibatch_gradient(&real, &fake)?, step)?;
        gap.push(c - d.value(p_data, p_g)?);
    }
    Ok(SgdRun {
        discriminator: d,
        gap,
    })
}

/// Mean and variance of the stationary gap `V(D*) - V(D)` of
/// [`train_discriminator_sgd`] predicted by its linearisation at `D*`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StationaryGap {
    /// `E[gap] = tr(H Sigma) / 2`.
    pub mean: f64,
    /// `Var[gap] = tr((H Sigma)^2) / 2` for Gaussian fluctuations.
    pub variance: f64,
}

/// The stationary gap of constant-step SGD on the tabular discriminator,
/// from the linearised recursion `delta <- (I - step H) delta + step xi`.
///
/// At `D*` the curvature is `H = diag(h)`, `h_i = a_i b_i / (a_i + b_i)`
/// (`a = p_data`, `b = p_g`), and the minibatch gradient's noise has
/// covariance `S = (U (diag a - a a^T) U + W (diag b - b b^T) W) / batch` with
/// `U = diag(1 - D*)`, `W = diag(D*)` (multinomial counts). The stationary
/// covariance solves `Sigma = (I - step H) Sigma (I - step H) + step^2 S`:
/// `Sigma_ij = step S_ij / (h_i + h_j - step h_i h_j)`. The gap is
/// `delta^T H delta / 2` to second order, with mean `tr(H Sigma)/2` and, for
/// Gaussian `delta`, variance `tr(H Sigma H Sigma)/2`.
///
/// Checked by claim [A6](crate::proofs::a6_algorithm1).
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] for a bad step or
/// batch, for `step h_i >= 1` (the recursion would overshoot), or when some
/// point lacks mass under either distribution (no finite `D*`).
pub fn sgd_stationary_gap(
    p_data: &Discrete,
    p_g: &Discrete,
    step: f64,
    batch: usize,
) -> Result<StationaryGap> {
    same_len(p_data, p_g)?;
    check_step("step", step)?;
    let d_star = TabularDiscriminator::optimal(p_data, p_g)?;
    let (a, b) = (p_data.as_slice(), p_g.as_slice());
    if let Some(i) = (0..a.len()).find(|&i| a[i] == 0.0 || b[i] == 0.0) {
        return Err(Error::InvalidParameter {
            name: "zero-mass index",
            value: i as f64,
            requirement: "p_data and p_g must be positive everywhere",
        });
    }
    if batch == 0 {
        return Err(Error::InvalidParameter {
            name: "batch",
            value: 0.0,
            requirement: "must be at least 1",
        });
    }
    let n = a.len();
    let h: Vec<f64> = (0..n).map(|i| a[i] * b[i] / (a[i] + b[i])).collect();
    if h.iter().any(|&hi| step * hi >= 1.0) {
        return Err(Error::InvalidParameter {
            name: "step",
            value: step,
            requirement: "step times the curvature at D* must be below 1",
        });
    }
    let d: Vec<f64> = (0..n).map(|i| sigmoid(d_star.logits()[i])).collect();
    let m = batch as f64;
    let mut hs = vec![0.0; n * n]; // H Sigma, row-major
    for i in 0..n {
        for j in 0..n {
            let delta = if i == j { 1.0 } else { 0.0 };
            let s = ((1.0 - d[i]) * (1.0 - d[j]) * (delta * a[i] - a[i] * a[j])
                + d[i] * d[j] * (delta * b[i] - b[i] * b[j]))
                / m;
            let sigma = step * s / (h[i] + h[j] - step * h[i] * h[j]);
            hs[i * n + j] = h[i] * sigma;
        }
    }
    let trace: f64 = (0..n).map(|i| hs[i * n + i]).sum();
    let trace_sq: f64 = (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .map(|(i, j)| hs[i * n + j] * hs[j * n + i])
        .sum();
    Ok(StationaryGap {
        mean: trace / 2.0,
        variance: trace_sq / 2.0,
    })
}
