//! A tabular conditional discriminator trained by full-batch gradient ascent
//! on the conditional value (claim D4), with the convergence bounds derived
//! in `proofs/D4-conditional-gan.md`.
//!
//! Serves claim [D4](crate::proofs::d4_conditional_gan).
//!
//! The discriminator has one logit `l(x|y)` per label and point,
//! `D(x|y) = sigmoid(l(x|y))`. With `w = p(y)`, `a = p(x|y)`, `b = q(x|y)`,
//! the value separates into one concave term per coordinate,
//! `w (a ln sigmoid(l) + b ln sigmoid(-l))`, with
//!
//! ```text
//! dV/dl    = w (a - (a + b) sigmoid(l))
//! d2V/dl2  = -w (a + b) sigmoid(l) sigmoid(-l)      in [-w (a + b)/4, 0]
//! ```
//!
//! Each step is `l <- l + step dV/dl` on every coordinate at once. The bounds
//! (proved in the D4 proof, step 7):
//!
//! - both `a, b > 0`, `step w (a + b) <= 4`: the error in the logit shrinks by
//!   the factor `1 - step w (a + b) sigmoid'(xi)` with `xi` between `l` and
//!   `l* = ln(a/b)`; the iterates never overshoot, so
//!   `abs(l_t - l*) <= (1 - kappa)^t abs(l_0 - l*)` with
//!   `kappa = step w (a + b) sigmoid'(R)`, `R = max(abs(l_0), abs(l*))`, and
//!   `abs(D_t - D*) <= abs(l_t - l*)/4`. Asymptotically the factor is
//!   `1 - step w a b/(a + b)` ([`local_contraction`]): linear convergence, but
//!   not a contraction with one global factor (the logistic loss is not
//!   quadratic: its curvature falls as `l` moves out).
//! - `a > 0 = b` (D* = 1, an infinite logit): with `s_t = e^(l_t)`,
//!   `s_(t+1) >= s_t + c s_0/(1 + s_0)`, `c = step w a`, so
//!   `1 - D_t <= 1/(1 + s_0 + t c s_0/(1 + s_0))`: only O(1/t). The case
//!   `a = 0 < b` is the mirror image.
//!
//! [`descend_generator`] trains a tabular conditional generator on the
//! pix2pix objective `C(G) + lambda L1(G)` with the discriminator optimal at
//! every step (`lambda = 0`: the conditional GAN).
//!
//! Runs are deterministic (no sampling) and record, per step, the value, the
//! largest distance to `D*` and the largest excess of that distance over its
//! bound, for the report's figures.

use crate::error::{Error, Result, check_same_length};
use crate::measure::Discrete;
use crate::numeric::{CompensatedSum, sigmoid, softplus};
use crate::variants::conditional::{ConditionalDiscriminator, ConditionalGame, Pix2Pix};

/// Settings of [`ascend`]: a fixed step and a number of steps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AscentSettings {
    /// Step size of the gradient ascent on the logits.
    pub step: f64,
    /// Number of full-batch steps.
    pub steps: usize,
}

impl AscentSettings {
    /// The largest step for which every coordinate's bound holds,
    /// `4 / max_{y, x} p(y) (p(x|y) + q(x|y))` (then `step w (a + b) <= 4`
    /// everywhere), with `steps` steps.
    pub fn largest_safe_step(game: &ConditionalGame, steps: usize) -> Self {
        let coordinate_weights = || {
            game.labels()
                .as_slice()
                .iter()
                .enumerate()
                .flat_map(move |(y, &w)| {
                    (0..game.point_count())
                        .map(move |x| (w, game.data()[y][x] + game.generated()[y][x]))
                })
        };
        let largest = coordinate_weights()
            .map(|(w, mass)| w * mass)
            .fold(0.0f64, f64::max);
        // 4 / largest is rounded, and so is `step w (a + b)` as
        // `d_error_bound` forms it: one of them can come out an ulp above 4
        // (for w = 0.75, a + b = 0.7 it does), and that coordinate would lose
        // its bound. Step down until the premise holds as evaluated; each
        // step down lowers every product, so this ends within a few ulps.
        let mut step = 4.0 / largest;
        while coordinate_weights().any(|(w, mass)| step * w * mass > 4.0) {
            // The next f64 below the positive, finite step (`next_down`
            // needs Rust 1.86, above the crate's MSRV).
            step = f64::from_bits(step.to_bits() - 1);
        }
        Self { step, steps }
    }
}

