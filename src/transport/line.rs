//! Optimal transport on the line: W1 through the CDFs and W_p through the
//! quantile functions, in O(n log n).
//!
//! Serves claims [C2](crate::proofs::c2_one_dimension), [C5](crate::proofs::c5_weak_convergence).
//!
//! On the real line the optimal plan is monotone, so nothing has to be solved:
//!
//! - **W1** is the area between the two cumulative distribution functions,
//!   $W_1(P, Q) = \int_{\mathbb R} \lvert F_P(x) - F_Q(x) \rvert \, dx$
//!   ([`w1`], [`w1_samples`], [`w1_histograms`]). Both CDFs are step
//!   functions whose steps lie at the sample points, so after sorting the
//!   integral is a sum over the gaps between consecutive points of the merged
//!   samples. This is what `scipy.stats.wasserstein_distance` computes.
//! - **W_p** for an order $p \ge 1$ is the $L^p$ distance between the
//!   quantile functions, $W_p(P, Q)^p = \int_0^1 \lvert F_P^{-1}(t) - F_Q^{-1}(t) \rvert^p \, dt$
//!   ([`wp`], [`wp_samples`]). Both quantile functions are step functions in
//!   $t$ whose steps lie at the cumulative masses, so the integral is a sum
//!   over the merged cumulative masses. For $p = 1$ it equals W1 (the two
//!   integrals are the same area, cut horizontally or vertically); W1 has its
//!   own code, and the two are not mixed.
//!
//! **Weights.** A sample may carry weights, the relative masses of its
//! points. They describe a distribution, so they are normalised to sum to 1
//! (as scipy does): weights `(1, 3)` and `(0.25, 0.75)` are the same
//! distribution. Weights are validated as a [`Discrete`] built by
//! [`Discrete::from_weights`]: finite, non-negative, not all zero. Points of
//! zero weight are allowed and carry no mass.
//!
//! **Speed.** Sorting dominates. Values are mapped to the order-preserving
//! `u64` image of `f64` and sorted by an LSD radix sort (11-bit digits, six
//! passes at most, a pass skipped when every key has the same digit), then
//! merged in one pass without intermediate vectors. Between two unweighted
//! samples of sizes n and m the CDF difference is kept as the exact integer
//! `i m - j n`, so W1 carries only the rounding of the gaps and of the sum.
//! When moreover n = m, the monotone coupling pairs the i-th smallest values
//! (C2), and W1 is their mean distance: a loop without a merge, which
//! vectorises.
//!
//! # Example
//! ```
//! use gan_theory::transport::line::{w1_samples, wp_samples};
//! // Three points against the same three points moved right by 2: W1 = 2.
//! let u = [0.0, 1.0, 3.0];
//! let v = [2.0, 3.0, 5.0];
//! assert!((w1_samples(&u, None, &v, None)? - 2.0).abs() < 1e-15);
//! // scipy's doc example: wasserstein_distance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4],
//! //                                           [1.4, 0.9, 3.1, 7.2], [3.2, 3.5]) = 4.0781331438047861
//! let w = w1_samples(&[3.4, 3.9, 7.5, 7.8], Some(&[1.4, 0.9, 3.1, 7.2]),
//!                    &[4.5, 1.4], Some(&[3.2, 3.5]))?;
//! assert!((w - 4.0781331438047861).abs() < 1e-14);
//! // W2 between point masses at 0 and 3 is 3, whatever the order.
//! assert!((wp_samples(2.0, &[0.0], None, &[3.0], None)? - 3.0).abs() < 1e-15);
//! # Ok::<(), gan_theory::Error>(())
//! ```

use crate::error::{Error, Result, check_same_length};
use crate::measure::Discrete;
use crate::numeric::CompensatedSum;

