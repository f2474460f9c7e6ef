//! First-order optimisers for the models: SGD with momentum and Adam.
//!
//! Serves claims [A6](crate::proofs::a6_algorithm1), [D1](crate::proofs::d1_wgan).
//!
//! Both act on a flat parameter slice and its gradient (as [`crate::mlp::Mlp`]
//! stores them) and **descend**: to ascend an objective, pass minus its
//! gradient. Their state (velocity, moments) is sized at construction and
//! every step allocates nothing.
//!
//! # Example
//! ```
//! use gan_theory::optim::{Optimizer, Sgd};
//! // Minimise theta^2 / 2 (gradient theta) from theta = 1.
//! let mut sgd = Sgd::new(0.1, 0.0, 1)?;
//! let mut theta = [1.0];
//! for _ in 0..3 {
//!     let grad = [theta[0]];
//!     sgd.step(&mut theta, &grad)?;
//! }
//! assert!((theta[0] - 0.9f64.powi(3)).abs() < 1e-15);
//! # Ok::<(), gan_theory::Error>(())
//! ```

use crate::error::{Error, Result, check_same_length};

/// One optimisation step `params <- params - update(grad)`.
///
/// # Example
/// ```
/// use gan_theory::optim::{AnyOptimizer, Optimizer, Sgd};
/// let mut opt: AnyOptimizer = Sgd::new(0.5, 0.0, 2)?.into();
/// assert_eq!((opt.len(), opt.is_empty()), (2, false));
/// let mut params = [1.0, -2.0];
/// assert!(opt.step(&mut params, &[1.0]).is_err());           // one gradient for two parameters
/// assert_eq!(params, [1.0, -2.0]);                           // untouched
/// opt.step(&mut params, &[1.0, -2.0])?;                      // params - 0.5 grad
/// assert_eq!(params, [0.5, -1.0]);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub trait Optimizer {
    /// Number of parameters the optimiser was built for.
    fn len(&self) -> usize;

    /// Whether it was built for no parameters.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Updates `params` in place from the gradient `grad` of the loss being minimised.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when `params` or `grad` does not have `len()` entries.
    fn step(&mut self, params: &mut [f64], grad: &[f64]) -> Result<()>;
}

fn check_learning_rate(learning_rate: f64) -> Result<()> {
    if !(learning_rate.is_finite() && learning_rate > 0.0) {
        return Err(Error::InvalidParameter {
            name: "learning_rate",
            value: learning_rate,
            requirement: "must be finite and > 0",
        });
    }
    Ok(())
}

fn check_unit_interval(name: &'static str, value: f64) -> Result<()> {
    if !(0.0..1.0).contains(&value) {
        return Err(Error::InvalidParameter {
            name,
            value,
            requirement: "must lie in [0, 1)",
        });
    }
    Ok(())
}

/// Stochastic gradient descent with (heavy-ball) momentum, in PyTorch's
/// convention (`torch.optim.SGD` without dampening or Nesterov):
///
/// ```text
/// v <- mu v + g,    theta <- theta - lr v,    v = 0 before the first step.
/// ```
///
/// (Sutskever et al.'s form `v <- mu v - lr g; theta <- theta + v` is the same
/// iteration for a constant learning rate, with `v` scaled by `-lr`.)
///
/// Checked by claim [A6](crate::proofs::a6_algorithm1).
///
/// # Example
/// Two steps with momentum `mu = 0.9`, `lr = 0.1`, against the formula:
/// ```
/// use gan_theory::optim::{Optimizer, Sgd};
/// let mut sgd = Sgd::new(0.1, 0.9, 1)?;
/// let mut theta = [1.0];
/// sgd.step(&mut theta, &[2.0])?;           // v = 2,             theta = 1 - 0.2
/// sgd.step(&mut theta, &[-1.0])?;          // v = 0.9 * 2 - 1,   theta = 0.8 - 0.1 * 0.8
/// assert!((sgd.velocity()[0] - 0.8).abs() < 1e-15);
/// assert!((theta[0] - 0.72).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Sgd {
    learning_rate: f64,
    momentum: f64,
    velocity: Vec<f64>,
}

