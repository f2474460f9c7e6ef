//! Probability distributions on a finite support `{0, 1, ..., n-1}`.
//!
//! [`Discrete`] is a validated probability vector: every entry finite and
//! non-negative, the entries summing to 1 within [`tol::sum_tolerance`]`(n)`.
//! It is built either from probabilities, which must already be normalised
//! ([`Discrete::new`]), or from non-negative weights or counts that are
//! normalised on request ([`Discrete::from_weights`]). Nothing is rescaled
//! silently.

use crate::error::{Error, Result};
use crate::numeric::{self, CompensatedSum};
use crate::tol;
use rand::{Rng, RngExt};

/// A probability vector on the finite support `{0, ..., n-1}`.
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// // The 45 balls numbered 1..9 of BrightLamp's note (claim B4), as counts:
/// let q = Discrete::from_weights(&[2.0, 4.0, 6.0, 8.0, 9.0, 7.0, 5.0, 3.0, 1.0])?;
/// assert_eq!(q.len(), 9);
/// assert!((q[4] - 9.0 / 45.0).abs() < 1e-16);
/// // Probabilities that do not sum to 1 are refused, not rescaled:
/// assert!(Discrete::new(vec![0.5, 0.4]).is_err());
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Discrete {
    probabilities: Vec<f64>,
}

/// Checks that every entry is finite (an empty slice passes); returns the
/// first offence.
pub(crate) fn check_finite(values: &[f64]) -> Result<()> {
    for (index, &value) in values.iter().enumerate() {
        if value.is_nan() {
            return Err(Error::NotANumber { index });
        }
        if value.is_infinite() {
            return Err(Error::Infinite { index, value });
        }
    }
    Ok(())
}

/// Checks that every entry lies in `[0, 1]` (NaN is refused); returns the
/// first offence.
pub(crate) fn check_unit_interval(values: &[f64]) -> Result<()> {
    for (index, &value) in values.iter().enumerate() {
        if value.is_nan() {
            return Err(Error::NotANumber { index });
        }
        if !(0.0..=1.0).contains(&value) {
            return Err(Error::OutOfRange {
                index,
                value,
                low: 0.0,
                high: 1.0,
            });
        }
    }
    Ok(())
}

/// Checks that there is an entry and every entry is finite and
/// non-negative; returns the first offence.
pub(crate) fn check_non_negative(values: &[f64]) -> Result<()> {
    if values.is_empty() {
        return Err(Error::Empty);
    }
    for (index, &value) in values.iter().enumerate() {
        if value.is_nan() {
            return Err(Error::NotANumber { index });
        }
        if value.is_infinite() {
            return Err(Error::Infinite { index, value });
        }
        if value < 0.0 {
            return Err(Error::Negative { index, value });
        }
    }
    Ok(())
}

