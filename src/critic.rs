//! The WGAN critic as a small MLP: weight clipping, a certified Lipschitz
//! bound, and the gradient penalty with its exact parameter gradient
//! (claim D1).
//!
//! Serves claim [D1](crate::proofs::d1_wgan).
//!
//! A [`Critic`] is an [`Mlp`] with one linear output `f(x)` (no sigmoid).
//!
//! **Clipping** (Arjovsky et al. 2017, Algorithm 1): after every update each
//! parameter is clamped to `[-c, c]` ([`Critic::clip`]). Weights bounded
//! entrywise bound the Lipschitz constant ([`clipping_lipschitz_bound`]), so
//! the critic is `K`-Lipschitz for a `K` fixed by `c` and the widths.
//!
//! **Certified Lipschitz bound.** With `|f'| <= 1` for every activation here
//! (tanh, ReLU, leaky ReLU with slope in `(0, 1)`), the chain rule gives
//! `grad_x f = W_1^T D_1 W_2^T D_2 ... W_L^T` with diagonal `D_l` of entries
//! in `[0, 1]`, so `||grad_x f|| <= prod_l ||W_l||_2 <= prod_l ||W_l||_F`,
//! and also, entrywise, `|grad_x f| <= |W_1|^T |W_2|^T ... |W_L|^T 1`.
//! [`Critic::lipschitz_bound`] takes the smaller of the two, raised by a
//! rounding margin; it holds everywhere, not only on a sample.
//!
//! **Gradient penalty** (Gulrajani et al. 2017, Eq. (3)): at points `x_hat_b`
//! of a batch, `P = (1/B) sum_b lambda (||grad_x f(x_hat_b)|| - 1)^2`.
//! [`Critic::gradient_penalty`] returns `P` and its exact gradient in the
//! parameters, by reverse-mode differentiation of the backward pass itself,
//! written out next to its own forward pass (rows = samples, `s` the
//! gradient in a layer's input, `delta` in its pre-activation):
//!
//! ```text
//! forward   a_0 = x,  z_l = a_{l-1} W_l^T + b_l,  a_l = f(z_l) (l < L),  output z_L
//! backward  delta_L = 1,  s_{l-1} = delta_l W_l,  delta_{l-1} = s_{l-1} . f'(z_{l-1}),  g = s_0
//! penalty   P_b = lambda (||g_b|| - 1)^2,  sbar_0 = dP/dg          (0 where g_b = 0)
//! up        Wbar_l += delta_l^T sbar_{l-1};  for l < L:
//!           deltabar_l = sbar_{l-1} W_l^T,  sbar_l = deltabar_l . f'(z_l),
//!           zbar_l = deltabar_l . s_l . f''(z_l)
//! down      for l = L-1 .. 1:  ztot_l = zbar_l + abar_l . f'(z_l),
//!           Wbar_l += ztot_l^T a_{l-1},  bbar_l += sum of rows of ztot_l,  abar_{l-1} = ztot_l W_l
//! ```
//!
//! (`abar_{L-1} = 0`: the output value itself does not enter `P`, so `b_L`
//! gets no gradient.) `f'' = -2 a (1 - a^2)` for tanh and 0 for the ReLUs
//! (piecewise linear; at a kink `f'` is taken as in [`Mlp`], 0 for ReLU at
//! `z = 0`). Where an input gradient is exactly zero (all-zero weights, every
//! ReLU unit dead) the penalty's derivative in `g` is taken as 0
//! ([`gradient_penalty_grad`]), so the whole gradient stays finite.
//!
//! # Example
//! ```
//! use gan_theory::critic::Critic;
//! use gan_theory::mlp::Activation;
//! use gan_theory::nalgebra::DMatrix;
//! let mut critic = Critic::new(&[2, 8, 1], Activation::Tanh, 3)?;
//! let x_hat = DMatrix::from_row_slice(2, 2, &[0.0, 1.0, -0.5, 0.25]);
//! let mut grad = vec![0.0; critic.num_params()];
//! let penalty = critic.gradient_penalty(&x_hat, 10.0, Some(&mut grad[..]))?;
//! assert!(penalty >= 0.0 && grad.iter().all(|g| g.is_finite()));
//! critic.clip(0.01)?;
//! assert!(critic.params().iter().all(|w| w.abs() <= 0.01));
//! // |f(a) - f(b)| <= K |a - b| everywhere, K = critic.lipschitz_bound().
//! let k = critic.lipschitz_bound();
//! let f = critic.values(&DMatrix::from_row_slice(2, 2, &[0.0, 0.0, 3.0, 4.0]))?;
//! assert!((f[0] - f[1]).abs() <= k * 5.0);
//! # Ok::<(), gan_theory::Error>(())
//! ```

