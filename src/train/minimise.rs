//! A generic minimiser for smooth objectives of a few parameters: argmin's
//! L-BFGS to get close, then a damped Newton method with the analytic
//! Hessian to finish, and a check of the end point ([`minimise`]).
//!
//! It serves the fits of [`super::fit`] (claim B4); the objectives implement
//! argmin's `CostFunction`, `Gradient` and `Hessian`. Its tuning constants
//! (iteration budgets, the L-BFGS hand-over, the line search's constants)
//! are internal; the one threshold a fit's result is certified with,
//! [`NEWTON_STEP_TARGET`], is public through [`super::fit`].

use crate::error::{Error, Result};
use argmin::core::{CostFunction, Executor, Gradient, Hessian, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use nalgebra::{SMatrix, SVector};

/// What argmin's traits return: our [`Error`] travels inside argmin's error type.
type ArgminResult<T> = std::result::Result<T, argmin::core::Error>;

/// An objective of `D` parameters with an analytic gradient and Hessian, as
/// argmin's traits describe it (implemented for every such type).
pub(super) trait Objective<const D: usize>:
    CostFunction<Param = SVector<f64, D>, Output = f64>
    + Gradient<Param = SVector<f64, D>, Gradient = SVector<f64, D>>
    + Hessian<Param = SVector<f64, D>, Hessian = SMatrix<f64, D, D>>
{
}

impl<O, const D: usize> Objective<D> for O where
    O: CostFunction<Param = SVector<f64, D>, Output = f64>
        + Gradient<Param = SVector<f64, D>, Gradient = SVector<f64, D>>
        + Hessian<Param = SVector<f64, D>, Hessian = SMatrix<f64, D, D>>
{
}

/// Iteration budget of the L-BFGS phase of every fit; it needs at most a
/// few dozen on these two- and three-parameter problems, so running out
/// means a real failure.
const MAX_ITERATIONS: u64 = 500;

/// Gradient norm at which L-BFGS hands over to the damped Newton phase.
///
/// Reason: well above the level (about 1e-8) where a line search comparing
/// objective values starts to drown in their rounding error. It does not
/// promise that Newton's full step is safe from there: with a Hessian
/// eigenvalue near 1e-10 (data with an entry near 1e-10) the full step from
/// a gradient of 1e-6 overshoots by a factor of about 1e4, so the Newton
/// phase is damped by a line search and runs as many steps as it needs.
const LBFGS_HANDOVER: f64 = 1e-6;

/// Step budget of the damped Newton phase after L-BFGS.
///
/// Reason: near a well-conditioned optimum two or three full steps reach
/// rounding level. The slowest case met is data with an entry like 1e-130:
/// the optimum then has `|theta|` in the hundreds, and Newton's steps along
/// the exponential tail gain about one unit of `theta` (a factor `e` in the
/// decrement) each, so reaching [`NEWTON_DECREMENT_TARGET`] from the
/// handover takes about 55 steps. 100 leaves headroom; when the budget runs
/// out the gradient target and the certificate alone decide.
const NEWTON_MAX_STEPS: u64 = 100;

/// The damped Newton phase stops once the gradient target is met and the
/// squared Newton decrement `lambda^2 = g^T H^{-1} g` is at most this
/// (besides at the rounding floor, when no step passes the line search).
///
/// Reason: to second order the objective is within `lambda^2 / 2` of its
/// minimum, and `lambda` is invariant under a change of parametrisation,
/// so it measures the distance to the optimum even where the Hessian is
/// nearly singular and the gradient norm does not (it then bounds
/// `|theta - theta*|` only by `|g| / lambda_min`). For the maximum-likelihood
/// fit `lambda^2 / 2` is the excess `KL(q || p_theta) - min KL`. 1e-30 puts
/// it far below the rounding error of any KL or loss computed here, so on
/// ordinary data the phase ends at the rounding floor (on the balls, one
/// step past 1e-24, with the gradient near 1e-17); it stops an endless walk
/// along an exponential tail towards a `theta` in the hundreds.
const NEWTON_DECREMENT_TARGET: f64 = 1e-30;

/// The L2 fits stop, and are certified as strict local minima, only where
/// the Hessian is positive definite and the Newton step `|H^{-1} g|` is at
/// most this (with the gradient below its target).
///
/// Reason: over a distance `r` in `theta` each `p_theta(x)` changes by a
/// factor within `exp(+-2 sqrt(2) r)` (`|T(x) - E_p T| <= 2 sqrt 2`), so the
/// Hessian of the L2 loss, built from products of two such factors, by a
/// relative `exp(4 sqrt(2) r) - 1`, about `6 r`; over the step, 1e-6, that
/// is 6e-6: the quadratic model is accurate and its minimiser, a strict
/// minimum of the loss, lies within about the step (Newton-Kantorovich).
/// Where the loss keeps falling towards `|theta| -> inf` the step stays of
/// order 1 instead. At a genuine minimum the step falls quadratically to
/// its rounding floor, `EPS`-level gradient noise over the smallest
/// Hessian eigenvalue, below 1e-6 unless `q` has entries below about 1e-9
/// of its largest (for the seed's quadratic, a polynomial, the model is
/// exact up to third-order terms of the same size).
pub const NEWTON_STEP_TARGET: f64 = 1e-6;

/// Sufficient-decrease fraction of the Newton phase's backtracking line
/// search (the customary Armijo constant, Nocedal and Wright, section 3.1):
/// a step must achieve this fraction of the decrease its linear model predicts.
const ARMIJO: f64 = 1e-4;

/// Halvings of the step length the line search tries before giving up:
/// `t >= 2^-40 ~ 1e-12`, enough for a full Newton step that overshoots by a
/// factor 1e12 (the worst met is about 1e4).
const MAX_HALVINGS: u32 = 40;

/// First Hessian shift, in units of `EPS max|H_ij|`: a shift of the size of
/// the Hessian's own rounding error, for a Hessian that is positive definite
/// but singular to working precision.
const HESSIAN_SHIFT_ULPS: f64 = 16.0;

/// Number of times the shift is multiplied by 4: `4^32 ~ 2e19` times the
/// first shift exceeds `D max|H_ij| / (16 EPS) ~ 1e15`, so the last shift
/// is above any negative eigenvalue's size.
const MAX_HESSIAN_SHIFTS: u32 = 32;

/// Number of correction pairs L-BFGS keeps (a handful suffices for two or three parameters).
const LBFGS_MEMORY: usize = 5;

/// Where a minimisation ended: a point whose gradient norm is below its target.
pub(super) struct Minimum<const D: usize> {
    pub(super) theta: SVector<f64, D>,
    pub(super) objective: f64,
    pub(super) gradient_norm: f64,
    /// The target the gradient norm met at `theta`.
    pub(super) gradient_target: f64,
    /// `||(H + mu I)^{-1} g||`: the (possibly shifted) Newton step.
    pub(super) newton_step_norm: f64,
    pub(super) iterations: u64,
}

/// What the end point of a minimisation must show besides a small gradient.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Certificate {
    /// The objective is strictly convex (the negative log-likelihood): a
    /// small gradient already places the point near the unique minimiser, so
    /// the Hessian is not checked (it can be singular to working precision
    /// when `q` has entries near 0, without changing that).
    Convex,
    /// The objective may be non-convex (the L2 losses): the end point must
    /// be a strict local minimum to working precision, that is the Hessian
    /// there is positive definite (Cholesky) and the Newton step to the
    /// minimiser of the local quadratic model is below [`NEWTON_STEP_TARGET`].
    /// A small gradient and a positive definite Hessian alone do not show
    /// it: where the loss keeps falling as `|theta| -> inf`, both shrink
    /// together along the way while the Newton step stays of order 1.
    StrictLocalMinimum,
}

