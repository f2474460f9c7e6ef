//! The minimax game of Goodfellow et al. (2014) on a finite support.
//!
//! Serves claims [A1](crate::proofs::a1_value_function), [A2](crate::proofs::a2_pointwise_lemma),
//! [A3](crate::proofs::a3_optimal_discriminator), [A4](crate::proofs::a4_global_optimum),
//! [A7](crate::proofs::a7_non_saturating).
//!
//! For a discriminator `D` with values in `[0, 1]` and distributions
//! `p_data`, `p_g` on the same support,
//!
//! ```text
//! V(D, G) = E_{x~p_data}[ln D(x)] + E_{x~p_g}[ln(1 - D(x))]
//! D*(x)   = p_data(x) / (p_data(x) + p_g(x))            (Proposition 1)
//! C(G)    = max_D V(D, G) = V(D*, G) = -ln 4 + 2 JSD(p_data || p_g)   (Theorem 1)
//! ```
//!
//! A [`Discriminator`] is held either as probabilities or as logits
//! (`D = sigma(l)`); `ln D` and `ln(1 - D)` are taken from whichever form was
//! given, through `ln`/`ln_1p` or softplus, so that a logit of -800 gives
//! `ln D = -800` rather than `ln 0 = -inf`.

use crate::error::{Error, Result};
use crate::measure::{Discrete, same_len};
use crate::numeric::{CompensatedSum, ln_share};
/// The logistic function and `ln(1 + e^x)`, in the forms the game uses
/// (`D = sigmoid(logit)`; `-ln D = softplus(-logit)`).
pub use crate::numeric::{sigmoid, softplus};
use rand::Rng;

/// A discriminator on a finite support: one value `D(x)` in `[0, 1]` per point.
///
/// Checked by claims [A1](crate::proofs::a1_value_function),
/// [A2](crate::proofs::a2_pointwise_lemma), [A3](crate::proofs::a3_optimal_discriminator),
/// [A4](crate::proofs::a4_global_optimum).
///
/// # Example
/// ```
/// use gan_theory::Discriminator;
/// let d = Discriminator::from_logits(vec![0.0, -800.0])?;
/// assert_eq!(d.probability(0), 0.5);
/// assert_eq!(d.ln_d(1), -800.0);          // exact, where ln(sigma(-800)) would be ln 0
/// assert!(Discriminator::from_probabilities(vec![0.5, 1.5]).is_err());
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    form: Form,
}

#[derive(Debug, Clone, PartialEq)]
enum Form {
    Probabilities(Vec<f64>),
    Logits(Vec<f64>),
}

impl Discriminator {
    /// From values `D(x)` in `[0, 1]` (0 and 1 included).
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::NotANumber`], [`Error::OutOfRange`].
    pub fn from_probabilities(values: Vec<f64>) -> Result<Self> {
        if values.is_empty() {
            return Err(Error::Empty);
        }
        crate::measure::check_unit_interval(&values)?;
        Ok(Self {
            form: Form::Probabilities(values),
        })
    }

    /// From logits `l(x)`, `D(x) = sigma(l(x)) = 1 / (1 + e^-l(x))`.
    /// `+inf` (D = 1) and `-inf` (D = 0) are accepted.
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::NotANumber`].
    pub fn from_logits(logits: Vec<f64>) -> Result<Self> {
        if logits.is_empty() {
            return Err(Error::Empty);
        }
        if let Some(index) = logits.iter().position(|l| l.is_nan()) {
            return Err(Error::NotANumber { index });
        }
        Ok(Self {
            form: Form::Logits(logits),
        })
    }

    /// Number of support points.
    pub fn len(&self) -> usize {
        match &self.form {
            Form::Probabilities(v) | Form::Logits(v) => v.len(),
        }
    }

    /// Always false: a discriminator has at least one point.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `D(x_i)`.
    pub fn probability(&self, i: usize) -> f64 {
        match &self.form {
            Form::Probabilities(v) => v[i],
            Form::Logits(v) => sigmoid(v[i]),
        }
    }

    /// The logit `ln(D / (1 - D))` at `x_i` (`±inf` at D = 1 or 0).
    pub fn logit(&self, i: usize) -> f64 {
        match &self.form {
            Form::Probabilities(v) => v[i].ln() - (-v[i]).ln_1p(),
            Form::Logits(v) => v[i],
        }
    }

    /// `ln D(x_i)`, in `[-inf, 0]`.
    pub fn ln_d(&self, i: usize) -> f64 {
        match &self.form {
            Form::Probabilities(v) => v[i].ln(),
            Form::Logits(v) => -softplus(-v[i]),
        }
    }

    /// `ln(1 - D(x_i))`, in `[-inf, 0]`.
    pub fn ln_one_minus_d(&self, i: usize) -> f64 {
        match &self.form {
            Form::Probabilities(v) => (-v[i]).ln_1p(),
            Form::Logits(v) => -softplus(v[i]),
        }
    }

    /// All values `D(x_i)` as a vector.
    pub fn probabilities(&self) -> Vec<f64> {
        (0..self.len()).map(|i| self.probability(i)).collect()
    }
}

