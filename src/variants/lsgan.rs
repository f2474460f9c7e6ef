//! Least squares GAN (Mao et al. 2017) on a finite support, in closed form.
//!
//! Serves claim [D2](crate::proofs::d2_lsgan).
//!
//! With labels `a` (fake), `b` (real) and `c` (what G wants D to say of its
//! samples), a tabular discriminator `D` (one real score per point) and
//! distributions `p = p_data`, `q = p_g`:
//!
//! ```text
//! L_D(D) = ½ E_p (D - b)² + ½ E_q (D - a)²                 (D minimises)
//! L_G(D) = ½ E_p (D - c)² + ½ E_q (D - c)²                 (G minimises; the paper's extended form)
//! D*     = (b p + a q) / (p + q)
//! L_G(D*) = ((a + b)/2 - c)² + ((b - a)/2)² T(p, q),   T(p, q) = ½ sum (p - q)² / (p + q)
//! ```
//!
//! `T(p, q) = ½ chi2(2q ‖ p + q)`, Pearson's chi-squared of the two
//! non-normalised measures `2q` and `p + q` (both of mass 2), with `p + q` in
//! the denominator. With `b - c = 1` and `b - a = 2` the constant vanishes and
//! the scale is 1: `L_G(D*) = ½ chi2(2 p_g ‖ p_data + p_g)`. Mao et al. write
//! this as "chi2_Pearson(p_data + p_g ‖ 2 p_g)", the arguments the other way
//! round (their integrand's denominator is `p_data + p_g`). Read with the
//! usual convention `chi2(P ‖ Q) = sum (P - Q)² / Q`, chi2(p_data + p_g ‖
//! 2 p_g) is another number, `½ chi2(p_data ‖ p_g)`
//! ([`chi2_sum_against_twice_generated`]), `+inf` as soon as
//! `p_g = 0 < p_data` somewhere, while `T` never exceeds 1. See
//! `proofs/D2-lsgan.md`.
//!
//! Which generator loss: [`generator_loss`] is the extended form above,
//! because its value at `D*` is the divergence the generator minimises; the
//! paper trains G with only the second term, [`generator_loss_fake_only`].
//! For a fixed D the two differ by `½ E_p (D - c)²`, which does not depend on
//! p_g, so they have the same gradient in p_g ([`generator_loss_gradient_in_p_g`]);
//! their values at `D* = D*_G` differ by a term that does depend on p_g.
//!
//! The identity is about the value `min_G L_G(D*_G)`, not about training: a
//! generator that follows its loss's gradient with D held at `D*` does not
//! follow the gradient of `L_G(D*_G)` ([`generator_value_gradient_in_p_g`]),
//! and with `c` strictly between `a` and `b` it can move away from p_data
//! (`train::tabular_variants::train_lsgan_generator`).

use crate::error::{Error, Result, check_same_length};
use crate::measure::{Discrete, check_finite, check_non_negative, same_len};
use crate::numeric::{self, CompensatedSum};

/// The three labels of LSGAN: `a` for generated samples and `b` for real ones
/// (the discriminator's regression targets), `c` the value the generator
/// wants the discriminator to give its samples.
///
/// Checked by claim [D2](crate::proofs::d2_lsgan).
///
/// # Example
/// ```
/// use gan_theory::variants::lsgan::LsganLabels;
/// let labels = LsganLabels::new(-1.0, 1.0, 0.0)?;
/// assert_eq!(labels, LsganLabels::chi2_labels());
/// assert!(labels.gives_half_pearson());
/// assert!(LsganLabels::new(1.0, 1.0, 0.0).is_err());   // a = b: D* undefined
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LsganLabels {
    a: f64,
    b: f64,
    c: f64,
}

