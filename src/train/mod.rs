//! The training layer: fitting parameters by numerical optimisation.
//!
//! Serves claims [A5](crate::proofs::a5_convergence), [A6](crate::proofs::a6_algorithm1),
//! [A8](crate::proofs::a8_helvetica), [A9](crate::proofs::a9_step_size),
//! [B4](crate::proofs::b4_maximum_likelihood), [D1](crate::proofs::d1_wgan),
//! [D2](crate::proofs::d2_lsgan), [D3](crate::proofs::d3_ebgan),
//! [D4](crate::proofs::d4_conditional_gan).
//!
//! This is the only part of the crate that uses the `argmin` optimiser; every
//! other module evaluates closed forms. An objective here implements
//! `argmin::core::{CostFunction, Gradient, Hessian}` with an analytic
//! gradient and Hessian; argmin's L-BFGS brings a fit close, and a damped
//! Newton method with a line search finishes it. A fit either reaches its
//! stated gradient-norm target (scaled up to the gradient's own rounding
//! error where the parameters are huge) and, for a non-convex loss, is
//! certified as a strict local minimum, or it returns
//! [`Error::NotConverged`](crate::Error::NotConverged): a sub-optimal point is
//! never handed back as if it were the optimum.
//!
//! - [`best_response`]: the generator's exact best response to `D*`, iterated
//!   with or without damping, and the largest stable step of gradient descent
//!   on `C(G)` (claim F4).
//! - [`discriminator_steps`]: the bounds on `k` exact ascent steps of a
//!   tabular discriminator and the generator gradients against it (claim F3).
//! - [`fit`]: maximum likelihood against least squares on the 45 balls of BrightLamp's note
//!   (claim B4, "maximum likelihood is minimum KL").

pub mod algorithm1;
pub mod best_response;
pub mod conditional;
pub mod discriminator_steps;
pub mod fit;
pub mod inner_max;
mod minimise;
pub mod mixtures;
pub mod modes;
pub mod tabular_game;
pub mod tabular_variants;
pub mod wgan;