fn same_len_d(p: &Discrete, d: &Discriminator) -> Result<()> {
    crate::error::check_same_length(p.len(), d.len())
}

/// The value function `V(D, G) = sum_x p_data(x) ln D(x) + sum_x p_g(x) ln(1 - D(x))`.
///
/// Points of zero mass contribute 0 whatever D is there (`0 ln 0 = 0`); the
/// value is `-inf` when D is 0 on a point of `p_data`'s support or 1 on a point
/// of `p_g`'s.
///
/// Checked by claims [A1](crate::proofs::a1_value_function),
/// [A2](crate::proofs::a2_pointwise_lemma), [A3](crate::proofs::a3_optimal_discriminator).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::{Discrete, Discriminator, game::value};
/// let p = Discrete::new(vec![0.5, 0.5])?;
/// let d = Discriminator::from_probabilities(vec![0.5, 0.5])?;
/// // D = 1/2 everywhere scores ln(1/2) + ln(1/2) = -ln 4 against any G.
/// assert!((value(&p, &p, &d)? + 4f64.ln()).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn value(p_data: &Discrete, p_g: &Discrete, d: &Discriminator) -> Result<f64> {
    same_len(p_data, p_g)?;
    same_len_d(p_data, d)?;
    let mut s = CompensatedSum::new();
    for i in 0..d.len() {
        let (a, b) = (p_data[i], p_g[i]);
        if a > 0.0 {
            s.add(a * d.ln_d(i));
        }
        if b > 0.0 {
            s.add(b * d.ln_one_minus_d(i));
        }
    }
    Ok(s.value())
}

/// The optimal discriminator of Proposition 1 as logits:
/// `l*(x) = ln p_data(x) - ln p_g(x)`, i.e. `D*(x) = p_data(x) / (p_data(x) + p_g(x))`.
///
/// Off the union of the supports (`p_data(x) = p_g(x) = 0`) D* is not
/// determined: V does not depend on D there. This function puts logit 0
/// (D = 1/2) there, the value D* takes wherever the two distributions agree;
/// [`d_star`] reports those points as `None` instead.
///
/// Checked by claim [A3](crate::proofs::a3_optimal_discriminator).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::{Discrete, game::optimal_discriminator};
/// let p_data = Discrete::new(vec![0.75, 0.25, 0.0])?;
/// let p_g = Discrete::new(vec![0.25, 0.25, 0.5])?;
/// let d = optimal_discriminator(&p_data, &p_g)?;
/// assert!((d.probability(0) - 0.75).abs() < 1e-15);   // 0.75 / (0.75 + 0.25)
/// assert_eq!(d.probability(1), 0.5);                   // p_data = p_g there
/// assert_eq!(d.probability(2), 0.0);                   // only p_g has mass
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn optimal_discriminator(p_data: &Discrete, p_g: &Discrete) -> Result<Discriminator> {
    same_len(p_data, p_g)?;
    let logits = p_data
        .as_slice()
        .iter()
        .zip(p_g.as_slice())
        .map(|(&a, &b)| match (a > 0.0, b > 0.0) {
            (false, false) => 0.0,
            (true, false) => f64::INFINITY,
            (false, true) => f64::NEG_INFINITY,
            (true, true) => a.ln() - b.ln(),
        })
        .collect();
    Discriminator::from_logits(logits)
}