impl Certificate {
    /// Whether `point` meets the certificate (the gradient target aside).
    fn holds<const D: usize>(self, point: &NewtonPoint<D>) -> bool {
        match self {
            Certificate::Convex => true,
            Certificate::StrictLocalMinimum => {
                point.pure_newton && point.step.is_some_and(|d| d.norm() <= NEWTON_STEP_TARGET)
            }
        }
    }

    /// Whether the Newton phase may stop at `point` (the gradient target
    /// aside): the certificate holds and the squared Newton decrement is
    /// below [`NEWTON_DECREMENT_TARGET`].
    fn polished<const D: usize>(self, point: &NewtonPoint<D>) -> bool {
        self.holds(point) && point.decrement_squared <= NEWTON_DECREMENT_TARGET
    }
}

/// The objective, its gradient and the Newton direction at one point.
struct NewtonPoint<const D: usize> {
    theta: SVector<f64, D>,
    value: f64,
    gradient: SVector<f64, D>,
    /// `-(H + mu I)^{-1} g`, with `mu = 0` whenever `H` is positive definite
    /// to working precision; `None` when `H` vanishes or is not finite.
    step: Option<SVector<f64, D>>,
    /// Whether `step` is the unshifted Newton step (`mu = 0`).
    pure_newton: bool,
    /// `-g . step = g^T (H + mu I)^{-1} g`, the squared Newton decrement.
    decrement_squared: f64,
}