use crate::error::{Error, Result, check_same_length};
use crate::mlp::{Activation, Mlp, Tape, tanh};
use crate::tol::EPS;
use crate::variants::wgan::penalty_term;
use nalgebra::DMatrix;

#[cfg(doc)]
use crate::variants::wgan::gradient_penalty_grad;

/// A WGAN critic: an [`Mlp`] with a single linear output.
///
/// Checked by claim [D1](crate::proofs::d1_wgan).
#[derive(Debug, Clone, PartialEq)]
pub struct Critic {
    net: Mlp,
}

/// Ulps of headroom per multiply-add in [`Critic::lipschitz_bound`]: each
/// entry of a product of non-negative matrices (and each square root) is
/// computed within a few ulps per term of its exact value, so raising the
/// result by this many ulps per term of every layer keeps it an upper bound.
const BOUND_ULPS_PER_TERM: f64 = 4.0;

impl Critic {
    /// A critic with the given widths (input first, the last must be 1),
    /// initialised as [`Mlp::new`].
    ///
    /// # Errors
    /// As [`Mlp::new`]; [`Error::InvalidParameter`] when the last width is not 1.
    ///
    /// # Example
    /// ```
    /// use gan_theory::critic::Critic;
    /// use gan_theory::mlp::{Activation, Mlp};
    /// let critic = Critic::new(&[3, 16, 1], Activation::Relu, 9)?;
    /// assert_eq!((critic.input_dim(), critic.num_params()), (3, (3 + 1) * 16 + 16 + 1));
    /// assert_eq!(critic.mlp(), &Mlp::new(&[3, 16, 1], Activation::Relu, 9)?); // same initialisation
    /// assert!(Critic::new(&[3, 16, 2], Activation::Relu, 9).is_err());        // two outputs
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(widths: &[usize], activation: Activation, seed: u64) -> Result<Self> {
        Self::from_mlp(Mlp::new(widths, activation, seed)?)
    }

