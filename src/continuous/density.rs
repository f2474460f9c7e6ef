//! Densities on the real line: the [`Density`] trait and three validated
//! families built on statrs: [`Normal`], [`Uniform`] and [`NormalMixture`].
//!
//! Serves claim [B5](crate::proofs::b5_continuous_references).
//!
//! A density tells the quadrature everything it needs to integrate a
//! functional of it without missing mass: where it is not smooth
//! ([`Density::breakpoints`]), the points that fence its mass at its own scale
//! ([`Density::landmarks`]), the interval holding all but 1e-300 of its mass
//! ([`Density::effective_support`]), and how it decays far out
//! ([`Density::left_tail`], [`Density::right_tail`]).

use crate::Discrete;
use crate::error::{Error, Result};
use statrs::distribution::{Continuous, Normal as StatrsNormal, Uniform as StatrsUniform};

/// Largest accepted |mean| or |interval end|: 1e100.
///
/// Reason: squares and ratios of coordinates and scales, which the closed
/// forms and the quadrature's substitutions form, then stay far inside the
/// range of `f64` (1e308).
pub const MAX_COORDINATE: f64 = 1e100;

/// Smallest accepted scale (standard deviation, or width of a uniform): 1e-100.
///
/// Reason: the log-density `-ln(scale)` and squared ratios of scales stay
/// finite, for the same reason as [`MAX_COORDINATE`]; 1e100 is also the
/// largest accepted scale.
pub const MIN_SCALE: f64 = 1e-100;

/// Smallest accepted scale relative to the location: 1e-9.
///
/// Reason: the quadrature resolves a density on the floating-point grid; a
/// scale of 1e-9 |location| still spans about 4.5 million representable
/// numbers, a narrower one would leave the density between a few floats.
/// The price is accuracy, not correctness: nodes near `x` are rounded by up to
/// half an ulp of `x`, 1.1e-7 sd at this ratio, so integrals of such a
/// density are only good to about 1e-7 relative; the quadrature's error
/// estimate includes this rounding (see [`quadrature`](super::quadrature)),
/// and a tighter target ends in [`Error::NotConverged`].
pub const MIN_RELATIVE_SCALE: f64 = 1e-9;

/// Half-width of a normal's effective support, in standard deviations: 40.
///
/// Reason: the mass outside mean ± 40 sd is `2 Phi(-40)`, about 7e-350,
/// below the 1e-300 that [`Density::effective_support`] promises; the density
/// there is below `e^-800`, which underflows `f64` to 0.
pub const EFFECTIVE_SUPPORT_SDS: f64 = 40.0;

/// How a density behaves as `x` goes to infinity on one side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tail {
    /// The density is 0 beyond this point (towards the infinity of this side).
    Ends(f64),
    /// `ln p(x) = -x^2 / (2 scale^2) + O(|x|)`: the density decays like a
    /// normal of standard deviation `scale`.
    Gaussian {
        /// The standard deviation of the dominant Gaussian term on this side.
        scale: f64,
    },
}

/// A probability density on the real line, given through its logarithm.
///
/// Implementors promise: `ln_pdf` is never NaN for a non-NaN argument, is
/// `-inf` exactly where the density is 0, and the density integrates to 1.
/// The other methods describe the density's shape so that a quadrature can
/// integrate functionals of it without missing mass (see
/// [`integration_pieces`](crate::continuous::integration_pieces)).
pub trait Density {
    /// `ln p(x)`; `-inf` where `p(x) = 0`.
    fn ln_pdf(&self, x: f64) -> f64;

    /// `p(x) = exp(ln p(x))` (underflows to 0 far in the tails).
    fn pdf(&self, x: f64) -> f64 {
        self.ln_pdf(x).exp()
    }

    /// Points where the density or one of its derivatives jumps (the ends of
    /// a uniform). Quadrature splits its range there, so that every piece it
    /// integrates on is smooth.
    fn breakpoints(&self) -> Vec<f64>;

