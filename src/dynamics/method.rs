//! The training methods on the Dirac-GAN: vector fields, losses, Jacobians.

use super::noise;
use crate::error::{Error, Result};
use crate::numeric::{sigmoid, softplus};
use nalgebra::{Complex, Matrix2};

/// A state `(theta, psi)` of the Dirac-GAN (generator position, discriminator
/// slope); also used for a velocity `(v_theta, v_psi)`.
///
/// Checked by claim [E1](crate::proofs::e1_dirac_gan).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Point {
    /// The generator's parameter: G puts its mass at `theta`.
    pub theta: f64,
    /// The discriminator's parameter: `D(x) = psi x`.
    pub psi: f64,
}

impl Point {
    /// The point `(theta, psi)`.
    pub const fn new(theta: f64, psi: f64) -> Self {
        Self { theta, psi }
    }

    /// `theta^2 + psi^2`.
    pub fn norm_squared(self) -> f64 {
        self.theta * self.theta + self.psi * self.psi
    }

    /// The distance to the equilibrium, `hypot(theta, psi)` (no overflow).
    pub fn norm(self) -> f64 {
        self.theta.hypot(self.psi)
    }

    /// Both coordinates finite.
    pub fn is_finite(self) -> bool {
        self.theta.is_finite() && self.psi.is_finite()
    }

    /// `Err(InvalidParameter)` naming `name_theta` / `name_psi` unless both
    /// coordinates are finite.
    pub(crate) fn check_finite(
        self,
        name_theta: &'static str,
        name_psi: &'static str,
    ) -> Result<Self> {
        for (name, value) in [(name_theta, self.theta), (name_psi, self.psi)] {
            if !value.is_finite() {
                return Err(Error::InvalidParameter {
                    name,
                    value,
                    requirement: "must be finite",
                });
            }
        }
        Ok(self)
    }
}

/// A finite number `> 0`: a penalty weight, a noise level, a clipping bound,
/// a step size. Only [`Positive::new`] makes one, so a [`Method`] cannot hold
/// an invalid parameter.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Positive(f64);

impl Positive {
    /// `value` if it is finite and `> 0`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (named "value") otherwise.
    pub fn new(value: f64) -> Result<Self> {
        Self::named("value", value)
    }

    pub(crate) fn named(name: &'static str, value: f64) -> Result<Self> {
        if value.is_finite() && value > 0.0 {
            Ok(Self(value))
        } else {
            Err(Error::InvalidParameter {
                name,
                value,
                requirement: "must be finite and > 0",
            })
        }
    }

    /// The number.
    pub fn get(self) -> f64 {
        self.0
    }
}

/// The GAN's `f(t) = -ln(1 + e^-t) = -softplus(-t)` (no overflow).
pub fn gan_f(t: f64) -> f64 {
    -softplus(-t)
}

/// `f'(t) = 1 / (1 + e^t) = sigma(-t)`, in `[0, 1]`.
///
/// Checked by claim [E1](crate::proofs::e1_dirac_gan).
pub fn gan_f1(t: f64) -> f64 {
    sigmoid(-t)
}

/// `f''(t) = -sigma(t) sigma(-t)`, in `[-1/4, 0]`.
pub fn gan_f2(t: f64) -> f64 {
    -sigmoid(t) * sigmoid(-t)
}

/// `f'''(t) = sigma(t) sigma(-t) tanh(t/2)` (as `sigma(-t) - sigma(t) = -tanh(t/2)`).
fn gan_f3(t: f64) -> f64 {
    sigmoid(t) * sigmoid(-t) * (0.5 * t).tanh()
}

/// The GAN's `f'(0) = 1/2`.
pub const GAN_F1_AT_0: f64 = 0.5;

/// The GAN's `f''(0) = -1/4`.
pub const GAN_F2_AT_0: f64 = -0.25;

/// `a b`, with `0 · inf = 0`: the factors this is used for (`f'`, `f''`
/// at a huge argument) vanish faster than the other grows.
pub(super) fn times(a: f64, b: f64) -> f64 {
    if a == 0.0 || b == 0.0 { 0.0 } else { a * b }
}

