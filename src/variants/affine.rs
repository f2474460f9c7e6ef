//! Restricted discriminators on the line and the generator gradients they
//! give as the data and the generated samples move apart (claim
//! [F7](crate::proofs::f7_least_squares_slope)): a sigmoid of an affine
//! function, `D(x) = sigma(w x + beta)` (the minimax GAN with a logistic
//! discriminator), and an affine function `D(x) = w x + beta` fitted by least
//! squares to LSGAN's labels.
//!
//! Both laws are uniform on a segment `[centre - h, centre + h]`, or a point
//! mass when `h = 0` ([`Segment`]). The generator moves its law by `theta`
//! (`x = theta + z`), and its gradient is taken with the discriminator held
//! fixed, as in training:
//!
//! ```text
//! minimax:  d/dtheta E ln(1 - sigma(w x + beta))  = -w E_g sigma(w x + beta)
//! LSGAN:    d/dtheta E ½ (w x + beta - c)^2        =  w (E_g D - c)
//! ```
//!
//! The expectations over a segment are in closed form
//! (`integral sigma = softplus`), so nothing here is sampled or integrated
//! numerically.

use crate::error::{Error, Result};
use crate::numeric::{sigmoid, softplus};
use crate::variants::lsgan::LsganLabels;

/// A law on the line: uniform on `[centre - half_width, centre + half_width]`,
/// or the point mass at `centre` when `half_width = 0`.
///
/// Checked by claim [F7](crate::proofs::f7_least_squares_slope).
///
/// # Example
/// ```
/// use gan_theory::variants::affine::Segment;
/// let s = Segment::new(1.0, 0.5)?;
/// assert_eq!((s.mean(), s.variance()), (1.0, 0.25 / 3.0));
/// assert_eq!(Segment::point(2.0)?.variance(), 0.0);
/// assert!(Segment::new(0.0, -1.0).is_err());
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Segment {
    centre: f64,
    half_width: f64,
}

impl Segment {
    /// The uniform law on `[centre - half_width, centre + half_width]`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a non-finite centre or a half-width
    /// that is negative or not finite.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Segment;
    /// assert!(Segment::new(f64::NAN, 1.0).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(centre: f64, half_width: f64) -> Result<Self> {
        if !centre.is_finite() {
            return Err(Error::InvalidParameter {
                name: "centre",
                value: centre,
                requirement: "must be finite",
            });
        }
        if !(half_width >= 0.0 && half_width.is_finite()) {
            return Err(Error::InvalidParameter {
                name: "half_width",
                value: half_width,
                requirement: "must be finite and >= 0",
            });
        }
        Ok(Self { centre, half_width })
    }

    /// The point mass at `centre`.
    ///
    /// # Errors
    /// As [`Segment::new`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Segment;
    /// assert_eq!(Segment::point(3.0)?.half_width(), 0.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn point(centre: f64) -> Result<Self> {
        Self::new(centre, 0.0)
    }

    /// The centre (the mean).
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Segment;
    /// assert_eq!(Segment::new(-1.5, 2.0)?.centre(), -1.5);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn centre(&self) -> f64 {
        self.centre
    }

    /// The half-width `h` (0 for a point mass).
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Segment;
    /// assert_eq!(Segment::new(0.0, 2.0)?.half_width(), 2.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn half_width(&self) -> f64 {
        self.half_width
    }

    /// The mean, the centre.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Segment;
    /// assert_eq!(Segment::new(4.0, 1.0)?.mean(), 4.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn mean(&self) -> f64 {
        self.centre
    }

    /// The variance `h^2 / 3`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Segment;
    /// assert_eq!(Segment::new(0.0, 3.0)?.variance(), 3.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn variance(&self) -> f64 {
        self.half_width * self.half_width / 3.0
    }

    /// The same law moved by `shift`.
    ///
    /// # Errors
    /// As [`Segment::new`] (a non-finite result).
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Segment;
    /// assert_eq!(Segment::new(1.0, 0.5)?.moved(2.0)?, Segment::new(3.0, 0.5)?);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn moved(&self, shift: f64) -> Result<Self> {
        Self::new(self.centre + shift, self.half_width)
    }

    /// `E sigma(w x + beta)` under this law, in closed form:
    /// `[softplus(w (c + h) + beta) - softplus(w (c - h) + beta)] / (2 w h)`,
    /// and `sigma(w c + beta)` for a point mass or `w = 0`.
    fn mean_sigmoid(&self, w: f64, beta: f64) -> f64 {
        let (c, h) = (self.centre, self.half_width);
        if h == 0.0 || w == 0.0 {
            return sigmoid(w * c + beta);
        }
        (softplus(w * (c + h) + beta) - softplus(w * (c - h) + beta)) / (2.0 * w * h)
    }
}