/// One step of a run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AscentRecord {
    /// Steps taken so far (0 for the start).
    pub step: usize,
    /// The conditional value `V(D_t, G)`.
    pub value: f64,
    /// `max abs(D_t(x|y) - D*(x|y))` over the coordinates with `p(y) > 0`
    /// and `p(x|y) + q(x|y) > 0`.
    pub max_d_error: f64,
    /// `max (abs(D_t - D*) - bound_t)` over the same coordinates (`<= 0`, up
    /// to rounding, when the bounds hold).
    pub max_excess_over_bound: f64,
}

/// A finished run.
#[derive(Debug, Clone, PartialEq)]
pub struct AscentRun {
    /// The final logits `l(x|y)` as `logits[y][x]`.
    pub logits: Vec<Vec<f64>>,
    /// One record per step, the start included (`steps + 1` records).
    pub history: Vec<AscentRecord>,
    /// `C(G) = max_D V`, the value the run climbs towards.
    pub c_of_g: f64,
}

impl AscentRun {
    /// The trained discriminator.
    pub fn discriminator(&self) -> ConditionalDiscriminator {
        ConditionalDiscriminator::from_logits(self.logits.clone())
            .expect("finite logits of a validated shape")
    }
}

/// `sigmoid'(x) = sigmoid(x) sigmoid(-x)`, decreasing in `abs(x)`.
fn sigmoid_slope(x: f64) -> f64 {
    sigmoid(x) * sigmoid(-x)
}

/// Upper bound on `abs(D_t(x|y) - D*(x|y))` after `t` steps of size `step`
/// from logit `start`, for a coordinate with label weight `weight = p(y)`,
/// `a = p(x|y)`, `b = q(x|y)` (module documentation; derived in the D4 proof).
/// `None` where D* is not determined by the value (`weight = 0` or
/// `a = b = 0`), or, for `a, b > 0`, where `step weight (a + b) > 4` (the
/// bound's premise).
pub fn d_error_bound(weight: f64, a: f64, b: f64, step: f64, t: usize, start: f64) -> Option<f64> {
    if weight <= 0.0 || (a == 0.0 && b == 0.0) {
        return None;
    }
    let t = t as f64;
    if a > 0.0 && b > 0.0 {
        let c = step * weight * (a + b);
        if c > 4.0 {
            return None;
        }
        let target = a.ln() - b.ln();
        let radius = start.abs().max(target.abs());
        let kappa = c * sigmoid_slope(radius);
        // (1 - kappa)^t through ln_1p (accurate for tiny kappa); at t = 0 the
        // factor is 1 also when kappa = 1 (c = 4 at l = l* = 0), where
        // 0 x ln 0 would be NaN.
        let factor = if t == 0.0 {
            1.0
        } else {
            (t * (-kappa).ln_1p()).exp()
        };
        let logit_error = (start - target).abs() * factor;
        return Some(0.25 * logit_error);
    }
    // One-sided: towards D* = 1 (b = 0) or D* = 0 (a = 0).
    let (mass, towards) = if b == 0.0 { (a, start) } else { (b, -start) };
    let s0 = towards.exp();
    let c = step * weight * mass;
    // s0 / (1 + s0) as sigmoid: s0 overflows for a start logit above 709.78
    // (inf / inf = NaN), where the bound is 1 / (1 + inf) = 0.
    let growth = sigmoid(towards);
    Some(1.0 / (1.0 + s0 + t * c * growth))
}

/// The asymptotic per-step factor of the logit error near `l* = ln(a/b)`,
/// `1 - step weight a b/(a + b)` (the curvature there is
/// `weight (a + b) sigmoid'(l*) = weight a b/(a + b)`), for `a, b > 0`.
///
/// # Errors
/// [`Error::InvalidParameter`] unless `weight`, `a`, `b` are positive.
pub fn local_contraction(weight: f64, a: f64, b: f64, step: f64) -> Result<f64> {
    for (name, value) in [("weight", weight), ("a", a), ("b", b)] {
        if !(value > 0.0 && value.is_finite()) {
            return Err(Error::InvalidParameter {
                name,
                value,
                requirement: "must be finite and > 0",
            });
        }
    }
    Ok(1.0 - step * weight * a * b / (a + b))
}