impl<const D: usize> NewtonPoint<D> {
    /// Evaluates everything at `theta`; `None` when `theta`, the value or
    /// the gradient is not finite (a trial step that overflowed).
    fn at<O>(objective: &O, theta: SVector<f64, D>) -> ArgminResult<Option<Self>>
    where
        O: Objective<D>,
    {
        if theta.iter().any(|t| !t.is_finite()) {
            return Ok(None);
        }
        let value = objective.cost(&theta)?;
        let gradient = objective.gradient(&theta)?;
        if !value.is_finite() || gradient.iter().any(|g| !g.is_finite()) {
            return Ok(None);
        }
        let hessian = objective.hessian(&theta)?;
        let (step, pure_newton) = match hessian.cholesky() {
            Some(cholesky) => (Some(-cholesky.solve(&gradient)), true),
            None => (shifted_newton_step(&hessian, &gradient), false),
        };
        let decrement_squared = step.map_or(f64::INFINITY, |d| -gradient.dot(&d));
        Ok(Some(Self {
            theta,
            value,
            gradient,
            step,
            pure_newton,
            decrement_squared,
        }))
    }
}

/// `-(H + mu I)^{-1} g` for the smallest `mu` in `mu_0, 4 mu_0, 16 mu_0, ...`
/// that makes `H + mu I` positive definite, `mu_0 = HESSIAN_SHIFT_ULPS EPS max|H_ij|`.
///
/// Used when Cholesky refuses `H`: either `H` is indefinite (a non-convex
/// loss away from its minimum), or it is positive definite but its smallest
/// eigenvalue is below the rounding error of its largest. The shifted step
/// is a descent direction either way, and the line search sizes it.
fn shifted_newton_step<const D: usize>(
    hessian: &SMatrix<f64, D, D>,
    gradient: &SVector<f64, D>,
) -> Option<SVector<f64, D>> {
    let scale = hessian.amax();
    if !(scale > 0.0 && scale.is_finite()) {
        return None;
    }
    let mut shift = HESSIAN_SHIFT_ULPS * crate::tol::EPS * scale;
    for _ in 0..MAX_HESSIAN_SHIFTS {
        let shifted = hessian + SMatrix::<f64, D, D>::identity() * shift;
        if let Some(cholesky) = shifted.cholesky() {
            return Some(-cholesky.solve(gradient));
        }
        shift *= 4.0;
    }
    None
}

/// Which merit function the Newton phase's line search is on.
#[derive(Clone, Copy, PartialEq)]
enum Merit {
    /// The objective, while its decrease is larger than its rounding error.
    Objective,
    /// The gradient norm, once the objective's decrease drowns in rounding.
    GradientNorm,
}