/// The discriminator `D(x) = sigma(scale x + offset)`.
///
/// Checked by claim [F7](crate::proofs::f7_least_squares_slope).
///
/// # Example
/// ```
/// use gan_theory::variants::affine::Logistic;
/// let d = Logistic::new(2.0, -1.0)?;
/// assert_eq!(d.logit(0.5), 0.0);
/// assert!(Logistic::new(f64::INFINITY, 0.0).is_err());
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Logistic {
    scale: f64,
    offset: f64,
}

fn finite(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::InvalidParameter {
            name,
            value,
            requirement: "must be finite",
        })
    }
}

impl Logistic {
    /// `D(x) = sigma(scale x + offset)`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a parameter that is not finite.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Logistic;
    /// assert_eq!(Logistic::new(0.0, 0.0)?.probability(7.0), 0.5);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(scale: f64, offset: f64) -> Result<Self> {
        Ok(Self {
            scale: finite("scale", scale)?,
            offset: finite("offset", offset)?,
        })
    }

    /// The scale `w`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Logistic;
    /// assert_eq!(Logistic::new(3.0, 1.0)?.scale(), 3.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// The offset `beta`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Logistic;
    /// assert_eq!(Logistic::new(3.0, 1.0)?.offset(), 1.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn offset(&self) -> f64 {
        self.offset
    }

    /// The logit `w x + beta` at `x`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Logistic;
    /// assert_eq!(Logistic::new(3.0, 1.0)?.logit(2.0), 7.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn logit(&self, x: f64) -> f64 {
        self.scale * x + self.offset
    }

    /// `D(x) = sigma(w x + beta)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Logistic;
    /// assert!((Logistic::new(1.0, 0.0)?.probability(3f64.ln()) - 0.75).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn probability(&self, x: f64) -> f64 {
        sigmoid(self.logit(x))
    }

    /// `V(D, G) = E_data ln D + E_gen ln(1 - D)` for two point masses (through
    /// softplus: `ln sigma(l) = -softplus(-l)`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when a law is not a point mass.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::{Logistic, Segment};
    /// let (data, fake) = (Segment::point(1.0)?, Segment::point(-1.0)?);
    /// // sigma(2) at the data, 1 - sigma(-2) = sigma(2) at the generated point:
    /// let v = Logistic::new(2.0, 0.0)?.value(&data, &fake)?;
    /// assert!((v - 2.0 * (1.0 / (1.0 + (-2f64).exp())).ln()).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn value(&self, data: &Segment, generated: &Segment) -> Result<f64> {
        points(data, generated)?;
        Ok(-softplus(-self.logit(data.centre)) - softplus(self.logit(generated.centre)))
    }

    /// The minimax generator's gradient with `D` held fixed,
    /// `d/dtheta E ln(1 - D(theta + z)) = -w E sigma(w x + beta)` under
    /// `generated`, in closed form (for a segment,
    /// `-[softplus(w (c + h) + beta) - softplus(w (c - h) + beta)] / (2 h)`).
    ///
    /// # Example
    /// Central differences of the loss on a point mass:
    /// ```
    /// use gan_theory::variants::affine::{Logistic, Segment};
    /// let d = Logistic::new(3.0, 0.5)?;
    /// let loss = |t: f64| -gan_theory::game::softplus(d.logit(t));   // ln(1 - D(t))
    /// let h = 1e-6;
    /// let numeric = (loss(-0.2 + h) - loss(-0.2 - h)) / (2.0 * h);
    /// assert!((d.saturating_gradient(&Segment::point(-0.2)?) - numeric).abs() < 1e-8);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn saturating_gradient(&self, generated: &Segment) -> f64 {
        let (c, h) = (generated.centre, generated.half_width);
        if h == 0.0 || self.scale == 0.0 {
            return -self.scale * sigmoid(self.logit(c));
        }
        -(softplus(self.logit(c + h)) - softplus(self.logit(c - h))) / (2.0 * h)
    }

    /// The non-saturating generator's gradient with `D` held fixed,
    /// `d/dtheta E[-ln D(theta + z)] = -w E sigma(-(w x + beta))`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::{Logistic, Segment};
    /// // A confident D (logit -20 at the generated point) still gives about -w:
    /// let d = Logistic::new(10.0, 0.0)?;
    /// assert!((d.non_saturating_gradient(&Segment::point(-2.0)?) + 10.0).abs() < 1e-7);
    /// assert!(d.saturating_gradient(&Segment::point(-2.0)?).abs() < 1e-7);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn non_saturating_gradient(&self, generated: &Segment) -> f64 {
        -self.scale * (1.0 - generated.mean_sigmoid(self.scale, self.offset))
    }
}