/// Gradient ascent on the conditional value from the logits `start[y][x]`.
///
/// Checked by claim [D4](crate::proofs::d4_conditional_gan).
///
/// # Errors
/// [`Error::LengthMismatch`] for a start of another shape;
/// [`Error::NotANumber`] or [`Error::Infinite`] for a bad start logit;
/// [`Error::InvalidParameter`] for a step that is not finite and positive.
pub fn ascend(
    game: &ConditionalGame,
    start: &[Vec<f64>],
    settings: AscentSettings,
) -> Result<AscentRun> {
    if !(settings.step > 0.0 && settings.step.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "step",
            value: settings.step,
            requirement: "must be finite and > 0",
        });
    }
    check_same_length(game.label_count(), start.len())?;
    for row in start {
        check_same_length(game.point_count(), row.len())?;
        crate::measure::check_finite(row)?;
    }
    let d_star = game.d_star();
    let mut logits = start.to_vec();
    let mut history = Vec::with_capacity(settings.steps + 1);
    for t in 0..=settings.steps {
        history.push(record(game, &d_star, start, &logits, settings.step, t));
        if t == settings.steps {
            break;
        }
        let gradient = value_gradient(game, &logits)?;
        for (row, g_row) in logits.iter_mut().zip(&gradient) {
            for (l, g) in row.iter_mut().zip(g_row) {
                *l += settings.step * g;
            }
        }
    }
    Ok(AscentRun {
        logits,
        history,
        c_of_g: game.c_of_g(),
    })
}

fn record(
    game: &ConditionalGame,
    d_star: &[Vec<Option<f64>>],
    start: &[Vec<f64>],
    logits: &[Vec<f64>],
    step: f64,
    t: usize,
) -> AscentRecord {
    let weights = game.labels().as_slice();
    let mut value = CompensatedSum::new();
    let mut max_d_error = 0.0f64;
    let mut max_excess = f64::NEG_INFINITY;
    for (y, row) in logits.iter().enumerate() {
        let w = weights[y];
        let (p, q) = (&game.data()[y], &game.generated()[y]);
        for (x, &l) in row.iter().enumerate() {
            let (a, b) = (p[x], q[x]);
            if w > 0.0 {
                // ln D = -softplus(-l), ln(1 - D) = -softplus(l).
                value.add(-w * (a * softplus(-l) + b * softplus(l)));
            }
            if let (Some(target), Some(bound)) =
                (d_star[y][x], d_error_bound(w, a, b, step, t, start[y][x]))
            {
                let error = (sigmoid(l) - target).abs();
                max_d_error = max_d_error.max(error);
                max_excess = max_excess.max(error - bound);
            }
        }
    }
    AscentRecord {
        step: t,
        value: value.value(),
        max_d_error,
        max_excess_over_bound: max_excess,
    }
}

/// Zero logits (`D = 1/2` everywhere) of the game's shape: the usual start.
///
/// Checked by claim [D4](crate::proofs::d4_conditional_gan).
pub fn zero_start(game: &ConditionalGame) -> Vec<Vec<f64>> {
    vec![vec![0.0; game.point_count()]; game.label_count()]
}

/// The first step count at which every coordinate's [`d_error_bound`] is at
/// most `target`, from zero logits with [`AscentSettings::largest_safe_step`];
/// `cap` if some coordinate needs more (one-sided coordinates converge only
/// as O(1/t), so a small target can ask for very many steps).
///
/// Checked by claim [D4](crate::proofs::d4_conditional_gan).
pub fn steps_for_target(game: &ConditionalGame, target: f64, cap: usize) -> usize {
    let step = AscentSettings::largest_safe_step(game, 0).step;
    let mut needed = 0;
    for (y, &w) in game.labels().as_slice().iter().enumerate() {
        for x in 0..game.point_count() {
            let (a, b) = (game.data()[y][x], game.generated()[y][x]);
            let over = |t: usize| d_error_bound(w, a, b, step, t, 0.0).is_some_and(|e| e > target);
            if !over(0) {
                continue;
            }
            // The bound decreases in t: doubling, then bisection.
            // Saturating, and never past the cap: a cap above 2^63 must not
            // wrap the doubling round to 0 (and loop for ever).
            let mut high: usize = 1;
            while high < cap && over(high) {
                high = high.saturating_mul(2).min(cap);
            }
            let mut low = high / 2;
            while high - low > 1 {
                let mid = low + (high - low) / 2;
                if over(mid) {
                    low = mid;
                } else {
                    high = mid;
                }
            }
            needed = needed.max(high.min(cap));
        }
    }
    needed
}

