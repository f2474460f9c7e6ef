//! The training layer: fitting parameters by numerical optimisation.
//!
//! This is the only part of the crate that uses the `argmin` optimiser; every
//! other module evaluates closed forms. An objective here implements
//! `argmin::core::{CostFunction, Gradient}` with an analytic gradient, and a
//! fit either reaches its stated gradient-norm target or returns
//! [`Error::NotConverged`](crate::Error::NotConverged): a sub-optimal point is
//! never handed back as if it were the optimum.
//!
//! - [`fit`]: maximum likelihood against least squares on seed 003's 45 balls
//!   (claim B4, "maximum likelihood is minimum KL").

pub mod fit;
