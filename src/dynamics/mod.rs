//! Dirac-GAN (Mescheder et al. 2018): vector fields, Jacobians at the equilibrium, and gradient-step trajectories (claim E1). Filled in by issue 5.