impl Discrete {
    /// Validates `probabilities`: non-empty, every entry finite and `>= 0`
    /// (`-0.0` is accepted as zero), and `|sum - 1| <= tol::sum_tolerance(n)`.
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::NotANumber`], [`Error::Infinite`],
    /// [`Error::Negative`] (naming the first bad index), or [`Error::SumNotOne`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, Error};
    /// let p = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// assert_eq!(p.as_slice(), &[0.2, 0.3, 0.5]);
    /// // The first negative entry is named, and a sum off 1 is refused:
    /// assert!(matches!(
    ///     Discrete::new(vec![0.5, -0.1, 0.6]),
    ///     Err(Error::Negative { index: 1, .. })
    /// ));
    /// assert!(matches!(
    ///     Discrete::new(vec![0.5, 0.6]),
    ///     Err(Error::SumNotOne { .. })
    /// ));
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(probabilities: Vec<f64>) -> Result<Self> {
        check_non_negative(&probabilities)?;
        let sum = numeric::sum(probabilities.iter().copied());
        let tolerance = tol::sum_tolerance(probabilities.len());
        let off = (sum - 1.0).abs();
        if off.is_nan() || off > tolerance {
            return Err(Error::SumNotOne { sum, tolerance });
        }
        Ok(Self {
            probabilities: probabilities.into_iter().map(|p| p + 0.0).collect(),
        })
    }

    /// Normalises non-negative weights (or counts) to a probability vector:
    /// `p_i = w_i / sum_j w_j`.
    ///
    /// Weights as large as `f64::MAX` are fine: they are scaled by their
    /// maximum before summing, so the total cannot overflow.
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::NotANumber`], [`Error::Infinite`],
    /// [`Error::Negative`], or [`Error::ZeroTotal`] when every weight is 0.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, Error};
    /// // p_i = w_i / sum_j w_j, even for weights whose plain sum overflows:
    /// let p = Discrete::from_weights(&[1.0, 3.0])?;
    /// assert_eq!(p.as_slice(), &[0.25, 0.75]);
    /// let big = Discrete::from_weights(&[f64::MAX, f64::MAX])?;
    /// assert_eq!(big.as_slice(), &[0.5, 0.5]);
    /// assert!(matches!(Discrete::from_weights(&[0.0, 0.0]), Err(Error::ZeroTotal)));
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn from_weights(weights: &[f64]) -> Result<Self> {
        check_non_negative(weights)?;
        let max = weights.iter().copied().fold(0.0, f64::max);
        if max == 0.0 {
            return Err(Error::ZeroTotal);
        }
        let total = numeric::sum(weights.iter().map(|w| w / max));
        let probabilities = weights.iter().map(|w| (w / max) / total).collect();
        Ok(Self { probabilities })
    }

    /// The uniform distribution on `n` points.
    ///
    /// # Errors
    /// [`Error::Empty`] when `n = 0`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, Error};
    /// let u = Discrete::uniform(4)?;
    /// assert!(u.iter().all(|&p| p == 0.25));
    /// // Its entropy -sum p ln p is ln n:
    /// let h = u.expect(|i| -u[i].ln());
    /// assert!((h - 4f64.ln()).abs() < 1e-15);
    /// assert!(matches!(Discrete::uniform(0), Err(Error::Empty)));
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn uniform(n: usize) -> Result<Self> {
        if n == 0 {
            return Err(Error::Empty);
        }
        Ok(Self {
            probabilities: vec![1.0 / n as f64; n],
        })
    }

    /// The point mass on `index` in a support of size `n`.
    ///
    /// # Errors
    /// [`Error::Empty`] when `n = 0`, [`Error::OutOfRange`] when `index >= n`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, Error};
    /// let d = Discrete::point_mass(3, 2)?;
    /// assert_eq!(d.as_slice(), &[0.0, 0.0, 1.0]);
    /// // E_d[f] = f(2):
    /// assert_eq!(d.expect(|i| (i * i) as f64), 4.0);
    /// assert!(matches!(Discrete::point_mass(3, 3), Err(Error::OutOfRange { .. })));
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn point_mass(n: usize, index: usize) -> Result<Self> {
        if n == 0 {
            return Err(Error::Empty);
        }
        if index >= n {
            return Err(Error::OutOfRange {
                index: 0,
                value: index as f64,
                low: 0.0,
                high: (n - 1) as f64,
            });
        }
        let mut probabilities = vec![0.0; n];
        probabilities[index] = 1.0;
        Ok(Self { probabilities })
    }

    /// The mixture `(1 - t) self + t other`, for `t` in `[0, 1]`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`], or [`Error::InvalidParameter`] when `t` is
    /// not in `[0, 1]`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// let p = Discrete::point_mass(2, 0)?;
    /// let q = Discrete::point_mass(2, 1)?;
    /// assert_eq!(p.mix(&q, 0.25)?.as_slice(), &[0.75, 0.25]);
    /// // t = 0 and t = 1 give back the endpoints:
    /// assert_eq!(p.mix(&q, 0.0)?, p);
    /// assert_eq!(p.mix(&q, 1.0)?, q);
    /// assert!(p.mix(&q, 1.5).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn mix(&self, other: &Discrete, t: f64) -> Result<Self> {
        same_len(self, other)?;
        if !(0.0..=1.0).contains(&t) {
            return Err(Error::InvalidParameter {
                name: "t",
                value: t,
                requirement: "must lie in [0, 1]",
            });
        }
        Ok(Self {
            probabilities: self
                .probabilities
                .iter()
                .zip(&other.probabilities)
                .map(|(a, b)| (1.0 - t) * a + t * b)
                .collect(),
        })
    }

    /// Number of support points.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// assert_eq!(Discrete::uniform(5)?.len(), 5);
    /// // Points of zero mass still count:
    /// assert_eq!(Discrete::point_mass(7, 0)?.len(), 7);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.probabilities.len()
    }

    /// Always false: a distribution has at least one support point.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// assert!(!Discrete::uniform(1)?.is_empty());
    /// // There is no empty distribution to ask about:
    /// assert!(Discrete::from_weights(&[]).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.probabilities.is_empty()
    }

    /// The probabilities as a slice.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// let p = Discrete::from_weights(&[1.0, 1.0, 2.0])?;
    /// assert_eq!(p.as_slice(), &[0.25, 0.25, 0.5]);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn as_slice(&self) -> &[f64] {
        &self.probabilities
    }

    /// Consumes the distribution, returning its probabilities.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// let v = Discrete::from_weights(&[3.0, 1.0])?.into_vec();
    /// assert_eq!(v, vec![0.75, 0.25]);
    /// // The vector round-trips through `new`:
    /// assert_eq!(Discrete::new(v.clone())?.into_vec(), v);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn into_vec(self) -> Vec<f64> {
        self.probabilities
    }

    /// Indices with positive probability.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// let p = Discrete::new(vec![0.0, 0.5, 0.0, 0.5])?;
    /// assert_eq!(p.support().collect::<Vec<_>>(), vec![1, 3]);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn support(&self) -> impl Iterator<Item = usize> + '_ {
        self.probabilities
            .iter()
            .enumerate()
            .filter(|(_, p)| **p > 0.0)
            .map(|(i, _)| i)
    }

    /// `E_p[f(i)] = sum_i p_i f(i)`, compensated; terms with `p_i = 0` are
    /// skipped, so `f` may be infinite off the support.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// // The mean of a fair die on faces 1..6 is 3.5:
    /// let die = Discrete::uniform(6)?;
    /// assert!((die.expect(|i| (i + 1) as f64) - 3.5).abs() < 1e-15);
    /// // f = ln(p_i / q_i) is infinite where q_i = 0, but p_i = 0 there too,
    /// // so KL(p || q) = 0.5 ln(0.5 / 0.25) + 0.5 ln(0.5 / 0.75) stays finite:
    /// let p = Discrete::new(vec![0.5, 0.5, 0.0])?;
    /// let q = [0.25, 0.75, 0.0];
    /// let kl = p.expect(|i| (p[i] / q[i]).ln());
    /// assert!((kl - 0.5 * (2.0f64.ln() + (2.0f64 / 3.0).ln())).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn expect(&self, mut f: impl FnMut(usize) -> f64) -> f64 {
        let mut s = CompensatedSum::new();
        for (i, &p) in self.probabilities.iter().enumerate() {
            if p > 0.0 {
                s.add(p * f(i));
            }
        }
        s.value()
    }

    /// A sampler by inverse CDF (binary search on the cumulative sums).
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::rand::{SeedableRng, rngs::StdRng};
    /// let p = Discrete::new(vec![0.1, 0.0, 0.6, 0.3])?;
    /// let sampler = p.sampler();
    /// let mut rng = StdRng::seed_from_u64(1);
    /// let n = 20_000;
    /// let mut counts = [0usize; 4];
    /// for _ in 0..n {
    ///     counts[sampler.sample(&mut rng)] += 1;
    /// }
    /// // Never an index of zero mass; frequencies within 5 standard errors
    /// // (sqrt(p (1 - p) / n) <= 0.0035) of the probabilities:
    /// assert_eq!(counts[1], 0);
    /// for i in p.support() {
    ///     assert!((counts[i] as f64 / n as f64 - p[i]).abs() < 5.0 * 0.0035);
    /// }
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn sampler(&self) -> Sampler {
        let mut acc = CompensatedSum::new();
        let mut cumulative = Vec::with_capacity(self.len());
        for &p in &self.probabilities {
            acc.add(p);
            cumulative.push(acc.value());
        }
        let last_positive = self
            .probabilities
            .iter()
            .rposition(|&p| p > 0.0)
            .expect("a distribution has positive mass somewhere");
        Sampler {
            cumulative,
            last_positive,
        }
    }
}