impl LsganLabels {
    /// Labels `a` (fake), `b` (real), `c` (generator's target).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when a label is NaN or infinite, when
    /// `a = b` (the discriminator would have nothing to separate), or when a
    /// difference of two labels overflows `f64`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::lsgan::LsganLabels;
    /// let labels = LsganLabels::new(-1.0, 1.0, 0.5)?;
    /// assert_eq!((labels.a(), labels.b(), labels.c()), (-1.0, 1.0, 0.5));
    /// assert!(LsganLabels::new(f64::NAN, 1.0, 0.0).is_err());
    /// assert!(LsganLabels::new(2.0, 2.0, 0.0).is_err()); // a = b
    /// assert!(LsganLabels::new(-1e308, 1e308, 0.0).is_err()); // b - a overflows
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(a: f64, b: f64, c: f64) -> Result<Self> {
        for (name, value) in [("a", a), ("b", b), ("c", c)] {
            if !value.is_finite() {
                return Err(Error::InvalidParameter {
                    name,
                    value,
                    requirement: "an LSGAN label must be finite",
                });
            }
        }
        if a == b {
            return Err(Error::InvalidParameter {
                name: "a",
                value: a,
                requirement: "the fake label a must differ from the real label b",
            });
        }
        // Every formula here goes through b - a, b - c or a - c; refusing
        // labels whose differences overflow keeps them free of inf - inf.
        if !((b - a).is_finite() && (b - c).is_finite() && (a - c).is_finite()) {
            return Err(Error::InvalidParameter {
                name: "c",
                value: c,
                requirement: "the differences b - a, b - c and a - c must be finite",
            });
        }
        Ok(Self { a, b, c })
    }

    /// `a = -1, b = 1, c = 0`: Mao et al.'s choice satisfying `b - c = 1`,
    /// `b - a = 2`, for which `L_G(D*) = ½ chi2(2 p_g ‖ p_data + p_g)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::lsgan::{LsganLabels, generator_value_at_optimum, lsgan_divergence};
    /// let labels = LsganLabels::chi2_labels();
    /// assert_eq!((labels.a(), labels.b(), labels.c()), (-1.0, 1.0, 0.0));
    /// // Offset 0 and scale 1: L_G(D*) is T(p, q) itself.
    /// assert_eq!((labels.optimum_offset(), labels.optimum_scale()), (0.0, 1.0));
    /// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
    /// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// let value = generator_value_at_optimum(&labels, &p, &q)?;
    /// assert!((value - lsgan_divergence(&p, &q)?).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn chi2_labels() -> Self {
        Self {
            a: -1.0,
            b: 1.0,
            c: 0.0,
        }
    }

    /// `a = 0, b = 1, c = 1`: Mao et al.'s "0-1 binary coding", where G wants
    /// its samples labelled real; `L_G(D*) = 1/4 + T(p, q)/4`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::lsgan::{LsganLabels, generator_value_at_optimum};
    /// let labels = LsganLabels::binary_labels();
    /// assert_eq!((labels.a(), labels.b(), labels.c()), (0.0, 1.0, 1.0));
    /// // L_G(D*) = 1/4 + T/4: 1/4 at p_g = p_data (T = 0), 1/2 for disjoint
    /// // supports (T = 1).
    /// let p = Discrete::new(vec![0.5, 0.5, 0.0])?;
    /// let disjoint = Discrete::point_mass(3, 2)?;
    /// assert_eq!(generator_value_at_optimum(&labels, &p, &p)?, 0.25);
    /// assert_eq!(generator_value_at_optimum(&labels, &p, &disjoint)?, 0.5);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn binary_labels() -> Self {
        Self {
            a: 0.0,
            b: 1.0,
            c: 1.0,
        }
    }

    /// The fake label `a`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::lsgan::{LsganLabels, optimal_discriminator};
    /// // Where only p_g has mass, D* is the fake label a:
    /// let labels = LsganLabels::new(-0.5, 2.0, 1.0)?;
    /// let p = Discrete::new(vec![1.0, 0.0])?;
    /// let q = Discrete::new(vec![0.5, 0.5])?;
    /// assert_eq!(optimal_discriminator(&labels, &p, &q)?[1], labels.a());
    /// assert_eq!(labels.a(), -0.5);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn a(&self) -> f64 {
        self.a
    }

    /// The real label `b`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::lsgan::{LsganLabels, optimal_discriminator};
    /// // Where only p_data has mass, D* is the real label b:
    /// let labels = LsganLabels::new(-0.5, 2.0, 1.0)?;
    /// let p = Discrete::new(vec![0.5, 0.5])?;
    /// let q = Discrete::new(vec![1.0, 0.0])?;
    /// assert_eq!(optimal_discriminator(&labels, &p, &q)?[1], labels.b());
    /// assert_eq!(labels.b(), 2.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn b(&self) -> f64 {
        self.b
    }

    /// The generator's target `c`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::lsgan::{LsganLabels, generator_loss};
    /// // A discriminator that says c everywhere leaves the generator nothing
    /// // to gain: L_G = ½ E_p (c - c)² + ½ E_q (c - c)² = 0.
    /// let labels = LsganLabels::new(-0.5, 2.0, 1.0)?;
    /// let (p, q) = (Discrete::uniform(3)?, Discrete::point_mass(3, 0)?);
    /// assert_eq!(generator_loss(&labels, &p, &q, &[labels.c(); 3])?, 0.0);
    /// assert_eq!(labels.c(), 1.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn c(&self) -> f64 {
        self.c
    }

    /// True when `b - c = 1` and `b - a = 2` hold exactly in `f64`: the
    /// paper's condition for `L_G(D*) = ½ chi2(2 p_g ‖ p_data + p_g)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::lsgan::{LsganLabels, generator_value_at_optimum, lsgan_divergence};
    /// assert!(LsganLabels::chi2_labels().gives_half_pearson());
    /// assert!(!LsganLabels::binary_labels().gives_half_pearson());
    /// // Any shift of (-1, 1, 0) qualifies, and then L_G(D*) = T(p, q):
    /// let shifted = LsganLabels::new(0.0, 2.0, 1.0)?;
    /// assert!(shifted.gives_half_pearson());
    /// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
    /// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// let value = generator_value_at_optimum(&shifted, &p, &q)?;
    /// assert!((value - lsgan_divergence(&p, &q)?).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn gives_half_pearson(&self) -> bool {
        self.b - self.c == 1.0 && self.b - self.a == 2.0
    }

    /// `((a + b)/2 - c)²`: the constant in `L_G(D*) = constant + scale T(p, q)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::lsgan::{LsganLabels, generator_value_at_optimum};
    /// // (a, b, c) = (0, 2, 0.5): ((0 + 2)/2 - 0.5)² = 0.25.
    /// let labels = LsganLabels::new(0.0, 2.0, 0.5)?;
    /// assert_eq!(labels.optimum_offset(), 0.25);
    /// // At p_g = p_data, T = 0 and L_G(D*) is the offset alone:
    /// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
    /// assert!((generator_value_at_optimum(&labels, &p, &p)? - 0.25).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn optimum_offset(&self) -> f64 {
        (0.5 * self.a + 0.5 * self.b - self.c).powi(2)
    }

    /// `((b - a)/2)²`: the scale in `L_G(D*) = constant + scale T(p, q)`, and
    /// in `min L_D = scale (1 - T(p, q))`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::lsgan::{
    ///     LsganLabels, generator_value_at_optimum, optimal_discriminator_loss,
    /// };
    /// // (a, b, c) = (0, 2, 0.5): ((2 - 0)/2)² = 1.
    /// let labels = LsganLabels::new(0.0, 2.0, 0.5)?;
    /// assert_eq!(labels.optimum_scale(), 1.0);
    /// // Disjoint supports (T = 1): L_G(D*) = offset + scale, min L_D = 0.
    /// let (p, q) = (Discrete::point_mass(2, 0)?, Discrete::point_mass(2, 1)?);
    /// assert_eq!(generator_value_at_optimum(&labels, &p, &q)?, 0.25 + 1.0);
    /// assert_eq!(optimal_discriminator_loss(&labels, &p, &q)?, 0.0);
    /// // Equal distributions (T = 0): min L_D = scale.
    /// assert!((optimal_discriminator_loss(&labels, &p, &p)? - 1.0).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn optimum_scale(&self) -> f64 {
        (0.5 * self.b - 0.5 * self.a).powi(2)
    }
}