    /// Points that fence the density's mass at its own scale (a normal's mean
    /// and mean ± 1, 2, 4, ..., 32, 40 sd). Quadrature starts from a partition
    /// containing them, so that no initial piece is so wide that all its
    /// nodes miss a narrow density.
    fn landmarks(&self) -> Vec<f64>;

    /// An interval `(low, high)` outside which the mass is below 1e-300.
    fn effective_support(&self) -> (f64, f64);

    /// Behaviour as `x -> -inf`.
    fn left_tail(&self) -> Tail;

    /// Behaviour as `x -> +inf`.
    fn right_tail(&self) -> Tail;
}

fn invalid(name: &'static str, value: f64, requirement: &'static str) -> Error {
    Error::InvalidParameter {
        name,
        value,
        requirement,
    }
}

/// Checks a location (mean, interval end): finite with |value| <= MAX_COORDINATE.
fn check_location(name: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value.abs() <= MAX_COORDINATE {
        Ok(())
    } else {
        Err(invalid(name, value, "must be finite with |value| <= 1e100"))
    }
}

/// Checks a scale (sd, width) against its bounds and the location's magnitude.
fn check_scale(
    name: &'static str,
    value: f64,
    location_magnitude: f64,
    requirement: &'static str,
) -> Result<()> {
    let in_range = (MIN_SCALE..=MAX_COORDINATE).contains(&value);
    if in_range && value >= MIN_RELATIVE_SCALE * location_magnitude {
        Ok(())
    } else {
        Err(invalid(name, value, requirement))
    }
}

/// The normal density `N(mean, sd^2)`, wrapping `statrs::distribution::Normal`.
///
/// `ln p(x) = -(x - mean)^2 / (2 sd^2) - ln(sd) - ln(2 pi)/2`.
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
///
/// # Example
/// ```
/// use gan_theory::continuous::{Density, Normal};
/// let n = Normal::new(1.0, 2.0)?;
/// let expected = -0.5 * (2.0 * std::f64::consts::PI).ln() - 2f64.ln();
/// assert!((n.ln_pdf(1.0) - expected).abs() < 1e-15);
/// assert!(Normal::new(0.0, 0.0).is_err());
/// assert!(Normal::new(f64::NAN, 1.0).is_err());
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Normal {
    inner: StatrsNormal,
    mean: f64,
    sd: f64,
}

impl Normal {
    /// Validates `mean` (finite, |mean| <= [`MAX_COORDINATE`]) and `sd`
    /// (in [[`MIN_SCALE`], [`MAX_COORDINATE`]] and at least
    /// [`MIN_RELATIVE_SCALE`] |mean|).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `mean` or `sd`.
    pub fn new(mean: f64, sd: f64) -> Result<Self> {
        check_location("mean", mean)?;
        check_scale(
            "sd",
            sd,
            mean.abs(),
            "must be in [1e-100, 1e100] and at least 1e-9 |mean|",
        )?;
        let inner = StatrsNormal::new(mean, sd)
            .map_err(|_| invalid("sd", sd, "refused by statrs::distribution::Normal"))?;
        Ok(Self { inner, mean, sd })
    }

    /// The standard normal `N(0, 1)`.
    pub fn standard() -> Self {
        Self {
            inner: StatrsNormal::standard(),
            mean: 0.0,
            sd: 1.0,
        }
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The standard deviation.
    pub fn sd(&self) -> f64 {
        self.sd
    }

    /// The wrapped statrs distribution.
    pub fn as_statrs(&self) -> &StatrsNormal {
        &self.inner
    }
}

impl Density for Normal {
    fn ln_pdf(&self, x: f64) -> f64 {
        self.inner.ln_pdf(x)
    }

    fn breakpoints(&self) -> Vec<f64> {
        Vec::new()
    }