impl Sgd {
    /// SGD for `len` parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `learning_rate > 0` is finite and
    /// `0 <= momentum < 1`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::optim::{Optimizer, Sgd};
    /// let sgd = Sgd::new(0.01, 0.5, 3)?;
    /// assert_eq!((sgd.len(), sgd.velocity()), (3, &[0.0; 3][..]));
    /// assert!(Sgd::new(0.0, 0.5, 3).is_err());   // learning rate must be > 0
    /// assert!(Sgd::new(0.01, 1.0, 3).is_err());  // momentum must be < 1
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(learning_rate: f64, momentum: f64, len: usize) -> Result<Self> {
        check_learning_rate(learning_rate)?;
        check_unit_interval("momentum", momentum)?;
        Ok(Self {
            learning_rate,
            momentum,
            velocity: vec![0.0; len],
        })
    }

    /// The velocity `v` after the steps so far.
    ///
    /// # Example
    /// ```
    /// use gan_theory::optim::{Optimizer, Sgd};
    /// // A constant gradient g: v_t = g (1 + mu + ... + mu^{t-1}).
    /// let mut sgd = Sgd::new(0.1, 0.5, 1)?;
    /// let mut theta = [0.0];
    /// for _ in 0..3 {
    ///     sgd.step(&mut theta, &[4.0])?;
    /// }
    /// assert_eq!(sgd.velocity(), &[4.0 * (1.0 + 0.5 + 0.25)]);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn velocity(&self) -> &[f64] {
        &self.velocity
    }
}

impl Optimizer for Sgd {
    fn len(&self) -> usize {
        self.velocity.len()
    }

    fn step(&mut self, params: &mut [f64], grad: &[f64]) -> Result<()> {
        check_same_length(params.len(), self.velocity.len())?;
        check_same_length(grad.len(), self.velocity.len())?;
        let (lr, mu) = (self.learning_rate, self.momentum);
        for ((p, v), &g) in params.iter_mut().zip(&mut self.velocity).zip(grad) {
            *v = mu * *v + g;
            *p -= lr * *v;
        }
        Ok(())
    }
}

/// Adam (Kingma and Ba 2015, Algorithm 1), with bias correction:
///
/// ```text
/// t <- t + 1,   m <- b1 m + (1 - b1) g,   v <- b2 v + (1 - b2) g^2,
/// theta <- theta - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
/// ```
///
/// This is `torch.optim.Adam`'s update (eps added after the square root).
///
/// Checked by claims [A6](crate::proofs::a6_algorithm1), [D1](crate::proofs::d1_wgan).
///
/// # Example
/// The first step moves every parameter by `lr g / (|g| + eps)`, about `lr`
/// against the sign of its gradient whatever the gradient's size (bias
/// correction makes `m / (1 - b1) = g`, `v / (1 - b2) = g^2`); then steps on
/// `theta^2 / 2` bring `theta` towards 0.
/// ```
/// use gan_theory::optim::{Adam, Optimizer};
/// let mut adam = Adam::new(0.01, 0.9, 0.999, 1e-8, 2)?;
/// let mut theta = [1.0, 1.0];
/// adam.step(&mut theta, &[100.0, -0.001])?;
/// assert!((theta[0] - (1.0 - 0.01 * 100.0 / (100.0 + 1e-8))).abs() < 1e-15);
/// assert!((theta[1] - (1.0 + 0.01 * 0.001 / (0.001 + 1e-8))).abs() < 1e-15);
/// let mut adam = Adam::new(0.05, 0.9, 0.999, 1e-8, 1)?;
/// let mut theta = [1.0];
/// for _ in 0..100 {
///     let grad = [theta[0]];
///     adam.step(&mut theta, &grad)?;
/// }
/// assert!(theta[0].abs() < 0.1);
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Adam {
    learning_rate: f64,
    beta1: f64,
    beta2: f64,
    epsilon: f64,
    steps: i32,
    first: Vec<f64>,
    second: Vec<f64>,
}