/// Checks that `d` has one finite score per point of `p`.
fn check_scores(p: &Discrete, d: &[f64]) -> Result<()> {
    check_same_length(p.len(), d.len())?;
    check_finite(d)
}

/// `½ sum_i w_i (d_i - t)²` over the points with `w_i > 0`, compensated.
///
/// Each term is formed as `(w_i e) (e / 2)`, `e = d_i - t`: `e²` alone
/// overflows for `abs(e) > 1.3e154` while a small weight keeps the term
/// finite (extreme labels against a tiny mass), and halving before summing
/// keeps two terms near `f64::MAX` from overflowing the sum.
fn half_weighted_squares(w: &Discrete, d: &[f64], target: f64) -> f64 {
    let mut s = CompensatedSum::new();
    for (&wi, &di) in w.as_slice().iter().zip(d) {
        if wi > 0.0 {
            let e = di - target;
            s.add((wi * e) * (0.5 * e));
        }
    }
    s.value()
}

/// The discriminator's loss `L_D(D) = ½ E_p (D - b)² + ½ E_q (D - a)²`.
///
/// A score so large that a square overflows gives `+inf`, never NaN (points
/// with no mass are skipped).
///
/// Checked by claim [D2](crate::proofs::d2_lsgan).
///
/// # Errors
/// [`Error::LengthMismatch`] unless `p`, `q` and `d` have the same length;
/// [`Error::NotANumber`] or [`Error::Infinite`] for a bad score.
///
/// # Example
/// At `D*` the loss is its minimum `((b - a)/2)² (1 - T(p, q))`:
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::lsgan::*;
/// let labels = LsganLabels::binary_labels();
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// // D = (1, 0, 0): ½ (0.3 + 0.2) (0 - 1)² + ½ 0.2 (1 - 0)² = 0.35.
/// assert!((discriminator_loss(&labels, &p, &q, &[1.0, 0.0, 0.0])? - 0.35).abs() < 1e-15);
/// let d_star = optimal_discriminator(&labels, &p, &q)?;
/// let min = discriminator_loss(&labels, &p, &q, &d_star)?;
/// assert!((min - labels.optimum_scale() * (1.0 - lsgan_divergence(&p, &q)?)).abs() < 1e-15);
/// assert!((min - optimal_discriminator_loss(&labels, &p, &q)?).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn discriminator_loss(
    labels: &LsganLabels,
    p_data: &Discrete,
    p_g: &Discrete,
    d: &[f64],
) -> Result<f64> {
    same_len(p_data, p_g)?;
    check_scores(p_data, d)?;
    Ok(half_weighted_squares(p_data, d, labels.b) + half_weighted_squares(p_g, d, labels.a))
}

