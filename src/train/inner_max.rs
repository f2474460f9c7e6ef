//! The discriminator's inner maximisation `max_D V(D, G)` solved to
//! optimality with argmin's L-BFGS, for claims that assume "D optimal at
//! every step".
//!
//! Serves claim [A6](crate::proofs::a6_algorithm1).
//!
//! A parametric discriminator `D_theta` is described by an
//! [`InnerObjective`]: the value `V(D_theta, G)` (exact, or an average over
//! fixed samples) and its gradient in `theta`. [`maximise_value`] runs
//! L-BFGS with a More-Thuente line search on `-V` and returns the
//! maximiser only when the gradient norm there is at most the target of its
//! [`InnerMaxSettings`]; otherwise it returns
//! [`Error::NotConverged`]: a sub-optimal
//! discriminator is never handed back as if it were `D*`.
//!
//! For the tabular discriminator ([`TabularInnerProblem`]) the optimum is
//! known in closed form, `l*_i = ln p_data(x_i) - ln p_g(x_i)`, and the tests
//! compare the two. `V` is separable and strictly concave in the logits
//! (`d^2 V / dl_i^2 = -(p_data_i + p_g_i) sigma(l_i) sigma(-l_i)`), so a
//! gradient component `g_i` at the returned point bounds its distance to the
//! optimum by about `|g_i| / h_i`, `h_i = p_data_i p_g_i / (p_data_i + p_g_i)`.
//!
//! # Example
//! ```
//! use gan_theory::Discrete;
//! use gan_theory::train::inner_max::{InnerMaxSettings, optimal_tabular_discriminator};
//! let p_data = Discrete::new(vec![0.5, 0.3, 0.2])?;
//! let p_g = Discrete::new(vec![0.2, 0.3, 0.5])?;
//! let (d, report) = optimal_tabular_discriminator(&p_data, &p_g, &InnerMaxSettings::default())?;
//! assert!(report.gradient_norm <= InnerMaxSettings::default().gradient_target);
//! assert!((d.logits()[0] - (0.5f64 / 0.2).ln()).abs() < 1e-6);
//! # Ok::<(), gan_theory::Error>(())
//! ```

use crate::error::{Error, Result};
use crate::measure::Discrete;
use crate::mlp::{Mlp, Tape, tanh};
use crate::numeric::{CompensatedSum, sigmoid, softplus};
use crate::tabular::TabularDiscriminator;
use argmin::core::{CostFunction, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use nalgebra::{DMatrix, DVector};

/// A discriminator's objective as a function of its parameters `theta`.
pub trait InnerObjective {
    /// Number of parameters.
    fn dimension(&self) -> usize;

    /// `V(D_theta, G)` and its gradient in `theta`.
    ///
    /// # Errors
    /// Whatever the model refuses (for example non-finite parameters).
    fn value_and_gradient(&self, theta: &[f64]) -> Result<(f64, Vec<f64>)>;
}

/// Stopping rule of [`maximise_value`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InnerMaxSettings {
    /// The largest accepted Euclidean norm of the gradient of V at the
    /// returned point. Default 1e-7 (its reason at the private constant
    /// `GRADIENT_TARGET`).
    pub gradient_target: f64,
    /// L-BFGS iteration budget. Default 1000.
    pub max_iterations: u64,
    /// L-BFGS memory (number of correction pairs). Default 7.
    pub memory: usize,
}

/// Default gradient-norm target of the inner maximisation.
///
/// Reason: near the optimum each L-BFGS step changes V by about
/// `|g|^2 / h`; for V of order 1 computed with an error of a few `EPS`, the
/// line search can still tell such changes apart down to `|g|` of about 1e-8
/// (where `|g|^2` meets the rounding of V). 1e-7 stays a factor 10 above that
/// floor and, through `|l - l*| <= |g| / h`, places a tabular discriminator
/// with curvatures `h >= 0.01` within 1e-5 of `D*` in every logit.
const GRADIENT_TARGET: f64 = 1e-7;

/// Default L-BFGS budget: the tabular problems here converge in a few dozen
/// iterations; a budget 20 times larger means a real failure when spent.
const MAX_ITERATIONS: u64 = 1000;