impl Adam {
    /// Adam for `len` parameters.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `learning_rate > 0` and
    /// `epsilon > 0` are finite and `beta1`, `beta2` lie in `[0, 1)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::optim::{Adam, Optimizer};
    /// assert_eq!(Adam::new(1e-3, 0.5, 0.9, 1e-8, 4)?.len(), 4);
    /// assert!(Adam::new(1e-3, 1.0, 0.9, 1e-8, 4).is_err());   // beta1 must be < 1
    /// assert!(Adam::new(1e-3, 0.5, 0.9, 0.0, 4).is_err());    // epsilon must be > 0
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(
        learning_rate: f64,
        beta1: f64,
        beta2: f64,
        epsilon: f64,
        len: usize,
    ) -> Result<Self> {
        check_learning_rate(learning_rate)?;
        check_unit_interval("beta1", beta1)?;
        check_unit_interval("beta2", beta2)?;
        if !(epsilon.is_finite() && epsilon > 0.0) {
            return Err(Error::InvalidParameter {
                name: "epsilon",
                value: epsilon,
                requirement: "must be finite and > 0",
            });
        }
        Ok(Self {
            learning_rate,
            beta1,
            beta2,
            epsilon,
            steps: 0,
            first: vec![0.0; len],
            second: vec![0.0; len],
        })
    }

    /// Adam with the paper's (and PyTorch's) defaults `beta1 = 0.9`,
    /// `beta2 = 0.999`, `epsilon = 1e-8`.
    ///
    /// # Errors
    /// As [`Adam::new`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::optim::Adam;
    /// assert_eq!(Adam::with_defaults(2e-4, 10)?, Adam::new(2e-4, 0.9, 0.999, 1e-8, 10)?);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn with_defaults(learning_rate: f64, len: usize) -> Result<Self> {
        Self::new(learning_rate, 0.9, 0.999, 1e-8, len)
    }

    /// Number of steps taken (`t` in the update).
    ///
    /// # Example
    /// ```
    /// use gan_theory::optim::{Adam, Optimizer};
    /// let mut adam = Adam::with_defaults(0.1, 1)?;
    /// let mut theta = [0.0];
    /// adam.step(&mut theta, &[1.0])?;
    /// adam.step(&mut theta, &[1.0])?;
    /// assert!(adam.step(&mut theta, &[1.0, 2.0]).is_err()); // a refused step is not counted
    /// assert_eq!(adam.steps(), 2);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn steps(&self) -> i32 {
        self.steps
    }
}

impl Optimizer for Adam {
    fn len(&self) -> usize {
        self.first.len()
    }

    fn step(&mut self, params: &mut [f64], grad: &[f64]) -> Result<()> {
        check_same_length(params.len(), self.first.len())?;
        check_same_length(grad.len(), self.first.len())?;
        self.steps = self.steps.saturating_add(1);
        let (b1, b2) = (self.beta1, self.beta2);
        let correction1 = 1.0 - b1.powi(self.steps);
        let correction2 = 1.0 - b2.powi(self.steps);
        let (lr, eps) = (self.learning_rate, self.epsilon);
        let moments = self.first.iter_mut().zip(&mut self.second);
        for ((p, (m, v)), &g) in params.iter_mut().zip(moments).zip(grad) {
            *m = b1 * *m + (1.0 - b1) * g;
            *v = b2 * *v + (1.0 - b2) * g * g;
            *p -= lr * (*m / correction1) / ((*v / correction2).sqrt() + eps);
        }
        Ok(())
    }
}

/// Either optimiser, so that a training loop can hold one without generics.
///
/// # Example
/// ```
/// use gan_theory::optim::{Adam, AnyOptimizer, Optimizer};
/// let mut any = AnyOptimizer::from(Adam::with_defaults(0.1, 1)?);
/// let mut adam = Adam::with_defaults(0.1, 1)?;
/// let (mut a, mut b) = ([1.0], [1.0]);
/// any.step(&mut a, &[0.3])?;
/// adam.step(&mut b, &[0.3])?;
/// assert_eq!(a, b); // the same update as the optimiser it wraps
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum AnyOptimizer {
    /// SGD with momentum.
    Sgd(Sgd),
    /// Adam.
    Adam(Adam),
}

impl Optimizer for AnyOptimizer {
    fn len(&self) -> usize {
        match self {
            AnyOptimizer::Sgd(o) => o.len(),
            AnyOptimizer::Adam(o) => o.len(),
        }
    }

    fn step(&mut self, params: &mut [f64], grad: &[f64]) -> Result<()> {
        match self {
            AnyOptimizer::Sgd(o) => o.step(params, grad),
            AnyOptimizer::Adam(o) => o.step(params, grad),
        }
    }
}

impl From<Sgd> for AnyOptimizer {
    fn from(o: Sgd) -> Self {
        AnyOptimizer::Sgd(o)
    }
}

impl From<Adam> for AnyOptimizer {
    fn from(o: Adam) -> Self {
        AnyOptimizer::Adam(o)
    }
}