/// What each player optimises at a point.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Losses {
    /// The loss G minimises over `theta`.
    pub generator: f64,
    /// The objective D maximises over `psi`.
    pub discriminator: f64,
}

/// A training method on the Dirac-GAN. The parameters are [`Positive`], so
/// every method that exists is valid; build them with the constructors
/// ([`Method::r1`], ...), which return typed errors.
///
/// Each method's vector field `v = (v_theta, v_psi)` is `(-dL_G/dtheta,
/// dL_D/dpsi)` for its [`Losses`]; `a = f'(0)`, `b = f''(0)` below.
///
/// | method | `v(theta, psi)` | Jacobian at `(0, 0)` | eigenvalues |
/// |---|---|---|---|
/// | `Gan` | `(-psi f'(t), theta f'(t))`, `t = theta psi` | `[[0, -a], [a, 0]]` | `± i a` |
/// | `NonSaturating` | `(-psi f'(-t), theta f'(t))` | same | `± i a` |
/// | `Wgan` | `(-psi, theta)` | `[[0, -1], [1, 0]]` | `± i` |
/// | `WganGp` | `(-psi, theta - gamma (psi - g0 sign psi))` | `[[0, -1], [1, -gamma]]` (one-sided) | `-gamma/2 ± sqrt(gamma^2/4 - 1)` |
/// | `InstanceNoise` | expectation over the noise | `[[0, -a], [a, 2 b sigma^2]]` | `b sigma^2 ± sqrt(b^2 sigma^4 - a^2)` |
/// | `R1`, `R2` | `(-psi f'(t), theta f'(t) - gamma psi)` | `[[0, -a], [a, -gamma]]` | `-gamma/2 ± sqrt(gamma^2/4 - a^2)` |
/// | `Consensus` | `v - gamma grad(|v|^2 / 2)` | `[[-gamma a^2, -a], [a, -gamma a^2]]` | `-gamma a^2 ± i a` |
///
/// Checked by claim [E1](crate::proofs::e1_dirac_gan).
///
/// # Example
/// ```
/// use gan_theory::dynamics::{Method, linear::{eigenvalue_distance, eigenvalues}};
/// // The table's last column: the eigenvalues of the equilibrium Jacobian.
/// for method in [
///     Method::Gan,
///     Method::wgan(),
///     Method::wgan_gp(0.5)?,
///     Method::instance_noise(0.3)?,
///     Method::r1(0.6)?,
///     Method::consensus(0.2)?,
/// ] {
///     let numeric = eigenvalues(&method.equilibrium_jacobian());
///     let paper = method.closed_form_eigenvalues();
///     assert!(eigenvalue_distance(&numeric, &paper) < 1e-14, "{}", method.name());
/// }
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Method {
    /// The unregularised GAN: G minimises `L = f(psi theta) + f(0)`, D maximises it.
    Gan,
    /// The non-saturating GAN: G minimises `-f(-psi theta)` (that is,
    /// maximises the log-probability that D calls its sample real), D as in `Gan`.
    NonSaturating,
    /// The Wasserstein GAN, `f(t) = t`, so `L = psi theta`. With `clip`, each
    /// discriminator step ends by projecting `psi` onto `[-c, c]` (the
    /// critic's Lipschitz bound); the field itself is unclipped.
    Wgan {
        /// The clipping bound `c`, if any.
        clip: Option<Positive>,
    },
    /// WGAN-GP: D maximises `psi theta - (gamma/2)(|psi| - g0)^2`, the
    /// gradient penalty `(gamma/2)(|grad_x D| - g0)^2` with `grad_x D = psi`
    /// at every point (so the interpolates do not matter). Gulrajani et al.'s
    /// `lambda` is `gamma/2`, their target `g0 = 1`. The field jumps by
    /// `2 gamma g0` across `psi = 0` (`sign 0 = 0` is used there).
    WganGp {
        /// The penalty weight `gamma`.
        gamma: Positive,
        /// The target gradient norm `g0`.
        target: Positive,
    },
    /// Instance noise: Gaussian noise of standard deviation `sigma` added to
    /// the data and to the generator's samples, so
    /// `L = E f(psi (theta + e1)) + E f(-psi e2)`. The expectations have no
    /// closed form; they are taken over the standard normal variable on
    /// `[-9, 9]` by a composite 10-point Gauss-Legendre rule whose panels
    /// narrow to `1 / |psi sigma|` where `f'(psi x)` turns from 0 to 1
    /// (36 panels near the equilibrium, about 170 for `|psi sigma| = 1e6`,
    /// never more than a few thousand), with an error of about 1e-15 of the
    /// integrands' size.
    InstanceNoise {
        /// The noise's standard deviation.
        sigma: Positive,
    },
    /// The R1 penalty: D maximises `L - (gamma/2) |grad_x D(x)|^2` at the
    /// data, which for `D = psi x` is `L - (gamma/2) psi^2`.
    R1 {
        /// The penalty weight.
        gamma: Positive,
    },
    /// The R2 penalty: the same at the generator's samples. On the Dirac-GAN
    /// `grad_x D = psi` everywhere, so R2 has the same field as R1.
    R2 {
        /// The penalty weight.
        gamma: Positive,
    },
    /// Consensus optimisation (Mescheder et al. 2017) on the GAN: G minimises
    /// `L + (gamma/2)|v|^2`, D maximises `L - (gamma/2)|v|^2`, with `v` the
    /// GAN's field, so the field becomes `v - gamma grad(|v|^2 / 2)`.
    Consensus {
        /// The weight of the consensus term.
        gamma: Positive,
    },
}