/// A finite sample on the real line, sorted once, with the mass of each point.
///
/// Built by [`LineSample::new`] (every point has mass 1/n) or
/// [`LineSample::weighted`] (masses from a [`Discrete`] of relative weights).
/// Values are finite; `-0.0` is stored as `0.0`.
///
/// Checked by claims [C2](crate::proofs::c2_one_dimension),
/// [C5](crate::proofs::c5_weak_convergence).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, transport::line::{LineSample, w1}};
/// let a = LineSample::new(&[2.0, 0.0])?;
/// let b = LineSample::weighted(&[1.0, 5.0], &Discrete::from_weights(&[3.0, 0.0])?)?;
/// assert_eq!(a.sorted_values(), &[0.0, 2.0]);
/// assert_eq!(w1(&a, &b), 1.0); // half the mass moves from 0 to 1, half from 2 to 1
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LineSample {
    /// Ascending.
    values: Vec<f64>,
    /// The probability of each value, in the order of `values`; `None` when
    /// every value has mass 1/n (kept implicit for exact integer CDFs).
    masses: Option<Vec<f64>>,
}

impl LineSample {
    /// An unweighted sample: each value has mass `1 / n`.
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::NotANumber`] or [`Error::Infinite`] with the
    /// index of the first bad value.
    pub fn new(values: &[f64]) -> Result<Self> {
        let keys = keys_of(values)?;
        let (keys, ()) = radix_sort(keys, ());
        Ok(Self {
            values: keys.into_iter().map(value_of).collect(),
            masses: None,
        })
    }

    /// A weighted sample: value `i` has mass `weights[i]` (a distribution,
    /// typically [`Discrete::from_weights`] of relative weights).
    ///
    /// # Errors
    /// The errors of [`LineSample::new`] for the values, then
    /// [`Error::LengthMismatch`] when `weights` has another length.
    pub fn weighted(values: &[f64], weights: &Discrete) -> Result<Self> {
        Self::from_keys(keys_of(values)?, weights)
    }

    /// A weighted sample from validated keys (see [`keys_of`]).
    fn from_keys(keys: Vec<u64>, weights: &Discrete) -> Result<Self> {
        check_same_length(keys.len(), weights.len())?;
        let (keys, masses) = radix_sort(keys, weights.as_slice().to_vec());
        Ok(Self {
            values: keys.into_iter().map(value_of).collect(),
            masses: Some(masses),
        })
    }

    /// Number of points (zero-mass points included).
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Always false: a sample has at least one point.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The values in ascending order.
    pub fn sorted_values(&self) -> &[f64] {
        &self.values
    }

    /// The mass of each value of [`sorted_values`](Self::sorted_values);
    /// `None` for an unweighted sample (every mass is `1 / n`).
    pub fn masses(&self) -> Option<&[f64]> {
        self.masses.as_deref()
    }

    /// The sample with every value multiplied by `factor` (a power of two,
    /// so exact but for subnormals; the order is kept).
    fn scaled(&self, factor: f64) -> Self {
        Self {
            values: self.values.iter().map(|x| x * factor).collect(),
            masses: self.masses.clone(),
        }
    }

    /// Mass of the `i`-th smallest value.
    #[inline]
    fn mass(&self, i: usize) -> f64 {
        match &self.masses {
            Some(m) => m[i],
            None => 1.0 / self.values.len() as f64,
        }
    }
}

/// `W1(a, b) = \int |F_a - F_b| dx`, the Earth Mover distance on the line.
///
/// Exact up to rounding: between two unweighted samples the CDF difference is
/// an exact integer ratio and only the gaps `x_{k+1} - x_k` and the
/// (compensated) sum round (for equal sizes, the distances of the sorted
/// pairs, summed plainly in blocks of 32: at most 32 ulps of W1 more); with weights, the CDF difference is a compensated
/// running sum of `+mass` and `-mass`. Samples that span more than
/// `f64::MAX` are halved first (W1 scales linearly), so the answer is `+inf`
/// only when W1 itself exceeds `f64::MAX`.
///
/// Checked by claims [C2](crate::proofs::c2_one_dimension),
/// [C5](crate::proofs::c5_weak_convergence).
///
/// # Example
/// ```
/// use gan_theory::transport::line::{LineSample, w1};
/// // delta_{1/n} -> delta_0 weakly, and W1 = 1/n follows it down (claim C5).
/// let zero = LineSample::new(&[0.0])?;
/// for n in [1.0, 10.0, 1000.0] {
///     assert_eq!(w1(&LineSample::new(&[1.0 / n])?, &zero), 1.0 / n);
/// }
/// // Two samples: the sorted pairs (0, 1), (1, 3), (2, 5) are matched, W1 = (1 + 2 + 3) / 3.
/// let (a, b) = (LineSample::new(&[2.0, 0.0, 1.0])?, LineSample::new(&[5.0, 1.0, 3.0])?);
/// assert_eq!(w1(&a, &b), 2.0);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn w1(a: &LineSample, b: &LineSample) -> f64 {
    let (n, m) = (a.len(), b.len());
    let low = a.values[0].min(b.values[0]);
    let high = a.values[n - 1].max(b.values[m - 1]);
    if !(high - low).is_finite() {
        // The gaps could overflow: W1 is linear in the scale, so halve every
        // value (exact, but for subnormals) and double the answer.
        return 2.0 * w1(&a.scaled(0.5), &b.scaled(0.5));
    }
    // The unweighted paths add up terms as large as `n (high - low)` (equal
    // sizes) or `n m (high - low)` (the integer CDF difference times a gap)
    // before they divide; where that could overflow, the weighted path,
    // whose terms and partial sums stay below `high - low`, takes over.
    let unweighted_fits = ((high - low) * (n as f64) * (m as f64)).is_finite();
    match (&a.masses, &b.masses) {
        (None, None) if n == m && unweighted_fits => w1_equal_sizes(&a.values, &b.values),
        (None, None) if unweighted_fits && (n as u128) * (m as u128) <= i64::MAX as u128 => {
            w1_unweighted(&a.values, &b.values)
        }
        _ => w1_weighted(a, b),
    }
}

