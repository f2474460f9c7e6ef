//! The Dirac-GAN of Mescheder, Geiger and Nowozin (2018), "Which Training
//! Methods for GANs do actually Converge?" (ICML): the smallest GAN whose
//! training does or does not converge, and why (claim E1).
//!
//! Serves claim [E1](crate::proofs::e1_dirac_gan).
//!
//! The data are a point mass at 0, the generator is a point mass at `theta`,
//! the discriminator is linear, `D_psi(x) = psi x`, and the game's value is
//!
//! ```text
//! L(theta, psi) = f(psi theta) + f(0)
//! f(t) = -ln(1 + e^-t)      (GAN; f'(0) = 1/2, f''(0) = -1/4)
//! f(t) = t                  (WGAN)
//! ```
//!
//! G descends L in `theta`, D ascends it in `psi`. The direction of these
//! simultaneous moves is the vector field
//!
//! ```text
//! v(theta, psi) = (-d L / d theta, d L / d psi) = (-psi f'(psi theta), theta f'(psi theta))
//! ```
//!
//! whose only zero is the equilibrium `(0, 0)`. Its Jacobian there,
//! `[[0, -f'(0)], [f'(0), 0]]`, has the purely imaginary eigenvalues
//! `± i f'(0)`: the continuous flow circles the equilibrium
//! (`theta^2 + psi^2` is constant, since `v` is orthogonal to `(theta, psi)`),
//! and simultaneous gradient steps spiral outwards,
//! `|x_{k+1}|^2 = |x_k|^2 (1 + h^2 f'(psi_k theta_k)^2)`.
//!
//! [`Method`] lists the training methods of the paper's Sections 2-4 with
//! their fields, losses, Jacobians and the closed-form eigenvalues at the
//! equilibrium; [`Update`] and [`trajectory`] run simultaneous or alternating
//! gradient steps (or the flow by RK4) and record every state; [`linear`]
//! holds the 2x2 eigenvalue and normal-form tools the checks use.
//!
//! # Example
//! ```
//! use gan_theory::dynamics::{Method, Point, Update, trajectory};
//! // Unregularised GAN: simultaneous steps move away from the equilibrium.
//! let run = trajectory(&Method::Gan, Update::Simultaneous, Point::new(1.0, 0.0), 0.1, 100)?;
//! assert!(run.points[100].norm() > run.points[0].norm());
//! // R1 with gamma = 1: they converge to it.
//! let r1 = Method::r1(1.0)?;
//! let run = trajectory(&r1, Update::Simultaneous, Point::new(1.0, 0.0), 0.1, 2000)?;
//! assert!(run.points[2000].norm() < 1e-8);
//! # Ok::<(), gan_theory::Error>(())
//! ```

pub mod linear;
mod method;
mod noise;
mod steps;

pub use method::{
    GAN_F1_AT_0, GAN_F2_AT_0, Losses, Method, Point, Positive, gan_f, gan_f1, gan_f2,
};
pub use steps::{MAX_STEPS, Trajectory, Update, trajectory};