/// `∂L_D / ∂D_i = p_i (D_i - b) + q_i (D_i - a) = (p_i + q_i)(D_i - D*_i)`.
///
/// # Errors
/// As [`discriminator_loss`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::lsgan::*;
/// let labels = LsganLabels::chi2_labels();
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// let d = [0.5, -0.25, 2.0];
/// let d_star = optimal_discriminator(&labels, &p, &q)?;
/// let grad = discriminator_loss_gradient(&labels, &p, &q, &d)?;
/// for i in 0..3 {
///     assert!((grad[i] - (p[i] + q[i]) * (d[i] - d_star[i])).abs() < 1e-15);
/// }
/// // It vanishes at D*.
/// assert!(discriminator_loss_gradient(&labels, &p, &q, &d_star)?.iter().all(|g| g.abs() < 1e-15));
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn discriminator_loss_gradient(
    labels: &LsganLabels,
    p_data: &Discrete,
    p_g: &Discrete,
    d: &[f64],
) -> Result<Vec<f64>> {
    same_len(p_data, p_g)?;
    check_scores(p_data, d)?;
    Ok((0..d.len())
        .map(|i| weighted(p_data[i], d[i] - labels.b) + weighted(p_g[i], d[i] - labels.a))
        .collect())
}

/// `w x`, and 0 when `w = 0` (so an overflowed `x` gives no NaN).
fn weighted(w: f64, x: f64) -> f64 {
    if w > 0.0 { w * x } else { 0.0 }
}

/// The generator's loss in the paper's extended form,
/// `L_G(D) = ½ E_p (D - c)² + ½ E_q (D - c)²`.
///
/// The first term does not depend on p_g for a fixed D; it is kept because
/// then `L_G(D*) = optimum_offset + optimum_scale T(p, q)`
/// ([`generator_value_at_optimum`]).
///
/// Checked by claim [D2](crate::proofs::d2_lsgan).
///
/// # Errors
/// As [`discriminator_loss`].
///
/// # Example
/// At `D*`, `L_G = ((a + b)/2 - c)² + ((b - a)/2)² T(p, q)`; with the binary
/// labels that is `1/4 + T/4`:
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::lsgan::*;
/// let labels = LsganLabels::binary_labels();
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// let d_star = optimal_discriminator(&labels, &p, &q)?;
/// let t = lsgan_divergence(&p, &q)?;
/// assert!((generator_loss(&labels, &p, &q, &d_star)? - (0.25 + 0.25 * t)).abs() < 1e-15);
/// // It exceeds the paper's fake-only loss by ½ E_p (D - c)².
/// let d = [0.5, 0.0, 2.0];
/// let extra = 0.5 * (0.5 * 0.25 + 0.3 * 1.0 + 0.2 * 1.0);
/// let gap = generator_loss(&labels, &p, &q, &d)? - generator_loss_fake_only(&labels, &q, &d)?;
/// assert!((gap - extra).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn generator_loss(
    labels: &LsganLabels,
    p_data: &Discrete,
    p_g: &Discrete,
    d: &[f64],
) -> Result<f64> {
    same_len(p_data, p_g)?;
    check_scores(p_data, d)?;
    Ok(half_weighted_squares(p_data, d, labels.c) + half_weighted_squares(p_g, d, labels.c))
}