/// Terms summed plainly before they join the compensated total: a block of
/// non-negative terms loses at most `BLOCK EPS` of its sum (7e-15 relative),
/// and the plain loop vectorises.
const BLOCK: usize = 32;

/// W1 of two unweighted sorted samples of the same size n: with masses 1/n
/// on both sides the CDF integral equals the mean distance between the
/// i-th smallest values, `(1/n) sum_i |a_(i) - b_(i)|` (the monotone
/// coupling pairs them; proof C2, step 3). No merge, a loop that vectorises.
fn w1_equal_sizes(a: &[f64], b: &[f64]) -> f64 {
    let mut total = CompensatedSum::new();
    for (x, y) in a.chunks(BLOCK).zip(b.chunks(BLOCK)) {
        total.add(x.iter().zip(y).map(|(p, q)| (p - q).abs()).sum::<f64>());
    }
    total.value() / a.len() as f64
}

/// W1 of two unweighted sorted samples; `D = i m - j n` is `n m (F_a - F_b)`,
/// exact in `i64`.
///
/// The merge is written without branches on the data (the choice of the next
/// point is a select), since the two samples interleave at random.
fn w1_unweighted(a: &[f64], b: &[f64]) -> f64 {
    let (n, m) = (a.len(), b.len());
    let (step_a, step_b) = (m as i64, n as i64);
    let (mut i, mut j) = (0, 0);
    let mut difference: i64 = 0;
    let mut previous = a[0].min(b[0]);
    let mut area = CompensatedSum::new();
    while i < n && j < m {
        let (x, y) = (a[i], b[j]);
        let take_a = x <= y;
        let point = if take_a { x } else { y };
        area.add(difference.unsigned_abs() as f64 * (point - previous));
        previous = point;
        difference += if take_a { step_a } else { -step_b };
        i += usize::from(take_a);
        j += usize::from(!take_a);
    }
    // One sample is used up; the other's remaining points close the gap.
    for &point in a[i..].iter().chain(&b[j..]) {
        area.add(difference.unsigned_abs() as f64 * (point - previous));
        previous = point;
        difference += if i < n { step_a } else { -step_b };
    }
    area.value() / (n as f64 * m as f64)
}