impl Method {
    /// WGAN without clipping.
    pub fn wgan() -> Self {
        Method::Wgan { clip: None }
    }

    /// WGAN with `psi` clipped to `[-c, c]` after each discriminator step.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `c` is finite and `> 0`.
    pub fn wgan_clipped(c: f64) -> Result<Self> {
        Ok(Method::Wgan {
            clip: Some(Positive::named("c", c)?),
        })
    }

    /// WGAN-GP with weight `gamma` and target gradient norm 1.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `gamma` is finite and `> 0`.
    pub fn wgan_gp(gamma: f64) -> Result<Self> {
        Self::wgan_gp_with_target(gamma, 1.0)
    }

    /// WGAN-GP with weight `gamma` and target gradient norm `g0`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless both are finite and `> 0`.
    pub fn wgan_gp_with_target(gamma: f64, g0: f64) -> Result<Self> {
        Ok(Method::WganGp {
            gamma: Positive::named("gamma", gamma)?,
            target: Positive::named("g0", g0)?,
        })
    }

    /// Instance noise of standard deviation `sigma` on the GAN.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `sigma` is finite and `> 0`.
    pub fn instance_noise(sigma: f64) -> Result<Self> {
        Ok(Method::InstanceNoise {
            sigma: Positive::named("sigma", sigma)?,
        })
    }

    /// The R1 penalty of weight `gamma` on the GAN.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `gamma` is finite and `> 0`.
    pub fn r1(gamma: f64) -> Result<Self> {
        Ok(Method::R1 {
            gamma: Positive::named("gamma", gamma)?,
        })
    }

    /// The R2 penalty of weight `gamma` on the GAN.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `gamma` is finite and `> 0`.
    pub fn r2(gamma: f64) -> Result<Self> {
        Ok(Method::R2 {
            gamma: Positive::named("gamma", gamma)?,
        })
    }

    /// Consensus optimisation of weight `gamma` on the GAN.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `gamma` is finite and `> 0`.
    pub fn consensus(gamma: f64) -> Result<Self> {
        Ok(Method::Consensus {
            gamma: Positive::named("gamma", gamma)?,
        })
    }