    /// Wraps a network with one output.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when the network has another output width.
    ///
    /// # Example
    /// ```
    /// use gan_theory::critic::Critic;
    /// use gan_theory::mlp::{Activation, Mlp};
    /// use gan_theory::nalgebra::DMatrix;
    /// let net = Mlp::new(&[2, 5, 1], Activation::Tanh, 4)?;
    /// let x = DMatrix::from_row_slice(2, 2, &[0.5, -0.5, 2.0, 1.0]);
    /// let critic = Critic::from_mlp(net.clone())?;
    /// assert_eq!(critic.values(&x)?, net.predict(&x)?.as_slice()); // f is the network's output
    /// assert_eq!(critic.into_mlp(), net);
    /// assert!(Critic::from_mlp(Mlp::new(&[2, 5, 3], Activation::Tanh, 4)?).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn from_mlp(net: Mlp) -> Result<Self> {
        if net.output_dim() != 1 {
            return Err(Error::InvalidParameter {
                name: "output width",
                value: net.output_dim() as f64,
                requirement: "a critic has exactly one (linear) output",
            });
        }
        Ok(Self { net })
    }

    /// Sets the output layer's weights and bias to 0: the critic becomes the
    /// constant 0, its input gradient is 0 everywhere (the penalty's
    /// derivative in it is 0 by convention), and the hidden layers keep their
    /// random features. From there the first gradient step follows the
    /// objective alone. In one dimension this matters: the unit-gradient
    /// "sphere" is `{-1, +1}`, and the two-sided penalty makes the
    /// wrong-signed slope `1 - Delta / (2 lambda)` a local minimum for a linear
    /// critic (proof D1), which a random start can fall into.
    ///
    /// # Example
    /// ```
    /// use gan_theory::critic::Critic;
    /// use gan_theory::mlp::Activation;
    /// use gan_theory::nalgebra::DMatrix;
    /// let mut critic = Critic::new(&[2, 6, 1], Activation::Tanh, 8)?;
    /// let hidden = critic.params()[..18].to_vec();
    /// critic.zero_output_layer();
    /// assert_eq!(&critic.params()[..18], &hidden[..]);          // hidden layer kept
    /// let x = DMatrix::from_row_slice(2, 2, &[1.0, -2.0, 0.5, 3.0]);
    /// assert_eq!(critic.values(&x)?, vec![0.0, 0.0]);
    /// assert!(critic.input_gradients(&x)?.iter().all(|&g| g == 0.0));
    /// // ||grad_x f|| = 0 at every point: the penalty is lambda (0 - 1)^2 = lambda,
    /// // and its gradient is 0 by the convention at g = 0.
    /// let mut grad = vec![1.0; critic.num_params()];
    /// assert_eq!(critic.gradient_penalty(&x, 10.0, Some(&mut grad[..]))?, 10.0);
    /// assert!(grad.iter().all(|&g| g == 0.0));
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn zero_output_layer(&mut self) {
        let widths = self.net.widths();
        let last = widths[widths.len() - 2];
        let n = self.net.num_params();
        // The output layer (1 x last weights, then 1 bias) ends the flat vector.
        for w in &mut self.net.params_mut()[n - last - 1..] {
            *w = 0.0;
        }
    }

    /// The network.
    pub fn mlp(&self) -> &Mlp {
        &self.net
    }

    /// The network, giving up the critic.
    pub fn into_mlp(self) -> Mlp {
        self.net
    }

    /// Dimension of the input.
    pub fn input_dim(&self) -> usize {
        self.net.input_dim()
    }

    /// Number of parameters.
    pub fn num_params(&self) -> usize {
        self.net.num_params()
    }

    /// The parameters, flattened as in [`Mlp`].
    pub fn params(&self) -> &[f64] {
        self.net.params().as_slice()
    }

    /// The parameters, for an optimiser's step.
    ///
    /// # Example
    /// ```
    /// use gan_theory::critic::Critic;
    /// use gan_theory::mlp::Activation;
    /// use gan_theory::nalgebra::DMatrix;
    /// // [2, 1]: f(x) = W x + b with W = (3, -1), b = 0.5.
    /// let mut critic = Critic::new(&[2, 1], Activation::Tanh, 0)?;
    /// critic.params_mut().copy_from_slice(&[3.0, -1.0, 0.5]);
    /// assert_eq!(critic.params(), &[3.0, -1.0, 0.5]);
    /// assert_eq!(critic.values(&DMatrix::from_row_slice(1, 2, &[1.0, 2.0]))?, vec![1.5]);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn params_mut(&mut self) -> &mut [f64] {
        self.net.params_mut()
    }

    /// `f(x)` for every row of `x`, by [`Mlp::forward`].
    ///
    /// # Errors
    /// As [`Mlp::forward`].
    pub fn values(&self, x: &DMatrix<f64>) -> Result<Vec<f64>> {
        let mut tape = Tape::new();
        Ok(self.net.forward(x, &mut tape)?.as_slice().to_vec())
    }

    /// `grad_x f` at every row of `x` (one row per sample), by
    /// [`Mlp::backward`].
    ///
    /// # Errors
    /// As [`Mlp::forward`].
    ///
    /// # Example
    /// Central differences of [`Critic::values`], to `1e-8`:
    /// ```
    /// use gan_theory::critic::Critic;
    /// use gan_theory::mlp::Activation;
    /// use gan_theory::nalgebra::DMatrix;
    /// let critic = Critic::new(&[2, 8, 1], Activation::Tanh, 6)?;
    /// let x = DMatrix::from_row_slice(2, 2, &[0.3, -0.7, 1.2, 0.4]);
    /// let g = critic.input_gradients(&x)?;
    /// let h = 1e-6;
    /// for (b, i) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
    ///     let (mut plus, mut minus) = (x.clone(), x.clone());
    ///     plus[(b, i)] += h;
    ///     minus[(b, i)] -= h;
    ///     let numeric = (critic.values(&plus)?[b] - critic.values(&minus)?[b]) / (2.0 * h);
    ///     assert!((g[(b, i)] - numeric).abs() < 1e-8);
    /// }
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn input_gradients(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        let mut tape = Tape::new();
        self.net.forward(x, &mut tape)?;
        let ones = DMatrix::from_element(x.nrows(), 1, 1.0);
        let mut dx = DMatrix::zeros(x.nrows(), x.ncols());
        self.net.backward(&mut tape, &ones, None, Some(&mut dx))?;
        Ok(dx)
    }

    /// Clamps every parameter (weights and biases, as Arjovsky et al. do) to
    /// `[-c, c]`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `c > 0` is finite.
    ///
    /// # Example
    /// ```
    /// use gan_theory::critic::{Critic, clipping_lipschitz_bound};
    /// use gan_theory::mlp::Activation;
    /// let mut critic = Critic::new(&[2, 8, 1], Activation::Relu, 1)?;
    /// let before = critic.params().to_vec();
    /// critic.clip(0.05)?;
    /// for (&w, &w0) in critic.params().iter().zip(&before) {
    ///     assert!(w.abs() <= 0.05);                 // in [-c, c]
    ///     assert!(w0.abs() > 0.05 || w == w0);      // inside already: unchanged
    /// }
    /// // Whatever the weights were, the clipped critic is within the clipping bound.
    /// assert!(critic.lipschitz_bound() <= clipping_lipschitz_bound(&[2, 8, 1], 0.05)?);
    /// assert!(critic.clip(0.0).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn clip(&mut self, c: f64) -> Result<()> {
        check_clip(c)?;
        for w in self.net.params_mut() {
            *w = w.clamp(-c, c);
        }
        Ok(())
    }

    /// A Lipschitz constant of `f` on all of `R^d` (Euclidean norm), valid
    /// for every input: the smaller of `prod_l ||W_l||_F` and
    /// `|| |W_1|^T ... |W_L|^T 1 ||_2` (see the [module documentation](self);
    /// every activation here is 1-Lipschitz), raised by a rounding margin of
    /// a few ulps per term. Each layer's weights and the running vector are
    /// rescaled by exact powers of two, so no square or product overflows on
    /// the way, and none underflows unless a weight lies more than `2^1022`
    /// below its layer's largest; where such a product of the path norm falls
    /// below the normal range (rounded to no relative precision), the
    /// Frobenius product alone is used. The bound is `+inf` only when it exceeds
    /// `f64::MAX`, at least `f64::MIN_POSITIVE` when it is not 0, and 0
    /// when some layer's weights are all 0 or every path through the layers
    /// has a zero weight (then `f` is constant);
    /// `+inf` when a parameter written through [`Critic::params_mut`] is not
    /// finite.
    ///
    /// # Example
    /// ```
    /// use gan_theory::critic::Critic;
    /// use gan_theory::mlp::Activation;
    /// use gan_theory::nalgebra::DMatrix;
    /// // A linear critic f(x) = 3 x_1 + 4 x_2: Lipschitz constant exactly 5.
    /// let mut linear = Critic::new(&[2, 1], Activation::Tanh, 0)?;
    /// linear.params_mut().copy_from_slice(&[3.0, 4.0, 0.0]);
    /// let k = linear.lipschitz_bound();
    /// assert!(k >= 5.0 && k - 5.0 < 1e-12);
    /// // A deeper critic: the bound is above every gradient norm it has.
    /// let critic = Critic::new(&[2, 16, 16, 1], Activation::Tanh, 3)?;
    /// let x = DMatrix::from_fn(50, 2, |b, i| (b as f64 * 0.37 + i as f64).sin() * 3.0);
    /// let g = critic.input_gradients(&x)?;
    /// assert!(g.row_iter().all(|row| row.norm() <= critic.lipschitz_bound()));
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn lipschitz_bound(&self) -> f64 {
        let widths = self.net.widths();
        let params = self.params();
        if params.iter().any(|w| !w.is_finite()) {
            return f64::INFINITY;
        }
        let mut frobenius = Scaled::ONE;
        let mut terms = 0.0;
        // v = |W_L|^T 1, then |W_l|^T v going down; the true vector is v 2^v_exponent.
        let mut v = vec![1.0];
        let mut v_exponent = 0i64;
        // Whether every nonzero product of the path norm stayed in the normal
        // range, so that each was rounded relative to its size. A weight far
        // below its layer's largest (by more than the normal range) can carry
        // the only path; its product underflows, and the path norm is then no
        // bound (it was 0 for `f(x) = relu(1e-300 x)` next to a unit with input
        // weight 1e300 and output weight 0). The Frobenius product is used
        // alone then: its underflowing squares are below its own rounding.
        let mut path_sound = true;
        for (l, (w, _)) in layer_offsets(widths).iter().enumerate().rev() {
            let (n_in, n_out) = (widths[l], widths[l + 1]);
            let weights = &params[*w..*w + n_in * n_out];
            let largest = weights.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            if largest == 0.0 {
                return 0.0;
            }
            // Weights times 2^-k have their largest entry in [1, 2).
            let k = binary_exponent(largest);
            let scaled = |x: f64| times_power_of_two(x.abs(), -k);
            let squares: f64 = weights.iter().map(|&x| scaled(x) * scaled(x)).sum();
            frobenius = frobenius.times(squares.sqrt()).times_power_of_two(k);
            terms += (n_in * n_out + n_out) as f64;
            if !path_sound {
                continue;
            }
            let mut next = vec![0.0; n_in];
            for (o, &vo) in v.iter().enumerate() {
                for (i, nx) in next.iter_mut().enumerate() {
                    let weight = weights[o * n_in + i];
                    let term = scaled(weight) * vo;
                    if term < f64::MIN_POSITIVE && weight != 0.0 && vo != 0.0 {
                        path_sound = false;
                    }
                    *nx += term;
                }
            }
            let next_largest = next.iter().fold(0.0f64, |m, &x| m.max(x));
            if next_largest == 0.0 {
                if path_sound {
                    // Every path has a zero weight: f is constant.
                    return 0.0;
                }
                continue;
            }
            let e = binary_exponent(next_largest);
            next.iter_mut()
                .for_each(|x| *x = times_power_of_two(*x, -e));
            v = next;
            v_exponent += k + e;
        }
        let bound = if path_sound {
            let path_norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
            frobenius.min(Scaled::ONE.times(path_norm).times_power_of_two(v_exponent))
        } else {
            frobenius
        };
        bound
            .times(1.0 + BOUND_ULPS_PER_TERM * (terms + 2.0) * EPS)
            .rounded_up()
    }

    /// The gradient penalty
    /// `P = (1/B) sum_b lambda (||grad_x f(x_hat_b)|| - 1)^2` over the `B`
    /// rows of `x_hat`, and, when `param_grad` is given, its exact gradient
    /// in the parameters written there (flat layout of [`Mlp`]). See the
    /// [module documentation](self) for the second-order pass.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `lambda >= 0` is finite;
    /// [`Error::Empty`] for no rows; [`Error::LengthMismatch`] when `x_hat`
    /// has another width than the input or `param_grad` another length than
    /// the parameters; [`Error::EntryNotANumber`] / [`Error::EntryInfinite`]
    /// for a bad input.
    ///
    /// # Example
    /// The value is the mean of [`wgan::gradient_penalty`](crate::variants::wgan::gradient_penalty)
    /// over the rows' input gradients, and the parameter gradient matches
    /// central differences of the value to `1e-6`:
    /// ```
    /// use gan_theory::critic::Critic;
    /// use gan_theory::mlp::Activation;
    /// use gan_theory::nalgebra::DMatrix;
    /// use gan_theory::variants::wgan;
    /// let critic = Critic::new(&[2, 6, 1], Activation::Tanh, 11)?;
    /// let x_hat = DMatrix::from_row_slice(3, 2, &[0.2, -0.4, 1.0, 0.5, -1.5, 0.3]);
    /// let lambda = 10.0;
    /// let mut grad = vec![0.0; critic.num_params()];
    /// let penalty = critic.gradient_penalty(&x_hat, lambda, Some(&mut grad[..]))?;
    /// let g = critic.input_gradients(&x_hat)?;
    /// let mut mean = 0.0;
    /// for row in g.row_iter() {
    ///     mean += wgan::gradient_penalty(&[row[0], row[1]], lambda)? / 3.0;
    /// }
    /// assert!((penalty - mean).abs() < 1e-12);
    /// let h = 1e-5;
    /// for k in 0..critic.num_params() {
    ///     let (mut plus, mut minus) = (critic.clone(), critic.clone());
    ///     plus.params_mut()[k] += h;
    ///     minus.params_mut()[k] -= h;
    ///     let numeric = (plus.gradient_penalty(&x_hat, lambda, None)?
    ///         - minus.gradient_penalty(&x_hat, lambda, None)?)
    ///         / (2.0 * h);
    ///     assert!((grad[k] - numeric).abs() < 1e-6);
    /// }
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn gradient_penalty(
        &self,
        x_hat: &DMatrix<f64>,
        lambda: f64,
        param_grad: Option<&mut [f64]>,
    ) -> Result<f64> {
        if !(lambda.is_finite() && lambda >= 0.0) {
            return Err(Error::InvalidParameter {
                name: "lambda",
                value: lambda,
                requirement: "the penalty weight must be finite and >= 0",
            });
        }
        check_same_length(x_hat.ncols(), self.input_dim())?;
        if x_hat.nrows() == 0 {
            return Err(Error::Empty);
        }
        check_matrix_finite(x_hat)?;
        if let Some(g) = param_grad.as_deref() {
            check_same_length(g.len(), self.num_params())?;
        }
        Ok(penalty_pass(&self.net, x_hat, lambda, 1.0, param_grad))
    }
}