/// W1 when at least one sample carries weights.
fn w1_weighted(a: &LineSample, b: &LineSample) -> f64 {
    let (x, y) = (&a.values, &b.values);
    let (n, m) = (x.len(), y.len());
    let (mut i, mut j) = (0, 0);
    // F_a - F_b at the current point, compensated so that it is not the
    // difference of two rounded cumulative sums.
    let mut difference = CompensatedSum::new();
    let mut previous = x[0].min(y[0]);
    let mut area = CompensatedSum::new();
    while i < n || j < m {
        let take_a = j == m || (i < n && x[i] <= y[j]);
        let point = if take_a { x[i] } else { y[j] };
        let d = difference.value().abs();
        if d != 0.0 {
            area.add(d * (point - previous));
        }
        previous = point;
        if take_a {
            difference.add(a.mass(i));
            i += 1;
        } else {
            difference.add(-b.mass(j));
            j += 1;
        }
    }
    area.value()
}

/// W1 between two samples on the line, with optional relative weights: the
/// semantics of `scipy.stats.wasserstein_distance(u, v, u_weights, v_weights)`.
///
/// $$W_1 = \int_{\mathbb R} \lvert F_u(x) - F_v(x) \rvert \, dx,$$
///
/// with `F_u` the CDF of the sample `u`, each point weighted by its weight
/// divided by the sum of the weights (1/n without weights). O(n log n).
///
/// Checked by claim [A6](crate::proofs::a6_algorithm1).
///
/// # Errors
/// The values are checked first ([`Error::Empty`], [`Error::NotANumber`],
/// [`Error::Infinite`]), then the weights ([`Error::LengthMismatch`], and
/// those of [`Discrete::from_weights`]: a NaN, infinite or negative weight,
/// or all weights zero). For errors that name the argument, build each
/// [`LineSample`] separately and call [`w1`].
///
/// # Example
/// ```
/// use gan_theory::transport::line::w1_samples;
/// // Weights (1, 3) mean masses (1/4, 3/4).
/// let w = w1_samples(&[0.0, 1.0], Some(&[1.0, 3.0]), &[1.0], None)?;
/// assert_eq!(w, 0.25);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn w1_samples(
    u: &[f64],
    u_weights: Option<&[f64]>,
    v: &[f64],
    v_weights: Option<&[f64]>,
) -> Result<f64> {
    Ok(w1(&sample(u, u_weights)?, &sample(v, v_weights)?))
}

/// A [`LineSample`] from values and optional relative weights.
fn sample(values: &[f64], weights: Option<&[f64]>) -> Result<LineSample> {
    match weights {
        None => LineSample::new(values),
        Some(w) => {
            // Values first, so that a bad value is reported before a bad weight.
            let keys = keys_of(values)?;
            check_same_length(values.len(), w.len())?;
            LineSample::from_keys(keys, &Discrete::from_weights(w)?)
        }
    }
}

/// W1 between two distributions on the same points of the line:
/// `p_k` and `q_k` are the masses at `points[k]` (in any order, repeats allowed).
///
/// $$W_1 = \sum_k \lvert P_k - Q_k \rvert (x_{(k+1)} - x_{(k)}),$$
///
/// with the points sorted and `P_k - Q_k` the compensated running sum of
/// `p - q` up to the k-th smallest point.
///
/// Checked by claim [C2](crate::proofs::c2_one_dimension).
///
/// # Errors
/// [`Error::LengthMismatch`] when the three lengths differ,
/// [`Error::NotANumber`] or [`Error::Infinite`] for a bad point.
///
/// # Example
/// ```
/// use gan_theory::{Discrete, transport::line::w1_histograms};
/// let points = [0.0, 1.0, 2.0];
/// let p = Discrete::new(vec![0.5, 0.5, 0.0])?;
/// let q = Discrete::new(vec![0.0, 0.5, 0.5])?;
/// assert_eq!(w1_histograms(&points, &p, &q)?, 1.0); // mass 1/2 moves by 2
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn w1_histograms(points: &[f64], p: &Discrete, q: &Discrete) -> Result<f64> {
    check_same_length(points.len(), p.len())?;
    check_same_length(p.len(), q.len())?;
    let keys = keys_of(points)?;
    let excess: Vec<f64> = p
        .as_slice()
        .iter()
        .zip(q.as_slice())
        .map(|(a, b)| a - b)
        .collect();
    let (keys, excess) = radix_sort(keys, excess);
    // Points that span more than f64::MAX: halve them (exact, but for
    // subnormals) so that no gap overflows, and double the area, as `w1` does.
    let span = value_of(keys[keys.len() - 1]) - value_of(keys[0]);
    let factor = if span.is_finite() { 1.0 } else { 0.5 };
    let mut difference = CompensatedSum::new();
    let mut area = CompensatedSum::new();
    for (k, pair) in keys.windows(2).enumerate() {
        difference.add(excess[k]);
        let d = difference.value().abs();
        if d != 0.0 {
            area.add(d * (factor * value_of(pair[1]) - factor * value_of(pair[0])));
        }
    }
    Ok(area.value() / factor)
}