/// The generator's loss as the paper trains it, `½ E_q (D - c)²`.
///
/// # Errors
/// [`Error::LengthMismatch`], [`Error::NotANumber`], [`Error::Infinite`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::lsgan::{LsganLabels, generator_loss_fake_only};
/// let q = Discrete::new(vec![0.25, 0.75])?;
/// // c = 1: ½ (0.25 (0 - 1)² + 0.75 (3 - 1)²) = 1.625.
/// let loss = generator_loss_fake_only(&LsganLabels::binary_labels(), &q, &[0.0, 3.0])?;
/// assert_eq!(loss, 1.625);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn generator_loss_fake_only(labels: &LsganLabels, p_g: &Discrete, d: &[f64]) -> Result<f64> {
    check_scores(p_g, d)?;
    Ok(half_weighted_squares(p_g, d, labels.c))
}

/// `∂L_G / ∂D_i = (p_i + q_i)(D_i - c)` (extended form).
///
/// # Errors
/// As [`discriminator_loss`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::lsgan::{LsganLabels, generator_loss_gradient_in_d};
/// let p = Discrete::new(vec![0.5, 0.5, 0.0])?;
/// let q = Discrete::new(vec![0.0, 0.5, 0.5])?;
/// let grad = generator_loss_gradient_in_d(&LsganLabels::chi2_labels(), &p, &q, &[1.0, 2.0, -1.0])?;
/// assert_eq!(grad, vec![0.5 * 1.0, 1.0 * 2.0, 0.5 * -1.0]); // (p + q)(D - c), c = 0
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn generator_loss_gradient_in_d(
    labels: &LsganLabels,
    p_data: &Discrete,
    p_g: &Discrete,
    d: &[f64],
) -> Result<Vec<f64>> {
    same_len(p_data, p_g)?;
    check_scores(p_data, d)?;
    Ok((0..d.len())
        .map(|i| weighted(p_data[i] + p_g[i], d[i] - labels.c))
        .collect())
}

/// `∂L_G / ∂q_i = ½ (D_i - c)²` for a fixed D, the same for both forms of
/// the generator's loss: the cost the generator pays per unit of mass at
/// point i (the loss is linear in q; the gradient is taken in the ambient
/// coordinates of q, before any projection onto the simplex).
///
/// # Errors
/// [`Error::NotANumber`], [`Error::Infinite`], or [`Error::Empty`] for an
/// empty `d`.
///
/// # Example
/// The fake-only loss is linear in `q`, so moving mass `t` from point 1 to
/// point 0 changes it by exactly `t` times the difference of the two entries:
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::lsgan::*;
/// let labels = LsganLabels::chi2_labels();
/// let d = [2.0, -1.0];
/// let cost = generator_loss_gradient_in_p_g(&labels, &d)?;
/// assert_eq!(cost, vec![2.0, 0.5]);   // ½ (D - c)², c = 0
/// let (q, moved) = (Discrete::new(vec![0.5, 0.5])?, Discrete::new(vec![0.75, 0.25])?);
/// let change = generator_loss_fake_only(&labels, &moved, &d)? - generator_loss_fake_only(&labels, &q, &d)?;
/// assert!((change - 0.25 * (cost[0] - cost[1])).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn generator_loss_gradient_in_p_g(labels: &LsganLabels, d: &[f64]) -> Result<Vec<f64>> {
    if d.is_empty() {
        return Err(Error::Empty);
    }
    check_finite(d)?;
    Ok(d.iter().map(|&x| 0.5 * (x - labels.c).powi(2)).collect())
}