/// The exact gradient of the conditional value in the logits,
/// `dV/dl(x|y) = p(y) (p(x|y) sigmoid(-l) - q(x|y) sigmoid(l))`, as `[y][x]`.
///
/// # Errors
/// [`Error::LengthMismatch`] for logits of another shape.
pub fn value_gradient(game: &ConditionalGame, logits: &[Vec<f64>]) -> Result<Vec<Vec<f64>>> {
    check_same_length(game.label_count(), logits.len())?;
    let weights = game.labels().as_slice();
    logits
        .iter()
        .enumerate()
        .map(|(y, row)| {
            check_same_length(game.point_count(), row.len())?;
            let (p, q) = (&game.data()[y], &game.generated()[y]);
            Ok(row
                .iter()
                .enumerate()
                .map(|(x, &l)| weights[y] * (p[x] * sigmoid(-l) - q[x] * sigmoid(l)))
                .collect())
        })
        .collect()
}

/// A tabular conditional generator trained by gradient descent on
/// `C(G) + lambda L1(G)` (the pix2pix objective with `D = D*` at every step;
/// `lambda = 0` is the conditional GAN): one softmax logit vector per label,
/// `q(.|y) = softmax(u_y)`. By the envelope theorem the gradient of `C` in
/// `q(x|y)` is `p(y) ln(1 - D*(x|y))` (see [`crate::tabular`]), and L1 is
/// linear in `q(.|y)` with cost `c_y(x) = E_{t ~ p(.|y)} abs(t - t_x)`; so
///
/// ```text
/// dJ/du_y(x) = p(y) q(x|y) (g_y(x) - E_{q(.|y)} g_y),   g_y(x) = ln(1 - D*(x|y)) + lambda c_y(x)
/// ```
///
/// Each label's block of the Hessian has norm at most
/// `p(y) (C_OF_G_LOGIT_SMOOTHNESS + 3 lambda (max c_y - min c_y))` (A5's
/// constant for `C`, [`linear_loss_smoothness`](crate::train::tabular_game::linear_loss_smoothness)
/// for L1), so a step at most the inverse of the largest block's bound
/// ([`largest_generator_step`]) decreases `J` at every step (descent lemma).
#[derive(Debug, Clone, PartialEq)]
pub struct GeneratorRun {
    /// The final softmax logits `u_y(x)` as `logits[y][x]`.
    pub logits: Vec<Vec<f64>>,
    /// The final generator `q(.|y)`, one distribution per label.
    pub generated: Vec<Discrete>,
    /// `C(G_t) + lambda L1(G_t)` per step, the start included.
    pub objective: Vec<f64>,
    /// `C(G_t)` per step.
    pub c_of_g: Vec<f64>,
    /// `L1(G_t)` per step.
    pub l1: Vec<f64>,
}

/// `softmax(u)` as a distribution, through the log-sum-exp shift.
fn softmax(logits: &[f64]) -> Result<Discrete> {
    let top = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = logits.iter().map(|u| (u - top).exp()).collect();
    Discrete::from_weights(&weights)
}

/// The pix2pix problem with the generator `softmax(logits[y])`.
fn with_logits(pix: &Pix2Pix, logits: &[Vec<f64>]) -> Result<Pix2Pix> {
    let game = pix.game();
    check_same_length(game.label_count(), logits.len())?;
    let mut generated = Vec::with_capacity(logits.len());
    for row in logits {
        check_same_length(game.point_count(), row.len())?;
        crate::measure::check_finite(row)?;
        generated.push(softmax(row)?);
    }
    Pix2Pix::new(game.with_generated(generated)?, pix.targets().to_vec())
}

fn check_nonnegative_lambda(lambda: f64) -> Result<()> {
    if lambda.is_finite() && lambda >= 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name: "lambda",
            value: lambda,
            requirement: "must be finite and >= 0",
        })
    }
}

/// `L1`'s cost of each grid point per label, `c_y(x) = E_{t ~ p(.|y)} abs(t - t_x)`.
fn l1_costs(pix: &Pix2Pix) -> Vec<Vec<f64>> {
    let targets = pix.targets();
    pix.game()
        .data()
        .iter()
        .map(|p| {
            targets
                .iter()
                .map(|&tx| crate::variants::conditional::expected_distance(p, targets, tx))
                .collect()
        })
        .collect()
}