/// `W_p(a, b) = (\int_0^1 |F_a^{-1}(t) - F_b^{-1}(t)|^p dt)^{1/p}` for an
/// order `p >= 1` (`p = +inf` is not supported).
///
/// The quantile functions are step functions whose steps lie at the
/// cumulative masses; the integral is summed over the merged steps (each
/// cumulative mass compensated, the last one set to exactly 1).
///
/// Checked by claim [C2](crate::proofs::c2_one_dimension).
///
/// # Errors
/// [`Error::InvalidParameter`] when `order` is not a finite number `>= 1`.
///
/// # Example
/// ```
/// use gan_theory::transport::line::{LineSample, wp};
/// let a = LineSample::new(&[0.0, 1.0])?;
/// let b = LineSample::new(&[0.0, 3.0])?;
/// // W2^2 = (0^2 + 2^2) / 2 = 2.
/// assert!((wp(2.0, &a, &b)? - 2f64.sqrt()).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn wp(order: f64, a: &LineSample, b: &LineSample) -> Result<f64> {
    if !(order.is_finite() && order >= 1.0) {
        return Err(Error::InvalidParameter {
            name: "p",
            value: order,
            requirement: "the order of W_p must be a finite number >= 1",
        });
    }
    // |x - y|^p can overflow (or underflow) where W_p does not: integrate on
    // values divided by a power of two near the largest |value| (exact, but
    // for values driven subnormal, whose share is negligible), then scale back.
    let largest = [
        a.values[0],
        a.values[a.len() - 1],
        b.values[0],
        b.values[b.len() - 1],
    ]
    .iter()
    .fold(0.0f64, |acc, x| acc.max(x.abs()));
    if largest == 0.0 {
        return Ok(0.0);
    }
    // 2^e with e the binary exponent of `largest` (the smallest normal
    // exponent for a subnormal): from the bits, as log2 rounds near MAX.
    let scale = f64::from_bits(largest.to_bits() & (0x7ff << 52)).max(f64::MIN_POSITIVE);
    let (a, b) = (&a.scaled(1.0 / scale), &b.scaled(1.0 / scale));
    let (cumulative_a, cumulative_b) = (cumulative(a), cumulative(b));
    // Each step of the merged quantile functions: its width dt and |x - y|.
    let for_each_step = |visit: &mut dyn FnMut(f64, f64)| {
        let (x, y) = (&a.values, &b.values);
        let (mut i, mut j) = (0, 0);
        let mut t = 0.0;
        while i < x.len() && j < y.len() {
            let next = cumulative_a[i].min(cumulative_b[j]);
            let dt = next - t;
            if dt > 0.0 {
                visit(dt, (x[i] - y[j]).abs());
                t = next;
            }
            // Leave every quantile step that ends here (both, at a common step).
            if cumulative_a[i] <= next {
                i += 1;
            }
            if cumulative_b[j] <= next {
                j += 1;
            }
        }
    };
    // Even on values near 1, |x - y|^p overflows or underflows for a large
    // order p: integrate (|x - y| / D)^p, D the largest distance, whose
    // terms are at most 1 and whose largest term is not lost.
    let mut largest_distance = 0.0f64;
    for_each_step(&mut |_, d| largest_distance = largest_distance.max(d));
    if largest_distance == 0.0 {
        return Ok(0.0);
    }
    let mut integral = CompensatedSum::new();
    for_each_step(&mut |dt, d| integral.add(dt * (d / largest_distance).powf(order)));
    Ok(scale * largest_distance * integral.value().powf(1.0 / order))
}