/// One damped Newton step from `point`: the first of `t = 1, 1/2, 1/4, ...`
/// (at most [`MAX_HALVINGS`] halvings) whose point shows sufficient decrease
/// of the merit; `None` when no `t` does.
///
/// - On the objective (Armijo): `f(theta + t d) - f(theta) <= -ARMIJO t lambda^2`,
///   `lambda^2 = -g . d` the squared Newton decrement (the slope of `f` along `d`).
/// - On the gradient norm, for a pure Newton step only (along it the
///   gradient's linear model is `(1 - t) g`): `|g(theta + t d)| <= (1 - ARMIJO t) |g|`.
///
/// Both ask for a strict decrease, so a step that rounding turns into a
/// no-op is never accepted.
fn damped_newton_step<O, const D: usize>(
    objective: &O,
    point: &NewtonPoint<D>,
    merit: Merit,
) -> ArgminResult<Option<NewtonPoint<D>>>
where
    O: Objective<D>,
{
    let Some(step) = point.step else {
        return Ok(None);
    };
    if merit == Merit::GradientNorm && !point.pure_newton {
        return Ok(None);
    }
    let gradient_norm = point.gradient.norm();
    let mut t = 1.0;
    for _ in 0..=MAX_HALVINGS {
        let theta = point.theta + t * step;
        if theta != point.theta
            && let Some(candidate) = NewtonPoint::at(objective, theta)?
        {
            let decrease = match merit {
                Merit::Objective => {
                    let change = candidate.value - point.value;
                    change < 0.0 && change <= -ARMIJO * t * point.decrement_squared
                }
                Merit::GradientNorm => {
                    let norm = candidate.gradient.norm();
                    norm < gradient_norm && norm <= (1.0 - ARMIJO * t) * gradient_norm
                }
            };
            if decrease {
                return Ok(Some(candidate));
            }
        }
        t *= 0.5;
    }
    Ok(None)
}

/// The crate's error for an argmin run that stopped with an error of its own.
fn argmin_failed(what: &'static str, error: argmin::core::Error) -> Error {
    Error::NotConverged {
        what,
        detail: format!("argmin stopped with an error: {error}"),
    }
}

/// The L-BFGS phase of [`minimise`]: argmin's L-BFGS from `start` until the
/// gradient norm is below [`LBFGS_HANDOVER`]; returns the point to go on
/// from, the iterations used and argmin's termination reason.
fn lbfgs_phase<O, const D: usize>(
    objective: &O,
    start: SVector<f64, D>,
    what: &'static str,
) -> Result<(NewtonPoint<D>, u64, String)>
where
    O: Objective<D> + Clone,
{
    let failed = |e| argmin_failed(what, e);
    let line_search: MoreThuenteLineSearch<SVector<f64, D>, SVector<f64, D>, f64> =
        MoreThuenteLineSearch::new();
    let quasi_newton = LBFGS::new(line_search, LBFGS_MEMORY)
        .with_tolerance_grad(LBFGS_HANDOVER)
        .and_then(|s| s.with_tolerance_cost(0.0))
        .map_err(failed)?;
    let result = Executor::new(objective.clone(), quasi_newton)
        .configure(|state| state.param(start).max_iters(MAX_ITERATIONS))
        .timer(false)
        .run()
        .map_err(failed)?;
    let state = result.state();
    let lbfgs_iterations = state.get_iter();
    let lbfgs_reason = state
        .get_termination_reason()
        .map_or_else(|| "none".to_string(), |r| r.text().to_string());
    // The last iterate is where the gradient test fired; the "best" one (lowest
    // cost) can be an earlier point when the last steps changed the cost by
    // less than its rounding error. Go on from the one with the smaller gradient.
    let mut handover: Option<NewtonPoint<D>> = None;
    for theta in [state.get_param(), state.get_best_param()]
        .into_iter()
        .flatten()
    {
        if let Some(point) = NewtonPoint::at(objective, *theta).map_err(failed)?
            && handover
                .as_ref()
                .is_none_or(|best| point.gradient.norm() < best.gradient.norm())
        {
            handover = Some(point);
        }
    }
    let Some(point) = handover else {
        return Err(Error::NotConverged {
            what,
            detail: format!("L-BFGS ended without a finite point (argmin: {lbfgs_reason})"),
        });
    };

    Ok((point, lbfgs_iterations, lbfgs_reason))
}

/// Which phases [`minimise`] runs.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Phases {
    /// L-BFGS from the start, then damped Newton.
    LbfgsThenNewton,
    /// Damped Newton from the start (for a start that is already close).
    NewtonOnly,
}