/// The second-order pass on validated input, for the penalty
/// `(1/B) sum_b lambda (||grad_x f(x_b)|| - target)^2` of the network's
/// (single) output: `target = 1` is the WGAN-GP penalty, `target = 0` with
/// `lambda = gamma / 2` the R1 penalty of Mescheder et al. (2018).
pub(crate) fn penalty_pass(
    net: &Mlp,
    x: &DMatrix<f64>,
    lambda: f64,
    target: f64,
    param_grad: Option<&mut [f64]>,
) -> f64 {
    let widths = net.widths();
    let activation = net.activation();
    let params = net.params().as_slice();
    let offsets = layer_offsets(widths);
    let layers = offsets.len();
    let batch = x.nrows();
    let weights: Vec<DMatrix<f64>> = offsets
        .iter()
        .enumerate()
        .map(|(l, &(w, _))| {
            let (n_in, n_out) = (widths[l], widths[l + 1]);
            DMatrix::from_row_slice(n_out, n_in, &params[w..w + n_in * n_out])
        })
        .collect();

    // Forward: acts[l] is the input of layer l; f'(z_l), f''(z_l) for hidden l.
    let mut acts = vec![x.clone()];
    let (mut slope, mut curvature) = (Vec::new(), Vec::new());
    for l in 0..layers - 1 {
        let mut z = &acts[l] * weights[l].transpose();
        let bias = &params[offsets[l].1..offsets[l].1 + widths[l + 1]];
        for (o, mut column) in z.column_iter_mut().enumerate() {
            column.add_scalar_mut(bias[o]);
        }
        let (a, d1, d2) = activate(activation, &z);
        acts.push(a);
        slope.push(d1);
        curvature.push(d2);
    }

    // Backward to the input: deltas[l] = df/dz_l, s[l] = df/d acts[l].
    let mut deltas = vec![DMatrix::zeros(0, 0); layers];
    let mut s = vec![DMatrix::zeros(0, 0); layers];
    deltas[layers - 1] = DMatrix::from_element(batch, 1, 1.0);
    for l in (0..layers).rev() {
        s[l] = &deltas[l] * &weights[l];
        if l > 0 {
            deltas[l - 1] = s[l].component_mul(&slope[l - 1]);
        }
    }

    // The penalty and dP/dg, row by row (g_b = row b of s[0]).
    let dim = widths[0];
    let scale = 1.0 / batch as f64;
    let mut s_bar = DMatrix::zeros(batch, dim);
    let (mut g_row, mut out_row) = (vec![0.0; dim], vec![0.0; dim]);
    let mut total = 0.0;
    for b in 0..batch {
        for k in 0..dim {
            g_row[k] = s[0][(b, k)];
        }
        total += penalty_term(&g_row, lambda, target, scale, &mut out_row);
        for k in 0..dim {
            s_bar[(b, k)] = out_row[k];
        }
    }
    let penalty = scale * total;
    let Some(grad) = param_grad else {
        return penalty;
    };
    grad.iter_mut().for_each(|g| *g = 0.0);

    // Up: reverse through the backward pass, layer 0 first.
    let mut z_bar: Vec<DMatrix<f64>> = Vec::with_capacity(layers - 1);
    for l in 0..layers {
        let w_bar = deltas[l].transpose() * &s_bar;
        add_into(&mut grad[offsets[l].0..], w_bar.transpose().as_slice());
        if l + 1 < layers {
            let delta_bar = &s_bar * &weights[l].transpose();
            s_bar = delta_bar.component_mul(&slope[l]);
            let mut zb = delta_bar.component_mul(&s[l + 1]);
            zb.component_mul_assign(&curvature[l]);
            z_bar.push(zb);
        }
    }

    // Down: reverse through the forward pass, with z_bar injected.
    let mut a_bar: Option<DMatrix<f64>> = None;
    for l in (0..layers - 1).rev() {
        let mut total_bar = z_bar[l].clone();
        if let Some(ab) = &a_bar {
            total_bar += ab.component_mul(&slope[l]);
        }
        let w_bar = total_bar.transpose() * &acts[l];
        add_into(&mut grad[offsets[l].0..], w_bar.transpose().as_slice());
        let b_off = offsets[l].1;
        for (o, column) in total_bar.column_iter().enumerate() {
            grad[b_off + o] += column.sum();
        }
        if l > 0 {
            a_bar = Some(&total_bar * &weights[l]);
        }
    }
    penalty
}