impl Default for InnerMaxSettings {
    fn default() -> Self {
        Self {
            gradient_target: GRADIENT_TARGET,
            max_iterations: MAX_ITERATIONS,
            memory: 7,
        }
    }
}

/// What [`maximise_value`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct InnerMaximum {
    /// The maximiser `theta`.
    pub parameters: Vec<f64>,
    /// `V(D_theta, G)` there.
    pub value: f64,
    /// Euclidean norm of the gradient of V there (at most the target).
    pub gradient_norm: f64,
    /// L-BFGS iterations used.
    pub iterations: u64,
}

/// `-V` and its gradient as an argmin problem (argmin minimises).
struct NegatedValue<'a, O: InnerObjective> {
    objective: &'a O,
}

impl<O: InnerObjective> NegatedValue<'_, O> {
    fn evaluate(&self, theta: &DVector<f64>) -> Result<(f64, Vec<f64>)> {
        let (v, g) = self.objective.value_and_gradient(theta.as_slice())?;
        if v.is_nan() {
            return Err(Error::NotANumber { index: 0 });
        }
        Ok((-v, g.into_iter().map(|x| -x).collect()))
    }
}

impl<O: InnerObjective> CostFunction for NegatedValue<'_, O> {
    type Param = DVector<f64>;
    type Output = f64;
    fn cost(&self, theta: &DVector<f64>) -> std::result::Result<f64, argmin::core::Error> {
        Ok(self.evaluate(theta)?.0)
    }
}

impl<O: InnerObjective> Gradient for NegatedValue<'_, O> {
    type Param = DVector<f64>;
    type Gradient = DVector<f64>;
    fn gradient(
        &self,
        theta: &DVector<f64>,
    ) -> std::result::Result<DVector<f64>, argmin::core::Error> {
        Ok(DVector::from_vec(self.evaluate(theta)?.1))
    }
}

const WHAT: &str = "inner maximisation of V over D (L-BFGS)";

/// Maximises `V(D_theta, G)` over `theta` from `start` with L-BFGS.
///
/// Checked by claim [A6](crate::proofs::a6_algorithm1).
///
/// # Errors
/// [`Error::LengthMismatch`] when `start` does not have the objective's
/// dimension; [`Error::NotConverged`] when the budget runs out, argmin
/// stops with an error, or the best point found has a gradient norm above
/// `settings.gradient_target` (the detail gives the norm reached).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, game::c_of_g};
/// use gan_theory::train::inner_max::{InnerMaxSettings, TabularInnerProblem, maximise_value};
/// let p_data = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let p_g = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// let problem = TabularInnerProblem { p_data: &p_data, p_g: &p_g };
/// let found = maximise_value(&problem, vec![0.0; 3], &InnerMaxSettings::default())?;
/// assert!(found.gradient_norm <= 1e-7);
/// // max_D V(D, G) = C(G), attained at the logits ln(p_data / p_g).
/// assert!((found.value - c_of_g(&p_data, &p_g)?).abs() < 1e-12);
/// assert!((found.parameters[2] - (0.2f64 / 0.5).ln()).abs() < 1e-5);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn maximise_value<O: InnerObjective>(
    objective: &O,
    start: Vec<f64>,
    settings: &InnerMaxSettings,
) -> Result<InnerMaximum> {
    crate::error::check_same_length(start.len(), objective.dimension())?;
    let failed = |e: argmin::core::Error| Error::NotConverged {
        what: WHAT,
        detail: format!("argmin stopped with an error: {e}"),
    };
    let problem = NegatedValue { objective };
    let line_search: MoreThuenteLineSearch<DVector<f64>, DVector<f64>, f64> =
        MoreThuenteLineSearch::new();
    let solver = LBFGS::new(line_search, settings.memory)
        .with_tolerance_grad(settings.gradient_target)
        .and_then(|s| s.with_tolerance_cost(0.0))
        .map_err(failed)?;
    let result = Executor::new(problem, solver)
        .configure(|state| {
            state
                .param(DVector::from_vec(start))
                .max_iters(settings.max_iterations)
        })
        .timer(false)
        .run()
        .map_err(failed)?;
    let state = result.state();
    let iterations = state.get_iter();
    let reason = state
        .get_termination_reason()
        .map_or_else(|| "none".to_string(), |r| r.text().to_string());
    // The last iterate and the best (lowest -V) one: keep the one with the
    // smaller gradient, the quantity the target is stated in.
    let mut best: Option<InnerMaximum> = None;
    for theta in [state.get_param(), state.get_best_param()]
        .into_iter()
        .flatten()
    {
        let Ok((value, gradient)) = objective.value_and_gradient(theta.as_slice()) else {
            continue;
        };
        let gradient_norm = gradient.iter().map(|g| g * g).sum::<f64>().sqrt();
        if best
            .as_ref()
            .is_none_or(|b| gradient_norm < b.gradient_norm)
        {
            best = Some(InnerMaximum {
                parameters: theta.as_slice().to_vec(),
                value,
                gradient_norm,
                iterations,
            });
        }
    }
    match best {
        Some(found) if found.gradient_norm <= settings.gradient_target => Ok(found),
        Some(found) => Err(Error::NotConverged {
            what: WHAT,
            detail: format!(
                "gradient norm {:e} above the target {:e} after {iterations} iterations (argmin: {reason})",
                found.gradient_norm, settings.gradient_target
            ),
        }),
        None => Err(Error::NotConverged {
            what: WHAT,
            detail: format!("no finite point after {iterations} iterations (argmin: {reason})"),
        }),
    }
}

