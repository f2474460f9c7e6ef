//! Tabular models on a finite support `{0, ..., n-1}`, for exact checks.
//!
//! Serves claims [A5](crate::proofs::a5_convergence), [A6](crate::proofs::a6_algorithm1),
//! [A7](crate::proofs::a7_non_saturating), [A8](crate::proofs::a8_helvetica),
//! [A9](crate::proofs::a9_step_size), [D2](crate::proofs::d2_lsgan).
//!
//! - [`TabularDiscriminator`]: one logit `l_i` per support point,
//!   `D(x_i) = sigma(l_i)`.
//! - [`TabularGenerator`]: softmax logits `u_i`,
//!   `p_g(x_i) = e^{u_i} / sum_j e^{u_j}`, normalised through the log-sum-exp
//!   (the largest logit is subtracted first, so nothing overflows).
//!
//! Every expectation is a finite sum, so the value function, its gradients
//! and `C(G)` are exact up to rounding. The gradients used here:
//!
//! ```text
//! dV/dl_i             = p_data(x_i) sigma(-l_i) - p_g(x_i) sigma(l_i)
//! d/du_j E_{p_g}[f]   = p_g(x_j) (f(x_j) - E_{p_g}[f])          (softmax chain rule)
//! dC/dp_g(x)          = ln(p_g(x) / (p_data(x) + p_g(x))) = ln(1 - D*(x))
//! dC/du_j             = p_g(x_j) (ln(1 - D*(x_j)) - E_{p_g}[ln(1 - D*)])
//! ```
//!
//! The third line: with `a = p_data(x)`, `b = p_g(x)`, the term of `C` at `x`
//! is `a ln(a/(a+b)) + b ln(b/(a+b))`, whose derivative in `b` is
//! `-a/(a+b) + ln(b/(a+b)) + 1 - b/(a+b) = ln(b/(a+b))`. It equals the
//! derivative of `V(D, G)` in `p_g(x)` at `D = D*` held fixed (the envelope
//! theorem), which is why a generator step against `D*` is a step on `C`.
//!
//! This module is part of the models layer: it evaluates, it never optimises.

use crate::error::{Error, Result, check_same_length};
use crate::game::{self, Discriminator};
use crate::measure::{Discrete, same_len};
use crate::numeric::{CompensatedSum, ln_share, sigmoid};

/// Checks that `values` is non-empty and every entry is finite.
fn check_finite(values: &[f64]) -> Result<()> {
    if values.is_empty() {
        return Err(Error::Empty);
    }
    crate::measure::check_finite(values)
}

/// A discriminator with one free logit per support point: `D(x_i) = sigma(l_i)`.
///
/// Checked by claim [A6](crate::proofs::a6_algorithm1).
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::tabular::TabularDiscriminator;
/// let p_data = Discrete::new(vec![0.75, 0.25])?;
/// let p_g = Discrete::new(vec![0.25, 0.75])?;
/// let d = TabularDiscriminator::optimal(&p_data, &p_g)?;
/// assert!((d.probability(0) - 0.75).abs() < 1e-15);
/// // D* is a stationary point of V: the gradient vanishes.
/// assert!(d.value_gradient(&p_data, &p_g)?.iter().all(|g| g.abs() < 1e-15));
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TabularDiscriminator {
    logits: Vec<f64>,
}