    /// A short name for reports ("GAN", "WGAN-GP", ...).
    pub fn name(&self) -> &'static str {
        match self {
            Method::Gan => "GAN",
            Method::NonSaturating => "non-saturating GAN",
            Method::Wgan { clip: None } => "WGAN",
            Method::Wgan { clip: Some(_) } => "WGAN (clipped)",
            Method::WganGp { .. } => "WGAN-GP",
            Method::InstanceNoise { .. } => "instance noise",
            Method::R1 { .. } => "R1",
            Method::R2 { .. } => "R2",
            Method::Consensus { .. } => "consensus optimisation",
        }
    }

    /// The clipping bound of a clipped WGAN, `None` otherwise.
    pub fn clip(&self) -> Option<f64> {
        match self {
            Method::Wgan { clip: Some(c) } => Some(c.get()),
            _ => None,
        }
    }

    /// The vector field `v(theta, psi) = (-dL_G/dtheta, dL_D/dpsi)`: the
    /// direction of simultaneous descent for G and ascent for D.
    ///
    /// Checked by claim [E1](crate::proofs::e1_dirac_gan).
    ///
    /// Never NaN for finite `p`; it can overflow to `±inf` where `p` is
    /// near `f64::MAX` (the trajectories report that as an error).
    ///
    /// # Example
    /// ```
    /// use gan_theory::dynamics::{Method, Point};
    /// let v = Method::Gan.vector_field(Point::new(1.0, 0.0));
    /// assert_eq!((v.theta, v.psi), (0.0, 0.5));   // (-psi f'(0), theta f'(0))
    /// ```
    pub fn vector_field(&self, p: Point) -> Point {
        let (theta, psi) = (p.theta, p.psi);
        let t = theta * psi;
        match *self {
            Method::Gan => {
                let d = gan_f1(t);
                Point::new(-psi * d, theta * d)
            }
            Method::NonSaturating => Point::new(-psi * gan_f1(-t), theta * gan_f1(t)),
            Method::Wgan { .. } => Point::new(-psi, theta),
            Method::WganGp { gamma, target } => {
                let pull = psi - target.get() * sign0(psi);
                Point::new(-psi, theta - gamma.get() * pull)
            }
            Method::InstanceNoise { sigma } => {
                let m = noise::NoiseMoments::at(theta, psi, sigma.get());
                Point::new(-psi * m.generated.f1, m.generated.x_f1 + m.data.x_f1)
            }
            Method::R1 { gamma } | Method::R2 { gamma } => {
                let d = gan_f1(t);
                Point::new(-psi * d, theta * d - gamma.get() * psi)
            }
            Method::Consensus { gamma } => {
                let (d1, d2) = (gan_f1(t), gan_f2(t));
                let grad = half_speed_squared_gradient(theta, psi, d1, d2);
                Point::new(
                    -psi * d1 - gamma.get() * grad.theta,
                    theta * d1 - gamma.get() * grad.psi,
                )
            }
        }
    }

    /// The players' objectives at `p` (G minimises `generator`, D maximises
    /// `discriminator`); [`Method::vector_field`] is their gradient.
    ///
    /// # Example
    /// ```
    /// use gan_theory::dynamics::{Method, Point};
    /// let l = Method::Gan.losses(Point::new(0.0, 0.0));
    /// assert_eq!(l.generator, -2.0 * std::f64::consts::LN_2);   // 2 f(0) = -ln 4
    /// ```
    pub fn losses(&self, p: Point) -> Losses {
        let (theta, psi) = (p.theta, p.psi);
        let t = theta * psi;
        let gan = gan_f(t) + gan_f(0.0);
        match *self {
            Method::Gan => Losses {
                generator: gan,
                discriminator: gan,
            },
            Method::NonSaturating => Losses {
                generator: -gan_f(-t),
                discriminator: gan,
            },
            Method::Wgan { .. } => Losses {
                generator: t,
                discriminator: t,
            },
            Method::WganGp { gamma, target } => {
                let gap = psi.abs() - target.get();
                let mut discriminator = t - 0.5 * gamma.get() * gap * gap;
                if discriminator.is_nan() {
                    // inf - inf: both terms are quadratic in x; compare them
                    // scaled by m^2 = max(|theta|, |psi|)^2.
                    let m = theta.abs().max(psi.abs());
                    let (u, w, g) = (theta / m, psi / m, gap / m);
                    let scaled = u * w - 0.5 * gamma.get() * g * g;
                    discriminator = times(times(scaled, m), m);
                }
                Losses {
                    generator: t,
                    discriminator,
                }
            }
            Method::InstanceNoise { sigma } => {
                let m = noise::NoiseMoments::at(theta, psi, sigma.get());
                let l = m.generated.f + m.data.f;
                Losses {
                    generator: l,
                    discriminator: l,
                }
            }
            Method::R1 { gamma } | Method::R2 { gamma } => Losses {
                generator: gan,
                discriminator: gan - 0.5 * gamma.get() * psi * psi,
            },
            Method::Consensus { gamma } => {
                // (gamma/2) |v|^2 = (gamma/2) (theta^2 + psi^2) f'(t)^2.
                let d1 = gan_f1(t);
                let penalty = 0.5 * gamma.get() * times(d1 * d1, p.norm_squared());
                let mut generator = gan + penalty;
                if generator.is_nan() {
                    // gan = -inf (t -> -inf overflowed) against penalty = +inf:
                    // both are quadratic in x, so compare them scaled by
                    // m^2 = max(|theta|, |psi|)^2, where f(t) ~ t and f'(t) ~ 1.
                    let m = theta.abs().max(psi.abs());
                    let (u, w) = (theta / m, psi / m);
                    let scaled = u * w + 0.5 * gamma.get() * (u * u + w * w);
                    generator = times(times(scaled, m), m);
                }
                Losses {
                    generator,
                    discriminator: gan - penalty,
                }
            }
        }
    }

    /// The Jacobian `dv/d(theta, psi)` of [`Method::vector_field`] at `p`,
    /// analytically (rows: `v_theta`, `v_psi`; columns: `theta`, `psi`).
    /// For WGAN-GP at `psi = 0`, where the field jumps, this is the common
    /// limit from either side.
    ///
    /// Checked by claim [E1](crate::proofs::e1_dirac_gan).
    ///
    /// # Example
    /// ```
    /// use gan_theory::dynamics::{Method, Point};
    /// let r1 = Method::r1(1.0)?;
    /// // At the equilibrium it is the table's matrix [[0, -1/2], [1/2, -gamma]] ...
    /// let gap = r1.jacobian(Point::new(0.0, 0.0)) - r1.equilibrium_jacobian();
    /// assert!(gap.abs().max() < 1e-15);
    /// // ... and elsewhere it matches central differences of the field.
    /// let at = Point::new(0.7, -1.3);
    /// let fd = r1.jacobian_fd(at, 1e-5)?;
    /// assert!((r1.jacobian(at) - fd).abs().max() < 1e-9);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn jacobian(&self, p: Point) -> Matrix2<f64> {
        let (theta, psi) = (p.theta, p.psi);
        let t = theta * psi;
        match *self {
            Method::Gan => gan_jacobian(theta, psi, 0.0),
            Method::R1 { gamma } | Method::R2 { gamma } => gan_jacobian(theta, psi, gamma.get()),
            Method::NonSaturating => {
                // v_theta = -psi f'(-t): d/dtheta = psi^2 f''(-t), d/dpsi = -f'(-t) + t f''(-t).
                let (e1, e2) = (gan_f1(-t), gan_f2(-t));
                let (d1, d2) = (gan_f1(t), gan_f2(t));
                Matrix2::new(
                    times(e2, psi * psi),
                    -e1 + times(e2, t),
                    d1 + times(d2, t),
                    times(d2, theta * theta),
                )
            }
            Method::Wgan { .. } => Matrix2::new(0.0, -1.0, 1.0, 0.0),
            Method::WganGp { gamma, .. } => Matrix2::new(0.0, -1.0, 1.0, -gamma.get()),
            Method::InstanceNoise { sigma } => {
                let m = noise::NoiseMoments::at(theta, psi, sigma.get());
                let g = m.generated;
                // times: psi = 0 against an overflowed E x f'' is 0.
                let cross = g.f1 + times(psi, g.x_f2);
                Matrix2::new(
                    -times(g.f2, psi * psi),
                    -cross,
                    cross,
                    g.xx_f2 + m.data.xx_f2,
                )
            }
            Method::Consensus { gamma } => consensus_jacobian(theta, psi, gamma.get()),
        }
    }

    /// The analytic Jacobian at the equilibrium `(0, 0)` (see the table on
    /// [`Method`]).
    ///
    /// Checked by claim [E1](crate::proofs::e1_dirac_gan).
    ///
    /// # Example
    /// ```
    /// use gan_theory::dynamics::{GAN_F1_AT_0, Method};
    /// use gan_theory::nalgebra::Matrix2;
    /// assert_eq!(GAN_F1_AT_0, 0.5);   // f'(0) for f(t) = -ln(1 + e^-t)
    /// assert_eq!(Method::Gan.equilibrium_jacobian(), Matrix2::new(0.0, -0.5, 0.5, 0.0));
    /// assert_eq!(Method::wgan_gp(2.0)?.equilibrium_jacobian(), Matrix2::new(0.0, -1.0, 1.0, -2.0));
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn equilibrium_jacobian(&self) -> Matrix2<f64> {
        let a = GAN_F1_AT_0;
        match *self {
            Method::Gan | Method::NonSaturating => Matrix2::new(0.0, -a, a, 0.0),
            Method::Wgan { .. } => Matrix2::new(0.0, -1.0, 1.0, 0.0),
            Method::WganGp { gamma, .. } => Matrix2::new(0.0, -1.0, 1.0, -gamma.get()),
            Method::InstanceNoise { sigma } => {
                let s = sigma.get();
                Matrix2::new(0.0, -a, a, 2.0 * GAN_F2_AT_0 * s * s)
            }
            Method::R1 { gamma } | Method::R2 { gamma } => Matrix2::new(0.0, -a, a, -gamma.get()),
            Method::Consensus { gamma } => {
                let d = -gamma.get() * a * a;
                Matrix2::new(d, -a, a, d)
            }
        }
    }

    /// The eigenvalues at the equilibrium from the paper's closed forms,
    /// evaluated directly (not from a matrix), the one with the larger
    /// imaginary part (then real part) first. `a = f'(0)`, `b = f''(0)`:
    /// GAN and non-saturating `± i a`; WGAN `± i`; WGAN-GP (one-sided)
    /// `-gamma/2 ± sqrt(gamma^2/4 - 1)`; instance noise
    /// `b sigma^2 ± sqrt(b^2 sigma^4 - a^2)`; R1 and R2
    /// `-gamma/2 ± sqrt(gamma^2/4 - a^2)`; consensus `-gamma a^2 ± i a`.
    ///
    /// Checked by claim [E1](crate::proofs::e1_dirac_gan).
    ///
    /// # Example
    /// ```
    /// use gan_theory::dynamics::Method;
    /// // The unregularised GAN: ± i f'(0) = ± i/2, on the imaginary axis (no convergence).
    /// let [a, b] = Method::Gan.closed_form_eigenvalues();
    /// assert_eq!((a.re, a.im, b.re, b.im), (0.0, 0.5, 0.0, -0.5));
    /// // R1 with gamma = 0.6: -0.3 ± sqrt(0.09 - 0.25) = -0.3 ± 0.4 i, in the left half-plane.
    /// let [a, b] = Method::r1(0.6)?.closed_form_eigenvalues();
    /// assert!((a.re + 0.3).abs() < 1e-15 && (a.im - 0.4).abs() < 1e-15);
    /// assert_eq!((b.re, b.im), (a.re, -a.im));
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn closed_form_eigenvalues(&self) -> [Complex<f64>; 2] {
        let a = GAN_F1_AT_0;
        // Each pair is centre ± sqrt(centre^2 - product), the roots of
        // lambda^2 - 2 centre lambda + product (consensus: centre ± i a).
        let (centre, product) = match *self {
            Method::Gan | Method::NonSaturating => (0.0, a * a),
            Method::Wgan { .. } => (0.0, 1.0),
            Method::WganGp { gamma, .. } => (-gamma.get() / 2.0, 1.0),
            Method::InstanceNoise { sigma } => (GAN_F2_AT_0 * sigma.get() * sigma.get(), a * a),
            Method::R1 { gamma } | Method::R2 { gamma } => (-gamma.get() / 2.0, a * a),
            Method::Consensus { gamma } => {
                let centre = -gamma.get() * a * a;
                return [Complex::new(centre, a), Complex::new(centre, -a)];
            }
        };
        quadratic_roots(centre, product)
    }

    /// The Jacobian of the field at `at` by central differences with step
    /// `step` in each coordinate: column j is `(v(at + step e_j) - v(at - step e_j)) / (2 step)`.
    ///
    /// Checked by claim [E1](crate::proofs::e1_dirac_gan).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `step > 0`, `at` and `at ± step`
    /// are finite.
    pub fn jacobian_fd(&self, at: Point, step: f64) -> Result<Matrix2<f64>> {
        let h = Positive::named("step", step)?.get();
        at.check_finite("theta", "psi")?;
        // The shifted points must exist: past f64::MAX the field is not
        // defined and the differences would be NaN.
        Point::new(at.theta + h, at.psi + h).check_finite("theta + step", "psi + step")?;
        Point::new(at.theta - h, at.psi - h).check_finite("theta - step", "psi - step")?;
        let column = |dt: f64, dp: f64| {
            let plus = self.vector_field(Point::new(at.theta + dt, at.psi + dp));
            let minus = self.vector_field(Point::new(at.theta - dt, at.psi - dp));
            (
                (plus.theta - minus.theta) / (2.0 * h),
                (plus.psi - minus.psi) / (2.0 * h),
            )
        };
        let (a, c) = column(h, 0.0);
        let (b, d) = column(0.0, h);
        Ok(Matrix2::new(a, b, c, d))
    }
}

