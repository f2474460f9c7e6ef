//! The discriminator's inner maximisation solved to optimality with argmin's
//! L-BFGS, for claims that assume "D optimal at every step".