impl TabularDiscriminator {
    /// From finite logits.
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::NotANumber`], [`Error::Infinite`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::tabular::TabularDiscriminator;
    /// // sigma(0) = 1/2, sigma(ln 3) = 3/4:
    /// let d = TabularDiscriminator::new(vec![0.0, 3f64.ln()])?;
    /// assert_eq!(d.probability(0), 0.5);
    /// assert!((d.probability(1) - 0.75).abs() < 1e-15);
    /// assert!(TabularDiscriminator::new(vec![0.0, f64::NAN]).is_err());
    /// assert!(TabularDiscriminator::new(vec![]).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(logits: Vec<f64>) -> Result<Self> {
        check_finite(&logits)?;
        Ok(Self { logits })
    }

    /// `D = 1/2` everywhere (all logits 0) on `n` points.
    ///
    /// # Errors
    /// [`Error::Empty`] when `n = 0`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::tabular::TabularDiscriminator;
    /// let d = TabularDiscriminator::half(3)?;
    /// assert_eq!(d.probability(1), 0.5);
    /// // V(1/2, G) = ln(1/2) + ln(1/2) = -ln 4 for every p_data and p_g.
    /// let (p, q) = (Discrete::new(vec![1.0, 0.0, 0.0])?, Discrete::uniform(3)?);
    /// assert!((d.value(&p, &q)? + 4f64.ln()).abs() < 1e-15);
    /// assert!(TabularDiscriminator::half(0).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn half(n: usize) -> Result<Self> {
        Self::new(vec![0.0; n])
    }

    /// The optimal discriminator `l*_i = ln p_data(x_i) - ln p_g(x_i)`
    /// (Proposition 1), when it has finite logits.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`]; [`Error::InvalidParameter`] (naming the
    /// first such point as its value) when some point has mass under only
    /// one of the two distributions: there `D*` is 0 or 1, an infinite
    /// logit, which [`game::optimal_discriminator`] represents and a tabular
    /// discriminator does not. A point where both are 0 gets logit 0.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::tabular::TabularDiscriminator;
    /// let p_data = Discrete::new(vec![0.6, 0.3, 0.1])?;
    /// let p_g = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// let d = TabularDiscriminator::optimal(&p_data, &p_g)?;
    /// // D*(x) = p_data(x) / (p_data(x) + p_g(x)):
    /// for i in 0..3 {
    ///     assert!((d.probability(i) - p_data[i] / (p_data[i] + p_g[i])).abs() < 1e-15);
    /// }
    /// // Mass under only one of the two: D* = 1 there, no finite logit.
    /// let only_data = Discrete::new(vec![0.5, 0.5, 0.0])?;
    /// let only_g = Discrete::new(vec![0.5, 0.0, 0.5])?;
    /// assert!(TabularDiscriminator::optimal(&only_data, &only_g).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn optimal(p_data: &Discrete, p_g: &Discrete) -> Result<Self> {
        same_len(p_data, p_g)?;
        let mut logits = Vec::with_capacity(p_data.len());
        for (i, (&a, &b)) in p_data.as_slice().iter().zip(p_g.as_slice()).enumerate() {
            logits.push(match (a > 0.0, b > 0.0) {
                (true, true) => a.ln() - b.ln(),
                (false, false) => 0.0,
                _ => {
                    return Err(Error::InvalidParameter {
                        name: "support point",
                        value: i as f64,
                        requirement: "p_data and p_g must both be positive or both 0 (D* has an infinite logit otherwise)",
                    });
                }
            });
        }
        Self::new(logits)
    }

    /// Number of support points.
    ///
    /// # Example
    /// ```
    /// use gan_theory::tabular::TabularDiscriminator;
    /// let d = TabularDiscriminator::new(vec![0.0, 1.0, -1.0])?;
    /// assert_eq!(d.len(), 3);
    /// assert_eq!(d.len(), d.discriminator().len());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.logits.len()
    }

    /// Always false: validated discriminators have at least one point.
    ///
    /// # Example
    /// ```
    /// use gan_theory::tabular::TabularDiscriminator;
    /// assert!(!TabularDiscriminator::half(1)?.is_empty());
    /// // There is no empty discriminator to ask about:
    /// assert!(TabularDiscriminator::new(vec![]).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.logits.is_empty()
    }

    /// The logits `l_i`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::tabular::TabularDiscriminator;
    /// // D*'s logits are ln p_data - ln p_g: ln 3 and -ln 3 here.
    /// let p_data = Discrete::new(vec![0.75, 0.25])?;
    /// let p_g = Discrete::new(vec![0.25, 0.75])?;
    /// let l = TabularDiscriminator::optimal(&p_data, &p_g)?.logits().to_vec();
    /// assert!((l[0] - 3f64.ln()).abs() < 1e-15 && (l[1] + 3f64.ln()).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn logits(&self) -> &[f64] {
        &self.logits
    }

    /// `D(x_i) = sigma(l_i)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::tabular::TabularDiscriminator;
    /// let d = TabularDiscriminator::new(vec![2.0, -2.0])?;
    /// // sigma(l) = 1 / (1 + e^{-l}), and sigma(l) + sigma(-l) = 1:
    /// assert!((d.probability(0) - 1.0 / (1.0 + (-2f64).exp())).abs() < 1e-15);
    /// assert!((d.probability(0) + d.probability(1) - 1.0).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn probability(&self, i: usize) -> f64 {
        sigmoid(self.logits[i])
    }

    /// The same discriminator as a [`game::Discriminator`] (logit form).
    ///
    /// # Example
    /// ```
    /// use gan_theory::tabular::TabularDiscriminator;
    /// let t = TabularDiscriminator::new(vec![-1.0, 50.0])?;
    /// let d = t.discriminator();
    /// assert_eq!((d.logit(0), d.logit(1)), (-1.0, 50.0));
    /// assert_eq!(d.probability(0), t.probability(0));
    /// // Kept in logit form: D(x_1) rounds to 1, yet ln(1 - D) = -softplus(50)
    /// // stays finite, about -50.
    /// assert_eq!(d.probability(1), 1.0);
    /// assert!((d.ln_one_minus_d(1) + 50.0).abs() < 1e-12);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn discriminator(&self) -> Discriminator {
        Discriminator::from_logits(self.logits.clone())
            .expect("validated logits are finite and non-empty")
    }

    /// The exact value `V(D, G) = E_{p_data}[ln D] + E_{p_g}[ln(1 - D)]`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, divergence};
    /// use gan_theory::tabular::TabularDiscriminator;
    /// let p_data = Discrete::new(vec![0.75, 0.25])?;
    /// let p_g = Discrete::new(vec![0.25, 0.75])?;
    /// // D = (3/4, 1/4): V = 0.75 ln 0.75 + 0.25 ln 0.25 + 0.25 ln 0.25 + 0.75 ln 0.75.
    /// let d = TabularDiscriminator::new(vec![3f64.ln(), -3f64.ln()])?;
    /// let by_hand = 1.5 * 0.75f64.ln() + 0.5 * 0.25f64.ln();
    /// assert!((d.value(&p_data, &p_g)? - by_hand).abs() < 1e-15);
    /// // That D is D*, so V = C(G) = -ln 4 + 2 JSD, above V at D = 1/2:
    /// let c = -4f64.ln() + 2.0 * divergence::js(&p_data, &p_g)?;
    /// assert!((d.value(&p_data, &p_g)? - c).abs() < 1e-15);
    /// assert!(TabularDiscriminator::half(2)?.value(&p_data, &p_g)? < c);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn value(&self, p_data: &Discrete, p_g: &Discrete) -> Result<f64> {
        game::value(p_data, p_g, &self.discriminator())
    }

    /// The exact gradient of `V` in the logits:
    /// `dV/dl_i = p_data(x_i) sigma(-l_i) - p_g(x_i) sigma(l_i)`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`].
    ///
    /// # Example
    /// Central differences of [`value`](Self::value), to `1e-9`:
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::tabular::TabularDiscriminator;
    /// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
    /// let q = Discrete::new(vec![0.1, 0.3, 0.6])?;
    /// let d = TabularDiscriminator::new(vec![0.4, -1.0, 2.0])?;
    /// let grad = d.value_gradient(&p, &q)?;
    /// let h = 1e-6;
    /// for i in 0..3 {
    ///     let mut e = vec![0.0; 3];
    ///     e[i] = 1.0;
    ///     let numeric = (d.moved(&e, h)?.value(&p, &q)? - d.moved(&e, -h)?.value(&p, &q)?) / (2.0 * h);
    ///     assert!((grad[i] - numeric).abs() < 1e-9);
    /// }
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn value_gradient(&self, p_data: &Discrete, p_g: &Discrete) -> Result<Vec<f64>> {
        same_len(p_data, p_g)?;
        check_same_length(p_data.len(), self.len())?;
        Ok(self
            .logits
            .iter()
            .zip(p_data.as_slice().iter().zip(p_g.as_slice()))
            .map(|(&l, (&a, &b))| a * sigmoid(-l) - b * sigmoid(l))
            .collect())
    }

    /// The gradient in the logits of Algorithm 1's minibatch estimate
    /// `(1/m) sum_k ln D(x_k) + (1/m') sum_k ln(1 - D(y_k))` for the data
    /// points `real` (indices `x_k`) and generated points `fake` (indices `y_k`).
    /// Its expectation is [`value_gradient`](Self::value_gradient).
    ///
    /// # Errors
    /// [`Error::Empty`] when either list is empty; [`Error::OutOfRange`]
    /// for an index `>= n` (its position in `real ++ fake`).
    ///
    /// # Example
    /// Minibatches whose frequencies are exactly `p_data` and `p_g` give the
    /// exact gradient:
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::tabular::TabularDiscriminator;
    /// let d = TabularDiscriminator::new(vec![0.3, -0.2])?;
    /// let (real, fake) = ([0, 0, 0, 1], [1, 0, 1, 1]);   // frequencies (3/4, 1/4), (1/4, 3/4)
    /// let p = Discrete::new(vec![0.75, 0.25])?;
    /// let q = Discrete::new(vec![0.25, 0.75])?;
    /// let estimate = d.minibatch_gradient(&real, &fake)?;
    /// for (a, b) in estimate.iter().zip(d.value_gradient(&p, &q)?) {
    ///     assert!((a - b).abs() < 1e-15);
    /// }
    /// assert!(d.minibatch_gradient(&[0, 2], &fake).is_err());  // index 2 of 2 points
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn minibatch_gradient(&self, real: &[usize], fake: &[usize]) -> Result<Vec<f64>> {
        if real.is_empty() || fake.is_empty() {
            return Err(Error::Empty);
        }
        let n = self.len();
        if let Some(index) = real.iter().chain(fake).position(|&i| i >= n) {
            let value = real.iter().chain(fake).nth(index).copied().unwrap_or(n) as f64;
            return Err(Error::OutOfRange {
                index,
                value,
                low: 0.0,
                high: (n - 1) as f64,
            });
        }
        let (mut real_counts, mut fake_counts) = (vec![0usize; n], vec![0usize; n]);
        real.iter().for_each(|&i| real_counts[i] += 1);
        fake.iter().for_each(|&i| fake_counts[i] += 1);
        let (m_real, m_fake) = (real.len() as f64, fake.len() as f64);
        Ok(self
            .logits
            .iter()
            .zip(real_counts.iter().zip(&fake_counts))
            .map(|(&l, (&r, &f))| r as f64 / m_real * sigmoid(-l) - f as f64 / m_fake * sigmoid(l))
            .collect())
    }

    /// The logits moved by `step` along `direction`: `l + step direction`
    /// (ascent when `direction` is a gradient of V and `step > 0`).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`], or the errors of [`new`](Self::new) when
    /// the result is not finite (a NaN or infinite step or direction).
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::tabular::TabularDiscriminator;
    /// let d = TabularDiscriminator::half(2)?;
    /// assert_eq!(d.moved(&[1.0, -2.0], 0.5)?.logits(), &[0.5, -1.0]);
    /// // A small ascent step along dV/dl raises V.
    /// let (p, q) = (Discrete::new(vec![0.9, 0.1])?, Discrete::new(vec![0.2, 0.8])?);
    /// let up = d.moved(&d.value_gradient(&p, &q)?, 0.1)?;
    /// assert!(up.value(&p, &q)? > d.value(&p, &q)?);
    /// assert!(d.moved(&[1.0], 0.5).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn moved(&self, direction: &[f64], step: f64) -> Result<Self> {
        check_same_length(self.len(), direction.len())?;
        Self::new(
            self.logits
                .iter()
                .zip(direction)
                .map(|(l, d)| l + step * d)
                .collect(),
        )
    }
}