/// The exact inner problem of a [`TabularDiscriminator`]: `theta` are its
/// logits, `V` and its gradient are exact sums over the support.
#[derive(Debug, Clone, Copy)]
pub struct TabularInnerProblem<'a> {
    /// The data distribution.
    pub p_data: &'a Discrete,
    /// The generator's distribution.
    pub p_g: &'a Discrete,
}

impl InnerObjective for TabularInnerProblem<'_> {
    fn dimension(&self) -> usize {
        self.p_data.len()
    }

    fn value_and_gradient(&self, theta: &[f64]) -> Result<(f64, Vec<f64>)> {
        let d = TabularDiscriminator::new(theta.to_vec())?;
        Ok((
            d.value(self.p_data, self.p_g)?,
            d.value_gradient(self.p_data, self.p_g)?,
        ))
    }
}

/// The optimal tabular discriminator by L-BFGS from `D = 1/2` (all logits 0).
///
/// Where only one of `p_data`, `p_g` has mass the supremum of V is not
/// attained (the logit runs off to infinity); the run then stops, if at all,
/// at a large logit whose gradient is below the target, so that V is within
/// about that target of its supremum.
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::NotConverged`] (see [`maximise_value`]).
pub fn optimal_tabular_discriminator(
    p_data: &Discrete,
    p_g: &Discrete,
    settings: &InnerMaxSettings,
) -> Result<(TabularDiscriminator, InnerMaximum)> {
    crate::measure::same_len(p_data, p_g)?;
    let problem = TabularInnerProblem { p_data, p_g };
    let found = maximise_value(&problem, vec![0.0; p_data.len()], settings)?;
    Ok((TabularDiscriminator::new(found.parameters.clone())?, found))
}

/// The inner problem of an [`Mlp`] discriminator on fixed samples: `theta`
/// are the network's flat parameters and
///
/// ```text
/// V_hat(theta) = (1/N) sum_i ln D(x_i) + (1/M) sum_j ln(1 - D(y_j)),   D = sigma(logit)
/// ```
///
/// over data points `x_i` (`real`) and generated points `y_j` (`fake`),
/// with the gradient from the network's backward pass
/// (`dV_hat/dl = sigma(-l)/N` at a data point, `-sigma(l)/M` at a generated one).
///
/// Checked by claim [A6](crate::proofs::a6_algorithm1).
#[derive(Debug, Clone)]
pub struct MlpInnerProblem {
    net: Mlp,
    real: DMatrix<f64>,
    fake: DMatrix<f64>,
}