/// `p[i]` is the probability `p_i`; an index outside the support panics.
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// let p = Discrete::from_weights(&[1.0, 2.0, 5.0])?;
/// assert_eq!(p[2], 5.0 / 8.0);
/// assert!(std::panic::catch_unwind(|| p[3]).is_err());
/// # Ok::<(), gan_theory::Error>(())
/// ```
impl std::ops::Index<usize> for Discrete {
    type Output = f64;
    fn index(&self, i: usize) -> &f64 {
        &self.probabilities[i]
    }
}

/// The probabilities as a slice, so that a `Discrete` goes wherever masses
/// are asked for as `&impl AsRef<[f64]>` (for example
/// [`transport::emd`](crate::transport::emd)), the same value a divergence takes.
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence, transport::{CostMatrix, emd}};
/// let p = Discrete::new(vec![0.5, 0.5, 0.0])?;
/// let q = Discrete::new(vec![0.0, 0.5, 0.5])?;
/// let cost = CostMatrix::from_rows(vec![
///     vec![0.0, 1.0, 2.0],
///     vec![1.0, 0.0, 1.0],
///     vec![2.0, 1.0, 0.0],
/// ])?;
/// assert_eq!(emd(&p, &q, &cost)?.cost, 1.0);
/// assert!((divergence::js(&p, &q)? - std::f64::consts::LN_2 / 2.0).abs() < 1e-16);
/// # Ok::<(), gan_theory::Error>(())
/// ```
impl AsRef<[f64]> for Discrete {
    fn as_ref(&self) -> &[f64] {
        &self.probabilities
    }
}