/// A generator on a finite support given by softmax logits:
/// `p_g(x_i) = e^{u_i} / sum_j e^{u_j}`.
///
/// The logits are defined up to a common shift; nothing here depends on it.
///
/// Checked by claims [A5](crate::proofs::a5_convergence), [A7](crate::proofs::a7_non_saturating),
/// [A8](crate::proofs::a8_helvetica), [A9](crate::proofs::a9_step_size),
/// [D2](crate::proofs::d2_lsgan).
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::tabular::TabularGenerator;
/// let g = TabularGenerator::new(vec![1000.0, 1000.0, 0.0])?;   // no overflow
/// assert_eq!(g.distribution().as_slice(), &[0.5, 0.5, 0.0]);   // e^-1000 underflows
/// assert_eq!(g.log_probabilities()[2], -1000.0 - 2f64.ln());  // but its log does not
/// // C(G) is minimal, -ln 4, at p_g = p_data, where its gradient vanishes.
/// let p_data = Discrete::new(vec![0.25, 0.75])?;
/// let g = TabularGenerator::from_distribution(&p_data)?;
/// assert!((g.c_of_g(&p_data)? + 4f64.ln()).abs() < 1e-15);
/// assert!(g.c_of_g_gradient(&p_data)?.iter().all(|d| d.abs() < 1e-15));
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TabularGenerator {
    logits: Vec<f64>,
}