impl MlpInnerProblem {
    /// The problem for networks shaped like `net` (its parameters are only the
    /// default start, see [`MlpInnerProblem::start`]) on samples given one per row.
    ///
    /// # Errors
    /// [`Error::Empty`] when either sample is empty; [`Error::LengthMismatch`]
    /// when the samples' width is not the network's input width or the
    /// network has more than one output.
    pub fn new(net: Mlp, real: DMatrix<f64>, fake: DMatrix<f64>) -> Result<Self> {
        if real.nrows() == 0 || fake.nrows() == 0 {
            return Err(Error::Empty);
        }
        crate::error::check_same_length(net.output_dim(), 1)?;
        crate::error::check_same_length(real.ncols(), net.input_dim())?;
        crate::error::check_same_length(fake.ncols(), net.input_dim())?;
        Ok(Self { net, real, fake })
    }

    /// The parameters of the network given to [`MlpInnerProblem::new`].
    pub fn start(&self) -> Vec<f64> {
        self.net.params().as_slice().to_vec()
    }

    /// The network with parameters `theta`.
    ///
    /// # Errors
    /// As [`Mlp::set_params`].
    pub fn network(&self, theta: &[f64]) -> Result<Mlp> {
        let mut net = self.net.clone();
        net.set_params(theta)?;
        Ok(net)
    }
}

impl InnerObjective for MlpInnerProblem {
    fn dimension(&self) -> usize {
        self.net.num_params()
    }

    fn value_and_gradient(&self, theta: &[f64]) -> Result<(f64, Vec<f64>)> {
        let net = self.network(theta)?;
        let mut gradient = vec![0.0; theta.len()];
        let mut part = vec![0.0; theta.len()];
        let mut value = CompensatedSum::new();
        let mut tape = Tape::new();
        for (batch, real) in [(&self.real, true), (&self.fake, false)] {
            let m = batch.nrows() as f64;
            let logits = net.forward(batch, &mut tape)?.clone();
            let mut logit_grad = DMatrix::zeros(batch.nrows(), 1);
            for (k, &l) in logits.iter().enumerate() {
                if real {
                    value.add(-softplus(-l) / m);
                    logit_grad[k] = sigmoid(-l) / m;
                } else {
                    value.add(-softplus(l) / m);
                    logit_grad[k] = -sigmoid(l) / m;
                }
            }
            net.backward(&mut tape, &logit_grad, Some(&mut part), None)?;
            gradient.iter_mut().zip(&part).for_each(|(g, p)| *g += p);
        }
        Ok((value.value(), gradient))
    }
}

/// A pair of laws on the line whose optimal discriminator is exactly an
/// MLP with one tanh unit, so that a trained MLP can be compared with `D*`
/// inside its own model class (no approximation error):
///
/// ```text
/// p_data = N(0, 1),   s(x) = c tanh(w x + b) + d,   p_g(x) = p_data(x) e^{-s(x)},
/// d = ln E_{p_data}[e^{-c tanh(w x + b)}]         (so that p_g integrates to 1),
/// D*(x) = p_data / (p_data + p_g) = sigma(s(x)).
/// ```
///
/// `D*` is the [`Mlp`] with widths `[1, 1, 1]` and parameters
/// `(w, b, c, d)` ([`TanhTiltedPair::d_star_parameters`]).
///
/// Checked by claim [A6](crate::proofs::a6_algorithm1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TanhTiltedPair {
    c: f64,
    w: f64,
    b: f64,
    d: f64,
}

/// Half-width of the quadrature interval of [`TanhTiltedPair`]: the
/// integrands carry `N(0, 1)` times at most `e^{2|c|}`, and `e^{-12^2/2}`
/// is below 1e-31.
const QUADRATURE_HALF_WIDTH: f64 = 12.0;

/// Simpson intervals on `[-12, 12]` (step 0.01): the integrands are smooth
/// on the scale of 1, so the error, of order `h^4` times their fourth
/// derivative, is below 1e-10.
const QUADRATURE_INTERVALS: usize = 2400;

impl TanhTiltedPair {
    /// The pair for `(c, w, b)`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless each is finite with `|c| <= 5`
    /// (rejection sampling of `p_g` accepts with probability at least `e^{-2|c|}`).
    pub fn new(c: f64, w: f64, b: f64) -> Result<Self> {
        for (name, value) in [("c", c), ("w", w), ("b", b)] {
            if !value.is_finite() {
                return Err(Error::InvalidParameter {
                    name,
                    value,
                    requirement: "must be finite",
                });
            }
        }
        if c.abs() > 5.0 {
            return Err(Error::InvalidParameter {
                name: "c",
                value: c,
                requirement: "|c| <= 5",
            });
        }
        let mut pair = Self { c, w, b, d: 0.0 };
        pair.d = simpson(|x| normal_density(x) * (-c * tanh(w * x + b)).exp()).ln();
        Ok(pair)
    }