/// `grad[k] += values[k]` for the leading entries.
fn add_into(grad: &mut [f64], values: &[f64]) {
    for (g, v) in grad.iter_mut().zip(values) {
        *g += v;
    }
}

/// `(weights offset, bias offset)` of each layer in the flat layout of [`Mlp`].
fn layer_offsets(widths: &[usize]) -> Vec<(usize, usize)> {
    let mut offset = 0;
    widths
        .windows(2)
        .map(|pair| {
            let w = offset;
            let b = w + pair[0] * pair[1];
            offset = b + pair[1];
            (w, b)
        })
        .collect()
}

/// `(f(z), f'(z), f''(z))` entrywise, with `f'` read off `a = f(z)` as
/// [`Mlp`]'s backward pass does.
fn activate(f: Activation, z: &DMatrix<f64>) -> (DMatrix<f64>, DMatrix<f64>, DMatrix<f64>) {
    let mut a = z.clone();
    let mut d1 = z.clone();
    let mut d2 = DMatrix::zeros(z.nrows(), z.ncols());
    match f {
        Activation::Tanh => {
            a.apply(|v| *v = tanh(*v));
            d1.zip_apply(&a, |d, t| *d = 1.0 - t * t);
            d2.zip_zip_apply(&a, &d1, |c, t, s| *c = -2.0 * t * s);
        }
        Activation::Relu => {
            a.apply(|v| *v = if *v < 0.0 { 0.0 } else { *v });
            d1.zip_apply(&a, |d, t| *d = if t > 0.0 { 1.0 } else { 0.0 });
        }
        Activation::LeakyRelu { slope } => {
            a.apply(|v| *v = if *v < 0.0 { slope * *v } else { *v });
            d1.zip_apply(&a, |d, t| *d = if t > 0.0 { 1.0 } else { slope });
        }
    }
    (a, d1, d2)
}

