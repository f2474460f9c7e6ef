//! The training layer: fitting parameters by numerical optimisation.
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
//! - [`fit`]: maximum likelihood against least squares on seed 003's 45 balls
//!   (claim B4, "maximum likelihood is minimum KL").

pub mod algorithm1;
pub mod conditional;
pub mod fit;
pub mod inner_max;
mod minimise;
pub mod tabular_game;
pub mod tabular_variants;
pub mod wgan;