    fn landmarks(&self) -> Vec<f64> {
        let mut points = vec![self.mean];
        for k in [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, EFFECTIVE_SUPPORT_SDS] {
            points.push(self.mean - k * self.sd);
            points.push(self.mean + k * self.sd);
        }
        points
    }

    fn effective_support(&self) -> (f64, f64) {
        let half_width = EFFECTIVE_SUPPORT_SDS * self.sd;
        (self.mean - half_width, self.mean + half_width)
    }

    fn left_tail(&self) -> Tail {
        Tail::Gaussian { scale: self.sd }
    }

    fn right_tail(&self) -> Tail {
        self.left_tail()
    }
}

/// The uniform density on `[low, high]`, wrapping `statrs::distribution::Uniform`.
///
/// `p(x) = 1 / (high - low)` on `[low, high]`, 0 elsewhere.
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
///
/// # Example
/// ```
/// use gan_theory::continuous::{Density, Uniform};
/// let u = Uniform::new(-1.0, 3.0)?;
/// assert_eq!(u.pdf(0.0), 0.25);
/// assert_eq!(u.ln_pdf(5.0), f64::NEG_INFINITY);
/// assert!(Uniform::new(1.0, 1.0).is_err());
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Uniform {
    inner: StatrsUniform,
    low: f64,
    high: f64,
}

impl Uniform {
    /// Validates the ends: both finite with |end| <= [`MAX_COORDINATE`],
    /// `low < high`, and the width `high - low` in
    /// [[`MIN_SCALE`], [`MAX_COORDINATE`]] and at least [`MIN_RELATIVE_SCALE`]
    /// times the larger |end|.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming `low` or `high`.
    pub fn new(low: f64, high: f64) -> Result<Self> {
        check_location("low", low)?;
        check_location("high", high)?;
        if high <= low {
            return Err(invalid("high", high, "must be greater than low"));
        }
        check_scale(
            "high",
            high - low,
            low.abs().max(high.abs()),
            "the width high - low must be in [1e-100, 1e100] and at least 1e-9 max(|low|, |high|)",
        )?;
        let inner = StatrsUniform::new(low, high)
            .map_err(|_| invalid("high", high, "refused by statrs::distribution::Uniform"))?;
        Ok(Self { inner, low, high })
    }

    /// The lower end.
    pub fn low(&self) -> f64 {
        self.low
    }

    /// The upper end.
    pub fn high(&self) -> f64 {
        self.high
    }

    /// The wrapped statrs distribution.
    pub fn as_statrs(&self) -> &StatrsUniform {
        &self.inner
    }
}

impl Density for Uniform {
    fn ln_pdf(&self, x: f64) -> f64 {
        self.inner.ln_pdf(x)
    }

    fn breakpoints(&self) -> Vec<f64> {
        vec![self.low, self.high]
    }

    fn landmarks(&self) -> Vec<f64> {
        vec![self.low, self.high]
    }

    fn effective_support(&self) -> (f64, f64) {
        (self.low, self.high)
    }

    fn left_tail(&self) -> Tail {
        Tail::Ends(self.low)
    }

    fn right_tail(&self) -> Tail {
        Tail::Ends(self.high)
    }
}

/// A finite mixture of normals `p(x) = sum_i w_i N(x; m_i, s_i^2)`, with
/// every weight `w_i > 0` and `sum_i w_i = 1`.
///
/// `ln p` is computed by log-sum-exp over `ln w_i + ln N(x; m_i, s_i^2)`, so
/// it stays finite (and accurate) where every term underflows.
///
/// Checked by claim [B5](crate::proofs::b5_continuous_references).
///
/// # Example
/// ```
/// use gan_theory::continuous::{Density, Normal, NormalMixture};
/// let mix = NormalMixture::from_weights(
///     &[1.0, 3.0],
///     vec![Normal::new(-2.0, 1.0)?, Normal::new(2.0, 0.5)?],
/// )?;
/// assert_eq!(mix.weights(), &[0.25, 0.75]);
/// assert!(mix.ln_pdf(1e6).is_finite()); // the density underflows, its log does not
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NormalMixture {
    weights: Vec<f64>,
    ln_weights: Vec<f64>,
    components: Vec<Normal>,
}

impl NormalMixture {
    /// A mixture whose `weights` must already sum to 1 (within
    /// [`tol::sum_tolerance`](crate::tol::sum_tolerance)); nothing is rescaled.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when the lengths differ; [`Error::Empty`],
    /// [`Error::NotANumber`], [`Error::Infinite`], [`Error::Negative`] or
    /// [`Error::SumNotOne`] for bad weights (naming the first bad index);
    /// [`Error::InvalidParameter`] for a zero weight.
    pub fn new(weights: Vec<f64>, components: Vec<Normal>) -> Result<Self> {
        check_one_weight_per_component(&weights, &components)?;
        let weights = Discrete::new(weights)?;
        Self::from_discrete(&weights, components)
    }