/// The optimal discriminator `D*_i = (b p_i + a q_i)/(p_i + q_i)`, the unique
/// minimiser of `L_D` at every point that `p` or `q` charges.
///
/// Where `p_i = q_i = 0` the loss does not depend on `D_i`; this function
/// puts `(a + b)/2` there, the value `D*` takes wherever the two
/// distributions agree (the analogue of the GAN's `D* = 1/2`). It is computed
/// as `b s + a (1 - s)` with `s = p/(p + q)`, so it lies between `a` and `b`
/// and cannot overflow.
///
/// Checked by claim [D2](crate::proofs::d2_lsgan).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::lsgan::{LsganLabels, optimal_discriminator};
/// let p = Discrete::new(vec![0.5, 0.5, 0.0, 0.0])?;
/// let q = Discrete::new(vec![0.0, 0.5, 0.5, 0.0])?;
/// let d = optimal_discriminator(&LsganLabels::chi2_labels(), &p, &q)?;
/// assert_eq!(d, vec![1.0, 0.0, -1.0, 0.0]);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn optimal_discriminator(
    labels: &LsganLabels,
    p_data: &Discrete,
    p_g: &Discrete,
) -> Result<Vec<f64>> {
    same_len(p_data, p_g)?;
    Ok(p_data
        .as_slice()
        .iter()
        .zip(p_g.as_slice())
        .map(|(&p, &q)| {
            let total = p + q;
            if total > 0.0 {
                let s = p / total;
                labels.b * s + labels.a * (1.0 - s)
            } else {
                0.5 * labels.a + 0.5 * labels.b
            }
        })
        .collect())
}

/// `T(p, q) = ½ sum_i (p_i - q_i)² / (p_i + q_i) = ½ chi2(2q ‖ p + q)`, terms
/// with `p_i + q_i = 0` being 0; the divergence LSGAN's generator minimises
/// (up to the affine map of [`generator_value_at_optimum`]). It is
/// symmetric, lies in `[0, 1]`, is 0 iff `p = q` and 1 iff the supports are
/// disjoint (it is half of Le Cam's triangular discrimination).
///
/// Checked by claim [D2](crate::proofs::d2_lsgan).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::lsgan::lsgan_divergence;
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// assert!((lsgan_divergence(&p, &q)? - 9.0 / 70.0).abs() < 1e-16);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn lsgan_divergence(p_data: &Discrete, p_g: &Discrete) -> Result<f64> {
    same_len(p_data, p_g)?;
    let mut s = CompensatedSum::new();
    for (&p, &q) in p_data.as_slice().iter().zip(p_g.as_slice()) {
        let total = p + q;
        if total > 0.0 {
            let d = p - q;
            // d (d / total): d / total is in [-1, 1], so nothing underflows
            // that should not.
            s.add(d * (d / total));
        }
    }
    Ok((0.5 * s.value()).clamp(0.0, 1.0))
}

/// `L_G(D*)` in closed form, for any labels:
/// `½ sum_i ((b - c) p_i + (a - c) q_i)² / (p_i + q_i)`.
///
/// It equals `optimum_offset + optimum_scale T(p, q)`
/// (see [`LsganLabels::optimum_offset`], [`lsgan_divergence`]); the sum is
/// computed here from its definition, so the two can be checked against each
/// other and against [`generator_loss`] at [`optimal_discriminator`].
///
/// Checked by claim [D2](crate::proofs::d2_lsgan).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::lsgan::*;
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// // With a = -1, b = 1, c = 0 it is T(p, q) = 9/70 itself.
/// let chi2 = LsganLabels::chi2_labels();
/// assert!((generator_value_at_optimum(&chi2, &p, &q)? - 9.0 / 70.0).abs() < 1e-15);
/// // Any labels: optimum_offset + optimum_scale T.
/// let labels = LsganLabels::new(0.0, 2.0, 0.5)?;
/// let affine = labels.optimum_offset() + labels.optimum_scale() * 9.0 / 70.0;
/// assert!((generator_value_at_optimum(&labels, &p, &q)? - affine).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn generator_value_at_optimum(
    labels: &LsganLabels,
    p_data: &Discrete,
    p_g: &Discrete,
) -> Result<f64> {
    same_len(p_data, p_g)?;
    let (u, v) = (labels.b - labels.c, labels.a - labels.c);
    let mut s = CompensatedSum::new();
    for (&p, &q) in p_data.as_slice().iter().zip(p_g.as_slice()) {
        let total = p + q;
        if total > 0.0 {
            // (u p + v q)² / (p + q) = (p + q) (u s + v (1 - s))², s = p / (p + q).
            let share = p / total;
            // u s + v (1 - s), exact at the one-sided ends s = 0 and s = 1.
            let y = if share == 1.0 {
                u
            } else if share == 0.0 {
                v
            } else {
                u * share + v * (1.0 - share)
            };
            s.add(total * y * y);
        }
    }
    Ok(0.5 * s.value())
}