impl TabularGenerator {
    /// From finite softmax logits.
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::NotANumber`], [`Error::Infinite`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::tabular::TabularGenerator;
    /// // Logits (0, ln 3): p_g = (1/4, 3/4); adding a constant changes nothing.
    /// let g = TabularGenerator::new(vec![0.0, 3f64.ln()])?;
    /// let shifted = TabularGenerator::new(vec![5.0, 5.0 + 3f64.ln()])?;
    /// for (a, b) in g.distribution().iter().zip(shifted.distribution().iter()) {
    ///     assert!((a - b).abs() < 1e-15);
    /// }
    /// assert!((g.distribution()[1] - 0.75).abs() < 1e-15);
    /// assert!(TabularGenerator::new(vec![f64::INFINITY]).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(logits: Vec<f64>) -> Result<Self> {
        check_finite(&logits)?;
        Ok(Self { logits })
    }

    /// The uniform distribution on `n` points (all logits 0).
    ///
    /// # Errors
    /// [`Error::Empty`] when `n = 0`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::tabular::TabularGenerator;
    /// let g = TabularGenerator::uniform(4)?;
    /// assert_eq!(g.distribution(), Discrete::uniform(4)?);
    /// assert!((g.entropy() - 4f64.ln()).abs() < 1e-15);   // H = ln n, the largest on n points
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn uniform(n: usize) -> Result<Self> {
        Self::new(vec![0.0; n])
    }

    /// The generator whose distribution is `p`: logits `ln p_i`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when some `p_i = 0` (a zero needs an
    /// infinite logit; the value names the first such index).
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::tabular::TabularGenerator;
    /// let p = Discrete::new(vec![0.125, 0.375, 0.5])?;
    /// let g = TabularGenerator::from_distribution(&p)?;
    /// for (a, b) in g.distribution().iter().zip(p.iter()) {
    ///     assert!((a - b).abs() < 1e-15);   // softmax(ln p) = p
    /// }
    /// assert!(TabularGenerator::from_distribution(&Discrete::new(vec![1.0, 0.0])?).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn from_distribution(p: &Discrete) -> Result<Self> {
        if let Some(i) = p.as_slice().iter().position(|&x| x == 0.0) {
            return Err(Error::InvalidParameter {
                name: "zero-mass index",
                value: i as f64,
                requirement: "a softmax generator gives every point positive mass",
            });
        }
        Self::new(p.as_slice().iter().map(|x| x.ln()).collect())
    }

    /// Number of support points.
    ///
    /// # Example
    /// ```
    /// use gan_theory::tabular::TabularGenerator;
    /// let g = TabularGenerator::uniform(4)?;
    /// assert_eq!(g.len(), 4);
    /// assert_eq!(g.len(), g.distribution().len());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.logits.len()
    }

    /// Always false: validated generators have at least one point.
    ///
    /// # Example
    /// ```
    /// use gan_theory::tabular::TabularGenerator;
    /// assert!(!TabularGenerator::uniform(1)?.is_empty());
    /// // There is no empty generator to ask about:
    /// assert!(TabularGenerator::new(vec![]).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.logits.is_empty()
    }

    /// The logits `u_i`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::tabular::TabularGenerator;
    /// // from_distribution's logits are ln p:
    /// let g = TabularGenerator::from_distribution(&Discrete::new(vec![0.5, 0.25, 0.25])?)?;
    /// assert_eq!(g.logits(), &[0.5f64.ln(), 0.25f64.ln(), 0.25f64.ln()]);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn logits(&self) -> &[f64] {
        &self.logits
    }

    /// `ln p_g(x_i) = u_i - ln sum_j e^{u_j}`, computed as
    /// `(u_i - max u) - ln sum_j e^{u_j - max u}` so that no term overflows.
    ///
    /// # Example
    /// ```
    /// use gan_theory::tabular::TabularGenerator;
    /// // e^1000 overflows, but ln p_g = (0 - ln 2, 0 - ln 2) comes out exactly:
    /// let g = TabularGenerator::new(vec![1000.0, 1000.0])?;
    /// assert_eq!(g.log_probabilities(), vec![-2f64.ln(), -2f64.ln()]);
    /// // And it is ln of the distribution where that does not underflow:
    /// let g = TabularGenerator::new(vec![0.3, -1.2, 2.0])?;
    /// for (l, p) in g.log_probabilities().iter().zip(g.distribution().iter()) {
    ///     assert!((l.exp() - p).abs() < 1e-15);
    /// }
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn log_probabilities(&self) -> Vec<f64> {
        let max = self
            .logits
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let total = crate::numeric::sum(self.logits.iter().map(|u| (u - max).exp()));
        // (u - max) - ln(total), not u - (max + ln total): for huge logits
        // max + ln(total) would round ln(total) away.
        let ln_total = total.ln();
        self.logits.iter().map(|u| (u - max) - ln_total).collect()
    }

    /// The distribution `p_g`: softmax of the logits. An entry whose logit is
    /// more than about 745 below the largest underflows to 0.
    ///
    /// # Example
    /// ```
    /// use gan_theory::tabular::TabularGenerator;
    /// // p_g = e^u / sum e^u: logits (0, ln 2, ln 5) give (1, 2, 5) / 8.
    /// let g = TabularGenerator::new(vec![0.0, 2f64.ln(), 5f64.ln()])?;
    /// let p = g.distribution();
    /// for (a, b) in p.iter().zip([0.125, 0.25, 0.625]) {
    ///     assert!((a - b).abs() < 1e-15);
    /// }
    /// // 800 below the largest logit underflows to 0; its log-probability does not.
    /// let g = TabularGenerator::new(vec![0.0, -800.0])?;
    /// assert_eq!(g.distribution().as_slice(), &[1.0, 0.0]);
    /// assert_eq!(g.log_probabilities()[1], -800.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn distribution(&self) -> Discrete {
        let max = self
            .logits
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let weights: Vec<f64> = self.logits.iter().map(|u| (u - max).exp()).collect();
        // The largest weight is exactly 1 and every weight is finite and >= 0.
        Discrete::from_weights(&weights).expect("softmax weights are finite with maximum 1")
    }

    /// The entropy `H(p_g) = -sum p ln p` in nats, from the log-probabilities
    /// (exact also where `p` underflows to 0).
    ///
    /// # Example
    /// ```
    /// use gan_theory::tabular::TabularGenerator;
    /// // Logits (0, ln 3): p = (1/4, 3/4), H = -(1/4) ln(1/4) - (3/4) ln(3/4).
    /// let g = TabularGenerator::new(vec![0.0, 3f64.ln()])?;
    /// let h = -(0.25 * 0.25f64.ln() + 0.75 * 0.75f64.ln());
    /// assert!((g.entropy() - h).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn entropy(&self) -> f64 {
        let p = self.distribution();
        let ln_p = self.log_probabilities();
        -crate::numeric::sum(
            p.as_slice()
                .iter()
                .zip(&ln_p)
                .filter(|(p, _)| **p > 0.0)
                .map(|(p, l)| p * l),
        )
    }

    /// The logits moved by `step` along `direction`: `u + step direction`
    /// (descent when `direction` is a gradient and `step < 0`).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`], or the errors of [`new`](Self::new) when
    /// the result is not finite.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::tabular::TabularGenerator;
    /// let g = TabularGenerator::uniform(3)?;
    /// assert_eq!(g.moved(&[1.0, 0.0, -1.0], 2.0)?.logits(), &[2.0, 0.0, -2.0]);
    /// // A small descent step along dC/du lowers C(G).
    /// let p_data = Discrete::new(vec![0.7, 0.2, 0.1])?;
    /// let down = g.moved(&g.c_of_g_gradient(&p_data)?, -0.5)?;
    /// assert!(down.c_of_g(&p_data)? < g.c_of_g(&p_data)?);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn moved(&self, direction: &[f64], step: f64) -> Result<Self> {
        check_same_length(self.len(), direction.len())?;
        Self::new(
            self.logits
                .iter()
                .zip(direction)
                .map(|(u, d)| u + step * d)
                .collect(),
        )
    }

    /// The softmax chain rule: the gradient in the logits of
    /// `F(p_g)` whose gradient in `p_g` is `dF/dp` (evaluated at this `p_g`),
    /// `dF/du_j = p_j (dF/dp_j - sum_i p_i dF/dp_i)`. Also the gradient of
    /// `E_{p_g}[f]` for a fixed `f` (take `dF/dp = f`).
    ///
    /// Entries where `p_j = 0` (underflow) contribute 0 and give 0, so
    /// `dF/dp_j` may be infinite there.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`]; [`Error::NotANumber`] for a NaN, and
    /// [`Error::Infinite`] for an infinite, entry of `dF/dp` at a point of mass.
    ///
    /// # Example
    /// The gradient of `E_{p_g}[f]` against central differences, to `1e-9`;
    /// it sums to 0 (a common shift of the logits changes nothing):
    /// ```
    /// use gan_theory::tabular::TabularGenerator;
    /// let g = TabularGenerator::new(vec![0.5, -1.0, 0.2, 1.5])?;
    /// let f = [3.0, -1.0, 0.5, 2.0];
    /// let mean = |g: &TabularGenerator| g.distribution().expect(|i| f[i]);
    /// let grad = g.logit_gradient(&f)?;
    /// let h = 1e-6;
    /// for j in 0..4 {
    ///     let mut e = vec![0.0; 4];
    ///     e[j] = 1.0;
    ///     let numeric = (mean(&g.moved(&e, h)?) - mean(&g.moved(&e, -h)?)) / (2.0 * h);
    ///     assert!((grad[j] - numeric).abs() < 1e-9);
    /// }
    /// assert!(grad.iter().sum::<f64>().abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn logit_gradient(&self, gradient_in_p: &[f64]) -> Result<Vec<f64>> {
        check_same_length(self.len(), gradient_in_p.len())?;
        let p = self.distribution();
        let mut mean = CompensatedSum::new();
        for (index, (&pi, &g)) in p.as_slice().iter().zip(gradient_in_p).enumerate() {
            if pi > 0.0 {
                if g.is_nan() {
                    return Err(Error::NotANumber { index });
                }
                if g.is_infinite() {
                    return Err(Error::Infinite { index, value: g });
                }
                mean.add(pi * g);
            }
        }
        let mean = mean.value();
        Ok(p.as_slice()
            .iter()
            .zip(gradient_in_p)
            .map(|(&pi, &g)| if pi > 0.0 { pi * (g - mean) } else { 0.0 })
            .collect())
    }

    /// The exact value `V(D, G)` for this generator's `p_g`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::tabular::{TabularDiscriminator, TabularGenerator};
    /// let p_data = Discrete::new(vec![0.6, 0.3, 0.1])?;
    /// let g = TabularGenerator::new(vec![0.0, 1.0, -0.5])?;
    /// let d = TabularDiscriminator::new(vec![1.0, -0.5, 0.2])?.discriminator();
    /// // V = E_{p_data}[ln D] + the saturating loss E_{p_g}[ln(1 - D)]:
    /// let data_term = p_data.expect(|i| d.ln_d(i));
    /// assert!((g.value(&p_data, &d)? - (data_term + g.saturating_loss(&d)?)).abs() < 1e-15);
    /// // and no D beats C(G):
    /// assert!(g.value(&p_data, &d)? <= g.c_of_g(&p_data)?);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn value(&self, p_data: &Discrete, d: &Discriminator) -> Result<f64> {
        game::value(p_data, &self.distribution(), d)
    }

    /// The saturating generator loss `E_{p_g}[ln(1 - D)]`, the part of V that
    /// depends on G (which G minimises).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::tabular::{TabularDiscriminator, TabularGenerator};
    /// let g = TabularGenerator::new(vec![0.0, 3f64.ln()])?; // p_g = (1/4, 3/4)
    /// // D = 1/2 everywhere: E[ln(1/2)] = -ln 2.
    /// let half = TabularDiscriminator::half(2)?.discriminator();
    /// assert!((g.saturating_loss(&half)? + 2f64.ln()).abs() < 1e-15);
    /// // D = (1/2, 3/4): (1/4) ln(1/2) + (3/4) ln(1/4).
    /// let d = TabularDiscriminator::new(vec![0.0, 3f64.ln()])?.discriminator();
    /// let by_hand = 0.25 * 0.5f64.ln() + 0.75 * 0.25f64.ln();
    /// assert!((g.saturating_loss(&d)? - by_hand).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn saturating_loss(&self, d: &Discriminator) -> Result<f64> {
        check_same_length(self.len(), d.len())?;
        Ok(self.distribution().expect(|i| d.ln_one_minus_d(i)))
    }

    /// The gradient of [`saturating_loss`](Self::saturating_loss) in G's
    /// logits, `p_j (ln(1 - D_j) - E_{p_g}[ln(1 - D)])`; it is also the
    /// gradient of `V(D, G)` with D held fixed.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`]; [`Error::Infinite`] when `D = 1` at a point
    /// of mass (the loss is `-inf` there).
    ///
    /// # Example
    /// Central differences of [`saturating_loss`](Self::saturating_loss), to
    /// `1e-9`; the entries sum to 0 (adding a constant to every logit
    /// changes nothing):
    /// ```
    /// use gan_theory::tabular::{TabularDiscriminator, TabularGenerator};
    /// let d = TabularDiscriminator::new(vec![-2.0, 0.5, 1.0])?.discriminator();
    /// let g = TabularGenerator::new(vec![0.3, 0.0, -0.7])?;
    /// let grad = g.saturating_gradient(&d)?;
    /// let h = 1e-6;
    /// for j in 0..3 {
    ///     let mut e = vec![0.0; 3];
    ///     e[j] = 1.0;
    ///     let numeric = (g.moved(&e, h)?.saturating_loss(&d)?
    ///         - g.moved(&e, -h)?.saturating_loss(&d)?)
    ///         / (2.0 * h);
    ///     assert!((grad[j] - numeric).abs() < 1e-9);
    /// }
    /// assert!(grad.iter().sum::<f64>().abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn saturating_gradient(&self, d: &Discriminator) -> Result<Vec<f64>> {
        check_same_length(self.len(), d.len())?;
        let f: Vec<f64> = (0..d.len()).map(|i| d.ln_one_minus_d(i)).collect();
        self.logit_gradient(&f)
    }

    /// The non-saturating generator loss `E_{p_g}[-ln D]` (which G minimises).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::tabular::{TabularDiscriminator, TabularGenerator};
    /// let g = TabularGenerator::new(vec![0.0, 3f64.ln()])?; // p_g = (1/4, 3/4)
    /// // D = (1/2, 1/4): -(1/4) ln(1/2) - (3/4) ln(1/4).
    /// let d = TabularDiscriminator::new(vec![0.0, -3f64.ln()])?.discriminator();
    /// let by_hand = -(0.25 * 0.5f64.ln() + 0.75 * 0.25f64.ln());
    /// assert!((g.non_saturating_loss(&d)? - by_hand).abs() < 1e-15);
    /// // Where D -> 0 on p_g it grows without bound while the saturating
    /// // loss flattens out at 0 (the reason for the non-saturating form):
    /// let confident = TabularDiscriminator::new(vec![-30.0, -30.0])?.discriminator();
    /// assert!(g.non_saturating_loss(&confident)? > 29.0);
    /// assert!(g.saturating_loss(&confident)?.abs() < 1e-12);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn non_saturating_loss(&self, d: &Discriminator) -> Result<f64> {
        check_same_length(self.len(), d.len())?;
        Ok(self.distribution().expect(|i| -d.ln_d(i)))
    }

    /// The gradient of [`non_saturating_loss`](Self::non_saturating_loss)
    /// in G's logits, `p_j (-ln D_j - E_{p_g}[-ln D])`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`]; [`Error::Infinite`] when `D = 0` at a point
    /// of mass (the loss is `+inf` there).
    ///
    /// # Example
    /// Central differences of [`non_saturating_loss`](Self::non_saturating_loss),
    /// to `1e-9`:
    /// ```
    /// use gan_theory::tabular::{TabularDiscriminator, TabularGenerator};
    /// let d = TabularDiscriminator::new(vec![-2.0, 0.5, 1.0])?.discriminator();
    /// let g = TabularGenerator::new(vec![0.3, 0.0, -0.7])?;
    /// let grad = g.non_saturating_gradient(&d)?;
    /// let h = 1e-6;
    /// for j in 0..3 {
    ///     let mut e = vec![0.0; 3];
    ///     e[j] = 1.0;
    ///     let numeric = (g.moved(&e, h)?.non_saturating_loss(&d)?
    ///         - g.moved(&e, -h)?.non_saturating_loss(&d)?)
    ///         / (2.0 * h);
    ///     assert!((grad[j] - numeric).abs() < 1e-9);
    /// }
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn non_saturating_gradient(&self, d: &Discriminator) -> Result<Vec<f64>> {
        check_same_length(self.len(), d.len())?;
        let f: Vec<f64> = (0..d.len()).map(|i| -d.ln_d(i)).collect();
        self.logit_gradient(&f)
    }

    /// `C(G) = max_D V(D, G) = -ln 4 + 2 JSD(p_data || p_g)` for this `p_g`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, divergence};
    /// use gan_theory::tabular::{TabularDiscriminator, TabularGenerator};
    /// let p_data = Discrete::new(vec![0.6, 0.3, 0.1])?;
    /// let g = TabularGenerator::new(vec![0.0, 1.0, -0.5])?;
    /// let c = g.c_of_g(&p_data)?;
    /// let jsd = divergence::js(&p_data, &g.distribution())?;
    /// assert!((c - (-4f64.ln() + 2.0 * jsd)).abs() < 1e-15);
    /// // It is V at D* = p_data / (p_data + p_g).
    /// let d_star = TabularDiscriminator::optimal(&p_data, &g.distribution())?;
    /// assert!((c - g.value(&p_data, &d_star.discriminator())?).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn c_of_g(&self, p_data: &Discrete) -> Result<f64> {
        game::c_of_g(p_data, &self.distribution())
    }

    /// The gradient of `C(G)` in G's logits,
    /// `dC/du_j = p_j (ln(1 - D*_j) - E_{p_g}[ln(1 - D*)])` with
    /// `ln(1 - D*_j) = ln(p_g_j / (p_data_j + p_g_j))` (see the module docs).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`].
    ///
    /// # Example
    /// Central differences of [`c_of_g`](Self::c_of_g), to `1e-9`; by the
    /// envelope theorem it is also the gradient of `V(D*, G)` with `D*` held fixed:
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::tabular::{TabularDiscriminator, TabularGenerator};
    /// let p_data = Discrete::new(vec![0.6, 0.3, 0.1])?;
    /// let g = TabularGenerator::new(vec![0.0, 1.0, -0.5])?;
    /// let grad = g.c_of_g_gradient(&p_data)?;
    /// let h = 1e-6;
    /// for j in 0..3 {
    ///     let mut e = vec![0.0; 3];
    ///     e[j] = 1.0;
    ///     let numeric = (g.moved(&e, h)?.c_of_g(&p_data)? - g.moved(&e, -h)?.c_of_g(&p_data)?) / (2.0 * h);
    ///     assert!((grad[j] - numeric).abs() < 1e-9);
    /// }
    /// let d_star = TabularDiscriminator::optimal(&p_data, &g.distribution())?.discriminator();
    /// for (a, b) in grad.iter().zip(g.saturating_gradient(&d_star)?) {
    ///     assert!((a - b).abs() < 1e-15);
    /// }
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn c_of_g_gradient(&self, p_data: &Discrete) -> Result<Vec<f64>> {
        check_same_length(self.len(), p_data.len())?;
        let p = self.distribution();
        let ln_one_minus_d_star: Vec<f64> = p
            .as_slice()
            .iter()
            .zip(p_data.as_slice())
            .map(|(&b, &a)| if b > 0.0 { ln_share(b, a) } else { 0.0 })
            .collect();
        self.logit_gradient(&ln_one_minus_d_star)
    }
}