    /// `s(x)`, the logit of `D*`.
    pub fn d_star_logit(&self, x: f64) -> f64 {
        self.c * tanh(self.w * x + self.b) + self.d
    }

    /// The parameters `(w, b, c, d)` of `D*` as an [`Mlp`] with widths `[1, 1, 1]`.
    pub fn d_star_parameters(&self) -> [f64; 4] {
        [self.w, self.b, self.c, self.d]
    }

    /// `n` draws from `p_data = N(0, 1)` (Box-Muller), one per row.
    pub fn sample_data<R: rand::Rng + ?Sized>(&self, rng: &mut R, n: usize) -> DMatrix<f64> {
        DMatrix::from_fn(n, 1, |_, _| standard_normal(rng))
    }

    /// `n` draws from `p_g` by rejection from `N(0, 1)`: a proposal `x` is
    /// kept with probability `e^{-c tanh(w x + b) - |c|}`.
    pub fn sample_generated<R: rand::Rng + ?Sized>(&self, rng: &mut R, n: usize) -> DMatrix<f64> {
        use rand::RngExt;
        let mut out = DMatrix::zeros(n, 1);
        let mut k = 0;
        while k < n {
            let x = standard_normal(rng);
            let accept = (-self.c * tanh(self.w * x + self.b) - self.c.abs()).exp();
            if rng.random::<f64>() < accept {
                out[k] = x;
                k += 1;
            }
        }
        out
    }

    /// `V(D*) - V(D) = E_{p_data}[ln(D*/D)] + E_{p_g}[ln((1 - D*)/(1 - D))]`
    /// for the discriminator `net` (one input, one output: its logit), by
    /// Simpson's rule: `integral (p_data + p_g) KL(Bern(D*) || Bern(D))`, the
    /// distance of D from D* weighted by `p_data + p_g`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] unless `net` maps 1 input to 1 output.
    pub fn gap(&self, net: &Mlp) -> Result<f64> {
        crate::error::check_same_length(net.input_dim(), 1)?;
        crate::error::check_same_length(net.output_dim(), 1)?;
        let h = 2.0 * QUADRATURE_HALF_WIDTH / QUADRATURE_INTERVALS as f64;
        let grid = DMatrix::from_fn(QUADRATURE_INTERVALS + 1, 1, |i, _| {
            -QUADRATURE_HALF_WIDTH + i as f64 * h
        });
        let logits = net.predict(&grid)?;
        let mut total = CompensatedSum::new();
        for (i, (&x, &l)) in grid.iter().zip(logits.iter()).enumerate() {
            let s = self.d_star_logit(x);
            let p = normal_density(x);
            let integrand =
                p * (softplus(-l) - softplus(-s)) + p * (-s).exp() * (softplus(l) - softplus(s));
            total.add(simpson_weight(i) * integrand);
        }
        Ok(total.value() * h / 3.0)
    }
}

fn normal_density(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

fn standard_normal<R: rand::Rng + ?Sized>(rng: &mut R) -> f64 {
    use rand::RngExt;
    let u1 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn simpson_weight(i: usize) -> f64 {
    if i == 0 || i == QUADRATURE_INTERVALS {
        1.0
    } else if i % 2 == 1 {
        4.0
    } else {
        2.0
    }
}

/// Simpson's rule for `f` on `[-12, 12]`.
fn simpson(f: impl Fn(f64) -> f64) -> f64 {
    let h = 2.0 * QUADRATURE_HALF_WIDTH / QUADRATURE_INTERVALS as f64;
    let mut total = CompensatedSum::new();
    for i in 0..=QUADRATURE_INTERVALS {
        total.add(simpson_weight(i) * f(-QUADRATURE_HALF_WIDTH + i as f64 * h));
    }
    total.value() * h / 3.0
}