/// The gradient of `L_G(D*_G)` in the coordinates of `q = p_g`, with `D*`
/// moving with `q`: `½ (D*_i - c)² + (D*_i - c)(a - D*_i)`.
///
/// Compare [`generator_loss_gradient_in_p_g`], `½ (D_i - c)²` at `D = D*`,
/// the gradient a generator training against a fixed D follows: the two
/// differ by `(D*_i - c)(a - D*_i)`, because LSGAN's two players minimise
/// different losses (there is no envelope theorem as for the GAN's
/// minimax value). Where `p_i + q_i = 0` the one-sided derivative
/// (`q_i` rising from 0, where `D*_i = a`) is returned, `½ (a - c)²`.
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// Along the direction `e_0 - e_1` of the simplex, against central
/// differences of [`generator_value_at_optimum`], to `1e-9`:
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::lsgan::*;
/// let labels = LsganLabels::binary_labels();
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let q = |t: f64| Discrete::new(vec![0.2 + t, 0.3 - t, 0.5]);
/// let grad = generator_value_gradient_in_p_g(&labels, &p, &q(0.0)?)?;
/// let h = 1e-6;
/// let numeric = (generator_value_at_optimum(&labels, &p, &q(h)?)?
///     - generator_value_at_optimum(&labels, &p, &q(-h)?)?)
///     / (2.0 * h);
/// assert!((grad[0] - grad[1] - numeric).abs() < 1e-9);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn generator_value_gradient_in_p_g(
    labels: &LsganLabels,
    p_data: &Discrete,
    p_g: &Discrete,
) -> Result<Vec<f64>> {
    let d_star = optimal_discriminator(labels, p_data, p_g)?;
    Ok(d_star
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let d = if p_data[i] + p_g[i] > 0.0 {
                d
            } else {
                labels.a
            };
            // ½ y² + y (a - D*) = y (a - (D* + c)/2) with y = D* - c: one
            // product, so a huge y gives ±inf, never inf - inf.
            (d - labels.c) * (labels.a - (0.5 * d + 0.5 * labels.c))
        })
        .collect())
}

/// `min_D L_D = ½ (b - a)² sum_i p_i q_i / (p_i + q_i)`, from its definition.
/// It equals `optimum_scale (1 - T(p, q))`.
///
/// Checked by claim [D2](crate::proofs::d2_lsgan).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::lsgan::*;
/// let labels = LsganLabels::binary_labels();
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// // ½ (1 - 0)² (0.1/0.7 + 0.09/0.6 + 0.1/0.7) = (1/4)(1 - T), T = 9/70:
/// let min = optimal_discriminator_loss(&labels, &p, &q)?;
/// assert!((min - 0.5 * (0.2 / 0.7 + 0.15)).abs() < 1e-15);
/// assert!((min - 0.25 * (1.0 - 9.0 / 70.0)).abs() < 1e-15);
/// // No scores do better (D = 1/2 everywhere, say):
/// assert!(discriminator_loss(&labels, &p, &q, &[0.5; 3])? >= min);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn optimal_discriminator_loss(
    labels: &LsganLabels,
    p_data: &Discrete,
    p_g: &Discrete,
) -> Result<f64> {
    same_len(p_data, p_g)?;
    let sum = numeric::sum(
        p_data
            .as_slice()
            .iter()
            .zip(p_g.as_slice())
            .map(|(&p, &q)| {
                let total = p + q;
                if total > 0.0 { p * (q / total) } else { 0.0 }
            }),
    );
    if sum == 0.0 {
        // Disjoint supports: 0, also when (b - a)² overflows.
        return Ok(0.0);
    }
    // (b - a) ((b - a) sum) / 2: (b - a)² alone overflows for
    // abs(b - a) > 1.3e154 where a small overlap keeps the value finite.
    let gap = labels.b - labels.a;
    Ok(0.5 * gap * (gap * sum))
}