    /// A mixture with weights `w_i / sum_j w_j` from positive, finite weights
    /// (or counts).
    ///
    /// # Errors
    /// As [`NormalMixture::new`], with [`Error::ZeroTotal`] in place of
    /// [`Error::SumNotOne`].
    pub fn from_weights(weights: &[f64], components: Vec<Normal>) -> Result<Self> {
        check_one_weight_per_component(weights, &components)?;
        if let Some(&zero) = weights.iter().find(|&&w| w == 0.0) {
            return Err(zero_weight(zero));
        }
        let weights = Discrete::from_weights(weights)?;
        Self::from_discrete(&weights, components)
    }

    fn from_discrete(weights: &Discrete, components: Vec<Normal>) -> Result<Self> {
        let weights = weights.as_slice().to_vec();
        if let Some(&zero) = weights.iter().find(|&&w| w == 0.0) {
            return Err(zero_weight(zero));
        }
        let ln_weights = weights.iter().map(|w| w.ln()).collect();
        Ok(Self {
            weights,
            ln_weights,
            components,
        })
    }

    /// The weights, summing to 1.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The components.
    pub fn components(&self) -> &[Normal] {
        &self.components
    }

    /// A tail of the mixture: that of its widest component, which dominates
    /// both tails (`ln p(x) = -x^2/(2 s_max^2) + O(|x|)`).
    fn widest_tail(&self) -> Tail {
        let scale = self.components.iter().map(|c| c.sd).fold(0.0, f64::max);
        Tail::Gaussian { scale }
    }
}

/// Refuses a mixture whose weights and components differ in number.
fn check_one_weight_per_component(weights: &[f64], components: &[Normal]) -> Result<()> {
    crate::error::check_same_length(weights.len(), components.len())
}

fn zero_weight(value: f64) -> Error {
    invalid(
        "weight",
        value,
        "every mixture weight must be > 0 (drop the component instead)",
    )
}

impl Density for NormalMixture {
    fn ln_pdf(&self, x: f64) -> f64 {
        let terms = self
            .ln_weights
            .iter()
            .zip(&self.components)
            .map(|(ln_w, c)| ln_w + c.ln_pdf(x));
        let largest = terms.clone().fold(f64::NEG_INFINITY, f64::max);
        if largest == f64::NEG_INFINITY {
            return largest;
        }
        largest + terms.map(|t| (t - largest).exp()).sum::<f64>().ln()
    }

    fn breakpoints(&self) -> Vec<f64> {
        Vec::new()
    }

    fn landmarks(&self) -> Vec<f64> {
        self.components.iter().flat_map(|c| c.landmarks()).collect()
    }

    fn effective_support(&self) -> (f64, f64) {
        self.components
            .iter()
            .map(|c| c.effective_support())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (a, b)| {
                (lo.min(a), hi.max(b))
            })
    }

    fn left_tail(&self) -> Tail {
        self.widest_tail()
    }

    fn right_tail(&self) -> Tail {
        self.widest_tail()
    }
}