/// `D*(x) = p_data(x) / (p_data(x) + p_g(x))` per point, `None` where both are 0
/// (D* is undetermined there).
///
/// Computed through ratios in `[0, 1]`, so that subnormal masses give the right
/// value (for `p_data = 5e-324`, `p_g = 0` it is 1, not `0/0`) to a few ulps.
///
/// Checked by claim [A3](crate::proofs::a3_optimal_discriminator).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::{Discrete, game::d_star};
/// let p_data = Discrete::new(vec![0.6, 0.4, 0.0])?;
/// let p_g = Discrete::new(vec![0.2, 0.4, 0.4])?;
/// let d = d_star(&p_data, &p_g)?;
/// assert!((d[0].unwrap() - 0.75).abs() < 1e-15);   // 0.6 / (0.6 + 0.2)
/// assert_eq!(d[1], Some(0.5));                      // p_data = p_g there
/// assert_eq!(d[2], Some(0.0));                      // only p_g has mass
/// let off_support = d_star(&Discrete::new(vec![1.0, 0.0])?, &Discrete::new(vec![1.0, 0.0])?)?;
/// assert_eq!(off_support[1], None);                 // neither has mass: undetermined
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn d_star(p_data: &Discrete, p_g: &Discrete) -> Result<Vec<Option<f64>>> {
    same_len(p_data, p_g)?;
    Ok(p_data
        .as_slice()
        .iter()
        .zip(p_g.as_slice())
        .map(|(&a, &b)| {
            if a > 0.0 || b > 0.0 {
                Some(share(a, b))
            } else {
                None
            }
        })
        .collect())
}

/// `C(G) = max_D V(D, G) = V(D*, G)`, evaluated directly from D* (not through
/// the JSD identity of Theorem 1, which the tests check against it).
///
/// Checked by claims [A4](crate::proofs::a4_global_optimum), [B3](crate::proofs::b3_js_identity),
/// [D4](crate::proofs::d4_conditional_gan), [D5](crate::proofs::d5_f_gan).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::{Discrete, game::c_of_g};
/// let p_data = Discrete::new(vec![0.5, 0.5, 0.0])?;
/// let p_g = Discrete::new(vec![0.0, 0.5, 0.5])?;
/// assert!((c_of_g(&p_data, &p_g)? + 2f64.ln()).abs() < 1e-15);   // C(G) = -ln 2
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn c_of_g(p_data: &Discrete, p_g: &Discrete) -> Result<f64> {
    same_len(p_data, p_g)?;
    let mut s = CompensatedSum::new();
    for (&a, &b) in p_data.as_slice().iter().zip(p_g.as_slice()) {
        // a ln D* + b ln(1 - D*), D* = a/(a+b), with 0 ln 0 = 0.
        if a > 0.0 {
            s.add(a * ln_share(a, b));
        }
        if b > 0.0 {
            s.add(b * ln_share(b, a));
        }
    }
    // C(G) lies in [-ln 4, 0]; rounding can leave it an ulp outside.
    Ok(s.value().clamp(-(4f64.ln()), 0.0))
}

/// The pointwise objective of the lemma behind Proposition 1:
/// `f(y) = a ln y + b ln(1 - y)` for `y` in `[0, 1]`, with `0 ln 0 = 0`.
///
/// Checked by claim [A2](crate::proofs::a2_pointwise_lemma).
///
/// # Example
/// ```
/// use gan_theory::game::{pointwise_argmax, pointwise_objective};
/// let (a, b) = (1.0, 3.0);
/// let y = pointwise_argmax(a, b)?;                       // 1/4
/// // f(1/4) = ln(1/4) + 3 ln(3/4), and no other y does better.
/// let best = pointwise_objective(a, b, y);
/// assert!((best - (0.25f64.ln() + 3.0 * 0.75f64.ln())).abs() < 1e-14);
/// assert!(pointwise_objective(a, b, 0.2) < best && pointwise_objective(a, b, 0.3) < best);
/// assert_eq!(pointwise_objective(0.0, 1.0, 0.0), 0.0);   // 0 ln 0 = 0
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn pointwise_objective(a: f64, b: f64, y: f64) -> f64 {
    let left = if a == 0.0 { 0.0 } else { a * y.ln() };
    let right = if b == 0.0 { 0.0 } else { b * (-y).ln_1p() };
    left + right
}

