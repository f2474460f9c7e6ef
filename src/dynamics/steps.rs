//! Gradient steps on the Dirac-GAN and the continuous flow, recorded.

use super::method::{Method, Point, Positive};
use crate::error::{Error, Result};
use nalgebra::Matrix2;

/// The largest number of steps [`trajectory`] records (16 bytes per point:
/// 160 MB at the limit).
pub const MAX_STEPS: usize = 10_000_000;

/// How one update of step size `h` moves the state.
///
/// Checked by claim [E1](crate::proofs::e1_dirac_gan).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Update {
    /// Both players step from the same state: `x <- x + h v(x)` (then `psi`
    /// is clipped for a clipped WGAN). The explicit Euler method for the flow.
    Simultaneous,
    /// The discriminator steps first, then the generator against the new
    /// discriminator (the order of Goodfellow et al.'s Algorithm 1, one step
    /// each): `psi' = psi + h v_psi(theta, psi)` (clipped for a clipped
    /// WGAN), `theta' = theta + h v_theta(theta, psi')`.
    Alternating,
    /// One classical Runge-Kutta (RK4) step of the flow `dx/dt = v(x)` of
    /// length `h` (for a clipped WGAN, `psi` is clipped after the step: the
    /// projected flow). Local error `O(h^5)`, for comparing the steps with
    /// the continuous dynamics.
    Rk4Flow,
}

impl Update {
    /// The Jacobian at the equilibrium of the update map `x -> F_h(x)`, from
    /// the field's equilibrium Jacobian `J` (for a clipped WGAN the clip is
    /// inactive near `(0, 0)`):
    /// - simultaneous: `I + h J`;
    /// - alternating: `[[1 + h J11 + h^2 J12 J21, h J12 (1 + h J22)], [h J21, 1 + h J22]]`,
    ///   the product of the generator's shear after the discriminator's;
    /// - RK4: `I + hJ + (hJ)^2/2 + (hJ)^3/6 + (hJ)^4/24`.
    ///
    /// Checked by claim [E1](crate::proofs::e1_dirac_gan).
    ///
    /// # Example
    /// ```
    /// use gan_theory::dynamics::{Method, Update, linear::spectral_radius};
    /// let h = 0.5;
    /// // Simultaneous WGAN steps: I + hJ has eigenvalues 1 ± i h, radius sqrt(1 + h^2) > 1.
    /// let simultaneous = Update::Simultaneous.equilibrium_jacobian(&Method::wgan(), h);
    /// assert!((spectral_radius(&simultaneous) - (1.0 + h * h).sqrt()).abs() < 1e-15);
    /// // Alternating WGAN steps: determinant 1, eigenvalues on the unit circle (bounded).
    /// let alternating = Update::Alternating.equilibrium_jacobian(&Method::wgan(), h);
    /// assert!((alternating.determinant() - 1.0).abs() < 1e-15);
    /// assert!((spectral_radius(&alternating) - 1.0).abs() < 1e-15);
    /// ```
    pub fn equilibrium_jacobian(self, method: &Method, h: f64) -> Matrix2<f64> {
        let j = method.equilibrium_jacobian();
        let identity = Matrix2::identity();
        match self {
            Update::Simultaneous => identity + j * h,
            Update::Alternating => {
                let discriminator = Matrix2::new(1.0, 0.0, h * j[(1, 0)], 1.0 + h * j[(1, 1)]);
                let generator = Matrix2::new(1.0 + h * j[(0, 0)], h * j[(0, 1)], 0.0, 1.0);
                generator * discriminator
            }
            Update::Rk4Flow => {
                let hj = j * h;
                let hj2 = hj * hj;
                identity + hj + hj2 / 2.0 + hj2 * hj / 6.0 + hj2 * hj2 / 24.0
            }
        }
    }
}

/// A recorded run: `points[0]` is the start, `points[k]` the state after `k`
/// updates. Public data for figures.
///
/// Checked by claim [E1](crate::proofs::e1_dirac_gan).
///
/// # Example
/// ```
/// use gan_theory::dynamics::{Method, Point, Update, trajectory};
/// let run = trajectory(&Method::Gan, Update::Rk4Flow, Point::new(1.0, 0.0), 0.1, 10)?;
/// assert_eq!(run.points.len(), 11);   // the start and 10 states
/// assert_eq!(run.points[0], Point::new(1.0, 0.0));
/// // The GAN's flow circles the equilibrium: RK4 keeps |x| to about h^5 per step.
/// assert!((run.points[10].norm() - 1.0).abs() < 1e-4);
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Trajectory {
    /// The training method.
    pub method: Method,
    /// How each update was made.
    pub update: Update,
    /// The step size `h` (the time step for [`Update::Rk4Flow`]).
    pub step_size: f64,
    /// The states, `steps + 1` of them.
    pub points: Vec<Point>,
}