fn points(data: &Segment, generated: &Segment) -> Result<()> {
    for (name, s) in [("data", data), ("generated", generated)] {
        if s.half_width != 0.0 {
            return Err(Error::InvalidParameter {
                name,
                value: s.half_width,
                requirement: "the logistic fit is implemented for point masses (half-width 0)",
            });
        }
    }
    Ok(())
}

/// `steps` gradient-ascent steps of size `step` on `V(D, G)` over the
/// logistic discriminator's two parameters, from `D = 1/2` (`w = beta = 0`),
/// for point masses: every iterate, the start first. On distinct points the
/// two are separable, `sup V = 0` is not attained and `w` grows without
/// bound (like `ln t`): the fit runs to the perfect discriminator.
///
/// Checked by claim [F7](crate::proofs::f7_least_squares_slope).
///
/// # Errors
/// [`Error::InvalidParameter`] when a law is not a point mass or the step is
/// not finite and positive.
///
/// # Example
/// ```
/// use gan_theory::variants::affine::{Segment, logistic_ascent};
/// let (data, fake) = (Segment::point(1.0)?, Segment::point(-1.0)?);
/// let fit = logistic_ascent(&data, &fake, 0.5, 1000)?;
/// let last = fit.last().unwrap();
/// assert!(last.scale() > 3.0 && last.offset().abs() < 1e-15);   // symmetric pair
/// // The minimax gradient has all but vanished; the non-saturating one has not.
/// assert!(last.saturating_gradient(&fake).abs() < 0.01);
/// assert!(last.non_saturating_gradient(&fake).abs() > 3.0);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn logistic_ascent(
    data: &Segment,
    generated: &Segment,
    step: f64,
    steps: usize,
) -> Result<Vec<Logistic>> {
    points(data, generated)?;
    if !(step > 0.0 && step.is_finite()) {
        return Err(Error::InvalidParameter {
            name: "step",
            value: step,
            requirement: "must be finite and > 0",
        });
    }
    let (x, y) = (data.centre, generated.centre);
    let mut d = Logistic::new(0.0, 0.0)?;
    let mut out = Vec::with_capacity(steps + 1);
    out.push(d);
    for _ in 0..steps {
        // dV/dl at the data point sigma(-l), at the generated point -sigma(l).
        let (at_data, at_gen) = (sigmoid(-d.logit(x)), -sigmoid(d.logit(y)));
        d = Logistic::new(
            d.scale + step * (at_data * x + at_gen * y),
            d.offset + step * (at_data + at_gen),
        )?;
        out.push(d);
    }
    Ok(out)
}

/// The affine discriminator `D(x) = slope x + intercept` of LSGAN.
///
/// Checked by claim [F7](crate::proofs::f7_least_squares_slope).
///
/// # Example
/// ```
/// use gan_theory::variants::affine::Affine;
/// assert_eq!(Affine::new(2.0, 1.0)?.value_at(3.0), 7.0);
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affine {
    slope: f64,
    intercept: f64,
}