/// The maximiser `a / (a + b)` of [`pointwise_objective`] on `[0, 1]`.
///
/// Checked by claim [A2](crate::proofs::a2_pointwise_lemma).
///
/// # Errors
/// [`Error::InvalidParameter`] unless `a, b >= 0` are finite and not both 0.
///
/// # Example
/// ```
/// use gan_theory::game::pointwise_argmax;
/// assert_eq!(pointwise_argmax(1.0, 3.0)?, 0.25);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn pointwise_argmax(a: f64, b: f64) -> Result<f64> {
    for (name, value) in [("a", a), ("b", b)] {
        if !(value.is_finite() && value >= 0.0) {
            return Err(Error::InvalidParameter {
                name,
                value,
                requirement: "must be finite and >= 0",
            });
        }
    }
    if a == 0.0 && b == 0.0 {
        return Err(Error::InvalidParameter {
            name: "a + b",
            value: 0.0,
            requirement: "a and b must not both be 0",
        });
    }
    Ok(share(a, b))
}

/// `a / (a + b)` for `a, b >= 0` not both 0, through ratios in `[0, 1]`:
/// `a + b` can overflow, and a subnormal `a` beside `b = 0` must give 1.
fn share(a: f64, b: f64) -> f64 {
    if a >= b {
        1.0 / (1.0 + b / a)
    } else {
        let r = a / b;
        r / (1.0 + r)
    }
}

/// The saturating generator loss `ln(1 - D(G(z)))` (which G minimises), as a
/// function of D's logit `l`: `-softplus(l)`.
///
/// Checked by claim [A7](crate::proofs::a7_non_saturating).
///
/// # Example
/// ```
/// use gan_theory::game::saturating_loss;
/// assert!((saturating_loss(0.0) + 2f64.ln()).abs() < 1e-15);   // ln(1 - 1/2)
/// // D(G(z)) = sigma(-40) ≈ 4e-18: the loss is ≈ -4e-18, flat where G most needs to move.
/// assert!(saturating_loss(-40.0).abs() < 1e-17);
/// ```
pub fn saturating_loss(logit: f64) -> f64 {
    -softplus(logit)
}

/// `d/dl ln(1 - sigma(l)) = -sigma(l)`: vanishes as D(G(z)) -> 0 (l -> -inf).
///
/// Checked by claim [A7](crate::proofs::a7_non_saturating).
///
/// # Example
/// ```
/// use gan_theory::game::saturating_loss_grad;
/// assert_eq!(saturating_loss_grad(0.0), -0.5);
/// assert!(saturating_loss_grad(-40.0).abs() < 1e-17);   // -sigma(-40) ≈ -4e-18: saturated
/// ```
pub fn saturating_loss_grad(logit: f64) -> f64 {
    -sigmoid(logit)
}

/// The non-saturating generator loss `-ln D(G(z))` (which G minimises), as a
/// function of D's logit `l`: `softplus(-l)`.
///
/// Checked by claim [A7](crate::proofs::a7_non_saturating).
///
/// # Example
/// ```
/// use gan_theory::game::non_saturating_loss;
/// assert!((non_saturating_loss(0.0) - 2f64.ln()).abs() < 1e-15);   // -ln(1/2)
/// // D(G(z)) = sigma(-40): -ln D = softplus(40) = 40 + ln(1 + e^-40).
/// assert!((non_saturating_loss(-40.0) - 40.0).abs() < 1e-15);
/// ```
pub fn non_saturating_loss(logit: f64) -> f64 {
    softplus(-logit)
}