/// Read-only access to the probabilities as a slice (`p.iter()`,
/// `p.last()`, `p.windows(2)`); a `Discrete` cannot be changed in place, so
/// it stays valid.
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// let p = Discrete::new(vec![0.25, 0.75])?;
/// assert_eq!(p.iter().copied().fold(f64::NEG_INFINITY, f64::max), 0.75);
/// assert_eq!(p.last(), Some(&0.75));
/// # Ok::<(), gan_theory::Error>(())
/// ```
impl std::ops::Deref for Discrete {
    type Target = [f64];
    fn deref(&self) -> &[f64] {
        &self.probabilities
    }
}

/// Draws indices from a [`Discrete`] distribution by inverse CDF.
///
/// Deterministic for a seeded generator: the same seed gives the same indices.
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::rand::{SeedableRng, rngs::StdRng};
/// let p = Discrete::new(vec![0.0, 1.0, 0.0])?;
/// let mut rng = StdRng::seed_from_u64(7);
/// assert_eq!(p.sampler().sample(&mut rng), 1);
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Sampler {
    cumulative: Vec<f64>,
    last_positive: usize,
}

impl Sampler {
    /// One index `i` with probability `p_i`. Never returns an index of zero mass.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::rand::{SeedableRng, rngs::StdRng};
    /// let sampler = Discrete::new(vec![0.0, 0.5, 0.0, 0.5, 0.0])?.sampler();
    /// let mut rng = StdRng::seed_from_u64(3);
    /// let draws: Vec<usize> = (0..1000).map(|_| sampler.sample(&mut rng)).collect();
    /// // Only the two indices of positive mass come out, and both do:
    /// assert!(draws.iter().all(|&i| i == 1 || i == 3));
    /// assert!(draws.contains(&1) && draws.contains(&3));
    /// // The same seed gives the same indices:
    /// let mut again = StdRng::seed_from_u64(3);
    /// assert!(draws.iter().all(|&i| i == sampler.sample(&mut again)));
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> usize {
        let total = *self.cumulative.last().expect("non-empty by construction");
        let u: f64 = rng.random::<f64>() * total;
        // First index whose cumulative sum exceeds u; indices of zero mass
        // share their predecessor's cumulative value and are never chosen.
        let i = self.cumulative.partition_point(|&c| c <= u);
        // Defensive only: u < total (r <= 1 - 2^-53, monotone rounding), so i <= last_positive.
        i.min(self.last_positive)
    }
}

/// Returns `Err(LengthMismatch)` unless both distributions have the same support size.
pub(crate) fn same_len(p: &Discrete, q: &Discrete) -> Result<()> {
    crate::error::check_same_length(p.len(), q.len())
}