/// `J(u) = C(G) + lambda L1(G)` for the generator `q(.|y) = softmax(u_y)`.
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::NotANumber`], [`Error::Infinite`]
/// for logits of another shape or not finite; [`Error::InvalidParameter`]
/// for a bad `lambda`.
pub fn generator_objective(pix: &Pix2Pix, lambda: f64, logits: &[Vec<f64>]) -> Result<f64> {
    with_logits(pix, logits)?.objective_at_optimal_discriminator(lambda)
}

/// The exact gradient of [`generator_objective`] in the softmax logits, as `[y][x]`.
///
/// # Errors
/// As [`generator_objective`].
pub fn generator_gradient(
    pix: &Pix2Pix,
    lambda: f64,
    logits: &[Vec<f64>],
) -> Result<Vec<Vec<f64>>> {
    check_nonnegative_lambda(lambda)?;
    let current = with_logits(pix, logits)?;
    let game = current.game();
    let costs = l1_costs(pix);
    let mut gradient = Vec::with_capacity(game.label_count());
    for (y, &w) in game.labels().as_slice().iter().enumerate() {
        let (p, q) = (&game.data()[y], &game.generated()[y]);
        // g(x) = ln(q/(p+q)) + lambda c(x); points with q = 0 (softmax
        // underflow) carry no weight in the gradient.
        let g: Vec<f64> = (0..q.len())
            .map(|x| {
                if q[x] > 0.0 {
                    crate::numeric::ln_share(q[x], p[x]) + lambda * costs[y][x]
                } else {
                    0.0
                }
            })
            .collect();
        let mean = q.expect(|x| g[x]);
        gradient.push((0..q.len()).map(|x| w * q[x] * (g[x] - mean)).collect());
    }
    Ok(gradient)
}

/// The step [`descend_generator`] can take with a guaranteed decrease:
/// `1 / max_y p(y) (C_OF_G_LOGIT_SMOOTHNESS + 3 lambda (max c_y - min c_y))`.
///
/// Checked by claim [D4](crate::proofs::d4_conditional_gan).
///
/// # Errors
/// [`Error::InvalidParameter`] for a bad `lambda`.
pub fn largest_generator_step(pix: &Pix2Pix, lambda: f64) -> Result<f64> {
    use crate::train::tabular_game::{C_OF_G_LOGIT_SMOOTHNESS, linear_loss_smoothness};
    check_nonnegative_lambda(lambda)?;
    let costs = l1_costs(pix);
    let largest = pix
        .game()
        .labels()
        .as_slice()
        .iter()
        .zip(&costs)
        .map(|(&w, c)| w * (C_OF_G_LOGIT_SMOOTHNESS + lambda * linear_loss_smoothness(c)))
        .fold(0.0, f64::max);
    Ok(1.0 / largest)
}

/// Gradient descent on [`generator_objective`] from uniform generators
/// (all logits 0), with `D = D*` at every step. Deterministic.
///
/// Checked by claim [D4](crate::proofs::d4_conditional_gan).
///
/// # Errors
/// [`Error::InvalidParameter`] for a bad `lambda` or a step that is not
/// finite and positive.
pub fn descend_generator(
    pix: &Pix2Pix,
    lambda: f64,
    step: f64,
    steps: usize,
) -> Result<GeneratorRun> {
    check_nonnegative_lambda(lambda)?;
    if !(step > 0.0 && step.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "step",
            value: step,
            requirement: "must be finite and > 0",
        });
    }
    let game = pix.game();
    let mut logits = vec![vec![0.0; game.point_count()]; game.label_count()];
    let (mut objective, mut c_of_g, mut l1) = (Vec::new(), Vec::new(), Vec::new());
    for t in 0..=steps {
        let current = with_logits(pix, &logits)?;
        let (c, l) = (current.game().c_of_g(), current.l1());
        c_of_g.push(c);
        l1.push(l);
        objective.push(c + lambda * l);
        if t == steps {
            break;
        }
        let gradient = generator_gradient(pix, lambda, &logits)?;
        for (row, g_row) in logits.iter_mut().zip(&gradient) {
            for (u, g) in row.iter_mut().zip(g_row) {
                *u -= step * g;
            }
        }
    }
    let generated = logits
        .iter()
        .map(|row| softmax(row))
        .collect::<Result<_>>()?;
    Ok(GeneratorRun {
        logits,
        generated,
        objective,
        c_of_g,
        l1,
    })
}