fn check_clip(c: f64) -> Result<()> {
    if !(c.is_finite() && c > 0.0) {
        return Err(Error::InvalidParameter {
            name: "c",
            value: c,
            requirement: "the clipping bound must be finite and > 0",
        });
    }
    Ok(())
}

fn check_matrix_finite(x: &DMatrix<f64>) -> Result<()> {
    for row in 0..x.nrows() {
        for column in 0..x.ncols() {
            let value = x[(row, column)];
            if value.is_nan() {
                return Err(Error::EntryNotANumber { row, column });
            }
            if value.is_infinite() {
                return Err(Error::EntryInfinite { row, column, value });
            }
        }
    }
    Ok(())
}

/// The Lipschitz constant that clipping to `[-c, c]` guarantees for every
/// critic of these widths: `prod_l c sqrt(n_{l-1} n_l)` (each `||W_l||_F`
/// is at most `c sqrt(n_{l-1} n_l)`, every activation is 1-Lipschitz),
/// raised by the same rounding margin as [`Critic::lipschitz_bound`].
///
/// Checked by claim [D1](crate::proofs::d1_wgan).
///
/// # Errors
/// [`Error::InvalidParameter`] unless `c > 0` is finite and there are at
/// least two positive widths.
///
/// # Example
/// ```
/// use gan_theory::critic::clipping_lipschitz_bound;
/// // [1, 16, 1] clipped at 0.1: 0.1 * 4 * 0.1 * 4 = 0.16.
/// // (raised by its rounding margin of a few ulps per term)
/// assert!((clipping_lipschitz_bound(&[1, 16, 1], 0.1)? - 0.16).abs() < 1e-12);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn clipping_lipschitz_bound(widths: &[usize], c: f64) -> Result<f64> {
    check_clip(c)?;
    if widths.len() < 2 || widths.contains(&0) {
        return Err(Error::InvalidParameter {
            name: "widths",
            value: widths.len() as f64,
            requirement: "at least an input and an output width, all positive",
        });
    }
    let mut bound = Scaled::ONE;
    let mut terms = 0.0;
    for pair in widths.windows(2) {
        bound = bound.times(c).times(((pair[0] * pair[1]) as f64).sqrt());
        terms += (pair[0] * pair[1] + pair[1]) as f64;
    }
    Ok(bound
        .times(1.0 + BOUND_ULPS_PER_TERM * (terms + 2.0) * EPS)
        .rounded_up())
}