impl Affine {
    /// `D(x) = slope x + intercept`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for a parameter that is not finite.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Affine;
    /// assert!(Affine::new(f64::NAN, 0.0).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(slope: f64, intercept: f64) -> Result<Self> {
        Ok(Self {
            slope: finite("slope", slope)?,
            intercept: finite("intercept", intercept)?,
        })
    }

    /// The slope `w`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Affine;
    /// assert_eq!(Affine::new(2.0, 1.0)?.slope(), 2.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn slope(&self) -> f64 {
        self.slope
    }

    /// The intercept `beta`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Affine;
    /// assert_eq!(Affine::new(2.0, 1.0)?.intercept(), 1.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// `D(x)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::affine::Affine;
    /// assert_eq!(Affine::new(-1.0, 0.5)?.value_at(0.5), 0.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn value_at(&self, x: f64) -> f64 {
        self.slope * x + self.intercept
    }

    /// LSGAN's discriminator loss
    /// `½ E_data (D - b)^2 + ½ E_gen (D - a)^2`, in closed form
    /// (`E (D - y)^2 = (D(mean) - y)^2 + slope^2 variance`).
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::{affine::{Affine, Segment}, lsgan::LsganLabels};
    /// let labels = LsganLabels::binary_labels();   // a = 0, b = 1
    /// let (data, fake) = (Segment::point(1.0)?, Segment::point(0.0)?);
    /// assert_eq!(Affine::new(1.0, 0.0)?.discriminator_loss(&labels, &data, &fake), 0.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn discriminator_loss(
        &self,
        labels: &LsganLabels,
        data: &Segment,
        generated: &Segment,
    ) -> f64 {
        let square = |s: &Segment, y: f64| {
            (self.value_at(s.mean()) - y).powi(2) + self.slope * self.slope * s.variance()
        };
        0.5 * square(data, labels.b()) + 0.5 * square(generated, labels.a())
    }

    /// LSGAN's generator loss `½ E_gen (D - c)^2`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::{affine::{Affine, Segment}, lsgan::LsganLabels};
    /// let labels = LsganLabels::binary_labels();   // c = 1
    /// let d = Affine::new(1.0, 0.0)?;
    /// assert_eq!(d.generator_loss(&labels, &Segment::point(0.0)?), 0.5);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn generator_loss(&self, labels: &LsganLabels, generated: &Segment) -> f64 {
        0.5 * ((self.value_at(generated.mean()) - labels.c()).powi(2)
            + self.slope * self.slope * generated.variance())
    }

    /// The generator's gradient with `D` held fixed,
    /// `d/dtheta ½ E (D(theta + z) - c)^2 = slope (E_gen D - c)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::{affine::{Affine, Segment}, lsgan::LsganLabels};
    /// let labels = LsganLabels::binary_labels();
    /// let d = Affine::new(0.25, 0.5)?;
    /// let fake = Segment::new(-2.0, 1.0)?;
    /// let h = 1e-4;
    /// let numeric = (d.generator_loss(&labels, &fake.moved(h)?)
    ///     - d.generator_loss(&labels, &fake.moved(-h)?)) / (2.0 * h);
    /// assert!((d.generator_gradient(&labels, &fake) - numeric).abs() < 1e-10);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn generator_gradient(&self, labels: &LsganLabels, generated: &Segment) -> f64 {
        self.slope * (self.value_at(generated.mean()) - labels.c())
    }
}

/// The affine discriminator that minimises LSGAN's discriminator loss
/// `½ E_data (D - b)^2 + ½ E_gen (D - a)^2` (the least-squares fit of the
/// labels on the equal mixture of the two laws):
/// `slope = Cov(x, y) / Var(x) = (b - a) Delta / 4 / (½ (v_d + v_g) + Delta^2 / 4)`
/// with `Delta` the difference of the means and `v` the variances, and the
/// intercept that puts the mixture's mean label `(a + b)/2` at its mean point.
///
/// Checked by claim [F7](crate::proofs::f7_least_squares_slope).
///
/// # Errors
/// [`Error::InvalidParameter`] when both laws are the same point mass (every
/// slope fits).
///
/// # Example
/// Two point masses are interpolated: `D = b` at the data, `a` at the
/// generated point, so the slope is `(b - a) / Delta`.
/// ```
/// use gan_theory::variants::{affine::{Segment, least_squares_fit}, lsgan::LsganLabels};
/// let labels = LsganLabels::binary_labels();
/// let fit = least_squares_fit(&labels, &Segment::point(3.0)?, &Segment::point(-1.0)?)?;
/// assert!((fit.slope() - 0.25).abs() < 1e-15 && (fit.value_at(3.0) - 1.0).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn least_squares_fit(
    labels: &LsganLabels,
    data: &Segment,
    generated: &Segment,
) -> Result<Affine> {
    let delta = data.mean() - generated.mean();
    let spread = 0.5 * (data.variance() + generated.variance()) + 0.25 * delta * delta;
    if spread == 0.0 {
        return Err(Error::InvalidParameter {
            name: "separation",
            value: 0.0,
            requirement: "the two laws must not be the same point mass",
        });
    }
    let slope = 0.25 * (labels.b() - labels.a()) * delta / spread;
    let (mean_x, mean_y) = (
        0.5 * (data.mean() + generated.mean()),
        0.5 * (labels.a() + labels.b()),
    );
    Affine::new(slope, mean_y - slope * mean_x)
}