/// The name with the parameters.
///
/// # Example
/// ```
/// use gan_theory::dynamics::Method;
/// assert_eq!(Method::r1(0.3)?.to_string(), "R1 (gamma = 0.3)");
/// assert_eq!(Method::Gan.to_string(), "GAN");
/// # Ok::<(), gan_theory::Error>(())
/// ```
impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Method::Wgan { clip: Some(c) } => write!(f, "WGAN (clipped to c = {})", c.get()),
            Method::WganGp { gamma, target } => write!(
                f,
                "WGAN-GP (gamma = {}, g0 = {})",
                gamma.get(),
                target.get()
            ),
            Method::InstanceNoise { sigma } => {
                write!(f, "instance noise (sigma = {})", sigma.get())
            }
            Method::R1 { gamma } | Method::R2 { gamma } | Method::Consensus { gamma } => {
                write!(f, "{} (gamma = {})", self.name(), gamma.get())
            }
            _ => f.write_str(self.name()),
        }
    }
}

/// The roots of `lambda^2 - 2 centre lambda + product` (`product > 0`),
/// the one with the larger imaginary part (then real part) first. The
/// discriminant is formed after dividing by `scale^2`, `scale =
/// max(|centre|, sqrt(product))`, so that it cannot overflow for huge
/// penalty weights; a real pair is `centre + sign(centre) sqrt(.)` and
/// `product` over that, so that the small root does not cancel; a zero
/// discriminant gives `centre` twice.
fn quadratic_roots(centre: f64, product: f64) -> [Complex<f64>; 2] {
    let scale = centre.abs().max(product.sqrt());
    if scale.is_infinite() {
        // centre overflowed (instance noise with sigma above 1e154): the
        // big root is centre itself, the small one product / centre.
        return [
            Complex::new(product / centre, 0.0),
            Complex::new(centre, 0.0),
        ];
    }
    let (c, p) = (centre / scale, product / scale / scale);
    let discriminant = c * c - p;
    if discriminant == 0.0 {
        // A double root (critical damping, e.g. R1 with gamma = 1): centre
        // twice, as `linear::eigenvalues` returns it, not centre and
        // product / centre, which may differ from it in the last bit.
        return [Complex::new(centre, 0.0), Complex::new(centre, 0.0)];
    }
    if discriminant < 0.0 {
        let im = scale * (-discriminant).sqrt();
        return [Complex::new(centre, im), Complex::new(centre, -im)];
    }
    let big = centre + (scale * discriminant.sqrt()).copysign(centre);
    let small = product / big;
    let (hi, lo) = if big >= small {
        (big, small)
    } else {
        (small, big)
    };
    [Complex::new(hi, 0.0), Complex::new(lo, 0.0)]
}