/// Pearson's chi-squared `chi2(P ‖ Q) = sum_i (P_i - Q_i)² / Q_i` of two
/// non-negative measures (not necessarily of mass 1).
///
/// Terms with `P_i = Q_i = 0` are 0; the result is `+inf` when some
/// `Q_i = 0 < P_i` (its true value), and `+inf` when a term overflows `f64`.
///
/// # Errors
/// [`Error::Empty`], [`Error::NotANumber`], [`Error::Infinite`],
/// [`Error::Negative`] for a bad entry (of `big_p` first, then `big_q`), and
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::variants::lsgan::pearson_chi2_measures;
/// // (1 - 2)² / 2 + (1 - 0.5)² / 0.5 = 0.5 + 0.5.
/// assert_eq!(pearson_chi2_measures(&[1.0, 1.0], &[2.0, 0.5])?, 1.0);
/// assert_eq!(pearson_chi2_measures(&[1.0, 0.0], &[0.0, 0.0])?, f64::INFINITY); // Q = 0 < P
/// assert_eq!(pearson_chi2_measures(&[0.0, 1.0], &[0.0, 1.0])?, 0.0);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn pearson_chi2_measures(big_p: &[f64], big_q: &[f64]) -> Result<f64> {
    check_non_negative(big_p)?;
    check_non_negative(big_q)?;
    check_same_length(big_p.len(), big_q.len())?;
    let mut s = CompensatedSum::new();
    for (&x, &y) in big_p.iter().zip(big_q) {
        if y == 0.0 {
            if x > 0.0 {
                return Ok(f64::INFINITY);
            }
            continue;
        }
        let d = x - y;
        // d (d / y) keeps tiny d from underflowing in d²; if d / y overflows
        // the term is beyond f64::MAX or d² / y is safe, and either way the
        // sum is +inf or right, never NaN.
        let ratio = d / y;
        s.add(if ratio.is_finite() {
            d * ratio
        } else {
            d * d / y
        });
    }
    Ok(s.value().max(0.0))
}

/// The measures `p + q` and `2 q`, for the two chi-squared readings below.
fn sum_and_twice_generated(p_data: &Discrete, p_g: &Discrete) -> Result<(Vec<f64>, Vec<f64>)> {
    same_len(p_data, p_g)?;
    let sum = p_data
        .as_slice()
        .iter()
        .zip(p_g.as_slice())
        .map(|(p, q)| p + q)
        .collect();
    let twice = p_g.as_slice().iter().map(|q| 2.0 * q).collect();
    Ok((sum, twice))
}

/// `chi2(p + q ‖ 2q) = ½ sum_i (p_i - q_i)² / q_i = ½ chi2(p ‖ q)`: the
/// LSGAN paper's formula read with the usual convention (denominator the
/// second argument). It is `+inf` where `q_i = 0 < p_i`. It is *not* what
/// LSGAN's generator minimises ([`lsgan_divergence`] is); it is here to show
/// the difference.
///
/// Checked by claim [D2](crate::proofs::d2_lsgan).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::lsgan::{chi2_sum_against_twice_generated, lsgan_divergence};
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// // ½ chi2(p ‖ q) = ½ (0.3² / 0.2 + 0.3² / 0.5) = 0.315, not T = 9/70.
/// let misread = chi2_sum_against_twice_generated(&p, &q)?;
/// assert!((misread - 0.315).abs() < 1e-15);
/// assert!((misread - lsgan_divergence(&p, &q)?).abs() > 0.1);
/// let disjoint = Discrete::new(vec![0.0, 0.0, 1.0])?;
/// assert_eq!(chi2_sum_against_twice_generated(&p, &disjoint)?, f64::INFINITY);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn chi2_sum_against_twice_generated(p_data: &Discrete, p_g: &Discrete) -> Result<f64> {
    let (sum, twice) = sum_and_twice_generated(p_data, p_g)?;
    pearson_chi2_measures(&sum, &twice)
}

/// `½ chi2(2q ‖ p + q)` through [`pearson_chi2_measures`]: the same number
/// as [`lsgan_divergence`] by another route (the identity of Mao et al.,
/// with the arguments in the order the usual convention needs).
///
/// Checked by claim [D2](crate::proofs::d2_lsgan).
///
/// # Errors
/// [`Error::LengthMismatch`].
///
/// # Example
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::lsgan::{half_chi2_twice_generated_against_sum, lsgan_divergence};
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// let t = half_chi2_twice_generated_against_sum(&p, &q)?;
/// assert!((t - 9.0 / 70.0).abs() < 1e-15 && (t - lsgan_divergence(&p, &q)?).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn half_chi2_twice_generated_against_sum(p_data: &Discrete, p_g: &Discrete) -> Result<f64> {
    let (sum, twice) = sum_and_twice_generated(p_data, p_g)?;
    Ok(0.5 * pearson_chi2_measures(&twice, &sum)?)
}