/// `d/dl (-ln sigma(l)) = -(1 - sigma(l)) = -sigma(-l)`: tends to -1 as
/// D(G(z)) -> 0, so G keeps a gradient when D rejects its samples.
///
/// Checked by claim [A7](crate::proofs::a7_non_saturating).
///
/// # Example
/// ```
/// use gan_theory::game::non_saturating_loss_grad;
/// assert_eq!(non_saturating_loss_grad(0.0), -0.5);
/// assert!((non_saturating_loss_grad(-40.0) + 1.0).abs() < 1e-15);   // -> -1: not saturated
/// ```
pub fn non_saturating_loss_grad(logit: f64) -> f64 {
    -sigmoid(-logit)
}

/// Which loss the generator descends: the minimax game's own term, or the
/// paper's practical alternative (Goodfellow et al. 2014, Section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GeneratorLoss {
    /// `ln(1 - D(G(z)))` ([`saturating_loss`]); its gradient in D's logit
    /// vanishes as `D(G(z)) -> 0`.
    Saturating,
    /// `-ln D(G(z))` ([`non_saturating_loss`]); its gradient in D's logit
    /// tends to -1 as `D(G(z)) -> 0`.
    #[default]
    NonSaturating,
}

impl GeneratorLoss {
    /// The loss a generated sample at support point `i` costs against `d`:
    /// `ln(1 - D(x_i))` or `-ln D(x_i)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discriminator, game::GeneratorLoss};
    /// let d = Discriminator::from_probabilities(vec![0.5])?;
    /// assert_eq!(GeneratorLoss::Saturating.point_cost(&d, 0), 0.5f64.ln());
    /// assert_eq!(GeneratorLoss::NonSaturating.point_cost(&d, 0), -(0.5f64.ln()));
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn point_cost(self, d: &Discriminator, i: usize) -> f64 {
        match self {
            GeneratorLoss::Saturating => d.ln_one_minus_d(i),
            GeneratorLoss::NonSaturating => -d.ln_d(i),
        }
    }
}

/// A Monte Carlo estimate of V with its standard error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueEstimate {
    /// `(1/m) sum ln D(x_i) + (1/m) sum ln(1 - D(G(z_i)))`.
    pub value: f64,
    /// `sqrt(s_real^2 / m_real + s_fake^2 / m_fake)` with the unbiased sample
    /// variances; `+inf` when `value` is `-inf`.
    pub std_error: f64,
    /// Number of data samples.
    pub m_real: usize,
    /// Number of generated samples.
    pub m_fake: usize,
}

/// The minibatch estimator of Algorithm 1 from D's logits at the data samples
/// `x_1..x_m` and at the generated samples `G(z_1)..G(z_m)`.
///
/// Unbiased for V(D, G), with variance
/// `Var_{p_data}[ln D] / m_real + Var_{p_g}[ln(1 - D)] / m_fake`.
///
/// Checked by claim [A1](crate::proofs::a1_value_function).
///
/// # Errors
/// [`Error::InvalidParameter`] when either side has fewer than 2 samples
/// (no standard error can be formed), [`Error::NotANumber`] for a NaN logit
/// (index into the concatenation real ++ fake).
///
/// # Example
/// ```
/// use gan_theory::game::estimate_value;
/// let est = estimate_value(&[0.0, 0.0], &[0.0, 0.0])?;
/// assert!((est.value + 4f64.ln()).abs() < 1e-15);
/// assert_eq!(est.std_error, 0.0);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn estimate_value(real_logits: &[f64], fake_logits: &[f64]) -> Result<ValueEstimate> {
    for (name, side) in [("m_real", real_logits), ("m_fake", fake_logits)] {
        if side.len() < 2 {
            return Err(Error::InvalidParameter {
                name,
                value: side.len() as f64,
                requirement: "needs at least 2 samples for a standard error",
            });
        }
    }
    if let Some(index) = real_logits
        .iter()
        .chain(fake_logits)
        .position(|l| l.is_nan())
    {
        return Err(Error::NotANumber { index });
    }
    let (mean_r, var_r) = mean_and_variance(real_logits.iter().map(|&l| -softplus(-l)));
    let (mean_f, var_f) = mean_and_variance(fake_logits.iter().map(|&l| -softplus(l)));
    let value = mean_r + mean_f;
    let std_error = if value == f64::NEG_INFINITY {
        f64::INFINITY
    } else {
        (var_r / real_logits.len() as f64 + var_f / fake_logits.len() as f64).sqrt()
    };
    Ok(ValueEstimate {
        value,
        std_error,
        m_real: real_logits.len(),
        m_fake: fake_logits.len(),
    })
}