/// `sign(x)` with `sign(0) = 0`.
fn sign0(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// The Jacobian of `(-psi f'(t), theta f'(t) - gamma psi)`, `t = theta psi`.
fn gan_jacobian(theta: f64, psi: f64, gamma: f64) -> Matrix2<f64> {
    let t = theta * psi;
    let (d1, d2) = (gan_f1(t), gan_f2(t));
    let cross = d1 + times(d2, t);
    Matrix2::new(
        -times(d2, psi * psi),
        -cross,
        cross,
        times(d2, theta * theta) - gamma,
    )
}

/// The gradient of `E = |v|^2 / 2 = (theta^2 + psi^2) f'(t)^2 / 2` for the
/// GAN's field, given `f'(t)` and `f''(t)`:
/// `(theta f'^2 + r^2 f' f'' psi, psi f'^2 + r^2 f' f'' theta)`, `r^2 = theta^2 + psi^2`.
fn half_speed_squared_gradient(theta: f64, psi: f64, d1: f64, d2: f64) -> Point {
    let cross = d1 * d2;
    // r^2 psi = theta^2 psi + psi^3, both terms of psi's sign: no cancellation,
    // and 0 when psi = 0 even if theta^2 overflows.
    let r2_psi = times(psi, theta * theta) + times(psi, psi * psi);
    let r2_theta = times(theta, theta * theta) + times(theta, psi * psi);
    Point::new(
        theta * d1 * d1 + times(cross, r2_psi),
        psi * d1 * d1 + times(cross, r2_theta),
    )
}

/// The Jacobian of the consensus field `v - gamma grad E`, `E = r^2 g(t) / 2`,
/// `g = f'^2`, `t = theta psi`, `r^2 = theta^2 + psi^2`. The Hessian of `E` is
/// `E_tt = g + 2 t g' + r^2 psi^2 g''/2`, `E_pp = g + 2 t g' + r^2 theta^2 g''/2`,
/// `E_tp = 3 r^2 g'/2 + r^2 t g''/2`, with `g' = 2 f' f''`, `g'' = 2 f''^2 + 2 f' f'''`.
///
/// The terms of the same power of `theta` or `psi` are grouped before they
/// are multiplied out, so that where they overflow the entry is `±inf` with
/// the sign of the dominant term, never `inf - inf`.
fn consensus_jacobian(theta: f64, psi: f64, gamma: f64) -> Matrix2<f64> {
    let t = theta * psi;
    let (d1, d2, d3) = (gan_f1(t), gan_f2(t), gan_f3(t));
    let g = d1 * d1;
    let g1 = 2.0 * d1 * d2;
    let g2 = 2.0 * d2 * d2 + 2.0 * d1 * d3;
    let r2 = theta * theta + psi * psi;
    // g1, g2, f'' vanish (underflow) before |t| overflows; `times` keeps
    // 0 · inf at 0 where the true product is 0.
    let g2_r2 = times(g2, r2);
    let constant = -gamma * (g + 2.0 * times(g1, t));
    // -psi^2 f'' - gamma (g + 2 t g' + r^2 psi^2 g''/2), and its mirror image.
    let tt = constant + times(psi * psi, -d2 - 0.5 * gamma * g2_r2);
    let pp = constant + times(theta * theta, d2 - 0.5 * gamma * g2_r2);
    // -/+ (f' + t f'') - gamma r^2 (3 g'/2 + t g''/2).
    let cross = d1 + times(d2, t);
    let coupling = gamma * times(r2, 1.5 * g1 + 0.5 * times(g2, t));
    Matrix2::new(tt, -cross - coupling, cross - coupling, pp)
}
