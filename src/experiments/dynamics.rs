//! The experiments of claim E1: the Dirac-GAN runs by simultaneous gradient
//! steps that the claim's check measures and the report's Dirac-GAN figure
//! draws.

use crate::dynamics::{Method, Point, Trajectory, Update, trajectory};
use crate::error::Result;

/// E1's step size `h` of the simultaneous runs.
pub(crate) const STEP_SIZE: f64 = 0.1;
/// E1's start of the simultaneous runs, at distance 1 from the equilibrium.
pub(crate) const START: Point = Point::new(1.0, 0.0);
/// Steps of E1's simultaneous runs from [`START`]: about four turns of the
/// GAN's spiral (a turn takes about `2 pi / (h f'(0)) = 126` steps).
pub(crate) const STEPS: usize = 500;
/// E1's R1 weight (its check (d)).
pub(crate) const R1_GAMMA: f64 = 0.5;

/// `method` trained by [`STEPS`] simultaneous steps of size [`STEP_SIZE`]
/// from [`START`].
pub(crate) fn simultaneous_run(method: &Method) -> Result<Trajectory> {
    trajectory(method, Update::Simultaneous, START, STEP_SIZE, STEPS)
}