/// Minimises `objective` from `start` in two phases, and checks that the
/// gradient norm at the end is below `target(theta)` (and, for
/// [`Certificate::StrictLocalMinimum`], that the Hessian there is positive definite).
///
/// 1. argmin's L-BFGS with a More-Thuente line search, until the gradient
///    norm is below [`LBFGS_HANDOVER`] (its cost-change stopping rule is
///    switched off): a cheap warm start, not the end.
/// 2. Damped Newton, at most [`NEWTON_MAX_STEPS`] steps, each
///    `theta <- theta + t d` with `d = -(H + mu I)^{-1} g` (`mu = 0` unless
///    `H` is indefinite or singular to working precision, see
///    [`shifted_newton_step`]) and `t` from a backtracking line search
///    ([`damped_newton_step`]). The line search is on the objective while
///    the objective can see the decrease; once it cannot (a step lowers `f`
///    by about `lambda^2 / 2`, which sinks below `f`'s rounding error near
///    the optimum), it is on the gradient norm, which is computed with an
///    absolute error of a few `EPS`. A gradient norm of 1e-6 does not place
///    the point in Newton's region when the Hessian is nearly singular (an
///    eigenvalue of 1e-10 lets the full step overshoot by 1e4), which is why
///    the steps are damped and their number is not fixed.
///
///    The phase stops when the gradient is exactly 0; when the gradient
///    norm is below its target, the squared Newton decrement
///    `lambda^2 = g^T H^{-1} g` below [`NEWTON_DECREMENT_TARGET`] (the
///    objective is then within `lambda^2 / 2` of its minimum, to second
///    order) and, for [`Certificate::StrictLocalMinimum`], the Newton step
///    below [`NEWTON_STEP_TARGET`]; when no step passes the line search
///    (rounding floor); or after [`NEWTON_MAX_STEPS`] steps. Then the end
///    point must meet the gradient target and the certificate.
///
/// Everything is deterministic: the same input gives the same bits.
pub(super) fn minimise<O, const D: usize>(
    objective: O,
    start: SVector<f64, D>,
    phases: Phases,
    target: impl Fn(&SVector<f64, D>) -> f64,
    certificate: Certificate,
    what: &'static str,
) -> Result<Minimum<D>>
where
    O: Objective<D> + Clone,
{
    let failed = |e| argmin_failed(what, e);

    let (mut point, lbfgs_iterations, lbfgs_reason) = match phases {
        Phases::LbfgsThenNewton => lbfgs_phase(&objective, start, what)?,
        Phases::NewtonOnly => {
            let point = NewtonPoint::at(&objective, start)
                .map_err(failed)?
                .ok_or_else(|| Error::NotConverged {
                    what,
                    detail: "the objective is not finite at the start".to_string(),
                })?;
            (point, 0, "skipped".to_string())
        }
    };

    let mut merit = Merit::Objective;
    let mut newton_steps = 0;
    while newton_steps < NEWTON_MAX_STEPS {
        let norm = point.gradient.norm();
        if norm == 0.0 || (norm <= target(&point.theta) && certificate.polished(&point)) {
            break;
        }
        match damped_newton_step(&objective, &point, merit).map_err(failed)? {
            Some(next) => {
                point = next;
                newton_steps += 1;
            }
            None if merit == Merit::Objective => merit = Merit::GradientNorm,
            None => break,
        }
    }

    let norm = point.gradient.norm();
    let gradient_target = target(&point.theta);
    if norm > gradient_target {
        return Err(Error::NotConverged {
            what,
            detail: format!(
                "gradient norm {norm:e} above the target {gradient_target:e} at theta = {:?} \
                 after {lbfgs_iterations} L-BFGS iterations (argmin: {lbfgs_reason}) and \
                 {newton_steps} damped Newton steps",
                point.theta.as_slice()
            ),
        });
    }
    if !certificate.holds(&point) {
        return Err(Error::NotConverged {
            what,
            detail: if point.pure_newton {
                format!(
                    "at theta = {:?} the Newton step is {:e}, above {NEWTON_STEP_TARGET:e}: \
                     no strict local minimum within reach (the loss may keep falling as \
                     |theta| grows)",
                    point.theta.as_slice(),
                    point.step.map_or(f64::INFINITY, |d| d.norm())
                )
            } else {
                format!(
                    "the Hessian at theta = {:?} is not positive definite to working \
                     precision: not a strict local minimum",
                    point.theta.as_slice()
                )
            },
        });
    }
    Ok(Minimum {
        theta: point.theta,
        objective: point.value,
        gradient_norm: norm,
        gradient_target,
        newton_step_norm: point.step.map_or(f64::INFINITY, |d| d.norm()),
        iterations: lbfgs_iterations + newton_steps,
    })
}