/// Mean and unbiased variance (Welford); `(-inf, inf)` if any term is `-inf`.
fn mean_and_variance(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut n, mut mean, mut m2) = (0.0, 0.0, 0.0);
    for x in values {
        if x == f64::NEG_INFINITY {
            return (f64::NEG_INFINITY, f64::INFINITY);
        }
        n += 1.0;
        let delta = x - mean;
        mean += delta / n;
        m2 += delta * (x - mean);
    }
    (mean, m2 / (n - 1.0))
}

/// Draws `m` points from `p_data` and `m` from `p_g` and applies
/// [`estimate_value`] with D's logits there: one minibatch of Algorithm 1
/// on a finite support, with `p_g` standing for the law of `G(z)`.
///
/// Checked by claim [A1](crate::proofs::a1_value_function).
///
/// # Errors
/// [`Error::LengthMismatch`], or [`Error::InvalidParameter`] when `m < 2`.
///
/// # Example
/// ```
/// use gan_theory::{Discrete, Discriminator, game::{sample_value, value}};
/// use gan_theory::rand::{SeedableRng, rngs::StdRng};
/// let p_data = Discrete::new(vec![0.5, 0.5])?;
/// let p_g = Discrete::new(vec![0.25, 0.75])?;
/// let d = Discriminator::from_probabilities(vec![0.8, 0.3])?;
/// let exact = value(&p_data, &p_g, &d)?;
/// let est = sample_value(&p_data, &p_g, &d, 10_000, &mut StdRng::seed_from_u64(7))?;
/// assert_eq!((est.m_real, est.m_fake), (10_000, 10_000));
/// // Unbiased with standard error sigma/sqrt(m): within 5 standard errors.
/// assert!((est.value - exact).abs() < 5.0 * est.std_error);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn sample_value<R: Rng + ?Sized>(
    p_data: &Discrete,
    p_g: &Discrete,
    d: &Discriminator,
    m: usize,
    rng: &mut R,
) -> Result<ValueEstimate> {
    same_len(p_data, p_g)?;
    same_len_d(p_data, d)?;
    let (data, generated) = (p_data.sampler(), p_g.sampler());
    let real: Vec<f64> = (0..m).map(|_| d.logit(data.sample(rng))).collect();
    let fake: Vec<f64> = (0..m).map(|_| d.logit(generated.sample(rng))).collect();
    estimate_value(&real, &fake)
}

/// The exact variance of one term pair of the estimator,
/// `Var_{p_data}[ln D] + Var_{p_g}[ln(1 - D)]`; the estimator with m samples
/// on each side has variance this divided by m. `+inf` when V is `-inf`.
///
/// Checked by claim [A1](crate::proofs::a1_value_function).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::{Discrete, Discriminator, game::value_term_variance};
/// let p_data = Discrete::new(vec![0.5, 0.5])?;
/// let p_g = Discrete::new(vec![0.0, 1.0])?;
/// let d = Discriminator::from_probabilities(vec![1.0, 0.5])?;
/// // ln D is 0 or -ln 2 with probability 1/2 each: variance (ln 2)^2 / 4;
/// // ln(1 - D) is -ln 2 surely: variance 0.
/// let expected = 2f64.ln().powi(2) / 4.0;
/// assert!((value_term_variance(&p_data, &p_g, &d)? - expected).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn value_term_variance(p_data: &Discrete, p_g: &Discrete, d: &Discriminator) -> Result<f64> {
    same_len(p_data, p_g)?;
    same_len_d(p_data, d)?;
    let var = |p: &Discrete, f: &dyn Fn(usize) -> f64| {
        let mean = p.expect(f);
        if mean == f64::NEG_INFINITY {
            return f64::INFINITY;
        }
        p.expect(|i| (f(i) - mean).powi(2))
    };
    Ok(var(p_data, &|i| d.ln_d(i)) + var(p_g, &|i| d.ln_one_minus_d(i)))
}