/// Cumulative masses of a sample, compensated; exactly 1 from the last
/// point of positive mass on (so that rounding cannot leave a sliver of
/// the quantile function at a point of zero mass).
fn cumulative(s: &LineSample) -> Vec<f64> {
    let n = s.len();
    let last_positive = (0..n).rev().find(|&i| s.mass(i) > 0.0).unwrap_or(n - 1);
    let mut acc = CompensatedSum::new();
    (0..n)
        .map(|i| {
            acc.add(s.mass(i));
            if i >= last_positive { 1.0 } else { acc.value() }
        })
        .collect()
}

/// W_p between two samples with optional relative weights (normalised like
/// [`w1_samples`]'s), through the quantile functions; see [`wp`].
///
/// # Errors
/// Those of [`w1_samples`], then [`Error::InvalidParameter`] for the order.
///
/// # Example
/// ```
/// use gan_theory::transport::line::{w1_samples, wp_samples};
/// let (u, v) = ([0.0, 1.0, 5.0], [2.0, 2.5]);
/// let by_quantiles = wp_samples(1.0, &u, None, &v, None)?;
/// let by_cdfs = w1_samples(&u, None, &v, None)?;
/// assert!((by_quantiles - by_cdfs).abs() < 1e-14);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn wp_samples(
    order: f64,
    u: &[f64],
    u_weights: Option<&[f64]>,
    v: &[f64],
    v_weights: Option<&[f64]>,
) -> Result<f64> {
    wp(order, &sample(u, u_weights)?, &sample(v, v_weights)?)
}

// ------------------------------------------------------------ sorting

/// The order-preserving `u64` image of each value: `a < b` iff `key(a) < key(b)`.
///
/// # Errors
/// [`Error::Empty`], [`Error::NotANumber`], [`Error::Infinite`].
fn keys_of(values: &[f64]) -> Result<Vec<u64>> {
    if values.is_empty() {
        return Err(Error::Empty);
    }
    let keys: Vec<u64> = values.iter().map(|&x| key_of(x)).collect();
    // One cheap pass for the common case; the slow one names the bad entry.
    if values.iter().all(|x| x.is_finite()) {
        return Ok(keys);
    }
    for (index, &value) in values.iter().enumerate() {
        if value.is_nan() {
            return Err(Error::NotANumber { index });
        }
        if value.is_infinite() {
            return Err(Error::Infinite { index, value });
        }
    }
    Ok(keys)
}