/// A positive number `mantissa 2^exponent`, the mantissa kept in `[1, 2)`
/// by exact rescaling, so that a product of many factors neither
/// underflows nor overflows before [`Scaled::rounded_up`].
#[derive(Debug, Clone, Copy, PartialEq)]
struct Scaled {
    mantissa: f64,
    exponent: i64,
}

impl Scaled {
    const ONE: Self = Self {
        mantissa: 1.0,
        exponent: 0,
    };

    /// `self x` for a finite `x > 0` (rounded once, in the mantissa).
    fn times(self, x: f64) -> Self {
        let k = binary_exponent(x);
        let product = self.mantissa * times_power_of_two(x, -k);
        let e = binary_exponent(product);
        Self {
            mantissa: times_power_of_two(product, -e),
            exponent: self.exponent + k + e,
        }
    }

    /// `self 2^k`, exactly.
    fn times_power_of_two(self, k: i64) -> Self {
        Self {
            mantissa: self.mantissa,
            exponent: self.exponent + k,
        }
    }

    fn min(self, other: Self) -> Self {
        if (self.exponent, self.mantissa) <= (other.exponent, other.mantissa) {
            self
        } else {
            other
        }
    }

    /// The value as an `f64` not below it: exact in the normal range,
    /// `+inf` above it, `f64::MIN_POSITIVE` below it.
    fn rounded_up(self) -> f64 {
        if self.exponent > f64::MAX_EXP as i64 - 1 {
            f64::INFINITY
        } else if self.exponent < f64::MIN_EXP as i64 - 1 {
            f64::MIN_POSITIVE
        } else {
            times_power_of_two(self.mantissa, self.exponent)
        }
    }
}

/// `floor(log2 x)` for a finite `x > 0` (subnormals included), from the bits.
pub(crate) fn binary_exponent(x: f64) -> i64 {
    let (x, lift) = if x < f64::MIN_POSITIVE {
        (x * TWO_POW_64, 64)
    } else {
        (x, 0)
    };
    ((x.to_bits() >> 52) & 0x7ff) as i64 - 1023 - lift
}

/// 2^64, to lift a subnormal into the normal range exactly.
const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;

/// `x 2^k` by steps of at most `2^±1000` (each a normal power of two), exact
/// whenever the result and every step stay in the normal range.
pub(crate) fn times_power_of_two(mut x: f64, mut k: i64) -> f64 {
    const STEP: i64 = 1000;
    while k != 0 {
        let step = k.clamp(-STEP, STEP);
        x *= f64::from_bits(((step + 1023) as u64) << 52);
        k -= step;
    }
    x
}