impl Method {
    /// One update of step size `h` from `p`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] if `p` is not finite;
    /// [`Error::NotConverged`] if the new state is not finite (the run
    /// diverged past `f64::MAX`).
    ///
    /// Checked by claim [E1](crate::proofs::e1_dirac_gan).
    ///
    /// # Example
    /// ```
    /// use gan_theory::dynamics::{Method, Point, Positive, Update};
    /// let h = Positive::new(0.5)?;
    /// let next = Method::wgan().step(Update::Simultaneous, h, Point::new(1.0, 0.0))?;
    /// assert_eq!(next, Point::new(1.0, 0.5));   // (theta - h psi, psi + h theta)
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn step(&self, update: Update, h: Positive, p: Point) -> Result<Point> {
        p.check_finite("theta", "psi")?;
        let h = h.get();
        let clip = |psi: f64| match self.clip() {
            Some(c) => psi.clamp(-c, c),
            None => psi,
        };
        let next = match update {
            Update::Simultaneous => {
                let v = self.vector_field(p);
                Point::new(p.theta + h * v.theta, clip(p.psi + h * v.psi))
            }
            Update::Alternating => {
                let psi = clip(p.psi + h * self.vector_field(p).psi);
                let theta = p.theta + h * self.vector_field(Point::new(p.theta, psi)).theta;
                Point::new(theta, psi)
            }
            Update::Rk4Flow => {
                let shifted = |k: Point, scale: f64| {
                    Point::new(p.theta + scale * k.theta, p.psi + scale * k.psi)
                };
                let k1 = self.vector_field(p);
                let k2 = self.vector_field(shifted(k1, h / 2.0));
                let k3 = self.vector_field(shifted(k2, h / 2.0));
                let k4 = self.vector_field(shifted(k3, h));
                let combine = |a: f64, b: f64, c: f64, d: f64| (a + 2.0 * b + 2.0 * c + d) / 6.0;
                Point::new(
                    p.theta + h * combine(k1.theta, k2.theta, k3.theta, k4.theta),
                    clip(p.psi + h * combine(k1.psi, k2.psi, k3.psi, k4.psi)),
                )
            }
        };
        if next.is_finite() {
            Ok(next)
        } else {
            Err(Error::NotConverged {
                what: "Dirac-GAN update",
                detail: format!(
                    "the state left the finite range from ({:e}, {:e})",
                    p.theta, p.psi
                ),
            })
        }
    }
}

/// Runs `steps` updates of step size `step_size` from `start` and records
/// every state.
///
/// Checked by claim [E1](crate::proofs::e1_dirac_gan).
///
/// # Errors
/// [`Error::InvalidParameter`] unless `step_size` is finite and `> 0`, `start`
/// is finite and `steps <= MAX_STEPS`; [`Error::NotConverged`] if a state
/// overflows (which simultaneous steps of WGAN reach after about
/// `1400 / ln(1 + h^2)` steps).
///
/// # Example
/// ```
/// use gan_theory::dynamics::{Method, Point, Update, trajectory};
/// // WGAN, simultaneous: |x|^2 grows by exactly 1 + h^2 per step.
/// let run = trajectory(&Method::wgan(), Update::Simultaneous, Point::new(1.0, 0.0), 0.5, 4)?;
/// assert!((run.points[4].norm_squared() - 1.25f64.powi(4)).abs() < 1e-14);
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn trajectory(
    method: &Method,
    update: Update,
    start: Point,
    step_size: f64,
    steps: usize,
) -> Result<Trajectory> {
    let h = Positive::named("step_size", step_size)?;
    start.check_finite("start theta", "start psi")?;
    if steps > MAX_STEPS {
        return Err(Error::InvalidParameter {
            name: "steps",
            value: steps as f64,
            requirement: "must be at most MAX_STEPS = 10^7",
        });
    }
    let mut points = Vec::with_capacity(steps + 1);
    points.push(start);
    let mut state = start;
    for _ in 0..steps {
        state = method.step(update, h, state)?;
        points.push(state);
    }
    Ok(Trajectory {
        method: *method,
        update,
        step_size,
        points,
    })
}