/// Flips the sign bit of a non-negative float and every bit of a negative
/// one, so that unsigned order is numeric order (`-0.0` is taken as `0.0`).
#[inline]
fn key_of(x: f64) -> u64 {
    let bits = (x + 0.0).to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// The inverse of [`key_of`].
#[inline]
fn value_of(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

/// Bits per radix digit: 2^11 counters fit in the first-level cache.
const DIGIT_BITS: u32 = 11;
/// Digits in a 64-bit key.
const DIGITS: usize = 64_usize.div_ceil(DIGIT_BITS as usize);
/// Below this length a comparison sort is faster than six radix passes.
const RADIX_FROM: usize = 256;

/// Something sorted along with the keys: nothing (`()`), or one value per key.
trait Payload: Sized {
    fn len(&self) -> usize;
    fn buffer(&self) -> Self;
    fn permute(self, order: &[u32]) -> Self;
    fn move_item(&self, from: usize, to: &mut Self, at: usize);
}

impl Payload for () {
    fn len(&self) -> usize {
        0
    }
    fn buffer(&self) -> Self {}
    fn permute(self, _: &[u32]) -> Self {}
    #[inline]
    fn move_item(&self, _: usize, _: &mut Self, _: usize) {}
}

impl Payload for Vec<f64> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn buffer(&self) -> Self {
        vec![0.0; Vec::len(self)]
    }
    fn permute(self, order: &[u32]) -> Self {
        order.iter().map(|&i| self[i as usize]).collect()
    }
    #[inline]
    fn move_item(&self, from: usize, to: &mut Self, at: usize) {
        to[at] = self[from];
    }
}

/// Sorts `keys` ascending, moving the payload along: LSD radix sort with
/// 11-bit digits, skipping a digit that every key shares.
fn radix_sort<P: Payload>(mut keys: Vec<u64>, payload: P) -> (Vec<u64>, P) {
    let n = keys.len();
    if n < RADIX_FROM {
        if payload.len() == 0 {
            keys.sort_unstable();
            return (keys, payload);
        }
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_unstable_by_key(|&i| keys[i as usize]);
        let sorted = order.iter().map(|&i| keys[i as usize]).collect();
        return (sorted, payload.permute(&order));
    }
    let mask = (1u64 << DIGIT_BITS) - 1;
    let digit = |key: u64, d: usize| ((key >> (d as u32 * DIGIT_BITS)) & mask) as usize;
    // All digit histograms in one pass over the keys.
    let mut counts = vec![[0usize; 1 << DIGIT_BITS]; DIGITS];
    for &key in &keys {
        for (d, histogram) in counts.iter_mut().enumerate() {
            histogram[digit(key, d)] += 1;
        }
    }
    let mut payload = payload;
    let mut key_buffer = vec![0u64; n];
    let mut payload_buffer = payload.buffer();
    for (d, histogram) in counts.iter_mut().enumerate() {
        if histogram.contains(&n) {
            continue; // every key has the same digit here
        }
        // Counts to starting offsets.
        let mut offset = 0;
        for slot in histogram.iter_mut() {
            let count = *slot;
            *slot = offset;
            offset += count;
        }
        for (from, &key) in keys.iter().enumerate() {
            let bucket = &mut histogram[digit(key, d)];
            key_buffer[*bucket] = key;
            payload.move_item(from, &mut payload_buffer, *bucket);
            *bucket += 1;
        }
        std::mem::swap(&mut keys, &mut key_buffer);
        std::mem::swap(&mut payload, &mut payload_buffer);
    }
    (keys, payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_preserve_order() {
        let values = [
            f64::MIN,
            -1.0,
            -f64::MIN_POSITIVE,
            -5e-324,
            -0.0,
            0.0,
            5e-324,
            1.0,
            f64::MAX,
        ];
        for pair in values.windows(2) {
            assert!(key_of(pair[0]) <= key_of(pair[1]), "{pair:?}");
        }
        for &x in &values {
            assert_eq!(value_of(key_of(x)), x + 0.0);
        }
    }

    #[test]
    fn radix_sort_sorts_and_carries_payload() {
        // A fixed pseudo-random sequence (xorshift) over many magnitudes and both signs.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut values = Vec::new();
        for _ in 0..5000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            let exponent = (state % 40) as i32 - 20;
            values.push(mantissa * 2f64.powi(exponent));
        }
        values.extend([0.0, -0.0, 1.0, 1.0, -3.5]);
        let keys: Vec<u64> = values.iter().map(|&x| key_of(x)).collect();
        let (sorted, carried) = radix_sort(keys, values.clone());
        let mut expected = values.clone();
        expected.sort_by(f64::total_cmp);
        let got: Vec<f64> = sorted.iter().map(|&k| value_of(k)).collect();
        for (g, e) in got.iter().zip(&expected) {
            assert_eq!(*g, *e + 0.0);
        }
        for (k, c) in sorted.iter().zip(&carried) {
            assert_eq!(value_of(*k), *c + 0.0);
        }
    }
}
